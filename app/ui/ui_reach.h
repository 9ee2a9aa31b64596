/* ui_reach — reach mode, for people who cannot reach the top of a tall
 * kiosk (from a wheelchair, at a portrait screen on a stand): on tall
 * screens a strip along the bottom holds a button that pulls the whole ui
 * into the lower half of the screen, as a phone's reachability does. The
 * button again, a tap on the empty upper part, or the idle reset brings it
 * back. Inside app/ui only.
 *
 * The ui's area (u->w × u->h, what views lay out in) is then the lower half
 * above the strip; ui_draw moves the renderer's viewport there, and pointer
 * coordinates come in screen coordinates and are moved into the area. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ui_private.h"

/* Whether the screen is tall enough to offer reach mode: portrait, or
 * (with a configured density) at least 35 cm high. */
bool ui_reach_offered(const ui *u);

/* Sets the ui's area (u->w, u->h, u->top, u->strip_h) from the screen size,
 * the theme and reach mode. Called with every new theme. */
void ui_reach_layout(ui *u);

/* Turns reach mode on or off (the strip's button). */
void ui_reach_toggle(ui *u);

/* Draws what lies outside the ui's area, in screen coordinates: the upper
 * part that brings the screen back in reach mode. */
void ui_reach_draw_outside(ui *u);

/* Draws the strip and its button under the ui's area (area coordinates). */
void ui_reach_draw_strip(ui *u);

/* Moves a pointer event's y from the screen into the ui's area. False when
 * the event is the upper part's (a finger down there leaves reach mode,
 * and the rest of that touch goes nowhere). */
bool ui_reach_pointer(ui *u, ui_pointer_phase phase, int64_t id, float *y);
