/* fuzz_remigen_decode.c: libFuzzer target for the REMIGEN2 decoder.
 *
 * Input: byte 0 picks the form of the rest and the mode:
 *   bits 0-1: 0 = token text (split on whitespace), 1 = little-endian uint16 full-vocabulary ids
 *             (values past the vocabulary are invalid tokens), 2 = one byte per token, mapped onto
 *             the vocabulary (mostly valid sequences), 3 = as 2 but through a fairseq dictionary
 *   bit 2: lenient
 * Properties checked (abort on violation, so libFuzzer reports them):
 *   - lenient decoding never fails;
 *   - a decoded score writes as MIDI and reads back;
 *   - encode(decode(.)) reaches a fixed point after one round: t3 = encode(decode(t2)) with
 *     t2 = encode(decode(tokens)) equals encode(decode(t3)).
 * Build: cmake -DEMOGEN_FUZZ=ON -DCMAKE_C_COMPILER=clang; run: build/fuzz/fuzz_remigen_decode
 * (tests/fuzz/README or docs/remigen2.md has the command and the dictionary of token strings).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "midi_read.h"
#include "midi_write.h"
#include "remigen.h"

#define MUST(c) do { if (!(c)) { fprintf(stderr, "property violated: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

/* encode a score; returns malloc'd ids (NULL if the encoder rejects the score) */
static int32_t *encode(const emg_score *s, size_t *n) {
    emg_remi_encoder e;
    emg_remi_encoder_init(&e);
    emg_remi_opts o = {1u << 20};
    const uint16_t *ids;
    emg_status st = emg_remi_encode(&e, s, &o, &ids, n);
    int32_t *out = NULL;
    if (!st.code) {
        out = malloc((*n + 1) * sizeof *out);
        for (size_t i = 0; i < *n; i++) out[i] = ids[i];
    }
    emg_remi_encoder_free(&e);
    return out;
}

static void round_trip(const emg_score *s1) {
    size_t n2, n3, n4;
    int32_t *t2 = encode(s1, &n2);
    if (!t2) return;  /* e.g. a 1/64 bar: the reference rejects it too */
    emg_score s2, s3;
    emg_remi_decode_info info;
    MUST(emg_remi_decode(t2, n2, 0, &s2, &info).code == 0);
    int32_t *t3 = encode(&s2, &n3);
    MUST(t3 != NULL);
    MUST(emg_remi_decode(t3, n3, 0, &s3, &info).code == 0);
    int32_t *t4 = encode(&s3, &n4);
    MUST(t4 != NULL);
    MUST(n3 == n4 && !memcmp(t3, t4, n3 * sizeof *t3));
    emg_score_free(&s2);
    emg_score_free(&s3);
    free(t2);
    free(t3);
    free(t4);
}

/* a small dictionary, as EmoGen's: specials, then a subset of the vocabulary */
static void make_dict(emg_remi_dict *d) {
    static const char text[] = "b-1 1\ns-9 1\ns-8 1\nt-35 1\nt-40 1\no-0 1\no-6 1\no-95 1\ni-0 1\ni-128 1\np-60 1\n"
                               "p-200 1\nd-0 1\nd-95 1\nv-0 1\nv-31 1\nQ1 1\nNone 1\n";
    emg_status st = emg_remi_dict_parse(d, text, sizeof text - 1);
    MUST(st.code == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    int form = data[0] & 3, lenient = (data[0] >> 2) & 1;
    const uint8_t *p = data + 1;
    size_t len = size - 1;
    emg_score s;
    emg_remi_decode_info info;
    emg_status st;
    if (form == 0) {
        st = emg_remi_decode_text((const char *)p, len, lenient, &s, &info);
    } else {
        size_t n = form == 1 ? len / 2 : len;
        int32_t *ids = malloc((n + 1) * sizeof *ids);
        emg_remi_dict d;
        if (form == 3) make_dict(&d);
        for (size_t i = 0; i < n; i++) {
            if (form == 1) ids[i] = p[2 * i] | p[2 * i + 1] << 8;
            else if (form == 2) ids[i] = (int32_t)((p[i] * 3637u) % (EMG_REMI_VOCAB_SIZE + 7));
            else ids[i] = p[i] < d.n ? d.to_full[p[i]] : -1;
        }
        if (form == 3) emg_remi_dict_free(&d);
        st = emg_remi_decode(ids, n, lenient, &s, &info);
        free(ids);
    }
    if (lenient) MUST(st.code == 0);
    if (st.code) {
        MUST(info.first_bad >= 0 && st.msg[0]);
        return 0;
    }
    MUST(info.n_skipped == 0 || lenient);
    /* write and read back */
    char names_buf[4 * EMG_REMI_N_INST];
    const char *names[EMG_REMI_N_INST];
    emg_remi_track_names(&s, names_buf, names);
    uint8_t *midi;
    size_t midi_len;
    MUST(emg_midi_write(&s, names, &midi, &midi_len).code == 0);
    emg_score back;
    emg_midi_opts strict = {.strict = 1};
    MUST(emg_midi_read(midi, midi_len, &strict, &back).code == 0);
    MUST(back.n_notes <= s.n_notes);
    emg_score_free(&back);
    free(midi);
    round_trip(&s);
    emg_score_free(&s);
    return 0;
}
