/* unpack_records.c: packing, unpacking and ordering of member records. */
#include "unpack_records.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

void ubuf_put(ubuf *b, const void *data, size_t n) {
    if (b->n + n > b->cap) {
        size_t c = b->cap ? b->cap : 4096;
        while (c < b->n + n) c *= 2;
        b->p = xrealloc(b->p, c);
        b->cap = c;
    }
    if (n) memcpy(b->p + b->n, data, n);
    b->n += n;
}

void ubuf_free(ubuf *b) { free(b->p); b->p = NULL; b->n = b->cap = 0; }

static void put_str(ubuf *b, const char *s) {
    uint32_t n = (uint32_t)strlen(s);
    ubuf_put(b, &n, sizeof n);
    ubuf_put(b, s, n + 1);  /* keep the NUL: unpacked strings point into the buffer */
}

size_t rec_pack(ubuf *b, const unpack_rec *r) {
    int32_t kind = r->kind;
    size_t md5_at;
    ubuf_put(b, &kind, sizeof kind);
    ubuf_put(b, &r->input, sizeof r->input);
    ubuf_put(b, &r->entry, sizeof r->entry);
    ubuf_put(b, &r->sub, sizeof r->sub);
    ubuf_put(b, &r->warnings, sizeof r->warnings);
    ubuf_put(b, &r->len, sizeof r->len);
    ubuf_put(b, &r->mtime, sizeof r->mtime);
    md5_at = b->n;
    ubuf_put(b, r->md5, 16);
    ubuf_put(b, &r->local_off, sizeof r->local_off);
    put_str(b, r->path);
    put_str(b, r->reason);
    put_str(b, r->detail);
    return md5_at;
}

#define TAKE(dst, size) do { memcpy((dst), p + pos, (size)); pos += (size); } while (0)

size_t rec_unpack(const uint8_t *p, size_t n, int owner, unpack_rec **out, size_t *nout, size_t *cap) {
    size_t pos = 0, count = 0;
    while (pos < n) {
        if (*nout == *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            *out = xrealloc(*out, *cap * sizeof **out);
        }
        unpack_rec *r = &(*out)[(*nout)++];
        int32_t kind;
        TAKE(&kind, sizeof kind);
        r->kind = kind;
        TAKE(&r->input, sizeof r->input);
        TAKE(&r->entry, sizeof r->entry);
        TAKE(&r->sub, sizeof r->sub);
        TAKE(&r->warnings, sizeof r->warnings);
        TAKE(&r->len, sizeof r->len);
        TAKE(&r->mtime, sizeof r->mtime);
        TAKE(r->md5, 16);
        TAKE(&r->local_off, sizeof r->local_off);
        const char **strs[3] = {&r->path, &r->reason, &r->detail};
        for (int i = 0; i < 3; i++) {
            uint32_t len;
            TAKE(&len, sizeof len);
            *strs[i] = (const char *)p + pos;
            pos += len + 1;
        }
        r->owner = owner;
        count++;
    }
    return count;
}

int rec_cmp(const void *a, const void *b) {
    const unpack_rec *x = a, *y = b;
    if (x->input != y->input) return x->input < y->input ? -1 : 1;
    if (x->entry != y->entry) return x->entry < y->entry ? -1 : 1;
    if (x->sub != y->sub) return x->sub < y->sub ? -1 : 1;
    return 0;
}
