#include "usagewire.h"

#include <SDL.h>
#include <stdlib.h>
#include <time.h>

#include "platform.h"
#include "usagelog.h"

struct usagewire {
    ui *u;
    usagelog *log;
};

/* On the UI thread, at the ui's event: count it, and the write waits. */
static void on_event(void *user, const ui_event *ev)
{
    usagewire *w = user;
    int hour = -1;
    usage_day *d = usagelog_today(w->log, (int64_t)time(NULL), &hour);
    switch (ev->kind) {
    case UI_EVENT_SESSION:
        usage_session(d, hour);
        break;
    case UI_EVENT_VIEW:
        usage_view(d, ev->lang, ev->what);
        break;
    case UI_EVENT_LANGUAGE:
        usage_language(d, ev->what);
        break;
    case UI_EVENT_TEXT_SIZE:
        usage_text_size(d, ev->value);
        break;
    case UI_EVENT_SEARCH:
        usage_search(d, ev->value != 0);
        break;
    }
    usagelog_changed(w->log, SDL_GetTicks());
}

usagewire *usagewire_start(const config *c, ui *u)
{
    char err[400];
    if (!c->usage_counters || !c->state_dir[0])
        return NULL;
    usagewire *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->u = u;
    w->log = usagelog_open(c->state_dir, (int64_t)time(NULL), err, sizeof err);
    if (!w->log) {
        platform_log(PLATFORM_LOG_WARN, "usage counters off: %s", err);
        free(w);
        return NULL;
    }
    ui_observer obs = {.user = w, .event = on_event};
    ui_set_observer(u, &obs);
    return w;
}

void usagewire_stop(usagewire *w)
{
    if (!w)
        return;
    ui_set_observer(w->u, NULL);
    usagelog_close(w->log);
    free(w);
}

deadline usagewire_deadline(const usagewire *w, uint32_t now)
{
    return w ? usagelog_deadline(w->log, now) : deadline_none();
}

void usagewire_tick(usagewire *w, uint32_t now)
{
    if (w)
        usagelog_tick(w->log, now);
}

int usagewire_totals(const usagewire *w, usage_totals *today, usage_totals *kept)
{
    if (!w)
        return -1;
    usagelog_totals(w->log, today, kept);
    return 0;
}
