/* remi_grammar.c: see remi_grammar.h. */
#include "remi_grammar.h"
#include "remigen_vocab.h"

void emg_remi_grammar_init(emg_remi_grammar *g) {
    g->last_type = -1;
    g->pos = -1;
    g->bar_len = 48;
    g->inst = -1;
}

int emg_remi_grammar_allows(const emg_remi_grammar *g, int id) {
    int type = emg_remi_id_type(id), val = emg_remi_id_value(id);
    if (type < 0) return 0;
    switch (g->last_type) {
    case -1:
    case EMG_TOK_BAR: return type == EMG_TOK_TS;
    case EMG_TOK_TS: return type == EMG_TOK_TEMPO;
    case EMG_TOK_TEMPO: return (type == EMG_TOK_POS && val < g->bar_len) || type == EMG_TOK_BAR;
    case EMG_TOK_POS: return type == EMG_TOK_INST;
    case EMG_TOK_INST: return type == EMG_TOK_PITCH && ((g->inst == 128) == (val >= 128));
    case EMG_TOK_PITCH: return type == EMG_TOK_DUR;
    case EMG_TOK_DUR: return type == EMG_TOK_VEL;
    case EMG_TOK_VEL:
        if (type == EMG_TOK_PITCH) return (g->inst == 128) == (val >= 128);
        if (type == EMG_TOK_INST) return val > g->inst;
        if (type == EMG_TOK_POS) return val > g->pos && val < g->bar_len;
        return type == EMG_TOK_BAR;
    default: return 0;
    }
}

int emg_remi_grammar_may_end(const emg_remi_grammar *g) { return g->last_type == EMG_TOK_BAR; }

void emg_remi_grammar_push(emg_remi_grammar *g, int id) {
    int type = emg_remi_id_type(id), val = emg_remi_id_value(id);
    switch (type) {
    case EMG_TOK_TS: {
        int num = 4, den = 4;
        emg_remi_ts_of_id(val, &num, &den);
        g->bar_len = num * 48 / den;  /* positions per bar, as the encoder's measure length */
        if (g->bar_len < 1) g->bar_len = 1;
        if (g->bar_len > 96) g->bar_len = 96;
        g->pos = -1;
        g->inst = -1;
        break;
    }
    case EMG_TOK_POS: g->pos = val; g->inst = -1; break;
    case EMG_TOK_INST: g->inst = val; break;
    case EMG_TOK_BAR: g->pos = -1; g->inst = -1; break;
    default: break;
    }
    g->last_type = type;
}
