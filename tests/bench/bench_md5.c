/* bench_md5.c: MD5 throughput of the multi-buffer emg_md5_many against one emg_md5 call per file
 * (the peer, measured in the same run) and against `md5sum` when it is installed, on the MIDI
 * files of ../shared/data/unlabelled (or, without shared data, 20,000 synthetic buffers of
 * 1-24 kB, a MIDI-like size mix). One thread; best of 5.
 *
 *   build/bench/bench_md5 [DIR]
 */
#define _POSIX_C_SOURCE 200809L
#include "md5.h"
#include "test_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    test_blobs f = {0};
    char dir[4096];
    const char *shared = getenv("EMOGEN_SHARED");
    snprintf(dir, sizeof dir, "%s", argc > 1 ? argv[1] : "");
    if (!dir[0]) snprintf(dir, sizeof dir, "%s/data/unlabelled", shared && *shared ? shared : EMOGEN_SOURCE_DIR "/../shared");
    test_for_each_midi(dir, test_blobs_add, &f);
    const char *what = dir;
    if (f.n == 0) {
        what = "20,000 synthetic buffers of 1-24 kB";
        for (size_t i = 0; i < 20000; i++) {
            size_t len = 1000 + (i * 7919) % 23000;
            uint8_t *b = malloc(len);
            for (size_t j = 0; j < len; j++) b[j] = (uint8_t)((i + j) * 2654435761u >> 13);
            test_blobs_add(NULL, b, len, &f);
        }
    }
    const uint8_t **data = malloc(f.n * sizeof *data);
    size_t *len = malloc(f.n * sizeof *len);
    for (size_t i = 0; i < f.n; i++) { data[i] = f.v[i].buf; len[i] = f.v[i].len; }
    uint8_t (*one)[16] = malloc(f.n * 16), (*many)[16] = malloc(f.n * 16);
    double t_one = 1e9, t_many = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        for (size_t i = 0; i < f.n; i++) emg_md5(data[i], len[i], one[i]);
        double t1 = now();
        emg_md5_many(data, len, f.n, many);
        double t2 = now();
        if (t1 - t0 < t_one) t_one = t1 - t0;
        if (t2 - t1 < t_many) t_many = t2 - t1;
    }
    int same = memcmp(one, many, f.n * 16) == 0;
    double mb = (double)f.bytes / 1e6;
    printf("MD5 of %zu files, %.1f MB (%s), one thread, best of 5\n", f.n, mb, what);
    printf("  emg_md5, one file at a time (peer)   %7.1f MB/s\n", mb / t_one);
    printf("  emg_md5_many, 8 files per vector     %7.1f MB/s   %.2fx the peer   digests %s\n", mb / t_many,
           t_one / t_many, same ? "identical" : "DIFFER");
    /* md5sum on one file holding all the bytes: the scalar speed of GNU coreutils' MD5 */
    FILE *tmp = fopen("/tmp/emogen_bench_md5.bin", "wb");
    if (tmp) {
        for (size_t i = 0; i < f.n; i++) fwrite(data[i], 1, len[i], tmp);
        fclose(tmp);
        double t0 = now();
        int rc = system("md5sum /tmp/emogen_bench_md5.bin > /dev/null 2>&1");
        double t1 = now();
        if (rc == 0) printf("  md5sum (coreutils), one stream        %7.1f MB/s   (process start included)\n", mb / (t1 - t0));
        remove("/tmp/emogen_bench_md5.bin");
    }
    test_blobs_free(&f);
    free(data); free(len); free(one); free(many);
    return same ? 0 : 1;
}
