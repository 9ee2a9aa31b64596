/* Records: a bundle taken apart into base, item and asset records and put
 * together again in an empty bundle has the same content digest. Damaged
 * records, and records the bundle refuses, change nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "fts.h"
#include "record.h"
#include "support.h"

static sqlite3 *open_sample(void)
{
    sqlite3 *db;
    char uri[4200];
    snprintf(uri, sizeof uri, "file:%s?mode=ro", getenv("SAMPLE_BUNDLE"));
    assert_int_equal(sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), SQLITE_OK);
    assert_int_equal(fts_register(db), SQLITE_OK);
    return db;
}

static int count_rows(sqlite3 *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT (SELECT count(*) FROM meta) + (SELECT count(*) FROM items) + (SELECT count(*) FROM item_texts) + "
        "(SELECT count(*) FROM assets) + (SELECT count(*) FROM categories)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Applies the record of every piece of src to dst. */
static void copy_all(sqlite3 *src, sqlite3 *dst)
{
    char err[256];
    size_t len;
    unsigned char *rec = record_build(src, RECORD_BASE, NULL, &len, err, sizeof err);
    if (!rec)
        fail_msg("base: %s", err);
    assert_int_equal(record_apply(dst, rec, len, err, sizeof err), 0);
    free(rec);
    static const char *const lists[] = {"SELECT id FROM items ORDER BY id", "SELECT name FROM assets ORDER BY name"};
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(src, lists[k], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *key = (const char *)sqlite3_column_text(st, 0);
            rec = record_build(src, k ? RECORD_ASSET : RECORD_ITEM, key, &len, err, sizeof err);
            if (!rec)
                fail_msg("%s: %s", key, err);
            if (record_apply(dst, rec, len, err, sizeof err) < 0)
                fail_msg("apply %s: %s", key, err);
            free(rec);
        }
        sqlite3_finalize(st);
    }
}

static void test_round_trip_gives_the_same_digest(void **state)
{
    (void)state;
    sqlite3 *src = open_sample(), *dst = support_empty_bundle();
    copy_all(src, dst);
    char a[DIGEST_HEX_LEN + 1], b[DIGEST_HEX_LEN + 1], err[200];
    assert_int_equal(digest_compute(src, a, err, sizeof err), 0);
    assert_int_equal(digest_compute(dst, b, err, sizeof err), 0);
    assert_string_equal(a, b);
    /* And it is the digest the bundle itself names. */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(src, "SELECT value FROM meta WHERE key = 'digest'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), b);
    sqlite3_finalize(st);
    /* The same record twice is refused by the bundle's keys, with a reason. */
    size_t len;
    unsigned char *rec = record_build(src, RECORD_ITEM, "constitution", &len, err, sizeof err);
    assert_non_null(rec);
    int before = count_rows(dst);
    assert_int_equal(record_apply(dst, rec, len, err, sizeof err), -1);
    assert_non_null(strstr(err, "items"));
    assert_int_equal(count_rows(dst), before);
    free(rec);
    /* Records are deterministic. */
    size_t l1, l2;
    unsigned char *r1 = record_build(src, RECORD_ITEM, "key-changes", &l1, err, sizeof err);
    unsigned char *r2 = record_build(src, RECORD_ITEM, "key-changes", &l2, err, sizeof err);
    assert_int_equal(l1, l2);
    assert_memory_equal(r1, r2, l1);
    free(r1);
    free(r2);
    assert_null(record_build(src, RECORD_ITEM, "no-such-item", &len, err, sizeof err));
    assert_non_null(strstr(err, "nothing named 'no-such-item'"));
    sqlite3_close(src);
    sqlite3_close(dst);
}

static void test_damaged_records_change_nothing(void **state)
{
    (void)state;
    sqlite3 *src = open_sample();
    char err[256];
    size_t len;
    unsigned char *rec = record_build(src, RECORD_ITEM, "commission-session", &len, err, sizeof err);
    assert_non_null(rec);
    sqlite3 *dst = support_empty_bundle();
    /* Every truncation. */
    for (size_t cut = 0; cut < len; cut += (cut < 64 ? 1 : 97)) {
        int r = record_apply(dst, rec, cut, err, sizeof err);
        if (cut > 7 && r == 0)
            continue; /* a cut exactly between rows is a shorter valid record */
        assert_true(r == -1 || cut <= 7);
    }
    sqlite3_close(dst);
    /* Single-byte damage in the structure: refused before any row goes in. */
    srand(3);
    for (int i = 0; i < 3000; i++) {
        unsigned char *copy = malloc(len);
        memcpy(copy, rec, len);
        size_t at = (size_t)rand() % len;
        copy[at] = (unsigned char)(copy[at] ^ (1 + rand() % 255));
        dst = support_empty_bundle();
        int before = count_rows(dst);
        if (record_apply(dst, copy, len, err, sizeof err) < 0)
            assert_int_equal(count_rows(dst), before);
        sqlite3_close(dst);
        free(copy);
    }
    dst = support_empty_bundle();
    const unsigned char not_a_record[] = "IPREC2\n";
    assert_int_equal(record_apply(dst, not_a_record, sizeof not_a_record - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a content record"));
    const unsigned char bad_table[] = "IPREC1\n\x09\x02";
    assert_int_equal(record_apply(dst, bad_table, sizeof bad_table - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown table"));
    const unsigned char bad_count[] = "IPREC1\n\x00\x03";
    assert_int_equal(record_apply(dst, bad_count, sizeof bad_count - 1, err, sizeof err), -1);
    const unsigned char bad_type[] = "IPREC1\n\x00\x02x";
    assert_int_equal(record_apply(dst, bad_type, sizeof bad_type - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown value type"));
    const unsigned char huge_len[] = "IPREC1\n\x00\x02t\xff\xff\xff\xff";
    assert_int_equal(record_apply(dst, huge_len, sizeof huge_len - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "cut short"));
    assert_int_equal(count_rows(dst), 0);
    sqlite3_close(dst);
    free(rec);
    sqlite3_close(src);
}

static const record_part *find_part(const record_part *p, size_t n, const char *lang)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(p[i].lang, lang))
            return &p[i];
    return NULL;
}

/* An item record splits into its items row and one part per language:
 * a text edited in one language changes that part only; a damaged record
 * or one with more languages than asked for is refused. */
static void test_item_parts(void **state)
{
    (void)state;
    sqlite3 *src = open_sample(), *db;
    char err[256], id[128];
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_backup *b = sqlite3_backup_init(db, "main", src, "main");
    assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
    sqlite3_backup_finish(b);
    sqlite3_close(src);
    assert_int_equal(fts_register(db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM items WHERE kind = 'article' ORDER BY id LIMIT 1", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    size_t len, len2, n, n2;
    unsigned char *rec = record_build(db, RECORD_ITEM, id, &len, err, sizeof err);
    assert_non_null(rec);
    unsigned char item[32], item2[32];
    record_part parts[RECORD_MAX_PARTS], parts2[RECORD_MAX_PARTS];
    assert_int_equal(record_item_parts(rec, len, item, parts, RECORD_MAX_PARTS, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);
    /* Its English text edited. */
    const char *edited = "en";
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE item_texts SET body = body || 'Edited.' WHERE item_id = ?1 "
                                            "AND lang = 'en'", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    unsigned char *rec2 = record_build(db, RECORD_ITEM, id, &len2, err, sizeof err);
    assert_non_null(rec2);
    assert_int_equal(record_item_parts(rec2, len2, item2, parts2, RECORD_MAX_PARTS, &n2, err, sizeof err), 0);
    assert_int_equal(n2, 3);
    assert_memory_equal(item, item2, 32);
    for (size_t i = 0; i < n; i++) {
        const record_part *q = find_part(parts2, n2, parts[i].lang);
        assert_non_null(q);
        if (!strcmp(parts[i].lang, edited))
            assert_memory_not_equal(q->sha, parts[i].sha, 32);
        else
            assert_memory_equal(q->sha, parts[i].sha, 32);
    }
    /* Refused: cut short, and three languages where two were asked for. */
    assert_int_equal(record_item_parts(rec, len - 3, item, parts, RECORD_MAX_PARTS, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "cut short"));
    assert_int_equal(record_item_parts(rec, len, item, parts, 2, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "languages"));
    free(rec);
    free(rec2);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_gives_the_same_digest),
        cmocka_unit_test(test_damaged_records_change_nothing),
        cmocka_unit_test(test_item_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
