/* unpack_inputs.c: see unpack_inputs.h. */
#define _POSIX_C_SOURCE 200809L
#include "unpack_inputs.h"
#include "check.h"
#include "dir_list.h"
#include "md5.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* visit regular files under dir in sorted order (no links followed) */
static void dir_visit(const char *dir, const char *rel, void (*fn)(void *, const char *, const struct stat *), void *u) {
    char **names;
    int64_t n = emg_dir_list(dir, NULL, &names);
    for (int64_t i = 0; i < n; i++) {
        char full[4096], sub[4096];
        snprintf(full, sizeof full, "%s/%s", dir, names[i]);
        if (rel[0]) snprintf(sub, sizeof sub, "%s/%s", rel, names[i]);
        else snprintf(sub, sizeof sub, "%s", names[i]);
        struct stat st;
        if (lstat(full, &st) == 0) {
            if (S_ISDIR(st.st_mode)) dir_visit(full, sub, fn, u);
            else if (S_ISREG(st.st_mode)) fn(u, sub, &st);
        }
    }
    emg_dir_list_free(names, n);
}

typedef struct { int64_t size, mtime; emg_md5_ctx *md5; } dir_acc;

static void acc_file(void *u, const char *rel, const struct stat *st) {
    dir_acc *a = u;
    a->size += st->st_size;
    if (st->st_mtime > a->mtime) a->mtime = st->st_mtime;
    if (a->md5) {
        char line[4200];
        int n = snprintf(line, sizeof line, "%s %lld %lld\n", rel, (long long)st->st_size, (long long)st->st_mtime);
        emg_md5_update(a->md5, line, (size_t)n);
    }
}

int unpack_input_stat(unpack_input *in) {
    struct stat st;
    if (stat(in->path, &st) != 0) return -1;
    in->is_dir = S_ISDIR(st.st_mode);
    if (in->is_dir) {
        dir_acc a = {0, 0, NULL};
        dir_visit(in->path, "", acc_file, &a);
        in->size = a.size;
        in->mtime = a.mtime;
    } else {
        in->size = st.st_size;
        in->mtime = st.st_mtime;
    }
    return 0;
}

int unpack_input_checksum(const unpack_input *in, char out[33]) {
    emg_md5_ctx c;
    emg_md5_init(&c);
    if (in->is_dir) {
        dir_acc a = {0, 0, &c};
        dir_visit(in->path, "", acc_file, &a);
    } else {
        int fd = open(in->path, O_RDONLY);
        if (fd < 0) return -1;
        uint8_t *buf = xmalloc(1 << 20);
        ssize_t n;
        while ((n = read(fd, buf, 1 << 20)) > 0) emg_md5_update(&c, buf, (size_t)n);
        free(buf);
        close(fd);
        if (n < 0) return -1;
    }
    uint8_t d[16];
    emg_md5_final(&c, d);
    emg_md5_hex(d, out);
    return 0;
}

int unpack_input_is_seekable_archive(const char *path) {
    uint8_t h[6] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    if (n >= 4 && !memcmp(h, "PK\x03\x04", 4)) return 1;
    return n >= 6 && !memcmp(h, "7z\xBC\xAF\x27\x1C", 6);
}

int64_t unpack_count_entries(const char *path) {
    struct archive *a = CHECK_PTR(archive_read_new());
    archive_read_support_filter_all(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    int64_t n = -1;
    if (archive_read_open_filename(a, path, 65536) == ARCHIVE_OK) {
        struct archive_entry *e;
        int r;
        n = 0;
        while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF && r != ARCHIVE_FATAL) n++;
    }
    archive_read_free(a);
    return n;
}
