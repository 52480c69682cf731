/* extract_labels.c: see extract_labels.h. */
#define _POSIX_C_SOURCE 200809L
#include "extract/extract_labels.h"
#include "check.h"
#include "csv.h"
#include "md5.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int quadrant_of(const char *q) {
    if ((q[0] == 'Q' || q[0] == 'q') && q[1] >= '1' && q[1] <= '4' && !q[2]) return q[1] - '1';
    if (q[0] >= '1' && q[0] <= '4' && !q[1]) return q[0] - '1';
    return -1;
}

int labels_load(label_table *t, const char *csv_path, char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    FILE *f = fopen(csv_path, "r");
    if (!f) { snprintf(err, errlen, "%s: cannot open: %s", csv_path, emg_errno_str()); return -1; }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", csv_path);
    char *d = dirname(dir);
    char line[8192];
    char *h[64];
    if (!fgets(line, sizeof line, f)) { fclose(f); snprintf(err, errlen, "%s: empty", csv_path); return -1; }
    int nh = emg_csv_split(line, h, 64);
    int cf = emg_csv_column(h, nh, "file"), cq = emg_csv_column(h, nh, "quadrant"), cg = emg_csv_column(h, nh, "group");
    if (cg < 0) cg = emg_csv_column(h, nh, "song_or_piece");  /* the shared data's labels_detail.csv */
    if (cg < 0) cg = emg_csv_column(h, nh, "song");
    if (cf < 0 || cq < 0) {
        fclose(f);
        snprintf(err, errlen, "%s: needs the columns file and quadrant (optional: group)", csv_path);
        return -1;
    }
    int64_t cap = 1024;
    t->file = xmalloc((size_t)cap * sizeof *t->file);
    t->group = xmalloc((size_t)cap * sizeof *t->group);
    t->quadrant = xmalloc((size_t)cap);
    t->md5 = xmalloc((size_t)cap * 16);
    t->has_md5 = xmalloc((size_t)cap);
    int64_t lineno = 1;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *c[64];
        int nc = emg_csv_split(line, c, 64);
        if (nc <= 0 || (nc == 1 && !c[0][0])) continue;
        if (nc <= cf || nc <= cq) {
            fclose(f);
            snprintf(err, errlen, "%s:%lld: missing columns", csv_path, (long long)lineno);
            labels_free(t);
            return -1;
        }
        int q = quadrant_of(c[cq]);
        if (q < 0) {
            fclose(f);
            snprintf(err, errlen, "%s:%lld: quadrant '%s' is not Q1..Q4", csv_path, (long long)lineno, c[cq]);
            labels_free(t);
            return -1;
        }
        if (t->n == cap) {
            cap *= 2;
            t->file = xrealloc(t->file, (size_t)cap * sizeof *t->file);
            t->group = xrealloc(t->group, (size_t)cap * sizeof *t->group);
            t->quadrant = xrealloc(t->quadrant, (size_t)cap);
            t->md5 = xrealloc(t->md5, (size_t)cap * 16);
            t->has_md5 = xrealloc(t->has_md5, (size_t)cap);
        }
        int64_t i = t->n++;
        t->file[i] = CHECK_PTR(strdup(c[cf]));
        t->group[i] = CHECK_PTR(strdup(cg >= 0 && nc > cg ? c[cg] : ""));
        t->quadrant[i] = (int8_t)q;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", d, c[cf]);
        size_t len = 0;
        FILE *m = fopen(path, "rb");
        t->has_md5[i] = 0;
        if (m) {  /* the labelled file itself is here: identify it by content */
            emg_md5_ctx ctx;
            emg_md5_init(&ctx);
            uint8_t buf[65536];
            while ((len = fread(buf, 1, sizeof buf, m)) > 0) emg_md5_update(&ctx, buf, len);
            emg_md5_final(&ctx, t->md5[i]);
            t->has_md5[i] = 1;
            fclose(m);
        }
    }
    fclose(f);
    t->matched = xcalloc((size_t)(t->n ? t->n : 1), 1);
    return 0;
}

void labels_free(label_table *t) {
    for (int64_t i = 0; i < t->n; i++) { free(t->file[i]); free(t->group[i]); }
    free(t->file); free(t->group); free(t->quadrant); free(t->md5); free(t->has_md5); free(t->matched);
    memset(t, 0, sizeof *t);
}

static int path_suffix_match(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la == lb) return !strcmp(a, b);
    const char *lo = la > lb ? a : b, *sh = la > lb ? b : a;
    size_t ll = la > lb ? la : lb, ls = la > lb ? lb : la;
    return lo[ll - ls - 1] == '/' && !strcmp(lo + ll - ls, sh);
}

int labels_match(label_table *t, const uint8_t md5[16], const char *member, const char **group) {
    int found = -1;
    for (int64_t i = 0; i < t->n; i++) {
        int hit = t->has_md5[i] ? !memcmp(t->md5[i], md5, 16) : path_suffix_match(t->file[i], member);
        if (!hit) continue;
        t->matched[i] = 1;
        if (found < 0) { found = t->quadrant[i]; *group = t->group[i]; }
    }
    return found;
}
