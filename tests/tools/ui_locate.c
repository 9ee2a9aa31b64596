/* ui_locate — test helper: where on the screen is the button to a route?
 *
 *   ui_locate --bundle FILE --size WxH [--open ROUTE] TARGET
 *
 * Builds the ui the way `infopoint --screenshot` does (software renderer,
 * default configuration), goes to ROUTE, lets it settle, and prints the
 * centre of the visible target that leads to TARGET (a route, or @home,
 * @back, @lang, @text-size) as "X Y" in whole pixels — the point a script's
 * `tapon TARGET` taps. The window tests (tests/cli/xvfb_e2e.sh) click there,
 * so they follow the layout instead of hard-coding it.
 * Exit 0; 1 when nothing on screen leads to TARGET; 2 on bad usage. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "headless.h"
#include "render.h"
#include "store.h"
#include "replay.h"
#include "ui.h"

static int usage(void)
{
    fputs("usage: ui_locate --bundle FILE --size WxH [--open ROUTE] TARGET\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *bundle = NULL, *open = NULL, *target = NULL;
    int w = 0, h = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--bundle") && i + 1 < argc)
            bundle = argv[++i];
        else if (!strcmp(argv[i], "--open") && i + 1 < argc)
            open = argv[++i];
        else if (!strcmp(argv[i], "--size") && i + 1 < argc && sscanf(argv[++i], "%dx%d", &w, &h) == 2)
            continue;
        else if (argv[i][0] != '-' && !target)
            target = argv[i];
        else
            return usage();
    }
    if (!bundle || !target || w < 64 || h < 64)
        return usage();

    int status = 1;
    char err[512] = "";
    config c;
    config_defaults(&c);
    c.state_dir[0] = '\0'; /* nothing of this machine's */
    headless k;
    if (headless_open(&k, &c, bundle, w, h, err, sizeof err) < 0 || !k.st) {
        fprintf(stderr, "ui_locate: %s\n", k.u ? "the bundle did not open" : err);
        goto done;
    }
    ui *u = k.u;
    uint32_t now = k.now;
    if (open && ui_navigate(u, open, now, err, sizeof err) < 0) {
        fprintf(stderr, "ui_locate: cannot open '%s': %s\n", open, err);
        goto done;
    }
    ui_draw(u);
    replay_settle(u, &now);
    ui_draw(u);
    float x, y;
    if (ui_locate_route(u, target, &x, &y) < 0) {
        fprintf(stderr, "ui_locate: nothing on screen leads to '%s'\n", target);
        goto done;
    }
    printf("%d %d\n", (int)(x + 0.5f), (int)(y + 0.5f));
    status = 0;
done:
    headless_close(&k);
    return status;
}
