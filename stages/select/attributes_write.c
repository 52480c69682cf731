/* attributes_write.c: see attributes_write.h. */
#include "select/attributes_write.h"
#include "atomic_file.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

int attributes_write(const char *path, int buckets, int emogen_compatible, const char *source, const char *corpus,
                     cJSON *attrs, cJSON *cv, cJSON *config) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "format", "emogen.attributes");
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddStringToObject(o, "source", source);
    cJSON_AddNumberToObject(o, "buckets", buckets);
    cJSON_AddBoolToObject(o, "emogen_compatible", emogen_compatible);
    if (corpus) cJSON_AddStringToObject(o, "corpus", corpus);
    cJSON_AddItemToObject(o, "attributes", attrs);
    if (cv) cJSON_AddItemToObject(o, "cv", cv);
    if (config) cJSON_AddItemToObject(o, "config", config);
    char *text = cJSON_Print(o);
    size_t len = strlen(text);
    text = xrealloc(text, len + 2);
    text[len] = '\n';
    text[len + 1] = 0;
    int rc = emg_write_file_atomic(path, text, len + 1);
    free(text);
    cJSON_Delete(o);
    return rc;
}
