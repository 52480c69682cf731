/* evaluate.c: `emogen evaluate`: how well the generated music follows the emotion and the attributes
 * it was asked for, measured the way the paper does (objective measures), with baselines:
 *   emotion accuracy     a random forest on all 1495 jSymbolic values, fitted on the labelled pieces,
 *                        labels every generated piece; accuracy against the requested emotion, per
 *                        quadrant and overall, and the confusion matrix;
 *   attribute control    per attribute, the share of pieces whose bucket (of the generated MIDI's own
 *                        jSymbolic value) equals the requested one (the paper's Fig. 2);
 *   ceiling              the same classifier on the labelled pieces, cross-validated grouped by song;
 *   random vectors       (with --checkpoint) the same model driven by random attribute vectors: what
 *                        attribute control and emotion accuracy look like without a meaningful request.
 * Writes report.json and index.html (tables + SVG charts: per-attribute control accuracy, confusion
 * matrices, the training loss curve from metrics.jsonl) into --out. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "evaluate/charts.h"

#include "atomic_file.h"
#include "attributes.h"
#include "check.h"
#include "cli.h"
#include "corpus_read.h"
#include "dir_list.h"
#include "jsym.h"
#include "midi_write.h"
#include "model_ckpt.h"
#include "remi_sample.h"
#include "remigen.h"
#include "rforest.h"
#include "rforest_cv.h"
#include "rng.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NV EMG_JSYM_NVALUES
static const char *QN[4] = {"Q1", "Q2", "Q3", "Q4"};

static void usage(FILE *out) {
    fprintf(out,
        "usage: [mpirun -np N] emogen evaluate --generated DIR --corpus CORPUS.h5 --attributes ATTRIBUTES.json --out REPORT_DIR\n"
        "                                       [--metrics TRAIN_DIR/metrics.jsonl] [--checkpoint CKPT.h5 [--random N]]\n"
        "                                       [--trees 100] [--seed 2022] [--json] [--quiet]\n\n"
        "Score the pieces `emogen generate` wrote into DIR (each .mid with its .json sidecar):\n"
        "  emotion accuracy: a random forest on all 1495 jSymbolic values, fitted on the corpus's labelled pieces,\n"
        "    labels each piece; accuracy against the requested emotion per quadrant and overall, confusion matrix;\n"
        "  attribute control accuracy: per attribute, the share of pieces in the requested bucket;\n"
        "  baselines: the labelled pieces through the same classifier (grouped-by-song cross-validation: the\n"
        "    ceiling) and, with --checkpoint, N pieces (default: as many as DIR holds) generated from random\n"
        "    attribute vectors.\n"
        "Writes REPORT_DIR/report.json and REPORT_DIR/index.html (SVG charts; open it in a browser).\n");
}

typedef struct piece_set {
    int n;
    double *X;       /* [n][NV] features of the generated MIDI */
    int *emotion;    /* requested quadrant 0..3, -1 unknown */
    int *bits;       /* [n][A] requested buckets (-1 unset) */
    int A;
} piece_set;


static int features_of(const uint8_t *midi, size_t len, double *row) {
    emg_jsym_request req;
    emg_jsym_request_set(&req, JSYM_SET_IMPLEMENTED);
    for (int v = 0; v < NV; v++) row[v] = NAN;
    return emg_jsym_compute(midi, len, &req, row).code;
}

static int is_json_name(const char *name) {
    size_t l = strlen(name);
    return l >= 6 && !strcmp(name + l - 5, ".json");
}

/* read DIR/<name>.json sidecars and their .mid; pieces without features are reported and skipped */
static int load_generated(const char *dir, int A, piece_set *ps, int *skipped, char *err, size_t errlen) {
    memset(ps, 0, sizeof *ps);
    ps->A = A;
    char **names;
    int64_t n = emg_dir_list(dir, is_json_name, &names);
    if (n < 0) { snprintf(err, errlen, "%s: %s", dir, strerror(errno)); return -1; }
    ps->X = xmalloc((size_t)(n ? n : 1) * NV * sizeof *ps->X);
    ps->emotion = xmalloc((size_t)(n ? n : 1) * sizeof *ps->emotion);
    ps->bits = xmalloc((size_t)(n ? n : 1) * (size_t)A * sizeof *ps->bits);
    *skipped = 0;
    for (int64_t i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *text = emg_read_file(path, (size_t)64 << 20, NULL);
        cJSON *doc = text ? cJSON_Parse(text) : NULL;
        const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(doc, "attributes");
        const cJSON *emo = cJSON_GetObjectItemCaseSensitive(doc, "emotion");
        size_t l = strlen(path);
        snprintf(path + l - 5, sizeof path - l + 5, ".mid");
        size_t mlen = 0;
        char *midi = emg_read_file(path, (size_t)64 << 20, &mlen);
        int ok = doc && cJSON_GetArraySize(attrs) == A && midi;
        if (ok && features_of((const uint8_t *)midi, mlen, ps->X + (size_t)ps->n * NV) != 0) ok = 0;
        if (ok) {
            int k = 0;
            const cJSON *b;
            cJSON_ArrayForEach(b, attrs) ps->bits[(size_t)ps->n * (size_t)A + (size_t)k++] = b->valueint;
            int q = -1;
            for (int j = 0; j < 4; j++) if (cJSON_IsString(emo) && !strcmp(emo->valuestring, QN[j])) q = j;
            ps->emotion[ps->n++] = q;
        } else {
            (*skipped)++;
            fprintf(stderr, "emogen evaluate: %s: skipped (%s)\n", names[i],
                    !doc ? "not JSON" : !midi ? "no .mid beside it" : cJSON_GetArraySize(attrs) != A ? "attribute count differs" : "no jSymbolic features");
        }
        cJSON_Delete(doc);
        free(text);
        free(midi);
    }
    emg_dir_list_free(names, n);
    return 0;
}

static void preprocess(double *X, int64_t n) {
    for (int64_t i = 0; i < n * NV; i++) X[i] = emg_emogen_round(X[i]);  /* as select: 4 digits, NaN -> 0 */
}

/* attribute control: per attribute the share of pieces (with that attribute set) in the requested bucket */
static double attribute_control(const emg_attributes *at, const piece_set *ps, double *per) {
    double mean = 0;
    int counted = 0;
    for (int k = 0; k < at->n; k++) {
        int hit = 0, tot = 0;
        for (int i = 0; i < ps->n; i++) {
            int want = ps->bits[(size_t)i * (size_t)ps->A + (size_t)k];
            if (want < 0) continue;
            tot++;
            hit += emg_attr_bucket(at, k, ps->X[(size_t)i * NV + (size_t)at->index[k]]) == want;
        }
        per[k] = tot ? (double)hit / tot : NAN;
        if (tot) { mean += per[k]; counted++; }
    }
    return counted ? mean / counted : NAN;
}

static cJSON *emotion_json(const int *want, const int *pred, int n, long *cm_out, double *acc_out) {
    int64_t cm[16] = {0};
    int tot = 0, hit = 0, per_tot[4] = {0}, per_hit[4] = {0};
    for (int i = 0; i < n; i++) {
        if (want[i] < 0) continue;
        cm[want[i] * 4 + pred[i]]++;
        tot++; per_tot[want[i]]++;
        if (want[i] == pred[i]) { hit++; per_hit[want[i]]++; }
    }
    cJSON *o = cJSON_CreateObject();
    *acc_out = tot ? (double)hit / tot : NAN;
    cJSON_AddNumberToObject(o, "accuracy", tot ? (double)hit / tot : 0);
    cJSON_AddNumberToObject(o, "pieces", tot);
    cJSON *pq = cJSON_AddObjectToObject(o, "per_quadrant");
    for (int q = 0; q < 4; q++) if (per_tot[q]) cJSON_AddNumberToObject(pq, QN[q], (double)per_hit[q] / per_tot[q]);
    cJSON *m = cJSON_AddArrayToObject(o, "confusion");
    for (int t = 0; t < 4; t++) {
        int row[4];
        for (int p = 0; p < 4; p++) { row[p] = (int)cm[t * 4 + p]; cm_out[t * 4 + p] = (long)cm[t * 4 + p]; }
        cJSON_AddItemToArray(m, cJSON_CreateIntArray(row, 4));
    }
    return o;
}

/* pieces from random attribute vectors (the model's own sampling), requested emotion = i mod 4 */
static void random_baseline(const char *ckpt, int count, uint64_t seed, const emg_attributes *at, piece_set *ps, int *rc) {
    char err[1024];
    emg_loaded_model lm;
    memset(ps, 0, sizeof *ps);
    if (emg_model_load(&lm, ckpt, err, sizeof err)) { fprintf(stderr, "emogen evaluate: %s\n", err); *rc = 1; return; }
    int A = lm.m->cfg.attr_num, K = lm.m->cfg.attr_buckets;
    if (A != at->n) { fprintf(stderr, "emogen evaluate: %s has %d attributes, the attributes file %d\n", ckpt, A, at->n); *rc = 1; emg_model_unload(&lm); return; }
    ps->A = A;
    ps->X = xmalloc((size_t)count * NV * sizeof *ps->X);
    ps->emotion = xmalloc((size_t)count * sizeof *ps->emotion);
    ps->bits = xmalloc((size_t)count * (size_t)A * sizeof *ps->bits);
    emg_sample_opts so = emg_sample_opts_emogen();
    emg_sample_scratch sc;
    emg_sample_scratch_init(&sc, lm.m->cfg.vocab);
    int32_t *toks = xmalloc((size_t)(so.max_len + 2) * sizeof *toks);
    emg_decoder *dec = NULL;
    for (int i = 0; i < count; i++) {
        int *bits = ps->bits + (size_t)ps->n * (size_t)A;
        for (int k = 0; k < A; k++) bits[k] = (int)emg_rng_below(seed, 0x72616e64ull + (uint64_t)i, (uint64_t)k, (uint64_t)K);
        if (!dec) dec = emg_decoder_create(lm.m, 1, bits);
        else emg_decoder_reset(dec, bits);
        int64_t n = emg_remi_sample(dec, &lm.vm, &so, seed, (uint64_t)(1u << 30) + (uint64_t)i, toks, &sc);
        emg_score s;
        emg_remi_decode_info info;
        if (emg_remi_decode(toks, (size_t)n, 0, &s, &info).code) continue;
        const char *names[EMG_REMI_N_INST + 1];
        char nb[(EMG_REMI_N_INST + 1) * 8];
        emg_remi_track_names(&s, nb, names);
        uint8_t *midi = NULL;
        size_t len = 0;
        int ok = emg_midi_write(&s, names, &midi, &len).code == 0 && features_of(midi, len, ps->X + (size_t)ps->n * NV) == 0;
        free(midi);
        emg_score_free(&s);
        if (ok) ps->emotion[ps->n++] = i % 4;
    }
    if (dec) emg_decoder_free(dec);
    free(toks);
    emg_sample_scratch_free(&sc);
    emg_model_unload(&lm);
}

static void free_set(piece_set *ps) { free(ps->X); free(ps->emotion); free(ps->bits); memset(ps, 0, sizeof *ps); }

static void write_text(const char *dir, const char *name, const char *text) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (emg_write_file_atomic(path, text, strlen(text))) FAIL("cannot write %s: %s", path, emg_errno_str());
}

/* loss curve from metrics.jsonl: step, loss, valid_loss lines */
static char *loss_chart(const char *metrics) {
    char *text = metrics ? emg_read_file(metrics, (size_t)1 << 30, NULL) : NULL;
    if (!text) return NULL;
    int cap = 256, n = 0;
    double *x = xmalloc((size_t)cap * 8), *y = xmalloc((size_t)cap * 8), *yv = xmalloc((size_t)cap * 8);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *o = cJSON_Parse(line);
        const cJSON *st = cJSON_GetObjectItem(o, "step"), *lo = cJSON_GetObjectItem(o, "loss"), *va = cJSON_GetObjectItem(o, "valid_loss");
        if (cJSON_IsNumber(st) && cJSON_IsNumber(lo)) {
            if (n == cap) { cap *= 2; x = xrealloc(x, (size_t)cap * 8); y = xrealloc(y, (size_t)cap * 8); yv = xrealloc(yv, (size_t)cap * 8); }
            x[n] = st->valuedouble; y[n] = lo->valuedouble; yv[n] = cJSON_IsNumber(va) ? va->valuedouble : NAN;
            n++;
        }
        cJSON_Delete(o);
    }
    char *svg = n ? emg_svg_lines("training loss (nats per token)", x, y, "train", yv, "validation", n) : NULL;
    free(x); free(y); free(yv); free(text);
    return svg;
}

int cmd_evaluate(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"generated", required_argument, 0, 'g'}, {"corpus", required_argument, 0, 'C'}, {"attributes", required_argument, 0, 'a'},
        {"out", required_argument, 0, 'o'}, {"metrics", required_argument, 0, 'M'}, {"checkpoint", required_argument, 0, 'k'},
        {"random", required_argument, 0, 'R'}, {"trees", required_argument, 0, 't'}, {"seed", required_argument, 0, 'S'},
        {"json", no_argument, 0, 'j'}, {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *gen = NULL, *corpus = NULL, *attrs = NULL, *out = NULL, *metrics = NULL, *ckpt = NULL;
    int random_n = -1, trees = 100, c;
    uint64_t seed = 2022;
    while ((c = getopt_long(argc, argv, "g:C:a:o:M:k:R:t:S:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'g': gen = optarg; break;
        case 'C': corpus = optarg; break;
        case 'a': attrs = optarg; break;
        case 'o': out = optarg; break;
        case 'M': metrics = optarg; break;
        case 'k': ckpt = optarg; break;
        case 'R': random_n = atoi(optarg); break;
        case 't': trees = atoi(optarg); if (trees < 1) return emg_usage_error("evaluate", "--trees >= 1"); break;
        case 'S': seed = strtoull(optarg, NULL, 10); break;
        case 'j': ctx->json = 1; break;
        case 'q': ctx->quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("evaluate", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return emg_usage_error("evaluate", "unexpected argument '%s'", argv[optind]);
    if (!gen || !corpus || !attrs || !out) return emg_usage_error("evaluate", "--generated, --corpus, --attributes and --out are required");
    char err[1024];
    int rc = 0;
    emg_attributes at;
    emg_corpus cp;
    if (emg_attributes_load(&at, attrs, err, sizeof err)) { if (ctx->rank == 0) fprintf(stderr, "emogen evaluate: %s\n", err); return 1; }
    if (emg_corpus_open(&cp, corpus, err, sizeof err)) { if (ctx->rank == 0) fprintf(stderr, "emogen evaluate: %s\n", err); emg_attributes_free(&at); return 1; }
    piece_set ps;
    int skipped = 0;
    err[0] = 0;
    if (load_generated(gen, at.n, &ps, &skipped, err, sizeof err) || ps.n == 0) {
        if (ctx->rank == 0) {
            if (err[0]) fprintf(stderr, "emogen evaluate: %s\n", err);
            else fprintf(stderr, "emogen evaluate: %s holds no evaluable piece (.json + .mid from emogen generate)\n", gen);
        }
        emg_corpus_close(&cp);
        emg_attributes_free(&at);
        free_set(&ps);
        return 1;
    }
    /* the classifier: all labelled pieces, all 1495 values */
    int64_t nl = 0;
    int64_t *rows = xmalloc((size_t)(cp.n_pieces ? cp.n_pieces : 1) * sizeof *rows);
    for (int64_t i = 0; i < cp.n_pieces; i++) if (cp.label[i] >= 0 && cp.features_ok[i]) rows[nl++] = i;
    if (nl < 8) {
        if (ctx->rank == 0) fprintf(stderr, "emogen evaluate: %s has %lld labelled pieces with features; the classifier needs more (extract --labels)\n", corpus, (long long)nl);
        free(rows); free_set(&ps); emg_corpus_close(&cp); emg_attributes_free(&at);
        return 1;
    }
    double *XL = xmalloc((size_t)nl * NV * sizeof *XL);
    emg_corpus_read_feature_rows(&cp, "pieces/features", rows, nl, XL);
    preprocess(XL, nl);
    int *yl = xmalloc((size_t)nl * sizeof *yl), *fold = xmalloc((size_t)nl * sizeof *fold), *cvpred = xmalloc((size_t)nl * sizeof *cvpred);
    int64_t *group = xmalloc((size_t)nl * sizeof *group);
    for (int64_t i = 0; i < nl; i++) {
        yl[i] = cp.label[rows[i]];
        /* song ids -> integers: the first piece with the same group string gives the id */
        group[i] = i;
        if (cp.group[rows[i]][0])
            for (int64_t j = 0; j < i; j++) if (!strcmp(cp.group[rows[j]], cp.group[rows[i]])) { group[i] = group[j]; break; }
    }
    emg_forest_opts fo;
    emg_forest_opts_default(&fo);
    fo.n_trees = trees;
    fo.seed = seed;
    emg_forest forest;
    double ceiling = NAN;
    long cm_ceiling[16] = {0}, cm_gen[16], cm_rand[16];
    cJSON *ceil_json = NULL;
    emg_status st = emg_cv_stratified_group_kfold(yl, group, nl, 5, 1, seed, fold);
    if (!st.code) st = emg_cv_forest_predict(XL, yl, nl, NV, 4, fold, 5, &fo, ctx->comm, cvpred, NULL, NULL, NULL);
    if (!st.code) ceil_json = emotion_json(yl, cvpred, (int)nl, cm_ceiling, &ceiling);
    if (!st.code) st = emg_forest_fit(XL, yl, nl, NV, 4, &fo, ctx->comm, &forest);
    if (st.code) {
        if (ctx->rank == 0) fprintf(stderr, "emogen evaluate: classifier: %s\n", st.msg);
        rc = 1;
        goto done;
    }
    double *per = xmalloc((size_t)at.n * sizeof *per);
    double ctrl = attribute_control(&at, &ps, per);
    double *XG = xmalloc((size_t)ps.n * NV * sizeof *XG);
    memcpy(XG, ps.X, (size_t)ps.n * NV * sizeof *XG);
    preprocess(XG, ps.n);
    int *pred = xmalloc((size_t)ps.n * sizeof *pred);
    emg_forest_predict(&forest, XG, ps.n, pred);
    double acc_gen = NAN;
    cJSON *gen_json = emotion_json(ps.emotion, pred, ps.n, cm_gen, &acc_gen);
    /* random-vector baseline */
    cJSON *rand_json = NULL;
    double ctrl_rand = NAN, acc_rand = NAN;
    double *per_rand = NULL;
    if (ckpt) {
        piece_set rs;
        random_baseline(ckpt, random_n > 0 ? random_n : ps.n, seed, &at, &rs, &rc);
        if (rs.n > 0) {
            per_rand = xmalloc((size_t)at.n * sizeof *per_rand);
            ctrl_rand = attribute_control(&at, &rs, per_rand);
            preprocess(rs.X, rs.n);
            int *rp = xmalloc((size_t)rs.n * sizeof *rp);
            emg_forest_predict(&forest, rs.X, rs.n, rp);
            rand_json = emotion_json(rs.emotion, rp, rs.n, cm_rand, &acc_rand);
            cJSON_AddNumberToObject(rand_json, "attribute_control", ctrl_rand);
            free(rp);
        }
        free_set(&rs);
    }
    if (ctx->rank == 0) {
        if (mkdir(out, 0755) != 0 && errno != EEXIST) FAIL("cannot create %s: %s", out, emg_errno_str());
        cJSON *rep = cJSON_CreateObject();
        cJSON_AddStringToObject(rep, "format", "emogen.evaluation");
        cJSON_AddNumberToObject(rep, "version", 1);
        cJSON_AddStringToObject(rep, "generated", gen);
        cJSON_AddNumberToObject(rep, "pieces", ps.n);
        cJSON_AddNumberToObject(rep, "skipped", skipped);
        cJSON_AddItemToObject(rep, "emotion", gen_json);
        cJSON *ac = cJSON_AddObjectToObject(rep, "attribute_control");
        cJSON_AddNumberToObject(ac, "mean", ctrl);
        cJSON *pa = cJSON_AddArrayToObject(ac, "per_attribute");
        for (int k = 0; k < at.n; k++) {
            cJSON *it = cJSON_CreateObject();
            cJSON_AddStringToObject(it, "name", at.name[k]);
            cJSON_AddNumberToObject(it, "index", at.index[k]);
            if (!isnan(per[k])) cJSON_AddNumberToObject(it, "accuracy", per[k]);
            if (per_rand && !isnan(per_rand[k])) cJSON_AddNumberToObject(it, "random_vectors", per_rand[k]);
            cJSON_AddItemToArray(pa, it);
        }
        cJSON *bl = cJSON_AddObjectToObject(rep, "baselines");
        if (ceil_json) { cJSON_AddItemToObject(bl, "labelled_pieces_grouped_cv", ceil_json); ceil_json = NULL; }
        if (rand_json) { cJSON_AddItemToObject(bl, "random_vectors", rand_json); rand_json = NULL; }
        cJSON *cls = cJSON_AddObjectToObject(rep, "classifier");
        cJSON_AddStringToObject(cls, "model", "random forest on all 1495 jSymbolic values (4-digit rounding, NaN -> 0)");
        cJSON_AddNumberToObject(cls, "trees", trees);
        cJSON_AddNumberToObject(cls, "labelled_pieces", (double)nl);
        char *js = cJSON_Print(rep);
        write_text(out, "report.json", js);
        if (ctx->json) { char *c1 = cJSON_PrintUnformatted(rep); printf("%s\n", c1); free(c1); }
        free(js);
        cJSON_Delete(rep);
        /* charts and the page */
        const char **labels = xmalloc((size_t)at.n * sizeof *labels);
        for (int k = 0; k < at.n; k++) labels[k] = at.name[k];
        char title[256];
        snprintf(title, sizeof title, "attribute control accuracy per attribute (mean %.3f; dashed: 0.5)", ctrl);
        char *svg_ctrl = emg_svg_bars(title, per, labels, at.n, 0.5);
        snprintf(title, sizeof title, "emotion of generated pieces (accuracy %.3f)", acc_gen);
        char *svg_cm = emg_svg_confusion(title, cm_gen, 4, QN);
        snprintf(title, sizeof title, "labelled pieces, grouped CV (ceiling %.3f)", ceiling);
        char *svg_ceil = emg_svg_confusion(title, cm_ceiling, 4, QN);
        char *svg_loss = loss_chart(metrics);
        write_text(out, "attribute_control.svg", svg_ctrl);
        write_text(out, "confusion.svg", svg_cm);
        write_text(out, "ceiling_confusion.svg", svg_ceil);
        if (svg_loss) write_text(out, "loss.svg", svg_loss);
        size_t cap = strlen(svg_ctrl) + strlen(svg_cm) + strlen(svg_ceil) + (svg_loss ? strlen(svg_loss) : 0) + 8192;
        char *html = xmalloc(cap);
        int w = snprintf(html, cap,
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>emogen evaluation</title>"
            "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}td,th{padding:4px 10px;text-align:right}"
            "table{border-collapse:collapse}tr:nth-child(even){background:#f4f4f4}</style></head><body>"
            "<h1>emogen evaluation</h1><p>%d generated pieces from <code>%s</code>%s.</p>"
            "<table><tr><th></th><th>emotion accuracy</th><th>attribute control</th></tr>"
            "<tr><td>generated (requested emotion)</td><td>%.3f</td><td>%.3f</td></tr>"
            "<tr><td>random attribute vectors</td><td>%s</td><td>%s</td></tr>"
            "<tr><td>labelled pieces (classifier ceiling, grouped CV)</td><td>%.3f</td><td></td></tr>"
            "<tr><td>chance</td><td>0.250</td><td>%.3f</td></tr></table>"
            "<h2>Attribute control</h2>%s<h2>Emotion</h2>%s %s%s%s"
            "<p>Classifier: a random forest (%d trees) on all 1495 jSymbolic values, fitted on %lld labelled pieces. "
            "Numbers in <code>report.json</code>.</p></body></html>\n",
            ps.n, gen, skipped ? " (some skipped: see the log)" : "", acc_gen, ctrl,
            isnan(acc_rand) ? "(use --checkpoint)" : "", isnan(ctrl_rand) ? "" : "", ceiling, 1.0 / at.buckets,
            svg_ctrl, svg_cm, svg_ceil, svg_loss ? "<h2>Training</h2>" : "", svg_loss ? svg_loss : "", trees, (long long)nl);
        if (!isnan(acc_rand)) {  /* fill the random row now that numbers exist */
            char row[256];
            snprintf(row, sizeof row, "<tr><td>random attribute vectors</td><td>%.3f</td><td>%.3f</td></tr>", acc_rand, ctrl_rand);
            char *p = strstr(html, "<tr><td>random attribute vectors</td>");
            char *q = p ? strstr(p, "</tr>") : NULL;
            if (p && q) {
                size_t tail = strlen(q + 5);
                char *rest = CHECK_PTR(strdup(q + 5));
                w = (int)(p - html) + snprintf(p, cap - (size_t)(p - html), "%s%s", row, rest);
                (void)tail;
                free(rest);
            }
        }
        (void)w;
        write_text(out, "index.html", html);
        free(html); free(svg_ctrl); free(svg_cm); free(svg_ceil); free(svg_loss); free(labels);
        if (!ctx->quiet) {
            fprintf(stderr, "evaluate: %d pieces: emotion accuracy %.3f", ps.n, acc_gen);
            for (int q = 0; q < 4; q++) {
                long t = 0;
                for (int p = 0; p < 4; p++) t += cm_gen[q * 4 + p];
                if (t) fprintf(stderr, " %s %.2f", QN[q], (double)cm_gen[q * 5] / (double)t);
            }
            fprintf(stderr, "; attribute control %.3f (chance %.3f)\n", ctrl, 1.0 / at.buckets);
            fprintf(stderr, "  baselines: labelled pieces (grouped CV) %.3f", ceiling);
            if (!isnan(acc_rand)) fprintf(stderr, "; random vectors: emotion %.3f, attribute control %.3f", acc_rand, ctrl_rand);
            fprintf(stderr, "\n  report: %s/index.html, %s/report.json\n", out, out);
        }
    }
    if (rand_json) cJSON_Delete(rand_json);
    if (ctx->rank != 0) cJSON_Delete(gen_json);
    free(per); free(per_rand); free(XG); free(pred);
    emg_forest_free(&forest);
done:
    if (ceil_json) cJSON_Delete(ceil_json);
    if (ctx->mpi) MPI_Bcast(&rc, 1, MPI_INT, 0, ctx->comm);
    free(rows); free(XL); free(yl); free(fold); free(cvpred); free(group);
    free_set(&ps);
    emg_corpus_close(&cp);
    emg_attributes_free(&at);
    return rc;
}
