/* test_jsym_fixtures.c: jSymbolic features on the vendored fixtures (tests/data/jsym/, their real
 * jSymbolic 2.2 rows alongside) and on hand-built edge cases whose values follow from jSymbolic's
 * rules: one note with no tempo event (120 BPM default), drums only, no notes, zero length,
 * format 2, SMPTE, truncated files. Runs without shared/. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "jsym.h"
#include "test_util.h"

static int agree(double ours, double ref) {
    if (isnan(ref) || isnan(ours)) return isnan(ref) && isnan(ours);
    return fabs(ours - ref) <= 1e-9 + 1e-6 * fabs(ref);
}

static double value(const double *v, const char *name) {
    int i = emg_jsym_find_value(name);
    CHECK(i >= 0);
    return i >= 0 ? v[i] : NAN;
}

static void test_fixture_rows(void) {
    FILE *f = fopen(TEST_DATA_DIR "/jsym/reference_rows.csv", "r");
    CHECK(f != NULL);
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    char **fields = malloc(sizeof(char *) * (EMG_JSYM_NVALUES + 8));
    double *v = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_IMPLEMENTED);
    int header = 1, rows = 0, saw_nan = 0;
    while (getline(&line, &cap, f) > 0) {
        int n = emg_csv_split(line, fields, EMG_JSYM_NVALUES + 8);
        CHECK_EQ_INT(n, EMG_JSYM_NVALUES + 1);
        if (n != EMG_JSYM_NVALUES + 1) continue;
        if (header) {
            header = 0;
            for (int k = 0; k < EMG_JSYM_NVALUES; k++) {
                char name[256];
                emg_jsym_value_name(k, name, sizeof name);
                if (strcmp(name, fields[k + 1])) { CHECK_STR_EQ(name, fields[k + 1]); break; }
            }
            continue;
        }
        rows++;
        /* "unlabelled/pop909/230.mid" -> "pop909__230.mid" */
        char fixture[512], path[1024];
        const char *a = strchr(fields[0], '/') + 1, *b = strchr(a, '/');
        snprintf(fixture, sizeof fixture, "%.*s__%s", (int)(b - a), a, b + 1);
        snprintf(path, sizeof path, "%s/jsym/%s", TEST_DATA_DIR, fixture);
        size_t len = 0;
        unsigned char *buf = test_read_file(path, &len);
        CHECK(buf != NULL);
        if (!buf) continue;
        emg_status st = emg_jsym_compute(buf, len, &req, v);
        free(buf);
        CHECK_EQ_INT(st.code, 0);
        if (st.code) { fprintf(stderr, "%s: %s\n", fixture, st.msg); continue; }
        int bad = 0;
        for (int k = 0; k < EMG_JSYM_NVALUES; k++) {
            if (!req.want[emg_jsym_value_feature(k)]) continue;
            double ref = strtod(fields[k + 1], NULL);
            if (isnan(ref)) saw_nan++;
            CHECK(!isinf(v[k]));
            if (!agree(v[k], ref)) {
                char name[256];
                emg_jsym_value_name(k, name, sizeof name);
                if (bad++ < 5) fprintf(stderr, "%s: %s: ours %.17g, jSymbolic %.17g\n", fixture, name, v[k], ref);
            }
        }
        CHECK_EQ_INT(bad, 0);
    }
    CHECK_EQ_INT(rows, 5);
    CHECK(saw_nan >= 1);  /* pop909/635: the NaN of Note Density per Quarter Note Variability */
    free(line);
    free(fields);
    free(v);
    fclose(f);
}

/* ---- hand-built files ---- */

#include "smf_build.h"

static emg_status compute_all(const bytes *f, double *v) {
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_IMPLEMENTED);
    return emg_jsym_compute(f->b, f->n, &req, v);
}

static void test_one_note(void) {
    /* C4, velocity 64, one quarter at ppq 480, no tempo event (Java Sound's 120 BPM) */
    bytes t = ev("00 90 3C 40 83 60 80 3C 00 00 FF 2F 00");
    bytes f = smf(0, 480, 1, &t);
    double v[EMG_JSYM_NVALUES];
    emg_status st = compute_all(&f, v);
    CHECK_EQ_INT(st.code, 0);
    if (st.code) return;
    CHECK_EQ_DBL(value(v, "Duration in Seconds"), 0.5);
    CHECK_EQ_DBL(value(v, "Total Number of Notes"), 1);
    CHECK_EQ_DBL(value(v, "Number of Pitches"), 1);
    CHECK_EQ_DBL(value(v, "Range"), 0);
    CHECK_EQ_DBL(value(v, "Mean Pitch"), 60);
    CHECK_EQ_DBL(value(v, "Most Common Pitch"), 60);
    CHECK_EQ_DBL(value(v, "Pitch Class Histogram_0"), 1);  /* rotated: most common class first */
    CHECK_EQ_DBL(value(v, "Rhythmic Value Histogram_4"), 1);
    CHECK_EQ_DBL(value(v, "Most Common Rhythmic Value"), 1.0);
    CHECK_EQ_DBL(value(v, "Note Density per Quarter Note"), 0);  /* under one whole second: jSymbolic says 0 */
    CHECK_EQ_DBL(value(v, "Note Density per Quarter Note Variability"), 0);  /* one window */
    CHECK_EQ_DBL(value(v, "Chord Duration"), 1.0);
    CHECK_EQ_DBL(value(v, "Average Number of Simultaneous Pitches"), 1.0);
    CHECK_EQ_DBL(value(v, "Vertical Interval Histogram_0"), 0);
    CHECK_EQ_DBL(value(v, "Chord Type Histogram_0"), 0);
    CHECK_EQ_DBL(value(v, "Variation of Dynamics"), 0);
    CHECK_EQ_DBL(value(v, "Variability of Time Between Attacks"), 0);
    CHECK_EQ_DBL(value(v, "Strength of Strongest Rhythmic Pulse - Tempo Standardized"), 0);
    /* both peak indices stay at jSymbolic's initial 1: 1 / 1 */
    CHECK_EQ_DBL(value(v, "Harmonicity of Two Strongest Rhythmic Pulses - Tempo Standardized"), 1.0);
    for (int k = 0; k < EMG_JSYM_NVALUES; k++)
        if (emg_jsym_feature_implemented(emg_jsym_value_feature(k))) CHECK(isfinite(v[k]));
}

static void test_drums_only(void) {
    /* two kick drums on channel 10 (status 0x99), tempo 100 BPM */
    bytes t = ev("00 FF 51 03 09 27 C0 00 99 24 64 81 70 89 24 00 00 99 24 50 81 70 89 24 00 00 FF 2F 00");
    bytes f = smf(1, 240, 1, &t);
    double v[EMG_JSYM_NVALUES];
    emg_status st = compute_all(&f, v);
    CHECK_EQ_INT(st.code, 0);
    if (st.code) return;
    CHECK_EQ_DBL(value(v, "Total Number of Notes"), 2);
    CHECK_EQ_DBL(value(v, "Mean Pitch"), 0);           /* no pitched notes */
    CHECK_EQ_DBL(value(v, "Number of Pitches"), 0);
    CHECK_EQ_DBL(value(v, "Pitch Class Histogram_0"), 0);
    CHECK_EQ_DBL(value(v, "Mean Pitch Class"), 0);
    CHECK_EQ_DBL(value(v, "Rhythmic Value Histogram_4"), 1);  /* 240 ticks: drums count in rhythm */
    CHECK_EQ_DBL(value(v, "Duration in Seconds"), 1.2);       /* 480 ticks at 0.6 s per quarter */
    CHECK_EQ_DBL(value(v, "Variation of Dynamics"), sqrt(200.0));
}

static void test_no_values(void) {
    double v[EMG_JSYM_NVALUES];
    for (int k = 0; k < EMG_JSYM_NVALUES; k++) v[k] = -7.0;
    /* tempo and a controller, no notes */
    bytes t1 = ev("00 FF 51 03 07 A1 20 00 B0 07 64 83 60 FF 2F 00");
    bytes f = smf(0, 480, 1, &t1);
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_NO_NOTES);
    /* only End-of-Track at tick 0 */
    bytes t2 = ev("00 FF 2F 00");
    f = smf(0, 480, 1, &t2);
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_EMPTY);
    /* a note that starts and ends on tick 0: zero length */
    bytes t3 = ev("00 90 3C 40 00 80 3C 00 00 FF 2F 00");
    f = smf(0, 480, 1, &t3);
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_EMPTY);
    /* format 2 */
    bytes t4 = ev("00 90 3C 40 83 60 80 3C 00 00 FF 2F 00");
    f = smf(2, 480, 1, &t4);
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_FORMAT);
    /* SMPTE division (25 fps, 40 ticks per frame) */
    f = smf(0, 0xE728, 1, &t4);
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_SMPTE);
    /* an event cut off by the end of its chunk */
    bytes t5 = ev("00 90 3C");
    f = smf(0, 480, 1, &t5);
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_UNREADABLE);
    /* header promises two tracks, file has one: Java Sound reads past the end */
    f = smf(1, 480, 1, &t4);
    f.b[11] = 2;
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_UNREADABLE);
    /* a status byte Java Sound refuses (0xF8 in a file) */
    bytes t6 = ev("00 90 3C 40 10 F8 83 60 80 3C 00 00 FF 2F 00");
    f = smf(0, 480, 1, &t6);
    CHECK_EQ_INT(compute_all(&f, v).code, EMG_JSYM_E_UNREADABLE);
    /* empty, text, truncated header */
    CHECK_EQ_INT(emg_jsym_compute((const uint8_t *)"", 0, &(emg_jsym_request){{1}}, v).code, EMG_JSYM_E_UNREADABLE);
    CHECK_EQ_INT(emg_jsym_compute((const uint8_t *)"MThd\0\0\0\6", 8, &(emg_jsym_request){{1}}, v).code, EMG_JSYM_E_UNREADABLE);
    /* nothing was written by any failure */
    int untouched = 1;
    for (int k = 0; k < EMG_JSYM_NVALUES; k++) untouched &= v[k] == -7.0;
    CHECK(untouched);
}

static void test_truncated_last_chunk(void) {
    /* the second track chunk runs past the end of the file: Java Sound drops it and keeps the first */
    bytes t[2] = {ev("00 90 3C 40 83 60 80 3C 00 00 FF 2F 00"), ev("00 90 40 40 83 60 80 40 00 00 FF 2F 00")};
    bytes f = smf(1, 480, 2, t);
    f.n -= 3;
    double v[EMG_JSYM_NVALUES];
    emg_status st = compute_all(&f, v);
    CHECK_EQ_INT(st.code, 0);
    if (!st.code) CHECK_EQ_DBL(value(v, "Total Number of Notes"), 1);
}

static void test_names(void) {
    CHECK_EQ_INT(emg_jsym_find_value("Basic Pitch Histogram_0"), 0);
    CHECK_EQ_INT(emg_jsym_find_value("Pitch Class Histogram_2"), 130);
    CHECK_EQ_INT(emg_jsym_find_value("Average Note to Note Change in Dynamics"), 1494);
    CHECK_EQ_INT(emg_jsym_find_value("Pitch Class Histogram_12"), -1);
    CHECK_EQ_INT(emg_jsym_find_value("Mean Pitch_0"), -1);
    CHECK_EQ_INT(emg_jsym_find_feature("No Such Feature"), -1);
    int total = 0, emogen = 0;
    for (int f = 0; f < EMG_JSYM_NFEATURES; f++) {
        CHECK_EQ_INT(emg_jsym_feature_offset(f), total);
        total += emg_jsym_feature_dims(f);
        emogen += emg_jsym_feature_in_emogen(f);
    }
    CHECK_EQ_INT(total, EMG_JSYM_NVALUES);
    CHECK_EQ_INT(emogen, 58);
    for (int i = 0; i < 100; i++) CHECK(emg_jsym_feature_in_emogen(emg_jsym_value_feature(emg_jsym_emogen100[i])));
    char name[256];
    emg_jsym_value_name(537, name, sizeof name);
    CHECK_STR_EQ(name, "Note Density per Quarter Note Variability");
}

int main(void) {
    test_names();
    test_fixture_rows();
    test_one_note();
    test_drums_only();
    test_no_values();
    test_truncated_last_chunk();
    return TEST_DONE();
}
