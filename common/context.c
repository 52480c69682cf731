/* context.c: MPI start-up and rank-0 printing. */
#define _POSIX_C_SOURCE 200809L
#include "context.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Open MPI probes its fabric transports at every start (the psm and psm2 MTLs: 0.2 s per process
 * on these machines, most of a short command's run time), even when every rank is on one node
 * and can only use shared memory; measured, a singleton's MPI_Init + MPI_Finalize take 0.31 s
 * with the defaults and 0.018 s with the settings below. So when all ranks are on this node (a
 * singleton started without a launcher, or mpirun with OMPI_COMM_WORLD_LOCAL_SIZE ==
 * OMPI_COMM_WORLD_SIZE), ask for the shared-memory pml ob1 (btl vader/self), unless the user
 * chose a pml or mtl (OMPI_MCA_pml / OMPI_MCA_mtl in the environment, which is also how
 * `mpirun --mca` passes them) or set EMOGEN_MPI_LOCAL_DEFAULTS=0. Every rank sees the same
 * variables, so all choose alike; a job across nodes, or started by srun, keeps the site's
 * settings. Only Open MPI reads these variables. */
static void one_node_transport_default(void) {
    const char *opt = getenv("EMOGEN_MPI_LOCAL_DEFAULTS");
    if ((opt && !strcmp(opt, "0")) || getenv("OMPI_MCA_pml") || getenv("OMPI_MCA_mtl")) return;
    const char *size = getenv("OMPI_COMM_WORLD_SIZE"), *local = getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    if (size) {
        if (!local || strcmp(size, local)) return;  /* mpirun across nodes */
    } else {
        static const char *launched[] = {"PMIX_RANK", "PMI_RANK", "PMI_SIZE", "SLURM_STEP_ID", NULL};
        for (int i = 0; launched[i]; i++)
            if (getenv(launched[i])) return;  /* another launcher (srun): its settings stand */
        /* a singleton: without this, Open MPI forks a support daemon (orted) that only serves
         * MPI_Comm_spawn, which emogen never calls: 0.1 s of start-up and finalize here */
        setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
    }
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
    one_node_transport_default();
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
