/* deadline — an optional moment on the 32-bit millisecond clock
 * (SDL_GetTicks, virtual time in tests), and the earliest of several.
 *
 * Every part of the kiosk that must be woken without input (the ui's
 * animations and idle reset, gestures, the watchdog, screen-off hours) says
 * so with one of these; the loop sleeps until the earliest. Comparisons are
 * made relative to now, so they stay right across the clock's wrap after
 * 49.7 days. Pure. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    bool set;       /* false: nothing to wake for */
    uint32_t at;    /* when, if set */
} deadline;

/* No deadline: sleep until input. */
static inline deadline deadline_none(void)
{
    return (deadline){false, 0};
}

/* A deadline at t. */
static inline deadline deadline_at(uint32_t t)
{
    return (deadline){true, t};
}

/* The earlier of a and b (an unset one never wins), judged from now. */
deadline deadline_min(deadline a, deadline b, uint32_t now);

/* Milliseconds from now until d (negative when past); d must be set. */
int32_t deadline_left(deadline d, uint32_t now);
