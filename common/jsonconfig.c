/* jsonconfig.c: the JSON Schema subset validator and config loading (see jsonconfig.h). */
#define _POSIX_C_SOURCE 200809L
#include "jsonconfig.h"
#include "check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct emg_embedded_schema { const char *name; const char *text; };
extern const struct emg_embedded_schema emg_embedded_schemas[];  /* generated from the schemas folder */

const char *emg_schema_text(const char *name) {
    for (const struct emg_embedded_schema *s = emg_embedded_schemas; s->name; s++)
        if (!strcmp(s->name, name)) return s->text;
    return NULL;
}

static int errf(char *err, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

cJSON *emg_schema_load(const char *name, char *err, size_t errlen) {
    const char *text = emg_schema_text(name);
    if (!text) { errf(err, errlen, "no schema named %s is built in", name); return NULL; }
    cJSON *s = cJSON_Parse(text);
    if (!s) errf(err, errlen, "built-in schema %s is not valid JSON", name);
    return s;
}

/* ---- validation ---- */

static const char *json_type_name(const cJSON *v) {
    if (cJSON_IsObject(v)) return "object";
    if (cJSON_IsArray(v)) return "array";
    if (cJSON_IsString(v)) return "string";
    if (cJSON_IsBool(v)) return "boolean";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsNumber(v)) return (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9.007199254740992e15)
                                      ? "integer" : "number";
    return "invalid";
}

static int type_matches(const char *want, const cJSON *v) {
    const char *got = json_type_name(v);
    if (!strcmp(want, got)) return 1;
    return !strcmp(want, "number") && !strcmp(got, "integer");  /* every integer is a number */
}

static void path_join(char *out, size_t n, const char *path, const char *key) {
    if (!path[0]) snprintf(out, n, "%s", key);
    else snprintf(out, n, "%s.%s", path, key);
}

static void value_text(const cJSON *v, char *buf, size_t n) {
    char *s = cJSON_PrintUnformatted(v);
    snprintf(buf, n, "%s", s ? s : "?");
    if (s && strlen(s) >= n && n > 4) strcpy(buf + n - 4, "...");
    free(s);
}

static int validate_at(const cJSON *schema, cJSON *v, const char *path, char *err, size_t n) {
    const char *where = path[0] ? path : "(top level)";
    char vt[96];
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    if (cJSON_IsString(type) && !type_matches(type->valuestring, v)) {
        value_text(v, vt, sizeof vt);
        return errf(err, n, "%s: %s is a %s, expected a %s", where, vt, json_type_name(v), type->valuestring);
    }
    if (cJSON_IsArray(type)) {
        int ok = 0;
        const cJSON *t;
        cJSON_ArrayForEach(t, type) if (cJSON_IsString(t) && type_matches(t->valuestring, v)) ok = 1;
        if (!ok) {
            value_text(v, vt, sizeof vt);
            return errf(err, n, "%s: %s has type %s, not one of the allowed types", where, vt, json_type_name(v));
        }
    }
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (cJSON_IsArray(en)) {
        int ok = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, en) if (cJSON_Compare(e, v, 1)) ok = 1;
        if (!ok) {
            char allowed[256];
            value_text(v, vt, sizeof vt);
            value_text(en, allowed, sizeof allowed);
            return errf(err, n, "%s: %s is not one of %s", where, vt, allowed);
        }
    }
    if (cJSON_IsNumber(v)) {
        double x = v->valuedouble;
        const cJSON *lim;
        if ((lim = cJSON_GetObjectItemCaseSensitive(schema, "minimum")) && x < lim->valuedouble)
            return errf(err, n, "%s: %.17g is below the minimum %.17g", where, x, lim->valuedouble);
        if ((lim = cJSON_GetObjectItemCaseSensitive(schema, "maximum")) && x > lim->valuedouble)
            return errf(err, n, "%s: %.17g is above the maximum %.17g", where, x, lim->valuedouble);
        if ((lim = cJSON_GetObjectItemCaseSensitive(schema, "exclusiveMinimum")) && x <= lim->valuedouble)
            return errf(err, n, "%s: %.17g must be greater than %.17g", where, x, lim->valuedouble);
        if ((lim = cJSON_GetObjectItemCaseSensitive(schema, "exclusiveMaximum")) && x >= lim->valuedouble)
            return errf(err, n, "%s: %.17g must be less than %.17g", where, x, lim->valuedouble);
    }
    if (cJSON_IsString(v)) {
        const cJSON *ml = cJSON_GetObjectItemCaseSensitive(schema, "minLength");
        if (ml && (double)strlen(v->valuestring) < ml->valuedouble)
            return errf(err, n, "%s: \"%s\" is shorter than %d characters", where, v->valuestring, ml->valueint);
    }
    if (cJSON_IsArray(v)) {
        int count = cJSON_GetArraySize(v);
        const cJSON *lim;
        if ((lim = cJSON_GetObjectItemCaseSensitive(schema, "minItems")) && count < lim->valueint)
            return errf(err, n, "%s: %d items, at least %d required", where, count, lim->valueint);
        if ((lim = cJSON_GetObjectItemCaseSensitive(schema, "maxItems")) && count > lim->valueint)
            return errf(err, n, "%s: %d items, at most %d allowed", where, count, lim->valueint);
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
        if (cJSON_IsObject(items)) {
            int i = 0;
            cJSON *e;
            cJSON_ArrayForEach(e, v) {
                char sub[512];
                snprintf(sub, sizeof sub, "%s[%d]", path, i++);
                if (validate_at(items, e, sub, err, n)) return -1;
            }
        }
    }
    if (cJSON_IsObject(v)) {
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
        /* defaults first, so "required" is satisfied by a default */
        const cJSON *p;
        if (cJSON_IsObject(props)) {
            cJSON_ArrayForEach(p, props) {
                if (cJSON_GetObjectItemCaseSensitive(v, p->string)) continue;
                const cJSON *def = cJSON_GetObjectItemCaseSensitive(p, "default");
                const cJSON *pt = cJSON_GetObjectItemCaseSensitive(p, "type");
                if (def) cJSON_AddItemToObject(v, p->string, cJSON_Duplicate(def, 1));
                else if (cJSON_IsString(pt) && !strcmp(pt->valuestring, "object") &&
                         cJSON_GetObjectItemCaseSensitive(p, "properties"))
                    cJSON_AddItemToObject(v, p->string, cJSON_CreateObject());  /* its own defaults fill it */
            }
        }
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required");
        const cJSON *r;
        cJSON_ArrayForEach(r, req) {
            if (cJSON_IsString(r) && !cJSON_GetObjectItemCaseSensitive(v, r->valuestring)) {
                char sub[512];
                path_join(sub, sizeof sub, path, r->valuestring);
                return errf(err, n, "%s: required key is missing", sub);
            }
        }
        const cJSON *addl = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
        cJSON *item;
        cJSON_ArrayForEach(item, v) {
            char sub[512];
            path_join(sub, sizeof sub, path, item->string);
            const cJSON *ps = cJSON_IsObject(props) ? cJSON_GetObjectItemCaseSensitive(props, item->string) : NULL;
            if (ps) {
                if (validate_at(ps, item, sub, err, n)) return -1;
            } else if (cJSON_IsFalse(addl)) {
                return errf(err, n, "%s: unknown key (not in the schema; a typo?)", sub);
            } else if (cJSON_IsObject(addl)) {
                if (validate_at(addl, item, sub, err, n)) return -1;
            }
        }
    }
    return 0;
}

int emg_json_validate(const cJSON *schema, cJSON *doc, char *err, size_t errlen) {
    return validate_at(schema, doc, "", err, errlen);
}

/* ---- overrides ---- */

int emg_config_set(cJSON *doc, const char *assignment, char *err, size_t errlen) {
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) return errf(err, errlen, "--set %s: expected KEY=VALUE", assignment);
    char key[512];
    size_t klen = (size_t)(eq - assignment);
    if (klen >= sizeof key) return errf(err, errlen, "--set: key too long");
    memcpy(key, assignment, klen);
    key[klen] = 0;
    cJSON *value = cJSON_Parse(eq + 1);
    if (!value) value = cJSON_CreateString(eq + 1);  /* plain words are strings */
    cJSON *obj = doc;
    char *save = NULL;
    char *tok = strtok_r(key, ".", &save);
    while (tok) {
        char *next = strtok_r(NULL, ".", &save);
        if (!next) {
            if (cJSON_GetObjectItemCaseSensitive(obj, tok)) cJSON_ReplaceItemInObjectCaseSensitive(obj, tok, value);
            else cJSON_AddItemToObject(obj, tok, value);
            return 0;
        }
        cJSON *child = cJSON_GetObjectItemCaseSensitive(obj, tok);
        if (!child) child = cJSON_AddObjectToObject(obj, tok);
        if (!cJSON_IsObject(child)) {
            cJSON_Delete(value);
            return errf(err, errlen, "--set %s: '%s' is not an object", assignment, tok);
        }
        obj = child;
        tok = next;
    }
    cJSON_Delete(value);
    return errf(err, errlen, "--set %s: empty key", assignment);
}

static char *read_text_file(const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) { errf(err, errlen, "%s: cannot open: %s", path, emg_errno_str()); return NULL; }
    size_t cap = 4096, len = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            if (cap > ((size_t)64 << 20)) { fclose(f); free(buf); errf(err, errlen, "%s: larger than 64 MiB, not a config", path); return NULL; }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    fclose(f);
    buf[len] = 0;
    return buf;
}

cJSON *emg_config_load(const char *schema_name, const char *path, char *const *sets, int nsets,
                       char *err, size_t errlen) {
    cJSON *schema = emg_schema_load(schema_name, err, errlen);
    if (!schema) return NULL;
    cJSON *doc = NULL;
    if (path) {
        char *text = read_text_file(path, err, errlen);
        if (!text) { cJSON_Delete(schema); return NULL; }
        const char *end = NULL;
        doc = cJSON_ParseWithOpts(text, &end, 1);
        if (!doc) {
            size_t off = end ? (size_t)(end - text) : 0, line = 1;
            for (size_t i = 0; i < off && text[i]; i++) line += text[i] == '\n';
            errf(err, errlen, "%s: not valid JSON (near line %zu, byte %zu)", path, line, off);
            free(text);
            cJSON_Delete(schema);
            return NULL;
        }
        free(text);
    } else {
        doc = cJSON_CreateObject();
    }
    for (int i = 0; i < nsets; i++) {
        if (emg_config_set(doc, sets[i], err, errlen)) { cJSON_Delete(doc); cJSON_Delete(schema); return NULL; }
    }
    char verr[768];
    if (emg_json_validate(schema, doc, verr, sizeof verr)) {
        errf(err, errlen, "%s: %s (schema %s)", path ? path : "config", verr, schema_name);
        cJSON_Delete(doc);
        cJSON_Delete(schema);
        return NULL;
    }
    cJSON_Delete(schema);
    return doc;
}

/* ---- getters ---- */

const cJSON *emg_cfg_get(const cJSON *cfg, const char *path) {
    char key[512];
    snprintf(key, sizeof key, "%s", path);
    const cJSON *obj = cfg;
    char *save = NULL;
    for (char *tok = strtok_r(key, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
        if (!cJSON_IsObject(obj)) return NULL;
        obj = cJSON_GetObjectItemCaseSensitive(obj, tok);
        if (!obj) return NULL;
    }
    return obj;
}

double emg_cfg_num(const cJSON *cfg, const char *path) {
    const cJSON *v = emg_cfg_get(cfg, path);
    if (!cJSON_IsNumber(v)) FAIL("config key %s: missing or not a number (schema should default it)", path);
    return v->valuedouble;
}

long long emg_cfg_int(const cJSON *cfg, const char *path) {
    double x = emg_cfg_num(cfg, path);
    if (x != floor(x)) FAIL("config key %s: %.17g is not an integer", path, x);
    return (long long)x;
}

const char *emg_cfg_str(const cJSON *cfg, const char *path) {
    const cJSON *v = emg_cfg_get(cfg, path);
    if (!cJSON_IsString(v)) FAIL("config key %s: missing or not a string (schema should default it)", path);
    return v->valuestring;
}

int emg_cfg_bool(const cJSON *cfg, const char *path) {
    const cJSON *v = emg_cfg_get(cfg, path);
    if (!cJSON_IsBool(v)) FAIL("config key %s: missing or not a boolean (schema should default it)", path);
    return cJSON_IsTrue(v);
}
