/* remigen.c: REMIGEN2 encoder (emg_score -> token ids) and decoder (token ids -> emg_score).
 *
 * The reference (MidiProcessor's MidiEncoder.collect_pos_info + convert_pos_info_to_token_lists)
 * builds a Python list with one entry per position (12 per quarter note) from 0 to the last note
 * start, then walks it. This file computes the same tokens without that grid: notes are sorted
 * by (position, instrument, pitch desc, duration desc, velocity desc) once, and the bar structure
 * is walked bar by bar, jumping over the leading empty bars that remove_empty_bars drops anyway.
 * The rules are spelled out in docs/remigen2.md.
 */
#include "remigen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ------------------------------------------------------------------------------------------ */
/* positions                                                                                  */

/* Ticks at or above this give positions Python computes through a rounded float quotient
 * (tick * 12 >= 2^52); every such position is far past EMG_REMI_MAX_POS, so they are all
 * reported as POS_HUGE. */
#define TICK_EXACT_LIMIT ((INT64_C(1) << 52) / 12)
#define POS_HUGE (INT64_C(1) << 60)

/* division by the file's ticks per beat, done as a multiplication: for n < 2^32 and d >= 2,
 * floor(n / d) = (n * ceil(2^64 / d)) >> 64 exactly (the error n * (ceil - 2^64/d) / 2^64 is below
 * 2^-32 < 1/d, too small to cross an integer). Division costs several times more, twice a note. */
typedef struct { uint64_t d, m; } divider;

static divider divider_make(int64_t d) {
    divider v = {(uint64_t)d, d > 1 ? UINT64_MAX / (uint64_t)d + 1 : 0};
    return v;
}

/* round(tick * 12 / tpb) with round-half-to-even, in integers: for tick*12 < 2^52 CPython's
 * correctly rounded float quotient can never land on a .5 that the exact quotient misses, so the
 * integer result is the one Python gets. tpb > 0, tick >= 0. */
static inline int64_t tick_to_pos(int64_t tick, divider v) {
    if (tick >= TICK_EXACT_LIMIT) return POS_HUGE;
    uint64_t n = (uint64_t)tick * 12u, q;
#ifdef __SIZEOF_INT128__
    if (n <= UINT32_MAX && v.m) q = (uint64_t)(((unsigned __int128)n * v.m) >> 64);
    else
#endif
        q = n / v.d;
    uint64_t r2 = 2 * (n - q * v.d);
    /* branch-free: the comparison is a coin flip per note, a branch would mispredict half the time */
    q += (uint64_t)(r2 > v.d) | ((uint64_t)(r2 == v.d) & q & 1u);
    return (int64_t)q;
}

/* the same for tick * 12 <= UINT32_MAX (the caller checks), without the range checks */
static inline uint64_t pos32(int64_t tick, divider v) {
    uint64_t n = (uint64_t)tick * 12u, q;
#ifdef __SIZEOF_INT128__
    q = v.m ? (uint64_t)(((unsigned __int128)n * v.m) >> 64) : n;
#else
    q = n / v.d;
#endif
    uint64_t r2 = 2 * (n - q * v.d);
    q += (uint64_t)(r2 > v.d) | ((uint64_t)(r2 == v.d) & q & 1u);
    return q;
}

/* ------------------------------------------------------------------------------------------ */
/* encoder workspace                                                                          */

void emg_remi_encoder_init(emg_remi_encoder *e) { memset(e, 0, sizeof *e); }

void emg_remi_encoder_free(emg_remi_encoder *e) {
    free(e->tok);
    free(e->key);
    free(e->key_tmp);
    free(e->hist);
    free(e->chg);
    free(e->inst_bits);
    memset(e, 0, sizeof *e);
}

static void reserve_keys(emg_remi_encoder *e, size_t n) {
    if (n <= e->key_cap) return;
    size_t cap = e->key_cap ? e->key_cap : 1024;
    while (cap < n) cap *= 2;
    free(e->key);
    free(e->key_tmp);
    e->key = xmalloc(cap * sizeof *e->key);
    e->key_tmp = xmalloc(cap * sizeof *e->key_tmp);
    e->key_cap = cap;
}

static void reserve_insts(emg_remi_encoder *e, size_t n) {
    if (n <= e->inst_cap) return;
    size_t cap = e->inst_cap ? e->inst_cap : 256;
    while (cap < n) cap *= 2;
    free(e->inst_bits);
    e->inst_bits = xmalloc(cap * sizeof *e->inst_bits);
    e->inst_cap = cap;
}

static void reserve_hist(emg_remi_encoder *e, size_t n) {
    if (n <= e->hist_cap) return;
    size_t cap = e->hist_cap ? e->hist_cap : 4096;
    while (cap < n) cap *= 2;
    free(e->hist);
    e->hist = xmalloc(cap * sizeof *e->hist);
    e->hist_cap = cap;
}

static void reserve_chg(emg_remi_encoder *e, size_t n) {
    if (n <= e->chg_cap) return;
    size_t cap = e->chg_cap ? e->chg_cap : 64;
    while (cap < n) cap *= 2;
    free(e->chg);
    e->chg = xmalloc(cap * sizeof *e->chg);
    e->chg_cap = cap;
}

/* token output: grows by doubling, checked against the caller's limit */
typedef struct {
    emg_remi_encoder *e;
    size_t limit;
} tok_out;

static int grow_tokens(tok_out *o, size_t need) {
    emg_remi_encoder *e = o->e;
    if (need > o->limit) return -1;
    size_t cap = e->tok_cap ? e->tok_cap : 4096;
    while (cap < need) cap *= 2;
    if (cap > o->limit) cap = o->limit;
    e->tok = xrealloc(e->tok, cap * sizeof *e->tok);
    e->tok_cap = cap;
    return 0;
}

/* room for k more tokens */
static inline int need_tokens(tok_out *o, size_t k) {
    if (o->e->tok_n + k <= o->e->tok_cap) return 0;
    return grow_tokens(o, o->e->tok_n + k);
}

static inline void put(emg_remi_encoder *e, int id) { e->tok[e->tok_n++] = (uint16_t)id; }

/* ------------------------------------------------------------------------------------------ */
/* notes: one 60-bit key per note, sorted ascending =
 *   position asc, instrument asc, pitch desc, duration bucket desc, velocity bucket desc
 * which is the reference's emission order (instruments by id, notes by (p, d, v) reversed):
 *   bits 28..59 position, 20..27 instrument id (0..128), 12..19 255 - pitch id,
 *   5..11 95 - duration id, 0..4 31 - velocity id */

#define KEY_POS_SHIFT 28

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* insertion sort: for a position's group, or for a whole array whose groups are small */
static void insertion_sort(uint64_t *a, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
        a[j] = v;
    }
}

/* one position's notes: insertion sort when few, qsort when many (a crafted file can put any
 * number of notes at one position) */
static void sort_small(uint64_t *a, size_t n) {
    if (n > 64) qsort(a, n, sizeof *a, cmp_u64);
    else insertion_sort(a, n);
}

/* sort e->key[0..n) whose positions are < max_pos */
static void sort_keys(emg_remi_encoder *e, size_t n, int64_t max_pos) {
    uint64_t *k = e->key;
    if ((uint64_t)max_pos > 8 * (uint64_t)n + 65536) {  /* sparse positions: a plain sort */
        qsort(k, n, sizeof *k, cmp_u64);
        return;
    }
    /* counting sort by position, then each position's few notes by the low bits */
    size_t np = (size_t)max_pos, i;
    reserve_hist(e, np + 1);
    uint32_t *h = e->hist;
    memset(h, 0, (np + 1) * sizeof *h);
    uint32_t biggest = 0;
    for (i = 0; i < n; i++) {
        uint32_t c = ++h[(k[i] >> KEY_POS_SHIFT) + 1];
        biggest = c > biggest ? c : biggest;
    }
    for (size_t p = 0; p < np; p++) h[p + 1] += h[p];
    uint64_t *t = e->key_tmp;
    for (i = 0; i < n; i++) t[h[k[i] >> KEY_POS_SHIFT]++] = k[i];
    if (biggest <= 64) {
        /* t is sorted by position, so one insertion sort over all of it only moves keys inside their
         * position's group: O(n * group size) */
        insertion_sort(t, n);
    } else {
        size_t b = 0;
        for (i = 1; i <= n; i++) {
            if (i == n || (t[i] >> KEY_POS_SHIFT) != (t[b] >> KEY_POS_SHIFT)) {
                if (i - b > 1) sort_small(t + b, i - b);
                b = i;
            }
        }
    }
    e->key = t;
    e->key_tmp = k;
}

/* the exact number of tokens of a bar whose notes are key[b..e): b s t, o per position, i per
 * instrument change, p d v per note (only needed near the token limit: 3 + 5 per note bounds it) */
static size_t bar_tokens(const uint64_t *key, size_t b, size_t e) {
    size_t n = 3;
    for (size_t i = b; i < e; i++) {
        n += 3;
        if (i == b || key[i] >> KEY_POS_SHIFT != key[i - 1] >> KEY_POS_SHIFT) n += 2;
        else if (((key[i] >> 20) & 0xFF) != ((key[i - 1] >> 20) & 0xFF)) n += 1;
    }
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* time signatures and tempos */

static int cmp_change(const void *a, const void *b) {
    const emg_remi_change *x = a, *y = b;
    if (x->pos != y->pos) return (x->pos > y->pos) - (x->pos < y->pos);
    if (x->order != y->order) return (x->order > y->order) - (x->order < y->order);
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* MidiProcessor's reduce_time_signature with max denominator 64 and max 2 whole notes per bar:
 * halve both while the denominator is above 64 and both are even, then divide the numerator by
 * its smallest divisor while it exceeds twice the denominator. The result's id, or -1 when the
 * vocabulary has no such signature (the reference's KeyError). den is 2^k as the file says;
 * a reader that could not store 2^k (k >= 16) gives 0 here, which is rejected the same way. */
static int reduced_ts_id(long num, long den, int *num_out, int *den_out) {
    *num_out = (int)num;
    *den_out = (int)den;
    if (num < 1 || den < 1) return -1;
    while (den > 64 && den % 2 == 0 && num % 2 == 0) {
        den /= 2;
        num /= 2;
    }
    while (num > 2 * den) {
        for (long i = 2; i <= num; i++) {
            if (num % i == 0) {
                num /= i;
                break;
            }
        }
    }
    *num_out = (int)num;
    *den_out = (int)den;
    return emg_remi_ts_id((int)num, (int)den);
}

/* positions in a bar of time signature id: num * 4 * 12 // den, as collect_pos_info computes it */
static int measure_len(int ts_id) {
    int num, den;
    emg_remi_ts_of_id(ts_id, &num, &den);
    return num * 48 / den;
}

/* ------------------------------------------------------------------------------------------ */
/* encoder */

emg_status emg_remi_encode(emg_remi_encoder *e, const emg_score *s, const emg_remi_opts *opts,
                           const uint16_t **ids, size_t *n_out) {
    *ids = NULL;
    *n_out = 0;
    e->tok_n = 0;
    tok_out out = {e, opts && opts->max_tokens ? opts->max_tokens : EMG_REMI_DEFAULT_MAX_TOKENS};
    if (s->division & 0x8000)
        return emg_statusf(EMG_REMI_E_DIVISION,
                           "SMPTE time division (0x%04x): the reference tokenizer has no ticks per beat",
                           (unsigned)s->division & 0xFFFFu);
    if (s->ticks_per_beat <= 0)
        return emg_statusf(EMG_REMI_E_DIVISION, "ticks per beat is %d (the reference divides by it)",
                           s->ticks_per_beat);
    const divider tpb = divider_make(s->ticks_per_beat);

    /* 1. notes -> keys; positions of starts; max_pos = last start + 1 */
    const size_t nn = s->n_notes;
    reserve_keys(e, nn);
    reserve_insts(e, s->n_insts);
    for (size_t j = 0; j < s->n_insts; j++) {  /* REMIGEN2 id and 255 - pitch offset (drums: 128 + key) */
        unsigned drum = s->inst_is_drum[j] != 0, id = drum ? 128u : s->inst_program[j];
        e->inst_bits[j] = (uint64_t)id << 20 | (uint64_t)(255u - (drum << 7)) << 12;
    }
    int64_t max_start = 0, min_start = nn ? INT64_MAX : 0;
    int sorted = 1;
    {
        const int64_t *restrict start = s->note_start, *restrict end = s->note_end;
        const uint8_t *restrict pitch = s->note_pitch, *restrict vel = s->note_velocity;
        const uint32_t *restrict ninst = s->note_inst;
        const uint64_t *restrict ibits = e->inst_bits;
        uint64_t *restrict key = e->key;
        /* fast path: every tick < 2^28, so tick * 12 fits 32 bits (all real files); checked after */
        uint64_t all_ticks = 0, prev = 0;
        for (size_t i = 0; i < nn; i++) {
            all_ticks |= (uint64_t)start[i] | (uint64_t)end[i];
            uint64_t ps = pos32(start[i], tpb), pe = pos32(end[i], tpb);
            uint64_t k = ps << KEY_POS_SHIFT | (ibits[ninst[i]] - ((uint64_t)pitch[i] << 12)) |
                         (uint64_t)(95 - emg_remi_dur_id((int64_t)(pe - ps))) << 5 | (uint64_t)(31 - (vel[i] >> 2));
            key[i] = k;
            sorted &= k >= prev;
            prev = k;
            max_start = (int64_t)ps > max_start ? (int64_t)ps : max_start;
            min_start = (int64_t)ps < min_start ? (int64_t)ps : min_start;
        }
        if (all_ticks >> 28) {  /* a tick >= 2^28 (tick * 12 may pass 32 bits): the general path */
            max_start = 0;
            min_start = nn ? INT64_MAX : 0;
            sorted = 1;
            prev = 0;
            for (size_t i = 0; i < nn; i++) {
                int64_t ps = tick_to_pos(start[i], tpb);
                if (ps >= EMG_REMI_MAX_POS)
                    return emg_statusf(EMG_REMI_E_TOO_LONG,
                                       "note at tick %lld is past %lld positions (the reference's position "
                                       "grid cannot be that long)", (long long)start[i],
                                       (long long)EMG_REMI_MAX_POS);
                int64_t pe = tick_to_pos(end[i], tpb);
                uint64_t k = (uint64_t)ps << KEY_POS_SHIFT | (ibits[ninst[i]] - ((uint64_t)pitch[i] << 12)) |
                             (uint64_t)(95 - emg_remi_dur_id(pe - ps)) << 5 | (uint64_t)(31 - (vel[i] >> 2));
                key[i] = k;
                sorted &= k >= prev;
                prev = k;
                max_start = ps > max_start ? ps : max_start;
                min_start = ps < min_start ? ps : min_start;
            }
        }
    }
    const int64_t max_pos = max_start + 1;
    const int64_t first_pos = min_start;

    /* 2. time signatures: stable-sorted by tick (miditoolkit), those at positions >= max_pos
     * ignored, each reduced; at one position the last one wins; the survivors must be in the
     * vocabulary. Default 4/4 at position 0 unless one is there. */
    size_t nts_in = s->n_timesigs, ntp_in = s->n_tempos;
    reserve_chg(e, nts_in + ntp_in + 2);
    emg_remi_change *ts = e->chg, *tp = e->chg + nts_in + 1;
    size_t nts = 0;
    for (size_t i = 0; i < nts_in; i++) {
        ts[nts].pos = 0;
        ts[nts].order = s->ts_tick[i];
        ts[nts].idx = (int64_t)i;
        ts[nts].val = 0;
        nts++;
    }
    qsort(ts, nts, sizeof *ts, cmp_change);  /* pos all 0 here: by (tick, file index) = stable */
    size_t keep = 0;
    for (size_t i = 0; i < nts; i++) {
        int64_t p = tick_to_pos(ts[i].order, tpb);
        if (p >= max_pos) break;  /* sorted by tick, so every later one is past max_pos too */
        int num, den;
        int id = reduced_ts_id(s->ts_num[ts[i].idx], s->ts_den[ts[i].idx], &num, &den);
        if (keep > 0 && ts[keep - 1].pos == p) keep--;  /* same position: the later one wins */
        ts[keep] = ts[i];
        ts[keep].pos = p;
        ts[keep].val = id;
        ts[keep].order = (int64_t)num << 32 | (uint32_t)den;  /* for the error message */
        keep++;
    }
    nts = keep;
    for (size_t i = 0; i < nts; i++) {
        if (ts[i].val < 0) {
            int num = (int)(ts[i].order >> 32), den = (int)(uint32_t)ts[i].order;
            return emg_statusf(EMG_REMI_E_TIMESIG,
                               "time signature %d/%d (reduced from %u/%u, at tick %lld) is not in the "
                               "REMIGEN2 vocabulary", num, den, s->ts_num[ts[i].idx], s->ts_den[ts[i].idx],
                               (long long)s->ts_tick[ts[i].idx]);
        }
    }
    if (nts == 0 || ts[0].pos != 0) {
        memmove(ts + 1, ts, nts * sizeof *ts);
        ts[0].pos = 0;
        ts[0].val = emg_remi_ts_id(4, 4);
        ts[0].idx = -1;
        nts++;
    }

    /* 3. tempos: the list in miditoolkit's order (not sorted); those at positions >= max_pos
     * ignored; at one position the later list entry wins, so sort by (position, list index).
     * Default 120 BPM at position 0 unless one is there. */
    size_t ntp = 0;
    for (size_t i = 0; i < ntp_in; i++) {
        int64_t p = tick_to_pos(s->tempo_tick[i], tpb);
        if (p >= max_pos) continue;
        tp[ntp].pos = p;
        tp[ntp].order = (int64_t)i;
        tp[ntp].idx = (int64_t)i;
        tp[ntp].val = emg_remi_tempo_id(s->tempo_bpm[i]);
        ntp++;
    }
    qsort(tp, ntp, sizeof *tp, cmp_change);
    if (ntp == 0 || tp[0].pos != 0) {
        memmove(tp + 1, tp, ntp * sizeof *tp);
        tp[0].pos = 0;
        tp[0].order = -1;
        tp[0].idx = -1;
        tp[0].val = emg_remi_tempo_id(120.0);
        ntp++;
    }

    /* 4. sort the notes */
    if (!sorted) sort_keys(e, nn, max_pos);
    const uint64_t *key = e->key;

    /* 5. walk the bars from position 0; a bar's length is fixed by the time signature in force
     * at its first position. Bars before the first note's bar are skipped (remove_empty_bars),
     * but their lengths are still checked, as the reference computes them. */
    int64_t bar = 0;
    size_t ti = 0, pi = 0, ni = 0;
    int emitted = 0;
    while (bar < max_pos) {
        while (ti + 1 < nts && ts[ti + 1].pos <= bar) ti++;
        int ml = measure_len(ts[ti].val);
        if (ml == 0)
            return emg_statusf(EMG_REMI_E_TIMESIG,
                               "a bar starts at position %lld under time signature 1/64, which has no "
                               "whole position (the reference asserts 'invalid time signature change')",
                               (long long)bar);
        if (bar + ml <= first_pos) {  /* leading empty bar(s): jump to the next ts change or the first note */
            int64_t k = (first_pos - bar) / ml;
            if (ti + 1 < nts) {
                int64_t k2 = (ts[ti + 1].pos - bar + ml - 1) / ml;
                if (k2 < k) k = k2;
            }
            bar += k * ml;
            continue;
        }
        while (pi + 1 < ntp && tp[pi + 1].pos <= bar) pi++;
        const uint64_t bar_end = (uint64_t)(bar + ml);
        /* room for this bar: b s t, and at most o i p d v per note */
        size_t nb = ni;
        while (nb < nn && (key[nb] >> KEY_POS_SHIFT) < bar_end) nb++;
        if (need_tokens(&out, 3 + 5 * (nb - ni)) && need_tokens(&out, bar_tokens(key, ni, nb))) goto too_long;
        uint16_t *restrict tok = e->tok;
        size_t tn = e->tok_n;
        if (emitted) tok[tn++] = EMG_REMI_BAR_ID;
        tok[tn++] = (uint16_t)(EMG_REMI_TS_BASE + ts[ti].val);
        tok[tn++] = (uint16_t)(EMG_REMI_TEMPO_BASE + tp[pi].val);
        emitted = 1;
        while (ni < nb) {
            const uint64_t pos = key[ni] >> KEY_POS_SHIFT;
            tok[tn++] = (uint16_t)(EMG_REMI_POS_BASE + (pos - (uint64_t)bar));
            unsigned cur_inst = 1000;
            for (; ni < nb && (key[ni] >> KEY_POS_SHIFT) == pos; ni++) {
                const uint64_t k = key[ni];
                const unsigned inst = (unsigned)(k >> 20) & 0xFF;
                if (inst != cur_inst) {
                    tok[tn++] = (uint16_t)(EMG_REMI_INST_BASE + inst);
                    cur_inst = inst;
                }
                tok[tn++] = (uint16_t)(EMG_REMI_PITCH_BASE + 255 - ((k >> 12) & 0xFF));
                tok[tn++] = (uint16_t)(EMG_REMI_DUR_BASE + 95 - ((k >> 5) & 0x7F));
                tok[tn++] = (uint16_t)(EMG_REMI_VEL_BASE + 31 - (k & 0x1F));
            }
        }
        e->tok_n = tn;
        bar += ml;
    }
    if (need_tokens(&out, 1)) goto too_long;
    put(e, EMG_REMI_BAR_ID);
    *ids = e->tok;
    *n_out = e->tok_n;
    return emg_ok();

too_long:
    return emg_statusf(EMG_REMI_E_TOO_LONG, "more than %zu tokens (raise the token limit to encode it)",
                       out.limit);
}

size_t emg_remi_format(const uint16_t *ids, size_t n, char *out) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) out[len++] = ' ';
        char tmp[EMG_REMI_TOKEN_MAX];
        int l = emg_remi_token_str(ids[i], tmp);
        memcpy(out + len, tmp, (size_t)l);
        len += (size_t)l;
    }
    return len;
}

/* ------------------------------------------------------------------------------------------ */
/* decoder */

typedef struct {
    int64_t start, end;
    uint8_t pitch, vel, inst;
} dec_note;

/* all arrays of a score in one allocation, as emg_score_free expects (one free of arena) */
static void score_alloc(emg_score *s, size_t nn, size_t ni, size_t nt, size_t nts) {
    size_t off[16], total = 0, k = 0;
#define SLOT(count, type) (off[k++] = total, total += ((count) * sizeof(type) + 15) & ~(size_t)15)
    SLOT(nn, int64_t);  SLOT(nn, int64_t); SLOT(nn, uint8_t); SLOT(nn, uint8_t); SLOT(nn, uint32_t);
    SLOT(ni, uint8_t);  SLOT(ni, uint8_t); SLOT(ni, uint8_t); SLOT(ni, uint16_t);
    SLOT(nt, int64_t);  SLOT(nt, double);  SLOT(nt, uint32_t);
    SLOT(nts, int64_t); SLOT(nts, uint16_t); SLOT(nts, uint16_t);
#undef SLOT
    char *a = xcalloc(1, total ? total : 1);
    k = 0;
    s->arena = a;
    s->note_start = (int64_t *)(void *)(a + off[k++]);
    s->note_end = (int64_t *)(void *)(a + off[k++]);
    s->note_pitch = (uint8_t *)(a + off[k++]);
    s->note_velocity = (uint8_t *)(a + off[k++]);
    s->note_inst = (uint32_t *)(void *)(a + off[k++]);
    s->inst_program = (uint8_t *)(a + off[k++]);
    s->inst_is_drum = (uint8_t *)(a + off[k++]);
    s->inst_channel = (uint8_t *)(a + off[k++]);
    s->inst_track = (uint16_t *)(void *)(a + off[k++]);
    s->tempo_tick = (int64_t *)(void *)(a + off[k++]);
    s->tempo_bpm = (double *)(void *)(a + off[k++]);
    s->tempo_us = (uint32_t *)(void *)(a + off[k++]);
    s->ts_tick = (int64_t *)(void *)(a + off[k++]);
    s->ts_num = (uint16_t *)(void *)(a + off[k++]);
    s->ts_den = (uint16_t *)(void *)(a + off[k++]);
    s->n_notes = nn;
    s->n_insts = ni;
    s->n_tempos = nt;
    s->n_timesigs = nts;
}

/* the channel miditoolkit's dump() gives instrument index i: drums 9, others 0..15 without 9 */
static int dump_channel(size_t i, int drum) {
    if (drum) return 9;
    int c = (int)(i % 15);
    return c < 9 ? c : c + 1;
}

emg_status emg_remi_decode(const int32_t *ids, size_t n, int lenient, emg_score *out,
                           emg_remi_decode_info *info) {
    memset(out, 0, sizeof *out);
    emg_remi_decode_info inf = {n, 0, -1, 0};
    /* upper bounds from the input: a note needs 3 tokens, a change 1 */
    dec_note *notes = xmalloc((n / 3 + 1) * sizeof *notes);
    int64_t *tempo_tick = xmalloc((n + 1) * sizeof *tempo_tick);
    int *tempo_id = xmalloc((n + 1) * sizeof *tempo_id);
    int64_t *ts_tick = xmalloc((n + 1) * sizeof *ts_tick);
    int *ts_id = xmalloc((n + 1) * sizeof *ts_id);
    size_t nn = 0, nt = 0, nts = 0;
    size_t inst_count[EMG_REMI_N_INST] = {0};

    /* the reference's state: positions (12 per quarter) */
    int64_t bar_pos = 0, cur_pos = 0;
    int pos_per_bar = 48;  /* 4/4 */
    int cur_ts = -1, cur_tempo = -1, cur_inst = 0, cur_pitch = 0, cur_dur = 0;
    int last_type = -1;
    for (size_t i = 0; i < n; i++) {
        int id = ids[i];
        int type = emg_remi_id_type(id);
        int code = 0;
        if (type < 0) code = EMG_REMI_E_TOKEN;
        else if (type == EMG_TOK_DUR && last_type != EMG_TOK_PITCH) code = EMG_REMI_E_GRAMMAR;
        else if (type == EMG_TOK_VEL && last_type != EMG_TOK_DUR) code = EMG_REMI_E_GRAMMAR;
        if (code) {
            if (inf.first_bad < 0) {
                inf.first_bad = (long)i;
                inf.first_bad_code = code;
            }
            if (!lenient) {
                free(notes); free(tempo_tick); free(tempo_id); free(ts_tick); free(ts_id);
                if (info) *info = inf;
                char tok[EMG_REMI_TOKEN_MAX];
                if (code == EMG_REMI_E_TOKEN)
                    return emg_statusf(code, "token %zu: not a REMIGEN2 token (id %d)", i, id);
                emg_remi_token_str(id, tok);
                return emg_statusf(code, "token %zu: %s must follow a %s token", i, tok,
                                   type == EMG_TOK_DUR ? "p-" : "d-");
            }
            inf.n_skipped++;
            continue;
        }
        int v = emg_remi_id_value(id);
        switch (type) {
        case EMG_TOK_BAR:
            bar_pos += pos_per_bar;
            cur_pos = bar_pos;
            break;
        case EMG_TOK_TS:
            if (v != cur_ts) {
                int num, den;
                cur_ts = v;
                emg_remi_ts_of_id(v, &num, &den);
                pos_per_bar = 48 * num / den;
                ts_tick[nts] = bar_pos * 40;
                ts_id[nts++] = v;
            }
            break;
        case EMG_TOK_POS:
            cur_pos = bar_pos + v;
            break;
        case EMG_TOK_TEMPO:
            if (v != cur_tempo) {
                cur_tempo = v;
                tempo_tick[nt] = cur_pos * 40;
                tempo_id[nt++] = v;
            }
            break;
        case EMG_TOK_INST:
            cur_inst = v;
            break;
        case EMG_TOK_PITCH:
            cur_pitch = v >= 128 ? v - 128 : v;
            break;
        case EMG_TOK_DUR: {
            int d = emg_remi_dur_start(v);
            cur_dur = d < 1 ? 1 : d;
            break;
        }
        case EMG_TOK_VEL:
            notes[nn].start = cur_pos * 40;  /* pos_to_time: round(pos * 480 / 12) */
            notes[nn].end = (cur_pos + cur_dur) * 40;
            notes[nn].pitch = (uint8_t)cur_pitch;
            notes[nn].vel = (uint8_t)(v * 4 + 2);
            notes[nn].inst = (uint8_t)cur_inst;
            inst_count[cur_inst]++;
            nn++;
            break;
        }
        last_type = type;
    }

    /* instruments 0..128 that received notes, in id order (drums last) */
    size_t ni = 0, slot[EMG_REMI_N_INST], first[EMG_REMI_N_INST];
    size_t acc = 0;
    for (int k = 0; k < EMG_REMI_N_INST; k++) {
        first[k] = acc;
        acc += inst_count[k];
        if (inst_count[k]) slot[k] = ni++;
    }
    score_alloc(out, nn, ni, nt ? nt : 1, nts ? nts : 1);
    out->format = 1;
    out->ntracks = (int)ni + 1;
    out->division = EMG_REMI_TICKS_PER_BEAT;
    out->ticks_per_beat = EMG_REMI_TICKS_PER_BEAT;
    for (int k = 0; k < EMG_REMI_N_INST; k++) {
        if (!inst_count[k]) continue;
        size_t j = slot[k];
        out->inst_program[j] = (uint8_t)(k == 128 ? 0 : k);
        out->inst_is_drum[j] = k == 128;
        out->inst_channel[j] = (uint8_t)dump_channel(j, k == 128);
        out->inst_track[j] = (uint16_t)(j + 1);
    }
    int64_t max_tick = 0;
    for (size_t i = 0; i < nn; i++) {  /* group by instrument, keeping the order within each */
        size_t j = first[notes[i].inst]++;
        out->note_start[j] = notes[i].start;
        out->note_end[j] = notes[i].end;
        out->note_pitch[j] = notes[i].pitch;
        out->note_velocity[j] = notes[i].vel;
        out->note_inst[j] = (uint32_t)slot[notes[i].inst];
        if (notes[i].end > max_tick) max_tick = notes[i].end;
    }
    out->max_tick = max_tick;
    if (nt == 0) {  /* defaults, as the reference adds them */
        out->tempo_tick[0] = 0;
        out->tempo_bpm[0] = 120.0;
        out->tempo_us[0] = 500000;
    }
    for (size_t i = 0; i < nt; i++) {
        out->tempo_tick[i] = tempo_tick[i];
        out->tempo_bpm[i] = emg_remi_tempo_bpm(tempo_id[i]);
        /* mido.bpm2tempo: int(round(60e6 / bpm)), half to even */
        out->tempo_us[i] = (uint32_t)nearbyint(60000000.0 / out->tempo_bpm[i]);
    }
    if (nts == 0) {
        out->ts_tick[0] = 0;
        out->ts_num[0] = 4;
        out->ts_den[0] = 4;
    }
    for (size_t i = 0; i < nts; i++) {
        int num, den;
        emg_remi_ts_of_id(ts_id[i], &num, &den);
        out->ts_tick[i] = ts_tick[i];
        out->ts_num[i] = (uint16_t)num;
        out->ts_den[i] = (uint16_t)den;
    }
    free(notes); free(tempo_tick); free(tempo_id); free(ts_tick); free(ts_id);
    if (info) *info = inf;
    return emg_ok();
}

static int is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

int32_t *emg_remi_parse_text(const char *text, size_t len, size_t *n) {
    int32_t *ids = xmalloc((len / 2 + 1) * sizeof *ids);
    size_t k = 0, i = 0;
    while (i < len) {
        while (i < len && is_space(text[i])) i++;
        if (i >= len) break;
        size_t b = i;
        while (i < len && !is_space(text[i])) i++;
        ids[k++] = emg_remi_parse_token(text + b, i - b);
    }
    *n = k;
    return ids;
}

emg_status emg_remi_decode_text(const char *text, size_t len, int lenient, emg_score *out,
                                emg_remi_decode_info *info) {
    size_t n;
    int32_t *ids = emg_remi_parse_text(text, len, &n);
    emg_remi_decode_info inf;
    emg_status st = emg_remi_decode(ids, n, lenient, out, &inf);
    free(ids);
    if (info) *info = inf;
    if (st.code && inf.first_bad >= 0) {
        /* quote the token: find the first_bad-th whitespace-separated word again */
        size_t k = 0, i = 0, b = 0;
        while (i < len) {
            while (i < len && is_space(text[i])) i++;
            if (i >= len) break;
            b = i;
            while (i < len && !is_space(text[i])) i++;
            if (k++ == (size_t)inf.first_bad) break;
        }
        size_t l = i - b;
        char word[24];
        if (l > 16) l = 16;
        for (size_t j = 0; j < l; j++) {
            unsigned char c = (unsigned char)text[b + j];
            word[j] = c >= 0x20 && c < 0x7F ? (char)c : '?';
        }
        word[l] = 0;
        if (st.code == EMG_REMI_E_TOKEN)
            return emg_statusf(st.code, "token %ld '%s%s': not a REMIGEN2 token", inf.first_bad, word,
                               i - b > 16 ? "..." : "");
        return emg_statusf(st.code, "token %ld '%s': %s must follow a %s token", inf.first_bad, word, word,
                           word[0] == 'd' ? "p-" : "d-");
    }
    return st;
}

void emg_remi_track_names(const emg_score *s, char *buf, const char **names) {
    for (size_t i = 0; i < s->n_insts; i++) {
        int id = s->inst_is_drum[i] ? 128 : s->inst_program[i];
        char *p = buf + 4 * i;
        int k = 0;
        if (id >= 100) p[k++] = (char)('0' + id / 100);
        if (id >= 10) p[k++] = (char)('0' + id / 10 % 10);
        p[k++] = (char)('0' + id % 10);
        p[k] = 0;
        names[i] = p;
    }
}
