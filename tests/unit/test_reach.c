/* Reach mode (ui_reach.c) on a headless kiosk with the sample content: the
 * strip's button is offered on tall screens only, pulls every control of
 * the ui into the lower half and back, a tap on the empty upper part puts
 * the screen back without touching what then lies under the finger, and
 * the idle reset forgets it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "support.h"
#include "ui.h"

static bool has_target(headless *k, const char *ref)
{
    SDL_Rect r;
    return ui_locate_rect(k->u, ref, &r) == 0;
}

static SDL_Rect rect_of(headless *k, const char *ref)
{
    SDL_Rect r = {0};
    if (ui_locate_rect(k->u, ref, &r) < 0)
        fail_msg("no target %s", ref);
    return r;
}

/* A 7" landscape panel is within reach: no strip, nothing changes. */
static void not_offered_on_a_landscape_panel(void **state)
{
    (void)state;
    headless *k = support_kiosk_open(NULL, support_sample_bundle(), 800, 480);
    assert_false(has_target(k, "@reach"));
    assert_int_equal(rect_of(k, "search").y < 60, 1);
    support_kiosk_close(k);
    /* A 32" landscape screen (69 dpi: 1080 rows are 40 cm high) is tall. */
    config c;
    support_config(&c);
    c.dpi = 69.0f;
    k = support_kiosk_open(&c, support_sample_bundle(), 1920, 1080);
    assert_true(has_target(k, "@reach"));
    support_kiosk_close(k);
}

/* On a portrait screen every control comes into the lower half, the
 * strip's button says so, and it brings the screen back. */
static void pulls_every_control_into_the_lower_half(void **state)
{
    (void)state;
    headless *k = support_kiosk_open(NULL, support_sample_bundle(), 1080, 1920);
    SDL_Rect home_search = rect_of(k, "search");
    SDL_Rect button = rect_of(k, "@reach");
    assert_true(button.y + button.h <= 1920 && button.y > 1700);
    assert_true(home_search.y < 200);
    support_run(k, "open item/constitution\ntapon @reach\n");
    support_expect_route(k, "item/constitution");
    char err[512] = "";
    int bad = ui_check_layout(k->u, err, sizeof err);
    if (bad)
        fail_msg("layout in reach mode: %s", err);
    assert_true(rect_of(k, "@home").y >= 960);
    assert_true(rect_of(k, "search").y >= 960);
    assert_true(rect_of(k, "@lang").y >= 960);
    /* the bar is drawn where its targets are: its colour under @home's row */
    SDL_Rect h = rect_of(k, "@home");
    assert_int_not_equal(support_pixel(k, 5, h.y + h.h / 2), support_pixel(k, 5, 300));
    /* taps land where things are drawn: Home from the moved bar */
    support_run(k, "tapon @home\n");
    support_expect_route(k, "home");
    assert_true(rect_of(k, "search").y >= 960);
    support_run(k, "tapon @reach\n");
    assert_true(rect_of(k, "search").y < 200);
    support_kiosk_close(k);
}

/* A tap on the empty upper part puts the screen back; the finger then lies
 * over the full-size screen, and its lifting there opens nothing. */
static void upper_part_puts_the_screen_back(void **state)
{
    (void)state;
    headless *k = support_kiosk_open(NULL, support_sample_bundle(), 1080, 1920);
    /* the featured card of the full-size home screen lies in the upper half */
    SDL_Rect card = rect_of(k, "deck/key-changes/1");
    assert_true(card.w > 0 && card.y + card.h / 2 < 960);
    support_run(k, "tapon @reach\n");
    assert_true(rect_of(k, "search").y >= 960);
    char line[64];
    snprintf(line, sizeof line, "tap %d %d\n", card.x + card.w / 2, card.y + card.h / 2);
    support_run(k, line);
    support_expect_route(k, "home");
    assert_true(rect_of(k, "search").y < 200);
    /* the same tap on the full-size screen opens the card: it was swallowed */
    support_run(k, line);
    support_expect_route(k, "deck/key-changes/1");
    support_kiosk_close(k);
}

/* The next person starts with the whole screen. */
static void idle_reset_forgets_it(void **state)
{
    (void)state;
    config c;
    support_config(&c);
    c.idle_reset_s = 5;
    headless *k = support_kiosk_open(&c, support_sample_bundle(), 1080, 1920);
    support_run(k, "tapon @reach\n");
    assert_true(rect_of(k, "search").y >= 960);
    support_run(k, "wait 6000\n");
    assert_true(rect_of(k, "search").y < 200);
    support_kiosk_close(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(not_offered_on_a_landscape_panel),
        cmocka_unit_test(pulls_every_control_into_the_lower_half),
        cmocka_unit_test(upper_part_puts_the_screen_back),
        cmocka_unit_test(idle_reset_forgets_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
