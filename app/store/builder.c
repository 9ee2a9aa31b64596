#include "builder.h"

#include <stdio.h>
#include <stdlib.h>

#include "schema_sql.h"

struct builder {
    sqlite3 *db;
    indexer *ix;
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
    return b;
fail:
    builder_free(b);
    return NULL;
}

indexer *builder_indexer(builder *b)
{
    return b->ix;
}

int builder_finish(builder *b, char *err, size_t errcap)
{
    sqlite3 *db = b->db;
    /* The word lists go in last, sorted, in one pass. */
    int rc = indexer_close(b->ix, err, errcap);
    b->ix = NULL;
    builder_free(b);
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
    free(b);
}
