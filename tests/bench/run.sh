#!/bin/sh
# make bench: how coursepack build scales (issue 5). Not a test: it prints
# numbers. For each scale (1x, 10x, 100x the county by default) it writes a
# synthetic project with tests/gen/make_data.py and times, with
# /usr/bin/time:
#
#   cold        build into an empty out/ (Pandoc cache empty too)
#   no-op       the same build again: nothing changed
#   one-change  one participant renamed in one municipality file
#   check       coursepack check (validation only)
#
# reporting wall time, CPU time (user + system, the build's and Pandoc's;
# steadier than wall time on a loaded machine), peak resident memory and the
# size of out/.
#
# Environment: COURSEPACK (binary; default build/src/app/coursepack),
# BENCH_SCALES ("1 10 100"), BENCH_JOBS (--jobs; default: the number of
# cores), TMPDIR (where the data sets go; default /tmp).
set -eu

REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${COURSEPACK:-$REPO/build/src/app/coursepack}
SCALES=${BENCH_SCALES:-"1 10 100"}
JOBS=${BENCH_JOBS:-$(nproc)}
WORK=${TMPDIR:-/tmp}/coursepack-bench
TIME=/usr/bin/time

[ -x "$BIN" ] || { echo "bench: no coursepack binary at $BIN (run make build, or set COURSEPACK)" >&2; exit 3; }
[ -x "$TIME" ] || { echo "bench: needs GNU time at $TIME (apt-get install time)" >&2; exit 3; }
mkdir -p "$WORK"
RESULTS="$WORK/results.txt"
: > "$RESULTS"

# timed NAME CMD...: runs CMD under GNU time; prints "wall_s cpu_s peak_mb"
# and fails the bench if CMD fails. Output of CMD goes to $WORK/NAME.log.
timed() {
  name=$1
  shift
  if ! "$TIME" -f "%e %U %S %M" -o "$WORK/$name.t" "$@" > "$WORK/$name.log" 2>&1; then
    echo "bench: '$*' failed; see $WORK/$name.log" >&2
    tail -5 "$WORK/$name.log" >&2
    exit 1
  fi
  awk '{ printf "%.2f %.2f %.0f", $1, $2 + $3, $4 / 1024 }' "$WORK/$name.t"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo "binary:  $BIN (--jobs $JOBS)"
echo

for scale in $SCALES; do
  data="$WORK/scale-$scale"
  out="$data/out"
  rm -rf "$data"
  python3 "$REPO/tests/gen/make_data.py" --scale "$scale" --out "$data" 2> /dev/null

  set -- $(timed "cold-$scale" "$BIN" build --root "$data" --out "$out" --jobs "$JOBS")
  cold_s=$1 cold_cpu=$2 cold_mb=$3
  size=$(du -sh --exclude=.cache "$out" | cut -f1)
  packs=$(find "$out" -name manifest.json | wc -l)
  people=$(find "$out" -name manifest.json -exec sed -n 's/^ *"registered": \([0-9]*\).*/\1/p' {} + |
           awk '{ n += $1 } END { print n + 0 }')

  set -- $(timed "noop-$scale" "$BIN" build --root "$data" --out "$out" --jobs "$JOBS")
  noop_s=$1 noop_cpu=$2 noop_mb=$3
  grep -q "^0 built" "$WORK/noop-$scale.log" || { echo "bench: the no-op build built something" >&2; exit 1; }

  # The first participant in the first CSV file gets a new name. (A CSV, not
  # an inline list: the municipality file is an input of all its visits.)
  csv=$(ls "$data/materials/participants" | head -1)
  sed -i '2s/^"/"Bench /' "$data/materials/participants/$csv"
  set -- $(timed "one-$scale" "$BIN" build --root "$data" --out "$out" --jobs "$JOBS")
  one_s=$1 one_cpu=$2 one_mb=$3
  grep -q "^1 built" "$WORK/one-$scale.log" || { echo "bench: the one-change build did not build exactly one pack" >&2; exit 1; }

  set -- $(timed "check-$scale" "$BIN" check --root "$data")
  check_s=$1 check_cpu=$2 check_mb=$3

  echo "$scale $((26 * scale)) $packs $people $cold_s $cold_cpu $cold_mb $noop_s $noop_cpu $noop_mb" \
       "$one_s $one_cpu $one_mb $check_s $check_cpu $check_mb $size $(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)" >> "$RESULTS"
  echo "scale ${scale}x done: cold $cold_s s, no-op $noop_s s, one-change $one_s s, check $check_s s" >&2
done

echo
echo "each cell: wall s / CPU s / peak MB"
printf '%-5s %6s %6s %7s | %-19s | %-19s | %-19s | %-19s | %6s | %s\n' \
  scale visits packs people "cold build" "no-op build" "one-change build" "check" "out/" "load avg"
awk '{ printf "%-5s %6s %6s %7s | %-19s | %-19s | %-19s | %-19s | %6s | %s\n",
       $1 "x", $2, $3, $4, $5 " / " $6 " / " $7, $8 " / " $9 " / " $10, $11 " / " $12 " / " $13,
       $14 " / " $15 " / " $16, $17, $18 }' "$RESULTS"
echo
echo "(from /usr/bin/time; CPU = user + system; out/ without the Pandoc cache; load avg after"
echo " the scale's runs: other work on the machine inflates wall times; logs in $WORK)"
