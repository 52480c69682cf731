/* corpus_read.h: reading the training corpus written by `emogen extract` (format "emogen.corpus",
 * layout in schemas/corpus.md). The per-piece and per-segment tables are loaded into memory; the
 * big arrays (features, tokens) are read on demand, by rows. */
#pragma once
#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#define EMG_CORPUS_FORMAT "emogen.corpus"
#define EMG_CORPUS_VERSION 1

typedef struct emg_corpus {
    hid_t file;
    char path[4096];
    int64_t n_pieces, n_segments, n_tokens, max_tokens;
    /* pieces */
    int8_t *label;            /* -1 or 0..3 */
    char **group, **member;   /* group "" when none */
    uint8_t (*md5)[16];
    int64_t *n_tok, *tok_off, *seg_off, *seg_cnt;
    int32_t *features_ok;
    /* segments */
    int64_t *seg_piece, *seg_begin, *seg_end;
    int32_t *seg_valid;
} emg_corpus;

/* open read-only (serial, any rank may call it) and load the tables; 0 or -1 with err */
int emg_corpus_open(emg_corpus *c, const char *path, char *err, size_t errlen);
void emg_corpus_close(emg_corpus *c);
/* rows[0..n) of "pieces/features" or "segments/features" into out[n][1495] */
void emg_corpus_read_feature_rows(const emg_corpus *c, const char *dataset, const int64_t *rows, int64_t n, double *out);
/* tokens [offset, offset + n) of /tokens/ids */
void emg_corpus_read_tokens(const emg_corpus *c, int64_t offset, int64_t n, uint16_t *out);
