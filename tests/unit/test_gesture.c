/* Unit tests for the gesture recogniser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gesture.h"

#define FINGER 7
#define OTHER 8

/* Round numbers so expectations are easy to read. */
static const gesture_config CFG = {
    .tap_slop_px = 10.0f,
    .long_press_ms = 500,
    .swipe_min_distance_px = 50.0f,
    .swipe_min_velocity_px_s = 300.0f,
    .fling_min_velocity_px_s = 100.0f,
    .max_velocity_px_s = 5000.0f,
};

typedef struct {
    gesture_event ev[64];
    int n;
} drained;

static drained drain(gesture *g)
{
    drained d = {.n = 0};
    while (d.n < 64 && gesture_poll(g, &d.ev[d.n]))
        d.n++;
    return d;
}

/* Compare kinds with a readable failure message. */
static void expect_kinds(const drained *d, const gesture_kind *kinds, int n)
{
    char got[512] = "", want[512] = "";
    for (int i = 0; i < d->n; i++) {
        strcat(got, gesture_kind_name(d->ev[i].kind));
        strcat(got, " ");
    }
    for (int i = 0; i < n; i++) {
        strcat(want, gesture_kind_name(kinds[i]));
        strcat(want, " ");
    }
    assert_string_equal(got, want);
}

#define EXPECT(d, ...)                                                                 \
    do {                                                                               \
        const gesture_kind k_[] = {__VA_ARGS__};                                       \
        expect_kinds((d), k_, (int)(sizeof k_ / sizeof k_[0]));                        \
    } while (0)

static const gesture_event *find(const drained *d, gesture_kind kind)
{
    for (int i = 0; i < d->n; i++)
        if (d->ev[i].kind == kind)
            return &d->ev[i];
    return NULL;
}

static int count(const drained *d, gesture_kind kind)
{
    int c = 0;
    for (int i = 0; i < d->n; i++)
        c += d->ev[i].kind == kind;
    return c;
}

/* Move the finger from (x0,y0) to (x1,y1) in `steps` moves, `dt` ms apart,
 * starting at t0 + dt; returns the time of the last move. */
static uint32_t glide(gesture *g, float x0, float y0, float x1, float y1, int steps, uint32_t t0,
                      uint32_t dt)
{
    uint32_t t = t0;
    for (int i = 1; i <= steps; i++) {
        t += dt;
        gesture_move(g, FINGER, x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps, t);
    }
    return t;
}

static void setup_g(gesture *g)
{
    gesture_init(g, &CFG);
}

static void test_tap(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 200, 1000);
    assert_true(gesture_is_active(&g));
    gesture_up(&g, FINGER, 100, 200, 1080);
    assert_false(gesture_is_active(&g));
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_TAP);
    assert_float_equal(d.ev[1].x, 100, 0);
    assert_float_equal(d.ev[1].y, 200, 0);
    assert_int_equal(d.ev[1].time_ms, 1080);
}

static void test_tap_with_jitter_within_slop(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 100, 0);
    gesture_move(&g, FINGER, 106, 103, 20);
    gesture_move(&g, FINGER, 93, 96, 40);
    gesture_move(&g, FINGER, 107, 107, 60); /* hypot(7,7) = 9.9 < 10 */
    gesture_up(&g, FINGER, 104, 98, 80);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_TAP);
}

static void test_up_beyond_slop_is_not_a_tap(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 100, 0);
    gesture_up(&g, FINGER, 100, 130, 300); /* slow: no fling velocity either */
    drained d = drain(&g);
    assert_int_equal(count(&d, GESTURE_TAP), 0);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START, GESTURE_DRAG_END);
    assert_int_equal(d.ev[2].axis, GESTURE_AXIS_Y);
    assert_float_equal(d.ev[2].dy, 30, 1e-4);
    assert_float_equal(d.ev[3].vy, 0, 0); /* 100 px/s measured over 300 ms < fling min */
}

static void test_scroll_sequence_and_no_tap(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 200, 300, 0);
    uint32_t t = glide(&g, 200, 300, 203, 100, 20, 0, 16);
    gesture_up(&g, FINGER, 203, 100, t + 400); /* stopped, then lifted */
    drained d = drain(&g);
    assert_true(d.n >= 5);
    assert_int_equal(d.ev[0].kind, GESTURE_PRESS);
    assert_int_equal(d.ev[1].kind, GESTURE_PRESS_CANCEL);
    assert_int_equal(d.ev[2].kind, GESTURE_DRAG_START);
    assert_int_equal(d.ev[d.n - 1].kind, GESTURE_DRAG_END);
    assert_int_equal(count(&d, GESTURE_TAP), 0);
    assert_int_equal(count(&d, GESTURE_SWIPE_LEFT) + count(&d, GESTURE_SWIPE_RIGHT), 0);
    /* The deltas add up to the whole movement, so content stays under the finger. */
    float sx = 0, sy = 0;
    for (int i = 0; i < d.n; i++) {
        if (d.ev[i].kind == GESTURE_DRAG_START || d.ev[i].kind == GESTURE_DRAG) {
            assert_int_equal(d.ev[i].axis, GESTURE_AXIS_Y);
            sx += d.ev[i].dx;
            sy += d.ev[i].dy;
        }
    }
    assert_float_equal(sx, 3, 1e-3);
    assert_float_equal(sy, -200, 1e-3);
    /* Held still for 400 ms before lifting: nothing to fling. */
    assert_float_equal(d.ev[d.n - 1].vx, 0, 0);
    assert_float_equal(d.ev[d.n - 1].vy, 0, 0);
    assert_int_equal(d.ev[d.n - 1].axis, GESTURE_AXIS_Y);
}

static void test_long_press_with_tick_and_deadline(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    uint32_t dl = 0;
    assert_false(gesture_next_deadline(&g).set);
    gesture_down(&g, FINGER, 50, 50, 1000);
    dl = gesture_next_deadline(&g).at;
    assert_true(gesture_next_deadline(&g).set);
    assert_int_equal(dl, 1500);
    gesture_tick(&g, 1499);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS);
    gesture_move(&g, FINGER, 55, 52, 1300); /* within slop: still a press */
    gesture_tick(&g, 1500);
    d = drain(&g);
    EXPECT(&d, GESTURE_LONG_PRESS);
    assert_float_equal(d.ev[0].x, 50, 0);
    /* Fired: the only wake-up left is the one that drops a lost pointer. */
    dl = gesture_next_deadline(&g).at;
    assert_true(gesture_next_deadline(&g).set);
    assert_int_equal(dl, 1300 + GESTURE_LOST_MS);
    /* Movement after a long press and the release are swallowed. */
    gesture_move(&g, FINGER, 150, 50, 1600);
    gesture_up(&g, FINGER, 150, 50, 1700);
    d = drain(&g);
    assert_int_equal(d.n, 0);
    assert_false(gesture_is_active(&g));
}

static void test_long_press_caught_up_at_release(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    /* The main loop never ticked (it was busy): the release still must not be a tap. */
    gesture_down(&g, FINGER, 50, 50, 0);
    gesture_up(&g, FINGER, 50, 50, 800);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_LONG_PRESS);
}

static void test_long_press_disabled(void **state)
{
    (void)state;
    gesture_config c = CFG;
    c.long_press_ms = 0;
    gesture g;
    gesture_init(&g, &c);
    uint32_t dl;
    gesture_down(&g, FINGER, 50, 50, 0);
    dl = gesture_next_deadline(&g).at;
    assert_true(gesture_next_deadline(&g).set);
    assert_int_equal(dl, GESTURE_LOST_MS); /* no long press to wake for */
    gesture_tick(&g, GESTURE_LOST_MS - 1);
    gesture_up(&g, FINGER, 50, 50, GESTURE_LOST_MS - 1);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_TAP);
}

static void test_moving_cancels_long_press(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    uint32_t dl;
    gesture_down(&g, FINGER, 50, 50, 0);
    gesture_move(&g, FINGER, 50, 80, 100);
    dl = gesture_next_deadline(&g).at;
    assert_true(gesture_next_deadline(&g).set);
    assert_int_equal(dl, 100 + GESTURE_LOST_MS); /* no long press any more */
    gesture_tick(&g, 2000);
    drained d = drain(&g);
    assert_int_equal(count(&d, GESTURE_LONG_PRESS), 0);
}

static void test_release_velocity_constant_speed(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    /* 1200 px/s upward, samples every 8 ms. */
    gesture_down(&g, FINGER, 300, 800, 0);
    uint32_t t = glide(&g, 300, 800, 300, 800 - 1200 * 0.4f, 50, 0, 8);
    gesture_up(&g, FINGER, 300, 800 - 1200 * 0.4f, t);
    drained d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    assert_float_equal(end->vy, -1200, 12);
    assert_float_equal(end->vx, 0, 1);
}

static void test_release_velocity_duplicate_timestamps(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    /* The event loop stamps events per frame: pairs share a millisecond. The
     * finger really moves 1000 px/s; the last pair alone would say infinity. */
    gesture_down(&g, FINGER, 0, 500, 0);
    float y = 500;
    uint32_t t = 0;
    for (int i = 0; i < 20; i++) {
        t += 16;
        gesture_move(&g, FINGER, 0, y -= 8, t);
        gesture_move(&g, FINGER, 0, y -= 8, t);
    }
    gesture_up(&g, FINGER, 0, y, t);
    drained d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    assert_true(isfinite(end->vy));
    assert_float_equal(end->vy, -1000, 100);
}

static void test_release_velocity_after_event_loop_stall(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    /* All recent events arrive in one batch after a 150 ms stall: the velocity
     * falls back to the sample before the stall instead of reporting zero. */
    gesture_down(&g, FINGER, 0, 500, 0);
    gesture_move(&g, FINGER, 0, 450, 50);
    gesture_move(&g, FINGER, 0, 400, 200);
    gesture_move(&g, FINGER, 0, 350, 200);
    gesture_up(&g, FINGER, 0, 300, 200);
    drained d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    assert_true(end->vy < -500);
}

static void test_release_velocity_uses_recent_samples_only(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    /* Fast for 300 ms, then slow (200 px/s) for the last 200 ms: the fling must
     * reflect how the finger left, not the average. */
    gesture_down(&g, FINGER, 0, 1000, 0);
    uint32_t t = glide(&g, 0, 1000, 0, 400, 30, 0, 10);
    t = glide(&g, 0, 400, 0, 360, 20, t, 10);
    gesture_up(&g, FINGER, 0, 360, t);
    drained d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    assert_float_equal(end->vy, -200, 20);
}

static void test_release_below_fling_minimum_is_zero(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 0, 500, 0);
    uint32_t t = glide(&g, 0, 500, 0, 420, 40, 0, 20); /* 100 px/s ... */
    t = glide(&g, 0, 420, 0, 416, 8, t, 10);            /* ... then 50 px/s */
    gesture_up(&g, FINGER, 0, 416, t);
    drained d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    assert_float_equal(end->vy, 0, 0);
}

static void test_release_velocity_is_clamped(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 0, 1000, 0);
    gesture_move(&g, FINGER, 0, 500, 1); /* 500 px in a millisecond */
    gesture_up(&g, FINGER, 0, 0, 2);
    drained d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    assert_float_equal(hypotf(end->vx, end->vy), CFG.max_velocity_px_s, 1);
    assert_true(end->vy < 0);
}

static void test_quick_flick_reported_only_at_release(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 400, 0);
    gesture_up(&g, FINGER, 100, 300, 50);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START, GESTURE_DRAG_END);
    assert_float_equal(d.ev[2].dy, -100, 1e-4);
    assert_float_equal(d.ev[3].vy, -2000, 1);
}

static void test_swipe_left_and_right(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 400, 200, 0);
    uint32_t t = glide(&g, 400, 200, 250, 210, 10, 0, 10); /* -1500 px/s */
    gesture_up(&g, FINGER, 250, 210, t + 5);
    drained d = drain(&g);
    assert_int_equal(d.ev[d.n - 2].kind, GESTURE_DRAG_END);
    assert_int_equal(d.ev[d.n - 1].kind, GESTURE_SWIPE_LEFT);
    assert_int_equal(d.ev[d.n - 1].axis, GESTURE_AXIS_X);
    assert_true(d.ev[d.n - 1].vx < -1000);
    assert_int_equal(count(&d, GESTURE_TAP), 0);

    gesture_down(&g, FINGER, 100, 200, 1000);
    t = glide(&g, 100, 200, 300, 190, 10, 1000, 10);
    gesture_up(&g, FINGER, 300, 190, t);
    d = drain(&g);
    assert_int_equal(d.ev[d.n - 1].kind, GESTURE_SWIPE_RIGHT);
}

static void test_no_swipe_when_too_short_slow_vertical_or_reversed(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    /* Too short: 40 px, fast. */
    gesture_down(&g, FINGER, 400, 200, 0);
    uint32_t t = glide(&g, 400, 200, 360, 200, 4, 0, 10);
    gesture_up(&g, FINGER, 360, 200, t);
    drained d = drain(&g);
    assert_non_null(find(&d, GESTURE_DRAG_END));
    assert_null(find(&d, GESTURE_SWIPE_LEFT));

    /* Long but slow (200 px/s). */
    gesture_down(&g, FINGER, 400, 200, 10000);
    t = glide(&g, 400, 200, 200, 200, 100, 10000, 10);
    gesture_up(&g, FINGER, 200, 200, t);
    d = drain(&g);
    assert_null(find(&d, GESTURE_SWIPE_LEFT));

    /* Fast but vertical. */
    gesture_down(&g, FINGER, 400, 400, 20000);
    t = glide(&g, 400, 400, 380, 100, 10, 20000, 10);
    gesture_up(&g, FINGER, 380, 100, t);
    d = drain(&g);
    assert_null(find(&d, GESTURE_SWIPE_LEFT));
    assert_null(find(&d, GESTURE_SWIPE_RIGHT));

    /* Out to the left, then quickly back to the right: net left, moving right. */
    gesture_down(&g, FINGER, 400, 200, 30000);
    t = glide(&g, 400, 200, 200, 200, 10, 30000, 20);
    t = glide(&g, 200, 200, 320, 200, 6, t, 10);
    gesture_up(&g, FINGER, 320, 200, t);
    d = drain(&g);
    assert_null(find(&d, GESTURE_SWIPE_LEFT));
    assert_null(find(&d, GESTURE_SWIPE_RIGHT));
}

static void test_axis_lock_is_kept(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    /* Starts clearly horizontal, then wanders vertically: still a horizontal drag. */
    gesture_down(&g, FINGER, 100, 100, 0);
    gesture_move(&g, FINGER, 130, 105, 10);
    gesture_move(&g, FINGER, 140, 300, 20);
    gesture_up(&g, FINGER, 140, 300, 400);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START, GESTURE_DRAG,
           GESTURE_DRAG_END);
    for (int i = 2; i < d.n; i++)
        assert_int_equal(d.ev[i].axis, GESTURE_AXIS_X);
    assert_float_equal(d.ev[3].dx, 10, 1e-4);
    assert_float_equal(d.ev[3].dy, 195, 1e-4);

    /* Mostly vertical (1:3) is a scroll. */
    gesture_down(&g, FINGER, 100, 100, 1000);
    gesture_move(&g, FINGER, 105, 115, 1010);
    d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START);
    assert_int_equal(d.ev[2].axis, GESTURE_AXIS_Y);
    gesture_cancel(&g, 1020);
}

static void test_diagonal_waits_for_a_clear_axis(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 0, 0, 0);
    gesture_move(&g, FINGER, 9, 9, 10); /* 12.7 px: beyond slop, but 45 degrees */
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL);
    gesture_move(&g, FINGER, 12, 13, 20); /* 17.7 px: still unclear */
    d = drain(&g);
    assert_int_equal(d.n, 0);
    gesture_move(&g, FINGER, 16, 15, 30); /* 21.9 px >= 2 slops: larger component wins */
    d = drain(&g);
    EXPECT(&d, GESTURE_DRAG_START);
    assert_int_equal(d.ev[0].axis, GESTURE_AXIS_X);
    assert_float_equal(d.ev[0].dx, 16, 1e-4);
    assert_float_equal(d.ev[0].dy, 15, 1e-4);

    /* Released while still undecided: the drag is closed with an axis anyway. */
    gesture_up(&g, FINGER, 16, 15, 500);
    drain(&g);
    gesture_down(&g, FINGER, 0, 0, 1000);
    gesture_up(&g, FINGER, 9, 9, 1100);
    d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START, GESTURE_DRAG_END);
    assert_non_null(find(&d, GESTURE_DRAG_START));
    assert_null(find(&d, GESTURE_TAP));
    assert_int_equal(d.ev[d.n - 1].kind, GESTURE_DRAG_END);
    assert_int_not_equal(d.ev[d.n - 1].axis, GESTURE_AXIS_NONE);
}

static void test_second_finger_ignored(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 100, 0);
    gesture_down(&g, OTHER, 500, 500, 10);
    gesture_move(&g, OTHER, 500, 100, 20);
    gesture_up(&g, OTHER, 500, 100, 30);
    gesture_up(&g, FINGER, 101, 101, 40);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_TAP);
    assert_float_equal(d.ev[1].x, 100, 0);

    /* The first finger lifts while the second stays: the second is not adopted. */
    gesture_down(&g, FINGER, 100, 100, 1000);
    gesture_down(&g, OTHER, 300, 300, 1010);
    gesture_up(&g, FINGER, 100, 100, 1020);
    gesture_move(&g, OTHER, 300, 600, 1030);
    gesture_up(&g, OTHER, 300, 600, 1040);
    d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_TAP);
}

/* A release that never comes (SDL lost it): the pointer is dropped after
 * GESTURE_LOST_MS of stillness, as a press or as a drag, and its late
 * release changes nothing. */
static void test_lost_release_is_dropped(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    uint32_t dl;
    gesture_down(&g, FINGER, 100, 100, 1000);
    gesture_tick(&g, 1500); /* LONG_PRESS: the finger is held */
    gesture_tick(&g, 1000 + GESTURE_LOST_MS - 1);
    assert_true(gesture_is_active(&g));
    dl = gesture_next_deadline(&g).at;
    assert_true(gesture_next_deadline(&g).set);
    assert_int_equal(dl, 1000 + GESTURE_LOST_MS);
    gesture_tick(&g, dl);
    assert_false(gesture_is_active(&g));
    assert_false(gesture_next_deadline(&g).set);
    gesture_up(&g, FINGER, 100, 100, dl + 5000);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_LONG_PRESS);

    /* A drag that stops and never ends: closed without a fling. */
    gesture_down(&g, FINGER, 100, 400, 100000);
    uint32_t t = glide(&g, 100, 400, 100, 100, 10, 100000, 16);
    gesture_tick(&g, t + GESTURE_LOST_MS - 1);
    assert_true(gesture_is_active(&g));
    gesture_tick(&g, t + GESTURE_LOST_MS);
    assert_false(gesture_is_active(&g));
    d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START, GESTURE_DRAG, GESTURE_DRAG_END);
    assert_float_equal(d.ev[d.n - 1].vy, 0, 0);

    /* Across the clock's wrap-around too. */
    uint32_t t0 = UINT32_MAX - 100;
    gesture_down(&g, FINGER, 5, 5, t0);
    gesture_tick(&g, t0 + GESTURE_LOST_MS);
    assert_false(gesture_is_active(&g));
    d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_LONG_PRESS);
}

/* A still pointer gives way to a new one; a moving one does not. */
static void test_new_finger_takes_over_from_a_still_one(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 100, 0);
    gesture_tick(&g, 600);
    gesture_down(&g, OTHER, 500, 300, GESTURE_HANDOVER_MS - 1); /* a second finger: ignored */
    gesture_up(&g, OTHER, 500, 300, GESTURE_HANDOVER_MS);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_LONG_PRESS);
    /* The first finger's release was lost: the next touch is answered. */
    uint32_t t = 2 * GESTURE_HANDOVER_MS;
    gesture_down(&g, OTHER, 500, 300, t);
    gesture_up(&g, OTHER, 500, 300, t + 80);
    gesture_up(&g, FINGER, 100, 100, t + 90); /* late: ignored */
    d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_TAP);
    assert_float_equal(d.ev[1].x, 500, 0);

    /* A finger that keeps moving keeps the gesture. */
    t = 100000;
    gesture_down(&g, FINGER, 100, 400, t);
    t = glide(&g, 100, 400, 100, 100, 2 * GESTURE_HANDOVER_MS / 16, t, 16);
    gesture_down(&g, OTHER, 600, 200, t + 1);
    gesture_up(&g, OTHER, 600, 200, t + 2);
    gesture_up(&g, FINGER, 100, 100, t + 3);
    d = drain(&g);
    assert_null(find(&d, GESTURE_TAP));
    assert_int_equal(count(&d, GESTURE_PRESS), 1);
    assert_int_equal(d.ev[d.n - 1].kind, GESTURE_DRAG_END);
}

static void test_input_without_down_ignored(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_move(&g, FINGER, 10, 10, 0);
    gesture_up(&g, FINGER, 10, 10, 10);
    gesture_tick(&g, 10000);
    gesture_cancel(&g, 10000);
    drained d = drain(&g);
    assert_int_equal(d.n, 0);
    gesture_event ev;
    assert_false(gesture_poll(&g, &ev));
}

static void test_cancel(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 100, 0);
    gesture_cancel(&g, 10);
    gesture_up(&g, FINGER, 100, 100, 20);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL);

    gesture_down(&g, FINGER, 100, 100, 100);
    uint32_t t = glide(&g, 100, 100, 100, 400, 10, 100, 8); /* fast */
    gesture_cancel(&g, t);
    d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    /* A cancelled drag must not fling or swipe. */
    assert_float_equal(end->vy, 0, 0);
    assert_int_equal(d.ev[d.n - 1].kind, GESTURE_DRAG_END);
    assert_false(gesture_is_active(&g));
}

static void test_repeated_down_closes_previous_gesture(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 100, 100, 0);
    gesture_move(&g, FINGER, 100, 200, 10);
    gesture_down(&g, FINGER, 300, 300, 20); /* the up was lost */
    gesture_up(&g, FINGER, 300, 300, 30);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START, GESTURE_DRAG_END,
           GESTURE_PRESS, GESTURE_TAP);
    assert_float_equal(d.ev[5].x, 300, 0);
}

static void test_clock_wraparound(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    uint32_t t0 = UINT32_MAX - 200; /* SDL_GetTicks wraps after 49.7 days */
    gesture_down(&g, FINGER, 0, 0, t0);
    uint32_t dl;
    dl = gesture_next_deadline(&g).at;
    assert_true(gesture_next_deadline(&g).set);
    assert_int_equal(dl, (uint32_t)(t0 + 500));
    gesture_tick(&g, t0 + 499);
    gesture_tick(&g, t0 + 100); /* an out-of-order tick is harmless */
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS);
    gesture_tick(&g, t0 + 500);
    d = drain(&g);
    EXPECT(&d, GESTURE_LONG_PRESS);
    gesture_up(&g, FINGER, 0, 0, t0 + 600);

    /* Velocity across the wrap. */
    gesture_down(&g, FINGER, 0, 1000, t0);
    uint32_t t = glide(&g, 0, 1000, 0, 600, 40, t0, 10); /* 1000 px/s */
    gesture_up(&g, FINGER, 0, 600, t);
    d = drain(&g);
    const gesture_event *end = find(&d, GESTURE_DRAG_END);
    assert_non_null(end);
    assert_float_equal(end->vy, -1000, 10);
}

static void test_queue_merges_drags_and_drops_oldest(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    gesture_down(&g, FINGER, 0, 0, 0);
    for (int i = 1; i <= 500; i++)
        gesture_move(&g, FINGER, 0, (float)i, (uint32_t)i);
    drained d = drain(&g);
    EXPECT(&d, GESTURE_PRESS, GESTURE_PRESS_CANCEL, GESTURE_DRAG_START, GESTURE_DRAG);
    assert_float_equal(d.ev[2].dy + d.ev[3].dy, 500, 1e-3);
    gesture_up(&g, FINGER, 0, 500, 2000);
    drain(&g);

    /* Nobody polls: old events are dropped, the newest survive, no overflow. */
    for (int i = 0; i < 40; i++) {
        gesture_down(&g, FINGER, (float)i, 0, 10000 + 100 * (uint32_t)i);
        gesture_up(&g, FINGER, (float)i, 0, 10000 + 100 * (uint32_t)i + 10);
    }
    assert_true(g.dropped > 0);
    d = drain(&g);
    assert_int_equal(d.n, GESTURE_QUEUE_CAP);
    assert_int_equal(d.ev[d.n - 1].kind, GESTURE_TAP);
    assert_float_equal(d.ev[d.n - 1].x, 39, 0);
}

static void test_config_for_dpi(void **state)
{
    (void)state;
    gesture_config c = gesture_config_for_dpi(254.0f); /* 10 px per mm */
    assert_float_equal(c.tap_slop_px, 25.0f, 1e-3);
    assert_true(c.long_press_ms >= 400 && c.long_press_ms <= 1000);
    assert_true(c.swipe_min_distance_px > c.tap_slop_px);
    assert_true(c.swipe_min_velocity_px_s >= c.fling_min_velocity_px_s);
    assert_true(c.max_velocity_px_s > c.swipe_min_velocity_px_s);
    gesture_config bad = gesture_config_for_dpi(0.0f);
    gesture_config d96 = gesture_config_for_dpi(96.0f);
    assert_float_equal(bad.tap_slop_px, d96.tap_slop_px, 1e-6);
    bad = gesture_config_for_dpi(NAN);
    assert_float_equal(bad.tap_slop_px, d96.tap_slop_px, 1e-6);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(gesture_kind_name(GESTURE_TAP), "tap");
    assert_string_equal(gesture_kind_name(GESTURE_SWIPE_RIGHT), "swipe-right");
    assert_string_equal(gesture_kind_name((gesture_kind)99), "?");
    for (int k = GESTURE_NONE; k <= GESTURE_SWIPE_RIGHT; k++)
        assert_string_not_equal(gesture_kind_name((gesture_kind)k), "?");
}

/* Random input, including a second finger and skipped ticks, must always
 * produce well-formed sequences: exactly one of TAP, LONG_PRESS or
 * PRESS_CANCEL per PRESS; DRAG_START only after PRESS_CANCEL; every
 * DRAG_START closed by one DRAG_END; swipes only right after a DRAG_END;
 * never a TAP once a drag began. */
static void test_random_input_sequences_are_well_formed(void **state)
{
    (void)state;
    gesture g;
    setup_g(&g);
    srand(4242);
    uint32_t t = 0;
    enum { IDLE, PRESSED, CANCELLED, DRAGGING, DONE } phase = IDLE;
    gesture_kind prev = GESTURE_NONE;
    int presses = 0, taps = 0, longs = 0, drags = 0, swipes = 0;
    for (int step = 0; step < 200000; step++) {
        t += (uint32_t)(rand() % 40);
        float x = (float)(rand() % 800), y = (float)(rand() % 480);
        int64_t who = rand() % 8 ? FINGER : OTHER;
        int what = rand() % 100;
        if (what < 10)
            gesture_down(&g, who, x, y, t);
        else if (what < 20 && rand() % 3 == 0)
            gesture_up(&g, who, x, y, t);
        else if (what < 20) /* lifted where it was: a tap candidate */
            gesture_up(&g, who, g.last_x + (float)(rand() % 5), g.last_y, t);
        else if (what < 22)
            gesture_cancel(&g, t);
        else if (what < 30)
            gesture_tick(&g, t);
        else if (gesture_is_active(&g)) {
            /* Mostly small moves around the last point, sometimes jumps. */
            float nx = g.last_x + (float)(rand() % 21 - 10) * (rand() % 10 ? 1.0f : 8.0f);
            float ny = g.last_y + (float)(rand() % 21 - 10) * (rand() % 10 ? 1.0f : 8.0f);
            gesture_move(&g, who, nx, ny, t);
        }
        gesture_event ev;
        while (gesture_poll(&g, &ev)) {
            assert_true(isfinite(ev.dx) && isfinite(ev.dy) && isfinite(ev.vx) && isfinite(ev.vy));
            assert_true(hypotf(ev.vx, ev.vy) <= CFG.max_velocity_px_s + 1.0f);
            switch (ev.kind) {
            case GESTURE_PRESS:
                assert_true(phase != PRESSED && phase != DRAGGING);
                phase = PRESSED;
                presses++;
                break;
            case GESTURE_TAP:
            case GESTURE_LONG_PRESS:
                assert_int_equal(phase, PRESSED);
                phase = DONE;
                taps += ev.kind == GESTURE_TAP;
                longs += ev.kind == GESTURE_LONG_PRESS;
                break;
            case GESTURE_PRESS_CANCEL:
                assert_int_equal(phase, PRESSED);
                phase = CANCELLED;
                break;
            case GESTURE_DRAG_START:
                assert_int_equal(phase, CANCELLED);
                assert_int_not_equal(ev.axis, GESTURE_AXIS_NONE);
                phase = DRAGGING;
                drags++;
                break;
            case GESTURE_DRAG:
                assert_int_equal(phase, DRAGGING);
                break;
            case GESTURE_DRAG_END:
                assert_int_equal(phase, DRAGGING);
                phase = DONE;
                break;
            case GESTURE_SWIPE_LEFT:
            case GESTURE_SWIPE_RIGHT:
                assert_int_equal(prev, GESTURE_DRAG_END);
                assert_int_equal(ev.axis, GESTURE_AXIS_X);
                swipes++;
                break;
            default:
                fail_msg("unexpected event kind %d", ev.kind);
            }
            prev = ev.kind;
        }
        /* Once the pointer is up, nothing is left hanging. */
        if (!gesture_is_active(&g))
            assert_true(phase != PRESSED && phase != DRAGGING);
    }
    /* The run exercised every outcome. */
    assert_true(presses > 1000 && taps > 100 && longs > 10 && drags > 100 && swipes > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tap),
        cmocka_unit_test(test_tap_with_jitter_within_slop),
        cmocka_unit_test(test_up_beyond_slop_is_not_a_tap),
        cmocka_unit_test(test_scroll_sequence_and_no_tap),
        cmocka_unit_test(test_long_press_with_tick_and_deadline),
        cmocka_unit_test(test_long_press_caught_up_at_release),
        cmocka_unit_test(test_long_press_disabled),
        cmocka_unit_test(test_moving_cancels_long_press),
        cmocka_unit_test(test_release_velocity_constant_speed),
        cmocka_unit_test(test_release_velocity_duplicate_timestamps),
        cmocka_unit_test(test_release_velocity_after_event_loop_stall),
        cmocka_unit_test(test_release_velocity_uses_recent_samples_only),
        cmocka_unit_test(test_release_below_fling_minimum_is_zero),
        cmocka_unit_test(test_release_velocity_is_clamped),
        cmocka_unit_test(test_quick_flick_reported_only_at_release),
        cmocka_unit_test(test_swipe_left_and_right),
        cmocka_unit_test(test_no_swipe_when_too_short_slow_vertical_or_reversed),
        cmocka_unit_test(test_axis_lock_is_kept),
        cmocka_unit_test(test_diagonal_waits_for_a_clear_axis),
        cmocka_unit_test(test_second_finger_ignored),
        cmocka_unit_test(test_lost_release_is_dropped),
        cmocka_unit_test(test_new_finger_takes_over_from_a_still_one),
        cmocka_unit_test(test_input_without_down_ignored),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_repeated_down_closes_previous_gesture),
        cmocka_unit_test(test_clock_wraparound),
        cmocka_unit_test(test_queue_merges_drags_and_drops_oldest),
        cmocka_unit_test(test_config_for_dpi),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_random_input_sequences_are_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
