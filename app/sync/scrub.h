/* scrub — the full check of the installed bundles, in the background.
 *
 * An install checks only what it changed (apply.h); whether the rest of the
 * file is still what was installed — a bad block, a card that rots, a
 * previous bundle damaged before it was updated in place — is this
 * module's: PRAGMA integrity_check and the full content digest against the
 * digest in `current`, read-only, on a thread of its own at the lowest CPU
 * and I/O priority, throttled to a share of one core (SCRUB_DUTY_PCT), and
 * cancellable within a fraction of a second.
 *
 * When: after an install switched `current` (the new live bundle has not
 * been checked whole), after an unclean shutdown (STATE/running, created at
 * start and removed at a clean stop, was still there), and every
 * scrub_days (STATE/scrub keeps the last full scrub). A scrub holds the
 * sync's STATE/lock throughout, so it never reads a file a sync is writing.
 *
 * On damage: the live bundle is deleted and the previous one becomes live
 * when it passes the same check (`current` is rewritten to it); else none
 * is named and the kiosk shows its packaged last-resort bundle. A damaged
 * previous bundle is deleted (the next install copies the live one instead
 * of updating it in place). Either way a sync should run soon: it builds
 * what is missing from verified records.
 *
 *   STATE/scrub    last <unix seconds of the last full scrub>
 *                  checked <bundle file> <digest>: the live bundle last passed
 *                  pending 1: a full scrub is owed (an unclean shutdown);
 *                  a file not of this format owes one too (logged)
 *   STATE/running  exists while a kiosk runs on STATE */
#pragma once

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"
#include "syncstate.h"

/* The share of one core (and of the time spent reading) a scrub may take,
 * in percent: it sleeps three times as long as it worked. */
#define SCRUB_DUTY_PCT 25
/* Default days between full scrubs ([sync] scrub_days). */
#define SCRUB_DAYS_DEFAULT 7
#define SCRUB_DAYS_MAX 365

typedef enum { SCRUB_OK, SCRUB_DAMAGED, SCRUB_CANCELLED } scrub_verdict;

typedef struct {
    const atomic_int *cancel;   /* non-zero stops the scrub soon (another thread sets it), or NULL */
    int duty_pct;               /* 1-100; 0: SCRUB_DUTY_PCT */
} scrub_opts;

typedef struct {
    scrub_verdict verdict;      /* of the live bundle (SCRUB_OK when none is installed) */
    int checked;                /* bundles checked whole */
    int switched;               /* 1: the live bundle changed: show `live` now */
    char live[PLATFORM_PATH_MAX]; /* the live bundle afterwards, "": none (the packaged one) */
    char message[SYNCSTATE_ERROR_MAX]; /* one line: what was found and done */
} scrub_result;

/* Checks the bundle at path end to end: it opens read-only, passes PRAGMA
 * integrity_check and has the content digest `digest` (64 hex). Runs on a
 * low-priority thread of its own and returns when it ends. SCRUB_DAMAGED
 * with the finding in why; SCRUB_CANCELLED when o->cancel was set. */
scrub_verdict scrub_bundle(const char *path, const char *digest, const scrub_opts *o, char *why, size_t cap);

/* Scrubs the live bundle of state_dir, and with full also the previous one,
 * and acts on damage (see above); records the result in STATE/scrub. now:
 * wall clock, Unix seconds. Returns res->verdict; SCRUB_CANCELLED also when
 * a sync holds the state directory (try later). */
scrub_verdict scrub_installed(const char *state_dir, int full, const scrub_opts *o, int64_t now, scrub_result *res);

/* What is owed now: 0 nothing, 1 the live bundle (not checked since it was
 * installed), 2 a full scrub (pending, or scrub_days since the last one;
 * days 0: never on a schedule). */
int scrub_due(const char *state_dir, int days, int64_t now);

/* At start: creates STATE/running; when it was there already the last run
 * did not end cleanly, and a full scrub is recorded as owed. Returns 1 then,
 * else 0. */
int scrub_note_start(const char *state_dir);

/* At a clean stop: removes STATE/running. */
void scrub_note_stop(const char *state_dir);
