/* dynlib: a library opened and its symbols resolved once, from several
 * threads at a time; real failures (a soname that does not exist, a
 * library without the symbol, the INFOPOINT_DLOPEN_DIR hook) give
 * "cannot load <soname>: <dlerror>" and stay failed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynlib.h"

typedef struct {
    double (*cos)(double);
    double (*sqrt)(double);
} mathfn;

static const dynlib_sym math_syms[] = {
    DYNLIB_SYM(mathfn, cos, "cos"),
    DYNLIB_SYM(mathfn, sqrt, "sqrt"),
};

static const dynlib_sym bad_syms[] = {
    DYNLIB_SYM(mathfn, cos, "cos"),
    DYNLIB_SYM(mathfn, sqrt, "no_such_function_in_libm"),
};

static void test_loads_and_resolves(void **state)
{
    static mathfn m;
    static dynlib lib = DYNLIB_INIT("libm.so.6", math_syms, &m);
    char err[DYNLIB_ERR_MAX] = "";
    assert_int_equal(dynlib_load(&lib, err, sizeof err), 0);
    assert_non_null(m.cos);
    assert_true(m.cos(0.0) == 1.0);
    assert_true(m.sqrt(16.0) == 4.0);
    assert_int_equal(dynlib_load(&lib, err, sizeof err), 0); /* again: nothing to do */
}

static void test_missing_soname(void **state)
{
    static mathfn m;
    static dynlib lib = DYNLIB_INIT("libinfopoint-absent.so.9", math_syms, &m);
    char err[DYNLIB_ERR_MAX] = "";
    assert_int_equal(dynlib_load(&lib, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot load libinfopoint-absent.so.9: "));
    assert_non_null(strstr(err, "cannot open shared object file"));
    char again[DYNLIB_ERR_MAX] = "";
    assert_int_equal(dynlib_load(&lib, again, sizeof again), -1); /* not retried, same reason */
    assert_string_equal(again, err);
    assert_null(m.cos);
}

static void test_missing_symbol(void **state)
{
    static mathfn m;
    static dynlib lib = DYNLIB_INIT("libm.so.6", bad_syms, &m);
    char err[DYNLIB_ERR_MAX] = "";
    assert_int_equal(dynlib_load(&lib, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot load libm.so.6: "));
    assert_non_null(strstr(err, "no_such_function_in_libm"));
}

/* The test hook: sonames come from the named folder only. */
static void test_dir_hook(void **state)
{
    static mathfn m1, m2;
    static dynlib empty = DYNLIB_INIT("libm.so.6", math_syms, &m1);
    static dynlib linked = DYNLIB_INIT("libm.so.6", math_syms, &m2);
    char dir[] = "/tmp/test_dynlib.XXXXXX", link[64], err[DYNLIB_ERR_MAX] = "";
    assert_non_null(mkdtemp(dir));
    setenv(DYNLIB_DIR_ENV, dir, 1);
    assert_int_equal(dynlib_load(&empty, err, sizeof err), -1); /* libm is loaded already, but not from there */
    assert_non_null(strstr(err, "cannot load libm.so.6: "));
    assert_non_null(strstr(err, dir));
    /* The same library linked into the folder loads. */
    snprintf(link, sizeof link, "%s/libm.so.6", dir);
    FILE *p = popen("gcc -print-file-name=libm.so.6", "r");
    char real[512] = "";
    assert_non_null(p);
    assert_non_null(fgets(real, sizeof real, p));
    pclose(p);
    real[strcspn(real, "\n")] = '\0';
    assert_int_equal(symlink(real, link), 0);
    assert_int_equal(dynlib_load(&linked, err, sizeof err), 0);
    assert_true(m2.sqrt(9.0) == 3.0);
    unsetenv(DYNLIB_DIR_ENV);
    unlink(link);
    rmdir(dir);
}

static mathfn raced;
static dynlib race_lib = DYNLIB_INIT("libm.so.6", math_syms, &raced);

static void *race(void *arg)
{
    char err[DYNLIB_ERR_MAX];
    *(int *)arg = dynlib_load(&race_lib, err, sizeof err) == 0 && raced.cos(0.0) == 1.0;
    return NULL;
}

/* Threads that need the library at the same time all get the whole table. */
static void test_threads(void **state)
{
    pthread_t t[8];
    int ok[8] = {0};
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, race, &ok[i]), 0);
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        assert_true(ok[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_and_resolves),
        cmocka_unit_test(test_missing_soname),
        cmocka_unit_test(test_missing_symbol),
        cmocka_unit_test(test_dir_hook),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
