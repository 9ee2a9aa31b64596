/* fonts: every character the kiosk can show has a glyph in the chosen fonts.
 *
 * A missing glyph is drawn as an empty box, which on a kiosk nobody reports;
 * this test makes it a build failure instead. It checks every code point in
 * the sample bundle's texts and the UI's own fixed character set (the Kazakh
 * and Russian alphabets, Latin, digits and typographic punctuation) against
 * the faces named in fonts/fonts.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL_ttf.h>
#include <sqlite3.h>

#include "fonts_paths.h"
#include "utf8.h"

#define MAX_CP 0x110000u
#define MAX_REPORTED 64

/* Faces whose coverage is required; the italic faces are checked too since
 * emphasis in Markdown becomes italic text. */
static const struct {
    const char *name, *path;
} faces[] = {
    {"regular", FONT_PATH_REGULAR},
    {"bold", FONT_PATH_BOLD},
    {"italic", FONT_PATH_ITALIC},
    {"bolditalic", FONT_PATH_BOLDITALIC},
};
#define FACE_COUNT (sizeof faces / sizeof faces[0])

/* One bit per code point: the set of characters to check. */
typedef struct {
    uint8_t bits[MAX_CP / 8];
} cp_set;

static void set_add(cp_set *s, uint32_t cp)
{
    if (cp < MAX_CP)
        s->bits[cp / 8] |= (uint8_t)(1u << (cp % 8));
}

static int set_has(const cp_set *s, uint32_t cp)
{
    return cp < MAX_CP && (s->bits[cp / 8] >> (cp % 8)) & 1u;
}

/* Control characters (line breaks, tabs, FTS highlight markers) are never
 * drawn as glyphs, and HarfBuzz renders default-ignorable characters (soft
 * hyphen, zero-width space and joiners, BOM, variation selectors) invisibly
 * whether or not a font has them. */
static int drawable(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return 0;
    if (cp == 0x00AD || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF)
        return 0;
    return 1;
}

/* Adds every drawable code point of text to s; fails on invalid UTF-8. */
static void add_text(cp_set *s, const char *text, size_t len, const char *where)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        if (n < 0)
            fail_msg("%s: invalid UTF-8 at byte %zu", where, i);
        if (drawable(cp))
            set_add(s, cp);
        i += (size_t)n;
    }
}

static int count_code_points(const char *text)
{
    int count = 0;
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        assert_true(n > 0);
        i += (size_t)n;
        count += cp != ' ';
    }
    return count;
}

/* Fails listing every code point of s that some face lacks, as U+XXXX. */
static void assert_covered(const cp_set *s, const char *what)
{
    assert_int_equal(TTF_Init(), 0);
    char report[MAX_REPORTED * 32] = "";
    size_t used = 0;
    int missing = 0, checked = 0;
    for (size_t f = 0; f < FACE_COUNT; f++) {
        TTF_Font *font = TTF_OpenFont(faces[f].path, 16);
        if (!font)
            fail_msg("cannot open %s face %s: %s", faces[f].name, faces[f].path, TTF_GetError());
        for (uint32_t cp = 0; cp < MAX_CP; cp++) {
            if (!set_has(s, cp))
                continue;
            checked += f == 0;
            if (TTF_GlyphIsProvided32(font, cp))
                continue;
            if (missing++ < MAX_REPORTED)
                used += (size_t)snprintf(report + used, sizeof report - used, " U+%04X(%s)",
                                         (unsigned)cp, faces[f].name);
        }
        TTF_CloseFont(font);
    }
    TTF_Quit();
    if (missing)
        fail_msg("%s: %d code point(s) without a glyph:%s%s", what, missing, report,
                 missing > MAX_REPORTED ? " ..." : "");
    print_message("%s: %d distinct code points, all covered by %zu faces\n", what, checked,
                  FACE_COUNT);
}

static void every_face_and_the_fallback_open(void **state)
{
    (void)state;
    assert_int_equal(TTF_Init(), 0);
    const char *paths[] = {FONT_PATH_REGULAR, FONT_PATH_BOLD, FONT_PATH_ITALIC,
                           FONT_PATH_BOLDITALIC, FONT_PATH_FALLBACK};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        TTF_Font *font = TTF_OpenFont(paths[i], 16);
        if (!font)
            fail_msg("cannot open %s: %s", paths[i], TTF_GetError());
        TTF_CloseFont(font);
    }
    TTF_Quit();
}

/* Proves the check can fail: Noto Sans has no CJK ideographs. */
static void the_check_detects_a_missing_glyph(void **state)
{
    (void)state;
    assert_int_equal(TTF_Init(), 0);
    TTF_Font *font = TTF_OpenFont(FONT_PATH_REGULAR, 16);
    assert_non_null(font);
    assert_false(TTF_GlyphIsProvided32(font, 0x6F22));  /* 漢 */
    assert_true(TTF_GlyphIsProvided32(font, 0x04D8));   /* Ә */
    TTF_CloseFont(font);
    TTF_Quit();
}

/* Characters the UI itself writes or that editors type in any language. */
static const char kazakh_upper[] = "А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т "
                                   "У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я";
static const char kazakh_lower[] = "а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т "
                                   "у ұ ү ф х һ ц ч ш щ ъ ы і ь э ю я";
static const char russian[] = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя";
static const char latin[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char punctuation[] = "«»—–…“”„‘’№•·×§©°± !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

static void ui_character_set_is_covered(void **state)
{
    (void)state;
    /* The alphabet literals are what the test claims they are. */
    assert_int_equal(count_code_points(kazakh_upper), 42);
    assert_int_equal(count_code_points(kazakh_lower), 42);
    assert_int_equal(count_code_points(russian), 66);
    static cp_set s;
    memset(&s, 0, sizeof s);
    const char *parts[] = {kazakh_upper, kazakh_lower, russian, latin, punctuation};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        add_text(&s, parts[i], strlen(parts[i]), "UI character set");
    set_add(&s, 0x00A0);  /* no-break space, used before — and № */
    set_add(&s, 0x2009);  /* thin space */
    assert_covered(&s, "UI character set");
}

/* Adds every text column of the bundle to s; returns the number of values. */
static int add_bundle_texts(sqlite3 *db, cp_set *s)
{
    static const char *const queries[] = {
        "SELECT title FROM item_texts UNION ALL SELECT summary FROM item_texts "
        "UNION ALL SELECT body FROM item_texts",
        "SELECT title FROM category_texts UNION ALL SELECT summary FROM category_texts",
        "SELECT title FROM anchors",
        "SELECT value FROM meta",
    };
    int values = 0;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, queries[q], -1, &st, NULL) != SQLITE_OK)
            fail_msg("sample bundle: %s: %s", queries[q], sqlite3_errmsg(db));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(st, 0);
            int len = sqlite3_column_bytes(st, 0);
            if (text)
                add_text(s, text, (size_t)len, queries[q]);
            values++;
        }
        if (rc != SQLITE_DONE)
            fail_msg("sample bundle: %s: %s", queries[q], sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    return values;
}

static void sample_bundle_is_covered(void **state)
{
    (void)state;
    const char *path = getenv("SAMPLE_BUNDLE");
    if (!path || !*path)
        fail_msg("SAMPLE_BUNDLE is not set: run this test through ctest, which points it at "
                 "the sample bundle built from assets/content");
    FILE *probe = fopen(path, "rb");
    if (!probe)
        fail_msg("sample bundle %s does not exist: build the sample_bundle target "
                 "(infopoint-bundle build assets/content) before running the tests",
                 path);
    fclose(probe);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail_msg("cannot open sample bundle %s: %s", path, sqlite3_errmsg(db));
    static cp_set s;
    memset(&s, 0, sizeof s);
    int values = add_bundle_texts(db, &s);
    sqlite3_close(db);
    if (values == 0)
        fail_msg("sample bundle %s has no texts", path);
    assert_covered(&s, "sample bundle");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_face_and_the_fallback_open),
        cmocka_unit_test(the_check_detects_a_missing_glyph),
        cmocka_unit_test(ui_character_set_is_covered),
        cmocka_unit_test(sample_bundle_is_covered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
