/* platform_log: levels and the rate limit on repeated messages (a fake
 * clock, lines caught with the sink). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

static uint64_t fake_now;
static uint64_t fake_clock(void)
{
    return fake_now;
}

/* The lines written since the last reset. */
static char lines[64][1200];
static platform_log_level levels[64];
static int n_lines;

static void sink(void *user, platform_log_level level, const char *line)
{
    (void)user;
    if (n_lines < 64) {
        snprintf(lines[n_lines], sizeof lines[n_lines], "%s", line);
        levels[n_lines++] = level;
    }
}

static int reset(void **state)
{
    (void)state;
    fake_now = 1000000;
    n_lines = 0;
    platform_log_set_clock(fake_clock);
    platform_log_set_sink(sink, NULL);
    platform_log_set_level(PLATFORM_LOG_DEBUG);
    return 0;
}

static void test_repeats_suppressed(void **state)
{
    (void)state;
    platform_log(PLATFORM_LOG_ERROR, "sync failed: %s", "timeout");
    for (int i = 0; i < 3; i++) {
        fake_now += 10000;
        platform_log(PLATFORM_LOG_ERROR, "sync failed: %s", "timeout");
    }
    assert_int_equal(n_lines, 1);
    /* Something else still gets through meanwhile. */
    platform_log(PLATFORM_LOG_INFO, "content: now showing %s", "x.ipb");
    assert_int_equal(n_lines, 2);
    /* 60 s after the written line: through again, with the count. */
    fake_now = 1000000 + PLATFORM_LOG_REPEAT_MS - 1;
    platform_log(PLATFORM_LOG_ERROR, "sync failed: timeout");
    assert_int_equal(n_lines, 2);
    fake_now = 1000000 + PLATFORM_LOG_REPEAT_MS;
    platform_log(PLATFORM_LOG_ERROR, "sync failed: timeout");
    assert_int_equal(n_lines, 3);
    assert_string_equal(lines[2], "sync failed: timeout (4 similar messages suppressed)");
    assert_int_equal(levels[2], PLATFORM_LOG_ERROR);
    /* The count starts again. */
    fake_now += 1000;
    platform_log(PLATFORM_LOG_ERROR, "sync failed: timeout");
    fake_now += PLATFORM_LOG_REPEAT_MS;
    platform_log(PLATFORM_LOG_ERROR, "sync failed: timeout");
    assert_int_equal(n_lines, 4);
    assert_string_equal(lines[3], "sync failed: timeout (1 similar message suppressed)");
    /* Not repeated within the window: no note at all. */
    fake_now += 2 * PLATFORM_LOG_REPEAT_MS;
    platform_log(PLATFORM_LOG_ERROR, "sync failed: timeout");
    assert_int_equal(n_lines, 5);
    assert_string_equal(lines[4], "sync failed: timeout");
}

static void test_text_and_level_distinguish(void **state)
{
    (void)state;
    /* The text after formatting is what counts. */
    platform_log(PLATFORM_LOG_WARN, "disk %d%% full", 90);
    platform_log(PLATFORM_LOG_WARN, "disk %d%% full", 91);
    platform_log(PLATFORM_LOG_ERROR, "disk %d%% full", 91);
    platform_log(PLATFORM_LOG_WARN, "disk 91%% full");
    assert_int_equal(n_lines, 3);
    assert_string_equal(lines[0], "disk 90% full");
    assert_string_equal(lines[1], "disk 91% full");
    assert_int_equal(levels[2], PLATFORM_LOG_ERROR);
}

static void test_bounded_memory(void **state)
{
    (void)state;
    /* More distinct messages than slots: the oldest is forgotten, so it is
     * written again at once; the newest ones are still held back. */
    char text[32];
    for (int i = 0; i <= PLATFORM_LOG_REPEAT_SLOTS; i++) {
        snprintf(text, sizeof text, "message %d", i);
        platform_log(PLATFORM_LOG_INFO, "%s", text);
        fake_now += 10;
    }
    assert_int_equal(n_lines, PLATFORM_LOG_REPEAT_SLOTS + 1);
    platform_log(PLATFORM_LOG_INFO, "message 0");
    assert_int_equal(n_lines, PLATFORM_LOG_REPEAT_SLOTS + 2);
    platform_log(PLATFORM_LOG_INFO, "message %d", PLATFORM_LOG_REPEAT_SLOTS);
    platform_log(PLATFORM_LOG_INFO, "message 0");
    assert_int_equal(n_lines, PLATFORM_LOG_REPEAT_SLOTS + 2);
}

static void test_levels(void **state)
{
    (void)state;
    platform_log_set_level(PLATFORM_LOG_WARN);
    platform_log(PLATFORM_LOG_INFO, "not written");
    platform_log(PLATFORM_LOG_DEBUG, "not written either");
    platform_log(PLATFORM_LOG_WARN, "written");
    assert_int_equal(n_lines, 1);
    /* Filtered lines do not count as repeats. */
    platform_log_set_level(PLATFORM_LOG_DEBUG);
    platform_log(PLATFORM_LOG_INFO, "not written");
    assert_int_equal(n_lines, 2);
    assert_string_equal(lines[1], "not written");

    platform_log_level l = PLATFORM_LOG_ERROR;
    assert_int_equal(platform_log_level_parse("debug", &l), 0);
    assert_int_equal(l, PLATFORM_LOG_DEBUG);
    assert_int_equal(platform_log_level_parse("warning", &l), 0);
    assert_int_equal(l, PLATFORM_LOG_WARN);
    assert_int_equal(platform_log_level_parse("loud", &l), -1);
    assert_int_equal(l, PLATFORM_LOG_WARN);
    assert_string_equal(platform_log_level_name(PLATFORM_LOG_ERROR), "error");
}

int main(void)
{
    /* The lines also go to stderr; the sink is what is checked. */
    if (!freopen("/dev/null", "w", stderr))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_repeats_suppressed, reset),
        cmocka_unit_test_setup(test_text_and_level_distinguish, reset),
        cmocka_unit_test_setup(test_bounded_memory, reset),
        cmocka_unit_test_setup(test_levels, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
