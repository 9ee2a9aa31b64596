#include "records.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static const char root_tag[] = "infopoint-records 1\n";

/* The tables as db/schema.sql has them (a bundle made before them gets
 * them from here; test_records checks the two agree). */
static const char create_sql[] =
    "CREATE TABLE IF NOT EXISTS record_hashes (name TEXT PRIMARY KEY, bin INTEGER NOT NULL, sha BLOB NOT NULL) "
    "WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS record_hashes_by_bin ON record_hashes(bin, name);"
    "CREATE TABLE IF NOT EXISTS record_bins (bin INTEGER PRIMARY KEY, sha BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS record_root (one INTEGER PRIMARY KEY CHECK (one = 1), root BLOB NOT NULL, "
    "digest TEXT NOT NULL);";

static int fail_db(sqlite3 *db, const char *what, char *err, size_t errcap)
{
    snprintf(err, errcap, "records %s: %s", what, sqlite3_errmsg(db));
    return -1;
}

int records_bin(const char *name)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)name, strlen(name));
    return h[0];
}

static void entry_update(crypto_hash_sha256_state *h, const char *name, const unsigned char sha[32])
{
    crypto_hash_sha256_update(h, (const unsigned char *)name, strlen(name) + 1); /* with its NUL */
    crypto_hash_sha256_update(h, sha, 32);
}

static void root_of_bins(const unsigned char (*bins)[32], unsigned char root[32])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)root_tag, sizeof root_tag - 1);
    for (int b = 0; b < RECORDS_BINS; b++)
        crypto_hash_sha256_update(&h, bins[b], 32);
    crypto_hash_sha256_final(&h, root);
}

/* ---- in memory (the publisher) ------------------------------------------- */

typedef struct {
    const char *name;
    const unsigned char *sha;
    int bin;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->bin != y->bin)
        return x->bin < y->bin ? -1 : 1;
    return strcmp(x->name, y->name);
}

int records_root_of(const char *const *names, const unsigned char (*sha)[32], size_t n, unsigned char root[32])
{
    unsigned char bins[RECORDS_BINS][32] = {{0}};
    keyed *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){names[i], sha[i], records_bin(names[i])};
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n;) {
        crypto_hash_sha256_state h;
        crypto_hash_sha256_init(&h);
        size_t j = i;
        for (; j < n && k[j].bin == k[i].bin; j++)
            entry_update(&h, k[j].name, k[j].sha);
        crypto_hash_sha256_final(&h, bins[k[i].bin]);
        i = j;
    }
    free(k);
    root_of_bins((const unsigned char(*)[32])bins, root);
    return 0;
}

/* ---- in the bundle --------------------------------------------------------- */

int records_create(sqlite3 *db, char *err, size_t errcap)
{
    return sqlite3_exec(db, create_sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail_db(db, "tables", err, errcap);
}

/* Runs a prepared statement to its end and finalizes it. */
static int run(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errcap)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_db(db, "write", err, errcap);
}

int records_set(sqlite3 *db, const char *name, const unsigned char *sha, unsigned char *touched, char *err,
                size_t errcap)
{
    sqlite3_stmt *st;
    const char *sql = sha ? "INSERT OR REPLACE INTO record_hashes(name, bin, sha) VALUES (?1, ?2, ?3)"
                          : "DELETE FROM record_hashes WHERE name = ?1";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail_db(db, "write", err, errcap);
    int bin = records_bin(name);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sha) {
        sqlite3_bind_int(st, 2, bin);
        sqlite3_bind_blob(st, 3, sha, 32, SQLITE_STATIC);
    }
    touched[bin] = 1;
    return run(db, st, err, errcap);
}

/* The hash of one bin from record_hashes; *empty when it has no entry. A
 * sha that is not 32 bytes (a damaged row) is an error, not a hash. */
static int bin_hash(sqlite3 *db, sqlite3_stmt *sel, int bin, unsigned char out[32], int *empty, char *err,
                    size_t errcap)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    sqlite3_reset(sel);
    sqlite3_bind_int(sel, 1, bin);
    int rc, n = 0;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(sel, 0);
        if (!name || sqlite3_column_bytes(sel, 1) != 32) {
            snprintf(err, errcap, "records: a hash in bin %02x is damaged", bin);
            return -1;
        }
        entry_update(&h, name, sqlite3_column_blob(sel, 1));
        n++;
    }
    if (rc != SQLITE_DONE)
        return fail_db(db, "read", err, errcap);
    crypto_hash_sha256_final(&h, out);
    *empty = n == 0;
    return 0;
}

/* The root over the bin hashes in record_bins (absent bins: zeros). */
static int root_from_bins(sqlite3 *db, unsigned char root[32], char *err, size_t errcap)
{
    unsigned char bins[RECORDS_BINS][32] = {{0}};
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT bin, sha FROM record_bins", -1, &st, NULL) != SQLITE_OK)
        return fail_db(db, "read", err, errcap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int b = sqlite3_column_int(st, 0);
        if (b < 0 || b >= RECORDS_BINS || sqlite3_column_bytes(st, 1) != 32) {
            sqlite3_finalize(st);
            snprintf(err, errcap, "records: bin row %d is damaged", b);
            return -1;
        }
        memcpy(bins[b], sqlite3_column_blob(st, 1), 32);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail_db(db, "read", err, errcap);
    root_of_bins((const unsigned char(*)[32])bins, root);
    return 0;
}

int records_bins_root(sqlite3 *db, unsigned char root[32], char *err, size_t errcap)
{
    return root_from_bins(db, root, err, errcap);
}

int records_refresh(sqlite3 *db, const unsigned char *touched, unsigned char root[32], char *err, size_t errcap)
{
    sqlite3_stmt *sel = NULL, *put = NULL, *del = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT name, sha FROM record_hashes WHERE bin = ?1 ORDER BY name", -1, &sel, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO record_bins(bin, sha) VALUES (?1, ?2)", -1, &put, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db, "DELETE FROM record_bins WHERE bin = ?1", -1, &del, NULL) != SQLITE_OK) {
        fail_db(db, "read", err, errcap);
        goto done;
    }
    for (int b = 0; b < RECORDS_BINS; b++) {
        unsigned char h[32];
        int empty;
        if (!touched[b])
            continue;
        if (bin_hash(db, sel, b, h, &empty, err, errcap) < 0)
            goto done;
        sqlite3_stmt *w = empty ? del : put;
        sqlite3_reset(w);
        sqlite3_bind_int(w, 1, b);
        if (!empty)
            sqlite3_bind_blob(w, 2, h, 32, SQLITE_TRANSIENT);
        if (sqlite3_step(w) != SQLITE_DONE) {
            fail_db(db, "write", err, errcap);
            goto done;
        }
    }
    rc = root_from_bins(db, root, err, errcap);
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(put);
    sqlite3_finalize(del);
    return rc;
}

/* Hashes every record of one kind (list: its keys) into record_hashes. */
static int fill_kind(sqlite3 *db, record_kind kind, const char *prefix, const char *list, unsigned char *touched,
                     char *err, size_t errcap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, list, -1, &st, NULL) != SQLITE_OK)
        return fail_db(db, "read", err, errcap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        size_t len, n = strlen(prefix) + strlen(key ? key : "") + 1;
        char *name = malloc(n);
        unsigned char *rec = record_build(db, kind, key, &len, err, errcap), sha[32];
        int ok = name && rec;
        if (ok) {
            snprintf(name, n, "%s%s", prefix, key);
            crypto_hash_sha256(sha, rec, len);
            ok = records_set(db, name, sha, touched, err, errcap) == 0;
        } else if (rec) {
            snprintf(err, errcap, "out of memory");
        }
        free(name);
        free(rec);
        if (!ok) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_db(db, "read", err, errcap);
}

int records_fill(sqlite3 *db, unsigned char root[32], char *err, size_t errcap)
{
    unsigned char touched[RECORDS_BINS];
    memset(touched, 1, sizeof touched);
    if (records_create(db, err, errcap) < 0)
        return -1;
    if (sqlite3_exec(db, "DELETE FROM record_hashes; DELETE FROM record_bins; DELETE FROM record_root;", NULL, NULL,
                     NULL) != SQLITE_OK)
        return fail_db(db, "write", err, errcap);
    if (fill_kind(db, RECORD_ITEM, "items/", "SELECT id FROM items", touched, err, errcap) < 0 ||
        fill_kind(db, RECORD_ASSET, "assets/", "SELECT name FROM assets", touched, err, errcap) < 0)
        return -1;
    return records_refresh(db, touched, root, err, errcap);
}

int records_stored(sqlite3 *db, unsigned char root[32], char digest[65], char *err, size_t errcap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT root, digest FROM record_root WHERE one = 1", -1, &st, NULL) != SQLITE_OK)
        return 0; /* no table: a bundle made before it */
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32 && sqlite3_column_bytes(st, 1) == 64) {
        memcpy(root, sqlite3_column_blob(st, 0), 32);
        memcpy(digest, sqlite3_column_text(st, 1), 65);
        found = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail_db(db, "read", err, errcap);
    return found;
}

int records_store(sqlite3 *db, const unsigned char root[32], const char *digest, char *err, size_t errcap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO record_root(one, root, digest) VALUES (1, ?1, ?2)", -1, &st,
                           NULL) != SQLITE_OK)
        return fail_db(db, "write", err, errcap);
    sqlite3_bind_blob(st, 1, root, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, digest, -1, SQLITE_STATIC);
    return run(db, st, err, errcap);
}

int records_signed_root(sqlite3 *db, unsigned char root[32], char *err, size_t errcap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = '" RECORDS_META_KEY "'", -1, &st, NULL) !=
        SQLITE_OK)
        return fail_db(db, "read", err, errcap);
    int rc = sqlite3_step(st), found = 0;
    if (rc == SQLITE_ROW) {
        const char *hex = (const char *)sqlite3_column_text(st, 0);
        found = hex && strlen(hex) == RECORDS_HEX_LEN &&
                        sodium_hex2bin(root, 32, hex, RECORDS_HEX_LEN, NULL, NULL, NULL) == 0
                    ? 1
                    : -1;
        if (found < 0)
            snprintf(err, errcap, "the meta row '" RECORDS_META_KEY "' is not 64 hex digits");
    } else if (rc != SQLITE_DONE) {
        found = fail_db(db, "read", err, errcap);
    }
    sqlite3_finalize(st);
    return found;
}
