/* Store tests on small bundles made here from db/schema.sql, so each search
 * rule is checked on text chosen for it; the sample bundle is checked in
 * test_sample.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "digest.h"
#include "imginfo.h"
#include "indexer.h"
#include "platform.h"
#include "schema_sql.h"
#include "store.h"
#include "support.h"

static char tmpdir[256];
static char bundle_path[300];

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("SQL failed: %s: %s", sql, msg);
}

static void add_text(sqlite3 *db, const char *item, const char *lang, const char *title, const char *body)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
        "INSERT INTO item_texts(item_id, lang, title, summary, body) VALUES (?1, ?2, ?3, '', ?4)",
        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The unit index of every item, as the content tool writes it. */
static void index_items(sqlite3 *db)
{
    char err[200];
    indexer *ix = indexer_open(db, 1, err, sizeof err);
    if (!ix)
        fail_msg("indexer: %s", err);
    static const char *const items[] = {"constitution", "key-changes", "session"};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        if (indexer_add_item(ix, items[i], NULL) < 0)
            fail_msg("index %s: %s", items[i], indexer_error(ix));
    assert_int_equal(indexer_close(ix, err, sizeof err), 0);
}

/* A tiny bundle: three items, texts chosen to test each search rule. */
static void make_bundle(const char *path)
{
    sqlite3 *db;
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, schema_sql);
    exec(db, "BEGIN;"
             "INSERT INTO meta VALUES ('bundle_version','3'),('created','2026-11-20T09:00:00Z'),"
             "('fallback','kk ru en'),('languages','kk ru en'),('title','test');"
             "INSERT INTO categories VALUES ('constitution', 1, NULL), ('news', 2, NULL);"
             "INSERT INTO category_texts VALUES ('constitution','kk','Конституция',''),"
             "('constitution','ru','Конституция',''),('constitution','en','Constitution','');"
             "INSERT INTO category_texts VALUES ('news','ru','Новости','');"
             "INSERT INTO items VALUES ('constitution','document','constitution',1,0,NULL),"
             "('key-changes','explainer','constitution',2,1,NULL),('session','article','news',1,0,NULL);"
             "INSERT INTO anchors VALUES ('constitution','en','art43',0,2,'Article 43'),"
             "('constitution','en','art43-5',1,3,'5. Not to be amended'),"
             "('constitution','ru','art43',0,2,'Статья 43'),('constitution','ru','art43-5',1,3,'5.');"
             "INSERT INTO assets VALUES ('session/a.png','image/png',2,1,4,x'89504e47');");
    add_text(db, "constitution", "ru", "Конституция: избранные статьи",
             "Статья 43. Президентом избирается гражданин на один семилетний срок. Её положения.");
    add_text(db, "constitution", "en", "The draft Constitution",
             "Article 43. The President is elected for a single seven-year term.");
    add_text(db, "constitution", "kk", "Конституция жобасы",
             "43-бап. Президент бір рет жеті жылдық мерзімге сайланады. Әділетті Қазақстан.");
    add_text(db, "key-changes", "ru", "Президент и ёлка", "Карточки о главном.");
    add_text(db, "key-changes", "en", "Key changes", "## About {#about}\n\nCards about the president and PRIVACY.");
    add_text(db, "session", "ru", "Заседание комиссии",
             "Депутат рассказал о полномочиях президента и о законе.");
    index_items(db);
    char hex[DIGEST_HEX_LEN + 1], err[200];
    assert_int_equal(digest_compute(db, hex, err, sizeof err), 0);
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO meta VALUES ('digest', '%s'); COMMIT;", hex);
    exec(db, sql);
    sqlite3_close(db);
}

static int setup(void **state)
{
    support_tempdir(tmpdir, sizeof tmpdir, "ip-store");
    snprintf(bundle_path, sizeof bundle_path, "%s/b.ipb", tmpdir);
    make_bundle(bundle_path);
    char err[256];
    store *s = store_open(bundle_path, NULL, err, sizeof err);
    if (!s)
        fail_msg("open: %s", err);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    store_close(*state);
    return support_rmtree(tmpdir);
}

/* What was typed, uncorrected (store_find's corrections: test_find). */
static int search(store *s, const char *text, const char *lang, store_result *out, int max)
{
    return store_find(s, text, lang, STORE_FIND_EXACT, out, max, NULL);
}

static int find_hit(const store_result *h, int n, const char *item, const char *lang)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(h[i].item_id, item) && (!lang || !strcmp(h[i].lang, lang)))
            return i;
    return -1;
}

static void test_prefix_finds_inflected_forms(void **state)
{
    store_result h[10];
    /* "президент" must find "Президентом" (ru body) and "президента". */
    int n = search(*state, "президент", "ru", h, 10);
    assert_true(n >= 2);
    assert_true(find_hit(h, n, "constitution", "ru") >= 0);
    assert_true(find_hit(h, n, "session", "ru") >= 0);
    /* Kazakh, upper case query, lower case text. */
    n = search(*state, "ПРЕЗИДЕНТ", "kk", h, 10);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].item_id, "constitution");
    /* Kazakh letters fold case too: "ӘДІЛЕТТІ" finds "Әділетті". */
    n = search(*state, "ӘДІЛЕТ", "kk", h, 10);
    assert_int_equal(n, 1);
    n = search(*state, "қазақстан", "kk", h, 10);
    assert_int_equal(n, 1);
    /* Latin: case-insensitive and prefix. */
    n = search(*state, "privacy", "en", h, 10);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].item_id, "key-changes");
    n = search(*state, "Presid", "en", h, 10);
    assert_int_equal(n, 2);
}

static void test_yo_equals_ye(void **state)
{
    store_result h[10];
    assert_int_equal(search(*state, "елка", "ru", h, 10), 1);
    assert_string_equal(h[0].item_id, "key-changes");
    assert_int_equal(search(*state, "ЁЛКА", "ru", h, 10), 1);
    /* And the other way: text has "Её", query has "ее". */
    assert_int_equal(search(*state, "ее положения", "ru", h, 10), 1);
    assert_string_equal(h[0].item_id, "constitution");
    /* The snippet shows the original letter, not the folded one. */
    assert_non_null(strstr(h[0].snippet, "Её"));
}

static void test_title_hits_rank_first(void **state)
{
    store_result h[10];
    /* "президент" is in the title of key-changes (ru) and only in the bodies
     * of the other two. */
    int n = search(*state, "президент", "ru", h, 10);
    assert_int_equal(n, 3);
    assert_string_equal(h[0].item_id, "key-changes");
    assert_true(h[0].n_title_hl == 1);
    assert_int_equal(h[1].n_title_hl, 0);
}

static void test_highlight_ranges(void **state)
{
    store_result h[4];
    int n = search(*state, "семилетн", "ru", h, 4);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].n_snippet_hl, 1);
    const char *word = h[0].snippet + h[0].snippet_hl[0].start;
    assert_int_equal(strncmp(word, "семилетний", h[0].snippet_hl[0].len), 0);
    assert_int_equal(h[0].snippet_hl[0].len, strlen("семилетний"));
    assert_null(strchr(h[0].snippet, 1));
    assert_null(strchr(h[0].snippet, 2));
}

static void test_two_words_and_languages(void **state)
{
    store_result h[10];
    assert_int_equal(search(*state, "президент закон", "ru", h, 10), 1);
    assert_string_equal(h[0].item_id, "session");
    /* NULL language searches every language, in fallback order, and
     * shows a place once (the kk text here). */
    int n = search(*state, "43", NULL, h, 10);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].item_id, "constitution");
    assert_string_equal(h[0].lang, "kk");
}

static void test_hostile_queries(void **state)
{
    static const char *const queries[] = {
        "\"", "*", "\" OR \"", "NEAR(a b)", "title:президент", "a AND", "'; DROP TABLE items; --",
        "^", "((((", "-", "\xff\xfe", "\xd0", "президент\" OR 1=1", "", "   ", "…«»—",
    };
    store_result h[10];
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        int n = search(*state, queries[i], "ru", h, 10);
        assert_true(n >= 0);
    }
    /* Punctuation only: nothing to search for. */
    assert_int_equal(search(*state, "…«»—", NULL, h, 10), 0);
    /* The bundle is intact after all that. */
    assert_true(store_resolve(*state, "constitution", NULL));
}

static void test_fallback_and_texts(void **state)
{
    store *s = *state;
    store_text t;
    assert_int_equal(store_item_text(s, "session", "en", &t), 0);
    assert_string_equal(t.lang, "ru"); /* kk missing, fallback kk ru en → ru */
    assert_string_equal(t.title, "Заседание комиссии");
    store_text_free(&t);
    assert_int_equal(store_set_fallback(s, "en ru"), 2);
    assert_int_equal(store_item_text(s, "constitution", "xx", &t), 0);
    assert_string_equal(t.lang, "en");
    store_text_free(&t);
    assert_int_equal(store_item_text(s, "nope", "en", &t), -1);
    store_set_fallback(s, "kk ru en");

    store_category c[8];
    int n = store_categories(s, "en", c, 8);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].id, "constitution");
    assert_string_equal(c[0].title, "Constitution");
    assert_int_equal(store_category_size(s, c[0].id), 2);
    assert_string_equal(c[1].title, "Новости");
    assert_string_equal(c[1].lang, "ru");

    store_item it[8];
    assert_int_equal(store_items(s, "constitution", "kk", it, 8), 2);
    assert_string_equal(it[0].id, "constitution");
    assert_string_equal(it[0].title, "Конституция жобасы");
    assert_string_equal(it[1].kind, "explainer");
    assert_string_equal(it[1].lang, "ru"); /* no kk text for key-changes */
    /* Paging: the rows after the first are the second, then none. */
    assert_int_equal(store_items(s, "constitution", "kk", it, 1), 1);
    assert_int_equal(store_items_after(s, "constitution", &it[0], "kk", it + 1, 8), 1);
    assert_string_equal(it[1].id, "key-changes");
    assert_int_equal(store_items_after(s, "constitution", &it[1], "kk", it + 2, 8), 0);
    assert_int_equal(store_category_get(s, "constitution", "en", &c[2]), 0);
    assert_string_equal(c[2].title, "Constitution");
    assert_int_equal(store_category_get(s, "nope", "en", &c[2]), -1);
    assert_int_equal(store_featured(s, "en", it, 8), 1);
    assert_string_equal(it[0].id, "key-changes");
    assert_int_equal(store_items(s, "nope", "en", it, 8), 0);
}

static void test_anchors_assets_meta(void **state)
{
    store *s = *state;
    store_anchor a[8];
    assert_int_equal(store_anchors(s, "constitution", "en", a, 8), 2);
    assert_string_equal(a[1].anchor, "art43-5");
    assert_int_equal(a[1].level, 3);
    /* No kk anchors: falls back to the first language that has them. */
    assert_int_equal(store_anchors(s, "constitution", "kk", a, 8), 2);
    assert_string_equal(a[0].title, "Статья 43");
    assert_true(store_resolve(s, "constitution", "art43-5"));
    assert_false(store_resolve(s, "constitution", "art99"));
    assert_false(store_resolve(s, "nope", NULL));

    store_asset img;
    assert_int_equal(store_asset_get(s, "session/a.png", &img), 0);
    assert_int_equal(img.size, 4);
    assert_int_equal(img.width, 2);
    assert_memory_equal(img.data, "\x89PNG", 4);
    store_asset_free(&img);
    assert_int_equal(store_asset_get(s, "../../etc/passwd", &img), -1);

    char v[80];
    assert_int_equal(store_meta(s, "bundle_version", v, sizeof v), 0);
    assert_string_equal(v, "3");
    assert_int_equal(store_meta(s, "nope", v, sizeof v), -1);
    char hex[DIGEST_HEX_LEN + 1], err[100];
    assert_int_equal(store_meta(s, "digest", v, sizeof v), 0);
    assert_int_equal(digest_compute(store_db(s), hex, err, sizeof err), 0);
    assert_string_equal(v, hex);
    int ar, doc, ex;
    assert_int_equal(store_counts(s, &ar, &doc, &ex), 0);
    assert_int_equal(ar * 100 + doc * 10 + ex, 111);
}

/* An asset over the image byte limit is refused from its length alone:
 * its bytes are never read (a hostile bundle's 50 MB BLOB used to be copied
 * whole into the heap, twice, before any header was looked at). One just
 * under the limit is read. */
static void test_oversize_asset_not_read(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(bundle_path, &db), SQLITE_OK);
    char sql[300];
    snprintf(sql, sizeof sql,
             "INSERT INTO assets VALUES ('session/big.png','image/png',2,1,%u,zeroblob(%u)),"
             "('session/limit.png','image/png',2,1,%u,zeroblob(%u))",
             48u << 20, 48u << 20, IMGINFO_MAX_BYTES, IMGINFO_MAX_BYTES);
    exec(db, sql);
    sqlite3_close(db);
    char err[256];
    store *s = store_open(bundle_path, NULL, err, sizeof err);
    assert_non_null(s);
    store_asset img;
    long peak = platform_status_kb("VmHWM");
    assert_int_equal(store_asset_get(s, "session/big.png", &img), -1);
    assert_null(img.data);
    long grown = platform_status_kb("VmHWM") - peak;
    if (grown > 4096)
        fail_msg("refusing a 48 MB asset raised the peak memory by %ld kB", grown);
    assert_int_equal(store_asset_get(s, "session/limit.png", &img), 0);
    assert_int_equal(img.size, IMGINFO_MAX_BYTES);
    assert_int_equal(((unsigned char *)img.data)[IMGINFO_MAX_BYTES - 1], 0);
    store_asset_free(&img);
    store_close(s);
}

/* Text over the content limit (a hostile or broken update) is refused by
 * the indexer with the reason, not as "out of memory". */
static void test_oversize_text_named(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(bundle_path, &db), SQLITE_OK);
    size_t n = CONTENT_MAX_SOURCE + 10;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    add_text(db, "session", "kk", "Big", big);
    free(big);
    char err[200];
    indexer *ix = indexer_open(db, 0, err, sizeof err);
    assert_non_null(ix);
    assert_int_equal(indexer_add_item(ix, "session", NULL), -1);
    const char *why = indexer_error(ix);
    assert_non_null(strstr(why, "text too large"));
    assert_non_null(strstr(why, "session"));
    assert_null(strstr(why, "memory"));
    indexer_close(ix, err, sizeof err);
    sqlite3_close(db);
}

/* --- bundles that must be refused with a clear message ------------------ */

static void expect_refused(const char *path, store_status want, const char *fragment)
{
    char err[512] = "";
    store_status st = STORE_OK;
    store *s = store_open(path, &st, err, sizeof err);
    if (s) {
        /* Some damage only shows on first read: the kiosk's first query. */
        store_category c[4];
        int n = store_categories(s, "en", c, 4);
        store_close(s);
        if (n >= 0)
            fail_msg("%s opened and read without error", path);
        return;
    }
    assert_int_equal(st, want);
    if (!strstr(err, fragment))
        fail_msg("message '%s' lacks '%s'", err, fragment);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void test_missing_bundle(void **state)
{
    (void)state;
    expect_refused("/nonexistent/bundle.ipb", STORE_ERR_MISSING, "not found");
}

static void test_not_sqlite(void **state)
{
    (void)state;
    char path[320];
    snprintf(path, sizeof path, "%s/text.ipb", tmpdir);
    const char text[] = "This is not a database, just a text file that is long enough to look like one. "
                        "Padding padding padding padding padding padding padding padding padding.";
    write_file(path, text, sizeof text);
    expect_refused(path, STORE_ERR_NOT_BUNDLE, "not a content bundle");
    write_file(path, "", 0);
    expect_refused(path, STORE_ERR_NOT_BUNDLE, "not a content bundle");
}

static void test_truncated(void **state)
{
    (void)state;
    char *data;
    FILE *f = fopen(bundle_path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)size);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    char path[320];
    snprintf(path, sizeof path, "%s/trunc.ipb", tmpdir);
    /* Cut inside the header, after the first page, and near the end. */
    long cuts[] = {50, 4096 + 100, size / 2, size - 4096};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        write_file(path, data, (size_t)cuts[i]);
        char err[512] = "";
        store_status st;
        store *s = store_open(path, &st, err, sizeof err);
        if (!s) {
            assert_true(st == STORE_ERR_NOT_BUNDLE || st == STORE_ERR_CORRUPT);
            assert_true(strlen(err) > 10);
            continue;
        }
        /* Opened: every read must fail cleanly or succeed, never crash. */
        store_result h[4];
        store_text t;
        search(s, "президент", NULL, h, 4);
        if (store_item_text(s, "constitution", "ru", &t) == 0)
            store_text_free(&t);
        store_close(s);
    }
    free(data);
}

static void test_wrong_schema(void **state)
{
    (void)state;
    char path[320];
    snprintf(path, sizeof path, "%s/v99.ipb", tmpdir);
    sqlite3 *db;
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, "CREATE TABLE meta(key TEXT, value TEXT); PRAGMA user_version = 99;");
    sqlite3_close(db);
    expect_refused(path, STORE_ERR_SCHEMA, "bundle schema version 99 is not supported (this kiosk reads version 3)");
    /* A bundle of schema 1 (before the unit index) is refused by name too. */
    snprintf(path, sizeof path, "%s/v1.ipb", tmpdir);
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, "CREATE TABLE meta(key TEXT, value TEXT); PRAGMA user_version = 1;");
    sqlite3_close(db);
    expect_refused(path, STORE_ERR_SCHEMA, "bundle schema version 1 is not supported (this kiosk reads version 3)");
    /* A SQLite file without our schema at all. */
    snprintf(path, sizeof path, "%s/plain.ipb", tmpdir);
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, "CREATE TABLE t(x);");
    sqlite3_close(db);
    expect_refused(path, STORE_ERR_NOT_BUNDLE, "no schema version");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prefix_finds_inflected_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yo_equals_ye, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_hits_rank_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_highlight_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_words_and_languages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fallback_and_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchors_assets_meta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversize_text_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversize_asset_not_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_bundle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_schema, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
