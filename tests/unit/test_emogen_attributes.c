/* test_emogen_attributes.c: our whole chain reproduces EmoGen's published Q1..Q4 attribute table.
 * EmoGen's rows are the attribute bits of four EMOPIA clips computed on the MIDI decoded from their
 * REMIGEN2 tokens (for a clip over 1,280 tokens: its last whole bars that fit), with jSymbolic's
 * 4-significant-digit rounding, NaN -> 0, and the published median thresholds. Here: read MIDI ->
 * tokenize -> segment (from the end) -> decode -> write MIDI -> jSymbolic -> round -> threshold,
 * all 4 x 100 bits exact. The four clips are in the sample corpus, so this runs on a fresh clone. */
#include "emogen_published.h"
#include "piece_extract.h"
#include "test_util.h"

#include <math.h>

int main(void) {
    const char *clips[4] = {"Q1_zHwJG8Rrx6c_3", "Q2_jrVXitpLGMk_1", "Q3_2v6gJi03LlA_0", "Q4_biROWEwkDQQ_0"};
    piece_worker w;
    piece_worker_init(&w, 1280, 0);
    for (int q = 0; q < 4; q++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/corpus/labelled/emopia/%s.mid", TEST_DATA_DIR, clips[q]);
        size_t len = 0;
        unsigned char *midi = test_read_file(path, &len);
        CHECK(midi != NULL);
        if (!midi) continue;
        piece_result r;
        piece_process(&w, midi, len, &r);
        CHECK(r.ok);
        if (!r.ok) { fprintf(stderr, "%s: %s %s\n", clips[q], r.reason, r.detail); free(midi); continue; }
        const piece_segment *last = &r.seg[r.n_seg - 1];
        const double *v = r.seg_features + (r.n_seg - 1) * EMG_JSYM_NVALUES;
        if (q == 1) {  /* the Q2 clip has 1,612 tokens: its last 11 whole bars, 1,165 tokens */
            CHECK_EQ_INT(r.n_tokens, 1612);
            CHECK_EQ_INT(last->end - last->begin, 1165);
        } else {
            CHECK_EQ_INT(r.n_seg, 1);
        }
        int agree = 0;
        for (int a = 0; a < EMG_EMOGEN_NATTR; a++) {
            double x = v[emg_emogen_feature_index[a]];
            if (isnan(x)) x = 0.0;          /* EmoGen's XML reader turned NaN into 0 */
            char buf[64];
            snprintf(buf, sizeof buf, "%.3e", x);  /* jSymbolic's XML keeps 4 significant digits */
            x = strtod(buf, NULL);
            int bit = x > emg_emogen_threshold[a];
            agree += bit == (emg_emogen_vectors[q][a] == '1');
        }
        fprintf(stderr, "%s: %d/100 attribute bits equal EmoGen's row Q%d\n", clips[q], agree, q + 1);
        CHECK_EQ_INT(agree, 100);
        piece_result_free(&r);
        free(midi);
    }
    piece_worker_free(&w);
    return TEST_DONE();
}
