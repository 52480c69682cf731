/* jsym_tempo.c: jSymbolic's tempo, density, attack and duration features (RT-1 .. RT-15, R-11):
 * seconds come from the tick-by-tick tempo map (duration_of_ticks_in_seconds), summed as
 * jSymbolic's loops sum them (jsym_sum_tick_seconds, jsym_fp_repeat_add). */
#include <math.h>

#include "jsym_features.h"
#include "jsym_fp.h"

#define NEED(g) do { emg_status st_ = jsym_need(p, (g)); if (st_.code) return st_; } while (0)

emg_status jsym_f_initial_tempo(jsym_piece *p, double *out) {
    out[0] = p->initial_tempo;
    return emg_ok();
}

/* beats per minute of the tick, computed as jSymbolic does from its seconds per tick */
static double segment_bpm(const jsym_piece *p, int i) {
    double d = p->tseg_default[i] ? 1.0 / p->mean_tps : p->tseg_val[i];
    return ((1.0 / d) / (double)p->R) * 60.0;
}
static int64_t segment_ticks(const jsym_piece *p, int i) {
    int64_t e = i + 1 < p->ntseg ? p->tseg_tick[i + 1] : p->L + 1;
    return e - p->tseg_tick[i];
}
/* mean over the ticks 0..L, summed tick by tick */
static double mean_bpm(const jsym_piece *p) {
    double acc = 0.0;
    for (int i = 0; i < p->ntseg; i++) acc = jsym_fp_repeat_add(acc, segment_bpm(p, i), segment_ticks(p, i));
    return acc / (double)(p->L + 1);
}
emg_status jsym_f_mean_tempo(jsym_piece *p, double *out) {
    out[0] = mean_bpm(p);
    return emg_ok();
}
emg_status jsym_f_tempo_variability(jsym_piece *p, double *out) {
    double m = mean_bpm(p), acc = 0.0;
    for (int i = 0; i < p->ntseg; i++) {
        double d = segment_bpm(p, i) - m;
        acc = jsym_fp_repeat_add(acc, d * d, segment_ticks(p, i));
    }
    out[0] = sqrt(acc / (double)p->L);  /* L + 1 ticks: the sample deviation divides by L */
    return emg_ok();
}

emg_status jsym_f_note_density(jsym_piece *p, double *out) {
    out[0] = p->dur_int == 0 ? 0.0 : (double)p->total_note_ons / p->dur;
    return emg_ok();
}

emg_status jsym_f_note_density_per_quarter_note_per_voice(jsym_piece *p, double *out) {
    double d;
    emg_status st = jsym_f_note_density_per_quarter_note(p, &d);
    if (st.code) return st;
    int voices = 0;
    for (int c = 0; c < 16; c++) voices += p->ch_count[c] != 0;
    out[0] = d / (double)voices;
    return emg_ok();
}

/* Note Density of each 5-second window (MIDIMethods' split, each window its own piece) */
emg_status jsym_f_note_density_variability(jsym_piece *p, double *out) {
    NEED(JSYM_G_WINDOWS5);
    out[0] = p->nwin5 < 2 ? 0.0 : jsym_stddev(p->win5_density, p->nwin5);
    return emg_ok();
}

emg_status jsym_f_average_time_between_attacks(jsym_piece *p, double *out) {
    NEED(JSYM_G_ATTACKS);
    out[0] = p->attack_avg;
    return emg_ok();
}
emg_status jsym_f_average_time_between_attacks_for_each_voice(jsym_piece *p, double *out) {
    NEED(JSYM_G_ATTACKS);
    out[0] = p->attack_voice_avg;
    return emg_ok();
}
emg_status jsym_f_average_variability_of_time_between_attacks_for_each_voice(jsym_piece *p, double *out) {
    NEED(JSYM_G_ATTACKS);
    out[0] = p->attack_voice_var;
    return emg_ok();
}

/* note durations in seconds: every Note On (ended at its track's end without a Note Off) */
emg_status jsym_f_minimum_note_duration(jsym_piece *p, double *out) {
    NEED(JSYM_G_DURATIONS);
    int32_t k = 0;
    for (int32_t i = 0; i < p->nnotes; i++)
        if (p->note_secs[i] < p->note_secs[k]) k = i;
    out[0] = p->nnotes == 0 ? 0.0 : p->note_secs[k];
    return emg_ok();
}
emg_status jsym_f_maximum_note_duration(jsym_piece *p, double *out) {
    NEED(JSYM_G_DURATIONS);
    int32_t k = 0;
    for (int32_t i = 0; i < p->nnotes; i++)
        if (p->note_secs[i] > p->note_secs[k]) k = i;
    out[0] = p->nnotes == 0 ? 0.0 : p->note_secs[k];
    return emg_ok();
}
emg_status jsym_f_average_note_duration(jsym_piece *p, double *out) {
    NEED(JSYM_G_DURATIONS);
    out[0] = jsym_mean(p->note_secs, p->nnotes);
    return emg_ok();
}
emg_status jsym_f_variability_of_note_durations(jsym_piece *p, double *out) {
    NEED(JSYM_G_DURATIONS);
    out[0] = jsym_stddev(p->note_secs, p->nnotes);
    return emg_ok();
}
emg_status jsym_f_amount_of_staccato(jsym_piece *p, double *out) {
    NEED(JSYM_G_DURATIONS);
    int32_t shorts = 0;
    for (int32_t i = 0; i < p->nnotes; i++) shorts += p->note_secs[i] < 0.1;
    out[0] = (shorts == 0 || p->total_note_ons == 0) ? 0.0 : (double)shorts / (double)p->total_note_ons;
    return emg_ok();
}
