/* render: text, shapes, images and screenshots drawn with the software
 * renderer into a surface and read back pixel by pixel. No display needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "platform.h"
#include "render.h"
#include "utf8.h"

#define W 320
#define H 200

typedef struct {
    SDL_Surface *surface;
    SDL_Renderer *sdl;
    render *r;
} fixture;

static const render_color BLACK = {0, 0, 0, 255};
static const render_color WHITE_C = {255, 255, 255, 255};
static const render_color RED = {200, 0, 0, 255};

static int setup(void **state)
{
    /* The software renderer needs no video subsystem; the dummy driver is set
     * anyway so nothing can reach for a display. */
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->surface = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(f->surface);
    f->sdl = SDL_CreateSoftwareRenderer(f->surface);
    assert_non_null(f->sdl);
    char err[256] = "";
    f->r = render_create(f->sdl, err, sizeof err);
    if (!f->r)
        fail_msg("render_create: %s", err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    render_destroy(f->r);
    SDL_DestroyRenderer(f->sdl);
    SDL_FreeSurface(f->surface);
    free(f);
    return 0;
}

static void clear(fixture *f, render_color c)
{
    SDL_SetRenderDrawBlendMode(f->sdl, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(f->sdl, c.r, c.g, c.b, c.a);
    SDL_RenderClear(f->sdl);
}

/* Pixel (x, y) of the target after flushing SDL's command queue. */
static render_color px(fixture *f, int x, int y)
{
    SDL_RenderFlush(f->sdl);
    uint32_t v = ((uint32_t *)((uint8_t *)f->surface->pixels + y * f->surface->pitch))[x];
    return (render_color){(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v, (uint8_t)(v >> 24)};
}

static int near(render_color a, render_color b, int tol)
{
    return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

/* ---- text ---------------------------------------------------------------- */

static void text_draws_requested_colour_inside_its_box(void **state)
{
    fixture *f = *state;
    clear(f, WHITE_C);
    const char *s = "Hello Жұлдыз";
    int w = render_text_width(f->r, RENDER_FACE_BOLD, 32, s, strlen(s));
    int lh = render_line_height(f->r, RENDER_FACE_BOLD, 32);
    assert_true(w > 100 && w < W - 20);
    assert_true(lh >= 32 && lh < 64);
    render_text(f->r, RENDER_FACE_BOLD, 32, s, strlen(s), 10, 20, RED);

    int inside = 0, exact = 0, outside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            render_color c = px(f, x, y);
            if (near(c, WHITE_C, 0))
                continue;
            int in_box = x >= 10 && x < 10 + w && y >= 20 && y < 20 + lh;
            if (!in_box)
                outside++;
            else
                inside++;
            /* Anti-aliased edges mix with white; stem pixels are the colour. */
            if (near(c, RED, 2))
                exact++;
            else
                assert_true(c.r >= c.g && c.g == c.b);  /* a mix of red and white only */
        }
    assert_int_equal(outside, 0);
    assert_true(inside > 300);
    assert_true(exact > 100);
}

static void text_is_cached_per_colour_and_alpha_is_free(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    assert_int_equal(render_cache_bytes(f->r), 0);
    clear(f, WHITE_C);
    render_text(f->r, RENDER_FACE_REGULAR, 20, "Cache me", 8, 0, 0, BLACK);
    size_t one = render_cache_bytes(f->r);
    assert_true(one > 0);
    /* The same colour at another alpha reuses the entry... */
    render_text(f->r, RENDER_FACE_REGULAR, 20, "Cache me", 8, 0, 80, (render_color){0, 0, 0, 128});
    assert_int_equal(render_cache_bytes(f->r), one);
    /* ...another colour is its own entry: tinting at draw time is the
     * software renderer's slow path (see render_text). */
    render_text(f->r, RENDER_FACE_REGULAR, 20, "Cache me", 8, 0, 40, RED);
    assert_int_equal(render_cache_bytes(f->r), one * 2);
    one *= 2;
    /* The second draw is red. */
    int red = 0;
    for (int y = 40; y < 70; y++)
        for (int x = 0; x < 100; x++)
            red += near(px(f, x, y), RED, 2);
    assert_true(red > 20);
    /* Another face, size or text is another entry. */
    render_text(f->r, RENDER_FACE_BOLD, 20, "Cache me", 8, 0, 0, BLACK);
    size_t two = render_cache_bytes(f->r);
    assert_true(two > one);
    render_text(f->r, RENDER_FACE_BOLD, 21, "Cache me", 8, 0, 0, BLACK);
    assert_true(render_cache_bytes(f->r) > two);
}

static void widths_grow_with_text_and_need_no_nul(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    int a = render_text_width(f->r, RENDER_FACE_REGULAR, 24, "a", 1);
    int ab = render_text_width(f->r, RENDER_FACE_REGULAR, 24, "ab", 2);
    assert_true(a > 0);
    assert_true(ab >= a);
    const char *kk = "Қазақстан Республикасының Конституциясы";
    int k = render_text_width(f->r, RENDER_FACE_REGULAR, 24, kk, strlen(kk));
    assert_true(k > 0);
    /* Cached widths agree with fresh ones; bold is wider. */
    assert_int_equal(render_text_width(f->r, RENDER_FACE_REGULAR, 24, kk, strlen(kk)), k);
    assert_true(render_text_width(f->r, RENDER_FACE_BOLD, 24, kk, strlen(kk)) > k);
    /* A slice of a longer buffer measures as that slice. */
    const char buf[] = {'a', 'b', 'c', 'W', 'W', 'W'};
    assert_int_equal(render_text_width(f->r, RENDER_FACE_REGULAR, 24, buf, 3),
                     render_text_width(f->r, RENDER_FACE_REGULAR, 24, "abc", 3));
    assert_int_equal(render_text_width(f->r, RENDER_FACE_REGULAR, 24, "", 0), 0);
    /* Measuring makes no textures. */
    assert_int_equal(render_cache_bytes(f->r), 0);
}

/* Width of each prefix of word (cut between code points) at face and size
 * never less than the prefix one code point shorter: the property
 * layout_lines relies on to find where a long word is cut by bisection and
 * still cut where wrap_text's prefix-by-prefix scan did. */
static void check_prefixes_grow(render *r, render_face face, int size, const char *word, size_t len)
{
    int prev = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(word + i, len - i, &cp);
        i += n > 0 ? (size_t)n : 1;
        int w = render_text_width(r, face, size, word, i);
        if (w < prev)
            fail_msg("'%.*s' face %d at %d px: %d px, one code point shorter %d px", (int)len, word, face, size, w,
                     prev);
        prev = w;
    }
}

/* Every word of the sample content, and words made of kerning pairs,
 * ligatures and accents, in every face at the sizes the screens use. */
static void prefix_widths_never_shrink(void **state)
{
    fixture *f = *state;
    static const char *const hard[] = {
        "AVAVAVA", "WAWAWA", "Toffee", "office", "fiflffi", "LTAVTy", "T.V.", "Y,Y.", "\"quoted\"",
        "e\xCC\x81te\xCC\x81", "\xCC\x81\xCC\x81", "Ўзбекистон", "Қазақстан", "ӘәҒғҚқҢңӨөҰұҮүҺһІі",
        "https://example.org/a/very/long/path?with=query&and=more", "\xF0\x9F\x98\x80\xE2\x80\xA6",
    };
    static const int sizes[] = {11, 16, 21, 29, 42};
    glob_t g;
    assert_int_equal(glob(INFOPOINT_SOURCE_DIR "/assets/content/items/*/*.md", 0, NULL, &g), 0);
    size_t words = 0;
    for (size_t k = 0; k < g.gl_pathc; k++) {
        FILE *fp = fopen(g.gl_pathv[k], "rb");
        assert_non_null(fp);
        char line[4096];
        while (fgets(line, sizeof line, fp)) {
            for (char *w = strtok(line, " \t\r\n"); w; w = strtok(NULL, " \t\r\n"))
                for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++, words++)
                    check_prefixes_grow(f->r, (render_face)(words % RENDER_FACE__COUNT), sizes[s], w, strlen(w));
        }
        fclose(fp);
    }
    globfree(&g);
    assert_true(words > 1000);
    print_message("%zu content words × sizes: no prefix narrower than a shorter one\n", words);
    for (size_t i = 0; i < sizeof hard / sizeof *hard; i++)
        for (int face = 0; face < RENDER_FACE__COUNT; face++)
            for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
                check_prefixes_grow(f->r, (render_face)face, sizes[s], hard[i], strlen(hard[i]));
}

static void drawing_a_slice_draws_only_the_slice(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    clear(f, WHITE_C);
    const char buf[] = {'I', 'W', 'W', 'W', 'W', 'W', 'W', 'W'};
    render_text(f->r, RENDER_FACE_REGULAR, 24, buf, 1, 0, 0, BLACK);
    int wi = render_text_width(f->r, RENDER_FACE_REGULAR, 24, "I", 1);
    for (int y = 0; y < 40; y++)
        for (int x = wi + 1; x < 200; x++)
            assert_true(near(px(f, x, y), WHITE_C, 0));
}

static void empty_text_draws_nothing(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    clear(f, WHITE_C);
    render_text(f->r, RENDER_FACE_REGULAR, 24, "", 0, 0, 0, BLACK);
    render_text(f->r, RENDER_FACE_REGULAR, 24, "x", 0, 0, 0, BLACK);
    render_text(f->r, RENDER_FACE_REGULAR, 0, "x", 1, 0, 0, BLACK);
    assert_int_equal(render_cache_bytes(f->r), 0);
    for (int y = 0; y < 40; y++)
        for (int x = 0; x < 40; x++)
            assert_true(near(px(f, x, y), WHITE_C, 0));
}

static void text_cache_stays_under_its_cap(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    char s[64];
    size_t peak = 0;
    for (int i = 0; i < 3000; i++) {
        int n = snprintf(s, sizeof s, "Бап %d: distinct string number %d", i, i * 7);
        render_text(f->r, (render_face)(i % RENDER_FACE__COUNT), 40, s, (size_t)n, 0, 0, BLACK);
        size_t b = render_cache_bytes(f->r);
        assert_true(b <= RENDER_TEXT_CACHE_BYTES);
        peak = b > peak ? b : peak;
    }
    /* 3000 runs of ~700×55 px are ~450 MB uncapped: eviction happened. */
    assert_true(peak > RENDER_TEXT_CACHE_BYTES / 2);
    render_flush(f->r);
    assert_int_equal(render_cache_bytes(f->r), 0);
}

static void run_larger_than_cache_is_drawn_uncached(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    clear(f, WHITE_C);
    const char *s = "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW";  /* ~14000×700 px at 500 px */
    int w = render_text_width(f->r, RENDER_FACE_BOLD, 500, s, strlen(s));
    int lh = render_line_height(f->r, RENDER_FACE_BOLD, 500);
    assert_true((size_t)w * (size_t)lh * 4u > RENDER_TEXT_CACHE_BYTES);
    render_text(f->r, RENDER_FACE_BOLD, 500, s, strlen(s), -100, -100, BLACK);
    assert_int_equal(render_cache_bytes(f->r), 0);
    int dark = 0;
    for (int y = 0; y < H; y += 4)
        for (int x = 0; x < W; x += 4)
            dark += near(px(f, x, y), BLACK, 0);
    assert_true(dark > 100);
}

/* ---- shapes -------------------------------------------------------------- */

static void rounded_rect_has_soft_corners_and_full_centre(void **state)
{
    fixture *f = *state;
    clear(f, BLACK);
    SDL_Rect rc = {20, 20, 100, 60};
    render_fill_rect(f->r, rc, 20, WHITE_C);
    assert_true(px(f, 20, 20).r < 10);     /* outside the arc */
    assert_true(px(f, 119, 79).r < 10);
    assert_true(px(f, 119, 20).r < 10);
    assert_true(px(f, 20, 79).r < 10);
    assert_int_equal(px(f, 70, 50).r, 255);  /* centre */
    assert_int_equal(px(f, 20, 50).r, 255);  /* middle of each side */
    assert_int_equal(px(f, 70, 20).r, 255);
    assert_int_equal(px(f, 119, 50).r, 255);
    assert_int_equal(px(f, 70, 79).r, 255);
    assert_true(px(f, 19, 50).r < 10);     /* nothing outside the rect */
    assert_true(px(f, 70, 80).r < 10);
    /* Along the arc pixels are partly covered: anti-aliased. */
    int partial = 0;
    for (int y = 20; y < 40; y++)
        for (int x = 20; x < 40; x++) {
            uint8_t v = px(f, x, y).r;
            partial += v > 20 && v < 235;
        }
    assert_true(partial >= 20);
    /* Radius 0 gives square corners; a huge radius is clamped to a pill. */
    clear(f, BLACK);
    render_fill_rect(f->r, rc, 0, WHITE_C);
    assert_int_equal(px(f, 20, 20).r, 255);
    clear(f, BLACK);
    render_fill_rect(f->r, rc, 1000, WHITE_C);
    assert_int_equal(px(f, 70, 50).r, 255);
    assert_true(px(f, 20, 20).r < 10);
}

static void stroke_rect_is_hollow_and_even(void **state)
{
    fixture *f = *state;
    clear(f, BLACK);
    SDL_Rect rc = {20, 20, 100, 60};
    render_stroke_rect(f->r, rc, 12, 3, WHITE_C);
    assert_true(px(f, 70, 50).r < 10);
    assert_int_equal(px(f, 21, 50).r, 255);
    assert_int_equal(px(f, 70, 22).r, 255);
    assert_true(px(f, 20, 20).r < 10);
    /* Translucent stroke thicker than its radius: no band is drawn twice. */
    clear(f, BLACK);
    render_stroke_rect(f->r, rc, 4, 10, (render_color){255, 255, 255, 128});
    uint8_t v = px(f, 50, 25).r;
    assert_true(v > 100 && v < 160);
    const int probe[][2] = {{22, 50}, {27, 50}, {27, 27}, {25, 25}, {112, 27}, {112, 72}, {27, 72},
                            {70, 75}, {117, 50}};
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++)
        assert_int_equal(px(f, probe[i][0], probe[i][1]).r, v);
    assert_true(px(f, 70, 50).r < 10);
}

static void circle_is_round(void **state)
{
    fixture *f = *state;
    clear(f, BLACK);
    render_fill_circle(f->r, 100, 100, 30, WHITE_C);
    assert_int_equal(px(f, 100, 100).r, 255);
    assert_int_equal(px(f, 71, 100).r, 255);
    assert_int_equal(px(f, 100, 128).r, 255);
    assert_true(px(f, 72, 72).r < 10);
    assert_true(px(f, 127, 127).r < 10);
    assert_true(px(f, 131, 100).r < 10);
}

static void shadow_is_subtle_and_below(void **state)
{
    fixture *f = *state;
    clear(f, WHITE_C);
    SDL_Rect rc = {60, 40, 120, 80};
    render_shadow(f->r, rc, 12, 12);
    render_fill_rect(f->r, rc, 12, WHITE_C);
    render_color below = px(f, 120, 122), above = px(f, 120, 37), far = px(f, 120, 160);
    assert_true(below.r < 250 && below.r > 150);  /* visible, but soft */
    assert_true(above.r > below.r);               /* light from above */
    assert_int_equal(far.r, 255);
}

static void icons_are_drawn_inside_their_rect(void **state)
{
    fixture *f = *state;
    for (int icon = RENDER_ICON_HOME; icon <= RENDER_ICON_IMAGE_MISSING; icon++)
        for (int side = 24; side <= 96; side += 72) {
            clear(f, BLACK);
            SDL_Rect rc = {40, 20, side, side};
            render_icon_draw(f->r, (render_icon)icon, rc, WHITE_C);
            int lit = 0;
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    if (px(f, x, y).r == 0)
                        continue;
                    if (x < rc.x || x >= rc.x + rc.w || y < rc.y || y >= rc.y + rc.h)
                        fail_msg("icon %d at %d px spills to (%d, %d)", icon, side, x, y);
                    lit++;
                }
            if (lit < side)
                fail_msg("icon %d at %d px has only %d lit pixels", icon, side, lit);
        }
}

static void icon_strokes_are_crisp_at_24_px(void **state)
{
    fixture *f = *state;
    clear(f, BLACK);
    /* The back arrow's shaft runs along y = 12 on the 24-unit grid, 2 units
     * thick: exactly rows 11 and 12, fully lit, and nothing beside them. */
    render_icon_draw(f->r, RENDER_ICON_BACK, (SDL_Rect){0, 0, 24, 24}, WHITE_C);
    assert_int_equal(px(f, 16, 11).r, 255);
    assert_int_equal(px(f, 16, 12).r, 255);
    assert_int_equal(px(f, 16, 10).r, 0);
    assert_int_equal(px(f, 16, 13).r, 0);
    /* Non-square rect: the icon is centred in it, tinted. */
    clear(f, BLACK);
    render_icon_draw(f->r, RENDER_ICON_CLOSE, (SDL_Rect){0, 0, 96, 48}, RED);
    assert_true(near(px(f, 24 + 24, 24), RED, 2));
    assert_int_equal(px(f, 10, 10).r, 0);
}

static void clip_limits_drawing_until_reset(void **state)
{
    fixture *f = *state;
    clear(f, BLACK);
    render_clip(f->r, &(SDL_Rect){50, 50, 20, 20});
    render_fill_rect(f->r, (SDL_Rect){0, 0, W, H}, 0, WHITE_C);
    render_text(f->r, RENDER_FACE_BOLD, 40, "WWW", 3, 0, 40, WHITE_C);
    assert_int_equal(px(f, 60, 60).r, 255);
    assert_int_equal(px(f, 49, 60).r, 0);
    assert_int_equal(px(f, 70, 60).r, 0);
    assert_int_equal(px(f, 60, 71).r, 0);
    /* A squeezed area (negative height) draws nothing rather than everything. */
    clear(f, BLACK);
    render_clip(f->r, &(SDL_Rect){50, 50, 20, -5});
    render_fill_rect(f->r, (SDL_Rect){0, 0, W, H}, 0, WHITE_C);
    assert_int_equal(px(f, 60, 60).r, 0);
    assert_int_equal(px(f, 10, 10).r, 0);
    render_clip(f->r, NULL);
    render_fill_rect(f->r, (SDL_Rect){0, 0, W, H}, 0, WHITE_C);
    assert_int_equal(px(f, 10, 10).r, 255);
}

/* The accessibility checks read what was drawn: each text run with its
 * characters and those the face cannot draw, and each control mark. What
 * the clip hides entirely is not recorded. */
static void recording_counts_glyphs_and_marks(void **state)
{
    fixture *f = *state;
    render_text_rec texts[8];
    render_mark_rec marks[8];
    int nt = 0, nm = 0;
    clear(f, BLACK);
    render_record_texts(f->r, texts, 8, &nt);
    render_record_marks(f->r, marks, 8, &nm);
    static const char mixed[] = "A\xd0\xb1 \xf0\x9f\x98\x80\xe2\x80\x8b"; /* A, б, space, an emoji, a zero-width space */
    render_text(f->r, RENDER_FACE_REGULAR, 20, mixed, sizeof mixed - 1, 10, 10, WHITE_C);
    render_text(f->r, RENDER_FACE_REGULAR, 20, "\u2026", 3, 200, 10, WHITE_C); /* a layout's "…" alone */
    render_text(f->r, RENDER_FACE_REGULAR, 20, "so\u2026", 5, 200, 40, WHITE_C); /* text that ends with one */
    render_stroke_rect(f->r, (SDL_Rect){10, 50, 60, 30}, 6, 2, WHITE_C);
    render_fill_circle(f->r, 100, 60, 5, RED);
    render_icon_draw(f->r, RENDER_ICON_SPEAKER, (SDL_Rect){120, 50, 24, 24}, WHITE_C);
    render_clip(f->r, &(SDL_Rect){0, 0, 5, 5});
    render_fill_circle(f->r, 200, 100, 5, RED);
    render_text(f->r, RENDER_FACE_REGULAR, 20, "hidden", 6, 100, 100, WHITE_C);
    render_clip(f->r, NULL);
    render_record_texts(f->r, NULL, 0, NULL);
    render_record_marks(f->r, NULL, 0, NULL);
    assert_int_equal(nt, 3);
    assert_int_equal(texts[0].chars, 3); /* the space and the zero-width space draw nothing by design */
    assert_int_equal(texts[0].missing, 1); /* the emoji: no glyph in the face */
    assert_int_equal(texts[0].ellipsis, 0);
    assert_int_equal(texts[1].ellipsis, 1);
    assert_int_equal(texts[2].ellipsis, 0);
    assert_int_equal(nm, 3);
    assert_int_equal(marks[0].kind, RENDER_MARK_OUTLINE);
    assert_int_equal(marks[0].thickness, 2);
    assert_int_equal(marks[1].kind, RENDER_MARK_DOT);
    assert_int_equal(marks[1].box.w, 10);
    assert_int_equal(marks[2].kind, RENDER_MARK_ICON);
    assert_int_equal(marks[2].color.r, 255);
}

/* ---- images -------------------------------------------------------------- */

/* Encodes a w×h PNG (or JPEG) of one colour into buf; returns its length. */
static size_t make_image(uint8_t *buf, size_t cap, int w, int h, render_color c, int jpeg)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, c.r, c.g, c.b, c.a));
    SDL_RWops *rw = SDL_RWFromMem(buf, (int)cap);
    assert_non_null(rw);
    assert_int_equal(jpeg ? IMG_SaveJPG_RW(s, rw, 0, 90) : IMG_SavePNG_RW(s, rw, 0), 0);
    size_t n = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    return n;
}

static size_t make_png(uint8_t *buf, size_t cap, int w, int h, render_color c)
{
    return make_image(buf, cap, w, h, c, 0);
}

/* A cover fills its box without distortion: a wide picture loses its sides
 * evenly; once cached it draws from the key alone. */
static void image_fill_cuts_the_overhang(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    clear(f, BLACK);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 300, 100, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_FillRect(s, &(SDL_Rect){0, 0, 100, 100}, SDL_MapRGBA(s->format, 255, 0, 0, 255));
    SDL_FillRect(s, &(SDL_Rect){100, 0, 100, 100}, SDL_MapRGBA(s->format, 0, 255, 0, 255));
    SDL_FillRect(s, &(SDL_Rect){200, 0, 100, 100}, SDL_MapRGBA(s->format, 0, 0, 255, 255));
    static uint8_t png[16384];
    SDL_RWops *rw = SDL_RWFromMem(png, (int)sizeof png);
    assert_int_equal(IMG_SavePNG_RW(s, rw, 0), 0);
    size_t n = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    assert_false(render_image_cached(f->r, "bands"));
    assert_int_equal(render_image_fill(f->r, "bands", png, n, (SDL_Rect){10, 10, 60, 60}), 0);
    assert_true(render_image_cached(f->r, "bands"));
    /* square box: only the middle third (green), edge to edge */
    assert_int_equal(px(f, 12, 40).g, 255);
    assert_int_equal(px(f, 12, 40).r, 0);
    assert_int_equal(px(f, 67, 40).g, 255);
    assert_int_equal(px(f, 67, 40).b, 0);
    assert_int_equal(px(f, 75, 40).g, 0); /* nothing outside the box */
    /* from the cache, without bytes: a box of its own shape shows all of it */
    assert_int_equal(render_image_fill(f->r, "bands", NULL, 0, (SDL_Rect){10, 100, 150, 50}), 0);
    assert_int_equal(px(f, 12, 125).r, 255);
    assert_int_equal(px(f, 157, 125).b, 255);
}

static void image_is_decoded_scaled_and_cached(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    clear(f, BLACK);
    static uint8_t png[16384];
    render_color blue = {0, 128, 255, 255};
    size_t n = make_png(png, sizeof png, 8, 6, blue);
    SDL_Rect dst = {50, 50, 80, 60};
    assert_int_equal(render_image(f->r, "test/blue.png", png, n, dst), 0);
    assert_true(near(px(f, 90, 80), blue, 1));
    assert_true(near(px(f, 51, 51), blue, 1));
    assert_true(near(px(f, 49, 80), BLACK, 0));
    assert_true(near(px(f, 130, 80), BLACK, 0));
    assert_int_equal(render_cache_bytes(f->r), 8 * 6 * 4);
    /* A hit does not look at the bytes. */
    clear(f, BLACK);
    assert_int_equal(render_image(f->r, "test/blue.png", NULL, 0, dst), 0);
    assert_true(near(px(f, 90, 80), blue, 1));
    assert_int_equal(render_cache_bytes(f->r), 8 * 6 * 4);
    /* JPEG too (opaque, so drawn without blending). */
    n = make_image(png, sizeof png, 16, 16, blue, 1);
    assert_int_equal(render_image(f->r, "test/blue.jpg", png, n, dst), 0);
    assert_true(near(px(f, 90, 80), blue, 6));
    assert_int_equal(render_cache_bytes(f->r), 8 * 6 * 4 + 16 * 16 * 4);
}

/* A letter with 50 combining marks is drawn as the letter with two: the
 * same width, and nothing drawn above or below the line it stands in
 * (SDL_ttf stacked them over the lines around it). */
static void combining_stacks_stay_in_their_line(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    char two[16], many[8 + 50 * 2];
    snprintf(two, sizeof two, "Z\xCC\x81\xCC\x80");
    size_t n = 0;
    many[n++] = 'Z';
    for (int i = 0; i < 25; i++) {
        memcpy(many + n, "\xCC\x81\xCC\x80", 4);
        n += 4;
    }
    assert_int_equal(render_text_width(f->r, RENDER_FACE_REGULAR, 32, many, n),
                     render_text_width(f->r, RENDER_FACE_REGULAR, 32, two, strlen(two)));
    assert_true(render_text_width(f->r, RENDER_FACE_REGULAR, 32, many, n) > 0);
    clear(f, WHITE_C);
    int line = render_line_height(f->r, RENDER_FACE_REGULAR, 32);
    render_text(f->r, RENDER_FACE_REGULAR, 32, many, n, 10, 100, BLACK);
    int inked_outside = 0, inked_inside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < 60; x++) {
            int ink = !near(px(f, x, y), WHITE_C, 40);
            if (y >= 100 && y < 100 + line)
                inked_inside += ink;
            else
                inked_outside += ink;
        }
    assert_true(inked_inside > 20); /* the Z itself */
    assert_int_equal(inked_outside, 0);
}

/* tests/data/img/cmyk.jpg: 16×16 of RGB(200, 30, 30) as a CMYK JPEG with
 * Adobe's inverted values (C 0, M 217, Y 217, K 55; written with libjpeg,
 * JCS_CMYK), the way print-shop photos arrive. SDL_image alone shows it
 * blue and see-through. */
static void cmyk_jpeg_shows_its_colours(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    clear(f, BLACK);
    char *bytes = NULL, err[256];
    size_t n = 0;
    assert_int_equal(platform_read_file(INFOPOINT_SOURCE_DIR "/tests/data/img/cmyk.jpg", 1 << 20, &bytes, &n, err, sizeof err), 0);
    SDL_Rect dst = {20, 20, 32, 32};
    assert_int_equal(render_image(f->r, "test/cmyk.jpg", bytes, n, dst), 0);
    render_color got = px(f, 36, 36);
    assert_true(near(got, (render_color){200, 30, 30, 255}, 6));
    assert_int_equal(got.a, 255);
    free(bytes);
}

static void garbage_image_returns_minus_one(void **state)
{
    fixture *f = *state;
    render_flush(f->r);
    SDL_Rect dst = {0, 0, 10, 10};
    const char junk[] = "this is not an image at all, just words";
    assert_int_equal(render_image(f->r, "junk", junk, sizeof junk, dst), -1);
    assert_int_equal(render_image(f->r, "junk", junk, sizeof junk, dst), -1);  /* remembered */
    assert_int_equal(render_image(f->r, NULL, junk, sizeof junk, dst), -1);
    assert_int_equal(render_image(f->r, "empty", NULL, 0, dst), -1);
    /* A real PNG cut in half passes the header check and fails in SDL_image. */
    static uint8_t png[16384];
    size_t n = make_png(png, sizeof png, 64, 64, RED);
    for (size_t i = 60; i < n; i++)
        png[i] ^= 0x5A;
    assert_int_equal(render_image(f->r, "corrupt", png, n, dst), -1);
    assert_int_equal(render_image(f->r, "truncated", png, 40, dst), -1);
    /* Random damage after a valid header reaches the decoders: whatever they
     * make of it, nothing crashes and the result is 0 or -1. */
    static uint8_t good[2][16384], bad[16384];
    size_t len[2] = {make_image(good[0], sizeof good[0], 32, 24, RED, 0),
                     make_image(good[1], sizeof good[1], 32, 24, RED, 1)};
    srand(7);
    int failed = 0;
    for (int round = 0; round < 400; round++) {
        int k = round & 1;
        size_t m = len[k];
        memcpy(bad, good[k], m);
        for (int flips = 1 + rand() % 8; flips > 0; flips--)
            bad[40 + (size_t)rand() % (m - 40)] = (uint8_t)rand();
        if (rand() % 4 == 0)
            m = 40 + (size_t)rand() % (m - 40);
        int rc = render_image(f->r, NULL, bad, m, dst);
        assert_true(rc == 0 || rc == -1);
        failed += rc < 0;
    }
    assert_true(failed > 0);
    assert_int_equal(render_cache_bytes(f->r), 0);
}

/* ---- screenshots --------------------------------------------------------- */

static void save_png_writes_a_readable_png(void **state)
{
    fixture *f = *state;
    clear(f, WHITE_C);
    render_fill_rect(f->r, (SDL_Rect){10, 10, 50, 50}, 8, RED);
    char path[] = "/tmp/test_render_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256] = "";
    assert_int_equal(render_save_png(f->sdl, W, H, path, err, sizeof err), 0);
    SDL_Surface *back = IMG_Load(path);
    assert_non_null(back);
    assert_int_equal(back->w, W);
    assert_int_equal(back->h, H);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(back, SDL_PIXELFORMAT_ARGB8888, 0);
    assert_non_null(argb);
    uint32_t v = ((uint32_t *)((uint8_t *)argb->pixels + 30 * argb->pitch))[30];
    assert_int_equal(v, 0xFFC80000u);
    SDL_FreeSurface(argb);
    SDL_FreeSurface(back);
    unlink(path);

    err[0] = '\0';
    assert_int_equal(render_save_png(f->sdl, W, H, "/nonexistent/dir/x.png", err, sizeof err), -1);
    assert_true(strlen(err) > 0);
}

/* The target surface written in place (what --screenshot does): every
 * pixel read back equals what the renderer read back by the copying path,
 * and is opaque, also where the drawing left the target transparent. */
static void save_surface_png_matches_the_copying_path(void **state)
{
    fixture *f = *state;
    SDL_SetRenderDrawColor(f->sdl, 0, 0, 0, 0);
    SDL_RenderClear(f->sdl); /* transparent black: must come out opaque */
    render_fill_rect(f->r, (SDL_Rect){10, 10, 50, 50}, 8, RED);
    const char *words = "Ağ Қ ж";
    render_text(f->r, RENDER_FACE_REGULAR, 24, words, strlen(words), 5, 70, BLACK);
    char a[] = "/tmp/test_render_XXXXXX", b[] = "/tmp/test_render_XXXXXX";
    int fa = mkstemp(a), fb = mkstemp(b);
    assert_true(fa >= 0 && fb >= 0);
    close(fa);
    close(fb);
    char err[256] = "";
    assert_int_equal(render_save_png(f->sdl, W, H, a, err, sizeof err), 0);
    assert_int_equal(render_save_surface_png(f->sdl, f->surface, b, err, sizeof err), 0);
    SDL_Surface *la = IMG_Load(a), *lb = IMG_Load(b);
    assert_non_null(la);
    assert_non_null(lb);
    SDL_Surface *pa = SDL_ConvertSurfaceFormat(la, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_Surface *pb = SDL_ConvertSurfaceFormat(lb, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(la);
    SDL_FreeSurface(lb);
    assert_non_null(pa);
    assert_non_null(pb);
    int differ = 0, clear = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint32_t va = ((uint32_t *)((uint8_t *)pa->pixels + y * pa->pitch))[x];
            uint32_t vb = ((uint32_t *)((uint8_t *)pb->pixels + y * pb->pitch))[x];
            differ += va != vb;
            clear += (vb >> 24) != 0xFF;
        }
    assert_int_equal(differ, 0);
    assert_int_equal(clear, 0);
    assert_int_equal(((uint32_t *)((uint8_t *)pb->pixels + 30 * pb->pitch))[30], 0xFFC80000u);
    SDL_FreeSurface(pa);
    SDL_FreeSurface(pb);
    unlink(a);
    unlink(b);

    SDL_Surface *rgb = SDL_CreateRGBSurfaceWithFormat(0, 4, 4, 24, SDL_PIXELFORMAT_RGB24);
    assert_int_equal(render_save_surface_png(f->sdl, rgb, "/tmp/never.png", err, sizeof err), -1);
    assert_non_null(strstr(err, "ARGB8888"));
    SDL_FreeSurface(rgb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_draws_requested_colour_inside_its_box),
        cmocka_unit_test(save_surface_png_matches_the_copying_path),
        cmocka_unit_test(cmyk_jpeg_shows_its_colours),
        cmocka_unit_test(combining_stacks_stay_in_their_line),
        cmocka_unit_test(text_is_cached_per_colour_and_alpha_is_free),
        cmocka_unit_test(widths_grow_with_text_and_need_no_nul),
        cmocka_unit_test(prefix_widths_never_shrink),
        cmocka_unit_test(drawing_a_slice_draws_only_the_slice),
        cmocka_unit_test(empty_text_draws_nothing),
        cmocka_unit_test(text_cache_stays_under_its_cap),
        cmocka_unit_test(run_larger_than_cache_is_drawn_uncached),
        cmocka_unit_test(rounded_rect_has_soft_corners_and_full_centre),
        cmocka_unit_test(stroke_rect_is_hollow_and_even),
        cmocka_unit_test(circle_is_round),
        cmocka_unit_test(shadow_is_subtle_and_below),
        cmocka_unit_test(icons_are_drawn_inside_their_rect),
        cmocka_unit_test(icon_strokes_are_crisp_at_24_px),
        cmocka_unit_test(clip_limits_drawing_until_reset),
        cmocka_unit_test(recording_counts_glyphs_and_marks),
        cmocka_unit_test(image_is_decoded_scaled_and_cached),
        cmocka_unit_test(image_fill_cuts_the_overhang),
        cmocka_unit_test(garbage_image_returns_minus_one),
        cmocka_unit_test(save_png_writes_a_readable_png),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
