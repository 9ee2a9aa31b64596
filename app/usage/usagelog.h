/* usagelog — the usage counters kept in the state directory: one file per
 * local day, STATE/usage/YYYY-MM-DD.txt (usage.h's text form), the last
 * USAGE_KEEP_DAYS days and no more.
 *
 * Counting is in memory; a changed day is written at most USAGE_FLUSH_MS
 * after its first change, and when the day ends or the log closes. Each
 * write replaces the file atomically (temporary file, fsync, rename, fsync
 * of the directory), so a kill -9 or a power cut loses at most the last
 * minute of counts and never leaves a damaged file. A file that does not
 * parse (written by something else) is set aside as .damaged, logged, and
 * the day starts again from zero.
 *
 * Times: now_unix (wall clock, for the day and the hour) and now_ms (the
 * caller's monotonic milliseconds, for when to write) come from the caller,
 * so tests drive both. */
#pragma once

#include <stdint.h>

#include "deadline.h"
#include "usage.h"

/* Days kept, today included. */
#define USAGE_KEEP_DAYS 90
/* Counts wait at most this long in memory. */
#define USAGE_FLUSH_MS 60000u
/* Bytes a day file may have when read back. */
#define USAGE_FILE_MAX (2u * USAGE_TEXT_MAX)

typedef struct usagelog usagelog;

/* Opens STATE/usage (made if missing), reads today's counts and deletes
 * days that expired. Returns the log, or NULL with err. */
usagelog *usagelog_open(const char *state_dir, int64_t now_unix, char *err, size_t errcap);

/* Writes what changed and frees the log (NULL is fine). */
void usagelog_close(usagelog *l);

/* Today's counters, to count into; then call usagelog_changed. A new day
 * writes the old one first. hour: the local hour of now_unix, for
 * usage_session (may be NULL). */
usage_day *usagelog_today(usagelog *l, int64_t now_unix, int *hour);

/* Something was counted at now_ms: written by USAGE_FLUSH_MS from the
 * first change. */
void usagelog_changed(usagelog *l, uint32_t now_ms);

/* When the changed counts must be written; unset when nothing waits (an
 * idle kiosk is never woken by the counters). */
deadline usagelog_deadline(const usagelog *l, uint32_t now_ms);

/* Writes the changed counts when their time has come. */
void usagelog_tick(usagelog *l, uint32_t now_ms);

/* Writes the changed counts now. Returns 0, or -1 with err (logged by the
 * callers that cannot report it: tick and close). */
int usagelog_flush(usagelog *l, char *err, size_t errcap);

/* Totals of today and of all the days kept (today included). The days
 * before today are read once, at open and when the day changes. */
void usagelog_totals(const usagelog *l, usage_totals *today, usage_totals *kept);

/* Reads the day file of day from STATE/usage into d (an empty day when
 * there is none). Returns 0, 1 when there is none, -1 when it is damaged. */
int usagelog_read_day(const char *state_dir, const char *day, usage_day *d);

/* The local date of a Unix time, "YYYY-MM-DD", and its hour. */
void usagelog_local_day(int64_t unix_s, char day[USAGE_DAY_LEN], int *hour);
