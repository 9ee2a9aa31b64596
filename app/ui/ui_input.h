/* ui_input — what the ui does with input besides the public calls of ui.h
 * (ui_pointer_*, ui_key, ui_text_input): time for gestures and the hidden
 * corner gesture. Inside app/ui only. */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "ui.h"

/* Lets time pass for gestures (long presses, flings) and the corner hold. */
void ui_input_tick(ui *u, uint32_t now);

/* When a gesture or the corner hold must next be looked at. */
deadline ui_input_deadline(const ui *u, uint32_t now);
