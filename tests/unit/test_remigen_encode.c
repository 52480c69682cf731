/* test_remigen_encode.c: the REMIGEN2 encoder and decoder on hand-built scores, one rule each.
 * The expected token strings were worked out by hand from MidiProcessor v0.1.5's code
 * (collect_pos_info, convert_pos_info_to_token_lists, do_remove_empty_bars,
 * generate_midi_obj_from_remigen_token_list); docs/remigen2.md states each rule. */
#include "test_util.h"

#include "remigen.h"

/* ---- a score built by hand, in one arena as emg_score_free expects ---- */

typedef struct { int64_t start, end; int pitch, vel, inst; } tnote;
typedef struct { int program, drum; } tinst;
typedef struct { int64_t tick; double bpm; } ttempo;
typedef struct { int64_t tick; int num, den; } tts;

static void build(emg_score *s, int tpb, const tnote *n, size_t nn, const tinst *in, size_t ni, const ttempo *t,
                  size_t nt, const tts *ts, size_t nts) {
    memset(s, 0, sizeof *s);
    size_t bytes = nn * (8 + 8 + 1 + 1 + 4) + ni * (1 + 1 + 1 + 2) + nt * (8 + 8 + 4) + nts * (8 + 2 + 2) + 64;
    char *a = calloc(1, bytes * 2);
    s->arena = a;
    /* 8-byte fields first, then smaller ones: everything stays aligned */
    s->note_start = (int64_t *)(void *)a; a += nn * 8;
    s->note_end = (int64_t *)(void *)a; a += nn * 8;
    s->tempo_tick = (int64_t *)(void *)a; a += nt * 8;
    s->tempo_bpm = (double *)(void *)a; a += nt * 8;
    s->ts_tick = (int64_t *)(void *)a; a += nts * 8;
    s->note_inst = (uint32_t *)(void *)a; a += nn * 4;
    s->tempo_us = (uint32_t *)(void *)a; a += nt * 4;
    s->inst_track = (uint16_t *)(void *)a; a += ni * 2;
    s->ts_num = (uint16_t *)(void *)a; a += nts * 2;
    s->ts_den = (uint16_t *)(void *)a; a += nts * 2;
    s->note_pitch = (uint8_t *)a; a += nn;
    s->note_velocity = (uint8_t *)a; a += nn;
    s->inst_program = (uint8_t *)a; a += ni;
    s->inst_is_drum = (uint8_t *)a; a += ni;
    s->inst_channel = (uint8_t *)a;
    s->format = 1;
    s->division = tpb;
    s->ticks_per_beat = tpb;
    s->n_notes = nn;
    s->n_insts = ni;
    s->n_tempos = nt;
    s->n_timesigs = nts;
    for (size_t i = 0; i < nn; i++) {
        s->note_start[i] = n[i].start;
        s->note_end[i] = n[i].end;
        s->note_pitch[i] = (uint8_t)n[i].pitch;
        s->note_velocity[i] = (uint8_t)n[i].vel;
        s->note_inst[i] = (uint32_t)n[i].inst;
    }
    for (size_t i = 0; i < ni; i++) {
        s->inst_program[i] = (uint8_t)in[i].program;
        s->inst_is_drum[i] = (uint8_t)in[i].drum;
        s->inst_channel[i] = in[i].drum ? 9 : 0;
        s->inst_track[i] = (uint16_t)(i + 1);
    }
    for (size_t i = 0; i < nt; i++) {
        s->tempo_tick[i] = t[i].tick;
        s->tempo_bpm[i] = t[i].bpm;
        s->tempo_us[i] = (uint32_t)(60000000.0 / t[i].bpm);
    }
    for (size_t i = 0; i < nts; i++) {
        s->ts_tick[i] = ts[i].tick;
        s->ts_num[i] = (uint16_t)ts[i].num;
        s->ts_den[i] = (uint16_t)ts[i].den;
    }
}

static const tinst piano[] = {{0, 0}};
static const ttempo t120[] = {{0, 120.0}};  /* miditoolkit's list always starts with an entry at tick 0 */

/* encode and compare with the expected token text (or expected error code when want is NULL) */
static void expect(const char *what, const emg_score *s, size_t max_tokens, const char *want, int want_code) {
    emg_remi_encoder e;
    emg_remi_encoder_init(&e);
    emg_remi_opts o = {max_tokens};
    const uint16_t *ids;
    size_t n;
    emg_status st = emg_remi_encode(&e, s, &o, &ids, &n);
    if (want) {
        CHECK_EQ_INT(st.code, 0);
        if (st.code) fprintf(stderr, "  %s: %s\n", what, st.msg);
        char *text = malloc(n * EMG_REMI_TOKEN_MAX + 1);
        text[emg_remi_format(ids, st.code ? 0 : n, text)] = 0;
        CHECK_STR_EQ(text, want);
        if (strcmp(text, want)) fprintf(stderr, "  (%s)\n", what);
        free(text);
    } else {
        CHECK_EQ_INT(st.code, want_code);
        if (st.code != want_code) fprintf(stderr, "  %s: wanted error %d\n", what, want_code);
        else CHECK(st.msg[0] != 0);
    }
    emg_remi_encoder_free(&e);
}

static void test_empty(void) {
    emg_score s;
    build(&s, 480, NULL, 0, NULL, 0, t120, 1, NULL, 0);
    expect("no notes", &s, 0, "s-9 t-35 b-1", 0);
    emg_score_free(&s);
    /* no notes, but a time signature and a tempo at tick 0: they are the file's tokens */
    const tts ts34[] = {{0, 3, 4}};
    const ttempo t90[] = {{0, 90.0}};
    build(&s, 480, NULL, 0, NULL, 0, t90, 1, ts34, 1);
    expect("no notes, 3/4 at 90 BPM", &s, 0, "s-8 t-30 b-1", 0);
    emg_score_free(&s);
}

static void test_rounding(void) {
    /* ppq 384: a position is 32 ticks; halves round to even */
    const tnote n[] = {
        {16, 48, 60, 100, 0},   /* 0.5 -> 0, 1.5 -> 2: d-2 */
        {80, 112, 62, 100, 0},  /* 2.5 -> 2, 3.5 -> 4: d-2 */
        {144, 145, 64, 100, 0}, /* 4.5 -> 4, 4.53 -> 5: d-1 */
        {176, 191, 65, 3, 0},   /* 5.5 -> 6, 5.97 -> 6: d-0; velocity 3 -> v-0 */
    };
    emg_score s;
    build(&s, 384, n, 4, piano, 1, t120, 1, NULL, 0);
    expect("round half to even", &s, 0,
           "s-9 t-35 o-0 i-0 p-60 d-2 v-25 o-2 i-0 p-62 d-2 v-25 o-4 i-0 p-64 d-1 v-25 o-6 i-0 p-65 d-0 v-0 b-1", 0);
    emg_score_free(&s);
}

static void test_instruments_and_order(void) {
    /* two program-0 instruments (two tracks) merge into i-0; drums are 128 and come last; notes of
     * one (position, instrument) go by (pitch, duration id, velocity id) descending; identical notes stay */
    const tinst in[] = {{0, 0}, {40, 0}, {0, 0}, {0, 1}};
    const tnote n[] = {
        {0, 480, 60, 80, 0},  {0, 480, 64, 80, 0}, {0, 480, 60, 80, 0},  /* a duplicate */
        {0, 960, 64, 80, 2},  {0, 480, 60, 100, 2},                       /* second program-0 track */
        {0, 480, 36, 100, 3},                                              /* drum: p-164 */
        {0, 480, 70, 64, 1},                                               /* program 40 */
        {480, 500, 72, 127, 1},                                            /* 20 ticks = 0.5 pos -> d-0 */
    };
    emg_score s;
    build(&s, 480, n, 8, in, 4, t120, 1, NULL, 0);
    /* duration 12 positions -> d-12; 24 -> 12 + (24-12)/2 = d-18 */
    expect("merging and ordering", &s, 0,
           "s-9 t-35 o-0 i-0 p-64 d-18 v-20 p-64 d-12 v-20 p-60 d-12 v-25 p-60 d-12 v-20 p-60 d-12 v-20 "
           "i-40 p-70 d-12 v-16 i-128 p-164 d-12 v-25 o-12 i-40 p-72 d-0 v-31 b-1", 0);
    emg_score_free(&s);
}

static void test_bars(void) {
    /* notes in bars 2 and 4 only: bars 0-1 are cut (remove_empty_bars), bar 3 stays as "b-1 s t" */
    const tnote n[] = {{3840, 4320, 60, 64, 0}, {7680 + 480, 7680 + 960, 62, 64, 0}};
    emg_score s;
    build(&s, 480, n, 2, piano, 1, t120, 1, NULL, 0);
    expect("empty bars", &s, 0,
           "s-9 t-35 o-0 i-0 p-60 d-12 v-16 b-1 s-9 t-35 b-1 s-9 t-35 o-12 i-0 p-62 d-12 v-16 b-1", 0);
    emg_score_free(&s);
}

static void test_tempo_list(void) {
    /* the list as miditoolkit leaves it: not sorted. Entries: 120 at 0; 140 at tick 1920 (bar 1);
     * 90 at tick 960 (pos 24, inside bar 0, from a later track); 100 at tick 1925 (pos 48.125 -> 48,
     * same position as the 140, later in the list: wins); 200 at tick 2400 (pos 60, mid bar 1: shows
     * at bar 2); 300 (clamped to 256 -> t-48) at tick 4000 (pos 100, mid bar 2: shows at bar 3);
     * 10 BPM at tick 9999 (past the last note: ignored) */
    const ttempo t[] = {{0, 120.0}, {1920, 140.0}, {960, 90.0}, {1925, 100.0}, {2400, 200.0}, {4000, 300.0},
                        {9999, 10.0}};
    const tnote n[] = {{0, 40, 60, 64, 0}, {1920, 1960, 60, 64, 0}, {3840, 3880, 60, 64, 0}, {5760, 5800, 60, 64, 0}};
    emg_score s;
    build(&s, 480, n, 4, piano, 1, t, 7, NULL, 0);
    /* ids: 120 -> 35, 100 -> round(12*log2(6.25)) = 32, 200 -> 44, 256 -> 48 */
    expect("tempo list", &s, 0,
           "s-9 t-35 o-0 i-0 p-60 d-1 v-16 b-1 s-9 t-32 o-0 i-0 p-60 d-1 v-16 b-1 s-9 t-44 o-0 i-0 p-60 d-1 v-16 "
           "b-1 s-9 t-48 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
    /* a tick-0 entry that is not first (cannot come from miditoolkit, whose tick-0 entries replace the
     * list, but the rule is the same): at position 0 the later entry wins */
    const ttempo t2[] = {{0, 120.0}, {0, 60.0}};
    build(&s, 480, n, 1, piano, 1, t2, 2, NULL, 0);
    expect("two tempos at 0", &s, 0, "s-9 t-23 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
    /* no tempo entry at position 0 (an empty list): the default 120 */
    const ttempo t3[] = {{960, 60.0}};
    build(&s, 480, n, 2, piano, 1, t3, 1, NULL, 0);
    expect("no tempo at 0", &s, 0, "s-9 t-35 o-0 i-0 p-60 d-1 v-16 b-1 s-9 t-23 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
}

static void test_time_signatures(void) {
    /* 3/4 at 0 (36 positions a bar), 4/4 at tick 1440 (position 36 = bar 1), 2/4 at tick 2000
     * (position 50, in the middle of bar 1 = [36, 84)): takes effect at bar 2 (84), which is 24
     * positions long. The list is given out of order: it is stable-sorted by tick. */
    const tts ts[] = {{2000, 2, 4}, {0, 3, 4}, {1440, 4, 4}};
    const tnote n[] = {{0, 40, 60, 64, 0}, {1440, 1480, 61, 64, 0}, {3360, 3400, 62, 64, 0},
                       {4800, 4840, 63, 64, 0}};
    emg_score s;
    build(&s, 480, n, 4, piano, 1, t120, 1, ts, 3);
    expect("metre change mid-bar", &s, 0,
           "s-8 t-35 o-0 i-0 p-60 d-1 v-16 b-1 s-9 t-35 o-0 i-0 p-61 d-1 v-16 b-1 s-7 t-35 o-0 i-0 p-62 d-1 v-16 "
           "b-1 s-7 t-35 o-12 i-0 p-63 d-1 v-16 b-1", 0);
    emg_score_free(&s);

    /* reduction: 12/4 -> 6/4 (id 11, 72 positions); 9/4 -> 3/4; 128/256 -> 32/64 (id 157, 24 positions) */
    const tts r1[] = {{0, 12, 4}};
    const tnote n2[] = {{0, 40, 60, 64, 0}, {2880, 2920, 60, 64, 0}};
    build(&s, 480, n2, 2, piano, 1, t120, 1, r1, 1);
    expect("12/4", &s, 0, "s-11 t-35 o-0 i-0 p-60 d-1 v-16 b-1 s-11 t-35 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
    const tts r2[] = {{0, 9, 4}};
    build(&s, 480, n2, 1, piano, 1, t120, 1, r2, 1);
    expect("9/4", &s, 0, "s-8 t-35 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
    const tts r3[] = {{0, 128, 256}};
    const tnote n3[] = {{0, 40, 60, 64, 0}, {960, 1000, 60, 64, 0}};
    build(&s, 480, n3, 2, piano, 1, t120, 1, r3, 1);
    expect("128/256", &s, 0, "s-157 t-35 o-0 i-0 p-60 d-1 v-16 b-1 s-157 t-35 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);

    /* two at one position: the later (by tick, then file order) wins */
    const tts same[] = {{0, 3, 4}, {10, 2, 4}};
    build(&s, 480, n2, 1, piano, 1, t120, 1, same, 2);
    expect("two time signatures at one position", &s, 0, "s-7 t-35 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);

    /* not in the vocabulary: 3/128 cannot be reduced (KeyError in the reference) */
    const tts bad[] = {{0, 3, 128}};
    build(&s, 480, n2, 1, piano, 1, t120, 1, bad, 1);
    expect("3/128", &s, 0, NULL, EMG_REMI_E_TIMESIG);
    emg_score_free(&s);
    /* ... but past the last note start it is ignored */
    const tts bad_late[] = {{0, 4, 4}, {100000, 3, 128}};
    build(&s, 480, n2, 1, piano, 1, t120, 1, bad_late, 2);
    expect("3/128 after the last note", &s, 0, "s-9 t-35 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
    /* 1/64 is in the vocabulary but a bar of it has 48*1//64 = 0 positions: the reference asserts */
    const tts zero[] = {{0, 1, 64}};
    build(&s, 480, n2, 1, piano, 1, t120, 1, zero, 1);
    expect("1/64 at a bar start", &s, 0, NULL, EMG_REMI_E_TIMESIG);
    emg_score_free(&s);
    /* ... fine when it is replaced before the next bar starts; also in a leading bar that is cut */
    const tts zero_mid[] = {{0, 4, 4}, {400, 1, 64}, {800, 4, 4}};
    const tnote n4[] = {{0, 40, 60, 64, 0}, {1920, 1960, 60, 64, 0}};
    build(&s, 480, n4, 2, piano, 1, t120, 1, zero_mid, 3);
    expect("1/64 mid-bar", &s, 0, "s-9 t-35 o-0 i-0 p-60 d-1 v-16 b-1 s-9 t-35 o-0 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
    const tts zero_lead[] = {{0, 4, 4}, {1920, 1, 64}, {3840, 4, 4}};
    const tnote n5[] = {{7680, 7720, 60, 64, 0}};
    build(&s, 480, n5, 1, piano, 1, t120, 1, zero_lead, 3);
    expect("1/64 at a cut leading bar", &s, 0, NULL, EMG_REMI_E_TIMESIG);
    emg_score_free(&s);
}

static void test_leading_jump(void) {
    /* a first note far away: the leading bars are skipped arithmetically across metre changes,
     * and the bar grid still follows them (3/4 from bar 1: bars at 48, 84, 120, ...) */
    const tts ts[] = {{0, 4, 4}, {1920, 3, 4}};
    /* position 48 + 36*1000 = 36048 is a bar start; +5 inside it */
    const tnote n[] = {{(36048 + 5) * 40, (36048 + 6) * 40, 60, 64, 0}};
    emg_score s;
    build(&s, 480, n, 1, piano, 1, t120, 1, ts, 2);
    expect("far first note", &s, 0, "s-8 t-35 o-5 i-0 p-60 d-1 v-16 b-1", 0);
    emg_score_free(&s);
}

static void test_limits(void) {
    const tnote n[] = {{0, 480, 60, 64, 0}, {480, 960, 62, 64, 0}};
    emg_score s;
    build(&s, 480, n, 2, piano, 1, t120, 1, NULL, 0);
    expect("token limit", &s, 8, NULL, EMG_REMI_E_TOO_LONG);
    expect("token limit just enough", &s, 13, "s-9 t-35 o-0 i-0 p-60 d-12 v-16 o-12 i-0 p-62 d-12 v-16 b-1", 0);
    emg_score_free(&s);
    /* a note end far away: the last duration bucket */
    const tnote far_end[] = {{0, INT64_C(1) << 50, 60, 64, 0}};
    build(&s, 1, far_end, 1, piano, 1, t120, 1, NULL, 0);
    expect("huge duration", &s, 0, "s-9 t-35 o-0 i-0 p-60 d-95 v-16 b-1", 0);
    emg_score_free(&s);
    /* ticks >= 2^28 take the general (64-bit) path: shifted by whole bars, the tokens are the same */
    const int64_t shift = INT64_C(1920) * 139811;  /* 268,437,120 ticks >= 2^28, a 4/4 bar boundary */
    const tnote near[] = {{0, 480, 60, 64, 0}, {20, 500, 64, 90, 0}, {1900, 5000, 67, 30, 0}, {2000, 2001, 72, 1, 0}};
    tnote shifted[4];
    for (int i = 0; i < 4; i++) {
        shifted[i] = near[i];
        shifted[i].start += shift;
        shifted[i].end += shift;
    }
    /* 1900 ticks = position 47.5 -> 48 (bar 1); 5000 -> 125: 77 positions = d-34 (24 + (77-36)/4) */
    const char *near_tokens = "s-9 t-35 o-0 i-0 p-64 d-12 v-22 p-60 d-12 v-16 b-1 "
                              "s-9 t-35 o-0 i-0 p-67 d-34 v-7 o-2 i-0 p-72 d-0 v-0 b-1";
    build(&s, 480, near, 4, piano, 1, t120, 1, NULL, 0);
    expect("32-bit path", &s, 0, near_tokens, 0);
    emg_score_free(&s);
    build(&s, 480, shifted, 4, piano, 1, t120, 1, NULL, 0);
    expect("64-bit path", &s, 0, near_tokens, 0);
    emg_score_free(&s);
    /* a note start past 2^32 positions */
    const tnote far_start[] = {{INT64_C(1) << 29, (INT64_C(1) << 29) + 1, 60, 64, 0}};
    build(&s, 1, far_start, 1, piano, 1, t120, 1, NULL, 0);
    expect("far note", &s, 0, NULL, EMG_REMI_E_TOO_LONG);
    emg_score_free(&s);
    /* SMPTE division and zero ticks per beat */
    build(&s, 480, n, 2, piano, 1, t120, 1, NULL, 0);
    s.division = 0xE728;
    expect("SMPTE", &s, 0, NULL, EMG_REMI_E_DIVISION);
    s.division = 0;
    s.ticks_per_beat = 0;
    expect("ppq 0", &s, 0, NULL, EMG_REMI_E_DIVISION);
    emg_score_free(&s);
}

/* the sort's other paths: more than 64 notes at one position (per-group sort), and positions
 * spread far apart (a plain sort); the expected text is built the reference's way */
static void test_sort_paths(void) {
    tnote n[100];
    for (int i = 0; i < 100; i++) {  /* pitches 0..99 in a scrambled order, all at position 0 */
        tnote x = {0, 480, (i * 37) % 100, 64, 0};
        n[i] = x;
    }
    char *want = malloc(100 * 20 + 64), *w = want;
    w += sprintf(w, "s-9 t-35 o-0 i-0");
    for (int p = 99; p >= 0; p--) w += sprintf(w, " p-%d d-12 v-16", p);
    sprintf(w, " b-1");
    emg_score s;
    build(&s, 480, n, 100, piano, 1, t120, 1, NULL, 0);
    expect("100 notes at one position", &s, 0, want, 0);
    emg_score_free(&s);
    free(want);

    /* a note at position 100000 listed before one at 0: 100000 = 2083 * 48 + 16 */
    const tnote far[] = {{100000 * 40, 100000 * 40 + 40, 62, 64, 0}, {0, 40, 60, 64, 0}};
    want = malloc(2083 * 16 + 128);
    w = want;
    w += sprintf(w, "s-9 t-35 o-0 i-0 p-60 d-1 v-16");
    for (int b = 1; b < 2083; b++) w += sprintf(w, " b-1 s-9 t-35");
    sprintf(w, " b-1 s-9 t-35 o-16 i-0 p-62 d-1 v-16 b-1");
    build(&s, 480, far, 2, piano, 1, t120, 1, NULL, 0);
    expect("sparse positions", &s, 0, want, 0);
    emg_score_free(&s);
    free(want);
}

static void test_encoder_reuse(void) {
    /* one encoder over many scores of growing size: the same tokens as a fresh encoder */
    emg_remi_encoder e;
    emg_remi_encoder_init(&e);
    int same = 1;
    for (int k = 1; k <= 200; k += 37) {
        tnote *n = malloc((size_t)k * sizeof *n);
        for (int i = 0; i < k; i++) {
            tnote x = {(int64_t)((i * 7919) % (k * 3)) * 40, (int64_t)((i * 7919) % (k * 3)) * 40 + 80 + i, 40 + i % 50,
                       1 + (i * 13) % 127, 0};
            n[i] = x;
        }
        emg_score s;
        build(&s, 480, n, (size_t)k, piano, 1, t120, 1, NULL, 0);
        const uint16_t *ids;
        size_t nt;
        emg_status st = emg_remi_encode(&e, &s, NULL, &ids, &nt);
        uint16_t *copy = malloc(nt * sizeof *copy);
        memcpy(copy, ids, nt * sizeof *copy);
        emg_remi_encoder fresh;
        emg_remi_encoder_init(&fresh);
        const uint16_t *ids2;
        size_t nt2;
        emg_status st2 = emg_remi_encode(&fresh, &s, NULL, &ids2, &nt2);
        same &= !st.code && !st2.code && nt == nt2 && !memcmp(copy, ids2, nt * sizeof *copy);
        emg_remi_encoder_free(&fresh);
        free(copy);
        free(n);
        emg_score_free(&s);
    }
    CHECK(same);
    emg_remi_encoder_free(&e);
}

/* ---- decoder ---- */

static emg_status dec(const char *text, int lenient, emg_score *s, emg_remi_decode_info *info) {
    return emg_remi_decode_text(text, strlen(text), lenient, s, info);
}

static void test_decoder(void) {
    emg_score s;
    emg_remi_decode_info info;
    /* nothing: the defaults 120 BPM and 4/4 at tick 0 */
    CHECK_EQ_INT(dec("", 0, &s, &info).code, 0);
    CHECK_EQ_INT(s.n_notes, 0);
    CHECK_EQ_INT(s.n_tempos, 1);
    CHECK_EQ_DBL(s.tempo_bpm[0], 120.0);
    CHECK_EQ_INT(s.tempo_us[0], 500000);
    CHECK_EQ_INT(s.n_timesigs, 1);
    CHECK_EQ_INT(s.ts_num[0] * 100 + s.ts_den[0], 404);
    CHECK_EQ_INT(s.ticks_per_beat, 480);
    emg_score_free(&s);

    /* bar 0 in 4/4 (48 positions); bar 1 switches to 3/4 at tick 1920 with tempo 143.67 (t-38) there;
     * a drum note p-164 (key 36) with d-0 (one position); b-1 then advances by 36 positions */
    const char *t = "s-9 t-35 o-0 i-0 p-60 d-12 v-25 b-1 s-8 t-38 o-4 i-128 p-164 d-0 v-31 b-1 o-0 i-0 p-61 d-18 v-0";
    CHECK_EQ_INT(dec(t, 0, &s, &info).code, 0);
    CHECK_EQ_INT(s.n_notes, 3);
    CHECK_EQ_INT(s.n_insts, 2);
    if (s.n_notes == 3 && s.n_insts == 2) {
        CHECK_EQ_INT(s.inst_program[0], 0);
        CHECK_EQ_INT(s.inst_is_drum[0], 0);
        CHECK_EQ_INT(s.inst_program[1], 0);
        CHECK_EQ_INT(s.inst_is_drum[1], 1);
        CHECK_EQ_INT(s.inst_channel[1], 9);
        /* notes grouped by instrument (0 first), in token order inside it */
        CHECK_EQ_INT(s.note_start[0], 0);
        CHECK_EQ_INT(s.note_end[0], 480);
        CHECK_EQ_INT(s.note_velocity[0], 102);
        CHECK_EQ_INT(s.note_start[1], (48 + 36) * 40);
        CHECK_EQ_INT(s.note_end[1], (48 + 36 + 24) * 40);
        CHECK_EQ_INT(s.note_pitch[1], 61);
        CHECK_EQ_INT(s.note_velocity[1], 2);
        CHECK_EQ_INT(s.note_start[2], 52 * 40);
        CHECK_EQ_INT(s.note_end[2], 53 * 40);
        CHECK_EQ_INT(s.note_pitch[2], 36);
        CHECK_EQ_INT(s.note_velocity[2], 126);
        CHECK_EQ_INT(s.note_inst[2], 1);
    }
    CHECK_EQ_INT(s.n_tempos, 2);
    CHECK_EQ_INT(s.tempo_tick[1], 1920);
    CHECK_EQ_DBL(s.tempo_bpm[1], 143.67514218359972);
    CHECK_EQ_INT(s.tempo_us[1], 417609);
    CHECK_EQ_INT(s.n_timesigs, 2);
    CHECK_EQ_INT(s.ts_tick[1], 1920);
    CHECK_EQ_INT(s.ts_num[1] * 100 + s.ts_den[1], 304);
    CHECK_EQ_INT(s.max_tick, (48 + 36 + 24) * 40);
    char names_buf[4 * EMG_REMI_N_INST];
    const char *names[EMG_REMI_N_INST];
    emg_remi_track_names(&s, names_buf, names);
    CHECK_STR_EQ(names[0], "0");
    CHECK_STR_EQ(names[1], "128");
    emg_score_free(&s);

    /* repeated s/t with the same id add nothing; a t after o- is placed at that position */
    CHECK_EQ_INT(dec("s-9 t-35 s-9 t-35 o-6 t-40 t-40 p-60 d-1 v-1", 0, &s, &info).code, 0);
    CHECK_EQ_INT(s.n_timesigs, 1);
    CHECK_EQ_INT(s.n_tempos, 2);
    CHECK_EQ_INT(s.tempo_tick[1], 240);
    emg_score_free(&s);

    /* strict: the first invalid token fails the call and is named */
    emg_status st = dec("s-9 t-35 <unk> o-0", 0, &s, &info);
    CHECK_EQ_INT(st.code, EMG_REMI_E_TOKEN);
    CHECK_EQ_INT(info.first_bad, 2);
    CHECK(strstr(st.msg, "token 2") && strstr(st.msg, "<unk>"));
    st = dec("p-60 v-3", 0, &s, &info);
    CHECK_EQ_INT(st.code, EMG_REMI_E_GRAMMAR);
    CHECK_EQ_INT(info.first_bad, 1);
    st = dec("o-0 d-3 v-3", 0, &s, &info);
    CHECK_EQ_INT(st.code, EMG_REMI_E_GRAMMAR);
    CHECK_EQ_INT(info.first_bad, 1);
    st = dec("p-60 d-3 p-61 v-3", 0, &s, &info);
    CHECK_EQ_INT(st.code, EMG_REMI_E_GRAMMAR);
    CHECK_EQ_INT(info.first_bad, 3);
    CHECK_EQ_INT(dec("o-96", 0, &s, &info).code, EMG_REMI_E_TOKEN);
    CHECK_EQ_INT(dec("b-2", 0, &s, &info).code, EMG_REMI_E_TOKEN);

    /* lenient: invalid tokens are dropped as if absent */
    CHECK_EQ_INT(dec("p-60 <unk> d-4 x v-20 d-5 v-9 b-1", 1, &s, &info).code, 0);
    CHECK_EQ_INT(s.n_notes, 1);
    CHECK_EQ_INT(info.n_skipped, 4);  /* <unk>, x, the d-5 after v-20, the v-9 after that */
    CHECK_EQ_INT(info.first_bad, 1);
    CHECK_EQ_INT(info.n_tokens, 8);
    emg_score_free(&s);

    /* ids: out of range is invalid; p d v grammar as for strings */
    const int32_t ids[] = {EMG_REMI_TS_BASE + 9, 5000, -1, EMG_REMI_PITCH_BASE + 60, EMG_REMI_DUR_BASE + 2,
                           EMG_REMI_VEL_BASE + 10};
    CHECK_EQ_INT(emg_remi_decode(ids, 6, 0, &s, &info).code, EMG_REMI_E_TOKEN);
    CHECK_EQ_INT(info.first_bad, 1);
    CHECK_EQ_INT(emg_remi_decode(ids, 6, 1, &s, &info).code, 0);
    CHECK_EQ_INT(info.n_skipped, 2);
    CHECK_EQ_INT(s.n_notes, 1);
    emg_score_free(&s);
}

int main(void) {
    test_empty();
    test_rounding();
    test_instruments_and_order();
    test_bars();
    test_tempo_list();
    test_time_signatures();
    test_leading_jump();
    test_limits();
    test_sort_paths();
    test_encoder_reuse();
    test_decoder();
    return TEST_DONE();
}
