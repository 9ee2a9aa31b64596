/* bgindex (bgindex.h): the full-text rows written on a second thread into
 * a scratch database are copied into the bundle at the end; they arrive
 * whole, and a copy that does not fit fails with the reason. A first sync
 * on a nearly full disk failed there with "search index copy: not an
 * error" (the message of the statement finalized after the failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "bgindex.h"
#include "builder.h"
#include "fts.h"
#include "support.h"

#define UNITS 200

static long count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* A new bundle file with the schema (as a build makes it), no rows. */
static sqlite3 *new_bundle(const char *dir, const char *name)
{
    char path[600], err[300] = "";
    sqlite3 *db;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(fts_register(db), SQLITE_OK);
    builder *b = builder_begin(db, err, sizeof err);
    if (!b)
        fail_msg("builder_begin: %s", err);
    builder_free(b);
    assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

/* Starts the thread on db in a transaction and hands it UNITS units,
 * unit i holding the words "word<(i * 7 + w * 13) % 997>", w < 150. */
static bgindex *fill(sqlite3 *db)
{
    char err[300] = "", body[2000];
    assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    bgindex *g = bgindex_start(db, err, sizeof err);
    if (!g)
        fail_msg("bgindex_start: %s", err);
    for (int i = 1; i <= UNITS; i++) {
        int n = 0;
        for (int w = 0; w < 150; w++)
            n += snprintf(body + n, sizeof body - (size_t)n, "word%d ", (i * 7 + w * 13) % 997);
        assert_int_equal(bgindex_put(g, i, "A title", "keywords", "", body, "en"), 0);
    }
    return g;
}

static void test_copied_whole(void **unused)
{
    (void)unused;
    char dir[256], err[300] = "";
    support_tempdir(dir, sizeof dir, "bgindex");
    sqlite3 *db = new_bundle(dir, "ok.ipb");
    if (bgindex_finish(fill(db), db, err, sizeof err) < 0)
        fail_msg("bgindex_finish: %s", err);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count(db, "SELECT count(*) FROM search_index_docsize"), UNITS);
    long want = 0; /* units holding the word "word5" */
    for (int i = 1; i <= UNITS; i++)
        for (int w = 0; w < 150; w++)
            if ((i * 7 + w * 13) % 997 == 5) {
                want++;
                break;
            }
    assert_true(want > 0);
    assert_int_equal(count(db, "SELECT count(*) FROM search_index('word5')"), want);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO search_index(search_index) VALUES('integrity-check')", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    support_rmtree(dir);
}

/* The bundle may not grow (max_page_count: a full disk): the copy fails
 * and says so. */
static void test_copy_that_does_not_fit(void **unused)
{
    (void)unused;
    char dir[256], err[300] = "", sql[80];
    support_tempdir(dir, sizeof dir, "bgindex");
    sqlite3 *db = new_bundle(dir, "full.ipb");
    bgindex *g = fill(db);
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", count(db, "PRAGMA page_count"));
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(bgindex_finish(g, db, err, sizeof err), -1);
    assert_non_null(strstr(err, "search index copy"));
    assert_non_null(strstr(err, "full"));
    assert_null(strstr(err, "not an error"));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    support_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copied_whole),
        cmocka_unit_test(test_copy_that_does_not_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
