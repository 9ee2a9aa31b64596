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
    HOME_LANG,          /* index: the language (an i18n_lang) */
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
    ui_plan plan;              /* the page measured, for this size and card */
    int plan_w, plan_h, plan_card;
    int left_h;                /* the plan's left (or only) column's height */
    bool compact;              /* a short screen (the 7" panel): see home_plan */
    int label_h;               /* the featured card's label, one or two lines */
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
    ui_plan_free(&hs->plan);
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

/* The parts of the home page (ui_plan kinds). */
typedef enum {
    PART_LANGS,
    PART_SEARCH,
    PART_FEATURED, /* h1: the card title's height, h2: its text's */
    PART_CATEGORY, /* index: the category; h1: title height, h2: summary's */
} home_part;

/* The language pills, one per language the ui speaks. */
static void draw_lang_pills(ui *u, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    int gap = theme_px(t, 8);
    int pw = (r.w - 2 * gap) / I18N_LANG_COUNT;
    for (int i = 0; i < I18N_LANG_COUNT; i++) {
        SDL_Rect b = {r.x + i * (pw + gap), r.y, pw, r.h};
        bool current = !strcmp(ui_lang(u), i18n_code((i18n_lang)i));
        const char *name = i18n_name((i18n_lang)i);
        ui_button(u, b, name, UI_NO_ICON, current ? UI_BUTTON_PRIMARY : UI_BUTTON_PLAIN, target_tap(HOME_LANG, i),
                  NULL);
    }
}

/* Width of the search field's hint in a field w wide and h high: after
 * the icon, a third of h from the right edge. */
static int search_hint_width(int w, int h)
{
    return w - h / 3 - h / 2 - h / 3 - h / 3;
}

/* The search field's height: a fingertip, or the lines of its hint where
 * large text needs them (the hint wraps rather than being cut). */
static int search_field_height(ui *u, int w)
{
    const theme *t = ui_theme(u);
    int h = t->target + theme_px(t, 4);
    int two = ui_text_height(u, RENDER_FACE_REGULAR, t->font_body, ui_str(u, I18N_SEARCH_TITLE),
                             search_hint_width(w, h), 4) + theme_px(t, 12);
    return two > h ? two : h;
}

static void draw_search_field(ui *u, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    /* A field grown for a wrapped hint keeps its icon and rounding at
     * one line's size. */
    int h = r.h < t->target + theme_px(t, 4) ? r.h : t->target + theme_px(t, 4);
    bool pressed = ui_is_pressed(u, r, target_link(HOME_SEARCH, 0));
    render_fill_rect(rc, r, h / 2, ui_color(pressed ? t->color.surface_press : t->color.surface));
    render_stroke_rect(rc, r, h / 2, theme_px(t, 1.5f), ui_color(t->color.control_edge));
    int ic = h / 2;
    render_icon_draw(rc, RENDER_ICON_SEARCH, (SDL_Rect){r.x + h / 3, r.y + (r.h - ic) / 2, ic, ic},
                     ui_color(t->color.accent));
    const char *hint = ui_str(u, I18N_SEARCH_TITLE);
    int th = ui_text_height(u, RENDER_FACE_REGULAR, t->font_body, hint, search_hint_width(r.w, h), 4);
    ui_text_draw(u, RENDER_FACE_REGULAR, t->font_body, hint, r.x + h / 3 + ic + theme_px(t, 10), r.y + (r.h - th) / 2,
                 search_hint_width(r.w, h), 4, t->color.text_muted);
    ui_add_target(u, r, target_link(HOME_SEARCH, 0), "search", hint);
}

/* The width of a category tile's title and summary: the tile less its
 * padding and the chevron. */
static int category_text_width(const theme *t, int w)
{
    return w - 2 * theme_px(t, 16) - theme_px(t, 20) - theme_px(t, 8);
}

/* Lines of a category's summary: one on a short screen, so that every
 * category shows without scrolling. */
static int summary_lines(const home_state *hs)
{
    return hs->compact ? 1 : 2;
}

/* A category tile's height, with its title's (th) and summary's (sh). */
static int category_height(ui *u, const home_state *hs, const store_category *c, int w, int *th, int *sh)
{
    const theme *t = ui_theme(u);
    int pad = theme_px(t, hs->compact ? 12 : 16);
    int tw = category_text_width(t, w);
    *th = ui_text_height(u, RENDER_FACE_BOLD, t->font_h3, c->title, tw, 4);
    *sh = c->summary[0] ? ui_text_height(u, RENDER_FACE_REGULAR, t->font_small, c->summary, tw, summary_lines(hs)) : 0;
    int h = pad * 2 + *th + (*sh ? theme_px(t, 4) + *sh : 0);
    return h < t->target ? t->target : h;
}

static void draw_category(ui *u, const home_state *hs, const store_category *c, const ui_part *p, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int x = r.x, y = r.y, w = r.w, h = r.h;
    int pad = theme_px(t, hs->compact ? 12 : 16);
    int chevron = theme_px(t, 20);
    int tw = category_text_width(t, w);
    char route_str[ROUTE_STRING_MAX + 1];
    snprintf(route_str, sizeof route_str, "category/%s", c->id);
    ui_card(u, r, ui_is_pressed(u, r, target_link(HOME_CATEGORY, 0)));
    /* An accent strip on the left edge marks tiles as things to touch. */
    render_fill_rect(rc, (SDL_Rect){x, y + t->radius, theme_px(t, 5), h - 2 * t->radius}, theme_px(t, 2),
                     ui_color(t->color.accent));
    ui_text_draw(u, RENDER_FACE_BOLD, t->font_h3, c->title, x + pad, y + pad, tw, 4, t->color.text);
    if (p->h2)
        ui_text_preview(u, RENDER_FACE_REGULAR, t->font_small, c->summary, x + pad, y + pad + p->h1 + theme_px(t, 4),
                        tw, summary_lines(hs), t->color.text_muted);
    render_icon_draw(rc, RENDER_ICON_CHEVRON_RIGHT, (SDL_Rect){x + w - pad - chevron, y + (h - chevron) / 2, chevron, chevron},
                     ui_color(t->color.accent));
    ui_add_target(u, r, target_link(HOME_CATEGORY, 0), route_str, c->title);
}

/* The featured card's label: "Featured · <the explainer's title>". */
static void featured_label(ui *u, const home_state *hs, char *out, size_t cap)
{
    snprintf(out, cap, "%s · %s", ui_str(u, I18N_FEATURED), hs->featured.title);
}

/* The featured card's height for the card shown, with its title's (title_h)
 * and text's (text_h); its label's is kept in hs->label_h (it wraps to a
 * second line in a narrow column rather than losing the explainer's name). */
static int featured_height(ui *u, home_state *hs, int w, int *title_h, int *text_h)
{
    const theme *t = ui_theme(u);
    int pad = theme_px(t, 20), tw = w - 2 * pad;
    const content_card *c = &hs->deck->cards[hs->card];
    char *text = card_text(hs->deck, hs->card);
    char label[STORE_TITLE_MAX + 32];
    featured_label(u, hs, label, sizeof label);
    hs->label_h = ui_text_height(u, RENDER_FACE_BOLD, t->font_small, label, tw, 4);
    *title_h = ui_text_height(u, RENDER_FACE_BOLD, t->font_h2, c->title, tw, 6);
    *text_h = text ? ui_text_height(u, RENDER_FACE_REGULAR, t->font_body, text, tw, 5) : 0;
    free(text);
    return pad + hs->label_h + theme_px(t, 10) + *title_h + theme_px(t, 10) + *text_h + theme_px(t, 16) +
           t->target + pad;
}

static void draw_featured(ui *u, home_state *hs, const ui_part *p, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    int x = r.x, y = r.y, w = r.w, h = r.h;
    int pad = theme_px(t, 20), tw = w - 2 * pad, button_h = t->target;
    const content_card *c = &hs->deck->cards[hs->card];
    ui_card(u, r, false);
    /* Fade the card's text in after a change, so cycling is gentle. */
    unsigned fade = (ui_now(u) - hs->card_since) / HOME_FADE_STEP_MS;
    uint8_t alpha = fade >= HOME_FADE_STEPS ? 255 : (uint8_t)(70 + 185 * fade / HOME_FADE_STEPS);
    theme_color text_c = t->color.text;
    text_c.a = alpha;
    int cy = y + pad;
    char label[STORE_TITLE_MAX + 32];
    featured_label(u, hs, label, sizeof label);
    ui_text_draw(u, RENDER_FACE_BOLD, t->font_small, label, x + pad, cy, tw, 4, t->color.accent);
    cy += hs->label_h + theme_px(t, 10);
    ui_text_draw(u, RENDER_FACE_BOLD, t->font_h2, c->title, x + pad, cy, tw, 6, text_c);
    cy += p->h1 + theme_px(t, 10);
    char *text = card_text(hs->deck, hs->card);
    if (text)
        ui_text_preview(u, RENDER_FACE_REGULAR, t->font_body, text, x + pad, cy, tw, 5, text_c);
    free(text);
    /* The button, pinned to the bottom of the card. No page dots: the
     * cards change by themselves, and dots would promise a swipe. */
    int by = y + h - pad - button_h;
    char route_str[ROUTE_STRING_MAX + 1];
    snprintf(route_str, sizeof route_str, "deck/%s/%d", hs->featured.id, hs->card + 1);
    int bw = w - 2 * pad;
    if (bw > theme_px(t, 320))
        bw = theme_px(t, 320);
    ui_button(u, (SDL_Rect){x + pad, by, bw, button_h}, ui_str(u, I18N_OPEN), RENDER_ICON_CARDS, UI_BUTTON_PRIMARY,
              target_link(HOME_FEATURED_OPEN, 0), route_str);
    /* The card itself also opens the deck. */
    ui_add_target(u, (SDL_Rect){x, y, w, by - y - theme_px(t, 24)}, target_link(HOME_FEATURED_CARD, 0), route_str,
                  label);
}

/* Adds a part of height h at (x, y) and returns h. */
static int add(ui_plan *p, home_part kind, int index, int x, int y, int w, int h, int h1, int h2)
{
    ui_plan_add(p, kind, index, (SDL_Rect){x, y, w, h}, h1, h2);
    return h;
}

/* The featured card at (x, y): at least min_h tall. */
static int add_featured(ui *u, home_state *hs, int x, int y, int w, int min_h)
{
    int title_h, text_h;
    int h = featured_height(u, hs, w, &title_h, &text_h);
    return add(&hs->plan, PART_FEATURED, 0, x, y, w, h < min_h ? min_h : h, title_h, text_h);
}

/* Measures the home page for area: level 0 whole, 1 without the language
 * buttons and the line that asks to choose, 2 compact, 3 compact in one
 * column with the featured card after the categories (see home_plan). */
static void plan_page(ui *u, home_state *hs, SDL_Rect area, int level)
{
    const theme *t = ui_theme(u);
    ui_plan *p = &hs->plan;
    int m = t->margin, gap = t->gap;
    bool two_cols = level < 3 && ui_width(u) >= ui_height(u) && area.w >= theme_px(t, 640);
    int x = area.x + m, y = m;
    int full = area.w - 2 * m;
    int left_w = two_cols ? (full - gap * 2) * 56 / 100 : full;
    int right_x = x + left_w + gap * 2, right_w = full - left_w - gap * 2;
    ui_plan_reset(p);
    hs->plan_w = area.w;
    hs->plan_h = area.h;
    hs->plan_card = hs->card;
    hs->compact = level >= 2;

    if (level < 2)
        y += ui_plan_text(u, p, RENDER_FACE_BOLD, t->font_display, ui_str(u, I18N_WELCOME), x, y, left_w, 2,
                          t->color.text) +
             theme_px(t, level == 0 ? 2 : 14);
    if (level == 0) {
        y += ui_plan_text(u, p, RENDER_FACE_REGULAR, t->font_body, ui_str(u, I18N_CHOOSE), x, y, left_w, 2,
                          t->color.text_muted) +
             theme_px(t, 14);
        y += add(p, PART_LANGS, 0, x, y, left_w, t->target, 0, 0) + gap;
    }
    y += add(p, PART_SEARCH, 0, x, y, left_w, search_field_height(u, left_w), 0, 0) + gap + theme_px(t, 6);
    if (!two_cols && level < 3 && hs->has_featured)
        y += add_featured(u, hs, x, y, full, 0) + gap + theme_px(t, 6);
    y += ui_plan_text(u, p, RENDER_FACE_BOLD, t->font_small, ui_str(u, I18N_CATEGORIES), x, y, left_w, 1,
                      t->color.text_muted) +
         theme_px(t, 8);
    for (int i = 0; i < hs->n_cats; i++) {
        int th, sh;
        int h = category_height(u, hs, &hs->cats[i], left_w, &th, &sh);
        y += add(p, PART_CATEGORY, i, x, y, left_w, h, th, sh) + gap;
    }
    if (level >= 3 && hs->has_featured)
        y += add_featured(u, hs, x, y + gap, full, 0) + gap * 2;
    hs->left_h = y + m;
    int right_y = m;
    if (two_cols && hs->has_featured)
        right_y += add_featured(u, hs, right_x, right_y, right_w, area.h - 2 * m);
    p->height = (y > right_y ? y : right_y) + m;
}

/* Measures the home page for area: one column, or two on a wide screen
 * with the featured card on the right. When the page would not fit the
 * screen it gives up, in turn, what is offered elsewhere, so every
 * category shows without scrolling: first the language buttons (the top
 * bar offers the languages), then (the 7" panel) the greeting and a
 * category's second summary line; at large text, the second column
 * (categories first, the featured card under them, the page scrolls).
 * Built again when the layout or the featured card changes. */
static void home_plan(ui *u, home_state *hs, SDL_Rect area)
{
    for (int level = 0; level <= 3; level++) {
        plan_page(u, hs, area, level);
        /* One column only when the categories themselves do not fit. */
        if (hs->plan.height <= area.h || (level == 2 && hs->left_h <= area.h))
            break;
    }
}

static void home_draw_part(ui *u, void *state, const ui_part *p, SDL_Rect r, SDL_Rect area)
{
    home_state *hs = state;
    (void)area;
    switch ((home_part)p->kind) {
    case PART_LANGS:
        draw_lang_pills(u, r);
        break;
    case PART_SEARCH:
        draw_search_field(u, r);
        break;
    case PART_FEATURED:
        draw_featured(u, hs, p, r);
        break;
    case PART_CATEGORY:
        draw_category(u, hs, &hs->cats[p->index], p, r);
        break;
    }
}

static void home_draw(ui *u, void *state, SDL_Rect area)
{
    home_state *hs = state;
    render *rc = ui_render(u);
    if (!hs->plan.valid || hs->plan_w != area.w || hs->plan_h != area.h || hs->plan_card != hs->card)
        home_plan(u, hs, area);
    ui_scroll_size(&hs->sc, &hs->content_h, (float)hs->plan.height, (float)area.h);
    ui_plan_draw(u, &hs->plan, area, (int)scroller_offset(&hs->sc), home_draw_part, hs);
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
    if (id.kind == HOME_LANG && id.index >= 0 && id.index < I18N_LANG_COUNT)
        ui_set_lang(u, i18n_code((i18n_lang)id.index), ui_now(u));
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
    hs->plan.valid = false;
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
