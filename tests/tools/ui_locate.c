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

#include "kiosk.h"
#include "render.h"
#include "store.h"
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
    SDL_Surface *surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
    render *r = sdl ? render_create(sdl, err, sizeof err) : NULL;
    store *s = NULL;
    ui *u = NULL;
    if (!r) {
        fprintf(stderr, "ui_locate: cannot render: %s%s\n", err, SDL_GetError());
        goto done;
    }
    s = store_open(bundle, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "ui_locate: %s\n", err);
        goto done;
    }
    ui_config cfg = ui_config_default();
    uint32_t now = 1000;
    u = ui_create(&cfg, s, NULL, r, w, h, now);
    if (!u)
        goto done;
    if (open && ui_navigate(u, open, now, err, sizeof err) < 0) {
        fprintf(stderr, "ui_locate: cannot open '%s': %s\n", open, err);
        goto done;
    }
    ui_draw(u);
    kiosk_settle(u, &now);
    ui_draw(u);
    float x, y;
    if (ui_locate_route(u, target, &x, &y) < 0) {
        fprintf(stderr, "ui_locate: nothing on screen leads to '%s'\n", target);
        goto done;
    }
    printf("%d %d\n", (int)(x + 0.5f), (int)(y + 0.5f));
    status = 0;
done:
    ui_destroy(u);
    store_close(s);
    render_destroy(r);
    if (sdl)
        SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surface);
    return status;
}
