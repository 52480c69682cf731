#!/usr/bin/env bash
# bench_unpack: compressed MB/s and members/s of `emogen unpack` at 1 and 2 ranks against Debian's
# `bsdtar -xf` of the same archives into a temporary folder (the peer), measured in the same run,
# on two sets:
#   A. ../shared/data/archives: 58 archives, 10 MB (tar.gz/bz2/xz/zst, zip, 7z, 51 small zips);
#   B. "many archives": every MIDI file of ../shared/data/{unlabelled,labelled} in 4 distinct
#      copies (tests/bench/many_archives.py), dealt into 192 archives cycling through tar.gz, zip,
#      tar.bz2, tar.xz, tar.zst and 7z, built by this script with bsdtar (about 80 MB).
# Every run starts without a store (a rerun on the same --out is incremental and would do nothing)
# and after a sync, so no write-back of an earlier run's output lands in the timed one.
# Best of 3 wall times each, page cache warm. 1 rank = the plain `emogen` process (MPI singleton);
# 2 ranks = mpirun -np 2, one thread each (2 cores here). Wall times include MPI start-up; "in
# process" is emogen's own --json seconds (after MPI_Init, up to the committed store). Peak memory
# (max RSS of one rank) is printed too.
#   tests/bench/bench_unpack.sh [BUILD_DIR] [--quick]   (--quick: set A only)
set -euo pipefail
cd "$(dirname "$0")/../.."
B=build; QUICK=0
for a in "$@"; do case $a in --quick) QUICK=1 ;; *) B=$a ;; esac; done
E=$B/bin/emogen
SHARED=${EMOGEN_SHARED:-../shared}
[ -x "$E" ] || { echo "build first (jobs/setup.sh)"; exit 1; }
command -v bsdtar >/dev/null || { echo "needs bsdtar (apt-get install libarchive-tools)"; exit 1; }
command -v jq >/dev/null || { echo "needs jq"; exit 1; }
[ -d "$SHARED/data/archives" ] || { echo "SKIP: shared data not found at $SHARED"; exit 0; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OPENBLAS_NUM_THREADS=1
T=$(mktemp -d)
# outputs (bsdtar's extracted files, emogen's store) go to a RAM file system when there is one:
# on a disk file system that has seen many runs create and delete thousands of files, ext4's inode
# allocation alone made bsdtar 4x slower here; RAM is the same for both and measures the tools
O=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$T" "$O"' EXIT
now() { date +%s.%N; }

# best of 3: sets BEST_WALL, BEST_IN (emogen's own seconds, or 0), LAST_JSON
run3() {  # run3 KIND LIST [mpirun args...]
  local kind=$1 list=$2; shift 2
  BEST_WALL=999999; BEST_IN=999999
  for i in 1 2 3; do
    rm -rf "$O/x" "$O/s.h5"; mkdir "$O/x"
    sync  # no write-back of an earlier run's files in the timed one
    local t0 t1 sec=0
    t0=$(now)
    if [ "$kind" = bsdtar ]; then
      while read -r f; do bsdtar -xf "$f" -C "$O/x"; done < "$list"
    else
      "$@" "$E" unpack --quiet --json --out "$O/s.h5" --list "$list" > "$T/j.json"
    fi
    t1=$(now)
    [ "$kind" = bsdtar ] || { sec=$(jq .seconds "$T/j.json"); LAST_JSON=$(cat "$T/j.json"); }
    BEST_WALL=$(echo "if ($t1 - $t0 < $BEST_WALL) $t1 - $t0 else $BEST_WALL" | bc -l)
    BEST_IN=$(echo "if ($sec < $BEST_IN) $sec else $BEST_IN" | bc -l)
  done
}

bench_set() {  # bench_set NAME LIST
  local name=$1 list=$2
  local bytes; bytes=$(xargs stat -c %s < "$list" | paste -sd+ | bc)
  xargs cat < "$list" > /dev/null  # warm the page cache
  run3 bsdtar "$list"; local tb=$BEST_WALL
  local files; files=$(find "$O/x" -type f | wc -l)
  run3 emogen "$list"; local t1=$BEST_WALL i1=$BEST_IN j1=$LAST_JSON
  run3 emogen "$list" mpirun -np 2; local t2=$BEST_WALL i2=$BEST_IN j2=$LAST_JSON
  run3 emogen "$list" env EMOGEN_MPI_LOCAL_DEFAULTS=0; local o1=$BEST_WALL
  run3 emogen "$list" env EMOGEN_MPI_LOCAL_DEFAULTS=0 mpirun -np 2; local o2=$BEST_WALL
  local seen; seen=$(jq .members_seen <<<"$j1")
  [ "$(jq -c 'del(.seconds,.mb_per_s,.phase_seconds,.store.path)' <<<"$j1")" = \
    "$(jq -c 'del(.seconds,.mb_per_s,.phase_seconds,.store.path)' <<<"$j2")" ] || echo "WARNING: 1- and 2-rank summaries differ"
  echo
  printf '== %s: %d archives, %.1f MB compressed, %d members (emogen: %d accepted, %d duplicates, %d rejected), %d files extracted by bsdtar, %.1f MB of MIDI stored\n' \
    "$name" "$(wc -l < "$list")" "$(echo "$bytes/1000000" | bc -l)" "$seen" "$(jq .accepted <<<"$j1")" \
    "$(jq .duplicates <<<"$j1")" "$(jq '[.rejected[]] | add // 0' <<<"$j1")" "$files" "$(jq '.bytes_out/1e6' <<<"$j1")"
  row() { printf '%-44s %7.3f s  %7.1f MB/s  %8.0f members/s  %s\n' "$1" "$2" "$(echo "$bytes/1000000/$2" | bc -l)" \
    "$(echo "$seen/$2" | bc -l)" "$3"; }
  row "bsdtar -xf, one process per archive (peer)" "$tb" ""
  row "emogen unpack, 1 rank (wall)" "$t1" "$(printf '%.2fx bsdtar' "$(echo "$tb/$t1" | bc -l)")"
  row "emogen unpack, 2 ranks (wall)" "$t2" "$(printf '%.2fx bsdtar, %.2fx 1 rank' "$(echo "$tb/$t2" | bc -l)" "$(echo "$t1/$t2" | bc -l)")"
  row "emogen unpack, 1 rank (in process)" "$i1" ""
  row "emogen unpack, 2 ranks (in process)" "$i2" "$(printf '%.2fx 1 rank' "$(echo "$i1/$i2" | bc -l)")"
  row "  with fabric probing: 1 rank (wall)" "$o1" "$(printf '%.2fx bsdtar' "$(echo "$tb/$o1" | bc -l)")"
  row "  with fabric probing: 2 ranks (wall)" "$o2" "$(printf '%.2fx bsdtar, %.2fx 1 rank' "$(echo "$tb/$o2" | bc -l)" "$(echo "$o1/$o2" | bc -l)")"
  if [ -x /usr/bin/time ]; then
    rm -rf "$O/s.h5" "$O/x"
    /usr/bin/time -f %M -o "$T/rss" "$E" unpack --quiet --out "$O/s.h5" --list "$list"
    printf '  peak memory, 1 rank: %.0f MB resident for %.0f MB of MIDI stored (a rank keeps the bytes it accepted in memory up to memory_budget_bytes, default 2 GiB)\n' \
      "$(echo "$(cat "$T/rss")/1024" | bc -l)" "$(jq '.bytes_out/1e6' <<<"$j1")"
  fi
  jq -r '"  phases, 1 rank: read \(.phase_seconds.read_slowest_rank * 1000 | round) ms, merge \(.phase_seconds.merge * 1000 | round) ms, write \(.phase_seconds.write * 1000 | round) ms"' <<<"$j1"
  jq -r '"  phases, 2 ranks: read \(.phase_seconds.read_slowest_rank * 1000 | round) ms (rank 0 \(.phase_seconds.read_rank0 * 1000 | round)), merge \(.phase_seconds.merge * 1000 | round) ms, write \(.phase_seconds.write * 1000 | round) ms"' <<<"$j2"
}

A=$SHARED/data/archives
ls "$A"/*.* "$A"/jsbach_net_original_zips/*.zip | grep -v MANIFEST > "$T/listA"
bench_set "A: ../shared/data/archives" "$T/listA"
if [ "$QUICK" = 0 ]; then
  command -v python3 >/dev/null || { echo "set B needs python3"; exit 1; }
  mkdir -p "$T/many"
  python3 tests/bench/many_archives.py "$SHARED/data" "$T/many/d" 4 192 > /dev/null
  fmts=(tar.gz zip tar.bz2 tar.xz tar.zst 7z); i=0
  for g in "$T"/many/d/g*; do
    bsdtar -caf "$T/many/$(basename "$g").${fmts[$((i % 6))]}" -C "$g" .; i=$((i + 1))
  done
  rm -rf "$T/many/d"
  ls "$T"/many/g* > "$T/listB"
  bench_set "B: many archives" "$T/listB"
fi
echo
echo "(emogen also checks every member with the MIDI reader, MD5s it and writes one HDF5 store with fsync;"
echo " bsdtar only extracts. MPI start-up is in the wall times. When all ranks are on one node emogen asks"
echo " Open MPI for its shared-memory transport; the 'with fabric probing' rows turn that off"
echo " (EMOGEN_MPI_LOCAL_DEFAULTS=0): Open MPI then probes its psm/psm2 transports, ~0.2 s per start here.)"
