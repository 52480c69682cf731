/* h5util.h: HDF5 files the way every emogen stage writes them.
 *
 * - Self-describing: the root group carries `format` (e.g. "emogen.midi_store"), `version` (an
 *   integer bumped on any layout change), `config` (the JSON config that made the file),
 *   `written_by` ("emogen 0.1.0 <command>") and `created` (UTC time). Layouts are documented in the schemas folder.
 * - Atomic: a file is written as "<path>.tmp" and renamed over <path> only by emg_h5_commit, so a
 *   run killed mid-write leaves the previous file intact; a rerun overwrites the stale .tmp.
 * - Parallel: with a communicator the file is opened with the MPI-IO driver and every call here is
 *   collective (all ranks call with the same arguments); with MPI_COMM_NULL it is a plain serial file.
 */
#pragma once
#include <hdf5.h>
#include <mpi.h>
#include <stdint.h>

typedef struct emg_h5file {
    hid_t id;
    MPI_Comm comm;    /* MPI_COMM_NULL for serial */
    int rank;
    char path[4096];  /* final name */
    char tmp[4200];   /* where it is written until commit */
} emg_h5file;

/* create <path>.tmp and stamp the identity attributes; `command` names the writer (for messages) */
void emg_h5_create(emg_h5file *f, const char *path, MPI_Comm comm, const char *format, int version,
                   const char *command, const char *config_json);
/* close, fsync, rename over the final path (rank 0), fsync the folder; collective */
void emg_h5_commit(emg_h5file *f);
/* close and delete the temporary file (on an error path); collective */
void emg_h5_abandon(emg_h5file *f);

/* open an existing file read-only and check its identity: returns the file id, or -1 with err
 * saying what it is and what to do (wrong format, or another version: which emogen wrote it) */
hid_t emg_h5_open(const char *path, MPI_Comm comm, const char *format, int version, char *err, size_t errlen);

/* attributes on a file, group or dataset */
void emg_h5_attr_str(hid_t obj, const char *name, const char *value);
void emg_h5_attr_i64(hid_t obj, const char *name, int64_t value);
void emg_h5_attr_f64(hid_t obj, const char *name, double value);
void emg_h5_attr_i64v(hid_t obj, const char *name, const int64_t *v, size_t n);
void emg_h5_attr_f64v(hid_t obj, const char *name, const double *v, size_t n);
/* readers return 0 ok, -1 if absent or of another type; strings are malloc'd */
int emg_h5_get_attr_str(hid_t obj, const char *name, char **out);
int emg_h5_get_attr_i64(hid_t obj, const char *name, int64_t *out);
int emg_h5_get_attr_f64(hid_t obj, const char *name, double *out);

/* collective writes go out in rounds of at most this many bytes per rank (see emg_h5_write_rows) */
#define EMG_H5_ROUND_BYTES ((size_t)8 << 20)

/* 1-D dataset of n_global elements of `type`; rank writes its n_local elements at `offset`.
 * Collective (every rank calls, n_local may be 0); offsets come from a prefix sum of n_local. */
void emg_h5_write_1d(hid_t loc, const char *name, hid_t type, int64_t n_global, int64_t offset,
                     int64_t n_local, const void *data, MPI_Comm comm);
/* 2-D dataset [rows_global x cols]; this rank writes rows [row_offset, row_offset + rows_local) */
void emg_h5_write_rows(hid_t loc, const char *name, hid_t type, int64_t rows_global, int64_t cols,
                       int64_t row_offset, int64_t rows_local, const void *data, MPI_Comm comm);
/* read [offset, offset+n) of a 1-D dataset (independent I/O; any rank, any slice) */
void emg_h5_read_1d(hid_t loc, const char *name, hid_t type, int64_t offset, int64_t n, void *out);
/* number of elements along dimension 0 of a dataset (-1 if absent) */
int64_t emg_h5_len(hid_t loc, const char *name);

/* exclusive prefix sum of a per-rank count: returns this rank's offset, total in *global */
int64_t emg_prefix_offset(int64_t local, MPI_Comm comm, int64_t *global);

/* a ragged string column written collectively: this rank's n_local strings are rows
 * [prefix, prefix + n_local) of the column; datasets <base>_chars (uint8, no terminators) and
 * <base>_offset (int64, n_global + 1 entries), as documented in the schemas */
void emg_h5_write_ragged(hid_t loc, const char *base, const char *const *strs, int64_t n_local, MPI_Comm comm);
/* read string i of a ragged column (malloc'd, NUL-terminated) */
char *emg_h5_read_ragged(hid_t loc, const char *base, int64_t i);
