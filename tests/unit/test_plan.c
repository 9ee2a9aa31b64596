/* ui_plan: a page measured once keeps its parts in order, grows past its
 * first allocation, and says which parts show in a scrolled viewport (the
 * views draw only those). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ui_plan.h"

static void test_parts_kept_in_order(void **state)
{
    (void)state;
    ui_plan p = {0};
    assert_false(p.valid);
    ui_plan_reset(&p);
    assert_true(p.valid);
    for (int i = 0; i < 1000; i++) /* past the first block of 32 */
        assert_true(ui_plan_add(&p, 7, i, (SDL_Rect){0, i * 50, 100, 40}, i, -i));
    assert_int_equal(p.n, 1000);
    assert_int_equal(p.parts[999].index, 999);
    assert_int_equal(p.parts[999].r.y, 999 * 50);
    assert_int_equal(p.parts[500].h1, 500);
    assert_int_equal(p.parts[500].h2, -500);
    assert_int_equal(p.parts[0].kind, 7);
    ui_plan_reset(&p); /* a new layout: the parts go, the memory stays */
    assert_int_equal(p.n, 0);
    assert_true(p.cap >= 1000);
    ui_plan_free(&p);
    assert_null(p.parts);
    assert_int_equal(p.cap, 0);
}

static void test_text_part_kept_whole(void **state)
{
    (void)state;
    ui_plan p = {0};
    ui_plan_reset(&p);
    const char *title = "Constitution";
    ui_part part = {.kind = UI_PART_TEXT, .r = {10, 20, 300, 40}, .text = title, .face = 1, .size = 24,
                    .max_lines = 2, .color = {1, 2, 3, 255}};
    assert_true(ui_plan_add_part(&p, &part));
    assert_ptr_equal(p.parts[0].text, title);
    assert_int_equal(p.parts[0].kind, UI_PART_TEXT);
    assert_int_equal(p.parts[0].max_lines, 2);
    assert_int_equal(p.parts[0].color.b, 3);
    ui_plan_free(&p);
}

static void test_visible_parts(void **state)
{
    (void)state;
    ui_part part = {.r = {0, 1000, 100, 200}}; /* from 1000 to 1200 on the page */
    assert_false(ui_part_visible(&part, 0, 480));     /* the screen shows 0..480 */
    assert_true(ui_part_visible(&part, 600, 480));    /* 600..1080: its top shows */
    assert_true(ui_part_visible(&part, 1100, 480));   /* its bottom shows */
    assert_false(ui_part_visible(&part, 1300, 480));  /* scrolled past it */
    assert_true(ui_part_visible(&part, 520, 480));    /* its top on the last row */
    assert_false(ui_part_visible(&part, 519, 480));   /* one pixel above the screen's bottom edge */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_kept_in_order),
        cmocka_unit_test(test_text_part_kept_whole),
        cmocka_unit_test(test_visible_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
