/* layout_card — one explainer card's text through layout_build_range. */
#include "layout_card.h"

#include <stdlib.h>

bool layout_card_only_links(const content_block *blk)
{
    if (blk->n_runs == 0)
        return false;
    for (size_t i = 0; i < blk->n_runs; i++) {
        if (blk->runs[i].link >= 0)
            continue;
        for (size_t k = 0; k < blk->runs[i].len; k++)
            if (blk->runs[i].text[k] != ' ')
                return false;
    }
    return true;
}

static bool is_text(const content_block *blk)
{
    return !layout_card_only_links(blk) && blk->type != CONTENT_IMAGE && blk->type != CONTENT_RULE;
}

void layout_card_free(layout_card *lc)
{
    if (!lc)
        return;
    for (size_t i = 0; i < lc->n_paras; i++)
        layout_free(lc->paras[i]);
    free(lc->paras);
    free(lc);
}

layout_card *layout_card_build(const content_doc *d, size_t card, int width, int font, const layout_measurer *m)
{
    const content_card *c = &d->cards[card];
    layout_card *lc = calloc(1, sizeof *lc);
    if (!lc || !(lc->paras = calloc(c->n_blocks ? c->n_blocks : 1, sizeof *lc->paras)))
        goto fail;
    layout_style st;
    layout_style_default(&st, width, font);
    st.margin_left = st.margin_right = st.margin_top = st.margin_bottom = 0;
    /* The first block is the "##" heading: the deck draws it as the title. */
    for (size_t b = c->first_block + 1; b < c->first_block + c->n_blocks; b++) {
        if (!is_text(&d->blocks[b]))
            continue;
        if (!(lc->paras[lc->n_paras] = layout_build_range(d, b, 1, &st, m)))
            goto fail;
        lc->n_paras++;
    }
    return lc;
fail:
    layout_card_free(lc);
    return NULL;
}
