#define _XOPEN_SOURCE 700 /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fts.h"
#include "replay.h"
#include "schema_sql.h"
#include "script.h"

/* Open directory handles nftw may hold (the depth of the deepest tree). */
#define RMTREE_FDS 32

char *support_tempdir(char *out, size_t cap, const char *name)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !tmp[0])
        tmp = "/tmp";
    if ((size_t)snprintf(out, cap, "%s/%s-XXXXXX", tmp, name) >= cap)
        fail_msg("temporary directory name too long for %zu bytes: %s/%s-XXXXXX", cap, tmp, name);
    if (!mkdtemp(out))
        fail_msg("mkdtemp %s: %s", out, strerror(errno));
    return out;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    int r = type == FTW_DP ? rmdir(path) : unlink(path);
    if (r < 0)
        fprintf(stderr, "support_rmtree: %s: %s\n", path, strerror(errno));
    return 0; /* go on: remove what can be removed */
}

int support_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    nftw(path, remove_entry, RMTREE_FDS, FTW_DEPTH | FTW_PHYS);
    return lstat(path, &st) < 0 && errno == ENOENT ? 0 : -1;
}

const char *support_sample_bundle(void)
{
    const char *b = getenv("SAMPLE_BUNDLE");
    return b && b[0] ? b : INFOPOINT_BUILD_DIR "/sample.ipb";
}

sqlite3 *support_empty_bundle(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(fts_register(db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, schema_sql, NULL, NULL, NULL), SQLITE_OK);
    return db;
}

void support_edit_article(sqlite3 *db, const char *suffix, char *id, size_t cap)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM items WHERE kind = 'article' ORDER BY id LIMIT 1", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(id, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE item_texts SET body = body || ?1 WHERE item_id = ?2", -1, &st,
                                        NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, suffix, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_true(sqlite3_changes(db) > 0);
}

void support_stamp_digest(sqlite3 *db, char hex[DIGEST_HEX_LEN + 1])
{
    char err[300];
    sqlite3_stmt *st;
    if (digest_compute(db, hex, err, sizeof err) < 0)
        fail_msg("digest: %s", err);
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('digest', ?1)", -1,
                                        &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

void support_assert_index_matches_units(sqlite3 *db)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM search_index_docsize WHERE id NOT IN (SELECT id FROM search_units)",
        "SELECT count(*) FROM search_heads_docsize WHERE id NOT IN (SELECT id FROM search_units)",
        "SELECT count(*) FROM search_units WHERE id NOT IN (SELECT id FROM search_index_docsize)",
        "SELECT count(*) FROM search_units WHERE id NOT IN (SELECT id FROM search_heads_docsize)",
        "INSERT INTO search_index(search_index) VALUES ('integrity-check')",
        "INSERT INTO search_heads(search_heads) VALUES ('integrity-check')",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK)
            fail_msg("%s: %s", sql[i], sqlite3_errmsg(db));
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) != 0)
            fail_msg("%s: %lld", sql[i], (long long)sqlite3_column_int64(st, 0));
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            fail_msg("%s: %s", sql[i], sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
}

void support_damage_page(const char *path, int64_t at)
{
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        fail_msg("open %s: %s", path, strerror(errno));
    assert_int_equal(pwrite(fd, junk, sizeof junk, (off_t)at), (ssize_t)sizeof junk);
    close(fd);
}

int support_sample_store_open(void **state)
{
    char err[512];
    store *s = store_open(support_sample_bundle(), NULL, err, sizeof err);
    if (!s)
        fail_msg("sample bundle: %s", err);
    *state = s;
    return 0;
}

int support_sample_store_close(void **state)
{
    store_close(*state);
    return 0;
}

void support_config(config *c)
{
    config_defaults(c);
    c->state_dir[0] = '\0';
}

headless *support_kiosk_open(const config *c, const char *bundle, int w, int h)
{
    config defaults;
    if (!c) {
        support_config(&defaults);
        c = &defaults;
    }
    headless *k = calloc(1, sizeof *k);
    char err[512];
    assert_non_null(k);
    if (headless_open(k, c, bundle, w, h, err, sizeof err) < 0)
        fail_msg("%s", err);
    return k;
}

void support_kiosk_close(headless *k)
{
    headless_close(k);
    free(k);
}

void support_run(headless *k, const char *text)
{
    script sc;
    char err[512];
    if (script_parse(text, strlen(text), &sc, err, sizeof err) < 0)
        fail_msg("script: %s", err);
    if (replay_script(k->u, &sc, &k->now, err, sizeof err) < 0)
        fail_msg("replay: %s", err);
    replay_settle(k->u, &k->now);
    script_free(&sc);
}

void support_expect_route(headless *k, const char *want)
{
    char route[600];
    ui_current_route(k->u, route, sizeof route);
    if (strcmp(route, want) != 0)
        fail_msg("route is '%s', expected '%s'", route, want);
}

uint32_t support_pixel(const headless *k, int x, int y)
{
    const SDL_Surface *s = k->surface;
    uint32_t p = ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
    uint8_t r, g, b;
    SDL_GetRGB(p, s->format, &r, &g, &b);
    return (uint32_t)r << 16 | (uint32_t)g << 8 | b;
}
