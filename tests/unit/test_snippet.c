#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "snippet.h"

static void test_fold_and_stem(void **state)
{
    (void)state;
    snippet_terms t;
    assert_int_equal(snippet_terms_parse("ПРЕЗИДЕНТА Ёлка ӘДІЛЕТ", &t), 3);
    assert_string_equal(t.term[0], "президент"); /* final vowel dropped */
    assert_string_equal(t.term[1], "елка");      /* short: kept, ё → е */
    assert_string_equal(t.term[2], "әділет");
    assert_int_equal(snippet_fold(0x04D8), 0x04D9); /* Ә ә */
    assert_int_equal(snippet_fold(0x049A), 0x049B); /* Қ қ */
    assert_int_equal(snippet_fold(0x0406), 0x0456); /* І і */
    assert_int_equal(snippet_fold(0x04AE), 0x04AF); /* Ү ү */
    assert_int_equal(snippet_fold(0x04C1), 0x04C2); /* odd-upper pairs stay right */
    assert_int_equal(snippet_fold(0x04C2), 0x04C2);
    assert_int_equal(snippet_fold('Q'), 'q');
}

static void expect_marked(const char *out, const snippet_range *hl, int n, const char *word)
{
    for (int i = 0; i < n; i++)
        if (hl[i].len == strlen(word) && !strncmp(out + hl[i].start, word, hl[i].len))
            return;
    fail_msg("'%s' not marked in '%s'", word, out);
}

static void test_window_around_late_hit(void **state)
{
    (void)state;
    /* The hit comes after the first window's worth of words: the window
     * must move to it (this once read past the text). */
    char text[4096] = "";
    for (int i = 0; i < 100; i++)
        strcat(text, "word ");
    strcat(text, "Президентом избран");
    snippet_terms t;
    snippet_terms_parse("президент", &t);
    char out[512];
    snippet_range hl[8];
    int n = snippet_make(text, &t, 16, out, sizeof out, hl, 8);
    assert_int_equal(n, 1);
    expect_marked(out, hl, n, "Президентом");
    assert_int_equal(strncmp(out, "…", strlen("…")), 0);
}

static void test_no_hit_and_small_buffers(void **state)
{
    (void)state;
    snippet_terms t;
    snippet_terms_parse("жоқ", &t);
    char out[512];
    snippet_range hl[8];
    const char *text = "Бір екі үш төрт бес алты жеті сегіз тоғыз он он бір он екі он үш он төрт он бес он алты он жеті";
    assert_int_equal(snippet_make(text, &t, 8, out, sizeof out, hl, 8), 0);
    assert_int_equal(strncmp(out, "Бір екі", strlen("Бір екі")), 0);
    assert_non_null(strstr(out, "…"));
    /* Tiny output buffers never overflow and stay valid UTF-8 prefixes. */
    for (size_t cap = 0; cap < 40; cap++) {
        char small[40];
        memset(small, 'x', sizeof small);
        snippet_terms_parse("төрт", &t);
        int k = snippet_make(text, &t, 8, small, cap, hl, 8);
        assert_true(k >= 0);
        if (cap > 0)
            assert_true(strlen(small) < cap);
        k = snippet_highlight(text, &t, small, cap, hl, 8);
        for (int i = 0; i < k && cap > 0; i++)
            assert_true(hl[i].start + hl[i].len <= strlen(small));
    }
}

static void test_highlight_title(void **state)
{
    (void)state;
    snippet_terms t;
    snippet_terms_parse("конституция", &t); /* stem: конституци */
    char out[256];
    snippet_range hl[8];
    int n = snippet_highlight("Проект Конституции — выдержки", &t, out, sizeof out, hl, 8);
    assert_int_equal(n, 1);
    expect_marked(out, hl, n, "Конституции");
    assert_string_equal(out, "Проект Конституции — выдержки");
}

/* Schema 2 snippets: a matcher of canonical forms (fts.h) decides. */
static int match_words(void *ctx, const char *form)
{
    const char *const *words = ctx;
    for (int i = 0; words[i]; i++)
        if (!strncmp(form, words[i], strlen(words[i])))
            return i + 1;
    return 0;
}

static void test_window_in_one_line(void **state)
{
    (void)state;
    static const char *const words[] = {"срок", "президент", NULL};
    /* Lines are blocks: the window stays in the line with the most words. */
    const char *text = "Глава о сроках вообще.\nДругой абзац, где ничего нет, совсем ничего.\n"
                       "1. «Президент» избирается на один семилетний срок.";
    char out[256];
    snippet_range hl[8];
    int n = snippet_window(text, strlen(text), match_words, (void *)words, 2, 16, out, sizeof out, hl, 8);
    assert_string_equal(out, "…1. «Президент» избирается на один семилетний срок.");
    assert_int_equal(n, 2);
    /* Whole words without the quotes. */
    assert_memory_equal(out + hl[0].start, "Президент", hl[0].len);
    assert_int_equal(hl[0].len, strlen("Президент"));
    assert_memory_equal(out + hl[1].start, "срок", hl[1].len);
    /* A title marked whole. */
    n = snippet_mark("Статья 43, срок", strlen("Статья 43, срок"), match_words, (void *)words, out, sizeof out, hl, 8);
    assert_string_equal(out, "Статья 43, срок");
    assert_int_equal(n, 1);
    assert_int_equal(hl[0].start, strlen("Статья 43, "));
    /* Small buffers: cut at a word, never inside one. */
    n = snippet_window(text, strlen(text), match_words, (void *)words, 2, 16, out, 24, hl, 8);
    assert_true(strlen(out) < 24);
    for (int i = 0; i < n; i++)
        assert_true(hl[i].start + hl[i].len <= strlen(out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_and_stem),
        cmocka_unit_test(test_window_around_late_hit),
        cmocka_unit_test(test_no_hit_and_small_buffers),
        cmocka_unit_test(test_highlight_title),
        cmocka_unit_test(test_window_in_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
