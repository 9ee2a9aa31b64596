/* Unit tests for the check-in report's text (report.c) and its upload
 * name (reporter_url). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "reporter.h"

static report r, back;
static char text[REPORT_MAX];

/* A report with every field at its longest. */
static void fill_full(report *x)
{
    report_init(x);
    memset(x->kiosk_id, 'k', sizeof x->kiosk_id - 1);
    snprintf(x->software, sizeof x->software, "0.1.0");
    x->reported = 1796474100; /* 12:35 */
    snprintf(x->content_version, sizeof x->content_version, "12");
    snprintf(x->content_created, sizeof x->content_created, "2026-11-20T09:00:00Z");
    memset(x->content_digest, 'a', 64);
    x->snapshot_version = 12;
    x->last_check = 1796470000;
    x->last_success = 0;
    memset(x->last_error, 'e', sizeof x->last_error - 1);
    x->last_error[10] = '\n'; /* must not forge a line */
    x->stale = 1;
    x->uptime_s = 3725;
    x->restarts = 3;
    x->disk_free = 123456789;
    x->memory = 27000000;
    x->screen_w = 800, x->screen_h = 480;
    snprintf(x->showing, sizeof x->showing, "item");
    for (int i = 0; i < REPORT_DAYS; i++) {
        x->n_days = i + 1;
        snprintf(x->days[i].day, sizeof x->days[i].day, "2026-11-%02d", 30 - i);
        x->days[i].sessions = 4000000000u, x->days[i].views = 4000000000u;
        x->days[i].found = 4000000000u, x->days[i].none = 4000000000u;
    }
    for (int h = 0; h < 24; h++)
        x->hours[h] = 4000000000u;
    for (int i = 0; i < REPORT_TOP; i++) {
        char route[96];
        memset(route, 'x', sizeof route - 1);
        route[sizeof route - 1] = '\0';
        memcpy(route, "item/", 5);
        route[94] = (char)('a' + i);
        report_offer_top(x, "kk", route, 4000000000u - (uint32_t)i);
    }
}

static void test_round_trip(void **st)
{
    (void)st;
    char err[128];
    fill_full(&r);
    size_t len = report_format(&r, text, sizeof text);
    assert_true(len < REPORT_MAX);
    assert_int_equal(strlen(text), len);
    assert_int_equal(report_parse(text, len, &back, err, sizeof err), 0);
    assert_string_equal(back.kiosk_id, r.kiosk_id);
    assert_int_equal(back.reported, 1796472000); /* to the hour */
    assert_int_equal(back.last_check, 1796468400);
    assert_int_equal(back.last_success, 0);
    assert_int_equal(back.uptime_s, 3720);      /* to the minute */
    assert_int_equal(back.stale, 1);
    assert_int_equal(back.restarts, 3);
    assert_int_equal(back.screen_w, 800);
    assert_string_equal(back.showing, "item");
    assert_null(strchr(back.last_error, '\n'));
    assert_int_equal(back.n_days, REPORT_DAYS);
    assert_int_equal(back.days[3].views, 4000000000u);
    assert_int_equal(back.hours[23], 4000000000u);
    /* The full usage does not fit in 3 KB: top lines go, the facts stay. */
    assert_true(back.n_top < REPORT_TOP);
    print_message("a full report: %zu bytes, %d of %d top lines\n", len, back.n_top, REPORT_TOP);
}

static void test_parse_rejects(void **st)
{
    (void)st;
    char err[128];
    const char *bad[] = {"", "hello\n", "infopoint-report 1\nreported: 2026-12-05T12:30Z\n",
                         "infopoint-report 1\nsnapshot: x\n", "infopoint-report 1\nusage_hours: 1 2\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(report_parse(bad[i], strlen(bad[i]), &back, err, sizeof err), -1);
    const char *newer = "infopoint-report 1\nkiosk: a\nfuture_key: whatever\n";
    assert_int_equal(report_parse(newer, strlen(newer), &back, err, sizeof err), 0);
    assert_string_equal(back.kiosk_id, "a");
}

static void test_counters_and_top(void **st)
{
    (void)st;
    report_init(&r);
    r.n_days = 1;
    report_add_counter(&r, 0, "session", 3);
    report_add_counter(&r, 0, "session.hour 09", 2);
    report_add_counter(&r, 0, "view kk home", 5);
    report_add_counter(&r, 0, "search found", 1);
    report_add_counter(&r, 0, "search none", 2);
    report_add_counter(&r, 0, "language ru", 9);
    assert_int_equal(r.days[0].sessions, 3);
    assert_int_equal(r.days[0].views, 5);
    assert_int_equal(r.hours[9], 2);
    assert_int_equal(r.days[0].found, 1);
    assert_int_equal(r.days[0].none, 2);
    for (uint32_t v = 1; v <= 20; v++) {
        char route[32];
        snprintf(route, sizeof route, "item/i%u", v);
        report_offer_top(&r, "en", route, v);
    }
    assert_int_equal(r.n_top, REPORT_TOP);
    assert_int_equal(r.top[0].views, 20);
    assert_int_equal(r.top[REPORT_TOP - 1].views, 20 - REPORT_TOP + 1);
}

static void test_url(void **st)
{
    (void)st;
    char url[128];
    assert_int_equal(reporter_url("https://h/r", "lobby-2", url, sizeof url), 0);
    assert_string_equal(url, "https://h/r/lobby-2.txt");
    assert_int_equal(reporter_url("https://h/r/", "../a b/ü", url, sizeof url), 0);
    assert_string_equal(url, "https://h/r/_._a_b___.txt");
    assert_int_equal(reporter_url("https://h/r/", "", url, sizeof url), -1);
    assert_int_equal(reporter_url("https://h/r/", "abcdef", url, 16), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_counters_and_top),
        cmocka_unit_test(test_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
