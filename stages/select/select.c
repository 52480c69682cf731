/* select.c: `emogen select`: the attribute design. A random forest on the labelled pieces ranks the
 * 1495 jSymbolic values by impurity importance; the top k become attributes, each cut into `buckets`
 * buckets at percentiles 100 j / buckets of the labelled values (numpy linear interpolation; 2 buckets =
 * the median). In the EmoGen-compatible mode (default) values are rounded to 4 significant digits and
 * NaN becomes 0 first, as EmoGen's reader of jSymbolic's XML did. `--emogen` writes EmoGen's published
 * design instead (its 100 attributes and thresholds, in its command-vector order). */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "select/attributes_write.h"
#include "select/select_forest.h"

#include "attributes.h"
#include "check.h"
#include "cli.h"
#include "corpus_read.h"
#include "emogen_published.h"
#include "jsonconfig.h"
#include "jsym.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: [mpirun -np N] emogen select --corpus CORPUS.h5 --out ATTRIBUTES.json [--top-k K] [--buckets B]\n"
        "                                     [--config FILE] [--set KEY=VALUE] [--json] [--quiet]\n"
        "       emogen select --emogen --out ATTRIBUTES.json\n\n"
        "Rank the 1495 jSymbolic values with a random forest fitted on the labelled pieces (quadrants\n"
        "Q1..Q4; scikit-learn's RandomForestClassifier defaults, 100 trees spread over the ranks), keep\n"
        "the top K (default 100) as attributes and cut each into B buckets (default 2) at percentiles of\n"
        "the labelled values. Reports stratified and song-grouped 5-fold cross-validated accuracy,\n"
        "per-quadrant F1 and confusion matrices, and the overlap with EmoGen's published attributes.\n"
        "--emogen writes EmoGen's published design (its 100 attributes and median thresholds) instead.\n"
        "Config keys (schemas/select.schema.json): top_k, buckets, trees, seed, folds, emogen_compatible.\n");
}

static int write_emogen(const char *out, int quiet) {
    cJSON *arr = cJSON_CreateArray();
    for (int a = 0; a < EMG_EMOGEN_NATTR; a++) {
        cJSON *it = cJSON_CreateObject();
        char name[96];
        emg_jsym_value_name(emg_emogen_feature_index[a], name, sizeof name);
        cJSON_AddStringToObject(it, "name", name);
        cJSON_AddNumberToObject(it, "index", emg_emogen_feature_index[a]);
        cJSON_AddNumberToObject(it, "importance", 0);
        cJSON_AddItemToObject(it, "thresholds", cJSON_CreateDoubleArray(&emg_emogen_threshold[a], 1));
        cJSON_AddItemToArray(arr, it);
    }
    if (attributes_write(out, 2, 1, "emogen_published", NULL, arr, NULL, NULL)) {
        fprintf(stderr, "emogen select: cannot write %s: %s\n", out, emg_errno_str());
        return 1;
    }
    if (!quiet) fprintf(stderr, "select: EmoGen's published 100 attributes and thresholds -> %s\n", out);
    return 0;
}

int cmd_select(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"corpus", required_argument, 0, 'C'}, {"out", required_argument, 0, 'o'}, {"top-k", required_argument, 0, 'k'},
        {"buckets", required_argument, 0, 'b'}, {"config", required_argument, 0, 'c'}, {"set", required_argument, 0, 's'},
        {"emogen", no_argument, 0, 'E'}, {"quiet", no_argument, 0, 'q'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *corpus = NULL, *out = NULL, *config = NULL;
    char *sets[66];
    char kbuf[64], bbuf[64];
    int nsets = 0, c, emogen = 0;
    while ((c = getopt_long(argc, argv, "C:o:k:b:c:s:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'C': corpus = optarg; break;
        case 'o': out = optarg; break;
        case 'k': snprintf(kbuf, sizeof kbuf, "top_k=%s", optarg); if (nsets < 64) sets[nsets++] = kbuf; break;
        case 'b': snprintf(bbuf, sizeof bbuf, "buckets=%s", optarg); if (nsets < 64) sets[nsets++] = bbuf; break;
        case 'c': config = optarg; break;
        case 's': if (nsets < 64) sets[nsets++] = optarg; break;
        case 'E': emogen = 1; break;
        case 'q': ctx->quiet = 1; break;
        case 'j': ctx->json = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("select", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return emg_usage_error("select", "unexpected argument '%s'", argv[optind]);
    if (!out) return emg_usage_error("select", "--out ATTRIBUTES.json is required");
    if (emogen) {
        int rc = ctx->rank == 0 ? write_emogen(out, ctx->quiet) : 0;
        if (ctx->mpi) MPI_Bcast(&rc, 1, MPI_INT, 0, ctx->comm);
        return rc;
    }
    if (!corpus) return emg_usage_error("select", "--corpus CORPUS.h5 is required (or --emogen)");
    char err[1024];
    cJSON *cfg = emg_config_load("select.schema.json", config, sets, nsets, err, sizeof err);
    if (!cfg) { if (ctx->rank == 0) fprintf(stderr, "emogen select: %s\n", err); return 2; }
    int rc = select_by_forest(ctx, corpus, out, cfg);
    cJSON_Delete(cfg);
    return rc;
}
