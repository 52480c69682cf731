/* midi_store.h: reading the HDF5 MIDI store written by `emogen unpack` (format "emogen.midi_store",
 * layout in schemas/midi_store.md): every table but the MIDI bytes is loaded into memory; the bytes
 * of file i are read on demand with emg_midi_store_read_file. */
#pragma once
#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#define MIDI_STORE_FORMAT "emogen.midi_store"
#define MIDI_STORE_VERSION 1

/* ragged strings: chars of string i are chars[off[i] .. off[i+1]) (no NUL in the file) */
typedef struct { int64_t n; int64_t *off; char *chars; } ragged;

typedef struct emg_midi_store {
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
} emg_midi_store;


/* an empty store (no rows) */
void emg_midi_store_empty(emg_midi_store *s);
/* load every table but the bytes; 0, or -1 with err (what the file is and what to do) */
int emg_midi_store_load(emg_midi_store *s, const char *path, char *err, size_t errlen);
/* 1 if an input with this path, size, mtime and checksum (32 hex chars; NULL: any) is in the store */
int emg_midi_store_has_input(const emg_midi_store *s, const char *path, int64_t size, int64_t mtime,
                             const char *checksum);
void emg_midi_store_free(emg_midi_store *s);
/* the bytes of file i, read from the open file `f` (H5Fopen'ed by the caller) into buf (length[i] bytes) */
void emg_midi_store_read_file(hid_t f, const emg_midi_store *s, int64_t i, uint8_t *buf);
/* string i of a ragged column, copied into out (NUL-terminated, truncated to n) */
void emg_ragged_get(const ragged *r, int64_t i, char *out, size_t n);
