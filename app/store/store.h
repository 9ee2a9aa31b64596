/* store — read-only access to a content bundle (one SQLite file).
 *
 * Knows nothing about SDL or the network. Every query is a prepared statement
 * made once at open; text from users is only ever bound as a parameter.
 * A store is used from one thread at a time. Strings returned in the fixed
 * structs below are copies, cut at a code-point boundary if too long. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The schema version this kiosk reads (PRAGMA user_version, db/schema.sql). */
#define STORE_SCHEMA_VERSION 3

#define STORE_ID_MAX 65        /* ids and anchors, with NUL */
#define STORE_TITLE_MAX 256
#define STORE_SUMMARY_MAX 512
#define STORE_SNIPPET_MAX 512
#define STORE_MAX_HIGHLIGHTS 8
#define STORE_MAX_LANGS 8
#define STORE_MAX_CATEGORIES 64     /* categories store_featured looks in */

typedef struct store store;

/* Why a bundle could not be opened. */
typedef enum {
    STORE_OK = 0,
    STORE_ERR_MISSING,     /* no such file */
    STORE_ERR_NOT_BUNDLE,  /* not SQLite, truncated, or not our tables */
    STORE_ERR_SCHEMA,      /* a schema version this kiosk does not read */
    STORE_ERR_CORRUPT,     /* SQLite reports corruption */
    STORE_ERR_NOMEM
} store_status;

typedef struct {
    char id[STORE_ID_MAX];
    char title[STORE_TITLE_MAX];
    char summary[STORE_SUMMARY_MAX];
    char icon[STORE_TITLE_MAX];     /* asset name or "" */
    char lang[4];                   /* language the title is in */
} store_category;

typedef struct {
    char id[STORE_ID_MAX];
    char kind[16];                  /* "article", "document", "explainer" */
    char category[STORE_ID_MAX];
    char title[STORE_TITLE_MAX];
    char summary[STORE_SUMMARY_MAX];
    char cover[STORE_TITLE_MAX];    /* asset name or "" */
    char lang[4];                   /* language the title is in ("" if none) */
    int featured;
    int64_t pos;                    /* display order in its category (for store_items_after) */
} store_item;

/* An item's full text in one language; fields are heap strings. */
typedef struct {
    char *title;
    char *summary;
    char *body;                     /* Markdown */
    char lang[4];                   /* the language served (after fallback) */
} store_text;

typedef struct {
    char anchor[STORE_ID_MAX];
    int level;                      /* document: 1 section, 2 article, 3 clause; explainer: 1 card */
    char title[STORE_TITLE_MAX];
} store_anchor;

typedef struct {
    void *data;                     /* heap copy of the image bytes */
    size_t size;
    char mime[32];
    int width, height;
} store_asset;

/* A highlighted byte range inside store_result.title or store_result.snippet. */
typedef struct {
    uint16_t start, len;
} store_range;

/* Opens a bundle read-only and checks it is one this kiosk reads. Returns NULL
 * with *status and a one-line reason in err (e.g. "bundle schema version 7 is
 * not supported (this kiosk reads version 1)"). */
store *store_open(const char *path, store_status *status, char *err, size_t errcap);

/* Closes a store (NULL is fine). */
void store_close(store *s);

/* Sets the language fallback order, e.g. "kk ru en". Unknown codes are
 * ignored; returns the number of languages kept. Default: meta 'fallback'. */
int store_set_fallback(store *s, const char *langs);

/* Copies a meta value (e.g. "bundle_version", "created", "digest") into out.
 * Returns 0, or -1 when the key is absent. */
int store_meta(store *s, const char *key, char *out, size_t cap);


/* The first max categories in display order, titles in lang (with
 * fallback). Returns the count written (≤ max), or -1 on a database error. */
int store_categories(store *s, const char *lang, store_category *out, int max);

/* One category, title in lang. Returns 0, or -1 when there is no such one. */
int store_category_get(store *s, const char *id, const char *lang, store_category *out);

/* How many items a category has (counts them: not for every frame).
 * Returns the count or -1. */
int store_category_size(store *s, const char *id);

/* The first max items of a category in display order. Returns count or -1. */
int store_items(store *s, const char *category, const char *lang, store_item *out, int max);

/* The next max items of a category after the item `after` (one this
 * function or store_items returned; NULL: from the start), so a long list
 * is read a page at a time, each page costing the same. Returns count or -1. */
int store_items_after(store *s, const char *category, const store_item *after, const char *lang,
                      store_item *out, int max);

/* The first max featured items, categories in display order (for the home
 * screen). Returns count or -1. */
int store_featured(store *s, const char *lang, store_item *out, int max);

/* One item's list entry. Returns 0, or -1 when there is no such item. */
int store_item_get(store *s, const char *id, const char *lang, store_item *out);

/* An item's text in lang, else the first language of the fallback order that
 * has it. Returns 0, or -1 when the item has no text at all. Free with
 * store_text_free. */
int store_item_text(store *s, const char *id, const char *lang, store_text *out);

/* Frees the strings of a store_text (the struct itself is the caller's). */
void store_text_free(store_text *t);

/* Named places of an item in document order (table of contents, cards).
 * Returns count or -1. */
int store_anchors(store *s, const char *id, const char *lang, store_anchor *out, int max);

/* 1 when item exists (and, if anchor is non-NULL and non-empty, has it). */
int store_resolve(store *s, const char *item, const char *anchor);

/* Reads an asset. Returns 0, or -1 when absent. Free with store_asset_free. */
int store_asset_get(store *s, const char *name, store_asset *out);

/* Frees an asset's data. */
void store_asset_free(store_asset *a);

/* ---- search at the right depth (schema 3, app/store/find.c) ---------------
 *
 * store_find answers what a citizen typed with the places that hold it: an
 * item, a clause or article of a document, or a card of a deck, each once,
 * in the order the screen shows them. Every word is matched in one
 * canonical form (fts.h: case, ё, Kazakh letters folded to Russian ones),
 * by its stem (Snowball for Russian and English, a suffix stripper for
 * Kazakh), and, for the word being typed, by prefix; Latin words are also
 * tried as Kazakh or Russian in Latin letters ("qazaqstan", "saylau").
 *
 * The order of attempts, each only when the one before found nothing:
 *   1. every word, in lang;
 *   2. every word, in the other languages (results marked other_lang);
 *   3. words that match nothing anywhere are corrected against the
 *      bundle's words (one edit for 4-7 letters, two for 8 or more) and
 *      1-2 run again: info->corrected says what was searched for;
 *   4. any word, ranked by how many words a result has (info->any_word).
 * Titles rank above the editor's keywords, keywords above the context
 * (item title, article heading), the context above the body. */

#define STORE_ROUTE_MAX 160
#define STORE_QUERY_MAX 256

/* One place that matches. */
typedef struct {
    char route[STORE_ROUTE_MAX];    /* "item/<id>", "item/<id>#<anchor>", "deck/<id>/<n>" */
    char item_id[STORE_ID_MAX];
    char anchor[STORE_ID_MAX];      /* "" for the item itself */
    int card;                       /* 1-based card of a deck, else 0 */
    char kind[16];                  /* the item's kind */
    char lang[4];                   /* language of title and snippet */
    int other_lang;                 /* 1: not the language asked for; label it with lang */
    char title[STORE_TITLE_MAX];    /* where: "Article 43, clause 1", a card's title, the item's title */
    char item_title[STORE_TITLE_MAX]; /* the item's title, for a clause or card ("" for the item) */
    char snippet[STORE_SNIPPET_MAX]; /* from this place's text only; "" when it has none */
    store_range title_hl[STORE_MAX_HIGHLIGHTS];   /* whole words, no punctuation */
    int n_title_hl;
    store_range snippet_hl[STORE_MAX_HIGHLIGHTS];
    int n_snippet_hl;
} store_result;

/* What store_find did besides finding. */
typedef struct {
    int n;                          /* results written (also the return value) */
    char corrected[STORE_QUERY_MAX]; /* "Showing results for …": the corrected query, "" if none */
    int any_word;                   /* 1: no place has every word; ranked by words matched */
    int other_langs;                /* 1: nothing in lang; results from the other languages */
} store_find_info;

/* Flags of store_find. */
#define STORE_FIND_EXACT 1u         /* no typo correction: "search for what I typed" */
#define STORE_FIND_WORDS 2u         /* every word is complete (the last one too) */

/* Searches text in lang (NULL or "": every language, in fallback order).
 * info may be NULL. Returns the number of results (<= max), 0 when nothing
 * matches or the text has no words, -1 on a database error. */
int store_find(store *s, const char *text, const char *lang, unsigned flags, store_result *out, int max,
               store_find_info *info);

/* Number of items of each kind and texts per language, for `info` and the
 * operator screen. Returns 0 or -1. */
int store_counts(store *s, int *articles, int *documents, int *explainers);

/* The open database, for tools that need more (digest, integrity check). */
struct sqlite3 *store_db(store *s);

/* SQLite's own check of a database: PRAGMA integrity_check (full) or
 * quick_check (b-trees and records, no index cross-check). Returns 0 when it
 * says "ok", else -1 with its first finding (or the error) in why. */
int store_db_check(struct sqlite3 *db, int full, char *why, size_t cap);
