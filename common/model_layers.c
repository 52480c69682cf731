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
 * vector helpers. Without -ffast-math the compiler keeps a sequential sum sequential (scalar), so
 * reductions are written with 16 independent partial sums added in a fixed tree: deterministic,
 * and vectorised. expf/erff over arrays use glibc's libmvec (AVX-512 / AVX2 variants) when the
 * build targets those ISAs, else the scalar functions.
 * ------------------------------------------------------------------------------------------- */
#ifdef __FMA__
#define MADD(a, b, c) fmaf((a), (b), (c))
#else
#define MADD(a, b, c) ((a) * (b) + (c))
#endif

static inline float sum16(const float *restrict a, int n) {
    float acc[16] = {0};
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int l = 0; l < 16; l++) acc[l] += a[i + l];
    for (; i < n; i++) acc[i & 15] += a[i];
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) acc[l] += acc[l + w];
    return acc[0];
}

static inline float dot16(const float *restrict a, const float *restrict b, int n) {
    float acc[16] = {0};
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int l = 0; l < 16; l++) acc[l] = MADD(a[i + l], b[i + l], acc[l]);
    for (; i < n; i++) acc[i & 15] = MADD(a[i], b[i], acc[i & 15]);
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) acc[l] += acc[l + w];
    return acc[0];
}

float emg_vec_sum(const float *a, int n) { return sum16(a, n); }
float emg_vec_dot(const float *a, const float *b, int n) { return dot16(a, b, n); }

float emg_vec_max(const float *a, int n) {
    float acc[16];
    for (int l = 0; l < 16; l++) acc[l] = -INFINITY;
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int l = 0; l < 16; l++) acc[l] = a[i + l] > acc[l] ? a[i + l] : acc[l];
    for (; i < n; i++) acc[i & 15] = a[i] > acc[i & 15] ? a[i] : acc[i & 15];
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) acc[l] = acc[l + w] > acc[l] ? acc[l + w] : acc[l];
    return acc[0];
}

#if defined(__x86_64__) && defined(__GLIBC__) && !defined(__clang__) && defined(__AVX512F__)
#include <immintrin.h>
#define EMG_VW 16
typedef __m512 emg_vf;
emg_vf _ZGVeN16v_expf(emg_vf);
#define VLOAD _mm512_loadu_ps
#define VSTORE _mm512_storeu_ps
#define VEXP _ZGVeN16v_expf
#if __GLIBC_PREREQ(2, 35)
emg_vf _ZGVeN16v_erff(emg_vf);
#define VERF _ZGVeN16v_erff
#endif
#elif defined(__x86_64__) && defined(__GLIBC__) && !defined(__clang__) && defined(__AVX2__)
#include <immintrin.h>
#define EMG_VW 8
typedef __m256 emg_vf;
emg_vf _ZGVdN8v_expf(emg_vf);
#define VLOAD _mm256_loadu_ps
#define VSTORE _mm256_storeu_ps
#define VEXP _ZGVdN8v_expf
#if __GLIBC_PREREQ(2, 35)
emg_vf _ZGVdN8v_erff(emg_vf);
#define VERF _ZGVdN8v_erff
#endif
#endif

/* every element goes through the same (vector) function, wherever it sits in the array, so a
 * value never depends on the array's length or offset */
void emg_vec_expf(float *y, const float *x, size_t n) {
#ifdef VEXP
    size_t i = 0;
    for (; i + EMG_VW <= n; i += EMG_VW) VSTORE(y + i, VEXP(VLOAD(x + i)));
    if (i < n) {
        float buf[EMG_VW] = {0};
        memcpy(buf, x + i, (n - i) * sizeof *buf);
        VSTORE(buf, VEXP(VLOAD(buf)));
        memcpy(y + i, buf, (n - i) * sizeof *buf);
    }
#else
    for (size_t i = 0; i < n; i++) y[i] = expf(x[i]);
#endif
}

static void vec_erff(float *y, const float *x, size_t n) {
#ifdef VERF
    size_t i = 0;
    for (; i + EMG_VW <= n; i += EMG_VW) VSTORE(y + i, VERF(VLOAD(x + i)));
    if (i < n) {
        float buf[EMG_VW] = {0};
        memcpy(buf, x + i, (n - i) * sizeof *buf);
        VSTORE(buf, VERF(VLOAD(buf)));
        memcpy(y + i, buf, (n - i) * sizeof *buf);
    }
#else
    for (size_t i = 0; i < n; i++) y[i] = erff(x[i]);
#endif
}

/* ---------------------------------------------------------------------------------------------
 * few-row products for the decoder: y[N,OC] = x[N,C] W^T + b with N small (one token per row).
 * Memory-bound: every weight row is read once for up to 4 input rows, and streamed at the
 * memory's speed (OpenBLAS 0.3.21's sgemm packs the whole of W when M is 1..4, and its sgemv
 * reads at about half the bandwidth). Each output is a 16-lane dot product in a fixed order: it
 * does not depend on N.
 * ------------------------------------------------------------------------------------------- */
#if defined(__AVX512F__) && defined(EMG_VW)
static inline __attribute__((always_inline)) void matvec_block(float *restrict y, const float *restrict x,
        const float *restrict W, const float *restrict b, int C, int OC, const int R) {
    for (int o = 0; o < OC; o++) {
        const float *restrict w = W + (size_t)o * C;
        __m512 a0[4], a1[4];
        for (int r = 0; r < R; r++) a0[r] = a1[r] = _mm512_setzero_ps();
        int i = 0;
        for (; i + 32 <= C; i += 32) {
            const __m512 w0 = _mm512_loadu_ps(w + i), w1 = _mm512_loadu_ps(w + i + 16);
            for (int r = 0; r < R; r++) {
                a0[r] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x + (size_t)r * C + i), a0[r]);
                a1[r] = _mm512_fmadd_ps(w1, _mm512_loadu_ps(x + (size_t)r * C + i + 16), a1[r]);
            }
        }
        for (; i < C; i += 16) {
            const __mmask16 mk = C - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (C - i)) - 1u);
            const __m512 w0 = _mm512_maskz_loadu_ps(mk, w + i);
            for (int r = 0; r < R; r++) a0[r] = _mm512_fmadd_ps(w0, _mm512_maskz_loadu_ps(mk, x + (size_t)r * C + i), a0[r]);
        }
        for (int r = 0; r < R; r++) y[(size_t)r * OC + o] = _mm512_reduce_add_ps(_mm512_add_ps(a0[r], a1[r])) + (b ? b[o] : 0.0f);
    }
}
#else
static inline __attribute__((always_inline)) void matvec_block(float *restrict y, const float *restrict x,
        const float *restrict W, const float *restrict b, int C, int OC, const int R) {
    for (int r = 0; r < R; r++)
        for (int o = 0; o < OC; o++) y[(size_t)r * OC + o] = dot16(W + (size_t)o * C, x + (size_t)r * C, C) + (b ? b[o] : 0.0f);
}
#endif

void emg_linear_forward_rows(float *y, const float *x, const float *W, const float *b, long N, int C, int OC) {
    for (long n0 = 0; n0 < N; n0 += 4) {
        const long r = N - n0 < 4 ? N - n0 : 4;
        float *yy = y + (size_t)n0 * OC;
        const float *xx = x + (size_t)n0 * C;
        switch (r) {
        case 1: matvec_block(yy, xx, W, b, C, OC, 1); break;
        case 2: matvec_block(yy, xx, W, b, C, OC, 2); break;
        case 3: matvec_block(yy, xx, W, b, C, OC, 3); break;
        default: matvec_block(yy, xx, W, b, C, OC, 4); break;
        }
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
        const float m = sum16(xr, C) / (float)C;
        for (int i = 0; i < C; i++) yr[i] = xr[i] - m;      /* centred values, temporarily in y */
        const float var = dot16(yr, yr, C) / (float)C;
        const float r = 1.0f / sqrtf(var + eps);
        for (int i = 0; i < C; i++) yr[i] = yr[i] * r * w[i] + b[i];
        mean[n] = m;
        rstd[n] = r;
    }
}

void emg_layernorm_backward(float *restrict dx, float *restrict dw, float *restrict db, const float *restrict dy,
                            const float *restrict x, const float *restrict w, const float *restrict mean,
                            const float *restrict rstd, long N, int C) {
    float xh[4096], dxh[4096];  /* one row at a time, in chunks of 4096 features */
    for (long n = 0; n < N; n++) {
        const float *dyr = dy + (size_t)n * C, *xr = x + (size_t)n * C;
        float *dxr = dx + (size_t)n * C;
        const float m = mean[n], r = rstd[n];
        /* xhat = (x - m) r; dxhat = dy w; dx = r (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) */
        float s1 = 0.0f, s2 = 0.0f;
        for (int c0 = 0; c0 < C; c0 += 4096) {
            const int cn = C - c0 < 4096 ? C - c0 : 4096;
            for (int i = 0; i < cn; i++) {
                xh[i] = (xr[c0 + i] - m) * r;
                dxh[i] = dyr[c0 + i] * w[c0 + i];
                dw[c0 + i] += dyr[c0 + i] * xh[i];
                db[c0 + i] += dyr[c0 + i];
            }
            s1 += sum16(dxh, cn);
            s2 += dot16(dxh, xh, cn);
        }
        s1 /= (float)C;
        s2 /= (float)C;
        for (int i = 0; i < C; i++) {
            const float xhi = (xr[i] - m) * r;
            dxr[i] += r * (dyr[i] * w[i] - s1 - xhi * s2);
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * GELU, exact erf form
 * ------------------------------------------------------------------------------------------- */
#define EMG_SQRT1_2 0.70710678118654752440f
#define EMG_INV_SQRT_2PI 0.39894228040143267794f
#define CHUNK 1024

void emg_gelu_forward(float *restrict y, const float *restrict x, size_t n) {
    float e[CHUNK];
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
        const size_t cn = n - i0 < CHUNK ? n - i0 : CHUNK;
        for (size_t i = 0; i < cn; i++) e[i] = x[i0 + i] * EMG_SQRT1_2;
        vec_erff(e, e, cn);
        for (size_t i = 0; i < cn; i++) y[i0 + i] = 0.5f * x[i0 + i] * (1.0f + e[i]);
    }
}

void emg_gelu_backward(float *dx, const float *dy, const float *x, size_t n) {
    float e[CHUNK], g[CHUNK];
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
        const size_t cn = n - i0 < CHUNK ? n - i0 : CHUNK;
        for (size_t i = 0; i < cn; i++) {
            e[i] = x[i0 + i] * EMG_SQRT1_2;
            g[i] = -0.5f * x[i0 + i] * x[i0 + i];
        }
        vec_erff(e, e, cn);
        emg_vec_expf(g, g, cn);
        for (size_t i = 0; i < cn; i++) {
            const float cdf = 0.5f * (1.0f + e[i]);
            const float pdf = EMG_INV_SQRT_2PI * g[i];
            dx[i0 + i] = dy[i0 + i] * (cdf + x[i0 + i] * pdf);
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * phi = elu + 1
 * ------------------------------------------------------------------------------------------- */
void emg_phi_forward(float *x, const int *keep_row, long N, int C) {
    float e[CHUNK];
    for (long n = 0; n < N; n++) {
        float *r = x + (size_t)n * C;
        if (keep_row && !keep_row[n]) {
            memset(r, 0, (size_t)C * sizeof *r);
            continue;
        }
        for (int c0 = 0; c0 < C; c0 += CHUNK) {
            const int cn = C - c0 < CHUNK ? C - c0 : CHUNK;
            emg_vec_expf(e, r + c0, (size_t)cn);
            for (int i = 0; i < cn; i++) r[c0 + i] = r[c0 + i] > 0.0f ? r[c0 + i] + 1.0f : e[i];
        }
    }
}

void emg_phi_backward(float *d, const float *phi, const int *keep_row, long N, int C) {
    for (long n = 0; n < N; n++) {
        float *restrict r = d + (size_t)n * C;
        const float *restrict p = phi + (size_t)n * C;
        if (keep_row && !keep_row[n]) {
            memset(r, 0, (size_t)C * sizeof *r);
            continue;
        }
        /* phi'(x) = 1 for x > 0 (phi > 1), exp(x) = phi for x <= 0 (phi <= 1) */
        for (int i = 0; i < C; i++) r[i] *= p[i] < 1.0f ? p[i] : 1.0f;
    }
}

/* ---------------------------------------------------------------------------------------------
 * causal linear attention: sequential scans. Every inner loop runs over a contiguous row of
 * Dh floats (vectorised); dot products use dot16.
 * ------------------------------------------------------------------------------------------- */
static int row_is_zero(const float *r, int n) {
    for (int i = 0; i < n; i++)
        if (r[i] != 0.0f) return 0;
    return 1;
}

/* One (batch row, head) of the forward scan. Inlined with a constant Dh for the usual head sizes,
 * so that the row loops unroll and the output row stays in registers. */
static inline __attribute__((always_inline)) void attn_fwd_head(float *restrict out, float *restrict rd,
        const float *restrict Q, const float *restrict K, const float *restrict V, int T, size_t C, float eps,
        float *restrict S, float *restrict z, const int Dh) {
    memset(S, 0, (size_t)Dh * Dh * sizeof *S);
    memset(z, 0, (size_t)Dh * sizeof *z);
    for (int t = 0; t < T; t++) {
        const float *restrict q = Q + (size_t)t * C, *restrict k = K + (size_t)t * C, *restrict v = V + (size_t)t * C;
        float *restrict o = out + (size_t)t * C;
        if (!row_is_zero(k, Dh)) { /* pad keys are zero rows: adding them changes nothing */
            for (int i = 0; i < Dh; i++) z[i] += k[i];
            for (int i = 0; i < Dh; i++) {
                const float ki = k[i];
                float *restrict Si = S + (size_t)i * Dh;
                for (int j = 0; j < Dh; j++) Si[j] = MADD(ki, v[j], Si[j]);
            }
        }
        const float den = dot16(q, z, Dh);
        float acc[Dh];
        for (int j = 0; j < Dh; j++) acc[j] = 0.0f;
        for (int i = 0; i < Dh; i++) {
            const float qi = q[i];
            const float *restrict Si = S + (size_t)i * Dh;
            for (int j = 0; j < Dh; j++) acc[j] = MADD(qi, Si[j], acc[j]);
        }
        const float r = 1.0f / (den + eps);
        for (int j = 0; j < Dh; j++) o[j] = acc[j] * r;
        rd[t] = r;
    }
}

void emg_attention_forward(float *restrict out, float *restrict rden, const float *restrict Q,
                           const float *restrict K, const float *restrict V, int B, int T, int H, int Dh,
                           float eps, float *restrict work) {
    const size_t C = (size_t)H * Dh;
    float *restrict S = work;                    /* [Dh, Dh]: S[i][j] = sum_s K_s[i] V_s[j] */
    float *restrict z = work + (size_t)Dh * Dh;  /* [Dh]: sum_s K_s */
    for (int b = 0; b < B; b++)
        for (int h = 0; h < H; h++) {
            const size_t off = (size_t)b * T * C + (size_t)h * Dh;
            float *rd = rden + ((size_t)b * H + h) * T;
            switch (Dh) {
            case 16: attn_fwd_head(out + off, rd, Q + off, K + off, V + off, T, C, eps, S, z, 16); break;
            case 32: attn_fwd_head(out + off, rd, Q + off, K + off, V + off, T, C, eps, S, z, 32); break;
            case 64: attn_fwd_head(out + off, rd, Q + off, K + off, V + off, T, C, eps, S, z, 64); break;
            case 128: attn_fwd_head(out + off, rd, Q + off, K + off, V + off, T, C, eps, S, z, 128); break;
            default: attn_fwd_head(out + off, rd, Q + off, K + off, V + off, T, C, eps, S, z, Dh); break;
            }
        }
}

static inline __attribute__((always_inline)) void attn_bwd_head(float *restrict dQ, float *restrict dK,
        float *restrict dV, const float *restrict dout, const float *restrict out, const float *restrict rd,
        const float *restrict Q, const float *restrict K, const float *restrict V, int T, size_t C,
        float *restrict work, const int Dh) {
    const size_t DD = (size_t)Dh * Dh;
    float *restrict M1 = work;             /* forward scan: S^T [Dh(v), Dh(k)]; reverse scan: G [Dh(q), Dh(v)] */
    float *restrict M2 = work + DD;        /* reverse scan: G^T [Dh(v), Dh(q)] */
    float *restrict zg = work + 2 * DD;    /* z, then g */
    /* forward scan: dQ_t = S_t dnum_t + dden_t z_t, with S_t^T kept row-major */
    float *restrict ST = M1;
    memset(ST, 0, DD * sizeof *ST);
    memset(zg, 0, (size_t)Dh * sizeof *zg);
    for (int t = 0; t < T; t++) {
        const size_t off = (size_t)t * C;
        const float *restrict k = K + off, *restrict v = V + off, *restrict go = dout + off, *restrict o = out + off;
        if (!row_is_zero(k, Dh)) {
            for (int i = 0; i < Dh; i++) zg[i] += k[i];
            for (int j = 0; j < Dh; j++) {
                const float vj = v[j];
                float *restrict STj = ST + (size_t)j * Dh;
                for (int i = 0; i < Dh; i++) STj[i] = MADD(vj, k[i], STj[i]);
            }
        }
        const float r = rd[t];
        const float dden = -r * dot16(go, o, Dh);
        float acc[Dh];
        for (int i = 0; i < Dh; i++) acc[i] = dden * zg[i];
        for (int j = 0; j < Dh; j++) {
            const float dn = go[j] * r;
            const float *restrict STj = ST + (size_t)j * Dh;
            for (int i = 0; i < Dh; i++) acc[i] = MADD(dn, STj[i], acc[i]);
        }
        float *restrict dq = dQ + off;
        for (int i = 0; i < Dh; i++) dq[i] = acc[i];
    }
    /* reverse scan: G_t = sum_{s>=t} Q_s dnum_s^T, g_t = sum_{s>=t} dden_s Q_s;
     * dK_t = G_t V_t + g_t, dV_t = G_t^T K_t */
    float *restrict G = M1, *restrict GT = M2;
    memset(G, 0, DD * sizeof *G);
    memset(GT, 0, DD * sizeof *GT);
    memset(zg, 0, (size_t)Dh * sizeof *zg);
    for (int t = T - 1; t >= 0; t--) {
        const size_t off = (size_t)t * C;
        const float *restrict q = Q + off, *restrict k = K + off, *restrict v = V + off;
        const float *restrict go = dout + off, *restrict o = out + off;
        float *restrict dk = dK + off, *restrict dv = dV + off;
        const float r = rd[t];
        const float dden = -r * dot16(go, o, Dh);
        float dnum[Dh];
        for (int j = 0; j < Dh; j++) dnum[j] = go[j] * r;
        for (int i = 0; i < Dh; i++) zg[i] = MADD(dden, q[i], zg[i]);
        for (int i = 0; i < Dh; i++) {
            const float qi = q[i];
            float *restrict Gi = G + (size_t)i * Dh;
            for (int j = 0; j < Dh; j++) Gi[j] = MADD(qi, dnum[j], Gi[j]);
        }
        for (int j = 0; j < Dh; j++) {
            const float dn = dnum[j];
            float *restrict GTj = GT + (size_t)j * Dh;
            for (int i = 0; i < Dh; i++) GTj[i] = MADD(dn, q[i], GTj[i]);
        }
        if (row_is_zero(k, Dh)) { /* a pad key: no gradient reaches k or v */
            memset(dk, 0, (size_t)Dh * sizeof *dk);
            memset(dv, 0, (size_t)Dh * sizeof *dv);
            continue;
        }
        float ak[Dh], av[Dh];
        for (int i = 0; i < Dh; i++) ak[i] = zg[i];
        for (int j = 0; j < Dh; j++) {
            const float vj = v[j];
            const float *restrict GTj = GT + (size_t)j * Dh;
            for (int i = 0; i < Dh; i++) ak[i] = MADD(vj, GTj[i], ak[i]);
        }
        for (int j = 0; j < Dh; j++) av[j] = 0.0f;
        for (int i = 0; i < Dh; i++) {
            const float ki = k[i];
            const float *restrict Gi = G + (size_t)i * Dh;
            for (int j = 0; j < Dh; j++) av[j] = MADD(ki, Gi[j], av[j]);
        }
        for (int i = 0; i < Dh; i++) dk[i] = ak[i];
        for (int j = 0; j < Dh; j++) dv[j] = av[j];
    }
}

void emg_attention_backward(float *restrict dQ, float *restrict dK, float *restrict dV, const float *restrict dout,
                            const float *restrict out, const float *restrict rden, const float *restrict Q,
                            const float *restrict K, const float *restrict V, int B, int T, int H, int Dh,
                            float *restrict work) {
    const size_t C = (size_t)H * Dh;
    for (int b = 0; b < B; b++)
        for (int h = 0; h < H; h++) {
            const size_t off = (size_t)b * T * C + (size_t)h * Dh;
            const float *rd = rden + ((size_t)b * H + h) * T;
#define ATTN_BWD(DH) attn_bwd_head(dQ + off, dK + off, dV + off, dout + off, out + off, rd, Q + off, K + off, \
                                   V + off, T, C, work, DH)
            switch (Dh) {
            case 16: ATTN_BWD(16); break;
            case 32: ATTN_BWD(32); break;
            case 64: ATTN_BWD(64); break;
            case 128: ATTN_BWD(128); break;
            default: ATTN_BWD(Dh); break;
            }
#undef ATTN_BWD
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

/* Philox4x32-10 of 16 consecutive counters blk0 .. blk0+15 (lanes vectorise): element e of bits
 * (e = 4 l + r) is lane r of block blk0 + l, identical to emg_rng_block(seed, stream, blk0 + l) */
#define PHILOX_M0 UINT64_C(0xD2511F53)
#define PHILOX_M1 UINT64_C(0xCD9E8D57)
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u
static void philox16(uint64_t seed, uint64_t stream, uint64_t blk0, uint32_t bits[64]) {
    uint64_t c0[16], c1[16], c2[16], c3[16];  /* 32-bit words in 64-bit lanes */
    for (int l = 0; l < 16; l++) {
        const uint64_t ctr = blk0 + (uint64_t)l;
        c0[l] = ctr & 0xffffffffu;
        c1[l] = ctr >> 32;
        c2[l] = stream & 0xffffffffu;
        c3[l] = stream >> 32;
    }
#if defined(__AVX512F__) && defined(EMG_VW)
    /* 8 counters per register; _mm512_mul_epu32 is the 32x32->64 product of Philox */
    const __m512i m0 = _mm512_set1_epi64((long long)PHILOX_M0), m1 = _mm512_set1_epi64((long long)PHILOX_M1);
    const __m512i lo = _mm512_set1_epi64(0xffffffffLL);
    for (int half = 0; half < 2; half++) {
        __m512i x0 = _mm512_loadu_si512(c0 + 8 * half), x1 = _mm512_loadu_si512(c1 + 8 * half);
        __m512i x2 = _mm512_loadu_si512(c2 + 8 * half), x3 = _mm512_loadu_si512(c3 + 8 * half);
        uint64_t k0 = seed & 0xffffffffu, k1 = seed >> 32;
        for (int round = 0; round < 10; round++) {
            const __m512i p0 = _mm512_mul_epu32(x0, m0), p1 = _mm512_mul_epu32(x2, m1);
            const __m512i n0 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p1, 32), x1),
                                                _mm512_set1_epi64((long long)k0));
            const __m512i n2 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(p0, 32), x3),
                                                _mm512_set1_epi64((long long)k1));
            x1 = _mm512_and_si512(p1, lo);
            x3 = _mm512_and_si512(p0, lo);
            x0 = n0;
            x2 = n2;
            k0 = (k0 + PHILOX_W0) & 0xffffffffu;
            k1 = (k1 + PHILOX_W1) & 0xffffffffu;
        }
        _mm512_storeu_si512(c0 + 8 * half, x0);
        _mm512_storeu_si512(c1 + 8 * half, x1);
        _mm512_storeu_si512(c2 + 8 * half, x2);
        _mm512_storeu_si512(c3 + 8 * half, x3);
    }
#else
    uint64_t k0 = seed & 0xffffffffu, k1 = seed >> 32;
    for (int round = 0; round < 10; round++) {
        for (int l = 0; l < 16; l++) {
            const uint64_t p0 = PHILOX_M0 * c0[l];
            const uint64_t p1 = PHILOX_M1 * c2[l];
            const uint64_t n0 = (p1 >> 32) ^ c1[l] ^ k0;
            const uint64_t n2 = (p0 >> 32) ^ c3[l] ^ k1;
            c1[l] = p1 & 0xffffffffu;
            c3[l] = p0 & 0xffffffffu;
            c0[l] = n0;
            c2[l] = n2;
        }
        k0 = (k0 + PHILOX_W0) & 0xffffffffu;
        k1 = (k1 + PHILOX_W1) & 0xffffffffu;
    }
#endif
    for (int l = 0; l < 16; l++) {
        bits[4 * l] = (uint32_t)c0[l];
        bits[4 * l + 1] = (uint32_t)c1[l];
        bits[4 * l + 2] = (uint32_t)c2[l];
        bits[4 * l + 3] = (uint32_t)c3[l];
    }
}

void emg_dropout_apply(float *x, int B, int T, int C, float p, uint64_t seed, uint64_t step, int site,
                       uint64_t seq_base) {
    if (p <= 0.0f) return;
    const uint32_t thr = dropout_threshold(p);
    const float scale = 1.0f / (1.0f - p);
    const uint64_t stream = step * 65536u + (uint64_t)site;
    uint32_t bits[64];
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
            float *r = x + ((size_t)b * T + t) * C;
            const uint64_t base = ((seq_base + (uint64_t)b) * ((uint64_t)1 << 20) + (uint64_t)t) * (uint64_t)C;
            const uint64_t end = base + (uint64_t)C;
            for (uint64_t blk = base >> 2; blk * 4 < end; blk += 16) {
                philox16(seed, stream, blk, bits);
                /* elements [blk*4, blk*4 + 64) intersected with [base, end) */
                const uint64_t e0 = blk * 4 > base ? blk * 4 : base;
                const uint64_t e1 = blk * 4 + 64 < end ? blk * 4 + 64 : end;
                float *rr = r + (e0 - base);
                const uint32_t *bb = bits + (e0 - blk * 4);
                const int n = (int)(e1 - e0);
                for (int i = 0; i < n; i++) rr[i] *= bb[i] >= thr ? scale : 0.0f;
            }
        }
}
