/* A category: its items as large rows with title, summary and kind. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_view.h"

/* Items are read a page at a time, the next one when the reader scrolls
 * within a screen or two of the end: opening a category costs the same
 * whether it holds ten items or ten thousand. */
#define LIST_PAGE 40

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
    int n_items, cap_items;
    bool more;           /* the last page read was full: there may be more */
    ui_plan plan;        /* the page measured */
    int plan_rows;       /* items measured into plan */
    int plan_y;          /* where the next row goes */
} list_state;

/* Reads the next page of items (the first when none are read). Returns
 * how many were added. */
static int list_read_page(ui *u, list_state *ls)
{
    if (ls->n_items + LIST_PAGE > ls->cap_items) {
        int cap = ls->cap_items ? ls->cap_items * 2 : LIST_PAGE;
        store_item *grown = realloc(ls->items, (size_t)cap * sizeof *grown);
        if (!grown) {
            ls->more = false;
            return 0;
        }
        ls->items = grown;
        ls->cap_items = cap;
    }
    const store_item *after = ls->n_items ? &ls->items[ls->n_items - 1] : NULL;
    int n = store_items_after(ui_store(u), ls->id, after, ui_lang(u), ls->items + ls->n_items, LIST_PAGE);
    if (n < 0)
        n = 0;
    ls->n_items += n;
    ls->more = n == LIST_PAGE;
    return n;
}

/* (Re)reads the category and at least want items (a page when fewer). */
static int list_load(ui *u, list_state *ls, int want, char *err, size_t errcap)
{
    if (store_category_get(ui_store(u), ls->id, ui_lang(u), &ls->cat) < 0) {
        snprintf(err, errcap, "no category '%s' in this content", ls->id);
        return -1;
    }
    ls->n_items = 0;
    do
        list_read_page(u, ls);
    while (ls->more && ls->n_items < want);
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
    snprintf(ls->id, sizeof ls->id, "%s", r->id);
    scroller_init(&ls->sc, 0, 0);
    if (list_load(u, ls, LIST_PAGE, err, errcap) < 0)
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

/* Measures the rows read since the last call into the plan (wrapping
 * costs text measurement, so each row is measured once per layout). */
static void list_plan_rows(ui *u, list_state *ls)
{
    const theme *t = ui_theme(u);
    ui_plan *p = &ls->plan;
    int x = t->content_x, w = t->content_w, y = ls->plan_y;
    for (int i = ls->plan_rows; i < ls->n_items; i++) {
        int th, sh;
        SDL_Rect r = row_size(u, &ls->items[i], w, &th, &sh);
        ui_plan_add(p, PART_ROW, i, (SDL_Rect){x, y, r.w, r.h}, th, sh);
        y += r.h + t->gap;
    }
    ls->plan_rows = ls->n_items;
    ls->plan_y = y;
    p->height = y + t->margin; /* the top margin is in y already */
}

/* Measures the page: the title and summary, then the rows read so far. */
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
    ls->plan_y = y + t->gap + theme_px(t, 8);
    ls->plan_rows = 0;
    list_plan_rows(u, ls);
}

/* Reads and measures pages until the plan reaches two screens below
 * bottom (a page offset) or the category ends. */
static void list_extend(ui *u, list_state *ls, int bottom, int view_h)
{
    if (!ls->plan.valid)
        list_plan(u, ls);
    while (ls->more && ls->plan.height < bottom + 2 * view_h && list_read_page(u, ls) > 0)
        list_plan_rows(u, ls);
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
    list_extend(u, ls, (int)scroller_offset(&ls->sc) + area.h, area.h);
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
    list_load(u, ls, ls->n_items, err, sizeof err); /* as many as were read: the offset stays */
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
    list_extend(u, ls, offset + area.h, area.h);
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
