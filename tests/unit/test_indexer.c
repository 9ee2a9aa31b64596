/* The indexer's word lists in an update (indexer.h, as an install runs it:
 * take the item out with its old rows, write the new rows, add it): a form
 * new to the bundle gets its search_forms row in each language it is in
 * and one correction-vocabulary entry, a form the bundle has gets none, and
 * an item taken out and put back unchanged leaves both lists as they were.
 * Checked on a copy of the sample bundle, as a kiosk's update would be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "indexer.h"
#include "support.h"

static sqlite3 *db;
static char item[128];

static void exec(const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
}

static long count(const char *sql, const char *param)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int setup(void **unused)
{
    (void)unused;
    sqlite3 *src;
    assert_int_equal(sqlite3_open_v2(getenv("SAMPLE_BUNDLE"), &src, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_backup *b = sqlite3_backup_init(db, "main", src, "main");
    assert_non_null(b);
    assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
    sqlite3_backup_finish(b);
    sqlite3_close(src);
    assert_int_equal(fts_register(db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM items WHERE kind = 'article' ORDER BY id LIMIT 1", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(item, sizeof item, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    sqlite3_close(db);
    return 0;
}

/* One update of the item: out with its rows as they are, the text of every
 * language given `suffix` (NULL: unchanged), in again. */
static void update_item(const char *suffix)
{
    char err[300];
    exec("BEGIN");
    indexer *ix = indexer_open(db, 0, err, sizeof err);
    if (!ix)
        fail_msg("%s", err);
    assert_int_equal(indexer_remove_item(ix, item), 0);
    if (suffix) { /* the sample's first article: the item setup chose */
        char edited[sizeof item];
        support_edit_article(db, suffix, edited, sizeof edited);
        assert_string_equal(edited, item);
    }
    assert_int_equal(indexer_add_item(ix, item), 0);
    if (indexer_close(ix, err, sizeof err) < 0)
        fail_msg("%s", err);
    exec("COMMIT");
}

#define FORMS "SELECT count(*) FROM search_forms"
#define VOCAB "SELECT count(*) FROM search_vocab"

static void test_new_forms_written_once(void **unused)
{
    (void)unused;
    long langs = count("SELECT count(DISTINCT lang) FROM item_texts WHERE item_id = ?1", item);
    assert_true(langs >= 2); /* the sample's articles are in kk, ru and en */
    long forms = count(FORMS, NULL), vocab = count(VOCAB, NULL);
    update_item("\n\nqwertzuiop zxcvbnmlk");
    /* Each new form in each of the item's languages; in the vocabulary once. */
    assert_int_equal(count(FORMS, NULL), forms + 2 * langs);
    assert_int_equal(count(FORMS " WHERE form = ?1", "qwertzuiop"), langs);
    assert_int_equal(count(VOCAB, NULL), vocab + 2);
    assert_int_equal(count(VOCAB " WHERE word = ?1", "qwertzuiop"), 1);
    assert_int_equal(count(VOCAB " WHERE word = ?1", "zxcvbnmlk"), 1);
    /* The units hold the new word: the index was written, not only the lists. */
    assert_true(count("SELECT count(*) FROM search_units WHERE item_id = ?1 AND body LIKE '%qwertzuiop%'", item) >=
                langs);
}

/* A form the bundle already has (in one language) appended in every
 * language: rows for the other languages, no vocabulary entry. */
static void test_known_form_no_vocab(void **unused)
{
    (void)unused;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT form FROM search_forms WHERE length(form) >= 6 AND form GLOB "
                                        "'[a-z]*' GROUP BY form HAVING count(*) = 1 ORDER BY form LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char form[64], suffix[80];
    snprintf(form, sizeof form, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    long langs = count("SELECT count(DISTINCT lang) FROM item_texts WHERE item_id = ?1", item);
    long vocab = count(VOCAB, NULL), in_vocab = count(VOCAB " WHERE word = ?1", form);
    snprintf(suffix, sizeof suffix, "\n\n%s", form);
    update_item(suffix);
    assert_int_equal(count(VOCAB, NULL), vocab);
    assert_int_equal(count(VOCAB " WHERE word = ?1", form), in_vocab);
    assert_int_equal(count(FORMS " WHERE form = ?1", form), langs);
}

/* Out and in again unchanged: the lists do not move. */
static void test_unchanged_item_same_lists(void **unused)
{
    (void)unused;
    long forms = count(FORMS, NULL), vocab = count(VOCAB, NULL);
    long units = count("SELECT count(*) FROM search_units WHERE item_id = ?1", item);
    update_item(NULL);
    update_item(NULL);
    assert_int_equal(count(FORMS, NULL), forms);
    assert_int_equal(count(VOCAB, NULL), vocab);
    assert_int_equal(count("SELECT count(*) FROM search_units WHERE item_id = ?1", item), units);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_forms_written_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known_form_no_vocab, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unchanged_item_same_lists, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
