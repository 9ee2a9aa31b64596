#include "syncwire.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform.h"
#include "schedule.h"
#include "scrub.h"
#include "sigwatch.h"

struct syncwire {
    syncworker *worker;
    meta_key key;           /* the pinned key the worker's sync_cfg points at */
    uint32_t event_type;    /* of the worker's reports */
    const char *fallback;   /* the packaged bundle, shown when no installed one passes a scrub */
};

static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

int syncwire_sync_cfg(const config *c, const char *url, sync_cfg *cfg, meta_key *key, char *err, size_t errcap)
{
    if ((!url && !c->usb_path[0]) || !c->trust[0] || !c->state_dir[0]) {
        snprintf(err, errcap, "sync needs a repository URL, --trust FILE and --state DIR");
        return -1;
    }
    if (keys_read_public(c->trust, key, err, errcap) < 0)
        return -1;
    memset(cfg, 0, sizeof *cfg);
    cfg->url = url;
    cfg->state_dir = c->state_dir;
    cfg->trust = key;
    cfg->n_trust = 1;
    cfg->net.allow_http = c->allow_http;
    cfg->net.ca_file = or_null(c->ca_file);
    cfg->net.pin = or_null(c->tls_pin);
    cfg->net.low_speed_time_s = c->stall_timeout_s;
    cfg->max_run_s = c->time_limit_s;
    return 0;
}

/* ---- --sync-once ---------------------------------------------------------- */

/* On the signal watcher's thread: the transfer sees the flag within 100 ms. */
static void cancel_on_signal(void *user, int signo)
{
    (void)signo;
    atomic_store((atomic_int *)user, 1);
}

int syncwire_once(const config *c)
{
    sync_cfg cfg;
    meta_key key;
    char err[512];
    /* Before curl or anything else can start a thread. */
    sigwatch_block();
    if (!c->sync_url[0]) {
        fprintf(stderr, "infopoint: --sync-once needs a repository URL or path\n");
        return 2;
    }
    if (syncwire_sync_cfg(c, c->sync_url, &cfg, &key, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: %s\n", err);
        return 2;
    }
    fetch_global_init();
    /* One line: the result on stdout, or the reason on stderr (warnings,
     * such as damaged state, still show before it). */
    platform_log_set_level(PLATFORM_LOG_WARN);
    cfg.quiet = 1;
    atomic_int cancel = 0;
    cfg.net.cancel = &cancel;
    sigwatch *signals = sigwatch_start(cancel_on_signal, &cancel);
    sync_result res;
    sync_outcome out = sync_run(&cfg, &res);
    sigwatch_stop(signals);
    int ok = out == SYNC_INSTALLED || out == SYNC_CURRENT;
    fprintf(ok ? stdout : stderr, "infopoint: %s\n", res.message);
    return ok ? 0 : 1;
}

/* ---- --scrub ------------------------------------------------------------------ */

int syncwire_scrub_once(const config *c)
{
    sigwatch_block();
    if (!c->state_dir[0]) {
        fprintf(stderr, "infopoint: --scrub needs a state directory (--state DIR)\n");
        return 2;
    }
    platform_log_set_level(PLATFORM_LOG_WARN);
    atomic_int cancel = 0;
    sigwatch *signals = sigwatch_start(cancel_on_signal, &cancel);
    scrub_opts o = {.cancel = &cancel};
    scrub_result res;
    scrub_verdict v = scrub_installed(c->state_dir, 1, &o, (int64_t)time(NULL), &res);
    sigwatch_stop(signals);
    fprintf(v == SCRUB_OK ? stdout : stderr, "infopoint: scrub: %s\n", res.message);
    return v == SCRUB_OK ? 0 : 1;
}

/* ---- the scheduled worker -------------------------------------------------- */

/* The worker's report, on its thread, as one SDL event for the main loop:
 * user.code the outcome, user.data1 a heap copy of the new bundle's path
 * (freed by syncwire_handle). */
static void notify_main_loop(void *user, sync_outcome outcome, const char *bundle)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = (uint32_t)(uintptr_t)user;
    ev.user.code = (Sint32)outcome;
    ev.user.data1 = bundle ? strdup(bundle) : NULL;
    if (SDL_PushEvent(&ev) < 0)
        free(ev.user.data1);
}

/* The schedule of c: interval, first check and window. */
static void schedule_of(const config *c, schedule_cfg *s)
{
    schedule_defaults(s);
    if (c->sync_window[0] && schedule_parse_window(c->sync_window, &s->window_start_min, &s->window_end_min) < 0)
        platform_log(PLATFORM_LOG_WARN, "sync window '%s' ignored", c->sync_window);
    if (c->sync_interval_s > 0) {
        s->interval_s = c->sync_interval_s;
        if (s->first_delay_s > c->sync_interval_s)
            s->first_delay_s = c->sync_interval_s;
        if (s->backoff_min_s > c->sync_interval_s)
            s->backoff_min_s = c->sync_interval_s;
    }
    if (c->sync_first_s > 0 && c->sync_first_s <= s->interval_s)
        s->first_delay_s = c->sync_first_s;
}

syncwire *syncwire_start(const config *c)
{
    const char *url = or_null(c->sync_url);
    if ((!url && !c->usb_path[0]) || !c->state_dir[0])
        return NULL;
    syncwire *sw = calloc(1, sizeof *sw);
    if (!sw)
        return NULL;
    syncworker_cfg cfg = {.usb_path = or_null(c->usb_path), .scrub_days = c->scrub_days};
    sw->fallback = c->fallback_bundle;
    char err[512];
    if (syncwire_sync_cfg(c, url, &cfg.sync, &sw->key, err, sizeof err) < 0) {
        /* Without a repository URL this only means no USB import: worth a
         * line, not an error. */
        platform_log(url ? PLATFORM_LOG_ERROR : PLATFORM_LOG_INFO, "sync%s disabled: %s", url ? "" : " from USB",
                     err);
        goto fail;
    }
    schedule_of(c, &cfg.schedule);
    sw->event_type = SDL_RegisterEvents(1);
    if (sw->event_type == (uint32_t)-1) {
        platform_log(PLATFORM_LOG_ERROR, "sync disabled: no SDL event type left");
        goto fail;
    }
    cfg.notify = notify_main_loop;
    cfg.notify_user = (void *)(uintptr_t)sw->event_type;
    fetch_global_init();
    sw->worker = syncworker_start(&cfg, err, sizeof err);
    if (!sw->worker) {
        platform_log(PLATFORM_LOG_ERROR, "sync disabled: %s", err);
        goto fail;
    }
    return sw;
fail:
    free(sw);
    return NULL;
}

syncworker *syncwire_worker(const syncwire *sw)
{
    return sw ? sw->worker : NULL;
}

bool syncwire_handle(syncwire *sw, const SDL_Event *ev, app *a)
{
    if (!sw || ev->type != sw->event_type)
        return false;
    if (ev->user.data1) {
        /* "": a scrub found no installed bundle that passes. */
        const char *path = ((char *)ev->user.data1)[0] ? ev->user.data1 : sw->fallback;
        app_swap_bundle(a, path, SDL_GetTicks());
        free(ev->user.data1);
    }
    ui_host_changed(a->u);
    return true;
}

void syncwire_stop(syncwire *sw)
{
    if (!sw)
        return;
    syncworker_stop(sw->worker);
    free(sw);
}
