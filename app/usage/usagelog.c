/* usagelog — the counters' days in the state directory (usagelog.h). */
#include "usagelog.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"

struct usagelog {
    char dir[PLATFORM_PATH_MAX];   /* STATE/usage */
    usage_day today;
    usage_totals before;           /* the kept days before today */
    bool dirty;                    /* today has counts not yet written */
    uint32_t dirty_since;          /* now_ms of the first of them */
};

void usagelog_local_day(int64_t unix_s, char day[USAGE_DAY_LEN], int *hour)
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    if (strftime(day, USAGE_DAY_LEN, "%Y-%m-%d", &tm) != 10)
        snprintf(day, USAGE_DAY_LEN, "1970-01-01"); /* a year beyond 9999 */
    if (hour)
        *hour = tm.tm_hour;
}

static int day_path(const char *dir, const char *day, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s.txt", dir, day);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Reads dir/day.txt; a damaged one is renamed .damaged and counts as none. */
static int read_day(const char *dir, const char *day, usage_day *d, bool set_aside)
{
    char path[PLATFORM_PATH_MAX], err[300], *text = NULL;
    size_t len = 0;
    usage_day_init(d, day);
    if (day_path(dir, day, path, sizeof path) < 0)
        return -1;
    if (!platform_is_file(path))
        return 1;
    int rc = platform_read_file(path, USAGE_FILE_MAX, &text, &len, err, sizeof err);
    if (rc == 0 && usage_parse(d, day, text, len, err, sizeof err) < 0)
        rc = -1;
    free(text);
    if (rc < 0) {
        platform_log(PLATFORM_LOG_WARN, "usage counters %s: %s; starting that day again", path, err);
        usage_day_init(d, day);
        if (set_aside) {
            char aside[PLATFORM_PATH_MAX + 16];
            snprintf(aside, sizeof aside, "%s.damaged", path);
            rename(path, aside);
        }
    }
    return rc;
}

int usagelog_read_day(const char *state_dir, const char *day, usage_day *d)
{
    char dir[PLATFORM_PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/usage", state_dir) >= (int)sizeof dir) {
        usage_day_init(d, day);
        return -1;
    }
    return read_day(dir, day, d, false);
}

/* Deletes expired days and sums the others before today. */
static void scan_days(usagelog *l)
{
    DIR *dp = opendir(l->dir);
    struct dirent *e;
    memset(&l->before, 0, sizeof l->before);
    if (!dp)
        return;
    usage_day *d = malloc(sizeof *d);
    while ((e = readdir(dp)) != NULL) {
        char day[USAGE_DAY_LEN], path[PLATFORM_PATH_MAX];
        size_t n = strlen(e->d_name);
        if (n != 14 || strcmp(e->d_name + 10, ".txt"))
            continue;
        snprintf(day, sizeof day, "%.10s", e->d_name);
        if (usage_day_expired(day, l->today.day, USAGE_KEEP_DAYS)) {
            if (day_path(l->dir, day, path, sizeof path) == 0 && unlink(path) == 0)
                platform_log(PLATFORM_LOG_INFO, "usage counters: deleted %s (older than %d days)", path,
                             USAGE_KEEP_DAYS);
        } else if (d && strcmp(day, l->today.day) && read_day(l->dir, day, d, false) == 0) {
            usage_totals_add(&l->before, d);
        }
    }
    closedir(dp);
    free(d);
}

usagelog *usagelog_open(const char *state_dir, int64_t now_unix, char *err, size_t errcap)
{
    usagelog *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (snprintf(l->dir, sizeof l->dir, "%s/usage", state_dir) >= (int)sizeof l->dir) {
        snprintf(err, errcap, "state directory path too long");
        goto fail;
    }
    if (mkdir(l->dir, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errcap, "cannot make %s: %s", l->dir, strerror(errno));
        goto fail;
    }
    char day[USAGE_DAY_LEN];
    usagelog_local_day(now_unix, day, NULL);
    read_day(l->dir, day, &l->today, true);
    scan_days(l);
    return l;
fail:
    free(l);
    return NULL;
}

int usagelog_flush(usagelog *l, char *err, size_t errcap)
{
    static char text[USAGE_TEXT_MAX];   /* UI thread only */
    char path[PLATFORM_PATH_MAX];
    if (!l->dirty)
        return 0;
    size_t len = usage_format(&l->today, text, sizeof text);
    if (len >= sizeof text || day_path(l->dir, l->today.day, path, sizeof path) < 0) {
        snprintf(err, errcap, "usage counters of %s do not fit", l->today.day);
        return -1;
    }
    if (platform_write_atomic(path, text, len, err, errcap) < 0)
        return -1;
    l->dirty = false;
    return 0;
}

static void flush_logged(usagelog *l)
{
    char err[400];
    if (usagelog_flush(l, err, sizeof err) < 0) {
        platform_log(PLATFORM_LOG_WARN, "usage counters: %s (trying again in %u s)", err, USAGE_FLUSH_MS / 1000u);
        l->dirty = true;
    }
}

void usagelog_close(usagelog *l)
{
    if (!l)
        return;
    flush_logged(l);
    free(l);
}

usage_day *usagelog_today(usagelog *l, int64_t now_unix, int *hour)
{
    char day[USAGE_DAY_LEN];
    usagelog_local_day(now_unix, day, hour);
    if (strcmp(day, l->today.day)) {
        flush_logged(l);
        l->dirty = false; /* a day that cannot be written is not carried into the next */
        read_day(l->dir, day, &l->today, true);
        scan_days(l);
    }
    return &l->today;
}

void usagelog_changed(usagelog *l, uint32_t now_ms)
{
    if (!l->dirty)
        l->dirty_since = now_ms;
    l->dirty = true;
}

deadline usagelog_deadline(const usagelog *l, uint32_t now_ms)
{
    (void)now_ms;
    return l->dirty ? deadline_at(l->dirty_since + USAGE_FLUSH_MS) : deadline_none();
}

void usagelog_tick(usagelog *l, uint32_t now_ms)
{
    if (l->dirty && (int32_t)(now_ms - (l->dirty_since + USAGE_FLUSH_MS)) >= 0) {
        flush_logged(l);
        if (l->dirty)
            l->dirty_since = now_ms; /* failed: try again one interval later */
    }
}

void usagelog_totals(const usagelog *l, usage_totals *today, usage_totals *kept)
{
    memset(today, 0, sizeof *today);
    usage_totals_add(today, &l->today);
    *kept = l->before;
    usage_totals_add(kept, &l->today);
}
