/* render_png — the renderer's target written as a PNG (screenshots, golden
 * images, the fleet's remote screenshot; see render.h). */
#include "render_private.h"

#include <assert.h>
#include <png.h>
#include <string.h>

/* libpng's simplified writer with PNG_IMAGE_FLAG_FAST: a screen is mostly
 * flat colour, and the default compression spent half of a screenshot's
 * time (BENCHMARKS.md, "Side by side with Chromium") for files a third
 * smaller. The pixels are the same. ARGB8888 in memory is B, G, R, A. */
static int write_png(SDL_Surface *s, const char *path, char *err, size_t errcap)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)s->w;
    img.height = (png_uint_32)s->h;
    img.format = PNG_FORMAT_BGRA;
    img.flags = PNG_IMAGE_FLAG_FAST;
    if (!png_image_write_to_file(&img, path, 0, s->pixels, s->pitch, NULL)) {
        render_set_err(err, errcap, path, img.message);
        png_image_free(&img);
        return -1;
    }
    return 0;
}

/* A screen has no transparency; a screenshot should not either. */
static void make_opaque(SDL_Surface *s)
{
    for (int y = 0; y < s->h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < s->w; x++)
            row[x] |= 0xFF000000u;
    }
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

int render_save_png(SDL_Renderer *sdl, int w, int h, const char *path, char *err, size_t errcap)
{
    return render_save_png_scaled(sdl, w, h, w, path, err, errcap);
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
    make_opaque(s);
    if (max_w > 0 && !(s = shrink(s, max_w)))
        goto fail;
    int rc = write_png(s, path, err, errcap);
    SDL_FreeSurface(s);
    return rc;
fail:
    render_set_err(err, errcap, path, SDL_GetError());
    SDL_FreeSurface(s);
    return -1;
}

int render_save_surface_png(SDL_Renderer *sdl, SDL_Surface *s, const char *path, char *err, size_t errcap)
{
    assert(sdl && s && path);
    if (s->format->format != SDL_PIXELFORMAT_ARGB8888) {
        render_set_err(err, errcap, path, "not an ARGB8888 surface");
        return -1;
    }
    if (SDL_RenderFlush(sdl) < 0) {
        render_set_err(err, errcap, path, SDL_GetError());
        return -1;
    }
    make_opaque(s);
    return write_png(s, path, err, errcap);
}
