/* inventory.c: placeholder until archive_walk lands */
#include "commands.h"
int cmd_inventory(emg_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return 1; }
