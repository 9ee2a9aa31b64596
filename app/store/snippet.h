/* snippet — search snippets and highlight ranges, computed in C.
 *
 * FTS5's snippet() and highlight() re-run the whole MATCH expression for
 * every row. The words to mark are known (the query's words, in the
 * canonical form of fts.h), so the kiosk finds them itself, with the same
 * canonical form the index and the query use: whole words, never the
 * punctuation around them. Pure. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A highlighted byte range in the output text. */
typedef struct {
    uint16_t start, len;
} snippet_range;

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
