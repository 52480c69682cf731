/* unpack.c: `emogen unpack`: MIDI archives, folders and files -> one HDF5 MIDI store.
 *
 * Flow (every rank runs the same code; no coordinator):
 *   1. inputs: expand --list files, stat; load the previous store when --out exists and drop the
 *      inputs already in it (same path, size, mtime, MD5). Only inputs that could match one (and
 *      folders, whose checksum is their listing) are hashed up front; the others get their MD5
 *      from the reads of step 3, so no input is read twice;
 *   2. spread: seekable archives (zip, 7z) big enough to matter are split by entry blocks over all
 *      ranks; big compressed streams (tar.gz, ...), which only one reader can decompress, are read by
 *      one rank that deals their members round-robin to the other ranks for checking and hashing
 *      (non-blocking sends; it checks members itself while they are behind); the other inputs
 *      are taken dynamically from a shared counter, largest first;
 *   3. read: walk each assigned input (archive_walk), check each MIDI-signature member with the
 *      lenient MIDI reader (its check-only mode: the same decisions, no notes built), MD5 it,
 *      keep its bytes; every member ends as a record (accepted or rejected with a reason);
 *   4. merge: allgather the records (not the bytes); every rank sorts them by (input, entry, sub)
 *      and finds duplicates (first MD5 wins, the previous store's files first): the same order and
 *      decisions for any rank count;
 *   5. write: the new store = previous store's datasets + the new files, written collectively;
 *      each rank writes its own files' bytes at offsets from the global order, in rounds of
 *      8 MiB; atomic commit.
 * Layout: schemas/midi_store.md.
 */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"
#include "unpack/unpack_bytes.h"
#include "unpack/unpack_extract.h"
#include "unpack/unpack_inputs.h"
#include "unpack/unpack_records.h"
#include "unpack/unpack_store.h"

#include "archive_walk.h"
#include "check.h"
#include "cli.h"
#include "jsonconfig.h"
#include "md5.h"
#include "midi_read.h"
#include "progress.h"
#include "split.h"
#include "work_counter.h"

#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: [mpirun -np N] emogen unpack --out STORE.h5 [options] INPUT...\n\n"
        "Pack every MIDI file found in INPUTs into one HDF5 MIDI store, never extracting to disk.\n"
        "INPUT: an archive (tar with gz/bz2/xz/zstd/lz4, zip, 7z, rar, cpio, iso, ...), a folder (walked\n"
        "recursively), or a MIDI file. MIDI is recognised by content (MThd or RIFF RMID), not by name;\n"
        "archives inside archives are opened up to max_depth levels. Each member is checked with the\n"
        "lenient MIDI reader; files with the same MD5 are stored once and the duplicates listed.\n"
        "Re-running with the same --out adds only inputs not ingested yet (same path, size, mtime,\n"
        "checksum). The store is replaced atomically: a killed run leaves the previous store intact.\n\n"
        "options:\n"
        "  -o, --out FILE       the store to create or extend (required)\n"
        "  -l, --list FILE      read more inputs from FILE, one path per line (# comments)\n"
        "  -c, --config FILE    JSON config (schema: unpack.schema.json)\n"
        "  -s, --set KEY=VALUE  override one config key (repeatable): max_member_bytes, max_expansion_ratio,\n"
        "                       max_depth, strict_midi, follow_symlinks, memory_budget_bytes\n"
        "  -x, --extract-to DIR also write each accepted file under DIR/<input name>/<member path>; member\n"
        "                       names with an absolute path or '..' are refused, links are never followed\n"
        "  -q, --quiet          no progress or summary on stderr\n"
        "      --json           print the summary as one JSON object on stdout\n"
        "  -h, --help           this help\n");
}

enum { DEAL_SLOTS = 32 };
#define DEAL_BYTES ((size_t)64 << 20)

typedef struct run {
    emg_ctx *ctx;
    int strict;
    unpack_input *in;
    int32_t cur_input;
    int64_t block_b, block_e;     /* entry block of a split input */
    int64_t last_entry;
    int32_t sub;
    ubuf recs;                    /* packed records of this rank */
    unpack_bytes bytes;           /* accepted MIDI bytes of this rank (memory, then a spill file) */
    ubuf unhashed;                /* accepted files whose MD5 is still to take: (md5 position in
                                     recs, offset in bytes, length) triples, see hash_accepted */
    int64_t members;
    /* hand-off: a big compressed stream (tar.gz, ...) cannot be split, so one rank decompresses it
     * and deals its MIDI members round-robin to the other ranks, which check and keep them */
    int handoff;
    int64_t dealt;
    ubuf msg;
    /* dealt members in flight: non-blocking sends, so the reader goes on decompressing while the
     * others check and hash; at most DEAL_SLOTS messages and DEAL_BYTES bytes are outstanding */
    ubuf slot[DEAL_SLOTS];
    MPI_Request req[DEAL_SLOTS];
    int64_t next_slot, oldest_slot, inflight_bytes;
} run;

enum { TAG_MEMBER = 71, TAG_DONE = 72 };

static int32_t next_sub(run *r, int64_t entry) {
    if (entry != r->last_entry) { r->last_entry = entry; r->sub = 0; }
    return r->sub++;
}

static void hash_accepted(run *r);

/* check one MIDI member with the lenient reader and keep it (its MD5 comes later, in hash_accepted),
 * or record the rejection */
static void process_member(run *r, int32_t input, const char *input_path, const char *path, const uint8_t *data,
                           size_t len, int64_t mtime, int64_t entry, int32_t sub) {
    r->members++;
    unpack_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.input = input;
    rec.entry = entry;
    rec.sub = sub;
    rec.len = (int64_t)len;
    rec.mtime = mtime;
    rec.path = path;
    emg_score score;
    emg_midi_opts opts = {.strict = r->strict, .check_only = 1};
    emg_status st = emg_midi_read(data, len, &opts, &score);
    if (st.code) {
        rec.kind = REC_REJECT;
        rec.reason = EMG_REJ_BAD_MIDI;
        rec.detail = st.msg;
        if (strcmp(input_path, path)) emg_warn(r->ctx, "%s: %s: rejected: %s", input_path, path, st.msg);
        else emg_warn(r->ctx, "%s: rejected: %s", path, st.msg);  /* a MIDI file given as input */
    } else {
        rec.kind = REC_MIDI;
        rec.reason = "";
        rec.detail = "";
        rec.warnings = (int32_t)score.n_warnings;
        rec.local_off = unpack_bytes_put(&r->bytes, data, len);
        emg_score_free(&score);
    }
    size_t md5_at = rec_pack(&r->recs, &rec);
    if (rec.kind == REC_MIDI) {  /* a rejected file's MD5 is never used */
        int64_t t[3] = {(int64_t)md5_at, rec.local_off, rec.len};
        ubuf_put(&r->unhashed, t, sizeof t);
        if (unpack_bytes_full(&r->bytes)) {  /* memory budget reached: hash, then move to disk */
            hash_accepted(r);
            unpack_bytes_spill(&r->bytes);
        }
    }
}

/* the MD5 of every accepted file of this rank, eight files at a time (emg_md5_many: 4x one at
 * a time), written into the packed records */
static void hash_accepted(run *r) {
    size_t n = r->unhashed.n / (3 * sizeof(int64_t));
    const int64_t *t = (const int64_t *)(void *)r->unhashed.p;
    const uint8_t **data = xmalloc((n ? n : 1) * sizeof *data);
    size_t *len = xmalloc((n ? n : 1) * sizeof *len);
    uint8_t (*digest)[16] = xmalloc((n ? n : 1) * sizeof *digest);
    for (size_t i = 0; i < n; i++) {
        data[i] = unpack_bytes_at(&r->bytes, t[3 * i + 1], (size_t)t[3 * i + 2]);  /* not spilled yet */
        len[i] = (size_t)t[3 * i + 2];
    }
    emg_md5_many(data, len, n, digest);
    for (size_t i = 0; i < n; i++) memcpy(r->recs.p + t[3 * i], digest[i], 16);
    free(data);
    free(len);
    free(digest);
    r->unhashed.n = 0;
}

/* retire the oldest send in flight: wait for it, or (wait = 0) only if it is complete; 1 if retired */
static int deal_retire_oldest(run *r, int wait) {
    int k = (int)(r->oldest_slot % DEAL_SLOTS), done = 1;
    if (wait) CHECK_MPI(MPI_Wait(&r->req[k], MPI_STATUS_IGNORE));
    else CHECK_MPI(MPI_Test(&r->req[k], &done, MPI_STATUS_IGNORE));
    if (!done) return 0;
    r->oldest_slot++;
    r->inflight_bytes -= (int64_t)r->slot[k].n;
    return 1;
}

/* 1 if one more message of `need` bytes fits in the window now (completed sends are retired) */
static int deal_room(run *r, size_t need) {
    for (;;) {
        int full = r->next_slot - r->oldest_slot == DEAL_SLOTS || r->inflight_bytes + (int64_t)need > (int64_t)DEAL_BYTES;
        if (!full || r->next_slot == r->oldest_slot) return 1;
        if (!deal_retire_oldest(r, 0)) return 0;
    }
}

static void on_member(void *u, const emg_member *m) {
    run *r = u;
    int64_t entry = m->entry;
    int32_t sub = next_sub(r, entry);
    uint32_t pl = (uint32_t)strlen(m->path);
    size_t need = 36 + pl + m->len;
    /* the reader of a dealt stream sends each member to the next other rank while they keep up,
     * and checks it itself when they are behind (its window of sends is full): decompression,
     * usually the slower part, never waits and nobody idles. Who checks a member changes nothing
     * that is stored (records are merged in global order). */
    if (!r->handoff || r->ctx->size == 1 || !deal_room(r, need)) {
        process_member(r, r->cur_input, m->input, m->path, m->data, m->len, m->mtime, entry, sub);
        return;
    }
    int dest = (int)(r->dealt++ % (r->ctx->size - 1));
    if (dest >= r->ctx->rank) dest++;  /* skip the reader */
    /* deal it: [input, entry, sub, mtime, len, path length, path, bytes] */
    int64_t len = (int64_t)m->len;
    ubuf *b = &r->slot[r->next_slot % DEAL_SLOTS];
    b->n = 0;
    ubuf_put(b, &r->cur_input, sizeof r->cur_input);
    ubuf_put(b, &entry, sizeof entry);
    ubuf_put(b, &sub, sizeof sub);
    ubuf_put(b, &m->mtime, sizeof m->mtime);
    ubuf_put(b, &len, sizeof len);
    ubuf_put(b, &pl, sizeof pl);
    ubuf_put(b, m->path, pl);
    ubuf_put(b, m->data, m->len);
    if (b->n > INT32_MAX) FAIL("a member of %zu bytes cannot be dealt", b->n);
    CHECK_MPI(MPI_Isend(b->p, (int)b->n, MPI_BYTE, dest, TAG_MEMBER, r->ctx->comm, &r->req[r->next_slot % DEAL_SLOTS]));
    r->inflight_bytes += (int64_t)b->n;
    r->next_slot++;
}

/* a rank that is not the reader: take dealt members until the reader says it is done */
static void receive_dealt(run *r, int reader, const unpack_input *in) {
    for (;;) {
        MPI_Status st;
        CHECK_MPI(MPI_Probe(reader, MPI_ANY_TAG, r->ctx->comm, &st));
        int count = 0;
        MPI_Get_count(&st, MPI_BYTE, &count);
        if (r->msg.cap < (size_t)count + 1) { r->msg.p = xrealloc(r->msg.p, (size_t)count + 1); r->msg.cap = (size_t)count + 1; }
        CHECK_MPI(MPI_Recv(r->msg.p, count, MPI_BYTE, reader, st.MPI_TAG, r->ctx->comm, MPI_STATUS_IGNORE));
        if (st.MPI_TAG == TAG_DONE) return;
        const uint8_t *p = r->msg.p;
        int32_t input, sub;
        int64_t entry, mtime, len;
        uint32_t pl;
        memcpy(&input, p, 4); p += 4;
        memcpy(&entry, p, 8); p += 8;
        memcpy(&sub, p, 4); p += 4;
        memcpy(&mtime, p, 8); p += 8;
        memcpy(&len, p, 8); p += 8;
        memcpy(&pl, p, 4); p += 4;
        char *path = xmalloc(pl + 1);
        memcpy(path, p, pl);
        path[pl] = 0;
        p += pl;
        process_member(r, input, in[input].path, path, p, (size_t)len, mtime, entry, sub);
        free(path);
    }
}

static void on_reject(void *u, const emg_reject *j) {
    run *r = u;
    unpack_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.kind = j->is_member ? REC_REJECT : REC_CONTAINER_REJECT;
    rec.input = r->cur_input;
    rec.entry = j->entry;
    rec.sub = next_sub(r, j->entry);
    rec.path = j->member;
    rec.reason = j->reason;
    rec.detail = j->detail;
    if (j->is_member) r->members++;
    if (!r->ctx->quiet || j->is_member == 0)
        emg_warn(r->ctx, "%s: %s%s%s: %s", j->input, j->member, j->member[0] ? ": " : "", j->reason, j->detail);
    rec_pack(&r->recs, &rec);
}

static int want_block(void *u, int64_t k) {
    run *r = u;
    if (k >= r->block_e) return -1;
    return k >= r->block_b;
}

static void checksum_input(unpack_input *in) {
    if (in->size < 0 || unpack_input_checksum(in, in->checksum) != 0) snprintf(in->checksum, sizeof in->checksum, "unreadable");
}

/* walk one whole input, taking its checksum from the walk's own reads where it can */
static void walk_and_hash(unpack_input *in, const emg_walk_opts *wo, const emg_walk_callbacks *cb) {
    uint8_t d[16];
    int ok = 0;
    emg_walk_input_md5(in->path, wo, cb, in->checksum[0] ? NULL : d, &ok);
    if (ok) emg_md5_hex(d, in->checksum);
    else if (!in->checksum[0]) checksum_input(in);
}

/* every checksum is known to one rank (the one that computed it) or to all: OR them together */
static void share_checksums(unpack_input *in, int n, MPI_Comm comm) {
    char *all = xcalloc((size_t)(n ? n : 1), 33);
    for (int i = 0; i < n; i++) memcpy(all + 33 * (size_t)i, in[i].checksum, 33);
    CHECK_MPI(MPI_Allreduce(MPI_IN_PLACE, all, 33 * n, MPI_BYTE, MPI_BOR, comm));
    for (int i = 0; i < n; i++) memcpy(in[i].checksum, all + 33 * (size_t)i, 33);
    free(all);
}

/* read --list files: one input per line, blank lines and # comments skipped */
static int read_list(const char *path, char ***inputs, int *n, int *cap) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = 0;
        if (!len || line[0] == '#') continue;
        if (*n == *cap) *inputs = xrealloc(*inputs, (size_t)(*cap *= 2) * sizeof **inputs);
        (*inputs)[(*n)++] = CHECK_PTR(strdup(line));
    }
    fclose(f);
    return 0;
}

int cmd_unpack(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'}, {"list", required_argument, 0, 'l'},
        {"config", required_argument, 0, 'c'}, {"set", required_argument, 0, 's'},
        {"extract-to", required_argument, 0, 'x'}, {"quiet", no_argument, 0, 'q'}, {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *out = NULL, *config = NULL, *extract_to = NULL;
    int cap = 16, n_inputs = 0, nsets = 0;
    char **inputs = xmalloc((size_t)cap * sizeof *inputs);
    char *sets[64];
    char **lists = xmalloc((size_t)argc * sizeof *lists);
    int n_lists = 0, c;
    while ((c = getopt_long(argc, argv, "o:l:c:s:x:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'l': lists[n_lists++] = optarg; break;
        case 'c': config = optarg; break;
        case 's': if (nsets < 64) sets[nsets++] = optarg; break;
        case 'x': extract_to = optarg; break;
        case 'q': ctx->quiet = 1; break;
        case 'j': ctx->json = 1; break;
        case 'h': usage(stdout); free(inputs); free(lists); return 0;
        default: free(inputs); free(lists); return emg_usage_error("unpack", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (n_inputs == cap) inputs = xrealloc(inputs, (size_t)(cap *= 2) * sizeof *inputs);
        inputs[n_inputs++] = CHECK_PTR(strdup(argv[i]));
    }
    for (int i = 0; i < n_lists; i++) {
        if (read_list(lists[i], &inputs, &n_inputs, &cap)) {
            fprintf(stderr, "emogen unpack: cannot read input list %s: %s\n", lists[i], emg_errno_str());
            return 1;
        }
    }
    free(lists);
    if (!out) return emg_usage_error("unpack", "--out STORE.h5 is required");
    if (n_inputs == 0) return emg_usage_error("unpack", "no INPUT given");

    char err[1024];
    cJSON *cfg = emg_config_load("unpack.schema.json", config, sets, nsets, err, sizeof err);
    if (!cfg) { if (ctx->rank == 0) fprintf(stderr, "emogen unpack: %s\n", err); return 2; }
    emg_walk_opts wo;
    emg_walk_defaults(&wo);
    wo.max_member_bytes = emg_cfg_int(cfg, "max_member_bytes");
    wo.max_expansion_ratio = emg_cfg_num(cfg, "max_expansion_ratio");
    wo.max_depth = (int)emg_cfg_int(cfg, "max_depth");
    wo.follow_symlinks = emg_cfg_bool(cfg, "follow_symlinks");
    double t0 = emg_now();

    /* 1. the input table. An input's checksum is needed before reading only when the previous
     * store holds an input with the same path, size and mtime (or for a folder, whose checksum is
     * its cheap listing); the others are hashed from the reads of the walk itself (step 3), so
     * no input is read twice. */
    unpack_input *in = xcalloc((size_t)n_inputs, sizeof *in);
    for (int i = 0; i < n_inputs; i++) {
        in[i].path = inputs[i];
        if (unpack_input_stat(&in[i]) != 0) in[i].size = -1;  /* reported as unreadable by the walk */
    }
    unpack_store prev;
    if (access(out, F_OK) == 0) {
        if (unpack_store_load(&prev, out, err, sizeof err) != 0) {
            if (ctx->rank == 0) fprintf(stderr, "emogen unpack: %s\n", err);
            cJSON_Delete(cfg);
            return 1;
        }
    } else {
        unpack_store_empty(&prev);
    }
    for (int i = 0; i < n_inputs; i++) {
        int needed = in[i].size >= 0 && (in[i].is_dir || emg_midi_store_has_input(&prev, in[i].path, in[i].size,
                                                                                  in[i].mtime, NULL));
        if (needed && i % ctx->size == ctx->rank) checksum_input(&in[i]);
    }
    share_checksums(in, n_inputs, ctx->comm);
    for (int i = 0; i < n_inputs; i++) in[i].done_before = in[i].checksum[0] && unpack_store_has_input(&prev, &in[i]);

    double t_inputs = emg_now();
    /* 2. spread the work */
    int64_t total_new = 0;
    for (int i = 0; i < n_inputs; i++) if (!in[i].done_before && in[i].size > 0) total_new += in[i].size;
    for (int i = 0; i < n_inputs; i++) {
        if (in[i].done_before) continue;
        if (ctx->size > 1 && !in[i].is_dir && in[i].size > total_new / (2 * ctx->size) &&
            unpack_input_is_seekable_archive(in[i].path)) {
            in[i].entries = unpack_count_entries(in[i].path);
            in[i].split = in[i].entries > 1;
        }
    }
    /* big compressed streams are read by one rank that deals their members to all */
    int *handoff = xcalloc((size_t)(n_inputs ? n_inputs : 1), sizeof *handoff);
    for (int i = 0; i < n_inputs; i++)
        handoff[i] = ctx->size > 1 && !in[i].done_before && !in[i].split && !in[i].is_dir &&
                     in[i].size > total_new / (2 * ctx->size) && !unpack_input_is_seekable_archive(in[i].path);
    /* the queue of unsplit inputs, largest first (ties: input order), the same on every rank */
    int *queue = xmalloc((size_t)(n_inputs ? n_inputs : 1) * sizeof *queue);
    int64_t n_queue = 0;
    for (int i = 0; i < n_inputs; i++)
        if (!in[i].done_before && !in[i].split && !handoff[i]) queue[n_queue++] = i;
    for (int64_t a = 1; a < n_queue; a++)  /* insertion sort: stable, inputs are few */
        for (int64_t b = a; b > 0 && in[queue[b]].size > in[queue[b - 1]].size; b--) {
            int t = queue[b]; queue[b] = queue[b - 1]; queue[b - 1] = t;
        }

    /* 3. read */
    run r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.strict = emg_cfg_bool(cfg, "strict_midi");
    r.in = in;
    unpack_bytes_init(&r.bytes, emg_cfg_int(cfg, "memory_budget_bytes"), out);
    emg_walk_callbacks cb = {&r, on_member, on_reject, NULL};
    emg_progress prog;
    int64_t mine_total = 0, mine_done = 0, bytes_in = 0;
    for (int i = 0; i < n_inputs; i++) mine_total += !in[i].done_before;  /* rank 0 shows its own share */
    emg_progress_init(&prog, "unpack rank 0", mine_total, ctx->rank == 0 && !ctx->quiet);
    int n_skipped = 0;
    for (int i = 0; i < n_inputs; i++) n_skipped += in[i].done_before;
    /* split archives first, every rank taking its block of entries */
    for (int i = 0; i < n_inputs; i++) {
        if (in[i].done_before || !in[i].split) continue;
        r.cur_input = i;
        r.last_entry = -1;
        if (i % ctx->size == ctx->rank && !in[i].checksum[0]) checksum_input(&in[i]);  /* no rank reads it all */
        emg_split_block(in[i].entries, ctx->size, ctx->rank, &r.block_b, &r.block_e);
        cb.want = want_block;
        emg_walk_input(in[i].path, &wo, &cb);
        if (ctx->rank == 0) bytes_in += in[i].size > 0 ? in[i].size : 0;
        emg_progress_update(&prog, ++mine_done);
    }
    /* streams dealt by their reader (reader = h mod ranks for the h-th such input) */
    for (int i = 0, h = 0; i < n_inputs; i++) {
        if (!handoff[i]) continue;
        int reader = h++ % ctx->size;
        r.cur_input = i;
        r.last_entry = -1;
        if (ctx->rank == reader) {
            r.handoff = 1;
            r.dealt = 0;
            walk_and_hash(&in[i], &wo, &cb);
            while (r.next_slot > r.oldest_slot) deal_retire_oldest(&r, 1);
            r.handoff = 0;
            for (int p = 0; p < ctx->size; p++)
                if (p != reader) CHECK_MPI(MPI_Send(NULL, 0, MPI_BYTE, p, TAG_DONE, ctx->comm));
            bytes_in += in[i].size > 0 ? in[i].size : 0;
        } else {
            receive_dealt(&r, reader, in);
        }
        emg_progress_update(&prog, ++mine_done);
    }
    free(handoff);
    /* the rest dynamically, largest first: a rank that finishes early takes more (costs differ by
     * codec and content, not only by size); the global order is restored by the merge */
    cb.want = NULL;
    emg_counter counter;
    emg_counter_init(&counter, ctx->comm);
    for (int64_t k; (k = emg_counter_next(&counter)) < n_queue;) {
        int i = queue[k];
        r.cur_input = i;
        r.last_entry = -1;
        walk_and_hash(&in[i], &wo, &cb);
        bytes_in += in[i].size > 0 ? in[i].size : 0;
        emg_progress_update(&prog, ++mine_done);
    }
    emg_counter_free(&counter);
    free(queue);
    if (mine_total) emg_progress_finish(&prog);

    hash_accepted(&r);
    share_checksums(in, n_inputs, ctx->comm);  /* each was computed by the one rank that read the input */
    double t_read = emg_now(), t_read_max = 0;
    double my_read = t_read - t_inputs;
    CHECK_MPI(MPI_Allreduce(&my_read, &t_read_max, 1, MPI_DOUBLE, MPI_MAX, ctx->comm));
    /* 4. merge the records on every rank */
    unpack_merged m;
    unpack_merge(&m, ctx->comm, &r.recs, &prev);
    double t_merge = emg_now();

    /* 5. write */
    unpack_summary sum;
    memset(&sum, 0, sizeof sum);
    int64_t all_bytes_in = 0;
    CHECK_MPI(MPI_Allreduce(&bytes_in, &all_bytes_in, 1, MPI_INT64_T, MPI_SUM, ctx->comm));
    sum.inputs = n_inputs;
    sum.inputs_skipped = n_skipped;
    sum.bytes_in = all_bytes_in;
    char *cfg_text = cJSON_PrintUnformatted(cfg);
    unpack_store_write(out, ctx->comm, cfg_text, &prev, in, n_inputs, &m, &r.bytes, &sum);
    sum.seconds = emg_now() - t0;
    sum.t_inputs = t_inputs - t0;
    sum.t_read = my_read;
    sum.t_read_max = t_read_max;
    sum.t_merge = t_merge - t_read;
    sum.t_write = emg_now() - t_merge;
    if (extract_to) {  /* each rank writes the files it read */
        int64_t refused = 0, all_refused = 0;
        if (ctx->rank == 0 && mkdir(extract_to, 0755) != 0 && errno != EEXIST)
            FAIL("cannot create --extract-to folder %s: %s", extract_to, emg_errno_str());
        CHECK_MPI(MPI_Barrier(ctx->comm));
        for (size_t i = 0; i < m.n; i++) {
            const unpack_rec *rc = &m.rec[i];
            if (rc->kind != REC_MIDI || m.final_index[i] < 0 || rc->owner != ctx->rank) continue;
            char why[512], prefix[1024];
            const char *base = strrchr(in[rc->input].path, '/');
            snprintf(prefix, sizeof prefix, "%s", base ? base + 1 : in[rc->input].path);
            uint8_t *file = xmalloc((size_t)rc->len + 1);
            unpack_bytes_read(&r.bytes, rc->local_off, (size_t)rc->len, file);
            int bad = unpack_extract_file(extract_to, prefix, rc->path, file, (size_t)rc->len, why, sizeof why);
            free(file);
            if (bad) {
                emg_warn(ctx, "%s: %s: not extracted: %s", in[rc->input].path, rc->path, why);
                refused++;
            }
        }
        CHECK_MPI(MPI_Reduce(&refused, &all_refused, 1, MPI_INT64_T, MPI_SUM, 0, ctx->comm));
        sum.extract_refused = all_refused;
    }
    if (ctx->rank == 0) unpack_print_summary(&sum, &m, ctx->quiet, ctx->json, out);

    free(cfg_text);
    unpack_merged_free(&m);
    unpack_store_free(&prev);
    ubuf_free(&r.recs);
    unpack_bytes_free(&r.bytes);
    ubuf_free(&r.msg);
    ubuf_free(&r.unhashed);
    for (int k = 0; k < DEAL_SLOTS; k++) ubuf_free(&r.slot[k]);
    for (int i = 0; i < n_inputs; i++) free(in[i].path);
    free(in);
    free(inputs);
    cJSON_Delete(cfg);
    return 0;
}
