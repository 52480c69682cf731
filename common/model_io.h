/* model_io.h: EmoGen model parameters and debug states in HDF5.
 *
 * Layout (shared/reference/model/README.md, "HDF5 debug-state layout"): one float32 dataset per
 * parameter tensor under a group (`params`, `train/params`), named as in emg_model_tensor()
 * ("tok_emb", "layers.0.q.weight", ...), row-major with Linear weights [out, in]; the model's
 * sizes are root attributes (vocab_size, d_model, n_layers, n_heads, d_ffn, attr_num,
 * attr_buckets, attr_embed, pad_idx, eos_idx, ln_eps, attn_eps, dropout). Reading needs no MPI.
 */
#pragma once
#include "model.h"
#include "status.h"

#include <hdf5.h>

/* 1 if the object at `path` (slash-separated, relative to loc) exists */
int emg_h5_path_exists(hid_t loc, const char *path);
/* number of elements of dataset `path` (-1 if absent) */
long emg_h5_numel(hid_t loc, const char *path);
/* rank and dimensions (up to 8) of dataset `path`; -1 if absent */
int emg_h5_dims(hid_t loc, const char *path, long *dims);
/* a string attribute (fixed or variable length, ASCII or UTF-8) as a malloc'd string; NULL if
 * absent or not a string */
char *emg_h5_attr_string(hid_t obj, const char *name);
/* read a whole dataset of exactly n elements, converted to float / double / int */
emg_status emg_h5_read_f32(hid_t loc, const char *path, float *out, size_t n);
emg_status emg_h5_read_f64(hid_t loc, const char *path, double *out, size_t n);
emg_status emg_h5_read_i32(hid_t loc, const char *path, int *out, size_t n);

/* the model configuration from a file's root attributes (dropout defaults to 0.1 if absent) */
emg_status emg_model_config_read_h5(hid_t file, emg_model_config *cfg);
/* every parameter tensor of `group` into dst (m->n_params floats, canonical order); shapes are
 * checked against the model's */
emg_status emg_model_params_read_h5(const emg_model *m, hid_t file, const char *group, float *dst);
/* write the config attributes on `loc` and one dataset per tensor of src under new group `group` */
void emg_model_write_h5(const emg_model *m, hid_t loc, const char *group, const float *src);
