/* ui_router — which view shows a route, switching views (a view's enter
 * and leave), Back, Home and the history, and new content swapped in under
 * the reader. */
#include "ui_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "ui_router.h"
#include "ui_speech.h"
#include "ui_speechmode.h"

static const view_ops *view_for(ui *u, const route *r)
{
    /* The operator's screens work without content: a kiosk that cannot
     * open any bundle is where Import from USB matters most. */
    switch (r->kind) {
    case ROUTE_ADMIN:
        return &view_admin;
    case ROUTE_ADMIN_PIN:
        return &view_pin;
    case ROUTE_ADMIN_TOUCH:
        return &view_touch;
    case ROUTE_ADMIN_PATTERN:
        return &view_pattern;
    default:
        break;
    }
    if (!u->st)
        return &view_oos;
    switch (r->kind) {
    case ROUTE_HOME:
        return &view_home;
    case ROUTE_CATEGORY:
        return &view_list;
    case ROUTE_ITEM:
        return &view_reader;
    case ROUTE_DECK:
        return &view_deck;
    case ROUTE_SEARCH:
        return &view_search;
    case ROUTE_DISPLAY:
        return &view_display;
    default:
        return NULL;
    }
}

/* An explainer opened as an item is shown as its deck, at the card its
 * anchor names. */
static void normalise(ui *u, route *r)
{
    if (!u->st || r->kind != ROUTE_ITEM)
        return;
    store_item it;
    if (store_item_get(u->st, r->id, ui_lang(u), &it) < 0 || strcmp(it.kind, "explainer") != 0)
        return;
    int card = 1;
    if (r->anchor[0]) {
        store_anchor a[64];
        int n = store_anchors(u->st, r->id, ui_lang(u), a, 64);
        for (int i = 0; i < n; i++)
            if (!strcmp(a[i].anchor, r->anchor))
                card = i + 1;
    }
    r->kind = ROUTE_DECK;
    r->card = card;
    r->anchor[0] = '\0';
}

/* The operator's screens and the keypad that guards them. */
static bool is_operator_kind(route_kind k)
{
    return route_is_operator(k) || k == ROUTE_ADMIN_PIN;
}

bool ui_on_operator_screen(const ui *u)
{
    return is_operator_kind(u->cur.kind);
}

void *ui_state_new(size_t size, char *err, size_t errcap)
{
    void *state = calloc(1, size);
    if (!state)
        snprintf(err, errcap, "out of memory");
    return state;
}

void ui_drop_view(ui *u)
{
    if (u->view && u->view->leave)
        u->view->leave(u->state);
    u->view = NULL;
    u->state = NULL;
}

int ui_switch_to(ui *u, route r, bool push, int restore_scroll, char *err, size_t errcap)
{
    normalise(u, &r);
    const view_ops *v = view_for(u, &r);
    if (!v) {
        snprintf(err, errcap, "the %s screen is not available here", route_kind_name(r.kind));
        return -1;
    }
    /* The new view is built before the old one is dropped, so a route that
     * names nothing leaves the screen exactly as it was. */
    void *state = NULL;
    if (v->enter && !(state = v->enter(u, &r, err, errcap)))
        return -1;
    u->lang_sheet = false; /* a new screen: the language sheet was the old one's */
    ui_speech_stop(u); /* what was read belongs to the screen left */
    bool had_view = u->view != NULL;
    route prev_route = u->cur;
    int prev_scroll = had_view && u->view->scroll ? u->view->scroll(u, u->state) : 0;
    ui_drop_view(u);
    u->view = v;
    u->state = state;
    u->cur = r;
    if (push && had_view)
        route_history_push(&u->hist, &prev_route, prev_scroll);
    if (restore_scroll > 0 && v->restore_scroll)
        v->restore_scroll(u, state, restore_scroll);
    u->pressing = false;
    u->attract = false;
    u->stats.navigations++;
    ui_invalidate(u);
    ui_speechmode_screen_changed(u);
    return 0;
}

int ui_navigate(ui *u, const char *route_str, uint32_t now, char *err, size_t errcap)
{
    route r;
    u->now = now;
    if (!route_parse(route_str, &r, err, errcap))
        return -1;
    bool push = u->view != NULL && !route_equal(&r, &u->cur);
    return ui_switch_to(u, r, push, 0, err, errcap);
}

void ui_go(ui *u, const char *route_str)
{
    char err[ROUTE_ERROR_MAX];
    route r;
    /* Links, buttons and QR codes never lead to the operator's screens:
     * only the hidden gesture and its PIN do (or ui_navigate, for the
     * operator's own command line and scripts). */
    if (route_parse(route_str, &r, err, sizeof err) && is_operator_kind(r.kind)) {
        platform_log(PLATFORM_LOG_WARN, "link '%s' not followed: operator screens open only with the PIN", route_str);
        ui_toast(u, ui_str(u, I18N_LINK_UNAVAILABLE));
        return;
    }
    if (ui_navigate(u, route_str, u->now, err, sizeof err) < 0) {
        platform_log(PLATFORM_LOG_WARN, "link '%s' not followed: %s", route_str, err);
        ui_toast(u, ui_str(u, I18N_LINK_UNAVAILABLE));
    }
}

void ui_back(ui *u)
{
    route r;
    int scroll = 0;
    char err[ROUTE_ERROR_MAX];
    /* Skip entries that no longer open (content changed under them). */
    while (route_history_back(&u->hist, &r, &scroll)) {
        if (ui_switch_to(u, r, false, scroll, err, sizeof err) == 0)
            return;
    }
    if (u->cur.kind != ROUTE_HOME)
        ui_switch_to(u, route_home(), false, 0, err, sizeof err);
}

void ui_home(ui *u)
{
    char err[ROUTE_ERROR_MAX];
    route_history_clear(&u->hist);
    ui_switch_to(u, route_home(), false, 0, err, sizeof err);
}

void ui_go_operator(ui *u, route_kind kind, bool push)
{
    char err[ROUTE_ERROR_MAX];
    route r = route_home();
    r.kind = kind;
    if (ui_switch_to(u, r, push, 0, err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_ERROR, "cannot open %s: %s", route_kind_name(kind), err);
}

void ui_current_route(const ui *u, char *out, size_t cap)
{
    if (!route_format(&u->cur, out, cap) && cap)
        out[0] = '\0';
}

void ui_set_store(ui *u, store *s, uint32_t now)
{
    char route_str[ROUTE_STRING_MAX + 1], err[ROUTE_ERROR_MAX];
    u->now = now;
    ui_current_route(u, route_str, sizeof route_str);
    ui_drop_view(u);
    u->st = s;
    render_flush(u->r);
    route r;
    /* Stay where the reader is if that still exists in the new content. */
    if (!route_parse(route_str, &r, err, sizeof err) || ui_switch_to(u, r, false, 0, err, sizeof err) < 0) {
        route_history_clear(&u->hist);
        if (ui_switch_to(u, route_home(), false, 0, err, sizeof err) < 0)
            platform_log(PLATFORM_LOG_ERROR, "new content: cannot show home: %s", err);
    }
}

bool ui_link_route(const content_link *l, const char *self, char *out, size_t cap)
{
    int n = -1;
    switch (l->kind) {
    case CONTENT_LINK_ITEM:
        n = l->anchor && *l->anchor ? snprintf(out, cap, "item/%s#%s", l->item, l->anchor)
                                    : snprintf(out, cap, "item/%s", l->item);
        break;
    case CONTENT_LINK_ANCHOR:
        n = snprintf(out, cap, "item/%s#%s", self, l->anchor);
        break;
    case CONTENT_LINK_CATEGORY:
        n = snprintf(out, cap, "category/%s", l->item);
        break;
    case CONTENT_LINK_DECK:
        n = snprintf(out, cap, "deck/%s/%d", l->item, l->card);
        break;
    default:
        return false;
    }
    return n > 0 && (size_t)n < cap;
}
