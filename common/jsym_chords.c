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

/* ---- C-4 .. C-34 (part 2) ---- */

emg_status jsym_f_average_number_of_simultaneous_pitch_classes(jsym_piece *p, double *out) {
    NEED_SLICES();
    out[0] = p->avg_simultaneous_pc;
    return emg_ok();
}
emg_status jsym_f_variability_of_number_of_simultaneous_pitch_classes(jsym_piece *p, double *out) {
    NEED_SLICES();
    out[0] = p->var_simultaneous_pc;
    return emg_ok();
}
emg_status jsym_f_variability_of_number_of_simultaneous_pitches(jsym_piece *p, double *out) {
    NEED_SLICES();
    out[0] = p->var_simultaneous;
    return emg_ok();
}

emg_status jsym_f_most_common_vertical_interval(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    out[0] = most_common_vertical_interval(w);
    return emg_ok();
}

static int second_most_common_vertical_interval(const double w[12]) {
    int first = most_common_vertical_interval(w);
    double max = 0.0;
    int v = 0;
    for (int i = 0; i < 12; i++)
        if (i != first && w[i] > max) { max = w[i]; v = i; }
    return v;
}
emg_status jsym_f_second_most_common_vertical_interval(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    out[0] = second_most_common_vertical_interval(w);
    return emg_ok();
}
emg_status jsym_f_distance_between_two_most_common_vertical_intervals(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    int a = most_common_vertical_interval(w), b = second_most_common_vertical_interval(w);
    out[0] = a > b ? a - b : b - a;
    return emg_ok();
}
emg_status jsym_f_prevalence_of_second_most_common_vertical_interval(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    out[0] = w[second_most_common_vertical_interval(w)];
    return emg_ok();
}
emg_status jsym_f_prevalence_ratio_of_two_most_common_vertical_intervals(jsym_piece *p, double *out) {
    NEED_SLICES();
    double w[12];
    wrapped(p, w);
    double first = w[most_common_vertical_interval(w)], second = w[second_most_common_vertical_interval(w)];
    out[0] = (first == 0.0 || second == 0.0) ? 0.0 : second / first;
    return emg_ok();
}

#define WVI(name, expr)                                          \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {       \
        NEED_SLICES();                                           \
        double w[12];                                            \
        wrapped(p, w);                                           \
        out[0] = (expr);                                         \
        return emg_ok();                                         \
    }
WVI(vertical_unisons, p->vertical_interval_hist[0])
WVI(vertical_minor_seconds, w[1])
WVI(vertical_thirds, w[3] + w[4])
WVI(vertical_tritones, w[6])
WVI(vertical_perfect_fourths, w[5])
WVI(vertical_perfect_fifths, w[7])
WVI(vertical_sixths, w[8] + w[9])
WVI(vertical_sevenths, w[10] + w[11])
WVI(vertical_octaves, w[0] - p->vertical_interval_hist[0])
#undef WVI

emg_status jsym_f_vertical_minor_third_prevalence(jsym_piece *p, double *out) {
    NEED_SLICES();
    out[0] = p->minor_third_frac;
    return emg_ok();
}
emg_status jsym_f_vertical_major_third_prevalence(jsym_piece *p, double *out) {
    NEED_SLICES();
    out[0] = p->major_third_frac;
    return emg_ok();
}

/* chord type codes (ChordTypeEnum): 0 partial, 1 minor, 2 major, 3 diminished, 4 augmented,
 * 5 other triad, 6 minor seventh, 7 dominant seventh, 8 major seventh, 9 other 4-note, 10 complex */
#define CT(name, expr)                                           \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {       \
        NEED_SLICES();                                           \
        const double *h = p->chord_type_hist;                    \
        out[0] = (expr);                                         \
        return emg_ok();                                         \
    }
CT(partial_chords, h[0])
CT(standard_triads, h[1] + h[2])
CT(diminished_and_augmented_triads, h[3] + h[4])
CT(dominant_seventh_chords, h[7])
CT(non_standard_chords, h[5] + h[3] + h[4] + h[9] + h[10])
CT(complex_chords, h[10])
#undef CT
