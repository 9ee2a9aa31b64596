/* store_find on the real sample bundle: results at the right depth (item,
 * clause, card) with routes and titles that say where, snippets from the
 * place itself with whole-word highlights, the language rules, typo
 * correction and the any-word fallback. The hit rates over many queries
 * are tests/cli/search_queries.sh's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "store.h"
#include "support.h"
#include "utf8.h"

#define MAX 16

static int find_route(const store_result *r, int n, const char *route)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(r[i].route, route))
            return i;
    return -1;
}

/* Every highlight is one whole word: letters at both ends, none outside. */
static void check_ranges(const char *text, const store_range *hl, int n)
{
    for (int i = 0; i < n; i++) {
        size_t s = hl[i].start, e = s + hl[i].len;
        assert_true(e <= strlen(text));
        uint32_t cp;
        assert_true(utf8_decode(text + s, e - s, &cp) > 0);
        assert_true(fts_fold(cp) != 0);
        size_t last = utf8_prev(text, e);
        assert_true(utf8_decode(text + last, e - last, &cp) > 0);
        assert_true(fts_fold(cp) != 0);
        if (e < strlen(text)) {
            assert_true(utf8_decode(text + e, strlen(text) - e, &cp) > 0);
            assert_int_equal(fts_fold(cp), 0);
        }
    }
}

static void test_clause_results_say_where(void **state)
{
    store_result r[MAX];
    store_find_info info;
    int n = store_find(*state, "семилетний срок", "ru", 0, r, MAX, &info);
    int i = find_route(r, n, "item/constitution#art43-1");
    assert_true(i >= 0);
    assert_string_equal(r[i].title, "Статья 43, пункт 1");
    assert_string_equal(r[i].item_title, "Проект Конституции — выдержки");
    assert_string_equal(r[i].anchor, "art43-1");
    assert_string_equal(r[i].lang, "ru");
    assert_false(r[i].other_lang);
    /* The snippet is that clause and nothing else, both words marked. */
    assert_string_equal(r[i].snippet, "1. Президент избирается на один семилетний срок.");
    assert_int_equal(r[i].n_snippet_hl, 2);
    check_ranges(r[i].snippet, r[i].snippet_hl, r[i].n_snippet_hl);
    assert_memory_equal(r[i].snippet + r[i].snippet_hl[1].start, "срок", r[i].snippet_hl[1].len);
    assert_int_equal(r[i].snippet_hl[1].len, strlen("срок"));
    /* The same place in the other languages. */
    n = store_find(*state, "seven-year term", "en", 0, r, MAX, &info);
    i = find_route(r, n, "item/constitution#art43-1");
    assert_true(i >= 0);
    assert_string_equal(r[i].title, "Article 43, clause 1");
    n = store_find(*state, "мерзімге сайланады", "kk", 0, r, MAX, &info);
    i = find_route(r, n, "item/constitution#art43-1");
    assert_true(i >= 0);
    assert_string_equal(r[i].title, "43-бап, 1-тармақ");
}

static void test_cards_open_at_the_card(void **state)
{
    store_result r[MAX];
    int n = store_find(*state, "монополизации", "ru", 0, r, MAX, NULL);
    int i = find_route(r, n, "deck/key-changes/6");
    assert_true(i >= 0);
    assert_int_equal(r[i].card, 6);
    assert_string_equal(r[i].title, "Один срок — семь лет");
    assert_string_equal(r[i].item_title, "Ключевые изменения");
    /* The card's own text: not the link of the card before it. */
    assert_null(strstr(r[i].snippet, "Читать"));
    assert_true(r[i].n_snippet_hl == 1);
    check_ranges(r[i].snippet, r[i].snippet_hl, r[i].n_snippet_hl);
}

static void test_highlights_are_whole_words(void **state)
{
    store_result r[MAX];
    /* «Қазақстан» and (Article 43, ...) in the texts: marks without quotes
     * or brackets. */
    const char *queries[][2] = {{"казакстан", "kk"}, {"article", "en"}, {"43", "en"}, {"президент", "ru"}};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        int n = store_find(*state, queries[q][0], queries[q][1], 0, r, MAX, NULL);
        assert_true(n > 0);
        for (int i = 0; i < n; i++) {
            check_ranges(r[i].title, r[i].title_hl, r[i].n_title_hl);
            check_ranges(r[i].snippet, r[i].snippet_hl, r[i].n_snippet_hl);
            assert_true(r[i].n_title_hl + r[i].n_snippet_hl > 0 || r[i].anchor[0] || r[i].card);
        }
    }
}

static void test_kazakh_without_its_letters_and_in_latin(void **state)
{
    store_result r[MAX];
    store_find_info info;
    const char *queries[] = {"казакстан", "qazaqstan", "adiletti", "президенттин", "zan jane tartip"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        int n = store_find(*state, queries[q], "kk", 0, r, MAX, &info);
        if (n <= 0)
            fail_msg("'%s' found nothing", queries[q]);
        assert_string_equal(r[0].lang, "kk");
        assert_false(info.other_langs);
        assert_string_equal(info.corrected, "");
    }
}

static void test_other_languages_once_and_labelled(void **state)
{
    store_result r[MAX];
    store_find_info info;
    /* Kazakh words in the English screen: nothing in English, so the
     * Kazakh places, each once, marked as another language. */
    int n = store_find(*state, "әділетті қазақстан", "en", 0, r, MAX, &info);
    assert_true(n > 0);
    assert_true(info.other_langs);
    for (int i = 0; i < n; i++) {
        assert_true(r[i].other_lang);
        assert_string_equal(r[i].lang, "kk");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(r[i].route, r[j].route);
    }
    /* Every language (NULL): one result per place, in the fallback order. */
    n = store_find(*state, "43", NULL, 0, r, MAX, &info);
    assert_true(n > 0);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            assert_string_not_equal(r[i].route, r[j].route);
}

static void test_typos_are_corrected(void **state)
{
    store_result r[MAX];
    store_find_info info;
    int n = store_find(*state, "presidnet", "en", 0, r, MAX, &info);
    assert_true(n > 0);
    assert_string_equal(info.corrected, "president");
    assert_string_equal(r[0].lang, "en");
    n = store_find(*state, "конституцыя", "ru", 0, r, MAX, &info);
    assert_true(n > 0);
    assert_string_equal(info.corrected, "конституция");
    /* "Search for what I typed instead": no correction, nothing found. */
    assert_int_equal(store_find(*state, "presidnet", "en", STORE_FIND_EXACT, r, MAX, &info), 0);
    assert_string_equal(info.corrected, "");
    /* A word that is right is never "corrected". */
    n = store_find(*state, "president", "en", 0, r, MAX, &info);
    assert_true(n > 0);
    assert_string_equal(info.corrected, "");
}

static void test_any_word_fallback(void **state)
{
    store_result r[MAX];
    store_find_info info;
    /* No place has both words: the places with one of them, said so. */
    int n = store_find(*state, "семилетний телевизор", "ru", 0, r, MAX, &info);
    assert_true(n > 0);
    assert_true(info.any_word);
    assert_true(find_route(r, n, "item/constitution#art43-1") >= 0);
    n = store_find(*state, "семилетний срок", "ru", 0, r, MAX, &info);
    assert_false(info.any_word);
}

static void test_concepts_through_keywords(void **state)
{
    store_result r[MAX];
    /* Words the text does not use, written by the editor as keywords. */
    int n = store_find(*state, "nepotism", "en", 0, r, MAX, NULL);
    assert_true(n > 0);
    assert_true(!strcmp(r[0].route, "item/constitution#art45-3") || !strcmp(r[0].route, "deck/key-changes/8"));
    n = store_find(*state, "срок полномочий", "ru", 0, r, MAX, NULL);
    assert_true(n > 0);
    assert_true(!strcmp(r[0].route, "item/constitution#art43-1") || !strcmp(r[0].route, "deck/key-changes/6"));
}

static void test_first_letters_and_nothing(void **state)
{
    store_result r[MAX];
    store_find_info info;
    /* One letter: places whose title has a word starting with it. */
    int n = store_find(*state, "п", "ru", 0, r, MAX, &info);
    assert_true(n > 0);
    assert_true(r[0].n_title_hl > 0);
    const char *junk[] = {"asdfgh", "жирафы", "12345", "", "   ", "…«»—", "\"", "*", "NEAR(a b)", "a AND",
                          "'; DROP TABLE items; --", "\xff\xfe", "\xd0", "президент\" OR 1=1"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
        n = store_find(*state, junk[i], "ru", 0, r, MAX, &info);
        assert_true(n >= 0);
        if (i < 6)
            assert_int_equal(n, 0);
    }
    assert_int_equal(store_find(*state, "президент", "r'", 0, r, MAX, &info), 0);
    assert_true(store_resolve(*state, "constitution", "art43-1"));
}

/* Units are numbered in one block per language (indexer.h), so a search
 * in one language is a rowid range. A bundle from before the blocks (a
 * unit below the first block) is searched through the lang column
 * instead, with the same results. */
static void test_language_blocks_and_older_bundles(void **state)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(support_sample_bundle(), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*), sum(id >> 40 = CASE lang WHEN 'kk' THEN 1 WHEN 'ru' THEN 2 "
                                        "WHEN 'en' THEN 3 ELSE 4 END) FROM search_units",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_int(st, 0) > 0);
    assert_int_equal(sqlite3_column_int(st, 1), sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);

    char dir[256], old[300], cmd[1024], err[256];
    support_tempdir(dir, sizeof dir, "find-old");
    snprintf(old, sizeof old, "%s/old.ipb", dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", support_sample_bundle(), old);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(sqlite3_open(old, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO search_units VALUES (1, 1, 'constitution', 'xx', '', 0, 'x', 'x')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    store *o = store_open(old, NULL, err, sizeof err);
    assert_non_null(o);
    static const char *const queries[][2] = {{"президент", "kk"}, {"срок", "ru"}, {"term", "en"}, {"п", "ru"},
                                             {"конст", "kk"}, {"qazaqstan", "kk"}, {"депутат", "en"}};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        store_result a[MAX], b[MAX];
        store_find_info ia, ib;
        int na = store_find(*state, queries[q][0], queries[q][1], 0, a, MAX, &ia);
        int nb = store_find(o, queries[q][0], queries[q][1], 0, b, MAX, &ib);
        assert_true(na > 0);
        assert_int_equal(na, nb);
        for (int i = 0; i < na; i++)
            assert_string_equal(a[i].route, b[i].route);
    }
    store_close(o);
    support_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clause_results_say_where, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_cards_open_at_the_card, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_highlights_are_whole_words, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_kazakh_without_its_letters_and_in_latin, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_other_languages_once_and_labelled, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_typos_are_corrected, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_any_word_fallback, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_concepts_through_keywords, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_first_letters_and_nothing, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_language_blocks_and_older_bundles, support_sample_store_open,
                                        support_sample_store_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
