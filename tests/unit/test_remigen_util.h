/* test_remigen_util.h: helpers shared by the REMIGEN2 tests: reading the reference's token and
 * CSV files, and comparing our encoder / decoder output with them. */
#pragma once
#include "test_util.h"

#include "midi_read.h"
#include "midi_write.h"
#include "remigen.h"

#define MAX_LINE 4096

/* the token file's tokens joined by single spaces, trailing whitespace stripped */
static inline char *load_tokens(const char *path) {
    size_t len;
    char *t = (char *)test_read_file(path, &len);
    if (!t) return NULL;
    while (len > 0 && (t[len - 1] == '\n' || t[len - 1] == ' ' || t[len - 1] == '\r')) len--;
    t[len] = 0;  /* the buffer had at least one trailing byte (files end in "\n\n") */
    return t;
}

/* split a CSV line (no quoted fields before the last) into up to n fields, in place */
static inline void split_csv(char *line, char **field, int n) {
    line[strcspn(line, "\r\n")] = 0;
    for (int i = 0; i < n && line; i++) {
        field[i] = line;
        char *c = strchr(line, ',');
        if (c) *c = 0;
        line = c ? c + 1 : NULL;
    }
}

/* first differing token between two space-separated strings, for the failure message */
static inline void show_diff(const char *name, const char *want, const char *got) {
    size_t i = 0, tok = 0;
    while (want[i] && want[i] == got[i]) {
        if (want[i] == ' ') tok++;
        i++;
    }
    size_t b = i > 60 ? i - 60 : 0;
    fprintf(stderr, "  %s: first difference at token %zu (char %zu)\n    want ...%.120s\n    got  ...%.120s\n",
            name, tok, i, want + b, got + b);
}

/* encode a MIDI file; returns malloc'd token text or NULL with *why set */
static inline char *encode_file(emg_remi_encoder *enc, const unsigned char *buf, size_t len, int strict, char *why,
                         size_t whysz) {
    emg_score sc;
    emg_midi_opts o = {.strict = strict};
    emg_status st = emg_midi_read(buf, len, &o, &sc);
    if (st.code) {
        snprintf(why, whysz, "read: %s", st.msg);
        return NULL;
    }
    const uint16_t *ids;
    size_t n;
    st = emg_remi_encode(enc, &sc, NULL, &ids, &n);
    emg_score_free(&sc);
    if (st.code) {
        snprintf(why, whysz, "encode: %s", st.msg);
        return NULL;
    }
    char *text = malloc(n * EMG_REMI_TOKEN_MAX + 1);
    size_t l = emg_remi_format(ids, n, text);
    text[l] = 0;
    return text;
}

typedef struct { long long v[6]; } row6;

static inline int cmp_row(const void *a, const void *b) {
    const row6 *x = a, *y = b;
    for (int i = 0; i < 6; i++)
        if (x->v[i] != y->v[i]) return x->v[i] < y->v[i] ? -1 : 1;
    return 0;
}

/* the rows of a CSV of integers (header skipped); n columns; returns count, *out malloc'd */
static inline size_t load_int_csv(const char *path, int ncol, row6 **out) {
    FILE *f = fopen(path, "r");
    *out = NULL;
    if (!f) return (size_t)-1;
    char line[MAX_LINE];
    size_t n = 0, cap = 1024;
    row6 *r = malloc(cap * sizeof *r);
    if (!fgets(line, sizeof line, f)) { fclose(f); free(r); return (size_t)-1; }
    while (fgets(line, sizeof line, f)) {
        if (n == cap) r = realloc(r, (cap *= 2) * sizeof *r);
        memset(&r[n], 0, sizeof r[n]);
        char *p = line;
        for (int c = 0; c < ncol; c++) {
            r[n].v[c] = strtoll(p, &p, 10);
            if (*p == ',') p++;
        }
        n++;
    }
    fclose(f);
    *out = r;
    return n;
}

/* the score's notes as (start, end, pitch, velocity, program, is_drum), sorted */
static inline row6 *score_rows(const emg_score *s) {
    row6 *r = malloc((s->n_notes + 1) * sizeof *r);
    for (size_t i = 0; i < s->n_notes; i++) {
        uint32_t k = s->note_inst[i];
        row6 x = {{s->note_start[i], s->note_end[i], s->note_pitch[i], s->note_velocity[i], s->inst_program[k],
                   s->inst_is_drum[k]}};
        r[i] = x;
    }
    qsort(r, s->n_notes, sizeof *r, cmp_row);
    return r;
}

static inline int same_rows(const char *what, const char *name, const row6 *a, size_t na, const row6 *b, size_t nb) {
    if (na != nb) {
        fprintf(stderr, "  %s %s: %zu rows, reference %zu\n", name, what, na, nb);
        return 0;
    }
    for (size_t i = 0; i < na; i++) {
        if (cmp_row(&a[i], &b[i])) {
            fprintf(stderr, "  %s %s: row %zu differs: %lld,%lld,%lld,%lld,%lld,%lld vs reference "
                            "%lld,%lld,%lld,%lld,%lld,%lld\n", name, what, i, a[i].v[0], a[i].v[1], a[i].v[2],
                    a[i].v[3], a[i].v[4], a[i].v[5], b[i].v[0], b[i].v[1], b[i].v[2], b[i].v[3], b[i].v[4],
                    b[i].v[5]);
            return 0;
        }
    }
    return 1;
}

static inline int check_tempos(const char *name, const char *path, const emg_score *s) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[MAX_LINE];
    size_t n = 0;
    int ok = fgets(line, sizeof line, f) != NULL;
    while (ok && fgets(line, sizeof line, f)) {
        char *p = line;
        long long tick = strtoll(p, &p, 10);
        double bpm = strtod(p + 1, &p);  /* Python's repr round-trips exactly */
        long long us = strtoll(p + 1, &p, 10);
        if (n >= s->n_tempos || s->tempo_tick[n] != tick || s->tempo_bpm[n] != bpm || s->tempo_us[n] != us) {
            fprintf(stderr, "  %s tempo %zu: reference %lld,%.17g,%lld\n", name, n, tick, bpm, us);
            ok = 0;
        }
        n++;
    }
    fclose(f);
    if (ok && n != s->n_tempos) {
        fprintf(stderr, "  %s: %zu tempos, reference %zu\n", name, s->n_tempos, n);
        ok = 0;
    }
    return ok;
}

static inline int check_timesigs(const char *name, const char *path, const emg_score *s) {
    row6 *r;
    size_t n = load_int_csv(path, 3, &r);
    if (n == (size_t)-1) return 0;
    int ok = n == s->n_timesigs;
    for (size_t i = 0; ok && i < n; i++)
        ok = r[i].v[0] == s->ts_tick[i] && r[i].v[1] == s->ts_num[i] && r[i].v[2] == s->ts_den[i];
    if (!ok) fprintf(stderr, "  %s: time signatures differ\n", name);
    free(r);
    return ok;
}

/* Decode a token file and compare with the reference CSVs (notes, tempo, timesig), then write the
 * score as MIDI, read it back strictly and compare with after_dump (NULL: notes again).
 * Returns 1 if the decode matched, and sets *dump_ok. */
static inline int check_decode_case(const char *name, const char *tok_path, const char *notes_path,
                                    const char *tempo_path, const char *ts_path, const char *after_dump_path,
                                    int *dump_ok) {
    *dump_ok = 0;
    size_t len;
    char *text = (char *)test_read_file(tok_path, &len);
    CHECK(text != NULL);
    if (!text) return 0;
    emg_score sc;
    emg_remi_decode_info info;
    emg_status st = emg_remi_decode_text(text, len, 0, &sc, &info);
    free(text);
    CHECK_EQ_INT(st.code, 0);
    if (st.code) {
        fprintf(stderr, "  %s: %s\n", name, st.msg);
        return 0;
    }
    row6 *want;
    size_t nw = load_int_csv(notes_path, 6, &want);
    CHECK(nw != (size_t)-1);
    row6 *got = score_rows(&sc);
    int ok = nw != (size_t)-1 && same_rows("notes", name, got, sc.n_notes, want, nw);
    ok &= check_tempos(name, tempo_path, &sc);
    ok &= check_timesigs(name, ts_path, &sc);
    CHECK(ok);
    free(got);

    char names_buf[4 * EMG_REMI_N_INST];
    const char *names[EMG_REMI_N_INST];
    emg_remi_track_names(&sc, names_buf, names);
    uint8_t *midi;
    size_t midi_len;
    st = emg_midi_write(&sc, names, &midi, &midi_len);
    CHECK_EQ_INT(st.code, 0);
    emg_score_free(&sc);
    if (st.code) { free(want); return ok; }
    emg_score back;
    emg_midi_opts strict = {.strict = 1};
    st = emg_midi_read(midi, midi_len, &strict, &back);
    free(midi);
    CHECK_EQ_INT(st.code, 0);
    if (st.code) { free(want); return ok; }
    if (after_dump_path) {
        free(want);
        nw = load_int_csv(after_dump_path, 6, &want);
        CHECK(nw != (size_t)-1);
    }
    got = score_rows(&back);
    *dump_ok = nw != (size_t)-1 && same_rows("notes after MIDI write + read", name, got, back.n_notes, want, nw);
    CHECK(*dump_ok);
    free(got);
    free(want);
    emg_score_free(&back);
    return ok;
}
