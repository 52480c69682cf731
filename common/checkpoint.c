/* checkpoint.c: see checkpoint.h. */
#define _POSIX_C_SOURCE 200809L
#include "checkpoint.h"
#include "check.h"
#include "dir_list.h"
#include "h5util.h"
#include "md5.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CKPT_FORMAT "emogen.checkpoint"
#define CKPT_VERSION 1

static void digest3(const float *a, const float *b, const float *c, size_t n, char hex[33]) {
    emg_md5_ctx x;
    emg_md5_init(&x);
    emg_md5_update(&x, a, n * sizeof *a);
    if (b) emg_md5_update(&x, b, n * sizeof *b);
    if (c) emg_md5_update(&x, c, n * sizeof *c);
    uint8_t d[16];
    emg_md5_final(&x, d);
    emg_md5_hex(d, hex);
}

static void put_floats(hid_t f, const char *name, const float *p, size_t n) {
    emg_h5_write_1d(f, name, H5T_NATIVE_FLOAT, (int64_t)n, 0, (int64_t)n, p, MPI_COMM_NULL);
}

int emg_ckpt_write(const char *path, const char *config_json, const char *vocab, const emg_ckpt_dims *d,
                   const float *params, const float *m, const float *v, size_t n, const emg_ckpt_state *st) {
    emg_h5file f;
    emg_h5_create(&f, path, MPI_COMM_NULL, CKPT_FORMAT, CKPT_VERSION, "train", config_json);
    put_floats(f.id, "params", params, n);
    put_floats(f.id, "adam_m", m, n);
    put_floats(f.id, "adam_v", v, n);
    char hex[33];
    digest3(params, m, v, n, hex);
    emg_h5_attr_str(f.id, "md5", hex);
    emg_h5_attr_str(f.id, "vocab", vocab);
    emg_h5_attr_i64(f.id, "n_params", (int64_t)n);
    const int64_t dims[8] = {d->vocab, d->d_model, d->layers, d->heads, d->ffn, d->attrs, d->buckets, d->attr_embed};
    emg_h5_attr_i64v(f.id, "dims", dims, 8);
    emg_h5_attr_i64(f.id, "step", st->step);
    emg_h5_attr_i64(f.id, "epoch", st->epoch);
    emg_h5_attr_i64(f.id, "batch", st->batch);
    emg_h5_attr_i64(f.id, "tokens_seen", st->tokens_seen);
    emg_h5_attr_f64(f.id, "best_valid", st->best_valid);
    emg_h5_attr_i64(f.id, "best_step", st->best_step);
    emg_h5_attr_i64(f.id, "bad_validations", st->bad_validations);
    emg_h5_attr_i64(f.id, "seed", (int64_t)st->seed);
    emg_h5_commit(&f);
    return 0;
}

static int read_dims(hid_t f, emg_ckpt_dims *d) {
    int64_t v[8];
    hid_t a = H5Aopen(f, "dims", H5P_DEFAULT);
    if (a < 0) return -1;
    herr_t r = H5Aread(a, H5T_NATIVE_INT64, v);
    H5Aclose(a);
    if (r < 0) return -1;
    *d = (emg_ckpt_dims){v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
    return 0;
}

int emg_ckpt_peek(const char *path, emg_ckpt_dims *dims, size_t *n, char **config, char *err, size_t errlen) {
    hid_t f = emg_h5_open(path, MPI_COMM_NULL, CKPT_FORMAT, CKPT_VERSION, err, errlen);
    if (f < 0) return -1;
    int64_t np = 0;
    if (read_dims(f, dims) || emg_h5_get_attr_i64(f, "n_params", &np)) {
        snprintf(err, errlen, "%s: a checkpoint without its model sizes (damaged?)", path);
        H5Fclose(f);
        return -1;
    }
    *n = (size_t)np;
    if (config) emg_h5_get_attr_str(f, "config", config);
    H5Fclose(f);
    return 0;
}

int emg_ckpt_read(const char *path, const emg_ckpt_dims *expect, float *params, float *m, float *v, size_t n,
                  emg_ckpt_state *st, char *err, size_t errlen) {
    hid_t f = emg_h5_open(path, MPI_COMM_NULL, CKPT_FORMAT, CKPT_VERSION, err, errlen);
    if (f < 0) return -1;
    emg_ckpt_dims d;
    int64_t np = 0;
    int rc = -1;
    char *md5 = NULL;
    if (read_dims(f, &d) || emg_h5_get_attr_i64(f, "n_params", &np)) {
        snprintf(err, errlen, "%s: a checkpoint without its model sizes (damaged?)", path);
        goto out;
    }
    if ((size_t)np != n || (expect && memcmp(&d, expect, sizeof d))) {
        snprintf(err, errlen, "%s: a checkpoint of another model (%lld parameters, d_model %lld, %lld layers, vocab %lld); "
                 "this run's model has %zu parameters", path, (long long)np, (long long)d.d_model, (long long)d.layers,
                 (long long)d.vocab, n);
        goto out;
    }
    if (emg_h5_len(f, "params") != np || emg_h5_len(f, "adam_m") != np || emg_h5_len(f, "adam_v") != np) {
        snprintf(err, errlen, "%s: arrays missing or truncated", path);
        goto out;
    }
    int need_moments = m && v;
    float *mm = m ? m : xmalloc(n * sizeof *mm), *vv = v ? v : xmalloc(n * sizeof *vv);
    emg_h5_read_1d(f, "params", H5T_NATIVE_FLOAT, 0, np, params);
    emg_h5_read_1d(f, "adam_m", H5T_NATIVE_FLOAT, 0, np, mm);
    emg_h5_read_1d(f, "adam_v", H5T_NATIVE_FLOAT, 0, np, vv);
    char hex[33];
    digest3(params, mm, vv, n, hex);
    if (!m) free(mm);
    if (!v) free(vv);
    (void)need_moments;
    if (emg_h5_get_attr_str(f, "md5", &md5) || strcmp(md5, hex)) {
        snprintf(err, errlen, "%s: checksum mismatch (the file is damaged)", path);
        goto out;
    }
    if (st) {
        int64_t seed = 0;
        emg_h5_get_attr_i64(f, "step", &st->step);
        emg_h5_get_attr_i64(f, "epoch", &st->epoch);
        emg_h5_get_attr_i64(f, "batch", &st->batch);
        emg_h5_get_attr_i64(f, "tokens_seen", &st->tokens_seen);
        emg_h5_get_attr_f64(f, "best_valid", &st->best_valid);
        emg_h5_get_attr_i64(f, "best_step", &st->best_step);
        emg_h5_get_attr_i64(f, "bad_validations", &st->bad_validations);
        emg_h5_get_attr_i64(f, "seed", &seed);
        st->seed = (uint64_t)seed;
    }
    rc = 0;
out:
    free(md5);
    H5Fclose(f);
    return rc;
}

static int is_step_file(const char *name) {
    size_t l = strlen(name);
    return !strncmp(name, "step-", 5) && l >= 8 && !strcmp(name + l - 3, ".h5");
}

int emg_ckpt_list(const char *dir, char **paths, int max) {
    char **names;
    int64_t n = emg_dir_list(dir, is_step_file, &names);
    int k = 0;
    for (int64_t i = n - 1; i >= 0 && k < max; i--) {  /* zero-padded steps: byte order = step order */
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        paths[k] = xmalloc(len);
        snprintf(paths[k], len, "%s/%s", dir, names[i]);
        k++;
    }
    emg_dir_list_free(names, n);
    return k;
}

void emg_ckpt_prune(const char *dir, int keep) {
    char *paths[4096];
    int n = emg_ckpt_list(dir, paths, 4096);
    for (int i = 0; i < n; i++) {
        if (i >= keep) unlink(paths[i]);
        free(paths[i]);
    }
}

int emg_ckpt_strings(const char *path, char **vocab, char **md5, char *err, size_t errlen) {
    hid_t f = emg_h5_open(path, MPI_COMM_NULL, CKPT_FORMAT, CKPT_VERSION, err, errlen);
    if (f < 0) return -1;
    int rc = emg_h5_get_attr_str(f, "vocab", vocab) | emg_h5_get_attr_str(f, "md5", md5);
    if (rc) snprintf(err, errlen, "%s: checkpoint without vocab/md5 attributes", path);
    H5Fclose(f);
    return rc ? -1 : 0;
}
