/* test_config.c: JSON Schema validation names the key path and the rule; defaults fill in;
 * --set overrides beat the file; the built-in schemas load. */
#define _POSIX_C_SOURCE 200809L
#include "jsonconfig.h"
#include "test_util.h"

#include <unistd.h>

static const char *SCHEMA =
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\"],"
    "\"properties\":{"
    " \"name\":{\"type\":\"string\",\"minLength\":1},"
    " \"mode\":{\"type\":\"string\",\"enum\":[\"closest\",\"center\",\"kmeans\"],\"default\":\"closest\"},"
    " \"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100},"
    " \"lr\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"default\":0.0001},"
    " \"flag\":{\"type\":\"boolean\",\"default\":false},"
    " \"train\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "    \"steps\":{\"type\":\"integer\",\"minimum\":0,\"default\":20},"
    "    \"shape\":{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":1},\"minItems\":1}}}"
    "}}";

/* validate text against SCHEMA; returns 0/-1 and the error */
static int check_doc(const char *text, char *err, size_t n, cJSON **out) {
    cJSON *schema = cJSON_Parse(SCHEMA);
    cJSON *doc = cJSON_Parse(text);
    int rc = emg_json_validate(schema, doc, err, n);
    cJSON_Delete(schema);
    if (out) *out = doc;
    else cJSON_Delete(doc);
    return rc;
}

static void expect_error(const char *text, const char *needle) {
    char err[512] = "";
    int rc = check_doc(text, err, sizeof err, NULL);
    CHECK_EQ_INT(rc, -1);
    if (!strstr(err, needle)) fprintf(stderr, "  error was: %s\n  expected to contain: %s\n", err, needle);
    CHECK(strstr(err, needle) != NULL);
}

int main(void) {
    char err[512];
    cJSON *doc = NULL;
    /* defaults are filled, nested ones too */
    CHECK_EQ_INT(check_doc("{\"name\":\"x\"}", err, sizeof err, &doc), 0);
    CHECK_STR_EQ(emg_cfg_str(doc, "mode"), "closest");
    CHECK_EQ_INT(emg_cfg_int(doc, "k"), 100);
    CHECK_EQ_DBL(emg_cfg_num(doc, "lr"), 0.0001);
    CHECK_EQ_INT(emg_cfg_bool(doc, "flag"), 0);
    CHECK_EQ_INT(emg_cfg_int(doc, "train.steps"), 20);
    cJSON_Delete(doc);

    /* each rule names its key path */
    expect_error("{}", "name: required key is missing");
    expect_error("{\"name\":\"x\",\"k\":0}", "k: 0 is below the minimum 1");
    expect_error("{\"name\":\"x\",\"k\":501}", "k: 501 is above the maximum 500");
    expect_error("{\"name\":\"x\",\"k\":2.5}", "k: 2.5 is a number, expected a integer");
    expect_error("{\"name\":\"x\",\"mode\":\"median\"}", "mode: \"median\" is not one of [\"closest\",\"center\",\"kmeans\"]");
    expect_error("{\"name\":\"x\",\"lr\":0}", "lr: 0 must be greater than 0");
    expect_error("{\"name\":\"x\",\"flag\":\"yes\"}", "flag: \"yes\" is a string, expected a boolean");
    expect_error("{\"name\":\"\"}", "name: \"\" is shorter than 1 characters");
    expect_error("{\"name\":\"x\",\"tran\":{}}", "tran: unknown key");
    expect_error("{\"name\":\"x\",\"train\":{\"steps\":-1}}", "train.steps: -1 is below the minimum 0");
    expect_error("{\"name\":\"x\",\"train\":{\"shape\":[4,0]}}", "train.shape[1]: 0 is below the minimum 1");
    expect_error("{\"name\":\"x\",\"train\":{\"shape\":[]}}", "train.shape: 0 items, at least 1 required");
    expect_error("[1]", "(top level): [1] is a array, expected a object");

    /* --set: JSON values, plain strings, nested keys; later sets win */
    doc = cJSON_CreateObject();
    CHECK_EQ_INT(emg_config_set(doc, "name=hello", err, sizeof err), 0);
    CHECK_EQ_INT(emg_config_set(doc, "train.steps=7", err, sizeof err), 0);
    CHECK_EQ_INT(emg_config_set(doc, "train.steps=8", err, sizeof err), 0);
    CHECK_EQ_INT(emg_config_set(doc, "flag=true", err, sizeof err), 0);
    CHECK_EQ_INT(emg_config_set(doc, "novalue", err, sizeof err), -1);
    CHECK_STR_EQ(emg_cfg_str(doc, "name"), "hello");
    CHECK_EQ_INT(emg_cfg_int(doc, "train.steps"), 8);
    CHECK_EQ_INT(emg_cfg_bool(doc, "flag"), 1);
    cJSON_Delete(doc);

    /* a real built-in schema: file < --set, errors carry the file name */
    char path[] = "/tmp/emogen_test_config_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    const char *text = "{\"max_depth\": 3, \"strict_midi\": true}";
    CHECK_EQ_INT(write(fd, text, strlen(text)), (long long)strlen(text));
    close(fd);
    char *sets[] = {"max_depth=1"};
    cJSON *cfg = emg_config_load("unpack.schema.json", path, sets, 1, err, sizeof err);
    CHECK(cfg != NULL);
    if (cfg) {
        CHECK_EQ_INT(emg_cfg_int(cfg, "max_depth"), 1);              /* --set beats the file */
        CHECK_EQ_INT(emg_cfg_bool(cfg, "strict_midi"), 1);           /* the file beats the default */
        CHECK_EQ_INT(emg_cfg_int(cfg, "max_member_bytes"), 16777216); /* the default */
        cJSON_Delete(cfg);
    }
    char *bad[] = {"max_depth=99"};
    cfg = emg_config_load("unpack.schema.json", path, bad, 1, err, sizeof err);
    CHECK(cfg == NULL);
    CHECK(strstr(err, path) != NULL && strstr(err, "max_depth: 99 is above the maximum 8") != NULL);
    FILE *f = fopen(path, "w");
    fputs("{\"max_depth\": 3,\n \"strict_midi\": tru }", f);
    fclose(f);
    cfg = emg_config_load("unpack.schema.json", path, NULL, 0, err, sizeof err);
    CHECK(cfg == NULL);
    CHECK(strstr(err, "not valid JSON (near line 2") != NULL);
    unlink(path);
    cfg = emg_config_load("no-such.schema.json", NULL, NULL, 0, err, sizeof err);
    CHECK(cfg == NULL);
    CHECK(emg_schema_text("unpack.schema.json") != NULL);
    return TEST_DONE();
}
