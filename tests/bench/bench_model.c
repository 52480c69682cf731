/* bench_model.c: EmoGen model throughput on the CPU.
 *
 *   bench_model peak                       cblas_sgemm GFLOP/s on the model's shapes (the peak)
 *   bench_model train CONFIG B T [STEPS]   training tokens/s: forward + backward + Adam update,
 *                                          dropout 0.1 (as the reference's bench_torch.py)
 *   bench_model gen CONFIG B [STEPS]       incremental decoding tokens/s (top-p sampling
 *                                          included) at the start and after 1000 tokens, and the
 *                                          full recomputation of a 1280-token prefix
 * CONFIG: full (EmoGen, d 512, 6 layers, V 462) or small (d 128, 4 layers). Threads come from
 * OPENBLAS_NUM_THREADS; the OpenBLAS kernel in use is printed (OPENBLAS_CORETYPE selects it).
 * Each result is one line "key value ..." on stdout, for tests/bench/bench_model.sh. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"
#include "model_adam.h"
#include "model_decode.h"
#include "rng.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *openblas_get_corename(void);
int openblas_get_num_threads(void);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static emg_model_config config_of(const char *name) {
    if (!strcmp(name, "full")) return emg_model_config_emogen(462);
    if (!strcmp(name, "small")) return emg_model_config_small();
    if (!strcmp(name, "tiny")) return emg_model_config_tiny();
    fprintf(stderr, "unknown config %s (full, small, tiny)\n", name);
    exit(2);
}

/* matmul FLOPs of one token's forward (2 per multiply-add); backward does twice as many */
static double fwd_matmul_flops_per_token(const emg_model_config *c) {
    const double d = c->d_model, F = c->d_ffn, V = c->vocab;
    return 2.0 * (c->n_layers * (4 * d * d + 2 * d * F) + V * d);
}

/* attention scan FLOPs per token: forward 4 d Dh per layer, backward 10 d Dh */
static double attn_flops_per_token(const emg_model_config *c, int backward) {
    const double d = c->d_model, Dh = (double)c->d_model / c->n_heads;
    return c->n_layers * (backward ? 10.0 : 4.0) * d * Dh;
}

static double sgemm_gflops(int M, int N, int K, int transb, double min_seconds) {
    float *A = malloc((size_t)M * K * sizeof *A), *B = malloc((size_t)K * N * sizeof *B);
    float *C = calloc((size_t)M * N, sizeof *C);
    for (size_t i = 0; i < (size_t)M * K; i++) A[i] = (float)((i * 37 % 101) - 50) * 0.01f;
    for (size_t i = 0; i < (size_t)K * N; i++) B[i] = (float)((i * 53 % 97) - 48) * 0.01f;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, transb ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, A, K, B,
                transb ? K : N, 0.0f, C, N);
    double best = 0.0, t_total = 0.0;
    int reps = 0;
    while (t_total < min_seconds || reps < 3) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transb ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, A, K, B,
                    transb ? K : N, 0.0f, C, N);
        double dt = now() - t0;
        t_total += dt;
        reps++;
        double g = 2.0 * M * N * K / dt * 1e-9;
        if (g > best) best = g;
    }
    free(A), free(B), free(C);
    return best;
}

static void bench_peak(void) {
    /* the model's largest products: fc1 forward (M=B*T, N=F, K=d), fc2 (N=d, K=F), and a square one */
    const int shapes[][4] = {{2048, 2048, 512, 1}, {2048, 512, 2048, 1}, {2048, 2048, 512, 0}, {1536, 1536, 1536, 0}};
    double best = 0.0;
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        double g = sgemm_gflops(shapes[s][0], shapes[s][1], shapes[s][2], shapes[s][3], 0.5);
        printf("sgemm M %d N %d K %d %s: %.1f GFLOP/s\n", shapes[s][0], shapes[s][1], shapes[s][2],
               shapes[s][3] ? "B^T" : "B", g);
        if (g > best) best = g;
    }
    printf("peak_gflops %.1f kernel %s threads %d\n", best, openblas_get_corename(), openblas_get_num_threads());
}

static void fill_batch(const emg_model_config *c, int B, int T, int *src, int *tgt, int *cmd) {
    for (int b = 0; b < B; b++) {
        for (int t = 0; t < T; t++) {
            src[b * T + t] = t == 0 ? c->eos_idx : 4 + (int)emg_rng_below(1, (uint64_t)b, (uint64_t)t, (uint64_t)c->vocab - 4);
            if (t > 0) tgt[b * T + t - 1] = src[b * T + t];
        }
        tgt[b * T + T - 1] = c->eos_idx;
        for (int j = 0; j < c->attr_num; j++) cmd[b * c->attr_num + j] = (int)emg_rng_below(2, (uint64_t)b, (uint64_t)j, 2);
    }
}

static void bench_train(const char *cname, int B, int T, int steps) {
    emg_model_config c = config_of(cname);
    c.dropout = 0.1f;
    emg_model *m = emg_model_create(&c);
    emg_model_init_params(m, 1);
    emg_model_reserve(m, B, T);
    int *src = malloc((size_t)B * T * sizeof *src), *tgt = malloc((size_t)B * T * sizeof *tgt);
    int *cmd = malloc((size_t)B * c.attr_num * sizeof *cmd);
    fill_batch(&c, B, T, src, tgt, cmd);
    double *ts = malloc((size_t)(steps + 1) * sizeof *ts), *tf = malloc((size_t)(steps + 1) * sizeof *tf);
    double *tb = malloc((size_t)(steps + 1) * sizeof *tb), *ta = malloc((size_t)(steps + 1) * sizeof *ta);
    double loss0 = 0, loss = 0;
    for (int k = 0; k <= steps; k++) { /* k = 0: warm-up, not timed */
        emg_model_set_train(m, 1, (uint64_t)k + 1, 0);
        double t0 = now();
        emg_model_zero_grad(m);
        loss = emg_model_forward(m, src, tgt, cmd, B, T);
        double t1 = now();
        emg_model_backward(m, 0.0);
        double t2 = now();
        emg_adam_step(m, emg_lr_inverse_sqrt(k + 1, 1e-4, 16000), k + 1);
        double t3 = now();
        if (k == 0) loss0 = loss;
        ts[k] = t3 - t0, tf[k] = t1 - t0, tb[k] = t2 - t1, ta[k] = t3 - t2;
    }
    double best = ts[1];
    for (int k = 2; k <= steps; k++) best = ts[k] < best ? ts[k] : best;
    const double step = median(ts + 1, steps), f = median(tf + 1, steps), b = median(tb + 1, steps);
    const double a = median(ta + 1, steps);
    const double ntok = (double)B * T;
    const double mm = 3.0 * fwd_matmul_flops_per_token(&c) * ntok;
    const double at = (attn_flops_per_token(&c, 0) + attn_flops_per_token(&c, 1)) * ntok;
    printf("train config %s B %d T %d threads %d kernel %s: step %.3f s (forward %.3f, backward %.3f, adam %.3f), "
           "%.0f tokens/s (best step %.0f), matmul %.1f GFLOP/s (model total %.1f GFLOP/s incl. attention scans), loss %.4f -> %.4f, "
           "activations %.0f MiB\n",
           cname, B, T, openblas_get_num_threads(), openblas_get_corename(), step, f, b, a, ntok / step, ntok / best,
           mm / step * 1e-9, (mm + at) / step * 1e-9, loss0, loss, (double)emg_model_acts_bytes(&c, B, T) / 1048576.0);
    printf("train_tokens_per_s %.1f matmul_gflops %.2f\n", ntok / step, mm / step * 1e-9);
    free(ts), free(tf), free(tb), free(ta), free(src), free(tgt), free(cmd);
    emg_model_free(m);
}

static void bench_gen(const char *cname, int B, int steps) {
    emg_model_config c = config_of(cname);
    c.dropout = 0.0f;
    emg_model *m = emg_model_create(&c);
    emg_model_init_params(m, 1);
    int *cmd = malloc((size_t)B * c.attr_num * sizeof *cmd), *tok = malloc((size_t)B * sizeof *tok);
    for (int i = 0; i < B * c.attr_num; i++) cmd[i] = (int)emg_rng_below(2, 9, (uint64_t)i, 2);
    emg_decoder *dec = emg_decoder_create(m, B, cmd);
    dec->use_sgemm = getenv("BENCH_DECODER_SGEMM") && atoi(getenv("BENCH_DECODER_SGEMM"));
    emg_sample_opts o = emg_sample_opts_emogen();
    for (int b = 0; b < B; b++) tok[b] = c.eos_idx;
    /* run 1000 + steps tokens; time blocks of 8 steps in [16, 16 + steps) and [1000, 1000 + steps):
     * the median block is the figure, the best block shows the machine without interference */
    const int total = 1000 + steps, blk = 8, nblk = steps / blk;
    double *early_r = calloc((size_t)nblk + 1, sizeof *early_r), *late_r = calloc((size_t)nblk + 1, sizeof *late_r);
    double tb = 0;
    for (int s = 0; s < total; s++) {
        if ((s - 16) % blk == 0 || (s - 1000) % blk == 0) tb = now();
        emg_decoder_step(dec, tok);
        for (int b = 0; b < B; b++)
            tok[b] = emg_decoder_sample(dec, b, s, &o, emg_rng_uniform(2023, (uint64_t)b, (uint64_t)s), NULL);
        if (s >= 16 && s < 16 + nblk * blk && (s - 16) % blk == blk - 1) early_r[(s - 16) / blk] = blk * B / (now() - tb);
        if (s >= 1000 && s < 1000 + nblk * blk && (s - 1000) % blk == blk - 1) late_r[(s - 1000) / blk] = blk * B / (now() - tb);
    }
    double best_e = 0, best_l = 0;
    for (int i = 0; i < nblk; i++) best_e = early_r[i] > best_e ? early_r[i] : best_e, best_l = late_r[i] > best_l ? late_r[i] : best_l;
    const double early = median(early_r, nblk), late = median(late_r, nblk);
    /* the original: recompute the whole 1280-token prefix for each new token (one forward) */
    const int TF = 1280;
    int *src = malloc((size_t)TF * sizeof *src);
    for (int t = 0; t < TF; t++) src[t] = t == 0 ? c.eos_idx : 4 + t % (c.vocab - 4);
    emg_model_forward(m, src, NULL, cmd, 1, TF);
    double t0 = now();
    emg_model_forward(m, src, NULL, cmd, 1, TF);
    const double t_full = now() - t0;
    printf("gen config %s B %d threads %d kernel %s products %s: incremental %.1f tokens/s (best %.1f) at steps 16..%d, "
           "%.1f tokens/s (best %.1f) at steps 1000..%d; full recomputation of a %d-token prefix: %.3f s per token "
           "(%.2f tokens/s): incremental / full = %.0fx\n",
           cname, B, openblas_get_num_threads(), openblas_get_corename(), dec->use_sgemm ? "sgemm" : "rows-kernel",
           early, best_e, 16 + steps, late, best_l, total, TF, t_full, 1.0 / t_full, (late / B) * t_full);
    printf("gen_tokens_per_s %.1f %.1f full_recompute_tokens_per_s %.3f\n", early, late, 1.0 / t_full);
    free(early_r), free(late_r);
    free(src), free(cmd), free(tok);
    emg_decoder_free(dec);
    emg_model_free(m);
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "peak")) {
        bench_peak();
        return 0;
    }
    if (argc >= 5 && !strcmp(argv[1], "train")) {
        bench_train(argv[2], atoi(argv[3]), atoi(argv[4]), argc > 5 ? atoi(argv[5]) : 3);
        return 0;
    }
    if (argc >= 4 && !strcmp(argv[1], "gen")) {
        bench_gen(argv[2], atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 64);
        return 0;
    }
    fprintf(stderr, "usage: bench_model peak | train CONFIG B T [STEPS] | gen CONFIG B [STEPS]\n");
    return 2;
}
