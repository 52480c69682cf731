/* model_layers.h: the layer kernels of the EmoGen model (model.c, model_decode.c use them).
 * Every *_forward / *_backward pair documents its shapes; N = rows (B*T tokens), row-major.
 * Backward functions ACCUMULATE (+=) into parameter gradients; input gradients are written or
 * accumulated as each comment says. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* y[N,OC] = x[N,C] W[OC,C]^T + b[OC]   (b may be NULL)   -- cblas_sgemm */
void emg_linear_forward(float *y, const float *x, const float *W, const float *b, long N, int C, int OC);
/* the same for a few rows (the decoder: one token per sequence), as a streaming matrix-vector
 * kernel that reads W once per 4 rows; not BLAS (see model_layers.c) */
void emg_linear_forward_rows(float *y, const float *x, const float *W, const float *b, long N, int C, int OC);
/* dx[N,C] = dy[N,OC] W[OC,C] (accumulate_dx: += instead of =); dW[OC,C] += dy^T x; db[OC] += sum_n dy
 * (dx, dW, db may each be NULL to skip) */
void emg_linear_backward(float *dx, float *dW, float *db, const float *dy, const float *x, const float *W,
                         long N, int C, int OC, int accumulate_dx);

/* y[N,C] = (x - mean) * rstd * w + b with biased variance; mean[N], rstd[N] saved */
void emg_layernorm_forward(float *y, float *mean, float *rstd, const float *x, const float *w, const float *b,
                           long N, int C, float eps);
/* dx[N,C] += LN backward; dw[C] += sum dy * xhat; db[C] += sum dy */
void emg_layernorm_backward(float *dx, float *dw, float *db, const float *dy, const float *x, const float *w,
                            const float *mean, const float *rstd, long N, int C);

/* y[n] = 0.5 x (1 + erf(x / sqrt 2)), n elements */
void emg_gelu_forward(float *y, const float *x, size_t n);
/* dx[n] = dy[n] * gelu'(x[n])   (in place allowed: dx == dy) */
void emg_gelu_backward(float *dx, const float *dy, const float *x, size_t n);

/* phi(x) = elu(x) + 1 in place over rows: x[N,C]; rows with mask[n] == 0 (keys at pad positions)
 * become 0 (mask NULL: none) */
void emg_phi_forward(float *x, const int *keep_row, long N, int C);
/* d phi: dx = dphi * phi'(x) with phi' = min(phi, 1); rows with keep_row == 0 get 0. In place. */
void emg_phi_backward(float *d, const float *phi, const int *keep_row, long N, int C);

/* causal linear attention, per batch row b and head h, as a sequential scan over t:
 *   S_t = S_{t-1} + K_t V_t^T ; z_t = z_{t-1} + K_t ; out_t = (Q_t S_t) / (Q_t . z_t + eps)
 * Q, K, V, out: [B, T, H*Dh] (head h = columns h*Dh ..); rden [B, H, T] = 1/(Q_t.z_t + eps).
 * work: Dh*Dh + Dh floats. */
void emg_attention_forward(float *out, float *rden, const float *Q, const float *K, const float *V,
                           int B, int T, int H, int Dh, float eps, float *work);
/* backward: given dout [B,T,H*Dh] (and the forward's out, rden, Q, K, V), write dQ, dK, dV
 * [B,T,H*Dh]. dQ_t = S_t dnum_t + dden_t z_t (forward scan, S re-accumulated); with
 * G_t = sum_{s>=t} Q_s dnum_s^T and g_t = sum_{s>=t} dden_s Q_s (reverse scan):
 * dK_t = G_t V_t + g_t, dV_t = G_t^T K_t; where dnum_t = dout_t rden_t and
 * dden_t = -rden_t (dout_t . out_t). work: 2*Dh*Dh + 3*Dh floats. */
void emg_attention_backward(float *dQ, float *dK, float *dV, const float *dout, const float *out,
                            const float *rden, const float *Q, const float *K, const float *V,
                            int B, int T, int H, int Dh, float *work);

/* dropout in place: x[n] *= emg_dropout_keep(seed, step, site, index(n), p) where element
 * (row r = b*T + t, column j) has index ((seq_base + b) * 2^20 + t) * C + j. p == 0: nothing. */
void emg_dropout_apply(float *x, int B, int T, int C, float p, uint64_t seed, uint64_t step, int site,
                       uint64_t seq_base);

/* y[i] = expf(x[i]) (y == x allowed); libmvec's vector expf where the build's ISA has it */
void emg_vec_expf(float *y, const float *x, size_t n);
/* deterministic, vectorised reductions (16 partial sums in a fixed order) */
float emg_vec_sum(const float *a, int n);
float emg_vec_dot(const float *a, const float *b, int n);
float emg_vec_max(const float *a, int n);
