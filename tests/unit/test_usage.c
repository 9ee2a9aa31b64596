/* Unit tests for the usage counters: a day's table and its text form
 * (usage.c), the days in the state directory (usagelog.c), kill -9 at
 * random moments, and the ui's events as a scripted kiosk reports them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "support.h"
#include "ui.h"
#include "usage.h"
#include "usagelog.h"

/* 2026-12-05 12:00 UTC; the tests run with TZ=UTC. */
#define NOON 1796472000
#define DAY_S 86400

static usage_day day; /* 84 KB: not on the stack */

static void test_counts_and_keys(void **st)
{
    (void)st;
    usage_day_init(&day, "2026-12-05");
    usage_session(&day, 14);
    usage_view(&day, "kk", "item/constitution#art43-5");
    usage_view(&day, "kk", "item/constitution#art43-5");
    usage_view(&day, "ru", "deck/key-changes/3");
    usage_language(&day, "ru");
    usage_text_size(&day, 2);
    usage_search(&day, true);
    usage_search(&day, false);
    usage_search(&day, false);
    assert_int_equal(usage_get(&day, "session"), 1);
    assert_int_equal(usage_get(&day, "session.hour 14"), 1);
    assert_int_equal(usage_get(&day, "view kk item/constitution#art43-5"), 2);
    assert_int_equal(usage_get(&day, "view ru deck/key-changes/3"), 1);
    assert_int_equal(usage_get(&day, "language ru"), 1);
    assert_int_equal(usage_get(&day, "text_size 2"), 1);
    assert_int_equal(usage_get(&day, "search found"), 1);
    assert_int_equal(usage_get(&day, "search none"), 2);
    /* Nothing a person types fits through a key. */
    assert_int_equal(usage_add(&day, "search Зебра", 1), -1);
    assert_int_equal(usage_add(&day, "Secret", 1), -1);
    assert_int_equal(usage_add(&day, "a  b", 1), -1);
    assert_int_equal(usage_add(&day, "a\nb", 1), -1);
    usage_view(&day, "kk", "search?q=secret");
    usage_view(&day, "x\n", "home");
    assert_int_equal(usage_get(&day, "view kk other"), 1);
    assert_int_equal(usage_get(&day, "view other home"), 1);
    usage_totals t = {0};
    usage_totals_add(&t, &day);
    assert_int_equal(t.sessions, 1);
    assert_int_equal(t.views, 5);
    assert_int_equal(t.searches_found, 1);
    assert_int_equal(t.searches_none, 2);
    assert_int_equal(t.days, 1);
}

static void test_text_round_trip(void **st)
{
    (void)st;
    static usage_day back;
    static char text[USAGE_TEXT_MAX];
    char err[128];
    usage_day_init(&day, "2026-12-05");
    for (int i = 0; i < USAGE_DAY_COUNTERS + 10; i++) {
        char route[64];
        snprintf(route, sizeof route, "item/i%d", i);
        usage_view(&day, "en", route);
    }
    assert_int_equal(day.n, USAGE_DAY_COUNTERS);
    assert_int_equal(day.dropped, 10);
    size_t len = usage_format(&day, text, sizeof text);
    assert_true(len < sizeof text);
    assert_int_equal(usage_parse(&back, "2026-12-05", text, len, err, sizeof err), 0);
    assert_int_equal(back.n, day.n);
    assert_int_equal(back.dropped, 10);
    for (int i = 0; i < day.n; i++) {
        assert_string_equal(back.c[i].key, day.c[i].key);
        assert_int_equal(back.c[i].count, day.c[i].count);
    }
    /* Too small a buffer says how much it needs. */
    char small[16];
    assert_int_equal(usage_format(&day, small, sizeof small), len);
    assert_int_equal(strlen(small), sizeof small - 1);
}

static void test_parse_rejects(void **st)
{
    (void)st;
    static const char *const bad[] = {
        "1 view kk home",               /* cut short: no end of line */
        "x view kk home\n",
        "1view\n",
        "99999999999 session\n",
        "1 view kk Home\n",
        "1 \n",
        "-1 session\n",
    };
    char err[128];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(usage_parse(&day, "2026-12-05", bad[i], strlen(bad[i]), err, sizeof err), -1);
        assert_non_null(strstr(err, "line 1"));
    }
    const char *good = "# comment\n\n3 session\n4294967295 search none\n";
    assert_int_equal(usage_parse(&day, "2026-12-05", good, strlen(good), err, sizeof err), 0);
    assert_int_equal(usage_get(&day, "session"), 3);
    assert_int_equal(usage_add(&day, "search none", 5), 0); /* saturates */
    assert_int_equal(usage_get(&day, "search none"), UINT32_MAX);
}

static void test_days(void **st)
{
    (void)st;
    int64_t n;
    assert_int_equal(usage_day_number("1970-01-01", &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(usage_day_number("2026-12-05", &n), 0);
    assert_int_equal(n, NOON / DAY_S);
    assert_int_equal(usage_day_number("2024-02-29", &n), 0);
    assert_int_equal(usage_day_number("2026-02-29", &n), -1);
    assert_int_equal(usage_day_number("2026-13-01", &n), -1);
    assert_int_equal(usage_day_number("2026-1-01x", &n), -1);
    assert_false(usage_day_expired("2026-12-05", "2026-12-05", 90));
    assert_false(usage_day_expired("2026-09-07", "2026-12-05", 90)); /* 89 days before */
    assert_true(usage_day_expired("2026-09-06", "2026-12-05", 90));  /* 90 days before */
    assert_false(usage_day_expired("2027-01-01", "2026-12-05", 90)); /* clock set back */
    assert_true(usage_day_expired("junk", "2026-12-05", 90));
}

/* ---- the state directory ---------------------------------------------------- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_log_keeps_90_days(void **st)
{
    (void)st;
    char dir[256], path[400], err[256];
    support_tempdir(dir, sizeof dir, "usage");
    snprintf(path, sizeof path, "%s/usage", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    /* 100 days of files, one session each, and a damaged one today. */
    for (int i = 1; i <= 100; i++) {
        char d[USAGE_DAY_LEN];
        usagelog_local_day(NOON - (int64_t)i * DAY_S, d, NULL);
        snprintf(path, sizeof path, "%s/usage/%s.txt", dir, d);
        write_text(path, "1 session\n");
    }
    snprintf(path, sizeof path, "%s/usage/2026-12-05.txt", dir);
    write_text(path, "garbage\n");
    usagelog *l = usagelog_open(dir, NOON, err, sizeof err);
    assert_non_null(l);
    usage_totals today, kept;
    usagelog_totals(l, &today, &kept);
    assert_int_equal(today.sessions, 0);
    assert_int_equal(kept.sessions, USAGE_KEEP_DAYS - 1);
    snprintf(path, sizeof path, "%s/usage/2026-12-05.txt.damaged", dir);
    assert_true(platform_is_file(path));
    /* Counted, written after a minute (not before), then nothing waits. */
    int hour;
    usage_session(usagelog_today(l, NOON, &hour), hour);
    assert_int_equal(hour, 12);
    usagelog_changed(l, 1000);
    assert_true(usagelog_deadline(l, 1000).set);
    assert_int_equal(usagelog_deadline(l, 1000).at, 1000 + USAGE_FLUSH_MS);
    usagelog_tick(l, 1000 + USAGE_FLUSH_MS - 1);
    assert_int_equal(usagelog_read_day(dir, "2026-12-05", &day), 1);
    usagelog_tick(l, 1000 + USAGE_FLUSH_MS);
    assert_false(usagelog_deadline(l, 1000 + USAGE_FLUSH_MS).set);
    assert_int_equal(usagelog_read_day(dir, "2026-12-05", &day), 0);
    assert_int_equal(usage_get(&day, "session"), 1);
    /* The next day writes today's and deletes the 91st day back. */
    usage_session(usagelog_today(l, NOON, &hour), hour);
    usagelog_changed(l, 2000);
    usage_session(usagelog_today(l, NOON + DAY_S, &hour), hour);
    usagelog_changed(l, 3000);
    assert_int_equal(usagelog_read_day(dir, "2026-12-05", &day), 0);
    assert_int_equal(usage_get(&day, "session"), 2);
    usagelog_close(l);
    assert_int_equal(usagelog_read_day(dir, "2026-12-06", &day), 0);
    assert_int_equal(usage_get(&day, "session"), 1);
    char oldest[USAGE_DAY_LEN];
    usagelog_local_day(NOON + DAY_S - (int64_t)USAGE_KEEP_DAYS * DAY_S, oldest, NULL);
    snprintf(path, sizeof path, "%s/usage/%s.txt", dir, oldest);
    assert_false(platform_is_file(path));
    usagelog_local_day(NOON + DAY_S - (int64_t)(USAGE_KEEP_DAYS - 1) * DAY_S, oldest, NULL);
    snprintf(path, sizeof path, "%s/usage/%s.txt", dir, oldest);
    assert_true(platform_is_file(path));
    support_rmtree(dir);
}

/* The child counts views as fast as it can on a virtual clock that moves
 * a second per view, and after each write tells the parent how many views
 * the file holds. The parent kills it with SIGKILL at a random moment:
 * the file must parse and hold at least what was last acknowledged (no
 * loss beyond the minute that waited) and no more than was counted. */
static void child_counts(const char *dir, int fd)
{
    char err[256];
    usagelog *l = usagelog_open(dir, NOON, err, sizeof err);
    if (!l)
        _exit(2);
    uint32_t views = usage_get(usagelog_today(l, NOON, NULL), "view kk home");
    for (uint32_t ms = 0;; ms += 1000) {
        usage_view(usagelog_today(l, NOON, NULL), "kk", "home");
        views++;
        usagelog_changed(l, ms);
        bool due = usagelog_deadline(l, ms).set && (int32_t)(ms - usagelog_deadline(l, ms).at) >= 0;
        usagelog_tick(l, ms);
        if (due && write(fd, &views, sizeof views) != sizeof views)
            _exit(3);
    }
}

static void test_kill9(void **st)
{
    (void)st;
    char dir[256];
    support_tempdir(dir, sizeof dir, "usage-kill");
    srand((unsigned)time(NULL));
    uint32_t before = 0;
    for (int round = 0; round < 15; round++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child_counts(dir, p[1]);
        }
        close(p[1]);
        usleep(20000 + (useconds_t)(rand() % 200000));
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status));
        uint32_t acked = before, v;
        while (read(p[0], &v, sizeof v) == sizeof v)
            acked = v;
        close(p[0]);
        assert_true(usagelog_read_day(dir, "2026-12-05", &day) >= 0);
        uint32_t got = usage_get(&day, "view kk home");
        assert_true(got >= acked);
        /* At most the minute that waited (60 views) and the one being
         * written are beyond the last acknowledgement. */
        assert_true(got <= acked + 2 * (USAGE_FLUSH_MS / 1000u));
        before = got;
    }
    print_message("kill -9: 15 rounds, %u views survived, file never damaged\n", (unsigned)before);
    assert_true(before > 0);
    support_rmtree(dir);
}

/* ---- the ui's events ------------------------------------------------------ */

typedef struct {
    char log[4096];
} heard;

static void on_event(void *user, const ui_event *ev)
{
    static const char *const kinds[] = {"session", "view", "language", "text_size", "search"};
    heard *h = user;
    size_t n = strlen(h->log);
    snprintf(h->log + n, sizeof h->log - n, "%s %s %s %d\n", kinds[ev->kind], ev->lang, ev->what, ev->value);
}

static void test_ui_events(void **st)
{
    (void)st;
    headless *k = support_kiosk_open(NULL, NULL, 800, 480);
    static heard h;
    memset(&h, 0, sizeof h);
    ui_observer o = {.user = &h, .event = on_event};
    ui_set_observer(k->u, &o);
    /* Nobody there yet: nothing reported. */
    support_run(k, "open category/constitution\nwait 200\n");
    assert_string_equal(h.log, "");
    support_run(k, "tapon @home\nwait 300\ntapon @lang\ntapon @lang-ru\nwait 200\ntapon search\ntype конституция\nwait 300\n"
                   "tapon @home\nwait 300\ntapon search\ntype Zebraquux\nwait 300\ntapon @home\nwait 300\n"
                   "tapon @text-size\nwait 300\ntapon @size-2\nwait 300\ntapon @done\nwait 300\n"
                   "open deck/key-changes/1\nwait 500\n");
    print_message("%s", h.log);
    assert_non_null(strstr(h.log, "session kk  0\nview kk category/constitution 0\nview kk home 0\n"));
    assert_non_null(strstr(h.log, "language ru ru 0\n"));
    assert_non_null(strstr(h.log, "view ru search 0\n"));
    assert_non_null(strstr(h.log, "search ru  0\n"));
    assert_non_null(strstr(h.log, "search ru  1\n"));
    assert_non_null(strstr(h.log, "text_size ru  1\n"));
    assert_non_null(strstr(h.log, "view ru deck/key-changes/1 0\n"));
    assert_null(strstr(h.log, "ebra"));
    assert_null(strstr(h.log, "онст"));
    /* The idle reset ends the session (after twice 90 s: this person chose
     * a larger text size); the next touch starts another. */
    size_t before = strlen(h.log);
    support_run(k, "wait 181000\n");
    assert_int_equal(strlen(h.log), before);
    support_run(k, "tapon category/constitution\nwait 300\n");
    assert_non_null(strstr(h.log + before, "session kk  0\nview kk home 0\nview kk category/constitution 0\n"));
    ui_set_observer(k->u, NULL);
    support_kiosk_close(k);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_keys), cmocka_unit_test(test_text_round_trip),
        cmocka_unit_test(test_parse_rejects),   cmocka_unit_test(test_days),
        cmocka_unit_test(test_log_keeps_90_days), cmocka_unit_test(test_kill9),
        cmocka_unit_test(test_ui_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
