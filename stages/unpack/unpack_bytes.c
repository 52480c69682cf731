/* unpack_bytes.c: see unpack_bytes.h. */
#define _POSIX_C_SOURCE 200809L
#include "unpack/unpack_bytes.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void unpack_bytes_init(unpack_bytes *b, int64_t budget, const char *store_path) {
    memset(b, 0, sizeof *b);
    b->budget = budget;
    b->fd = -1;
    const char *slash = strrchr(store_path, '/');
    if (!slash) snprintf(b->dir, sizeof b->dir, ".");
    else if (slash == store_path) snprintf(b->dir, sizeof b->dir, "/");
    else snprintf(b->dir, sizeof b->dir, "%.*s", (int)(slash - store_path), store_path);
}

int64_t unpack_bytes_put(unpack_bytes *b, const void *data, size_t n) {
    int64_t off = unpack_bytes_end(b);
    ubuf_put(&b->mem, data, n);
    return off;
}

void unpack_bytes_spill(unpack_bytes *b) {
    if (b->mem.n == 0) return;
    if (b->fd < 0) {
        char path[4200];
        snprintf(path, sizeof path, "%s/.emogen-unpack-spill-XXXXXX", b->dir);
        b->fd = mkstemp(path);
        if (b->fd < 0) FAIL("cannot create a spill file in %s (memory_budget_bytes reached): %s", b->dir, strerror(errno));
        unlink(path);  /* anonymous from now on: gone with the process */
    }
    size_t done = 0;
    while (done < b->mem.n) {
        ssize_t w = pwrite(b->fd, b->mem.p + done, b->mem.n - done, (off_t)(b->spilled + (int64_t)done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) FAIL("cannot write the spill file in %s: %s", b->dir, strerror(errno));
        done += (size_t)w;
    }
    b->spilled += (int64_t)b->mem.n;
    b->mem.n = 0;
}

const uint8_t *unpack_bytes_at(const unpack_bytes *b, int64_t off, size_t n) {
    if (off < b->spilled || off + (int64_t)n > unpack_bytes_end(b)) return NULL;
    return b->mem.p + (off - b->spilled);
}

void unpack_bytes_read(const unpack_bytes *b, int64_t off, size_t n, uint8_t *dst) {
    const uint8_t *p = unpack_bytes_at(b, off, n);
    if (p) { memcpy(dst, p, n); return; }
    if (off + (int64_t)n > b->spilled) FAIL("internal: bytes [%lld, +%zu) straddle the spill file", (long long)off, n);
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(b->fd, dst + done, n - done, (off_t)(off + (int64_t)done));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) FAIL("cannot read the spill file in %s: %s", b->dir, r < 0 ? strerror(errno) : "short read");
        done += (size_t)r;
    }
}

void unpack_bytes_free(unpack_bytes *b) {
    ubuf_free(&b->mem);
    if (b->fd >= 0) close(b->fd);
    b->fd = -1;
}
