/* test_rforest_sklearn.c: our CART trees are scikit-learn 1.2's trees, node for node.
 *
 * tests/data/rforest/sklearn_trees.txt (written by make_sklearn_trees.py with Debian's
 * python3-sklearn 1.2.1) holds weighted datasets and the tree DecisionTreeClassifier(max_features=
 * None, ...).fit(X, y, sample_weight=w) grows on them. With every feature tried at every node the
 * tree does not depend on the random numbers, so a forest of one tree without bootstrap, with the
 * same weights, must give the same nodes in the same order: children, split feature, threshold
 * (bit for bit: float32 midpoints), distinct and weighted sample counts, Gini impurity, class
 * weights, and the same feature_importances_ and predict_proba. Cases: a constant and a 4-valued
 * column among continuous ones with zero weights (min_samples_split 10), a single feature grown to
 * purity on a real bootstrap count vector, and min_samples_leaf 3 with max_depth 5. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rforest.h"
#include "test_util.h"

static int read_case(FILE *f, char *name, int *n, int *F, int *C, int *mss, int *msl, int *depth) {
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        return sscanf(line, "case %63s %d %d %d %d %d %d", name, n, F, C, mss, msl, depth) == 7;
    }
    return 0;
}

int main(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s/rforest/sklearn_trees.txt", TEST_DATA_DIR);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return TEST_DONE();
    char name[64];
    int n, F, C, mss, msl, depth, cases = 0;
    while (read_case(f, name, &n, &F, &C, &mss, &msl, &depth)) {
        cases++;
        double *X = xmalloc((size_t)n * F * sizeof *X), *w = xmalloc((size_t)n * sizeof *w);
        int *y = xmalloc((size_t)n * sizeof *y);
        for (int i = 0; i < n; i++) {
            CHECK_EQ_INT(fscanf(f, "%d %lf", &y[i], &w[i]), 2);
            for (int j = 0; j < F; j++) CHECK_EQ_INT(fscanf(f, "%lf", &X[i * F + j]), 1);
        }
        int K = 0;
        CHECK_EQ_INT(fscanf(f, " nodes %d", &K), 1);
        emg_forest_opts o;
        emg_forest_opts_default(&o);
        o.n_trees = 1;
        o.bootstrap = 0;
        o.max_features = F;
        o.min_samples_split = mss;
        o.min_samples_leaf = msl;
        o.max_depth = depth;
        emg_forest forest;
        emg_status st = emg_forest_fit_weighted(X, y, w, n, F, C, &o, MPI_COMM_NULL, &forest);
        CHECK_EQ_INT(st.code, 0);
        CHECK_EQ_INT(forest.tree_start[1], K);
        int64_t nodes = forest.tree_start[1];
        int same_structure = 1, same_split = 1, same_counts = 1, same_value = 1;
        double max_imp_err = 0.0;
        for (int k = 0; k < K; k++) {
            int left, right, feat;
            long long ns;
            double thr, wn, imp, v;
            CHECK_EQ_INT(fscanf(f, "%d %d %d %lf %lld %lf %lf", &left, &right, &feat, &thr, &ns, &wn, &imp), 7);
            const emg_tree_node *a = k < nodes ? &forest.nodes[k] : NULL;
            for (int c = 0; c < C; c++) {
                CHECK_EQ_INT(fscanf(f, "%lf", &v), 1);
                if (a && forest.value[k * C + c] != v) same_value = 0;
            }
            if (!a) continue;
            if (a->left != left || a->right != right) same_structure = 0;
            if (left >= 0 && (a->feature != feat || a->threshold != thr)) {
                if (same_split)
                    fprintf(stderr, "%s node %d: feature %d threshold %.17g, sklearn %d %.17g\n", name, k,
                            a->feature, a->threshold, feat, thr);
                same_split = 0;
            }
            if (a->n_samples != ns || a->weight != wn) same_counts = 0;
            double e = fabs(a->impurity - imp);
            if (e > max_imp_err) max_imp_err = e;
        }
        CHECK(same_structure);
        CHECK(same_split);
        CHECK(same_counts);
        CHECK(same_value);
        CHECK(max_imp_err <= 1e-15);  /* same formula on the same integer sums: equal in practice */
        double *imp = xmalloc((size_t)F * sizeof *imp), *ref = xmalloc((size_t)F * sizeof *ref);
        CHECK_EQ_INT(fscanf(f, " importances"), 0);
        for (int j = 0; j < F; j++) CHECK_EQ_INT(fscanf(f, "%lf", &ref[j]), 1);
        emg_forest_importances(&forest, imp);
        for (int j = 0; j < F; j++) CHECK_NEAR(imp[j], ref[j], 1e-14);
        double *p = xmalloc((size_t)C * sizeof *p), pr;
        CHECK_EQ_INT(fscanf(f, " proba_row0"), 0);
        CHECK_EQ_INT(emg_forest_predict_proba(&forest, X, 1, p).code, 0);
        for (int c = 0; c < C; c++) {
            CHECK_EQ_INT(fscanf(f, "%lf", &pr), 1);
            CHECK_NEAR(p[c], pr, 1e-15);
        }
        fprintf(stderr, "%s: %d nodes, importances and proba as scikit-learn\n", name, K);
        fscanf(f, " ");
        emg_forest_free(&forest);
        free(X); free(w); free(y); free(imp); free(ref); free(p);
    }
    CHECK_EQ_INT(cases, 3);
    fclose(f);
    return TEST_DONE();
}
