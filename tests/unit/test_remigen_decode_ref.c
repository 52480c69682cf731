/* test_remigen_decode_ref.c: the decoder against the reference decoder's output
 * (shared/reference/tokens/decode/: MidiDecoder("REMIGEN2").decode_from_token_str_list).
 *
 * For every case: decoded notes (sorted on all six columns), tempos and time signatures (in the
 * decoder's order) equal notes.csv / tempo.csv / timesig.csv exactly (bpm compared as float64);
 * then the decoded score written with emg_midi_write and read back with emg_midi_read gives
 * notes_after_dump.csv where it exists (overlapping same-pitch notes merge in a MIDI file), else
 * notes.csv.
 */
#include "test_remigen_util.h"

int main(void) {
    const char *shared = test_shared_dir();
    char path[3 * MAX_LINE], line[MAX_LINE], p_tok[3 * MAX_LINE], p_notes[3 * MAX_LINE], p_tempo[3 * MAX_LINE],
        p_ts[3 * MAX_LINE], p_dump[3 * MAX_LINE];
    snprintf(path, sizeof path, "%s/reference/tokens/decode/index.csv", shared);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return TEST_DONE();
    int n_cases = 0, n_dec = 0, n_dump = 0, n_dump_files = 0;
    CHECK(fgets(line, sizeof line, f) != NULL);
    while (fgets(line, sizeof line, f)) {
        char *fld[10] = {0};
        split_csv(line, fld, 10);
        if (!fld[0] || !fld[3] || !fld[8]) continue;
        if (strcmp(fld[8], "ok")) {
            fprintf(stderr, "  %s: a decode error case (%s) is not handled by this test\n", fld[0], fld[9]);
            CHECK(0);
            continue;
        }
        n_cases++;
        snprintf(p_tok, sizeof p_tok, "%s/reference/tokens/%s", shared, fld[0]);
        snprintf(p_notes, sizeof p_notes, "%s/reference/tokens/%s", shared, fld[1]);
        snprintf(p_tempo, sizeof p_tempo, "%s/reference/tokens/%s", shared, fld[2]);
        snprintf(p_ts, sizeof p_ts, "%s/reference/tokens/%s", shared, fld[3]);
        int has_dump = fld[7] && fld[7][0];
        if (has_dump) snprintf(p_dump, sizeof p_dump, "%s/reference/tokens/%s", shared, fld[7]);
        n_dump_files += has_dump;
        int dump_ok;
        n_dec += check_decode_case(fld[0], p_tok, p_notes, p_tempo, p_ts, has_dump ? p_dump : NULL, &dump_ok);
        n_dump += dump_ok;
    }
    fclose(f);
    fprintf(stderr, "decode cases: %d/%d decoded exactly; %d/%d after MIDI write + read (%d with a "
                    "notes_after_dump.csv)\n", n_dec, n_cases, n_dump, n_cases, n_dump_files);
    CHECK(n_cases > 0);
    CHECK_EQ_INT(n_dec, n_cases);
    CHECK_EQ_INT(n_dump, n_cases);
    return TEST_DONE();
}
