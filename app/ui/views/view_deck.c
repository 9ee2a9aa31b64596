/* An explainer deck: one big idea per card. Swipe left/right (the card
 * follows the finger), Previous/Next buttons, page dots, and a button to the
 * clause each card explains. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_card.h"
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
    DECK_LISTEN, /* the speaker: read the card aloud, or stop */
    DECK_DONE,   /* on the last card: back to where the deck was opened */
} deck_target;

/* The deck's tag for what it reads aloud (ui_speaking). */
#define DECK_VOICE_ID 2u

/* The current card laid out for one screen: built once when the card, the
 * screen or the content changes, then only drawn. */
typedef struct {
    int card, w, h;             /* laid out for this card and card box (card -1: nothing yet) */
    int font;                   /* the text size chosen */
    int label_h, title_font, title_h;
    layout_card *text;          /* the paragraphs at font */
    const content_link *links[DECK_MAX_LINKS];
    char *labels[DECK_MAX_LINKS];
    int n_links;
    int links_h;                /* the link buttons' height, gaps included */
    int height;                 /* what the whole card needs */
    bool scrolls;               /* taller than its box even at the body size: it scrolls */
} card_look;

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
    card_look look;
    int font, font_w, font_h;   /* the deck's one text size, for a card box this big */
    int deck_h;                 /* the tallest card at that size */
    layout_reading reading;     /* the card being read aloud */
    scroller sc;                /* a card too long for the screen scrolls inside itself */
    float content_h;
} deck_state;

static void look_free(card_look *lk)
{
    layout_card_free(lk->text);
    for (int i = 0; i < lk->n_links; i++)
        free(lk->labels[i]);
    *lk = (card_look){.card = -1};
}

static void deck_unload(deck_state *ds)
{
    look_free(&ds->look);
    ds->font = 0; /* another text, language or size: chosen again */
    layout_reading_free(&ds->reading);
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
    ds->look.card = -1;
    scroller_init(&ds->sc, 0, 0);
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
        if (card != ds->card)
            ui_speak_stop(u); /* the card read is going */
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

/* The card's links, shown as buttons below its text. */
static void collect_links(const content_doc *d, const content_card *c, card_look *lk)
{
    for (size_t b = c->first_block + 1; b < c->first_block + c->n_blocks; b++) {
        const content_block *blk = &d->blocks[b];
        for (size_t i = 0; i < blk->n_runs && lk->n_links < DECK_MAX_LINKS; i++) {
            int li = blk->runs[i].link;
            if (li < 0 || (i > 0 && blk->runs[i - 1].link == li))
                continue;
            lk->labels[lk->n_links] = link_label(blk, i, li);
            if (lk->labels[lk->n_links])
                lk->links[lk->n_links++] = &d->links[li];
        }
    }
}

/* Room for the card's "Card 1 of 8" beside the speaker button. */
static int label_width(ui *u, int w)
{
    return w - ui_speaker_size(u).w - theme_px(ui_theme(u), 8);
}

/* A link button's width: its words, up to the card's width w. */
static int link_width(ui *u, const char *label, int w)
{
    const theme *t = ui_theme(u);
    int bw = render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, label, strlen(label)) + t->target +
             theme_px(t, 48);
    return bw < w ? bw : w;
}

/* Lays card out at font for a card box w wide: label, title, paragraphs,
 * then a button per link (lk's links collected for that card). Returns the
 * height it needs, or -1 when memory runs out. */
static int layout_at(ui *u, deck_state *ds, int card, card_look *lk, int w, int font)
{
    const theme *t = ui_theme(u);
    const content_card *c = &ds->doc->cards[card];
    int pad = theme_px(t, 28), tw = w - 2 * pad;
    char label[STORE_TITLE_MAX + 48];
    snprintf(label, sizeof label, ui_str(u, I18N_CARD_OF), card + 1, (int)ds->doc->n_cards);
    lk->font = font;
    /* The label's row holds the speaker button too. */
    lk->label_h = ui_text_height(u, RENDER_FACE_BOLD, t->font_small, label, label_width(u, tw), 3);
    if (lk->label_h < t->target)
        lk->label_h = t->target;
    /* The title stays a step above the text, whatever size the text got. */
    lk->title_font = font * 6 / 5 > t->font_h1 ? font * 6 / 5 : t->font_h1;
    lk->title_h = ui_text_height(u, RENDER_FACE_BOLD, lk->title_font, c->title, tw, 4);
    layout_card_free(lk->text);
    layout_measurer m = ui_measurer(u);
    if (!(lk->text = layout_card_build(ds->doc, (size_t)card, tw, font, &m)))
        return -1;
    int h = pad + lk->label_h + theme_px(t, 10) + lk->title_h + theme_px(t, 14);
    for (size_t i = 0; i < lk->text->n_paras; i++)
        h += lk->text->paras[i]->height + theme_px(t, 12);
    lk->links_h = 0;
    for (int i = 0; i < lk->n_links; i++) {
        int bw = link_width(u, lk->labels[i], tw);
        lk->links_h += ui_button_height(u, lk->labels[i], RENDER_ICON_DOCUMENT, bw) + t->gap;
    }
    return h + theme_px(t, 8) + lk->links_h + pad - t->gap;
}

/* The height card c needs at font in a box w wide; -1 when memory runs out. */
static int card_height(ui *u, deck_state *ds, int c, int w, int font)
{
    card_look lk = {.card = -1};
    collect_links(ds->doc, &ds->doc->cards[c], &lk);
    int h = layout_at(u, ds, c, &lk, w, font);
    look_free(&lk);
    return h;
}

/* The deck's text size for the room there is (avail): the largest that
 * shows every card whole, big on a 55" screen, smaller on a 7" one, and
 * the same on every card, so the text does not change size as the cards
 * turn; and the tallest card at it (ds->deck_h), the height of the one
 * box every card is shown in. Never below the body size the citizen chose:
 * a card too long for it scrolls instead of dropping text. Measured once
 * per deck, language, text size and screen. -1 when memory runs out. */
static int deck_font(ui *u, deck_state *ds, SDL_Rect avail)
{
    if (ds->font > 0 && ds->font_w == avail.w && ds->font_h == avail.h)
        return ds->font;
    const theme *t = ui_theme(u);
    const int fonts[] = {t->font_h1, t->font_title, t->font_h3, t->font_body};
    size_t f = 0;
    for (int c = 0; c < (int)ds->doc->n_cards; c++) {
        for (; f + 1 < sizeof fonts / sizeof *fonts; f++) {
            int h = card_height(u, ds, c, avail.w, fonts[f]);
            if (h < 0)
                return -1;
            if (h <= avail.h)
                break;
        }
    }
    ds->deck_h = 0;
    for (int c = 0; c < (int)ds->doc->n_cards; c++) {
        int h = card_height(u, ds, c, avail.w, fonts[f]);
        if (h < 0)
            return -1;
        if (h > ds->deck_h)
            ds->deck_h = h;
    }
    ds->font = fonts[f];
    ds->font_w = avail.w;
    ds->font_h = avail.h;
    return ds->font;
}

/* Lays the current card out at font for the card box when it changed.
 * False when memory runs out. */
static bool ensure_look(ui *u, deck_state *ds, SDL_Rect card_r, int font)
{
    card_look *lk = &ds->look;
    if (lk->card == ds->card && lk->w == card_r.w && lk->h == card_r.h && lk->font == font)
        return true;
    look_free(lk);
    collect_links(ds->doc, &ds->doc->cards[ds->card], lk);
    if (font < 0 || (lk->height = layout_at(u, ds, ds->card, lk, card_r.w, font)) < 0) {
        look_free(lk);
        platform_log(PLATFORM_LOG_ERROR, "deck %s: layout failed (out of memory)", ds->item.id);
        return false;
    }
    lk->scrolls = lk->height > card_r.h;
    ds->content_h = -1;
    scroller_init(&ds->sc, 0, 0);
    lk->card = ds->card;
    lk->w = card_r.w;
    lk->h = card_r.h;
    return true;
}

/* Draws the laid-out card in card_r, its content scrolled up by off (a
 * card that scrolls); text that does not fit is cut at a whole line above
 * the link buttons (with a short text size on a big box: never when it
 * scrolls). */
static void draw_card(ui *u, deck_state *ds, SDL_Rect card_r, int off)
{
    const theme *t = ui_theme(u);
    const card_look *lk = &ds->look;
    const content_card *c = &ds->doc->cards[ds->card];
    int pad = theme_px(t, 28);
    int x = card_r.x + pad, w = card_r.w - 2 * pad, y = card_r.y + pad - off;
    ui_card(u, card_r, false);
    char label[STORE_TITLE_MAX + 48];
    snprintf(label, sizeof label, ui_str(u, I18N_CARD_OF), ds->card + 1, (int)ds->doc->n_cards);
    SDL_Rect speaker = ui_speaker_size(u);
    speaker.x = x + w - speaker.w;
    speaker.y = y;
    size_t at = 0, len = 0;
    bool heard = ds->reading.text && ui_speaking(u, DECK_VOICE_ID, &at, &len);
    ui_speaker_button(u, speaker, heard, target_tap(DECK_LISTEN, 0));
    int text_h = ui_text_height(u, RENDER_FACE_BOLD, t->font_small, label, label_width(u, w), 3);
    ui_text_draw(u, RENDER_FACE_BOLD, t->font_small, label, x, y + (lk->label_h - text_h) / 2, label_width(u, w), 3,
                 t->color.accent);
    y += lk->label_h + theme_px(t, 10);
    y += ui_text_draw(u, RENDER_FACE_BOLD, lk->title_font, c->title, x, y, w, 4, t->color.text) +
         theme_px(t, 14);
    int bottom = card_r.y - off + (lk->scrolls ? lk->height : card_r.h) - pad - lk->links_h;
    for (size_t i = 0; i < lk->text->n_paras && y < bottom; i++) {
        const layout_page *p = lk->text->paras[i];
        if (p->n_boxes == 0 || y + p->boxes[0].y + p->boxes[0].h > bottom)
            break; /* not one line fits: the buttons move up instead */
        if (heard)
            ui_page_mark_heard(u, p, x, y, bottom, &ds->reading, at, len);
        ui_page_draw(u, p, x, y, bottom);
        y = y + p->height > bottom ? bottom : y + p->height + theme_px(t, 12); /* cut: the buttons follow */
    }
    y += theme_px(t, 8);
    for (int i = 0; i < lk->n_links; i++) {
        char route_str[ROUTE_STRING_MAX + 1];
        int bw = link_width(u, lk->labels[i], w);
        int bh = ui_button_height(u, lk->labels[i], RENDER_ICON_DOCUMENT, bw);
        if (ui_link_route(lk->links[i], ds->item.id, route_str, sizeof route_str))
            ui_button(u, (SDL_Rect){x, y, bw, bh}, lk->labels[i], RENDER_ICON_DOCUMENT, UI_BUTTON_PRIMARY,
                      target_link(DECK_LINK, i), route_str);
        else
            platform_log(PLATFORM_LOG_WARN, "deck %s: link '%s' is not followed here", ds->item.id, lk->links[i]->url);
        y += bh + t->gap;
    }
}

/* The card, scrolling inside itself when it is taller than its box: its
 * content clipped to the card, its buttons tappable only where they show. */
static void draw_scrolling_card(ui *u, deck_state *ds, SDL_Rect card_r)
{
    if (!ds->look.scrolls) {
        draw_card(u, ds, card_r, 0);
        return;
    }
    render *rc = ui_render(u);
    ui_scroll_size(&ds->sc, &ds->content_h, (float)ds->look.height, (float)card_r.h);
    int mark = ui_target_count(u);
    render_clip(rc, &card_r);
    draw_card(u, ds, card_r, (int)scroller_offset(&ds->sc));
    render_clip(rc, NULL);
    ui_targets_clip(u, mark, card_r);
    ui_scrollbar(u, card_r, &ds->sc);
}

/* Width of a deck button holding label beside its icon (ui_button's pill
 * padding, icon and gap). */
static int button_width(ui *u, const char *label)
{
    const theme *t = ui_theme(u);
    return render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, label, strlen(label)) + t->target / 2 +
           theme_px(t, 8) + 2 * theme_px(t, 12) + theme_px(t, 8);
}

/* The page dots between the buttons, each a 9 mm target; where they do
 * not fit beside buttons that show their words whole (many cards, large
 * text, a narrow screen), "3 / 8" instead: the words matter more. */
static void draw_position(ui *u, deck_state *ds, int room, int cy)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int n = (int)ds->doc->n_cards;
    int dot = theme_px(t, 5), step = theme_px(t, 28);
    if (step < t->target_min)
        step = t->target_min;
    if (n * step > room) {
        char pos[32];
        snprintf(pos, sizeof pos, "%d / %d", ds->card + 1, n);
        int w = render_text_width(rc, RENDER_FACE_BOLD, t->font_bar, pos, strlen(pos));
        int lh = render_line_height(rc, RENDER_FACE_BOLD, t->font_bar);
        render_text(rc, RENDER_FACE_BOLD, t->font_bar, pos, strlen(pos), (ui_width(u) - w) / 2,
                    cy + (t->target - lh) / 2, ui_color(t->color.text_muted));
        return;
    }
    int dx = ui_width(u) / 2 - (n - 1) * step / 2;
    for (int i = 0; i < n; i++) {
        render_fill_circle(rc, dx + i * step, cy + t->target / 2, i == ds->card ? dot + theme_px(t, 1) : dot,
                           ui_color(i == ds->card ? t->color.accent : t->color.control_edge));
        char said[64];
        snprintf(said, sizeof said, ui_str(u, I18N_CARD_OF), i + 1, n);
        ui_add_target(u, (SDL_Rect){dx + i * step - step / 2, cy, step, t->target}, target_tap(DECK_DOT, i), NULL,
                      said);
    }
}

/* The width Previous, Next and Done need to show their words. */
static int controls_button_width(ui *u)
{
    int bw = button_width(u, ui_str(u, I18N_PREVIOUS));
    if (button_width(u, ui_str(u, I18N_NEXT)) > bw)
        bw = button_width(u, ui_str(u, I18N_NEXT));
    if (button_width(u, ui_str(u, I18N_DONE)) > bw)
        bw = button_width(u, ui_str(u, I18N_DONE));
    return bw;
}

/* True when Previous and Next cannot stand side by side in cw with their
 * words whole (the largest text on a portrait screen): one above the
 * other, and no dots (the card's label says which card it is). */
static bool controls_stacked(ui *u, int cw)
{
    return controls_button_width(u) > (cw - ui_theme(u)->gap) / 2;
}

/* The controls' height below the card. */
static int controls_height(ui *u, int cw)
{
    const theme *t = ui_theme(u);
    return (controls_stacked(u, cw) ? 2 * t->target + t->gap : t->target) + t->gap * 2;
}

/* Controls under the card, cw wide from cy: Previous, where we are,
 * Next (Done on the last card, so it is no dead end). */
static void draw_controls(ui *u, deck_state *ds, int cw, int cy)
{
    const theme *t = ui_theme(u);
    int n = (int)ds->doc->n_cards;
    bool stacked = controls_stacked(u, cw);
    int bw = stacked ? cw : controls_button_width(u);
    if (bw < t->target)
        bw = t->target;
    int left = (ui_width(u) - cw) / 2, right = (ui_width(u) + cw) / 2;
    int ny = stacked ? cy + t->target + t->gap : cy;
    if (ds->card > 0)
        ui_button(u, (SDL_Rect){left, cy, bw, t->target}, ui_str(u, I18N_PREVIOUS), RENDER_ICON_CHEVRON_LEFT,
                  UI_BUTTON_PLAIN, target_tap(DECK_PREV, 0), NULL);
    if (ds->card < n - 1)
        ui_button(u, (SDL_Rect){right - bw, ny, bw, t->target}, ui_str(u, I18N_NEXT), RENDER_ICON_CHEVRON_RIGHT,
                  UI_BUTTON_PRIMARY | UI_BUTTON_ICON_AFTER, target_tap(DECK_NEXT, 0), NULL);
    else
        ui_button(u, (SDL_Rect){right - bw, ny, bw, t->target}, ui_str(u, I18N_DONE), UI_NO_ICON,
                  UI_BUTTON_PRIMARY, target_tap(DECK_DONE, 0), "@deck-done");
    if (!stacked)
        draw_position(u, ds, cw - 2 * bw - 2 * t->gap, cy);
}

static void deck_draw(ui *u, void *state, SDL_Rect area)
{
    deck_state *ds = state;
    const theme *t = ui_theme(u);
    int cw = t->content_w;
    int max_w = theme_px(t, 900);
    if (cw > max_w)
        cw = max_w;
    int controls_h = controls_height(u, cw);
    /* One box for every card, as tall as the tallest (at most the room
     * there is), the controls right below it: neither the card's top nor
     * the controls move as the cards turn. */
    SDL_Rect card_r = {(ui_width(u) - cw) / 2, area.y + t->gap + theme_px(t, 4), cw, area.h - controls_h - t->gap * 2};
    int font = deck_font(u, ds, card_r);
    if (font > 0 && ds->deck_h < card_r.h)
        card_r.h = ds->deck_h;
    if (!ensure_look(u, ds, card_r, font))
        return;
    int off = (int)lroundf(card_offset(u, ds));
    card_r.x += off;
    int mark = ui_target_count(u);
    draw_scrolling_card(u, ds, card_r);
    /* A drag or slide must not leave tappable buttons where the card was. */
    if (off != 0)
        ui_targets_drop(u, mark);

    draw_controls(u, ds, cw, card_r.y + card_r.h + t->gap * 2 - theme_px(t, 4));
}

/* The speaker: reads the card shown (its title, then its text), or stops
 * when it is reading. */
static void listen_tap(ui *u, deck_state *ds)
{
    size_t at, len;
    if (ui_speaking(u, DECK_VOICE_ID, &at, &len)) {
        ui_speak_stop(u);
        return;
    }
    const content_card *c = &ds->doc->cards[ds->card];
    layout_reading_free(&ds->reading);
    if (layout_reading_build(ds->doc, c->first_block, c->n_blocks, &ds->reading) < 0) {
        platform_log(PLATFORM_LOG_ERROR, "deck %s: no memory to read it aloud", ds->item.id);
        return;
    }
    /* In the voice of the language the text is in, which after a fallback
     * is not the ui's. */
    ui_speak_in(u, ds->reading.text, ds->text.lang, DECK_VOICE_ID);
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
    case DECK_LISTEN:
        listen_tap(u, ds);
        break;
    case DECK_DONE:
        ui_back(u);
        break;
    case DECK_LINK: /* a link: the ui follows it */
        break;
    }
}

static void deck_gesture(ui *u, void *state, const gesture_event *e)
{
    deck_state *ds = state;
    if (ds->look.scrolls)
        ui_scroll_gesture(u, &ds->sc, e); /* up and down: only a card that scrolls */
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
    bool scrolling = ds->look.scrolls && (scroller_step(&ds->sc, now) || scroller_is_animating(&ds->sc));
    if (ds->sliding && now - ds->slide_t0 >= DECK_SLIDE_MS) {
        ds->sliding = false;
        return true; /* one last frame at rest */
    }
    return ds->sliding || scrolling;
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
