/* layout — text laid out for a width, for every screen: a content_doc as
 * positioned text fragments, images, rules and quote bars (layout_build), and
 * a plain text block as positioned words on at most n lines (layout_lines).
 *
 * Pure: no SDL. Text is measured through injected callbacks (the kiosk passes
 * render_text_width/render_line_height; tests pass a fake), so the same code is
 * tested without a screen. Every coordinate is an integer pixel, so a scroller
 * can rely on heights exactly.
 *
 * Wrapping breaks at spaces and after a hyphen inside a word; a word wider than
 * the line is broken between code points (never inside a UTF-8 sequence, never
 * before a combining accent). Each distinct word is measured once per face and
 * size, never a growing prefix, so a slow measurer stays cheap.
 *
 * A page holds pointers into the doc's strings: free the page before the doc.
 * Boxes are sorted by y (top edge), in reading order.
 */
#pragma once

#include <stddef.h>

#include "content.h"

/* Upper bound on boxes of one page (16 MB); beyond it the page stops and
 * says truncated. A whole Constitution at 800 px needs ~15,000. */
#define LAYOUT_MAX_BOXES (1u << 18)

/* Font faces; same order and values as render_face. */
typedef enum {
    LAYOUT_FACE_REGULAR,
    LAYOUT_FACE_BOLD,
    LAYOUT_FACE_ITALIC,
    LAYOUT_FACE_BOLD_ITALIC
} layout_face;

/* Injected measurement. measure and line_height are required. */
typedef struct {
    void *ctx;
    /* Width in px of text[0..len) (UTF-8) in face at size_px. */
    int (*measure)(void *ctx, layout_face face, int size_px, const char *text, size_t len);
    /* Line height (ascent + descent + gap) in px of face at size_px. */
    int (*line_height)(void *ctx, layout_face face, int size_px);
    /* Optional: intrinsic size in px of the image src; 0, or -1 when unknown
     * (then a 16:9 placeholder box is laid out). */
    int (*image_size)(void *ctx, const char *src, int *w, int *h);
} layout_measurer;

/* Style parameters, all in px unless said otherwise. */
typedef struct {
    int width;              /* page width */
    int margin_left, margin_right, margin_top, margin_bottom;
    int base_px;            /* body text size */
    int heading_pct[6];     /* heading size per level, percent of base_px */
    int line_pct;           /* line advance, percent of the font's line height */
    int block_gap;          /* space between blocks */
    int heading_gap;        /* extra space above a heading (not at the top) */
    int item_gap;           /* space between consecutive list blocks */
    int list_indent;        /* indent per list level (room for the marker) */
    int quote_indent;       /* indent per quote level (room for the bar) */
    int quote_bar_width;
    int marker_gap;         /* between a list marker or clause number and the text */
    int clause_hang;        /* gutter for clause numbers; 0: no clause style */
    int code_pad;           /* padding inside a code block's panel */
    int rule_height;        /* thickness of a thematic break */
    int min_column;         /* nesting never narrows the text column below this */
    int image_max_width;    /* 0: the column width */
    int image_max_height;   /* 0: no limit */
    int image_scale_pct;    /* intrinsic image px → page px, percent */
} layout_style;

typedef enum {
    LAYOUT_BOX_TEXT,        /* text fragment: text[0..len) in face at size_px */
    LAYOUT_BOX_IMAGE,       /* image: content image index in .image */
    LAYOUT_BOX_RULE,        /* thematic break: a filled bar */
    LAYOUT_BOX_QUOTE_BAR,   /* the bar left of a block quote (spans the blocks) */
    LAYOUT_BOX_CODE_BG      /* panel behind a code block (comes before its text) */
} layout_box_kind;

/* Style bits of a box beyond the CONTENT_STYLE_* bits of its run. */
enum {
    LAYOUT_STYLE_MARKER = 1u << 8,        /* list bullet or number (text is the layout's) */
    LAYOUT_STYLE_CLAUSE_NUMBER = 1u << 9, /* hanging number of a clause paragraph */
    LAYOUT_STYLE_HEADING = 1u << 10,      /* text of a heading */
    LAYOUT_STYLE_HYPHEN = 1u << 11        /* ends a word cut at the end of its line: LAYOUT_HYPHEN is
                                             drawn at x + w (room for it is left on the line) */
};

typedef struct {
    layout_box_kind kind;
    int x, y, w, h;         /* page coordinates; TEXT: h is the font's line height */
    layout_face face;       /* TEXT */
    int size_px;            /* TEXT */
    unsigned style;         /* CONTENT_STYLE_* | LAYOUT_STYLE_* */
    int link;               /* content link index, or -1 */
    int block;              /* content block index */
    int image;              /* IMAGE: content image index, else -1 */
    const char *text;       /* TEXT: not NUL-terminated; into the doc, or the page's */
    size_t len;
} layout_box;

/* Where a content block ended up: top of its first line and its height. */
typedef struct {
    int y;                  /* -1 when the block was not laid out */
    int h;
} layout_block_pos;

typedef struct {
    const layout_box *boxes;        size_t n_boxes;
    const layout_block_pos *blocks; size_t n_blocks; /* one per doc block */
    int width;                      /* style.width */
    int height;                     /* total height, margins included */
    int truncated;                  /* LAYOUT_MAX_BOXES reached; the rest is missing */
    const content_doc *doc;
    void *priv;                     /* owned storage; do not touch */
} layout_page;

/* Fills st with proportions that read well for base_px text on a page of
 * width_px (margins, gaps, indents, heading sizes). */
void layout_style_default(layout_style *st, int width_px, int base_px);

/* Lays out the whole document. NULL only when memory runs out. */
layout_page *layout_build(const content_doc *doc, const layout_style *st, const layout_measurer *m);

/* Lays out blocks [first, first + count) only, e.g. one explainer card.
 *
 * This is also how a card's rich text (bold, italic, links) is laid out
 * instead of being flattened to plain text: one paragraph at a time, so
 * the deck can skip link-only blocks, images and rules and keep its own
 * gaps, with no margins, at the card's width and text size:
 *
 *     layout_style st;
 *     layout_style_default(&st, card_w, font);
 *     st.margin_left = st.margin_right = st.margin_top = st.margin_bottom = 0;
 *     layout_page *p = layout_build_range(doc, b, 1, &st, &measurer);
 *     // draw p->boxes as the reader does (face, link colour) at (x, y + box.y);
 *     // y += p->height; when the card must be cut, draw only the boxes
 *     // with box.y + box.h <= bottom (they are sorted by y): whole lines.
 *
 * Unlike layout_lines it puts no ellipsis where text is cut. */
layout_page *layout_build_range(const content_doc *doc, size_t first, size_t count,
                                const layout_style *st, const layout_measurer *m);

/* Frees a page (NULL is fine). */
void layout_free(layout_page *page);

/* y of the block carrying anchor, or -1 when absent or not laid out. */
int layout_anchor_y(const layout_page *page, const char *anchor);

/* Link under the point (x, y), or the nearest link box within tolerance_px
 * (for fingers); -1 when none. */
int layout_link_at(const layout_page *page, int x, int y, int tolerance_px);

/* ------------------------------------------------------------------ */
/* Plain text blocks: labels, titles, summaries, snippets, toasts,      */
/* buttons. One call per block; nothing kept between calls.             */

/* What ends a cut last line (U+2026), measured in the block's face and size. */
#define LAYOUT_ELLIPSIS "\xE2\x80\xA6"
/* What ends a line that cuts a word wider than the line. */
#define LAYOUT_HYPHEN "-"

/* One word, or the part of a word cut at the end of a line, placed. */
typedef struct {
    size_t off, len;        /* text[off .. off + len): never empty, never split inside a code point */
    int x;                  /* left edge, px right of the block's left edge */
    int w;                  /* measured width in px */
    int line;               /* 0-based; top edge is line × line height */
    int ellipsis;           /* 1: LAYOUT_ELLIPSIS is drawn at x + w, after this piece (always the last) */
    int hyphen;             /* 1: a word cut at the end of a line that is not the last: "-" (LAYOUT_HYPHEN)
                               is drawn at x + w, so the break reads as one */
} layout_piece;

/* Wraps text[0..len) (UTF-8; pass strlen for a C string) into lines of at
 * most width px in face at size_px, at most max_lines of them. Only
 * m->measure is called, at most once per distinct word (plus the space, the
 * ellipsis and O(log n) prefixes of each word cut); nothing is allocated
 * that outlives the call.
 *
 * Rules: words are split at spaces and newlines (a newline is a space, not a
 * line break; leading, trailing and repeated ones take no room); a word that
 * does not fit after a space starts the next line; a word wider than a whole
 * line is cut between code points where the width runs out (at least one
 * per line, so a width below one character still ends; nothing but its zero
 * width keeps an accent with its letter); on the last line, a cut word, or a word followed by one that
 * will not fit, gets the ellipsis (a cut word leaves it room). These are
 * the rules of the ui's former wrap_text, piece for piece and pixel for pixel.
 *
 * Writes the first cap pieces (in reading order) to out; *n_pieces (when not
 * NULL) gets how many there are, which may exceed cap: call again with room
 * for them all. out may be NULL with cap 0 to measure only. Returns the
 * lines used (0 for blank text or max_lines <= 0): the block is that many
 * line heights tall.
 *
 * How the ui draws a block (hl: search hits as byte ranges of text):
 *
 *     layout_piece pc[64];
 *     int n, lh = render_line_height(r, face, size);
 *     int lines = layout_lines(&measurer, face, size, text, strlen(text), w, max_lines, pc, 64, &n);
 *     for (int i = 0; i < n && i < 64; i++) {
 *         const layout_piece *p = &pc[i];
 *         int px = x + p->x, py = y + p->line * lh;
 *         if (overlaps(hl, p->off, p->len))          // the soft marker under a hit
 *             render_fill_rect(r, (SDL_Rect){px - 2, py, p->w + 4, lh}, radius, marker);
 *         render_text(r, face, size, text + p->off, p->len, px, py, colour);
 *         if (p->ellipsis)
 *             render_text(r, face, size, LAYOUT_ELLIPSIS, strlen(LAYOUT_ELLIPSIS), px + p->w, py, colour);
 *     }
 *     return lines * lh;                             // the block's height
 */
int layout_lines(const layout_measurer *m, layout_face face, int size_px, const char *text, size_t len, int width,
                 int max_lines, layout_piece *out, int cap, int *n_pieces);

/* What is drawn right after piece p (at x + w): LAYOUT_ELLIPSIS,
 * LAYOUT_HYPHEN, or NULL. */
const char *layout_piece_tail(const layout_piece *p);
