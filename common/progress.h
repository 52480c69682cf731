/* progress.h: a throttled progress line on stderr (rank 0 only; off with --quiet).
 * On a terminal it redraws one line at most every 0.5 s; into a file (a Slurm log) it appends a
 * full line at most every 10 s, so logs stay short. Shows done/total, percent, rate and ETA. */
#pragma once
#include <stdint.h>
#include <stdio.h>

typedef double (*emg_clock_fn)(void);

typedef struct emg_progress {
    char label[32];
    int64_t total, done;
    double t0, last;      /* start time, time of the last line printed */
    double interval;      /* seconds between lines */
    int enabled, tty;
    int lines;            /* lines printed so far (tests check the throttling with it) */
    FILE *out;
    emg_clock_fn clock;   /* emg_now by default; tests inject a fake clock */
} emg_progress;

/* enabled = (rank == 0 && !quiet) */
void emg_progress_init(emg_progress *p, const char *label, int64_t total, int enabled);
/* record progress; prints when the interval has passed; returns 1 if a line was printed */
int emg_progress_update(emg_progress *p, int64_t done);
/* final line with the totals (always printed when enabled) */
void emg_progress_finish(emg_progress *p);
/* format seconds as h:mm:ss or m:ss into buf */
void emg_format_duration(double seconds, char *buf, size_t n);
