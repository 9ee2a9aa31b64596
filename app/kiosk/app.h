/* app — what runs on a renderer: the drawing context, the content and the
 * screens, started the same way for a window and for a headless kiosk.
 *
 * The content is the first bundle of the fallback chain that opens:
 * --bundle when given; else the state directory's live bundle, the one
 * before it, and the fallback bundle shipped with the program, so a damaged
 * update never leaves the screen blank. When none opens the ui shows the
 * out-of-service screen with the reason: no content is not a failure. */
#pragma once

#include <SDL.h>
#include <stdint.h>

#include "config.h"
#include "render.h"
#include "speech.h"
#include "store.h"
#include "ui.h"

typedef struct {
    render *r;
    store *s;       /* NULL: nothing opened (out of service) */
    ui *u;
    speech *voice;  /* read-aloud; loads nothing until first used */
    char reason[512]; /* when s is NULL: why the last bundle tried did not open */
} app;

/* The ui's settings from the config: the one place ui_config is filled. */
ui_config app_ui_config(const config *c);

/* Starts the ui on sdl at w×h on c's content (bundle: --bundle, or NULL).
 * Returns 0, or -1 after a message on stderr (fonts, memory); then
 * app_stop frees what was made. */
int app_start(app *a, const config *c, const char *bundle, SDL_Renderer *sdl, int w, int h, uint32_t now);

/* Frees everything app_start made (a zeroed app is fine). */
void app_stop(app *a);

/* Swaps in the bundle at path between frames (a sync installed it); the
 * old one stays until the new one has opened. Returns 0, or -1 (logged)
 * when it does not open and the old one stays. */
int app_swap_bundle(app *a, const char *path, uint32_t now);
