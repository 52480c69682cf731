#!/usr/bin/env bash
# bench_model.sh: EmoGen model throughput on the CPU (tests/bench/bench_model.c).
#
#   tests/bench/bench_model.sh [BUILD_DIR] [--quick] [--torch]
#
# For each OpenBLAS kernel choice (OPENBLAS_CORETYPE=Haswell, as preset in this environment, and
# unset: OpenBLAS picks the AVX-512 kernel for this CPU) and 1 and 2 threads:
#   - the cblas_sgemm peak on the model's shapes, measured in the same run
#   - training tokens/s (forward + backward + Adam, dropout 0.1) for EmoGen's full configuration
#     and the reference's small one, at T = 512 (4 sequences) and T = 1280 (2 sequences), with the
#     matmul GFLOP/s as a fraction of that peak
#   - incremental generation tokens/s (batch 1 and 2, top-p sampling included) against the full
#     recomputation of a 1280-token prefix (what the original does for every token)
# and compares with the PyTorch 1.13 reference figures (one thread, this kind of machine): training
# full ~840 tokens/s, small ~11,000; incremental decoding full ~130 tokens/s, small ~1,350.
# --torch also runs shared/reference/model/bench_torch.py (T = 512, one thread) in the same run.
# --quick: T = 512 only, 1 thread, fewer steps. Runs take a few minutes; the machine's 2 cores are
# shared, so each figure is a median (and the best step / block is printed too).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$src/build
quick=0
torch=0
for a in "$@"; do
    case "$a" in
    --quick) quick=1 ;;
    --torch) torch=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) build=$a ;;
    esac
done
bin=$build/bench/bench_model
[ -x "$bin" ] || { echo "build first: cmake --build $build --target bench_model (Release for figures)" >&2; exit 1; }

threads_list="1 2"
train_cases="full:4:512 full:2:1280 small:4:512 small:2:1280"
steps=3
gen_steps=64
if [ $quick = 1 ]; then
    threads_list="1"
    train_cases="full:4:512 small:4:512"
    steps=2
    gen_steps=32
fi

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

run_env() {  # run_env CORETYPE THREADS cmd...
    local ct=$1 th=$2
    shift 2
    if [ "$ct" = "Haswell" ]; then
        env OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS="$th" "$@"
    else
        env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS="$th" "$@"
    fi
}

echo "# bench_model: $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ct in Haswell auto; do
    for th in $threads_list; do
        echo
        echo "## OPENBLAS_CORETYPE=$([ $ct = Haswell ] && echo Haswell || echo '(unset)') OPENBLAS_NUM_THREADS=$th"
        out=$(run_env $ct $th "$bin" peak)
        echo "$out"
        peak=$(echo "$out" | awk '/^peak_gflops/ {print $2}')
        kernel=$(echo "$out" | awk '/^peak_gflops/ {print $4}')
        for c in $train_cases; do
            IFS=: read -r cfg B T <<<"$c"
            out=$(run_env $ct $th "$bin" train "$cfg" "$B" "$T" $steps)
            echo "$out" | head -1
            echo "$out" | awk -v ct="$kernel" -v th="$th" -v cfg="$cfg" -v B="$B" -v T="$T" -v peak="$peak" \
                '/^train_tokens_per_s/ {ref = cfg == "full" ? 840 : 11000;
                 printf "train %-5s B %d T %4d | %-10s %d thr | %8.0f tokens/s | %5.2fx PyTorch (%d) | matmul %6.1f GFLOP/s = %3.0f%% of sgemm peak %.0f\n",
                        cfg, B, T, ct, th, $2, $2 / ref, ref, $4, 100 * $4 / peak, peak}' >>"$summary"
        done
        for g in full:1 full:2 small:1; do
            IFS=: read -r cfg B <<<"$g"
            out=$(run_env $ct $th "$bin" gen "$cfg" "$B" $gen_steps)
            echo "$out" | head -1
            echo "$out" | awk -v ct="$kernel" -v th="$th" -v cfg="$cfg" -v B="$B" \
                '/^gen_tokens_per_s/ {ref = cfg == "full" ? 130 : 1350;
                 printf "gen   %-5s B %d        | %-10s %d thr | %8.1f tokens/s | %5.2fx PyTorch (%d) | %.0fx full recomputation at 1280 (%.2f tokens/s)\n",
                        cfg, B, ct, th, $3, $3 / ref, ref, ($3 / B) / $5, $5}' >>"$summary"
        done
    done
done

if [ $torch = 1 ]; then
    py=/usr/bin/python3
    ref=$src/../shared/reference/model/bench_torch.py
    [ -n "${EMOGEN_SHARED:-}" ] && ref=$EMOGEN_SHARED/reference/model/bench_torch.py
    if [ -f "$ref" ] && $py -c 'import torch' 2>/dev/null; then
        for ct in Haswell auto; do
            spec='{"threads":1,"label":"same-run","configs":["full","small"],"T":[512],"B":4,"warmup":1,"steps":3,"attn_impl":"chunked","chunk":128,"gen_B":[1],"gen_reps":1,"gen_len":64}'
            echo
            echo "## PyTorch $($py -c 'import torch; print(torch.__version__)') (bench_torch.py worker), OPENBLAS_CORETYPE=$ct, 1 thread"
            run_env $ct 1 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 timeout 900 $py "$ref" --worker "$spec" 2>&1 >/dev/null |
                while read -r line; do
                    echo "$line" | cut -c1-300
                    echo "$line" | $py -c 'import json,sys
d = json.loads(sys.stdin.read())
if "T" in d: print("torch %-5s B %d T %4d | %-10s 1 thr | %8.0f tokens/s (training)" % (d["config"], d["B"], d["T"], sys.argv[1], d["tokens_per_s"]))
else: print("torch %-5s B %d        | %-10s 1 thr | %8.1f tokens/s (incremental decoding)" % (d["config"], d["B"], sys.argv[1], d["median_tokens_per_s"]))' "$ct" >>"$summary" 2>/dev/null || true
                done
        done
    else
        echo "(--torch: $ref or torch for $py not found; apt-get install python3-torch)"
    fi
fi

echo
echo "## summary (goals: training >= 1.5x PyTorch and >= 50% of the sgemm peak for the full configuration;"
echo "## incremental decoding >= 2x PyTorch and >= 20x the full recomputation)"
cat "$summary"
