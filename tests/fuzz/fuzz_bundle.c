/* libFuzzer target for a hostile bundle: the bytes are written as a file
 * and opened as the kiosk opens content (store_open), then the home screen,
 * every category and up to eight items are laid out and drawn by the
 * headless kiosk with the real fonts and images (store -> content ->
 * layout -> render). Seeds: small bundles built from tests/data by
 * infopoint-bundle (tests/fuzz/corpus/bundle). Built by
 * tests/fuzz/CMakeLists.txt; slow per input (a whole kiosk), so give it
 * minutes, not seconds.
 *
 * The kiosk refuses a bundle whose content digest does not match, so
 * nearly every mutation would stop there. Each input's digest is made
 * right before it is opened: what is fuzzed is a bundle that passes every
 * check yet holds hostile rows (a publisher's key in the wrong hands, a
 * bug in the tool), all the way to the screen. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "digest.h"
#include "headless.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *bundle_path(void)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz_bundle.%d.ipb", (int)getpid());
    return path;
}

static int write_bytes(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, size, f);
    return fclose(f) == 0 && put == size ? 0 : -1;
}

/* Writes the bundle's own content digest into its meta table, when the
 * file opens as SQLite and has one to replace. */
static void make_digest_right(const char *path)
{
    sqlite3 *db = NULL;
    char hex[DIGEST_HEX_LEN + 1], why[256];
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        digest_compute(db, hex, why, sizeof why) == 0 &&
        sqlite3_prepare_v2(db, "UPDATE meta SET value = ?1 WHERE key = 'digest'", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Opens the items of the first categories as a citizen would. */
static void visit(headless *k)
{
    store_category cats[8];
    store_item items[8];
    char route[STORE_ID_MAX + 16], err[256];
    int nc = store_categories(k->st, "kk", cats, 8);
    for (int i = 0; i < nc; i++) {
        snprintf(route, sizeof route, "category/%s", cats[i].id);
        if (ui_navigate(k->u, route, k->now, err, sizeof err) == 0)
            ui_draw(k->u);
        int ni = store_items(k->st, cats[i].id, "kk", items, 8);
        for (int j = 0; j < ni; j++) {
            snprintf(route, sizeof route, "item/%s", items[j].id);
            if (ui_navigate(k->u, route, k->now, err, sizeof err) == 0)
                ui_draw(k->u);
        }
    }
    if (ui_navigate(k->u, "search?q=a", k->now, err, sizeof err) == 0)
        ui_draw(k->u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = bundle_path();
    if (write_bytes(path, data, size) < 0)
        return 0;
    make_digest_right(path);
    static config c;
    config_defaults(&c);
    c.state_dir[0] = '\0';
    headless k;
    char err[512];
    if (headless_open(&k, &c, path, 480, 320, err, sizeof err) == 0) {
        ui_draw(k.u);
        if (k.st)
            visit(&k);
        headless_close(&k);
    }
    unlink(path);
    return 0;
}
