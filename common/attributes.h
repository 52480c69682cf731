/* attributes.h: the attribute design (attributes.json, schemas/attributes.schema.json): which of the
 * 1495 jSymbolic values are attributes and how each is cut into buckets. Shared by select (writes it),
 * map, train, generate and evaluate (read it). */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct emg_attributes {
    int n;                 /* attributes, most important first */
    int buckets;           /* buckets per attribute */
    int emogen_compatible; /* round to 4 significant digits and NaN -> 0 before bucketing */
    int *index;            /* [n] column in the 1495 order */
    double *importance;    /* [n] */
    double *thresholds;    /* [n][buckets-1], ascending */
    char **name;           /* [n] */
    char source[64];
} emg_attributes;

/* load and validate; 0, or -1 with err naming the file and the problem */
int emg_attributes_load(emg_attributes *a, const char *path, char *err, size_t errlen);
void emg_attributes_free(emg_attributes *a);
/* EmoGen's reading of a jSymbolic value: 4 significant digits (jSymbolic's XML), NaN -> 0 */
double emg_emogen_round(double v);
/* the value as bucketing sees it (rounded when emogen_compatible) */
double emg_attr_value(const emg_attributes *a, double v);
/* bucket of raw value v for attribute k: numpy searchsorted(thresholds, v, side='left') */
int emg_attr_bucket(const emg_attributes *a, int k, double v);
/* the bucket vector of one 1495-value feature row */
void emg_attr_bits(const emg_attributes *a, const double *features, int *bits);
/* numpy's percentile with linear interpolation of sorted values x[0..n) (n >= 1), q in [0, 100] */
double emg_percentile_sorted(const double *x, int64_t n, double q);
