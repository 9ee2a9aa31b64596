#include "record.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char magic[] = "IPREC1\n";

/* The content tables a record may carry, with their columns in the order
 * of db/schema.sql; the index is the table's number in a record. */
static const struct {
    const char *name;
    int columns;
    const char *insert;
} tables[] = {
    {"meta", 2, "INSERT INTO meta(key, value) VALUES (?1, ?2)"},
    {"categories", 3, "INSERT INTO categories(id, pos, icon) VALUES (?1, ?2, ?3)"},
    {"category_texts", 4, "INSERT INTO category_texts(category_id, lang, title, summary) VALUES (?1, ?2, ?3, ?4)"},
    {"items", 6, "INSERT INTO items(id, kind, category_id, pos, featured, cover) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    {"item_texts", 5, "INSERT INTO item_texts(item_id, lang, title, summary, body) VALUES (?1, ?2, ?3, ?4, ?5)"},
    {"anchors", 6, "INSERT INTO anchors(item_id, lang, anchor, pos, level, title) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    {"links", 5, "INSERT INTO links(item_id, lang, pos, target_item, target_anchor) VALUES (?1, ?2, ?3, ?4, ?5)"},
    {"assets", 6, "INSERT INTO assets(name, mime, width, height, size, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    {"keywords", 4, "INSERT INTO keywords(item_id, lang, anchor, words) VALUES (?1, ?2, ?3, ?4)"},
};
#define N_TABLES (int)(sizeof tables / sizeof *tables)

/* The rows of each kind of record, in primary-key order (as the digest). */
static const struct {
    record_kind kind;
    int table;
    const char *select;
} selects[] = {
    {RECORD_BASE, 0, "SELECT key, value FROM meta WHERE key <> 'digest' ORDER BY key"},
    {RECORD_BASE, 1, "SELECT id, pos, icon FROM categories ORDER BY id"},
    {RECORD_BASE, 2, "SELECT category_id, lang, title, summary FROM category_texts ORDER BY category_id, lang"},
    {RECORD_ITEM, 3, "SELECT id, kind, category_id, pos, featured, cover FROM items WHERE id = ?1"},
    {RECORD_ITEM, 4, "SELECT item_id, lang, title, summary, body FROM item_texts WHERE item_id = ?1 ORDER BY lang"},
    {RECORD_ITEM, 5, "SELECT item_id, lang, anchor, pos, level, title FROM anchors WHERE item_id = ?1 "
                     "ORDER BY lang, anchor"},
    {RECORD_ITEM, 6, "SELECT item_id, lang, pos, target_item, target_anchor FROM links WHERE item_id = ?1 "
                     "ORDER BY lang, pos"},
    {RECORD_ASSET, 7, "SELECT name, mime, width, height, size, data FROM assets WHERE name = ?1"},
    {RECORD_ITEM, 8, "SELECT item_id, lang, anchor, words FROM keywords WHERE item_id = ?1 ORDER BY lang, anchor"},
};

/* ---- a growing byte buffer ------------------------------------------------ */

typedef struct {
    unsigned char *p;
    size_t len, cap;
    bool failed;
} buf;

static void put(buf *b, const void *data, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > RECORD_MAX_BYTES) {
        b->failed = true;
        return;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (!q) {
            b->failed = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_u32(buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
    put(b, x, 4);
}

static void put_u64(buf *b, uint64_t v)
{
    put_u32(b, (uint32_t)(v >> 32));
    put_u32(b, (uint32_t)v);
}

static void put_row(buf *b, int table, sqlite3_stmt *st)
{
    unsigned char head[2] = {(unsigned char)table, (unsigned char)sqlite3_column_count(st)};
    put(b, head, 2);
    for (int c = 0; c < head[1]; c++) {
        int type = sqlite3_column_type(st, c);
        unsigned char tag = type == SQLITE_INTEGER ? 'i' : type == SQLITE_NULL ? 'n' : type == SQLITE_BLOB ? 'b' : 't';
        put(b, &tag, 1);
        if (tag == 'i') {
            put_u64(b, (uint64_t)sqlite3_column_int64(st, c));
        } else if (tag != 'n') {
            const void *v = tag == 'b' ? sqlite3_column_blob(st, c) : (const void *)sqlite3_column_text(st, c);
            uint32_t n = (uint32_t)sqlite3_column_bytes(st, c);
            put_u32(b, n);
            put(b, v, n);
        }
    }
}

unsigned char *record_build(sqlite3 *db, record_kind kind, const char *key, size_t *len, char *err, size_t errcap)
{
    buf b = {0};
    put(&b, magic, sizeof magic - 1);
    int rows = 0;
    for (size_t s = 0; s < sizeof selects / sizeof *selects; s++) {
        if (selects[s].kind != kind)
            continue;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, selects[s].select, -1, &st, NULL) != SQLITE_OK) {
            snprintf(err, errcap, "record: %s", sqlite3_errmsg(db));
            free(b.p);
            return NULL;
        }
        if (kind != RECORD_BASE)
            sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            put_row(&b, selects[s].table, st);
            rows++;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            snprintf(err, errcap, "record: %s", sqlite3_errmsg(db));
            free(b.p);
            return NULL;
        }
    }
    if (b.failed || rows == 0) {
        snprintf(err, errcap, rows == 0 ? "nothing named '%s' in the bundle" : "record of '%s' too large or out of memory",
                 key ? key : "base");
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

/* ---- reading a record ------------------------------------------------------ */

typedef struct {
    const unsigned char *p;
    size_t len, pos;
} reader;

static bool take(reader *r, size_t n, const unsigned char **out)
{
    if (r->len - r->pos < n)
        return false;
    *out = r->p + r->pos;
    r->pos += n;
    return true;
}

static bool take_u32(reader *r, uint32_t *v)
{
    const unsigned char *x;
    if (!take(r, 4, &x))
        return false;
    *v = (uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 | (uint32_t)x[2] << 8 | x[3];
    return true;
}

/* Walks every row; with db NULL only checks the structure. */
static int walk(sqlite3 *db, const unsigned char *rec, size_t len, sqlite3_stmt **stmts, char *err, size_t errcap)
{
    reader r = {rec, len, sizeof magic - 1};
    int row = 0;
    while (r.pos < r.len) {
        const unsigned char *head;
        row++;
        if (!take(&r, 2, &head) || head[0] >= N_TABLES || head[1] != tables[head[0]].columns) {
            snprintf(err, errcap, "record row %d: unknown table or wrong number of values", row);
            return -1;
        }
        sqlite3_stmt *st = db ? stmts[head[0]] : NULL;
        if (st)
            sqlite3_reset(st);
        for (int c = 0; c < head[1]; c++) {
            const unsigned char *tag, *v;
            uint32_t n, hi, lo;
            if (!take(&r, 1, &tag)) {
                snprintf(err, errcap, "record row %d: cut short", row);
                return -1;
            }
            switch (*tag) {
            case 'i':
                if (!take_u32(&r, &hi) || !take_u32(&r, &lo))
                    goto short_row;
                if (st)
                    sqlite3_bind_int64(st, c + 1, (sqlite3_int64)((uint64_t)hi << 32 | lo));
                break;
            case 'n':
                if (st)
                    sqlite3_bind_null(st, c + 1);
                break;
            case 't':
            case 'b':
                if (!take_u32(&r, &n) || !take(&r, n, &v))
                    goto short_row;
                if (st && *tag == 't')
                    sqlite3_bind_text(st, c + 1, (const char *)v, (int)n, SQLITE_STATIC);
                else if (st)
                    sqlite3_bind_blob(st, c + 1, v, (int)n, SQLITE_STATIC);
                break;
            default:
                snprintf(err, errcap, "record row %d: unknown value type", row);
                return -1;
            }
        }
        if (st && sqlite3_step(st) != SQLITE_DONE) {
            snprintf(err, errcap, "record row %d (%s): %s", row, tables[head[0]].name, sqlite3_errmsg(db));
            return -1;
        }
        continue;
    short_row:
        snprintf(err, errcap, "record row %d: cut short", row);
        return -1;
    }
    return 0;
}

int record_apply(sqlite3 *db, const unsigned char *rec, size_t len, char *err, size_t errcap)
{
    if (len < sizeof magic - 1 || memcmp(rec, magic, sizeof magic - 1) != 0) {
        snprintf(err, errcap, "not a content record");
        return -1;
    }
    if (len > RECORD_MAX_BYTES) {
        snprintf(err, errcap, "record larger than %u bytes", RECORD_MAX_BYTES);
        return -1;
    }
    /* Check the whole record first: a damaged one changes nothing. */
    if (walk(NULL, rec, len, NULL, err, errcap) < 0)
        return -1;
    sqlite3_stmt *stmts[N_TABLES] = {0};
    int rc = -1;
    /* All rows or none: a row the bundle refuses (a duplicate key) undoes
     * the rows before it. */
    if (sqlite3_exec(db, "SAVEPOINT record", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errcap, "record: %s", sqlite3_errmsg(db));
        return -1;
    }
    for (int t = 0; t < N_TABLES; t++) {
        if (sqlite3_prepare_v2(db, tables[t].insert, -1, &stmts[t], NULL) != SQLITE_OK) {
            snprintf(err, errcap, "record: %s", sqlite3_errmsg(db));
            goto done;
        }
    }
    rc = walk(db, rec, len, stmts, err, errcap);
done:
    for (int t = 0; t < N_TABLES; t++)
        sqlite3_finalize(stmts[t]);
    if (rc < 0)
        sqlite3_exec(db, "ROLLBACK TO record", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE record", NULL, NULL, NULL);
    return rc;
}
