/* rng.c: Philox4x32-10, checked against Random123's known-answer vectors in tests/unit/test_rng.c. */
#include "rng.h"

#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u  /* golden ratio */
#define PHILOX_W1 0xBB67AE85u  /* sqrt(3) - 1 */

emg_u32x4 emg_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2]) {
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
        uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
        uint32_t n1 = (uint32_t)p1;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        uint32_t n3 = (uint32_t)p0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    emg_u32x4 out = {{c0, c1, c2, c3}};
    return out;
}

emg_u32x4 emg_rng_block(uint64_t seed, uint64_t stream, uint64_t index) {
    uint32_t ctr[4] = {(uint32_t)index, (uint32_t)(index >> 32), (uint32_t)stream, (uint32_t)(stream >> 32)};
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    return emg_philox4x32_10(ctr, key);
}

uint64_t emg_rng_u64(uint64_t seed, uint64_t stream, uint64_t index) {
    emg_u32x4 b = emg_rng_block(seed, stream, index);
    return ((uint64_t)b.v[0] << 32) | b.v[1];
}

double emg_rng_uniform(uint64_t seed, uint64_t stream, uint64_t index) {
    return (double)(emg_rng_u64(seed, stream, index) >> 11) * 0x1.0p-53;
}

uint64_t emg_rng_below(uint64_t seed, uint64_t stream, uint64_t index, uint64_t n) {
    /* Lemire's multiply-shift with rejection; a rejected draw moves to a sub-counter of the
     * same (stream, index) so the result still depends on nothing but its arguments */
    emg_u32x4 b = emg_rng_block(seed, stream, index);
    uint64_t x = ((uint64_t)b.v[0] << 32) | b.v[1];
    for (uint32_t retry = 0;; retry++) {
        __uint128_t m = (__uint128_t)x * n;
        uint64_t lo = (uint64_t)m;
        if (lo >= n || lo >= (-n) % n) return (uint64_t)(m >> 64);
        b = emg_rng_block(seed ^ 0x5bd1e995u, stream, index ^ ((uint64_t)(retry + 1) << 48));
        x = ((uint64_t)b.v[0] << 32) | b.v[1];
    }
}

double emg_rng_normal(uint64_t seed, uint64_t stream, uint64_t index) {
    emg_u32x4 b = emg_rng_block(seed, stream, index);
    uint64_t a = ((uint64_t)b.v[0] << 32) | b.v[1];
    uint64_t c = ((uint64_t)b.v[2] << 32) | b.v[3];
    double u1 = ((double)(a >> 11) + 0.5) * 0x1.0p-53;  /* (0, 1): log never sees 0 */
    double u2 = (double)(c >> 11) * 0x1.0p-53;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2)  /* 2 pi */;
}
