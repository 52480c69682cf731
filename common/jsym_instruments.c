/* jsym_instruments.c: jSymbolic's instrumentation features (I-*). Pitched instruments are the
 * General MIDI programs in force on channels other than 10 at each Note On (programs are
 * forgotten at each new track); unpitched instruments are the channel-10 Note On pitches 35..81. */
#include "jsym_features.h"

emg_status jsym_f_pitched_instruments_present(jsym_piece *p, double *out) {
    for (int i = 0; i < 128; i++) out[i] = p->instr_notes[i] > 0 ? 1.0 : 0.0;
    return emg_ok();
}
emg_status jsym_f_unpitched_instruments_present(jsym_piece *p, double *out) {
    for (int i = 35; i < 82; i++) out[i - 35] = p->perc_notes[i] > 0 ? 1.0 : 0.0;
    return emg_ok();
}
emg_status jsym_f_note_prevalence_of_pitched_instruments(jsym_piece *p, double *out) {
    for (int i = 0; i < 128; i++)
        out[i] = p->total_note_ons == 0 ? 0.0 : (double)p->instr_notes[i] / (double)p->total_note_ons;
    return emg_ok();
}
emg_status jsym_f_note_prevalence_of_unpitched_instruments(jsym_piece *p, double *out) {
    for (int i = 35; i < 82; i++)
        out[i - 35] = p->total_note_ons == 0 ? 0.0 : (double)p->perc_notes[i] / (double)p->total_note_ons;
    return emg_ok();
}
/* whole seconds an instrument sounds over the whole seconds of the piece (both truncated) */
emg_status jsym_f_time_prevalence_of_pitched_instruments(jsym_piece *p, double *out) {
    emg_status st = jsym_need(p, JSYM_G_INSTR);
    if (st.code) return st;
    for (int i = 0; i < 128; i++) out[i] = p->dur_int == 0 ? 0.0 : (double)p->instr_secs[i] / (double)p->dur_int;
    return emg_ok();
}

static double nonzero_stddev(const int32_t *counts, int a, int b) {
    double x[128];
    int n = 0;
    for (int i = a; i < b; i++)
        if (counts[i] != 0) x[n++] = (double)counts[i];
    return n == 0 ? 0.0 : jsym_stddev(x, n);
}
emg_status jsym_f_variability_of_note_prevalence_of_pitched_instruments(jsym_piece *p, double *out) {
    out[0] = nonzero_stddev(p->instr_notes, 0, 128);
    return emg_ok();
}
emg_status jsym_f_variability_of_note_prevalence_of_unpitched_instruments(jsym_piece *p, double *out) {
    out[0] = nonzero_stddev(p->perc_notes, 35, 82);
    return emg_ok();
}
emg_status jsym_f_number_of_pitched_instruments(jsym_piece *p, double *out) {
    int n = 0;
    for (int i = 0; i < 128; i++) n += p->instr_notes[i] > 0;
    out[0] = n;
    return emg_ok();
}
emg_status jsym_f_number_of_unpitched_instruments(jsym_piece *p, double *out) {
    int n = 0;
    for (int i = 35; i < 82; i++) n += p->perc_notes[i] > 0;
    out[0] = n;
    return emg_ok();
}
emg_status jsym_f_unpitched_percussion_instrument_prevalence(jsym_piece *p, double *out) {
    out[0] = p->total_note_ons == 0 ? 0.0 : (double)p->ch_count[9] / (double)p->total_note_ons;
    return emg_ok();
}

/* MIDIIntermediateRepresentations.calculateInstrumentGroupFrequency */
static double group(const jsym_piece *p, const int *prog, int n) {
    int32_t notes = 0;
    for (int i = 0; i < n; i++) notes += p->instr_notes[prog[i]];
    return p->total_note_ons == 0 ? 0.0 : (double)notes / (double)p->total_note_ons;
}
#define GROUP(name, ...)                                                     \
    emg_status jsym_f_##name(jsym_piece *p, double *out) {                   \
        static const int prog[] = {__VA_ARGS__};                             \
        out[0] = group(p, prog, (int)(sizeof prog / sizeof prog[0]));        \
        return emg_ok();                                                     \
    }
GROUP(string_keyboard_prevalence, 0, 1, 2, 3, 4, 5, 6, 7)
GROUP(acoustic_guitar_prevalence, 24, 25)
GROUP(electric_guitar_prevalence, 26, 27, 28, 29, 30, 31)
GROUP(violin_prevalence, 40, 110)
GROUP(saxophone_prevalence, 64, 65, 66, 67)
GROUP(brass_prevalence, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67)
GROUP(woodwinds_prevalence, 68, 69, 70, 71, 72, 73, 74, 75)
GROUP(orchestral_strings_prevalence, 40, 41, 42, 43, 44, 45, 46)
GROUP(string_ensemble_prevalence, 48, 49, 50, 51)
GROUP(electric_instrument_prevalence, 4, 5, 16, 18, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36, 37, 38, 39)
#undef GROUP
