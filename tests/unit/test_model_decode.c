/* test_model_decode.c: the incremental (recurrent-state) decoder and fairseq's sampling rules.
 *  - logits of the decoder = logits of the full forward (<= 1e-5) over 400 tokens, padded batch
 *  - its cost per token does not grow with the prefix (step ~1000 vs step ~10)
 *  - greedy and top-p (supplied uniforms) decoding reproduce the golden decodes of the vendored
 *    debug states (tokens identical, logits within 1e-4, nucleus sizes identical)
 *  - the sampler on hand-computed distributions: pad/eos/max_len masks, un-renormalised top-p,
 *    ties, inverse CDF */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "model.h"
#include "model_decode.h"
#include "model_io.h"
#include "rng.h"
#include "test_util.h"

#include <hdf5.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void incremental_vs_full_cfg(emg_model_config c, int T, int time_it);

static void incremental_vs_full(void) {
    incremental_vs_full_cfg(emg_model_config_small(), 400, 1);
    /* odd sizes (d 24, F 20, Dh 12, E 5: no dimension a multiple of 16), 1 and 3 rows per step */
    emg_model_config c = emg_model_config_tiny();
    c.vocab = 37, c.d_model = 24, c.n_layers = 2, c.n_heads = 2, c.d_ffn = 20, c.attr_num = 7, c.attr_embed = 5;
    incremental_vs_full_cfg(c, 60, 0);
}

static void incremental_vs_full_cfg(emg_model_config c, int T, int time_it) {
    c.dropout = 0.0f;
    emg_model *m = emg_model_create(&c);
    emg_model_init_params(m, 5);
    const int B = 2, A = c.attr_num;
    int *src = malloc((size_t)B * T * sizeof *src), *cmd = malloc((size_t)B * A * sizeof *cmd);
    for (int b = 0; b < B; b++) {
        int len = b == 0 ? T : T * 5 / 8;  /* row 1 is padded */
        for (int t = 0; t < T; t++)
            src[b * T + t] = t == 0 ? c.eos_idx : t < len ? 4 + (int)emg_rng_below(3, (uint64_t)b, (uint64_t)t, (uint64_t)c.vocab - 4) : c.pad_idx;
        for (int j = 0; j < A; j++) cmd[b * A + j] = (int)emg_rng_below(4, (uint64_t)b, (uint64_t)j, 2) - (b == 1);
    }
    emg_model_forward(m, src, NULL, cmd, B, T);
    emg_decoder *dec = emg_decoder_create(m, B, cmd);
    double err = 0.0;
    int col[2];
    for (int t = 0; t < T; t++) {
        for (int b = 0; b < B; b++) col[b] = src[b * T + t];
        const float *lg = emg_decoder_step(dec, col);
        for (int b = 0; b < B; b++) {
            if (col[b] == c.pad_idx) continue;
            const float *ref = m->a.logits + ((size_t)b * T + t) * c.vocab;
            for (int v = 0; v < c.vocab; v++) err = fmax(err, fabs((double)lg[(size_t)b * c.vocab + v] - ref[v]));
        }
    }
    fprintf(stderr, "incremental vs full forward, d %d, T %d: max |logit diff| %.3e\n", c.d_model, T, err);
    CHECK(err <= 1e-5);
    CHECK_EQ_INT(dec->t, T);
    emg_decoder_free(dec);
    if (!time_it) {
        /* one row at a time gives the same logits as the batch of rows (row-independent products) */
        emg_decoder *d1 = emg_decoder_create(m, 1, cmd + A);
        emg_decoder *d2 = emg_decoder_create(m, B, cmd);
        int same = 1;
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) col[b] = src[b * T + t];
            const float *l2 = emg_decoder_step(d2, col);
            const float *l1 = emg_decoder_step(d1, &col[1]);
            same &= !memcmp(l1, l2 + c.vocab, (size_t)c.vocab * sizeof *l1);
        }
        CHECK(same);
        emg_decoder_free(d1);
        emg_decoder_free(d2);
        free(src);
        free(cmd);
        emg_model_free(m);
        return;
    }

    /* constant cost per token: fastest step near t = 10 vs near t = 1000 (one row) */
    dec = emg_decoder_create(m, 1, cmd);
    int tok = c.eos_idx;
    double early = 1e30, late = 1e30;
    for (int t = 0; t < 1050; t++) {
        double t0 = now();
        const float *lg = emg_decoder_step(dec, &tok);
        double dt = now() - t0;
        if (t >= 5 && t < 45) early = fmin(early, dt);
        if (t >= 1000) late = fmin(late, dt);
        tok = 4 + (int)((lg[7] > 0) + 3 * (t % 50));
    }
    fprintf(stderr, "decoder step: %.1f us at t ~ 10, %.1f us at t ~ 1000\n", early * 1e6, late * 1e6);
    CHECK(late < 3.0 * early);
    emg_decoder_free(dec);
    free(src);
    free(cmd);
    emg_model_free(m);
}

static void golden(const char *path) {
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f < 0) return;
    emg_model_config c;
    CHECK_EQ_INT(emg_model_config_read_h5(f, &c).code, 0);
    emg_model *m = emg_model_create(&c);
    CHECK_EQ_INT(emg_model_params_read_h5(m, f, "params", m->params).code, 0);
    const int V = c.vocab, n = 30;
    int cmd[100], tokens[31], kept[30];
    float *logits = malloc((size_t)n * V * sizeof *logits);
    double uni[30];
    for (int mode = 0; mode < 2; mode++) {
        const char *g = mode == 0 ? "gen_greedy" : "gen_topp";
        char p[64];
        snprintf(p, sizeof p, "%s/cmd", g);
        CHECK_EQ_INT(emg_h5_read_i32(f, p, cmd, (size_t)c.attr_num).code, 0);
        snprintf(p, sizeof p, "%s/tokens", g);
        CHECK_EQ_INT(emg_h5_read_i32(f, p, tokens, 31).code, 0);
        snprintf(p, sizeof p, "%s/logits", g);
        CHECK_EQ_INT(emg_h5_read_f32(f, p, logits, (size_t)n * V).code, 0);
        if (mode == 1) {
            CHECK_EQ_INT(emg_h5_read_f64(f, "gen_topp/uniforms", uni, 30).code, 0);
            CHECK_EQ_INT(emg_h5_read_i32(f, "gen_topp/n_kept", kept, 30).code, 0);
        }
        emg_sample_opts o = emg_sample_opts_emogen();  /* top-p 0.9, min 512, max 1280 as the golden */
        o.greedy = mode == 0;
        emg_decoder *dec = emg_decoder_create(m, 1, cmd);
        int tok = tokens[0], same = 1, kept_same = 1;
        double err = 0.0;
        CHECK_EQ_INT(tok, c.eos_idx);
        for (int s = 0; s < n; s++) {
            const float *lg = emg_decoder_step(dec, &tok);
            for (int v = 0; v < V; v++) err = fmax(err, fabs((double)lg[v] - logits[(size_t)s * V + v]));
            int nk = 0;
            tok = emg_decoder_sample(dec, 0, s, &o, mode ? uni[s] : 0.0, &nk);
            same &= tok == tokens[s + 1];
            if (mode) kept_same &= nk == kept[s];
        }
        fprintf(stderr, "%s %s: tokens %s, logits max err %.3e\n", path, g, same ? "identical" : "DIFFER", err);
        CHECK(same);
        CHECK(kept_same);
        CHECK(err <= 1e-4);
        emg_decoder_free(dec);
    }
    free(logits);
    emg_model_free(m);
    H5Fclose(f);
}

static int pick(const double *p, int V, long step, emg_sample_opts o, double u, int *nk) {
    float lg[16];
    double work[32];
    for (int v = 0; v < V; v++) lg[v] = p[v] > 0 ? (float)log(p[v]) : -1e30f;
    return emg_sample_token(lg, V, 1, 2, step, &o, u, nk, work, NULL);
}

static void sampler(void) {
    emg_sample_opts o = {0, 0.9, 1.0, 5, 100};
    int nk = 0;
    /* A: pad (id 1) is the most likely and eos (2) is masked before min_len; the rest sums to
     * 0.6 < p, so nothing is cut (no renormalisation) and all V sorted entries are "kept" */
    const double pa[8] = {0.05, 0.30, 0.10, 0.20, 0.20, 0.10, 0.04, 0.01};
    CHECK_EQ_INT(pick(pa, 8, 0, o, 0.0, &nk), 3);    /* sorted: 3 4 (tie: lower id first) 5 0 6 7 */
    CHECK_EQ_INT(nk, 8);
    CHECK_EQ_INT(pick(pa, 8, 0, o, 0.5, &nk), 4);    /* r = 0.30: cumsum .2 <= r, .4 > r */
    CHECK_EQ_INT(pick(pa, 8, 0, o, 0.85, &nk), 0);   /* r = .51: .2 .4 .5 <= r */
    CHECK_EQ_INT(pick(pa, 8, 0, o, 0.95, &nk), 6);   /* r = .57: .2 .4 .5 .55 <= r */
    CHECK_EQ_INT(pick(pa, 8, 0, o, 0.999, &nk), 7);  /* r = .5994: up to .59 */
    o.greedy = 1;
    CHECK_EQ_INT(pick(pa, 8, 0, o, 0.0, &nk), 3);    /* argmax without pad/eos, lowest id on ties */
    CHECK_EQ_INT(pick(pa, 8, 7, o, 0.0, &nk), 3);    /* eos allowed but smaller */
    o.greedy = 0;
    /* B: eos allowed (step >= min_len); cumsum .5 .7 .85 .91: the nucleus is {0, 3, 2, 4} */
    const double pb[6] = {0.50, 0.05, 0.15, 0.20, 0.06, 0.04};
    CHECK_EQ_INT(pick(pb, 6, 5, o, 0.0, &nk), 0);
    CHECK_EQ_INT(nk, 4);
    CHECK_EQ_INT(pick(pb, 6, 5, o, 0.9, &nk), 2);    /* r = .819: .5 .7 <= r */
    CHECK_EQ_INT(pick(pb, 6, 5, o, 0.95, &nk), 4);   /* r = .8645: .5 .7 .85 <= r */
    CHECK_EQ_INT(pick(pb, 6, 4, o, 0.9, &nk), 4);    /* step 4 < min_len: eos (2) masked -> 0 3 4 5 */
    CHECK_EQ_INT(nk, 6);                             /* .5 .7 .76 .8 < .9: all 6 kept */
    /* C: at max_len only eos remains */
    CHECK_EQ_INT(pick(pb, 6, 100, o, 0.7, &nk), 2);
    o.greedy = 1;
    CHECK_EQ_INT(pick(pb, 6, 100, o, 0.0, &nk), 2);
    /* D: top_p small: only the first entry is kept */
    o.greedy = 0;
    o.top_p = 0.3;
    CHECK_EQ_INT(pick(pb, 6, 5, o, 0.99, &nk), 0);
    CHECK_EQ_INT(nk, 1);
    /* E: as torch, a NaN logit makes the whole log_softmax row NaN -> -inf: argmax is then id 0 */
    float lg[4] = {NAN, 0.0f, 1.0f, 2.0f};
    double work[8];
    emg_sample_opts g = {1, 0.9, 1.0, 0, 10};
    CHECK_EQ_INT(emg_sample_token(lg, 4, 1, 2, 0, &g, 0.0, &nk, work, NULL), 0);
    lg[0] = -INFINITY;  /* a -inf logit is simply never chosen */
    CHECK_EQ_INT(emg_sample_token(lg, 4, 1, 2, 0, &g, 0.0, &nk, work, NULL), 3);
}

int main(void) {
    emg_h5_quiet_errors();
    sampler();
    golden(TEST_DATA_DIR "/model/debug_state_tiny.h5");
    golden(TEST_DATA_DIR "/model/debug_state_small.h5");
    incremental_vs_full();
    return TEST_DONE();
}
