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
 * snapshot. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t version;        /* published snapshot version */
    size_t objects_written;  /* new objects */
    size_t objects_kept;     /* already there (unchanged content) */
    uint64_t bytes_written;
    char digest[65];         /* content digest of the bundle */
} publish_report;

/* Publishes the bundle at bundle_path into repo_dir, signed with the secret
 * key sk. version 0 means one above the published one; an explicit version
 * must be above it. The metadata expires expires_days after now (Unix
 * seconds). Returns 0, or -1 with err. */
int publish_bundle(const char *bundle_path, const unsigned char sk[64], const char *repo_dir, uint64_t version,
                   int expires_days, int64_t now, publish_report *report, char *err, size_t errcap);
