#include "record.h"

#include <sodium.h>
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

#define MAX_COLUMNS 6
/* Table numbers (tables[] above) the item update reads. */
#define T_ITEM_TEXTS 4
#define T_ASSETS 7

/* One value of a row, pointing into the record. */
typedef struct {
    unsigned char tag; /* 'i', 'n', 't' or 'b' */
    sqlite3_int64 i;
    const unsigned char *v;
    uint32_t n;
} value;

/* One row: its table, values and bytes (head included). */
typedef struct {
    int table;
    value v[MAX_COLUMNS];
    const unsigned char *bytes;
    size_t len;
} row;

/* Reads row number `number` at r into w. Returns 1 for a row, 0 at the
 * end of the record, -1 (err) when it is damaged. */
static int next_row(reader *r, int number, row *w, char *err, size_t errcap)
{
    const unsigned char *head;
    if (r->pos == r->len)
        return 0;
    w->bytes = r->p + r->pos;
    if (!take(r, 2, &head) || head[0] >= N_TABLES || head[1] != tables[head[0]].columns) {
        snprintf(err, errcap, "record row %d: unknown table or wrong number of values", number);
        return -1;
    }
    w->table = head[0];
    for (int c = 0; c < head[1]; c++) {
        value *x = &w->v[c];
        const unsigned char *tag;
        uint32_t hi, lo;
        if (!take(r, 1, &tag))
            goto short_row;
        x->tag = *tag;
        switch (*tag) {
        case 'i':
            if (!take_u32(r, &hi) || !take_u32(r, &lo))
                goto short_row;
            x->i = (sqlite3_int64)((uint64_t)hi << 32 | lo);
            break;
        case 'n':
            break;
        case 't':
        case 'b':
            if (!take_u32(r, &x->n) || !take(r, x->n, &x->v))
                goto short_row;
            break;
        default:
            snprintf(err, errcap, "record row %d: unknown value type", number);
            return -1;
        }
    }
    w->len = (size_t)(r->p + r->pos - w->bytes);
    return 1;
short_row:
    snprintf(err, errcap, "record row %d: cut short", number);
    return -1;
}

static void bind_row(sqlite3_stmt *st, const row *w)
{
    sqlite3_reset(st);
    for (int c = 0; c < tables[w->table].columns; c++) {
        const value *x = &w->v[c];
        if (x->tag == 'i')
            sqlite3_bind_int64(st, c + 1, x->i);
        else if (x->tag == 'n')
            sqlite3_bind_null(st, c + 1);
        else if (x->tag == 't')
            sqlite3_bind_text(st, c + 1, (const char *)x->v, (int)x->n, SQLITE_STATIC);
        else
            sqlite3_bind_blob(st, c + 1, x->v, (int)x->n, SQLITE_STATIC);
    }
}

/* The language of an item's text row (item_texts, anchors, links,
 * keywords: the second value), or NULL for any other row. */
static bool row_lang(const row *w, const unsigned char **lang, uint32_t *n)
{
    if (w->table < T_ITEM_TEXTS || w->table == T_ASSETS || w->v[1].tag != 't')
        return false;
    *lang = w->v[1].v;
    *n = w->v[1].n;
    return true;
}

static bool lang_is(const row *w, const char *lang)
{
    const unsigned char *l;
    uint32_t n;
    return row_lang(w, &l, &n) && n == strlen(lang) && !memcmp(l, lang, n);
}

/* Checks the magic, the size and every row. Returns 0, or -1 with err. */
static int check_record(const unsigned char *rec, size_t len, char *err, size_t errcap)
{
    if (len < sizeof magic - 1 || memcmp(rec, magic, sizeof magic - 1) != 0) {
        snprintf(err, errcap, "not a content record");
        return -1;
    }
    if (len > RECORD_MAX_BYTES) {
        snprintf(err, errcap, "record larger than %u bytes", RECORD_MAX_BYTES);
        return -1;
    }
    reader r = {rec, len, sizeof magic - 1};
    row w;
    int got, number = 0;
    while ((got = next_row(&r, ++number, &w, err, errcap)) > 0)
        ;
    return got;
}

/* Inserts the rows of rec (every row, or those of lang only) with the
 * statements of insert_sql, in a savepoint. rec was checked. */
static int insert_rows(sqlite3 *db, const unsigned char *rec, size_t len, const char *lang,
                       const char *const insert_sql[N_TABLES], char *err, size_t errcap)
{
    sqlite3_stmt *stmts[N_TABLES] = {0};
    int rc = -1;
    /* All rows or none: a row the bundle refuses (a duplicate key) undoes
     * the rows before it. */
    if (sqlite3_exec(db, "SAVEPOINT record", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errcap, "record: %s", sqlite3_errmsg(db));
        return -1;
    }
    for (int t = 0; t < N_TABLES; t++) {
        if (sqlite3_prepare_v2(db, insert_sql[t], -1, &stmts[t], NULL) != SQLITE_OK) {
            snprintf(err, errcap, "record: %s", sqlite3_errmsg(db));
            goto done;
        }
    }
    reader r = {rec, len, sizeof magic - 1};
    row w;
    int got, number = 0;
    while ((got = next_row(&r, ++number, &w, err, errcap)) > 0) {
        if (lang && !lang_is(&w, lang))
            continue;
        bind_row(stmts[w.table], &w);
        if (sqlite3_step(stmts[w.table]) != SQLITE_DONE) {
            snprintf(err, errcap, "record row %d (%s): %s", number, tables[w.table].name, sqlite3_errmsg(db));
            goto done;
        }
    }
    rc = got;
done:
    for (int t = 0; t < N_TABLES; t++)
        sqlite3_finalize(stmts[t]);
    if (rc < 0)
        sqlite3_exec(db, "ROLLBACK TO record", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE record", NULL, NULL, NULL);
    return rc;
}

int record_apply(sqlite3 *db, const unsigned char *rec, size_t len, char *err, size_t errcap)
{
    /* Check the whole record first: a damaged one changes nothing. */
    if (check_record(rec, len, err, errcap) < 0)
        return -1;
    const char *sql[N_TABLES];
    for (int t = 0; t < N_TABLES; t++)
        sql[t] = tables[t].insert;
    return insert_rows(db, rec, len, NULL, sql, err, errcap);
}

int record_apply_lang(sqlite3 *db, const unsigned char *rec, size_t len, const char *lang, char *err, size_t errcap)
{
    if (check_record(rec, len, err, errcap) < 0)
        return -1;
    const char *sql[N_TABLES];
    for (int t = 0; t < N_TABLES; t++)
        sql[t] = tables[t].insert;
    /* The row keeps its rowid, which its search units refer to, and its
     * page: an edited text is rewritten where it is. */
    sql[T_ITEM_TEXTS] = "INSERT INTO item_texts(item_id, lang, title, summary, body) VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT(item_id, lang) DO UPDATE SET title = excluded.title, "
                        "summary = excluded.summary, body = excluded.body";
    return insert_rows(db, rec, len, lang, sql, err, errcap);
}

/* The part of parts[0..*n) for lang, added when new; NULL when full. */
static record_part *part_for(record_part *parts, crypto_hash_sha256_state *st, size_t cap, size_t *n,
                             const unsigned char *lang, uint32_t len)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen(parts[i].lang) == len && !memcmp(parts[i].lang, lang, len))
            return &parts[i];
    if (*n == cap || len >= sizeof parts->lang)
        return NULL;
    record_part *p = &parts[(*n)++];
    memcpy(p->lang, lang, len);
    p->lang[len] = '\0';
    crypto_hash_sha256_init(&st[p - parts]);
    return p;
}

int record_item_parts(const unsigned char *rec, size_t len, unsigned char item_sha[32], record_part *parts, size_t cap,
                      size_t *n, char *err, size_t errcap)
{
    if (check_record(rec, len, err, errcap) < 0)
        return -1;
    crypto_hash_sha256_state item, st[RECORD_MAX_PARTS];
    crypto_hash_sha256_init(&item);
    if (cap > RECORD_MAX_PARTS)
        cap = RECORD_MAX_PARTS;
    *n = 0;
    reader r = {rec, len, sizeof magic - 1};
    row w;
    int number = 0;
    while (next_row(&r, ++number, &w, err, errcap) > 0) {
        const unsigned char *lang;
        uint32_t lang_len;
        record_part *p;
        if (!row_lang(&w, &lang, &lang_len)) {
            crypto_hash_sha256_update(&item, w.bytes, w.len);
        } else if ((p = part_for(parts, st, cap, n, lang, lang_len))) {
            crypto_hash_sha256_update(&st[p - parts], w.bytes, w.len);
        } else {
            snprintf(err, errcap, "record: more than %zu languages", cap);
            return -1;
        }
    }
    crypto_hash_sha256_final(&item, item_sha);
    for (size_t i = 0; i < *n; i++)
        crypto_hash_sha256_final(&st[i], parts[i].sha);
    return 0;
}
