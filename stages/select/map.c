/* map.c: `emogen map`: each emotion (quadrant Q1..Q4) -> an attribute vector.
 *
 * EmoGen: "compute attribute centres in four quadrants on the EMOPIA dataset and select the closest
 * attribute vector to the centre in each quadrant". The rule that picked its four published clips is
 * not known (see EMOGEN_SPEC.md section 3); the methods here are the documented variants:
 *   closest  z-normalise the attribute values over the labelled pieces, per quadrant take the centre,
 *            and use the bucket vector of the labelled piece nearest to it (Euclidean);
 *   center   bucket the centre itself (in raw units);
 *   kmeans   k-means++ (seeded) inside each quadrant; the piece nearest the largest cluster's centre;
 *   emogen   EmoGen's published table (needs EmoGen's 100 attributes, e.g. `emogen select --emogen`).
 * A piece's attribute values are those of its last segment's token-decoded MIDI (what EmoGen's table
 * describes and what the model is conditioned on); --features whole uses the original MIDI instead.
 */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "atomic_file.h"
#include "attributes.h"
#include "check.h"
#include "cli.h"
#include "corpus_read.h"
#include "emogen_published.h"
#include "jsym.h"
#include "rng.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: [mpirun -np N] emogen map --corpus CORPUS.h5 --attributes ATTRIBUTES.json --out EMOTIONS.json\n"
        "                                  [--method closest|center|kmeans|emogen] [--k K] [--seed S]\n"
        "                                  [--features segment|whole] [--json] [--quiet]\n\n"
        "Give each emotion (Q1..Q4) an attribute vector, from the labelled pieces of the corpus.\n"
        "  closest (default)  the labelled piece nearest its quadrant's centre (z-normalised, Euclidean)\n"
        "  center             the bucketed centre itself\n"
        "  kmeans             k-means++ per quadrant (--k, default 3, --seed); the piece nearest the\n"
        "                     largest cluster's centre\n"
        "  emogen             EmoGen's published table (needs EmoGen's 100 attributes)\n"
        "--features: attribute values of each piece's last segment (decoded from its tokens, default) or\n"
        "of the whole original MIDI. The output names the chosen piece per quadrant and, when the\n"
        "attributes are EmoGen's, how many bits agree with EmoGen's table. Rank 0 does the work.\n");
}

typedef struct { int method, k, use_whole; uint64_t seed; } map_opts;
enum { M_CLOSEST, M_CENTER, M_KMEANS, M_EMOGEN };
static const char *method_name[] = {"closest", "center", "kmeans", "emogen"};

/* column of EmoGen's table holding jSymbolic value `index`, or -1 */
static int emogen_column(int index) {
    for (int c = 0; c < EMG_EMOGEN_NATTR; c++) if (emg_emogen_feature_index[c] == index) return c;
    return -1;
}

static double sqdist(const double *a, const double *b, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s;
}

/* k-means++ then Lloyd on rows z[idx[0..n)] (A columns); returns the index (into idx) of the row
 * nearest the centre of the largest cluster */
static int64_t kmeans_pick(const double *z, const int64_t *idx, int64_t n, int A, int k, uint64_t seed, int q) {
    if (k > n) k = (int)n;
    double *cent = xcalloc((size_t)k * (size_t)A, sizeof *cent), *d2 = xmalloc((size_t)n * sizeof *d2);
    int *asg = xcalloc((size_t)n, sizeof *asg);
    emg_rng r = emg_rng_make(seed, 0x6b6d65616e73ull + (uint64_t)q);  /* stream per quadrant */
    int64_t first = (int64_t)emg_rng_next_below(&r, (uint64_t)n);
    memcpy(cent, z + idx[first] * A, (size_t)A * sizeof *cent);
    for (int c = 1; c < k; c++) {  /* next centre with probability proportional to squared distance */
        double tot = 0;
        for (int64_t i = 0; i < n; i++) {
            double best = INFINITY;
            for (int j = 0; j < c; j++) { double d = sqdist(z + idx[i] * A, cent + j * A, A); if (d < best) best = d; }
            d2[i] = best;
            tot += best;
        }
        double u = emg_rng_next_uniform(&r) * tot, acc = 0;
        int64_t pick = n - 1;
        for (int64_t i = 0; i < n; i++) { acc += d2[i]; if (acc > u) { pick = i; break; } }
        memcpy(cent + c * A, z + idx[pick] * A, (size_t)A * sizeof *cent);
    }
    for (int it = 0; it < 300; it++) {
        int changed = 0;
        for (int64_t i = 0; i < n; i++) {
            int best = 0;
            double bd = INFINITY;
            for (int j = 0; j < k; j++) { double d = sqdist(z + idx[i] * A, cent + j * A, A); if (d < bd) { bd = d; best = j; } }
            if (asg[i] != best || it == 0) changed += asg[i] != best;
            asg[i] = best;
        }
        memset(cent, 0, (size_t)k * (size_t)A * sizeof *cent);
        int64_t *cnt = xcalloc((size_t)k, sizeof *cnt);
        for (int64_t i = 0; i < n; i++) {
            cnt[asg[i]]++;
            for (int a = 0; a < A; a++) cent[asg[i] * A + a] += z[idx[i] * A + a];
        }
        for (int j = 0; j < k; j++) for (int a = 0; a < A; a++) if (cnt[j]) cent[j * A + a] /= (double)cnt[j];
        free(cnt);
        if (!changed && it > 0) break;
    }
    int64_t *cnt = xcalloc((size_t)k, sizeof *cnt);
    for (int64_t i = 0; i < n; i++) cnt[asg[i]]++;
    int big = 0;
    for (int j = 1; j < k; j++) if (cnt[j] > cnt[big]) big = j;
    int64_t best = 0;
    double bd = INFINITY;
    for (int64_t i = 0; i < n; i++) {
        if (asg[i] != big) continue;
        double d = sqdist(z + idx[i] * A, cent + big * A, A);
        if (d < bd) { bd = d; best = i; }
    }
    free(cent); free(d2); free(asg); free(cnt);
    return best;
}

static int run_map(const char *corpus_path, const char *attr_path, const char *out, const map_opts *o, int quiet, int json) {
    char err[1024];
    emg_attributes at;
    if (emg_attributes_load(&at, attr_path, err, sizeof err)) { fprintf(stderr, "emogen map: %s\n", err); return 1; }
    int A = at.n;
    /* EmoGen's table, when the attributes are EmoGen's 100 */
    int *ecol = xmalloc((size_t)A * sizeof *ecol), is_emogen = A == EMG_EMOGEN_NATTR;
    for (int k = 0; k < A; k++) { ecol[k] = emogen_column(at.index[k]); is_emogen &= ecol[k] >= 0; }
    if (o->method == M_EMOGEN && !is_emogen) {
        fprintf(stderr, "emogen map: --method emogen needs EmoGen's 100 attributes (%s has %d attributes%s); "
                "make them with `emogen select --emogen`\n", attr_path, A, A == 100 ? ", not EmoGen's" : "");
        emg_attributes_free(&at);
        free(ecol);
        return 1;
    }
    const char *qn[4] = {"Q1", "Q2", "Q3", "Q4"};
    int *bits = xcalloc((size_t)4 * (size_t)A, sizeof *bits);
    char *piece[4] = {0};
    double dist[4] = {NAN, NAN, NAN, NAN};
    int64_t nq[4] = {0};
    emg_corpus c;
    memset(&c, 0, sizeof c);
    c.file = -1;
    int rc = 0;
    if (o->method == M_EMOGEN) {
        for (int q = 0; q < 4; q++) {
            for (int k = 0; k < A; k++) bits[q * A + k] = emg_emogen_vectors[q][ecol[k]] == '1';
            piece[q] = CHECK_PTR(strdup("EmoGen's published table (inference_command.npy)"));
        }
    } else {
        if (emg_corpus_open(&c, corpus_path, err, sizeof err)) { fprintf(stderr, "emogen map: %s\n", err); rc = 1; goto done; }
        /* the labelled pieces and the feature row of each */
        int64_t nl = 0;
        int64_t *lab = xmalloc((size_t)(c.n_pieces ? c.n_pieces : 1) * sizeof *lab);
        int64_t *rows = xmalloc((size_t)(c.n_pieces ? c.n_pieces : 1) * sizeof *rows);
        for (int64_t i = 0; i < c.n_pieces; i++) {
            if (c.label[i] < 0) continue;
            int64_t row = -1;
            if (o->use_whole) row = c.features_ok[i] ? i : -1;
            else for (int64_t s = c.seg_off[i] + c.seg_cnt[i] - 1; s >= c.seg_off[i]; s--) if (c.seg_valid[s]) { row = s; break; }
            if (row < 0) continue;
            lab[nl] = i;
            rows[nl++] = row;
            nq[c.label[i]]++;
        }
        if (nl == 0) { fprintf(stderr, "emogen map: %s has no labelled pieces with features (extract with --labels)\n", corpus_path); rc = 1; }
        for (int q = 0; q < 4 && !rc; q++)
            if (!nq[q]) { fprintf(stderr, "emogen map: %s has no labelled piece in %s: cannot map that emotion\n", corpus_path, qn[q]); rc = 1; }
        if (rc) { free(lab); free(rows); goto done; }
        double *F = xmalloc((size_t)nl * EMG_JSYM_NVALUES * sizeof *F);
        /* rows may be unsorted across pieces only when whole/segment rows interleave: they are sorted here */
        emg_corpus_read_feature_rows(&c, o->use_whole ? "pieces/features" : "segments/features", rows, nl, F);
        double *raw = xmalloc((size_t)nl * (size_t)A * sizeof *raw), *z = xmalloc((size_t)nl * (size_t)A * sizeof *z);
        for (int64_t i = 0; i < nl; i++)
            for (int k = 0; k < A; k++) raw[i * A + k] = emg_attr_value(&at, F[i * EMG_JSYM_NVALUES + at.index[k]]);
        for (int k = 0; k < A; k++) {  /* z-normalise over the labelled pieces (constant attributes -> 0) */
            double mean = 0, var = 0;
            for (int64_t i = 0; i < nl; i++) mean += raw[i * A + k];
            mean /= (double)nl;
            for (int64_t i = 0; i < nl; i++) var += (raw[i * A + k] - mean) * (raw[i * A + k] - mean);
            double sd = sqrt(var / (double)nl);
            for (int64_t i = 0; i < nl; i++) z[i * A + k] = sd > 0 && isfinite(sd) ? (raw[i * A + k] - mean) / sd : 0.0;
        }
        double *cz = xmalloc((size_t)A * sizeof *cz), *craw = xmalloc((size_t)A * sizeof *craw);
        int64_t *idx = xmalloc((size_t)nl * sizeof *idx);
        for (int q = 0; q < 4; q++) {
            int64_t n = 0;
            for (int64_t i = 0; i < nl; i++) if (c.label[lab[i]] == q) idx[n++] = i;
            for (int k = 0; k < A; k++) {
                double sz = 0, sr = 0;
                for (int64_t j = 0; j < n; j++) { sz += z[idx[j] * A + k]; sr += raw[idx[j] * A + k]; }
                cz[k] = sz / (double)n;
                craw[k] = sr / (double)n;
            }
            int64_t pick = -1;
            if (o->method == M_CENTER) {
                for (int k = 0; k < A; k++) {
                    /* the centre is already in bucketing units: compare with thresholds directly */
                    const double *t = at.thresholds + (size_t)k * (size_t)(at.buckets - 1);
                    int b = 0;
                    while (b < at.buckets - 1 && t[b] < craw[k]) b++;
                    bits[q * A + k] = b;
                }
                piece[q] = CHECK_PTR(strdup("(the centre of the quadrant)"));
                continue;
            } else if (o->method == M_KMEANS) {
                pick = idx[kmeans_pick(z, idx, n, A, o->k, o->seed, q)];
            } else {
                double bd = INFINITY;
                for (int64_t j = 0; j < n; j++) {
                    double d = sqdist(z + idx[j] * A, cz, A);
                    if (d < bd) { bd = d; pick = idx[j]; }
                }
            }
            dist[q] = sqrt(sqdist(z + pick * A, cz, A));
            for (int k = 0; k < A; k++) bits[q * A + k] = emg_attr_bucket(&at, k, F[pick * EMG_JSYM_NVALUES + at.index[k]]);
            piece[q] = CHECK_PTR(strdup(c.member[lab[pick]]));
        }
        free(F); free(raw); free(z); free(cz); free(craw); free(idx); free(lab); free(rows);
    }
    {
        cJSON *o_json = cJSON_CreateObject();
        cJSON_AddStringToObject(o_json, "format", "emogen.emotions");
        cJSON_AddNumberToObject(o_json, "version", 1);
        cJSON_AddStringToObject(o_json, "method", method_name[o->method]);
        cJSON_AddStringToObject(o_json, "features", o->use_whole ? "whole" : "segment");
        cJSON_AddStringToObject(o_json, "attributes", attr_path);
        cJSON_AddStringToObject(o_json, "corpus", corpus_path ? corpus_path : "");
        if (o->method == M_KMEANS) { cJSON_AddNumberToObject(o_json, "k", o->k); cJSON_AddNumberToObject(o_json, "seed", (double)o->seed); }
        cJSON *em = cJSON_AddObjectToObject(o_json, "emotions");
        cJSON *agree = is_emogen ? cJSON_CreateObject() : NULL;
        for (int q = 0; q < 4; q++) {
            cJSON *e = cJSON_AddObjectToObject(em, qn[q]);
            cJSON_AddItemToObject(e, "bits", cJSON_CreateIntArray(bits + q * A, A));
            cJSON_AddStringToObject(e, "piece", piece[q]);
            if (!isnan(dist[q])) cJSON_AddNumberToObject(e, "distance", dist[q]);
            if (o->method != M_EMOGEN) cJSON_AddNumberToObject(e, "labelled_pieces", (double)nq[q]);
            if (agree) {
                int a = 0;
                for (int k = 0; k < A; k++) a += bits[q * A + k] == (emg_emogen_vectors[q][ecol[k]] == '1');
                cJSON_AddNumberToObject(agree, qn[q], a);
            }
        }
        if (agree) cJSON_AddItemToObject(o_json, "agreement_with_emogen", agree);
        char *text = cJSON_Print(o_json);
        size_t len = strlen(text);
        text = xrealloc(text, len + 2);
        text[len] = '\n';
        text[len + 1] = 0;
        if (emg_write_file_atomic(out, text, len + 1)) { fprintf(stderr, "emogen map: cannot write %s: %s\n", out, emg_errno_str()); rc = 1; }
        if (!quiet) {
            fprintf(stderr, "map (%s, %s features):\n", method_name[o->method], o->use_whole ? "whole-piece" : "last-segment");
            for (int q = 0; q < 4; q++) {
                int ones = 0;
                for (int k = 0; k < A; k++) ones += bits[q * A + k] > 0;
                fprintf(stderr, "  %s: %s (%d of %d attributes above their first threshold)", qn[q], piece[q], ones, A);
                if (agree) fprintf(stderr, ", %d/%d bits as EmoGen's row", cJSON_GetObjectItem(agree, qn[q])->valueint, A);
                fprintf(stderr, "\n");
            }
            fprintf(stderr, "  -> %s\n", out);
        }
        if (json) {
            char *t = cJSON_PrintUnformatted(o_json);
            printf("%s\n", t);
            free(t);
        }
        free(text);
        cJSON_Delete(o_json);
    }
done:
    for (int q = 0; q < 4; q++) free(piece[q]);
    free(bits);
    free(ecol);
    if (c.file >= 0) emg_corpus_close(&c);
    emg_attributes_free(&at);
    return rc;
}

int cmd_map(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"corpus", required_argument, 0, 'C'}, {"attributes", required_argument, 0, 'a'}, {"out", required_argument, 0, 'o'},
        {"method", required_argument, 0, 'm'}, {"k", required_argument, 0, 'k'}, {"seed", required_argument, 0, 'S'},
        {"features", required_argument, 0, 'f'}, {"quiet", no_argument, 0, 'q'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *corpus = NULL, *attrs = NULL, *out = NULL;
    map_opts o = {M_CLOSEST, 3, 0, 2022};
    int c;
    while ((c = getopt_long(argc, argv, "C:a:o:m:k:S:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'C': corpus = optarg; break;
        case 'a': attrs = optarg; break;
        case 'o': out = optarg; break;
        case 'm':
            o.method = -1;
            for (int m = 0; m < 4; m++) if (!strcmp(optarg, method_name[m])) o.method = m;
            if (o.method < 0) return emg_usage_error("map", "--method %s: expected closest, center, kmeans or emogen", optarg);
            break;
        case 'k': o.k = atoi(optarg); if (o.k < 1) return emg_usage_error("map", "--k must be >= 1"); break;
        case 'S': o.seed = strtoull(optarg, NULL, 10); break;
        case 'f':
            if (!strcmp(optarg, "whole")) o.use_whole = 1;
            else if (!strcmp(optarg, "segment")) o.use_whole = 0;
            else return emg_usage_error("map", "--features %s: expected segment or whole", optarg);
            break;
        case 'q': ctx->quiet = 1; break;
        case 'j': ctx->json = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("map", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return emg_usage_error("map", "unexpected argument '%s'", argv[optind]);
    if (!attrs || !out || (!corpus && o.method != M_EMOGEN))
        return emg_usage_error("map", "--corpus, --attributes and --out are required (--corpus is optional with --method emogen)");
    int rc = 0;
    if (ctx->rank == 0) rc = run_map(corpus, attrs, out, &o, ctx->quiet, ctx->json);
    if (ctx->mpi) MPI_Bcast(&rc, 1, MPI_INT, 0, ctx->comm);
    return rc;
}
