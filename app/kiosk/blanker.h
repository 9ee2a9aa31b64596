/* blanker — the screen-off hours (kiosk.screen_off).
 *
 * Inside the configured window, once the idle reset time (or a minute)
 * has passed without touch, the screen is drawn black once and nothing more
 * is drawn; the loop wakes once a minute to look at the clock. A touch
 * wakes the screen, and that touch does nothing else. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "deadline.h"
#include "schedule.h"
#include "ui.h"

typedef struct {
    schedule_cfg window;  /* only the window fields are used */
    bool enabled;         /* screen_off names valid hours */
    bool off;             /* the screen is blank now */
    uint32_t woken_at;    /* last input, SDL ticks */
    uint32_t after_ms;    /* untouched this long before the screen goes off */
} blanker;

/* Reads screen_off and idle_reset from c (bad hours: a warning, never off). */
void blanker_init(blanker *b, const config *c, uint32_t now);

/* Blanks sdl's screen when it is time. Returns true while it is off. */
bool blanker_update(blanker *b, SDL_Renderer *sdl, uint32_t now);

/* Input arrived. Returns true when it only woke the screen (the caller
 * swallows it); then u is asked to draw everything again at w×h. */
bool blanker_input(blanker *b, ui *u, int w, int h, uint32_t now);

/* When the blanker must look at the clock again. */
deadline blanker_deadline(const blanker *b, uint32_t now);
