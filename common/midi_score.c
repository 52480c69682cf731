/* midi_score.c: what every holder of an emg_score needs: freeing it and its time map. */
#include "midi_score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* miditoolkit's get_tick_to_time_mapping fills an array by applying, in list order, each tempo
 * entry from its tick up to the next entry's tick (empty when the next tick is smaller) and
 * carrying the time reached at that next tick. This evaluates the same thing at one tick. */
double emg_score_tick_to_seconds(const emg_score *s, int64_t tick) {
    size_t n = s->n_tempos;
    if (n == 0 || s->ticks_per_beat <= 0) return 0.0;
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++) sorted = s->tempo_tick[i] >= s->tempo_tick[i - 1];
    if (sorted) {
        double acc = 0.0;
        for (size_t i = 0; i < n; i++) {
            double spt = 60.0 / s->tempo_bpm[i] / (double)s->ticks_per_beat;
            int64_t a = s->tempo_tick[i];
            int64_t e = i + 1 < n ? s->tempo_tick[i + 1] : INT64_MAX;
            if (tick <= e) return tick < a ? acc : acc + spt * (double)(tick - a);
            acc += spt * (double)(e - a);
        }
        return acc;
    }
    /* unsorted list (tempo changes spread over tracks): replay the slice assignments.
     * acc[i] = the array's value at entry i-1's end tick after assignments 0..i-1 (0 if none
     * covered it: the array starts as zeros). O(n^2), only for such files. */
    int64_t final_tick = s->max_tick;
    double *acc = xmalloc(n * sizeof *acc);
#define SEG_END(i) ((i) + 1 < n ? s->tempo_tick[(i) + 1] : final_tick)
#define SPT(i) (60.0 / s->tempo_bpm[i] / (double)s->ticks_per_beat)
    acc[0] = 0.0;
    for (size_t i = 1; i < n; i++) {
        int64_t x = SEG_END(i - 1);
        acc[i] = 0.0;
        for (size_t j = i; j-- > 0;) {
            if (s->tempo_tick[j] <= x && x <= SEG_END(j)) { acc[i] = acc[j] + SPT(j) * (double)(x - s->tempo_tick[j]); break; }
        }
    }
    double v = 0.0;
    for (size_t j = n; j-- > 0;) {
        if (s->tempo_tick[j] <= tick && tick <= SEG_END(j)) { v = acc[j] + SPT(j) * (double)(tick - s->tempo_tick[j]); break; }
    }
#undef SEG_END
#undef SPT
    free(acc);
    return v;
}

double emg_score_duration_seconds(const emg_score *s) {
    return s->max_tick > 0 ? emg_score_tick_to_seconds(s, s->max_tick - 1) : 0.0;
}

void emg_score_free(emg_score *s) {
    if (!s) return;
    free(s->arena);
    memset(s, 0, sizeof *s);
}
