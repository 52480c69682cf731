/* status.h: recoverable errors. Functions that read untrusted input return an emg_status
 * instead of dying: code 0 is success; otherwise msg says what and where (byte offset,
 * member name, ...) so the caller can name the file and move on to the next one. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

typedef struct emg_status {
    int code;       /* 0 = ok; otherwise a module-specific error code (enum in that module) */
    char msg[256];  /* human-readable reason, without the file name (the caller adds it) */
} emg_status;

static inline emg_status emg_ok(void) { emg_status s = {0, {0}}; return s; }
emg_status emg_statusf(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
