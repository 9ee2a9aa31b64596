/* The search screen on the real sample bundle, through a headless kiosk:
 * what is typed on the on-screen keyboard, the results it shows (places
 * at the depth that holds the words, as links to their routes), the
 * typo correction with what was typed one tap away, and a clause that
 * opens at its anchor. Results are found by the routes they lead to
 * (ui_locate_route): what a finger can tap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "ui.h"

static headless *open_search(const char *lang)
{
    headless *k = support_kiosk_open(NULL, support_sample_bundle(), 800, 480);
    if (!k->st)
        fail_msg("the sample bundle did not open");
    ui_set_lang(k->u, lang, k->now);
    support_run(k, "tapon search\n");
    support_expect_route(k, "search");
    return k;
}

static bool shows(headless *k, const char *route)
{
    float x, y;
    return ui_locate_route(k->u, route, &x, &y) == 0;
}

/* Scrolls the results until route shows (or gives up). */
static bool scroll_to(headless *k, const char *route)
{
    for (int i = 0; i < 12 && !shows(k, route); i++)
        support_run(k, "drag 400 400 400 200 400\nwait 300\n");
    return shows(k, route);
}

/* Kazakh in Latin letters finds the Kazakh texts: a deck card first. */
static void test_latin_query(void **state)
{
    (void)state;
    headless *k = open_search("kk");
    support_run(k, "type qazaqstan\n");
    support_expect_route(k, "search?q=qazaqstan");
    support_run(k, "key return\n"); /* Done: the results get the screen */
    assert_true(shows(k, "deck/key-changes/1"));
    assert_false(shows(k, "@search-original")); /* transliterated, not corrected */
    support_run(k, "tapon deck/key-changes/1\n");
    support_expect_route(k, "deck/key-changes/1");
    /* Back returns to the results. */
    support_run(k, "tapon @back\n");
    support_expect_route(k, "search?q=qazaqstan");
    support_kiosk_close(k);
}

/* While typing on the 7-inch screen the keyboard leaves a short band:
 * results shrink to one line each, and when they do not all fit, a button
 * above them says how many there are and gives them the screen (a full
 * card left room for part of one). */
static void test_results_show_above_keyboard(void **state)
{
    (void)state;
    headless *k = open_search("ru");
    support_run(k, "type конст\n");
    support_expect_route(k, "search?q=%D0%BA%D0%BE%D0%BD%D1%81%D1%82");
    assert_true(shows(k, "item/constitution"));
    assert_true(shows(k, "@search-show"));
    support_run(k, "tapon @search-show\nwait 300\n");
    assert_true(scroll_to(k, "item/commission-session"));
    support_run(k, "tapon item/commission-session\n");
    support_expect_route(k, "item/commission-session");
    support_kiosk_close(k);
}

/* True while the on-screen keyboard shows (a script finds its keys). */
static bool keyboard_shows(headless *k)
{
    float x, y;
    bool done = false;
    return ui_keyboard_locate(k->u, "а", &x, &y, &done) == 0 && done;
}

/* Scrolling the results hides the keyboard (the results get the screen);
 * a drag on the keyboard does not, and a tap on the field brings it back. */
static void test_scrolling_results_hides_the_keyboard(void **state)
{
    (void)state;
    headless *k = open_search("ru");
    support_run(k, "type конст\n");
    uint32_t key = support_pixel(k, 745, 444); /* the Done key (the space bar is as white as a result card) */
    support_run(k, "drag 400 420 400 300 300\nwait 300\n");
    assert_int_equal(support_pixel(k, 745, 444), key);
    support_run(k, "drag 400 150 400 70 300\nwait 300\n"); /* on the results, above the 9 mm keys */
    assert_int_not_equal(support_pixel(k, 745, 444), key);
    support_expect_route(k, "search?q=%D0%BA%D0%BE%D0%BD%D1%81%D1%82"); /* scrolled, nothing opened */
    support_run(k, "tap 400 30\nwait 300\n");
    assert_int_equal(support_pixel(k, 745, 444), key);
    support_kiosk_close(k);
}

/* At the largest text the keyboard leaves the results a band that holds
 * no result: a button says how many there are (in the count's plural
 * form) and gives them the screen; a tap on the field brings the keyboard
 * back, with the button. */
static void test_show_button_gives_results_the_screen(void **state)
{
    (void)state;
    headless *k = open_search("ru");
    support_run(k, "tapon @text-size\ntapon @size-4\ntapon @done\ntype през\n");
    SDL_Rect button;
    assert_int_equal(ui_locate_rect(k->u, "@search-show", &button), 0);
    assert_true(keyboard_shows(k));
    support_run(k, "tapon @search-show\nwait 300\n");
    assert_false(keyboard_shows(k));
    assert_int_not_equal(ui_locate_rect(k->u, "@search-show", &button), 0);
    support_expect_route(k, "search?q=%D0%BF%D1%80%D0%B5%D0%B7");
    support_run(k, "tap 400 30\nwait 300\n");
    assert_true(keyboard_shows(k));
    assert_int_equal(ui_locate_rect(k->u, "@search-show", &button), 0);
    support_kiosk_close(k);
}

/* The layout check sees the result cards' own text: a snippet cut with
 * "…" is a preview (the page it opens has it whole), counted apart; no
 * "…" on the screen goes uncounted. */
static void test_snippets_counted_as_previews(void **state)
{
    (void)state;
    headless *k = open_search("kk");
    support_run(k, "type през\nkey return\n");
    char err[256];
    if (ui_check_layout(k->u, err, sizeof err) != 0)
        fail_msg("%s", err);
    ui_layout_count c = ui_count_layout(k->u);
    assert_int_equal(c.cut, 0);
    assert_true(c.previews > 0);
    support_kiosk_close(k);
}

/* Results that fit beside the keyboard need no button. */
static void test_no_show_button_when_results_fit(void **state)
{
    (void)state;
    headless *k = open_search("en");
    support_run(k, "type finger\n");
    assert_true(shows(k, "item/how-to-use"));
    SDL_Rect r;
    if (ui_locate_rect(k->u, "@search-show", &r) == 0)
        fail_msg("a button over results that fit the band");
    support_kiosk_close(k);
}

/* A typo is corrected; what was typed is one tap away, and finds nothing. */
static void test_typo_correction(void **state)
{
    (void)state;
    headless *k = open_search("en");
    support_run(k, "type presidnet\nkey return\n");
    support_expect_route(k, "search?q=presidnet");
    assert_true(shows(k, "@search-original"));
    assert_true(shows(k, "deck/key-changes/3")); /* "Still a presidential republic" */
    support_run(k, "tapon @search-original\n");
    /* The same text, searched as typed: no results, no correction. */
    support_expect_route(k, "search?q=presidnet");
    assert_false(shows(k, "@search-original"));
    assert_false(shows(k, "deck/key-changes/3"));
    /* Typing again corrects again. */
    support_run(k, "key backspace\ntype t\nkey return\n");
    support_expect_route(k, "search?q=presidnet");
    assert_true(shows(k, "@search-original"));
    support_kiosk_close(k);
}

/* A clause is a result of its own and opens the reader at its anchor. */
static void test_clause_opens_at_anchor(void **state)
{
    (void)state;
    headless *k = open_search("en");
    support_run(k, "type term limit\nkey return\n");
    assert_true(scroll_to(k, "item/constitution#art43-1"));
    assert_false(shows(k, "item/constitution")); /* the clause, not the item's top */
    support_run(k, "tapon item/constitution#art43-1\n");
    support_expect_route(k, "item/constitution#art43-1");
    support_kiosk_close(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin_query),
        cmocka_unit_test(test_typo_correction),
        cmocka_unit_test(test_results_show_above_keyboard), cmocka_unit_test(test_scrolling_results_hides_the_keyboard),
        cmocka_unit_test(test_show_button_gives_results_the_screen),
        cmocka_unit_test(test_no_show_button_when_results_fit),
        cmocka_unit_test(test_snippets_counted_as_previews),
        cmocka_unit_test(test_clause_opens_at_anchor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
