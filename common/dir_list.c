/* dir_list.c: see dir_list.h. */
#define _POSIX_C_SOURCE 200809L
#include "dir_list.h"
#include "check.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int64_t emg_dir_list(const char *dir, int (*keep)(const char *name), char ***names) {
    *names = NULL;
    DIR *d = opendir(dir);
    if (!d) return -1;
    size_t n = 0, cap = 64;
    char **v = xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (keep && !keep(de->d_name)) continue;
        if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
        v[n++] = CHECK_PTR(strdup(de->d_name));
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *names = v;
    return (int64_t)n;
}

void emg_dir_list_free(char **names, int64_t n) {
    for (int64_t i = 0; i < n; i++) free(names[i]);
    free(names);
}
