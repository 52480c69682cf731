/* model_adam.c: fairseq Adam + inverse_sqrt schedule (see model_adam.h). */
#include "model_adam.h"

#include "check.h"

#include <math.h>

double emg_lr_inverse_sqrt(long num_updates, double peak_lr, long warmup_updates) {
    if (num_updates < warmup_updates) return (double)num_updates * peak_lr / (double)warmup_updates;
    return peak_lr * sqrt((double)warmup_updates) / sqrt((double)num_updates);
}

static void ensure_moments(emg_model *m) {
    if (!m->adam_m) m->adam_m = xcalloc(m->n_params, sizeof(float));
    if (!m->adam_v) m->adam_v = xcalloc(m->n_params, sizeof(float));
}

float *emg_adam_m(emg_model *m) {
    ensure_moments(m);
    return m->adam_m;
}

float *emg_adam_v(emg_model *m) {
    ensure_moments(m);
    return m->adam_v;
}

void emg_adam_step(emg_model *m, double lr, long t) {
    if (t < 1) FAIL("emg_adam_step: update number %ld < 1", t);
    ensure_moments(m);
    const emg_adam_config *ac = &m->adam;
    /* as torch computes them for float tensors: scalars cast to float */
    const float b1 = (float)ac->beta1, b2 = (float)ac->beta2;
    const float omb1 = (float)(1.0 - ac->beta1), omb2 = (float)(1.0 - ac->beta2);
    const float eps = (float)ac->eps;
    const float decay = (float)(-ac->weight_decay * lr);
    const float step = (float)(-(lr * sqrt(1.0 - pow(ac->beta2, (double)t)) / (1.0 - pow(ac->beta1, (double)t))));
    float *restrict p = m->params, *restrict mm = m->adam_m, *restrict vv = m->adam_v;
    const float *restrict g = m->grads;
    const size_t n = m->n_params;
    for (size_t i = 0; i < n; i++) {
        const float gi = g[i];
        const float mi = mm[i] * b1 + omb1 * gi;
        const float vi = vv[i] * b2 + omb2 * gi * gi;
        mm[i] = mi;
        vv[i] = vi;
        const float denom = sqrtf(vi) + eps;
        float pi = p[i];
        pi = pi + decay * pi;
        p[i] = pi + step * (mi / denom);
    }
}
