/* Unit tests for the frame's tap targets: ids, hit testing, finding by
 * route or name, clipping to a scrolling band, and the layout check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "targets.h"
#include "utf8.h"

enum { KEY, LINK, BUTTON };

static targets *fresh(void)
{
    targets *l = calloc(1, sizeof *l); /* ~130 kB: not on the stack */
    assert_non_null(l);
    targets_clear(l);
    return l;
}

static void test_ids_tell_targets_apart(void **state)
{
    (void)state;
    targets *l = fresh();
    SDL_Rect r = {10, 10, 40, 40};
    ui_target *t = targets_add(l, r, target_tap(KEY, 3), NULL, "x");
    assert_non_null(t);
    assert_true(target_is(t, r, target_tap(KEY, 3)));
    assert_false(target_is(t, r, target_tap(KEY, 4)));        /* another key */
    assert_false(target_is(t, r, target_link(KEY, 3)));       /* a link is not a tap */
    assert_false(target_is(t, (SDL_Rect){10, 10, 40, 41}, target_tap(KEY, 3)));
    assert_string_equal(t->ref, "");
    /* Empty rectangles are not targets. */
    assert_null(targets_add(l, (SDL_Rect){0, 0, 0, 10}, target_tap(BUTTON, 0), NULL, "x"));
    assert_int_equal(l->n, 1);
    free(l);
}

static void test_topmost_wins_and_slop_forgives(void **state)
{
    (void)state;
    targets *l = fresh();
    targets_add(l, (SDL_Rect){0, 0, 100, 100}, target_tap(BUTTON, 0), NULL, "x");
    targets_add(l, (SDL_Rect){20, 20, 20, 20}, target_tap(BUTTON, 1), NULL, "x");
    assert_int_equal(targets_at(l, 25, 25, 4)->id.index, 1); /* drawn later: on top */
    assert_int_equal(targets_at(l, 5, 5, 4)->id.index, 0);
    assert_null(targets_at(l, 102, 50, 0));
    assert_int_equal(targets_at(l, 102, 50, 4)->id.index, 0); /* just outside the edge */
    assert_null(targets_at(l, 110, 50, 4));
    free(l);
}

static void test_find_by_route_or_name(void **state)
{
    (void)state;
    targets *l = fresh();
    targets_add(l, (SDL_Rect){0, 0, 50, 50}, target_link(LINK, 0), "item/a", "x");
    targets_add(l, (SDL_Rect){0, 60, 50, 50}, target_link(LINK, 1), "item/a", "x");
    targets_add(l, (SDL_Rect){0, 500, 50, 50}, target_tap(BUTTON, 0), "@ok", "x");
    targets_add(l, (SDL_Rect){0, 120, 50, 50}, target_tap(BUTTON, 1), NULL, "x");
    assert_int_equal(targets_find(l, "item/a", 480)->id.index, 1); /* the topmost */
    assert_null(targets_find(l, "@ok", 480));                     /* below the screen */
    assert_non_null(targets_find(l, "@ok", 600));
    assert_null(targets_find(l, "", 600));                        /* unnamed ones are never found */
    assert_null(targets_find(l, "item/b", 600));
    free(l);
}

static void test_clip_and_drop(void **state)
{
    (void)state;
    targets *l = fresh();
    targets_add(l, (SDL_Rect){0, 0, 50, 50}, target_tap(BUTTON, 0), NULL, "x"); /* before the mark */
    int mark = l->n;
    targets_add(l, (SDL_Rect){0, 90, 50, 50}, target_link(LINK, 0), "item/a", "x");  /* half in */
    targets_add(l, (SDL_Rect){0, 300, 50, 50}, target_link(LINK, 1), "item/b", "x"); /* out */
    targets_clip(l, mark, (SDL_Rect){0, 100, 200, 100});
    assert_false(l->items[0].clipped);
    assert_int_equal(l->items[0].rect.h, 50);
    assert_true(l->items[1].clipped);
    assert_int_equal(l->items[1].rect.y, 100);
    assert_int_equal(l->items[1].rect.h, 40);
    assert_int_equal(l->items[2].rect.w, 0);
    assert_null(targets_find(l, "item/b", 480));
    targets_drop(l, mark);
    assert_int_equal(l->n, 1);
    targets_drop(l, 5); /* beyond the end: nothing */
    assert_int_equal(l->n, 1);
    free(l);
}

static void test_check_layout(void **state)
{
    (void)state;
    targets *l = fresh();
    char err[256] = "";
    /* A link in running text may be as low as its line; a button may not. */
    targets_add(l, (SDL_Rect){0, 0, 60, 20}, (target_id){LINK, 0, TARGET_LINK | TARGET_IN_TEXT}, "item/a", "x");
    assert_int_equal(targets_check(l, 800, 480, 36, err, sizeof err), 0);
    targets_add(l, (SDL_Rect){100, 0, 60, 20}, target_tap(BUTTON, 0), "@b", "x");
    assert_int_equal(targets_check(l, 800, 480, 36, err, sizeof err), 1);
    assert_non_null(strstr(err, "lower than a fingertip"));
    targets_clear(l);
    targets_add(l, (SDL_Rect){780, 0, 60, 60}, target_tap(BUTTON, 0), NULL, "x");
    assert_int_equal(targets_check(l, 800, 480, 36, err, sizeof err), 1);
    assert_non_null(strstr(err, "spills over"));
    targets_clear(l);
    targets_add(l, (SDL_Rect){0, 0, 60, 60}, target_tap(BUTTON, 0), NULL, "x");
    targets_add(l, (SDL_Rect){30, 30, 60, 60}, target_tap(BUTTON, 1), NULL, "x");
    assert_int_equal(targets_check(l, 800, 480, 36, err, sizeof err), 1);
    assert_non_null(strstr(err, "overlaps"));
    targets_clear(l);
    ui_target *t = targets_add(l, (SDL_Rect){0, 0, 60, 60}, target_tap(BUTTON, 0), NULL, "x");
    t->label_cut = true;
    assert_int_equal(targets_check(l, 800, 480, 36, err, sizeof err), 1);
    assert_non_null(strstr(err, "label too long"));
    /* Speech mode must have something to say for every target. */
    targets_clear(l);
    targets_add(l, (SDL_Rect){0, 0, 60, 60}, target_tap(BUTTON, 0), NULL, "");
    assert_int_equal(targets_check(l, 800, 480, 36, err, sizeof err), 1);
    assert_non_null(strstr(err, "nothing for speech mode to say"));
    free(l);
}

/* A label too long for a target is cut at a whole character. */
static void test_label_cut_at_a_character(void **state)
{
    (void)state;
    targets *l = fresh();
    char text[TARGET_LABEL_MAX * 2] = "";
    for (size_t i = 0; i + 2 < sizeof text; i += 2)
        memcpy(text + i, "ә", 2);
    ui_target *t = targets_add(l, (SDL_Rect){0, 0, 60, 60}, target_tap(BUTTON, 0), NULL, text);
    assert_true(strlen(t->label) < TARGET_LABEL_MAX);
    assert_true(utf8_valid(t->label, strlen(t->label), NULL));
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_tell_targets_apart),
        cmocka_unit_test(test_topmost_wins_and_slop_forgives),
        cmocka_unit_test(test_find_by_route_or_name),
        cmocka_unit_test(test_clip_and_drop),
        cmocka_unit_test(test_check_layout),
        cmocka_unit_test(test_label_cut_at_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
