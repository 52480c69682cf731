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
    int ticks_per_beat;     /* ppq; for SMPTE division the ticks per quarter the score was converted to */
    int64_t max_tick;       /* miditoolkit's max_tick: the largest event tick over all tracks */

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

    /* tempo changes, in miditoolkit's (unsorted) order: see docs/midi_reading_rules.md */
    size_t n_tempos;
    int64_t *tempo_tick;
    double *tempo_bpm;      /* 60e6 / us_per_quarter, as miditoolkit stores it */
    uint32_t *tempo_us;     /* microseconds per quarter note as in the file */

    /* time signatures, in file-reading order (consumers stable-sort by tick as they need) */
    size_t n_timesigs;
    int64_t *ts_tick;
    uint16_t *ts_num;
    uint16_t *ts_den;       /* the real denominator (2^byte), not the exponent */

    /* key signatures */
    size_t n_keysigs;
    int64_t *ks_tick;
    int8_t *ks_sharps;      /* -7..7 */
    uint8_t *ks_minor;      /* 0 major, 1 minor */

    uint32_t n_warnings;    /* lenient-mode repairs; see the reader's warning list */
    void *arena;            /* the single allocation behind every array above */
} emg_score;

void emg_score_free(emg_score *s);
