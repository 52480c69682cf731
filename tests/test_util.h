/* test_util.h: a tiny assert framework for plain C test programs (one program per test file).
 *
 *   CHECK(cond), CHECK_EQ_INT(a, b), CHECK_EQ_DBL(a, b), CHECK_NEAR(a, b, tol), CHECK_STR_EQ(a, b)
 *   record a failure with file, line and both values, and go on (so one run shows every failure).
 *   return TEST_DONE(); at the end of main: exit 1 if any check failed *or if no check ran at all*
 *   (a test that asserts nothing is a defect).
 *
 * Data: tests that need the big shared corpora call test_shared_dir(), which returns
 * $EMOGEN_SHARED (default ../shared next to the source tree). When it is missing the test is
 * skipped (exit 77, ctest's SKIP_RETURN_CODE) with a line that says so, except under CI=true
 * where missing data is a failure. Small vendored fixtures are under TEST_DATA_DIR (tests/data).
 */
#pragma once
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct { long checks, failures; } test_counts;
static test_counts test_counts_;  /* per test program; tests are single-threaded */

#define TEST_FAIL_(...) do { test_counts_.failures++; fprintf(stderr, __VA_ARGS__); } while (0)
#define CHECK(c) do { test_counts_.checks++; if (!(c)) \
    TEST_FAIL_("%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); test_counts_.checks++; \
    if (a_ != b_) TEST_FAIL_("%s:%d: CHECK_EQ_INT failed: %s == %s (%lld vs %lld)\n", \
                             __FILE__, __LINE__, #a, #b, a_, b_); } while (0)
#define CHECK_EQ_DBL(a, b) do { double a_ = (a), b_ = (b); test_counts_.checks++; \
    if (!(a_ == b_) && !(isnan(a_) && isnan(b_))) TEST_FAIL_("%s:%d: CHECK_EQ_DBL failed: %s == %s (%.17g vs %.17g)\n", \
                             __FILE__, __LINE__, #a, #b, a_, b_); } while (0)
#define CHECK_NEAR(a, b, tol) do { double a_ = (a), b_ = (b); test_counts_.checks++; \
    if (!(fabs(a_ - b_) <= (tol))) TEST_FAIL_("%s:%d: CHECK_NEAR failed: %s ~ %s (%.17g vs %.17g, tol %g)\n", \
                             __FILE__, __LINE__, #a, #b, a_, b_, (double)(tol)); } while (0)
#define CHECK_STR_EQ(a, b) do { const char *a_ = (a), *b_ = (b); test_counts_.checks++; \
    if (!a_ || !b_ || strcmp(a_, b_)) TEST_FAIL_("%s:%d: CHECK_STR_EQ failed: %s == %s (\"%s\" vs \"%s\")\n", \
                             __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)

static inline int test_done_(const char *file) {
    if (test_counts_.checks == 0) {
        fprintf(stderr, "%s: no check ran: a test that asserts nothing fails\n", file);
        return 1;
    }
    fprintf(stderr, "%s: %ld checks, %ld failed\n", file, test_counts_.checks, test_counts_.failures);
    return test_counts_.failures ? 1 : 0;
}
#define TEST_DONE() test_done_(__FILE__)

#define TEST_SKIP_CODE 77

/* $EMOGEN_SHARED or ../shared beside the source tree; skips (or fails under CI=true) if absent */
static inline const char *test_shared_dir(void) {
    static char path[4096];  /* written once per test program */
    const char *env = getenv("EMOGEN_SHARED");
    if (env && *env) snprintf(path, sizeof path, "%s", env);
    else snprintf(path, sizeof path, "%s/../shared", EMOGEN_SOURCE_DIR);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return path;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0) {
        fprintf(stderr, "FAIL: shared data not found at %s (CI=true: missing data is a failure)\n", path);
        exit(1);
    }
    fprintf(stderr, "SKIP: shared data not found at %s (set EMOGEN_SHARED to run this test)\n", path);
    exit(TEST_SKIP_CODE);
}

/* read a whole file into a malloc'd buffer; NULL if unreadable */
static inline unsigned char *test_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) *len = (size_t)n;
    return buf;
}
