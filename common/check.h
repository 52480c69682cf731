/* check.h: checked calls. A failing library call is never silent: the macros below report
 * file, line, the call's text, the library's own reason and the MPI rank, then stop every
 * rank (MPI_Abort when MPI is up, exit(1) otherwise).
 *
 * These are for failures the program cannot recover from (out of memory, a write that fails,
 * a broken MPI). Bad *input* (a corrupt MIDI file, a broken archive member) is not fatal:
 * such functions return an emg_status and the run goes on (see status.h).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct archive;

_Noreturn void emg_die(const char *file, int line, const char *call, const char *reason);
_Noreturn void emg_dief(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* int-returning C calls that report through errno: open, close, rename, fsync, ... (< 0 fails) */
#define CHECK_C(expr) \
    do { if ((expr) < 0) emg_die(__FILE__, __LINE__, #expr, emg_errno_str()); } while (0)
/* pointer-returning C calls: fopen, malloc, ... (NULL fails) */
#define CHECK_PTR(expr) emg_check_ptr((expr), __FILE__, __LINE__, #expr)
/* MPI calls (anything but MPI_SUCCESS fails, with MPI_Error_string's text) */
#define CHECK_MPI(expr) emg_check_mpi((expr), __FILE__, __LINE__, #expr)
/* HDF5 calls: hid_t or herr_t, negative fails, with the innermost message of HDF5's error stack */
#define CHECK_H5(expr) ((int64_t)emg_check_h5((int64_t)(expr), __FILE__, __LINE__, #expr))
/* libarchive calls on archive a: anything below ARCHIVE_WARN fails, with archive_error_string */
#define CHECK_AR(a, expr) emg_check_ar((a), (expr), __FILE__, __LINE__, #expr)
/* fwrite/fread of n items */
#define CHECK_IO(expr, n) \
    do { if ((size_t)(expr) != (size_t)(n)) emg_die(__FILE__, __LINE__, #expr, emg_errno_str()); } while (0)
#define FAIL(...) emg_dief(__FILE__, __LINE__, __VA_ARGS__)

/* allocation that never returns NULL (dies with file and line) */
#define xmalloc(n) emg_xmalloc((n), __FILE__, __LINE__)
#define xcalloc(n, sz) emg_xcalloc((n), (sz), __FILE__, __LINE__)
#define xrealloc(p, n) emg_xrealloc((p), (n), __FILE__, __LINE__)

const char *emg_errno_str(void);
void *emg_check_ptr(void *p, const char *file, int line, const char *call);
int emg_check_mpi(int rc, const char *file, int line, const char *call);
int64_t emg_check_h5(int64_t rc, const char *file, int line, const char *call);
int emg_check_ar(struct archive *a, int rc, const char *file, int line, const char *call);
void *emg_xmalloc(size_t n, const char *file, int line);
void *emg_xcalloc(size_t n, size_t sz, const char *file, int line);
void *emg_xrealloc(void *p, size_t n, const char *file, int line);
/* HDF5 prints its own error stack by default; we print ours. Call once at start-up. */
void emg_h5_quiet_errors(void);
