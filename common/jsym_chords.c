/* jsym_chords.c: jSymbolic's chords and vertical intervals (C-*) and voice motion (T-*), all
 * read from the vertical slices (jsym_groups.c): ticks weighted by their duration in ticks. */
#include "jsym_features.h"

#define NEED_SLICES() do { emg_status st_ = jsym_need(p, JSYM_G_SLICES); if (st_.code) return st_; } while (0)

emg_status jsym_f_vertical_interval_histogram(jsym_piece *p, double *out) {
    NEED_SLICES();
    for (int i = 0; i < 128; i++) out[i] = p->vertical_interval_hist[i];
    return emg_ok();
}

static void wrapped(const jsym_piece *p, double w[12]) {
    for (int i = 0; i < 12; i++) w[i] = 0.0;
    for (int i = 0; i < 128; i++) w[i % 12] += p->vertical_interval_hist[i];
}

emg_status jsym_f_wrapped_vertical_interval_histogram(jsym_piece *p, double *out) {
    NEED_SLICES();
    wrapped(p, out);
    return emg_ok();
}

emg_status jsym_f_chord_type_histogram(jsym_piece *p, double *out) {
    NEED_SLICES();
    for (int i = 0; i < 11; i++) out[i] = p->chord_type_hist[i];
    return emg_ok();
}

emg_status jsym_f_average_number_of_simultaneous_pitches(jsym_piece *p, double *out) {
    NEED_SLICES();
    out[0] = p->avg_simultaneous;
    return emg_ok();
}

emg_status jsym_f_chord_duration(jsym_piece *p, double *out) {
    NEED_SLICES();
    out[0] = p->chord_duration;
    return emg_ok();
}

emg_status jsym_f_perfect_vertical_intervals(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    out[0] = w[0] + w[5] + w[7];
    return emg_ok();
}

emg_status jsym_f_vertical_dissonance_ratio(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    double dis = w[1] + w[2] + w[6] + w[10] + w[11];
    double con = w[0] + w[3] + w[4] + w[5] + w[7] + w[8] + w[9];
    out[0] = (dis == 0.0 || con == 0.0) ? 0.0 : dis / con;
    return emg_ok();
}

/* Most Common Vertical Interval: first wrapped bin strictly above the running max from 0 */
static int most_common_vertical_interval(const double w[12]) {
    double max = 0.0;
    int v = 0;
    for (int i = 0; i < 12; i++)
        if (w[i] > max) { max = w[i]; v = i; }
    return v;
}

emg_status jsym_f_prevalence_of_most_common_vertical_interval(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    out[0] = w[most_common_vertical_interval(w)];
    return emg_ok();
}

emg_status jsym_f_minor_major_triad_ratio(jsym_piece *p, double *out) {
    NEED_SLICES();
    const double *h = p->chord_type_hist;
    out[0] = (h[1] == 0.0 || h[2] == 0.0) ? 0.0 : h[1] / h[2];
    return emg_ok();
}

emg_status jsym_f_seventh_chords(jsym_piece *p, double *out) {
    NEED_SLICES();
    const double *h = p->chord_type_hist;
    out[0] = h[7] + h[6] + h[8];  /* dominant + minor + major sevenths, in jSymbolic's order */
    return emg_ok();
}

emg_status jsym_f_contrary_motion(jsym_piece *p, double *out) { NEED_SLICES(); out[0] = p->contrary_frac; return emg_ok(); }
emg_status jsym_f_parallel_motion(jsym_piece *p, double *out) { NEED_SLICES(); out[0] = p->parallel_frac; return emg_ok(); }
emg_status jsym_f_similar_motion(jsym_piece *p, double *out) { NEED_SLICES(); out[0] = p->similar_frac; return emg_ok(); }
emg_status jsym_f_oblique_motion(jsym_piece *p, double *out) { NEED_SLICES(); out[0] = p->oblique_frac; return emg_ok(); }
emg_status jsym_f_parallel_fifths(jsym_piece *p, double *out) { NEED_SLICES(); out[0] = p->par5_frac; return emg_ok(); }
emg_status jsym_f_parallel_octaves(jsym_piece *p, double *out) { NEED_SLICES(); out[0] = p->par8_frac; return emg_ok(); }
