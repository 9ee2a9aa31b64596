/* render_icons — simple vector icons for the top bar and buttons (see
 * render.h), rasterised with anti-aliased strokes into textures kept in the
 * shape cache. */
#include "render_private.h"

#include <assert.h>
#include <math.h>

/* Icons are designed on a 24-unit grid with 2-unit strokes. */
#define ICON_GRID 24.0f
#define ICON_STROKE 2.0f
#define ICON_MAX_SIDE 1024

/* Icons are small programs on a 24-unit grid, stroked 2 units wide with round
 * caps and joins (like Feather/Lucide). Whole-unit coordinates for straight
 * strokes keep them pixel-sharp at 24, 48, 72 and 96 px. */
enum { OP_END, OP_MOVE, OP_LINE, OP_CIRCLE, OP_DISC, OP_RRECT, OP_ELLIPSE };

static const float *const icon_program[] = {
    [RENDER_ICON_HOME] = (const float[]){
        OP_MOVE, 3, 10, OP_LINE, 12, 3, OP_LINE, 21, 10,
        OP_MOVE, 5, 8.5f, OP_LINE, 5, 20, OP_LINE, 19, 20, OP_LINE, 19, 8.5f,
        OP_MOVE, 10, 20, OP_LINE, 10, 14, OP_LINE, 14, 14, OP_LINE, 14, 20, OP_END},
    [RENDER_ICON_BACK] = (const float[]){
        OP_MOVE, 20, 12, OP_LINE, 4, 12, OP_MOVE, 11, 5, OP_LINE, 4, 12, OP_LINE, 11, 19, OP_END},
    [RENDER_ICON_SEARCH] = (const float[]){
        OP_CIRCLE, 10, 10, 7, OP_MOVE, 15, 15, OP_LINE, 21, 21, OP_END},
    [RENDER_ICON_TEXT_SIZE] = (const float[]){
        OP_MOVE, 1, 20, OP_LINE, 7, 4, OP_LINE, 13, 20, OP_MOVE, 3.25f, 14, OP_LINE, 10.75f, 14,
        OP_MOVE, 15, 20, OP_LINE, 19, 10, OP_LINE, 23, 20, OP_MOVE, 16.2f, 17, OP_LINE, 21.8f, 17,
        OP_END},
    [RENDER_ICON_CHEVRON_LEFT] = (const float[]){
        OP_MOVE, 15, 5, OP_LINE, 8, 12, OP_LINE, 15, 19, OP_END},
    [RENDER_ICON_CHEVRON_RIGHT] = (const float[]){
        OP_MOVE, 9, 5, OP_LINE, 16, 12, OP_LINE, 9, 19, OP_END},
    [RENDER_ICON_CLOSE] = (const float[]){
        OP_MOVE, 6, 6, OP_LINE, 18, 18, OP_MOVE, 18, 6, OP_LINE, 6, 18, OP_END},
    [RENDER_ICON_BACKSPACE] = (const float[]){
        OP_MOVE, 8, 5, OP_LINE, 21, 5, OP_LINE, 21, 19, OP_LINE, 8, 19, OP_LINE, 2, 12, OP_LINE, 8, 5,
        OP_MOVE, 11, 9, OP_LINE, 17, 15, OP_MOVE, 17, 9, OP_LINE, 11, 15, OP_END},
    [RENDER_ICON_GLOBE] = (const float[]){
        OP_CIRCLE, 12, 12, 9, OP_ELLIPSE, 12, 12, 4, 9, OP_MOVE, 3, 12, OP_LINE, 21, 12, OP_END},
    [RENDER_ICON_DOCUMENT] = (const float[]){
        OP_MOVE, 14, 3, OP_LINE, 6, 3, OP_LINE, 6, 21, OP_LINE, 18, 21, OP_LINE, 18, 7, OP_LINE, 14, 3,
        OP_LINE, 14, 7, OP_LINE, 18, 7,
        OP_MOVE, 9, 12, OP_LINE, 15, 12, OP_MOVE, 9, 16, OP_LINE, 15, 16, OP_END},
    [RENDER_ICON_CARDS] = (const float[]){
        OP_RRECT, 3, 8, 17, 21, 2,
        OP_MOVE, 7, 8, OP_LINE, 7, 4, OP_LINE, 21, 4, OP_LINE, 21, 17, OP_LINE, 17, 17, OP_END},
    [RENDER_ICON_ARTICLE] = (const float[]){
        OP_RRECT, 3, 3, 21, 21, 2,
        OP_MOVE, 7, 8, OP_LINE, 17, 8, OP_MOVE, 7, 12, OP_LINE, 17, 12, OP_MOVE, 7, 16, OP_LINE, 13, 16,
        OP_END},
    [RENDER_ICON_IMAGE_MISSING] = (const float[]){
        OP_RRECT, 3, 3, 21, 21, 2, OP_DISC, 16, 8, 2,
        OP_MOVE, 3, 18, OP_LINE, 9, 12, OP_LINE, 14, 17, OP_LINE, 17, 14, OP_LINE, 21, 18, OP_END},
    /* A loudspeaker with two sound waves. */
    [RENDER_ICON_SPEAKER] = (const float[]){
        OP_MOVE, 3, 9, OP_LINE, 7, 9, OP_LINE, 12, 4, OP_LINE, 12, 20, OP_LINE, 7, 15, OP_LINE, 3, 15,
        OP_LINE, 3, 9, OP_MOVE, 15, 9, OP_LINE, 16.5f, 12, OP_LINE, 15, 15,
        OP_MOVE, 18, 6, OP_LINE, 20.5f, 12, OP_LINE, 18, 18, OP_END},
    /* A square: stop. */
    [RENDER_ICON_STOP] = (const float[]){OP_RRECT, 6, 6, 18, 18, 2, OP_END},
    /* Shift, as on every keyboard (the fonts have no ⇧). */
    [RENDER_ICON_SHIFT] = (const float[]){
        OP_MOVE, 12, 3, OP_LINE, 21, 12, OP_LINE, 16, 12, OP_LINE, 16, 20, OP_LINE, 8, 20, OP_LINE, 8, 12,
        OP_LINE, 3, 12, OP_LINE, 12, 3, OP_END},
    [RENDER_ICON_CAPS_LOCK] = (const float[]){
        OP_MOVE, 12, 2, OP_LINE, 21, 10, OP_LINE, 16, 10, OP_LINE, 16, 15, OP_LINE, 8, 15, OP_LINE, 8, 10,
        OP_LINE, 3, 10, OP_LINE, 12, 2, OP_MOVE, 8, 20, OP_LINE, 16, 20, OP_END},
};
#define ICON_COUNT ((int)(sizeof icon_program / sizeof icon_program[0]))

/* One primitive in pixel units, ready for per-pixel distance tests. */
typedef struct {
    int kind;          /* OP_LINE (segment), OP_CIRCLE, OP_DISC or OP_RRECT */
    float x0, y0, x1, y1, rad;
} icon_prim;

#define ICON_MAX_PRIMS 96
#define ELLIPSE_SEGMENTS 40

/* Turns an icon program into primitives scaled by k (pixels per unit). */
static int icon_compile(const float *p, float k, icon_prim *out)
{
    int n = 0;
    float cx = 0, cy = 0;
    while (*p != OP_END && n < ICON_MAX_PRIMS) {
        int op = (int)*p++;
        if (op == OP_MOVE || op == OP_LINE) {
            float x = p[0] * k, y = p[1] * k;
            p += 2;
            if (op == OP_LINE)
                out[n++] = (icon_prim){OP_LINE, cx, cy, x, y, 0};
            cx = x;
            cy = y;
        } else if (op == OP_CIRCLE || op == OP_DISC) {
            out[n++] = (icon_prim){op, p[0] * k, p[1] * k, 0, 0, p[2] * k};
            p += 3;
        } else if (op == OP_RRECT) {
            out[n++] = (icon_prim){OP_RRECT, p[0] * k, p[1] * k, p[2] * k, p[3] * k, p[4] * k};
            p += 5;
        } else {
            assert(op == OP_ELLIPSE);
            /* An ellipse has no cheap exact distance; a 40-gon is closer
             * than a pixel at every size we draw. */
            float ex = p[0] * k, ey = p[1] * k, rx = p[2] * k, ry = p[3] * k;
            p += 4;
            for (int i = 0; i < ELLIPSE_SEGMENTS && n < ICON_MAX_PRIMS; i++) {
                float a0 = 2.0f * (float)M_PI * (float)i / ELLIPSE_SEGMENTS;
                float a1 = 2.0f * (float)M_PI * (float)(i + 1) / ELLIPSE_SEGMENTS;
                out[n++] = (icon_prim){OP_LINE, ex + rx * cosf(a0), ey + ry * sinf(a0),
                                       ex + rx * cosf(a1), ey + ry * sinf(a1), 0};
            }
        }
    }
    return n;
}

static float seg_dist(float px, float py, const icon_prim *s)
{
    float dx = s->x1 - s->x0, dy = s->y1 - s->y0;
    float l2 = dx * dx + dy * dy;
    float t = l2 > 0 ? clamp01(((px - s->x0) * dx + (py - s->y0) * dy) / l2) : 0;
    float ex = px - (s->x0 + t * dx), ey = py - (s->y0 + t * dy);
    return sqrtf(ex * ex + ey * ey);
}

/* Distance from a point to the outline of a rounded rectangle. */
static float rrect_dist(float px, float py, const icon_prim *s)
{
    float hx = (s->x1 - s->x0) / 2, hy = (s->y1 - s->y0) / 2;
    float qx = fabsf(px - (s->x0 + hx)) - (hx - s->rad);
    float qy = fabsf(py - (s->y0 + hy)) - (hy - s->rad);
    float ox = qx > 0 ? qx : 0, oy = qy > 0 ? qy : 0;
    float inside = qx > qy ? qx : qy;
    float sd = sqrtf(ox * ox + oy * oy) + (inside < 0 ? inside : 0) - s->rad;
    return fabsf(sd);
}

/* Coverage of the pixel centred at (px, py) by the union of the primitives. */
static float icon_coverage(const icon_prim *prims, int n, float px, float py, float half)
{
    float best = 0;
    for (int i = 0; i < n && best < 1.0f; i++) {
        const icon_prim *s = &prims[i];
        float a;
        if (s->kind == OP_LINE) {
            a = half - seg_dist(px, py, s) + 0.5f;
        } else if (s->kind == OP_RRECT) {
            a = half - rrect_dist(px, py, s) + 0.5f;
        } else {
            float d = hypotf(px - s->x0, py - s->y0);
            a = s->kind == OP_DISC ? s->rad - d + 0.5f : half - fabsf(d - s->rad) + 0.5f;
        }
        a = clamp01(a);
        best = a > best ? a : best;
    }
    return best;
}

/* An icon compiled for one side length: what icon_pixel needs per pixel. */
typedef struct {
    icon_prim prims[ICON_MAX_PRIMS];
    int n;
    float half;  /* half the stroke width in px */
} icon_shape;

static float icon_pixel(const void *ctx, float px, float py)
{
    const icon_shape *g = ctx;
    return icon_coverage(g->prims, g->n, px, py, g->half);
}

/* A white side×side texture of the icon with anti-aliased strokes. */
static SDL_Texture *icon_make(render *r, render_icon icon, int side)
{
    icon_shape g;
    float k = (float)side / ICON_GRID;
    g.n = icon_compile(icon_program[icon], k, g.prims);
    g.half = ICON_STROKE * k / 2.0f;
    if (g.half < 0.6f)
        g.half = 0.6f;  /* below ~1.2 px a stroke fades to grey */
    return render_coverage_texture(r, side, icon_pixel, &g);
}

void render_icon_draw(render *r, render_icon icon, SDL_Rect rect, render_color color)
{
    assert(r);
    assert((int)icon >= 0 && (int)icon < ICON_COUNT);
    if ((int)icon < 0 || (int)icon >= ICON_COUNT || color.a == 0)
        return;
    int side = rect.w < rect.h ? rect.w : rect.h;
    if (side <= 0)
        return;
    side = side > ICON_MAX_SIDE ? ICON_MAX_SIDE : side;
    int owned = 0;
    SDL_Texture *tex = render_shape_find(r, SHAPE_ICON, (int)icon, side);
    if (!tex) {
        tex = icon_make(r, icon, side);
        if (!tex)
            return;
        owned = render_shape_keep(r, SHAPE_ICON, (int)icon, side, tex, (size_t)side * (size_t)side * 4u) < 0;
    }
    render_tint(tex, color);
    SDL_Rect dst = {rect.x + (rect.w - side) / 2, rect.y + (rect.h - side) / 2, side, side};
    SDL_RenderCopy(r->sdl, tex, NULL, &dst);
    render_record_mark(r, dst, color, RENDER_MARK_ICON, 0);
    if (owned)
        SDL_DestroyTexture(tex);
}
