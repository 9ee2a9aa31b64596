/* ini: sections, comments, whitespace, bad lines with their line numbers,
 * duplicate keys and sections, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

static ini_doc *parse(const char *text)
{
    ini_doc *doc = ini_parse(text, strlen(text));
    assert_non_null(doc);
    return doc;
}

#define ANY_KIND (-1) /* assert_issue: the kind is not checked */

/* Asserts issue i of doc: its line, its kind (unless ANY_KIND) and its
 * message (unless NULL). */
static void assert_issue(const ini_doc *doc, size_t i, int line, int kind, const char *message)
{
    assert_true(i < doc->n_issues);
    assert_int_equal(doc->issues[i].line, line);
    if (kind != ANY_KIND)
        assert_int_equal(doc->issues[i].kind, kind);
    if (message)
        assert_string_equal(doc->issues[i].message, message);
}

static void test_sections_and_keys(void **state)
{
    (void)state;
    ini_doc *doc = parse("top = 1\n"
                         "[bundle]\n"
                         "title = Infopoint sample\n"
                         "version=2\n"
                         "[category constitution]\n"
                         "title.kk = Конституция жобасы\n");
    assert_int_equal(doc->n_issues, 0);
    assert_int_equal(doc->n_sections, 3);
    assert_string_equal(doc->sections[0].name, "");
    assert_string_equal(doc->sections[1].name, "bundle");
    assert_int_equal(doc->sections[1].line, 2);
    assert_string_equal(doc->sections[2].name, "category constitution");
    assert_string_equal(ini_get(doc, "", "top"), "1");
    assert_string_equal(ini_get(doc, "bundle", "title"), "Infopoint sample");
    assert_string_equal(ini_get(doc, "bundle", "version"), "2");
    assert_string_equal(ini_get(doc, "category constitution", "title.kk"), "Конституция жобасы");
    assert_null(ini_get(doc, "bundle", "top"));
    assert_null(ini_get(doc, "nope", "title"));
    const ini_entry *e = ini_find(doc, 2, "title.kk");
    assert_non_null(e);
    assert_int_equal(e->line, 6);
    assert_int_equal(doc->n_entries, 4);
    ini_free(doc);
}

static void test_comments_and_whitespace(void **state)
{
    (void)state;
    ini_doc *doc = parse("# a comment\n"
                         "; another\n"
                         "   \n"
                         "\t[ bundle ]   # trailing comment\n"
                         "  version   =   1   # integer\r\n"
                         "title = C# in a value; a;b stays\n"
                         "empty =\n"
                         "empty2 = # only a comment\n"
                         "[category \t  news]\n"
                         "order = 2");   /* no final newline */
    assert_int_equal(doc->n_issues, 0);
    assert_string_equal(ini_get(doc, "bundle", "version"), "1");
    assert_string_equal(ini_get(doc, "bundle", "title"), "C# in a value; a;b stays");
    assert_string_equal(ini_get(doc, "bundle", "empty"), "");
    assert_string_equal(ini_get(doc, "bundle", "empty2"), "");
    assert_string_equal(ini_get(doc, "category news", "order"), "2");
    assert_int_equal(ini_find_section(doc, "category news"), 2);
    assert_int_equal(doc->sections[2].line, 9);
    ini_free(doc);
}

static void test_bad_lines_have_line_numbers(void **state)
{
    (void)state;
    ini_doc *doc = parse("[bundle]\n"
                         "just words\n"
                         "= value\n"
                         "bad key = 1\n"
                         "[unclosed\n"
                         "[]\n"
                         "[x] trailing\n"
                         "ok = yes\n");
    static const struct {
        int line, kind;
        const char *message;
    } want[] = {
        {2, INI_ISSUE_BAD_LINE, "line is not 'key = value' or '[section]'"},
        {3, INI_ISSUE_BAD_KEY, NULL},
        {4, INI_ISSUE_BAD_KEY, NULL},
        {5, INI_ISSUE_BAD_SECTION, NULL},
        {6, ANY_KIND, "empty section name"},
        {7, ANY_KIND, "text after ']' in section header"},
    };
    assert_int_equal(doc->n_issues, 6);
    for (size_t i = 0; i < 6; i++)
        assert_issue(doc, i, want[i].line, want[i].kind, want[i].message);
    assert_non_null(strstr(doc->issues[2].message, "bad key 'bad key'"));
    /* Good lines around bad ones are kept. */
    assert_string_equal(ini_get(doc, "bundle", "ok"), "yes");
    ini_free(doc);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    ini_doc *doc = parse("[a]\n"
                         "x = 1\n"
                         "y = 2\n"
                         "x = 3\n"
                         "[b]\n"
                         "x = 4\n");
    assert_int_equal(doc->n_issues, 1);
    assert_issue(doc, 0, 4, INI_ISSUE_DUPLICATE_KEY, "duplicate key 'x' (first at line 2)");
    assert_int_equal(doc->issues[0].other_line, 2);
    /* The first value wins; the same key in another section is fine. */
    assert_string_equal(ini_get(doc, "a", "x"), "1");
    assert_string_equal(ini_get(doc, "b", "x"), "4");
    ini_free(doc);
}

static void test_duplicate_sections(void **state)
{
    (void)state;
    ini_doc *doc = parse("[category law]\n"
                         "order = 1\n"
                         "\n"
                         "[category   law]\n"
                         "order = 2\n");
    assert_int_equal(doc->n_issues, 1);
    assert_issue(doc, 0, 4, INI_ISSUE_DUPLICATE_SECTION, "duplicate section [category law] (first at line 1)");
    assert_int_equal(doc->issues[0].other_line, 1);
    /* Both occurrences are kept, so keys are not reported twice; lookups by
     * name see the first. */
    assert_int_equal(doc->n_sections, 3);
    assert_string_equal(ini_get(doc, "category law", "order"), "1");
    ini_free(doc);
}

static void test_long_line_and_nul(void **state)
{
    (void)state;
    size_t n = INI_MAX_LINE + 10;
    char *text = malloc(n + 32);
    assert_non_null(text);
    strcpy(text, "[a]\nk = ");
    size_t at = strlen(text);
    memset(text + at, 'v', n);
    strcpy(text + at + n, "\nz = 1\n");
    ini_doc *doc = parse(text);
    assert_int_equal(doc->n_issues, 1);
    assert_issue(doc, 0, 2, INI_ISSUE_TOO_LONG, NULL);
    assert_string_equal(ini_get(doc, "a", "z"), "1");
    ini_free(doc);
    free(text);

    const char with_nul[] = "a = 1\nb = x\0y\nc = 3\n";
    doc = ini_parse(with_nul, sizeof with_nul - 1);
    assert_non_null(doc);
    assert_int_equal(doc->n_issues, 1);
    assert_issue(doc, 0, 2, ANY_KIND, NULL);
    assert_string_equal(ini_get(doc, "", "c"), "3");
    ini_free(doc);
}

static void test_empty_and_issue_cap(void **state)
{
    (void)state;
    ini_doc *doc = ini_parse("", 0);
    assert_non_null(doc);
    assert_int_equal(doc->n_entries, 0);
    assert_int_equal(doc->n_sections, 1);
    ini_free(doc);

    /* More bad lines than INI_MAX_ISSUES: the rest are counted, not kept. */
    size_t lines = INI_MAX_ISSUES + 5;
    char *text = malloc(lines * 4 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < lines; i++)
        memcpy(text + i * 4, "bad\n", 4);
    doc = ini_parse(text, lines * 4);
    assert_non_null(doc);
    assert_int_equal(doc->n_issues, INI_MAX_ISSUES);
    assert_int_equal(doc->issues_dropped, 5);
    ini_free(doc);
    free(text);
    ini_free(NULL);
}

/* Random text from the characters the parser cares about: never a crash,
 * issues in line order, every entry's key well-formed. */
static void test_random_input(void **state)
{
    (void)state;
    static const char alphabet[] = "[]=#; \t\n\rab.-_\xD0\x9A";
    unsigned seed = 99;
    char buf[200];
    for (int round = 0; round < 5000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof buf;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        ini_doc *doc = ini_parse(buf, len);
        assert_non_null(doc);
        for (size_t i = 1; i < doc->n_issues; i++)
            assert_true(doc->issues[i - 1].line <= doc->issues[i].line);
        for (size_t i = 0; i < doc->n_entries; i++) {
            assert_true(doc->entries[i].key[0] != '\0');
            assert_true(doc->entries[i].section < doc->n_sections);
            assert_null(strpbrk(doc->entries[i].key, " \t[]=#;"));
        }
        ini_free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_and_keys),
        cmocka_unit_test(test_comments_and_whitespace),
        cmocka_unit_test(test_bad_lines_have_line_numbers),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_duplicate_sections),
        cmocka_unit_test(test_long_line_and_nul),
        cmocka_unit_test(test_empty_and_issue_cap),
        cmocka_unit_test(test_random_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
