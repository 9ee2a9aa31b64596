/* apply_build's content check on real bundles and records (apply.h): an
 * edition whose base carries the records root is checked through it, in
 * O(changed records) once the bundle keeps its record tables (built once
 * from the rows when it does not); one without (an older publisher) through
 * the full content digest; a wrong root, or a record that is not the one
 * signed, is refused with the staging file removed and the live bundle
 * untouched; damaged record tables are built again from the rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "digest.h"
#include "fts.h"
#include "platform.h"
#include "record.h"
#include "records.h"
#include "support.h"

static char dir[64], live[128], staging[128], edition_path[128], base_rec[128], item_rec[128];
static char item_name[200], digest[65];
static unsigned char base_sha[32], item_sha[32];

static void sh(const char *fmt, const char *a, const char *b)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    assert_int_equal(system(cmd), 0);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
}

static void set_meta(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Writes the record of one piece of db to path; its hash into sha. */
static void write_record(sqlite3 *db, record_kind kind, const char *key, const char *path, unsigned char sha[32])
{
    char err[300];
    size_t len;
    unsigned char *rec = record_build(db, kind, key, &len, err, sizeof err);
    if (!rec)
        fail_msg("%s", err);
    crypto_hash_sha256(sha, rec, len);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(rec, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    free(rec);
}

/* The next edition: `from` with one article's text changed, stamped as a
 * publisher does (root: the records root as meta 'records', "wrong": a
 * wrong one, NULL: none, as an older publisher), its digest in meta; writes
 * its base and the changed item's records. */
static void make_edition_with(const char *from, const char *suffix, const char *root, const char *sql);

static void make_edition(const char *from, const char *suffix, const char *root)
{
    make_edition_with(from, suffix, root, NULL);
}

/* The same, with sql run on the edition after the edit (the edited item is
 * the first article by id, as support_edit_article chooses). */
static void make_edition_with(const char *from, const char *suffix, const char *root, const char *sql)
{
    char err[300], hex[65], id[128];
    unsigned char r[32];
    sqlite3 *db;
    sh("cp %s %s", from, edition_path);
    assert_int_equal(sqlite3_open(edition_path, &db), SQLITE_OK);
    assert_int_equal(fts_register(db), SQLITE_OK);
    support_edit_article(db, suffix, id, sizeof id);
    if (sql)
        exec(db, sql);
    snprintf(item_name, sizeof item_name, "items/%s", id);
    exec(db, "DELETE FROM meta WHERE key = 'records'");
    if (root) {
        assert_int_equal(records_fill(db, r, err, sizeof err), 0);
        sodium_bin2hex(hex, sizeof hex, r, 32);
        set_meta(db, "records", strcmp(root, "wrong") ? hex : "00000000000000000000000000000000"
                                                              "00000000000000000000000000000000");
    }
    support_stamp_digest(db, digest);
    write_record(db, RECORD_BASE, NULL, base_rec, base_sha);
    write_record(db, RECORD_ITEM, id, item_rec, item_sha);
    sqlite3_close(db);
}

/* Builds staging from `from` with the edition's two records. */
static int build(const char *from, int in_place, apply_report *rep, char *err, size_t cap)
{
    apply_change ch[2] = {{.name = "base", .record_path = base_rec, .sha = base_sha},
                          {.name = item_name, .record_path = item_rec, .sha = item_sha}};
    apply_job job = {.live = in_place ? NULL : from, .staging = staging, .in_place = in_place, .changes = ch,
                     .n_changes = 2, .digest = digest};
    return apply_build(&job, rep, err, cap);
}

static void file_sha(const char *path, char out[65])
{
    char *buf, err[300];
    size_t len;
    unsigned char h[32];
    assert_int_equal(platform_read_file(path, 64u << 20, &buf, &len, err, sizeof err), 0);
    crypto_hash_sha256(h, (unsigned char *)buf, len);
    sodium_bin2hex(out, 65, h, 32);
    free(buf);
}

/* The content digest of the bundle at path equals the signed one. */
static void assert_content(const char *path)
{
    sqlite3 *db;
    char got[65], err[300];
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(digest_compute(db, got, err, sizeof err), 0);
    assert_string_equal(got, digest);
    sqlite3_close(db);
}

static int setup(void **unused)
{
    (void)unused;
    support_tempdir(dir, sizeof dir, "ip-apply");
    snprintf(live, sizeof live, "%s/live.ipb", dir);
    snprintf(staging, sizeof staging, "%s/staging.ipb", dir);
    snprintf(edition_path, sizeof edition_path, "%s/edition.ipb", dir);
    snprintf(base_rec, sizeof base_rec, "%s/base.rec", dir);
    snprintf(item_rec, sizeof item_rec, "%s/item.rec", dir);
    sh("cp %s %s", getenv("SAMPLE_BUNDLE"), live);
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    return support_rmtree(dir);
}

/* An older publisher (no root in the base): the full digest, as before. */
static void test_without_root_full_digest(void **unused)
{
    (void)unused;
    apply_report rep;
    char err[300];
    make_edition(live, "\n\nOlder publisher.\n", NULL);
    assert_int_equal(build(live, 0, &rep, err, sizeof err), 0);
    assert_int_equal(rep.by_records, 0);
    assert_content(staging);
    /* What a later install needs: the live check passes on it. */
    assert_int_equal(apply_live_verifies(staging, digest, err, sizeof err), 1);
}

/* With a root: the tables are built once from the rows of a bundle made
 * without them, then each later install touches only its bins. */
static void test_with_root_changed_only(void **unused)
{
    (void)unused;
    apply_report rep;
    char err[300], next[160];
    make_edition(live, "\n\nFirst.\n", "right");
    if (build(live, 0, &rep, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(rep.by_records, 1);
    assert_int_equal(rep.records_filled, 1); /* the sample keeps no record_root */
    assert_content(staging);
    snprintf(next, sizeof next, "%s/next.ipb", dir);
    assert_int_equal(rename(staging, next), 0);
    assert_int_equal(apply_live_verifies(next, digest, err, sizeof err), 1);
    /* The next edition, from the bundle just built: O(changed). */
    make_edition(next, "\n\nSecond.\n", "right");
    if (build(next, 0, &rep, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(rep.by_records, 1);
    assert_int_equal(rep.records_filled, 0);
    assert_content(staging); /* stored without computing it, and right */
    /* In place, on a bundle an older kiosk updated (its record tables name
     * another digest): built again from the rows, once. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(next, &db), SQLITE_OK);
    exec(db, "UPDATE record_root SET digest = 'ff' || substr(digest, 3)");
    sqlite3_close(db);
    sh("cp %s %s", next, staging);
    make_edition(next, "\n\nThird.\n", "right");
    if (build(NULL, 1, &rep, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(rep.by_records, 1);
    assert_int_equal(rep.records_filled, 1);
    assert_content(staging);
}

/* The check of every poll reads few pages (issue 12): a bad block in the
 * middle of a bundle that keeps its records digest passes it; only the
 * check before a copy (quick_check, every page) finds it. A cut passes
 * neither. */
static void test_live_check_and_pages(void **unused)
{
    (void)unused;
    apply_report rep;
    char err[300], next[160];
    make_edition(live, "\n\nFirst.\n", "right");
    if (build(live, 0, &rep, err, sizeof err) < 0)
        fail_msg("%s", err);
    snprintf(next, sizeof next, "%s/next.ipb", dir);
    assert_int_equal(rename(staging, next), 0);
    assert_int_equal(apply_live_pages_ok(next, err, sizeof err), 1);
    int64_t pages = platform_file_size(next) / 4096;
    assert_true(pages > 8);
    support_damage_page(next, pages / 2 * 4096);
    assert_int_equal(apply_live_verifies(next, digest, err, sizeof err), 1);
    assert_int_equal(apply_live_pages_ok(next, err, sizeof err), 0);
    if (!strstr(err, "quick_check"))
        fail_msg("reason: %s", err);
    assert_int_equal(truncate(next, pages / 2 * 4096), 0);
    assert_int_equal(apply_live_verifies(next, digest, err, sizeof err), 0);
}

/* A damaged record_bins row (not of a bin the update touches) makes the
 * root wrong: the tables are built again from the rows, which are right. */
static void test_damaged_tables_rebuilt(void **unused)
{
    (void)unused;
    apply_report rep;
    char err[300], next[160], was[65];
    make_edition(live, "\n\nFirst.\n", "right");
    assert_int_equal(build(live, 0, &rep, err, sizeof err), 0);
    snprintf(next, sizeof next, "%s/next.ipb", dir);
    assert_int_equal(rename(staging, next), 0);
    memcpy(was, digest, sizeof was);
    assert_int_equal(apply_live_verifies(next, was, err, sizeof err), 1);
    make_edition(next, "\n\nSecond.\n", "right");
    sqlite3 *db;
    char sql[200];
    assert_int_equal(sqlite3_open(next, &db), SQLITE_OK);
    snprintf(sql, sizeof sql, "UPDATE record_bins SET sha = zeroblob(32) WHERE bin = (SELECT min(bin) FROM "
             "record_bins WHERE bin <> %d)", records_bin(item_name));
    exec(db, sql);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
    /* The live check sees it too. */
    assert_int_equal(apply_live_verifies(next, was, err, sizeof err), 0);
    if (!strstr(err, "record bins"))
        fail_msg("reason: %s", err);
    if (build(next, 0, &rep, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(rep.by_records, 1);
    assert_int_equal(rep.records_filled, 1);
    assert_content(staging);
}

/* A wrong signed root, or a record file that is not the signed one: refused
 * with a clear reason, no staging file left, the live bundle unchanged. */
static void test_wrong_root_refused(void **unused)
{
    (void)unused;
    apply_report rep;
    char err[300], before[65], after[65];
    file_sha(live, before);
    make_edition(live, "\n\nWrong root.\n", "wrong");
    assert_int_equal(build(live, 0, &rep, err, sizeof err), -1);
    if (!strstr(err, "records root") || !strstr(err, "is not the signed 0000000000000000"))
        fail_msg("reason: %s", err);
    assert_false(platform_is_file(staging));
    make_edition(live, "\n\nRight root, wrong file.\n", "right");
    item_sha[0] ^= 1;
    assert_int_equal(build(live, 0, &rep, err, sizeof err), -1);
    if (!strstr(err, "not the one signed"))
        fail_msg("reason: %s", err);
    assert_false(platform_is_file(staging));
    file_sha(live, after);
    assert_string_equal(before, after);
}

/* Records given as bytes in memory (an in-place sync holds them) are
 * applied as from files, and checked the same: a byte changed after the
 * sync's check is refused. */
static void test_records_in_memory(void **unused)
{
    (void)unused;
    apply_report rep;
    char err[300], *base = NULL, *item = NULL;
    size_t base_len, item_len;
    make_edition(live, "\n\nFrom memory.\n", "right");
    assert_int_equal(platform_read_file(base_rec, 64u << 20, &base, &base_len, err, sizeof err), 0);
    assert_int_equal(platform_read_file(item_rec, 64u << 20, &item, &item_len, err, sizeof err), 0);
    apply_change ch[2] = {
        {.name = "base", .record = (unsigned char *)base, .record_len = base_len, .sha = base_sha},
        {.name = item_name, .record = (unsigned char *)item, .record_len = item_len, .sha = item_sha}};
    apply_job job = {.live = live, .staging = staging, .changes = ch, .n_changes = 2, .digest = digest};
    if (apply_build(&job, &rep, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_content(staging);
    unlink(staging);
    item[item_len / 2] ^= 1;
    assert_int_equal(apply_build(&job, &rep, err, sizeof err), -1);
    if (!strstr(err, item_name) || !strstr(err, "not the one signed"))
        fail_msg("reason: %s", err);
    assert_false(platform_is_file(staging));
    free(base);
    free(item);
}

#define FIRST_ARTICLE "(SELECT id FROM items WHERE kind = 'article' ORDER BY id LIMIT 1)"

/* "lang:unit@text;..." of the first article's units: their ids and the
 * item_texts rowids they belong to (a text replaced whole gets a new one). */
static void article_units(const char *path, char *out, size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(lang || ':' || id || '@' || text_id, ';') FROM (SELECT "
                                            "lang, id, text_id FROM search_units WHERE item_id = " FIRST_ARTICLE " ORDER BY id)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, cap, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Builds staging in place from `from` (copied there first), checks its
 * content against the signed digest and its index against its units. */
static void build_in_place(const char *from, apply_report *rep)
{
    char err[300];
    sqlite3 *db;
    sh("cp %s %s", from, staging);
    if (build(NULL, 1, rep, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_content(staging);
    assert_int_equal(sqlite3_open(staging, &db), SQLITE_OK);
    assert_int_equal(fts_register(db), SQLITE_OK);
    support_assert_index_matches_units(db);
    sqlite3_close(db);
}

/* In place, an item is changed by the languages that changed when its
 * items row did not: one text edited keeps every unit id (the edited
 * text's too); a language gone takes its units; a changed items row
 * replaces the item whole. Each time the content is the signed content
 * and the index holds exactly the units. */
static void test_languages_replaced_apart(void **unused)
{
    (void)unused;
    apply_report rep;
    char before[512], after[512], next[160];
    snprintf(next, sizeof next, "%s/next.ipb", dir);
    article_units(live, before, sizeof before);
    assert_non_null(strstr(before, "ru:"));
    make_edition_with(live, "", "right",
                      "UPDATE item_texts SET body = body || 'One language edited.' WHERE lang = 'en' AND item_id = "
                      FIRST_ARTICLE);
    build_in_place(live, &rep);
    article_units(staging, after, sizeof after);
    assert_string_equal(after, before);
    assert_int_equal(rename(staging, next), 0);
    /* The article loses its Russian text. */
    make_edition_with(next, "\n\nRussian gone.\n", "right",
                      "DELETE FROM item_texts WHERE lang = 'ru' AND item_id = " FIRST_ARTICLE ";"
                      "DELETE FROM anchors WHERE lang = 'ru' AND item_id = " FIRST_ARTICLE ";"
                      "DELETE FROM links WHERE lang = 'ru' AND item_id = " FIRST_ARTICLE ";"
                      "DELETE FROM keywords WHERE lang = 'ru' AND item_id = " FIRST_ARTICLE ";");
    build_in_place(next, &rep);
    article_units(staging, after, sizeof after);
    assert_null(strstr(after, "ru:"));
    assert_non_null(strstr(after, "kk:"));
    assert_int_equal(rename(staging, next), 0);
    /* Moved in its category as well: the item is replaced whole. */
    article_units(next, before, sizeof before);
    make_edition_with(next, "\n\nMoved.\n", "right", "UPDATE items SET pos = pos + 1000 WHERE id = " FIRST_ARTICLE);
    build_in_place(next, &rep);
    article_units(staging, after, sizeof after);
    assert_string_not_equal(after, before); /* its texts are new rows */
    assert_null(strstr(after, "ru:"));
    assert_non_null(strstr(after, "en:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_without_root_full_digest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_with_root_changed_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_check_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_tables_rebuilt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_records_in_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_root_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_languages_replaced_apart, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
