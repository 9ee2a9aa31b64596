/* ui_bar — the top bar above a view: the citizen's (Home, Back, the title
 * or the view's field, search, language, text size) or the operator's
 * (title, language, the view's Close). Inside app/ui only. */
#pragma once

#include "targets.h"
#include "ui.h"

/* Draws the bar the current view asks for and registers its targets. */
void ui_bar_draw(ui *u);

/* Draws the language sheet when it is open (over everything but toasts):
 * the three languages under the language button; a tap elsewhere closes it. */
void ui_bar_sheet_draw(ui *u);

/* A tap on one of the bar's targets (TARGET_BAR). */
void ui_bar_tap(ui *u, target_id id);
