#!/usr/bin/env bash
# End-to-end check of the ./medhub commands a newcomer uses: up --detach on a fresh data directory
# (with demo data), the FHIR API answering, down, up again, data still there, down.
# Runs on its own port and data directory, so it does not disturb a MedHub you are running.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export MEDHUB_PORT=${SMOKE_PORT:-18080}
export MEDHUB_KEYCLOAK_PORT=${SMOKE_KEYCLOAK_PORT:-18081}
export MEDHUB_DATA_DIR=${SMOKE_DATA_DIR:-$ROOT/target/smoke-data}
export MEDHUB_DEMO_PATIENTS=${SMOKE_PATIENTS:-3}
BASE="http://localhost:$MEDHUB_PORT/fhir"

fail() { echo "smoke test FAILED: $*" >&2; "$ROOT/medhub" down >/dev/null 2>&1 || true; exit 1; }
patients() { curl -sf "$BASE/Patient?_summary=count" | grep -o '"total": *[0-9]*' | grep -o '[0-9]*$'; }

rm -rf "$MEDHUB_DATA_DIR"
trap '"$ROOT/medhub" down >/dev/null 2>&1 || true' EXIT

started=$(date +%s)
"$ROOT/medhub" up --detach || fail "./medhub up --detach did not reach readiness"
echo "cold start with demo data: $(($(date +%s) - started))s"
curl -sf "$BASE/metadata" | grep -q '"fhirVersion": *"4.0.1"' || fail "/fhir/metadata is not an R4 CapabilityStatement"
before=$(patients)
[ "$before" -eq "$MEDHUB_DEMO_PATIENTS" ] || fail "expected $MEDHUB_DEMO_PATIENTS demo patients, found $before"
"$ROOT/medhub" status >/dev/null || fail "./medhub status does not report the running server"

"$ROOT/medhub" down
"$ROOT/medhub" status >/dev/null && fail "./medhub status still reports a server after down"

started=$(date +%s)
"$ROOT/medhub" up --detach || fail "second ./medhub up --detach failed"
echo "warm start: $(($(date +%s) - started))s"
after=$(patients)
[ "$after" -eq "$before" ] || fail "patients before restart: $before, after: $after"
"$ROOT/medhub" down
echo "smoke test passed: $before demo patients survived a restart"
