/* jsym.h: jSymbolic 2.2 feature values of a MIDI file, as EmoGen used them.
 *
 * The 244 features (1,495 values) are numbered in EmoGen's order
 * (shared/data/reference/emogen/all_feature_names.txt, which is also jSymbolic's): feature f has
 * emg_jsym_feature_dims(f) values starting at value index emg_jsym_feature_offset(f). A vector
 * feature's value k is named "<feature name>_k".
 *
 *   emg_jsym_request req;
 *   emg_jsym_request_set(&req, JSYM_SET_EMOGEN100);     // or add features one by one
 *   double v[EMG_JSYM_NVALUES];
 *   emg_status st = emg_jsym_compute(buf, len, &req, v); // v[value index] for the requested ones
 *
 * A file jSymbolic 2.2 gives no values for (no notes, zero length, format 2, unreadable by Java
 * Sound, ...) returns a non-zero status (EMG_JSYM_E_* in jsym_seq.h) and writes nothing.
 * NaN appears exactly where jSymbolic gives NaN (Note Density per Quarter Note Variability; Relative
 * Range Isolation of Loudest Voice when no channel is louder than 0). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "jsym_seq.h"
#include "status.h"

#define EMG_JSYM_NFEATURES 244
#define EMG_JSYM_NVALUES 1495

typedef struct emg_jsym_request {
    uint8_t want[EMG_JSYM_NFEATURES];  /* 1 = compute feature f */
} emg_jsym_request;

enum { JSYM_SET_NONE = 0, JSYM_SET_EMOGEN100, JSYM_SET_EMOGEN_FEATURES, JSYM_SET_IMPLEMENTED, JSYM_SET_ALL };

/* JSYM_SET_EMOGEN100 and JSYM_SET_EMOGEN_FEATURES: the 58 features behind EmoGen's 100 attributes;
 * IMPLEMENTED: every feature this port computes (all 244 now); ALL: all 244 */
void emg_jsym_request_set(emg_jsym_request *req, int set);

int emg_jsym_feature_dims(int f);
int emg_jsym_feature_offset(int f);
const char *emg_jsym_feature_name(int f);
const char *emg_jsym_feature_code(int f);      /* jSymbolic's code, e.g. "P-14" */
int emg_jsym_feature_implemented(int f);
int emg_jsym_feature_in_emogen(int f);         /* one of the 58 behind EmoGen's attributes */
int emg_jsym_find_feature(const char *name);  /* -1 if unknown */
/* "Pitch Class Histogram_2" or "Mean Pitch" -> value index, -1 if unknown */
int emg_jsym_find_value(const char *name);
/* feature of a value index */
int emg_jsym_value_feature(int v);
/* writes the value's name ("Mean Pitch", "Pitch Class Histogram_2") */
void emg_jsym_value_name(int v, char *buf, size_t n);
/* EmoGen's 100 attributes: value indices in attribute order (feature_index.npy) */
extern const int16_t emg_jsym_emogen100[100];

emg_status emg_jsym_compute(const uint8_t *midi, size_t len, const emg_jsym_request *req, double *out);

/* Windows, as jSymbolic 2.2's -w option cuts them (MIDIMethods.getStartEndTickArrays and
 * breakSequenceIntoWindows): windows of window_s seconds, each starting overlap_s seconds before
 * the previous one ends (jSymbolic's overlap fraction times the window size); the last window
 * ends at the piece's last tick and may be shorter. Each window is a sequence of its own (notes
 * sounding across a boundary are carried into the next window, with the latest tempo, meter,
 * key and program events), and its values are those jSymbolic computes for that sequence. */
typedef struct emg_jsym_window {
    int32_t index;                 /* 0, 1, ... */
    int32_t start_tick, end_tick;  /* inclusive, ticks of the whole piece */
    double start_s, end_s;         /* jSymbolic's section start / stop: MIDIMethods.getSecondsAtTick */
} emg_jsym_window;
/* called once per window, in order; st.code != 0: no values for this window (a window without
 * notes, for one: jSymbolic 2.2 then gives no values for the whole file) */
typedef void (*emg_jsym_window_fn)(void *ctx, const emg_jsym_window *w, emg_status st, const double *values);
/* Fails without calling fn when the file has no values at all or the window arguments are
 * invalid (need window_s > 0 and 0 <= overlap_s < window_s). */
emg_status emg_jsym_compute_windows(const uint8_t *midi, size_t len, const emg_jsym_request *req, double window_s,
                                    double overlap_s, emg_jsym_window_fn fn, void *ctx);
