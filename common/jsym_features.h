/* jsym_features.h: the compute functions of the jSymbolic features, one per feature, grouped by
 * family in jsym_pitch.c, jsym_melody.c, jsym_chords.c, jsym_rhythm.c, jsym_rests.c,
 * jsym_beat.c, jsym_tempo.c, jsym_instruments.c, jsym_texture.c, jsym_dynamics.c. Each
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
    X(relative_note_density_of_highest_line) \
    X(number_of_common_pitches) X(number_of_common_pitch_classes) X(dominant_spread) \
    X(strong_tonal_centres) X(prevalence_of_most_common_pitch) X(prevalence_of_most_common_pitch_class) \
    X(relative_prevalence_of_top_pitches) X(relative_prevalence_of_top_pitch_classes) \
    X(interval_between_most_prevalent_pitches) X(interval_between_most_prevalent_pitch_classes) \
    X(pitch_class_variability) X(pitch_class_variability_after_folding) X(pitch_class_skewness) \
    X(pitch_class_skewness_after_folding) X(pitch_class_kurtosis) X(pitch_class_kurtosis_after_folding) \
    X(major_or_minor) X(first_pitch) X(first_pitch_class) X(last_pitch) X(last_pitch_class) \
    X(glissando_prevalence) X(average_range_of_glissandos) X(vibrato_prevalence) X(microtone_prevalence) \
    X(most_common_melodic_interval) X(mean_melodic_interval) X(number_of_common_melodic_intervals) \
    X(distance_between_most_prevalent_melodic_intervals) \
    X(relative_prevalence_of_most_common_melodic_intervals) X(repeated_notes) X(chromatic_motion) \
    X(stepwise_motion) X(melodic_thirds) X(melodic_perfect_fourths) X(melodic_tritones) \
    X(melodic_perfect_fifths) X(melodic_sevenths) X(melodic_octaves) X(melodic_large_intervals) \
    X(minor_major_melodic_third_ratio) X(direction_of_melodic_motion) \
    X(average_interval_spanned_by_melodic_arcs) X(average_number_of_simultaneous_pitch_classes) \
    X(variability_of_number_of_simultaneous_pitch_classes) \
    X(variability_of_number_of_simultaneous_pitches) X(most_common_vertical_interval) \
    X(second_most_common_vertical_interval) X(distance_between_two_most_common_vertical_intervals) \
    X(prevalence_of_second_most_common_vertical_interval) \
    X(prevalence_ratio_of_two_most_common_vertical_intervals) X(vertical_unisons) \
    X(vertical_minor_seconds) X(vertical_thirds) X(vertical_tritones) X(vertical_perfect_fourths) \
    X(vertical_perfect_fifths) X(vertical_sixths) X(vertical_sevenths) X(vertical_octaves) \
    X(vertical_minor_third_prevalence) X(vertical_major_third_prevalence) X(partial_chords) \
    X(standard_triads) X(diminished_and_augmented_triads) X(dominant_seventh_chords) \
    X(non_standard_chords) X(complex_chords) X(initial_time_signature) X(simple_initial_meter) \
    X(compound_initial_meter) X(complex_initial_meter) X(duple_initial_meter) X(triple_initial_meter) \
    X(quadruple_initial_meter) X(metrical_diversity) X(note_density_per_quarter_note_per_voice) \
    X(range_of_rv) X(number_of_different_rv_present) X(number_of_common_rv_present) \
    X(prevalence_of_dotted_notes) X(shortest_rv) X(longest_rv) X(mean_rv) \
    X(relative_prevalence_of_most_common_rv) X(difference_between_most_common_rv) X(rv_skewness) \
    X(median_rv_run_length) X(mean_rv_offset) X(median_rv_offset) X(complete_rests_fraction) \
    X(partial_rests_fraction) X(average_rest_fraction_across_voices) X(longest_complete_rest) \
    X(longest_partial_rest) X(mean_complete_rest_duration) X(mean_partial_rest_duration) \
    X(median_complete_rest_duration) X(median_partial_rest_duration) \
    X(variability_of_complete_rest_durations) X(variability_of_partial_rest_durations) \
    X(variability_across_voices_of_combined_rests) X(number_of_strong_pulses_std) \
    X(number_of_moderate_pulses_std) X(strongest_pulse_std) X(second_strongest_pulse_std) \
    X(strength_ratio_of_two_strongest_pulses_std) X(combined_strength_of_two_strongest_pulses_std) \
    X(rhythmic_variability_std) X(polyrhythms_std) X(initial_tempo) X(mean_tempo) X(tempo_variability) \
    X(note_density) X(note_density_variability) X(average_time_between_attacks) \
    X(average_time_between_attacks_for_each_voice) \
    X(average_variability_of_time_between_attacks_for_each_voice) X(minimum_note_duration) \
    X(maximum_note_duration) X(average_note_duration) X(variability_of_note_durations) \
    X(amount_of_staccato) X(beat_histogram) X(number_of_strong_pulses) X(number_of_moderate_pulses) \
    X(number_of_relatively_strong_pulses) X(strongest_pulse) X(second_strongest_pulse) \
    X(harmonicity_of_two_strongest_pulses) X(strength_of_strongest_pulse) \
    X(strength_of_second_strongest_pulse) X(strength_ratio_of_two_strongest_pulses) \
    X(combined_strength_of_two_strongest_pulses) X(rhythmic_variability) X(rhythmic_looseness) \
    X(polyrhythms) X(pitched_instruments_present) X(unpitched_instruments_present) \
    X(note_prevalence_of_pitched_instruments) X(note_prevalence_of_unpitched_instruments) \
    X(time_prevalence_of_pitched_instruments) X(variability_of_note_prevalence_of_pitched_instruments) \
    X(variability_of_note_prevalence_of_unpitched_instruments) X(number_of_pitched_instruments) \
    X(number_of_unpitched_instruments) X(unpitched_percussion_instrument_prevalence) \
    X(string_keyboard_prevalence) X(acoustic_guitar_prevalence) X(electric_guitar_prevalence) \
    X(violin_prevalence) X(saxophone_prevalence) X(brass_prevalence) X(woodwinds_prevalence) \
    X(orchestral_strings_prevalence) X(string_ensemble_prevalence) X(electric_instrument_prevalence) \
    X(maximum_number_of_independent_voices) X(average_number_of_independent_voices) \
    X(variability_of_number_of_independent_voices) X(voice_equality_number_of_notes) \
    X(voice_equality_note_duration) X(voice_equality_dynamics) X(voice_equality_melodic_leaps) \
    X(voice_equality_range) X(importance_of_loudest_voice) X(relative_range_of_loudest_voice) \
    X(relative_range_isolation_of_loudest_voice) X(relative_range_of_highest_line) \
    X(relative_note_durations_of_lowest_line) X(relative_size_of_melodic_intervals_in_lowest_line) \
    X(voice_overlap) X(voice_separation) X(variability_of_voice_separation) X(dynamic_range) \
    X(variation_of_dynamics_in_each_voice)

#define X(name) emg_status jsym_f_##name(jsym_piece *p, double *out);
JSYM_FEATURES(X)
#undef X

/* the compute function of feature f (in the official order), NULL if out of range; for the
 * benchmark's per-family timing */
jsym_feature_fn jsym_feature_function(int f);
