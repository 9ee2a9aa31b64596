/* schedule — see schedule.h for the contract.
 *
 * All arithmetic is in int64 seconds. Validation bounds every input (interval
 * at most 30 days, jitter at most 50 %), so products below stay far from
 * overflow; the back-off doubles only while below its cap, so any failure
 * count is safe. Random values come from one 32-bit number: scaled by
 * multiply-and-shift (exact, no modulo bias, both ends reachable), and for
 * the window spread first passed through a bijective mixer so the spread is
 * not tied to the jitter drawn from the same number.
 */
#include "schedule.h"

#include <assert.h>
#include <stdio.h>

#define DAY_MIN 1440
#define DAY_S 86400
#define MIN_S 60

void schedule_defaults(schedule_cfg *cfg)
{
    assert(cfg);
    cfg->interval_s = 6 * 3600;
    cfg->jitter_pct = 10;
    cfg->first_delay_s = 60;
    cfg->backoff_min_s = 60;
    cfg->backoff_max_s = 3600;
    cfg->window_start_min = -1;
    cfg->window_end_min = -1;
}

static int fail(char *err, size_t errcap, const char *why)
{
    if (err && errcap > 0)
        snprintf(err, errcap, "%s", why);
    return -1;
}

static const char *invalid_reason(const schedule_cfg *c)
{
    if (c->interval_s < SCHEDULE_MIN_INTERVAL_S)
        return "interval must be at least 60 s";
    if (c->interval_s > SCHEDULE_MAX_INTERVAL_S)
        return "interval must be at most 30 days";
    if (c->jitter_pct < 0 || c->jitter_pct > SCHEDULE_MAX_JITTER_PCT)
        return "jitter must be 0 to 50 %";
    if (c->first_delay_s < 0 || c->first_delay_s > c->interval_s)
        return "first delay must be 0 to the interval";
    if (c->backoff_min_s < 1)
        return "back-off minimum must be at least 1 s";
    if (c->backoff_max_s < c->backoff_min_s)
        return "back-off maximum is below its minimum";
    if (c->window_start_min < -1 || c->window_start_min >= DAY_MIN || c->window_end_min < -1 ||
        c->window_end_min >= DAY_MIN)
        return "window times must be within 00:00-23:59";
    if ((c->window_start_min < 0) != (c->window_end_min < 0))
        return "window needs both a start and an end";
    if (c->window_start_min >= 0 && c->window_start_min == c->window_end_min)
        return "window start equals end";
    return NULL;
}

int schedule_validate(const schedule_cfg *cfg, char *err, size_t errcap)
{
    assert(cfg);
    const char *why = invalid_reason(cfg);
    if (why)
        return fail(err, errcap, why);
    if (err && errcap > 0)
        err[0] = '\0';
    return 0;
}

/* Reads "H:MM" or "HH:MM" at *p into minutes and advances *p; -1 if malformed. */
static int parse_hhmm(const char **p)
{
    const char *s = *p;
    int h = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 2) {
        h = h * 10 + (*s++ - '0');
        digits++;
    }
    if (digits == 0 || *s++ != ':')
        return -1;
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
        return -1;
    int m = (s[0] - '0') * 10 + (s[1] - '0');
    if (h > 23 || m > 59)
        return -1;
    *p = s + 2;
    return h * 60 + m;
}

int schedule_parse_window(const char *s, int *start_min, int *end_min)
{
    assert(start_min && end_min);
    if (!s)
        return -1;
    int start = parse_hhmm(&s);
    if (start < 0)
        return -1;
    while (*s == ' ')
        s++;
    if (*s++ != '-')
        return -1;
    while (*s == ' ')
        s++;
    int end = parse_hhmm(&s);
    if (end < 0 || *s != '\0' || end == start)
        return -1;
    *start_min = start;
    *end_min = end;
    return 0;
}

/* Uniform in [lo, hi], both ends reachable (rnd 0 -> lo, UINT32_MAX -> hi). */
static int64_t pick(uint32_t rnd, int64_t lo, int64_t hi)
{
    assert(lo <= hi && hi - lo < (int64_t)UINT32_MAX);
    return lo + (int64_t)(((uint64_t)rnd * (uint64_t)(hi - lo + 1)) >> 32);
}

/* MurmurHash3's finaliser: a bijection on 32 bits, so the result is still
 * uniform, but no longer ordered like its input. */
static uint32_t mix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static int64_t mod(int64_t a, int64_t n)
{
    int64_t r = a % n;
    return r < 0 ? r + n : r;
}

static int has_window(const schedule_cfg *cfg)
{
    return cfg->window_start_min >= 0;
}

static int64_t window_len_min(const schedule_cfg *cfg)
{
    return mod(cfg->window_end_min - cfg->window_start_min, DAY_MIN);
}

int schedule_in_window(const schedule_cfg *cfg, int m)
{
    assert(cfg);
    if (!has_window(cfg))
        return 1;
    return mod((int64_t)m - cfg->window_start_min, DAY_MIN) < window_len_min(cfg);
}

static int64_t backoff_s(const schedule_cfg *cfg, int failures)
{
    int64_t cap = cfg->backoff_max_s < cfg->interval_s ? cfg->backoff_max_s : cfg->interval_s;
    int64_t d = cfg->backoff_min_s;
    /* d stays <= cap (at most 30 days) before each doubling: no overflow, and
     * the loop ends after a few dozen rounds whatever the failure count. */
    for (int i = 1; i < failures && d < cap; i++)
        d *= 2;
    return d < cap ? d : cap;
}

/* base ± up to jitter_pct %, in whole seconds. */
static int64_t jittered(const schedule_cfg *cfg, int64_t base, uint32_t rnd)
{
    int64_t span = base * cfg->jitter_pct / 100;
    return base + pick(rnd, -span, span);
}

/* delay, or if the check would then start outside the window, the delay to
 * the next opening plus a random spread. The spread ends a minute before
 * SCHEDULE_SPREAD_MIN (or the window's end) so that any second of now's
 * minute still lands inside. */
static int64_t fit_window(const schedule_cfg *cfg, int64_t delay, uint32_t rnd, int now_local_min)
{
    int64_t len_s = window_len_min(cfg) * MIN_S;
    int64_t at = mod(now_local_min, DAY_MIN) * MIN_S + delay; /* seconds after today's midnight */
    int64_t into = mod(at - (int64_t)cfg->window_start_min * MIN_S, DAY_S);
    if (into <= len_s - MIN_S)
        return delay;
    int64_t spread_min = window_len_min(cfg) < SCHEDULE_SPREAD_MIN ? window_len_min(cfg) : SCHEDULE_SPREAD_MIN;
    int64_t spread = pick(mix32(rnd), 0, (spread_min - 1) * MIN_S);
    return delay + (DAY_S - into) + spread;
}

int64_t schedule_delay(const schedule_cfg *cfg, int first, int failures, uint32_t rnd, int now_local_min)
{
    assert(cfg && schedule_validate(cfg, NULL, 0) == 0);
    assert(failures >= 0);
    int64_t delay;
    if (first)
        delay = pick(rnd, cfg->first_delay_s / 2, cfg->first_delay_s);
    else if (failures > 0)
        delay = jittered(cfg, backoff_s(cfg, failures), rnd);
    else
        delay = jittered(cfg, cfg->interval_s, rnd);
    if (has_window(cfg))
        delay = fit_window(cfg, delay, rnd, now_local_min);
    assert(delay >= 0);
    return delay;
}
