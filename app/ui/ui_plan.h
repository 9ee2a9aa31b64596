/* ui_plan — a scrolling page measured once: the parts it is made of, each
 * with its place on the page, so drawing a frame only draws (and only the
 * parts on screen). A view builds its plan when the layout changes (text
 * size, language, screen size, content) and keeps it in its state. */
#pragma once

#include <SDL.h>
#include <stdbool.h>

#include "theme.h"

/* The kind of a part of plain text, which ui_plan_draw draws itself (the
 * views' own kinds are 0 and up). */
#define UI_PART_TEXT (-1)

/* One part of a page: what it is (the view's own enum), which one (an
 * index into the view's data), where it sits (page coordinates: y = 0 is
 * the top of the scrolling area) and up to two heights measured inside it
 * (a title's and a summary's, say) so drawing need not measure again. */
typedef struct {
    int kind, index;
    SDL_Rect r;
    int h1, h2;
    /* A UI_PART_TEXT part: the text (kept by the view while the plan
     * lives), its face (a render_face), size, lines and colour. */
    const char *text;
    int face, size, max_lines;
    theme_color color;
} ui_part;

typedef struct {
    ui_part *parts;
    int n, cap;
    int height; /* the page's height, margins included */
    bool valid; /* false: build it again before the next draw */
} ui_plan;

/* Forgets the parts (keeps the memory) and marks the plan valid. */
void ui_plan_reset(ui_plan *p);

/* Adds a part; false when out of memory (the part is then not drawn). */
bool ui_plan_add(ui_plan *p, int kind, int index, SDL_Rect r, int h1, int h2);

/* Adds a part as it is (a UI_PART_TEXT part); false when out of memory. */
bool ui_plan_add_part(ui_plan *p, const ui_part *part);

/* Frees the parts. */
void ui_plan_free(ui_plan *p);

/* Whether a part shows in a viewport of height view_h scrolled by off. */
bool ui_part_visible(const ui_part *part, int off, int view_h);
