/* ui_input — what the ui does with input besides the public calls of ui.h
 * (ui_pointer_*, ui_key, ui_text_input): time for gestures and the hidden
 * corner gesture. Inside app/ui only. */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "targets.h"
#include "ui.h"

/* A tap on target t: a link is followed, the bar's own are the bar's,
 * the rest are the view's (speech mode's double tap does the same). */
void ui_input_perform(ui *u, const ui_target *t);

/* Lets time pass for gestures (long presses, flings), the corner hold and
 * speech mode's holds and taps. */
void ui_input_tick(ui *u, uint32_t now);

/* When a gesture or the corner hold must next be looked at. */
deadline ui_input_deadline(const ui *u, uint32_t now);
