/* bundle: every one-defect folder of tests/data/bad (and the warning cases of
 * tests/data/warn) reports its message at its file:line; the good folder
 * builds, reads back through the store, and builds byte-identically from
 * another path with other file times; info verifies the digest and refuses
 * damaged files. The streaming build (srcdir_open + bundle_build) reports
 * exactly what the whole-folder check does and writes the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "platform.h"
#include "srcdir.h"
#include "store.h"
#include "support.h"

#define DATA INFOPOINT_SOURCE_DIR "/tests/data"
#define GOOD DATA "/good"

static char tmp[256];

static int make_tmp(void **state)
{
    support_tempdir(tmp, sizeof tmp, "bundle");
    (void)state;
    return 0;
}

static int remove_tmp(void **state)
{
    (void)state;
    return support_rmtree(tmp);
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static void dump(const srcdir *sd)
{
    char line[1024];
    for (size_t i = 0; i < sd->n_diags; i++) {
        srcdir_format_diag(sd, &sd->diags[i], line, sizeof line);
        print_message("  %s\n", line);
    }
}

static srcdir *read_checked(const char *root)
{
    srcdir *sd = srcdir_read(root);
    assert_non_null(sd);
    assert_int_equal(bundle_check(sd), 0);
    return sd;
}

/* The streaming build of root reports the diagnostics of whole (a model
 * read and checked whole), and writes out only when they have no error.
 * Returns the result of bundle_build. */
static int build_streaming(const char *root, srcdir *whole, const char *out)
{
    char err[256], digest[DIGEST_HEX_LEN + 1];
    srcdir *sd = srcdir_open(root);
    assert_non_null(sd);
    int rc = bundle_build(sd, out, digest, err, sizeof err);
    srcdir_sort_diags(sd);
    srcdir_sort_diags(whole);
    if (sd->n_diags != whole->n_diags || sd->n_errors != whole->n_errors) {
        print_message("whole:\n");
        dump(whole);
        print_message("streaming:\n");
        dump(sd);
        fail_msg("the streaming build reports other diagnostics");
    }
    for (size_t i = 0; i < sd->n_diags; i++) {
        const srcdir_diag *a = &sd->diags[i], *b = &whole->diags[i];
        assert_string_equal(a->file, b->file);
        assert_int_equal(a->line, b->line);
        assert_int_equal(a->severity, b->severity);
        assert_string_equal(a->message, b->message);
    }
    assert_int_equal(sd->n_warnings, whole->n_warnings);
    assert_int_equal(rc == 0, whole->n_errors == 0);
    assert_int_equal(platform_is_file(out), whole->n_errors == 0);
    srcdir_free(sd);
    return rc;
}

/* ---- data-driven cases ------------------------------------------------------ */

typedef struct {
    char name[64];
    char file[256];
    int line;
    char severity[16];   /* "error" or "warning" */
    char fragment[512];
    char dir[16];        /* "bad" or "warn" */
} data_case;

static void run_case(void **state)
{
    const data_case *c = *state;
    char root[512];
    snprintf(root, sizeof root, "%s/%s/%s", DATA, c->dir, c->name);
    srcdir *sd = read_checked(root);
    int want_error = strcmp(c->severity, "error") == 0;
    const srcdir_diag *hit = NULL;
    for (size_t i = 0; i < sd->n_diags && !hit; i++) {
        const srcdir_diag *d = &sd->diags[i];
        if (strcmp(d->file, c->file) == 0 && d->line == c->line &&
            (d->severity == SRCDIR_ERROR) == want_error && strstr(d->message, c->fragment))
            hit = d;
    }
    if (!hit) {
        dump(sd);
        fail_msg("%s: expected %s:%d: %s: %s", c->name, c->file, c->line, c->severity, c->fragment);
    }
    if (want_error) {
        assert_true(sd->n_errors >= 1);
        /* A content folder with errors is never written. */
        char out[512], err[256], digest[DIGEST_HEX_LEN + 1];
        snprintf(out, sizeof out, "%s/never.ipb", tmp);
        assert_int_equal(bundle_write(sd, out, digest, err, sizeof err), -1);
        assert_false(platform_is_file(out));
        build_streaming(root, sd, out);
    } else {
        char out[512];
        snprintf(out, sizeof out, "%s/streamed.ipb", tmp);
        build_streaming(root, sd, out);
        if (sd->n_errors)
            dump(sd);
        assert_int_equal(sd->n_errors, 0);
    }
    srcdir_free(sd);
}

/* Reads tests/data/<dir>/cases.txt: "name<TAB>file[:line]<TAB>severity: fragment". */
static size_t load_cases(const char *dir, data_case *out, size_t max)
{
    char path[512], line[1200];
    snprintf(path, sizeof path, "%s/%s/cases.txt", DATA, dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    size_t n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        data_case *c = &out[n];
        char *name = strtok(line, "\t"), *where = strtok(NULL, "\t"), *msg = strtok(NULL, "\t");
        char *sep = msg ? strstr(msg, ": ") : NULL;
        if (!name || !where || !sep) {
            fprintf(stderr, "%s: bad line '%s'\n", path, line);
            exit(1);
        }
        snprintf(c->name, sizeof c->name, "%s", name);
        snprintf(c->dir, sizeof c->dir, "%s", dir);
        char *colon = strrchr(where, ':');
        c->line = colon ? atoi(colon + 1) : 0;
        if (colon)
            *colon = '\0';
        snprintf(c->file, sizeof c->file, "%s", where);
        snprintf(c->severity, sizeof c->severity, "%.*s", (int)(sep - msg), msg);
        snprintf(c->fragment, sizeof c->fragment, "%s", sep + 2);
        n++;
    }
    fclose(f);
    return n;
}

/* ---- the good folder -------------------------------------------------------- */

static void build_good(const char *src, const char *out)
{
    char err[512], digest[DIGEST_HEX_LEN + 1];
    srcdir *sd = read_checked(src);
    if (sd->n_diags)
        dump(sd);
    assert_int_equal(sd->n_errors, 0);
    assert_int_equal(sd->n_warnings, 0);
    if (bundle_write(sd, out, digest, err, sizeof err) < 0)
        fail_msg("bundle_write: %s", err);
    assert_int_equal(strlen(digest), DIGEST_HEX_LEN);
    srcdir_free(sd);
}

static char *slurp(const char *path, size_t *len)
{
    char *data, err[256];
    if (platform_read_file(path, 64u << 20, &data, len, err, sizeof err) < 0)
        fail_msg("%s", err);
    return data;
}

static int count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_good_reads_back(void **state)
{
    (void)state;
    char out[512], err[512];
    snprintf(out, sizeof out, "%s/good.ipb", tmp);
    /* A stale temporary file from a crashed build is replaced. */
    sh("echo junk > '%s.tmp'", out);
    build_good(GOOD, out);
    assert_false(platform_is_file("never"));
    char tmpfile[520];
    snprintf(tmpfile, sizeof tmpfile, "%s.tmp", out);
    assert_false(platform_is_file(tmpfile));

    store_status status;
    store *s = store_open(out, &status, err, sizeof err);
    if (!s)
        fail_msg("store_open: %s", err);
    char v[128];
    assert_int_equal(store_meta(s, "bundle_version", v, sizeof v), 0);
    assert_string_equal(v, "3");
    assert_int_equal(store_meta(s, "created", v, sizeof v), 0);
    assert_string_equal(v, "2026-01-02T03:04:05Z");
    assert_int_equal(store_meta(s, "languages", v, sizeof v), 0);
    assert_string_equal(v, "en ru");
    assert_int_equal(store_meta(s, "title", v, sizeof v), 0);
    assert_string_equal(v, "Test content");

    store_category cats[4];
    assert_int_equal(store_categories(s, "ru", cats, 4), 2);
    assert_string_equal(cats[0].id, "law");
    assert_string_equal(cats[0].title, "Право");
    assert_string_equal(cats[0].summary, "Устав и что изменилось.");
    assert_int_equal(store_category_size(s, cats[0].id), 2);

    store_item items[4];
    assert_int_equal(store_items(s, "law", "en", items, 4), 2);
    assert_string_equal(items[0].id, "charter");
    assert_string_equal(items[0].kind, "document");
    assert_string_equal(items[1].id, "cards");
    assert_int_equal(store_featured(s, "en", items, 4), 1);
    assert_string_equal(items[0].id, "cards");
    assert_int_equal(store_item_get(s, "guide", "en", &items[0]), 0);
    assert_string_equal(items[0].cover, "guide/pic.png");
    assert_string_equal(items[0].title, "How to read");

    store_text t;
    assert_int_equal(store_item_text(s, "charter", "ru", &t), 0);
    assert_string_equal(t.title, "Устав");
    assert_true(strncmp(t.body, "## Раздел первый {#sec-1}\n", 36) == 0); /* front-matter removed */
    store_text_free(&t);

    /* Anchors with their levels: document ## 1, ### 2, clauses 3; cards 1;
     * article # and ## both 1. */
    store_anchor an[8];
    assert_int_equal(store_anchors(s, "charter", "en", an, 8), 4);
    assert_string_equal(an[0].anchor, "sec-1");
    assert_int_equal(an[0].level, 1);
    assert_string_equal(an[0].title, "Section one");
    assert_string_equal(an[1].anchor, "art1");
    assert_int_equal(an[1].level, 2);
    assert_string_equal(an[2].anchor, "art1-1");
    assert_int_equal(an[2].level, 3);
    assert_string_equal(an[2].title, "1. Everyone may read this charter.");
    assert_int_equal(store_anchors(s, "cards", "ru", an, 8), 2);
    assert_string_equal(an[1].anchor, "second");
    assert_string_equal(an[1].title, "Второе изменение");
    assert_int_equal(an[1].level, 1);
    assert_int_equal(store_anchors(s, "guide", "en", an, 8), 2);
    assert_int_equal(an[0].level, 1);
    assert_int_equal(an[1].level, 1);
    assert_true(store_resolve(s, "charter", "art1-2"));
    assert_false(store_resolve(s, "charter", "art1-3"));

    store_asset a;
    assert_int_equal(store_asset_get(s, "guide/photo.jpg", &a), 0);
    assert_string_equal(a.mime, "image/jpeg");
    assert_int_equal(a.width, 5);
    assert_int_equal(a.height, 2);
    store_asset_free(&a);

    /* The unit index: plain text (no Markdown, no anchor markers), ё = е;
     * clauses and cards are results of their own, with a title that says
     * where; editor keywords find them. */
    store_result res[4];
    store_find_info info;
    assert_int_equal(store_find(s, "елка", "ru", STORE_FIND_EXACT, res, 4, &info), 1);
    assert_string_equal(res[0].item_id, "guide");
    assert_string_equal(res[0].lang, "ru");
    assert_int_equal(store_find(s, "keyboard", "en", STORE_FIND_EXACT, res, 4, &info), 1);
    assert_string_equal(res[0].item_id, "guide");
    assert_null(strstr(res[0].snippet, "{#"));
    assert_null(strstr(res[0].snippet, "**"));
    assert_int_equal(store_find(s, "cross reference", "en", 0, res, 4, &info), 1);
    assert_string_equal(res[0].route, "item/charter#art1-2");
    assert_string_equal(res[0].title, "Article 1, clause 2");
    assert_string_equal(res[0].item_title, "The Charter");
    assert_true(store_find(s, "rules", "en", 0, res, 4, &info) > 0);
    assert_string_equal(res[0].route, "item/charter");
    assert_true(store_find(s, "первая карточка", "ru", 0, res, 4, &info) > 0);
    assert_string_equal(res[0].route, "deck/cards/1");
    assert_string_equal(res[0].title, "Первое изменение");

    sqlite3 *db = store_db(s);
    /* Links: item, deck (to the card's anchor) and anchor links; category
     * links are not stored. */
    assert_int_equal(count(db, "SELECT count(*) FROM links"), 8);
    assert_int_equal(count(db, "SELECT count(*) FROM links WHERE item_id='guide' AND lang='en' AND pos=0 "
                               "AND target_item='charter' AND target_anchor=''"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM links WHERE item_id='guide' AND lang='ru' AND pos=1 "
                               "AND target_item='cards' AND target_anchor='second'"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM links WHERE item_id='charter' "
                               "AND target_item='charter' AND target_anchor='art1-1'"), 2);
    assert_int_equal(count(db, "SELECT count(*) FROM assets"), 2);
    assert_int_equal(count(db, "SELECT count(*) FROM item_texts"), 6);
    assert_int_equal(count(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('search', 'search_terms')"), 0);
    assert_int_equal(count(db, "SELECT count(*) FROM keywords WHERE item_id='charter' AND lang='en'"), 2);
    assert_int_equal(count(db, "SELECT count(*) FROM keywords WHERE anchor='art1-2' AND words='cross reference'"), 1);
    /* Every text has its item unit; units never overlap inside a text:
     * their plain texts together are no longer than the text's Markdown. */
    assert_int_equal(count(db, "SELECT count(*) FROM search_units WHERE anchor=''"), 6);
    assert_int_equal(count(db, "SELECT count(*) FROM item_texts t WHERE "
                               "(SELECT sum(length(u.body)) FROM search_units u WHERE u.text_id = t.rowid) "
                               "> length(t.body)"), 0);
    assert_int_equal(count(db, "PRAGMA page_size"), 4096);
    store_close(s);
}

static void test_deterministic(void **state)
{
    (void)state;
    char a[512], b[512], c[512], copy[512];
    snprintf(a, sizeof a, "%s/a.ipb", tmp);
    snprintf(b, sizeof b, "%s/b.ipb", tmp);
    snprintf(c, sizeof c, "%s/c.ipb", tmp);
    snprintf(copy, sizeof copy, "%s/elsewhere/content", tmp);
    build_good(GOOD, a);
    build_good(GOOD, b);
    /* Another path, files created in another order, other file times. */
    sh("mkdir -p '%s/items' && cp '%s/bundle.conf' '%s/' && for d in guide charter cards; do "
       "cp -r '%s/items/'$d '%s/items/'; done && "
       "find '%s' -type f -name '*.md' -exec touch -d '2001-02-03 04:05:06' {} + && "
       "find '%s' -type f ! -name '*.md' -exec touch -d '2031-01-01 00:00:00' {} +",
       copy, GOOD, copy, GOOD, copy, copy, copy);
    build_good(copy, c);
    /* One item at a time, the same bytes. */
    char d[512];
    snprintf(d, sizeof d, "%s/d.ipb", tmp);
    srcdir *whole = read_checked(GOOD);
    build_streaming(GOOD, whole, d);
    srcdir_free(whole);
    size_t la, lb, lc, ld;
    char *da = slurp(a, &la), *db = slurp(b, &lb), *dc = slurp(c, &lc), *dd = slurp(d, &ld);
    assert_int_equal(la, lb);
    assert_int_equal(la, lc);
    assert_int_equal(la, ld);
    assert_memory_equal(da, db, la);
    assert_memory_equal(da, dc, la);
    assert_memory_equal(da, dd, la);
    free(da);
    free(db);
    free(dc);
    free(dd);
}

static char *info_text(const char *path, int *rc, char *err, size_t errcap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    *rc = bundle_info(path, f, err, errcap);
    fclose(f);
    return buf;
}

static void test_info(void **state)
{
    (void)state;
    char out[512], err[512];
    int rc;
    snprintf(out, sizeof out, "%s/good.ipb", tmp);
    build_good(GOOD, out);
    char *text = info_text(out, &rc, err, sizeof err);
    if (rc)
        fail_msg("info: %s", err);
    assert_non_null(strstr(text, "title: Test content\n"));
    assert_non_null(strstr(text, "version: 3\n"));
    assert_non_null(strstr(text, "created: 2026-01-02T03:04:05Z\n"));
    assert_non_null(strstr(text, "languages: en ru\n"));
    assert_non_null(strstr(text, "items: 3 (articles 1, documents 1, explainers 1)\n"));
    assert_non_null(strstr(text, "texts: en 3 ru 3\n"));
    assert_non_null(strstr(text, "assets: 2 ("));
    assert_non_null(strstr(text, " (verified)\n"));
    free(text);

    /* Content changed after the build: the stored digest no longer matches. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(out, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE item_texts SET title = 'Changed' WHERE item_id = 'guide' AND lang = 'en'",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    text = info_text(out, &rc, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "digest mismatch"));
    free(text);
}

static void test_info_refuses_damaged(void **state)
{
    (void)state;
    char good[512], path[512], err[512];
    int rc;
    snprintf(good, sizeof good, "%s/good.ipb", tmp);
    build_good(GOOD, good);

    snprintf(path, sizeof path, "%s/missing.ipb", tmp);
    free(info_text(path, &rc, err, sizeof err));
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "not found"));

    snprintf(path, sizeof path, "%s/text.ipb", tmp);
    sh("echo 'just some text' > '%s'", path);
    free(info_text(path, &rc, err, sizeof err));
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "not a content bundle"));

    snprintf(path, sizeof path, "%s/short.ipb", tmp);
    sh("head -c 5000 '%s' > '%s'", good, path);
    free(info_text(path, &rc, err, sizeof err));
    assert_int_equal(rc, -1);
    assert_true(strlen(err) > 10);

    snprintf(path, sizeof path, "%s/v99.ipb", tmp);
    sh("cp '%s' '%s'", good, path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    free(info_text(path, &rc, err, sizeof err));
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "bundle schema version 99 is not supported"));
}

int main(void)
{
    static data_case cases[128];
    size_t n = load_cases("bad", cases, 100);
    size_t n_bad = n;
    n += load_cases("warn", cases + n, 128 - n);
    struct CMUnitTest *tests = calloc(n + 8, sizeof *tests);
    if (!tests || n_bad < 20)
        return 1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        tests[k++] = (struct CMUnitTest){.name = cases[i].name, .test_func = run_case,
                                         .setup_func = make_tmp, .teardown_func = remove_tmp,
                                         .initial_state = &cases[i]};
    }
    const struct CMUnitTest fixed[] = {
        cmocka_unit_test_setup_teardown(test_good_reads_back, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_deterministic, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_info, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_info_refuses_damaged, make_tmp, remove_tmp),
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        tests[k++] = fixed[i];
    int rc = _cmocka_run_group_tests("bundle", tests, k, NULL, NULL);
    free(tests);
    return rc;
}
