/* jsym_window.h: jSymbolic 2.2's windows (its -w option and the windowed features): where
 * MIDIMethods.getStartEndTickArrays cuts a piece, and the sequence of each window as
 * MIDIMethods.breakSequenceIntoWindows builds it. Internal to the jsym_* modules; the public
 * entry is emg_jsym_compute_windows in jsym.h. */
#pragma once
#include <stdint.h>

#include "jsym_engine.h"

/* windows of window_s seconds, each starting overlap_s seconds before the previous one ends
 * (0 <= overlap_s < window_s), measured with MIDIMethods.getSecondsPerTick (the tempo map, with
 * 1 / (int) ticks-per-second before the first tempo event). starts[i] .. ends[i] are inclusive
 * ticks; the last window may be shorter. Fails (no windows) where jSymbolic throws or never
 * finishes: a negative (wrapped) duration, more than max_windows windows. */
emg_status jsym_window_bounds(const jsym_piece *p, double window_s, double overlap_s, int32_t max_windows,
                              int32_t **starts, int32_t **ends, int32_t *n);

/* the seconds jSymbolic reports for a tick (MIDIMethods.getSecondsAtTick: ticks 0..tick
 * inclusive, summed one at a time) */
double jsym_window_seconds_at(const jsym_piece *p, int32_t tick);

/* the sequence of each window, as breakSequenceIntoWindows builds it (see jsym_window.c):
 * out[0..n) (each freed with jsym_seq_free). The events point into the piece's file buffer,
 * which must outlive them. */
emg_status jsym_window_split(const jsym_piece *p, const int32_t *starts, const int32_t *ends, int32_t n, jsym_seq *out);

/* what jSymbolic's Note Density (per_quarter = 0) or Note Density per Quarter Note (1) gives for
 * a window's sequence, read from the sequence alone (Note On count, tick length, Java Sound
 * duration); the test of the split against the windowed features' reference values */
double jsym_window_density(const jsym_seq *q, int per_quarter);
