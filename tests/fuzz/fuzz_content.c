/* libFuzzer target for the content parser: front-matter, then Markdown.
 *
 * Built by tests/fuzz/CMakeLists.txt (clang, -DINFOPOINT_FUZZ=ON) as
 * fuzz_content and, with -DFUZZ_LAYOUT, as fuzz_layout; run by
 * tests/cli/fuzz_short.sh and `make fuzz`. Seeds: tests/fuzz/corpus/content.
 *
 * With -DFUZZ_LAYOUT every parsed document is also laid out at a width taken from the
 * input, with a fake measurer, and no text box may start or end inside a
 * valid UTF-8 sequence; each block's plain text is also wrapped as a text
 * block (layout_lines), whose pieces must lie in order inside the text,
 * within the lines allowed, cut only between code points.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#ifdef FUZZ_LAYOUT
#include "layout.h"
#include "utf8.h"

static int fake_measure(void *ctx, layout_face face, int size, const char *text, size_t len)
{
    (void)ctx;
    int w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        w += (face & LAYOUT_FACE_BOLD) ? size * 6 / 10 : size / 2;
        i += n > 0 ? (size_t)n : 1;
    }
    return w;
}

static int fake_line_height(void *ctx, layout_face face, int size)
{
    (void)ctx;
    (void)face;
    return size * 13 / 10;
}

/* 1 when offset i of s[0..n) falls inside a valid UTF-8 sequence. */
static int cuts_sequence(const char *s, size_t n, size_t i)
{
    for (size_t k = 1; k <= 3 && k <= i; k++) {
        uint32_t cp;
        int len = utf8_decode(s + i - k, n - (i - k), &cp);
        if (len > (int)k)
            return 1;
    }
    return 0;
}

static void check_box_text(const content_doc *doc, const layout_box *b)
{
    if (b->kind != LAYOUT_BOX_TEXT || (b->style & LAYOUT_STYLE_MARKER))
        return;
    const content_block *blk = &doc->blocks[b->block];
    for (size_t r = 0; r < blk->n_runs; r++) {
        const char *t = blk->runs[r].text;
        size_t n = blk->runs[r].len;
        if (b->text >= t && b->text + b->len <= t + n) {
            size_t start = (size_t)(b->text - t);
            if (cuts_sequence(t, n, start) || cuts_sequence(t, n, start + b->len))
                abort();
            return;
        }
    }
    abort(); /* a text box outside its block's runs */
}

/* A text block's pieces: inside the text, in reading order, never
 * overlapping, whole code points, on the lines allowed; only the last may
 * carry the ellipsis. */
static void check_lines(const char *text, int width, int max_lines)
{
    enum { CAP = 256 };
    static layout_piece pc[CAP];
    layout_measurer m = {NULL, fake_measure, fake_line_height, NULL};
    size_t len = strlen(text);
    int n;
    int lines = layout_lines(&m, LAYOUT_FACE_BOLD, 16, text, len, width, max_lines, pc, CAP, &n);
    if (lines < 0 || lines > (max_lines > 0 ? max_lines : 0) || n < 0)
        abort();
    size_t end = 0;
    for (int i = 0; i < n && i < CAP; i++) {
        const layout_piece *p = &pc[i];
        if (p->len == 0 || p->off < end || p->off + p->len > len || p->line < 0 || p->line >= lines || p->x < 0)
            abort();
        if (cuts_sequence(text, len, p->off) || cuts_sequence(text, len, p->off + p->len))
            abort();
        if (p->ellipsis && i != n - 1)
            abort();
        if (i > 0 && p->line < pc[i - 1].line)
            abort();
        end = p->off + p->len;
    }
}

static void fuzz_layout(const content_doc *doc, const uint8_t *data, size_t size)
{
    int width = 200 + (size ? data[0] * 15 : 0);
    int base = 12 + (size > 1 ? data[1] % 60 : 0);
    layout_measurer m = {NULL, fake_measure, fake_line_height, NULL};
    layout_style st;
    layout_style_default(&st, width, base);
    layout_page *page = layout_build(doc, &st, &m);
    if (!page)
        return;
    for (size_t i = 0; i < page->n_boxes; i++) {
        const layout_box *b = &page->boxes[i];
        if ((i > 0 && b->y < page->boxes[i - 1].y) || b->y + b->h > page->height)
            abort();
        check_box_text(doc, b);
    }
    (void)layout_link_at(page, width / 2, page->height / 2, 20);
    layout_free(page);
    int max_lines = size > 2 ? data[2] % 8 : 3;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        char *text = content_block_text(&doc->blocks[i]);
        if (text)
            check_lines(text, width / 4 - 40, max_lines);
        free(text);
    }
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    content_front fm;
    content_issue issue;
    size_t body = 0;
    int line = 0;
    if (content_front_matter(src, size, &fm, &issue) == 0) {
        if (fm.body_offset > size)
            abort();
        body = fm.body_offset;
        line = fm.body_line - 1;
        for (size_t i = 0; i < fm.n; i++)
            if (content_front_get(&fm, fm.fields[i].key) == NULL)
                abort();
    }
    content_doc *doc = content_parse(src + body, size - body, line);
    if (!doc)
        return 0;
    /* Touch everything a consumer would, so the sanitizers see it. */
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const content_block *b = &doc->blocks[i];
        if (b->anchor && content_find_anchor(doc, b->anchor) < 0)
            abort();
        if (b->type == CONTENT_IMAGE && (b->image < 0 || (size_t)b->image >= doc->n_images))
            abort();
        for (size_t r = 0; r < b->n_runs; r++)
            if (b->runs[r].link >= (int)doc->n_links || b->runs[r].len == 0)
                abort();
        free(content_block_text(b));
    }
    for (size_t i = 0; i < doc->n_links; i++)
        if (doc->links[i].kind == CONTENT_LINK_INVALID && !doc->links[i].error)
            abort();
    for (size_t i = 0; i < doc->n_cards; i++)
        if (doc->cards[i].first_block + doc->cards[i].n_blocks > doc->n_blocks)
            abort();
    free(content_plain_text(doc));
#ifdef FUZZ_LAYOUT
    fuzz_layout(doc, data, size);
#endif
    content_free(doc);
    return 0;
}
