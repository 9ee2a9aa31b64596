#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "syncstate.h"
#include "usagelog.h"

struct host {
    const config *c;
    syncworker *worker;
    const usagewire *usage;     /* NULL: no counters */
    int64_t started;            /* wall clock at start */
    host_request request;
};

host *host_create(const config *c, syncworker *worker)
{
    host *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->c = c;
    h->worker = worker;
    h->started = (int64_t)time(NULL);
    return h;
}

void host_destroy(host *h)
{
    free(h);
}

void host_set_usage(host *h, const usagewire *usage)
{
    if (h)
        h->usage = usage;
}

static void get_usage(const host *h, ui_admin_status *out)
{
    usage_totals today, kept;
    if (usagewire_totals(h->usage, &today, &kept) < 0)
        return;
    out->usage_sessions_today = today.sessions;
    out->usage_views_today = today.views;
    out->usage_searches_today = (int64_t)today.searches_found + today.searches_none;
    out->usage_searches_none_today = today.searches_none;
    out->usage_sessions_kept = kept.sessions;
    out->usage_views_kept = kept.views;
    out->usage_days_kept = USAGE_KEEP_DAYS; /* the window kept, not the days that had counts */
}

static void get_status(void *user, ui_admin_status *out)
{
    host *h = user;
    const config *c = h->c;
    char why[300];
    out->now = (int64_t)time(NULL);
    out->uptime_s = out->now - h->started;
    long rss_kb = platform_status_kb("VmRSS");
    out->rss_bytes = rss_kb < 0 ? -1 : (int64_t)rss_kb * 1024;
    snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", c->kiosk_id);
    out->sync_configured = c->sync_url[0] != '\0';
    if (c->state_dir[0]) {
        syncstate_current cur;
        syncstate_status st;
        int have = syncstate_read_current(c->state_dir, &cur, why, sizeof why);
        if (have == 0)
            out->snapshot_version = (int64_t)cur.version;
        else if (have == 1)
            out->snapshot_version = 0; /* nothing installed: "none" */
        if (syncstate_read_status(c->state_dir, &st, why, sizeof why) >= 0) {
            out->last_attempt = st.last_attempt;
            out->last_success = st.last_success;
            out->stale = st.stale;
            snprintf(out->last_error, sizeof out->last_error, "%s", st.last_error);
            out->next_sync = st.next_run;
        }
        out->disk_free_bytes = platform_free_bytes(c->state_dir);
    }
    get_usage(h, out);
    if (h->worker) {
        syncworker_info info;
        syncworker_get_info(h->worker, &info);
        out->sync_running = info.running;
        snprintf(out->sync_phase, sizeof out->sync_phase, "%s", info.phase);
        out->items_done = (int64_t)info.progress.records_done;
        out->items_total = (int64_t)info.progress.records_total;
        out->bytes_done = (int64_t)info.progress.bytes_done;
        out->bytes_total = (int64_t)info.progress.bytes_total;
        if (info.next_run)
            out->next_sync = info.next_run;
    }
}

static void sync_now(void *user)
{
    host *h = user;
    platform_log(PLATFORM_LOG_INFO, "operator: sync now");
    syncworker_now(h->worker);
}

static void import_usb(void *user)
{
    host *h = user;
    platform_log(PLATFORM_LOG_INFO, "operator: import from %s", h->c->usb_path[0] ? h->c->usb_path : "USB");
    syncworker_import(h->worker);
}

static void restart(void *user)
{
    host *h = user;
    platform_log(PLATFORM_LOG_INFO, "operator: restart");
    h->request = HOST_RESTART;
}

static void exit_to_desktop(void *user)
{
    host *h = user;
    platform_log(PLATFORM_LOG_INFO, "operator: exit to desktop");
    h->request = HOST_EXIT_TO_DESKTOP;
}

ui_host host_callbacks(host *h)
{
    /* Without a worker there is nothing to sync or import: the buttons
     * show disabled. */
    ui_host cb = {.user = h, .get_status = get_status, .restart = restart, .exit_to_desktop = exit_to_desktop};
    if (h->worker) {
        cb.sync_now = h->c->sync_url[0] ? sync_now : NULL;
        cb.import_usb = h->c->usb_path[0] ? import_usb : NULL;
    }
    return cb;
}

host_request host_pending(const host *h)
{
    return h->request;
}
