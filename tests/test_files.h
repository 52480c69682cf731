/* test_files.h: visit the MIDI files under a folder, for tests and benchmarks that sweep corpora.
 * Needs POSIX (define _POSIX_C_SOURCE 200809L before any include). */
#pragma once
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline int test_is_midi_name(const char *name) {
    size_t n = strlen(name);
    return (n >= 4 && (!strcmp(name + n - 4, ".mid") || !strcmp(name + n - 4, ".kar"))) ||
           (n >= 5 && !strcmp(name + n - 5, ".midi"));
}

/* fn(path, bytes, len, user) for every regular file named *.mid, *.midi or *.kar under dir, in
 * readdir order, recursively; links are not followed. Returns the number of files visited. */
static inline long test_for_each_midi(const char *dir, void (*fn)(const char *, uint8_t *, size_t, void *), void *user) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    long count = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char path[4096];
        int w = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (w < 0 || (size_t)w >= sizeof path) continue;  /* too deep for this sweep */
        struct stat st;
        if (lstat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) { count += test_for_each_midi(path, fn, user); continue; }
        if (!S_ISREG(st.st_mode) || !test_is_midi_name(de->d_name)) continue;
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        uint8_t *buf = malloc((size_t)st.st_size + 1);
        size_t len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
        fclose(f);
        if (!buf) continue;
        fn(path, buf, len, user);
        count++;
    }
    closedir(d);
    return count;
}
