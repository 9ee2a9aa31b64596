/* bundle — the editor's tool: checks a content folder, builds a bundle from
 * it, describes a built bundle.
 *
 * Builds are deterministic: the same sources give a byte-identical file, on
 * any machine, from any path, whatever the files' times or the directory
 * listing order (srcdir sorts; this module inserts in id order).
 * Nothing here reads the clock.
 *
 * bundle_build streams: one item is in memory at a time, and what the
 * checks need of the others (their anchors and cards) is kept in a small
 * outline, so 100,000 items build in bounded memory (BENCHMARKS.md,
 * "Content tool at 100,000 items"). */
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "digest.h"
#include "srcdir.h"

/* Longest anchor title taken from a clause paragraph, in bytes; longer text
 * is cut at a word and ends with "…". Headings are never cut. */
#define BUNDLE_ANCHOR_TITLE_MAX 160

/* Checks what spans files and items (links and their targets, anchors and
 * cards identical in every language, explainer cards) and adds diagnostics
 * to sd. Returns -1 when memory ran out, else 0 (see sd->n_errors). */
int bundle_check(srcdir *sd);

/* Writes the bundle of a checked, error-free model from srcdir_read to
 * path: path.tmp first, fsync, then an atomic rename. Fills digest. Returns
 * 0, or -1 with err. */
int bundle_write(srcdir *sd, const char *path, char digest[DIGEST_HEX_LEN + 1], char *err, size_t errcap);

/* Reads, checks and writes the items of a model from srcdir_open one at a
 * time (the same diagnostics as srcdir_read and bundle_check, added to sd),
 * to path as bundle_write does. Returns 0, or -1 with err; with errors in
 * the content (sd->n_errors) nothing is left at path. */
int bundle_build(srcdir *sd, const char *path, char digest[DIGEST_HEX_LEN + 1], char *err, size_t errcap);

/* Prints what the bundle at path holds to out and verifies its stored digest
 * against a recomputation. Returns 0, or -1 with err ("digest mismatch ..."). */
int bundle_info(const char *path, FILE *out, char *err, size_t errcap);

/* Searches the bundle at path as the kiosk does (store_find) and prints one
 * line per result, "ROUTE<TAB>TITLE<TAB>SNIPPET", in the kiosk's order,
 * after a "Showing results for: ..." line when the query was corrected (and
 * "Showing results with any of the words" when no place had all of them).
 * lang NULL: every language. Returns the number of results, or -1 with err. */
int bundle_search(const char *path, const char *lang, int limit, const char *query, FILE *out, char *err,
                  size_t errcap);
