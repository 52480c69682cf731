#!/usr/bin/env bash
# bench_tokenize.sh: MIDI parse and parse + REMIGEN2 tokenize throughput on one core, against
# Debian's midicsv (an independent C MIDI parser that prints every event as CSV) on the same files,
# measured in the same run.
#
#   tests/bench/bench_tokenize.sh [BUILD_DIR] [MIDI_DIR]
#     BUILD_DIR  a Release build (default: build):
#                cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --target bench_tokenize emogen
#     MIDI_DIR   default: $EMOGEN_SHARED/data/unlabelled (3,808 files, 54 MB)
#
# Three figures:
#   1. bench_tokenize: files preloaded in memory, best of 3 passes: parse only, parse + tokenize;
#   2. `emogen tokenize --list` end to end (reads each file, writes one .txt per file);
#   3. midicsv, one process per file (it takes one file per call), output to /dev/null.
# Ratios: in-memory parse + tokenize vs midicsv, and end-to-end `emogen tokenize` vs midicsv.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build}
DATA=${2:-${EMOGEN_SHARED:-$SRC/../shared}/data/unlabelled}
BIN=$BUILD/bench/bench_tokenize
EMOGEN=$BUILD/bin/emogen
for x in "$BIN" "$EMOGEN"; do
  [ -x "$x" ] || { echo "missing $x: cmake -S $SRC -B $BUILD -DCMAKE_BUILD_TYPE=Release && cmake --build $BUILD --target bench_tokenize emogen"; exit 2; }
done
command -v midicsv >/dev/null || { echo "needs Debian's midicsv (apt-get install midicsv)"; exit 2; }
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"   # one core for everything

T=$(mktemp -d /tmp/bench_tokenize.XXXXXX)
trap 'rm -rf "$T"' EXIT
find "$DATA" -type f \( -iname '*.mid' -o -iname '*.midi' \) | LC_ALL=C sort > "$T/list"
nfiles=$(wc -l < "$T/list")
bytes=$(tr '\n' '\0' < "$T/list" | xargs -0 cat | wc -c)
echo "== $nfiles files, $bytes bytes under $DATA (page cache warmed by this count)"

echo "== 1. emogen parser + REMIGEN2 tokenizer, in memory, one core"
$PIN "$BIN" --list "$T/list" | tee "$T/bench.out"
res=$(grep '^RESULT' "$T/bench.out")
parse_s=$(echo "$res" | sed 's/.*parse_s=\([0-9.]*\).*/\1/')
both_s=$(echo "$res" | sed 's/.*both_s=\([0-9.]*\).*/\1/')

echo "== 2. emogen tokenize --list (end to end: read files, write one .txt each), one core"
t0=$(date +%s.%N)
$PIN "$EMOGEN" tokenize -q -o "$T/tokens" --tree "$DATA" --list "$T/list" || echo "(some files rejected)"
t1=$(date +%s.%N)
e2e_s=$(echo "$t1 - $t0" | bc -l)
printf "emogen tokenize:   %8.3f s  %8.1f MB/s  %9.0f files/s\n" "$e2e_s" "$(echo "$bytes / $e2e_s / 1000000" | bc -l)" \
  "$(echo "$nfiles / $e2e_s" | bc -l)"

echo "== 3. midicsv (Debian), one process per file, CSV to /dev/null, one core"
t0=$(date +%s.%N)
tr '\n' '\0' < "$T/list" | $PIN xargs -0 -n 1 midicsv > /dev/null || echo "(some midicsv calls failed)"
t1=$(date +%s.%N)
csv_s=$(echo "$t1 - $t0" | bc -l)
printf "midicsv:           %8.3f s  %8.1f MB/s  %9.0f files/s\n" "$csv_s" "$(echo "$bytes / $csv_s / 1000000" | bc -l)" \
  "$(echo "$nfiles / $csv_s" | bc -l)"

echo "== ratios (higher = emogen faster)"
printf "parse only (in memory)       vs midicsv: %6.1fx\n" "$(echo "$csv_s / $parse_s" | bc -l)"
printf "parse + tokenize (in memory) vs midicsv: %6.1fx\n" "$(echo "$csv_s / $both_s" | bc -l)"
printf "emogen tokenize (end to end) vs midicsv: %6.1fx\n" "$(echo "$csv_s / $e2e_s" | bc -l)"
