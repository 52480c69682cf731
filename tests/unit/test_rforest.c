/* test_rforest.c: the random forest's behaviour on tiny hand-made datasets.
 *
 *  - a 5-sample tree worked out by hand: splits, thresholds, Gini impurities, importances 7/12 and
 *    5/12, and a constant feature with importance exactly 0;
 *  - perfectly separable data: 100% accuracy on held-out points and all importance on the
 *    informative feature (every feature tried per split), and with sklearn's default sqrt(F):
 *    still 100%, the informative feature the most important, a constant one 0, sum 1;
 *  - one class only: every tree a single leaf, probability 1 for that class, importances all 0;
 *  - sklearn's feature-sampling rule: constant features count towards max_features, but the search
 *    continues past max_features until a non-constant feature was evaluated;
 *  - bootstrap: the root holds ~63% distinct samples with total weight n;
 *  - the histogram and sort scans (all sort variants) give the same forest, bit for bit;
 *  - determinism: same seed -> the same bytes, another seed -> another forest; serialisation
 *    round trip; a corrupt buffer is refused;
 *  - NaN / inf / beyond-float32 values, bad labels and bad options are refused with a message.
 */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rforest.h"
#include "rng.h"
#include "test_util.h"

static emg_forest fit_ok(const double *X, const int *y, int64_t n, int F, int C, const emg_forest_opts *o) {
    emg_forest f;
    emg_status st = emg_forest_fit(X, y, n, F, C, o, MPI_COMM_NULL, &f);
    CHECK_EQ_INT(st.code, 0);
    if (st.code) { fprintf(stderr, "fit: %s\n", st.msg); exit(1); }
    return f;
}

static double sum_of(const double *v, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += v[i];
    return s;
}

/* root: counts [2,1,2], Gini 1 - 9/25 = 0.64; x0 <= 0.5 gives a pure left [2,0,0] and a right
 * [0,1,2] (Gini 4/9); x1 <= 0.5 would give [1,1,0] / [1,0,2] (worse). The right node splits on x1.
 * Importances: x0 = 5 * 0.64 - 3 * 4/9 = 28/15, x1 = 3 * 4/9 = 4/3; normalised 7/12 and 5/12. */
static void test_hand_tree(void) {
    const double X[5 * 3] = {0, 0, 7, 0, 1, 7, 1, 0, 7, 1, 1, 7, 1, 1, 7};
    const int y[5] = {0, 0, 1, 2, 2};
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = 1;
    o.bootstrap = 0;
    o.max_features = 3;
    emg_forest f = fit_ok(X, y, 5, 3, 3, &o);
    CHECK_EQ_INT(f.tree_start[1], 5);
    const emg_tree_node *nd = f.nodes;
    CHECK_EQ_INT(nd[0].feature, 0);
    CHECK_EQ_DBL(nd[0].threshold, 0.5);
    CHECK_NEAR(nd[0].impurity, 0.64, 1e-15);
    CHECK_EQ_INT(nd[0].left, 1);   /* pre-order, left subtree first */
    CHECK_EQ_INT(nd[0].right, 2);
    CHECK_EQ_INT(nd[1].feature, -1);
    CHECK_EQ_DBL(nd[1].impurity, 0.0);
    CHECK_EQ_DBL(f.value[1 * 3 + 0], 2.0);
    CHECK_EQ_INT(nd[2].feature, 1);
    CHECK_EQ_DBL(nd[2].threshold, 0.5);
    CHECK_NEAR(nd[2].impurity, 4.0 / 9.0, 1e-15);
    CHECK_EQ_INT(nd[2].n_samples, 3);
    double imp[3];
    emg_forest_importances(&f, imp);
    CHECK_NEAR(imp[0], 7.0 / 12.0, 1e-15);
    CHECK_NEAR(imp[1], 5.0 / 12.0, 1e-15);
    CHECK_EQ_DBL(imp[2], 0.0);
    int pred[5];
    CHECK_EQ_INT(emg_forest_predict(&f, X, 5, pred).code, 0);
    for (int i = 0; i < 5; i++) CHECK_EQ_INT(pred[i], y[i]);
    emg_forest_free(&f);
}

/* x0 separates the classes (class c lives in [10c, 10c + 5]); x1 is constant; x2..x5 are noise
 * that never separates them */
static void make_separable(int64_t n, int F, uint64_t seed, double *X, int *y) {
    for (int64_t i = 0; i < n; i++) {
        int c = (int)(i % 3);
        y[i] = c;
        X[i * F + 0] = 10.0 * c + 5.0 * emg_rng_uniform(seed, 0, (uint64_t)i);
        X[i * F + 1] = 3.25;
        for (int j = 2; j < F; j++) X[i * F + j] = emg_rng_normal(seed, (uint64_t)j, (uint64_t)i);
    }
}

static void test_separable(void) {
    enum { N = 150, NT = 60, F = 6 };
    double *X = xmalloc(N * F * sizeof *X), *Xt = xmalloc(NT * F * sizeof *Xt);
    int y[N], yt[NT], pred[NT];
    make_separable(N, F, 11, X, y);
    make_separable(NT, F, 12, Xt, yt);
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.max_features = F; /* every feature tried: the perfect split on x0 always wins */
    emg_forest f = fit_ok(X, y, N, F, 3, &o);
    CHECK_EQ_INT(emg_forest_predict(&f, Xt, NT, pred).code, 0);
    int ok = 0;
    for (int i = 0; i < NT; i++) ok += pred[i] == yt[i];
    CHECK_EQ_INT(ok, NT);
    double imp[F];
    emg_forest_importances(&f, imp);
    CHECK_EQ_DBL(imp[0], 1.0);
    for (int j = 1; j < F; j++) CHECK_EQ_DBL(imp[j], 0.0);
    emg_forest_free(&f);

    emg_forest_opts_default(&o); /* sqrt(6) = 2 features per split */
    f = fit_ok(X, y, N, F, 3, &o);
    CHECK_EQ_INT(emg_forest_predict(&f, Xt, NT, pred).code, 0);
    ok = 0;
    for (int i = 0; i < NT; i++) ok += pred[i] == yt[i];
    CHECK(ok >= NT - 2); /* a tree may split on noise first; the forest's vote still gets them */
    emg_forest_importances(&f, imp);
    CHECK_NEAR(sum_of(imp, F), 1.0, 1e-12);
    CHECK_EQ_DBL(imp[1], 0.0); /* constant: never split on */
    for (int j = 2; j < F; j++) CHECK(imp[0] > imp[j]);
    CHECK(imp[0] > 0.5);
    double p[3];
    CHECK_EQ_INT(emg_forest_predict_proba(&f, Xt, 1, p).code, 0);
    CHECK_NEAR(sum_of(p, 3), 1.0, 1e-12);
    emg_forest_free(&f);
    free(X);
    free(Xt);
}

static void test_one_class(void) {
    enum { N = 20, F = 3 };
    double X[N * F];
    int y[N];
    for (int i = 0; i < N; i++) {
        y[i] = 1;
        for (int j = 0; j < F; j++) X[i * F + j] = i * (j + 1);
    }
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = 10;
    emg_forest f = fit_ok(X, y, N, F, 3, &o); /* classes 0 and 2 absent */
    for (int t = 0; t < 10; t++) CHECK_EQ_INT(f.tree_start[t + 1] - f.tree_start[t], 1);
    double imp[F], p[3];
    emg_forest_importances(&f, imp);
    for (int j = 0; j < F; j++) CHECK_EQ_DBL(imp[j], 0.0);
    CHECK_EQ_INT(emg_forest_predict_proba(&f, X, 1, p).code, 0);
    CHECK_EQ_DBL(p[0], 0.0);
    CHECK_EQ_DBL(p[1], 1.0);
    CHECK_EQ_DBL(p[2], 0.0);
    emg_forest_free(&f);
    for (int i = 0; i < N; i++) y[i] = 0;
    f = fit_ok(X, y, N, F, 1, &o); /* C = 1 */
    int pred[N];
    CHECK_EQ_INT(emg_forest_predict(&f, X, N, pred).code, 0);
    CHECK_EQ_INT(pred[N - 1], 0);
    emg_forest_free(&f);
}

/* x0 perfect, x1 and x2 constant, x3 noise; max_features 2. sklearn's rule: draw without
 * replacement; after 2 draws stop if a non-constant feature was evaluated. x0 is evaluated at the
 * root iff it is among the first two draws (1/2) or the first two are x1, x2 and x0 comes before x3
 * (1/6 * 1/2): P = 7/12. (Requiring 2 non-constant features would give P = 1; stopping after 2
 * draws whatever they were would give 1/2 and leave 1/6 of the roots unsplit.) */
static void test_feature_sampling_rule(void) {
    enum { N = 120, F = 4, T = 400 };
    double *X = xmalloc(N * F * sizeof *X);
    int y[N];
    for (int i = 0; i < N; i++) {
        y[i] = i % 2;
        X[i * F + 0] = y[i] ? 1.0 + 0.01 * i : -1.0 - 0.01 * i;
        X[i * F + 1] = 5.0;
        X[i * F + 2] = -2.0;
        X[i * F + 3] = emg_rng_normal(5, 3, (uint64_t)i);
    }
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = T;
    o.max_features = 2;
    emg_forest f = fit_ok(X, y, N, F, 2, &o);
    int root_x0 = 0, root_leaf = 0;
    for (int t = 0; t < T; t++) {
        const emg_tree_node *r = &f.nodes[f.tree_start[t]];
        root_x0 += r->feature == 0;
        root_leaf += r->left < 0;
        CHECK(r->feature != 1 && r->feature != 2);
    }
    CHECK_EQ_INT(root_leaf, 0);
    double share = (double)root_x0 / T; /* 7/12 = 0.583, binomial sd 0.025 */
    fprintf(stderr, "roots split on x0: %.3f (sklearn's rule: 7/12 = 0.583)\n", share);
    CHECK(share > 0.48 && share < 0.69);
    emg_forest_free(&f);

    /* 99 constant features and one informative, max_features 1: the search goes on past the
     * constants, so every tree splits on the informative one and predicts perfectly */
    enum { F2 = 100 };
    double *X2 = xmalloc(N * F2 * sizeof *X2);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < F2; j++) X2[i * F2 + j] = j == 37 ? X[i * F] : (double)j;
    o.n_trees = 20;
    o.max_features = 1;
    f = fit_ok(X2, y, N, F2, 2, &o);
    int all37 = 1;
    for (int t = 0; t < 20; t++) all37 &= f.nodes[f.tree_start[t]].feature == 37;
    CHECK(all37);
    double imp[F2];
    emg_forest_importances(&f, imp);
    CHECK_EQ_DBL(imp[37], 1.0);
    emg_forest_free(&f);
    free(X);
    free(X2);
}

static void test_bootstrap_and_determinism(void) {
    enum { N = 400, F = 8 };
    double *X = xmalloc(N * F * sizeof *X);
    int y[N];
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < F; j++) X[i * F + j] = emg_rng_normal(9, (uint64_t)j, (uint64_t)i);
        y[i] = (X[i * F] + X[i * F + 1] > 0) + (X[i * F + 2] > 0.5);
    }
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = 25;
    emg_forest a = fit_ok(X, y, N, F, 3, &o), b = fit_ok(X, y, N, F, 3, &o);
    const emg_tree_node *root = &a.nodes[0];
    CHECK_EQ_DBL(root->weight, (double)N);
    CHECK(root->n_samples > 0.58 * N && root->n_samples < 0.68 * N); /* 1 - 1/e = 0.632 */
    size_t la = emg_forest_serialize(&a, NULL, 0), lb = emg_forest_serialize(&b, NULL, 0);
    CHECK_EQ_INT(la, lb);
    unsigned char *ba = xmalloc(la), *bb = xmalloc(lb);
    CHECK_EQ_INT(emg_forest_serialize(&a, ba, la), la);
    CHECK_EQ_INT(emg_forest_serialize(&b, bb, lb), lb);
    CHECK(memcmp(ba, bb, la) == 0);
    o.seed = 2023;
    emg_forest c = fit_ok(X, y, N, F, 3, &o);
    size_t lc = emg_forest_serialize(&c, NULL, 0);
    unsigned char *bc = xmalloc(lc);
    emg_forest_serialize(&c, bc, lc);
    CHECK(lc != la || memcmp(ba, bc, la) != 0);
    /* round trip */
    emg_forest r;
    CHECK_EQ_INT(emg_forest_deserialize(ba, la, &r).code, 0);
    double pa[30], pr[30];
    CHECK_EQ_INT(emg_forest_predict_proba(&a, X, 10, pa).code, 0);
    CHECK_EQ_INT(emg_forest_predict_proba(&r, X, 10, pr).code, 0);
    CHECK(memcmp(pa, pr, sizeof pa) == 0);
    double ia[F], ir[F];
    emg_forest_importances(&a, ia);
    emg_forest_importances(&r, ir);
    CHECK(memcmp(ia, ir, sizeof ia) == 0);
    emg_forest_free(&r);
    /* corrupt buffers */
    CHECK_EQ_INT(emg_forest_deserialize(ba, la - 1, &r).code, EMG_RF_BAD_BUFFER);
    ba[0] = 'X';
    CHECK_EQ_INT(emg_forest_deserialize(ba, la, &r).code, EMG_RF_BAD_BUFFER);
    ba[0] = 'E';
    /* a child pointing back to its parent would loop forever in predict */
    size_t node0 = 8 + 16 + 8 + (size_t)(o.n_trees + 1) * 8;
    int32_t back = 0;
    memcpy(ba + node0, &back, sizeof back);
    CHECK_EQ_INT(emg_forest_deserialize(ba, la, &r).code, EMG_RF_BAD_BUFFER);
    emg_forest_free(&a);
    emg_forest_free(&b);
    emg_forest_free(&c);
    free(ba);
    free(bb);
    free(bc);
    free(X);
}

/* the histogram scan and the sort scan (insertion sort, introsort, radix sort for >= 1024 keys)
 * give the same forest, bit for bit, as the automatic choice */
static void test_search_paths_agree(void) {
    enum { N = 3000, F = 5 };
    double *X = xmalloc((size_t)N * F * sizeof *X);
    int *y = xmalloc(N * sizeof *y);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < F; j++) X[i * F + j] = emg_rng_normal(21, (uint64_t)j, (uint64_t)i);
        X[i * F + 3] = (double)(i % 7); /* few distinct values */
        X[i * F + 4] = round(X[i * F + 4] * 100.0) / 100.0; /* ties */
        y[i] = (X[i * F] > 0) + (X[i * F + 1] * X[i * F + 2] > 0.2) + (i % 7 == 3);
    }
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = 4;
    unsigned char *buf[3] = {0};
    size_t len[3];
    for (int k = 0; k < 3; k++) {
        o.search = k; /* AUTO, HISTOGRAM, SORT */
        emg_forest f = fit_ok(X, y, N, F, 4, &o);
        len[k] = emg_forest_serialize(&f, NULL, 0);
        buf[k] = xmalloc(len[k]);
        emg_forest_serialize(&f, buf[k], len[k]);
        emg_forest_free(&f);
    }
    CHECK(len[0] == len[1] && memcmp(buf[0], buf[1], len[0]) == 0);
    CHECK(len[0] == len[2] && memcmp(buf[0], buf[2], len[0]) == 0);
    for (int k = 0; k < 3; k++) free(buf[k]);
    free(X);
    free(y);
}

static void test_bad_input(void) {
    double X[6 * 2] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    int y[6] = {0, 1, 0, 1, 0, 1};
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = 3;
    emg_forest f;
    X[7] = NAN;
    emg_status st = emg_forest_fit(X, y, 6, 2, 2, &o, MPI_COMM_NULL, &f);
    CHECK_EQ_INT(st.code, EMG_RF_BAD_VALUE);
    CHECK(strstr(st.msg, "row 3, column 1") != NULL && strstr(st.msg, "NaN") != NULL);
    emg_forest_free(&f); /* safe on a failed fit */
    X[7] = INFINITY;
    CHECK_EQ_INT(emg_forest_fit(X, y, 6, 2, 2, &o, MPI_COMM_NULL, &f).code, EMG_RF_BAD_VALUE);
    X[7] = 1e39; /* beyond float32 */
    CHECK_EQ_INT(emg_forest_fit(X, y, 6, 2, 2, &o, MPI_COMM_NULL, &f).code, EMG_RF_BAD_VALUE);
    X[7] = (double)FLT_MAX;
    CHECK_EQ_INT(emg_forest_fit(X, y, 6, 2, 2, &o, MPI_COMM_NULL, &f).code, 0);
    double q[2] = {NAN, 0.0}, p[2];
    CHECK_EQ_INT(emg_forest_predict_proba(&f, q, 1, p).code, EMG_RF_BAD_VALUE);
    emg_forest_free(&f);
    X[7] = 7;
    y[2] = 2;
    CHECK_EQ_INT(emg_forest_fit(X, y, 6, 2, 2, &o, MPI_COMM_NULL, &f).code, EMG_RF_BAD_ARG);
    y[2] = 0;
    o.min_samples_split = 1;
    CHECK_EQ_INT(emg_forest_fit(X, y, 6, 2, 2, &o, MPI_COMM_NULL, &f).code, EMG_RF_BAD_ARG);
    o.min_samples_split = 2;
    CHECK_EQ_INT(emg_forest_fit(X, y, 0, 2, 2, &o, MPI_COMM_NULL, &f).code, EMG_RF_BAD_ARG);
    double w[6] = {1, 1, -1, 1, 1, 1};
    CHECK_EQ_INT(emg_forest_fit_weighted(X, y, w, 6, 2, 2, &o, MPI_COMM_NULL, &f).code, EMG_RF_BAD_ARG);
}

int main(void) {
    test_hand_tree();
    test_separable();
    test_one_class();
    test_feature_sampling_rule();
    test_bootstrap_and_determinism();
    test_search_paths_agree();
    test_bad_input();
    return TEST_DONE();
}
