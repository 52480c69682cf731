/* select_forest.c: fit, cross-validate and rank (see select.c for what and why). */
#define _POSIX_C_SOURCE 200809L
#include "select/select_forest.h"
#include "select/attributes_write.h"

#include "attributes.h"
#include "check.h"
#include "corpus_read.h"
#include "emogen_published.h"
#include "jsonconfig.h"
#include "jsym.h"
#include "rforest.h"
#include "rforest_cv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NV EMG_JSYM_NVALUES

typedef struct { double v; int i; } imp_idx;
static int by_importance(const void *a, const void *b) {
    const imp_idx *x = a, *y = b;
    if (x->v != y->v) return x->v > y->v ? -1 : 1;
    return x->i - y->i;  /* ties: the lower column first */
}
static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
typedef struct { const char *s; int64_t i; } str_idx;
static int by_str(const void *a, const void *b) {
    const str_idx *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->i < y->i ? -1 : 1);
}

/* metrics of one cross-validation as JSON */
static cJSON *cv_json(const int *y, const int *pred, int64_t n, int folds, const char *kind, double *acc_out) {
    int64_t cm[16];
    emg_cv_confusion(y, pred, n, 4, cm);
    double f1[4];
    emg_cv_f1(cm, 4, f1);
    double acc = emg_cv_accuracy(cm, 4);
    *acc_out = acc;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "folds", kind);
    cJSON_AddNumberToObject(o, "k", folds);
    cJSON_AddNumberToObject(o, "accuracy", acc);
    cJSON_AddNumberToObject(o, "macro_f1", emg_cv_macro_f1(cm, 4));
    cJSON *f = cJSON_AddObjectToObject(o, "f1");
    const char *q[4] = {"Q1", "Q2", "Q3", "Q4"};
    for (int c = 0; c < 4; c++) cJSON_AddNumberToObject(f, q[c], f1[c]);
    cJSON *m = cJSON_AddArrayToObject(o, "confusion");  /* rows: true quadrant, columns: predicted */
    for (int t = 0; t < 4; t++) {
        int row[4];
        for (int p = 0; p < 4; p++) row[p] = (int)cm[t * 4 + p];
        cJSON_AddItemToArray(m, cJSON_CreateIntArray(row, 4));
    }
    return o;
}

int select_by_forest(emg_ctx *ctx, const char *corpus_path, const char *out, const cJSON *cfg) {
    int top_k = (int)emg_cfg_int(cfg, "top_k"), buckets = (int)emg_cfg_int(cfg, "buckets");
    int folds = (int)emg_cfg_int(cfg, "folds"), compat = emg_cfg_bool(cfg, "emogen_compatible");
    char err[1024];
    emg_corpus c;
    if (emg_corpus_open(&c, corpus_path, err, sizeof err)) {
        if (ctx->rank == 0) fprintf(stderr, "emogen select: %s\n", err);
        return 1;
    }
    /* the labelled pieces with whole-piece features */
    int64_t n = 0, per_q[4] = {0};
    int64_t *rows = xmalloc((size_t)(c.n_pieces ? c.n_pieces : 1) * sizeof *rows);
    for (int64_t i = 0; i < c.n_pieces; i++)
        if (c.label[i] >= 0 && c.features_ok[i]) { rows[n++] = i; per_q[c.label[i]]++; }
    int present = 0;
    for (int q = 0; q < 4; q++) present += per_q[q] > 0;
    if (n == 0 || present < 2) {
        if (ctx->rank == 0)
            fprintf(stderr, "emogen select: %s has %s: a forest needs labelled pieces of at least two quadrants "
                    "(run extract with --labels)\n", corpus_path, n ? "labelled pieces of one quadrant only" : "no labelled pieces with features");
        free(rows);
        emg_corpus_close(&c);
        return 1;
    }
    if (ctx->rank == 0)
        for (int q = 0; q < 4; q++)
            if (!per_q[q]) emg_warn(ctx, "%s: no labelled piece in Q%d; the forest learns the other quadrants only", corpus_path, q + 1);
    double *X = xmalloc((size_t)n * NV * sizeof *X);
    emg_corpus_read_feature_rows(&c, "pieces/features", rows, n, X);
    int64_t nan_cells = 0;
    for (int64_t i = 0; i < n * NV; i++) {
        if (isnan(X[i])) nan_cells++;
        X[i] = compat ? emg_emogen_round(X[i]) : (isnan(X[i]) ? 0.0 : X[i]);  /* the forest takes no NaN */
    }
    int *y = xmalloc((size_t)n * sizeof *y);
    int64_t *group = xmalloc((size_t)n * sizeof *group);
    str_idx *gs = xmalloc((size_t)n * sizeof *gs);
    for (int64_t i = 0; i < n; i++) { y[i] = c.label[rows[i]]; gs[i] = (str_idx){c.group[rows[i]], i}; }
    qsort(gs, (size_t)n, sizeof *gs, by_str);  /* group ids: rank of the song id; "" = a group of its own */
    int64_t gid = -1;
    for (int64_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(gs[i].s, gs[i - 1].s) || !gs[i].s[0]) gid++;
        group[gs[i].i] = gid;
    }
    free(gs);

    emg_forest_opts fo;
    emg_forest_opts_default(&fo);
    fo.n_trees = (int)emg_cfg_int(cfg, "trees");
    fo.seed = (uint64_t)emg_cfg_int(cfg, "seed");
    int *fold = xmalloc((size_t)n * sizeof *fold), *pred = xmalloc((size_t)n * sizeof *pred);
    cJSON *cv = cJSON_CreateObject();
    double acc = 0, gacc = 0, cv_seconds = 0, t;
    int rc = 0;
    emg_status st = emg_cv_stratified_kfold(y, n, folds, 1, fo.seed, fold);
    if (!st.code) st = emg_cv_forest_predict(X, y, n, NV, 4, fold, folds, &fo, ctx->comm, pred, NULL, NULL, &t);
    if (!st.code) { cJSON_AddItemToObject(cv, "stratified", cv_json(y, pred, n, folds, "stratified", &acc)); cv_seconds += t; }
    if (!st.code) st = emg_cv_stratified_group_kfold(y, group, n, folds, 1, fo.seed, fold);
    if (!st.code) st = emg_cv_forest_predict(X, y, n, NV, 4, fold, folds, &fo, ctx->comm, pred, NULL, NULL, &t);
    if (!st.code) { cJSON_AddItemToObject(cv, "grouped", cv_json(y, pred, n, folds, "stratified, grouped by song", &gacc)); cv_seconds += t; }
    cJSON_AddNumberToObject(cv, "accuracy", acc);
    cJSON_AddNumberToObject(cv, "grouped_accuracy", gacc);
    cJSON_AddNumberToObject(cv, "labelled_pieces", (double)n);
    cJSON_AddNumberToObject(cv, "songs", (double)(gid + 1));
    emg_forest forest;
    memset(&forest, 0, sizeof forest);
    double t0 = MPI_Wtime();
    if (!st.code) st = emg_forest_fit(X, y, n, NV, 4, &fo, ctx->comm, &forest);
    double fit_seconds = MPI_Wtime() - t0;
    if (st.code) {
        if (ctx->rank == 0) fprintf(stderr, "emogen select: %s: %s\n", corpus_path, st.msg);
        rc = 1;
        cJSON_Delete(cv);
        goto done;
    }
    double *imp = xmalloc(NV * sizeof *imp);
    emg_forest_importances(&forest, imp);
    imp_idx *order = xmalloc(NV * sizeof *order);
    for (int v = 0; v < NV; v++) order[v] = (imp_idx){imp[v], v};
    qsort(order, NV, sizeof *order, by_importance);
    int nonzero = 0;
    for (int v = 0; v < NV; v++) nonzero += order[v].v > 0;
    /* thresholds at percentiles 100 j / buckets of the labelled (preprocessed) values */
    cJSON *attrs = cJSON_CreateArray();
    double *col = xmalloc((size_t)n * sizeof *col), th[16];
    int overlap = 0;
    for (int k = 0; k < top_k; k++) {
        int v = order[k].i;
        for (int64_t i = 0; i < n; i++) col[i] = X[i * NV + v];
        qsort(col, (size_t)n, sizeof *col, cmp_dbl);
        for (int j = 1; j < buckets; j++) th[j - 1] = emg_percentile_sorted(col, n, 100.0 * j / buckets);
        cJSON *it = cJSON_CreateObject();
        char name[96];
        emg_jsym_value_name(v, name, sizeof name);
        cJSON_AddStringToObject(it, "name", name);
        cJSON_AddNumberToObject(it, "index", v);
        cJSON_AddNumberToObject(it, "importance", order[k].v);
        cJSON_AddItemToObject(it, "thresholds", cJSON_CreateDoubleArray(th, buckets - 1));
        cJSON_AddItemToArray(attrs, it);
        for (int e = 0; e < EMG_EMOGEN_NATTR; e++) overlap += emg_emogen_feature_index[e] == v;
    }
    cJSON_AddNumberToObject(cv, "overlap_with_emogen", overlap);
    cJSON_AddNumberToObject(cv, "fit_seconds", fit_seconds);
    cJSON_AddNumberToObject(cv, "cv_fit_seconds", cv_seconds);
    cJSON_AddNumberToObject(cv, "nan_values_replaced", (double)nan_cells);
    cJSON_AddNumberToObject(cv, "features_with_importance", nonzero);
    if (ctx->rank == 0) {
        if (!ctx->quiet) {
            fprintf(stderr, "select: %lld labelled pieces (Q1 %lld, Q2 %lld, Q3 %lld, Q4 %lld) from %lld songs, %d trees on %d ranks\n",
                    (long long)n, (long long)per_q[0], (long long)per_q[1], (long long)per_q[2], (long long)per_q[3],
                    (long long)(gid + 1), fo.n_trees, ctx->size);
            fprintf(stderr, "  %d-fold accuracy: stratified %.3f, grouped by song %.3f\n", folds, acc, gacc);
            fprintf(stderr, "  kept the top %d of %d values with non-zero importance; %d of them are among EmoGen's 100\n",
                    top_k, nonzero, overlap);
            for (int k = 0; k < top_k && k < 5; k++) {
                char name[96];
                emg_jsym_value_name(order[k].i, name, sizeof name);
                fprintf(stderr, "    %d. %s (%.4f)\n", k + 1, name, order[k].v);
            }
            if (top_k > nonzero) emg_warn(ctx, "top_k %d > %d values with non-zero importance: the rest are ranked by column", top_k, nonzero);
        }
        cJSON *cfg_copy = cJSON_Duplicate(cfg, 1);
        if (ctx->json) {
            char *tx = cJSON_PrintUnformatted(cv);
            printf("{\"out\":\"%s\",\"cv\":%s}\n", out, tx);
            free(tx);
        }
        if (attributes_write(out, buckets, compat, "random_forest", corpus_path, attrs, cv, cfg_copy)) {
            fprintf(stderr, "emogen select: cannot write %s: %s\n", out, emg_errno_str());
            rc = 1;
        } else if (!ctx->quiet) {
            fprintf(stderr, "  -> %s\n", out);
        }
    } else {
        cJSON_Delete(attrs);
        cJSON_Delete(cv);
    }
    free(col);
    free(imp);
    free(order);
    emg_forest_free(&forest);
done:
    if (ctx->mpi) MPI_Bcast(&rc, 1, MPI_INT, 0, ctx->comm);
    free(rows); free(X); free(y); free(group); free(fold); free(pred);
    emg_corpus_close(&c);
    return rc;
}
