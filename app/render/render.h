/* render — drawing with SDL2: fonts, cached text runs, shapes and images.
 *
 * The only module that calls SDL_ttf and SDL_image. It draws what the ui asks
 * for and knows nothing about content rules. One TTF_Font per face and pixel
 * size, opened on first use. Rendered text runs are kept as textures in an
 * LRU cache capped in bytes (RENDER_TEXT_CACHE_BYTES); images decoded from
 * bundle assets are kept in a second small cache.
 *
 * Works the same on a window's renderer and on a software renderer that
 * draws into a surface (screenshots, tests).
 *
 * Implemented one job per file (render.c, render_text.c, render_shapes.c,
 * render_image.c, render_icons.c, render_png.c); render_private.h is the map. */
#pragma once

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

/* Font faces. */
typedef enum {
    RENDER_FACE_REGULAR,
    RENDER_FACE_BOLD,
    RENDER_FACE_ITALIC,
    RENDER_FACE_BOLD_ITALIC,
    RENDER_FACE__COUNT
} render_face;

/* Budget for cached text textures (4 bytes per pixel), one entry per face,
 * size, colour and text. Measured with infopoint-bench ui at 1920×1080:
 * 4 MB keeps reader frames at p99 ~2 ms and scroll frames under 6 ms, as
 * 16 MB did, and holds peak RSS after a tour of every screen at 37 MB
 * (40 MB at 8 MB, 45 MB at 16 MB, heap fragmentation included). */
#define RENDER_TEXT_CACHE_BYTES (4u * 1024u * 1024u)
/* Budget for decoded images. */
#define RENDER_IMAGE_CACHE_BYTES (24u * 1024u * 1024u)
/* Combining marks drawn on one character; more are left out (they would
 * stack far outside the line). Kazakh, Russian and English need one. */
#define RENDER_MAX_MARKS 2

typedef struct render render;

typedef struct {
    uint8_t r, g, b, a;
} render_color;

/* Creates a render context on an existing SDL renderer. Font paths come from
 * the build (fonts/fonts.txt); NULL with err when the regular face cannot
 * be opened. */
render *render_create(SDL_Renderer *sdl, char *err, size_t errcap);

/* Frees fonts, caches and the context (not the SDL renderer). */
void render_destroy(render *r);

/* Width in pixels of text (UTF-8, len bytes) in face at size px. */
int render_text_width(render *r, render_face face, int size_px, const char *text, size_t len);

/* Line height (ascent + descent + gap) in pixels for face at size px. */
int render_line_height(render *r, render_face face, int size_px);

/* Draws text with its top-left at (x, y). Runs are cached per colour (alpha
 * is applied at draw time); a string that does not fit the cache is drawn
 * uncached. */
void render_text(render *r, render_face face, int size_px, const char *text, size_t len,
                 int x, int y, render_color color);

/* Filled rectangle with corners of radius px (0: square corners). */
void render_fill_rect(render *r, SDL_Rect rect, int radius, render_color color);

/* Rectangle outline of thickness px with rounded corners. */
void render_stroke_rect(render *r, SDL_Rect rect, int radius, int thickness, render_color color);

/* Filled circle (page dots, radio marks). */
void render_fill_circle(render *r, int cx, int cy, int radius, render_color color);

/* Soft drop shadow under rect (a few translucent rounded rects). */
void render_shadow(render *r, SDL_Rect rect, int radius, int spread);

/* Draws an image from encoded bytes (PNG/JPEG), scaled into dst. key names
 * the image in the cache (e.g. the asset name); bytes are only decoded on a
 * miss. Returns 0, or -1 when the image cannot be decoded (the caller draws a
 * placeholder). */
int render_image(render *r, const char *key, const void *bytes, size_t size, SDL_Rect dst);

/* The same, but filling dst without distortion: the image is scaled to
 * cover dst and the overhang cut off evenly (a cover picture on a row). */
int render_image_fill(render *r, const char *key, const void *bytes, size_t size, SDL_Rect dst);

/* 1 when key's image is in the cache (drawn, or known not to decode), so
 * render_image needs no bytes for it. */
int render_image_cached(render *r, const char *key);

/* Simple vector icons for the top bar and buttons, drawn into rect. */
typedef enum {
    RENDER_ICON_HOME,
    RENDER_ICON_BACK,
    RENDER_ICON_SEARCH,
    RENDER_ICON_TEXT_SIZE,
    RENDER_ICON_CHEVRON_LEFT,
    RENDER_ICON_CHEVRON_RIGHT,
    RENDER_ICON_CLOSE,
    RENDER_ICON_BACKSPACE,
    RENDER_ICON_GLOBE,
    RENDER_ICON_DOCUMENT,
    RENDER_ICON_CARDS,
    RENDER_ICON_ARTICLE,
    RENDER_ICON_IMAGE_MISSING,
    RENDER_ICON_SPEAKER,
    RENDER_ICON_STOP,
    RENDER_ICON_SHIFT,     /* the keyboard's shift: an outlined arrow up */
    RENDER_ICON_CAPS_LOCK  /* shift held: the arrow over a bar */
} render_icon;

/* Draws an icon centred in rect with stroke thickness proportional to size. */
void render_icon_draw(render *r, render_icon icon, SDL_Rect rect, render_color color);

/* Moves the origin of all drawing (and of clips) to rect's corner and
 * keeps drawing inside it; NULL: the whole target again. */
void render_viewport(render *r, const SDL_Rect *rect);

/* Restricts drawing to rect (NULL: the whole target again). */
void render_clip(render *r, const SDL_Rect *rect);

/* One run of text as drawn (its box cut to the clip), for checks that read
 * the pixels behind it: the accessibility test's contrast. */
typedef struct {
    SDL_Rect box;
    render_color color;
    render_face face;
    int size_px;
    int chars;   /* characters of the run (spaces and controls left out) */
    int missing; /* of them, those the face has no glyph for: drawn as a box */
    int ellipsis; /* 1: the run is "…" alone, as a layout draws it where it cut a text */
} render_text_rec;

/* From now on every render_text is recorded into recs (at most cap; *n
 * counts every run, also those past cap); recs NULL stops. For tests. */
void render_record_texts(render *r, render_text_rec *recs, int cap, int *n);

/* What a control is recognised by when it is not text: an outline (a field,
 * a key), a dot (page and PIN dots), an icon (back, home, speaker). */
typedef enum { RENDER_MARK_OUTLINE, RENDER_MARK_DOT, RENDER_MARK_ICON } render_mark_kind;

/* One such mark as drawn (its box cut to the clip), for the non-text
 * contrast check (WCAG 1.4.11 asks 3:1 against what is next to it). */
typedef struct {
    SDL_Rect box;
    render_color color;
    render_mark_kind kind;
    int thickness; /* outline: its stroke; else 0 */
} render_mark_rec;

/* From now on every render_stroke_rect, render_fill_circle and
 * render_icon_draw is recorded into recs (at most cap; *n counts all);
 * recs NULL stops. For tests. */
void render_record_marks(render *r, render_mark_rec *recs, int cap, int *n);

/* Drops every cached texture (after a content swap or a renderer reset). */
void render_flush(render *r);

/* Bytes currently held by the text cache and the image cache. */
size_t render_cache_bytes(render *r);

/* Opens the font file at path as the kiosk would (SDL_ttf, no video
 * needed) and closes it. Returns 0, or -1 with SDL_ttf's reason in err. */
int render_font_check(const char *path, char *err, size_t errcap);

/* Writes the renderer's current target as a PNG. Returns 0 or -1 with err. */
int render_save_png(SDL_Renderer *sdl, int w, int h, const char *path, char *err, size_t errcap);

/* Writes sdl's target surface s (ARGB8888, what a software renderer made
 * with SDL_CreateSoftwareRenderer(s) draws into) as a PNG without copying
 * it: what was drawn is flushed first, and s is made opaque in place (a
 * screen has no transparency). Returns 0 or -1 with err. */
int render_save_surface_png(SDL_Renderer *sdl, SDL_Surface *s, const char *path, char *err, size_t errcap);

/* render_save_png scaled down (bilinear) to at most max_w pixels wide, for
 * a picture sent over the network. Returns 0 or -1 with err. */
int render_save_png_scaled(SDL_Renderer *sdl, int w, int h, int max_w, const char *path, char *err, size_t errcap);
