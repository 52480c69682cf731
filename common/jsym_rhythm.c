/* jsym_rhythm.c: jSymbolic's rhythm features (R-*, RT-*): quantised rhythmic values (all
 * channels, channel 10 included), tempo-standardised beat histogram, note density and its
 * variability over 8-quarter-note windows, time between attacks. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "jsym_features.h"

#define NEED(g) do { emg_status st_ = jsym_need(p, (g)); if (st_.code) return st_; } while (0)

static const double rv_quarters[12] = {1.0 / 8.0, 1.0 / 4.0, 1.0 / 2.0, 3.0 / 4.0, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0};

emg_status jsym_f_rhythmic_value_histogram(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    for (int i = 0; i < 12; i++) out[i] = p->rv_hist[i];
    return emg_ok();
}

emg_status jsym_f_most_common_rhythmic_value(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    out[0] = rv_quarters[jsym_argmax(p->rv_hist, 12)];
    return emg_ok();
}

static double rv_sum(const jsym_piece *p, int a, int b) {
    double v = p->rv_hist[a];
    for (int i = a + 1; i <= b; i++) v = v + p->rv_hist[i];
    return v;
}
emg_status jsym_f_prevalence_of_very_short_rv(jsym_piece *p, double *out) { NEED(JSYM_G_RHYTHM); out[0] = rv_sum(p, 0, 1); return emg_ok(); }
emg_status jsym_f_prevalence_of_short_rv(jsym_piece *p, double *out) { NEED(JSYM_G_RHYTHM); out[0] = rv_sum(p, 0, 2); return emg_ok(); }
emg_status jsym_f_prevalence_of_medium_rv(jsym_piece *p, double *out) { NEED(JSYM_G_RHYTHM); out[0] = rv_sum(p, 2, 6); return emg_ok(); }
emg_status jsym_f_prevalence_of_long_rv(jsym_piece *p, double *out) { NEED(JSYM_G_RHYTHM); out[0] = rv_sum(p, 6, 11); return emg_ok(); }
emg_status jsym_f_prevalence_of_very_long_rv(jsym_piece *p, double *out) { NEED(JSYM_G_RHYTHM); out[0] = rv_sum(p, 9, 11); return emg_ok(); }

emg_status jsym_f_prevalence_of_most_common_rv(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    out[0] = p->rv_hist[jsym_argmax(p->rv_hist, 12)];
    return emg_ok();
}

/* one value per note, grouped by rhythmic value in ascending order (jSymbolic's array order) */
static double *rv_each_note(const jsym_piece *p) {
    double *x = xmalloc(sizeof(double) * (size_t)(p->nnotes + 1));
    int32_t k = 0;
    for (int i = 0; i < 12; i++)
        for (int32_t j = 0; j < p->rv_count[i]; j++) x[k++] = rv_quarters[i];
    return x;
}

emg_status jsym_f_rhythmic_value_variability(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    double *x = rv_each_note(p);
    out[0] = jsym_stddev(x, p->nnotes);
    free(x);
    return emg_ok();
}

emg_status jsym_f_rhythmic_value_kurtosis(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    double *x = rv_each_note(p);
    out[0] = jsym_excess_kurtosis(x, p->nnotes);
    free(x);
    return emg_ok();
}

static double *runs_as_double(const jsym_piece *p, int a, int b) {
    double *x = xmalloc(sizeof(double) * (size_t)(p->runs_first[b] - p->runs_first[a] + 1));
    for (int32_t k = p->runs_first[a]; k < p->runs_first[b]; k++) x[k - p->runs_first[a]] = (double)p->runs[k];
    return x;
}

emg_status jsym_f_rv_median_run_lengths_histogram(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    for (int i = 0; i < 12; i++) {
        int32_t n = p->runs_first[i + 1] - p->runs_first[i];
        if (n < 1) { out[i] = 0; continue; }
        double *x = runs_as_double(p, i, i + 1);
        out[i] = jsym_median(x, n);  /* getMedianValue: the upper middle of the sorted runs */
        free(x);
    }
    jsym_normalize(out, 12);
    return emg_ok();
}

emg_status jsym_f_rv_variability_in_run_lengths_histogram(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    for (int i = 0; i < 12; i++) {
        double *x = runs_as_double(p, i, i + 1);
        out[i] = jsym_stddev(x, p->runs_first[i + 1] - p->runs_first[i]);
        free(x);
    }
    jsym_normalize(out, 12);
    return emg_ok();
}

emg_status jsym_f_mean_rhythmic_value_run_length(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    double *x = runs_as_double(p, 0, 12);
    out[0] = jsym_mean(x, p->runs_first[12]);
    free(x);
    return emg_ok();
}

emg_status jsym_f_variability_in_rv_run_lengths(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    double *x = runs_as_double(p, 0, 12);
    out[0] = jsym_stddev(x, p->runs_first[12]);
    free(x);
    return emg_ok();
}

emg_status jsym_f_variability_of_rv_offsets(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    out[0] = jsym_stddev(p->rv_offsets, p->nnotes);
    return emg_ok();
}

/* ---- tempo-standardised beat histogram ---- */

emg_status jsym_f_beat_histogram_tempo_standardized(jsym_piece *p, double *out) {
    NEED(JSYM_G_BEAT);
    for (int i = 0; i < 161; i++) out[i] = p->beat_hist_std[i + 40];
    return emg_ok();
}

static int strongest_bin(const double *h, double *max_out) {
    double max = 0.0;
    int k = 0;
    for (int i = 0; i < 201; i++)
        if (h[i] > max) { max = h[i]; k = i; }
    *max_out = max;
    return k;
}

emg_status jsym_f_strength_of_strongest_pulse_std(jsym_piece *p, double *out) {
    NEED(JSYM_G_BEAT);
    strongest_bin(p->beat_hist_std, &out[0]);
    return emg_ok();
}

emg_status jsym_f_strength_of_second_strongest_pulse_std(jsym_piece *p, double *out) {
    NEED(JSYM_G_BEAT);
    double max;
    int k = strongest_bin(p->beat_hist_std, &max);
    double second = 0.0;
    for (int i = 0; i < 201; i++)
        if (p->beat_thr_std[i][1] > second && i != k) second = p->beat_thr_std[i][1];
    out[0] = second;
    return emg_ok();
}

emg_status jsym_f_harmonicity_of_two_strongest_pulses_std(jsym_piece *p, double *out) {
    NEED(JSYM_G_BEAT);
    double max = 0.0;
    int hi = 1;  /* jSymbolic starts both indices at 1 to avoid dividing by 0 */
    for (int i = 0; i < 201; i++)
        if (p->beat_hist_std[i] > max) { max = p->beat_hist_std[i]; hi = i; }
    double second = 0.0;
    int sec = 1;
    for (int i = 0; i < 201; i++)
        if (p->beat_thr_std[i][1] > second && i != hi) { second = p->beat_thr_std[i][1]; sec = i; }
    if (sec == 0 || hi == 0) out[0] = 0.0;
    else if (hi > sec) out[0] = (double)hi / (double)sec;
    else out[0] = (double)sec / (double)hi;
    return emg_ok();
}

emg_status jsym_f_number_of_relatively_strong_pulses_std(jsym_piece *p, double *out) {
    NEED(JSYM_G_BEAT);
    int n = 0;
    for (int i = 0; i < 201; i++) n += p->beat_thr_std[i][2] > 0.001;
    out[0] = n;
    return emg_ok();
}

/* mean width (in bins) of the peaks of the thresholded table, each measured down to 30% of it */
emg_status jsym_f_rhythmic_looseness_std(jsym_piece *p, double *out) {
    NEED(JSYM_G_BEAT);
    const double *h = p->beat_hist_std;
    double widths[201];
    int n = 0;
    for (int peak = 0; peak < 201; peak++) {
        if (!(p->beat_thr_std[peak][2] > 0.001)) continue;
        double limit = 0.3 * h[peak];
        int left = 0, right = 0;
        for (int i = peak; i >= 0 && !(h[i] < limit); i--) left = i;
        for (int i = peak; i < 201 && !(h[i] < limit); i++) right = i;
        widths[n++] = (double)right - (double)left;
    }
    out[0] = n == 0 ? 0.0 : jsym_mean(widths, n);
    return emg_ok();
}

/* ---- density, duration, attacks ---- */

emg_status jsym_f_note_density_per_quarter_note(jsym_piece *p, double *out) {
    int64_t count = 0;
    for (int c = 0; c < 16; c++) count += p->ch_count[c];
    double nps = p->dur_int != 0 ? (double)count / p->dur : 0.0;
    out[0] = nps * p->avg_qn;
    return emg_ok();
}

emg_status jsym_f_note_density_per_quarter_note_variability(jsym_piece *p, double *out) {
    NEED(JSYM_G_WINDOWS);
    out[0] = p->nwin < 2 ? 0.0 : jsym_stddev(p->win_density, p->nwin);
    return emg_ok();
}

emg_status jsym_f_total_number_of_notes(jsym_piece *p, double *out) {
    out[0] = p->total_note_ons;
    return emg_ok();
}

emg_status jsym_f_duration_in_seconds(jsym_piece *p, double *out) {
    out[0] = (double)p->us / 1000000.0;
    return emg_ok();
}

/* seconds between consecutive attack ticks, counting only the ticks strictly between them */
emg_status jsym_f_variability_of_time_between_attacks(jsym_piece *p, double *out) {
    NEED(JSYM_G_ATTACKS);
    out[0] = p->nattack_iv <= 0 ? 0.0 : jsym_stddev(p->attack_iv, p->nattack_iv);
    return emg_ok();
}

/* ---- meter (R-1 .. R-8): overall_metadata's time signatures (4/4 if none) ---- */

emg_status jsym_f_initial_time_signature(jsym_piece *p, double *out) {
    out[0] = p->nts ? p->ts_num[0] : 4.0;
    out[1] = p->nts ? p->ts_den[0] : 4.0;
    return emg_ok();
}
static int initial_numerator_in(const jsym_piece *p, const int *set, int n) {
    int num = p->nts ? p->ts_num[0] : 4;
    for (int i = 0; i < n; i++)
        if (num == set[i]) return 1;
    return 0;
}
#define METER(name, ...)                                                     \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {                   \
        static const int set[] = {__VA_ARGS__};                              \
        out[0] = initial_numerator_in(p, set, (int)(sizeof set / sizeof set[0])); \
        return emg_ok();                                                     \
    }
METER(simple_initial_meter, 2, 3, 4)
METER(compound_initial_meter, 6, 9, 12, 15, 18, 24)
METER(complex_initial_meter, 5, 7, 9, 11, 13, 15, 22, 25)
METER(duple_initial_meter, 2, 6)
METER(triple_initial_meter, 3, 9)
METER(quadruple_initial_meter, 4, 12)
#undef METER

/* distinct "numerator/denominator" strings among all time signatures (1 if none) */
emg_status jsym_f_metrical_diversity(jsym_piece *p, double *out) {
    int32_t distinct = 0;
    for (int32_t i = 0; i < p->nts; i++) {
        int seen = 0;
        for (int32_t j = 0; j < i && !seen; j++) seen = p->ts_num[j] == p->ts_num[i] && p->ts_den[j] == p->ts_den[i];
        distinct += !seen;
    }
    out[0] = p->nts ? distinct : 1;
    return emg_ok();
}

/* ---- rhythmic values, part 2 (R-14 .. R-39) ---- */

emg_status jsym_f_range_of_rv(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    int lo = 12, hi = -1;
    for (int i = 0; i < 12; i++)
        if (p->rv_hist[i] > 0.0) { if (lo == 12) lo = i; hi = i; }
    out[0] = (lo == 12 || hi == -1) ? 0 : hi - lo;
    return emg_ok();
}
emg_status jsym_f_number_of_different_rv_present(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    int c = 0;
    for (int i = 0; i < 12; i++) c += p->rv_hist[i] > 0.0;
    out[0] = c;
    return emg_ok();
}
emg_status jsym_f_number_of_common_rv_present(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    int c = 0;
    for (int i = 0; i < 12; i++) c += p->rv_hist[i] >= 0.15;
    out[0] = c;
    return emg_ok();
}
emg_status jsym_f_prevalence_of_dotted_notes(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    const double *h = p->rv_hist;
    out[0] = h[3] + h[5] + h[7] + h[9] + h[11];
    return emg_ok();
}
/* the per-note values are grouped by rhythmic value in ascending order, so the smallest is the
 * first value present and the largest the last */
emg_status jsym_f_shortest_rv(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    int k = 0;
    while (k < 11 && p->rv_count[k] == 0) k++;
    out[0] = rv_quarters[k];
    return emg_ok();
}
emg_status jsym_f_longest_rv(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    int k = 11;
    while (k > 0 && p->rv_count[k] == 0) k--;
    out[0] = rv_quarters[k];
    return emg_ok();
}
emg_status jsym_f_mean_rv(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    double *x = rv_each_note(p);
    out[0] = jsym_mean(x, p->nnotes);
    free(x);
    return emg_ok();
}
emg_status jsym_f_rv_skewness(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    double *x = rv_each_note(p);
    out[0] = jsym_median_skewness(x, p->nnotes);
    free(x);
    return emg_ok();
}

/* MathAndStatsMethods.getIndexOfSecondLargest: starts at 0 even when 0 is the largest */
static int second_largest(const double *h, int n) {
    int m = jsym_argmax(h, n), s = 0;
    for (int i = 0; i < n; i++)
        if (i != m && h[i] > h[s]) s = i;
    return s;
}
emg_status jsym_f_relative_prevalence_of_most_common_rv(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    int m = jsym_argmax(p->rv_hist, 12), s = second_largest(p->rv_hist, 12);
    out[0] = p->rv_hist[m] == 0.0 ? 0.0 : p->rv_hist[s] / p->rv_hist[m];
    return emg_ok();
}
emg_status jsym_f_difference_between_most_common_rv(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    int m = jsym_argmax(p->rv_hist, 12), s = second_largest(p->rv_hist, 12);
    out[0] = m > s ? m - s : s - m;
    return emg_ok();
}

emg_status jsym_f_median_rv_run_length(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    double *x = runs_as_double(p, 0, 12);
    out[0] = jsym_median(x, p->runs_first[12]);
    free(x);
    return emg_ok();
}
emg_status jsym_f_mean_rv_offset(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    out[0] = jsym_mean(p->rv_offsets, p->nnotes);
    return emg_ok();
}
emg_status jsym_f_median_rv_offset(jsym_piece *p, double *out) {
    NEED(JSYM_G_RHYTHM);
    out[0] = jsym_median(p->rv_offsets, p->nnotes);
    return emg_ok();
}
