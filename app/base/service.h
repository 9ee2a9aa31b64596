/* service — what systemd sees of the kiosk (the sd_notify protocol, spoken
 * here without libsystemd): READY=1 once the first frame is on the screen,
 * a STATUS= line, and WATCHDOG=1 pings from the main loop at half the unit's WatchdogSec, so a
 * hung loop is killed and restarted. Without systemd (no NOTIFY_SOCKET)
 * every call does nothing and there is no ping deadline. */
#pragma once

#include <stdbool.h>

#include "deadline.h"
#include <stdint.h>

/* Reads the watchdog interval systemd gave us (WATCHDOG_USEC). */
void service_init(uint32_t now);

/* Tells systemd the kiosk is up, with a status line. */
void service_ready(const char *status);

/* Updates the status line systemctl shows. */
void service_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* When the next watchdog ping is due; false without a watchdog. */
deadline service_deadline(void);

/* Pings the watchdog if a ping is due (call from the main loop only, so a
 * stuck loop stops the pings). */
void service_tick(uint32_t now);
