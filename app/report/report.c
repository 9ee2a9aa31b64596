/* report — the check-in report's text (report.h). */
#include "report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAGIC "infopoint-report 1"

void report_init(report *r)
{
    memset(r, 0, sizeof *r);
    r->reported = r->snapshot_version = r->last_check = r->last_success = -1;
    r->uptime_s = r->disk_free = r->memory = -1;
    r->stale = r->restarts = -1;
}

void report_hour(int64_t t, char out[16])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm) || strftime(out, 16, "%Y-%m-%dT%HZ", &tm) == 0)
        snprintf(out, 16, "%s", t == 0 ? "never" : "-");
}

static int64_t parse_hour(const char *s)
{
    struct tm tm = {0};
    int n = 0;
    if (!strcmp(s, "never"))
        return 0;
    if (sscanf(s, "%4d-%2d-%2dT%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &n) != 4 || s[n])
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

/* ---- writing ---------------------------------------------------------- */

typedef struct {
    char *out;
    size_t cap, len;
    bool full;                     /* a line did not fit and was left out */
} writer;

/* Appends one whole line, or nothing when it does not fit. */
static void line(writer *w, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf || w->len + (size_t)n + 2 > w->cap) {
        w->full = true;
        return;
    }
    memcpy(w->out + w->len, buf, (size_t)n);
    w->len += (size_t)n;
    w->out[w->len++] = '\n';
    w->out[w->len] = '\0';
}

/* One line of printable ASCII-or-UTF-8 text: control characters become
 * spaces (an error message must not forge a line). */
static void one_line(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++)
        out[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? ' ' : in[i];
    out[i] = '\0';
}

static void facts(writer *w, const report *r)
{
    char a[16], b[16], c[16], err[REPORT_TEXT_MAX];
    report_hour(r->reported, a);
    line(w, MAGIC);
    line(w, "kiosk: %s", r->kiosk_id);
    line(w, "software: %s", r->software);
    line(w, "reported: %s", a);
    line(w, "content_version: %s", r->content_version[0] ? r->content_version : "-");
    line(w, "content_created: %s", r->content_created[0] ? r->content_created : "-");
    line(w, "content_digest: %s", r->content_digest[0] ? r->content_digest : "-");
    line(w, "snapshot: %" PRId64, r->snapshot_version);
    report_hour(r->last_check, b);
    report_hour(r->last_success, c);
    line(w, "last_check: %s", b);
    line(w, "last_success: %s", c);
    one_line(r->last_error, err, sizeof err);
    line(w, "last_error: %s", err);
    line(w, "stale: %d", r->stale);
    line(w, "uptime_s: %" PRId64, r->uptime_s < 0 ? -1 : r->uptime_s / 60 * 60);
    line(w, "restarts: %d", r->restarts);
    line(w, "disk_free: %" PRId64, r->disk_free);
    line(w, "memory: %" PRId64, r->memory);
    line(w, "screen: %dx%d", r->screen_w, r->screen_h);
    line(w, "showing: %s", r->showing[0] ? r->showing : "-");
}

static void usage_lines(writer *w, const report *r)
{
    char hours[24 * 11 + 1];
    size_t n = 0;
    for (int i = 0; i < r->n_days; i++) {
        const report_day *d = &r->days[i];
        line(w, "usage_day: %s %u %u %u %u", d->day, (unsigned)d->sessions, (unsigned)d->views,
             (unsigned)d->found, (unsigned)d->none);
    }
    for (int h = 0; h < 24; h++)
        n += (size_t)snprintf(hours + n, sizeof hours - n, "%s%u", h ? " " : "", (unsigned)r->hours[h]);
    line(w, "usage_hours: %s", hours);
    for (int i = 0; i < r->n_top; i++)
        line(w, "usage_top: %s %s %u", r->top[i].lang, r->top[i].route, (unsigned)r->top[i].views);
}

size_t report_format(const report *r, char *out, size_t cap)
{
    writer w = {out, cap < REPORT_MAX ? cap : REPORT_MAX, 0, false};
    if (cap > 0)
        out[0] = '\0';
    facts(&w, r);
    usage_lines(&w, r);
    return w.len;
}

/* ---- counting -------------------------------------------------------- */

static uint32_t plus(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

void report_add_counter(report *r, int day_index, const char *key, uint32_t count)
{
    int hour;
    if (day_index < 0 || day_index >= REPORT_DAYS)
        return;
    report_day *d = &r->days[day_index];
    if (!strcmp(key, "session"))
        d->sessions = plus(d->sessions, count);
    else if (!strncmp(key, "view ", 5))
        d->views = plus(d->views, count);
    else if (!strcmp(key, "search found"))
        d->found = plus(d->found, count);
    else if (!strcmp(key, "search none"))
        d->none = plus(d->none, count);
    else if (sscanf(key, "session.hour %2d", &hour) == 1 && hour >= 0 && hour < 24)
        r->hours[hour] = plus(r->hours[hour], count);
}

void report_offer_top(report *r, const char *lang, const char *route, uint32_t views)
{
    int at = r->n_top;
    while (at > 0 && r->top[at - 1].views < views)
        at--;
    if (at >= REPORT_TOP || strlen(route) >= sizeof r->top[0].route)
        return;
    int last = r->n_top < REPORT_TOP ? r->n_top : REPORT_TOP - 1;
    memmove(&r->top[at + 1], &r->top[at], (size_t)(last - at) * sizeof r->top[0]);
    snprintf(r->top[at].lang, sizeof r->top[at].lang, "%s", lang);
    snprintf(r->top[at].route, sizeof r->top[at].route, "%s", route);
    r->top[at].views = views;
    if (r->n_top < REPORT_TOP)
        r->n_top++;
}

/* ---- reading ---------------------------------------------------------- */

static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_usage(report *r, const char *key, const char *v)
{
    unsigned a, b, c, d;
    char x[16], y[128];
    int n = 0;
    if (!strcmp(key, "usage_day")) {
        if (r->n_days >= REPORT_DAYS || sscanf(v, "%10s %u %u %u %u%n", x, &a, &b, &c, &d, &n) != 5 || v[n])
            return -1;
        report_day *day = &r->days[r->n_days++];
        snprintf(day->day, sizeof day->day, "%.10s", x);
        day->sessions = a, day->views = b, day->found = c, day->none = d;
    } else if (!strcmp(key, "usage_hours")) {
        for (int h = 0; h < 24; h++) {
            if (sscanf(v, "%u%n", &a, &n) != 1)
                return -1;
            r->hours[h] = a;
            v += n;
        }
    } else if (!strcmp(key, "usage_top")) {
        if (r->n_top >= REPORT_TOP || sscanf(v, "%3s %95s %u%n", x, y, &a, &n) != 3 || v[n])
            return -1;
        report_offer_top(r, x, y, a);
    }
    return 0;
}

/* One "key: value" line into r. Returns 0, or -1 (a known key's bad value). */
static int parse_pair(report *r, const char *key, const char *v)
{
    int64_t i = 0;
#define TEXT(k, f)              \
    if (!strcmp(key, k)) {      \
        snprintf(f, sizeof f, "%s", strcmp(v, "-") ? v : ""); \
        return 0;               \
    }
#define HOUR(k, f)              \
    if (!strcmp(key, k))        \
        return (f = parse_hour(v)) < 0 && strcmp(v, "-") ? -1 : 0;
#define NUM(k, f)               \
    if (!strcmp(key, k))        \
        return parse_i64(v, &i) < 0 ? -1 : (f = i, 0);
    TEXT("kiosk", r->kiosk_id)
    TEXT("software", r->software)
    TEXT("content_version", r->content_version)
    TEXT("content_created", r->content_created)
    TEXT("content_digest", r->content_digest)
    TEXT("last_error", r->last_error)
    TEXT("showing", r->showing)
    HOUR("reported", r->reported)
    HOUR("last_check", r->last_check)
    HOUR("last_success", r->last_success)
    NUM("snapshot", r->snapshot_version)
    NUM("stale", r->stale)
    NUM("uptime_s", r->uptime_s)
    NUM("restarts", r->restarts)
    NUM("disk_free", r->disk_free)
    NUM("memory", r->memory)
#undef TEXT
#undef HOUR
#undef NUM
    if (!strcmp(key, "screen"))
        return sscanf(v, "%dx%d", &r->screen_w, &r->screen_h) == 2 ? 0 : -1;
    return parse_usage(r, key, v);
}

int report_parse(const char *text, size_t len, report *r, char *err, size_t errcap)
{
    char buf[600];
    report_init(r);
    size_t at = 0;
    for (int no = 1; at < len; no++) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf - 1 ? n : sizeof buf - 1), text + at);
        at += n + 1;
        if (no == 1) {
            if (strcmp(buf, MAGIC)) {
                snprintf(err, errcap, "not an infopoint report (first line '%.40s')", buf);
                return -1;
            }
            continue;
        }
        char *colon = strstr(buf, ": ");
        if (!colon)
            continue; /* a blank or foreign line */
        *colon = '\0';
        if (parse_pair(r, buf, colon + 2) < 0) {
            snprintf(err, errcap, "line %d: bad %s", no, buf);
            return -1;
        }
    }
    if (at == 0) {
        snprintf(err, errcap, "empty");
        return -1;
    }
    return 0;
}
