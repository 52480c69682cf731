/* fuzz_midi_read.c: libFuzzer target for the MIDI reader (both layers) and the writer.
 *
 * For any input: the event view and the score builder never read out of bounds, never loop
 * without progress, and either reject with a message naming an offset or produce a score whose
 * invariants hold (notes end after they start, indices in range, data bytes < 128). A score that
 * the writer accepts must read back strictly with the same notes per instrument.
 *
 * Build: cmake -DEMOGEN_FUZZ=ON -DCMAKE_C_COMPILER=clang-14 ...; run with seeds, e.g.
 *   build/fuzz/fuzz_midi_read -max_total_time=300 corpus_dir/ */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "midi_events.h"
#include "midi_read.h"
#include "midi_write.h"

#define ASSERT(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); abort(); } } while (0)

static void check_events(const uint8_t *data, size_t size, int strict) {
    emg_midi_file mf;
    emg_status st = emg_midi_open(&mf, data, size, strict);
    if (st.code) { ASSERT(strstr(st.msg, "offset") || strstr(st.msg, "empty")); return; }
    ASSERT(mf.ntracks >= 0 && (size_t)mf.ntracks <= size / 8);
    for (int t = 0; t < mf.ntracks; t++) {
        emg_midi_track_iter it;
        emg_midi_event ev;
        emg_midi_track_begin(&it, &mf, t);
        int64_t last = 0;
        size_t n = 0, last_off = 0;
        int r;
        while ((r = emg_midi_next(&it, &ev, &st)) == 1) {
            ASSERT(ev.tick >= last);
            ASSERT(n == 0 || ev.offset > last_off);  /* progress */
            ASSERT(ev.offset < size);
            if (ev.kind == EMG_EV_META || ev.kind == EMG_EV_SYSEX || ev.kind == EMG_EV_ESCAPE)
                ASSERT(ev.payload >= data && ev.payload + ev.len <= data + size);
            if (ev.kind == EMG_EV_CHANNEL) ASSERT(ev.data[0] < 128 && ev.data[1] < 128);
            last = ev.tick;
            last_off = ev.offset;
            n++;
            ASSERT(n <= size);
        }
        if (r < 0) ASSERT(strstr(st.msg, "offset") != NULL);
        ASSERT(emg_midi_next(&it, &ev, &st) == 0);  /* a finished track stays finished */
    }
    emg_midi_close(&mf);
}

typedef struct { int64_t s, e; uint32_t i; uint8_t p, v; } nt;
static int cmp_nt(const void *a, const void *b) {
    const nt *x = a, *y = b;
    if (x->i != y->i) return x->i < y->i ? -1 : 1;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    if (x->e != y->e) return x->e < y->e ? -1 : 1;
    if (x->p != y->p) return x->p - y->p;
    return x->v - y->v;
}
static nt *sorted_notes(const emg_score *s) {
    nt *v = malloc((s->n_notes + 1) * sizeof *v);
    for (size_t i = 0; i < s->n_notes; i++)
        v[i] = (nt){s->note_start[i], s->note_end[i], s->note_inst[i], s->note_pitch[i], s->note_velocity[i]};
    qsort(v, s->n_notes, sizeof *v, cmp_nt);
    return v;
}

static void check_score(const uint8_t *data, size_t size, int strict) {
    emg_score s;
    emg_midi_opts o = {.strict = strict};
    emg_status st = emg_midi_read(data, size, &o, &s);
    if (st.code) { ASSERT(strstr(st.msg, "offset") || strstr(st.msg, "empty")); return; }
    if (strict) ASSERT(s.n_warnings == 0);
    ASSERT(s.ticks_per_beat > 0);
    ASSERT(s.n_notes <= size);
    for (size_t i = 0; i < s.n_notes; i++) {
        ASSERT(s.note_end[i] > s.note_start[i] && s.note_start[i] >= 0);
        ASSERT(s.note_end[i] < s.max_tick);
        ASSERT(s.note_pitch[i] < 128 && s.note_velocity[i] >= 1 && s.note_velocity[i] < 128);
        ASSERT(s.note_inst[i] < s.n_insts);
        ASSERT(i == 0 || s.note_inst[i] >= s.note_inst[i - 1]);  /* grouped by instrument */
    }
    for (size_t i = 0; i < s.n_insts; i++) ASSERT(s.inst_program[i] < 128 && s.inst_channel[i] < 16);
    ASSERT(s.n_tempos >= 1);
    for (size_t i = 0; i < s.n_tempos; i++) ASSERT(s.tempo_bpm[i] > 0);
    for (size_t i = 1; i < s.n_timesigs; i++) ASSERT(s.ts_tick[i] >= s.ts_tick[i - 1]);
    (void)emg_score_duration_seconds(&s);
    /* write, read back: the same notes per instrument */
    uint8_t *out = NULL;
    size_t len = 0;
    st = emg_midi_write(&s, s.inst_name, &out, &len);
    if (st.code == 0) {
        emg_score r;
        emg_midi_opts so = {.strict = 1};
        st = emg_midi_read(out, len, &so, &r);
        if (st.code) { fprintf(stderr, "re-read failed: %s\n", st.msg); ASSERT(0); }
        ASSERT(r.n_notes == s.n_notes && r.n_insts == s.n_insts);
        nt *a = sorted_notes(&s), *b = sorted_notes(&r);
        for (size_t i = 0; i < s.n_notes; i++) ASSERT(cmp_nt(&a[i], &b[i]) == 0);
        free(a);
        free(b);
        emg_score_free(&r);
        free(out);
    }
    emg_score_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_events(data, size, 0);
    check_events(data, size, 1);
    check_score(data, size, 0);
    check_score(data, size, 1);
    return 0;
}
