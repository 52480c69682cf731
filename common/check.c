/* check.c: the slow paths behind check.h. */
#define _GNU_SOURCE
#include "check.h"
#include "status.h"

#include <archive.h>
#include <errno.h>
#include <hdf5.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#if !defined(H5_HAVE_PARALLEL)
#error "emogen needs parallel HDF5 (Debian: libhdf5-openmpi-dev)"
#endif

static int current_rank(void) {
    int init = 0, fin = 0, rank = -1;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    if (init && !fin) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

_Noreturn static void stop_all(void) {
    int init = 0, fin = 0;
    fflush(stdout);
    fflush(stderr);
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    if (init && !fin) MPI_Abort(MPI_COMM_WORLD, 1);
    exit(1);
}

_Noreturn void emg_die(const char *file, int line, const char *call, const char *reason) {
    int rank = current_rank();
    if (rank >= 0)
        fprintf(stderr, "emogen: fatal [rank %d] %s:%d: %s failed: %s\n", rank, file, line, call, reason);
    else
        fprintf(stderr, "emogen: fatal %s:%d: %s failed: %s\n", file, line, call, reason);
    stop_all();
}

_Noreturn void emg_dief(const char *file, int line, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int rank = current_rank();
    if (rank >= 0)
        fprintf(stderr, "emogen: fatal [rank %d] %s:%d: %s\n", rank, file, line, msg);
    else
        fprintf(stderr, "emogen: fatal %s:%d: %s\n", file, line, msg);
    stop_all();
}

const char *emg_errno_str(void) { return errno ? strerror(errno) : "unknown reason (errno 0)"; }

void *emg_check_ptr(void *p, const char *file, int line, const char *call) {
    if (!p) emg_die(file, line, call, emg_errno_str());
    return p;
}

int emg_check_mpi(int rc, const char *file, int line, const char *call) {
    if (rc != MPI_SUCCESS) {
        char s[MPI_MAX_ERROR_STRING];
        int len = 0;
        if (MPI_Error_string(rc, s, &len) != MPI_SUCCESS) snprintf(s, sizeof s, "MPI error %d", rc);
        emg_die(file, line, call, s);
    }
    return rc;
}

/* H5Ewalk callback: remember the innermost (first) error's description */
static herr_t h5_first_error(unsigned n, const H5E_error2_t *e, void *data) {
    char *out = data;
    if (n == 0) snprintf(out, 512, "%s (in %s)", e->desc ? e->desc : "?", e->func_name ? e->func_name : "?");
    return 0;
}

int64_t emg_check_h5(int64_t rc, const char *file, int line, const char *call) {
    if (rc < 0) {
        char reason[512] = "HDF5 reported an error with no description";
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, h5_first_error, reason);
        emg_die(file, line, call, reason);
    }
    return rc;
}

int emg_check_ar(struct archive *a, int rc, const char *file, int line, const char *call) {
    if (rc < ARCHIVE_WARN) {
        const char *s = archive_error_string(a);
        emg_die(file, line, call, s ? s : "libarchive error with no message");
    }
    return rc;
}

void *emg_xmalloc(size_t n, const char *file, int line) {
    void *p = malloc(n ? n : 1);
    if (!p) emg_dief(file, line, "out of memory allocating %zu bytes", n);
    return p;
}

void *emg_xcalloc(size_t n, size_t sz, const char *file, int line) {
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) emg_dief(file, line, "out of memory allocating %zu x %zu bytes", n, sz);
    return p;
}

void *emg_xrealloc(void *p, size_t n, const char *file, int line) {
    void *q = realloc(p, n ? n : 1);
    if (!q) emg_dief(file, line, "out of memory reallocating to %zu bytes", n);
    return q;
}

void emg_h5_quiet_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

emg_status emg_statusf(int code, const char *fmt, ...) {
    emg_status s;
    s.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s.msg, sizeof s.msg, fmt, ap);
    va_end(ap);
    return s;
}
