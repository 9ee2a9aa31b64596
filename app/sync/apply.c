/* copy_file_range is a GNU extension of glibc. */
#define _GNU_SOURCE
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builder.h"
#include "content.h"
#include "digest.h"
#include "fts.h"
#include "indexer.h"
#include "platform.h"
#include "record.h"
#include "records.h"
#include "store.h"

typedef struct {
    sqlite3 *db;
    indexer *ix;        /* the unit index, written as the content tool does */
    builder *bld;       /* building from nothing: as the content tool does (builder.h) */
    int whole;          /* building from nothing: nothing to take out first */
    int tables_current; /* the record tables described the staging content before the changes */
    unsigned char touched[RECORDS_BINS]; /* bins of record_hashes changed */
    unsigned char (*sha)[32]; /* sha256 of each change's record bytes, as applied */
    char *err;
    size_t errcap;
} stage;

static int fail_db(stage *s, const char *what)
{
    snprintf(s->err, s->errcap, "%s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

/* Copies the live bundle byte for byte; copy_file_range keeps the data in
 * the kernel (and shares blocks on file systems that can). */
/* Writes the copy out and drops it from the page cache. A kernel that
 * caches a file in large folios (ext4 since Linux 6.x; 6.18 here) keeps
 * what copy_file_range wrote in 64 KiB folios, and each 4 KiB page SQLite
 * then changes dirties and writes back its whole folio: 640 KiB written for
 * ten pages, against 40 KiB in a file written page by page or read back
 * from disk (BENCHMARKS, "Bytes an update writes"). Debian 12's 6.1 kernel
 * caches ext4 in pages, so there this is only the writeback the final
 * fsync would do anyway, done sooner. Best effort: failing costs writes. */
static void drop_cached(int fd)
{
    if (fdatasync(fd) == 0)
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

static int copy_file(const char *from, const char *to, const atomic_int *cancel, char *err, size_t errcap)
{
    int in = open(from, O_RDONLY), out = -1;
    if (in < 0) {
        snprintf(err, errcap, "cannot open %s: %s", from, strerror(errno));
        return -1;
    }
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        snprintf(err, errcap, "cannot create %s: %s", to, strerror(errno));
        close(in);
        return -1;
    }
    int rc = 0;
    for (;;) {
        if (cancel && atomic_load(cancel)) {
            snprintf(err, errcap, "cancelled");
            rc = -1;
            break;
        }
        /* 16 MB steps, so a cancel is seen within a fraction of a second. */
        ssize_t n = copy_file_range(in, NULL, out, NULL, 16u << 20, 0);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errcap, "cannot copy %s: %s", from, strerror(errno));
            rc = -1;
            break;
        }
    }
    close(in);
    if (rc == 0)
        drop_cached(out);
    if (close(out) < 0 && rc == 0) {
        snprintf(err, errcap, "cannot write %s: %s", to, strerror(errno));
        rc = -1;
    }
    return rc;
}

static int exec(stage *s, const char *sql)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(s, "staging bundle");
    return 0;
}

/* Runs one statement to its end with text parameters a and, unless NULL, b. */
static int run2(stage *s, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail_db(s, "staging bundle");
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_db(s, "staging bundle");
}

static int run1(stage *s, const char *sql, const char *param)
{
    return run2(s, sql, param, NULL);
}

/* The value of a meta row into out ("" when there is none). */
static void read_meta(sqlite3 *db, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static int index_failed(stage *s, const char *id)
{
    snprintf(s->err, s->errcap, "item %s: search index: %s", id, indexer_error(s->ix));
    return -1;
}

/* Takes out an item with its texts, search units, anchors and links. */
static int remove_item(stage *s, const char *id)
{
    /* The unit index is contentless: its rows go out with the values they
     * went in with, computed again from the rows still here. */
    if (indexer_remove_item(s->ix, id, NULL) < 0)
        return index_failed(s, id);
    static const char *const sql[] = {
        "DELETE FROM item_texts WHERE item_id = ?1",
        "DELETE FROM anchors WHERE item_id = ?1",
        "DELETE FROM links WHERE item_id = ?1",
        "DELETE FROM keywords WHERE item_id = ?1",
        "DELETE FROM items WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if (run1(s, sql[i], id) < 0)
            return -1;
    return 0;
}

static int remove_base(stage *s)
{
    return exec(s, "DELETE FROM meta; DELETE FROM categories; DELETE FROM category_texts;");
}


/* 0 for a change that removes its record. */
static int has_record(const apply_change *c)
{
    return c->record_path || c->record;
}

/* Reads a record (its file, or a copy of its bytes in memory); its bytes'
 * hash goes to sha and must be the signed one (when given: the sync
 * checked it, this is the bytes read). */
static unsigned char *read_record(stage *s, const apply_change *c, size_t *len, unsigned char sha[32])
{
    char *rec = NULL, why[300];
    if (c->record) {
        if (c->record_len > RECORD_MAX_BYTES || !(rec = malloc(c->record_len ? c->record_len : 1))) {
            snprintf(s->err, s->errcap, "%s: out of memory", c->name);
            return NULL;
        }
        memcpy(rec, c->record, c->record_len);
        *len = c->record_len;
    } else if (platform_read_file(c->record_path, RECORD_MAX_BYTES, &rec, len, why, sizeof why) < 0) {
        snprintf(s->err, s->errcap, "%s: %s", c->name, why);
        return NULL;
    }
    crypto_hash_sha256(sha, (const unsigned char *)rec, *len);
    if (c->sha && sodium_memcmp(sha, c->sha, 32) != 0) {
        snprintf(s->err, s->errcap, "%s: the record read is not the one signed", c->name);
        free(rec);
        return NULL;
    }
    return (unsigned char *)rec;
}

static int why_failed(stage *s, const char *name, const char *why)
{
    snprintf(s->err, s->errcap, "%s: %s", name, why);
    return -1;
}

/* Replaces an item's text in one language: its rows of that language
 * replaced (the text row updated where it is) and its units written again
 * where they changed (indexer_hold_text). keep: the new record has the
 * language; without it the text and its units go. */
static int replace_lang(stage *s, const char *name, const char *id, const char *lang, int keep,
                        const unsigned char *rec, size_t len)
{
    static const char *const sql[] = {
        "DELETE FROM anchors WHERE item_id = ?1 AND lang = ?2",
        "DELETE FROM links WHERE item_id = ?1 AND lang = ?2",
        "DELETE FROM keywords WHERE item_id = ?1 AND lang = ?2",
    };
    char why[300];
    if ((keep ? indexer_hold_text(s->ix, id, lang) : indexer_remove_item(s->ix, id, lang)) < 0)
        return index_failed(s, id);
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if (run2(s, sql[i], id, lang) < 0)
            return -1;
    if (!keep)
        return run2(s, "DELETE FROM item_texts WHERE item_id = ?1 AND lang = ?2", id, lang);
    if (record_apply_lang(s->db, rec, len, lang, why, sizeof why) < 0)
        return why_failed(s, name, why);
    if (indexer_add_item(s->ix, id, lang) < 0)
        return index_failed(s, id);
    return 0;
}

static const record_part *part_of(const record_part *p, size_t n, const char *lang)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].lang, lang))
            return &p[i];
    return NULL;
}

/* Brings an item that is in the staging bundle to rec by the languages
 * that changed, when its items row did not: a typo fixed in one language
 * rewrites that text's pages and no others. 1: done; 0: the whole item
 * must be replaced; -1: failed. */
static int update_langs(stage *s, const char *name, const char *id, const unsigned char *rec, size_t len)
{
    char why[300];
    size_t old_len, no, nn;
    unsigned char *old = record_build(s->db, RECORD_ITEM, id, &old_len, why, sizeof why);
    unsigned char old_item[32], new_item[32];
    record_part op[RECORD_MAX_PARTS], np[RECORD_MAX_PARTS];
    int usable = old && record_item_parts(old, old_len, old_item, op, RECORD_MAX_PARTS, &no, why, sizeof why) == 0 &&
                 record_item_parts(rec, len, new_item, np, RECORD_MAX_PARTS, &nn, why, sizeof why) == 0 &&
                 !memcmp(old_item, new_item, 32);
    free(old);
    if (!usable)
        return 0;
    for (size_t i = 0; i < no; i++) {
        const record_part *now = part_of(np, nn, op[i].lang);
        if ((!now || memcmp(now->sha, op[i].sha, 32)) && replace_lang(s, name, id, op[i].lang, now != NULL, rec, len) < 0)
            return -1;
    }
    for (size_t i = 0; i < nn; i++)
        if (!part_of(op, no, np[i].lang) && replace_lang(s, name, id, np[i].lang, 1, rec, len) < 0)
            return -1;
    return 1;
}

/* Puts an item's record in: whole (a new item, or one whose items row
 * changed), or by the languages that changed. */
static int put_item(stage *s, const char *name, const char *id, const unsigned char *rec, size_t len)
{
    char why[300];
    int done = s->whole ? 0 : update_langs(s, name, id, rec, len);
    if (done != 0)
        return done < 0 ? -1 : 0;
    if (!s->whole && remove_item(s, id) < 0)
        return -1;
    if (record_apply(s->db, rec, len, why, sizeof why) < 0)
        return why_failed(s, name, why);
    return indexer_add_item(s->ix, id, NULL) < 0 ? index_failed(s, id) : 0;
}

/* Replaces (or, without a record, removes) one piece of content; sha
 * receives its record's hash. */
static int apply_one(stage *s, const apply_change *c, unsigned char sha[32], apply_report *r)
{
    const char *item = !strncmp(c->name, "items/", 6) ? c->name + 6 : NULL;
    const char *asset = !strncmp(c->name, "assets/", 7) ? c->name + 7 : NULL;
    unsigned char *rec = NULL;
    size_t len = 0;
    char why[300];
    if (!item && !asset && strcmp(c->name, "base")) {
        snprintf(s->err, s->errcap, "unknown record name %s", c->name);
        return -1;
    }
    if (has_record(c) && !(rec = read_record(s, c, &len, sha)))
        return -1;
    int rc;
    /* A whole build starts from an empty file: nothing to take out. */
    if (item) {
        r->items++;
        rc = rec ? put_item(s, c->name, item, rec, len) : remove_item(s, item);
    } else {
        if (asset)
            r->assets++;
        rc = s->whole ? 0 : asset ? run1(s, "DELETE FROM assets WHERE name = ?1", asset) : remove_base(s);
        if (rc == 0 && rec && record_apply(s->db, rec, len, why, sizeof why) < 0)
            rc = why_failed(s, c->name, why);
    }
    free(rec);
    if (rc < 0)
        return -1;
    /* The base record is not under the records root (records.h). */
    if (s->tables_current && (item || asset) &&
        records_set(s->db, c->name, has_record(c) ? sha : NULL, s->touched, s->err, s->errcap) < 0)
        return -1;
    return 0;
}

static int check_schema(stage *s)
{
    sqlite3_stmt *st;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version != STORE_SCHEMA_VERSION) {
        snprintf(s->err, s->errcap, "staging bundle has schema version %d, this kiosk reads %d", version,
                 STORE_SCHEMA_VERSION);
        return -1;
    }
    return 0;
}

static int check_digest(stage *s, const char *expected)
{
    char got[DIGEST_HEX_LEN + 1], why[300];
    if (digest_compute(s->db, got, why, sizeof why) < 0) {
        snprintf(s->err, s->errcap, "content digest: %s", why);
        return -1;
    }
    if (strcmp(got, expected) != 0) {
        snprintf(s->err, s->errcap, "content digest %.16s… is not the signed %.16s…", got, expected);
        return -1;
    }
    return run1(s, "INSERT OR REPLACE INTO meta(key, value) VALUES ('digest', ?1)", expected);
}

static uint64_t lap(uint64_t *t)
{
    uint64_t now = platform_now_us(), d = now - *t;
    *t = now;
    return d;
}

int apply_schema_current(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return version == STORE_SCHEMA_VERSION;
}

/* An integer PRAGMA's value, or -1. */
static int64_t pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The cheap check of apply_live_verifies: 1 when it holds, -1 with why
 * when the bundle is damaged, 0 when the bundle keeps no records digest of
 * `digest` (the full check decides). */
static int live_by_records(sqlite3 *db, const char *path, const char *digest, char *why, size_t cap)
{
    unsigned char root[32], bins_root[32], signed_root[32];
    char was[65], meta_digest[65], err[300];
    if (records_stored(db, root, was, err, sizeof err) != 1 || strcmp(was, digest) != 0)
        return 0;
    int64_t size = platform_file_size(path), pages = pragma_int(db, "PRAGMA page_count"),
            page = pragma_int(db, "PRAGMA page_size");
    read_meta(db, "digest", meta_digest, sizeof meta_digest);
    int has_signed = records_signed_root(db, signed_root, err, sizeof err);
    if (pages < 0 || page < 0 || size != pages * page)
        snprintf(why, cap, "the file is %" PRId64 " bytes, its header says %" PRId64 " pages of %" PRId64, size,
                 pages, page);
    else if (strcmp(meta_digest, digest) != 0)
        snprintf(why, cap, "its digest row %.16s… is not the installed %.16s…", meta_digest, digest);
    else if (records_bins_root(db, bins_root, err, sizeof err) < 0)
        snprintf(why, cap, "%s", err);
    else if (sodium_memcmp(bins_root, root, 32) != 0)
        snprintf(why, cap, "its record bins do not give its records root");
    else if (has_signed < 0 || (has_signed && sodium_memcmp(signed_root, root, 32) != 0))
        snprintf(why, cap, "its records root is not the signed one");
    else
        return 1;
    return -1;
}

int apply_live_verifies(const char *path, const char *digest, char *why, size_t cap)
{
    sqlite3 *db = NULL;
    char got[DIGEST_HEX_LEN + 1], err[300];
    int ok = 0, cheap = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        snprintf(why, cap, "cannot open: %s", db ? sqlite3_errmsg(db) : "out of memory");
    else if ((cheap = live_by_records(db, path, digest, why, cap)) != 0)
        ok = cheap > 0;
    /* Without the record tables (a bundle an older kiosk installed): the
     * full check, O(bundle), once, since the next install adds them. */
    else if (store_db_check(db, 0, err, sizeof err) < 0)
        snprintf(why, cap, "quick_check: %s", err);
    else if (digest_compute(db, got, err, sizeof err) < 0)
        snprintf(why, cap, "content digest: %s", err);
    else if (strcmp(got, digest) != 0)
        snprintf(why, cap, "content digest %.16s… is not the installed %.16s…", got, digest);
    else
        ok = 1;
    sqlite3_close(db);
    return ok;
}

int apply_live_pages_ok(const char *path, char *why, size_t cap)
{
    sqlite3 *db = NULL;
    char err[300];
    int ok = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        snprintf(why, cap, "cannot open: %s", db ? sqlite3_errmsg(db) : "out of memory");
    else if (store_db_check(db, 0, err, sizeof err) < 0)
        snprintf(why, cap, "quick_check: %s", err);
    else
        ok = 1;
    sqlite3_close(db);
    return ok;
}

/* The kind and key of a record name, or -1 for an unknown name. */
static int record_of(const char *name, record_kind *kind, const char **key)
{
    *key = "";
    if (!strcmp(name, "base"))
        *kind = RECORD_BASE;
    else if (!strncmp(name, "items/", 6))
        *kind = RECORD_ITEM, *key = name + 6;
    else if (!strncmp(name, "assets/", 7))
        *kind = RECORD_ASSET, *key = name + 7;
    else
        return -1;
    return 0;
}

/* One record of db, when its bytes hash to sha; else NULL. */
static unsigned char *extract_one(sqlite3 *db, const char *name, const unsigned char sha[32], size_t *len)
{
    record_kind kind;
    const char *key;
    char why[300];
    unsigned char *rec = NULL, got[32];
    if (record_of(name, &kind, &key) < 0 || !(rec = record_build(db, kind, key, len, why, sizeof why)))
        return NULL;
    crypto_hash_sha256(got, rec, *len);
    if (sodium_memcmp(got, sha, 32) != 0) {
        free(rec);
        return NULL;
    }
    return rec;
}

size_t apply_extract_records(const char *bundle, const char *const *names, const unsigned char (*sha)[32],
                             unsigned char **out, size_t *lens, size_t n)
{
    sqlite3 *db = NULL;
    size_t done = 0;
    int open = sqlite3_open_v2(bundle, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK;
    for (size_t i = 0; i < n; i++) {
        out[i] = open ? extract_one(db, names[i], sha[i], &lens[i]) : NULL;
        done += out[i] != NULL;
    }
    sqlite3_close(db);
    return done;
}

/* SQLite's progress handler: a non-zero return interrupts the statement. */
static int cancelled(void *flag)
{
    return atomic_load((const atomic_int *)flag) != 0;
}

/* Opens the staging file: a copy of the live bundle, or a new empty one.
 * The journal is off: a staging file that did not finish is thrown away,
 * never repaired. */
static int open_staging(stage *s, const apply_job *job)
{
    if (job->live && !job->in_place && copy_file(job->live, job->staging, job->cancel, s->err, s->errcap) < 0)
        return -1;
    if (!job->live && !job->in_place)
        unlink(job->staging);
    if (sqlite3_open_v2(job->staging, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        return fail_db(s, "cannot open the staging bundle");
    if (fts_register(s->db) != SQLITE_OK)
        return fail_db(s, "search ranking");
    if (job->cancel)
        sqlite3_progress_handler(s->db, 10000, cancelled, (void *)job->cancel);
    s->whole = job->live == NULL && !job->in_place; /* in place: the previous bundle, updated */
    if (s->whole) { /* settings, schema, transaction and index writer as the tool's */
        s->bld = builder_begin(s->db, s->err, s->errcap);
        s->ix = s->bld ? builder_indexer(s->bld) : NULL;
        return s->bld ? 0 : -1;
    }
    /* 2 MB of page cache: an update touches few pages, and the kernel's
     * page cache holds the rest. With 32 MB the peak RSS of an incremental
     * sync was 54 MB at 1,000 items; with 2 MB 23 MB (one item) and 28.5 MB
     * (100 items), with no change in apply time beyond the machine's noise
     * (BENCHMARKS, "Incremental sync memory"). */
    if (exec(s, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048;") < 0)
        return -1;
    /* A copy of a live bundle of another schema cannot be updated in place
     * (its index has other tables): say so rather than fail deep inside. */
    if (!s->whole && check_schema(s) < 0)
        return -1;
    if (!(s->ix = indexer_open(s->db, s->whole, s->err, s->errcap)))
        return -1;
    return 0;
}

/* Each changed record, serialised again from the staging rows, hashes to
 * the bytes it was applied from (which hash to the signed ones): the rows
 * written are what was signed. O(changed records). */
static int check_rewritten(stage *s, const apply_job *job)
{
    for (size_t i = 0; i < job->n_changes; i++) {
        const apply_change *c = &job->changes[i];
        record_kind kind;
        const char *key;
        char why[300];
        size_t len;
        unsigned char *rec, got[32];
        if (!has_record(c) || record_of(c->name, &kind, &key) < 0)
            continue; /* a removal; an unknown name was refused when applied */
        if (!(rec = record_build(s->db, kind, key, &len, why, sizeof why))) {
            snprintf(s->err, s->errcap, "%s: %s", c->name, why);
            return -1;
        }
        crypto_hash_sha256(got, rec, len);
        free(rec);
        if (sodium_memcmp(got, s->sha[i], 32) != 0) {
            snprintf(s->err, s->errcap, "%s: the rows written are not the signed record", c->name);
            return -1;
        }
    }
    return 0;
}

/* Checks the content through the records root `want` (apply.h): the touched
 * bins and the root computed again; the tables built from every row when
 * they were not current or do not give `want`. Stores the root and the
 * signed content digest. */
static int check_records(stage *s, const apply_job *job, const unsigned char want[32], apply_report *r)
{
    unsigned char root[32];
    char got_hex[65], want_hex[65];
    /* The rows against what was signed: the changed records serialised
     * again; in a whole build (every record changed) the full digest, which
     * reads the tables in one pass and costs about half as much. */
    if ((s->whole ? check_digest(s, job->digest) : check_rewritten(s, job)) < 0 || exec(s, "BEGIN") < 0)
        return -1;
    int rc = s->tables_current ? records_refresh(s->db, s->touched, root, s->err, s->errcap) : -1;
    if (rc == 0 && sodium_memcmp(root, want, 32) != 0) {
        platform_log(PLATFORM_LOG_WARN, "apply: the record tables do not give the signed records root; building "
                     "them again from the rows");
        rc = -1;
    }
    if (rc < 0) {
        r->records_filled = 1;
        if (records_fill(s->db, root, s->err, s->errcap) < 0)
            goto fail;
        if (sodium_memcmp(root, want, 32) != 0) {
            sodium_bin2hex(got_hex, sizeof got_hex, root, 32);
            sodium_bin2hex(want_hex, sizeof want_hex, want, 32);
            snprintf(s->err, s->errcap, "records root %.16s… is not the signed %.16s…", got_hex, want_hex);
            goto fail;
        }
    }
    if (records_store(s->db, root, job->digest, s->err, s->errcap) < 0 ||
        run1(s, "INSERT OR REPLACE INTO meta(key, value) VALUES ('digest', ?1)", job->digest) < 0 ||
        exec(s, "COMMIT") < 0)
        goto fail;
    r->by_records = 1;
    return 0;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* After the full digest: keeps the record tables current when they were
 * (O(touched bins)), else drops their root so the next install builds them
 * from the rows if it needs them. */
static int keep_records(stage *s, const char *digest)
{
    unsigned char root[32];
    if (!s->tables_current)
        return exec(s, "DELETE FROM record_root");
    if (exec(s, "BEGIN") < 0)
        return -1;
    if (records_refresh(s->db, s->touched, root, s->err, s->errcap) < 0 ||
        records_store(s->db, root, digest, s->err, s->errcap) < 0 || exec(s, "COMMIT") < 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* The content check: through the records root when the new base carries
 * one, else the full content digest (an older publisher). */
static int check_content(stage *s, const apply_job *job, apply_report *r)
{
    unsigned char want[32];
    int has = records_signed_root(s->db, want, s->err, s->errcap);
    if (has < 0)
        return -1;
    if (has)
        return check_records(s, job, want, r);
    return check_digest(s, job->digest) < 0 ? -1 : keep_records(s, job->digest);
}

/* Whether the record tables of the staging file describe its content as
 * it was (record_root names its digest); creates them in a bundle made
 * before them. A whole build starts with empty, current tables. */
static int records_current(stage *s)
{
    unsigned char root[32];
    char was[65], digest[65];
    if (s->whole) {
        s->tables_current = 1;
        return 0;
    }
    if (records_create(s->db, s->err, s->errcap) < 0)
        return -1;
    int found = records_stored(s->db, root, was, s->err, s->errcap);
    if (found < 0)
        return -1;
    read_meta(s->db, "digest", digest, sizeof digest);
    s->tables_current = found && !strcmp(was, digest);
    return 0;
}

int apply_build(const apply_job *job, apply_report *report, char *err, size_t errcap)
{
    stage s = {.err = err, .errcap = errcap};
    memset(report, 0, sizeof *report);
    uint64_t t = platform_now_us();
    int rc = -1;
    if (open_staging(&s, job) < 0)
        goto done;
    report->copy_us = lap(&t);
    if (!(s.sha = calloc(job->n_changes ? job->n_changes : 1, sizeof *s.sha))) {
        snprintf(err, errcap, "out of memory");
        goto done;
    }
    if (!s.bld && exec(&s, "BEGIN") < 0) /* the builder has begun its own */
        goto done;
    if (records_current(&s) < 0)
        goto done;
    for (size_t i = 0; i < job->n_changes; i++)
        if ((job->ready && job->ready(job->ready_user, i, err, errcap) < 0) ||
            apply_one(&s, &job->changes[i], s.sha[i], report) < 0)
            goto done;
    int closed = s.bld ? builder_finish(s.bld, err, errcap) : indexer_close(s.ix, err, errcap);
    s.ix = NULL;
    s.bld = NULL;
    if (closed < 0)
        goto done;
    if (exec(&s, "COMMIT") < 0)
        goto done;
    report->apply_us = lap(&t);
    if (check_content(&s, job, report) < 0)
        goto done;
    report->digest_us = lap(&t);
    /* No integrity_check here (it reads the whole file): the scrub checks
     * the new bundle whole right after the switch (scrub.h). */
    if (check_schema(&s) < 0)
        goto done;
    report->check_us = lap(&t);
    rc = 0;
done:
    free(s.sha);
    if (s.bld)
        builder_free(s.bld); /* its index writer too */
    else
        indexer_close(s.ix, NULL, 0);
    if (s.db && sqlite3_close(s.db) != SQLITE_OK && rc == 0) {
        snprintf(err, errcap, "cannot close the staging bundle");
        rc = -1;
    }
    if (rc == 0 && platform_fsync_file(job->staging) < 0) {
        snprintf(err, errcap, "cannot fsync %s: %s", job->staging, strerror(errno));
        rc = -1;
    }
    report->sync_us = lap(&t);
    if (rc < 0)
        unlink(job->staging);
    return rc;
}
