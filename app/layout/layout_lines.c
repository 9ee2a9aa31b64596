/* layout_lines — a plain text block (a label, a title, a summary, a snippet)
 * wrapped into at most max_lines lines (see layout.h).
 *
 * The rules are those the ui's wrap_text drew with, kept exactly so that
 * switching to this engine changes no pixel: words are split at spaces and
 * newlines (a newline is a space here, not a line break); a word goes to the
 * next line when it does not fit after a space; a word wider than a whole
 * line is cut between code points, at least one per line, and the cut ends
 * with a hyphen (a title at the largest text size must not read as two
 * words); on the last line a cut word, or a word followed by one that will
 * not fit, ends with "…".
 * Each piece of a line is its own entry, drawn on its own at its x, as
 * wrap_text drew it. */
#include "layout.h"
#include "layout_private.h"

#include <assert.h>
#include <limits.h>

static const char SPACE[] = " ";
static const char ELLIPSIS[] = LAYOUT_ELLIPSIS;
static const char HYPHEN[] = LAYOUT_HYPHEN;

typedef struct {
    layout_widths widths;
    layout_face face;
    int size;
    const char *text;
    size_t len;
    long long width;
    int max_lines;
    layout_piece *out;
    int cap;
    int n;                      /* pieces found (may exceed cap) */
} lines_ctx;

static int width_of(lines_ctx *c, const char *s, size_t n)
{
    return layout_width(&c->widths, c->face, c->size, s, n);
}

static int is_gap(char ch)
{
    return ch == ' ' || ch == '\n';
}

/* Bytes of the word at i (up to a space, a newline or the end). */
static size_t word_len(const lines_ctx *c, size_t i)
{
    size_t j = i;
    while (j < c->len && !is_gap(c->text[j]))
        j++;
    return j - i;
}

static void emit(lines_ctx *c, size_t off, size_t len, long long x, int w, int line, int ellipsis)
{
    if (c->n < c->cap)
        c->out[c->n] = (layout_piece){off, len, (int)x, w, line, ellipsis, 0};
    c->n++;
}

static int clamp_int(long long v)
{
    return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

/* The word at i does not fit what is left of its line (then the line holds
 * nothing before it): places its longest prefix that fits, at least one code
 * point. The prefix leaves room for what follows it: the ellipsis on the
 * last line, else a hyphen. Returns the bytes placed. */
static size_t place_cut(lines_ctx *c, size_t i, size_t wl, long long start, int line, int last)
{
    const char *w = c->text + i;
    long long after = last ? width_of(c, ELLIPSIS, sizeof ELLIPSIS - 1) : width_of(c, HYPHEN, sizeof HYPHEN - 1);
    int cw;
    size_t cut = layout_fit_cps(&c->widths, c->face, c->size, w, wl, clamp_int(c->width - start - after), &cw);
    if (cut == 0) {
        cut = layout_cp_len(w, wl, 0);
        cw = width_of(c, w, cut);
    }
    emit(c, i, cut, start, cw, line, last);
    if (!last && cut < wl && c->n <= c->cap)
        c->out[c->n - 1].hyphen = 1;
    return cut;
}

/* Whole words, greedily; see the rules at the top. Returns the lines used:
 * those holding a piece that ends right of x = 0 (a line of nothing but
 * zero-width words does not count, as in wrap_text). */
static int wrap(lines_ctx *c)
{
    long long cx = 0; /* right end of the current line's text; 0: empty */
    int line = 0;
    size_t i = 0;
    while (i < c->len && line < c->max_lines) {
        while (i < c->len && is_gap(c->text[i]))
            i++;
        if (i == c->len)
            break;
        size_t wl = word_len(c, i);
        long long ww = width_of(c, c->text + i, wl);
        if (cx > 0 && cx + width_of(c, SPACE, 1) + ww > c->width) {
            line++;
            cx = 0;
            if (line >= c->max_lines)
                break;
        }
        long long start = cx > 0 ? cx + width_of(c, SPACE, 1) : 0;
        int last = line == c->max_lines - 1;
        if (ww > c->width - start) {
            size_t cut = place_cut(c, i, wl, start, line, last);
            if (last)
                return line + 1;
            i += cut;
            line++;
            cx = 0;
            continue;
        }
        cx = start + ww;
        /* On the last line, a next word that will not fit after this one
         * ends the text here, marked with an ellipsis. The next "word" may
         * be empty (a newline follows the spaces): then the space alone
         * decides, as it did in wrap_text. */
        size_t rest = i + wl;
        while (rest < c->len && c->text[rest] == ' ')
            rest++;
        if (last && rest < c->len) {
            long long nw = width_of(c, c->text + rest, word_len(c, rest));
            if (cx + width_of(c, SPACE, 1) + nw > c->width) {
                emit(c, i, wl, start, (int)ww, line, cx <= c->width);
                return line + 1;
            }
        }
        emit(c, i, wl, start, (int)ww, line, 0);
        i += wl;
    }
    return cx > 0 ? line + 1 : line;
}

int layout_lines(const layout_measurer *m, layout_face face, int size_px, const char *text, size_t len, int width,
                 int max_lines, layout_piece *out, int cap, int *n_pieces)
{
    assert(m && m->measure);
    assert(text || len == 0);
    assert(out || cap <= 0);
    lines_ctx c = {.widths = {.m = m}, .face = face, .size = size_px, .text = text, .len = len, .width = width,
                   .max_lines = max_lines, .out = out, .cap = cap > 0 ? cap : 0};
    int lines = wrap(&c);
    layout_widths_free(&c.widths);
    if (n_pieces)
        *n_pieces = c.n;
    return lines;
}

const char *layout_piece_tail(const layout_piece *p)
{
    return p->ellipsis ? ELLIPSIS : p->hyphen ? HYPHEN : NULL;
}
