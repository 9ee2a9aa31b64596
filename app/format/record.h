/* record — the content-addressed pieces a bundle travels in.
 *
 * A repository does not carry bundles; it carries records, each the rows of
 * one piece of content, so a change to one item re-sends that item only:
 *
 *   base            meta (but the digest), categories, category_texts
 *   item <id>       its items, item_texts, anchors, links and keywords rows
 *   asset <name>    its assets row (an image, which is why it stands alone:
 *                   fixing a typo must not re-send a photo)
 *
 * A record is bytes: "IPREC1\n", then rows, each the table's number (below),
 * the number of values and every value typed and length-prefixed, exactly
 * as the content digest hashes them. Applying all records of a bundle to an
 * empty bundle (schema only) gives the same content and the same digest, so
 * the kiosk checks what it assembled against the signed digest. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

/* Largest record accepted (an image and its row). */
#define RECORD_MAX_BYTES (16u * 1024u * 1024u)

typedef enum { RECORD_BASE, RECORD_ITEM, RECORD_ASSET } record_kind;

/* Builds the record of one piece of the bundle open on db (key: item id or
 * asset name; ignored for base). Returns a heap buffer and its length, or
 * NULL with err. */
unsigned char *record_build(sqlite3 *db, record_kind kind, const char *key, size_t *len, char *err, size_t errcap);

/* Inserts the rows of a record into db (a bundle with the schema). Checks
 * every row against the table it names (known table, right number of values,
 * sane types) before it touches the database. Returns 0, or -1 with err. */
int record_apply(sqlite3 *db, const unsigned char *rec, size_t len, char *err, size_t errcap);

/* The most languages record_item_parts tells apart. */
#define RECORD_MAX_PARTS 16

/* One language's share of an item record: the hash of its item_texts,
 * anchors, links and keywords rows. */
typedef struct {
    char lang[16];
    unsigned char sha[32];
} record_part;

/* Splits an item record (checked whole first) into what an update can
 * replace apart: item_sha, the hash of its other rows (the items row), and
 * one part per language, in the order met, at most cap. Two records with
 * the same item_sha differ only in the languages whose parts differ.
 * Returns 0, or -1 with err (damaged, or more languages than cap). */
int record_item_parts(const unsigned char *rec, size_t len, unsigned char item_sha[32], record_part *parts, size_t cap,
                      size_t *n, char *err, size_t errcap);

/* Inserts the rows of an item record in one language only (item_texts,
 * anchors, links, keywords). An item_texts row with the same key is
 * updated where it is, keeping its rowid; the other tables' rows of that
 * language must have been taken out. Returns 0, or -1 with err. */
int record_apply_lang(sqlite3 *db, const unsigned char *rec, size_t len, const char *lang, char *err, size_t errcap);
