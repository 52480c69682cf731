/* extract.c: `emogen extract`: the MIDI store -> the training corpus (format "emogen.corpus").
 *
 * Flow (every rank runs the same code):
 *   1. every rank loads the store's tables and the labels CSV and matches labels to pieces;
 *   2. pieces are taken from a shared counter in batches, longest first (costs differ by 100x);
 *      each piece gets its tokens, whole-piece features and segments with their own features
 *      (extract_piece.c);
 *   3. results travel (MPI_Alltoallv) to the rank owning the piece's block of the store order, so
 *      each rank holds a contiguous run of pieces, and every dataset is written collectively at
 *      offsets from prefix sums: the file is the same for any number of ranks.
 * Layout: schemas/corpus.md.
 */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "extract/corpus_write.h"
#include "extract/extract_labels.h"
#include "piece_extract.h"

#include "check.h"
#include "cli.h"
#include "jsonconfig.h"
#include "midi_store.h"
#include "progress.h"
#include "split.h"
#include "work_counter.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: [mpirun -np N] emogen extract --in STORE.h5 --out CORPUS.h5 [--labels LABELS.csv] [options]\n\n"
        "Turn the MIDI store (from `emogen unpack`) into the training corpus: per piece, its REMIGEN2\n"
        "tokens, the jSymbolic 2.2 feature values of the original MIDI, and training segments of at most\n"
        "max_tokens tokens cut at bar boundaries (from the end), each with the features of the MIDI\n"
        "decoded from its own tokens. Labels (columns file,quadrant[,group]) are matched to stored files\n"
        "by MD5 when the labelled file exists beside the CSV, else by member path; unmatched rows are\n"
        "reported. Pieces that cannot be used are listed with a reason; the output is written atomically\n"
        "and is the same for any number of ranks. Layout: schemas/corpus.md.\n\n"
        "options:\n"
        "  -i, --in FILE        the MIDI store (required)\n"
        "  -o, --out FILE       the corpus to write (required)\n"
        "  -L, --labels FILE    labels CSV (file,quadrant[,group])\n"
        "  -c, --config FILE    JSON config (schema: extract.schema.json)\n"
        "  -s, --set KEY=VALUE  override a config key: max_tokens, strict_midi, batch\n"
        "  -q, --quiet          no progress or summary on stderr\n"
        "      --json           print the summary as one JSON object on stdout\n"
        "  -h, --help           this help\n");
}

int cmd_extract(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"in", required_argument, 0, 'i'}, {"out", required_argument, 0, 'o'}, {"labels", required_argument, 0, 'L'},
        {"config", required_argument, 0, 'c'}, {"set", required_argument, 0, 's'}, {"quiet", no_argument, 0, 'q'},
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *in = NULL, *out = NULL, *labels = NULL, *config = NULL;
    char *sets[64];
    int nsets = 0, c;
    while ((c = getopt_long(argc, argv, "i:o:L:c:s:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': in = optarg; break;
        case 'o': out = optarg; break;
        case 'L': labels = optarg; break;
        case 'c': config = optarg; break;
        case 's': if (nsets < 64) sets[nsets++] = optarg; break;
        case 'q': ctx->quiet = 1; break;
        case 'j': ctx->json = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("extract", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return emg_usage_error("extract", "unexpected argument '%s'", argv[optind]);
    if (!in || !out) return emg_usage_error("extract", "--in STORE.h5 and --out CORPUS.h5 are required");
    char err[1024];
    cJSON *cfg = emg_config_load("extract.schema.json", config, sets, nsets, err, sizeof err);
    if (!cfg) { if (ctx->rank == 0) fprintf(stderr, "emogen extract: %s\n", err); return 2; }
    double t0 = emg_now();

    /* 1. the store's tables and the labels, on every rank */
    emg_midi_store st;
    if (emg_midi_store_load(&st, in, err, sizeof err)) {
        if (ctx->rank == 0) fprintf(stderr, "emogen extract: %s\n", err);
        cJSON_Delete(cfg);
        return 1;
    }
    int64_t n = st.n_midi;
    corpus_meta meta;
    corpus_meta_init(&meta, &st);
    label_table lt;
    memset(&lt, 0, sizeof lt);
    if (labels) {
        if (labels_load(&lt, labels, err, sizeof err)) {
            if (ctx->rank == 0) fprintf(stderr, "emogen extract: %s\n", err);
            corpus_meta_free(&meta);
            emg_midi_store_free(&st);
            cJSON_Delete(cfg);
            return 1;
        }
        for (int64_t i = 0; i < n; i++) {
            char member[4096];
            emg_ragged_get(&st.member, i, member, sizeof member);
            const char *group = "";
            meta.label[i] = (int8_t)labels_match(&lt, st.md5 + 16 * i, member, &group);
            meta.group[i] = CHECK_PTR(strdup(meta.label[i] >= 0 ? group : ""));
        }
        for (int64_t k = 0; k < lt.n; k++) {
            if (lt.matched[k]) continue;
            meta.unmatched_labels++;
            if (ctx->rank == 0 && !ctx->quiet)
                emg_warn(ctx, "%s: label row for %s matches no stored file", labels, lt.file[k]);
        }
    }

    /* 2. process pieces, longest first, from a shared counter */
    piece_worker pw;
    piece_worker_init(&pw, emg_cfg_int(cfg, "max_tokens"), emg_cfg_bool(cfg, "strict_midi"));
    int64_t batch = emg_cfg_int(cfg, "batch");
    int64_t *order = xmalloc((size_t)(n ? n : 1) * sizeof *order);
    for (int64_t i = 0; i < n; i++) order[i] = i;
    corpus_sort_by_length_desc(order, n, st.length);
    hid_t sf = CHECK_H5(H5Fopen(in, H5F_ACC_RDONLY, H5P_DEFAULT));  /* independent reads */
    corpus_outbox box;
    corpus_outbox_init(&box, ctx->size);
    uint8_t *midi = NULL;
    size_t midi_cap = 0;
    emg_progress prog;
    emg_progress_init(&prog, "extract rank 0", n, ctx->rank == 0 && !ctx->quiet);
    int64_t done_local = 0, bytes_local = 0;
    emg_counter counter;
    emg_counter_init(&counter, ctx->comm);
    for (int64_t k; (k = emg_counter_next(&counter) * batch) < n;) {
        for (int64_t j = k; j < k + batch && j < n; j++) {
            int64_t i = order[j];
            size_t len = (size_t)st.length[i];
            if (len > midi_cap) { midi = xrealloc(midi, len); midi_cap = len; }
            emg_midi_store_read_file(sf, &st, i, midi);
            piece_result r;
            piece_process(&pw, midi, len, &r);
            int64_t b, e;
            (void)e;
            int owner = 0;
            for (int p = 0; p < ctx->size; p++) {  /* owner of piece i: its block of the store order */
                emg_split_block(n, ctx->size, p, &b, &e);
                if (i >= b && i < e) { owner = p; break; }
            }
            corpus_outbox_put(&box, owner, i, &r);
            piece_result_free(&r);
            done_local++;
            bytes_local += (int64_t)len;
            if (ctx->rank == 0) emg_progress_update(&prog, done_local * ctx->size);
        }
    }
    emg_counter_free(&counter);
    H5Fclose(sf);
    free(midi);
    free(order);
    piece_worker_free(&pw);
    if (ctx->rank == 0) { prog.done = n; emg_progress_finish(&prog); }
    double t_compute = emg_now() - t0;

    /* 3. exchange, then write */
    corpus_block blk;
    corpus_exchange(&box, ctx->comm, n, &blk);
    corpus_outbox_free(&box);
    char *cfg_text = cJSON_PrintUnformatted(cfg);
    corpus_summary sum;
    memset(&sum, 0, sizeof sum);
    corpus_write(out, ctx->comm, cfg_text, in, emg_cfg_int(cfg, "max_tokens"), &meta, &blk, &sum);
    int64_t bytes_all = 0;
    CHECK_MPI(MPI_Allreduce(&bytes_local, &bytes_all, 1, MPI_INT64_T, MPI_SUM, ctx->comm));
    sum.bytes_in = bytes_all;
    sum.seconds = emg_now() - t0;
    sum.compute_seconds = t_compute;
    sum.unmatched_labels = meta.unmatched_labels;
    sum.label_rows = lt.n;
    if (ctx->rank == 0) corpus_print_summary(&sum, ctx->quiet, ctx->json, out);

    free(cfg_text);
    corpus_block_free(&blk);
    corpus_meta_free(&meta);
    if (labels) labels_free(&lt);
    emg_midi_store_free(&st);
    cJSON_Delete(cfg);
    return 0;
}
