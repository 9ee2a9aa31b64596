/* window — the kiosk on a screen: a full-screen window that nobody at the
 * screen can close (kiosk mode) or a resizable development window
 * (kiosk.windowed), and the event loop that sleeps until input or the next
 * deadline (the ui's, the watchdog's, the screen-off hours') and draws only
 * when something changed.
 *
 * What may end it: SIGTERM or SIGINT (systemctl stop, Ctrl+C; sigwatch.h),
 * the operator's restart or exit to desktop, and in a development window
 * its close button, Escape and Ctrl+Q. SDL's own signal handlers are off. */
#pragma once

#include "config.h"
#include "kiosk.h"

/* window_run's status when the operator asked for a restart. */
#define WINDOW_RESTART (-100)

/* Runs the kiosk in a window until it is stopped. Returns the exit status:
 * 0 after a signal (or a development window's close), 1 when there is no
 * display or the kiosk cannot start, HOST_EXIT_TO_DESKTOP_STATUS, or
 * WINDOW_RESTART (the caller restarts the program). */
int window_run(const config *c, const kiosk_args *args);
