#!/bin/bash
# Runs every libFuzzer target for SECONDS seconds, JOBS at a time.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS [JOBS] [TARGET...]
# The working corpus grows in BUILD_DIR/fuzz-corpus/<target> (seeded from
# tests/fuzz/corpus/<target>); crashes land in BUILD_DIR/fuzz-artifacts/<target>/,
# logs in BUILD_DIR/fuzz-logs/<target>.log. Copy a crashing input that is
# fixed into tests/fuzz/regressions/<target>/ so `make test` replays it.
set -u
build=$1; seconds=$2; jobs=2
shift 2
# JOBS is optional: a number there is JOBS, anything else the first TARGET.
case "${1:-}" in ''|*[!0-9]*) ;; *) jobs=$1; shift ;; esac
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-"yaml csv xlsx placeholders pandoc_json knuth_plass name_fit"}
status=0
run_one() {
  t=$1
  mkdir -p "$build/fuzz-corpus/$t" "$build/fuzz-artifacts/$t" "$build/fuzz-logs"
  ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t/" \
    "$build/fuzz-corpus/$t" "$here/corpus/$t" "$here/regressions/$t" \
    > "$build/fuzz-logs/$t.log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-logs/$t.log" | grep -o '[0-9]*$')
  echo "fuzz_$t: exit $rc, ${execs:-?} executions in ${seconds}s, $(ls "$build/fuzz-artifacts/$t" | wc -l) artifact(s)"
  return $rc
}
running=0
for t in $targets; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n 2>/dev/null || wait; running=$((running - 1)); fi
done
wait
for t in $targets; do
  [ -n "$(ls "$build/fuzz-artifacts/$t" 2>/dev/null)" ] && status=1
done
exit $status
