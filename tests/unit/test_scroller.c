/* Unit tests for the kinetic scroller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "scroller.h"

#define CONTENT 5000.0f
#define VIEW 480.0f
#define MAX (CONTENT - VIEW)

/* Step at a fixed frame interval until the scroller rests; returns the time
 * it came to rest (or start + limit if it never did) and checks on the way
 * that the offset stays finite and within a sane band around [0, max]. */
static uint32_t run(scroller *s, uint32_t t, uint32_t frame_ms, uint32_t limit_ms)
{
    uint32_t start = t;
    while (scroller_is_animating(s) && t - start < limit_ms) {
        t += frame_ms;
        scroller_step(s, t);
        float o = scroller_offset(s);
        assert_true(isfinite(o));
        assert_true(o > -VIEW && o < scroller_max_offset(s) + VIEW);
    }
    return t;
}

static void assert_at_rest_in_range(const scroller *s)
{
    assert_false(scroller_is_animating(s));
    assert_true(scroller_offset(s) >= 0.0f);
    assert_true(scroller_offset(s) <= scroller_max_offset(s));
}

static void test_init_and_max_offset(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    assert_float_equal(scroller_max_offset(&s), MAX, 0);
    assert_float_equal(scroller_offset(&s), 0, 0);
    assert_false(scroller_is_animating(&s));
    scroller_init(&s, 100, VIEW); /* content shorter than the screen */
    assert_float_equal(scroller_max_offset(&s), 0, 0);
    scroller_init(&s, -5, -5); /* nonsense sizes count as empty */
    assert_float_equal(scroller_max_offset(&s), 0, 0);
}

static void test_drag_within_range_is_direct(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    scroller_scroll_to(&s, 1000, false, 0);
    scroller_drag_begin(&s);
    scroller_drag(&s, -120); /* finger up: content follows up, offset grows */
    assert_float_equal(scroller_offset(&s), 1120, 1e-3);
    scroller_drag(&s, 20);
    assert_float_equal(scroller_offset(&s), 1100, 1e-3);
    scroller_release(&s, 0, 100);
    assert_at_rest_in_range(&s);
    assert_float_equal(scroller_offset(&s), 1100, 1e-3);
}

static void test_rubber_band_resists_and_is_reversible(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    scroller_drag_begin(&s);
    float prev = 0.0f;
    for (int i = 1; i <= 100; i++) {
        scroller_drag(&s, 20); /* pull down past the top: 2000 px in all */
        float o = scroller_offset(&s);
        assert_true(o < prev);               /* keeps following... */
        assert_true(-o < 20.0f * i);         /* ...but less than the finger */
        assert_true(-o < VIEW);              /* and never a whole screen */
        assert_true(prev - o <= 20.0f);      /* no jumps */
        prev = o;
    }
    assert_true(-prev > 0.25f * VIEW); /* it does give way noticeably */
    /* Resistance is felt from the first pixel (slope 0.55 at the end). */
    scroller_init(&s, CONTENT, VIEW);
    scroller_drag(&s, 4);
    assert_float_equal(scroller_offset(&s), -4 * 0.55f, 0.1);
    /* Going back the same way returns to exactly where it started. */
    scroller_drag(&s, 300);
    scroller_drag(&s, -304);
    assert_float_equal(scroller_offset(&s), 0, 1e-3);
    scroller_drag(&s, -50);
    assert_float_equal(scroller_offset(&s), 50, 1e-3);

    /* The bottom end resists the same way. */
    scroller_scroll_to(&s, MAX, false, 0);
    scroller_drag_begin(&s);
    scroller_drag(&s, -400);
    assert_true(scroller_offset(&s) > MAX);
    assert_true(scroller_offset(&s) < MAX + 400);
}

static void test_spring_back_converges_softly(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    scroller_drag(&s, 600);
    float start = scroller_offset(&s);
    assert_true(start < -100);
    scroller_release(&s, 0, 1000);
    assert_true(scroller_is_animating(&s));
    float prev = start, biggest_step = 0;
    uint32_t t = 1000;
    while (scroller_is_animating(&s)) {
        t += 16;
        scroller_step(&s, t);
        float o = scroller_offset(&s);
        assert_true(o >= prev);         /* straight back, no wobble */
        assert_true(o <= 0.0f);         /* never overshoots into the content */
        if (o - prev > biggest_step)
            biggest_step = o - prev;
        prev = o;
        assert_true(t - 1000 < 3000);
    }
    assert_float_equal(scroller_offset(&s), 0, 0);
    /* Soft: no frame moves more than a small share of the distance. */
    assert_true(biggest_step < 0.15f * -start);
    assert_true(t - 1000 <= 1000);
}

static void test_fling_decelerates_monotonically_to_rest(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, 100000, VIEW); /* long enough never to reach the end */
    scroller_scroll_to(&s, 1000, false, 0);
    scroller_release(&s, -3000, 0); /* finger flicked up: offset grows */
    assert_true(scroller_is_animating(&s));
    float prev = scroller_offset(&s), prev_step = INFINITY;
    uint32_t t = 0;
    while (scroller_is_animating(&s)) {
        t += 16;
        scroller_step(&s, t);
        float o = scroller_offset(&s);
        float step = o - prev;
        assert_true(step >= 0.0f);          /* one direction */
        assert_true(step <= prev_step + 1e-3f); /* slowing down every frame */
        prev_step = step;
        prev = o;
        assert_true(t < 5000);
    }
    /* It travels about v*tau and stops within tau*ln(v/stop). */
    float travelled = scroller_offset(&s) - 1000;
    assert_float_equal(travelled, 3000 * SCROLLER_FLING_TAU_S, 10);
    assert_true(t <= (uint32_t)(1000 * SCROLLER_FLING_TAU_S * logf(3000 / SCROLLER_STOP_VELOCITY)) + 16);
    /* Once at rest, further steps change nothing. */
    assert_false(scroller_step(&s, t + 1000));
}

static void test_fling_of_maximum_speed_stops_in_bounded_time(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, 1e7f, VIEW);
    scroller_release(&s, -1e9f, 0); /* absurd input is clamped */
    uint32_t t = run(&s, 0, 16, 20000);
    assert_false(scroller_is_animating(&s));
    assert_true(t <= 1000 * SCROLLER_FLING_TAU_S * logf(SCROLLER_MAX_VELOCITY / SCROLLER_STOP_VELOCITY) + 16);
    assert_float_equal(scroller_offset(&s), SCROLLER_MAX_VELOCITY * SCROLLER_FLING_TAU_S, 20);
}

static void test_fling_into_end_bounces_and_rests_at_end(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    scroller_scroll_to(&s, MAX - 300, false, 0);
    scroller_release(&s, -6000, 0);
    float peak = 0;
    uint32_t t = 0;
    while (scroller_is_animating(&s)) {
        t += 16;
        scroller_step(&s, t);
        if (scroller_offset(&s) > peak)
            peak = scroller_offset(&s);
        assert_true(t < 4000);
    }
    assert_float_equal(scroller_offset(&s), MAX, 0);
    assert_true(peak > MAX);               /* a visible bounce... */
    assert_true(peak <= MAX + 0.1f * VIEW); /* ...but a small one */

    /* And at the top. */
    scroller_scroll_to(&s, 200, false, t);
    scroller_release(&s, 5000, t);
    run(&s, t, 16, 5000);
    assert_at_rest_in_range(&s);
    assert_float_equal(scroller_offset(&s), 0, 0);
}

static void test_release_outside_with_inward_speed_flings_on(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    scroller_drag(&s, 200); /* stretched above the top */
    assert_true(scroller_offset(&s) < 0);
    scroller_release(&s, -3000, 0); /* flicked back up, into the content */
    run(&s, 0, 16, 5000);
    assert_at_rest_in_range(&s);
    /* It coasted into the content rather than being pulled back to the top. */
    assert_true(scroller_offset(&s) > 300);
}

static void test_short_content_bounces_back_to_zero(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, 200, VIEW);
    scroller_release(&s, -4000, 0);
    run(&s, 0, 16, 5000);
    assert_at_rest_in_range(&s);
    assert_float_equal(scroller_offset(&s), 0, 0);
    scroller_drag(&s, -100);
    scroller_release(&s, 4000, 5000);
    run(&s, 5000, 16, 5000);
    assert_float_equal(scroller_offset(&s), 0, 0);
}

/* Run one release at a given frame interval and return where it rests. */
static float rest_offset(float content, float start, float drag, float vy, uint32_t frame,
                         float samples[], int nsamples)
{
    scroller s;
    scroller_init(&s, content, VIEW);
    scroller_scroll_to(&s, start, false, 0);
    scroller_drag(&s, drag);
    scroller_release(&s, vy, 0);
    int k = 0;
    uint32_t t = 0;
    while (scroller_is_animating(&s) && t < 10000) {
        t += frame;
        scroller_step(&s, t);
        /* Record the offset at every 48 ms, a multiple of all the frame sizes. */
        if (t % 48 == 0 && k < nsamples)
            samples[k++] = scroller_offset(&s);
    }
    for (; k < nsamples; k++)
        samples[k] = scroller_offset(&s);
    return scroller_offset(&s);
}

static void test_frame_rate_independence(void **state)
{
    (void)state;
    struct {
        float content, start, drag, vy;
    } cases[] = {
        {100000, 2000, 0, -2500},  /* free fling */
        {CONTENT, MAX - 500, 0, -5000}, /* into the bottom and back */
        {CONTENT, 0, 300, 0},      /* spring back from a pull */
        {CONTENT, 0, 250, -4000},  /* pull, then flick into the content */
        {CONTENT, 300, 0, 2800},   /* toward the top, just reaching it */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        float a[64], b[64], c[64];
        float r16 = rest_offset(cases[i].content, cases[i].start, cases[i].drag, cases[i].vy, 16, a, 64);
        float r8 = rest_offset(cases[i].content, cases[i].start, cases[i].drag, cases[i].vy, 8, b, 64);
        float r48 = rest_offset(cases[i].content, cases[i].start, cases[i].drag, cases[i].vy, 48, c, 64);
        assert_float_equal(r16, r8, 2.0);
        assert_float_equal(r16, r48, 2.0);
        /* Not only the end: the path is the same at shared instants. */
        for (int k = 0; k < 64; k++) {
            assert_float_equal(a[k], b[k], 2.0);
            assert_float_equal(a[k], c[k], 2.0);
        }
    }
}

static void test_irregular_frames_match_regular(void **state)
{
    (void)state;
    scroller s1, s2;
    scroller_init(&s1, 100000, VIEW);
    scroller_init(&s2, 100000, VIEW);
    scroller_release(&s1, -4000, 0);
    scroller_release(&s2, -4000, 0);
    srand(7);
    uint32_t t = 0;
    while (t < 3000) {
        t += 1 + (uint32_t)(rand() % 90); /* janky: 1..90 ms */
        scroller_step(&s2, t);
    }
    scroller_step(&s1, 3000); /* one giant late frame */
    scroller_step(&s2, 3000);
    assert_float_equal(scroller_offset(&s1), scroller_offset(&s2), 0.5);
}

static void test_never_rests_outside_range(void **state)
{
    (void)state;
    srand(12345);
    for (int i = 0; i < 2000; i++) {
        scroller s;
        float content = (float)(rand() % 6000);
        float view = 100.0f + (float)(rand() % 1000);
        scroller_init(&s, content, view);
        float max = scroller_max_offset(&s);
        scroller_scroll_to(&s, (float)(rand() % 7000), false, 0);
        scroller_drag(&s, (float)(rand() % 3000 - 1500));
        float vy = (float)(rand() % 30000 - 15000);
        uint32_t start = (uint32_t)rand();
        scroller_release(&s, vy, start);
        uint32_t frame = 4 + (uint32_t)(rand() % 40);
        uint32_t t = start;
        while (scroller_is_animating(&s) && t - start < 10000) {
            t += frame;
            scroller_step(&s, t);
        }
        assert_false(scroller_is_animating(&s));
        assert_true(t - start <= 6000); /* bounded: fling then at most a spring */
        assert_true(scroller_offset(&s) >= 0.0f);
        assert_true(scroller_offset(&s) <= max);
    }
}

static void test_scroll_to_animated_and_immediate(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    scroller_scroll_to(&s, 2000, true, 100);
    assert_true(scroller_is_animating(&s));
    scroller_step(&s, 100 + SCROLLER_ANIM_MS / 2);
    float mid = scroller_offset(&s);
    assert_true(mid > 1000 && mid < 2000); /* eased out: past half at half time */
    float prev = mid;
    for (uint32_t t = 100 + SCROLLER_ANIM_MS / 2; t < 100 + SCROLLER_ANIM_MS; t += 10) {
        scroller_step(&s, t);
        assert_true(scroller_offset(&s) >= prev);
        prev = scroller_offset(&s);
    }
    assert_true(scroller_is_animating(&s));
    scroller_step(&s, 100 + SCROLLER_ANIM_MS);
    assert_false(scroller_is_animating(&s));
    assert_float_equal(scroller_offset(&s), 2000, 0);

    /* Targets are clamped. */
    scroller_scroll_to(&s, 1e6f, true, 1000);
    run(&s, 1000, 16, 2000);
    assert_float_equal(scroller_offset(&s), MAX, 0);
    scroller_scroll_to(&s, -50, false, 2000);
    assert_float_equal(scroller_offset(&s), 0, 0);
    assert_false(scroller_is_animating(&s));
    /* Already there: no animation. */
    scroller_scroll_to(&s, 0, true, 3000);
    assert_false(scroller_is_animating(&s));
}

static void test_stop_during_fling(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, 100000, VIEW);
    assert_false(scroller_stop(&s)); /* nothing moving: a tap is a tap */
    scroller_release(&s, -3000, 0);
    scroller_step(&s, 100);
    float here = scroller_offset(&s);
    assert_true(scroller_stop(&s));
    assert_false(scroller_is_animating(&s));
    assert_false(scroller_step(&s, 200));
    assert_float_equal(scroller_offset(&s), here, 0);

    /* Stopped while bouncing past an end: it still springs back into range. */
    scroller_init(&s, CONTENT, VIEW);
    scroller_scroll_to(&s, MAX - 20, false, 0);
    scroller_release(&s, -6000, 0);
    uint32_t t = 0;
    while (scroller_offset(&s) <= MAX + 5) {
        t += 8;
        scroller_step(&s, t);
        assert_true(t < 1000);
    }
    assert_true(scroller_stop(&s));
    assert_true(scroller_is_animating(&s));
    run(&s, t, 16, 3000);
    assert_float_equal(scroller_offset(&s), MAX, 0);

    /* Stopping an eased jump leaves it where it was. */
    scroller_scroll_to(&s, 0, true, 10000);
    scroller_step(&s, 10100);
    here = scroller_offset(&s);
    assert_true(scroller_stop(&s));
    assert_float_equal(scroller_offset(&s), here, 0);
    assert_false(scroller_is_animating(&s));
}

static void test_grab_during_fling_and_spring(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, 100000, VIEW);
    scroller_release(&s, -3000, 0);
    scroller_step(&s, 100);
    float here = scroller_offset(&s);
    scroller_drag_begin(&s);
    assert_false(scroller_is_animating(&s));
    scroller_step(&s, 200);
    assert_float_equal(scroller_offset(&s), here, 0);
    scroller_drag(&s, 0);
    assert_float_equal(scroller_offset(&s), here, 1e-3);

    /* Grabbing stretched content does not make it jump. */
    scroller_init(&s, CONTENT, VIEW);
    scroller_drag(&s, 400);
    scroller_release(&s, 0, 0);
    scroller_step(&s, 50);
    here = scroller_offset(&s);
    assert_true(here < 0);
    scroller_drag_begin(&s);
    scroller_drag(&s, 0);
    assert_float_equal(scroller_offset(&s), here, 0.01);
    scroller_drag(&s, -1);
    assert_true(scroller_offset(&s) > here);
}

static void test_content_shrinks(void **state)
{
    (void)state;
    scroller s;
    scroller_init(&s, CONTENT, VIEW);
    scroller_scroll_to(&s, 4000, false, 0);
    scroller_set_size(&s, 2000, VIEW); /* smaller text: shorter content */
    assert_float_equal(scroller_max_offset(&s), 1520, 0);
    assert_float_equal(scroller_offset(&s), 1520, 0);
    scroller_set_size(&s, 8000, VIEW); /* growing keeps the place */
    assert_float_equal(scroller_offset(&s), 1520, 0);

    /* Shrinking during a fling stops it inside the new range. */
    scroller_release(&s, -3000, 0);
    scroller_step(&s, 100);
    scroller_set_size(&s, 1000, VIEW);
    assert_at_rest_in_range(&s);
    assert_float_equal(scroller_offset(&s), 520, 0);

    /* The viewport grows past the content (rotation): back to the top. */
    scroller_set_size(&s, 1000, 1200);
    assert_float_equal(scroller_offset(&s), 0, 0);
}

static void test_clock_wraparound(void **state)
{
    (void)state;
    scroller a, b;
    scroller_init(&a, 100000, VIEW);
    scroller_init(&b, 100000, VIEW);
    uint32_t t0 = UINT32_MAX - 500;
    scroller_release(&a, -3000, t0);
    scroller_release(&b, -3000, 0);
    run(&a, t0, 16, 5000);
    run(&b, 0, 16, 5000);
    assert_float_equal(scroller_offset(&a), scroller_offset(&b), 0.01);
    /* A step with a time before the motion began counts as "just started". */
    scroller_release(&a, -3000, 1000);
    scroller_step(&a, 900);
    assert_true(scroller_is_animating(&a));
    assert_true(isfinite(scroller_offset(&a)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_max_offset),
        cmocka_unit_test(test_drag_within_range_is_direct),
        cmocka_unit_test(test_rubber_band_resists_and_is_reversible),
        cmocka_unit_test(test_spring_back_converges_softly),
        cmocka_unit_test(test_fling_decelerates_monotonically_to_rest),
        cmocka_unit_test(test_fling_of_maximum_speed_stops_in_bounded_time),
        cmocka_unit_test(test_fling_into_end_bounces_and_rests_at_end),
        cmocka_unit_test(test_release_outside_with_inward_speed_flings_on),
        cmocka_unit_test(test_short_content_bounces_back_to_zero),
        cmocka_unit_test(test_frame_rate_independence),
        cmocka_unit_test(test_irregular_frames_match_regular),
        cmocka_unit_test(test_never_rests_outside_range),
        cmocka_unit_test(test_scroll_to_animated_and_immediate),
        cmocka_unit_test(test_stop_during_fling),
        cmocka_unit_test(test_grab_during_fling_and_spring),
        cmocka_unit_test(test_content_shrinks),
        cmocka_unit_test(test_clock_wraparound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
