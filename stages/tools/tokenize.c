/* tokenize.c: `emogen tokenize`: MIDI files -> REMIGEN2 tokens, as EmoGen's midi_encoding.py
 * writes them (one line of space-separated tokens per file). Rules: docs/remigen2.md. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "check.h"
#include "cli.h"
#include "midi_read.h"
#include "remigen.h"
#include "remigen_vocab.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: emogen tokenize [options] FILE.mid\n"
        "       emogen tokenize [options] -o DIR FILE.mid... | --list PATHS.txt\n\n"
        "Encode MIDI files with EmoGen's REMIGEN2 tokenizer (MidiProcessor v0.1.5 on miditoolkit 0.1.16,\n"
        "remove_empty_bars=True). One file: its tokens on one line on stdout. With -o: one DIR/NAME.txt per\n"
        "input (NAME = the file name without .mid/.midi), laid out as EmoGen's data/<set>/remi/*.txt\n"
        "(the token line, then an empty line). A file that cannot be encoded is named on stderr with the\n"
        "reason; a batch goes on and lists the rejected files at the end (exit 1 if any).\n\n"
        "options:\n"
        "  -o, --out-dir DIR    write DIR/NAME.txt per input (needed for more than one input)\n"
        "  -l, --list FILE      read input paths from FILE, one per line (blank lines and # comments skipped)\n"
        "      --tree ROOT      with -o: inputs under ROOT keep their folders below it (DIR/a/b/NAME.txt);\n"
        "                       by default every output is DIR/NAME.txt, and a second input with the same\n"
        "                       NAME is rejected rather than overwriting the first\n"
        "      --ids            print token ids instead of strings: full-vocabulary ids\n"
        "                       (schemas/remigen2_vocab.md), or with --dict that dictionary's ids\n"
        "      --dict FILE      fairseq dictionary (dict_Piano.txt, dict_TopMAGD.txt) for --ids; tokens it\n"
        "                       lacks become <unk> (3), as in EmoGen's binarisation\n"
        "      --strict         read MIDI strictly: reject every file mido 1.2.10 / miditoolkit 0.1.16 reject\n"
        "                       (EmoGen's own behaviour) and every container defect; default: lenient repairs\n"
        "      --max-tokens N   reject files longer than N tokens (default %u)\n"
        "  -q, --quiet          no summary on stderr\n"
        "  -h, --help           this help\n",
        EMG_REMI_DEFAULT_MAX_TOKENS);
}

/* growable byte buffer, reused for every file */
typedef struct { char *p; size_t n, cap; } buf_t;

static void buf_reserve(buf_t *b, size_t n) {
    if (n <= b->cap) return;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < n) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

/* read a whole file into b; 0 ok, else errno */
static int read_file(const char *path, buf_t *b) {
    FILE *f = fopen(path, "rb");
    if (!f) return errno ? errno : EIO;
    b->n = 0;
    for (;;) {
        buf_reserve(b, b->n + (1 << 16));
        size_t r = fread(b->p + b->n, 1, b->cap - b->n, f);
        b->n += r;
        if (r == 0) break;
    }
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    return err;
}

/* mkdir -p; 0 ok */
static int make_dirs(const char *path) {
    char *p = xmalloc(strlen(path) + 1);
    strcpy(p, path);
    for (char *c = p + 1;; c++) {
        if (*c == '/' || *c == 0) {
            char save = *c;
            *c = 0;
            if (mkdir(p, 0777) && errno != EEXIST) { free(p); return -1; }
            *c = save;
            if (!save) break;
        }
    }
    free(p);
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* the list of inputs: argv entries and --list lines */
typedef struct { char **v; size_t n, cap; } strlist;

static void strlist_add(strlist *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    size_t len = strlen(s);
    l->v[l->n] = xmalloc(len + 1);
    memcpy(l->v[l->n++], s, len + 1);
}

static void strlist_free(strlist *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int read_list(const char *path, strlist *l) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0 || line[0] == '#') continue;
        strlist_add(l, line);
    }
    free(line);
    fclose(f);
    return 0;
}

/* DIR/NAME.txt for an input path: the base name with a .mid/.midi (any case) ending removed; with
 * a tree root, the path below the root is kept (DIR/sub/dir/NAME.txt) when the input is under it */
static char *out_path(const char *dir, const char *tree, const char *in) {
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    if (tree) {
        size_t tl = strlen(tree);
        while (tl > 1 && tree[tl - 1] == '/') tl--;
        const char *rel = in + tl + 1;
        /* below the root, and without a ".." component that would leave DIR */
        if (!strncmp(in, tree, tl) && in[tl] == '/' && strncmp(rel, "../", 3) && !strstr(rel, "/../")) base = rel;
    }
    size_t bl = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && !strchr(dot, '/') && (!strcasecmp(dot, ".mid") || !strcasecmp(dot, ".midi")))
        bl = (size_t)(dot - base);
    size_t n = strlen(dir) + 1 + bl + 5;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%.*s.txt", dir, (int)bl, base);
    return p;
}

/* a set of output paths already written, so that two inputs with one base name do not silently
 * overwrite each other (open addressing on an FNV-1a hash) */
typedef struct { char **slot; size_t cap, n; } nameset;

static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* 1 if added, 0 if already present (then p is not taken) */
static int nameset_add(nameset *s, char *p) {
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        char **slot = xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i]) continue;
            size_t j = fnv1a(s->slot[i]) & (cap - 1);
            while (slot[j]) j = (j + 1) & (cap - 1);
            slot[j] = s->slot[i];
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    size_t j = fnv1a(p) & (s->cap - 1);
    for (; s->slot[j]; j = (j + 1) & (s->cap - 1))
        if (!strcmp(s->slot[j], p)) return 0;
    s->slot[j] = p;
    s->n++;
    return 1;
}

static void nameset_free(nameset *s) {
    for (size_t i = 0; i < s->cap; i++) free(s->slot[i]);
    free(s->slot);
}

/* token text of one file into out (ids or strings), ending "\n" */
static void format_tokens(const uint16_t *ids, size_t n, int as_ids, const emg_remi_dict *dict, buf_t *out) {
    buf_reserve(out, n * 8 + 16);
    size_t len = 0;
    if (!as_ids) {
        len = emg_remi_format(ids, n, out->p);
    } else {
        for (size_t i = 0; i < n; i++) {
            int v = dict ? dict->from_full[ids[i]] : ids[i];
            len += (size_t)snprintf(out->p + len, 8, i ? " %d" : "%d", v);
        }
    }
    out->p[len++] = '\n';
    out->n = len;
}

enum { OPT_IDS = 1000, OPT_DICT, OPT_STRICT, OPT_MAX_TOKENS, OPT_TREE };

int cmd_tokenize(emg_ctx *ctx, int argc, char **argv) {
    static const struct option longopts[] = {
        {"out-dir", required_argument, 0, 'o'}, {"list", required_argument, 0, 'l'},
        {"ids", no_argument, 0, OPT_IDS},       {"dict", required_argument, 0, OPT_DICT},
        {"strict", no_argument, 0, OPT_STRICT}, {"max-tokens", required_argument, 0, OPT_MAX_TOKENS},
        {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
        {"tree", required_argument, 0, OPT_TREE},
        {0, 0, 0, 0}};
    const char *out_dir = NULL, *dict_path = NULL, *tree = NULL;
    int as_ids = 0, strict = 0, c;
    emg_remi_opts ropts = {0};
    strlist inputs = {0};
    while ((c = getopt_long(argc, argv, "o:l:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out_dir = optarg; break;
        case 'l':
            if (read_list(optarg, &inputs)) {
                fprintf(stderr, "emogen tokenize: cannot read list %s: %s\n", optarg, strerror(errno));
                strlist_free(&inputs);
                return 1;
            }
            break;
        case OPT_IDS: as_ids = 1; break;
        case OPT_DICT: dict_path = optarg; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_TREE: tree = optarg; break;
        case OPT_MAX_TOKENS: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || end == optarg || errno || v == 0 || v > (1ull << 32)) {
                strlist_free(&inputs);
                return emg_usage_error("tokenize", "--max-tokens wants a number in 1..2^32, not '%s'", optarg);
            }
            ropts.max_tokens = (size_t)v;
            break;
        }
        case 'q': ctx->quiet = 1; break;
        case 'h': usage(stdout); strlist_free(&inputs); return 0;
        default:
            strlist_free(&inputs);
            return emg_usage_error("tokenize", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    for (int a = optind; a < argc; a++) strlist_add(&inputs, argv[a]);
    if (inputs.n == 0) {
        strlist_free(&inputs);
        return emg_usage_error("tokenize", "no input file");
    }
    if (inputs.n > 1 && !out_dir) {
        strlist_free(&inputs);
        return emg_usage_error("tokenize", "%zu inputs: give -o DIR for one token file per input", inputs.n);
    }
    if (dict_path && !as_ids) {
        strlist_free(&inputs);
        return emg_usage_error("tokenize", "--dict only applies with --ids");
    }
    emg_remi_dict dict_store, *dict = NULL;
    if (dict_path) {
        emg_status st = emg_remi_dict_load(&dict_store, dict_path);
        if (st.code) {
            fprintf(stderr, "emogen tokenize: %s\n", st.msg);
            strlist_free(&inputs);
            return 1;
        }
        dict = &dict_store;
    }

    if (out_dir && make_dirs(out_dir)) {
        fprintf(stderr, "emogen tokenize: cannot create %s: %s\n", out_dir, strerror(errno));
        if (dict) emg_remi_dict_free(dict);
        strlist_free(&inputs);
        return 1;
    }
    emg_remi_encoder enc;
    emg_remi_encoder_init(&enc);
    emg_midi_opts mopts = {.strict = strict};
    buf_t in = {0}, text = {0};
    strlist rejects = {0};
    nameset written = {0};
    size_t n_ok = 0, n_tokens = 0;
    double t0 = emg_now();
    char reason[512];
    const int batch = inputs.n > 1 || out_dir;
    for (size_t i = 0; i < inputs.n; i++) {
        const char *path = inputs.v[i];
        reason[0] = 0;
        int err = read_file(path, &in);
        if (err) {
            snprintf(reason, sizeof reason, "cannot read: %s", strerror(err));
        } else {
            emg_score sc;
            emg_status st = emg_midi_read((const uint8_t *)in.p, in.n, &mopts, &sc);
            if (st.code) {
                snprintf(reason, sizeof reason, "MIDI: %s", st.msg);
            } else {
                const uint16_t *ids;
                size_t n;
                st = emg_remi_encode(&enc, &sc, &ropts, &ids, &n);
                emg_score_free(&sc);
                if (st.code) {
                    snprintf(reason, sizeof reason, "REMIGEN2: %s", st.msg);
                } else {
                    format_tokens(ids, n, as_ids, dict, &text);
                    if (!out_dir) {
                        CHECK_IO(fwrite(text.p, 1, text.n, stdout), text.n);
                    } else {
                        char *op = out_path(out_dir, tree, path);
                        if (!nameset_add(&written, op)) {
                            snprintf(reason, sizeof reason, "output %s was already written for another input",
                                     op);
                            free(op);
                        } else {
                            char *slash = strrchr(op, '/');
                            if (tree && slash) {  /* the output's own folder */
                                *slash = 0;
                                int bad = make_dirs(op);
                                *slash = '/';
                                if (bad) FAIL("cannot create the folder of %s: %s", op, strerror(errno));
                            }
                            FILE *f = fopen(op, "wb");
                            if (!f) FAIL("cannot create %s: %s", op, strerror(errno));
                            CHECK_IO(fwrite(text.p, 1, text.n, f), text.n);
                            CHECK_IO(fwrite("\n", 1, 1, f), 1);  /* EmoGen's files end in an empty line */
                            if (fclose(f)) FAIL("cannot write %s: %s", op, strerror(errno));
                        }
                    }
                    if (!reason[0]) {
                        n_ok++;
                        n_tokens += n;
                    }
                }
            }
        }
        if (reason[0]) {
            if (!batch) fprintf(stderr, "emogen tokenize: %s: rejected: %s\n", path, reason);
            size_t l = strlen(path) + strlen(reason) + 3;
            char *line = xmalloc(l);
            snprintf(line, l, "%s: %s", path, reason);
            strlist_add(&rejects, line);
            free(line);
        }
    }
    if (fflush(stdout)) FAIL("cannot write to stdout: %s", strerror(errno));
    if (batch) {
        double dt = emg_now() - t0;
        emg_info(ctx, "tokenize: %zu of %zu files encoded, %zu tokens, %.2f s\n", n_ok, inputs.n, n_tokens, dt);
        if (rejects.n) {
            fprintf(stderr, "tokenize: %zu file(s) rejected:\n", rejects.n);
            for (size_t i = 0; i < rejects.n; i++) fprintf(stderr, "  %s\n", rejects.v[i]);
        }
    }
    int rc = rejects.n ? 1 : 0;
    emg_remi_encoder_free(&enc);
    if (dict) emg_remi_dict_free(dict);
    free(in.p);
    free(text.p);
    strlist_free(&rejects);
    strlist_free(&inputs);
    nameset_free(&written);
    return rc;
}
