/* context.c: MPI start-up and rank-0 printing. */
#define _POSIX_C_SOURCE 200809L
#include "context.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A singleton (started without mpirun or srun) is one process on one node: Open MPI's fabric
 * transports have nobody to talk to, yet probing them (the psm and psm2 MTLs: 0.2 s of every
 * start on these machines) is most of a short command's run time. So a singleton asks for the
 * shared-memory pml, unless a launcher started it or the user chose a pml or mtl (any
 * OMPI_MCA_pml / OMPI_MCA_mtl in the environment), or EMOGEN_MPI_SINGLETON_DEFAULTS=0. Only Open
 * MPI reads these variables; ranks started by a launcher keep the site's settings untouched. */
static void singleton_transport_default(void) {
    static const char *launched[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "SLURM_PROCID",
                                     "OMPI_MCA_pml", "OMPI_MCA_mtl", NULL};
    for (int i = 0; launched[i]; i++)
        if (getenv(launched[i])) return;
    const char *opt = getenv("EMOGEN_MPI_SINGLETON_DEFAULTS");
    if (opt && !strcmp(opt, "0")) return;
    setenv("OMPI_MCA_pml", "ob1", 0);
}

void emg_ctx_init(emg_ctx *ctx, int *argc, char ***argv, int use_mpi) {
    ctx->mpi = 0;
    ctx->comm = MPI_COMM_NULL;
    ctx->rank = 0;
    ctx->size = 1;
    ctx->quiet = 0;
    ctx->json = 0;
    emg_h5_quiet_errors();
    if (!use_mpi) return;
    int provided = 0;
    singleton_transport_default();
    CHECK_MPI(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided));
    /* errors come back as codes, so CHECK_MPI can name the call instead of MPI aborting silently */
    CHECK_MPI(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    ctx->mpi = 1;
    ctx->comm = MPI_COMM_WORLD;
    CHECK_MPI(MPI_Comm_rank(ctx->comm, &ctx->rank));
    CHECK_MPI(MPI_Comm_size(ctx->comm, &ctx->size));
}

void emg_ctx_finalize(emg_ctx *ctx) {
    if (ctx->mpi) {
        MPI_Finalize();
        ctx->mpi = 0;
    }
}

void emg_info(const emg_ctx *ctx, const char *fmt, ...) {
    if (ctx->rank != 0 || ctx->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void emg_warn(const emg_ctx *ctx, const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (ctx->size > 1) fprintf(stderr, "emogen: warning [rank %d]: %s\n", ctx->rank, msg);
    else fprintf(stderr, "emogen: warning: %s\n", msg);
}

double emg_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
