/* jsym_pitch.c: jSymbolic's pitch statistics (P-*): histograms of Note On pitches outside
 * channel 10, and statistics of the pitches of the notes CollectedNoteInfo keeps (those with a
 * Note Off). Mean Pitch is jSymbolic's channel-weighted integer-mean quirk. */
#include <stdlib.h>

#include "check.h"
#include "jsym_features.h"

emg_status jsym_f_basic_pitch_histogram(jsym_piece *p, double *out) {
    for (int i = 0; i < 128; i++) out[i] = p->basic_pitch_hist[i];
    return emg_ok();
}

/* rotated so that the most common pitch class comes first */
emg_status jsym_f_pitch_class_histogram(jsym_piece *p, double *out) {
    int k = jsym_argmax(p->pitch_class_hist, 12);
    for (int i = 0; i < 12; i++) out[i] = p->pitch_class_hist[(k + i) % 12];
    return emg_ok();
}

emg_status jsym_f_folded_fifths_pch(jsym_piece *p, double *out) {
    for (int i = 0; i < 12; i++) out[i] = p->fifths_pitch_hist[i];
    return emg_ok();
}

emg_status jsym_f_number_of_pitches(jsym_piece *p, double *out) {
    int n = 0;
    for (int i = 0; i < 128; i++) n += p->basic_pitch_hist[i] > 0.0;
    out[0] = n;
    return emg_ok();
}

emg_status jsym_f_number_of_pitch_classes(jsym_piece *p, double *out) {
    int n = 0;
    for (int i = 0; i < 12; i++) n += p->pitch_class_hist[i] > 0.0;
    out[0] = n;
    return emg_ok();
}

emg_status jsym_f_range(jsym_piece *p, double *out) {
    int lo = 128, hi = -1;
    for (int i = 0; i < 128; i++)
        if (p->basic_pitch_hist[i] > 0.0) {
            if (lo == 128) lo = i;
            hi = i;
        }
    out[0] = (lo == 128 || hi == -1) ? 0.0 : (double)(hi - lo);
    return emg_ok();
}

static double hist_sum(const double *h, int a, int b) {
    double v = 0.0;
    for (int i = a; i <= b; i++) v += h[i];
    return v;
}
emg_status jsym_f_importance_of_bass_register(jsym_piece *p, double *out) {
    out[0] = hist_sum(p->basic_pitch_hist, 0, 54);
    return emg_ok();
}
emg_status jsym_f_importance_of_middle_register(jsym_piece *p, double *out) {
    out[0] = hist_sum(p->basic_pitch_hist, 55, 72);
    return emg_ok();
}
emg_status jsym_f_importance_of_high_register(jsym_piece *p, double *out) {
    out[0] = hist_sum(p->basic_pitch_hist, 73, 127);
    return emg_ok();
}

/* sum over channels (not 10) of integer mean pitch * note count, over the pitched note count */
emg_status jsym_f_mean_pitch(jsym_piece *p, double *out) {
    double cum = 0;
    for (int c = 0; c < 16; c++)
        if (c != 9) cum += (double)(p->ch_mean_pitch[c] * p->ch_count[c]);
    out[0] = p->total_pitched_note_ons == 0 ? 0.0 : cum / (double)p->total_pitched_note_ons;
    return emg_ok();
}

static double *pitches_as_double(const jsym_piece *p, int mod12) {
    double *x = xmalloc(sizeof(double) * (size_t)(p->npitches_all + 1));
    for (int32_t i = 0; i < p->npitches_all; i++) x[i] = mod12 ? (double)(p->pitches_all[i] % 12) : (double)p->pitches_all[i];
    return x;
}

emg_status jsym_f_mean_pitch_class(jsym_piece *p, double *out) {
    double *x = pitches_as_double(p, 1);
    out[0] = jsym_mean(x, p->npitches_all);
    free(x);
    return emg_ok();
}

/* first bin strictly above the previous best, starting from 0 (0 if all bins are 0) */
static int first_max_positive(const double *h, int n) {
    double max = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (h[i] > max) { max = h[i]; k = i; }
    return k;
}
emg_status jsym_f_most_common_pitch(jsym_piece *p, double *out) {
    out[0] = first_max_positive(p->basic_pitch_hist, 128);
    return emg_ok();
}
emg_status jsym_f_most_common_pitch_class(jsym_piece *p, double *out) {
    out[0] = first_max_positive(p->pitch_class_hist, 12);
    return emg_ok();
}

emg_status jsym_f_pitch_variability(jsym_piece *p, double *out) {
    double *x = pitches_as_double(p, 0);
    out[0] = jsym_stddev(x, p->npitches_all);
    free(x);
    return emg_ok();
}

emg_status jsym_f_pitch_skewness(jsym_piece *p, double *out) {
    double *x = pitches_as_double(p, 0);
    out[0] = jsym_median_skewness(x, p->npitches_all);
    free(x);
    return emg_ok();
}

emg_status jsym_f_pitch_kurtosis(jsym_piece *p, double *out) {
    double *x = pitches_as_double(p, 0);
    out[0] = jsym_excess_kurtosis(x, p->npitches_all);
    free(x);
    return emg_ok();
}

/* ---- P-6 .. P-41 (part 2) ---- */

static int count_at_least(const double *h, int n, double min) {
    int c = 0;
    for (int i = 0; i < n; i++) c += h[i] >= min;
    return c;
}
emg_status jsym_f_number_of_common_pitches(jsym_piece *p, double *out) {
    out[0] = count_at_least(p->basic_pitch_hist, 128, 0.09);
    return emg_ok();
}
emg_status jsym_f_number_of_common_pitch_classes(jsym_piece *p, double *out) {
    out[0] = count_at_least(p->pitch_class_hist, 12, 0.2);
    return emg_ok();
}

/* longest run of adjacent fifths-histogram bins >= 0.09, wrapping around */
emg_status jsym_f_dominant_spread(jsym_piece *p, double *out) {
    const double *h = p->fifths_pitch_hist;
    int max = 0;
    for (int bin = 0; bin < 12; bin++) {
        if (!(h[bin] >= 0.09)) continue;
        int count = 1;
        for (int i = (bin + 1) % 12; i != bin && h[i] >= 0.09; i = (i + 1) % 12) count++;
        if (count > max) max = count;
    }
    out[0] = max;
    return emg_ok();
}

emg_status jsym_f_strong_tonal_centres(jsym_piece *p, double *out) {
    const double *h = p->fifths_pitch_hist;
    int peaks = 0;
    for (int bin = 0; bin < 12; bin++)
        if (h[bin] >= 0.09 && h[bin] > h[(bin + 11) % 12] && h[bin] > h[(bin + 1) % 12]) peaks++;
    out[0] = peaks;
    return emg_ok();
}

emg_status jsym_f_prevalence_of_most_common_pitch(jsym_piece *p, double *out) {
    out[0] = p->basic_pitch_hist[first_max_positive(p->basic_pitch_hist, 128)];
    return emg_ok();
}
emg_status jsym_f_prevalence_of_most_common_pitch_class(jsym_piece *p, double *out) {
    out[0] = p->pitch_class_hist[first_max_positive(p->pitch_class_hist, 12)];
    return emg_ok();
}

/* jSymbolic's "second" bin: the first bin strictly above the running maximum (from 0), skipping
 * the largest; 0 if none */
static int second_bin(const double *h, int n, int max_index) {
    double second = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (h[i] > second && i != max_index) { second = h[i]; k = i; }
    return k;
}
static double relative_top(const double *h, int n) {
    int m = jsym_argmax(h, n), s = second_bin(h, n, m);
    return h[m] == 0.0 ? 0.0 : h[s] / h[m];
}
static double top_interval(const double *h, int n) {
    int m = jsym_argmax(h, n), s = second_bin(h, n, m);
    return m > s ? m - s : s - m;
}
emg_status jsym_f_relative_prevalence_of_top_pitches(jsym_piece *p, double *out) {
    out[0] = relative_top(p->basic_pitch_hist, 128);
    return emg_ok();
}
emg_status jsym_f_relative_prevalence_of_top_pitch_classes(jsym_piece *p, double *out) {
    out[0] = relative_top(p->pitch_class_hist, 12);
    return emg_ok();
}
emg_status jsym_f_interval_between_most_prevalent_pitches(jsym_piece *p, double *out) {
    out[0] = top_interval(p->basic_pitch_hist, 128);
    return emg_ok();
}
emg_status jsym_f_interval_between_most_prevalent_pitch_classes(jsym_piece *p, double *out) {
    out[0] = top_interval(p->pitch_class_hist, 12);
    return emg_ok();
}

/* pitch classes of the notes CollectedNoteInfo keeps, optionally folded by fifths (7 pc mod 12) */
static double *pitch_classes(const jsym_piece *p, int folded) {
    double *x = xmalloc(sizeof(double) * (size_t)(p->npitches_all + 1));
    /* (7 * pc) % 12 on exact small integers: the same value as Java's double remainder */
    for (int32_t i = 0; i < p->npitches_all; i++) {
        int pc = p->pitches_all[i] % 12;
        x[i] = folded ? (double)((7 * pc) % 12) : (double)pc;
    }
    return x;
}
#define PC_STAT(name, folded, stat)                                \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {         \
        double *x = pitch_classes(p, folded);                      \
        out[0] = stat(x, p->npitches_all);                         \
        free(x);                                                   \
        return emg_ok();                                           \
    }
PC_STAT(pitch_class_variability, 0, jsym_stddev)
PC_STAT(pitch_class_variability_after_folding, 1, jsym_stddev)
PC_STAT(pitch_class_skewness, 0, jsym_median_skewness)
PC_STAT(pitch_class_skewness_after_folding, 1, jsym_median_skewness)
PC_STAT(pitch_class_kurtosis, 0, jsym_excess_kurtosis)
PC_STAT(pitch_class_kurtosis_after_folding, 1, jsym_excess_kurtosis)
#undef PC_STAT

emg_status jsym_f_major_or_minor(jsym_piece *p, double *out) {
    out[0] = p->major_minor;
    return emg_ok();
}

/* lowest pitch sounding at the first / last tick that has any (vertical slices) */
emg_status jsym_f_first_pitch(jsym_piece *p, double *out) {
    emg_status st = jsym_need(p, JSYM_G_SLICES);
    if (st.code) return st;
    out[0] = p->first_pitch;
    return emg_ok();
}
emg_status jsym_f_first_pitch_class(jsym_piece *p, double *out) {
    emg_status st = jsym_need(p, JSYM_G_SLICES);
    if (st.code) return st;
    out[0] = p->first_pitch % 12;
    return emg_ok();
}
emg_status jsym_f_last_pitch(jsym_piece *p, double *out) {
    emg_status st = jsym_need(p, JSYM_G_SLICES);
    if (st.code) return st;
    out[0] = p->last_pitch;
    return emg_ok();
}
emg_status jsym_f_last_pitch_class(jsym_piece *p, double *out) {
    emg_status st = jsym_need(p, JSYM_G_SLICES);
    if (st.code) return st;
    out[0] = p->last_pitch % 12;
    return emg_ok();
}

/* pitch bends: a "note" is a run of bends on a channel until that channel's next Note Off */
emg_status jsym_f_glissando_prevalence(jsym_piece *p, double *out) {
    out[0] = p->total_pitched_note_ons == 0 ? 0.0 : (double)p->pb_lists / (double)p->total_pitched_note_ons;
    return emg_ok();
}
emg_status jsym_f_average_range_of_glissandos(jsym_piece *p, double *out) {
    out[0] = p->pb_lists == 0 ? 0.0 : (double)p->pb_greatest_sum / (double)p->pb_lists;
    return emg_ok();
}
emg_status jsym_f_vibrato_prevalence(jsym_piece *p, double *out) {
    out[0] = (p->pb_lists == 0 || p->total_pitched_note_ons == 0) ? 0.0 : (double)p->pb_vibrato / (double)p->total_pitched_note_ons;
    return emg_ok();
}
emg_status jsym_f_microtone_prevalence(jsym_piece *p, double *out) {
    out[0] = (p->pb_lists == 0 || p->total_pitched_note_ons == 0) ? 0.0 : (double)p->pb_single / (double)p->total_pitched_note_ons;
    return emg_ok();
}
