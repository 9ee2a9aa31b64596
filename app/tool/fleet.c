/* fleet — reports read, judged, printed and drawn (fleet.h). */
#include "fleet.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "platform.h"

/* ---- reading ------------------------------------------------------------- */

static int by_id(const void *a, const void *b)
{
    const fleet_kiosk *x = a, *y = b;
    int c = strcmp(x->r.kiosk_id, y->r.kiosk_id);
    return c ? c : strcmp(x->file, y->file);
}

static bool is_report_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && name[0] != '.' && !strcmp(name + n - 4, ".txt");
}

/* Reads one report file into k. Returns 0, or -1 (a warning printed). */
static int read_one(const char *dir, const char *name, fleet_kiosk *k)
{
    char path[PLATFORM_PATH_MAX], err[300], *text = NULL;
    size_t len;
    struct stat st;
    memset(k, 0, sizeof *k);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (stat(path, &st) < 0 || platform_read_file(path, 64 * 1024, &text, &len, err, sizeof err) < 0 ||
        report_parse(text, len, &k->r, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint-bundle: fleet: %s skipped: %s\n", path, text ? err : "cannot read it");
        free(text);
        return -1;
    }
    free(text);
    snprintf(k->file, sizeof k->file, "%s", name);
    k->seen = (int64_t)st.st_mtime;
    if (!k->r.kiosk_id[0])
        snprintf(k->r.kiosk_id, sizeof k->r.kiosk_id, "%.*s", (int)(strlen(name) - 4), name);
    return 0;
}

int fleet_read(const char *dir, fleet *f, char *err, size_t errcap)
{
    memset(f, 0, sizeof *f);
    DIR *dp = opendir(dir);
    if (!dp) {
        snprintf(err, errcap, "cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    f->k = calloc(FLEET_MAX_KIOSKS, sizeof *f->k);
    if (!f->k) {
        closedir(dp);
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (!is_report_name(e->d_name))
            continue;
        if (f->n == FLEET_MAX_KIOSKS || read_one(dir, e->d_name, &f->k[f->n]) < 0)
            f->skipped++;
        else
            f->n++;
    }
    closedir(dp);
    qsort(f->k, (size_t)f->n, sizeof *f->k, by_id);
    return 0;
}

void fleet_free(fleet *f)
{
    free(f->k);
    memset(f, 0, sizeof *f);
}

/* ---- judging ------------------------------------------------------------- */

void fleet_judge(fleet *f, int64_t now, int interval_s, int64_t current)
{
    f->now = now;
    f->interval_s = interval_s;
    f->current = current;
    for (int i = 0; i < f->n; i++) {
        fleet_kiosk *k = &f->k[i];
        k->offline = now - k->seen > 2 * (int64_t)interval_s;
        k->behind = current > 0 && k->r.snapshot_version >= 0 && k->r.snapshot_version < current;
        k->stale = k->r.stale == 1;
        k->erroring = k->r.last_error[0] != '\0';
    }
}

bool fleet_flagged(const fleet_kiosk *k)
{
    return k->offline || k->behind || k->stale || k->erroring;
}

/* ---- the table ----------------------------------------------------------- */

/* "5 min", "3 h", "2 d" (ago, or of uptime). */
static void span(int64_t s, char *out, size_t cap)
{
    if (s < 0)
        snprintf(out, cap, "-");
    else if (s < 3600)
        snprintf(out, cap, "%lld min", (long long)(s / 60));
    else if (s < 2 * 86400)
        snprintf(out, cap, "%lld h", (long long)(s / 3600));
    else
        snprintf(out, cap, "%lld d", (long long)(s / 86400));
}

static void flags_text(const fleet_kiosk *k, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s%s", k->offline ? "OFFLINE " : "", k->behind ? "BEHIND " : "",
             k->stale ? "STALE " : "", k->erroring ? "ERROR " : "");
    size_t n = strlen(out);
    if (n)
        out[n - 1] = '\0';
    else
        snprintf(out, cap, "ok");
}

static void content_text(const fleet *f, const fleet_kiosk *k, char *out, size_t cap)
{
    char have[24], want[24];
    snprintf(have, sizeof have, "%lld", (long long)k->r.snapshot_version);
    if (k->r.snapshot_version < 0)
        snprintf(have, sizeof have, "?");
    snprintf(want, sizeof want, "%lld", (long long)f->current);
    snprintf(out, cap, "%s/%s", have, f->current > 0 ? want : "?");
}

void fleet_print(const fleet *f, FILE *out)
{
    int counts[5] = {0};
    fprintf(out, "%-24s %-10s %-8s %-8s %-22s %s\n", "KIOSK", "SEEN", "UPDATE", "UPTIME", "FLAGS", "LAST ERROR");
    for (int i = 0; i < f->n; i++) {
        const fleet_kiosk *k = &f->k[i];
        char seen[24], up[24], content[56], flags[48];
        span(f->now - k->seen, seen, sizeof seen);
        span(k->r.uptime_s, up, sizeof up);
        content_text(f, k, content, sizeof content);
        flags_text(k, flags, sizeof flags);
        fprintf(out, "%-24.64s %-10s %-8s %-8s %-22s %.60s\n", k->r.kiosk_id, seen, content, up, flags,
                k->r.last_error[0] ? k->r.last_error : "-");
        counts[0] += !fleet_flagged(k), counts[1] += k->offline, counts[2] += k->behind;
        counts[3] += k->stale, counts[4] += k->erroring;
    }
    fprintf(out, "%d kiosks: %d ok, %d offline, %d behind, %d stale, %d erroring\n", f->n, counts[0], counts[1],
            counts[2], counts[3], counts[4]);
}
