/* jsym_seq.c: Java Sound's reading of a Standard MIDI File (see jsym_seq.h for why this is not
 * the project's own lenient reader: jSymbolic's values depend on Java Sound's exact choices). */
#include "jsym_seq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static int16_t be16s(const uint8_t *p) { return (int16_t)(uint16_t)(p[0] << 8 | p[1]); }

int32_t jsym_d2i(double x) {
    if (isnan(x)) return 0;
    if (x >= 2147483647.0) return INT32_MAX;
    if (x <= -2147483648.0) return INT32_MIN;
    return (int32_t)x;
}

/* growing event pool: never more events than bytes in the file plus one End-of-Track per track */
typedef struct { jsym_ev *ev; size_t n, cap; } ev_buf;
static jsym_ev *ev_push(ev_buf *b) {
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->ev = xrealloc(b->ev, b->cap * sizeof *b->ev);
    }
    return &b->ev[b->n++];
}

/* SMFParser.readTrack over one chunk's bytes. Any read past the chunk is an EOFException in Java
 * (the whole file is rejected), as are status bytes 0xF1..0xFE and data without a running status.
 * Returns 0 or -1 with *st set. */
static int read_track(const uint8_t *p, size_t n, ev_buf *b, size_t *first, int64_t *ticks_out,
                      emg_status *st, int track_no) {
    size_t pos = 0;
    uint64_t tick = 0;
    int running = 0;
    int64_t last_tick = 0;
    *first = b->n;
    while (pos < n) {
        /* delta time: Java reads a variable-length quantity of any length into a long */
        uint64_t v = 0;
        int c;
        do {
            if (pos >= n) goto eof;
            c = p[pos++];
            v = (v << 7) + (uint64_t)(c & 0x7F);
        } while (c & 0x80);
        tick += v;
        if (tick > (uint64_t)INT32_MAX) {
            *st = emg_statusf(EMG_JSYM_E_JSYMBOLIC, "track %d: tick %llu beyond jSymbolic's int range",
                              track_no, (unsigned long long)tick);
            return -1;
        }
        if (pos >= n) goto eof;
        int byte = p[pos++];
        int status, data1 = -1;
        if (byte >= 0x80) {
            status = byte;
            if ((status & 0xF0) != 0xF0) running = status;  /* only channel messages set running status */
        } else {
            status = running;
            data1 = byte;
        }
        jsym_ev e = {0};
        e.tick = (int64_t)tick;
        int eot = 0;
        switch (status & 0xF0) {
        case 0x80: case 0x90: case 0xA0: case 0xB0: case 0xE0:
            if (data1 < 0) { if (pos >= n) goto eof; data1 = p[pos++]; }
            if (pos >= n) goto eof;
            e.kind = JSYM_SHORT; e.status = (uint8_t)status; e.d1 = (uint8_t)data1; e.d2 = p[pos++];
            break;
        case 0xC0: case 0xD0:
            if (data1 < 0) { if (pos >= n) goto eof; data1 = p[pos++]; }
            e.kind = JSYM_SHORT; e.status = (uint8_t)status; e.d1 = (uint8_t)data1; e.d2 = 0;
            break;
        case 0xF0:
            if (status != 0xF0 && status != 0xF7 && status != 0xFF) goto bad_status;
            {
                int type = 0;
                if (status == 0xFF) { if (pos >= n) goto eof; type = p[pos++]; }
                uint64_t l = 0;
                do {
                    if (pos >= n) goto eof;
                    c = p[pos++];
                    l = (l << 7) + (uint64_t)(c & 0x7F);
                } while (c & 0x80);
                int32_t len32 = (int32_t)(uint32_t)l;  /* Java: (int) readVarInt() */
                if (len32 < 0 || (uint64_t)len32 > n - pos) {
                    *st = emg_statusf(EMG_JSYM_E_UNREADABLE,
                                      "track %d: message length %lld out of bounds (Java Sound rejects the file)",
                                      track_no, (long long)len32);
                    return -1;
                }
                if (status == 0xFF && type >= 128) {
                    *st = emg_statusf(EMG_JSYM_E_UNREADABLE,
                                      "track %d: meta type 0x%02X >= 0x80 (Java Sound rejects the file)", track_no, type);
                    return -1;
                }
                e.kind = status == 0xFF ? JSYM_META : JSYM_SYSEX;
                e.status = (uint8_t)status;
                e.d1 = (uint8_t)type;
                e.len = (uint32_t)len32;
                e.data = p + pos;
                pos += (size_t)len32;
                if (status == 0xFF && type == 0x2F) eot = 1;
                break;
            }
        default:
        bad_status:
            *st = emg_statusf(EMG_JSYM_E_UNREADABLE, "track %d: invalid status byte 0x%02X (Java Sound rejects the file)",
                              track_no, status);
            return -1;
        }
        last_tick = e.tick;
        /* Track.add: an End-of-Track without payload only moves the track's own EOT; one with a
         * payload is not recognised as End-of-Track there and is kept as a plain meta event */
        if (!(eot && e.len == 0)) *ev_push(b) = e;
        if (eot) break;
    }
    *ticks_out = last_tick;
    return 0;
eof:
    *st = emg_statusf(EMG_JSYM_E_UNREADABLE, "track %d: event runs past the end of its chunk (Java Sound rejects the file)",
                      track_no);
    return -1;
}

emg_status jsym_seq_read(jsym_seq *s, const uint8_t *buf, size_t len) {
    memset(s, 0, sizeof *s);
    emg_status st = emg_ok();
    if (len < 14 || memcmp(buf, "MThd", 4) != 0)
        return emg_statusf(EMG_JSYM_E_UNREADABLE, len < 4 || memcmp(buf, "MThd", 4) ? "no MThd at byte 0 (Java Sound: not a valid MIDI file)"
                                                                        : "file ends inside the MThd header");
    int32_t hdr_len = (int32_t)be32(buf + 4);
    int format = be16s(buf + 8);
    int ntracks_hdr = be16s(buf + 10);
    int timing = be16s(buf + 12);
    if (timing <= 0) {
        int frame = -(timing >> 8);
        if (frame != 24 && frame != 25 && frame != 29 && frame != 30)
            return emg_statusf(EMG_JSYM_E_UNREADABLE, "unknown SMPTE frame code %d (Java Sound rejects the file)", frame);
        return emg_statusf(EMG_JSYM_E_SMPTE, "SMPTE time division: jSymbolic accepts only PPQ timing");
    }
    if (format != 0 && format != 1)
        return emg_statusf(EMG_JSYM_E_FORMAT, "SMF format %d: Java Sound reads only formats 0 and 1", format);

    size_t pos = 14;
    int32_t extra = (int32_t)((uint32_t)hdr_len - 6u);  /* Java int arithmetic */
    if (extra > 0) pos = (size_t)extra > len - pos ? len : pos + (size_t)extra;

    ev_buf b = {0};
    int ntr = 0;
    size_t *first = xmalloc(sizeof(size_t) * (size_t)(ntracks_hdr > 0 ? ntracks_hdr : 1));
    int64_t *tticks = xmalloc(sizeof(int64_t) * (size_t)(ntracks_hdr > 0 ? ntracks_hdr : 1));
    for (int t = 0; t < ntracks_hdr; t++) {
        /* SMFParser.nextTrack: skip non-MTrk chunks; a short skip or a truncated MTrk chunk ends
         * the track list quietly, a missing chunk header is an EOFException */
        int64_t skip = 0;
        uint32_t magic = 0;
        int32_t tlen = 0;
        int stop = 0;
        for (;;) {
            if (skip < 0 || (uint64_t)skip > len - pos) { stop = 1; break; }
            pos += (size_t)skip;
            if (len - pos < 8) {
                st = emg_statusf(EMG_JSYM_E_UNREADABLE, "header promises %d tracks, file ends after %d (Java Sound rejects the file)",
                                 ntracks_hdr, ntr);
                goto fail;
            }
            magic = be32(buf + pos);
            tlen = (int32_t)be32(buf + pos + 4);
            pos += 8;
            if (magic == 0x4d54726bu) break;
            skip = tlen;
        }
        if (stop || tlen < 0 || (size_t)tlen > len - pos) break;
        if (read_track(buf + pos, (size_t)tlen, &b, &first[ntr], &tticks[ntr], &st, ntr) < 0) goto fail;
        /* Java's Track always ends with its own End-of-Track event */
        jsym_ev *e = ev_push(&b);
        memset(e, 0, sizeof *e);
        e->tick = tticks[ntr];
        e->kind = JSYM_META;
        e->status = 0xFF;
        e->d1 = 0x2F;
        ntr++;
        pos += (size_t)tlen;
    }
    s->format = format;
    s->resolution = timing;
    s->ntracks = ntr;
    s->pool_ = b.ev;
    s->tracks = xcalloc((size_t)(ntr > 0 ? ntr : 1), sizeof *s->tracks);
    for (int t = 0; t < ntr; t++) {
        size_t end = t + 1 < ntr ? first[t + 1] : b.n;
        s->tracks[t].ev = b.ev + first[t];
        s->tracks[t].n = (int32_t)(end - first[t]);
        s->tracks[t].ticks = tticks[t];
        if (tticks[t] > s->tick_length) s->tick_length = tticks[t];
    }
    free(first);
    free(tticks);
    return emg_ok();
fail:
    free(first);
    free(tticks);
    free(b.ev);
    memset(s, 0, sizeof *s);
    return st;
}

void jsym_seq_free(jsym_seq *s) {
    free(s->pool_);
    free(s->tracks);
    memset(s, 0, sizeof *s);
}

void jsym_clock_init(jsym_clock *c, const int64_t *ticks, const int32_t *mpq, int n, int resolution) {
    int fake = !(n > 0 && ticks[0] == 0);
    c->n = n + fake;
    c->ticks = xmalloc(sizeof(int64_t) * (size_t)c->n);
    c->mpq = xmalloc(sizeof(int32_t) * (size_t)c->n);
    c->resolution = resolution;
    int e = 0;
    if (fake) { c->ticks[0] = 0; c->mpq[0] = 500000; e = 1; }
    for (int i = 0; i < n; i++, e++) { c->ticks[e] = ticks[i]; c->mpq[e] = mpq[i]; }
}

void jsym_clock_from_seq(jsym_clock *c, const jsym_seq *s) {
    int n = 0;
    const jsym_track *t = s->ntracks > 0 ? &s->tracks[0] : NULL;
    if (t)
        for (int i = 0; i < t->n; i++)
            if (t->ev[i].kind == JSYM_META && t->ev[i].d1 == 0x51 && t->ev[i].len == 3) n++;
    int64_t *ticks = xmalloc(sizeof(int64_t) * (size_t)(n + 1));
    int32_t *mpq = xmalloc(sizeof(int32_t) * (size_t)(n + 1));
    n = 0;
    if (t)
        for (int i = 0; i < t->n; i++) {
            const jsym_ev *e = &t->ev[i];
            if (e->kind == JSYM_META && e->d1 == 0x51 && e->len == 3) {
                ticks[n] = e->tick;
                mpq[n] = (int32_t)(e->data[0] << 16 | e->data[1] << 8 | e->data[2]);
                n++;
            }
        }
    jsym_clock_init(c, ticks, mpq, n, s->resolution);
    free(ticks);
    free(mpq);
}

/* MidiUtils.ticks2microsec: (long) (tick * tempo / resolution) in doubles */
static int64_t ticks2us(int64_t tick, int32_t mpq, int res) {
    double v = (double)tick * (double)mpq / (double)res;
    if (isnan(v)) return 0;
    if (v >= 9223372036854775807.0) return INT64_MAX;
    if (v <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)v;
}

int64_t jsym_clock_us(const jsym_clock *c, int64_t tick) {
    int32_t snap_us = 0;  /* Java keeps this in an int: `snapshotMicro += long` narrows */
    int snap = 0;
    for (int i = 1; i < c->n && c->ticks[i] <= tick; i++) {
        snap_us = (int32_t)(uint32_t)((uint64_t)(int64_t)snap_us + (uint64_t)ticks2us(c->ticks[i] - c->ticks[i - 1], c->mpq[i - 1], c->resolution));
        snap = i;
    }
    return (int64_t)snap_us + ticks2us(tick - c->ticks[snap], c->mpq[snap], c->resolution);
}

void jsym_clock_free(jsym_clock *c) {
    free(c->ticks);
    free(c->mpq);
    memset(c, 0, sizeof *c);
}
