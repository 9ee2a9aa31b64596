#include "syncstate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bgindex.h"
#include "meta.h"
#include "platform.h"

#define STATE_FILE_MAX 8192

int syncstate_path(const char *dir, const char *name, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

void syncstate_bundle_name(uint64_t version, char out[64])
{
    snprintf(out, 64, "bundle-%" PRIu64 ".ipb", version);
}

static int is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_i64(const char *s, int64_t *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* A time as syncstate_write_status writes it (time_words): Unix seconds,
 * then (when positive) the same moment in ISO 8601 UTC for people. The
 * number alone is believed; the words beside it are only checked to be a
 * UTC time, so a status file from before they were written still reads. */
static int parse_time(char *s, int64_t *out)
{
    char *sp = strchr(s, ' ');
    if (sp) {
        *sp = '\0';
        if (meta_parse_time(sp + 1, &(int64_t){0}) < 0)
            return -1;
    }
    return parse_i64(s, out);
}

/* " 2026-12-05T19:30:00Z" after a positive time, else nothing. */
static const char *time_words(int64_t t, char out[22])
{
    out[0] = '\0';
    if (t > 0) {
        out[0] = ' ';
        meta_format_time(t, out + 1);
    }
    return out;
}

/* Splits the next line of buf at the first space: key and value. Returns 0
 * at the end, 1 with a line, -1 for a line without a space. */
static int next_line(char **cursor, char **key, char **value)
{
    char *p = *cursor;
    if (!*p)
        return 0;
    char *nl = strchr(p, '\n');
    if (!nl)
        return -1; /* every line ends with a newline: a cut file */
    *nl = '\0';
    *cursor = nl + 1;
    char *sp = strchr(p, ' ');
    if (!sp)
        return -1;
    *sp = '\0';
    *key = p;
    *value = sp + 1;
    return 1;
}

/* Reads a file in the format of STATE/current (also STATE/previous). */
static int read_pointer(const char *dir, const char *name, syncstate_current *out, char *err, size_t errcap)
{
    char path[PLATFORM_PATH_MAX], *buf;
    size_t len;
    memset(out, 0, sizeof *out);
    if (syncstate_path(dir, name, path, sizeof path) < 0 || !platform_is_file(path))
        return 1;
    if (platform_read_file(path, STATE_FILE_MAX, &buf, &len, err, errcap) < 0)
        return -1;
    char *cur = buf, *key, *val;
    int got = 0, line = 0, rc;
    while ((rc = next_line(&cur, &key, &val)) == 1) {
        line++;
        if (line == 1 && !strcmp(key, "infopoint-current") && !strcmp(val, "1"))
            got |= 1;
        else if (!strcmp(key, "bundle") && strlen(val) < sizeof out->bundle && !strchr(val, '/'))
            snprintf(out->bundle, sizeof out->bundle, "%s", val), got |= 2;
        else if (!strcmp(key, "version") && parse_u64(val, &out->version) == 0)
            got |= 4;
        else if (!strcmp(key, "snapshot") && is_hex64(val))
            memcpy(out->snapshot, val, 65), got |= 8;
        else if (!strcmp(key, "digest") && is_hex64(val))
            memcpy(out->digest, val, 65), got |= 16;
        else if (!strcmp(key, "root") && parse_u64(val, &out->root) == 0)
            continue; /* optional (and root-sha256): files written before them have none */
        else if (!strcmp(key, "root-sha256") && is_hex64(val))
            memcpy(out->root_sha256, val, 65);
        else
            break;
    }
    free(buf);
    if (rc != 0 || got != 31) {
        if (rc != 0)
            snprintf(err, errcap, "%s is damaged at line %d", path, line + 1);
        else
            snprintf(err, errcap, "%s is incomplete", path);
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

static int write_pointer(const char *dir, const char *name, const syncstate_current *cur, char *err, size_t errcap)
{
    char path[PLATFORM_PATH_MAX], text[512];
    int n = snprintf(text, sizeof text,
                     "infopoint-current 1\nbundle %s\nversion %" PRIu64 "\nsnapshot %s\ndigest %s\nroot %" PRIu64
                     "\n%s%s%s",
                     cur->bundle, cur->version, cur->snapshot, cur->digest, cur->root,
                     cur->root_sha256[0] ? "root-sha256 " : "", cur->root_sha256, cur->root_sha256[0] ? "\n" : "");
    if (syncstate_path(dir, name, path, sizeof path) < 0 || n < 0 || (size_t)n >= sizeof text) {
        snprintf(err, errcap, "state path too long");
        return -1;
    }
    return platform_write_atomic(path, text, (size_t)n, err, errcap);
}

int syncstate_read_current(const char *dir, syncstate_current *out, char *err, size_t errcap)
{
    return read_pointer(dir, "current", out, err, errcap);
}

int syncstate_write_current(const char *dir, const syncstate_current *cur, char *err, size_t errcap)
{
    return write_pointer(dir, "current", cur, err, errcap);
}

int syncstate_read_previous(const char *dir, syncstate_current *out, char *err, size_t errcap)
{
    return read_pointer(dir, "previous", out, err, errcap);
}

int syncstate_write_previous(const char *dir, const syncstate_current *prev, char *err, size_t errcap)
{
    return write_pointer(dir, "previous", prev, err, errcap);
}

static void status_defaults(syncstate_status *st)
{
    memset(st, 0, sizeof *st);
}

/* One "key value" line of the status file into st. */
static int status_field(syncstate_status *st, const char *key, char *val)
{
    int64_t *times[] = {&st->last_attempt, &st->last_success, &st->next_run, &st->time_floor, &st->expires};
    static const char *const names[] = {"last-attempt", "last-success", "next-run", "time-floor", "expires"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(key, names[i]))
            return parse_time(val, times[i]);
    uint64_t v;
    if (!strcmp(key, "seen-version"))
        return parse_u64(val, &st->seen_version);
    if (!strcmp(key, "root-version"))
        return parse_u64(val, &st->root_version);
    if (!strcmp(key, "root-sha256") && is_hex64(val)) {
        memcpy(st->root_sha256, val, 65);
        return 0;
    }
    if (!strcmp(key, "failures") || !strcmp(key, "stale")) {
        if (parse_u64(val, &v) < 0 || v > 1000000)
            return -1;
        *(!strcmp(key, "stale") ? &st->stale : &st->failures) = (int)v;
        return 0;
    }
    if (!strcmp(key, "etag") && strlen(val) < sizeof st->etag) {
        snprintf(st->etag, sizeof st->etag, "%s", val);
        return 0;
    }
    if (!strcmp(key, "last-error") && strlen(val) < sizeof st->last_error) {
        snprintf(st->last_error, sizeof st->last_error, "%s", val);
        return 0;
    }
    return -1;
}

int syncstate_read_status(const char *dir, syncstate_status *st, char *err, size_t errcap)
{
    char path[PLATFORM_PATH_MAX], *buf;
    size_t len;
    status_defaults(st);
    if (syncstate_path(dir, "status", path, sizeof path) < 0 || !platform_is_file(path))
        return 1;
    if (platform_read_file(path, STATE_FILE_MAX, &buf, &len, err, errcap) < 0)
        return -1;
    char *cur = buf, *key, *val;
    int line = 0, rc = strlen(buf) == len ? 1 : -1; /* a NUL inside: damaged */
    while (rc == 1 && (rc = next_line(&cur, &key, &val)) == 1) {
        line++;
        if (line == 1 ? strcmp(key, "infopoint-status") || strcmp(val, "1") : status_field(st, key, val) < 0) {
            rc = -1;
            break;
        }
    }
    free(buf);
    if (rc != 0 || line == 0) {
        snprintf(err, errcap, "%s is damaged at line %d; starting from defaults", path, line + 1);
        status_defaults(st);
        return -1;
    }
    return 0;
}

/* A one-line message for the status file (no newlines). */
static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

int syncstate_write_status(const char *dir, const syncstate_status *st, char *err, size_t errcap)
{
    char path[PLATFORM_PATH_MAX], text[1024], msg[SYNCSTATE_ERROR_MAX], etag[128];
    snprintf(msg, sizeof msg, "%s", st->last_error);
    snprintf(etag, sizeof etag, "%s", st->etag);
    one_line(msg);
    one_line(etag);
    char w[5][22];
    int n = snprintf(text, sizeof text,
                     "infopoint-status 1\nlast-attempt %" PRId64 "%s\nlast-success %" PRId64 "%s\nnext-run %" PRId64
                     "%s\ntime-floor %" PRId64 "%s\nexpires %" PRId64 "%s\nseen-version %" PRIu64
                     "\nroot-version %" PRIu64 "\n%s%s%sfailures %d\nstale %d\n%s%s%s%s%s%s",
                     st->last_attempt, time_words(st->last_attempt, w[0]), st->last_success,
                     time_words(st->last_success, w[1]), st->next_run, time_words(st->next_run, w[2]),
                     st->time_floor, time_words(st->time_floor, w[3]), st->expires, time_words(st->expires, w[4]),
                     st->seen_version, st->root_version, st->root_sha256[0] ? "root-sha256 " : "", st->root_sha256,
                     st->root_sha256[0] ? "\n" : "", st->failures, st->stale, etag[0] ? "etag " : "", etag,
                     etag[0] ? "\n" : "",
                     msg[0] ? "last-error " : "", msg, msg[0] ? "\n" : "");
    if (syncstate_path(dir, "status", path, sizeof path) < 0 || n < 0 || (size_t)n >= sizeof text) {
        snprintf(err, errcap, "status too long");
        return -1;
    }
    return platform_write_atomic(path, text, (size_t)n, err, errcap);
}

/* The version of a "bundle-<N>.ipb" name, or 0. */
static uint64_t bundle_version_of(const char *name)
{
    size_t len = strlen(name);
    if (strncmp(name, "bundle-", 7) || len < 12 || strcmp(name + len - 4, ".ipb"))
        return 0;
    char digits[32];
    if (len - 11 >= sizeof digits)
        return 0;
    memcpy(digits, name + 7, len - 11);
    digits[len - 11] = '\0';
    uint64_t v;
    return parse_u64(digits, &v) == 0 ? v : 0;
}

int syncstate_list_bundles(const char *dir, uint64_t *versions, int max)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        uint64_t v = bundle_version_of(e->d_name);
        if (v == 0)
            continue;
        int i = n++;
        while (i > 0 && versions[i - 1] < v) {
            versions[i] = versions[i - 1];
            i--;
        }
        versions[i] = v;
    }
    closedir(d);
    return n;
}

static int ends_with(const char *name, size_t len, const char *tail)
{
    size_t n = strlen(tail);
    return len > n && !strcmp(name + len - n, tail);
}

void syncstate_prune_bundles(const char *dir, uint64_t keep_a, uint64_t keep_b)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[PLATFORM_PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        uint64_t v = bundle_version_of(e->d_name);
        size_t len = strlen(e->d_name);
        /* A staging bundle left behind, or the search index scratch file
         * of a first full sync's build (bgindex.h). */
        int staging = ends_with(e->d_name, len, ".staging") || ends_with(e->d_name, len, ".staging" BGINDEX_SUFFIX);
        if ((v != 0 && v != keep_a && v != keep_b) || staging) {
            if (syncstate_path(dir, e->d_name, path, sizeof path) == 0 && unlink(path) == 0)
                platform_log(PLATFORM_LOG_INFO, "sync: removed %s", e->d_name);
        }
    }
    closedir(d);
}

int syncstate_prepare(const char *dir, char *err, size_t errcap)
{
    char path[PLATFORM_PATH_MAX];
    if (syncstate_path(dir, "objects", path, sizeof path) < 0) {
        snprintf(err, errcap, "state path too long");
        return -1;
    }
    if ((mkdir(dir, 0755) < 0 && errno != EEXIST) || (mkdir(path, 0755) < 0 && errno != EEXIST) ||
        !platform_is_dir(path)) {
        snprintf(err, errcap, "cannot create state directory %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- verified bundles --------------------------------------------------------- */

/* One line of STATE/verified for the file at path as it is now, with its
 * digest; -1 when it cannot be stat'ed or the digest is not 64 hex. */
static int verified_line(const char *path, const char *digest, char *out, size_t cap)
{
    struct stat st;
    if (!is_hex64(digest) || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return -1;
    snprintf(out, cap, "%llu %llu %lld %lld.%09ld %s", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
             (long long)st.st_size, (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec, digest);
    return 0;
}

/* STATE/verified's text, or NULL (missing, unreadable, not ours). */
static char *read_verified(const char *dir)
{
    char path[PLATFORM_PATH_MAX], err[300], *buf;
    size_t len;
    if (syncstate_path(dir, "verified", path, sizeof path) < 0 || !platform_is_file(path) ||
        platform_read_file(path, STATE_FILE_MAX, &buf, &len, err, sizeof err) < 0)
        return NULL;
    if (strncmp(buf, "infopoint-verified 1\n", 21) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int syncstate_is_verified(const char *dir, const char *path, const char *digest)
{
    char want[256];
    if (verified_line(path, digest, want, sizeof want) < 0)
        return 0;
    char *buf = read_verified(dir);
    if (!buf)
        return 0;
    int found = 0;
    for (char *save = NULL, *l = strtok_r(buf + 21, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save))
        found = strcmp(l, want) == 0;
    free(buf);
    return found;
}

int syncstate_mark_verified(const char *dir, const char *path, const char *digest, char *err, size_t errcap)
{
    char line[256], file[PLATFORM_PATH_MAX], text[22 + SYNCSTATE_VERIFIED_MAX * 256];
    if (verified_line(path, digest, line, sizeof line) < 0) {
        snprintf(err, errcap, "cannot record %s as verified", path);
        return -1;
    }
    /* The new line first, then the others kept (without it), newest first. */
    size_t n = (size_t)snprintf(text, sizeof text, "infopoint-verified 1\n%s\n", line);
    char *buf = read_verified(dir);
    int kept = 1;
    for (char *save = NULL, *l = buf ? strtok_r(buf + 21, "\n", &save) : NULL; l && kept < SYNCSTATE_VERIFIED_MAX;
         l = strtok_r(NULL, "\n", &save)) {
        if (!strcmp(l, line) || strlen(l) >= 256 || n + strlen(l) + 2 > sizeof text)
            continue;
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\n", l);
        kept++;
    }
    free(buf);
    if (syncstate_path(dir, "verified", file, sizeof file) < 0) {
        snprintf(err, errcap, "state path too long");
        return -1;
    }
    return platform_write_atomic(file, text, n, err, errcap);
}

int syncstate_lock(const char *dir)
{
    char path[PLATFORM_PATH_EXTRA_MAX];
    if (syncstate_path(dir, "lock", path, sizeof path) < 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        fd = -1;
    }
    return fd;
}
