/* archive_walk.h: visit every file inside archives, folders and plain files, in a fixed order,
 * without extracting anything to disk.
 *
 * An input is a folder (walked recursively, names sorted), or a file: a MIDI file (by content:
 * "MThd" or RIFF "RMID"), an archive of any format libarchive reads (tar with gz/bz2/xz/zstd/lz4,
 * zip, 7z, rar, cpio, ar, iso9660, xar, cab, lha), or one compressed file (x.mid.gz). What a
 * member IS is decided by its bytes, never by its name. Archives inside archives are opened up to
 * max_depth levels.
 *
 * Every regular file met is a "member" and ends in exactly one callback: on_member (its bytes are
 * MIDI by signature; the callee may still reject it, e.g. if the MIDI reader refuses it) or
 * on_reject (with a reason code). Archives that are opened are containers, not members. Directory
 * entries are not members. Links and device entries are rejected, never followed. So for every
 * input: members seen = on_member calls + on_reject calls, and nothing is lost silently.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* reject reasons (stable strings: they appear in summaries, JSON and HDF5 reject tables) */
#define EMG_REJ_NOT_MIDI "not_midi"            /* bytes are neither MIDI nor an archive we open */
#define EMG_REJ_EMPTY "empty"                  /* 0-byte member */
#define EMG_REJ_TOO_LARGE "too_large"          /* over max_member_bytes */
#define EMG_REJ_LINK "link"                    /* symlink or hard link: never followed */
#define EMG_REJ_SPECIAL "special_file"         /* device, fifo, socket */
#define EMG_REJ_UNREADABLE "unreadable"        /* I/O error, or data damaged inside the archive */
#define EMG_REJ_CORRUPT "corrupt_archive"      /* the archive's structure breaks off (members after it are lost) */
#define EMG_REJ_BOMB "expansion_limit"         /* expanded bytes passed max_expansion_ratio: abandoned */
#define EMG_REJ_DEPTH "nested_too_deep"        /* an archive deeper than max_depth */
#define EMG_REJ_BAD_MIDI "bad_midi"            /* MIDI signature, but the MIDI reader rejects it (set by callers) */
#define EMG_REJ_ENCRYPTED "encrypted"          /* encrypted member: no password support */

typedef struct emg_walk_opts {
    int64_t max_member_bytes;    /* default 16 MiB */
    double max_expansion_ratio;  /* default 200 */
    int max_depth;               /* default 2 */
    int follow_symlinks;         /* folders only; default 0 */
} emg_walk_opts;

typedef struct emg_member {
    const char *input;       /* the top-level input as given */
    const char *path;        /* member path: "dir/a.mid" inside an archive or folder, "inner.zip!x.mid"
                                when nested; for a plain MIDI input, its file name */
    const uint8_t *data;     /* the member's bytes (valid during the callback only) */
    size_t len;
    int64_t mtime;           /* seconds since the epoch, 0 if unknown */
    int depth;               /* 0 for a plain file, 1 inside an archive, 2 inside an archive inside ... */
    int64_t entry;           /* position in the input: the top-level archive entry index, or the file's
                                index in the folder walk (all members found inside it share it) */
} emg_member;

typedef struct emg_reject {
    const char *input;
    const char *member;      /* member path, or the container's label ("" = the input itself) */
    const char *reason;      /* EMG_REJ_* */
    const char *detail;      /* libarchive's or our message */
    int is_member;           /* 1: one member (file) is rejected and counts as seen; 0: a container
                                is abandoned (corrupt, bomb): the members it still held are unknown */
    int64_t entry;           /* as emg_member.entry (for a broken archive: the entry that failed) */
} emg_reject;

typedef struct emg_walk_callbacks {
    void *user;
    void (*on_member)(void *user, const emg_member *m);
    void (*on_reject)(void *user, const emg_reject *r);
    /* optional, for an input that is itself an archive: return 1 to read entry k (0-based, every
     * header of the archive in order), 0 to skip it unread and uncounted, -1 to stop reading the
     * archive (used to split one archive over ranks: each takes a block of entries) */
    int (*want)(void *user, int64_t k);
} emg_walk_callbacks;

void emg_walk_defaults(emg_walk_opts *o);
/* walk one input; returns the number of members seen (on_member + on_reject calls) */
int64_t emg_walk_input(const char *input, const emg_walk_opts *o, const emg_walk_callbacks *cb);
/* the same, and for an input that is a regular file, the MD5 of all its bytes, taken from the
 * reads the walk makes anyway (what the reads skipped is read and hashed at the end): *md5_ok = 1;
 * 0 for a folder or a file that could not be read to its end */
int64_t emg_walk_input_md5(const char *input, const emg_walk_opts *o, const emg_walk_callbacks *cb, uint8_t md5[16],
                           int *md5_ok);
/* 1 if the bytes start like a MIDI file ("MThd", or "RIFF" .... "RMID") */
int emg_is_midi_signature(const uint8_t *p, size_t n);
