/* store_private — what store.c and find.c share; not for other modules. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>

#include "store.h"

/* The unit-index search of one open store (find.c): its statements, stemmers
 * and scratch space, made once at open. */
typedef struct finder finder;

/* Prepares the finder on an open bundle. NULL with err on failure. */
finder *finder_open(sqlite3 *db, char *err, size_t errcap);

/* Frees it (NULL is fine). */
void finder_close(finder *f);

/* store_find with the store's fallback order (langs[0..n_langs)). */
int finder_find(finder *f, const char (*langs)[4], int n_langs, const char *text, const char *lang, unsigned flags,
                store_result *out, int max, store_find_info *info);
