/* features.c: `emogen features`: jSymbolic 2.2 feature values of MIDI files as CSV on stdout.
 *
 * One row per file that has values (header: file, then the value names in EmoGen's order);
 * a file jSymbolic 2.2 gives no values for (no notes, zero length, format 2, unreadable, ...)
 * gets a message on stderr and no row, and the command goes on. Values are printed with %.17g
 * (strtod gives back the exact double). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "commands.h"
#include "jsym.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: emogen features [--set emogen100|emogen|implemented|all] [--list FILE]\n"
            "                       [--window SECONDS [--overlap SECONDS | --overlap-fraction F]] [FILE.mid ...]\n\n"
            "Compute jSymbolic 2.2 feature values (as EmoGen used them) and write CSV to stdout:\n"
            "a header `file,<value names>` and one row per file, values printed with %%.17g.\n"
            "A file without values (no notes, zero length, SMF format 2, not readable by Java Sound)\n"
            "gets a message on stderr and no row, and the command goes on. Exit status 1 only if a\n"
            "file cannot be read at all (or stdout fails); NaN is printed as `nan`.\n\n"
            "  --set emogen100     EmoGen's 100 attribute values, in attribute order (default)\n"
            "  --set emogen        every value of the 58 features behind them, in jSymbolic's order\n"
            "  --set implemented   every value of every feature this port implements\n"
            "  --set all           all 1,495 values\n"
            "  --list FILE         read the MIDI paths from FILE, one per line (adds to those given)\n"
            "  --window SECONDS    one row per window, cut as jSymbolic 2.2's -w option cuts them; the\n"
            "                      header becomes file,window,start_seconds,end_seconds,<values>, with the\n"
            "                      window's number (from 0) and jSymbolic's section start / stop times.\n"
            "                      A window without values (no notes) gets a stderr message and no row\n"
            "                      (jSymbolic itself would then give no values for the whole file).\n"
            "  --overlap SECONDS   each window starts this much before the previous one ends (default 0;\n"
            "                      must be below the window)\n"
            "  --overlap-fraction F  the same as jSymbolic's overlap argument: F * window seconds, 0 <= F < 1\n");
}

typedef struct { const char *file; const int *cols; int ncols; int rows; } window_out;

static void print_values(const double *v, const int *cols, int ncols) {
    for (int k = 0; k < ncols; k++) {
        double x = v[cols[k]];
        if (isnan(x)) fputs(",nan", stdout);  /* glibc would print a sign-bit NaN as -nan */
        else printf(",%.17g", x);
    }
    putchar('\n');
}

static void window_row(void *ctx, const emg_jsym_window *w, emg_status st, const double *values) {
    window_out *o = ctx;
    if (st.code) {
        fprintf(stderr, "emogen features: %s: window %d: no features: %s\n", o->file, (int)w->index, st.msg);
        return;
    }
    printf("%s,%d,%.17g,%.17g", o->file, (int)w->index, w->start_s, w->end_s);
    print_values(values, o->cols, o->ncols);
    o->rows++;
}

/* a finite, non-negative number (the whole argument) */
static int parse_seconds(const char *arg, double *out) {
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !isfinite(v) || v < 0) return -1;
    *out = v;
    return 0;
}

static unsigned char *read_all(const char *path, size_t *len, char *err, size_t errn) {
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errn, "%s", strerror(errno)); return NULL; }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) { cap *= 2; buf = xrealloc(buf, cap); }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { snprintf(err, errn, "read error"); free(buf); return NULL; }
    *len = n;
    return buf;
}

typedef struct { char **v; size_t n, cap; } strvec;
static void sv_push(strvec *s, const char *x) {
    if (s->n == s->cap) { s->cap = s->cap ? 2 * s->cap : 64; s->v = xrealloc(s->v, s->cap * sizeof *s->v); }
    size_t l = strlen(x);
    s->v[s->n] = xmalloc(l + 1);
    memcpy(s->v[s->n], x, l + 1);
    s->n++;
}

static void sv_free(strvec *s) {
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

int cmd_features(emg_ctx *ctx, int argc, char **argv) {
    (void)ctx;
    static const struct option opts[] = {
        {"set", required_argument, 0, 's'}, {"list", required_argument, 0, 'l'}, {"help", no_argument, 0, 'h'},
        {"window", required_argument, 0, 'w'}, {"overlap", required_argument, 0, 'o'},
        {"overlap-fraction", required_argument, 0, 'f'}, {0, 0, 0, 0}};
    const char *set = "emogen100";
    strvec files = {0};
    double window = 0, overlap = 0, overlap_frac = -1;
    int windowed = 0, have_overlap = 0;
    int c;
    while ((c = getopt_long(argc, argv, "s:l:hw:o:f:", opts, NULL)) != -1) {
        switch (c) {
        case 'h': sv_free(&files); usage(stdout); return 0;
        case 's': set = optarg; break;
        case 'w':
            if (parse_seconds(optarg, &window) || window <= 0) {
                sv_free(&files);
                return emg_usage_error("features", "--window needs a number of seconds above 0, got '%s'", optarg);
            }
            windowed = 1;
            break;
        case 'o':
            if (parse_seconds(optarg, &overlap)) {
                sv_free(&files);
                return emg_usage_error("features", "--overlap needs a number of seconds >= 0, got '%s'", optarg);
            }
            have_overlap = 1;
            break;
        case 'f':
            if (parse_seconds(optarg, &overlap_frac) || overlap_frac >= 1) {
                sv_free(&files);
                return emg_usage_error("features", "--overlap-fraction needs 0 <= F < 1, got '%s'", optarg);
            }
            break;
        case 'l': {
            FILE *f = fopen(optarg, "r");
            if (!f) {
                sv_free(&files);
                return emg_usage_error("features", "cannot open list file '%s': %s", optarg, strerror(errno));
            }
            char *line = NULL;
            size_t cap = 0;
            ssize_t r;
            while ((r = getline(&line, &cap, f)) > 0) {
                while (r > 0 && (line[r - 1] == '\n' || line[r - 1] == '\r')) line[--r] = 0;
                if (r > 0) sv_push(&files, line);
            }
            free(line);
            fclose(f);
            break;
        }
        default: sv_free(&files); return emg_usage_error("features", "unknown option '%s'", argv[optind - 1]);
        }
    }
    for (int a = optind; a < argc; a++) sv_push(&files, argv[a]);
    if ((have_overlap || overlap_frac >= 0) && !windowed) {
        sv_free(&files);
        return emg_usage_error("features", "--overlap and --overlap-fraction need --window");
    }
    if (have_overlap && overlap_frac >= 0) {
        sv_free(&files);
        return emg_usage_error("features", "give --overlap or --overlap-fraction, not both");
    }
    /* jSymbolic: window_overlap_offset = overlap fraction * window size */
    if (overlap_frac >= 0) overlap = overlap_frac * window;
    if (windowed && !(overlap < window)) {
        sv_free(&files);
        return emg_usage_error("features", "--overlap (%g s) must be below --window (%g s)", overlap, window);
    }

    /* which values, in which column order */
    emg_jsym_request req;
    int *cols = xmalloc(sizeof(int) * EMG_JSYM_NVALUES);
    int ncols = 0;
    if (!strcmp(set, "emogen100")) {
        emg_jsym_request_set(&req, JSYM_SET_EMOGEN100);
        for (int i = 0; i < 100; i++) cols[ncols++] = emg_jsym_emogen100[i];
    } else {
        int which = !strcmp(set, "emogen") ? JSYM_SET_EMOGEN_FEATURES
                  : !strcmp(set, "implemented") ? JSYM_SET_IMPLEMENTED
                  : !strcmp(set, "all") ? JSYM_SET_ALL : -1;
        if (which < 0) { free(cols); sv_free(&files); return emg_usage_error("features", "unknown --set '%s' (emogen100, emogen, implemented, all)", set); }
        emg_jsym_request_set(&req, which);
        for (int v = 0; v < EMG_JSYM_NVALUES; v++)
            if (req.want[emg_jsym_value_feature(v)]) cols[ncols++] = v;
    }
    int missing = 0;
    for (int f = 0; f < EMG_JSYM_NFEATURES; f++)
        if (req.want[f] && !emg_jsym_feature_implemented(f)) {
            if (!missing) fprintf(stderr, "emogen features: --set %s needs features not implemented yet:\n", set);
            fprintf(stderr, "  %s %s (%d values)\n", emg_jsym_feature_code(f), emg_jsym_feature_name(f), emg_jsym_feature_dims(f));
            missing++;
        }
    if (missing) {
        fprintf(stderr, "emogen features: %d features missing; use --set implemented\n", missing);
        free(cols);
        sv_free(&files);
        return 1;
    }

    char name[256];
    fputs(windowed ? "file,window,start_seconds,end_seconds" : "file", stdout);
    for (int i = 0; i < ncols; i++) {
        emg_jsym_value_name(cols[i], name, sizeof name);
        printf(",%s", name);
    }
    putchar('\n');
    double *v = xmalloc(sizeof(double) * EMG_JSYM_NVALUES);
    int failed = 0;
    for (size_t i = 0; i < files.n; i++) {
        char err[256];
        size_t len = 0;
        unsigned char *buf = read_all(files.v[i], &len, err, sizeof err);
        if (!buf) {
            fprintf(stderr, "emogen features: %s: cannot read: %s\n", files.v[i], err);
            failed++;
            continue;
        }
        if (windowed) {
            window_out o = {files.v[i], cols, ncols, 0};
            emg_status st = emg_jsym_compute_windows(buf, len, &req, window, overlap, window_row, &o);
            free(buf);
            if (st.code) fprintf(stderr, "emogen features: %s: no features: %s\n", files.v[i], st.msg);
            continue;
        }
        emg_status st = emg_jsym_compute(buf, len, &req, v);
        free(buf);
        if (st.code) {
            fprintf(stderr, "emogen features: %s: no features: %s\n", files.v[i], st.msg);
            continue;
        }
        fputs(files.v[i], stdout);
        print_values(v, cols, ncols);
    }
    if (fflush(stdout) != 0) { perror("emogen features: stdout"); failed++; }
    free(v);
    free(cols);
    sv_free(&files);
    return failed ? 1 : 0;
}
