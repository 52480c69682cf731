#!/usr/bin/env bash
# bench_features.sh: median milliseconds per file of the 58 jSymbolic features behind EmoGen's
# attributes, single core, on EMOPIA (labelled) and on the unlabelled corpus, against the real
# jSymbolic 2.2's medians (160 ms per EMOPIA clip, ~1 s per unlabelled file; goal: 500x faster).
#   tests/bench/bench_features.sh [BUILD_DIR]      (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
shared=${EMOGEN_SHARED:-$src/../shared}
bin=$build/bench/bench_features
[ -x "$bin" ] || { echo "build first: cmake --build $build --target bench_features" >&2; exit 1; }
[ -d "$shared/data" ] || { echo "shared data not found at $shared (set EMOGEN_SHARED)" >&2; exit 77; }
run1() { if command -v taskset >/dev/null; then taskset -c 0 "$@"; else "$@"; fi; }
echo "== EMOPIA (labelled/emopia), peer: jSymbolic 2.2 at 160 ms per clip"
run1 "$bin" --peer-ms 160 "$shared/data/labelled/emopia"
echo "== unlabelled/, peer: jSymbolic 2.2 at 1000 ms per file"
run1 "$bin" --peer-ms 1000 "$shared/data/unlabelled"
