#include "syncworker.h"

#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform.h"
#include "scrub.h"

struct syncworker {
    syncworker_cfg cfg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;        /* on CLOCK_MONOTONIC */
    atomic_int cancel;          /* set by the UI thread, read by fetch's callback on this one */
    atomic_int scrub_cancel;    /* set by a stop, "sync now" or import; read by the scrub */
    int stop;                   /* under lock */
    int now_requested;          /* under lock */
    int import_requested;       /* under lock */
    syncworker_info info;       /* under lock */
};

static void on_progress(void *user, const sync_progress *p)
{
    syncworker *w = user;
    pthread_mutex_lock(&w->lock);
    w->info.progress = *p;
    snprintf(w->info.phase, sizeof w->info.phase, "%s", p->phase ? p->phase : "");
    pthread_mutex_unlock(&w->lock);
}

static int local_minute(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return tm.tm_hour * 60 + tm.tm_min;
}

/* Plans the next run and writes it to the status file for operators. */
static int64_t plan_next(syncworker *w, int first, int failures)
{
    int64_t now = (int64_t)time(NULL);
    int64_t delay = schedule_delay(&w->cfg.schedule, first, failures, randombytes_random(), local_minute(now));
    syncstate_status st;
    char err[300];
    /* A new kiosk's state directory may not exist before its first sync. */
    if (syncstate_prepare(w->cfg.sync.state_dir, err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_WARN, "sync: %s", err);
    syncstate_read_status(w->cfg.sync.state_dir, &st, err, sizeof err);
    st.next_run = now + delay;
    if (syncstate_write_status(w->cfg.sync.state_dir, &st, err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_WARN, "sync: %s", err);
    pthread_mutex_lock(&w->lock);
    w->info.next_run = st.next_run;
    pthread_mutex_unlock(&w->lock);
    return delay;
}

/* Waits on w->wake (lock held) for at most ms milliseconds. */
static void cond_wait_ms(syncworker *w, uint64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms / 1000u);
    ts.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&w->wake, &w->lock, &ts);
}

/* Sleeps until the deadline, a "sync now" or stop. Returns 0 to run, -1 to
 * stop. */
static int wait_turn(syncworker *w, int64_t delay_s)
{
    uint64_t until = platform_now_ms() + (uint64_t)delay_s * 1000u;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        if (w->stop) {
            pthread_mutex_unlock(&w->lock);
            return -1;
        }
        if (w->now_requested || w->import_requested)
            break;
        uint64_t t = platform_now_ms();
        if (t >= until)
            break;
        uint64_t left = until - t;
        cond_wait_ms(w, left > 60000 ? 60000u : left);
    }
    w->info.running = 1;
    memset(&w->info.progress, 0, sizeof w->info.progress);
    pthread_mutex_unlock(&w->lock);
    return 0;
}

static void announce(syncworker *w, const sync_result *res)
{
    if (w->cfg.notify)
        w->cfg.notify(w->cfg.notify_user, res->outcome, res->outcome == SYNC_INSTALLED ? res->bundle : NULL);
}

/* 1 if a repository is at the USB path (a stick is in). */
static int usb_present(const syncworker *w)
{
    char path[PLATFORM_PATH_EXTRA_MAX];
    return w->cfg.usb_path && snprintf(path, sizeof path, "%s/timestamp.txt", w->cfg.usb_path) < (int)sizeof path &&
           platform_is_file(path);
}

/* Runs one sync from url and reports it. */
static sync_outcome run_from(syncworker *w, const char *url)
{
    sync_cfg cfg = w->cfg.sync;
    cfg.url = url;
    sync_result res;
    sync_outcome out = sync_run(&cfg, &res);
    pthread_mutex_lock(&w->lock);
    w->info.last_outcome = out;
    snprintf(w->info.last_message, sizeof w->info.last_message, "%s", res.message);
    pthread_mutex_unlock(&w->lock);
    announce(w, &res);
    return out;
}

/* One turn: an import asked for, else the network repository and a USB
 * stick if one is in. Returns the outcome that counts for the schedule. */
static sync_outcome run_turn(syncworker *w)
{
    pthread_mutex_lock(&w->lock);
    int import = w->import_requested;
    w->import_requested = 0;
    w->now_requested = 0;
    pthread_mutex_unlock(&w->lock);
    if (import) {
        if (!usb_present(w)) {
            platform_log(PLATFORM_LOG_WARN, "sync: no repository at %s to import from",
                         w->cfg.usb_path ? w->cfg.usb_path : "(no USB path configured)");
            return SYNC_FAILED;
        }
        return run_from(w, w->cfg.usb_path);
    }
    sync_outcome out = SYNC_CURRENT;
    if (w->cfg.sync.url)
        out = run_from(w, w->cfg.sync.url);
    if (out != SYNC_CANCELLED && usb_present(w)) {
        /* The network's outcome drives the back-off when there is a
         * network repository; a stick's only when it is the one source. */
        sync_outcome usb = run_from(w, w->cfg.usb_path);
        if (!w->cfg.sync.url || usb == SYNC_CANCELLED)
            out = usb;
    }
    return out;
}

/* Between syncs, the scrub that is due (scrub.h). A stop, a "sync now" or
 * an import cancels it, and it runs again before the next wait. Damage
 * found: the kiosk is told which bundle to show now ("": the packaged one)
 * and a sync runs at once to build the content again. */
static void scrub_turn(syncworker *w)
{
    const char *dir = w->cfg.sync.state_dir;
    int due = scrub_due(dir, w->cfg.scrub_days, (int64_t)time(NULL));
    if (!due)
        return;
    pthread_mutex_lock(&w->lock);
    int busy = w->stop || w->now_requested || w->import_requested;
    atomic_store(&w->scrub_cancel, busy);
    pthread_mutex_unlock(&w->lock);
    if (busy)
        return;
    scrub_opts o = {.cancel = &w->scrub_cancel};
    scrub_result res;
    if (scrub_installed(dir, due == 2, &o, (int64_t)time(NULL), &res) != SCRUB_DAMAGED)
        return;
    pthread_mutex_lock(&w->lock);
    snprintf(w->info.last_message, sizeof w->info.last_message, "scrub: %.240s", res.message);
    w->now_requested = 1;
    pthread_mutex_unlock(&w->lock);
    if (res.switched && w->cfg.notify)
        w->cfg.notify(w->cfg.notify_user, SYNC_FAILED, res.live);
}

static void *worker_main(void *arg)
{
    syncworker *w = arg;
    int first = 1, failures = 0;
    for (;;) {
        int64_t delay = plan_next(w, first, failures);
        uint64_t t0 = platform_now_ms();
        scrub_turn(w);
        int64_t spent = (int64_t)((platform_now_ms() - t0) / 1000u);
        if (wait_turn(w, delay > spent ? delay - spent : 0) < 0)
            break;
        first = 0;
        sync_outcome out = run_turn(w);
        failures = out == SYNC_FAILED ? failures + 1 : out == SYNC_CANCELLED ? failures : 0;
        pthread_mutex_lock(&w->lock);
        w->info.running = 0;
        pthread_mutex_unlock(&w->lock);
        if (out == SYNC_CANCELLED)
            break;
    }
    return NULL;
}

syncworker *syncworker_start(const syncworker_cfg *cfg, char *err, size_t errcap)
{
    if (schedule_validate(&cfg->schedule, err, errcap) < 0)
        return NULL;
    syncworker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    w->cfg = *cfg;
    w->cfg.sync.net.cancel = &w->cancel;
    w->cfg.sync.progress = on_progress;
    w->cfg.sync.user = w;
    scrub_note_start(cfg->sync.state_dir);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* a wall-clock jump must not stretch a wait */
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    if (rc != 0) {
        snprintf(err, errcap, "cannot start the sync thread: %s", strerror(rc));
        scrub_note_stop(cfg->sync.state_dir);
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void syncworker_now(syncworker *w)
{
    pthread_mutex_lock(&w->lock);
    w->now_requested = 1;
    atomic_store(&w->scrub_cancel, 1);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void syncworker_get_info(syncworker *w, syncworker_info *out)
{
    pthread_mutex_lock(&w->lock);
    *out = w->info;
    pthread_mutex_unlock(&w->lock);
}

void syncworker_stop(syncworker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    atomic_store(&w->cancel, 1);
    atomic_store(&w->scrub_cancel, 1);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    scrub_note_stop(w->cfg.sync.state_dir); /* a clean stop: no scrub owed */
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

void syncworker_import(syncworker *w)
{
    pthread_mutex_lock(&w->lock);
    w->import_requested = 1;
    atomic_store(&w->scrub_cancel, 1);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}
