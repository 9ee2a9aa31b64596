/* render_private — what the render_*.c files share: the context struct, its
 * caches' entry types, and the helpers more than one file calls.
 *
 * Not part of the contract (render.h is): nothing outside app/render
 * includes this file.
 *
 *   render.c         the context, the LRU lists, the shape-texture cache,
 *                    white and coverage textures, clipping
 *   render_text.c    fonts, widths, the text-texture cache
 *   render_shapes.c  rectangles, rounded corners, circles, shadows
 *   render_image.c   decoding, fitting and the image cache
 *   render_icons.c   the vector icons
 *   render_png.c     screenshots as PNG
 */
#pragma once

#include <SDL_ttf.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "render.h"

/* Longest run drawn or measured at once, in bytes. Layout hands over single
 * lines and words, far shorter than this; longer input is cut at a character
 * boundary instead of being copied to the heap. */
#define TEXT_MAX_BYTES 4096
/* Open fonts: 4 faces × a dozen sizes covers every screen scale at once. */
#define FONT_SLOTS 48
/* Text cache: hash buckets (power of two). */
#define TEXT_BUCKETS 4096
/* Width cache: direct-mapped, only for runs up to WIDTH_KEY_MAX bytes (the
 * words layout measures over and over). ~300 KB. */
#define WIDTH_SLOTS 4096
#define WIDTH_KEY_MAX 48
/* Shape textures (AA discs, rings, icons): few, small, kept by count and bytes. */
#define SHAPE_SLOTS 64
#define SHAPE_CACHE_BYTES (8u * 1024u * 1024u)

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

/* A font file read into memory once (render_text.c). */
typedef struct {
    const char *path;
    void *data;   /* mmap of the whole file; NULL: not mapped (yet, or it failed) */
    size_t size;
} font_file;

#define FONT_FILES 5 /* the four faces and the fallback */

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
    font_slot fonts[FONT_SLOTS];      /* render_text.c */
    font_file files[FONT_FILES];
    int face_warned[RENDER_FACE__COUNT];
    text_entry *buckets[TEXT_BUCKETS];
    lru_list texts;
    width_slot widths[WIDTH_SLOTS];
    shape_slot shapes[SHAPE_SLOTS];   /* render.c */
    size_t shape_bytes;
    lru_list images;                  /* render_image.c */
    char scratch[TEXT_MAX_BYTES + 1]; /* NUL-terminated copy for SDL_ttf */
    render_text_rec *recs;            /* render_record_texts, or NULL */
    int recs_cap, *recs_n;
    render_mark_rec *marks;           /* render_record_marks, or NULL */
    int marks_cap, *marks_n;
};

/* Cuts box to the clip; false when nothing of it shows (render.c). */
bool render_visible_part(render *r, SDL_Rect *box);

/* Notes a mark drawn at box when recording marks (render.c). */
void render_record_mark(render *r, SDL_Rect box, render_color color, render_mark_kind kind, int thickness);

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static inline float clamp01(float v)
{
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

/* ---- render.c ------------------------------------------------------------ */

/* Unlinks n from l. */
void render_lru_remove(lru_list *l, lru_link *n);
/* Links n in as the newest entry of l. */
void render_lru_push(lru_list *l, lru_link *n);
/* Makes n the newest entry of l. */
void render_lru_touch(lru_list *l, lru_link *n);

/* "what: why" into err (when err has room). */
void render_set_err(char *err, size_t errcap, const char *what, const char *why);

/* Colour and alpha modulation of a white texture. */
void render_tint(SDL_Texture *tex, render_color c);

/* Draw colour, blending only when c is translucent. */
void render_set_draw_color(render *r, render_color c);

/* Texture from a white-with-alpha ARGB surface, blended and drawn 1:1; NULL
 * (logged) on failure. */
SDL_Texture *render_white_texture(render *r, SDL_Surface *s);

/* Coverage (0..1) of the pixel whose centre is (px, py). */
typedef float (*render_coverage_fn)(const void *ctx, float px, float py);

/* A white side×side texture whose alpha is coverage at each pixel centre
 * (anti-aliased rings and icons); NULL on failure. */
SDL_Texture *render_coverage_texture(render *r, int side, render_coverage_fn coverage, const void *ctx);

/* Cached shape texture for (kind, a, b), or NULL on a miss. */
SDL_Texture *render_shape_find(render *r, shape_kind kind, int a, int b);

/* Keeps tex in the shape cache. Returns 0, or -1 when it is too large to
 * keep (the caller then destroys it after drawing). */
int render_shape_keep(render *r, shape_kind kind, int a, int b, SDL_Texture *tex, size_t bytes);

/* ---- render_text.c ------------------------------------------------------- */

/* Drops every cached text texture. */
void render_text_clear(render *r);

/* Closes every open font. */
void render_fonts_close(render *r);

/* ---- render_image.c ------------------------------------------------------ */

/* Drops every cached image. */
void render_image_clear(render *r);
