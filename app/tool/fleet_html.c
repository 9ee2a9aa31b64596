/* fleet_html — the fleet page: one HTML file, its charts as inline SVG,
 * no script and nothing fetched from elsewhere (fleet.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fleet.h"

/* Distinct days, screens on the page; more are left out. */
#define PAGE_DAYS 14
#define PAGE_SCREENS 2048
#define PAGE_TOP 6

typedef struct {
    const char *label;
    double value;
    const char *color;             /* NULL: the chart's */
} bar;

/* A chart with nothing to show says so instead of an empty frame. */
static bool empty(FILE *out, const bar *b, int n)
{
    for (int i = 0; i < n; i++)
        if (b[i].value > 0)
            return false;
    fputs("<p class=\"none\">No counts reported yet.</p></figure>\n", out);
    return true;
}

/* Text from a report is outside input: escaped wherever it goes. */
static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* The largest value of a chart, at least 1 (the scale of its bars). */
static double largest(const bar *b, int n)
{
    double max = 1;
    for (int i = 0; i < n; i++)
        if (b[i].value > max)
            max = b[i].value;
    return max;
}

/* Opens a chart's figure with its caption. */
static void figure(FILE *out, const char *title)
{
    fputs("<figure><figcaption>", out);
    esc(out, title);
    fputs("</figcaption>", out);
}

/* Vertical bars with their labels below and values above. */
static void columns(FILE *out, const char *title, const bar *b, int n, const char *color)
{
    const int w = 640, h = 220, top = 24, bottom = 36;
    double max = largest(b, n);
    figure(out, title);
    if (empty(out, b, n))
        return;
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\">\n", w, h);
    double step = n ? (double)(w - 20) / n : 0;
    if (step > 60)
        step = 60; /* a few days are bars, not walls */
    for (int i = 0; i < n; i++) {
        double bh = (h - top - bottom) * b[i].value / max, x = 10 + i * step;
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x + step * 0.1,
                h - bottom - bh, step * 0.8, bh, b[i].color ? b[i].color : color);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"v\">%.0f</text>", x + step / 2, h - bottom - bh - 4,
                b[i].value);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"l\">", x + step / 2, h - bottom + 14);
        esc(out, b[i].label);
        fputs("</text>\n", out);
    }
    fputs("</svg></figure>\n", out);
}

/* Horizontal bars, a label on the left of each. */
static void rows(FILE *out, const char *title, const bar *b, int n, const char *color)
{
    const int w = 640, lw = 260, rh = 24;
    double max = largest(b, n);
    figure(out, title);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\">\n", w,
            n * rh + 8);
    for (int i = 0; i < n; i++) {
        double bw = (w - lw - 60) * b[i].value / max;
        int y = 4 + i * rh;
        fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"r\">", lw - 8, y + 16);
        esc(out, b[i].label);
        fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", lw, y + 3, bw,
                rh - 6, b[i].color ? b[i].color : color);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"s\">%.0f</text>\n", lw + bw + 6, y + 16, b[i].value);
    }
    fputs("</svg></figure>\n", out);
}

/* ---- what the charts add up ------------------------------------------------ */

typedef struct {
    char day[11];
    double views, sessions;
} day_sum;

static int newest_first(const void *a, const void *b)
{
    return strcmp(((const day_sum *)b)->day, ((const day_sum *)a)->day);
}

static void chart_days(FILE *out, const fleet *f)
{
    static day_sum d[PAGE_DAYS * 8];
    int n = 0;
    for (int i = 0; i < f->n; i++)
        for (int j = 0; j < f->k[i].r.n_days; j++) {
            const report_day *rd = &f->k[i].r.days[j];
            int at = 0;
            while (at < n && strcmp(d[at].day, rd->day))
                at++;
            if (at == n) {
                if (n == (int)(sizeof d / sizeof *d))
                    continue;
                memset(&d[n], 0, sizeof d[n]);
                snprintf(d[n++].day, sizeof d[0].day, "%s", rd->day);
            }
            d[at].views += rd->views;
            d[at].sessions += rd->sessions;
        }
    qsort(d, (size_t)n, sizeof *d, newest_first);
    if (n > PAGE_DAYS)
        n = PAGE_DAYS;
    bar b[PAGE_DAYS];
    for (int i = 0; i < n; i++) /* oldest on the left */
        b[i] = (bar){d[n - 1 - i].day + 5, d[n - 1 - i].views, NULL};
    columns(out, "Screens viewed per day (all kiosks)", b, n, "#2a7f9e");
}

static void chart_hours(FILE *out, const fleet *f)
{
    static const char *const hours[24] = {"0",  "1",  "2",  "3",  "4",  "5",  "6",  "7",  "8",  "9",  "10", "11",
                                          "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23"};
    bar b[24];
    for (int h = 0; h < 24; h++) {
        b[h] = (bar){hours[h], 0, NULL};
        for (int i = 0; i < f->n; i++)
            b[h].value += f->k[i].r.hours[h];
    }
    columns(out, "Sessions by hour of the day (local time of each kiosk)", b, 24, "#6a4c93");
}

typedef struct {
    char lang[4];
    char route[96];
    double views;
} screen_sum;

static int most_viewed(const void *a, const void *b)
{
    double x = ((const screen_sum *)a)->views, y = ((const screen_sum *)b)->views;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void chart_top(FILE *out, const fleet *f)
{
    static screen_sum s[PAGE_SCREENS];
    static const char *const langs[] = {"kk", "ru", "en"};
    int n = 0;
    for (int i = 0; i < f->n; i++)
        for (int j = 0; j < f->k[i].r.n_top; j++) {
            const report_top *t = &f->k[i].r.top[j];
            int at = 0;
            while (at < n && (strcmp(s[at].route, t->route) || strcmp(s[at].lang, t->lang)))
                at++;
            if (at == n && n < PAGE_SCREENS) {
                memset(&s[n], 0, sizeof s[n]);
                snprintf(s[n].lang, sizeof s[n].lang, "%s", t->lang);
                snprintf(s[n++].route, sizeof s[0].route, "%s", t->route);
            }
            if (at < n)
                s[at].views += t->views;
        }
    qsort(s, (size_t)n, sizeof *s, most_viewed);
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
        bar b[PAGE_TOP];
        int m = 0;
        char title[64];
        for (int i = 0; i < n && m < PAGE_TOP; i++)
            if (!strcmp(s[i].lang, langs[l]))
                b[m++] = (bar){s[i].route, s[i].views, NULL};
        snprintf(title, sizeof title, "Most viewed screens in %s", langs[l]);
        if (m)
            rows(out, title, b, m, "#3c8d5a");
    }
}

static void chart_states(FILE *out, const fleet *f)
{
    bar b[5] = {{"ok", 0, "#3c8d5a"}, {"offline", 0, NULL}, {"behind", 0, NULL}, {"stale", 0, NULL}, {"erroring", 0, NULL}};
    for (int i = 0; i < f->n; i++) {
        const fleet_kiosk *k = &f->k[i];
        b[0].value += !fleet_flagged(k), b[1].value += k->offline, b[2].value += k->behind;
        b[3].value += k->stale, b[4].value += k->erroring;
    }
    rows(out, "Kiosks by state", b, 5, "#c0392b");
}

/* ---- the page ------------------------------------------------------------------ */

static void kiosk_row(FILE *out, const fleet *f, const fleet_kiosk *k)
{
    char seen[32];
    time_t t = (time_t)k->seen;
    struct tm tm;
    strftime(seen, sizeof seen, "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
    fprintf(out, "<tr class=\"%s\"><td>", fleet_flagged(k) ? "bad" : "good");
    esc(out, k->r.kiosk_id);
    fprintf(out, "</td><td>%s UTC</td><td>%lld", seen, (long long)k->r.snapshot_version);
    if (f->current > 0)
        fprintf(out, " / %lld", (long long)f->current);
    if (k->r.uptime_s < 0)
        fputs("</td><td>-</td><td>", out);
    else
        fprintf(out, "</td><td>%lld h</td><td>", (long long)(k->r.uptime_s / 3600));
    if (!fleet_flagged(k))
        fputs("ok", out);
    fprintf(out, "%s%s%s%s</td><td>", k->offline ? "<b>offline</b> " : "", k->behind ? "<b>behind</b> " : "",
            k->stale ? "<b>stale</b> " : "", k->erroring ? "<b>error</b>" : "");
    esc(out, k->r.last_error);
    fputs("</td></tr>\n", out);
}

static const char style[] =
    "body{font:15px/1.4 system-ui,sans-serif;margin:24px;color:#1d2433;background:#f6f4ef}"
    "h1{font-size:22px}table{border-collapse:collapse;background:#fff;margin-bottom:24px}"
    "td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}tr.bad td{background:#fbe9e7}"
    "figure{display:inline-block;margin:0 24px 24px 0;background:#fff;padding:8px;vertical-align:top}"
    "figcaption{font-weight:600;margin-bottom:4px}svg{width:640px;max-width:100%}"
    "text{font-size:11px;fill:#1d2433}.v,.l{text-anchor:middle}.r{text-anchor:end;font-size:12px}"
    ".s{font-size:12px}.none{color:#667;width:640px;margin:8px 0}";

void fleet_write_html(const fleet *f, FILE *out)
{
    char now[32];
    time_t t = (time_t)f->now;
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%d %H:%M", gmtime_r(&t, &tm));
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width\">\n<title>infopoint fleet</title>\n"
                 "<style>%s</style></head><body>\n", style);
    fprintf(out, "<h1>infopoint fleet: %d kiosks</h1>\n<p>As of %s UTC. Offline: no report for two intervals "
                 "(%d s each). Counts only: no text anyone typed, no time finer than the hour.</p>\n",
            f->n, now, f->interval_s);
    fputs("<table><tr><th>Kiosk</th><th>Last report</th><th>Update</th><th>Uptime</th><th>State</th>"
          "<th>Last error</th></tr>\n", out);
    for (int i = 0; i < f->n; i++)
        kiosk_row(out, f, &f->k[i]);
    fputs("</table>\n", out);
    chart_states(out, f);
    chart_days(out, f);
    chart_hours(out, f);
    chart_top(out, f);
    fputs("</body></html>\n", out);
}
