/* sync — one check of a signed repository, and the install of a newer
 * version into the state directory (the kiosk's side of the repository
 * described in publish.h and ../shared/design.md).
 *
 * Order of trust: the pinned keys sign root 1; each root/N+1 must be signed
 * by root N's keys and its own; the newest root's keys sign timestamp.txt;
 * the timestamp names the snapshot by hash and length; the snapshot names
 * the bins and the base record; the bins name the records. Nothing is read
 * from an object before its hash and length match, and the assembled bundle
 * must have the signed content digest before it goes live. Refused: a bad
 * signature or key, too few signatures, a version below the installed one
 * or below one seen before (rollback), expired metadata (freeze; the clock
 * is never believed below the stored time floor), a timestamp and snapshot
 * of different versions. On any refusal or failure the live bundle stays.
 *
 * Key sets. Following a root/N+1 newer than any trusted before replaces the
 * seen version with that root's version-floor, and the installed version
 * stops counting once its key set is replaced: a leaked key's versions far
 * ahead do not block the new keys. STATE/status and STATE/current remember
 * the newest root (version and SHA-256): with root.txt lost or damaged the
 * chain is walked again from the pinned keys, and refused when it stops
 * below that root or meets another file of its version.
 *
 * A live bundle that no longer verifies (apply_live_verifies, O(bins) on
 * every check; apply_live_pages_ok, every page, before it is copied) is
 * neither current nor copied: its version is built again from verified
 * records. A bad block that neither reads is the background scrub's
 * (scrub.h).
 *
 * Blocking: run it on the sync worker thread (or a command-line process),
 * never on the UI thread. Cancelled through cfg->net.cancel. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "apply.h"
#include "fetch.h"
#include "meta.h"
#include "platform.h"
#include "syncstate.h"

typedef struct {
    const char *phase;          /* "checking", "downloading", "applying" */
    uint64_t records_done, records_total;
    uint64_t bytes_done, bytes_total;
} sync_progress;

typedef struct {
    const char *url;            /* repository: https://, file:// or a path; http:// if allowed */
    const char *state_dir;      /* see syncstate.h */
    const meta_key *trust;      /* pinned keys: root 1 must be signed by one */
    int n_trust;
    fetch_opts net;             /* transport limits, cancel flag */
    int64_t (*clock)(void);     /* wall clock in Unix seconds; NULL: time() */
    void (*progress)(void *user, const sync_progress *p); /* or NULL */
    void *user;
    int quiet;                  /* 1: the caller reports the outcome (no log line) */
    long max_run_s;             /* downloads of one run end after this; 0: SYNC_MAX_RUN_S */
    size_t hold_max;            /* bytes of records an in-place install keeps in memory;
                                 * 0: SYNC_HOLD_MAX */
} sync_cfg;

typedef enum { SYNC_INSTALLED, SYNC_CURRENT, SYNC_FAILED, SYNC_CANCELLED } sync_outcome;

typedef struct {
    sync_outcome outcome;
    uint64_t version;           /* live snapshot version afterwards (0: none) */
    char bundle[PLATFORM_PATH_MAX];          /* live bundle path afterwards ("" none) */
    char message[SYNCSTATE_ERROR_MAX]; /* one line: what happened */
    fetch_stats net;            /* requests and bytes of this run */
    size_t records_fetched;     /* records downloaded in this run */
    size_t records_held;        /* records downloaded or taken from the live bundle that an
                                 * in-place install kept in memory, never written to objects/ */
    size_t changes;             /* records replaced, added or removed */
    apply_report apply;
    uint64_t install_us;        /* staging start to switched pointer */
} sync_result;

/* Runs one check and, when there is a newer verified version, installs it.
 * Updates STATE/status (all but next-run). Never throws away the live
 * bundle. Returns res->outcome. */
sync_outcome sync_run(const sync_cfg *cfg, sync_result *res);

/* The live bundle of a state directory: the one `current` names when it
 * exists, else the newest bundle-<N>.ipb. Returns 0 with its path, or -1
 * when there is none. */
int sync_live_bundle(const char *state_dir, char *path, size_t cap);

/* Records an in-place install keeps in memory rather than in objects/, in
 * all: the bundle updated in place is all they are for, and each written
 * to a file cost its pages again (12 KiB an item: 7 of the 61 pages one
 * changed item wrote, BENCHMARKS.md). Past this they go to files, so an
 * incremental sync stays under its 30 MB peak RSS (27.6 MB at 100 items,
 * 2.2 MB of them held). */
#define SYNC_HOLD_MAX (2u * 1024u * 1024u)

/* A whole run's downloads stop after this many seconds (fetch_set_deadline):
 * a mirror that drips every object must not hold the sync for hours. A
 * full download of a large bundle over a slow link fits: it resumes. */
#define SYNC_MAX_RUN_S 1800

/* No clock reading is believed below this (the first release's date): a
 * Pi without a battery clock starts at 1970. */
#define SYNC_TIME_FLOOR_MIN 1793491200 /* 2026-11-01T00:00:00Z */
