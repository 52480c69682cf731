/* main.c: `emogen <command> [args]`: dispatches to the command table in commands.h. */
#include "commands.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

typedef struct { const char *name; int (*fn)(emg_ctx *, int, char **); int mpi; const char *summary; } command;

#define X(name, fn, mpi, summary) {name, fn, mpi, summary},
static const command commands[] = {EMOGEN_COMMANDS(X)};
#undef X
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
    fprintf(out,
            "usage: emogen <command> [options]     (stage commands also run under mpirun / srun)\n"
            "       emogen <command> --help        options of one command\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-12s %s%s\n", commands[i].name, commands[i].summary, commands[i].mpi ? " [MPI]" : "");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) argv[1] = "version";
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name)) continue;
        int want_help = 0;
        for (int a = 2; a < argc; a++)
            if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) want_help = 1;
        emg_ctx ctx;
        /* --help never starts MPI: it must answer instantly anywhere */
        emg_ctx_init(&ctx, &argc, &argv, commands[i].mpi && !want_help);
        emg_getopt_reset();
        int rc = commands[i].fn(&ctx, argc - 1, argv + 1);
        emg_ctx_finalize(&ctx);
        return rc;
    }
    fprintf(stderr, "emogen: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
