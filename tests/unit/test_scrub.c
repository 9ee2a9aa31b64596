/* scrub: a good bundle passes, a damaged one (bytes flipped in a page of
 * its content, a truncation) is found with a reason, a cancel stops it
 * quickly, the live bundle gives way to the previous one, and what is owed
 * (after an install, an unclean shutdown, on the schedule) is remembered; a
 * garbled STATE/scrub owes a full scrub, which writes it anew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "platform.h"
#include "scrub.h"
#include "store.h"
#include "support.h"
#include "syncstate.h"

/* A wall-clock time for the schedule. */
#define T0 ((int64_t)1800000000)

static char dir[PLATFORM_PATH_MAX];
static char sample_digest[DIGEST_HEX_LEN + 1];

static int setup(void **state)
{
    (void)state;
    support_tempdir(dir, sizeof dir, "ip-scrub");
    sqlite3 *db = NULL;
    char err[300];
    assert_int_equal(sqlite3_open_v2(support_sample_bundle(), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(digest_compute(db, sample_digest, err, sizeof err), 0);
    sqlite3_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return support_rmtree(dir);
}

/* STATE/<name>: a copy of the sample bundle. */
static void install_copy(const char *name, char *path, size_t cap)
{
    char *buf = NULL, err[300];
    size_t len;
    assert_int_equal(syncstate_path(dir, name, path, cap), 0);
    assert_int_equal(platform_read_file(support_sample_bundle(), 64u << 20, &buf, &len, err, sizeof err), 0);
    assert_int_equal(platform_write_atomic(path, buf, len, err, sizeof err), 0);
    free(buf);
}

/* XORs 64 bytes in the middle of a leaf page of item_texts (the articles'
 * texts): a cell's content, which only the digest sees. */
static void flip_content(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int pages[256], n = 0, page_size = 0;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT pageno FROM dbstat WHERE name = 'item_texts' AND pagetype = "
                                        "'leaf' ORDER BY pageno", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && n < 256)
        pages[n++] = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    page_size = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(n > 0);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    long off = (long)(pages[n / 2] - 1) * page_size + page_size * 3 / 4;
    unsigned char b[64];
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    assert_int_equal(fread(b, 1, sizeof b, f), sizeof b);
    for (size_t i = 0; i < sizeof b; i++)
        b[i] ^= 0x5a;
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    assert_int_equal(fwrite(b, 1, sizeof b, f), sizeof b);
    fclose(f);
}

static void good_bundle_passes(void **state)
{
    (void)state;
    char path[PLATFORM_PATH_MAX], why[300];
    install_copy("good.ipb", path, sizeof path);
    assert_int_equal(scrub_bundle(path, sample_digest, &(scrub_opts){.duty_pct = 100}, why, sizeof why), SCRUB_OK);
    /* The default throttle gives the same answer. */
    assert_int_equal(scrub_bundle(path, sample_digest, NULL, why, sizeof why), SCRUB_OK);
}

static void flipped_bytes_are_damage(void **state)
{
    (void)state;
    char path[PLATFORM_PATH_MAX], why[300];
    install_copy("flipped.ipb", path, sizeof path);
    flip_content(path);
    assert_int_equal(scrub_bundle(path, sample_digest, NULL, why, sizeof why), SCRUB_DAMAGED);
    assert_non_null(strstr(why, "digest"));
}

static void truncation_is_damage(void **state)
{
    (void)state;
    char path[PLATFORM_PATH_MAX], why[300];
    install_copy("short.ipb", path, sizeof path);
    assert_int_equal(truncate(path, platform_file_size(path) / 2), 0);
    assert_int_equal(scrub_bundle(path, sample_digest, NULL, why, sizeof why), SCRUB_DAMAGED);
    assert_true(why[0] != '\0');
    assert_int_equal(scrub_bundle("/nonexistent/x.ipb", sample_digest, NULL, why, sizeof why), SCRUB_DAMAGED);
}

typedef struct {
    atomic_int *flag;
    unsigned delay_us;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *c = arg;
    usleep(c->delay_us);
    atomic_store(c->flag, 1);
    return NULL;
}

static void cancel_stops_quickly(void **state)
{
    (void)state;
    char path[PLATFORM_PATH_MAX], why[300];
    install_copy("cancel.ipb", path, sizeof path);
    /* 30 MB more to read: the sample alone is checked in a few ms, less
     * than one stretch of work between two rests. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE pad(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                  "FROM n WHERE i < 300) INSERT INTO pad SELECT randomblob(100000) FROM n",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    atomic_int flag = 1;
    assert_int_equal(scrub_bundle(path, sample_digest, &(scrub_opts){.cancel = &flag}, why, sizeof why),
                     SCRUB_CANCELLED);
    /* At 1 % of a core the sample takes seconds; a cancel after 50 ms ends
     * it within one rest step (20 ms), well under a second. */
    atomic_store(&flag, 0);
    canceller c = {&flag, 50000};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
    uint64_t t0 = platform_now_ms();
    scrub_verdict v = scrub_bundle(path, sample_digest, &(scrub_opts){.cancel = &flag, .duty_pct = 1}, why, sizeof why);
    uint64_t took = platform_now_ms() - t0;
    pthread_join(th, NULL);
    assert_int_equal(v, SCRUB_CANCELLED);
    assert_true(took < 1000);
}

/* Two installed versions: bundle-1 previous, bundle-2 live. */
static void install_two(char *live, char *prev, size_t cap)
{
    syncstate_current a = {.version = 1, .bundle = "bundle-1.ipb"}, b = {.version = 2, .bundle = "bundle-2.ipb"};
    char err[300];
    memcpy(a.digest, sample_digest, sizeof a.digest);
    memcpy(b.digest, sample_digest, sizeof b.digest);
    memset(a.snapshot, 'a', 64);
    memset(b.snapshot, 'b', 64);
    install_copy(a.bundle, prev, cap);
    install_copy(b.bundle, live, cap);
    assert_int_equal(syncstate_write_previous(dir, &a, err, sizeof err), 0);
    assert_int_equal(syncstate_write_current(dir, &b, err, sizeof err), 0);
}

static void damaged_live_gives_way(void **state)
{
    (void)state;
    char live[PLATFORM_PATH_MAX], prev[PLATFORM_PATH_MAX], err[300];
    install_two(live, prev, sizeof live);
    assert_int_equal(scrub_due(dir, 7, T0), 2); /* never scrubbed */
    scrub_result res;
    assert_int_equal(scrub_installed(dir, 1, NULL, T0, &res), SCRUB_OK);
    assert_int_equal(res.checked, 2);
    assert_int_equal(scrub_due(dir, 7, T0 + 86400), 0);
    assert_int_equal(scrub_due(dir, 7, T0 + 7 * 86400), 2);
    assert_int_equal(scrub_due(dir, 0, T0 + 70 * 86400), 0);

    flip_content(live);
    assert_int_equal(scrub_installed(dir, 0, NULL, T0 + 1, &res), SCRUB_DAMAGED);
    assert_true(res.switched);
    assert_string_equal(res.live, prev);
    assert_non_null(strstr(res.message, "version 1 is live again"));
    syncstate_current cur;
    assert_int_equal(syncstate_read_current(dir, &cur, err, sizeof err), 0);
    assert_int_equal(cur.version, 1);
    assert_false(platform_is_file(live));
    assert_int_equal(syncstate_read_previous(dir, &cur, err, sizeof err), 1); /* none: never updated in place */
    assert_int_equal(scrub_due(dir, 7, T0 + 1), 0);
    /* The live file gone (a kill after the damaged one was deleted) is due. */
    assert_int_equal(rename(prev, live), 0);
    assert_int_equal(scrub_due(dir, 7, T0 + 1), 1);
    assert_int_equal(rename(live, prev), 0);

    /* Damaged too, and no other: none is live, the kiosk shows its own. */
    assert_int_equal(truncate(prev, 4096), 0);
    assert_int_equal(scrub_installed(dir, 0, NULL, T0 + 2, &res), SCRUB_DAMAGED);
    assert_true(res.switched);
    assert_string_equal(res.live, "");
    assert_false(platform_is_file(prev));
}

static void damaged_previous_is_dropped(void **state)
{
    (void)state;
    char live[PLATFORM_PATH_MAX], prev[PLATFORM_PATH_MAX], err[300];
    install_two(live, prev, sizeof live);
    flip_content(prev);
    scrub_result res;
    /* Only a full scrub looks at the previous bundle. */
    assert_int_equal(scrub_installed(dir, 0, NULL, T0, &res), SCRUB_OK);
    assert_true(platform_is_file(prev));
    assert_int_equal(scrub_installed(dir, 1, NULL, T0, &res), SCRUB_OK);
    assert_false(res.switched);
    assert_false(platform_is_file(prev));
    assert_true(platform_is_file(live));
    syncstate_current cur;
    assert_int_equal(syncstate_read_previous(dir, &cur, err, sizeof err), 1);
}

static void unclean_start_owes_a_full_scrub(void **state)
{
    (void)state;
    char live[PLATFORM_PATH_MAX], prev[PLATFORM_PATH_MAX];
    install_two(live, prev, sizeof live);
    scrub_result res;
    assert_int_equal(scrub_installed(dir, 1, NULL, T0, &res), SCRUB_OK);
    assert_int_equal(scrub_note_start(dir), 0);
    scrub_note_stop(dir);
    assert_int_equal(scrub_note_start(dir), 0); /* the last run stopped cleanly */
    assert_int_equal(scrub_due(dir, 7, T0), 0);
    /* No stop: killed. */
    assert_int_equal(scrub_note_start(dir), 1);
    assert_int_equal(scrub_due(dir, 7, T0), 2);
    /* A clean stop before the scrub ran still leaves it owed. */
    scrub_note_stop(dir);
    assert_int_equal(scrub_note_start(dir), 0);
    assert_int_equal(scrub_due(dir, 7, T0), 2);
    assert_int_equal(scrub_installed(dir, 1, NULL, T0, &res), SCRUB_OK);
    assert_int_equal(scrub_due(dir, 7, T0), 0);
    /* A new live bundle (an install) is owed a scrub of its own. */
    syncstate_current b = {.version = 3, .bundle = "bundle-2.ipb"};
    char err[300];
    memcpy(b.digest, sample_digest, sizeof b.digest);
    memset(b.snapshot, 'c', 64);
    b.digest[0] = b.digest[0] == '0' ? '1' : '0';
    assert_int_equal(syncstate_write_current(dir, &b, err, sizeof err), 0);
    assert_int_equal(scrub_due(dir, 7, T0), 1);
    scrub_note_stop(dir);
}

/* The last warning logged (platform_log_set_sink). */
static char warning[512];

static void keep_warning(void *user, platform_log_level level, const char *line)
{
    (void)user;
    if (level == PLATFORM_LOG_WARN)
        snprintf(warning, sizeof warning, "%s", line);
}

/* STATE/scrub with len bytes of text. */
static void write_scrub_file(const char *text, size_t len)
{
    char path[PLATFORM_PATH_MAX], err[300];
    assert_int_equal(syncstate_path(dir, "scrub", path, sizeof path), 0);
    assert_int_equal(platform_write_atomic(path, text, len, err, sizeof err), 0);
}

/* Over a good STATE/scrub (good: it owes nothing), writes text (len bytes)
 * and checks: a full scrub is owed, also with no schedule (days 0), and a
 * warning says why; it passes, and the file it writes owes nothing until
 * the schedule says so. */
static void assert_garbled_owes_a_full_scrub(const char *good, const char *text, size_t len)
{
    scrub_result res;
    write_scrub_file(good, strlen(good));
    assert_int_equal(scrub_due(dir, 0, T0), 0);
    write_scrub_file(text, len);
    platform_log_set_clock(NULL); /* the same warning again is not held back */
    warning[0] = '\0';
    assert_int_equal(scrub_due(dir, 7, T0), 2);
    assert_non_null(strstr(warning, "is damaged"));
    assert_int_equal(scrub_due(dir, 0, T0), 2);
    assert_int_equal(scrub_installed(dir, 1, NULL, T0, &res), SCRUB_OK);
    assert_int_equal(res.checked, 2);
    assert_int_equal(scrub_due(dir, 0, T0), 0);
    assert_int_equal(scrub_due(dir, 7, T0 + 6 * 86400), 0);
    assert_int_equal(scrub_due(dir, 7, T0 + 7 * 86400), 2);
}

/* assert_garbled_owes_a_full_scrub with the text of a format. */
static void __attribute__((format(printf, 2, 3))) assert_garbled_form(const char *good, const char *fmt, ...)
{
    char text[300];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof text);
    assert_garbled_owes_a_full_scrub(good, text, (size_t)n);
}

/* A STATE/scrub that is not as the scrub writes it (a bad block, zeros
 * after a power cut, a cut line, a number out of range, a NUL) is not
 * believed in part: a garbled time or a lost "pending 1" must not put a
 * scrub off, and -2^63 once put it off for good (now - last overflowed). */
static void garbled_record_owes_a_full_scrub(void **state)
{
    (void)state;
    char live[PLATFORM_PATH_MAX], prev[PLATFORM_PATH_MAX], good[200], text[5000];
    install_two(live, prev, sizeof live);
    snprintf(good, sizeof good, "last %lld\npending 0\nchecked bundle-2.ipb %s\n", (long long)T0, sample_digest);
    const char *digest = sample_digest;
    platform_log_set_sink(keep_warning, NULL);
    assert_garbled_owes_a_full_scrub(good, "", 0);
    memset(text, 0, 64);
    assert_garbled_owes_a_full_scrub(good, text, 64);
    uint32_t x = 12345;
    for (size_t i = 0; i < 300; i++)
        text[i] = (char)((x = x * 1103515245u + 12345u) >> 16);
    assert_garbled_owes_a_full_scrub(good, text, 300);
    int n = snprintf(text, sizeof text, "%s", good);
    text[n + 1] = 'x';
    assert_garbled_owes_a_full_scrub(good, text, (size_t)n + 2);
    assert_garbled_form(good, "last %lld\npend", (long long)T0);
    assert_garbled_form(good, "last %lld\n", (long long)T0);
    assert_garbled_form(good, "last %lld\npending 0\nchecked bundle-2.ipb %.20s\n", (long long)T0, digest);
    assert_garbled_form(good, "last 99999999999999999999\npending 0\nchecked bundle-2.ipb %s\n", digest);
    assert_garbled_form(good, "last -9223372036854775808\npending 0\nchecked bundle-2.ipb %s\n", digest);
    assert_garbled_form(good, "last %lld\npending 2\nchecked bundle-2.ipb %s\n", (long long)T0, digest);
    assert_garbled_form(good, "last %lld\npending 0\nchecked bundle-2.ipb %s again\n", (long long)T0, digest);
    /* Larger than the scrub ever writes. */
    memset(text, '\n', sizeof text);
    memcpy(text, good, strlen(good));
    assert_garbled_owes_a_full_scrub(good, text, sizeof text);
    platform_log_set_sink(NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(good_bundle_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(flipped_bytes_are_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(truncation_is_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_stops_quickly, setup, teardown),
        cmocka_unit_test_setup_teardown(damaged_live_gives_way, setup, teardown),
        cmocka_unit_test_setup_teardown(damaged_previous_is_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(unclean_start_owes_a_full_scrub, setup, teardown),
        cmocka_unit_test_setup_teardown(garbled_record_owes_a_full_scrub, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
