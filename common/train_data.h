/* train_data.h: the training sequences: every valid segment of corpus.h5 with its tokens in the
 * model's vocabulary and its attribute vector (the buckets of the segment's own jSymbolic values,
 * attributes.json). No emotion label is used. Train/validation split by piece MD5 (deterministic,
 * whole pieces on one side); batches of similar lengths, shuffled per epoch from the seed. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "attributes.h"
#include "corpus_read.h"
#include "remigen_vocab.h"

/* the model's token ids: fairseq's specials, then either every REMIGEN2 token (full vocabulary)
 * or the lines of a fairseq dictionary (EmoGen's dict_Piano.txt: V = 462) */
#define EMG_TOK_BOS 0
#define EMG_TOK_PAD 1
#define EMG_TOK_EOS 2
#define EMG_TOK_UNK 3

typedef struct emg_vocab_map {
    int size;                              /* model vocabulary size V */
    int32_t to_model[EMG_REMI_VOCAB_SIZE]; /* full-vocabulary id -> model id */
    int32_t *to_full;                      /* [V]: model id -> full-vocabulary id, -1 for specials/unknown */
    char source[256];                      /* "full" or the dictionary path */
} emg_vocab_map;

/* dict_path NULL or "full": every token; otherwise a fairseq dictionary file. 0 or -1 with err */
int emg_vocab_map_init(emg_vocab_map *v, const char *dict_path, char *err, size_t errlen);
void emg_vocab_map_free(emg_vocab_map *v);

typedef struct emg_train_data {
    int64_t n;              /* sequences (valid segments) */
    int A;                  /* attributes */
    int64_t *off;           /* [n+1] into tok */
    uint16_t *tok;          /* model ids, without eos */
    int16_t *bits;          /* [n][A] attribute buckets */
    int64_t *piece;         /* [n] corpus piece */
    int64_t *train, *valid; /* sequence indices, sorted by length (ties by index) */
    int64_t n_train, n_valid;
    int64_t unk_tokens;     /* tokens mapped to <unk> (outside the dictionary) */
} emg_train_data;

/* load every valid segment; valid_fraction of the pieces (by MD5) go to validation */
int emg_train_data_load(emg_train_data *d, const emg_corpus *c, const emg_attributes *a, const emg_vocab_map *v,
                        double valid_fraction, char *err, size_t errlen);
void emg_train_data_free(emg_train_data *d);

/* the batches of one epoch: `set` (sorted by length) cut into consecutive chunks of at most
 * batch_size sequences; the chunk order is a Philox permutation of (seed, epoch). Writes the chunk
 * starts (into set) in epoch order to starts[], returns the number of chunks */
int64_t emg_train_epoch_batches(int64_t n_set, int64_t batch_size, uint64_t seed, uint64_t epoch, int64_t *starts);

/* fill a (right-padded) batch of sequences set[first .. first+count): source = [eos, t1..tn],
 * target = [t1..tn, eos], T = longest + 1 (capped at max_T, longer sequences are cut); bits [count][A];
 * returns T. src, tgt must hold count * max_T ints; *ntok = non-pad targets */
int emg_train_fill_batch(const emg_train_data *d, const int64_t *set, int64_t first, int64_t count, int max_T,
                         int *src, int *tgt, int *bits, int64_t *ntok);
