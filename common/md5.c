/* md5.c: RFC 1321, little-endian words; checked against the RFC's test suite in test_md5.c. */
#include "md5.h"
#include "md5_rounds.h"

#include <string.h>

/* one 64-byte block (the steps are in md5_rounds.h, shared with the multi-buffer md5_many.c).
 * GCC's scheduling for this machine's own CPU (-march=native implies -mtune=native) makes this
 * 64-step dependency chain 25% slower (600 vs 770 MB/s, bench_md5) than its generic tuning. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target("tune=generic")))
#endif
static void block(emg_md5_ctx *c, const uint8_t *p) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = c->a, b = c->b, cc = c->c, d = c->d;
    MD5_ROUNDS(a, b, cc, d, m);
    c->a += a; c->b += b; c->c += cc; c->d += d;
}

void emg_md5_init(emg_md5_ctx *c) {
    c->a = MD5_INIT[0]; c->b = MD5_INIT[1]; c->c = MD5_INIT[2]; c->d = MD5_INIT[3];
    c->len = 0;
    c->nbuf = 0;
}

void emg_md5_update(emg_md5_ctx *c, const void *data, size_t n) {
    const uint8_t *p = data;
    c->len += n;
    if (c->nbuf) {
        size_t take = 64 - c->nbuf < n ? 64 - c->nbuf : n;
        memcpy(c->buf + c->nbuf, p, take);
        c->nbuf += take; p += take; n -= take;
        if (c->nbuf == 64) { block(c, c->buf); c->nbuf = 0; }
    }
    for (; n >= 64; p += 64, n -= 64) block(c, p);
    if (n) { memcpy(c->buf, p, n); c->nbuf = n; }
}

void emg_md5_final(emg_md5_ctx *c, uint8_t digest[16]) {
    uint64_t bits = c->len * 8;
    uint8_t pad[72] = {0x80};
    size_t padlen = (c->nbuf < 56 ? 56 : 120) - c->nbuf;
    uint8_t lenb[8];
    for (int i = 0; i < 8; i++) lenb[i] = (uint8_t)(bits >> (8 * i));
    emg_md5_update(c, pad, padlen);
    emg_md5_update(c, lenb, 8);
    uint32_t w[4] = {c->a, c->b, c->c, c->d};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) digest[4 * i + j] = (uint8_t)(w[i] >> (8 * j));
}

void emg_md5(const void *data, size_t n, uint8_t digest[16]) {
    emg_md5_ctx c;
    emg_md5_init(&c);
    emg_md5_update(&c, data, n);
    emg_md5_final(&c, digest);
}

void emg_md5_hex(const uint8_t digest[16], char out[33]) {
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) { out[2 * i] = hex[digest[i] >> 4]; out[2 * i + 1] = hex[digest[i] & 15]; }
    out[32] = 0;
}
