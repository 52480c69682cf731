/* unpack_store.c: see unpack_store.h. */
#define _POSIX_C_SOURCE 200809L
#include "unpack/unpack_store.h"
#include "check.h"
#include "h5util.h"
#include "md5.h"
#include "split.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- merging ---------- */

typedef struct { const uint8_t *key; int64_t value; } slot;

static uint64_t md5_hash(const uint8_t *k) { uint64_t h; memcpy(&h, k, 8); return h; }

static int64_t table_find_or_add(slot *t, size_t mask, const uint8_t *key, int64_t value) {
    for (size_t i = md5_hash(key) & mask;; i = (i + 1) & mask) {
        if (!t[i].key) { t[i].key = key; t[i].value = value; return -1; }
        if (!memcmp(t[i].key, key, 16)) return t[i].value;
    }
}

void unpack_merge(unpack_merged *m, MPI_Comm comm, const ubuf *mine, const unpack_store *prev) {
    int size;
    MPI_Comm_size(comm, &size);
    if (mine->n > INT_MAX) FAIL("one rank's records exceed 2 GiB; use more ranks");
    int n = (int)mine->n;
    int *counts = xmalloc((size_t)size * sizeof *counts), *displs = xmalloc((size_t)size * sizeof *displs);
    CHECK_MPI(MPI_Allgather(&n, 1, MPI_INT, counts, 1, MPI_INT, comm));
    int64_t total = 0;
    for (int r = 0; r < size; r++) { displs[r] = (int)total; total += counts[r]; }
    if (total > INT_MAX) FAIL("all records together exceed 2 GiB; split the inputs over several runs");
    m->gathered = xmalloc((size_t)(total ? total : 1));
    CHECK_MPI(MPI_Allgatherv(mine->p, n, MPI_BYTE, m->gathered, counts, displs, MPI_BYTE, comm));
    m->rec = NULL;
    m->n = 0;
    size_t cap = 0;
    for (int r = 0; r < size; r++) rec_unpack(m->gathered + displs[r], (size_t)counts[r], r, &m->rec, &m->n, &cap);
    if (m->n) qsort(m->rec, m->n, sizeof *m->rec, rec_cmp);
    /* a broken split archive is reported by every rank that reads up to the break: keep one */
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (k > 0 && m->rec[i].kind == REC_CONTAINER_REJECT && m->rec[k - 1].kind == REC_CONTAINER_REJECT &&
            rec_cmp(&m->rec[i], &m->rec[k - 1]) == 0)
            continue;
        m->rec[k++] = m->rec[i];
    }
    m->n = k;
    /* duplicates: the first copy in (previous store, then this run's order) is kept */
    size_t tcap = 16;
    while (tcap < 2 * ((size_t)prev->n_midi + m->n + 1)) tcap *= 2;
    slot *table = xcalloc(tcap, sizeof *table);
    for (int64_t i = 0; i < prev->n_midi; i++) table_find_or_add(table, tcap - 1, prev->md5 + 16 * i, i);
    m->final_index = xmalloc((m->n ? m->n : 1) * sizeof *m->final_index);
    int64_t next = prev->n_midi;
    for (size_t i = 0; i < m->n; i++) {
        m->final_index[i] = 0;
        if (m->rec[i].kind != REC_MIDI) continue;
        int64_t found = table_find_or_add(table, tcap - 1, m->rec[i].md5, next);
        m->final_index[i] = found < 0 ? next++ : -1 - found;
    }
    free(table);
    free(counts);
    free(displs);
}

void unpack_merged_free(unpack_merged *m) {
    free(m->rec);
    free(m->final_index);
    free(m->gathered);
}

/* ---------- writing ---------- */

typedef struct { int64_t n, cap; int64_t *off; char *chars; int64_t nchars, ccap; } ragged_builder;

static void rb_add(ragged_builder *b, const char *s, size_t len) {
    if (b->n + 2 > b->cap) { b->cap = b->cap ? 2 * b->cap : 1024; b->off = xrealloc(b->off, (size_t)b->cap * 8); }
    if (b->n == 0) b->off[0] = 0;
    if (b->nchars + (int64_t)len > b->ccap) {
        while (b->nchars + (int64_t)len > b->ccap) b->ccap = b->ccap ? 2 * b->ccap : 65536;
        b->chars = xrealloc(b->chars, (size_t)b->ccap);
    }
    if (len) memcpy(b->chars + b->nchars, s, len);
    b->nchars += (int64_t)len;
    b->off[++b->n] = b->nchars;
}

static void rb_add_ragged(ragged_builder *b, const ragged *r, int64_t i) {
    rb_add(b, r->chars + r->off[i], (size_t)(r->off[i + 1] - r->off[i]));
}

/* every rank holds every row (the merge gave all ranks the same tables); each writes a block of
 * rows, so no rank funnels the writes */
static void write_meta_rows(hid_t loc, const char *name, hid_t type, int64_t n, int64_t cols, const void *data,
                            MPI_Comm comm) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int64_t b, e;
    emg_split_block(n, size, rank, &b, &e);
    size_t row = H5Tget_size(type) * (size_t)(cols > 0 ? cols : 1);
    emg_h5_write_rows(loc, name, type, n, cols, b, e - b, (const uint8_t *)data + (size_t)b * row, comm);
}

static void write_meta(hid_t loc, const char *name, hid_t type, int64_t n, const void *data, MPI_Comm comm) {
    write_meta_rows(loc, name, type, n, 0, data, comm);
}

static void write_ragged(hid_t loc, const char *base, ragged_builder *b, MPI_Comm comm) {
    char name[256];
    if (b->n == 0) { rb_add(b, "", 0); b->n = 0; }  /* off[0] = 0 exists */
    snprintf(name, sizeof name, "%s_offset", base);
    write_meta(loc, name, H5T_NATIVE_INT64, b->n + 1, b->off, comm);
    snprintf(name, sizeof name, "%s_chars", base);
    write_meta(loc, name, H5T_NATIVE_UINT8, b->nchars, b->chars, comm);
    free(b->off);
    free(b->chars);
}

typedef struct { int64_t *p; int64_t n, cap; } vec64;
static void v64(vec64 *v, int64_t x) {
    if (v->n == v->cap) { v->cap = v->cap ? 2 * v->cap : 1024; v->p = xrealloc(v->p, (size_t)v->cap * 8); }
    v->p[v->n++] = x;
}
typedef struct { int32_t *p; int64_t n, cap; } vec32;
static void v32(vec32 *v, int32_t x) {
    if (v->n == v->cap) { v->cap = v->cap ? 2 * v->cap : 1024; v->p = xrealloc(v->p, (size_t)v->cap * 4); }
    v->p[v->n++] = x;
}

/* copy the previous store's bytes into the new dataset: ranks take blocks, in bounded rounds */
static void copy_prev_bytes(hid_t dset, const unpack_store *prev, MPI_Comm comm) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    if (prev->total_bytes == 0) return;
    int64_t b, e;
    emg_split_block(prev->total_bytes, size, rank, &b, &e);
    const int64_t chunk = (int64_t)EMG_H5_ROUND_BYTES;
    int64_t b0, e0;
    emg_split_block(prev->total_bytes, size, 0, &b0, &e0);  /* rank 0 has the largest block */
    int64_t rounds = (e0 - b0 + chunk - 1) / chunk;
    hid_t src = -1;
    if (e > b) src = CHECK_H5(H5Fopen(prev->path, H5F_ACC_RDONLY, H5P_DEFAULT));
    uint8_t *buf = xmalloc((size_t)(chunk < e - b ? chunk : (e - b > 0 ? e - b : 1)));
    hid_t dxpl = CHECK_H5(H5Pcreate(H5P_DATASET_XFER));
    CHECK_H5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE));
    for (int64_t r = 0; r < rounds; r++) {
        int64_t lo = b + r * chunk, hi = lo + chunk < e ? lo + chunk : e;
        int64_t n = hi > lo ? hi - lo : 0;
        if (n) emg_h5_read_1d(src, "midi/bytes", H5T_NATIVE_UINT8, lo, n, buf);
        hid_t fs = CHECK_H5(H5Dget_space(dset));
        hsize_t start = (hsize_t)lo, count = (hsize_t)n;
        hid_t ms = CHECK_H5(H5Screate_simple(1, &count, NULL));
        if (n) CHECK_H5(H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL));
        else { CHECK_H5(H5Sselect_none(fs)); CHECK_H5(H5Sselect_none(ms)); }
        CHECK_H5(H5Dwrite(dset, H5T_NATIVE_UINT8, ms, fs, dxpl, buf));
        H5Sclose(ms);
        H5Sclose(fs);
    }
    H5Pclose(dxpl);
    free(buf);
    if (src >= 0) H5Fclose(src);
}

/* this rank's new files, at their global offsets: collective writes of a union of runs, in rounds
 * of about EMG_H5_ROUND_BYTES (one write() of hundreds of MB is slow here, see h5util.c; the
 * packing buffer stays small too). A file is never cut; every rank makes the same number of calls. */
static void write_new_bytes(hid_t dset, const unpack_merged *m, const int64_t *final_off, const unpack_bytes *my_bytes,
                            MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    const int64_t round = (int64_t)EMG_H5_ROUND_BYTES;
    /* my files in global order, and how many rounds they need */
    size_t *mine = xmalloc((m->n ? m->n : 1) * sizeof *mine), n_mine = 0;
    int64_t my_rounds = 0, fill = 0, biggest = 1;
    for (size_t i = 0; i < m->n; i++) {
        const unpack_rec *r = &m->rec[i];
        if (r->kind != REC_MIDI || m->final_index[i] < 0 || r->owner != rank || r->len <= 0) continue;
        if (n_mine == 0 || fill + r->len > round) { my_rounds++; fill = 0; }
        fill += r->len;
        if (r->len > biggest) biggest = r->len;
        mine[n_mine++] = i;
    }
    int64_t rounds = 0;
    CHECK_MPI(MPI_Allreduce(&my_rounds, &rounds, 1, MPI_INT64_T, MPI_MAX, comm));
    uint8_t *pack = xmalloc((size_t)(biggest > round ? biggest : round));
    hid_t dxpl = CHECK_H5(H5Pcreate(H5P_DATASET_XFER));
    CHECK_H5(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE));
    /* still one collective call per round, but each rank writes its own runs itself: they are
     * whole inputs' files, large and contiguous, so MPI-IO's two-phase shuffle through aggregators
     * only adds copies (write phase 0.17-0.22 s -> 0.12 s for 230 MB at 2 ranks, bench_unpack set B) */
    CHECK_H5(H5Pset_dxpl_mpio_collective_opt(dxpl, H5FD_MPIO_INDIVIDUAL_IO));
    size_t k = 0;
    for (int64_t rd = 0; rd < rounds; rd++) {
        hid_t fs = CHECK_H5(H5Dget_space(dset));
        CHECK_H5(H5Sselect_none(fs));
        int64_t packed = 0, run_start = -1, run_len = 0;
        while (k < n_mine && (packed == 0 || packed + m->rec[mine[k]].len <= round)) {
            const unpack_rec *r = &m->rec[mine[k]];
            int64_t at = final_off[mine[k]];
            if (run_start >= 0 && at == run_start + run_len) {
                run_len += r->len;
            } else {
                if (run_start >= 0) {
                    hsize_t s0 = (hsize_t)run_start, c0 = (hsize_t)run_len;
                    CHECK_H5(H5Sselect_hyperslab(fs, H5S_SELECT_OR, &s0, NULL, &c0, NULL));
                }
                run_start = at;
                run_len = r->len;
            }
            unpack_bytes_read(my_bytes, r->local_off, (size_t)r->len, pack + packed);
            packed += r->len;
            k++;
        }
        if (run_start >= 0) {
            hsize_t s0 = (hsize_t)run_start, c0 = (hsize_t)run_len;
            CHECK_H5(H5Sselect_hyperslab(fs, H5S_SELECT_OR, &s0, NULL, &c0, NULL));
        }
        hsize_t count = (hsize_t)(packed ? packed : 1);
        hid_t ms = CHECK_H5(H5Screate_simple(1, &count, NULL));
        if (!packed) CHECK_H5(H5Sselect_none(ms));
        CHECK_H5(H5Dwrite(dset, H5T_NATIVE_UINT8, ms, fs, dxpl, pack));
        H5Sclose(ms);
        H5Sclose(fs);
    }
    H5Pclose(dxpl);
    free(pack);
    free(mine);
}

void unpack_store_write(const char *out, MPI_Comm comm, const char *config_json, const unpack_store *prev,
                        const unpack_input *in, int n_inputs, const unpack_merged *m, const unpack_bytes *my_bytes,
                        unpack_summary *sum) {
    /* input indices of this run -> store input table */
    int32_t *in_map = xmalloc((size_t)(n_inputs ? n_inputs : 1) * sizeof *in_map);
    ragged_builder ip = {0};
    vec64 isz = {0}, imt = {0};
    uint8_t *ick = xmalloc((size_t)(prev->n_inputs + n_inputs + 1) * 32);
    for (int64_t i = 0; i < prev->n_inputs; i++) {
        rb_add_ragged(&ip, &prev->in_path, i);
        v64(&isz, prev->in_size[i]);
        v64(&imt, prev->in_mtime[i]);
        memcpy(ick + 32 * i, prev->in_checksum[i], 32);
    }
    int64_t ni = prev->n_inputs;
    for (int i = 0; i < n_inputs; i++) {
        in_map[i] = -1;
        if (in[i].done_before) continue;
        in_map[i] = (int32_t)ni;
        rb_add(&ip, in[i].path, strlen(in[i].path));
        v64(&isz, in[i].size);
        v64(&imt, in[i].mtime);
        memcpy(ick + 32 * ni, in[i].checksum, 32);
        ni++;
    }
    /* midi table */
    ragged_builder mp = {0}, dp = {0}, rp = {0}, rr = {0}, rd = {0};
    vec64 off = {0}, len = {0}, mt = {0}, dof = {0};
    vec32 inp = {0}, warn = {0}, din = {0}, rin = {0}, rim = {0};
    uint8_t *md5 = xmalloc((size_t)(prev->n_midi + (int64_t)m->n + 1) * 16);
    int64_t nm = 0;
    for (int64_t i = 0; i < prev->n_midi; i++, nm++) {
        v64(&off, prev->offset[i]); v64(&len, prev->length[i]); v64(&mt, prev->mtime[i]);
        v32(&inp, prev->input[i]); v32(&warn, prev->warnings[i]);
        memcpy(md5 + 16 * nm, prev->md5 + 16 * i, 16);
        rb_add_ragged(&mp, &prev->member, i);
    }
    for (int64_t i = 0; i < prev->n_dup; i++) {
        v64(&dof, prev->dup_of[i]); v32(&din, prev->dup_input[i]); rb_add_ragged(&dp, &prev->dup_member, i);
    }
    for (int64_t i = 0; i < prev->n_rej; i++) {
        v32(&rin, prev->rej_input[i]); v32(&rim, prev->rej_is_member[i]);
        rb_add_ragged(&rp, &prev->rej_member, i); rb_add_ragged(&rr, &prev->rej_reason, i);
        rb_add_ragged(&rd, &prev->rej_detail, i);
    }
    int64_t *final_off = xmalloc((m->n ? m->n : 1) * sizeof *final_off);
    int64_t cursor = prev->total_bytes;
    for (size_t i = 0; i < m->n; i++) {
        const unpack_rec *r = &m->rec[i];
        final_off[i] = -1;
        if (r->kind == REC_MIDI && m->final_index[i] >= 0) {
            final_off[i] = cursor;
            v64(&off, cursor); v64(&len, r->len); v64(&mt, r->mtime);
            v32(&inp, in_map[r->input]); v32(&warn, r->warnings);
            memcpy(md5 + 16 * nm, r->md5, 16);
            rb_add(&mp, r->path, strlen(r->path));
            cursor += r->len;
            nm++;
            sum->accepted++;
            sum->bytes_out += r->len;
        } else if (r->kind == REC_MIDI) {
            v64(&dof, -1 - m->final_index[i]); v32(&din, in_map[r->input]); rb_add(&dp, r->path, strlen(r->path));
            sum->duplicates++;
        } else {
            v32(&rin, in_map[r->input]); v32(&rim, r->kind == REC_REJECT);
            rb_add(&rp, r->path, strlen(r->path)); rb_add(&rr, r->reason, strlen(r->reason));
            rb_add(&rd, r->detail, strlen(r->detail));
            if (r->kind == REC_REJECT) sum->rejected++;
            else sum->containers_rejected++;
        }
    }
    sum->members_seen = sum->accepted + sum->duplicates + sum->rejected;
    sum->store_files = nm;
    sum->store_bytes = cursor;

    emg_h5file f;
    emg_h5_create(&f, out, comm, MIDI_STORE_FORMAT, MIDI_STORE_VERSION, "unpack", config_json);
    hid_t g = CHECK_H5(H5Gcreate2(f.id, "midi", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    hsize_t dims = (hsize_t)cursor;
    hid_t space = CHECK_H5(H5Screate_simple(1, &dims, NULL));
    hid_t dset = CHECK_H5(H5Dcreate2(g, "bytes", H5T_NATIVE_UINT8, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Sclose(space);
    copy_prev_bytes(dset, prev, comm);
    if (cursor > prev->total_bytes) write_new_bytes(dset, m, final_off, my_bytes, comm);
    H5Dclose(dset);
    write_meta(g, "offset", H5T_NATIVE_INT64, nm, off.p, comm);
    write_meta(g, "length", H5T_NATIVE_INT64, nm, len.p, comm);
    write_meta(g, "mtime", H5T_NATIVE_INT64, nm, mt.p, comm);
    write_meta(g, "input", H5T_NATIVE_INT32, nm, inp.p, comm);
    write_meta(g, "warnings", H5T_NATIVE_INT32, nm, warn.p, comm);
    write_meta_rows(g, "md5", H5T_NATIVE_UINT8, nm, 16, md5, comm);
    write_ragged(g, "member", &mp, comm);
    H5Gclose(g);

    g = CHECK_H5(H5Gcreate2(f.id, "duplicates", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    write_meta(g, "of", H5T_NATIVE_INT64, dof.n, dof.p, comm);
    write_meta(g, "input", H5T_NATIVE_INT32, din.n, din.p, comm);
    write_ragged(g, "member", &dp, comm);
    H5Gclose(g);

    g = CHECK_H5(H5Gcreate2(f.id, "rejects", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    write_meta(g, "input", H5T_NATIVE_INT32, rin.n, rin.p, comm);
    write_meta(g, "is_member", H5T_NATIVE_INT32, rim.n, rim.p, comm);
    write_ragged(g, "member", &rp, comm);
    write_ragged(g, "reason", &rr, comm);
    write_ragged(g, "detail", &rd, comm);
    H5Gclose(g);

    g = CHECK_H5(H5Gcreate2(f.id, "inputs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    write_meta(g, "size", H5T_NATIVE_INT64, isz.n, isz.p, comm);
    write_meta(g, "mtime", H5T_NATIVE_INT64, imt.n, imt.p, comm);
    write_meta_rows(g, "checksum", H5T_NATIVE_UINT8, ni, 32, ick, comm);
    write_ragged(g, "path", &ip, comm);
    H5Gclose(g);

    /* cumulative counts: every member ever seen is in midi, duplicates or rejects */
    emg_h5_attr_i64(f.id, "files", nm);
    emg_h5_attr_i64(f.id, "bytes", cursor);
    emg_h5_attr_i64(f.id, "duplicates", dof.n);
    int64_t member_rejects = 0;
    for (int64_t i = 0; i < rim.n; i++) member_rejects += rim.p[i];
    emg_h5_attr_i64(f.id, "rejected", member_rejects);
    emg_h5_attr_i64(f.id, "members_seen", nm + dof.n + member_rejects);
    emg_h5_commit(&f);

    free(in_map); free(ick); free(md5); free(final_off);
    free(isz.p); free(imt.p); free(off.p); free(len.p); free(mt.p); free(dof.p);
    free(inp.p); free(warn.p); free(din.p); free(rin.p); free(rim.p);
}

/* ---------- summary ---------- */

typedef struct { const char *reason; int64_t count; } reason_count;

static int count_reasons(const unpack_merged *m, reason_count *rc, int max) {
    int n = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->rec[i].kind != REC_REJECT) continue;
        int k = 0;
        while (k < n && strcmp(rc[k].reason, m->rec[i].reason)) k++;
        if (k == n) { if (n == max) continue; rc[n].reason = m->rec[i].reason; rc[n++].count = 0; }
        rc[k].count++;
    }
    return n;
}

void unpack_print_summary(const unpack_summary *s, const unpack_merged *m, int quiet, int json, const char *out) {
    reason_count rc[32];
    int nr = count_reasons(m, rc, 32);
    double mbps = s->seconds > 0 ? (double)s->bytes_in / 1e6 / s->seconds : 0;
    if (!quiet) {
        fprintf(stderr, "unpack: %lld inputs (%lld already in the store), %lld members seen: %lld MIDI accepted, "
                "%lld duplicates, %lld rejected\n", (long long)s->inputs, (long long)s->inputs_skipped,
                (long long)s->members_seen, (long long)s->accepted, (long long)s->duplicates, (long long)s->rejected);
        for (int i = 0; i < nr; i++) fprintf(stderr, "  rejected %-16s %lld\n", rc[i].reason, (long long)rc[i].count);
        if (s->containers_rejected)
            fprintf(stderr, "  %lld archives broke off or were abandoned (their remaining members are unknown)\n",
                    (long long)s->containers_rejected);
        fprintf(stderr, "  %.2f MB in, %.2f MB of MIDI out, %.2f s, %.1f MB/s\n", (double)s->bytes_in / 1e6,
                (double)s->bytes_out / 1e6, s->seconds, mbps);
        if (s->extract_refused)
            fprintf(stderr, "  %lld files not extracted (unsafe member names; they are in the store)\n",
                    (long long)s->extract_refused);
        fprintf(stderr, "  store %s: %lld files, %lld bytes\n", out, (long long)s->store_files, (long long)s->store_bytes);
    }
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "inputs", (double)s->inputs);
        cJSON_AddNumberToObject(o, "inputs_skipped", (double)s->inputs_skipped);
        cJSON_AddNumberToObject(o, "members_seen", (double)s->members_seen);
        cJSON_AddNumberToObject(o, "accepted", (double)s->accepted);
        cJSON_AddNumberToObject(o, "duplicates", (double)s->duplicates);
        cJSON *r = cJSON_AddObjectToObject(o, "rejected");
        for (int i = 0; i < nr; i++) cJSON_AddNumberToObject(r, rc[i].reason, (double)rc[i].count);
        cJSON_AddNumberToObject(o, "containers_rejected", (double)s->containers_rejected);
        cJSON_AddNumberToObject(o, "extract_refused", (double)s->extract_refused);
        cJSON_AddNumberToObject(o, "bytes_in", (double)s->bytes_in);
        cJSON_AddNumberToObject(o, "bytes_out", (double)s->bytes_out);
        cJSON_AddNumberToObject(o, "seconds", s->seconds);
        cJSON_AddNumberToObject(o, "mb_per_s", mbps);
        cJSON *ph = cJSON_AddObjectToObject(o, "phase_seconds");
        cJSON_AddNumberToObject(ph, "inputs", s->t_inputs);
        cJSON_AddNumberToObject(ph, "read_rank0", s->t_read);
        cJSON_AddNumberToObject(ph, "read_slowest_rank", s->t_read_max);
        cJSON_AddNumberToObject(ph, "merge", s->t_merge);
        cJSON_AddNumberToObject(ph, "write", s->t_write);
        cJSON *st = cJSON_AddObjectToObject(o, "store");
        cJSON_AddStringToObject(st, "path", out);
        cJSON_AddNumberToObject(st, "files", (double)s->store_files);
        cJSON_AddNumberToObject(st, "bytes", (double)s->store_bytes);
        char *text = cJSON_PrintUnformatted(o);
        printf("%s\n", text);
        free(text);
        cJSON_Delete(o);
    }
}
