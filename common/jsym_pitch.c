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
