/* libFuzzer target for a hostile bundle: the bytes are written as a file
 * and opened as the kiosk opens content (store_open), then the home screen,
 * every category and up to eight items are laid out and drawn by the
 * headless kiosk with the real fonts and images (store -> content ->
 * layout -> render). Seeds: small bundles built from tests/data by
 * infopoint-bundle (tests/fuzz/corpus/bundle). Built by
 * tests/fuzz/CMakeLists.txt; slow per input (a whole kiosk), so give it
 * minutes, not seconds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
