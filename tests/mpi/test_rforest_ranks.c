/* test_rforest_ranks.c (run at 1, 2 and 4 ranks): a forest fitted with its trees spread over the
 * ranks of MPI_COMM_WORLD is, on every rank, byte for byte the forest fitted locally
 * (MPI_COMM_NULL) on one process: same serialised bytes, so the same predictions and importances.
 * Since the local fit does not depend on the rank count, the forest is the same for any count.
 * 37 trees do not divide evenly over 2 or 4 ranks (uneven blocks), and a second fit with fewer
 * trees (3) than ranks leaves some ranks without trees. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "context.h"
#include "rforest.h"
#include "rng.h"
#include "test_util.h"

static void check_same(const emg_ctx *ctx, const double *X, const int *y, int64_t n, int F, int trees) {
    emg_forest_opts o;
    emg_forest_opts_default(&o);
    o.n_trees = trees;
    emg_forest dist, local;
    CHECK_EQ_INT(emg_forest_fit(X, y, n, F, 4, &o, ctx->comm, &dist).code, 0);
    CHECK_EQ_INT(emg_forest_fit(X, y, n, F, 4, &o, MPI_COMM_NULL, &local).code, 0);
    size_t ld = emg_forest_serialize(&dist, NULL, 0), ll = emg_forest_serialize(&local, NULL, 0);
    CHECK_EQ_INT(ld, ll);
    unsigned char *bd = xmalloc(ld), *bl = xmalloc(ll);
    emg_forest_serialize(&dist, bd, ld);
    emg_forest_serialize(&local, bl, ll);
    CHECK(ld == ll && memcmp(bd, bl, ld) == 0);
    /* every rank holds the same bytes as rank 0 */
    unsigned char *b0 = xmalloc(ld);
    memcpy(b0, bd, ld);
    CHECK_MPI(MPI_Bcast(b0, (int)ld, MPI_BYTE, 0, ctx->comm));
    CHECK(memcmp(b0, bd, ld) == 0);
    double *pd = xmalloc((size_t)n * 4 * sizeof *pd), *pl = xmalloc((size_t)n * 4 * sizeof *pl);
    CHECK_EQ_INT(emg_forest_predict_proba(&dist, X, n, pd).code, 0);
    CHECK_EQ_INT(emg_forest_predict_proba(&local, X, n, pl).code, 0);
    CHECK(memcmp(pd, pl, (size_t)n * 4 * sizeof *pd) == 0);
    double *id = xmalloc((size_t)F * sizeof *id), *il = xmalloc((size_t)F * sizeof *il);
    emg_forest_importances(&dist, id);
    emg_forest_importances(&local, il);
    CHECK(memcmp(id, il, (size_t)F * sizeof *id) == 0);
    double s = 0.0;
    for (int j = 0; j < F; j++) s += id[j];
    CHECK_NEAR(s, 1.0, 1e-12);
    emg_forest_free(&dist);
    emg_forest_free(&local);
    free(bd); free(bl); free(b0); free(pd); free(pl); free(id); free(il);
}

int main(int argc, char **argv) {
    emg_ctx ctx;
    emg_ctx_init(&ctx, &argc, &argv, 1);
    enum { N = 300, F = 40 };
    double *X = xmalloc(N * F * sizeof *X);
    int y[N];
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < F; j++) X[i * F + j] = emg_rng_normal(17, (uint64_t)j, (uint64_t)i);
        for (int j = 30; j < F; j++) X[i * F + j] = 0.0; /* constant columns */
        y[i] = (X[i * F] > 0) + 2 * (X[i * F + 1] + 0.5 * X[i * F + 2] > 0.3);
    }
    check_same(&ctx, X, y, N, F, 37);
    check_same(&ctx, X, y, N, F, 3);
    free(X);
    int failed = TEST_DONE(), any = 0;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, ctx.comm);
    emg_ctx_finalize(&ctx);
    return any;
}
