/* select_forest.h: the random-forest attribute design behind `emogen select` (see select.c). */
#pragma once
#include <cjson/cJSON.h>

#include "context.h"

/* collective over ctx->comm; rank 0 writes out and prints; returns the exit code */
int select_by_forest(emg_ctx *ctx, const char *corpus, const char *out, const cJSON *cfg);
