/* archive_walk.c: see archive_walk.h. */
#define _POSIX_C_SOURCE 200809L
#include "archive_walk.h"
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
    emg_md5_ctx *md5;    /* not NULL: hash the top-level input file's bytes as they are read */
    int64_t hashed;      /* bytes [0, hashed) of the input are in md5 */
} walker;

/* libarchive client for a top-level file: the reads of the walk also feed the input's MD5, so
 * the input table's checksum costs no second pass over the file. Reads past a seek or skip are
 * not hashed; the caller fills such gaps afterwards (hash_rest). */
enum { SRC_BLOCK = 1 << 17 };
typedef struct file_src {
    walker *w;
    int fd;
    int64_t pos, size;
    uint8_t buf[SRC_BLOCK];
} file_src;

static la_ssize_t src_read(struct archive *a, void *u, const void **out) {
    file_src *s = u;
    ssize_t n = pread(s->fd, s->buf, SRC_BLOCK, (off_t)s->pos);
    if (n < 0) { archive_set_error(a, errno, "read error: %s", strerror(errno)); return -1; }
    walker *w = s->w;
    if (w->md5 && s->pos <= w->hashed && s->pos + n > w->hashed) {
        emg_md5_update(w->md5, s->buf + (w->hashed - s->pos), (size_t)(s->pos + n - w->hashed));
        w->hashed = s->pos + n;
    }
    s->pos += n;
    *out = s->buf;
    return n;
}

static la_int64_t src_seek(struct archive *a, void *u, la_int64_t off, int whence) {
    file_src *s = u;
    int64_t np = whence == SEEK_SET ? off : whence == SEEK_CUR ? s->pos + off : s->size + off;
    if (np < 0) { archive_set_error(a, EINVAL, "seek before the start of the file"); return ARCHIVE_FATAL; }
    return s->pos = np;
}

static la_int64_t src_skip(struct archive *a, void *u, la_int64_t request) {
    (void)a;
    file_src *s = u;
    s->pos += request;
    return request;
}

static int src_open(struct archive *a, file_src *s) {
    s->pos = 0;
    archive_read_set_callback_data(a, s);
    archive_read_set_read_callback(a, src_read);
    archive_read_set_seek_callback(a, src_seek);
    archive_read_set_skip_callback(a, src_skip);
    return archive_read_open1(a);
}

/* hash what the reads skipped, up to the end of the file */
static int hash_rest(walker *w, int fd) {
    uint8_t *buf = xmalloc(SRC_BLOCK);
    ssize_t n;
    while ((n = pread(fd, buf, SRC_BLOCK, (off_t)w->hashed)) > 0) {
        emg_md5_update(w->md5, buf, (size_t)n);
        w->hashed += n;
    }
    free(buf);
    return n < 0 ? -1 : 0;
}

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

/* first: the result of an archive_read_next_header() the caller already made to probe the
 * archive (its entry in *first_e), or NO_FIRST */
enum { NO_FIRST = -1000 };
static int64_t walk_archive(walker *w, struct archive *a, const char *label, int depth, int64_t skip_through,
                            int first, struct archive_entry *first_e);

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
    if (!is_archive) {
        archive_read_free(a);
        reject(w, path, EMG_REJ_NOT_MIDI, "neither MIDI nor a readable archive", 1);
        return;
    }
    if (depth + 1 > w->o->max_depth || depth + 1 >= MAX_LEVELS) {
        archive_read_free(a);
        char d[96];
        snprintf(d, sizeof d, "archive at nesting depth %d, max_depth is %d", depth + 1, w->o->max_depth);
        reject(w, path, EMG_REJ_DEPTH, d, 1);
        return;
    }
    /* walk on from the probed header: a second open would decompress the first block again */
    int64_t resume = walk_archive(w, a, path, depth + 1, -1, r, e);
    archive_read_free(a);
    while (resume >= 0) {
        a = new_reader();
        CHECK_AR(a, archive_read_open_memory(a, data, len));
        resume = walk_archive(w, a, path, depth + 1, resume, NO_FIRST, NULL);
        archive_read_free(a);
    }
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
static int64_t walk_archive(walker *w, struct archive *a, const char *label, int depth, int64_t skip_through,
                            int first, struct archive_entry *first_e) {
    struct archive_entry *e = first_e;
    int64_t k = -1;
    for (;;) {
        int r = first != NO_FIRST ? first : archive_read_next_header(a, &e);
        first = NO_FIRST;
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
    if (!top) w->md5 = NULL;  /* only a top-level input file is hashed (a folder's checksum is its listing) */
    uint8_t head[16];
    ssize_t hn = pread(fd, head, sizeof head, 0);
    if (hn < 0) { reject(w, rel, EMG_REJ_UNREADABLE, strerror(errno), 1); goto done; }
    if (emg_is_midi_signature(head, (size_t)hn)) {
        if (st->st_size > w->o->max_member_bytes) {
            char d[96];
            snprintf(d, sizeof d, "%lld bytes, max_member_bytes = %lld", (long long)st->st_size,
                     (long long)w->o->max_member_bytes);
            reject(w, rel, EMG_REJ_TOO_LARGE, d, 1);
            goto done;
        }
        size_t n = (size_t)st->st_size;
        if (w->cap[0] < n) { w->buf[0] = xrealloc(w->buf[0], n); w->cap[0] = n; }
        size_t got = 0;
        while (got < n) {
            ssize_t r = pread(fd, w->buf[0] + got, n - got, (off_t)got);
            if (r <= 0) break;
            got += (size_t)r;
        }
        if (got != n) { reject(w, rel, EMG_REJ_UNREADABLE, "short read", 1); goto done; }
        if (w->md5) { emg_md5_update(w->md5, w->buf[0], n); w->hashed = (int64_t)n; }
        accept(w, rel, w->buf[0], n, (int64_t)st->st_mtime, 0);
        goto done;
    }
    file_src *src = xmalloc(sizeof *src);
    src->w = w;
    src->fd = fd;
    src->size = (int64_t)st->st_size;
    struct archive *a = new_reader();
    w->expanded = 0;
    w->expand_limit = (int64_t)(w->o->max_expansion_ratio * (double)st->st_size) + (1 << 20);
    if (src_open(a, src) != ARCHIVE_OK) {
        reject(w, rel, EMG_REJ_NOT_MIDI, archive_error_string(a) ? archive_error_string(a) : "unreadable", 1);
        archive_read_free(a);
        free(src);
        goto done;
    }
    /* probe the first header to tell "not an archive" from "archive"; the walk goes on from it
     * (a second open would decompress the first block again: up to 900 kB for bzip2) */
    struct archive_entry *e;
    int r = archive_read_next_header(a, &e);
    int fmt = archive_format(a);
    int compressed = archive_filter_count(a) > 1;
    int64_t resume = -1;
    if (r == ARCHIVE_EOF && fmt != 0 && fmt != ARCHIVE_FORMAT_RAW) {
        /* an empty archive: no members */
    } else if (fmt == 0 || (fmt == ARCHIVE_FORMAT_RAW && !compressed) ||
               (r == ARCHIVE_FATAL && fmt == ARCHIVE_FORMAT_RAW)) {
        reject(w, rel, EMG_REJ_NOT_MIDI, "neither MIDI nor a readable archive", 1);
    } else {
        /* a top-level archive's members are named without a prefix; an archive found inside a
         * walked folder keeps its folder path as prefix */
        w->top_archive = top;
        resume = walk_archive(w, a, top ? "" : rel, 1, -1, r, e);
    }
    archive_read_free(a);
    while (resume >= 0) {  /* a seekable archive with a damaged member: reopen, go on after it */
        a = new_reader();
        CHECK_AR(a, src_open(a, src));
        resume = walk_archive(w, a, top ? "" : rel, 1, resume, NO_FIRST, NULL);
        archive_read_free(a);
    }
    free(src);
done:
    if (w->md5 && hash_rest(w, fd) != 0) w->md5 = NULL;
    close(fd);
}

static void walk_dir(walker *w, const char *dir, const char *rel) {
    char **names;
    int64_t n = emg_dir_list(dir, NULL, &names);  /* byte order: the same walk on every machine */
    if (n < 0) { reject(w, rel[0] ? rel : dir, EMG_REJ_UNREADABLE, strerror(errno), 1); return; }
    for (int64_t i = 0; i < n; i++) {
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
    }
    emg_dir_list_free(names, n);
}

int64_t emg_walk_input_md5(const char *input, const emg_walk_opts *o, const emg_walk_callbacks *cb,
                           uint8_t md5[16], int *md5_ok) {
    walker w;
    memset(&w, 0, sizeof w);
    w.o = o;
    w.cb = cb;
    w.input = input;
    emg_md5_ctx hash;
    if (md5) { emg_md5_init(&hash); w.md5 = &hash; }
    struct stat st;
    if (stat(input, &st) != 0) {  /* the user named it: follow a top-level link */
        w.md5 = NULL;
        reject(&w, input, EMG_REJ_UNREADABLE, strerror(errno), 1);
    } else if (S_ISDIR(st.st_mode)) {
        w.md5 = NULL;
        walk_dir(&w, input, "");
    } else if (S_ISREG(st.st_mode)) {
        walk_file(&w, input, input, &st, 1);
    } else {
        w.md5 = NULL;
        reject(&w, input, EMG_REJ_SPECIAL, "not a regular file or folder", 1);
    }
    if (w.md5) emg_md5_final(w.md5, md5);
    if (md5_ok) *md5_ok = w.md5 != NULL;
    for (int i = 0; i < MAX_LEVELS; i++) free(w.buf[i]);
    return w.seen;
}

int64_t emg_walk_input(const char *input, const emg_walk_opts *o, const emg_walk_callbacks *cb) {
    return emg_walk_input_md5(input, o, cb, NULL, NULL);
}
