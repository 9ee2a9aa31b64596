/* waiter — how the event loop sleeps until input or the next deadline.
 *
 * SDL 2.26 blocks in SDL_WaitEventTimeout only where the video backend can
 * (X11, Wayland); elsewhere, notably KMSDRM on a Pi without X, it polls with
 * SDL_Delay(1): little CPU, but ~1000 wake-ups a second. waiter_measure
 * looks once: if a 60 ms wait wakes the process more than a few times,
 * waits are replaced by our own sleeps that lengthen while nobody touches
 * the screen. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "deadline.h"

typedef struct {
    bool polls;          /* the backend busy-polls inside WaitEventTimeout */
    uint32_t last_input; /* SDL ticks of the last input, for the adaptive sleep */
} waiter;

/* Starts with the blocking wait (input "now"), then measures the video
 * driver (about 60 ms; events that arrive meanwhile are kept) and logs
 * which wait it uses. Call after the window is shown. */
void waiter_init(waiter *wt);

/* Input arrived at now: sleeps are short for a while. */
void waiter_input(waiter *wt, uint32_t now);

/* Waits for an event until d (or until one comes, when d is unset).
 * Returns 1 with *ev, or 0 when d passed first. */
int waiter_wait(waiter *wt, SDL_Event *ev, deadline d);
