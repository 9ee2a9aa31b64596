/* render_text — fonts, text widths and the text-texture cache (see
 * render.h). One TTF_Font per face and pixel size, opened on first use;
 * widths of short runs in a direct-mapped cache; rendered runs as textures
 * in an LRU capped in bytes. */
#include "render_private.h"

#include <SDL_ttf.h>
#include <assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fonts_paths.h"
#include "platform.h"
#include "utf8.h"

/* Font sizes outside this range are clamped (FreeType handles them, but a
 * 2000 px run would be a texture no GPU accepts). */
#define FONT_MIN_PX 4
#define FONT_MAX_PX 512
/* Text cache: an entry cap on top of the byte cap, so a flood of one-letter
 * runs cannot make the chains long. */
#define TEXT_MAX_ENTRIES 16384

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

/* The byte length of the combining mark at p (U+0300–036F, 0483–0489,
 * 1AB0–1AFF, 1DC0–1DFF, 20D0–20FF, FE20–FE2F), or 0 when p is none. */
static size_t mark_len(const unsigned char *p, size_t left)
{
    if (left >= 2 && (p[0] == 0xCC || (p[0] == 0xCD && p[1] <= 0xAF)))
        return 2;
    if (left >= 2 && p[0] == 0xD2 && p[1] >= 0x83 && p[1] <= 0x89)
        return 2;
    if (left < 3)
        return 0;
    if ((p[0] == 0xE1 && ((p[1] == 0xAA && p[2] >= 0xB0) || p[1] == 0xAB || p[1] == 0xB7)) ||
        (p[0] == 0xE2 && p[1] == 0x83 && p[2] >= 0x90) || (p[0] == 0xEF && p[1] == 0xB8 && p[2] >= 0xA0 && p[2] <= 0xAF))
        return 3;
    return 0;
}

/* SDL_ttf wants NUL-terminated strings; callers hand us slices of larger
 * buffers (words inside a paragraph). Marks beyond RENDER_MAX_MARKS on one
 * character are left out: SDL_ttf would stack them far above and below the
 * line (over other lines, and a tall texture that pushed the run's own
 * letters out of sight); `check` warns the editor about them. Widths and
 * drawing both come through here, so they agree. */
static const char *to_scratch(render *r, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t o = 0;
    int marks = 0;
    for (size_t i = 0; i < len;) {
        size_t m = mark_len(s + i, len - i);
        marks = m ? marks + 1 : 0;
        size_t n = m ? m : 1;
        if (marks <= RENDER_MAX_MARKS) {
            memcpy(r->scratch + o, s + i, n);
            o += n;
        }
        i += n;
    }
    r->scratch[o] = '\0';
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

/* The file at path mapped into memory, or NULL. FreeType reads a font
 * opened from a file with a seek and a read for every glyph (8,000 lseek
 * calls for one reader page); from memory it copies. The mapping is the
 * page cache's: shared, and only the touched glyphs' pages are resident.
 * (A font package upgrade replaces the file by a rename, as dpkg does, so
 * the mapped file is never cut short under us.) */
static const font_file *font_file_map(render *r, const char *path)
{
    font_file *free_slot = NULL;
    for (int i = 0; i < FONT_FILES; i++) {
        font_file *f = &r->files[i];
        if (f->path && !strcmp(f->path, path))
            return f->data ? f : NULL;
        if (!f->path && !free_slot)
            free_slot = f;
    }
    if (!free_slot)
        return NULL;
    free_slot->path = path; /* remembered also when it fails: tried once */
    char err[256];
    int fd = platform_open_regular(path, err, sizeof err);
    if (fd < 0)
        return NULL;
    off_t end = lseek(fd, 0, SEEK_END);
    void *data = end > 0 ? mmap(NULL, (size_t)end, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (data == MAP_FAILED)
        return NULL;
    free_slot->data = data;
    free_slot->size = (size_t)end;
    return free_slot;
}

/* TTF_OpenFont from the mapped file, or from the file itself when it
 * cannot be mapped. */
static TTF_Font *font_open_path(render *r, const char *path, int size)
{
    const font_file *f = font_file_map(r, path);
    if (!f)
        return TTF_OpenFont(path, size);
    return TTF_OpenFontRW(SDL_RWFromConstMem(f->data, (int)f->size), 1, size);
}

/* Opens face at size; a missing face file falls back to the regular face
 * with FreeType's synthetic bold/slant (emphasis stays visible), then to the
 * fallback font, so text never disappears because one file is gone. */
static TTF_Font *font_open(render *r, render_face face, int size)
{
    int style = TTF_STYLE_NORMAL;
    TTF_Font *f = font_open_path(r, face_path[face], size);
    if (!f) {
        if (!r->face_warned[face]) {
            r->face_warned[face] = 1;
            platform_log(PLATFORM_LOG_WARN, "render: cannot open %s (%s); using the regular face",
                         face_path[face], TTF_GetError());
        }
        style = face_style[face];
        f = font_open_path(r, FONT_PATH_REGULAR, size);
    }
    if (!f)
        f = font_open_path(r, FONT_PATH_FALLBACK, size);
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
    render_lru_remove(&r->texts, &e->link);
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
    SDL_Texture *tex = render_white_texture(r, s);
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
    render_lru_push(&r->texts, &e->link);
    r->texts.bytes += bytes;
    return e;
}

void render_record_texts(render *r, render_text_rec *recs, int cap, int *n)
{
    assert(r);
    r->recs = recs;
    r->recs_cap = cap;
    r->recs_n = n;
    if (n)
        *n = 0;
}

/* Whether cp draws nothing by design: spaces, controls, the soft hyphen
 * and the invisible format characters (zero-width space and joiners). */
static bool invisible(uint32_t cp)
{
    return cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2060 && cp <= 0x2064) || cp == 0xfeff;
}

/* Counts the characters of text (invisible ones left out) and those the
 * font has no glyph for, which SDL_ttf draws as an empty box. */
static void count_glyphs(TTF_Font *f, const char *text, size_t len, int *chars, int *missing)
{
    *chars = *missing = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        i += n > 0 ? (size_t)n : 1;
        if (invisible(cp))
            continue;
        (*chars)++;
        if (!f || !TTF_GlyphIsProvided32(f, cp))
            (*missing)++;
    }
}

/* Notes a run drawn at box when recording: the part the clip lets show,
 * and how many of its characters have no glyph. */
static void record_text(render *r, SDL_Rect box, render_color color, render_face face, int size, const char *text,
                        size_t len)
{
    if (!render_visible_part(r, &box))
        return;
    render_text_rec rec = {box, color, face, size, 0, 0, len == 3 && !memcmp(text, "\u2026", 3)};
    count_glyphs(font_get(r, face, size), text, len, &rec.chars, &rec.missing);
    if (*r->recs_n < r->recs_cap)
        r->recs[*r->recs_n] = rec;
    (*r->recs_n)++;
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
        render_lru_touch(&r->texts, &e->link);
        SDL_SetTextureAlphaMod(e->tex, color.a);
        SDL_RenderCopy(r->sdl, e->tex, NULL, &(SDL_Rect){x, y, e->w, e->h});
        if (r->recs)
            record_text(r, (SDL_Rect){x, y, e->w, e->h}, color, face, size, text, len);
        return;
    }
    int w = 0, th = 0;
    SDL_Texture *tex = text_texture(r, face, size, color, text, len, &w, &th);
    if (!tex)
        return;
    SDL_SetTextureAlphaMod(tex, color.a);
    SDL_RenderCopy(r->sdl, tex, NULL, &(SDL_Rect){x, y, w, th});
    if (r->recs)
        record_text(r, (SDL_Rect){x, y, w, th}, color, face, size, text, len);
    if (!text_insert(r, h, (int)face, size, rgb, text, len, tex, w, th))
        SDL_DestroyTexture(tex);
}

void render_text_clear(render *r)
{
    while (r->texts.oldest)
        text_evict(r, (text_entry *)r->texts.oldest);
}

void render_fonts_close(render *r)
{
    for (int i = 0; i < FONT_SLOTS; i++)
        if (r->fonts[i].font)
            TTF_CloseFont(r->fonts[i].font);
    for (int i = 0; i < FONT_FILES; i++)
        if (r->files[i].data)
            munmap(r->files[i].data, r->files[i].size);
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
