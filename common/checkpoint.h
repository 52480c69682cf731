/* checkpoint.h: training checkpoints in HDF5 (format "emogen.checkpoint", layout in
 * schemas/checkpoint.md): the config, the model's sizes, parameters and both Adam moments (three
 * flat float32 arrays, the model's own layout), the update count, the data-loader position, the best
 * validation loss, and an MD5 over the three arrays. Written atomically by one rank (every rank holds
 * the same state after the gradient all-reduce), so a checkpoint written by N ranks resumes on M. */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct emg_ckpt_state {
    int64_t step;           /* updates done */
    int64_t epoch;          /* data loader: current epoch ... */
    int64_t batch;          /* ... and the next batch within it */
    int64_t tokens_seen;
    double best_valid;      /* best validation loss so far (INFINITY when none) */
    int64_t best_step;
    int64_t bad_validations;/* validations since the last improvement (early stopping) */
    uint64_t seed;
} emg_ckpt_state;

/* the model's sizes, stored as attributes so a reader can rebuild the model */
typedef struct emg_ckpt_dims {
    int64_t vocab, d_model, layers, heads, ffn, attrs, buckets, attr_embed;
} emg_ckpt_dims;

/* write (atomically) params, m, v (n floats each); config_json: the train config; vocab: its source */
int emg_ckpt_write(const char *path, const char *config_json, const char *vocab, const emg_ckpt_dims *dims,
                   const float *params, const float *m, const float *v, size_t n, const emg_ckpt_state *st);
/* read and verify (sizes, MD5); params/m/v must hold n floats; m or v may be NULL (inference).
 * 0, or -1 with err saying what is wrong (truncated, checksum, other model) */
int emg_ckpt_read(const char *path, const emg_ckpt_dims *expect, float *params, float *m, float *v, size_t n,
                  emg_ckpt_state *st, char *err, size_t errlen);
/* dims, n and the config of a checkpoint without reading the arrays; config is malloc'd (may be NULL) */
int emg_ckpt_peek(const char *path, emg_ckpt_dims *dims, size_t *n, char **config, char *err, size_t errlen);

/* checkpoints in dir are named step-00001234.h5 (+ best.h5); newest first, up to max paths */
int emg_ckpt_list(const char *dir, char **paths, int max);
/* delete all but the newest keep step checkpoints */
void emg_ckpt_prune(const char *dir, int keep);
/* the vocabulary source ("full" or a dictionary path) and the MD5 of a checkpoint (malloc'd) */
int emg_ckpt_strings(const char *path, char **vocab, char **md5, char *err, size_t errlen);
