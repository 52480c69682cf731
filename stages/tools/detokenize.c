/* detokenize.c: `emogen detokenize`: REMIGEN2 tokens -> a MIDI file, as EmoGen's interactive.py
 * turns generated tokens into music (MidiDecoder("REMIGEN2") then miditoolkit's dump()). */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "check.h"
#include "cli.h"
#include "midi_write.h"
#include "remigen.h"
#include "remigen_vocab.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: emogen detokenize [options] TOKENS.txt -o OUT.mid\n\n"
        "Decode REMIGEN2 tokens (space/newline separated, as EmoGen's remi/*.txt files and the model's\n"
        "output hold them) into a type-1 MIDI file at 480 ticks per quarter: defaults 4/4, 120 BPM,\n"
        "instrument 0; one track per instrument, named by its id, as EmoGen's decoder writes it.\n"
        "TOKENS may be '-' for stdin.\n\n"
        "options:\n"
        "  -o, --out FILE     the MIDI file to write (required)\n"
        "      --strict       stop at the first invalid token (not a REMIGEN2 token, a d- not right after\n"
        "                     a p-, a v- not right after a d-) and name its index: EmoGen's decoder raises\n"
        "                     there (the default)\n"
        "      --lenient      skip invalid tokens, count them, decode the rest\n"
        "      --ids          the input holds full-vocabulary ids (schemas/remigen2_vocab.md), not strings\n"
        "      --dict FILE    the input holds ids of this fairseq dictionary (<s> <pad> </s> <unk> = 0..3\n"
        "                     are invalid tokens)\n"
        "  -q, --quiet        no summary on stderr\n"
        "  -h, --help         this help\n");
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = xmalloc(cap);
    size_t r;
    while ((r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) p = xrealloc(p, cap *= 2);
    }
    int err = ferror(f);
    if (f != stdin) fclose(f);
    if (err) {
        free(p);
        return NULL;
    }
    *len = n;
    return p;
}

/* integers separated by whitespace -> full-vocabulary ids (dict: through its table); anything
 * else becomes -1 (an invalid token) */
static int32_t *parse_id_text(const char *t, size_t len, const emg_remi_dict *dict, size_t *n) {
    int32_t *ids = xmalloc((len / 2 + 1) * sizeof *ids);
    size_t k = 0, i = 0;
    while (i < len) {
        while (i < len && (t[i] == ' ' || (t[i] >= '\t' && t[i] <= '\r'))) i++;
        if (i >= len) break;
        long v = 0;
        int ok = 1;
        size_t b = i;
        while (i < len && !(t[i] == ' ' || (t[i] >= '\t' && t[i] <= '\r'))) {
            if (t[i] < '0' || t[i] > '9' || i - b > 9) ok = 0;
            else v = v * 10 + (t[i] - '0');
            i++;
        }
        int id = -1;
        if (ok && dict) id = v < dict->n ? dict->to_full[v] : -1;
        else if (ok) id = v < EMG_REMI_VOCAB_SIZE ? (int)v : -1;
        ids[k++] = id;
    }
    *n = k;
    return ids;
}

enum { OPT_STRICT = 1000, OPT_LENIENT, OPT_IDS, OPT_DICT };

int cmd_detokenize(emg_ctx *ctx, int argc, char **argv) {
    static const struct option longopts[] = {
        {"out", required_argument, 0, 'o'},       {"strict", no_argument, 0, OPT_STRICT},
        {"lenient", no_argument, 0, OPT_LENIENT}, {"ids", no_argument, 0, OPT_IDS},
        {"dict", required_argument, 0, OPT_DICT}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
    const char *out_path = NULL, *dict_path = NULL;
    int lenient = 0, as_ids = 0, c;
    while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case OPT_STRICT: lenient = 0; break;
        case OPT_LENIENT: lenient = 1; break;
        case OPT_IDS: as_ids = 1; break;
        case OPT_DICT: dict_path = optarg; break;
        case 'q': ctx->quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("detokenize", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return emg_usage_error("detokenize", optind == argc ? "no token file" : "one token file only");
    if (!out_path) return emg_usage_error("detokenize", "no output file: give -o OUT.mid");
    const char *in_path = argv[optind];

    emg_remi_dict dict;
    if (dict_path) {
        emg_status st = emg_remi_dict_load(&dict, dict_path);
        if (st.code) {
            fprintf(stderr, "emogen detokenize: %s\n", st.msg);
            return 1;
        }
    }
    size_t len = 0;
    char *text = read_all(in_path, &len);
    if (!text) {
        fprintf(stderr, "emogen detokenize: %s: cannot read: %s\n", in_path, strerror(errno));
        if (dict_path) emg_remi_dict_free(&dict);
        return 1;
    }
    emg_score sc;
    emg_remi_decode_info info;
    emg_status st;
    if (as_ids || dict_path) {
        size_t n;
        int32_t *ids = parse_id_text(text, len, dict_path ? &dict : NULL, &n);
        st = emg_remi_decode(ids, n, lenient, &sc, &info);
        free(ids);
    } else {
        st = emg_remi_decode_text(text, len, lenient, &sc, &info);
    }
    free(text);
    if (dict_path) emg_remi_dict_free(&dict);
    if (st.code) {
        fprintf(stderr, "emogen detokenize: %s: %s\n", in_path, st.msg);
        return 1;
    }
    char names_buf[4 * EMG_REMI_N_INST];
    const char *names[EMG_REMI_N_INST];
    emg_remi_track_names(&sc, names_buf, names);
    uint8_t *midi = NULL;
    size_t midi_len = 0;
    st = emg_midi_write(&sc, names, &midi, &midi_len);
    size_t n_notes = sc.n_notes, n_insts = sc.n_insts;
    emg_score_free(&sc);
    if (st.code) {
        fprintf(stderr, "emogen detokenize: %s: cannot write MIDI: %s\n", in_path, st.msg);
        return 1;
    }
    FILE *f = fopen(out_path, "wb");
    if (!f) {
        fprintf(stderr, "emogen detokenize: cannot create %s: %s\n", out_path, strerror(errno));
        free(midi);
        return 1;
    }
    CHECK_IO(fwrite(midi, 1, midi_len, f), midi_len);
    if (fclose(f)) FAIL("cannot write %s: %s", out_path, strerror(errno));
    free(midi);
    emg_info(ctx, "detokenize: %zu tokens -> %zu notes in %zu instrument(s), %s\n", info.n_tokens, n_notes,
             n_insts, out_path);
    if (info.n_skipped)
        emg_info(ctx, "detokenize: skipped %zu invalid token(s), the first at index %ld\n", info.n_skipped,
                 info.first_bad);
    return 0;
}
