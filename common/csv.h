/* csv.h: split one line of RFC 4180 CSV in place (quoted fields, "" escapes, no embedded newlines).
 * Used for labels.csv and the data manifests. */
#pragma once

/* splits line (modified in place; a trailing \r\n is removed) into at most max fields;
 * returns the number of fields, or -1 on an unterminated quote */
int emg_csv_split(char *line, char **fields, int max);
/* index of column `name` in a split header, or -1 */
int emg_csv_column(char *const *header, int n, const char *name);
