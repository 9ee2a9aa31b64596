#include "glyphs.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Warnings about one file before the rest are summed up in one line. */
#define MAX_PER_FILE 5

/* Code points below this are looked up once and remembered in two bit
 * sets (the Basic Multilingual Plane: 16 KB): FreeType's lookup cost 4 %
 * of a 10,000-item build when it ran for every character. */
#define CACHED_CPS 0x10000u

struct glyphs {
    FT_Library lib;
    FT_Face face;
    uint8_t known[CACHED_CPS / 8];  /* bit set: looked up */
    uint8_t has[CACHED_CPS / 8];    /* bit set: the font has it */
};

glyphs *glyphs_open(const char *path)
{
    glyphs *g = calloc(1, sizeof *g);
    if (!g || FT_Init_FreeType(&g->lib) != 0) {
        free(g);
        return NULL;
    }
    if (FT_New_Face(g->lib, path, 0, &g->face) != 0) {
        FT_Done_FreeType(g->lib);
        free(g);
        return NULL;
    }
    return g;
}

int glyphs_has(const glyphs *g, uint32_t cp)
{
    return FT_Get_Char_Index(g->face, cp) != 0;
}

/* glyphs_has, remembered for the BMP. */
static int has_cached(glyphs *g, uint32_t cp)
{
    if (cp >= CACHED_CPS)
        return glyphs_has(g, cp);
    uint8_t bit = (uint8_t)(1u << (cp & 7));
    if (!(g->known[cp >> 3] & bit)) {
        g->known[cp >> 3] |= bit;
        if (glyphs_has(g, cp))
            g->has[cp >> 3] |= bit;
    }
    return (g->has[cp >> 3] & bit) != 0;
}

void glyphs_close(glyphs *g)
{
    if (!g)
        return;
    FT_Done_Face(g->face);
    FT_Done_FreeType(g->lib);
    free(g);
}

/* Combining marks: drawn on the character before them. */
static int is_mark(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* Not drawn as glyphs: line breaks, tabs, spaces of every width. */
static int is_layout(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x00A0 || cp == 0x202F || cp == 0xFEFF;
}

/* What one file's scan has said so far. */
typedef struct {
    srcdir *sd;
    const char *rel;
    uint32_t seen[MAX_PER_FILE]; /* characters already warned about */
    int n_said, n_more;
} file_scan;

static void say_missing(file_scan *f, uint32_t cp, const char *at, int len, int line)
{
    for (int i = 0; i < f->n_said; i++)
        if (f->seen[i] == cp)
            return;
    if (f->n_said == MAX_PER_FILE) {
        f->n_more++;
        return;
    }
    f->seen[f->n_said++] = cp;
    srcdir_diag_add(f->sd, SRCDIR_WARNING, f->rel, line,
                    "character U+%04X '%.*s' is not in the kiosk's font: it shows as an empty box", (unsigned)cp,
                    len, at);
}

/* Scans one text file's bytes. */
static void scan(file_scan *f, glyphs *g, const char *s, size_t n)
{
    int line = 1, marks = 0, said_marks = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = utf8_decode(s + i, n - i, &cp);
        if (len <= 0) { /* the reader has refused bad UTF-8 already */
            i++;
            continue;
        }
        if (cp == '\n')
            line++;
        marks = is_mark(cp) ? marks + 1 : 0;
        if (marks == GLYPHS_MAX_MARKS + 1 && !said_marks) {
            said_marks = 1;
            srcdir_diag_add(f->sd, SRCDIR_WARNING, f->rel, line,
                            "more than %d combining marks on one character: they are drawn outside the line",
                            GLYPHS_MAX_MARKS);
        }
        if (!is_layout(cp) && !has_cached(g, cp))
            say_missing(f, cp, s + i, len, line);
        i += (size_t)len;
    }
    if (f->n_more)
        srcdir_diag_add(f->sd, SRCDIR_WARNING, f->rel, 0,
                        "%d more characters are not in the kiosk's font", f->n_more);
}

void glyphs_check_item(srcdir *sd, glyphs *g, const srcdir_item *it)
{
    for (int l = 0; l < sd->n_langs; l++) {
        const srcdir_text *t = &it->texts[l];
        if (!t->source)
            continue;
        char rel[128];
        srcdir_text_path(sd, it, l, rel, sizeof rel);
        file_scan f = {.sd = sd, .rel = rel};
        scan(&f, g, t->source, strlen(t->source));
    }
}
