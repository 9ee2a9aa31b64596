/* layout — positions a content_doc's blocks for a width (see layout.h).
 *
 * One pass over the blocks, top to bottom. A text block is cut into pieces
 * (words, and word parts after a hyphen), each measured once through a cache
 * keyed by face, size and bytes; lines are filled greedily. Boxes of one line
 * get their y when the line ends, because the line height is the tallest face
 * on it. Consecutive words of the same run on a line share one box, so a
 * paragraph costs a few boxes per line, not one per word.
 */
#include "layout.h"
#include "layout_private.h"
#include "utf8.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Quote levels that get a bar; deeper levels share the clamped indent. */
#define MAX_BARS 8
/* Remembered (face, size) → line height pairs. */
#define LH_CACHE 8

static const char BULLET[] = "\xE2\x80\xA2";     /* • */
static const char BULLET_ALT[] = "\xE2\x80\x93"; /* – for even list levels */

/* ------------------------------------------------------------------ */
/* State                                                                */

typedef struct {
    layout_page page;           /* first, so page.priv and the store agree */
    layout_box *boxes;
    size_t cap_boxes;
    layout_block_pos *blocks;
    char (*numbers)[16];        /* texts of ordered list markers */
    size_t n_numbers, cap_numbers;
    int max_text_h;             /* tallest text box, bounds link_at's search */
} page_store;

/* A word or word part of a text block. */
typedef struct {
    const char *text;
    size_t len;
    int run;                    /* index in the block's runs */
    int w;
    unsigned char face;
    unsigned char space_before; /* a space precedes: a break with a space */
    unsigned char break_before; /* a line may break before this piece */
    unsigned char hard;         /* a hard line break (no text) */
} piece;

typedef struct {
    const content_doc *doc;
    const layout_style *st;
    const layout_measurer *m;
    page_store *ps;
    int failed;                 /* out of memory */
    int full;                   /* LAYOUT_MAX_BOXES reached */

    layout_widths widths;       /* each word measured once */
    struct {
        int face, size, lh;
    } lh_cache[LH_CACHE];
    int lh_n;

    piece *pieces;
    size_t n_pieces, cap_pieces;

    int col_left, col_w;        /* the page's text column */
    int y;                      /* top of the next line or block */
    int bar_box[MAX_BARS];      /* open quote bar per level, or -1 */

    /* The block being laid out. */
    int blk;
    int size;                   /* font size of its text */
    unsigned extra_style;       /* LAYOUT_STYLE_HEADING or 0 */
    int left, avail;            /* its text column */
    /* The line being filled. */
    int x;                      /* advance from left */
    int line_has;               /* holds text */
    int line_lh;                /* tallest line height on it, 0 if none yet */
    size_t line_first_box;
} ctx;

/* ------------------------------------------------------------------ */
/* Measuring                                                            */

/* Width of a word: measured once per (face, size, bytes) per layout. The
 * strings are the doc's, which outlive the layout, so the cache keeps
 * pointers rather than copies. */
static int measure(ctx *c, layout_face face, int size, const char *s, size_t n)
{
    return layout_width(&c->widths, face, size, s, n);
}

static int line_height(ctx *c, layout_face face, int size)
{
    for (int i = 0; i < c->lh_n; i++)
        if (c->lh_cache[i].face == (int)face && c->lh_cache[i].size == size)
            return c->lh_cache[i].lh;
    int lh = c->m->line_height(c->m->ctx, face, size);
    if (lh < 1)
        lh = 1;
    int slot = c->lh_n < LH_CACHE ? c->lh_n++ : (int)(((unsigned)face + (unsigned)size) % LH_CACHE);
    c->lh_cache[slot].face = (int)face;
    c->lh_cache[slot].size = size;
    c->lh_cache[slot].lh = lh;
    return lh;
}

/* ------------------------------------------------------------------ */
/* UTF-8 steps                                                          */

/* A combining accent must stay with the letter before it. */
static int combining_at(const char *s, size_t n, size_t i)
{
    uint32_t cp;
    if (i >= n || utf8_decode(s + i, n - i, &cp) < 0)
        return 0;
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x20D0 && cp <= 0x20FF);
}

/* Start of the code point before i: every byte that is not a continuation
 * byte starts one, as layout_cp_len steps over invalid bytes one at a time. */
static size_t prev_boundary(const char *s, size_t i)
{
    assert(i > 0);
    return utf8_prev(s, i);
}

/* Longest prefix of s[0..n) (in whole code points) no wider than room that
 * does not end before a combining accent; its width in *w. 0 when not even
 * one code point fits. */
static size_t fit_prefix(ctx *c, layout_face face, const char *s, size_t n, int room, int *w)
{
    *w = 0;
    if (room <= 0)
        return 0;
    int good_w;
    size_t good = layout_fit_cps(&c->widths, face, c->size, s, n, room, &good_w);
    if (good > 0 && good < n && combining_at(s, n, good)) {
        size_t g = good;
        while (g > 0 && combining_at(s, n, g))
            g = prev_boundary(s, g);
        if (g > 0) { /* else the word is all accents: cut anyway */
            good = g;
            good_w = layout_width_raw(&c->widths, face, c->size, s, good);
        }
    }
    *w = good_w;
    return good;
}

/* ------------------------------------------------------------------ */
/* Boxes                                                                */

static layout_box *push_box(ctx *c, layout_box_kind kind, int x, int y, int w, int h)
{
    page_store *ps = c->ps;
    if (c->failed || c->full)
        return NULL;
    if (ps->page.n_boxes >= LAYOUT_MAX_BOXES) {
        c->full = 1;
        return NULL;
    }
    if (ps->page.n_boxes == ps->cap_boxes) {
        size_t cap = ps->cap_boxes ? ps->cap_boxes * 2 : 256;
        layout_box *b = realloc(ps->boxes, cap * sizeof *b);
        if (!b) {
            c->failed = 1;
            return NULL;
        }
        ps->boxes = b;
        ps->cap_boxes = cap;
    }
    layout_box *b = &ps->boxes[ps->page.n_boxes++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->x = x;
    b->y = y;
    b->w = w;
    b->h = h;
    b->link = -1;
    b->block = c->blk;
    b->image = -1;
    return b;
}

static layout_face face_of(unsigned style, int heading)
{
    int bold = heading || (style & CONTENT_STYLE_BOLD);
    int italic = (style & CONTENT_STYLE_ITALIC) != 0;
    return (layout_face)((bold ? LAYOUT_FACE_BOLD : 0) | (italic ? LAYOUT_FACE_ITALIC : 0));
}

/* Closes the current line: its boxes get their y and height. */
static void end_line(ctx *c)
{
    const layout_style *st = c->st;
    int lh = c->line_lh ? c->line_lh : line_height(c, LAYOUT_FACE_REGULAR, c->size);
    long long adv = (long long)lh * st->line_pct / 100;
    if (adv < 1)
        adv = 1;
    int lead = adv > lh ? (int)(adv - lh) / 2 : 0;
    for (size_t i = c->line_first_box; i < c->ps->page.n_boxes; i++) {
        layout_box *b = &c->ps->boxes[i];
        b->y = c->y + lead;
        b->h = lh;
        if (lh > c->ps->max_text_h)
            c->ps->max_text_h = lh;
    }
    c->y += (int)adv;
    c->x = 0;
    c->line_has = 0;
    c->line_lh = 0;
    c->line_first_box = c->ps->page.n_boxes;
}

/* Puts text of run `run` at the current x (after gap px), extending the last
 * box when it holds the same run's preceding words on this line. */
/* A text box of several words is drawn as one string, which is a few px
 * wider than its words and spaces measured one by one (10 spaces: +5 px at
 * 20 px). Before another box follows it on the line, its width becomes the
 * string's own, and the line moves on from there: otherwise the next run
 * ("time. **Swipe**") was drawn over the space before it. */
static void settle_width(ctx *c, layout_box *last)
{
    int real = measure(c, (layout_face)last->face, last->size_px, last->text, last->len);
    c->x += real - last->w;
    last->w = real;
}

static void place(ctx *c, const content_block *b, int run, const char *text, size_t len, int w,
                  layout_face face, int gap, unsigned extra)
{
    page_store *ps = c->ps;
    layout_box *last = ps->page.n_boxes > c->line_first_box ? &ps->boxes[ps->page.n_boxes - 1] : NULL;
    const content_run *r = &b->runs[run];
    int merge = last && last->kind == LAYOUT_BOX_TEXT && last->face == face && !(last->style & LAYOUT_STYLE_MARKER)
                && last->style == (r->style | c->extra_style | extra) && last->link == r->link
                && last->text >= r->text && last->text + last->len <= text && text <= r->text + r->len;
    if (!merge && last && last->kind == LAYOUT_BOX_TEXT)
        settle_width(c, last);
    int x = c->left + c->x + gap;
    int lh = line_height(c, face, c->size);
    if (lh > c->line_lh)
        c->line_lh = lh;
    c->x += gap + w;
    c->line_has = 1;
    if (merge) {
        last->len = (size_t)(text + len - last->text);
        last->w = x + w - last->x;
        return;
    }
    layout_box *box = push_box(c, LAYOUT_BOX_TEXT, x, 0, w, 0);
    if (!box)
        return;
    box->face = face;
    box->size_px = c->size;
    box->style = r->style | c->extra_style | extra;
    box->link = r->link;
    box->text = text;
    box->len = len;
}

/* Places a piece too wide for an empty line, breaking it between code
 * points with a hyphen at each break (room for it is kept on the line);
 * continues on the current line when it fits there. */
static void place_long(ctx *c, const content_block *b, int run, const char *text, size_t len,
                       layout_face face)
{
    int hyphen_w = layout_width(&c->widths, face, c->size, LAYOUT_HYPHEN, sizeof LAYOUT_HYPHEN - 1);
    while (len > 0 && !c->failed && !c->full) {
        int w;
        size_t cut = fit_prefix(c, face, text, len, c->avail - c->x, &w);
        if (cut > 0 && cut < len)
            cut = fit_prefix(c, face, text, len, c->avail - c->x - hyphen_w, &w);
        if (cut == 0) {
            if (c->line_has) {
                end_line(c);
                continue;
            }
            /* Not one code point fits the column: place one anyway, or the
             * layout would never end. */
            cut = layout_cp_len(text, len, 0);
            w = layout_width_raw(&c->widths, face, c->size, text, cut);
        }
        place(c, b, run, text, cut, w, face, 0, cut < len ? LAYOUT_STYLE_HYPHEN : 0);
        text += cut;
        len -= cut;
        if (len > 0)
            end_line(c);
    }
}

/* ------------------------------------------------------------------ */
/* Text blocks                                                          */

static int add_piece(ctx *c, const piece *p)
{
    if (c->n_pieces == c->cap_pieces) {
        size_t cap = c->cap_pieces ? c->cap_pieces * 2 : 256;
        piece *np = realloc(c->pieces, cap * sizeof *np);
        if (!np) {
            c->failed = 1;
            return -1;
        }
        c->pieces = np;
        c->cap_pieces = cap;
    }
    c->pieces[c->n_pieces++] = *p;
    return 0;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Cuts the block's runs into pieces: words split at blanks, and after a
 * hyphen inside a word; "\n" is a hard break. skip: bytes of the first run
 * already shown (a clause number). */
static void make_pieces(ctx *c, const content_block *b, size_t skip)
{
    int pending_space = 0, pending_break = 0;
    c->n_pieces = 0;
    for (size_t r = 0; r < b->n_runs && !c->failed; r++) {
        const content_run *run = &b->runs[r];
        const char *t = run->text;
        size_t n = run->len, i = r == 0 ? skip : 0;
        layout_face face = face_of(run->style, c->extra_style & LAYOUT_STYLE_HEADING);
        while (i < n) {
            if (t[i] == '\n') {
                piece p = {t + i, 0, (int)r, 0, (unsigned char)face, 0, 1, 1};
                if (add_piece(c, &p) < 0)
                    return;
                pending_space = pending_break = 0;
                i++;
                continue;
            }
            if (is_blank(t[i])) {
                pending_space = 1;
                i++;
                continue;
            }
            size_t j = i;
            int hyphen = 0;
            while (j < n && !is_blank(t[j]) && t[j] != '\n') {
                if (t[j] == '-' && j > i && j + 1 < n && !is_blank(t[j + 1]) && t[j + 1] != '\n'
                    && t[j + 1] != '-') {
                    j++;
                    hyphen = 1;
                    break;
                }
                j++;
            }
            piece p = {t + i, j - i, (int)r, measure(c, face, c->size, t + i, j - i), (unsigned char)face,
                       (unsigned char)pending_space, (unsigned char)(pending_space || pending_break), 0};
            if (add_piece(c, &p) < 0)
                return;
            pending_space = 0;
            pending_break = hyphen;
            i = j;
        }
    }
}

/* Greedy line filling over the pieces. A group is a run of pieces with no
 * break between them (a word split across styles, "**bold**text"). */
static void fill_lines(ctx *c, const content_block *b)
{
    size_t i = 0;
    while (i < c->n_pieces && !c->failed && !c->full) {
        const piece *p = &c->pieces[i];
        if (p->hard) {
            end_line(c);
            i++;
            continue;
        }
        size_t j = i + 1;
        long long gw = p->w;
        while (j < c->n_pieces && !c->pieces[j].break_before && !c->pieces[j].hard)
            gw += c->pieces[j++].w;
        int gap = c->line_has && p->space_before ? measure(c, (layout_face)p->face, c->size, " ", 1) : 0;
        if (c->line_has && c->x + gap + gw > c->avail) {
            end_line(c);
            gap = 0;
        }
        if (c->x + gap + gw <= c->avail) {
            for (size_t k = i; k < j; k++) {
                const piece *q = &c->pieces[k];
                place(c, b, q->run, q->text, q->len, q->w, (layout_face)q->face, k == i ? gap : 0, 0);
            }
        } else {
            /* Wider than a whole line: the line is empty here. */
            for (size_t k = i; k < j && !c->failed && !c->full; k++) {
                const piece *q = &c->pieces[k];
                if (c->x + q->w <= c->avail) {
                    place(c, b, q->run, q->text, q->len, q->w, (layout_face)q->face, 0, 0);
                } else if (c->line_has && q->w <= c->avail) {
                    end_line(c);
                    place(c, b, q->run, q->text, q->len, q->w, (layout_face)q->face, 0, 0);
                } else {
                    place_long(c, b, q->run, q->text, q->len, (layout_face)q->face);
                }
            }
        }
        i = j;
    }
}

/* "art43-5": a clause anchor is an article anchor, a dash and a number. */
static int is_clause_anchor(const char *a)
{
    const char *dash = a ? strrchr(a, '-') : NULL;
    if (!dash || dash == a || dash[1] == '\0')
        return 0;
    for (const char *s = dash + 1; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Bytes of a leading "12." or "12)" in the first run, or 0. */
static size_t clause_number_len(const content_block *b)
{
    if (b->n_runs == 0 || (b->runs[0].style & CONTENT_STYLE_CODE))
        return 0;
    const char *t = b->runs[0].text;
    size_t n = b->runs[0].len, i = 0;
    while (i < n && i < 6 && t[i] >= '0' && t[i] <= '9')
        i++;
    if (i == 0 || i >= n || (t[i] != '.' && t[i] != ')'))
        return 0;
    i++;
    return i == n || is_blank(t[i]) ? i : 0;
}

static const char *marker_text(ctx *c, const content_block *b, size_t *len)
{
    if (!b->ordered) {
        const char *s = b->list_depth % 2 ? BULLET : BULLET_ALT;
        *len = strlen(s);
        return s;
    }
    page_store *ps = c->ps;
    assert(ps->n_numbers < ps->cap_numbers);
    char *s = ps->numbers[ps->n_numbers++];
    snprintf(s, sizeof ps->numbers[0], "%d.", b->number);
    *len = strlen(s);
    return s;
}

/* List marker (right-aligned before the text) for a CONTENT_LIST_ITEM. */
static void add_marker(ctx *c, const content_block *b)
{
    size_t len;
    const char *s = marker_text(c, b, &len);
    int w = measure(c, LAYOUT_FACE_REGULAR, c->size, s, len);
    int need = w + c->st->marker_gap;
    if (c->left - c->col_left < need && c->avail - need >= c->st->min_column) {
        int shift = need - (c->left - c->col_left);
        c->left += shift;
        c->avail -= shift;
    }
    int x = c->left - need;
    if (x < c->col_left)
        x = c->col_left;
    layout_box *box = push_box(c, LAYOUT_BOX_TEXT, x, 0, w, 0);
    if (!box)
        return;
    box->face = LAYOUT_FACE_REGULAR;
    box->size_px = c->size;
    box->style = LAYOUT_STYLE_MARKER;
    box->text = s;
    box->len = len;
    int lh = line_height(c, LAYOUT_FACE_REGULAR, c->size);
    if (lh > c->line_lh)
        c->line_lh = lh;
}

/* Hanging clause number: "5." in the gutter, the clause text beside it.
 * Returns the bytes of the first run it consumed. */
static size_t add_clause_number(ctx *c, const content_block *b)
{
    const layout_style *st = c->st;
    size_t nlen = clause_number_len(b);
    int hang = st->clause_hang;
    layout_face face = face_of(nlen ? b->runs[0].style : 0, 0);
    int w = nlen ? measure(c, face, c->size, b->runs[0].text, nlen) : 0;
    if (nlen && w + st->marker_gap > hang)
        hang = w + st->marker_gap;
    if (c->avail - hang < st->min_column)
        hang = c->avail > st->min_column ? c->avail - st->min_column : 0;
    if (nlen)
        place(c, b, 0, b->runs[0].text, nlen, w, face, 0, LAYOUT_STYLE_CLAUSE_NUMBER);
    c->left += hang;
    c->avail -= hang;
    c->x = 0;
    c->line_has = 0; /* the number sits in the gutter, not in the column */
    return nlen;
}

static void layout_text(ctx *c, const content_block *b)
{
    const layout_style *st = c->st;
    int heading = b->type == CONTENT_HEADING;
    long long size = st->base_px;
    if (heading)
        size = size * st->heading_pct[b->level >= 1 && b->level <= 6 ? b->level - 1 : 5] / 100;
    c->size = size < 1 ? 1 : size > 4096 ? 4096 : (int)size;
    c->extra_style = heading ? LAYOUT_STYLE_HEADING : 0;
    c->x = 0;
    c->line_has = 0;
    c->line_lh = 0;
    c->line_first_box = c->ps->page.n_boxes;

    size_t skip = 0;
    int marker = b->type == CONTENT_LIST_ITEM;
    if (marker)
        add_marker(c, b);
    else if (b->type == CONTENT_PARAGRAPH && st->clause_hang > 0 && is_clause_anchor(b->anchor))
        skip = add_clause_number(c, b);
    make_pieces(c, b, skip);
    fill_lines(c, b);
    /* A marker or clause number with no text still needs its line. */
    if (c->line_has || c->ps->page.n_boxes > c->line_first_box)
        end_line(c);
}

static void layout_code(ctx *c, const content_block *b)
{
    const layout_style *st = c->st;
    int top = c->y;
    layout_box *bg = push_box(c, LAYOUT_BOX_CODE_BG, c->left, top, c->avail, 0);
    size_t bg_index = c->ps->page.n_boxes - 1;
    int pad = st->code_pad;
    if (c->avail - 2 * pad < 1)
        pad = 0;
    c->size = st->base_px;
    c->extra_style = 0;
    c->left += pad;
    c->avail -= 2 * pad;
    c->y += pad;
    c->x = 0;
    c->line_has = 0;
    c->line_lh = 0;
    c->line_first_box = c->ps->page.n_boxes;
    for (size_t r = 0; r < b->n_runs && !c->failed && !c->full; r++) {
        const content_run *run = &b->runs[r];
        layout_face face = face_of(run->style, 0);
        size_t i = 0;
        while (i <= run->len && !c->failed && !c->full) {
            const char *nl = memchr(run->text + i, '\n', run->len - i);
            size_t end = nl ? (size_t)(nl - run->text) : run->len;
            if (end > i) {
                int w = measure(c, face, c->size, run->text + i, end - i);
                if (c->x + w <= c->avail)
                    place(c, b, (int)r, run->text + i, end - i, w, face, 0, 0);
                else
                    place_long(c, b, (int)r, run->text + i, end - i, face);
            }
            if (!nl)
                break;
            end_line(c);
            i = end + 1;
        }
    }
    if (c->line_has)
        end_line(c);
    c->y += pad;
    if (bg)
        c->ps->boxes[bg_index].h = c->y - top;
}

static void layout_image(ctx *c, const content_block *b)
{
    const layout_style *st = c->st;
    const content_image *im = &c->doc->images[b->image];
    int max_w = c->avail;
    if (st->image_max_width > 0 && st->image_max_width < max_w)
        max_w = st->image_max_width;
    int iw = 0, ih = 0;
    long long w, h;
    if (c->m->image_size && c->m->image_size(c->m->ctx, im->src, &iw, &ih) == 0 && iw > 0 && ih > 0) {
        int scale = st->image_scale_pct > 0 ? st->image_scale_pct : 100;
        w = (long long)iw * scale / 100;
        h = (long long)ih * scale / 100;
        if (w < 1)
            w = 1;
        if (h < 1)
            h = 1;
        if (w > max_w) {
            h = h * max_w / w;
            w = max_w;
        }
    } else {
        w = max_w; /* a placeholder the renderer fills with a "missing" icon */
        h = w * 9 / 16;
    }
    if (st->image_max_height > 0 && h > st->image_max_height) {
        w = w * st->image_max_height / h;
        h = st->image_max_height;
    }
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    int x = c->left + (c->avail - (int)w) / 2;
    layout_box *box = push_box(c, LAYOUT_BOX_IMAGE, x, c->y, (int)w, (int)h);
    if (!box)
        return;
    box->image = b->image;
    c->y += (int)h;
}

/* ------------------------------------------------------------------ */
/* Blocks                                                               */

static int block_gap(const layout_style *st, const content_block *prev, const content_block *b)
{
    if (!prev)
        return 0;
    if (b->type == CONTENT_HEADING)
        return st->block_gap + st->heading_gap;
    if (b->list_depth > 0 && prev->list_depth > 0 && b->type == CONTENT_LIST_ITEM)
        return st->item_gap;
    return st->block_gap;
}

/* Quote bars: one per level, drawn in the indent; a bar runs on over the
 * following blocks at the same or deeper level. */
static void open_bars(ctx *c, const content_block *b, int indent)
{
    const layout_style *st = c->st;
    for (int k = 0; k < MAX_BARS; k++) {
        int wanted = k < b->quote_depth && (long long)(k + 1) * st->quote_indent <= indent;
        if (!wanted) {
            c->bar_box[k] = -1;
            continue;
        }
        if (c->bar_box[k] >= 0)
            continue;
        int x = c->col_left + k * st->quote_indent;
        if (push_box(c, LAYOUT_BOX_QUOTE_BAR, x, c->y, st->quote_bar_width, 0))
            c->bar_box[k] = (int)c->ps->page.n_boxes - 1;
    }
}

static void extend_bars(ctx *c)
{
    for (int k = 0; k < MAX_BARS; k++)
        if (c->bar_box[k] >= 0) {
            layout_box *bar = &c->ps->boxes[c->bar_box[k]];
            bar->h = c->y - bar->y;
        }
}

static void layout_block(ctx *c, size_t i, const content_block *prev)
{
    const layout_style *st = c->st;
    const content_block *b = &c->doc->blocks[i];
    c->blk = (int)i;
    c->y += block_gap(st, prev, b);
    int top = c->y;

    long long indent = (long long)b->list_depth * st->list_indent + (long long)b->quote_depth * st->quote_indent;
    int max_indent = c->col_w > st->min_column ? c->col_w - st->min_column : 0;
    if (indent > max_indent)
        indent = max_indent;
    if (indent < 0)
        indent = 0;
    c->left = c->col_left + (int)indent;
    c->avail = c->col_w - (int)indent;
    open_bars(c, b, (int)indent);

    switch (b->type) {
    case CONTENT_HEADING:
    case CONTENT_PARAGRAPH:
    case CONTENT_LIST_ITEM:
        layout_text(c, b);
        break;
    case CONTENT_CODE:
        layout_code(c, b);
        break;
    case CONTENT_IMAGE:
        if (b->image >= 0 && (size_t)b->image < c->doc->n_images)
            layout_image(c, b);
        break;
    case CONTENT_RULE:
        if (push_box(c, LAYOUT_BOX_RULE, c->left, c->y, c->avail, st->rule_height))
            c->y += st->rule_height;
        break;
    }
    c->ps->blocks[i].y = top;
    c->ps->blocks[i].h = c->y - top;
    extend_bars(c);
}

/* ------------------------------------------------------------------ */
/* Public                                                               */

void layout_style_default(layout_style *st, int width_px, int base_px)
{
    assert(st && width_px > 0 && base_px > 0);
    static const int heading_pct[6] = {200, 160, 130, 115, 100, 100};
    memset(st, 0, sizeof *st);
    st->width = width_px;
    int margin = base_px * 3 / 2;
    if (margin > width_px / 10)
        margin = width_px / 10;
    st->margin_left = st->margin_right = margin;
    st->margin_top = st->margin_bottom = base_px;
    st->base_px = base_px;
    memcpy(st->heading_pct, heading_pct, sizeof heading_pct);
    st->line_pct = 100;
    st->block_gap = base_px * 3 / 4;
    st->heading_gap = base_px / 2;
    st->item_gap = base_px / 4;
    st->list_indent = base_px * 2;
    st->quote_indent = base_px * 3 / 2;
    st->quote_bar_width = base_px / 6 > 2 ? base_px / 6 : 2;
    st->marker_gap = base_px / 2;
    st->clause_hang = base_px * 3;
    st->code_pad = base_px / 2;
    st->rule_height = base_px / 12 > 1 ? base_px / 12 : 1;
    int column = width_px - 2 * margin;
    int min_column = base_px * 10 > column / 3 ? base_px * 10 : column / 3;
    st->min_column = min_column < column ? min_column : column;
    st->image_scale_pct = 100;
}

static void page_free(page_store *ps)
{
    if (!ps)
        return;
    free(ps->boxes);
    free(ps->blocks);
    free(ps->numbers);
    free(ps);
}

layout_page *layout_build_range(const content_doc *doc, size_t first, size_t count,
                                const layout_style *st, const layout_measurer *m)
{
    assert(doc && st && m && m->measure && m->line_height);
    assert(st->width > 0 && st->base_px > 0);
    if (first > doc->n_blocks)
        first = doc->n_blocks;
    if (count > doc->n_blocks - first)
        count = doc->n_blocks - first;

    ctx c = {0};
    c.doc = doc;
    c.st = st;
    c.m = m;
    c.widths.m = m;
    for (int k = 0; k < MAX_BARS; k++)
        c.bar_box[k] = -1;
    page_store *ps = calloc(1, sizeof *ps);
    if (!ps)
        return NULL;
    c.ps = ps;
    ps->blocks = malloc((doc->n_blocks ? doc->n_blocks : 1) * sizeof *ps->blocks);
    if (!ps->blocks)
        goto fail;
    for (size_t i = 0; i < doc->n_blocks; i++)
        ps->blocks[i] = (layout_block_pos){-1, 0};
    for (size_t i = first; i < first + count; i++)
        ps->cap_numbers += doc->blocks[i].type == CONTENT_LIST_ITEM && doc->blocks[i].ordered;
    if (ps->cap_numbers && !(ps->numbers = malloc(ps->cap_numbers * sizeof *ps->numbers)))
        goto fail;

    c.col_left = st->margin_left;
    c.col_w = st->width - st->margin_left - st->margin_right;
    if (c.col_w < 1) { /* margins wider than the page: use it all */
        c.col_left = 0;
        c.col_w = st->width;
    }
    c.y = st->margin_top;
    const content_block *prev = NULL;
    for (size_t i = first; i < first + count && !c.failed && !c.full; i++) {
        layout_block(&c, i, prev);
        prev = &doc->blocks[i];
    }
    if (c.failed)
        goto fail;
    free(c.pieces);
    layout_widths_free(&c.widths);
    ps->page.boxes = ps->boxes;
    ps->page.blocks = ps->blocks;
    ps->page.n_blocks = doc->n_blocks;
    ps->page.width = st->width;
    ps->page.height = c.y + st->margin_bottom;
    ps->page.truncated = c.full;
    ps->page.doc = doc;
    ps->page.priv = ps;
    return &ps->page;

fail:
    free(c.pieces);
    layout_widths_free(&c.widths);
    page_free(ps);
    return NULL;
}

layout_page *layout_build(const content_doc *doc, const layout_style *st, const layout_measurer *m)
{
    return layout_build_range(doc, 0, doc->n_blocks, st, m);
}

void layout_free(layout_page *page)
{
    if (page)
        page_free(page->priv);
}

int layout_anchor_y(const layout_page *page, const char *anchor)
{
    assert(page && anchor);
    int b = content_find_anchor(page->doc, anchor);
    return b < 0 ? -1 : page->blocks[b].y;
}

int layout_link_at(const layout_page *page, int x, int y, int tolerance_px)
{
    assert(page);
    const page_store *ps = page->priv;
    if (tolerance_px < 0)
        tolerance_px = 0;
    /* Boxes are sorted by y: skip those that end above the point. */
    long long from = (long long)y - tolerance_px - ps->max_text_h;
    size_t lo = 0, hi = page->n_boxes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (page->boxes[mid].y < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    int best = -1;
    long long best_d = LLONG_MAX;
    for (size_t i = lo; i < page->n_boxes && page->boxes[i].y <= (long long)y + tolerance_px; i++) {
        const layout_box *b = &page->boxes[i];
        if (b->kind != LAYOUT_BOX_TEXT || b->link < 0)
            continue;
        long long dx = x < b->x ? b->x - x : x >= b->x + b->w ? x - (b->x + b->w - 1) : 0;
        long long dy = y < b->y ? b->y - y : y >= b->y + b->h ? y - (b->y + b->h - 1) : 0;
        if (dx > tolerance_px || dy > tolerance_px)
            continue;
        long long d = dx * dx + dy * dy;
        if (d < best_d) {
            best_d = d;
            best = b->link;
        }
    }
    return best;
}
