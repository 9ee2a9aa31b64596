/* replay — input scripts (script.h) played on a ui in virtual time, as
 * headless screenshots, tests and tools drive the kiosk without a display.
 *
 * Time advances frame by frame (FRAME_MS, what a 60 Hz screen sees), and
 * jumps straight to the ui's next deadline when nothing animates; the ui
 * draws whenever something changed, so taps land where buttons are drawn. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "script.h"
#include "ui.h"

/* Virtual frame step while replaying: a 60 Hz screen. */
#define REPLAY_FRAME_MS 16u
/* replay_settle waits at most this long (virtual) for animations to end. */
#define REPLAY_SETTLE_MAX_MS 5000u

/* Plays every step of sc on u (*now advances as the steps say). Returns 0,
 * or -1 with "line N: reason" in err. */
int replay_script(ui *u, const script *sc, uint32_t *now, char *err, size_t errcap);

/* Lets virtual time run until the ui stops animating (flings, page turns,
 * jumps), at most REPLAY_SETTLE_MAX_MS: before a picture is taken. */
void replay_settle(ui *u, uint32_t *now);
