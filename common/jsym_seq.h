/* jsym_seq.h: the MIDI sequence as jSymbolic 2.2 sees it, i.e. as Java Sound (OpenJDK 17's
 * StandardMidiFileReader, Track, Sequence and MidiUtils.TempoCache) builds it from a file.
 *
 * jSymbolic never looks at the bytes itself: it asks Java Sound for a javax.sound.midi.Sequence and
 * walks its tracks. Java Sound has its own acceptance rules (format 0/1 only, MThd at byte 0, no
 * RIFF wrapper, a track chunk that runs past the end of the file ends the track list, an event
 * that runs past its chunk rejects the file, running status survives meta and SysEx events,
 * data bytes >= 0x80 are taken as data, ...) and its own clock (tempo events of track 0 only,
 * a 32-bit microsecond accumulator). This module reproduces them, so the features see exactly
 * the events and durations jSymbolic saw. The rules are listed in docs/jsymbolic.md.
 *
 * The events point into the caller's buffer (meta and SysEx payloads); nothing is copied but the
 * fixed-size event records. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* error codes (emg_status.code) shared by the jsym_* modules */
enum {
    EMG_JSYM_OK = 0,
    EMG_JSYM_E_UNREADABLE = 1, /* Java Sound cannot read it: not an SMF, truncated, bad status, ... */
    EMG_JSYM_E_FORMAT = 2,     /* SMF format other than 0 or 1 (format 2): Java Sound refuses it */
    EMG_JSYM_E_SMPTE = 3,      /* SMPTE time division: jSymbolic refuses it */
    EMG_JSYM_E_NO_NOTES = 4,   /* no Note On with velocity > 0: jSymbolic throws, no features */
    EMG_JSYM_E_EMPTY = 5,      /* zero tick length: jSymbolic never finishes (window loop), no features */
    EMG_JSYM_E_JSYMBOLIC = 6,  /* a file jSymbolic 2.2 reads but then throws on (too long, bad meta, ...) */
    EMG_JSYM_E_LIMIT = 7,      /* beyond what this port accepts (tracks, events, window count) */
    EMG_JSYM_E_REQUEST = 8,    /* the request names a feature that is not implemented */
};

/* one event as Java Sound stores it */
typedef struct jsym_ev {
    int64_t tick;         /* absolute tick (Java long) */
    uint8_t kind;         /* JSYM_SHORT, JSYM_META, JSYM_SYSEX */
    uint8_t status;       /* SHORT: status byte 0x80..0xEF; META: 0xFF; SYSEX: 0xF0 or 0xF7 */
    uint8_t d1, d2;       /* SHORT: data bytes as read (may be >= 0x80); d2 = 0 for 1-byte messages.
                           * META: d1 = meta type */
    uint32_t len;         /* META/SYSEX payload length */
    const uint8_t *data;  /* META/SYSEX payload (into the caller's buffer) */
} jsym_ev;

enum { JSYM_SHORT = 0, JSYM_META = 1, JSYM_SYSEX = 2 };

/* a Java Sound Track: the events in file order, then one End-of-Track event (always the last,
 * at tick = the track's last event tick, as Track.add keeps it) */
typedef struct jsym_track {
    jsym_ev *ev;
    int32_t n;            /* events including the final End-of-Track */
    int64_t ticks;        /* Track.ticks(): tick of the final End-of-Track */
} jsym_track;

typedef struct jsym_seq {
    int format;
    int resolution;       /* PPQ ticks per quarter note (> 0) */
    int ntracks;
    jsym_track *tracks;
    int64_t tick_length;  /* Sequence.getTickLength(): max Track.ticks(), 0 with no tracks */
    jsym_ev *pool_;       /* all events (one allocation) */
} jsym_seq;

/* Reads buf[0..len) with Java Sound's rules. On failure nothing is held and the status says why
 * (EMG_JSYM_E_UNREADABLE / _FORMAT / _SMPTE / _LIMIT). */
emg_status jsym_seq_read(jsym_seq *s, const uint8_t *buf, size_t len);
void jsym_seq_free(jsym_seq *s);

/* Java Sound's tick -> microsecond clock (MidiUtils.tick2microsecond with a fresh TempoCache):
 * tempo events (meta 0x51 with exactly 3 data bytes) of the first track only, 500000 us per
 * quarter before the first one unless it is at tick 0, each segment truncated to whole
 * microseconds and summed in a 32-bit int (which wraps after ~35 minutes, as Java's does). */
typedef struct jsym_clock {
    int n;
    int64_t *ticks;
    int32_t *mpq;
    int resolution;
} jsym_clock;

/* builds the clock from a list of tempo events already in Track order (tick, mpq) */
void jsym_clock_init(jsym_clock *c, const int64_t *ticks, const int32_t *mpq, int n, int resolution);
/* builds the clock of track 0 of s */
void jsym_clock_from_seq(jsym_clock *c, const jsym_seq *s);
int64_t jsym_clock_us(const jsym_clock *c, int64_t tick);
void jsym_clock_free(jsym_clock *c);

/* Java's (int) cast of a double: NaN -> 0, saturating at INT32_MIN/INT32_MAX */
int32_t jsym_d2i(double x);
