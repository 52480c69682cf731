/* charts.h: small standalone SVG charts for the evaluation report (no plotting library). */
#pragma once

/* vertical bars: values in [0, 1] with labels; a dashed line at `reference` (< 0: none) */
char *emg_svg_bars(const char *title, const double *values, const char *const *labels, int n, double reference);
/* a C x C confusion matrix (rows: requested, columns: predicted) as a heat map with counts */
char *emg_svg_confusion(const char *title, const long *cm, int C, const char *const *labels);
/* one or two lines (y2 may be NULL) over x; NaN points are skipped */
char *emg_svg_lines(const char *title, const double *x, const double *y1, const char *name1, const double *y2,
                    const char *name2, int n);
