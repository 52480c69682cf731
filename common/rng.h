/* rng.h: a counter-based random generator: every value is a pure function f(seed, stream, index).
 *
 * Philox4x32-10 (Salmon et al., SC'11, Random123) with key = seed and counter = (index, stream).
 * Nothing is carried between calls, so a value never depends on how many ranks or threads drew
 * before it: a dropout mask of step s, layer l, element i is f(seed, stream(s, l), i) on any rank.
 * Streams are chosen by the caller (tree index, piece index, step, ...) from GLOBAL indices,
 * never from rank or thread ids.
 */
#pragma once
#include <stdint.h>

typedef struct { uint32_t v[4]; } emg_u32x4;

/* the raw block cipher: 4 x 32 random bits for counter ctr[4] and key key[2] */
emg_u32x4 emg_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2]);

/* 128 random bits for (seed, stream, index) */
emg_u32x4 emg_rng_block(uint64_t seed, uint64_t stream, uint64_t index);
/* 64 random bits */
uint64_t emg_rng_u64(uint64_t seed, uint64_t stream, uint64_t index);
/* uniform double in [0, 1) with 53 random bits */
double emg_rng_uniform(uint64_t seed, uint64_t stream, uint64_t index);
/* uniform integer in [0, n), n > 0, without modulo bias */
uint64_t emg_rng_below(uint64_t seed, uint64_t stream, uint64_t index, uint64_t n);
/* standard normal (Box-Muller on the two 64-bit halves of one block) */
double emg_rng_normal(uint64_t seed, uint64_t stream, uint64_t index);

/* A cursor over one stream for code that draws a variable number of values (a tree's bootstrap
 * and feature sampling). Its state is (seed, stream, next index): deterministic, and can be
 * saved in a checkpoint and resumed. */
typedef struct { uint64_t seed, stream, index; } emg_rng;
static inline emg_rng emg_rng_make(uint64_t seed, uint64_t stream) { emg_rng r = {seed, stream, 0}; return r; }
static inline uint64_t emg_rng_next_u64(emg_rng *r) { return emg_rng_u64(r->seed, r->stream, r->index++); }
static inline double emg_rng_next_uniform(emg_rng *r) { return emg_rng_uniform(r->seed, r->stream, r->index++); }
static inline uint64_t emg_rng_next_below(emg_rng *r, uint64_t n) {
    return emg_rng_below(r->seed, r->stream, r->index++, n);
}
