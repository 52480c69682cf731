/* midi_events.c: layer 1 of the MIDI reader: header, chunk list and a per-track event iterator
 * over the caller's bytes. No copy of the input, one small allocation (the chunk list).
 * The repair/reject rules are in docs/midi_reading_rules.md; each rule below names its case. */
#define _GNU_SOURCE /* memmem */
#include "midi_events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* how far into a file we look for "MThd" when it does not start there (MacBinary headers are
 * 128 bytes; other download wrappers are similar). Beyond this a file is not taken for MIDI. */
#define MTHD_SEARCH_LIMIT 4096

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static uint32_t le32(const uint8_t *p) {
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}
static unsigned be16(const uint8_t *p) { return ((unsigned)p[0] << 8) | p[1]; }


static void note_warning(uint32_t *mask, uint32_t *count, char *first, size_t first_size,
                         uint32_t bit, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void note_warning(uint32_t *mask, uint32_t *count, char *first, size_t first_size,
                         uint32_t bit, const char *fmt, ...) {
    *mask |= bit;
    if (bit & EMG_MIDI_W_NOTE_BITS) return;
    (*count)++;
    if (first[0] == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(first, first_size, fmt, ap);
        va_end(ap);
    }
}
#define FILE_WARN(mf, bit, ...) \
    note_warning(&(mf)->warn_mask, &(mf)->n_warnings, (mf)->first_warning, sizeof (mf)->first_warning, bit, __VA_ARGS__)
#define TRACK_WARN(it, bit, ...) \
    note_warning(&(it)->warn_mask, &(it)->n_warnings, (it)->first_warning, sizeof (it)->first_warning, bit, __VA_ARGS__)

static int is_chunk_id_char(uint8_t c) { return c >= 0x20 && c <= 0x7E; }

/* Find the SMF inside buf: a RIFF 'RMID' wrapper's 'data' chunk, or "MThd" at offset 0, or
 * (lenient) "MThd" within the first MTHD_SEARCH_LIMIT bytes. Sets smf_offset / smf_end. */
static emg_status locate_smf(emg_midi_file *mf) {
    const uint8_t *b = mf->buf;
    size_t len = mf->len;
    if (len == 0) return emg_statusf(EMG_MIDI_E_NOT_MIDI, "empty file (0 bytes)");
    if (len >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "RMID", 4)) {
        /* RIFF chunks: id, little-endian size, payload padded to an even length */
        size_t pos = 12;
        while (pos + 8 <= len) {
            uint32_t sz = le32(b + pos + 4);
            if (!memcmp(b + pos, "data", 4)) {
                size_t start = pos + 8, avail = len - start;
                mf->smf_offset = start;
                mf->smf_end = start + (sz <= avail ? sz : avail);
                FILE_WARN(mf, EMG_MIDI_W_RIFF, "RIFF RMID wrapper: SMF data at offset %zu", start);
                if (sz > avail) {
                    if (mf->strict)
                        return emg_statusf(EMG_MIDI_E_TRUNCATED,
                                           "offset %zu: RIFF 'data' chunk declares %u bytes, only %zu remain",
                                           pos, sz, avail);
                    FILE_WARN(mf, EMG_MIDI_W_TRUNCATED_TRACK,
                              "offset %zu: RIFF 'data' chunk declares %u bytes, only %zu remain", pos, sz, avail);
                }
                return emg_ok();
            }
            size_t step = 8 + (size_t)sz + (sz & 1u);
            if (step > len - pos) break;
            pos += step;
        }
        return emg_statusf(EMG_MIDI_E_NOT_MIDI, "offset 12: RIFF RMID file without a 'data' chunk");
    }
    mf->smf_end = len;
    if (len >= 4 && !memcmp(b, "MThd", 4)) { mf->smf_offset = 0; return emg_ok(); }
    size_t lim = len < MTHD_SEARCH_LIMIT ? len : MTHD_SEARCH_LIMIT;
    for (size_t i = 1; i + 4 <= lim; i++) {
        if (b[i] == 'M' && !memcmp(b + i, "MThd", 4)) {
            if (mf->strict)
                return emg_statusf(EMG_MIDI_E_NOT_MIDI, "offset 0: no MThd at the start (found at offset %zu)", i);
            mf->smf_offset = i;
            FILE_WARN(mf, EMG_MIDI_W_JUNK_BEFORE_MTHD, "offset 0: %zu junk bytes before MThd (skipped)", i);
            return emg_ok();
        }
    }
    return emg_statusf(EMG_MIDI_E_NOT_MIDI, "offset 0: no MThd header (not a Standard MIDI File)");
}

static emg_status read_header(emg_midi_file *mf, size_t *pos_out) {
    const uint8_t *b = mf->buf;
    size_t pos = mf->smf_offset, end = mf->smf_end;
    if (end - pos < 8)
        return emg_statusf(EMG_MIDI_E_TRUNCATED, "offset %zu: file ends inside the MThd chunk header", pos);
    uint32_t hlen = be32(b + pos + 4);
    if (hlen < 6)
        return emg_statusf(EMG_MIDI_E_HEADER, "offset %zu: MThd length %u is shorter than 6", pos + 4, hlen);
    if (end - pos - 8 < 6)
        return emg_statusf(EMG_MIDI_E_TRUNCATED, "offset %zu: file ends inside the MThd header (%zu of 6 bytes)",
                           pos + 8, end - pos - 8);
    if (hlen > end - pos - 8)
        return emg_statusf(EMG_MIDI_E_HEADER, "offset %zu: MThd length %u runs past the end of the file",
                           pos + 4, hlen);
    const uint8_t *h = b + pos + 8;
    mf->format = (int)be16(h);
    mf->ntracks_header = (int)be16(h + 2);
    mf->division = (int)be16(h + 4);
    if (hlen != 6)  /* legal: readers must honour the length and skip what they do not know */
        FILE_WARN(mf, EMG_MIDI_W_HEADER_LEN, "offset %zu: MThd length %u (extra bytes skipped)", pos + 4, hlen);
    if (mf->format > 2) {
        if (mf->strict)
            return emg_statusf(EMG_MIDI_E_FORMAT, "offset %zu: format %d (must be 0, 1 or 2)", pos + 8, mf->format);
        FILE_WARN(mf, EMG_MIDI_W_FORMAT, "offset %zu: format %d read as format 1", pos + 8, mf->format);
    }
    if (mf->division & 0x8000) {
        int fps = -(int)(int8_t)(uint8_t)(mf->division >> 8);
        int tpf = mf->division & 0xFF;
        if (fps != 24 && fps != 25 && fps != 29 && fps != 30)
            return emg_statusf(EMG_MIDI_E_HEADER, "offset %zu: SMPTE division with %d frames per second "
                               "(must be 24, 25, 29 or 30)", pos + 12, fps);
        if (tpf == 0)
            return emg_statusf(EMG_MIDI_E_HEADER, "offset %zu: SMPTE division with 0 ticks per frame", pos + 12);
        mf->smpte_fps = fps;
        mf->smpte_ticks_per_frame = tpf;
        mf->ticks_per_quarter = 0;
    } else {
        if (mf->division == 0)
            return emg_statusf(EMG_MIDI_E_HEADER, "offset %zu: division is 0 ticks per quarter note", pos + 12);
        mf->ticks_per_quarter = mf->division;
    }
    *pos_out = pos + 8 + hlen;
    return emg_ok();
}

/* Walk the chunks after the header. With fill = 0 only count MTrk chunks (and apply every
 * rule); with fill = 1 store them in mf->tracks. Both passes take the same decisions. */
static emg_status scan_chunks(emg_midi_file *mf, size_t pos, int fill, int *count_out) {
    const uint8_t *b = mf->buf;
    size_t end = mf->smf_end;
    int n = 0, other = 0;
    while (pos < end) {
        size_t left = end - pos;
        if (left < 8) {
            /* a few stray bytes after the last chunk (fewer than a chunk header) */
            if (mf->strict)
                return emg_statusf(EMG_MIDI_E_TRUNCATED, "offset %zu: %zu stray bytes after the last chunk", pos, left);
            if (!fill) FILE_WARN(mf, EMG_MIDI_W_TRAILING_BYTES, "offset %zu: %zu stray bytes after the last chunk (ignored)", pos, left);
            break;
        }
        const uint8_t *id = b + pos;
        uint32_t clen = be32(b + pos + 4);
        size_t body = pos + 8, avail = end - body;
        if (!memcmp(id, "MTrk", 4)) {
            if (n >= EMG_MIDI_MAX_TRACKS)
                return emg_statusf(EMG_MIDI_E_LIMIT, "offset %zu: more than %d track chunks", pos, EMG_MIDI_MAX_TRACKS);
            if (clen > avail) {
                if (mf->strict)
                    return emg_statusf(EMG_MIDI_E_TRUNCATED, "offset %zu: track %d declares %u bytes, only %zu remain",
                                       pos, n, clen, avail);
                /* lenient: the iterator reads what is there, and decides whether the file was cut
                 * (keep it) or the length is corrupt (End-of-Track followed by more data: reject) */
            }
            if (fill) {
                mf->tracks[n].offset = body;
                mf->tracks[n].len = clen <= avail ? clen : avail;
                mf->tracks[n].declared_len = clen;
            }
            n++;
            pos = clen <= avail ? body + clen : end;
            continue;
        }
        if (is_chunk_id_char(id[0]) && is_chunk_id_char(id[1]) && is_chunk_id_char(id[2]) &&
            is_chunk_id_char(id[3]) && clen <= avail) {
            /* an unknown chunk (legal: skip it) */
            other++;
            if (!fill) FILE_WARN(mf, EMG_MIDI_W_UNKNOWN_CHUNK, "offset %zu: unknown chunk '%c%c%c%c' (%u bytes) skipped",
                                 pos, id[0], id[1], id[2], id[3], clen);
            pos = body + clen;
            continue;
        }
        /* not a chunk: garbage (e.g. events written after a too-short track length). Lenient
         * mode resumes at the next "MTrk" further on, if there is one. */
        if (mf->strict)
            return emg_statusf(EMG_MIDI_E_CHUNK, "offset %zu: bytes %02X %02X %02X %02X are not a chunk id", pos,
                               id[0], id[1], id[2], id[3]);
        const uint8_t *next = memmem(b + pos + 1, left - 1, "MTrk", 4);
        if (!next) {
            if (!fill) FILE_WARN(mf, EMG_MIDI_W_TRAILING_BYTES, "offset %zu: %zu bytes that are not a chunk (ignored)", pos, left);
            break;
        }
        if (!fill) FILE_WARN(mf, EMG_MIDI_W_TRAILING_BYTES, "offset %zu: %zu bytes that are not a chunk skipped up to the "
                             "next MTrk", pos, (size_t)(next - (b + pos)));
        pos = (size_t)(next - b);
    }
    if (!fill) mf->n_other_chunks = other;
    *count_out = n;
    return emg_ok();
}

emg_status emg_midi_open(emg_midi_file *mf, const uint8_t *buf, size_t len, int strict) {
    memset(mf, 0, sizeof *mf);
    mf->buf = buf;
    mf->len = buf ? len : 0;
    mf->strict = strict;
    emg_status st = locate_smf(mf);
    if (st.code) return st;
    size_t pos = 0;
    st = read_header(mf, &pos);
    if (st.code) return st;
    int n = 0;
    st = scan_chunks(mf, pos, 0, &n);
    if (st.code) return st;
    if (n == 0 && mf->n_other_chunks == 0 && mf->ntracks_header > 0)  /* cut before the first chunk */
        return emg_statusf(EMG_MIDI_E_TRUNCATED, "offset %zu: header declares %d tracks, the file holds none",
                           pos, mf->ntracks_header);
    if (n != mf->ntracks_header) {
        if (strict)
            return emg_statusf(EMG_MIDI_E_HEADER, "offset %zu: header declares %d tracks, the file holds %d",
                               mf->smf_offset + 10, mf->ntracks_header, n);
        FILE_WARN(mf, EMG_MIDI_W_TRACK_COUNT, "offset %zu: header declares %d tracks, the file holds %d (all read)",
                  mf->smf_offset + 10, mf->ntracks_header, n);
    }
    /* format 0 with several tracks: every track is read, in both modes (readers do) */
    if (n > 0) {
        mf->tracks = xmalloc((size_t)n * sizeof *mf->tracks);  /* n <= len / 8 */
        int n2 = 0;
        st = scan_chunks(mf, pos, 1, &n2);
        if (st.code || n2 != n) FAIL("midi chunk scan is not repeatable (%d vs %d)", n, n2);
    }
    mf->ntracks = n;
    return emg_ok();
}

void emg_midi_close(emg_midi_file *mf) {
    if (!mf) return;
    free(mf->tracks);
    mf->tracks = NULL;
    mf->ntracks = 0;
}

void emg_midi_track_begin(emg_midi_track_iter *it, const emg_midi_file *mf, int track) {
    memset(it, 0, sizeof *it);
    it->mf = mf;
    it->track = track;
    if (track < 0 || track >= mf->ntracks) { it->done = 1; return; }
    it->p = mf->buf + mf->tracks[track].offset;
    it->end = it->p + mf->tracks[track].len;
}

static size_t off_of(const emg_midi_track_iter *it, const uint8_t *p) { return (size_t)(p - it->mf->buf); }

/* The track's bytes end before End-of-Track: either the chunk was cut by the end of the file, or
 * an event runs past the chunk's end. Lenient keeps the events read so far. */
static int end_early(emg_midi_track_iter *it, const uint8_t *at, const char *what, emg_status *st) {
    const emg_midi_chunk *c = &it->mf->tracks[it->track];
    it->done = 1;
    if (it->mf->strict) {
        *st = emg_statusf(EMG_MIDI_E_TRUNCATED, "offset %zu: track %d: %s", off_of(it, at), it->track, what);
        return -1;
    }
    uint32_t bit = c->declared_len > c->len ? EMG_MIDI_W_TRUNCATED_TRACK : EMG_MIDI_W_MISSING_EOT;
    TRACK_WARN(it, bit, "offset %zu: track %d: %s (track ends there)", off_of(it, at), it->track, what);
    return 0;
}

/* A byte that no event can start or continue with. Lenient cuts the track there. */
static int bad_event(emg_midi_track_iter *it, const uint8_t *at, emg_status *st, const char *fmt, unsigned v) {
    char why[120];
    snprintf(why, sizeof why, fmt, v);
    it->done = 1;
    if (it->mf->strict) {
        *st = emg_statusf(EMG_MIDI_E_EVENT, "offset %zu: track %d: %s", off_of(it, at), it->track, why);
        return -1;
    }
    TRACK_WARN(it, EMG_MIDI_W_BAD_EVENT, "offset %zu: track %d: %s (rest of the track skipped)", off_of(it, at),
               it->track, why);
    return 0;
}

/* data bytes of a system common / real-time message as mido 1.2.10 defines them; -1 undefined */
static int system_message_length(uint8_t status) {
    switch (status) {
    case 0xF1: case 0xF3: return 1;   /* quarter frame, song select */
    case 0xF2: return 2;              /* song position */
    case 0xF6: case 0xF8: case 0xFA: case 0xFB: case 0xFC: case 0xFE: return 0;
    default: return -1;               /* F4 F5 F9 FD */
    }
}

/* Variable-length quantity of at most 4 bytes. Returns 1 ok, 0 ran out of bytes, -1 too long. */
static inline int read_vlq(const uint8_t **pp, const uint8_t *end, uint32_t *out) {
    const uint8_t *p = *pp;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        if (p >= end) return 0;
        uint8_t c = *p++;
        v = (v << 7) | (c & 0x7Fu);
        if (!(c & 0x80)) { *pp = p; *out = v; return 1; }
    }
    return -1;
}

int emg_midi_next(emg_midi_track_iter *it, emg_midi_event *ev, emg_status *st) {
    if (it->done) return 0;
    const uint8_t *p = it->p, *end = it->end;
    if (p >= end) {
        /* bytes exhausted without End-of-Track */
        const emg_midi_chunk *c = &it->mf->tracks[it->track];
        it->done = 1;
        if (c->declared_len > c->len) return end_early(it, p, "the file ends inside the track (no End-of-Track)", st);
        if (it->mf->strict) {
            *st = emg_statusf(EMG_MIDI_E_CHUNK, "offset %zu: track %d has no End-of-Track", off_of(it, p), it->track);
            return -1;
        }
        TRACK_WARN(it, EMG_MIDI_W_MISSING_EOT, "offset %zu: track %d has no End-of-Track", off_of(it, p), it->track);
        return 0;
    }
    const uint8_t *start = p;
    uint32_t delta;
    int r = read_vlq(&p, end, &delta);
    if (r == 0) return end_early(it, start, "an event's delta time runs past the end of the track", st);
    if (r < 0) {
        it->done = 1;
        *st = emg_statusf(EMG_MIDI_E_VLQ, "offset %zu: track %d: delta time longer than 4 bytes", off_of(it, start),
                          it->track);
        return -1;
    }
    if (p >= end) return end_early(it, start, "an event runs past the end of the track", st);
    const uint8_t *evp = p;
    uint8_t status = *p;
    if (status < 0x80) {
        if (!it->running) {
            it->done = 1;
            *st = emg_statusf(EMG_MIDI_E_EVENT, "offset %zu: track %d: data byte 0x%02X where a status byte must be "
                              "(running status with no status before it)", off_of(it, p), it->track, status);
            return -1;
        }
        status = it->running;
    } else {
        p++;
    }
    ev->tick = it->tick + delta;
    ev->offset = off_of(it, evp);
    ev->status = status;
    if (status < 0xF0) {
        unsigned hi = status & 0xF0u;
        int n = (hi == 0xC0 || hi == 0xD0) ? 1 : 2;
        if (end - p < n) return end_early(it, evp, "a channel event runs past the end of the track", st);
        if (p[0] & 0x80) return bad_event(it, p, st, "data byte 0x%02X >= 0x80 in a channel event", p[0]);
        if (n == 2 && (p[1] & 0x80)) return bad_event(it, p + 1, st, "data byte 0x%02X >= 0x80 in a channel event", p[1]);
        ev->kind = EMG_EV_CHANNEL;
        ev->channel = status & 0x0F;
        ev->ndata = (uint8_t)n;
        ev->data[0] = p[0];
        ev->data[1] = n == 2 ? p[1] : 0;
        ev->meta_type = 0;
        ev->len = 0;
        ev->payload = NULL;
        it->running = status;
        p += n;
    } else if (status == 0xFF || status == 0xF0 || status == 0xF7) {
        uint8_t type = 0;
        if (status == 0xFF) {
            if (p >= end) return end_early(it, evp, "a meta event runs past the end of the track", st);
            type = *p++;
        }
        uint32_t plen;
        const uint8_t *lp = p;
        r = read_vlq(&p, end, &plen);
        if (r == 0) return end_early(it, evp, "an event's length runs past the end of the track", st);
        if (r < 0) {
            it->done = 1;
            *st = emg_statusf(EMG_MIDI_E_VLQ, "offset %zu: track %d: event length longer than 4 bytes", off_of(it, lp),
                              it->track);
            return -1;
        }
        if ((size_t)(end - p) < plen) return end_early(it, evp, "an event's data runs past the end of the track", st);
        ev->kind = status == 0xFF ? EMG_EV_META : status == 0xF0 ? EMG_EV_SYSEX : EMG_EV_ESCAPE;
        ev->channel = 0;
        ev->ndata = 0;
        ev->data[0] = ev->data[1] = 0;
        ev->meta_type = type;
        ev->len = plen;
        ev->payload = p;
        p += plen;
        /* The SMF spec says meta and SysEx events cancel running status; many writers keep using
         * it after meta events anyway (mido reads it that way too), so lenient keeps it. */
        if (it->mf->strict) it->running = 0;
        if (status == 0xFF && type == EMG_META_END_OF_TRACK) {
            it->saw_eot = 1;
            it->done = 1;
            if (p < end) {
                const emg_midi_chunk *c = &it->mf->tracks[it->track];
                if (c->declared_len > c->len) {
                    /* The chunk claims to run past the end of the file, yet its events end here and
                     * more bytes follow: the length field is corrupt, not the file cut. */
                    *st = emg_statusf(EMG_MIDI_E_CHUNK,
                                      "offset %zu: track %d declares %u bytes (only %zu in the file), but its "
                                      "End-of-Track is followed by %zu more bytes: corrupt chunk length",
                                      c->offset - 4, it->track, c->declared_len, c->len, (size_t)(end - p));
                    return -1;
                }
                if (it->mf->strict) {
                    *st = emg_statusf(EMG_MIDI_E_CHUNK, "offset %zu: track %d: %zu bytes after End-of-Track",
                                      off_of(it, p), it->track, (size_t)(end - p));
                    return -1;
                }
                TRACK_WARN(it, EMG_MIDI_W_DATA_AFTER_EOT, "offset %zu: track %d: %zu bytes after End-of-Track (ignored)",
                           off_of(it, p), it->track, (size_t)(end - p));
            } else {
                const emg_midi_chunk *c = &it->mf->tracks[it->track];
                if (c->declared_len > c->len) {
                    if (it->mf->strict) {
                        *st = emg_statusf(EMG_MIDI_E_TRUNCATED, "offset %zu: track %d declares %u bytes, only %zu remain",
                                          c->offset - 8, it->track, c->declared_len, c->len);
                        return -1;
                    }
                    TRACK_WARN(it, EMG_MIDI_W_TRUNCATED_TRACK,
                               "offset %zu: track %d declares %u bytes, only %zu remain (its events are complete)",
                               c->offset - 8, it->track, c->declared_len, c->len);
                }
            }
        }
    } else {
        /* 0xF1..0xFE other than F7: system common / real-time messages have no place in a file.
         * mido 1.2.10 reads the defined ones anyway (with their data bytes, and they become the
         * running status), so lenient mode does the same and hands them out as EMG_EV_SYSTEM;
         * the undefined F4 F5 F9 FD end the track. */
        int n = system_message_length(status);
        if (it->mf->strict || n < 0 || (n == 0 && evp[0] < 0x80))
            return bad_event(it, evp, st, "status byte 0x%02X is not allowed in a MIDI file", status);
        if (end - p < n) return end_early(it, evp, "a system message runs past the end of the track", st);
        for (int i = 0; i < n; i++)
            if (p[i] & 0x80) return bad_event(it, p + i, st, "data byte 0x%02X >= 0x80 in a system message", p[i]);
        TRACK_WARN(it, EMG_MIDI_W_SYSTEM_MESSAGE, "offset %zu: track %d: system message 0x%02X in a file (skipped)",
                   off_of(it, evp), it->track, status);
        ev->kind = EMG_EV_SYSTEM;
        ev->channel = 0;
        ev->ndata = (uint8_t)n;
        ev->data[0] = n > 0 ? p[0] : 0;
        ev->data[1] = n > 1 ? p[1] : 0;
        ev->meta_type = 0;
        ev->len = 0;
        ev->payload = NULL;
        it->running = status;
        p += n;
    }
    it->tick = ev->tick;
    it->p = p;
    return 1;
}

double emg_midi_smpte_seconds_per_tick(const emg_midi_file *mf) {
    if (!mf->smpte_fps) return 0.0;
    double fps = mf->smpte_fps == 29 ? 30000.0 / 1001.0 : (double)mf->smpte_fps;
    return 1.0 / (fps * mf->smpte_ticks_per_frame);
}

const char *emg_midi_warning_name(uint32_t bit) {
    switch (bit) {
    case EMG_MIDI_W_JUNK_BEFORE_MTHD: return "junk_before_MThd";
    case EMG_MIDI_W_HEADER_LEN: return "header_length_not_6";
    case EMG_MIDI_W_TRACK_COUNT: return "track_count_mismatch";
    case EMG_MIDI_W_TRAILING_BYTES: return "trailing_bytes";
    case EMG_MIDI_W_TRUNCATED_TRACK: return "truncated_track";
    case EMG_MIDI_W_MISSING_EOT: return "missing_end_of_track";
    case EMG_MIDI_W_DATA_AFTER_EOT: return "data_after_end_of_track";
    case EMG_MIDI_W_BAD_EVENT: return "bad_event";
    case EMG_MIDI_W_BAD_META: return "bad_meta";
    case EMG_MIDI_W_FORMAT: return "bad_format";
    case EMG_MIDI_W_RIFF: return "riff_rmid";
    case EMG_MIDI_W_UNKNOWN_CHUNK: return "unknown_chunk";
    case EMG_MIDI_W_BAD_SYSEX: return "bad_sysex";
    case EMG_MIDI_W_NO_EVENTS: return "no_events";
    case EMG_MIDI_W_SYSTEM_MESSAGE: return "system_message";
    default: return "unknown";
    }
}
