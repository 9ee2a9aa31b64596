/* The sync client against a repository on disk (what a USB stick is): every
 * refusal leaves the installed bundle byte for byte as it was, and a good
 * repository converges. The HTTP side (nginx, the fault server) is in
 * tests/cli/sync_http.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "keys.h"
#include "meta.h"
#include "platform.h"
#include "publish.h"
#include "store.h"
#include "sync.h"
#include "syncstate.h"
#include "support.h"

static char dir[64], repo[128], state[128], keydir[128], key2dir[128], variant[128];
static unsigned char sk[64], sk2[64];
static meta_key pinned;
static int64_t fake_clock; /* 0: the real clock */

static int64_t test_clock(void)
{
    return fake_clock ? fake_clock : (int64_t)time(NULL);
}

static void load_keys(const char *kd, unsigned char out[64], meta_key *pub)
{
    char path[200], err[300], id[META_KEYID_LEN + 1];
    assert_int_equal(keys_generate(kd, id, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/publisher.key", kd);
    assert_int_equal(keys_read_secret(path, out, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/publisher.pub", kd);
    if (pub)
        assert_int_equal(keys_read_public(path, pub, err, sizeof err), 0);
}

/* The sample bundle with one item's text changed (and its digest updated),
 * as an editor's next edition would be. */
static void make_variant(const char *to, const char *suffix)
{
    char cmd[600], id[128], hex[DIGEST_HEX_LEN + 1];
    snprintf(cmd, sizeof cmd, "cp %s %s", getenv("SAMPLE_BUNDLE"), to);
    assert_int_equal(system(cmd), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(to, &db), SQLITE_OK);
    support_edit_article(db, suffix, id, sizeof id);
    support_stamp_digest(db, hex);
    sqlite3_close(db);
}

static int setup(void **unused)
{
    (void)unused;
    support_tempdir(dir, sizeof dir, "ip-sync");
    snprintf(repo, sizeof repo, "%s/repo", dir);
    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(keydir, sizeof keydir, "%s/keys", dir);
    snprintf(key2dir, sizeof key2dir, "%s/keys2", dir);
    snprintf(variant, sizeof variant, "%s/variant.ipb", dir);
    load_keys(keydir, sk, &pinned);
    load_keys(key2dir, sk2, NULL);
    make_variant(variant, "\n\nThis paragraph was added by a later edition.\n");
    fake_clock = 0;
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    return support_rmtree(dir);
}

static void publish(const char *bundle, const unsigned char *key, int expires_days, int64_t now)
{
    publish_report rep;
    char err[300];
    if (publish_bundle(bundle, key, repo, 0, expires_days, 0, now ? now : (int64_t)time(NULL), &rep, err,
                       sizeof err) < 0)
        fail_msg("publish: %s", err);
}

static sync_outcome sync_with(const meta_key *trust, sync_result *res)
{
    sync_cfg cfg = {.url = repo, .state_dir = state, .trust = trust, .n_trust = 1, .clock = test_clock};
    return sync_run(&cfg, res);
}

static sync_outcome sync_once(sync_result *res)
{
    return sync_with(&pinned, res);
}

/* sha256 of the live bundle file, or "" when there is none. */
static void live_sha(char out[65])
{
    char path[4096], err[300], *buf;
    size_t len;
    out[0] = '\0';
    if (sync_live_bundle(state, path, sizeof path) < 0)
        return;
    assert_int_equal(platform_read_file(path, 64u << 20, &buf, &len, err, sizeof err), 0);
    unsigned char h[32];
    crypto_hash_sha256(h, (unsigned char *)buf, len);
    sodium_bin2hex(out, 65, h, 32);
    free(buf);
}

static void repo_path(const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", repo, name);
}

/* noinline: GCC 12 (-O2) otherwise misreads strstr() results on the buffer
 * as pointers into this frame (-Wdangling-pointer). */
__attribute__((noinline)) static char *slurp(const char *path, size_t *len)
{
    char err[300];
    char *buf = NULL;
    int rc = platform_read_file(path, 64u << 20, &buf, len, err, sizeof err);
    if (rc < 0)
        fail_msg("%s", err);
    return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Installs version 1 of the sample and returns the live sha. */
static void install_v1(char sha[65])
{
    sync_result res;
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 1);
    live_sha(sha);
    assert_int_equal(strlen(sha), 64);
}

/* Asserts the sync is refused with a message containing why, and the live
 * bundle is untouched. */
static void assert_refused(const meta_key *trust, const char *why, const char *sha_before)
{
    sync_result res;
    char after[65];
    assert_int_equal(sync_with(trust, &res), SYNC_FAILED);
    if (!strstr(res.message, why))
        fail_msg("message '%s' does not say '%s'", res.message, why);
    live_sha(after);
    assert_string_equal(after, sha_before);
}

static void test_first_sync_then_current(void **unused)
{
    (void)unused;
    char sha[65], err[300];
    install_v1(sha);
    /* The live bundle opens and has the signed digest. */
    char path[4096];
    assert_int_equal(sync_live_bundle(state, path, sizeof path), 0);
    store_status st;
    store *s = store_open(path, &st, err, sizeof err);
    assert_non_null(s);
    char stored[65];
    assert_int_equal(store_meta(s, "digest", stored, sizeof stored), 0);
    char computed[65];
    assert_int_equal(digest_compute(store_db(s), computed, err, sizeof err), 0);
    assert_string_equal(stored, computed);
    /* Search works on the bundle the kiosk assembled. */
    store_close(s);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    assert_int_equal(res.records_fetched, 0);
    char again[65];
    live_sha(again);
    assert_string_equal(again, sha);
    syncstate_status status;
    assert_int_equal(syncstate_read_status(state, &status, err, sizeof err), 0);
    assert_true(status.last_success > 0);
    assert_int_equal(status.failures, 0);
    assert_int_equal(status.seen_version, 1);
}

static int count_objects(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ls %s/objects | wc -l", state);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

/* A live bundle of another schema (installed before the kiosk was
 * upgraded) is not updated in place: the next version is built whole. */
static void test_old_schema_builds_whole(void **unused)
{
    (void)unused;
    char sha[65], path[4096];
    install_v1(sha);
    assert_int_equal(sync_live_bundle(state, path, sizeof path), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    publish(variant, sk, 30, 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 2);
    assert_true(res.records_fetched > 1); /* every record, not the one changed item */
    assert_int_equal(sync_live_bundle(state, path, sizeof path), 0);
    char err[300];
    store *s = store_open(path, NULL, err, sizeof err);
    assert_non_null(s);
    store_close(s);
}

static void test_incremental_update(void **unused)
{
    (void)unused;
    char sha[65], err[300];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 2);
    /* The one changed item, and the base record: it carries the version
     * and date that publish stamps into every publication. */
    assert_int_equal(res.records_fetched, 2);
    assert_int_equal(res.changes, 2);
    /* Checked through the records root, with the tables the first (whole)
     * install kept: O(changed records). */
    assert_int_equal(res.apply.by_records, 1);
    assert_int_equal(res.apply.records_filled, 0);
    char path[4096];
    assert_int_equal(sync_live_bundle(state, path, sizeof path), 0);
    assert_non_null(strstr(path, "bundle-2.ipb"));
    store_status st;
    store *s = store_open(path, &st, err, sizeof err);
    assert_non_null(s);
    /* The new text is there and searchable (the kiosk indexed it). */
    store_result found[4];
    assert_true(store_find(s, "edition", "en", STORE_FIND_EXACT, found, 4, NULL) >= 1);
    assert_string_equal(found[0].lang, "en");
    store_close(s);
    /* The previous bundle stays; only the live snapshot and bins are kept. */
    char prev[4096];
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    assert_true(platform_is_file(prev));
    int objects = count_objects();
    assert_true(objects >= 2 && objects <= 12);
    /* Back to the first edition as version 3: the edit is undone. */
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    /* Built in place from bundle-1 (the previous one): it lacks only the
     * base record (the stamp); its item already is the first edition's. */
    assert_int_equal(res.records_fetched, 1);
    assert_int_equal(res.changes, 1);
    assert_int_equal(res.apply.copy_us < 1000000, 1);
    assert_int_equal(res.apply.by_records, 1);
    assert_int_equal(res.apply.records_filled, 0);
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    assert_false(platform_is_file(prev)); /* only live and previous are kept */
    snprintf(prev, sizeof prev, "%s/bundle-2.ipb", state);
    assert_true(platform_is_file(prev));
}

/* Flips one byte of every record object the last publication added. */
static void tamper_new_records(const char *before_list)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "cd %s/objects && for f in $(ls | grep -vxF -f %s); do "
             "if head -c 6 $f | grep -q IPREC1; then printf 'X' | dd of=$f bs=1 seek=20 conv=notrunc 2>/dev/null; fi; "
             "done",
             repo, before_list);
    assert_int_equal(system(cmd), 0);
}

static void test_tampered_record_refused(void **unused)
{
    (void)unused;
    char sha[65], list[200], cmd[400];
    install_v1(sha);
    snprintf(list, sizeof list, "%s/objects.before", dir);
    snprintf(cmd, sizeof cmd, "ls %s/objects > %s", repo, list);
    assert_int_equal(system(cmd), 0);
    publish(variant, sk, 30, 0);
    tamper_new_records(list);
    assert_refused(&pinned, "does not match the signed metadata", sha);
    /* A second try downloads it again and is refused again: nothing bad is kept. */
    assert_refused(&pinned, "does not match the signed metadata", sha);
}

static void test_wrong_key_refused(void **unused)
{
    (void)unused;
    char sha[65];
    install_v1(sha);
    meta_key other;
    char path[200], err[300];
    snprintf(path, sizeof path, "%s/publisher.pub", key2dir);
    assert_int_equal(keys_read_public(path, &other, err, sizeof err), 0);
    /* A fresh kiosk pinned to another key refuses root 1. */
    char fresh[160];
    snprintf(fresh, sizeof fresh, "%s/fresh", dir);
    sync_cfg cfg = {.url = repo, .state_dir = fresh, .trust = &other, .n_trust = 1};
    sync_result res;
    assert_int_equal(sync_run(&cfg, &res), SYNC_FAILED);
    assert_non_null(strstr(res.message, "not signed by the pinned key"));
    assert_int_equal(res.version, 0);
    /* A repository re-signed by another key is refused by the installed kiosk. */
    publish_report rep;
    char repo2[160];
    snprintf(repo2, sizeof repo2, "%s/repo2", dir);
    assert_int_equal(publish_bundle(variant, sk2, repo2, 5, 30, 0, (int64_t)time(NULL), &rep, err, sizeof err), 0);
    char ts_from[300], ts_to[300];
    snprintf(ts_from, sizeof ts_from, "%s/timestamp.txt", repo2);
    repo_path("timestamp.txt", ts_to, sizeof ts_to);
    size_t len;
    char *buf = slurp(ts_from, &len);
    spit(ts_to, buf, len);
    free(buf);
    assert_refused(&pinned, "signature", sha);
}

/* Re-signs the body of a metadata file with the given keys. */
static void resign(const char *path, const char *new_body, const unsigned char (*keys)[64], int n)
{
    size_t len;
    char *buf = NULL;
    const char *body = new_body;
    if (!body) {
        buf = slurp(path, &len);
        char *sep = strstr(buf, "\n--\n");
        assert_non_null(sep);
        sep[1] = '\0';
        body = buf;
    }
    size_t out_len;
    char *signed_doc = meta_sign(body, strlen(body), keys, n, &out_len);
    assert_non_null(signed_doc);
    spit(path, signed_doc, out_len);
    free(signed_doc);
    free(buf);
}

/* Signs snap (a snapshot body) as a new object and re-signs the timestamp
 * ts (version and expiry of doc) naming it. */
static void sign_snapshot(const char *ts, const meta_doc *doc, const char *snap, const unsigned char (*keys)[64],
                          int n)
{
    char hex[65], path[400], when[21], body[600];
    size_t signed_len;
    char *signed_snap = meta_sign(snap, strlen(snap), keys, n, &signed_len);
    unsigned char h[32];
    crypto_hash_sha256(h, (unsigned char *)signed_snap, signed_len);
    sodium_bin2hex(hex, sizeof hex, h, 32);
    snprintf(path, sizeof path, "%s/objects/%s", repo, hex);
    spit(path, signed_snap, signed_len);
    meta_format_time(doc->expires, when);
    snprintf(body, sizeof body, "infopoint-meta 1\nrole timestamp\nversion %llu\nexpires %s\nfile snapshot %s %zu\n",
             (unsigned long long)doc->version, when, hex, signed_len);
    resign(ts, body, keys, n);
    free(signed_snap);
}

/* The body of the snapshot the timestamp ts names (signature cut off), and
 * the timestamp parsed into doc. */
static char *snapshot_body(const char *ts, meta_doc *doc, char **ts_buf)
{
    size_t len, snap_len;
    char err[300], hex[65], path[400];
    *ts_buf = slurp(ts, &len);
    assert_int_equal(meta_parse(*ts_buf, len, doc, err, sizeof err), 0);
    sodium_bin2hex(hex, sizeof hex, doc->files[0].sha256, 32);
    snprintf(path, sizeof path, "%s/objects/%s", repo, hex);
    char *snap = slurp(path, &snap_len);
    char *sep = strstr(snap, "\n--\n");
    assert_non_null(sep);
    sep[1] = '\0';
    return snap;
}

/* Re-signs the snapshot the timestamp names (a new object, as it is
 * content-addressed) and the timestamp that names it; with from, the last
 * word of the first line starting with from is replaced by to first. */
static void resign_snapshot_edit(const char *ts, const unsigned char (*keys)[64], int n, const char *from,
                                 const char *to)
{
    meta_doc doc;
    char *buf, *snap = snapshot_body(ts, &doc, &buf);
    if (from) {
        char *line = strstr(snap, from), *end = line ? strchr(line, '\n') : NULL;
        assert_non_null(end);
        char *word = end;
        while (word[-1] != ' ')
            word--;
        char *edited = malloc(strlen(snap) + strlen(to) + 2);
        sprintf(edited, "%.*s%s%s", (int)(word - snap), snap, to, end);
        free(snap);
        snap = edited;
    }
    sign_snapshot(ts, &doc, snap, keys, n);
    meta_free(&doc);
    free(snap);
    free(buf);
}

static void resign_snapshot(const char *ts, const unsigned char (*keys)[64], int n)
{
    resign_snapshot_edit(ts, keys, n, NULL, NULL);
}


/* Hex name of the snapshot object the repository's timestamp names. */
static void snapshot_hex(char hex[65])
{
    char ts[300], err[300];
    size_t len;
    repo_path("timestamp.txt", ts, sizeof ts);
    char *buf = slurp(ts, &len);
    meta_doc doc;
    assert_int_equal(meta_parse(buf, len, &doc, err, sizeof err), 0);
    sodium_bin2hex(hex, 65, doc.files[0].sha256, 32);
    meta_free(&doc);
    free(buf);
}

/* Puts a FIFO where rel was: the sync must be refused at once (it used to
 * block in open() forever, holding the state lock), then put rel back. */
static void assert_fifo_refused(const char *rel, const char *sha)
{
    char path[300], aside[320];
    repo_path(rel, path, sizeof path);
    snprintf(aside, sizeof aside, "%s.aside", path);
    int had = rename(path, aside) == 0;
    assert_int_equal(mkfifo(path, 0644), 0);
    assert_refused(&pinned, "not a regular file", sha);
    unlink(path);
    if (had)
        assert_int_equal(rename(aside, path), 0);
}

/* Finding 1 of issue 15: FIFOs (and devices) in a stick's repository. */
static void test_fifo_on_stick_refused(void **unused)
{
    (void)unused;
    char sha[65], hex[65], rel[100], path[300];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    alarm(60); /* a hang fails the test instead of the ctest timeout */
    assert_fifo_refused("timestamp.txt", sha);
    assert_fifo_refused("root/2.txt", sha);
    snapshot_hex(hex);
    snprintf(rel, sizeof rel, "objects/%s", hex);
    assert_fifo_refused(rel, sha);
    char aside[320];
    repo_path(rel, path, sizeof path);
    snprintf(aside, sizeof aside, "%s.aside", path);
    assert_int_equal(rename(path, aside), 0);
    assert_int_equal(symlink("/dev/zero", path), 0);
    assert_refused(&pinned, "regular file", sha);
    unlink(path);
    assert_int_equal(rename(aside, path), 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED); /* no lock held, nothing left to poison it */
    alarm(0);
}

/* Finding 7: a symlink leaving the stick's repository is refused, one
 * inside it is followed; what the kiosk stores is 0600. */
static void test_symlink_out_of_stick_refused(void **unused)
{
    (void)unused;
    char sha[65], hex[65], rel[100], path[300], outside[300], inside[300], cmd[1000];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    snapshot_hex(hex);
    snprintf(rel, sizeof rel, "objects/%s", hex);
    repo_path(rel, path, sizeof path);
    snprintf(outside, sizeof outside, "%s/private", dir);
    assert_int_equal(rename(path, outside), 0);
    assert_int_equal(symlink(outside, path), 0);
    assert_refused(&pinned, "leads out of the repository", sha);
    snprintf(cmd, sizeof cmd, "ls %s/objects | grep -q part", state);
    assert_int_not_equal(system(cmd), 0); /* no copy of the private file */
    repo_path("elsewhere", inside, sizeof inside);
    assert_int_equal(rename(outside, inside), 0);
    unlink(path);
    assert_int_equal(symlink("../elsewhere", path), 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    snprintf(path, sizeof path, "%s/%s", state, rel);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

/* Finding 6: a stick mounted at a path with a space, '#', '?' and '%'. */
static void test_odd_stick_path(void **unused)
{
    (void)unused;
    char odd[300], url[1000];
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    snprintf(odd, sizeof odd, "%s/my stick #1?50%%", dir);
    assert_int_equal(rename(repo, odd), 0);
    sync_cfg cfg = {.url = odd, .state_dir = state, .trust = &pinned, .n_trust = 1, .clock = test_clock};
    sync_result res;
    assert_int_equal(sync_run(&cfg, &res), SYNC_INSTALLED);
    assert_int_equal(fetch_file_url(odd, url, sizeof url), 0);
    cfg.url = url;
    assert_int_equal(sync_run(&cfg, &res), SYNC_CURRENT);
    assert_int_equal(rename(odd, repo), 0);
}

/* Finding 3: signed lengths near 2^63 and records over the limit are
 * refused from the metadata, before any byte of them is fetched. */
/* The sample bundle with each item copied `copies` times more (ids
 * "<id>-<k>"), its digest updated: a first sync of it has records enough
 * to fail or be cancelled halfway. */
static void make_many(const char *to, int copies)
{
    char cmd[600], hex[DIGEST_HEX_LEN + 1], *err = NULL;
    snprintf(cmd, sizeof cmd, "cp %s %s", getenv("SAMPLE_BUNDLE"), to);
    assert_int_equal(system(cmd), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(to, &db), SQLITE_OK);
    for (int k = 1; k <= copies; k++) {
        char sql[1200];
        snprintf(sql, sizeof sql,
                 "CREATE TEMP TABLE src AS SELECT id FROM items WHERE id NOT LIKE '%%-%%';"
                 "INSERT INTO items SELECT id || '-%d', kind, category_id, pos + %d, 0, cover FROM items "
                 "WHERE id IN (SELECT id FROM src);"
                 "INSERT INTO item_texts SELECT item_id || '-%d', lang, title, summary, body FROM item_texts "
                 "WHERE item_id IN (SELECT id FROM src);"
                 "INSERT INTO anchors SELECT item_id || '-%d', lang, anchor, pos, level, title FROM anchors "
                 "WHERE item_id IN (SELECT id FROM src);"
                 "INSERT INTO keywords SELECT item_id || '-%d', lang, anchor, words FROM keywords "
                 "WHERE item_id IN (SELECT id FROM src);"
                 "INSERT INTO links SELECT item_id || '-%d', lang, pos, target_item, target_anchor FROM links "
                 "WHERE item_id IN (SELECT id FROM src);"
                 "DROP TABLE src;",
                 k, 1000 * k, k, k, k, k);
        if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
            fail_msg("make_many: %s", err);
    }
    support_stamp_digest(db, hex);
    sqlite3_close(db);
}

/* The name of the record object halfway through the repository's list
 * (a first sync has downloaded and built some records before it, and
 * downloads others after it while the builder works). */
static void middle_record(char *name, size_t cap)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd,
             "cd %s/objects && ls | while read f; do head -c 6 $f | grep -q IPREC1 && echo $f; done > ../../records; true",
             repo);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/records", dir);
    FILE *f = fopen(cmd, "r");
    assert_non_null(f);
    char line[160];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n++;
    assert_true(n > 10);
    rewind(f);
    for (int i = 0; i <= n / 2; i++)
        assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    snprintf(name, cap, "objects/%s", line);
}

/* 1 when the state directory holds a staging bundle. */
static int staging_left(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q staging", state);
    return system(cmd) == 0;
}

/* A first sync builds while it downloads: a record tampered or missing
 * halfway fails it with the download's message, nothing goes live and no
 * staging file stays; the next honest sync installs. */
static void test_first_sync_record_fails_mid_way(void **unused)
{
    (void)unused;
    char name[200], path[400], cmd[1400];
    make_many(variant, 8);
    publish(variant, sk, 30, 0);
    middle_record(name, sizeof name);
    repo_path(name, path, sizeof path);
    snprintf(cmd, sizeof cmd, "cp %s %s/saved && printf 'X' | dd of=%s bs=1 seek=20 conv=notrunc 2>/dev/null",
             path, dir, path);
    assert_int_equal(system(cmd), 0);
    assert_refused(&pinned, "does not match the signed metadata", "");
    assert_false(staging_left());
    assert_int_equal(unlink(path), 0);
    assert_refused(&pinned, "not found on the server", "");
    assert_false(staging_left());
    snprintf(cmd, sizeof cmd, "cp %s/saved %s", dir, path);
    assert_int_equal(system(cmd), 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 1);
}

typedef struct {
    atomic_int cancel;
    uint64_t at;                 /* records done when the cancel comes */
} cancel_at;

static void cancel_on_progress(void *user, const sync_progress *p)
{
    cancel_at *c = user;
    if (p->records_done >= c->at)
        atomic_store(&c->cancel, 1);
}

/* A cancel while a first sync builds and downloads: cancelled, nothing
 * live, no staging file; what was downloaded is kept for the next run. */
static void test_first_sync_cancelled_mid_way(void **unused)
{
    (void)unused;
    make_many(variant, 8);
    publish(variant, sk, 30, 0);
    cancel_at c = {.at = 10};
    sync_cfg cfg = {.url = repo, .state_dir = state, .trust = &pinned, .n_trust = 1, .progress = cancel_on_progress,
                    .user = &c};
    cfg.net.cancel = &c.cancel;
    sync_result res;
    assert_int_equal(sync_run(&cfg, &res), SYNC_CANCELLED);
    assert_int_equal(res.version, 0);
    assert_false(staging_left());
    size_t first = res.records_fetched;
    assert_true(first >= 10);
    c.at = UINT64_MAX;
    atomic_store(&c.cancel, 0);
    assert_int_equal(sync_run(&cfg, &res), SYNC_INSTALLED);
    assert_int_equal(res.version, 1);
    assert_true(res.records_fetched + first >= res.changes);
    assert_true(res.records_fetched < res.changes);
}

static void test_huge_lengths_refused(void **unused)
{
    (void)unused;
    char ts[300], cmd[300];
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0); /* nothing installed: the base record is fetched */
    repo_path("timestamp.txt", ts, sizeof ts);
    static const char *const lengths[] = {"9223372036854775808", "9999999999999999999", "16777217"};
    for (size_t i = 0; i < 3; i++) {
        resign_snapshot_edit(ts, (const unsigned char(*)[64])sk, 1, "file base ", lengths[i]);
        assert_refused(&pinned, "over the record limit", "");
        snprintf(cmd, sizeof cmd, "ls %s/objects | grep -q part", state);
        assert_int_not_equal(system(cmd), 0); /* not a byte of it fetched */
    }
}

/* Finding 4: a partial object a hostile answer left (full length but
 * wrong, or a garbage prefix) does not make the next honest sync fail, and
 * a sync leaves at most one partial object. */
static void test_poisoned_part_recovers(void **unused)
{
    (void)unused;
    char sha[65], hex[65], part[400], other[400];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    snapshot_hex(hex);
    char obj[100];
    snprintf(obj, sizeof obj, "objects/%s", hex);
    repo_path(obj, part, sizeof part);
    int64_t len = platform_file_size(part);
    assert_true(len > 10);
    char *junk = malloc((size_t)len);
    memset(junk, 'x', (size_t)len);
    snprintf(part, sizeof part, "%s/objects/%s.part", state, hex);
    snprintf(other, sizeof other, "%s/objects/%064d.part", state, 7);
    spit(part, junk, (size_t)len); /* complete length, wrong bytes */
    spit(other, junk, 10);         /* a stale partial object of another version */
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(access(part, F_OK), -1);
    assert_int_equal(access(other, F_OK), -1);
    free(junk);
}

/* A server that answers 200 with a web page for a root it does not have
 * (captive portal, single-page-app fallback) does not fail every sync; a
 * root/2 that is metadata but not signed right still does. */
static void test_fallback_page_for_root(void **unused)
{
    (void)unused;
    char sha[65], path[300];
    install_v1(sha);
    repo_path("root/2.txt", path, sizeof path);
    const char *page = "<!DOCTYPE html><html>Welcome</html>\n", *bad_root = "infopoint-meta 1\nrole root\n";
    spit(path, page, strlen(page));
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    spit(path, bad_root, strlen(bad_root));
    assert_refused(&pinned, "root/2.txt refused", sha);
}

/* Control characters from an unsigned timestamp.txt reach neither the
 * message nor `status` (an ESC sequence would drive the operator's terminal). */
static void test_control_characters_escaped(void **unused)
{
    (void)unused;
    char sha[65], path[300], status_path[300];
    install_v1(sha);
    repo_path("timestamp.txt", path, sizeof path);
    const char *evil = "infopoint-meta 1\nrole timestamp\nversion \x1b[2J\x1b]0;owned\x07\n";
    spit(path, evil, strlen(evil));
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_FAILED);
    assert_null(strchr(res.message, '\x1b'));
    assert_non_null(strstr(res.message, "\\x1b[2J"));
    snprintf(status_path, sizeof status_path, "%s/status", state);
    size_t len;
    char *st = slurp(status_path, &len);
    assert_null(memchr(st, '\x1b', len));
    assert_null(memchr(st, '\x07', len));
    free(st);
}

static void test_tampered_signature_and_threshold(void **unused)
{
    (void)unused;
    char sha[65], ts[300];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    repo_path("timestamp.txt", ts, sizeof ts);
    size_t len;
    char *buf = slurp(ts, &len);
    char *sig = strstr(buf, "\nsig ");
    assert_non_null(sig);
    sig[30] = sig[30] == 'a' ? 'b' : 'a'; /* one hex digit of the signature */
    spit(ts, buf, len);
    free(buf);
    assert_refused(&pinned, "signature", sha);

    /* Rotate to a two-key set that needs both; a timestamp signed by one of
     * them is below the threshold. */
    unsigned char both[2][64];
    memcpy(both[0], sk, 64);
    memcpy(both[1], sk2, 64);
    publish_rotation rot;
    char err[300];
    assert_int_equal(
        publish_rotate_key(repo, (const unsigned char(*)[64])sk, 1, (const unsigned char(*)[64])both, 2, 2, 365,
                           (int64_t)time(NULL), PUBLISH_FLOOR_PUBLISHED, &rot, err, sizeof err),
        0);
    resign(ts, NULL, (const unsigned char(*)[64])sk2, 1);
    assert_refused(&pinned, "1 valid signature of 2 needed", sha);
    /* Snapshot and timestamp signed by both keys: accepted, through the
     * rotation. */
    resign_snapshot(ts, (const unsigned char(*)[64])both, 2);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 2);
}

static void test_rollback_refused(void **unused)
{
    (void)unused;
    char sha[65], ts[300];
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    repo_path("timestamp.txt", ts, sizeof ts);
    size_t old_len;
    char *old_ts = slurp(ts, &old_len);
    publish(variant, sk, 30, 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 2);
    live_sha(sha);
    /* A mirror serving the older (validly signed) timestamp. */
    spit(ts, old_ts, old_len);
    free(old_ts);
    assert_refused(&pinned, "rollback", sha);
    /* Even with the kiosk's status lost, the installed version still counts. */
    char status[300];
    snprintf(status, sizeof status, "%s/status", state);
    unlink(status);
    assert_refused(&pinned, "rollback", sha);
}

static void test_expired_and_clock(void **unused)
{
    (void)unused;
    char sha[65], err[300];
    install_v1(sha);
    /* The kiosk's clock is 40 days on: 30-day metadata has expired. */
    publish(variant, sk, 30, 0);
    fake_clock = (int64_t)time(NULL) + 40 * 86400;
    assert_refused(&pinned, "expired", sha);
    syncstate_status st;
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_int_equal(st.stale, 1);
    assert_int_equal(st.failures, 1);
    assert_non_null(strstr(st.last_error, "expired"));
    /* A clock at 1970 does not make metadata that expired before the last
     * success look fresh: the time floor holds. */
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, (int64_t)time(NULL) - 60 * 86400);
    fake_clock = 86400;
    assert_refused(&pinned, "expired", sha);
    /* ...and fresh metadata is not refused because of it. */
    publish(variant, sk, 30, 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_int_equal(st.stale, 0);
    assert_true(st.time_floor >= SYNC_TIME_FLOOR_MIN); /* never lowered to 1970 */
}

static void test_mixed_versions_refused(void **unused)
{
    (void)unused;
    char sha[65], ts[300], err[300];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    /* A timestamp claiming version 3 that names the version 2 snapshot. */
    repo_path("timestamp.txt", ts, sizeof ts);
    size_t len;
    char *buf = slurp(ts, &len);
    meta_doc doc;
    assert_int_equal(meta_parse(buf, len, &doc, err, sizeof err), 0);
    char when[21], hex[65], body[600];
    meta_format_time(doc.expires, when);
    sodium_bin2hex(hex, sizeof hex, doc.files[0].sha256, 32);
    snprintf(body, sizeof body, "infopoint-meta 1\nrole timestamp\nversion 3\nexpires %s\nfile snapshot %s %llu\n", when,
             hex, (unsigned long long)doc.files[0].length);
    meta_free(&doc);
    free(buf);
    resign(ts, body, (const unsigned char(*)[64])sk, 1);
    assert_refused(&pinned, "mixed versions", sha);
}

static void test_root_rotation_followed(void **unused)
{
    (void)unused;
    char sha[65], err[300];
    install_v1(sha);
    publish_rotation rot;
    assert_int_equal(publish_rotate_key(repo, (const unsigned char(*)[64])sk, 1, (const unsigned char(*)[64])sk2, 1,
                                        1, 365, (int64_t)time(NULL), PUBLISH_FLOOR_PUBLISHED, &rot, err, sizeof err),
                     0);
    publish(variant, sk2, 30, 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED); /* pinned to key 1, follows root 2 to key 2 */
    assert_int_equal(res.version, 2);
    live_sha(sha);
    /* A root 3 that only an attacker's key signs is refused. */
    char root3[300], root2[300];
    repo_path("root/3.txt", root3, sizeof root3);
    repo_path("root/2.txt", root2, sizeof root2);
    size_t len;
    char *buf = slurp(root2, &len);
    char *p = strstr(buf, "version 2");
    assert_non_null(p);
    p[8] = '3';
    char *sep = strstr(buf, "\n--\n");
    sep[1] = '\0';
    unsigned char attacker[64], pk[32];
    crypto_sign_keypair(pk, attacker);
    resign(root3, buf, (const unsigned char(*)[64])attacker, 1);
    free(buf);
    publish(getenv("SAMPLE_BUNDLE"), sk2, 30, 0);
    assert_refused(&pinned, "root/3.txt refused", sha);
}

/* A sync of the repository at url (a hostile mirror beside the honest one). */
static sync_outcome sync_from(const char *url, sync_result *res)
{
    sync_cfg cfg = {.url = url, .state_dir = state, .trust = &pinned, .n_trust = 1, .clock = test_clock};
    return sync_run(&cfg, res);
}

/* A copy of the honest repository at dir/<name>, for a mirror to change. */
static void copy_repo(const char *name, char *out, size_t cap)
{
    char cmd[600];
    snprintf(out, cap, "%s/%s", dir, name);
    snprintf(cmd, sizeof cmd, "rm -rf %s && cp -a %s %s", out, repo, out);
    assert_int_equal(system(cmd), 0);
}

static void rotate_to_key2(uint64_t floor)
{
    publish_rotation rot;
    char err[300];
    if (publish_rotate_key(repo, (const unsigned char(*)[64])sk, 1, (const unsigned char(*)[64])sk2, 1, 1, 365,
                           (int64_t)time(NULL), floor, &rot, err, sizeof err) < 0)
        fail_msg("rotate: %s", err);
}

/* Finding 5 of issue 15: a leaked key signs a version far ahead, which the
 * kiosk installs (it is validly signed). After the publisher rotates the
 * key, the new key's honest versions must install: the rotation replaces
 * the seen version with the new root's version-floor. */
static void test_leaked_key_recovery(void **unused)
{
    (void)unused;
    char sha[65], evil[200], err[300];
    sync_result res;
    install_v1(sha);
    copy_repo("evil", evil, sizeof evil);
    publish_report rep;
    assert_int_equal(publish_bundle(variant, sk, evil, 9999999999999999990u, 30, 0, (int64_t)time(NULL), &rep, err,
                                    sizeof err), 0);
    assert_int_equal(sync_from(evil, &res), SYNC_INSTALLED);
    assert_true(res.version == 9999999999999999990u);
    /* Without a rotation the honest next version is a rollback, rightly. */
    publish(variant, sk, 30, 0);
    live_sha(sha);
    assert_refused(&pinned, "rollback", sha);
    /* The publisher rotates to a new key: floor = the version it published
     * (2), whatever the kiosks saw. */
    rotate_to_key2(PUBLISH_FLOOR_PUBLISHED);
    publish(getenv("SAMPLE_BUNDLE"), sk2, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    syncstate_status st;
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_int_equal(st.seen_version, 3);
    assert_int_equal(st.root_version, 2);
    syncstate_current cur;
    assert_int_equal(syncstate_read_current(state, &cur, err, sizeof err), 0);
    assert_int_equal(cur.root, 2);
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    /* The leaked key's mirror is refused from now on. */
    assert_int_equal(sync_from(evil, &res), SYNC_FAILED);
    assert_non_null(strstr(res.message, "signature"));
    /* Root 2 carries the floor: the version published when it was made. */
    char root2_path[300];
    repo_path("root/2.txt", root2_path, sizeof root2_path);
    size_t len;
    char *root2 = slurp(root2_path, &len);
    assert_non_null(strstr(root2, "\nversion-floor 2\n"));
    free(root2);
}

/* root.txt lost or damaged (finding 5): the kiosk must not fall back to the
 * pinned, old key. A mirror without root/2.txt serving old-key content, or
 * one with a root 2 forged with the old key, is refused with a clear
 * message; the honest repository brings the key set back. */
static void test_lost_root_refuses_old_key(void **unused)
{
    (void)unused;
    char sha[65], mirror[200], forged[200], path[300], err[300];
    sync_result res;
    install_v1(sha);
    rotate_to_key2(PUBLISH_FLOOR_PUBLISHED);
    publish(variant, sk2, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    live_sha(sha);
    /* The mirror: no root/2.txt, and content the old key signed. */
    copy_repo("mirror", mirror, sizeof mirror);
    snprintf(path, sizeof path, "%s/root/2.txt", mirror);
    assert_int_equal(unlink(path), 0);
    publish_report rep;
    assert_int_equal(publish_bundle(getenv("SAMPLE_BUNDLE"), sk, mirror, 0, 30, 0, (int64_t)time(NULL), &rep, err,
                                    sizeof err), 0);
    /* A forged root 2 (old key and an attacker's) over old-key content. */
    copy_repo("forged", forged, sizeof forged);
    snprintf(path, sizeof path, "%s/root/2.txt", forged);
    assert_int_equal(unlink(path), 0);
    unsigned char evil_sk[1][64], pk[32];
    crypto_sign_keypair(pk, evil_sk[0]);
    publish_rotation rot;
    assert_int_equal(publish_rotate_key(forged, (const unsigned char(*)[64])sk, 1, (const unsigned char(*)[64])evil_sk,
                                        1, 1, 365, (int64_t)time(NULL), 0, &rot, err, sizeof err), 0);
    assert_int_equal(publish_bundle(getenv("SAMPLE_BUNDLE"), evil_sk[0], forged, 0, 30, 0, (int64_t)time(NULL), &rep,
                                    err, sizeof err), 0);
    char root_txt[300], status[300];
    snprintf(root_txt, sizeof root_txt, "%s/root.txt", state);
    snprintf(status, sizeof status, "%s/status", state);
    for (int damage = 0; damage < 3; damage++) {
        if (damage == 0)
            assert_int_equal(unlink(root_txt), 0);
        else if (damage == 1)
            spit(root_txt, "garbage\n", 8);
        else
            unlink(status); /* status lost too: `current` still remembers root 2 */
        assert_int_equal(sync_from(mirror, &res), SYNC_FAILED);
        if (!strstr(res.message, "root.txt (the trusted key set) is lost or damaged") ||
            !strstr(res.message, "root 2 was trusted") || !strstr(res.message, "or restore root.txt"))
            fail_msg("damage %d, mirror: %s", damage, res.message);
        char after[65];
        live_sha(after);
        assert_string_equal(after, sha);
        assert_int_equal(sync_from(forged, &res), SYNC_FAILED);
        if (!strstr(res.message, "not the key set this kiosk trusted before"))
            fail_msg("damage %d, forged: %s", damage, res.message);
        live_sha(after);
        assert_string_equal(after, sha);
    }
    /* The honest repository restores root.txt; the content was current. */
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    assert_true(platform_is_file(root_txt));
    assert_int_equal(sync_from(mirror, &res), SYNC_FAILED);
    assert_non_null(strstr(res.message, "signature"));
}

/* 1 when the live bundle opens and has its signed digest. */
static int live_verifies(void)
{
    char path[4096], err[300], stored[65], computed[65];
    if (sync_live_bundle(state, path, sizeof path) < 0)
        return 0;
    store *s = store_open(path, NULL, err, sizeof err);
    if (!s)
        return 0;
    int ok = store_meta(s, "digest", stored, sizeof stored) == 0 &&
             digest_compute(store_db(s), computed, err, sizeof err) == 0 && !strcmp(stored, computed);
    store_close(s);
    return ok;
}

/* Finding 2 of issue 15: a damaged live bundle (cut short) is not
 * "current" and is not copied into the next bundle: the same version is
 * built again from verified records, the bundle that worked before stays
 * as fallback, and later versions install. A bad block inside the bundle
 * is test_live_check_reads_few_pages's (issue 12: a check that finds no
 * new version no longer reads every page; the scrub does, test_scrub). */
static void test_damaged_live_rebuilt(void **unused)
{
    (void)unused;
    char sha[65], live[4096], prev[300];
    sync_result res;
    install_v1(sha);
    publish(variant, sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(sync_live_bundle(state, live, sizeof live), 0);
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    assert_int_equal(truncate(live, platform_file_size(live) / 2), 0);
    assert_false(live_verifies());
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 2);
    assert_true(res.records_fetched > 1); /* built whole from verified records */
    assert_true(live_verifies());
    assert_true(platform_is_file(prev)); /* what worked before is kept */
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    /* The next version installs as usual, from the rebuilt bundle. */
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    assert_true(live_verifies());
}

/* The offset of a page in the middle of the item texts: one the content
 * digest reads, wherever the updates before have put it. */
static int64_t middle_text_page(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    sqlite3_int64 page = 0, size = 0;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT pageno, (SELECT page_size FROM pragma_page_size) FROM dbstat "
                                        "WHERE name = 'item_texts' ORDER BY pageno LIMIT 1 OFFSET "
                                        "(SELECT count(*) / 2 FROM dbstat WHERE name = 'item_texts')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        page = sqlite3_column_int64(st, 0);
        size = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(page > 1);
    return (page - 1) * size;
}

/* Issue 12: the check on every sync costs O(bins), not O(bundle). A bad
 * block in the middle of the live bundle (where only quick_check reads) is
 * not noticed by a check that finds no new version: that check trusts the
 * background scrub, which reads every page (test_scrub, cli.scrub). An
 * update that must copy the live bundle reads every page first: it
 * notices, copies nothing and builds from verified records. */
static void test_live_check_reads_few_pages(void **unused)
{
    (void)unused;
    char sha[65], live[4096], prev[300], err[300];
    sync_result res;
    install_v1(sha);
    publish(variant, sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(sync_live_bundle(state, live, sizeof live), 0);
    support_damage_page(live, middle_text_page(live));
    assert_false(live_verifies());
    /* No new version: current, and the live bundle is not read whole. */
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    assert_int_equal(res.version, 2);
    /* A new version, with the previous bundle open in a kiosk (LOCK_SH):
     * the live one would be copied, so it is read whole, and refused. */
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    store *open_one = store_open(prev, NULL, err, sizeof err);
    assert_non_null(open_one);
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    assert_true(res.changes > 2); /* planned against nothing: built whole, not a copy (2) */
    assert_true(live_verifies());
    store_close(open_one);
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
}

/* Versions 1 (sample) and 2 (variant) installed, then the variant again as
 * version 3: in place, bundle-1 lacks the edited item (the live bundle has
 * it: taken from there) and the base (downloaded). With hold_max bytes
 * (0: the default) of records kept in memory; returns the result. */
static sync_result variant_again_in_place(size_t hold_max)
{
    char sha[65];
    sync_result res;
    install_v1(sha);
    publish(variant, sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    publish(variant, sk, 30, 0);
    sync_cfg cfg = {.url = repo, .state_dir = state, .trust = &pinned, .n_trust = 1, .clock = test_clock,
                    .hold_max = hold_max};
    assert_int_equal(sync_run(&cfg, &res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    assert_int_equal(res.changes, 2);
    assert_int_equal(res.records_fetched, 1);  /* the base; the item came from the live bundle */
    assert_true(res.apply.copy_us < 1000000); /* in place, not a copy */
    assert_true(live_verifies());
    char path[4096], err[300];
    assert_int_equal(sync_live_bundle(state, path, sizeof path), 0);
    store *s = store_open(path, NULL, err, sizeof err);
    assert_non_null(s);
    store_result found[4];
    assert_true(store_find(s, "edition", "en", STORE_FIND_EXACT, found, 4, NULL) >= 1);
    store_close(s);
    return res;
}

/* An in-place install keeps its records in memory: neither the one taken
 * from the live bundle nor the one downloaded is written to objects/. */
static void test_in_place_records_held(void **unused)
{
    (void)unused;
    sync_result res = variant_again_in_place(0);
    assert_int_equal(res.records_held, 2);
}

/* Past hold_max they are written to objects/ as before, and the install is
 * the same. */
static void test_in_place_records_over_hold_max(void **unused)
{
    (void)unused;
    sync_result res = variant_again_in_place(1);
    assert_int_equal(res.records_held, 0);
}

/* Versions 1 (sample) and 2 (variant) installed; version 3 (the sample
 * again) published. In place from bundle-1 it lacks only the base record;
 * from a copy of bundle-2 it also needs the edited item. */
static void two_installed_third_published(void)
{
    char sha[65];
    sync_result res;
    install_v1(sha);
    publish(variant, sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
}

/* A kiosk that has the previous bundle open (LOCK_SH) keeps it as it is:
 * the sync copies the live bundle instead. */
static void test_previous_in_use_copies(void **unused)
{
    (void)unused;
    char prev[300], err[300], before[65], after[65];
    two_installed_third_published();
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    store *open_one = store_open(prev, NULL, err, sizeof err);
    assert_non_null(open_one);
    assert_int_equal(store_meta(open_one, "digest", before, sizeof before), 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    assert_int_equal(res.changes, 2); /* planned against the live bundle: a copy */
    assert_true(live_verifies());
    assert_int_equal(store_meta(open_one, "digest", after, sizeof after), 0);
    assert_string_equal(before, after);
    store_close(open_one);
}

/* A power cut while the previous bundle was being updated leaves it under
 * the staging name, half written: it is never opened, and the next sync
 * builds from a copy of the live bundle. */
static void test_half_updated_previous_rebuilt(void **unused)
{
    (void)unused;
    char prev[300], staging[300], err[300];
    two_installed_third_published();
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    snprintf(staging, sizeof staging, "%s/bundle-3.ipb.staging", state);
    assert_int_equal(rename(prev, staging), 0);
    support_damage_page(staging, 2 * 4096);
    /* The kiosk's fallback never opens it either. */
    assert_null(store_open(prev, NULL, err, sizeof err));
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    assert_int_equal(res.changes, 2);
    assert_true(live_verifies());
    assert_false(platform_is_file(staging));
}

/* A previous bundle damaged since it was live (a bad block) fails the
 * checks once brought up to date: the same run then copies the live
 * bundle. (A hand edit of rows the update does not touch is not seen by an
 * install, which checks the changed records only, records.h: the
 * background scrub's full digest finds it.) */
static void test_damaged_previous_copies(void **unused)
{
    (void)unused;
    char prev[300];
    two_installed_third_published();
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    support_damage_page(prev, 3 * 4096);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    assert_int_equal(res.changes, 2);
    assert_true(live_verifies());
}

/* A tampered record is refused before the previous bundle is touched:
 * the live bundle stays, and so does the previous one. */
static void test_tampered_record_in_place_refused(void **unused)
{
    (void)unused;
    char sha[65], list[200], cmd[400], third[200], prev[300];
    sync_result res;
    install_v1(sha);
    publish(variant, sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    live_sha(sha);
    snprintf(list, sizeof list, "%s/objects.before", dir);
    snprintf(cmd, sizeof cmd, "ls %s/objects > %s", repo, list);
    assert_int_equal(system(cmd), 0);
    snprintf(third, sizeof third, "%s/third.ipb", dir);
    make_variant(third, " A third edition.");
    publish(third, sk, 30, 0);
    tamper_new_records(list);
    assert_refused(&pinned, "does not match the signed metadata", sha);
    snprintf(prev, sizeof prev, "%s/bundle-1.ipb", state);
    assert_true(platform_is_file(prev));
    assert_true(live_verifies());
}

/* Issue 15: the timestamp expires sooner than the snapshot (7 days, not
 * 30), so a freeze shows within days, and `refresh` re-signs it alone:
 * kiosks stay current without a new version or any download but the
 * timestamp. Once the snapshot has expired, only a new publication helps. */
/* A publication signed with a records root its records do not give (a
 * publisher's bug, or a base record made by hand and signed): refused with
 * the reason, the live bundle unchanged, before and after the tables were
 * built again from the rows. */
static void test_wrong_records_root_refused(void **unused)
{
    (void)unused;
    char sha[65], ts[300], path[400], old_hex[65], new_hex[65];
    publish_report rep;
    char err[300];
    install_v1(sha);
    assert_int_equal(publish_bundle(variant, sk, repo, 0, 30, 0, (int64_t)time(NULL), &rep, err, sizeof err), 0);
    repo_path("timestamp.txt", ts, sizeof ts);
    meta_doc doc;
    char *ts_buf, *snap = snapshot_body(ts, &doc, &ts_buf);
    /* The base record with another root in its meta row (same length). */
    char *line = strstr(snap, "file base ");
    assert_non_null(line);
    memcpy(old_hex, line + 10, 64);
    old_hex[64] = '\0';
    snprintf(path, sizeof path, "%s/objects/%s", repo, old_hex);
    size_t len;
    char *rec = slurp(path, &len);
    char *at = NULL;
    for (size_t i = 0; !at && i + 64 <= len; i++)
        if (!memcmp(rec + i, rep.records, 64))
            at = rec + i;
    assert_non_null(at);
    memset(at, '0', 64);
    unsigned char h[32];
    crypto_hash_sha256(h, (unsigned char *)rec, len);
    sodium_bin2hex(new_hex, sizeof new_hex, h, 32);
    snprintf(path, sizeof path, "%s/objects/%s", repo, new_hex);
    spit(path, rec, len);
    memcpy(line + 10, new_hex, 64);
    sign_snapshot(ts, &doc, snap, (const unsigned char(*)[64])sk, 1);
    assert_refused(&pinned, "is not the signed 0000000000000000", sha);
    meta_free(&doc);
    free(snap);
    free(ts_buf);
    free(rec);
}

static void test_timestamp_refresh(void **unused)
{
    (void)unused;
    char sha[65], err[300];
    int64_t now = (int64_t)time(NULL);
    install_v1(sha);
    syncstate_status st;
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_true(st.expires > now + 6 * 86400 && st.expires <= now + 7 * 86400 + 60);
    fake_clock = now + 8 * 86400;
    assert_refused(&pinned, "timestamp.txt: timestamp metadata expired", sha);
    uint64_t version;
    int64_t expires;
    assert_int_equal(publish_refresh(repo, sk, 0, fake_clock, &version, &expires, err, sizeof err), 0);
    assert_int_equal(version, 1);
    assert_true(expires == fake_clock + 7 * 86400);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    assert_int_equal(res.records_fetched, 0);
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_int_equal(st.stale, 0);
    /* Never past the snapshot's 30 days. */
    assert_int_equal(publish_refresh(repo, sk, 0, now + 25 * 86400, &version, &expires, err, sizeof err), 0);
    assert_true(expires < now + 31 * 86400);
    assert_int_equal(publish_refresh(repo, sk, 0, now + 31 * 86400, &version, &expires, err, sizeof err), -1);
    assert_non_null(strstr(err, "publish again"));
    /* Only a key of the repository's key set refreshes. */
    assert_int_equal(publish_refresh(repo, sk2, 0, now, &version, &expires, err, sizeof err), -1);
    assert_non_null(strstr(err, "not in this repository's key set"));
}

/* One wrong clock reading (a jump ahead that is corrected) must not become
 * the time floor the kiosk then believes for good; a reading the next
 * check confirms does. */
static void test_clock_jump_does_not_raise_floor(void **unused)
{
    (void)unused;
    char sha[65], err[300];
    int64_t now = (int64_t)time(NULL);
    sync_result res;
    install_v1(sha);
    fake_clock = now + 5 * 86400; /* within the timestamp's 7 days */
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    fake_clock = now + 60;
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    syncstate_status st;
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_true(st.time_floor <= now + 60); /* it used to be now + 5 days */
    /* Two readings that agree raise it. */
    fake_clock = now + 3600;
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_true(st.time_floor == now + 60);
}

static void test_corrupt_state_recovers(void **unused)
{
    (void)unused;
    char sha[65], path[300];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    static const char *const files[] = {"current", "status", "root.txt"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", state, files[i]);
        spit(path, "garbage\x01\n", 9);
    }
    /* The newest bundle is still found without `current`. */
    char live[4096];
    assert_int_equal(sync_live_bundle(state, live, sizeof live), 0);
    assert_non_null(strstr(live, "bundle-2.ipb"));
    /* The next sync repairs the state (rebuilding version 3 whole). */
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
    assert_int_equal(res.version, 3);
    assert_int_equal(sync_once(&res), SYNC_CURRENT);
    char err[300];
    syncstate_current cur;
    assert_int_equal(syncstate_read_current(state, &cur, err, sizeof err), 0);
    assert_int_equal(cur.version, 3);
}

static void test_cancel(void **unused)
{
    (void)unused;
    publish(getenv("SAMPLE_BUNDLE"), sk, 30, 0);
    atomic_int cancel = 1;
    sync_cfg cfg = {.url = repo, .state_dir = state, .trust = &pinned, .n_trust = 1};
    cfg.net.cancel = &cancel;
    sync_result res;
    assert_int_equal(sync_run(&cfg, &res), SYNC_CANCELLED);
    assert_int_equal(res.version, 0);
    cancel = 0;
    assert_int_equal(sync_run(&cfg, &res), SYNC_INSTALLED);
}

/* Two syncs on one state directory would share the staging file: the
 * second is turned away while the first holds the lock. */
static void test_one_sync_at_a_time(void **unused)
{
    (void)unused;
    char sha[65], path[300];
    install_v1(sha);
    publish(variant, sk, 30, 0);
    snprintf(path, sizeof path, "%s/lock", state);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    assert_refused(&pinned, "another sync is running", sha);
    close(fd);
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_INSTALLED);
}

static void test_no_repository(void **unused)
{
    (void)unused;
    sync_result res;
    assert_int_equal(sync_once(&res), SYNC_FAILED); /* no such directory */
    assert_non_null(strstr(res.message, "no repository at"));
    assert_int_equal(mkdir(repo, 0755), 0); /* a directory, but no repository */
    assert_int_equal(sync_once(&res), SYNC_FAILED);
    assert_non_null(strstr(res.message, "timestamp.txt not found"));
    char err[300];
    syncstate_status st;
    assert_int_equal(syncstate_read_status(state, &st, err, sizeof err), 0);
    assert_int_equal(st.failures, 2);
}

int main(void)
{
    fetch_global_init();
    platform_log_set_level(PLATFORM_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_sync_then_current, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_schema_builds_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_record_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_signature_and_threshold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_and_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed_versions_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_rotation_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leaked_key_recovery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_root_refuses_old_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_live_rebuilt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_check_reads_few_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_previous_in_use_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_half_updated_previous_rebuilt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_previous_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_record_in_place_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_place_records_held, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_place_records_over_hold_max, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_records_root_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timestamp_refresh, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_jump_does_not_raise_floor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_state_recovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_sync_record_fails_mid_way, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_sync_cancelled_mid_way, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_sync_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_repository, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_on_stick_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_out_of_stick_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_odd_stick_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_lengths_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poisoned_part_recovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fallback_page_for_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_characters_escaped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
