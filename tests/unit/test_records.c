/* The records digest (records.h): the root does not depend on the order
 * records are added in, a changed record changes its bin and no other,
 * empty bins hash as zeros, and the root kept in a bundle's tables is the
 * one computed from its records in memory (as the publisher does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "record.h"
#include "records.h"
#include "support.h"

#define N 40

static char names[N][32];
static const char *name_ptr[N];
static unsigned char shas[N][32];

static void make_records(void)
{
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], i % 4 ? "items/item-%02d" : "assets/img-%02d.png", i);
        name_ptr[i] = names[i];
        crypto_hash_sha256(shas[i], (const unsigned char *)names[i], strlen(names[i]));
    }
}

/* Adds records i = from, from + step, ... (mod N) to db and refreshes. */
static void add_in_order(sqlite3 *db, int from, int step, unsigned char root[32])
{
    unsigned char touched[RECORDS_BINS] = {0};
    char err[300];
    for (int k = 0, i = from; k < N; k++, i = (i + step) % N)
        assert_int_equal(records_set(db, names[i], shas[i], touched, err, sizeof err), 0);
    assert_int_equal(records_refresh(db, touched, root, err, sizeof err), 0);
}

static void test_order_independent(void **unused)
{
    (void)unused;
    unsigned char a[32], b[32], c[32];
    const char *rev_names[N];
    unsigned char rev_sha[N][32];
    for (int i = 0; i < N; i++) {
        rev_names[i] = names[N - 1 - i];
        memcpy(rev_sha[i], shas[N - 1 - i], 32);
    }
    assert_int_equal(records_root_of(name_ptr, (const unsigned char(*)[32])shas, N, a), 0);
    assert_int_equal(records_root_of(rev_names, (const unsigned char(*)[32])rev_sha, N, b), 0);
    assert_memory_equal(a, b, 32);
    /* In the bundle, in two other orders: the same root. */
    sqlite3 *x = support_empty_bundle(), *y = support_empty_bundle();
    add_in_order(x, 0, 1, b);
    add_in_order(y, 5, 7, c); /* 7 is coprime with 40: every record once */
    assert_memory_equal(a, b, 32);
    assert_memory_equal(a, c, 32);
    sqlite3_close(x);
    sqlite3_close(y);
}

/* The bin hashes of db, zeros for bins without a row. */
static void bins_of(sqlite3 *db, unsigned char bins[RECORDS_BINS][32])
{
    sqlite3_stmt *st;
    memset(bins, 0, RECORDS_BINS * 32);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT bin, sha FROM record_bins", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        memcpy(bins[sqlite3_column_int(st, 0)], sqlite3_column_blob(st, 1), 32);
    sqlite3_finalize(st);
}

static void test_one_change_one_bin(void **unused)
{
    (void)unused;
    static unsigned char before[RECORDS_BINS][32], after[RECORDS_BINS][32];
    unsigned char r1[32], r2[32], touched[RECORDS_BINS] = {0}, sha[32];
    char err[300];
    sqlite3 *db = support_empty_bundle();
    add_in_order(db, 0, 1, r1);
    bins_of(db, before);
    memset(sha, 0xab, sizeof sha);
    assert_int_equal(records_set(db, names[7], sha, touched, err, sizeof err), 0);
    assert_int_equal(records_refresh(db, touched, r2, err, sizeof err), 0);
    bins_of(db, after);
    int differ = 0;
    for (int b = 0; b < RECORDS_BINS; b++)
        if (memcmp(before[b], after[b], 32)) {
            differ++;
            assert_int_equal(b, records_bin(names[7]));
        }
    assert_int_equal(differ, 1);
    assert_memory_not_equal(r1, r2, 32);
    /* Back to the old hash: the old root. */
    assert_int_equal(records_set(db, names[7], shas[7], touched, err, sizeof err), 0);
    assert_int_equal(records_refresh(db, touched, r2, err, sizeof err), 0);
    assert_memory_equal(r1, r2, 32);
    sqlite3_close(db);
}

static void test_empty_bins(void **unused)
{
    (void)unused;
    unsigned char none[32], want[32], r[32], zeros[32] = {0}, touched[RECORDS_BINS] = {0};
    char err[300];
    /* No records: the tag and 256 zero hashes. */
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)"infopoint-records 1\n", 20);
    for (int b = 0; b < RECORDS_BINS; b++)
        crypto_hash_sha256_update(&h, zeros, 32);
    crypto_hash_sha256_final(&h, want);
    assert_int_equal(records_root_of(NULL, NULL, 0, none), 0);
    assert_memory_equal(none, want, 32);
    /* A bin emptied again loses its row, and the root is the empty one. */
    sqlite3 *db = support_empty_bundle();
    assert_int_equal(records_set(db, names[3], shas[3], touched, err, sizeof err), 0);
    assert_int_equal(records_refresh(db, touched, r, err, sizeof err), 0);
    assert_memory_not_equal(r, none, 32);
    assert_int_equal(records_set(db, names[3], NULL, touched, err, sizeof err), 0);
    assert_int_equal(records_refresh(db, touched, r, err, sizeof err), 0);
    assert_memory_equal(r, none, 32);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM record_bins", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A copy of the sample bundle in memory, writable. */
static sqlite3 *sample_copy(void)
{
    sqlite3 *src, *db;
    assert_int_equal(sqlite3_open_v2(getenv("SAMPLE_BUNDLE"), &src, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(fts_register(db), SQLITE_OK);
    sqlite3_backup *bk = sqlite3_backup_init(db, "main", src, "main");
    assert_non_null(bk);
    assert_int_equal(sqlite3_backup_step(bk, -1), SQLITE_DONE);
    sqlite3_backup_finish(bk);
    sqlite3_close(src);
    return db;
}

/* records_fill over a bundle's rows gives the root the publisher computes
 * in memory from the records it builds; stored and read back with its
 * digest; the signed root is read from meta. */
static void test_fill_matches_memory(void **unused)
{
    (void)unused;
    sqlite3 *db = sample_copy();
    char err[300], digest[65];
    unsigned char filled[32], mem[32], got[32];
    const char *lists[] = {"SELECT 'items/' || id, id FROM items", "SELECT 'assets/' || name, name FROM assets"};
    record_kind kinds[] = {RECORD_ITEM, RECORD_ASSET};
    const char *nm[512];
    unsigned char (*sha)[32] = calloc(512, 32);
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, lists[k], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            size_t len;
            unsigned char *rec =
                record_build(db, kinds[k], (const char *)sqlite3_column_text(st, 1), &len, err, sizeof err);
            assert_non_null(rec);
            assert_true(n < 512);
            crypto_hash_sha256(sha[n], rec, len);
            nm[n++] = strdup((const char *)sqlite3_column_text(st, 0));
            free(rec);
        }
        sqlite3_finalize(st);
    }
    assert_true(n >= 3);
    assert_int_equal(records_root_of(nm, (const unsigned char(*)[32])sha, n, mem), 0);
    assert_int_equal(records_stored(db, got, digest, err, sizeof err), 0); /* none yet */
    assert_int_equal(records_fill(db, filled, err, sizeof err), 0);
    assert_memory_equal(filled, mem, 32);
    assert_int_equal(records_bins_root(db, got, err, sizeof err), 0);
    assert_memory_equal(got, mem, 32);
    assert_int_equal(records_store(db, filled, "ab" "cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
                                   err, sizeof err), 0);
    assert_int_equal(records_stored(db, got, digest, err, sizeof err), 1);
    assert_memory_equal(got, mem, 32);
    assert_int_equal(strlen(digest), 64);
    /* The signed root: none in a bundle the content tool made; 64 hex; or
     * refused when malformed. */
    assert_int_equal(records_signed_root(db, got, err, sizeof err), 0);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO meta VALUES ('records', '" "00000000000000000000000000000000"
                                      "000000000000000000000000000000ff')", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(records_signed_root(db, got, err, sizeof err), 1);
    assert_int_equal(got[31], 0xff);
    assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = 'xyz' WHERE key = 'records'", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(records_signed_root(db, got, err, sizeof err), -1);
    for (size_t i = 0; i < n; i++)
        free((void *)nm[i]);
    free(sha);
    sqlite3_close(db);
}

/* The columns of a table, "name type notnull pk;" each. */
static void columns(sqlite3 *db, const char *table, char *out, size_t cap)
{
    char sql[100];
    sqlite3_stmt *st;
    size_t o = 0;
    snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", table);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW && o < cap)
        o += (size_t)snprintf(out + o, cap - o, "%s %s %d %d;", sqlite3_column_text(st, 1),
                              sqlite3_column_text(st, 2), sqlite3_column_int(st, 3), sqlite3_column_int(st, 5));
    sqlite3_finalize(st);
}

/* records_create (for bundles made before the tables) and db/schema.sql
 * make the same tables. */
static void test_create_matches_schema(void **unused)
{
    (void)unused;
    sqlite3 *a = support_empty_bundle(), *b;
    char err[300], ca[400], cb[400];
    assert_int_equal(sqlite3_open(":memory:", &b), SQLITE_OK);
    assert_int_equal(records_create(b, err, sizeof err), 0);
    assert_int_equal(records_create(b, err, sizeof err), 0); /* again: nothing */
    static const char *const tables[] = {"record_hashes", "record_bins", "record_root", "record_hashes_by_bin"};
    for (int t = 0; t < 4; t++) {
        columns(a, tables[t], ca, sizeof ca);
        columns(b, tables[t], cb, sizeof cb);
        assert_true(ca[0] != '\0' || t == 3);
        assert_string_equal(ca, cb);
    }
    sqlite3_close(a);
    sqlite3_close(b);
}

int main(void)
{
    make_records();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_independent),
        cmocka_unit_test(test_one_change_one_bin),
        cmocka_unit_test(test_empty_bins),
        cmocka_unit_test(test_fill_matches_memory),
        cmocka_unit_test(test_create_matches_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
