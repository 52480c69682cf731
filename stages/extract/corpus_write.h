/* corpus_write.h: moving piece results to the rank that writes them, and writing the corpus file
 * (format "emogen.corpus", layout in schemas/corpus.md) collectively. */
#pragma once
#include <mpi.h>
#include <stdint.h>

#include "piece_extract.h"
#include "midi_store.h"

#define CORPUS_FORMAT "emogen.corpus"
#define CORPUS_VERSION 1

/* per-piece facts known on every rank before processing (from the store and the labels) */
typedef struct corpus_meta {
    int64_t n;
    const emg_midi_store *store;
    int8_t *label;      /* -1, or 0..3 for Q1..Q4 */
    char **group;       /* song id ("" when none) */
    int64_t unmatched_labels;
} corpus_meta;

void corpus_meta_init(corpus_meta *m, const emg_midi_store *st);
void corpus_meta_free(corpus_meta *m);
/* order[0..n) sorted by decreasing length (ties: store order) */
void corpus_sort_by_length_desc(int64_t *order, int64_t n, const int64_t *length);

/* serialized results waiting to be sent, one buffer per destination rank */
typedef struct corpus_outbox { int nranks; uint8_t **buf; size_t *len, *cap; } corpus_outbox;
void corpus_outbox_init(corpus_outbox *b, int nranks);
void corpus_outbox_put(corpus_outbox *b, int dest, int64_t piece, const piece_result *r);
void corpus_outbox_free(corpus_outbox *b);

/* the results of this rank's block of pieces [first, first + count), in store order */
typedef struct corpus_block { int64_t first, count; piece_result *res; } corpus_block;
void corpus_exchange(corpus_outbox *b, MPI_Comm comm, int64_t n, corpus_block *out);
void corpus_block_free(corpus_block *blk);

enum { REJ_BAD_MIDI, REJ_TOKENIZER, REJ_NO_NOTES, REJ_NO_FEATURES, REJ_OTHER, REJ_NREASONS };

typedef struct corpus_summary {
    int64_t pieces_in, pieces, segments, segments_invalid, tokens, rejected, labelled[4], whole_missing;
    int64_t rejected_by[REJ_NREASONS];
    int64_t overlong_bars, unmatched_labels, label_rows, bytes_in;
    double seconds, compute_seconds;
} corpus_summary;

void corpus_write(const char *out, MPI_Comm comm, const char *config_json, const char *store_path, int64_t max_tokens,
                  const corpus_meta *meta, const corpus_block *blk, corpus_summary *sum);
void corpus_print_summary(const corpus_summary *s, int quiet, int json, const char *out);
const char *corpus_reject_name(int k);
