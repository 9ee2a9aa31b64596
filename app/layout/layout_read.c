/* layout_read — the text the speaker reads and where the boxes are in it
 * (see layout_read.h). */
#include "layout_read.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *p;
    size_t len, cap;
} buf;

static int put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

/* Whether text ends a sentence already (the voice pauses there). */
static int ends_sentence(const char *p, size_t len)
{
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\n'))
        len--;
    return len > 0 && strchr(".!?:;", p[len - 1]) != NULL;
}

/* Adds one block's runs; a heading or list item without a full stop gets one. */
static int put_block(buf *b, const content_doc *doc, const content_block *bl)
{
    size_t start = b->len;
    if (bl->type == CONTENT_IMAGE) {
        const char *alt = bl->image >= 0 && (size_t)bl->image < doc->n_images ? doc->images[bl->image].alt : "";
        if (alt && put(b, alt, strlen(alt)) < 0)
            return -1;
    }
    for (size_t r = 0; r < bl->n_runs; r++)
        if (put(b, bl->runs[r].text, bl->runs[r].len) < 0)
            return -1;
    if (b->len > start && !ends_sentence(b->p + start, b->len - start) && put(b, ".", 1) < 0)
        return -1;
    return put(b, "\n", 1);
}

int layout_reading_build(const content_doc *doc, size_t first, size_t count, layout_reading *out)
{
    memset(out, 0, sizeof *out);
    if (first > doc->n_blocks)
        first = doc->n_blocks;
    if (count > doc->n_blocks - first)
        count = doc->n_blocks - first;
    buf b = {0};
    out->block_off = malloc((count ? count : 1) * sizeof *out->block_off);
    if (!out->block_off || put(&b, "", 0) < 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        const content_block *bl = &doc->blocks[first + i];
        out->block_off[i] = (size_t)-1;
        if (bl->type == CONTENT_RULE)
            continue;
        out->block_off[i] = b.len;
        if (put_block(&b, doc, bl) < 0)
            goto fail;
    }
    out->text = b.p;
    out->len = b.len;
    out->first = first;
    out->count = count;
    return 0;
fail:
    free(b.p);
    free(out->block_off);
    memset(out, 0, sizeof *out);
    return -1;
}

void layout_reading_free(layout_reading *r)
{
    free(r->text);
    free(r->block_off);
    memset(r, 0, sizeof *r);
}

long layout_reading_offset(const layout_reading *r, const content_doc *doc, const layout_box *b)
{
    if (b->kind != LAYOUT_BOX_TEXT || b->block < 0 || (size_t)b->block < r->first ||
        (size_t)b->block >= r->first + r->count)
        return -1;
    size_t off = r->block_off[(size_t)b->block - r->first];
    if (off == (size_t)-1)
        return -1;
    const content_block *bl = &doc->blocks[b->block];
    /* The box's text points into one of the block's runs (markers and
     * numbers point elsewhere: not read). */
    for (size_t i = 0; i < bl->n_runs; i++) {
        const content_run *run = &bl->runs[i];
        if (b->text >= run->text && b->text < run->text + run->len)
            return (long)(off + (size_t)(b->text - run->text));
        off += run->len;
    }
    return -1;
}
