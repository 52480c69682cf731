/* midi_store.c: see midi_store.h. */
#define _POSIX_C_SOURCE 200809L
#include "midi_store.h"
#include "check.h"
#include "h5util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void *read_all(hid_t f, const char *name, hid_t type, int64_t n, size_t elem) {
    void *p = xcalloc((size_t)(n > 0 ? n : 1), elem);
    emg_h5_read_1d(f, name, type, 0, n, p);
    return p;
}

static void ragged_read(hid_t f, const char *base, int64_t n, ragged *r) {
    char name[256];
    r->n = n;
    snprintf(name, sizeof name, "%s_offset", base);
    r->off = read_all(f, name, H5T_NATIVE_INT64, n + 1, sizeof *r->off);
    snprintf(name, sizeof name, "%s_chars", base);
    r->chars = read_all(f, name, H5T_NATIVE_UINT8, r->off[n], 1);
}

static void ragged_free(ragged *r) { free(r->off); free(r->chars); memset(r, 0, sizeof *r); }

void emg_midi_store_empty(emg_midi_store *s) {
    memset(s, 0, sizeof *s);
    s->member.off = xcalloc(1, sizeof(int64_t));
    s->dup_member.off = xcalloc(1, sizeof(int64_t));
    s->rej_member.off = xcalloc(1, sizeof(int64_t));
    s->rej_reason.off = xcalloc(1, sizeof(int64_t));
    s->rej_detail.off = xcalloc(1, sizeof(int64_t));
    s->in_path.off = xcalloc(1, sizeof(int64_t));
}

int emg_midi_store_load(emg_midi_store *s, const char *path, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    hid_t f = emg_h5_open(path, MPI_COMM_NULL, MIDI_STORE_FORMAT, MIDI_STORE_VERSION, err, errlen);
    if (f < 0) return -1;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->n_midi = emg_h5_len(f, "midi/length");
    s->n_dup = emg_h5_len(f, "duplicates/of");
    s->n_rej = emg_h5_len(f, "rejects/input");
    s->n_inputs = emg_h5_len(f, "inputs/size");
    if (s->n_midi < 0 || s->n_dup < 0 || s->n_rej < 0 || s->n_inputs < 0) {
        snprintf(err, errlen, "%s: a %s file with missing datasets (damaged?): move it away and re-run", path,
                 MIDI_STORE_FORMAT);
        H5Fclose(f);
        return -1;
    }
    s->offset = read_all(f, "midi/offset", H5T_NATIVE_INT64, s->n_midi, 8);
    s->length = read_all(f, "midi/length", H5T_NATIVE_INT64, s->n_midi, 8);
    s->mtime = read_all(f, "midi/mtime", H5T_NATIVE_INT64, s->n_midi, 8);
    s->input = read_all(f, "midi/input", H5T_NATIVE_INT32, s->n_midi, 4);
    s->warnings = read_all(f, "midi/warnings", H5T_NATIVE_INT32, s->n_midi, 4);
    s->md5 = read_all(f, "midi/md5", H5T_NATIVE_UINT8, s->n_midi, 16);
    ragged_read(f, "midi/member", s->n_midi, &s->member);
    s->dup_of = read_all(f, "duplicates/of", H5T_NATIVE_INT64, s->n_dup, 8);
    s->dup_input = read_all(f, "duplicates/input", H5T_NATIVE_INT32, s->n_dup, 4);
    ragged_read(f, "duplicates/member", s->n_dup, &s->dup_member);
    s->rej_input = read_all(f, "rejects/input", H5T_NATIVE_INT32, s->n_rej, 4);
    s->rej_is_member = read_all(f, "rejects/is_member", H5T_NATIVE_INT32, s->n_rej, 4);
    ragged_read(f, "rejects/member", s->n_rej, &s->rej_member);
    ragged_read(f, "rejects/reason", s->n_rej, &s->rej_reason);
    ragged_read(f, "rejects/detail", s->n_rej, &s->rej_detail);
    s->in_size = read_all(f, "inputs/size", H5T_NATIVE_INT64, s->n_inputs, 8);
    s->in_mtime = read_all(f, "inputs/mtime", H5T_NATIVE_INT64, s->n_inputs, 8);
    ragged_read(f, "inputs/path", s->n_inputs, &s->in_path);
    uint8_t *ck = read_all(f, "inputs/checksum", H5T_NATIVE_UINT8, s->n_inputs, 32);
    s->in_checksum = xcalloc((size_t)(s->n_inputs ? s->n_inputs : 1), sizeof *s->in_checksum);
    for (int64_t i = 0; i < s->n_inputs; i++) memcpy(s->in_checksum[i], ck + 32 * i, 32);
    free(ck);
    s->total_bytes = s->n_midi ? s->offset[s->n_midi - 1] + s->length[s->n_midi - 1] : 0;
    emg_h5_get_attr_i64(f, "members_seen", &s->members_seen);
    H5Fclose(f);
    return 0;
}

int emg_midi_store_has_input(const emg_midi_store *s, const char *path, int64_t size, int64_t mtime,
                             const char *checksum) {
    size_t len = strlen(path);
    for (int64_t i = 0; i < s->n_inputs; i++) {
        int64_t a = s->in_path.off[i], b = s->in_path.off[i + 1];
        if ((size_t)(b - a) == len && !memcmp(s->in_path.chars + a, path, len) && s->in_size[i] == size &&
            s->in_mtime[i] == mtime && (!checksum || !memcmp(s->in_checksum[i], checksum, 32)))
            return 1;
    }
    return 0;
}

void emg_midi_store_free(emg_midi_store *s) {
    free(s->offset); free(s->length); free(s->mtime); free(s->input); free(s->warnings); free(s->md5);
    free(s->dup_of); free(s->dup_input); free(s->rej_input); free(s->rej_is_member);
    free(s->in_size); free(s->in_mtime); free(s->in_checksum);
    ragged_free(&s->member); ragged_free(&s->dup_member); ragged_free(&s->rej_member);
    ragged_free(&s->rej_reason); ragged_free(&s->rej_detail); ragged_free(&s->in_path);
}

void emg_midi_store_read_file(hid_t f, const emg_midi_store *s, int64_t i, uint8_t *buf) {
    emg_h5_read_1d(f, "midi/bytes", H5T_NATIVE_UINT8, s->offset[i], s->length[i], buf);
}

void emg_ragged_get(const ragged *r, int64_t i, char *out, size_t n) {
    size_t len = (size_t)(r->off[i + 1] - r->off[i]);
    if (len >= n) len = n - 1;
    memcpy(out, r->chars + r->off[i], len);
    out[len] = 0;
}
