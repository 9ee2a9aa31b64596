#include "builder.h"

#include <stdio.h>
#include <stdlib.h>

#include "schema_sql.h"

struct builder {
    sqlite3 *db;
    indexer *ix;
    bgindex *bg;    /* writes ix's full-text rows on a second thread; NULL: ix does */
};

static int exec(sqlite3 *db, const char *sql, char *err, size_t errcap)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    snprintf(err, errcap, "new bundle: %s", sqlite3_errmsg(db));
    return -1;
}

builder *builder_begin(sqlite3 *db, char *err, size_t errcap)
{
    builder *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    b->db = db;
    /* The page size must be set before the first table exists. */
    char pragmas[300];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
             "PRAGMA cache_size = -%d; PRAGMA temp_store = FILE;",
             BUILDER_CACHE_KIB);
    if (exec(db, pragmas, err, errcap) < 0 || exec(db, schema_sql, err, errcap) < 0 ||
        exec(db, "BEGIN", err, errcap) < 0)
        goto fail;
    if (!(b->ix = indexer_open(db, 1, err, errcap)))
        goto fail;
    /* NULL with no error: a database without a file indexes in place. */
    if (!(b->bg = bgindex_start(db, err, errcap)) && err[0])
        goto fail;
    indexer_write_behind(b->ix, b->bg);
    return b;
fail:
    builder_free(b);
    return NULL;
}

indexer *builder_indexer(builder *b)
{
    return b->ix;
}

void builder_end_texts(builder *b)
{
    if (b->bg)
        bgindex_end(b->bg);
}

int builder_finish(builder *b, char *err, size_t errcap)
{
    sqlite3 *db = b->db;
    bgindex *bg = b->bg;
    b->bg = NULL;
    /* The thread merges its index while the word lists go in, last,
     * sorted, in one pass; then its tables are copied in. */
    if (bg)
        bgindex_end(bg);
    int rc = indexer_close(b->ix, err, errcap);
    b->ix = NULL;
    builder_free(b);
    if (bg) {
        if (rc < 0) {
            bgindex_free(bg);
            return -1;
        }
        return bgindex_finish(bg, db, err, errcap);
    }
    if (rc < 0)
        return -1;
    return exec(db,
                "INSERT INTO search_index(search_index) VALUES('optimize');"
                "INSERT INTO search_heads(search_heads) VALUES('optimize');",
                err, errcap);
}

void builder_free(builder *b)
{
    if (!b)
        return;
    indexer_close(b->ix, NULL, 0);
    bgindex_free(b->bg);
    free(b);
}
