/* publish — a bundle as a static, signed repository (the editor's side).
 *
 *   REPO/timestamp.txt        signed; names the snapshot by hash and length;
 *                             the one file a publication rewrites (atomically)
 *   REPO/root/<N>.txt         signed key sets; root 1 is the publisher's key
 *   REPO/objects/<sha256>     everything else, content-addressed:
 *     the snapshot            signed: version, expiry, content digest, bins
 *     256 bins at most        unsigned lists "items/<id>", "assets/<name>"
 *                             → record hash and length (a bin holds the
 *                             names whose SHA-256 starts with its byte)
 *     records                 base, item and asset records (record.h)
 *
 * Any static web server, CDN or USB stick serves it as plain files. A new
 * publication only adds objects and replaces timestamp.txt; a change to one
 * item of 10,000 changes one record, one bin (~1/256 of the index) and the
 * snapshot.
 *
 * Key sets. The first publication writes root/1.txt: the publishing key,
 * threshold 1. A key set changes only when the current keys sign the new
 * one: publish_rotate_key writes root/<N+1>.txt signed by enough keys of
 * root N and by every key it lists (meta_verify_root_update). Root files are
 * never rewritten; publish signs with the key set of the highest root, one
 * key, so it refuses a key that root does not list or a threshold above 1.
 *
 * Expiry. The snapshot expires after the days given to publish (30 by
 * default); the timestamp sooner (7 days by default, never after the
 * snapshot), so that a freeze (a mirror serving old but valid metadata)
 * shows within days. publish_refresh re-signs the timestamp alone, without
 * republishing content (a daily cron job); kiosks refuse expired metadata
 * and show the content as stale. Kiosks do not
 * enforce a root's expiry (a kiosk that cannot reach the repository for a
 * year must still be able to follow the key set), so a root's "expires" only
 * documents the intended lifetime: ten years from writing, or the days given
 * to publish_rotate_key. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "meta.h"

#define PUBLISH_ROOT_EXPIRES_DAYS 3650 /* a key set's nominal lifetime */
#define PUBLISH_TIMESTAMP_DAYS 7       /* the timestamp's default lifetime */

typedef struct {
    uint64_t version;        /* published snapshot version */
    size_t objects_written;  /* new objects */
    size_t objects_kept;     /* already there (unchanged content) */
    uint64_t bytes_written;
    char digest[65];         /* content digest of what was published (stamped) */
    char records[65];        /* its records root (records.h), stamped as meta 'records' */
    char content_version[32]; /* the version the bundle said before (bundle.conf `version`) */
    char published[21];      /* the publication's time, "YYYY-MM-DDTHH:MM:SSZ" */
} publish_report;

/* Publishes the bundle at bundle_path into repo_dir, signed with the secret
 * key sk. version 0 means one above the published one (and at least the
 * newest root's version-floor); an explicit version must be above it and
 * not below the floor. What is published is the bundle stamped with that
 * version (meta "bundle_version") and now (meta "published", UTC), so every
 * kiosk shows the publication's version and date; the file at bundle_path
 * is not changed. The snapshot expires expires_days after now (Unix
 * seconds), the timestamp timestamp_days after now (0:
 * PUBLISH_TIMESTAMP_DAYS), never after the snapshot. Returns 0, or -1 with
 * err. */
int publish_bundle(const char *bundle_path, const unsigned char sk[64], const char *repo_dir, uint64_t version,
                   int expires_days, int timestamp_days, int64_t now, publish_report *report, char *err,
                   size_t errcap);

/* Re-signs repo_dir's timestamp.txt with sk: the same version and snapshot,
 * a new expiry timestamp_days after now (0: PUBLISH_TIMESTAMP_DAYS) but not
 * after the snapshot's. The timestamp and snapshot there must verify under
 * the newest root, which must list sk. Fills *version and *expires.
 * Returns 0, or -1 with err (the snapshot expired: publish again). */
int publish_refresh(const char *repo_dir, const unsigned char sk[64], int timestamp_days, int64_t now,
                    uint64_t *version, int64_t *expires, char *err, size_t errcap);

typedef struct {
    uint64_t version;                             /* the new root's */
    uint64_t version_floor;                       /* its version-floor, 0: none */
    char keys[META_MAX_KEYS][META_KEYID_LEN + 1]; /* the key set it lists */
    int n_keys;
    char signers[META_MAX_SIGS][META_KEYID_LEN + 1]; /* the keys that signed it */
    int n_signers;
} publish_rotation;

/* version_floor for publish_rotate_key: the version repo_dir publishes now. */
#define PUBLISH_FLOOR_PUBLISHED UINT64_MAX

/* Replaces the key set of repo_dir: writes root/<N+1>.txt listing the public
 * halves of new_sks with threshold, signed by old_sks (each listed in root
 * N, at least its threshold of them) and by every new key. Nothing is
 * written unless the result passes meta_verify_root_update against root N;
 * an existing root/<N+1>.txt is never replaced. It expires expires_days
 * after now (Unix seconds). Its version-floor (what kiosks accept from then
 * on, replacing the versions they saw) is version_floor, 0 for none, or
 * PUBLISH_FLOOR_PUBLISHED (none when nothing is published yet). After a
 * leaked key signed versions far ahead, give the last honest version.
 * Returns 0, or -1 with err. */
int publish_rotate_key(const char *repo_dir, const unsigned char (*old_sks)[64], int n_old,
                       const unsigned char (*new_sks)[64], int n_new, int threshold, int expires_days, int64_t now,
                       uint64_t version_floor, publish_rotation *report, char *err, size_t errcap);
