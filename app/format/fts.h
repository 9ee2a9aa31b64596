/* fts — the bundle's full-text search tokenizer and query builder.
 *
 * The 'infopoint' FTS5 tokenizer is unicode61 (case folding for Cyrillic,
 * Kazakh letters included, and Latin; Latin diacritics removed) plus one fold
 * unicode61 lacks: ё → е, so "ёлка" and "елка" are one word. Both letters are
 * two bytes in UTF-8, so token offsets and snippets still match the text. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

/* Longest query text accepted from the on-screen keyboard, in bytes. */
#define FTS_MAX_QUERY 256
/* Words of a query that are used; the rest are ignored. */
#define FTS_MAX_TERMS 8

/* Registers the 'infopoint' tokenizer on db. Returns SQLITE_OK or an error. */
int fts_register(sqlite3 *db);

/* Fills the bundle's search_terms table from the search index (after the
 * last row went into the index). Returns SQLITE_OK or an error. */
int fts_fill_terms(sqlite3 *db);

/* Adds the words of text (tokenized for a document, as the index does) to
 * search_terms, for a kiosk that indexes changed items itself: cheaper than
 * fts_fill_terms over the whole index. Words of removed items stay listed,
 * which costs nothing but a lookup that finds no rows. Returns SQLITE_OK or
 * an error. */
int fts_add_terms(sqlite3 *db, const char *text, size_t len);

/* Longest token kept from a query, in bytes. */
#define FTS_TOKEN_MAX 64

/* The words of a query as the index holds them (folded by the tokenizer). */
typedef struct {
    char token[FTS_MAX_TERMS][FTS_TOKEN_MAX + 1];
    int n;
} fts_tokens;

/* Tokenizes text with the 'infopoint' tokenizer registered on db, so the
 * words are folded exactly as the index folded them; duplicates dropped.
 * Returns the number of tokens, or -1 on error. */
int fts_query_tokens(sqlite3 *db, const char *text, fts_tokens *out);

/* Turns what a citizen typed into a safe FTS5 MATCH expression: every word
 * becomes a quoted prefix term ("президент"*), punctuation and FTS syntax
 * are dropped, so user text never becomes query syntax. Writes at most cap
 * bytes to out and returns the number of terms (0: nothing to search for). */
int fts_build_query(const char *text, char *out, size_t cap);
