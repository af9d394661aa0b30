#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers an outsider reaches (Jazzer's JUnit @FuzzTest targets).
# Every `mvn verify` runs the targets on their seeds only (regression mode, fast); this script fuzzes
# each target for real for the given time (JAZZER_FUZZ=1), one JVM per target with a small heap, so
# that an input needing more memory than it justifies is a finding. A crasher is written next to the
# seeds (src/test/resources/.../<Class>Inputs/) and from then on runs as a regression test.
#
# Usage: tools/fuzz.sh [--duration SECONDS] [--heap SIZE] [TARGET...]   (default: every target, 300 s each)
#        tools/fuzz.sh --list
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

# One line per target: name, Maven module, test class#method.
TARGETS='
multipart  dicomweb-server  org.medhub.dicomweb.stow.MultipartReaderFuzzTest#request
stow-part  dicomweb-server  org.medhub.dicomweb.dicom.StowPartParseFuzzTest#part
qido       dicomweb-server  org.medhub.dicomweb.qido.QidoQueryFuzzTest#request
cds-call   cds-hooks        org.medhub.cdshooks.hooks.HookRequestFuzzTest#serviceRequest
cds-feedback cds-hooks      org.medhub.cdshooks.hooks.HookRequestFuzzTest#feedbackRequest
'

duration=300
heap=512m
selected=()
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=${2:?--duration needs seconds}; shift 2 ;;
    --heap) heap=${2:?--heap needs a size such as 512m}; shift 2 ;;
    --list) echo "$TARGETS" | awk 'NF { printf "%-10s %-16s %s\n", $1, $2, $3 }'; exit 0 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) selected+=("$1"); shift ;;
  esac
done
case $duration in ''|*[!0-9]*) echo "--duration must be whole seconds, got '$duration'" >&2; exit 2 ;; esac

if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$candidate/bin/java" ] && export JAVA_HOME=$candidate && break
  done
fi

run_target() { # name module test
  echo "== fuzzing $1 ($3) for ${duration}s, heap $heap"
  # jazzer.internal.arg.0 is libFuzzer's argv[0]; later flags win over the @FuzzTest's maxDuration.
  (cd "$ROOT" && JAZZER_FUZZ=1 ./mvnw -o -B -q -pl "$2" -am test \
      -Dtest="$3" -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false \
      -DargLine="-Xmx$heap -Xss1m" \
      -Djazzer.internal.arg.0=fuzz \
      -Djazzer.internal.arg.1=-max_total_time="$duration" \
      -Djazzer.internal.arg.2=-timeout=20 \
      -Djazzer.internal.arg.3=-print_final_stats=1)
}

status=0
found=0
while read -r name module test; do
  [ -n "$name" ] || continue
  if [ ${#selected[@]} -gt 0 ] && ! printf '%s\n' "${selected[@]}" | grep -qx -e "$name" -e "$test"; then
    continue
  fi
  found=$((found + 1))
  run_target "$name" "$module" "$test" || { echo "== $name: finding (see above; crasher saved beside the seeds)"; status=1; }
done <<< "$TARGETS"
[ $found -gt 0 ] || { echo "no such target: ${selected[*]} (see --list)" >&2; exit 2; }
exit $status
