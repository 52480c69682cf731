/* test_h5_parallel.c (run at 1, 2 and 4 ranks): collective parallel-HDF5 writes at offsets from a
 * prefix sum give the same file for any rank count, values drawn from the counter-based RNG by
 * global index are the same for any rank count, and the MPI-IO file is committed atomically. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "context.h"
#include "h5util.h"
#include "rng.h"
#include "split.h"
#include "test_util.h"

#include <unistd.h>

int main(int argc, char **argv) {
    emg_ctx ctx;
    emg_ctx_init(&ctx, &argc, &argv, 1);
    /* uneven shares: rank r gets a block of a ragged global array */
    const int64_t n_items = 1001;
    int64_t b, e;
    emg_split_block(n_items, ctx.size, ctx.rank, &b, &e);
    /* each item i has 1 + i % 5 values (ragged), value j of item i = f(seed, i, j) */
    int64_t local = 0;
    for (int64_t i = b; i < e; i++) local += 1 + i % 5;
    int64_t total = 0;
    int64_t off = emg_prefix_offset(local, ctx.comm, &total);
    double *vals = xmalloc((size_t)(local ? local : 1) * sizeof *vals);
    int64_t k = 0;
    for (int64_t i = b; i < e; i++)
        for (int64_t j = 0; j < 1 + i % 5; j++) vals[k++] = emg_rng_uniform(2024, (uint64_t)i, (uint64_t)j);

    char path[256];
    if (ctx.rank == 0) snprintf(path, sizeof path, "/tmp/emogen_h5par_%d.h5", (int)getpid());
    MPI_Bcast(path, sizeof path, MPI_CHAR, 0, ctx.comm);
    emg_h5file f;
    emg_h5_create(&f, path, ctx.comm, "emogen.test", 1, "test", "{}");
    emg_h5_write_1d(f.id, "values", H5T_NATIVE_DOUBLE, total, off, local, vals, ctx.comm);
    /* 2-D rows: item i row = (i, i*i) */
    int64_t *rows = xmalloc((size_t)((e - b) ? (e - b) : 1) * 2 * sizeof *rows);
    for (int64_t i = b; i < e; i++) { rows[2 * (i - b)] = i; rows[2 * (i - b) + 1] = i * i; }
    emg_h5_write_rows(f.id, "rows", H5T_NATIVE_INT64, n_items, 2, b, e - b, rows, ctx.comm);
    /* a dataset bigger than one write round (EMG_H5_ROUND_BYTES) with very uneven shares: rank r
     * holds r * 5 MiB, so ranks make different numbers of rounds (rank 0 none) and must still
     * meet in every collective call */
    const int64_t big_unit = 5 << 20;
    int64_t big_local = ctx.rank * big_unit, big_total = 0;
    int64_t big_off = emg_prefix_offset(big_local, ctx.comm, &big_total);
    uint8_t *big = xmalloc((size_t)(big_local ? big_local : 1));
    for (int64_t i = 0; i < big_local; i++) big[i] = (uint8_t)((big_off + i) * 2654435761u >> 13);
    emg_h5_write_1d(f.id, "big", H5T_NATIVE_UINT8, big_total, big_off, big_local, big, ctx.comm);
    emg_h5_attr_i64(f.id, "items", n_items);
    emg_h5_commit(&f);

    if (ctx.rank == 0) {
        char tmp[300];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        CHECK(access(tmp, F_OK) != 0);
        char err[512];
        hid_t id = emg_h5_open(path, MPI_COMM_NULL, "emogen.test", 1, err, sizeof err);
        CHECK(id >= 0);
        int64_t expect_total = 0;
        for (int64_t i = 0; i < n_items; i++) expect_total += 1 + i % 5;
        CHECK_EQ_INT(emg_h5_len(id, "values"), expect_total);
        double *all = xmalloc((size_t)expect_total * sizeof *all);
        emg_h5_read_1d(id, "values", H5T_NATIVE_DOUBLE, 0, expect_total, all);
        int64_t q = 0;
        int same = 1;
        for (int64_t i = 0; i < n_items; i++)
            for (int64_t j = 0; j < 1 + i % 5; j++) same &= all[q++] == emg_rng_uniform(2024, (uint64_t)i, (uint64_t)j);
        CHECK(same);  /* identical to a 1-rank computation, whatever ctx.size is */
        int64_t *r = xmalloc((size_t)n_items * 2 * sizeof *r);
        emg_h5_read_1d(id, "rows", H5T_NATIVE_INT64, 0, n_items, r);
        int rows_ok = 1;
        for (int64_t i = 0; i < n_items; i++) rows_ok &= r[2 * i] == i && r[2 * i + 1] == i * i;
        CHECK(rows_ok);
        CHECK_EQ_INT(emg_h5_len(id, "big"), big_total);
        uint8_t *bg = xmalloc((size_t)(big_total ? big_total : 1));
        emg_h5_read_1d(id, "big", H5T_NATIVE_UINT8, 0, big_total, bg);
        int big_ok = 1;
        for (int64_t i = 0; i < big_total; i++) big_ok &= bg[i] == (uint8_t)(i * 2654435761u >> 13);
        CHECK(big_ok);
        free(bg);
        int64_t items = 0;
        CHECK_EQ_INT(emg_h5_get_attr_i64(id, "items", &items), 0);
        CHECK_EQ_INT(items, n_items);
        H5Fclose(id);
        unlink(path);
        free(all);
        free(r);
    } else {
        CHECK(1);  /* other ranks took part in the collective writes above */
    }
    free(vals);
    free(rows);
    free(big);
    int failed = TEST_DONE(), any = 0;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, ctx.comm);
    emg_ctx_finalize(&ctx);
    return any;
}
