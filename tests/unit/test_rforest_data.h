/* test_rforest_data.h: reading a jSymbolic feature CSV of EMOPIA clips (the reference format of
 * shared/reference/jsymbolic/, also what `emogen features` writes) into a matrix, with labels from
 * the file name (Q1..Q4 -> 0..3) and song ids (the YouTube id between the first and the last '_'),
 * and EmoGen's preprocessing of the values. Shared by the forest tests and tests/bench/. */
#pragma once
/* the includer defines _POSIX_C_SOURCE 200809L (getline) before its first #include */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csv.h"

typedef struct {
    int64_t n;      /* rows */
    int F;          /* values per row */
    double *X;      /* n x F, row-major */
    int *y;         /* quadrant - 1 */
    int64_t *song;  /* song code (first appearance order) */
    int64_t n_songs;
} rf_table;

/* what EmoGen saw: jSymbolic's 4-significant-digit text read back, NaN turned into 0 */
static inline double rf_emogen_value(double v) {
    if (isnan(v)) return 0.0;
    char buf[64];
    snprintf(buf, sizeof buf, "%.3e", v);
    return strtod(buf, NULL);
}

static inline void rf_table_free(rf_table *t) {
    free(t->X);
    free(t->y);
    free(t->song);
    memset(t, 0, sizeof *t);
}

/* returns 0 on success; rows whose file name has no Q1..Q4 prefix make it fail */
static inline int rf_read_emopia_csv(const char *path, rf_table *t) {
    memset(t, 0, sizeof *t);
    FILE *fp = fopen(path, "r");
    if (!fp) return -1;
    char *line = NULL;
    size_t cap = 0;
    enum { MAXF = 4096 };
    char **fields = xmalloc(MAXF * sizeof *fields);
    int64_t rows_cap = 0;
    char **songs = NULL;
    int64_t songs_cap = 0;
    int bad = 0;
    if (getline(&line, &cap, fp) < 0) bad = 1;
    else t->F = emg_csv_split(line, fields, MAXF) - 1;
    if (t->F < 1) bad = 1;
    while (!bad && getline(&line, &cap, fp) >= 0) {
        int nf = emg_csv_split(line, fields, MAXF);
        if (nf == 1 && fields[0][0] == 0) continue;
        if (nf != t->F + 1) { bad = 1; break; }
        if (t->n == rows_cap) {
            rows_cap = rows_cap ? 2 * rows_cap : 256;
            t->X = xrealloc(t->X, (size_t)rows_cap * (size_t)t->F * sizeof *t->X);
            t->y = xrealloc(t->y, (size_t)rows_cap * sizeof *t->y);
            t->song = xrealloc(t->song, (size_t)rows_cap * sizeof *t->song);
        }
        const char *base = strrchr(fields[0], '/');
        base = base ? base + 1 : fields[0];
        if (base[0] != 'Q' || base[1] < '1' || base[1] > '4' || base[2] != '_') { bad = 1; break; }
        t->y[t->n] = base[1] - '1';
        const char *s0 = base + 3, *s1 = strrchr(base, '_');
        size_t sl = s1 > s0 ? (size_t)(s1 - s0) : strlen(s0);
        int64_t code = 0;
        while (code < t->n_songs && !(strlen(songs[code]) == sl && !strncmp(songs[code], s0, sl))) code++;
        if (code == t->n_songs) {
            if (t->n_songs == songs_cap) {
                songs_cap = songs_cap ? 2 * songs_cap : 256;
                songs = xrealloc(songs, (size_t)songs_cap * sizeof *songs);
            }
            songs[t->n_songs] = xmalloc(sl + 1);
            memcpy(songs[t->n_songs], s0, sl);
            songs[t->n_songs++][sl] = 0;
        }
        t->song[t->n] = code;
        for (int j = 0; j < t->F; j++) t->X[t->n * t->F + j] = strtod(fields[j + 1], NULL);
        t->n++;
    }
    for (int64_t i = 0; i < t->n_songs; i++) free(songs[i]);
    free(songs);
    free(fields);
    free(line);
    fclose(fp);
    if (bad || t->n == 0) { rf_table_free(t); return -1; }
    return 0;
}
