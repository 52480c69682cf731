/* test_emogen_thresholds.c: EmoGen's published thresholds (threshold.npy) are numpy's median of the
 * jSymbolic 2.2 values of the 1,078 EMOPIA clips' ORIGINAL MIDI, rounded to 4 significant digits with
 * NaN -> 0. Our features + rounding + percentile must give all 100 bit for bit. Needs ../shared. */
#define _POSIX_C_SOURCE 200809L
#include "attributes.h"
#include "check.h"
#include "emogen_published.h"
#include "jsym.h"
#include "test_util.h"

#include <dirent.h>
#include <math.h>

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    const char *shared = test_shared_dir();
    char dir[8192];
    snprintf(dir, sizeof dir, "%s/data/labelled/emopia", shared);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return TEST_DONE();
    char **names = xmalloc(4096 * sizeof *names);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 4096)
        if (strstr(e->d_name, ".mid")) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    CHECK_EQ_INT(n, 1078);
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_EMOGEN100);
    double *vals = xmalloc((size_t)n * EMG_EMOGEN_NATTR * sizeof *vals);
    double *row = xmalloc(EMG_JSYM_NVALUES * sizeof *row);
    int ok = 0;
    for (int i = 0; i < n; i++) {
        char path[16384];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        unsigned char *midi = test_read_file(path, &len);
        if (!midi) continue;
        for (int v = 0; v < EMG_JSYM_NVALUES; v++) row[v] = NAN;
        emg_status st = emg_jsym_compute(midi, len, &req, row);
        free(midi);
        if (st.code) { fprintf(stderr, "%s: %s\n", names[i], st.msg); continue; }
        for (int a = 0; a < EMG_EMOGEN_NATTR; a++) vals[(size_t)a * (size_t)n + (size_t)ok] = emg_emogen_round(row[emg_emogen_feature_index[a]]);
        ok++;
    }
    CHECK_EQ_INT(ok, 1078);
    int exact = 0;
    for (int a = 0; a < EMG_EMOGEN_NATTR; a++) {
        double *col = vals + (size_t)a * (size_t)n;
        qsort(col, (size_t)ok, sizeof *col, cmp_dbl);
        double med = emg_percentile_sorted(col, ok, 50.0);
        if (med == emg_emogen_threshold[a]) exact++;
        else fprintf(stderr, "attribute %d (value %d): median %.17g, EmoGen %.17g\n", a, emg_emogen_feature_index[a], med,
                     emg_emogen_threshold[a]);
    }
    fprintf(stderr, "%d/100 medians equal EmoGen's threshold.npy bit for bit\n", exact);
    CHECK_EQ_INT(exact, 100);
    for (int i = 0; i < n; i++) free(names[i]);
    free(names); free(vals); free(row);
    return TEST_DONE();
}
