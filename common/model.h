/* model.h: EmoGen's attribute-conditioned linear-attention transformer LM (muzic emogen
 * `linear_transformer_lm_std` on fairseq 0.10.2 + fast-transformers), in flat C, llm.c style.
 *
 * The model is defined exactly in shared/reference/model/README.md ("Model, exactly") and in
 * docs/model.md. In short, for source tokens x[b,t] (x[b,0] = eos, right-padded with pad) and an
 * attribute vector cmd[b, 0..A-1] in {-1, 0..K-1}:
 *   x   = sqrt(d) * tok_emb[x] + (attr_proj.W concat_j attr_emb[j, cmd_j] + attr_proj.b) + PE[pos]
 *   L x pre-LN layers: x += o(causal_linear_attention(phi(q(LN1 x)), phi(k(LN1 x)), v(LN1 x)));
 *                      x += fc2(gelu_erf(fc1(LN2 x)))        (phi = elu + 1, pad keys zeroed)
 *   logits = LN_f(x) out_proj^T ; loss = sum over non-pad targets of -log_softmax / norm
 *
 * Memory (as llm.c's train_gpt2.c): parameters, gradients and the two Adam moments are each ONE
 * float allocation in the canonical parameter order (emg_model_tensor() names them); activations
 * are one allocation sized from (B, T, config) and grown when a larger batch arrives. Every matrix
 * product goes through cblas_sgemm. Nothing here is global: several models can coexist, and
 * every function is deterministic for a given OPENBLAS_NUM_THREADS.
 *
 * Typical training step (the caller owns data loading, MPI and checkpoints):
 *   emg_model_set_train(m, 1, update_index, first_global_sequence_of_this_batch);
 *   emg_model_zero_grad(m);
 *   emg_model_forward(m, src, tgt, cmd, B, T);         // returns the local mean loss
 *   emg_model_backward(m, global_ntokens);             // d(loss_sum / global_ntokens)
 *   MPI_Allreduce(MPI_IN_PLACE, emg_model_grads(m), emg_model_num_params(m), MPI_FLOAT, MPI_SUM, comm);
 *   emg_adam_step(m, emg_lr_inverse_sqrt(k - 1, peak, warmup), k);   // update k (1-based)
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct emg_model_config {
    int vocab;         /* V: dictionary size (Piano 462, TopMAGD 692) */
    int d_model;       /* d (even, >= 4; divisible by n_heads) */
    int n_layers;      /* L */
    int n_heads;       /* H; head size Dh = d / H */
    int d_ffn;         /* F */
    int attr_num;      /* A: attributes in the command vector (100) */
    int attr_buckets;  /* K: values per attribute (2); -1 in cmd = attribute off (zeros) */
    int attr_embed;    /* E: embedding size per attribute (16) */
    int pad_idx;       /* 1 */
    int eos_idx;       /* 2 */
    float ln_eps;      /* 1e-5 */
    float attn_eps;    /* 1e-6 */
    float dropout;     /* p for embedding, attention-output and FFN-output dropout (0.1) */
} emg_model_config;

/* EmoGen's configuration (d 512, 6 layers, 8 heads, FFN 2048, 100 attributes x 2 buckets x 16,
 * dropout 0.1) for a dictionary of `vocab` entries (462 Piano, 692 TopMAGD) */
emg_model_config emg_model_config_emogen(int vocab);
/* the reference's "small" (d 128, 4 layers, 8 heads, FFN 512) and "tiny" (64, 2, 4, 256), V 462 */
emg_model_config emg_model_config_small(void);
emg_model_config emg_model_config_tiny(void);
/* NULL if usable, else a static string saying what is wrong */
const char *emg_model_config_invalid(const emg_model_config *c);
/* P = 2Vd + AKE + AEd + d + L(4d^2 + 9d + 2dF + F) + 2d */
size_t emg_model_param_count(const emg_model_config *c);

/* one named parameter tensor inside the flat buffer (canonical order of the reference) */
typedef struct emg_tensor_info {
    char name[48];     /* "tok_emb", "layers.3.fc1.weight", ... */
    int ndim;
    int shape[3];      /* row-major; Linear weights are [out, in] */
    size_t offset;     /* in floats, from the start of the parameter buffer */
    size_t numel;
} emg_tensor_info;

/* pointer views into a flat parameter-shaped buffer (parameters, or gradients) */
typedef struct emg_layer_w {
    float *ln1w, *ln1b, *qw, *qb, *kw, *kb, *vw, *vb, *ow, *ob, *ln2w, *ln2b, *fc1w, *fc1b, *fc2w, *fc2b;
} emg_layer_w;
typedef struct emg_weights {
    float *tok_emb;   /* [V, d] */
    float *attr_emb;  /* [A, K, E] */
    float *attr_w;    /* [d, A*E] */
    float *attr_b;    /* [d] */
    emg_layer_w *layer;  /* [L] */
    float *lnfw, *lnfb;  /* [d] */
    float *out_proj;  /* [V, d] */
} emg_weights;

/* activations of one layer (N = B*T rows) */
typedef struct emg_layer_acts {
    float *ln1, *ln1_mean, *ln1_rstd;  /* [N,d], [N], [N] */
    float *q, *k, *v;                  /* [N,d]: phi(q), phi(k) (pad rows 0), v; head h = cols h*Dh.. */
    float *rden;                       /* [B,H,T]: 1 / (phi(q_t) . z_t + eps) */
    float *att;                        /* [N,d]: attention output, heads concatenated (before o) */
    float *res1;                       /* [N,d]: x + dropout(o(att)) */
    float *ln2, *ln2_mean, *ln2_rstd;  /* [N,d], [N], [N] */
    float *fc1;                        /* [N,F]: pre-activation */
    float *gelu;                       /* [N,F] */
    float *out;                        /* [N,d]: res1 + dropout(fc2(gelu)) = the next layer's input */
} emg_layer_acts;
typedef struct emg_acts {
    float *attr_a;    /* [B, A*E]: concat_j attr_emb[j, cmd_j] (zeros for -1) */
    float *attr_c;    /* [B, d]: attr_proj(attr_a) */
    float *embed;     /* [N, d]: x before dropout */
    float *x0;        /* [N, d]: x after dropout (the input of layer 0; = embed when p == 0) */
    emg_layer_acts *layer;  /* [L] */
    float *lnf, *lnf_mean, *lnf_rstd;  /* [N,d], [N], [N] */
    float *logits;    /* [N, V]; emg_model_backward overwrites it with d loss / d logits */
    float *lse;       /* [N]: log-sum-exp of each logits row */
    /* backward scratch */
    float *dres, *dtmp, *dq, *dk, *dv, *datt;  /* [N, d] */
    float *dff;       /* [N, F] */
    float *dattr_c, *dattr_a;  /* [B, d], [B, A*E] */
    float *attn_work; /* 2*Dh*Dh + 3*Dh */
} emg_acts;

typedef struct emg_adam_config {
    double beta1, beta2, eps, weight_decay;  /* fairseq: 0.9, 0.98, 1e-9, 0.01 */
} emg_adam_config;

typedef struct emg_model {
    emg_model_config cfg;
    size_t n_params;
    int n_tensors;
    emg_tensor_info *tensors;  /* [n_tensors], canonical order */
    float *params;    /* ONE allocation: every parameter, canonical order */
    float *grads;     /* ONE allocation, same layout; accumulated by backward (+=) */
    float *adam_m;    /* ONE allocation each, created by the first emg_adam_step */
    float *adam_v;
    emg_weights w, g; /* views into params and grads */
    emg_adam_config adam;

    /* activations: one allocation for up to cap_B sequences and cap_N = B*T rows */
    float *acts_mem;
    size_t acts_floats;
    int cap_B;
    long cap_N;
    emg_acts a;
    int *ints;        /* inputs of the last forward: src, tgt, pos, keep [N]; cmd [B*A] */
    int *src, *tgt, *pos, *keep, *cmd;
    float *pe;        /* sinusoidal table [pe_rows, d] (fairseq float32 recipe), grown on demand */
    int pe_rows;

    /* last forward */
    int B, T;
    int has_targets;
    double loss_sum;  /* sum over non-pad targets of -log p (nats) */
    long n_tokens;    /* non-pad targets */

    /* dropout: active when training && cfg.dropout > 0. The keep/drop decision of element
     * (global sequence seq_base + b, position t, feature j) of dropout site s (0 = embedding,
     * 1 + 2l = attention output of layer l, 2 + 2l = FFN output of layer l) at update `step` is
     * a pure function of (seed, step, s, seq, t, j): see emg_dropout_keep(). */
    int training;
    uint64_t seed, step, seq_base;
} emg_model;

/* allocate a model (parameters zero; call emg_model_init_params or load them) */
emg_model *emg_model_create(const emg_model_config *cfg);
void emg_model_free(emg_model *m);
/* the reference initialisation (fairseq / PyTorch defaults) drawn from the counter-based RNG:
 * tok_emb, out_proj ~ N(0, d^-1/2) (pad row 0), attr_emb ~ N(0, 1), Linear W and b ~
 * U(-1/sqrt(in), 1/sqrt(in)), LayerNorm weight 1, bias 0. Element i of tensor k uses
 * emg_rng_*(seed, k, i): the same on every rank. */
void emg_model_init_params(emg_model *m, uint64_t seed);

static inline float *emg_model_params(emg_model *m) { return m->params; }
static inline float *emg_model_grads(emg_model *m) { return m->grads; }
static inline size_t emg_model_num_params(const emg_model *m) { return m->n_params; }
/* the tensor called `name`, or NULL */
const emg_tensor_info *emg_model_tensor(const emg_model *m, const char *name);

/* dropout switch: training = 1 turns dropout (cfg.dropout) on for the following forwards, with
 * masks keyed by (seed, step, site, seq_base + b, t, j); training = 0 = inference */
void emg_model_set_train(emg_model *m, int training, uint64_t step, uint64_t seq_base);
void emg_model_set_seed(emg_model *m, uint64_t seed);

/* make room for B sequences of T tokens (forward does it too; call it once with the largest
 * batch to avoid reallocations) */
void emg_model_reserve(emg_model *m, int B, int T);
/* bytes of the activation allocation for (B, T) */
size_t emg_model_acts_bytes(const emg_model_config *c, int B, int T);

/* forward: src, tgt [B*T] (tgt may be NULL: logits only), cmd [B*A]. Fills m->a (logits
 * [B*T, V] at every position). Returns the mean loss over non-pad targets (nats; 0 when there
 * are none or tgt is NULL); m->loss_sum and m->n_tokens hold the sum and the count.
 * Invalid ids (token outside [0, V), cmd outside [-1, K)) are fatal (FAIL). */
double emg_model_forward(emg_model *m, const int *src, const int *tgt, const int *cmd, int B, int T);
/* backward of loss_sum / norm for the last forward (with targets), ACCUMULATED into the
 * gradient buffer. norm <= 0 means the local m->n_tokens (the plain mean). Data-parallel ranks
 * pass the global number of non-pad targets so that the summed gradients are those of the
 * global mean. Overwrites m->a.logits with d/dlogits. */
void emg_model_backward(emg_model *m, double norm);
void emg_model_zero_grad(emg_model *m);

/* one row of the sinusoidal table exactly as fairseq computes it in float32:
 * w_i = expf((float)i * (float)(-log(10000)/(d/2-1))), a = (float)pos * w_i, sinf | cosf;
 * pos == pad_idx gives zeros. out[d] */
void emg_pe_row(int d, int pad_idx, long pos, float *out);

/* dropout decision for element `index` of dropout site `site` at update `step`: returns the
 * multiplier (0 or 1/(1-p)). Pure function of its arguments (Philox4x32-10 on
 * (seed, stream = step * 2^16 + site, index / 4), 32-bit lane index % 4 against p * 2^32). */
float emg_dropout_keep(uint64_t seed, uint64_t step, int site, uint64_t index, float p);
