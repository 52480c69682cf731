/* work_counter.h: dynamic load balancing with a shared counter (MPI one-sided Fetch_and_op).
 * Every rank calls emg_counter_next() to take the next item index; items differ in cost by 100x, so
 * a rank that finishes early simply takes more. Which rank takes which item varies from run to
 * run, so results must be put in order by item index afterwards (they are, in every stage). */
#pragma once
#include <mpi.h>
#include <stdint.h>

typedef struct emg_counter {
    MPI_Win win;
    int64_t *base;   /* the counter lives on rank 0 */
    MPI_Comm comm;
} emg_counter;

/* collective: create a counter starting at 0 */
void emg_counter_init(emg_counter *c, MPI_Comm comm);
/* take the next value (0, 1, 2, ... across all ranks); not collective */
int64_t emg_counter_next(emg_counter *c);
/* collective: free */
void emg_counter_free(emg_counter *c);
