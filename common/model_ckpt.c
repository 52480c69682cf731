/* model_ckpt.c: see model_ckpt.h. */
#include "model_ckpt.h"
#include "checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emg_model_load(emg_loaded_model *lm, const char *ckpt, char *err, size_t errlen) {
    memset(lm, 0, sizeof *lm);
    emg_ckpt_dims d;
    size_t np = 0;
    char *vocab = NULL;
    if (emg_ckpt_peek(ckpt, &d, &np, &lm->config, err, errlen) || emg_ckpt_strings(ckpt, &vocab, &lm->md5, err, errlen))
        goto fail;
    emg_model_config mc = emg_model_config_emogen((int)d.vocab);
    mc.d_model = (int)d.d_model; mc.n_layers = (int)d.layers; mc.n_heads = (int)d.heads; mc.d_ffn = (int)d.ffn;
    mc.attr_num = (int)d.attrs; mc.attr_buckets = (int)d.buckets; mc.attr_embed = (int)d.attr_embed;
    mc.dropout = 0;
    const char *bad = emg_model_config_invalid(&mc);
    if (bad) { snprintf(err, errlen, "%s: model sizes: %s", ckpt, bad); goto fail; }
    lm->m = emg_model_create(&mc);
    if (emg_ckpt_read(ckpt, &d, emg_model_params(lm->m), NULL, NULL, np, NULL, err, errlen)) goto fail;
    if (emg_vocab_map_init(&lm->vm, vocab, err, errlen)) goto fail;
    if (lm->vm.size != mc.vocab) {
        snprintf(err, errlen, "%s: vocabulary %s has %d tokens, the model %d", ckpt, vocab, lm->vm.size, mc.vocab);
        goto fail;
    }
    free(vocab);
    return 0;
fail:
    free(vocab);
    emg_model_unload(lm);
    return -1;
}

void emg_model_unload(emg_loaded_model *lm) {
    if (lm->m) emg_model_free(lm->m);
    if (lm->vm.to_full) emg_vocab_map_free(&lm->vm);
    free(lm->config);
    free(lm->md5);
    memset(lm, 0, sizeof *lm);
}
