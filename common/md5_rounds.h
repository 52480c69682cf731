/* md5_rounds.h (internal to md5.c and md5_many.c): the 64 steps of one MD5 block, RFC 1321
 * section 3.4, written once for both users: md5.c runs them on uint32_t (one chain), md5_many.c
 * on vectors of eight uint32_t lanes (eight independent chains). a, b, c, d are updated in place;
 * m[16] holds the block's little-endian words; rotation counts are constants, so the compiler
 * emits plain rotates for either type. */
#pragma once
#include <stdint.h>

/* sine-derived constants */
static const uint32_t MD5_K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static const uint32_t MD5_INIT[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

#define MD5_ROTL(x, s) (((x) << (s)) | ((x) >> (32 - (s))))
#define MD5_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD5_G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))
#define MD5_STEP(f, a, b, c, d, x, k, s) do { a += f(b, c, d) + (x) + (k); a = MD5_ROTL(a, s) + b; } while (0)

/* the four rounds, unrolled by four so that everything stays in registers */
#define MD5_ROUNDS(a, b, c, d, m) do {                                                 \
    for (int i_ = 0; i_ < 16; i_ += 4) {                                               \
        MD5_STEP(MD5_F, a, b, c, d, m[i_], MD5_K[i_], 7);                              \
        MD5_STEP(MD5_F, d, a, b, c, m[i_ + 1], MD5_K[i_ + 1], 12);                     \
        MD5_STEP(MD5_F, c, d, a, b, m[i_ + 2], MD5_K[i_ + 2], 17);                     \
        MD5_STEP(MD5_F, b, c, d, a, m[i_ + 3], MD5_K[i_ + 3], 22);                     \
    }                                                                                  \
    for (int i_ = 16; i_ < 32; i_ += 4) {                                              \
        MD5_STEP(MD5_G, a, b, c, d, m[(5 * i_ + 1) & 15], MD5_K[i_], 5);               \
        MD5_STEP(MD5_G, d, a, b, c, m[(5 * i_ + 6) & 15], MD5_K[i_ + 1], 9);           \
        MD5_STEP(MD5_G, c, d, a, b, m[(5 * i_ + 11) & 15], MD5_K[i_ + 2], 14);         \
        MD5_STEP(MD5_G, b, c, d, a, m[(5 * i_ + 16) & 15], MD5_K[i_ + 3], 20);         \
    }                                                                                  \
    for (int i_ = 32; i_ < 48; i_ += 4) {                                              \
        MD5_STEP(MD5_H, a, b, c, d, m[(3 * i_ + 5) & 15], MD5_K[i_], 4);               \
        MD5_STEP(MD5_H, d, a, b, c, m[(3 * i_ + 8) & 15], MD5_K[i_ + 1], 11);          \
        MD5_STEP(MD5_H, c, d, a, b, m[(3 * i_ + 11) & 15], MD5_K[i_ + 2], 16);         \
        MD5_STEP(MD5_H, b, c, d, a, m[(3 * i_ + 14) & 15], MD5_K[i_ + 3], 23);         \
    }                                                                                  \
    for (int i_ = 48; i_ < 64; i_ += 4) {                                              \
        MD5_STEP(MD5_I, a, b, c, d, m[(7 * i_) & 15], MD5_K[i_], 6);                   \
        MD5_STEP(MD5_I, d, a, b, c, m[(7 * i_ + 7) & 15], MD5_K[i_ + 1], 10);          \
        MD5_STEP(MD5_I, c, d, a, b, m[(7 * i_ + 14) & 15], MD5_K[i_ + 2], 15);         \
        MD5_STEP(MD5_I, b, c, d, a, m[(7 * i_ + 21) & 15], MD5_K[i_ + 3], 21);         \
    }                                                                                  \
} while (0)
