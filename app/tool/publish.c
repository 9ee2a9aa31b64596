#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "fts.h"
#include "meta.h"
#include "platform.h"
#include "record.h"
#include "records.h"

#define N_BINS 256

typedef struct {
    char name[META_PATH_MAX];   /* "items/<id>", "assets/<name>", "base" */
    char sha[65];
    size_t len;
} entry;

typedef struct {
    const char *repo;
    const unsigned char *sk;
    publish_report *report;
    char *err;
    size_t errcap;
    entry *entries;
    size_t n, cap;
} pub;

static void sha_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Stores bytes as objects/<sha256> unless it is there; fills sha. */
static int put_object(pub *p, const void *data, size_t len, char sha[65])
{
    char path[PLATFORM_PATH_EXTRA_MAX];
    sha_hex(data, len, sha);
    snprintf(path, sizeof path, "%s/objects/%s", p->repo, sha);
    if (platform_is_file(path)) {
        p->report->objects_kept++;
        return 0;
    }
    /* objects/ is fsynced once, before the timestamp names them. */
    if (platform_write_replace(path, data, len, p->err, p->errcap) < 0)
        return -1;
    p->report->objects_written++;
    p->report->bytes_written += len;
    return 0;
}

static int add_entry(pub *p, const char *name, const char *sha, size_t len)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        entry *e = realloc(p->entries, cap * sizeof *e);
        if (!e) {
            snprintf(p->err, p->errcap, "out of memory");
            return -1;
        }
        p->entries = e;
        p->cap = cap;
    }
    entry *e = &p->entries[p->n++];
    snprintf(e->name, sizeof e->name, "%s", name);
    memcpy(e->sha, sha, 65);
    e->len = len;
    return 0;
}

/* The record of one piece of content (key: NULL for base), stored as an
 * object and listed. */
static int put_record(pub *p, sqlite3 *db, record_kind kind, const char *prefix, const char *key)
{
    char name[META_PATH_MAX], sha[65];
    if (snprintf(name, sizeof name, "%s%s", prefix, key ? key : "") >= (int)sizeof name) {
        snprintf(p->err, p->errcap, "name too long: %s", key);
        return -1;
    }
    size_t len;
    unsigned char *rec = record_build(db, kind, key, &len, p->err, p->errcap);
    int rc = rec ? put_object(p, rec, len, sha) : -1;
    free(rec);
    return rc < 0 ? -1 : add_entry(p, name, sha, len);
}

/* The item and asset records, each stored as an object. */
static int put_records(pub *p, sqlite3 *db)
{
    static const struct {
        record_kind kind;
        const char *prefix;
        const char *list;
    } kinds[] = {
        {RECORD_ITEM, "items/", "SELECT id FROM items ORDER BY id"},
        {RECORD_ASSET, "assets/", "SELECT name FROM assets ORDER BY name"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, kinds[k].list, -1, &st, NULL) != SQLITE_OK) {
            snprintf(p->err, p->errcap, "%s", sqlite3_errmsg(db));
            return -1;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            if (put_record(p, db, kinds[k].kind, kinds[k].prefix, (const char *)sqlite3_column_text(st, 0)) < 0) {
                sqlite3_finalize(st);
                return -1;
            }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            snprintf(p->err, p->errcap, "%s", sqlite3_errmsg(db));
            return -1;
        }
    }
    return 0;
}

static int bin_of(const char *name)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)name, strlen(name));
    return h[0];
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* Appends to a growing text. */
typedef struct {
    char *s;
    size_t len, cap;
} text;

static int add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return -1;
        if (t->s && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return 0;
        }
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s)
            return -1;
        t->s = s;
        t->cap = cap;
    }
}

/* Parses what is about to be published, as a kiosk will: a name a kiosk
 * would refuse (an asset file "Photo.JPG") stops the publication here. */
static int self_check(pub *p, const char *doc, size_t len)
{
    meta_doc d;
    char why[300];
    if (meta_parse(doc, len, &d, why, sizeof why) < 0) {
        snprintf(p->err, p->errcap, "cannot publish: kiosks would refuse the metadata (%s); "
                 "file names must use a-z 0-9 . _ -", why);
        return -1;
    }
    meta_free(&d);
    return 0;
}

/* Signs body and stores it: as an object (fills sha, len) or at path. */
static int put_signed(pub *p, const text *body, const char *path, char sha[65], size_t *len)
{
    size_t n;
    char *doc = meta_sign(body->s, body->len, (const unsigned char(*)[64])p->sk, 1, &n);
    if (!doc) {
        snprintf(p->err, p->errcap, "out of memory signing");
        return -1;
    }
    if (self_check(p, doc, n) < 0) {
        free(doc);
        return -1;
    }
    int rc = path ? platform_write_atomic(path, doc, n, p->err, p->errcap) : put_object(p, doc, n, sha);
    if (rc == 0 && sha && path)
        sha_hex(doc, n, sha);
    if (len)
        *len = n;
    free(doc);
    return rc;
}

/* Bins: the entries grouped by the first byte of their name's hash. */
static int put_bins(pub *p, text *snapshot)
{
    qsort(p->entries, p->n, sizeof *p->entries, cmp_entry);
    for (int b = 0; b < N_BINS; b++) {
        text bin = {0};
        int count = 0;
        if (add(&bin, "infopoint-meta 1\nrole bin\n") < 0)
            goto nomem;
        for (size_t i = 0; i < p->n; i++) {
            if (!strcmp(p->entries[i].name, "base") || bin_of(p->entries[i].name) != b)
                continue;
            if (add(&bin, "file %s %s %zu\n", p->entries[i].name, p->entries[i].sha, p->entries[i].len) < 0)
                goto nomem;
            count++;
        }
        if (count) {
            char sha[65];
            if (self_check(p, bin.s, bin.len) < 0 || put_object(p, bin.s, bin.len, sha) < 0 ||
                add(snapshot, "file bins/%02x %s %zu\n", b, sha, bin.len) < 0) {
                free(bin.s);
                return -1;
            }
        }
        free(bin.s);
        continue;
    nomem:
        free(bin.s);
        snprintf(p->err, p->errcap, "out of memory");
        return -1;
    }
    return 0;
}

/* The highest N with REPO/root/N.txt, its path in path; 0 when none. */
static uint64_t latest_root(const char *repo, char *path, size_t cap)
{
    for (uint64_t v = 1;; v++) {
        char try_path[PLATFORM_PATH_EXTRA_MAX];
        snprintf(try_path, sizeof try_path, "%s/root/%llu.txt", repo, (unsigned long long)v);
        if (!platform_is_file(try_path))
            return v - 1;
        snprintf(path, cap, "%s", try_path);
    }
}

/* Reads and parses root metadata that must be version `version`. On success
 * the caller frees *buf and meta_free()s root. Returns 0, or -1 with err. */
static int read_root(const char *path, uint64_t version, char **buf, meta_doc *root, char *err, size_t errcap)
{
    char why[300];
    size_t len;
    if (platform_read_file(path, META_MAX_BYTES, buf, &len, why, sizeof why) < 0) {
        snprintf(err, errcap, "%s", why);
        return -1;
    }
    if (meta_parse(*buf, len, root, why, sizeof why) < 0) {
        snprintf(err, errcap, "%s: %s", path, why);
        goto fail;
    }
    if (root->role != META_ROOT || root->version != version) {
        snprintf(err, errcap, "%s: not root metadata version %llu", path, (unsigned long long)version);
        meta_free(root);
        goto fail;
    }
    return 0;
fail:
    free(*buf);
    *buf = NULL;
    return -1;
}

/* "id id id" for messages. */
static void key_ids(const meta_key *keys, int n, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "", keys[i].id);
}

static bool key_listed(const meta_doc *root, const char *id)
{
    for (int i = 0; i < root->n_keys; i++)
        if (!strcmp(root->keys[i].id, id))
            return true;
    return false;
}

/* The key must be in the highest root, whose threshold one signature meets;
 * a repository without a root gets root 1 listing this key. */
static int check_or_make_root(pub *p, int64_t now)
{
    unsigned char pk[32];
    char id[META_KEYID_LEN + 1], pk_hex[65], path[PLATFORM_PATH_EXTRA_MAX];
    crypto_sign_ed25519_sk_to_pk(pk, p->sk);
    meta_key_id(pk, id);
    sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
    uint64_t n = latest_root(p->repo, path, sizeof path);
    if (n > 0) {
        char *buf, listed[META_MAX_KEYS * (META_KEYID_LEN + 1) + 1];
        meta_doc root;
        if (read_root(path, n, &buf, &root, p->err, p->errcap) < 0)
            return -1;
        free(buf);
        int rc = -1;
        key_ids(root.keys, root.n_keys, listed, sizeof listed);
        if (!key_listed(&root, id))
            snprintf(p->err, p->errcap, "key %s is not in this repository's key set (%s lists %s); kiosks would "
                     "refuse it", id, path, listed);
        else if (root.threshold > 1)
            snprintf(p->err, p->errcap, "%s needs %d signatures on every publication; publish signs with one key",
                     path, root.threshold);
        else
            rc = 0;
        meta_free(&root);
        return rc;
    }
    char when[21];
    text t = {0};
    snprintf(path, sizeof path, "%s/root/1.txt", p->repo);
    meta_format_time(now + (int64_t)PUBLISH_ROOT_EXPIRES_DAYS * 86400, when);
    if (add(&t, "infopoint-meta 1\nrole root\nversion 1\nexpires %s\nthreshold 1\nkey %s %s\n", when, id, pk_hex) < 0) {
        snprintf(p->err, p->errcap, "out of memory");
        return -1;
    }
    int rc = put_signed(p, &t, path, NULL, NULL);
    free(t.s);
    return rc;
}

/* Web servers derive the ETag kiosks send back from the modification time
 * in whole seconds and the size (nginx: "mtime-size"). Two publications in
 * one second with timestamps of one size would look unchanged, and kiosks
 * would skip the newer one; so the new timestamp's mtime is always at least
 * a second after the old one's. */
static void newer_mtime(const char *path, const struct stat *old)
{
    struct stat now;
    if (stat(path, &now) < 0 || now.st_mtim.tv_sec > old->st_mtim.tv_sec)
        return;
    struct timespec times[2] = {now.st_atim, {.tv_sec = old->st_mtim.tv_sec + 1, .tv_nsec = 0}};
    utimensat(AT_FDCWD, path, times, 0);
}

/* The version published now, from timestamp.txt (0 when none). */
static int published_version(pub *p, uint64_t *version)
{
    char path[PLATFORM_PATH_EXTRA_MAX], err[300];
    *version = 0;
    snprintf(path, sizeof path, "%s/timestamp.txt", p->repo);
    if (!platform_is_file(path))
        return 0;
    char *buf;
    size_t len;
    meta_doc ts;
    if (platform_read_file(path, META_MAX_BYTES, &buf, &len, err, sizeof err) < 0 ||
        meta_parse(buf, len, &ts, err, sizeof err) < 0) {
        snprintf(p->err, p->errcap, "%s: %s", path, err);
        return -1;
    }
    free(buf);
    *version = ts.version;
    meta_free(&ts);
    return 0;
}

static int bundle_facts(sqlite3 *db, char digest[65], char bundle_version[32], char *err, size_t errcap)
{
    static const char *const keys[] = {"digest", "bundle_version"};
    char *outs[] = {digest, bundle_version};
    size_t caps[] = {65, 32};
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) != SQLITE_OK) {
            snprintf(err, errcap, "not a content bundle: %s", sqlite3_errmsg(db));
            return -1;
        }
        sqlite3_bind_text(st, 1, keys[k], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) {
            snprintf(err, errcap, "the bundle has no %s", keys[k]);
            sqlite3_finalize(st);
            return -1;
        }
        snprintf(outs[k], caps[k], "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    return 0;
}

static int sodium_ready(char *err, size_t errcap)
{
    if (sodium_init() < 0) {
        snprintf(err, errcap, "libsodium failed to initialise");
        return -1;
    }
    return 0;
}

/* REPO, REPO/objects and REPO/root, each unless it is there. */
static int make_repo_dirs(const char *repo_dir, char *err, size_t errcap)
{
    static const char *const subdirs[] = {"", "/objects", "/root"};
    char dir[PLATFORM_PATH_EXTRA_MAX];
    for (int i = 0; i < 3; i++) {
        snprintf(dir, sizeof dir, "%s%s", repo_dir, subdirs[i]);
        if (platform_make_dirs(dir, 0755, err, errcap) < 0)
            return -1;
    }
    return 0;
}

/* The bundle read-only, with the FTS tokenizer its tables name. */
static int open_bundle(const char *bundle_path, sqlite3 **db, char *err, size_t errcap)
{
    char uri[PLATFORM_PATH_EXTRA_MAX];
    snprintf(uri, sizeof uri, "file:%s?mode=ro", bundle_path);
    if (!platform_is_file(bundle_path) ||
        sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK ||
        fts_register(*db) != SQLITE_OK) {
        snprintf(err, errcap, "cannot open bundle %s", bundle_path);
        return -1;
    }
    return 0;
}

/* The newest root's version-floor (0 when none or no root yet). */
static int root_floor(pub *p, uint64_t *floor)
{
    char path[PLATFORM_PATH_EXTRA_MAX], *buf;
    meta_doc root;
    uint64_t n = latest_root(p->repo, path, sizeof path);
    *floor = 0;
    if (n == 0)
        return 0;
    if (read_root(path, n, &buf, &root, p->err, p->errcap) < 0)
        return -1;
    *floor = root.version_floor;
    meta_free(&root);
    free(buf);
    return 0;
}

static int set_meta(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO temp.meta(key, value) VALUES (?1, ?2)", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

/* One version story (issue 14): what kiosks show as the content's version
 * and date is what was published, not what an editor last typed into
 * bundle.conf. The stamp: bundle_version becomes the publication's version,
 * "published" its time (UTC); then (stamp_digests) the records root and the
 * content digest.
 *
 * The bundle file stays as it is (it is opened read-only). The stamped meta
 * is a TEMP table named meta: SQLite looks up an unqualified name in temp
 * before main, so digest_compute and record_build, which read "meta", see
 * the stamp. Copying the bundle instead (into memory) cost 390 MB for
 * 10,000 items. */
static int stamp(sqlite3 *db, uint64_t version, const char *published, char *err, size_t errcap)
{
    char v[24];
    snprintf(v, sizeof v, "%llu", (unsigned long long)version);
    if (sqlite3_exec(db, "CREATE TEMP TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "INSERT INTO temp.meta SELECT key, value FROM main.meta",
                     NULL, NULL, NULL) != SQLITE_OK ||
        set_meta(db, "bundle_version", v) < 0 || set_meta(db, "published", published) < 0) {
        snprintf(err, errcap, "cannot stamp the bundle: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* The records root over the item and asset records put so far (records.h)
 * as meta 'records', then the content digest over all of it (the root
 * included) as meta 'digest'. The base record, built after this, carries
 * the root to kiosks; kiosks that do not know it see one more meta row. */
static int stamp_digests(pub *p, sqlite3 *db)
{
    const char **names = malloc((p->n ? p->n : 1) * sizeof *names);
    unsigned char(*sha)[32] = malloc((p->n ? p->n : 1) * sizeof *sha), root[32];
    int rc = names && sha ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        names[i] = p->entries[i].name;
        rc = sodium_hex2bin(sha[i], 32, p->entries[i].sha, 64, NULL, NULL, NULL);
    }
    if (rc == 0)
        rc = records_root_of(names, (const unsigned char(*)[32])sha, p->n, root);
    free(names);
    free(sha);
    if (rc < 0) {
        snprintf(p->err, p->errcap, "out of memory");
        return -1;
    }
    sodium_bin2hex(p->report->records, sizeof p->report->records, root, 32);
    if (set_meta(db, RECORDS_META_KEY, p->report->records) < 0 ||
        digest_compute(db, p->report->digest, p->err, p->errcap) < 0 ||
        set_meta(db, "digest", p->report->digest) < 0) {
        snprintf(p->err, p->errcap, "cannot stamp the bundle: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* The version to publish: *version, or one above the published one when it
 * is 0 (at least the root's floor); it must be above the published one and
 * not below the floor, which kiosks would refuse as a rollback. */
static int next_version(pub *p, uint64_t *version)
{
    uint64_t published, floor;
    if (published_version(p, &published) < 0 || root_floor(p, &floor) < 0)
        return -1;
    if (*version == 0)
        *version = published + 1 > floor ? published + 1 : floor;
    if (*version < floor) {
        snprintf(p->err, p->errcap, "version %llu is below the key set's version-floor %llu; kiosks would refuse it",
                 (unsigned long long)*version, (unsigned long long)floor);
        return -1;
    }
    if (*version <= published) {
        snprintf(p->err, p->errcap, "version %llu is not above the published version %llu",
                 (unsigned long long)*version, (unsigned long long)published);
        return -1;
    }
    return 0;
}

/* The signed snapshot, stored as an object (fills sha, len): the content's
 * digest, the base record and the bins. */
static int put_snapshot(pub *p, const char *bundle_version, const char *when, char sha[65], size_t *len)
{
    text snap = {0};
    int rc = -1;
    if (add(&snap, "infopoint-meta 1\nrole snapshot\nversion %llu\nexpires %s\ndigest %s\nbundle-version %s\n",
            (unsigned long long)p->report->version, when, p->report->digest, bundle_version) < 0)
        goto nomem;
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->entries[i].name, "base") &&
            add(&snap, "file base %s %zu\n", p->entries[i].sha, p->entries[i].len) < 0)
            goto nomem;
    if (put_bins(p, &snap) == 0)
        rc = put_signed(p, &snap, NULL, sha, len);
    free(snap.s);
    return rc;
nomem:
    snprintf(p->err, p->errcap, "out of memory");
    free(snap.s);
    return -1;
}

/* The signed timestamp naming the snapshot, written last (see below). */
static int put_timestamp(pub *p, const char *when, const char *snap_sha, uint64_t snap_len)
{
    char path[PLATFORM_PATH_EXTRA_MAX];
    text ts = {0};
    if (add(&ts, "infopoint-meta 1\nrole timestamp\nversion %llu\nexpires %s\nfile snapshot %s %llu\n",
            (unsigned long long)p->report->version, when, snap_sha, (unsigned long long)snap_len) < 0) {
        snprintf(p->err, p->errcap, "out of memory");
        free(ts.s);
        return -1;
    }
    /* The objects' names must be durable before the timestamp names them. */
    snprintf(path, sizeof path, "%s/objects/.", p->repo);
    if (platform_fsync_parent(path) < 0) {
        snprintf(p->err, p->errcap, "cannot sync %s/objects: %s", p->repo, strerror(errno));
        free(ts.s);
        return -1;
    }
    /* Last, and atomically: until this rename kiosks see the old version
     * whole; after it, the new one whole. */
    snprintf(path, sizeof path, "%s/timestamp.txt", p->repo);
    struct stat old_ts;
    int had_ts = stat(path, &old_ts) == 0;
    int rc = put_signed(p, &ts, path, NULL, NULL);
    if (rc == 0 && had_ts)
        newer_mtime(path, &old_ts);
    free(ts.s);
    return rc;
}

/* The timestamp's expiry: days after now (0: the default), not after the
 * snapshot's. */
static void timestamp_expiry(int days, int64_t now, int64_t snapshot_expires, char when[21])
{
    int64_t t = now + (int64_t)(days ? days : PUBLISH_TIMESTAMP_DAYS) * 86400;
    meta_format_time(t < snapshot_expires ? t : snapshot_expires, when);
}

static int check_days(const char *what, int days, int allow_zero, char *err, size_t errcap)
{
    if ((days == 0 && allow_zero) || (days >= 1 && days <= 3650))
        return 0;
    snprintf(err, errcap, "%s must be 1 to 3650 days, not %d", what, days);
    return -1;
}

int publish_bundle(const char *bundle_path, const unsigned char sk[64], const char *repo_dir, uint64_t version,
                   int expires_days, int timestamp_days, int64_t now, publish_report *report, char *err,
                   size_t errcap)
{
    memset(report, 0, sizeof *report);
    pub p = {.repo = repo_dir, .sk = sk, .report = report, .err = err, .errcap = errcap};
    sqlite3 *db = NULL;
    int rc = -1;
    char bundle_version[32], when[21], ts_when[21], snap_sha[65];
    size_t snap_len;
    if (sodium_ready(err, errcap) < 0 || check_days("expiry", expires_days, 0, err, errcap) < 0 ||
        check_days("timestamp expiry", timestamp_days, 1, err, errcap) < 0)
        return -1;
    if (make_repo_dirs(repo_dir, err, errcap) < 0)
        return -1;
    if (open_bundle(bundle_path, &db, err, errcap) < 0 ||
        bundle_facts(db, report->digest, bundle_version, err, errcap) < 0 || next_version(&p, &version) < 0)
        goto done;
    report->version = version;
    snprintf(report->content_version, sizeof report->content_version, "%s", bundle_version);
    meta_format_time(now, report->published);
    if (stamp(db, version, report->published, err, errcap) < 0)
        goto done;
    snprintf(bundle_version, sizeof bundle_version, "%llu", (unsigned long long)version);
    /* Items and assets first: the root over them goes into the base. */
    if (check_or_make_root(&p, now) < 0 || put_records(&p, db) < 0 || stamp_digests(&p, db) < 0 ||
        put_record(&p, db, RECORD_BASE, "base", NULL) < 0)
        goto done;
    meta_format_time(now + (int64_t)expires_days * 86400, when);
    timestamp_expiry(timestamp_days, now, now + (int64_t)expires_days * 86400, ts_when);
    if (put_snapshot(&p, bundle_version, when, snap_sha, &snap_len) < 0 ||
        put_timestamp(&p, ts_when, snap_sha, snap_len) < 0)
        goto done;
    rc = 0;
done:
    free(p.entries);
    sqlite3_close(db);
    return rc;
}

/* ---- key rotation ------------------------------------------------------------ */

/* The distinct keys that sign a new root: the current ones, then the new. */
typedef struct {
    unsigned char sks[META_MAX_SIGS][64];
    meta_key keys[META_MAX_SIGS];
    int n;
} signers;

static void public_key(const unsigned char sk[64], meta_key *out)
{
    crypto_sign_ed25519_sk_to_pk(out->pk, sk);
    meta_key_id(out->pk, out->id);
}

/* Adds sk unless it is there (a key signs once). Returns 0 or -1 with err. */
static int add_signer(signers *s, const unsigned char sk[64], char *err, size_t errcap)
{
    meta_key k;
    public_key(sk, &k);
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->keys[i].id, k.id))
            return 0;
    if (s->n == META_MAX_SIGS) {
        snprintf(err, errcap, "more than %d distinct keys would sign the new key set", META_MAX_SIGS);
        return -1;
    }
    memcpy(s->sks[s->n], sk, 64);
    s->keys[s->n++] = k;
    return 0;
}

/* The signed new root, checked as a kiosk trusting `current` will. */
static int check_next_root(const meta_doc *current, const char *doc, size_t len, const char *path, char *err,
                           size_t errcap)
{
    meta_doc next;
    char why[300];
    int rc = meta_parse(doc, len, &next, why, sizeof why);
    if (rc == 0) {
        rc = meta_verify_root_update(current, &next, doc, why, sizeof why);
        meta_free(&next);
    }
    if (rc < 0)
        snprintf(err, errcap, "%.100s: kiosks would refuse it (%.160s)", path, why);
    return rc;
}

/* The current keys vouch for the new set: each listed in `current`, at
 * least its threshold of them. */
static int add_current_signers(signers *s, const meta_doc *current, const char *path,
                               const unsigned char (*sks)[64], int n, char *err, size_t errcap)
{
    char listed[META_MAX_KEYS * (META_KEYID_LEN + 1) + 1];
    key_ids(current->keys, current->n_keys, listed, sizeof listed);
    for (int i = 0; i < n; i++) {
        meta_key k;
        public_key(sks[i], &k);
        if (!key_listed(current, k.id)) {
            snprintf(err, errcap, "key %s is not in the current key set (%s lists %s); only those keys can change it",
                     k.id, path, listed);
            return -1;
        }
        if (add_signer(s, sks[i], err, errcap) < 0)
            return -1;
    }
    if (s->n < current->threshold) {
        snprintf(err, errcap, "%s needs %d of its keys to sign a new key set, %d given", path, current->threshold,
                 s->n);
        return -1;
    }
    return 0;
}

static int check_rotation_args(int n_old, int n_new, int threshold, int expires_days, char *err, size_t errcap)
{
    if (n_old < 1 || n_old > META_MAX_KEYS || n_new < 1 || n_new > META_MAX_KEYS) {
        snprintf(err, errcap, "a key set change needs 1 to %d current keys and 1 to %d new keys", META_MAX_KEYS,
                 META_MAX_KEYS);
        return -1;
    }
    if (threshold < 1 || threshold > n_new) {
        snprintf(err, errcap, "threshold must be 1 to the number of new keys (%d), not %d", n_new, threshold);
        return -1;
    }
    if (expires_days < 1 || expires_days > PUBLISH_ROOT_EXPIRES_DAYS) {
        snprintf(err, errcap, "expiry must be 1 to %d days, not %d", PUBLISH_ROOT_EXPIRES_DAYS, expires_days);
        return -1;
    }
    return 0;
}

/* Every new key signs too: it proves the set's keys are held. Fills keys
 * with their public halves; a key given twice is refused. */
static int add_new_signers(signers *s, const unsigned char (*sks)[64], int n, meta_key *keys, char *err,
                           size_t errcap)
{
    for (int i = 0; i < n; i++) {
        public_key(sks[i], &keys[i]);
        for (int j = 0; j < i; j++)
            if (!strcmp(keys[j].id, keys[i].id)) {
                snprintf(err, errcap, "new key %s given twice", keys[i].id);
                return -1;
            }
        if (add_signer(s, sks[i], err, errcap) < 0)
            return -1;
    }
    return 0;
}

/* The unsigned text of root `version` listing keys with threshold. */
static int root_body(text *body, uint64_t version, const char *when, int threshold, uint64_t floor,
                     const meta_key *keys, int n)
{
    if (add(body, "infopoint-meta 1\nrole root\nversion %llu\nexpires %s\nthreshold %d\n",
            (unsigned long long)version, when, threshold) < 0)
        return -1;
    if (floor && add(body, "version-floor %llu\n", (unsigned long long)floor) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, keys[i].pk, sizeof keys[i].pk);
        if (add(body, "key %s %s\n", keys[i].id, hex) < 0)
            return -1;
    }
    return 0;
}

/* Writes the signed new root at path. Checked before it is written, so a
 * refused set is never published, and read back after, so what is on disk
 * is what was checked (removed when it is not). */
static int write_checked_root(const meta_doc *current, const char *doc, size_t len, const char *path, char *err,
                              size_t errcap)
{
    char *back = NULL, why[300];
    size_t back_len = 0;
    if (check_next_root(current, doc, len, path, err, errcap) < 0 ||
        platform_write_atomic(path, doc, len, err, errcap) < 0)
        return -1;
    int rc = 0;
    if (platform_read_file(path, META_MAX_BYTES, &back, &back_len, why, sizeof why) < 0 || back_len != len ||
        memcmp(back, doc, len) != 0 || check_next_root(current, back, back_len, path, why, sizeof why) < 0) {
        snprintf(err, errcap, "%s did not read back as written; removed it", path);
        unlink(path);
        rc = -1;
    }
    free(back);
    return rc;
}

static void fill_rotation(publish_rotation *report, uint64_t version, const meta_key *keys, int n, const signers *s)
{
    report->version = version;
    for (int i = 0; i < n; i++)
        memcpy(report->keys[i], keys[i].id, sizeof report->keys[i]);
    report->n_keys = n;
    for (int i = 0; i < s->n; i++)
        memcpy(report->signers[i], s->keys[i].id, sizeof report->signers[i]);
    report->n_signers = s->n;
}

int publish_rotate_key(const char *repo_dir, const unsigned char (*old_sks)[64], int n_old,
                       const unsigned char (*new_sks)[64], int n_new, int threshold, int expires_days, int64_t now,
                       uint64_t version_floor, publish_rotation *report, char *err, size_t errcap)
{
    memset(report, 0, sizeof *report);
    char cur_path[PLATFORM_PATH_EXTRA_MAX], next_path[PLATFORM_PATH_EXTRA_MAX], when[21];
    char *cur_buf = NULL, *doc = NULL;
    meta_doc cur = {0};
    meta_key new_keys[META_MAX_KEYS];
    signers s = {0};
    text body = {0};
    size_t len = 0;
    int rc = -1;
    if (sodium_ready(err, errcap) < 0 || check_rotation_args(n_old, n_new, threshold, expires_days, err, errcap) < 0)
        return -1;
    uint64_t n = latest_root(repo_dir, cur_path, sizeof cur_path);
    if (n == 0) {
        snprintf(err, errcap, "%s has no root/1.txt: publish into it first (that makes root 1 from the publishing key)",
                 repo_dir);
        return -1;
    }
    if (read_root(cur_path, n, &cur_buf, &cur, err, errcap) < 0)
        return -1;
    if (version_floor == PUBLISH_FLOOR_PUBLISHED) {
        pub p = {.repo = repo_dir, .err = err, .errcap = errcap};
        if (published_version(&p, &version_floor) < 0)
            goto done;
    }
    if (add_current_signers(&s, &cur, cur_path, old_sks, n_old, err, errcap) < 0 ||
        add_new_signers(&s, new_sks, n_new, new_keys, err, errcap) < 0)
        goto done;
    snprintf(next_path, sizeof next_path, "%s/root/%llu.txt", repo_dir, (unsigned long long)(n + 1));
    if (access(next_path, F_OK) == 0) {
        snprintf(err, errcap, "%s already exists; a root is never replaced", next_path);
        goto done;
    }
    meta_format_time(now + (int64_t)expires_days * 86400, when);
    if (root_body(&body, n + 1, when, threshold, version_floor, new_keys, n_new) < 0 ||
        !(doc = meta_sign(body.s, body.len, (const unsigned char(*)[64])s.sks, s.n, &len))) {
        snprintf(err, errcap, "out of memory");
        goto done;
    }
    if (write_checked_root(&cur, doc, len, next_path, err, errcap) < 0)
        goto done;
    fill_rotation(report, n + 1, new_keys, n_new, &s);
    report->version_floor = version_floor;
    rc = 0;
done:
    sodium_memzero(&s, sizeof s);
    meta_free(&cur);
    free(cur_buf);
    free(body.s);
    free(doc);
    return rc;
}

/* ---- refresh ---------------------------------------------------------------- */

/* Reads metadata at path of the given role, signed by the newest root's
 * keys. The caller frees *buf and meta_free()s doc. */
static int read_signed(const char *path, meta_role role, const meta_doc *root, char **buf, meta_doc *doc, char *err,
                       size_t errcap)
{
    char why[300];
    size_t len;
    *buf = NULL;
    if (platform_read_file(path, META_MAX_BYTES, buf, &len, why, sizeof why) < 0 ||
        meta_parse(*buf, len, doc, why, sizeof why) < 0) {
        snprintf(err, errcap, "%.200s: %.300s", path, why);
        free(*buf);
        *buf = NULL;
        return -1;
    }
    if (doc->role != role ||
        meta_verify(doc, *buf, root->keys, root->n_keys, root->threshold, why, sizeof why) < 0) {
        snprintf(err, errcap, "%.200s: not signed by this repository's keys (%.200s); publish again", path,
                 doc->role != role ? "wrong role" : why);
        meta_free(doc);
        free(*buf);
        *buf = NULL;
        return -1;
    }
    return 0;
}

int publish_refresh(const char *repo_dir, const unsigned char sk[64], int timestamp_days, int64_t now,
                    uint64_t *version, int64_t *expires, char *err, size_t errcap)
{
    publish_report report = {0};
    pub p = {.repo = repo_dir, .sk = sk, .report = &report, .err = err, .errcap = errcap};
    char root_path[PLATFORM_PATH_EXTRA_MAX], path[PLATFORM_PATH_EXTRA_MAX], hex[65], when[21];
    char *root_buf = NULL, *ts_buf = NULL, *snap_buf = NULL;
    meta_doc root = {0}, ts = {0}, snap = {0};
    int rc = -1;
    if (sodium_ready(err, errcap) < 0 || check_days("timestamp expiry", timestamp_days, 1, err, errcap) < 0)
        return -1;
    uint64_t n = latest_root(repo_dir, root_path, sizeof root_path);
    snprintf(path, sizeof path, "%s/timestamp.txt", repo_dir);
    if (n == 0 || !platform_is_file(path)) {
        snprintf(err, errcap, "%s has nothing published to refresh", repo_dir);
        return -1;
    }
    if (check_or_make_root(&p, now) < 0 || read_root(root_path, n, &root_buf, &root, err, errcap) < 0)
        return -1;
    if (read_signed(path, META_TIMESTAMP, &root, &ts_buf, &ts, err, errcap) < 0)
        goto done;
    sodium_bin2hex(hex, sizeof hex, ts.files[0].sha256, 32);
    snprintf(path, sizeof path, "%s/objects/%s", repo_dir, hex);
    if (read_signed(path, META_SNAPSHOT, &root, &snap_buf, &snap, err, errcap) < 0)
        goto done;
    if (snap.expires <= now) {
        meta_format_time(snap.expires, when);
        snprintf(err, errcap, "the snapshot of version %llu expired at %s: publish again",
                 (unsigned long long)ts.version, when);
        goto done;
    }
    report.version = ts.version;
    timestamp_expiry(timestamp_days, now, snap.expires, when);
    if (put_timestamp(&p, when, hex, ts.files[0].length) < 0)
        goto done;
    *version = ts.version;
    meta_parse_time(when, expires);
    rc = 0;
done:
    meta_free(&root);
    meta_free(&ts);
    meta_free(&snap);
    free(root_buf);
    free(ts_buf);
    free(snap_buf);
    return rc;
}
