/* jsym_beat.c: jSymbolic's beat-histogram features, both the plain histogram (RT-16 .. RT-29, lags
 * in ticks at the piece's mean ticks per second) and the rest of the tempo-standardised ones
 * (R-54 .. R-66, at 120 BPM). Both read a normalised 201-bin histogram (bins 40..200 used) and
 * its thresholded-peak table (MathAndStatsMethods.calculateTablesOfThresholdedPeaks, built in
 * jsym_groups.c): column 0 peaks above 0.1, column 1 above 0.01, column 2 above 30% of the
 * highest bin. */
#include "jsym_features.h"

#define NEED_BEAT() do { emg_status st_ = jsym_need(p, JSYM_G_BEAT); if (st_.code) return st_; } while (0)

typedef struct { const double *h; const double (*t)[3]; } beat;
static beat plain(const jsym_piece *p) { return (beat){p->beat_hist, (const double (*)[3])p->beat_thr}; }
static beat standard(const jsym_piece *p) { return (beat){p->beat_hist_std, (const double (*)[3])p->beat_thr_std}; }

static int peaks_in(beat b, int col) {
    int n = 0;
    for (int i = 0; i < 201; i++) n += b.t[i][col] > 0.001;
    return n;
}
/* strongest bin: the first strictly above the running maximum, from `start` if all are 0 */
static int strongest(beat b, int start, double *max_out) {
    double max = 0.0;
    int k = start;
    for (int i = 0; i < 201; i++)
        if (b.h[i] > max) { max = b.h[i]; k = i; }
    if (max_out) *max_out = max;
    return k;
}
/* second strongest: among the table's column 1 (above 0.01), skipping the strongest bin */
static int second(beat b, int first, int start, double *mag_out) {
    double mag = 0.0;
    int k = start;
    for (int i = 0; i < 201; i++)
        if (b.t[i][1] > mag && i != first) { mag = b.t[i][1]; k = i; }
    if (mag_out) *mag_out = mag;
    return k;
}
static double strongest_strength(beat b) {
    double max;
    strongest(b, 0, &max);
    return max;
}
static double harmonicity(beat b) {
    int hi = strongest(b, 1, NULL);  /* jSymbolic starts both indices at 1 (no division by 0) */
    int sec = second(b, hi, 1, NULL);
    if (sec == 0 || hi == 0) return 0.0;
    return hi > sec ? (double)hi / (double)sec : (double)sec / (double)hi;
}
static double strength_ratio(beat b) {
    double hi, sec;
    second(b, strongest(b, 0, &hi), 0, &sec);
    return sec == 0.0 ? 0.0 : hi / sec;
}
static double combined_strength(beat b) {
    double hi, sec;
    second(b, strongest(b, 0, &hi), 0, &sec);
    return hi + sec;
}
static double second_strength(beat b) {
    double sec;
    second(b, strongest(b, 0, NULL), 0, &sec);
    return sec;
}
static double variability(beat b) { return jsym_stddev(b.h + 40, 161); }

/* mean width of the column-2 peaks, each measured while the bins stay >= 30% of the peak */
static double looseness(beat b) {
    double widths[201];
    int n = 0;
    for (int peak = 0; peak < 201; peak++) {
        if (!(b.t[peak][2] > 0.001)) continue;
        double limit = 0.3 * b.h[peak];
        int left = 0, right = 0;
        for (int i = peak; i >= 0 && !(b.h[i] < limit); i--) left = i;
        for (int i = peak; i < 201 && !(b.h[i] < limit); i++) right = i;
        widths[n++] = (double)right - (double)left;
    }
    return n == 0 ? 0.0 : jsym_mean(widths, n);
}

static int factor_or_multiple(int x, int y) {
    static const int z[] = {1, 2, 3, 4, 6, 8};
    for (int i = 0; i < 6; i++)
        if (y > x ? x * z[i] == y : y * z[i] == x) return 1;
    return 0;
}
/* share of the column-2 peaks that lie within -3..+3 bins of a factor or multiple of the highest
 * peak; jSymbolic's "exit loop" assignment does not exit, so every matching bin of the window
 * counts as a hit */
static double polyrhythms(beat b) {
    int peaks[201], n = 0;
    for (int i = 0; i < 201; i++)
        if (b.t[i][2] > 0.001) peaks[n++] = i;
    int highest = 0;
    double max = 0.0;
    for (int i = 0; i < n; i++)
        if (b.t[peaks[i]][2] > max) { max = b.t[peaks[i]][2]; highest = peaks[i]; }
    int hits = 0;
    for (int i = 0; i < n; i++) {
        int lo = peaks[i] - 3 < 0 ? 0 : peaks[i] - 3, hi = peaks[i] + 4 > 201 ? 201 : peaks[i] + 4;
        for (int j = lo; j < hi; j++) hits += factor_or_multiple(j, highest);
    }
    return n == 0 ? 0.0 : (double)hits / (double)n;
}

#define BOTH(name, expr)                                                        \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {                      \
        NEED_BEAT();                                                            \
        beat b = plain(p);                                                      \
        out[0] = (expr);                                                        \
        return emg_ok();                                                        \
    }                                                                           \
    emg_status jsym_f_##name##_std(jsym_piece *p, double *out) {                \
        NEED_BEAT();                                                            \
        beat b = standard(p);                                                   \
        out[0] = (expr);                                                        \
        return emg_ok();                                                        \
    }
BOTH(number_of_strong_pulses, peaks_in(b, 0))
BOTH(number_of_moderate_pulses, peaks_in(b, 1))
BOTH(strongest_pulse, strongest(b, 0, NULL))
BOTH(second_strongest_pulse, second(b, strongest(b, 0, NULL), 0, NULL))
BOTH(strength_ratio_of_two_strongest_pulses, strength_ratio(b))
BOTH(combined_strength_of_two_strongest_pulses, combined_strength(b))
BOTH(polyrhythms, polyrhythms(b))
#undef BOTH

#define PLAIN(name, expr)                                                       \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {                      \
        NEED_BEAT();                                                            \
        beat b = plain(p);                                                      \
        out[0] = (expr);                                                        \
        return emg_ok();                                                        \
    }
PLAIN(number_of_relatively_strong_pulses, peaks_in(b, 2))
PLAIN(harmonicity_of_two_strongest_pulses, harmonicity(b))
PLAIN(strength_of_strongest_pulse, strongest_strength(b))
PLAIN(strength_of_second_strongest_pulse, second_strength(b))
PLAIN(rhythmic_variability, variability(b))
PLAIN(rhythmic_looseness, looseness(b))
#undef PLAIN

emg_status jsym_f_rhythmic_variability_std(jsym_piece *p, double *out) {
    NEED_BEAT();
    out[0] = variability(standard(p));
    return emg_ok();
}

emg_status jsym_f_beat_histogram(jsym_piece *p, double *out) {
    NEED_BEAT();
    for (int i = 0; i < 161; i++) out[i] = p->beat_hist[i + 40];
    return emg_ok();
}
