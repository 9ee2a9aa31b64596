/* layout_read — what the speaker button reads: the text of a run of a
 * document's blocks as one string for the voice, and where each laid-out
 * text box sits in it, so the sentence being heard can be highlighted on
 * the page. Pure: no SDL, no audio. */
#pragma once

#include <stddef.h>

#include "content.h"
#include "layout.h"

typedef struct {
    char *text;        /* what is read: one block after another */
    size_t len;
    size_t first;      /* the blocks read: [first, first + count) */
    size_t count;
    size_t *block_off; /* where block first + i starts in text; (size_t)-1: not read */
} layout_reading;

/* The text of blocks [first, first + count) of doc, for reading aloud:
 * headings, paragraphs, list items and code in order; an image reads as
 * its alt text; rules are skipped. A block that does not end a sentence
 * (a heading, a list item) gets a full stop after it, so the voice pauses
 * there. Returns 0, or -1 when memory runs out (out is then empty). */
int layout_reading_build(const content_doc *doc, size_t first, size_t count, layout_reading *out);

/* Frees what layout_reading_build made (and zeroes it). */
void layout_reading_free(layout_reading *r);

/* The offset in r->text of the first byte of a laid-out text box, or -1
 * when the box is not read (a list marker, a clause number, a block
 * outside r). */
long layout_reading_offset(const layout_reading *r, const content_doc *doc, const layout_box *b);
