/* jsym_engine.c: jSymbolic 2.2's always-needed intermediates (MIDIIntermediateRepresentations),
 * built from the Java-Sound sequence in a few passes over the events. The optional groups live
 * in jsym_groups.c. Every rule below is jSymbolic's (see docs/jsymbolic.md), including its
 * oddities: integer per-channel mean pitch, channel 10 excluded from pitched statistics but not
 * from rhythm, Note Offs searched in the same track only, tempo events of all tracks applied in
 * track order. */
#include "jsym_engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jsym_fp.h"

/* ---- MathAndStatsMethods ------------------------------------------------------------------ */

double jsym_mean(const double *x, int64_t n) {
    if (n < 1) return 0.0;
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s = s + x[i];
    return s / (double)n;
}

double jsym_stddev(const double *x, int64_t n) {
    if (n < 2) return 0.0;
    double m = jsym_mean(x, n), s = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double d = x[i] - m;
        s = s + d * d;
    }
    return sqrt(s / (double)(n - 1));
}

void jsym_normalize(double *x, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += x[i];
    for (int i = 0; i < n; i++) x[i] = s == 0.0 ? 0.0 : x[i] / s;
}

int jsym_argmax(const double *x, int n) {
    int m = 0;
    for (int i = 0; i < n; i++)
        if (x[i] > x[m]) m = i;
    return m;
}

double jsym_median_skewness(const double *x, int64_t n) {
    if (n < 3) return 0.0;
    double m = jsym_mean(x, n);
    double median = jsym_median(x, n);  /* getIndexOfMedian: the upper middle of the sorted copy */
    double sd = jsym_stddev(x, n);
    if (sd == 0.0) return 0.0;
    return 3.0 * (m - median) / sd;
}

/* the k-th smallest of x[0..n) (0-based), i.e. Arrays.sort(copy)[k]; x is reordered. Values
 * here are never NaN, so plain comparisons order them as Java does. Hoare selection with a
 * median-of-three pivot: linear on average, and every pass shrinks the range. */
static double select_kth(double *x, int64_t n, int64_t k) {
    int64_t lo = 0, hi = n - 1;
    while (hi > lo) {
        int64_t mid = lo + (hi - lo) / 2;
        double a = x[lo], b = x[mid], c = x[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (x[i] < pivot) i++;
            while (x[j] > pivot) j--;
            if (i <= j) { double t = x[i]; x[i] = x[j]; x[j] = t; i++; j--; }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return x[k];
    }
    return x[k];
}

double jsym_median(const double *x, int64_t n) {
    if (n < 1) return 0.0;
    int sorted = 1;
    for (int64_t i = 1; i < n && sorted; i++) sorted = !(x[i] < x[i - 1]);
    if (sorted) return x[n / 2];
    double *c = xmalloc(sizeof(double) * (size_t)n);
    memcpy(c, x, sizeof(double) * (size_t)n);
    double m = select_kth(c, n, n / 2);
    free(c);
    return m;
}

double jsym_excess_kurtosis(const double *x, int64_t n) {
    if (n < 4) return 0.0;
    double nn = (double)n, m = jsym_mean(x, n), sd = jsym_stddev(x, n);
    if (sd == 0.0) return 0.0;
    double coef = (nn * (nn + 1.0)) / ((nn - 1.0) * (nn - 2.0) * (nn - 3.0));
    double num = 0.0, last_x = NAN, last_p = 0.0;
    for (int64_t i = 0; i < n; i++) {
        /* pow is the costly part and the data repeat values: reuse the previous result */
        if (!(x[i] == last_x)) { last_x = x[i]; last_p = pow(x[i] - m, 4); }
        num += last_p;
    }
    double den = pow(sd, 4);
    double second = (3.0 * (nn - 1.0) * (nn - 1.0)) / ((nn - 2.0) * (nn - 3.0));
    /* jSymbolic adds the second term (its "excess" kurtosis is the textbook value + 6) */
    return (coef * num / den) + second;
}

void jsym_thresholded_peaks(const double *h, int n, double (*t)[3]) {
    double hi = h[jsym_argmax(h, n)];
    for (int i = 0; i < n; i++) {
        t[i][0] = h[i] > 0.1 ? h[i] : 0.0;
        t[i][1] = h[i] > 0.01 ? h[i] : 0.0;
        t[i][2] = h[i] > 0.3 * hi ? h[i] : 0.0;
    }
    for (int i = 1; i < n; i++)
        for (int j = 0; j < 3; j++)
            if (t[i][j] > 0.0 && t[i - 1][j] > 0.0) {
                if (t[i][j] > t[i - 1][j]) t[i - 1][j] = 0.0;
                else t[i][j] = 0.0;
            }
}

/* ---- maps --------------------------------------------------------------------------------- */

/* A change that applies from its tick to the end, visited in (track, event) order: the value in
 * force at tick t is that of the last-visited change at or before t. */
typedef struct { int32_t tick, order; double val; } change;
static int cmp_change(const void *a, const void *b) {
    const change *x = a, *y = b;
    if (x->tick != y->tick) return x->tick < y->tick ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}
/* sorts by tick and keeps, at each distinct tick, the value in force from there on */
static int resolve_changes(change *c, int n) {
    qsort(c, (size_t)n, sizeof *c, cmp_change);
    int out = 0, best = -1;
    double best_val = 0;
    for (int i = 0; i < n; i++) {
        if (c[i].order > best) { best = c[i].order; best_val = c[i].val; }
        if (i + 1 < n && c[i + 1].tick == c[i].tick) continue;
        c[out].tick = c[i].tick;
        c[out].order = best;
        c[out].val = best_val;
        out++;
    }
    return out;
}

double jsym_volume_at(const jsym_piece *p, int ch, int32_t tick) {
    int n = p->nvol[ch];
    const int32_t *t = p->vol_tick[ch];
    if (n == 0 || t[0] > tick) return 1.0;
    int lo = 0, hi = n - 1;  /* last index with t <= tick */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (t[mid] <= tick) lo = mid; else hi = mid - 1;
    }
    return p->vol_val[ch][lo];
}

static double tick_default(const jsym_piece *p) { return 1.0 / p->mean_tps; }

double jsym_tick_seconds_first(const jsym_piece *p) {
    return p->tseg_default[0] ? tick_default(p) : p->tseg_val[0];
}

double jsym_sum_tick_seconds(const jsym_piece *p, double acc, int64_t a, int64_t b) {
    int lo = 0, hi = p->ntseg - 1;  /* last segment starting at or before a */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (p->tseg_tick[mid] <= a) lo = mid; else hi = mid - 1;
    }
    for (int i = lo; i < p->ntseg && a < b; i++) {
        int64_t s = p->tseg_tick[i], e = i + 1 < p->ntseg ? p->tseg_tick[i + 1] : p->L + 1;
        if (e <= a) continue;
        int64_t from = a > s ? a : s, to = b < e ? b : e;
        if (to > from) acc = jsym_fp_repeat_add(acc, p->tseg_default[i] ? tick_default(p) : p->tseg_val[i], to - from);
        a = to;
    }
    return acc;
}

/* last tempo segment starting at or before tick a */
static int seg_find(const jsym_piece *p, int64_t a) {
    int lo = 0, hi = p->ntseg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (p->tseg_tick[mid] <= a) lo = mid; else hi = mid - 1;
    }
    return lo;
}

void jsym_exact_tick_seconds(const jsym_piece *p, int64_t a, int64_t b, double *hi, double *lo) {
    for (int i = seg_find(p, a); i < p->ntseg && a < b; i++) {
        int64_t s = p->tseg_tick[i], e = i + 1 < p->ntseg ? p->tseg_tick[i + 1] : p->L + 1;
        if (e <= a) continue;
        int64_t from = a > s ? a : s, to = b < e ? b : e;
        if (to > from) {
            double x = p->tseg_default[i] ? tick_default(p) : p->tseg_val[i];
            /* n * x exactly as a double-double (fma), then a two-sum into (hi, lo) */
            double prod = (double)(to - from) * x, err = fma((double)(to - from), x, -prod);
            double sum = *hi + prod, bb = sum - *hi, e2 = (*hi - (sum - bb)) + (prod - bb);
            *hi = sum;
            *lo += e2 + err;
        }
        a = to;
    }
}

void jsym_sort_keyed(uint64_t *x, int32_t n) {
    uint64_t *tmp = xmalloc(sizeof(uint64_t) * (size_t)(n + 1));
    for (int shift = 32; shift < 64; shift += 8) {
        int32_t cnt[257] = {0};
        for (int32_t i = 0; i < n; i++) cnt[(x[i] >> shift & 0xFF) + 1]++;
        if (cnt[1] == n) continue;  /* this byte is 0 in every key */
        for (int k = 0; k < 256; k++) cnt[k + 1] += cnt[k];
        for (int32_t i = 0; i < n; i++) tmp[cnt[x[i] >> shift & 0xFF]++] = x[i];
        memcpy(x, tmp, sizeof(uint64_t) * (size_t)n);
    }
    free(tmp);
}

typedef struct { double x; int64_t len; int32_t idx; } sum_query;
static int cmp_query(const void *u, const void *v) {
    const sum_query *a = u, *b = v;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

void jsym_tick_sums_from0(const jsym_piece *p, const int32_t *a, const int32_t *b, int32_t n, double *out) {
    sum_query *q = xmalloc(sizeof(sum_query) * (size_t)(n + 1));
    int32_t nq = 0;
    for (int32_t i = 0; i < n; i++) {
        if (b[i] <= a[i]) { out[i] = 0.0; continue; }
        int s = seg_find(p, a[i]);
        int64_t e = s + 1 < p->ntseg ? p->tseg_tick[s + 1] : p->L + 1;
        if (b[i] <= e) q[nq++] = (sum_query){p->tseg_default[s] ? tick_default(p) : p->tseg_val[s], (int64_t)b[i] - a[i], i};
        else out[i] = jsym_sum_tick_seconds(p, 0.0, a[i], b[i]);
    }
    /* within one tick duration x, the sum of k additions from 0 is the first k steps of any
     * longer one: answer the lengths in ascending order with one running sum. Usually every
     * span has the same x (one tempo): then a radix sort on the length does */
    int one_x = 1;
    for (int32_t i = 1; i < nq && one_x; i++) one_x = q[i].x == q[0].x;
    if (one_x) {
        sum_query *tmp = xmalloc(sizeof(sum_query) * (size_t)(nq + 1));
        for (int shift = 0; shift < 32; shift += 8) {
            int32_t cnt[257] = {0};
            for (int32_t i = 0; i < nq; i++) cnt[((uint64_t)q[i].len >> shift & 0xFF) + 1]++;
            if (cnt[1] == nq) continue;
            for (int k = 0; k < 256; k++) cnt[k + 1] += cnt[k];
            for (int32_t i = 0; i < nq; i++) tmp[cnt[(uint64_t)q[i].len >> shift & 0xFF]++] = q[i];
            memcpy(q, tmp, sizeof(sum_query) * (size_t)nq);
        }
        free(tmp);
    } else {
        qsort(q, (size_t)nq, sizeof *q, cmp_query);
    }
    for (int32_t i = 0; i < nq;) {
        double x = q[i].x, acc = 0.0;
        int64_t done = 0;
        for (; i < nq && q[i].x == x; i++) {
            acc = jsym_fp_repeat_add(acc, x, q[i].len - done);
            done = q[i].len;
            out[q[i].idx] = acc;
        }
    }
    free(q);
}

void jsym_rest_runs(const jsym_piece *p, int64_t a, int64_t b, void (*emit)(void *, double), void *ctx) {
    double cur = 0.0;
    for (int i = seg_find(p, a); i < p->ntseg && a < b; i++) {
        int64_t s = p->tseg_tick[i], e = i + 1 < p->ntseg ? p->tseg_tick[i + 1] : p->L + 1;
        if (e <= a) continue;
        int64_t from = a > s ? a : s, to = b < e ? b : e;
        double x = p->tseg_default[i] ? tick_default(p) : p->tseg_val[i];
        if (to > from) {
            if (x == 0.0) {  /* a tick of 0 seconds ends the rest, as a sounding tick would */
                if (cur != 0.0) emit(ctx, cur);
                cur = 0.0;
            } else {
                cur = jsym_fp_repeat_add(cur, x, to - from);
            }
        }
        a = to;
    }
    if (cur != 0.0) emit(ctx, cur);
}

/* ---- build -------------------------------------------------------------------------------- */

/* channel_statistics [2] .. [5] and the pitches of each channel's Note Ons */
static void build_channel_extras(jsym_piece *p) {
    uint32_t loud_sum[16] = {0};  /* Java int, wraps */
    int32_t mi_sum[16] = {0}, mi_n[16] = {0}, prev[16], last_tick[16];
    for (int c = 0; c < 16; c++) { p->ch_low[c] = 1000; p->ch_high[c] = -1000; last_tick[c] = -1; }
    int cur_track = -1;
    for (int32_t i = 0; i < p->nnotes; i++) {
        const jsym_note *n = &p->notes[i];
        if (n->track != cur_track) {
            cur_track = n->track;
            for (int c = 0; c < 16; c++) prev[c] = -1;
        }
        int c = n->ch;
        loud_sum[c] += (uint32_t)jsym_d2i((double)n->vel * jsym_volume_at(p, c, n->start));
        if (n->pitch < p->ch_low[c]) p->ch_low[c] = n->pitch;
        if (n->pitch > p->ch_high[c]) p->ch_high[c] = n->pitch;
        p->ch_pitch_count[c][n->pitch]++;
        if (prev[c] != -1 && n->start != last_tick[c]) {
            int d = prev[c] - n->pitch;
            mi_sum[c] += d < 0 ? -d : d;
            mi_n[c]++;
        }
        last_tick[c] = n->start;
        prev[c] = n->pitch;
    }
    for (int c = 0; c < 16; c++) {
        /* (int) (x / 0.0) is (int) NaN = 0 in Java for empty channels */
        p->ch_loud_mean[c] = jsym_d2i((double)(int32_t)loud_sum[c] / (double)p->ch_count[c]);
        p->ch_mi_mean[c] = jsym_d2i((double)mi_sum[c] / (double)mi_n[c]);
    }
}

/* overall_metadata (key, time signatures, first tempo), instrument counts, pitch bends */
static void build_metadata(jsym_piece *p) {
    const jsym_seq *s = &p->seq;
    int32_t nts = 0;
    for (int t = 0; t < s->ntracks; t++)
        for (int i = 0; i < s->tracks[t].n; i++)
            nts += s->tracks[t].ev[i].kind == JSYM_META && s->tracks[t].ev[i].d1 == 0x58;
    p->ts_num = xmalloc(sizeof(int32_t) * (size_t)(nts + 1));
    p->ts_den = xmalloc(sizeof(int32_t) * (size_t)(nts + 1));
    p->initial_tempo = 120;
    int key_found = 0, tempo_found = 0;
    /* pitch bends: the open run of each channel survives from track to track, as in jSymbolic */
    int32_t run_len[16] = {0}, run_first[16] = {0}, run_greatest[16] = {0}, run_changes[16] = {0}, run_dir[16] = {0};
    for (int t = 0; t < s->ntracks; t++)
        for (int i = 0; i < s->tracks[t].n; i++) {
            const jsym_ev *e = &s->tracks[t].ev[i];
            if (e->kind == JSYM_META) {
                if (e->d1 == 0x59 && !key_found) {
                    if (e->data[1] == 1) p->major_minor = 1;
                    else if (e->data[1] == 0) p->major_minor = 0;
                    key_found = 1;
                } else if (e->d1 == 0x58) {
                    p->ts_num[p->nts] = e->data[0];
                    p->ts_den[p->nts] = (int32_t)(1u << (e->data[1] & 31));  /* Java's int shift */
                    p->nts++;
                } else if (e->d1 == 0x51 && !tempo_found) {
                    int32_t mpq = e->data[0] << 16 | e->data[1] << 8 | e->data[2];
                    float f = (float)mpq;
                    if (f <= 0) f = 0.1f;
                    float q = 60000000.0f / f;
                    /* Math.round(float): floor(x + 1/2), exact in double */
                    p->initial_tempo = jsym_d2i(floor((double)q + 0.5));
                    tempo_found = 1;
                }
                continue;
            }
            if (e->kind != JSYM_SHORT) continue;
            int c = e->status & 0x0F, cmd = e->status & 0xF0;
            if (c == 9) {
                if (cmd == 0x90 && e->d2 != 0) p->perc_notes[e->d1 & 0x7F]++;
                continue;
            }
            if (cmd == 0xE0) {
                int v = e->d2;  /* jSymbolic keeps only the most significant byte */
                if (run_len[c] == 0) {
                    p->pb_lists++;
                    run_first[c] = v;
                    run_greatest[c] = 0;
                    run_changes[c] = 0;
                    run_dir[c] = 0;
                }
                run_len[c]++;
                int d = v > 64 ? v - 64 : 64 - v;
                if (d > run_greatest[c]) run_greatest[c] = d;
                /* VibratoPrevalence compares every bend with the run's first (never updated) */
                if (v > run_first[c]) { if (run_dir[c] == -1) run_changes[c]++; run_dir[c] = 1; }
                else if (v < run_first[c]) { if (run_dir[c] == 1) run_changes[c]++; run_dir[c] = -1; }
            } else if (cmd == 0x80 || (cmd == 0x90 && e->d2 == 0)) {
                if (run_len[c] > 0) {
                    p->pb_single += run_len[c] == 1;
                    p->pb_vibrato += run_changes[c] > 2;
                    p->pb_greatest_sum += run_greatest[c];
                }
                run_len[c] = 0;
            }
        }
    for (int c = 0; c < 16; c++)
        if (run_len[c] > 0) {
            p->pb_single += run_len[c] == 1;
            p->pb_vibrato += run_changes[c] > 2;
            p->pb_greatest_sum += run_greatest[c];
        }
    for (int32_t i = 0; i < p->nnotes; i++)
        if (p->notes[i].ch != 9) p->instr_notes[p->notes[i].patch]++;
}


static int is_note_on(const jsym_ev *e) { return e->kind == JSYM_SHORT && (e->status & 0xF0) == 0x90 && e->d2 != 0; }
static int is_note_off(const jsym_ev *e) {
    return e->kind == JSYM_SHORT && ((e->status & 0xF0) == 0x80 || ((e->status & 0xF0) == 0x90 && e->d2 == 0));
}

emg_status jsym_piece_build(jsym_piece *p, const uint8_t *midi, size_t len) {
    jsym_seq s;
    emg_status st = jsym_seq_read(&s, midi, len);
    if (st.code) { memset(p, 0, sizeof *p); return st; }
    return jsym_piece_build_seq(p, &s);
}

emg_status jsym_piece_build_seq(jsym_piece *p, jsym_seq *seq) {
    memset(p, 0, sizeof *p);
    p->seq = *seq;
    memset(seq, 0, sizeof *seq);
    emg_status st = emg_ok();
    const jsym_seq *s = &p->seq;
    p->L = s->tick_length;
    p->R = s->resolution;
    if ((double)p->L > 2147483646.0) {
        st = emg_statusf(EMG_JSYM_E_JSYMBOLIC, "tick length %lld: jSymbolic refuses sequences this long", (long long)p->L);
        goto fail;
    }

    /* Java Sound's clock. A zero duration hangs jSymbolic's window split before anything else */
    jsym_clock clk;
    jsym_clock_from_seq(&clk, s);
    p->us = jsym_clock_us(&clk, p->L);
    jsym_clock_free(&clk);
    if (p->L == 0 || p->us == 0) {
        st = emg_statusf(EMG_JSYM_E_EMPTY, "%s: jSymbolic 2.2 never finishes (its window split makes no progress), no features",
                         p->L == 0 ? "zero tick length" : "zero duration");
        goto fail;
    }

    /* pass 1: counts, validity checks jSymbolic would fail on, tempo and volume changes */
    int64_t nev = 0;
    int ntempo = 0, nvolchg = 0;
    int first_keysig = 1;
    for (int t = 0; t < s->ntracks; t++) {
        int patch[16] = {0};
        for (int i = 0; i < s->tracks[t].n; i++) {
            const jsym_ev *e = &s->tracks[t].ev[i];
            nev++;
            if (e->kind == JSYM_META) {
                /* jSymbolic reads these payload bytes without a length check (an exception = no row) */
                if ((e->d1 == 0x51 && e->len < 3) || (e->d1 == 0x58 && e->len < 2) ||
                    (e->d1 == 0x59 && first_keysig && e->len < 2)) {
                    st = emg_statusf(EMG_JSYM_E_JSYMBOLIC, "track %d: meta 0x%02X with %u data bytes: jSymbolic throws",
                                     t, e->d1, e->len);
                    goto fail;
                }
                if (e->d1 == 0x59) first_keysig = 0;
                if (e->d1 == 0x51) ntempo++;
                continue;
            }
            if (e->kind != JSYM_SHORT) continue;
            int ch = e->status & 0x0F, cmd = e->status & 0xF0;
            if (cmd == 0xB0 && e->d1 == 7) nvolchg++;
            if (cmd == 0xC0 && ch != 9) patch[ch] = e->d1;
            if (is_note_on(e)) {
                if (e->d1 >= 128 || (ch != 9 && patch[ch] >= 128)) {
                    st = emg_statusf(EMG_JSYM_E_JSYMBOLIC, "track %d: note %d / program %d beyond 127: jSymbolic throws",
                                     t, e->d1, patch[ch]);
                    goto fail;
                }
                p->nnotes++;
            }
        }
    }
    if (p->nnotes == 0) {
        st = emg_statusf(EMG_JSYM_E_NO_NOTES, "no Note On with velocity > 0: jSymbolic 2.2 throws (Shortest Rhythmic Value), no features");
        goto fail;
    }

    p->dur = (double)p->us / 1000000.0;
    p->dur_int = (int32_t)(p->us / 1000000);
    p->mean_tps = (double)p->L / p->dur;
    p->avg_tick = p->dur / (double)p->L;
    p->avg_qn = (double)p->R * p->avg_tick;

    /* tempo map (all tracks, track order) and channel volume maps */
    change *tc = xmalloc(sizeof(change) * (size_t)(ntempo + 1));
    int nt = 0;
    int vch[16] = {0};
    for (int t = 0; t < s->ntracks; t++)
        for (int i = 0; i < s->tracks[t].n; i++) {
            const jsym_ev *e = &s->tracks[t].ev[i];
            if (e->kind == JSYM_META && e->d1 == 0x51) {
                int mpq = e->data[0] << 16 | e->data[1] << 8 | e->data[2];
                double v = ((double)mpq / (double)p->R) / 1000000.0;
                tc[nt] = (change){(int32_t)e->tick, nt, v};
                nt++;
            } else if (e->kind == JSYM_SHORT && (e->status & 0xF0) == 0xB0 && e->d1 == 7) {
                vch[e->status & 0x0F]++;
            }
        }
    nt = resolve_changes(tc, nt);
    p->tseg_tick = xmalloc(sizeof(int32_t) * (size_t)(nt + 1));
    p->tseg_val = xmalloc(sizeof(double) * (size_t)(nt + 1));
    p->tseg_default = xmalloc((size_t)(nt + 1));
    p->ntseg = 0;
    if (nt == 0 || tc[0].tick > 0) {
        p->tseg_tick[0] = 0; p->tseg_val[0] = 0; p->tseg_default[0] = 1;
        p->ntseg = 1;
    }
    for (int i = 0; i < nt; i++) {
        p->tseg_tick[p->ntseg] = tc[i].tick;
        p->tseg_val[p->ntseg] = tc[i].val;
        p->tseg_default[p->ntseg] = 0;
        p->ntseg++;
    }
    free(tc);
    /* volume: split the visiting-ordered list by channel, then resolve each */
    for (int c = 0; c < 16; c++) {
        p->vol_tick[c] = xmalloc(sizeof(int32_t) * (size_t)(vch[c] + 1));
        p->vol_val[c] = xmalloc(sizeof(double) * (size_t)(vch[c] + 1));
    }
    {
        change *tmp = xmalloc(sizeof(change) * (size_t)(nvolchg + 1));
        for (int c = 0; c < 16; c++) {
            int k = 0, order = 0;
            for (int t = 0; t < s->ntracks; t++)
                for (int i = 0; i < s->tracks[t].n; i++) {
                    const jsym_ev *e = &s->tracks[t].ev[i];
                    if (e->kind == JSYM_SHORT && e->status == (0xB0 | c) && e->d1 == 7)
                        tmp[k++] = (change){(int32_t)e->tick, order++, (double)e->d2 / 127.0};
                }
            k = resolve_changes(tmp, k);
            for (int i = 0; i < k; i++) { p->vol_tick[c][i] = tmp[i].tick; p->vol_val[c][i] = tmp[i].val; }
            p->nvol[c] = k;
        }
        free(tmp);
    }

    /* notes: each Note On paired with the first later Note Off of its channel and pitch in the
     * same track (found by one backward pass per track, keyed by channel and pitch) */
    p->notes = xmalloc(sizeof(jsym_note) * (size_t)p->nnotes);
    int32_t *next_off = xmalloc(sizeof(int32_t) * 16 * 256);
    int32_t *stamp = xcalloc(16 * 256, sizeof(int32_t));
    int32_t nn = 0;
    for (int t = 0; t < s->ntracks; t++) {
        const jsym_track *tr = &s->tracks[t];
        int32_t *off = xmalloc(sizeof(int32_t) * (size_t)(tr->n + 1));
        for (int i = tr->n - 1; i >= 0; i--) {
            const jsym_ev *e = &tr->ev[i];
            off[i] = -1;
            if (e->kind != JSYM_SHORT) continue;
            int key = (e->status & 0x0F) * 256 + e->d1;
            if (is_note_on(e)) off[i] = stamp[key] == t + 1 ? next_off[key] : -1;
            else if (is_note_off(e)) { next_off[key] = i; stamp[key] = t + 1; }
        }
        uint8_t patch[16] = {0};  /* jSymbolic forgets programs at each new track */
        for (int i = 0; i < tr->n; i++) {
            const jsym_ev *e = &tr->ev[i];
            if (e->kind == JSYM_SHORT && (e->status & 0xF0) == 0xC0) patch[e->status & 0x0F] = e->d1;
            if (!is_note_on(e)) continue;
            jsym_note *n = &p->notes[nn++];
            n->patch = (e->status & 0x0F) == 9 ? 0 : patch[e->status & 0x0F];
            n->start = (int32_t)e->tick;
            n->matched = off[i] >= 0;
            n->end = (int32_t)(off[i] >= 0 ? tr->ev[off[i]].tick : tr->ticks);
            n->track = t;
            n->ev = i;
            n->ch = e->status & 0x0F;
            n->pitch = e->d1;
            n->vel = e->d2;
        }
        free(off);
    }
    free(next_off);
    free(stamp);

    /* counts, channel statistics, pitch histograms, loudness, matched pitches */
    double counts[128] = {0};
    int32_t nloud[16] = {0};
    p->npitches_all = 0;
    for (int32_t i = 0; i < p->nnotes; i++) {
        const jsym_note *n = &p->notes[i];
        p->total_note_ons++;
        p->ch_count[n->ch]++;
        p->ch_pitch_sum[n->ch] += n->pitch;
        nloud[n->ch]++;
        if (n->ch != 9) {
            p->total_pitched_note_ons++;
            counts[n->pitch] += 1.0;
            if (n->matched) p->npitches_all++;
        }
    }
    for (int c = 0; c < 16; c++)
        p->ch_mean_pitch[c] = p->ch_count[c] ? (int32_t)(p->ch_pitch_sum[c] / p->ch_count[c]) : 0;
    memcpy(p->basic_pitch_hist, counts, sizeof counts);
    jsym_normalize(p->basic_pitch_hist, 128);
    for (int i = 0; i < 128; i++) p->pitch_class_hist[i % 12] += p->basic_pitch_hist[i];
    for (int i = 0; i < 12; i++) p->fifths_pitch_hist[(7 * i) % 12] += p->pitch_class_hist[i];

    p->loud_first[0] = 0;
    for (int c = 0; c < 16; c++) p->loud_first[c + 1] = p->loud_first[c] + nloud[c];
    p->loud = xmalloc(sizeof(int32_t) * (size_t)(p->nnotes + 1));
    p->pitches_all = xmalloc(sizeof(int16_t) * (size_t)(p->npitches_all + 1));
    {
        int32_t fill[16], k = 0;
        for (int c = 0; c < 16; c++) fill[c] = p->loud_first[c];
        for (int32_t i = 0; i < p->nnotes; i++) {
            const jsym_note *n = &p->notes[i];
            p->loud[fill[n->ch]++] = jsym_d2i((double)n->vel * jsym_volume_at(p, n->ch, n->start));
            if (n->ch != 9 && n->matched) p->pitches_all[k++] = n->pitch;
        }
    }

    /* melodic intervals per track and channel: consecutive Note Ons of one channel in one track,
     * skipping those on the same tick as the previous one (which still becomes "previous") */
    {
        int ntr = s->ntracks;
        p->mi_first = xmalloc(sizeof(int32_t) * (size_t)(ntr * 16 + 1));
        p->mi_val = xmalloc(sizeof(int32_t) * (size_t)(p->nnotes + 1));
        int32_t *cnt = xcalloc((size_t)(ntr * 16 + 1), sizeof(int32_t));
        /* two passes over the notes: count, then fill, each with the per-channel state */
        for (int pass = 0; pass < 2; pass++) {
            int32_t prev_pitch[16], last_tick[16], *fill = NULL;
            int cur_track = -1;
            if (pass == 1) {
                p->mi_first[0] = 0;
                for (int k = 0; k < ntr * 16; k++) p->mi_first[k + 1] = p->mi_first[k] + cnt[k];
                fill = xmalloc(sizeof(int32_t) * (size_t)(ntr * 16 + 1));
                memcpy(fill, p->mi_first, sizeof(int32_t) * (size_t)(ntr * 16));
            }
            double hist[128] = {0};
            for (int32_t i = 0; i < p->nnotes; i++) {
                const jsym_note *n = &p->notes[i];
                if (n->track != cur_track) {
                    cur_track = n->track;
                    for (int c = 0; c < 16; c++) { prev_pitch[c] = -1; last_tick[c] = -1; }
                }
                if (n->ch == 9) continue;
                if (prev_pitch[n->ch] != -1 && n->start != last_tick[n->ch]) {
                    int32_t iv = (int32_t)n->pitch - prev_pitch[n->ch];
                    int key = n->track * 16 + n->ch;
                    if (pass == 0) cnt[key]++;
                    else {
                        p->mi_val[fill[key]++] = iv;
                        hist[iv < 0 ? -iv : iv] += 1.0;
                    }
                }
                last_tick[n->ch] = n->start;
                prev_pitch[n->ch] = n->pitch;
            }
            if (pass == 1) {
                memcpy(p->melodic_interval_hist, hist, sizeof hist);
                jsym_normalize(p->melodic_interval_hist, 128);
                free(fill);
            }
        }
        free(cnt);
    }
    build_channel_extras(p);
    build_metadata(p);
    return emg_ok();
fail:
    jsym_piece_free(p);
    return st;
}

void jsym_piece_free(jsym_piece *p) {
    jsym_seq_free(&p->seq);
    free(p->tseg_tick);
    free(p->tseg_val);
    free(p->tseg_default);
    for (int c = 0; c < 16; c++) { free(p->vol_tick[c]); free(p->vol_val[c]); }
    free(p->notes);
    free(p->mi_val);
    free(p->mi_first);
    free(p->pitches_all);
    free(p->loud);
    free(p->rv_offsets);
    free(p->runs);
    free(p->slices);
    free(p->sl_pitch);
    free(p->sl_strength);
    free(p->win_density);
    free(p->cn_idx);
    free(p->ts_num);
    free(p->ts_den);
    free(p->prest);
    free(p->crest);
    free(p->note_secs);
    free(p->attack_iv);
    free(p->win5_density);
    memset(p, 0, sizeof *p);
}
