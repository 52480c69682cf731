/* test_model_adam.c: fairseq's Adam and the inverse-sqrt schedule.
 *  - lr(k-1) for updates k = 1..10 with peak 1e-3, warm-up 4 (the golden runs' values) and the
 *    real schedule (peak 1e-4, warm-up 16000)
 *  - emg_adam_step against the formulas in double over several updates with changing
 *    gradients and learning rates: weight decay on every tensor, folded bias correction, the
 *    first update (lr 0) moving nothing, the pad row staying 0 */
#include "model.h"
#include "model_adam.h"
#include "rng.h"
#include "test_util.h"

int main(void) {
    const double golden[10] = {0, 2.5e-4, 5e-4, 7.5e-4, 1e-3, 8.944271909999159e-4, 8.16496580927726e-4,
                               7.559289460184544e-4, 7.071067811865476e-4, 6.666666666666666e-4};
    for (int k = 1; k <= 10; k++) CHECK_NEAR(emg_lr_inverse_sqrt(k - 1, 1e-3, 4), golden[k - 1], 1e-15);
    CHECK_EQ_DBL(emg_lr_inverse_sqrt(0, 1e-4, 16000), 0.0);
    CHECK_NEAR(emg_lr_inverse_sqrt(8000, 1e-4, 16000), 5e-5, 1e-18);
    CHECK_NEAR(emg_lr_inverse_sqrt(16000, 1e-4, 16000), 1e-4, 1e-18);
    CHECK_NEAR(emg_lr_inverse_sqrt(64000, 1e-4, 16000), 5e-5, 1e-18);

    emg_model_config c = emg_model_config_tiny();
    c.vocab = 20, c.d_model = 8, c.n_heads = 2, c.d_ffn = 16, c.attr_num = 3;
    emg_model *m = emg_model_create(&c);
    emg_model_init_params(m, 11);
    const size_t n = m->n_params;
    double *p = malloc(n * sizeof *p), *mm = calloc(n, sizeof *mm), *vv = calloc(n, sizeof *vv);
    for (size_t i = 0; i < n; i++) p[i] = m->params[i];
    const emg_tensor_info *te = emg_model_tensor(m, "tok_emb");
    const size_t pad0 = te->offset + (size_t)c.pad_idx * c.d_model;
    const double b1 = 0.9, b2 = 0.98, eps = 1e-9, wd = 0.01;
    double worst = 0.0;
    int first_unchanged = 1;
    for (long t = 1; t <= 6; t++) {
        const double lr = emg_lr_inverse_sqrt(t - 1, 1e-2, 3);
        for (size_t i = 0; i < n; i++) {
            double g = (i >= pad0 && i < pad0 + (size_t)c.d_model) ? 0.0 : 1e-3 * emg_rng_normal(5, (uint64_t)t, i) * (1 + (double)(i % 7));
            m->grads[i] = (float)g;
            g = m->grads[i];
            mm[i] = b1 * mm[i] + (1 - b1) * g;
            vv[i] = b2 * vv[i] + (1 - b2) * g * g;
            const double step = lr * sqrt(1 - pow(b2, (double)t)) / (1 - pow(b1, (double)t));
            p[i] -= lr * wd * p[i];
            p[i] -= step * mm[i] / (sqrt(vv[i]) + eps);
        }
        float before = m->params[n / 2];
        emg_adam_step(m, lr, t);
        if (t == 1) first_unchanged &= m->params[n / 2] == before;
        for (size_t i = 0; i < n; i++) worst = fmax(worst, fabs((double)m->params[i] - p[i]));
    }
    /* updates are ~1e-2 (lr up to 1e-2); float32 rounding of parameters of size ~1 is ~1e-7 */
    fprintf(stderr, "Adam vs double formulas over 6 updates: max abs difference %.3e\n", worst);
    CHECK(worst <= 1e-6);
    CHECK(first_unchanged);
    int pad_zero = 1;
    for (int i = 0; i < c.d_model; i++) pad_zero &= m->params[pad0 + (size_t)i] == 0.0f;
    CHECK(pad_zero);
    /* weight decay reaches LayerNorm weights with zero gradient: 1 -> 1 - lr wd */
    emg_model_zero_grad(m);
    const emg_tensor_info *ln = emg_model_tensor(m, "ln_f.weight");
    float *mom_m = emg_adam_m(m), *mom_v = emg_adam_v(m);
    memset(mom_m, 0, n * sizeof(float));
    memset(mom_v, 0, n * sizeof(float));
    m->params[ln->offset] = 1.0f;
    emg_adam_step(m, 0.5, 7);
    CHECK_NEAR(m->params[ln->offset], 1.0 - 0.5 * 0.01, 1e-7);
    free(p), free(mm), free(vv);
    emg_model_free(m);
    return TEST_DONE();
}
