/* remi_grammar.h: which REMIGEN2 token may come next, so sampling always yields a sequence that
 * decodes to MIDI. EmoGen's own sampler has no such guard (an <unk>, or a d- not after a p-, makes
 * its decoder fail). The grammar is the encoder's output form:
 *   piece := bar+            bar := s t ( o ( i (p d v)+ )+ )* b
 * with positions strictly increasing inside a bar and below the bar's length (from its time
 * signature), instruments strictly increasing inside a position, drum pitches (p-128..255) only for
 * i-128 and pitched ones (p-0..127) otherwise. The piece may end (eos) only after a b. */
#pragma once
#include <stdint.h>

typedef struct emg_remi_grammar {
    int last_type;     /* EMG_TOK_* of the last token, -1 at the start */
    int pos;           /* last position in the bar, -1 before the first */
    int bar_len;       /* positions in the current bar (from its time signature) */
    int inst;          /* last instrument in the position, -1 before the first */
} emg_remi_grammar;

void emg_remi_grammar_init(emg_remi_grammar *g);
/* 1 if full-vocabulary token id may come next */
int emg_remi_grammar_allows(const emg_remi_grammar *g, int id);
/* 1 if the piece may end now */
int emg_remi_grammar_may_end(const emg_remi_grammar *g);
/* advance over token id (which must be allowed) */
void emg_remi_grammar_push(emg_remi_grammar *g, int id);
