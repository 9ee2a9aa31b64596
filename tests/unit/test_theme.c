/* The colour schemes against WCAG 2.2: every text colour on every
 * background it is drawn on reaches 4.5:1 in the standard scheme and 7:1
 * in high contrast (1.4.6, AAA), and the non-text parts that carry meaning
 * (dots, field edges, card outlines) 3:1 (1.4.11). The pairs are the ones
 * the widgets and views draw; a colour changed in theme.c without its
 * partners fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>

#include "theme.h"

typedef struct {
    const char *what;
    size_t fg, bg; /* offsets into theme_palette */
    bool text;     /* text: 4.5:1 / 7:1; else a control part: 3:1 */
} pair;

#define P(f) offsetof(theme_palette, f)

static const pair pairs[] = {
    {"text on the page", P(text), P(bg), true},
    {"text on a card", P(text), P(surface), true},
    {"text on a pressed card", P(text), P(surface_press), true},
    {"secondary text on a card", P(text_muted), P(surface), true},
    {"secondary text on the page", P(text_muted), P(bg), true},
    {"bar text on the bar", P(bar_text), P(bar), true},
    {"a link or outlined button's label on a card", P(accent), P(surface), true},
    {"a link on the page", P(accent), P(bg), true},
    {"a filled button's label", P(surface), P(accent), true},
    {"a pressed filled button's label", P(surface), P(accent_press), true},
    {"a search hit's text on its marker", P(text), P(highlight), true},
    {"a clause reached by a link", P(text), P(clause_flash), true},
    {"a key's letter", P(text), P(key), true},
    {"a special key's label", P(text), P(key_special), true},
    {"a danger button's label", P(danger), P(surface), true},
    {"dots and field edges on the page", P(control_edge), P(bg), false},
    {"dots and field edges on a card", P(control_edge), P(surface), false},
    {"the active dot on the page", P(accent), P(bg), false},
};

static theme_color pick(const theme_palette *p, size_t off)
{
    return *(const theme_color *)((const char *)p + off);
}

/* Returns the number of pairs below their threshold, each printed. */
static int check_scheme(theme_contrast c, double text_min, const char *name)
{
    theme t = theme_compute(800, 480, 0, 0, c);
    int bad = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double need = pairs[i].text ? text_min : 3.0;
        double got = theme_contrast_ratio(pick(&t.color, pairs[i].fg), pick(&t.color, pairs[i].bg));
        printf("  %-14s %-46s %5.2f:1 (needs %.1f)%s\n", name, pairs[i].what, got, need, got < need ? "  FAIL" : "");
        bad += got < need;
    }
    /* Cards show by an outline where no shadow can (on black). */
    if (t.color.card_edge.a)
        bad += theme_contrast_ratio(t.color.card_edge, t.color.bg) < 3.0;
    return bad;
}

static void test_contrast_ratio_formula(void **state)
{
    (void)state;
    theme_color black = {0, 0, 0, 255}, white = {255, 255, 255, 255}, grey = {118, 118, 118, 255};
    assert_true(theme_contrast_ratio(black, white) > 20.99 && theme_contrast_ratio(black, white) < 21.01);
    assert_true(theme_contrast_ratio(white, white) == 1.0);
    /* #767676 on white is the well-known 4.54:1. */
    double g = theme_contrast_ratio(grey, white);
    assert_true(g > 4.5 && g < 4.6);
    assert_true(theme_contrast_ratio(white, grey) == g);
}

static void test_standard_scheme_is_aa(void **state)
{
    (void)state;
    assert_int_equal(check_scheme(THEME_STANDARD, 4.5, "standard"), 0);
}

static void test_high_contrast_is_aaa(void **state)
{
    (void)state;
    assert_int_equal(check_scheme(THEME_HIGH_CONTRAST, 7.0, "high contrast"), 0);
    theme t = theme_compute(800, 480, 0, 0, THEME_HIGH_CONTRAST);
    assert_true(t.color.card_edge.a > 0);
}

/* The scheme changes colours only: sizes are the same in both. */
static void test_contrast_keeps_sizes(void **state)
{
    (void)state;
    theme a = theme_compute(1920, 1080, 0, 2, THEME_STANDARD), b = theme_compute(1920, 1080, 0, 2, THEME_HIGH_CONTRAST);
    assert_int_equal(a.font_body, b.font_body);
    assert_int_equal(a.target, b.target);
    assert_int_equal(a.content_w, b.content_w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_ratio_formula),
        cmocka_unit_test(test_standard_scheme_is_aa),
        cmocka_unit_test(test_high_contrast_is_aaa),
        cmocka_unit_test(test_contrast_keeps_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
