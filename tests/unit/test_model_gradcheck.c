/* test_model_gradcheck.c: the analytic gradients of the C model (float32, emg_model_backward)
 * against central finite differences of an INDEPENDENT double-precision implementation of the
 * same model, written here from the definition (naive O(T^2) attention, no BLAS, no shared layer
 * code), on micro configurations: every parameter element is checked.
 *   1. d 8, 1 layer, 2 heads, FFN 12, T 5, V 11, 3 attributes x 2 buckets x E 16, no dropout
 *   2. d 8, 2 layers, 2 heads, FFN 6, T 6, V 13, 4 attributes x 3 buckets x E 3, dropout 0.3
 *      (training masks), loss normalised by a caller-given token count
 * Both batches hold a padded row and a disabled (-1) attribute. */
#include "model.h"
#include "rng.h"
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const emg_model *m;  /* for the layout and the dropout switch */
    const int *src, *tgt, *cmd;
    int B, T;
    double norm;
} problem;

static const double *W(const emg_model *m, const double *P, const char *name) {
    const emg_tensor_info *t = emg_model_tensor(m, name);
    if (!t) {
        fprintf(stderr, "no tensor %s\n", name);
        exit(1);
    }
    return P + t->offset;
}

static const double *LW(const emg_model *m, const double *P, int l, const char *suffix) {
    char name[64];
    snprintf(name, sizeof name, "layers.%d.%s", l, suffix);
    return W(m, P, name);
}

/* y[n, o] = sum_i x[n, i] w[o, i] + b[o] */
static void lin(double *y, const double *x, const double *w, const double *b, int N, int C, int O) {
    for (int n = 0; n < N; n++)
        for (int o = 0; o < O; o++) {
            double s = b ? b[o] : 0.0;
            for (int i = 0; i < C; i++) s += x[n * C + i] * w[o * C + i];
            y[n * O + o] = s;
        }
}

static void ln(double *y, const double *x, const double *w, const double *b, int N, int C, double eps) {
    for (int n = 0; n < N; n++) {
        double mu = 0, var = 0;
        for (int i = 0; i < C; i++) mu += x[n * C + i];
        mu /= C;
        for (int i = 0; i < C; i++) var += (x[n * C + i] - mu) * (x[n * C + i] - mu);
        var /= C;
        for (int i = 0; i < C; i++) y[n * C + i] = (x[n * C + i] - mu) / sqrt(var + eps) * w[i] + b[i];
    }
}

static double drop(const problem *pb, int site, int b, int t, int j, int C) {
    const emg_model *m = pb->m;
    if (!m->training || m->cfg.dropout <= 0.0f) return 1.0;
    uint64_t idx = ((m->seq_base + (uint64_t)b) * ((uint64_t)1 << 20) + (uint64_t)t) * (uint64_t)C + (uint64_t)j;
    return emg_dropout_keep(m->seed, m->step, site, idx, m->cfg.dropout);
}

/* the loss in double, from the definition */
static double ref_loss(const problem *pb, const double *P) {
    const emg_model *m = pb->m;
    const emg_model_config *c = &m->cfg;
    const int d = c->d_model, V = c->vocab, H = c->n_heads, Dh = d / H, F = c->d_ffn;
    const int A = c->attr_num, K = c->attr_buckets, E = c->attr_embed, B = pb->B, T = pb->T, N = B * T;
    double *x = calloc((size_t)N * d, sizeof *x), *h = calloc((size_t)N * d, sizeof *h);
    double *q = calloc((size_t)N * d, sizeof *q), *k = calloc((size_t)N * d, sizeof *k);
    double *v = calloc((size_t)N * d, sizeof *v), *att = calloc((size_t)N * d, sizeof *att);
    double *o = calloc((size_t)N * d, sizeof *o), *f1 = calloc((size_t)N * F, sizeof *f1);
    double *lg = calloc((size_t)N * V, sizeof *lg), *a = calloc((size_t)A * E + 1, sizeof *a);
    double *cv = calloc((size_t)d, sizeof *cv);
    float *pe = calloc((size_t)d, sizeof *pe);
    const double *tok = W(m, P, "tok_emb"), *aemb = W(m, P, "attr_emb");
    for (int b = 0; b < B; b++) {
        for (int j = 0; j < A; j++)
            for (int e = 0; e < E; e++) {
                int val = pb->cmd[b * A + j];
                a[j * E + e] = val < 0 ? 0.0 : aemb[(j * K + val) * E + e];
            }
        lin(cv, a, W(m, P, "attr_proj.weight"), W(m, P, "attr_proj.bias"), 1, A * E, d);
        int count = 0;
        for (int t = 0; t < T; t++) {
            int s = pb->src[b * T + t], pos = c->pad_idx;
            if (s != c->pad_idx) pos = c->pad_idx + ++count;
            emg_pe_row(d, c->pad_idx, pos, pe);
            for (int i = 0; i < d; i++)
                x[(b * T + t) * d + i] = (tok[s * d + i] * sqrt((double)d) + cv[i] + pe[i]) * drop(pb, 0, b, t, i, d);
        }
    }
    for (int l = 0; l < c->n_layers; l++) {
        ln(h, x, LW(m, P, l, "ln1.weight"), LW(m, P, l, "ln1.bias"), N, d, c->ln_eps);
        lin(q, h, LW(m, P, l, "q.weight"), LW(m, P, l, "q.bias"), N, d, d);
        lin(k, h, LW(m, P, l, "k.weight"), LW(m, P, l, "k.bias"), N, d, d);
        lin(v, h, LW(m, P, l, "v.weight"), LW(m, P, l, "v.bias"), N, d, d);
        for (int n = 0; n < N; n++)
            for (int i = 0; i < d; i++) {
                q[n * d + i] = q[n * d + i] > 0 ? q[n * d + i] + 1.0 : exp(q[n * d + i]);
                k[n * d + i] = pb->src[n] == c->pad_idx ? 0.0 : k[n * d + i] > 0 ? k[n * d + i] + 1.0 : exp(k[n * d + i]);
            }
        /* naive causal linear attention: out_t = sum_{s<=t} (Q_t.K_s) V_s / (Q_t . sum_{s<=t} K_s + eps) */
        for (int b = 0; b < B; b++)
            for (int hd = 0; hd < H; hd++)
                for (int t = 0; t < T; t++) {
                    const double *qt = q + (b * T + t) * d + hd * Dh;
                    double den = 0.0, num[64] = {0};
                    for (int s = 0; s <= t; s++) {
                        const double *ks = k + (b * T + s) * d + hd * Dh, *vs = v + (b * T + s) * d + hd * Dh;
                        double dot = 0.0;
                        for (int i = 0; i < Dh; i++) dot += qt[i] * ks[i];
                        den += dot;
                        for (int j = 0; j < Dh; j++) num[j] += dot * vs[j];
                    }
                    for (int j = 0; j < Dh; j++) att[(b * T + t) * d + hd * Dh + j] = num[j] / (den + c->attn_eps);
                }
        lin(o, att, LW(m, P, l, "o.weight"), LW(m, P, l, "o.bias"), N, d, d);
        for (int n = 0; n < N; n++)
            for (int i = 0; i < d; i++) x[n * d + i] += o[n * d + i] * drop(pb, 1 + 2 * l, n / T, n % T, i, d);
        ln(h, x, LW(m, P, l, "ln2.weight"), LW(m, P, l, "ln2.bias"), N, d, c->ln_eps);
        lin(f1, h, LW(m, P, l, "fc1.weight"), LW(m, P, l, "fc1.bias"), N, d, F);
        for (int i = 0; i < N * F; i++) f1[i] = 0.5 * f1[i] * (1.0 + erf(f1[i] / sqrt(2.0)));
        lin(o, f1, LW(m, P, l, "fc2.weight"), LW(m, P, l, "fc2.bias"), N, F, d);
        for (int n = 0; n < N; n++)
            for (int i = 0; i < d; i++) x[n * d + i] += o[n * d + i] * drop(pb, 2 + 2 * l, n / T, n % T, i, d);
    }
    ln(h, x, W(m, P, "ln_f.weight"), W(m, P, "ln_f.bias"), N, d, c->ln_eps);
    lin(lg, h, W(m, P, "out_proj"), NULL, N, d, V);
    double loss = 0.0;
    for (int n = 0; n < N; n++) {
        if (pb->tgt[n] == c->pad_idx) continue;
        double mx = lg[n * V];
        for (int j = 1; j < V; j++) mx = fmax(mx, lg[n * V + j]);
        double s = 0.0;
        for (int j = 0; j < V; j++) s += exp(lg[n * V + j] - mx);
        loss += mx + log(s) - lg[n * V + pb->tgt[n]];
    }
    free(x), free(h), free(q), free(k), free(v), free(att), free(o), free(f1), free(lg), free(a), free(cv), free(pe);
    return loss / pb->norm;
}

static void run_case(const char *label, emg_model_config cfg, int training, double norm_factor, int B, int T,
                     const int *src, const int *tgt, const int *cmd) {
    emg_model *m = emg_model_create(&cfg);
    emg_model_init_params(m, 99);
    /* LayerNorm affine away from 1/0 so that its handling is visible */
    for (int k = 0; k < m->n_tensors; k++) {
        const emg_tensor_info *t = &m->tensors[k];
        if (!strstr(t->name, "ln")) continue;
        for (size_t i = 0; i < t->numel; i++)
            m->params[t->offset + i] += (float)(0.2 * emg_rng_normal(5, (uint64_t)k, i));
    }
    emg_model_set_seed(m, 7);
    emg_model_set_train(m, training, 3, 11);
    emg_model_zero_grad(m);
    double loss = emg_model_forward(m, src, tgt, cmd, B, T);
    const double norm = norm_factor * (double)m->n_tokens;
    emg_model_backward(m, norm);

    problem pb = {m, src, tgt, cmd, B, T, norm};
    double *P = malloc(m->n_params * sizeof *P);
    for (size_t i = 0; i < m->n_params; i++) P[i] = m->params[i];
    double ref = ref_loss(&pb, P);
    /* forward: float model vs double definition (the loss is normalised the same way) */
    CHECK_NEAR(loss * (double)m->n_tokens / norm, ref, 2e-6 * fmax(1.0, fabs(ref)));

    const double hstep = 1e-5;
    double worst = 0.0;
    const char *worst_name = "";
    size_t n_checked = 0;
    for (int k = 0; k < m->n_tensors; k++) {
        const emg_tensor_info *t = &m->tensors[k];
        double *num = malloc(t->numel * sizeof *num), gmax = 0.0, emax = 0.0;
        for (size_t i = 0; i < t->numel; i++) {
            double *p = &P[t->offset + i], keep = *p;
            *p = keep + hstep;
            double lp = ref_loss(&pb, P);
            *p = keep - hstep;
            double lm = ref_loss(&pb, P);
            *p = keep;
            num[i] = (lp - lm) / (2 * hstep);
            gmax = fmax(gmax, fabs(num[i]));
        }
        for (size_t i = 0; i < t->numel; i++) {
            double e = fabs((double)m->grads[t->offset + i] - num[i]);
            emax = fmax(emax, e);
            n_checked++;
        }
        /* float32 backward vs double finite differences: relative to the tensor's largest gradient */
        double rel = emax / fmax(gmax, 1e-6);
        if (rel > worst) {
            worst = rel;
            worst_name = t->name;
        }
        if (!(rel <= 1e-4)) fprintf(stderr, "%s: %s: max err %.3e, max |g| %.3e\n", label, t->name, emax, gmax);
        CHECK(rel <= 1e-4);
        CHECK(gmax > 0.0);  /* every tensor takes part */
        free(num);
    }
    /* the pad row of tok_emb gets no gradient (padding_idx) */
    const emg_tensor_info *te = emg_model_tensor(m, "tok_emb");
    int pad_zero = 1;
    for (int i = 0; i < cfg.d_model; i++) pad_zero &= m->grads[te->offset + (size_t)cfg.pad_idx * cfg.d_model + i] == 0.0f;
    CHECK(pad_zero);
    CHECK_EQ_INT(n_checked, m->n_params);
    fprintf(stderr, "%s: %zu parameters, loss %.9f (double %.9f), worst gradient error %.3e (%s) relative to the "
            "tensor's max |g|\n", label, m->n_params, loss * (double)m->n_tokens / norm, ref, worst, worst_name);
    free(P);
    emg_model_free(m);
}

int main(void) {
    /* 1: the micro configuration of the brief */
    emg_model_config c1 = emg_model_config_tiny();
    c1.vocab = 11, c1.d_model = 8, c1.n_layers = 1, c1.n_heads = 2, c1.d_ffn = 12;
    c1.attr_num = 3, c1.attr_buckets = 2, c1.attr_embed = 16, c1.dropout = 0.0f;
    const int src1[] = {2, 5, 7, 9, 4, /**/ 2, 8, 3, 1, 1};
    const int tgt1[] = {5, 7, 9, 4, 2, /**/ 8, 3, 2, 1, 1};
    const int cmd1[] = {1, 0, 1, /**/ 0, -1, 1};
    run_case("micro d8 L1 H2 T5 V11 A3", c1, 0, 1.0, 2, 5, src1, tgt1, cmd1);

    /* 2: two layers, dropout masks on, other attribute sizes, norm = 2.5 x local tokens */
    emg_model_config c2 = c1;
    c2.vocab = 13, c2.n_layers = 2, c2.d_ffn = 6, c2.attr_num = 4, c2.attr_buckets = 3, c2.attr_embed = 3;
    c2.dropout = 0.3f;
    const int src2[] = {2, 12, 4, 6, 10, 3, /**/ 2, 5, 11, 7, 1, 1};
    const int tgt2[] = {12, 4, 6, 10, 3, 2, /**/ 5, 11, 7, 2, 1, 1};
    const int cmd2[] = {2, 0, -1, 1, /**/ -1, 1, 2, 0};
    run_case("micro d8 L2 H2 T6 V13 A4 K3 E3 dropout 0.3", c2, 1, 2.5, 2, 6, src2, tgt2, cmd2);
    return TEST_DONE();
}
