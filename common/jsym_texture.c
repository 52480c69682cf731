/* jsym_texture.c: jSymbolic's texture features (T-1 .. T-18): MIDI channels are the voices.
 * They read channel_statistics (note count, sounding seconds, integer mean loudness, integer
 * mean melodic interval, lowest and highest pitch, integer mean pitch; empty channels hold
 * 1000 / -1000 as lowest / highest) with jSymbolic's own selection quirks, noted where they
 * matter. */
#include "jsym_features.h"

#define NEED(g) do { emg_status st_ = jsym_need(p, (g)); if (st_.code) return st_; } while (0)

emg_status jsym_f_maximum_number_of_independent_voices(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    out[0] = p->max_voices;
    return emg_ok();
}
emg_status jsym_f_average_number_of_independent_voices(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    out[0] = p->avg_voices;
    return emg_ok();
}
emg_status jsym_f_variability_of_number_of_independent_voices(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    out[0] = p->var_voices;
    return emg_ok();
}

/* standard deviation over the channels with notes (optionally without channel 10) */
static double over_channels(const jsym_piece *p, int skip10, double (*get)(const jsym_piece *, int)) {
    double x[16];
    int n = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && !(skip10 && c == 9)) x[n++] = get(p, c);
    return n == 0 ? 0.0 : jsym_stddev(x, n);
}
static double get_count(const jsym_piece *p, int c) { return p->ch_count[c]; }
static double get_sound(const jsym_piece *p, int c) { return p->ch_sound_secs[c]; }
static double get_loud(const jsym_piece *p, int c) { return p->ch_loud_mean[c]; }
static double get_leap(const jsym_piece *p, int c) { return p->ch_mi_mean[c]; }
static double get_range(const jsym_piece *p, int c) { return p->ch_high[c] - p->ch_low[c]; }

emg_status jsym_f_voice_equality_number_of_notes(jsym_piece *p, double *out) {
    out[0] = over_channels(p, 0, get_count);
    return emg_ok();
}
emg_status jsym_f_voice_equality_note_duration(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    out[0] = over_channels(p, 0, get_sound);
    return emg_ok();
}
emg_status jsym_f_voice_equality_dynamics(jsym_piece *p, double *out) {
    out[0] = over_channels(p, 0, get_loud);
    return emg_ok();
}
emg_status jsym_f_voice_equality_melodic_leaps(jsym_piece *p, double *out) {
    out[0] = over_channels(p, 1, get_leap);
    return emg_ok();
}
emg_status jsym_f_voice_equality_range(jsym_piece *p, double *out) {
    out[0] = over_channels(p, 1, get_range);
    return emg_ok();
}

/* loudest channel's mean loudness minus the mean of the others' (channel 10 included) */
emg_status jsym_f_importance_of_loudest_voice(jsym_piece *p, double *out) {
    int voices = 0, loudest = 0;
    int32_t max = 0;
    for (int c = 0; c < 16; c++) {
        if (p->ch_count[c] == 0) continue;
        voices++;
        if (p->ch_loud_mean[c] > max) { max = p->ch_loud_mean[c]; loudest = c; }
    }
    if (voices < 2) { out[0] = 0.0; return emg_ok(); }
    double others[16];
    int n = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && c != loudest) others[n++] = p->ch_loud_mean[c];
    /* when no channel is louder than 0, "loudest" stays channel 1 even if it is empty: then
     * every voice is an "other" and jSymbolic overruns its array of voices - 1 (no features) */
    if (n > voices - 1)
        return emg_statusf(EMG_JSYM_E_JSYMBOLIC, "Importance of Loudest Voice: no channel louder than 0 and channel 1 empty: "
                           "jSymbolic 2.2 throws (array index out of bounds), no features");
    out[0] = (double)max - jsym_mean(others, n);
    return emg_ok();
}

/* pitched range of all the pitched channels with notes */
static int pitched_span(const jsym_piece *p, int *lowest, int *highest) {
    *lowest = 128;
    *highest = -1;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && c != 9) {
            if (p->ch_low[c] < *lowest) *lowest = p->ch_low[c];
            if (p->ch_high[c] > *highest) *highest = p->ch_high[c];
        }
    return !(*lowest == 128 || *highest == -1 || *lowest == *highest);
}

emg_status jsym_f_relative_range_of_loudest_voice(jsym_piece *p, double *out) {
    int loudest = -1;
    int32_t max = -1;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && c != 9 && p->ch_loud_mean[c] > max) { max = p->ch_loud_mean[c]; loudest = c; }
    int lo, hi;
    if (loudest == -1 || !pitched_span(p, &lo, &hi)) out[0] = 0.0;
    else out[0] = (double)(p->ch_high[loudest] - p->ch_low[loudest]) / (double)(hi - lo);
    return emg_ok();
}

/* share of the loudest pitched channel's notes outside the range of the other pitched channels
 * (channel 0 by default; empty channels' 1000 / -1000 never narrow the range) */
emg_status jsym_f_relative_range_isolation_of_loudest_voice(jsym_piece *p, double *out) {
    int loudest = 0;
    int32_t max = 0;
    for (int c = 0; c < 16; c++)
        if (c != 9 && p->ch_loud_mean[c] > max) { max = p->ch_loud_mean[c]; loudest = c; }
    int other = 0, lo = 127, hi = 0;
    for (int c = 0; c < 16; c++)
        if (c != loudest && c != 9) {
            if (p->ch_count[c] != 0) other = 1;
            if (p->ch_low[c] < lo) lo = p->ch_low[c];
            if (p->ch_high[c] > hi) hi = p->ch_high[c];
        }
    double outside = 0.0;
    for (int q = 0; q < 128; q++)
        if (q > hi || q < lo) outside += p->ch_pitch_count[loudest][q];
    /* 0 / 0 (an empty default channel) is NaN in Java too */
    out[0] = other ? outside / (double)p->ch_count[loudest] : 0.0;
    return emg_ok();
}

emg_status jsym_f_relative_range_of_highest_line(jsym_piece *p, double *out) {
    int highest_ch = -1;
    int32_t max = -1;
    for (int c = 0; c < 16; c++)
        if (p->ch_mean_pitch[c] != 0 && c != 9 && p->ch_mean_pitch[c] > max) { max = p->ch_mean_pitch[c]; highest_ch = c; }
    int lo, hi;
    if (highest_ch == -1 || !pitched_span(p, &lo, &hi)) out[0] = 0.0;
    else out[0] = (double)(p->ch_high[highest_ch] - p->ch_low[highest_ch]) / (double)(hi - lo);
    return emg_ok();
}

/* channel_statistics[1] is the channel's sounding time truncated to whole seconds */
emg_status jsym_f_relative_note_durations_of_lowest_line(jsym_piece *p, double *out) {
    NEED(JSYM_G_VOICES);
    int lowest_mean = 128, lowest_ch = 0;
    double total_dur = 0, total_notes = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && c != 9) {
            if (p->ch_mean_pitch[c] < lowest_mean) { lowest_mean = p->ch_mean_pitch[c]; lowest_ch = c; }
            total_dur += jsym_d2i(p->ch_sound_secs[c]);
            total_notes += p->ch_count[c];
        }
    double low_dur = jsym_d2i(p->ch_sound_secs[lowest_ch]), low_notes = p->ch_count[lowest_ch];
    if (low_dur == 0.0 || low_notes == 0.0 || total_dur == 0.0 || total_notes == 0.0) out[0] = 0.0;
    else out[0] = (low_dur / low_notes) / (total_dur / total_notes);
    return emg_ok();
}

/* jSymbolic looks for a mean pitch below 0, so the "lowest line" is always channel 1 */
emg_status jsym_f_relative_size_of_melodic_intervals_in_lowest_line(jsym_piece *p, double *out) {
    double x[16];
    int n = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && c != 9) x[n++] = p->ch_mi_mean[c];
    if (n == 0 || p->ch_mi_mean[0] == 0) out[0] = 0.0;
    else out[0] = (double)p->ch_mi_mean[0] / jsym_mean(x, n);
    return emg_ok();
}

/* share of all Note Ons whose pitch lies within the range of some other channel */
emg_status jsym_f_voice_overlap(jsym_piece *p, double *out) {
    int64_t inside = 0;
    for (int c = 0; c < 16; c++)
        for (int q = 0; q < 128; q++) {
            if (p->ch_pitch_count[c][q] == 0) continue;
            for (int o = 0; o < 16; o++)
                if (o != c && q <= p->ch_high[o] && q >= p->ch_low[o]) { inside += p->ch_pitch_count[c][q]; break; }
        }
    out[0] = p->total_note_ons == 0 ? 0.0 : (double)(int32_t)inside / (double)p->total_note_ons;
    return emg_ok();
}

/* gaps between the sorted integer mean pitches of the pitched channels with notes */
static int separations(const jsym_piece *p, double *iv) {
    double m[16];
    int n = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && c != 9) m[n++] = p->ch_mean_pitch[c];
    if (n < 2) return 0;  /* also jSymbolic's "more than 14 silent channels" */
    for (int i = 0; i < n; i++)  /* SortingMethods.sortDoubleArray: selection sort, ascending */
        for (int j = i + 1; j < n; j++)
            if (m[j] < m[i]) { double t = m[i]; m[i] = m[j]; m[j] = t; }
    for (int i = 0; i + 1 < n; i++) iv[i] = m[i + 1] - m[i];
    return n - 1;
}
emg_status jsym_f_voice_separation(jsym_piece *p, double *out) {
    double iv[16];
    int n = separations(p, iv);
    out[0] = n == 0 ? 0.0 : jsym_mean(iv, n);
    return emg_ok();
}
emg_status jsym_f_variability_of_voice_separation(jsym_piece *p, double *out) {
    double iv[16];
    int n = separations(p, iv);
    out[0] = n == 0 ? 0.0 : jsym_stddev(iv, n);
    return emg_ok();
}
