/* attributes_write.h: writing attributes.json (schemas/attributes.schema.json) atomically. */
#pragma once
#include <cjson/cJSON.h>

/* attrs: a cJSON array of {name, index, importance, thresholds}; cv and config may be NULL.
 * Takes ownership of attrs, cv and config. 0 or -1 (errno). */
int attributes_write(const char *path, int buckets, int emogen_compatible, const char *source, const char *corpus,
                     cJSON *attrs, cJSON *cv, cJSON *config);
