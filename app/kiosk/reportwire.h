/* reportwire — the kiosk's check-in reports: the config's [report] keys
 * turned into a reporter (the one place), what the kiosk knows about
 * itself gathered into a report on the main thread (versions from the
 * open bundle and the state directory, the sync's status, the screen and
 * its kind, uptime, restarts since boot, disk, memory), handed to the
 * reporter's thread after each sync turn and every [report] interval, and
 * `--report-once`. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "config.h"
#include "deadline.h"

typedef struct reportwire reportwire;

/* Starts reporting when c has a [report] url; also counts this start in
 * STATE/restarts. NULL when there is nothing to report to, or it cannot
 * start (logged). now: SDL ticks. */
reportwire *reportwire_start(const config *c, uint32_t now);

/* Stops the reporter (an upload in progress is aborted). NULL is fine. */
void reportwire_stop(reportwire *rw);

/* A sync turn ended: a report is due now. */
void reportwire_sync_turn(reportwire *rw, uint32_t now);

/* When the next report is due (unset for a NULL reportwire). */
deadline reportwire_deadline(const reportwire *rw, uint32_t now);

/* Submits a report of a (w×h screen on sdl) when one is due; with it, at
 * most once a day and only when idle_home (nobody has touched the kiosk
 * for the idle time and it shows home), a picture of the screen, drawn
 * again for it. */
void reportwire_tick(reportwire *rw, const app *a, SDL_Renderer *sdl, int w, int h, bool idle_home, uint32_t now);

/* --report-once: gathers the report without a screen (the live bundle,
 * else the fallback, for the content version) and uploads it on this
 * thread; one line on stdout (its size and time) or stderr (why not).
 * Returns 0, or 1. */
int reportwire_once(const config *c);
