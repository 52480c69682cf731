/* piece_extract.h: one piece of the corpus: MIDI bytes -> REMIGEN2 tokens, whole-piece jSymbolic
 * features of the original MIDI, and training segments (whole bars, at most max_tokens) each with
 * the jSymbolic features of the MIDI decoded from its own tokens (what EmoGen's attributes describe). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "jsym.h"
#include "remigen.h"

typedef struct piece_segment {
    int64_t begin, end;   /* token range [begin, end) in the piece's tokens */
    int32_t valid;        /* 1: features computed; 0: none (e.g. only empty bars), row is NaN */
} piece_segment;

typedef struct piece_result {
    int ok;                       /* 0: rejected (reason, detail) */
    char reason[32], detail[256];
    int32_t warnings;             /* MIDI reader repairs */
    int32_t whole_ok;             /* 1: whole-piece features computed */
    int32_t overlong_bars;        /* bars longer than max_tokens, cut at a position boundary */
    uint16_t *tokens;             /* full-vocabulary ids */
    int64_t n_tokens;
    double *whole;                /* [EMG_JSYM_NVALUES] (NaN where not computed) */
    piece_segment *seg;
    double *seg_features;         /* [n_seg][EMG_JSYM_NVALUES] */
    int64_t n_seg;
} piece_result;

/* scratch reused across pieces (no per-piece malloc of the big buffers) */
typedef struct piece_worker {
    emg_remi_encoder enc;
    emg_jsym_request req;
    int strict;
    int64_t max_tokens;
    int32_t *ids32;
    size_t ids32_cap;
} piece_worker;

void piece_worker_init(piece_worker *w, int64_t max_tokens, int strict);
void piece_worker_free(piece_worker *w);
/* process one piece; result owns its arrays (piece_result_free) */
void piece_process(piece_worker *w, const uint8_t *midi, size_t len, piece_result *out);
void piece_result_free(piece_result *r);
/* the segmentation rule, exposed for tests: whole bars from the end, at most max tokens each;
 * returns the number of segments written to seg (capacity n_tokens + 1) */
int64_t piece_segment_bars(const uint16_t *tok, int64_t n, int64_t max, piece_segment *seg, int32_t *overlong);
