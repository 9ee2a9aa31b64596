/* syncwire — the kiosk's content updates wired to the sync module: the
 * config's [sync] and [content] keys turned into a sync_cfg (the one
 * place), `--sync-once`, and the scheduled worker of a window kiosk, whose
 * reports come back to the main loop as one SDL event that swaps the new
 * bundle in between frames. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "config.h"
#include "keys.h"
#include "sync.h"
#include "syncworker.h"

typedef struct syncwire syncwire;

/* The sync settings of c for url (NULL: none, USB import only); reads the
 * pinned key into *key, which must outlive cfg. Returns 0, or -1 with err
 * (nothing to sync from, no trust or state directory, an unreadable key). */
int syncwire_sync_cfg(const config *c, const char *url, sync_cfg *cfg, meta_key *key, char *err, size_t errcap);

/* --sync-once: one sync of c's repository into its state directory and one
 * line (the result on stdout, or the reason on stderr). SIGTERM and SIGINT
 * cancel the transfer in progress, and the sync ends as a failed one (the
 * installed content stays). Returns 0 when the content is installed or
 * already current, 1 when the sync failed, was refused or was stopped, 2
 * for a usage error. */
int syncwire_once(const config *c);

/* --scrub: one full scrub of c's state directory (scrub.h: the live and
 * previous bundles checked whole, a damaged one replaced) and one line.
 * SIGTERM and SIGINT cancel it. Returns 0 when every installed bundle
 * passed, 1 when damage was found (and acted on) or it was stopped, 2 for
 * a usage error. */
int syncwire_scrub_once(const config *c);

/* Starts the scheduled sync of a window kiosk when c configures one (a
 * repository URL or a USB path, and a state directory); its reports arrive
 * as SDL events of a type registered here. NULL when there is none (or it
 * cannot start: logged). */
syncwire *syncwire_start(const config *c);

/* The worker, for the operator's host; NULL for a NULL syncwire. */
syncworker *syncwire_worker(const syncwire *sw);

/* When ev is the worker's report: swaps a newly installed bundle into a
 * (between frames; after a scrub found damage, the bundle that replaces
 * the damaged one, or the packaged one), frees the event's copy of its path and returns true;
 * false for any other event (and for a NULL syncwire). */
bool syncwire_handle(syncwire *sw, const SDL_Event *ev, app *a);

/* Cancels a sync in progress, joins the worker and frees. NULL is fine. */
void syncwire_stop(syncwire *sw);
