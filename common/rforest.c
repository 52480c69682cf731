/* rforest.c: CART trees (Gini, sklearn's BestSplitter rules) grown on bootstrap samples, a forest
 * of them spread over MPI ranks, prediction, impurity importances and a flat serialisation.
 * See rforest.h for the semantics and docs/random_forest.md for how they map onto scikit-learn 1.2.
 *
 * Speed: each fit converts X once to float32 columns and to per-feature ranks (index of the value
 * among the feature's distinct values). A node then evaluates a feature either by a histogram of
 * class weights over its rank range (no sort at all, when the range is small against the node) or
 * by sorting (rank, sample) keys; both visit the same split candidates in the same order as
 * sklearn's sort-then-scan, so the chosen split is the same. No O(n^2) scan anywhere. */
#define _POSIX_C_SOURCE 200809L
#include "rforest.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rng.h"
#include "split.h"

/* sklearn's FEATURE_THRESHOLD: values closer than this (in float32) are not split apart */
#define RF_FEATURE_THRESHOLD 1e-7f

void emg_forest_opts_default(emg_forest_opts *o) {
    o->n_trees = 100;
    o->seed = 2022;
    o->max_features = 0;
    o->max_depth = 0;
    o->min_samples_split = 2;
    o->min_samples_leaf = 1;
    o->bootstrap = 1;
    o->search = EMG_RF_SEARCH_AUTO;
}

/* ------------------------------------------------------------------ data prepared once per fit */

typedef struct {
    int64_t n;
    int F, C;
    float *xf;        /* F x n, column-major: xf[f * n + i] = (float)X[i][f], -0 made +0 */
    uint32_t *rank;   /* F x n: rank of xf[f * n + i] among feature f's distinct values */
    float *dval;      /* distinct values of each feature, ascending, at dval + doff[f] */
    int64_t *doff;    /* F + 1 */
    const int *y;
    int64_t max_distinct;
} rf_data;

/* sorts a[0..m) by key bits [lo, 64) with LSD radix passes of 8 bits (skips passes whose digit is
 * the same for every key); tmp holds m keys */
static void radix_sort_u64(uint64_t *a, uint64_t *tmp, int64_t m, int lo, int hi) {
    uint64_t *src = a, *dst = tmp;
    int64_t cnt[256];
    for (int sh = lo; sh < hi; sh += 8) {
        memset(cnt, 0, sizeof cnt);
        for (int64_t i = 0; i < m; i++) cnt[(src[i] >> sh) & 255]++;
        if (cnt[(src[0] >> sh) & 255] == m) continue;
        int64_t sum = 0;
        for (int d = 0; d < 256; d++) { int64_t c = cnt[d]; cnt[d] = sum; sum += c; }
        for (int64_t i = 0; i < m; i++) dst[cnt[(src[i] >> sh) & 255]++] = src[i];
        uint64_t *t = src; src = dst; dst = t;
    }
    if (src != a) memcpy(a, src, (size_t)m * sizeof *a);
}

static void insertion_sort_u64(uint64_t *a, int64_t m) {
    for (int64_t i = 1; i < m; i++) {
        uint64_t v = a[i];
        int64_t j = i;
        while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
        a[j] = v;
    }
}

static void sift_down_u64(uint64_t *a, int64_t root, int64_t m) {
    for (;;) {
        int64_t c = 2 * root + 1;
        if (c >= m) return;
        if (c + 1 < m && a[c + 1] > a[c]) c++;
        if (a[root] >= a[c]) return;
        uint64_t t = a[root]; a[root] = a[c]; a[c] = t;
        root = c;
    }
}

static void heap_sort_u64(uint64_t *a, int64_t m) {
    for (int64_t i = m / 2 - 1; i >= 0; i--) sift_down_u64(a, i, m);
    for (int64_t e = m - 1; e > 0; e--) {
        uint64_t t = a[0]; a[0] = a[e]; a[e] = t;
        sift_down_u64(a, 0, e);
    }
}

/* quicksort (median of three, insertion sort below 24 keys, heap sort past depth 2 log2 m, so
 * O(m log m) always); for the mid-sized nodes where radix passes cost more than they save */
static void intro_sort_u64(uint64_t *a, int64_t m, int depth) {
    while (m > 24) {
        if (depth-- == 0) { heap_sort_u64(a, m); return; }
        uint64_t x = a[0], y = a[m / 2], z = a[m - 1];
        uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int64_t i = 0, j = m - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            uint64_t t = a[i]; a[i] = a[j]; a[j] = t;
            i++;
            j--;
        }
        /* [0, j] <= pivot <= [j + 1, m): recurse into the smaller part, loop on the larger */
        if (j + 1 < m - j - 1) { intro_sort_u64(a, j + 1, depth); a += j + 1; m -= j + 1; }
        else { intro_sort_u64(a + j + 1, m - j - 1, depth); m = j + 1; }
    }
    insertion_sort_u64(a, m);
}

static void sort_keys(uint64_t *a, uint64_t *tmp, int64_t m) {
    if (m >= 1024) { radix_sort_u64(a, tmp, m, 32, 64); return; }
    int depth = 0;
    for (int64_t k = m; k > 1; k >>= 1) depth += 2;
    intro_sort_u64(a, m, depth);
}

/* float -> uint32 with the same order (for radix sorting floats) */
static inline uint32_t float_order_bits(float v) {
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

static void data_prepare(rf_data *d, const double *X, const int *y, int64_t n, int F, int C) {
    d->n = n;
    d->F = F;
    d->C = C;
    d->y = y;
    d->xf = xmalloc((size_t)n * (size_t)F * sizeof *d->xf);
    d->rank = xmalloc((size_t)n * (size_t)F * sizeof *d->rank);
    d->doff = xmalloc((size_t)(F + 1) * sizeof *d->doff);
    float *dval = xmalloc((size_t)n * (size_t)F * sizeof *dval);
    uint64_t *keys = xmalloc((size_t)n * sizeof *keys), *tmp = xmalloc((size_t)n * sizeof *tmp);
    for (int64_t i = 0; i < n; i++)
        for (int f = 0; f < F; f++) {
            float v = (float)X[i * F + f];
            d->xf[(int64_t)f * n + i] = v == 0.0f ? 0.0f : v; /* -0 and +0 are one value */
        }
    int64_t nd = 0;
    d->max_distinct = 1;
    for (int f = 0; f < F; f++) {
        const float *col = d->xf + (int64_t)f * n;
        d->doff[f] = nd;
        uint32_t *rk = d->rank + (int64_t)f * n;
        int64_t same = 1;
        while (same < n && col[same] == col[0]) same++;
        if (same == n) { /* a constant column (common in jSymbolic data): no sort */
            dval[nd++] = col[0];
            memset(rk, 0, (size_t)n * sizeof *rk);
            continue;
        }
        for (int64_t i = 0; i < n; i++) keys[i] = (uint64_t)float_order_bits(col[i]) << 32 | (uint64_t)i;
        radix_sort_u64(keys, tmp, n, 32, 64);
        for (int64_t k = 0; k < n; k++) {
            int64_t i = (int64_t)(keys[k] & 0xffffffffu);
            if (k == 0 || col[i] != dval[nd - 1]) dval[nd++] = col[i];
            rk[i] = (uint32_t)(nd - 1 - d->doff[f]);
        }
        if (nd - d->doff[f] > d->max_distinct) d->max_distinct = nd - d->doff[f];
    }
    d->doff[F] = nd;
    d->dval = xrealloc(dval, (size_t)(nd ? nd : 1) * sizeof *dval);
    free(keys);
    free(tmp);
}

static void data_free(rf_data *d) {
    free(d->xf);
    free(d->rank);
    free(d->dval);
    free(d->doff);
}

/* ------------------------------------------------------------------ growing one tree */

typedef struct {
    int32_t start, end, depth, parent, is_left, n_const;
} rf_pending;

typedef struct {
    emg_tree_node *nodes;
    double *value;
    int64_t n_nodes, cap;
} rf_nodes;

typedef struct {
    const rf_data *d;
    int max_features, max_depth, min_split, min_leaf, bootstrap, search;
    const double *sample_weight; /* n user weights, or NULL for 1 */
    double *w;                 /* n weights of this tree: user weight x bootstrap count */
    int32_t *samples;          /* node sample lists, partitioned in place */
    uint64_t *keys, *tmp;      /* (rank << 32 | sample) keys of one node and feature */
    double *hist;              /* max_distinct x C class weights per rank */
    uint32_t *hcnt;            /* max_distinct: samples per rank */
    uint64_t *hbits;           /* max_distinct bits: ranks present in the node */
    int32_t *features;         /* F: [0, n_known) known constant in this node, the rest not */
    int32_t *const_features;   /* F: the known-constant prefix as it was, for siblings/children */
    double *total, *left, *best_left;
    rf_pending *stack;
    int64_t stack_cap;
} rf_work;

typedef struct {
    int feature;
    double threshold;
    int64_t pos;        /* samples[start, pos) go left */
    double proxy;       /* sklearn's proxy_impurity_improvement of the best split so far */
} rf_split;

static void work_init(rf_work *W, const rf_data *d, const emg_forest_opts *o) {
    memset(W, 0, sizeof *W);
    W->d = d;
    int F = d->F;
    W->max_features = o->max_features > 0 ? o->max_features : (int)sqrt((double)F);
    if (W->max_features < 1) W->max_features = 1;
    if (W->max_features > F) W->max_features = F;
    W->max_depth = o->max_depth;
    W->min_split = o->min_samples_split;
    W->min_leaf = o->min_samples_leaf;
    W->bootstrap = o->bootstrap;
    W->search = o->search;
    size_t n = (size_t)d->n, C = (size_t)d->C;
    W->w = xmalloc(n * sizeof *W->w);
    W->samples = xmalloc(n * sizeof *W->samples);
    W->keys = xmalloc(n * sizeof *W->keys);
    W->tmp = xmalloc(n * sizeof *W->tmp);
    W->hist = xcalloc((size_t)d->max_distinct * C, sizeof *W->hist);
    W->hcnt = xcalloc((size_t)d->max_distinct, sizeof *W->hcnt);
    W->hbits = xcalloc((size_t)(d->max_distinct + 63) / 64, sizeof *W->hbits);
    W->features = xmalloc((size_t)F * sizeof *W->features);
    W->const_features = xmalloc((size_t)F * sizeof *W->const_features);
    W->total = xmalloc(C * sizeof *W->total);
    W->left = xmalloc(C * sizeof *W->left);
    W->best_left = xmalloc(C * sizeof *W->best_left);
    W->stack_cap = 64;
    W->stack = xmalloc((size_t)W->stack_cap * sizeof *W->stack);
}

static void work_free(rf_work *W) {
    free(W->w); free(W->samples); free(W->keys); free(W->tmp); free(W->hist); free(W->hcnt); free(W->hbits);
    free(W->features); free(W->const_features); free(W->total); free(W->left); free(W->best_left);
    free(W->stack);
}

/* sklearn's Gini: 1 - sum_c (count_c / weight)^2, written as sklearn writes it (same bits) */
static inline double gini(const double *count, int C, double weight) {
    double sq = 0.0;
    for (int c = 0; c < C; c++) sq += count[c] * count[c];
    return 1.0 - sq / (weight * weight);
}

/* sklearn's threshold: the midpoint of the two neighbours, or the lower one if the midpoint
 * rounds up onto the upper one (or overflows) */
static inline double split_threshold(float lo, float hi) {
    double t = lo / 2.0 + hi / 2.0;
    if (t == (double)hi || isinf(t)) t = lo;
    return t;
}

/* A split candidate between two present neighbouring values lo < hi of feature f, with n_left
 * samples (weight wl, class weights left[]) on the left: keep it if strictly better.
 * sklearn's proxy, -wr (1 - sqr / wr^2) - wl (1 - sql / wl^2), equals sql / wl + sqr / wr - wn;
 * a candidate whose division-free form sql wr + sqr wl falls short of the best one's by more than
 * a relative 1e-10 (rounding is ~1e-15) cannot win, and skips the two divisions. Every other
 * candidate is compared with sklearn's own formula, so the chosen split is the one sklearn takes. */
static inline __attribute__((always_inline)) void consider(rf_work *W, rf_split *best, int f, float lo,
                                                          float hi, int64_t start, int64_t n_left, int64_t m,
                                                          double wl, double wn, const double *left,
                                                          const double *total, const int C) {
    if (!(hi > lo + RF_FEATURE_THRESHOLD)) return; /* sklearn treats them as one value */
    if (n_left < W->min_leaf || m - n_left < W->min_leaf) return;
    double wr = wn - wl, sql = 0.0, sqr = 0.0;
    for (int c = 0; c < C; c++) {
        double l = left[c], r = total[c] - l;
        sql += l * l;
        sqr += r * r;
    }
    if (sql * wr + sqr * wl < (best->proxy + wn) * (wl * wr) * (1.0 - 1e-10)) return;
    double proxy = -wr * (1.0 - sqr / (wr * wr)) - wl * (1.0 - sql / (wl * wl));
    if (proxy > best->proxy) {
        best->proxy = proxy;
        best->feature = f;
        best->threshold = split_threshold(lo, hi);
        best->pos = start + n_left;
        memcpy(W->best_left, left, (size_t)C * sizeof *left);
    }
}

/* Evaluates feature f on samples[start, end); returns 0 if the feature is constant there.
 * C is the number of classes, a constant in the specialised copies below. */
static inline __attribute__((always_inline)) int evaluate_feature_c(rf_work *W, int f, int64_t start,
                                                                    int64_t end, double wn, rf_split *best,
                                                                    const int C) {
    const rf_data *d = W->d;
    const int64_t m = end - start;
    const uint32_t *rk = d->rank + (int64_t)f * d->n;
    const float *dv = d->dval + d->doff[f];
    const int *y = d->y;
    const double *w = W->w;
    uint64_t *keys = W->keys;
    uint32_t rmin = UINT32_MAX, rmax = 0;
    for (int64_t p = 0; p < m; p++) {
        uint32_t s = (uint32_t)W->samples[start + p], r = rk[s];
        keys[p] = (uint64_t)r << 32 | s;
        if (r < rmin) rmin = r;
        if (r > rmax) rmax = r;
    }
    if (dv[rmax] <= dv[rmin] + RF_FEATURE_THRESHOLD) return 0; /* sklearn's "constant" */
    /* the class sums live in locals for small C, so that they stay in registers */
    double left_small[4], total_small[4];
    double *left = C <= 4 ? left_small : W->left;
    const double *total = W->total;
    if (C <= 4) {
        for (int c = 0; c < C; c++) total_small[c] = W->total[c];
        total = total_small;
    }
    for (int c = 0; c < C; c++) left[c] = 0.0;
    double wl = 0.0;
    int64_t range = (int64_t)rmax - rmin + 1;
    int use_hist = W->search == EMG_RF_SEARCH_HISTOGRAM ||
                   (W->search == EMG_RF_SEARCH_AUTO && (range >> 6) <= 2 * m + 16);
    if (use_hist) {
        /* histogram over the rank range: class weights and sample counts per distinct value, and
         * a bitmap of the present ranks, so that empty ranks cost 1/64 of a word each */
        double *hist = W->hist;
        uint32_t *hcnt = W->hcnt;
        uint64_t *bits = W->hbits;
        for (int64_t p = 0; p < m; p++) {
            uint32_t s = (uint32_t)keys[p];
            int64_t b = (int64_t)(keys[p] >> 32) - rmin;
            hist[b * C + y[s]] += w[s];
            hcnt[b]++;
            bits[b >> 6] |= UINT64_C(1) << (b & 63);
        }
        int64_t n_left = 0, prev = -1;
        for (int64_t q = 0; q <= (range - 1) >> 6; q++) {
            uint64_t word = bits[q];
            bits[q] = 0;
            while (word) {
                int64_t b = q * 64 + __builtin_ctzll(word);
                word &= word - 1;
                if (prev >= 0) consider(W, best, f, dv[rmin + prev], dv[rmin + b], start, n_left, m, wl, wn, left, total, C);
                double *h = hist + b * C;
                for (int c = 0; c < C; c++) { left[c] += h[c]; wl += h[c]; h[c] = 0.0; }
                n_left += hcnt[b];
                hcnt[b] = 0;
                prev = b;
            }
        }
    } else {
        /* sort (rank, sample) keys by rank, then scan runs of equal rank */
        sort_keys(keys, W->tmp, m);
        uint32_t prev = (uint32_t)(keys[0] >> 32);
        for (int64_t p = 0; p < m; p++) {
            uint32_t r = (uint32_t)(keys[p] >> 32), s = (uint32_t)keys[p];
            if (r != prev) {
                consider(W, best, f, dv[prev], dv[r], start, p, m, wl, wn, left, total, C);
                prev = r;
            }
            left[y[s]] += w[s];
            wl += w[s];
        }
    }
    return 1;
}

/* the class loops unrolled for EmoGen's 4 quadrants (and 2, 3); any other C takes the generic copy */
static int evaluate_feature(rf_work *W, int f, int64_t start, int64_t end, double wn, rf_split *best) {
    switch (W->d->C) {
    case 2: return evaluate_feature_c(W, f, start, end, wn, best, 2);
    case 3: return evaluate_feature_c(W, f, start, end, wn, best, 3);
    case 4: return evaluate_feature_c(W, f, start, end, wn, best, 4);
    default: return evaluate_feature_c(W, f, start, end, wn, best, W->d->C);
    }
}

/* sklearn's BestSplitter.node_split on samples[start, end): draws features uniformly without
 * replacement; known-constant features (constant in an ancestor) are counted but not evaluated;
 * stops after max_features draws once at least one non-constant feature was evaluated.
 * *n_const: in, the number of known constants (features[0, *n_const)); out, known + found. */
static int find_split(rf_work *W, emg_rng *rng, int64_t start, int64_t end, double wn, int *n_const,
                      rf_split *best) {
    int32_t *features = W->features, *cf = W->const_features;
    const int F = W->d->F;
    int f_i = F, n_visited = 0, n_found = 0, n_drawn = 0;
    const int n_known = *n_const;
    int n_total = n_known;
    best->feature = -1;
    best->pos = end;
    best->proxy = -INFINITY;
    best->threshold = 0.0;
    /* features: [0, n_drawn) drawn known constants, [n_drawn, n_known) undrawn known constants,
     * [n_known, n_total) constants found here, [n_total, f_i) undrawn, [f_i, F) evaluated */
    while (f_i > n_total && (n_visited < W->max_features || n_visited <= n_found + n_drawn)) {
        n_visited++;
        int j = n_drawn + (int)emg_rng_next_below(rng, (uint64_t)(f_i - n_found - n_drawn));
        if (j < n_known) {
            int32_t t = features[n_drawn]; features[n_drawn] = features[j]; features[j] = t;
            n_drawn++;
            continue;
        }
        j += n_found;
        int f = features[j];
        if (!evaluate_feature(W, f, start, end, wn, best)) {
            features[j] = features[n_total];
            features[n_total] = f;
            n_found++;
            n_total++;
            continue;
        }
        f_i--;
        features[j] = features[f_i];
        features[f_i] = f;
    }
    /* the known-constant prefix keeps its order for the sibling and the children; the newly found
     * constants are appended to it */
    memcpy(features, cf, (size_t)n_known * sizeof *features);
    memcpy(cf + n_known, features + n_known, (size_t)n_found * sizeof *cf);
    *n_const = n_total;
    return best->pos < end;
}

static int64_t nodes_add(rf_nodes *T, int C) {
    if (T->n_nodes == T->cap) {
        T->cap = T->cap ? 2 * T->cap : 256;
        T->nodes = xrealloc(T->nodes, (size_t)T->cap * sizeof *T->nodes);
        T->value = xrealloc(T->value, (size_t)T->cap * (size_t)C * sizeof *T->value);
    }
    return T->n_nodes++;
}

/* grows tree `tree` (randomness: emg_rng_make(seed, tree)) and appends its nodes to T */
static void fit_tree(rf_work *W, uint64_t seed, int tree, rf_nodes *T) {
    const rf_data *d = W->d;
    const int64_t n = d->n;
    const int C = d->C;
    emg_rng rng = emg_rng_make(seed, (uint64_t)tree);
    if (W->bootstrap) {
        memset(W->w, 0, (size_t)n * sizeof *W->w);
        for (int64_t k = 0; k < n; k++) W->w[emg_rng_next_below(&rng, (uint64_t)n)] += 1.0;
    } else {
        for (int64_t i = 0; i < n; i++) W->w[i] = 1.0;
    }
    if (W->sample_weight)
        for (int64_t i = 0; i < n; i++) W->w[i] *= W->sample_weight[i];
    int64_t m0 = 0;
    double w_all = 0.0;
    for (int64_t i = 0; i < n; i++) {
        w_all += W->w[i];
        if (W->w[i] > 0.0) W->samples[m0++] = (int32_t)i;
    }
    for (int f = 0; f < d->F; f++) W->features[f] = f;
    const int64_t base = T->n_nodes;
    int64_t sp = 0;
    W->stack[sp++] = (rf_pending){0, (int32_t)m0, 0, -1, 0, 0};
    while (sp > 0) {
        rf_pending r = W->stack[--sp];
        int64_t m = r.end - r.start;
        memset(W->total, 0, (size_t)C * sizeof *W->total);
        double wn = 0.0;
        for (int64_t p = r.start; p < r.end; p++) {
            int32_t s = W->samples[p];
            W->total[d->y[s]] += W->w[s];
            wn += W->w[s];
        }
        double impurity = wn > 0.0 ? gini(W->total, C, wn) : 0.0; /* all drawn samples weigh 0 */
        int is_leaf = (W->max_depth > 0 && r.depth >= W->max_depth) || m < W->min_split ||
                      m < 2 * (int64_t)W->min_leaf || impurity <= DBL_EPSILON;
        rf_split best = {-1, 0.0, r.end, -INFINITY};
        int n_const = r.n_const;
        if (!is_leaf) {
            if (!find_split(W, &rng, r.start, r.end, wn, &n_const, &best)) {
                is_leaf = 1;
            } else {
                /* move samples[start, end) with x <= threshold to the front (sklearn compares the
                 * float32 value with the double threshold, as predict does) */
                const float *col = d->xf + (int64_t)best.feature * n;
                int64_t i = r.start, j = r.end;
                while (i < j) {
                    if ((double)col[W->samples[i]] <= best.threshold) i++;
                    else { j--; int32_t t = W->samples[i]; W->samples[i] = W->samples[j]; W->samples[j] = t; }
                }
                if (i != best.pos) FAIL("random forest: partition disagrees with the split scan");
                /* sklearn's impurity_improvement, only to apply its "improvement + EPSILON <
                 * min_impurity_decrease (0)" leaf rule */
                double wl = 0.0;
                for (int c = 0; c < C; c++) wl += W->best_left[c];
                double wr = wn - wl;
                double il = gini(W->best_left, C, wl);
                double sqr = 0.0;
                for (int c = 0; c < C; c++) { double v = W->total[c] - W->best_left[c]; sqr += v * v; }
                double ir = 1.0 - sqr / (wr * wr);
                double improvement = (wn / w_all) * (impurity - wr / wn * ir - wl / wn * il);
                if (improvement + DBL_EPSILON < 0.0) is_leaf = 1;
            }
        }
        int64_t id = nodes_add(T, C);
        emg_tree_node *nd = &T->nodes[id];
        nd->left = nd->right = -1;
        nd->feature = is_leaf ? -1 : best.feature;
        nd->depth = r.depth;
        nd->n_samples = m;
        nd->threshold = is_leaf ? 0.0 : best.threshold;
        nd->impurity = impurity;
        nd->weight = wn;
        memcpy(T->value + id * C, W->total, (size_t)C * sizeof *W->total);
        if (r.parent >= 0) {
            if (r.is_left) T->nodes[base + r.parent].left = (int32_t)(id - base);
            else T->nodes[base + r.parent].right = (int32_t)(id - base);
        }
        if (!is_leaf) {
            if (sp + 2 > W->stack_cap) {
                W->stack_cap *= 2;
                W->stack = xrealloc(W->stack, (size_t)W->stack_cap * sizeof *W->stack);
            }
            /* right pushed first so the left child is built (and numbered) first, as in sklearn */
            int32_t pos = (int32_t)best.pos, me = (int32_t)(id - base);
            W->stack[sp++] = (rf_pending){pos, r.end, r.depth + 1, me, 0, n_const};
            W->stack[sp++] = (rf_pending){r.start, pos, r.depth + 1, me, 1, n_const};
        }
    }
}

/* ------------------------------------------------------------------ validation, fit, gather */

static emg_status validate_x(const double *X, int64_t n, int F) {
    int all_small = 1; /* fast pass: |v| <= FLT_MAX is false for NaN too */
    for (int64_t k = 0; k < n * F; k++) all_small &= fabs(X[k]) <= FLT_MAX;
    if (all_small) return emg_ok();
    for (int64_t i = 0; i < n; i++)
        for (int f = 0; f < F; f++) {
            double v = X[i * F + f];
            if (isnan(v))
                return emg_statusf(EMG_RF_BAD_VALUE,
                                   "X[row %lld, column %d] is NaN: the forest does not handle missing "
                                   "values (EmoGen maps NaN to 0 before fitting)", (long long)i, f);
            if (!isfinite(v) || isinf((float)v))
                return emg_statusf(EMG_RF_BAD_VALUE,
                                   "X[row %lld, column %d] = %g is infinite or beyond float32's range",
                                   (long long)i, f, v);
        }
    return emg_ok();
}

static void forest_clear(emg_forest *f) { memset(f, 0, sizeof *f); }

void emg_forest_free(emg_forest *f) {
    if (!f) return;
    free(f->tree_start);
    free(f->nodes);
    free(f->value);
    forest_clear(f);
}

static int count_to_int(int64_t v) {
    if (v < 0 || v > INT_MAX) FAIL("random forest: %lld items exceed one MPI message", (long long)v);
    return (int)v;
}

/* every rank passes its block of trees (local nodes, per-tree node counts); all get the forest */
static void gather_forest(MPI_Comm comm, int n_trees, int C, const rf_nodes *loc,
                          const int64_t *loc_tree_nodes, int64_t tb, int64_t te, emg_forest *out) {
    int size;
    CHECK_MPI(MPI_Comm_size(comm, &size));
    int64_t mine = loc->n_nodes, *per_rank = xmalloc((size_t)size * sizeof *per_rank);
    CHECK_MPI(MPI_Allgather(&mine, 1, MPI_INT64_T, per_rank, 1, MPI_INT64_T, comm));
    int *cnt = xmalloc((size_t)size * sizeof *cnt), *dsp = xmalloc((size_t)size * sizeof *dsp);
    /* per-tree node counts: rank r holds trees of its emg_split_block */
    int64_t *tree_nodes = xmalloc((size_t)n_trees * sizeof *tree_nodes);
    for (int r = 0; r < size; r++) {
        int64_t b, e;
        emg_split_block(n_trees, size, r, &b, &e);
        cnt[r] = count_to_int(e - b);
        dsp[r] = (int)b;
    }
    CHECK_MPI(MPI_Allgatherv(loc_tree_nodes, count_to_int(te - tb), MPI_INT64_T, tree_nodes, cnt, dsp,
                             MPI_INT64_T, comm));
    int64_t total = 0;
    for (int r = 0; r < size; r++) total += per_rank[r];
    out->tree_start = xmalloc((size_t)(n_trees + 1) * sizeof *out->tree_start);
    out->tree_start[0] = 0;
    for (int t = 0; t < n_trees; t++) out->tree_start[t + 1] = out->tree_start[t] + tree_nodes[t];
    if (out->tree_start[n_trees] != total) FAIL("random forest: gathered node counts disagree");
    out->nodes = xmalloc((size_t)(total ? total : 1) * sizeof *out->nodes);
    out->value = xmalloc((size_t)(total ? total : 1) * (size_t)C * sizeof *out->value);
    int64_t off = 0;
    for (int r = 0; r < size; r++) {
        cnt[r] = count_to_int(per_rank[r] * (int64_t)sizeof(emg_tree_node));
        dsp[r] = count_to_int(off * (int64_t)sizeof(emg_tree_node));
        off += per_rank[r];
    }
    CHECK_MPI(MPI_Allgatherv(loc->nodes, count_to_int(mine * (int64_t)sizeof(emg_tree_node)), MPI_BYTE,
                             out->nodes, cnt, dsp, MPI_BYTE, comm));
    off = 0;
    for (int r = 0; r < size; r++) {
        cnt[r] = count_to_int(per_rank[r] * C);
        dsp[r] = count_to_int(off * C);
        off += per_rank[r];
    }
    CHECK_MPI(MPI_Allgatherv(loc->value, count_to_int(mine * C), MPI_DOUBLE, out->value, cnt, dsp,
                             MPI_DOUBLE, comm));
    free(per_rank);
    free(cnt);
    free(dsp);
    free(tree_nodes);
}

emg_status emg_forest_fit(const double *X, const int *y, int64_t n, int F, int C,
                          const emg_forest_opts *o, MPI_Comm comm, emg_forest *out) {
    return emg_forest_fit_weighted(X, y, NULL, n, F, C, o, comm, out);
}

emg_status emg_forest_fit_weighted(const double *X, const int *y, const double *sample_weight, int64_t n,
                                   int F, int C, const emg_forest_opts *o, MPI_Comm comm, emg_forest *out) {
    forest_clear(out);
    if (n < 1 || n > INT32_MAX || F < 1 || C < 1 || (int64_t)n * F > INT64_MAX / 8)
        return emg_statusf(EMG_RF_BAD_ARG, "bad sizes: n=%lld, F=%d, C=%d", (long long)n, F, C);
    if (o->n_trees < 1 || o->max_features < 0 || o->max_depth < 0 || o->min_samples_split < 2 ||
        o->min_samples_leaf < 1 || o->search < EMG_RF_SEARCH_AUTO || o->search > EMG_RF_SEARCH_SORT)
        return emg_statusf(EMG_RF_BAD_ARG,
                           "bad options: n_trees=%d max_features=%d max_depth=%d min_samples_split=%d "
                           "min_samples_leaf=%d", o->n_trees, o->max_features, o->max_depth,
                           o->min_samples_split, o->min_samples_leaf);
    for (int64_t i = 0; i < n; i++)
        if (y[i] < 0 || y[i] >= C)
            return emg_statusf(EMG_RF_BAD_ARG, "label y[%lld] = %d is outside [0, %d)", (long long)i, y[i], C);
    if (sample_weight) {
        double sum = 0.0;
        for (int64_t i = 0; i < n; i++) {
            if (!(sample_weight[i] >= 0.0) || !isfinite(sample_weight[i]))
                return emg_statusf(EMG_RF_BAD_ARG, "sample_weight[%lld] = %g is not a finite weight >= 0",
                                   (long long)i, sample_weight[i]);
            sum += sample_weight[i];
        }
        if (!(sum > 0.0)) return emg_statusf(EMG_RF_BAD_ARG, "sample weights sum to 0");
    }
    emg_status st = validate_x(X, n, F);
    if (st.code) return st;

    int rank = 0, size = 1;
    if (comm != MPI_COMM_NULL) {
        CHECK_MPI(MPI_Comm_rank(comm, &rank));
        CHECK_MPI(MPI_Comm_size(comm, &size));
    }
    rf_data d;
    data_prepare(&d, X, y, n, F, C);
    rf_work W;
    work_init(&W, &d, o);
    W.sample_weight = sample_weight;
    int64_t tb, te;
    emg_split_block(o->n_trees, size, rank, &tb, &te);
    rf_nodes loc = {0};
    int64_t *loc_tree_nodes = xmalloc((size_t)(te - tb + 1) * sizeof *loc_tree_nodes);
    for (int64_t t = tb; t < te; t++) {
        int64_t before = loc.n_nodes;
        fit_tree(&W, o->seed, (int)t, &loc);
        loc_tree_nodes[t - tb] = loc.n_nodes - before;
    }
    work_free(&W);
    data_free(&d);

    out->n_features = F;
    out->n_classes = C;
    out->n_trees = o->n_trees;
    if (size == 1) {
        out->tree_start = xmalloc((size_t)(o->n_trees + 1) * sizeof *out->tree_start);
        out->tree_start[0] = 0;
        for (int t = 0; t < o->n_trees; t++) out->tree_start[t + 1] = out->tree_start[t] + loc_tree_nodes[t];
        out->nodes = loc.nodes;
        out->value = loc.value;
    } else {
        gather_forest(comm, o->n_trees, C, &loc, loc_tree_nodes, tb, te, out);
        free(loc.nodes);
        free(loc.value);
    }
    free(loc_tree_nodes);
    return emg_ok();
}

/* ------------------------------------------------------------------ prediction, importances */

emg_status emg_forest_predict_proba(const emg_forest *f, const double *X, int64_t n, double *proba) {
    const int F = f->n_features, C = f->n_classes;
    emg_status st = validate_x(X, n, F);
    if (st.code) return st;
    for (int64_t i = 0; i < n; i++) {
        const double *x = X + i * F;
        double *p = proba + i * C;
        for (int c = 0; c < C; c++) p[c] = 0.0;
        for (int t = 0; t < f->n_trees; t++) {
            const emg_tree_node *nodes = f->nodes + f->tree_start[t];
            int64_t k = 0;
            while (nodes[k].left >= 0)
                k = (double)(float)x[nodes[k].feature] <= nodes[k].threshold ? nodes[k].left : nodes[k].right;
            const double *v = f->value + (f->tree_start[t] + k) * C;
            double sum = 0.0;
            for (int c = 0; c < C; c++) sum += v[c];
            if (sum == 0.0) sum = 1.0;
            for (int c = 0; c < C; c++) p[c] += v[c] / sum;
        }
        for (int c = 0; c < C; c++) p[c] /= f->n_trees;
    }
    return emg_ok();
}

emg_status emg_forest_predict(const emg_forest *f, const double *X, int64_t n, int *pred) {
    const int C = f->n_classes;
    double *p = xmalloc((size_t)C * sizeof *p);
    emg_status st = emg_ok();
    for (int64_t i = 0; i < n && !st.code; i++) {
        st = emg_forest_predict_proba(f, X + i * f->n_features, 1, p);
        if (st.code) {
            st = emg_statusf(st.code, "row %lld: %s", (long long)i, st.msg);
            break;
        }
        int best = 0;
        for (int c = 1; c < C; c++)
            if (p[c] > p[best]) best = c;
        pred[i] = best;
    }
    free(p);
    return st;
}

void emg_forest_tree_importances(const emg_forest *f, int tree, double *imp) {
    const int F = f->n_features;
    const emg_tree_node *nodes = f->nodes + f->tree_start[tree];
    int64_t nn = f->tree_start[tree + 1] - f->tree_start[tree];
    for (int j = 0; j < F; j++) imp[j] = 0.0;
    for (int64_t k = 0; k < nn; k++) {
        const emg_tree_node *a = &nodes[k];
        if (a->left < 0) continue;
        const emg_tree_node *l = &nodes[a->left], *r = &nodes[a->right];
        imp[a->feature] += a->weight * a->impurity - l->weight * l->impurity - r->weight * r->impurity;
    }
    if (!(nodes[0].weight > 0.0)) return; /* a single leaf without weight: no decrease anywhere */
    for (int j = 0; j < F; j++) imp[j] /= nodes[0].weight;
    double norm = 0.0;
    for (int j = 0; j < F; j++) norm += imp[j];
    if (norm > 0.0)
        for (int j = 0; j < F; j++) imp[j] /= norm;
}

void emg_forest_importances(const emg_forest *f, double *imp) {
    const int F = f->n_features;
    double *one = xmalloc((size_t)F * sizeof *one);
    for (int j = 0; j < F; j++) imp[j] = 0.0;
    int used = 0;
    for (int t = 0; t < f->n_trees; t++) {
        if (f->tree_start[t + 1] - f->tree_start[t] <= 1) continue; /* sklearn skips single-leaf trees */
        emg_forest_tree_importances(f, t, one);
        for (int j = 0; j < F; j++) imp[j] += one[j];
        used++;
    }
    free(one);
    if (!used) return;
    double sum = 0.0;
    for (int j = 0; j < F; j++) { imp[j] /= used; sum += imp[j]; }
    for (int j = 0; j < F; j++) imp[j] /= sum;
}

/* ------------------------------------------------------------------ flat buffer */

static const char rf_magic[8] = {'E', 'M', 'G', 'R', 'F', '0', '0', '1'};

size_t emg_forest_serialize(const emg_forest *f, void *buf, size_t cap) {
    if (!f->tree_start) return 0; /* an empty (failed or freed) forest */
    int64_t nn = f->tree_start[f->n_trees];
    size_t need = 8 + 4 * sizeof(int32_t) + sizeof(int64_t) + (size_t)(f->n_trees + 1) * sizeof(int64_t) +
                  (size_t)nn * sizeof(emg_tree_node) + (size_t)nn * (size_t)f->n_classes * sizeof(double);
    if (!buf || cap < need) return need;
    unsigned char *p = buf;
    int32_t hdr[4] = {f->n_features, f->n_classes, f->n_trees, 0};
    memcpy(p, rf_magic, 8); p += 8;
    memcpy(p, hdr, sizeof hdr); p += sizeof hdr;
    memcpy(p, &nn, sizeof nn); p += sizeof nn;
    memcpy(p, f->tree_start, (size_t)(f->n_trees + 1) * sizeof(int64_t)); p += (size_t)(f->n_trees + 1) * sizeof(int64_t);
    memcpy(p, f->nodes, (size_t)nn * sizeof(emg_tree_node)); p += (size_t)nn * sizeof(emg_tree_node);
    memcpy(p, f->value, (size_t)nn * (size_t)f->n_classes * sizeof(double));
    return need;
}

emg_status emg_forest_deserialize(const void *buf, size_t len, emg_forest *out) {
    forest_clear(out);
    const unsigned char *p = buf;
    int32_t hdr[4];
    int64_t nn;
    size_t head = 8 + sizeof hdr + sizeof nn;
    if (len < head || memcmp(p, rf_magic, 8) != 0)
        return emg_statusf(EMG_RF_BAD_BUFFER, "not a serialised forest (magic EMGRF001 missing)");
    memcpy(hdr, p + 8, sizeof hdr);
    memcpy(&nn, p + 8 + sizeof hdr, sizeof nn);
    int F = hdr[0], C = hdr[1], T = hdr[2];
    if (F < 1 || C < 1 || T < 1 || nn < T || nn > (int64_t)(len / sizeof(emg_tree_node)))
        return emg_statusf(EMG_RF_BAD_BUFFER, "bad forest header: F=%d C=%d trees=%d nodes=%lld", F, C, T,
                           (long long)nn);
    size_t need = head + (size_t)(T + 1) * sizeof(int64_t) + (size_t)nn * sizeof(emg_tree_node) +
                  (size_t)nn * (size_t)C * sizeof(double);
    if (len != need)
        return emg_statusf(EMG_RF_BAD_BUFFER, "forest buffer has %zu bytes, its header says %zu", len, need);
    p += head;
    out->n_features = F;
    out->n_classes = C;
    out->n_trees = T;
    out->tree_start = xmalloc((size_t)(T + 1) * sizeof *out->tree_start);
    memcpy(out->tree_start, p, (size_t)(T + 1) * sizeof(int64_t)); p += (size_t)(T + 1) * sizeof(int64_t);
    out->nodes = xmalloc((size_t)nn * sizeof *out->nodes);
    memcpy(out->nodes, p, (size_t)nn * sizeof(emg_tree_node)); p += (size_t)nn * sizeof(emg_tree_node);
    out->value = xmalloc((size_t)nn * (size_t)C * sizeof *out->value);
    memcpy(out->value, p, (size_t)nn * (size_t)C * sizeof(double));
    /* check the structure, so that predict can trust it */
    int ok = out->tree_start[0] == 0 && out->tree_start[T] == nn;
    for (int t = 0; t < T && ok; t++) {
        int64_t b = out->tree_start[t], e = out->tree_start[t + 1];
        if (e <= b) { ok = 0; break; }
        for (int64_t k = b; k < e && ok; k++) {
            const emg_tree_node *a = &out->nodes[k];
            if (a->left < 0) { ok = a->right < 0; continue; }
            /* children come after their parent (pre-order), so every walk ends */
            ok = a->left > k - b && a->right > k - b && a->left < e - b && a->right < e - b &&
                 a->feature >= 0 && a->feature < F;
        }
    }
    if (!ok) {
        emg_forest_free(out);
        return emg_statusf(EMG_RF_BAD_BUFFER, "forest buffer has an inconsistent tree structure");
    }
    return emg_ok();
}
