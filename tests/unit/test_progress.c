/* test_progress.c: the progress line is throttled to one per interval, shows rate and ETA,
 * and prints nothing when disabled (ranks other than 0, or --quiet). A fake clock drives time. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"
#include "test_util.h"

static double fake_time;  /* test-only clock */
static double fake_clock(void) { return fake_time; }

int main(void) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    emg_progress p;
    fake_time = 100.0;
    emg_progress_init(&p, "test", 1000, 1);
    p.clock = fake_clock;
    p.t0 = p.last = fake_time;
    p.out = out;
    p.tty = 0;
    p.interval = 10.0;
    int printed = 0;
    /* 1000 updates over 100 s of fake time: at most one line per 10 s */
    for (int i = 1; i <= 1000; i++) {
        fake_time = 100.0 + i * 0.1;
        printed += emg_progress_update(&p, i);
    }
    CHECK_EQ_INT(printed, 10);
    CHECK_EQ_INT(p.lines, 10);
    emg_progress_finish(&p);
    fflush(out);
    CHECK_EQ_INT(p.lines, 11);
    /* first line at t = 10 s: 100 done, 10/s, 900 left -> ETA 1:30 */
    CHECK(strstr(buf, "[test] 100/1000 (10.0%) 10.0/s ETA 1:30") != NULL);
    CHECK(strstr(buf, "[test] 1000/1000 (100.0%) in 1:40, 10.0/s") != NULL);
    fclose(out);
    free(buf);

    /* disabled: never prints */
    emg_progress q;
    emg_progress_init(&q, "quiet", 10, 0);
    q.clock = fake_clock;
    int any = 0;
    for (int i = 0; i < 10; i++) { fake_time += 100; any += emg_progress_update(&q, i); }
    emg_progress_finish(&q);
    CHECK_EQ_INT(any, 0);
    CHECK_EQ_INT(q.lines, 0);

    char d[32];
    emg_format_duration(3725, d, sizeof d);
    CHECK_STR_EQ(d, "1:02:05");
    emg_format_duration(65, d, sizeof d);
    CHECK_STR_EQ(d, "1:05");
    return TEST_DONE();
}
