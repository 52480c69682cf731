/* test_checkpoint.c: checkpoints round-trip exactly; a truncated or damaged file is detected with a
 * message; a checkpoint of another model is refused; listing is newest-first and pruning keeps N. */
#define _POSIX_C_SOURCE 200809L
#include "checkpoint.h"
#include "check.h"
#include "test_util.h"

#include <math.h>
#include <unistd.h>

int main(void) {
    emg_h5_quiet_errors();
    char dir[] = "/tmp/emogen_ckpt_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    size_t n = 10007;
    float *p = xmalloc(n * 4), *m = xmalloc(n * 4), *v = xmalloc(n * 4);
    for (size_t i = 0; i < n; i++) { p[i] = (float)i * 0.5f; m[i] = -(float)i; v[i] = (float)i * (float)i; }
    emg_ckpt_dims d = {462, 64, 2, 4, 256, 100, 2, 16};
    emg_ckpt_state st = {123, 4, 5, 6789, 1.25, 100, 2, 42};
    char path[512];
    for (int s = 1; s <= 5; s++) {
        snprintf(path, sizeof path, "%s/step-%08d.h5", dir, s * 10);
        st.step = s * 10;
        CHECK_EQ_INT(emg_ckpt_write(path, "{\"x\":1}", "full", &d, p, m, v, n, &st), 0);
    }
    char *list[10];
    int k = emg_ckpt_list(dir, list, 10);
    CHECK_EQ_INT(k, 5);
    CHECK(k > 0 && strstr(list[0], "step-00000050.h5") != NULL);  /* newest first */
    float *p2 = xcalloc(n, 4), *m2 = xcalloc(n, 4), *v2 = xcalloc(n, 4);
    emg_ckpt_state st2;
    memset(&st2, 0, sizeof st2);
    char err[512];
    CHECK_EQ_INT(emg_ckpt_read(list[0], &d, p2, m2, v2, n, &st2, err, sizeof err), 0);
    CHECK(!memcmp(p, p2, n * 4) && !memcmp(m, m2, n * 4) && !memcmp(v, v2, n * 4));
    CHECK_EQ_INT(st2.step, 50);
    CHECK_EQ_INT(st2.epoch, 4);
    CHECK_EQ_INT(st2.batch, 5);
    CHECK_EQ_DBL(st2.best_valid, 1.25);
    CHECK_EQ_INT(st2.seed, 42);
    /* another model */
    emg_ckpt_dims other = d;
    other.d_model = 128;
    CHECK_EQ_INT(emg_ckpt_read(list[0], &other, p2, m2, v2, n, NULL, err, sizeof err), -1);
    CHECK(strstr(err, "another model") != NULL);
    /* damaged: flip bytes in the middle of the params array; truncated: cut the file */
    FILE *f = fopen(list[1], "r+b");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size / 3, SEEK_SET);
    unsigned char junk[64];
    memset(junk, 0x5a, sizeof junk);
    fwrite(junk, 1, sizeof junk, f);
    fclose(f);
    CHECK_EQ_INT(emg_ckpt_read(list[1], &d, p2, m2, v2, n, NULL, err, sizeof err), -1);
    fprintf(stderr, "damaged: %s\n", err);
    CHECK(truncate(list[2], size / 2) == 0);
    CHECK_EQ_INT(emg_ckpt_read(list[2], &d, p2, m2, v2, n, NULL, err, sizeof err), -1);
    fprintf(stderr, "truncated: %s\n", err);
    emg_ckpt_dims pd;
    size_t pn = 0;
    char *cfg = NULL;
    CHECK_EQ_INT(emg_ckpt_peek(list[0], &pd, &pn, &cfg, err, sizeof err), 0);
    CHECK_EQ_INT(pn, n);
    CHECK_EQ_INT(pd.d_model, 64);
    CHECK_STR_EQ(cfg, "{\"x\":1}");
    free(cfg);
    for (int i = 0; i < k; i++) free(list[i]);
    emg_ckpt_prune(dir, 2);
    k = emg_ckpt_list(dir, list, 10);
    CHECK_EQ_INT(k, 2);
    for (int i = 0; i < k; i++) { unlink(list[i]); free(list[i]); }
    rmdir(dir);
    free(p); free(m); free(v); free(p2); free(m2); free(v2);
    return TEST_DONE();
}
