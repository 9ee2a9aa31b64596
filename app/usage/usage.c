/* usage — one day's counters (usage.h). */
#include "usage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What a key may be made of: route ids and anchors, language codes,
 * numbers, and single spaces between words. Nothing a person can type
 * into the search field fits through: no capitals, no Cyrillic. */
static bool key_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr("/#._-", ch) != NULL;
}

static bool key_valid(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n >= USAGE_KEY_MAX || key[0] == ' ' || key[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!key_char(key[i]) && !(key[i] == ' ' && key[i + 1] != ' '))
            return false;
    return true;
}

void usage_day_init(usage_day *d, const char *day)
{
    d->n = 0;
    d->dropped = 0;
    snprintf(d->day, sizeof d->day, "%s", day);
}

/* Where key is, or where it would go, in the sorted table. */
static int find_slot(const usage_day *d, const char *key, bool *found)
{
    int lo = 0, hi = d->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2, c = strcmp(d->c[mid].key, key);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

/* Counts saturate: a wrapped counter would be a lie. */
static uint32_t plus(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

int usage_add(usage_day *d, const char *key, uint32_t n)
{
    bool found;
    if (!key_valid(key))
        return -1;
    int at = find_slot(d, key, &found);
    if (!found) {
        if (d->n == USAGE_DAY_COUNTERS) {
            d->dropped = plus(d->dropped, n);
            return -2;
        }
        memmove(&d->c[at + 1], &d->c[at], (size_t)(d->n - at) * sizeof d->c[0]);
        snprintf(d->c[at].key, sizeof d->c[at].key, "%s", key);
        d->c[at].count = 0;
        d->n++;
    }
    d->c[at].count = plus(d->c[at].count, n);
    return 0;
}

uint32_t usage_get(const usage_day *d, const char *key)
{
    bool found;
    int at = find_slot(d, key, &found);
    return found ? d->c[at].count : 0;
}

/* A language code as a key word: two or three letters, else "other". */
static const char *lang_word(const char *lang)
{
    size_t n = lang ? strlen(lang) : 0;
    if (n < 2 || n > 3)
        return "other";
    for (size_t i = 0; i < n; i++)
        if (lang[i] < 'a' || lang[i] > 'z')
            return "other";
    return lang;
}

void usage_session(usage_day *d, int hour)
{
    char key[32];
    usage_add(d, "session", 1);
    if (hour >= 0 && hour < 24) {
        snprintf(key, sizeof key, "session.hour %02d", hour);
        usage_add(d, key, 1);
    }
}

void usage_view(usage_day *d, const char *lang, const char *route)
{
    char key[USAGE_KEY_MAX];
    int n = snprintf(key, sizeof key, "view %s %s", lang_word(lang), route);
    if (n < 0 || (size_t)n >= sizeof key || strchr(route, ' ') || usage_add(d, key, 1) == -1) {
        snprintf(key, sizeof key, "view %s other", lang_word(lang));
        usage_add(d, key, 1);
    }
}

void usage_language(usage_day *d, const char *lang)
{
    char key[32];
    snprintf(key, sizeof key, "language %s", lang_word(lang));
    usage_add(d, key, 1);
}

void usage_text_size(usage_day *d, int step)
{
    char key[32];
    snprintf(key, sizeof key, "text_size %d", step >= 0 && step <= 9 ? step : 9);
    usage_add(d, key, 1);
}

void usage_search(usage_day *d, bool found)
{
    usage_add(d, found ? "search found" : "search none", 1);
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

void usage_totals_add(usage_totals *t, const usage_day *d)
{
    bool any = false;
    for (int i = 0; i < d->n; i++) {
        const usage_counter *c = &d->c[i];
        any = any || c->count > 0;
        if (!strcmp(c->key, "session"))
            t->sessions = plus(t->sessions, c->count);
        else if (starts(c->key, "view "))
            t->views = plus(t->views, c->count);
        else if (!strcmp(c->key, "search found"))
            t->searches_found = plus(t->searches_found, c->count);
        else if (!strcmp(c->key, "search none"))
            t->searches_none = plus(t->searches_none, c->count);
        else if (starts(c->key, "language "))
            t->languages = plus(t->languages, c->count);
        else if (starts(c->key, "text_size "))
            t->text_sizes = plus(t->text_sizes, c->count);
    }
    if (any)
        t->days++;
}

/* Appends to out as snprintf would, counting what did not fit. */
static void append(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*len < cap ? out + *len : NULL, *len < cap ? cap - *len : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += (size_t)n;
}

size_t usage_format(const usage_day *d, char *out, size_t cap)
{
    size_t len = 0;
    if (cap > 0)
        out[0] = '\0';
    append(out, cap, &len, "# infopoint usage %s: counts only\n", d->day);
    for (int i = 0; i < d->n; i++)
        append(out, cap, &len, "%u %s\n", (unsigned)d->c[i].count, d->c[i].key);
    if (d->dropped)
        append(out, cap, &len, "# dropped %u\n", (unsigned)d->dropped);
    return len;
}

/* One "<count> <key>" line. Returns 0 or -1 with why. */
static int parse_line(usage_day *d, const char *line, size_t n, char *why, size_t cap)
{
    char buf[USAGE_KEY_MAX + 16];
    unsigned long long count = 0;
    size_t i = 0;
    if (n >= sizeof buf) {
        snprintf(why, cap, "line too long");
        return -1;
    }
    memcpy(buf, line, n);
    buf[n] = '\0';
    while (i < n && buf[i] >= '0' && buf[i] <= '9' && i < 11)
        count = count * 10 + (unsigned long long)(buf[i++] - '0');
    if (i == 0 || i >= n || buf[i] != ' ' || count > UINT32_MAX) {
        snprintf(why, cap, "not '<count> <key>'");
        return -1;
    }
    if (usage_add(d, buf + i + 1, (uint32_t)count) == -1) {
        snprintf(why, cap, "not a counter name");
        return -1;
    }
    return 0;
}

int usage_parse(usage_day *d, const char *day, const char *text, size_t len, char *err, size_t errcap)
{
    usage_day_init(d, day);
    size_t at = 0;
    for (int line = 1; at < len; line++) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        char why[64];
        if (!nl) {
            snprintf(err, errcap, "line %d: no end of line (cut short)", line);
            return -1;
        }
        unsigned dropped;
        if (n > 10 && !strncmp(text + at, "# dropped ", 10) && sscanf(text + at + 10, "%u", &dropped) == 1)
            d->dropped = plus(d->dropped, dropped);
        else if (n > 0 && text[at] != '#' && parse_line(d, text + at, n, why, sizeof why) < 0) {
            snprintf(err, errcap, "line %d: %s", line, why);
            return -1;
        }
        at += n + 1;
    }
    return 0;
}

int usage_day_number(const char *day, int64_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, dd, n = 0;
    if (strlen(day) != 10 || day[4] != '-' || day[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (day[i] < '0' || day[i] > '9'))
            return -1;
    if (sscanf(day, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 || n != 10 || m < 1 || m > 12 || dd < 1 ||
        dd > mdays[m - 1])
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && dd == 29 && !leap)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd};
    *out = (int64_t)timegm(&tm) / 86400; /* UTC midnight: whole days, no time zone */
    return 0;
}

bool usage_day_expired(const char *day, const char *today, int keep)
{
    int64_t a, b;
    if (usage_day_number(day, &a) < 0 || usage_day_number(today, &b) < 0)
        return true;
    return b - a >= keep;
}
