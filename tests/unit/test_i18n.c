/* Unit tests for the UI strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "i18n.h"

/* Valid UTF-8 (shortest form, no surrogates), no control characters. */
static bool clean_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int len;
        if (*p < 0x80)
            cp = *p, len = 1;
        else if (*p >= 0xC2 && *p <= 0xDF)
            cp = *p & 0x1F, len = 2;
        else if (*p >= 0xE0 && *p <= 0xEF)
            cp = *p & 0x0F, len = 3;
        else if (*p >= 0xF0 && *p <= 0xF4)
            cp = *p & 0x07, len = 4;
        else
            return false;
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp < 0x20 || cp == 0x7F)
            return false;
        p += len;
    }
    return true;
}

/* The printf conversions of s, in order ("sd" for "%s ... %d"); "%%" is not one. */
static void conversions(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        while (*p && strchr("0123456789.-+ #lhz", *p))
            p++;
        assert_true(*p != '\0');
        assert_true(n + 1 < size);
        out[n++] = *p;
    }
    out[n] = '\0';
}

static void test_every_string_present(void **state)
{
    (void)state;
    for (int id = 0; id < I18N_STRING_COUNT; id++) {
        for (int l = 0; l < I18N_LANG_COUNT; l++) {
            const char *s = i18n_get((i18n_lang)l, (i18n_id)id);
            assert_non_null(s);
            if (s[0] == '\0')
                fail_msg("string %d is empty in %s", id, i18n_code((i18n_lang)l));
            if (!clean_utf8(s))
                fail_msg("string %d in %s is not clean UTF-8", id, i18n_code((i18n_lang)l));
            /* No stray spaces around a label: they break centring. */
            assert_true(s[0] != ' ' && s[strlen(s) - 1] != ' ');
            assert_null(strstr(s, "  "));
        }
    }
}

static void test_format_strings_agree(void **state)
{
    (void)state;
    for (int id = 0; id < I18N_STRING_COUNT; id++) {
        char en[16];
        conversions(i18n_get(I18N_EN, (i18n_id)id), en, sizeof en);
        for (int l = 0; l < I18N_LANG_COUNT; l++) {
            char other[16];
            conversions(i18n_get((i18n_lang)l, (i18n_id)id), other, sizeof other);
            if (strcmp(en, other) != 0)
                fail_msg("string %d: %s has conversions '%s', English '%s'", id,
                         i18n_code((i18n_lang)l), other, en);
        }
    }
    /* The two format strings the UI relies on. */
    char spec[16];
    conversions(i18n_get(I18N_EN, I18N_NO_RESULTS), spec, sizeof spec);
    assert_string_equal(spec, "s");
    conversions(i18n_get(I18N_EN, I18N_CARD_OF), spec, sizeof spec);
    assert_string_equal(spec, "dd");

    char buf[128];
    snprintf(buf, sizeof buf, i18n_get(I18N_EN, I18N_CARD_OF), 3, 12);
    assert_string_equal(buf, "Card 3 of 12");
    snprintf(buf, sizeof buf, i18n_get(I18N_RU, I18N_CARD_OF), 3, 12);
    assert_string_equal(buf, "Карточка 3 из 12");
    snprintf(buf, sizeof buf, i18n_get(I18N_KK, I18N_CARD_OF), 3, 12);
    assert_string_equal(buf, "3-карточка (барлығы 12)");
    snprintf(buf, sizeof buf, i18n_get(I18N_EN, I18N_NO_RESULTS), "xyz");
    assert_string_equal(buf, "No results for “xyz”");
    snprintf(buf, sizeof buf, i18n_get(I18N_KK, I18N_NO_RESULTS), "xyz");
    assert_string_equal(buf, "«xyz» бойынша ештеңе табылмады");

    /* The operator screen's format strings. */
    conversions(i18n_get(I18N_EN, I18N_PIN_LOCKED_FOR), spec, sizeof spec);
    assert_string_equal(spec, "dd");
    conversions(i18n_get(I18N_EN, I18N_PIN_WRONG), spec, sizeof spec);
    assert_string_equal(spec, "d");
    static const i18n_id two_strings[] = {I18N_ADMIN_VERSION_BUILT, I18N_ADMIN_VERSION_PUBLISHED, I18N_ADMIN_RECORDS, I18N_ADMIN_BYTES};
    for (size_t i = 0; i < sizeof two_strings / sizeof *two_strings; i++) {
        conversions(i18n_get(I18N_EN, two_strings[i]), spec, sizeof spec);
        assert_string_equal(spec, "ss");
    }
    static const i18n_id one_string[] = {I18N_AGO, I18N_IN};
    for (size_t i = 0; i < sizeof one_string / sizeof *one_string; i++) {
        conversions(i18n_get(I18N_EN, one_string[i]), spec, sizeof spec);
        assert_string_equal(spec, "s");
    }
    snprintf(buf, sizeof buf, i18n_get(I18N_RU, I18N_PIN_LOCKED_FOR), 4, 5);
    assert_string_equal(buf, "Клавиатура заблокирована. Осталось: 4:05");
    snprintf(buf, sizeof buf, i18n_get(I18N_KK, I18N_PIN_WRONG), 3);
    assert_string_equal(buf, "PIN-код қате. Қалған әрекет саны: 3");
}

static void test_cyrillic_strings_have_no_latin_lookalikes(void **state)
{
    (void)state;
    /* A Latin a, e, i, o, c, p or x typed into Cyrillic looks right and
     * breaks search, sorting and hyphenation. Only format conversions and
     * the Latin acronyms both languages write as they are (PIN-код, USB)
     * may be ASCII letters in Kazakh and Russian. */
    static const char *const acronyms[] = {"PIN", "USB"};
    for (int id = 0; id < I18N_STRING_COUNT; id++) {
        for (int l = I18N_KK; l <= I18N_RU; l++) {
            const char *s = i18n_get((i18n_lang)l, (i18n_id)id);
            for (const char *p = s; *p; p++) {
                if (*p == '%') {
                    p++;
                    while (*p && strchr("0123456789.-+ #lhz", *p))
                        p++;
                    if (!*p)
                        break;
                    continue;
                }
                bool acronym = false;
                for (size_t a = 0; a < sizeof acronyms / sizeof *acronyms && !acronym; a++) {
                    size_t n = strlen(acronyms[a]);
                    bool word_start = p == s || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z'));
                    /* p[n] only after strncmp matched: the string may end sooner. */
                    if (word_start && !strncmp(p, acronyms[a], n) &&
                        !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))) {
                        p += n - 1;
                        acronym = true;
                    }
                }
                if (acronym)
                    continue;
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
                    fail_msg("Latin '%c' in %s string %d: %s", *p, i18n_code((i18n_lang)l), id, s);
            }
        }
    }
}

static void test_kazakh_wording(void **state)
{
    (void)state;
    assert_string_equal(i18n_get(I18N_KK, I18N_HOME), "Басты бет");
    assert_string_equal(i18n_get(I18N_KK, I18N_BACK), "Артқа");
    assert_string_equal(i18n_get(I18N_KK, I18N_SEARCH), "Іздеу");
    assert_string_equal(i18n_get(I18N_KK, I18N_TEXT_SIZE), "Мәтін өлшемі");
    assert_string_equal(i18n_get(I18N_KK, I18N_TOUCH_TO_START), "Бастау үшін экранды түртіңіз");
    assert_string_equal(i18n_get(I18N_KK, I18N_ARTICLE), "Бап");
    assert_string_equal(i18n_get(I18N_KK, I18N_CLAUSE), "Тармақ");
    /* The proper Kazakh letters, written as escapes so the check does not
     * depend on what the editor showed: і (U+0456), ә (U+04D9), қ (U+049B),
     * ү (U+04AF), ң (U+04A3), ө (U+04E9), ұ (U+04B1), ғ (U+0493). */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_SEARCH), "\u0406"));        /* І */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_TEXT_SIZE), "\u04d9"));     /* ә */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_TEXT_SIZE), "\u04e9"));     /* ө */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_BACK), "\u049b"));          /* қ */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_TOUCH_TO_START), "\u04af")); /* ү */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_PREVIOUS), "\u04a3"));      /* ң */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_PREVIOUS), "\u0493"));      /* ғ */
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_CONTENTS), "\u04b1"));      /* ұ */
    /* Kazakh strings are not Russian ones copied over; only the unit
     * abbreviations both languages share (мин, Б, КБ, МБ, ГБ) may be. */
    static const i18n_id shared[] = {I18N_UNIT_MINUTES, I18N_UNIT_BYTES, I18N_UNIT_KB, I18N_UNIT_MB, I18N_UNIT_GB};
    for (int id = 0; id < I18N_STRING_COUNT; id++) {
        bool may = false;
        for (size_t i = 0; i < sizeof shared / sizeof *shared; i++)
            may |= shared[i] == (i18n_id)id;
        if (!may && !strcmp(i18n_get(I18N_KK, (i18n_id)id), i18n_get(I18N_RU, (i18n_id)id)))
            fail_msg("string %d is the same in Kazakh and Russian: %s", id, i18n_get(I18N_KK, (i18n_id)id));
    }
    /* Russian and Kazakh quote with «», English with “”. */
    assert_non_null(strstr(i18n_get(I18N_RU, I18N_NO_RESULTS), "«%s»"));
    assert_non_null(strstr(i18n_get(I18N_KK, I18N_NO_RESULTS), "«%s»"));
    assert_non_null(strstr(i18n_get(I18N_EN, I18N_NO_RESULTS), "“%s”"));
}

static void test_languages(void **state)
{
    (void)state;
    assert_string_equal(i18n_code(I18N_KK), "kk");
    assert_string_equal(i18n_code(I18N_RU), "ru");
    assert_string_equal(i18n_code(I18N_EN), "en");
    assert_string_equal(i18n_name(I18N_KK), "Қазақша");
    assert_string_equal(i18n_name(I18N_RU), "Русский");
    assert_string_equal(i18n_name(I18N_EN), "English");
    assert_int_equal(i18n_next(I18N_KK), I18N_RU);
    assert_int_equal(i18n_next(I18N_RU), I18N_EN);
    assert_int_equal(i18n_next(I18N_EN), I18N_KK);
    /* Every code parses back to its language. */
    for (int l = 0; l < I18N_LANG_COUNT; l++) {
        i18n_lang out = I18N_LANG_COUNT;
        assert_true(i18n_parse(i18n_code((i18n_lang)l), &out));
        assert_int_equal(out, l);
    }
}

/* The count's form: Russian 1 результат, 3 результата, 5 and 11–14
 * результатов, 21 результат; English 1 result, else results; Kazakh one. */
static void test_plural(void **state)
{
    (void)state;
    static const struct {
        long n;
        i18n_plural_form ru, en;
    } cases[] = {
        {0, I18N_PLURAL_MANY, I18N_PLURAL_MANY},  {1, I18N_PLURAL_ONE, I18N_PLURAL_ONE},
        {2, I18N_PLURAL_FEW, I18N_PLURAL_MANY},   {4, I18N_PLURAL_FEW, I18N_PLURAL_MANY},
        {5, I18N_PLURAL_MANY, I18N_PLURAL_MANY},  {11, I18N_PLURAL_MANY, I18N_PLURAL_MANY},
        {12, I18N_PLURAL_MANY, I18N_PLURAL_MANY}, {14, I18N_PLURAL_MANY, I18N_PLURAL_MANY},
        {21, I18N_PLURAL_ONE, I18N_PLURAL_MANY},  {22, I18N_PLURAL_FEW, I18N_PLURAL_MANY},
        {30, I18N_PLURAL_MANY, I18N_PLURAL_MANY}, {111, I18N_PLURAL_MANY, I18N_PLURAL_MANY},
        {101, I18N_PLURAL_ONE, I18N_PLURAL_MANY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(i18n_plural(I18N_RU, cases[i].n), cases[i].ru);
        assert_int_equal(i18n_plural(I18N_EN, cases[i].n), cases[i].en);
        assert_int_equal(i18n_plural(I18N_KK, cases[i].n), I18N_PLURAL_MANY);
    }
}

static void test_parse(void **state)
{
    (void)state;
    i18n_lang l = I18N_EN;
    assert_true(i18n_parse("kk", &l));
    assert_int_equal(l, I18N_KK);
    assert_true(i18n_parse("RU", &l));
    assert_int_equal(l, I18N_RU);
    assert_true(i18n_parse("En", &l));
    assert_int_equal(l, I18N_EN);
    assert_true(i18n_parse("kk-KZ", &l));
    assert_int_equal(l, I18N_KK);
    assert_true(i18n_parse("ru_RU.UTF-8", &l));
    assert_int_equal(l, I18N_RU);
    assert_true(i18n_parse("en_US.utf8@x", &l));
    assert_int_equal(l, I18N_EN);

    const char *bad[] = {"", "k", "kz", "kaz", "kkk", "english", "de", "fr-FR", "kk-", "kk_",
                         "kk KZ", " kk", "kk\n", "ru-RU-with-a-very-long-suffix", "ққ", "кk"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        l = I18N_KK;
        if (i18n_parse(bad[i], &l))
            fail_msg("'%s' should not parse", bad[i]);
        assert_int_equal(l, I18N_KK); /* untouched on failure */
    }
    assert_false(i18n_parse(NULL, &l));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_string_present),
        cmocka_unit_test(test_format_strings_agree),
        cmocka_unit_test(test_cyrillic_strings_have_no_latin_lookalikes),
        cmocka_unit_test(test_kazakh_wording),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_plural),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
