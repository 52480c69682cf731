/* jsym_engine.h: the intermediate data jSymbolic 2.2 derives from a piece (its
 * MIDIIntermediateRepresentations), built from the Java-Sound view of the file (jsym_seq.h).
 *
 * jSymbolic builds most of its intermediates as arrays indexed by MIDI tick (one row per tick,
 * 128 pitches or 16 channels wide) and loops over them. Here every tick-indexed array is replaced
 * by runs of ticks over which nothing changes (tempo segments, "slices" of constant sounding
 * pitches), so the cost grows with the number of notes and tempo changes, not with the tick
 * count; where jSymbolic's result depends on the rounding of a tick-by-tick sum, the sum is
 * emulated exactly (jsym_fp.h).
 *
 * The intermediates are grouped; a group is built the first time a feature asks for it
 * (jsym_need), once per piece. The feature families (jsym_pitch.c, jsym_melody.c, ...) read
 * them. Internal to the jsym_* modules; the public API is jsym.h. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "jsym_seq.h"
#include "status.h"

/* one Note On with velocity > 0, in jSymbolic's visiting order (track, then event) */
typedef struct jsym_note {
    int32_t start;     /* tick of the Note On */
    int32_t end;       /* tick of the first later Note Off (or Note On velocity 0) of the same
                        * channel and pitch in the same track; the track's end if none */
    int32_t track;
    int32_t ev;        /* event index of the Note On in its track */
    uint8_t ch, pitch, vel;
    uint8_t matched;   /* 1 if a Note Off was found (CollectedNoteInfo keeps only these) */
    uint8_t patch;     /* program in force on its channel in its track (0 before any; jSymbolic
                        * forgets programs at each new track) */
} jsym_note;

/* a run of ticks [start, start + len) over which the sounding pitches (channel 10 excluded,
 * only notes with a Note Off) do not change: one row of jSymbolic's pitch_strength_by_tick_chart */
typedef struct jsym_slice {
    int32_t start, len;
    int32_t first;     /* index of its first pitch in jsym_piece.sl_pitch / sl_strength */
    int16_t npitch;    /* pitches with non-zero strength (ascending) */
} jsym_slice;

enum {
    JSYM_G_RHYTHM = 1u << 0,  /* rhythmic values, runs, offsets */
    JSYM_G_BEAT = 1u << 1,    /* beat histograms (both kinds) and their thresholded tables */
    JSYM_G_SLICES = 1u << 2,  /* vertical slices, chord types, vertical intervals, motion */
    JSYM_G_WINDOWS = 1u << 3, /* Note Density per Quarter Note of each 8-quarter-note window */
    JSYM_G_CHANNOTES = 1u << 4, /* matched notes per channel, sorted by start (CollectedNoteInfo) */
    JSYM_G_VOICES = 1u << 5,  /* per-channel sounding time, independent voices, partial rests */
    JSYM_G_INSTR = 1u << 6,   /* seconds each pitched instrument sounds */
    JSYM_G_DURATIONS = 1u << 7, /* each note's duration in seconds */
    JSYM_G_ATTACKS = 1u << 8, /* time between attacks, overall and per channel */
    JSYM_G_RESTS = 1u << 9,   /* complete rests (needs JSYM_G_SLICES) */
    JSYM_G_WINDOWS5 = 1u << 10, /* Note Density of each 5-second window */
};

/* a run of rests in quarter notes, or a stretch of ticks */
typedef struct { int32_t a, b; } jsym_span;  /* ticks [a, b) */

typedef struct jsym_piece {
    jsym_seq seq;
    int64_t L;            /* tick length */
    int R;                /* resolution (ticks per quarter) */
    int64_t us;           /* Sequence.getMicrosecondLength() */
    double dur;           /* sequence_duration_precise = us / 1e6 */
    int32_t dur_int;      /* sequence_duration = (int) (us / 1000000) */
    double mean_tps;      /* ticks per second: L / dur */
    double avg_tick;      /* average_tick_duration = dur / L */
    double avg_qn;        /* average_quarter_note_duration_in_seconds = R * avg_tick */

    /* duration_of_ticks_in_seconds as segments: seg i covers [tseg_tick[i], tseg_tick[i+1]) (the
     * last one up to and including L); tseg_default[i] = 1 when no tempo event set it (the value is
     * then jSymbolic's 1 / mean_tps, or MIDIMethods' 1 / (int) mean_tps for the window split) */
    int ntseg;
    int32_t *tseg_tick;
    double *tseg_val;
    uint8_t *tseg_default;

    /* channel volume (controller 7) changes, per channel sorted by tick, with the value in force
     * (jSymbolic: the last one visited, in track-then-event order, at or before the tick) */
    int nvol[16];
    int32_t *vol_tick[16];
    double *vol_val[16];

    jsym_note *notes;
    int32_t nnotes;
    int32_t total_note_ons;          /* all channels */
    int32_t total_pitched_note_ons;  /* channels other than 10 */

    /* channel_statistics: [0] note count, [6] integer mean pitch, plus sums */
    int32_t ch_count[16];
    int64_t ch_pitch_sum[16];
    int32_t ch_mean_pitch[16];       /* sum / count in int arithmetic, 0 for empty channels */
    int32_t ch_loud_mean[16];        /* [2]: (int) (summed int loudness / count), 0 if empty */
    int32_t ch_mi_mean[16];          /* [3]: (int) mean |melodic interval| (channel 10 too), 0 if none */
    int32_t ch_low[16], ch_high[16]; /* [4], [5]: 1000 / -1000 for empty channels */
    int32_t ch_pitch_count[16][128]; /* Note Ons per channel and pitch (list_of_note_on_pitches_by_channel) */

    /* overall_metadata and other whole-piece counts */
    int major_minor;                 /* first key signature: 1 if minor, else 0 */
    int32_t *ts_num, *ts_den;        /* every time signature, in visiting order */
    int32_t nts;
    int32_t initial_tempo;           /* bpm of the first tempo event (120 if none) */
    int32_t instr_notes[128];        /* pitched_instrument_prevalence[i][0] */
    int32_t perc_notes[128];         /* non_pitched_instrument_prevalence */
    /* pitch bends (pitch_bends_list): per run of bends on a channel until its next Note Off */
    int32_t pb_lists, pb_single, pb_vibrato;
    int64_t pb_greatest_sum;         /* sum over runs of the largest |64 - data2| */

    double basic_pitch_hist[128];    /* normalised */
    double pitch_class_hist[12];
    double fifths_pitch_hist[12];
    double melodic_interval_hist[128];  /* normalised */
    /* melodic intervals per track and channel, concatenated: mi_first[t * 16 + c] .. next */
    int32_t *mi_val;
    int32_t *mi_first;               /* ntracks * 16 + 1 offsets */
    /* pitches of matched Note Ons outside channel 10, in CollectedNoteInfo's order */
    int16_t *pitches_all;
    int32_t npitches_all;
    /* loudness = (int) (velocity * channel volume) of each Note On, per channel in visiting order */
    int32_t *loud;                   /* grouped by channel: loud_first[c] .. loud_first[c + 1] */
    int32_t loud_first[17];

    unsigned have;                   /* JSYM_G_* groups built so far */

    /* JSYM_G_RHYTHM */
    double rv_hist[12];
    int32_t rv_count[12];
    double *rv_offsets;              /* per note, visiting order */
    int32_t *runs;                   /* run lengths grouped by rhythmic value */
    int32_t runs_first[13];

    /* JSYM_G_BEAT */
    double beat_hist[201], beat_hist_std[201];
    double beat_thr[201][3], beat_thr_std[201][3];

    /* JSYM_G_SLICES */
    jsym_slice *slices;
    int32_t nslices;
    uint8_t *sl_pitch;
    int16_t *sl_strength;            /* Java's short: wraps like it */
    double chord_type_hist[11];      /* normalised */
    double vertical_interval_hist[128];  /* normalised (bin 0 = unison velocity) */
    double avg_simultaneous;
    double chord_duration;
    double parallel_frac, similar_frac, contrary_frac, oblique_frac, par5_frac, par8_frac;
    int64_t nonrest_ticks;

    /* JSYM_G_WINDOWS */
    double *win_density;
    int32_t nwin;

    /* JSYM_G_CHANNOTES: matched notes of each channel, stable-sorted by start tick */
    int32_t *cn_idx;                 /* indices into notes[] */
    int32_t cn_first[17];

    /* JSYM_G_SLICES, more */
    int32_t first_pitch, last_pitch; /* lowest pitch of the first / last non-rest tick (0 if none) */
    double avg_simultaneous_pc, var_simultaneous_pc, var_simultaneous;
    double minor_third_frac, major_third_frac;

    /* JSYM_G_VOICES */
    double ch_sound_secs[16];        /* total_time_notes_sounding_per_channel */
    int32_t max_voices;
    double avg_voices, var_voices;
    double partial_rest_secs;        /* seconds of ticks where a channel with notes is silent */
    double *prest;                   /* partial rests >= 0.1 quarter notes, channels in order */
    int32_t nprest;

    /* JSYM_G_RESTS */
    double complete_rest_secs;
    double *crest;                   /* complete rests >= 0.1 quarter notes */
    int32_t ncrest;

    /* JSYM_G_INSTR */
    int32_t instr_secs[128];         /* pitched_instrument_prevalence[i][1] */

    /* JSYM_G_DURATIONS */
    double *note_secs;               /* per note, visiting order */

    /* JSYM_G_ATTACKS */
    double attack_avg, attack_voice_avg, attack_voice_var;
    double *attack_iv;               /* seconds between consecutive distinct attack ticks */
    int32_t nattack_iv;

    /* JSYM_G_WINDOWS5 */
    double *win5_density;
    int32_t nwin5;
} jsym_piece;

/* Builds the always-needed intermediates. Errors: see EMG_JSYM_E_* in jsym_seq.h. */
emg_status jsym_piece_build(jsym_piece *p, const uint8_t *midi, size_t len);
/* The same from a sequence already in Java Sound's form (a window of a piece); takes ownership
 * of *s (freed with the piece, or at once on failure). */
emg_status jsym_piece_build_seq(jsym_piece *p, jsym_seq *s);
void jsym_piece_free(jsym_piece *p);
/* builds the groups in mask that are not built yet (0 or an error status: window split that
 * jSymbolic would never finish) */
emg_status jsym_need(jsym_piece *p, unsigned mask);

/* channel volume in force at tick on channel ch (1.0 before any controller 7) */
double jsym_volume_at(const jsym_piece *p, int ch, int32_t tick);
/* duration_of_ticks_in_seconds[0] */
double jsym_tick_seconds_first(const jsym_piece *p);
/* acc + duration of ticks a, a+1, ..., b-1 added one at a time, as jSymbolic's loops do */
double jsym_sum_tick_seconds(const jsym_piece *p, double acc, int64_t a, int64_t b);
/* out[i] = the sum from 0 of the durations of ticks [a[i], b[i]), tick by tick (jSymbolic's
 * loops), for n spans at once: those inside one tempo segment share one incremental sum */
void jsym_tick_sums_from0(const jsym_piece *p, const int32_t *a, const int32_t *b, int32_t n, double *out);
/* the exact sum of the durations of ticks [a, b) (within an ulp or so: stands for Java's
 * compensated DoubleStream.sum), added to the double-double (*hi, *lo) */
void jsym_exact_tick_seconds(const jsym_piece *p, int64_t a, int64_t b, double *hi, double *lo);
/* the rest runs of the ticks [a, b) as jSymbolic measures them: the tick-by-tick sum from 0,
 * split where a tick lasts 0 seconds; calls emit(ctx, seconds) for each non-zero run */
void jsym_rest_runs(const jsym_piece *p, int64_t a, int64_t b, void (*emit)(void *, double), void *ctx);

/* group builders (jsym_groups.c, jsym_voices.c) */
void jsym_build_voices(jsym_piece *p);
void jsym_build_instr(jsym_piece *p);
void jsym_build_durations(jsym_piece *p);
void jsym_build_attacks(jsym_piece *p);
void jsym_build_rests(jsym_piece *p);
/* Note Density (or per Quarter Note) of each window of window_secs seconds, jSymbolic's split */
emg_status jsym_window_densities(jsym_piece *p, double window_secs, int per_quarter, double **out, int32_t *n);

/* stable radix sort of 64-bit items by their upper 32 bits (a tick, as unsigned); the lower 32
 * bits carry an index */
void jsym_sort_keyed(uint64_t *x, int32_t n);

/* MathAndStatsMethods, same operations in the same order */
double jsym_mean(const double *x, int64_t n);
double jsym_stddev(const double *x, int64_t n);       /* sample (n - 1), 0 when n < 2 */
void jsym_normalize(double *x, int n);                 /* divide by the sum; all 0 if the sum is 0 */
int jsym_argmax(const double *x, int n);               /* first index of the largest */
double jsym_median_skewness(const double *x, int64_t n);
double jsym_median(const double *x, int64_t n);        /* getMedianValue: upper middle of the sorted values, 0 if none */
double jsym_excess_kurtosis(const double *x, int64_t n);
void jsym_thresholded_peaks(const double *hist, int n, double (*table)[3]);
