/* extract_labels.h: the labels CSV (columns `file,quadrant` and optional `group`, as
 * ../shared/data/labelled/labels.csv) matched to the pieces of a MIDI store.
 * The group column may also be called song_or_piece or song.
 * A row matches a stored file by MD5 when the CSV's `file` exists next to the CSV (its bytes are
 * hashed), else by member path: equal, or one ends with "/" + the other. Rows that match nothing
 * are reported; a piece matched by two rows with different quadrants is an error. */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct label_table {
    int64_t n;
    char **file, **group;
    int8_t *quadrant;      /* 0..3 for Q1..Q4 */
    uint8_t (*md5)[16];
    uint8_t *has_md5;
    uint8_t *matched;
} label_table;

/* read the CSV; returns 0, or -1 with err */
int labels_load(label_table *t, const char *csv_path, char *err, size_t errlen);
void labels_free(label_table *t);
/* label (0..3) and group of a stored piece, or -1 when no row matches; marks the row matched */
int labels_match(label_table *t, const uint8_t md5[16], const char *member, const char **group);
