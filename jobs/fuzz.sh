#!/usr/bin/env bash
# jobs/fuzz.sh [SECONDS]: build every tests/fuzz/fuzz_*.c with clang + libFuzzer + ASan + UBSan and
# run each for SECONDS (default 30), seeded from tests/data and, when present, ../shared/data.
# Exits non-zero if any target finds a crash (the reproducer is left in build-fuzz/).
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
CC=clang cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DEMOGEN_FUZZ=ON >/dev/null || exit 1
cmake --build build-fuzz -j2 2>&1 | grep -E 'error|warning' ; 
shared=${EMOGEN_SHARED:-../shared}
status=0
for src in tests/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  bin=build-fuzz/fuzz/$name
  [ -x "$bin" ] || { echo "fuzz: $name did not build"; status=1; continue; }
  corpus=build-fuzz/corpus_$name; mkdir -p "$corpus"
  seeds=()
  for d in tests/data/fuzz/$name tests/data/midi tests/data/remigen tests/data/corpus/labelled/emopia "$shared/data/malformed"; do
    [ -d "$d" ] && seeds+=("$(realpath "$d")")
  done
  echo "fuzz: $name for ${secs}s (seeds: ${seeds[*]:-none})"
  (cd build-fuzz && ASAN_OPTIONS=detect_leaks=1 "../$bin" -max_total_time="$secs" -rss_limit_mb=2048 \
     -timeout=10 -print_final_stats=1 "corpus_$name" "${seeds[@]}" 2>&1 | tail -15) || status=1
done
exit $status
