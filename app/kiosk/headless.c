#include "headless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "app.h"
#include "host.h"
#include "replay.h"
#include "script.h"
#include "usagewire.h"

/* Screenshot size when --size is not given: the Pi 7" panel. */
#define SHOT_W 800
#define SHOT_H 480

/* The frame the software renderer draws into. Its memory is asked for in
 * huge pages where the kernel gives them on request: a 1920x1080 frame is
 * 2,000 page faults otherwise, a fifth of a screenshot's time. */
static SDL_Surface *target_surface(headless *k, int w, int h)
{
    size_t pitch = (size_t)w * 4, bytes = pitch * (size_t)h;
    size_t huge = 2u << 20, rounded = (bytes + huge - 1) / huge * huge;
    if (w <= 0 || h <= 0 || posix_memalign(&k->pixels, huge, rounded) != 0) {
        k->pixels = NULL;
        return NULL;
    }
    madvise(k->pixels, rounded, MADV_HUGEPAGE); /* a hint: fine if refused */
    return SDL_CreateRGBSurfaceWithFormatFrom(k->pixels, w, h, 32, (int)pitch, SDL_PIXELFORMAT_ARGB8888);
}

int headless_open(headless *k, const config *c, const char *bundle, int w, int h, char *err, size_t errcap)
{
    memset(k, 0, sizeof *k);
    k->now = 1000;
    k->surface = target_surface(k, w, h);
    k->sdl = k->surface ? SDL_CreateSoftwareRenderer(k->surface) : NULL;
    if (!k->sdl) {
        snprintf(err, errcap, "cannot create a %dx%d software renderer: %s", w, h, SDL_GetError());
        goto fail;
    }
    app a;
    int started = app_start(&a, c, bundle, k->sdl, w, h, k->now);
    k->r = a.r;
    k->st = a.s;
    k->u = a.u;
    k->voice = a.voice;
    snprintf(k->reason, sizeof k->reason, "%s", a.reason);
    if (started < 0) {
        snprintf(err, errcap, "cannot start the kiosk (see above)");
        goto fail;
    }
    return 0;
fail:
    headless_close(k);
    return -1;
}

void headless_close(headless *k)
{
    app a = {.r = k->r, .s = k->st, .u = k->u, .voice = k->voice};
    app_stop(&a);
    if (k->sdl)
        SDL_DestroyRenderer(k->sdl);
    SDL_FreeSurface(k->surface);
    free(k->pixels);
    memset(k, 0, sizeof *k);
}

/* The operator screen shows the real status of the state directory (no
 * sync runs in a screenshot, so its buttons show disabled). */
static host *attach_host(headless *k, const config *c)
{
    host *operator = host_create(c, NULL);
    if (operator) {
        ui_host cb = host_callbacks(operator);
        cb.restart = cb.exit_to_desktop = NULL;
        ui_set_host(k->u, &cb);
    }
    return operator;
}

/* Draws what args ask for; returns 0, or -1 after a message. */
/* What a citizen typed never reaches stdout (a CI log, a terminal behind
 * the kiosk, a script's output): a search route is printed without it. */
static void hide_query(char *route, size_t cap)
{
    char *q = strchr(route, '?');
    if (q && strncmp(route, "search?", 7) == 0)
        snprintf(q, cap - (size_t)(q - route), " (query not shown)");
}

static int draw_shot(headless *k, const kiosk_args *args, const script *sc)
{
    char err[512];
    if (args->open && ui_navigate(k->u, args->open, k->now, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: cannot open route '%s': %s\n", args->open, err);
        return -1;
    }
    ui_draw(k->u);
    if (replay_script(k->u, sc, &k->now, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: script %s %s\n", args->script, err);
        return -1;
    }
    replay_settle(k->u, &k->now);
    ui_draw(k->u);
    return 0;
}

int headless_screenshot(const config *c, const kiosk_args *args)
{
    int w = args->width > 0 ? args->width : SHOT_W, h = args->height > 0 ? args->height : SHOT_H;
    int status = 1;
    char err[512] = "";
    script sc = {0};
    headless k = {0};
    host *operator = NULL;
    usagewire *usage = NULL;

    if (args->script && script_load(args->script, &sc, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: script %s: %s\n", args->script, err);
        return 2;
    }
    if (SDL_Init(0) < 0) {
        fprintf(stderr, "infopoint: SDL: %s\n", SDL_GetError());
        goto done;
    }
    if (headless_open(&k, c, args->bundle, w, h, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: %s\n", err);
        goto done;
    }
    /* A script is someone using the kiosk: it is counted as the kiosk
     * counts (written on exit); a plain screenshot is nobody's session. */
    if (args->script)
        usage = usagewire_start(c, k.u);
    operator = attach_host(&k, c);
    host_set_usage(operator, usage);
    if (draw_shot(&k, args, &sc) < 0)
        goto done;
    if (render_save_surface_png(k.sdl, k.surface, args->screenshot, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: %s\n", err);
        goto done;
    }
    char route[600];
    ui_current_route(k.u, route, sizeof route);
    hide_query(route, sizeof route);
    printf("screenshot %s (%dx%d) route %s\n", args->screenshot, w, h, route);
    status = 0;
    /* The picture shows "out of service"; a script or an operator must not
     * mistake it for the content they asked for. */
    if (!k.st) {
        fprintf(stderr, "infopoint: no content opened (%s): the screenshot shows the out-of-service screen\n",
                k.reason);
        status = 1;
    }
done:
    usagewire_stop(usage);
    headless_close(&k);
    host_destroy(operator);
    script_free(&sc);
    SDL_Quit();
    return status;
}
