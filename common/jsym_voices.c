/* jsym_voices.c: the tick-map intermediates of jSymbolic 2.2 that look at who sounds when:
 * per-channel sounding time (note_sounding_on_a_channel_tick_map), independent voices, partial and
 * complete rests, seconds per pitched instrument (pitched_instrumentation_tick_map), note
 * durations in seconds and the time between attacks (note_attack_tick_map).
 *
 * jSymbolic fills boolean[ticks][16] (or [ticks][128]) arrays and sums the seconds of the marked
 * ticks one tick at a time. Here each channel (instrument) is a sorted list of merged tick spans,
 * and the tick-by-tick sums are taken span by span with jsym_sum_tick_seconds, which reproduces
 * the rounding of the tick loop exactly; the cost grows with notes, not ticks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jsym_engine.h"
#include "jsym_fp.h"

/* sorts spans and merges those that overlap or touch; drops empty ones; returns the new count */
static int32_t merge_spans(jsym_span *s, int32_t n) {
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++)
        if (s[i].b > s[i].a) s[k++] = s[i];
    n = k;
    if (n < 2) return n;
    /* sort by start (radix on the tick); merging does not depend on the order of equal starts */
    uint64_t *key = xmalloc(sizeof(uint64_t) * (size_t)(n + 1));
    jsym_span *tmp = xmalloc(sizeof(jsym_span) * (size_t)(n + 1));
    for (int32_t i = 0; i < n; i++) key[i] = (uint64_t)(uint32_t)s[i].a << 32 | (uint32_t)i;
    jsym_sort_keyed(key, n);
    for (int32_t i = 0; i < n; i++) tmp[i] = s[key[i] & 0xFFFFFFFFu];
    memcpy(s, tmp, sizeof(jsym_span) * (size_t)n);
    free(tmp);
    free(key);
    k = 0;
    for (int32_t i = 0; i < n; i++) {
        if (k > 0 && s[i].a <= s[k - 1].b) {
            if (s[i].b > s[k - 1].b) s[k - 1].b = s[i].b;
        } else {
            s[k++] = s[i];
        }
    }
    return k;
}

/* the tick-by-tick sum from 0 of the seconds of the ticks in the spans, in tick order */
static double spans_seconds(const jsym_piece *p, const jsym_span *s, int32_t n) {
    double acc = 0.0;
    for (int32_t i = 0; i < n; i++) acc = jsym_sum_tick_seconds(p, acc, s[i].a, s[i].b);
    return acc;
}

/* rests (in quarter notes, >= 0.1 kept, as ArrayMethods.removeEntriesLessThan) collected here */
typedef struct { const jsym_piece *p; double *v; int32_t n, cap; } rest_list;
static void rest_emit(void *ctx, double secs) {
    rest_list *r = ctx;
    double q = secs / r->p->avg_qn;
    if (!(q >= 0.1)) return;
    if (r->n == r->cap) { r->cap = r->cap ? 2 * r->cap : 16; r->v = xrealloc(r->v, sizeof(double) * (size_t)r->cap); }
    r->v[r->n++] = q;
}
/* the rest runs of [0, L) outside the (merged, sorted) spans */
static void gaps_rests(const jsym_piece *p, const jsym_span *s, int32_t n, rest_list *r) {
    int64_t t = 0, L = p->L;
    for (int32_t i = 0; i <= n; i++) {
        int64_t a = i < n ? s[i].a : L;
        if (a > L) a = L;
        if (a > t) jsym_rest_runs(p, t, a, rest_emit, r);
        if (i < n && s[i].b > t) t = s[i].b;
    }
}

typedef struct { int32_t tick; int32_t d; } edge;

void jsym_build_voices(jsym_piece *p) {
    /* every note's span, grouped by channel (counting sort) */
    jsym_span *all = xmalloc(sizeof(jsym_span) * (size_t)(p->nnotes + 1));
    int32_t first[17] = {0}, fill[16];
    for (int32_t i = 0; i < p->nnotes; i++) first[p->notes[i].ch + 1]++;
    for (int c = 0; c < 16; c++) first[c + 1] += first[c];
    memcpy(fill, first, sizeof fill);
    for (int32_t i = 0; i < p->nnotes; i++) all[fill[p->notes[i].ch]++] = (jsym_span){p->notes[i].start, p->notes[i].end};
    edge *ed = xmalloc(sizeof(edge) * (size_t)(2 * p->nnotes + 2));
    int32_t ne = 0;
    rest_list rests = {p, NULL, 0, 0};
    int nonempty = 0;
    for (int c = 0; c < 16; c++) {
        jsym_span *sp = all + first[c];
        int32_t n = merge_spans(sp, first[c + 1] - first[c]);
        p->ch_sound_secs[c] = spans_seconds(p, sp, n);
        if (p->ch_count[c] > 0) {
            nonempty++;
            gaps_rests(p, sp, n, &rests);
        }
        for (int32_t i = 0; i < n; i++) {
            ed[ne++] = (edge){sp[i].a, 1};
            ed[ne++] = (edge){sp[i].b, -1};
        }
    }
    p->prest = rests.v;
    p->nprest = rests.n;

    /* sweep over the ticks 0..L: channels sounding per tick */
    {
        uint64_t *key = xmalloc(sizeof(uint64_t) * (size_t)(ne + 1));
        edge *tmp = xmalloc(sizeof(edge) * (size_t)(ne + 1));
        for (int32_t i = 0; i < ne; i++) key[i] = (uint64_t)(uint32_t)ed[i].tick << 32 | (uint32_t)i;
        jsym_sort_keyed(key, ne);
        for (int32_t i = 0; i < ne; i++) tmp[i] = ed[key[i] & 0xFFFFFFFFu];
        free(key);
        free(ed);
        ed = tmp;
    }
    int64_t sum = 0, n_on = 0;
    int32_t max = 0, k = 0;
    double hi = 0.0, lo = 0.0;
    int64_t t = 0;
    for (int32_t i = 0; i <= ne;) {
        int64_t next = i < ne ? ed[i].tick : p->L + 1;
        if (next > t) {
            if (k > max) max = k;
            if (k > 0) { sum += (int64_t)k * (next - t); n_on += next - t; }
            /* partial rest: some channel with notes is silent (ticks 0..L-1 only) */
            if (k < nonempty && t < p->L) jsym_exact_tick_seconds(p, t, next < p->L ? next : p->L, &hi, &lo);
            t = next;
        }
        if (i == ne) break;
        for (int64_t tk = ed[i].tick; i < ne && ed[i].tick == tk; i++) k += ed[i].d;
    }
    p->partial_rest_secs = hi + lo;
    p->max_voices = max;
    p->avg_voices = n_on == 0 ? 0.0 : (double)sum / (double)n_on;
    if (n_on >= 2) {
        double acc = 0.0;
        k = 0;
        t = 0;
        for (int32_t i = 0; i <= ne;) {
            int64_t next = i < ne ? ed[i].tick : p->L + 1;
            if (next > t && k > 0) {
                double d = (double)k - p->avg_voices;
                acc = jsym_fp_repeat_add(acc, d * d, next - t);
            }
            if (next > t) t = next;
            if (i == ne) break;
            for (int64_t tk = ed[i].tick; i < ne && ed[i].tick == tk; i++) k += ed[i].d;
        }
        p->var_voices = sqrt(acc / (double)(n_on - 1));
    }
    free(ed);
    free(all);
}

void jsym_build_instr(jsym_piece *p) {
    int32_t first[129] = {0};
    for (int32_t i = 0; i < p->nnotes; i++)
        if (p->notes[i].ch != 9) first[p->notes[i].patch + 1]++;
    for (int i = 0; i < 128; i++) first[i + 1] += first[i];
    jsym_span *sp = xmalloc(sizeof(jsym_span) * (size_t)(first[128] + 1));
    int32_t fill[128];
    memcpy(fill, first, sizeof fill);
    for (int32_t i = 0; i < p->nnotes; i++)
        if (p->notes[i].ch != 9) sp[fill[p->notes[i].patch]++] = (jsym_span){p->notes[i].start, p->notes[i].end};
    for (int i = 0; i < 128; i++) {
        if (first[i + 1] == first[i]) { p->instr_secs[i] = 0; continue; }
        int32_t n = merge_spans(sp + first[i], first[i + 1] - first[i]);
        p->instr_secs[i] = jsym_d2i(spans_seconds(p, sp + first[i], n));
    }
    free(sp);
}

void jsym_build_durations(jsym_piece *p) {
    int32_t *a = xmalloc(sizeof(int32_t) * (size_t)(p->nnotes + 1)), *b = xmalloc(sizeof(int32_t) * (size_t)(p->nnotes + 1));
    for (int32_t i = 0; i < p->nnotes; i++) { a[i] = p->notes[i].start; b[i] = p->notes[i].end; }
    p->note_secs = xmalloc(sizeof(double) * (size_t)(p->nnotes + 1));
    jsym_tick_sums_from0(p, a, b, p->nnotes, p->note_secs);
    free(a);
    free(b);
}

/* LSD radix sort of non-negative int32 values (ticks), 8 bits a pass; tmp holds n values */
static void sort_ticks(int32_t *x, int32_t n, int32_t *tmp) {
    for (int shift = 0; shift < 32; shift += 8) {
        int32_t cnt[257] = {0};
        for (int32_t i = 0; i < n; i++) cnt[((uint32_t)x[i] >> shift & 0xFF) + 1]++;
        if (cnt[1] == n) continue;  /* this byte is 0 everywhere */
        for (int k = 0; k < 256; k++) cnt[k + 1] += cnt[k];
        for (int32_t i = 0; i < n; i++) tmp[cnt[(uint32_t)x[i] >> shift & 0xFF]++] = x[i];
        memcpy(x, tmp, sizeof(int32_t) * (size_t)n);
    }
}

/* sorted distinct attack ticks t[0..n) -> the tick spans strictly between consecutive ones */
static int32_t attack_spans(int32_t *t, int32_t n, int32_t *tmp, int32_t *a, int32_t *b) {
    sort_ticks(t, n, tmp);
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++)
        if (m == 0 || t[m - 1] != t[i]) t[m++] = t[i];
    for (int32_t i = 1; i < m; i++) { a[i - 1] = t[i - 1] + 1; b[i - 1] = t[i]; }
    return m > 0 ? m - 1 : 0;
}

/* note_attack_tick_map: the seconds between consecutive attacks (ticks strictly between them,
 * summed from 0), of all channels together and of each channel */
void jsym_build_attacks(jsym_piece *p) {
    int32_t n = p->nnotes;
    int32_t *t = xmalloc(sizeof(int32_t) * (size_t)(2 * n + 2)), *tmp = xmalloc(sizeof(int32_t) * (size_t)(n + 1));
    int32_t *a = xmalloc(sizeof(int32_t) * (size_t)(2 * n + 2)), *b = xmalloc(sizeof(int32_t) * (size_t)(2 * n + 2));
    /* spans [0, m0) for all channels, then each channel's, in channel order */
    for (int32_t i = 0; i < n; i++) t[i] = p->notes[i].start;
    int32_t m0 = attack_spans(t, n, tmp, a, b), m = m0;
    int32_t first[17] = {0}, fill[16];
    for (int32_t i = 0; i < n; i++) first[p->notes[i].ch + 1]++;
    for (int c = 0; c < 16; c++) first[c + 1] += first[c];
    memcpy(fill, first, sizeof fill);
    int32_t *tc = t + n + 1;
    for (int32_t i = 0; i < n; i++) tc[fill[p->notes[i].ch]++] = p->notes[i].start;
    int32_t span_first[17];
    for (int c = 0; c < 16; c++) {
        span_first[c] = m;
        m += attack_spans(tc + first[c], first[c + 1] - first[c], tmp, a + m, b + m);
    }
    span_first[16] = m;
    double *iv = xmalloc(sizeof(double) * (size_t)(m + 1));
    jsym_tick_sums_from0(p, a, b, m, iv);

    double total = 0.0;
    for (int32_t i = 0; i < m0; i++) total += iv[i];
    p->attack_avg = m0 == 0 ? 0.0 : total / (double)m0;
    double avgs[16], sds[16];
    int nch = 0;
    for (int c = 0; c < 16; c++) {
        if (p->ch_count[c] == 0) continue;
        avgs[nch] = jsym_mean(iv + span_first[c], span_first[c + 1] - span_first[c]);
        sds[nch] = jsym_stddev(iv + span_first[c], span_first[c + 1] - span_first[c]);
        nch++;
    }
    p->attack_voice_avg = nch == 0 ? 0.0 : jsym_mean(avgs, nch);
    p->attack_voice_var = nch == 0 ? 0.0 : jsym_mean(sds, nch);
    p->attack_iv = iv;  /* the first m0 are the all-channel intervals */
    p->nattack_iv = m0;
    free(t);
    free(tmp);
    free(a);
    free(b);
}

void jsym_build_rests(jsym_piece *p) {
    /* complete rests: ticks 0..L-1 where the pitch-strength chart is empty, i.e. outside every
     * vertical slice (channel 10 and notes without a Note Off never count as sounding) */
    jsym_span *sp = xmalloc(sizeof(jsym_span) * (size_t)(p->nslices + 1));
    for (int32_t k = 0; k < p->nslices; k++) sp[k] = (jsym_span){p->slices[k].start, p->slices[k].start + p->slices[k].len};
    int32_t n = merge_spans(sp, p->nslices);
    rest_list rests = {p, NULL, 0, 0};
    gaps_rests(p, sp, n, &rests);
    p->crest = rests.v;
    p->ncrest = rests.n;
    double hi = 0.0, lo = 0.0;
    int64_t t = 0;
    for (int32_t i = 0; i <= n; i++) {
        int64_t a = i < n ? sp[i].a : p->L;
        if (a > p->L) a = p->L;
        if (a > t) jsym_exact_tick_seconds(p, t, a, &hi, &lo);
        if (i < n && sp[i].b > t) t = sp[i].b;
    }
    p->complete_rest_secs = hi + lo;
    free(sp);
}
