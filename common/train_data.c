/* train_data.c: see train_data.h. */
#define _POSIX_C_SOURCE 200809L
#include "train_data.h"
#include "check.h"
#include "jsym.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emg_vocab_map_init(emg_vocab_map *v, const char *dict_path, char *err, size_t errlen) {
    memset(v, 0, sizeof *v);
    if (!dict_path || !*dict_path || !strcmp(dict_path, "full")) {
        v->size = 4 + EMG_REMI_VOCAB_SIZE;
        v->to_full = xmalloc((size_t)v->size * sizeof *v->to_full);
        for (int i = 0; i < 4; i++) v->to_full[i] = -1;
        for (int i = 0; i < EMG_REMI_VOCAB_SIZE; i++) { v->to_model[i] = 4 + i; v->to_full[4 + i] = i; }
        snprintf(v->source, sizeof v->source, "full");
        return 0;
    }
    emg_remi_dict d;
    emg_status st = emg_remi_dict_load(&d, dict_path);
    if (st.code) { snprintf(err, errlen, "%s: %s", dict_path, st.msg); return -1; }
    v->size = d.n;
    v->to_full = xmalloc((size_t)v->size * sizeof *v->to_full);
    for (int i = 0; i < v->size; i++) v->to_full[i] = d.to_full[i];
    for (int i = 0; i < EMG_REMI_VOCAB_SIZE; i++) v->to_model[i] = d.from_full[i];
    snprintf(v->source, sizeof v->source, "%s", dict_path);
    emg_remi_dict_free(&d);
    return 0;
}

void emg_vocab_map_free(emg_vocab_map *v) { free(v->to_full); memset(v, 0, sizeof *v); }

typedef struct { int64_t len, idx; } len_idx;
static int by_len(const void *a, const void *b) {
    const len_idx *x = a, *y = b;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : 1;
}

static void sort_by_length(int64_t *set, int64_t n, const int64_t *off) {
    len_idx *t = xmalloc((size_t)(n ? n : 1) * sizeof *t);
    for (int64_t i = 0; i < n; i++) t[i] = (len_idx){off[set[i] + 1] - off[set[i]], set[i]};
    qsort(t, (size_t)n, sizeof *t, by_len);
    for (int64_t i = 0; i < n; i++) set[i] = t[i].idx;
    free(t);
}

int emg_train_data_load(emg_train_data *d, const emg_corpus *c, const emg_attributes *a, const emg_vocab_map *v,
                        double valid_fraction, char *err, size_t errlen) {
    memset(d, 0, sizeof *d);
    d->A = a->n;
    int64_t n = 0, ntok = 0;
    for (int64_t s = 0; s < c->n_segments; s++)
        if (c->seg_valid[s]) { n++; ntok += c->seg_end[s] - c->seg_begin[s]; }
    if (n == 0) { snprintf(err, errlen, "%s: no segment with features to train on", c->path); return -1; }
    d->n = n;
    d->off = xmalloc((size_t)(n + 1) * sizeof *d->off);
    d->tok = xmalloc((size_t)(ntok ? ntok : 1) * sizeof *d->tok);
    d->bits = xmalloc((size_t)n * (size_t)a->n * sizeof *d->bits);
    d->piece = xmalloc((size_t)n * sizeof *d->piece);
    int64_t *rows = xmalloc((size_t)n * sizeof *rows);
    int64_t k = 0, t = 0;
    for (int64_t s = 0; s < c->n_segments; s++) {
        if (!c->seg_valid[s]) continue;
        rows[k] = s;
        d->piece[k] = c->seg_piece[s];
        d->off[k] = t;
        int64_t p = c->seg_piece[s], len = c->seg_end[s] - c->seg_begin[s];
        uint16_t *full = xmalloc((size_t)len * sizeof *full);
        emg_corpus_read_tokens(c, c->tok_off[p] + c->seg_begin[s], len, full);
        for (int64_t i = 0; i < len; i++) {
            int32_t m = full[i] < EMG_REMI_VOCAB_SIZE ? v->to_model[full[i]] : EMG_TOK_UNK;
            if (m == EMG_TOK_UNK) d->unk_tokens++;
            d->tok[t + i] = (uint16_t)m;
        }
        free(full);
        t += len;
        k++;
    }
    d->off[n] = t;
    /* attribute vectors from the segments' own features, read in blocks to bound memory */
    const int64_t block = 1024;
    double *F = xmalloc((size_t)block * EMG_JSYM_NVALUES * sizeof *F);
    int *bits = xmalloc((size_t)a->n * sizeof *bits);
    for (int64_t i = 0; i < n; i += block) {
        int64_t m = n - i < block ? n - i : block;
        emg_corpus_read_feature_rows(c, "segments/features", rows + i, m, F);
        for (int64_t j = 0; j < m; j++) {
            emg_attr_bits(a, F + j * EMG_JSYM_NVALUES, bits);
            for (int q = 0; q < a->n; q++) d->bits[(i + j) * a->n + q] = (int16_t)bits[q];
        }
    }
    free(F);
    free(bits);
    free(rows);
    /* split by piece MD5: the same pieces are held out for any rank count and any run */
    d->train = xmalloc((size_t)n * sizeof *d->train);
    d->valid = xmalloc((size_t)n * sizeof *d->valid);
    uint64_t cut = (uint64_t)(valid_fraction * 1e6 + 0.5);
    for (int64_t i = 0; i < n; i++) {
        const uint8_t *h = c->md5[d->piece[i]];
        uint64_t x = 0;
        for (int b = 0; b < 8; b++) x = x << 8 | h[b];
        if (x % 1000000 < cut) d->valid[d->n_valid++] = i;
        else d->train[d->n_train++] = i;
    }
    sort_by_length(d->train, d->n_train, d->off);
    sort_by_length(d->valid, d->n_valid, d->off);
    return 0;
}

void emg_train_data_free(emg_train_data *d) {
    free(d->off); free(d->tok); free(d->bits); free(d->piece); free(d->train); free(d->valid);
    memset(d, 0, sizeof *d);
}

int64_t emg_train_epoch_batches(int64_t n_set, int64_t batch_size, uint64_t seed, uint64_t epoch, int64_t *starts) {
    int64_t nb = (n_set + batch_size - 1) / batch_size;
    for (int64_t b = 0; b < nb; b++) starts[b] = b * batch_size;
    /* Fisher-Yates with Philox draws indexed by (seed, stream = epoch, index = position) */
    for (int64_t b = nb - 1; b > 0; b--) {
        int64_t j = (int64_t)emg_rng_below(seed, 0x65706f6368000000ull + epoch, (uint64_t)b, (uint64_t)(b + 1));
        int64_t tmp = starts[b]; starts[b] = starts[j]; starts[j] = tmp;
    }
    return nb;
}

int emg_train_fill_batch(const emg_train_data *d, const int64_t *set, int64_t first, int64_t count, int max_T,
                         int *src, int *tgt, int *bits, int64_t *ntok) {
    int T = 1;
    for (int64_t b = 0; b < count; b++) {
        int64_t i = set[first + b];
        int64_t len = d->off[i + 1] - d->off[i];
        if (len + 1 > T) T = (int)(len + 1);
    }
    if (T > max_T) T = max_T;
    *ntok = 0;
    for (int64_t b = 0; b < count; b++) {
        int64_t i = set[first + b];
        int64_t len = d->off[i + 1] - d->off[i];
        if (len + 1 > T) len = T - 1;
        int *s = src + b * T, *g = tgt + b * T;
        s[0] = EMG_TOK_EOS;
        for (int64_t t = 0; t < len; t++) { s[t + 1] = d->tok[d->off[i] + t]; g[t] = d->tok[d->off[i] + t]; }
        g[len] = EMG_TOK_EOS;
        for (int64_t t = len + 1; t < T; t++) { s[t] = EMG_TOK_PAD; g[t] = EMG_TOK_PAD; }
        *ntok += len + 1;
        for (int q = 0; q < d->A; q++) bits[b * d->A + q] = d->bits[i * d->A + q];
    }
    return T;
}
