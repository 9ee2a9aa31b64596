/* ui_widgets — what views draw with: wrapped text, buttons, cards, scroll
 * bars, and the toast the core draws over everything. */
#pragma once

#include <stdbool.h>

#include "gesture.h"
#include "layout.h"
#include "layout_read.h"
#include "render.h"
#include "scroller.h"
#include "store.h"
#include "targets.h"
#include "theme.h"
#include "ui.h"
#include "ui_plan.h"

/* Font sizes of the operator screens, not scaled by the citizen's text
 * size. Only sizes (and faces) the citizen screens already use at text
 * step 0: every face and size is a TTF_Font the render context keeps for
 * the life of the process (~100 kB each), and rare operator visits should
 * not add to that. */
typedef enum {
    UI_OPFONT_TEXT,   /* 16 dp, regular and bold: rows, hints (font_small) */
    UI_OPFONT_BUTTON, /* 18 dp, bold: buttons, headings (font_bar) */
    UI_OPFONT_KEY,    /* 22 dp, bold: the keypad's OK (font_h3) */
    UI_OPFONT_TITLE,  /* 25 dp, bold: the keypad's title (font_h2) */
    UI_OPFONT_DIGIT,  /* 30 dp, bold: keypad digits (font_h1) */
} ui_opfont;

/* The pixel size of an operator font on this screen. */
int ui_operator_font(const ui *u, ui_opfont f);

/* Colour conversion from the theme. */
render_color ui_color(theme_color c);

/* Text measured by the render context, for layout_lines and layout_build. */
layout_measurer ui_measurer(ui *u);

/* Wraps plain text into at most max_lines lines of width w and draws them at
 * (x, y); the last line ends with "…" when text is cut. Returns the height
 * used. */
int ui_text_draw(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                 theme_color color);

/* As ui_text_draw, each line centred in the width w. */
int ui_text_draw_centred(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                         theme_color color);

/* As ui_text_draw, for a preview of what a tap opens (a summary on a row,
 * a snippet): cutting it with "…" loses nothing, so it is not counted as
 * a cut text. */
int ui_text_preview(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                    theme_color color);

/* The height ui_text_draw would use for text, without drawing. */
int ui_text_height(ui *u, render_face face, int size, const char *text, int w, int max_lines);

/* Measures plain text (as ui_text_draw would draw it) and adds it to a
 * page plan at (x, y); returns its height. text must live as long as the
 * plan. */
int ui_plan_text(ui *u, ui_plan *p, render_face face, int size, const char *text, int x, int y, int w,
                 int max_lines, theme_color color);

/* Draws one of a view's own parts at r (on screen) in a scrolling area. */
typedef void (*ui_part_draw)(ui *u, void *state, const ui_part *part, SDL_Rect r, SDL_Rect area);

/* Draws the parts of a plan that show in area scrolled by off: text parts
 * itself, the others through draw. */
void ui_plan_draw(ui *u, const ui_plan *p, SDL_Rect area, int off, ui_part_draw draw, void *state);

/* The colour of a laid-out text box: links and clause numbers in the accent,
 * list markers muted, the rest as text. */
theme_color ui_box_color(const theme *t, const layout_box *b);

/* Draws a laid-out text box at (x, y) in its colour, with the hyphen of a
 * word it cuts. */
void ui_box_text(ui *u, const layout_box *b, int x, int y);

/* Draws a laid-out page at (x, y): its text, rules, quote bars and code
 * panels, only the lines that end above bottom (whole lines, no ellipsis);
 * no images and no link targets. */
void ui_page_draw(ui *u, const layout_page *p, int x, int y, int bottom);

/* Marks (on the highlight colour, behind the text: draw before
 * ui_page_draw) the boxes of a laid-out page at (x, y) that hold words of
 * the sentence heard, [at, at + len) of what r reads. */
void ui_page_mark_heard(ui *u, const layout_page *p, int x, int y, int bottom, const layout_reading *r,
                        size_t at, size_t len);

/* Whether a text box holds words of [at, at + len) of what r reads. */
bool ui_box_heard(const layout_reading *r, const content_doc *doc, const layout_box *b, size_t at, size_t len);

/* The speaker button's size: wide enough for "Listen" and "Stop". */
SDL_Rect ui_speaker_size(ui *u);

/* The speaker button at r: "Listen", or "Stop" while on; registered as
 * target id with the script name "@listen". */
void ui_speaker_button(ui *u, SDL_Rect r, bool on, target_id id);

/* Draws text with highlighted byte ranges (search hits) on a soft marker. */
void ui_text_highlighted(ui *u, render_face face, int size, const char *text, const store_range *hl, int n_hl,
                         int x, int y, int w, int max_lines, theme_color color);

/* How a button looks and behaves (ui_button); combine with |. */
typedef enum {
    UI_BUTTON_PLAIN = 0,           /* outlined, the label in the accent colour */
    UI_BUTTON_PRIMARY = 1 << 0,    /* filled */
    UI_BUTTON_ICON_AFTER = 1 << 1, /* the icon after the label (Next); citizen look only */
    UI_BUTTON_DANGER = 1 << 2,     /* red instead of the accent (Restart, Exit) */
    UI_BUTTON_DISABLED = 1 << 3,   /* greyed and not tappable */
    UI_BUTTON_OPERATOR = 1 << 4,   /* the operator screens' look: a rounded box, not a pill, in
                                      the operator font; a label too long for one line wraps
                                      onto two (the long Kazakh labels) */
    UI_BUTTON_LARGE = 1 << 5,      /* with OPERATOR: the bigger label of the keypad's keys */
} ui_button_flags;

/* No icon on a button. */
#define UI_NO_ICON (-1)

/* The height a citizen's button w wide needs for label: a fingertip
 * (theme target), or two lines where one is too narrow (large text). */
int ui_button_height(ui *u, const char *label, int icon, int w);

/* Draws a button with a label (or NULL) and an icon (a render_icon, or
 * UI_NO_ICON), with press feedback, and registers it as target id; ref: the
 * route of a TARGET_LINK, else a name for scripts ("@sync-now") or NULL. */
void ui_button(ui *u, SDL_Rect rect, const char *label, int icon, ui_button_flags flags, target_id id,
               const char *ref);

/* A scroll indicator at the right edge of area for a scroller. */
void ui_scrollbar(ui *u, SDL_Rect area, const scroller *s);

/* Routes drag and press gestures to a vertical scroller (scrolling views). */
void ui_scroll_gesture(ui *u, scroller *s, const gesture_event *e);

/* Tells a scroller the content height when it changed (keeps motion otherwise). */
void ui_scroll_size(scroller *s, float *known_h, float content_h, float viewport_h);

/* Draws a white rounded card with a soft shadow. */
void ui_card(ui *u, SDL_Rect rect, bool pressed);

/* Draws the cover picture named asset (an asset of the bundle) filling r,
 * cut to r's shape. Returns 0, or -1 when the bundle has no such picture or
 * it does not decode (the caller then draws without one). The bytes are
 * read from the bundle only while the picture is not in the renderer's
 * cache. */
int ui_cover_draw(ui *u, SDL_Rect r, const char *asset);

/* The icon for an item kind ("article", "document", "explainer"). */
render_icon ui_kind_icon(const char *kind);

/* Draws the toast (ui_toast) at the bottom of the screen. */
void ui_toast_draw(ui *u);
