/* schedule — when the content sync checks for an update next.
 *
 * Pure: no clock, no random source, no I/O. The caller passes a uniformly
 * random 32-bit number and the local time of day, and gets back how many
 * seconds to sleep; the same inputs always give the same delay.
 *
 * The delay has three parts:
 *   base    the first check soon after start; then every interval_s after a
 *           success; after failures an exponential back-off from
 *           backoff_min_s, capped at backoff_max_s and never above interval_s;
 *   jitter  each base (except the first, which has its own random range) is
 *           spread by up to ± jitter_pct %, so a fleet started together (a
 *           power cut, a mass roll-out) does not hit the server at once;
 *   window  with a daily window set, a check that would start outside it is
 *           moved to the next opening plus a random spread over the first hour
 *           (or the whole window if shorter), for the same reason.
 *
 * Time of day is in whole local minutes; the caller's seconds within the
 * minute are not known here, so a delay is only accepted as "inside the
 * window" if it is inside for any second of that minute: a check never starts
 * after the window closed, even by a few seconds. Around a daylight-saving
 * change a landing may be off by the hour shift; a caller that cares checks
 * schedule_in_window() when it wakes and asks for a new delay if not.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Shortest and longest accepted interval between successful checks. */
#define SCHEDULE_MIN_INTERVAL_S 60
#define SCHEDULE_MAX_INTERVAL_S (30 * 86400)
/* Largest accepted jitter: beyond this the interval means little. */
#define SCHEDULE_MAX_JITTER_PCT 50
/* A check moved to a window opening lands within this many minutes of it. */
#define SCHEDULE_SPREAD_MIN 60

/* How often and when to check. Set with schedule_defaults(), then override;
 * schedule_delay() requires a configuration that schedule_validate() accepts. */
typedef struct {
    int64_t interval_s;    /* between successful checks; default 6 h */
    int jitter_pct;        /* ± this percent of each delay; default 10 */
    int64_t first_delay_s; /* first check after start, random in [first_delay_s/2, first_delay_s]; default 60 */
    int64_t backoff_min_s; /* delay after the first failure, doubled per further failure; default 60 */
    int64_t backoff_max_s; /* cap of the back-off (interval_s caps it too); default 1 h */
    int window_start_min;  /* daily window opening, local minutes since midnight [0, 1440); -1: no window */
    int window_end_min;    /* window end (exclusive) [0, 1440), -1 with no window; may wrap midnight */
} schedule_cfg;

/* Fill in the defaults: every 6 h ± 10 %, first within a minute, back-off 1 min to 1 h, no window. */
void schedule_defaults(schedule_cfg *cfg);

/* 0 if cfg is usable, else -1 with a one-line reason in err (err may be NULL). */
int schedule_validate(const schedule_cfg *cfg, char *err, size_t errcap);

/* Parse "HH:MM-HH:MM" (hours may be one digit, spaces allowed around '-'); 0, or -1 leaving the outputs alone. */
int schedule_parse_window(const char *s, int *start_min, int *end_min);

/* Seconds from now until the next check (>= 0). first: no check has run since
 * start; failures: consecutive failed checks (0 after a success); rnd: uniformly
 * random; now_local_min: local minutes since midnight, used only with a window. */
int64_t schedule_delay(const schedule_cfg *cfg, int first, int failures, uint32_t rnd, int now_local_min);

/* 1 if a check may start at local minute m of the day (always 1 without a window). */
int schedule_in_window(const schedule_cfg *cfg, int m);
