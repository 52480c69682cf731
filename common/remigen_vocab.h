/* remigen_vocab.h: the REMIGEN2 token vocabulary (btyu/MidiProcessor v0.1.5) and EmoGen's fairseq
 * dictionaries.
 *
 * Full vocabulary: every token the REMIGEN2 encoder can write, with a stable id (uint16). The
 * table is documented in schemas/remigen2_vocab.md; the order follows MidiProcessor's
 * VocabManager.generate_vocab() (b, o, i, p, d, v, s, t) with the bar tokens it never writes
 * (b-0, b-2..b-255) left out:
 *
 *   id   0         b-1           bar separator
 *   id   1 ..  96  o-0 .. o-95   onset position inside the bar (12 per quarter note)
 *   id  97 .. 225  i-0 .. i-128  instrument: MIDI program, 128 = drums
 *   id 226 .. 481  p-0 .. p-255  pitch; drum notes are 128 + MIDI key
 *   id 482 .. 577  d-0 .. d-95   duration bucket
 *   id 578 .. 609  v-0 .. v-31   velocity // 4
 *   id 610 .. 863  s-0 .. s-253  time signature
 *   id 864 .. 912  t-0 .. t-48   tempo
 *
 * Fairseq dictionaries (dict_Piano.txt, dict_TopMAGD.txt): `<s>`=0, `<pad>`=1, `</s>`=2, `<unk>`=3,
 * then the file's lines in order. A vocabulary token missing from a dictionary maps to `<unk>`.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* token types, in id-table order */
enum {
    EMG_TOK_BAR = 0,  /* b */
    EMG_TOK_POS,      /* o */
    EMG_TOK_INST,     /* i */
    EMG_TOK_PITCH,    /* p */
    EMG_TOK_DUR,      /* d */
    EMG_TOK_VEL,      /* v */
    EMG_TOK_TS,       /* s */
    EMG_TOK_TEMPO,    /* t */
    EMG_TOK_NTYPES
};

/* first id and number of values of each type */
#define EMG_REMI_BAR_ID    0
#define EMG_REMI_POS_BASE  1
#define EMG_REMI_N_POS     96
#define EMG_REMI_INST_BASE 97
#define EMG_REMI_N_INST    129
#define EMG_REMI_PITCH_BASE 226
#define EMG_REMI_N_PITCH   256
#define EMG_REMI_DUR_BASE  482
#define EMG_REMI_N_DUR     96
#define EMG_REMI_VEL_BASE  578
#define EMG_REMI_N_VEL     32
#define EMG_REMI_TS_BASE   610
#define EMG_REMI_N_TS      254
#define EMG_REMI_TEMPO_BASE 864
#define EMG_REMI_N_TEMPO   49
#define EMG_REMI_VOCAB_SIZE 913

#define EMG_REMI_TOKEN_MAX 8  /* longest token string ("s-253") plus NUL, rounded up */

/* type of a full-vocabulary id (EMG_TOK_*), -1 if id is out of range */
int emg_remi_id_type(int id);
/* the value of an id inside its type (b-1 -> 1, p-60 -> 60, ...), -1 if out of range */
int emg_remi_id_value(int id);
/* id of (type, value), -1 if the vocabulary has no such token */
int emg_remi_token_id(int type, long value);
/* type letter 'b','o','i','p','d','v','s','t' */
char emg_remi_type_letter(int type);
/* write the token string of id into buf (>= EMG_REMI_TOKEN_MAX bytes) with a NUL; returns its
 * length, 0 for an invalid id */
int emg_remi_token_str(int id, char *buf);
/* id of a token string s[0..len) spelled exactly as the encoder writes it ("p-60"; no sign,
 * no leading zero, no spaces); -1 if it is not a vocabulary token */
int emg_remi_parse_token(const char *s, size_t len);

/* ---- time signatures, durations, tempos, velocities: MidiProcessor's VocabManager tables ---- */

/* time signature id of num/den (den a power of two 1..64, 1 <= num <= 2*den), -1 otherwise */
int emg_remi_ts_id(int num, int den);
/* numerator and denominator of a time signature id 0..253 */
void emg_remi_ts_of_id(int id, int *num, int *den);
/* duration bucket of a duration in positions (>= 0; values past the table -> 95): the bucket
 * group g holds durations 12*(2^g - 1) .. 12*(2^(g+1) - 1) - 1, so g = floor(log2(dur/12 + 1)).
 * Inline: the encoder calls it once per note. */
static inline int emg_remi_dur_id(int64_t dur) {
    if (dur <= 0) return 0;
    if (dur >= 3060) return 95;
    unsigned q = (unsigned)dur / 12u + 1u;
    int g = 31 - __builtin_clz(q);
    return 12 * g + (int)(((unsigned)dur - 12u * ((1u << g) - 1u)) >> g);
}
/* first duration (in positions) of bucket id 0..95: the decoder's duration before max(.,1) */
int emg_remi_dur_start(int id);
/* tempo id of a BPM: round(log2(clamp(bpm,16,256)/16) * 12) as CPython computes it */
int emg_remi_tempo_id(double bpm);
/* BPM of a tempo id as CPython computes 2 ** (k / 12) * 16 */
double emg_remi_tempo_bpm(int id);

/* ---- fairseq dictionaries ---- */

enum { EMG_DICT_BOS = 0, EMG_DICT_PAD = 1, EMG_DICT_EOS = 2, EMG_DICT_UNK = 3, EMG_DICT_NSPECIAL = 4 };

typedef struct emg_remi_dict {
    int n;                     /* symbols, specials included */
    char **sym;                /* sym[i]: the symbol of dictionary id i (points into `text`) */
    int32_t *to_full;          /* dictionary id -> full-vocabulary id, -1 for specials and non-tokens */
    int32_t from_full[EMG_REMI_VOCAB_SIZE];  /* full id -> dictionary id (EMG_DICT_UNK if absent) */
    char *text;                /* the symbols' storage */
} emg_remi_dict;

/* Parse a fairseq dictionary (lines "<symbol> <count> [#fairseq:overwrite]") from a buffer, as
 * fairseq.data.Dictionary.load does: duplicates and lines without a count are errors. */
emg_status emg_remi_dict_parse(emg_remi_dict *d, const char *buf, size_t len);
emg_status emg_remi_dict_load(emg_remi_dict *d, const char *path);
void emg_remi_dict_free(emg_remi_dict *d);
