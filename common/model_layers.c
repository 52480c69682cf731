/* model_layers.c: layer kernels of the EmoGen model (see model_layers.h for shapes). */
#include "model_layers.h"

#include "model.h"
#include "rng.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * linear: y = x W^T + b
 * ------------------------------------------------------------------------------------------- */
void emg_linear_forward(float *y, const float *x, const float *W, const float *b, long N, int C, int OC) {
    if (N <= 0) return;
    if (C <= 0) { /* no inputs: y = b */
        for (long n = 0; n < N; n++)
            if (b) memcpy(y + (size_t)n * OC, b, (size_t)OC * sizeof *y);
            else memset(y + (size_t)n * OC, 0, (size_t)OC * sizeof *y);
        return;
    }
    float beta = 0.0f;
    if (b) {
        for (long n = 0; n < N; n++) memcpy(y + (size_t)n * OC, b, (size_t)OC * sizeof *y);
        beta = 1.0f;
    }
    /* y[N,OC] (+)= x[N,C] . W[OC,C]^T */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)N, OC, C, 1.0f, x, C, W, C, beta, y, OC);
}

void emg_linear_backward(float *dx, float *dW, float *db, const float *dy, const float *x, const float *W,
                         long N, int C, int OC, int accumulate_dx) {
    if (N <= 0) return;
    if (C <= 0) dx = dW = NULL;
    if (dx) /* dx[N,C] (+)= dy[N,OC] . W[OC,C] */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, C, OC, 1.0f, dy, OC, W, C,
                    accumulate_dx ? 1.0f : 0.0f, dx, C);
    if (dW) /* dW[OC,C] += dy^T[OC,N] . x[N,C] */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, (int)N, 1.0f, dy, OC, x, C, 1.0f, dW, C);
    if (db)
        for (long n = 0; n < N; n++) {
            const float *r = dy + (size_t)n * OC;
            for (int o = 0; o < OC; o++) db[o] += r[o];
        }
}

/* ---------------------------------------------------------------------------------------------
 * LayerNorm (biased variance, affine)
 * ------------------------------------------------------------------------------------------- */
void emg_layernorm_forward(float *restrict y, float *restrict mean, float *restrict rstd, const float *restrict x,
                           const float *restrict w, const float *restrict b, long N, int C, float eps) {
    for (long n = 0; n < N; n++) {
        const float *xr = x + (size_t)n * C;
        float *yr = y + (size_t)n * C;
        double s = 0.0;
        for (int i = 0; i < C; i++) s += xr[i];
        const float m = (float)(s / C);
        double v = 0.0;
        for (int i = 0; i < C; i++) {
            double dlt = (double)xr[i] - m;
            v += dlt * dlt;
        }
        const float r = (float)(1.0 / sqrt(v / C + (double)eps));
        for (int i = 0; i < C; i++) yr[i] = (xr[i] - m) * r * w[i] + b[i];
        mean[n] = m;
        rstd[n] = r;
    }
}

void emg_layernorm_backward(float *restrict dx, float *restrict dw, float *restrict db, const float *restrict dy,
                            const float *restrict x, const float *restrict w, const float *restrict mean,
                            const float *restrict rstd, long N, int C) {
    for (long n = 0; n < N; n++) {
        const float *dyr = dy + (size_t)n * C, *xr = x + (size_t)n * C;
        float *dxr = dx + (size_t)n * C;
        const float m = mean[n], r = rstd[n];
        /* xhat = (x - m) r; dxhat = dy w; dx = r (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) */
        float s1 = 0.0f, s2 = 0.0f;
        for (int i = 0; i < C; i++) {
            const float xh = (xr[i] - m) * r;
            const float dxh = dyr[i] * w[i];
            s1 += dxh;
            s2 += dxh * xh;
            dw[i] += dyr[i] * xh;
            db[i] += dyr[i];
        }
        s1 /= (float)C;
        s2 /= (float)C;
        for (int i = 0; i < C; i++) {
            const float xh = (xr[i] - m) * r;
            dxr[i] += r * (dyr[i] * w[i] - s1 - xh * s2);
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * GELU, exact erf form
 * ------------------------------------------------------------------------------------------- */
#define EMG_SQRT1_2 0.70710678118654752440f
#define EMG_INV_SQRT_2PI 0.39894228040143267794f

void emg_gelu_forward(float *restrict y, const float *restrict x, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * EMG_SQRT1_2));
}

void emg_gelu_backward(float *dx, const float *dy, const float *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const float xi = x[i];
        const float cdf = 0.5f * (1.0f + erff(xi * EMG_SQRT1_2));
        const float pdf = EMG_INV_SQRT_2PI * expf(-0.5f * xi * xi);
        dx[i] = dy[i] * (cdf + xi * pdf);
    }
}

/* ---------------------------------------------------------------------------------------------
 * phi = elu + 1
 * ------------------------------------------------------------------------------------------- */
void emg_phi_forward(float *x, const int *keep_row, long N, int C) {
    for (long n = 0; n < N; n++) {
        float *r = x + (size_t)n * C;
        if (keep_row && !keep_row[n]) {
            memset(r, 0, (size_t)C * sizeof *r);
            continue;
        }
        for (int i = 0; i < C; i++) r[i] = r[i] > 0.0f ? r[i] + 1.0f : expf(r[i]);
    }
}

void emg_phi_backward(float *d, const float *phi, const int *keep_row, long N, int C) {
    for (long n = 0; n < N; n++) {
        float *r = d + (size_t)n * C;
        const float *p = phi + (size_t)n * C;
        if (keep_row && !keep_row[n]) {
            memset(r, 0, (size_t)C * sizeof *r);
            continue;
        }
        /* phi'(x) = 1 for x > 0 (phi > 1), exp(x) = phi for x <= 0 (phi <= 1) */
        for (int i = 0; i < C; i++) r[i] *= p[i] < 1.0f ? p[i] : 1.0f;
    }
}

/* ---------------------------------------------------------------------------------------------
 * causal linear attention: sequential scans
 * ------------------------------------------------------------------------------------------- */
static int row_is_zero(const float *r, int n) {
    for (int i = 0; i < n; i++)
        if (r[i] != 0.0f) return 0;
    return 1;
}

void emg_attention_forward(float *restrict out, float *restrict rden, const float *restrict Q,
                           const float *restrict K, const float *restrict V, int B, int T, int H, int Dh,
                           float eps, float *restrict work) {
    const size_t C = (size_t)H * Dh;
    float *restrict S = work;            /* [Dh, Dh]: sum_s K_s V_s^T */
    float *restrict z = work + (size_t)Dh * Dh;  /* [Dh]: sum_s K_s */
    for (int b = 0; b < B; b++)
        for (int h = 0; h < H; h++) {
            memset(S, 0, (size_t)Dh * Dh * sizeof *S);
            memset(z, 0, (size_t)Dh * sizeof *z);
            for (int t = 0; t < T; t++) {
                const size_t off = ((size_t)b * T + t) * C + (size_t)h * Dh;
                const float *q = Q + off, *k = K + off, *v = V + off;
                float *o = out + off;
                if (!row_is_zero(k, Dh)) /* pad keys are zero rows: adding them changes nothing */
                    for (int i = 0; i < Dh; i++) {
                        const float ki = k[i];
                        float *Si = S + (size_t)i * Dh;
                        z[i] += ki;
                        for (int j = 0; j < Dh; j++) Si[j] += ki * v[j];
                    }
                float den = 0.0f;
                for (int i = 0; i < Dh; i++) den += q[i] * z[i];
                for (int j = 0; j < Dh; j++) o[j] = 0.0f;
                for (int i = 0; i < Dh; i++) {
                    const float qi = q[i];
                    const float *Si = S + (size_t)i * Dh;
                    for (int j = 0; j < Dh; j++) o[j] += qi * Si[j];
                }
                const float r = 1.0f / (den + eps);
                for (int j = 0; j < Dh; j++) o[j] *= r;
                rden[((size_t)b * H + h) * T + t] = r;
            }
        }
}

void emg_attention_backward(float *restrict dQ, float *restrict dK, float *restrict dV, const float *restrict dout,
                            const float *restrict out, const float *restrict rden, const float *restrict Q,
                            const float *restrict K, const float *restrict V, int B, int T, int H, int Dh,
                            float *restrict work) {
    const size_t C = (size_t)H * Dh;
    float *restrict S = work;                        /* [Dh, Dh] (forward scan) / G (reverse scan) */
    float *restrict z = work + (size_t)Dh * Dh;      /* [Dh] z / g */
    float *restrict dnum = z + Dh;                   /* [Dh] */
    for (int b = 0; b < B; b++)
        for (int h = 0; h < H; h++) {
            const float *rd = rden + ((size_t)b * H + h) * T;
            /* forward scan: dQ_t = S_t dnum_t + dden_t z_t */
            memset(S, 0, (size_t)Dh * Dh * sizeof *S);
            memset(z, 0, (size_t)Dh * sizeof *z);
            for (int t = 0; t < T; t++) {
                const size_t off = ((size_t)b * T + t) * C + (size_t)h * Dh;
                const float *k = K + off, *v = V + off, *go = dout + off, *o = out + off;
                float *dq = dQ + off;
                if (!row_is_zero(k, Dh))
                    for (int i = 0; i < Dh; i++) {
                        const float ki = k[i];
                        float *Si = S + (size_t)i * Dh;
                        z[i] += ki;
                        for (int j = 0; j < Dh; j++) Si[j] += ki * v[j];
                    }
                const float r = rd[t];
                float go_o = 0.0f;
                for (int j = 0; j < Dh; j++) {
                    go_o += go[j] * o[j];
                    dnum[j] = go[j] * r;
                }
                const float dden = -r * go_o;
                for (int i = 0; i < Dh; i++) {
                    const float *Si = S + (size_t)i * Dh;
                    float acc = 0.0f;
                    for (int j = 0; j < Dh; j++) acc += Si[j] * dnum[j];
                    dq[i] = acc + dden * z[i];
                }
            }
            /* reverse scan: G_t = sum_{s>=t} Q_s dnum_s^T, g_t = sum_{s>=t} dden_s Q_s;
             * dK_t = G_t V_t + g_t, dV_t = G_t^T K_t */
            float *restrict G = S, *restrict g = z;
            memset(G, 0, (size_t)Dh * Dh * sizeof *G);
            memset(g, 0, (size_t)Dh * sizeof *g);
            for (int t = T - 1; t >= 0; t--) {
                const size_t off = ((size_t)b * T + t) * C + (size_t)h * Dh;
                const float *q = Q + off, *k = K + off, *v = V + off, *go = dout + off, *o = out + off;
                float *dk = dK + off, *dv = dV + off;
                const float r = rd[t];
                float go_o = 0.0f;
                for (int j = 0; j < Dh; j++) {
                    go_o += go[j] * o[j];
                    dnum[j] = go[j] * r;
                }
                const float dden = -r * go_o;
                for (int i = 0; i < Dh; i++) {
                    const float qi = q[i];
                    float *Gi = G + (size_t)i * Dh;
                    g[i] += dden * qi;
                    for (int j = 0; j < Dh; j++) Gi[j] += qi * dnum[j];
                }
                for (int j = 0; j < Dh; j++) dv[j] = 0.0f;
                for (int i = 0; i < Dh; i++) {
                    const float *Gi = G + (size_t)i * Dh;
                    const float ki = k[i];
                    float acc = 0.0f;
                    for (int j = 0; j < Dh; j++) {
                        acc += Gi[j] * v[j];
                        dv[j] += Gi[j] * ki;
                    }
                    dk[i] = acc + g[i];
                }
            }
        }
}

/* ---------------------------------------------------------------------------------------------
 * dropout from the counter-based generator
 * ------------------------------------------------------------------------------------------- */
static uint32_t dropout_threshold(float p) {
    double t = (double)p * 4294967296.0;
    if (t >= 4294967295.0) return 4294967295u;
    return (uint32_t)t;
}

float emg_dropout_keep(uint64_t seed, uint64_t step, int site, uint64_t index, float p) {
    if (p <= 0.0f) return 1.0f;
    const emg_u32x4 r = emg_rng_block(seed, step * 65536u + (uint64_t)site, index >> 2);
    return r.v[index & 3] >= dropout_threshold(p) ? 1.0f / (1.0f - p) : 0.0f;
}

void emg_dropout_apply(float *x, int B, int T, int C, float p, uint64_t seed, uint64_t step, int site,
                       uint64_t seq_base) {
    if (p <= 0.0f) return;
    const uint32_t thr = dropout_threshold(p);
    const float scale = 1.0f / (1.0f - p);
    const uint64_t stream = step * 65536u + (uint64_t)site;
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            float *r = x + ((size_t)b * T + t) * C;
            const uint64_t base = ((seq_base + (uint64_t)b) * ((uint64_t)1 << 20) + (uint64_t)t) * (uint64_t)C;
            uint64_t blk = UINT64_MAX;
            emg_u32x4 bits = {{0, 0, 0, 0}};
            for (int j = 0; j < C; j++) {
                const uint64_t idx = base + (uint64_t)j;
                if ((idx >> 2) != blk) {
                    blk = idx >> 2;
                    bits = emg_rng_block(seed, stream, blk);
                }
                r[j] *= bits.v[idx & 3] >= thr ? scale : 0.0f;
            }
        }
}
