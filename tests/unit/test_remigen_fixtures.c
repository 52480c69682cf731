/* test_remigen_fixtures.c: the vendored fixtures (tests/data/remigen/, see its README): runs on a
 * fresh clone without the shared data.
 *   - each midi/NAME.mid encodes (lenient and strict MIDI reading) to exactly tokens/NAME.txt;
 *   - the decode cases give the reference decoder's notes / tempos / time signatures, and the MIDI
 *     file we write reads back as notes_after_dump.csv (pop909_766) or notes.csv;
 *   - EmoGen's dictionaries load with the sizes and ids of EMOGEN_SPEC.md section 4, and a whole
 *     token file maps to Piano ids and back.
 */
#include "test_remigen_util.h"

static const char *const names[] = {"Q1_0vLPYiPN7qY_0", "Q4_Xf2fox7zhCQ_0", "emogen_examples_7",
                                    "emogen_examples_11", "pop909_766", "asap_Chopin_Etudes_op_10_3_score"};
static const char *const decode_cases[] = {"Q1_0vLPYiPN7qY_0", "Q4_Xf2fox7zhCQ_0", "pop909_766"};

static void check_dicts(void) {
    emg_remi_dict piano, top;
    CHECK_EQ_INT(emg_remi_dict_load(&piano, TEST_DATA_DIR "/remigen/dict_Piano.txt").code, 0);
    CHECK_EQ_INT(emg_remi_dict_load(&top, TEST_DATA_DIR "/remigen/dict_TopMAGD.txt").code, 0);
    CHECK_EQ_INT(piano.n, 462);
    CHECK_EQ_INT(top.n, 692);
    CHECK_STR_EQ(piano.sym[EMG_DICT_UNK], "<unk>");
    CHECK_STR_EQ(piano.sym[4], "b-1");
    /* EMOGEN_SPEC.md: s-9 t-38 o-0 i-0 p-75 d-8 v-25 o-8 i-0 p-51 d-4 v-25 -> these Piano ids */
    const char *toks[] = {"s-9", "t-38", "o-0", "i-0", "p-75", "d-8", "v-25", "o-8", "i-0", "p-51", "d-4", "v-25"};
    const int want[] = {334, 419, 103, 101, 274, 13, 455, 111, 101, 250, 9, 455};
    for (int i = 0; i < 12; i++) {
        int id = emg_remi_parse_token(toks[i], strlen(toks[i]));
        CHECK(id >= 0);
        if (id < 0) continue;
        CHECK_EQ_INT(piano.from_full[id], want[i]);
        CHECK_EQ_INT(piano.to_full[want[i]], id);
    }
    /* Piano lacks p-121 and i-2; TopMAGD has i-128 (id 228) and lacks d-92 */
    CHECK_EQ_INT(piano.from_full[EMG_REMI_PITCH_BASE + 121], EMG_DICT_UNK);
    CHECK_EQ_INT(piano.from_full[EMG_REMI_INST_BASE + 2], EMG_DICT_UNK);
    CHECK_EQ_INT(top.from_full[EMG_REMI_INST_BASE + 128], 228);
    CHECK_EQ_INT(top.from_full[EMG_REMI_DUR_BASE + 92], EMG_DICT_UNK);
    CHECK_STR_EQ(top.sym[687], "Q1");
    CHECK_EQ_INT(top.to_full[687], -1);  /* emotion tokens are not REMIGEN2 tokens */
    CHECK_EQ_INT(top.to_full[EMG_DICT_EOS], -1);
    /* every token of a real file maps to Piano ids and back unchanged */
    size_t len, n;
    char *text = (char *)test_read_file(TEST_DATA_DIR "/remigen/tokens/emogen_examples_11.txt", &len);
    CHECK(text != NULL);
    if (text) {
        int32_t *ids = emg_remi_parse_text(text, len, &n);
        int all = n == 1272;
        for (size_t i = 0; i < n; i++) all &= ids[i] >= 0 && piano.to_full[piano.from_full[ids[i]]] == ids[i];
        CHECK(all);
        free(ids);
        free(text);
    }
    emg_remi_dict_free(&piano);
    emg_remi_dict_free(&top);
}

int main(void) {
    char path[1024];
    emg_remi_encoder enc;
    emg_remi_encoder_init(&enc);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/remigen/tokens/%s.txt", TEST_DATA_DIR, names[i]);
        char *want = load_tokens(path);
        CHECK(want != NULL);
        snprintf(path, sizeof path, "%s/remigen/midi/%s.mid", TEST_DATA_DIR, names[i]);
        size_t len;
        unsigned char *buf = test_read_file(path, &len);
        CHECK(buf != NULL);
        if (!want || !buf) { free(want); free(buf); continue; }
        for (int strict = 0; strict <= 1; strict++) {
            char why[600];
            char *got = encode_file(&enc, buf, len, strict, why, sizeof why);
            CHECK(got != NULL);
            if (!got) { fprintf(stderr, "  %s: %s\n", names[i], why); continue; }
            CHECK_STR_EQ(got, want) ;
            if (strcmp(got, want)) show_diff(names[i], want, got);
            free(got);
        }
        free(want);
        free(buf);
    }
    emg_remi_encoder_free(&enc);

    for (size_t i = 0; i < sizeof decode_cases / sizeof decode_cases[0]; i++) {
        const char *c = decode_cases[i];
        char tok[1024], notes[1024], tempo[1024], ts[1024], dump[1024];
        snprintf(tok, sizeof tok, "%s/remigen/tokens/%s.txt", TEST_DATA_DIR, c);
        snprintf(notes, sizeof notes, "%s/remigen/decode/%s.notes.csv", TEST_DATA_DIR, c);
        snprintf(tempo, sizeof tempo, "%s/remigen/decode/%s.tempo.csv", TEST_DATA_DIR, c);
        snprintf(ts, sizeof ts, "%s/remigen/decode/%s.timesig.csv", TEST_DATA_DIR, c);
        snprintf(dump, sizeof dump, "%s/remigen/decode/%s.notes_after_dump.csv", TEST_DATA_DIR, c);
        struct stat sb;
        int has_dump = stat(dump, &sb) == 0;
        int dump_ok;
        CHECK(check_decode_case(c, tok, notes, tempo, ts, has_dump ? dump : NULL, &dump_ok));
        CHECK(dump_ok);
        if (!strcmp(c, "pop909_766")) CHECK(has_dump);  /* the case where a MIDI file merges notes */
    }
    check_dicts();
    return TEST_DONE();
}
