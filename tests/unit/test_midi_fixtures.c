/* test_midi_fixtures.c: the MIDI reader and writer on hand-built byte fixtures (no shared data).
 * Each fixture isolates one rule of docs/midi_reading_rules.md; expected values are derived by
 * hand from miditoolkit 0.1.16 / mido 1.2.10's code, and were cross-checked by running them. */
#include "test_util.h"

#include "midi_events.h"
#include "midi_read.h"
#include "midi_write.h"

/* ---- a tiny SMF builder ---- */
typedef struct { uint8_t b[8192]; size_t n; } smf;

static void add(smf *f, const uint8_t *p, size_t n) { memcpy(f->b + f->n, p, n); f->n += n; }
#define ADD(f, ...) do { const uint8_t x_[] = {__VA_ARGS__}; add((f), x_, sizeof x_); } while (0)
static void be32(smf *f, uint32_t v) { ADD(f, (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v); }
static void header(smf *f, int format, int ntracks, int division) {
    f->n = 0;
    ADD(f, 'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, (uint8_t)format, (uint8_t)(ntracks >> 8), (uint8_t)ntracks,
        (uint8_t)(division >> 8), (uint8_t)division);
}
/* append an MTrk chunk holding ev[0..n) */
static void track(smf *f, const uint8_t *ev, size_t n) {
    ADD(f, 'M', 'T', 'r', 'k');
    be32(f, (uint32_t)n);
    add(f, ev, n);
}
#define TRACK(f, ...) do { const uint8_t t_[] = {__VA_ARGS__}; track((f), t_, sizeof t_); } while (0)
#define EOT 0x00, 0xFF, 0x2F, 0x00

static emg_score read_ok(const smf *f, int strict) {
    emg_score s;
    emg_midi_opts o = {.strict = strict};
    emg_status st = emg_midi_read(f->b, f->n, &o, &s);
    if (st.code) fprintf(stderr, "unexpected rejection: %s\n", st.msg);
    CHECK_EQ_INT(st.code, 0);
    return s;
}
static emg_status read_status(const smf *f, int strict) {
    emg_score s;
    emg_midi_opts o = {.strict = strict};
    emg_status st = emg_midi_read(f->b, f->n, &o, &s);
    emg_score_free(&s);
    return st;
}
static void check_note(const emg_score *s, size_t i, int64_t start, int64_t end, int pitch, int vel) {
    CHECK(i < s->n_notes);
    if (i >= s->n_notes) return;
    CHECK_EQ_INT(s->note_start[i], start);
    CHECK_EQ_INT(s->note_end[i], end);
    CHECK_EQ_INT(s->note_pitch[i], pitch);
    CHECK_EQ_INT(s->note_velocity[i], vel);
}

/* running status, velocity-0 note-on as note-off, note order = note-off order */
static void test_running_status(void) {
    smf f;
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0x90, 60, 100,   /* on 60 */
              0x00, 64, 90,          /* running status: on 64 */
              0x60, 64, 0,           /* running: on 64 vel 0 = off at 96 */
              0x10, 60, 0,           /* off 60 at 112 */
              EOT);
    emg_score s = read_ok(&f, 1);
    CHECK_EQ_INT(s.n_notes, 2);
    check_note(&s, 0, 0, 96, 64, 90);    /* closed first */
    check_note(&s, 1, 0, 112, 60, 100);
    CHECK_EQ_INT(s.n_note_on_events, 2);
    CHECK_EQ_INT(s.max_tick, 113);       /* last event (EOT) at 112, + 1 */
    CHECK_EQ_INT(s.n_insts, 1);
    CHECK_EQ_INT(s.inst_program[0], 0);
    CHECK_EQ_INT(s.n_warnings, 0);
    emg_score_free(&s);
}

/* overlapping same-pitch notes: one note-off closes every open note of that key that did not
 * start at its tick; a note-on at the same tick stays open only if something else was closed */
static void test_overlaps(void) {
    smf f;
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0x90, 60, 10,    /* on @0 */
              0x0A, 0x90, 60, 20,    /* on @10 */
              0x0A, 0x80, 60, 0,     /* off @20: closes both */
              0x00, 0x80, 60, 0,     /* second off @20: nothing open -> ignored */
              0x0A, 0x90, 62, 30,    /* on 62 @30 */
              0x0A, 0x90, 62, 40,    /* on 62 @40 */
              0x00, 0x80, 62, 0,     /* off 62 @40: closes the @30 one, keeps the @40 one */
              0x0A, 0x80, 62, 0,     /* off 62 @50: closes the @40 one */
              0x0A, 0x90, 64, 50,    /* on 64 @60 */
              0x00, 0x80, 64, 0,     /* off 64 @60: only a same-tick note -> the key is dropped */
              0x0A, 0x80, 64, 0,     /* off 64 @70: nothing left */
              0x0A, 0x90, 65, 60,    /* on 65 @80, never closed: dropped */
              EOT);
    emg_score s = read_ok(&f, 1);
    CHECK_EQ_INT(s.n_notes, 4);
    check_note(&s, 0, 0, 20, 60, 10);
    check_note(&s, 1, 10, 20, 60, 20);
    check_note(&s, 2, 30, 40, 62, 30);
    check_note(&s, 3, 40, 50, 62, 40);
    CHECK_EQ_INT(s.n_note_on_events, 6);
    emg_score_free(&s);
}

/* instruments: keyed (program at note-off time, channel, track), in creation order;
 * drums on channel 10; a track name names the instruments created after it */
static void test_instruments(void) {
    smf f;
    header(&f, 1, 2, 96);
    TRACK(&f, 0x00, 0xFF, 0x03, 0x03, 'P', 'n', 'o',
              0x00, 0x90, 60, 100,
              0x00, 0x99, 36, 100,      /* drum note */
              0x10, 0xC0, 5,            /* program 5 on channel 0 before the note-off */
              0x00, 0x80, 60, 0,        /* -> instrument (5, ch 0) */
              0x00, 0x89, 36, 0,        /* -> drum instrument (0, ch 9) */
              EOT);
    TRACK(&f, 0x00, 0x90, 67, 80,       /* same channel 0, other track: new instrument, program 0 */
              0x10, 0x80, 67, 0,
              EOT);
    emg_score s = read_ok(&f, 1);
    CHECK_EQ_INT(s.n_insts, 3);
    CHECK_EQ_INT(s.inst_program[0], 5);
    CHECK_EQ_INT(s.inst_is_drum[0], 0);
    CHECK_STR_EQ(s.inst_name[0], "Pno");
    CHECK_EQ_INT(s.inst_program[1], 0);
    CHECK_EQ_INT(s.inst_is_drum[1], 1);
    CHECK_EQ_INT(s.inst_channel[1], 9);
    CHECK_EQ_INT(s.inst_track[2], 1);
    CHECK_STR_EQ(s.inst_name[2], "");
    CHECK_EQ_INT(s.n_notes, 3);
    CHECK_EQ_INT(s.note_inst[0], 0);
    CHECK_EQ_INT(s.note_inst[1], 1);
    CHECK_EQ_INT(s.note_inst[2], 2);
    emg_score_free(&s);
}

/* tempo list: starts [120 @0]; a tick-0 set_tempo in ANY track replaces the whole list; a later
 * one is appended only when its BPM differs from the last entry; not sorted */
static void test_tempo_list(void) {
    smf f;
    header(&f, 1, 3, 96);
    TRACK(&f, 0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,    /* 500000 us = 120 @0 (replaces default) */
              0x60, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,    /* 120 again @96: not appended */
              0x60, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0,    /* 600000 = 100 BPM @192: appended */
              EOT);
    TRACK(&f, 0x81, 0x40, 0xFF, 0x51, 0x03, 0x0B, 0x71, 0xB0,  /* 750000 = 80 BPM @192 (after @192 in list) */
              EOT);
    TRACK(&f, 0x00, 0xFF, 0x58, 0x04, 3, 2, 24, 8,         /* 3/4 @0 */
              0x30, 0xFF, 0x58, 0x04, 6, 3, 24, 8,         /* 6/8 @48 */
              EOT);
    emg_score s = read_ok(&f, 1);
    CHECK_EQ_INT(s.n_tempos, 3);
    CHECK_EQ_INT(s.tempo_tick[0], 0);
    CHECK_EQ_DBL(s.tempo_bpm[0], 120.0);
    CHECK_EQ_INT(s.tempo_tick[1], 192);
    CHECK_EQ_DBL(s.tempo_bpm[1], 100.0);
    CHECK_EQ_INT(s.tempo_tick[2], 192);
    CHECK_EQ_DBL(s.tempo_bpm[2], 80.0);
    CHECK_EQ_INT(s.tempo_us[2], 750000);
    CHECK_EQ_INT(s.n_timesigs, 2);
    CHECK_EQ_INT(s.ts_num[1], 6);
    CHECK_EQ_INT(s.ts_den[1], 8);
    /* 192 ticks at 120 BPM = 1 s; then 96 ticks at 80 BPM = 0.75 s */
    CHECK_NEAR(emg_score_tick_to_seconds(&s, 192), 1.0, 1e-12);
    CHECK_NEAR(emg_score_tick_to_seconds(&s, 288), 1.75, 1e-12);
    emg_score_free(&s);

    /* a tick-0 tempo in a later track wipes the earlier tracks' changes */
    header(&f, 1, 2, 96);
    TRACK(&f, 0x60, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0, EOT);   /* 100 BPM @96 */
    TRACK(&f, 0x00, 0xFF, 0x51, 0x03, 0x0B, 0x71, 0xB0, EOT);   /* 80 BPM @0 */
    s = read_ok(&f, 1);
    CHECK_EQ_INT(s.n_tempos, 1);
    CHECK_EQ_DBL(s.tempo_bpm[0], 80.0);
    CHECK_EQ_INT(s.tempo_tick[0], 0);
    emg_score_free(&s);

    /* an unsorted list is evaluated like miditoolkit's slice assignments: the @96 entry of
     * track 0 is cut by the @48 entry appended after it (see midi_score.h) */
    header(&f, 1, 2, 96);
    TRACK(&f, 0x60, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0, EOT);   /* 100 BPM @96 */
    TRACK(&f, 0x30, 0xFF, 0x51, 0x03, 0x0B, 0x71, 0xB0, 0x81, 0x00, 0xFF, 0x2F, 0x00);  /* 80 BPM @48, EOT @176 */
    s = read_ok(&f, 1);
    CHECK_EQ_INT(s.n_tempos, 3);
    CHECK_EQ_INT(s.max_tick, 177);
    /* [0,96] at 120 BPM; [96,48] empty; [48,177] at 80 BPM from the value at 48 (0.25 s) */
    CHECK_NEAR(emg_score_tick_to_seconds(&s, 48), 0.25, 1e-12);
    CHECK_NEAR(emg_score_tick_to_seconds(&s, 144), 0.25 + 96 * 0.75 / 96, 1e-12);
    emg_score_free(&s);
}

/* meta payloads mido cannot decode: strict rejects, lenient skips the event with a warning */
static void test_bad_meta(void) {
    smf f;
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0xFF, 0x59, 0x02, 0x00, 0x02,   /* key signature C with mode 2 */
              0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, EOT);
    emg_status st = read_status(&f, 1);
    CHECK_EQ_INT(st.code, EMG_MIDI_E_META);
    CHECK(strstr(st.msg, "offset 23") != NULL);       /* the meta event's FF byte */
    CHECK(strstr(st.msg, "KeySignatureError") != NULL);
    emg_score s = read_ok(&f, 0);
    CHECK_EQ_INT(s.n_keysigs, 0);
    CHECK_EQ_INT(s.n_notes, 1);
    CHECK_EQ_INT(s.n_warnings, 1);
    CHECK(s.warn_mask & EMG_MIDI_W_BAD_META);
    emg_score_free(&s);

    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0xFF, 0x51, 0x03, 0, 0, 0, EOT);  /* tempo 0: miditoolkit divides by it */
    CHECK_EQ_INT(read_status(&f, 1).code, EMG_MIDI_E_META);
    s = read_ok(&f, 0);
    CHECK_EQ_INT(s.n_tempos, 1);
    CHECK_EQ_DBL(s.tempo_bpm[0], 120.0);
    emg_score_free(&s);
}

/* SysEx F0 and F7 escapes in the event view: zero-copy payloads */
static void test_sysex_events(void) {
    smf f;
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7,   /* GM on */
              0x00, 0xF7, 0x02, 0xF3, 0x01,                     /* escape: raw song select */
              0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, EOT);
    emg_midi_file mf;
    emg_status st = emg_midi_open(&mf, f.b, f.n, 1);
    CHECK_EQ_INT(st.code, 0);
    CHECK_EQ_INT(mf.ntracks, 1);
    CHECK_EQ_INT(mf.ticks_per_quarter, 96);
    emg_midi_track_iter it;
    emg_midi_event ev;
    emg_midi_track_begin(&it, &mf, 0);
    CHECK_EQ_INT(emg_midi_next(&it, &ev, &st), 1);
    CHECK_EQ_INT(ev.kind, EMG_EV_SYSEX);
    CHECK_EQ_INT(ev.len, 5);
    CHECK(ev.payload == f.b + 25);
    CHECK_EQ_INT(ev.payload[4], 0xF7);
    CHECK_EQ_INT(emg_midi_next(&it, &ev, &st), 1);
    CHECK_EQ_INT(ev.kind, EMG_EV_ESCAPE);
    CHECK_EQ_INT(ev.len, 2);
    CHECK_EQ_INT(ev.payload[0], 0xF3);
    CHECK_EQ_INT(emg_midi_next(&it, &ev, &st), 1);
    CHECK_EQ_INT(ev.kind, EMG_EV_CHANNEL);
    CHECK_EQ_INT(ev.status, 0x90);
    CHECK_EQ_INT(emg_midi_next(&it, &ev, &st), 1);
    CHECK_EQ_INT(ev.tick, 16);
    CHECK_EQ_INT(emg_midi_next(&it, &ev, &st), 1);
    CHECK_EQ_INT(ev.kind, EMG_EV_META);
    CHECK_EQ_INT(ev.meta_type, EMG_META_END_OF_TRACK);
    CHECK_EQ_INT(emg_midi_next(&it, &ev, &st), 0);
    CHECK_EQ_INT(it.n_warnings, 0);
    emg_midi_close(&mf);
    /* the escape carries a byte > 0x7F: mido refuses it, so strict rejects, lenient warns */
    CHECK_EQ_INT(read_status(&f, 1).code, EMG_MIDI_E_EVENT);
    emg_score s = read_ok(&f, 0);
    CHECK(s.warn_mask & EMG_MIDI_W_BAD_SYSEX);
    CHECK_EQ_INT(s.n_notes, 1);
    emg_score_free(&s);
}

/* running status after a SysEx / meta: spec says they cancel it; lenient keeps it, strict rejects */
static void test_running_status_after_meta(void) {
    smf f;
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0x90, 60, 100,
              0x00, 0xFF, 0x01, 0x01, 'x',   /* text meta */
              0x10, 60, 0,                   /* running status continues */
              EOT);
    emg_status st = read_status(&f, 1);
    CHECK_EQ_INT(st.code, EMG_MIDI_E_EVENT);
    CHECK(strstr(st.msg, "running status") != NULL);
    emg_score s = read_ok(&f, 0);
    CHECK_EQ_INT(s.n_notes, 1);
    emg_score_free(&s);
}

/* RIFF RMID wrapper and unknown chunks: legal, read in both modes */
static void test_containers(void) {
    smf inner;
    header(&inner, 0, 1, 96);
    TRACK(&inner, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, EOT);
    smf f;
    f.n = 0;
    ADD(&f, 'R', 'I', 'F', 'F');
    uint32_t riff_len = (uint32_t)(4 + 8 + inner.n + (inner.n & 1));
    ADD(&f, (uint8_t)riff_len, (uint8_t)(riff_len >> 8), 0, 0, 'R', 'M', 'I', 'D', 'd', 'a', 't', 'a',
        (uint8_t)inner.n, (uint8_t)(inner.n >> 8), 0, 0);
    add(&f, inner.b, inner.n);
    if (inner.n & 1) ADD(&f, 0);
    emg_score s = read_ok(&f, 1);
    CHECK_EQ_INT(s.n_notes, 1);
    CHECK(s.warn_mask & EMG_MIDI_W_RIFF);
    CHECK_EQ_INT(s.n_warnings, 0);
    emg_score_free(&s);

    header(&f, 1, 2, 96);
    TRACK(&f, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, EOT);
    ADD(&f, 'X', 'F', 'I', 'H', 0, 0, 0, 3, 1, 2, 3);           /* unknown chunk */
    TRACK(&f, 0x00, 0x90, 62, 100, 0x10, 0x80, 62, 0, EOT);
    s = read_ok(&f, 1);
    CHECK_EQ_INT(s.ntracks, 2);
    CHECK_EQ_INT(s.n_notes, 2);
    CHECK(s.warn_mask & EMG_MIDI_W_UNKNOWN_CHUNK);
    emg_score_free(&s);
}

/* SMPTE division: ticks kept, ticks_per_beat = fps * ticks per frame at 60 BPM, tempo metas ignored */
static void test_smpte(void) {
    smf f;
    header(&f, 0, 1, 0xE728);  /* -25 fps, 40 ticks per frame: 1 ms per tick */
    TRACK(&f, 0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,
              0x00, 0x90, 60, 100, 0x87, 0x68, 0x80, 60, 0, EOT);  /* off at 1000 ticks */
    emg_score s = read_ok(&f, 1);
    CHECK_EQ_INT(s.ticks_per_beat, 1000);
    CHECK_EQ_INT(s.smpte_fps, 25);
    CHECK_EQ_INT(s.n_tempos, 1);
    CHECK_EQ_DBL(s.tempo_bpm[0], 60.0);
    check_note(&s, 0, 0, 1000, 60, 100);
    CHECK_NEAR(emg_score_tick_to_seconds(&s, 1000), 1.0, 1e-12);
    emg_score_free(&s);
    header(&f, 0, 1, 0xE350);  /* -29 (29.97 drop frame), 80 ticks per frame */
    TRACK(&f, 0x00, 0x90, 60, 100, 0x82, 0xBB, 0x6B, 0x80, 60, 0, EOT);  /* off at 40427 ticks */
    s = read_ok(&f, 0);
    CHECK_EQ_INT(s.ticks_per_beat, 2400);
    CHECK_NEAR(emg_score_tick_to_seconds(&s, 40427), 40427.0 / (29.97 * 80), 1e-6);
    emg_score_free(&s);
}

/* container defects: lenient repairs and counts, strict rejects with the byte offset */
static void test_defects(void) {
    smf f;
    /* missing End-of-Track */
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0);
    emg_status st = read_status(&f, 1);
    CHECK_EQ_INT(st.code, EMG_MIDI_E_CHUNK);
    CHECK(strstr(st.msg, "offset 30") != NULL);
    emg_score s = read_ok(&f, 0);
    CHECK_EQ_INT(s.n_notes, 1);
    CHECK(s.warn_mask & EMG_MIDI_W_MISSING_EOT);
    emg_score_free(&s);

    /* cut file: track declares more than remains */
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, 0x10, 0x90, 62, 100, EOT);
    f.n -= 6;  /* lose the last byte of the note-on and the EOT */
    st = read_status(&f, 1);
    CHECK_EQ_INT(st.code, EMG_MIDI_E_TRUNCATED);
    s = read_ok(&f, 0);
    CHECK_EQ_INT(s.n_notes, 1);
    CHECK(s.warn_mask & EMG_MIDI_W_TRUNCATED_TRACK);
    emg_score_free(&s);

    /* a track length running past the file although its events end earlier: corrupt length, rejected */
    header(&f, 1, 2, 96);
    TRACK(&f, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, EOT);
    f.b[18] = 0x7F;  /* first track's length -> 0x7F0000xx */
    TRACK(&f, 0x00, 0x90, 62, 100, 0x10, 0x80, 62, 0, EOT);
    st = read_status(&f, 0);
    CHECK_EQ_INT(st.code, EMG_MIDI_E_CHUNK);
    CHECK(strstr(st.msg, "corrupt chunk length") != NULL);

    /* bytes after End-of-Track inside the chunk */
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, EOT, 0x00, 0x90, 64, 100);
    CHECK_EQ_INT(read_status(&f, 1).code, EMG_MIDI_E_CHUNK);
    s = read_ok(&f, 0);
    CHECK_EQ_INT(s.n_note_on_events, 1);
    CHECK(s.warn_mask & EMG_MIDI_W_DATA_AFTER_EOT);
    emg_score_free(&s);

    /* illegal data byte: lenient cuts that track, keeps what came before */
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, 0x00, 0x90, 0xA8, 100, EOT);
    st = read_status(&f, 1);
    CHECK_EQ_INT(st.code, EMG_MIDI_E_EVENT);
    CHECK(strstr(st.msg, "offset 32") != NULL);
    s = read_ok(&f, 0);
    CHECK_EQ_INT(s.n_notes, 1);
    CHECK(s.warn_mask & EMG_MIDI_W_BAD_EVENT);
    emg_score_free(&s);

    /* never accepted: running status with no status, a 5-byte VLQ, division 0, no MThd */
    header(&f, 0, 1, 96);
    TRACK(&f, 0x00, 60, 100, EOT);
    CHECK_EQ_INT(read_status(&f, 0).code, EMG_MIDI_E_EVENT);
    header(&f, 0, 1, 96);
    TRACK(&f, 0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 100, EOT);
    CHECK_EQ_INT(read_status(&f, 0).code, EMG_MIDI_E_VLQ);
    header(&f, 0, 1, 0);
    TRACK(&f, EOT);
    CHECK_EQ_INT(read_status(&f, 0).code, EMG_MIDI_E_HEADER);
    f.n = 0;
    ADD(&f, 'h', 'e', 'l', 'l', 'o');
    CHECK_EQ_INT(read_status(&f, 0).code, EMG_MIDI_E_NOT_MIDI);
    CHECK_EQ_INT(emg_midi_read(f.b, 0, NULL, &s).code, EMG_MIDI_E_NOT_MIDI);
}

/* every prefix of a valid file: never a crash, and either a score or a message naming an offset */
static void test_every_prefix(void) {
    smf f;
    header(&f, 1, 2, 96);
    TRACK(&f, 0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x58, 0x04, 4, 2, 24, 8, EOT);
    TRACK(&f, 0x00, 0xC0, 5, 0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0, 0x00, 0xF0, 0x02, 0x01, 0xF7, EOT);
    long ok = 0, rejected = 0;
    for (size_t n = 0; n <= f.n; n++) {
        for (int strict = 0; strict < 2; strict++) {
            emg_score s;
            emg_midi_opts o = {.strict = strict};
            emg_status st = emg_midi_read(f.b, n, &o, &s);
            if (st.code) {
                rejected++;
                CHECK(st.msg[0] != 0);
                CHECK(strstr(st.msg, "offset") != NULL || strstr(st.msg, "empty") != NULL);
            } else {
                ok++;
                CHECK(s.n_notes <= 1);
            }
            emg_score_free(&s);
        }
    }
    CHECK(ok > 0);
    CHECK(rejected > 0);
}

/* the writer: exact bytes for a small score, then read -> write -> read */
static void test_writer(void) {
    smf f;
    header(&f, 1, 2, 96);
    TRACK(&f, 0x00, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0, EOT);   /* 100 BPM @0, no time signature */
    TRACK(&f, 0x00, 0xFF, 0x03, 0x01, 'A', 0x00, 0xC1, 7, 0x00, 0x91, 60, 100, 0x00, 0x91, 64, 90,
              0x60, 0x81, 60, 0, 0x00, 0x81, 64, 0, EOT);
    emg_score s = read_ok(&f, 1);
    uint8_t *out = NULL;
    size_t len = 0;
    emg_status st = emg_midi_write(&s, s.inst_name, &out, &len);
    CHECK_EQ_INT(st.code, 0);
    static const uint8_t want[] = {
        'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1, 0, 2, 0, 96,
        'M', 'T', 'r', 'k', 0, 0, 0, 19,
        0x00, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0,          /* tempo before the time signature */
        0x00, 0xFF, 0x58, 0x04, 4, 2, 24, 8,               /* default 4/4 */
        0x01, 0xFF, 0x2F, 0x00,                            /* EOT one tick after the last event */
        'M', 'T', 'r', 'k', 0, 0, 0, 25,
        0x00, 0xFF, 0x03, 0x01, 'A',
        0x00, 0xC0, 7,                                     /* instrument 0 -> channel 0 */
        0x00, 0x90, 60, 100, 0x00, 64, 90,                 /* running status */
        0x60, 60, 0, 0x00, 64, 0,                          /* offs as note-on velocity 0 */
        0x01, 0xFF, 0x2F, 0x00};
    CHECK_EQ_INT(len, sizeof want);
    CHECK(len == sizeof want && memcmp(out, want, len) == 0);
    emg_score r;
    st = emg_midi_read(out, len, NULL, &r);
    CHECK_EQ_INT(st.code, 0);
    CHECK_EQ_INT(r.n_notes, 2);
    CHECK_EQ_INT(r.inst_program[0], 7);
    CHECK_STR_EQ(r.inst_name[0], "A");
    CHECK_EQ_INT(r.n_timesigs, 1);
    CHECK_EQ_DBL(r.tempo_bpm[0], 100.0);
    emg_score_free(&r);
    free(out);
    emg_score_free(&s);

    /* an invalid score is refused with a reason */
    emg_score bad;
    memset(&bad, 0, sizeof bad);
    bad.ticks_per_beat = 0;
    st = emg_midi_write(&bad, NULL, &out, &len);
    CHECK(st.code != 0);
    CHECK(strstr(st.msg, "ticks per beat") != NULL);
}

/* small real files vendored under tests/data/midi (README there): expected values are what
 * miditoolkit 0.1.16 / mido 1.2.10 read, or, where they raise, what our rules say */
static emg_status read_vendored(const char *name, int strict, emg_score *s) {
    char path[1024];
    snprintf(path, sizeof path, "%s/midi/%s", TEST_DATA_DIR, name);
    size_t len = 0;
    unsigned char *buf = test_read_file(path, &len);
    CHECK(buf != NULL);
    if (!buf) { memset(s, 0, sizeof *s); return emg_statusf(99, "cannot read %s", path); }
    emg_midi_opts o = {.strict = strict};
    emg_status st = emg_midi_read(buf, len, &o, s);
    free(buf);
    return st;
}

static void test_vendored(void) {
    emg_score s;
    CHECK_EQ_INT(read_vendored("test-c-major-scale.mid", 1, &s).code, 0);
    CHECK_EQ_INT(s.ticks_per_beat, 96);
    CHECK_EQ_INT(s.max_tick, 769);
    CHECK_EQ_INT(s.n_notes, 8);
    CHECK_STR_EQ(s.inst_name[0], "C Major Scale Test");
    static const int scale[8] = {60, 62, 64, 65, 67, 69, 71, 72};
    for (int i = 0; i < 8 && (size_t)i < s.n_notes; i++) CHECK_EQ_INT(s.note_pitch[i], scale[i]);
    emg_score_free(&s);

    /* running status across a meta event: mido reads it, lenient too; strict follows the spec */
    CHECK_EQ_INT(read_vendored("test-running-status-metaevent.mid", 0, &s).code, 0);
    CHECK_EQ_INT(s.n_notes, 8);
    CHECK_EQ_INT(s.max_tick, 769);
    emg_score_free(&s);
    CHECK_EQ_INT(read_vendored("test-running-status-metaevent.mid", 1, &s).code, EMG_MIDI_E_EVENT);

    /* unknown chunk before the track: skipped in both modes */
    CHECK_EQ_INT(read_vendored("test-non-midi-track.mid", 1, &s).code, 0);
    CHECK_EQ_INT(s.n_notes, 8);
    CHECK(s.warn_mask & EMG_MIDI_W_UNKNOWN_CHUNK);
    emg_score_free(&s);

    CHECK_EQ_INT(read_vendored("test-karaoke-kar.mid", 1, &s).code, 0);
    CHECK_EQ_INT(s.ticks_per_beat, 100);
    CHECK_EQ_INT(s.max_tick, 1591);
    CHECK_EQ_INT(s.n_notes, 29);
    CHECK_EQ_INT(s.inst_program[0], 11);
    CHECK_EQ_DBL(s.tempo_bpm[0], 89.999955000022496);
    emg_score_free(&s);

    /* F1 inside a track: mido reads and skips it (8 notes); strict rejects */
    CHECK_EQ_INT(read_vendored("test-illegal-message-f1-xx.mid", 0, &s).code, 0);
    CHECK_EQ_INT(s.n_notes, 8);
    CHECK(s.warn_mask & EMG_MIDI_W_SYSTEM_MESSAGE);
    emg_score_free(&s);
    CHECK_EQ_INT(read_vendored("test-illegal-message-f1-xx.mid", 1, &s).code, EMG_MIDI_E_EVENT);

    CHECK_EQ_INT(read_vendored("test-2-tracks-type-2.mid", 1, &s).code, 0);
    CHECK_EQ_INT(s.format, 2);
    CHECK_EQ_INT(s.ntracks, 2);
    CHECK_EQ_INT(s.n_notes, 16);
    CHECK_EQ_INT(s.n_insts, 2);
    emg_score_free(&s);

    /* no End-of-Track and an event-less track: lenient reads, strict rejects (miditoolkit raises) */
    CHECK_EQ_INT(read_vendored("midly_SysExTest.mid", 0, &s).code, 0);
    CHECK_EQ_INT(s.n_notes, 0);
    CHECK(s.warn_mask & EMG_MIDI_W_MISSING_EOT);
    emg_score_free(&s);
    CHECK(read_vendored("midly_SysExTest.mid", 1, &s).code != 0);
}

int main(void) {
    test_running_status();
    test_overlaps();
    test_instruments();
    test_tempo_list();
    test_bad_meta();
    test_sysex_events();
    test_running_status_after_meta();
    test_containers();
    test_smpte();
    test_defects();
    test_every_prefix();
    test_writer();
    test_vendored();
    return TEST_DONE();
}
