/* test_model_reference.c: the C model against the PyTorch reference's debug states (vendored in
 * tests/data/model): logits, every activation, the loss, every gradient tensor, the incremental
 * decoder vs the full forward, the 10 Adam/inverse-sqrt steps (losses, final parameters with the
 * outlier-tolerant rule) and the greedy / top-p golden decodes, within the README's tolerances.
 * The small state's train/params file is not vendored: it is checked when the shared folder is
 * there. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"
#include "model_check.h"
#include "model_io.h"
#include "check.h"
#include "test_util.h"

#include <hdf5.h>
#include <sys/wait.h>
#include <unistd.h>

static void expect_line(const emg_check_result *r, const char *name) {
    const emg_check_line *l = emg_check_find(r, name);
    if (!l) fprintf(stderr, "missing check line: %s\n", name);
    CHECK(l != NULL);
    if (l) CHECK(l->pass);
}

static void check_state(const char *path, const char *train_params, int expect_params) {
    emg_check_result r;
    emg_status st = emg_model_check_file(path, train_params, &r);
    CHECK_EQ_INT(st.code, 0);
    if (st.code) {
        fprintf(stderr, "%s: %s\n", path, st.msg);
        return;
    }
    emg_check_print(&r, stderr, 0);
    /* every line within tolerance */
    for (int i = 0; i < r.n; i++) {
        if (!r.lines[i].pass)
            fprintf(stderr, "FAIL %s: %s %.3e > %.1e\n", r.lines[i].name, r.lines[i].what, r.lines[i].err, r.lines[i].tol);
        CHECK(r.lines[i].pass);
    }
    CHECK_EQ_INT(r.n_fail, 0);
    /* and nothing silently skipped: each quantity is there */
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    emg_model_config c;
    CHECK_EQ_INT(emg_model_config_read_h5(f, &c).code, 0);
    H5Fclose(f);
    const char *names[] = {"pos_table", "logits", "acts/embed", "acts/ln_f", "loss", "ntokens", "incremental_vs_full",
                           "train/lr", "train/losses", "train/loss_after", "gen_greedy/tokens", "gen_greedy/logits",
                           "gen_topp/tokens", "gen_topp/n_kept", "gen_topp/logits"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) expect_line(&r, names[i]);
    for (int l = 0; l < c.n_layers; l++) {
        char n1[64], n2[64];
        snprintf(n1, sizeof n1, "acts/layer%d.attn", l);
        snprintf(n2, sizeof n2, "acts/layer%d.out", l);
        expect_line(&r, n1);
        expect_line(&r, n2);
    }
    emg_model *m = emg_model_create(&c);
    int n_grads = 0;
    for (int k = 0; k < m->n_tensors; k++) {
        char gn[96];
        snprintf(gn, sizeof gn, "grads/%s", m->tensors[k].name);
        expect_line(&r, gn);
        n_grads += emg_check_find(&r, gn) != NULL;
    }
    CHECK_EQ_INT(n_grads, m->n_tensors);
    emg_model_free(m);
    if (expect_params) {
        expect_line(&r, "train/params (max)");
        expect_line(&r, "train/params (99.99th pct)");
        expect_line(&r, "train/params (fraction > 2e-5)");
    }
    /* the measured errors are at float32 level, far inside the tolerances */
    const emg_check_line *lg = emg_check_find(&r, "logits");
    if (lg) CHECK(lg->err < 1e-5);
    emg_check_result_free(&r);
}

/* the check has teeth: a copy of the tiny state with one weight changed by 1 % must fail, through
 * the library and through `emogen model-check` (exit 1; 0 on the intact file) */
static void corrupted(void) {
    char tmp[] = "/tmp/emg_model_check_XXXXXX";
    int fd = mkstemp(tmp);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    size_t len = 0;
    unsigned char *bytes = test_read_file(TEST_DATA_DIR "/model/debug_state_tiny.h5", &len);
    CHECK(bytes != NULL);
    FILE *out = fopen(tmp, "wb");
    CHECK(out && fwrite(bytes, 1, len, out) == len);
    if (out) fclose(out);
    free(bytes);
    hid_t f = H5Fopen(tmp, H5F_ACC_RDWR, H5P_DEFAULT);
    CHECK(f >= 0);
    hid_t ds = H5Dopen2(f, "params/layers.1.fc1.weight", H5P_DEFAULT);
    float w[256 * 64];
    CHECK(H5Dread(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, w) >= 0);
    for (int i = 0; i < 256 * 64; i++) w[i] *= 1.01f;
    CHECK(H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, w) >= 0);
    H5Dclose(ds);
    H5Fclose(f);
    emg_check_result r;
    CHECK_EQ_INT(emg_model_check_file(tmp, NULL, &r).code, 0);
    CHECK(r.n_fail > 0);
    const emg_check_line *l = emg_check_find(&r, "logits");
    CHECK(l && !l->pass);
    l = emg_check_find(&r, "acts/layer0.out");
    CHECK(l && l->pass);  /* layer 0 is untouched */
    l = emg_check_find(&r, "acts/layer1.out");
    CHECK(l && !l->pass);
    emg_check_result_free(&r);
    const char *bin = getenv("EMOGEN");
    if (bin && *bin) {
        char cmd[8192];
        snprintf(cmd, sizeof cmd, "'%s' model-check '%s' > /dev/null", bin, tmp);
        int rc = system(cmd);
        CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
        snprintf(cmd, sizeof cmd, "'%s' model-check '%s' > /dev/null", bin, TEST_DATA_DIR "/model/debug_state_tiny.h5");
        rc = system(cmd);
        CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
        snprintf(cmd, sizeof cmd, "'%s' model-check --bogus 2> /dev/null", bin);
        rc = system(cmd);
        CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    } else {
        fprintf(stderr, "note: $EMOGEN not set: the command's exit codes not checked\n");
    }
    remove(tmp);
}

int main(void) {
    emg_h5_quiet_errors();
    check_state(TEST_DATA_DIR "/model/debug_state_tiny.h5", NULL, 1);
    corrupted();
    /* vendored small: everything but train/params (its file is not vendored) */
    check_state(TEST_DATA_DIR "/model/debug_state_small.h5", "/nonexistent/train_params.h5", 0);
    /* with the shared reference folder: the small state's final parameters too */
    const char *env = getenv("EMOGEN_SHARED");
    char dir[4096];
    if (env && *env) snprintf(dir, sizeof dir, "%s", env);
    else snprintf(dir, sizeof dir, "%s/../shared", EMOGEN_SOURCE_DIR);
    char sp[4200], tp[4300];
    snprintf(sp, sizeof sp, "%s/reference/model/debug_state_small.h5", dir);
    snprintf(tp, sizeof tp, "%s/reference/model/debug_state_small_train_params.h5", dir);
    struct stat st;
    if (stat(sp, &st) == 0 && stat(tp, &st) == 0) check_state(sp, tp, 1);
    else fprintf(stderr, "note: %s not found: the small state's train/params not checked\n", tp);
    return TEST_DONE();
}
