/* test_rng.c: Philox4x32-10 known answers (Random123's kat_vectors), and the counter-based
 * property: a value depends only on (seed, stream, index), never on draw order. */
#include "rng.h"
#include "test_util.h"

int main(void) {
    /* Random123 kat_vectors for philox4x32_10 */
    uint32_t c0[4] = {0, 0, 0, 0}, k0[2] = {0, 0};
    emg_u32x4 r = emg_philox4x32_10(c0, k0);
    CHECK_EQ_INT(r.v[0], 0x6627e8d5u); CHECK_EQ_INT(r.v[1], 0xe169c58du);
    CHECK_EQ_INT(r.v[2], 0xbc57ac4cu); CHECK_EQ_INT(r.v[3], 0x9b00dbd8u);
    uint32_t c1[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, k1[2] = {0xffffffffu, 0xffffffffu};
    r = emg_philox4x32_10(c1, k1);
    CHECK_EQ_INT(r.v[0], 0x408f276du); CHECK_EQ_INT(r.v[1], 0x41c83b0eu);
    CHECK_EQ_INT(r.v[2], 0xa20bc7c6u); CHECK_EQ_INT(r.v[3], 0x6d5451fdu);
    uint32_t c2[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, k2[2] = {0xa4093822u, 0x299f31d0u};
    r = emg_philox4x32_10(c2, k2);
    CHECK_EQ_INT(r.v[0], 0xd16cfe09u); CHECK_EQ_INT(r.v[1], 0x94fdccebu);
    CHECK_EQ_INT(r.v[2], 0x5001e420u); CHECK_EQ_INT(r.v[3], 0x24126ea1u);

    /* order independence: draw 1000 values forwards and backwards */
    double fwd[1000];
    for (int i = 0; i < 1000; i++) fwd[i] = emg_rng_uniform(42, 7, (uint64_t)i);
    int same = 1;
    for (int i = 999; i >= 0; i--) same &= fwd[i] == emg_rng_uniform(42, 7, (uint64_t)i);
    CHECK(same);
    /* different streams and seeds differ */
    CHECK(emg_rng_u64(42, 7, 0) != emg_rng_u64(42, 8, 0));
    CHECK(emg_rng_u64(42, 7, 0) != emg_rng_u64(43, 7, 0));

    /* the cursor is the same function */
    emg_rng cur = emg_rng_make(42, 7);
    int cursor_same = 1;
    for (int i = 0; i < 100; i++) cursor_same &= emg_rng_next_uniform(&cur) == fwd[i];
    CHECK(cursor_same);

    /* distribution sanity: uniform mean/variance, range, normal moments, bounded ints */
    double sum = 0, sum2 = 0, mn = 1, mx = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double u = emg_rng_uniform(1, 2, (uint64_t)i);
        sum += u; sum2 += u * u;
        if (u < mn) mn = u;
        if (u > mx) mx = u;
    }
    CHECK(mn >= 0.0 && mx < 1.0);
    CHECK_NEAR(sum / n, 0.5, 0.005);
    CHECK_NEAR(sum2 / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
    double ns = 0, ns2 = 0;
    for (int i = 0; i < n; i++) {
        double z = emg_rng_normal(3, 4, (uint64_t)i);
        ns += z; ns2 += z * z;
    }
    CHECK_NEAR(ns / n, 0.0, 0.01);
    CHECK_NEAR(ns2 / n, 1.0, 0.02);
    int counts[7] = {0}, in_range = 1;
    for (int i = 0; i < 70000; i++) {
        uint64_t k = emg_rng_below(5, 6, (uint64_t)i, 7);
        if (k >= 7) in_range = 0;
        else counts[k]++;
    }
    CHECK(in_range);
    for (int k = 0; k < 7; k++) CHECK_NEAR(counts[k], 10000, 500);
    return TEST_DONE();
}
