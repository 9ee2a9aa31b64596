/* service: the sd_notify datagrams as systemd receives them, on a socket
 * named by a path and on an abstract one ('@'); the watchdog interval from
 * WATCHDOG_USEC, ignored when WATCHDOG_PID names another process; nothing
 * at all without NOTIFY_SOCKET. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "service.h"

/* A datagram socket bound like systemd's: name is a path, or '@' + an
 * abstract name. */
static int listen_at(const char *name)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    size_t len = strlen(name);
    memcpy(a.sun_path, name, len);
    if (name[0] == '@')
        a.sun_path[0] = '\0';
    assert_int_equal(bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)), 0);
    return fd;
}

/* The next datagram, or "" when none is waiting. */
static const char *next_msg(int fd)
{
    static char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

static void check_messages(const char *name)
{
    int fd = listen_at(name);
    setenv("NOTIFY_SOCKET", name, 1);
    setenv("WATCHDOG_USEC", "1000000", 1);
    unsetenv("WATCHDOG_PID");
    service_init(1000);
    service_ready("showing sample");
    assert_string_equal(next_msg(fd), "READY=1\nSTATUS=showing sample");
    service_status("sync: %d new", 3);
    assert_string_equal(next_msg(fd), "STATUS=sync: 3 new");
    assert_true(service_deadline().set);
    service_tick(1000);                     /* due at once */
    assert_string_equal(next_msg(fd), "WATCHDOG=1");
    service_tick(1499);                     /* every 500 ms: half of WATCHDOG_USEC */
    assert_string_equal(next_msg(fd), "");
    service_tick(1500);
    assert_string_equal(next_msg(fd), "WATCHDOG=1");
    close(fd);
}

static void test_path_socket(void **state)
{
    char dir[] = "/tmp/test_service.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/notify", dir);
    check_messages(path);
    unlink(path);
    rmdir(dir);
}

static void test_abstract_socket(void **state)
{
    char name[64];
    snprintf(name, sizeof name, "@infopoint-test-service-%ld", (long)getpid());
    check_messages(name);
}

static void test_watchdog_for_another_process(void **state)
{
    char pid[32];
    setenv("WATCHDOG_USEC", "1000000", 1);
    snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1);
    setenv("WATCHDOG_PID", pid, 1);
    service_init(0);
    assert_false(service_deadline().set);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    service_init(0);
    assert_true(service_deadline().set);
    setenv("WATCHDOG_USEC", "junk", 1);
    service_init(0);
    assert_false(service_deadline().set);
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
}

static void test_without_systemd(void **state)
{
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    service_init(0);
    assert_false(service_deadline().set);
    service_ready("x"); /* nowhere to send: nothing happens */
    service_tick(100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_socket),
        cmocka_unit_test(test_abstract_socket),
        cmocka_unit_test(test_watchdog_for_another_process),
        cmocka_unit_test(test_without_systemd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
