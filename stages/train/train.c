/* train.c: `emogen train`: EmoGen's attribute-to-music model, data-parallel over MPI.
 *
 * Every rank holds the whole model and all training data. An update takes the next global batch
 * (batch_size sequences of similar length, the epoch's batch order a Philox permutation of the
 * seed); rank r computes the gradient of its share of those sequences, normalised by the GLOBAL
 * number of target tokens, and one in-place MPI_Allreduce sums the gradient buffer. Every rank then
 * makes the same Adam update, so the parameters stay identical and the loss curve does not depend
 * on the rank count (up to float summation order). Dropout masks are keyed by (seed, update, site,
 * position in the global batch), never by rank.
 * Checkpoints (HDF5, atomic, MD5) hold parameters, Adam moments, the update count and the data
 * loader's position: --resume continues exactly. SIGTERM/SIGUSR1 (Slurm's --signal) and
 * --time-limit make every rank finish the update, write a checkpoint and exit 0 marked preempted.
 */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "attributes.h"
#include "check.h"
#include "checkpoint.h"
#include "cli.h"
#include "corpus_read.h"
#include "jsonconfig.h"
#include "model.h"
#include "model_adam.h"
#include "progress.h"
#include "split.h"
#include "train_data.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The one piece of global state: set from a signal handler, read once per update (and then agreed
 * on by all ranks with an MPI reduction). A signal handler can touch nothing else. */
static volatile sig_atomic_t stop_signal;
static void on_signal(int sig) { stop_signal = sig; }

static void usage(FILE *out) {
    fprintf(out,
        "usage: [mpirun -np N] emogen train --config TRAIN.json [--resume] [--time-limit SECONDS] [--set KEY=VALUE]...\n"
        "       [mpirun -np N] emogen train --corpus CORPUS.h5 --attributes ATTRIBUTES.json --out DIR [options]\n\n"
        "Train EmoGen's linear-attention transformer LM on the corpus's segments, conditioned on each\n"
        "segment's own attribute vector (no emotion labels). Data-parallel: every rank computes a share of\n"
        "each global batch; one gradient all-reduce per update; the result does not depend on the rank count.\n"
        "Writes DIR/metrics.jsonl (step, loss, valid loss, lr, tokens/s, ms/step, GFLOP/s), checkpoints\n"
        "DIR/step-NNNNNNNN.h5 (the last keep_last) and DIR/best.h5 (lowest validation loss).\n\n"
        "options:\n"
        "  -c, --config FILE      JSON config (schema: train.schema.json; `emogen config schema train`)\n"
        "      --corpus, --attributes, --out   the three required config keys, as flags\n"
        "  -s, --set KEY=VALUE    override a config key (dotted: model.d_model=128)\n"
        "  -r, --resume           continue from the newest readable checkpoint in DIR (damaged ones are skipped)\n"
        "  -t, --time-limit SEC   stop cleanly (checkpoint, exit 0) before SEC seconds of wall time\n"
        "  -q, --quiet            no progress lines on stderr\n"
        "  -h, --help             this help\n"
        "SIGTERM or SIGUSR1 (e.g. sbatch --signal=USR1@120): finish the update, checkpoint, exit 0 (preempted).\n");
}

typedef struct train_cfg {
    int64_t batch, max_len, warmup, max_steps, valid_every, patience, keep_last, log_every;
    double lr;
    uint64_t seed;
} train_cfg;

static double now(void) { return MPI_Wtime(); }

/* the loss of the validation set (forward only, no dropout), over all ranks */
static double validate(emg_model *m, const emg_train_data *d, const train_cfg *tc, MPI_Comm comm, int rank, int size,
                       int *src, int *tgt, int *bits) {
    double loss_sum = 0;
    int64_t ntok = 0;
    emg_model_set_train(m, 0, 0, 0);
    for (int64_t s0 = 0; s0 < d->n_valid; s0 += tc->batch) {
        int64_t count = d->n_valid - s0 < tc->batch ? d->n_valid - s0 : tc->batch, b, e;
        emg_split_block(count, size, rank, &b, &e);
        if (e <= b) continue;
        int64_t nt = 0;
        int T = emg_train_fill_batch(d, d->valid, s0 + b, e - b, (int)tc->max_len, src, tgt, bits, &nt);
        emg_model_forward(m, src, tgt, bits, (int)(e - b), T);
        loss_sum += m->loss_sum;
        ntok += m->n_tokens;
    }
    double tot[2] = {loss_sum, (double)ntok}, all[2];
    CHECK_MPI(MPI_Allreduce(tot, all, 2, MPI_DOUBLE, MPI_SUM, comm));
    return all[1] > 0 ? all[0] / all[1] : NAN;
}

static void save(const char *dir, const char *name, const char *cfg_text, const char *vocab, const emg_ckpt_dims *dims,
                 emg_model *m, const emg_ckpt_state *st, int keep_last) {
    char path[4200];
    if (name) snprintf(path, sizeof path, "%s/%s", dir, name);
    else snprintf(path, sizeof path, "%s/step-%08lld.h5", dir, (long long)st->step);
    emg_ckpt_write(path, cfg_text, vocab, dims, emg_model_params(m), emg_adam_m(m), emg_adam_v(m),
                   emg_model_num_params(m), st);
    if (!name) emg_ckpt_prune(dir, keep_last);
}

int cmd_train(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'}, {"set", required_argument, 0, 's'}, {"resume", no_argument, 0, 'r'},
        {"time-limit", required_argument, 0, 't'}, {"corpus", required_argument, 0, 'C'},
        {"attributes", required_argument, 0, 'a'}, {"out", required_argument, 0, 'o'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *config = NULL;
    char *sets[70], sbuf[3][4200];
    int nsets = 0, resume = 0, c;
    double time_limit = 0;
    while ((c = getopt_long(argc, argv, "c:s:rt:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 's': if (nsets < 64) sets[nsets++] = optarg; break;
        case 'r': resume = 1; break;
        case 't': time_limit = atof(optarg); if (time_limit <= 0) return emg_usage_error("train", "--time-limit must be > 0 seconds"); break;
        case 'C': snprintf(sbuf[0], sizeof sbuf[0], "corpus=%s", optarg); sets[nsets++] = sbuf[0]; break;
        case 'a': snprintf(sbuf[1], sizeof sbuf[1], "attributes=%s", optarg); sets[nsets++] = sbuf[1]; break;
        case 'o': snprintf(sbuf[2], sizeof sbuf[2], "out_dir=%s", optarg); sets[nsets++] = sbuf[2]; break;
        case 'q': ctx->quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("train", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return emg_usage_error("train", "unexpected argument '%s'", argv[optind]);
    char err[1024];
    cJSON *cfg = emg_config_load("train.schema.json", config, sets, nsets, err, sizeof err);
    if (!cfg) { if (ctx->rank == 0) fprintf(stderr, "emogen train: %s\n", err); return 2; }
    double t_start = now();
    const char *dir = emg_cfg_str(cfg, "out_dir");
    train_cfg tc = {emg_cfg_int(cfg, "batch_size"), emg_cfg_int(cfg, "max_len"), emg_cfg_int(cfg, "warmup"),
                    emg_cfg_int(cfg, "max_steps"), emg_cfg_int(cfg, "valid_every"), emg_cfg_int(cfg, "patience"),
                    emg_cfg_int(cfg, "keep_last"), emg_cfg_int(cfg, "log_every"), emg_cfg_num(cfg, "lr"),
                    (uint64_t)emg_cfg_int(cfg, "seed")};
    int rc = 0;

    /* data */
    emg_corpus corpus;
    emg_attributes at;
    emg_vocab_map vm;
    emg_train_data data;
    if (emg_corpus_open(&corpus, emg_cfg_str(cfg, "corpus"), err, sizeof err) ||
        emg_attributes_load(&at, emg_cfg_str(cfg, "attributes"), err, sizeof err) ||
        emg_vocab_map_init(&vm, emg_cfg_str(cfg, "vocab"), err, sizeof err) ||
        emg_train_data_load(&data, &corpus, &at, &vm, emg_cfg_num(cfg, "valid_fraction"), err, sizeof err)) {
        if (ctx->rank == 0) fprintf(stderr, "emogen train: %s\n", err);
        cJSON_Delete(cfg);
        return 1;
    }
    if (data.n_train == 0) {
        if (ctx->rank == 0) fprintf(stderr, "emogen train: no training sequences (all %lld went to validation)\n", (long long)data.n);
        cJSON_Delete(cfg);
        return 1;
    }

    /* model */
    emg_model_config mc = emg_model_config_emogen(vm.size);
    mc.d_model = (int)emg_cfg_int(cfg, "model.d_model");
    mc.n_layers = (int)emg_cfg_int(cfg, "model.layers");
    mc.n_heads = (int)emg_cfg_int(cfg, "model.heads");
    mc.d_ffn = (int)emg_cfg_int(cfg, "model.ffn");
    mc.attr_embed = (int)emg_cfg_int(cfg, "model.attr_embed");
    mc.dropout = (float)emg_cfg_num(cfg, "model.dropout");
    mc.attr_num = at.n;
    mc.attr_buckets = at.buckets;
    const char *bad = emg_model_config_invalid(&mc);
    if (bad) { if (ctx->rank == 0) fprintf(stderr, "emogen train: model config: %s\n", bad); cJSON_Delete(cfg); return 2; }
    emg_model *m = emg_model_create(&mc);
    m->adam = (emg_adam_config){emg_cfg_num(cfg, "adam_beta1"), emg_cfg_num(cfg, "adam_beta2"), emg_cfg_num(cfg, "adam_eps"),
                                emg_cfg_num(cfg, "weight_decay")};
    emg_model_init_params(m, tc.seed);  /* the same on every rank: a function of the seed only */
    emg_model_set_seed(m, tc.seed);
    emg_ckpt_dims dims = {mc.vocab, mc.d_model, mc.n_layers, mc.n_heads, mc.d_ffn, mc.attr_num, mc.attr_buckets, mc.attr_embed};
    emg_ckpt_state st = {0, 0, 0, 0, INFINITY, 0, 0, tc.seed};
    char *cfg_text = cJSON_PrintUnformatted(cfg);
    if (ctx->rank == 0 && mkdir(dir, 0755) != 0 && errno != EEXIST) FAIL("cannot create %s: %s", dir, emg_errno_str());
    CHECK_MPI(MPI_Barrier(ctx->comm));

    /* resume from the newest checkpoint that reads back whole */
    if (resume) {
        char *paths[64];
        int np = emg_ckpt_list(dir, paths, 64), found = 0;
        for (int i = 0; i < np; i++) {
            if (!found) {
                if (emg_ckpt_read(paths[i], &dims, emg_model_params(m), emg_adam_m(m), emg_adam_v(m), emg_model_num_params(m),
                                  &st, err, sizeof err) == 0) {
                    found = 1;
                    if (ctx->rank == 0) fprintf(stderr, "train: resuming from %s (update %lld)\n", paths[i], (long long)st.step);
                } else if (ctx->rank == 0) {
                    emg_warn(ctx, "%s; trying the previous checkpoint", err);
                }
            }
            free(paths[i]);
        }
        if (!found && ctx->rank == 0) fprintf(stderr, "train: --resume: no readable checkpoint in %s, starting afresh\n", dir);
    }
    if (ctx->rank == 0 && !ctx->quiet)
        fprintf(stderr, "train: %lld train / %lld valid sequences, vocab %d (%s, %lld tokens -> <unk>), %d attributes x %d buckets, "
                "%zu parameters, global batch %lld on %d ranks\n", (long long)data.n_train, (long long)data.n_valid,
                vm.size, vm.source, (long long)data.unk_tokens, at.n, at.buckets, emg_model_num_params(m), (long long)tc.batch,
                ctx->size);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);

    FILE *metrics = NULL;
    if (ctx->rank == 0) {
        char mp[4200];
        snprintf(mp, sizeof mp, "%s/metrics.jsonl", dir);
        metrics = fopen(mp, st.step > 0 ? "a" : "w");
        if (!metrics) FAIL("cannot write %s: %s", mp, emg_errno_str());
    }
    int64_t *starts = xmalloc((size_t)(data.n_train / tc.batch + 2) * sizeof *starts);
    int64_t nb = emg_train_epoch_batches(data.n_train, tc.batch, tc.seed, (uint64_t)st.epoch, starts);
    if (st.batch >= nb) {  /* resumed on a corpus with fewer batches per epoch (e.g. a new corpus version) */
        if (ctx->rank == 0) emg_warn(ctx, "the checkpoint's batch %lld is past this corpus's %lld batches per epoch: starting the next epoch",
                                     (long long)st.batch, (long long)nb);
        st.epoch++;
        st.batch = 0;
        nb = emg_train_epoch_batches(data.n_train, tc.batch, tc.seed, (uint64_t)st.epoch, starts);
    }
    int *src = xmalloc((size_t)tc.batch * (size_t)tc.max_len * sizeof *src);
    int *tgt = xmalloc((size_t)tc.batch * (size_t)tc.max_len * sizeof *tgt);
    int *bits = xmalloc((size_t)tc.batch * (size_t)at.n * sizeof *bits);
    const char *why = "max_steps";
    double t_log = now(), tok_log = 0, loss_log = 0;
    int64_t steps_log = 0;
    while (st.step < tc.max_steps) {
        int64_t k = st.step + 1;
        int64_t s0 = starts[st.batch], count = data.n_train - s0 < tc.batch ? data.n_train - s0 : tc.batch;
        int64_t global_ntok = 0, b, e;
        for (int64_t i = 0; i < count; i++) {  /* every rank knows the whole batch: the global token count */
            int64_t q = data.train[s0 + i], len = data.off[q + 1] - data.off[q];
            global_ntok += (len + 1 < tc.max_len ? len + 1 : tc.max_len);
        }
        emg_split_block(count, ctx->size, ctx->rank, &b, &e);
        emg_model_zero_grad(m);
        double local_loss = 0;
        if (e > b) {
            int64_t nt = 0;
            int T = emg_train_fill_batch(&data, data.train, s0 + b, e - b, (int)tc.max_len, src, tgt, bits, &nt);
            emg_model_set_train(m, 1, (uint64_t)k, (uint64_t)b);  /* masks keyed by position in the global batch */
            emg_model_forward(m, src, tgt, bits, (int)(e - b), T);
            emg_model_backward(m, (double)global_ntok);
            local_loss = m->loss_sum;
        }
        CHECK_MPI(MPI_Allreduce(MPI_IN_PLACE, emg_model_grads(m), (int)emg_model_num_params(m), MPI_FLOAT, MPI_SUM, ctx->comm));
        double loss = 0;
        CHECK_MPI(MPI_Allreduce(&local_loss, &loss, 1, MPI_DOUBLE, MPI_SUM, ctx->comm));
        loss /= (double)global_ntok;
        double lr = emg_lr_inverse_sqrt(k - 1, tc.lr, tc.warmup);
        emg_adam_step(m, lr, k);
        st.step = k;
        st.tokens_seen += global_ntok;
        if (++st.batch == nb) {  /* next epoch, next permutation */
            st.epoch++;
            st.batch = 0;
            nb = emg_train_epoch_batches(data.n_train, tc.batch, tc.seed, (uint64_t)st.epoch, starts);
        }
        tok_log += (double)global_ntok;
        loss_log += loss;
        steps_log++;
        double valid = NAN;
        int validated = 0;
        if (k % tc.valid_every == 0 || k == tc.max_steps) {
            if (data.n_valid > 0) {
                valid = validate(m, &data, &tc, ctx->comm, ctx->rank, ctx->size, src, tgt, bits);
                validated = 1;
                if (valid < st.best_valid) { st.best_valid = valid; st.best_step = k; st.bad_validations = 0; }
                else st.bad_validations++;
                if (ctx->rank == 0 && st.best_step == k) save(dir, "best.h5", cfg_text, vm.source, &dims, m, &st, 0);
            }
            if (ctx->rank == 0) save(dir, NULL, cfg_text, vm.source, &dims, m, &st, (int)tc.keep_last);
        }
        if (k % tc.log_every == 0 || validated || k == 1) {
            double t = now(), dt = t - t_log;
            double tps = dt > 0 ? tok_log / dt : 0;
            double gflops = 6.0 * (double)emg_model_num_params(m) * tps / 1e9;  /* forward + backward, dense part */
            if (ctx->rank == 0) {
                fprintf(metrics, "{\"step\":%lld,\"epoch\":%lld,\"loss\":%.6f,\"lr\":%.6g,\"tokens_per_s\":%.1f,"
                        "\"ms_per_step\":%.2f,\"gflops\":%.2f", (long long)k, (long long)st.epoch, loss_log / (double)steps_log,
                        lr, tps, 1000.0 * dt / (double)steps_log, gflops);
                if (validated) fprintf(metrics, ",\"valid_loss\":%.6f,\"best_valid\":%.6f", valid, st.best_valid);
                fprintf(metrics, ",\"ranks\":%d}\n", ctx->size);
                fflush(metrics);
                if (!ctx->quiet) {
                    fprintf(stderr, "[train] update %lld/%lld loss %.4f%s lr %.3g %.0f tok/s %.1f ms/update",
                            (long long)k, (long long)tc.max_steps, loss_log / (double)steps_log, "", lr, tps,
                            1000.0 * dt / (double)steps_log);
                    if (validated) fprintf(stderr, " valid %.4f (best %.4f @%lld)", valid, st.best_valid, (long long)st.best_step);
                    fprintf(stderr, "\n");
                }
            }
            t_log = t;
            tok_log = loss_log = 0;
            steps_log = 0;
        }
        /* stop? every rank must agree, so the decision is reduced */
        int want = stop_signal ? 1 : 0;
        if (time_limit > 0 && now() - t_start > time_limit) want = 2;
        if (validated && st.bad_validations >= tc.patience) want = 3;
        int any = 0;
        CHECK_MPI(MPI_Allreduce(&want, &any, 1, MPI_INT, MPI_MAX, ctx->comm));
        if (any) {
            why = any == 1 ? "preempted (signal)" : any == 2 ? "preempted (time limit)" : "early stop (no improvement)";
            if (ctx->rank == 0 && !validated) save(dir, NULL, cfg_text, vm.source, &dims, m, &st, (int)tc.keep_last);
            break;
        }
    }
    if (st.step >= tc.max_steps && ctx->rank == 0) {
        char last[4200];
        snprintf(last, sizeof last, "%s/step-%08lld.h5", dir, (long long)st.step);
        if (access(last, F_OK) != 0) save(dir, NULL, cfg_text, vm.source, &dims, m, &st, (int)tc.keep_last);
    }
    if (ctx->rank == 0) {
        fprintf(metrics, "{\"event\":\"%s\",\"step\":%lld,\"best_valid\":%.6f,\"best_step\":%lld,\"seconds\":%.2f}\n", why,
                (long long)st.step, st.best_valid, (long long)st.best_step, now() - t_start);
        fclose(metrics);
        if (!ctx->quiet)
            fprintf(stderr, "train: stopped after update %lld: %s; best validation loss %.4f at update %lld; checkpoints in %s\n",
                    (long long)st.step, why, st.best_valid, (long long)st.best_step, dir);
    }
    free(starts); free(src); free(tgt); free(bits); free(cfg_text);
    emg_model_free(m);
    emg_train_data_free(&data);
    emg_vocab_map_free(&vm);
    emg_attributes_free(&at);
    emg_corpus_close(&corpus);
    cJSON_Delete(cfg);
    return rc;
}
