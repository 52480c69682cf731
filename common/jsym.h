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
 * NaN appears exactly where jSymbolic gives NaN (Note Density per Quarter Note Variability). */
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
 * IMPLEMENTED: every feature this port computes; ALL: all 244 (compute fails on unimplemented) */
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
