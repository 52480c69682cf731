/* model.c: EmoGen's model: configuration, flat parameter layout, forward, backward, loss.
 * Layer kernels are in model_layers.c, the optimiser in model_adam.c, decoding in model_decode.c. */
#include "model.h"

#include "check.h"
#include "model_layers.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * configuration
 * ------------------------------------------------------------------------------------------- */
static emg_model_config base_config(void) {
    emg_model_config c;
    memset(&c, 0, sizeof c);
    c.vocab = 462;
    c.attr_num = 100;
    c.attr_buckets = 2;
    c.attr_embed = 16;
    c.pad_idx = 1;
    c.eos_idx = 2;
    c.ln_eps = 1e-5f;
    c.attn_eps = 1e-6f;
    c.dropout = 0.1f;
    return c;
}

emg_model_config emg_model_config_emogen(int vocab) {
    emg_model_config c = base_config();
    c.vocab = vocab;
    c.d_model = 512;
    c.n_layers = 6;
    c.n_heads = 8;
    c.d_ffn = 2048;
    return c;
}

emg_model_config emg_model_config_small(void) {
    emg_model_config c = base_config();
    c.d_model = 128;
    c.n_layers = 4;
    c.n_heads = 8;
    c.d_ffn = 512;
    return c;
}

emg_model_config emg_model_config_tiny(void) {
    emg_model_config c = base_config();
    c.d_model = 64;
    c.n_layers = 2;
    c.n_heads = 4;
    c.d_ffn = 256;
    return c;
}

const char *emg_model_config_invalid(const emg_model_config *c) {
    if (c->vocab < 3 || c->vocab > (1 << 24)) return "vocab must be in [3, 2^24]";
    if (c->d_model < 4 || c->d_model % 2 || c->d_model > 65536) return "d_model must be even, in [4, 65536]";
    if (c->n_layers < 1 || c->n_layers > 1000) return "n_layers must be in [1, 1000]";
    if (c->n_heads < 1 || c->d_model % c->n_heads) return "n_heads must divide d_model";
    if (c->d_model / c->n_heads > 1024) return "head size d_model / n_heads must be <= 1024";
    if (c->d_ffn < 1 || c->d_ffn > (1 << 20)) return "d_ffn must be in [1, 2^20]";
    if (c->attr_num < 0 || c->attr_buckets < 1 || c->attr_embed < 1) return "bad attribute sizes";
    if ((long)c->attr_num * c->attr_embed > (1 << 24)) return "attr_num * attr_embed too large";
    if (c->pad_idx < 0 || c->pad_idx >= c->vocab || c->eos_idx < 0 || c->eos_idx >= c->vocab)
        return "pad_idx and eos_idx must be token ids";
    if (!(c->ln_eps > 0.0f) || !(c->attn_eps >= 0.0f)) return "bad eps";
    if (!(c->dropout >= 0.0f && c->dropout < 1.0f)) return "dropout must be in [0, 1)";
    return NULL;
}

size_t emg_model_param_count(const emg_model_config *c) {
    const size_t V = (size_t)c->vocab, d = (size_t)c->d_model, L = (size_t)c->n_layers, F = (size_t)c->d_ffn;
    const size_t A = (size_t)c->attr_num, K = (size_t)c->attr_buckets, E = (size_t)c->attr_embed;
    return 2 * V * d + A * K * E + A * E * d + d + L * (4 * d * d + 9 * d + 2 * d * F + F) + 2 * d;
}

/* ---------------------------------------------------------------------------------------------
 * parameter layout (canonical order of the reference's param_names)
 * ------------------------------------------------------------------------------------------- */
static void add_tensor(emg_tensor_info *t, int *n, size_t *off, const char *name, int ndim, int s0, int s1, int s2) {
    emg_tensor_info *ti = &t[(*n)++];
    memset(ti, 0, sizeof *ti);
    snprintf(ti->name, sizeof ti->name, "%s", name);
    ti->ndim = ndim;
    ti->shape[0] = s0;
    ti->shape[1] = s1;
    ti->shape[2] = s2;
    ti->numel = (size_t)s0 * (ndim > 1 ? (size_t)s1 : 1) * (ndim > 2 ? (size_t)s2 : 1);
    ti->offset = *off;
    *off += ti->numel;
}

static int build_layout(const emg_model_config *c, emg_tensor_info *t) {
    const int V = c->vocab, d = c->d_model, F = c->d_ffn, A = c->attr_num, K = c->attr_buckets, E = c->attr_embed;
    int n = 0;
    size_t off = 0;
    char name[48];
    add_tensor(t, &n, &off, "tok_emb", 2, V, d, 0);
    add_tensor(t, &n, &off, "attr_emb", 3, A, K, E);
    add_tensor(t, &n, &off, "attr_proj.weight", 2, d, A * E, 0);
    add_tensor(t, &n, &off, "attr_proj.bias", 1, d, 0, 0);
    for (int l = 0; l < c->n_layers; l++) {
#define LT(suffix, ndim, s0, s1) \
        do { snprintf(name, sizeof name, "layers.%d.%s", l, suffix); add_tensor(t, &n, &off, name, ndim, s0, s1, 0); } while (0)
        LT("ln1.weight", 1, d, 0);
        LT("ln1.bias", 1, d, 0);
        LT("q.weight", 2, d, d);
        LT("q.bias", 1, d, 0);
        LT("k.weight", 2, d, d);
        LT("k.bias", 1, d, 0);
        LT("v.weight", 2, d, d);
        LT("v.bias", 1, d, 0);
        LT("o.weight", 2, d, d);
        LT("o.bias", 1, d, 0);
        LT("ln2.weight", 1, d, 0);
        LT("ln2.bias", 1, d, 0);
        LT("fc1.weight", 2, F, d);
        LT("fc1.bias", 1, F, 0);
        LT("fc2.weight", 2, d, F);
        LT("fc2.bias", 1, d, 0);
#undef LT
    }
    add_tensor(t, &n, &off, "ln_f.weight", 1, d, 0, 0);
    add_tensor(t, &n, &off, "ln_f.bias", 1, d, 0, 0);
    add_tensor(t, &n, &off, "out_proj", 2, V, d, 0);
    return n;
}

/* point a weights view into a flat buffer, in layout order */
static void point_weights(emg_weights *w, const emg_model *m, float *base) {
    const emg_tensor_info *t = m->tensors;
    int k = 0;
    w->tok_emb = base + t[k++].offset;
    w->attr_emb = base + t[k++].offset;
    w->attr_w = base + t[k++].offset;
    w->attr_b = base + t[k++].offset;
    for (int l = 0; l < m->cfg.n_layers; l++) {
        emg_layer_w *L = &w->layer[l];
        float **slots[16] = {&L->ln1w, &L->ln1b, &L->qw, &L->qb, &L->kw, &L->kb, &L->vw, &L->vb,
                             &L->ow, &L->ob, &L->ln2w, &L->ln2b, &L->fc1w, &L->fc1b, &L->fc2w, &L->fc2b};
        for (int s = 0; s < 16; s++) *slots[s] = base + t[k++].offset;
    }
    w->lnfw = base + t[k++].offset;
    w->lnfb = base + t[k++].offset;
    w->out_proj = base + t[k++].offset;
}

emg_model *emg_model_create(const emg_model_config *cfg) {
    const char *bad = emg_model_config_invalid(cfg);
    if (bad) FAIL("emg_model_create: %s", bad);
    emg_model *m = xcalloc(1, sizeof *m);
    m->cfg = *cfg;
    m->tensors = xcalloc((size_t)(7 + 16 * cfg->n_layers), sizeof *m->tensors);
    m->n_tensors = build_layout(cfg, m->tensors);
    m->n_params = emg_model_param_count(cfg);
    const emg_tensor_info *last = &m->tensors[m->n_tensors - 1];
    if (last->offset + last->numel != m->n_params) FAIL("emg_model_create: layout does not add up");
    m->params = xcalloc(m->n_params, sizeof(float));
    m->grads = xcalloc(m->n_params, sizeof(float));
    m->w.layer = xcalloc((size_t)cfg->n_layers, sizeof(emg_layer_w));
    m->g.layer = xcalloc((size_t)cfg->n_layers, sizeof(emg_layer_w));
    point_weights(&m->w, m, m->params);
    point_weights(&m->g, m, m->grads);
    m->a.layer = xcalloc((size_t)cfg->n_layers, sizeof(emg_layer_acts));
    m->adam.beta1 = 0.9;
    m->adam.beta2 = 0.98;
    m->adam.eps = 1e-9;
    m->adam.weight_decay = 0.01;
    m->seed = 1;
    return m;
}

void emg_model_free(emg_model *m) {
    if (!m) return;
    free(m->tensors);
    free(m->params);
    free(m->grads);
    free(m->adam_m);
    free(m->adam_v);
    free(m->w.layer);
    free(m->g.layer);
    free(m->a.layer);
    free(m->acts_mem);
    free(m->ints);
    free(m->pe);
    free(m);
}

const emg_tensor_info *emg_model_tensor(const emg_model *m, const char *name) {
    for (int i = 0; i < m->n_tensors; i++)
        if (!strcmp(m->tensors[i].name, name)) return &m->tensors[i];
    return NULL;
}

void emg_model_init_params(emg_model *m, uint64_t seed) {
    const emg_model_config *c = &m->cfg;
    const double emb_std = 1.0 / sqrt((double)c->d_model);
    for (int k = 0; k < m->n_tensors; k++) {
        const emg_tensor_info *t = &m->tensors[k];
        float *p = m->params + t->offset;
        const char *nm = t->name;
        size_t len = strlen(nm);
        int is_ln = strstr(nm, "ln1.") || strstr(nm, "ln2.") || strstr(nm, "ln_f.");
        if (!strcmp(nm, "tok_emb") || !strcmp(nm, "out_proj")) {
            for (size_t i = 0; i < t->numel; i++) p[i] = (float)(emb_std * emg_rng_normal(seed, (uint64_t)k, i));
            if (!strcmp(nm, "tok_emb")) memset(p + (size_t)c->pad_idx * c->d_model, 0, (size_t)c->d_model * sizeof *p);
        } else if (!strcmp(nm, "attr_emb")) {
            for (size_t i = 0; i < t->numel; i++) p[i] = (float)emg_rng_normal(seed, (uint64_t)k, i);
        } else if (is_ln) {
            float v = len > 7 && !strcmp(nm + len - 7, ".weight") ? 1.0f : 0.0f;
            for (size_t i = 0; i < t->numel; i++) p[i] = v;
        } else {
            /* nn.Linear default: kaiming_uniform(a = sqrt 5) = U(-1/sqrt(in), 1/sqrt(in)); bias the same */
            int fan_in;
            if (t->ndim == 2) fan_in = t->shape[1];
            else fan_in = m->tensors[k - 1].shape[1];  /* a bias follows its weight */
            const double bound = 1.0 / sqrt((double)fan_in);
            for (size_t i = 0; i < t->numel; i++)
                p[i] = (float)((2.0 * emg_rng_uniform(seed, (uint64_t)k, i) - 1.0) * bound);
        }
    }
}

void emg_model_set_train(emg_model *m, int training, uint64_t step, uint64_t seq_base) {
    m->training = training;
    m->step = step;
    m->seq_base = seq_base;
}

void emg_model_set_seed(emg_model *m, uint64_t seed) { m->seed = seed; }

/* ---------------------------------------------------------------------------------------------
 * activations: one allocation
 * ------------------------------------------------------------------------------------------- */
static float *take(float **cur, size_t n) {
    float *p = *cur;
    *cur += n;
    return p;
}

/* lay the activation tensors out from base (NULL: only count); returns the float count */
static size_t layout_acts(const emg_model_config *c, int B, long N, float *base, emg_acts *a) {
    const size_t d = (size_t)c->d_model, F = (size_t)c->d_ffn, V = (size_t)c->vocab, H = (size_t)c->n_heads;
    const size_t AE = (size_t)c->attr_num * c->attr_embed, Dh = d / H, n = (size_t)N;
    emg_acts tmp;
    emg_layer_acts ltmp;
    if (!a) a = &tmp;
    float *cur = base;
    a->attr_a = take(&cur, (size_t)B * AE);
    a->attr_c = take(&cur, (size_t)B * d);
    a->embed = take(&cur, n * d);
    a->x0 = take(&cur, n * d);
    for (int l = 0; l < c->n_layers; l++) {
        emg_layer_acts *la = base ? &a->layer[l] : &ltmp;
        la->ln1 = take(&cur, n * d);
        la->ln1_mean = take(&cur, n);
        la->ln1_rstd = take(&cur, n);
        la->q = take(&cur, n * d);
        la->k = take(&cur, n * d);
        la->v = take(&cur, n * d);
        la->rden = take(&cur, n * H);
        la->att = take(&cur, n * d);
        la->res1 = take(&cur, n * d);
        la->ln2 = take(&cur, n * d);
        la->ln2_mean = take(&cur, n);
        la->ln2_rstd = take(&cur, n);
        la->fc1 = take(&cur, n * F);
        la->gelu = take(&cur, n * F);
        la->out = take(&cur, n * d);
    }
    a->lnf = take(&cur, n * d);
    a->lnf_mean = take(&cur, n);
    a->lnf_rstd = take(&cur, n);
    a->logits = take(&cur, n * V);
    a->lse = take(&cur, n);
    a->dres = take(&cur, n * d);
    a->dtmp = take(&cur, n * d);
    a->dq = take(&cur, n * d);
    a->dk = take(&cur, n * d);
    a->dv = take(&cur, n * d);
    a->datt = take(&cur, n * d);
    a->dff = take(&cur, n * F);
    a->dattr_c = take(&cur, (size_t)B * d);
    a->dattr_a = take(&cur, (size_t)B * AE);
    a->attn_work = take(&cur, 2 * Dh * Dh + 3 * Dh);
    return (size_t)(cur - base);
}

size_t emg_model_acts_bytes(const emg_model_config *c, int B, int T) {
    return layout_acts(c, B, (long)B * T, NULL, NULL) * sizeof(float);
}

void emg_model_reserve(emg_model *m, int B, int T) {
    if (B <= 0 || T <= 0) FAIL("emg_model_reserve: B = %d, T = %d", B, T);
    const long N = (long)B * T;
    if (m->acts_mem && B <= m->cap_B && N <= m->cap_N) return;
    const int nb = B > m->cap_B ? B : m->cap_B;
    const long nn = N > m->cap_N ? N : m->cap_N;
    free(m->acts_mem);
    free(m->ints);
    m->acts_floats = layout_acts(&m->cfg, nb, nn, NULL, NULL);
    m->acts_mem = xmalloc(m->acts_floats * sizeof(float));
    layout_acts(&m->cfg, nb, nn, m->acts_mem, &m->a);
    m->ints = xmalloc(((size_t)nn * 4 + (size_t)nb * (size_t)(m->cfg.attr_num > 0 ? m->cfg.attr_num : 1)) * sizeof(int));
    m->src = m->ints;
    m->tgt = m->src + nn;
    m->pos = m->tgt + nn;
    m->keep = m->pos + nn;
    m->cmd = m->keep + nn;
    m->cap_B = nb;
    m->cap_N = nn;
}

/* ---------------------------------------------------------------------------------------------
 * positions
 * ------------------------------------------------------------------------------------------- */
void emg_pe_row(int d, int pad_idx, long pos, float *out) {
    const int half = d / 2;
    if (pos == pad_idx) {
        memset(out, 0, (size_t)d * sizeof *out);
        return;
    }
    /* fairseq: torch.exp(torch.arange(half, float32) * -(log(10000)/(half-1))), then
     * arange(num_pos, float32)[:, None] * w[None, :], sin | cos, all float32 */
    const float step = (float)(-log(10000.0) / (double)(half - 1));
    const float p = (float)pos;
    for (int i = 0; i < half; i++) {
        const float w = expf((float)i * step);
        const float ang = p * w;
        out[i] = sinf(ang);
        out[half + i] = cosf(ang);
    }
    if (d % 2) out[d - 1] = 0.0f;
}

static void ensure_pe(emg_model *m, int rows) {
    if (rows <= m->pe_rows) return;
    const int d = m->cfg.d_model;
    int nr = m->pe_rows ? m->pe_rows : 64;
    while (nr < rows) nr *= 2;
    m->pe = xrealloc(m->pe, (size_t)nr * d * sizeof(float));
    for (int p = m->pe_rows; p < nr; p++) emg_pe_row(d, m->cfg.pad_idx, p, m->pe + (size_t)p * d);
    m->pe_rows = nr;
}

/* ---------------------------------------------------------------------------------------------
 * encoder: x = sqrt(d) tok_emb[src] + attr_proj(concat_j attr_emb[j, cmd_j]) + PE[pos]
 * ------------------------------------------------------------------------------------------- */
/* attr_a[B, A*E]; attr_c[B, d] */
static void attributes_forward(float *attr_a, float *attr_c, const int *cmd, const emg_weights *w,
                               const emg_model_config *c, int B) {
    const int A = c->attr_num, K = c->attr_buckets, E = c->attr_embed, AE = A * E;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < A; j++) {
            const int v = cmd[(size_t)b * A + j];
            float *dst = attr_a + (size_t)b * AE + (size_t)j * E;
            if (v < 0) memset(dst, 0, (size_t)E * sizeof *dst);
            else memcpy(dst, w->attr_emb + ((size_t)j * K + v) * E, (size_t)E * sizeof *dst);
        }
    emg_linear_forward(attr_c, attr_a, w->attr_w, w->attr_b, B, AE, c->d_model);
}

/* out[B,T,d] */
static void encoder_forward(float *out, const int *src, const int *pos, const float *attr_c, const float *pe,
                            const emg_weights *w, const emg_model_config *c, int B, int T) {
    const int d = c->d_model;
    const float sd = (float)sqrt((double)d);
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            const size_t n = (size_t)b * T + t;
            const float *e = w->tok_emb + (size_t)src[n] * d, *cv = attr_c + (size_t)b * d;
            const float *pr = pe + (size_t)pos[n] * d;
            float *o = out + n * d;
            for (int i = 0; i < d; i++) o[i] = (e[i] * sd + cv[i]) + pr[i];
        }
}

/* ---------------------------------------------------------------------------------------------
 * forward
 * ------------------------------------------------------------------------------------------- */
/* log(sum_v exp(l_v)) of one logits row */
static float row_lse(const float *lr, int V) {
    const float mx = emg_vec_max(lr, V);
    float e[512];
    double s = 0.0;
    for (int v0 = 0; v0 < V; v0 += 512) {
        const int cn = V - v0 < 512 ? V - v0 : 512;
        for (int i = 0; i < cn; i++) e[i] = lr[v0 + i] - mx;
        emg_vec_expf(e, e, (size_t)cn);
        s += emg_vec_sum(e, cn);
    }
    return (float)((double)mx + log(s));
}

double emg_model_forward(emg_model *m, const int *src, const int *tgt, const int *cmd, int B, int T) {
    const emg_model_config *c = &m->cfg;
    const int d = c->d_model, F = c->d_ffn, V = c->vocab, H = c->n_heads, Dh = d / H, A = c->attr_num;
    emg_model_reserve(m, B, T);
    const long N = (long)B * T;
    /* inputs */
    for (long n = 0; n < N; n++) {
        if (src[n] < 0 || src[n] >= V) FAIL("emg_model_forward: source token %d at %ld outside [0, %d)", src[n], n, V);
        if (tgt && (tgt[n] < 0 || tgt[n] >= V))
            FAIL("emg_model_forward: target token %d at %ld outside [0, %d)", tgt[n], n, V);
    }
    for (long i = 0; i < (long)B * A; i++)
        if (cmd[i] < -1 || cmd[i] >= c->attr_buckets)
            FAIL("emg_model_forward: attribute value %d at %ld outside [-1, %d)", cmd[i], i, c->attr_buckets);
    memcpy(m->src, src, (size_t)N * sizeof *src);
    if (tgt) memcpy(m->tgt, tgt, (size_t)N * sizeof *tgt);
    if (A > 0) memcpy(m->cmd, cmd, (size_t)B * A * sizeof *cmd);
    /* fairseq make_positions: the k-th non-pad token gets pad + k; pads get pad */
    for (int b = 0; b < B; b++) {
        int k = 0;
        for (int t = 0; t < T; t++) {
            const size_t n = (size_t)b * T + t;
            const int np = src[n] != c->pad_idx;
            k += np;
            m->pos[n] = np ? c->pad_idx + k : c->pad_idx;
            m->keep[n] = np;
        }
    }
    ensure_pe(m, T + c->pad_idx + 1);
    m->B = B;
    m->T = T;
    m->has_targets = tgt != NULL;

    const emg_weights *w = &m->w;
    emg_acts *a = &m->a;
    const int drop = m->training && c->dropout > 0.0f;
    const float p = drop ? c->dropout : 0.0f;

    attributes_forward(a->attr_a, a->attr_c, m->cmd, w, c, B);
    encoder_forward(a->embed, m->src, m->pos, a->attr_c, m->pe, w, c, B, T);
    memcpy(a->x0, a->embed, (size_t)N * d * sizeof(float));
    emg_dropout_apply(a->x0, B, T, d, p, m->seed, m->step, 0, m->seq_base);

    const float *x = a->x0;
    for (int l = 0; l < c->n_layers; l++) {
        const emg_layer_w *lw = &w->layer[l];
        emg_layer_acts *la = &a->layer[l];
        /* attention block: res1 = x + dropout(o(attn(LN1 x))) */
        emg_layernorm_forward(la->ln1, la->ln1_mean, la->ln1_rstd, x, lw->ln1w, lw->ln1b, N, d, c->ln_eps);
        emg_linear_forward(la->q, la->ln1, lw->qw, lw->qb, N, d, d);
        emg_linear_forward(la->k, la->ln1, lw->kw, lw->kb, N, d, d);
        emg_linear_forward(la->v, la->ln1, lw->vw, lw->vb, N, d, d);
        emg_phi_forward(la->q, NULL, N, d);
        emg_phi_forward(la->k, m->keep, N, d);
        emg_attention_forward(la->att, la->rden, la->q, la->k, la->v, B, T, H, Dh, c->attn_eps, a->attn_work);
        emg_linear_forward(la->res1, la->att, lw->ow, lw->ob, N, d, d);
        emg_dropout_apply(la->res1, B, T, d, p, m->seed, m->step, 1 + 2 * l, m->seq_base);
        for (size_t i = 0; i < (size_t)N * d; i++) la->res1[i] = x[i] + la->res1[i];
        /* FFN block: out = res1 + dropout(fc2(gelu(fc1(LN2 res1)))) */
        emg_layernorm_forward(la->ln2, la->ln2_mean, la->ln2_rstd, la->res1, lw->ln2w, lw->ln2b, N, d, c->ln_eps);
        emg_linear_forward(la->fc1, la->ln2, lw->fc1w, lw->fc1b, N, d, F);
        emg_gelu_forward(la->gelu, la->fc1, (size_t)N * F);
        emg_linear_forward(la->out, la->gelu, lw->fc2w, lw->fc2b, N, F, d);
        emg_dropout_apply(la->out, B, T, d, p, m->seed, m->step, 2 + 2 * l, m->seq_base);
        for (size_t i = 0; i < (size_t)N * d; i++) la->out[i] = la->res1[i] + la->out[i];
        x = la->out;
    }
    emg_layernorm_forward(a->lnf, a->lnf_mean, a->lnf_rstd, x, w->lnfw, w->lnfb, N, d, c->ln_eps);
    emg_linear_forward(a->logits, a->lnf, w->out_proj, NULL, N, d, V);

    /* log-sum-exp of every row; loss over non-pad targets */
    double loss = 0.0;
    long ntok = 0;
    for (long n = 0; n < N; n++) {
        const float *lr = a->logits + (size_t)n * V;
        const float lse = row_lse(lr, V);
        a->lse[n] = lse;
        if (tgt && tgt[n] != c->pad_idx) {
            loss += (double)lse - (double)lr[tgt[n]];
            ntok++;
        }
    }
    m->loss_sum = loss;
    m->n_tokens = ntok;
    return ntok ? loss / (double)ntok : 0.0;
}

/* ---------------------------------------------------------------------------------------------
 * backward
 * ------------------------------------------------------------------------------------------- */
void emg_model_zero_grad(emg_model *m) { memset(m->grads, 0, m->n_params * sizeof(float)); }

void emg_model_backward(emg_model *m, double norm) {
    if (!m->acts_mem || !m->has_targets) FAIL("emg_model_backward: no forward with targets before it");
    const emg_model_config *c = &m->cfg;
    const int d = c->d_model, F = c->d_ffn, V = c->vocab, H = c->n_heads, Dh = d / H, A = c->attr_num;
    const int AE = A * c->attr_embed, K = c->attr_buckets, E = c->attr_embed;
    const int B = m->B, T = m->T;
    const long N = (long)B * T;
    const size_t Nd = (size_t)N * d;
    const emg_weights *w = &m->w;
    emg_weights *g = &m->g;
    emg_acts *a = &m->a;
    const int drop = m->training && c->dropout > 0.0f;
    const float p = drop ? c->dropout : 0.0f;
    if (norm <= 0.0) norm = (double)m->n_tokens;
    const float scale = norm > 0.0 ? (float)(1.0 / norm) : 0.0f;

    /* dlogits[N,V] = (softmax - onehot(target)) / norm on non-pad targets, 0 elsewhere (in place) */
    for (long n = 0; n < N; n++) {
        float *lr = a->logits + (size_t)n * V;
        const int tg = m->tgt[n];
        if (tg == c->pad_idx || scale == 0.0f) {
            memset(lr, 0, (size_t)V * sizeof *lr);
            continue;
        }
        const float lse = a->lse[n];
        for (int v = 0; v < V; v++) lr[v] -= lse;
        emg_vec_expf(lr, lr, (size_t)V);
        for (int v = 0; v < V; v++) lr[v] *= scale;
        lr[tg] -= scale;
    }
    /* logits = lnf out_proj^T */
    emg_linear_backward(a->dtmp, g->out_proj, NULL, a->logits, a->lnf, w->out_proj, N, d, V, 0);
    const float *xlast = c->n_layers ? a->layer[c->n_layers - 1].out : a->x0;
    memset(a->dres, 0, Nd * sizeof(float));
    emg_layernorm_backward(a->dres, g->lnfw, g->lnfb, a->dtmp, xlast, w->lnfw, a->lnf_mean, a->lnf_rstd, N, d);

    for (int l = c->n_layers - 1; l >= 0; l--) {
        const emg_layer_w *lw = &w->layer[l];
        emg_layer_w *lg = &g->layer[l];
        emg_layer_acts *la = &a->layer[l];
        const float *x = l ? a->layer[l - 1].out : a->x0;
        /* FFN block; dres = d out */
        memcpy(a->dtmp, a->dres, Nd * sizeof(float));
        emg_dropout_apply(a->dtmp, B, T, d, p, m->seed, m->step, 2 + 2 * l, m->seq_base);
        emg_linear_backward(a->dff, lg->fc2w, lg->fc2b, a->dtmp, la->gelu, lw->fc2w, N, F, d, 0);
        emg_gelu_backward(a->dff, a->dff, la->fc1, (size_t)N * F);
        emg_linear_backward(a->datt, lg->fc1w, lg->fc1b, a->dff, la->ln2, lw->fc1w, N, d, F, 0);
        emg_layernorm_backward(a->dres, lg->ln2w, lg->ln2b, a->datt, la->res1, lw->ln2w, la->ln2_mean,
                               la->ln2_rstd, N, d);
        /* attention block; dres = d res1 */
        memcpy(a->dtmp, a->dres, Nd * sizeof(float));
        emg_dropout_apply(a->dtmp, B, T, d, p, m->seed, m->step, 1 + 2 * l, m->seq_base);
        emg_linear_backward(a->datt, lg->ow, lg->ob, a->dtmp, la->att, lw->ow, N, d, d, 0);
        emg_attention_backward(a->dq, a->dk, a->dv, a->datt, la->att, la->rden, la->q, la->k, la->v, B, T, H, Dh,
                               a->attn_work);
        emg_phi_backward(a->dq, la->q, NULL, N, d);
        emg_phi_backward(a->dk, la->k, m->keep, N, d);
        emg_linear_backward(a->dtmp, lg->qw, lg->qb, a->dq, la->ln1, lw->qw, N, d, d, 0);
        emg_linear_backward(a->dtmp, lg->kw, lg->kb, a->dk, la->ln1, lw->kw, N, d, d, 1);
        emg_linear_backward(a->dtmp, lg->vw, lg->vb, a->dv, la->ln1, lw->vw, N, d, d, 1);
        emg_layernorm_backward(a->dres, lg->ln1w, lg->ln1b, a->dtmp, x, lw->ln1w, la->ln1_mean, la->ln1_rstd, N, d);
    }

    /* encoder; dres = d x0 */
    emg_dropout_apply(a->dres, B, T, d, p, m->seed, m->step, 0, m->seq_base);
    const float sd = (float)sqrt((double)d);
    memset(a->dattr_c, 0, (size_t)B * d * sizeof(float));
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            const size_t n = (size_t)b * T + t;
            const float *dr = a->dres + n * d;
            float *dc = a->dattr_c + (size_t)b * d;
            for (int i = 0; i < d; i++) dc[i] += dr[i];
            if (m->src[n] == c->pad_idx) continue; /* padding_idx: no gradient */
            float *ge = g->tok_emb + (size_t)m->src[n] * d;
            for (int i = 0; i < d; i++) ge[i] += sd * dr[i];
        }
    if (AE > 0) {
        emg_linear_backward(a->dattr_a, g->attr_w, g->attr_b, a->dattr_c, a->attr_a, w->attr_w, B, AE, d, 0);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < A; j++) {
                const int v = m->cmd[(size_t)b * A + j];
                if (v < 0) continue;
                const float *src = a->dattr_a + (size_t)b * AE + (size_t)j * E;
                float *dst = g->attr_emb + ((size_t)j * K + v) * E;
                for (int e = 0; e < E; e++) dst[e] += src[e];
            }
    } else {
        for (int b = 0; b < B; b++)
            for (int i = 0; i < d; i++) g->attr_b[i] += a->dattr_c[(size_t)b * d + i];
    }
}
