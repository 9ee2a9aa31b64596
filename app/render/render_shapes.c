/* render_shapes — rectangles (square, rounded, outlined), circles and soft
 * shadows (see render.h). Rounded corners and discs are anti-aliased ring
 * textures from the shape cache, drawn a quadrant per corner. */
#include "render_private.h"

#include <assert.h>
#include <math.h>

#define SHADOW_LAYERS 4
#define SHADOW_ALPHA 12

/* Coverage of a pixel whose centre is at distance d from the ring's centre:
 * the signed distance to each edge, widened by half a pixel, approximates
 * the area inside; the ring is the outer disc minus the inner one. */
static float ring_coverage(float d, float outer, float inner)
{
    float a = clamp01(outer - d + 0.5f);
    if (inner > 0.0f)
        a = a + clamp01(d - inner + 0.5f) - 1.0f;
    return clamp01(a);
}

typedef struct {
    int outer, inner;
} ring_shape;

static float ring_pixel(const void *ctx, float px, float py)
{
    const ring_shape *g = ctx;
    float dx = px - (float)g->outer, dy = py - (float)g->outer;
    return ring_coverage(sqrtf(dx * dx + dy * dy), (float)g->outer, (float)g->inner);
}

/* A white (2·outer)² texture of a ring with anti-aliased edges. */
static SDL_Texture *ring_make(render *r, int outer, int inner)
{
    ring_shape g = {outer, inner};
    return render_coverage_texture(r, 2 * outer, ring_pixel, &g);
}

/* Ring texture (inner 0: disc). *owned is set when the caller must destroy
 * it after drawing because it was too large to cache. */
static SDL_Texture *ring_get(render *r, int outer, int inner, int *owned)
{
    *owned = 0;
    if (inner < 0)
        inner = 0;
    SDL_Texture *tex = render_shape_find(r, SHAPE_RING, outer, inner);
    if (tex)
        return tex;
    tex = ring_make(r, outer, inner);
    if (tex && render_shape_keep(r, SHAPE_RING, outer, inner, tex, (size_t)outer * (size_t)outer * 16u) < 0)
        *owned = 1;
    return tex;
}

/* Draws the four quadrants of a (2·rad)² ring texture into the corners of rc. */
static void draw_corners(render *r, SDL_Texture *tex, SDL_Rect rc, int rad, render_color c)
{
    render_tint(tex, c);
    for (int q = 0; q < 4; q++) {
        int right = q & 1, bottom = q >> 1;
        SDL_Rect src = {right * rad, bottom * rad, rad, rad};
        SDL_Rect dst = {right ? rc.x + rc.w - rad : rc.x, bottom ? rc.y + rc.h - rad : rc.y, rad, rad};
        SDL_RenderCopy(r->sdl, tex, &src, &dst);
    }
}

/* Fills the rects that have an area (SDL may draw a line for a zero height). */
static void fill_rects(render *r, const SDL_Rect *rects, int n)
{
    for (int i = 0; i < n; i++)
        if (rects[i].w > 0 && rects[i].h > 0)
            SDL_RenderFillRect(r->sdl, &rects[i]);
}

void render_fill_rect(render *r, SDL_Rect rc, int radius, render_color color)
{
    assert(r);
    if (rc.w <= 0 || rc.h <= 0 || color.a == 0)
        return;
    int rad = clampi(radius, 0, (rc.w < rc.h ? rc.w : rc.h) / 2);
    render_set_draw_color(r, color);
    int owned = 0;
    SDL_Texture *tex = rad > 0 ? ring_get(r, rad, 0, &owned) : NULL;
    if (!tex) {
        SDL_RenderFillRect(r->sdl, &rc);
        return;
    }
    draw_corners(r, tex, rc, rad, color);
    SDL_Rect bands[3] = {
        {rc.x + rad, rc.y, rc.w - 2 * rad, rad},
        {rc.x, rc.y + rad, rc.w, rc.h - 2 * rad},
        {rc.x + rad, rc.y + rc.h - rad, rc.w - 2 * rad, rad},
    };
    fill_rects(r, bands, 3);
    if (owned)
        SDL_DestroyTexture(tex);
}

void render_stroke_rect(render *r, SDL_Rect rc, int radius, int thickness, render_color color)
{
    assert(r);
    if (rc.w <= 0 || rc.h <= 0 || thickness <= 0 || color.a == 0)
        return;
    int t = thickness;
    render_record_mark(r, rc, color, RENDER_MARK_OUTLINE, t);
    if (2 * t >= rc.w || 2 * t >= rc.h) {
        render_fill_rect(r, rc, radius, color);
        return;
    }
    int rad = clampi(radius, 0, (rc.w < rc.h ? rc.w : rc.h) / 2);
    render_set_draw_color(r, color);
    int owned = 0;
    SDL_Texture *tex = NULL;
    if (rad > 0) {
        tex = ring_get(r, rad, rad - t, &owned);
        if (!tex)
            rad = 0;
    }
    if (tex)
        draw_corners(r, tex, rc, rad, color);
    /* Edges must not overlap or a translucent colour shows darker joints.
     * When the stroke is thicker than the radius, the side bands are split
     * so the part under the top and bottom bands is left out. */
    int k = t < rad ? t : rad;
    SDL_Rect bands[6] = {
        {rc.x + rad, rc.y, rc.w - 2 * rad, t},
        {rc.x + rad, rc.y + rc.h - t, rc.w - 2 * rad, t},
        {rc.x, rc.y + rad, k, rc.h - 2 * rad},
        {rc.x + rc.w - k, rc.y + rad, k, rc.h - 2 * rad},
        {rc.x + rad, rc.y + t, t - rad, rc.h - 2 * t},
        {rc.x + rc.w - t, rc.y + t, t - rad, rc.h - 2 * t},
    };
    fill_rects(r, bands, t > rad ? 6 : 4);
    if (owned)
        SDL_DestroyTexture(tex);
}

void render_fill_circle(render *r, int cx, int cy, int radius, render_color color)
{
    assert(r);
    if (radius <= 0 || color.a == 0)
        return;
    int owned = 0;
    SDL_Texture *tex = ring_get(r, radius, 0, &owned);
    if (!tex)
        return;
    render_tint(tex, color);
    SDL_Rect box = {cx - radius, cy - radius, 2 * radius, 2 * radius};
    SDL_RenderCopy(r->sdl, tex, NULL, &box);
    render_record_mark(r, box, color, RENDER_MARK_DOT, 0);
    if (owned)
        SDL_DestroyTexture(tex);
}

void render_shadow(render *r, SDL_Rect rc, int radius, int spread)
{
    assert(r);
    if (rc.w <= 0 || rc.h <= 0 || spread <= 0)
        return;
    /* Each layer grows by g and sinks by half the spread, so its top edge
     * stays under the card (light from above) while the sides and the bottom
     * fan out; where layers overlap, close to the card, the shade adds up,
     * which gives a soft falloff without a blur pass. */
    /* Only the band along the bottom edge shows below the card that is drawn
     * on top, so only that band is filled: blending the whole card area four
     * times cost a fifth of a home-screen frame. */
    int drop = spread / 2;
    int band = 2 * radius + spread;
    if (band > rc.h)
        band = rc.h;
    for (int i = SHADOW_LAYERS; i >= 1; i--) {
        int g = spread * i / SHADOW_LAYERS;
        SDL_Rect s = {rc.x - g / 2, rc.y + rc.h - band - g / 2 + drop, rc.w + g, band + g};
        render_fill_rect(r, s, radius + g / 2, (render_color){0, 0, 0, SHADOW_ALPHA});
    }
}
