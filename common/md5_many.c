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
#include "md5_rounds.h"

#include <string.h>

#define LANES 8
typedef uint32_t v8u __attribute__((vector_size(4 * LANES)));

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
        A[l] = MD5_INIT[0]; B[l] = MD5_INIT[1]; C[l] = MD5_INIT[2]; D[l] = MD5_INIT[3];
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
        MD5_ROUNDS(a, b, c, d, M);
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
            A[l] = MD5_INIT[0]; B[l] = MD5_INIT[1]; C[l] = MD5_INIT[2]; D[l] = MD5_INIT[3];
        }
    }
}
