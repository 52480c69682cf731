/* model_adam.h: fairseq 0.10.2's Adam and inverse-square-root learning-rate schedule.
 *
 * Adam, for every parameter (all of them take part: LayerNorms, biases and embeddings too),
 * with t = the 1-based number of this update:
 *   m = b1 m + (1 - b1) g ;  v = b2 v + (1 - b2) g^2 ;  denom = sqrt(v) + eps
 *   step = lr sqrt(1 - b2^t) / (1 - b1^t)                (bias correction folded into the step)
 *   p = p - lr wd p                                      (decoupled weight decay, before the step)
 *   p = p - step m / denom
 * with b1 0.9, b2 0.98, eps 1e-9, wd 0.01 (m->adam). No gradient clipping.
 *
 * Schedule (fairseq inverse_sqrt, warmup_init_lr 0): lr(n) = peak n / warmup for n < warmup,
 * else peak sqrt(warmup / n), where n = updates already done. Update k (1-based) uses
 * lr(k - 1): the first update runs with lr 0 and only fills m and v.
 */
#pragma once
#include "model.h"

double emg_lr_inverse_sqrt(long num_updates, double peak_lr, long warmup_updates);

/* update `t` (1-based) with learning rate lr, from the gradient buffer. Allocates the two
 * moment buffers (one allocation each, zeroed) on first use. */
void emg_adam_step(emg_model *m, double lr, long t);
/* the moment buffers (n_params floats each, for checkpoints); allocated (zero) if absent */
float *emg_adam_m(emg_model *m);
float *emg_adam_v(emg_model *m);
