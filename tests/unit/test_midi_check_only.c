/* test_midi_check_only: the reader's check-only mode (what `unpack` uses to accept a file) makes
 * exactly the decisions of a full read: the same status code and message, the same warnings and
 * header fields, in lenient and strict mode. Checked on every vendored MIDI file, on mutated
 * copies of them (truncations, byte changes: the error paths), and on all of ../shared/data's
 * MIDI files when present. */
#define _POSIX_C_SOURCE 200809L
#include "test_files.h"
#include "test_util.h"


#include "midi_read.h"
#include "rng.h"

static long compared, rejected;

static void compare(const char *what, const uint8_t *buf, size_t len) {
    for (int strict = 0; strict < 2; strict++) {
        emg_score full, chk;
        emg_midi_opts of = {.strict = strict}, oc = {.strict = strict, .check_only = 1};
        emg_status sf = emg_midi_read(buf, len, &of, &full);
        emg_status sc = emg_midi_read(buf, len, &oc, &chk);
        compared++;
        rejected += sf.code != 0;
        int same = sf.code == sc.code && !strcmp(sf.msg, sc.msg) && full.n_warnings == chk.n_warnings &&
                   full.warn_mask == chk.warn_mask && !strcmp(full.first_warning, chk.first_warning) &&
                   full.format == chk.format && full.ntracks == chk.ntracks && full.division == chk.division &&
                   full.ticks_per_beat == chk.ticks_per_beat && full.max_tick == chk.max_tick &&
                   full.n_events == chk.n_events && full.n_note_on_events == chk.n_note_on_events;
        if (!same)
            fprintf(stderr, "%s (strict %d): full read code %d \"%s\" %u warnings, check-only code %d \"%s\" %u warnings\n",
                    what, strict, sf.code, sf.msg, full.n_warnings, sc.code, sc.msg, chk.n_warnings);
        CHECK(same);
        CHECK(chk.n_notes == 0 && chk.arena == NULL);
        emg_score_free(&full);
        emg_score_free(&chk);
    }
}

/* every MIDI-named file (MIDI or not by content: non-MIDI must be refused alike), and with
 * mutate, 24 damaged copies of it; the callback owns buf */
static void visit(const char *path, uint8_t *buf, size_t len, void *user) {
    int mutate = *(int *)user;
    compare(path, buf, len);
    if (mutate && len > 0) {
        /* mutations from a counter-based stream keyed by the file size: the same every run */
        uint8_t *m = malloc(len);
        for (uint64_t k = 0; k < 24; k++) {
            uint64_t x = emg_rng_u64(0xC4EC, (uint64_t)len, 2 * k), y = emg_rng_u64(0xC4EC, (uint64_t)len, 2 * k + 1);
            uint32_t r[4] = {(uint32_t)x, (uint32_t)(x >> 32), (uint32_t)y, (uint32_t)(y >> 32)};
            memcpy(m, buf, len);
            size_t at = r[0] % len, mlen = len;
            switch (k % 4) {
            case 0: mlen = at; break;                             /* truncated */
            case 1: m[at] ^= (uint8_t)(1u << (r[1] % 8)); break;  /* one bit flipped */
            case 2: m[at] = (uint8_t)(r[1] & 1 ? 0xFF : 0x00); break;
            default: m[at] = (uint8_t)r[1]; m[r[2] % len] = (uint8_t)r[3]; break;
            }
            char what[4200];
            snprintf(what, sizeof what, "%s (mutation %llu)", path, (unsigned long long)k);
            compare(what, m, mlen);
        }
        free(m);
    }
    free(buf);
}

static void walk(const char *dir, int mutate) { test_for_each_midi(dir, visit, &mutate); }

int main(void) {
    char dir[4096];
    const char *vendored[] = {"midi", "corpus/malformed", "corpus/labelled", "remigen", "jsym"};
    for (size_t i = 0; i < sizeof vendored / sizeof *vendored; i++) {
        snprintf(dir, sizeof dir, "%s/%s", TEST_DATA_DIR, vendored[i]);
        walk(dir, 1);
    }
    fprintf(stderr, "vendored files and mutations: %ld comparisons, %ld rejected by the full read\n", compared, rejected);
    CHECK(compared > 1000 && rejected > 100);  /* the error paths were exercised */
    char probe[4096];
    const char *env = getenv("EMOGEN_SHARED");
    snprintf(probe, sizeof probe, "%s/data", env && *env ? env : EMOGEN_SOURCE_DIR "/../shared");
    struct stat st;
    if (stat(probe, &st) != 0) {
        const char *ci = getenv("CI");
        if (ci && !strcmp(ci, "true")) test_shared_dir();  /* fails: CI must have the data */
        fprintf(stderr, "shared data not found at %s: checked the vendored files only\n", probe);
        return TEST_DONE();
    }
    long before = compared;
    walk(probe, 0);
    fprintf(stderr, "%s: %ld comparisons\n", probe, compared - before);
    CHECK(compared - before > 10000);
    return TEST_DONE();
}
