/* jsym_fp.h: jSymbolic's tick-by-tick floating-point sums, without the tick-by-tick loop.
 *
 * jSymbolic adds the duration of every MIDI tick one at a time (`seconds += seconds_per_tick[t]`),
 * and some of its decisions (where the 8-quarter-note windows of Note Density per Quarter Note
 * Variability end, whether a one-tick window exists) depend on the rounding of those sums. Over a
 * stretch of constant tempo this is n additions of the same double x. Within one binade of the
 * running sum every addition rounds the same way (after at most one step that settles the parity
 * of a tie), so the sum moves by a constant step there and many additions can be taken at once.
 * The result is bit-identical to the plain loop, at a cost of a few steps per binade instead of
 * one per tick. */
#pragma once
#include <stdint.h>

/* acc + x + x + ... (n additions, each rounded), as `for (i = 0; i < n; i++) acc += x;` */
double jsym_fp_repeat_add(double acc, double x, int64_t n);

/* `while (k < nmax && *acc < target) { *acc += x; k++; }`: returns k, updates *acc */
int64_t jsym_fp_add_until(double *acc, double x, int64_t nmax, double target);
