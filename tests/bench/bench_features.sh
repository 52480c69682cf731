#!/usr/bin/env bash
# bench_features.sh: median milliseconds per file of all 244 jSymbolic features (1,495 values),
# single core, on EMOPIA (labelled) and on the unlabelled corpus; the same for the 58 features of
# EmoGen's attributes (all 244 should cost well under twice those 58: shared intermediates are
# built once); and the share of time of each on-demand intermediate and each feature family, with
# the correlation of time with notes and with ticks. Peer: the real jSymbolic 2.2's medians
# (160 ms per EMOPIA clip, ~1 s per unlabelled file). Goal: under 0.3 ms per EMOPIA clip.
#   tests/bench/bench_features.sh [BUILD_DIR] [REPS]     (default: build, 3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
reps=${2:-3}
shared=${EMOGEN_SHARED:-$src/../shared}
bin=$build/bench/bench_features
[ -x "$bin" ] || { echo "build first: cmake --build $build --target bench_features" >&2; exit 1; }
[ -d "$shared/data" ] || { echo "shared data not found at $shared (set EMOGEN_SHARED)" >&2; exit 77; }
run1() { if command -v taskset >/dev/null; then taskset -c 0 "$@"; else "$@"; fi; }
echo "== EMOPIA (labelled/emopia), peer: jSymbolic 2.2 at 160 ms per clip"
run1 "$bin" --set all --profile --reps "$reps" --peer-ms 160 "$shared/data/labelled/emopia"
echo
echo "== unlabelled/, peer: jSymbolic 2.2 at 1000 ms per file"
run1 "$bin" --set all --profile --reps "$reps" --peer-ms 1000 "$shared/data/unlabelled"
