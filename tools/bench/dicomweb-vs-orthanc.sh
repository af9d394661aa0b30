#!/usr/bin/env bash
# DICOMweb throughput and latency of MedHub and of Orthanc with its DICOMweb plugin, in the same run on
# the same data, reported as MedHub/Orthanc ratios (markdown on stdout, raw JSON lines in the results
# directory):
#
#   tools/bench/dicomweb-vs-orthanc.sh [--repeats N] [--ct-instances N] [--index-instances N]
#                                      [--index-studies N] [--queries N] [--index-batch N]
#                                      [--index-clients N] [--qido-only]
#
#   - STOW-RS ingest of CT-sized instances (512x512x16 bit) with 1 and 4 concurrent clients;
#   - WADO-RS retrieve of a whole study;
#   - QIDO-RS study search latency (p50/p95) once --index-instances small instances are indexed: STOWed in
#     requests of --index-batch (default 500) from --index-clients (default 4) loaders, into one server after
#     the other (Orthanc too through STOW-RS, its DICOMweb plugin's), then counted through each server's QIDO-RS
#     before the searches.
# --qido-only skips the first two. The instances are made by tools/bench/dicomweb/bench.py from CT_small.dcm of
# Debian's pydicom corpus.
#
# Both servers run on free ports with throw-away data under tools/bench/dicomweb/results/<time>/:
# MedHub all-in-one through ./medhub up --detach (its own Keycloak, no demo data; a clinician token),
# Orthanc from the Debian packages with a configuration written here (no authentication, loopback
# only, fsync of every stored file as MedHub does; the system's Orthanc service is left alone). Missing Debian packages are installed when run
# as root. Both are stopped at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tools/bench/dicomweb
PYTHON=/usr/bin/python3
REPEATS=3 CT_INSTANCES=100 INDEX_INSTANCES=100000 INDEX_STUDIES=2000 QUERIES=200 QIDO_ONLY=false
INDEX_LOAD=()
while [ $# -gt 0 ]; do
  case $1 in
    --qido-only) QIDO_ONLY=true; shift; continue ;;
    --index-batch | --index-clients) INDEX_LOAD+=("$1" "$2") ;;
    --repeats) REPEATS=$2 ;;
    --ct-instances) CT_INSTANCES=$2 ;;
    --index-instances) INDEX_INSTANCES=$2 ;;
    --index-studies) INDEX_STUDIES=$2 ;;
    --queries) QUERIES=$2 ;;
    *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
  shift 2
done

fail() { echo "dicomweb-vs-orthanc: $*" >&2; exit 1; }
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

missing=()
command -v Orthanc >/dev/null || missing+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
"$PYTHON" -c 'import pydicom' 2>/dev/null || missing+=(python3-pydicom)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing Debian packages ${missing[*]}: install them (as root: apt-get install ${missing[*]})"
  # policy-rc.d keeps the packages from starting the system Orthanc service on install.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 || fail "apt-get install ${missing[*]} failed"
fi

RESULTS=$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS/orthanc/storage" "$RESULTS/orthanc/index"
export MEDHUB_PORT=$(free_port) MEDHUB_KEYCLOAK_PORT=$(free_port) MEDHUB_DATA_DIR=$RESULTS/medhub MEDHUB_DEMO_DATA=false
# A loaded machine can take Keycloak well beyond ./medhub's default 300 s to start.
export MEDHUB_KEYCLOAK_READY_TIMEOUT=${MEDHUB_KEYCLOAK_READY_TIMEOUT:-900}
ORTHANC_PORT=$(free_port)
cat >"$RESULTS/orthanc/orthanc.json" <<EOF
{
  "Name": "medhub-bench",
  "StorageDirectory": "$RESULTS/orthanc/storage",
  "IndexDirectory": "$RESULTS/orthanc/index",
  "HttpPort": $ORTHANC_PORT,
  "DicomPort": $(free_port),
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "StorageCompression": false,
  "SyncStorageArea": true,
  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
}
EOF

orthanc_pid= sampler_pid=
stop() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
  [ -n "$orthanc_pid" ] && kill "$orthanc_pid" 2>/dev/null && wait "$orthanc_pid" 2>/dev/null
  "$ROOT/medhub" down >/dev/null 2>&1 || true
}
trap stop EXIT

Orthanc "$RESULTS/orthanc/orthanc.json" >"$RESULTS/orthanc/orthanc.log" 2>&1 &
orthanc_pid=$!
"$ROOT/medhub" up --detach >"$RESULTS/medhub-up.log" 2>&1 || fail "./medhub up failed, see $RESULTS/medhub-up.log"
for _ in $(seq 60); do
  curl -sf "http://localhost:$ORTHANC_PORT/system" >/dev/null && break
  sleep 1
done
curl -sf "http://localhost:$ORTHANC_PORT/system" >/dev/null || fail "Orthanc did not start, see $RESULTS/orthanc/orthanc.log"

medhub="medhub=http://localhost:$MEDHUB_PORT/dicomweb,http://localhost:$MEDHUB_KEYCLOAK_PORT/realms/medhub/protocol/openid-connect/token,clinician:clinician"
orthanc="orthanc=http://localhost:$ORTHANC_PORT/dicom-web"
# MedHub publishes stored studies to FHIR in the background (Orthanc has no such work): before the searches,
# wait (at most 20 minutes) until its process has used under 1 s of CPU in 10 s.
settle() {
  local pid ticks before after started=$SECONDS
  pid=$(cat "$MEDHUB_DATA_DIR/run/medhub.pid") ticks=$(getconf CLK_TCK)
  cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
  while [ $((SECONDS - started)) -lt 1200 ]; do
    before=$(cpu); sleep 10; after=$(cpu)
    [ $((after - before)) -lt "$ticks" ] && break
  done
  echo "MedHub settled after $((SECONDS - started)) s" >&2
}
bench() { "$PYTHON" "$HERE/bench.py" "$@" --server "$medhub" --server "$orthanc" --run "$(date +%s)" >>"$RESULTS/results.jsonl"; }

# The machine is shared: the 1-minute load average every 30 s goes into the report.
while sleep 30; do cut -d' ' -f1 /proc/loadavg; done >"$RESULTS/loadavg.log" &
sampler_pid=$!

if [ "$QIDO_ONLY" = false ]; then
  echo "STOW-RS and WADO-RS: $REPEATS repeats of $CT_INSTANCES CT-sized instances per server and client count ..." >&2
  bench ingest --repeats "$REPEATS" --ct-instances "$CT_INSTANCES"
fi
echo "indexing $INDEX_INSTANCES small instances on each server ..." >&2
bench index --index-instances "$INDEX_INSTANCES" --index-studies "$INDEX_STUDIES" "${INDEX_LOAD[@]}"
"$PYTHON" -c 'import json, sys; print(json.dumps({"test": "statistics", "server": "orthanc", **json.load(sys.stdin)}))' \
  < <(curl -sf "http://localhost:$ORTHANC_PORT/statistics") >>"$RESULTS/results.jsonl"
settle
echo "QIDO-RS: $REPEATS repeats of $QUERIES study searches per server ..." >&2
searches_began=$(cut -d' ' -f1 /proc/loadavg)
bench search --repeats "$REPEATS" --index-studies "$INDEX_STUDIES" --queries "$QUERIES"
searches_ended=$(cut -d' ' -f1 /proc/loadavg)

kill "$sampler_pid"; sampler_pid=
machine="$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), \
$(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, 1-minute load average $(sort -n "$RESULTS/loadavg.log" | "$PYTHON" -c \
'import statistics, sys; v = [float(x) for x in sys.stdin]; print(f"{min(v)}-{max(v)}, median {statistics.median(v)}" if v else "?")') \
during the run, $searches_began when the searches began and $searches_ended when they ended; Orthanc $(dpkg-query -W -f '${Version}' orthanc), DICOMweb plugin $(dpkg-query -W -f '${Version}' orthanc-dicomweb)"
"$PYTHON" "$HERE/report.py" "$RESULTS/results.jsonl" medhub orthanc "$machine" | tee "$RESULTS/report.md"
