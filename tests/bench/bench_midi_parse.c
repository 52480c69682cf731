/* bench_midi_parse.c: parse-only throughput of the MIDI reader on one core.
 *
 *   bench_midi_parse [--passes N] [--events] DIR|FILE...
 *
 * Loads every .mid/.midi/.kar/.rmi file under the arguments into memory first (so disk speed is
 * not measured), then runs emg_midi_read (bytes -> emg_score, lenient) over all of them N times
 * (default 5) and reports the best pass: MB/s, files/s, notes/s. With --events only layer 1 runs
 * (the event view, every event of every track visited). Prints one "RESULT" line for scripts.
 * tests/bench/bench_midi_parse.sh runs it next to Debian's midicsv over the same files. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "midi_events.h"
#include "midi_read.h"
#include "test_files.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    int passes = 5, events_only = 0;
    test_blobs b = {0};
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--passes") && a + 1 < argc) passes = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--events")) events_only = 1;
        else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            printf("usage: bench_midi_parse [--passes N] [--events] DIR|FILE...\n");
            return 0;
        } else test_for_each_midi(argv[a], test_blobs_add, &b);
    }
    if (b.n == 0) { fprintf(stderr, "bench_midi_parse: no MIDI files found\n"); return 1; }
    double best = 1e30;
    uint64_t notes = 0, events = 0;
    size_t rejected = 0;
    for (int p = 0; p < passes; p++) {
        uint64_t n_notes = 0, n_events = 0;
        size_t rej = 0;
        double t0 = now();
        for (size_t i = 0; i < b.n; i++) {
            if (events_only) {
                emg_midi_file mf;
                emg_status st = emg_midi_open(&mf, b.v[i].buf, b.v[i].len, 0);
                if (st.code) { rej++; continue; }
                for (int t = 0; t < mf.ntracks; t++) {
                    emg_midi_track_iter it;
                    emg_midi_event ev;
                    emg_midi_track_begin(&it, &mf, t);
                    while (emg_midi_next(&it, &ev, &st) == 1) n_events++;
                }
                emg_midi_close(&mf);
            } else {
                emg_score s;
                emg_status st = emg_midi_read(b.v[i].buf, b.v[i].len, NULL, &s);
                if (st.code) { rej++; continue; }
                n_notes += s.n_notes;
                n_events += s.n_events;
                emg_score_free(&s);
            }
        }
        double dt = now() - t0;
        if (dt < best) best = dt;
        notes = n_notes;
        events = n_events;
        rejected = rej;
    }
    double mb = (double)b.bytes / 1e6;
    printf("%s: %zu files, %.2f MB, %llu events, %llu notes, %zu rejected\n",
           events_only ? "event view only" : "bytes -> emg_score", b.n, mb, (unsigned long long)events,
           (unsigned long long)notes, rejected);
    printf("best of %d passes: %.4f s  ->  %.1f MB/s, %.0f files/s, %.1f M events/s\n", passes, best, mb / best,
           (double)b.n / best, (double)events / best / 1e6);
    printf("RESULT seconds=%.6f files=%zu bytes=%zu mb_per_s=%.3f files_per_s=%.1f\n", best, b.n, b.bytes, mb / best,
           (double)b.n / best);
    test_blobs_free(&b);
    return 0;
}
