/* progress.c: see progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"
#include "context.h"

#include <string.h>
#include <unistd.h>

void emg_progress_init(emg_progress *p, const char *label, int64_t total, int enabled) {
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->total = total;
    p->enabled = enabled;
    p->out = stderr;
    p->tty = isatty(fileno(stderr));
    p->interval = p->tty ? 0.5 : 10.0;
    p->clock = emg_now;
    p->t0 = p->last = p->clock();
}

void emg_format_duration(double s, char *buf, size_t n) {
    if (!(s >= 0) || s > 1e8) { snprintf(buf, n, "?"); return; }
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void print_line(emg_progress *p, double now, int final) {
    double el = now - p->t0;
    double rate = el > 0 ? (double)p->done / el : 0.0;
    char eta[32], elapsed[32];
    emg_format_duration(rate > 0 ? (double)(p->total - p->done) / rate : -1, eta, sizeof eta);
    emg_format_duration(el, elapsed, sizeof elapsed);
    double pct = p->total > 0 ? 100.0 * (double)p->done / (double)p->total : 100.0;
    const char *lead = p->tty ? "\r" : "";
    if (final)
        fprintf(p->out, "%s[%s] %lld/%lld (%.1f%%) in %s, %.1f/s%s\n", lead, p->label, (long long)p->done,
                (long long)p->total, pct, elapsed, rate, p->tty ? "          " : "");
    else
        fprintf(p->out, "%s[%s] %lld/%lld (%.1f%%) %.1f/s ETA %s%s", lead, p->label, (long long)p->done,
                (long long)p->total, pct, rate, eta, p->tty ? "   " : "\n");
    fflush(p->out);
    p->lines++;
    p->last = now;
}

int emg_progress_update(emg_progress *p, int64_t done) {
    p->done = done;
    if (!p->enabled) return 0;
    double now = p->clock();
    if (now - p->last < p->interval) return 0;
    print_line(p, now, 0);
    return 1;
}

void emg_progress_finish(emg_progress *p) {
    if (!p->enabled) return;
    print_line(p, p->clock(), 1);
}
