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
#include "support.h"

static char dir[64], repo[128], keydir[128];

static int setup(void **state)
{
    (void)state;
    support_tempdir(dir, sizeof dir, "ip-publish");
    snprintf(repo, sizeof repo, "%s/repo", dir);
    snprintf(keydir, sizeof keydir, "%s/keys", dir);
    char id[META_KEYID_LEN + 1], err[300];
    assert_int_equal(keys_generate(keydir, id, err, sizeof err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return support_rmtree(dir);
}

static void load_secret(const char *kd, unsigned char sk[64])
{
    char path[400], err[300];
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

/* Asserts a call failed (rc -1) with a message in err containing text. */
static void assert_refused(int rc, const char *err, const char *text)
{
    assert_int_equal(rc, -1);
    if (!strstr(err, text))
        fail_msg("\"%s\" not in \"%s\"", text, err);
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

/* A meta value of the bundle open on db ("" when it has none). */
static void meta_value(sqlite3 *db, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    snprintf(out, cap, "%s", sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_finalize(st);
}

/* Everything a kiosk will do with the repository, but the network. Returns
 * the snapshot version; the installed bundle's meta "published" in
 * published. */
static uint64_t assemble_and_check(const char *bundle_digest, char published[32])
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
    /* One version story: the installed content says the version it was
     * published as, whatever bundle.conf said, and when. */
    char version[32], want[32];
    meta_value(db, "bundle_version", version, sizeof version);
    snprintf(want, sizeof want, "%llu", (unsigned long long)v);
    assert_string_equal(version, want);
    assert_int_equal(snap.bundle_version, v);
    meta_value(db, "published", published, 32);
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
    char published[32], when[21];
    if (publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 0, 30, 0, now, &rep, err, sizeof err) < 0)
        fail_msg("publish: %s", err);
    assert_int_equal(rep.version, 1);
    assert_true(rep.objects_written >= 8);
    assert_int_equal(assemble_and_check(rep.digest, published), 1);
    meta_format_time(now, when);
    assert_string_equal(published, when);
    assert_string_equal(rep.published, published);
    /* The stamp is content: the digest is not the file's, which is left as
     * it was. */
    assert_string_not_equal(rep.digest, digest);
    char after[65];
    sample_digest(after);
    assert_string_equal(after, digest);

    /* Publishing again only adds: every earlier object is still there,
     * byte for byte, and only timestamp.txt is rewritten. */
    size_t before_written = rep.objects_written;
    char list_before[200], cmd[1024];
    snprintf(list_before, sizeof list_before, "%s/before.sha", dir);
    snprintf(cmd, sizeof cmd, "cd %s && sha256sum objects/* root/* > %s", repo, list_before);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 0, 30, 0, now + 60, &rep, err, sizeof err), 0);
    assert_int_equal(rep.version, 2);
    assert_int_equal(rep.objects_written, 2); /* the new snapshot and base record (the stamp) */
    assert_int_equal(rep.objects_kept, before_written - 2);
    snprintf(cmd, sizeof cmd, "cd %s && sha256sum -c --quiet %s", repo, list_before);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(assemble_and_check(rep.digest, published), 2);
    meta_format_time(now + 60, when);
    assert_string_equal(published, when);

    /* No going back, no standing still. */
    assert_refused(publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 2, 30, 0, now, &rep, err, sizeof err), err,
                   "version 2 is not above the published version 2");

    /* Another key cannot publish into this repository. */
    char other[160], id[META_KEYID_LEN + 1];
    snprintf(other, sizeof other, "%s/other", dir);
    assert_int_equal(keys_generate(other, id, err, sizeof err), 0);
    unsigned char sk2[64];
    load_secret(other, sk2);
    assert_refused(publish_bundle(getenv("SAMPLE_BUNDLE"), sk2, repo, 0, 30, 0, now, &rep, err, sizeof err), err,
                   "is not in this repository's key set");

    /* Bad input: not a bundle, bad expiry. */
    assert_refused(publish_bundle("/nonexistent.ipb", sk, repo, 0, 30, 0, now, &rep, err, sizeof err), err,
                   "cannot open bundle");
    assert_refused(publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 0, 0, 0, now, &rep, err, sizeof err), err,
                   "expiry must be");
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
    assert_refused(publish_bundle(copy, sk, other_repo, 0, 30, 0, now, &rep, err, sizeof err), err, "kiosks would refuse");
    char ts_path[300];
    snprintf(ts_path, sizeof ts_path, "%s/timestamp.txt", other_repo);
    assert_false(platform_is_file(ts_path));
    sodium_memzero(sk, sizeof sk);
}

/* ---- key rotation ------------------------------------------------------------ */

/* C does not convert unsigned char (*)[64] to its const form by itself. */
#define KEYS(sks) ((const unsigned char(*)[64])(sks))

/* A new key pair in dir/name; its secret key in sk, its id in id. */
static void new_key(const char *name, unsigned char sk[64], char id[META_KEYID_LEN + 1])
{
    char kd[200], err[300];
    snprintf(kd, sizeof kd, "%s/%s", dir, name);
    if (keys_generate(kd, id, err, sizeof err) < 0)
        fail_msg("%s", err);
    load_secret(kd, sk);
}

static void read_root_n(uint64_t n, char **buf, meta_doc *d)
{
    char name[64], err[300];
    size_t len;
    snprintf(name, sizeof name, "root/%llu.txt", (unsigned long long)n);
    *buf = read_repo_file(name, &len);
    if (meta_parse(*buf, len, d, err, sizeof err) < 0)
        fail_msg("%s: %s", name, err);
}

static int root_exists(uint64_t n)
{
    char path[300];
    snprintf(path, sizeof path, "%s/root/%llu.txt", repo, (unsigned long long)n);
    return platform_is_file(path);
}

/* Root n+1 is what a kiosk trusting root n accepts. */
static void assert_root_follows(uint64_t n)
{
    char *b1, *b2, err[300];
    meta_doc r1, r2;
    read_root_n(n, &b1, &r1);
    read_root_n(n + 1, &b2, &r2);
    if (meta_verify_root_update(&r1, &r2, b2, err, sizeof err) < 0)
        fail_msg("root %llu -> %llu: %s", (unsigned long long)n, (unsigned long long)n + 1, err);
    meta_free(&r1);
    meta_free(&r2);
    free(b1);
    free(b2);
}

static int publish_with(const unsigned char sk[64], char *err, size_t errcap)
{
    publish_report rep;
    return publish_bundle(getenv("SAMPLE_BUNDLE"), sk, repo, 0, 30, 0, (int64_t)time(NULL), &rep, err, errcap);
}

static int rotate(const unsigned char (*olds)[64], int n_old, const unsigned char (*news)[64], int n_new,
                  int threshold, publish_rotation *rep, char *err, size_t errcap)
{
    return publish_rotate_key(repo, olds, n_old, news, n_new, threshold, PUBLISH_ROOT_EXPIRES_DAYS,
                              (int64_t)time(NULL), PUBLISH_FLOOR_PUBLISHED, rep, err, errcap);
}

/* publish_with, or the test fails naming what it did. */
static void must_publish(const unsigned char sk[64], const char *what)
{
    char err[300];
    if (publish_with(sk, err, sizeof err) < 0)
        fail_msg("%s: %s", what, err);
}

/* rotate, or the test fails naming what it did. */
static void must_rotate(const unsigned char (*olds)[64], int n_old, const unsigned char (*news)[64], int n_new,
                        int threshold, publish_rotation *rep, const char *what)
{
    char err[300];
    if (rotate(olds, n_old, news, n_new, threshold, rep, err, sizeof err) < 0)
        fail_msg("%s: %s", what, err);
}

static void test_rotate_then_publish(void **state)
{
    (void)state;
    unsigned char a[1][64], b[1][64];
    char a_id[META_KEYID_LEN + 1], b_id[META_KEYID_LEN + 1], err[300], *buf;
    load_secret(keydir, a[0]);
    new_key("b", b[0], b_id);
    int64_t now = (int64_t)time(NULL);
    must_publish(a[0], "publish");

    /* Root 1 documents a long-lived key set, not the content's 30 days. */
    meta_doc root;
    read_root_n(1, &buf, &root);
    assert_true(root.expires >= now + (int64_t)PUBLISH_ROOT_EXPIRES_DAYS * 86400);
    assert_true(root.expires <= (int64_t)time(NULL) + (int64_t)PUBLISH_ROOT_EXPIRES_DAYS * 86400);
    snprintf(a_id, sizeof a_id, "%s", root.keys[0].id);
    meta_free(&root);
    free(buf);

    publish_rotation rep;
    if (publish_rotate_key(repo, KEYS(a), 1, KEYS(b), 1, 1, 400, now, PUBLISH_FLOOR_PUBLISHED, &rep, err, sizeof err) < 0)
        fail_msg("rotate: %s", err);
    assert_int_equal(rep.version, 2);
    assert_int_equal(rep.n_keys, 1);
    assert_string_equal(rep.keys[0], b_id);
    assert_int_equal(rep.n_signers, 2);
    assert_string_equal(rep.signers[0], a_id);
    assert_string_equal(rep.signers[1], b_id);
    assert_root_follows(1);
    read_root_n(2, &buf, &root);
    assert_int_equal(root.n_keys, 1);
    assert_string_equal(root.keys[0].id, b_id);
    assert_int_equal(root.threshold, 1);
    assert_int_equal(root.expires, now + 400 * 86400);

    /* The new key publishes, and what it signs verifies with root 2. */
    must_publish(b[0], "publish with the new key");
    size_t len;
    char *ts_buf = read_repo_file("timestamp.txt", &len);
    meta_doc ts;
    assert_int_equal(meta_parse(ts_buf, len, &ts, err, sizeof err), 0);
    assert_int_equal(ts.version, 2);
    assert_int_equal(meta_verify(&ts, ts_buf, root.keys, root.n_keys, root.threshold, err, sizeof err), 0);
    meta_free(&ts);
    free(ts_buf);
    meta_free(&root);
    free(buf);

    /* The retired key can neither publish nor change the key set again. */
    assert_refused(publish_with(a[0], err, sizeof err), err, "is not in this repository's key set");
    assert_non_null(strstr(err, "root/2.txt lists"));
    assert_refused(rotate(KEYS(a), 1, KEYS(a), 1, 1, &rep, err, sizeof err), err, "is not in the current key set");
    assert_false(root_exists(3));
    sodium_memzero(a, sizeof a);
    sodium_memzero(b, sizeof b);
}

static void test_rotate_refused_writes_nothing(void **state)
{
    (void)state;
    unsigned char a[1][64], c[1][64];
    char c_id[META_KEYID_LEN + 1], err[300];
    load_secret(keydir, a[0]);
    new_key("c", c[0], c_id);
    publish_rotation rep;
    int64_t now = (int64_t)time(NULL);

    /* Nothing to rotate before the first publication. */
    assert_refused(rotate(KEYS(a), 1, KEYS(c), 1, 1, &rep, err, sizeof err), err, "publish into it first");

    must_publish(a[0], "publish");
    char before[200], cmd[600];
    snprintf(before, sizeof before, "%s/before.ls", dir);
    snprintf(cmd, sizeof cmd, "cd %s && (ls -A root && sha256sum root/*) > %s", repo, before);
    assert_int_equal(system(cmd), 0);

    /* A key outside the current set cannot vouch for a new one. */
    assert_refused(rotate(KEYS(c), 1, KEYS(c), 1, 1, &rep, err, sizeof err), err, c_id);
    assert_non_null(strstr(err, "is not in the current key set"));
    /* Nor can a current key sneak one in beside it. */
    unsigned char both[2][64];
    memcpy(both[0], a[0], 64);
    memcpy(both[1], c[0], 64);
    assert_refused(rotate(KEYS(both), 2, KEYS(a), 1, 1, &rep, err, sizeof err), err, "is not in the current key set");
    /* Bad arguments. */
    assert_refused(rotate(KEYS(a), 1, KEYS(c), 1, 2, &rep, err, sizeof err), err, "threshold must be");
    assert_refused(publish_rotate_key(repo, KEYS(a), 1, KEYS(c), 1, 1, 0, now, 0, &rep, err, sizeof err), err,
                   "expiry must be");
    memcpy(both[0], c[0], 64);
    assert_refused(rotate(KEYS(a), 1, KEYS(both), 2, 1, &rep, err, sizeof err), err, "given twice");

    /* root/ is byte for byte as it was: no root 2, no temporary file. */
    snprintf(cmd, sizeof cmd, "cd %s && (ls -A root && sha256sum root/*) | cmp -s - %s", repo, before);
    assert_int_equal(system(cmd), 0);
    assert_false(root_exists(2));
    sodium_memzero(a, sizeof a);
    sodium_memzero(c, sizeof c);
    sodium_memzero(both, sizeof both);
}

/* Replaces the first occurrence of from (same length) in buf. */
static void replace_in(char *buf, const char *from, const char *to)
{
    char *at = strstr(buf, from);
    assert_non_null(at);
    assert_int_equal(strlen(from), strlen(to));
    memcpy(at, to, strlen(to));
}

/* root2 (text) with old_line replaced by new_line, in t (a buffer as long):
 * it parses, but a kiosk trusting root1 refuses it; err says why. */
static void swapped_key_refused(const meta_doc *root1, const char *root2, char *t, const char *old_line,
                                const char *new_line, char err[300])
{
    size_t len = strlen(root2);
    meta_doc d;
    memcpy(t, root2, len);
    replace_in(t, old_line, new_line);
    assert_int_equal(meta_parse(t, len, &d, err, 300), 0);
    assert_int_equal(meta_verify_root_update(root1, &d, t, err, 300), -1);
    meta_free(&d);
}

static void test_tampered_root_refused(void **state)
{
    (void)state;
    unsigned char a[1][64], b[1][64], x[1][64];
    char b_id[META_KEYID_LEN + 1], x_id[META_KEYID_LEN + 1], err[300];
    load_secret(keydir, a[0]);
    new_key("b", b[0], b_id);
    new_key("x", x[0], x_id);
    must_publish(a[0], "publish");
    publish_rotation rep;
    must_rotate(KEYS(a), 1, KEYS(b), 1, 1, &rep, "rotate");
    assert_root_follows(1);

    char *b1, *b2;
    meta_doc r1, r2;
    read_root_n(1, &b1, &r1);
    read_root_n(2, &b2, &r2);
    size_t len = strlen(b2);
    char old_line[120], new_line[120], hex[65];
    sodium_bin2hex(hex, sizeof hex, r2.keys[0].pk, 32);
    snprintf(old_line, sizeof old_line, "key %s %s", b_id, hex);
    meta_free(&r2);

    /* One flipped digit of the key: its id no longer matches, so the parser
     * already refuses it. */
    char *t = strdup(b2);
    hex[10] = hex[10] == '0' ? '1' : '0';
    snprintf(new_line, sizeof new_line, "key %s %s", b_id, hex);
    replace_in(t, old_line, new_line);
    assert_refused(meta_parse(t, len, &r2, err, sizeof err), err, "does not match its key");

    /* The same flip with the id made to match parses, and the signatures
     * no longer cover it. */
    meta_key k;
    sodium_hex2bin(k.pk, 32, hex, 64, NULL, NULL, NULL);
    meta_key_id(k.pk, k.id);
    snprintf(new_line, sizeof new_line, "key %s %s", k.id, hex);
    swapped_key_refused(&r1, b2, t, old_line, new_line, err);
    assert_non_null(strstr(err, "not signed by the current keys"));

    /* An attacker's whole key in its place: the same. */
    char x_hex[65];
    unsigned char x_pk[32];
    crypto_sign_ed25519_sk_to_pk(x_pk, x[0]);
    sodium_bin2hex(x_hex, sizeof x_hex, x_pk, 32);
    snprintf(new_line, sizeof new_line, "key %s %s", x_id, x_hex);
    swapped_key_refused(&r1, b2, t, old_line, new_line, err);

    /* The untouched file still verifies. */
    assert_int_equal(meta_parse(b2, len, &r2, err, sizeof err), 0);
    assert_int_equal(meta_verify_root_update(&r1, &r2, b2, err, sizeof err), 0);
    meta_free(&r2);
    meta_free(&r1);
    free(t);
    free(b1);
    free(b2);
    sodium_memzero(a, sizeof a);
    sodium_memzero(b, sizeof b);
    sodium_memzero(x, sizeof x);
}

/* Several keys: any one of a threshold-1 set publishes; a threshold-2 set
 * changes only with two of its keys, and publish (one key) refuses it. */
static void test_rotate_key_sets(void **state)
{
    (void)state;
    unsigned char a[1][64], bc[2][64], b[1][64];
    char b_id[META_KEYID_LEN + 1], c_id[META_KEYID_LEN + 1], err[300];
    load_secret(keydir, a[0]);
    new_key("b", bc[0], b_id);
    new_key("c", bc[1], c_id);
    memcpy(b[0], bc[0], 64);
    must_publish(a[0], "publish");
    publish_rotation rep;
    const unsigned char(*A)[64] = KEYS(a), (*BC)[64] = KEYS(bc), (*B)[64] = KEYS(b);

    /* Root 2: b and c, either signs. */
    must_rotate(A, 1, BC, 2, 1, &rep, "rotate to b, c");
    assert_int_equal(rep.n_keys, 2);
    assert_int_equal(rep.n_signers, 3);
    assert_root_follows(1);
    must_publish(bc[1], "publish with c");

    /* Root 3: the same keys, both needed. b signs once though given twice. */
    must_rotate(B, 1, BC, 2, 2, &rep, "rotate to threshold 2");
    assert_int_equal(rep.n_signers, 2);
    assert_root_follows(2);
    assert_refused(publish_with(bc[0], err, sizeof err), err, "needs 2 signatures");

    /* One key of a threshold-2 set cannot change it; two can. */
    assert_refused(rotate(B, 1, B, 1, 1, &rep, err, sizeof err), err, "needs 2 of its keys");
    assert_false(root_exists(4));
    must_rotate(BC, 2, B, 1, 1, &rep, "rotate back to b");
    assert_int_equal(rep.version, 4);
    assert_string_equal(rep.keys[0], b_id);
    assert_root_follows(3);
    must_publish(b[0], "publish with b");
    assert_refused(publish_with(bc[1], err, sizeof err), err, c_id);
    sodium_memzero(a, sizeof a);
    sodium_memzero(b, sizeof b);
    sodium_memzero(bc, sizeof bc);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_publish_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotate_then_publish, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotate_refused_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_root_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotate_key_sets, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
