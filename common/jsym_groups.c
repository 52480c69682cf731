/* jsym_groups.c: the intermediates that only some features need, built on demand (jsym_need):
 * rhythmic values, beat histograms, vertical slices (chords, vertical intervals, voice motion),
 * the 8-quarter-note windows of Note Density per Quarter Note Variability, and the per-channel
 * note lists of CollectedNoteInfo. Each follows jSymbolic 2.2's computation (docs/jsymbolic.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jsym_engine.h"
#include "jsym_fp.h"

/* ---- rhythmic values ---------------------------------------------------------------------- */

static void build_rhythm(jsym_piece *p) {
    int R = p->R;
    int32_t central[12] = {R / 8, R / 4, R / 2, R * 3 / 4, R, R * 3 / 2, R * 2, R * 3, R * 4, R * 6, R * 8, R * 12};
    int32_t lower[12];
    lower[0] = 0;
    for (int i = 1; i < 12; i++) lower[i] = central[i - 1] + ((central[i] - central[i - 1]) / 2);

    uint8_t *cls = xmalloc((size_t)p->nnotes + 1);
    p->rv_offsets = xmalloc(sizeof(double) * (size_t)(p->nnotes + 1));
    memset(p->rv_count, 0, sizeof p->rv_count);
    for (int32_t i = 0; i < p->nnotes; i++) {
        const jsym_note *n = &p->notes[i];
        int32_t d = n->end - n->start;
        int c = 11;
        for (int k = 0; k < 11; k++)
            if (d < lower[k + 1]) { c = k; break; }
        cls[i] = (uint8_t)c;
        p->rv_count[c]++;
        int32_t off = d - central[c];
        if (off < 0) off = -off;
        p->rv_offsets[i] = (double)off / (double)central[4];
    }
    for (int k = 0; k < 12; k++)
        p->rv_hist[k] = p->nnotes == 0 ? 0.0 : (double)p->rv_count[k] / (double)p->nnotes;

    /* runs of the same value per track and channel, appended per value in (track, channel) order */
    int32_t *run_val = xmalloc(sizeof(int32_t) * (size_t)(p->nnotes + 1));
    int32_t *run_len = xmalloc(sizeof(int32_t) * (size_t)(p->nnotes + 1));
    int32_t nrun = 0;
    int32_t *by_ch = xmalloc(sizeof(int32_t) * (size_t)(p->nnotes + 1));
    for (int32_t a = 0; a < p->nnotes;) {
        int32_t b = a;
        while (b < p->nnotes && p->notes[b].track == p->notes[a].track) b++;
        for (int c = 0; c < 16; c++) {
            int32_t k = 0;
            for (int32_t i = a; i < b; i++)
                if (p->notes[i].ch == c) by_ch[k++] = cls[i];
            for (int32_t i = 0; i < k;) {
                int32_t j = i;
                while (j < k && by_ch[j] == by_ch[i]) j++;
                run_val[nrun] = by_ch[i];
                run_len[nrun] = j - i;
                nrun++;
                i = j;
            }
        }
        a = b;
    }
    p->runs = xmalloc(sizeof(int32_t) * (size_t)(nrun + 1));
    int32_t cnt[12] = {0};
    for (int32_t r = 0; r < nrun; r++) cnt[run_val[r]]++;
    p->runs_first[0] = 0;
    for (int k = 0; k < 12; k++) p->runs_first[k + 1] = p->runs_first[k] + cnt[k];
    int32_t fill[12];
    for (int k = 0; k < 12; k++) fill[k] = p->runs_first[k];
    for (int32_t r = 0; r < nrun; r++) p->runs[fill[run_val[r]]++] = run_len[r];
    free(by_ch);
    free(run_val);
    free(run_len);
    free(cls);
}

/* ---- beat histograms ---------------------------------------------------------------------- */

typedef struct { int32_t tick; int32_t score; } onset;

static int32_t bpm_to_ticks(int bpm, double tps) { return jsym_d2i((tps * 60.0) / (double)bpm); }

/* one beat histogram: autocorrelation of the per-tick summed loudness of Note Ons at the lags
 * of 40..200 BPM, binned by BPM, normalised. The autocorrelation is computed over pairs of
 * onsets (ticks without an onset contribute 0), each lag exactly as jSymbolic's integer-valued
 * sum divided by the tick count. */
static int beat_histogram(const jsym_piece *p, const onset *on, int32_t non, double tps, double *hist) {
    int32_t lo = bpm_to_ticks(200, tps), hi = bpm_to_ticks(39, tps);
    memset(hist, 0, sizeof(double) * 201);
    if (hi <= 0) return 0;
    if (hi > 64 * 1024 * 1024) return -1;  /* Java would need a multi-GB array: treated as failure */
    int64_t *acc = xcalloc((size_t)hi, sizeof(int64_t));
    for (int32_t a = 0; a < non; a++)
        for (int32_t b = a + 1; b < non && on[b].tick - on[a].tick < hi; b++) {
            int32_t lag = on[b].tick - on[a].tick;
            if (lag < lo) continue;
            /* Java multiplies two ints (wrapping) before converting to double */
            acc[lag] += (int32_t)(uint32_t)((uint64_t)(int64_t)on[a].score * (uint64_t)(int64_t)on[b].score);
        }
    double n = (double)(p->L + 1);
    for (int bin = 40; bin <= 200; bin++) {
        double v = 0.0;
        int32_t t0 = bpm_to_ticks(bin, tps), t1 = bpm_to_ticks(bin - 1, tps);
        for (int32_t t = t0; t < t1; t++)
            if (t >= lo && t < hi) v += (double)acc[t] / n;
            else v += 0.0;
        hist[bin] = v;
    }
    free(acc);
    jsym_normalize(hist, 201);
    return 0;
}

static emg_status build_beat(jsym_piece *p) {
    /* rhythm_score: sum over Note Ons at a tick of (int) (velocity * channel volume) */
    onset *on = xmalloc(sizeof(onset) * (size_t)(p->nnotes + 1));
    for (int32_t i = 0; i < p->nnotes; i++) {
        const jsym_note *n = &p->notes[i];
        on[i].tick = n->start;
        on[i].score = jsym_d2i((double)n->vel * jsym_volume_at(p, n->ch, n->start));
    }
    {
        uint64_t *key = xmalloc(sizeof(uint64_t) * (size_t)(p->nnotes + 1));
        onset *tmp = xmalloc(sizeof(onset) * (size_t)(p->nnotes + 1));
        for (int32_t i = 0; i < p->nnotes; i++) key[i] = (uint64_t)(uint32_t)on[i].tick << 32 | (uint32_t)i;
        jsym_sort_keyed(key, p->nnotes);
        for (int32_t i = 0; i < p->nnotes; i++) tmp[i] = on[key[i] & 0xFFFFFFFFu];
        free(key);
        free(on);
        on = tmp;
    }
    int32_t k = 0;
    for (int32_t i = 0; i < p->nnotes; i++) {
        if (k > 0 && on[k - 1].tick == on[i].tick) on[k - 1].score = (int32_t)((uint32_t)on[k - 1].score + (uint32_t)on[i].score);
        else on[k++] = on[i];
    }
    int32_t m = 0;
    for (int32_t i = 0; i < k; i++)
        if (on[i].score != 0) on[m++] = on[i];
    int rc1 = beat_histogram(p, on, m, p->mean_tps, p->beat_hist);
    int rc2 = beat_histogram(p, on, m, (double)(p->R * 2), p->beat_hist_std);
    free(on);
    if (rc1 || rc2)
        return emg_statusf(EMG_JSYM_E_JSYMBOLIC, "beat histogram lag range beyond 64 Mi ticks: jSymbolic runs out of memory");
    jsym_thresholded_peaks(p->beat_hist, 201, p->beat_thr);
    jsym_thresholded_peaks(p->beat_hist_std, 201, p->beat_thr_std);
    return emg_ok();
}

/* ---- vertical slices ---------------------------------------------------------------------- */

typedef struct { int32_t tick; int16_t pitch; int16_t vel; int8_t dir; } bound;

/* chord type of a tick from its pitch-class strengths (ChordTypeEnum): -1 for none */
static int chord_type(const int32_t pcs[12]) {
    int present[12], n = 0;
    for (int i = 0; i < 12; i++)
        if (pcs[i] > 0) present[n++] = i;
    static const int tri[5][3][2] = {
        {{3, 4}, {4, 5}, {5, 3}},  /* minor */
        {{4, 3}, {3, 5}, {5, 4}},  /* major */
        {{3, 3}, {3, 6}, {6, 3}},  /* diminished */
        {{4, 4}, {4, 4}, {4, 4}},  /* augmented */
        {{0, 0}, {0, 0}, {0, 0}},
    };
    static const int sev[3][4][3] = {
        {{3, 4, 3}, {4, 3, 2}, {3, 2, 3}, {2, 3, 4}},  /* minor seventh */
        {{4, 3, 3}, {3, 3, 2}, {3, 2, 4}, {2, 4, 3}},  /* dominant seventh */
        {{4, 3, 4}, {3, 4, 1}, {4, 1, 4}, {1, 4, 3}},  /* major seventh */
    };
    if (n == 2) return 0;
    if (n == 3) {
        for (int t = 0; t < 4; t++)
            for (int inv = 0; inv < 3; inv++)
                if (present[1] - present[0] == tri[t][inv][0] && present[2] - present[1] == tri[t][inv][1]) return 1 + t;
        return 5;
    }
    if (n == 4) {
        for (int t = 0; t < 3; t++)
            for (int inv = 0; inv < 4; inv++)
                if (present[1] - present[0] == sev[t][inv][0] && present[2] - present[1] == sev[t][inv][1] &&
                    present[3] - present[2] == sev[t][inv][2])
                    return 6 + t;
        return 9;
    }
    if (n >= 5 && n <= 11) return 10;
    return -1;
}

static const uint8_t pitch_class[128] = {
#define PC12(o) o, o + 1, o + 2, o + 3, o + 4, o + 5, o + 6, o + 7, o + 8, o + 9, o + 10, o + 11
    PC12(0), PC12(0), PC12(0), PC12(0), PC12(0), PC12(0), PC12(0), PC12(0), PC12(0), PC12(0), 0, 1, 2, 3, 4, 5, 6, 7
#undef PC12
};

static void build_slices(jsym_piece *p) {
    /* boundaries of the matched notes outside channel 10 */
    int32_t nb = 0;
    bound *b = xmalloc(sizeof(bound) * (size_t)(2 * p->nnotes + 1));
    for (int32_t i = 0; i < p->nnotes; i++) {
        const jsym_note *n = &p->notes[i];
        if (n->ch == 9 || !n->matched || n->end <= n->start) continue;
        b[nb++] = (bound){n->start, n->pitch, n->vel, 1};
        b[nb++] = (bound){n->end, n->pitch, n->vel, -1};
    }
    {
        uint64_t *key = xmalloc(sizeof(uint64_t) * (size_t)(nb + 1));
        bound *sorted = xmalloc(sizeof(bound) * (size_t)(nb + 1));
        for (int32_t i = 0; i < nb; i++) key[i] = (uint64_t)(uint32_t)b[i].tick << 32 | (uint32_t)i;
        jsym_sort_keyed(key, nb);
        for (int32_t i = 0; i < nb; i++) sorted[i] = b[key[i] & 0xFFFFFFFFu];
        free(key);
        free(b);
        b = sorted;
    }
    /* vsum: true velocity sum per pitch; jSymbolic's chart holds it as a short (wrapping) */
    int32_t vsum[128] = {0}, count[128] = {0};
    uint32_t unison = 0;  /* Java int, wraps */
    int32_t cap = 64, ncap = 256, nsl = 0, npl = 0;
    p->slices = xmalloc(sizeof(jsym_slice) * (size_t)cap);
    p->sl_pitch = xmalloc((size_t)ncap);
    p->sl_strength = xmalloc(sizeof(int16_t) * (size_t)ncap);
    /* bitmaps of the pitches whose (short) strength is non-zero and of those sounded by 2+
     * notes, kept up to date at each boundary so that a slice costs its pitches, not 128 */
    uint64_t act[2] = {0, 0}, multi[2] = {0, 0};
    for (int32_t i = 0; i < nb;) {
        int32_t t = b[i].tick;
        for (; i < nb && b[i].tick == t; i++) {
            int q = b[i].pitch;
            count[q] += b[i].dir;
            vsum[q] += b[i].dir * b[i].vel;
            uint64_t bit = 1ull << (q & 63);
            if ((int16_t)vsum[q] != 0) act[q >> 6] |= bit; else act[q >> 6] &= ~bit;
            if (count[q] >= 2) multi[q >> 6] |= bit; else multi[q >> 6] &= ~bit;
        }
        if (i >= nb) break;
        int32_t len = b[i].tick - t;
        /* unison velocity: a tick and pitch sounded by k >= 2 notes adds all k velocities */
        for (int w = 0; w < 2; w++)
            for (uint64_t m = multi[w]; m; m &= m - 1)
                unison += (uint32_t)len * (uint32_t)vsum[w * 64 + __builtin_ctzll(m)];
        int np = __builtin_popcountll(act[0]) + __builtin_popcountll(act[1]);
        if (np == 0) continue;
        if (nsl == cap) { cap *= 2; p->slices = xrealloc(p->slices, sizeof(jsym_slice) * (size_t)cap); }
        if (npl + np > ncap) {
            while (npl + np > ncap) ncap *= 2;
            p->sl_pitch = xrealloc(p->sl_pitch, (size_t)ncap);
            p->sl_strength = xrealloc(p->sl_strength, sizeof(int16_t) * (size_t)ncap);
        }
        jsym_slice *s = &p->slices[nsl++];
        s->start = t; s->len = len; s->first = npl; s->npitch = (int16_t)np;
        for (int w = 0; w < 2; w++)
            for (uint64_t m = act[w]; m; m &= m - 1) {
                int q = w * 64 + __builtin_ctzll(m);
                p->sl_pitch[npl] = (uint8_t)q;
                p->sl_strength[npl] = (int16_t)vsum[q];
                npl++;
            }
    }
    free(b);
    p->nslices = nsl;

    /* chord types, vertical intervals, unisons, simultaneity, chord duration */
    double ct[11] = {0}, vih[128] = {0};
    int64_t vih_int[128] = {0};
    int64_t nonrest = 0, pitch_ticks = 0, pc_ticks = 0, minor3 = 0, major3 = 0;
    int64_t chord_sum = 0, nchords = 0, chord_cur = 0;
    int have_prev = 0;
    uint8_t prev_pcs[12], cur_pcs[12];
    int nprev = 0;
    uint8_t *npc = xmalloc((size_t)nsl + 1);  /* pitch classes per slice */
    for (int32_t k = 0; k < nsl; k++) {
        const jsym_slice *s = &p->slices[k];
        const uint8_t *pit = p->sl_pitch + s->first;
        const int16_t *str = p->sl_strength + s->first;
        /* one pass over the pitches (ascending): chord-type strengths, classes in order of
         * first appearance, lowest and highest pitch of each class */
        int32_t pcs[12] = {0};
        int lowest[12], highest[12], n = 0, seen = 0;
        for (int c = 0; c < 12; c++) { lowest[c] = 1000; highest[c] = -1; }
        for (int i = 0; i < s->npitch; i++) {
            int q = pit[i], c = pitch_class[q];
            if (q < 127) pcs[c] += str[i];  /* jSymbolic's loop stops before pitch 127 */
            if (!(seen >> c & 1)) { seen |= 1 << c; cur_pcs[n++] = (uint8_t)c; lowest[c] = q; }
            highest[c] = q;
        }
        npc[k] = (uint8_t)n;
        int type = chord_type(pcs);
        if (type >= 0) ct[type] += (double)s->len;
        for (int i = 0; i < s->npitch; i++) {
            for (int j = i + 1; j < s->npitch; j++)
                vih_int[pit[j] - pit[i]] += (int64_t)s->len * ((int32_t)str[i] + (int32_t)str[j]);
        }
        nonrest += s->len;
        pitch_ticks += (int64_t)s->len * s->npitch;
        pc_ticks += (int64_t)s->len * n;
        /* a minor (major) third above some lower pitch, octaves apart allowed: the highest
         * pitch of class x + 3 (x + 4) lies above the lowest of class x */
        if (s->npitch > 1) {
            int m3 = 0, M3 = 0;
            for (int c = 0; c < 12; c++) {
                if (highest[(c + 3) % 12] > lowest[c]) m3 = 1;
                if (highest[(c + 4) % 12] > lowest[c]) M3 = 1;
            }
            minor3 += m3 ? s->len : 0;
            major3 += M3 ? s->len : 0;
        }
        if (!have_prev) {
            chord_cur = s->len;
            have_prev = 1;
        } else if (n == nprev && memcmp(cur_pcs, prev_pcs, (size_t)n) == 0) {
            chord_cur += s->len;
        } else {
            chord_sum += chord_cur;
            nchords++;
            chord_cur = s->len - 1;
        }
        memcpy(prev_pcs, cur_pcs, (size_t)n);
        nprev = n;
    }
    chord_sum += chord_cur;
    nchords++;
    for (int i = 0; i < 128; i++) vih[i] = (double)vih_int[i];
    vih[0] = (double)(int32_t)unison;
    jsym_normalize(vih, 128);
    memcpy(p->vertical_interval_hist, vih, sizeof vih);
    jsym_normalize(ct, 11);
    memcpy(p->chord_type_hist, ct, sizeof ct);
    p->nonrest_ticks = nonrest;
    p->avg_simultaneous = nonrest == 0 ? 0.0 : (double)pitch_ticks / (double)nonrest;
    p->avg_simultaneous_pc = nonrest == 0 ? 0.0 : (double)pc_ticks / (double)nonrest;
    p->minor_third_frac = nonrest == 0 ? 0.0 : (double)minor3 / (double)nonrest;
    p->major_third_frac = nonrest == 0 ? 0.0 : (double)major3 / (double)nonrest;
    p->first_pitch = nsl > 0 ? p->sl_pitch[p->slices[0].first] : 0;
    p->last_pitch = nsl > 0 ? p->sl_pitch[p->slices[nsl - 1].first] : 0;
    /* sample standard deviations over the non-rest ticks, summed tick by tick as jSymbolic does */
    if (nonrest >= 2) {
        double acc_p = 0.0, acc_pc = 0.0;
        for (int32_t k = 0; k < nsl; k++) {
            const jsym_slice *s = &p->slices[k];
            double dp = (double)s->npitch - p->avg_simultaneous;
            double dc = (double)npc[k] - p->avg_simultaneous_pc;
            acc_p = jsym_fp_repeat_add(acc_p, dp * dp, s->len);
            acc_pc = jsym_fp_repeat_add(acc_pc, dc * dc, s->len);
        }
        p->var_simultaneous = sqrt(acc_p / (double)(nonrest - 1));
        p->var_simultaneous_pc = sqrt(acc_pc / (double)(nonrest - 1));
    }
    free(npc);
    {
        double avg_ticks = (double)chord_sum / (double)nchords;
        double secs = avg_ticks * jsym_tick_seconds_first(p);
        p->chord_duration = p->avg_qn != 0.0 ? secs / p->avg_qn : 0.0;
    }

    /* voice motion (generateContrapuntalCounts) over the non-rest ticks, visiting one tick per
     * slice: the other ticks of a slice repeat its pitches and count nothing */
    int64_t par = 0, sim = 0, con = 0, obl = 0, p5 = 0, p8 = 0;
    int64_t N = nonrest, pos = 0, slice_pos = 0;
    int32_t k = 0, last = -1;
    while (pos < N && k < nsl) {
        /* slice k covers positions [slice_pos, slice_pos + len) */
        if (last < 0) { last = k; pos = slice_pos + p->slices[k].len; slice_pos = pos; k++; continue; }
        int32_t prev = last, cur = k;
        int64_t cur_start = slice_pos;
        if (p->slices[prev].npitch != p->slices[cur].npitch) {
            int moved = 0;
            if (pos < N - 150 - 1) {
                int64_t sp = slice_pos + p->slices[k].len;
                for (int32_t k2 = k + 1; k2 < nsl && sp < pos + 150; k2++) {
                    if (p->slices[k2].npitch == p->slices[prev].npitch) {
                        cur = k2; cur_start = sp; moved = 1;
                        break;
                    }
                    sp += p->slices[k2].len;
                }
            }
            if (!moved) {
                last = k;
                pos = slice_pos + p->slices[k].len;
                slice_pos = pos;
                k++;
                continue;
            }
        }
        const jsym_slice *sc = &p->slices[cur], *sp_ = &p->slices[prev];
        const uint8_t *cp = p->sl_pitch + sc->first, *pp = p->sl_pitch + sp_->first;
        int n = sc->npitch;
        if (n > 1 && memcmp(cp, pp, (size_t)n) != 0) {
            for (int bi = 0; bi < n - 1; bi++)
                for (int ti = bi + 1; ti < n; ti++) {
                    int pb = pp[bi], pt = pp[ti], cb = cp[bi], ctp = cp[ti];
                    if (pb == cb && pt == ctp) continue;
                    if (pb == cb || pt == ctp) obl++;
                    else if ((cb - pb < 0 && ctp - pt > 0) || (cb - pb > 0 && ctp - pt < 0)) con++;
                    else if (ctp - cb == pt - pb) {
                        par++;
                        if (ctp - cb == 7) p5++;
                        if (ctp - cb == 12) p8++;
                    } else sim++;
                }
        }
        last = cur;
        pos = cur_start + sc->len;
        slice_pos = pos;
        k = cur + 1;
    }
    double tot = (double)par + (double)sim + (double)con + (double)obl;
    if (tot > 0.0) {
        p->parallel_frac = (double)par / tot;
        p->similar_frac = (double)sim / tot;
        p->contrary_frac = (double)con / tot;
        p->oblique_frac = (double)obl / tot;
        p->par5_frac = (double)p5 / tot;
        p->par8_frac = (double)p8 / tot;
    }
}

/* ---- windows of Note Density per Quarter Note Variability --------------------------------- */

/* MIDIMethods.breakSequenceIntoWindows + a fresh MIDIIntermediateRepresentations per window,
 * reduced to what Note Density per Quarter Note reads: each window's Note On count, its tick
 * length and its Java Sound duration. */
emg_status jsym_window_densities(jsym_piece *p, double window, int per_quarter, double **out, int32_t *nout) {
    const jsym_seq *s = &p->seq;
    /* MIDIMethods.getSecondsPerTick: like the tempo map, but its default is 1 / (int) ticks per second */
    double wdefault = 1.0 / (double)jsym_d2i((double)p->L / ((double)p->us / 1000000.0));
    double total = (double)p->us / 1000000.0;
    int64_t len = p->L + 1;

    int32_t cap = 64, nw = 0;
    int32_t *ws = xmalloc(sizeof(int32_t) * (size_t)cap), *we = xmalloc(sizeof(int32_t) * (size_t)cap);
    int64_t tick = 0;
    double total_acc = 0.0;
    int seg = 0;
    while (total_acc <= total && tick < len) {
        if (nw == cap) {
            cap *= 2;
            ws = xrealloc(ws, sizeof(int32_t) * (size_t)cap);
            we = xrealloc(we, sizeof(int32_t) * (size_t)cap);
        }
        ws[nw] = (int32_t)tick;
        double acc = 0.0;
        int64_t start = tick;
        while (acc < window && tick < len) {
            while (seg + 1 < p->ntseg && p->tseg_tick[seg + 1] <= tick) seg++;
            int64_t seg_end = seg + 1 < p->ntseg ? p->tseg_tick[seg + 1] : len;
            double x = p->tseg_default[seg] ? wdefault : p->tseg_val[seg];
            tick += jsym_fp_add_until(&acc, x, seg_end - tick, window);
        }
        we[nw] = (int32_t)(tick - 1);
        nw++;
        total_acc += acc - 0.0;
        if (tick == start) {
            free(ws); free(we);
            return emg_statusf(EMG_JSYM_E_EMPTY, "window split makes no progress: jSymbolic 2.2 never finishes");
        }
    }

    if (nw == 0) {
        /* only when the duration is negative (Java Sound's 32-bit clock wrapped): jSymbolic then
         * indexes window -1 and throws */
        free(ws); free(we);
        return emg_statusf(EMG_JSYM_E_JSYMBOLIC, "negative duration (Java Sound's 32-bit microsecond sum wrapped): "
                           "jSymbolic's window split throws, no features");
    }

    /* Replay of breakSequenceIntoWindows, per track: each event goes to the window holding its
     * tick; when a track's events move on to a later window, the track's latest meta events and
     * program changes ("special events") and its still-sounding Note Ons (keyed by pitch alone)
     * are copied to tick 0 of the new window and of every window skipped on the way, and each
     * sounding note gets a Note Off at the end of the windows it leaves. Per window we keep the
     * Note On count, the largest relative tick (the window's tick length) and the tempo events
     * of track 0 (the only ones Java Sound's clock reads), in the order the window's track holds
     * them: carried ones (tick 0) before the window's own. */
    int64_t *count = xcalloc((size_t)nw, sizeof(int64_t));
    int64_t *maxt = xcalloc((size_t)nw, sizeof(int64_t));
    int64_t ntm = 0, tmcap = 16;
    int32_t *tm_w = xmalloc(sizeof(int32_t) * (size_t)tmcap);
    int64_t *tm_t = xmalloc(sizeof(int64_t) * (size_t)tmcap);
    int32_t *tm_mpq = xmalloc(sizeof(int32_t) * (size_t)tmcap);
#define PUSH_TEMPO(w_, t_, mpq_) do { \
        if (ntm == tmcap) { tmcap *= 2; tm_w = xrealloc(tm_w, sizeof(int32_t) * (size_t)tmcap); \
            tm_t = xrealloc(tm_t, sizeof(int64_t) * (size_t)tmcap); tm_mpq = xrealloc(tm_mpq, sizeof(int32_t) * (size_t)tmcap); } \
        tm_w[ntm] = (w_); tm_t[ntm] = (t_); tm_mpq[ntm] = (mpq_); ntm++; } while (0)
    int last = nw - 1;
    int32_t cur = 0;  /* jSymbolic keeps the current window index across tracks */
    uint8_t pending[256];
    for (int t = 0; t < s->ntracks; t++) {
        const jsym_track *tr = &s->tracks[t];
        memset(pending, 0, sizeof pending);
        int npend = 0;
        const jsym_ev *last_tempo = NULL;  /* this track's latest meta 0x51 */
        int wi = 0;
        for (int i = 0; i < tr->n; i++) {
            const jsym_ev *e = &tr->ev[i];
            /* the split first moves every track's End-of-Track to the sequence's last tick */
            int64_t T = (i == tr->n - 1) ? p->L : e->tick;
            int32_t idx;
            if (T > we[last]) idx = last;
            else {
                while (wi < last && we[wi] < T) wi++;
                idx = wi;
            }
            if (idx != cur) {
                count[idx] += npend;
                for (int32_t w = cur; w < idx; w++) {
                    if (w != cur) count[w] += npend;
                    if (npend > 0 && we[w] - ws[w] > maxt[w]) maxt[w] = we[w] - ws[w];
                }
                if (t == 0 && last_tempo && last_tempo->len == 3)
                    for (int32_t w = cur + 1; w <= idx; w++)
                        PUSH_TEMPO(w, 0, last_tempo->data[0] << 16 | last_tempo->data[1] << 8 | last_tempo->data[2]);
                cur = idx;
            }
            if (e->kind == JSYM_META && e->d1 == 0x51) last_tempo = e;
            if (e->kind == JSYM_SHORT) {
                int cmd = e->status & 0xF0;
                if (cmd == 0x90 && e->d2 != 0) {
                    if (!pending[e->d1]) npend++;
                    pending[e->d1] = 1;
                } else if (cmd == 0x80 || cmd == 0x90) {
                    if (pending[e->d1]) npend--;
                    pending[e->d1] = 0;
                }
            }
            /* the event goes to its window; past the last window only the tick right after it */
            if (!(T <= we[idx] || (idx == last && T == (int64_t)we[last] + 1))) continue;
            int64_t rel = T - ws[idx];
            if (rel > maxt[idx]) maxt[idx] = rel;
            if (e->kind == JSYM_SHORT && (e->status & 0xF0) == 0x90 && e->d2 != 0) count[idx]++;
            if (t == 0 && e->kind == JSYM_META && e->d1 == 0x51 && e->len == 3)
                PUSH_TEMPO(idx, rel, e->data[0] << 16 | e->data[1] << 8 | e->data[2]);
        }
    }
#undef PUSH_TEMPO

    /* Note Density (per Quarter Note) of each window, from its own MIDIIntermediateRepresentations */
    double *dens = xmalloc(sizeof(double) * (size_t)nw);
    int64_t ti = 0;
    for (int32_t w = 0; w < nw; w++) {
        int64_t t0 = ti;
        while (ti < ntm && tm_w[ti] == w) ti++;
        jsym_clock c;
        int32_t *mpq = tm_mpq + t0;
        jsym_clock_init(&c, tm_t + t0, mpq, (int)(ti - t0), p->R);
        int64_t us = jsym_clock_us(&c, maxt[w]);
        jsym_clock_free(&c);
        double dur = (double)us / 1000000.0;
        int32_t dur_int = (int32_t)(us / 1000000);
        double nps = dur_int != 0 ? (double)count[w] / dur : 0.0;
        double avg_tick = dur / (double)maxt[w];  /* 0 / 0 = NaN for an empty window, as in Java */
        double avg_qn = (double)p->R * avg_tick;
        dens[w] = per_quarter ? nps * avg_qn : nps;
    }
    *out = dens;
    *nout = nw;
    free(tm_w); free(tm_t); free(tm_mpq);
    free(count); free(maxt);
    free(ws); free(we);
    return emg_ok();
}

/* ---- matched notes per channel, sorted by start (stable) ---------------------------------- */

static void build_channotes(jsym_piece *p) {
    int32_t cnt[16] = {0};
    for (int32_t i = 0; i < p->nnotes; i++)
        if (p->notes[i].matched) cnt[p->notes[i].ch]++;
    p->cn_first[0] = 0;
    for (int c = 0; c < 16; c++) p->cn_first[c + 1] = p->cn_first[c] + cnt[c];
    p->cn_idx = xmalloc(sizeof(int32_t) * (size_t)(p->cn_first[16] + 1));
    int32_t *tmp = xmalloc(sizeof(int32_t) * (size_t)(p->cn_first[16] + 1));
    for (int c = 0; c < 16; c++) {
        int32_t n = 0;
        for (int32_t i = 0; i < p->nnotes; i++)
            if (p->notes[i].matched && p->notes[i].ch == c) tmp[n++] = i;
        /* stable merge sort by start tick (Java's List.sort is stable) */
        int32_t *a = tmp, *b = p->cn_idx + p->cn_first[c];
        int32_t *src = a, *dst = b;
        for (int32_t width = 1; width < n; width *= 2) {
            for (int32_t lo = 0; lo < n; lo += 2 * width) {
                int32_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
                int32_t i = lo, j = mid, k = lo;
                while (i < mid && j < hi)
                    dst[k++] = p->notes[src[j]].start < p->notes[src[i]].start ? src[j++] : src[i++];
                while (i < mid) dst[k++] = src[i++];
                while (j < hi) dst[k++] = src[j++];
            }
            int32_t *sw = src; src = dst; dst = sw;
        }
        if (src != b) memcpy(b, src, sizeof(int32_t) * (size_t)n);
    }
    free(tmp);
}

emg_status jsym_need(jsym_piece *p, unsigned mask) {
    unsigned todo = mask & ~p->have;
    emg_status st = emg_ok();
    if (todo & JSYM_G_RHYTHM) build_rhythm(p);
    if (todo & JSYM_G_BEAT) { st = build_beat(p); if (st.code) return st; }
    if (todo & JSYM_G_SLICES) build_slices(p);
    if (todo & JSYM_G_WINDOWS) {
        st = jsym_window_densities(p, 8.0 * p->avg_qn, 1, &p->win_density, &p->nwin);
        if (st.code) return st;
    }
    if (todo & JSYM_G_WINDOWS5) {
        st = jsym_window_densities(p, 5.0, 0, &p->win5_density, &p->nwin5);
        if (st.code) return st;
    }
    if (todo & JSYM_G_CHANNOTES) build_channotes(p);
    if (todo & JSYM_G_VOICES) jsym_build_voices(p);
    if (todo & JSYM_G_INSTR) jsym_build_instr(p);
    if (todo & JSYM_G_DURATIONS) jsym_build_durations(p);
    if (todo & JSYM_G_ATTACKS) jsym_build_attacks(p);
    if (todo & JSYM_G_RESTS) {
        if (!(p->have & JSYM_G_SLICES) && !(todo & JSYM_G_SLICES)) { build_slices(p); p->have |= JSYM_G_SLICES; }
        jsym_build_rests(p);
    }
    p->have |= todo;
    return st;
}
