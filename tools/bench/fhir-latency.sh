#!/usr/bin/env bash
# Latency of FHIR requests as a client sees it: sends a fixed workload of sequential requests to one
# MedHub server and prints the median, p90 and p99 of the request times curl reports.
#
#   tools/bench/fhir-latency.sh BASE_URL TOKEN [REQUESTS]
#
# Workload (REQUESTS rounds, default 200): per round one read of a patient, one search by family
# name and one Observation search by subject -- the reads and searches every one of which the audit
# trail records. The patient and its observation are created first (not timed). Used to compare the
# server with the audit trail on and off (docs/security.md, "Audit trail").
set -euo pipefail

base=${1:?base URL, e.g. http://localhost:8080}
token=${2:?access token with read and write access to /fhir}
rounds=${3:-200}
auth="Authorization: Bearer $token"
json="Content-Type: application/fhir+json"
family="Latency$RANDOM$RANDOM"

patient=$(curl -sf -X POST -H "$auth" -H "$json" "$base/fhir/Patient" \
  -d "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"$family\"}]}" \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -1)
[ -n "$patient" ] || { echo "could not create the test patient at $base/fhir" >&2; exit 1; }
curl -sf -o /dev/null -X POST -H "$auth" -H "$json" "$base/fhir/Observation" -d "{\"resourceType\":\"Observation\",
  \"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\"}]},
  \"subject\":{\"reference\":\"Patient/$patient\"},\"valueQuantity\":{\"value\":120,\"unit\":\"mm[Hg]\"}}"

urls=()
for _ in $(seq "$rounds"); do
  urls+=("$base/fhir/Patient/$patient" "$base/fhir/Patient?family=$family" "$base/fhir/Observation?subject=Patient/$patient")
done

times=$(mktemp)
trap 'rm -f "$times"' EXIT
for url in "${urls[@]}"; do
  # no-cache: HAPI would otherwise answer repeated searches from its cache.
  curl -s -o /dev/null -H "$auth" -H "Cache-Control: no-cache" -w '%{http_code} %{time_total}\n' "$url" >>"$times"
done

failed=$(awk '$1 != 200' "$times" | wc -l)
[ "$failed" -eq 0 ] || { echo "$failed requests did not answer 200" >&2; exit 1; }
sort -n -k2 "$times" | awk '{ t[NR] = $2 * 1000 } END {
  printf "requests %d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n",
    NR, t[int(NR * 0.50 + 0.5)], t[int(NR * 0.90 + 0.5)], t[int(NR * 0.99 + 0.5)], t[NR] }'
