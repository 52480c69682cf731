/* unpack_extract.c: see unpack_extract.h. */
#define _POSIX_C_SOURCE 200809L
#include "unpack/unpack_extract.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* a relative path whose components are all plain names; '!' (nested archive) becomes '/' */
static int safe_relative(const char *in, char *out, size_t n, char *why, size_t whylen) {
    if (in[0] == '/') { snprintf(why, whylen, "absolute path"); return -1; }
    snprintf(out, n, "%s", in);
    for (char *p = out; *p; p++) if (*p == '!' || *p == '\\') *p = '/';
    char copy[8192];
    snprintf(copy, sizeof copy, "%s", out);
    char *save = NULL;
    int parts = 0;
    for (char *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, "..")) { snprintf(why, whylen, "'..' in the path"); return -1; }
        parts++;
    }
    if (!parts) { snprintf(why, whylen, "empty path"); return -1; }
    return 0;
}

int unpack_extract_file(const char *dir, const char *prefix, const char *member, const uint8_t *data, size_t len,
                        char *why, size_t whylen) {
    char rel[8192], joined[8192];
    if (safe_relative(member, rel, sizeof rel, why, whylen)) return -1;  /* the member's own name decides */
    snprintf(joined, sizeof joined, "%s/%s", prefix, member);
    if (safe_relative(joined, rel, sizeof rel, why, whylen)) return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) { snprintf(why, whylen, "%s: %s", dir, strerror(errno)); return -1; }
    char *save = NULL, *next = NULL;
    char *t = strtok_r(rel, "/", &save);
    while (t) {
        next = strtok_r(NULL, "/", &save);
        if (!strcmp(t, ".")) { t = next; continue; }
        if (next) {  /* a folder: create it, then enter it without following links */
            if (mkdirat(fd, t, 0755) != 0 && errno != EEXIST) break;
            int sub = openat(fd, t, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
            close(fd);
            fd = sub;
            if (fd < 0) { snprintf(why, whylen, "folder %s: %s", t, strerror(errno)); return -1; }
        } else {
            int out = openat(fd, t, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
            close(fd);
            if (out < 0) { snprintf(why, whylen, "%s: %s", t, strerror(errno)); return -1; }
            size_t done = 0;
            while (done < len) {
                ssize_t w = write(out, data + done, len - done);
                if (w <= 0) { snprintf(why, whylen, "write: %s", strerror(errno)); close(out); return -1; }
                done += (size_t)w;
            }
            close(out);
            return 0;
        }
        t = next;
    }
    snprintf(why, whylen, "cannot create folders: %s", strerror(errno));
    close(fd);
    return -1;
}
