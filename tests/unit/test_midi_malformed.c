/* test_midi_malformed.c: every MIDI file of shared/data/malformed/ behaves as MANIFEST.csv's
 * `expected` column says (archives/ are not MIDI files and are left to the archive tests):
 *   accept             read in both modes
 *   accept_lenient     read in lenient mode (strict may reject)
 *   reject             rejected in both modes, with a message that names the byte offset
 *   reject_or_lenient  either way; a rejection still needs its message
 * and, beyond the manifest: a lenient read that repaired something says so (n_warnings > 0, a
 * first_warning naming an offset); the SMPTE files come out in real time (checked against the
 * EMOPIA clip they were made from); a strict rejection always names an offset.
 * Skips (77) when the shared data is missing. */
#include "test_util.h"

#include "csv.h"
#include "midi_read.h"

static int read_file_score(const char *path, int strict, emg_score *s, emg_status *st) {
    size_t len = 0;
    unsigned char *buf = test_read_file(path, &len);
    if (!buf) return -1;
    emg_midi_opts o = {.strict = strict};
    *st = emg_midi_read(buf, len, &o, s);
    free(buf);
    return st->code == 0;
}

static int names_offset(const char *msg) { return strstr(msg, "offset ") != NULL || strstr(msg, "empty file") != NULL; }

/* the SMPTE copies of an EMOPIA clip: same notes, same times in seconds (to the millisecond grid) */
static void check_smpte(const char *shared) {
    char a[8192], b[8192];
    snprintf(a, sizeof a, "%s/data/labelled/emopia/Q1_0vLPYiPN7qY_1.mid", shared);
    emg_score ref, sm;
    emg_status st;
    CHECK_EQ_INT(read_file_score(a, 1, &ref, &st), 1);
    const char *copies[] = {"smpte_25fps_40tpf_from_emopia.mid", "smpte_30fps_80tpf_from_emopia.mid"};
    for (int c = 0; c < 2; c++) {
        snprintf(b, sizeof b, "%s/data/malformed/selfmade_edge/%s", shared, copies[c]);
        CHECK_EQ_INT(read_file_score(b, 1, &sm, &st), 1);
        CHECK_EQ_INT(sm.n_notes, ref.n_notes);
        double worst = 0;
        for (size_t i = 0; i < ref.n_notes && i < sm.n_notes; i++) {
            CHECK_EQ_INT(sm.note_pitch[i], ref.note_pitch[i]);
            double d1 = fabs(emg_score_tick_to_seconds(&sm, sm.note_start[i]) - emg_score_tick_to_seconds(&ref, ref.note_start[i]));
            double d2 = fabs(emg_score_tick_to_seconds(&sm, sm.note_end[i]) - emg_score_tick_to_seconds(&ref, ref.note_end[i]));
            if (d1 > worst) worst = d1;
            if (d2 > worst) worst = d2;
        }
        /* the copies were re-timed to whole ticks: 1 ms (25x40) or 1/2400 s (30x80) */
        CHECK(worst <= (c == 0 ? 0.001 : 1.0 / 2400) + 1e-9);  /* one tick of the SMPTE grid */
        CHECK_NEAR(emg_score_duration_seconds(&sm), emg_score_duration_seconds(&ref), 0.002);
        fprintf(stderr, "%s: %zu notes, worst time difference %.6f s, duration %.3f s (EMOPIA clip %.3f s)\n",
                copies[c], sm.n_notes, worst, emg_score_duration_seconds(&sm), emg_score_duration_seconds(&ref));
        emg_score_free(&sm);
    }
    emg_score_free(&ref);
    /* OpenJDK's SMPTE test: 30 fps x 120 ticks per frame; it must last under 14 s */
    snprintf(b, sizeof b, "%s/data/malformed/edge_valid/openjdk_MidiSMPTE_smpte30x120.mid", shared);
    CHECK_EQ_INT(read_file_score(b, 1, &sm, &st), 1);
    double dur = emg_score_duration_seconds(&sm);
    CHECK(dur > 1.0 && dur < 14.0);
    CHECK_NEAR(dur, (double)(sm.max_tick - 1) / 3600.0, 1e-9);
    emg_score_free(&sm);
}

int main(void) {
    const char *shared = test_shared_dir();
    char path[8192], line[8192];
    snprintf(path, sizeof path, "%s/data/malformed/MANIFEST.csv", shared);
    FILE *m = fopen(path, "r");
    CHECK(m != NULL);
    if (!m) return TEST_DONE();
    char *f[16];
    if (!fgets(line, sizeof line, m)) return 1;  /* header: file,origin,provenance,defect,expected,notes,strict_scan */
    long n = 0, by[4] = {0}, lenient_read = 0, strict_read = 0;
    while (fgets(line, sizeof line, m)) {
        if (emg_csv_split(line, f, 16) < 7) continue;
        const char *file = f[0], *expected = f[4];
        if (!strncmp(file, "archives/", 9)) continue;
        snprintf(path, sizeof path, "%s/data/malformed/%s", shared, file);
        emg_score s;
        emg_status st_l, st_s;
        int lenient = read_file_score(path, 0, &s, &st_l);
        CHECK(lenient >= 0);
        if (lenient == 1) {
            lenient_read++;
            /* what was repaired is reported; a file read without repairs says nothing */
            if (s.n_warnings) CHECK(s.first_warning[0] && strstr(s.first_warning, "offset") != NULL);
            else CHECK(s.first_warning[0] == 0);
            emg_score_free(&s);
        } else {
            CHECK(names_offset(st_l.msg));
        }
        int strict = read_file_score(path, 1, &s, &st_s);
        if (strict == 1) { strict_read++; CHECK_EQ_INT(s.n_warnings, 0); emg_score_free(&s); }
        else CHECK(names_offset(st_s.msg));
        /* strict never reads what lenient rejects */
        if (lenient != 1) CHECK(strict != 1);
        int ok;
        if (!strcmp(expected, "accept")) { ok = lenient == 1 && strict == 1; by[0]++; }
        else if (!strcmp(expected, "accept_lenient")) { ok = lenient == 1; by[1]++; }
        else if (!strcmp(expected, "reject")) { ok = lenient == 0 && strict == 0; by[2]++; }
        else if (!strcmp(expected, "reject_or_lenient")) { ok = lenient >= 0 && strict >= 0; by[3]++; }
        else { fprintf(stderr, "%s: unknown expectation %s\n", file, expected); ok = 0; }
        if (!ok)
            fprintf(stderr, "%s: expected %s, lenient %s, strict %s\n", file, expected,
                    lenient == 1 ? "read" : st_l.msg, strict == 1 ? "read" : st_s.msg);
        CHECK(ok);
        n++;
    }
    fclose(m);
    fprintf(stderr, "malformed: %ld MIDI files (accept %ld, accept_lenient %ld, reject %ld, reject_or_lenient %ld); "
            "read lenient %ld, strict %ld\n", n, by[0], by[1], by[2], by[3], lenient_read, strict_read);
    CHECK_EQ_INT(n, 182);
    check_smpte(shared);
    return TEST_DONE();
}
