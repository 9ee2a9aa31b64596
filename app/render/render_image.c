/* render_image — PNG/JPEG decoded through SDL_image, shrunk to what the GPU
 * accepts, and kept as textures in a small LRU cache capped in bytes (see
 * render.h). */
#include "render_private.h"

#include <SDL_image.h>
#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imginfo.h"
#include "platform.h"

/* Images: entries (decode failures are remembered too) and the longest key. */
#define IMAGE_MAX_ENTRIES 64
#define IMAGE_KEY_MAX 512

static image_entry *image_find(render *r, const char *key)
{
    for (lru_link *l = r->images.newest; l; l = l->older) {
        image_entry *e = (image_entry *)l;
        if (strcmp(e->key, key) == 0)
            return e;
    }
    return NULL;
}

static void image_evict(render *r, image_entry *e)
{
    render_lru_remove(&r->images, &e->link);
    r->images.bytes -= e->bytes;
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e);
}

/* Shrinks s (ARGB8888) to fit max_w×max_h, keeping its aspect; frees s. */
static SDL_Surface *fit_surface(SDL_Surface *s, int max_w, int max_h)
{
    if ((max_w <= 0 || s->w <= max_w) && (max_h <= 0 || s->h <= max_h))
        return s;
    double k = 1.0;
    if (max_w > 0 && s->w > max_w)
        k = (double)max_w / s->w;
    if (max_h > 0 && s->h * k > max_h)
        k = (double)max_h / s->h;
    int w = (int)(s->w * k), h = (int)(s->h * k);
    SDL_Surface *d = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, h > 0 ? h : 1, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (d && SDL_SoftStretchLinear(s, NULL, d, NULL) < 0) {
        SDL_FreeSurface(d);
        d = NULL;
    }
    SDL_FreeSurface(s);
    return d;
}

/* A CMYK JPEG as SDL_image leaves it: the four stored bytes of each pixel
 * in a 32-bit surface as if they were colour and alpha (so it showed blue
 * and half transparent for red). Turned into opaque RGB here. The bytes are
 * inverted as Adobe's programs write them (the JPEG's Adobe marker; libjpeg
 * hands YCCK over as CMYK the same way): R = C'·K'/255. */
static int cmyk_to_rgb(SDL_Surface *s)
{
    if (s->format->BytesPerPixel != 4 || SDL_LockSurface(s) < 0)
        return -1;
    for (int y = 0; y < s->h; y++) {
        uint8_t *p = (uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
        for (int x = 0; x < s->w; x++, p += 4) {
            unsigned c = p[0], m = p[1], yel = p[2], k = p[3];
            uint32_t rgb = SDL_MapRGB(s->format, (uint8_t)(c * k / 255), (uint8_t)(m * k / 255),
                                      (uint8_t)(yel * k / 255));
            memcpy(p, &rgb, 4);
        }
    }
    SDL_UnlockSurface(s);
    return 0;
}

/* Decodes PNG/JPEG bytes into a texture scaled linearly when drawn. NULL on
 * any failure (logged): the caller draws a placeholder. */
static SDL_Texture *image_decode(render *r, const char *key, const void *bytes, size_t size,
                                 size_t *tex_bytes)
{
    SDL_Surface *raw = NULL, *s = NULL;
    SDL_Texture *tex = NULL;
    char why[128] = "";
    imginfo info;
    /* The header check refuses garbage and decompression bombs before
     * SDL_image allocates anything. */
    if (!bytes || size == 0 || size > INT_MAX) {
        snprintf(why, sizeof why, "no bytes");
        goto fail;
    }
    if (imginfo_probe(bytes, size, &info, why, sizeof why) < 0)
        goto fail;
    if (imginfo_check_pixels(&info, why, sizeof why) < 0) /* the tool's limit too */
        goto fail;
    raw = IMG_Load_RW(SDL_RWFromConstMem(bytes, (int)size), 1);
    if (!raw) {
        snprintf(why, sizeof why, "%s", IMG_GetError());
        goto fail;
    }
    int cmyk = info.type == IMGINFO_JPEG && info.components == 4;
    if (cmyk && cmyk_to_rgb(raw) < 0) {
        snprintf(why, sizeof why, "CMYK JPEG decoded in an unexpected layout");
        goto fail;
    }
    int has_alpha = !cmyk && (SDL_ISPIXELFORMAT_ALPHA(raw->format->format) || raw->format->palette);
    s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!s) {
        snprintf(why, sizeof why, "%s", SDL_GetError());
        goto fail;
    }
    /* A GPU refuses textures above its limit (2048 on a Pi 3). */
    SDL_RendererInfo ri;
    if (SDL_GetRendererInfo(r->sdl, &ri) == 0)
        s = fit_surface(s, ri.max_texture_width, ri.max_texture_height);
    if (!s) {
        snprintf(why, sizeof why, "cannot scale down");
        goto fail;
    }
    tex = SDL_CreateTextureFromSurface(r->sdl, s);
    if (!tex) {
        snprintf(why, sizeof why, "%s", SDL_GetError());
        goto fail;
    }
    SDL_SetTextureScaleMode(tex, SDL_ScaleModeLinear);
    SDL_SetTextureBlendMode(tex, has_alpha ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    *tex_bytes = (size_t)s->w * (size_t)s->h * 4u;
    SDL_FreeSurface(raw);
    SDL_FreeSurface(s);
    return tex;
fail:
    platform_log(PLATFORM_LOG_WARN, "render: cannot decode image %s: %s", key ? key : "(no key)",
                 why);
    SDL_FreeSurface(raw);
    SDL_FreeSurface(s);
    return NULL;
}

/* Remembers a decoded image (or a failure, tex NULL). Returns 0, or -1 when
 * it is not kept (the caller destroys tex). */
static int image_keep(render *r, const char *key, SDL_Texture *tex, size_t bytes)
{
    size_t klen = strlen(key);
    if (klen > IMAGE_KEY_MAX || bytes > RENDER_IMAGE_CACHE_BYTES)
        return -1;
    image_entry *e = malloc(sizeof *e + klen + 1);
    if (!e)
        return -1;
    while (r->images.oldest && (r->images.bytes + bytes > RENDER_IMAGE_CACHE_BYTES ||
                                r->images.count >= IMAGE_MAX_ENTRIES))
        image_evict(r, (image_entry *)r->images.oldest);
    *e = (image_entry){.tex = tex, .bytes = bytes};
    memcpy(e->key, key, klen + 1);
    render_lru_push(&r->images, &e->link);
    r->images.bytes += bytes;
    return 0;
}

/* The part of a w×h texture that fills dst's shape, centred. */
static SDL_Rect fill_source(int w, int h, SDL_Rect dst)
{
    SDL_Rect src = {0, 0, w, h};
    if (dst.w <= 0 || dst.h <= 0 || w <= 0 || h <= 0)
        return src;
    if ((long)w * dst.h > (long)h * dst.w) { /* wider than dst: cut the sides */
        src.w = (int)((long)h * dst.w / dst.h);
        src.x = (w - src.w) / 2;
    } else {
        src.h = (int)((long)w * dst.h / dst.w);
        src.y = (h - src.h) / 2;
    }
    return src;
}

static void copy_image(render *r, SDL_Texture *tex, SDL_Rect dst, int fill)
{
    if (!fill) {
        SDL_RenderCopy(r->sdl, tex, NULL, &dst);
        return;
    }
    int w = 0, h = 0;
    SDL_QueryTexture(tex, NULL, NULL, &w, &h);
    SDL_Rect src = fill_source(w, h, dst);
    SDL_RenderCopy(r->sdl, tex, &src, &dst);
}

static int draw_image(render *r, const char *key, const void *bytes, size_t size, SDL_Rect dst, int fill)
{
    assert(r);
    image_entry *e = key ? image_find(r, key) : NULL;
    if (e) {
        render_lru_touch(&r->images, &e->link);
        if (!e->tex)
            return -1;
        copy_image(r, e->tex, dst, fill);
        return 0;
    }
    size_t tex_bytes = 0;
    SDL_Texture *tex = image_decode(r, key, bytes, size, &tex_bytes);
    if (tex)
        copy_image(r, tex, dst, fill);
    if ((!key || image_keep(r, key, tex, tex_bytes) < 0) && tex)
        SDL_DestroyTexture(tex);
    return tex ? 0 : -1;
}

int render_image(render *r, const char *key, const void *bytes, size_t size, SDL_Rect dst)
{
    return draw_image(r, key, bytes, size, dst, 0);
}

int render_image_fill(render *r, const char *key, const void *bytes, size_t size, SDL_Rect dst)
{
    return draw_image(r, key, bytes, size, dst, 1);
}

int render_image_cached(render *r, const char *key)
{
    assert(r);
    return key && image_find(r, key) != NULL;
}

void render_image_clear(render *r)
{
    while (r->images.oldest)
        image_evict(r, (image_entry *)r->images.oldest);
}
