/* Unit tests for content: Markdown to blocks, anchors, links, images, cards,
 * plain text, front-matter, and inputs that must not crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "content.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static content_doc *parse(const char *md)
{
    content_doc *d = content_parse(md, strlen(md), 0);
    assert_non_null(d);
    return d;
}

/* Block text as a static string (tests only look at one at a time). */
static const char *text_of(const content_doc *d, size_t i)
{
    static char buf[4096];
    assert_true(i < d->n_blocks);
    char *t = content_block_text(&d->blocks[i]);
    assert_non_null(t);
    snprintf(buf, sizeof buf, "%s", t);
    free(t);
    return buf;
}

/* 1 when some issue on line mentions needle. */
static int has_issue(const content_doc *d, int line, const char *needle)
{
    for (size_t i = 0; i < d->n_issues; i++)
        if ((line == 0 || d->issues[i].line == line) && strstr(d->issues[i].message, needle))
            return 1;
    return 0;
}

static void print_issues(const content_doc *d)
{
    for (size_t i = 0; i < d->n_issues; i++)
        print_message("issue %d: %s\n", d->issues[i].line, d->issues[i].message);
}

/* ------------------------------------------------------------------ */
/* Blocks and runs                                                      */

static void test_empty(void **state)
{
    (void)state;
    content_doc *d = content_parse("", 0, 0);
    assert_non_null(d);
    assert_int_equal(d->n_blocks, 0);
    assert_int_equal(d->n_issues, 0);
    assert_int_equal(content_find_anchor(d, "x"), -1);
    char *t = content_plain_text(d);
    assert_string_equal(t, "");
    free(t);
    content_free(d);
    content_free(NULL);

    d = parse("\n\n   \n");
    assert_int_equal(d->n_blocks, 0);
    content_free(d);
}

static void test_headings_and_paragraphs(void **state)
{
    (void)state;
    content_doc *d = parse("# One\n\n## Two\n\n###### Six\n\nA paragraph\nover two lines.\n\n"
                           "Setext\n======\n");
    assert_int_equal(d->n_blocks, 5);
    assert_int_equal(d->blocks[0].type, CONTENT_HEADING);
    assert_int_equal(d->blocks[0].level, 1);
    assert_int_equal(d->blocks[1].level, 2);
    assert_int_equal(d->blocks[2].level, 6);
    assert_int_equal(d->blocks[3].type, CONTENT_PARAGRAPH);
    assert_int_equal(d->blocks[3].level, 0);
    assert_string_equal(text_of(d, 3), "A paragraph over two lines."); /* soft break → space */
    assert_int_equal(d->blocks[4].type, CONTENT_HEADING);
    assert_int_equal(d->blocks[4].level, 1);
    assert_int_equal(d->blocks[0].line, 1);
    assert_int_equal(d->blocks[1].line, 3);
    assert_int_equal(d->blocks[2].line, 5);
    assert_int_equal(d->blocks[3].line, 7);
    assert_int_equal(d->blocks[4].line, 10);
    for (size_t i = 0; i < d->n_blocks; i++) {
        assert_int_equal(d->blocks[i].image, -1);
        assert_null(d->blocks[i].anchor);
        assert_int_equal(d->blocks[i].list_depth, 0);
        assert_int_equal(d->blocks[i].quote_depth, 0);
    }
    assert_int_equal(d->n_issues, 0);
    content_free(d);
}

static void test_inline_styles(void **state)
{
    (void)state;
    content_doc *d = parse("plain *it* **bold** ***both*** `code` [link](#x) end");
    assert_int_equal(d->n_blocks, 1);
    const content_block *b = &d->blocks[0];
    struct {
        const char *text;
        unsigned style;
    } want[] = {
        {"plain ", 0},
        {"it", CONTENT_STYLE_ITALIC},
        {" ", 0},
        {"bold", CONTENT_STYLE_BOLD},
        {" ", 0},
        {"both", CONTENT_STYLE_BOLD | CONTENT_STYLE_ITALIC},
        {" ", 0},
        {"code", CONTENT_STYLE_CODE},
        {" ", 0},
        {"link", CONTENT_STYLE_LINK},
        {" end", 0},
    };
    assert_int_equal(b->n_runs, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < b->n_runs; i++) {
        assert_int_equal(b->runs[i].len, strlen(want[i].text));
        assert_memory_equal(b->runs[i].text, want[i].text, b->runs[i].len);
        assert_int_equal(b->runs[i].style, want[i].style);
        assert_int_equal(b->runs[i].link, want[i].style == CONTENT_STYLE_LINK ? 0 : -1);
    }
    content_free(d);
}

static void test_breaks(void **state)
{
    (void)state;
    content_doc *d = parse("one\ntwo  \nthree\\\nfour");
    const content_block *b = &d->blocks[0];
    assert_string_equal(text_of(d, 0), "one two\nthree\nfour");
    /* Hard breaks are runs of their own. */
    assert_int_equal(b->n_runs, 5);
    assert_int_equal(b->runs[1].len, 1);
    assert_memory_equal(b->runs[1].text, "\n", 1);
    assert_memory_equal(b->runs[3].text, "\n", 1);
    content_free(d);
}

static void test_lists(void **state)
{
    (void)state;
    content_doc *d = parse("- a\n- b\n  - b1\n    - b11\n- c\n\n"
                           "3. three\n4. four\n\n"
                           "- loose first\n\n  second paragraph\n\n- next\n");
    const struct {
        content_block_type type;
        int depth, ordered, number;
        const char *text;
    } want[] = {
        {CONTENT_LIST_ITEM, 1, 0, 0, "a"},
        {CONTENT_LIST_ITEM, 1, 0, 0, "b"},
        {CONTENT_LIST_ITEM, 2, 0, 0, "b1"},
        {CONTENT_LIST_ITEM, 3, 0, 0, "b11"},
        {CONTENT_LIST_ITEM, 1, 0, 0, "c"},
        {CONTENT_LIST_ITEM, 1, 1, 3, "three"},
        {CONTENT_LIST_ITEM, 1, 1, 4, "four"},
        {CONTENT_LIST_ITEM, 1, 0, 0, "loose first"},
        {CONTENT_PARAGRAPH, 1, 0, 0, "second paragraph"},
        {CONTENT_LIST_ITEM, 1, 0, 0, "next"},
    };
    assert_int_equal(d->n_blocks, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < d->n_blocks; i++) {
        assert_int_equal(d->blocks[i].type, want[i].type);
        assert_int_equal(d->blocks[i].list_depth, want[i].depth);
        assert_int_equal(d->blocks[i].ordered, want[i].ordered);
        assert_int_equal(d->blocks[i].number, want[i].number);
        assert_string_equal(text_of(d, i), want[i].text);
    }
    assert_int_equal(d->blocks[0].line, 1);
    assert_int_equal(d->blocks[3].line, 4);
    assert_int_equal(d->blocks[5].line, 7);
    content_free(d);
}

static void test_empty_and_nested_first_items(void **state)
{
    (void)state;
    /* An empty item and an item that starts with a list keep their marker
     * block, in order, so the layout can draw the bullets. */
    content_doc *d = parse("- a\n-\n- - inner\n");
    assert_int_equal(d->n_blocks, 4);
    assert_int_equal(d->blocks[1].type, CONTENT_LIST_ITEM);
    assert_int_equal(d->blocks[1].n_runs, 0);
    assert_int_equal(d->blocks[1].line, 2);
    assert_int_equal(d->blocks[2].type, CONTENT_LIST_ITEM);
    assert_int_equal(d->blocks[2].list_depth, 1);
    assert_int_equal(d->blocks[2].n_runs, 0);
    assert_int_equal(d->blocks[3].list_depth, 2);
    assert_string_equal(text_of(d, 3), "inner");
    assert_int_equal(d->blocks[3].line, 3);
    content_free(d);
}

static void test_quotes(void **state)
{
    (void)state;
    content_doc *d = parse("> outer\n>\n> > inner\n>\n> - listed\n\nafter\n");
    assert_int_equal(d->n_blocks, 4);
    assert_int_equal(d->blocks[0].quote_depth, 1);
    assert_int_equal(d->blocks[1].quote_depth, 2);
    assert_string_equal(text_of(d, 1), "inner");
    assert_int_equal(d->blocks[2].quote_depth, 1);
    assert_int_equal(d->blocks[2].list_depth, 1);
    assert_int_equal(d->blocks[2].type, CONTENT_LIST_ITEM);
    assert_int_equal(d->blocks[3].quote_depth, 0);
    assert_int_equal(d->blocks[1].line, 3);
    assert_int_equal(d->blocks[3].line, 7);
    content_free(d);
}

static void test_nesting_depths(void **state)
{
    (void)state;
    /* 30 levels of lists by indentation, and 50 quotes on one line. */
    char md[8192];
    size_t n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(md + n, sizeof md - n, "%*s- level %d\n", i * 2, "", i + 1);
    content_doc *d = content_parse(md, n, 0);
    assert_non_null(d);
    assert_int_equal(d->n_blocks, 30);
    for (int i = 0; i < 30; i++) {
        assert_int_equal(d->blocks[i].list_depth, i + 1);
        assert_int_equal(d->blocks[i].line, i + 1);
    }
    content_free(d);

    memset(md, '>', 50);
    strcpy(md + 50, " deep\n");
    d = parse(md);
    assert_int_equal(d->n_blocks, 1);
    assert_int_equal(d->blocks[0].quote_depth, 50);
    content_free(d);
}

static void test_code_and_rule(void **state)
{
    (void)state;
    content_doc *d = parse("Intro\n\n```c\nint x;\n  indented <b>\n```\n\n---\n\n    four spaces\n\n***\n");
    assert_int_equal(d->n_blocks, 5);
    assert_int_equal(d->blocks[1].type, CONTENT_CODE);
    assert_string_equal(text_of(d, 1), "int x;\n  indented <b>");
    assert_int_equal(d->blocks[1].runs[0].style, CONTENT_STYLE_CODE);
    assert_int_equal(d->blocks[1].line, 3);
    assert_int_equal(d->blocks[2].type, CONTENT_RULE);
    assert_int_equal(d->blocks[2].n_runs, 0);
    assert_int_equal(d->blocks[2].line, 8);
    assert_int_equal(d->blocks[3].type, CONTENT_CODE);
    assert_string_equal(text_of(d, 3), "four spaces");
    assert_int_equal(d->blocks[4].type, CONTENT_RULE);
    assert_int_equal(d->blocks[4].line, 12);
    /* HTML inside code is code, not raw HTML. */
    assert_int_equal(d->n_issues, 0);
    content_free(d);
}

static void test_entities(void **state)
{
    (void)state;
    content_doc *d = parse("a &amp; b &lt;c&gt; &quot;q&quot; x&nbsp;y &mdash; &ndash; &laquo;&raquo; "
                           "&#1178;&#x4D9; &#0; &unknownthing;");
    assert_string_equal(text_of(d, 0),
                        "a & b <c> \"q\" x\xC2\xA0y \xE2\x80\x94 \xE2\x80\x93 \xC2\xAB\xC2\xBB "
                        "\xD2\x9A\xD3\x99 \xEF\xBF\xBD &unknownthing;");
    assert_true(has_issue(d, 1, "unknown entity '&unknownthing;'"));
    content_free(d);
}

static void test_cyrillic_passes_through(void **state)
{
    (void)state;
    const char *kk = "Қазақстан Республикасы — мемлекеттіліктің әділ, ғылыми, қоғамдық, "
                     "ұлттық, үкімет, һ, ің, өмір.";
    char md[512];
    snprintf(md, sizeof md, "## Бөлім {#bolim-1}\n\n{#bap-1} %s\n\n- **Ата заң** _конституционного_\n", kk);
    content_doc *d = parse(md);
    assert_int_equal(d->n_blocks, 3);
    assert_string_equal(text_of(d, 0), "Бөлім");
    assert_string_equal(d->blocks[0].anchor, "bolim-1");
    assert_string_equal(text_of(d, 1), kk);
    assert_string_equal(d->blocks[1].anchor, "bap-1");
    assert_string_equal(text_of(d, 2), "Ата заң конституционного");
    assert_int_equal(d->blocks[2].runs[0].style, CONTENT_STYLE_BOLD);
    assert_int_equal(d->blocks[2].runs[2].style, CONTENT_STYLE_ITALIC);
    assert_string_equal(d->cards[0].title, "Бөлім");
    assert_int_equal(d->n_issues, 0);
    content_free(d);
}

/* ------------------------------------------------------------------ */
/* Anchors                                                              */

static void test_anchors(void **state)
{
    (void)state;
    content_doc *d = parse("## Section one {#sec-1}\n\n"
                           "### Article 43 {#art43}\n\n"
                           "{#art43-1} 1. The first clause.\n\n"
                           "{#art43-2}2. No space after the marker.\n\n"
                           "- {#item-a} first item\n"
                           "- plain item\n");
    assert_int_equal(d->n_blocks, 6);
    assert_string_equal(d->blocks[0].anchor, "sec-1");
    assert_string_equal(text_of(d, 0), "Section one");
    assert_string_equal(d->blocks[1].anchor, "art43");
    assert_string_equal(text_of(d, 1), "Article 43");
    assert_string_equal(d->blocks[2].anchor, "art43-1");
    assert_string_equal(text_of(d, 2), "1. The first clause.");
    assert_string_equal(d->blocks[3].anchor, "art43-2");
    assert_string_equal(text_of(d, 3), "2. No space after the marker.");
    assert_string_equal(d->blocks[4].anchor, "item-a");
    assert_int_equal(d->blocks[4].type, CONTENT_LIST_ITEM);
    assert_string_equal(text_of(d, 4), "first item");
    assert_null(d->blocks[5].anchor);
    assert_int_equal(content_find_anchor(d, "sec-1"), 0);
    assert_int_equal(content_find_anchor(d, "art43-2"), 3);
    assert_int_equal(content_find_anchor(d, "item-a"), 4);
    assert_int_equal(content_find_anchor(d, "missing"), -1);
    assert_int_equal(d->n_issues, 0);
    content_free(d);
}

static void test_anchor_only_heading_is_kept(void **state)
{
    (void)state;
    /* A heading that is only a marker still carries its anchor (and starts
     * a card), though it has no text. */
    content_doc *d = parse("## {#only}\n\ntext\n");
    assert_int_equal(d->n_blocks, 2);
    assert_string_equal(d->blocks[0].anchor, "only");
    assert_int_equal(d->blocks[0].n_runs, 0);
    assert_int_equal(d->n_cards, 1);
    assert_int_equal(d->n_issues, 0);
    content_free(d);

    d = parse("# Title   {#t}  \n");
    assert_string_equal(d->blocks[0].anchor, "t");
    assert_string_equal(text_of(d, 0), "Title");
    content_free(d);
}

static void test_bad_anchors(void **state)
{
    (void)state;
    char long_id[CONTENT_MAX_ID + 2];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    char md[512];
    snprintf(md, sizeof md,
             "# Upper {#Art5}\n\n"             /* 1 */
             "{#Art 5} spaces\n\n"             /* 3 */
             "{#-lead} dash\n\n"               /* 5 */
             "{#%s} too long\n\n"              /* 7 */
             "{#unclosed text\n\n"             /* 9 */
             "middle {#mid} marker\n\n"        /* 11 */
             "- {#} empty\n\n"                 /* 13 */
             "{#ok-%s} ok?\n",                 /* 15 */
             long_id, long_id + 4);
    content_doc *d = parse(md);
    print_issues(d);
    assert_true(has_issue(d, 1, "bad anchor id 'Art5'"));
    assert_true(has_issue(d, 3, "bad anchor id 'Art 5'"));
    assert_true(has_issue(d, 5, "bad anchor id '-lead'"));
    assert_true(has_issue(d, 7, "bad anchor id 'aaaa"));
    assert_true(has_issue(d, 9, "not closed"));
    assert_true(has_issue(d, 11, "'{#mid}' ignored"));
    assert_true(has_issue(d, 13, "bad anchor id ''"));
    /* Exactly 64 characters is fine. */
    assert_false(has_issue(d, 15, "anchor"));
    for (size_t i = 0; i + 1 < d->n_blocks; i++)
        assert_null(d->blocks[i].anchor);
    assert_int_equal(strlen(d->blocks[d->n_blocks - 1].anchor), CONTENT_MAX_ID);
    /* Bad markers are still removed from the text. */
    assert_string_equal(text_of(d, 0), "Upper");
    assert_string_equal(text_of(d, 1), "spaces");
    content_free(d);
}

static void test_duplicate_anchors(void **state)
{
    (void)state;
    content_doc *d = parse("# A {#same}\n\ntext\n\n{#same} again\n\n- {#same} thrice\n");
    assert_true(has_issue(d, 5, "duplicate anchor 'same' (first at line 1)"));
    assert_true(has_issue(d, 7, "duplicate anchor 'same' (first at line 1)"));
    assert_int_equal(content_find_anchor(d, "same"), 0);
    /* Issues come sorted by line. */
    for (size_t i = 1; i < d->n_issues; i++)
        assert_true(d->issues[i - 1].line <= d->issues[i].line);
    content_free(d);
}

static void test_many_anchors(void **state)
{
    (void)state;
    /* Enough anchors to exercise the hash table well past its first size. */
    size_t cap = 2000 * 32, n = 0;
    char *md = malloc(cap);
    assert_non_null(md);
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(md + n, cap - n, "{#a%d-%d} %d.\n\n", i / 10, i % 10, i);
    content_doc *d = content_parse(md, n, 0);
    assert_non_null(d);
    assert_int_equal(d->n_blocks, 2000);
    assert_int_equal(d->n_issues, 0);
    assert_int_equal(content_find_anchor(d, "a0-0"), 0);
    assert_int_equal(content_find_anchor(d, "a199-9"), 1999);
    assert_int_equal(content_find_anchor(d, "a57-3"), 573);
    assert_int_equal(d->blocks[573].line, 573 * 2 + 1);
    content_free(d);
    free(md);
}

/* ------------------------------------------------------------------ */
/* Links                                                                */

static void test_links(void **state)
{
    (void)state;
    const struct {
        const char *md;
        content_link_kind kind;
        const char *item, *anchor;
        int card;
        const char *error;
    } cases[] = {
        {"[t](item:constitution)", CONTENT_LINK_ITEM, "constitution", NULL, 0, NULL},
        {"[t](item:constitution#art43-5)", CONTENT_LINK_ITEM, "constitution", "art43-5", 0, NULL},
        {"[t](#art43-5)", CONTENT_LINK_ANCHOR, NULL, "art43-5", 0, NULL},
        {"[t](category:laws)", CONTENT_LINK_CATEGORY, "laws", NULL, 0, NULL},
        {"[t](deck:key-changes/3)", CONTENT_LINK_DECK, "key-changes", NULL, 3, NULL},
        {"[t](https://example.org/x?y=1)", CONTENT_LINK_EXTERNAL, NULL, NULL, 0, NULL},
        {"[t](HTTP://example.org)", CONTENT_LINK_EXTERNAL, NULL, NULL, 0, NULL},
        {"<https://example.org>", CONTENT_LINK_EXTERNAL, NULL, NULL, 0, NULL},
        {"[t](item:)", CONTENT_LINK_INVALID, NULL, NULL, 0, "missing item id"},
        {"[t](<item:Bad Id>)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad item id 'Bad Id'"},
        {"[t](item:ok#Bad)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad anchor id 'Bad'"},
        {"[t](item:ok#)", CONTENT_LINK_INVALID, NULL, NULL, 0, "empty anchor"},
        {"[t](#)", CONTENT_LINK_INVALID, NULL, NULL, 0, "empty anchor"},
        {"[t](#Art_5)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad anchor id 'Art_5'"},
        {"[t](category:)", CONTENT_LINK_INVALID, NULL, NULL, 0, "missing category id"},
        {"[t](deck:x/0)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad card number"},
        {"[t](deck:x/)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad card number"},
        {"[t](deck:x/2a)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad card number"},
        {"[t](deck:x/99999999999)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad card number"},
        {"[t](deck:x)", CONTENT_LINK_INVALID, NULL, NULL, 0, "needs a card number"},
        {"[t](deck:X/1)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad deck id 'X'"},
        {"[t](ftp://x)", CONTENT_LINK_INVALID, NULL, NULL, 0, "unsupported link 'ftp://x'"},
        {"[t](mailto:a@b.c)", CONTENT_LINK_INVALID, NULL, NULL, 0, "unsupported link"},
        {"[t](other.md)", CONTENT_LINK_INVALID, NULL, NULL, 0, "unsupported link"},
        {"[t](http://)", CONTENT_LINK_INVALID, NULL, NULL, 0, "unsupported link"},
        {"[t]()", CONTENT_LINK_INVALID, NULL, NULL, 0, "empty link target"},
        {"[t](item:a&amp;b)", CONTENT_LINK_INVALID, NULL, NULL, 0, "bad item id 'a&b'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case %s\n", cases[i].md);
        content_doc *d = parse(cases[i].md);
        assert_int_equal(d->n_links, 1);
        const content_link *l = &d->links[0];
        assert_int_equal(l->kind, cases[i].kind);
        assert_int_equal(l->line, 1);
        assert_int_equal(l->card, cases[i].card);
        if (cases[i].item)
            assert_string_equal(l->item, cases[i].item);
        else
            assert_null(l->item);
        if (cases[i].anchor)
            assert_string_equal(l->anchor, cases[i].anchor);
        else
            assert_null(l->anchor);
        if (cases[i].error) {
            assert_non_null(l->error);
            print_message("  -> %s\n", l->error);
            assert_non_null(strstr(l->error, cases[i].error));
        } else {
            assert_null(l->error);
        }
        assert_non_null(l->url);
        content_free(d);
    }
}

static void test_link_runs_and_lines(void **state)
{
    (void)state;
    content_doc *d = parse("First line\nsee [**bold** link](#a) and\n[other\nlink](item:x#b).\n\n"
                           "[ref]\n\n[ref]: category:laws\n");
    assert_int_equal(d->n_links, 3);
    assert_int_equal(d->links[0].line, 2);
    assert_int_equal(d->links[1].line, 3);
    assert_int_equal(d->links[2].line, 6);
    assert_int_equal(d->links[2].kind, CONTENT_LINK_CATEGORY);
    const content_block *b = &d->blocks[0];
    int seen_bold_link = 0;
    for (size_t i = 0; i < b->n_runs; i++) {
        if (b->runs[i].style == (CONTENT_STYLE_BOLD | CONTENT_STYLE_LINK)) {
            seen_bold_link = 1;
            assert_int_equal(b->runs[i].link, 0);
        }
        if (b->runs[i].link == 1)
            assert_true(b->runs[i].style & CONTENT_STYLE_LINK);
    }
    assert_true(seen_bold_link);
    assert_string_equal(text_of(d, 0), "First line see bold link and other link.");
    content_free(d);
}

/* ------------------------------------------------------------------ */
/* Images                                                               */

static void test_images(void **state)
{
    (void)state;
    content_doc *d = parse("Before ![An *alt* text](one.png) after.\n\n"
                           "![](two.jpg)\n\n"
                           "- ![listed](three.png)\n\n"
                           "# Heading ![i](four.png) tail\n");
    print_issues(d);
    assert_int_equal(d->n_images, 4);
    assert_string_equal(d->images[0].src, "one.png");
    assert_string_equal(d->images[0].alt, "An alt text");
    assert_int_equal(d->images[0].line, 1);
    assert_string_equal(d->images[1].src, "two.jpg");
    assert_string_equal(d->images[1].alt, "");
    assert_int_equal(d->images[1].line, 3);
    assert_int_equal(d->images[2].line, 5);

    const struct {
        content_block_type type;
        const char *text;
        int image;
    } want[] = {
        {CONTENT_PARAGRAPH, "Before", -1},
        {CONTENT_IMAGE, "", 0},
        {CONTENT_PARAGRAPH, "after.", -1},
        {CONTENT_IMAGE, "", 1},
        {CONTENT_LIST_ITEM, "", -1}, /* the bullet */
        {CONTENT_IMAGE, "", 2},
        {CONTENT_HEADING, "Heading", -1},
        {CONTENT_IMAGE, "", 3},
        {CONTENT_HEADING, "tail", -1},
    };
    assert_int_equal(d->n_blocks, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < d->n_blocks; i++) {
        assert_int_equal(d->blocks[i].type, want[i].type);
        assert_string_equal(text_of(d, i), want[i].text);
        assert_int_equal(d->blocks[i].image, want[i].image);
    }
    assert_int_equal(d->blocks[5].list_depth, 1);
    assert_int_equal(d->blocks[3].line, 3);
    assert_int_equal(d->blocks[8].level, 1);
    char *t = content_plain_text(d);
    assert_non_null(strstr(t, "An alt text"));
    free(t);
    content_free(d);
}

static void test_linked_image_and_image_only_doc(void **state)
{
    (void)state;
    content_doc *d = parse("[![logo](logo.png)](item:home)\n");
    assert_int_equal(d->n_blocks, 1);
    assert_int_equal(d->blocks[0].type, CONTENT_IMAGE);
    assert_int_equal(d->n_links, 1);
    assert_int_equal(d->links[0].kind, CONTENT_LINK_ITEM);
    content_free(d);
}

/* ------------------------------------------------------------------ */
/* Cards and plain text                                                 */

static void test_cards(void **state)
{
    (void)state;
    content_doc *d = parse("Intro is not a card.\n\n"
                           "## First card {#c1}\n\nOne.\n\n- a\n- b\n\n"
                           "## Second *card*\n\nTwo.\n\n### Sub\n\nStill two.\n");
    assert_int_equal(d->n_cards, 2);
    assert_string_equal(d->cards[0].title, "First card");
    assert_string_equal(d->cards[0].anchor, "c1");
    assert_int_equal(d->cards[0].first_block, 1);
    assert_int_equal(d->cards[0].n_blocks, 4);
    assert_string_equal(d->cards[1].title, "Second card");
    assert_null(d->cards[1].anchor);
    assert_int_equal(d->cards[1].first_block, 5);
    assert_int_equal(d->cards[1].n_blocks, 4);
    assert_int_equal(d->blocks[0].card, -1);
    for (size_t i = 1; i < 5; i++)
        assert_int_equal(d->blocks[i].card, 0);
    for (size_t i = 5; i < d->n_blocks; i++)
        assert_int_equal(d->blocks[i].card, 1);
    content_free(d);
}

static void test_plain_text(void **state)
{
    (void)state;
    content_doc *d = parse("# Title {#t}\n\n{#p1} Some **bold** [link](#t).\n\n---\n\n- item\n\n"
                           "![Alt words](x.png)\n\n```\ncode\n```\n");
    char *t = content_plain_text(d);
    assert_non_null(t);
    assert_string_equal(t, "Title\nSome bold link.\nitem\nAlt words\ncode");
    free(t);
    content_free(d);
}

/* ------------------------------------------------------------------ */
/* Issues and line numbers                                              */

static void test_raw_html_reported(void **state)
{
    (void)state;
    content_doc *d = parse("Text with <b>bold</b> tags.\n\n<div>\nblock\n</div>\n\n"
                           "a < b and <https://example.org> are fine.\n\n`<i>code</i>`\n");
    print_issues(d);
    assert_true(has_issue(d, 1, "raw HTML"));
    assert_true(has_issue(d, 3, "raw HTML"));
    assert_false(has_issue(d, 7, "raw HTML"));
    assert_false(has_issue(d, 9, "raw HTML"));
    /* Shown as text, never interpreted. */
    assert_string_equal(text_of(d, 0), "Text with <b>bold</b> tags.");
    content_free(d);
}

static void test_line_offset(void **state)
{
    (void)state;
    const char *md = "# H {#h}\n\n[x](ftp://y)\n\n{#h} dup\n\n***\n";
    content_doc *d = content_parse(md, strlen(md), 10);
    assert_non_null(d);
    assert_int_equal(d->blocks[0].line, 11);
    assert_int_equal(d->blocks[1].line, 13);
    assert_int_equal(d->links[0].line, 13);
    assert_int_equal(d->blocks[3].line, 17);
    assert_true(has_issue(d, 15, "duplicate anchor 'h' (first at line 11)"));
    content_free(d);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    content_doc *d = parse("\xEF\xBB\xBF# Title {#t}\r\n\r\nLine one\r\nline two\r\n");
    assert_int_equal(d->n_blocks, 2);
    assert_string_equal(d->blocks[0].anchor, "t");
    assert_string_equal(text_of(d, 0), "Title");
    assert_string_equal(text_of(d, 1), "Line one line two");
    assert_int_equal(d->blocks[1].line, 3);
    content_free(d);
}

/* ------------------------------------------------------------------ */
/* Front-matter                                                         */

static void test_front_matter_good(void **state)
{
    (void)state;
    const char *src = "---\ntitle: Ата заң: жобасы\nsummary:   Two words  \n\nempty:\n---\n# Body\n";
    content_front fm;
    content_issue is;
    assert_int_equal(content_front_matter(src, strlen(src), &fm, &is), 0);
    assert_int_equal(fm.n, 3);
    assert_string_equal(content_front_get(&fm, "title"), "Ата заң: жобасы");
    assert_string_equal(content_front_get(&fm, "summary"), "Two words");
    assert_string_equal(content_front_get(&fm, "empty"), "");
    assert_null(content_front_get(&fm, "missing"));
    assert_int_equal(fm.fields[0].line, 2);
    assert_int_equal(fm.fields[2].line, 5);
    assert_int_equal(fm.body_line, 7);
    assert_string_equal(src + fm.body_offset, "# Body\n");

    /* The body's line numbers continue from the file's. */
    content_doc *d = content_parse(src + fm.body_offset, strlen(src) - fm.body_offset, fm.body_line - 1);
    assert_int_equal(d->blocks[0].line, 7);
    content_free(d);

    /* CRLF and a BOM. */
    src = "\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\nbody";
    assert_int_equal(content_front_matter(src, strlen(src), &fm, NULL), 0);
    assert_string_equal(content_front_get(&fm, "title"), "T");
    assert_string_equal(src + fm.body_offset, "body");
    assert_int_equal(fm.body_line, 4);

    /* Closing line at the very end. */
    src = "---\na: b\n---";
    assert_int_equal(content_front_matter(src, strlen(src), &fm, NULL), 0);
    assert_int_equal(fm.body_offset, strlen(src));

    /* Exactly the limits. */
    char big[1024];
    char val[512];
    memset(val, 'v', 511);
    val[511] = '\0';
    snprintf(big, sizeof big, "---\n%s: %s\n---\n", "k234567890123456789012345678901", val);
    assert_int_equal(content_front_matter(big, strlen(big), &fm, &is), 0);
    assert_int_equal(strlen(fm.fields[0].value), 511);
}

static void test_front_matter_bad(void **state)
{
    (void)state;
    char val[600], many[1024];
    memset(val, 'v', 512);
    val[512] = '\0';
    char toolong[700];
    snprintf(toolong, sizeof toolong, "---\ntitle: %s\n---\n", val);
    size_t n = (size_t)snprintf(many, sizeof many, "---\n");
    for (int i = 0; i <= CONTENT_MAX_FRONT; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, "k%d: v\n", i);
    snprintf(many + n, sizeof many - n, "---\n");
    const struct {
        const char *src;
        int line;
        const char *msg;
    } cases[] = {
        {"", 1, "missing front-matter"},
        {"# Just a body\n", 1, "missing front-matter"},
        {"--- \n", 1, "not closed"},
        {"---\ntitle: x\n", 1, "not closed"},
        {"---\ntitle: x\nbody text\n---\n", 3, "line is not 'key: value'"},
        {"---\ntitle: a\ntitle: b\n---\n", 3, "duplicate key 'title'"},
        {"---\n: value\n---\n", 2, "empty key"},
        {"---\nmy key: value\n---\n", 2, "bad key 'my key'"},
        {"---\nk2345678901234567890123456789012: v\n---\n", 2, "too long"},
        {toolong, 2, "value of 'title' too long"},
        {many, CONTENT_MAX_FRONT + 2, "too many front-matter fields"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        content_front fm;
        content_issue is;
        int rc = content_front_matter(cases[i].src, strlen(cases[i].src), &fm, &is);
        print_message("case %zu: %d: %s\n", i, is.line, is.message);
        assert_int_equal(rc, -1);
        assert_int_equal(is.line, cases[i].line);
        assert_non_null(strstr(is.message, cases[i].msg));
    }
    /* NUL byte inside. */
    const char nul[] = "---\nti\0tle: x\n---\n";
    content_front fm;
    content_issue is;
    assert_int_equal(content_front_matter(nul, sizeof nul - 1, &fm, &is), -1);
    assert_int_equal(is.line, 2);
}

/* ------------------------------------------------------------------ */
/* Hostile input                                                        */

static void check_doc_sane(const content_doc *d, size_t len)
{
    for (size_t i = 0; i < d->n_blocks; i++) {
        const content_block *b = &d->blocks[i];
        assert_true(b->line >= 1);
        assert_true(b->type >= CONTENT_HEADING && b->type <= CONTENT_CODE);
        assert_true(b->type != CONTENT_IMAGE || (b->image >= 0 && (size_t)b->image < d->n_images));
        for (size_t r = 0; r < b->n_runs; r++) {
            assert_true(b->runs[r].len > 0);
            assert_true(b->runs[r].link < (int)d->n_links);
        }
    }
    for (size_t i = 0; i < d->n_links; i++)
        assert_true(d->links[i].kind != CONTENT_LINK_INVALID || d->links[i].error != NULL);
    assert_true(d->n_issues <= 101);
    char *t = content_plain_text(d);
    assert_non_null(t);
    assert_true(strlen(t) <= len * 3 + d->n_blocks + 1);
    free(t);
}

static void test_garbage(void **state)
{
    (void)state;
    size_t len = 1u << 20;
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    uint32_t seed = 12345;
    static const char alphabet[] = "#*_-`>[]()!{}:/&;\\ \n\t<0123456789abcZ\xD2\x9A\xC3";
    for (int round = 0; round < 12; round++) {
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = round % 2 ? (char)(seed >> 16) : alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        size_t n = len >> (round / 2); /* 1 MB down to 32 KB */
        content_doc *d = content_parse(buf, n, 0);
        assert_non_null(d);
        check_doc_sane(d, n);
        content_free(d);
        content_front fm;
        content_issue is;
        (void)content_front_matter(buf, n, &fm, &is);
    }
    free(buf);
}

static void test_pathological_shapes(void **state)
{
    (void)state;
    size_t len = 1u << 20;
    char *buf = malloc(len + 64);
    assert_non_null(buf);
    const char *units[] = {"- ", "> ", "* ", "[", "**", "{#", "&amp;", "![", "\\\n", "`"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ul = strlen(units[u]), n = 0;
        while (n + ul < len) {
            memcpy(buf + n, units[u], ul);
            n += ul;
        }
        memcpy(buf + n, "x\n", 2);
        n += 2;
        content_doc *d = content_parse(buf, n, 0);
        assert_non_null(d);
        check_doc_sane(d, n);
        content_free(d);
    }
    /* Many images and links whose targets are defined far away. */
    size_t n = 0;
    n += (size_t)snprintf(buf + n, len - n, "[r]: x.png\n[l]: item:x\n");
    for (size_t i = 0; i < 20000; i++)
        n += (size_t)snprintf(buf + n, len - n, "y\n");
    n += (size_t)snprintf(buf + n, len - n, "\n");
    while (n + 32 < len)
        n += (size_t)snprintf(buf + n, len - n, "![][r] [][l]\n\n");
    content_doc *refs = content_parse(buf, n, 0);
    assert_non_null(refs);
    assert_true(refs->n_images > 10000);
    assert_int_equal(refs->images[0].line, 20004);
    content_free(refs);

    /* One 1 MB line of words, and one without a single space. */
    for (size_t i = 0; i < len; i++)
        buf[i] = i % 7 == 6 ? ' ' : 'w';
    content_doc *d = content_parse(buf, len, 0);
    assert_non_null(d);
    assert_int_equal(d->n_blocks, 1);
    content_free(d);
    memset(buf, 'w', len);
    d = content_parse(buf, len, 0);
    assert_non_null(d);
    assert_int_equal(d->blocks[0].runs[0].len, len);
    content_free(d);
    free(buf);
}

static void test_too_large(void **state)
{
    (void)state;
    size_t len = CONTENT_MAX_SOURCE + 1;
    char *buf = calloc(1, len);
    assert_non_null(buf);
    memset(buf, 'a', len);
    assert_null(content_parse(buf, len, 0));
    content_front fm;
    content_issue is;
    assert_int_equal(content_front_matter(buf, len, &fm, &is), -1);
    assert_non_null(strstr(is.message, "too large"));
    free(buf);
}

static void test_nul_chars(void **state)
{
    (void)state;
    const char md[] = "a\0b";
    content_doc *d = content_parse(md, 3, 0);
    assert_non_null(d);
    assert_string_equal(text_of(d, 0), "a\xEF\xBF\xBD" "b");
    content_free(d);
}

/* md4c 0.4.8 reads one byte past a document that ends inside a link; the
 * source sits right before an unmapped page here, so that would crash. */
static void test_input_at_page_end(void **state)
{
    (void)state;
    const char *cases[] = {"[l](p", "![i](p", "x [l](item:a#", "[l](<p", "&amp"};
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    assert_int_equal(mprotect(m + pg, (size_t)pg, PROT_NONE), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i]);
        char *src = m + pg - n;
        memcpy(src, cases[i], n);
        content_doc *d = content_parse(src, n, 0);
        assert_non_null(d);
        content_free(d);
        content_front fm;
        assert_int_equal(content_front_matter(src, n, &fm, NULL), -1);
    }
    munmap(m, (size_t)pg * 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_headings_and_paragraphs),
        cmocka_unit_test(test_inline_styles),
        cmocka_unit_test(test_breaks),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_empty_and_nested_first_items),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_nesting_depths),
        cmocka_unit_test(test_code_and_rule),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_cyrillic_passes_through),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_anchor_only_heading_is_kept),
        cmocka_unit_test(test_bad_anchors),
        cmocka_unit_test(test_duplicate_anchors),
        cmocka_unit_test(test_many_anchors),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_link_runs_and_lines),
        cmocka_unit_test(test_images),
        cmocka_unit_test(test_linked_image_and_image_only_doc),
        cmocka_unit_test(test_cards),
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_raw_html_reported),
        cmocka_unit_test(test_line_offset),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_front_matter_good),
        cmocka_unit_test(test_front_matter_bad),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_pathological_shapes),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_nul_chars),
        cmocka_unit_test(test_input_at_page_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
