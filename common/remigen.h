/* remigen.h: EmoGen's REMIGEN2 tokenizer (btyu/MidiProcessor v0.1.5) on an emg_score, and the
 * decoder from tokens back to a score. The rules, and every point where this code differs from
 * the Python reference on input the reference cannot handle, are in docs/remigen2.md.
 *
 * Encoder: emg_remi_encode(score) gives the token ids (full vocabulary, remigen_vocab.h) that
 *   MidiEncoder("REMIGEN2").encode_file(midi_obj=miditoolkit.MidiFile(path), remove_empty_bars=True)
 * writes for the same file. The encoder keeps its buffers between calls: one encoder per thread,
 * reused over millions of files, allocates only when a file is larger than every file before it.
 *
 * Decoder: emg_remi_decode(ids) builds the score that
 *   MidiDecoder("REMIGEN2").decode_from_token_str_list(tokens)
 * builds (480 ticks per quarter, defaults 4/4, 120 BPM, instrument 0), ready for emg_midi_write()
 * with track names from emg_remi_track_names(). Strict mode stops at the first invalid token and
 * names its index; lenient mode skips invalid tokens and counts them.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "midi_score.h"
#include "remigen_vocab.h"
#include "status.h"

/* error codes (emg_status.code) */
enum {
    EMG_REMI_OK = 0,
    EMG_REMI_E_DIVISION,  /* SMPTE or zero ticks per beat: the reference cannot place a note */
    EMG_REMI_E_TIMESIG,   /* a time signature the reference rejects (KeyError / AssertionError) */
    EMG_REMI_E_TOO_LONG,  /* more tokens than opts.max_tokens, or more than EMG_REMI_MAX_POS positions */
    EMG_REMI_E_TOKEN,     /* decoder: a token that is not in the vocabulary */
    EMG_REMI_E_GRAMMAR,   /* decoder: d not right after p, or v not right after d */
};

#define EMG_REMI_TICKS_PER_BEAT 480               /* the decoder's resolution */
#define EMG_REMI_DEFAULT_MAX_TOKENS (1u << 24)    /* 16.7 M tokens; the largest known real file has 250 k */
#define EMG_REMI_MAX_POS (INT64_C(1) << 32)       /* the reference's per-position grid could not hold more */

typedef struct emg_remi_opts {
    size_t max_tokens;  /* 0 = EMG_REMI_DEFAULT_MAX_TOKENS */
} emg_remi_opts;

/* one time-signature or tempo entry while encoding (private) */
typedef struct emg_remi_change {
    int64_t pos;   /* position (12 per quarter) */
    int64_t order; /* tick for time signatures, list index for tempos: the tie-break */
    int64_t idx;   /* index in the score's list (-1: a default) */
    int32_t val;   /* the s- or t- value; -1 for a time signature outside the vocabulary */
} emg_remi_change;

/* the encoder's reusable workspace; fields are private */
typedef struct emg_remi_encoder {
    uint16_t *tok;
    size_t tok_n, tok_cap;
    uint64_t *key, *key_tmp;
    size_t key_cap;
    uint32_t *hist;
    size_t hist_cap;
    emg_remi_change *chg;
    size_t chg_cap;
    uint64_t *inst_bits;
    size_t inst_cap;
} emg_remi_encoder;

void emg_remi_encoder_init(emg_remi_encoder *e);
void emg_remi_encoder_free(emg_remi_encoder *e);

/* Tokenize one score. On success *ids points at *n token ids owned by the encoder, valid until
 * its next call. On failure the status names the reason (see the codes above). */
emg_status emg_remi_encode(emg_remi_encoder *e, const emg_score *s, const emg_remi_opts *opts,
                           const uint16_t **ids, size_t *n);

/* Write ids as token strings separated by single spaces (no newline). Returns the length
 * written; needs n * EMG_REMI_TOKEN_MAX bytes at most. */
size_t emg_remi_format(const uint16_t *ids, size_t n, char *out);

/* ---- decoder ---- */

typedef struct emg_remi_decode_info {
    size_t n_tokens;   /* tokens read */
    size_t n_skipped;  /* lenient: invalid tokens skipped */
    long first_bad;    /* index of the first invalid token, -1 if none */
    int first_bad_code;/* its EMG_REMI_E_* */
} emg_remi_decode_info;

/* Decode full-vocabulary ids; an id < 0 or >= EMG_REMI_VOCAB_SIZE is an invalid token.
 * On success *out is a new score (free with emg_score_free). In strict mode the first invalid
 * token fails the call (info->first_bad is its index); lenient mode drops it and goes on, as if
 * it were absent (so "p-60 <unk> d-4 v-20" still gives a note). */
emg_status emg_remi_decode(const int32_t *ids, size_t n, int lenient, emg_score *out,
                           emg_remi_decode_info *info);

/* Split text on ASCII whitespace and parse each token (remigen_vocab.h spelling; an unknown
 * string becomes -1). Returns a malloc'd array of *n ids (at most len/2 + 1). */
int32_t *emg_remi_parse_text(const char *text, size_t len, size_t *n);

/* Decode text as EmoGen's token files hold it (tokens separated by spaces / newlines).
 * In strict mode the error message quotes the invalid token. */
emg_status emg_remi_decode_text(const char *text, size_t len, int lenient, emg_score *out,
                                emg_remi_decode_info *info);

/* The track names the reference gives a decoded score: str(instrument id), that is the program
 * ("0".."127") or "128" for drums, one per instrument of s. Writes pointers into buf
 * (>= s->n_insts * 4 bytes) to names[0..n_insts). */
void emg_remi_track_names(const emg_score *s, char *buf, const char **names);
