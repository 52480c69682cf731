/* test_rforest_cv.c: fold assignments and metrics (common/rforest_cv.h).
 *
 *  - stratified k-fold: sklearn's round-robin allocation worked out by hand (23 samples, classes of
 *    10, 8 and 5 labelled 7, 3, 9 in order of first appearance), the unshuffled block layout, and
 *    with shuffling the same per-class counts, a different layout, determinism by seed;
 *  - group k-fold: the greedy largest-group-first assignment worked out by hand; no group split;
 *  - stratified group k-fold: no group split, balanced folds, class shares close to the whole's;
 *  - metrics on a hand-made confusion matrix (accuracy, per-class F1, an absent class -> 0);
 *  - out-of-fold forest prediction on an easy dataset; argument errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rforest_cv.h"
#include "rng.h"
#include "test_util.h"

static void fold_class_counts(const int *y, const int *fold, int n, int k, const int *labels, int K, int *cnt) {
    memset(cnt, 0, (size_t)k * K * sizeof *cnt);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < K; c++)
            if (y[i] == labels[c]) cnt[fold[i] * K + c]++;
}

static void test_stratified(void) {
    enum { N = 23, K = 5 };
    int y[N], fold[N], fold2[N], fold3[N];
    /* 10 x label 7, 8 x label 3, 5 x label 9, interleaved; first appearances 7, 3, 9 */
    const int labels[3] = {7, 3, 9};
    int left[3] = {10, 8, 5}, c = 0;
    for (int i = 0; i < N; i++) {
        while (!left[c % 3]) c++;
        y[i] = labels[c % 3];
        left[c % 3]--;
        c++;
    }
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, K, 0, 2022, fold).code, 0);
    /* sorted codes: positions 0-9 class 7, 10-17 class 3, 18-22 class 9; fold i takes positions
     * i, i+5, ...: class 7 -> 2 per fold; class 3 -> 2,2,2,1,1; class 9 -> 1 per fold */
    const int expect[K][3] = {{2, 2, 1}, {2, 2, 1}, {2, 2, 1}, {2, 1, 1}, {2, 1, 1}};
    int cnt[K * 3];
    fold_class_counts(y, fold, N, K, labels, 3, cnt);
    for (int f = 0; f < K; f++)
        for (int j = 0; j < 3; j++) CHECK_EQ_INT(cnt[f * 3 + j], expect[f][j]);
    /* unshuffled: each class's samples get their folds in blocks, in data order */
    int seen = 0, prev = -1, monotone = 1;
    for (int i = 0; i < N; i++)
        if (y[i] == 7) {
            if (fold[i] < prev) monotone = 0;
            CHECK_EQ_INT(fold[i], seen / 2);
            prev = fold[i];
            seen++;
        }
    CHECK(monotone);
    /* shuffled: same counts, another layout, the same for the same seed, not for another */
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, K, 1, 2022, fold2).code, 0);
    fold_class_counts(y, fold2, N, K, labels, 3, cnt);
    for (int f = 0; f < K; f++)
        for (int j = 0; j < 3; j++) CHECK_EQ_INT(cnt[f * 3 + j], expect[f][j]);
    CHECK(memcmp(fold, fold2, sizeof fold) != 0);
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, K, 1, 2022, fold3).code, 0);
    CHECK(memcmp(fold2, fold3, sizeof fold) == 0);
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, K, 1, 7, fold3).code, 0);
    CHECK(memcmp(fold2, fold3, sizeof fold) != 0);
    /* errors: k < 2, k > n, every class smaller than k */
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, 1, 1, 0, fold3).code, EMG_CV_BAD_ARG);
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, 24, 1, 0, fold3).code, EMG_CV_BAD_ARG);
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, 11, 1, 0, fold3).code, EMG_CV_BAD_ARG);
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, 10, 1, 0, fold3).code, 0); /* class 7 has 10 */
}

static void test_group(void) {
    /* group sizes 5, 4, 3, 3, 2, 1, 1, 1 (ids 40, 10, 30, 20, 50, 60, 70, 80), k = 3:
     * 5 -> f0; 4 -> f1; 3 (id 20, the smaller id of the two 3s) -> f2; 3 (id 30) -> f2 (loads
     * 5,4,3); 2 -> f1 (5,4,6); 1 (60) -> f0 (5,6,6); 1 (70) -> f0 (6,6,6: lowest fold); 1 (80) -> f1 */
    const int64_t sizes[8][2] = {{40, 5}, {10, 4}, {30, 3}, {20, 3}, {50, 2}, {60, 1}, {70, 1}, {80, 1}};
    int64_t g[20];
    int n = 0;
    for (int j = 7; j >= 0; j--) /* any order of samples */
        for (int r = 0; r < sizes[j][1]; r++) g[n++] = sizes[j][0];
    CHECK_EQ_INT(n, 20);
    int fold[20];
    CHECK_EQ_INT(emg_cv_group_kfold(g, n, 3, fold).code, 0);
    const int64_t ids[8] = {40, 10, 20, 30, 50, 60, 70, 80};
    const int want[8] = {0, 1, 2, 2, 1, 0, 0, 1};
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < n; i++)
            if (g[i] == ids[j]) CHECK_EQ_INT(fold[i], want[j]);
    CHECK_EQ_INT(emg_cv_group_kfold(g, n, 9, fold).code, EMG_CV_BAD_ARG); /* 8 groups */
}

static void test_stratified_group(void) {
    enum { N = 600, K = 5, G = 150 };
    int y[N], fold[N], fold2[N];
    int64_t g[N];
    /* 150 "songs" of 4 clips; a song's clips mostly share a quadrant */
    for (int i = 0; i < N; i++) {
        int song = i / 4;
        g[i] = 1000 + (int64_t)((song * 37) % G);
        int base = (int)emg_rng_below(3, 0, (uint64_t)song, 4);
        y[i] = emg_rng_uniform(3, 1, (uint64_t)i) < 0.8 ? base : (int)emg_rng_below(3, 2, (uint64_t)i, 4);
    }
    CHECK_EQ_INT(emg_cv_stratified_group_kfold(y, g, N, K, 1, 2022, fold).code, 0);
    int split = 0;
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) split += g[i] == g[j] && fold[i] != fold[j];
    CHECK_EQ_INT(split, 0);
    int size[K] = {0}, cls[K][4] = {{0}}, tot[4] = {0};
    for (int i = 0; i < N; i++) { size[fold[i]]++; cls[fold[i]][y[i]]++; tot[y[i]]++; }
    for (int f = 0; f < K; f++) {
        CHECK(size[f] >= 100 && size[f] <= 140); /* 120 each ideally, groups of 4 */
        for (int c = 0; c < 4; c++)
            CHECK_NEAR((double)cls[f][c] / tot[c], 0.2, 0.06);
    }
    CHECK_EQ_INT(emg_cv_stratified_group_kfold(y, g, N, K, 1, 2022, fold2).code, 0);
    CHECK(memcmp(fold, fold2, sizeof fold) == 0);
    CHECK_EQ_INT(emg_cv_stratified_group_kfold(y, g, N, K, 1, 99, fold2).code, 0);
    CHECK(memcmp(fold, fold2, sizeof fold) != 0);
    CHECK_EQ_INT(emg_cv_stratified_group_kfold(y, g, 8, K, 1, 0, fold2).code, EMG_CV_BAD_ARG); /* 2 groups */
}

static void test_metrics(void) {
    /* true 0 0 0 1 1 2 2 2 2 ; pred 0 0 1 1 2 2 2 0 2; class 3 absent */
    const int yt[9] = {0, 0, 0, 1, 1, 2, 2, 2, 2}, yp[9] = {0, 0, 1, 1, 2, 2, 2, 0, 2};
    int64_t cm[16];
    emg_cv_confusion(yt, yp, 9, 4, cm);
    const int64_t want[16] = {2, 1, 0, 0, 0, 1, 1, 0, 1, 0, 3, 0, 0, 0, 0, 0};
    for (int k = 0; k < 16; k++) CHECK_EQ_INT(cm[k], want[k]);
    CHECK_NEAR(emg_cv_accuracy(cm, 4), 6.0 / 9.0, 1e-15);
    double f1[4];
    emg_cv_f1(cm, 4, f1);
    CHECK_NEAR(f1[0], 4.0 / 6.0, 1e-15); /* tp 2, fp 1, fn 1 */
    CHECK_NEAR(f1[1], 2.0 / 4.0, 1e-15); /* tp 1, fp 1, fn 1 */
    CHECK_NEAR(f1[2], 6.0 / 8.0, 1e-15); /* tp 3, fp 1, fn 1 */
    CHECK_EQ_DBL(f1[3], 0.0);
    CHECK_NEAR(emg_cv_macro_f1(cm, 4), (4.0 / 6 + 0.5 + 0.75) / 4, 1e-15);
}

static void test_cv_forest(void) {
    enum { N = 200, F = 5 };
    double *X = xmalloc(N * F * sizeof *X);
    int y[N], fold[N], pred[N];
    for (int i = 0; i < N; i++) {
        y[i] = i % 4;
        for (int j = 0; j < F; j++) X[i * F + j] = emg_rng_normal(1, (uint64_t)j, (uint64_t)i);
        X[i * F + 2] += 3.0 * y[i]; /* informative */
    }
    CHECK_EQ_INT(emg_cv_stratified_kfold(y, N, 5, 1, 2022, fold).code, 0);
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = 30;
    double imp[F], secs = -1.0, proba[N * 4];
    CHECK_EQ_INT(emg_cv_forest_predict(X, y, N, F, 4, fold, 5, &o, MPI_COMM_NULL, pred, proba, imp, &secs).code, 0);
    int64_t cm[16];
    emg_cv_confusion(y, pred, N, 4, cm);
    double acc = emg_cv_accuracy(cm, 4);
    fprintf(stderr, "easy 4-class data, 5-fold accuracy %.3f\n", acc);
    CHECK(acc > 0.8);
    CHECK(secs >= 0.0);
    int top = 0;
    for (int j = 1; j < F; j++)
        if (imp[j] > imp[top]) top = j;
    CHECK_EQ_INT(top, 2);
    double s = 0.0;
    for (int c = 0; c < 4; c++) s += proba[7 * 4 + c];
    CHECK_NEAR(s, 1.0, 1e-12);
    fold[3] = 5;
    CHECK_EQ_INT(emg_cv_forest_predict(X, y, N, F, 4, fold, 5, &o, MPI_COMM_NULL, pred, NULL, NULL, NULL).code,
                 EMG_CV_BAD_ARG);
    free(X);
}

int main(void) {
    test_stratified();
    test_group();
    test_stratified_group();
    test_metrics();
    test_cv_forest();
    return TEST_DONE();
}
