#!/usr/bin/env bash
# bench_midi_parse.sh: single-core parse throughput of emogen's MIDI reader over the unlabelled
# corpus, next to Debian's midicsv (an independent C SMF parser) over the same files, measured in
# the same run, printed as a ratio. Not a ctest test.
#
#   tests/bench/bench_midi_parse.sh [BUILD_DIR] [DATA_DIR]
#     BUILD_DIR  a configured and built tree (default: build); build it Release for real figures:
#                cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j
#     DATA_DIR   default $EMOGEN_SHARED/data/unlabelled (EMOGEN_SHARED defaults to ../shared)
#
# What is compared. emogen: bytes already in memory -> emg_score (notes paired, instruments,
# tempo map), best of 5 passes. midicsv: reads each file and writes its CSV to /dev/null, one
# process per file (how it is used), so its figure includes process start-up; a second midicsv
# figure over the 20 largest files, where start-up matters least, is printed too.
# Both run pinned to one CPU (taskset) when taskset exists.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
shared=${EMOGEN_SHARED:-$here/../shared}
data=${2:-$shared/data/unlabelled}
bench=$build/bench/bench_midi_parse
[[ -x $bench ]] || { echo "bench_midi_parse.sh: $bench not built (cmake --build $build)" >&2; exit 1; }
[[ -d $data ]] || { echo "bench_midi_parse.sh: no data at $data" >&2; exit 1; }
command -v midicsv >/dev/null || { echo "bench_midi_parse.sh: midicsv not installed (apt-get install midicsv)" >&2; exit 1; }
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$data" -type f \( -iname '*.mid' -o -iname '*.midi' \) | sort > "$list"
nfiles=$(wc -l < "$list")
bytes=$(xargs -d '\n' cat < "$list" | wc -c)
echo "files: $nfiles, $(awk -v b="$bytes" 'BEGIN{printf "%.2f MB", b/1e6}') in $data"
echo "build: $build ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2))"

echo "--- emogen (bytes -> emg_score, one core) ---"
out=$("${pin[@]}" "$bench" --passes 5 "$data")
echo "$out" | grep -v '^RESULT'
emg_s=$(echo "$out" | sed -n 's/^RESULT seconds=\([0-9.]*\).*/\1/p')
"${pin[@]}" "$bench" --passes 5 --events "$data" | grep -v '^RESULT'

echo "--- midicsv (one process per file, CSV to /dev/null, one core) ---"
t0=$(date +%s.%N)
while IFS= read -r f; do "${pin[@]}" midicsv "$f" > /dev/null 2>&1 || true; done < "$list"
t1=$(date +%s.%N)
mc_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", b-a}')
awk -v s="$mc_s" -v n="$nfiles" -v b="$bytes" 'BEGIN{printf "%.3f s -> %.2f MB/s, %.0f files/s\n", s, b/1e6/s, n/s}'

big=$(mktemp)
xargs -d '\n' ls -S < "$list" | awk 'NR <= 20' > "$big"
bigbytes=$(xargs -d '\n' cat < "$big" | wc -c)
t0=$(date +%s.%N)
while IFS= read -r f; do "${pin[@]}" midicsv "$f" > /dev/null 2>&1 || true; done < "$big"
t1=$(date +%s.%N)
mcb_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", b-a}')
embig=$("${pin[@]}" "$bench" --passes 5 $(tr '\n' ' ' < "$big") | sed -n 's/^RESULT seconds=\([0-9.]*\).*/\1/p')
rm -f "$big"
echo "--- 20 largest files ($(awk -v b="$bigbytes" 'BEGIN{printf "%.2f MB", b/1e6}')) ---"
awk -v s="$mcb_s" -v e="$embig" -v b="$bigbytes" 'BEGIN{printf "midicsv %.3f s (%.2f MB/s), emogen %.4f s (%.1f MB/s): emogen is %.0fx faster\n", s, b/1e6/s, e, b/1e6/e, s/e}'

echo "--- ratio, whole corpus ---"
awk -v m="$mc_s" -v e="$emg_s" -v b="$bytes" -v n="$nfiles" 'BEGIN{printf "emogen %.1f MB/s, %.0f files/s; midicsv %.2f MB/s, %.0f files/s: emogen is %.0fx faster\n", b/1e6/e, n/e, b/1e6/m, n/m, m/e}'
