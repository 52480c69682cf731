/* md5_many.c: MD5 of many independent buffers at once (multi-buffer hashing).
 *
 * One MD5 is a chain of 64 dependent steps per 64-byte block: about 4.5 cycles per byte on any
 * CPU, however wide, which makes it the largest single cost of `unpack` after decompression.
 * The files of a corpus are independent, so eight of them are hashed side by side, one per
 * 32-bit lane of a vector (GCC/Clang vector extensions: SSE2 pairs, AVX2 or AVX-512 registers,
 * whatever the target has). A lane that finishes its buffer takes the next one; the last block(s)
 * of each buffer (padding and bit length, RFC 1321 section 3.1-3.2) are built in the lane's own
 * tail buffer. Checked against the scalar emg_md5 in test_md5.c. */
#include "md5.h"

#include <string.h>

#define LANES 8
typedef uint32_t v8u __attribute__((vector_size(4 * LANES)));

static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static const uint32_t INIT[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

#define ROTL(x, s) (((x) << (s)) | ((x) >> (32 - (s))))
#define F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))
#define STEP(f, a, b, c, d, x, k, s) do { a += f(b, c, d) + (x) + (k); a = ROTL(a, s) + b; } while (0)

typedef struct {
    size_t item;          /* buffer being hashed, or IDLE */
    size_t pos;           /* bytes of it consumed as whole blocks */
    int tail_blocks;      /* 0 while whole data blocks remain; then 1 or 2 padded blocks */
    int tail_next;
    uint8_t tail[128];
} lane;

#define IDLE ((size_t)-1)

/* the next 64-byte block of a lane's buffer (data in place, then the padded tail) */
static const uint8_t *next_block(lane *l, const uint8_t *data, size_t len) {
    if (!l->tail_blocks && l->pos + 64 <= len) {
        const uint8_t *p = data + l->pos;
        l->pos += 64;
        return p;
    }
    if (!l->tail_blocks) {
        size_t rem = len - l->pos;
        memset(l->tail, 0, sizeof l->tail);
        if (rem) memcpy(l->tail, data + l->pos, rem);
        l->tail[rem] = 0x80;
        int total = rem + 9 <= 64 ? 64 : 128;
        uint64_t bits = (uint64_t)len * 8;
        for (int i = 0; i < 8; i++) l->tail[total - 8 + i] = (uint8_t)(bits >> (8 * i));
        l->tail_blocks = total / 64;
        l->tail_next = 0;
    }
    return l->tail + 64 * l->tail_next++;
}

void emg_md5_many(const uint8_t *const *data, const size_t *len, size_t n, uint8_t (*digest)[16]) {
    lane ln[LANES];
    v8u A, B, C, D;
    static const uint8_t zero_block[64];
    size_t next = 0;
    int active = 0;
    for (int l = 0; l < LANES; l++) {
        ln[l].item = next < n ? next++ : IDLE;
        ln[l].pos = 0;
        ln[l].tail_blocks = 0;
        active += ln[l].item != IDLE;
        A[l] = INIT[0]; B[l] = INIT[1]; C[l] = INIT[2]; D[l] = INIT[3];
    }
    while (active) {
        /* transpose: word i of every lane's block into vector M[i] */
        uint32_t w[16][LANES];
        for (int l = 0; l < LANES; l++) {
            const uint8_t *blk = ln[l].item == IDLE ? zero_block : next_block(&ln[l], data[ln[l].item], len[ln[l].item]);
            for (int i = 0; i < 16; i++)
                w[i][l] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 | (uint32_t)blk[4 * i + 2] << 16 |
                          (uint32_t)blk[4 * i + 3] << 24;
        }
        v8u M[16];
        memcpy(M, w, sizeof M);
        v8u a = A, b = B, c = C, d = D;
        for (int i = 0; i < 16; i += 4) {
            STEP(F, a, b, c, d, M[i], K[i], 7);
            STEP(F, d, a, b, c, M[i + 1], K[i + 1], 12);
            STEP(F, c, d, a, b, M[i + 2], K[i + 2], 17);
            STEP(F, b, c, d, a, M[i + 3], K[i + 3], 22);
        }
        for (int i = 16; i < 32; i += 4) {
            STEP(G, a, b, c, d, M[(5 * i + 1) & 15], K[i], 5);
            STEP(G, d, a, b, c, M[(5 * i + 6) & 15], K[i + 1], 9);
            STEP(G, c, d, a, b, M[(5 * i + 11) & 15], K[i + 2], 14);
            STEP(G, b, c, d, a, M[(5 * i + 16) & 15], K[i + 3], 20);
        }
        for (int i = 32; i < 48; i += 4) {
            STEP(H, a, b, c, d, M[(3 * i + 5) & 15], K[i], 4);
            STEP(H, d, a, b, c, M[(3 * i + 8) & 15], K[i + 1], 11);
            STEP(H, c, d, a, b, M[(3 * i + 11) & 15], K[i + 2], 16);
            STEP(H, b, c, d, a, M[(3 * i + 14) & 15], K[i + 3], 23);
        }
        for (int i = 48; i < 64; i += 4) {
            STEP(I, a, b, c, d, M[(7 * i) & 15], K[i], 6);
            STEP(I, d, a, b, c, M[(7 * i + 7) & 15], K[i + 1], 10);
            STEP(I, c, d, a, b, M[(7 * i + 14) & 15], K[i + 2], 15);
            STEP(I, b, c, d, a, M[(7 * i + 21) & 15], K[i + 3], 21);
        }
        A += a; B += b; C += c; D += d;
        /* lanes whose last block this was: write the digest, take the next buffer */
        for (int l = 0; l < LANES; l++) {
            if (ln[l].item == IDLE || !ln[l].tail_blocks || ln[l].tail_next < ln[l].tail_blocks) continue;
            uint32_t s[4] = {A[l], B[l], C[l], D[l]};
            for (int j = 0; j < 16; j++) digest[ln[l].item][j] = (uint8_t)(s[j / 4] >> (8 * (j % 4)));
            ln[l].item = next < n ? next++ : IDLE;
            ln[l].pos = 0;
            ln[l].tail_blocks = 0;
            active -= ln[l].item == IDLE;
            A[l] = INIT[0]; B[l] = INIT[1]; C[l] = INIT[2]; D[l] = INIT[3];
        }
    }
}
