#include "service.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The notify protocol is systemd's documented, stable interface (sd_notify(3),
 * "Notes"): one datagram of "KEY=value" lines to the AF_UNIX socket named by
 * $NOTIFY_SOCKET, an abstract one when the name starts with '@'. The kiosk
 * sends it itself instead of linking libsystemd: simpler and sturdier than
 * opening libsystemd at run time for three calls (no library that can be
 * missing, no table), and nothing the kiosk could act on is lost. (The
 * "vsock:" addresses of systemd 253 are for virtual machines; a kiosk on
 * the console does not get them. libsystemd may still be mapped: SDL2's
 * PulseAudio client links it.) */

static uint32_t ping_every_ms; /* 0: no watchdog */
static uint32_t next_ping;

/* Fills addr from $NOTIFY_SOCKET; its length, or 0 when there is none or it
 * is not an AF_UNIX path. */
static socklen_t notify_address(struct sockaddr_un *addr)
{
    const char *name = getenv("NOTIFY_SOCKET");
    if (!name || (name[0] != '/' && name[0] != '@'))
        return 0;
    size_t len = strlen(name);
    if (len < 2 || len > sizeof addr->sun_path)
        return 0;
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path, name, len);
    if (name[0] == '@')
        addr->sun_path[0] = '\0'; /* abstract: the name is the bytes after the NUL, no terminator */
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
}

/* Sends one notify datagram; nothing without systemd. A lost message is not
 * retried: systemd sees the next ping or status. */
static void notify(const char *msg)
{
    struct sockaddr_un addr;
    socklen_t addrlen = notify_address(&addr);
    if (!addrlen)
        return;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    ssize_t n;
    do
        n = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (const struct sockaddr *)&addr, addrlen);
    while (n < 0 && errno == EINTR);
    close(fd);
}

/* What sd_watchdog_enabled(3) reads: WATCHDOG_USEC, meant for us unless
 * WATCHDOG_PID names another process (a child that inherited the
 * environment). 0 without a watchdog. */
static uint64_t watchdog_usec(void)
{
    const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
    if (!usec || !usec[0])
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(usec, &end, 10);
    if (errno || *end || usec[0] == '-')
        return 0;
    if (pid && pid[0]) {
        long p = strtol(pid, &end, 10);
        if (*end || p != (long)getpid())
            return 0;
    }
    return (uint64_t)v;
}

void service_init(uint32_t now)
{
    uint64_t usec = watchdog_usec();
    ping_every_ms = 0;
    /* Ping at half the interval: one late frame must not cost a restart. */
    if (usec >= 2000)
        ping_every_ms = (uint32_t)(usec / 2000u);
    next_ping = now;
}

void service_ready(const char *status)
{
    char msg[300];
    snprintf(msg, sizeof msg, "READY=1\nSTATUS=%s", status);
    notify(msg);
}

void service_status(const char *fmt, ...)
{
    char line[256], msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "STATUS=%s", line);
    notify(msg);
}

deadline service_deadline(void)
{
    return ping_every_ms ? deadline_at(next_ping) : deadline_none();
}

void service_tick(uint32_t now)
{
    if (!ping_every_ms || (int32_t)(now - next_ping) < 0)
        return;
    notify("WATCHDOG=1");
    next_ping = now + ping_every_ms;
}
