/* unpack_store.h: the HDF5 MIDI store (format "emogen.midi_store", layout in schemas/midi_store.md):
 * loading a previous store (for incremental runs), merging this run's records into one global
 * order with duplicate decisions, writing the new store, and the summary. */
#pragma once
#include <mpi.h>
#include <stdint.h>

#include "unpack/unpack_inputs.h"
#include "unpack/unpack_records.h"

#define MIDI_STORE_FORMAT "emogen.midi_store"
#define MIDI_STORE_VERSION 1

/* ragged strings: chars of string i are chars[off[i] .. off[i+1]) (no NUL in the file) */
typedef struct { int64_t n; int64_t *off; char *chars; } ragged;

typedef struct unpack_store {
    char path[4096];
    /* accepted, unique MIDI files */
    int64_t n_midi, total_bytes;
    int64_t *offset, *length, *mtime;
    int32_t *input, *warnings;
    uint8_t *md5;         /* 16 bytes each */
    ragged member;        /* member path */
    /* duplicates: path of the duplicate, its input, and the index of the kept copy */
    int64_t n_dup;
    int64_t *dup_of;
    int32_t *dup_input;
    ragged dup_member;
    /* rejects */
    int64_t n_rej;
    int32_t *rej_input, *rej_is_member;
    ragged rej_member, rej_reason, rej_detail;
    /* inputs */
    int64_t n_inputs;
    int64_t *in_size, *in_mtime;
    ragged in_path;
    char (*in_checksum)[33];
    /* cumulative counts over all runs that built the store */
    int64_t members_seen;
} unpack_store;

void unpack_store_empty(unpack_store *s);
int unpack_store_load(unpack_store *s, const char *path, char *err, size_t errlen);
int unpack_store_has_input(const unpack_store *s, const unpack_input *in);
void unpack_store_free(unpack_store *s);

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
                        const unpack_input *in, int n_inputs, const unpack_merged *m, const uint8_t *my_bytes,
                        unpack_summary *sum);
void unpack_print_summary(const unpack_summary *sum, const unpack_merged *m, int quiet, int json, const char *out);
