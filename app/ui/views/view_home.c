/* The home screen: language choice, search, categories and the featured
 * explainer, whose cards cycle gently when nobody has touched the screen for
 * a while (attract mode). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "platform.h"
#include "ui_view.h"

#define HOME_MAX_CATEGORIES 24
/* A changing featured card fades in over a few discrete steps rather than
 * at 60 frames a second: each frame is a full redraw, and an untouched kiosk
 * in attract mode should stay near zero CPU. */
#define HOME_FADE_STEPS 4u
#define HOME_FADE_STEP_MS 110u
#define HOME_FADE_MS (HOME_FADE_STEPS * HOME_FADE_STEP_MS)
#define HOME_ATTRACT_PERIOD_MS 8000u

/* What can be tapped on the home screen. */
typedef enum {
    HOME_LANG,          /* index: the language (lang_codes) */
    HOME_SEARCH,        /* the search field: a link to the search screen */
    HOME_CATEGORY,      /* a link */
    HOME_FEATURED_OPEN, /* the featured card's Open button: a link to its deck */
    HOME_FEATURED_CARD, /* the featured card itself: the same link */
} home_target;

typedef struct {
    scroller sc;
    float content_h;
    store_category cats[HOME_MAX_CATEGORIES];
    int n_cats;
    store_item featured;
    bool has_featured;
    content_doc *deck;         /* the featured explainer, parsed */
    store_text deck_text;
    int card;                  /* featured card shown */
    uint32_t card_since;       /* when it was shown (fade in) */
    unsigned fade_step;        /* fade step drawn last */
} home_state;

static void load(ui *u, home_state *hs)
{
    hs->n_cats = store_categories(ui_store(u), ui_lang(u), hs->cats, HOME_MAX_CATEGORIES);
    if (hs->n_cats < 0)
        hs->n_cats = 0;
    content_free(hs->deck);
    hs->deck = NULL;
    store_text_free(&hs->deck_text);
    hs->has_featured = false;
    store_item f[4];
    int n = store_featured(ui_store(u), ui_lang(u), f, 4);
    for (int i = 0; i < n && !hs->has_featured; i++) {
        if (strcmp(f[i].kind, "explainer") != 0)
            continue;
        if (store_item_text(ui_store(u), f[i].id, ui_lang(u), &hs->deck_text) < 0)
            continue;
        hs->deck = content_parse(hs->deck_text.body, strlen(hs->deck_text.body), 0);
        if (hs->deck && hs->deck->n_cards > 0) {
            hs->featured = f[i];
            hs->has_featured = true;
        } else {
            content_free(hs->deck);
            hs->deck = NULL;
            store_text_free(&hs->deck_text);
        }
    }
    if (hs->has_featured && hs->card >= (int)hs->deck->n_cards)
        hs->card = 0;
}

static void *home_enter(ui *u, route *r, char *err, size_t errcap)
{
    (void)r;
    home_state *hs = ui_state_new(sizeof *hs, err, errcap);
    if (!hs)
        return NULL;
    scroller_init(&hs->sc, 0, 0);
    hs->fade_step = HOME_FADE_STEPS; /* the first card shows at once */
    hs->card_since = ui_now(u) - HOME_FADE_MS;
    load(u, hs);
    return hs;
}

static void home_leave(void *state)
{
    home_state *hs = state;
    content_free(hs->deck);
    store_text_free(&hs->deck_text);
    free(hs);
}

static const char *home_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_APP_NAME);
}

/* The first paragraph of a card, as plain text (caller frees). */
static char *card_text(const content_doc *d, int card)
{
    const content_card *c = &d->cards[card];
    for (size_t b = c->first_block + 1; b < c->first_block + c->n_blocks; b++)
        if (d->blocks[b].type == CONTENT_PARAGRAPH && d->blocks[b].n_runs > 0)
            return content_block_text(&d->blocks[b]);
    return NULL;
}

/* The language pills, one per language the ui speaks. */
static const char *const lang_codes[] = {"kk", "ru", "en"};
#define N_LANG_CODES 3

static int draw_lang_pills(ui *u, int x, int y, int w, bool draw)
{
    const theme *t = ui_theme(u);
    int h = t->target, gap = theme_px(t, 8);
    int pw = (w - 2 * gap) / N_LANG_CODES;
    if (!draw)
        return h;
    for (int i = 0; i < N_LANG_CODES; i++) {
        SDL_Rect r = {x + i * (pw + gap), y, pw, h};
        bool current = !strcmp(ui_lang(u), lang_codes[i]);
        const char *name = i18n_name(ui_lang_of(lang_codes[i]));
        ui_button(u, r, name, UI_NO_ICON, current ? UI_BUTTON_PRIMARY : UI_BUTTON_PLAIN, target_tap(HOME_LANG, i),
                  NULL);
    }
    return h;
}

static int draw_search_field(ui *u, int x, int y, int w, bool draw)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int h = t->target + theme_px(t, 4);
    if (!draw)
        return h;
    SDL_Rect r = {x, y, w, h};
    bool pressed = ui_is_pressed(u, r, target_link(HOME_SEARCH, 0));
    render_fill_rect(rc, r, h / 2, ui_color(pressed ? t->color.surface_press : t->color.surface));
    render_stroke_rect(rc, r, h / 2, theme_px(t, 1.5f), ui_color(t->color.control_edge));
    int ic = h / 2;
    render_icon_draw(rc, RENDER_ICON_SEARCH, (SDL_Rect){x + h / 3, y + (h - ic) / 2, ic, ic},
                     ui_color(t->color.accent));
    const char *hint = ui_str(u, I18N_SEARCH_TITLE);
    int lh = render_line_height(rc, RENDER_FACE_REGULAR, t->font_body);
    ui_text_block(u, RENDER_FACE_REGULAR, t->font_body, hint, x + h / 3 + ic + theme_px(t, 10), y + (h - lh) / 2,
                  w - h - ic, 1, t->color.text_muted, true);
    ui_add_target(u, r, target_link(HOME_SEARCH, 0), "search");
    return h;
}

static int draw_category(ui *u, const store_category *c, int x, int y, int w, bool draw)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int pad = theme_px(t, 16);
    int chevron = theme_px(t, 20);
    int tw = w - 2 * pad - chevron - theme_px(t, 8);
    int th = ui_text_block(u, RENDER_FACE_BOLD, t->font_h3, c->title, 0, 0, tw, 2, t->color.text, false);
    int sh = c->summary[0] ? ui_text_block(u, RENDER_FACE_REGULAR, t->font_small, c->summary, 0, 0, tw, 2,
                                           t->color.text_muted, false)
                           : 0;
    int h = pad * 2 + th + (sh ? theme_px(t, 4) + sh : 0);
    if (h < t->target)
        h = t->target;
    if (!draw)
        return h;
    char route_str[ROUTE_STRING_MAX + 1];
    snprintf(route_str, sizeof route_str, "category/%s", c->id);
    SDL_Rect r = {x, y, w, h};
    ui_card(u, r, ui_is_pressed(u, r, target_link(HOME_CATEGORY, 0)));
    /* An accent strip on the left edge marks tiles as things to touch. */
    render_fill_rect(rc, (SDL_Rect){x, y + t->radius, theme_px(t, 5), h - 2 * t->radius}, theme_px(t, 2),
                     ui_color(t->color.accent));
    ui_text_block(u, RENDER_FACE_BOLD, t->font_h3, c->title, x + pad, y + pad, tw, 2, t->color.text, true);
    if (sh)
        ui_text_block(u, RENDER_FACE_REGULAR, t->font_small, c->summary, x + pad, y + pad + th + theme_px(t, 4), tw,
                      2, t->color.text_muted, true);
    render_icon_draw(rc, RENDER_ICON_CHEVRON_RIGHT, (SDL_Rect){x + w - pad - chevron, y + (h - chevron) / 2, chevron, chevron},
                     ui_color(t->color.accent));
    ui_add_target(u, r, target_link(HOME_CATEGORY, 0), route_str);
    return h;
}

static int draw_featured(ui *u, home_state *hs, int x, int y, int w, int min_h, bool draw)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    if (!hs->has_featured)
        return 0;
    int pad = theme_px(t, 20);
    int tw = w - 2 * pad;
    const content_card *c = &hs->deck->cards[hs->card];
    char *text = card_text(hs->deck, hs->card);
    int label_h = render_line_height(rc, RENDER_FACE_BOLD, t->font_small);
    int title_h = ui_text_block(u, RENDER_FACE_BOLD, t->font_h2, c->title, 0, 0, tw, 3, t->color.text, false);
    int text_h = text ? ui_text_block(u, RENDER_FACE_REGULAR, t->font_body, text, 0, 0, tw, 5, t->color.text, false) : 0;
    int dots_h = theme_px(t, 16);
    int button_h = t->target;
    int h = pad + label_h + theme_px(t, 10) + title_h + theme_px(t, 10) + text_h + theme_px(t, 16) + dots_h +
            theme_px(t, 12) + button_h + pad;
    if (h < min_h)
        h = min_h;
    if (draw) {
        SDL_Rect r = {x, y, w, h};
        ui_card(u, r, false);
        /* Fade the card's text in after a change, so cycling is gentle. */
        unsigned fade = (ui_now(u) - hs->card_since) / HOME_FADE_STEP_MS;
        uint8_t alpha = fade >= HOME_FADE_STEPS ? 255 : (uint8_t)(70 + 185 * fade / HOME_FADE_STEPS);
        theme_color text_c = t->color.text, label_c = t->color.accent;
        text_c.a = label_c.a = alpha;
        int cy = y + pad;
        char label[STORE_TITLE_MAX + 32];
        snprintf(label, sizeof label, "%s · %s", ui_str(u, I18N_FEATURED), hs->featured.title);
        ui_text_block(u, RENDER_FACE_BOLD, t->font_small, label, x + pad, cy, tw, 1, t->color.accent, true);
        cy += label_h + theme_px(t, 10);
        ui_text_block(u, RENDER_FACE_BOLD, t->font_h2, c->title, x + pad, cy, tw, 3, text_c, true);
        cy += title_h + theme_px(t, 10);
        if (text)
            ui_text_block(u, RENDER_FACE_REGULAR, t->font_body, text, x + pad, cy, tw, 5, text_c, true);
        /* Dots, then the button, pinned to the bottom of the card. */
        int by = y + h - pad - button_h;
        int n = (int)hs->deck->n_cards, dot = theme_px(t, 4), step = theme_px(t, 14);
        int dx = x + pad + dot;
        for (int i = 0; i < n; i++)
            render_fill_circle(rc, dx + i * step, by - theme_px(t, 12) - dot, dot,
                               ui_color(i == hs->card ? t->color.accent : t->color.control_edge));
        char route_str[ROUTE_STRING_MAX + 1];
        snprintf(route_str, sizeof route_str, "deck/%s/%d", hs->featured.id, hs->card + 1);
        int bw = w - 2 * pad;
        if (bw > theme_px(t, 320))
            bw = theme_px(t, 320);
        ui_button(u, (SDL_Rect){x + pad, by, bw, button_h}, ui_str(u, I18N_OPEN), RENDER_ICON_CARDS,
                  UI_BUTTON_PRIMARY, target_link(HOME_FEATURED_OPEN, 0), route_str);
        /* The card itself also opens the deck. */
        ui_add_target(u, (SDL_Rect){x, y, w, by - y - theme_px(t, 24)}, target_link(HOME_FEATURED_CARD, 0), route_str);
    }
    free(text);
    return h;
}

static int section_label(ui *u, const char *text, int x, int y, int w, bool draw)
{
    const theme *t = ui_theme(u);
    int h = render_line_height(ui_render(u), RENDER_FACE_BOLD, t->font_small);
    if (draw)
        ui_text_block(u, RENDER_FACE_BOLD, t->font_small, text, x, y, w, 1, t->color.text_muted, true);
    return h + theme_px(t, 8);
}

/* Lays out (and with draw, draws) the home page; returns its height. */
static int home_page(ui *u, home_state *hs, SDL_Rect area, int off, bool draw)
{
    const theme *t = ui_theme(u);
    int m = t->margin, gap = t->gap;
    bool two_cols = ui_width(u) >= ui_height(u) && area.w >= theme_px(t, 640);
    int x = area.x + m, y = area.y + m - off;
    int full = area.w - 2 * m;
    int left_w = two_cols ? (full - gap * 2) * 56 / 100 : full;
    int right_x = x + left_w + gap * 2, right_w = full - left_w - gap * 2;

    int top = y;
    /* Greeting */
    const char *welcome = ui_str(u, I18N_WELCOME);
    int wh = ui_text_block(u, RENDER_FACE_BOLD, t->font_display, welcome, x, y, left_w, 2, t->color.text, draw);
    y += wh + theme_px(t, 2);
    y += ui_text_block(u, RENDER_FACE_REGULAR, t->font_body, ui_str(u, I18N_CHOOSE), x, y, left_w, 2,
                       t->color.text_muted, draw);
    y += theme_px(t, 14);
    y += draw_lang_pills(u, x, y, left_w, draw) + gap;
    y += draw_search_field(u, x, y, left_w, draw) + gap + theme_px(t, 6);

    int right_y = top;
    if (!two_cols) {
        if (hs->has_featured)
            y += draw_featured(u, hs, x, y, full, 0, draw) + gap + theme_px(t, 6);
    }
    y += section_label(u, ui_str(u, I18N_CATEGORIES), x, y, left_w, draw);
    for (int i = 0; i < hs->n_cats; i++)
        y += draw_category(u, &hs->cats[i], x, y, left_w, draw) + gap;
    if (two_cols && hs->has_featured) {
        int fh = draw_featured(u, hs, right_x, right_y, right_w, 0, false);
        int avail = area.y + area.h - m - right_y - off;
        right_y += draw_featured(u, hs, right_x, right_y, right_w, fh < avail ? avail : fh, draw);
    }
    int bottom = (y > right_y ? y : right_y) + m;
    return bottom - (area.y - off);
}

static void home_draw(ui *u, void *state, SDL_Rect area)
{
    home_state *hs = state;
    render *rc = ui_render(u);
    int h = home_page(u, hs, area, 0, false);
    ui_scroll_size(&hs->sc, &hs->content_h, (float)h, (float)area.h);
    home_page(u, hs, area, (int)scroller_offset(&hs->sc), true);
    ui_scrollbar(u, area, &hs->sc);
    if (ui_attract(u)) {
        /* A quiet call to action at the bottom while the cards cycle. */
        const theme *t = ui_theme(u);
        const char *cta = ui_str(u, I18N_TOUCH_TO_START);
        int tw = render_text_width(rc, RENDER_FACE_BOLD, t->font_title, cta, strlen(cta));
        int ph = render_line_height(rc, RENDER_FACE_BOLD, t->font_title) + theme_px(t, 16);
        SDL_Rect pill = {(ui_width(u) - tw) / 2 - theme_px(t, 28), area.y + area.h - ph - t->margin,
                         tw + theme_px(t, 56), ph};
        render_shadow(rc, pill, ph / 2, theme_px(t, 4));
        render_fill_rect(rc, pill, ph / 2, ui_color(t->color.bar));
        render_text(rc, RENDER_FACE_BOLD, t->font_title, cta, strlen(cta), pill.x + theme_px(t, 28),
                    pill.y + theme_px(t, 8), ui_color(t->color.bar_text));
    }
}

static void home_tap(ui *u, void *state, target_id id)
{
    (void)state;
    if (id.kind == HOME_LANG && id.index >= 0 && id.index < N_LANG_CODES)
        ui_set_lang(u, lang_codes[id.index], ui_now(u));
}

static void home_gesture(ui *u, void *state, const gesture_event *e)
{
    home_state *hs = state;
    ui_scroll_gesture(u, &hs->sc, e);
}

static bool home_tick(ui *u, void *state, uint32_t now)
{
    home_state *hs = state;
    bool moving = scroller_step(&hs->sc, now) || scroller_is_animating(&hs->sc);
    if (ui_attract(u) && hs->has_featured && now - hs->card_since >= HOME_ATTRACT_PERIOD_MS) {
        hs->card = (hs->card + 1) % (int)hs->deck->n_cards;
        hs->card_since = now;
        hs->fade_step = 0;
        ui_invalidate(u);
    }
    unsigned step = (now - hs->card_since) / HOME_FADE_STEP_MS;
    if (hs->has_featured && step <= HOME_FADE_STEPS && step != hs->fade_step) {
        hs->fade_step = step;
        ui_invalidate(u); /* one frame per step, not a frame every 16 ms */
    }
    return moving;
}

static deadline home_deadline(const ui *u, const void *state)
{
    const home_state *hs = state;
    if (!hs->has_featured)
        return deadline_none();
    if (hs->fade_step < HOME_FADE_STEPS && ui_now(u) - hs->card_since < HOME_FADE_MS)
        return deadline_at(hs->card_since + (hs->fade_step + 1) * HOME_FADE_STEP_MS);
    if (!ui_attract(u))
        return deadline_none();
    return deadline_at(hs->card_since + HOME_ATTRACT_PERIOD_MS);
}

static void home_relayout(ui *u, void *state)
{
    home_state *hs = state;
    load(u, hs); /* titles are per language */
    hs->content_h = -1;
}

static int home_scroll(ui *u, void *state)
{
    home_state *hs = state;
    return (int)scroller_offset(&hs->sc);
}

const view_ops view_home = {
    .name = "home",
    .enter = home_enter,
    .leave = home_leave,
    .draw = home_draw,
    .title = home_title,
    .gesture = home_gesture,
    .tap = home_tap,
    .tick = home_tick,
    .relayout = home_relayout,
    .scroll = home_scroll,
    .deadline = home_deadline,
};
