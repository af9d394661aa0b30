#!/usr/bin/env bash
# Latency of the CDS Hooks service as an EHR sees it: POST /cds-services/{service} (hook
# patient-view) signed by the dev EHR (config/dev/cds-hooks-dev-ehr.key.pem, which the server must
# trust: medhub.cds.client-files lists config/dev/cds-hooks-dev-ehr.yaml), and prints p50/p95/p99 of
#   1. full prefetch, 1 caller;  2. full prefetch, 20 concurrent callers;  3. no prefetch (the
#   service reads /fhir with the EHR's token), 1 caller.
#
#   tools/bench/cds-latency.sh BASE_URL TOKEN PATIENT_ID [REQUESTS] [SERVICE]
#
# TOKEN: a clinician's access token (reads the prefetch, and is the fhirAuthorization of run 3).
# Every call has its own hookInstance, so each one also writes a RiskAssessment (included in the times).
# Needs python3 with python3-cryptography (Debian) for the ES384 signatures.
set -euo pipefail

base=${1:?base URL, e.g. http://localhost:8080}
token=${2:?clinician access token}
patient=${3:?FHIR id of a patient with the data the model reads}
requests=${4:-200}
service=${5:-cvd-risk}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

exec python3 "$root/tools/bench/cds-latency.py" "$base" "$token" "$patient" "$requests" "$service" "$root/config/dev/cds-hooks-dev-ehr.key.pem"
