/* atomic_file.h: small whole files. Writing is atomic: "<path>.tmp", fsync, rename, so a reader never
 * sees half a file and a killed run leaves the previous version. Reading loads a file (a config, a
 * report, one MIDI file) into one NUL-terminated buffer, refusing files over a size bound. */
#pragma once
#include <stddef.h>

/* 0 on success, -1 with errno set */
int emg_write_file_atomic(const char *path, const char *data, size_t len);

/* the whole file (NUL-terminated, length in *len if not NULL), or NULL with errno set (EFBIG when the
 * file is larger than max_bytes) */
char *emg_read_file(const char *path, size_t max_bytes, size_t *len);
