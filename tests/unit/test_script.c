#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "script.h"

static void parse_ok(const char *text, script *s)
{
    char err[200] = "";
    if (script_parse(text, strlen(text), s, err, sizeof err) != 0)
        fail_msg("parse failed: %s", err);
}

static void expect_error(const char *text, const char *fragment)
{
    script s;
    char err[200] = "";
    assert_int_equal(script_parse(text, strlen(text), &s, err, sizeof err), -1);
    if (!strstr(err, fragment))
        fail_msg("error '%s' lacks '%s'", err, fragment);
    assert_null(s.steps);
}

static void test_every_command(void **state)
{
    (void)state;
    script s;
    parse_ok("# a comment\n"
             "tap 10 20\n"
             "  longpress 5 6\n"
             "longpress 5 6 2000\n"
             "drag 1 2 3 4\n"
             "drag 1 2 3 4 80\n"
             "\n"
             "wait 90000\r\n"
             "type президент ёлка\n"
             "key alt+f4\n"
             "open item/constitution#art43-5\n"
             "tapon category/news\n"
             "resize 1080 1920\n"
             "hold2 1 2 3 4\n"
             "audio removed\n",
             &s);
    assert_int_equal(s.n, 13);
    assert_int_equal(s.steps[0].op, SCRIPT_TAP);
    assert_true(s.steps[0].x1 == 10 && s.steps[0].y1 == 20);
    assert_int_equal(s.steps[0].line, 2);
    assert_int_equal(s.steps[1].ms, 1200);
    assert_int_equal(s.steps[2].ms, 2000);
    assert_int_equal(s.steps[3].ms, 300);
    assert_true(s.steps[4].x2 == 3 && s.steps[4].y2 == 4 && s.steps[4].ms == 80);
    assert_int_equal(s.steps[5].op, SCRIPT_WAIT);
    assert_int_equal(s.steps[5].ms, 90000);
    assert_string_equal(s.steps[6].text, "президент ёлка");
    assert_string_equal(s.steps[7].text, "alt+f4");
    assert_string_equal(s.steps[8].text, "item/constitution#art43-5");
    assert_int_equal(s.steps[9].op, SCRIPT_TAPON);
    assert_string_equal(s.steps[9].text, "category/news");
    assert_true(s.steps[10].x1 == 1080 && s.steps[10].y1 == 1920);
    assert_int_equal(s.steps[11].op, SCRIPT_HOLD2);
    assert_true(s.steps[11].x2 == 3 && s.steps[11].y2 == 4 && s.steps[11].ms == 2500);
    assert_int_equal(s.steps[12].op, SCRIPT_AUDIO);
    assert_string_equal(s.steps[12].text, "removed");
    script_free(&s);
}

static void test_bad_scripts(void **state)
{
    (void)state;
    expect_error("tap 1\n", "line 1: 'tap' takes 2 numbers");
    expect_error("audio plugged\n", "line 1: 'audio' takes added or removed");
    expect_error("tap 1 2\nfly 3 4\n", "line 2: unknown command 'fly'");
    expect_error("drag 1 2 3\n", "line 1: 'drag' takes 4 or more numbers");
    expect_error("tap 1 2 3\n", "line 1");
    expect_error("tap -5 2\n", "out of range");
    expect_error("tap 1e9 2\n", "out of range");
    expect_error("wait\n", "'wait' takes 1 numbers");
    expect_error("type\n", "'type' needs a text");
    expect_error("type \xff\xfe\n", "needs a text");
    expect_error("tap nan 1\n", "out of range");
    const char nul[] = "tap 1 2\n\0tap 3 4\n";
    script s;
    char err[100];
    assert_int_equal(script_parse(nul, sizeof nul - 1, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "NUL"));
}

static void test_empty_and_missing(void **state)
{
    (void)state;
    script s;
    parse_ok("", &s);
    assert_int_equal(s.n, 0);
    script_free(&s);
    char err[200];
    assert_int_equal(script_load("/nonexistent/script.txt", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command),
        cmocka_unit_test(test_bad_scripts),
        cmocka_unit_test(test_empty_and_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
