/* split.c: block and largest-first weighted splitting. */
#include "split.h"
#include "check.h"

#include <stdlib.h>

void emg_split_block(int64_t n, int nparts, int part, int64_t *begin, int64_t *end) {
    int64_t base = n / nparts, extra = n % nparts;
    *begin = part * base + (part < extra ? part : extra);
    *end = *begin + base + (part < extra ? 1 : 0);
}

typedef struct { int64_t w, i; } witem;

static int by_weight_desc(const void *a, const void *b) {
    const witem *x = a, *y = b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return x->i < y->i ? -1 : (x->i > y->i);
}

int64_t emg_split_weighted(const int64_t *w, int64_t n, int nparts, int *owner) {
    witem *items = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *items);
    int64_t *load = xcalloc((size_t)nparts, sizeof *load);
    for (int64_t i = 0; i < n; i++) items[i] = (witem){w[i], i};
    qsort(items, (size_t)n, sizeof *items, by_weight_desc);
    for (int64_t k = 0; k < n; k++) {
        int best = 0;
        for (int p = 1; p < nparts; p++)
            if (load[p] < load[best]) best = p;
        owner[items[k].i] = best;
        load[best] += items[k].w;
    }
    int64_t max = 0;
    for (int p = 0; p < nparts; p++)
        if (load[p] > max) max = load[p];
    free(items);
    free(load);
    return max;
}
