/* archive_walk.c: see archive_walk.h. */
#define _POSIX_C_SOURCE 200809L
#include "archive_walk.h"
#include "check.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LEVELS 10          /* one read buffer per nesting level (max_depth <= 8) */

typedef struct walker {
    const emg_walk_opts *o;
    const emg_walk_callbacks *cb;
    const char *input;
    int64_t seen;
    int64_t entry;       /* current emg_member.entry */
    int64_t file_index;  /* next folder-walk file index */
    int top_archive;     /* the input itself is an archive: entries are numbered by header */
    /* expansion accounting for the current top-level archive */
    int64_t expanded, expand_limit;
    uint8_t *buf[MAX_LEVELS];
    size_t cap[MAX_LEVELS];
} walker;

void emg_walk_defaults(emg_walk_opts *o) {
    o->max_member_bytes = 16 << 20;
    o->max_expansion_ratio = 200.0;
    o->max_depth = 2;
    o->follow_symlinks = 0;
}

int emg_is_midi_signature(const uint8_t *p, size_t n) {
    if (n >= 4 && !memcmp(p, "MThd", 4)) return 1;
    return n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "RMID", 4);
}

static void reject(walker *w, const char *member, const char *reason, const char *detail, int is_member) {
    if (is_member) w->seen++;
    emg_reject r = {w->input, member, reason, detail ? detail : "", is_member, w->entry};
    if (w->cb->on_reject) w->cb->on_reject(w->cb->user, &r);
}

static void accept(walker *w, const char *path, const uint8_t *data, size_t len, int64_t mtime, int depth) {
    w->seen++;
    emg_member m = {w->input, path, data, len, mtime, depth, w->entry};
    if (w->cb->on_member) w->cb->on_member(w->cb->user, &m);
}

/* formats we open; not mtree (it bids on plain text); raw only for single compressed files */
static struct archive *new_reader(void) {
    struct archive *a = CHECK_PTR(archive_read_new());
    archive_read_support_filter_all(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_cab(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_lha(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_xar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_raw(a);
    return a;
}

static void join(char *out, size_t n, const char *prefix, const char *sep, const char *name) {
    if (prefix && prefix[0]) snprintf(out, n, "%s%s%s", prefix, sep, name);
    else snprintf(out, n, "%s", name);
}

/* tidy a member path: strip leading "./" and "/" runs collapse; keep everything else verbatim */
static void normalise(const char *in, char *out, size_t n) {
    while (in[0] == '.' && in[1] == '/') in += 2;
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 1 < n; i++) {
        if (in[i] == '/' && j > 0 && out[j - 1] == '/') continue;
        out[j++] = in[i];
    }
    out[j] = 0;
}

/* name for the single stream of a compressed file: "x.mid.gz" -> "x.mid" */
static void strip_compression_ext(const char *label, char *out, size_t n) {
    static const char *exts[] = {".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".Z", ".z", ".lz", ".lzo", NULL};
    snprintf(out, n, "%s", label);
    size_t len = strlen(out);
    for (int i = 0; exts[i]; i++) {
        size_t el = strlen(exts[i]);
        if (len > el && !strcmp(out + len - el, exts[i])) { out[len - el] = 0; return; }
    }
    snprintf(out, n, "%s!data", label);
}

static int64_t walk_archive(walker *w, struct archive *a, const char *label, int depth, int64_t skip_through);

/* seekable formats (zip and 7z read through their central directory) can be reopened and
 * resumed after a member whose data is damaged; streams (tar.gz, ...) cannot */
static int seekable_format(struct archive *a) {
    int f = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
    return f == ARCHIVE_FORMAT_ZIP || f == ARCHIVE_FORMAT_7ZIP;
}

/* classify and hand on one member's bytes (already read) */
static void dispatch(walker *w, const char *path, const uint8_t *data, size_t len, int64_t mtime, int depth) {
    if (len == 0) { reject(w, path, EMG_REJ_EMPTY, "0 bytes", 1); return; }
    if (emg_is_midi_signature(data, len)) { accept(w, path, data, len, mtime, depth); return; }
    /* maybe an archive inside an archive */
    struct archive *a = new_reader();
    if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
        archive_read_free(a);
        reject(w, path, EMG_REJ_NOT_MIDI, "neither MIDI nor a readable archive", 1);
        return;
    }
    struct archive_entry *e;
    int r = archive_read_next_header(a, &e);
    int fmt = archive_format(a);
    int compressed = archive_filter_count(a) > 1;
    int is_archive = r != ARCHIVE_FATAL && fmt != 0 && (fmt != ARCHIVE_FORMAT_RAW || compressed);
    archive_read_free(a);
    if (!is_archive) {
        reject(w, path, EMG_REJ_NOT_MIDI, "neither MIDI nor a readable archive", 1);
        return;
    }
    if (depth + 1 > w->o->max_depth || depth + 1 >= MAX_LEVELS) {
        char d[96];
        snprintf(d, sizeof d, "archive at nesting depth %d, max_depth is %d", depth + 1, w->o->max_depth);
        reject(w, path, EMG_REJ_DEPTH, d, 1);
        return;
    }
    int64_t resume = -1;
    do {
        a = new_reader();
        CHECK_AR(a, archive_read_open_memory(a, data, len));
        resume = walk_archive(w, a, path, depth + 1, resume);
        archive_read_free(a);
    } while (resume >= 0);
}

/* read the current entry's data into the level's buffer; returns length, or -1 (reason set) */
static int64_t read_entry(walker *w, struct archive *a, int level, const char **reason, char *detail, size_t dn) {
    size_t len = 0;
    size_t limit = (size_t)w->o->max_member_bytes;
    for (;;) {
        if (w->cap[level] < len + 65536) {
            size_t ncap = w->cap[level] ? w->cap[level] * 2 : 1 << 20;
            while (ncap < len + 65536) ncap *= 2;
            w->buf[level] = xrealloc(w->buf[level], ncap);
            w->cap[level] = ncap;
        }
        la_ssize_t got = archive_read_data(a, w->buf[level] + len, 65536);
        if (got == 0) break;
        if (got < 0) {
            *reason = EMG_REJ_UNREADABLE;
            snprintf(detail, dn, "%s", archive_error_string(a) ? archive_error_string(a) : "read error");
            return got == ARCHIVE_FATAL ? -2 : -1;
        }
        len += (size_t)got;
        w->expanded += got;
        if (len > limit) {
            *reason = EMG_REJ_TOO_LARGE;
            snprintf(detail, dn, "more than max_member_bytes = %lld", (long long)limit);
            return -1;
        }
        if (w->expanded > w->expand_limit) {
            *reason = EMG_REJ_BOMB;
            snprintf(detail, dn, "archive expanded past %lld bytes (max_expansion_ratio)", (long long)w->expand_limit);
            return -2;
        }
    }
    return (int64_t)len;
}

/* walks entries after skip_through (-1: all); returns -1 when done, or the index of an entry whose
 * damaged data stopped a seekable archive, so the caller reopens it and resumes after that entry */
static int64_t walk_archive(walker *w, struct archive *a, const char *label, int depth, int64_t skip_through) {
    struct archive_entry *e;
    int64_t k = -1;
    for (;;) {
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF) break;
        if (k + 1 <= skip_through && r != ARCHIVE_FATAL) { k++; continue; }
        k++;
        if (depth == 1 && w->top_archive) {
            w->entry = k;
            if (w->cb->want) {
                int want = w->cb->want(w->cb->user, k);
                if (want < 0) return -1;
                if (want == 0 && r != ARCHIVE_FATAL) continue;
            }
        }
        if (r == ARCHIVE_FATAL) {
            reject(w, label, EMG_REJ_CORRUPT, archive_error_string(a), 0);
            return -1;
        }
        const char *raw = archive_entry_pathname_utf8(e);
        if (!raw) raw = archive_entry_pathname(e);
        char name[2048], path[4096];
        int fmt = archive_format(a);
        if (fmt == ARCHIVE_FORMAT_RAW) {
            if (archive_filter_count(a) <= 1) {  /* an uncompressed non-archive: not ours */
                reject(w, label, EMG_REJ_NOT_MIDI, "neither MIDI nor a readable archive", 1);
                return -1;
            }
            strip_compression_ext(label[0] ? label : w->input, name, sizeof name);
            snprintf(path, sizeof path, "%s", name);
        } else {
            normalise(raw ? raw : "(unnamed)", name, sizeof name);
            join(path, sizeof path, label, "!", name);
        }
        if (r == ARCHIVE_FAILED || r == ARCHIVE_RETRY) {
            reject(w, path, EMG_REJ_UNREADABLE, archive_error_string(a), 1);
            continue;
        }
        mode_t type = archive_entry_filetype(e);
        if (type == AE_IFDIR) continue;
        if (archive_entry_hardlink(e) || type == AE_IFLNK) {
            reject(w, path, EMG_REJ_LINK, archive_entry_hardlink(e) ? "hard link" : "symbolic link", 1);
            continue;
        }
        if (type != AE_IFREG && type != 0) {
            reject(w, path, EMG_REJ_SPECIAL, "device, fifo or socket entry", 1);
            continue;
        }
        if (archive_entry_is_encrypted(e)) {
            reject(w, path, EMG_REJ_ENCRYPTED, "encrypted entry", 1);
            continue;
        }
        if (archive_entry_size_is_set(e) && archive_entry_size(e) > w->o->max_member_bytes) {
            char d[96];
            snprintf(d, sizeof d, "%lld bytes, max_member_bytes = %lld", (long long)archive_entry_size(e),
                     (long long)w->o->max_member_bytes);
            reject(w, path, EMG_REJ_TOO_LARGE, d, 1);
            continue;
        }
        const char *reason = NULL;
        char detail[512];
        int64_t len = read_entry(w, a, depth, &reason, detail, sizeof detail);
        if (len < 0) {
            reject(w, path, reason, detail, 1);
            if (len == -2) {  /* this reader cannot continue */
                if (!strcmp(reason, EMG_REJ_BOMB)) { reject(w, label, EMG_REJ_BOMB, detail, 0); return -1; }
                if (seekable_format(a)) return k;  /* reopen and go on after the damaged member */
                reject(w, label, EMG_REJ_CORRUPT, detail, 0);
                return -1;
            }
            continue;
        }
        dispatch(w, path, w->buf[depth], (size_t)len, archive_entry_mtime_is_set(e) ? archive_entry_mtime(e) : 0,
                 depth);
    }
    return -1;
}

/* a plain file (top-level input, or a file inside a walked folder) */
static void walk_file(walker *w, const char *fullpath, const char *rel, const struct stat *st, int top) {
    if (st->st_size == 0) { reject(w, rel, EMG_REJ_EMPTY, "0 bytes", 1); return; }
    int fd = open(fullpath, O_RDONLY);
    if (fd < 0) { reject(w, rel, EMG_REJ_UNREADABLE, strerror(errno), 1); return; }
    uint8_t head[16];
    ssize_t hn = read(fd, head, sizeof head);
    if (hn < 0) { reject(w, rel, EMG_REJ_UNREADABLE, strerror(errno), 1); close(fd); return; }
    if (emg_is_midi_signature(head, (size_t)hn)) {
        if (st->st_size > w->o->max_member_bytes) {
            char d[96];
            snprintf(d, sizeof d, "%lld bytes, max_member_bytes = %lld", (long long)st->st_size,
                     (long long)w->o->max_member_bytes);
            reject(w, rel, EMG_REJ_TOO_LARGE, d, 1);
            close(fd);
            return;
        }
        size_t n = (size_t)st->st_size;
        if (w->cap[0] < n) { w->buf[0] = xrealloc(w->buf[0], n); w->cap[0] = n; }
        memcpy(w->buf[0], head, (size_t)hn);
        size_t got = (size_t)hn;
        while (got < n) {
            ssize_t r = pread(fd, w->buf[0] + got, n - got, (off_t)got);
            if (r <= 0) break;
            got += (size_t)r;
        }
        close(fd);
        if (got != n) { reject(w, rel, EMG_REJ_UNREADABLE, "short read", 1); return; }
        accept(w, rel, w->buf[0], n, (int64_t)st->st_mtime, 0);
        return;
    }
    close(fd);
    struct archive *a = new_reader();
    w->expanded = 0;
    w->expand_limit = (int64_t)(w->o->max_expansion_ratio * (double)st->st_size) + (1 << 20);
    if (archive_read_open_filename(a, fullpath, 65536) != ARCHIVE_OK) {
        reject(w, rel, EMG_REJ_NOT_MIDI, archive_error_string(a) ? archive_error_string(a) : "unreadable", 1);
        archive_read_free(a);
        return;
    }
    /* probe the first header to tell "not an archive" from "archive" */
    struct archive_entry *e;
    int r = archive_read_next_header(a, &e);
    int fmt = archive_format(a);
    int compressed = archive_filter_count(a) > 1;
    archive_read_free(a);
    if (r == ARCHIVE_EOF && fmt != 0 && fmt != ARCHIVE_FORMAT_RAW) return;  /* an empty archive: no members */
    if (fmt == 0 || (fmt == ARCHIVE_FORMAT_RAW && !compressed) || (r == ARCHIVE_FATAL && fmt == ARCHIVE_FORMAT_RAW)) {
        reject(w, rel, EMG_REJ_NOT_MIDI, "neither MIDI nor a readable archive", 1);
        return;
    }
    /* a top-level archive's members are named without a prefix; an archive found inside a walked
     * folder keeps its folder path as prefix */
    w->top_archive = top;
    int64_t resume = -1;
    do {
        a = new_reader();
        CHECK_AR(a, archive_read_open_filename(a, fullpath, 65536));
        resume = walk_archive(w, a, top ? "" : rel, 1, resume);
        archive_read_free(a);
    } while (resume >= 0);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void walk_dir(walker *w, const char *dir, const char *rel) {
    DIR *d = opendir(dir);
    if (!d) { reject(w, rel[0] ? rel : dir, EMG_REJ_UNREADABLE, strerror(errno), 1); return; }
    size_t n = 0, cap = 64;
    char **names = xmalloc(cap * sizeof *names);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (n == cap) names = xrealloc(names, (cap *= 2) * sizeof *names);
        names[n++] = CHECK_PTR(strdup(de->d_name));
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);  /* byte order: the same walk on every machine */
    for (size_t i = 0; i < n; i++) {
        char full[4096], sub[4096];
        snprintf(full, sizeof full, "%s/%s", dir, names[i]);
        join(sub, sizeof sub, rel, "/", names[i]);
        struct stat st;
        if (lstat(full, &st) != 0) { reject(w, sub, EMG_REJ_UNREADABLE, strerror(errno), 1); continue; }
        if (!S_ISDIR(st.st_mode)) w->entry = w->file_index++;
        if (S_ISLNK(st.st_mode)) {
            struct stat target;
            if (!w->o->follow_symlinks || stat(full, &target) != 0 || !S_ISREG(target.st_mode)) {
                reject(w, sub, EMG_REJ_LINK, "symbolic link (not followed)", 1);
                continue;
            }
            st = target;
        }
        if (S_ISDIR(st.st_mode)) walk_dir(w, full, sub);
        else if (S_ISREG(st.st_mode)) walk_file(w, full, sub, &st, 0);
        else reject(w, sub, EMG_REJ_SPECIAL, "device, fifo or socket", 1);
        free(names[i]);
    }
    free(names);
}

int64_t emg_walk_input(const char *input, const emg_walk_opts *o, const emg_walk_callbacks *cb) {
    walker w;
    memset(&w, 0, sizeof w);
    w.o = o;
    w.cb = cb;
    w.input = input;
    struct stat st;
    if (stat(input, &st) != 0) {  /* the user named it: follow a top-level link */
        reject(&w, input, EMG_REJ_UNREADABLE, strerror(errno), 1);
    } else if (S_ISDIR(st.st_mode)) {
        walk_dir(&w, input, "");
    } else if (S_ISREG(st.st_mode)) {
        walk_file(&w, input, input, &st, 1);
    } else {
        reject(&w, input, EMG_REJ_SPECIAL, "not a regular file or folder", 1);
    }
    for (int i = 0; i < MAX_LEVELS; i++) free(w.buf[i]);
    return w.seen;
}
