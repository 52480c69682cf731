/* midi_events.h: layer 1 of the MIDI reader, a zero-copy event view over a Standard MIDI File.
 *
 * No copy: the caller holds the file's bytes; emg_midi_open() finds the header and the track
 * chunks (its one allocation is the chunk list), and an emg_midi_track_iter walks one track's
 * events without allocating, each one handed
 * out with its absolute tick, status byte, channel, data bytes and (for meta and SysEx events)
 * a pointer into the caller's buffer. Layer 2 (midi_read.h) builds the note-level score from it;
 * the jSymbolic features read events through it too.
 *
 * Accepted: formats 0, 1, 2; running status; meta events; SysEx F0 and escapes F7; unknown
 * chunks (skipped); a RIFF 'RMID' wrapper; SMPTE division. What is repaired in lenient mode and
 * rejected in strict mode is listed in docs/midi_reading_rules.md.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* error codes (emg_status.code) of the MIDI reader, both layers */
enum {
    EMG_MIDI_OK = 0,
    EMG_MIDI_E_NOT_MIDI,    /* no MThd (empty file, text, MIDI 2.0 clip, ...) */
    EMG_MIDI_E_TRUNCATED,   /* file ends inside the header, a chunk header or an event */
    EMG_MIDI_E_HEADER,      /* MThd present but unusable (length < 6, division 0, ...) */
    EMG_MIDI_E_CHUNK,       /* a chunk that cannot be a chunk (bad id where a track must be, bad length) */
    EMG_MIDI_E_EVENT,       /* illegal status byte, data byte >= 0x80, running status without a status */
    EMG_MIDI_E_VLQ,         /* variable-length quantity longer than 4 bytes */
    EMG_MIDI_E_META,        /* a meta event whose payload mido 1.2.10 rejects (bad length, key-signature mode) */
    EMG_MIDI_E_FORMAT,      /* header format other than 0, 1, 2 */
    EMG_MIDI_E_LIMIT,       /* more than EMG_MIDI_MAX_TRACKS tracks, or a score too large for its index types */
};

#define EMG_MIDI_MAX_TRACKS 65535  /* inst_track is uint16_t */

/* what kind of event an emg_midi_event is */
enum {
    EMG_EV_CHANNEL = 0,  /* 0x80..0xEF: status, channel, data[0..ndata-1] */
    EMG_EV_META = 1,     /* 0xFF: meta_type, payload/len */
    EMG_EV_SYSEX = 2,    /* 0xF0 (payload excludes the F0, includes a final F7 if present) */
    EMG_EV_ESCAPE = 3,   /* 0xF7 escape: payload = the raw bytes that follow the length */
    EMG_EV_SYSTEM = 4,   /* lenient only: 0xF1/F2/F3/F6/F8/FA..FE inside a track (illegal, mido reads them):
                            status, data[0..ndata-1] */
};

/* meta types the score builder uses */
enum {
    EMG_META_SEQ_NUMBER = 0x00, EMG_META_TEXT = 0x01, EMG_META_COPYRIGHT = 0x02,
    EMG_META_TRACK_NAME = 0x03, EMG_META_INSTRUMENT_NAME = 0x04, EMG_META_LYRICS = 0x05,
    EMG_META_MARKER = 0x06, EMG_META_CUE = 0x07, EMG_META_CHANNEL_PREFIX = 0x20,
    EMG_META_MIDI_PORT = 0x21, EMG_META_END_OF_TRACK = 0x2F, EMG_META_SET_TEMPO = 0x51,
    EMG_META_SMPTE_OFFSET = 0x54, EMG_META_TIME_SIGNATURE = 0x58, EMG_META_KEY_SIGNATURE = 0x59,
    EMG_META_SEQUENCER_SPECIFIC = 0x7F,
};

/* What lenient mode repaired (or, for the three "note" bits, what legal but unusual layout it met):
 * bits of warn_mask in emg_midi_file / emg_midi_track_iter / emg_score. Each repair also counts
 * once in n_warnings; note bits never count. In strict mode every repair is a rejection instead. */
enum {
    EMG_MIDI_W_JUNK_BEFORE_MTHD   = 1u << 0,  /* bytes before MThd (MacBinary prefix): skipped */
    EMG_MIDI_W_HEADER_LEN         = 1u << 1,  /* note: MThd length > 6, extra bytes skipped (legal) */
    EMG_MIDI_W_TRACK_COUNT        = 1u << 2,  /* header's track count != MTrk chunks present, or format 0 with several */
    EMG_MIDI_W_TRAILING_BYTES     = 1u << 3,  /* bytes after the last chunk that are not a chunk: ignored */
    EMG_MIDI_W_TRUNCATED_TRACK    = 1u << 4,  /* a track chunk runs past the end of the file: what is there is read */
    EMG_MIDI_W_MISSING_EOT        = 1u << 5,  /* a track ends without End-of-Track (or its last event is cut) */
    EMG_MIDI_W_DATA_AFTER_EOT     = 1u << 6,  /* bytes after End-of-Track inside the chunk: ignored */
    EMG_MIDI_W_BAD_EVENT          = 1u << 7,  /* undefined status F4/F5/F9/FD or a data byte >= 0x80: rest of that track skipped */
    EMG_MIDI_W_BAD_META           = 1u << 8,  /* a meta event mido/miditoolkit cannot decode (key-signature mode 2,
                                                 tempo 0, short payload, ...): that event skipped */
    EMG_MIDI_W_FORMAT             = 1u << 9,  /* format word not 0/1/2: read as format 1 */
    EMG_MIDI_W_RIFF               = 1u << 10, /* note: RIFF 'RMID' wrapper (legal) */
    EMG_MIDI_W_UNKNOWN_CHUNK      = 1u << 11, /* note: unknown chunk skipped (legal) */
    EMG_MIDI_W_BAD_SYSEX          = 1u << 12, /* SysEx data byte > 0x7F (mido rejects it): event kept, unused */
    EMG_MIDI_W_NO_EVENTS          = 1u << 13, /* no track, or a track without any event (miditoolkit fails on it) */
    EMG_MIDI_W_SYSTEM_MESSAGE     = 1u << 14, /* system common / real-time message inside a track: skipped, as mido does */
};
#define EMG_MIDI_W_NOTE_BITS (EMG_MIDI_W_RIFF | EMG_MIDI_W_UNKNOWN_CHUNK | EMG_MIDI_W_HEADER_LEN)

/* where one MTrk chunk's event bytes are */
typedef struct emg_midi_chunk {
    size_t offset;            /* first event byte in buf */
    size_t len;               /* bytes available: the declared length, clamped to the end of the file */
    uint32_t declared_len;    /* the chunk header's length */
} emg_midi_chunk;

/* a parsed SMF: header fields and where each track's event bytes are. Points into the caller's buffer. */
typedef struct emg_midi_file {
    const uint8_t *buf;       /* the whole input */
    size_t len;
    size_t smf_offset;        /* offset of "MThd" in buf (after a RIFF header or junk) */
    size_t smf_end;           /* end of the SMF data (RIFF 'data' chunk end, else len) */
    int format;               /* the header's word (0, 1, 2; strict rejects anything else, lenient reads it as 1) */
    int ntracks_header;       /* the header's track count */
    int ntracks;              /* MTrk chunks found (tracks[] has this many entries) */
    int n_other_chunks;       /* unknown chunks skipped */
    int division;             /* raw 16-bit header word */
    int ticks_per_quarter;    /* division when bit 15 is clear; 0 for SMPTE */
    int smpte_fps;            /* 24, 25, 29 (= 29.97 drop-frame) or 30 for SMPTE division; 0 otherwise */
    int smpte_ticks_per_frame;
    int strict;
    uint32_t warn_mask;       /* EMG_MIDI_W_* seen at file level */
    uint32_t n_warnings;      /* file-level repairs counted */
    char first_warning[160];  /* text of the first file-level warning (offset + reason), "" if none */
    emg_midi_chunk *tracks;   /* malloc'd by emg_midi_open, ntracks entries; freed by emg_midi_close */
} emg_midi_file;

/* one event, as handed out by emg_midi_next(); valid until the next call */
typedef struct emg_midi_event {
    int64_t tick;             /* absolute tick in this track (sum of deltas) */
    size_t offset;            /* byte offset of the event's first byte (status or running data) in buf */
    uint8_t kind;             /* EMG_EV_* */
    uint8_t status;           /* full status byte: 0x80..0xEF, 0xF0, 0xF7, 0xFF */
    uint8_t channel;          /* status & 0x0F for channel events */
    uint8_t ndata;            /* 1 or 2 for channel events */
    uint8_t data[2];          /* channel event data bytes (each < 0x80) */
    uint8_t meta_type;        /* for EMG_EV_META */
    uint32_t len;             /* payload length for META / SYSEX / ESCAPE */
    const uint8_t *payload;   /* into buf; for META / SYSEX / ESCAPE */
} emg_midi_event;

/* walks one track; init with emg_midi_track_begin() */
typedef struct emg_midi_track_iter {
    const emg_midi_file *mf;
    const uint8_t *p, *end;   /* cursor and end of this track's bytes */
    int64_t tick;
    int track;                /* index into mf->tracks */
    uint8_t running;          /* current running status (0 = none yet) */
    uint8_t done;             /* no more events */
    uint8_t saw_eot;          /* End-of-Track was read */
    uint32_t warn_mask;       /* EMG_MIDI_W_* seen in this track */
    uint32_t n_warnings;
    char first_warning[160];  /* text of this track's first warning, "" if none */
} emg_midi_track_iter;

/* Parse the header and the chunk list of buf[0..len): no event is read yet. strict = 1 turns
 * every repair of the warning list into a rejection (a RIFF wrapper and unknown chunks are legal
 * and accepted in both modes). On success mf->tracks is malloc'd (free with emg_midi_close; at most
 * len/8 entries); on failure nothing is held and the status names the byte offset and the reason. */
emg_status emg_midi_open(emg_midi_file *mf, const uint8_t *buf, size_t len, int strict);
void emg_midi_close(emg_midi_file *mf);

void emg_midi_track_begin(emg_midi_track_iter *it, const emg_midi_file *mf, int track);
/* The track's next event: returns 1 and fills *ev; 0 at the end of the track (after End-of-Track,
 * or, lenient, where the bytes run out or stop making sense: a warning is recorded); -1 on an
 * error (*st names the byte offset and the reason; strict mode, or a fault that lenient mode
 * cannot repair either). End-of-Track itself is handed out as a META event, then 0 follows. */
int emg_midi_next(emg_midi_track_iter *it, emg_midi_event *ev, emg_status *st);

/* 1 / (frames per second * ticks per frame) for SMPTE division (29 means 29.97); 0 otherwise */
double emg_midi_smpte_seconds_per_tick(const emg_midi_file *mf);

/* short name of one EMG_MIDI_W_* bit, e.g. "missing_end_of_track" */
const char *emg_midi_warning_name(uint32_t bit);
