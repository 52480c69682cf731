/* bench_tokenize.c: MIDI parse, and parse + REMIGEN2 tokenize, over a folder of MIDI files, on one
 * core. Files are loaded into memory first, so the figures are CPU throughput, not disk.
 *
 *   build/bench/bench_tokenize [--repeat N] [--list FILE | DIR]    (default DIR: $EMOGEN_SHARED/data/unlabelled)
 *
 * Prints, for the best of N passes: seconds, MB/s of MIDI bytes, files/s, and tokens/s.
 * tests/bench/bench_tokenize.sh runs this and Debian's midicsv over the same files.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "midi_read.h"
#include "remigen.h"
#include "test_files.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    int repeat = 3;
    const char *list = NULL, *dir = NULL;
    test_blobs files = {0};
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--repeat") && a + 1 < argc) repeat = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--list") && a + 1 < argc) list = argv[++a];
        else if (argv[a][0] == '-') { fprintf(stderr, "usage: %s [--repeat N] [--list FILE | DIR]\n", argv[0]); return 2; }
        else dir = argv[a];
    }
    char def[4096];
    if (!list && !dir) {
        const char *sh = getenv("EMOGEN_SHARED");
        snprintf(def, sizeof def, "%s/data/unlabelled", sh && *sh ? sh : EMOGEN_SOURCE_DIR "/../shared");
        dir = def;
    }
    if (list) {
        FILE *f = fopen(list, "r");
        if (!f) { perror(list); return 1; }
        char line[8192];
        size_t n = 0, cap = 1024;
        char **names = malloc(cap * sizeof *names);
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = 0;
            if (!line[0]) continue;
            if (n == cap) names = realloc(names, (cap *= 2) * sizeof *names);
            names[n++] = strdup(line);
        }
        fclose(f);
        for (size_t i = 0; i < n; i++) { test_for_each_midi(names[i], test_blobs_add, &files); free(names[i]); }
        free(names);
    } else {
        test_for_each_midi(dir, test_blobs_add, &files);
    }
    if (files.n == 0) { fprintf(stderr, "no MIDI files found\n"); return 1; }
    double mb = (double)files.bytes / 1e6;
    printf("files %zu, %.2f MB of MIDI (in memory), best of %d passes, one core\n", files.n, mb, repeat);

    emg_remi_encoder enc;
    emg_remi_encoder_init(&enc);
    double best_parse = 1e30, best_both = 1e30;
    size_t n_tokens = 0, n_notes = 0, n_parse_fail = 0, n_tok_fail = 0;
    for (int r = 0; r < repeat; r++) {
        /* parse only */
        double t0 = now();
        size_t notes = 0, fails = 0;
        for (size_t i = 0; i < files.n; i++) {
            emg_score s;
            emg_status st = emg_midi_read(files.v[i].buf, files.v[i].len, NULL, &s);
            if (st.code) { fails++; continue; }
            notes += s.n_notes;
            emg_score_free(&s);
        }
        double t1 = now();
        if (t1 - t0 < best_parse) best_parse = t1 - t0;
        n_notes = notes;
        n_parse_fail = fails;
        /* parse + tokenize */
        size_t toks = 0, tfails = 0;
        t0 = now();
        for (size_t i = 0; i < files.n; i++) {
            emg_score s;
            emg_status st = emg_midi_read(files.v[i].buf, files.v[i].len, NULL, &s);
            if (st.code) continue;
            const uint16_t *ids;
            size_t n;
            st = emg_remi_encode(&enc, &s, NULL, &ids, &n);
            if (st.code) tfails++;
            else toks += n;
            emg_score_free(&s);
        }
        t1 = now();
        if (t1 - t0 < best_both) best_both = t1 - t0;
        n_tokens = toks;
        n_tok_fail = tfails;
    }
    emg_remi_encoder_free(&enc);
    double nf = (double)files.n;
    printf("notes %zu, tokens %zu, parse rejects %zu, tokenize rejects %zu\n", n_notes, n_tokens, n_parse_fail,
           n_tok_fail);
    printf("parse only:        %8.3f s  %8.1f MB/s  %9.0f files/s\n", best_parse, mb / best_parse, nf / best_parse);
    printf("parse + tokenize:  %8.3f s  %8.1f MB/s  %9.0f files/s  %.1f M tokens/s\n", best_both, mb / best_both,
           nf / best_both, (double)n_tokens / best_both / 1e6);
    printf("tokenize alone:    %8.3f s  (the difference)\n", best_both - best_parse);
    /* machine-readable line for the script */
    printf("RESULT files=%zu bytes=%zu parse_s=%.6f both_s=%.6f tokens=%zu\n", files.n, files.bytes, best_parse,
           best_both, n_tokens);
    test_blobs_free(&files);
    return 0;
}
