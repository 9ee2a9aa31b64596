/* digest — the end-to-end content digest of a bundle.
 *
 * A sha256 over a canonical serialisation of every content table (rows in
 * primary-key order, every value typed and length-prefixed), leaving out the
 * 'digest' meta row itself and the derived search index. It names the content,
 * not the file: the editor's tool stores it in meta, the signed repository
 * carries it (the snapshot's `digest` line), and the kiosk recomputes it
 * before it switches to a new bundle when the publication carries no
 * records root (records.h: then it checks the changed records and the root
 * instead, and stores this digest as signed). The record tables
 * (record_hashes, record_bins, record_root) are not content and not in it;
 * the meta row 'records' (the root) is. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

#define DIGEST_HEX_LEN 64

/* Computes the digest of the bundle open on db into hex (NUL-terminated).
 * Returns 0, or -1 with a message in err. */
int digest_compute(sqlite3 *db, char hex[DIGEST_HEX_LEN + 1], char *err, size_t errcap);
