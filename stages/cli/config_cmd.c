/* config_cmd.c: `emogen config`: list the built-in JSON Schemas, print one, or validate a config
 * and print it with every default filled in (scripts read the result with jq). */
#include "commands.h"
#include "cli.h"
#include "jsonconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct emg_embedded_schema { const char *name; const char *text; };
extern const struct emg_embedded_schema emg_embedded_schemas[];

static void usage(FILE *out) {
    fprintf(out,
        "usage: emogen config list\n"
        "       emogen config schema NAME\n"
        "       emogen config check NAME [FILE] [--set KEY=VALUE]...\n\n"
        "list    the built-in JSON Schemas (the files of schemas/ compiled into emogen)\n"
        "schema  print one schema\n"
        "check   validate FILE (or only --set values) against schema NAME (e.g. pipeline or\n"
        "        pipeline.schema.json) and print the config with every default filled in; an error\n"
        "        names the key path and the rule, exit 1\n");
}

static void schema_file_name(const char *name, char *out, size_t n) {
    if (strstr(name, ".json")) snprintf(out, n, "%s", name);
    else snprintf(out, n, "%s.schema.json", name);
}

int cmd_config(emg_ctx *ctx, int argc, char **argv) {
    (void)ctx;
    static const struct option opts[] = {{"set", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    char *sets[64];
    int nsets = 0, c;
    while ((c = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
        if (c == 'h') { usage(stdout); return 0; }
        if (c == 's' && nsets < 64) { sets[nsets++] = optarg; continue; }
        return emg_usage_error("config", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    /* options may also follow the words: collect the rest */
    int npos = 0;
    char *pos[3] = {0};
    for (int i = optind; i < argc; i++) {
        if (!strcmp(argv[i], "--set") && i + 1 < argc) { if (nsets < 64) sets[nsets++] = argv[++i]; continue; }
        if (!strncmp(argv[i], "--set=", 6)) { if (nsets < 64) sets[nsets++] = argv[i] + 6; continue; }
        if (!strcmp(argv[i], "--help")) { usage(stdout); return 0; }
        if (argv[i][0] == '-' && argv[i][1]) return emg_usage_error("config", "unknown option '%s'", argv[i]);
        if (npos == 3) return emg_usage_error("config", "too many arguments");
        pos[npos++] = argv[i];
    }
    if (npos == 0) return emg_usage_error("config", "expected list, schema or check");
    char name[256];
    if (!strcmp(pos[0], "list") && npos == 1) {
        for (const struct emg_embedded_schema *s = emg_embedded_schemas; s->name; s++) printf("%s\n", s->name);
        return 0;
    }
    if (!strcmp(pos[0], "schema") && npos == 2) {
        schema_file_name(pos[1], name, sizeof name);
        const char *t = emg_schema_text(name);
        if (!t) { fprintf(stderr, "emogen config: no built-in schema %s (see `emogen config list`)\n", name); return 1; }
        fputs(t, stdout);
        return 0;
    }
    if (!strcmp(pos[0], "check") && npos >= 2) {
        schema_file_name(pos[1], name, sizeof name);
        char err[1024];
        cJSON *cfg = emg_config_load(name, npos == 3 ? pos[2] : NULL, sets, nsets, err, sizeof err);
        if (!cfg) { fprintf(stderr, "emogen config: %s\n", err); return 1; }
        char *text = cJSON_Print(cfg);
        printf("%s\n", text);
        free(text);
        cJSON_Delete(cfg);
        return 0;
    }
    return emg_usage_error("config", "expected: list | schema NAME | check NAME [FILE]");
}
