/* model_check.c: `emogen model-check STATE.h5`: the C model against a PyTorch debug state. */
#include "commands.h"

#include "check.h"
#include "cli.h"
#include "model_check.h"

#include <getopt.h>
#include <stdio.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: emogen model-check [options] STATE.h5\n\n"
        "Compare the C EmoGen model with a debug state written by the PyTorch reference\n"
        "(shared/reference/model/make_debug_state.py; layout in its README). The model's sizes come\n"
        "from the file's attributes. Checked, when the file holds them: the positional table, logits,\n"
        "every activation, the loss, every gradient tensor, the incremental decoder against the full\n"
        "forward, the recorded Adam/inverse-sqrt training steps (losses and final parameters), and\n"
        "the greedy and top-p golden decodes (with the supplied uniforms). Prints the largest error of\n"
        "each quantity against its tolerance; exits 0 only if every check passes (1 otherwise).\n\n"
        "options:\n"
        "      --train-params FILE   train/params from FILE (default: the file itself, else its\n"
        "                            train_params_file attribute, beside it)\n"
        "  -v, --verbose             one line per gradient tensor\n"
        "  -h, --help                this help\n");
}

enum { OPT_TRAIN_PARAMS = 1000 };

int cmd_model_check(emg_ctx *ctx, int argc, char **argv) {
    (void)ctx;
    static const struct option longopts[] = {{"train-params", required_argument, 0, OPT_TRAIN_PARAMS},
                                             {"verbose", no_argument, 0, 'v'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *train_params = NULL;
    int verbose = 0, c;
    while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_TRAIN_PARAMS: train_params = optarg; break;
        case 'v': verbose = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("model-check", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return emg_usage_error("model-check", optind == argc ? "no debug-state file" : "one debug-state file only");
    const char *path = argv[optind];
    emg_h5_quiet_errors();
    emg_check_result res;
    emg_status st = emg_model_check_file(path, train_params, &res);
    if (st.code) {
        fprintf(stderr, "emogen model-check: %s: %s\n", path, st.msg);
        emg_check_result_free(&res);
        return 1;
    }
    printf("%s\n", path);
    emg_check_print(&res, stdout, verbose);
    int rc = res.n_fail || res.n == 0 ? 1 : 0;
    emg_check_result_free(&res);
    return rc;
}
