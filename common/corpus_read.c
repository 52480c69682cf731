/* corpus_read.c: see corpus_read.h. */
#define _POSIX_C_SOURCE 200809L
#include "corpus_read.h"
#include "check.h"
#include "h5util.h"
#include "jsym.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *rd(hid_t f, const char *name, hid_t type, int64_t n, size_t elem) {
    void *p = xcalloc((size_t)(n > 0 ? n : 1), elem);
    emg_h5_read_1d(f, name, type, 0, n, p);
    return p;
}

static char **rd_ragged(hid_t f, const char *base, int64_t n) {
    char name[256];
    snprintf(name, sizeof name, "%s_offset", base);
    int64_t *off = rd(f, name, H5T_NATIVE_INT64, n + 1, 8);
    snprintf(name, sizeof name, "%s_chars", base);
    char *chars = rd(f, name, H5T_NATIVE_UINT8, off[n], 1);
    char **out = xmalloc((size_t)(n ? n : 1) * sizeof *out);
    for (int64_t i = 0; i < n; i++) {
        size_t len = (size_t)(off[i + 1] - off[i]);
        out[i] = xmalloc(len + 1);
        memcpy(out[i], chars + off[i], len);
        out[i][len] = 0;
    }
    free(off);
    free(chars);
    return out;
}

int emg_corpus_open(emg_corpus *c, const char *path, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    c->file = emg_h5_open(path, MPI_COMM_NULL, EMG_CORPUS_FORMAT, EMG_CORPUS_VERSION, err, errlen);
    if (c->file < 0) return -1;
    snprintf(c->path, sizeof c->path, "%s", path);
    hid_t f = c->file;
    c->n_pieces = emg_h5_len(f, "pieces/label");
    c->n_segments = emg_h5_len(f, "segments/piece");
    c->n_tokens = emg_h5_len(f, "tokens/ids");
    emg_h5_get_attr_i64(f, "max_tokens", &c->max_tokens);
    int64_t n = c->n_pieces, m = c->n_segments;
    c->label = rd(f, "pieces/label", H5T_NATIVE_INT8, n, 1);
    c->group = rd_ragged(f, "pieces/group", n);
    c->member = rd_ragged(f, "pieces/member", n);
    c->md5 = rd(f, "pieces/md5", H5T_NATIVE_UINT8, n, 16);
    c->n_tok = rd(f, "pieces/n_tokens", H5T_NATIVE_INT64, n, 8);
    c->tok_off = rd(f, "pieces/token_offset", H5T_NATIVE_INT64, n, 8);
    c->seg_off = rd(f, "pieces/segment_offset", H5T_NATIVE_INT64, n, 8);
    c->seg_cnt = rd(f, "pieces/segment_count", H5T_NATIVE_INT64, n, 8);
    c->features_ok = rd(f, "pieces/features_ok", H5T_NATIVE_INT32, n, 4);
    c->seg_piece = rd(f, "segments/piece", H5T_NATIVE_INT64, m, 8);
    c->seg_begin = rd(f, "segments/begin", H5T_NATIVE_INT64, m, 8);
    c->seg_end = rd(f, "segments/end", H5T_NATIVE_INT64, m, 8);
    c->seg_valid = rd(f, "segments/valid", H5T_NATIVE_INT32, m, 4);
    return 0;
}

void emg_corpus_close(emg_corpus *c) {
    for (int64_t i = 0; i < c->n_pieces; i++) { free(c->group[i]); free(c->member[i]); }
    free(c->group); free(c->member); free(c->label); free(c->md5); free(c->n_tok); free(c->tok_off);
    free(c->seg_off); free(c->seg_cnt); free(c->features_ok); free(c->seg_piece); free(c->seg_begin);
    free(c->seg_end); free(c->seg_valid);
    if (c->file >= 0) H5Fclose(c->file);
    memset(c, 0, sizeof *c);
}

void emg_corpus_read_feature_rows(const emg_corpus *c, const char *dataset, const int64_t *rows, int64_t n, double *out) {
    if (n <= 0) return;
    hid_t d = CHECK_H5(H5Dopen2(c->file, dataset, H5P_DEFAULT));
    hid_t fs = CHECK_H5(H5Dget_space(d));
    CHECK_H5(H5Sselect_none(fs));
    /* one selection of all rows (runs of consecutive rows merged), read in row order of `rows` when sorted;
     * for unsorted rows read one by one */
    int sorted = 1;
    for (int64_t i = 1; i < n; i++) sorted &= rows[i] > rows[i - 1];
    if (sorted) {
        for (int64_t i = 0; i < n;) {
            int64_t j = i + 1;
            while (j < n && rows[j] == rows[j - 1] + 1) j++;
            hsize_t start[2] = {(hsize_t)rows[i], 0}, count[2] = {(hsize_t)(j - i), EMG_JSYM_NVALUES};
            CHECK_H5(H5Sselect_hyperslab(fs, H5S_SELECT_OR, start, NULL, count, NULL));
            i = j;
        }
        hsize_t mdims[2] = {(hsize_t)n, EMG_JSYM_NVALUES};
        hid_t ms = CHECK_H5(H5Screate_simple(2, mdims, NULL));
        CHECK_H5(H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out));
        H5Sclose(ms);
    } else {
        hsize_t mdims[2] = {1, EMG_JSYM_NVALUES};
        hid_t ms = CHECK_H5(H5Screate_simple(2, mdims, NULL));
        for (int64_t i = 0; i < n; i++) {
            hsize_t start[2] = {(hsize_t)rows[i], 0}, count[2] = {1, EMG_JSYM_NVALUES};
            CHECK_H5(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL));
            CHECK_H5(H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out + i * EMG_JSYM_NVALUES));
        }
        H5Sclose(ms);
    }
    H5Sclose(fs);
    H5Dclose(d);
}

void emg_corpus_read_tokens(const emg_corpus *c, int64_t offset, int64_t n, uint16_t *out) {
    emg_h5_read_1d(c->file, "tokens/ids", H5T_NATIVE_UINT16, offset, n, out);
}
