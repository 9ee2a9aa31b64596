/* render_png — the renderer's target written as a PNG (screenshots, golden
 * images; see render.h). */
#include "render_private.h"

#include <SDL_image.h>
#include <assert.h>

int render_save_png(SDL_Renderer *sdl, int w, int h, const char *path, char *err, size_t errcap)
{
    return render_save_png_scaled(sdl, w, h, w, path, err, errcap);
}

/* s scaled to max_w wide (s itself when it is not wider): a new surface
 * that replaces s, or NULL (s freed). */
static SDL_Surface *shrink(SDL_Surface *s, int max_w)
{
    if (s->w <= max_w)
        return s;
    int h = (int)((int64_t)s->h * max_w / s->w);
    SDL_Surface *d = SDL_CreateRGBSurfaceWithFormat(0, max_w, h > 0 ? h : 1, 32, SDL_PIXELFORMAT_ARGB8888);
    if (d && SDL_SoftStretchLinear(s, NULL, d, NULL) < 0) {
        SDL_FreeSurface(d);
        d = NULL;
    }
    SDL_FreeSurface(s);
    return d;
}

int render_save_png_scaled(SDL_Renderer *sdl, int w, int h, int max_w, const char *path, char *err, size_t errcap)
{
    assert(sdl && path);
    SDL_Surface *s = NULL;
    if (w <= 0 || h <= 0) {
        render_set_err(err, errcap, path, "empty size");
        return -1;
    }
    s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        goto fail;
    /* An explicit rect: reading "the whole target" into a w×h buffer would
     * overrun it if the target were larger. */
    if (SDL_RenderReadPixels(sdl, &(SDL_Rect){0, 0, w, h}, SDL_PIXELFORMAT_ARGB8888, s->pixels,
                             s->pitch) < 0)
        goto fail;
    /* A screen has no transparency; a screenshot should not either. */
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < w; x++)
            row[x] |= 0xFF000000u;
    }
    if (max_w > 0 && !(s = shrink(s, max_w)))
        goto fail;
    if (IMG_SavePNG(s, path) < 0)
        goto fail;
    SDL_FreeSurface(s);
    return 0;
fail:
    render_set_err(err, errcap, path, SDL_GetError());
    SDL_FreeSurface(s);
    return -1;
}
