/* dir_list.h: the names in a folder, sorted in byte order, so that every walk over a folder visits
 * it in the same order on every machine and file system (readdir's order is arbitrary). */
#pragma once
#include <stdint.h>

/* the names in dir (not "." and ".."), for which keep(name) is 1 when keep is given, sorted by
 * strcmp; *names gets a malloc'd array of malloc'd strings (free with emg_dir_list_free).
 * Returns the count, or -1 with errno set when dir cannot be opened. */
int64_t emg_dir_list(const char *dir, int (*keep)(const char *name), char ***names);
void emg_dir_list_free(char **names, int64_t n);
