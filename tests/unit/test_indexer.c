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
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
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

/* An update's writer, in a transaction, as an install opens it. */
static indexer *begin_update(void)
{
    char err[300];
    exec("BEGIN");
    indexer *ix = indexer_open(db, 0, err, sizeof err);
    if (!ix)
        fail_msg("%s", err);
    return ix;
}

static void end_update(indexer *ix)
{
    char err[300];
    if (indexer_close(ix, err, sizeof err) < 0)
        fail_msg("%s", err);
    exec("COMMIT");
}

/* One update of the item: out with its rows as they are, the text of every
 * language given `suffix` (NULL: unchanged), in again. */
static void update_item(const char *suffix)
{
    indexer *ix = begin_update();
    assert_int_equal(indexer_remove_item(ix, item, NULL), 0);
    if (suffix) { /* the sample's first article: the item setup chose */
        char edited[sizeof item];
        support_edit_article(db, suffix, edited, sizeof edited);
        assert_string_equal(edited, item);
    }
    assert_int_equal(indexer_add_item(ix, item, NULL), 0);
    end_update(ix);
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

/* ---- a text replaced in one language (indexer_hold_text) ---------------- */

/* The units whose body column has form (by its stem; search_forms keeps
 * an empty stem for a form that is its own stem). */
static long body_matches(const char *form, const char *lang)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM search_index WHERE search_index MATCH 'body:' || "
             "(SELECT coalesce(nullif(stem, ''), form) FROM search_forms WHERE form = ?1 AND lang = '%s')",
             lang);
    return count(sql, form);
}

/* "id,id,..." of item's units in lang, in order. */
static void unit_ids(const char *item_id, const char *lang, char *out, size_t cap)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(id) FROM (SELECT id FROM search_units "
                                            "WHERE item_id = ?1 AND lang = ?2 ORDER BY id)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, cap, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_finalize(st);
}

/* As an install replaces one language of an item: hold, update the text
 * row where it is (body set to `body`), add. */
static void replace_text(const char *item_id, const char *lang, const char *body)
{
    indexer *ix = begin_update();
    assert_int_equal(indexer_hold_text(ix, item_id, lang), 0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE item_texts SET body = ?3 WHERE item_id = ?1 AND lang = ?2", -1,
                                        &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    assert_int_equal(indexer_add_item(ix, item_id, lang), 0);
    end_update(ix);
}

static char *text_body(const char *item_id, const char *lang)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM item_texts WHERE item_id = ?1 AND lang = ?2", -1, &st,
                                        NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *body = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_non_null(body);
    return body;
}

/* One language edited: its units keep their ids and hold the new word;
 * the other languages' units are not touched; the index stays whole, and
 * the item taken out afterwards leaves no row behind. */
static void test_held_text_keeps_ids(void **unused)
{
    (void)unused;
    char en[512], kk[512], en_after[512], kk_after[512], body[8192];
    unit_ids(item, "en", en, sizeof en);
    unit_ids(item, "kk", kk, sizeof kk);
    assert_true(en[0] && kk[0]);
    char *old = text_body(item, "en");
    snprintf(body, sizeof body, "%s\n\nqwertzuiop", old);
    replace_text(item, "en", body);
    unit_ids(item, "en", en_after, sizeof en_after);
    unit_ids(item, "kk", kk_after, sizeof kk_after);
    assert_string_equal(en_after, en);
    assert_string_equal(kk_after, kk);
    assert_int_equal(body_matches("qwertzuiop", "en"), 1);
    support_assert_index_matches_units(db);
    /* Back as it was: the word goes from the index. */
    replace_text(item, "en", old);
    assert_int_equal(body_matches("qwertzuiop", "en"), 0);
    support_assert_index_matches_units(db);
    free(old);
}

/* A text cut to its first half loses units (their rows go), and put back
 * whole gains them again under new ids above the kept ones, in order: the
 * removal that follows finds each unit's values (no row is left). */
static void test_held_text_units_come_and_go(void **unused)
{
    (void)unused;
    char many[128], before[4096], cut[4096], back[4096];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT item_id FROM search_units WHERE lang = 'en' GROUP BY item_id "
                                            "ORDER BY count(*) DESC, item_id LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(many, sizeof many, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    long units = count("SELECT count(*) FROM search_units WHERE item_id = ?1 AND lang = 'en'", many);
    assert_true(units >= 4); /* the sample's constitution has clauses */
    unit_ids(many, "en", before, sizeof before);
    char *whole = text_body(many, "en");
    char *half = strdup(whole);
    assert_non_null(half);
    half[strlen(half) / 2] = '\0';
    replace_text(many, "en", half);
    long fewer = count("SELECT count(*) FROM search_units WHERE item_id = ?1 AND lang = 'en'", many);
    assert_true(fewer < units);
    unit_ids(many, "en", cut, sizeof cut);
    assert_int_equal(strncmp(cut, before, strlen(cut)), 0); /* the first ids kept */
    support_assert_index_matches_units(db);
    replace_text(many, "en", whole);
    assert_int_equal(count("SELECT count(*) FROM search_units WHERE item_id = ?1 AND lang = 'en'", many), units);
    unit_ids(many, "en", back, sizeof back);
    assert_int_equal(strncmp(back, cut, strlen(cut)), 0);
    support_assert_index_matches_units(db);
    /* Taken out whole: every row went out with the values it went in with. */
    indexer *ix = begin_update();
    assert_int_equal(indexer_remove_item(ix, many, NULL), 0);
    end_update(ix);
    assert_int_equal(count("SELECT count(*) FROM search_units WHERE item_id = ?1", many), 0);
    support_assert_index_matches_units(db);
    free(half);
    free(whole);
}

/* A hold whose text is not added again (the language went from the item):
 * its units go out at close. */
static void test_hold_without_add_removes(void **unused)
{
    (void)unused;
    indexer *ix = begin_update();
    assert_int_equal(indexer_hold_text(ix, item, "ru"), 0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "DELETE FROM item_texts WHERE item_id = ?1 AND lang = 'ru'", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    end_update(ix);
    assert_int_equal(count("SELECT count(*) FROM search_units WHERE item_id = ?1 AND lang = 'ru'", item), 0);
    support_assert_index_matches_units(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_forms_written_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known_form_no_vocab, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unchanged_item_same_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_text_keeps_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_text_units_come_and_go, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hold_without_add_removes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
