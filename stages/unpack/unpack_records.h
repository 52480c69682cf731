/* unpack_records.h: what one rank learns about the members it read, packed so that every rank
 * can gather everybody's records (MPI_Allgatherv of bytes) and compute the same global order,
 * duplicate decisions and write offsets without a coordinator. */
#pragma once
#include <stddef.h>
#include <stdint.h>

enum { REC_MIDI = 0, REC_REJECT = 1, REC_CONTAINER_REJECT = 2 };

typedef struct unpack_rec {
    int kind;            /* REC_* */
    int32_t input;       /* index into the run's input table */
    int64_t entry;       /* top-level entry index inside the input (archive entry or folder file) */
    int32_t sub;         /* order among callbacks for the same entry (nested archives) */
    int32_t warnings;    /* MIDI reader's lenient repairs */
    int64_t len;         /* bytes of the member */
    int64_t mtime;
    uint8_t md5[16];
    const char *path;    /* member path (points into the gathered buffer) */
    const char *reason;  /* reject reason code, "" for MIDI */
    const char *detail;  /* reject detail, "" for MIDI */
    int owner;           /* rank holding the bytes (REC_MIDI) */
    int64_t local_off;   /* offset of the bytes in the owner's buffer */
} unpack_rec;

/* a growable byte buffer */
typedef struct { uint8_t *p; size_t n, cap; } ubuf;
void ubuf_put(ubuf *b, const void *data, size_t n);
void ubuf_free(ubuf *b);

/* append one record to a packed buffer; returns where its md5 lies in b (to fill in later) */
size_t rec_pack(ubuf *b, const unpack_rec *r);
/* parse a packed buffer produced by rec_pack on rank `owner`; returns records appended to *out */
size_t rec_unpack(const uint8_t *p, size_t n, int owner, unpack_rec **out, size_t *nout, size_t *cap);
/* order: (input, entry, sub) */
int rec_cmp(const void *a, const void *b);
