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
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "midi_events.h"
#include "midi_read.h"

typedef struct { uint8_t *buf; size_t len; } blob;
typedef struct { blob *v; size_t n, cap, bytes; } blobs;

static int is_midi_name(const char *n) {
    const char *dot = strrchr(n, '.');
    if (!dot) return 0;
    return !strcasecmp(dot, ".mid") || !strcasecmp(dot, ".midi") || !strcasecmp(dot, ".kar") || !strcasecmp(dot, ".rmi");
}

static void load_file(blobs *b, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n <= 0) { fclose(f); return; }
    uint8_t *p = malloc((size_t)n);
    if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) { free(p); fclose(f); return; }
    fclose(f);
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 1024;
        b->v = realloc(b->v, b->cap * sizeof *b->v);
        if (!b->v) { perror("realloc"); exit(1); }
    }
    b->v[b->n++] = (blob){p, (size_t)n};
    b->bytes += (size_t)n;
}

static void load(blobs *b, const char *path) {
    struct stat st;
    if (stat(path, &st)) return;
    if (S_ISREG(st.st_mode)) { load_file(b, path); return; }
    if (!S_ISDIR(st.st_mode)) return;
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    char sub[8192];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub) continue;
        struct stat s2;
        if (stat(sub, &s2)) continue;
        if (S_ISDIR(s2.st_mode)) load(b, sub);
        else if (S_ISREG(s2.st_mode) && is_midi_name(e->d_name)) load_file(b, sub);
    }
    closedir(d);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    int passes = 5, events_only = 0;
    blobs b = {0};
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--passes") && a + 1 < argc) passes = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--events")) events_only = 1;
        else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            printf("usage: bench_midi_parse [--passes N] [--events] DIR|FILE...\n");
            return 0;
        } else load(&b, argv[a]);
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
    for (size_t i = 0; i < b.n; i++) free(b.v[i].buf);
    free(b.v);
    return 0;
}
