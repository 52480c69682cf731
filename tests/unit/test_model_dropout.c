/* test_model_dropout.c: dropout masks from the counter-based generator.
 *  - a mask element depends only on (seed, step, site, sequence, position, feature): the same
 *    call gives the same value, another step or site another mask, and the rate is p
 *  - the masks of a batch split over "ranks" (seq_base) equal those of the whole batch, so
 *    data-parallel training computes the same logits, and the ranks' gradients, each normalised
 *    by the GLOBAL token count, add up to the whole batch's gradient
 *  - p = 0, or training off, is the identity */
#include "model.h"
#include "model_layers.h"
#include "test_util.h"

static void rates(void) {
    const float p = 0.1f;
    const uint64_t n = 1u << 20;
    uint64_t dropped = 0, differ_step = 0, differ_site = 0, reproducible = 1, scale_ok = 1;
    for (uint64_t i = 0; i < n; i++) {
        float k = emg_dropout_keep(42, 7, 3, i, p);
        dropped += k == 0.0f;
        scale_ok &= k == 0.0f || k == 1.0f / (1.0f - p);
        reproducible &= k == emg_dropout_keep(42, 7, 3, i, p);
        differ_step += k != emg_dropout_keep(42, 8, 3, i, p);
        differ_site += k != emg_dropout_keep(42, 7, 4, i, p);
    }
    const double frac = (double)dropped / (double)n, sigma = sqrt(0.1 * 0.9 / (double)n);
    fprintf(stderr, "dropout p 0.1: dropped fraction %.5f (5 sigma = %.5f); masks differing between steps %.4f, "
            "between sites %.4f (expected 2p(1-p) = 0.18)\n", frac, 5 * sigma, (double)differ_step / n,
            (double)differ_site / n);
    CHECK(fabs(frac - 0.1) < 5 * sigma);
    CHECK(reproducible);
    CHECK(scale_ok);
    CHECK(fabs((double)differ_step / n - 0.18) < 0.005);
    CHECK(fabs((double)differ_site / n - 0.18) < 0.005);
    CHECK_EQ_DBL(emg_dropout_keep(42, 7, 3, 12345, 0.0f), 1.0);

    /* emg_dropout_apply uses element index ((seq_base + b) 2^20 + t) C + j */
    const int B = 3, T = 5, C = 12;
    float x[3 * 5 * 12];
    for (int i = 0; i < B * T * C; i++) x[i] = 1.0f;
    emg_dropout_apply(x, B, T, C, 0.3f, 9, 4, 2, 100);
    int match = 1, zeros = 0;
    for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++)
            for (int j = 0; j < C; j++) {
                uint64_t idx = ((100u + (uint64_t)b) * (1u << 20) + (uint64_t)t) * (uint64_t)C + (uint64_t)j;
                float v = x[(b * T + t) * C + j];
                match &= v == emg_dropout_keep(9, 4, 2, idx, 0.3f);
                zeros += v == 0.0f;
            }
    CHECK(match);
    CHECK(zeros > 0 && zeros < B * T * C);
}

static void split_batch(void) {
    emg_model_config c = emg_model_config_tiny();
    c.dropout = 0.1f;
    const int B = 4, T = 9, A = c.attr_num, V = c.vocab;
    int src[4 * 9], tgt[4 * 9], cmd[4 * 100];
    for (int b = 0; b < B; b++) {
        int len = T - 2 * b;
        for (int t = 0; t < T; t++) {
            src[b * T + t] = t == 0 ? c.eos_idx : t < len ? 4 + (7 * b + 13 * t) % (V - 4) : c.pad_idx;
            tgt[b * T + t] = t + 1 < len ? 4 + (7 * b + 13 * (t + 1)) % (V - 4) : t + 1 == len ? c.eos_idx : c.pad_idx;
        }
        for (int j = 0; j < A; j++) cmd[b * A + j] = (b + j) % 3 == 0 ? -1 : (b * j) % 2;
    }
    emg_model *whole = emg_model_create(&c), *rank = emg_model_create(&c);
    emg_model_init_params(whole, 3);
    emg_model_init_params(rank, 3);
    emg_model_set_seed(whole, 77);
    emg_model_set_seed(rank, 77);
    /* whole batch: sequences 1000..1003 of update 12 */
    emg_model_set_train(whole, 1, 12, 1000);
    emg_model_zero_grad(whole);
    emg_model_forward(whole, src, tgt, cmd, B, T);
    const long global_ntok = whole->n_tokens;
    emg_model_backward(whole, 0.0);
    /* two ranks with two sequences each; gradients summed as MPI_Allreduce would */
    float *sum = calloc(rank->n_params, sizeof *sum);
    double logit_err = 0.0, loss_sum = 0.0;
    /* the whole batch's logits were overwritten by backward: recompute them without backward */
    float *ref_logits = malloc((size_t)B * T * V * sizeof *ref_logits);
    emg_model *probe = emg_model_create(&c);
    emg_model_init_params(probe, 3);
    emg_model_set_seed(probe, 77);
    emg_model_set_train(probe, 1, 12, 1000);
    emg_model_forward(probe, src, tgt, cmd, B, T);
    memcpy(ref_logits, probe->a.logits, (size_t)B * T * V * sizeof *ref_logits);
    emg_model_free(probe);
    for (int r = 0; r < 2; r++) {
        emg_model_set_train(rank, 1, 12, 1000 + 2 * (uint64_t)r);
        emg_model_zero_grad(rank);
        emg_model_forward(rank, src + 2 * r * T, tgt + 2 * r * T, cmd + 2 * r * A, 2, T);
        loss_sum += rank->loss_sum;
        for (size_t i = 0; i < (size_t)2 * T * V; i++)
            logit_err = fmax(logit_err, fabs((double)rank->a.logits[i] - ref_logits[(size_t)2 * r * T * V + i]));
        emg_model_backward(rank, (double)global_ntok);
        for (size_t i = 0; i < rank->n_params; i++) sum[i] += rank->grads[i];
    }
    double gmax = 0.0, gerr = 0.0;
    for (size_t i = 0; i < whole->n_params; i++) {
        gmax = fmax(gmax, fabs(whole->grads[i]));
        gerr = fmax(gerr, fabs((double)whole->grads[i] - sum[i]));
    }
    fprintf(stderr, "batch split over 2 ranks with dropout: logits max diff %.3e, loss sum diff %.3e, "
            "summed gradient max diff %.3e (max |g| %.3e)\n", logit_err, fabs(loss_sum - whole->loss_sum), gerr, gmax);
    CHECK(logit_err <= 1e-5);
    CHECK(fabs(loss_sum - whole->loss_sum) <= 1e-4);
    CHECK(gerr <= 1e-5 * gmax);
    /* the masks really act: another step gives other logits, and training off differs from on */
    emg_model_set_train(rank, 1, 13, 1000);
    emg_model_forward(rank, src, tgt, cmd, B, T);
    double d_step = 0.0;
    for (size_t i = 0; i < (size_t)B * T * V; i++) d_step = fmax(d_step, fabs((double)rank->a.logits[i] - ref_logits[i]));
    CHECK(d_step > 1e-3);
    emg_model_set_train(rank, 0, 12, 1000);
    emg_model_forward(rank, src, tgt, cmd, B, T);
    int same_embed = !memcmp(rank->a.embed, rank->a.x0, (size_t)B * T * c.d_model * sizeof(float));
    CHECK(same_embed);  /* inference: no dropout */
    emg_model_set_train(rank, 1, 12, 1000);
    emg_model_forward(rank, src, tgt, cmd, B, T);
    CHECK(memcmp(rank->a.embed, rank->a.x0, (size_t)B * T * c.d_model * sizeof(float)) != 0);
    free(sum);
    free(ref_logits);
    emg_model_free(whole);
    emg_model_free(rank);
}

int main(void) {
    rates();
    split_batch();
    return TEST_DONE();
}
