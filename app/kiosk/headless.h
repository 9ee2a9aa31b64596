/* headless — the kiosk drawing into memory with the software renderer: the
 * --screenshot mode, and what tests and tools drive without a display. */
#pragma once

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "kiosk.h"
#include "render.h"
#include "speech.h"
#include "store.h"
#include "ui.h"

typedef struct {
    SDL_Surface *surface;   /* the picture */
    void *pixels;           /* its memory (huge pages where given) */
    speech *voice;          /* read-aloud (silent unless something is read) */
    SDL_Renderer *sdl;      /* software renderer on surface */
    render *r;
    store *st;              /* NULL when no bundle opened (out-of-service screen) */
    char reason[512];       /* then: why (the last bundle tried) */
    ui *u;
    uint32_t now;           /* virtual time, ms */
} headless;

/* Builds a headless kiosk of w×h with the settings c on its content
 * (bundle: that file only, or NULL: the fallback chain of app.h). A bundle
 * that does not open is not a failure (out-of-service screen). Returns 0,
 * or -1 with err (SDL, fonts, memory) and k zeroed. */
int headless_open(headless *k, const config *c, const char *bundle, int w, int h, char *err, size_t errcap);

/* Frees everything headless_open made (a zeroed struct is fine). */
void headless_close(headless *k);

/* --screenshot: opens args->open, replays args->script, lets animations
 * settle and writes the PNG; the operator screen shows the real status of
 * the state directory. Returns the exit status: 0; 1 when it failed, or
 * when no content opened (the out-of-service picture is still written and
 * the message says why); 2: a bad script. */
int headless_screenshot(const config *c, const kiosk_args *args);
