/* model_check.h: compare the C model with a PyTorch debug state (shared/reference/model layout):
 * positional table, logits, every activation, loss, every gradient tensor, the incremental
 * decoder against the full forward, the optimiser/schedule over the recorded training steps
 * (losses and final parameters), and the greedy and top-p golden decodes. Whatever parts the
 * file holds are checked; the configuration comes from its attributes.
 *
 * Tolerances (the reference README's suggestions for a float32 port):
 *   logits, acts/..., gen_.../logits: max abs <= 1e-4;   loss, train losses: abs <= 2e-5
 *   grads/<name>: max|g - ref| <= 1e-4 max|ref| per tensor;  incremental vs full: <= 1e-5
 *   train/params: >= 99.99 % of elements within 2e-5 and all within 5e-3; tokens: identical
 */
#pragma once
#include "status.h"

#include <stdio.h>

typedef struct emg_check_line {
    char name[64];    /* "logits", "acts/layer0.attn", "grads/tok_emb", ... */
    char what[48];    /* how err is measured: "max abs", "max abs / max|ref|", "mismatches" */
    double err;
    double tol;
    int pass;
    int detail;       /* 1: one of many (a gradient tensor); summarised unless verbose */
} emg_check_line;

typedef struct emg_check_result {
    emg_check_line *lines;
    int n, cap;
    int n_fail;
    char config[160]; /* "V 462 d 64 L 2 H 4 F 256 A 100 K 2 E 16 (264896 parameters)" */
    char skipped[512];/* parts the file does not hold */
} emg_check_result;

/* run every check the file allows; st.code != 0 only if the file cannot be used at all.
 * train_params_path: where train/params lives when the file does not hold it (NULL: the file's
 * train_params_file attribute, beside it) */
emg_status emg_model_check_file(const char *path, const char *train_params_path, emg_check_result *res);
/* print the lines (detail lines only if verbose; otherwise their worst) */
void emg_check_print(const emg_check_result *res, FILE *out, int verbose);
const emg_check_line *emg_check_find(const emg_check_result *res, const char *name);
void emg_check_result_free(emg_check_result *res);
