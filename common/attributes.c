/* attributes.c: see attributes.h. */
#define _POSIX_C_SOURCE 200809L
#include "attributes.h"
#include "atomic_file.h"
#include "check.h"
#include "jsonconfig.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double emg_emogen_round(double v) {
    if (isnan(v)) return 0.0;
    char buf[64];
    snprintf(buf, sizeof buf, "%.3e", v);  /* half-even on the exact binary value, as Java's DecimalFormat */
    return strtod(buf, NULL);
}

double emg_attr_value(const emg_attributes *a, double v) { return a->emogen_compatible ? emg_emogen_round(v) : v; }

int emg_attr_bucket(const emg_attributes *a, int k, double v) {
    v = emg_attr_value(a, v);
    const double *t = a->thresholds + (size_t)k * (size_t)(a->buckets - 1);
    int b = 0;
    while (b < a->buckets - 1 && t[b] < v) b++;  /* side='left': a value equal to a threshold stays below */
    return b;
}

void emg_attr_bits(const emg_attributes *a, const double *features, int *bits) {
    for (int k = 0; k < a->n; k++) bits[k] = emg_attr_bucket(a, k, features[a->index[k]]);
}

double emg_percentile_sorted(const double *x, int64_t n, double q) {
    /* numpy 'linear': position (n-1) q / 100 between the two neighbouring order statistics */
    double pos = (double)(n - 1) * q / 100.0;
    int64_t lo = (int64_t)floor(pos);
    if (lo >= n - 1) return x[n - 1];
    double frac = pos - (double)lo;
    return x[lo] + (x[lo + 1] - x[lo]) * frac;
}

int emg_attributes_load(emg_attributes *a, const char *path, char *err, size_t errlen) {
    memset(a, 0, sizeof *a);
    char *text = emg_read_file(path, (size_t)64 << 20, NULL);
    if (!text) { snprintf(err, errlen, "%s: cannot read: %s", path, emg_errno_str()); return -1; }
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc) { snprintf(err, errlen, "%s: not valid JSON", path); return -1; }
    cJSON *schema = emg_schema_load("attributes.schema.json", err, errlen);
    char verr[512];
    if (!schema || emg_json_validate(schema, doc, verr, sizeof verr)) {
        if (schema) snprintf(err, errlen, "%s: %s (schema attributes.schema.json)", path, verr);
        cJSON_Delete(schema);
        cJSON_Delete(doc);
        return -1;
    }
    cJSON_Delete(schema);
    a->buckets = (int)emg_cfg_int(doc, "buckets");
    a->emogen_compatible = emg_cfg_bool(doc, "emogen_compatible");
    snprintf(a->source, sizeof a->source, "%s", emg_cfg_str(doc, "source"));
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "attributes");
    a->n = cJSON_GetArraySize(list);
    a->index = xmalloc((size_t)a->n * sizeof *a->index);
    a->importance = xmalloc((size_t)a->n * sizeof *a->importance);
    a->thresholds = xmalloc((size_t)a->n * (size_t)(a->buckets - 1) * sizeof *a->thresholds);
    a->name = xcalloc((size_t)a->n, sizeof *a->name);
    int k = 0, bad = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        a->index[k] = (int)emg_cfg_int(it, "index");
        const cJSON *imp = cJSON_GetObjectItemCaseSensitive(it, "importance");
        a->importance[k] = cJSON_IsNumber(imp) ? imp->valuedouble : 0.0;
        a->name[k] = CHECK_PTR(strdup(emg_cfg_str(it, "name")));
        const cJSON *th = cJSON_GetObjectItemCaseSensitive(it, "thresholds");
        if (cJSON_GetArraySize(th) != a->buckets - 1) {
            snprintf(err, errlen, "%s: attributes[%d] (%s) has %d thresholds; %d buckets need %d", path, k,
                     a->name[k], cJSON_GetArraySize(th), a->buckets, a->buckets - 1);
            bad = 1;
            break;
        }
        int j = 0;
        const cJSON *t;
        cJSON_ArrayForEach(t, th) a->thresholds[(size_t)k * (size_t)(a->buckets - 1) + (size_t)j++] = t->valuedouble;
        k++;
    }
    cJSON_Delete(doc);
    if (bad) { emg_attributes_free(a); return -1; }
    return 0;
}

void emg_attributes_free(emg_attributes *a) {
    for (int k = 0; k < a->n; k++) free(a->name ? a->name[k] : NULL);
    free(a->name);
    free(a->index);
    free(a->importance);
    free(a->thresholds);
    memset(a, 0, sizeof *a);
}
