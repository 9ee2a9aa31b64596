/* ui_session — the idle reset that gives the next person a clean screen,
 * and attract mode on an untouched home screen. Inside app/ui only. */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "ui.h"

/* Input came: the idle clock starts again and attract mode ends. */
void ui_session_input(ui *u, uint32_t now);

/* Lets time pass: the idle reset, and attract mode on the home screen. */
void ui_session_tick(ui *u, uint32_t now);

/* When the idle reset or attract mode is due, if ever. */
deadline ui_session_deadline(const ui *u, uint32_t now);
