/* split.h: deterministic distribution of N items over P ranks.
 * Every rank computes the same answer from (n, nparts) alone, with no communication. */
#pragma once
#include <stdint.h>

/* contiguous blocks: part p gets [begin, end); the first n % nparts parts get one item more */
void emg_split_block(int64_t n, int nparts, int part, int64_t *begin, int64_t *end);

/* weighted: assign item i (weight w[i] >= 0, e.g. bytes) to owner[i] in [0, nparts) by the
 * longest-processing-time rule: items in decreasing weight (ties: lower index first) each go to the
 * currently lightest part (ties: lower part). Returns the heaviest part's load. O(n log n + n * nparts). */
int64_t emg_split_weighted(const int64_t *w, int64_t n, int nparts, int *owner);
