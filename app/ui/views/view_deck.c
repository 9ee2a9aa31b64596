/* An explainer deck: one big idea per card. Swipe left/right (the card
 * follows the finger), Previous/Next buttons, page dots, and a button to the
 * clause each card explains. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "ui_view.h"

#define DECK_SLIDE_MS 260u
#define DECK_MAX_LINKS 4

/* What can be tapped on a deck. */
typedef enum {
    DECK_PREV,
    DECK_NEXT,
    DECK_DOT,  /* index: the card (0-based) */
    DECK_LINK, /* a card's link button; index: which of the card's links */
} deck_target;

typedef struct {
    store_item item;
    store_text text;
    content_doc *doc;
    int card;                   /* 0-based card shown */
    float drag_x;               /* finger offset while dragging (px) */
    bool dragging;
    float slide_from;           /* slide animation start offset (px) */
    uint32_t slide_t0;
    bool sliding;
    bool turned_on_release;     /* the drag's release already turned the card */
} deck_state;

static void deck_unload(deck_state *ds)
{
    content_free(ds->doc);
    ds->doc = NULL;
    store_text_free(&ds->text);
}

static int deck_load(ui *u, deck_state *ds, const char *id, char *err, size_t errcap)
{
    deck_unload(ds);
    if (store_item_get(ui_store(u), id, ui_lang(u), &ds->item) < 0) {
        snprintf(err, errcap, "no item '%s' in this content", id);
        return -1;
    }
    if (strcmp(ds->item.kind, "explainer") != 0) {
        snprintf(err, errcap, "'%s' is not a deck of cards", id);
        return -1;
    }
    if (store_item_text(ui_store(u), id, ui_lang(u), &ds->text) < 0) {
        snprintf(err, errcap, "'%s' has no text in any language", id);
        return -1;
    }
    ds->doc = content_parse(ds->text.body, strlen(ds->text.body), 0);
    if (!ds->doc || ds->doc->n_cards == 0) {
        snprintf(err, errcap, "'%s' has no cards", id);
        return -1;
    }
    return 0;
}

static void deck_leave(void *state)
{
    deck_state *ds = state;
    deck_unload(ds);
    free(ds);
}

static void *deck_enter(ui *u, route *r, char *err, size_t errcap)
{
    deck_state *ds = ui_state_new(sizeof *ds, err, errcap);
    if (!ds)
        return NULL;
    if (deck_load(u, ds, r->id, err, errcap) < 0)
        goto fail;
    if (r->card < 1 || r->card > (int)ds->doc->n_cards) {
        snprintf(err, errcap, "deck '%s' has %zu cards, not %d", r->id, ds->doc->n_cards, r->card);
        goto fail;
    }
    ds->card = r->card - 1;
    return ds;
fail:
    deck_leave(ds);
    return NULL;
}

static const char *deck_title(ui *u, void *state)
{
    deck_state *ds = state;
    return ds->item.title;
}

static void go_card(ui *u, deck_state *ds, int card, float from_x)
{
    int n = (int)ds->doc->n_cards;
    if (card < 0 || card >= n) {
        /* Past the ends: spring back where it came from. */
        ds->slide_from = from_x;
    } else {
        float w = (float)ui_width(u);
        ds->slide_from = card > ds->card ? from_x + w : from_x - w;
        ds->card = card;
        ui_route(u)->card = card + 1;
    }
    ds->slide_t0 = ui_now(u);
    ds->sliding = ds->slide_from != 0;
    ds->drag_x = 0;
    ui_invalidate(u);
}

/* Current horizontal offset of the card (drag or slide animation). */
static float card_offset(ui *u, deck_state *ds)
{
    if (ds->dragging)
        return ds->drag_x;
    if (!ds->sliding)
        return 0;
    float p = (float)(ui_now(u) - ds->slide_t0) / (float)DECK_SLIDE_MS;
    if (p >= 1)
        return 0;
    float ease = 1 - (1 - p) * (1 - p) * (1 - p); /* ease-out cubic */
    return ds->slide_from * (1 - ease);
}

/* The text of link li starting at run i of blk (caller frees). */
static char *link_label(const content_block *blk, size_t i, int li)
{
    size_t len = 0;
    for (size_t k = i; k < blk->n_runs && blk->runs[k].link == li; k++)
        len += blk->runs[k].len;
    char *label = malloc(len + 1);
    if (!label)
        return NULL;
    size_t o = 0;
    for (size_t k = i; k < blk->n_runs && blk->runs[k].link == li; k++) {
        memcpy(label + o, blk->runs[k].text, blk->runs[k].len);
        o += blk->runs[k].len;
    }
    label[o] = '\0';
    return label;
}

/* True when a block holds only links (and spaces): shown as buttons. */
static bool only_links(const content_block *blk)
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

/* Lays out, and with draw draws, the current card in card_r: label, title,
 * paragraphs, then a button per link. Returns the height it needs. */
static int draw_card(ui *u, deck_state *ds, SDL_Rect card_r, int font, bool draw)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    const content_doc *d = ds->doc;
    const content_card *c = &d->cards[ds->card];
    int pad = theme_px(t, 28);
    int x = card_r.x + pad, w = card_r.w - 2 * pad, y = card_r.y + pad;
    if (draw)
        ui_card(u, card_r, false);
    char label[STORE_TITLE_MAX + 48];
    snprintf(label, sizeof label, ui_str(u, I18N_CARD_OF), ds->card + 1, (int)d->n_cards);
    y += ui_text_block(u, RENDER_FACE_BOLD, t->font_small, label, x, y, w, 1, t->color.accent, draw) + theme_px(t, 10);
    /* The title stays a step above the text, whatever size the text got. */
    int title_font = font * 6 / 5 > t->font_h1 ? font * 6 / 5 : t->font_h1;
    y += ui_text_block(u, RENDER_FACE_BOLD, title_font, c->title, x, y, w, 4, t->color.text, draw) + theme_px(t, 14);

    /* Links become buttons below the text; count them first so the text
     * leaves them room. */
    const content_link *links[DECK_MAX_LINKS];
    char *labels[DECK_MAX_LINKS];
    int n_links = 0;
    size_t end = c->first_block + c->n_blocks;
    for (size_t b = c->first_block + 1; b < end; b++) {
        const content_block *blk = &d->blocks[b];
        for (size_t i = 0; i < blk->n_runs && n_links < DECK_MAX_LINKS; i++) {
            int li = blk->runs[i].link;
            if (li < 0 || (i > 0 && blk->runs[i - 1].link == li))
                continue;
            labels[n_links] = link_label(blk, i, li);
            if (labels[n_links])
                links[n_links++] = &d->links[li];
        }
    }
    int buttons_h = n_links * (t->target + t->gap);
    int bottom = card_r.y + card_r.h - pad - buttons_h;
    int lh = render_line_height(rc, RENDER_FACE_REGULAR, font);
    for (size_t b = c->first_block + 1; b < end; b++) {
        const content_block *blk = &d->blocks[b];
        if (only_links(blk) || blk->type == CONTENT_IMAGE || blk->type == CONTENT_RULE)
            continue;
        char *text = content_block_text(blk);
        if (!text)
            continue;
        int lines = draw ? (bottom - y) / lh : 40;
        if (lines > 0)
            y += ui_text_block(u, RENDER_FACE_REGULAR, font, text, x, y, w, lines, t->color.text, draw) +
                 theme_px(t, 12);
        free(text);
    }
    y += theme_px(t, 8);
    for (int i = 0; i < n_links; i++) {
        char route_str[ROUTE_STRING_MAX + 1];
        bool ok = ui_link_route(links[i], ds->item.id, route_str, sizeof route_str);
        int bw = render_text_width(rc, RENDER_FACE_BOLD, t->font_bar, labels[i], strlen(labels[i])) + t->target +
                 theme_px(t, 48);
        if (bw > w)
            bw = w;
        if (draw && ok)
            ui_button(u, (SDL_Rect){x, y, bw, t->target}, labels[i], RENDER_ICON_DOCUMENT, UI_BUTTON_PRIMARY,
                      target_link(DECK_LINK, i), route_str);
        else if (draw)
            platform_log(PLATFORM_LOG_WARN, "deck %s: link '%s' is not followed here", ds->item.id, links[i]->url);
        y += t->target + t->gap;
        free(labels[i]);
    }
    return y - card_r.y + pad - t->gap;
}

static void deck_draw(ui *u, void *state, SDL_Rect area)
{
    deck_state *ds = state;
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int controls_h = t->target + t->gap * 2;
    int cw = t->content_w;
    int max_w = theme_px(t, 900);
    if (cw > max_w)
        cw = max_w;
    SDL_Rect card_r = {(ui_width(u) - cw) / 2, area.y + t->gap + theme_px(t, 4), cw, area.h - controls_h - t->gap * 2};
    /* As tall as the card's text needs (at most what there is), centred
     * above the controls. */
    /* The largest text size that shows the whole card: big on a 55"
     * screen, smaller rather than cut on a 7" one. */
    const int fonts[] = {t->font_h1, t->font_title, t->font_h3, t->font_body, t->font_small};
    int font = t->font_small, need = 0;
    for (size_t i = 0; i < sizeof fonts / sizeof *fonts; i++) {
        need = draw_card(u, ds, card_r, fonts[i], false);
        font = fonts[i];
        if (need <= card_r.h)
            break;
    }
    if (need < card_r.h) {
        /* Centred in the space above the controls when there is room. */
        card_r.y += (card_r.h - need) / 2;
        card_r.h = need;
    }
    int off = (int)lroundf(card_offset(u, ds));
    card_r.x += off;
    int mark = ui_target_count(u);
    draw_card(u, ds, card_r, font, true);
    /* A drag or slide must not leave tappable buttons where the card was. */
    if (off != 0)
        ui_targets_drop(u, mark);

    /* Controls: Previous, dots, Next. */
    int n = (int)ds->doc->n_cards;
    int cy = area.y + area.h - controls_h + t->gap;
    int dot = theme_px(t, 5), step = theme_px(t, 22);
    int dots_w = (n - 1) * step;
    /* Buttons as wide as their words, never into the dots. */
    int room = (cw - dots_w - step * 2) / 2;
    const char *prev = ui_str(u, I18N_PREVIOUS), *next = ui_str(u, I18N_NEXT);
    int pw = render_text_width(rc, RENDER_FACE_BOLD, t->font_bar, prev, strlen(prev)) + t->target + theme_px(t, 40);
    int nw = render_text_width(rc, RENDER_FACE_BOLD, t->font_bar, next, strlen(next)) + t->target + theme_px(t, 40);
    int bw = pw > nw ? pw : nw;
    if (bw > room)
        bw = room;
    if (bw < t->target)
        bw = t->target;
    if (ds->card > 0)
        ui_button(u, (SDL_Rect){(ui_width(u) - cw) / 2, cy, bw, t->target}, prev, RENDER_ICON_CHEVRON_LEFT,
                  UI_BUTTON_PLAIN,
                  target_tap(DECK_PREV, 0), NULL);
    if (ds->card < n - 1)
        ui_button(u, (SDL_Rect){(ui_width(u) + cw) / 2 - bw, cy, bw, t->target}, next, RENDER_ICON_CHEVRON_RIGHT,
                  UI_BUTTON_PRIMARY | UI_BUTTON_ICON_AFTER, target_tap(DECK_NEXT, 0), NULL);
    int dx = ui_width(u) / 2 - dots_w / 2;
    for (int i = 0; i < n; i++) {
        render_fill_circle(rc, dx + i * step, cy + t->target / 2, i == ds->card ? dot + theme_px(t, 1) : dot,
                           ui_color(i == ds->card ? t->color.accent : t->color.control_edge));
        /* Each dot is a target of its own, as wide as the spacing allows. */
        ui_add_target(u, (SDL_Rect){dx + i * step - step / 2, cy, step, t->target}, target_tap(DECK_DOT, i), NULL);
    }
}

static void deck_tap(ui *u, void *state, target_id id)
{
    deck_state *ds = state;
    switch ((deck_target)id.kind) {
    case DECK_PREV:
        go_card(u, ds, ds->card - 1, 0);
        break;
    case DECK_NEXT:
        go_card(u, ds, ds->card + 1, 0);
        break;
    case DECK_DOT:
        if (id.index >= 0 && id.index < (int)ds->doc->n_cards && id.index != ds->card)
            go_card(u, ds, id.index, 0);
        break;
    case DECK_LINK: /* a link: the ui follows it */
        break;
    }
}

static void deck_gesture(ui *u, void *state, const gesture_event *e)
{
    deck_state *ds = state;
    switch (e->kind) {
    case GESTURE_DRAG_START:
    case GESTURE_DRAG:
        if (e->axis != GESTURE_AXIS_X)
            break;
        if (e->kind == GESTURE_DRAG_START) {
            ds->dragging = true;
            ds->sliding = false;
            ds->drag_x = 0;
        }
        ds->drag_x += e->dx;
        /* Resist at the first and last card. */
        if ((ds->card == 0 && ds->drag_x > 0) || (ds->card == (int)ds->doc->n_cards - 1 && ds->drag_x < 0))
            ds->drag_x -= e->dx * 0.6f;
        ui_invalidate(u);
        break;
    case GESTURE_DRAG_END:
        if (!ds->dragging)
            break;
        ds->dragging = false;
        /* A slow drag past a third of the width also turns the card; a
         * fast flick arrives next as a SWIPE and turns it from the spring. */
        ds->turned_on_release = fabsf(ds->drag_x) > (float)ui_width(u) / 3;
        if (ds->turned_on_release)
            go_card(u, ds, ds->card + (ds->drag_x < 0 ? 1 : -1), ds->drag_x);
        else
            go_card(u, ds, -1, ds->drag_x); /* spring back */
        break;
    case GESTURE_SWIPE_LEFT:
    case GESTURE_SWIPE_RIGHT:
        if (ds->turned_on_release) {
            ds->turned_on_release = false;
            break;
        }
        go_card(u, ds, ds->card + (e->kind == GESTURE_SWIPE_LEFT ? 1 : -1), card_offset(u, ds));
        break;
    default:
        break;
    }
}

static bool deck_tick(ui *u, void *state, uint32_t now)
{
    deck_state *ds = state;
    if (ds->sliding && now - ds->slide_t0 >= DECK_SLIDE_MS) {
        ds->sliding = false;
        return true; /* one last frame at rest */
    }
    return ds->sliding;
}

static void deck_relayout(ui *u, void *state)
{
    deck_state *ds = state;
    char err[ROUTE_ERROR_MAX], id[ROUTE_ID_MAX + 1];
    int card = ds->card;
    snprintf(id, sizeof id, "%s", ds->item.id);
    if (deck_load(u, ds, id, err, sizeof err) == 0 && card < (int)ds->doc->n_cards)
        ds->card = card;
}

const view_ops view_deck = {
    .name = "deck",
    .enter = deck_enter,
    .leave = deck_leave,
    .draw = deck_draw,
    .title = deck_title,
    .gesture = deck_gesture,
    .tap = deck_tap,
    .tick = deck_tick,
    .relayout = deck_relayout,
};
