/* usage — the usage counters of one day, privacy first: counts only.
 *
 * A day is a table of named counters ("view kk item/constitution", "search
 * found", "session.hour 14"): views per screen and language, sessions and
 * the hour they began, languages and text sizes chosen, searches with and
 * without results. No key can hold what a person typed, where a finger
 * was, or a time finer than the hour: keys are built here from routes,
 * language codes and numbers, and any character outside [a-z0-9/#._-] is
 * refused. Pure: no clock, no files (usagelog.h keeps the days on disk).
 *
 * The text form, one file per day, is "<count> <key>" per line, sorted by
 * key, after a comment line; it is outside input when read back and
 * usage_parse checks all of it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of a key, NUL included: "view kk " and a route of ids. */
#define USAGE_KEY_MAX 160
/* Counters in one day. A content of 10,000 items is not all read on one
 * day; what does not fit is counted in dropped, never lost silently. */
#define USAGE_DAY_COUNTERS 512
/* "YYYY-MM-DD" and its NUL. */
#define USAGE_DAY_LEN 11
/* Bytes of a day's text at most: every counter at full length. */
#define USAGE_TEXT_MAX (USAGE_DAY_COUNTERS * (USAGE_KEY_MAX + 12) + 256)

typedef struct {
    char key[USAGE_KEY_MAX];
    uint32_t count;
} usage_counter;

typedef struct {
    char day[USAGE_DAY_LEN];       /* local date, "YYYY-MM-DD" */
    int n;                         /* counters in use, sorted by key */
    usage_counter c[USAGE_DAY_COUNTERS];
    uint32_t dropped;              /* counts that found no room (a full table) */
} usage_day;

/* Sums over days, for the operator screen and the reports. */
typedef struct {
    uint32_t sessions;
    uint32_t views;
    uint32_t searches_found, searches_none;
    uint32_t languages;            /* languages chosen */
    uint32_t text_sizes;           /* text sizes chosen */
    int days;                      /* days that had any count */
} usage_totals;

/* An empty day. */
void usage_day_init(usage_day *d, const char *day);

/* Adds n to the counter key (made if new). Returns 0; -1 when the key is
 * not a valid key (nothing counted), -2 when the table is full (counted in
 * dropped). */
int usage_add(usage_day *d, const char *key, uint32_t n);

/* The count of key, 0 when there is none. */
uint32_t usage_get(const usage_day *d, const char *key);

/* A session began at this local hour (0..23). */
void usage_session(usage_day *d, int hour);

/* A screen was shown in language lang: route as the ui reports it (no
 * query). A route with other characters is counted as "view LANG other". */
void usage_view(usage_day *d, const char *lang, const char *route);

/* A language was chosen. */
void usage_language(usage_day *d, const char *lang);

/* A text size was chosen (0..9). */
void usage_text_size(usage_day *d, int step);

/* A search was left, having found something or not. */
void usage_search(usage_day *d, bool found);

/* Adds d's counts to t. */
void usage_totals_add(usage_totals *t, const usage_day *d);

/* Writes d's text form into out (NUL-terminated when cap > 0). Returns
 * its length; a result >= cap means it did not fit. */
size_t usage_format(const usage_day *d, char *out, size_t cap);

/* Reads a day's text form (len bytes) into d, for the day given. Returns
 * 0, or -1 with "line N: why" in err (d then holds the lines before). */
int usage_parse(usage_day *d, const char *day, const char *text, size_t len, char *err, size_t errcap);

/* Days since 1970-01-01 of "YYYY-MM-DD" in *out. Returns 0, or -1 when it
 * is not such a date. */
int usage_day_number(const char *day, int64_t *out);

/* True when day is not among the keep days that end with today (and so
 * is deleted), or not a date at all. A day after today is kept (a clock
 * set back must not delete the counts). */
bool usage_day_expired(const char *day, const char *today, int keep);
