/* midi_read.c: layer 2 of the MIDI reader: events -> emg_score with miditoolkit 0.1.16's rules.
 *
 * One pass over each track's events (midi_events.h), in file order, builds everything:
 *   notes      per track, open notes are kept per (channel, pitch) in note-on order; a note-off
 *              (or note-on velocity 0) closes every open note of that key that did not start at
 *              the same tick, in note-on order. If it closed some and some started at this tick,
 *              those stay open; otherwise the key is emptied (so a note-off at the very tick of
 *              its only note-ons discards them). Notes never closed are dropped.
 *   instrument keyed (program current at note-off time, channel, track), created at its first
 *              note, in creation order; drums = channel 10 (index 9).
 *   tempos     [120 BPM @ 0]; a set_tempo at tick 0 (any track) replaces the whole list; later
 *              ones are appended when their BPM differs from the last entry. Not sorted.
 *   ts / ks    every valid meta, then stable-sorted by tick.
 *   max_tick   1 + the largest event tick over all tracks.
 * Scratch arrays grow by doubling (no per-event allocation); the score is then copied into one
 * exact-size arena. See docs/midi_reading_rules.md for every rule and its source line. */
#include "midi_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* mido refuses a meta or SysEx payload longer than this (MAX_MESSAGE_LENGTH in midifiles.py) */
#define MIDO_MAX_MESSAGE_LENGTH 1000000u

typedef struct { int64_t start, end; uint32_t inst; uint8_t pitch, vel; } note_rec;
typedef struct { int64_t tick; uint8_t vel; int32_t next; } open_rec;
typedef struct { uint8_t program, channel; uint16_t track; const uint8_t *name; uint32_t name_len; } inst_rec;
typedef struct { int64_t tick; double bpm; uint32_t us; } tempo_rec;
typedef struct { int64_t tick; uint32_t seq; uint16_t num, den; } ts_rec;
typedef struct { int64_t tick; uint32_t seq; int8_t sharps; uint8_t minor; } ks_rec;

/* a growable array of T: data, n, cap */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec) (((vec).n == (vec).cap ? vec_grow((void **)&(vec).v, &(vec).cap, sizeof *(vec).v) : (void)0), \
                       &(vec).v[(vec).n++])
static void vec_grow(void **v, size_t *cap, size_t elem) {
    size_t nc = *cap ? *cap * 2 : 64;
    *v = xrealloc(*v, nc * elem);
    *cap = nc;
}

/* per-track tables, valid where stamp == track + 1 (no clearing between tracks) */
typedef struct key_tables {
    uint32_t key_stamp[16 * 128];
    int32_t key_head[16 * 128], key_tail[16 * 128];
    uint32_t inst_stamp[16 * 128];
    uint32_t inst_idx[16 * 128];
} key_tables;

typedef struct builder {
    const emg_midi_file *mf;
    int strict;
    VEC(note_rec) notes;
    VEC(open_rec) open;        /* open notes of the current track (reset per track) */
    VEC(inst_rec) insts;
    VEC(tempo_rec) tempos;
    VEC(ts_rec) ts;
    VEC(ks_rec) ks;
    int check_only;            /* validate and count only: no notes, tables or score */
    struct key_tables *kt;     /* NULL when check_only */
    uint64_t n_note_on_events, n_events;
    int64_t max_tick;
    uint32_t warn_mask, n_warnings;
    char first_warning[160];
} builder;

static void add_warning(builder *b, uint32_t bit, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_warning(builder *b, uint32_t bit, const char *fmt, ...) {
    b->warn_mask |= bit;
    if (bit & EMG_MIDI_W_NOTE_BITS) return;
    b->n_warnings++;
    if (!b->first_warning[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->first_warning, sizeof b->first_warning, fmt, ap);
        va_end(ap);
    }
}

static void merge_warnings(builder *b, uint32_t mask, uint32_t n, const char *first) {
    b->warn_mask |= mask;
    b->n_warnings += n;
    if (!b->first_warning[0] && first[0]) snprintf(b->first_warning, sizeof b->first_warning, "%s", first);
}

/* mido 1.2.10 decodes the denominator as 2**k and then checks log(2**k, 2) is an integer in
 * floating point; these k fail that check (KeyError-free but ValueError), so mido rejects them.
 * k > 15 cannot be stored in ts_den (uint16_t) and is rejected too. */
static int mido_bad_ts_exponent(unsigned k) {
    static const uint8_t bad[] = {29, 31, 39, 47, 51, 55, 58, 59, 62};
    if (k > 15) return 1;
    for (size_t i = 0; i < sizeof bad; i++)
        if (bad[i] == k) return 1;
    return 0;
}

/* A meta event mido or miditoolkit cannot decode: NULL if fine, else the reason. */
static const char *meta_problem(const emg_midi_event *ev, char *why, size_t whysz) {
    const uint8_t *d = ev->payload;
    uint32_t n = ev->len;
    if (n > MIDO_MAX_MESSAGE_LENGTH) return "meta event longer than 1,000,000 bytes (mido refuses it)";
    switch (ev->meta_type) {
    case EMG_META_SEQ_NUMBER:
        return n == 1 ? "sequence-number meta with 1 data byte (mido needs 0 or 2)" : NULL;
    case EMG_META_CHANNEL_PREFIX:
        return n == 0 ? "channel-prefix meta without data" : NULL;
    case EMG_META_SET_TEMPO:
        if (n < 3) return "set-tempo meta shorter than 3 bytes";
        if (d[0] == 0 && d[1] == 0 && d[2] == 0) return "set-tempo of 0 us per quarter (miditoolkit divides by it)";
        return NULL;
    case EMG_META_SMPTE_OFFSET:
        if (n < 5) return "SMPTE-offset meta shorter than 5 bytes";
        if (d[1] > 59 || d[2] > 59 || d[4] > 99) {
            snprintf(why, whysz, "SMPTE-offset meta out of range (min %u, sec %u, subframes %u)", d[1], d[2], d[4]);
            return why;
        }
        return NULL;
    case EMG_META_TIME_SIGNATURE:
        if (n < 4) return "time-signature meta shorter than 4 bytes";
        if (d[0] == 0) return "time signature with numerator 0 (miditoolkit rejects it)";
        if (mido_bad_ts_exponent(d[1])) {
            snprintf(why, whysz, "time-signature denominator 2^%u (mido cannot decode it)", d[1]);
            return why;
        }
        return NULL;
    case EMG_META_KEY_SIGNATURE: {
        if (n < 2) return "key-signature meta shorter than 2 bytes";
        int sf = (int8_t)d[0];
        if (sf < -7 || sf > 7 || d[1] > 1) {
            snprintf(why, whysz, "key signature with %d sharps and mode %u (mido raises KeySignatureError)", sf, d[1]);
            return why;
        }
        return NULL;
    }
    default:
        return NULL;
    }
}

static const char *sysex_problem(const emg_midi_event *ev) {
    if (ev->len > MIDO_MAX_MESSAGE_LENGTH) return "SysEx longer than 1,000,000 bytes (mido refuses it)";
    const uint8_t *d = ev->payload;
    uint32_t a = 0, z = ev->len;
    if (z && d[0] == 0xF0) a = 1;  /* mido strips one leading F0 and one trailing F7 */
    if (z > a && d[z - 1] == 0xF7) z--;
    for (uint32_t i = a; i < z; i++)
        if (d[i] & 0x80) return "SysEx data byte > 0x7F (mido rejects it)";
    return NULL;
}

static uint32_t get_instrument(builder *b, int track, unsigned program, unsigned channel,
                               const uint8_t *name, uint32_t name_len) {
    unsigned k = channel * 128 + program;
    if (b->kt->inst_stamp[k] == (uint32_t)track + 1) return b->kt->inst_idx[k];
    inst_rec *in = VEC_PUSH(b->insts);
    in->program = (uint8_t)program;
    in->channel = (uint8_t)channel;
    in->track = (uint16_t)track;
    in->name = name;
    in->name_len = name_len;
    b->kt->inst_stamp[k] = (uint32_t)track + 1;
    b->kt->inst_idx[k] = (uint32_t)(b->insts.n - 1);
    return b->kt->inst_idx[k];
}

/* note-off (or note-on velocity 0) for key (channel, pitch) at tick */
static void close_notes(builder *b, int track, unsigned channel, unsigned pitch, int64_t tick, unsigned program,
                        const uint8_t *name, uint32_t name_len) {
    unsigned key = channel * 128 + pitch;
    if (b->kt->key_stamp[key] != (uint32_t)track + 1 || b->kt->key_head[key] < 0) return;  /* spurious note-off */
    int32_t keep_head = -1, keep_tail = -1;
    size_t closed = 0;
    for (int32_t i = b->kt->key_head[key]; i >= 0;) {
        open_rec *o = &b->open.v[i];
        int32_t next = o->next;
        if (o->tick != tick) {
            uint32_t inst = get_instrument(b, track, program, channel, name, name_len);
            note_rec *nr = VEC_PUSH(b->notes);
            o = &b->open.v[i];
            nr->start = o->tick;
            nr->end = tick;
            nr->inst = inst;
            nr->pitch = (uint8_t)pitch;
            nr->vel = o->vel;
            closed++;
        } else {
            o->next = -1;
            if (keep_tail < 0) keep_head = i; else b->open.v[keep_tail].next = i;
            keep_tail = i;
        }
        i = next;
    }
    if (closed > 0 && keep_head >= 0) {
        b->kt->key_head[key] = keep_head;
        b->kt->key_tail[key] = keep_tail;
    } else {
        b->kt->key_head[key] = b->kt->key_tail[key] = -1;  /* miditoolkit: del last_note_on[key] */
    }
}

static emg_status read_track(builder *b, int track) {
    const emg_midi_file *mf = b->mf;
    emg_midi_track_iter it;
    emg_midi_event ev;
    emg_status st = emg_ok();
    emg_midi_track_begin(&it, mf, track);
    uint8_t program[16] = {0};
    const uint8_t *name = NULL;
    uint32_t name_len = 0;
    int64_t last_tick = -1;
    b->open.n = 0;
    char why[120];
    int r;
    while ((r = emg_midi_next(&it, &ev, &st)) == 1) {
        b->n_events++;
        last_tick = ev.tick;
        if (ev.kind == EMG_EV_CHANNEL) {
            unsigned hi = ev.status & 0xF0u, ch = ev.channel;
            if (b->check_only) {
                b->n_note_on_events += hi == 0x90 && ev.data[1] > 0;
            } else if (hi == 0xC0) {
                program[ch] = ev.data[0];
            } else if (hi == 0x90 && ev.data[1] > 0) {
                b->n_note_on_events++;
                unsigned key = ch * 128 + ev.data[0];
                if (b->kt->key_stamp[key] != (uint32_t)track + 1) {
                    b->kt->key_stamp[key] = (uint32_t)track + 1;
                    b->kt->key_head[key] = b->kt->key_tail[key] = -1;
                }
                open_rec *o = VEC_PUSH(b->open);
                o->tick = ev.tick;
                o->vel = ev.data[1];
                o->next = -1;
                int32_t idx = (int32_t)(b->open.n - 1);
                if (b->kt->key_tail[key] < 0) b->kt->key_head[key] = idx; else b->open.v[b->kt->key_tail[key]].next = idx;
                b->kt->key_tail[key] = idx;
            } else if (hi == 0x80 || hi == 0x90) {
                close_notes(b, track, ch, ev.data[0], ev.tick, program[ch], name, name_len);
            }
        } else if (ev.kind == EMG_EV_META) {
            const char *bad = meta_problem(&ev, why, sizeof why);
            if (bad) {
                if (b->strict)
                    return emg_statusf(EMG_MIDI_E_META, "offset %zu: track %d: %s", ev.offset, track, bad);
                add_warning(b, EMG_MIDI_W_BAD_META, "offset %zu: track %d: %s (event skipped)", ev.offset, track, bad);
                continue;
            }
            if (b->check_only) continue;
            const uint8_t *d = ev.payload;
            switch (ev.meta_type) {
            case EMG_META_TRACK_NAME:
                name = d;
                name_len = ev.len;
                break;
            case EMG_META_SET_TEMPO: {
                if (mf->smpte_fps) break;  /* SMPTE time ignores tempo (see midi_reading_rules.md) */
                uint32_t us = ((uint32_t)d[0] << 16) | ((uint32_t)d[1] << 8) | d[2];
                double bpm = 60000000.0 / (double)us;  /* mido.tempo2bpm */
                if (ev.tick == 0) {
                    b->tempos.n = 0;
                } else if (b->tempos.v[b->tempos.n - 1].bpm == bpm) {
                    break;
                }
                tempo_rec *t = VEC_PUSH(b->tempos);
                t->tick = ev.tick;
                t->bpm = bpm;
                t->us = us;
                break;
            }
            case EMG_META_TIME_SIGNATURE: {
                ts_rec *t = VEC_PUSH(b->ts);
                t->tick = ev.tick;
                t->seq = (uint32_t)(b->ts.n - 1);
                t->num = d[0];
                t->den = (uint16_t)(1u << d[1]);
                break;
            }
            case EMG_META_KEY_SIGNATURE: {
                ks_rec *k = VEC_PUSH(b->ks);
                k->tick = ev.tick;
                k->seq = (uint32_t)(b->ks.n - 1);
                k->sharps = (int8_t)d[0];
                k->minor = d[1];
                break;
            }
            default:
                break;
            }
        } else if (ev.kind == EMG_EV_SYSEX || ev.kind == EMG_EV_ESCAPE) {
            const char *bad = sysex_problem(&ev);
            if (bad) {
                if (b->strict) return emg_statusf(EMG_MIDI_E_EVENT, "offset %zu: track %d: %s", ev.offset, track, bad);
                add_warning(b, EMG_MIDI_W_BAD_SYSEX, "offset %zu: track %d: %s (ignored)", ev.offset, track, bad);
            }
        }
    }
    merge_warnings(b, it.warn_mask, it.n_warnings, it.first_warning);
    if (r < 0) return st;
    if (last_tick < 0) {
        if (b->strict)
            return emg_statusf(EMG_MIDI_E_CHUNK, "offset %zu: track %d has no events (miditoolkit cannot read it)",
                               mf->tracks[track].offset, track);
        add_warning(b, EMG_MIDI_W_NO_EVENTS, "offset %zu: track %d has no events", mf->tracks[track].offset, track);
    } else if (last_tick + 1 > b->max_tick) {
        b->max_tick = last_tick + 1;
    }
    return emg_ok();
}

static int cmp_ts(const void *a, const void *b) {
    const ts_rec *x = a, *y = b;
    if (x->tick != y->tick) return x->tick < y->tick ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}
static int cmp_ks(const void *a, const void *b) {
    const ks_rec *x = a, *y = b;
    if (x->tick != y->tick) return x->tick < y->tick ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* carve n elements of size sz, aligned to 8, from the arena cursor */
static void *carve(uint8_t **cur, size_t n, size_t sz) {
    void *p = *cur;
    *cur += (n * sz + 7) & ~(size_t)7;
    return p;
}
static size_t carve_size(size_t n, size_t sz) { return (n * sz + 7) & ~(size_t)7; }

static void assemble(builder *b, emg_score *s) {
    size_t nn = b->notes.n, ni = b->insts.n, nt = b->tempos.n, nts = b->ts.n, nks = b->ks.n;
    size_t names = 0;
    for (size_t i = 0; i < ni; i++) names += (size_t)b->insts.v[i].name_len + 1;
    size_t total = carve_size(nn, 8) * 2 + carve_size(nn, 1) * 2 + carve_size(nn, 4) +
                   carve_size(ni, 1) * 3 + carve_size(ni, 2) + carve_size(ni, sizeof(char *)) +
                   carve_size(nt, 8) * 2 + carve_size(nt, 4) +
                   carve_size(nts, 8) + carve_size(nts, 2) * 2 +
                   carve_size(nks, 8) + carve_size(nks, 1) * 2 + carve_size(names, 1) + 8;
    uint8_t *arena = xmalloc(total);
    uint8_t *cur = arena;
    s->arena = arena;
    s->note_start = carve(&cur, nn, 8);
    s->note_end = carve(&cur, nn, 8);
    s->note_inst = carve(&cur, nn, 4);
    s->note_pitch = carve(&cur, nn, 1);
    s->note_velocity = carve(&cur, nn, 1);
    s->inst_program = carve(&cur, ni, 1);
    s->inst_is_drum = carve(&cur, ni, 1);
    s->inst_channel = carve(&cur, ni, 1);
    s->inst_track = carve(&cur, ni, 2);
    s->inst_name = carve(&cur, ni, sizeof(char *));
    s->tempo_tick = carve(&cur, nt, 8);
    s->tempo_bpm = carve(&cur, nt, 8);
    s->tempo_us = carve(&cur, nt, 4);
    s->ts_tick = carve(&cur, nts, 8);
    s->ts_num = carve(&cur, nts, 2);
    s->ts_den = carve(&cur, nts, 2);
    s->ks_tick = carve(&cur, nks, 8);
    s->ks_sharps = carve(&cur, nks, 1);
    s->ks_minor = carve(&cur, nks, 1);
    char *namebuf = carve(&cur, names, 1);

    s->n_notes = nn;
    s->n_insts = ni;
    s->n_tempos = nt;
    s->n_timesigs = nts;
    s->n_keysigs = nks;

    /* instruments, with names copied (cut at a NUL byte: miditoolkit keeps the raw latin-1 text) */
    for (size_t i = 0; i < ni; i++) {
        const inst_rec *in = &b->insts.v[i];
        s->inst_program[i] = in->program;
        s->inst_channel[i] = in->channel;
        s->inst_is_drum[i] = in->channel == 9;
        s->inst_track[i] = in->track;
        if (in->name_len) memcpy(namebuf, in->name, in->name_len);
        namebuf[in->name_len] = 0;
        s->inst_name[i] = namebuf;
        namebuf += in->name_len + 1;
    }
    /* notes grouped by instrument, each group in emission order: a stable counting sort, with
     * the per-instrument cursors kept in note_inst's slots until they are overwritten */
    if (nn) {
        size_t *pos = xcalloc(ni + 1, sizeof *pos);
        for (size_t i = 0; i < nn; i++) pos[b->notes.v[i].inst + 1]++;
        for (size_t i = 0; i < ni; i++) pos[i + 1] += pos[i];
        for (size_t i = 0; i < nn; i++) {
            const note_rec *r = &b->notes.v[i];
            size_t j = pos[r->inst]++;
            s->note_start[j] = r->start;
            s->note_end[j] = r->end;
            s->note_pitch[j] = r->pitch;
            s->note_velocity[j] = r->vel;
            s->note_inst[j] = r->inst;
        }
        free(pos);
    }
    for (size_t i = 0; i < nt; i++) {
        s->tempo_tick[i] = b->tempos.v[i].tick;
        s->tempo_bpm[i] = b->tempos.v[i].bpm;
        s->tempo_us[i] = b->tempos.v[i].us;
    }
    if (nts > 1) qsort(b->ts.v, nts, sizeof *b->ts.v, cmp_ts);
    for (size_t i = 0; i < nts; i++) {
        s->ts_tick[i] = b->ts.v[i].tick;
        s->ts_num[i] = b->ts.v[i].num;
        s->ts_den[i] = b->ts.v[i].den;
    }
    if (nks > 1) qsort(b->ks.v, nks, sizeof *b->ks.v, cmp_ks);
    for (size_t i = 0; i < nks; i++) {
        s->ks_tick[i] = b->ks.v[i].tick;
        s->ks_sharps[i] = b->ks.v[i].sharps;
        s->ks_minor[i] = b->ks.v[i].minor;
    }
}

static void builder_free(builder *b) {
    free(b->kt);
    free(b->notes.v);
    free(b->open.v);
    free(b->insts.v);
    free(b->tempos.v);
    free(b->ts.v);
    free(b->ks.v);
    free(b);
}

emg_status emg_midi_read(const uint8_t *buf, size_t len, const emg_midi_opts *opts, emg_score *out) {
    memset(out, 0, sizeof *out);
    int strict = opts ? opts->strict : 0;
    emg_midi_file mf;
    emg_status st = emg_midi_open(&mf, buf, len, strict);
    if (st.code) return st;

    builder *b = xcalloc(1, sizeof *b);
    b->mf = &mf;
    b->strict = strict;
    b->check_only = opts ? opts->check_only : 0;
    if (!b->check_only) b->kt = xcalloc(1, sizeof *b->kt);  /* zeroed stamps: no entry is valid yet */
    merge_warnings(b, mf.warn_mask, mf.n_warnings, mf.first_warning);

    tempo_rec *t0 = VEC_PUSH(b->tempos);  /* miditoolkit's default: 120 BPM at tick 0 */
    t0->tick = 0;
    t0->bpm = 120.0;
    t0->us = 500000;
    int ticks_per_beat = mf.ticks_per_quarter;
    if (mf.smpte_fps) {
        /* SMPTE: ticks are real time. Keep every tick and choose ticks per quarter = nominal fps
         * x ticks per frame under a single tempo of 60 BPM (1 quarter = 1 s; for 29.97 fps the
         * tempo is 59.94 BPM so that a tick is 1/(29.97 tpf) s). */
        int nominal = mf.smpte_fps == 29 ? 30 : mf.smpte_fps;
        ticks_per_beat = nominal * mf.smpte_ticks_per_frame;
        if (mf.smpte_fps == 29) {
            t0->bpm = 60.0 * 29.97 / 30.0;
            t0->us = 1001001;
        } else {
            t0->bpm = 60.0;
            t0->us = 1000000;
        }
    }
    if (mf.ntracks == 0) {
        if (strict) {
            st = emg_statusf(EMG_MIDI_E_CHUNK, "offset %zu: no track chunk (miditoolkit cannot read it)", mf.smf_offset);
            goto fail;
        }
        add_warning(b, EMG_MIDI_W_NO_EVENTS, "offset %zu: no track chunk", mf.smf_offset);
    }
    for (int t = 0; t < mf.ntracks; t++) {
        st = read_track(b, t);
        if (st.code) goto fail;
    }
    if (b->notes.n > UINT32_MAX || b->insts.n > UINT32_MAX) {
        st = emg_statusf(EMG_MIDI_E_LIMIT, "offset 0: too many notes (%zu)", b->notes.n);
        goto fail;
    }
    if (!b->check_only) assemble(b, out);
    out->format = mf.format > 2 ? 1 : mf.format;
    out->ntracks = mf.ntracks;
    out->ntracks_header = mf.ntracks_header;
    out->division = mf.division;
    out->ticks_per_beat = ticks_per_beat;
    out->smpte_fps = mf.smpte_fps;
    out->smpte_ticks_per_frame = mf.smpte_ticks_per_frame;
    out->max_tick = b->max_tick;
    out->n_note_on_events = b->n_note_on_events;
    out->n_events = b->n_events;
    out->warn_mask = b->warn_mask;
    out->n_warnings = b->n_warnings;
    snprintf(out->first_warning, sizeof out->first_warning, "%s", b->first_warning);
    builder_free(b);
    emg_midi_close(&mf);
    return emg_ok();
fail:
    builder_free(b);
    emg_midi_close(&mf);
    memset(out, 0, sizeof *out);
    return st;
}
