/* fts — the bundle's full-text search: words, stems and tokenizers.
 *
 * Two generations live here. The item-level index of schema 1 (the 'search'
 * table, still read by store_search() for the current search screen) uses
 * the 'infopoint' tokenizer below. The unit index of schema 2 (store_find(),
 * see store.h) is fed canonical stems computed in C (fts_next_word,
 * fts_stem): one canonical form for the index, the query and the
 * highlighter, so the three can never disagree.
 *
 * The 'infopoint' FTS5 tokenizer is unicode61 (case folding for Cyrillic,
 * Kazakh letters included, and Latin; Latin diacritics removed) plus one fold
 * unicode61 lacks: ё → е, so "ёлка" and "елка" are one word. Both letters are
 * two bytes in UTF-8, so token offsets and snippets still match the text. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

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

/* ---- canonical words (fts_word.c) -------------------------------------- */

/* Longest canonical word kept, in bytes; longer words are cut. */
#define FTS_WORD_MAX 64
/* fts_fold's answer for a combining mark: part of a word, not of its form. */
#define FTS_FOLD_DROP 0xFFFFFFFFu

/* The canonical form of one code point: lower case, Latin diacritics
 * removed, ё → е, Kazakh letters → Russian base letters (ә→а і→и ң→н ғ→г
 * ү ұ→у қ→к ө→о һ→х). 0 for a character that separates words. */
uint32_t fts_fold(uint32_t cp);

/* The next word of text[0..len) from *pos (advanced past it): its bytes
 * [*start, *end) and its canonical form in out. Digits and letters are
 * separate words; a trailing "'s" is skipped. Returns 1, or 0 at the end. */
int fts_next_word(const char *text, size_t len, size_t *pos, size_t *start, size_t *end,
                  char out[FTS_WORD_MAX + 1]);

/* 1 when a canonical word is all ASCII (a Latin word or a number). */
int fts_is_latin(const char *word);

/* 1 when a canonical word is a number. */
int fts_is_number(const char *word);

/* A Latin word read as Kazakh or Russian written in Latin letters (the
 * Kazakh Latin alphabet of 2021 and informal spellings: q→қ, sh→ш, zh/j→ж,
 * ts/c→ц, ya/ia→я, y→й or ы), in canonical Cyrillic. Returns 1, or 0 when
 * the word is not Latin letters. */
int fts_latin_to_cyrillic(const char *word, char out[FTS_WORD_MAX + 1]);

/* A canonical Cyrillic word spelled in Latin letters (as English texts
 * spell names). Returns 1, or 0 when it has no Cyrillic letter. */
int fts_cyrillic_to_latin(const char *word, char out[FTS_WORD_MAX + 1]);

/* Damerau–Levenshtein distance (adjacent swaps count one) between two
 * words, in code points; anything above limit is reported as limit + 1. */
int fts_distance(const char *a, const char *b, int limit);

/* ---- stems (fts_stem.c) --------------------------------------------------- */

typedef enum { FTS_LANG_KK, FTS_LANG_RU, FTS_LANG_EN, FTS_LANG_OTHER } fts_lang;

/* Snowball's stemmers for one thread: libstemmer's are not re-entrant. */
typedef struct fts_stemmer fts_stemmer;

/* The language of a code ("kk", "ru", "en"); FTS_LANG_OTHER else. */
fts_lang fts_lang_of(const char *code);

/* Makes the stemmers. NULL when memory ran out. */
fts_stemmer *fts_stemmer_new(void);

/* Frees them (NULL is fine). */
void fts_stemmer_free(fts_stemmer *s);

/* The stem of a canonical word in a language: Snowball for Russian and
 * English (by the word's script), the Kazakh suffix stripper for Kazakh;
 * numbers unchanged. Writes out (may be word itself); returns its length. */
size_t fts_stem(fts_stemmer *s, fts_lang lang, const char *word, char out[FTS_WORD_MAX + 1]);

/* The Kazakh suffix stripper alone (pure): case, plural, possessive and
 * common verb endings off, never below four letters. Returns the length. */
size_t fts_stem_kk(const char *word, char out[FTS_WORD_MAX + 1]);

/* ---- trigrams of the correction vocabulary (fts_word.c) ----------------- */

/* Longest token fts_gram_tokens writes per trigram, with its space. */
#define FTS_GRAM_TOKEN 9
/* Trigram tokens of a word: at most this many (one per code point + 2). */
#define FTS_MAX_GRAMS (FTS_WORD_MAX + 2)

/* The trigrams of a canonical word with its ends marked ('$пр', 'пре', ...,
 * 'нт$'), each hashed to an ASCII token ("g" and base-36 digits) that the
 * 'ascii' tokenizer keeps whole. Writes them space-separated to out
 * (FTS_MAX_GRAMS * FTS_GRAM_TOKEN + 1 bytes) and returns how many. */
int fts_gram_tokens(const char *word, char *out);
