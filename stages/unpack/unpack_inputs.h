/* unpack_inputs.h: the table of inputs of one unpack run (path, size, mtime, checksum), the
 * matching against a previous store for incremental runs, and how inputs are split over ranks. */
#pragma once
#include <stdint.h>

typedef struct unpack_input {
    char *path;
    int64_t size;        /* bytes (a folder: the sum of its regular files) */
    int64_t mtime;       /* seconds (a folder: the newest file) */
    char checksum[33];   /* MD5 of the bytes (a folder: of its sorted listing "path size mtime") */
    int is_dir;
    int done_before;     /* already in the previous store with equal path, size, mtime, checksum */
    int split;           /* read by every rank, each taking a block of its entries (seekable zip/7z) */
    int64_t entries;     /* entry count (split inputs only) */
} unpack_input;

/* stat one input and fill size/mtime/is_dir; returns 0, or -1 with errno */
int unpack_input_stat(unpack_input *in);
/* MD5 of a file's bytes or a folder's listing, as 32 hex chars */
int unpack_input_checksum(const unpack_input *in, char out[33]);
/* 1 if the file starts like a seekable archive whose entries can be read in any order (zip, 7z) */
int unpack_input_is_seekable_archive(const char *path);
/* number of entries in an archive (reads headers only), -1 if unreadable */
int64_t unpack_count_entries(const char *path);
