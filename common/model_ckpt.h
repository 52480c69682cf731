/* model_ckpt.h: a model ready for inference from a training checkpoint: sizes from the checkpoint,
 * parameters verified by their MD5, and the vocabulary map the model was trained with. */
#pragma once
#include <stddef.h>

#include "model.h"
#include "train_data.h"

typedef struct emg_loaded_model {
    emg_model *m;
    emg_vocab_map vm;
    char *config;   /* the train config (JSON) */
    char *md5;      /* of the checkpoint's arrays */
} emg_loaded_model;

/* 0, or -1 with err (unreadable, damaged, vocabulary mismatch) */
int emg_model_load(emg_loaded_model *lm, const char *ckpt, char *err, size_t errlen);
void emg_model_unload(emg_loaded_model *lm);
