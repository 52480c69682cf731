/* cli.h: shared command-line conventions.
 * Every command takes --help (usage on stdout, exit 0); a bad flag prints usage on stderr and
 * exits 2. Stage commands also take --config FILE, --set KEY=VALUE (repeatable; overrides the
 * config, dotted key paths), --quiet and --json. */
#pragma once
#include <getopt.h>

/* print "emogen CMD: <msg>" and a hint to --help on stderr; returns 2 (the usage exit code) */
int emg_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* reset getopt_long for a command's own argv (commands parse after main consumed the command name) */
void emg_getopt_reset(void);
