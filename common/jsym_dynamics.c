/* jsym_dynamics.c: jSymbolic's dynamics (D-*) and texture (T-*) features that read the per-channel
 * statistics: loudness = (int) (velocity * channel volume / 127 scale), channels as voices. */
#include <stdlib.h>

#include "check.h"
#include "jsym_features.h"

emg_status jsym_f_variation_of_dynamics(jsym_piece *p, double *out) {
    int32_t n = p->loud_first[16];
    double *x = xmalloc(sizeof(double) * (size_t)(n + 1));
    for (int32_t i = 0; i < n; i++) x[i] = (double)p->loud[i];
    out[0] = n == 0 ? 0.0 : jsym_stddev(x, n);
    free(x);
    return emg_ok();
}

/* jSymbolic sizes its array with one slot per note of each channel with 2+ notes but fills only
 * the differences, so one trailing 0 per such channel enters the average */
emg_status jsym_f_average_note_to_note_change_in_dynamics(jsym_piece *p, double *out) {
    int32_t slots = 0;
    for (int c = 0; c < 16; c++) {
        int32_t n = p->loud_first[c + 1] - p->loud_first[c];
        if (n > 1) slots += n;
    }
    double *x = xcalloc((size_t)slots + 1, sizeof(double));
    int32_t k = 0;
    for (int c = 0; c < 16; c++) {
        const int32_t *l = p->loud + p->loud_first[c];
        int32_t n = p->loud_first[c + 1] - p->loud_first[c];
        if (n < 2) continue;
        for (int32_t j = 1; j < n; j++) {
            int32_t d = l[j] - l[j - 1];
            x[k++] = (double)(d < 0 ? -d : d);
        }
    }
    out[0] = slots == 0 ? 0.0 : jsym_mean(x, slots);
    free(x);
    return emg_ok();
}

/* jSymbolic divides the integer mean pitch of the highest channel (not its note count) by the
 * mean note count of the pitched channels */
emg_status jsym_f_relative_note_density_of_highest_line(jsym_piece *p, double *out) {
    int32_t max = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_mean_pitch[c] != 0 && c != 9 && p->ch_mean_pitch[c] > max) max = p->ch_mean_pitch[c];
    double counts[16];
    int n = 0;
    for (int c = 0; c < 16; c++)
        if (p->ch_count[c] != 0 && c != 9) counts[n++] = (double)p->ch_count[c];
    double avg = jsym_mean(counts, n);
    out[0] = avg == 0.0 ? 0.0 : (double)max / avg;
    return emg_ok();
}

emg_status jsym_f_dynamic_range(jsym_piece *p, double *out) {
    int32_t max = -1, min = 128;
    for (int32_t i = 0; i < p->loud_first[16]; i++) {
        if (p->loud[i] > max) max = p->loud[i];
        if (p->loud[i] < min) min = p->loud[i];
    }
    out[0] = (max == -1 || min == 128) ? 0.0 : (double)(max - min);
    return emg_ok();
}

/* mean over the channels with notes of the standard deviation of their loudness */
emg_status jsym_f_variation_of_dynamics_in_each_voice(jsym_piece *p, double *out) {
    double sds[16];
    int n = 0;
    for (int c = 0; c < 16; c++) {
        int32_t k = p->loud_first[c + 1] - p->loud_first[c];
        if (k == 0) continue;
        double *x = xmalloc(sizeof(double) * (size_t)k);
        for (int32_t j = 0; j < k; j++) x[j] = (double)p->loud[p->loud_first[c] + j];
        sds[n++] = jsym_stddev(x, k);
        free(x);
    }
    out[0] = n == 0 ? 0.0 : jsym_mean(sds, n);
    return emg_ok();
}
