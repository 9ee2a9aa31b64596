/* The canonical form, the stems and the transliterations the unit index,
 * the query and the highlighter share (fts.h), and the edit distance of a
 * typo correction. Pure: no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fts.h"

/* The canonical words of text, space-separated, into out. */
static const char *words(const char *text, char *out, size_t cap)
{
    size_t pos = 0, s, e, o = 0;
    char w[FTS_WORD_MAX + 1];
    out[0] = '\0';
    while (fts_next_word(text, strlen(text), &pos, &s, &e, w))
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? " " : "", w);
    return out;
}

static void test_canonical_form(void **state)
{
    (void)state;
    char out[256];
    /* Case, ё, and the Kazakh letters folded to their Russian base letters. */
    assert_string_equal(words("ЁЛКА Әділетті ҚАЗАҚСТАН өңір Ұлттық үкімет Һ ғ", out, sizeof out),
                        "елка адилетти казакстан онир улттык укимет х г");
    /* Digits and letters apart; punctuation never part of a word. */
    assert_string_equal(words("43бап «Қазақстан» (Article 43-бап, 5-тармақ…", out, sizeof out),
                        "43 бап казакстан article 43 бап 5 тармак");
    /* A trailing 's is dropped, other apostrophes split. */
    assert_string_equal(words("The President's citizens' O'Neil it’s", out, sizeof out),
                        "the president citizens o neil it");
    /* Latin diacritics removed. */
    assert_string_equal(words("Café naïve Beißenbayev Ñandú", out, sizeof out), "cafe naive beisenbayev nandu");
}

static void test_offsets_are_the_text(void **state)
{
    (void)state;
    const char *t = "«Қазақстан», 43-бап.";
    size_t pos = 0, s, e;
    char w[FTS_WORD_MAX + 1];
    assert_true(fts_next_word(t, strlen(t), &pos, &s, &e, w));
    /* The bytes of the word as written, without the quotes. */
    assert_int_equal(e - s, strlen("Қазақстан"));
    assert_memory_equal(t + s, "Қазақстан", e - s);
    assert_true(fts_next_word(t, strlen(t), &pos, &s, &e, w));
    assert_string_equal(w, "43");
    assert_true(fts_next_word(t, strlen(t), &pos, &s, &e, w));
    assert_memory_equal(t + s, "бап", e - s);
    assert_false(fts_next_word(t, strlen(t), &pos, &s, &e, w));
}

static void kk(const char *word, const char *stem)
{
    char out[FTS_WORD_MAX + 1];
    fts_stem_kk(word, out);
    if (strcmp(out, stem))
        fail_msg("kk stem of %s: %s, expected %s", word, out, stem);
}

static void test_kazakh_stems(void **state)
{
    (void)state;
    /* Case, plural and possessive endings, stacked. */
    kk("президенттин", "президент");
    kk("президентке", "президент");
    kk("азаматтарга", "азамат");
    kk("азаматтарынын", "азамат");
    kk("конституцияга", "конституция");
    kk("деректерди", "дерек");
    kk("туыстарына", "туыс");
    /* Voicing at the boundary: салығы is a form of салық. */
    kk("салыгы", "салык");
    /* No stripping below four letters, and salyq is not salynady. */
    kk("салык", "салык");
    kk("зан", "зан");
    char a[FTS_WORD_MAX + 1], b[FTS_WORD_MAX + 1];
    fts_stem_kk("салык", a);
    fts_stem_kk("салынады", b);
    assert_string_not_equal(a, b);
    /* Latin words and numbers are left alone. */
    kk("qazaqstan", "qazaqstan");
    kk("2022", "2022");
}

static void test_snowball_stems(void **state)
{
    (void)state;
    fts_stemmer *s = fts_stemmer_new();
    assert_non_null(s);
    char out[FTS_WORD_MAX + 1];
    const char *ru[][2] = {{"срока", "срок"}, {"сроки", "срок"}, {"президентом", "президент"}, {"законах", "закон"}};
    for (size_t i = 0; i < sizeof ru / sizeof *ru; i++) {
        fts_stem(s, FTS_LANG_RU, ru[i][0], out);
        assert_string_equal(out, ru[i][1]);
    }
    const char *en[][2] = {{"terms", "term"}, {"banned", "ban"}, {"amending", "amend"}, {"retroactively", "retroact"}};
    for (size_t i = 0; i < sizeof en / sizeof *en; i++) {
        fts_stem(s, FTS_LANG_EN, en[i][0], out);
        assert_string_equal(out, en[i][1]);
    }
    /* A Latin word in a Russian text gets the English stemmer, numbers none. */
    fts_stem(s, FTS_LANG_RU, "elections", out);
    assert_string_equal(out, "elect");
    fts_stem(s, FTS_LANG_EN, "43", out);
    assert_string_equal(out, "43");
    fts_stemmer_free(s);
}

static void test_transliteration(void **state)
{
    (void)state;
    char out[FTS_WORD_MAX + 1];
    const char *cases[][2] = {
        {"qazaqstan", "казакстан"}, {"prezident", "президент"}, {"adiletti", "адилетти"}, {"saylau", "сайлау"},
        {"zhane", "жане"}, {"jane", "жане"}, {"konstitutsiya", "конституция"}, {"shekteu", "шекте" "у"},
        {"derbes", "дербес"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_true(fts_latin_to_cyrillic(cases[i][0], out));
        assert_string_equal(out, cases[i][1]);
    }
    assert_false(fts_latin_to_cyrillic("казакстан", out));
    assert_false(fts_latin_to_cyrillic("43", out));
    assert_true(fts_cyrillic_to_latin("президент", out));
    assert_string_equal(out, "prezident");
    assert_false(fts_cyrillic_to_latin("president", out));
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(fts_distance("president", "president", 2), 0);
    assert_int_equal(fts_distance("presidnet", "president", 2), 1);  /* a swap is one edit */
    assert_int_equal(fts_distance("презедент", "президент", 2), 1);
    assert_int_equal(fts_distance("конституцыя", "конституция", 2), 1);
    assert_int_equal(fts_distance("родствиники", "родственники", 2), 2);
    assert_int_equal(fts_distance("asdfgh", "president", 1), 2);      /* capped at limit + 1 */
}

static void test_gram_tokens(void **state)
{
    (void)state;
    char a[FTS_MAX_GRAMS * FTS_GRAM_TOKEN + 1], b[FTS_MAX_GRAMS * FTS_GRAM_TOKEN + 1];
    /* "$пре" "пре" ... "нт$": one per letter, plus one. */
    assert_int_equal(fts_gram_tokens("президент", a), 9);
    assert_int_equal(fts_gram_tokens("президент", b), 9);
    assert_string_equal(a, b);
    for (const char *p = a; *p; p++)
        assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == ' ');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_form),  cmocka_unit_test(test_offsets_are_the_text),
        cmocka_unit_test(test_kazakh_stems),    cmocka_unit_test(test_snowball_stems),
        cmocka_unit_test(test_transliteration), cmocka_unit_test(test_distance),
        cmocka_unit_test(test_gram_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
