#!/usr/bin/env bash
# End-to-end check of the ./medhub commands a newcomer uses: up --detach on a fresh data directory
# (Keycloak and demo data included), the FHIR API answering with a token and refusing without one,
# down, up again, data still there, demo-data adding patients, down.
# Runs on its own ports and data directory, so it does not disturb a MedHub you are running.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export MEDHUB_PORT=${SMOKE_PORT:-18080}
export MEDHUB_KEYCLOAK_PORT=${SMOKE_KEYCLOAK_PORT:-18081}
export MEDHUB_DATA_DIR=${SMOKE_DATA_DIR:-$ROOT/target/smoke-data}
export MEDHUB_DEMO_PATIENTS=${SMOKE_PATIENTS:-3}
# The demo model's cohort and training add minutes; they are measured on their own (docs/fhir.md, "Demo data").
export MEDHUB_DEMO_MODEL=${SMOKE_DEMO_MODEL:-false}
BASE="http://localhost:$MEDHUB_PORT/fhir"
REALM="http://localhost:$MEDHUB_KEYCLOAK_PORT/realms/medhub"

fail() { echo "smoke test FAILED: $*" >&2; "$ROOT/medhub" down >/dev/null 2>&1 || true; exit 1; }

# An access token of the admin dev user from medhub-cli (a fresh one per call: they live 5 minutes).
token() {
  curl -sf "$REALM/protocol/openid-connect/token" -d grant_type=password -d client_id=medhub-cli \
    -d username=admin -d password=admin | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
# no-cache: HAPI answers a repeated search from its cache for a minute, which would hide new patients.
fhir() { curl -sf -H "Authorization: Bearer $(token)" -H "Cache-Control: no-cache" "$BASE/$1"; }
patients() { fhir 'Patient?_summary=count' | grep -o '"total": *[0-9]*' | grep -o '[0-9]*$'; }
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

rm -rf "$MEDHUB_DATA_DIR"
trap '"$ROOT/medhub" down >/dev/null 2>&1 || true' EXIT

started=$(date +%s)
"$ROOT/medhub" up --detach || fail "./medhub up --detach did not reach readiness"
echo "cold start with demo data: $(($(date +%s) - started))s"
curl -sf "$REALM/.well-known/openid-configuration" | grep -q "\"issuer\":\"$REALM\"" \
  || fail "Keycloak does not serve realm medhub with issuer $REALM"
[ -n "$(token)" ] || fail "no token for the admin dev user from medhub-cli"
curl -sf "$BASE/metadata" | grep -q '"fhirVersion": *"4.0.1"' || fail "/fhir/metadata is not an R4 CapabilityStatement without a token"
code=$(status_of "$BASE/Patient")
[ "$code" = 401 ] || fail "GET /fhir/Patient without a token answered $code, expected 401"
# Dev mode listens on loopback only: the machine's other addresses get no answer from MedHub or Keycloak.
for address in $(hostname -I 2>/dev/null || true); do
  case $address in *:*) address="[$address]" ;; esac
  for port in "$MEDHUB_PORT" "$MEDHUB_KEYCLOAK_PORT"; do
    code=$(status_of --max-time 3 "http://$address:$port/" || true)
    [ "$code" = 000 ] || fail "port $port answers on $address ($code) in dev mode; it must listen on 127.0.0.1 only"
  done
done
before=$(patients)
[ "$before" -eq "$MEDHUB_DEMO_PATIENTS" ] || fail "expected $MEDHUB_DEMO_PATIENTS demo patients, found $before"
status=$("$ROOT/medhub" status 2>&1) || fail "./medhub status does not report the running server and Keycloak: $status"

"$ROOT/medhub" down
"$ROOT/medhub" status >/dev/null && fail "./medhub status still reports a server after down"
code=$(status_of "$REALM/.well-known/openid-configuration" || true)
[ "$code" = 000 ] || fail "Keycloak still answers ($code) after down"

started=$(date +%s)
"$ROOT/medhub" up --detach || fail "second ./medhub up --detach failed"
echo "warm start: $(($(date +%s) - started))s"
after=$(patients)
[ "$after" -eq "$before" ] || fail "patients before restart: $before, after: $after"
# More demo data on a running install: new patients load, and the demo images of the patients
# already there are stored again unchanged (STOW-RS is idempotent for the same object).
"$ROOT/medhub" demo-data --patients 2 || fail "./medhub demo-data --patients 2 failed"
more=$(patients)
[ "$more" -eq $((after + 2)) ] || fail "expected $((after + 2)) patients after demo-data, found $more"
"$ROOT/medhub" down
echo "smoke test passed: $before demo patients survived a restart, demo-data added 2"
