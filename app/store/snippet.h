/* snippet — search snippets and highlight ranges, computed in C.
 *
 * FTS5's snippet() and highlight() re-run the whole MATCH expression, and
 * a prefix term such as "президент"* merges every matching doclist again:
 * ~4 ms per hit on a 10,000-item bundle. The words to mark are known (the
 * terms the citizen typed), so the kiosk finds them itself: a word is a hit
 * when it starts with a term, compared case-folded (Latin, Cyrillic and the
 * Kazakh letters) with ё = е, as the search tokenizer does. Pure. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SNIPPET_MAX_TERMS 8
#define SNIPPET_TERM_MAX 64

/* A highlighted byte range in the output text. */
typedef struct {
    uint16_t start, len;
} snippet_range;

/* The terms of a query, folded. */
typedef struct {
    char term[SNIPPET_MAX_TERMS][SNIPPET_TERM_MAX];
    size_t len[SNIPPET_MAX_TERMS];
    int n;
} snippet_terms;

/* Words of at least this many letters lose a final vowel before matching. */
#define SNIPPET_STEM_MIN 6

/* A light stem: a long word loses one final vowel (or soft sign), so the
 * nominative a citizen types ("конституция") finds the other cases
 * ("конституции", "конституцию") by prefix. term is folded UTF-8, changed
 * in place. Returns its new length. */
size_t snippet_stem(char *term);

/* Splits what was typed into words, folds and stems them. Returns the count. */
int snippet_terms_parse(const char *text, snippet_terms *t);

/* Folds one code point for matching: lower case, ё → е. */
uint32_t snippet_fold(uint32_t cp);

/* Copies text into out (cut at a code point, cap bytes with NUL) and marks
 * the words that match a term. Returns the number of ranges (≤ max_hl). */
int snippet_highlight(const char *text, const snippet_terms *t, char *out, size_t cap, snippet_range *hl, int max_hl);

/* A window of about `words` words around the first hit in text, with "…"
 * where text was cut, and the hits in it marked. No hit: the beginning. */
int snippet_make(const char *text, const snippet_terms *t, int words, char *out, size_t cap, snippet_range *hl,
                 int max_hl);

/* ---- snippets of schema 2 (store_find): the canonical form of fts.h ---- */

/* Decides whether a word is a hit, from its canonical form (fts.h): 0 no,
 * else 1 + the index of the query word it answers (so a window can count
 * how many different words it shows). */
typedef int (*snippet_match_fn)(void *ctx, const char *form);

/* Copies text[0..len) into out (cap bytes with NUL, cut at a word) and marks
 * the whole words that match, without punctuation. Returns the number of
 * ranges (<= max_hl). */
int snippet_mark(const char *text, size_t len, snippet_match_fn match, void *ctx, char *out, size_t cap,
                 snippet_range *hl, int max_hl);

/* A window of about `words` words of text[0..len) inside one of its lines
 * (blocks are lines: a window never runs a heading into a paragraph), the
 * one that shows the most different query words, earliest first; "…"
 * where text was cut; hits marked. No hit: the first words. n_query is the
 * number of query words: the text is read only up to the line where all
 * were seen. Returns the number of ranges. */
int snippet_window(const char *text, size_t len, snippet_match_fn match, void *ctx, int n_query, int words,
                   char *out, size_t cap, snippet_range *hl, int max_hl);
