/* builder — a new bundle written from nothing, the one way both writers
 * write it: the content tool (app/tool/bundle.c, from a source folder) and
 * a kiosk's first full sync (app/sync/apply.c, from records).
 *
 * Both write a fresh file, so both take the same short cuts: no journal and
 * no fsync while writing (a file that did not finish is thrown away, never
 * repaired, so the commit bgindex_finish makes midway changes nothing), a
 * bounded page cache, the schema, one transaction, and the
 * unit index written whole (indexer.h: the word lists sorted once at the
 * end) and merged into one segment per index before the end. Its
 * full-text rows are written on a second thread (bgindex.h) and copied
 * in at the end, when the bundle is a file. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

#include "indexer.h"

/* The page cache of a build: the file is written in key order, so a larger
 * one saved no time (BENCHMARKS.md, issue 12). */
#define BUILDER_CACHE_KIB 32768

typedef struct builder builder;

/* Starts a bundle on db, a new empty database opened read-write: settings,
 * schema, BEGIN, the index writer. Returns NULL with err. */
builder *builder_begin(sqlite3 *db, char *err, size_t errcap);

/* The index writer of the build (indexer_add_text, indexer_add_item). */
indexer *builder_indexer(builder *b);

/* No more texts come: the second thread merges its index from now on,
 * while the caller goes on with work of its own (the content digest). */
void builder_end_texts(builder *b);

/* Writes the word lists and merges the search indexes, then frees b. The
 * transaction stays open: the caller adds the digest and commits. Returns
 * 0, or -1 with err. */
int builder_finish(builder *b, char *err, size_t errcap);

/* Frees a build that is given up (NULL is fine); the caller rolls back. */
void builder_free(builder *b);
