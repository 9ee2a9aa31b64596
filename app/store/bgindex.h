/* bgindex — the full-text rows of a whole build, written on a second
 * thread (builder.h).
 *
 * The FTS5 inserts into search_index and search_heads were 44 % of a
 * build's CPU (perf, 10,000 items), and one SQLite connection does one
 * thing at a time. So a build hands each unit's rows to a thread with a
 * connection of its own to a scratch database beside the bundle
 * ("<bundle>" BGINDEX_SUFFIX), which has the same two tables; the build reads,
 * checks, stems and writes everything else meanwhile. At the end the
 * thread merges its index ('optimize') and the rows of the tables behind
 * it are copied into the bundle unchanged.
 *
 * The rows go in the order they were put, one transaction, the same
 * merge: FTS5 writes exactly the rows it wrote in the bundle itself, so
 * the bundle holds the same rows (`sqlite3 .dump` is the same). Its pages
 * are in another order (the index is written last), the same for the same
 * content. Memory: at most BGINDEX_QUEUE units wait. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

/* The scratch database's name: the bundle's, with this after it. A build
 * that died leaves it behind; the next build beside it removes it, and a
 * kiosk's state directory is pruned of it with the staging bundle. */
#define BGINDEX_SUFFIX "-index"

/* Units waiting for the thread at most: enough to ride out a long text on
 * either side, a few hundred KB. */
#define BGINDEX_QUEUE 64

/* The scratch database's page cache: FTS5 appends segments and merges
 * them in streams, so it needs little (10,000 items: 4 MB cost no CPU
 * measurably against 16 MB and kept 12.8 MB of peak RSS off). */
#define BGINDEX_CACHE_KIB 4096

typedef struct bgindex bgindex;

/* Starts the thread for db, a bundle being built whose schema is written
 * (not yet in a transaction's uncommitted part: the table definitions are
 * read from it). Returns NULL with err; NULL with err empty when db has no
 * file to put the scratch database beside (in memory): index in place. */
bgindex *bgindex_start(sqlite3 *db, char *err, size_t errcap);

/* Queues one unit's rows (indexer.c put_index: rowid, title, keywords,
 * context, body, lang); the strings are copied. Waits while the queue is
 * full. Returns 0, or -1 when the thread has failed (bgindex_finish says
 * why). */
int bgindex_put(bgindex *g, sqlite3_int64 id, const char *title, const char *keywords, const char *context,
                const char *body, const char *lang);

/* Why the thread failed, once bgindex_put said it had. */
void bgindex_error(bgindex *g, char *err, size_t errcap);

/* No more rows: the thread merges its index while the caller goes on. */
void bgindex_end(bgindex *g);

/* Waits for the thread and copies the index tables into db (attached
 * there, so SQLite copies the records as they are); db's open transaction
 * is committed after the copy and a new one begun, since an attached
 * database cannot be detached inside one. Then removes the scratch
 * database and frees g. Returns 0, or -1 with err. */
int bgindex_finish(bgindex *g, sqlite3 *db, char *err, size_t errcap);

/* Stops the thread and throws its work away (NULL is fine). */
void bgindex_free(bgindex *g);
