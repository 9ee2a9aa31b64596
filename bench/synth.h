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
