/* layout_private — what layout.c (documents) and layout_lines.c (plain text
 * blocks) share: the word-width cache and the UTF-8 steps used to cut a word
 * between code points. Not part of the contract (layout.h is). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

typedef struct {
    const char *s;              /* NULL: empty slot */
    uint32_t len;
    uint32_t hash;
    int size;
    int w;
    unsigned char face;
} layout_width_slot;

/* Widths measured through m, each (face, size, bytes) once. The cache keeps
 * pointers, not copies: the measured strings must outlive it. Zero-init
 * (with m set) is an empty cache. */
typedef struct {
    const layout_measurer *m;
    layout_width_slot *slots;   /* open addressing; NULL until first use */
    size_t mask, n;
} layout_widths;

/* Width of s[0..n) through the cache (0 for n == 0; a negative answer of the
 * measurer counts as 0). Falls back to measuring when memory runs out. */
int layout_width(layout_widths *c, layout_face face, int size, const char *s, size_t n);

/* The same, never cached (prefixes of a long word: many, each used once). */
int layout_width_raw(layout_widths *c, layout_face face, int size, const char *s, size_t n);

/* Frees the cache (it stays usable, empty). */
void layout_widths_free(layout_widths *c);

/* Length of the code point at s[i] (1 for a byte that starts no valid one). */
size_t layout_cp_len(const char *s, size_t n, size_t i);

/* Longest prefix of s[0..n), in whole code points, no wider than room; its
 * width in *w. 0 when not even one code point fits. Gallops then bisects over
 * uncached measurements, so a 1 MB word costs O(log n) of them; this assumes
 * a prefix never gets narrower when a code point is added (true of SDL_ttf:
 * a glyph only extends the run's box). */
size_t layout_fit_cps(layout_widths *c, layout_face face, int size, const char *s, size_t n, int room, int *w);
