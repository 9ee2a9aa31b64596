/* A published repository, read back the way a kiosk will: timestamp signed
 * by the pinned key, snapshot and bins by hash, records applied to an empty
 * bundle, and the result's digest equal to the signed one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "digest.h"
#include "fts.h"
#include "keys.h"
#include "meta.h"
#include "platform.h"
#include "publish.h"
#include "record.h"
#include "schema_sql.h"

static char dir[64], repo[128], keydir[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ip-publish-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(repo, sizeof repo, "%s/repo", dir);
    snprintf(keydir, sizeof keydir, "%s/keys", dir);
    char id[META_KEYID_LEN + 1], err[300];
    assert_int_equal(keys_generate(keydir, id, err, sizeof err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void load_secret(const char *kd, unsigned char sk[64])
{
    char path[200], err[300];
    snprintf(path, sizeof path, "%s/publisher.key", kd);
    if (keys_read_secret(path, sk, err, sizeof err) < 0)
        fail_msg("%s", err);
}

static char *read_repo_file(const char *name, size_t *len)
{
    char path[400], err[300], *buf;
    snprintf(path, sizeof path, "%s/%s", repo, name);
    if (platform_read_file(path, 64u << 20, &buf, len, err, sizeof err) < 0)
        fail_msg("%s", err);
    return buf;
}

/* An object named by a signed listing: its hash and length must match. */
static char *fetch_object(const meta_file *f, size_t *len)
{
    char name[200], hex[65];
    sodium_bin2hex(hex, sizeof hex, f->sha256, 32);
    snprintf(name, sizeof name, "objects/%s", hex);
    char *buf = read_repo_file(name, len);
    unsigned char h[32];
    crypto_hash_sha256(h, (unsigned char *)buf, *len);
    assert_memory_equal(h, f->sha256, 32);
    assert_int_equal(*len, f->length);
    return buf;
}

static void parse_verified(const char *buf, size_t len, const meta_key *key, meta_doc *d)
{
    char err[300];
    if (meta_parse(buf, len, d, err, sizeof err) < 0)
        fail_msg("parse: %s", err);
    if (d->role != META_BIN && meta_verify(d, buf, key, 1, 1, err, sizeof err) < 0)
        fail_msg("verify: %s", err);
}

/* Everything a kiosk will do with the repository, but the network. Returns
 * the snapshot version. */
static uint64_t assemble_and_check(const char *bundle_digest)
{
    char path[200], err[300];
    meta_key pinned;
    snprintf(path, sizeof path, "%s/publisher.pub", keydir);
    assert_int_equal(keys_read_public(path, &pinned, err, sizeof err), 0);
    size_t len;
    char *root_buf = read_repo_file("root/1.txt", &len);
    meta_doc root, ts, snap;
    parse_verified(root_buf, len, &pinned, &root);
    assert_int_equal(root.role, META_ROOT);
    char *ts_buf = read_repo_file("timestamp.txt", &len);
    parse_verified(ts_buf, len, &pinned, &ts);
    assert_int_equal(meta_check_expiry(&ts, (int64_t)time(NULL), 0, err, sizeof err), 0);
    assert_int_equal(ts.n_files, 1);
    assert_string_equal(ts.files[0].path, "snapshot");
    char *snap_buf = fetch_object(&ts.files[0], &len);
    parse_verified(snap_buf, len, &pinned, &snap);
    assert_int_equal(snap.version, ts.version);
    assert_string_equal(snap.digest, bundle_digest);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(fts_register(db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, schema_sql, NULL, NULL, NULL), SQLITE_OK);
    int records = 0;
    for (size_t i = 0; i < snap.n_files; i++) {
        char *obj = fetch_object(&snap.files[i], &len);
        if (!strcmp(snap.files[i].path, "base")) {
            assert_int_equal(record_apply(db, (unsigned char *)obj, len, err, sizeof err), 0);
            records++;
        } else {
            meta_doc bin;
            parse_verified(obj, len, &pinned, &bin);
            assert_int_equal(bin.role, META_BIN);
            for (size_t k = 0; k < bin.n_files; k++) {
                size_t rl;
                char *rec = fetch_object(&bin.files[k], &rl);
                if (record_apply(db, (unsigned char *)rec, rl, err, sizeof err) < 0)
                    fail_msg("%s: %s", bin.files[k].path, err);
                records++;
                free(rec);
            }
            meta_free(&bin);
        }
        free(obj);
    }
    char digest[DIGEST_HEX_LEN + 1];
    assert_int_equal(digest_compute(db, digest, err, sizeof err), 0);
    assert_string_equal(digest, snap.digest);
    assert_true(records >= 6); /* base, 4 items, 1 image */
    uint64_t v = snap.version;
    sqlite3_close(db);
    meta_free(&root);
    meta_free(&ts);
    meta_free(&snap);
    free(root_buf);
    free(ts_buf);
    free(snap_buf);
    return v;
}

static void sample_digest(char out[65])
{
    sqlite3 *db;
    char uri[4200];
    snprintf(uri, sizeof uri, "file:%s?mode=ro", getenv("SAMPLE_BUNDLE"));
    assert_int_equal(sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'digest'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_publish_and_read_back(void **state)
{
    (void)state;
    unsigned char sk[64];
    char err[300], digest[65];
    load_secret(keydir, sk);
    sample_digest(digest);
    publish_report rep;
    int64_t now = (int64_t)time(NULL);
    if (publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 0, 30, now, &rep, err, sizeof err) < 0)
        fail_msg("publish: %s", err);
    assert_int_equal(rep.version, 1);
    assert_true(rep.objects_written >= 8);
    assert_int_equal(assemble_and_check(digest), 1);

    /* Publishing again only adds: every earlier object is still there,
     * byte for byte, and only timestamp.txt is rewritten. */
    size_t before_written = rep.objects_written;
    char list_before[200], cmd[1024];
    snprintf(list_before, sizeof list_before, "%s/before.sha", dir);
    snprintf(cmd, sizeof cmd, "cd %s && sha256sum objects/* root/* > %s", repo, list_before);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 0, 30, now, &rep, err, sizeof err), 0);
    assert_int_equal(rep.version, 2);
    assert_int_equal(rep.objects_written, 1); /* the new snapshot */
    assert_int_equal(rep.objects_kept, before_written - 1);
    snprintf(cmd, sizeof cmd, "cd %s && sha256sum -c --quiet %s", repo, list_before);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(assemble_and_check(digest), 2);

    /* No going back, no standing still. */
    assert_int_equal(publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 2, 30, now, &rep, err, sizeof err), -1);
    assert_non_null(strstr(err, "version 2 is not above the published version 2"));

    /* Another key cannot publish into this repository. */
    char other[160], id[META_KEYID_LEN + 1];
    snprintf(other, sizeof other, "%s/other", dir);
    assert_int_equal(keys_generate(other, id, err, sizeof err), 0);
    unsigned char sk2[64];
    load_secret(other, sk2);
    assert_int_equal(publish_bundle(getenv("SAMPLE_BUNDLE"), sk2, repo, 0, 30, now, &rep, err, sizeof err), -1);
    assert_non_null(strstr(err, "is not in this repository's key set"));

    /* Bad input: not a bundle, bad expiry. */
    assert_int_equal(publish_bundle("/nonexistent.ipb", sk, repo, 0, 30, now, &rep, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open bundle"));
    assert_int_equal(publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 0, 0, now, &rep, err, sizeof err), -1);
    assert_non_null(strstr(err, "expiry must be"));
    /* A name kiosks would refuse stops the publication before anything is
     * signed for it. */
    char copy[200], other_repo[200];
    snprintf(copy, sizeof copy, "%s/upper.ipb", dir);
    snprintf(other_repo, sizeof other_repo, "%s/repo2", dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", getenv("SAMPLE_BUNDLE"), copy);
    assert_int_equal(system(cmd), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE assets SET name = 'commission-session/Photo.PNG'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(publish_bundle(copy, sk, other_repo, 0, 30, now, &rep, err, sizeof err), -1);
    assert_non_null(strstr(err, "kiosks would refuse"));
    char ts_path[300];
    snprintf(ts_path, sizeof ts_path, "%s/timestamp.txt", other_repo);
    assert_false(platform_is_file(ts_path));
    sodium_memzero(sk, sizeof sk);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_publish_and_read_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
