/* fleet — the organisation's view of its kiosks: the check-in reports
 * (report.h) in a folder, as the web server received them, judged and
 * shown as a table or one self-contained HTML page with inline SVG charts
 * (views per day, top screens per language, sessions by hour, the kiosks'
 * states). `infopoint-bundle fleet`.
 *
 * A kiosk is flagged offline when its report is older than two report
 * intervals (the file's time, as the server wrote it), behind when its
 * installed update is older than the repository's current one, stale when
 * its update information expired, erroring when its last sync failed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* Reports read from one folder at most; more are left out (and said). */
#define FLEET_MAX_KIOSKS 4096

typedef struct {
    report r;
    char file[256];                /* the report's file name */
    int64_t seen;                  /* the file's modification time */
    bool offline, behind, stale, erroring;
} fleet_kiosk;

typedef struct {
    fleet_kiosk *k;                /* sorted by kiosk id */
    int n;
    int skipped;                   /* files that are no report (or beyond the cap) */
    int64_t now;                   /* when judged */
    int interval_s;                /* the kiosks' report interval */
    int64_t current;               /* the repository's version, 0: unknown */
} fleet;

/* Reads every *.txt report in dir. Returns 0, or -1 with err when dir
 * cannot be read; a file that is no report is skipped with a warning. */
int fleet_read(const char *dir, fleet *f, char *err, size_t errcap);

/* Frees what fleet_read made. */
void fleet_free(fleet *f);

/* Sets every kiosk's flags for now, the report interval and the
 * repository's current version (0: unknown, nobody is behind). Pure. */
void fleet_judge(fleet *f, int64_t now, int interval_s, int64_t current);

/* True when any flag of k is set. */
bool fleet_flagged(const fleet_kiosk *k);

/* The table, one kiosk a line, and a summary line. */
void fleet_print(const fleet *f, FILE *out);

/* The page: no script, no outside resource; every text from a report is
 * escaped. */
void fleet_write_html(const fleet *f, FILE *out);
