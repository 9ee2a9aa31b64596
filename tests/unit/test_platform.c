/* platform: files are read only when they are regular files — a FIFO, a
 * device or a directory is refused at once with a message that says what
 * it is (a FIFO given as a config, script, key or content file used to
 * block the reader for ever); sizes are capped; numbers parse strictly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"

static char dir[] = "/tmp/infopoint-platform-XXXXXX";

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect_refused(const char *path, size_t max, const char *why)
{
    char *buf = NULL, err[512] = "";
    size_t len = 0;
    uint64_t t0 = platform_now_ms();
    assert_int_equal(platform_read_file(path, max, &buf, &len, err, sizeof err), -1);
    assert_true(platform_now_ms() - t0 < 1000); /* refused, not waited on */
    assert_null(buf);
    if (!strstr(err, why))
        fail_msg("'%s' does not say '%s'", err, why);
}

static void test_regular_file_is_read(void **unused)
{
    (void)unused;
    char path[PLATFORM_PATH_MAX], *buf = NULL, err[256];
    size_t len = 0;
    path_in(path, sizeof path, "ok.txt");
    write_text(path, "[kiosk]\nlanguage = ru\n");
    assert_int_equal(platform_read_file(path, 1024, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 22);
    assert_string_equal(buf, "[kiosk]\nlanguage = ru\n");
    free(buf);
    path_in(path, sizeof path, "empty.txt");
    write_text(path, "");
    assert_int_equal(platform_read_file(path, 1024, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    free(buf);
}

static void test_fifo_device_and_directory_are_refused(void **unused)
{
    (void)unused;
    char path[PLATFORM_PATH_MAX];
    path_in(path, sizeof path, "fifo");
    assert_int_equal(mkfifo(path, 0600), 0);
    expect_refused(path, 1024, "is a FIFO, not a regular file");
    expect_refused("/dev/zero", 1024, "is a character device, not a regular file");
    expect_refused(dir, 1024, "is a directory, not a regular file");
    path_in(path, sizeof path, "missing");
    expect_refused(path, 1024, "cannot open");
}

static void test_size_is_capped(void **unused)
{
    (void)unused;
    char path[PLATFORM_PATH_MAX], *buf = NULL, err[256];
    size_t len;
    path_in(path, sizeof path, "big.txt");
    write_text(path, "0123456789");
    expect_refused(path, 9, "larger than 9 bytes");
    assert_int_equal(platform_read_file(path, 10, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, 10);
    free(buf);
}

static void test_parse_int_is_strict(void **unused)
{
    (void)unused;
    int v = 7;
    assert_int_equal(platform_parse_int("90", 0, 100, &v), 0);
    assert_int_equal(v, 90);
    const char *bad[] = {"", "-1", "+5", " 5", "5 ", "5x", "101", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = 7;
        assert_int_equal(platform_parse_int(bad[i], 0, 100, &v), -1);
        assert_int_equal(v, 7);
    }
}

static int setup(void **unused)
{
    (void)unused;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **unused)
{
    (void)unused;
    const char *names[] = {"ok.txt", "empty.txt", "fifo", "big.txt"};
    char path[PLATFORM_PATH_MAX];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        path_in(path, sizeof path, names[i]);
        unlink(path);
    }
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular_file_is_read),
        cmocka_unit_test(test_fifo_device_and_directory_are_refused),
        cmocka_unit_test(test_size_is_capped),
        cmocka_unit_test(test_parse_int_is_strict),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
