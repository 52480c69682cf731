/* remi_sample.h: sample one piece from the model, EmoGen's way (fairseq top-p / greedy, eos and pad
 * masks) with every token the REMIGEN2 grammar forbids masked out, so the result always decodes.
 * The uniform for step s of piece i is emg_rng_uniform(seed, i, s): the same piece for any rank count. */
#pragma once
#include <stdint.h>

#include "model_decode.h"
#include "train_data.h"

typedef struct emg_sample_scratch { float *masked; double *work; int *iwork; } emg_sample_scratch;
void emg_sample_scratch_init(emg_sample_scratch *s, int V);
void emg_sample_scratch_free(emg_sample_scratch *s);

/* the decoder must be freshly reset with the piece's attribute vector; out holds max_len tokens
 * (full-vocabulary ids); returns how many were sampled (eos not included) */
int64_t emg_remi_sample(emg_decoder *dec, const emg_vocab_map *vm, const emg_sample_opts *so, uint64_t seed,
                        uint64_t piece, int32_t *out, emg_sample_scratch *sc);
