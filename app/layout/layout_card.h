/* layout_card — the text of one explainer card laid out for the deck with
 * the document engine, so a card keeps its bold, italic, links and lists as
 * the reader shows them. Pure: the measurer is injected. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "content.h"
#include "layout.h"

/* A card's text blocks, each laid out alone (no margins) at the card's
 * width and text size, so the deck keeps its own gaps between them. */
typedef struct {
    layout_page **paras; /* in order; link-only blocks, images and rules left out */
    size_t n_paras;
} layout_card;

/* True when a block holds only links (and spaces): the deck shows those as
 * buttons, not text. */
bool layout_card_only_links(const content_block *blk);

/* Lays out the text blocks of card (0-based) after its title at width and
 * font px. NULL when memory runs out. */
layout_card *layout_card_build(const content_doc *d, size_t card, int width, int font, const layout_measurer *m);

/* Frees a card layout (NULL is fine). */
void layout_card_free(layout_card *lc);
