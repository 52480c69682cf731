/* piece_extract.c: see piece_extract.h. */
#include "piece_extract.h"
#include "check.h"
#include "midi_read.h"
#include "midi_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void piece_worker_init(piece_worker *w, int64_t max_tokens, int strict) {
    memset(w, 0, sizeof *w);
    emg_remi_encoder_init(&w->enc);
    emg_jsym_request_set(&w->req, JSYM_SET_IMPLEMENTED);  /* all 1495 once every feature is implemented */
    w->max_tokens = max_tokens;
    w->strict = strict;
}

void piece_worker_free(piece_worker *w) {
    emg_remi_encoder_free(&w->enc);
    free(w->ids32);
}

void piece_result_free(piece_result *r) {
    free(r->tokens);
    free(r->whole);
    free(r->seg);
    free(r->seg_features);
    memset(r, 0, sizeof *r);
}

/* Units are whole bars ([start, just after its 'b')); a bar longer than max is split into pieces
 * that start at a position token ('o'), or hard-cut at max when even one position holds more.
 * Segments are then the longest runs of whole units that fit, taken from the END backwards, so the
 * last segment is the piece's last whole bars that fit, as EmoGen cut its Q2 clip. */
int64_t piece_segment_bars(const uint16_t *tok, int64_t n, int64_t max, piece_segment *seg, int32_t *overlong) {
    *overlong = 0;
    if (n <= 0) return 0;
    /* units, at most n of them, stored in seg[] temporarily as [begin, end) */
    int64_t nu = 0, bs = 0;
    for (int64_t i = 0; i < n; i++) {
        if (tok[i] != EMG_REMI_BAR_ID && i != n - 1) continue;
        int64_t be = i + 1;
        if (be - bs <= max) {
            seg[nu++] = (piece_segment){bs, be, 1};
        } else {
            (*overlong)++;
            int64_t t = bs;
            while (t < be) {
                int64_t e = be;
                if (be - t > max) {  /* the last position start that keeps the unit within max */
                    e = t;
                    for (int64_t j = t + max; j > t; j--)
                        if (j < be && emg_remi_id_type(tok[j]) == EMG_TOK_POS) { e = j; break; }
                    if (e == t) e = t + max;
                }
                seg[nu++] = (piece_segment){t, e, 1};
                t = e;
            }
        }
        bs = be;
    }
    /* group units from the end: segment k covers units [first, last] */
    int64_t nseg = 0, u = nu - 1;
    piece_segment *out = xmalloc((size_t)nu * sizeof *out);
    while (u >= 0) {
        int64_t end = seg[u].end, begin = seg[u].begin;
        while (u - 1 >= 0 && end - seg[u - 1].begin <= max) begin = seg[--u].begin;
        out[nseg++] = (piece_segment){begin, end, 1};
        u--;
    }
    for (int64_t k = 0; k < nseg; k++) seg[k] = out[nseg - 1 - k];
    free(out);
    return nseg;
}

static void fill_nan(double *v, size_t n) {
    for (size_t i = 0; i < n; i++) v[i] = NAN;
}

/* features of the MIDI decoded from tokens [b, e): decode -> MIDI bytes (miditoolkit dump layout) -> jSymbolic */
static int segment_features(piece_worker *w, const uint16_t *tok, int64_t b, int64_t e, double *out) {
    size_t n = (size_t)(e - b);
    if (w->ids32_cap < n) {
        w->ids32 = xrealloc(w->ids32, n * sizeof *w->ids32);
        w->ids32_cap = n;
    }
    for (size_t i = 0; i < n; i++) w->ids32[i] = tok[b + (int64_t)i];
    emg_score s;
    emg_remi_decode_info info;
    emg_status st = emg_remi_decode(w->ids32, n, 1, &s, &info);
    if (st.code) return -1;
    const char *names[EMG_REMI_N_INST + 1];
    char namebuf[(EMG_REMI_N_INST + 1) * 8];
    emg_remi_track_names(&s, namebuf, names);
    uint8_t *midi = NULL;
    size_t len = 0;
    st = emg_midi_write(&s, names, &midi, &len);
    emg_score_free(&s);
    if (st.code) return -1;
    fill_nan(out, EMG_JSYM_NVALUES);
    st = emg_jsym_compute(midi, len, &w->req, out);
    free(midi);
    return st.code ? -1 : 0;
}

void piece_process(piece_worker *w, const uint8_t *midi, size_t len, piece_result *r) {
    memset(r, 0, sizeof *r);
    emg_midi_opts mo = {.strict = w->strict};
    emg_score s;
    emg_status st = emg_midi_read(midi, len, &mo, &s);
    if (st.code) {
        snprintf(r->reason, sizeof r->reason, "bad_midi");
        snprintf(r->detail, sizeof r->detail, "%s", st.msg);
        return;
    }
    r->warnings = (int32_t)s.n_warnings;
    const uint16_t *ids = NULL;
    size_t n = 0;
    st = emg_remi_encode(&w->enc, &s, NULL, &ids, &n);
    int has_notes = s.n_notes > 0;
    emg_score_free(&s);
    if (st.code) {
        snprintf(r->reason, sizeof r->reason, "tokenizer");
        snprintf(r->detail, sizeof r->detail, "%s", st.msg);
        return;
    }
    if (!has_notes) {
        snprintf(r->reason, sizeof r->reason, "no_notes");
        snprintf(r->detail, sizeof r->detail, "the file holds no notes");
        return;
    }
    r->n_tokens = (int64_t)n;
    r->tokens = xmalloc(n * sizeof *r->tokens);
    memcpy(r->tokens, ids, n * sizeof *ids);
    r->whole = xmalloc(EMG_JSYM_NVALUES * sizeof *r->whole);
    fill_nan(r->whole, EMG_JSYM_NVALUES);
    r->whole_ok = emg_jsym_compute(midi, len, &w->req, r->whole).code == 0;
    if (!r->whole_ok) fill_nan(r->whole, EMG_JSYM_NVALUES);
    r->seg = xmalloc((n + 1) * sizeof *r->seg);
    r->n_seg = piece_segment_bars(r->tokens, r->n_tokens, w->max_tokens, r->seg, &r->overlong_bars);
    r->seg = xrealloc(r->seg, (size_t)(r->n_seg ? r->n_seg : 1) * sizeof *r->seg);
    r->seg_features = xmalloc((size_t)(r->n_seg ? r->n_seg : 1) * EMG_JSYM_NVALUES * sizeof *r->seg_features);
    int64_t valid = 0;
    for (int64_t k = 0; k < r->n_seg; k++) {
        double *row = r->seg_features + k * EMG_JSYM_NVALUES;
        r->seg[k].valid = segment_features(w, r->tokens, r->seg[k].begin, r->seg[k].end, row) == 0;
        if (!r->seg[k].valid) fill_nan(row, EMG_JSYM_NVALUES);
        valid += r->seg[k].valid;
    }
    if (valid == 0) {
        int64_t nseg = r->n_seg;
        piece_result_free(r);
        snprintf(r->reason, sizeof r->reason, "no_features");
        snprintf(r->detail, sizeof r->detail, "no segment gives jSymbolic features (%lld segments)", (long long)nseg);
        return;
    }
    r->ok = 1;
}
