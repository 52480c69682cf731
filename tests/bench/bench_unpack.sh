#!/usr/bin/env bash
# bench_unpack: compressed MB/s and members/s of `emogen unpack` over ../shared/data/archives at 1
# and 2 ranks, against Debian's `bsdtar -xf` of the same archives into a temporary folder (the peer),
# measured in the same run. Best of 3 runs each, page cache warm. 2 cores here: 2 ranks = 2 cores.
#   tests/bench/bench_unpack.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}; E=$B/bin/emogen
SHARED=${EMOGEN_SHARED:-../shared}; A=$SHARED/data/archives
[ -x "$E" ] || { echo "build first (jobs/setup.sh)"; exit 1; }
command -v bsdtar >/dev/null || { echo "needs bsdtar (apt-get install libarchive-tools)"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ls "$A"/*.* "$A"/jsbach_net_original_zips/*.zip | grep -v MANIFEST > "$T/list"
bytes=$(xargs stat -c %s < "$T/list" | paste -sd+ | bc)
best() { # best of 3 wall times of a command
  local b=999999
  for i in 1 2 3; do
    local t0=$(date +%s.%N); "$@" >/dev/null 2>&1; local t1=$(date +%s.%N)
    b=$(echo "$t1 - $t0 < $b" | bc -l | grep -q 1 && echo "$t1 - $t0" | bc -l || echo $b)
  done; echo $b
}
xargs cat < "$T/list" > /dev/null  # warm the page cache
tar_all() { rm -rf "$T/x"; mkdir "$T/x"; while read -r f; do bsdtar -xf "$f" -C "$T/x"; done < "$T/list"; }
t_bsd=$(best tar_all)
members=$(find "$T/x" -type f | wc -l)
t1=$(best "$E" unpack --quiet --out "$T/s.h5" --list "$T/list")
t2=$(best mpirun -np 2 "$E" unpack --quiet --out "$T/s2.h5" --list "$T/list")
seen=$(rm -f "$T/s.h5"; "$E" unpack --quiet --json --out "$T/s.h5" --list "$T/list" | jq .members_seen)
printf 'archives: %d files, %.1f MB compressed, %d members (emogen), %d files extracted (bsdtar)\n' \
  "$(wc -l < "$T/list")" "$(echo "$bytes/1000000" | bc -l)" "$seen" "$members"
for row in "bsdtar -xf (peer)|$t_bsd|1" "emogen unpack, 1 rank|$t1|1" "emogen unpack, 2 ranks|$t2|2"; do
  IFS='|' read -r name t r <<<"$row"
  printf '%-24s %7.3f s  %7.1f MB/s  %8.0f members/s\n' "$name" "$t" "$(echo "$bytes/1000000/$t" | bc -l)" "$(echo "$seen/$t" | bc -l)"
done
printf 'ratio emogen/bsdtar at 1 rank: %.2fx faster; at 2 ranks: %.2fx faster; 1->2 ranks speed-up %.2fx\n' \
  "$(echo "$t_bsd/$t1" | bc -l)" "$(echo "$t_bsd/$t2" | bc -l)" "$(echo "$t1/$t2" | bc -l)"
# inside the program (without process and MPI start-up, which dominate on a 10 MB corpus)
for np in 1 2; do
  rm -f "$T/s$np.h5"
  mpirun -np $np "$E" unpack --quiet --json --out "$T/s$np.h5" --list "$T/list" > "$T/j$np.json"
  jq -r --arg np $np '"in-process, \($np) rank(s): \(.seconds * 1000 | round) ms (read \(.phase_seconds.read_slowest_rank * 1000 | round) ms, merge \(.phase_seconds.merge * 1000 | round) ms, write \(.phase_seconds.write * 1000 | round) ms)"' "$T/j$np.json"
done
awk -v a="$(jq .seconds "$T/j1.json")" -v b="$(jq .seconds "$T/j2.json")" 'BEGIN { printf "in-process speed-up 1 -> 2 ranks: %.2fx\n", a / b }'
echo "(emogen also parses every member with the MIDI reader, MD5s it and writes one HDF5 store; bsdtar only extracts)"
