#include "render.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts_paths.h"
#include "imginfo.h"
#include "platform.h"
#include "utf8.h"

/* Longest run drawn or measured at once, in bytes. Layout hands over single
 * lines and words, far shorter than this; longer input is cut at a character
 * boundary instead of being copied to the heap. */
#define TEXT_MAX_BYTES 4096
/* Font sizes outside this range are clamped (FreeType handles them, but a
 * 2000 px run would be a texture no GPU accepts). */
#define FONT_MIN_PX 4
#define FONT_MAX_PX 512
/* Open fonts: 4 faces × a dozen sizes covers every screen scale at once. */
#define FONT_SLOTS 48
/* Text cache: hash buckets (power of two) and an entry cap on top of the byte
 * cap, so a flood of one-letter runs cannot make the chains long. */
#define TEXT_BUCKETS 4096
#define TEXT_MAX_ENTRIES 16384
/* Width cache: direct-mapped, only for runs up to WIDTH_KEY_MAX bytes (the
 * words layout measures over and over). ~300 KB. */
#define WIDTH_SLOTS 4096
#define WIDTH_KEY_MAX 48
/* Shape textures (AA discs, rings, icons): few, small, kept by count and bytes. */
#define SHAPE_SLOTS 64
#define SHAPE_CACHE_BYTES (8u * 1024u * 1024u)
/* Images: entries (decode failures are remembered too) and the longest key. */
#define IMAGE_MAX_ENTRIES 64
#define IMAGE_KEY_MAX 512
/* Refuse to decode images bigger than this many pixels (64 MB as ARGB) on a
 * 1 GB board; the bundle tool keeps real assets far below it. */
#define IMAGE_MAX_PIXELS (16u * 1024u * 1024u)
/* Icons are designed on a 24-unit grid with 2-unit strokes. */
#define ICON_GRID 24.0f
#define ICON_STROKE 2.0f
#define ICON_MAX_SIDE 1024
#define SHADOW_LAYERS 4
#define SHADOW_ALPHA 12

/* Intrusive LRU list: the link is the first member of each entry. */
typedef struct lru_link {
    struct lru_link *newer, *older;
} lru_link;

typedef struct {
    lru_link *newest, *oldest;
    size_t bytes;  /* texture bytes (w*h*4) of all entries */
    size_t count;
} lru_list;

typedef struct {
    TTF_Font *font;  /* NULL: free slot */
    int face, size;
    uint64_t used;   /* tick of last use, for closing the least recently used */
} font_slot;

typedef struct text_entry {
    lru_link link;            /* first: cast from lru_link */
    struct text_entry *chain; /* next in the hash bucket */
    uint64_t hash;
    SDL_Texture *tex;         /* text in its colour; alpha set at draw time */
    int w, h;
    size_t bytes;
    int face, size;
    uint32_t rgb;             /* the colour it was rendered in */
    size_t len;
    char text[];              /* len bytes, no NUL */
} text_entry;

typedef struct {
    uint64_t hash;  /* 0: empty */
    int face, size, width;
    uint8_t len;
    char text[WIDTH_KEY_MAX];
} width_slot;

typedef enum {
    SHAPE_RING,  /* a: outer radius, b: inner radius (0: disc) */
    SHAPE_ICON   /* a: render_icon, b: side in px */
} shape_kind;

typedef struct {
    SDL_Texture *tex;  /* NULL: free slot */
    shape_kind kind;
    int a, b;
    size_t bytes;
    uint64_t used;
} shape_slot;

typedef struct image_entry {
    lru_link link;     /* first: cast from lru_link */
    SDL_Texture *tex;  /* NULL: the bytes did not decode; remembered so a
                        * broken asset is not decoded again every frame */
    size_t bytes;
    char key[];
} image_entry;

struct render {
    SDL_Renderer *sdl;
    uint64_t tick;                    /* use counter for fonts and shapes */
    font_slot fonts[FONT_SLOTS];
    int face_warned[RENDER_FACE__COUNT];
    text_entry *buckets[TEXT_BUCKETS];
    lru_list texts;
    width_slot widths[WIDTH_SLOTS];
    shape_slot shapes[SHAPE_SLOTS];
    size_t shape_bytes;
    lru_list images;
    char scratch[TEXT_MAX_BYTES + 1]; /* NUL-terminated copy for SDL_ttf */
};


/* ---- LRU list ---------------------------------------------------------- */

static void lru_remove(lru_list *l, lru_link *n)
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

static void lru_push(lru_list *l, lru_link *n)
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

static void lru_touch(lru_list *l, lru_link *n)
{
    if (l->newest == n)
        return;
    lru_remove(l, n);
    lru_push(l, n);
}

/* ---- small helpers ----------------------------------------------------- */

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static float clamp01(float v)
{
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

static void set_err(char *err, size_t errcap, const char *what, const char *why)
{
    if (err && errcap)
        snprintf(err, errcap, "%s: %s", what, why);
}

static render_face valid_face(render_face face)
{
    assert(face >= 0 && face < RENDER_FACE__COUNT);
    return face >= 0 && face < RENDER_FACE__COUNT ? face : RENDER_FACE_REGULAR;
}

/* Cuts len to TEXT_MAX_BYTES without splitting a UTF-8 sequence. */
static size_t cut_len(const char *text, size_t len)
{
    if (len <= TEXT_MAX_BYTES)
        return len;
    return utf8_cut(text, TEXT_MAX_BYTES);
}

/* SDL_ttf wants NUL-terminated strings; callers hand us slices of larger
 * buffers (words inside a paragraph). */
static const char *to_scratch(render *r, const char *text, size_t len)
{
    memcpy(r->scratch, text, len);
    r->scratch[len] = '\0';
    return r->scratch;
}

/* FNV-1a over face, size and bytes; never 0 (0 marks an empty width slot). */
static uint64_t text_hash(int face, int size, uint32_t rgb, const char *text, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    h = (h ^ (uint64_t)face) * 1099511628211ull;
    h = (h ^ (uint64_t)rgb) * 1099511628211ull;
    h = (h ^ (uint64_t)size) * 1099511628211ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
    return h ? h : 1;
}

static void tint(SDL_Texture *tex, render_color c)
{
    SDL_SetTextureColorMod(tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(tex, c.a);
}

static void set_draw_color(render *r, render_color c)
{
    /* Opaque fills need no blending: a full-screen background fill costs
     * 0.3 ms without it and 8.5 ms with it in the software renderer. */
    SDL_SetRenderDrawBlendMode(r->sdl, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r->sdl, c.r, c.g, c.b, c.a);
}

/* Texture from a white-with-alpha ARGB surface, blended and drawn 1:1. */
static SDL_Texture *white_texture(render *r, SDL_Surface *s)
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

/* ---- fonts ------------------------------------------------------------- */

static const char *const face_path[RENDER_FACE__COUNT] = {
    [RENDER_FACE_REGULAR] = FONT_PATH_REGULAR,
    [RENDER_FACE_BOLD] = FONT_PATH_BOLD,
    [RENDER_FACE_ITALIC] = FONT_PATH_ITALIC,
    [RENDER_FACE_BOLD_ITALIC] = FONT_PATH_BOLDITALIC,
};

static const int face_style[RENDER_FACE__COUNT] = {
    [RENDER_FACE_REGULAR] = TTF_STYLE_NORMAL,
    [RENDER_FACE_BOLD] = TTF_STYLE_BOLD,
    [RENDER_FACE_ITALIC] = TTF_STYLE_ITALIC,
    [RENDER_FACE_BOLD_ITALIC] = TTF_STYLE_BOLD | TTF_STYLE_ITALIC,
};

/* Opens face at size; a missing face file falls back to the regular face
 * with FreeType's synthetic bold/slant (emphasis stays visible), then to the
 * fallback font, so text never disappears because one file is gone. */
static TTF_Font *font_open(render *r, render_face face, int size)
{
    int style = TTF_STYLE_NORMAL;
    TTF_Font *f = TTF_OpenFont(face_path[face], size);
    if (!f) {
        if (!r->face_warned[face]) {
            r->face_warned[face] = 1;
            platform_log(PLATFORM_LOG_WARN, "render: cannot open %s (%s); using the regular face",
                         face_path[face], TTF_GetError());
        }
        style = face_style[face];
        f = TTF_OpenFont(FONT_PATH_REGULAR, size);
    }
    if (!f)
        f = TTF_OpenFont(FONT_PATH_FALLBACK, size);
    if (!f) {
        platform_log(PLATFORM_LOG_ERROR, "render: no font opens at %d px: %s", size, TTF_GetError());
        return NULL;
    }
    TTF_SetFontStyle(f, style);
    /* Light hinting keeps glyph shapes (strong hinting distorts Cyrillic at
     * small sizes) while snapping vertical metrics for crisp baselines. */
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    TTF_SetFontKerning(f, 1);
    return f;
}

/* The open font for (face, size), opening it on first use; when the table
 * is full the least recently used font is closed. */
static TTF_Font *font_get(render *r, render_face face, int size)
{
    font_slot *victim = NULL;
    r->tick++;
    for (int i = 0; i < FONT_SLOTS; i++) {
        font_slot *s = &r->fonts[i];
        if (s->font && s->face == (int)face && s->size == size) {
            s->used = r->tick;
            return s->font;
        }
        if (!victim || (victim->font && (!s->font || s->used < victim->used)))
            victim = s;
    }
    TTF_Font *f = font_open(r, face, size);
    if (!f)
        return NULL;
    if (victim->font)
        TTF_CloseFont(victim->font);
    *victim = (font_slot){.font = f, .face = (int)face, .size = size, .used = r->tick};
    return f;
}

/* ---- text -------------------------------------------------------------- */

int render_text_width(render *r, render_face face, int size_px, const char *text, size_t len)
{
    assert(r);
    if (!text || len == 0 || size_px <= 0)
        return 0;
    face = valid_face(face);
    int size = clampi(size_px, FONT_MIN_PX, FONT_MAX_PX);
    len = cut_len(text, len);
    uint64_t h = text_hash((int)face, size, 0, text, len);
    width_slot *slot = NULL;
    if (len <= WIDTH_KEY_MAX) {
        slot = &r->widths[h & (WIDTH_SLOTS - 1)];
        if (slot->hash == h && slot->face == (int)face && slot->size == size && slot->len == len &&
            memcmp(slot->text, text, len) == 0)
            return slot->width;
    }
    TTF_Font *f = font_get(r, face, size);
    int w = 0;
    if (!f || TTF_SizeUTF8(f, to_scratch(r, text, len), &w, NULL) < 0)
        return 0;
    if (slot) {
        slot->hash = h;
        slot->face = (int)face;
        slot->size = size;
        slot->width = w;
        slot->len = (uint8_t)len;
        memcpy(slot->text, text, len);
    }
    return w;
}

int render_line_height(render *r, render_face face, int size_px)
{
    assert(r);
    if (size_px <= 0)
        return 0;
    TTF_Font *f = font_get(r, valid_face(face), clampi(size_px, FONT_MIN_PX, FONT_MAX_PX));
    return f ? TTF_FontLineSkip(f) : 0;
}

static text_entry *text_find(render *r, uint64_t h, int face, int size, uint32_t rgb, const char *text,
                             size_t len)
{
    for (text_entry *e = r->buckets[h & (TEXT_BUCKETS - 1)]; e; e = e->chain)
        if (e->hash == h && e->face == face && e->size == size && e->rgb == rgb && e->len == len &&
            memcmp(e->text, text, len) == 0)
            return e;
    return NULL;
}

static void text_evict(render *r, text_entry *e)
{
    text_entry **p = &r->buckets[e->hash & (TEXT_BUCKETS - 1)];
    while (*p != e)
        p = &(*p)->chain;
    *p = e->chain;
    lru_remove(&r->texts, &e->link);
    r->texts.bytes -= e->bytes;
    SDL_DestroyTexture(e->tex);
    free(e);
}

/* Renders a run in white; the texture is w×h with h the font height. */
static SDL_Texture *text_texture(render *r, render_face face, int size, render_color c, const char *text,
                                 size_t len, int *w, int *h)
{
    TTF_Font *f = font_get(r, face, size);
    if (!f)
        return NULL;
    SDL_Color colour = {c.r, c.g, c.b, 255};
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, to_scratch(r, text, len), colour);
    if (!s)
        return NULL;  /* zero-width text (e.g. only a NUL) is not an error worth logging */
    SDL_Texture *tex = white_texture(r, s);
    *w = s->w;
    *h = s->h;
    SDL_FreeSurface(s);
    return tex;
}

/* Adds a rendered run to the cache, evicting the oldest runs to make room.
 * Returns NULL (caller keeps ownership of tex) when the run alone is larger
 * than the cache or memory is short. */
static text_entry *text_insert(render *r, uint64_t h, int face, int size, uint32_t rgb, const char *text,
                               size_t len, SDL_Texture *tex, int w, int th)
{
    size_t bytes = (size_t)w * (size_t)th * 4u;
    if (bytes > RENDER_TEXT_CACHE_BYTES)
        return NULL;
    text_entry *e = malloc(sizeof *e + len);
    if (!e)
        return NULL;
    while (r->texts.oldest &&
           (r->texts.bytes + bytes > RENDER_TEXT_CACHE_BYTES || r->texts.count >= TEXT_MAX_ENTRIES))
        text_evict(r, (text_entry *)r->texts.oldest);
    *e = (text_entry){.hash = h, .tex = tex, .w = w, .h = th, .bytes = bytes, .face = face,
                      .size = size, .rgb = rgb, .len = len};
    memcpy(e->text, text, len);
    text_entry **bucket = &r->buckets[h & (TEXT_BUCKETS - 1)];
    e->chain = *bucket;
    *bucket = e;
    lru_push(&r->texts, &e->link);
    r->texts.bytes += bytes;
    return e;
}

void render_text(render *r, render_face face, int size_px, const char *text, size_t len, int x,
                 int y, render_color color)
{
    assert(r);
    if (!text || len == 0 || size_px <= 0 || color.a == 0)
        return;
    face = valid_face(face);
    int size = clampi(size_px, FONT_MIN_PX, FONT_MAX_PX);
    len = cut_len(text, len);
    /* Text is cached in its colour: a texture tinted at draw time (colour
     * mod) takes SDL's slow per-pixel path in the software renderer, about
     * 13x slower than a plain blend (measured by infopoint-bench ui). The
     * UI uses a handful of colours, so the cache holds few duplicates. */
    uint32_t rgb = (uint32_t)color.r << 16 | (uint32_t)color.g << 8 | color.b;
    uint64_t h = text_hash((int)face, size, rgb, text, len);
    text_entry *e = text_find(r, h, (int)face, size, rgb, text, len);
    if (e) {
        lru_touch(&r->texts, &e->link);
        SDL_SetTextureAlphaMod(e->tex, color.a);
        SDL_RenderCopy(r->sdl, e->tex, NULL, &(SDL_Rect){x, y, e->w, e->h});
        return;
    }
    int w = 0, th = 0;
    SDL_Texture *tex = text_texture(r, face, size, color, text, len, &w, &th);
    if (!tex)
        return;
    SDL_SetTextureAlphaMod(tex, color.a);
    SDL_RenderCopy(r->sdl, tex, NULL, &(SDL_Rect){x, y, w, th});
    if (!text_insert(r, h, (int)face, size, rgb, text, len, tex, w, th))
        SDL_DestroyTexture(tex);
}

/* ---- shapes: AA rings and discs ---------------------------------------- */

/* Looks up a cached shape texture; NULL on a miss. */
static SDL_Texture *shape_find(render *r, shape_kind kind, int a, int b)
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

/* Keeps tex in the shape cache. Returns 0, or -1 when it is too large to
 * keep (the caller then destroys it after drawing). */
static int shape_keep(render *r, shape_kind kind, int a, int b, SDL_Texture *tex, size_t bytes)
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

/* A white (2·outer)² texture of a ring with anti-aliased edges. */
static SDL_Texture *ring_make(render *r, int outer, int inner)
{
    int side = 2 * outer;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (int y = 0; y < side; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < side; x++) {
            float dx = (float)x + 0.5f - (float)outer, dy = (float)y + 0.5f - (float)outer;
            float a = ring_coverage(sqrtf(dx * dx + dy * dy), (float)outer, (float)inner);
            row[x] = ((uint32_t)(a * 255.0f + 0.5f) << 24) | 0x00FFFFFFu;
        }
    }
    SDL_Texture *tex = white_texture(r, s);
    SDL_FreeSurface(s);
    return tex;
}

/* Ring texture (inner 0: disc). *owned is set when the caller must destroy
 * it after drawing because it was too large to cache. */
static SDL_Texture *ring_get(render *r, int outer, int inner, int *owned)
{
    *owned = 0;
    if (inner < 0)
        inner = 0;
    SDL_Texture *tex = shape_find(r, SHAPE_RING, outer, inner);
    if (tex)
        return tex;
    tex = ring_make(r, outer, inner);
    if (tex && shape_keep(r, SHAPE_RING, outer, inner, tex, (size_t)outer * (size_t)outer * 16u) < 0)
        *owned = 1;
    return tex;
}

/* Draws the four quadrants of a (2·rad)² ring texture into the corners of rc. */
static void draw_corners(render *r, SDL_Texture *tex, SDL_Rect rc, int rad, render_color c)
{
    tint(tex, c);
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
    set_draw_color(r, color);
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
    if (2 * t >= rc.w || 2 * t >= rc.h) {
        render_fill_rect(r, rc, radius, color);
        return;
    }
    int rad = clampi(radius, 0, (rc.w < rc.h ? rc.w : rc.h) / 2);
    set_draw_color(r, color);
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
    tint(tex, color);
    SDL_RenderCopy(r->sdl, tex, NULL, &(SDL_Rect){cx - radius, cy - radius, 2 * radius, 2 * radius});
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

/* ---- images ------------------------------------------------------------ */

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
    lru_remove(&r->images, &e->link);
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
    if ((uint64_t)info.width * info.height > IMAGE_MAX_PIXELS) {
        snprintf(why, sizeof why, "%ux%u is too large", info.width, info.height);
        goto fail;
    }
    raw = IMG_Load_RW(SDL_RWFromConstMem(bytes, (int)size), 1);
    if (!raw) {
        snprintf(why, sizeof why, "%s", IMG_GetError());
        goto fail;
    }
    int has_alpha = SDL_ISPIXELFORMAT_ALPHA(raw->format->format) || raw->format->palette;
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
    lru_push(&r->images, &e->link);
    r->images.bytes += bytes;
    return 0;
}

int render_image(render *r, const char *key, const void *bytes, size_t size, SDL_Rect dst)
{
    assert(r);
    image_entry *e = key ? image_find(r, key) : NULL;
    if (e) {
        lru_touch(&r->images, &e->link);
        if (!e->tex)
            return -1;
        SDL_RenderCopy(r->sdl, e->tex, NULL, &dst);
        return 0;
    }
    size_t tex_bytes = 0;
    SDL_Texture *tex = image_decode(r, key, bytes, size, &tex_bytes);
    if (tex)
        SDL_RenderCopy(r->sdl, tex, NULL, &dst);
    if ((!key || image_keep(r, key, tex, tex_bytes) < 0) && tex)
        SDL_DestroyTexture(tex);
    return tex ? 0 : -1;
}

/* ---- icons ------------------------------------------------------------- */

/* Icons are small programs on a 24-unit grid, stroked 2 units wide with round
 * caps and joins (like Feather/Lucide). Whole-unit coordinates for straight
 * strokes keep them pixel-sharp at 24, 48, 72 and 96 px. */
enum { OP_END, OP_MOVE, OP_LINE, OP_CIRCLE, OP_DISC, OP_RRECT, OP_ELLIPSE };

static const float icon_home[] = {
    OP_MOVE, 3, 10, OP_LINE, 12, 3, OP_LINE, 21, 10,
    OP_MOVE, 5, 8.5f, OP_LINE, 5, 20, OP_LINE, 19, 20, OP_LINE, 19, 8.5f,
    OP_MOVE, 10, 20, OP_LINE, 10, 14, OP_LINE, 14, 14, OP_LINE, 14, 20, OP_END};
static const float icon_back[] = {
    OP_MOVE, 20, 12, OP_LINE, 4, 12, OP_MOVE, 11, 5, OP_LINE, 4, 12, OP_LINE, 11, 19, OP_END};
static const float icon_search[] = {
    OP_CIRCLE, 10, 10, 7, OP_MOVE, 15, 15, OP_LINE, 21, 21, OP_END};
static const float icon_text_size[] = {
    OP_MOVE, 1, 20, OP_LINE, 7, 4, OP_LINE, 13, 20, OP_MOVE, 3.25f, 14, OP_LINE, 10.75f, 14,
    OP_MOVE, 15, 20, OP_LINE, 19, 10, OP_LINE, 23, 20, OP_MOVE, 16.2f, 17, OP_LINE, 21.8f, 17,
    OP_END};
static const float icon_chevron_left[] = {
    OP_MOVE, 15, 5, OP_LINE, 8, 12, OP_LINE, 15, 19, OP_END};
static const float icon_chevron_right[] = {
    OP_MOVE, 9, 5, OP_LINE, 16, 12, OP_LINE, 9, 19, OP_END};
static const float icon_close[] = {
    OP_MOVE, 6, 6, OP_LINE, 18, 18, OP_MOVE, 18, 6, OP_LINE, 6, 18, OP_END};
static const float icon_backspace[] = {
    OP_MOVE, 8, 5, OP_LINE, 21, 5, OP_LINE, 21, 19, OP_LINE, 8, 19, OP_LINE, 2, 12, OP_LINE, 8, 5,
    OP_MOVE, 11, 9, OP_LINE, 17, 15, OP_MOVE, 17, 9, OP_LINE, 11, 15, OP_END};
static const float icon_globe[] = {
    OP_CIRCLE, 12, 12, 9, OP_ELLIPSE, 12, 12, 4, 9, OP_MOVE, 3, 12, OP_LINE, 21, 12, OP_END};
static const float icon_document[] = {
    OP_MOVE, 14, 3, OP_LINE, 6, 3, OP_LINE, 6, 21, OP_LINE, 18, 21, OP_LINE, 18, 7, OP_LINE, 14, 3,
    OP_LINE, 14, 7, OP_LINE, 18, 7,
    OP_MOVE, 9, 12, OP_LINE, 15, 12, OP_MOVE, 9, 16, OP_LINE, 15, 16, OP_END};
static const float icon_cards[] = {
    OP_RRECT, 3, 8, 17, 21, 2,
    OP_MOVE, 7, 8, OP_LINE, 7, 4, OP_LINE, 21, 4, OP_LINE, 21, 17, OP_LINE, 17, 17, OP_END};
static const float icon_article[] = {
    OP_RRECT, 3, 3, 21, 21, 2,
    OP_MOVE, 7, 8, OP_LINE, 17, 8, OP_MOVE, 7, 12, OP_LINE, 17, 12, OP_MOVE, 7, 16, OP_LINE, 13, 16,
    OP_END};
static const float icon_image_missing[] = {
    OP_RRECT, 3, 3, 21, 21, 2, OP_DISC, 16, 8, 2,
    OP_MOVE, 3, 18, OP_LINE, 9, 12, OP_LINE, 14, 17, OP_LINE, 17, 14, OP_LINE, 21, 18, OP_END};

static const float *const icon_program[] = {
    [RENDER_ICON_HOME] = icon_home,
    [RENDER_ICON_BACK] = icon_back,
    [RENDER_ICON_SEARCH] = icon_search,
    [RENDER_ICON_TEXT_SIZE] = icon_text_size,
    [RENDER_ICON_CHEVRON_LEFT] = icon_chevron_left,
    [RENDER_ICON_CHEVRON_RIGHT] = icon_chevron_right,
    [RENDER_ICON_CLOSE] = icon_close,
    [RENDER_ICON_BACKSPACE] = icon_backspace,
    [RENDER_ICON_GLOBE] = icon_globe,
    [RENDER_ICON_DOCUMENT] = icon_document,
    [RENDER_ICON_CARDS] = icon_cards,
    [RENDER_ICON_ARTICLE] = icon_article,
    [RENDER_ICON_IMAGE_MISSING] = icon_image_missing,
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

/* A white side×side texture of the icon with anti-aliased strokes. */
static SDL_Texture *icon_make(render *r, render_icon icon, int side)
{
    icon_prim prims[ICON_MAX_PRIMS];
    float k = (float)side / ICON_GRID;
    int n = icon_compile(icon_program[icon], k, prims);
    float half = ICON_STROKE * k / 2.0f;
    if (half < 0.6f)
        half = 0.6f;  /* below ~1.2 px a stroke fades to grey */
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (int y = 0; y < side; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < side; x++) {
            float a = icon_coverage(prims, n, (float)x + 0.5f, (float)y + 0.5f, half);
            row[x] = ((uint32_t)(a * 255.0f + 0.5f) << 24) | 0x00FFFFFFu;
        }
    }
    SDL_Texture *tex = white_texture(r, s);
    SDL_FreeSurface(s);
    return tex;
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
    SDL_Texture *tex = shape_find(r, SHAPE_ICON, (int)icon, side);
    if (!tex) {
        tex = icon_make(r, icon, side);
        if (!tex)
            return;
        owned = shape_keep(r, SHAPE_ICON, (int)icon, side, tex, (size_t)side * (size_t)side * 4u) < 0;
    }
    tint(tex, color);
    SDL_Rect dst = {rect.x + (rect.w - side) / 2, rect.y + (rect.h - side) / 2, side, side};
    SDL_RenderCopy(r->sdl, tex, NULL, &dst);
    if (owned)
        SDL_DestroyTexture(tex);
}

/* ---- context ----------------------------------------------------------- */

render *render_create(SDL_Renderer *sdl, char *err, size_t errcap)
{
    assert(sdl);
    int ttf_started = 0;
    render *r = calloc(1, sizeof *r);
    if (!r) {
        set_err(err, errcap, "render", "out of memory");
        goto fail;
    }
    r->sdl = sdl;
    /* TTF_Init counts calls and TTF_Quit undoes one, so each context holds
     * its own reference and other users of SDL_ttf are unaffected. */
    if (TTF_Init() < 0) {
        set_err(err, errcap, "cannot start SDL_ttf", TTF_GetError());
        goto fail;
    }
    ttf_started = 1;
    /* Open the regular face now, so a missing font package is reported at
     * start-up and not as blank buttons later. */
    TTF_Font *f = TTF_OpenFont(FONT_PATH_REGULAR, 16);
    if (!f) {
        set_err(err, errcap, "cannot open " FONT_PATH_REGULAR, TTF_GetError());
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
    while (r->texts.oldest)
        text_evict(r, (text_entry *)r->texts.oldest);
    while (r->images.oldest)
        image_evict(r, (image_entry *)r->images.oldest);
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
    for (int i = 0; i < FONT_SLOTS; i++)
        if (r->fonts[i].font)
            TTF_CloseFont(r->fonts[i].font);
    TTF_Quit();
    free(r);
}

size_t render_cache_bytes(render *r)
{
    assert(r);
    return r->texts.bytes + r->images.bytes;
}

int render_font_check(const char *path, char *err, size_t errcap)
{
    /* SDL_ttf needs FreeType only, no video. TTF_Init counts its callers,
     * so this works beside a running render context. */
    if (TTF_Init() < 0) {
        snprintf(err, errcap, "SDL_ttf does not start: %s", TTF_GetError());
        return -1;
    }
    TTF_Font *f = TTF_OpenFont(path, 16);
    if (!f)
        snprintf(err, errcap, "%s", TTF_GetError());
    else
        TTF_CloseFont(f);
    TTF_Quit();
    return f ? 0 : -1;
}

int render_save_png(SDL_Renderer *sdl, int w, int h, const char *path, char *err, size_t errcap)
{
    assert(sdl && path);
    SDL_Surface *s = NULL;
    if (w <= 0 || h <= 0) {
        set_err(err, errcap, path, "empty size");
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
    if (IMG_SavePNG(s, path) < 0)
        goto fail;
    SDL_FreeSurface(s);
    return 0;
fail:
    set_err(err, errcap, path, SDL_GetError());
    SDL_FreeSurface(s);
    return -1;
}
