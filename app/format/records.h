/* records — the records digest: a Merkle-style digest over the hashes of
 * a bundle's item and asset records (record.h), kept in the bundle, so a
 * kiosk checks an update in O(changed records) instead of hashing every
 * row (digest.h, O(bundle)).
 *
 *   bin of a record     the first byte of sha256(name), as the repository's
 *                       bins/XX (publish.c)
 *   bin hash            sha256 over the bin's entries in name order, each
 *                       name, NUL, sha256(record bytes); an empty bin is 32
 *                       zero bytes
 *   root                sha256("infopoint-records 1\n", the 256 bin hashes)
 *
 * The base record is not under the root: the publisher puts the root into
 * it, as the meta row 'records' (hex), so the chain of trust is the signed
 * snapshot -> base record hash -> root -> bin hashes -> record hashes, and a
 * kiosk that does not know the root still installs (the row is only one
 * more meta row, covered by the content digest like the others).
 *
 * In the bundle (db/schema.sql; not content: not in the content digest nor
 * in any record): record_hashes (name, bin, sha) of every item and asset
 * record, record_bins (bin, sha) of the non-empty bins, and record_root, one
 * row: the root and the content digest of the bundle it was computed for.
 * A bundle whose record_root is missing or names another digest (made by
 * the content tool, or updated by a kiosk that does not keep the tables)
 * gets its tables built again from its rows (records_fill). */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

#define RECORDS_BINS 256
#define RECORDS_HEX_LEN 64
#define RECORDS_META_KEY "records" /* the meta row of the root, in the base record */

/* The bin of a record name (0..255). */
int records_bin(const char *name);

/* The root of n records given by name and sha256 (any order; "base" and
 * duplicates are the caller's to leave out). Returns 0, or -1 when out of
 * memory. */
int records_root_of(const char *const *names, const unsigned char (*sha)[32], size_t n, unsigned char root[32]);

/* Creates the three tables in db unless they are there (a bundle made
 * before them). Returns 0, or -1 with err. */
int records_create(sqlite3 *db, char *err, size_t errcap);

/* Sets (sha non-NULL) or removes the hash of one record in record_hashes
 * and marks its bin in touched[RECORDS_BINS]. Returns 0, or -1 with err. */
int records_set(sqlite3 *db, const char *name, const unsigned char *sha, unsigned char *touched, char *err,
                size_t errcap);

/* Computes the touched bins again from record_hashes, stores them in
 * record_bins and puts the root over all bins into root. O(touched bins).
 * Returns 0, or -1 with err. */
int records_refresh(sqlite3 *db, const unsigned char *touched, unsigned char root[32], char *err, size_t errcap);

/* The root over record_bins as stored, without reading record_hashes
 * (O(bins)). Returns 0, or -1 with err. */
int records_bins_root(sqlite3 *db, unsigned char root[32], char *err, size_t errcap);

/* Builds record_hashes and record_bins again from the bundle's rows (every
 * item and asset record serialised and hashed: O(bundle)) and puts the
 * root into root. Returns 0, or -1 with err. */
int records_fill(sqlite3 *db, unsigned char root[32], char *err, size_t errcap);

/* Reads record_root: 1 with root and the digest it was computed for, 0 when
 * there is none (or no table), -1 with err on a read error. */
int records_stored(sqlite3 *db, unsigned char root[32], char digest[65], char *err, size_t errcap);

/* Writes record_root: root, computed for content digest `digest`. Returns
 * 0, or -1 with err. */
int records_store(sqlite3 *db, const unsigned char root[32], const char *digest, char *err, size_t errcap);

/* The signed root: the meta row 'records' of db, decoded. 1 when there is
 * one, 0 when there is none (a publisher before it), -1 when it is not 64
 * hex or cannot be read (err). */
int records_signed_root(sqlite3 *db, unsigned char root[32], char *err, size_t errcap);
