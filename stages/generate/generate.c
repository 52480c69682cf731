/* generate.c: `emogen generate`: emotion -> attribute vector -> sampled tokens -> MIDI.
 *
 * Sampling is EmoGen's (fairseq): top-p 0.9 over the un-renormalised masked distribution,
 * temperature 1, eos masked before min_len, only eos at max_len, pad always masked. On top, the
 * REMIGEN2 grammar masks every token that could not follow (remi_grammar.h), so every generated
 * sequence decodes (EmoGen's sampler can emit <unk> or a d- without its p-, and then its decoder
 * fails). Decoding is incremental (linear attention's running sums): each token costs the same at
 * step 10 and step 1000. Piece i uses uniforms f(seed, i, step) from the counter-based RNG and is
 * generated on rank i % N: the output is the same for any rank count.
 */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "atomic_file.h"
#include "attributes.h"
#include "check.h"
#include "model_ckpt.h"
#include "cli.h"
#include "jsym.h"
#include "midi_write.h"
#include "model.h"
#include "model_decode.h"
#include "pianoroll_svg.h"
#include "piece_extract.h"
#include "remi_sample.h"
#include "remigen.h"
#include "rng.h"
#include "train_data.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SOUNDFONT "/usr/share/sounds/sf2/FluidR3_GM.sf2"

static void usage(FILE *out) {
    fprintf(out,
        "usage: [mpirun -np N] emogen generate --checkpoint CKPT.h5 -o DIR [-n COUNT] [--seed S]\n"
        "         (--emotions EMOTIONS.json --emotion Q1|Q2|Q3|Q4 | --attributes BITS | --like FILE.mid)\n"
        "         [--top-p 0.9] [--temperature 1.0] [--min-len 512] [--max-len 1280] [--render] [--json] [--quiet]\n\n"
        "Generate COUNT pieces (default 4) conditioned on an attribute vector: an emotion's row of\n"
        "emotions.json (from `emogen map`), an explicit vector BITS (one digit per attribute, '-' = unset),\n"
        "or the attributes of an existing piece (--like; uses the checkpoint's attributes.json).\n"
        "Per piece DIR/<name>.mid (type 1, 480 ticks per beat), .txt (tokens), .json (emotion, vector,\n"
        "seed, sampling settings, checkpoint checksum) and .svg (piano roll); --render also writes .wav\n"
        "with fluidsynth and the General MIDI soundfont when installed. Defaults are EmoGen's.\n");
}

static int render_wav(const char *mid, const char *wav) {
    pid_t pid = fork();
    if (pid == 0) {
        execlp("fluidsynth", "fluidsynth", "-ni", "-q", "-F", wav, "-r", "44100", SOUNDFONT, mid, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int parse_bits(const char *s, int A, int *bits, char *err, size_t n) {
    int k = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ',' || *p == ' ') continue;
        if (k == A) { snprintf(err, n, "--attributes has more than %d values", A); return -1; }
        if (*p == '-') bits[k++] = -1;
        else if (*p >= '0' && *p <= '9') bits[k++] = *p - '0';
        else { snprintf(err, n, "--attributes: '%c' is not a bucket digit or '-'", *p); return -1; }
    }
    if (k != A) { snprintf(err, n, "--attributes has %d values; the model has %d attributes", k, A); return -1; }
    return 0;
}

int cmd_generate(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"checkpoint", required_argument, 0, 'k'}, {"out", required_argument, 0, 'o'}, {"count", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 'S'}, {"emotions", required_argument, 0, 'e'}, {"emotion", required_argument, 0, 'E'},
        {"attributes", required_argument, 0, 'a'}, {"like", required_argument, 0, 'l'}, {"top-p", required_argument, 0, 'p'},
        {"temperature", required_argument, 0, 'T'}, {"min-len", required_argument, 0, 'm'}, {"max-len", required_argument, 0, 'M'},
        {"greedy", no_argument, 0, 'g'}, {"render", no_argument, 0, 'r'}, {"json", no_argument, 0, 'j'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *ckpt = NULL, *dir = NULL, *emotions = NULL, *emotion = NULL, *bits_arg = NULL, *like = NULL;
    long count = 4;
    uint64_t seed = 2023;  /* EmoGen's Piano_gen.sh seeds python/numpy/torch with 2023 */
    emg_sample_opts so = emg_sample_opts_emogen();
    int render = 0, c;
    while ((c = getopt_long(argc, argv, "k:o:n:S:e:E:a:l:p:T:m:M:grqh", opts, NULL)) != -1) {
        switch (c) {
        case 'k': ckpt = optarg; break;
        case 'o': dir = optarg; break;
        case 'n': count = atol(optarg); if (count < 1) return emg_usage_error("generate", "-n must be >= 1"); break;
        case 'S': seed = strtoull(optarg, NULL, 10); break;
        case 'e': emotions = optarg; break;
        case 'E': emotion = optarg; break;
        case 'a': bits_arg = optarg; break;
        case 'l': like = optarg; break;
        case 'p': so.top_p = atof(optarg); if (!(so.top_p > 0 && so.top_p <= 1)) return emg_usage_error("generate", "--top-p in (0, 1]"); break;
        case 'T': so.temperature = atof(optarg); if (!(so.temperature > 0)) return emg_usage_error("generate", "--temperature > 0"); break;
        case 'm': so.min_len = atol(optarg); break;
        case 'M': so.max_len = atol(optarg); if (so.max_len < 1) return emg_usage_error("generate", "--max-len >= 1"); break;
        case 'g': so.greedy = 1; break;
        case 'r': render = 1; break;
        case 'j': ctx->json = 1; break;
        case 'q': ctx->quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("generate", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return emg_usage_error("generate", "unexpected argument '%s'", argv[optind]);
    if (!ckpt || !dir) return emg_usage_error("generate", "--checkpoint and -o DIR are required");
    if ((emotion != NULL) + (bits_arg != NULL) + (like != NULL) != 1)
        return emg_usage_error("generate", "give exactly one of --emotion (with --emotions), --attributes, --like");
    if (emotion && !emotions) return emg_usage_error("generate", "--emotion needs --emotions EMOTIONS.json");
    char err[1024];
    emg_loaded_model lm;
    if (emg_model_load(&lm, ckpt, err, sizeof err)) {
        if (ctx->rank == 0) fprintf(stderr, "emogen generate: %s\n", err);
        return 1;
    }
    emg_model *m = lm.m;
    emg_model_config mc = m->cfg;
    const emg_vocab_map *vmp = &lm.vm;
    char *cfg_text = lm.config, *md5 = lm.md5;
    int rc = 0;
    /* the attribute vector */
    int A = mc.attr_num;
    int *bits = xmalloc((size_t)A * sizeof *bits);
    char label[64] = "custom";
    if (!rc && emotion) {
        char *text = emg_read_file(emotions, (size_t)64 << 20, NULL);
        cJSON *doc = text ? cJSON_Parse(text) : NULL;
        const cJSON *row = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "emotions"), emotion), "bits");
        if (!row || cJSON_GetArraySize(row) != A) {
            snprintf(err, sizeof err, "%s: no emotion %s with %d attribute values (emotions.json from `emogen map`)", emotions, emotion, A);
            rc = 1;
        } else {
            int k = 0;
            const cJSON *b;
            cJSON_ArrayForEach(b, row) bits[k++] = b->valueint;
            snprintf(label, sizeof label, "%s", emotion);
        }
        cJSON_Delete(doc);
        free(text);
    } else if (!rc && bits_arg) {
        rc = parse_bits(bits_arg, A, bits, err, sizeof err) ? 1 : 0;
    } else if (!rc && like) {
        cJSON *cfg = cfg_text ? cJSON_Parse(cfg_text) : NULL;
        const cJSON *ap = cJSON_GetObjectItemCaseSensitive(cfg, "attributes");
        emg_attributes at;
        size_t len = 0;
        char *midi = emg_read_file(like, (size_t)64 << 20, &len);
        if (!cJSON_IsString(ap) || emg_attributes_load(&at, ap->valuestring, err, sizeof err)) {
            if (!cJSON_IsString(ap)) snprintf(err, sizeof err, "%s: the checkpoint does not name its attributes.json", ckpt);
            rc = 1;
        } else if (!midi) {
            snprintf(err, sizeof err, "%s: cannot read: %s", like, emg_errno_str());
            rc = 1;
            emg_attributes_free(&at);
        } else {
            piece_worker pw;
            piece_worker_init(&pw, INT64_C(1) << 40, 0);  /* one segment: the whole piece, token-decoded */
            piece_result pr;
            piece_process(&pw, (const uint8_t *)midi, len, &pr);
            if (!pr.ok) { snprintf(err, sizeof err, "%s: %s: %s", like, pr.reason, pr.detail); rc = 1; }
            else if (at.n != A) { snprintf(err, sizeof err, "%s has %d attributes, the model %d", ap->valuestring, at.n, A); rc = 1; }
            else emg_attr_bits(&at, pr.seg_features, bits);
            piece_result_free(&pr);
            piece_worker_free(&pw);
            emg_attributes_free(&at);
            snprintf(label, sizeof label, "like");
        }
        free(midi);
        cJSON_Delete(cfg);
    }
    for (int k = 0; k < A && !rc; k++)
        if (bits[k] < -1 || bits[k] >= mc.attr_buckets) { snprintf(err, sizeof err, "attribute %d: bucket %d outside -1..%d", k, bits[k], mc.attr_buckets - 1); rc = 1; }
    if (rc) {
        if (ctx->rank == 0) fprintf(stderr, "emogen generate: %s\n", err);
        goto done;
    }
    if (ctx->rank == 0 && mkdir(dir, 0755) != 0 && errno != EEXIST) FAIL("cannot create %s: %s", dir, emg_errno_str());
    if (ctx->mpi) CHECK_MPI(MPI_Barrier(ctx->comm));
    int have_fluidsynth = render && access(SOUNDFONT, R_OK) == 0 && system("command -v fluidsynth >/dev/null 2>&1") == 0;
    if (render && !have_fluidsynth && ctx->rank == 0)
        emg_warn(ctx, "--render needs fluidsynth and the GM soundfont: apt-get install fluidsynth fluid-soundfont-gm (MIDI is written anyway)");

    emg_decoder *dec = emg_decoder_create(m, 1, bits);
    int32_t *toks = xmalloc((size_t)(so.max_len + 2) * sizeof *toks);
    emg_sample_scratch sc;
    emg_sample_scratch_init(&sc, mc.vocab);
    int64_t my_tokens = 0, my_pieces = 0, my_fail = 0;
    double t0 = MPI_Wtime(), my_seconds = 0;
    for (long i = ctx->rank; i < count; i += ctx->size) {
        double ts = MPI_Wtime();
        emg_decoder_reset(dec, bits);
        int64_t n = emg_remi_sample(dec, vmp, &so, seed, (uint64_t)i, toks, &sc);
        double secs = MPI_Wtime() - ts;
        my_seconds += secs;
        char base[4200], path[4300];
        snprintf(base, sizeof base, "%s/%s_%03ld", dir, label, i);
        /* tokens */
        char *text = xmalloc((size_t)n * EMG_REMI_TOKEN_MAX + 2);
        size_t tl = 0;
        for (int64_t k = 0; k < n; k++) {
            if (k) text[tl++] = ' ';
            tl += (size_t)emg_remi_token_str(toks[k], text + tl);
        }
        text[tl++] = '\n';
        snprintf(path, sizeof path, "%s.txt", base);
        emg_write_file_atomic(path, text, tl);
        free(text);
        /* MIDI + piano roll */
        emg_score s;
        emg_remi_decode_info info;
        emg_status st = emg_remi_decode(toks, (size_t)n, 0, &s, &info);
        size_t notes = 0;
        if (st.code) {
            emg_warn(ctx, "%s: generated tokens do not decode: %s", base, st.msg);
            my_fail++;
        } else {
            notes = s.n_notes;
            const char *names[EMG_REMI_N_INST + 1];
            char namebuf[(EMG_REMI_N_INST + 1) * 8];
            emg_remi_track_names(&s, namebuf, names);
            uint8_t *midi = NULL;
            size_t len = 0;
            if (emg_midi_write(&s, names, &midi, &len).code == 0) {
                snprintf(path, sizeof path, "%s.mid", base);
                if (emg_write_file_atomic(path, (const char *)midi, len)) FAIL("cannot write %s: %s", path, emg_errno_str());
                if (have_fluidsynth) {
                    char wav[4300];
                    snprintf(wav, sizeof wav, "%s.wav", base);
                    if (render_wav(path, wav)) emg_warn(ctx, "%s: fluidsynth failed", wav);
                }
            }
            free(midi);
            snprintf(path, sizeof path, "%s.svg", base);
            emg_pianoroll_svg(&s, base, path);
            emg_score_free(&s);
        }
        /* sidecar */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "emotion", emotion ? emotion : "");
        cJSON_AddStringToObject(o, "source", emotion ? emotions : bits_arg ? "--attributes" : like);
        cJSON_AddItemToObject(o, "attributes", cJSON_CreateIntArray(bits, A));
        cJSON_AddNumberToObject(o, "seed", (double)seed);
        cJSON_AddNumberToObject(o, "piece", (double)i);
        cJSON *sm = cJSON_AddObjectToObject(o, "sampling");
        cJSON_AddStringToObject(sm, "method", so.greedy ? "greedy" : "top_p");
        cJSON_AddNumberToObject(sm, "top_p", so.top_p);
        cJSON_AddNumberToObject(sm, "temperature", so.temperature);
        cJSON_AddNumberToObject(sm, "min_len", (double)so.min_len);
        cJSON_AddNumberToObject(sm, "max_len", (double)so.max_len);
        cJSON_AddBoolToObject(sm, "grammar_constrained", 1);
        cJSON_AddStringToObject(o, "checkpoint", ckpt);
        cJSON_AddStringToObject(o, "checkpoint_md5", md5);
        cJSON_AddNumberToObject(o, "tokens", (double)n);
        cJSON_AddNumberToObject(o, "notes", (double)notes);
        cJSON_AddNumberToObject(o, "seconds", secs);
        char *js = cJSON_Print(o);
        snprintf(path, sizeof path, "%s.json", base);
        emg_write_file_atomic(path, js, strlen(js));
        free(js);
        cJSON_Delete(o);
        my_tokens += n;
        my_pieces++;
    }
    int64_t loc[3] = {my_tokens, my_pieces, my_fail}, tot[3] = {my_tokens, my_pieces, my_fail};
    double secs_tot = my_seconds;
    if (ctx->mpi) {
        CHECK_MPI(MPI_Reduce(loc, tot, 3, MPI_INT64_T, MPI_SUM, 0, ctx->comm));
        CHECK_MPI(MPI_Reduce(&my_seconds, &secs_tot, 1, MPI_DOUBLE, MPI_SUM, 0, ctx->comm));
    }
    double wall = MPI_Wtime() - t0;
    if (ctx->rank == 0) {
        if (!ctx->quiet)
            fprintf(stderr, "generate: %lld pieces (%s), %lld tokens, %.1f tokens/s per rank (incremental decoding), %.1f s on %d ranks -> %s\n",
                    (long long)tot[1], label, (long long)tot[0], secs_tot > 0 ? (double)tot[0] / secs_tot : 0, wall, ctx->size, dir);
        if (ctx->json)
            printf("{\"pieces\":%lld,\"tokens\":%lld,\"undecodable\":%lld,\"tokens_per_s_per_rank\":%.2f,\"seconds\":%.3f,\"out\":\"%s\"}\n",
                   (long long)tot[1], (long long)tot[0], (long long)tot[2], secs_tot > 0 ? (double)tot[0] / secs_tot : 0, wall, dir);
        if (tot[2]) rc = 1;
    }
    free(toks);
    emg_sample_scratch_free(&sc);
    emg_decoder_free(dec);
done:
    if (ctx->mpi) MPI_Bcast(&rc, 1, MPI_INT, 0, ctx->comm);
    free(bits);
    emg_model_unload(&lm);
    return rc;
}
