/* pianoroll_svg.c: see pianoroll_svg.h. */
#include "pianoroll_svg.h"
#include "atomic_file.h"
#include "check.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emg_pianoroll_svg(const emg_score *s, const char *title, const char *path) {
    static const char *colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    int64_t end = 1;
    int lo = 127, hi = 0;
    for (size_t i = 0; i < s->n_notes; i++) {
        if (s->note_end[i] > end) end = s->note_end[i];
        if (s->note_pitch[i] < lo) lo = s->note_pitch[i];
        if (s->note_pitch[i] > hi) hi = s->note_pitch[i];
    }
    if (lo > hi) { lo = 60; hi = 72; }
    lo -= 2; hi += 2;
    double tpb = s->ticks_per_beat > 0 ? s->ticks_per_beat : 480;
    double px_per_tick = 16.0 / tpb;  /* 16 px per beat */
    double width = (double)end * px_per_tick + 40, row = 4, height = (hi - lo + 1) * row + 40;
    if (width > 30000) { px_per_tick *= 30000 / width; width = 30000; }
    emg_strbuf b = emg_strbuf_new();
    emg_strbuf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"11\">\n",
        width, height);
    emg_strbuf_printf(&b, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n<text x=\"4\" y=\"14\">");
    for (const char *c = title; *c; c++) {  /* escape the title */
        if (*c == '<') emg_strbuf_printf(&b, "&lt;"); else if (*c == '&') emg_strbuf_printf(&b, "&amp;"); else emg_strbuf_printf(&b, "%c", *c);
    }
    emg_strbuf_printf(&b, " (%zu notes)</text>\n", s->n_notes);
    /* bar lines every 4 beats (the decoder's default metre; enough to read the picture) */
    for (double t = 0; t < (double)end; t += 4 * tpb)
        emg_strbuf_printf(&b, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>\n", 20 + t * px_per_tick,
            20 + t * px_per_tick, height - 20);
    for (size_t i = 0; i < s->n_notes; i++) {
        double x = 20 + (double)s->note_start[i] * px_per_tick;
        double w = (double)(s->note_end[i] - s->note_start[i]) * px_per_tick;
        double y = 20 + (hi - s->note_pitch[i]) * row;
        emg_strbuf_printf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"/>\n", x, y,
            w > 1 ? w : 1, row - 0.5, colours[s->note_inst[i] % 8], 0.35 + 0.65 * s->note_velocity[i] / 127.0);
    }
    emg_strbuf_printf(&b, "</svg>\n");
    int rc = emg_write_file_atomic(path, b.p, b.n);
    free(b.p);
    return rc;
}
