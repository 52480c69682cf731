/* test_files.h: the MIDI files under a folder, for tests and benchmarks that sweep corpora.
 * Needs POSIX (define _POSIX_C_SOURCE 200809L before any include). */
#pragma once
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* a MIDI file by name: .mid, .midi, .kar or .rmi, any case */
static inline int test_is_midi_name(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".mid") || !strcasecmp(dot, ".midi") || !strcasecmp(dot, ".kar") ||
                   !strcasecmp(dot, ".rmi"));
}

/* fn(path, bytes, len, user) for path itself when it is a regular file (whatever its name), or
 * for every regular file with a MIDI name under the folder path, in readdir order, recursively;
 * links are not followed. fn owns bytes (malloc'd, len + 1 allocated). Returns the files visited. */
static inline long test_for_each_midi(const char *path, void (*fn)(const char *, uint8_t *, size_t, void *),
                                      void *user) {
    struct stat st;
    if (lstat(path, &st) != 0) return 0;
    if (S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "rb");
        if (!f) return 0;
        uint8_t *buf = malloc((size_t)st.st_size + 1);
        size_t len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
        fclose(f);
        if (!buf) return 0;
        fn(path, buf, len, user);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) return 0;
    DIR *d = opendir(path);
    if (!d) return 0;
    long count = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char sub[4096];
        int w = snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        if (w < 0 || (size_t)w >= sizeof sub) continue;  /* too deep for this sweep */
        struct stat s2;
        if (lstat(sub, &s2) != 0) continue;
        if (S_ISDIR(s2.st_mode) || (S_ISREG(s2.st_mode) && test_is_midi_name(de->d_name)))
            count += test_for_each_midi(sub, fn, user);
    }
    closedir(d);
    return count;
}

/* files held in memory (benchmarks time the CPU, not the disk) */
typedef struct { uint8_t *buf; size_t len; } test_blob;
typedef struct { test_blob *v; size_t n, cap, bytes; } test_blobs;

/* a test_for_each_midi callback that keeps every non-empty file in the test_blobs *user */
static inline void test_blobs_add(const char *path, uint8_t *buf, size_t len, void *user) {
    (void)path;
    test_blobs *b = user;
    if (len == 0) { free(buf); return; }
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 1024;
        b->v = realloc(b->v, b->cap * sizeof *b->v);
        if (!b->v) { perror("realloc"); exit(1); }
    }
    b->v[b->n].buf = buf;
    b->v[b->n++].len = len;
    b->bytes += len;
}

static inline void test_blobs_free(test_blobs *b) {
    for (size_t i = 0; i < b->n; i++) free(b->v[i].buf);
    free(b->v);
    b->v = NULL;
    b->n = b->cap = b->bytes = 0;
}
