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
};

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
} jsym_piece;

/* Builds the always-needed intermediates. Errors: see EMG_JSYM_E_* in jsym_seq.h. */
emg_status jsym_piece_build(jsym_piece *p, const uint8_t *midi, size_t len);
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

/* MathAndStatsMethods, same operations in the same order */
double jsym_mean(const double *x, int64_t n);
double jsym_stddev(const double *x, int64_t n);       /* sample (n - 1), 0 when n < 2 */
void jsym_normalize(double *x, int n);                 /* divide by the sum; all 0 if the sum is 0 */
int jsym_argmax(const double *x, int n);               /* first index of the largest */
double jsym_median_skewness(const double *x, int64_t n);
double jsym_excess_kurtosis(const double *x, int64_t n);
void jsym_thresholded_peaks(const double *hist, int n, double (*table)[3]);
