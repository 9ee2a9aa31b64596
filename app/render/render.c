/* render — the context and the bookkeeping its parts share (see render.h and
 * render_private.h for the map): LRU lists, the shape-texture cache, white
 * and coverage textures, clipping, flushing. */
#include "render_private.h"

#include <SDL_ttf.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "fonts_paths.h"
#include "platform.h"

/* ---- LRU list ---------------------------------------------------------- */

void render_lru_remove(lru_list *l, lru_link *n)
{
    if (n->newer)
        n->newer->older = n->older;
    else
        l->newest = n->older;
    if (n->older)
        n->older->newer = n->newer;
    else
        l->oldest = n->newer;
    n->newer = n->older = NULL;
    l->count--;
}

void render_lru_push(lru_list *l, lru_link *n)
{
    n->newer = NULL;
    n->older = l->newest;
    if (l->newest)
        l->newest->newer = n;
    l->newest = n;
    if (!l->oldest)
        l->oldest = n;
    l->count++;
}

void render_lru_touch(lru_list *l, lru_link *n)
{
    if (l->newest == n)
        return;
    render_lru_remove(l, n);
    render_lru_push(l, n);
}

/* ---- small helpers ----------------------------------------------------- */

void render_set_err(char *err, size_t errcap, const char *what, const char *why)
{
    if (err && errcap)
        snprintf(err, errcap, "%s: %s", what, why);
}

void render_tint(SDL_Texture *tex, render_color c)
{
    SDL_SetTextureColorMod(tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(tex, c.a);
}

void render_set_draw_color(render *r, render_color c)
{
    /* Opaque fills need no blending: a full-screen background fill costs
     * 0.3 ms without it and 8.5 ms with it in the software renderer. */
    SDL_SetRenderDrawBlendMode(r->sdl, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r->sdl, c.r, c.g, c.b, c.a);
}

/* Texture from a white-with-alpha ARGB surface, blended and drawn 1:1. */
SDL_Texture *render_white_texture(render *r, SDL_Surface *s)
{
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r->sdl, s);
    if (!tex) {
        platform_log(PLATFORM_LOG_WARN, "render: cannot create texture %dx%d: %s", s->w, s->h,
                     SDL_GetError());
        return NULL;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest);
    return tex;
}

SDL_Texture *render_coverage_texture(render *r, int side, render_coverage_fn coverage, const void *ctx)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (int y = 0; y < side; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < side; x++) {
            float a = coverage(ctx, (float)x + 0.5f, (float)y + 0.5f);
            row[x] = ((uint32_t)(a * 255.0f + 0.5f) << 24) | 0x00FFFFFFu;
        }
    }
    SDL_Texture *tex = render_white_texture(r, s);
    SDL_FreeSurface(s);
    return tex;
}

/* ---- shape-texture cache ------------------------------------------------- */

SDL_Texture *render_shape_find(render *r, shape_kind kind, int a, int b)
{
    for (int i = 0; i < SHAPE_SLOTS; i++) {
        shape_slot *s = &r->shapes[i];
        if (s->tex && s->kind == kind && s->a == a && s->b == b) {
            s->used = ++r->tick;
            return s->tex;
        }
    }
    return NULL;
}

static void shape_drop(render *r, shape_slot *s)
{
    SDL_DestroyTexture(s->tex);
    r->shape_bytes -= s->bytes;
    *s = (shape_slot){0};
}

int render_shape_keep(render *r, shape_kind kind, int a, int b, SDL_Texture *tex, size_t bytes)
{
    if (bytes > SHAPE_CACHE_BYTES / 4)
        return -1;
    for (;;) {
        shape_slot *free_slot = NULL, *oldest = NULL;
        for (int i = 0; i < SHAPE_SLOTS; i++) {
            shape_slot *s = &r->shapes[i];
            if (!s->tex)
                free_slot = free_slot ? free_slot : s;
            else if (!oldest || s->used < oldest->used)
                oldest = s;
        }
        if (free_slot && r->shape_bytes + bytes <= SHAPE_CACHE_BYTES) {
            *free_slot = (shape_slot){.tex = tex, .kind = kind, .a = a, .b = b, .bytes = bytes,
                                      .used = ++r->tick};
            r->shape_bytes += bytes;
            return 0;
        }
        assert(oldest);
        shape_drop(r, oldest);
    }
}

void render_viewport(render *r, const SDL_Rect *rect)
{
    assert(r);
    SDL_RenderSetClipRect(r->sdl, NULL);
    SDL_RenderSetViewport(r->sdl, rect);
}

void render_clip(render *r, const SDL_Rect *rect)
{
    assert(r);
    if (!rect) {
        SDL_RenderSetClipRect(r->sdl, NULL);
        return;
    }
    /* SDL turns clipping off for a negative size; an area squeezed to
     * nothing (a keyboard covering the list) must draw nothing instead. */
    SDL_Rect c = {rect->x, rect->y, rect->w > 0 ? rect->w : 0, rect->h > 0 ? rect->h : 0};
    SDL_RenderSetClipRect(r->sdl, &c);
}

/* The part of box the clip lets show; false when none does. */
bool render_visible_part(render *r, SDL_Rect *box)
{
    if (!SDL_RenderIsClipEnabled(r->sdl))
        return true;
    SDL_Rect clip;
    SDL_RenderGetClipRect(r->sdl, &clip);
    return SDL_IntersectRect(box, &clip, box);
}

void render_record_marks(render *r, render_mark_rec *recs, int cap, int *n)
{
    assert(r);
    r->marks = recs;
    r->marks_cap = cap;
    r->marks_n = n;
    if (n)
        *n = 0;
}

void render_record_mark(render *r, SDL_Rect box, render_color color, render_mark_kind kind, int thickness)
{
    if (!r->marks || !render_visible_part(r, &box))
        return;
    if (*r->marks_n < r->marks_cap)
        r->marks[*r->marks_n] = (render_mark_rec){box, color, kind, thickness};
    (*r->marks_n)++;
}

/* ---- context ----------------------------------------------------------- */

render *render_create(SDL_Renderer *sdl, char *err, size_t errcap)
{
    assert(sdl);
    int ttf_started = 0;
    render *r = calloc(1, sizeof *r);
    if (!r) {
        render_set_err(err, errcap, "render", "out of memory");
        goto fail;
    }
    r->sdl = sdl;
    /* TTF_Init counts calls and TTF_Quit undoes one, so each context holds
     * its own reference and other users of SDL_ttf are unaffected. */
    if (TTF_Init() < 0) {
        render_set_err(err, errcap, "cannot start SDL_ttf", TTF_GetError());
        goto fail;
    }
    ttf_started = 1;
    /* Open the regular face now, so a missing font package is reported at
     * start-up and not as blank buttons later. */
    TTF_Font *f = TTF_OpenFont(FONT_PATH_REGULAR, 16);
    if (!f) {
        render_set_err(err, errcap, "cannot open " FONT_PATH_REGULAR, TTF_GetError());
        goto fail;
    }
    TTF_CloseFont(f);
    return r;
fail:
    if (ttf_started)
        TTF_Quit();
    free(r);
    return NULL;
}

void render_flush(render *r)
{
    assert(r);
    render_text_clear(r);
    render_image_clear(r);
    for (int i = 0; i < SHAPE_SLOTS; i++)
        if (r->shapes[i].tex)
            shape_drop(r, &r->shapes[i]);
    assert(r->texts.bytes == 0 && r->images.bytes == 0 && r->shape_bytes == 0);
}

void render_destroy(render *r)
{
    if (!r)
        return;
    render_flush(r);
    render_fonts_close(r);
    TTF_Quit();
    free(r);
}

size_t render_cache_bytes(render *r)
{
    assert(r);
    return r->texts.bytes + r->images.bytes;
}
