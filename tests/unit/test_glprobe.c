/* glprobe: which GL_RENDERER names are software rasterisers, and the
 * child's answer read with a time limit — a child that names a GPU, one
 * that names llvmpipe, one that says nothing, one that hangs (it is ended
 * at the limit, not waited for) and one that cannot be started. The real
 * child under Xvfb is tried by tests/cli/window_gl.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "glprobe.h"
#include "platform.h"
#include "support.h"

static char dir[PLATFORM_PATH_MAX];

static int setup(void **state)
{
    (void)state;
    return support_tempdir(dir, sizeof dir, "glprobe") ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return support_rmtree(dir);
}

/* A stand-in for the program: a shell script run as the probe child. */
static void fake_child(char *path, size_t cap, const char *name, const char *body)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    assert_int_equal(chmod(path, 0755), 0);
}

static glprobe_kind ask(const char *body, int timeout_ms, char *name, size_t cap)
{
    char path[PLATFORM_PATH_MAX + 32];
    fake_child(path, sizeof path, "child.sh", body);
    glprobe *p = glprobe_start(path);
    assert_non_null(p);
    return glprobe_finish(p, timeout_ms, name, cap);
}

static void software_names(void **state)
{
    (void)state;
    assert_true(glprobe_is_software("llvmpipe (LLVM 15.0.6, 256 bits)"));
    assert_true(glprobe_is_software("Mesa softpipe"));
    assert_true(glprobe_is_software("Software Rasterizer"));
    assert_true(glprobe_is_software("swrast"));
    assert_true(glprobe_is_software("LLVMPIPE"));
    assert_false(glprobe_is_software("V3D 4.2"));                 /* Raspberry Pi 4 */
    assert_false(glprobe_is_software("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
    assert_false(glprobe_is_software("AMD Radeon RX 580 (polaris10, LLVM 15.0.6, DRM 3.49)"));
    assert_false(glprobe_is_software(""));
}

static void child_names_gpu(void **state)
{
    (void)state;
    char name[128];
    assert_int_equal(ask("echo 'V3D 4.2'", 2000, name, sizeof name), GLPROBE_HARDWARE);
    assert_string_equal(name, "V3D 4.2");
}

static void child_names_llvmpipe(void **state)
{
    (void)state;
    char name[128];
    assert_int_equal(ask("echo 'llvmpipe (LLVM 15.0.6, 256 bits)'", 2000, name, sizeof name), GLPROBE_SOFTWARE);
    assert_string_equal(name, "llvmpipe (LLVM 15.0.6, 256 bits)");
}

static void child_says_nothing(void **state)
{
    (void)state;
    char name[128] = "x";
    assert_int_equal(ask("echo 'no GLX' >&2; exit 1", 2000, name, sizeof name), GLPROBE_NONE);
    assert_string_equal(name, "");
}

static void child_hangs(void **state)
{
    (void)state;
    char name[128];
    uint64_t t0 = platform_now_ms();
    assert_int_equal(ask("exec sleep 30", 300, name, sizeof name), GLPROBE_NONE);
    uint64_t took = platform_now_ms() - t0;
    assert_true(took >= 250 && took < 2000); /* the limit, not the child's 30 s */
}

static void child_missing(void **state)
{
    (void)state;
    char path[PLATFORM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/no-such-program", dir);
    glprobe *p = glprobe_start(path);
    /* posix_spawn may report a missing program at once or through the
     * child's exit: either way the answer is "none". */
    assert_int_equal(glprobe_finish(p, 2000, NULL, 0), GLPROBE_NONE);
}

static void cancel_ends_child(void **state)
{
    (void)state;
    char path[PLATFORM_PATH_MAX + 32];
    fake_child(path, sizeof path, "slow.sh", "exec sleep 30");
    uint64_t t0 = platform_now_ms();
    glprobe_cancel(glprobe_start(path));
    assert_true(platform_now_ms() - t0 < 2000);
    glprobe_cancel(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(software_names),
        cmocka_unit_test(child_names_gpu),
        cmocka_unit_test(child_names_llvmpipe),
        cmocka_unit_test(child_says_nothing),
        cmocka_unit_test(child_hangs),
        cmocka_unit_test(child_missing),
        cmocka_unit_test(cancel_ends_child),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
