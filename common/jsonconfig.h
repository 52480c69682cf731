/* jsonconfig.h: JSON configs validated against a JSON Schema from schemas/ (compiled into the binary).
 *
 * The schema subset: type (a name or a list), properties, required, additionalProperties (false
 * rejects unknown keys: a typo never passes silently), enum, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, minLength, items, minItems, maxItems, and default (filled in for missing keys,
 * also inside missing objects whose properties have defaults).
 * Errors name the key path and the rule: `train.lr: 5 is above the maximum 1`.
 * Precedence: schema defaults < config file < --set KEY=VALUE flags (in order given).
 */
#pragma once
#include <cjson/cJSON.h>
#include <stddef.h>

/* the text of an embedded schema (file name in schemas/, e.g. "train.schema.json"), or NULL */
const char *emg_schema_text(const char *name);
/* parse an embedded schema; NULL and err on failure */
cJSON *emg_schema_load(const char *name, char *err, size_t errlen);

/* validate doc against schema, filling defaults into doc; 0 ok, -1 with err = "path: reason" */
int emg_json_validate(const cJSON *schema, cJSON *doc, char *err, size_t errlen);

/* apply "a.b.c=VALUE" to doc: VALUE is parsed as JSON when it parses (numbers, true, [1,2]),
 * else taken as a string; intermediate objects are created. 0 ok, -1 with err. */
int emg_config_set(cJSON *doc, const char *assignment, char *err, size_t errlen);

/* defaults < file (if path) < sets; validated. NULL with err ("FILE: path: reason") on failure. */
cJSON *emg_config_load(const char *schema_name, const char *path, char *const *sets, int nsets,
                       char *err, size_t errlen);

/* typed getters by dotted path on a VALIDATED config: a missing key or wrong type is a
 * programming error (the schema should have required or defaulted it) and dies with the path */
const cJSON *emg_cfg_get(const cJSON *cfg, const char *path);  /* NULL if absent */
double emg_cfg_num(const cJSON *cfg, const char *path);
long long emg_cfg_int(const cJSON *cfg, const char *path);
const char *emg_cfg_str(const cJSON *cfg, const char *path);
int emg_cfg_bool(const cJSON *cfg, const char *path);
