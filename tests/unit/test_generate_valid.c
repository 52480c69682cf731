/* test_generate_valid.c: grammar-constrained sampling always yields sequences that decode to MIDI.
 * 1,000 sequences from an UNTRAINED model (random parameters: the worst case for a sampler without
 * a guard), top-p 0.9, every one decoded with the strict REMIGEN2 decoder and written as MIDI. */
#include "check.h"
#include "midi_write.h"
#include "model.h"
#include "remi_sample.h"
#include "remigen.h"
#include "test_util.h"

int main(void) {
    emg_vocab_map vm;
    char err[256];
    CHECK_EQ_INT(emg_vocab_map_init(&vm, "full", err, sizeof err), 0);
    emg_model_config c = emg_model_config_tiny();
    c.vocab = vm.size;
    c.d_model = 16; c.n_layers = 1; c.n_heads = 2; c.d_ffn = 32; c.dropout = 0;
    emg_model *m = emg_model_create(&c);
    emg_model_init_params(m, 7);
    int cmd[100];
    for (int k = 0; k < 100; k++) cmd[k] = k % 2;
    emg_decoder *dec = emg_decoder_create(m, 1, cmd);
    emg_sample_opts so = emg_sample_opts_emogen();
    so.min_len = 30;   /* short pieces keep the test fast; the grammar is the same at any length */
    so.max_len = 100;
    emg_sample_scratch sc;
    emg_sample_scratch_init(&sc, c.vocab);
    int32_t toks[128];
    int decoded = 0, written = 0;
    long total = 0, notes = 0;
    for (int i = 0; i < 1000; i++) {
        emg_decoder_reset(dec, cmd);
        int64_t n = emg_remi_sample(dec, &vm, &so, 99, (uint64_t)i, toks, &sc);
        total += n;
        emg_score s;
        emg_remi_decode_info info;
        emg_status st = emg_remi_decode(toks, (size_t)n, 0 /* strict */, &s, &info);
        if (st.code) { if (decoded == i) fprintf(stderr, "sequence %d: %s\n", i, st.msg); continue; }
        decoded++;
        notes += (long)s.n_notes;
        const char *names[EMG_REMI_N_INST + 1];
        char buf[(EMG_REMI_N_INST + 1) * 8];
        emg_remi_track_names(&s, buf, names);
        uint8_t *midi = NULL;
        size_t len = 0;
        if (emg_midi_write(&s, names, &midi, &len).code == 0 && len > 14) written++;
        free(midi);
        emg_score_free(&s);
    }
    fprintf(stderr, "1000 sampled sequences (%ld tokens, %ld notes): %d decode strictly, %d written as MIDI\n", total,
            notes, decoded, written);
    CHECK_EQ_INT(decoded, 1000);
    CHECK_EQ_INT(written, 1000);
    CHECK(total >= 1000 * 30L);  /* min_len held: eos is masked before step 30 */
    emg_sample_scratch_free(&sc);
    emg_decoder_free(dec);
    emg_model_free(m);
    emg_vocab_map_free(&vm);
    return TEST_DONE();
}
