/* Unit tests for the sync schedule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "schedule.h"

#define H (3600)
#define M (60)
/* Random numbers tried per property: enough to reach both ends of a range. */
#define SAMPLES 20000

/* Deterministic stand-in for the caller's random source (xorshift32). */
static uint32_t next_rnd(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* The i-th random number of a test: the two extremes first, then a spread. */
static uint32_t rnd_at(int i, uint32_t *x)
{
    return i == 0 ? 0u : i == 1 ? UINT32_MAX : next_rnd(x);
}

/* Seconds after midnight (of the day of now) at which a delay from now ends. */
static int64_t landing_s(int now_min, int64_t delay)
{
    return ((int64_t)now_min * M + delay) % (24 * H);
}

static schedule_cfg cfg_no_jitter(void)
{
    schedule_cfg c;
    schedule_defaults(&c);
    c.jitter_pct = 0;
    return c;
}

static schedule_cfg cfg_window(int start_min, int end_min)
{
    schedule_cfg c;
    schedule_defaults(&c);
    c.window_start_min = start_min;
    c.window_end_min = end_min;
    assert_int_equal(schedule_validate(&c, NULL, 0), 0);
    return c;
}

/* Over SAMPLES random numbers, every delay from now_min lands in
 * [lo_s, hi_s] seconds after midnight, and the landings reach within slack_s
 * of both ends (the spread is really used). */
static void assert_lands_between(const schedule_cfg *c, int first, int failures, int now_min, int64_t lo_s,
                                 int64_t hi_s, int64_t slack_s)
{
    uint32_t x = 12345;
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (int i = 0; i < SAMPLES; i++) {
        int64_t d = schedule_delay(c, first, failures, rnd_at(i, &x), now_min);
        assert_true(d >= 0);
        assert_true(d < 24 * H + SCHEDULE_MAX_INTERVAL_S);
        int64_t at = landing_s(now_min, d);
        assert_in_range(at, lo_s, hi_s);
        assert_true(schedule_in_window(c, (int)(at / M)));
        min = at < min ? at : min;
        max = at > max ? at : max;
    }
    assert_true(min <= lo_s + slack_s);
    assert_true(max >= hi_s - slack_s);
}

/* Over SAMPLES random numbers (a sequence from seed), the delay of a
 * regular check from now_min is within [lo, hi] seconds. */
static void assert_delays_between(const schedule_cfg *c, int now_min, int64_t lo, int64_t hi, uint32_t seed)
{
    for (int i = 0; i < SAMPLES; i++)
        assert_in_range(schedule_delay(c, 0, 0, rnd_at(i, &seed), now_min), lo, hi);
}

/* The window holds `inside` minutes of the day; edges are {minute, 1 if
 * inside, else 0}. */
static void assert_window_minutes(const schedule_cfg *c, int inside, const int (*edges)[2], size_t n)
{
    int count = 0;
    for (int m = 0; m < 1440; m++)
        count += schedule_in_window(c, m);
    assert_int_equal(count, inside);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(schedule_in_window(c, edges[i][0]), edges[i][1]);
}

static void test_defaults(void **state)
{
    (void)state;
    schedule_cfg c;
    memset(&c, 0x55, sizeof c);
    schedule_defaults(&c);
    assert_int_equal(c.interval_s, 6 * H);
    assert_int_equal(c.jitter_pct, 10);
    assert_int_equal(c.first_delay_s, 60);
    assert_int_equal(c.backoff_min_s, 60);
    assert_int_equal(c.backoff_max_s, H);
    assert_int_equal(c.window_start_min, -1);
    assert_int_equal(c.window_end_min, -1);
    char err[128] = "stale";
    assert_int_equal(schedule_validate(&c, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_int_equal(schedule_validate(&c, NULL, 0), 0);
}

static void assert_invalid(const schedule_cfg *c, const char *reason)
{
    char err[128] = "";
    assert_int_equal(schedule_validate(c, err, sizeof err), -1);
    if (!strstr(err, reason))
        fail_msg("\"%s\" lacks \"%s\"", err, reason);
    assert_null(strchr(err, '\n'));
    assert_int_equal(schedule_validate(c, NULL, 0), -1); /* err is optional */
}

static void test_validation_errors(void **state)
{
    (void)state;
    static const struct {
        int64_t interval, first, bmin, bmax;
        int jitter;
        const char *reason; /* expected within the message */
    } cases[] = {
        {59, 30, 60, 3600, 10, "interval must be at least 60 s"},
        {0, 0, 60, 3600, 10, "interval must be at least 60 s"},
        {SCHEDULE_MAX_INTERVAL_S + 1, 60, 60, 3600, 10, "interval must be at most"},
        {6 * H, 60, 60, 3600, -1, "jitter"},
        {6 * H, 60, 60, 3600, 51, "jitter"},
        {6 * H, -1, 60, 3600, 10, "first delay"},
        {6 * H, 6 * H + 1, 60, 3600, 10, "first delay"},
        {6 * H, 60, 0, 3600, 10, "back-off minimum"},
        {6 * H, 60, 60, 59, 10, "back-off maximum"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        schedule_cfg c;
        schedule_defaults(&c);
        c.interval_s = cases[i].interval;
        c.first_delay_s = cases[i].first;
        c.backoff_min_s = cases[i].bmin;
        c.backoff_max_s = cases[i].bmax;
        c.jitter_pct = cases[i].jitter;
        assert_invalid(&c, cases[i].reason);
    }

    static const struct {
        int start, end;
        const char *reason;
    } windows[] = {
        {120, -1, "both a start and an end"},
        {-1, 300, "both a start and an end"},
        {1440, 300, "within 00:00-23:59"},
        {120, 1440, "within 00:00-23:59"},
        {-2, 300, "within 00:00-23:59"},
        {120, -2, "within 00:00-23:59"},
        {600, 600, "window start equals end"},
        {0, 0, "window start equals end"},
    };
    for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
        schedule_cfg c;
        schedule_defaults(&c);
        c.window_start_min = windows[i].start;
        c.window_end_min = windows[i].end;
        assert_invalid(&c, windows[i].reason);
    }

    /* The limits themselves are accepted. */
    schedule_cfg c;
    schedule_defaults(&c);
    c.interval_s = SCHEDULE_MIN_INTERVAL_S;
    c.first_delay_s = 0;
    c.jitter_pct = SCHEDULE_MAX_JITTER_PCT;
    c.backoff_min_s = c.backoff_max_s = 1;
    c.window_start_min = 1439;
    c.window_end_min = 0;
    assert_int_equal(schedule_validate(&c, NULL, 0), 0);
    c.interval_s = c.first_delay_s = SCHEDULE_MAX_INTERVAL_S;
    assert_int_equal(schedule_validate(&c, NULL, 0), 0);

    /* A short buffer gets a truncated, terminated reason. */
    c.interval_s = 1;
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(schedule_validate(&c, small, sizeof small), -1);
    assert_string_equal(small, "interva");
}

static void test_interval_jitter_bounds(void **state)
{
    (void)state;
    schedule_cfg c;
    schedule_defaults(&c);
    const int64_t lo = 6 * H - 6 * H / 10, hi = 6 * H + 6 * H / 10;
    assert_int_equal(schedule_delay(&c, 0, 0, 0, 0), lo);
    assert_int_equal(schedule_delay(&c, 0, 0, UINT32_MAX, 0), hi);
    assert_int_equal(schedule_delay(&c, 0, 0, UINT32_MAX / 2, 0), 6 * H);

    uint32_t x = 777;
    int64_t min = INT64_MAX, max = INT64_MIN, sum = 0;
    for (int i = 0; i < SAMPLES; i++) {
        int64_t d = schedule_delay(&c, 0, 0, next_rnd(&x), 0);
        assert_in_range(d, lo, hi);
        min = d < min ? d : min;
        max = d > max ? d : max;
        sum += d;
    }
    assert_true(min < lo + 60); /* both ends reached, roughly */
    assert_true(max > hi - 60);
    int64_t mean = sum / SAMPLES; /* uniform: centred on the interval */
    assert_in_range(mean, 6 * H - 60, 6 * H + 60);

    /* The time of day does not matter without a window. */
    assert_int_equal(schedule_delay(&c, 0, 0, 99999, 1439), schedule_delay(&c, 0, 0, 99999, 0));

    /* No jitter: exactly the interval for any random number. */
    c = cfg_no_jitter();
    assert_int_equal(schedule_delay(&c, 0, 0, 0, 0), 6 * H);
    assert_int_equal(schedule_delay(&c, 0, 0, UINT32_MAX, 0), 6 * H);
    assert_int_equal(schedule_delay(&c, 0, 0, next_rnd(&x), 0), 6 * H);
}

static void test_first_delay_bounds(void **state)
{
    (void)state;
    schedule_cfg c;
    schedule_defaults(&c);
    assert_int_equal(schedule_delay(&c, 1, 0, 0, 0), 30);
    assert_int_equal(schedule_delay(&c, 1, 0, UINT32_MAX, 0), 60);
    uint32_t x = 4242;
    int seen[61] = {0};
    for (int i = 0; i < SAMPLES; i++) {
        int64_t d = schedule_delay(&c, 1, 0, next_rnd(&x), 0);
        assert_in_range(d, 30, 60);
        seen[d]++;
    }
    for (int s = 30; s <= 60; s++) /* every second of the range is used */
        assert_true(seen[s] > 0);

    /* Not jittered by jitter_pct, and failures before the first check (none
     * can have been counted yet) do not turn it into a back-off. */
    c.jitter_pct = 50;
    assert_int_equal(schedule_delay(&c, 1, 0, UINT32_MAX, 0), 60);
    assert_int_equal(schedule_delay(&c, 1, 3, 0, 0), 30);

    c.first_delay_s = 0; /* check at once */
    assert_int_equal(schedule_delay(&c, 1, 0, UINT32_MAX, 0), 0);
    c.first_delay_s = 61; /* odd: [30, 61] */
    assert_int_equal(schedule_delay(&c, 1, 0, 0, 0), 30);
    assert_int_equal(schedule_delay(&c, 1, 0, UINT32_MAX, 0), 61);
}

static void test_backoff_doubles_and_is_capped(void **state)
{
    (void)state;
    schedule_cfg c = cfg_no_jitter();
    static const int64_t want[] = {60, 120, 240, 480, 960, 1920, 3600, 3600, 3600};
    for (int f = 1; f <= 9; f++)
        assert_int_equal(schedule_delay(&c, 0, f, 0x9e3779b9u, 0), want[f - 1]);

    /* The interval caps it when shorter than backoff_max. */
    c.interval_s = 600;
    c.first_delay_s = 60;
    assert_int_equal(schedule_delay(&c, 0, 4, 0, 0), 480);
    assert_int_equal(schedule_delay(&c, 0, 5, 0, 0), 600);
    /* A back-off minimum above the interval starts at the interval. */
    c.backoff_min_s = c.backoff_max_s = 900;
    assert_int_equal(schedule_delay(&c, 0, 1, 0, 0), 600);

    /* Back-off is jittered like the interval: 240 ± 24. */
    schedule_defaults(&c);
    assert_int_equal(schedule_delay(&c, 0, 3, 0, 0), 216);
    assert_int_equal(schedule_delay(&c, 0, 3, UINT32_MAX, 0), 264);
    uint32_t x = 31337;
    for (int i = 0; i < 1000; i++)
        assert_in_range(schedule_delay(&c, 0, 3, next_rnd(&x), 0), 216, 264);
}

static void test_backoff_huge_failure_counts(void **state)
{
    (void)state;
    schedule_cfg c = cfg_no_jitter();
    static const int counts[] = {31, 32, 33, 63, 64, 65, 1000, INT_MAX - 1, INT_MAX};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        assert_int_equal(schedule_delay(&c, 0, counts[i], 0, 0), H);

    /* Largest everything: the cap is the 30-day interval, nothing wraps. */
    c.interval_s = SCHEDULE_MAX_INTERVAL_S;
    c.backoff_max_s = INT64_MAX;
    c.jitter_pct = SCHEDULE_MAX_JITTER_PCT;
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        assert_int_equal(schedule_delay(&c, 0, counts[i], 0, 0), SCHEDULE_MAX_INTERVAL_S / 2);
        assert_int_equal(schedule_delay(&c, 0, counts[i], UINT32_MAX, 0), SCHEDULE_MAX_INTERVAL_S * 3 / 2);
    }
    c.backoff_min_s = INT64_MAX; /* starts above any cap */
    assert_int_equal(schedule_delay(&c, 0, INT_MAX, UINT32_MAX, 0), SCHEDULE_MAX_INTERVAL_S * 3 / 2);
}

static void test_no_window(void **state)
{
    (void)state;
    schedule_cfg c = cfg_no_jitter();
    for (int m = 0; m < 1440; m++) {
        assert_int_equal(schedule_in_window(&c, m), 1);
        assert_int_equal(schedule_delay(&c, 0, 0, 0, m), 6 * H);
    }
}

static void test_in_window_plain(void **state)
{
    (void)state;
    schedule_cfg c = cfg_window(2 * 60, 5 * 60);
    static const int edges[][2] = {
        {119, 0}, {120, 1}, {299, 1}, {300, 0} /* the end is exclusive */, {0, 0}, {1439, 0},
    };
    assert_window_minutes(&c, 180, edges, sizeof edges / sizeof edges[0]);
}

static void test_window_from_noon_lands_next_night(void **state)
{
    (void)state;
    schedule_cfg c = cfg_window(2 * 60, 5 * 60);
    /* 12:00 + 6 h ± 36 min is evening: moved to 02:00-02:59 the next day,
     * i.e. 14 h to 14 h 59 min from now. */
    assert_delays_between(&c, 12 * 60, 14 * H, 14 * H + 59 * M, 99);
    assert_lands_between(&c, 0, 0, 12 * 60, 2 * H, 2 * H + 59 * M, 60);
}

static void test_window_inside_short_delay_stays(void **state)
{
    (void)state;
    schedule_cfg c = cfg_no_jitter();
    c.window_start_min = 2 * 60;
    c.window_end_min = 5 * 60;
    c.interval_s = H;
    assert_int_equal(schedule_delay(&c, 0, 0, 0, 2 * 60), H);       /* 02:00 -> 03:00 */
    assert_int_equal(schedule_delay(&c, 0, 1, 0, 3 * 60), 60);      /* back-off too */
    assert_int_equal(schedule_delay(&c, 0, 0, 0, 3 * 60 + 59), H);  /* 03:59 -> 04:59 */

    /* The last start that is inside for every second of now's minute:
     * from 04:58:xx a minute later is 04:59:xx; from 04:59:xx it would be
     * 05:00:xx, after the end, so it moves to 02:00-02:59 the next day. */
    c.interval_s = 60;
    c.first_delay_s = 60;
    assert_int_equal(schedule_delay(&c, 0, 0, 0, 4 * 60 + 58), 60);
    int64_t d = schedule_delay(&c, 0, 0, 0, 4 * 60 + 59);
    assert_in_range(d, 21 * H + 60, 21 * H + 60 + 59 * M);
    assert_in_range(landing_s(4 * 60 + 59, d), 2 * H, 2 * H + 59 * M);
    /* 90 s from 04:58:xx is 04:59:30 at best but 05:00:29 at worst: moved. */
    c.interval_s = 90;
    d = schedule_delay(&c, 0, 0, 0, 4 * 60 + 58);
    assert_in_range(d, 21 * H + 2 * M, 21 * H + 2 * M + 59 * M);
}

static void test_window_inside_long_interval_pushed(void **state)
{
    (void)state;
    schedule_cfg c = cfg_window(2 * 60, 5 * 60);
    /* From 03:00, 6 h later is 09:00: outside, so the next opening is 02:00
     * tomorrow, 23 h away. */
    assert_delays_between(&c, 3 * 60, 23 * H, 23 * H + 59 * M, 5);
    assert_lands_between(&c, 0, 0, 3 * 60, 2 * H, 2 * H + 59 * M, 60);
    /* The same from the last minute of the window. */
    assert_lands_between(&c, 0, 0, 4 * 60 + 59, 2 * H, 2 * H + 59 * M, 60);
}

static void test_window_wraps_midnight(void **state)
{
    (void)state;
    schedule_cfg c = cfg_window(22 * 60, 6 * 60);
    static const int edges[][2] = {
        {21 * 60 + 59, 0}, {22 * 60, 1}, {1439, 1}, {0, 1}, {5 * 60 + 59, 1}, {6 * 60, 0}, {12 * 60, 0},
    };
    assert_window_minutes(&c, 8 * 60, edges, sizeof edges / sizeof edges[0]);

    /* 12:00 + 6 h = 18:00: waits for 22:00-22:59, 10 h to 10 h 59 min away. */
    assert_delays_between(&c, 12 * 60, 10 * H, 10 * H + 59 * M, 2024);
    assert_lands_between(&c, 0, 0, 12 * 60, 22 * H, 22 * H + 59 * M, 60);

    c.jitter_pct = 0;
    assert_int_equal(schedule_delay(&c, 0, 0, 7, 23 * 60), 6 * H); /* 23:00 -> 05:00, inside */
    c.interval_s = 12 * H;
    assert_int_equal(schedule_delay(&c, 0, 0, 7, 12 * 60), 12 * H); /* 12:00 -> 00:00, inside */
    c.interval_s = 6 * H;
    /* 01:00 -> 07:00 is past the end: the same evening's opening, 21 h away. */
    int64_t d = schedule_delay(&c, 0, 0, 7, 60);
    assert_in_range(d, 21 * H, 21 * H + 59 * M);
    assert_in_range(landing_s(60, d), 22 * H, 22 * H + 59 * M);
}

static void test_window_spread_within_short_window(void **state)
{
    (void)state;
    /* A 20-minute window: the spread covers it, not a whole hour. */
    schedule_cfg c = cfg_window(10 * 60, 10 * 60 + 20);
    assert_lands_between(&c, 0, 0, 12 * 60, 10 * H, 10 * H + 19 * M, 60);
    /* A one-minute window: always at its first second. */
    c = cfg_window(10 * 60, 10 * 60 + 1);
    uint32_t x = 1;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(schedule_delay(&c, 0, 0, rnd_at(i, &x), 12 * 60), 22 * H);
}

static void test_window_backoff_and_first_respect_it(void **state)
{
    (void)state;
    schedule_cfg c = cfg_window(2 * 60, 5 * 60);
    /* A failure at noon: the one-minute retry waits for the night. */
    for (int f = 1; f <= 8; f++)
        assert_lands_between(&c, 0, f, 12 * 60, 2 * H, 2 * H + 59 * M, 60);
    /* Started at noon: the first check waits too... */
    assert_lands_between(&c, 1, 0, 12 * 60, 2 * H, 2 * H + 59 * M, 60);
    /* ...but inside the window it is the usual 30-60 s. */
    assert_in_range(schedule_delay(&c, 1, 0, 0, 3 * 60), 30, 60);
    assert_in_range(schedule_delay(&c, 1, 0, UINT32_MAX, 3 * 60), 30, 60);
}

static void test_parse_window(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int start, end;
    } good[] = {
        {"02:00-05:00", 120, 300},
        {"22:00-06:00", 1320, 360},
        {"0:00-23:59", 0, 1439},
        {"9:30 - 17:45", 570, 1065},
    };
    int s = -7, e = -7;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(schedule_parse_window(good[i].text, &s, &e), 0);
        assert_int_equal(s, good[i].start);
        assert_int_equal(e, good[i].end);
    }

    /* What parses is a valid configuration. */
    schedule_cfg c;
    schedule_defaults(&c);
    assert_int_equal(schedule_parse_window("23:59-00:00", &c.window_start_min, &c.window_end_min), 0);
    assert_int_equal(schedule_validate(&c, NULL, 0), 0);

    static const char *const bad[] = {
        "25:00-01:00", "10:00", "", "10:00-10:00", "aa:bb-cc:dd", "24:00-01:00", "10:60-12:00", "10:00-11:60",
        "10:00-11:00x", "10:00-11:00 ", " 10:00-11:00", "10:0-11:00", "100:00-11:00", "-1:00-02:00",
        "10:00-", "10:00--11:00", "10-11", "10:00_11:00", "1:00-2:0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = e = -7;
        if (schedule_parse_window(bad[i], &s, &e) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_int_equal(s, -7); /* outputs untouched */
        assert_int_equal(e, -7);
    }
    assert_int_equal(schedule_parse_window(NULL, &s, &e), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_validation_errors),
        cmocka_unit_test(test_interval_jitter_bounds),
        cmocka_unit_test(test_first_delay_bounds),
        cmocka_unit_test(test_backoff_doubles_and_is_capped),
        cmocka_unit_test(test_backoff_huge_failure_counts),
        cmocka_unit_test(test_no_window),
        cmocka_unit_test(test_in_window_plain),
        cmocka_unit_test(test_window_from_noon_lands_next_night),
        cmocka_unit_test(test_window_inside_short_delay_stays),
        cmocka_unit_test(test_window_inside_long_interval_pushed),
        cmocka_unit_test(test_window_wraps_midnight),
        cmocka_unit_test(test_window_spread_within_short_window),
        cmocka_unit_test(test_window_backoff_and_first_respect_it),
        cmocka_unit_test(test_parse_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
