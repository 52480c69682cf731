#!/usr/bin/env bash
# bench_extract: pieces/s and MB/s of `emogen extract` over the whole of ../shared/data (labelled and
# unlabelled, about 5,000 files) at 1 and 2 ranks (one thread each), and the strong-scaling efficiency
# from 1 to 2 ranks (time1 / (2 * time2); the limit is 1.0). The store is built once with unpack first.
#   tests/bench/bench_extract.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}; E=$B/bin/emogen
SHARED=${EMOGEN_SHARED:-../shared}
[ -x "$E" ] || { echo "build first (jobs/setup.sh)"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OPENBLAS_NUM_THREADS=1
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$E" unpack --quiet --out "$T/midi.h5" "$SHARED/data/labelled" "$SHARED/data/unlabelled"
for np in 1 2; do
  mpirun -np $np --bind-to core "$E" extract --quiet --json --in "$T/midi.h5" --out "$T/c$np.h5" \
    --labels "$SHARED/data/labelled/labels.csv" > "$T/e$np.json"
done
jq -r '"pieces in: \(.pieces_in), written: \(.pieces), segments: \(.segments), tokens: \(.tokens), MIDI bytes: \(.bytes_in)"' "$T/e1.json"
for np in 1 2; do
  jq -r --arg np $np '"extract, \($np) rank(s): \(.seconds | . * 100 | round / 100) s, \(.pieces_per_s | round) pieces/s, \(.mb_per_s | . * 100 | round / 100) MB/s"' "$T/e$np.json"
done
t1=$(jq .seconds "$T/e1.json"); t2=$(jq .seconds "$T/e2.json")
awk -v a="$t1" -v b="$t2" 'BEGIN { printf "speed-up 1 -> 2 ranks: %.2fx; strong-scaling efficiency %.0f%% (goal >= 90%%)\n", a / b, 100 * a / (2 * b) }'
cmp -s <(h5dump "$T/c1.h5" | sed 1d | grep -v '"20[0-9][0-9]-') <(h5dump "$T/c2.h5" | sed 1d | grep -v '"20[0-9][0-9]-') \
  && echo "the 1- and 2-rank corpora are identical" || echo "WARNING: the 1- and 2-rank corpora differ"
