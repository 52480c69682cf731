/* model_decode.h: incremental (recurrent) decoding and fairseq's sampling rules.
 *
 * The decoder keeps, per layer, batch row and head, the running sums of causal linear attention
 *   S = sum_s phi(k_s) v_s^T  [Dh x Dh]   and   z = sum_s phi(k_s)  [Dh]
 * so consuming a token costs the same at step 10 and at step 1000 (one pass through the
 * weights, O(d^2 + dF + Vd) per row), and gives the same logits as a full forward of the prefix.
 * The t-th consumed token (t = 0 for the leading eos) has position t + pad + 1, as in fairseq.
 *
 * Sampling (fairseq SequenceGenerator, beam 1, as EmoGen's Piano_gen.sh configures it): at
 * generation step s (s = number of tokens generated so far):
 *   lprobs = log_softmax(logits / temperature) (double); NaN -> -inf; lprobs[pad] = -inf;
 *   s >= max_len: everything but eos = -inf; else s < min_len: lprobs[eos] = -inf (unk is kept)
 *   greedy: argmax, lowest id on ties;
 *   top-p: probs = exp(lprobs) (NOT renormalised), sorted descending (ties by ascending id);
 *          keep the entries whose running sum is < p plus the first reaching >= p; sample from
 *          the kept, un-normalised probabilities by inverse CDF with a uniform u in [0, 1):
 *          the first kept sorted index i with cumsum(kept)[i] > u * sum(kept).
 * fairseq draws with torch.multinomial; here u is supplied (e.g. emg_rng_uniform(seed, piece,
 * step)), which makes generation reproducible on any number of ranks.
 */
#pragma once
#include "model.h"

typedef struct emg_decoder {
    const emg_model *m;
    int B;
    long t;          /* tokens consumed per row */
    float *mem;      /* ONE allocation for everything below */
    float *S;        /* [L, B, H, Dh, Dh] */
    float *z;        /* [L, B, H, Dh] */
    float *cvec;     /* [B, d]: attribute vector, constant over time */
    float *attr_a;   /* [B, A*E] */
    float *x, *h, *q, *k, *v, *att, *tmp;  /* [B, d] */
    float *ff, *ffg; /* [B, F] */
    float *mean, *rstd;  /* [B] */
    float *pe;       /* [d] */
    float *logits;   /* [B, V] */
    double *swork;   /* [2V]: sampling */
    int *iwork;      /* [V] */
    int use_sgemm;   /* 0 (default): products of up to 8 rows use the streaming matrix-vector
                      * kernel (emg_linear_forward_rows: W read once, at memory speed);
                      * 1: always cblas_sgemm */
} emg_decoder;

/* a decoder for B rows with attribute vectors cmd [B*A] (values -1 .. K-1) */
emg_decoder *emg_decoder_create(const emg_model *m, int B, const int *cmd);
/* start again from an empty prefix with new attribute vectors */
void emg_decoder_reset(emg_decoder *dec, const int *cmd);
void emg_decoder_free(emg_decoder *dec);
/* consume one token per row (tokens [B]) and return the next-token logits [B, V], valid until
 * the next call */
const float *emg_decoder_step(emg_decoder *dec, const int *tokens);

typedef struct emg_sample_opts {
    int greedy;          /* 1: argmax; 0: top-p */
    double top_p;        /* 0.9 */
    double temperature;  /* 1.0 */
    long min_len;        /* 512: eos masked while step < min_len */
    long max_len;        /* 1280: only eos allowed at step >= max_len */
} emg_sample_opts;

/* EmoGen's Piano_gen.sh: top-p 0.9, temperature 1, min_len 512, max_len 1280 */
emg_sample_opts emg_sample_opts_emogen(void);

/* the token chosen from raw logits [V] at generation step `step`, with uniform u in [0, 1)
 * (unused when greedy). n_kept (may be NULL) receives the nucleus size (V for greedy).
 * work: 2V doubles; iwork: V ints (reserved, currently unused; may be NULL). */
int emg_sample_token(const float *logits, int V, int pad_idx, int eos_idx, long step, const emg_sample_opts *o,
                     double u, int *n_kept, double *work, int *iwork);
/* the same on row b of the decoder's last logits, with its workspace */
int emg_decoder_sample(emg_decoder *dec, int b, long step, const emg_sample_opts *o, double u, int *n_kept);
