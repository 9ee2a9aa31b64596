/* syncstate — what a kiosk keeps in its state directory between syncs.
 *
 *   STATE/current            which bundle is live: its file, snapshot version,
 *                            snapshot object and content digest; replaced
 *                            atomically, and the one thing a switch writes
 *   STATE/previous           the bundle live before the current one, in the
 *                            format of `current`: the next install brings it
 *                            up to date in place (apply.h) when its file is
 *                            still there; may name a file that is gone
 *   STATE/bundle-<N>.ipb     installed bundles: the live one and the one
 *                            before it (kept until the new one has opened)
 *   STATE/bundle-<N>.ipb.staging  a bundle being built or updated in place;
 *                            never opened, deleted by the next run
 *   STATE/status             last attempt, last success, last error, next
 *                            run, stale flag, ETag, time floor (text, key
 *                            value per line; readable by operators)
 *   STATE/root.txt           the newest verified root metadata (key set);
 *                            `status` and `current` remember its version
 *                            and hash, so a lost root.txt
 *                            cannot take the kiosk back to an older key set
 *   STATE/verified           bundles whose content digest was checked, by
 *                            file identity (device, inode, size, mtime) and
 *                            digest, so a start does not compute it again
 *   STATE/scrub, STATE/running  the background scrub's record and the
 *                            unclean-shutdown marker (scrub.h)
 *   STATE/objects/<sha256>   downloaded objects; the live and previous
 *                            snapshots and their bins stay (the next sync compares against them),
 *                            records go once installed; <sha256>.part is a
 *                            download to resume
 *
 * The live version is read from `current`, never from `status`, so a power
 * cut between the two writes cannot make the kiosk believe it has content it
 * has not. A damaged `status` is rebuilt with defaults and a warning. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SYNCSTATE_ERROR_MAX 256

typedef struct {
    char bundle[64];            /* file name in STATE, "bundle-<N>.ipb" */
    uint64_t version;           /* snapshot version */
    char snapshot[65];          /* sha256 of the snapshot object, hex */
    char digest[65];            /* content digest, hex */
    uint64_t root;              /* root (key set) version it was verified under; 0: not recorded */
    char root_sha256[65];       /* sha256 of that root file, hex; "": not recorded */
} syncstate_current;

typedef struct {
    int64_t last_attempt;       /* wall clock, Unix seconds; 0: never */
    int64_t last_success;       /* last check that ended installed or current */
    int64_t next_run;           /* when the scheduler will try next */
    int64_t time_floor;         /* no clock reading is believed below this */
    int64_t expires;            /* expiry of the newest verified timestamp */
    uint64_t seen_version;      /* newest verified timestamp version under root_version's keys */
    uint64_t root_version;      /* newest root (key set) ever trusted; 0: not recorded */
    char root_sha256[65];       /* sha256 of that root file, hex ("" with root_version 0) */
    int failures;               /* consecutive failed attempts */
    int stale;                  /* 1: the metadata we have has expired */
    char etag[128];             /* of the last timestamp.txt, for If-None-Match */
    char last_error[SYNCSTATE_ERROR_MAX];
} syncstate_status;

/* Reads STATE/current. Returns 0, 1 when there is none, -1 when it is
 * damaged (err says how). */
int syncstate_read_current(const char *dir, syncstate_current *out, char *err, size_t errcap);

/* Replaces STATE/current atomically (fsynced file and directory). */
int syncstate_write_current(const char *dir, const syncstate_current *cur, char *err, size_t errcap);

/* Reads STATE/previous, as syncstate_read_current. */
int syncstate_read_previous(const char *dir, syncstate_current *out, char *err, size_t errcap);

/* Replaces STATE/previous atomically. */
int syncstate_write_previous(const char *dir, const syncstate_current *prev, char *err, size_t errcap);

/* Reads STATE/status into st. Missing: defaults, returns 1. Damaged:
 * defaults, returns -1 with err ("status line 3: ..."). Else 0. */
int syncstate_read_status(const char *dir, syncstate_status *st, char *err, size_t errcap);

/* Writes STATE/status atomically. */
int syncstate_write_status(const char *dir, const syncstate_status *st, char *err, size_t errcap);

/* "bundle-<version>.ipb". */
void syncstate_bundle_name(uint64_t version, char out[64]);

/* Path helpers: STATE/name. Returns 0, or -1 when it does not fit. */
int syncstate_path(const char *dir, const char *name, char *out, size_t cap);

/* Installed bundle versions found in STATE (bundle-<N>.ipb), newest first.
 * Returns how many (at most max). */
int syncstate_list_bundles(const char *dir, uint64_t *versions, int max);

/* Deletes bundles other than keep_a and keep_b and staging leftovers. */
void syncstate_prune_bundles(const char *dir, uint64_t keep_a, uint64_t keep_b);

/* Takes the state directory's sync lock (STATE/lock, flock LOCK_EX|LOCK_NB):
 * while it is held no other sync or scrub writes a bundle of dir or switches
 * `current`; it goes with the process, also when the process is killed.
 * Returns the descriptor (close it to let go), or -1 with errno set
 * (EWOULDBLOCK: someone else holds it). */
int syncstate_lock(const char *dir);

/* Bundles remembered in STATE/verified (the newest first, older dropped). */
#define SYNCSTATE_VERIFIED_MAX 4

/* 1 when the file at path, as it is now (device, inode, size, modification
 * time), was recorded with syncstate_mark_verified for this digest; else 0
 * (also when anything cannot be read: the caller then computes). */
int syncstate_is_verified(const char *dir, const char *path, const char *digest);

/* Records that the file at path, as it is now, has content digest digest
 * (the caller computed and compared it). Returns 0 or -1 with err. */
int syncstate_mark_verified(const char *dir, const char *path, const char *digest, char *err, size_t errcap);

/* Creates STATE and STATE/objects if missing. Returns 0 or -1 with err. */
int syncstate_prepare(const char *dir, char *err, size_t errcap);
