/* midi_write.c: emg_score -> type-1 SMF bytes in miditoolkit 0.1.16 dump() layout (midi_write.h).
 * Why that layout: EmoGen writes generated music with dump() and reads it back with miditoolkit,
 * so the event order at equal ticks decides which notes survive a round trip. */
#include "midi_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef struct { uint8_t *v; size_t n, cap; } bytes;

static void put(bytes *b, const void *src, size_t n) {
    if (b->cap - b->n < n) {
        size_t nc = b->cap ? b->cap : 1024;
        while (nc - b->n < n) nc *= 2;
        b->v = xrealloc(b->v, nc);
        b->cap = nc;
    }
    memcpy(b->v + b->n, src, n);
    b->n += n;
}
static void put1(bytes *b, uint8_t c) { put(b, &c, 1); }
static void put_vlq(bytes *b, uint32_t v) {  /* v <= 0x0FFFFFFF */
    uint8_t tmp[4];
    int n = 0;
    tmp[n++] = v & 0x7F;
    while (v >>= 7) tmp[n++] = 0x80 | (v & 0x7F);
    while (n) put1(b, tmp[--n]);
}
#define MAX_TICK ((int64_t)1 << 40)  /* keeps tick << 21 | rank inside 64 bits */
#define MAX_DELTA 0x0FFFFFFFu        /* the largest delta a 4-byte VLQ holds */

/* conductor-track event, sorted by (tick, rank, seq): seq keeps list order at equal keys */
typedef struct { int64_t tick; uint32_t rank, seq; uint32_t a, b; } meta_ev;
enum { RANK_TEMPO = 1, RANK_TS = 2, RANK_KS = 3 };  /* dump()'s secondary sort */

static int cmp_meta(const void *x, const void *y) {
    const meta_ev *p = x, *q = y;
    if (p->tick != q->tick) return p->tick < q->tick ? -1 : 1;
    if (p->rank != q->rank) return p->rank < q->rank ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}
static int cmp_u64(const void *x, const void *y) {
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return p < q ? -1 : p > q;
}

/* miditoolkit stores a key signature as a key number (tonic pitch class, +12 for minor) and
 * dump() writes it back under one spelling per key number; reproduce that spelling. */
static void canonical_key(int sharps, int minor, int8_t *sf_out, uint8_t *mi_out) {
    static const int8_t major_sf[12] = {0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5};      /* C Db D Eb E F F# G Ab A Bb B */
    static const int8_t minor_sf[12] = {-3, 4, -1, 6, 1, -4, 3, -2, 5, 0, -5, 2};      /* Cm C#m Dm D#m Em Fm F#m Gm G#m Am Bbm Bm */
    int pc = ((7 * sharps + (minor ? 9 : 0)) % 12 + 12) % 12;
    *sf_out = minor ? minor_sf[pc] : major_sf[pc];
    *mi_out = (uint8_t)(minor ? 1 : 0);
}

/* round half to even, as Python's round() (the default FE_TONEAREST mode of nearbyint) */
static double round_half_even(double x) { return nearbyint(x); }

static emg_status bad(const char *what, size_t i, long long v) {
    return emg_statusf(EMG_MIDI_WRITE_E_INVALID, "cannot write MIDI: %s (index %zu, value %lld)", what, i, v);
}

static emg_status write_conductor(const emg_score *s, bytes *out) {
    size_t n = s->n_timesigs + s->n_tempos + s->n_keysigs + 2;
    meta_ev *ev = xmalloc(n * sizeof *ev);
    size_t k = 0;
    uint32_t seq = 0;
    emg_status st = emg_ok();
    int add_ts = 1, add_tempo = 1;
    for (size_t i = 0; i < s->n_timesigs; i++) if (s->ts_tick[i] <= 0) add_ts = 0;
    for (size_t i = 0; i < s->n_tempos; i++) if (s->tempo_tick[i] <= 0) add_tempo = 0;
    if (add_ts) ev[k++] = (meta_ev){0, RANK_TS, seq++, 4, 2};
    for (size_t i = 0; i < s->n_timesigs; i++) {
        unsigned den = s->ts_den[i], e = 0;
        if (s->ts_tick[i] < 0 || s->ts_tick[i] >= MAX_TICK) { st = bad("time-signature tick out of range", i, s->ts_tick[i]); goto done; }
        if (den == 0 || (den & (den - 1))) { st = bad("time-signature denominator is not a power of 2", i, den); goto done; }
        if (s->ts_num[i] > 255) { st = bad("time-signature numerator > 255", i, s->ts_num[i]); goto done; }
        while ((1u << e) < den) e++;
        ev[k++] = (meta_ev){s->ts_tick[i], RANK_TS, seq++, s->ts_num[i], e};
    }
    if (add_tempo) ev[k++] = (meta_ev){0, RANK_TEMPO, seq++, 500000, 0};
    for (size_t i = 0; i < s->n_tempos; i++) {
        double bpm = s->tempo_bpm[i];
        double us = bpm > 0 ? round_half_even(60000000.0 / bpm) : -1.0;  /* mido.bpm2tempo */
        if (!(us >= 1 && us <= 0xFFFFFF)) { st = bad("tempo out of the MIDI range (bpm)", i, (long long)bpm); goto done; }
        if (s->tempo_tick[i] < 0 || s->tempo_tick[i] >= MAX_TICK) { st = bad("tempo tick out of range", i, s->tempo_tick[i]); goto done; }
        ev[k++] = (meta_ev){s->tempo_tick[i], RANK_TEMPO, seq++, (uint32_t)us, 0};
    }
    for (size_t i = 0; i < s->n_keysigs; i++) {
        int sf = s->ks_sharps[i];
        if (sf < -7 || sf > 7 || s->ks_minor[i] > 1) { st = bad("key signature out of range (sharps)", i, sf); goto done; }
        if (s->ks_tick[i] < 0 || s->ks_tick[i] >= MAX_TICK) { st = bad("key-signature tick out of range", i, s->ks_tick[i]); goto done; }
        int8_t csf;
        uint8_t cmi;
        canonical_key(sf, s->ks_minor[i], &csf, &cmi);
        ev[k++] = (meta_ev){s->ks_tick[i], RANK_KS, seq++, (uint8_t)csf, cmi};
    }
    qsort(ev, k, sizeof *ev, cmp_meta);

    put(out, "MTrk\0\0\0\0", 8);
    size_t len_at = out->n - 4, body = out->n;
    int64_t now = 0;
    for (size_t i = 0; i < k; i++) {
        int64_t d = ev[i].tick - now;
        if (d > MAX_DELTA) { st = bad("gap between conductor events exceeds 0x0FFFFFFF ticks", i, d); goto done; }
        put_vlq(out, (uint32_t)d);
        now = ev[i].tick;
        if (ev[i].rank == RANK_TEMPO) {
            uint8_t m[6] = {0xFF, 0x51, 3, (uint8_t)(ev[i].a >> 16), (uint8_t)(ev[i].a >> 8), (uint8_t)ev[i].a};
            put(out, m, 6);
        } else if (ev[i].rank == RANK_TS) {
            /* clocks per click 24 and 8 32nds per quarter: mido's defaults, which dump() keeps */
            uint8_t m[7] = {0xFF, 0x58, 4, (uint8_t)ev[i].a, (uint8_t)ev[i].b, 24, 8};
            put(out, m, 7);
        } else {
            uint8_t m[5] = {0xFF, 0x59, 2, (uint8_t)ev[i].a, (uint8_t)ev[i].b};
            put(out, m, 5);
        }
    }
    put(out, "\x01\xFF\x2F\x00", 4);  /* End-of-Track one tick after the last event */
    {
        uint32_t len = (uint32_t)(out->n - body);
        uint8_t t[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
        memcpy(out->v + len_at, t, 4);
    }
done:
    free(ev);
    return st;
}

/* one instrument's track. keys: scratch with room for 2 * n + 1 entries. Each event is packed
 * into its sort key: tick << 21 | rank, rank = 6<<16 (program change) or 10<<16 + pitch<<8 +
 * velocity (note-on; velocity 0 = the note's end), exactly dump()'s ordering. */
static emg_status write_instrument(const emg_score *s, size_t inst, const size_t *notes, size_t n,
                                   const char *name, uint64_t *keys, bytes *out) {
    int channel;
    if (s->inst_is_drum[inst]) channel = 9;
    else { int c = (int)(inst % 15); channel = c < 9 ? c : c + 1; }
    if (s->inst_program[inst] > 127) return bad("program > 127", inst, s->inst_program[inst]);
    size_t k = 0;
    keys[k++] = (uint64_t)6 << 16;  /* program change at tick 0 */
    for (size_t j = 0; j < n; j++) {
        size_t i = notes[j];
        if (s->note_start[i] < 0 || s->note_end[i] < 0 || s->note_start[i] >= MAX_TICK || s->note_end[i] >= MAX_TICK)
            return bad("note tick out of range", i, s->note_start[i] < 0 ? s->note_start[i] : s->note_end[i]);
        if (s->note_pitch[i] > 127) return bad("pitch > 127", i, s->note_pitch[i]);
        if (s->note_velocity[i] > 127) return bad("velocity > 127", i, s->note_velocity[i]);
        uint64_t r = ((uint64_t)10 << 16) | ((uint64_t)s->note_pitch[i] << 8);
        keys[k++] = ((uint64_t)s->note_start[i] << 21) | r | s->note_velocity[i];
        keys[k++] = ((uint64_t)s->note_end[i] << 21) | r;
    }
    qsort(keys + 1, k - 1, sizeof *keys, cmp_u64);  /* keys[0] (tick 0, rank 6) sorts first anyway */

    put(out, "MTrk\0\0\0\0", 8);
    size_t len_at = out->n - 4, body = out->n;
    if (name && name[0]) {
        size_t nl = strlen(name);
        if (nl > 0x0FFFFFFF) return bad("track name too long", inst, (long long)nl);
        put(out, "\x00\xFF\x03", 3);
        put_vlq(out, (uint32_t)nl);
        put(out, name, nl);
    }
    uint8_t running = 0;
    int64_t now = 0;
    for (size_t j = 0; j < k; j++) {
        int64_t tick = (int64_t)(keys[j] >> 21);
        unsigned rank = (unsigned)(keys[j] & 0x1FFFFF);
        int64_t d = tick - now;
        if (d > MAX_DELTA) return bad("gap between events exceeds 0x0FFFFFFF ticks", inst, d);
        put_vlq(out, (uint32_t)d);
        now = tick;
        uint8_t status, m[3];
        size_t ml;
        if ((rank >> 16) == 6) {
            status = (uint8_t)(0xC0 | channel);
            m[0] = s->inst_program[inst];
            ml = 1;
        } else {
            status = (uint8_t)(0x90 | channel);
            m[0] = (uint8_t)((rank >> 8) & 0x7F);
            m[1] = (uint8_t)(rank & 0x7F);
            ml = 2;
        }
        if (status != running) put1(out, status);  /* running status, as mido writes */
        running = status;
        put(out, m, ml);
    }
    put(out, "\x01\xFF\x2F\x00", 4);
    uint32_t len = (uint32_t)(out->n - body);
    uint8_t t[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
    memcpy(out->v + len_at, t, 4);
    return emg_ok();
}

emg_status emg_midi_write(const emg_score *s, const char *const *track_names, uint8_t **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    if (s->ticks_per_beat < 1 || s->ticks_per_beat > 32767)
        return bad("ticks per beat outside 1..32767", 0, s->ticks_per_beat);
    if (s->n_insts + 1 > 65535) return bad("more than 65534 instruments", 0, (long long)s->n_insts);
    for (size_t i = 0; i < s->n_notes; i++)
        if (s->note_inst[i] >= s->n_insts) return bad("note refers to a missing instrument", i, s->note_inst[i]);

    bytes b = {0};
    put(&b, "MThd\0\0\0\6", 8);
    uint8_t h[6] = {0, 1, (uint8_t)((s->n_insts + 1) >> 8), (uint8_t)(s->n_insts + 1),
                    (uint8_t)(s->ticks_per_beat >> 8), (uint8_t)s->ticks_per_beat};
    put(&b, h, 6);
    emg_status st = write_conductor(s, &b);
    if (st.code) { free(b.v); return st; }

    /* bucket notes by instrument (stable: each instrument keeps its note order) */
    size_t *first = xcalloc(s->n_insts + 1, sizeof *first);
    size_t *order = xmalloc((s->n_notes ? s->n_notes : 1) * sizeof *order);
    for (size_t i = 0; i < s->n_notes; i++) first[s->note_inst[i] + 1]++;
    size_t maxn = 0;
    for (size_t i = 0; i < s->n_insts; i++) {
        if (first[i + 1] > maxn) maxn = first[i + 1];
        first[i + 1] += first[i];
    }
    {
        size_t *cur = xmalloc((s->n_insts + 1) * sizeof *cur);
        memcpy(cur, first, (s->n_insts + 1) * sizeof *cur);
        for (size_t i = 0; i < s->n_notes; i++) order[cur[s->note_inst[i]]++] = i;
        free(cur);
    }
    uint64_t *keys = xmalloc((2 * maxn + 1) * sizeof *keys);
    for (size_t i = 0; i < s->n_insts && !st.code; i++) {
        const char *name = track_names ? track_names[i] : NULL;
        st = write_instrument(s, i, order + first[i], first[i + 1] - first[i], name, keys, &b);
    }
    free(keys);
    free(order);
    free(first);
    if (st.code) { free(b.v); return st; }
    *out = b.v;
    *out_len = b.n;
    return emg_ok();
}
