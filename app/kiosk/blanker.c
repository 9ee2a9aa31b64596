#include "blanker.h"

#include <string.h>
#include <time.h>

#include "platform.h"
#include "service.h"

void blanker_init(blanker *b, const config *c, uint32_t now)
{
    memset(b, 0, sizeof *b);
    b->woken_at = now;
    b->after_ms = c->idle_reset_s > 0 ? (uint32_t)c->idle_reset_s * 1000u : 60000u;
    schedule_defaults(&b->window);
    if (!c->screen_off[0])
        return;
    if (schedule_parse_window(c->screen_off, &b->window.window_start_min, &b->window.window_end_min) == 0)
        b->enabled = true;
    else
        platform_log(PLATFORM_LOG_WARN, "screen-off hours '%s' ignored", c->screen_off);
}

static int local_minute_now(void)
{
    time_t t = time(NULL);
    struct tm tm;
    return localtime_r(&t, &tm) ? tm.tm_hour * 60 + tm.tm_min : 0;
}

bool blanker_update(blanker *b, SDL_Renderer *sdl, uint32_t now)
{
    if (!b->enabled || b->off)
        return b->off;
    if (now - b->woken_at >= b->after_ms && schedule_in_window(&b->window, local_minute_now())) {
        SDL_SetRenderDrawColor(sdl, 0, 0, 0, 255);
        SDL_RenderClear(sdl);
        SDL_RenderPresent(sdl);
        b->off = true;
        platform_log(PLATFORM_LOG_INFO, "screen off (screen-off hours)");
        service_status("screen off");
    }
    return b->off;
}

bool blanker_input(blanker *b, ui *u, int w, int h, uint32_t now)
{
    b->woken_at = now;
    if (!b->off)
        return false;
    b->off = false;
    ui_resize(u, w, h); /* everything is drawn again */
    platform_log(PLATFORM_LOG_INFO, "screen on (touched)");
    return true;
}

deadline blanker_deadline(const blanker *b, uint32_t now)
{
    if (!b->enabled)
        return deadline_none();
    deadline d = deadline_at(b->off ? now + 60000u : b->woken_at + b->after_ms);
    if (deadline_left(d, now) < 1000)
        d = deadline_at(now + 60000u); /* on, but outside the hours: look again in a minute */
    return d;
}
