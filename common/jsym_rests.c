/* jsym_rests.c: jSymbolic's rest features (R-41 .. R-52). A complete rest is a run of ticks where
 * no pitched note with a Note Off sounds (its pitch-strength chart is empty: channel 10 counts as
 * rest); a partial rest is a run of ticks where one channel that has notes is silent. Rests are
 * measured in quarter notes (seconds / average quarter-note duration) and those under 0.1 are
 * dropped (jsym_voices.c builds the lists). */
#include "jsym_features.h"

#define NEED(g) do { emg_status st_ = jsym_need(p, (g)); if (st_.code) return st_; } while (0)

emg_status jsym_f_complete_rests_fraction(jsym_piece *p, double *out) {
    NEED(JSYM_G_SLICES | JSYM_G_RESTS);
    out[0] = p->dur == 0.0 ? 0.0 : p->complete_rest_secs / p->dur;
    return emg_ok();
}

emg_status jsym_f_partial_rests_fraction(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    out[0] = p->dur == 0.0 ? 0.0 : p->partial_rest_secs / p->dur;
    return emg_ok();
}

/* mean over the channels with notes of (piece duration - seconds sounding), over the duration */
emg_status jsym_f_average_rest_fraction_across_voices(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    double total = 0.0;
    int n = 0;
    for (int c = 0; c < 16; c++) {
        if (p->ch_count[c] == 0) continue;
        n++;
        total += p->dur - p->ch_sound_secs[c];
    }
    if (n == 0 || p->dur == 0.0) out[0] = 0.0;
    else out[0] = (total / (double)n) / p->dur;
    return emg_ok();
}

emg_status jsym_f_variability_across_voices_of_combined_rests(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    double x[16];
    int n = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] > 0) x[n++] = (p->dur - p->ch_sound_secs[c]) / p->avg_qn;
    out[0] = n == 0 ? 0.0 : jsym_stddev(x, n);
    return emg_ok();
}

static double largest(const double *x, int32_t n) { return n == 0 ? 0.0 : x[jsym_argmax(x, (int)n)]; }

#define COMPLETE(name, stat)                                           \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {             \
        NEED(JSYM_G_SLICES | JSYM_G_RESTS);                            \
        out[0] = p->ncrest == 0 ? 0.0 : stat(p->crest, p->ncrest);     \
        return emg_ok();                                               \
    }
#define PARTIAL(name, stat)                                            \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {             \
        NEED(JSYM_G_VOICES);                                           \
        out[0] = p->nprest == 0 ? 0.0 : stat(p->prest, p->nprest);     \
        return emg_ok();                                               \
    }
COMPLETE(longest_complete_rest, largest)
COMPLETE(mean_complete_rest_duration, jsym_mean)
COMPLETE(median_complete_rest_duration, jsym_median)
COMPLETE(variability_of_complete_rest_durations, jsym_stddev)
PARTIAL(longest_partial_rest, largest)
PARTIAL(mean_partial_rest_duration, jsym_mean)
PARTIAL(median_partial_rest_duration, jsym_median)
PARTIAL(variability_of_partial_rest_durations, jsym_stddev)
#undef COMPLETE
#undef PARTIAL
