/* test_work_counter.c (1, 2, 4 ranks): the shared counter hands out every index exactly once. */
#include "check.h"
#include "context.h"
#include "work_counter.h"
#include "test_util.h"

int main(int argc, char **argv) {
    emg_ctx ctx;
    emg_ctx_init(&ctx, &argc, &argv, 1);
    emg_counter c;
    emg_counter_init(&c, ctx.comm);
    enum { N = 2000 };
    int *mine = xcalloc(N, sizeof *mine), *all = xcalloc(N, sizeof *all);
    int64_t k, taken = 0;
    while ((k = emg_counter_next(&c)) < N) { mine[k]++; taken++; }
    emg_counter_free(&c);
    MPI_Allreduce(mine, all, N, MPI_INT, MPI_SUM, ctx.comm);
    int once = 1;
    for (int i = 0; i < N; i++) once &= all[i] == 1;
    CHECK(once);
    int64_t total = 0;
    MPI_Allreduce(&taken, &total, 1, MPI_INT64_T, MPI_SUM, ctx.comm);
    CHECK_EQ_INT(total, N);
    free(mine);
    free(all);
    int failed = TEST_DONE(), any = 0;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, ctx.comm);
    emg_ctx_finalize(&ctx);
    return any;
}
