/* rforest.h: a random forest classifier with the semantics of scikit-learn 1.2's
 * RandomForestClassifier (the model EmoGen ranked its attributes with:
 * RandomForestClassifier(n_estimators=100, random_state=2022), every other option at its default).
 *
 * What is the same as scikit-learn (docs/random_forest.md has the details and the sources):
 *   - CART trees, Gini impurity, grown until pure (no depth limit, min_samples_split 2,
 *     min_samples_leaf 1), the best split search of sklearn's BestSplitter: features visited in a
 *     random order without replacement; a feature drawn that is constant in the node still counts
 *     towards max_features, but the search goes on past max_features until at least one
 *     non-constant feature was evaluated (or all features were drawn); constant = max - min <= 1e-7
 *     in float32; no split between sorted neighbours closer than 1e-7; threshold at the midpoint of
 *     the two neighbours (in double, from float32 values); the first best split found wins ties.
 *   - X is used as float32, as sklearn does (values are cast to float; a sample goes left when
 *     (double)(float)x <= threshold), in fit and in predict.
 *   - Bootstrap: n draws with replacement; a tree is fit on the distinct drawn samples with weight =
 *     times drawn, so node values, impurities and weighted counts are bootstrap-weighted.
 *   - predict_proba = mean over trees of the leaf's class frequencies; predict = argmax (lowest class
 *     on ties); feature_importances_ = per tree the weighted impurity decrease per feature,
 *     normalised to sum 1, averaged over the trees that have more than one node, normalised again.
 * What differs: the random numbers. Tree t draws from the Philox stream emg_rng_make(seed, t)
 * (rng.h), so a forest is a pure function of (X, y, options) for any rank count, but it is not the
 * forest numpy's Mersenne Twister would give; accuracy and importances agree statistically.
 *
 * Missing values: the library rejects NaN, +-inf and values outside float32's range (fit and
 * predict return an error status naming the first bad cell), as scikit-learn 1.2 does. EmoGen's
 * data path turns NaN into 0 before fitting (docs/random_forest.md).
 */
#pragma once
#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum { EMG_RF_OK = 0, EMG_RF_BAD_ARG = 1, EMG_RF_BAD_VALUE = 2, EMG_RF_BAD_BUFFER = 3 };

/* how a node scans a feature; all give the same forest (tests compare them), only speed differs */
enum { EMG_RF_SEARCH_AUTO = 0, EMG_RF_SEARCH_HISTOGRAM = 1, EMG_RF_SEARCH_SORT = 2 };

typedef struct emg_forest_opts {
    int n_trees;           /* 100 (n_estimators) */
    uint64_t seed;         /* 2022 (random_state): tree t uses emg_rng_make(seed, t) */
    int max_features;      /* features drawn per split; 0 = "sqrt": max(1, (int)sqrt(F)) */
    int max_depth;         /* 0 = unlimited */
    int min_samples_split; /* 2 */
    int min_samples_leaf;  /* 1 */
    int bootstrap;         /* 1: n draws with replacement; 0: every sample once, weight 1 */
    int search;            /* EMG_RF_SEARCH_AUTO (default); the others force one scan, for tests */
} emg_forest_opts;

/* scikit-learn's defaults with n_estimators=100, random_state=2022 */
void emg_forest_opts_default(emg_forest_opts *o);

/* One node of a tree; children are node ids within the same tree (-1 at a leaf). Nodes are stored
 * in sklearn's order: depth first, a node before its children, the left subtree first. */
typedef struct emg_tree_node {
    int32_t left, right;
    int32_t feature;   /* split feature, -1 at a leaf */
    int32_t depth;
    int64_t n_samples; /* distinct training samples in the node */
    double threshold;  /* a sample goes left when (double)(float)x[feature] <= threshold */
    double impurity;   /* Gini impurity, bootstrap-weighted */
    double weight;     /* bootstrap-weighted sample count */
} emg_tree_node;

typedef struct emg_forest {
    int n_features, n_classes, n_trees;
    int64_t *tree_start;  /* n_trees + 1: tree t's nodes are nodes[tree_start[t] .. tree_start[t+1]) */
    emg_tree_node *nodes;
    double *value;        /* n_classes per node: bootstrap-weighted class counts (sklearn's tree_.value) */
} emg_forest;

/* Fit a forest on X (n rows x F columns, row-major) and labels y in [0, C).
 * comm: the trees are spread over the ranks of comm in contiguous blocks (emg_split_block), each
 * rank fits its block, and the trees are gathered so that every rank returns the whole forest, the
 * same bytes for any number of ranks. Every rank must pass the same X, y and options (collective).
 * MPI_COMM_NULL fits everything locally (no MPI call is made).
 * Returns EMG_RF_BAD_ARG (sizes, labels, options) or EMG_RF_BAD_VALUE (NaN, inf, beyond float32)
 * without fitting; *out is then empty (safe to free). */
emg_status emg_forest_fit(const double *X, const int *y, int64_t n, int F, int C,
                          const emg_forest_opts *o, MPI_Comm comm, emg_forest *out);
/* the same with sklearn's fit(X, y, sample_weight): each tree weighs sample i by
 * sample_weight[i] (finite, >= 0; samples of weight 0 are left out) times its bootstrap count.
 * sample_weight NULL = all 1 (emg_forest_fit). */
emg_status emg_forest_fit_weighted(const double *X, const int *y, const double *sample_weight, int64_t n,
                                   int F, int C, const emg_forest_opts *o, MPI_Comm comm, emg_forest *out);

/* class probabilities of n rows of X (n x F, row-major) into proba (n x C, row-major) */
emg_status emg_forest_predict_proba(const emg_forest *f, const double *X, int64_t n, double *proba);
/* argmax of the probabilities (lowest class on ties) */
emg_status emg_forest_predict(const emg_forest *f, const double *X, int64_t n, int *pred);

/* sklearn's feature_importances_: F values summing to 1 (all 0 if every tree is a single leaf) */
void emg_forest_importances(const emg_forest *f, double *importances);
/* one tree's normalised impurity importances (sklearn's DecisionTreeClassifier.feature_importances_) */
void emg_forest_tree_importances(const emg_forest *f, int tree, double *importances);

void emg_forest_free(emg_forest *f);

/* Flat buffer: magic "EMGRF001", then F, C, trees, node count, tree offsets, nodes, values, in
 * this machine's byte order. Returns the bytes needed; writes them only when cap is large enough. */
size_t emg_forest_serialize(const emg_forest *f, void *buf, size_t cap);
emg_status emg_forest_deserialize(const void *buf, size_t len, emg_forest *out);
