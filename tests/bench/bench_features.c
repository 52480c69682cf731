/* bench_features.c: time of the jSymbolic features per MIDI file, single core.
 *
 *   bench_features [--set emogen|implemented] [--reps N] DIR_OR_FILE...
 *
 * Reads every *.mid / *.midi file under the given folders into memory first (I/O is not timed),
 * then times emg_jsym_compute for each file (the best of N runs, default 3) and prints the median,
 * mean, 90th percentile and maximum milliseconds per file, the number of files without values, and
 * the ratio against jSymbolic 2.2's own median (--peer-ms, default 160 ms, its median per EMOPIA
 * clip; use 1000 for the unlabelled corpus). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "jsym.h"
#include "test_util.h"

typedef struct { unsigned char *buf; size_t len; char *path; } midi_file;
typedef struct { midi_file *f; size_t n, cap; } file_list;

static int is_midi(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && (!strcmp(dot, ".mid") || !strcmp(dot, ".midi") || !strcmp(dot, ".MID"));
}

static void add_path(file_list *l, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) return;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            struct stat s2;
            if (stat(sub, &s2) == 0 && (S_ISDIR(s2.st_mode) || is_midi(e->d_name))) add_path(l, sub);
        }
        closedir(d);
        return;
    }
    size_t len = 0;
    unsigned char *buf = test_read_file(path, &len);
    if (!buf) return;
    if (l->n == l->cap) { l->cap = l->cap ? 2 * l->cap : 256; l->f = realloc(l->f, l->cap * sizeof *l->f); }
    l->f[l->n].buf = buf;
    l->f[l->n].len = len;
    l->f[l->n].path = strdup(path);
    l->n++;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int reps = 3, set = JSYM_SET_EMOGEN_FEATURES;
    double peer = 160.0;
    file_list l = {0};
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--reps") && a + 1 < argc) reps = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--peer-ms") && a + 1 < argc) peer = atof(argv[++a]);
        else if (!strcmp(argv[a], "--set") && a + 1 < argc) {
            a++;
            set = !strcmp(argv[a], "implemented") ? JSYM_SET_IMPLEMENTED : JSYM_SET_EMOGEN_FEATURES;
        } else add_path(&l, argv[a]);
    }
    if (l.n == 0) { fprintf(stderr, "bench_features: no MIDI files found\n"); return 1; }
    emg_jsym_request req;
    emg_jsym_request_set(&req, set);
    double *ms = malloc(sizeof(double) * l.n), total = 0;
    double *v = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    size_t no_values = 0;
    for (size_t i = 0; i < l.n; i++) {
        double best = 1e300;
        for (int r = 0; r < reps; r++) {
            double t0 = now_ms();
            emg_status st = emg_jsym_compute(l.f[i].buf, l.f[i].len, &req, v);
            double t = now_ms() - t0;
            if (t < best) best = t;
            if (r == 0 && st.code) no_values++;
        }
        ms[i] = best;
        total += best;
    }
    double *sorted = malloc(sizeof(double) * l.n);
    memcpy(sorted, ms, sizeof(double) * l.n);
    qsort(sorted, l.n, sizeof(double), cmp_d);
    double med = sorted[l.n / 2], p90 = sorted[(size_t)(0.9 * (double)(l.n - 1))], mx = sorted[l.n - 1];
    size_t worst = 0;
    for (size_t i = 0; i < l.n; i++) if (ms[i] > ms[worst]) worst = i;
    printf("files: %zu (%zu without values), features: %s, best of %d runs each, one core\n", l.n, no_values,
           set == JSYM_SET_IMPLEMENTED ? "all implemented" : "the 58 behind EmoGen's attributes", reps);
    printf("ms per file: median %.4f  mean %.4f  p90 %.4f  max %.3f (%s)\n", med, total / (double)l.n, p90, mx, l.f[worst].path);
    printf("jSymbolic 2.2 median %.0f ms per file -> speed-up at the median: %.0fx (goal 500x: %s)\n", peer, peer / med,
           peer / med >= 500 ? "met" : "NOT met");
    for (size_t i = 0; i < l.n; i++) { free(l.f[i].buf); free(l.f[i].path); }
    free(l.f); free(ms); free(sorted); free(v);
    return 0;
}
