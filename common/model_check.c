/* model_check.c: the C model against a PyTorch debug state (model_check.h). */
#include "model_check.h"

#include "check.h"
#include "h5util.h"
#include "model.h"
#include "model_adam.h"
#include "model_decode.h"
#include "model_io.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOL_ABS 1e-4
#define TOL_LOSS 2e-5
#define TOL_GRAD_REL 1e-4
#define TOL_INCR 1e-5
#define TOL_PARAM_BULK 2e-5
#define TOL_PARAM_MAX 5e-3
#define PARAM_BULK_FRACTION 0.9999
/* positional table: our expf is glibc's (correctly rounded); torch's vectorised float exp is
 * within 1 ulp, so w_i may differ by 1 ulp and the angle p*w_i by about p * 2^-24 */
#define TOL_PE_PER_POS 1.2e-7

static void add_line(emg_check_result *r, const char *name, const char *what, double err, double tol, int detail) {
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->lines = xrealloc(r->lines, (size_t)r->cap * sizeof *r->lines);
    }
    emg_check_line *l = &r->lines[r->n++];
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "%s", name);
    snprintf(l->what, sizeof l->what, "%s", what);
    l->err = err;
    l->tol = tol;
    l->pass = err <= tol;  /* NaN fails */
    l->detail = detail;
    if (!l->pass) r->n_fail++;
}

static void note_skip(emg_check_result *r, const char *fmt, ...) {
    size_t len = strlen(r->skipped);
    if (len + 4 >= sizeof r->skipped) return;
    if (len) {
        memcpy(r->skipped + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->skipped + len, sizeof r->skipped - len, fmt, ap);
    va_end(ap);
}

static double max_abs_diff_fd(const float *a, const double *b, size_t n) {
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs((double)a[i] - b[i]);
        if (!(e <= m)) m = e;  /* NaN propagates */
    }
    return m;
}

static double max_abs_diff_ff(const float *a, const float *b, size_t n) {
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs((double)a[i] - (double)b[i]);
        if (!(e <= m)) m = e;
    }
    return m;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* compare n floats with a float dataset `path` (read as double) by max abs */
static void check_f32_dataset(emg_check_result *r, hid_t f, const char *path, const char *name, const float *ours,
                              size_t n, double tol) {
    double *ref = xmalloc(n * sizeof *ref);
    emg_status st = emg_h5_read_f64(f, path, ref, n);
    if (st.code) note_skip(r, "%s (%s)", name, st.msg);
    else add_line(r, name, "max abs", max_abs_diff_fd(ours, ref, n), tol, 0);
    free(ref);
}

static void dirname_of(const char *path, char *out, size_t len) {
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, len, ".");
    else snprintf(out, len, "%.*s", (int)(slash - path), path);
}

/* golden decode (greedy or top-p) with the incremental decoder */
static void check_generation(emg_check_result *r, hid_t f, const emg_model *m, const char *grp, int greedy) {
    const emg_model_config *c = &m->cfg;
    char path[128];
    snprintf(path, sizeof path, "%s/tokens", grp);
    long nt = emg_h5_numel(f, path);
    if (nt < 2) {
        note_skip(r, "%s (absent)", grp);
        return;
    }
    const int n_steps = (int)nt - 1, V = c->vocab, A = c->attr_num;
    int *ref_tok = xmalloc((size_t)nt * sizeof *ref_tok), *cmd = xcalloc((size_t)(A > 0 ? A : 1), sizeof *cmd);
    float *ref_logits = xmalloc((size_t)n_steps * V * sizeof *ref_logits);
    double *uni = xcalloc((size_t)n_steps, sizeof *uni);
    int *ref_kept = xcalloc((size_t)n_steps, sizeof *ref_kept);
    emg_status st = emg_h5_read_i32(f, path, ref_tok, (size_t)nt);
    if (!st.code) {
        snprintf(path, sizeof path, "%s/cmd", grp);
        st = emg_h5_read_i32(f, path, cmd, (size_t)A);
    }
    if (!st.code) {
        snprintf(path, sizeof path, "%s/logits", grp);
        st = emg_h5_read_f32(f, path, ref_logits, (size_t)n_steps * V);
    }
    if (!st.code && !greedy) {
        snprintf(path, sizeof path, "%s/uniforms", grp);
        st = emg_h5_read_f64(f, path, uni, (size_t)n_steps);
        snprintf(path, sizeof path, "%s/n_kept", grp);
        if (!st.code) st = emg_h5_read_i32(f, path, ref_kept, (size_t)n_steps);
    }
    if (st.code) {
        note_skip(r, "%s (%s)", grp, st.msg);
    } else {
        emg_sample_opts o = emg_sample_opts_emogen();
        int64_t iv;
        double dv;
        if (!emg_h5_get_attr_i64(f, "gen_min_len", &iv)) o.min_len = iv;
        if (!emg_h5_get_attr_i64(f, "gen_max_len", &iv)) o.max_len = iv;
        if (!emg_h5_get_attr_f64(f, "top_p", &dv)) o.top_p = dv;
        o.greedy = greedy;
        emg_decoder *dec = emg_decoder_create(m, 1, cmd);
        int tok = ref_tok[0], tok_mismatch = 0, kept_mismatch = 0;
        double lerr = 0.0;
        for (int s = 0; s < n_steps; s++) {
            const float *lg = emg_decoder_step(dec, &tok);
            double e = max_abs_diff_ff(lg, ref_logits + (size_t)s * V, (size_t)V);
            if (!(e <= lerr)) lerr = e;
            int kept = 0;
            tok = emg_decoder_sample(dec, 0, s, &o, uni[s], &kept);
            tok_mismatch += tok != ref_tok[s + 1];
            if (!greedy) kept_mismatch += kept != ref_kept[s];
        }
        emg_decoder_free(dec);
        char name[64];
        snprintf(name, sizeof name, "%s/tokens", grp);
        add_line(r, name, "mismatches", tok_mismatch, 0, 0);
        if (!greedy) {
            snprintf(name, sizeof name, "%s/n_kept", grp);
            add_line(r, name, "mismatches", kept_mismatch, 0, 0);
        }
        snprintf(name, sizeof name, "%s/logits", grp);
        add_line(r, name, "max abs", lerr, TOL_ABS, 0);
    }
    free(ref_tok);
    free(cmd);
    free(ref_logits);
    free(uni);
    free(ref_kept);
}

emg_status emg_model_check_file(const char *path, const char *train_params_path, emg_check_result *r) {
    memset(r, 0, sizeof *r);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return emg_statusf(1, "%s: cannot open as HDF5", path);
    emg_model_config cfg;
    emg_status st = emg_model_config_read_h5(f, &cfg);
    if (st.code) {
        H5Fclose(f);
        return st;
    }
    cfg.dropout = 0.0f;  /* the golden data has none; we never train with dropout here */
    emg_model *m = emg_model_create(&cfg);
    snprintf(r->config, sizeof r->config, "V %d d %d L %d H %d F %d A %d K %d E %d (%zu parameters)", cfg.vocab,
             cfg.d_model, cfg.n_layers, cfg.n_heads, cfg.d_ffn, cfg.attr_num, cfg.attr_buckets, cfg.attr_embed,
             m->n_params);
    int64_t pc;
    if (!emg_h5_get_attr_i64(f, "param_count", &pc) && (size_t)pc != m->n_params) {
        st = emg_statusf(1, "param_count %lld in the file, %zu from its sizes", (long long)pc, m->n_params);
        goto done;
    }
    if ((st = emg_model_params_read_h5(m, f, "params", m->params)).code) goto done;
    float *init = xmalloc(m->n_params * sizeof *init);
    memcpy(init, m->params, m->n_params * sizeof *init);

    /* ---- batch, forward ---- */
    long dims[8];
    const int d = cfg.d_model, V = cfg.vocab, A = cfg.attr_num;
    if (emg_h5_dims(f, "batch/source", dims) != 2) {
        note_skip(r, "forward/backward/train (no batch/source)");
    } else {
        const int B = (int)dims[0], T = (int)dims[1];
        const size_t N = (size_t)B * T;
        int *src = xmalloc(N * sizeof *src), *tgt = xmalloc(N * sizeof *tgt);
        int *cmd = xcalloc((size_t)B * (A > 0 ? A : 1), sizeof *cmd);
        if ((st = emg_h5_read_i32(f, "batch/source", src, N)).code ||
            (st = emg_h5_read_i32(f, "batch/target", tgt, N)).code ||
            (A > 0 && (st = emg_h5_read_i32(f, "batch/cmd", cmd, (size_t)B * A)).code)) {
            free(src), free(tgt), free(cmd), free(init);
            goto done;
        }
        double loss = emg_model_forward(m, src, tgt, cmd, B, T);
        /* positional table as used */
        if (emg_h5_dims(f, "pos_table", dims) == 2 && dims[1] == d) {
            size_t rows = (size_t)dims[0];
            double *ref = xmalloc(rows * d * sizeof *ref);
            float *ours = xmalloc(rows * d * sizeof *ours);
            if (!emg_h5_read_f64(f, "pos_table", ref, rows * d).code) {
                for (size_t p = 0; p < rows; p++) emg_pe_row(d, cfg.pad_idx, (long)p, ours + p * d);
                add_line(r, "pos_table", "max abs", max_abs_diff_fd(ours, ref, rows * d), TOL_PE_PER_POS * (double)rows, 0);
            }
            free(ref);
            free(ours);
        } else {
            note_skip(r, "pos_table (absent)");
        }
        check_f32_dataset(r, f, "forward/logits", "logits", m->a.logits, N * V, TOL_ABS);
        check_f32_dataset(r, f, "acts/embed", "acts/embed", m->a.embed, N * d, TOL_ABS);
        for (int l = 0; l < cfg.n_layers; l++) {
            char p1[64], p2[64];
            snprintf(p1, sizeof p1, "acts/layer%d.attn", l);
            snprintf(p2, sizeof p2, "acts/layer%d.out", l);
            check_f32_dataset(r, f, p1, p1, m->a.layer[l].att, N * d, TOL_ABS);
            check_f32_dataset(r, f, p2, p2, m->a.layer[l].out, N * d, TOL_ABS);
        }
        check_f32_dataset(r, f, "acts/ln_f", "acts/ln_f", m->a.lnf, N * d, TOL_ABS);
        double ref_loss;
        int ref_ntok;
        if (!emg_h5_read_f64(f, "forward/loss", &ref_loss, 1).code) add_line(r, "loss", "abs", fabs(loss - ref_loss), TOL_LOSS, 0);
        else note_skip(r, "forward/loss (absent)");
        if (!emg_h5_read_i32(f, "forward/ntokens", &ref_ntok, 1).code)
            add_line(r, "ntokens", "difference", labs(m->n_tokens - ref_ntok), 0, 0);

        /* ---- incremental decoder vs this forward (float vs float) ---- */
        float *full = xmalloc(N * V * sizeof *full);
        memcpy(full, m->a.logits, N * V * sizeof *full);
        {
            emg_decoder *dec = emg_decoder_create(m, B, cmd);
            int *col = xmalloc((size_t)B * sizeof *col);
            double e = 0.0;
            for (int t = 0; t < T; t++) {
                for (int b = 0; b < B; b++) col[b] = src[(size_t)b * T + t];
                const float *lg = emg_decoder_step(dec, col);
                for (int b = 0; b < B; b++) {
                    if (col[b] == cfg.pad_idx) continue;
                    double eb = max_abs_diff_ff(lg + (size_t)b * V, full + ((size_t)b * T + t) * V, (size_t)V);
                    if (!(eb <= e)) e = eb;
                }
            }
            add_line(r, "incremental_vs_full", "max abs", e, TOL_INCR, 0);
            free(col);
            emg_decoder_free(dec);
        }
        free(full);

        /* ---- gradients ---- */
        emg_model_zero_grad(m);
        emg_model_backward(m, 0.0);
        int have_grads = 0;
        for (int k = 0; k < m->n_tensors; k++) {
            const emg_tensor_info *t = &m->tensors[k];
            char gp[96];
            snprintf(gp, sizeof gp, "grads/%s", t->name);
            double *ref = xmalloc(t->numel * sizeof *ref);
            if (!emg_h5_read_f64(f, gp, ref, t->numel).code) {
                double mx = 0.0;
                for (size_t i = 0; i < t->numel; i++) mx = fmax(mx, fabs(ref[i]));
                double e = max_abs_diff_fd(m->grads + t->offset, ref, t->numel);
                add_line(r, gp, "max abs / max|ref|", mx > 0.0 ? e / mx : (e == 0.0 ? 0.0 : INFINITY), TOL_GRAD_REL, 1);
                have_grads++;
            }
            free(ref);
        }
        if (!have_grads) note_skip(r, "grads (absent)");

        /* ---- training steps: fairseq Adam + inverse_sqrt ---- */
        long nsteps = emg_h5_numel(f, "train/losses");
        if (nsteps > 0) {
            double *ref_losses = xmalloc((size_t)nsteps * sizeof *ref_losses);
            double *ref_lr = xcalloc((size_t)nsteps, sizeof *ref_lr);
            int have_lr = !emg_h5_read_f64(f, "train/lr", ref_lr, (size_t)nsteps).code;
            emg_h5_read_f64(f, "train/losses", ref_losses, (size_t)nsteps);
            double peak = 1e-3, dv;
            int64_t warm = 4;
            emg_h5_get_attr_f64(f, "peak_lr", &peak);
            emg_h5_get_attr_i64(f, "warmup_updates", &warm);
            if (!emg_h5_get_attr_f64(f, "adam_beta1", &dv)) m->adam.beta1 = dv;
            if (!emg_h5_get_attr_f64(f, "adam_beta2", &dv)) m->adam.beta2 = dv;
            if (!emg_h5_get_attr_f64(f, "adam_eps", &dv)) m->adam.eps = dv;
            if (!emg_h5_get_attr_f64(f, "weight_decay", &dv)) m->adam.weight_decay = dv;
            double lerr = 0.0, lrerr = 0.0;
            for (long k = 1; k <= nsteps; k++) {
                emg_model_zero_grad(m);
                double lk = emg_model_forward(m, src, tgt, cmd, B, T);
                lerr = fmax(lerr, fabs(lk - ref_losses[k - 1]));
                if (isnan(lk)) lerr = NAN;
                emg_model_backward(m, 0.0);
                double lr = emg_lr_inverse_sqrt(k - 1, peak, (long)warm);
                if (have_lr) lrerr = fmax(lrerr, fabs(lr - ref_lr[k - 1]) / fmax(fabs(ref_lr[k - 1]), 1e-30));
                emg_adam_step(m, lr, k);
            }
            if (have_lr) add_line(r, "train/lr", "max rel", lrerr, 1e-12, 0);
            add_line(r, "train/losses", "max abs", lerr, TOL_LOSS, 0);
            double after;
            if (!emg_h5_read_f64(f, "train/loss_after", &after, 1).code) {
                double la = emg_model_forward(m, src, tgt, cmd, B, T);
                add_line(r, "train/loss_after", "abs", fabs(la - after), TOL_LOSS, 0);
            }
            /* parameters after the steps: here, or in the companion file */
            float *ref = xmalloc(m->n_params * sizeof *ref);
            emg_status pst;
            if (emg_h5_path_exists(f, "train/params")) {
                pst = emg_model_params_read_h5(m, f, "train/params", ref);
            } else {
                char other[8192], *name = NULL;
                if (train_params_path) {
                    snprintf(other, sizeof other, "%s", train_params_path);
                } else if ((name = emg_h5_attr_string(f, "train_params_file")) != NULL) {
                    char dir[4096];
                    dirname_of(path, dir, sizeof dir);
                    snprintf(other, sizeof other, "%s/%s", dir, name);
                    free(name);
                } else {
                    other[0] = 0;
                }
                hid_t f2 = other[0] ? H5Fopen(other, H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
                if (f2 < 0) {
                    pst = emg_statusf(1, "not in the file%s%s%s", other[0] ? ", and " : "", other,
                                      other[0] ? " cannot be opened" : "");
                } else {
                    pst = emg_model_params_read_h5(m, f2, "train/params", ref);
                    H5Fclose(f2);
                }
            }
            if (pst.code) {
                note_skip(r, "train/params (%s)", pst.msg);
            } else {
                double *err = xmalloc(m->n_params * sizeof *err);
                size_t over = 0;
                for (size_t i = 0; i < m->n_params; i++) {
                    err[i] = fabs((double)m->params[i] - (double)ref[i]);
                    if (!(err[i] <= TOL_PARAM_BULK)) over++;
                }
                qsort(err, m->n_params, sizeof *err, cmp_double);
                size_t q = (size_t)floor(PARAM_BULK_FRACTION * (double)(m->n_params - 1));
                add_line(r, "train/params (max)", "max abs", isnan(err[m->n_params - 1]) ? NAN : err[m->n_params - 1],
                         TOL_PARAM_MAX, 0);
                add_line(r, "train/params (99.99th pct)", "abs", err[q], TOL_PARAM_BULK, 0);
                add_line(r, "train/params (fraction > 2e-5)", "fraction", (double)over / (double)m->n_params,
                         1.0 - PARAM_BULK_FRACTION, 0);
                free(err);
            }
            free(ref);
            free(ref_losses);
            free(ref_lr);
        } else {
            note_skip(r, "train (absent)");
        }
        free(src);
        free(tgt);
        free(cmd);
    }

    /* ---- golden decodes from the initial parameters ---- */
    memcpy(m->params, init, m->n_params * sizeof *init);
    free(init);
    check_generation(r, f, m, "gen_greedy", 1);
    check_generation(r, f, m, "gen_topp", 0);
    st = emg_ok();
done:
    emg_model_free(m);
    H5Fclose(f);
    return st;
}

const emg_check_line *emg_check_find(const emg_check_result *res, const char *name) {
    for (int i = 0; i < res->n; i++)
        if (!strcmp(res->lines[i].name, name)) return &res->lines[i];
    return NULL;
}

void emg_check_print(const emg_check_result *res, FILE *out, int verbose) {
    fprintf(out, "config: %s\n", res->config);
    fprintf(out, "%-34s %-20s %12s %10s  %s\n", "quantity", "measure", "error", "tolerance", "result");
    int n_detail = 0, n_detail_fail = 0;
    const emg_check_line *worst = NULL;
    for (int i = 0; i < res->n; i++) {
        const emg_check_line *l = &res->lines[i];
        if (l->detail) {
            n_detail++;
            n_detail_fail += !l->pass;
            if (!worst || !(l->err <= worst->err)) worst = l;
        }
        if (l->detail && !verbose && l->pass) continue;
        fprintf(out, "%-34s %-20s %12.3e %10.1e  %s\n", l->name, l->what, l->err, l->tol, l->pass ? "ok" : "FAIL");
    }
    if (n_detail && !verbose)
        fprintf(out, "%-34s %-20s %12.3e %10.1e  %s  (worst of %d tensors: %s; --verbose lists all)\n",
                "grads (all tensors)", worst->what, worst->err, worst->tol, n_detail_fail ? "FAIL" : "ok", n_detail,
                worst->name);
    if (res->skipped[0]) fprintf(out, "not checked: %s\n", res->skipped);
    fprintf(out, "%s: %d checks, %d failed\n", res->n_fail ? "FAIL" : "PASS", res->n, res->n_fail);
}

void emg_check_result_free(emg_check_result *res) {
    free(res->lines);
    memset(res, 0, sizeof *res);
}
