/* csv.c: see csv.h. */
#include "csv.h"

#include <string.h>

int emg_csv_split(char *line, char **fields, int max) {
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    int n = 0;
    char *r = line, *w = line;
    for (;;) {
        if (n < max) fields[n] = w;
        n++;
        if (*r == '"') {  /* quoted: copy until the closing quote, "" is one quote */
            r++;
            for (;;) {
                if (!*r) return -1;
                if (*r == '"') {
                    if (r[1] == '"') { *w++ = '"'; r += 2; continue; }
                    r++;
                    break;
                }
                *w++ = *r++;
            }
            while (*r && *r != ',') r++;  /* tolerate junk after the closing quote */
        } else {
            while (*r && *r != ',') *w++ = *r++;
        }
        if (!*r) { *w = 0; break; }
        *w++ = 0;
        r++;
    }
    return n < max ? n : max;
}

int emg_csv_column(char *const *header, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (!strcmp(header[i], name)) return i;
    return -1;
}
