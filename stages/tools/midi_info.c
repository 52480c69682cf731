/* midi_info.c: `emogen midi-info FILE.mid [--json] [--strict]`: what the MIDI reader sees in one
 * file: header, note count, duration from the tempo map, tempo / time-signature / key-signature
 * changes and every repair the lenient reader made. Exit 1 with "FILE: reason" when rejected. */
#define _POSIX_C_SOURCE 200809L
#include "commands.h"

#include "check.h"
#include "cli.h"
#include "midi_read.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fprintf(out,
        "usage: emogen midi-info [--json] [--strict] FILE.mid\n\n"
        "Read one Standard MIDI File (format 0/1/2, RIFF RMID, SMPTE time) with emogen's reader\n"
        "(miditoolkit 0.1.16 rules, docs/midi_reading_rules.md) and print: format, tracks, division,\n"
        "notes, instruments, duration in seconds from the tempo map, the tempo, time-signature and\n"
        "key-signature changes, and the repairs made (warnings). A rejected file exits 1 with the file\n"
        "name, the byte offset and the reason on stderr.\n\n"
        "options:\n"
        "      --json     one JSON object on stdout instead of text\n"
        "      --strict   reject every container defect and every file mido 1.2.10 / miditoolkit 0.1.16\n"
        "                 reject (default: lenient, repairs are listed as warnings)\n"
        "  -h, --help     this help\n");
}

static uint8_t *slurp(const char *path, size_t *len, int *err) {
    FILE *f = fopen(path, "rb");
    if (!f) { *err = errno; return NULL; }
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = xmalloc(cap);
    for (;;) {
        if (n == cap) { cap *= 2; b = xrealloc(b, cap); }
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    *err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (*err) { free(b); return NULL; }
    *len = n;
    return b;
}

static void division_text(const emg_score *s, char *out, size_t n) {
    if (s->smpte_fps)
        snprintf(out, n, "SMPTE %s fps x %d ticks per frame (read as %d ticks per quarter at %s BPM)",
                 s->smpte_fps == 29 ? "29.97" : s->smpte_fps == 24 ? "24" : s->smpte_fps == 25 ? "25" : "30",
                 s->smpte_ticks_per_frame, s->ticks_per_beat, s->smpte_fps == 29 ? "59.94" : "60");
    else
        snprintf(out, n, "%d ticks per quarter note", s->ticks_per_beat);
}

static void print_json(const char *path, const emg_score *s, double secs) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", path);
    cJSON_AddNumberToObject(o, "format", s->format);
    cJSON_AddNumberToObject(o, "tracks", s->ntracks);
    cJSON_AddNumberToObject(o, "tracks_in_header", s->ntracks_header);
    cJSON_AddNumberToObject(o, "division", s->division);
    cJSON_AddNumberToObject(o, "ticks_per_beat", s->ticks_per_beat);
    if (s->smpte_fps) {
        cJSON_AddNumberToObject(o, "smpte_fps", s->smpte_fps == 29 ? 29.97 : s->smpte_fps);
        cJSON_AddNumberToObject(o, "smpte_ticks_per_frame", s->smpte_ticks_per_frame);
    }
    cJSON_AddNumberToObject(o, "notes", (double)s->n_notes);
    cJSON_AddNumberToObject(o, "note_on_events", (double)s->n_note_on_events);
    cJSON_AddNumberToObject(o, "events", (double)s->n_events);
    cJSON_AddNumberToObject(o, "instruments", (double)s->n_insts);
    cJSON_AddNumberToObject(o, "max_tick", (double)s->max_tick);
    cJSON_AddNumberToObject(o, "duration_seconds", secs);
    cJSON *ins = cJSON_AddArrayToObject(o, "instrument_list");
    for (size_t i = 0; i < s->n_insts; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "program", s->inst_program[i]);
        cJSON_AddBoolToObject(x, "is_drum", s->inst_is_drum[i]);
        cJSON_AddNumberToObject(x, "channel", s->inst_channel[i]);
        cJSON_AddNumberToObject(x, "track", s->inst_track[i]);
        cJSON_AddStringToObject(x, "name", s->inst_name[i]);
        cJSON_AddItemToArray(ins, x);
    }
    cJSON *t = cJSON_AddArrayToObject(o, "tempos");
    for (size_t i = 0; i < s->n_tempos; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "tick", (double)s->tempo_tick[i]);
        cJSON_AddNumberToObject(x, "bpm", s->tempo_bpm[i]);
        cJSON_AddNumberToObject(x, "us_per_quarter", s->tempo_us[i]);
        cJSON_AddNumberToObject(x, "seconds", emg_score_tick_to_seconds(s, s->tempo_tick[i]));
        cJSON_AddItemToArray(t, x);
    }
    cJSON *ts = cJSON_AddArrayToObject(o, "time_signatures");
    for (size_t i = 0; i < s->n_timesigs; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "tick", (double)s->ts_tick[i]);
        cJSON_AddNumberToObject(x, "numerator", s->ts_num[i]);
        cJSON_AddNumberToObject(x, "denominator", s->ts_den[i]);
        cJSON_AddItemToArray(ts, x);
    }
    cJSON *ks = cJSON_AddArrayToObject(o, "key_signatures");
    for (size_t i = 0; i < s->n_keysigs; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "tick", (double)s->ks_tick[i]);
        cJSON_AddNumberToObject(x, "sharps", s->ks_sharps[i]);
        cJSON_AddBoolToObject(x, "minor", s->ks_minor[i]);
        cJSON_AddItemToArray(ks, x);
    }
    cJSON_AddNumberToObject(o, "warnings", s->n_warnings);
    cJSON *wn = cJSON_AddArrayToObject(o, "warning_kinds");
    cJSON *nt = cJSON_AddArrayToObject(o, "notes_on_layout");
    for (int b = 0; b < 32; b++) {
        uint32_t bit = 1u << b;
        if (!(s->warn_mask & bit)) continue;
        cJSON_AddItemToArray(bit & EMG_MIDI_W_NOTE_BITS ? nt : wn, cJSON_CreateString(emg_midi_warning_name(bit)));
    }
    if (s->first_warning[0]) cJSON_AddStringToObject(o, "first_warning", s->first_warning);
    char *txt = cJSON_PrintUnformatted(o);
    printf("%s\n", txt);
    free(txt);
    cJSON_Delete(o);
}

static void print_text(const char *path, const emg_score *s, double secs) {
    char div[160];
    division_text(s, div, sizeof div);
    printf("file:        %s\n", path);
    printf("format:      %d\n", s->format);
    printf("tracks:      %d", s->ntracks);
    if (s->ntracks != s->ntracks_header) printf(" (header says %d)", s->ntracks_header);
    printf("\ndivision:    %s\n", div);
    printf("notes:       %zu (note-on events: %llu)\n", s->n_notes, (unsigned long long)s->n_note_on_events);
    printf("instruments: %zu\n", s->n_insts);
    for (size_t i = 0; i < s->n_insts; i++)
        printf("  %2zu: program %3d%s  channel %2d  track %3d  %s\n", i, s->inst_program[i],
               s->inst_is_drum[i] ? " (drums)" : "        ", s->inst_channel[i] + 1, s->inst_track[i], s->inst_name[i]);
    printf("duration:    %.3f s (max_tick %lld)\n", secs, (long long)s->max_tick);
    printf("tempos:      %zu\n", s->n_tempos);
    for (size_t i = 0; i < s->n_tempos; i++)
        printf("  tick %10lld  %9.4f BPM  (%u us/quarter)  at %.3f s\n", (long long)s->tempo_tick[i], s->tempo_bpm[i],
               s->tempo_us[i], emg_score_tick_to_seconds(s, s->tempo_tick[i]));
    printf("time sigs:   %zu\n", s->n_timesigs);
    for (size_t i = 0; i < s->n_timesigs; i++)
        printf("  tick %10lld  %u/%u\n", (long long)s->ts_tick[i], s->ts_num[i], s->ts_den[i]);
    printf("key sigs:    %zu\n", s->n_keysigs);
    for (size_t i = 0; i < s->n_keysigs; i++)
        printf("  tick %10lld  %+d %s, %s\n", (long long)s->ks_tick[i], s->ks_sharps[i],
               s->ks_sharps[i] < 0 ? "flats" : "sharps", s->ks_minor[i] ? "minor" : "major");
    printf("warnings:    %u", s->n_warnings);
    const char *sep = " (";
    for (int b = 0; b < 32; b++) {
        uint32_t bit = 1u << b;
        if ((s->warn_mask & bit) && !(bit & EMG_MIDI_W_NOTE_BITS)) { printf("%s%s", sep, emg_midi_warning_name(bit)); sep = ", "; }
    }
    printf("%s\n", sep[0] == ',' ? ")" : "");
    if (s->first_warning[0]) printf("  first: %s\n", s->first_warning);
    sep = "layout:      ";
    for (int b = 0; b < 32; b++) {
        uint32_t bit = 1u << b;
        if ((s->warn_mask & bit) && (bit & EMG_MIDI_W_NOTE_BITS)) { printf("%s%s", sep, emg_midi_warning_name(bit)); sep = ", "; }
    }
    if (sep[0] == ',') printf("\n");
}

int cmd_midi_info(emg_ctx *ctx, int argc, char **argv) {
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"strict", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int json = ctx->json, strict = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 's': strict = 1; break;
        case 'h': usage(stdout); return 0;
        default: return emg_usage_error("midi-info", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) return emg_usage_error("midi-info", "expected exactly one FILE.mid");
    const char *path = argv[optind];
    size_t len = 0;
    int err = 0;
    uint8_t *buf = slurp(path, &len, &err);
    if (!buf) {
        fprintf(stderr, "emogen midi-info: %s: cannot read: %s\n", path, strerror(err));
        return 1;
    }
    emg_score s;
    emg_midi_opts o = {.strict = strict};
    emg_status st = emg_midi_read(buf, len, &o, &s);
    free(buf);
    if (st.code) {
        fprintf(stderr, "emogen midi-info: %s: rejected: %s\n", path, st.msg);
        return 1;
    }
    double secs = emg_score_duration_seconds(&s);
    if (json) print_json(path, &s, secs);
    else print_text(path, &s, secs);
    emg_score_free(&s);
    return 0;
}
