/* test_remigen_reference.c: token-exact against the reference tokenizer's output
 * (shared/reference/tokens/index.csv: MidiProcessor v0.1.5 REMIGEN2 on miditoolkit 0.1.16).
 *
 * Every `ok` row: our tokens (MIDI read leniently, and read strictly) equal the token file.
 * Every `error` row: the strict reader or the encoder rejects the file, as the reference raised.
 * Then the vendored fixtures (tests/data/remigen/, see its README) are checked the same way;
 * those run without the shared data too: test_remigen_fixtures.c.
 */
#include "test_remigen_util.h"

int main(void) {
    const char *shared = test_shared_dir();
    char path[3 * MAX_LINE], line[MAX_LINE];
    snprintf(path, sizeof path, "%s/reference/tokens/index.csv", shared);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return TEST_DONE();
    emg_remi_encoder enc;
    emg_remi_encoder_init(&enc);
    int n_ok = 0, n_match = 0, n_err = 0, n_err_rejected = 0, n_strict_match = 0;
    CHECK(fgets(line, sizeof line, f) != NULL);  /* header */
    while (fgets(line, sizeof line, f)) {
        char *field[5] = {0};
        split_csv(line, field, 5);
        char *midi = field[0], *tokfile = field[1], *status = field[3];
        if (!midi || !tokfile || !status) continue;
        snprintf(path, sizeof path, "%s/data/%s", shared, midi);
        size_t len;
        unsigned char *buf = test_read_file(path, &len);
        CHECK(buf != NULL);
        if (!buf) continue;
        char why[600];
        if (!strcmp(status, "ok")) {
            n_ok++;
            snprintf(path, sizeof path, "%s/reference/tokens/%s", shared, tokfile);
            char *want = load_tokens(path);
            CHECK(want != NULL);
            char *got = encode_file(&enc, buf, len, 0, why, sizeof why);
            if (!got) fprintf(stderr, "  %s: rejected (lenient): %s\n", midi, why);
            if (want && got) {
                if (!strcmp(want, got)) n_match++;
                else show_diff(midi, want, got);
            }
            char *got_strict = encode_file(&enc, buf, len, 1, why, sizeof why);
            if (!got_strict) fprintf(stderr, "  %s: rejected (strict): %s\n", midi, why);
            if (want && got_strict && !strcmp(want, got_strict)) n_strict_match++;
            free(want);
            free(got);
            free(got_strict);
        } else {
            n_err++;
            char *got = encode_file(&enc, buf, len, 1, why, sizeof why);
            if (!got) n_err_rejected++;
            else fprintf(stderr, "  %s: the reference raised, our strict path encoded it\n", midi);
            free(got);
        }
        free(buf);
    }
    fclose(f);
    emg_remi_encoder_free(&enc);
    fprintf(stderr, "reference tokens: %d/%d ok rows token-exact (lenient read), %d/%d (strict read); "
                    "%d/%d error rows rejected\n", n_match, n_ok, n_strict_match, n_ok, n_err_rejected, n_err);
    CHECK(n_ok > 0);
    CHECK_EQ_INT(n_match, n_ok);
    CHECK_EQ_INT(n_strict_match, n_ok);
    CHECK_EQ_INT(n_err_rejected, n_err);
    return TEST_DONE();
}
