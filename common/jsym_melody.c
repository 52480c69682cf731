/* jsym_melody.c: jSymbolic's melodic features (M-*). Melodies are the Note Ons of one channel in
 * one track (channel 10 excluded); a Note On on the same tick as the previous one of its channel
 * starts no interval. Embellishments and pitch variety use CollectedNoteInfo's notes per channel
 * across all tracks, sorted by start tick. */
#include "jsym_features.h"

emg_status jsym_f_melodic_interval_histogram(jsym_piece *p, double *out) {
    for (int i = 0; i < 128; i++) out[i] = p->melodic_interval_hist[i];
    return emg_ok();
}

emg_status jsym_f_amount_of_arpeggiation(jsym_piece *p, double *out) {
    const double *h = p->melodic_interval_hist;
    out[0] = h[0] + h[3] + h[4] + h[7] + h[10] + h[11] + h[12] + h[15] + h[16];
    return emg_ok();
}

emg_status jsym_f_melodic_sixths(jsym_piece *p, double *out) {
    out[0] = p->melodic_interval_hist[8] + p->melodic_interval_hist[9];
    return emg_ok();
}

emg_status jsym_f_prevalence_of_most_common_melodic_interval(jsym_piece *p, double *out) {
    out[0] = p->melodic_interval_hist[jsym_argmax(p->melodic_interval_hist, 128)];
    return emg_ok();
}

/* intervals between a change of direction and the next; ties (0) keep the direction */
emg_status jsym_f_average_length_of_melodic_arcs(jsym_piece *p, double *out) {
    int64_t intervening = 0, arcs = 0;
    for (int t = 0; t < p->seq.ntracks; t++)
        for (int c = 0; c < 16; c++) {
            if (c == 9) continue;
            int dir = 0;
            for (int32_t k = p->mi_first[t * 16 + c]; k < p->mi_first[t * 16 + c + 1]; k++) {
                int32_t iv = p->mi_val[k];
                if (dir == -1) {
                    if (iv < 0) intervening++;
                    else if (iv > 0) { intervening++; arcs++; dir = 1; }
                } else if (dir == 1) {
                    if (iv > 0) intervening++;
                    else if (iv < 0) { intervening++; arcs++; dir = -1; }
                } else {
                    if (iv > 0) { dir = 1; intervening++; }
                    if (iv < 0) { dir = -1; intervening++; }
                }
            }
        }
    out[0] = arcs == 0 ? 0.0 : (double)intervening / (double)arcs;
    return emg_ok();
}

/* A channel's matched notes sorted by start (p->cn_idx) form groups of equal start tick; the
 * features look at the neighbouring groups. */
emg_status jsym_f_melodic_embellishments(jsym_piece *p, double *out) {
    emg_status st = jsym_need(p, JSYM_G_CHANNOTES);
    if (st.code) return st;
    double found = 0;
    for (int c = 0; c < 16; c++) {
        if (c == 9) continue;
        const int32_t *idx = p->cn_idx + p->cn_first[c];
        int32_t n = p->cn_first[c + 1] - p->cn_first[c];
        /* group boundaries */
        int32_t g_prev_a = -1, g_prev_b = -1;  /* previous group [a, b) */
        for (int32_t a = 0; a < n;) {
            int32_t b = a;
            while (b < n && p->notes[idx[b]].start == p->notes[idx[a]].start) b++;
            int32_t na = b, nb = b;  /* next group [na, nb) */
            while (nb < n && p->notes[idx[nb]].start == p->notes[idx[na]].start) nb++;
            if (g_prev_a >= 0 && na < n) {
                for (int32_t i = a; i < b; i++) {
                    int64_t d3 = 3 * (int64_t)(p->notes[idx[i]].end - p->notes[idx[i]].start);
                    int prev_ok = 0, next_ok = 0;
                    for (int32_t j = g_prev_a; j < g_prev_b; j++)
                        if (p->notes[idx[j]].end - p->notes[idx[j]].start >= d3) prev_ok = 1;
                    for (int32_t j = na; j < nb; j++)
                        if (p->notes[idx[j]].end - p->notes[idx[j]].start >= d3) next_ok = 1;
                    if (prev_ok && next_ok) found++;
                }
            }
            g_prev_a = a;
            g_prev_b = b;
            a = b;
        }
    }
    out[0] = p->total_note_ons == 0 ? 0 : found / p->total_note_ons;
    return emg_ok();
}

/* for each note, the rank (1..16) of the first later start tick of its channel that holds a
 * note of the same pitch; averaged over the notes that have one */
emg_status jsym_f_melodic_pitch_variety(jsym_piece *p, double *out) {
    emg_status st = jsym_need(p, JSYM_G_CHANNOTES);
    if (st.code) return st;
    double repeated = 0.0, summed = 0.0;
    for (int c = 0; c < 16; c++) {
        if (c == 9) continue;
        const int32_t *idx = p->cn_idx + p->cn_first[c];
        int32_t n = p->cn_first[c + 1] - p->cn_first[c];
        for (int32_t i = 0; i < n; i++) {
            const jsym_note *cur = &p->notes[idx[i]];
            /* first group starting after cur */
            int32_t g = i;
            while (g < n && p->notes[idx[g]].start <= cur->start) g++;
            int gone_by = 0;
            while (g < n) {
                int32_t ge = g;
                while (ge < n && p->notes[idx[ge]].start == p->notes[idx[g]].start) ge++;
                gone_by++;
                if (gone_by > 16) break;
                int hit = 0;
                for (int32_t j = g; j < ge; j++)
                    if (p->notes[idx[j]].pitch == cur->pitch) hit = 1;
                if (hit) {
                    repeated++;
                    summed += gone_by;
                    break;
                }
                g = ge;
            }
        }
    }
    out[0] = repeated == 0 ? 0.0 : summed / repeated;
    return emg_ok();
}

/* ---- M-2 .. M-24 (part 2) ---- */

#define MIH(name, expr)                                          \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {       \
        const double *h = p->melodic_interval_hist;              \
        out[0] = (expr);                                         \
        return emg_ok();                                         \
    }
MIH(repeated_notes, h[0])
MIH(chromatic_motion, h[1])
MIH(stepwise_motion, h[1] + h[2])
MIH(melodic_thirds, h[3] + h[4])
MIH(melodic_perfect_fourths, h[5])
MIH(melodic_tritones, h[6])
MIH(melodic_perfect_fifths, h[7])
MIH(melodic_sevenths, h[10] + h[11])
MIH(melodic_octaves, h[12])
MIH(minor_major_melodic_third_ratio, (h[3] != 0 && h[4] != 0) ? h[3] / h[4] : 0.0)
#undef MIH

emg_status jsym_f_melodic_large_intervals(jsym_piece *p, double *out) {
    double v = 0.0;
    for (int i = 13; i < 128; i++) v += p->melodic_interval_hist[i];
    out[0] = v;
    return emg_ok();
}

emg_status jsym_f_most_common_melodic_interval(jsym_piece *p, double *out) {
    out[0] = jsym_argmax(p->melodic_interval_hist, 128);
    return emg_ok();
}

emg_status jsym_f_mean_melodic_interval(jsym_piece *p, double *out) {
    double v = 0.0;
    for (int i = 0; i < 128; i++) v += (double)i * p->melodic_interval_hist[i];
    out[0] = v;
    return emg_ok();
}

emg_status jsym_f_number_of_common_melodic_intervals(jsym_piece *p, double *out) {
    int c = 0;
    for (int i = 0; i < 128; i++) c += p->melodic_interval_hist[i] >= 0.09;
    out[0] = c;
    return emg_ok();
}

/* the second bin: first strictly above the running maximum from 0, skipping the largest */
static int second_interval(const double *h, int max_index) {
    double second = 0;
    int k = 0;
    for (int i = 0; i < 128; i++)
        if (h[i] > second && i != max_index) { second = h[i]; k = i; }
    return k;
}
emg_status jsym_f_distance_between_most_prevalent_melodic_intervals(jsym_piece *p, double *out) {
    int m = jsym_argmax(p->melodic_interval_hist, 128), s = second_interval(p->melodic_interval_hist, m);
    out[0] = m > s ? m - s : s - m;
    return emg_ok();
}
emg_status jsym_f_relative_prevalence_of_most_common_melodic_intervals(jsym_piece *p, double *out) {
    const double *h = p->melodic_interval_hist;
    int m = jsym_argmax(h, 128), s = second_interval(h, m);
    out[0] = h[m] == 0.0 ? 0.0 : h[s] / h[m];
    return emg_ok();
}

emg_status jsym_f_direction_of_melodic_motion(jsym_piece *p, double *out) {
    int64_t ups = 0, downs = 0;
    for (int t = 0; t < p->seq.ntracks; t++)
        for (int c = 0; c < 16; c++) {
            if (c == 9) continue;
            for (int32_t k = p->mi_first[t * 16 + c]; k < p->mi_first[t * 16 + c + 1]; k++) {
                ups += p->mi_val[k] > 0;
                downs += p->mi_val[k] < 0;
            }
        }
    out[0] = ups + downs == 0 ? 0.0 : (double)ups / (double)(ups + downs);
    return emg_ok();
}

/* summed size of each arc (a run in one direction) up to the next change of direction; an arc
 * still open at the end of a melody is not counted */
emg_status jsym_f_average_interval_spanned_by_melodic_arcs(jsym_piece *p, double *out) {
    int32_t total = 0, number = 0;  /* Java ints */
    for (int t = 0; t < p->seq.ntracks; t++)
        for (int c = 0; c < 16; c++) {
            if (c == 9) continue;
            int dir = 0;
            int32_t so_far = 0;
            for (int32_t k = p->mi_first[t * 16 + c]; k < p->mi_first[t * 16 + c + 1]; k++) {
                int32_t iv = p->mi_val[k], a = iv < 0 ? -iv : iv;
                if (dir == -1) {
                    if (iv < 0) so_far += a;
                    else if (iv > 0) { total += so_far; number++; so_far = a; dir = 1; }
                } else if (dir == 1) {
                    if (iv > 0) so_far += a;
                    else if (iv < 0) { total += so_far; number++; so_far = a; dir = -1; }
                } else {
                    if (iv > 0) { dir = 1; so_far += a; }
                    if (iv < 0) { dir = -1; so_far += a; }
                }
            }
        }
    out[0] = number == 0 ? 0.0 : (double)total / (double)number;
    return emg_ok();
}
