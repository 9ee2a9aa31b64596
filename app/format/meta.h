/* meta — signed repository metadata: the format, parsing, signing and the
 * signature and freshness checks. Pure apart from libsodium (Ed25519,
 * SHA-256); no I/O. The sync client and `infopoint-bundle publish` build
 * on it.
 *
 * A metadata file is UTF-8 text in two parts separated by a line "--":
 *
 *   infopoint-meta 1                    format and its version
 *   role snapshot                       root | timestamp | snapshot | bin
 *   version 42                          grows with every publication
 *   expires 2026-12-28T00:00:00Z        refused after this (UTC)
 *   digest <64 hex>                     snapshot: content digest of the bundle
 *                                       (the records root, records.h, is not a
 *                                       line here: older kiosks refuse unknown
 *                                       lines; it travels in the base record)
 *   bundle-version 7                    snapshot: the bundle's own version
 *   threshold 1                         root: signatures needed
 *   key <16 hex key id> <64 hex key>    root: a trusted Ed25519 public key
 *   version-floor 41                    root, optional: the lowest timestamp
 *                                       version kiosks accept under this key
 *                                       set (replaces what they saw before)
 *   file <path> <64 hex sha256> <len>   the files below it, by hash and length
 *   --
 *   sig <16 hex key id> <128 hex sig>   Ed25519 over the bytes before "--"
 *
 * A bin (role bin) lists part of the content and is not signed and carries
 * no version or expiry: the signed snapshot names each bin by hash and
 * length, so a bin that did not change keeps its hash and is not fetched.
 *
 * Signing the exact bytes (not a re-serialisation) means there is nothing to
 * canonicalise: what was signed is what is parsed. Unknown keys are refused,
 * so a file means one thing to every kiosk. A key id is the first 8 bytes of
 * the SHA-256 of the public key. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define META_MAX_BYTES (4u * 1024u * 1024u) /* no metadata file is larger */
#define META_MAX_KEYS 8
#define META_MAX_SIGS 8
#define META_MAX_FILES 65536
#define META_PATH_MAX 128
#define META_KEYID_LEN 16 /* hex characters */

typedef enum { META_ROOT, META_TIMESTAMP, META_SNAPSHOT, META_BIN } meta_role;

typedef struct {
    char id[META_KEYID_LEN + 1];
    unsigned char pk[32];
} meta_key;

typedef struct {
    char path[META_PATH_MAX];
    unsigned char sha256[32];
    uint64_t length;
} meta_file;

typedef struct {
    char keyid[META_KEYID_LEN + 1];
    unsigned char sig[64];
} meta_sig;

typedef struct {
    meta_role role;
    uint64_t version;
    int64_t expires;           /* Unix seconds, UTC */
    char digest[65];           /* snapshot: hex content digest, else "" */
    uint64_t bundle_version;   /* snapshot, else 0 */
    int threshold;             /* root, else 0 */
    uint64_t version_floor;    /* root: lowest timestamp version accepted under it; 0: none */
    meta_key keys[META_MAX_KEYS];
    int n_keys;
    meta_file *files;          /* heap; free with meta_free */
    size_t n_files;
    size_t *by_path;           /* heap: indices of files in path order (meta_find) */
    meta_sig sigs[META_MAX_SIGS];
    int n_sigs;
    size_t signed_len;         /* bytes covered by the signatures */
} meta_doc;

/* Parses a metadata file. Returns 0, or -1 with "line N: reason" in err. */
int meta_parse(const char *buf, size_t len, meta_doc *out, char *err, size_t errcap);

/* 1 when buf starts like metadata ("infopoint-meta "): tells a signed file,
 * good or bad, from a web page a server answers instead of a 404. */
int meta_looks_like(const char *buf, size_t len);

/* Frees what meta_parse allocated (the struct is the caller's). */
void meta_free(meta_doc *doc);

/* The entry for path, or NULL: a binary search, O(log n) (doc may be one
 * with no files and no index). */
const meta_file *meta_find(const meta_doc *doc, const char *path);

/* Puts the indices 0..n-1 of files into order, sorted by path (equal paths
 * by index), with a merge sort: at most n * ceil(log2 n) path comparisons
 * whatever the input, so hostile metadata of 65,536 entries costs about a
 * million comparisons, not two billion. Counts them into *compares when it
 * is not NULL. Returns 0, or -1 when out of memory. */
int meta_sort_paths(const meta_file *files, size_t n, size_t *order, uint64_t *compares);

/* Counts the valid signatures over buf by distinct keys among keys[0..n).
 * Returns 0 when at least threshold of them are valid, else -1 with err
 * ("1 valid signature of 2 needed"). */
int meta_verify(const meta_doc *doc, const char *buf, const meta_key *keys, int n_keys, int threshold, char *err,
                size_t errcap);

/* Checks a new root against the one trusted now: signed by the current
 * root's threshold of its keys and by its own threshold of its own keys,
 * version exactly one more. Returns 0 or -1 with err. */
int meta_verify_root_update(const meta_doc *current, const meta_doc *next, const char *next_buf, char *err,
                            size_t errcap);

/* Refuses expired metadata: expires must be after now, where now is the
 * later of the clock and the stored time floor (a Pi has no battery clock;
 * a clock at 1970 must not make expired metadata look fresh). */
int meta_check_expiry(const meta_doc *doc, int64_t clock_now, int64_t time_floor, char *err, size_t errcap);

/* Parses and formats "YYYY-MM-DDTHH:MM:SSZ". Returns 0 or -1. */
int meta_parse_time(const char *s, int64_t *out);
void meta_format_time(int64_t t, char out[21]);

/* The key id of a public key (16 hex characters and NUL). */
void meta_key_id(const unsigned char pk[32], char out[META_KEYID_LEN + 1]);

/* Appends the signature block to body (which ends with "\n"): "--\n" and
 * one "sig" line per secret key (64 bytes each, libsodium's layout).
 * Returns a heap string, or NULL on out of memory. */
char *meta_sign(const char *body, size_t len, const unsigned char (*sks)[64], int n_sks, size_t *out_len);
