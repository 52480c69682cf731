/* smf_build.h: hand-built Standard MIDI Files for tests: event bytes written as hex text, tracks
 * wrapped in MThd/MTrk chunks. Shared by the jSymbolic tests (rules, windows, fixtures). */
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { unsigned char b[4096]; size_t n; } bytes;

static inline void put(bytes *o, const void *p, size_t n) {
    if (o->n + n > sizeof o->b) { fprintf(stderr, "smf_build: test file larger than %zu bytes\n", sizeof o->b); abort(); }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}
static inline void put_be(bytes *o, uint32_t v, int n) {
    unsigned char c[4];
    for (int i = 0; i < n; i++) c[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
    put(o, c, (size_t)n);
}
/* SMF with the given header fields and track bodies (each body: raw event bytes) */
static inline bytes smf(int format, int division, int ntracks, const bytes *tracks) {
    bytes o = {{0}, 0};
    put(&o, "MThd", 4);
    put_be(&o, 6, 4);
    put_be(&o, (uint32_t)format, 2);
    put_be(&o, (uint32_t)ntracks, 2);
    put_be(&o, (uint32_t)division, 2);
    for (int t = 0; t < ntracks; t++) {
        put(&o, "MTrk", 4);
        put_be(&o, (uint32_t)tracks[t].n, 4);
        put(&o, tracks[t].b, tracks[t].n);
    }
    return o;
}
/* bytes from hex text: "00 90 3C 40 ..." */
static inline bytes ev(const char *hex) {
    bytes o = {{0}, 0};
    for (const char *p = hex; *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        unsigned char c = (unsigned char)strtol(p, (char **)&p, 16);
        put(&o, &c, 1);
    }
    return o;
}
