/* bench_rforest.c: the random forest (common/rforest.h) on EMOPIA's jSymbolic features, for the
 * comparison with scikit-learn in bench_rforest.sh.
 *
 *   bench_rforest [--csv FILE] [--trees N] [--reps R] [--seeds S] [--out DIR] [--fit-only]
 *   mpirun -n P bench_rforest ...      (trees spread over P ranks)
 *
 * Reads the feature CSV (default: shared/reference/jsymbolic/emopia_300.csv), applies EmoGen's
 * preprocessing (4 significant digits, NaN -> 0), builds two 5-fold assignments (stratified,
 * shuffled with seed 2022; stratified-grouped by song), and prints one JSON line each for:
 *   fit_all   the best of R fits of N trees on all rows (seconds);
 *   cv_strat  out-of-fold accuracy / macro F1 and summed fit seconds over the stratified folds,
 *             for S forest seeds 2022, 2023, ... (mean and sd over the seeds; the folds stay fixed);
 *   cv_group  the same over the song-grouped folds.
 * --out DIR writes X.f64 (rows x values, float64), y.i32, fold_strat.i32, fold_group.i32 and
 * meta.txt ("rows values") there, so that bench_rforest.py runs scikit-learn on the same matrix and
 * the same folds. --fit-only stops after fit_all (for profiling). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "context.h"
#include "rforest.h"
#include "rforest_cv.h"
#include "unit/test_rforest_data.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of this process: less disturbed than wall time when other jobs share the cores */
static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void write_bin(const char *dir, const char *name, const void *p, size_t bytes) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = CHECK_PTR(fopen(path, "wb"));
    CHECK_IO(fwrite(p, 1, bytes, f), bytes);
    CHECK_C(fclose(f));
}

/* out-of-fold accuracy over the given folds for forest seeds seed0, seed0 + 1, ... (the folds stay
 * the same): mean and standard deviation over the seeds, and the mean summed fit time of a CV */
static void run_cv(const emg_ctx *ctx, const char *name, const rf_table *t, const int *fold,
                   const emg_forest_opts *o0, int seeds) {
    int *pred = xmalloc((size_t)t->n * sizeof *pred);
    double acc_s = 0.0, acc_ss = 0.0, f1_s = 0.0, fit_s = 0.0, cv_s = 0.0, acc0 = 0.0, cpu0 = cpu_s();
    for (int k = 0; k < seeds; k++) {
        emg_forest_opts o = *o0;
        o.seed = o0->seed + (uint64_t)k;
        double fs = 0.0, t0 = now_s();
        emg_status st = emg_cv_forest_predict(t->X, t->y, t->n, t->F, 4, fold, 5, &o, ctx->comm, pred, NULL,
                                              NULL, &fs);
        cv_s += now_s() - t0;
        fit_s += fs;
        if (st.code) FAIL("cross-validation: %s", st.msg);
        int64_t cm[16];
        emg_cv_confusion(t->y, pred, t->n, 4, cm);
        double a = emg_cv_accuracy(cm, 4);
        if (k == 0) acc0 = a;
        acc_s += a;
        acc_ss += a * a;
        f1_s += emg_cv_macro_f1(cm, 4);
    }
    double cv_cpu = (cpu_s() - cpu0) / seeds;
    double mean = acc_s / seeds, var = acc_ss / seeds - mean * mean;
    if (ctx->rank == 0)
        printf("{\"impl\": \"emogen-c\", \"what\": \"%s\", \"ranks\": %d, \"rows\": %lld, \"values\": %d, "
               "\"trees\": %d, \"seeds\": %d, \"accuracy_first_seed\": %.4f, \"accuracy_mean\": %.4f, "
               "\"accuracy_sd\": %.4f, \"macro_f1_mean\": %.4f, \"fit_seconds\": %.4f, \"cv_seconds\": %.4f, "
               "\"cv_cpu_seconds_rank0\": %.4f}\n",
               name, ctx->size, (long long)t->n, t->F, o0->n_trees, seeds, acc0, mean, var > 0 ? sqrt(var) : 0.0,
               f1_s / seeds, fit_s / seeds, cv_s / seeds, cv_cpu);
    free(pred);
}

int main(int argc, char **argv) {
    emg_ctx ctx;
    emg_ctx_init(&ctx, &argc, &argv, 1);
    char csv[4096];
    const char *shared = getenv("EMOGEN_SHARED");
    if (shared && *shared) snprintf(csv, sizeof csv, "%s/reference/jsymbolic/emopia_300.csv", shared);
    else snprintf(csv, sizeof csv, "%s/../shared/reference/jsymbolic/emopia_300.csv", EMOGEN_SOURCE_DIR);
    const char *out = NULL;
    int reps = 3, fit_only = 0, seeds = 1;
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--csv") && i + 1 < argc) snprintf(csv, sizeof csv, "%s", argv[++i]);
        else if (!strcmp(argv[i], "--trees") && i + 1 < argc) o.n_trees = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--seeds") && i + 1 < argc) seeds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--fit-only")) fit_only = 1;
        else FAIL("usage: bench_rforest [--csv FILE] [--trees N] [--reps R] [--seeds S] [--out DIR] [--fit-only]");
    }
    rf_table t;
    if (rf_read_emopia_csv(csv, &t)) FAIL("cannot read the feature CSV %s", csv);
    for (int64_t i = 0; i < t.n * t.F; i++) t.X[i] = rf_emogen_value(t.X[i]);
    int *fs = xmalloc((size_t)t.n * sizeof *fs), *fg = xmalloc((size_t)t.n * sizeof *fg);
    emg_status st = emg_cv_stratified_kfold(t.y, t.n, 5, 1, 2022, fs);
    if (st.code) FAIL("%s", st.msg);
    st = emg_cv_stratified_group_kfold(t.y, t.song, t.n, 5, 1, 2022, fg);
    if (st.code) FAIL("%s", st.msg);
    if (out && ctx.rank == 0) {
        write_bin(out, "X.f64", t.X, (size_t)t.n * (size_t)t.F * sizeof *t.X);
        write_bin(out, "y.i32", t.y, (size_t)t.n * sizeof *t.y);
        write_bin(out, "fold_strat.i32", fs, (size_t)t.n * sizeof *fs);
        write_bin(out, "fold_group.i32", fg, (size_t)t.n * sizeof *fg);
        char meta[64];
        int len = snprintf(meta, sizeof meta, "%lld %d\n", (long long)t.n, t.F);
        write_bin(out, "meta.txt", meta, (size_t)len);
    }
    double best = 1e30, best_cpu = 1e30;
    for (int r = 0; r < reps; r++) {
        emg_forest f;
        double t0 = now_s(), c0 = cpu_s();
        st = emg_forest_fit(t.X, t.y, t.n, t.F, 4, &o, ctx.comm, &f);
        double dt = now_s() - t0, dc = cpu_s() - c0;
        if (st.code) FAIL("fit: %s", st.msg);
        if (dt < best) best = dt;
        if (dc < best_cpu) best_cpu = dc;
        int64_t nodes = f.tree_start[f.n_trees];
        emg_forest_free(&f);
        if (r == reps - 1 && ctx.rank == 0)
            printf("{\"impl\": \"emogen-c\", \"what\": \"fit_all\", \"ranks\": %d, \"rows\": %lld, \"values\": %d, "
                   "\"trees\": %d, \"nodes\": %lld, \"fit_seconds\": %.4f, \"fit_cpu_seconds_rank0\": %.4f}\n",
                   ctx.size, (long long)t.n, t.F, o.n_trees, (long long)nodes, best, best_cpu);
    }
    if (!fit_only) {
        run_cv(&ctx, "cv_strat", &t, fs, &o, seeds < 1 ? 1 : seeds);
        run_cv(&ctx, "cv_group", &t, fg, &o, seeds < 1 ? 1 : seeds);
    }
    free(fs);
    free(fg);
    rf_table_free(&t);
    emg_ctx_finalize(&ctx);
    return 0;
}
