/* rforest_cv.c: stratified / grouped k-fold assignments, classification metrics and out-of-fold
 * prediction with the random forest. The fold algorithms follow scikit-learn 1.2's
 * model_selection/_split.py (StratifiedKFold._make_test_folds, GroupKFold._iter_test_indices,
 * StratifiedGroupKFold._iter_test_indices / _find_best_fold); see docs/random_forest.md. */
#define _POSIX_C_SOURCE 200809L
#include "rforest_cv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "rng.h"

/* Fisher-Yates with the Philox cursor of stream `stream` */
static void shuffle_ints(int *a, int64_t m, uint64_t seed, uint64_t stream) {
    emg_rng r = emg_rng_make(seed, stream);
    for (int64_t i = m - 1; i > 0; i--) {
        int64_t j = (int64_t)emg_rng_next_below(&r, (uint64_t)i + 1);
        int t = a[i]; a[i] = a[j]; a[j] = t;
    }
}

/* dense codes 0..K-1 for int labels, in order of first appearance; returns K */
static int encode_first_appearance(const int *y, int64_t n, int *code) {
    int K = 0, cap = 16;
    int *seen = xmalloc((size_t)cap * sizeof *seen);
    for (int64_t i = 0; i < n; i++) {
        int c = 0;
        while (c < K && seen[c] != y[i]) c++;  /* few classes: a linear look-up is fine */
        if (c == K) {
            if (K == cap) { cap *= 2; seen = xrealloc(seen, (size_t)cap * sizeof *seen); }
            seen[K++] = y[i];
        }
        code[i] = c;
    }
    free(seen);
    return K;
}

emg_status emg_cv_stratified_kfold(const int *y, int64_t n, int k, int shuffle, uint64_t seed, int *fold) {
    if (k < 2 || n < k)
        return emg_statusf(EMG_CV_BAD_ARG, "stratified k-fold: need 2 <= k <= n (k=%d, n=%lld)", k, (long long)n);
    int *code = xmalloc((size_t)n * sizeof *code);
    int K = encode_first_appearance(y, n, code);
    int64_t *count = xcalloc((size_t)K, sizeof *count);
    for (int64_t i = 0; i < n; i++) count[code[i]]++;
    int any_big = 0;
    for (int c = 0; c < K; c++) any_big |= count[c] >= k;
    if (!any_big) {
        free(code);
        free(count);
        return emg_statusf(EMG_CV_BAD_ARG, "stratified k-fold: k=%d exceeds the size of every class", k);
    }
    /* sklearn's allocation: fold i tests the labels at positions i, i+k, i+2k, ... of the sorted
     * (encoded) labels; alloc[c * k + i] = how many of class c that is */
    int64_t *alloc = xcalloc((size_t)K * (size_t)k, sizeof *alloc);
    int64_t pos = 0;
    for (int c = 0; c < K; c++)
        for (int64_t j = 0; j < count[c]; j++, pos++) alloc[(int64_t)c * k + pos % k]++;
    int *labels = xmalloc((size_t)n * sizeof *labels);
    for (int c = 0; c < K; c++) {
        int64_t m = 0;
        for (int i = 0; i < k; i++)
            for (int64_t j = 0; j < alloc[(int64_t)c * k + i]; j++) labels[m++] = i;
        if (shuffle) shuffle_ints(labels, m, seed, EMG_CV_STREAM_TAG | (uint64_t)c);
        m = 0;
        for (int64_t i = 0; i < n; i++)
            if (code[i] == c) fold[i] = labels[m++];
    }
    free(code);
    free(count);
    free(alloc);
    free(labels);
    return emg_ok();
}

/* dense group codes 0..G-1 in ascending group id (np.unique's order); returns G */
typedef struct { int64_t id, i; } id_pos;
static int cmp_id_pos(const void *a, const void *b) {
    const id_pos *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}
static int64_t encode_groups(const int64_t *group, int64_t n, int64_t *code) {
    id_pos *v = xmalloc((size_t)n * sizeof *v);
    for (int64_t i = 0; i < n; i++) v[i] = (id_pos){group[i], i};
    qsort(v, (size_t)n, sizeof *v, cmp_id_pos);
    int64_t G = 0;
    for (int64_t k = 0; k < n; k++) {
        if (k > 0 && v[k].id != v[k - 1].id) G++;
        code[v[k].i] = G;
    }
    free(v);
    return n ? G + 1 : 0;
}

typedef struct { int64_t size, g; } size_group;
static int cmp_size_desc(const void *a, const void *b) {
    const size_group *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return x->g < y->g ? -1 : x->g > y->g;
}

emg_status emg_cv_group_kfold(const int64_t *group, int64_t n, int k, int *fold) {
    if (k < 2 || n < 1) return emg_statusf(EMG_CV_BAD_ARG, "group k-fold: need k >= 2 and samples (k=%d)", k);
    int64_t *code = xmalloc((size_t)n * sizeof *code);
    int64_t G = encode_groups(group, n, code);
    if (G < k) {
        free(code);
        return emg_statusf(EMG_CV_BAD_ARG, "group k-fold: %lld groups for k=%d folds", (long long)G, k);
    }
    size_group *sg = xcalloc((size_t)G, sizeof *sg);
    for (int64_t g = 0; g < G; g++) sg[g].g = g;
    for (int64_t i = 0; i < n; i++) sg[code[i]].size++;
    qsort(sg, (size_t)G, sizeof *sg, cmp_size_desc);
    int64_t *load = xcalloc((size_t)k, sizeof *load);
    int *gfold = xmalloc((size_t)G * sizeof *gfold);
    for (int64_t j = 0; j < G; j++) {
        int best = 0;
        for (int i = 1; i < k; i++)
            if (load[i] < load[best]) best = i;
        load[best] += sg[j].size;
        gfold[sg[j].g] = best;
    }
    for (int64_t i = 0; i < n; i++) fold[i] = gfold[code[i]];
    free(code);
    free(sg);
    free(load);
    free(gfold);
    return emg_ok();
}

/* population standard deviation (numpy's default ddof=0) of v[0], v[stride], ... (m values) */
static double std_strided(const double *v, int64_t m, int64_t stride) {
    double mean = 0.0, ss = 0.0;
    for (int64_t i = 0; i < m; i++) mean += v[i * stride];
    mean /= (double)m;
    for (int64_t i = 0; i < m; i++) { double d = v[i * stride] - mean; ss += d * d; }
    return sqrt(ss / (double)m);
}

typedef struct { double key; int64_t order; int64_t g; } std_order;
static int cmp_std_desc(const void *a, const void *b) {
    const std_order *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order; /* stable: keep the (shuffled) order */
}

emg_status emg_cv_stratified_group_kfold(const int *y, const int64_t *group, int64_t n, int k, int shuffle,
                                         uint64_t seed, int *fold) {
    if (k < 2 || n < 1)
        return emg_statusf(EMG_CV_BAD_ARG, "stratified group k-fold: need k >= 2 and samples (k=%d)", k);
    int *ycode = xmalloc((size_t)n * sizeof *ycode);
    int K = encode_first_appearance(y, n, ycode);
    int64_t *gcode = xmalloc((size_t)n * sizeof *gcode);
    int64_t G = encode_groups(group, n, gcode);
    double *ycnt = xcalloc((size_t)K, sizeof *ycnt);
    for (int64_t i = 0; i < n; i++) ycnt[ycode[i]] += 1.0;
    int any_big = 0;
    for (int c = 0; c < K; c++) any_big |= ycnt[c] >= k;
    if (G < k || !any_big) {
        free(ycode); free(gcode); free(ycnt);
        return emg_statusf(EMG_CV_BAD_ARG, "stratified group k-fold: %lld groups, k=%d%s", (long long)G, k,
                           any_big ? "" : ", and k exceeds the size of every class");
    }
    double *gy = xcalloc((size_t)G * (size_t)K, sizeof *gy); /* class counts per group */
    for (int64_t i = 0; i < n; i++) gy[gcode[i] * K + ycode[i]] += 1.0;
    int *perm = xmalloc((size_t)G * sizeof *perm);
    for (int64_t g = 0; g < G; g++) perm[g] = (int)g;
    if (shuffle) shuffle_ints(perm, G, seed, EMG_CV_STREAM_TAG | UINT64_C(0x00ffffffffffff));
    std_order *ord = xmalloc((size_t)G * sizeof *ord);
    for (int64_t j = 0; j < G; j++) ord[j] = (std_order){std_strided(gy + (int64_t)perm[j] * K, K, 1), j, perm[j]};
    qsort(ord, (size_t)G, sizeof *ord, cmp_std_desc);
    double *fy = xcalloc((size_t)k * (size_t)K, sizeof *fy);   /* class counts per fold */
    double *share = xmalloc((size_t)k * (size_t)K * sizeof *share);
    int *gfold = xmalloc((size_t)G * sizeof *gfold);
    for (int64_t j = 0; j < G; j++) {
        const double *add = gy + ord[j].g * K;
        int best = -1;
        double min_eval = INFINITY, min_size = INFINITY;
        for (int i = 0; i < k; i++) {
            /* the class shares per fold if the group went to fold i */
            for (int f = 0; f < k; f++)
                for (int c = 0; c < K; c++)
                    share[f * K + c] = (fy[f * K + c] + (f == i ? add[c] : 0.0)) / ycnt[c];
            double eval = 0.0;
            for (int c = 0; c < K; c++) eval += std_strided(share + c, k, K);
            eval /= K;
            double size = 0.0;
            for (int c = 0; c < K; c++) size += fy[i * K + c];
            int close = fabs(eval - min_eval) <= 1e-8 + 1e-5 * fabs(min_eval); /* np.isclose */
            if (eval < min_eval || (close && size < min_size)) {
                min_eval = eval;
                min_size = size;
                best = i;
            }
        }
        for (int c = 0; c < K; c++) fy[best * K + c] += add[c];
        gfold[ord[j].g] = best;
    }
    for (int64_t i = 0; i < n; i++) fold[i] = gfold[gcode[i]];
    free(ycode); free(gcode); free(ycnt); free(gy); free(perm); free(ord); free(fy); free(share); free(gfold);
    return emg_ok();
}

void emg_cv_confusion(const int *y_true, const int *y_pred, int64_t n, int C, int64_t *cm) {
    memset(cm, 0, (size_t)C * (size_t)C * sizeof *cm);
    for (int64_t i = 0; i < n; i++)
        if (y_true[i] >= 0 && y_true[i] < C && y_pred[i] >= 0 && y_pred[i] < C)
            cm[(int64_t)y_true[i] * C + y_pred[i]]++;
}

double emg_cv_accuracy(const int64_t *cm, int C) {
    int64_t tr = 0, all = 0;
    for (int t = 0; t < C; t++)
        for (int p = 0; p < C; p++) {
            all += cm[t * C + p];
            if (t == p) tr += cm[t * C + p];
        }
    return all ? (double)tr / (double)all : 0.0;
}

void emg_cv_f1(const int64_t *cm, int C, double *f1) {
    for (int c = 0; c < C; c++) {
        int64_t tp = cm[c * C + c], fp = 0, fn = 0;
        for (int o = 0; o < C; o++) {
            if (o == c) continue;
            fp += cm[o * C + c];
            fn += cm[c * C + o];
        }
        int64_t den = 2 * tp + fp + fn;
        f1[c] = den ? 2.0 * (double)tp / (double)den : 0.0;
    }
}

double emg_cv_macro_f1(const int64_t *cm, int C) {
    double *f1 = xmalloc((size_t)C * sizeof *f1), s = 0.0;
    emg_cv_f1(cm, C, f1);
    for (int c = 0; c < C; c++) s += f1[c];
    free(f1);
    return C ? s / C : 0.0;
}

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

emg_status emg_cv_forest_predict(const double *X, const int *y, int64_t n, int F, int C, const int *fold,
                                 int k, const emg_forest_opts *o, MPI_Comm comm, int *pred, double *proba,
                                 double *importances, double *fit_seconds) {
    if (k < 1 || n < 1 || F < 1 || C < 1)
        return emg_statusf(EMG_CV_BAD_ARG, "cross-validation: bad sizes (k=%d n=%lld F=%d C=%d)", k,
                           (long long)n, F, C);
    for (int64_t i = 0; i < n; i++)
        if (fold[i] < 0 || fold[i] >= k)
            return emg_statusf(EMG_CV_BAD_ARG, "fold[%lld] = %d is outside [0, %d)", (long long)i, fold[i], k);
    double *Xtr = xmalloc((size_t)n * (size_t)F * sizeof *Xtr), *Xte = xmalloc((size_t)n * (size_t)F * sizeof *Xte);
    int *ytr = xmalloc((size_t)n * sizeof *ytr);
    double *pr = xmalloc((size_t)n * (size_t)C * sizeof *pr), *imp = xmalloc((size_t)F * sizeof *imp);
    if (importances) memset(importances, 0, (size_t)F * sizeof *importances);
    if (fit_seconds) *fit_seconds = 0.0;
    emg_status st = emg_ok();
    for (int s = 0; s < k && !st.code; s++) {
        int64_t ntr = 0, nte = 0;
        for (int64_t i = 0; i < n; i++) {
            if (fold[i] == s) memcpy(Xte + nte++ * F, X + i * F, (size_t)F * sizeof *X);
            else { memcpy(Xtr + ntr * F, X + i * F, (size_t)F * sizeof *X); ytr[ntr++] = y[i]; }
        }
        if (nte == 0) continue;
        if (ntr == 0) { st = emg_statusf(EMG_CV_BAD_ARG, "split %d has no training samples", s); break; }
        emg_forest forest;
        double t0 = wall_seconds();
        st = emg_forest_fit(Xtr, ytr, ntr, F, C, o, comm, &forest);
        if (fit_seconds) *fit_seconds += wall_seconds() - t0;
        if (st.code) break;
        st = emg_forest_predict_proba(&forest, Xte, nte, pr);
        if (!st.code) {
            if (importances) {
                emg_forest_importances(&forest, imp);
                for (int j = 0; j < F; j++) importances[j] += imp[j] / k;
            }
            int64_t q = 0;
            for (int64_t i = 0; i < n; i++) {
                if (fold[i] != s) continue;
                const double *p = pr + q * C;
                int best = 0;
                for (int c = 1; c < C; c++)
                    if (p[c] > p[best]) best = c;
                pred[i] = best;
                if (proba) memcpy(proba + i * C, p, (size_t)C * sizeof *p);
                q++;
            }
        }
        emg_forest_free(&forest);
    }
    free(Xtr); free(Xte); free(ytr); free(pr); free(imp);
    return st;
}
