/* prefetch: items handed over in order, the first failure ends the thread
 * and is what every later wait says, and a cancel or an early end stops
 * a `get` that is waiting (a transfer in flight) within the poll time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"
#include "prefetch.h"

#define N 50

typedef struct {
    atomic_int stop;
    size_t fail_at;              /* get fails on this item (N: none) */
    size_t hang_at;              /* get waits for stop on this item (N: none) */
    atomic_int calls;            /* items get was asked for */
    atomic_int saw_stop;         /* a hanging get ended because stop was raised */
} job;

static int get(void *user, size_t i, char *err, size_t errcap)
{
    job *j = user;
    atomic_fetch_add(&j->calls, 1);
    if (i == j->fail_at) {
        snprintf(err, errcap, "objects/%zu: hash or length does not match", i);
        return -1;
    }
    if (i == j->hang_at) {
        while (!atomic_load(&j->stop))   /* a transfer that only a cancel ends */
            usleep(1000);
        atomic_store(&j->saw_stop, 1);
        snprintf(err, errcap, "objects/%zu: cancelled", i);
        return -1;
    }
    return 0;
}

/* Waits until get has been asked for item hang_at, which it holds. */
static void wait_hanging(job *j)
{
    while ((size_t)atomic_load(&j->calls) <= j->hang_at)
        usleep(1000);
}

static void test_all_ready_in_order(void **unused)
{
    (void)unused;
    job j = {.fail_at = N, .hang_at = N};
    char err[200];
    prefetch *p = prefetch_start(N, get, &j, &j.stop);
    assert_non_null(p);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(prefetch_wait(p, i, NULL, err, sizeof err), 0);
    prefetch_end(p);
    assert_int_equal(atomic_load(&j.calls), N);
    assert_int_equal(atomic_load(&j.stop), 0);   /* all were ready: nothing to stop */
}

/* A record failing mid-way: the ones before it are ready, it and every
 * later one report its message, and nothing after it is fetched. */
static void test_failure_mid_way(void **unused)
{
    (void)unused;
    job j = {.fail_at = 20, .hang_at = N};
    char err[200];
    prefetch *p = prefetch_start(N, get, &j, &j.stop);
    assert_non_null(p);
    for (size_t i = 0; i < 20; i++)
        assert_int_equal(prefetch_wait(p, i, NULL, err, sizeof err), 0);
    assert_int_equal(prefetch_wait(p, 20, NULL, err, sizeof err), -1);
    assert_string_equal(err, "objects/20: hash or length does not match");
    err[0] = '\0';
    assert_int_equal(prefetch_wait(p, 35, NULL, err, sizeof err), -1);
    assert_string_equal(err, "objects/20: hash or length does not match");
    prefetch_end(p);
    assert_int_equal(atomic_load(&j.calls), 21);
}

/* The caller's cancel, seen while it waits on an item in flight: stop is
 * raised, the transfer ends, the wait says cancelled within the poll. */
static void test_cancel_while_waiting(void **unused)
{
    (void)unused;
    job j = {.fail_at = N, .hang_at = 5};
    atomic_int cancel = 1;
    char err[200];
    prefetch *p = prefetch_start(N, get, &j, &j.stop);
    assert_non_null(p);
    assert_int_equal(prefetch_wait(p, 2, NULL, err, sizeof err), 0);
    /* Item 5 in flight before the cancel is seen (else the thread could
     * see stop first and never start it: a slow sanitizer build did). */
    wait_hanging(&j);
    uint64_t t0 = platform_now_ms();
    assert_int_equal(prefetch_wait(p, 5, &cancel, err, sizeof err), -2);
    assert_string_equal(err, "cancelled");
    assert_true(platform_now_ms() - t0 < 10 * PREFETCH_POLL_MS);
    prefetch_end(p);
    assert_int_equal(atomic_load(&j.saw_stop), 1);
    assert_int_equal(atomic_load(&j.calls), 6);
}

/* The consumer gives up early (the build failed): prefetch_end stops the
 * item in flight and joins; no further item is fetched. */
static void test_end_early_stops(void **unused)
{
    (void)unused;
    job j = {.fail_at = N, .hang_at = 10};
    char err[200];
    prefetch *p = prefetch_start(N, get, &j, &j.stop);
    assert_non_null(p);
    assert_int_equal(prefetch_wait(p, 3, NULL, err, sizeof err), 0);
    wait_hanging(&j);
    prefetch_end(p);
    assert_int_equal(atomic_load(&j.stop), 1);
    assert_int_equal(atomic_load(&j.saw_stop), 1);
    assert_int_equal(atomic_load(&j.calls), 11);
}

static void test_nothing_to_fetch(void **unused)
{
    (void)unused;
    job j = {.fail_at = N, .hang_at = N};
    prefetch *p = prefetch_start(0, get, &j, &j.stop);
    assert_non_null(p);
    prefetch_end(p);
    prefetch_end(NULL);
    assert_int_equal(atomic_load(&j.calls), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_ready_in_order),
        cmocka_unit_test(test_failure_mid_way),
        cmocka_unit_test(test_cancel_while_waiting),
        cmocka_unit_test(test_end_early_stops),
        cmocka_unit_test(test_nothing_to_fetch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
