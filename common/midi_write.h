/* midi_write.h: emg_score -> a type-1 Standard MIDI File, laid out as miditoolkit 0.1.16's
 * MidiFile.dump() writes it (through mido 1.2.10), so that reading the bytes back with the same
 * rules gives what EmoGen's pipeline gets (see docs/midi_reading_rules.md, "Writing"):
 *
 *   track 0 (conductor): time signatures (4/4 at tick 0 first unless one is at tick 0), tempos
 *     (120 BPM at tick 0 first unless one is at tick 0; us per quarter = round-half-even(60e6/bpm)),
 *     key signatures; sorted by tick, at one tick tempo < time signature < key signature;
 *     End-of-Track one tick after the last event.
 *   track 1+i for instrument i: track name (if track_names[i] is non-empty), program change at
 *     tick 0 on channel 9 for drums, else channel [0..8,10..15][i % 15]; every note as note-on
 *     and note-on velocity 0; events sorted by tick, then program change < note events, and
 *     notes by (pitch, velocity) with the velocity-0 offs first; End-of-Track one tick later.
 *   Running status inside channel events; meta events clear it (as mido writes).
 *
 * track_names may be NULL (no names) and any entry may be NULL. *out is malloc'd (free()).
 * Fails (non-zero code, message) when the score cannot be written: ticks_per_beat outside
 * 1..32767, a negative tick, a pitch/velocity/program > 127, more than 65535 tracks. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "midi_score.h"
#include "status.h"

enum { EMG_MIDI_WRITE_E_INVALID = 20 };

emg_status emg_midi_write(const emg_score *s, const char *const *track_names, uint8_t **out, size_t *out_len);
