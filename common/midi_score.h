/* midi_score.h: the note-level view of one Standard MIDI File, kept as struct-of-arrays.
 *
 * Two layers, as in symusic/minimidi:
 *   1. midi_events.h: a zero-copy event view over the file's bytes (chunks, tracks, events);
 *   2. this file: notes, instruments, tempos, time and key signatures, built from the events
 *      with miditoolkit 0.1.16's rules (see docs/midi_reading_rules.md), because EmoGen's
 *      tokens and thresholds were computed on what miditoolkit reads.
 *
 * Every array of one score lives in one arena allocation (score->arena), freed by
 * emg_score_free(). Arrays are indexed 0..n-1; nothing here points into the input bytes.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct emg_score {
    /* header */
    int format;             /* 0, 1 or 2 */
    int ntracks;            /* MTrk chunks actually read */
    int division;           /* raw header word: >0 ticks per quarter; bit 15 set = SMPTE */
    int ticks_per_beat;     /* ppq; for SMPTE division the ticks per quarter the score was converted to
                               (fps * ticks_per_frame, with one tempo of 60 BPM: see docs/midi_reading_rules.md) */
    int64_t max_tick;       /* miditoolkit's max_tick: the largest event tick over all tracks, plus 1
                               (0 for a score with no events) */

    /* notes, in miditoolkit order: grouped by instrument (instrument 0's notes, then 1's, ...)
     * and inside an instrument in the order their note-offs were read */
    size_t n_notes;
    int64_t *note_start;    /* ticks */
    int64_t *note_end;      /* ticks, >= note_start */
    uint8_t *note_pitch;    /* 0..127 */
    uint8_t *note_velocity; /* 1..127 */
    uint32_t *note_inst;    /* index into inst_* */

    /* instruments: one per (track, channel, program) as miditoolkit groups them, in its order */
    size_t n_insts;
    uint8_t *inst_program;  /* 0..127 */
    uint8_t *inst_is_drum;  /* 1 for MIDI channel 10 (index 9) */
    uint8_t *inst_channel;  /* 0..15 */
    uint16_t *inst_track;   /* MTrk index */
    const char **inst_name; /* miditoolkit's Instrument.name: the track's last track-name meta read before
                               the instrument was created, "" if none (NUL-terminated, in the arena) */

    /* tempo changes, in miditoolkit's (unsorted) order: see docs/midi_reading_rules.md */
    size_t n_tempos;
    int64_t *tempo_tick;
    double *tempo_bpm;      /* 60e6 / us_per_quarter, as miditoolkit stores it */
    uint32_t *tempo_us;     /* microseconds per quarter note as in the file */

    /* time signatures, stable-sorted by tick as miditoolkit sorts them after reading (file order
     * inside one tick) */
    size_t n_timesigs;
    int64_t *ts_tick;
    uint16_t *ts_num;
    uint16_t *ts_den;       /* the real denominator (2^byte), not the exponent */

    /* key signatures, stable-sorted by tick like the time signatures */
    size_t n_keysigs;
    int64_t *ks_tick;
    int8_t *ks_sharps;      /* -7..7 */
    uint8_t *ks_minor;      /* 0 major, 1 minor */

    uint32_t n_warnings;    /* lenient-mode repairs; see the reader's warning list */
    uint32_t warn_mask;     /* which repairs (EMG_MIDI_W_* bits, midi_events.h) */
    char first_warning[160];/* the first repair: byte offset and reason ("" if none) */

    /* file facts (not miditoolkit's; for midi-info, tests and statistics) */
    int ntracks_header;     /* the header's track count */
    int smpte_fps;          /* 24, 25, 29 (29.97) or 30 when the division is SMPTE; 0 otherwise */
    int smpte_ticks_per_frame;
    uint64_t n_note_on_events;  /* note-on events with velocity > 0, paired or not */
    uint64_t n_events;          /* events read, all kinds, End-of-Track included */
    void *arena;            /* the single allocation behind every array above */
} emg_score;

void emg_score_free(emg_score *s);

/* Seconds at a tick from the tempo list, as miditoolkit's get_tick_to_time_mapping computes it:
 * entries are applied in list order, each from its tick up to the next entry's tick (nothing when
 * that is smaller; the list is not sorted). Ticks past max_tick continue the last entry's rate.
 * O(n_tempos) per call for a tick-sorted list (O(n_tempos^2) otherwise): cache it for many ticks. */
double emg_score_tick_to_seconds(const emg_score *s, int64_t tick);

/* the score's length in seconds: the time of its last event tick (max_tick - 1), 0 if none */
double emg_score_duration_seconds(const emg_score *s);
