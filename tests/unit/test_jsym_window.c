/* test_jsym_window.c: jSymbolic's windows (emogen features --window), without shared/:
 *   - a hand-built piece with exact tick durations (1/64 s), whose windows follow by hand from
 *     MIDIMethods: boundaries, the last partial window ending at the last tick, a one-tick last
 *     window with overlap, notes carried across a boundary (Note Off at the window's end, Note On
 *     at tick 0 of the next), the tempo carried to tick 0 of later windows, a window without
 *     notes getting no values;
 *   - a window longer than the piece gives the whole-piece values (all 1,495) on the fixtures;
 *   - the general split, density read from each window's sequence, reproduces the two windowed
 *     features (Note Density per Quarter Note Variability, Note Density Variability) exactly,
 *     including the NaN of pop909/635 (whose real jSymbolic values are in reference_rows.csv).
 * test_jsym_reference.c runs the last check on the 400 reference files. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsym.h"
#include "jsym_engine.h"
#include "jsym_window.h"
#include "test_util.h"

#include "smf_build.h"

static double value(const double *v, const char *name) {
    int i = emg_jsym_find_value(name);
    CHECK(i >= 0);
    return i >= 0 ? v[i] : NAN;
}

#define MAXW 16
typedef struct {
    int n, ok[MAXW];
    emg_jsym_window w[MAXW];
    double *v[MAXW];
} collected;
static void collect(void *ctx, const emg_jsym_window *w, emg_status st, const double *values) {
    collected *c = ctx;
    if (c->n >= MAXW) return;
    c->w[c->n] = *w;
    c->ok[c->n] = st.code == 0;
    c->v[c->n] = NULL;
    if (!st.code) {
        c->v[c->n] = malloc(sizeof(double) * EMG_JSYM_NVALUES);
        memcpy(c->v[c->n], values, sizeof(double) * EMG_JSYM_NVALUES);
    }
    c->n++;
}
static void collected_free(collected *c) {
    for (int i = 0; i < c->n; i++) free(c->v[i]);
    c->n = 0;
}

/* PPQ 96 and 1,500,000 us per quarter: every tick lasts exactly 1/64 s, so MIDIMethods' sums are
 * exact and the windows can be worked out by hand. Notes: 60 on 0..32, 64 on 48..100 (across the
 * first boundary), 67 on 130..150; last event at tick 160 (2.5 s). */
static bytes exact_piece(void) {
    bytes t = ev("00 FF 51 03 16 E3 60"   /* tempo 1,500,000 us per quarter at tick 0 */
                 " 00 90 3C 40 20 80 3C 00"   /* 60: ticks 0..32 */
                 " 10 90 40 50 34 80 40 00"   /* 64: ticks 48..100 */
                 " 1E 90 43 60 14 80 43 00"   /* 67: ticks 130..150 */
                 " 0A FF 01 01 41"            /* a text event at tick 160 */
                 " 00 FF 2F 00");
    return smf(0, 96, 1, &t);
}

static void test_exact_windows(void) {
    bytes f = exact_piece();
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_ALL);
    double whole[EMG_JSYM_NVALUES];
    CHECK_EQ_INT(emg_jsym_compute(f.b, f.n, &req, whole).code, 0);
    CHECK_EQ_DBL(value(whole, "Duration in Seconds"), 2.5);

    /* 1-second windows: [0, 63], [64, 127], and the last, partial one [128, 160] (tick L included) */
    collected c = {0};
    CHECK_EQ_INT(emg_jsym_compute_windows(f.b, f.n, &req, 1.0, 0.0, collect, &c).code, 0);
    CHECK_EQ_INT(c.n, 3);
    static const int s1[] = {0, 64, 128}, e1[] = {63, 127, 160};
    for (int i = 0; i < c.n && i < 3; i++) {
        CHECK_EQ_INT(c.w[i].index, i);
        CHECK_EQ_INT(c.w[i].start_tick, s1[i]);
        CHECK_EQ_INT(c.w[i].end_tick, e1[i]);
        /* getSecondsAtTick counts the tick itself */
        CHECK_EQ_DBL(c.w[i].start_s, (s1[i] + 1) / 64.0);
        CHECK_EQ_DBL(c.w[i].end_s, (e1[i] + 1) / 64.0);
        CHECK(c.ok[i]);
    }
    if (c.n == 3 && c.ok[0] && c.ok[1] && c.ok[2]) {
        /* window 0: notes 60 and 64, the latter cut by a Note Off at its last tick (63) */
        CHECK_EQ_DBL(value(c.v[0], "Total Number of Notes"), 2);
        CHECK_EQ_DBL(value(c.v[0], "Duration in Seconds"), 63 / 64.0);
        CHECK_EQ_DBL(value(c.v[0], "Maximum Note Duration"), 0.5);          /* 60: 32 ticks */
        CHECK_EQ_DBL(value(c.v[0], "Minimum Note Duration"), 15 / 64.0);    /* 64: 48..63 */
        /* window 1: 64 carried to tick 0 (with the tempo), its own Note Off at 100 - 64 = 36 */
        CHECK_EQ_DBL(value(c.v[1], "Total Number of Notes"), 1);
        CHECK_EQ_DBL(value(c.v[1], "Duration in Seconds"), 36 / 64.0);
        CHECK_EQ_DBL(value(c.v[1], "Maximum Note Duration"), 36 / 64.0);
        CHECK_EQ_DBL(value(c.v[1], "Mean Pitch"), 64);
        CHECK_EQ_DBL(value(c.v[1], "Initial Tempo"), 40);                   /* 60e6 / 1.5e6 */
        /* window 2: 67 at 2..22; the End-of-Track, moved to the last tick, ends it at 32 */
        CHECK_EQ_DBL(value(c.v[2], "Total Number of Notes"), 1);
        CHECK_EQ_DBL(value(c.v[2], "Duration in Seconds"), 0.5);
        CHECK_EQ_DBL(value(c.v[2], "First Pitch"), 67);
        /* the carried note is counted in both windows */
        double notes = 0;
        for (int i = 0; i < 3; i++) notes += value(c.v[i], "Total Number of Notes");
        CHECK_EQ_DBL(notes, value(whole, "Total Number of Notes") + 1);
    }
    collected_free(&c);

    /* 1-second windows overlapping by 0.5 s: each starts where its predecessor reached 0.5 s;
     * the last one is the single tick 160 (MIDIMethods goes on while the summed seconds minus
     * the overlaps stay within the duration): it has no notes, so no values */
    CHECK_EQ_INT(emg_jsym_compute_windows(f.b, f.n, &req, 1.0, 0.5, collect, &c).code, 0);
    CHECK_EQ_INT(c.n, 6);
    static const int s2[] = {0, 32, 64, 96, 128, 160}, e2[] = {63, 95, 127, 159, 160, 160};
    for (int i = 0; i < c.n && i < 6; i++) {
        CHECK_EQ_INT(c.w[i].start_tick, s2[i]);
        CHECK_EQ_INT(c.w[i].end_tick, e2[i]);
        CHECK_EQ_INT(c.ok[i], i < 5);
    }
    if (c.n == 6 && c.ok[1]) {
        /* window 1 [32, 95]: the switch to it happens at 60's Note Off (tick 32), before that
         * event is looked at, so 60 is still "sounding" and is carried to tick 0, where its own
         * Note Off ends it at once; then 64 from 16 to its carried Note Off at 63 */
        CHECK_EQ_DBL(value(c.v[1], "Total Number of Notes"), 2);
        CHECK_EQ_DBL(value(c.v[1], "Minimum Note Duration"), 0);
        CHECK_EQ_DBL(value(c.v[1], "Duration in Seconds"), 63 / 64.0);
    }
    collected_free(&c);

    /* invalid arguments fail before any window */
    CHECK(emg_jsym_compute_windows(f.b, f.n, &req, 1.0, 1.0, collect, &c).code != 0);
    CHECK(emg_jsym_compute_windows(f.b, f.n, &req, 0.0, 0.0, collect, &c).code != 0);
    CHECK(emg_jsym_compute_windows(f.b, f.n, &req, NAN, 0.0, collect, &c).code != 0);
    CHECK_EQ_INT(c.n, 0);
    /* a file without values has no windows */
    bytes t = ev("00 FF 51 03 07 A1 20 00 FF 2F 00");
    bytes nonotes = smf(0, 96, 1, &t);
    CHECK(emg_jsym_compute_windows(nonotes.b, nonotes.n, &req, 1.0, 0.0, collect, &c).code != 0);
    CHECK_EQ_INT(c.n, 0);
}

/* Java's HashMap order of the carried events: Note Ons sounding at a boundary come to tick 0 of
 * the next window by bucket (pitch mod 16 while the map is small), not by pitch or time */
static void test_carried_order(void) {
    /* 84 (bucket 4) starts at tick 0, 66 (bucket 2) at 10; both sound across the boundary at 64;
     * 72 follows at 80 */
    bytes t = ev("00 FF 51 03 16 E3 60 00 90 54 40 0A 90 42 40 46 90 48 40 14 80 48 00"
                 " 0A 80 54 00 00 80 42 00 0A FF 2F 00");
    bytes f = smf(0, 96, 1, &t);
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_ALL);
    collected c = {0};
    CHECK_EQ_INT(emg_jsym_compute_windows(f.b, f.n, &req, 1.0, 0.0, collect, &c).code, 0);
    CHECK_EQ_INT(c.n, 2);
    if (c.n == 2 && c.ok[0] && c.ok[1]) {
        /* window 0: 84 then 66: one melodic interval of 18 */
        CHECK_EQ_DBL(value(c.v[0], "Melodic Interval Histogram_18"), 1);
        /* window 1: 66 and 84 at tick 0 in bucket order (66 first, so 84 is the previous Note On
         * when 72 comes): the only interval is 12 (6 in order of time) */
        CHECK_EQ_DBL(value(c.v[1], "Melodic Interval Histogram_12"), 1);
        CHECK_EQ_DBL(value(c.v[1], "Melodic Interval Histogram_6"), 0);
        CHECK_EQ_DBL(value(c.v[1], "Total Number of Notes"), 3);
        CHECK_EQ_DBL(value(c.v[1], "First Pitch"), 66);
    }
    collected_free(&c);
}

/* a window longer than the piece is the piece (all tracks' End-of-Track moved to the last tick,
 * which changes nothing where every note has its Note Off) */
static void test_whole_window(void) {
    static const char *const fx[] = {"emogen_examples__1.mid", "pop909__230.mid", "pop909__635.mid",
                                     "symusic_tests__issue90.mid", "drywetmidi_valid__MultiTrack_Middle_gfr66-h-jwhc.mid"};
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_ALL);
    double *whole = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    for (size_t k = 0; k < sizeof fx / sizeof fx[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/jsym/%s", TEST_DATA_DIR, fx[k]);
        size_t len = 0;
        unsigned char *buf = test_read_file(path, &len);
        CHECK(buf != NULL);
        if (!buf) continue;
        CHECK_EQ_INT(emg_jsym_compute(buf, len, &req, whole).code, 0);
        collected c = {0};
        double dur = value(whole, "Duration in Seconds");
        CHECK_EQ_INT(emg_jsym_compute_windows(buf, len, &req, dur + 10.0, 0.0, collect, &c).code, 0);
        CHECK_EQ_INT(c.n, 1);
        if (c.n == 1 && c.ok[0]) {
            int differ = 0;
            for (int v = 0; v < EMG_JSYM_NVALUES; v++)
                if (!(c.v[0][v] == whole[v]) && !(isnan(c.v[0][v]) && isnan(whole[v]))) {
                    if (differ++ < 3) {
                        char name[256];
                        emg_jsym_value_name(v, name, sizeof name);
                        fprintf(stderr, "%s: %s: window %.17g vs whole %.17g\n", fx[k], name, c.v[0][v], whole[v]);
                    }
                }
            CHECK_EQ_INT(differ, 0);
            CHECK_EQ_INT(c.w[0].start_tick, 0);
        }
        collected_free(&c);
        free(buf);
    }
    free(whole);
}

/* standard deviation of the densities of the split's windows, as the windowed features take it */
static double split_variability(const jsym_piece *p, double window_s, int per_quarter, int *ok) {
    int32_t *st = NULL, *en = NULL, n = 0;
    *ok = 0;
    if (jsym_window_bounds(p, window_s, 0.0, 1000000, &st, &en, &n).code) return NAN;
    jsym_seq *q = calloc((size_t)n, sizeof(jsym_seq));
    double *d = malloc(sizeof(double) * (size_t)n);
    emg_status s = jsym_window_split(p, st, en, n, q);
    if (!s.code) {
        for (int32_t w = 0; w < n; w++) d[w] = jsym_window_density(&q[w], per_quarter);
        *ok = 1;
    }
    double v = n < 2 ? 0.0 : jsym_stddev(d, n);
    for (int32_t w = 0; w < n; w++) jsym_seq_free(&q[w]);
    free(q);
    free(d);
    free(st);
    free(en);
    return v;
}

static void test_split_matches_windowed_features(void) {
    static const char *const fx[] = {"emogen_examples__1.mid", "pop909__230.mid", "pop909__635.mid",
                                     "symusic_tests__issue90.mid", "drywetmidi_valid__MultiTrack_Middle_gfr66-h-jwhc.mid"};
    int nan_seen = 0;
    for (size_t k = 0; k < sizeof fx / sizeof fx[0]; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/jsym/%s", TEST_DATA_DIR, fx[k]);
        size_t len = 0;
        unsigned char *buf = test_read_file(path, &len);
        CHECK(buf != NULL);
        if (!buf) continue;
        jsym_piece p;
        CHECK_EQ_INT(jsym_piece_build(&p, buf, len).code, 0);
        double feat[2];
        CHECK_EQ_INT(jsym_need(&p, JSYM_G_WINDOWS | JSYM_G_WINDOWS5).code, 0);
        feat[0] = p.nwin < 2 ? 0.0 : jsym_stddev(p.win_density, p.nwin);
        feat[1] = p.nwin5 < 2 ? 0.0 : jsym_stddev(p.win5_density, p.nwin5);
        int ok;
        CHECK_EQ_DBL(split_variability(&p, 8.0 * p.avg_qn, 1, &ok), feat[0]);
        CHECK(ok);
        CHECK_EQ_DBL(split_variability(&p, 5.0, 0, &ok), feat[1]);
        CHECK(ok);
        nan_seen += isnan(feat[0]);
        jsym_piece_free(&p);
        free(buf);
    }
    CHECK_EQ_INT(nan_seen, 1);  /* pop909/635 */
}

int main(void) {
    test_exact_windows();
    test_carried_order();
    test_whole_window();
    test_split_matches_windowed_features();
    return TEST_DONE();
}
