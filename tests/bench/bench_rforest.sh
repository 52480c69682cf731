#!/usr/bin/env bash
# bench_rforest.sh: our random forest (common/rforest.h) against scikit-learn 1.2's
# RandomForestClassifier(n_estimators=100, random_state=2022) on EMOPIA's 1,495 jSymbolic values,
# with EmoGen's preprocessing (4 significant digits, NaN -> 0): the same matrix, the same folds
# (written by the C program, read by Python), the same number of cores.
#   tests/bench/bench_rforest.sh [BUILD_DIR] [--ref300] [--seeds S]
# Data: all 1,078 EMOPIA clips through `BUILD_DIR/bin/emogen features --set all` when that works,
# else (or with --ref300) the 300-row reference CSV shared/reference/jsymbolic/emopia_300.csv.
# Figures: fit_all = best of 3 fits of 100 trees on all rows; cv_* = out-of-fold accuracy over
# 5 stratified folds (seed 2022) and over 5 song-grouped stratified folds, mean and sd over S forest
# seeds (default 5), and the summed fit time of one 5-fold run. Runs at 1 core (1 rank vs n_jobs=1)
# and at 2 (2 MPI ranks vs n_jobs=2). Goal: accuracy within 0.02 of scikit-learn, fit >= 2x faster.
# Installs Debian's python3-sklearn with apt-get if /usr/bin/python3 lacks it (tests never need it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$src/build
ref300=0
seeds=5
while [ $# -gt 0 ]; do
    case "$1" in
        --ref300) ref300=1 ;;
        --seeds) seeds=$2; shift ;;
        *) build=$1 ;;
    esac
    shift
done
shared=${EMOGEN_SHARED:-$src/../shared}
bin=$build/bench/bench_rforest
[ -x "$bin" ] || { echo "build first: cmake --build $build --target bench_rforest emogen" >&2; exit 1; }
[ -d "$shared/reference" ] || { echo "shared data not found at $shared (set EMOGEN_SHARED)" >&2; exit 77; }
py=/usr/bin/python3
if ! "$py" -c 'import sklearn' 2>/dev/null; then
    echo "== installing Debian's python3-sklearn (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-sklearn >/dev/null
fi
work=$(mktemp -d /tmp/emogen_bench_rforest.XXXXXX)
trap 'rm -rf "$work"' EXIT
csv=$shared/reference/jsymbolic/emopia_300.csv
if [ $ref300 = 0 ] && [ -x "$build/bin/emogen" ]; then
    ls "$shared"/data/labelled/emopia/*.mid | sort > "$work/list.txt"
    if "$build/bin/emogen" features --set all --list "$work/list.txt" > "$work/emopia_all.csv" 2> "$work/features.err" &&
       [ "$(wc -l < "$work/emopia_all.csv")" -gt 1000 ]; then
        csv=$work/emopia_all.csv
    else
        echo "note: emogen features --set all failed ($(head -c 200 "$work/features.err")); using the 300-row reference" >&2
    fi
fi
echo "== data: $csv ($(($(wc -l < "$csv") - 1)) rows)"
one() { if command -v taskset >/dev/null; then taskset -c 0 "$@"; else "$@"; fi; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
echo "== 1 core: emogen (1 rank) vs scikit-learn (n_jobs=1)"
one "$bin" --csv "$csv" --out "$work" --seeds "$seeds" | tee "$work/c1.json"
one "$py" "$here/bench_rforest.py" "$work" --jobs 1 --seeds "$seeds" | tee "$work/py1.json"
echo "== 2 cores: emogen (mpirun -n 2) vs scikit-learn (n_jobs=2)"
mpirun -n 2 "$bin" --csv "$csv" --seeds 1 | tee "$work/c2.json"
"$py" "$here/bench_rforest.py" "$work" --jobs 2 --seeds 1 | tee "$work/py2.json"
"$py" - "$work" <<'EOF'
import json, sys
d = sys.argv[1]
def load(name):
    return {r["what"]: r for r in map(json.loads, open(f"{d}/{name}.json"))}
for cores, c, p in ((1, load("c1"), load("py1")), (2, load("c2"), load("py2"))):
    print(f"== summary, {cores} core(s)")
    a, b = c["fit_all"], p["fit_all"]
    print(f"  fit 100 trees on {a['rows']} x {a['values']}: emogen {a['fit_seconds']:.3f} s, "
          f"sklearn {b['fit_seconds']:.3f} s, speed-up {b['fit_seconds'] / a['fit_seconds']:.1f}x")
    if cores == 1:
        print(f"  the same in CPU seconds: emogen {a['fit_cpu_seconds_rank0']:.3f}, sklearn "
              f"{b['fit_cpu_seconds']:.3f} ({b['fit_cpu_seconds'] / a['fit_cpu_seconds_rank0']:.1f}x)")
    for k in ("cv_strat", "cv_group"):
        a, b = c[k], p[k]
        print(f"  {k}: accuracy emogen {a['accuracy_mean']:.4f} +- {a['accuracy_sd']:.4f}, sklearn "
              f"{b['accuracy_mean']:.4f} +- {b['accuracy_sd']:.4f} ({a['seeds']} seeds; diff "
              f"{a['accuracy_mean'] - b['accuracy_mean']:+.4f}); 5-fold fits emogen {a['fit_seconds']:.2f} s, "
              f"sklearn {b['fit_seconds']:.2f} s ({b['fit_seconds'] / a['fit_seconds']:.1f}x)")
        if cores == 1:
            print(f"    CPU seconds of one 5-fold run: emogen {a['cv_cpu_seconds_rank0']:.2f}, sklearn "
                  f"{b['cv_cpu_seconds']:.2f} ({b['cv_cpu_seconds'] / a['cv_cpu_seconds_rank0']:.1f}x)")
EOF
