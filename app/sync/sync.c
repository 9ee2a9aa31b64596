#include "sync.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "prefetch.h"
#include "record.h"
#include "utf8.h"

/* The timestamp is the one file fetched on every check: small by design. */
#define TIMESTAMP_MAX (64u * 1024u)
/* Room kept free on top of what a sync needs (SQLite, the status file). */
#define DISK_MARGIN (8u * 1024u * 1024u)

typedef struct {
    char name[META_PATH_MAX];   /* "base", "items/<id>", "assets/<name>" */
    unsigned char sha[32];
    uint64_t len;
    int removed;                /* 1: in the live bundle, not in the new one */
    unsigned char *held;        /* its bytes, hash checked, when kept in memory; else NULL */
} change;

typedef struct {
    const sync_cfg *cfg;
    sync_result *res;
    fetch_ctx *net;
    uint64_t deadline_ms;       /* every download of the run ends then (fetch_set_deadline) */
    fetch_stats fed_net;        /* what a whole build's own connection did (install_fed) */
    syncstate_current cur;      /* the live bundle; version 0: none */
    syncstate_status st;
    meta_doc root;              /* newest trusted root */
    char *root_buf;             /* its bytes (written to root.txt, hashed into status) */
    size_t root_len;
    int have_root;
    int root_changed;           /* 1: root.txt must be written once the walk is accepted */
    uint64_t root_min;          /* no key set below this root version (remembered by status, current) */
    int live_ok;                /* 1: the live bundle verifies (apply_live_verifies, and
                                 * apply_live_pages_ok before a copy); 0: damaged or none */
    int in_place_refused;       /* 1: apply refused the previous bundle brought up to date */
    int64_t clock;              /* the clock's reading */
    int64_t now;                /* what expiry is checked against */
    char base[PLATFORM_PATH_EXTRA_MAX];            /* the repository URL */
    char local_root[PLATFORM_PATH_MAX]; /* a local repository's real directory, "" for http(s) */
    int cancelled;
    char err[SYNCSTATE_ERROR_MAX];
    change *changes;
    size_t n_changes, cap_changes;
    int hold;                   /* 1: records may be kept in memory (an in-place install) */
    size_t held_bytes;          /* what changes[].held hold, at most hold_max(r) */
    sync_progress progress;
} run;

static int fail(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return -1;
}

static void report(run *r, const char *phase)
{
    r->progress.phase = phase;
    if (r->cfg->progress)
        r->cfg->progress(r->cfg->user, &r->progress);
}

static int64_t wall_clock(void)
{
    return (int64_t)time(NULL);
}

/* ---- transport ----------------------------------------------------------- */

/* The repository as a URL: a plain path (a USB stick's mount point, also
 * relative) becomes a percent-encoded file:// URL of its absolute path. A
 * local repository's real directory is r->local_root: no file is read outside it
 * (fetch_opts.file_root). */
static int base_url(run *r)
{
    const char *url = r->cfg->url;
    char path[PLATFORM_PATH_MAX];
    if (strstr(url, "://") && strncasecmp(url, "file:", 5) != 0) {
        if (snprintf(r->base, sizeof r->base, "%s", url) >= (int)sizeof r->base)
            return fail(r, "repository URL too long");
        return 0;
    }
    if (strstr(url, "://") && fetch_file_url_path(url, path, sizeof path) < 0)
        return fail(r, "not a usable file:// URL: %s", url);
    if (!realpath(strstr(url, "://") ? path : url, r->local_root))
        return fail(r, "no repository at %s: %s", url, strerror(errno));
    if (fetch_file_url(r->local_root, r->base, sizeof r->base) < 0)
        return fail(r, "repository path too long");
    return 0;
}

/* The options of this run's connections: the caller's limits, file://
 * reads kept inside a local repository, and no fsync per object: each is
 * checked against its signed hash before every use (ensure_object, apply)
 * and fetched again when it is wrong, so a power cut costs a download,
 * never a wrong record, and a first sync does not flush each of its files.
 * The bundle built from them is fsynced. */
static fetch_opts net_opts(const run *r, const atomic_int *cancel)
{
    fetch_opts net = r->cfg->net;
    net.file_root = r->local_root[0] ? r->local_root : NULL;
    net.no_fsync = 1;
    net.cancel = cancel;
    return net;
}

static int url_of(run *r, const char *path, char *out, size_t cap)
{
    size_t n = strlen(r->base);
    const char *sep = n > 0 && r->base[n - 1] == '/' ? "" : "/";
    int w = snprintf(out, cap, "%s%s%s", r->base, sep, path);
    return w < 0 || (size_t)w >= cap ? fail(r, "repository URL too long") : 0;
}

/* Maps a fetch failure to the run's error; cancellation is remembered. */
static int net_fail(run *r, fetch_result fr, const char *why)
{
    if (fr == FETCH_CANCELLED) {
        r->cancelled = 1;
        return fail(r, "cancelled");
    }
    return fail(r, "%s", why);
}

static int get_small(run *r, const char *path, size_t max, const char *etag_in, char etag_out[128], char **buf,
                     size_t *len, fetch_result *fr_out)
{
    char url[PLATFORM_PATH_EXTRA_MAX], why[512];
    if (url_of(r, path, url, sizeof url) < 0)
        return -1;
    fetch_result fr = fetch_mem(r->net, url, max, etag_in, etag_out, buf, len, why, sizeof why);
    if (fr_out)
        *fr_out = fr;
    if (fr == FETCH_OK || (fr_out && (fr == FETCH_NOT_MODIFIED || fr == FETCH_NOT_FOUND)))
        return 0;
    if (fr == FETCH_NOT_FOUND)
        return fail(r, "%s: not found", url);
    return net_fail(r, fr, why);
}

static void hex_of(const unsigned char sha[32], char out[65])
{
    sodium_bin2hex(out, 65, sha, 32);
}

static int object_path(run *r, const unsigned char sha[32], const char *suffix, char *out, size_t cap)
{
    char hex[65], name[128];
    hex_of(sha, hex);
    snprintf(name, sizeof name, "objects/%s%s", hex, suffix);
    return syncstate_path(r->cfg->state_dir, name, out, cap) < 0 ? fail(r, "state path too long") : 0;
}

/* A heap copy of the object path of sha, or NULL with the failure
 * reported (path too long, out of memory). Lists of paths are kept this
 * way: a PLATFORM_PATH_EXTRA_MAX buffer per change touches a page per
 * change, 519 MB of peak RSS for a first sync of 100,000 items. */
static char *object_path_dup(run *r, const unsigned char sha[32])
{
    char path[PLATFORM_PATH_EXTRA_MAX], *copy = NULL;
    if (object_path(r, sha, "", path, sizeof path) == 0 && !(copy = strdup(path)))
        fail(r, "out of memory");
    return copy;
}

static void free_paths(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}

/* 1 if the file at path has exactly this length and hash. */
static int file_matches(const char *path, const unsigned char sha[32], uint64_t len)
{
    if (platform_file_size(path) != (int64_t)len)
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    unsigned char buf[65536], got[32];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&h, buf, n);
    int ok = !ferror(f);
    fclose(f);
    crypto_hash_sha256_final(&h, got);
    return ok && sodium_memcmp(got, sha, 32) == 0;
}

/* Removes every partial download in objects/ but keep's (a hex name, or
 * NULL): a sync leaves at most one partial object behind. */
static void drop_parts(run *r, const char *keep)
{
    char dir[PLATFORM_PATH_EXTRA_MAX], path[PLATFORM_PATH_EXTRA_MAX];
    if (syncstate_path(r->cfg->state_dir, "objects", dir, sizeof dir) < 0)
        return;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".part") != 0)
            continue;
        if (keep && n == strlen(keep) + 5 && strncmp(e->d_name, keep, n - 5) == 0)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
            unlink(path);
    }
    if (d)
        closedir(d);
}

/* The repository name of an object (rel: "objects/<hex>") and its URL. */
static int object_url(run *r, const unsigned char sha[32], char rel[128], char *url, size_t cap)
{
    char hex[65];
    hex_of(sha, hex);
    snprintf(rel, 128, "objects/%s", hex);
    return url_of(r, rel, url, cap);
}

/* The run's error for a download of rel that did not end FETCH_OK. */
static int object_failed(run *r, const char *rel, fetch_result fr, const char *why)
{
    return fr == FETCH_NOT_FOUND ? fail(r, "%s: not found on the server", rel) : net_fail(r, fr, why);
}

static int not_signed(run *r, const char *rel)
{
    return fail(r, "%s: hash or length does not match the signed metadata (tampered or damaged)", rel);
}

/* Downloads objects/<sha>.part and checks it. A partial file an earlier try
 * left that was not a prefix of the signed object (a hostile answer, then
 * a cut) shows only now, as a wrong hash: it is removed and the object
 * fetched once more from zero, so one bad answer does not also fail the
 * next honest sync. 0: checked; -1 (r->err): the part removed, or kept to
 * be resumed. */
static int download_object(run *r, const char *rel, const char *url, const char *part,
                           const unsigned char sha[32], uint64_t len)
{
    char why[512];
    for (int attempt = 0; attempt < 2; attempt++) {
        int resumed = platform_file_size(part) > 0;
        fetch_result fr = fetch_file(r->net, url, part, len, why, sizeof why);
        if (fr != FETCH_OK)
            return object_failed(r, rel, fr, why);
        if (file_matches(part, sha, len))
            return 0;
        unlink(part);
        if (!resumed)
            break;
        platform_log(PLATFORM_LOG_WARN, "sync: %s: the partial download was not the signed object; fetching it again",
                     rel);
    }
    return not_signed(r, rel);
}

/* Makes sure objects/<sha> is here with the right hash and length: already
 * cached, or downloaded (resuming objects/<sha>.part), checked, renamed. */
static int ensure_object(run *r, const unsigned char sha[32], uint64_t len, int *fetched)
{
    char path[PLATFORM_PATH_EXTRA_MAX], part[PLATFORM_PATH_EXTRA_MAX], url[PLATFORM_PATH_EXTRA_MAX], rel[128];
    if (object_path(r, sha, "", path, sizeof path) < 0 || object_path(r, sha, ".part", part, sizeof part) < 0)
        return -1;
    if (fetched)
        *fetched = 0;
    if (file_matches(path, sha, len))
        return 0;
    if (object_url(r, sha, rel, url, sizeof url) < 0)
        return -1;
    if (download_object(r, rel, url, part, sha, len) < 0) {
        char hex[65];
        hex_of(sha, hex);
        drop_parts(r, hex);
        return -1;
    }
    if (rename(part, path) < 0)
        return fail(r, "cannot store %s: %s", rel, strerror(errno));
    if (fetched)
        *fetched = 1;
    return 0;
}

/* Reads a checked metadata object into memory and parses it. */
static int load_meta(run *r, const meta_file *f, meta_role role, const char *label, meta_doc *doc, char **buf)
{
    char path[PLATFORM_PATH_EXTRA_MAX], why[300];
    size_t len;
    *buf = NULL;
    if (f->length > META_MAX_BYTES)
        return fail(r, "%s: %" PRIu64 " bytes is over the metadata limit", label, f->length);
    if (ensure_object(r, f->sha256, f->length, NULL) < 0 || object_path(r, f->sha256, "", path, sizeof path) < 0)
        return -1;
    if (platform_read_file(path, META_MAX_BYTES, buf, &len, why, sizeof why) < 0)
        return fail(r, "%s: %s", label, why);
    if (meta_parse(*buf, len, doc, why, sizeof why) < 0) {
        free(*buf);
        *buf = NULL;
        return fail(r, "%s: %s", label, why);
    }
    if (doc->role != role) {
        meta_free(doc);
        free(*buf);
        *buf = NULL;
        return fail(r, "%s: wrong role", label);
    }
    return 0;
}

/* ---- trust: roots, timestamp, snapshot ------------------------------------ */

static int verify_with_root(run *r, const meta_doc *doc, const char *buf, const char *label)
{
    char why[300];
    if (meta_verify(doc, buf, r->root.keys, r->root.n_keys, r->root.threshold, why, sizeof why) < 0)
        return fail(r, "%s: %s", label, why);
    return 0;
}

static int store_root(run *r)
{
    char path[PLATFORM_PATH_EXTRA_MAX], why[300];
    if (syncstate_path(r->cfg->state_dir, "root.txt", path, sizeof path) < 0 ||
        platform_write_atomic(path, r->root_buf, r->root_len, why, sizeof why) < 0)
        return fail(r, "%s", why);
    return 0;
}

/* Makes doc (parsed from buf, which it takes) the trusted root. */
static void set_root(run *r, meta_doc *doc, char *buf, size_t len)
{
    if (r->have_root)
        meta_free(&r->root);
    free(r->root_buf);
    r->root = *doc;
    r->root_buf = buf;
    r->root_len = len;
    r->have_root = 1;
}

static void sha_hex_of(const char *buf, size_t len, char out[65])
{
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)buf, len);
    hex_of(h, out);
}

/* 1 when `status` or `current` remembers another file as root `version`. */
static int root_differs(run *r, uint64_t version, const char *hex)
{
    return (version == r->st.root_version && r->st.root_sha256[0] && strcmp(hex, r->st.root_sha256) != 0) ||
           (version == r->cur.root && r->cur.root_sha256[0] && strcmp(hex, r->cur.root_sha256) != 0);
}

/* The trusted root has become r->root. A key set newer than any trusted
 * before is a rotation: it replaces the seen version with what the new
 * root allows (its version-floor, else nothing), so versions a leaked key
 * signed far ahead do not block the new keys' versions for ever. A root at
 * or below the one remembered is a walk back up the chain (root.txt lost):
 * it must be the very file trusted then, or the chain was forged with an
 * old key. */
static int adopt_root(run *r)
{
    char hex[65];
    sha_hex_of(r->root_buf, r->root_len, hex);
    if (root_differs(r, r->root.version, hex))
        return fail(r, "root/%" PRIu64 ".txt is not the key set this kiosk trusted before (another file of the "
                    "same version: signed with an old, possibly leaked key?); refused",
                    r->root.version);
    if (r->root.version <= r->st.root_version)
        return 0;
    if (r->st.root_version > 0) {
        platform_log(PLATFORM_LOG_INFO, "sync: new key set (root %" PRIu64 "): versions from %" PRIu64
                     " are accepted, the seen version %" PRIu64 " no longer counts",
                     r->root.version, r->root.version_floor, r->st.seen_version);
        r->st.seen_version = r->root.version_floor;
    }
    r->st.root_version = r->root.version;
    memcpy(r->st.root_sha256, hex, 65);
    r->root_changed = 1;
    return 0;
}

/* The stored root, checked again (its own keys must still sign it, so a
 * damaged file is noticed), and what the state remembers of the key set:
 * no key set below r->root_min is ever trusted again. */
static void load_stored_root(run *r)
{
    char path[PLATFORM_PATH_EXTRA_MAX], why[300], *buf = NULL, hex[65];
    size_t len;
    meta_doc doc;
    r->root_min = r->st.root_version > r->cur.root ? r->st.root_version : r->cur.root;
    if (syncstate_path(r->cfg->state_dir, "root.txt", path, sizeof path) < 0)
        return;
    if (!platform_is_file(path)) {
        if (r->root_min > 0)
            platform_log(PLATFORM_LOG_WARN, "sync: %s is missing; root %" PRIu64 " was trusted before and must "
                         "be found again", path, r->root_min);
        return;
    }
    if (platform_read_file(path, META_MAX_BYTES, &buf, &len, why, sizeof why) == 0 &&
        meta_parse(buf, len, &doc, why, sizeof why) == 0) {
        sha_hex_of(buf, len, hex);
        if (doc.role == META_ROOT && !root_differs(r, doc.version, hex) &&
            meta_verify(&doc, buf, doc.keys, doc.n_keys, doc.threshold, why, sizeof why) == 0) {
            set_root(r, &doc, buf, len);
            if (r->st.root_version == 0) { /* status from before it kept the root, or lost */
                r->st.root_version = doc.version;
                memcpy(r->st.root_sha256, hex, 65);
            }
            adopt_root(r); /* a rotation the last run stored but could not note in status */
            r->root_changed = 0;
            if (r->cur.version && r->cur.root == 0) { /* `current` from before it kept the root */
                r->cur.root = r->root.version;
                memcpy(r->cur.root_sha256, hex, 65);
            }
            return;
        }
        meta_free(&doc);
    }
    free(buf);
    platform_log(PLATFORM_LOG_WARN, "sync: %s is damaged; walking the key sets again from the pinned key%s", path,
                 r->root_min > 0 ? " up to the one trusted before" : "");
}

static int first_root(run *r)
{
    char *buf;
    size_t len;
    char why[300];
    meta_doc doc;
    if (get_small(r, "root/1.txt", META_MAX_BYTES, NULL, NULL, &buf, &len, NULL) < 0)
        return -1;
    if (meta_parse(buf, len, &doc, why, sizeof why) < 0) {
        free(buf);
        return fail(r, "root/1.txt: %s", why);
    }
    set_root(r, &doc, buf, len);
    if (r->root.role != META_ROOT || r->root.version != 1)
        return fail(r, "root/1.txt: not a version 1 root");
    if (meta_verify(&r->root, buf, r->cfg->trust, r->cfg->n_trust, 1, why, sizeof why) < 0)
        return fail(r, "root/1.txt is not signed by the pinned key: %s", why);
    if (meta_verify(&r->root, buf, r->root.keys, r->root.n_keys, r->root.threshold, why, sizeof why) < 0)
        return fail(r, "root/1.txt: %s", why);
    return adopt_root(r);
}

/* The walk ended at r->root: it must reach the key set trusted before
 * (a lost root.txt and a mirror without the newer roots must not take the
 * kiosk back to an old, perhaps leaked, key); then root.txt is written. */
static int settle_roots(run *r)
{
    if (r->root.version < r->root_min)
        return fail(r, "root.txt (the trusted key set) is lost or damaged and this repository has key sets only up "
                    "to root %" PRIu64 ", but root %" PRIu64 " was trusted before: refused (a mirror without "
                    "root/%" PRIu64 ".txt?); sync from the publisher's repository or restore root.txt",
                    r->root.version, r->root_min, r->root_min);
    if (!r->root_changed)
        return 0;
    if (store_root(r) < 0)
        return -1;
    r->root_changed = 0;
    return 0;
}

/* Follows root/N+1.txt while the repository has one: each must be signed by
 * the keys trusted now and by its own (meta_verify_root_update). */
static int update_roots(run *r)
{
    load_stored_root(r);
    if (!r->have_root && first_root(r) < 0)
        return -1;
    for (int hops = 0; hops < 64; hops++) {
        char path[64], *buf, why[300];
        size_t len;
        fetch_result fr;
        snprintf(path, sizeof path, "root/%" PRIu64 ".txt", r->root.version + 1);
        if (get_small(r, path, META_MAX_BYTES, NULL, NULL, &buf, &len, &fr) < 0)
            return -1;
        if (fr == FETCH_NOT_FOUND)
            return settle_roots(r);
        if (fr != FETCH_OK)
            return fail(r, "%s: unexpected answer", path);
        meta_doc next;
        if (!meta_looks_like(buf, len)) {
            /* A captive portal or a web app's fallback page answers 200
             * for a file it does not have: that is no root update, as a
             * 404 would be (withholding one is no more than a 404 can do). */
            platform_log(PLATFORM_LOG_WARN, "sync: %s is not metadata (a fallback page?); taken as absent", path);
            free(buf);
            return settle_roots(r);
        }
        if (meta_parse(buf, len, &next, why, sizeof why) < 0) {
            free(buf);
            return fail(r, "%s refused: %s", path, why);
        }
        if (meta_verify_root_update(&r->root, &next, buf, why, sizeof why) < 0) {
            meta_free(&next);
            free(buf);
            return fail(r, "%s refused: %s", path, why);
        }
        set_root(r, &next, buf, len);
        if (adopt_root(r) < 0)
            return -1;
        platform_log(PLATFORM_LOG_INFO, "sync: now trusting the key set of %s", path);
    }
    return fail(r, "too many root updates");
}

static int check_fresh(run *r, const meta_doc *doc, const char *label)
{
    char why[300];
    if (meta_check_expiry(doc, r->clock, r->now, why, sizeof why) < 0) {
        r->st.stale = 1;
        return fail(r, "%s: %s", label, why);
    }
    return 0;
}

/* The signed timestamp: signature, freshness, no rollback. */
static int check_timestamp(run *r, const meta_doc *ts, const char *buf)
{
    if (ts->role != META_TIMESTAMP)
        return fail(r, "timestamp.txt: wrong role");
    if (verify_with_root(r, ts, buf, "timestamp.txt") < 0 || check_fresh(r, ts, "timestamp.txt") < 0)
        return -1;
    if (ts->version < r->st.seen_version)
        return fail(r, "timestamp.txt: version %" PRIu64 " is below version %" PRIu64 " seen before (rollback)",
                    ts->version, r->st.seen_version);
    if (ts->version < r->root.version_floor)
        return fail(r, "timestamp.txt: version %" PRIu64 " is below version-floor %" PRIu64 " of root %" PRIu64
                    " (rollback)", ts->version, r->root.version_floor, r->root.version);
    /* The installed version counts while its key set is trusted (also when
     * `status` is lost); a rotation lets the new keys go below it. */
    if (ts->version < r->cur.version && (r->cur.root == 0 || r->cur.root == r->root.version))
        return fail(r, "timestamp.txt: version %" PRIu64 " is below the installed %" PRIu64 " (rollback)",
                    ts->version, r->cur.version);
    if (ts->n_files != 1 || strcmp(ts->files[0].path, "snapshot") != 0)
        return fail(r, "timestamp.txt: does not name one snapshot");
    return 0;
}

static int check_snapshot(run *r, const meta_doc *ts, const meta_doc *snap, const char *buf)
{
    if (verify_with_root(r, snap, buf, "snapshot") < 0 || check_fresh(r, snap, "snapshot") < 0)
        return -1;
    if (snap->version != ts->version)
        return fail(r, "snapshot version %" PRIu64 " does not match timestamp version %" PRIu64 " (mixed versions)",
                    snap->version, ts->version);
    if (strlen(snap->digest) != 64)
        return fail(r, "snapshot: no content digest");
    return 0;
}

/* Moves the time floor up, never down, and only to a clock reading two
 * checks agree with: the previous successful check's (st.last_success),
 * when this reading is not earlier and the signed timestamp was valid at
 * it. One wrong reading (a bad NTP answer, a clock set by hand a month
 * ahead) never becomes the floor, which the kiosk would otherwise believe
 * for good; a reading confirmed one check later does (the floor then lags
 * the clock by one interval, which is all a Pi without a battery clock
 * needs at boot). */
static void raise_floor(run *r, const meta_doc *ts)
{
    int64_t prev = r->st.last_success;
    if (prev > r->st.time_floor && prev <= r->clock && prev < ts->expires)
        r->st.time_floor = prev;
    r->st.expires = ts->expires;
    if (ts->version > r->st.seen_version)
        r->st.seen_version = ts->version;
}

/* ---- what changed ------------------------------------------------------- */

/* A record over the limit is refused from its signed length, before any
 * of its bytes is fetched (apply would refuse it only after the download). */
static int add_change(run *r, const char *name, const unsigned char sha[32], uint64_t len, int removed)
{
    if (!removed && len > RECORD_MAX_BYTES)
        return fail(r, "record %s: %" PRIu64 " bytes is over the record limit of %u bytes", name, len,
                    RECORD_MAX_BYTES);
    if (r->n_changes == r->cap_changes) {
        size_t cap = r->cap_changes ? r->cap_changes * 2 : 64;
        change *c = realloc(r->changes, cap * sizeof *c);
        if (!c)
            return fail(r, "out of memory");
        r->changes = c;
        r->cap_changes = cap;
    }
    change *c = &r->changes[r->n_changes++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    if (sha)
        memcpy(c->sha, sha, 32);
    c->len = len;
    c->removed = removed;
    return 0;
}

/* Forgets the plan, and the records held in memory for it. */
static void drop_changes(run *r)
{
    for (size_t i = 0; i < r->n_changes; i++)
        free(r->changes[i].held);
    r->n_changes = 0;
    r->held_bytes = 0;
}

static size_t hold_max(const run *r)
{
    return r->cfg->hold_max ? r->cfg->hold_max : SYNC_HOLD_MAX;
}

/* 1 when a record of len bytes may be kept in memory: an in-place install,
 * with room left under hold_max. */
static int may_hold(const run *r, uint64_t len)
{
    return r->hold && r->held_bytes <= hold_max(r) && len <= hold_max(r) - r->held_bytes;
}

/* Keeps rec (len bytes, hash checked) as c's record in memory when
 * may_hold. 1: kept (rec is c's now); 0: not. */
static int hold_record(run *r, change *c, unsigned char *rec, size_t len)
{
    if (!may_hold(r, len))
        return 0;
    c->held = rec;
    r->held_bytes += len;
    r->res->records_held++;
    return 1;
}

/* Compares the entries of one bin (or base) old → new: O(n log n) through
 * meta_find, as a hostile bin may list 65,536 entries. */
static int diff_entries(run *r, const meta_doc *old, const meta_doc *neu)
{
    for (size_t i = 0; i < neu->n_files; i++) {
        const meta_file *f = &neu->files[i], *o = meta_find(old, f->path);
        if ((!o || memcmp(o->sha256, f->sha256, 32) || o->length != f->length) &&
            add_change(r, f->path, f->sha256, f->length, 0) < 0)
            return -1;
    }
    for (size_t i = 0; old && i < old->n_files; i++)
        if (!meta_find(neu, old->files[i].path) && add_change(r, old->files[i].path, NULL, 0, 1) < 0)
            return -1;
    return 0;
}

/* One bin of the snapshot against the same bin of the live snapshot. */
static int diff_bin(run *r, const meta_file *nf, const meta_doc *old_snap)
{
    const meta_file *of = meta_find(old_snap, nf->path);
    if (of && !memcmp(of->sha256, nf->sha256, 32))
        return 0; /* unchanged bin: nothing below it changed */
    meta_doc nb, ob;
    char *nbuf, *obuf = NULL;
    if (load_meta(r, nf, META_BIN, nf->path, &nb, &nbuf) < 0)
        return -1;
    int have_old = of && load_meta(r, of, META_BIN, of->path, &ob, &obuf) == 0;
    int rc = diff_entries(r, have_old ? &ob : NULL, &nb);
    if (have_old)
        meta_free(&ob);
    meta_free(&nb);
    free(nbuf);
    free(obuf);
    return rc;
}

/* Bins of the live snapshot that the new one no longer has. */
static int diff_gone_bins(run *r, const meta_doc *old_snap, const meta_doc *snap)
{
    for (size_t i = 0; old_snap && i < old_snap->n_files; i++) {
        const meta_file *of = &old_snap->files[i];
        if (!strcmp(of->path, "base") || meta_find(snap, of->path))
            continue;
        meta_doc ob;
        char *obuf;
        if (load_meta(r, of, META_BIN, of->path, &ob, &obuf) < 0)
            return -1;
        int rc = diff_entries(r, &ob, &(meta_doc){0});
        meta_free(&ob);
        free(obuf);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The changes from the live snapshot (or from nothing) to snap. */
static int plan(run *r, const meta_doc *snap, const meta_doc *old_snap)
{
    for (size_t i = 0; i < snap->n_files; i++) {
        const meta_file *f = &snap->files[i];
        if (!strcmp(f->path, "base")) {
            const meta_file *o = meta_find(old_snap, "base");
            if ((!o || memcmp(o->sha256, f->sha256, 32)) && add_change(r, "base", f->sha256, f->length, 0) < 0)
                return -1;
        } else if (!strncmp(f->path, "bins/", 5)) {
            if (diff_bin(r, f, old_snap) < 0)
                return -1;
        } else {
            return fail(r, "snapshot: unknown entry %s", f->path);
        }
    }
    return diff_gone_bins(r, old_snap, snap);
}

/* The snapshot a bundle was installed from (`current` or `previous`), when
 * its object is still here and intact; else -1. */
static int load_snapshot_of(run *r, const syncstate_current *cur, meta_doc *doc, char **buf)
{
    unsigned char sha[32];
    char path[PLATFORM_PATH_EXTRA_MAX], why[300];
    size_t len;
    *buf = NULL;
    if (!cur->version || sodium_hex2bin(sha, 32, cur->snapshot, 64, NULL, NULL, NULL) != 0 ||
        object_path(r, sha, "", path, sizeof path) < 0 || platform_file_size(path) < 0)
        return -1;
    if (!file_matches(path, sha, (uint64_t)platform_file_size(path)) ||
        platform_read_file(path, META_MAX_BYTES, buf, &len, why, sizeof why) < 0 ||
        meta_parse(*buf, len, doc, why, sizeof why) < 0) {
        free(*buf);
        *buf = NULL;
        return -1;
    }
    return 0;
}

/* The live snapshot, when the live bundle came from a sync and its snapshot
 * object is still here; else -1 (the new bundle is then built whole). */
static int load_live_snapshot(run *r, meta_doc *doc, char **buf)
{
    return load_snapshot_of(r, &r->cur, doc, buf);
}

/* 1 when the live bundle can be updated in place (apply_schema_current). */
static int live_schema_current(run *r)
{
    char live[PLATFORM_PATH_EXTRA_MAX];
    return syncstate_path(r->cfg->state_dir, r->cur.bundle, live, sizeof live) == 0 && apply_schema_current(live);
}

/* ---- the previous bundle, updated in place ------------------------------ */

/* The bundle live before the current one, when the next version can be
 * written into it instead of into a copy of the live one (apply.h). */
typedef struct {
    syncstate_current cur;      /* STATE/previous */
    meta_doc snap;              /* the snapshot it was installed from */
    char *snap_buf;
    char path[PLATFORM_PATH_EXTRA_MAX];
    int fd;                     /* its file, held with LOCK_EX while it changes; -1: none */
} previous;

static void close_previous(previous *p)
{
    if (p->fd < 0)
        return;
    meta_free(&p->snap);
    free(p->snap_buf);
    close(p->fd);
    p->fd = -1;
}

/* 0 when the previous bundle may be updated in place: named by
 * STATE/previous, still there, of this schema, its snapshot kept, and no
 * kiosk holds it open (the store takes LOCK_SH on what it opens). Else -1
 * and the install copies the live bundle, as before. */
static int open_previous(run *r, previous *p)
{
    char why[300];
    struct stat a, b;
    p->fd = -1;
    if (!r->live_ok || syncstate_read_previous(r->cfg->state_dir, &p->cur, why, sizeof why) != 0 ||
        p->cur.version == r->cur.version || !strcmp(p->cur.bundle, r->cur.bundle) ||
        syncstate_path(r->cfg->state_dir, p->cur.bundle, p->path, sizeof p->path) < 0)
        return -1;
    int fd = open(p->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        platform_log(PLATFORM_LOG_INFO, "sync: %s is open in the kiosk; copying the live bundle", p->cur.bundle);
        close(fd);
        return -1;
    }
    /* Locked the file that still has that name, of the schema this kiosk
     * writes, with its snapshot at hand to compare against. */
    if (fstat(fd, &a) < 0 || stat(p->path, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev ||
        !apply_schema_current(p->path) || load_snapshot_of(r, &p->cur, &p->snap, &p->snap_buf) < 0) {
        close(fd);
        return -1;
    }
    p->fd = fd;
    return 0;
}

/* Writes an object file as it is: not fsynced, as every object is
 * hash-checked before it is used. 0, or -1 (errno) with nothing left. */
static int write_object(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
    int saved = errno;
    if (f && fclose(f) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc < 0)
        unlink(path);
    errno = saved;
    return rc;
}

/* Takes from the live bundle the records of the plan it already holds
 * (those the previous bundle lacks since the live install), so only what
 * changed since the live version is downloaded. Each is checked against
 * its signed hash here and again before it is applied; it is kept in
 * memory (hold_record), else written to objects/. */
static void extract_from_live(run *r)
{
    char live[PLATFORM_PATH_EXTRA_MAX];
    const char **names = calloc(r->n_changes + 1, sizeof *names);
    unsigned char (*sha)[32] = calloc(r->n_changes + 1, sizeof *sha), **out = calloc(r->n_changes + 1, sizeof *out);
    size_t *lens = calloc(r->n_changes + 1, sizeof *lens), *which = calloc(r->n_changes + 1, sizeof *which);
    size_t n = 0;
    if (!names || !out || !sha || !lens || !which ||
        syncstate_path(r->cfg->state_dir, r->cur.bundle, live, sizeof live) < 0)
        goto done;
    for (size_t i = 0; i < r->n_changes; i++) {
        const change *c = &r->changes[i];
        char path[PLATFORM_PATH_EXTRA_MAX];
        if (c->removed || c->held || object_path(r, c->sha, "", path, sizeof path) < 0 || platform_is_file(path))
            continue;
        names[n] = c->name;
        memcpy(sha[n], c->sha, 32);
        which[n++] = i;
    }
    if (n)
        apply_extract_records(live, names, (const unsigned char(*)[32])sha, out, lens, n);
    for (size_t k = 0; k < n; k++) {
        char path[PLATFORM_PATH_EXTRA_MAX];
        if (!out[k] || hold_record(r, &r->changes[which[k]], out[k], lens[k]))
            continue;
        if (object_path(r, sha[k], "", path, sizeof path) == 0 && write_object(path, out[k], lens[k]) < 0)
            platform_log(PLATFORM_LOG_WARN, "sync: cannot write %s: %s (it will be downloaded)", path, strerror(errno));
        free(out[k]);
    }
done:
    free(names);
    free(out);
    free(sha);
    free(lens);
    free(which);
}

/* ---- download and install -------------------------------------------------- */

/* a + b, saturating: lengths come from signed but hostile metadata. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Bundle bytes per record byte of an item or the base, measured: an item's
 * text is kept twice (its rows and its search units) and indexed twice
 * (words and trigrams), 4.2 x its record at 1,000 synthetic items (46.5 MB
 * of bundle for 11.2 MB of records), 3.2 x at 10,000; a whole build's
 * scratch index (`<staging>-index`) holds some more until the end. That
 * first sync peaked at 60.8 MB of disk, 5.4 x the records; this estimate
 * asks 6 x (the record and 5 x for its rows). An asset's bytes are stored
 * as they come. Counted at 2 x, a first sync on a tight disk downloaded
 * every record before the disk filled mid-build. */
#define ROWS_PER_RECORD_BYTE 5

/* a * k, saturating. */
static uint64_t mul_sat(uint64_t a, uint64_t k)
{
    return k && a > UINT64_MAX / k ? UINT64_MAX : a * k;
}

/* Room a change still needs: its object (less what is already downloaded)
 * and its rows in the staging bundle. */
static uint64_t room_for(run *r, const change *c)
{
    char path[PLATFORM_PATH_EXTRA_MAX];
    int64_t have = 0;
    if (c->held || (object_path(r, c->sha, "", path, sizeof path) == 0 && platform_file_size(path) == (int64_t)c->len))
        have = (int64_t)c->len;
    else if (object_path(r, c->sha, ".part", path, sizeof path) == 0)
        have = platform_file_size(path);
    uint64_t left = have > 0 && (uint64_t)have <= c->len ? c->len - (uint64_t)have : c->len;
    int asset = strncmp(c->name, "assets/", 7) == 0;
    return add_sat(left, asset ? c->len : mul_sat(c->len, ROWS_PER_RECORD_BYTE));
}

static int check_disk(run *r, uint64_t live_size)
{
    uint64_t need = add_sat(live_size, DISK_MARGIN);
    for (size_t i = 0; i < r->n_changes; i++)
        if (!r->changes[i].removed)
            need = add_sat(need, room_for(r, &r->changes[i]));
    int64_t have = platform_free_bytes(r->cfg->state_dir);
    if (have >= 0 && (uint64_t)have < need)
        return fail(r, "not enough free disk: a sync needs %" PRIu64 " MB, %" PRId64 " MB free",
                    need / 1048576 + 1, have / 1048576);
    return 0;
}

/* Removes what an interrupted install left behind: a staging file, a bundle
 * renamed into place that `current` never named, a third bundle not yet
 * pruned. They hold room this run needs, and otherwise only a successful
 * install removes them, so on a tight disk the free-disk check would refuse
 * every later sync. Keeps the live bundle and the newest one below it (the
 * fallback); does nothing while no bundle is named live. */
static void drop_leftovers(run *r)
{
    uint64_t v[16], prev = 0;
    if (!r->cur.version)
        return;
    int n = syncstate_list_bundles(r->cfg->state_dir, v, 16);
    for (int i = 0; i < n && !prev; i++)
        if (v[i] < r->cur.version)
            prev = v[i];
    syncstate_prune_bundles(r->cfg->state_dir, r->cur.version, prev);
}

/* The records and bytes the downloads will report against. */
static void progress_totals(run *r)
{
    r->progress.records_total = r->n_changes;
    for (size_t i = 0; i < r->n_changes; i++)
        if (!r->changes[i].removed)
            r->progress.bytes_total += r->changes[i].len;
}

/* Downloads c's record into memory and keeps it there (hold_record).
 * 1: held; 0: not (no room, or already in objects/: ensure_object then);
 * -1 (r->err): the download failed or is not the signed record. */
static int download_held(run *r, change *c)
{
    char path[PLATFORM_PATH_EXTRA_MAX], url[PLATFORM_PATH_EXTRA_MAX], rel[128], why[512];
    if (!may_hold(r, c->len) || object_path(r, c->sha, "", path, sizeof path) < 0 ||
        platform_file_size(path) == (int64_t)c->len)
        return 0;
    if (object_url(r, c->sha, rel, url, sizeof url) < 0)
        return -1;
    char *buf = NULL;
    size_t len = 0;
    unsigned char got[32];
    fetch_result fr = fetch_mem(r->net, url, (size_t)c->len, NULL, NULL, &buf, &len, why, sizeof why);
    if (fr != FETCH_OK)
        return object_failed(r, rel, fr, why);
    crypto_hash_sha256(got, (const unsigned char *)buf, len);
    if (len != c->len || sodium_memcmp(got, c->sha, 32) != 0) {
        free(buf);
        return not_signed(r, rel);
    }
    return hold_record(r, c, (unsigned char *)buf, len);
}

static int download_records(run *r)
{
    progress_totals(r);
    report(r, "downloading");
    for (size_t i = 0; i < r->n_changes; i++) {
        change *c = &r->changes[i];
        int fetched = 0;
        if (!c->removed && !c->held) {
            int held = download_held(r, c);
            if (held < 0 || (!held && ensure_object(r, c->sha, c->len, &fetched) < 0))
                return -1;
            fetched |= held;
        }
        r->res->records_fetched += (size_t)fetched;
        r->progress.records_done++;
        r->progress.bytes_done += c->removed ? 0 : c->len;
        report(r, "downloading");
    }
    return 0;
}

/* The bundle kept beside a new live one (version next): the one it
 * replaces when that verified, else the newest other one (the content
 * that worked before the live one was damaged). */
static uint64_t fallback_version(run *r, uint64_t next)
{
    uint64_t v[16];
    if (r->live_ok && r->cur.version != next)
        return r->cur.version;
    int n = syncstate_list_bundles(r->cfg->state_dir, v, 16);
    for (int i = 0; i < n; i++)
        if (v[i] != next && v[i] != r->cur.version)
            return v[i];
    return next;
}

/* Marks the previous bundle as being updated, durably, before anything
 * writes to it: renamed to the staging name, which nothing opens and the
 * next run deletes. A power cut mid-update thus leaves no half-updated file
 * under a bundle's name; the next install copies the live one. */
static int claim_previous(run *r, previous *p, const char *staging)
{
    if (rename(p->path, staging) < 0 || platform_fsync_parent(staging) < 0)
        return fail(r, "cannot rename %s to update it: %s", p->cur.bundle, strerror(errno));
    return 0;
}

/* After a switch: the bundle that was live is the one the next install
 * updates in place. Without a verified live bundle there is none. */
static void remember_previous(run *r, const syncstate_current *was)
{
    char path[PLATFORM_PATH_EXTRA_MAX], why[300];
    if (r->live_ok && was->version) {
        if (syncstate_write_previous(r->cfg->state_dir, was, why, sizeof why) < 0)
            platform_log(PLATFORM_LOG_WARN, "sync: %s", why);
    } else if (syncstate_path(r->cfg->state_dir, "previous", path, sizeof path) == 0) {
        unlink(path);
    }
}

/* A kill while `previous` was written leaves its temporary file; a run
 * that finds the live bundle current would otherwise never remove it. */
static void drop_previous_tmp(run *r)
{
    char path[PLATFORM_PATH_EXTRA_MAX];
    if (syncstate_path(r->cfg->state_dir, "previous.tmp", path, sizeof path) == 0)
        unlink(path);
}

/* The downloads of a whole build, made on the prefetch thread while the
 * builder writes the records before them. The thread has a run of its own
 * (cfg, base and a connection of its own, whose cancel flag is `stop`) for
 * ensure_object and its errors: it shares nothing mutable with the run. */
typedef struct {
    run *r;                     /* the run served: read on the thread only for changes */
    run dl;                     /* the thread's */
    atomic_int stop;            /* dl.net's cancel flag, raised by prefetch */
    prefetch *pf;
    size_t fetched;             /* records downloaded; read after prefetch_end */
    int failed;                 /* main thread: -1 a download failed, -2 cancelled */
} feed;

/* On the prefetch thread: record i downloaded (or found cached) and
 * checked against its signed hash and length. */
static int feed_get(void *user, size_t i, char *err, size_t errcap)
{
    feed *f = user;
    const change *c = &f->r->changes[i];
    int fetched = 0;
    if (!c->removed && ensure_object(&f->dl, c->sha, c->len, &fetched) < 0) {
        snprintf(err, errcap, "%s", f->dl.err);
        return -1;
    }
    f->fetched += (size_t)fetched;
    return 0;
}

/* apply's ready hook, on the sync's thread: waits for record i, reports
 * the progress the downloads have made. */
static int feed_ready(void *user, size_t i, char *err, size_t errcap)
{
    feed *f = user;
    run *r = f->r;
    int rc = prefetch_wait(f->pf, i, r->cfg->net.cancel, err, errcap);
    if (rc < 0) {
        f->failed = rc;
        return -1;
    }
    r->progress.records_done = i + 1;
    r->progress.bytes_done += r->changes[i].removed ? 0 : r->changes[i].len;
    report(r, i + 1 < r->n_changes ? "downloading" : "applying");
    return 0;
}

/* Builds and checks the staging bundle, then switches: rename to its
 * versioned name, fsync the directory, replace `current`. The staging
 * bundle is a copy of the live one (from_live), the previous bundle
 * renamed (prev, in place), or new; fed: its records still arrive. */
static int install(run *r, const meta_doc *snap, const char *snap_hex, int from_live, previous *prev, feed *fed)
{
    char live[PLATFORM_PATH_EXTRA_MAX], staging[PLATFORM_PATH_EXTRA_MAX], final[PLATFORM_PATH_EXTRA_MAX], name[64];
    uint64_t t0 = platform_now_us();
    syncstate_bundle_name(snap->version, name);
    if (syncstate_path(r->cfg->state_dir, name, final, sizeof final) < 0 ||
        snprintf(staging, sizeof staging, "%s.staging", final) >= (int)sizeof staging ||
        syncstate_path(r->cfg->state_dir, r->cur.bundle, live, sizeof live) < 0)
        return fail(r, "state path too long");
    apply_change *ac = calloc(r->n_changes ? r->n_changes : 1, sizeof *ac);
    char **paths = calloc(r->n_changes ? r->n_changes : 1, sizeof *paths);
    int rc = -1;
    if (!ac || !paths) {
        fail(r, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < r->n_changes; i++) {
        const change *c = &r->changes[i];
        ac[i].name = c->name;
        if (c->removed)
            continue;
        ac[i].sha = c->sha;
        if (c->held) {
            ac[i].record = c->held;
            ac[i].record_len = (size_t)c->len;
        } else if (!(ac[i].record_path = paths[i] = object_path_dup(r, c->sha))) {
            goto done;
        }
    }
    if (!fed)
        report(r, "applying");
    if (prev && claim_previous(r, prev, staging) < 0)
        goto done;
    apply_job job = {.live = from_live && !prev ? live : NULL, .staging = staging, .in_place = prev != NULL,
                     .changes = ac, .n_changes = r->n_changes, .digest = snap->digest,
                     .cancel = r->cfg->net.cancel, .ready = fed ? feed_ready : NULL, .ready_user = fed};
    char why[512];
    if (apply_build(&job, &r->res->apply, why, sizeof why) < 0) {
        if (r->cfg->net.cancel && atomic_load(r->cfg->net.cancel))
            r->cancelled = 1;
        r->in_place_refused = prev != NULL;
        if (fed && fed->failed)  /* the download's own message: nothing was refused */
            fail(r, "%s", why);
        else
            fail(r, "new bundle refused: %s", why);
        goto done;
    }
    if (rename(staging, final) < 0 || platform_fsync_parent(final) < 0) {
        fail(r, "cannot install %s: %s", final, strerror(errno));
        unlink(staging);
        goto done;
    }
    syncstate_current next = {.version = snap->version, .root = r->root.version};
    memcpy(next.root_sha256, r->st.root_sha256, 65);
    snprintf(next.bundle, sizeof next.bundle, "%s", name);
    memcpy(next.snapshot, snap_hex, 65);
    memcpy(next.digest, snap->digest, 65);
    if (syncstate_write_current(r->cfg->state_dir, &next, why, sizeof why) < 0) {
        fail(r, "%s", why);
        goto done;
    }
    /* apply_build compared the content digest: the kiosk's next start need
     * not compute it again (a failure here only costs that). */
    if (syncstate_mark_verified(r->cfg->state_dir, final, snap->digest, why, sizeof why) < 0)
        platform_log(PLATFORM_LOG_WARN, "sync: %s", why);
    remember_previous(r, &r->cur);
    syncstate_prune_bundles(r->cfg->state_dir, next.version, fallback_version(r, next.version));
    r->cur = next;
    r->res->install_us = platform_now_us() - t0;
    rc = 0;
done:
    free(ac);
    free_paths(paths, r->n_changes);
    return rc;
}

/* A bundle built from nothing (the first full sync) while its records
 * download (prefetch.h): each is downloaded and checked on the prefetch
 * thread, and the builder takes it once it is, so the downloads overlap
 * the build instead of coming before it. */
static int install_fed(run *r, const meta_doc *snap, const char *snap_hex)
{
    feed *f = calloc(1, sizeof *f);
    fetch_opts net;
    fetch_stats st;
    int rc = -1;
    if (!f)
        return fail(r, "out of memory");
    f->r = r;
    f->dl.cfg = r->cfg;
    memcpy(f->dl.base, r->base, sizeof f->dl.base);
    net = net_opts(r, &f->stop);
    if (!(f->dl.net = fetch_new(&net))) {
        fail(r, "cannot start the network library");
        goto done;
    }
    fetch_set_deadline(f->dl.net, r->deadline_ms);
    progress_totals(r);
    report(r, "downloading");
    if (!(f->pf = prefetch_start(r->n_changes, feed_get, f, &f->stop))) {
        fail(r, "cannot start the download thread");
        goto done;
    }
    rc = install(r, snap, snap_hex, 0, NULL, f);
done:
    prefetch_end(f->pf);
    if (f->failed == -2 || (rc < 0 && r->cfg->net.cancel && atomic_load(r->cfg->net.cancel))) {
        r->cancelled = 1;
        fail(r, "cancelled");
    }
    r->res->records_fetched += f->fetched;
    if (f->dl.net) {
        fetch_get_stats(f->dl.net, &st);
        r->fed_net.requests += st.requests;
        r->fed_net.bytes_down += st.bytes_down;
    }
    fetch_free(f->dl.net);
    free(f);
    return rc;
}

/* After an install only the live and previous snapshots (was: the one
 * that was live, or NULL) and their bins stay in objects/. */
static void prune_objects(run *r, const meta_doc *snap, const unsigned char snap_sha[32], const meta_doc *was,
                          const char *was_hex)
{
    char dir[PLATFORM_PATH_EXTRA_MAX];
    if (syncstate_path(r->cfg->state_dir, "objects", dir, sizeof dir) < 0)
        return;
    size_t n = snap->n_files + 2 + (was ? was->n_files : 0), k = 0;
    char (*keep)[65] = calloc(n, sizeof *keep);
    if (!keep)
        return;
    hex_of(snap_sha, keep[k++]);
    for (size_t i = 0; i < snap->n_files; i++)
        if (strncmp(snap->files[i].path, "bins/", 5) == 0)
            hex_of(snap->files[i].sha256, keep[k++]);
    if (was)
        snprintf(keep[k++], 65, "%s", was_hex);
    for (size_t i = 0; was && i < was->n_files; i++)
        if (strncmp(was->files[i].path, "bins/", 5) == 0)
            hex_of(was->files[i].sha256, keep[k++]);
    char path[PLATFORM_PATH_EXTRA_MAX];
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int kept = 0;
        for (size_t i = 0; i < k && !kept; i++)
            kept = !strcmp(e->d_name, keep[i]);
        if (!kept && snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
            unlink(path);
    }
    if (d)
        closedir(d);
    free(keep);
}

/* ---- one run ----------------------------------------------------------- */

/* Plans, downloads and installs snap: in place into prev (its snapshot
 * planned against), else into a copy of the live bundle (have_old: its
 * snapshot r->cur's was loaded) or a new one. */
static int stage_and_install(run *r, const meta_doc *snap, const char *snap_hex, const meta_doc *old, previous *prev)
{
    if (plan(r, snap, prev ? &prev->snap : old) < 0)
        return -1;
    char live[PLATFORM_PATH_EXTRA_MAX];
    int64_t live_size = 0;
    if (old && syncstate_path(r->cfg->state_dir, r->cur.bundle, live, sizeof live) == 0)
        live_size = platform_file_size(live);
    if (live_size < 0)
        live_size = 0;
    drop_leftovers(r);
    r->hold = prev != NULL;
    if (prev)
        extract_from_live(r);
    if (check_disk(r, prev ? 0 : (uint64_t)live_size) < 0)
        return -1;
    r->res->changes = r->n_changes;
    if (!prev && live_size == 0) /* built from nothing */
        return install_fed(r, snap, snap_hex);
    if (download_records(r) < 0)
        return -1;
    if (r->cfg->net.cancel && atomic_load(r->cfg->net.cancel)) {
        r->cancelled = 1;
        return fail(r, "cancelled");
    }
    return install(r, snap, snap_hex, live_size > 0, prev, NULL);
}

/* The live snapshot is not planned against: the new version is built
 * whole, from verified records. */
static void forget_old(meta_doc *old, char **old_buf, int *have_old)
{
    meta_free(old);
    free(*old_buf);
    *old_buf = NULL;
    *have_old = 0;
}

/* 1 when every page of the live bundle reads (quick_check, O(bundle)): run
 * only before it is copied whole to become the staging file, which the
 * per-check apply_live_verifies (O(bins)) cannot vouch for. A damaged one
 * is not copied and no longer counts as verified (no fallback to it, not
 * kept as previous). */
static int live_pages_ok(run *r)
{
    char live[PLATFORM_PATH_EXTRA_MAX], why[300];
    if (syncstate_path(r->cfg->state_dir, r->cur.bundle, live, sizeof live) < 0)
        return 0;
    if (apply_live_pages_ok(live, why, sizeof why))
        return 1;
    platform_log(PLATFORM_LOG_WARN, "sync: the live bundle %s is damaged (%s); it is built again from verified "
                 "records", r->cur.bundle, why);
    r->live_ok = 0;
    return 0;
}

/* The new version: snapshot, plan, download, install. */
static int update_to(run *r, const meta_doc *ts)
{
    meta_doc snap, old;
    char *snap_buf = NULL, *old_buf = NULL, snap_hex[65];
    int have_old = 0, rc = -1;
    previous prev = {.fd = -1};
    if (load_meta(r, &ts->files[0], META_SNAPSHOT, "snapshot", &snap, &snap_buf) < 0)
        return -1;
    hex_of(ts->files[0].sha256, snap_hex);
    if (check_snapshot(r, ts, &snap, snap_buf) < 0)
        goto done;
    have_old = r->live_ok && load_live_snapshot(r, &old, &old_buf) == 0;
    if (have_old && !live_schema_current(r)) {
        /* Installed by a kiosk that read another schema: its index has
         * other tables, so the copy cannot be updated in place. */
        platform_log(PLATFORM_LOG_WARN, "sync: the live bundle has another schema; building version %" PRIu64 " whole",
                     snap.version);
        forget_old(&old, &old_buf, &have_old);
    }
    if (r->cur.version && r->live_ok && !have_old)
        platform_log(PLATFORM_LOG_WARN, "sync: the live snapshot is not cached; building version %" PRIu64 " whole",
                     snap.version);
    report(r, "checking");
    char was_hex[65];
    memcpy(was_hex, r->cur.snapshot, 65);
    if (have_old && open_previous(r, &prev) == 0) {
        if (stage_and_install(r, &snap, snap_hex, have_old ? &old : NULL, &prev) == 0)
            goto installed;
        if (r->cancelled || !r->in_place_refused)
            goto done;
        /* The previous bundle could not be brought up to date (damaged
         * since it was live?): it is gone, and a copy of the live one is
         * the way that always works. */
        platform_log(PLATFORM_LOG_WARN, "sync: updating %s in place failed (%s); copying the live bundle",
                     prev.cur.bundle, r->err);
        close_previous(&prev);
        drop_changes(r);
        r->res->records_held = 0;
        memset(&r->progress, 0, sizeof r->progress);
    }
    if (have_old && !live_pages_ok(r))
        forget_old(&old, &old_buf, &have_old);
    if (stage_and_install(r, &snap, snap_hex, have_old ? &old : NULL, NULL) < 0)
        goto done;
installed:
    prune_objects(r, &snap, ts->files[0].sha256, have_old ? &old : NULL, was_hex);
    rc = 0;
done:
    close_previous(&prev);
    if (have_old)
        meta_free(&old);
    free(old_buf);
    meta_free(&snap);
    free(snap_buf);
    return rc;
}

/* Sets r->live_ok: whether the live bundle opens and has the digest it was
 * installed with, by its records digest (O(bins), apply_live_verifies): it
 * runs on every check, also those that find nothing new, so it must not
 * read the whole bundle. A bad block it does not read is found before the
 * bundle is copied (live_pages_ok) and by the background scrub (scrub.h).
 * A damaged one is neither "current" nor copied into the next bundle: the
 * next install builds from verified records (a full download) and the
 * previous bundle stays as fallback. */
static void check_live(run *r)
{
    char live[PLATFORM_PATH_EXTRA_MAX], why[300];
    r->live_ok = 0;
    if (!r->cur.version || syncstate_path(r->cfg->state_dir, r->cur.bundle, live, sizeof live) < 0)
        return;
    r->live_ok = apply_live_verifies(live, r->cur.digest, why, sizeof why);
    if (!r->live_ok)
        platform_log(PLATFORM_LOG_WARN, "sync: the live bundle %s is damaged (%s); it is built again from verified "
                     "records", r->cur.bundle, why);
}

/* The live bundle is this version: same version and same snapshot (after a
 * key rotation a new key's version may carry the number of one a leaked
 * key signed), and it still verifies (a damaged one is built again). */
static int is_current(run *r, const meta_doc *ts)
{
    char hex[65];
    hex_of(ts->files[0].sha256, hex);
    return r->live_ok && ts->version == r->cur.version && !strcmp(hex, r->cur.snapshot);
}

/* Timestamp, roots, and the decision: current, or update. Returns 1 when
 * the live bundle is current, 0 when a new one was installed, -1. */
static int check(run *r)
{
    char *buf = NULL, why[300], etag[128] = "";
    size_t len;
    fetch_result fr;
    report(r, "checking");
    check_live(r);
    /* A damaged live bundle must not be answered "not modified". */
    const char *etag_in = r->live_ok ? r->st.etag : "";
    if (get_small(r, "timestamp.txt", TIMESTAMP_MAX, etag_in, etag, &buf, &len, &fr) < 0)
        return -1;
    if (fr == FETCH_NOT_FOUND)
        return fail(r, "no repository at %s (timestamp.txt not found)", r->base);
    if (fr == FETCH_NOT_MODIFIED) {
        /* The timestamp we verified last time is still the newest; it must
         * also still be fresh. */
        if (r->st.expires <= r->now) {
            r->st.stale = 1;
            return fail(r, "timestamp.txt expired (unchanged since the last check)");
        }
        return 1;
    }
    meta_doc ts;
    int rc = -1;
    if (meta_parse(buf, len, &ts, why, sizeof why) < 0) {
        free(buf);
        return fail(r, "timestamp.txt: %s", why);
    }
    if (update_roots(r) < 0 || check_timestamp(r, &ts, buf) < 0)
        goto done;
    if (is_current(r, &ts)) {
        rc = 1;
    } else if (update_to(r, &ts) == 0) {
        rc = 0;
    } else {
        goto done;
    }
    raise_floor(r, &ts);
    snprintf(r->st.etag, sizeof r->st.etag, "%s", etag);
    r->st.stale = 0;
done:
    meta_free(&ts);
    free(buf);
    return rc;
}

static void finish(run *r, int rc)
{
    sync_result *res = r->res;
    char why[300];
    if (rc >= 0) {
        res->outcome = rc == 1 ? SYNC_CURRENT : SYNC_INSTALLED;
        snprintf(res->message, sizeof res->message, rc == 1 ? "version %" PRIu64 " is current" :
                 "installed version %" PRIu64, r->cur.version);
        r->st.last_success = r->clock;
        r->st.failures = 0;
        r->st.last_error[0] = '\0';
    } else {
        res->outcome = r->cancelled ? SYNC_CANCELLED : SYNC_FAILED;
        /* The message may quote unsigned input (timestamp.txt, a server's
         * answer): no ESC sequence reaches a terminal through the log or
         * `status`. */
        utf8_escape_controls(r->err, res->message, sizeof res->message);
        snprintf(r->st.last_error, sizeof r->st.last_error, "%s", res->message);
        if (!r->cancelled)
            r->st.failures++;
    }
    res->version = r->cur.version;
    res->bundle[0] = '\0';
    if (r->cur.version)
        syncstate_path(r->cfg->state_dir, r->cur.bundle, res->bundle, sizeof res->bundle);
    if (r->net)
        fetch_get_stats(r->net, &res->net);
    res->net.requests += r->fed_net.requests;
    res->net.bytes_down += r->fed_net.bytes_down;
    if (syncstate_write_status(r->cfg->state_dir, &r->st, why, sizeof why) < 0)
        platform_log(PLATFORM_LOG_ERROR, "sync: %s", why);
    if (!r->cfg->quiet)
        platform_log(res->outcome == SYNC_FAILED ? PLATFORM_LOG_ERROR : PLATFORM_LOG_INFO, "sync: %s%s",
                     res->outcome == SYNC_FAILED ? "failed, the installed content stays: " : "", res->message);
}

sync_outcome sync_run(const sync_cfg *cfg, sync_result *res)
{
    run r = {.cfg = cfg, .res = res};
    char why[300];
    memset(res, 0, sizeof *res);
    int rc = -1;
    if (syncstate_prepare(cfg->state_dir, r.err, sizeof r.err) < 0) {
        res->outcome = SYNC_FAILED;
        snprintf(res->message, sizeof res->message, "%s", r.err);
        platform_log(PLATFORM_LOG_ERROR, "sync: %s", r.err);
        return SYNC_FAILED;
    }
    /* One sync per state directory: a second one (an operator's
     * --sync-once while the kiosk syncs) would share the staging file. The
     * lock goes with the process, also when it is killed. */
    int lock = syncstate_lock(cfg->state_dir);
    if (lock < 0) {
        res->outcome = SYNC_FAILED;
        if (errno != EWOULDBLOCK)
            snprintf(res->message, sizeof res->message, "cannot lock %.180s/lock: %s", cfg->state_dir,
                     strerror(errno));
        else
            snprintf(res->message, sizeof res->message, "another sync is running in %.180s", cfg->state_dir);
        if (!cfg->quiet)
            platform_log(PLATFORM_LOG_WARN, "sync: %s", res->message);
        return SYNC_FAILED;
    }
    if (syncstate_read_current(cfg->state_dir, &r.cur, why, sizeof why) < 0)
        platform_log(PLATFORM_LOG_WARN, "sync: %s; the next version is built whole", why);
    drop_previous_tmp(&r);
    if (syncstate_read_status(cfg->state_dir, &r.st, why, sizeof why) < 0)
        platform_log(PLATFORM_LOG_WARN, "sync: %s", why);
    r.clock = cfg->clock ? cfg->clock() : wall_clock();
    r.now = r.clock;
    if (r.st.time_floor < SYNC_TIME_FLOOR_MIN)
        r.st.time_floor = SYNC_TIME_FLOOR_MIN;
    if (r.now < r.st.time_floor)
        r.now = r.st.time_floor;
    r.st.last_attempt = r.clock;
    if (base_url(&r) == 0) {
        fetch_opts net = net_opts(&r, cfg->net.cancel);
        if (!(r.net = fetch_new(&net))) {
            fail(&r, "cannot start the network library");
        } else {
            r.deadline_ms = platform_now_ms() + 1000u * (uint64_t)(cfg->max_run_s > 0 ? cfg->max_run_s : SYNC_MAX_RUN_S);
            fetch_set_deadline(r.net, r.deadline_ms);
            rc = check(&r);
        }
    }
    finish(&r, rc);
    close(lock);
    fetch_free(r.net);
    if (r.have_root)
        meta_free(&r.root);
    free(r.root_buf);
    drop_changes(&r);
    free(r.changes);
    return res->outcome;
}

int sync_live_bundle(const char *state_dir, char *path, size_t cap)
{
    syncstate_current cur;
    char why[300];
    if (syncstate_read_current(state_dir, &cur, why, sizeof why) == 0 &&
        syncstate_path(state_dir, cur.bundle, path, cap) == 0 && platform_is_file(path))
        return 0;
    uint64_t v[1];
    char name[64];
    if (syncstate_list_bundles(state_dir, v, 1) != 1)
        return -1;
    syncstate_bundle_name(v[0], name);
    return syncstate_path(state_dir, name, path, cap);
}
