#include "digest.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Tables in a fixed order with explicit columns, so adding a column to the
 * schema is a deliberate change of the digest, never an accident. */
static const char *const canonical_queries[] = {
    "SELECT 'meta', key, value FROM meta WHERE key <> 'digest' ORDER BY key",
    "SELECT 'categories', id, pos, icon FROM categories ORDER BY id",
    "SELECT 'category_texts', category_id, lang, title, summary FROM category_texts "
    "ORDER BY category_id, lang",
    "SELECT 'items', id, kind, category_id, pos, featured, cover FROM items ORDER BY id",
    "SELECT 'item_texts', item_id, lang, title, summary, body FROM item_texts "
    "ORDER BY item_id, lang",
    "SELECT 'anchors', item_id, lang, anchor, pos, level, title FROM anchors "
    "ORDER BY item_id, lang, anchor",
    "SELECT 'links', item_id, lang, pos, target_item, target_anchor FROM links "
    "ORDER BY item_id, lang, pos",
    "SELECT 'assets', name, mime, width, height, size, data FROM assets ORDER BY name",
    /* schema 2 */
    "SELECT 'keywords', item_id, lang, anchor, words FROM keywords ORDER BY item_id, lang, anchor",
};

static void put_u64(crypto_hash_sha256_state *h, unsigned long long v)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(v & 0xFF);
        v >>= 8;
    }
    crypto_hash_sha256_update(h, b, sizeof b);
}

static void put_value(crypto_hash_sha256_state *h, sqlite3_stmt *st, int col)
{
    unsigned char tag;
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
        tag = 'i';
        crypto_hash_sha256_update(h, &tag, 1);
        put_u64(h, (unsigned long long)sqlite3_column_int64(st, col));
        return;
    case SQLITE_NULL:
        tag = 'n';
        crypto_hash_sha256_update(h, &tag, 1);
        return;
    case SQLITE_BLOB:
        tag = 'b';
        break;
    default: /* TEXT; REAL is not used by the schema and hashes as its text */
        tag = 't';
        break;
    }
    const void *p = tag == 'b' ? sqlite3_column_blob(st, col) : (const void *)sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    crypto_hash_sha256_update(h, &tag, 1);
    put_u64(h, (unsigned long long)n);
    if (n > 0)
        crypto_hash_sha256_update(h, p, (unsigned long long)n);
}

int digest_compute(sqlite3 *db, char hex[DIGEST_HEX_LEN + 1], char *err, size_t errcap)
{
    if (sodium_init() < 0) {
        snprintf(err, errcap, "libsodium failed to initialise");
        return -1;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    for (size_t q = 0; q < sizeof canonical_queries / sizeof *canonical_queries; q++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, canonical_queries[q], -1, &st, NULL) != SQLITE_OK) {
            snprintf(err, errcap, "digest: %s", sqlite3_errmsg(db));
            return -1;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int cols = sqlite3_column_count(st);
            put_u64(&h, (unsigned long long)cols);
            for (int c = 0; c < cols; c++)
                put_value(&h, st, c);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            snprintf(err, errcap, "digest: %s", sqlite3_errmsg(db));
            return -1;
        }
    }
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, sum);
    sodium_bin2hex(hex, DIGEST_HEX_LEN + 1, sum, sizeof sum);
    return 0;
}
