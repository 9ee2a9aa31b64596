/* indexer — writes the unit index of a bundle (schema 3: search_units,
 * search_index, search_heads, search_forms, search_trigrams).
 *
 * The one place that turns content into index rows. The content tool calls
 * it while it builds a bundle, the kiosk while it installs an update, both
 * from the same inputs (an item_texts row, its parsed body, the item's kind
 * and the keywords table), so a bundle the kiosk assembled searches exactly
 * like the one the tool built.
 *
 * A unit is a search result's target: the item itself, an anchored clause
 * or section (its own unit up to the next anchor), or an explainer card.
 * Units partition the text: the item unit holds only the text before the
 * first anchored place. Each unit is indexed as canonical stems
 * (fts.h) in four columns: title, keywords, context (the item's title and
 * summary, and for a clause its article's heading), body. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

#include "bgindex.h"
#include "content.h"

typedef struct indexer indexer;

/* Units are numbered in one block of ids per language (kk, ru, en, then
 * any other), in the order they are added (an update first gives again
 * the ids it freed; a text's units stay in id order), so a search in one language
 * asks the index for a range of rowids instead of intersecting every
 * match with a language token held by a third of the index. Bundles built
 * before the blocks have their units below the first block; the finder
 * then filters by the lang column, which every unit still has. */
#define INDEXER_BLOCK_SHIFT 40

/* Forms whose stems the writer remembers (about 80 bytes each, under the
 * 2^19 slots of its table); past this
 * it writes them and starts again, so its memory does not grow with the
 * vocabulary of the content. */
#define INDEXER_MAX_WORDS 500000u
/* The same for an update, whose words are written after each text anyway:
 * the map is only a cache there, and an incremental sync must stay small. */
#define INDEXER_UPDATE_MAX_WORDS 20000u

/* The first id of lang's block; its units are numbered from there up. */
sqlite3_int64 indexer_lang_block(const char *lang);

/* Starts writing on db, which has the schema. whole: the whole bundle is
 * indexed in this session, so the word lists are written once, sorted, at
 * indexer_close (faster); else they are written as they come. Returns NULL
 * with err when memory ran out or a statement failed. */
indexer *indexer_open(sqlite3 *db, int whole, char *err, size_t errcap);

/* A whole build's full-text rows (search_index, search_heads) go to g's
 * thread from now on instead of into db (bgindex.h); NULL: into db. Such
 * a writer adds, never removes. */
void indexer_write_behind(indexer *ix, bgindex *g);

/* Indexes one text of an item: item_texts row text_id with its parsed body
 * (the keywords rows of the item must be in db already). Returns 0, or -1
 * with the reason in indexer_error. */
int indexer_add_text(indexer *ix, sqlite3_int64 text_id, const char *item_id, const char *kind, const char *lang,
                     const char *title, const char *summary, const content_doc *doc);

/* Indexes every text of an item from the content tables, or only its text
 * in lang when lang is not NULL. Returns 0 or -1. */
int indexer_add_item(indexer *ix, const char *item_id, const char *lang);

/* Takes an item's units (or those of its text in lang, when not NULL) out
 * of the index, while its content rows are still there (a contentless
 * index needs the indexed values to remove them). Its words stay in the
 * word lists, where they cost a lookup that finds nothing. The ids freed
 * are given to the next units added in the same language, so a text put
 * back keeps its rows where they were. Returns 0 or -1. */
int indexer_remove_item(indexer *ix, const char *item_id, const char *lang);

/* An item's text in lang is about to be replaced (its item_texts row
 * updated in place, keeping its rowid): reads its units while the old row
 * is there and holds them, writing nothing. The next indexer_add_item of
 * that text puts unit i under held unit i's id and writes only what
 * changed: a unit whose words are the same is not touched, and the heads
 * index only where a title or keywords changed. Held units the text no
 * longer has go out; a hold not followed by its text goes out at the next
 * call or at indexer_close. Returns 0 or -1. */
int indexer_hold_text(indexer *ix, const char *item_id, const char *lang);

/* Why the last call failed. */
const char *indexer_error(const indexer *ix);

/* Writes what is pending and frees the writer (NULL is fine). Returns 0,
 * or -1 with err. */
int indexer_close(indexer *ix, char *err, size_t errcap);
