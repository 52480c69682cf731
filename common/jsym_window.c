/* jsym_window.c: jSymbolic 2.2's window split (UtilityClasses' MIDIMethods at 3d63d49e), as its
 * -w option and its windowed features use it.
 *
 * getStartEndTickArrays adds up seconds per tick one tick at a time until a window holds
 * window_s seconds (the tick that reaches it is the window's last), and starts the next window at
 * the tick where window_s - overlap_s was reached; it goes on while the seconds so far (minus the
 * overlaps) do not exceed the Java Sound duration and ticks remain.
 *
 * breakSequenceIntoWindows then visits every track's events (after moving each track's
 * End-of-Track to the piece's last tick) and copies each into the window(s) holding its tick,
 * at the tick relative to the window's start. When a track's events move on to a later window,
 * the track's latest meta events and program changes ("special events", one per meta type or
 * program-change status byte) and its still-sounding Note Ons (one per pitch, any channel) are
 * copied to tick 0 of the new window and of every window skipped on the way; each sounding note
 * also gets a Note Off at the last tick of each window it leaves. Both sets are Java HashMaps,
 * and the order in which they are copied is their iteration order: by bucket (the key's spread
 * hash modulo the table size, which only grows), then by insertion within a bucket. That order
 * is reproduced here because the events land on the same tick and their order matters (the
 * last tempo or program at a tick wins; melodic intervals follow Note On order).
 *
 * Java Sound's Track.add keeps events sorted by tick, a new event going after those with the
 * same tick, and treats an added End-of-Track only as a longer track length. */
#include "jsym_window.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jsym_fp.h"

/* ---- where the windows are ------------------------------------------------------------- */

/* MIDIMethods.getSecondsPerTick: the tempo map, 1 / (int) mean ticks per second by default */
static double mm_tick_seconds(const jsym_piece *p, int seg) {
    if (!p->tseg_default[seg]) return p->tseg_val[seg];
    return 1.0 / (double)jsym_d2i((double)p->L / ((double)p->us / 1000000.0));
}

emg_status jsym_window_bounds(const jsym_piece *p, double window_s, double overlap_s, int32_t max_windows,
                              int32_t **starts_out, int32_t **ends_out, int32_t *n_out) {
    /* jSymbolic requires 0 <= overlap < 1 (as a fraction of the window) and a window > 0 */
    if (!(window_s > 0.0) || !(overlap_s >= 0.0) || !(overlap_s < window_s) || !isfinite(window_s))
        return emg_statusf(EMG_JSYM_E_REQUEST, "window %g s with overlap %g s: need window > 0 and 0 <= overlap < window",
                           window_s, overlap_s);
    double total = (double)p->us / 1000000.0;
    double to_next = window_s - overlap_s;
    int64_t len = p->L + 1;
    int32_t cap = 16, n = 0;
    int32_t *st = xmalloc(sizeof(int32_t) * (size_t)cap), *en = xmalloc(sizeof(int32_t) * (size_t)cap);
    int64_t tick = 0;
    double total_acc = 0.0;
    while (total_acc <= total && tick < len) {
        if (n == max_windows) {
            free(st); free(en);
            return emg_statusf(EMG_JSYM_E_LIMIT, "more than %d windows", (int)max_windows);
        }
        if (n == cap) {
            cap *= 2;
            st = xrealloc(st, sizeof(int32_t) * (size_t)cap);
            en = xrealloc(en, sizeof(int32_t) * (size_t)cap);
        }
        st[n] = (int32_t)tick;
        int64_t start = tick, next_begin = -1;
        double acc = 0.0;
        /* phase 1 up to window_s - overlap_s (where the next window begins), then up to
         * window_s: one running sum, as jSymbolic's single loop */
        for (int phase = 0; phase < 2; phase++) {
            double target = phase == 0 ? to_next : window_s;
            while (acc < target && tick < len) {
                int lo = 0, hi = p->ntseg - 1, seg;  /* tempo segment holding the tick */
                while (lo < hi) {
                    int mid = (lo + hi + 1) / 2;
                    if (p->tseg_tick[mid] <= tick) lo = mid; else hi = mid - 1;
                }
                seg = lo;
                int64_t seg_end = seg + 1 < p->ntseg ? p->tseg_tick[seg + 1] : len;
                tick += jsym_fp_add_until(&acc, mm_tick_seconds(p, seg), seg_end - tick, target);
            }
            if (phase == 0 && acc >= to_next) next_begin = tick;
        }
        en[n] = (int32_t)(tick - 1);
        n++;
        if (next_begin >= 0) tick = next_begin;
        total_acc += acc - overlap_s;
        if (tick <= start) {  /* cannot happen with window_s > 0; never loop without progress */
            free(st); free(en);
            return emg_statusf(EMG_JSYM_E_EMPTY, "window split makes no progress: jSymbolic 2.2 never finishes");
        }
    }
    if (n == 0) {
        free(st); free(en);
        return emg_statusf(EMG_JSYM_E_JSYMBOLIC, "negative duration (Java Sound's 32-bit microsecond sum wrapped): "
                           "jSymbolic's window split throws, no features");
    }
    *starts_out = st;
    *ends_out = en;
    *n_out = n;
    return emg_ok();
}

double jsym_window_seconds_at(const jsym_piece *p, int32_t tick) {
    double acc = 0.0;
    int64_t a = 0, b = (int64_t)tick + 1;
    for (int i = 0; i < p->ntseg && a < b; i++) {
        int64_t e = i + 1 < p->ntseg ? p->tseg_tick[i + 1] : p->L + 1;
        if (e <= a) continue;
        int64_t to = b < e ? b : e;
        acc = jsym_fp_repeat_add(acc, mm_tick_seconds(p, i), to - a);
        a = to;
    }
    return acc;
}

/* ---- Java's HashMap iteration order ----------------------------------------------------- */

/* a HashMap with small integer keys: table size 16 at the first put, doubled when the size
 * passes 3/4 of it, never shrunk. Iteration: by bucket (spread(hash) & (size - 1)), then by
 * insertion order within the bucket (resizes keep the relative order; these key sets never
 * make a bucket long enough to become a tree). */
#define MAP_KEYS 256
typedef struct {
    int cap, size;
    uint32_t next_seq;
    uint8_t present[MAP_KEYS];
    uint32_t seq[MAP_KEYS];
    int32_t hash[MAP_KEYS];       /* Java hashCode of the key */
    jsym_ev ev[MAP_KEYS];
} jmap;

static void map_put(jmap *m, int k, int32_t hash, const jsym_ev *e) {
    m->ev[k] = *e;
    if (m->present[k]) return;  /* a new value keeps the key's place */
    m->present[k] = 1;
    m->hash[k] = hash;
    m->seq[k] = m->next_seq++;
    if (m->cap == 0) m->cap = 16;
    if (++m->size > m->cap * 3 / 4) m->cap *= 2;
}
static void map_remove(jmap *m, int k) {
    if (!m->present[k]) return;
    m->present[k] = 0;
    m->size--;
}
static uint32_t bucket(const jmap *m, int k) {
    uint32_t h = (uint32_t)m->hash[k];
    return (h ^ (h >> 16)) & (uint32_t)(m->cap - 1);
}
/* keys in iteration order; returns their count */
static int map_order(const jmap *m, int *keys) {
    int n = 0;
    for (int k = 0; k < MAP_KEYS; k++)
        if (m->present[k]) keys[n++] = k;
    for (int i = 1; i < n; i++) {  /* insertion sort by (bucket, seq): at most 256 keys */
        int k = keys[i], j = i;
        uint32_t bk = bucket(m, k);
        while (j > 0) {
            int o = keys[j - 1];
            uint32_t bo = bucket(m, o);
            if (bo < bk || (bo == bk && m->seq[o] < m->seq[k])) break;
            keys[j] = o;
            j--;
        }
        keys[j] = k;
    }
    return n;
}

/* ---- the windowed sequences ------------------------------------------------------------- */

typedef struct { jsym_ev *ev; int32_t n, cap; int64_t eot; } wtrack;

/* Track.add: after every event with the same or an earlier tick; an End-of-Track only lengthens */
static int track_add(wtrack *t, const jsym_ev *e, int64_t tick, int64_t *budget) {
    if (tick > t->eot) t->eot = tick;
    if (e->kind == JSYM_META && e->d1 == 0x2F) return 0;
    if (--*budget < 0) return -1;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->ev = xrealloc(t->ev, sizeof(jsym_ev) * (size_t)t->cap);
    }
    int32_t i = t->n;
    while (i > 0 && t->ev[i - 1].tick > tick) i--;
    if (i < t->n) memmove(t->ev + i + 1, t->ev + i, sizeof(jsym_ev) * (size_t)(t->n - i));
    t->ev[i] = *e;
    t->ev[i].tick = tick;
    t->n++;
    return 0;
}

/* MIDIMethods.getSequenceIndex: the last window holding the tick (the last window for ticks
 * beyond it), -1 if none. Window starts increase and ends never decrease. */
static int32_t window_of(const int32_t *st, const int32_t *en, int32_t n, int64_t tick) {
    if (tick > en[n - 1] || tick >= st[n - 1]) return n - 1;
    int32_t lo = 0, hi = n - 1;  /* last window starting at or before the tick */
    if (st[0] > tick) return -1;
    while (lo < hi) {
        int32_t mid = (lo + hi + 1) / 2;
        if (st[mid] <= tick) lo = mid; else hi = mid - 1;
    }
    return en[lo] >= tick ? lo : -1;
}

emg_status jsym_window_split(const jsym_piece *p, const int32_t *st, const int32_t *en, int32_t nw, jsym_seq *out) {
    const jsym_seq *s = &p->seq;
    int nt = s->ntracks;
    /* one event list per window and track: refuse tables beyond 4 Mi lists (a bounded allocation
     * on hostile input: thousands of tracks cut into thousands of windows) */
    if ((int64_t)nw * (nt > 0 ? nt : 1) > 4 * (int64_t)1024 * 1024)
        return emg_statusf(EMG_JSYM_E_LIMIT, "%d windows x %d tracks: beyond this port's limit", (int)nw, nt);
    wtrack *wt = xcalloc((size_t)nw * (size_t)(nt > 0 ? nt : 1), sizeof(wtrack));
    /* copies beyond this many events mean a pathological split (tiny windows, many tracks) */
    int64_t budget = 16 * (int64_t)1024 * 1024;
    jmap *special = xmalloc(sizeof(jmap)), *notes = xmalloc(sizeof(jmap));
    int keys[MAP_KEYS];
    emg_status stt = emg_ok();
    int32_t cur = 0;  /* jSymbolic does not reset it between tracks */
#define WT(w, t) (&wt[(size_t)(w) * (size_t)nt + (size_t)(t)])
#define ADD(w, t, e, tick) do { if (track_add(WT(w, t), (e), (tick), &budget)) goto limit; } while (0)
    for (int t = 0; t < nt; t++) {
        const jsym_track *tr = &s->tracks[t];
        memset(special, 0, sizeof *special);
        memset(notes, 0, sizeof *notes);
        for (int32_t i = 0; i < tr->n; i++) {
            const jsym_ev *e = &tr->ev[i];
            /* the split first moves every track's End-of-Track to the piece's last tick */
            int64_t tick = i == tr->n - 1 ? p->L : e->tick;
            int32_t w = window_of(st, en, nw, tick);
            if (w < 0) {
                stt = emg_statusf(EMG_JSYM_E_JSYMBOLIC, "tick %lld in no window: jSymbolic's split throws", (long long)tick);
                goto done;
            }
            if (w != cur) {
                int n = map_order(special, keys);
                for (int k = 0; k < n; k++) {
                    ADD(w, t, &special->ev[keys[k]], 0);
                    for (int32_t x = cur + 1; x < w; x++) ADD(x, t, &special->ev[keys[k]], 0);
                }
                n = map_order(notes, keys);
                for (int k = 0; k < n; k++) {
                    const jsym_ev *on = &notes->ev[keys[k]];
                    ADD(w, t, on, 0);
                    jsym_ev off = {0};
                    off.kind = JSYM_SHORT;
                    off.status = (uint8_t)(0x80 | (on->status & 0x0F));
                    off.d1 = on->d1;
                    for (int32_t x = cur; x < w; x++) {
                        if (x != cur) ADD(x, t, on, 0);
                        ADD(x, t, &off, (int64_t)en[x] - st[x]);
                    }
                }
                cur = w;
            }
            /* MIDIMethods.checkForSpecialMidiEvent */
            if (e->kind == JSYM_META) {
                map_put(special, e->d1, e->d1, e);  /* Byte key: the meta type */
            } else if (e->kind == JSYM_SHORT && (e->status & 0xF0) == 0xC0) {
                int8_t b = (int8_t)e->status;       /* Byte key: the status byte, negative */
                map_put(special, 128 + (e->status & 0x7F), b, e);
            } else if (e->kind == JSYM_SHORT) {
                int cmd = e->status & 0xF0;
                if (cmd == 0x90 && e->d2 != 0) map_put(notes, e->d1, e->d1, e);
                else if (cmd == 0x80 || cmd == 0x90) map_remove(notes, e->d1);
            }
            /* passEventToAllAppropriateWindows: this window and earlier ones still holding the
             * tick; past the last window only the tick right after it */
            for (int32_t x = w; x >= 0; x--) {
                if (!(x == nw - 1 && tick == (int64_t)en[nw - 1] + 1) && tick > en[x]) break;
                ADD(x, t, e, tick - st[x]);
            }
        }
    }
#undef ADD
    /* pack each window into a jsym_seq: one event pool, a Track per original track, each ending
     * with its End-of-Track */
    for (int32_t w = 0; w < nw; w++) {
        jsym_seq *q = &out[w];
        memset(q, 0, sizeof *q);
        q->format = s->format;
        q->resolution = s->resolution;
        q->ntracks = nt;
        int64_t total = 0;
        for (int t = 0; t < nt; t++) total += WT(w, t)->n + 1;
        q->pool_ = xmalloc(sizeof(jsym_ev) * (size_t)(total + 1));
        q->tracks = xcalloc((size_t)(nt > 0 ? nt : 1), sizeof(jsym_track));
        int64_t k = 0;
        for (int t = 0; t < nt; t++) {
            wtrack *x = WT(w, t);
            jsym_track *tr = &q->tracks[t];
            tr->ev = q->pool_ + k;
            if (x->n) memcpy(tr->ev, x->ev, sizeof(jsym_ev) * (size_t)x->n);
            jsym_ev *eot = &tr->ev[x->n];
            memset(eot, 0, sizeof *eot);
            eot->tick = x->eot;
            eot->kind = JSYM_META;
            eot->status = 0xFF;
            eot->d1 = 0x2F;
            tr->n = x->n + 1;
            tr->ticks = x->eot;
            if (x->eot > q->tick_length) q->tick_length = x->eot;
            k += x->n + 1;
        }
    }
    goto done;
limit:
    stt = emg_statusf(EMG_JSYM_E_LIMIT, "window split beyond %d million events", 16);
done:
    for (size_t i = 0; i < (size_t)nw * (size_t)nt; i++) free(wt[i].ev);
    free(wt);
    free(special);
    free(notes);
#undef WT
    return stt;
}

double jsym_window_density(const jsym_seq *q, int per_quarter) {
    int64_t count = 0;
    for (int t = 0; t < q->ntracks; t++)
        for (int32_t i = 0; i < q->tracks[t].n; i++) {
            const jsym_ev *e = &q->tracks[t].ev[i];
            count += e->kind == JSYM_SHORT && (e->status & 0xF0) == 0x90 && e->d2 != 0;
        }
    jsym_clock c;
    jsym_clock_from_seq(&c, q);
    int64_t us = jsym_clock_us(&c, q->tick_length);
    jsym_clock_free(&c);
    double dur = (double)us / 1000000.0;
    double nps = (int32_t)(us / 1000000) != 0 ? (double)count / dur : 0.0;
    if (!per_quarter) return nps;
    double avg_tick = dur / (double)q->tick_length;  /* 0 / 0 = NaN for an empty window, as in Java */
    return nps * ((double)q->resolution * avg_tick);
}
