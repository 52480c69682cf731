/* jsym_fp.c: exact emulation of repeated floating-point addition (see jsym_fp.h). */
#include "jsym_fp.h"

#include <float.h>
#include <math.h>

#define TWO53 9007199254740992.0

/* Core: up to nmax additions of x to *acc, stopping once *acc >= target (checked before each
 * addition, like a while loop). Works for any inputs; the fast path needs x > 0, acc >= 0. */
static int64_t add_loop(double *accp, double x, int64_t nmax, double target) {
    double acc = *accp;
    int64_t k = 0;
    if (nmax <= 0) return 0;
    if (!(x > 0) || !isfinite(x) || !(acc >= 0) || !isfinite(acc)) {
        /* rare paths: x == 0 or non-finite values; a handful of iterations settle them */
        while (k < nmax && acc < target) {
            double next = acc + x;
            k++;
            if (next == acc || isnan(next)) { acc = next; if (acc < target) k = nmax; break; }
            acc = next;
            if (k > 64 && !(x > 0)) { /* x < 0 never occurs in jSymbolic's sums; stay exact but bounded */
                while (k < nmax && acc < target) { acc += x; k++; }
                break;
            }
        }
        *accp = acc;
        return k;
    }
    double last_delta = -1.0;
    int last_exp = INT32_MIN;
    while (k < nmax && acc < target) {
        double next = acc + x;
        if (next == acc) {  /* x is lost in the rounding: every further addition is a no-op */
            k = nmax;
            break;
        }
        int e_acc = acc >= DBL_MIN ? ilogb(acc) : INT32_MIN;
        int e_next = ilogb(next);
        double delta = next - acc;  /* exact: both on the grid of next's binade */
        if (e_acc == e_next && e_next == last_exp && delta == last_delta && next < DBL_MAX / 4) {
            /* steady state inside binade e: every step adds delta exactly; jump */
            double u = ldexp(1.0, e_next - 52);
            int64_t m = (int64_t)(acc / u);   /* exact integers below 2^53 */
            int64_t d = (int64_t)(delta / u);
            int64_t room = ((int64_t)TWO53 - 1 - m) / d - 1;  /* steps that stay safely inside */
            int64_t want = nmax - k;
            if (target < ldexp(1.0, e_next + 1)) {
                int64_t t = (int64_t)(target / u);  /* target >= acc >= 2^e: an integer on this grid */
                int64_t need = (t - m + d - 1) / d; /* additions until acc >= target */
                if (need < want) want = need;
            }
            if (room > 0) {
                int64_t j = want < room ? want : room;
                acc = (double)(m + j * d) * u;
                k += j;
                continue;
            }
        }
        last_delta = delta;
        last_exp = e_acc == e_next ? e_next : INT32_MIN;
        acc = next;
        k++;
    }
    *accp = acc;
    return k;
}

double jsym_fp_repeat_add(double acc, double x, int64_t n) {
    if (n <= 64) {  /* short runs: the plain loop is cheaper than the binade analysis */
        for (int64_t i = 0; i < n; i++) acc += x;
        return acc;
    }
    add_loop(&acc, x, n, INFINITY);
    return acc;
}

int64_t jsym_fp_add_until(double *acc, double x, int64_t nmax, double target) {
    return add_loop(acc, x, nmax, target);
}
