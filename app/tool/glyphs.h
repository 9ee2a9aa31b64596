/* glyphs — characters in the content that the kiosk cannot draw.
 *
 * The kiosk draws text with one font (fonts/README.md: Noto Sans, covering
 * Latin, Cyrillic with the Kazakh letters, Greek); SDL_ttf has no per-glyph
 * fallback, so a character the font lacks (Arabic, Chinese, emoji) shows as
 * an empty box, and a pile of combining marks on one letter is drawn far
 * above and below its line. `check` warns about both, once per character
 * and file, with the line, so the editor can fix the text before it ships.
 * Reads the font with FreeType (no video). */
#pragma once

#include <stdint.h>

#include "srcdir.h"

/* More combining marks than this on one base character is warned about
 * (Kazakh, Russian and English need at most one; two occur in careful
 * typography). */
#define GLYPHS_MAX_MARKS 2

typedef struct glyphs glyphs;

/* Opens the font at path. NULL when it cannot be read (then nothing can be
 * checked; the caller says so once). */
glyphs *glyphs_open(const char *path);

/* 1 when the font has a glyph for the code point. */
int glyphs_has(const glyphs *g, uint32_t cp);

/* Frees g (NULL is fine). */
void glyphs_close(glyphs *g);

/* Warns (srcdir diagnostics) about every character of the texts of item it
 * that g lacks (remembered in g), and every pile of more than GLYPHS_MAX_MARKS combining
 * marks: "file:line: warning: ...". At most a few per file. */
void glyphs_check_item(srcdir *sd, glyphs *g, const srcdir_item *it);
