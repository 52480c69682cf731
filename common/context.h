/* context.h: what every command carries: the communicator, this rank, and the output switches.
 * Tool commands (tokenize, midi-info, ...) run without MPI start-up; stage commands initialise
 * MPI (plainly, as a singleton, or under mpirun/srun). rank 0 alone prints progress and summaries. */
#pragma once
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>

typedef struct emg_ctx {
    int mpi;        /* 1 when MPI was initialised for this command */
    MPI_Comm comm;  /* MPI_COMM_WORLD, or MPI_COMM_NULL for tool commands */
    int rank, size; /* 0 and 1 without MPI */
    int quiet;      /* --quiet: no progress, no summary on stderr */
    int json;       /* --json: a machine-readable summary on stdout */
} emg_ctx;

/* start MPI if use_mpi (thread level FUNNELED), fill ctx; call once in main */
void emg_ctx_init(emg_ctx *ctx, int *argc, char ***argv, int use_mpi);
/* finalize MPI if it was started */
void emg_ctx_finalize(emg_ctx *ctx);
/* printf to stderr on rank 0 only, unless quiet */
void emg_info(const emg_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* warning to stderr from any rank (bad input, skipped file): always printed, prefixed by rank */
void emg_warn(const emg_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* wall clock in seconds (MPI_Wtime when MPI is up, clock_gettime otherwise) */
double emg_now(void);
