/* SCHED_IDLE and gettid-style syscalls are Linux extensions of glibc. */
#define _GNU_SOURCE
#include "scrub.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "store.h"

/* Work this long (wall clock, reading included) between two rests. */
#define SLICE_US 20000u
/* A rest is taken in steps this long, so a cancel is seen within one. */
#define REST_STEP_US 20000u
/* The progress handler runs every this many VM instructions (about 0.1 ms). */
#define PROGRESS_OPS 1000
/* ioprio_set(2): the idle class, for this thread only. */
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_IDLE (3 << 13)
#define STATE_FILE_MAX 4096

/* ---- throttle ------------------------------------------------------------- */

/* The scrub in progress on this thread. Both the reads (the VFS below) and
 * the VM (the progress handler) tick it: PRAGMA integrity_check walks the
 * b-trees inside one VM instruction, where SQLite 3.40 calls no progress
 * handler, but it reads every page. */
typedef struct {
    const atomic_int *cancel;
    int duty_pct;
    uint64_t since_us;      /* when the current stretch of work began */
} throttle;

static _Thread_local throttle *tl_throttle;

static int is_cancelled(const throttle *t)
{
    return t->cancel && atomic_load(t->cancel);
}

/* After SLICE_US of work, rests so that work is duty_pct of the time.
 * Returns 1 when the scrub is cancelled. */
static int throttle_tick(void)
{
    throttle *t = tl_throttle;
    if (!t)
        return 0;
    if (is_cancelled(t))
        return 1;
    uint64_t worked = platform_now_us() - t->since_us;
    if (worked < SLICE_US || t->duty_pct >= 100)
        return 0;
    uint64_t rest = worked * (uint64_t)(100 - t->duty_pct) / (uint64_t)t->duty_pct;
    while (rest > 0) {
        uint64_t step = rest < REST_STEP_US ? rest : REST_STEP_US;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)step * 1000L};
        nanosleep(&ts, NULL);
        rest -= step;
        if (is_cancelled(t))
            return 1;
    }
    t->since_us = platform_now_us();
    return 0;
}

static int on_progress(void *unused)
{
    (void)unused;
    return throttle_tick();
}

/* ---- a VFS that ticks the throttle on every read ---------------------------- */

typedef struct {
    sqlite3_file base;      /* pMethods: scrub_io */
    sqlite3_file *real;     /* the default VFS's file, right after this struct */
} scrub_file;

#define REAL(f) (((scrub_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

/* A cancelled read is an I/O error: the statement stops at once. */
static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    int rc = REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
    return rc == SQLITE_OK && throttle_tick() ? SQLITE_IOERR_READ : rc;
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

/* Version 1: no shared memory (a bundle is never in WAL mode) and no
 * memory-mapped pages, which would bypass xRead and the throttle. */
static const sqlite3_io_methods scrub_io = {
    .iVersion = 1, .xClose = f_close, .xRead = f_read, .xWrite = f_write, .xTruncate = f_truncate,
    .xSync = f_sync, .xFileSize = f_size, .xLock = f_lock, .xUnlock = f_unlock,
    .xCheckReservedLock = f_reserved, .xFileControl = f_control, .xSectorSize = f_sector,
    .xDeviceCharacteristics = f_device,
};

static sqlite3_vfs scrub_vfs;

static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    sqlite3_vfs *real = vfs->pAppData;
    scrub_file *sf = (scrub_file *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = real->xOpen(real, name, sf->real, flags, out);
    f->pMethods = sf->real->pMethods ? &scrub_io : NULL;
    return rc;
}

/* The default VFS with xOpen wrapped; registered once, not as default. */
static void register_vfs(void)
{
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);
    if (!real)
        return;
    scrub_vfs = *real;
    scrub_vfs.iVersion = 1;
    scrub_vfs.szOsFile = (int)sizeof(scrub_file) + real->szOsFile;
    scrub_vfs.zName = "infopoint-scrub";
    scrub_vfs.pAppData = real;
    scrub_vfs.xOpen = vfs_open;
    scrub_vfs.pNext = NULL;
    sqlite3_vfs_register(&scrub_vfs, 0);
}

/* ---- one bundle ------------------------------------------------------------- */

/* Nice 19, SCHED_IDLE and the idle I/O class, for the calling thread only
 * (a thread of its own: an unprivileged thread cannot raise them again).
 * Best effort: a refusal only makes the scrub less polite. */
static void lower_priority(void)
{
    pid_t tid = (pid_t)syscall(SYS_gettid);
    struct sched_param sp = {0};
    if (setpriority(PRIO_PROCESS, (id_t)tid, 19) < 0)
        platform_log(PLATFORM_LOG_DEBUG, "scrub: nice: %s", strerror(errno));
    if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp) != 0)
        platform_log(PLATFORM_LOG_DEBUG, "scrub: SCHED_IDLE refused");
    if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, tid, IOPRIO_IDLE) < 0)
        platform_log(PLATFORM_LOG_DEBUG, "scrub: idle I/O class: %s", strerror(errno));
}

static scrub_verdict check_db(sqlite3 *db, const char *digest, const throttle *t, char *why, size_t cap)
{
    char finding[300], got[DIGEST_HEX_LEN + 1];
    if (store_db_check(db, 1, finding, sizeof finding) < 0) {
        if (is_cancelled(t))
            return SCRUB_CANCELLED;
        snprintf(why, cap, "integrity_check: %s", finding);
        return SCRUB_DAMAGED;
    }
    if (digest_compute(db, got, finding, sizeof finding) < 0) {
        if (is_cancelled(t))
            return SCRUB_CANCELLED;
        snprintf(why, cap, "content digest: %s", finding);
        return SCRUB_DAMAGED;
    }
    if (strcmp(got, digest) != 0) {
        snprintf(why, cap, "content digest %.16s… is not the installed %.16s…", got, digest);
        return SCRUB_DAMAGED;
    }
    return SCRUB_OK;
}

typedef struct {
    const char *path, *digest;
    const scrub_opts *o;
    char *why;
    size_t cap;
    scrub_verdict verdict;
} job;

static void *scrub_thread(void *arg)
{
    job *j = arg;
    throttle t = {.cancel = j->o ? j->o->cancel : NULL, .since_us = platform_now_us()};
    t.duty_pct = j->o && j->o->duty_pct > 0 && j->o->duty_pct <= 100 ? j->o->duty_pct : SCRUB_DUTY_PCT;
    lower_priority();
    tl_throttle = &t;
    sqlite3 *db = NULL;
    /* A file that is not there, or shorter than its header says, is
     * damaged as much as a bad page. */
    if (sqlite3_open_v2(j->path, &db, SQLITE_OPEN_READONLY, scrub_vfs.zName) != SQLITE_OK) {
        snprintf(j->why, j->cap, "cannot open: %s", db ? sqlite3_errmsg(db) : "out of memory");
        j->verdict = is_cancelled(&t) ? SCRUB_CANCELLED : SCRUB_DAMAGED;
    } else {
        sqlite3_progress_handler(db, PROGRESS_OPS, on_progress, NULL);
        j->verdict = check_db(db, j->digest, &t, j->why, j->cap);
    }
    sqlite3_close(db);
    tl_throttle = NULL;
    return NULL;
}

scrub_verdict scrub_bundle(const char *path, const char *digest, const scrub_opts *o, char *why, size_t cap)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_vfs);
    job j = {.path = path, .digest = digest, .o = o, .why = why, .cap = cap, .verdict = SCRUB_DAMAGED};
    why[0] = '\0';
    if (!platform_is_file(path)) {
        snprintf(why, cap, "the file is missing");
        return SCRUB_DAMAGED;
    }
    pthread_t th;
    int rc = pthread_create(&th, NULL, scrub_thread, &j);
    if (rc != 0) {
        snprintf(why, cap, "cannot start the scrub thread: %s", strerror(rc));
        return SCRUB_CANCELLED; /* nothing was found: try again later */
    }
    pthread_join(th, NULL);
    if (j.verdict == SCRUB_CANCELLED)
        snprintf(why, cap, "cancelled");
    return j.verdict;
}

/* ---- STATE/scrub -------------------------------------------------------------- */

typedef struct {
    int64_t last;           /* last full scrub, Unix seconds; 0: never */
    char bundle[64];        /* the live bundle that last passed, "" none */
    char digest[65];
    int pending;            /* 1: a full scrub is owed */
} record;

/* A whole decimal number 0..INT64_MAX, nothing around it; 0 or -1. */
static int parse_count(const char *text, int64_t *out)
{
    char *end;
    if (*text < '0' || *text > '9')
        return -1;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* Takes one line as write_record writes it into r; -1 for any other. */
static int parse_line(const char *l, record *r, int *seen)
{
    int64_t v;
    int end = 0;
    if (!strncmp(l, "last ", 5) && parse_count(l + 5, &r->last) == 0) {
        *seen |= 1;
        return 0;
    }
    if (!strncmp(l, "pending ", 8) && parse_count(l + 8, &v) == 0 && v <= 1) {
        r->pending = (int)v;
        *seen |= 2;
        return 0;
    }
    if (sscanf(l, "checked %63s %64s%n", r->bundle, r->digest, &end) == 2 && !l[end] &&
        strlen(r->digest) == DIGEST_HEX_LEN)
        return 0;
    return -1;
}

/* Reads the text of STATE/scrub (len bytes, NUL-terminated) into r.
 * Returns NULL, or why it is not as write_record writes it. */
static const char *parse_record(char *buf, size_t len, record *r)
{
    char *save = NULL;
    int seen = 0;
    if (strlen(buf) != len)
        return "a NUL byte";
    for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        if (parse_line(l, r, &seen) < 0)
            return "a line not of its format";
    if (!(seen & 1))
        return "no last line";
    return seen & 2 ? NULL : "no pending line";
}

/* A missing file reads as "never scrubbed": that only costs a scrub. One
 * that is there but cannot be read, or is not as write_record writes it (a
 * bad block, zeros after a power cut, a hand edit), is not believed in
 * part: a garbled time or a lost "pending 1" could put off a scrub that is
 * owed, so a full scrub is owed, and it writes the file anew. */
static void read_record(const char *dir, record *r)
{
    char path[PLATFORM_PATH_MAX], err[300], *buf = NULL;
    size_t len;
    memset(r, 0, sizeof *r);
    if (syncstate_path(dir, "scrub", path, sizeof path) < 0 || !platform_is_file(path))
        return;
    const char *why = err;
    if (platform_read_file(path, STATE_FILE_MAX, &buf, &len, err, sizeof err) == 0)
        why = parse_record(buf, len, r);
    free(buf);
    if (!why)
        return;
    platform_log(PLATFORM_LOG_WARN, "scrub: %s is damaged (%s); the installed bundles will be checked whole", path,
                 why);
    memset(r, 0, sizeof *r);
    r->pending = 1;
}

static void write_record(const char *dir, const record *r)
{
    char path[PLATFORM_PATH_MAX], err[300], text[256];
    int n = snprintf(text, sizeof text, "last %" PRId64 "\npending %d\n", r->last, r->pending);
    if (r->bundle[0])
        n += snprintf(text + n, sizeof text - (size_t)n, "checked %s %s\n", r->bundle, r->digest);
    if (syncstate_path(dir, "scrub", path, sizeof path) < 0 ||
        platform_write_atomic(path, text, (size_t)n, err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_WARN, "scrub: cannot record the scrub: %s", err);
}

/* ---- the installed bundles ---------------------------------------------------- */

/* Scrubs one installed bundle (a `current` or `previous` record) and logs
 * what was found. */
static scrub_verdict scrub_one(const char *dir, const syncstate_current *b, const scrub_opts *o, scrub_result *res,
                               char *why, size_t cap)
{
    char path[PLATFORM_PATH_MAX];
    if (syncstate_path(dir, b->bundle, path, sizeof path) < 0) {
        snprintf(why, cap, "state path too long");
        return SCRUB_CANCELLED;
    }
    uint64_t t0 = platform_now_us();
    scrub_verdict v = scrub_bundle(path, b->digest, o, why, cap);
    if (v == SCRUB_CANCELLED)
        return v;
    res->checked++;
    if (v == SCRUB_OK)
        platform_log(PLATFORM_LOG_INFO, "scrub: %s (version %" PRIu64 ") passed integrity_check and its digest (%" PRIu64
                     " ms)", b->bundle, b->version, (platform_now_us() - t0) / 1000);
    else
        platform_log(PLATFORM_LOG_ERROR, "scrub: %s (version %" PRIu64 ") is damaged: %s", b->bundle, b->version, why);
    return v;
}

static void remove_in(const char *dir, const char *name)
{
    char path[PLATFORM_PATH_MAX];
    if (syncstate_path(dir, name, path, sizeof path) == 0 && unlink(path) == 0)
        platform_fsync_parent(path);
}

/* The previous bundle of dir into prev when `previous` names a file other
 * than live's that is there. */
static int read_previous(const char *dir, const syncstate_current *live, syncstate_current *prev)
{
    char path[PLATFORM_PATH_MAX], why[300];
    return syncstate_read_previous(dir, prev, why, sizeof why) == 0 && strcmp(prev->bundle, live->bundle) != 0 &&
                   syncstate_path(dir, prev->bundle, path, sizeof path) == 0 && platform_is_file(path)
               ? 0
               : -1;
}

/* The live bundle (bad) is damaged: the previous one becomes live when it
 * passes, else none is (the kiosk shows its packaged bundle). The damaged
 * file goes first: a kill before `current` is switched leaves it naming a
 * missing file, which the kiosk skips (the newest bundle there opens) and
 * the next scrub treats as damaged again; a kill after never leaves a
 * damaged bundle behind. */
static scrub_verdict fall_back(const char *dir, syncstate_current *bad, const scrub_opts *o, scrub_result *res)
{
    syncstate_current prev;
    char why[300], err[300], path[PLATFORM_PATH_MAX] = "";
    int have = read_previous(dir, bad, &prev) == 0;
    scrub_verdict v = have ? scrub_one(dir, &prev, o, res, why, sizeof why) : SCRUB_DAMAGED;
    if (v == SCRUB_CANCELLED)
        return v; /* nothing changed: the next scrub finds the damage again */
    remove_in(dir, bad->bundle);
    if (v == SCRUB_OK && (syncstate_path(dir, prev.bundle, path, sizeof path) < 0 ||
                          syncstate_write_current(dir, &prev, err, sizeof err) < 0)) {
        platform_log(PLATFORM_LOG_ERROR, "scrub: cannot switch to %s: %s", prev.bundle, err);
        v = SCRUB_DAMAGED;
        path[0] = '\0';
    }
    if (v == SCRUB_OK && syncstate_mark_verified(dir, path, prev.digest, err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_WARN, "scrub: %s", err);
    remove_in(dir, "previous"); /* live now, or damaged: never updated in place */
    if (have && v != SCRUB_OK)
        remove_in(dir, prev.bundle);
    res->switched = 1;
    snprintf(res->live, sizeof res->live, "%s", path);
    if (v == SCRUB_OK) {
        snprintf(res->message, sizeof res->message, "the live bundle %s is damaged; version %" PRIu64 " is live again",
                 bad->bundle, prev.version);
        *bad = prev;
    } else {
        snprintf(res->message, sizeof res->message, "the live bundle %s is damaged and no other installed bundle "
                 "passes; showing the packaged content until a sync", bad->bundle);
        bad->bundle[0] = '\0';
    }
    platform_log(PLATFORM_LOG_ERROR, "scrub: %s", res->message);
    return SCRUB_DAMAGED;
}

/* A full scrub checks the previous bundle too: the next install updates it
 * in place and checks only what it changes. A damaged one is deleted (that
 * install copies the live bundle instead). */
static scrub_verdict check_previous(const char *dir, const syncstate_current *live, const scrub_opts *o,
                                    scrub_result *res)
{
    syncstate_current prev;
    char why[300];
    if (read_previous(dir, live, &prev) < 0)
        return SCRUB_OK;
    scrub_verdict v = scrub_one(dir, &prev, o, res, why, sizeof why);
    if (v != SCRUB_DAMAGED)
        return v;
    remove_in(dir, "previous");
    remove_in(dir, prev.bundle);
    snprintf(res->message, sizeof res->message, "the previous bundle %.60s is damaged (%.120s); deleted", prev.bundle, why);
    return SCRUB_OK; /* the live one is fine */
}

/* Scrubs with the sync lock held. cur: the live bundle (bundle "" none). */
static scrub_verdict scrub_locked(const char *dir, int full, const scrub_opts *o, syncstate_current *cur,
                                  scrub_result *res)
{
    char why[300];
    if (!cur->bundle[0]) {
        snprintf(res->message, sizeof res->message, "no installed bundle to check");
        return SCRUB_OK;
    }
    scrub_verdict v = scrub_one(dir, cur, o, res, why, sizeof why);
    if (v == SCRUB_DAMAGED)
        return fall_back(dir, cur, o, res);
    if (v == SCRUB_OK && full)
        v = check_previous(dir, cur, o, res);
    if (v == SCRUB_OK && !res->message[0])
        snprintf(res->message, sizeof res->message, "%d installed bundle%s passed", res->checked,
                 res->checked == 1 ? "" : "s");
    if (v == SCRUB_CANCELLED)
        snprintf(res->message, sizeof res->message, "cancelled");
    return v;
}

scrub_verdict scrub_installed(const char *state_dir, int full, const scrub_opts *o, int64_t now, scrub_result *res)
{
    memset(res, 0, sizeof *res);
    int lock = syncstate_lock(state_dir);
    if (lock < 0) {
        snprintf(res->message, sizeof res->message, "a sync is running in %.180s; the scrub waits", state_dir);
        return res->verdict = SCRUB_CANCELLED;
    }
    syncstate_current cur;
    char why[300];
    if (syncstate_read_current(state_dir, &cur, why, sizeof why) != 0)
        cur.bundle[0] = '\0'; /* none, or damaged: the sync's to rebuild */
    if (cur.bundle[0] && syncstate_path(state_dir, cur.bundle, res->live, sizeof res->live) < 0)
        res->live[0] = '\0';
    res->verdict = scrub_locked(state_dir, full, o, &cur, res);
    if (res->verdict != SCRUB_CANCELLED) {
        record r;
        read_record(state_dir, &r);
        snprintf(r.bundle, sizeof r.bundle, "%s", cur.bundle);
        snprintf(r.digest, sizeof r.digest, "%s", cur.bundle[0] ? cur.digest : "");
        if (full) {
            r.last = now;
            r.pending = 0;
        }
        write_record(state_dir, &r);
    }
    close(lock);
    return res->verdict;
}

int scrub_due(const char *state_dir, int days, int64_t now)
{
    record r;
    syncstate_current cur;
    char why[300];
    if (syncstate_read_current(state_dir, &cur, why, sizeof why) != 0)
        return 0;
    read_record(state_dir, &r);
    /* Never scrubbed, or a clock set back (a Pi without a battery clock):
     * due. */
    if (r.pending || (days > 0 && (r.last == 0 || now < r.last || now - r.last >= (int64_t)days * 86400)))
        return 2;
    /* A live file gone (a scrub killed between deleting a damaged bundle
     * and switching `current`) is for the scrub to settle, too. */
    char path[PLATFORM_PATH_MAX];
    int gone = syncstate_path(state_dir, cur.bundle, path, sizeof path) < 0 || !platform_is_file(path);
    return gone || strcmp(r.bundle, cur.bundle) || strcmp(r.digest, cur.digest) ? 1 : 0;
}

int scrub_note_start(const char *state_dir)
{
    char path[PLATFORM_PATH_MAX];
    if (!platform_is_dir(state_dir) || syncstate_path(state_dir, "running", path, sizeof path) < 0)
        return 0;
    int unclean = platform_is_file(path);
    if (unclean) {
        record r;
        read_record(state_dir, &r);
        r.pending = 1;
        write_record(state_dir, &r);
        platform_log(PLATFORM_LOG_WARN, "scrub: the last run on %s did not end cleanly; the installed bundles "
                     "will be checked whole", state_dir);
        return 1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        platform_log(PLATFORM_LOG_WARN, "scrub: cannot create %s: %s", path, strerror(errno));
        return 0;
    }
    close(fd);
    platform_fsync_parent(path); /* a power cut soon after start must find it */
    return 0;
}

void scrub_note_stop(const char *state_dir)
{
    remove_in(state_dir, "running");
}
