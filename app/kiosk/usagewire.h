/* usagewire — the ui's usage events (ui_observer) counted into the usage
 * log of the state directory (usagelog.h), and the log's writes woven into
 * the main loop. On when [usage] counters is on and there is a state
 * directory. The ui knows only its observer; this is the one place that
 * knows both sides. */
#pragma once

#include <stdint.h>

#include "config.h"
#include "deadline.h"
#include "ui.h"
#include "usage.h"

typedef struct usagewire usagewire;

/* Opens the log and observes u. Returns NULL (logged when it is a
 * failure) when the counters are off or cannot be kept. */
usagewire *usagewire_start(const config *c, ui *u);

/* Stops observing, writes what is counted and frees (NULL is fine). */
void usagewire_stop(usagewire *w);

/* When the loop must wake to write counts (unset: nothing waits). */
deadline usagewire_deadline(const usagewire *w, uint32_t now);

/* Writes the counts when their time has come. */
void usagewire_tick(usagewire *w, uint32_t now);

/* Totals of today and of the days kept, for the operator screen and the
 * reports. Returns 0, or -1 when there are no counters (w NULL). */
int usagewire_totals(const usagewire *w, usage_totals *today, usage_totals *kept);
