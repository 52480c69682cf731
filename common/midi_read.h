/* midi_read.h: layer 2 of the MIDI reader: bytes -> emg_score (midi_score.h), with the rules of
 * miditoolkit 0.1.16 on mido 1.2.10 (note pairing, instrument grouping, tempo list, max_tick),
 * written down in docs/midi_reading_rules.md.
 *
 * No file I/O: the caller passes the bytes (a file, an archive member, an HDF5 blob).
 * Two modes:
 *   lenient (default, opts NULL or {0}): container defects (junk before MThd, wrong track count,
 *     a cut last track, missing End-of-Track, trailing bytes, a meta payload mido cannot decode,
 *     ...) are repaired, each counted in score->n_warnings and named in score->warn_mask;
 *   strict ({1}): every such defect rejects the file, and so does every file on which
 *     mido 1.2.10 / miditoolkit 0.1.16 raise while reading (e.g. a key signature with mode 2).
 * A rejection returns a non-zero EMG_MIDI_E_* code (midi_events.h) and a message that names the
 * byte offset and the reason; *out is then empty (nothing to free, freeing it is harmless).
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "midi_events.h"
#include "midi_score.h"
#include "status.h"

typedef struct {
    int strict;      /* {0} = lenient, the default */
    int check_only;  /* 1: the same checks, warnings and header fields, but no notes, instruments,
                        tempos or signatures are built (what `unpack` needs to accept a file;
                        about twice as fast). The score then has no arena (freeing it is harmless). */
} emg_midi_opts;

emg_status emg_midi_read(const uint8_t *buf, size_t len, const emg_midi_opts *opts, emg_score *out);
