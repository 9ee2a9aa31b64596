/* report — a kiosk's check-in report: what the organisation learns about
 * one kiosk (software and content versions, the sync's last check, success
 * and error, uptime, restarts, disk, memory, screen, the kind of screen it
 * shows, and its usage counters), as the small text file the kiosk uploads
 * and the fleet page reads back. Pure: no clock, no files, no network.
 *
 * Privacy: a report holds no text a person typed, no touch position and no
 * time finer than the hour: times are written as "YYYY-MM-DDTHHZ", the
 * screen as its kind ("item", not which), the usage as counts.
 *
 * The text, "key: value" per line after the line "infopoint-report 1",
 * stays under REPORT_MAX bytes; usage lines that would not fit are left
 * out (the top items first). Unknown keys are ignored when it is read
 * back, so a newer kiosk's report still reads. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of a report at most: it must cost under 4 KB on the wire. */
#define REPORT_MAX 3072
/* Days of usage a report carries, today included. */
#define REPORT_DAYS 14
/* Most-viewed screens a report names, over its days. */
#define REPORT_TOP 12
#define REPORT_TEXT_MAX 256

typedef struct {
    char day[11];                  /* "YYYY-MM-DD" */
    uint32_t sessions, views, found, none;
} report_day;

typedef struct {
    char lang[4];
    char route[96];                /* "item/constitution" */
    uint32_t views;
} report_top;

typedef struct {
    char kiosk_id[64];
    char software[32];
    int64_t reported;              /* wall clock, rounded down to the hour when written */
    char content_version[32];
    char content_created[32];      /* as the bundle says (its publication) */
    char content_digest[72];
    int64_t snapshot_version;      /* 0: none installed; -1: unknown */
    int64_t last_check, last_success; /* 0: never; -1: unknown; hour */
    char last_error[REPORT_TEXT_MAX];
    int stale;                     /* 1, 0; -1: unknown */
    int64_t uptime_s;              /* whole minutes */
    int restarts;                  /* starts of the kiosk since the machine booted, -1: unknown */
    int64_t disk_free, memory;     /* bytes, -1: unknown */
    int screen_w, screen_h;
    char showing[16];              /* route kind: home, item, search, admin, out-of-service */
    /* usage */
    int n_days;
    report_day days[REPORT_DAYS];  /* newest first */
    uint32_t hours[24];            /* sessions by local hour, over the days */
    int n_top;
    report_top top[REPORT_TOP];    /* most views first */
} report;

/* A report with every value unknown. */
void report_init(report *r);

/* Writes r's text into out (cap >= REPORT_MAX). Returns its length. */
size_t report_format(const report *r, char *out, size_t cap);

/* Reads a report's text. Returns 0, or -1 with why in err (not a report:
 * the first line is wrong, or a known key's value does not parse). */
int report_parse(const char *text, size_t len, report *r, char *err, size_t errcap);

/* Adds one day's counter (usage.h names: "session", "session.hour 14",
 * "view LANG ROUTE", "search found", "search none") to days[day_index]
 * and hours; other names are not reported. */
void report_add_counter(report *r, int day_index, const char *key, uint32_t count);

/* Offers a screen's views over all the days for the top list, which keeps
 * the REPORT_TOP most viewed (offer each screen once, with its total). */
void report_offer_top(report *r, const char *lang, const char *route, uint32_t views);

/* "2026-12-05T14Z" for t (UTC), the hour a report may show. */
void report_hour(int64_t t, char out[16]);
