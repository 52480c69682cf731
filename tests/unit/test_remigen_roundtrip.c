/* test_remigen_roundtrip.c: encode -> decode -> encode on the whole labelled set
 * (shared/data/labelled: 1,078 EMOPIA + 204 VGMIDI clips, listed in labels.csv).
 *
 * For every file, with t1 = encode(file):
 *   t2 = encode(decode(t1)) equals t1 with each d-0 made d-1 (the decoder gives a 0-position note
 *        one position, as the reference does) and the notes of each (position, instrument) group
 *        re-sorted, since that can reorder them;
 *   t3 = encode(decode(t2)) equals t2: the fixed point;
 *   through a MIDI file, encode(read(write(decode(t1)))) equals t2 whenever decode(t1) holds no two
 *        overlapping notes of one pitch in one instrument (a MIDI file cannot keep those apart).
 */
#include "test_util.h"

#include "midi_read.h"
#include "midi_write.h"
#include "remigen.h"

typedef struct { uint16_t *v; size_t n; } seq;

static seq copy_seq(const uint16_t *ids, size_t n) {
    seq s = {malloc((n + 1) * sizeof *ids), n};
    memcpy(s.v, ids, n * sizeof *ids);
    return s;
}

static int same_seq(seq a, seq b) { return a.n == b.n && !memcmp(a.v, b.v, a.n * sizeof *a.v); }

/* p d v triples, compared descending as the encoder orders them */
static int cmp_triple_desc(const void *a, const void *b) {
    const uint16_t *x = a, *y = b;
    for (int i = 0; i < 3; i++)
        if (x[i] != y[i]) return x[i] > y[i] ? -1 : 1;
    return 0;
}

/* d-0 -> d-1, then each run of p d v triples re-sorted */
static void normalize(seq s) {
    for (size_t i = 0; i < s.n; i++)
        if (s.v[i] == EMG_REMI_DUR_BASE) s.v[i] = EMG_REMI_DUR_BASE + 1;
    size_t i = 0;
    while (i < s.n) {
        size_t b = i;
        while (i + 2 < s.n && emg_remi_id_type(s.v[i]) == EMG_TOK_PITCH) i += 3;
        if (i - b > 3) qsort(s.v + b, (i - b) / 3, 3 * sizeof *s.v, cmp_triple_desc);
        if (i == b) i++;
    }
}

typedef struct { int64_t start, end; int key; } span;

static int cmp_span(const void *a, const void *b) {
    const span *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

/* 1 if two notes of one instrument and pitch overlap (or start together) */
static int has_same_pitch_overlap(const emg_score *s) {
    span *sp = malloc((s->n_notes + 1) * sizeof *sp);
    for (size_t i = 0; i < s->n_notes; i++) {
        span x = {s->note_start[i], s->note_end[i], (int)s->note_inst[i] * 128 + s->note_pitch[i]};
        sp[i] = x;
    }
    qsort(sp, s->n_notes, sizeof *sp, cmp_span);
    int overlap = 0;
    for (size_t i = 1; i < s->n_notes && !overlap; i++)
        overlap = sp[i].key == sp[i - 1].key && sp[i].start < sp[i - 1].end;
    free(sp);
    return overlap;
}

static int decode_seq(seq t, emg_score *out) {
    int32_t *ids = malloc((t.n + 1) * sizeof *ids);
    for (size_t i = 0; i < t.n; i++) ids[i] = t.v[i];
    emg_remi_decode_info info;
    emg_status st = emg_remi_decode(ids, t.n, 0, out, &info);
    free(ids);
    return st.code;
}

int main(void) {
    const char *shared = test_shared_dir();
    char path[12288], line[4096];
    snprintf(path, sizeof path, "%s/data/labelled/labels.csv", shared);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return TEST_DONE();
    emg_remi_encoder enc;
    emg_remi_encoder_init(&enc);
    int n = 0, n_first = 0, n_fixed = 0, n_midi = 0, n_midi_checked = 0, n_d0 = 0;
    CHECK(fgets(line, sizeof line, f) != NULL);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, ",\r\n")] = 0;
        snprintf(path, sizeof path, "%s/data/labelled/%s", shared, line);
        size_t len;
        unsigned char *buf = test_read_file(path, &len);
        CHECK(buf != NULL);
        if (!buf) continue;
        n++;
        emg_score sc;
        emg_status st = emg_midi_read(buf, len, NULL, &sc);
        free(buf);
        CHECK_EQ_INT(st.code, 0);
        if (st.code) continue;
        const uint16_t *ids;
        size_t nt;
        st = emg_remi_encode(&enc, &sc, NULL, &ids, &nt);
        emg_score_free(&sc);
        CHECK_EQ_INT(st.code, 0);
        if (st.code) continue;
        seq t1 = copy_seq(ids, nt);
        for (size_t i = 0; i < t1.n; i++) n_d0 += t1.v[i] == EMG_REMI_DUR_BASE;

        emg_score d1;
        CHECK_EQ_INT(decode_seq(t1, &d1), 0);
        st = emg_remi_encode(&enc, &d1, NULL, &ids, &nt);
        CHECK_EQ_INT(st.code, 0);
        seq t2 = copy_seq(ids, nt);
        normalize(t1);
        if (same_seq(t1, t2)) n_first++;
        else fprintf(stderr, "  %s: encode(decode(t1)) differs from t1 (beyond d-0 -> d-1)\n", line);

        emg_score d2;
        CHECK_EQ_INT(decode_seq(t2, &d2), 0);
        st = emg_remi_encode(&enc, &d2, NULL, &ids, &nt);
        CHECK_EQ_INT(st.code, 0);
        seq t3 = copy_seq(ids, nt);
        if (same_seq(t2, t3)) n_fixed++;
        else fprintf(stderr, "  %s: not a fixed point\n", line);
        emg_score_free(&d2);

        if (!has_same_pitch_overlap(&d1)) {
            n_midi_checked++;
            char names_buf[4 * EMG_REMI_N_INST];
            const char *names[EMG_REMI_N_INST];
            emg_remi_track_names(&d1, names_buf, names);
            uint8_t *midi;
            size_t midi_len;
            st = emg_midi_write(&d1, names, &midi, &midi_len);
            CHECK_EQ_INT(st.code, 0);
            emg_score back;
            emg_midi_opts strict = {.strict = 1};
            st = emg_midi_read(midi, midi_len, &strict, &back);
            free(midi);
            CHECK_EQ_INT(st.code, 0);
            st = emg_remi_encode(&enc, &back, NULL, &ids, &nt);
            emg_score_free(&back);
            seq t4 = {(uint16_t *)ids, nt};
            if (!st.code && same_seq(t2, t4)) n_midi++;
            else fprintf(stderr, "  %s: the MIDI-file round trip differs\n", line);
        }
        emg_score_free(&d1);
        free(t1.v);
        free(t2.v);
        free(t3.v);
    }
    fclose(f);
    emg_remi_encoder_free(&enc);
    fprintf(stderr, "round trip: %d files; encode(decode(t)) == t (d-0 -> d-1) for %d; fixed point for %d; "
                    "through MIDI for %d of %d without same-pitch overlaps; %d d-0 tokens seen\n",
            n, n_first, n_fixed, n_midi, n_midi_checked, n_d0);
    CHECK(n >= 1282);
    CHECK_EQ_INT(n_first, n);
    CHECK_EQ_INT(n_fixed, n);
    CHECK_EQ_INT(n_midi, n_midi_checked);
    return TEST_DONE();
}
