/* synth — a synthetic content folder for benchmarks: N items in kk, ru and en
 * with realistic text lengths and vocabulary, written in the source format of
 * assets/content/FORMAT.md so the real content tool builds it. */
#pragma once

#include <stddef.h>

/* Writes the folder dir (created; must not exist) with n_items items.
 * Same seed, same files. Returns 0, or -1 with a message in err. */
int synth_write_source(const char *dir, int n_items, unsigned seed, char *err, size_t errcap);

/* Fills out with query number i (0-based) of a fixed, varied set of search
 * queries: Cyrillic and Latin, one and two words, whole words and prefixes.
 * Returns the language the query is meant for ("kk", "ru", "en"). */
const char *synth_query(int i, char *out, size_t cap);

/* The shapes of search_query_shaped's queries: what a citizen has typed so
 * far (1, 2, 3 or more letters of a word), whole words (one or two), and
 * words with a typo (the correction path). */
typedef enum {
    SYNTH_Q_1,
    SYNTH_Q_2,
    SYNTH_Q_3,
    SYNTH_Q_WORDS,
    SYNTH_Q_TYPO,
    SYNTH_Q__COUNT
} synth_shape;

/* Name of a shape for reports ("1 letter", ..., "corrections"). */
const char *synth_shape_name(synth_shape shape);

/* Fills out with query number i of a shape, over the real words of the
 * synthetic texts; 3+ takes 3 letters up to all but one; a typo swaps two
 * letters inside a word of five letters or more. Returns the language. */
const char *synth_query_shaped(synth_shape shape, int i, char *out, size_t cap);
