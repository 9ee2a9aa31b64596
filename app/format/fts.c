#include "fts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

/* 1 when phrase p has an instance in a column below ncols (-1: error). */
static int phrase_in_columns(const Fts5ExtensionApi *api, Fts5Context *ctx, int p, int ncols)
{
    Fts5PhraseIter it;
    int col = -1, off = -1;
    if (api->xPhraseFirst(ctx, p, &it, &col, &off) != SQLITE_OK)
        return -1;
    /* Instances come in column order: the first tells. */
    return col >= 0 && col < ncols;
}

/* ip_word_count(search_index, map [, ncols]): how many different query
 * words occur in the current row (in its first ncols columns when given:
 * 1 the title, 2 title and keywords). map names the word of each phrase of
 * the query, one character per phrase ('0' + word, '-' for a phrase that is
 * not a word, such as the language filter). store_find orders by it: more
 * words in the title first, then in title and keywords, then ip_score, so a
 * place whose title and keywords say what was asked comes before one that
 * shares a single word of its title by chance. */
static void word_count(const Fts5ExtensionApi *api, Fts5Context *ctx, sqlite3_context *out, int nargs,
                       sqlite3_value **args)
{
    const char *map = nargs > 0 ? (const char *)sqlite3_value_text(args[0]) : NULL;
    int ncols = nargs > 1 ? sqlite3_value_int(args[1]) : 4;
    unsigned seen = 0;
    int n = api->xPhraseCount(ctx), count = 0;
    for (int p = 0; map && p < n && map[p]; p++) {
        if (map[p] < '0' || map[p] > '9' || (seen & (1u << (map[p] - '0'))))
            continue;
        int in = phrase_in_columns(api, ctx, p, ncols);
        if (in < 0) {
            sqlite3_result_error(out, "ip_word_count: cannot read positions", -1);
            return;
        }
        if (in) {
            seen |= 1u << (map[p] - '0');
            count++;
        }
    }
    sqlite3_result_int(out, count);
}

/* Columns ip_score weighs; more are ignored. */
#define SCORE_MAX_COLS 8

/* ip_score(table, weight of column 0, weight of column 1, ...): bm25
 * without its inverse document frequency, negated as FTS5's rank is (lower
 * is better). FTS5's bm25() counts, once per query, every row that holds
 * each phrase to weigh it; the language filter ('kk') is a phrase held by
 * a third of the index, and a short prefix by most of it, so that count
 * grows with the bundle and was most of a query's cost at 100,000 items.
 * Here a row costs only its own instances: term frequency per column,
 * saturated (k1 = 1.2) and normalised by the column's length against its
 * average (b = 0.75), times the column's weight. */
static void score(const Fts5ExtensionApi *api, Fts5Context *ctx, sqlite3_context *out, int nargs,
                  sqlite3_value **args)
{
    double w[SCORE_MAX_COLS] = {0}, tf[SCORE_MAX_COLS] = {0};
    int ncols = api->xColumnCount(ctx), n_inst = 0;
    if (ncols > SCORE_MAX_COLS)
        ncols = SCORE_MAX_COLS;
    for (int c = 0; c < ncols && c < nargs; c++)
        w[c] = sqlite3_value_double(args[c]);
    if (api->xInstCount(ctx, &n_inst) != SQLITE_OK) {
        sqlite3_result_error(out, "ip_score: cannot read positions", -1);
        return;
    }
    for (int i = 0; i < n_inst; i++) {
        int phrase, col, off;
        if (api->xInst(ctx, i, &phrase, &col, &off) == SQLITE_OK && col >= 0 && col < ncols)
            tf[col] += 1.0;
    }
    sqlite3_int64 rows = 0;
    api->xRowCount(ctx, &rows);
    double total = 0;
    for (int c = 0; c < ncols; c++) {
        if (tf[c] == 0 || w[c] == 0)
            continue;
        int len = 0;
        sqlite3_int64 all = 0;
        api->xColumnSize(ctx, c, &len);
        api->xColumnTotalSize(ctx, c, &all);
        double avg = rows > 0 && all > 0 ? (double)all / (double)rows : 1.0;
        total += w[c] * tf[c] * 2.2 / (tf[c] + 1.2 * (0.25 + 0.75 * (double)len / avg));
    }
    sqlite3_result_double(out, -total);
}

int fts_register(sqlite3 *db)
{
    fts5_api *api = fts5_api_of(db);
    if (!api)
        return SQLITE_ERROR;
    int rc = api->xCreateFunction(api, "ip_word_count", NULL, word_count, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "ip_score", NULL, score, NULL);
    return rc;
}

