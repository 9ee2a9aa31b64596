#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "snippet.h"

static void expect_marked(const char *out, const snippet_range *hl, int n, const char *word)
{
    for (int i = 0; i < n; i++)
        if (hl[i].len == strlen(word) && !strncmp(out + hl[i].start, word, hl[i].len))
            return;
    fail_msg("'%s' not marked in '%s'", word, out);
}

/* A matcher of canonical forms (fts.h) decides: here, a word that starts
 * with one of ctx's words. */
static int match_words(void *ctx, const char *form)
{
    const char *const *words = ctx;
    for (int i = 0; words[i]; i++)
        if (!strncmp(form, words[i], strlen(words[i])))
            return i + 1;
    return 0;
}

static void test_window_around_late_hit(void **state)
{
    (void)state;
    /* The hit comes after the first window's worth of words: the window
     * must move to it (this once read past the text). */
    static const char *const words[] = {"президент", NULL};
    char text[4096] = "";
    for (int i = 0; i < 100; i++)
        strcat(text, "word ");
    strcat(text, "Президентом избран");
    char out[512];
    snippet_range hl[8];
    int n = snippet_window(text, strlen(text), match_words, (void *)words, 1, 16, out, sizeof out, hl, 8);
    assert_int_equal(n, 1);
    expect_marked(out, hl, n, "Президентом");
    assert_int_equal(strncmp(out, "…", strlen("…")), 0);
}

static void test_no_hit_and_small_buffers(void **state)
{
    (void)state;
    static const char *const none[] = {"жок", NULL}, *const four[] = {"торт", NULL};
    char out[512];
    snippet_range hl[8];
    const char *text = "Бір екі үш төрт бес алты жеті сегіз тоғыз он он бір он екі он үш он төрт он бес он алты он жеті";
    assert_int_equal(snippet_window(text, strlen(text), match_words, (void *)none, 1, 8, out, sizeof out, hl, 8), 0);
    assert_int_equal(strncmp(out, "Бір екі", strlen("Бір екі")), 0);
    assert_non_null(strstr(out, "…"));
    /* Tiny output buffers never overflow and stay valid UTF-8 prefixes. */
    for (size_t cap = 1; cap < 40; cap++) {
        char small[40];
        memset(small, 'x', sizeof small);
        int k = snippet_window(text, strlen(text), match_words, (void *)four, 1, 8, small, cap, hl, 8);
        assert_true(k >= 0);
        assert_true(strlen(small) < cap);
        for (int i = 0; i < k; i++)
            assert_true(hl[i].start + hl[i].len <= strlen(small));
        k = snippet_mark(text, strlen(text), match_words, (void *)four, small, cap, hl, 8);
        for (int i = 0; i < k; i++)
            assert_true(hl[i].start + hl[i].len <= strlen(small));
    }
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
        cmocka_unit_test(test_window_around_late_hit),
        cmocka_unit_test(test_no_hit_and_small_buffers),
        cmocka_unit_test(test_window_in_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
