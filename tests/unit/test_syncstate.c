/* The state directory's files: what is written reads back the same, and a
 * damaged file is reported and replaced by defaults, never half-believed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "syncstate.h"
#include "support.h"

static char dir[64];

static int setup(void **unused)
{
    (void)unused;
    support_tempdir(dir, sizeof dir, "ip-state");
    char err[300];
    assert_int_equal(syncstate_prepare(dir, err, sizeof err), 0);
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    return support_rmtree(dir);
}

static void write_file(const char *name, const char *data, size_t len)
{
    char path[200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void test_status_round_trip(void **unused)
{
    (void)unused;
    char err[300];
    syncstate_status st, back;
    assert_int_equal(syncstate_read_status(dir, &st, err, sizeof err), 1); /* none yet: defaults */
    assert_int_equal(st.failures, 0);
    st.last_attempt = 1795833239;
    st.last_success = 1795830000;
    st.next_run = -5;
    st.time_floor = 1793491200;
    st.expires = 1798425227;
    st.seen_version = 42;
    st.failures = 3;
    st.stale = 1;
    snprintf(st.etag, sizeof st.etag, "\"5f1a-2c\"");
    snprintf(st.last_error, sizeof st.last_error, "HTTP 503 from\nhttps://example.org/timestamp.txt");
    assert_int_equal(syncstate_write_status(dir, &st, err, sizeof err), 0);
    assert_int_equal(syncstate_read_status(dir, &back, err, sizeof err), 0);
    assert_int_equal(back.last_attempt, st.last_attempt);
    assert_int_equal(back.last_success, st.last_success);
    assert_int_equal(back.next_run, -5);
    assert_int_equal(back.time_floor, st.time_floor);
    assert_int_equal(back.expires, st.expires);
    assert_int_equal(back.seen_version, 42);
    assert_int_equal(back.failures, 3);
    assert_int_equal(back.stale, 1);
    assert_string_equal(back.etag, "\"5f1a-2c\"");
    /* A newline in a message becomes a space: one line per key. */
    assert_string_equal(back.last_error, "HTTP 503 from https://example.org/timestamp.txt");

    /* Operators read the times: ISO 8601 UTC beside the Unix seconds, and
     * nothing beside a time that is not one (a negative or zero). */
    char path[200], *text;
    size_t len;
    snprintf(path, sizeof path, "%s/status", dir);
    assert_int_equal(platform_read_file(path, 8192, &text, &len, err, sizeof err), 0);
    assert_non_null(strstr(text, "\nlast-attempt 1795833239 2026-11-28T02:33:59Z\n"));
    assert_non_null(strstr(text, "\nlast-success 1795830000 2026-11-28T01:40:00Z\n"));
    assert_non_null(strstr(text, "\nnext-run -5\n"));
    assert_non_null(strstr(text, "\ntime-floor 1793491200 2026-11-01T00:00:00Z\n"));
    assert_non_null(strstr(text, "\nexpires 1798425227 2026-12-28T02:33:47Z\n"));
    free(text);

    /* A status file from before the words were written still reads. */
    static const char old[] = "infopoint-status 1\nlast-attempt 1795833239\nfailures 2\n";
    write_file("status", old, sizeof old - 1);
    assert_int_equal(syncstate_read_status(dir, &back, err, sizeof err), 0);
    assert_int_equal(back.last_attempt, 1795833239);
    assert_int_equal(back.failures, 2);
}

/* STATE/verified remembers a bundle by file identity and digest: any change
 * to the file (its time, size or inode) or another digest is a miss. */
static void test_verified_by_identity(void **unused)
{
    (void)unused;
    char err[300], path[200], other[200];
    const char *d1 = "1111111111111111111111111111111111111111111111111111111111111111";
    const char *d2 = "2222222222222222222222222222222222222222222222222222222222222222";
    snprintf(path, sizeof path, "%s/bundle-1.ipb", dir);
    write_file("bundle-1.ipb", "content", 7);
    assert_int_equal(syncstate_is_verified(dir, path, d1), 0); /* nothing recorded */
    assert_int_equal(syncstate_mark_verified(dir, path, d1, err, sizeof err), 0);
    assert_int_equal(syncstate_is_verified(dir, path, d1), 1);
    assert_int_equal(syncstate_is_verified(dir, path, d2), 0);
    /* Renamed: the same file, still verified (the sync renames after checking). */
    snprintf(other, sizeof other, "%s/bundle-9.ipb", dir);
    assert_int_equal(rename(path, other), 0);
    assert_int_equal(syncstate_is_verified(dir, other, d1), 1);
    assert_int_equal(rename(other, path), 0);
    /* Written again (same bytes): a new time, so computed again. */
    struct timespec later[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = 1000000000, .tv_nsec = 5}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    assert_int_equal(syncstate_is_verified(dir, path, d1), 0);
    /* At most SYNCSTATE_VERIFIED_MAX files, the newest kept. */
    for (int i = 0; i < SYNCSTATE_VERIFIED_MAX + 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "b%d.ipb", i);
        write_file(name, name, strlen(name));
        snprintf(other, sizeof other, "%s/%s", dir, name);
        assert_int_equal(syncstate_mark_verified(dir, other, d2, err, sizeof err), 0);
    }
    assert_int_equal(syncstate_is_verified(dir, other, d2), 1);
    snprintf(other, sizeof other, "%s/b0.ipb", dir);
    assert_int_equal(syncstate_is_verified(dir, other, d2), 0);
    /* A damaged file is a miss, never an error. */
    write_file("verified", "garbage\n", 8);
    assert_int_equal(syncstate_is_verified(dir, other, d2), 0);
}

static void test_damaged_status(void **unused)
{
    (void)unused;
    static const struct {
        const char *text;
        size_t len;
        const char *why;
    } cases[] = {
        {"garbage\n", 8, "no header"},
        {"infopoint-status 1\nfailures x\n", 30, "bad number"},
        {"infopoint-status 1\nfailures 2", 29, "cut mid-line"},
        {"infopoint-status 1\nunknown 2\n", 30, "unknown key"},
        {"infopoint-status 1\nlast-attempt 5 yesterday\n", 44, "words that are not a time"},
        {"infopoint-status 1\nstale 1\0\n", 27, "NUL byte"},
        {"", 0, "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char err[300] = "";
        syncstate_status st;
        write_file("status", cases[i].text, cases[i].len);
        if (syncstate_read_status(dir, &st, err, sizeof err) != -1)
            fail_msg("%s: not reported as damaged", cases[i].why);
        assert_non_null(strstr(err, "damaged"));
        assert_int_equal(st.failures, 0); /* defaults, nothing half-read */
        assert_int_equal(st.stale, 0);
    }
}

static void test_current_round_trip_and_damage(void **unused)
{
    (void)unused;
    char err[300];
    syncstate_current cur = {.version = 7}, back;
    assert_int_equal(syncstate_read_current(dir, &back, err, sizeof err), 1);
    syncstate_bundle_name(7, cur.bundle);
    assert_string_equal(cur.bundle, "bundle-7.ipb");
    memset(cur.snapshot, 'a', 64);
    memset(cur.digest, 'b', 64);
    assert_int_equal(syncstate_write_current(dir, &cur, err, sizeof err), 0);
    assert_int_equal(syncstate_read_current(dir, &back, err, sizeof err), 0);
    assert_int_equal(back.version, 7);
    assert_string_equal(back.bundle, "bundle-7.ipb");
    assert_memory_equal(back.snapshot, cur.snapshot, 65);
    /* A path in the bundle name, a short hash, a missing field: refused. */
    static const char *const bad[] = {
        "infopoint-current 1\nbundle ../etc/passwd\nversion 7\n",
        "infopoint-current 1\nbundle bundle-7.ipb\nversion 7\nsnapshot abc\n",
        "infopoint-current 1\nbundle bundle-7.ipb\nversion 7\n",
        "infopoint-current 2\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file("current", bad[i], strlen(bad[i]));
        assert_int_equal(syncstate_read_current(dir, &back, err, sizeof err), -1);
        assert_int_equal(back.version, 0);
    }
}

static void test_bundles_listed_and_pruned(void **unused)
{
    (void)unused;
    static const char *const names[] = {"bundle-3.ipb", "bundle-12.ipb", "bundle-5.ipb", "bundle-12.ipb.staging",
                                        "bundle-12.ipb.staging-index", "bundle-x.ipb", "other.ipb"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        write_file(names[i], "x", 1);
    uint64_t v[8];
    assert_int_equal(syncstate_list_bundles(dir, v, 8), 3);
    assert_int_equal(v[0], 12);
    assert_int_equal(v[1], 5);
    assert_int_equal(v[2], 3);
    platform_log_set_level(PLATFORM_LOG_ERROR);
    syncstate_prune_bundles(dir, 12, 5);
    assert_int_equal(syncstate_list_bundles(dir, v, 8), 2);
    char path[200];
    snprintf(path, sizeof path, "%s/bundle-12.ipb.staging", dir);
    assert_false(platform_is_file(path)); /* a staging leftover goes */
    snprintf(path, sizeof path, "%s/bundle-12.ipb.staging-index", dir);
    assert_false(platform_is_file(path)); /* and its build's index scratch file */
    snprintf(path, sizeof path, "%s/other.ipb", dir);
    assert_true(platform_is_file(path)); /* what is not ours stays */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_status_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verified_by_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_current_round_trip_and_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundles_listed_and_pruned, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
