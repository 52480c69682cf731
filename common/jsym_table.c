/* jsym_table.c: the 244 jSymbolic 2.2 features in EmoGen's (= jSymbolic's) order, with their
 * dimensions, value offsets, jSymbolic codes, whether EmoGen's attributes use them, and their
 * compute functions (all implemented; NULL would mark a missing one). Generated from
 * shared/data/reference/emogen/all_feature_names.txt and jSymbolic's feature classes. Also the
 * entry points: emg_jsym_compute (one piece) and emg_jsym_compute_windows (jSymbolic's -w). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsym.h"
#include "check.h"
#include "jsym_features.h"
#include "jsym_window.h"

typedef struct {
    const char *name;
    const char *code;
    int dims;
    int offset;
    int emogen;  /* one of the 58 features behind EmoGen's 100 attributes */
    jsym_feature_fn fn;
} jsym_feature;

static const jsym_feature table[EMG_JSYM_NFEATURES] = {
    {"Basic Pitch Histogram", "P-1", 128, 0, 0, jsym_f_basic_pitch_histogram},
    {"Pitch Class Histogram", "P-2", 12, 128, 1, jsym_f_pitch_class_histogram},
    {"Folded Fifths Pitch Class Histogram", "P-3", 12, 140, 0, jsym_f_folded_fifths_pch},
    {"Number of Pitches", "P-4", 1, 152, 1, jsym_f_number_of_pitches},
    {"Number of Pitch Classes", "P-5", 1, 153, 0, jsym_f_number_of_pitch_classes},
    {"Number of Common Pitches", "P-6", 1, 154, 0, jsym_f_number_of_common_pitches},
    {"Number of Common Pitch Classes", "P-7", 1, 155, 0, jsym_f_number_of_common_pitch_classes},
    {"Range", "P-8", 1, 156, 1, jsym_f_range},
    {"Importance of Bass Register", "P-9", 1, 157, 1, jsym_f_importance_of_bass_register},
    {"Importance of Middle Register", "P-10", 1, 158, 1, jsym_f_importance_of_middle_register},
    {"Importance of High Register", "P-11", 1, 159, 1, jsym_f_importance_of_high_register},
    {"Dominant Spread", "P-12", 1, 160, 0, jsym_f_dominant_spread},
    {"Strong Tonal Centres", "P-13", 1, 161, 0, jsym_f_strong_tonal_centres},
    {"Mean Pitch", "P-14", 1, 162, 1, jsym_f_mean_pitch},
    {"Mean Pitch Class", "P-15", 1, 163, 1, jsym_f_mean_pitch_class},
    {"Most Common Pitch", "P-16", 1, 164, 1, jsym_f_most_common_pitch},
    {"Most Common Pitch Class", "P-17", 1, 165, 0, jsym_f_most_common_pitch_class},
    {"Prevalence of Most Common Pitch", "P-18", 1, 166, 0, jsym_f_prevalence_of_most_common_pitch},
    {"Prevalence of Most Common Pitch Class", "P-19", 1, 167, 0, jsym_f_prevalence_of_most_common_pitch_class},
    {"Relative Prevalence of Top Pitches", "P-20", 1, 168, 0, jsym_f_relative_prevalence_of_top_pitches},
    {"Relative Prevalence of Top Pitch Classes", "P-21", 1, 169, 0, jsym_f_relative_prevalence_of_top_pitch_classes},
    {"Interval Between Most Prevalent Pitches", "P-22", 1, 170, 0, jsym_f_interval_between_most_prevalent_pitches},
    {"Interval Between Most Prevalent Pitch Classes", "P-23", 1, 171, 0, jsym_f_interval_between_most_prevalent_pitch_classes},
    {"Pitch Variability", "P-24", 1, 172, 1, jsym_f_pitch_variability},
    {"Pitch Class Variability", "P-25", 1, 173, 0, jsym_f_pitch_class_variability},
    {"Pitch Class Variability After Folding", "P-26", 1, 174, 0, jsym_f_pitch_class_variability_after_folding},
    {"Pitch Skewness", "P-27", 1, 175, 1, jsym_f_pitch_skewness},
    {"Pitch Class Skewness", "P-28", 1, 176, 0, jsym_f_pitch_class_skewness},
    {"Pitch Class Skewness After Folding", "P-29", 1, 177, 0, jsym_f_pitch_class_skewness_after_folding},
    {"Pitch Kurtosis", "P-30", 1, 178, 0, jsym_f_pitch_kurtosis},
    {"Pitch Class Kurtosis", "P-31", 1, 179, 0, jsym_f_pitch_class_kurtosis},
    {"Pitch Class Kurtosis After Folding", "P-32", 1, 180, 0, jsym_f_pitch_class_kurtosis_after_folding},
    {"Major or Minor", "P-33", 1, 181, 0, jsym_f_major_or_minor},
    {"First Pitch", "P-34", 1, 182, 0, jsym_f_first_pitch},
    {"First Pitch Class", "P-35", 1, 183, 0, jsym_f_first_pitch_class},
    {"Last Pitch", "P-36", 1, 184, 0, jsym_f_last_pitch},
    {"Last Pitch Class", "P-37", 1, 185, 0, jsym_f_last_pitch_class},
    {"Glissando Prevalence", "P-38", 1, 186, 0, jsym_f_glissando_prevalence},
    {"Average Range of Glissandos", "P-39", 1, 187, 0, jsym_f_average_range_of_glissandos},
    {"Vibrato Prevalence", "P-40", 1, 188, 0, jsym_f_vibrato_prevalence},
    {"Microtone Prevalence", "P-41", 1, 189, 0, jsym_f_microtone_prevalence},
    {"Melodic Interval Histogram", "M-1", 128, 190, 1, jsym_f_melodic_interval_histogram},
    {"Most Common Melodic Interval", "M-2", 1, 318, 0, jsym_f_most_common_melodic_interval},
    {"Mean Melodic Interval", "M-3", 1, 319, 0, jsym_f_mean_melodic_interval},
    {"Number of Common Melodic Intervals", "M-4", 1, 320, 0, jsym_f_number_of_common_melodic_intervals},
    {"Distance Between Most Prevalent Melodic Intervals", "M-5", 1, 321, 0, jsym_f_distance_between_most_prevalent_melodic_intervals},
    {"Prevalence of Most Common Melodic Interval", "M-6", 1, 322, 1, jsym_f_prevalence_of_most_common_melodic_interval},
    {"Relative Prevalence of Most Common Melodic Intervals", "M-7", 1, 323, 0, jsym_f_relative_prevalence_of_most_common_melodic_intervals},
    {"Amount of Arpeggiation", "M-8", 1, 324, 1, jsym_f_amount_of_arpeggiation},
    {"Repeated Notes", "M-9", 1, 325, 0, jsym_f_repeated_notes},
    {"Chromatic Motion", "M-10", 1, 326, 0, jsym_f_chromatic_motion},
    {"Stepwise Motion", "M-11", 1, 327, 0, jsym_f_stepwise_motion},
    {"Melodic Thirds", "M-12", 1, 328, 0, jsym_f_melodic_thirds},
    {"Melodic Perfect Fourths", "M-13", 1, 329, 0, jsym_f_melodic_perfect_fourths},
    {"Melodic Tritones", "M-14", 1, 330, 0, jsym_f_melodic_tritones},
    {"Melodic Perfect Fifths", "M-15", 1, 331, 0, jsym_f_melodic_perfect_fifths},
    {"Melodic Sixths", "M-16", 1, 332, 1, jsym_f_melodic_sixths},
    {"Melodic Sevenths", "M-17", 1, 333, 0, jsym_f_melodic_sevenths},
    {"Melodic Octaves", "M-18", 1, 334, 0, jsym_f_melodic_octaves},
    {"Melodic Large Intervals", "M-19", 1, 335, 0, jsym_f_melodic_large_intervals},
    {"Minor Major Melodic Third Ratio", "M-20", 1, 336, 0, jsym_f_minor_major_melodic_third_ratio},
    {"Melodic Embellishments", "M-21", 1, 337, 1, jsym_f_melodic_embellishments},
    {"Direction of Melodic Motion", "M-22", 1, 338, 0, jsym_f_direction_of_melodic_motion},
    {"Average Length of Melodic Arcs", "M-23", 1, 339, 1, jsym_f_average_length_of_melodic_arcs},
    {"Average Interval Spanned by Melodic Arcs", "M-24", 1, 340, 0, jsym_f_average_interval_spanned_by_melodic_arcs},
    {"Melodic Pitch Variety", "M-25", 1, 341, 1, jsym_f_melodic_pitch_variety},
    {"Vertical Interval Histogram", "C-1", 128, 342, 1, jsym_f_vertical_interval_histogram},
    {"Wrapped Vertical Interval Histogram", "C-2", 12, 470, 1, jsym_f_wrapped_vertical_interval_histogram},
    {"Chord Type Histogram", "C-3", 11, 482, 1, jsym_f_chord_type_histogram},
    {"Average Number of Simultaneous Pitch Classes", "C-4", 1, 493, 0, jsym_f_average_number_of_simultaneous_pitch_classes},
    {"Variability of Number of Simultaneous Pitch Classes", "C-5", 1, 494, 0, jsym_f_variability_of_number_of_simultaneous_pitch_classes},
    {"Average Number of Simultaneous Pitches", "C-6", 1, 495, 1, jsym_f_average_number_of_simultaneous_pitches},
    {"Variability of Number of Simultaneous Pitches", "C-7", 1, 496, 0, jsym_f_variability_of_number_of_simultaneous_pitches},
    {"Most Common Vertical Interval", "C-8", 1, 497, 0, jsym_f_most_common_vertical_interval},
    {"Second Most Common Vertical Interval", "C-9", 1, 498, 0, jsym_f_second_most_common_vertical_interval},
    {"Distance Between Two Most Common Vertical Intervals", "C-10", 1, 499, 0, jsym_f_distance_between_two_most_common_vertical_intervals},
    {"Prevalence of Most Common Vertical Interval", "C-11", 1, 500, 1, jsym_f_prevalence_of_most_common_vertical_interval},
    {"Prevalence of Second Most Common Vertical Interval", "C-12", 1, 501, 0, jsym_f_prevalence_of_second_most_common_vertical_interval},
    {"Prevalence Ratio of Two Most Common Vertical Intervals", "C-13", 1, 502, 0, jsym_f_prevalence_ratio_of_two_most_common_vertical_intervals},
    {"Vertical Unisons", "C-14", 1, 503, 0, jsym_f_vertical_unisons},
    {"Vertical Minor Seconds", "C-15", 1, 504, 0, jsym_f_vertical_minor_seconds},
    {"Vertical Thirds", "C-16", 1, 505, 0, jsym_f_vertical_thirds},
    {"Vertical Tritones", "C-17", 1, 506, 0, jsym_f_vertical_tritones},
    {"Vertical Perfect Fourths", "C-18", 1, 507, 0, jsym_f_vertical_perfect_fourths},
    {"Vertical Perfect Fifths", "C-19", 1, 508, 0, jsym_f_vertical_perfect_fifths},
    {"Vertical Sixths", "C-20", 1, 509, 0, jsym_f_vertical_sixths},
    {"Vertical Sevenths", "C-21", 1, 510, 0, jsym_f_vertical_sevenths},
    {"Vertical Octaves", "C-22", 1, 511, 0, jsym_f_vertical_octaves},
    {"Perfect Vertical Intervals", "C-23", 1, 512, 1, jsym_f_perfect_vertical_intervals},
    {"Vertical Dissonance Ratio", "C-24", 1, 513, 1, jsym_f_vertical_dissonance_ratio},
    {"Vertical Minor Third Prevalence", "C-25", 1, 514, 0, jsym_f_vertical_minor_third_prevalence},
    {"Vertical Major Third Prevalence", "C-26", 1, 515, 0, jsym_f_vertical_major_third_prevalence},
    {"Chord Duration", "C-27", 1, 516, 1, jsym_f_chord_duration},
    {"Partial Chords", "C-28", 1, 517, 0, jsym_f_partial_chords},
    {"Standard Triads", "C-29", 1, 518, 0, jsym_f_standard_triads},
    {"Diminished and Augmented Triads", "C-30", 1, 519, 0, jsym_f_diminished_and_augmented_triads},
    {"Dominant Seventh Chords", "C-31", 1, 520, 0, jsym_f_dominant_seventh_chords},
    {"Seventh Chords", "C-32", 1, 521, 1, jsym_f_seventh_chords},
    {"Non-Standard Chords", "C-33", 1, 522, 0, jsym_f_non_standard_chords},
    {"Complex Chords", "C-34", 1, 523, 0, jsym_f_complex_chords},
    {"Minor Major Triad Ratio", "C-35", 1, 524, 1, jsym_f_minor_major_triad_ratio},
    {"Initial Time Signature", "R-1", 2, 525, 0, jsym_f_initial_time_signature},
    {"Simple Initial Meter", "R-2", 1, 527, 0, jsym_f_simple_initial_meter},
    {"Compound Initial Meter", "R-3", 1, 528, 0, jsym_f_compound_initial_meter},
    {"Complex Initial Meter", "R-4", 1, 529, 0, jsym_f_complex_initial_meter},
    {"Duple Initial Meter", "R-5", 1, 530, 0, jsym_f_duple_initial_meter},
    {"Triple Initial Meter", "R-6", 1, 531, 0, jsym_f_triple_initial_meter},
    {"Quadruple Initial Meter", "R-7", 1, 532, 0, jsym_f_quadruple_initial_meter},
    {"Metrical Diversity", "R-8", 1, 533, 0, jsym_f_metrical_diversity},
    {"Total Number of Notes", "R-9", 1, 534, 1, jsym_f_total_number_of_notes},
    {"Note Density per Quarter Note", "R-10", 1, 535, 1, jsym_f_note_density_per_quarter_note},
    {"Note Density per Quarter Note per Voice", "R-11", 1, 536, 0, jsym_f_note_density_per_quarter_note_per_voice},
    {"Note Density per Quarter Note Variability", "R-12", 1, 537, 1, jsym_f_note_density_per_quarter_note_variability},
    {"Rhythmic Value Histogram", "R-13", 12, 538, 1, jsym_f_rhythmic_value_histogram},
    {"Range of Rhythmic Values", "R-14", 1, 550, 0, jsym_f_range_of_rv},
    {"Number of Different Rhythmic Values Present", "R-15", 1, 551, 0, jsym_f_number_of_different_rv_present},
    {"Number of Common Rhythmic Values Present", "R-16", 1, 552, 0, jsym_f_number_of_common_rv_present},
    {"Prevalence of Very Short Rhythmic Values", "R-17", 1, 553, 1, jsym_f_prevalence_of_very_short_rv},
    {"Prevalence of Short Rhythmic Values", "R-18", 1, 554, 1, jsym_f_prevalence_of_short_rv},
    {"Prevalence of Medium Rhythmic Values", "R-19", 1, 555, 1, jsym_f_prevalence_of_medium_rv},
    {"Prevalence of Long Rhythmic Values", "R-20", 1, 556, 1, jsym_f_prevalence_of_long_rv},
    {"Prevalence of Very Long Rhythmic Values", "R-21", 1, 557, 1, jsym_f_prevalence_of_very_long_rv},
    {"Prevalence of Dotted Notes", "R-22", 1, 558, 0, jsym_f_prevalence_of_dotted_notes},
    {"Shortest Rhythmic Value", "R-23", 1, 559, 0, jsym_f_shortest_rv},
    {"Longest Rhythmic Value", "R-24", 1, 560, 0, jsym_f_longest_rv},
    {"Mean Rhythmic Value", "R-25", 1, 561, 0, jsym_f_mean_rv},
    {"Most Common Rhythmic Value", "R-26", 1, 562, 1, jsym_f_most_common_rhythmic_value},
    {"Prevalence of Most Common Rhythmic Value", "R-27", 1, 563, 1, jsym_f_prevalence_of_most_common_rv},
    {"Relative Prevalence of Most Common Rhythmic Values", "R-28", 1, 564, 0, jsym_f_relative_prevalence_of_most_common_rv},
    {"Difference Between Most Common Rhythmic Values", "R-29", 1, 565, 0, jsym_f_difference_between_most_common_rv},
    {"Rhythmic Value Variability", "R-30", 1, 566, 1, jsym_f_rhythmic_value_variability},
    {"Rhythmic Value Skewness", "R-31", 1, 567, 0, jsym_f_rv_skewness},
    {"Rhythmic Value Kurtosis", "R-32", 1, 568, 1, jsym_f_rhythmic_value_kurtosis},
    {"Rhythmic Value Median Run Lengths Histogram", "R-33", 12, 569, 1, jsym_f_rv_median_run_lengths_histogram},
    {"Mean Rhythmic Value Run Length", "R-34", 1, 581, 1, jsym_f_mean_rhythmic_value_run_length},
    {"Median Rhythmic Value Run Length", "R-35", 1, 582, 0, jsym_f_median_rv_run_length},
    {"Variability in Rhythmic Value Run Lengths", "R-36", 1, 583, 1, jsym_f_variability_in_rv_run_lengths},
    {"Rhythmic Value Variability in Run Lengths Histogram", "R-37", 12, 584, 1, jsym_f_rv_variability_in_run_lengths_histogram},
    {"Mean Rhythmic Value Offset", "R-38", 1, 596, 0, jsym_f_mean_rv_offset},
    {"Median Rhythmic Value Offset", "R-39", 1, 597, 0, jsym_f_median_rv_offset},
    {"Variability of Rhythmic Value Offsets", "R-40", 1, 598, 1, jsym_f_variability_of_rv_offsets},
    {"Complete Rests Fraction", "R-41", 1, 599, 0, jsym_f_complete_rests_fraction},
    {"Partial Rests Fraction", "R-42", 1, 600, 0, jsym_f_partial_rests_fraction},
    {"Average Rest Fraction Across Voices", "R-43", 1, 601, 0, jsym_f_average_rest_fraction_across_voices},
    {"Longest Complete Rest", "R-44", 1, 602, 0, jsym_f_longest_complete_rest},
    {"Longest Partial Rest", "R-45", 1, 603, 0, jsym_f_longest_partial_rest},
    {"Mean Complete Rest Duration", "R-46", 1, 604, 0, jsym_f_mean_complete_rest_duration},
    {"Mean Partial Rest Duration", "R-47", 1, 605, 0, jsym_f_mean_partial_rest_duration},
    {"Median Complete Rest Duration", "R-48", 1, 606, 0, jsym_f_median_complete_rest_duration},
    {"Median Partial Rest Duration", "R-49", 1, 607, 0, jsym_f_median_partial_rest_duration},
    {"Variability of Complete Rest Durations", "R-50", 1, 608, 0, jsym_f_variability_of_complete_rest_durations},
    {"Variability of Partial Rest Durations", "R-51", 1, 609, 0, jsym_f_variability_of_partial_rest_durations},
    {"Variability Across Voices of Combined Rests", "R-52", 1, 610, 0, jsym_f_variability_across_voices_of_combined_rests},
    {"Beat Histogram Tempo Standardized", "R-53", 161, 611, 1, jsym_f_beat_histogram_tempo_standardized},
    {"Number of Strong Rhythmic Pulses - Tempo Standardized", "R-54", 1, 772, 0, jsym_f_number_of_strong_pulses_std},
    {"Number of Moderate Rhythmic Pulses - Tempo Standardized", "R-55", 1, 773, 0, jsym_f_number_of_moderate_pulses_std},
    {"Number of Relatively Strong Rhythmic Pulses - Tempo Standardized", "R-56", 1, 774, 1, jsym_f_number_of_relatively_strong_pulses_std},
    {"Strongest Rhythmic Pulse - Tempo Standardized", "R-57", 1, 775, 0, jsym_f_strongest_pulse_std},
    {"Second Strongest Rhythmic Pulse - Tempo Standardized", "R-58", 1, 776, 0, jsym_f_second_strongest_pulse_std},
    {"Harmonicity of Two Strongest Rhythmic Pulses - Tempo Standardized", "R-59", 1, 777, 1, jsym_f_harmonicity_of_two_strongest_pulses_std},
    {"Strength of Strongest Rhythmic Pulse - Tempo Standardized", "R-60", 1, 778, 1, jsym_f_strength_of_strongest_pulse_std},
    {"Strength of Second Strongest Rhythmic Pulse - Tempo Standardized", "R-61", 1, 779, 1, jsym_f_strength_of_second_strongest_pulse_std},
    {"Strength Ratio of Two Strongest Rhythmic Pulses - Tempo Standardized", "R-62", 1, 780, 0, jsym_f_strength_ratio_of_two_strongest_pulses_std},
    {"Combined Strength of Two Strongest Rhythmic Pulses - Tempo Standardized", "R-63", 1, 781, 0, jsym_f_combined_strength_of_two_strongest_pulses_std},
    {"Rhythmic Variability - Tempo Standardized", "R-64", 1, 782, 0, jsym_f_rhythmic_variability_std},
    {"Rhythmic Looseness - Tempo Standardized", "R-65", 1, 783, 1, jsym_f_rhythmic_looseness_std},
    {"Polyrhythms - Tempo Standardized", "R-66", 1, 784, 0, jsym_f_polyrhythms_std},
    {"Initial Tempo", "RT-1", 1, 785, 0, jsym_f_initial_tempo},
    {"Mean Tempo", "RT-2", 1, 786, 0, jsym_f_mean_tempo},
    {"Tempo Variability", "RT-3", 1, 787, 0, jsym_f_tempo_variability},
    {"Duration in Seconds", "RT-4", 1, 788, 1, jsym_f_duration_in_seconds},
    {"Note Density", "RT-5", 1, 789, 0, jsym_f_note_density},
    {"Note Density Variability", "RT-6", 1, 790, 0, jsym_f_note_density_variability},
    {"Average Time Between Attacks", "RT-7", 1, 791, 0, jsym_f_average_time_between_attacks},
    {"Average Time Between Attacks for Each Voice", "RT-8", 1, 792, 0, jsym_f_average_time_between_attacks_for_each_voice},
    {"Variability of Time Between Attacks", "RT-9", 1, 793, 1, jsym_f_variability_of_time_between_attacks},
    {"Average Variability of Time Between Attacks for Each Voice", "RT-10", 1, 794, 0, jsym_f_average_variability_of_time_between_attacks_for_each_voice},
    {"Minimum Note Duration", "RT-11", 1, 795, 0, jsym_f_minimum_note_duration},
    {"Maximum Note Duration", "RT-12", 1, 796, 0, jsym_f_maximum_note_duration},
    {"Average Note Duration", "RT-13", 1, 797, 0, jsym_f_average_note_duration},
    {"Variability of Note Durations", "RT-14", 1, 798, 0, jsym_f_variability_of_note_durations},
    {"Amount of Staccato", "RT-15", 1, 799, 0, jsym_f_amount_of_staccato},
    {"Beat Histogram", "RT-16", 161, 800, 0, jsym_f_beat_histogram},
    {"Number of Strong Rhythmic Pulses", "RT-17", 1, 961, 0, jsym_f_number_of_strong_pulses},
    {"Number of Moderate Rhythmic Pulses", "RT-18", 1, 962, 0, jsym_f_number_of_moderate_pulses},
    {"Number of Relatively Strong Rhythmic Pulses", "RT-19", 1, 963, 0, jsym_f_number_of_relatively_strong_pulses},
    {"Strongest Rhythmic Pulse", "RT-20", 1, 964, 0, jsym_f_strongest_pulse},
    {"Second Strongest Rhythmic Pulse", "RT-21", 1, 965, 0, jsym_f_second_strongest_pulse},
    {"Harmonicity of Two Strongest Rhythmic Pulses", "RT-22", 1, 966, 0, jsym_f_harmonicity_of_two_strongest_pulses},
    {"Strength of Strongest Rhythmic Pulse", "RT-23", 1, 967, 0, jsym_f_strength_of_strongest_pulse},
    {"Strength of Second Strongest Rhythmic Pulse", "RT-24", 1, 968, 0, jsym_f_strength_of_second_strongest_pulse},
    {"Strength Ratio of Two Strongest Rhythmic Pulses", "RT-25", 1, 969, 0, jsym_f_strength_ratio_of_two_strongest_pulses},
    {"Combined Strength of Two Strongest Rhythmic Pulses", "RT-26", 1, 970, 0, jsym_f_combined_strength_of_two_strongest_pulses},
    {"Rhythmic Variability", "RT-27", 1, 971, 0, jsym_f_rhythmic_variability},
    {"Rhythmic Looseness", "RT-28", 1, 972, 0, jsym_f_rhythmic_looseness},
    {"Polyrhythms", "RT-29", 1, 973, 0, jsym_f_polyrhythms},
    {"Pitched Instruments Present", "I-1", 128, 974, 0, jsym_f_pitched_instruments_present},
    {"Unpitched Instruments Present", "I-2", 47, 1102, 0, jsym_f_unpitched_instruments_present},
    {"Note Prevalence of Pitched Instruments", "I-3", 128, 1149, 0, jsym_f_note_prevalence_of_pitched_instruments},
    {"Note Prevalence of Unpitched Instruments", "I-4", 47, 1277, 0, jsym_f_note_prevalence_of_unpitched_instruments},
    {"Time Prevalence of Pitched Instruments", "I-5", 128, 1324, 0, jsym_f_time_prevalence_of_pitched_instruments},
    {"Variability of Note Prevalence of Pitched Instruments", "I-6", 1, 1452, 0, jsym_f_variability_of_note_prevalence_of_pitched_instruments},
    {"Variability of Note Prevalence of Unpitched Instruments", "I-7", 1, 1453, 0, jsym_f_variability_of_note_prevalence_of_unpitched_instruments},
    {"Number of Pitched Instruments", "I-8", 1, 1454, 0, jsym_f_number_of_pitched_instruments},
    {"Number of Unpitched Instruments", "I-9", 1, 1455, 0, jsym_f_number_of_unpitched_instruments},
    {"Unpitched Percussion Instrument Prevalence", "I-10", 1, 1456, 0, jsym_f_unpitched_percussion_instrument_prevalence},
    {"String Keyboard Prevalence", "I-11", 1, 1457, 0, jsym_f_string_keyboard_prevalence},
    {"Acoustic Guitar Prevalence", "I-12", 1, 1458, 0, jsym_f_acoustic_guitar_prevalence},
    {"Electric Guitar Prevalence", "I-13", 1, 1459, 0, jsym_f_electric_guitar_prevalence},
    {"Violin Prevalence", "I-14", 1, 1460, 0, jsym_f_violin_prevalence},
    {"Saxophone Prevalence", "I-15", 1, 1461, 0, jsym_f_saxophone_prevalence},
    {"Brass Prevalence", "I-16", 1, 1462, 0, jsym_f_brass_prevalence},
    {"Woodwinds Prevalence", "I-17", 1, 1463, 0, jsym_f_woodwinds_prevalence},
    {"Orchestral Strings Prevalence", "I-18", 1, 1464, 0, jsym_f_orchestral_strings_prevalence},
    {"String Ensemble Prevalence", "I-19", 1, 1465, 0, jsym_f_string_ensemble_prevalence},
    {"Electric Instrument Prevalence", "I-20", 1, 1466, 0, jsym_f_electric_instrument_prevalence},
    {"Maximum Number of Independent Voices", "T-1", 1, 1467, 0, jsym_f_maximum_number_of_independent_voices},
    {"Average Number of Independent Voices", "T-2", 1, 1468, 0, jsym_f_average_number_of_independent_voices},
    {"Variability of Number of Independent Voices", "T-3", 1, 1469, 0, jsym_f_variability_of_number_of_independent_voices},
    {"Voice Equality - Number of Notes", "T-4", 1, 1470, 0, jsym_f_voice_equality_number_of_notes},
    {"Voice Equality - Note Duration", "T-5", 1, 1471, 0, jsym_f_voice_equality_note_duration},
    {"Voice Equality - Dynamics", "T-6", 1, 1472, 0, jsym_f_voice_equality_dynamics},
    {"Voice Equality - Melodic Leaps", "T-7", 1, 1473, 0, jsym_f_voice_equality_melodic_leaps},
    {"Voice Equality - Range", "T-8", 1, 1474, 0, jsym_f_voice_equality_range},
    {"Importance of Loudest Voice", "T-9", 1, 1475, 0, jsym_f_importance_of_loudest_voice},
    {"Relative Range of Loudest Voice", "T-10", 1, 1476, 0, jsym_f_relative_range_of_loudest_voice},
    {"Relative Range Isolation of Loudest Voice", "T-11", 1, 1477, 0, jsym_f_relative_range_isolation_of_loudest_voice},
    {"Relative Range of Highest Line", "T-12", 1, 1478, 0, jsym_f_relative_range_of_highest_line},
    {"Relative Note Density of Highest Line", "T-13", 1, 1479, 1, jsym_f_relative_note_density_of_highest_line},
    {"Relative Note Durations of Lowest Line", "T-14", 1, 1480, 0, jsym_f_relative_note_durations_of_lowest_line},
    {"Relative Size of Melodic Intervals in Lowest Line", "T-15", 1, 1481, 0, jsym_f_relative_size_of_melodic_intervals_in_lowest_line},
    {"Voice Overlap", "T-16", 1, 1482, 0, jsym_f_voice_overlap},
    {"Voice Separation", "T-17", 1, 1483, 0, jsym_f_voice_separation},
    {"Variability of Voice Separation", "T-18", 1, 1484, 0, jsym_f_variability_of_voice_separation},
    {"Parallel Motion", "T-19", 1, 1485, 0, jsym_f_parallel_motion},
    {"Similar Motion", "T-20", 1, 1486, 0, jsym_f_similar_motion},
    {"Contrary Motion", "T-21", 1, 1487, 1, jsym_f_contrary_motion},
    {"Oblique Motion", "T-22", 1, 1488, 0, jsym_f_oblique_motion},
    {"Parallel Fifths", "T-23", 1, 1489, 0, jsym_f_parallel_fifths},
    {"Parallel Octaves", "T-24", 1, 1490, 0, jsym_f_parallel_octaves},
    {"Dynamic Range", "D-1", 1, 1491, 0, jsym_f_dynamic_range},
    {"Variation of Dynamics", "D-2", 1, 1492, 1, jsym_f_variation_of_dynamics},
    {"Variation of Dynamics In Each Voice", "D-3", 1, 1493, 0, jsym_f_variation_of_dynamics_in_each_voice},
    {"Average Note to Note Change in Dynamics", "D-4", 1, 1494, 1, jsym_f_average_note_to_note_change_in_dynamics},
};

const int16_t emg_jsym_emogen100[100] = {
    130, 131, 132, 133, 136, 137, 152, 156, 157, 158, 159, 162, 163, 164, 172, 175, 190, 192, 194,
    202, 206, 226, 233, 238, 322, 324, 332, 337, 339, 341, 343, 349, 351, 355, 358, 364, 373, 376,
    378, 380, 381, 382, 385, 386, 390, 393, 470, 479, 483, 484, 488, 495, 500, 512, 513, 516, 521,
    524, 534, 535, 537, 539, 540, 541, 542, 543, 544, 545, 546, 547, 548, 549, 553, 554, 555, 556,
    557, 562, 563, 566, 568, 579, 581, 583, 585, 586, 590, 598, 643, 774, 777, 778, 779, 783, 788,
    793, 1479, 1487, 1492, 1494
};

int emg_jsym_feature_dims(int f) { return f >= 0 && f < EMG_JSYM_NFEATURES ? table[f].dims : 0; }
int emg_jsym_feature_offset(int f) { return f >= 0 && f < EMG_JSYM_NFEATURES ? table[f].offset : -1; }
const char *emg_jsym_feature_name(int f) { return f >= 0 && f < EMG_JSYM_NFEATURES ? table[f].name : NULL; }
const char *emg_jsym_feature_code(int f) { return f >= 0 && f < EMG_JSYM_NFEATURES ? table[f].code : NULL; }
int emg_jsym_feature_implemented(int f) { return f >= 0 && f < EMG_JSYM_NFEATURES && table[f].fn != NULL; }
int emg_jsym_feature_in_emogen(int f) { return f >= 0 && f < EMG_JSYM_NFEATURES && table[f].emogen; }

jsym_feature_fn jsym_feature_function(int f) { return f >= 0 && f < EMG_JSYM_NFEATURES ? table[f].fn : NULL; }

int emg_jsym_find_feature(const char *name) {
    for (int f = 0; f < EMG_JSYM_NFEATURES; f++)
        if (!strcmp(table[f].name, name)) return f;
    return -1;
}

int emg_jsym_value_feature(int v) {
    if (v < 0 || v >= EMG_JSYM_NVALUES) return -1;
    int lo = 0, hi = EMG_JSYM_NFEATURES - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (table[mid].offset <= v) lo = mid; else hi = mid - 1;
    }
    return lo;
}

void emg_jsym_value_name(int v, char *buf, size_t n) {
    int f = emg_jsym_value_feature(v);
    if (f < 0) { snprintf(buf, n, "?"); return; }
    if (table[f].dims == 1) snprintf(buf, n, "%s", table[f].name);
    else snprintf(buf, n, "%s_%d", table[f].name, v - table[f].offset);
}

int emg_jsym_find_value(const char *name) {
    int f = emg_jsym_find_feature(name);
    if (f >= 0) return table[f].dims == 1 ? table[f].offset : -1;
    const char *us = strrchr(name, '_');
    if (!us || !us[1]) return -1;
    char *end;
    long k = strtol(us + 1, &end, 10);
    if (*end || k < 0) return -1;
    for (f = 0; f < EMG_JSYM_NFEATURES; f++)
        if (table[f].dims > 1 && strlen(table[f].name) == (size_t)(us - name) &&
            !strncmp(table[f].name, name, (size_t)(us - name)))
            return k < table[f].dims ? table[f].offset + (int)k : -1;
    return -1;
}

void emg_jsym_request_set(emg_jsym_request *req, int set) {
    for (int f = 0; f < EMG_JSYM_NFEATURES; f++) {
        int on = 0;
        switch (set) {
        case JSYM_SET_EMOGEN100: case JSYM_SET_EMOGEN_FEATURES: on = table[f].emogen; break;
        case JSYM_SET_IMPLEMENTED: on = table[f].fn != NULL; break;
        case JSYM_SET_ALL: on = 1; break;
        default: on = 0;
        }
        req->want[f] = (uint8_t)on;
    }
}

static emg_status check_request(const emg_jsym_request *req) {
    for (int f = 0; f < EMG_JSYM_NFEATURES; f++)
        if (req->want[f] && !table[f].fn)
            return emg_statusf(EMG_JSYM_E_REQUEST, "feature '%s' (%s) is not implemented yet", table[f].name, table[f].code);
    return emg_ok();
}

/* the requested features of a built piece; a failure part-way writes nothing to out */
static emg_status compute_piece(jsym_piece *p, const emg_jsym_request *req, double *out, double *tmp) {
    emg_status st = emg_ok();
    for (int f = 0; f < EMG_JSYM_NFEATURES && !st.code; f++)
        if (req->want[f]) st = table[f].fn(p, tmp + table[f].offset);
    if (!st.code)
        for (int f = 0; f < EMG_JSYM_NFEATURES; f++)
            if (req->want[f]) memcpy(out + table[f].offset, tmp + table[f].offset, sizeof(double) * (size_t)table[f].dims);
    return st;
}

emg_status emg_jsym_compute(const uint8_t *midi, size_t len, const emg_jsym_request *req, double *out) {
    emg_status st = check_request(req);
    if (st.code) return st;
    jsym_piece p;
    st = jsym_piece_build(&p, midi, len);
    if (st.code) return st;
    double *tmp = malloc(sizeof(double) * EMG_JSYM_NVALUES);
    if (!tmp) { jsym_piece_free(&p); return emg_statusf(EMG_JSYM_E_LIMIT, "out of memory"); }
    st = compute_piece(&p, req, out, tmp);
    free(tmp);
    jsym_piece_free(&p);
    return st;
}

emg_status emg_jsym_compute_windows(const uint8_t *midi, size_t len, const emg_jsym_request *req, double window_s,
                                    double overlap_s, emg_jsym_window_fn fn, void *ctx) {
    emg_status st = check_request(req);
    if (st.code) return st;
    jsym_piece p;
    st = jsym_piece_build(&p, midi, len);
    if (st.code) return st;
    int32_t *starts = NULL, *ends = NULL, n = 0;
    st = jsym_window_bounds(&p, window_s, overlap_s, 1000000, &starts, &ends, &n);
    if (st.code) { jsym_piece_free(&p); return st; }
    jsym_seq *seqs = xcalloc((size_t)n, sizeof(jsym_seq));
    st = jsym_window_split(&p, starts, ends, n, seqs);
    if (!st.code) {
        double *tmp = xmalloc(sizeof(double) * EMG_JSYM_NVALUES), *vals = xmalloc(sizeof(double) * EMG_JSYM_NVALUES);
        for (int32_t w = 0; w < n; w++) {
            emg_jsym_window info = {w, starts[w], ends[w], jsym_window_seconds_at(&p, starts[w]),
                                    jsym_window_seconds_at(&p, ends[w])};
            if (info.start_s < 0) info.start_s = 0;  /* jSymbolic: "check for non negative" */
            jsym_piece wp;
            emg_status ws = jsym_piece_build_seq(&wp, &seqs[w]);
            if (!ws.code) {
                ws = compute_piece(&wp, req, vals, tmp);
                jsym_piece_free(&wp);
            }
            fn(ctx, &info, ws, ws.code ? NULL : vals);
        }
        free(tmp);
        free(vals);
    }
    for (int32_t w = 0; w < n; w++) jsym_seq_free(&seqs[w]);
    free(seqs);
    free(starts);
    free(ends);
    jsym_piece_free(&p);
    return st;
}
