/* corpus_info.c: `emogen corpus-info CORPUS.h5 [--json]`: what a corpus holds. */
#include "commands.h"
#include "cli.h"
#include "check.h"
#include "extract/corpus_write.h"
#include "h5util.h"
#include "remigen_vocab.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --verify: the corpus is internally consistent (what every reader assumes); returns problems found */
static int64_t verify(hid_t f, int64_t max_tokens, FILE *out) {
    int64_t n = emg_h5_len(f, "pieces/n_tokens"), m = emg_h5_len(f, "segments/piece"), t = emg_h5_len(f, "tokens/ids");
    int64_t *nt = xmalloc((size_t)(n + 1) * 8), *to = xmalloc((size_t)(n + 1) * 8);
    int64_t *so = xmalloc((size_t)(n + 1) * 8), *sc = xmalloc((size_t)(n + 1) * 8);
    int64_t *sp = xmalloc((size_t)(m + 1) * 8), *sb = xmalloc((size_t)(m + 1) * 8), *se = xmalloc((size_t)(m + 1) * 8);
    uint16_t *ids = xmalloc((size_t)(t + 1) * 2);
    emg_h5_read_1d(f, "pieces/n_tokens", H5T_NATIVE_INT64, 0, n, nt);
    emg_h5_read_1d(f, "pieces/token_offset", H5T_NATIVE_INT64, 0, n, to);
    emg_h5_read_1d(f, "pieces/segment_offset", H5T_NATIVE_INT64, 0, n, so);
    emg_h5_read_1d(f, "pieces/segment_count", H5T_NATIVE_INT64, 0, n, sc);
    emg_h5_read_1d(f, "segments/piece", H5T_NATIVE_INT64, 0, m, sp);
    emg_h5_read_1d(f, "segments/begin", H5T_NATIVE_INT64, 0, m, sb);
    emg_h5_read_1d(f, "segments/end", H5T_NATIVE_INT64, 0, m, se);
    emg_h5_read_1d(f, "tokens/ids", H5T_NATIVE_UINT16, 0, t, ids);
    int64_t bad = 0, tok = 0, seg = 0;
    for (int64_t i = 0; i < n; i++) {
        if (to[i] != tok) { if (bad++ < 5) fprintf(out, "piece %lld: token_offset %lld, expected %lld\n", (long long)i, (long long)to[i], (long long)tok); }
        if (so[i] != seg) { if (bad++ < 5) fprintf(out, "piece %lld: segment_offset %lld, expected %lld\n", (long long)i, (long long)so[i], (long long)seg); }
        int64_t cover = 0;
        for (int64_t k = so[i]; k < so[i] + sc[i] && k < m; k++) {
            if (sp[k] != i || sb[k] != cover || se[k] <= sb[k] || se[k] - sb[k] > max_tokens) {
                if (bad++ < 5) fprintf(out, "segment %lld of piece %lld: [%lld, %lld) does not tile the piece within max_tokens\n",
                                       (long long)k, (long long)i, (long long)sb[k], (long long)se[k]);
            }
            cover = se[k];
        }
        if (cover != nt[i]) { if (bad++ < 5) fprintf(out, "piece %lld: segments cover %lld of %lld tokens\n", (long long)i, (long long)cover, (long long)nt[i]); }
        tok += nt[i];
        seg += sc[i];
    }
    if (tok != t) { bad++; fprintf(out, "pieces hold %lld tokens, /tokens/ids has %lld\n", (long long)tok, (long long)t); }
    if (seg != m) { bad++; fprintf(out, "pieces hold %lld segments, /segments has %lld\n", (long long)seg, (long long)m); }
    for (int64_t i = 0; i < t; i++)
        if (ids[i] >= EMG_REMI_VOCAB_SIZE) { if (bad++ < 5) fprintf(out, "token %lld: id %d outside the vocabulary\n", (long long)i, ids[i]); }
    free(nt); free(to); free(so); free(sc); free(sp); free(sb); free(se); free(ids);
    return bad;
}

static int64_t attr(hid_t f, const char *name) {
    int64_t v = -1;
    emg_h5_get_attr_i64(f, name, &v);
    return v;
}

int cmd_corpus_info(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {{"json", no_argument, 0, 'j'}, {"verify", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c, do_verify = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'j') { ctx->json = 1; continue; }
        if (c == 'v') { do_verify = 1; continue; }
        if (c == 'h') {
            printf("usage: emogen corpus-info CORPUS.h5 [--json] [--verify]\n\nSummarise a corpus written by `emogen extract`:"
                   " pieces, segments, tokens, labels per\nquadrant, rejects by reason, and the config that made it."
                   " --json prints one JSON object\nwith the keys pieces, segments, tokens, labelled (Q1..Q4),"
                   " rejected, rejected_by, config.\n--verify also checks that offsets, segments and token ids are"
                   " consistent (exit 1 if not).\n");
            return 0;
        }
        return emg_usage_error("corpus-info", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind != argc - 1) return emg_usage_error("corpus-info", "expected one CORPUS.h5");
    const char *path = argv[optind];
    char err[1024];
    hid_t f = emg_h5_open(path, MPI_COMM_NULL, CORPUS_FORMAT, CORPUS_VERSION, err, sizeof err);
    if (f < 0) { fprintf(stderr, "emogen corpus-info: %s\n", err); return 1; }
    int64_t lab[4] = {0, 0, 0, 0};
    hid_t a = H5Aopen(f, "labelled", H5P_DEFAULT);
    if (a >= 0) { H5Aread(a, H5T_NATIVE_INT64, lab); H5Aclose(a); }
    int64_t nrej = emg_h5_len(f, "rejects/store_index");
    int64_t by[REJ_NREASONS] = {0};
    for (int64_t i = 0; i < nrej; i++) {
        char *r = emg_h5_read_ragged(f, "rejects/reason", i);
        int k = 0;
        while (k < REJ_OTHER && strcmp(r, corpus_reject_name(k))) k++;
        by[k]++;
        free(r);
    }
    char *cfg = NULL, *by_who = NULL, *store = NULL;
    emg_h5_get_attr_str(f, "config", &cfg);
    emg_h5_get_attr_str(f, "written_by", &by_who);
    emg_h5_get_attr_str(f, "store", &store);
    int64_t pieces = attr(f, "pieces"), segments = attr(f, "segments"), tokens = attr(f, "tokens");
    if (ctx->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", path);
        cJSON_AddNumberToObject(o, "pieces", (double)pieces);
        cJSON_AddNumberToObject(o, "segments", (double)segments);
        cJSON_AddNumberToObject(o, "tokens", (double)tokens);
        cJSON *l = cJSON_AddObjectToObject(o, "labelled");
        const char *q[4] = {"Q1", "Q2", "Q3", "Q4"};
        for (int k = 0; k < 4; k++) cJSON_AddNumberToObject(l, q[k], (double)lab[k]);
        cJSON_AddNumberToObject(o, "rejected", (double)nrej);
        cJSON *rb = cJSON_AddObjectToObject(o, "rejected_by");
        for (int k = 0; k < REJ_NREASONS; k++) if (by[k]) cJSON_AddNumberToObject(rb, corpus_reject_name(k), (double)by[k]);
        cJSON_AddNumberToObject(o, "max_tokens", (double)attr(f, "max_tokens"));
        cJSON_AddStringToObject(o, "store", store ? store : "");
        cJSON_AddStringToObject(o, "written_by", by_who ? by_who : "");
        cJSON *cj = cfg ? cJSON_Parse(cfg) : NULL;
        cJSON_AddItemToObject(o, "config", cj ? cj : cJSON_CreateObject());
        char *t = cJSON_PrintUnformatted(o);
        printf("%s\n", t);
        free(t);
        cJSON_Delete(o);
    } else {
        printf("%s: %s\n", path, by_who ? by_who : "?");
        printf("  pieces    %lld (labelled Q1 %lld, Q2 %lld, Q3 %lld, Q4 %lld)\n", (long long)pieces, (long long)lab[0],
               (long long)lab[1], (long long)lab[2], (long long)lab[3]);
        printf("  segments  %lld (max_tokens %lld)\n  tokens    %lld\n  rejected  %lld", (long long)segments,
               (long long)attr(f, "max_tokens"), (long long)tokens, (long long)nrej);
        for (int k = 0; k < REJ_NREASONS; k++) if (by[k]) printf(" %s=%lld", corpus_reject_name(k), (long long)by[k]);
        printf("\n  store     %s\n  config    %s\n", store ? store : "?", cfg ? cfg : "{}");
    }
    int64_t problems = do_verify ? verify(f, attr(f, "max_tokens"), stderr) : 0;
    if (do_verify) fprintf(stderr, "verify: %lld problems\n", (long long)problems);
    free(cfg);
    free(by_who);
    free(store);
    H5Fclose(f);
    return problems ? 1 : 0;
}
