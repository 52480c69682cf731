/* test_jsym_rules.c: hand-built pieces whose jSymbolic 2.2 values follow by hand from its code,
 * for the paths the reference files exercise little (pitch bends, key and time signatures,
 * instruments, rests, voices, loudness quirks). No shared/ needed.
 *
 * The main piece: PPQ 96 and 1,500,000 us per quarter, so every tick lasts exactly 1/64 s and
 * the piece lasts 192 ticks = 3 s (average quarter note 1.5 s).
 *   track 0: tempo; 3/4, A minor at 0; 6/8 at 64 (denominator byte 35: Java's 1 << (35 & 31));
 *            3/4 again at 128 (byte 34); End-of-Track at 192
 *   track 1: channel 1, program 40 (violin): 60 on 0..64 (vel 64), 67 on 64..128 (vel 80);
 *            pitch bends 64, 80, 48, 80, 48 during 60 (a vibrato: 3 changes of direction), then a
 *            single bend 66 during 67 (a microtone)
 *   track 2: channel 2, no program (piano): 48 on 0..32, 52 on 96..160 (vel 48)
 *   track 3: channel 10: 36 on 0..16, 38 on 128..144 (vel 96) */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsym.h"
#include "test_util.h"

#include "smf_build.h"

static double value(const double *v, const char *name) {
    int i = emg_jsym_find_value(name);
    CHECK(i >= 0);
    return i >= 0 ? v[i] : NAN;
}
#define NEAR(name, expected) CHECK_NEAR(value(v, name), (double)(expected), 1e-12 + 1e-12 * fabs((double)(expected)))

static bytes main_piece(void) {
    static bytes t[4];
    t[0] = ev("00 FF 51 03 16 E3 60  00 FF 58 04 03 02 18 08  00 FF 59 02 00 01"
              " 40 FF 58 04 06 23 18 08  40 FF 58 04 03 22 18 08  40 FF 2F 00");
    t[1] = ev("00 C0 28  00 90 3C 40  0A E0 00 40  0A E0 00 50  0A E0 00 30  0A E0 00 50  0A E0 00 30"
              " 0E 80 3C 00  00 90 43 50  06 E0 00 42  3A 80 43 00  00 FF 2F 00");
    t[2] = ev("00 91 30 30  20 81 30 00  40 91 34 30  40 81 34 00  00 FF 2F 00");
    t[3] = ev("00 99 24 60  10 89 24 00  70 99 26 60  10 89 26 00  00 FF 2F 00");
    return smf(1, 96, 4, t);
}

static void test_main_piece(void) {
    bytes f = main_piece();
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_ALL);
    double *v = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    emg_status st = emg_jsym_compute(f.b, f.n, &req, v);
    CHECK_EQ_INT(st.code, 0);
    if (st.code) { fprintf(stderr, "%s\n", st.msg); free(v); return; }
    NEAR("Duration in Seconds", 3.0);
    NEAR("Total Number of Notes", 6);

    /* pitch bends: 2 runs over 4 pitched Note Ons; largest |64 - bend|: 16 and 2 */
    NEAR("Glissando Prevalence", 0.5);
    NEAR("Average Range of Glissandos", 9);
    NEAR("Vibrato Prevalence", 0.25);
    NEAR("Microtone Prevalence", 0.25);

    /* key, meter, tempo (overall_metadata) */
    NEAR("Major or Minor", 1);
    NEAR("Initial Time Signature_0", 3);
    NEAR("Initial Time Signature_1", 4);
    NEAR("Simple Initial Meter", 1);
    NEAR("Triple Initial Meter", 1);
    NEAR("Compound Initial Meter", 0);
    NEAR("Duple Initial Meter", 0);
    NEAR("Quadruple Initial Meter", 0);
    NEAR("Complex Initial Meter", 0);
    NEAR("Metrical Diversity", 2);  /* 3/4, 6/8, 3/4 */
    NEAR("Initial Tempo", 40);
    NEAR("Mean Tempo", ((1.0 / (1.0 / 64.0)) / 96.0) * 60.0);
    NEAR("Tempo Variability", 0);

    /* instruments: violin (40) on channel 1, piano (0) on channel 2, drums 36 and 38 */
    NEAR("Pitched Instruments Present_40", 1);
    NEAR("Pitched Instruments Present_0", 1);
    NEAR("Number of Pitched Instruments", 2);
    NEAR("Note Prevalence of Pitched Instruments_40", 2.0 / 6.0);
    NEAR("Violin Prevalence", 2.0 / 6.0);
    NEAR("Orchestral Strings Prevalence", 2.0 / 6.0);
    NEAR("String Keyboard Prevalence", 2.0 / 6.0);
    NEAR("Unpitched Instruments Present_1", 1);  /* 36 - 35 */
    NEAR("Unpitched Instruments Present_3", 1);
    NEAR("Number of Unpitched Instruments", 2);
    NEAR("Note Prevalence of Unpitched Instruments_1", 1.0 / 6.0);
    NEAR("Unpitched Percussion Instrument Prevalence", 2.0 / 6.0);
    /* whole seconds sounding over whole seconds: violin 2 s, piano 1.5 s -> 1 */
    NEAR("Time Prevalence of Pitched Instruments_40", 2.0 / 3.0);
    NEAR("Time Prevalence of Pitched Instruments_0", 1.0 / 3.0);

    /* complete rests: pitched notes cover 0..160 (drums count as rest): 0.5 s = 1/3 quarter */
    NEAR("Complete Rests Fraction", 0.5 / 3.0);
    NEAR("Longest Complete Rest", 1.0 / 3.0);
    NEAR("Mean Complete Rest Duration", 1.0 / 3.0);
    /* partial rests per channel with notes, in quarter notes (1.5 s): channel 1: 1 s; channel 2:
     * 1 s and 0.5 s; channel 10: 1.75 s and 0.75 s */
    NEAR("Longest Partial Rest", 1.75 / 1.5);
    NEAR("Mean Partial Rest Duration", (1.0 + 1.0 + 0.5 + 1.75 + 0.75) / 1.5 / 5.0);
    NEAR("Median Partial Rest Duration", 1.0 / 1.5);
    /* a channel with notes is silent at every tick from 16 to 192 */
    NEAR("Partial Rests Fraction", 2.75 / 3.0);
    NEAR("Average Rest Fraction Across Voices", ((1.0 + 1.5 + 2.5) / 3.0) / 3.0);

    /* voices: 3 sounding on 0..16, 2 on 16..32, 1 on 32..96, 2 on 96..144, 1 on 144..160 */
    NEAR("Maximum Number of Independent Voices", 3);
    NEAR("Average Number of Independent Voices", 256.0 / 160.0);
    NEAR("Voice Equality - Number of Notes", 0);
    /* integer mean pitches: 63 and 50 */
    NEAR("Voice Separation", 13);
    NEAR("Variability of Voice Separation", 0);
    NEAR("Voice Overlap", 0);
    /* mean loudness 72, 48, 96: the loudest is channel 10 (96 - (72 + 48) / 2) */
    NEAR("Importance of Loudest Voice", 36);
    NEAR("Relative Range of Loudest Voice", 7.0 / 19.0);      /* pitched loudest: channel 1 */
    NEAR("Relative Range Isolation of Loudest Voice", 1);
    /* lowest line (channel 2): 1 whole second over 2 notes, against 3 s over 4 notes */
    NEAR("Relative Note Durations of Lowest Line", 0.5 / 0.75);
    NEAR("Dynamic Range", 48);
    NEAR("Variation of Dynamics In Each Voice", sqrt(128.0) / 3.0);

    /* note durations and attacks (attacks at 0, 64, 96, 128) */
    NEAR("Minimum Note Duration", 0.25);
    NEAR("Maximum Note Duration", 1.0);
    NEAR("Average Note Duration", 4.0 / 6.0);
    NEAR("Amount of Staccato", 0);
    NEAR("Average Time Between Attacks", (63.0 + 31.0 + 31.0) / 64.0 / 3.0);
    NEAR("Note Density", 2.0);

    /* pitch and melody */
    NEAR("First Pitch", 48);
    NEAR("Last Pitch", 52);
    NEAR("Last Pitch Class", 4);
    NEAR("Direction of Melodic Motion", 1);
    NEAR("Most Common Melodic Interval", 4);
    NEAR("Mean Melodic Interval", 5.5);
    free(v);
}

/* every channel's volume 0 and channel 1 unused: jSymbolic's Importance of Loudest Voice keeps
 * channel 1 as "loudest" and overruns its array (no values for the file), and Relative Range
 * Isolation of Loudest Voice divides 0 by 0 */
static void test_silent_loudest(void) {
    bytes t = ev("00 B1 07 00 00 B2 07 00 00 91 3C 40 00 92 40 40 60 81 3C 00 00 82 40 00 00 FF 2F 00");
    bytes f = smf(0, 96, 1, &t);
    double *v = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_ALL);
    CHECK_EQ_INT(emg_jsym_compute(f.b, f.n, &req, v).code, EMG_JSYM_E_JSYMBOLIC);
    emg_jsym_request_set(&req, JSYM_SET_NONE);
    req.want[emg_jsym_find_feature("Relative Range Isolation of Loudest Voice")] = 1;
    req.want[emg_jsym_find_feature("Dynamic Range")] = 1;
    CHECK_EQ_INT(emg_jsym_compute(f.b, f.n, &req, v).code, 0);
    CHECK(isnan(value(v, "Relative Range Isolation of Loudest Voice")));
    CHECK_EQ_DBL(value(v, "Dynamic Range"), 0);
    free(v);
}

/* the first tempo's BPM is Math.round of a float division; a tempo of 0 us per quarter is taken
 * as 0.1 (here followed by a real one, so that the piece has a duration) */
static void test_initial_tempo(void) {
    static const struct { const char *head; double bpm; } cases[] = {
        {"00 FF 51 03 07 A1 20", 120}, {"00 FF 51 03 09 27 C0", 100}, {"00 FF 51 03 0F 42 40", 60},
        {"00 FF 51 03 07 C4 5F", 118}, {"00 FF 51 03 00 00 00 00 FF 51 03 07 A1 20", 600000000}, {"", 120}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char hex[256];
        snprintf(hex, sizeof hex, "%s 00 90 3C 40 60 80 3C 00 00 FF 2F 00", cases[i].head);
        bytes t = ev(hex);
        bytes f = smf(0, 96, 1, &t);
        double *v = malloc(sizeof(double) * EMG_JSYM_NVALUES);
        emg_jsym_request req;
        emg_jsym_request_set(&req, JSYM_SET_ALL);
        emg_status st = emg_jsym_compute(f.b, f.n, &req, v);
        CHECK_EQ_INT(st.code, 0);
        if (!st.code) CHECK_EQ_DBL(value(v, "Initial Tempo"), cases[i].bpm);
        free(v);
    }
}

int main(void) {
    test_main_piece();
    test_silent_loudest();
    test_initial_tempo();
    return TEST_DONE();
}
