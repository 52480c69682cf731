/* model_decode.c: recurrent-state incremental decoder and fairseq sampling (model_decode.h). */
#include "model_decode.h"

#include "check.h"
#include "model_layers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

emg_decoder *emg_decoder_create(const emg_model *m, int B, const int *cmd) {
    if (B <= 0) FAIL("emg_decoder_create: B = %d", B);
    const emg_model_config *c = &m->cfg;
    const size_t d = (size_t)c->d_model, H = (size_t)c->n_heads, Dh = d / H, L = (size_t)c->n_layers;
    const size_t F = (size_t)c->d_ffn, V = (size_t)c->vocab, AE = (size_t)c->attr_num * c->attr_embed;
    const size_t nb = (size_t)B;
    emg_decoder *dec = xcalloc(1, sizeof *dec);
    dec->m = m;
    dec->B = B;
    size_t n = L * nb * H * Dh * Dh + L * nb * H * Dh + nb * d + nb * AE + 7 * nb * d + 2 * nb * F + 2 * nb + d +
               nb * V;
    dec->mem = xcalloc(n, sizeof(float));
    float *cur = dec->mem;
#define TAKE(field, count) do { dec->field = cur; cur += (count); } while (0)
    TAKE(S, L * nb * H * Dh * Dh);
    TAKE(z, L * nb * H * Dh);
    TAKE(cvec, nb * d);
    TAKE(attr_a, nb * AE);
    TAKE(x, nb * d);
    TAKE(h, nb * d);
    TAKE(q, nb * d);
    TAKE(k, nb * d);
    TAKE(v, nb * d);
    TAKE(att, nb * d);
    TAKE(tmp, nb * d);
    TAKE(ff, nb * F);
    TAKE(ffg, nb * F);
    TAKE(mean, nb);
    TAKE(rstd, nb);
    TAKE(pe, d);
    TAKE(logits, nb * V);
#undef TAKE
    if ((size_t)(cur - dec->mem) != n) FAIL("emg_decoder_create: layout does not add up");
    dec->swork = xmalloc(2 * V * sizeof(double));
    dec->iwork = xmalloc(V * sizeof(int));
    emg_decoder_reset(dec, cmd);
    return dec;
}

void emg_decoder_free(emg_decoder *dec) {
    if (!dec) return;
    free(dec->mem);
    free(dec->swork);
    free(dec->iwork);
    free(dec);
}

void emg_decoder_reset(emg_decoder *dec, const int *cmd) {
    const emg_model *m = dec->m;
    const emg_model_config *c = &m->cfg;
    const size_t d = (size_t)c->d_model, H = (size_t)c->n_heads, Dh = d / H, L = (size_t)c->n_layers;
    const int A = c->attr_num, K = c->attr_buckets, E = c->attr_embed, AE = A * E;
    memset(dec->S, 0, L * (size_t)dec->B * H * Dh * Dh * sizeof(float));
    memset(dec->z, 0, L * (size_t)dec->B * H * Dh * sizeof(float));
    dec->t = 0;
    /* the attribute vector, as in the forward pass (model.c attributes_forward) */
    for (int b = 0; b < dec->B; b++)
        for (int j = 0; j < A; j++) {
            const int val = cmd[(size_t)b * A + j];
            if (val < -1 || val >= K) FAIL("emg_decoder_reset: attribute value %d outside [-1, %d)", val, K);
            float *dst = dec->attr_a + (size_t)b * AE + (size_t)j * E;
            if (val < 0) memset(dst, 0, (size_t)E * sizeof *dst);
            else memcpy(dst, m->w.attr_emb + ((size_t)j * K + val) * E, (size_t)E * sizeof *dst);
        }
    emg_linear_forward(dec->cvec, dec->attr_a, m->w.attr_w, m->w.attr_b, dec->B, AE, c->d_model);
}

/* one recurrent attention step for B rows: S += k v^T, z += k, att = (q S) / (q . z + eps) */
static void attention_step(float *att, float *S, float *z, const float *q, const float *k, const float *v, int B,
                           int H, int Dh, float eps) {
    const size_t C = (size_t)H * Dh;
    for (int b = 0; b < B; b++)
        for (int h = 0; h < H; h++) {
            const size_t off = (size_t)b * C + (size_t)h * Dh;
            float *restrict Sh = S + ((size_t)b * H + h) * Dh * Dh;
            float *restrict zh = z + ((size_t)b * H + h) * Dh;
            const float *qh = q + off, *kh = k + off, *vh = v + off;
            float *restrict o = att + off;
            for (int i = 0; i < Dh; i++) {
                const float ki = kh[i];
                float *Si = Sh + (size_t)i * Dh;
                zh[i] += ki;
                for (int j = 0; j < Dh; j++) Si[j] += ki * vh[j];
            }
            float den = 0.0f;
            for (int i = 0; i < Dh; i++) den += qh[i] * zh[i];
            for (int j = 0; j < Dh; j++) o[j] = 0.0f;
            for (int i = 0; i < Dh; i++) {
                const float qi = qh[i];
                const float *Si = Sh + (size_t)i * Dh;
                for (int j = 0; j < Dh; j++) o[j] += qi * Si[j];
            }
            const float r = 1.0f / (den + eps);
            for (int j = 0; j < Dh; j++) o[j] *= r;
        }
}

/* one product of the step: the streaming few-row kernel, or cblas_sgemm (use_sgemm, or many rows) */
static void dec_linear(const emg_decoder *dec, float *y, const float *x, const float *W, const float *b, long N, int C,
                       int OC) {
    if (dec->use_sgemm || N > 8) emg_linear_forward(y, x, W, b, N, C, OC);
    else emg_linear_forward_rows(y, x, W, b, N, C, OC);
}

const float *emg_decoder_step(emg_decoder *dec, const int *tokens) {
    const emg_model *m = dec->m;
    const emg_model_config *c = &m->cfg;
    const emg_weights *w = &m->w;
    const int d = c->d_model, H = c->n_heads, Dh = d / H, F = c->d_ffn, V = c->vocab, B = dec->B;
    const size_t Bd = (size_t)B * d;
    const float sd = (float)sqrt((double)d);
    emg_pe_row(d, c->pad_idx, dec->t + c->pad_idx + 1, dec->pe);
    for (int b = 0; b < B; b++) {
        if (tokens[b] < 0 || tokens[b] >= V) FAIL("emg_decoder_step: token %d outside [0, %d)", tokens[b], V);
        const float *e = w->tok_emb + (size_t)tokens[b] * d, *cv = dec->cvec + (size_t)b * d;
        float *x = dec->x + (size_t)b * d;
        for (int i = 0; i < d; i++) x[i] = (e[i] * sd + cv[i]) + dec->pe[i];
    }
    for (int l = 0; l < c->n_layers; l++) {
        const emg_layer_w *lw = &w->layer[l];
        float *S = dec->S + (size_t)l * B * H * Dh * Dh;
        float *z = dec->z + (size_t)l * B * H * Dh;
        emg_layernorm_forward(dec->h, dec->mean, dec->rstd, dec->x, lw->ln1w, lw->ln1b, B, d, c->ln_eps);
        dec_linear(dec, dec->q, dec->h, lw->qw, lw->qb, B, d, d);
        dec_linear(dec, dec->k, dec->h, lw->kw, lw->kb, B, d, d);
        dec_linear(dec, dec->v, dec->h, lw->vw, lw->vb, B, d, d);
        emg_phi_forward(dec->q, NULL, B, d);
        emg_phi_forward(dec->k, NULL, B, d);
        attention_step(dec->att, S, z, dec->q, dec->k, dec->v, B, H, Dh, c->attn_eps);
        dec_linear(dec, dec->tmp, dec->att, lw->ow, lw->ob, B, d, d);
        for (size_t i = 0; i < Bd; i++) dec->x[i] = dec->x[i] + dec->tmp[i];
        emg_layernorm_forward(dec->h, dec->mean, dec->rstd, dec->x, lw->ln2w, lw->ln2b, B, d, c->ln_eps);
        dec_linear(dec, dec->ff, dec->h, lw->fc1w, lw->fc1b, B, d, F);
        emg_gelu_forward(dec->ffg, dec->ff, (size_t)B * F);
        dec_linear(dec, dec->tmp, dec->ffg, lw->fc2w, lw->fc2b, B, F, d);
        for (size_t i = 0; i < Bd; i++) dec->x[i] = dec->x[i] + dec->tmp[i];
    }
    emg_layernorm_forward(dec->h, dec->mean, dec->rstd, dec->x, w->lnfw, w->lnfb, B, d, c->ln_eps);
    dec_linear(dec, dec->logits, dec->h, w->out_proj, NULL, B, d, V);
    dec->t++;
    return dec->logits;
}

/* ---------------------------------------------------------------------------------------------
 * sampling
 * ------------------------------------------------------------------------------------------- */
emg_sample_opts emg_sample_opts_emogen(void) {
    emg_sample_opts o = {0, 0.9, 1.0, 512, 1280};
    return o;
}

typedef struct { double p; int id; } prob_id;

/* descending probability, ascending id on ties (a stable descending sort) */
static int cmp_desc(const void *a, const void *b) {
    const prob_id *x = a, *y = b;
    if (x->p > y->p) return -1;
    if (x->p < y->p) return 1;
    return (x->id > y->id) - (x->id < y->id);
}

int emg_sample_token(const float *logits, int V, int pad_idx, int eos_idx, long step, const emg_sample_opts *o,
                     double u, int *n_kept, double *work, int *iwork) {
    double *lp = work;
    (void)iwork;
    const double temp = o->temperature > 0.0 ? o->temperature : 1.0;
    /* log_softmax(logits / temperature) in double */
    double mx = -INFINITY;
    for (int v = 0; v < V; v++) {
        lp[v] = (double)logits[v] / temp;
        if (lp[v] > mx) mx = lp[v];
    }
    double s = 0.0;
    for (int v = 0; v < V; v++) s += exp(lp[v] - mx);
    const double lse = mx + log(s);
    for (int v = 0; v < V; v++) {
        lp[v] -= lse;
        if (isnan(lp[v])) lp[v] = -INFINITY;
    }
    lp[pad_idx] = -INFINITY;
    if (step >= o->max_len) {
        const double keep = lp[eos_idx];
        for (int v = 0; v < V; v++) lp[v] = -INFINITY;
        lp[eos_idx] = keep;
    } else if (step < o->min_len) {
        lp[eos_idx] = -INFINITY;
    }
    if (o->greedy) {
        int best = 0;
        for (int v = 1; v < V; v++)
            if (lp[v] > lp[best]) best = v;
        if (n_kept) *n_kept = V;
        return best;
    }
    /* top-p: sorted probabilities (work doubles as the prob_id array: 2V doubles >= V prob_id) */
    prob_id *pi = (prob_id *)(void *)work;
    /* lp is overwritten in place from the end, so read before writing: lp[v] -> pi[v] */
    for (int v = V - 1; v >= 0; v--) {
        const double pv = exp(lp[v]);
        pi[v].p = pv;
        pi[v].id = v;
    }
    qsort(pi, (size_t)V, sizeof *pi, cmp_desc);
    double cum = 0.0;
    int n_lt = 0;
    for (int i = 0; i < V; i++) {
        cum += pi[i].p;
        if (cum < o->top_p) n_lt++;
        else break;
    }
    const int last = n_lt < V - 1 ? n_lt : V - 1;
    if (n_kept) *n_kept = last + 1;
    /* inverse CDF over the kept entries (dropped ones are 0: cumsum flat after `last`) */
    double total = 0.0;
    for (int i = 0; i <= last; i++) total += pi[i].p;
    const double r = u * total;
    int j = 0;
    double c = 0.0;
    for (int i = 0; i <= last; i++) {
        c += pi[i].p;
        if (c <= r) j++;
    }
    if (total <= r) j += V - 1 - last;  /* the flat tail (only when u >= 1) */
    if (j > V - 1) j = V - 1;
    return pi[j].id;
}

int emg_decoder_sample(emg_decoder *dec, int b, long step, const emg_sample_opts *o, double u, int *n_kept) {
    const emg_model_config *c = &dec->m->cfg;
    return emg_sample_token(dec->logits + (size_t)b * c->vocab, c->vocab, c->pad_idx, c->eos_idx, step, o, u, n_kept,
                            dec->swork, dec->iwork);
}
