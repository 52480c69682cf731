/* work_counter.c: see work_counter.h. */
#include "work_counter.h"
#include "check.h"

void emg_counter_init(emg_counter *c, MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    c->comm = comm;
    MPI_Aint size = rank == 0 ? (MPI_Aint)sizeof(int64_t) : 0;
    CHECK_MPI(MPI_Win_allocate(size, sizeof(int64_t), MPI_INFO_NULL, comm, &c->base, &c->win));
    if (rank == 0) *c->base = 0;
    CHECK_MPI(MPI_Barrier(comm));  /* nobody takes a value before it is set */
    CHECK_MPI(MPI_Win_lock_all(0, c->win));
}

int64_t emg_counter_next(emg_counter *c) {
    int64_t one = 1, old = 0;
    CHECK_MPI(MPI_Fetch_and_op(&one, &old, MPI_INT64_T, 0, 0, MPI_SUM, c->win));
    CHECK_MPI(MPI_Win_flush(0, c->win));
    return old;
}

void emg_counter_free(emg_counter *c) {
    CHECK_MPI(MPI_Win_unlock_all(c->win));
    CHECK_MPI(MPI_Win_free(&c->win));
}
