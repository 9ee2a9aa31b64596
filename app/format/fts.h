/* fts — the bundle's full-text search: canonical words, stems and the
 * ranking function.
 *
 * The unit index (schema 3: store_find(), see store.h) is fed canonical
 * stems computed in C (fts_next_word, fts_stem), tokenized by FTS5's
 * 'ascii' tokenizer: one canonical form for the index, the query and the
 * highlighter, so the three can never disagree. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Words of a query that are used; the rest are ignored. */
#define FTS_MAX_TERMS 8

/* Registers the FTS5 functions store_find ranks with (ip_word_count,
 * ip_score) on db. Returns SQLITE_OK or an error. */
int fts_register(sqlite3 *db);

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
