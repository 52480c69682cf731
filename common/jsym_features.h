/* jsym_features.h: the compute functions of the jSymbolic features, one per feature, grouped by
 * family in jsym_pitch.c, jsym_melody.c, jsym_chords.c, jsym_rhythm.c, jsym_dynamics.c. Each
 * writes the feature's values (its dimension count, in jSymbolic's order) to out. The table in
 * jsym_table.c maps names to these. Internal to the jsym_* modules. */
#pragma once
#include "jsym_engine.h"

typedef emg_status (*jsym_feature_fn)(jsym_piece *p, double *out);

#define JSYM_FEATURES(X) \
    X(basic_pitch_histogram) X(pitch_class_histogram) X(folded_fifths_pch) X(number_of_pitches) \
    X(number_of_pitch_classes) X(range) X(importance_of_bass_register) X(importance_of_middle_register) \
    X(importance_of_high_register) X(mean_pitch) X(mean_pitch_class) X(most_common_pitch) \
    X(most_common_pitch_class) X(pitch_variability) X(pitch_skewness) X(pitch_kurtosis) \
    X(melodic_interval_histogram) X(amount_of_arpeggiation) X(melodic_sixths) \
    X(prevalence_of_most_common_melodic_interval) X(average_length_of_melodic_arcs) \
    X(melodic_embellishments) X(melodic_pitch_variety) \
    X(vertical_interval_histogram) X(wrapped_vertical_interval_histogram) X(chord_type_histogram) \
    X(average_number_of_simultaneous_pitches) X(chord_duration) X(perfect_vertical_intervals) \
    X(vertical_dissonance_ratio) X(prevalence_of_most_common_vertical_interval) \
    X(minor_major_triad_ratio) X(seventh_chords) X(contrary_motion) X(parallel_motion) \
    X(similar_motion) X(oblique_motion) X(parallel_fifths) X(parallel_octaves) \
    X(rhythmic_value_histogram) X(most_common_rhythmic_value) X(prevalence_of_very_short_rv) \
    X(prevalence_of_short_rv) X(prevalence_of_medium_rv) X(prevalence_of_long_rv) \
    X(prevalence_of_very_long_rv) X(prevalence_of_most_common_rv) X(rhythmic_value_variability) \
    X(rhythmic_value_kurtosis) X(rv_median_run_lengths_histogram) X(rv_variability_in_run_lengths_histogram) \
    X(mean_rhythmic_value_run_length) X(variability_in_rv_run_lengths) X(variability_of_rv_offsets) \
    X(beat_histogram_tempo_standardized) X(strength_of_strongest_pulse_std) \
    X(strength_of_second_strongest_pulse_std) X(harmonicity_of_two_strongest_pulses_std) \
    X(number_of_relatively_strong_pulses_std) X(rhythmic_looseness_std) \
    X(note_density_per_quarter_note) X(note_density_per_quarter_note_variability) \
    X(total_number_of_notes) X(duration_in_seconds) X(variability_of_time_between_attacks) \
    X(variation_of_dynamics) X(average_note_to_note_change_in_dynamics) \
    X(relative_note_density_of_highest_line)

#define X(name) emg_status jsym_f_##name(jsym_piece *p, double *out);
JSYM_FEATURES(X)
#undef X
