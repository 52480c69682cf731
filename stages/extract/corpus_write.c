/* corpus_write.c: see corpus_write.h. */
#define _POSIX_C_SOURCE 200809L
#include "extract/corpus_write.h"
#include "check.h"
#include "h5util.h"
#include "remigen_vocab.h"
#include "split.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NV EMG_JSYM_NVALUES

void corpus_meta_init(corpus_meta *m, const emg_midi_store *st) {
    m->n = st->n_midi;
    m->store = st;
    m->label = xmalloc((size_t)(m->n ? m->n : 1));
    m->group = xmalloc((size_t)(m->n ? m->n : 1) * sizeof *m->group);
    for (int64_t i = 0; i < m->n; i++) { m->label[i] = -1; m->group[i] = NULL; }
    m->unmatched_labels = 0;
}

void corpus_meta_free(corpus_meta *m) {
    for (int64_t i = 0; i < m->n; i++) free(m->group[i]);
    free(m->group);
    free(m->label);
}

typedef struct { int64_t len, idx; } len_idx;
static int by_len_desc(const void *a, const void *b) {
    const len_idx *x = a, *y = b;
    if (x->len != y->len) return x->len > y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : 1;
}
void corpus_sort_by_length_desc(int64_t *order, int64_t n, const int64_t *length) {
    len_idx *t = xmalloc((size_t)(n ? n : 1) * sizeof *t);
    for (int64_t i = 0; i < n; i++) t[i] = (len_idx){length[order[i]], order[i]};
    qsort(t, (size_t)n, sizeof *t, by_len_desc);
    for (int64_t i = 0; i < n; i++) order[i] = t[i].idx;
    free(t);
}

/* ---- serialization ---- */

void corpus_outbox_init(corpus_outbox *b, int nranks) {
    b->nranks = nranks;
    b->buf = xcalloc((size_t)nranks, sizeof *b->buf);
    b->len = xcalloc((size_t)nranks, sizeof *b->len);
    b->cap = xcalloc((size_t)nranks, sizeof *b->cap);
}

static void put(corpus_outbox *b, int d, const void *p, size_t n) {
    if (b->len[d] + n > b->cap[d]) {
        size_t c = b->cap[d] ? b->cap[d] : 65536;
        while (c < b->len[d] + n) c *= 2;
        b->buf[d] = xrealloc(b->buf[d], c);
        b->cap[d] = c;
    }
    memcpy(b->buf[d] + b->len[d], p, n);
    b->len[d] += n;
}

typedef struct {
    int64_t piece, n_tokens, n_seg;
    int32_t ok, warnings, whole_ok, overlong;
    char reason[32], detail[256];
} rec_head;

void corpus_outbox_put(corpus_outbox *b, int dest, int64_t piece, const piece_result *r) {
    rec_head h;
    memset(&h, 0, sizeof h);
    h.piece = piece;
    h.ok = r->ok;
    h.warnings = r->warnings;
    h.whole_ok = r->whole_ok;
    h.overlong = r->overlong_bars;
    h.n_tokens = r->ok ? r->n_tokens : 0;
    h.n_seg = r->ok ? r->n_seg : 0;
    memcpy(h.reason, r->reason, sizeof h.reason);
    memcpy(h.detail, r->detail, sizeof h.detail);
    put(b, dest, &h, sizeof h);
    if (!r->ok) return;
    put(b, dest, r->tokens, (size_t)r->n_tokens * sizeof *r->tokens);
    put(b, dest, r->whole, NV * sizeof(double));
    put(b, dest, r->seg, (size_t)r->n_seg * sizeof *r->seg);
    put(b, dest, r->seg_features, (size_t)r->n_seg * NV * sizeof(double));
}

void corpus_outbox_free(corpus_outbox *b) {
    for (int d = 0; d < b->nranks; d++) free(b->buf[d]);
    free(b->buf); free(b->len); free(b->cap);
}

void corpus_exchange(corpus_outbox *b, MPI_Comm comm, int64_t n, corpus_block *out) {
    int size, rank;
    MPI_Comm_size(comm, &size);
    MPI_Comm_rank(comm, &rank);
    int *sc = xmalloc((size_t)size * sizeof *sc), *rc = xmalloc((size_t)size * sizeof *rc);
    int *sd = xmalloc((size_t)size * sizeof *sd), *rd = xmalloc((size_t)size * sizeof *rd);
    int64_t stot = 0, rtot = 0;
    for (int d = 0; d < size; d++) {
        if (b->len[d] > INT_MAX) FAIL("more than 2 GiB of results for one rank: run with more ranks");
        sc[d] = (int)b->len[d];
    }
    CHECK_MPI(MPI_Alltoall(sc, 1, MPI_INT, rc, 1, MPI_INT, comm));
    uint8_t *sendbuf = xmalloc(1), *recvbuf;
    for (int d = 0; d < size; d++) { sd[d] = (int)stot; stot += sc[d]; }
    for (int d = 0; d < size; d++) { rd[d] = (int)rtot; rtot += rc[d]; }
    if (stot > INT_MAX || rtot > INT_MAX) FAIL("more than 2 GiB of results on one rank: run with more ranks");
    sendbuf = xrealloc(sendbuf, (size_t)(stot ? stot : 1));
    for (int d = 0; d < size; d++) if (sc[d]) memcpy(sendbuf + sd[d], b->buf[d], (size_t)sc[d]);
    recvbuf = xmalloc((size_t)(rtot ? rtot : 1));
    CHECK_MPI(MPI_Alltoallv(sendbuf, sc, sd, MPI_BYTE, recvbuf, rc, rd, MPI_BYTE, comm));
    free(sendbuf);
    int64_t first, end;
    emg_split_block(n, size, rank, &first, &end);
    out->first = first;
    out->count = end - first;
    out->res = xcalloc((size_t)(out->count ? out->count : 1), sizeof *out->res);
    size_t pos = 0;
    while (pos < (size_t)rtot) {
        rec_head h;
        memcpy(&h, recvbuf + pos, sizeof h);
        pos += sizeof h;
        if (h.piece < first || h.piece >= end) FAIL("piece %lld sent to the wrong rank", (long long)h.piece);
        piece_result *r = &out->res[h.piece - first];
        r->ok = h.ok;
        r->warnings = h.warnings;
        r->whole_ok = h.whole_ok;
        r->overlong_bars = h.overlong;
        memcpy(r->reason, h.reason, sizeof r->reason);
        memcpy(r->detail, h.detail, sizeof r->detail);
        if (!h.ok) continue;
        r->n_tokens = h.n_tokens;
        r->n_seg = h.n_seg;
        size_t tb = (size_t)h.n_tokens * sizeof *r->tokens, sb = (size_t)h.n_seg * sizeof *r->seg;
        r->tokens = xmalloc(tb ? tb : 1);
        memcpy(r->tokens, recvbuf + pos, tb); pos += tb;
        r->whole = xmalloc(NV * sizeof(double));
        memcpy(r->whole, recvbuf + pos, NV * sizeof(double)); pos += NV * sizeof(double);
        r->seg = xmalloc(sb ? sb : 1);
        memcpy(r->seg, recvbuf + pos, sb); pos += sb;
        size_t fb = (size_t)h.n_seg * NV * sizeof(double);
        r->seg_features = xmalloc(fb ? fb : 1);
        memcpy(r->seg_features, recvbuf + pos, fb); pos += fb;
    }
    free(recvbuf);
    free(sc); free(rc); free(sd); free(rd);
}

void corpus_block_free(corpus_block *blk) {
    for (int64_t i = 0; i < blk->count; i++) piece_result_free(&blk->res[i]);
    free(blk->res);
}

/* ---- writing ---- */

const char *corpus_reject_name(int k) {
    static const char *names[REJ_NREASONS] = {"bad_midi", "tokenizer", "no_notes", "no_features", "other"};
    return k >= 0 && k < REJ_NREASONS ? names[k] : "other";
}

static int reject_kind(const char *reason) {
    for (int k = 0; k < REJ_OTHER; k++) if (!strcmp(reason, corpus_reject_name(k))) return k;
    return REJ_OTHER;
}

static hid_t group(hid_t f, const char *name) { return CHECK_H5(H5Gcreate2(f, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); }

void corpus_write(const char *out, MPI_Comm comm, const char *config_json, const char *store_path, int64_t max_tokens,
                  const corpus_meta *meta, const corpus_block *blk, corpus_summary *sum) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    const emg_midi_store *st = meta->store;
    /* local tallies */
    int64_t na = 0, nr = 0, nt = 0, ns = 0;
    for (int64_t k = 0; k < blk->count; k++) {
        const piece_result *r = &blk->res[k];
        if (r->ok) { na++; nt += r->n_tokens; ns += r->n_seg; } else nr++;
    }
    int64_t NA, NR, NT, NS;
    int64_t a0 = emg_prefix_offset(na, comm, &NA), r0 = emg_prefix_offset(nr, comm, &NR);
    int64_t t0 = emg_prefix_offset(nt, comm, &NT), s0 = emg_prefix_offset(ns, comm, &NS);
    (void)r0;
    /* pieces columns */
    int64_t *store_index = xmalloc((size_t)(na + 1) * 8), *ntok = xmalloc((size_t)(na + 1) * 8);
    int64_t *tok_off = xmalloc((size_t)(na + 1) * 8), *seg_off = xmalloc((size_t)(na + 1) * 8), *seg_cnt = xmalloc((size_t)(na + 1) * 8);
    int32_t *warn = xmalloc((size_t)(na + 1) * 4), *whole_ok = xmalloc((size_t)(na + 1) * 4), *overlong = xmalloc((size_t)(na + 1) * 4);
    int8_t *label = xmalloc((size_t)(na + 1));
    uint8_t *md5 = xmalloc((size_t)(na + 1) * 16);
    double *whole = xmalloc((size_t)(na + 1) * NV * sizeof(double));
    const char **groups = xmalloc((size_t)(na + 1) * sizeof *groups), **members = xmalloc((size_t)(na + 1) * sizeof *members);
    const char **inputs = xmalloc((size_t)(na + 1) * sizeof *inputs);
    uint16_t *tokens = xmalloc((size_t)(nt + 1) * 2);
    int64_t *seg_piece = xmalloc((size_t)(ns + 1) * 8), *seg_b = xmalloc((size_t)(ns + 1) * 8), *seg_e = xmalloc((size_t)(ns + 1) * 8);
    int32_t *seg_valid = xmalloc((size_t)(ns + 1) * 4);
    double *segf = xmalloc((size_t)(ns + 1) * NV * sizeof(double));
    int64_t *rej_index = xmalloc((size_t)(nr + 1) * 8);
    const char **rej_member = xmalloc((size_t)(nr + 1) * sizeof *rej_member), **rej_input = xmalloc((size_t)(nr + 1) * sizeof *rej_input);
    const char **rej_reason = xmalloc((size_t)(nr + 1) * sizeof *rej_reason), **rej_detail = xmalloc((size_t)(nr + 1) * sizeof *rej_detail);
    char **owned = xmalloc((size_t)(2 * (na + nr) + 1) * sizeof *owned);  /* strings built here, freed at the end */
    int64_t nowned = 0;
    int64_t ia = 0, ir = 0, it = 0, is = 0, lab[4] = {0}, rej_by[REJ_NREASONS] = {0}, seg_invalid = 0, whole_missing = 0, ovl = 0;
    for (int64_t k = 0; k < blk->count; k++) {
        int64_t i = blk->first + k;
        const piece_result *r = &blk->res[k];
        char buf[4096];
        emg_ragged_get(&st->member, i, buf, sizeof buf);
        char *mem = owned[nowned++] = CHECK_PTR(strdup(buf));
        emg_ragged_get(&st->in_path, st->input[i], buf, sizeof buf);
        char *inp = owned[nowned++] = CHECK_PTR(strdup(buf));
        if (!r->ok) {
            rej_index[ir] = i; rej_member[ir] = mem; rej_input[ir] = inp;
            rej_reason[ir] = r->reason; rej_detail[ir] = r->detail;
            rej_by[reject_kind(r->reason)]++;
            ir++;
            continue;
        }
        store_index[ia] = i;
        ntok[ia] = r->n_tokens;
        tok_off[ia] = t0 + it;
        seg_off[ia] = s0 + is;
        seg_cnt[ia] = r->n_seg;
        warn[ia] = r->warnings;
        whole_ok[ia] = r->whole_ok;
        whole_missing += !r->whole_ok;
        overlong[ia] = r->overlong_bars;
        ovl += r->overlong_bars;
        label[ia] = meta->label[i];
        if (meta->label[i] >= 0) lab[meta->label[i]]++;
        memcpy(md5 + 16 * ia, st->md5 + 16 * i, 16);
        memcpy(whole + ia * NV, r->whole, NV * sizeof(double));
        groups[ia] = meta->group[i] ? meta->group[i] : "";
        members[ia] = mem;
        inputs[ia] = inp;
        memcpy(tokens + it, r->tokens, (size_t)r->n_tokens * 2);
        it += r->n_tokens;
        for (int64_t q = 0; q < r->n_seg; q++, is++) {
            seg_piece[is] = a0 + ia;
            seg_b[is] = r->seg[q].begin;
            seg_e[is] = r->seg[q].end;
            seg_valid[is] = r->seg[q].valid;
            seg_invalid += !r->seg[q].valid;
            memcpy(segf + is * NV, r->seg_features + q * NV, NV * sizeof(double));
        }
        ia++;
    }

    emg_h5file f;
    emg_h5_create(&f, out, comm, CORPUS_FORMAT, CORPUS_VERSION, "extract", config_json);
    hid_t g = group(f.id, "pieces");
    emg_h5_write_1d(g, "store_index", H5T_NATIVE_INT64, NA, a0, na, store_index, comm);
    emg_h5_write_rows(g, "md5", H5T_NATIVE_UINT8, NA, 16, a0, na, md5, comm);
    emg_h5_write_1d(g, "label", H5T_NATIVE_INT8, NA, a0, na, label, comm);
    emg_h5_write_ragged(g, "group", groups, na, comm);
    emg_h5_write_ragged(g, "member", members, na, comm);
    emg_h5_write_ragged(g, "input", inputs, na, comm);
    emg_h5_write_1d(g, "n_tokens", H5T_NATIVE_INT64, NA, a0, na, ntok, comm);
    emg_h5_write_1d(g, "token_offset", H5T_NATIVE_INT64, NA, a0, na, tok_off, comm);
    emg_h5_write_1d(g, "segment_offset", H5T_NATIVE_INT64, NA, a0, na, seg_off, comm);
    emg_h5_write_1d(g, "segment_count", H5T_NATIVE_INT64, NA, a0, na, seg_cnt, comm);
    emg_h5_write_1d(g, "warnings", H5T_NATIVE_INT32, NA, a0, na, warn, comm);
    emg_h5_write_1d(g, "features_ok", H5T_NATIVE_INT32, NA, a0, na, whole_ok, comm);
    emg_h5_write_1d(g, "overlong_bars", H5T_NATIVE_INT32, NA, a0, na, overlong, comm);
    emg_h5_write_rows(g, "features", H5T_NATIVE_DOUBLE, NA, NV, a0, na, whole, comm);
    H5Gclose(g);
    g = group(f.id, "tokens");
    emg_h5_write_1d(g, "ids", H5T_NATIVE_UINT16, NT, t0, nt, tokens, comm);
    H5Gclose(g);
    g = group(f.id, "segments");
    emg_h5_write_1d(g, "piece", H5T_NATIVE_INT64, NS, s0, ns, seg_piece, comm);
    emg_h5_write_1d(g, "begin", H5T_NATIVE_INT64, NS, s0, ns, seg_b, comm);
    emg_h5_write_1d(g, "end", H5T_NATIVE_INT64, NS, s0, ns, seg_e, comm);
    emg_h5_write_1d(g, "valid", H5T_NATIVE_INT32, NS, s0, ns, seg_valid, comm);
    emg_h5_write_rows(g, "features", H5T_NATIVE_DOUBLE, NS, NV, s0, ns, segf, comm);
    H5Gclose(g);
    g = group(f.id, "rejects");
    int64_t rr0 = emg_prefix_offset(nr, comm, &NR);
    emg_h5_write_1d(g, "store_index", H5T_NATIVE_INT64, NR, rr0, nr, rej_index, comm);
    emg_h5_write_ragged(g, "member", rej_member, nr, comm);
    emg_h5_write_ragged(g, "input", rej_input, nr, comm);
    emg_h5_write_ragged(g, "reason", rej_reason, nr, comm);
    emg_h5_write_ragged(g, "detail", rej_detail, nr, comm);
    H5Gclose(g);
    /* names and the vocabulary, so the file explains itself (written by rank 0's rows) */
    g = group(f.id, "features");
    char (*vn)[96] = xmalloc(NV * sizeof *vn);
    const char **vnp = xmalloc(NV * sizeof *vnp);
    uint8_t *impl = xmalloc(NV);
    for (int v = 0; v < NV; v++) {
        emg_jsym_value_name(v, vn[v], sizeof vn[v]);
        vnp[v] = vn[v];
        impl[v] = (uint8_t)emg_jsym_feature_implemented(emg_jsym_value_feature(v));
    }
    emg_h5_write_ragged(g, "name", vnp, rank == 0 ? NV : 0, comm);
    emg_h5_write_1d(g, "implemented", H5T_NATIVE_UINT8, NV, 0, rank == 0 ? NV : 0, impl, comm);
    H5Gclose(g);
    g = group(f.id, "vocab");
    char (*tn)[EMG_REMI_TOKEN_MAX] = xmalloc(EMG_REMI_VOCAB_SIZE * sizeof *tn);
    const char **tnp = xmalloc(EMG_REMI_VOCAB_SIZE * sizeof *tnp);
    for (int v = 0; v < EMG_REMI_VOCAB_SIZE; v++) { emg_remi_token_str(v, tn[v]); tnp[v] = tn[v]; }
    emg_h5_write_ragged(g, "token", tnp, rank == 0 ? EMG_REMI_VOCAB_SIZE : 0, comm);
    H5Gclose(g);

    /* totals */
    int64_t local[8 + REJ_NREASONS] = {lab[0], lab[1], lab[2], lab[3], seg_invalid, whole_missing, ovl, 0};
    for (int k = 0; k < REJ_NREASONS; k++) local[8 + k] = rej_by[k];
    int64_t tot[8 + REJ_NREASONS];
    CHECK_MPI(MPI_Allreduce(local, tot, 8 + REJ_NREASONS, MPI_INT64_T, MPI_SUM, comm));
    emg_h5_attr_i64(f.id, "pieces", NA);
    emg_h5_attr_i64(f.id, "segments", NS);
    emg_h5_attr_i64(f.id, "tokens", NT);
    emg_h5_attr_i64(f.id, "rejected", NR);
    emg_h5_attr_i64v(f.id, "labelled", tot, 4);
    emg_h5_attr_i64(f.id, "max_tokens", max_tokens);
    emg_h5_attr_str(f.id, "store", store_path);
    emg_h5_attr_i64(f.id, "vocab_size", EMG_REMI_VOCAB_SIZE);
    emg_h5_commit(&f);

    sum->pieces_in = NA + NR;
    sum->pieces = NA;
    sum->segments = NS;
    sum->tokens = NT;
    sum->rejected = NR;
    for (int q = 0; q < 4; q++) sum->labelled[q] = tot[q];
    sum->segments_invalid = tot[4];
    sum->whole_missing = tot[5];
    sum->overlong_bars = tot[6];
    for (int k = 0; k < REJ_NREASONS; k++) sum->rejected_by[k] = tot[8 + k];

    for (int64_t k = 0; k < nowned; k++) free(owned[k]);
    free(owned); free(vn); free(vnp); free(impl); free(tn); free(tnp);
    free(store_index); free(ntok); free(tok_off); free(seg_off); free(seg_cnt); free(warn); free(whole_ok);
    free(overlong); free(label); free(md5); free(whole); free(groups); free(members); free(inputs); free(tokens);
    free(seg_piece); free(seg_b); free(seg_e); free(seg_valid); free(segf);
    free(rej_index); free(rej_member); free(rej_input); free(rej_reason); free(rej_detail);
}

void corpus_print_summary(const corpus_summary *s, int quiet, int json, const char *out) {
    double pps = s->seconds > 0 ? (double)s->pieces_in / s->seconds : 0;
    double mbps = s->seconds > 0 ? (double)s->bytes_in / 1e6 / s->seconds : 0;
    if (!quiet) {
        fprintf(stderr, "extract: %lld pieces in: %lld written (%lld segments, %lld tokens), %lld rejected\n",
                (long long)s->pieces_in, (long long)s->pieces, (long long)s->segments, (long long)s->tokens,
                (long long)s->rejected);
        for (int k = 0; k < REJ_NREASONS; k++)
            if (s->rejected_by[k]) fprintf(stderr, "  rejected %-12s %lld\n", corpus_reject_name(k), (long long)s->rejected_by[k]);
        fprintf(stderr, "  labelled: Q1 %lld, Q2 %lld, Q3 %lld, Q4 %lld (%lld label rows matched no file)\n",
                (long long)s->labelled[0], (long long)s->labelled[1], (long long)s->labelled[2],
                (long long)s->labelled[3], (long long)s->unmatched_labels);
        if (s->whole_missing || s->segments_invalid || s->overlong_bars)
            fprintf(stderr, "  %lld pieces without whole-piece features, %lld segments without features, "
                    "%lld bars longer than max_tokens cut at a position\n", (long long)s->whole_missing,
                    (long long)s->segments_invalid, (long long)s->overlong_bars);
        fprintf(stderr, "  %.2f s, %.1f pieces/s, %.2f MB/s of MIDI -> %s\n", s->seconds, pps, mbps, out);
    }
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "pieces_in", (double)s->pieces_in);
        cJSON_AddNumberToObject(o, "pieces", (double)s->pieces);
        cJSON_AddNumberToObject(o, "segments", (double)s->segments);
        cJSON_AddNumberToObject(o, "tokens", (double)s->tokens);
        cJSON *lab = cJSON_AddObjectToObject(o, "labelled");
        const char *q[4] = {"Q1", "Q2", "Q3", "Q4"};
        for (int k = 0; k < 4; k++) cJSON_AddNumberToObject(lab, q[k], (double)s->labelled[k]);
        cJSON *rj = cJSON_AddObjectToObject(o, "rejected");
        for (int k = 0; k < REJ_NREASONS; k++)
            if (s->rejected_by[k]) cJSON_AddNumberToObject(rj, corpus_reject_name(k), (double)s->rejected_by[k]);
        cJSON_AddNumberToObject(o, "unmatched_labels", (double)s->unmatched_labels);
        cJSON_AddNumberToObject(o, "segments_without_features", (double)s->segments_invalid);
        cJSON_AddNumberToObject(o, "pieces_without_whole_features", (double)s->whole_missing);
        cJSON_AddNumberToObject(o, "bytes_in", (double)s->bytes_in);
        cJSON_AddNumberToObject(o, "seconds", s->seconds);
        cJSON_AddNumberToObject(o, "compute_seconds", s->compute_seconds);
        cJSON_AddNumberToObject(o, "pieces_per_s", pps);
        cJSON_AddNumberToObject(o, "mb_per_s", mbps);
        char *t = cJSON_PrintUnformatted(o);
        printf("%s\n", t);
        free(t);
        cJSON_Delete(o);
    }
}
