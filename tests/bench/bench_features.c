/* bench_features.c: time of the jSymbolic features per MIDI file, single core.
 *
 *   bench_features [--set emogen|all] [--reps N] [--peer-ms MS] [--profile] DIR_OR_FILE...
 *
 * Reads every *.mid / *.midi file under the given folders into memory first (I/O is not timed),
 * then times emg_jsym_compute for each file (the best of N runs, default 3) and prints the median,
 * mean, 90th percentile and maximum milliseconds per file, the number of files without values, and
 * the ratio against jSymbolic 2.2's own median (--peer-ms, default 160 ms, its median per EMOPIA
 * clip; use 1000 for the unlabelled corpus).
 *
 * --set all also times the 58 features behind EmoGen's attributes on the same files and prints
 * the ratio (the engine builds each shared intermediate once, so all 244 should cost well under
 * twice the 58). --profile splits the time of all 244 features, summed over the files, into the
 * reading and core intermediates, each on-demand intermediate group, and each jSymbolic feature
 * family (P pitch, M melodic, C chords, R rhythm incl. tempo-standardised beat histogram, RT
 * rhythm and tempo, I instrumentation, T texture, D dynamics), and fits time per file against
 * notes and ticks to show which one the cost follows. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdint.h>
#include <time.h>

#include "jsym.h"
#include "jsym_features.h"
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

/* best-of-reps milliseconds of emg_jsym_compute for each file */
static double *time_set(const file_list *l, int set, int reps, size_t *no_values) {
    emg_jsym_request req;
    emg_jsym_request_set(&req, set);
    double *ms = malloc(sizeof(double) * l->n);
    double *v = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    *no_values = 0;
    for (size_t i = 0; i < l->n; i++) {
        double best = 1e300;
        for (int r = 0; r < reps; r++) {
            double t0 = now_ms();
            emg_status st = emg_jsym_compute(l->f[i].buf, l->f[i].len, &req, v);
            double t = now_ms() - t0;
            if (t < best) best = t;
            if (r == 0 && st.code) (*no_values)++;
        }
        ms[i] = best;
    }
    free(v);
    return ms;
}

static double median_of(const double *x, size_t n, double *p90, double *mx) {
    double *s = malloc(sizeof(double) * n);
    memcpy(s, x, sizeof(double) * n);
    qsort(s, n, sizeof(double), cmp_d);
    double med = s[n / 2];
    if (p90) *p90 = s[(size_t)(0.9 * (double)(n - 1))];
    if (mx) *mx = s[n - 1];
    free(s);
    return med;
}

/* ---- --profile: where the time of all 244 features goes ---- */

static const char *const families[] = {"P", "M", "C", "R", "RT", "I", "T", "D"};
static const char *const family_names[] = {"pitch statistics", "melodic intervals", "chords and vertical intervals",
                                           "rhythm (incl. tempo-standardised beat histogram)", "rhythm and tempo (beat histogram)",
                                           "instrumentation", "texture and voices", "dynamics"};
static int family_of(int f) {
    const char *code = emg_jsym_feature_code(f);
    size_t n = strcspn(code, "-");
    for (int k = 0; k < 8; k++)
        if (strlen(families[k]) == n && !strncmp(code, families[k], n)) return k;
    return 0;
}
static const struct { unsigned g; const char *name; } groups[] = {
    {JSYM_G_RHYTHM, "rhythmic values"}, {JSYM_G_BEAT, "beat histograms (both)"}, {JSYM_G_SLICES, "vertical slices"},
    {JSYM_G_WINDOWS, "8-quarter-note windows"}, {JSYM_G_WINDOWS5, "5-second windows"}, {JSYM_G_CHANNOTES, "notes per channel"},
    {JSYM_G_VOICES, "channel sounding / voices / partial rests"}, {JSYM_G_INSTR, "instrument sounding time"},
    {JSYM_G_DURATIONS, "note durations"}, {JSYM_G_ATTACKS, "time between attacks"}, {JSYM_G_RESTS, "complete rests"},
};
#define NGROUPS (int)(sizeof groups / sizeof groups[0])

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void profile(const file_list *l, const double *ms_all, int reps) {
    /* per file and stage, the best of `reps` runs (the machine may be shared: minima are stable) */
    enum { NST = 1 + NGROUPS + 8 };
    double *best = malloc(sizeof(double) * l->n * NST);
    for (size_t i = 0; i < l->n * NST; i++) best[i] = 1e300;
    double *out = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    double *notes = malloc(sizeof(double) * l->n), *ticks = malloc(sizeof(double) * l->n), *ys = malloc(sizeof(double) * l->n);
    uint8_t *ok = calloc(l->n, 1);
    for (int r = 0; r < reps; r++)
        for (size_t i = 0; i < l->n; i++) {
            double st_ns[NST] = {0};
            jsym_piece p;
            double t0 = now_ns();
            emg_status st = jsym_piece_build(&p, l->f[i].buf, l->f[i].len);
            st_ns[0] = now_ns() - t0;
            if (st.code) continue;
            for (int g = 0; g < NGROUPS; g++) {
                t0 = now_ns();
                st = jsym_need(&p, groups[g].g);
                st_ns[1 + g] = now_ns() - t0;
            }
            for (int f = 0; f < EMG_JSYM_NFEATURES; f++) {
                t0 = now_ns();
                jsym_feature_function(f)(&p, out + emg_jsym_feature_offset(f));
                st_ns[1 + NGROUPS + family_of(f)] += now_ns() - t0;
            }
            ok[i] = 1;
            notes[i] = p.nnotes;
            ticks[i] = (double)p.L;
            jsym_piece_free(&p);
            for (int k = 0; k < NST; k++)
                if (st_ns[k] < best[i * NST + k]) best[i * NST + k] = st_ns[k];
        }
    double core = 0, grp[NGROUPS] = {0}, fam[8] = {0};
    size_t used = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!ok[i]) continue;
        core += best[i * NST];
        for (int g = 0; g < NGROUPS; g++) grp[g] += best[i * NST + 1 + g];
        for (int k = 0; k < 8; k++) fam[k] += best[i * NST + 1 + NGROUPS + k];
        notes[used] = notes[i];
        ticks[used] = ticks[i];
        ys[used] = ms_all[i];
        used++;
    }
    free(best);
    free(ok);
    double total = core;
    for (int g = 0; g < NGROUPS; g++) total += grp[g];
    for (int k = 0; k < 8; k++) total += fam[k];
    printf("profile of all 244 features over %zu files (best of %d runs per file and stage; shares of %.1f ms in all):\n", used, reps, total / 1e6);
    printf("  %-58s %6.1f%%\n", "reading (Java Sound rules) + core intermediates", 100 * core / total);
    for (int g = 0; g < NGROUPS; g++) printf("  group: %-51s %6.1f%%\n", groups[g].name, 100 * grp[g] / total);
    for (int k = 0; k < 8; k++) {
        char label[96];
        snprintf(label, sizeof label, "%s-* %s", families[k], family_names[k]);
        printf("  features %-49s %6.1f%%\n", label, 100 * fam[k] / total);
    }
    /* does the time follow notes or ticks? least squares of ms on each, and their correlation */
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, tx = 0, txx = 0, txy = 0;
    size_t k = 0;
    for (size_t i = 0; i < used; i++) {
        double y = ys[i];
        sx += notes[i]; sxx += notes[i] * notes[i]; sxy += notes[i] * y;
        tx += ticks[i]; txx += ticks[i] * ticks[i]; txy += ticks[i] * y;
        sy += y; syy += y * y;
        k++;
    }
    double n = (double)k;
    double cn = (n * sxy - sx * sy) / sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    double ct = (n * txy - tx * sy) / sqrt((n * txx - tx * tx) * (n * syy - sy * sy));
    printf("  correlation of ms per file with notes: %.3f, with ticks: %.3f; microseconds per note (slope): %.3f\n", cn, ct,
           1e3 * (n * sxy - sx * sy) / (n * sxx - sx * sx));
    free(out);
    free(notes);
    free(ticks);
    free(ys);
}

int main(int argc, char **argv) {
    int reps = 3, set = JSYM_SET_EMOGEN_FEATURES, prof = 0;
    double peer = 160.0;
    file_list l = {0};
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--reps") && a + 1 < argc) reps = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--peer-ms") && a + 1 < argc) peer = atof(argv[++a]);
        else if (!strcmp(argv[a], "--profile")) prof = 1;
        else if (!strcmp(argv[a], "--set") && a + 1 < argc) {
            a++;
            set = (!strcmp(argv[a], "all") || !strcmp(argv[a], "implemented")) ? JSYM_SET_ALL : JSYM_SET_EMOGEN_FEATURES;
        } else add_path(&l, argv[a]);
    }
    if (l.n == 0) { fprintf(stderr, "bench_features: no MIDI files found\n"); return 1; }
    if (reps < 1) reps = 1;
    size_t no_values = 0, nv58 = 0;
    double *ms = time_set(&l, set, reps, &no_values);
    double total = 0;
    size_t worst = 0;
    for (size_t i = 0; i < l.n; i++) {
        total += ms[i];
        if (ms[i] > ms[worst]) worst = i;
    }
    double p90, mx, med = median_of(ms, l.n, &p90, &mx);
    printf("files: %zu (%zu without values), features: %s, best of %d runs each, one core\n", l.n, no_values,
           set == JSYM_SET_ALL ? "all 244 (1,495 values)" : "the 58 behind EmoGen's attributes", reps);
    printf("ms per file: median %.4f  mean %.4f  p90 %.4f  max %.3f (%s)\n", med, total / (double)l.n, p90, mx, l.f[worst].path);
    printf("jSymbolic 2.2 median %.0f ms per file -> speed-up at the median: %.0fx (goal 500x: %s)\n", peer, peer / med,
           peer / med >= 500 ? "met" : "NOT met");
    if (set == JSYM_SET_ALL) {
        double *ms58 = time_set(&l, JSYM_SET_EMOGEN_FEATURES, reps, &nv58);
        double med58 = median_of(ms58, l.n, NULL, NULL), tot58 = 0;
        for (size_t i = 0; i < l.n; i++) tot58 += ms58[i];
        printf("the 58 of part 1 on the same files: median %.4f  mean %.4f ms -> all 244 cost %.2fx the 58 at the median, "
               "%.2fx in total (goal: well under 2x)\n", med58, tot58 / (double)l.n, med / med58, total / tot58);
        free(ms58);
    }
    if (prof) profile(&l, ms, reps);
    for (size_t i = 0; i < l.n; i++) { free(l.f[i].buf); free(l.f[i].path); }
    free(l.f); free(ms);
    return 0;
}
