/* test_split.c: block and weighted splitting cover every item exactly once, deterministically. */
#include "split.h"
#include "test_util.h"

int main(void) {
    for (int64_t n = 0; n < 50; n++) {
        for (int p = 1; p <= 8; p++) {
            int64_t expect = 0, maxsz = 0, minsz = n + 1;
            for (int part = 0; part < p; part++) {
                int64_t b, e;
                emg_split_block(n, p, part, &b, &e);
                if (b != expect) { CHECK_EQ_INT(b, expect); }
                expect = e;
                if (e - b > maxsz) maxsz = e - b;
                if (e - b < minsz) minsz = e - b;
            }
            CHECK_EQ_INT(expect, n);          /* blocks tile [0, n) */
            CHECK(maxsz - minsz <= 1);        /* balanced */
        }
    }
    /* weighted: every item owned, load balanced (LPT bound: max <= total/p + max item) */
    int64_t w[100];
    int owner[100], owner2[100];
    int64_t total = 0, wmax = 0;
    for (int i = 0; i < 100; i++) {
        w[i] = (i * 7919) % 1000 + 1;
        total += w[i];
        if (w[i] > wmax) wmax = w[i];
    }
    for (int p = 1; p <= 4; p++) {
        int64_t heaviest = emg_split_weighted(w, 100, p, owner);
        int64_t load[4] = {0};
        int ok = 1;
        for (int i = 0; i < 100; i++) {
            if (owner[i] < 0 || owner[i] >= p) ok = 0;
            else load[owner[i]] += w[i];
        }
        CHECK(ok);
        int64_t sum = 0, mx = 0;
        for (int k = 0; k < p; k++) { sum += load[k]; if (load[k] > mx) mx = load[k]; }
        CHECK_EQ_INT(sum, total);
        CHECK_EQ_INT(mx, heaviest);
        CHECK(heaviest <= total / p + wmax);
        emg_split_weighted(w, 100, p, owner2);  /* same input, same answer */
        CHECK(memcmp(owner, owner2, sizeof owner) == 0);
    }
    /* largest item goes first to part 0 */
    int64_t w3[3] = {1, 10, 5};
    int o3[3];
    emg_split_weighted(w3, 3, 2, o3);
    CHECK_EQ_INT(o3[1], 0);
    CHECK_EQ_INT(o3[2], 1);
    CHECK_EQ_INT(o3[0], 1);
    return TEST_DONE();
}
