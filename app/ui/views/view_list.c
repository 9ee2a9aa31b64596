/* A category: its items as large rows with title, summary and kind. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_view.h"

#define LIST_MAX_ITEMS 512

/* What can be tapped in a category. */
typedef enum {
    LIST_ITEM, /* a row: a link to the item */
} list_target;

typedef struct {
    scroller sc;
    float content_h;
    char id[ROUTE_ID_MAX + 1];
    store_category cat;
    store_item *items;
    int n_items;
    ui_plan plan;        /* the page measured */
} list_state;

static int list_load(ui *u, list_state *ls, char *err, size_t errcap)
{
    store_category cats[64];
    int n = store_categories(ui_store(u), ui_lang(u), cats, 64);
    bool found = false;
    for (int i = 0; i < n; i++)
        if (!strcmp(cats[i].id, ls->id)) {
            ls->cat = cats[i];
            found = true;
        }
    if (!found) {
        snprintf(err, errcap, "no category '%s' in this content", ls->id);
        return -1;
    }
    ls->n_items = store_items(ui_store(u), ls->id, ui_lang(u), ls->items, LIST_MAX_ITEMS);
    if (ls->n_items < 0)
        ls->n_items = 0;
    return 0;
}

static void list_leave(void *state)
{
    list_state *ls = state;
    free(ls->items);
    ui_plan_free(&ls->plan);
    free(ls);
}

static void *list_enter(ui *u, route *r, char *err, size_t errcap)
{
    list_state *ls = ui_state_new(sizeof *ls, err, errcap);
    if (!ls)
        return NULL;
    ls->items = calloc(LIST_MAX_ITEMS, sizeof *ls->items);
    if (!ls->items) {
        snprintf(err, errcap, "out of memory");
        goto fail;
    }
    snprintf(ls->id, sizeof ls->id, "%s", r->id);
    scroller_init(&ls->sc, 0, 0);
    if (list_load(u, ls, err, errcap) < 0)
        goto fail;
    return ls;
fail:
    list_leave(ls);
    return NULL;
}

static const char *list_title(ui *u, void *state)
{
    list_state *ls = state;
    return ls->cat.title;
}

/* The parts of a category page besides its title and summary (ui_plan
 * kinds). */
typedef enum {
    PART_ROW, /* index: the item */
} list_part;

/* What stands left of a row's text: the item's cover picture (16:9) when
 * it has one, else the icon of its kind. */
static SDL_Rect row_lead(const theme *t, const store_item *it)
{
    if (it->cover[0])
        return (SDL_Rect){0, 0, theme_px(t, 112), theme_px(t, 63)};
    return (SDL_Rect){0, 0, theme_px(t, 36), theme_px(t, 36)};
}

/* The width of a row's title and summary: the card less its padding, the
 * picture or icon and the chevron. */
static int row_text_width(const theme *t, const store_item *it, int w)
{
    int pad = theme_px(t, 16), chevron = theme_px(t, 20);
    return w - pad - row_lead(t, it).w - pad - pad - chevron - theme_px(t, 8);
}

/* A row's card: h1 is its title's height, h2 its summary's (0: none). */
static SDL_Rect row_size(ui *u, const store_item *it, int w, int *th, int *sh)
{
    const theme *t = ui_theme(u);
    int pad = theme_px(t, 16), tw = row_text_width(t, it, w);
    *th = ui_text_height(u, RENDER_FACE_BOLD, t->font_h3, it->title, tw, 6);
    *sh = it->summary[0] ? ui_text_height(u, RENDER_FACE_REGULAR, t->font_body, it->summary, tw, 3) : 0;
    int h = pad * 2 + *th + (*sh ? theme_px(t, 6) + *sh : 0);
    if (h < t->target + theme_px(t, 8))
        h = t->target + theme_px(t, 8);
    if (h < row_lead(t, it).h + 2 * pad)
        h = row_lead(t, it).h + 2 * pad;
    return (SDL_Rect){0, 0, w, h};
}

/* The kind's icon on a soft disc (a row without a picture). */
static void draw_kind_icon(ui *u, const store_item *it, SDL_Rect ib)
{
    const theme *t = ui_theme(u);
    int inset = ib.w / 5;
    render_fill_rect(ui_render(u), ib, ib.w / 2, ui_color(t->color.accent_soft));
    render_icon_draw(ui_render(u), ui_kind_icon(it->kind),
                     (SDL_Rect){ib.x + inset, ib.y + inset, ib.w - 2 * inset, ib.h - 2 * inset}, ui_color(t->color.accent));
}

static void draw_row(ui *u, const store_item *it, const ui_part *p, int x, int y)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int w = p->r.w, h = p->r.h;
    int pad = theme_px(t, 16), chevron = theme_px(t, 20);
    SDL_Rect lead = row_lead(t, it);
    int tx = x + pad + lead.w + pad;
    int tw = row_text_width(t, it, w);
    char route_str[ROUTE_STRING_MAX + 1];
    snprintf(route_str, sizeof route_str, "item/%s", it->id);
    SDL_Rect r = {x, y, w, h};
    ui_card(u, r, ui_is_pressed(u, r, target_link(LIST_ITEM, 0)));
    lead.x = x + pad;
    lead.y = y + pad;
    if (!it->cover[0] || ui_cover_draw(u, lead, it->cover) < 0)
        draw_kind_icon(u, it, (SDL_Rect){lead.x, lead.y, theme_px(t, 36), theme_px(t, 36)});
    ui_text_draw(u, RENDER_FACE_BOLD, t->font_h3, it->title, tx, y + pad, tw, 6, t->color.text);
    if (p->h2)
        ui_text_preview(u, RENDER_FACE_REGULAR, t->font_body, it->summary, tx, y + pad + p->h1 + theme_px(t, 6), tw, 3,
                     t->color.text_muted);
    render_icon_draw(rc, RENDER_ICON_CHEVRON_RIGHT, (SDL_Rect){x + w - pad - chevron, y + (h - chevron) / 2, chevron, chevron},
                     ui_color(t->color.accent));
    ui_add_target(u, r, target_link(LIST_ITEM, 0), route_str, it->title);
}

/* Measures the page once per layout (wrapping costs text measurement): a
 * category of hundreds of items then costs what a screenful costs. */
static void list_plan(ui *u, list_state *ls)
{
    const theme *t = ui_theme(u);
    ui_plan *p = &ls->plan;
    int x = t->content_x, w = t->content_w, y = t->margin;
    ui_plan_reset(p);
    y += ui_plan_text(u, p, RENDER_FACE_BOLD, t->font_h1, ls->cat.title, x, y, w, 6, t->color.text);
    if (ls->cat.summary[0]) {
        y += theme_px(t, 6);
        y += ui_plan_text(u, p, RENDER_FACE_REGULAR, t->font_body, ls->cat.summary, x, y, w, 12, t->color.text_muted);
    }
    y += t->gap + theme_px(t, 8);
    for (int i = 0; i < ls->n_items; i++) {
        int th, sh;
        SDL_Rect r = row_size(u, &ls->items[i], w, &th, &sh);
        ui_plan_add(p, PART_ROW, i, (SDL_Rect){x, y, r.w, r.h}, th, sh);
        y += r.h + t->gap;
    }
    p->height = y + t->margin; /* the top margin is in y already */
}

static void list_draw_part(ui *u, void *state, const ui_part *p, SDL_Rect r, SDL_Rect area)
{
    list_state *ls = state;
    (void)area;
    draw_row(u, &ls->items[p->index], p, r.x, r.y);
}

static void list_draw(ui *u, void *state, SDL_Rect area)
{
    list_state *ls = state;
    if (!ls->plan.valid)
        list_plan(u, ls);
    ui_scroll_size(&ls->sc, &ls->content_h, (float)ls->plan.height, (float)area.h);
    ui_plan_draw(u, &ls->plan, area, (int)scroller_offset(&ls->sc), list_draw_part, ls);
    ui_scrollbar(u, area, &ls->sc);
}

static void list_gesture(ui *u, void *state, const gesture_event *e)
{
    list_state *ls = state;
    ui_scroll_gesture(u, &ls->sc, e);
}

static bool list_tick(ui *u, void *state, uint32_t now)
{
    list_state *ls = state;
    return scroller_step(&ls->sc, now) || scroller_is_animating(&ls->sc);
}

static void list_relayout(ui *u, void *state)
{
    list_state *ls = state;
    char err[ROUTE_ERROR_MAX];
    list_load(u, ls, err, sizeof err);
    ls->content_h = -1;
    ls->plan.valid = false;
}

static int list_scroll(ui *u, void *state)
{
    list_state *ls = state;
    return (int)scroller_offset(&ls->sc);
}

static void list_restore(ui *u, void *state, int offset)
{
    list_state *ls = state;
    SDL_Rect area = {0, ui_theme(u)->bar_h, ui_width(u), ui_height(u) - ui_theme(u)->bar_h};
    if (!ls->plan.valid)
        list_plan(u, ls);
    ui_scroll_size(&ls->sc, &ls->content_h, (float)ls->plan.height, (float)area.h);
    scroller_scroll_to(&ls->sc, (float)offset, false, ui_now(u));
}

const view_ops view_list = {
    .name = "category",
    .enter = list_enter,
    .leave = list_leave,
    .draw = list_draw,
    .title = list_title,
    .gesture = list_gesture,
    .tick = list_tick,
    .relayout = list_relayout,
    .scroll = list_scroll,
    .restore_scroll = list_restore,
};
