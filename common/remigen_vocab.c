/* remigen_vocab.c: REMIGEN2 vocabulary tables and fairseq dictionary loading (see remigen_vocab.h). */
#include "remigen_vocab.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* per type: letter, first id, number of values, smallest value (b starts at 1) */
static const char type_letter[EMG_TOK_NTYPES] = {'b', 'o', 'i', 'p', 'd', 'v', 's', 't'};
static const int type_base[EMG_TOK_NTYPES] = {EMG_REMI_BAR_ID,   EMG_REMI_POS_BASE, EMG_REMI_INST_BASE,
                                              EMG_REMI_PITCH_BASE, EMG_REMI_DUR_BASE, EMG_REMI_VEL_BASE,
                                              EMG_REMI_TS_BASE,  EMG_REMI_TEMPO_BASE};
static const int type_count[EMG_TOK_NTYPES] = {1, EMG_REMI_N_POS, EMG_REMI_N_INST, EMG_REMI_N_PITCH,
                                               EMG_REMI_N_DUR, EMG_REMI_N_VEL, EMG_REMI_N_TS, EMG_REMI_N_TEMPO};
static const int type_min[EMG_TOK_NTYPES] = {1, 0, 0, 0, 0, 0, 0, 0};

int emg_remi_id_type(int id) {
    if (id < 0 || id >= EMG_REMI_VOCAB_SIZE) return -1;
    int t = EMG_TOK_NTYPES - 1;
    while (id < type_base[t]) t--;
    return t;
}

int emg_remi_id_value(int id) {
    int t = emg_remi_id_type(id);
    return t < 0 ? -1 : id - type_base[t] + type_min[t];
}

int emg_remi_token_id(int type, long value) {
    if (type < 0 || type >= EMG_TOK_NTYPES) return -1;
    if (value < type_min[type] || value >= type_min[type] + type_count[type]) return -1;
    return type_base[type] + (int)(value - type_min[type]);
}

char emg_remi_type_letter(int type) { return type >= 0 && type < EMG_TOK_NTYPES ? type_letter[type] : '?'; }

int emg_remi_token_str(int id, char *buf) {
    int t = emg_remi_id_type(id);
    if (t < 0) { buf[0] = 0; return 0; }
    int v = id - type_base[t] + type_min[t], n = 0;
    buf[n++] = type_letter[t];
    buf[n++] = '-';
    if (v >= 100) buf[n++] = (char)('0' + v / 100);
    if (v >= 10) buf[n++] = (char)('0' + v / 10 % 10);
    buf[n++] = (char)('0' + v % 10);
    buf[n] = 0;
    return n;
}

int emg_remi_parse_token(const char *s, size_t len) {
    if (len < 3 || len > 5 || s[1] != '-') return -1;
    int type = -1;
    for (int t = 0; t < EMG_TOK_NTYPES; t++)
        if (s[0] == type_letter[t]) type = t;
    if (type < 0) return -1;
    if (s[2] == '0' && len > 3) return -1;  /* the encoder never writes a leading zero */
    long v = 0;
    for (size_t i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return emg_remi_token_id(type, v);
}

/* ---- time signatures: VocabManager.generate_ts_vocab: for den = 2^0..2^6, num = 1..2*den,
 * id = running index, so the ids of denominator 2^i start at 2*(2^i - 1) ---- */

int emg_remi_ts_id(int num, int den) {
    if (den < 1 || den > 64 || (den & (den - 1))) return -1;
    if (num < 1 || num > 2 * den) return -1;
    return 2 * (den - 1) + num - 1;
}

void emg_remi_ts_of_id(int id, int *num, int *den) {
    int d = 1;
    while (d < 64 && id >= 2 * (2 * d - 1)) d *= 2;  /* ids of den d: [2(d-1), 2(2d-1)) */
    *den = d;
    *num = id - 2 * (d - 1) + 1;
}

/* ---- durations: VocabManager.generate_duration_vocab(8, 12): group g = 0..7 has 12 buckets of
 * 2^g positions each, starting at 12*(2^g - 1); durations >= 12*255 = 3060 take the last bucket ---- */

int emg_remi_dur_start(int id) {
    int g = id / 12, j = id % 12;
    return 12 * ((1 << g) - 1) + (j << g);
}

/* ---- tempo: CPython evaluates round(math.log2(min(max(bpm,16),256)/16) * 12) in float64;
 * math.log2 is libm's log2 and round() on a float rounds half to even, which is nearbyint()
 * in the default rounding mode ---- */

int emg_remi_tempo_id(double bpm) {
    double x = bpm;
    if (!(x >= 16.0)) x = 16.0;  /* also maps NaN to 16 (cannot occur: bpm = 60e6/us) */
    if (x > 256.0) x = 256.0;
    return (int)nearbyint(log2(x / 16.0) * 12.0);
}

double emg_remi_tempo_bpm(int id) { return pow(2.0, (double)id / 12.0) * 16.0; }

/* ---- fairseq dictionaries ---- */

static const char *const specials[EMG_DICT_NSPECIAL] = {"<s>", "<pad>", "</s>", "<unk>"};

void emg_remi_dict_free(emg_remi_dict *d) {
    free(d->sym);
    free(d->to_full);
    free(d->text);
    memset(d, 0, sizeof *d);
}

/* sort ids by their symbol (merge sort: C17 qsort takes no context pointer) */
static void sort_by_symbol(int *a, int *tmp, int n, char *const *sym) {
    if (n < 2) return;
    int h = n / 2;
    sort_by_symbol(a, tmp, h, sym);
    sort_by_symbol(a + h, tmp, n - h, sym);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = strcmp(sym[a[i]], sym[a[j]]) <= 0 ? a[i++] : a[j++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof *a);
}

static void sort_ids_by_symbol(int *a, int n, char *const *sym) {
    int *tmp = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *tmp);
    sort_by_symbol(a, tmp, n, sym);
    free(tmp);
}

emg_status emg_remi_dict_parse(emg_remi_dict *d, const char *buf, size_t len) {
    memset(d, 0, sizeof *d);
    size_t nlines = 0;
    for (size_t i = 0; i < len; i++) nlines += buf[i] == '\n';
    nlines++;
    /* text: specials + a copy of buf (each symbol NUL-terminated in place) */
    size_t spec_len = 0;
    for (int i = 0; i < EMG_DICT_NSPECIAL; i++) spec_len += strlen(specials[i]) + 1;
    d->text = xmalloc(spec_len + len + 1);
    d->sym = xmalloc((EMG_DICT_NSPECIAL + nlines) * sizeof *d->sym);
    char *p = d->text;
    for (int i = 0; i < EMG_DICT_NSPECIAL; i++) {
        size_t l = strlen(specials[i]) + 1;
        memcpy(p, specials[i], l);
        d->sym[d->n++] = p;
        p += l;
    }
    char *copy = p;
    memcpy(copy, buf, len);
    copy[len] = 0;
    size_t line_no = 0, pos = 0;
    while (pos < len) {
        line_no++;
        size_t e = pos;
        while (e < len && copy[e] != '\n') e++;
        size_t next = e + 1;
        /* fairseq: line.rstrip().rsplit(" ", 1) */
        while (e > pos && (copy[e - 1] == ' ' || copy[e - 1] == '\t' || copy[e - 1] == '\r')) e--;
        if (e == pos) {  /* fairseq would fail on an empty line; accept a blank last line only */
            if (next >= len) break;
            emg_remi_dict_free(d);
            return emg_statusf(1, "line %zu: empty line", line_no);
        }
        copy[e] = 0;
        char *sp = strrchr(copy + pos, ' ');
        if (sp && !strcmp(sp + 1, "#fairseq:overwrite")) {
            *sp = 0;
            sp = strrchr(copy + pos, ' ');
        }
        if (!sp || sp == copy + pos) {
            emg_remi_dict_free(d);
            return emg_statusf(1, "line %zu: expected '<token> <count>'", line_no);
        }
        char *end;
        errno = 0;
        (void)strtol(sp + 1, &end, 10);
        if (*end || end == sp + 1) {
            emg_remi_dict_free(d);
            return emg_statusf(1, "line %zu: count is not an integer", line_no);
        }
        *sp = 0;
        d->sym[d->n++] = copy + pos;
        pos = next;
    }
    /* fairseq rejects a symbol seen twice (the specials included): sort the ids by symbol */
    int *order = xmalloc((size_t)d->n * sizeof *order);
    for (int i = 0; i < d->n; i++) order[i] = i;
    sort_ids_by_symbol(order, d->n, d->sym);
    for (int i = 1; i < d->n; i++) {
        if (!strcmp(d->sym[order[i - 1]], d->sym[order[i]])) {
            int a = order[i - 1] < order[i] ? order[i - 1] : order[i];
            int b = order[i - 1] < order[i] ? order[i] : order[i - 1];
            emg_status st = emg_statusf(1, "duplicate symbol '%s' (ids %d and %d)", d->sym[b], a, b);
            free(order);
            emg_remi_dict_free(d);
            return st;
        }
    }
    free(order);
    d->to_full = xmalloc((size_t)d->n * sizeof *d->to_full);
    for (int i = 0; i < EMG_REMI_VOCAB_SIZE; i++) d->from_full[i] = EMG_DICT_UNK;
    for (int i = 0; i < d->n; i++) {
        int id = i < EMG_DICT_NSPECIAL ? -1 : emg_remi_parse_token(d->sym[i], strlen(d->sym[i]));
        d->to_full[i] = id;
        if (id >= 0) d->from_full[id] = i;
    }
    return emg_ok();
}

emg_status emg_remi_dict_load(emg_remi_dict *d, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return emg_statusf(1, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            if (cap >= (64u << 20)) {
                fclose(f);
                free(buf);
                return emg_statusf(1, "%s: larger than 64 MiB: not a dictionary", path);
            }
            buf = xrealloc(buf, cap *= 2);
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return emg_statusf(1, "%s: read error", path);
    }
    emg_status st = emg_remi_dict_parse(d, buf, n);
    free(buf);
    if (st.code) {
        emg_status s2 = emg_statusf(st.code, "%s: %s", path, st.msg);
        return s2;
    }
    return st;
}
