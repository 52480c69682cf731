/* strbuf.c: see strbuf.h. */
#include "strbuf.h"
#include "check.h"

#include <stdarg.h>
#include <stdio.h>

emg_strbuf emg_strbuf_new(void) {
    emg_strbuf b = {xmalloc(4096), 0, 4096};
    b.p[0] = 0;
    return b;
}

void emg_strbuf_printf(emg_strbuf *b, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int w = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (w >= 0 && (size_t)w < b->cap - b->n) { b->n += (size_t)w; return; }
        if (w < 0) FAIL("vsnprintf failed for format \"%s\"", fmt);
        b->cap = 2 * b->cap + (size_t)w + 256;
        b->p = xrealloc(b->p, b->cap);
    }
}
