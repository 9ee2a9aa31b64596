#include "service.h"

#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

static uint32_t ping_every_ms; /* 0: no watchdog */
static uint32_t next_ping;

void service_init(uint32_t now)
{
    uint64_t usec = 0;
    ping_every_ms = 0;
    /* Ping at half the interval: one late frame must not cost a restart. */
    if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000)
        ping_every_ms = (uint32_t)(usec / 2000u);
    next_ping = now;
}

void service_ready(const char *status)
{
    sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void service_status(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    sd_notifyf(0, "STATUS=%s", line);
}

deadline service_deadline(void)
{
    return ping_every_ms ? deadline_at(next_ping) : deadline_none();
}

void service_tick(uint32_t now)
{
    if (!ping_every_ms || (int32_t)(now - next_ping) < 0)
        return;
    sd_notify(0, "WATCHDOG=1");
    next_ping = now + ping_every_ms;
}
