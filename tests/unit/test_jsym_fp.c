/* test_jsym_fp.c: the jumped repeated-addition sums (jsym_fp.c) are bit-identical to plain loops,
 * including ties, binade crossings, targets hit exactly, increments lost in rounding, and the
 * tick durations jSymbolic actually sums (tempo / resolution / 1e6). Also Java Sound's clock. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "jsym_fp.h"
#include "jsym_seq.h"
#include "test_util.h"

static double naive_add(double acc, double x, int64_t n) {
    for (int64_t i = 0; i < n; i++) acc += x;
    return acc;
}
static int64_t naive_until(double *acc, double x, int64_t nmax, double target) {
    int64_t k = 0;
    while (k < nmax && *acc < target) { *acc += x; k++; }
    return k;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 7; rng_state ^= rng_state << 17;
    return rng_state;
}

int main(void) {
    /* tick durations as jSymbolic computes them: (mpq / ppq) / 1e6, and 1 / ticks-per-second */
    const int mpq[] = {500000, 600000, 468750, 333333, 1000000, 428571, 652173, 250000, 545454, 1};
    const int ppq[] = {96, 120, 192, 240, 384, 480, 960, 1024, 15360, 1, 7};
    int mismatches = 0, cases = 0;
    for (size_t a = 0; a < sizeof mpq / sizeof *mpq; a++)
        for (size_t b = 0; b < sizeof ppq / sizeof *ppq; b++) {
            double x = ((double)mpq[a] / (double)ppq[b]) / 1000000.0;
            for (int64_t n = 0; n < 300000; n = n * 3 + 1) {
                double acc0 = (rnd() % 4 == 0) ? (double)(rnd() % 1000) * 0.37 : 0.0;
                cases++;
                double fast = jsym_fp_repeat_add(acc0, x, n), slow = naive_add(acc0, x, n);
                if (fast != slow) mismatches++;
                /* until a target: exact windows of 8 quarter notes and random ones */
                double target = (rnd() % 2) ? 8.0 * x * ppq[b] : x * (double)(rnd() % 100000);
                double fa = acc0, sa = acc0;
                int64_t fk = jsym_fp_add_until(&fa, x, n, target), sk = naive_until(&sa, x, n, target);
                if (fa != sa || fk != sk) mismatches++;
            }
        }
    /* random increments, including exact ties (x with a last bit at half an ulp) */
    for (int i = 0; i < 2000; i++) {
        double x = ldexp((double)(rnd() % 4096 + 1), -(int)(rnd() % 40));
        if (i % 3 == 0) x = 1.0 + ldexp(1.0, -(int)(rnd() % 50 + 3));
        double acc0 = (double)(rnd() % 100);
        int64_t n = (int64_t)(rnd() % 200000);
        cases++;
        if (jsym_fp_repeat_add(acc0, x, n) != naive_add(acc0, x, n)) mismatches++;
    }
    /* increments lost in rounding, zero, NaN */
    CHECK_EQ_DBL(jsym_fp_repeat_add(1e17, 1.0, 1000000), naive_add(1e17, 1.0, 1000000));
    CHECK_EQ_DBL(jsym_fp_repeat_add(3.0, 0.0, 1000000), 3.0);
    CHECK(isnan(jsym_fp_repeat_add(3.0, NAN, 5)));
    double z = 0.0;
    CHECK_EQ_INT(jsym_fp_add_until(&z, 0.25, 100, 1.0), 4);
    CHECK_EQ_DBL(z, 1.0);
    printf("repeated-addition cases: %d, mismatches: %d\n", cases, mismatches);
    CHECK_EQ_INT(mismatches, 0);

    /* Java Sound's clock: fake 120 BPM start, truncation per segment, 32-bit accumulator */
    int64_t ticks[2] = {960, 1920};
    int32_t tempos[2] = {1000000, 333333};
    jsym_clock c;
    jsym_clock_init(&c, ticks, tempos, 2, 480);
    CHECK_EQ_INT(jsym_clock_us(&c, 480), 500000);
    CHECK_EQ_INT(jsym_clock_us(&c, 1920), 1000000 + 2000000);
    CHECK_EQ_INT(jsym_clock_us(&c, 1921), 3000000 + 694);  /* (long) (1 * 333333 / 480.0) */
    jsym_clock_free(&c);
    int64_t t0[1] = {0};
    int32_t m0[1] = {1000000};
    jsym_clock_init(&c, t0, m0, 1, 1);
    /* 3000 s in one segment: no wrap (the 32-bit sum only holds whole earlier segments) */
    CHECK_EQ_INT(jsym_clock_us(&c, 3000), 3000000000LL);
    jsym_clock_free(&c);
    int64_t t1[2] = {0, 2200};
    int32_t m1[2] = {1000000, 1000000};
    jsym_clock_init(&c, t1, m1, 2, 1);
    /* an earlier segment of 2200 s overflows Java's int snapshot: 2.2e9 - 2^32 */
    CHECK_EQ_INT(jsym_clock_us(&c, 2200), 2200000000LL - 4294967296LL);
    jsym_clock_free(&c);
    CHECK_EQ_INT(jsym_d2i(NAN), 0);
    CHECK_EQ_INT(jsym_d2i(1e300), INT32_MAX);
    CHECK_EQ_INT(jsym_d2i(-2.7), -2);
    return TEST_DONE();
}
