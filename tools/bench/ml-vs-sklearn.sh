#!/usr/bin/env bash
# MedHub's ML engine against scikit-learn (Debian python3-sklearn) in one run: the same CSV data,
# the same held-out rows, the same hyperparameter grid and number of stratified folds. Reports the
# held-out AUC of each side's best model and their difference, the wall time of the full search
# (median of REPEATS) and the ratio, and the p50/p99 latency of single predict and explain (SHAP)
# requests on MedHub's best model.
#
#   tools/bench/ml-vs-sklearn.sh [REPEATS] [REQUESTS]      (defaults 3 and 500)
#
# Starts its own MedHub and Keycloak (./medhub up) on free ports with a throw-away data directory
# and stops them afterwards; demo data is not loaded. The Markdown report goes to stdout and to
# tools/bench/results/ (not committed); server logs stay in the data directory on failure.
# Data: a seeded synthetic cardiovascular table with missing values, and the breast-cancer table
# that ships inside python3-sklearn. ML_BENCH_DATA=cvd or =breast-cancer runs one of them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
repeats=${1:-3}
requests=${2:-500}
results=$ROOT/tools/bench/results

if ! /usr/bin/python3 -c 'import sklearn, numpy, pandas' 2>/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "install python3-sklearn python3-numpy python3-pandas (Debian packages)" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-numpy python3-pandas >/dev/null
fi

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

export MEDHUB_PORT=${MEDHUB_PORT:-$(free_port)}
export MEDHUB_KEYCLOAK_PORT=${MEDHUB_KEYCLOAK_PORT:-$(free_port)}
export MEDHUB_DATA_DIR
MEDHUB_DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/medhub-ml-bench.XXXXXX")
export MEDHUB_DEMO_DATA=false

stop() {
  local status=$?
  "$ROOT/medhub" down >/dev/null 2>&1 || true
  if [ "$status" -eq 0 ]; then rm -rf "$MEDHUB_DATA_DIR"; else echo "logs kept in $MEDHUB_DATA_DIR/logs" >&2; fi
}
trap stop EXIT

"$ROOT/medhub" up --detach >&2
mkdir -p "$results"
report=$results/ml-vs-sklearn-$(date -u +%Y%m%dT%H%M%SZ).md
/usr/bin/python3 "$ROOT/tools/bench/ml-vs-sklearn.py" --base "http://localhost:$MEDHUB_PORT" \
  --realm "http://localhost:$MEDHUB_KEYCLOAK_PORT/realms/medhub" --repeats "$repeats" --requests "$requests" \
  --data "${ML_BENCH_DATA:-cvd,breast-cancer}" | tee "$report"
{
  echo
  echo "Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load average at the end:" \
    "$(cut -d' ' -f1-3 /proc/loadavg); $(/usr/bin/python3 -c 'import sklearn; print("scikit-learn", sklearn.__version__)')," \
    "MedHub $(git -C "$ROOT" rev-parse --short HEAD). Command: tools/bench/ml-vs-sklearn.sh $repeats $requests"
} | tee -a "$report"
