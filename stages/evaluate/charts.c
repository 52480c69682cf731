/* charts.c: see charts.h. Every function returns a malloc'd SVG document. */
#include "evaluate/charts.h"
#include "check.h"
#include "strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static emg_strbuf start(double w, double h, const char *title) {
    emg_strbuf b = emg_strbuf_new();
    emg_strbuf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"11\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><text x=\"8\" y=\"16\" font-size=\"13\">%s</text>\n", w, h, title);
    return b;
}

char *emg_svg_bars(const char *title, const double *v, const char *const *labels, int n, double reference) {
    double bw = n > 60 ? 8 : 16, W = 60 + n * bw + 20, H = 260, top = 30, plot = 180;
    emg_strbuf b = start(W, H, title);
    for (int t = 0; t <= 4; t++) {
        double y = top + plot * (1 - t / 4.0);
        emg_strbuf_printf(&b, "<line x1=\"50\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"8\" y=\"%.1f\">%.2f</text>\n", y, W - 10, y,
            y + 4, t / 4.0);
    }
    for (int i = 0; i < n; i++) {
        double val = isnan(v[i]) ? 0 : v[i], h = plot * (val < 0 ? 0 : val > 1 ? 1 : val);
        double x = 55 + i * bw;
        emg_strbuf_printf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4c78a8\"><title>%s: %.3f</title></rect>\n", x,
            top + plot - h, bw - 2, h, labels ? labels[i] : "", val);
        if (n <= 30 && labels)
            emg_strbuf_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(60 %.1f %.1f)\" font-size=\"9\">%s</text>\n", x, top + plot + 10,
                x, top + plot + 10, labels[i]);
    }
    if (reference >= 0)
        emg_strbuf_printf(&b, "<line x1=\"50\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e45756\" stroke-dasharray=\"4 3\"/>\n",
            top + plot * (1 - reference), W - 10, top + plot * (1 - reference));
    emg_strbuf_printf(&b, "</svg>\n");
    return b.p;
}

char *emg_svg_confusion(const char *title, const long *cm, int C, const char *const *labels) {
    double cell = 56, W = 90 + C * cell + 20, H = 70 + C * cell + 30;
    emg_strbuf b = start(W, H, title);
    long mx = 1;
    for (int i = 0; i < C * C; i++) if (cm[i] > mx) mx = cm[i];
    emg_strbuf_printf(&b, "<text x=\"%.1f\" y=\"40\">predicted</text><text x=\"8\" y=\"%.1f\">requested</text>\n", 90 + C * cell / 2 - 25, 70 + C * cell / 2);
    for (int j = 0; j < C; j++) emg_strbuf_printf(&b, "<text x=\"%.1f\" y=\"60\">%s</text>\n", 90 + j * cell + cell / 2 - 8, labels[j]);
    for (int i = 0; i < C; i++) {
        emg_strbuf_printf(&b, "<text x=\"66\" y=\"%.1f\">%s</text>\n", 70 + i * cell + cell / 2 + 4, labels[i]);
        for (int j = 0; j < C; j++) {
            double a = (double)cm[i * C + j] / (double)mx;
            emg_strbuf_printf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"rgb(%d,%d,%d)\" stroke=\"#fff\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%ld</text>\n",
                90 + j * cell, 70 + i * cell, cell, cell, (int)(255 - 180 * a), (int)(255 - 140 * a), (int)(255 - 60 * a),
                90 + j * cell + cell / 2 - 6, 70 + i * cell + cell / 2 + 4, a > 0.6 ? "#fff" : "#000", cm[i * C + j]);
        }
    }
    emg_strbuf_printf(&b, "</svg>\n");
    return b.p;
}

char *emg_svg_lines(const char *title, const double *x, const double *y1, const char *name1, const double *y2,
                    const char *name2, int n) {
    double W = 560, H = 300, L = 50, T = 30, PW = 480, PH = 220;
    emg_strbuf b = start(W, H, title);
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (x[i] < xmin) xmin = x[i];
        if (x[i] > xmax) xmax = x[i];
        const double *ys[2] = {y1, y2};
        for (int k = 0; k < 2; k++) if (ys[k] && !isnan(ys[k][i])) { if (ys[k][i] < ymin) ymin = ys[k][i]; if (ys[k][i] > ymax) ymax = ys[k][i]; }
    }
    if (!(xmax > xmin)) xmax = xmin + 1;
    if (!(ymax > ymin)) { ymin -= 1; ymax += 1; }
    for (int t = 0; t <= 4; t++) {
        double yv = ymin + (ymax - ymin) * t / 4.0, y = T + PH * (1 - t / 4.0);
        emg_strbuf_printf(&b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"4\" y=\"%.1f\">%.2f</text>\n", L, y,
            L + PW, y, y + 4, yv);
    }
    emg_strbuf_printf(&b, "<text x=\"%.0f\" y=\"%.0f\">update %.0f .. %.0f</text>\n", L + PW / 2 - 40, T + PH + 30, xmin, xmax);
    const double *ys[2] = {y1, y2};
    const char *names[2] = {name1, name2}, *col[2] = {"#4c78a8", "#e45756"};
    for (int k = 0; k < 2; k++) {
        if (!ys[k]) continue;
        emg_strbuf_printf(&b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", col[k]);
        for (int i = 0; i < n; i++)
            if (!isnan(ys[k][i]))
                emg_strbuf_printf(&b, "%.1f,%.1f ", L + PW * (x[i] - xmin) / (xmax - xmin), T + PH * (1 - (ys[k][i] - ymin) / (ymax - ymin)));
        emg_strbuf_printf(&b, "\"/><text x=\"%.0f\" y=\"%d\" fill=\"%s\">%s</text>\n", L + PW - 120, 16 + 14 * k, col[k], names[k]);
    }
    emg_strbuf_printf(&b, "</svg>\n");
    return b.p;
}
