/* model_io.c: EmoGen parameters and debug states in HDF5 (see model_io.h). */
#define _POSIX_C_SOURCE 200809L
#include "model_io.h"

#include "check.h"
#include "h5util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emg_h5_path_exists(hid_t loc, const char *path) {
    char buf[512];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf) return 0;
    memcpy(buf, path, len + 1);
    /* every prefix must exist as a link, and the last must resolve */
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char saved = buf[i];
        buf[i] = '\0';
        htri_t e = H5Lexists(loc, buf, H5P_DEFAULT);
        buf[i] = saved;
        if (e <= 0) return 0;
    }
    return H5Oexists_by_name(loc, path, H5P_DEFAULT) > 0;
}

long emg_h5_numel(hid_t loc, const char *path) {
    if (!emg_h5_path_exists(loc, path)) return -1;
    hid_t ds = H5Dopen2(loc, path, H5P_DEFAULT);
    if (ds < 0) return -1;
    hid_t sp = CHECK_H5(H5Dget_space(ds));
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    H5Sclose(sp);
    H5Dclose(ds);
    return (long)n;
}

int emg_h5_dims(hid_t loc, const char *path, long *dims) {
    if (!emg_h5_path_exists(loc, path)) return -1;
    hid_t ds = H5Dopen2(loc, path, H5P_DEFAULT);
    if (ds < 0) return -1;
    hid_t sp = CHECK_H5(H5Dget_space(ds));
    int nd = H5Sget_simple_extent_ndims(sp);
    hsize_t hd[32];
    if (nd >= 0 && nd <= 8) {
        H5Sget_simple_extent_dims(sp, hd, NULL);
        for (int i = 0; i < nd; i++) dims[i] = (long)hd[i];
    } else {
        nd = -1;
    }
    H5Sclose(sp);
    H5Dclose(ds);
    return nd;
}

char *emg_h5_attr_string(hid_t obj, const char *name) {
    if (H5Aexists(obj, name) <= 0) return NULL;
    hid_t a = CHECK_H5(H5Aopen(obj, name, H5P_DEFAULT));
    hid_t ft = CHECK_H5(H5Aget_type(a));
    hid_t sp = CHECK_H5(H5Aget_space(a));
    char *out = NULL;
    if (H5Tget_class(ft) == H5T_STRING && H5Sget_simple_extent_npoints(sp) == 1) {
        hid_t mt = CHECK_H5(H5Tcopy(H5T_C_S1));
        CHECK_H5(H5Tset_cset(mt, H5Tget_cset(ft)));  /* HDF5 converts no ASCII <-> UTF-8 */
        if (H5Tis_variable_str(ft)) {
            char *vl = NULL;
            CHECK_H5(H5Tset_size(mt, H5T_VARIABLE));
            CHECK_H5(H5Aread(a, mt, &vl));
            out = CHECK_PTR(strdup(vl ? vl : ""));
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, &vl);
        } else {
            size_t len = H5Tget_size(ft);
            out = xcalloc(len + 1, 1);
            CHECK_H5(H5Tset_size(mt, len));
            CHECK_H5(H5Aread(a, mt, out));
        }
        H5Tclose(mt);
    }
    H5Sclose(sp);
    H5Tclose(ft);
    H5Aclose(a);
    return out;
}

static emg_status read_all(hid_t loc, const char *path, hid_t memtype, void *out, size_t n) {
    long have = emg_h5_numel(loc, path);
    if (have < 0) return emg_statusf(1, "dataset %s is missing", path);
    if ((size_t)have != n) return emg_statusf(1, "dataset %s has %ld elements, expected %zu", path, have, n);
    hid_t ds = CHECK_H5(H5Dopen2(loc, path, H5P_DEFAULT));
    herr_t rc = H5Dread(ds, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
    H5Dclose(ds);
    if (rc < 0) return emg_statusf(1, "dataset %s cannot be read", path);
    return emg_ok();
}

emg_status emg_h5_read_f32(hid_t loc, const char *path, float *out, size_t n) {
    return read_all(loc, path, H5T_NATIVE_FLOAT, out, n);
}
emg_status emg_h5_read_f64(hid_t loc, const char *path, double *out, size_t n) {
    return read_all(loc, path, H5T_NATIVE_DOUBLE, out, n);
}
emg_status emg_h5_read_i32(hid_t loc, const char *path, int *out, size_t n) {
    return read_all(loc, path, H5T_NATIVE_INT, out, n);
}

static emg_status attr_int(hid_t f, const char *name, int *out, int required, int dflt) {
    int64_t v;
    if (emg_h5_get_attr_i64(f, name, &v)) {
        if (required) return emg_statusf(1, "root attribute %s is missing", name);
        *out = dflt;
        return emg_ok();
    }
    if (v < -1 || v > (1 << 30)) return emg_statusf(1, "root attribute %s = %lld is out of range", name, (long long)v);
    *out = (int)v;
    return emg_ok();
}

static emg_status attr_float(hid_t f, const char *name, float *out, float dflt) {
    double v;
    *out = emg_h5_get_attr_f64(f, name, &v) ? dflt : (float)v;
    return emg_ok();
}

emg_status emg_model_config_read_h5(hid_t file, emg_model_config *cfg) {
    emg_model_config c = emg_model_config_tiny();
    emg_status st;
#define RI(name, field) do { st = attr_int(file, name, &c.field, 1, 0); if (st.code) return st; } while (0)
    RI("vocab_size", vocab);
    RI("d_model", d_model);
    RI("n_layers", n_layers);
    RI("n_heads", n_heads);
    RI("d_ffn", d_ffn);
    RI("attr_num", attr_num);
    RI("attr_buckets", attr_buckets);
#undef RI
    if ((st = attr_int(file, "attr_embed", &c.attr_embed, 0, 16)).code) return st;
    if ((st = attr_int(file, "pad_idx", &c.pad_idx, 0, 1)).code) return st;
    if ((st = attr_int(file, "eos_idx", &c.eos_idx, 0, 2)).code) return st;
    attr_float(file, "ln_eps", &c.ln_eps, 1e-5f);
    attr_float(file, "attn_eps", &c.attn_eps, 1e-6f);
    attr_float(file, "dropout", &c.dropout, 0.1f);
    int head_dim = 0;
    if ((st = attr_int(file, "head_dim", &head_dim, 0, 0)).code) return st;
    const char *bad = emg_model_config_invalid(&c);
    if (bad) return emg_statusf(1, "the file's model configuration is not usable: %s", bad);
    if (head_dim && head_dim * c.n_heads != c.d_model)
        return emg_statusf(1, "head_dim %d * n_heads %d != d_model %d", head_dim, c.n_heads, c.d_model);
    char *pe = emg_h5_attr_string(file, "pe_mode");
    if (pe) {
        int ok = !strcmp(pe, "fairseq_fp32");
        if (!ok) st = emg_statusf(1, "pe_mode '%s' is not supported (only fairseq_fp32)", pe);
        free(pe);
        if (!ok) return st;
    }
    *cfg = c;
    return emg_ok();
}

emg_status emg_model_params_read_h5(const emg_model *m, hid_t file, const char *group, float *dst) {
    char path[512];
    for (int k = 0; k < m->n_tensors; k++) {
        const emg_tensor_info *t = &m->tensors[k];
        snprintf(path, sizeof path, "%s/%s", group, t->name);
        if (!emg_h5_path_exists(file, path)) return emg_statusf(1, "parameter %s is missing", path);
        hid_t ds = CHECK_H5(H5Dopen2(file, path, H5P_DEFAULT));
        hid_t sp = CHECK_H5(H5Dget_space(ds));
        hsize_t dims[8];
        int nd = H5Sget_simple_extent_ndims(sp);
        int ok = nd == t->ndim && nd <= 3;
        if (ok) {
            H5Sget_simple_extent_dims(sp, dims, NULL);
            for (int i = 0; i < nd; i++) ok &= dims[i] == (hsize_t)t->shape[i];
        }
        H5Sclose(sp);
        herr_t rc = ok ? H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, dst + t->offset) : 0;
        H5Dclose(ds);
        if (!ok) {
            char want[64];
            if (t->ndim == 1) snprintf(want, sizeof want, "[%d]", t->shape[0]);
            else if (t->ndim == 2) snprintf(want, sizeof want, "[%d, %d]", t->shape[0], t->shape[1]);
            else snprintf(want, sizeof want, "[%d, %d, %d]", t->shape[0], t->shape[1], t->shape[2]);
            return emg_statusf(1, "parameter %s does not have the model's shape %s", path, want);
        }
        if (rc < 0) return emg_statusf(1, "parameter %s cannot be read", path);
    }
    return emg_ok();
}

void emg_model_write_h5(const emg_model *m, hid_t loc, const char *group, const float *src) {
    const emg_model_config *c = &m->cfg;
    emg_h5_attr_i64(loc, "vocab_size", c->vocab);
    emg_h5_attr_i64(loc, "d_model", c->d_model);
    emg_h5_attr_i64(loc, "n_layers", c->n_layers);
    emg_h5_attr_i64(loc, "n_heads", c->n_heads);
    emg_h5_attr_i64(loc, "head_dim", c->d_model / c->n_heads);
    emg_h5_attr_i64(loc, "d_ffn", c->d_ffn);
    emg_h5_attr_i64(loc, "attr_num", c->attr_num);
    emg_h5_attr_i64(loc, "attr_buckets", c->attr_buckets);
    emg_h5_attr_i64(loc, "attr_embed", c->attr_embed);
    emg_h5_attr_i64(loc, "pad_idx", c->pad_idx);
    emg_h5_attr_i64(loc, "eos_idx", c->eos_idx);
    emg_h5_attr_f64(loc, "ln_eps", c->ln_eps);
    emg_h5_attr_f64(loc, "attn_eps", c->attn_eps);
    emg_h5_attr_f64(loc, "dropout", c->dropout);
    emg_h5_attr_str(loc, "pe_mode", "fairseq_fp32");
    emg_h5_attr_i64(loc, "param_count", (int64_t)m->n_params);
    hid_t lcpl = CHECK_H5(H5Pcreate(H5P_LINK_CREATE));
    CHECK_H5(H5Pset_create_intermediate_group(lcpl, 1));
    hid_t g = CHECK_H5(H5Gcreate2(loc, group, lcpl, H5P_DEFAULT, H5P_DEFAULT));
    for (int k = 0; k < m->n_tensors; k++) {
        const emg_tensor_info *t = &m->tensors[k];
        hsize_t dims[3] = {(hsize_t)t->shape[0], (hsize_t)t->shape[1], (hsize_t)t->shape[2]};
        hid_t sp = CHECK_H5(H5Screate_simple(t->ndim, dims, NULL));
        hid_t ds = CHECK_H5(H5Dcreate2(g, t->name, H5T_IEEE_F32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        CHECK_H5(H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, src + t->offset));
        H5Dclose(ds);
        H5Sclose(sp);
    }
    H5Gclose(g);
    H5Pclose(lcpl);
}
