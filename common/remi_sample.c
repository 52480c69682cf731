/* remi_sample.c: see remi_sample.h. */
#include "remi_sample.h"
#include "check.h"
#include "remi_grammar.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

void emg_sample_scratch_init(emg_sample_scratch *s, int V) {
    s->masked = xmalloc((size_t)V * sizeof *s->masked);
    s->work = xmalloc((size_t)(2 * V + 8) * sizeof *s->work);
    s->iwork = xmalloc((size_t)(V + 8) * sizeof *s->iwork);
}

void emg_sample_scratch_free(emg_sample_scratch *s) { free(s->masked); free(s->work); free(s->iwork); }

int64_t emg_remi_sample(emg_decoder *dec, const emg_vocab_map *vm, const emg_sample_opts *so, uint64_t seed,
                        uint64_t piece, int32_t *out, emg_sample_scratch *sc) {
    int V = dec->m->cfg.vocab;
    emg_remi_grammar g;
    emg_remi_grammar_init(&g);
    int tok = EMG_TOK_EOS;  /* fairseq starts from eos as BOS */
    int64_t n = 0;
    for (long step = 0; step <= so->max_len; step++) {
        const float *logits = emg_decoder_step(dec, &tok);
        for (int v = 0; v < V; v++) {
            int full = vm->to_full[v];
            int ok = v == EMG_TOK_EOS ? emg_remi_grammar_may_end(&g) : (full >= 0 && emg_remi_grammar_allows(&g, full));
            sc->masked[v] = ok ? logits[v] : -INFINITY;
        }
        if (step >= so->max_len) sc->masked[EMG_TOK_EOS] = 0.0f;  /* at max_len the sampler allows eos alone */
        int kept = 0;
        tok = emg_sample_token(sc->masked, V, EMG_TOK_PAD, EMG_TOK_EOS, step, so, emg_rng_uniform(seed, piece, (uint64_t)step),
                               &kept, sc->work, sc->iwork);
        if (tok == EMG_TOK_EOS || tok < 0 || step >= so->max_len) break;
        int full = vm->to_full[tok];
        if (full < 0 || !emg_remi_grammar_allows(&g, full)) break;  /* unreachable: masked above */
        emg_remi_grammar_push(&g, full);
        out[n++] = full;
    }
    return n;
}
