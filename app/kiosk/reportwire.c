#include "reportwire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "platform.h"
#include "report.h"
#include "reporter.h"
#include "sync.h"
#include "syncstate.h"

/* The first report waits this long after start: the kiosk is up and its
 * screen drawn, and a kiosk in a restart loop says so soon. */
#define REPORT_FIRST_MS 5000u
/* Screen pictures: at most one a day, at most this wide. */
#define PICTURE_EVERY_S 86400
#define PICTURE_MAX_W 640

struct reportwire {
    const config *c;
    reporter *rp;
    int64_t started;               /* wall clock */
    int restarts;                  /* starts since boot, this one included */
    uint32_t due;                  /* SDL ticks of the next report */
};

/* The reporter's settings from c; reads the password file. Returns 0, or
 * -1 with err. */
static int reporter_cfg_of(const config *c, reporter_cfg *rc, char *err, size_t errcap)
{
    memset(rc, 0, sizeof *rc);
    snprintf(rc->url, sizeof rc->url, "%s", c->report_url);
    snprintf(rc->user, sizeof rc->user, "%s", c->report_user);
    snprintf(rc->ca_file, sizeof rc->ca_file, "%s", c->report_ca_file);
    snprintf(rc->client_cert, sizeof rc->client_cert, "%s", c->report_client_cert);
    snprintf(rc->client_key, sizeof rc->client_key, "%s", c->report_client_key);
    snprintf(rc->state_dir, sizeof rc->state_dir, "%s", c->state_dir);
    rc->allow_http = c->report_allow_http;
    rc->retry_max_s = c->report_interval_s;
    if (!c->report_allow_http && strncmp(c->report_url, "https://", 8)) {
        snprintf(err, errcap, "report.url must be https:// (report.allow_http is off)");
        return -1;
    }
    if (c->report_password_file[0]) {
        char *text = NULL;
        size_t len;
        if (platform_read_file(c->report_password_file, sizeof rc->password, &text, &len, err, errcap) < 0)
            return -1;
        text[strcspn(text, "\r\n")] = '\0';
        snprintf(rc->password, sizeof rc->password, "%s", text);
        free(text);
    }
    return 0;
}

/* STATE/restarts holds "BOOT_ID N": starts of the kiosk since this boot. */
static int count_start(const config *c)
{
    char boot[64] = "", path[PLATFORM_PATH_MAX], line[128], *text = NULL, err[200];
    size_t len;
    int n = 0;
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (f) {
        if (!fgets(boot, sizeof boot, f))
            boot[0] = '\0';
        fclose(f);
    }
    boot[strcspn(boot, "\n")] = '\0';
    if (!c->state_dir[0] || !boot[0] || syncstate_path(c->state_dir, "restarts", path, sizeof path) < 0)
        return -1;
    if (platform_read_file(path, 256, &text, &len, err, sizeof err) == 0) {
        char old[64];
        if (sscanf(text, "%63s %d", old, &n) != 2 || strcmp(old, boot) || n < 0)
            n = 0;
        free(text);
    }
    n++;
    int k = snprintf(line, sizeof line, "%s %d\n", boot, n);
    if (platform_write_atomic(path, line, (size_t)k, err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_WARN, "report: %s", err);
    return n;
}

/* The kind of screen shown ("item"), never which one or what was typed. */
static void screen_kind(const app *a, char *out, size_t cap)
{
    char route[600];
    if (!a || !a->u) {
        snprintf(out, cap, "none");
        return;
    }
    if (!a->s) {
        snprintf(out, cap, "out-of-service");
        return;
    }
    ui_current_route(a->u, route, sizeof route);
    route[strcspn(route, "/?#")] = '\0';
    snprintf(out, cap, "%.15s", route);
}

/* What the kiosk knows about itself, on the main thread. */
static void gather(const config *c, const app *a, store *s, int64_t started, int restarts, report *r)
{
    char why[300];
    report_init(r);
    snprintf(r->kiosk_id, sizeof r->kiosk_id, "%s", c->kiosk_id);
    snprintf(r->software, sizeof r->software, "%s", INFOPOINT_VERSION);
    r->reported = (int64_t)time(NULL);
    r->uptime_s = started > 0 ? r->reported - started : -1;
    r->restarts = restarts;
    long rss_kb = platform_status_kb("VmRSS");
    r->memory = rss_kb < 0 ? -1 : (int64_t)rss_kb * 1024;
    if (s) {
        store_meta(s, "bundle_version", r->content_version, sizeof r->content_version);
        /* The publication's date when it was published (publish stamps
         * it), else the date the editor built it. */
        if (store_meta(s, "published", r->content_created, sizeof r->content_created) < 0)
            store_meta(s, "created", r->content_created, sizeof r->content_created);
    }
    screen_kind(a, r->showing, sizeof r->showing);
    if (!c->state_dir[0])
        return;
    syncstate_current cur;
    syncstate_status st;
    int have = syncstate_read_current(c->state_dir, &cur, why, sizeof why);
    r->snapshot_version = have == 0 ? (int64_t)cur.version : have == 1 ? 0 : -1;
    if (have == 0)
        snprintf(r->content_digest, sizeof r->content_digest, "%s", cur.digest);
    if (syncstate_read_status(c->state_dir, &st, why, sizeof why) >= 0) {
        r->last_check = st.last_attempt;
        r->last_success = st.last_success;
        r->stale = st.stale;
        snprintf(r->last_error, sizeof r->last_error, "%s", st.last_error);
    }
    r->disk_free = platform_free_bytes(c->state_dir);
}

reportwire *reportwire_start(const config *c, uint32_t now)
{
    char err[400];
    reporter_cfg rc;
    int restarts = count_start(c);
    if (!c->report_url[0])
        return NULL;
    reportwire *rw = calloc(1, sizeof *rw);
    if (!rw)
        return NULL;
    rw->c = c;
    rw->started = (int64_t)time(NULL);
    rw->restarts = restarts;
    rw->due = now + REPORT_FIRST_MS;
    if (reporter_cfg_of(c, &rc, err, sizeof err) < 0 || !(rw->rp = reporter_start(&rc, err, sizeof err))) {
        platform_log(PLATFORM_LOG_ERROR, "report: no check-in reports: %s", err);
        free(rw);
        return NULL;
    }
    platform_log(PLATFORM_LOG_INFO, "report: every %d s to %s", c->report_interval_s, c->report_url);
    return rw;
}

void reportwire_stop(reportwire *rw)
{
    if (!rw)
        return;
    reporter_stop(rw->rp);
    free(rw);
}

void reportwire_sync_turn(reportwire *rw, uint32_t now)
{
    if (rw)
        rw->due = now;
}

deadline reportwire_deadline(const reportwire *rw, uint32_t now)
{
    (void)now;
    return rw ? deadline_at(rw->due) : deadline_none();
}

/* Draws the screen again and keeps a small picture of it in
 * STATE/screenshot.png for the reporter, once a day (the file's time). */
static void take_picture(reportwire *rw, const app *a, SDL_Renderer *sdl, int w, int h)
{
    char path[PLATFORM_PATH_MAX], err[300];
    struct stat st;
    if (!rw->c->report_screenshot || !rw->c->state_dir[0] ||
        syncstate_path(rw->c->state_dir, "screenshot.png", path, sizeof path) < 0)
        return;
    if (stat(path, &st) == 0 && time(NULL) - st.st_mtime < PICTURE_EVERY_S)
        return;
    ui_draw(a->u);
    int rc = render_save_png_scaled(sdl, w, h, PICTURE_MAX_W, path, err, sizeof err);
    SDL_RenderPresent(sdl);
    if (rc < 0) {
        platform_log(PLATFORM_LOG_WARN, "report: no screen picture: %s", err);
        return;
    }
    reporter_submit_picture(rw->rp, path);
}

void reportwire_tick(reportwire *rw, const app *a, SDL_Renderer *sdl, int w, int h, bool idle_home, uint32_t now)
{
    static report r; /* main thread */
    if (!rw || (int32_t)(now - rw->due) < 0)
        return;
    if (idle_home && a->s)
        take_picture(rw, a, sdl, w, h);
    gather(rw->c, a, a->s, rw->started, rw->restarts, &r);
    r.screen_w = w;
    r.screen_h = h;
    reporter_submit(rw->rp, &r);
    rw->due = now + (uint32_t)rw->c->report_interval_s * 1000u;
}

int reportwire_once(const config *c)
{
    static report r;
    static char text[REPORT_MAX];
    char err[400], live[PLATFORM_PATH_MAX];
    reporter_cfg rc;
    if (!c->report_url[0]) {
        fprintf(stderr, "infopoint: --report-once: no report.url in the config\n");
        return 1;
    }
    if (reporter_cfg_of(c, &rc, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: --report-once: %s\n", err);
        return 1;
    }
    store_status ss;
    const char *path = c->state_dir[0] && sync_live_bundle(c->state_dir, live, sizeof live) == 0 ? live
                                                                                                : c->fallback_bundle;
    store *s = store_open(path, &ss, err, sizeof err);
    gather(c, NULL, s, 0, -1, &r);
    store_close(s);
    uint64_t t0 = platform_now_us();
    reporter_collect_usage(&r, c->state_dir, r.reported);
    size_t len = report_format(&r, text, sizeof text);
    int rc2 = reporter_put(&rc, r.kiosk_id, text, len, err, sizeof err);
    double ms = (double)(platform_now_us() - t0) / 1000.0;
    if (rc2 < 0) {
        fprintf(stderr, "infopoint: --report-once: %s\n", err);
        return 1;
    }
    printf("report: uploaded %zu bytes in %.1f ms\n", len, ms);
    return 0;
}
