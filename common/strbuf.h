/* strbuf.h: a growable text buffer with printf-style appends, for documents built in memory
 * (SVG charts and piano rolls). The text is always NUL-terminated. */
#pragma once
#include <stddef.h>

typedef struct { char *p; size_t n, cap; } emg_strbuf;

/* an empty buffer (owns a small allocation; free with free(b.p)) */
emg_strbuf emg_strbuf_new(void);
void emg_strbuf_printf(emg_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
