/* h5util.c: see h5util.h. */
#define _POSIX_C_SOURCE 200809L
#include "h5util.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static hid_t file_access(MPI_Comm comm) {
    hid_t fapl = CHECK_H5(H5Pcreate(H5P_FILE_ACCESS));
    if (comm != MPI_COMM_NULL) CHECK_H5(H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL));
    return fapl;
}

void emg_h5_create(emg_h5file *f, const char *path, MPI_Comm comm, const char *format, int version,
                   const char *command, const char *config_json) {
    memset(f, 0, sizeof *f);
    f->comm = comm;
    f->rank = 0;
    if (comm != MPI_COMM_NULL) CHECK_MPI(MPI_Comm_rank(comm, &f->rank));
    if (strlen(path) >= sizeof f->path) FAIL("output path too long: %s", path);
    snprintf(f->path, sizeof f->path, "%s", path);
    snprintf(f->tmp, sizeof f->tmp, "%s.tmp", path);
    hid_t fapl = file_access(comm);
    f->id = H5Fcreate(f->tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (f->id < 0) FAIL("cannot create %s (for %s): check the folder exists and is writable", f->tmp, path);
    char written_by[256], created[64];
    snprintf(written_by, sizeof written_by, "emogen %s %s", EMOGEN_VERSION, command);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (comm != MPI_COMM_NULL) /* every rank must write the same attribute value */
        CHECK_MPI(MPI_Bcast(created, sizeof created, MPI_CHAR, 0, comm));
    emg_h5_attr_str(f->id, "format", format);
    emg_h5_attr_i64(f->id, "version", version);
    emg_h5_attr_str(f->id, "written_by", written_by);
    emg_h5_attr_str(f->id, "created", created);
    emg_h5_attr_str(f->id, "config", config_json ? config_json : "{}");
}

static void fsync_path(const char *path, int flags) {
    int fd = open(path, flags);
    if (fd < 0) return;  /* best effort: some file systems refuse O_RDONLY fsync on folders */
    (void)fsync(fd);
    close(fd);
}

void emg_h5_commit(emg_h5file *f) {
    CHECK_H5(H5Fflush(f->id, H5F_SCOPE_GLOBAL));
    CHECK_H5(H5Fclose(f->id));
    f->id = -1;
    if (f->rank == 0) {
        fsync_path(f->tmp, O_RDONLY);
        CHECK_C(rename(f->tmp, f->path));
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", f->path);
        fsync_path(dirname(dir), O_RDONLY);
    }
    if (f->comm != MPI_COMM_NULL) CHECK_MPI(MPI_Barrier(f->comm));  /* nobody reads before the rename */
}

void emg_h5_abandon(emg_h5file *f) {
    if (f->id >= 0) H5Fclose(f->id);
    f->id = -1;
    if (f->rank == 0) unlink(f->tmp);
    if (f->comm != MPI_COMM_NULL) MPI_Barrier(f->comm);
}

hid_t emg_h5_open(const char *path, MPI_Comm comm, const char *format, int version, char *err, size_t errlen) {
    if (access(path, R_OK) != 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    hid_t fapl = file_access(comm);
    hid_t id = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    H5Pclose(fapl);
    if (id < 0) {
        snprintf(err, errlen, "%s: not an HDF5 file, or damaged (HDF5 cannot open it)", path);
        return -1;
    }
    char *fmt = NULL, *by = NULL;
    int64_t ver = -1;
    if (emg_h5_get_attr_str(id, "format", &fmt) || emg_h5_get_attr_i64(id, "version", &ver)) {
        snprintf(err, errlen, "%s: an HDF5 file without emogen's format/version attributes: not written by emogen, "
                 "expected a %s file", path, format);
        free(fmt);
        H5Fclose(id);
        return -1;
    }
    emg_h5_get_attr_str(id, "written_by", &by);
    int bad = 0;
    if (strcmp(fmt, format)) {
        snprintf(err, errlen, "%s: is a %s file (written by %s), but a %s file is needed here", path, fmt,
                 by ? by : "?", format);
        bad = 1;
    } else if (ver != version) {
        snprintf(err, errlen, "%s: %s version %lld (written by %s); this emogen %s reads version %d: "
                 "re-create the file with this emogen's `%s` command, or use the emogen release that wrote it",
                 path, fmt, (long long)ver, by ? by : "?", EMOGEN_VERSION, version,
                 by && strrchr(by, ' ') ? strrchr(by, ' ') + 1 : "stage");
        bad = 1;
    }
    free(fmt);
    free(by);
    if (bad) { H5Fclose(id); return -1; }
    return id;
}

/* ---- attributes ---- */

static void attr_write(hid_t obj, const char *name, hid_t type, hid_t space, const void *data) {
    if (H5Aexists(obj, name) > 0) CHECK_H5(H5Adelete(obj, name));
    hid_t a = CHECK_H5(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT));
    CHECK_H5(H5Awrite(a, type, data));
    H5Aclose(a);
}

void emg_h5_attr_str(hid_t obj, const char *name, const char *value) {
    /* fixed-length string: variable-length data cannot be written with parallel HDF5 */
    hid_t t = CHECK_H5(H5Tcopy(H5T_C_S1));
    size_t len = strlen(value);
    CHECK_H5(H5Tset_size(t, len ? len : 1));
    CHECK_H5(H5Tset_cset(t, H5T_CSET_UTF8));
    hid_t s = CHECK_H5(H5Screate(H5S_SCALAR));
    attr_write(obj, name, t, s, len ? value : " ");
    H5Sclose(s);
    H5Tclose(t);
}

static void attr_vec(hid_t obj, const char *name, hid_t type, const void *v, size_t n) {
    hsize_t dims[1] = {n};
    hid_t s = CHECK_H5(n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, dims, NULL));
    attr_write(obj, name, type, s, v);
    H5Sclose(s);
}

void emg_h5_attr_i64(hid_t obj, const char *name, int64_t value) { attr_vec(obj, name, H5T_NATIVE_INT64, &value, 1); }
void emg_h5_attr_f64(hid_t obj, const char *name, double value) { attr_vec(obj, name, H5T_NATIVE_DOUBLE, &value, 1); }
void emg_h5_attr_i64v(hid_t obj, const char *name, const int64_t *v, size_t n) { attr_vec(obj, name, H5T_NATIVE_INT64, v, n); }
void emg_h5_attr_f64v(hid_t obj, const char *name, const double *v, size_t n) { attr_vec(obj, name, H5T_NATIVE_DOUBLE, v, n); }

int emg_h5_get_attr_str(hid_t obj, const char *name, char **out) {
    *out = NULL;
    if (H5Aexists(obj, name) <= 0) return -1;
    hid_t a = CHECK_H5(H5Aopen(obj, name, H5P_DEFAULT));
    hid_t ft = CHECK_H5(H5Aget_type(a));
    int rc = -1;
    if (H5Tget_class(ft) == H5T_STRING && !H5Tis_variable_str(ft)) {
        size_t len = H5Tget_size(ft);
        char *buf = xcalloc(len + 1, 1);
        hid_t mt = CHECK_H5(H5Tcopy(ft));
        CHECK_H5(H5Aread(a, mt, buf));
        H5Tclose(mt);
        if (len == 1 && buf[0] == ' ') buf[0] = 0;  /* our encoding of "" */
        *out = buf;
        rc = 0;
    } else if (H5Tget_class(ft) == H5T_STRING) {  /* variable-length (written by h5py, for example) */
        char *vl = NULL;
        hid_t mt = CHECK_H5(H5Tcopy(H5T_C_S1));
        CHECK_H5(H5Tset_size(mt, H5T_VARIABLE));
        CHECK_H5(H5Tset_cset(mt, H5Tget_cset(ft)));  /* HDF5 converts neither way between ASCII and UTF-8 */
        CHECK_H5(H5Aread(a, mt, &vl));
        *out = CHECK_PTR(strdup(vl ? vl : ""));
        hid_t s = H5Aget_space(a);
        H5Dvlen_reclaim(mt, s, H5P_DEFAULT, &vl);
        H5Sclose(s);
        H5Tclose(mt);
        rc = 0;
    }
    H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

static int get_attr_num(hid_t obj, const char *name, hid_t mem, H5T_class_t want, void *out) {
    if (H5Aexists(obj, name) <= 0) return -1;
    hid_t a = CHECK_H5(H5Aopen(obj, name, H5P_DEFAULT));
    hid_t ft = CHECK_H5(H5Aget_type(a));
    hid_t s = CHECK_H5(H5Aget_space(a));
    int rc = -1;
    H5T_class_t c = H5Tget_class(ft);
    if ((c == want || (c == H5T_INTEGER && want == H5T_FLOAT)) && H5Sget_simple_extent_npoints(s) == 1) {
        CHECK_H5(H5Aread(a, mem, out));
        rc = 0;
    }
    H5Sclose(s);
    H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

int emg_h5_get_attr_i64(hid_t obj, const char *name, int64_t *out) {
    return get_attr_num(obj, name, H5T_NATIVE_INT64, H5T_INTEGER, out);
}
int emg_h5_get_attr_f64(hid_t obj, const char *name, double *out) {
    return get_attr_num(obj, name, H5T_NATIVE_DOUBLE, H5T_FLOAT, out);
}

/* ---- datasets ---- */

static hid_t transfer(MPI_Comm comm) {
    hid_t dxpl = CHECK_H5(H5Pcreate(H5P_DATASET_XFER));
    if (comm != MPI_COMM_NULL) CHECK_H5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE));
    return dxpl;
}

void emg_h5_write_rows(hid_t loc, const char *name, hid_t type, int64_t rows_global, int64_t cols,
                       int64_t row_offset, int64_t rows_local, const void *data, MPI_Comm comm) {
    int rank2 = cols > 0;
    hsize_t dims[2] = {(hsize_t)rows_global, (hsize_t)(cols > 0 ? cols : 1)};
    hid_t fspace = CHECK_H5(H5Screate_simple(rank2 ? 2 : 1, dims, NULL));
    hid_t d = CHECK_H5(H5Dcreate2(loc, name, type, fspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    /* in rounds of at most EMG_H5_ROUND_BYTES per rank: the MPI-IO layer passes a contiguous
     * selection to the kernel as one write(), and here one write() of a few hundred MB runs at
     * 0.4 GB/s into the page cache against 5 GB/s in pieces of 4-16 MB (dd, same file system).
     * Every rank makes the same number of collective calls. */
    size_t row_bytes = H5Tget_size(type) * (size_t)dims[1];
    int64_t per_round = (int64_t)(EMG_H5_ROUND_BYTES / (row_bytes ? row_bytes : 1));
    if (per_round < 1) per_round = 1;
    int64_t my_rounds = (rows_local + per_round - 1) / per_round, rounds = my_rounds;
    if (rows_global <= per_round) rounds = rows_global > 0;  /* everyone knows: one call */
    else if (comm != MPI_COMM_NULL) CHECK_MPI(MPI_Allreduce(&my_rounds, &rounds, 1, MPI_INT64_T, MPI_MAX, comm));
    hid_t dxpl = transfer(comm);
    for (int64_t r = 0; r < rounds && rows_global > 0; r++) {
        int64_t b = r * per_round, n = rows_local - b < per_round ? rows_local - b : per_round;
        if (n < 0) n = 0;
        hsize_t start[2] = {(hsize_t)(row_offset + b), 0}, count[2] = {(hsize_t)n, dims[1]};
        hid_t mspace = CHECK_H5(H5Screate_simple(rank2 ? 2 : 1, count, NULL));
        if (n > 0) {
            CHECK_H5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL));
        } else {
            /* a rank with nothing (left) to write still takes part in the collective call */
            CHECK_H5(H5Sselect_none(fspace));
            CHECK_H5(H5Sselect_none(mspace));
        }
        CHECK_H5(H5Dwrite(d, type, mspace, fspace, dxpl, n > 0 ? (const uint8_t *)data + (size_t)b * row_bytes : data));
        H5Sclose(mspace);
    }
    H5Pclose(dxpl);
    H5Sclose(fspace);
    H5Dclose(d);
}

void emg_h5_write_1d(hid_t loc, const char *name, hid_t type, int64_t n_global, int64_t offset,
                     int64_t n_local, const void *data, MPI_Comm comm) {
    emg_h5_write_rows(loc, name, type, n_global, 0, offset, n_local, data, comm);
}

void emg_h5_read_1d(hid_t loc, const char *name, hid_t type, int64_t offset, int64_t n, void *out) {
    if (n <= 0) return;
    hid_t d = CHECK_H5(H5Dopen2(loc, name, H5P_DEFAULT));
    hid_t fspace = CHECK_H5(H5Dget_space(d));
    int nd = H5Sget_simple_extent_ndims(fspace);
    hsize_t dims[2] = {0, 1};
    H5Sget_simple_extent_dims(fspace, dims, NULL);
    hsize_t start[2] = {(hsize_t)offset, 0}, count[2] = {(hsize_t)n, nd == 2 ? dims[1] : 1};
    CHECK_H5(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL));
    hid_t mspace = CHECK_H5(H5Screate_simple(nd, count, NULL));
    CHECK_H5(H5Dread(d, type, mspace, fspace, H5P_DEFAULT, out));
    H5Sclose(mspace);
    H5Sclose(fspace);
    H5Dclose(d);
}

int64_t emg_h5_len(hid_t loc, const char *name) {
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return -1;
    hid_t d = CHECK_H5(H5Dopen2(loc, name, H5P_DEFAULT));
    hid_t s = CHECK_H5(H5Dget_space(d));
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(s, dims, NULL);
    H5Sclose(s);
    H5Dclose(d);
    return (int64_t)dims[0];
}

int64_t emg_prefix_offset(int64_t local, MPI_Comm comm, int64_t *global) {
    if (comm == MPI_COMM_NULL) { *global = local; return 0; }
    int64_t off = 0;
    CHECK_MPI(MPI_Exscan(&local, &off, 1, MPI_INT64_T, MPI_SUM, comm));
    int rank;
    MPI_Comm_rank(comm, &rank);
    if (rank == 0) off = 0;  /* MPI_Exscan leaves rank 0's result undefined */
    CHECK_MPI(MPI_Allreduce(&local, global, 1, MPI_INT64_T, MPI_SUM, comm));
    return off;
}

void emg_h5_write_ragged(hid_t loc, const char *base, const char *const *strs, int64_t n_local, MPI_Comm comm) {
    int64_t nchars = 0;
    for (int64_t i = 0; i < n_local; i++) nchars += (int64_t)strlen(strs[i]);
    int64_t n_global = 0, chars_global = 0;
    int64_t row0 = emg_prefix_offset(n_local, comm, &n_global);
    int64_t char0 = emg_prefix_offset(nchars, comm, &chars_global);
    /* the rank holding the last row also writes the closing offset (rank 0 when there are no rows) */
    int rank = 0;
    if (comm != MPI_COMM_NULL) MPI_Comm_rank(comm, &rank);
    int closes = n_global == 0 ? rank == 0 : (n_local > 0 && row0 + n_local == n_global);
    int64_t *off = xmalloc((size_t)(n_local + 1) * sizeof *off);
    char *chars = xmalloc((size_t)(nchars ? nchars : 1));
    int64_t c = 0;
    for (int64_t i = 0; i < n_local; i++) {
        off[i] = char0 + c;
        size_t l = strlen(strs[i]);
        memcpy(chars + c, strs[i], l);
        c += (int64_t)l;
    }
    off[n_local] = char0 + c;
    char name[256];
    snprintf(name, sizeof name, "%s_offset", base);
    emg_h5_write_1d(loc, name, H5T_NATIVE_INT64, n_global + 1, row0, n_local + closes, off, comm);
    snprintf(name, sizeof name, "%s_chars", base);
    emg_h5_write_1d(loc, name, H5T_NATIVE_UINT8, chars_global, char0, nchars, chars, comm);
    free(off);
    free(chars);
}

char *emg_h5_read_ragged(hid_t loc, const char *base, int64_t i) {
    char name[256];
    int64_t o[2];
    snprintf(name, sizeof name, "%s_offset", base);
    emg_h5_read_1d(loc, name, H5T_NATIVE_INT64, i, 2, o);
    char *s = xmalloc((size_t)(o[1] - o[0] + 1));
    snprintf(name, sizeof name, "%s_chars", base);
    emg_h5_read_1d(loc, name, H5T_NATIVE_UINT8, o[0], o[1] - o[0], s);
    s[o[1] - o[0]] = 0;
    return s;
}
