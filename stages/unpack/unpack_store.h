/* unpack_store.h: the HDF5 MIDI store (format "emogen.midi_store", layout in schemas/midi_store.md):
 * loading a previous store (for incremental runs), merging this run's records into one global
 * order with duplicate decisions, writing the new store, and the summary. */
#pragma once
#include <mpi.h>
#include <stdint.h>

#include "unpack/unpack_bytes.h"
#include "unpack/unpack_inputs.h"
#include "unpack/unpack_records.h"

#include "midi_store.h"

typedef emg_midi_store unpack_store;
#define unpack_store_empty emg_midi_store_empty
#define unpack_store_load emg_midi_store_load
#define unpack_store_free emg_midi_store_free
static inline int unpack_store_has_input(const unpack_store *s, const unpack_input *in) {
    return emg_midi_store_has_input(s, in->path, in->size, in->mtime, in->checksum);
}

/* the merged view of this run, identical on every rank */
typedef struct unpack_merged {
    unpack_rec *rec;     /* sorted by (input, entry, sub) */
    size_t n;
    int64_t *final_index;/* REC_MIDI kept: index in the new store's midi table; duplicates: -1 - index of kept copy */
    uint8_t *gathered;   /* the buffer the records' strings point into */
} unpack_merged;

void unpack_merge(unpack_merged *m, MPI_Comm comm, const ubuf *mine, const unpack_store *prev);
void unpack_merged_free(unpack_merged *m);

typedef struct unpack_summary {
    int64_t inputs, inputs_skipped, members_seen, accepted, duplicates, rejected, containers_rejected;
    int64_t bytes_in, bytes_out;
    int64_t store_files, store_bytes;
    int64_t extract_refused;   /* --extract-to: accepted files not written (unsafe names) */
    double seconds;
    /* phases on rank 0: input table + checksums, reading (rank 0 and the slowest rank), merge, write */
    double t_inputs, t_read, t_read_max, t_merge, t_write;
} unpack_summary;

/* write the new store (collective); fills the counts of sum */
void unpack_store_write(const char *out, MPI_Comm comm, const char *config_json, const unpack_store *prev,
                        const unpack_input *in, int n_inputs, const unpack_merged *m, const unpack_bytes *my_bytes,
                        unpack_summary *sum);
void unpack_print_summary(const unpack_summary *sum, const unpack_merged *m, int quiet, int json, const char *out);
