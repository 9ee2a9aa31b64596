#include "store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fts.h"
#include "imginfo.h"
#include "platform.h"
#include "snippet.h"
#include "store_private.h"
#include "utf8.h"

/* Prepared once at open; indexes into store.stmt. */
enum {
    Q_META,
    Q_CATEGORIES,
    Q_CATEGORY,
    Q_CATEGORY_SIZE,
    Q_CATEGORY_TEXT,
    Q_ITEMS,
    Q_ITEMS_AFTER,
    Q_FEATURED,
    Q_ITEM,
    Q_ITEM_TITLE,
    Q_ITEM_TEXT,
    Q_ANCHORS,
    Q_ANCHORS_ANY,
    Q_RESOLVE_ITEM,
    Q_RESOLVE_ANCHOR,
    Q_ASSET,
    Q_COUNTS,
    Q__COUNT
};

static const char *const sql_text[Q__COUNT] = {
    [Q_META] = "SELECT value FROM meta WHERE key = ?1",
    /* Every list query walks an index in display order and stops after a
     * page (LIMIT), so a screen costs the same in a bundle of any size. */
    [Q_CATEGORIES] = "SELECT id, coalesce(icon, '') FROM categories ORDER BY pos, id LIMIT ?1",
    [Q_CATEGORY] = "SELECT id, coalesce(icon, '') FROM categories WHERE id = ?1",
    [Q_CATEGORY_SIZE] = "SELECT count(*) FROM items WHERE category_id = ?1",
    [Q_CATEGORY_TEXT] = "SELECT title, summary FROM category_texts WHERE category_id = ?1 AND lang = ?2",
    [Q_ITEMS] = "SELECT id, kind, category_id, featured, coalesce(cover, ''), pos FROM items "
                "WHERE category_id = ?1 ORDER BY pos, id LIMIT ?2",
    /* Keyset paging: the rows after (pos, id) of the last row shown. */
    [Q_ITEMS_AFTER] = "SELECT id, kind, category_id, featured, coalesce(cover, ''), pos FROM items "
                      "WHERE category_id = ?1 AND (pos, id) > (?3, ?4) ORDER BY pos, id LIMIT ?2",
    /* One category's featured items: the partial index items_featured
     * (schema.sql) holds only those; a bundle built before it had the index
     * gets the same rows from items_by_category. */
    [Q_FEATURED] = "SELECT id, kind, category_id, featured, coalesce(cover, ''), pos FROM items "
                   "WHERE category_id = ?1 AND featured ORDER BY pos, id LIMIT ?2",
    [Q_ITEM] = "SELECT id, kind, category_id, featured, coalesce(cover, ''), pos FROM items WHERE id = ?1",
    [Q_ITEM_TITLE] = "SELECT title, summary FROM item_texts WHERE item_id = ?1 AND lang = ?2",
    [Q_ITEM_TEXT] = "SELECT title, summary, body FROM item_texts WHERE item_id = ?1 AND lang = ?2",
    [Q_ANCHORS] = "SELECT anchor, level, title FROM anchors WHERE item_id = ?1 AND lang = ?2 ORDER BY pos",
    [Q_ANCHORS_ANY] = "SELECT lang FROM anchors WHERE item_id = ?1 GROUP BY lang",
    [Q_RESOLVE_ITEM] = "SELECT 1 FROM items WHERE id = ?1",
    [Q_RESOLVE_ANCHOR] = "SELECT 1 FROM anchors WHERE item_id = ?1 AND anchor = ?2 LIMIT 1",
    [Q_ASSET] = "SELECT mime, width, height, length(data), rowid FROM assets WHERE name = ?1",
    [Q_COUNTS] = "SELECT kind, count(*) FROM items GROUP BY kind",
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[Q__COUNT];
    char langs[STORE_MAX_LANGS][4];  /* fallback order */
    int n_langs;
    finder *find;                    /* store_find (find.c) */
    int lock_fd;                     /* the file, held with LOCK_SH while open; -1: none */
};

/* Copies at most cap-1 bytes, never cutting a UTF-8 sequence in half. */
static void copy_text(char *dst, size_t cap, const unsigned char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    size_t n = strlen((const char *)src);
    if (n >= cap) {
        n = utf8_cut((const char *)src, cap - 1);
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static sqlite3_stmt *prep(store *s, int q)
{
    sqlite3_stmt *st = s->stmt[q];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static store_status classify(int rc)
{
    switch (rc & 0xFF) {
    case SQLITE_NOMEM:
        return STORE_ERR_NOMEM;
    case SQLITE_CORRUPT:
        return STORE_ERR_CORRUPT;
    default:
        return STORE_ERR_NOT_BUNDLE;
    }
}

static int check_schema(store *s, store_status *status, const char *path, char *err, size_t errcap)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        /* "file is not a database" surfaces here for non-SQLite files. */
        *status = classify(rc);
        snprintf(err, errcap, "%s is not a content bundle: %s", path, sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return -1;
    }
    int version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version == 0) {
        *status = STORE_ERR_NOT_BUNDLE;
        snprintf(err, errcap, "%s is not a content bundle (no schema version)", path);
        return -1;
    }
    if (version != STORE_SCHEMA_VERSION) {
        *status = STORE_ERR_SCHEMA;
        snprintf(err, errcap, "bundle schema version %d is not supported (this kiosk reads version %d)",
                 version, STORE_SCHEMA_VERSION);
        return -1;
    }
    return 0;
}

static int prepare_all(store *s, store_status *status, const char *path, char *err, size_t errcap)
{
    for (int q = 0; q < Q__COUNT; q++) {
        int rc = sqlite3_prepare_v3(s->db, sql_text[q], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[q], NULL);
        if (rc != SQLITE_OK) {
            /* A truncated file often opens and then fails here, when the
             * schema pages are readable but a table is missing or damaged. */
            *status = classify(rc);
            snprintf(err, errcap, "%s is damaged or incomplete: %s", path, sqlite3_errmsg(s->db));
            return -1;
        }
    }
    return 0;
}

/* A shared flock on the bundle for as long as it is open: the sync
 * updates a bundle in place only under LOCK_EX|LOCK_NB (apply.h), so a
 * bundle the kiosk reads is never written under it. Taken before SQLite
 * opens it, and the name must still be that file once locked. */
static int lock_shared(store *s, const char *path, store_status *status, char *err, size_t errcap)
{
    struct stat a, b;
    s->lock_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_SH | LOCK_NB) < 0 || fstat(s->lock_fd, &a) < 0 ||
        stat(path, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
        *status = STORE_ERR_MISSING;
        snprintf(err, errcap, "bundle %s is being replaced", path);
        return -1;
    }
    return 0;
}

store *store_open(const char *path, store_status *status, char *err, size_t errcap)
{
    store_status dummy;
    if (!status)
        status = &dummy;
    *status = STORE_OK;
    /* Only a regular file: SQLite's open would wait for ever on a FIFO. */
    struct stat st;
    bool found = stat(path, &st) == 0;
    if (!found || !S_ISREG(st.st_mode)) {
        *status = STORE_ERR_MISSING;
        if (!found)
            snprintf(err, errcap, "bundle %s not found", path);
        else
            snprintf(err, errcap, "bundle %s is %s, not a regular file", path,
                     platform_file_kind((unsigned)st.st_mode));
        return NULL;
    }
    store *s = calloc(1, sizeof *s);
    if (!s) {
        *status = STORE_ERR_NOMEM;
        snprintf(err, errcap, "out of memory opening %s", path);
        return NULL;
    }
    if (lock_shared(s, path, status, err, errcap) < 0)
        goto fail;
    /* immutable=1: the kiosk never writes a bundle and a new version arrives
     * as a new file, so SQLite can skip locking and change detection. */
    char uri[PLATFORM_PATH_EXTRA_MAX];
    snprintf(uri, sizeof uri, "file:%s?mode=ro&immutable=1", path);
    int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    if (rc != SQLITE_OK) {
        *status = classify(rc);
        snprintf(err, errcap, "cannot open bundle %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    if (fts_register(s->db) != SQLITE_OK) {
        *status = STORE_ERR_NOT_BUNDLE;
        snprintf(err, errcap, "cannot register the search ranking: %s", sqlite3_errmsg(s->db));
        goto fail;
    }
    if (check_schema(s, status, path, err, errcap) < 0 || prepare_all(s, status, path, err, errcap) < 0)
        goto fail;
    char why[256];
    if (!(s->find = finder_open(s->db, why, sizeof why))) {
        *status = STORE_ERR_NOT_BUNDLE;
        snprintf(err, errcap, "%s is damaged or incomplete: %s", path, why);
        goto fail;
    }
    char fallback[64];
    if (store_meta(s, "fallback", fallback, sizeof fallback) < 0)
        snprintf(fallback, sizeof fallback, "kk ru en");
    if (store_set_fallback(s, fallback) == 0)
        store_set_fallback(s, "kk ru en");
    return s;
fail:
    store_close(s);
    return NULL;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int q = 0; q < Q__COUNT; q++)
        sqlite3_finalize(s->stmt[q]);
    finder_close(s->find);
    sqlite3_close(s->db);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    free(s);
}

sqlite3 *store_db(store *s)
{
    return s->db;
}

int store_set_fallback(store *s, const char *langs)
{
    int n = 0;
    const char *p = langs;
    while (*p && n < STORE_MAX_LANGS) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, " ,");
        if (len >= 2 && len <= 3) {
            memcpy(s->langs[n], p, len);
            s->langs[n][len] = '\0';
            n++;
        }
        p += len;
    }
    if (n > 0)
        s->n_langs = n;
    return n;
}

int store_meta(store *s, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *st = prep(s, Q_META);
    bind_text(st, 1, key);
    if (sqlite3_step(st) != SQLITE_ROW)
        return -1;
    copy_text(out, cap, sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return 0;
}

/* The languages to try, in order: lang (when given), then the fallback
 * order. Returns how many. */
static int lang_order(const store *s, const char *lang, const char *order[STORE_MAX_LANGS + 1])
{
    int n = 0;
    if (lang)
        order[n++] = lang;
    for (int i = 0; i < s->n_langs; i++)
        order[n++] = s->langs[i];
    return n;
}

/* Tries lang first, then the fallback order; fills title (and summary) and the
 * language found. Used for categories and items alike. */
static int text_with_fallback(store *s, int q, const char *id, const char *lang,
                              char *title, size_t tcap, char *summary, size_t scap, char lang_out[4])
{
    const char *order[STORE_MAX_LANGS + 1];
    int n = lang_order(s, lang, order);
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st = prep(s, q);
        bind_text(st, 1, id);
        bind_text(st, 2, order[i]);
        if (sqlite3_step(st) == SQLITE_ROW) {
            copy_text(title, tcap, sqlite3_column_text(st, 0));
            if (summary)
                copy_text(summary, scap, sqlite3_column_text(st, 1));
            copy_text(lang_out, 4, (const unsigned char *)order[i]);
            sqlite3_reset(st);
            return 0;
        }
    }
    title[0] = '\0';
    if (summary)
        summary[0] = '\0';
    lang_out[0] = '\0';
    return -1;
}

static void read_category_row(sqlite3_stmt *st, store_category *c)
{
    memset(c, 0, sizeof *c);
    copy_text(c->id, sizeof c->id, sqlite3_column_text(st, 0));
    copy_text(c->icon, sizeof c->icon, sqlite3_column_text(st, 1));
}

/* The ids of the first max categories in display order (no texts). */
static int category_rows(store *s, store_category *out, int max)
{
    sqlite3_stmt *st = prep(s, Q_CATEGORIES);
    sqlite3_bind_int(st, 1, max);
    int n = 0, rc = SQLITE_DONE;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        read_category_row(st, &out[n++]);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        platform_log(PLATFORM_LOG_ERROR, "store: categories: %s", sqlite3_errmsg(s->db));
        return -1;
    }
    return n;
}

static void category_text(store *s, const char *lang, store_category *c)
{
    if (text_with_fallback(s, Q_CATEGORY_TEXT, c->id, lang, c->title, sizeof c->title, c->summary,
                           sizeof c->summary, c->lang) < 0)
        copy_text(c->title, sizeof c->title, (const unsigned char *)c->id);
}

int store_categories(store *s, const char *lang, store_category *out, int max)
{
    /* Collect ids first: the text lookups reuse other statements. */
    int n = category_rows(s, out, max);
    for (int i = 0; i < n; i++)
        category_text(s, lang, &out[i]);
    return n;
}

int store_category_get(store *s, const char *id, const char *lang, store_category *out)
{
    sqlite3_stmt *st = prep(s, Q_CATEGORY);
    bind_text(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    read_category_row(st, out);
    sqlite3_reset(st);
    category_text(s, lang, out);
    return 0;
}

int store_category_size(store *s, const char *id)
{
    sqlite3_stmt *st = prep(s, Q_CATEGORY_SIZE);
    bind_text(st, 1, id);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

static void read_item_row(sqlite3_stmt *st, store_item *it)
{
    memset(it, 0, sizeof *it);
    copy_text(it->id, sizeof it->id, sqlite3_column_text(st, 0));
    copy_text(it->kind, sizeof it->kind, sqlite3_column_text(st, 1));
    copy_text(it->category, sizeof it->category, sqlite3_column_text(st, 2));
    it->featured = sqlite3_column_int(st, 3);
    copy_text(it->cover, sizeof it->cover, sqlite3_column_text(st, 4));
    it->pos = sqlite3_column_int64(st, 5);
}

/* Reads the rows of a prepared (and bound) item query into out, then their
 * titles. Returns the count or -1. */
static int item_rows(store *s, sqlite3_stmt *st, const char *lang, store_item *out, int max)
{
    int n = 0, rc = SQLITE_DONE;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        read_item_row(st, &out[n++]);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        platform_log(PLATFORM_LOG_ERROR, "store: item list: %s", sqlite3_errmsg(s->db));
        return -1;
    }
    for (int i = 0; i < n; i++)
        text_with_fallback(s, Q_ITEM_TITLE, out[i].id, lang, out[i].title, sizeof out[i].title,
                           out[i].summary, sizeof out[i].summary, out[i].lang);
    return n;
}

int store_items(store *s, const char *category, const char *lang, store_item *out, int max)
{
    return store_items_after(s, category, NULL, lang, out, max);
}

int store_items_after(store *s, const char *category, const store_item *after, const char *lang,
                      store_item *out, int max)
{
    sqlite3_stmt *st = prep(s, after ? Q_ITEMS_AFTER : Q_ITEMS);
    bind_text(st, 1, category);
    sqlite3_bind_int(st, 2, max);
    if (after) {
        sqlite3_bind_int64(st, 3, after->pos);
        bind_text(st, 4, after->id);
    }
    return item_rows(s, st, lang, out, max);
}

int store_featured(store *s, const char *lang, store_item *out, int max)
{
    /* Category by category in display order: each a few index steps, where
     * one query over every item would sort all featured ones first. */
    store_category cats[STORE_MAX_CATEGORIES];
    int n_cats = category_rows(s, cats, STORE_MAX_CATEGORIES), n = 0;
    if (n_cats < 0)
        return -1;
    for (int c = 0; c < n_cats && n < max; c++) {
        sqlite3_stmt *st = prep(s, Q_FEATURED);
        bind_text(st, 1, cats[c].id);
        sqlite3_bind_int(st, 2, max - n);
        int k = item_rows(s, st, lang, out + n, max - n);
        if (k < 0)
            return -1;
        n += k;
    }
    return n;
}

int store_item_get(store *s, const char *id, const char *lang, store_item *out)
{
    sqlite3_stmt *st = prep(s, Q_ITEM);
    bind_text(st, 1, id);
    return item_rows(s, st, lang, out, 1) == 1 ? 0 : -1;
}

static char *dup_column(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strdup(t ? (const char *)t : "");
}

int store_item_text(store *s, const char *id, const char *lang, store_text *out)
{
    memset(out, 0, sizeof *out);
    const char *order[STORE_MAX_LANGS + 1];
    int n = lang_order(s, lang, order);
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st = prep(s, Q_ITEM_TEXT);
        bind_text(st, 1, id);
        bind_text(st, 2, order[i]);
        if (sqlite3_step(st) != SQLITE_ROW)
            continue;
        out->title = dup_column(st, 0);
        out->summary = dup_column(st, 1);
        out->body = dup_column(st, 2);
        copy_text(out->lang, sizeof out->lang, (const unsigned char *)order[i]);
        sqlite3_reset(st);
        if (!out->title || !out->summary || !out->body) {
            store_text_free(out);
            return -1;
        }
        return 0;
    }
    return -1;
}

void store_text_free(store_text *t)
{
    free(t->title);
    free(t->summary);
    free(t->body);
    t->title = t->summary = t->body = NULL;
}

int store_anchors(store *s, const char *id, const char *lang, store_anchor *out, int max)
{
    /* Anchor titles are per language: use lang if the item has anchors in it,
     * else the first fallback language that has. */
    const char *order[STORE_MAX_LANGS + 1];
    int n_order = lang_order(s, lang, order);
    for (int i = 0; i < n_order; i++) {
        sqlite3_stmt *st = prep(s, Q_ANCHORS);
        bind_text(st, 1, id);
        bind_text(st, 2, order[i]);
        int n = 0;
        while (n < max && sqlite3_step(st) == SQLITE_ROW) {
            store_anchor *a = &out[n++];
            copy_text(a->anchor, sizeof a->anchor, sqlite3_column_text(st, 0));
            a->level = sqlite3_column_int(st, 1);
            copy_text(a->title, sizeof a->title, sqlite3_column_text(st, 2));
        }
        sqlite3_reset(st);
        if (n > 0)
            return n;
    }
    return 0;
}

int store_resolve(store *s, const char *item, const char *anchor)
{
    int q = anchor && *anchor ? Q_RESOLVE_ANCHOR : Q_RESOLVE_ITEM;
    sqlite3_stmt *st = prep(s, q);
    bind_text(st, 1, item);
    if (q == Q_RESOLVE_ANCHOR)
        bind_text(st, 2, anchor);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* The length comes from the row's header (length() does not load a BLOB),
 * so an asset over the limit is refused before any of it is read; the bytes
 * are then read once, straight into the caller's buffer. */
int store_asset_get(store *s, const char *name, store_asset *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prep(s, Q_ASSET);
    bind_text(st, 1, name);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    copy_text(out->mime, sizeof out->mime, sqlite3_column_text(st, 0));
    out->width = sqlite3_column_int(st, 1);
    out->height = sqlite3_column_int(st, 2);
    sqlite3_int64 n = sqlite3_column_int64(st, 3), rowid = sqlite3_column_int64(st, 4);
    sqlite3_reset(st);
    if (n < 0 || n > IMGINFO_MAX_BYTES) {
        platform_log(PLATFORM_LOG_WARN, "store: asset %s: %lld bytes, over the limit of %u", name, (long long)n,
                     IMGINFO_MAX_BYTES);
        return -1;
    }
    sqlite3_blob *blob = NULL;
    out->data = malloc(n > 0 ? (size_t)n : 1);
    if (!out->data || sqlite3_blob_open(s->db, "main", "assets", "data", rowid, 0, &blob) != SQLITE_OK ||
        sqlite3_blob_bytes(blob) != n || sqlite3_blob_read(blob, out->data, (int)n, 0) != SQLITE_OK) {
        sqlite3_blob_close(blob);
        store_asset_free(out);
        return -1;
    }
    sqlite3_blob_close(blob);
    out->size = (size_t)n;
    return 0;
}

void store_asset_free(store_asset *a)
{
    free(a->data);
    a->data = NULL;
    a->size = 0;
}

int store_find(store *s, const char *text, const char *lang, unsigned flags, store_result *out, int max,
               store_find_info *info)
{
    return finder_find(s->find, (const char (*)[4])s->langs, s->n_langs, text, lang, flags, out, max, info);
}

int store_counts(store *s, int *articles, int *documents, int *explainers)
{
    *articles = *documents = *explainers = 0;
    sqlite3_stmt *st = prep(s, Q_COUNTS);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        int n = sqlite3_column_int(st, 1);
        if (!kind)
            continue;
        if (!strcmp(kind, "article"))
            *articles = n;
        else if (!strcmp(kind, "document"))
            *documents = n;
        else if (!strcmp(kind, "explainer"))
            *explainers = n;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_db_check(struct sqlite3 *db, int full, char *why, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    const char *sql = full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r && strcmp(r, "ok") == 0)
            rc = 0;
        else
            snprintf(why, cap, "%s", r ? r : "?");
    } else {
        snprintf(why, cap, "%s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return rc;
}
