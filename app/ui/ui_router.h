/* ui_router — which view shows a route, and switching to it. The calls
 * views make (ui_go, ui_back, ui_home, ui_go_operator) and the public ones
 * (ui_navigate, ui_set_store, ui_current_route) are declared elsewhere;
 * these are for the rest of the ui core. Inside app/ui only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "route.h"
#include "ui.h"

/* Switches to route r. push: remember the current screen for Back;
 * restore_scroll: an offset to scroll the new view to (Back). Returns 0,
 * or -1 with err when r names nothing: the screen then stays as it was. */
int ui_switch_to(ui *u, route r, bool push, int restore_scroll, char *err, size_t errcap);

/* Leaves the current view (frees its state): no view is shown after. */
void ui_drop_view(ui *u);

/* True on the operator's screens and their PIN keypad. */
bool ui_on_operator_screen(const ui *u);
