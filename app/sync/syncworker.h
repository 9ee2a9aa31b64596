/* syncworker — the sync on its own thread, on a schedule.
 *
 * The worker sleeps until the schedule (schedule.h) says, or until the
 * operator asks for a sync now, runs sync_run() — from the repository URL,
 * and from the USB path when a repository is there (a stick carrying the
 * same signed tree, for kiosks that are never online) — and reports each finished
 * run with one SDL event (cfg.event_type; user.code is the sync_outcome,
 * user.data1 a heap copy of the live bundle path for SYNC_INSTALLED, which
 * the receiver frees). The UI thread never waits for the network: stopping
 * cancels a transfer in progress and returns within about a second.
 *
 * Between syncs it runs the scrub that is due (scrub.h): after an install,
 * after an unclean shutdown (syncworker_start notes the start in the state
 * directory, syncworker_stop the clean end) and every scrub_days. A sync
 * request or a stop cancels a scrub in progress. */
#pragma once

#include <stdint.h>

#include "schedule.h"
#include "sync.h"

typedef struct syncworker syncworker;

typedef struct {
    sync_cfg sync;              /* url may be NULL (USB only); net.cancel is set by the worker */
    schedule_cfg schedule;
    /* Called on the worker thread after each run: bundle is the new live
     * bundle's path for SYNC_INSTALLED (valid during the call), else NULL.
     * Also after a scrub found the live bundle damaged, with SYNC_FAILED and
     * the bundle to show instead ("": none installed passes, the packaged
     * one). Must return at once. NULL: nobody is told. */
    void (*notify)(void *user, sync_outcome outcome, const char *bundle);
    void *notify_user;
    const char *usb_path;       /* a mount point where a USB stick's repository appears, or NULL */
    int scrub_days;             /* days between full scrubs of the installed bundles; 0: none on a schedule */
} syncworker_cfg;

/* What the operator screen shows. */
typedef struct {
    int running;                /* a sync is under way */
    sync_progress progress;     /* of the run under way */
    char phase[16];
    int64_t next_run;           /* wall clock, Unix seconds */
    sync_outcome last_outcome;
    char last_message[SYNCSTATE_ERROR_MAX];
} syncworker_info;

/* Starts the thread (cfg is copied; its strings must outlive the worker).
 * Returns NULL with err. */
syncworker *syncworker_start(const syncworker_cfg *cfg, char *err, size_t errcap);

/* Asks for a sync as soon as the worker is free (operator). */
void syncworker_now(syncworker *w);

/* Asks for an import from the USB path as soon as the worker is free. */
void syncworker_import(syncworker *w);

/* A snapshot of the worker's state. */
void syncworker_get_info(syncworker *w, syncworker_info *out);

/* Cancels what runs, joins the thread, frees. NULL is fine. */
void syncworker_stop(syncworker *w);
