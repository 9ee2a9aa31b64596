/* ui — the kiosk's screens, navigation, touch handling and idle reset.
 *
 * Owns what a citizen sees: the top bar, the screens behind the routes of
 * design.md (home, category, item, deck, search), the on-screen keyboard,
 * press feedback and kinetic scrolling. It is driven from outside: the kiosk
 * loop (or a test) feeds pointer events and the time, asks when it must next
 * be woken, and asks it to draw when something changed. It never touches the
 * network and never writes the bundle.
 *
 * Times are uint32 milliseconds from any monotonic origin (SDL_GetTicks). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render.h"
#include "store.h"

typedef struct ui ui;

typedef struct {
    char default_lang[4];    /* language after start and after an idle reset */
    int idle_reset_s;        /* seconds without input before the reset (0: never) */
    int attract_s;           /* seconds idle on home before the featured cards cycle */
    float dpi;               /* screen density; 0 when unknown */
    int default_text_step;   /* 0..THEME_TEXT_STEPS-1 */
} ui_config;

/* Defaults: kk, 90 s idle reset, 30 s to attract mode, unknown dpi, step 0. */
ui_config ui_config_default(void);

/* Creates the UI on a render context. s may be NULL: the UI then shows the
 * "out of service" screen with reason (why no content could be opened). */
ui *ui_create(const ui_config *cfg, store *s, const char *reason, render *r, int w, int h, uint32_t now);

/* Frees the UI (not the store or the render context). */
void ui_destroy(ui *u);

/* Goes to a route ("item/constitution#art43-5"). Returns 0, or -1 with a
 * reason when the route is malformed or names nothing in the bundle; the
 * screen then stays where it was. */
int ui_navigate(ui *u, const char *route, uint32_t now, char *err, size_t errcap);

/* Writes the current route into out. */
void ui_current_route(const ui *u, char *out, size_t cap);

/* Current UI language ("kk", "ru", "en"). */
const char *ui_lang(const ui *u);

/* Sets the UI language (as the top bar's language button does). */
void ui_set_lang(ui *u, const char *lang, uint32_t now);

/* The screen changed size. */
void ui_resize(ui *u, int w, int h);

/* Pointer input (touch finger id or -1 for the mouse), in screen pixels. */
void ui_pointer_down(ui *u, int64_t id, float x, float y, uint32_t now);
void ui_pointer_move(ui *u, int64_t id, float x, float y, uint32_t now);
void ui_pointer_up(ui *u, int64_t id, float x, float y, uint32_t now);

/* A key on a physical keyboard, if one is plugged in: "backspace", "return",
 * or text (UTF-8) typed into the search field. */
void ui_key(ui *u, const char *name, uint32_t now);
void ui_text_input(ui *u, const char *utf8, uint32_t now);

/* Lets time pass: animations, long presses, attract mode, idle reset. */
void ui_tick(ui *u, uint32_t now);

/* When the UI must next be woken (absolute ms) if nothing else happens.
 * Returns false when it can sleep until the next input. */
bool ui_next_deadline(const ui *u, uint32_t now, uint32_t *deadline);

/* True when the screen must be redrawn. */
bool ui_dirty(const ui *u);

/* Draws the whole screen into the render context's renderer. */
void ui_draw(ui *u);

/* Swaps in new content between frames; stays on the same item (or goes home
 * when it no longer exists). The old store is the caller's to close. */
void ui_set_store(ui *u, store *s, uint32_t now);

/* For scripts: where to tap to type the character ch (one UTF-8 character)
 * on the on-screen keyboard. When the keyboard first needs another layout or
 * shift, returns the position of that key instead and *done = false.
 * Returns -1 when the keyboard is not shown or no layout has ch. */
int ui_keyboard_locate(ui *u, const char *ch, float *x, float *y, bool *done);

/* Counters for tests and the benchmark. */
typedef struct {
    unsigned frames;         /* ui_draw calls */
    unsigned idle_resets;
    unsigned navigations;
} ui_stats;
ui_stats ui_get_stats(const ui *u);

/* For tests and scripts: the centre of a visible target that leads to route
 * (as drawn in the last frame), or of a top-bar button named "@home",
 * "@back", "@lang", "@text-size". Returns 0, or -1 when none is on screen. */
int ui_locate_route(ui *u, const char *route, float *x, float *y);

/* For tests: the message shown at the bottom of the screen, or "". */
const char *ui_toast_text(const ui *u);

/* For tests: draws the screen and checks that every tappable area lies
 * within the screen's width and is at least the minimum touch size (or
 * is a link in running text). Returns the number of problems, the first
 * described in err. */
int ui_check_layout(ui *u, char *err, size_t errcap);
