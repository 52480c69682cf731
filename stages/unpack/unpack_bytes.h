/* unpack_bytes.h: the accepted MIDI bytes one rank holds between reading and the write.
 *
 * They stay in memory up to a budget (config memory_budget_bytes); past it, the buffer is moved
 * to a spill file beside the store and memory starts again, so a rank's memory is bounded
 * whatever the corpus size. The spill file is unlinked as soon as it is created: it vanishes
 * with the process, even one that is killed. Offsets are per rank and never change: bytes
 * [0, spilled) are in the file, [spilled, spilled + mem.n) in memory; a file's bytes never
 * straddle the two (the buffer is moved only between files). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "unpack/unpack_records.h"

typedef struct unpack_bytes {
    ubuf mem;
    int64_t spilled;      /* bytes in the spill file */
    int64_t budget;       /* most bytes kept in memory */
    int fd;               /* spill file, -1 until needed */
    char dir[4096];       /* where the spill file goes */
} unpack_bytes;

void unpack_bytes_init(unpack_bytes *b, int64_t budget, const char *store_path);
/* offset of the next byte appended */
static inline int64_t unpack_bytes_end(const unpack_bytes *b) { return b->spilled + (int64_t)b->mem.n; }
/* append one file's bytes; returns its offset */
int64_t unpack_bytes_put(unpack_bytes *b, const void *data, size_t n);
/* 1 if the memory part is over budget: the caller hashes what is pending, then calls spill */
static inline int unpack_bytes_full(const unpack_bytes *b) { return (int64_t)b->mem.n >= b->budget; }
void unpack_bytes_spill(unpack_bytes *b);
/* pointer to bytes [off, off + n) when they are in memory, else NULL */
const uint8_t *unpack_bytes_at(const unpack_bytes *b, int64_t off, size_t n);
/* copy bytes [off, off + n) into dst, from memory or the spill file */
void unpack_bytes_read(const unpack_bytes *b, int64_t off, size_t n, uint8_t *dst);
void unpack_bytes_free(unpack_bytes *b);
