/* The searches a citizen makes on the real sample bundle, in each language
 * (store_find, as the search screen makes them): inflected forms, ё = е,
 * case folding of Kazakh letters, titles first, snippets with highlights. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "support.h"

/* What was typed, uncorrected (the corrections have tests of their own,
 * test_find). */
static int search(store *s, const char *text, const char *lang, store_result *out, int max)
{
    return store_find(s, text, lang, STORE_FIND_EXACT, out, max, NULL);
}

static bool has(const store_result *h, int n, const char *item)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(h[i].item_id, item))
            return true;
    return false;
}

/* The highlighted words of hit h (title and snippet) all start with prefix,
 * compared case-insensitively for the first few bytes we care about. */
static int count_highlights(const store_result *h)
{
    return h->n_title_hl + h->n_snippet_hl;
}

static void test_president_in_each_language(void **state)
{
    store_result h[16];
    int n = search(*state, "президент", "ru", h, 16);
    /* The Constitution excerpts, the news article and the cards mention
     * Президента / президентской / Президент: one prefix finds them all. */
    assert_true(has(h, n, "constitution"));
    assert_true(has(h, n, "commission-session"));
    assert_true(has(h, n, "key-changes"));
    for (int i = 0; i < n; i++) {
        assert_string_equal(h[i].lang, "ru");
        assert_true(count_highlights(&h[i]) > 0);
    }
    n = search(*state, "ПРЕЗИДЕНТ", "kk", h, 16);
    assert_true(has(h, n, "constitution"));
    assert_true(has(h, n, "key-changes"));
    n = search(*state, "president", "en", h, 16);
    assert_true(has(h, n, "constitution"));
    assert_true(has(h, n, "commission-session"));
}

static void test_inflected_forms(void **state)
{
    store_result h[16];
    /* "Президенттің" (Kazakh genitive) is found from its stem. */
    int n = search(*state, "президенттің", "kk", h, 16);
    assert_true(n > 0);
    /* A longer Russian form finds only items that have it. */
    n = search(*state, "президентской", "ru", h, 16);
    assert_true(has(h, n, "constitution") || has(h, n, "commission-session"));
    /* "Конституц" finds Конституции, Конституцию, Конституционной... */
    n = search(*state, "конституц", "ru", h, 16);
    assert_true(n >= 3);
}

static void test_yo(void **state)
{
    store_result h[16];
    /* The texts write "остаётся" and "чёткие"; people type е. */
    int n = search(*state, "остается", "ru", h, 16);
    assert_true(n > 0);
    int m = search(*state, "остаётся", "ru", h, 16);
    assert_int_equal(n, m);
    assert_true(search(*state, "четкие правила", "ru", h, 16) > 0);
    /* The snippet keeps the letter as written. */
    search(*state, "четкие", "ru", h, 16);
    assert_true(strstr(h[0].snippet, "чёткие") || strstr(h[0].snippet, "Чёткие") || strstr(h[0].title, "ёт"));
}

static void test_kazakh_letters_fold(void **state)
{
    store_result h[16];
    int lower = search(*state, "әділетті", "kk", h, 16);
    int upper = search(*state, "ӘДІЛЕТТІ", "kk", h, 16);
    assert_true(lower > 0);
    assert_int_equal(lower, upper);
    assert_true(search(*state, "қазақстан", "kk", h, 16) > 0);
}

static void test_titles_rank_first(void **state)
{
    store_result h[16];
    /* "Конституции" is in the titles of the excerpts and the news and only
     * in the text of the cards: titles come first. The nominative a
     * citizen types finds the genitive (light stemming). */
    int n = search(*state, "конституция", "ru", h, 16);
    assert_true(n >= 3);
    assert_false(strcmp(h[n - 1].item_id, "key-changes"));
    assert_true(n >= 2);
    assert_true(h[0].n_title_hl > 0);
    int first_body_only = -1;
    for (int i = 0; i < n; i++) {
        if (h[i].n_title_hl == 0 && first_body_only < 0)
            first_body_only = i;
        if (first_body_only >= 0)
            assert_int_equal(h[i].n_title_hl, 0); /* no title hit after a body-only hit */
    }
}

static void test_nothing_and_other_language(void **state)
{
    store_result h[16];
    assert_int_equal(search(*state, "жирафы", "ru", h, 16), 0);
    assert_int_equal(search(*state, "", "ru", h, 16), 0);
    /* A Latin word searched in every language finds the English texts. */
    int n = search(*state, "article", NULL, h, 16);
    assert_true(n > 0);
    assert_string_equal(h[0].lang, "en");
    /* Article numbers are words too: "43" finds the clause texts. */
    assert_true(has(h, search(*state, "43", "kk", h, 16), "constitution"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_president_in_each_language, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_inflected_forms, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_yo, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_kazakh_letters_fold, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_titles_rank_first, support_sample_store_open, support_sample_store_close),
        cmocka_unit_test_setup_teardown(test_nothing_and_other_language, support_sample_store_open, support_sample_store_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
