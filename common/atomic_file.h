/* atomic_file.h: write a small text file (JSON results, reports) atomically: "<path>.tmp", fsync,
 * rename. A reader never sees half a file; a killed run leaves the previous version. */
#pragma once
#include <stddef.h>

/* 0 on success, -1 with errno set */
int emg_write_file_atomic(const char *path, const char *data, size_t len);
