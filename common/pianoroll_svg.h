/* pianoroll_svg.h: a piano-roll picture of a score as a standalone SVG (time across, pitch up; one
 * colour per instrument; bar lines), for people to look at generated music in a browser. */
#pragma once
#include "midi_score.h"

/* 0, or -1 with errno */
int emg_pianoroll_svg(const emg_score *s, const char *title, const char *path);
