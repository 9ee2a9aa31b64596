/* reporter — check-in reports by HTTP PUT, on a thread (reporter.h). */
#include "reporter.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curlfn.h"
#include "platform.h"
#include "usagelog.h"

/* ---- the usage counters ------------------------------------------------- */

void reporter_collect_usage(report *r, const char *state_dir, int64_t now_unix)
{
    static usage_day day, sum; /* the reporter thread, or --report-once: one at a time */
    r->n_days = 0;
    memset(r->hours, 0, sizeof r->hours);
    r->n_top = 0;
    if (!state_dir[0])
        return;
    usage_day_init(&sum, "");
    for (int i = 0; i < REPORT_DAYS; i++) {
        char name[USAGE_DAY_LEN];
        usagelog_local_day(now_unix - (int64_t)i * 86400, name, NULL);
        if (usagelog_read_day(state_dir, name, &day) != 0)
            continue;
        report_day *d = &r->days[r->n_days];
        memset(d, 0, sizeof *d);
        snprintf(d->day, sizeof d->day, "%s", name);
        for (int k = 0; k < day.n; k++) {
            report_add_counter(r, r->n_days, day.c[k].key, day.c[k].count);
            if (!strncmp(day.c[k].key, "view ", 5))
                usage_add(&sum, day.c[k].key, day.c[k].count);
        }
        r->n_days++;
    }
    for (int k = 0; k < sum.n; k++) {
        char lang[8], route[USAGE_KEY_MAX];
        if (sscanf(sum.c[k].key, "view %7s %159s", lang, route) == 2)
            report_offer_top(r, lang, route, sum.c[k].count);
    }
}

/* ---- one upload ------------------------------------------------------------ */

int reporter_url(const char *base, const char *kiosk_id, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%s%s", base, base[0] && base[strlen(base) - 1] == '/' ? "" : "/");
    /* Servers decode %2F differently (nginx makes it a folder): the name is
     * made safe instead, the same on every server. */
    for (const char *p = kiosk_id; *p && n + 1 < cap; p++) {
        bool safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    *p == '-' || *p == '_' || (*p == '.' && p != kiosk_id);
        out[n++] = safe ? *p : '_';
    }
    if (n + 5 > cap || !kiosk_id[0])
        return -1;
    memcpy(out + n, ".txt", 5);
    return 0;
}

typedef struct {
    const char *data;
    size_t len, at;
    const atomic_int *cancel;      /* NULL: never */
} body;

static size_t read_body(char *buf, size_t size, size_t nitems, void *user)
{
    body *b = user;
    size_t n = size * nitems, left = b->len - b->at;
    if (n > left)
        n = left;
    memcpy(buf, b->data + b->at, n);
    b->at += n;
    return n;
}

static size_t drop_body(char *buf, size_t size, size_t nitems, void *user)
{
    (void)buf, (void)user;
    return size * nitems; /* the server's answer is not read, only its status */
}

static int on_progress(void *user, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    const body *x = user;
    return x->cancel && atomic_load(x->cancel) ? 1 : 0;
}

static int put_with(const reporter_cfg *cfg, const char *url, const char *type, body *b, char *err, size_t errcap)
{
    char errbuf[CURL_ERROR_SIZE] = "", content_type[64];
    int rc = -1;
    long status = 0;
    /* libcurl is loaded by the first upload, on this thread, after the
     * first frame; without it the upload fails like any other (and is
     * retried after the back-off, with the same message). */
    const curlfn *curl = curlfn_load(err, errcap);
    if (!curl)
        return -1;
    CURL *c = curl->easy_init();
    snprintf(content_type, sizeof content_type, "Content-Type: %s", type);
    struct curl_slist *headers = curl->slist_append(NULL, content_type);
    struct curl_slist *more = headers ? curl->slist_append(headers, "Expect:") : NULL;
    if (more)
        headers = more;
    if (!c || !more) {
        snprintf(err, errcap, "out of memory");
        goto done;
    }
    curl->easy_setopt(c, CURLOPT_URL, url);
    curl->easy_setopt(c, CURLOPT_PROTOCOLS_STR, cfg->allow_http ? "https,http" : "https");
    curl->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* a PUT is not replayed elsewhere */
    curl->easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl->easy_setopt(c, CURLOPT_READFUNCTION, read_body);
    curl->easy_setopt(c, CURLOPT_READDATA, b);
    curl->easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)b->len);
    curl->easy_setopt(c, CURLOPT_WRITEFUNCTION, drop_body);
    curl->easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)REPORTER_CONNECT_TIMEOUT_S);
    curl->easy_setopt(c, CURLOPT_TIMEOUT, (long)(cfg->max_time_s > 0 ? cfg->max_time_s : REPORTER_MAX_TIME_S));
    curl->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 64L);
    curl->easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 10L);
    curl->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl->easy_setopt(c, CURLOPT_XFERINFODATA, b);
    curl->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl->easy_setopt(c, CURLOPT_USERAGENT, "infopoint/" INFOPOINT_VERSION);
    if (cfg->user[0]) {
        curl->easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl->easy_setopt(c, CURLOPT_USERNAME, cfg->user);
        curl->easy_setopt(c, CURLOPT_PASSWORD, cfg->password);
    }
    if (cfg->ca_file[0])
        curl->easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
    if (cfg->client_cert[0]) {
        curl->easy_setopt(c, CURLOPT_SSLCERT, cfg->client_cert);
        if (cfg->client_key[0])
            curl->easy_setopt(c, CURLOPT_SSLKEY, cfg->client_key);
    }
    CURLcode res = curl->easy_perform(c);
    curl->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (res != CURLE_OK)
        snprintf(err, errcap, "%s", errbuf[0] ? errbuf : curl->easy_strerror(res));
    else if (status < 200 || status > 299)
        snprintf(err, errcap, "HTTP %ld", status);
    else
        rc = 0;
done:
    curl->slist_free_all(headers);
    if (c)
        curl->easy_cleanup(c);
    return rc;
}

static int put_report(const reporter_cfg *cfg, const char *kiosk_id, const char *text, size_t len,
                      const atomic_int *cancel, char *err, size_t errcap)
{
    char url[2300];
    body b = {text, len, 0, cancel};
    if (reporter_url(cfg->url, kiosk_id, url, sizeof url) < 0) {
        snprintf(err, errcap, "report URL too long");
        return -1;
    }
    return put_with(cfg, url, "text/plain; charset=utf-8", &b, err, errcap);
}

/* The picture at path as <kiosk_id>.png. */
static int put_picture(const reporter_cfg *cfg, const char *kiosk_id, const char *path, const atomic_int *cancel,
                       char *err, size_t errcap)
{
    char url[2300], *data = NULL;
    size_t len;
    if (reporter_url(cfg->url, kiosk_id, url, sizeof url) < 0 || strlen(url) < 4) {
        snprintf(err, errcap, "picture URL too long");
        return -1;
    }
    memcpy(url + strlen(url) - 4, ".png", 4);
    if (platform_read_file(path, REPORTER_PICTURE_MAX, &data, &len, err, errcap) < 0)
        return -1;
    body b = {data, len, 0, cancel};
    int rc = put_with(cfg, url, "image/png", &b, err, errcap);
    free(data);
    return rc;
}

int reporter_put(const reporter_cfg *cfg, const char *kiosk_id, const char *text, size_t len, char *err,
                 size_t errcap)
{
    return put_report(cfg, kiosk_id, text, len, NULL, err, errcap);
}

/* ---- the thread ------------------------------------------------------------ */

struct reporter {
    reporter_cfg cfg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_int stop;
    bool pending;                  /* a report waits (guarded by lock) */
    report next;                   /* it (guarded by lock) */
    int64_t not_before;            /* monotonic ms: the back-off (thread only) */
    int delay_s;                   /* the current back-off step */
    reporter_info info;            /* guarded by lock */
    char picture[1024];            /* a PNG to upload after the next report, "" none (guarded by lock) */
};

/* Waits until a report is due (pending and past the back-off) or stop.
 * Returns true with the report in *out. Called with the lock held. */
static bool wait_due(reporter *rp, report *out)
{
    while (!atomic_load(&rp->stop)) {
        int64_t now = (int64_t)platform_now_ms();
        if (rp->pending && now >= rp->not_before) {
            *out = rp->next;
            rp->pending = false;
            return true;
        }
        if (!rp->pending) {
            pthread_cond_wait(&rp->wake, &rp->lock);
        } else {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t ms = rp->not_before - now;
            ts.tv_sec += (time_t)(ms / 1000);
            ts.tv_nsec += (long)(ms % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&rp->wake, &rp->lock, &ts);
        }
    }
    return false;
}

/* The screen picture asked for, if any: one try. */
static void try_picture(reporter *rp, const char *kiosk_id)
{
    char path[sizeof rp->picture], err[256];
    pthread_mutex_lock(&rp->lock);
    snprintf(path, sizeof path, "%s", rp->picture);
    rp->picture[0] = '\0';
    pthread_mutex_unlock(&rp->lock);
    if (!path[0])
        return;
    if (put_picture(&rp->cfg, kiosk_id, path, &rp->stop, err, sizeof err) < 0) {
        platform_log(PLATFORM_LOG_WARN, "report: screen picture not uploaded: %s", err);
        return;
    }
    pthread_mutex_lock(&rp->lock);
    rp->info.pictures++;
    pthread_mutex_unlock(&rp->lock);
    platform_log(PLATFORM_LOG_INFO, "report: screen picture uploaded (%lld bytes)", (long long)platform_file_size(path));
}

/* One try: the usage, the text, the upload; the back-off after a failure. */
static void try_upload(reporter *rp, report *r)
{
    static char text[REPORT_MAX];
    char err[256] = "";
    uint64_t t0 = platform_now_us();
    reporter_collect_usage(r, rp->cfg.state_dir, r->reported);
    size_t len = report_format(r, text, sizeof text);
    int rc = put_report(&rp->cfg, r->kiosk_id, text, len, &rp->stop, err, sizeof err);
    double ms = (double)(platform_now_us() - t0) / 1000.0;
    int min = rp->cfg.retry_min_s > 0 ? rp->cfg.retry_min_s : REPORTER_RETRY_MIN_S;
    pthread_mutex_lock(&rp->lock);
    rp->info.last_worker_ms = ms;
    rp->info.last_bytes = len;
    if (rc == 0) {
        rp->info.uploads++;
        rp->info.failures_in_row = 0;
        rp->info.last_error[0] = '\0';
        rp->delay_s = 0;
    } else {
        rp->info.failures++;
        rp->info.failures_in_row++;
        snprintf(rp->info.last_error, sizeof rp->info.last_error, "%s", err);
        rp->delay_s = rp->delay_s ? rp->delay_s * 2 : min;
        if (rp->delay_s > rp->cfg.retry_max_s && rp->cfg.retry_max_s >= min)
            rp->delay_s = rp->cfg.retry_max_s;
        rp->not_before = (int64_t)platform_now_ms() + (int64_t)rp->delay_s * 1000;
        if (!rp->pending) { /* try this one again, unless a newer one came */
            rp->next = *r;
            rp->pending = true;
        }
    }
    pthread_mutex_unlock(&rp->lock);
    if (rc == 0)
        platform_log(PLATFORM_LOG_INFO, "report: uploaded %zu bytes in %.1f ms", len, ms);
    else if (!atomic_load(&rp->stop))
        platform_log(PLATFORM_LOG_WARN, "report: upload failed (%s); trying again in %d s", err, rp->delay_s);
    if (rc == 0)
        try_picture(rp, r->kiosk_id);
}

static void *run(void *arg)
{
    reporter *rp = arg;
    static report r; /* one reporter thread */
    pthread_mutex_lock(&rp->lock);
    while (wait_due(rp, &r)) {
        pthread_mutex_unlock(&rp->lock);
        try_upload(rp, &r);
        pthread_mutex_lock(&rp->lock);
    }
    pthread_mutex_unlock(&rp->lock);
    return NULL;
}

reporter *reporter_start(const reporter_cfg *cfg, char *err, size_t errcap)
{
    reporter *rp = calloc(1, sizeof *rp);
    if (!rp) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    rp->cfg = *cfg;
    pthread_mutex_init(&rp->lock, NULL);
    pthread_cond_init(&rp->wake, NULL);
    atomic_init(&rp->stop, 0);
    int e = pthread_create(&rp->thread, NULL, run, rp);
    if (e) {
        snprintf(err, errcap, "cannot start the report thread: %s", strerror(e));
        pthread_cond_destroy(&rp->wake);
        pthread_mutex_destroy(&rp->lock);
        free(rp);
        return NULL;
    }
    return rp;
}

void reporter_submit(reporter *rp, const report *r)
{
    pthread_mutex_lock(&rp->lock);
    rp->next = *r;
    rp->pending = true;
    pthread_cond_signal(&rp->wake);
    pthread_mutex_unlock(&rp->lock);
}

void reporter_submit_picture(reporter *rp, const char *path)
{
    pthread_mutex_lock(&rp->lock);
    snprintf(rp->picture, sizeof rp->picture, "%s", path);
    pthread_mutex_unlock(&rp->lock);
}

void reporter_get_info(reporter *rp, reporter_info *out)
{
    pthread_mutex_lock(&rp->lock);
    *out = rp->info;
    pthread_mutex_unlock(&rp->lock);
}

void reporter_stop(reporter *rp)
{
    if (!rp)
        return;
    pthread_mutex_lock(&rp->lock);
    atomic_store(&rp->stop, 1);
    pthread_cond_signal(&rp->wake);
    pthread_mutex_unlock(&rp->lock);
    pthread_join(rp->thread, NULL);
    pthread_cond_destroy(&rp->wake);
    pthread_mutex_destroy(&rp->lock);
    free(rp);
}
