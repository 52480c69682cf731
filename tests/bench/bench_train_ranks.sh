#!/usr/bin/env bash
# bench_train_ranks: data-parallel training throughput at 1 and 2 ranks (one OpenBLAS thread each) on
# the sample corpus, small model (d 128, 4 layers, 8 heads, FFN 512), global batch 8, T <= 513.
# Prints tokens/s (from metrics.jsonl, updates 11..N) and the 1 -> 2 rank speed-up (goal >= 1.8x).
#   tests/bench/bench_train_ranks.sh [BUILD_DIR] [UPDATES]
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}; N=${2:-40}; E=$B/bin/emogen
[ -x "$E" ] || { echo "build first (jobs/setup.sh)"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
C=tests/data/corpus
"$E" unpack --quiet --out "$T/midi.h5" "$C/unlabelled/pop909_openmsx_blupi.tar.gz" "$C/labelled" 2>/dev/null
"$E" extract --quiet --in "$T/midi.h5" --out "$T/corpus.h5" --set max_tokens=512 </dev/null
"$E" select --emogen --out "$T/attrs.json" --quiet
for np in 1 2; do
  mpirun -np $np --bind-to core "$E" train --corpus "$T/corpus.h5" --attributes "$T/attrs.json" --out "$T/t$np" \
    --set model.d_model=128 --set model.layers=4 --set model.heads=8 --set model.ffn=512 --set batch_size=8 \
    --set max_len=513 --set max_steps=$N --set valid_every=100000 --set log_every=1 --quiet </dev/null
  jq -s --arg np $np '[.[] | select(.step != null and .step > 10 and .tokens_per_s != null)] |
    "\($np) rank(s): \(map(.tokens_per_s) | add / length | round) tokens/s, \(map(.ms_per_step) | add / length | round) ms/update"' \
    "$T/t$np/metrics.jsonl" -r
  jq -s '[.[] | select(.step != null and .step > 10 and .tokens_per_s != null)] | map(.tokens_per_s) | add / length' "$T/t$np/metrics.jsonl" > "$T/tps$np"
done
awk -v a="$(cat "$T/tps1")" -v b="$(cat "$T/tps2")" 'BEGIN { printf "speed-up 1 -> 2 ranks: %.2fx (goal >= 1.8x)\n", b / a }'
paste <(jq -r 'select(.loss) | .loss' "$T/t1/metrics.jsonl") <(jq -r 'select(.loss) | .loss' "$T/t2/metrics.jsonl") |
  awk '{d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d} END {printf "max loss difference 1 vs 2 ranks over %d updates: %g\n", NR, m}'
