/* emogen_published.h: EmoGen's own published attribute table (see emogen_published.c), for
 * `emogen map --method emogen` and for the reproduction tests. */
#pragma once

#define EMG_EMOGEN_NATTR 100
extern const int emg_emogen_feature_index[EMG_EMOGEN_NATTR];   /* 0-based column in the official 1495 order */
extern const double emg_emogen_threshold[EMG_EMOGEN_NATTR];    /* bucket 1 iff value > threshold */
extern const char emg_emogen_vectors[4][EMG_EMOGEN_NATTR + 1]; /* '0'/'1' per attribute, Q1..Q4 */
