/* cli.c: shared command-line helpers. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

int emg_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "emogen %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'emogen %s --help'.\n", cmd);
    return 2;
}

void emg_getopt_reset(void) {
    optind = 1;  /* getopt's own state lives in libc; reset it for each command's argv */
    opterr = 0;  /* we print our own message for unknown flags */
}
