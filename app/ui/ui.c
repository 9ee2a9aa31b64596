#include "ui_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "utf8.h"

/* A frame every 16 ms while something moves (60 Hz). */
#define UI_FRAME_MS 16u
/* Featured cards on the home screen change this often in attract mode. */
#define UI_ATTRACT_PERIOD_MS 8000u

static const char *const langs[] = {"kk", "ru", "en"};
#define N_LANGS 3

ui_config ui_config_default(void)
{
    ui_config c = {.default_lang = "kk", .idle_reset_s = 90, .attract_s = 30, .dpi = 0, .default_text_step = 0};
    return c;
}

/* The density the theme works with: the configured one, or the one the
 * theme assumes (a 7" panel's, scaled). */
static float effective_dpi(const ui *u)
{
    return u->cfg.dpi > 0 ? u->cfg.dpi : 133.0f * u->th.scale;
}

render_color ui_color(theme_color c)
{
    render_color r = {c.r, c.g, c.b, c.a};
    return r;
}

i18n_lang ui_lang_of(const char *code)
{
    i18n_lang l = I18N_KK;
    i18n_parse(code, &l);
    return l;
}

const char *ui_str(const ui *u, i18n_id id)
{
    return i18n_get(ui_lang_of(u->lang), id);
}

void ui_invalidate(ui *u)
{
    u->dirty = true;
}

static int lang_index(const char *lang)
{
    for (int i = 0; i < N_LANGS; i++)
        if (!strcmp(lang, langs[i]))
            return i;
    return 0;
}

static void retheme(ui *u)
{
    u->th = theme_compute(u->w, u->h, u->cfg.dpi, u->text_step);
    gesture_config gc = gesture_config_for_dpi(effective_dpi(u));
    gesture_init(&u->g, &gc);
}

/* ---- targets ---------------------------------------------------------- */

ui_target *ui_add_target(ui *u, SDL_Rect rect, ui_action action, int arg, const char *route_str)
{
    if (u->n_targets == UI_MAX_TARGETS || rect.w <= 0 || rect.h <= 0)
        return NULL;
    ui_target *t = &u->targets[u->n_targets++];
    t->rect = rect;
    t->action = action;
    t->arg = arg;
    t->clipped = false;
    t->label_cut = false;
    snprintf(t->route, sizeof t->route, "%s", route_str ? route_str : "");
    return t;
}

static bool same_target(const ui_target *a, SDL_Rect rect, ui_action action, int arg)
{
    return a->action == action && a->arg == arg && a->rect.x == rect.x && a->rect.y == rect.y &&
           a->rect.w == rect.w && a->rect.h == rect.h;
}

bool ui_is_pressed(const ui *u, SDL_Rect rect, ui_action action, int arg)
{
    return u->pressing && same_target(&u->pressed, rect, action, arg);
}

/* The topmost target at (x, y); targets drawn later lie on top. A small
 * tolerance forgives a finger that lands just outside a button's edge. */
static const ui_target *target_at(const ui *u, float x, float y)
{
    int slop = theme_px(&u->th, 4);
    for (int pass = 0; pass < 2; pass++) {
        int grow = pass ? slop : 0;
        for (int i = u->n_targets - 1; i >= 0; i--) {
            SDL_Rect r = u->targets[i].rect;
            if (x >= r.x - grow && x < r.x + r.w + grow && y >= r.y - grow && y < r.y + r.h + grow)
                return &u->targets[i];
        }
    }
    return NULL;
}

/* ---- navigation -------------------------------------------------------- */

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
    if (store_item_get(u->st, r->id, u->lang, &it) < 0 || strcmp(it.kind, "explainer") != 0)
        return;
    int card = 1;
    if (r->anchor[0]) {
        store_anchor a[64];
        int n = store_anchors(u->st, r->id, u->lang, a, 64);
        for (int i = 0; i < n; i++)
            if (!strcmp(a[i].anchor, r->anchor))
                card = i + 1;
    }
    r->kind = ROUTE_DECK;
    r->card = card;
    r->anchor[0] = '\0';
}

static bool is_operator_kind(route_kind k)
{
    return route_is_operator(k) || k == ROUTE_ADMIN_PIN;
}

/* Switches to route r. push: remember the current screen for Back. */
static int switch_to(ui *u, route r, bool push, int restore_scroll, char *err, size_t errcap)
{
    normalise(u, &r);
    const view_ops *v = view_for(u, &r);
    if (!v) {
        snprintf(err, errcap, "the %s screen is not available here", route_kind_name(r.kind));
        return -1;
    }
    route prev_route = u->cur;
    const view_ops *prev = u->view;
    int prev_scroll = prev && prev->scroll ? prev->scroll(u) : 0;
    void *prev_state = u->vs;

    /* The new view is built before the old one is dropped, so a route that
     * names nothing leaves the screen exactly as it was. */
    u->vs = NULL;
    u->cur = r;
    if (v->enter(u, &r, err, errcap) < 0) {
        if (u->vs && v->leave)
            v->leave(u);
        u->vs = prev_state;
        u->cur = prev_route;
        return -1;
    }
    void *new_state = u->vs;
    if (prev) {
        u->vs = prev_state;
        if (prev->leave)
            prev->leave(u);
    }
    u->vs = new_state;
    u->view = v;
    if (push && prev)
        route_history_push(&u->hist, &prev_route, prev_scroll);
    if (restore_scroll > 0 && v->restore_scroll)
        v->restore_scroll(u, restore_scroll);
    u->pressing = false;
    u->attract = false;
    u->stats.navigations++;
    ui_invalidate(u);
    return 0;
}

int ui_navigate(ui *u, const char *route_str, uint32_t now, char *err, size_t errcap)
{
    route r;
    u->now = now;
    if (!route_parse(route_str, &r, err, errcap))
        return -1;
    bool push = u->view != NULL && !route_equal(&r, &u->cur);
    return switch_to(u, r, push, 0, err, errcap);
}

/* How long a toast stays. */
#define UI_TOAST_MS 3000u

void ui_toast(ui *u, const char *msg)
{
    snprintf(u->toast, sizeof u->toast, "%s", msg);
    u->toast_until = u->now + UI_TOAST_MS;
    ui_invalidate(u);
}

void ui_go(ui *u, const char *route_str)
{
    char err[ROUTE_ERROR_MAX];
    route r;
    /* Links, buttons and QR codes never lead to the operator's screens:
     * only the hidden gesture and its PIN do (or ui_navigate, for the
     * operator's own command line and scripts). */
    if (route_parse(route_str, &r, err, sizeof err) && (route_is_operator(r.kind) || r.kind == ROUTE_ADMIN_PIN)) {
        platform_log(PLATFORM_LOG_WARN, "link '%s' not followed: operator screens open only with the PIN", route_str);
        ui_toast(u, ui_str(u, I18N_LINK_UNAVAILABLE));
        return;
    }
    if (ui_navigate(u, route_str, u->now, err, sizeof err) < 0) {
        platform_log(PLATFORM_LOG_WARN, "link '%s' not followed: %s", route_str, err);
        ui_toast(u, ui_str(u, I18N_LINK_UNAVAILABLE));
    }
}

static void go_back(ui *u)
{
    route r;
    int scroll = 0;
    char err[ROUTE_ERROR_MAX];
    /* Skip entries that no longer open (content changed under them). */
    while (route_history_back(&u->hist, &r, &scroll)) {
        if (switch_to(u, r, false, scroll, err, sizeof err) == 0)
            return;
    }
    if (u->cur.kind != ROUTE_HOME)
        switch_to(u, route_home(), false, 0, err, sizeof err);
}

static void go_home(ui *u)
{
    char err[ROUTE_ERROR_MAX];
    route_history_clear(&u->hist);
    switch_to(u, route_home(), false, 0, err, sizeof err);
}

void ui_go_operator(ui *u, route_kind kind, bool push)
{
    char err[ROUTE_ERROR_MAX];
    route r = route_home();
    r.kind = kind;
    if (switch_to(u, r, push, 0, err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_ERROR, "cannot open %s: %s", route_kind_name(kind), err);
}

void ui_back(ui *u)
{
    go_back(u);
}

void ui_home(ui *u)
{
    go_home(u);
}

void ui_current_route(const ui *u, char *out, size_t cap)
{
    if (!route_format(&u->cur, out, cap) && cap)
        out[0] = '\0';
}

const char *ui_lang(const ui *u)
{
    return u->lang;
}

static void relayout(ui *u)
{
    retheme(u);
    if (u->view && u->view->relayout)
        u->view->relayout(u);
    ui_invalidate(u);
}

void ui_set_lang(ui *u, const char *lang, uint32_t now)
{
    u->now = now;
    snprintf(u->lang, sizeof u->lang, "%s", langs[lang_index(lang)]);
    relayout(u);
}

void ui_resize(ui *u, int w, int h)
{
    if (w != u->w || h != u->h) {
        u->w = w;
        u->h = h;
        relayout(u);
    }
    ui_invalidate(u);
}

/* ---- life cycle -------------------------------------------------------- */

ui *ui_create(const ui_config *cfg, store *s, const char *reason, render *r, int w, int h, uint32_t now)
{
    ui *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->cfg = *cfg;
    u->st = s;
    snprintf(u->reason, sizeof u->reason, "%s", reason ? reason : "");
    u->r = r;
    u->w = w;
    u->h = h;
    u->now = u->last_input = now;
    snprintf(u->lang, sizeof u->lang, "%s", langs[lang_index(cfg->default_lang)]);
    u->text_step = cfg->default_text_step;
    route_history_init(&u->hist);
    retheme(u);
    char err[ROUTE_ERROR_MAX];
    if (switch_to(u, route_home(), false, 0, err, sizeof err) < 0) {
        platform_log(PLATFORM_LOG_ERROR, "cannot show the home screen: %s", err);
        free(u);
        return NULL;
    }
    u->stats.navigations = 0;
    return u;
}

void ui_set_host(ui *u, const ui_host *host)
{
    if (host)
        u->host = *host;
    else
        memset(&u->host, 0, sizeof u->host);
    ui_host_changed(u);
}

void ui_host_changed(ui *u)
{
    if (u->cur.kind == ROUTE_ADMIN)
        ui_invalidate(u);
}

void ui_destroy(ui *u)
{
    if (!u)
        return;
    if (u->view && u->view->leave)
        u->view->leave(u);
    free(u);
}

void ui_set_store(ui *u, store *s, uint32_t now)
{
    char route_str[ROUTE_STRING_MAX + 1], err[ROUTE_ERROR_MAX];
    u->now = now;
    ui_current_route(u, route_str, sizeof route_str);
    if (u->view && u->view->leave)
        u->view->leave(u);
    u->view = NULL;
    u->vs = NULL;
    u->st = s;
    render_flush(u->r);
    route r;
    /* Stay where the reader is if that still exists in the new content. */
    if (!route_parse(route_str, &r, err, sizeof err) || switch_to(u, r, false, 0, err, sizeof err) < 0) {
        route_history_clear(&u->hist);
        if (switch_to(u, route_home(), false, 0, err, sizeof err) < 0)
            platform_log(PLATFORM_LOG_ERROR, "new content: cannot show home: %s", err);
    }
}

ui_stats ui_get_stats(const ui *u)
{
    return u->stats;
}

/* ---- idle reset --------------------------------------------------------- */

static bool on_operator_screen(const ui *u)
{
    return is_operator_kind(u->cur.kind);
}

/* Quiet time before the reset, or 0 for never. The operator's screens and
 * the keypad close after UI_OPERATOR_IDLE_S at most, reset or not. */
static uint32_t idle_limit_ms(const ui *u)
{
    int s = u->cfg.idle_reset_s;
    if (on_operator_screen(u) && (s <= 0 || s > UI_OPERATOR_IDLE_S))
        s = UI_OPERATOR_IDLE_S;
    return s > 0 ? (uint32_t)s * 1000u : 0;
}

static bool is_clean(const ui *u)
{
    return u->cur.kind == ROUTE_HOME && route_history_depth(&u->hist) == 0 &&
           !strcmp(u->lang, langs[lang_index(u->cfg.default_lang)]) && u->text_step == u->cfg.default_text_step &&
           u->search_text[0] == '\0';
}

/* The next person starts clean: home, default language and text size, no
 * history, nothing typed by the last person. */
static void idle_reset(ui *u)
{
    u->search_text[0] = '\0';
    u->toast[0] = '\0';
    snprintf(u->lang, sizeof u->lang, "%s", langs[lang_index(u->cfg.default_lang)]);
    u->text_step = u->cfg.default_text_step;
    bool was_operator = on_operator_screen(u);
    uint32_t limit = idle_limit_ms(u);
    retheme(u);
    go_home(u);
    u->corner.armed = false;
    u->n_down = 0;
    u->stats.idle_resets++;
    platform_log(PLATFORM_LOG_INFO, "idle reset after %u s without input%s", (unsigned)(limit / 1000u),
                 was_operator ? " (operator screen closed)" : "");
}

/* ---- input ------------------------------------------------------------- */

static void perform(ui *u, const ui_target *t)
{
    ui_target copy = *t; /* targets are rebuilt by what follows */
    switch (copy.action) {
    case UI_ACT_ROUTE:
        ui_go(u, copy.route);
        break;
    case UI_ACT_HOME:
        go_home(u);
        break;
    case UI_ACT_BACK:
        go_back(u);
        break;
    case UI_ACT_LANG:
        ui_set_lang(u, copy.arg >= 0 && copy.arg < N_LANGS ? langs[copy.arg] : langs[(lang_index(u->lang) + 1) % N_LANGS],
                    u->now);
        break;
    case UI_ACT_TEXT_SIZE:
        u->text_step = (u->text_step + 1) % THEME_TEXT_STEPS;
        relayout(u);
        break;
    case UI_ACT_VIEW:
        if (u->view->action)
            u->view->action(u, copy.arg);
        break;
    case UI_ACT_NONE:
        break;
    }
}

static void dispatch_gestures(ui *u)
{
    gesture_event e;
    while (gesture_poll(&u->g, &e)) {
        const ui_target *t;
        switch (e.kind) {
        case GESTURE_PRESS:
            t = target_at(u, e.x, e.y);
            u->pressing = t != NULL;
            if (t)
                u->pressed = *t;
            if (u->view->gesture)
                u->view->gesture(u, &e); /* stops a fling under the finger */
            ui_invalidate(u);
            break;
        case GESTURE_PRESS_CANCEL:
            if (u->pressing)
                ui_invalidate(u);
            u->pressing = false;
            break;
        case GESTURE_TAP:
            t = target_at(u, e.x, e.y);
            u->pressing = false;
            ui_invalidate(u);
            if (t)
                perform(u, t);
            else if (u->view->gesture)
                u->view->gesture(u, &e);
            break;
        default:
            if (u->pressing) {
                u->pressing = false;
                ui_invalidate(u);
            }
            if (u->view->gesture)
                u->view->gesture(u, &e);
            break;
        }
    }
}

static void note_input(ui *u, uint32_t now)
{
    u->now = now;
    u->last_input = now;
    if (u->attract) {
        u->attract = false;
        ui_invalidate(u);
    }
    /* Targets must match what is on screen before a finger is matched. */
    if (u->dirty)
        ui_draw(u);
}

/* ---- the hidden gesture ---------------------------------------------------- */

/* The top-left corner: on every citizen screen it holds Home or the title
 * in the top bar, never a scrolling list, a keyboard or a card to swipe,
 * so a finger rests there only on purpose. A tap on Home stays a tap
 * (released long before UI_CORNER_HOLD_MS), and a press held on Home
 * already does nothing once the long press (0.6 s) has passed, so the
 * gesture takes nothing away from Home; someone leaning on it for 3 s gets
 * the keypad and its Cancel. The square is UI_CORNER_MM wide, or the bar's
 * height where that is more (big screens from afar). */
int ui_corner_size(const ui *u)
{
    int side = (int)(UI_CORNER_MM / 25.4f * effective_dpi(u) + 0.5f);
    return side > u->th.bar_h ? side : u->th.bar_h;
}

static void pointer_add(ui *u, int64_t id)
{
    for (int i = 0; i < u->n_down; i++)
        if (u->down_ids[i] == id)
            return;
    if (u->n_down == UI_MAX_POINTERS)
        u->n_down = 0; /* lost releases: start counting afresh */
    u->down_ids[u->n_down++] = id;
}

static void pointer_remove(ui *u, int64_t id)
{
    for (int i = 0; i < u->n_down; i++)
        if (u->down_ids[i] == id) {
            u->down_ids[i] = u->down_ids[--u->n_down];
            return;
        }
}

static void corner_down(ui *u, int64_t id, float x, float y)
{
    int side = ui_corner_size(u);
    /* One finger only: a palm or a second finger is not the gesture. */
    u->corner.armed = u->n_down == 1 && !on_operator_screen(u) && x >= 0 && y >= 0 && x < (float)side &&
                      y < (float)side;
    u->corner.id = id;
    u->corner.x = x;
    u->corner.y = y;
    u->corner.since = u->now;
}

static void corner_move(ui *u, int64_t id, float x, float y)
{
    if (!u->corner.armed || id != u->corner.id)
        return;
    float slop = gesture_config_for_dpi(effective_dpi(u)).tap_slop_px;
    float dx = x - u->corner.x, dy = y - u->corner.y;
    if (dx * dx + dy * dy > slop * slop)
        u->corner.armed = false; /* held still, not dragged */
}

static void corner_fire(ui *u)
{
    u->corner.armed = false;
    if (!u->cfg.admin_pin_hash[0]) {
        platform_log(PLATFORM_LOG_INFO, "operator gesture: no PIN is configured, the operator screen stays closed");
        ui_toast(u, ui_str(u, I18N_OPERATOR_DISABLED));
        return;
    }
    platform_log(PLATFORM_LOG_INFO, "operator gesture: PIN keypad opened");
    ui_go_operator(u, ROUTE_ADMIN_PIN, true);
}

static void corner_tick(ui *u, uint32_t now)
{
    if (u->corner.armed && (int32_t)(now - u->corner.since) >= (int32_t)UI_CORNER_HOLD_MS)
        corner_fire(u);
}

/* ---- pointers ------------------------------------------------------------ */

void ui_pointer_down(ui *u, int64_t id, float x, float y, uint32_t now)
{
    note_input(u, now);
    pointer_add(u, id);
    corner_down(u, id, x, y);
    if (u->view->pointer)
        u->view->pointer(u, UI_POINTER_DOWN, id, x, y);
    gesture_down(&u->g, id, x, y, now);
    dispatch_gestures(u);
}

void ui_pointer_move(ui *u, int64_t id, float x, float y, uint32_t now)
{
    u->now = now;
    u->last_input = now;
    corner_move(u, id, x, y);
    if (u->view->pointer)
        u->view->pointer(u, UI_POINTER_MOVE, id, x, y);
    gesture_move(&u->g, id, x, y, now);
    dispatch_gestures(u);
}

void ui_pointer_up(ui *u, int64_t id, float x, float y, uint32_t now)
{
    u->now = now;
    u->last_input = now;
    pointer_remove(u, id);
    if (id == u->corner.id)
        u->corner.armed = false;
    if (u->view->pointer)
        u->view->pointer(u, UI_POINTER_UP, id, x, y);
    gesture_up(&u->g, id, x, y, now);
    dispatch_gestures(u);
}

void ui_key(ui *u, const char *name, uint32_t now)
{
    note_input(u, now);
    if (u->view->text) {
        /* The keypad: Backspace and Return as control characters. */
        if (!strcmp(name, "backspace"))
            u->view->text(u, "\b");
        else if (!strcmp(name, "return"))
            u->view->text(u, "\n");
        return;
    }
    if (u->cur.kind == ROUTE_SEARCH && u->view->action) {
        /* The search view's codes for Backspace and for Done. */
        if (!strcmp(name, "backspace"))
            u->view->action(u, -1);
        else if (!strcmp(name, "return"))
            u->view->action(u, -2);
    }
    /* Escape, Alt+F4, Ctrl+Q, Alt+Tab: nothing here; the kiosk loop decides
     * whether a development window may close. */
}

/* 1 if text holds a control character (below U+0020, or U+007F): an input
 * method or a paste may send one; the route grammar refuses them. */
static int has_control(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

void ui_text_input(ui *u, const char *utf8, uint32_t now)
{
    note_input(u, now);
    if (has_control(utf8))
        return;
    if (u->view->text) {
        if (utf8_valid(utf8, strlen(utf8), NULL))
            u->view->text(u, utf8);
        return;
    }
    if (u->cur.kind != ROUTE_SEARCH || !utf8_valid(utf8, strlen(utf8), NULL))
        return;
    size_t have = strlen(u->search_text), add = strlen(utf8);
    if (have + add <= UI_SEARCH_MAX) {
        memcpy(u->search_text + have, utf8, add + 1);
        if (u->view->relayout)
            u->view->relayout(u);
        ui_invalidate(u);
    }
}

/* ---- time -------------------------------------------------------------- */

static bool view_animating(ui *u, uint32_t now)
{
    u->animating = u->view->tick && u->view->tick(u, now);
    return u->animating;
}

void ui_tick(ui *u, uint32_t now)
{
    u->now = now;
    gesture_tick(&u->g, now);
    dispatch_gestures(u);
    corner_tick(u, now);
    if (view_animating(u, now))
        ui_invalidate(u);
    if (u->toast[0] && (int32_t)(now - u->toast_until) >= 0) {
        u->toast[0] = '\0';
        ui_invalidate(u);
    }
    uint32_t quiet = now - u->last_input, limit = idle_limit_ms(u);
    if (limit > 0 && quiet >= limit && !is_clean(u) && !gesture_is_active(&u->g))
        idle_reset(u);
    if (u->cur.kind == ROUTE_HOME && u->cfg.attract_s > 0 && !u->attract &&
        quiet >= (uint32_t)u->cfg.attract_s * 1000u) {
        u->attract = true;
        ui_invalidate(u);
    }
}

deadline ui_next_deadline(const ui *u, uint32_t now)
{
    deadline d = deadline_none();
    ui *mu = (ui *)u; /* deadline callbacks only read the view's state */
    if (u->dirty || u->animating)
        d = deadline_min(d, deadline_at(now + UI_FRAME_MS), now);
    d = deadline_min(d, gesture_next_deadline(&u->g), now);
    /* While a finger is down the reset waits (ui_tick), so its deadline
     * is not offered: a past deadline would make the loop spin. */
    if (idle_limit_ms(u) > 0 && !is_clean(u) && !gesture_is_active(&u->g))
        d = deadline_min(d, deadline_at(u->last_input + idle_limit_ms(u)), now);
    if (u->corner.armed)
        d = deadline_min(d, deadline_at(u->corner.since + UI_CORNER_HOLD_MS), now);
    if (u->cur.kind == ROUTE_HOME && u->cfg.attract_s > 0 && !u->attract)
        d = deadline_min(d, deadline_at(u->last_input + (uint32_t)u->cfg.attract_s * 1000u), now);
    if (u->view->deadline)
        d = deadline_min(d, u->view->deadline(mu), now);
    if (u->toast[0])
        d = deadline_min(d, deadline_at(u->toast_until), now);
    return d;
}

bool ui_dirty(const ui *u)
{
    return u->dirty;
}

/* ---- drawing helpers ------------------------------------------------------ */

/* Calls place(word) for every word of text as it wraps into width w; words
 * longer than a line are cut between code points. Returns the lines used. */
typedef struct {
    ui *u;
    render_face face;
    int size;
    int x, y, w, line_h;
    int max_lines;
    bool draw;
    theme_color color;
    const store_range *hl;
    int n_hl;
    const char *base;
} wrap_ctx;

static bool overlaps_highlight(const wrap_ctx *c, size_t off, size_t len)
{
    for (int i = 0; i < c->n_hl; i++) {
        size_t s = c->hl[i].start, e = s + c->hl[i].len;
        if (off < e && off + len > s)
            return true;
    }
    return false;
}

static void draw_piece(wrap_ctx *c, const char *text, size_t len, int x, int y, int width)
{
    if (!c->draw || len == 0)
        return;
    if (c->hl && overlaps_highlight(c, (size_t)(text - c->base), len)) {
        SDL_Rect mark = {x - 2, y, width + 4, c->line_h};
        render_fill_rect(c->u->r, mark, theme_px(&c->u->th, 4), ui_color(c->u->th.color.highlight));
    }
    render_text(c->u->r, c->face, c->size, text, len, x, y, ui_color(c->color));
}

/* Longest prefix of text (whole code points) that fits width. */
static size_t fit_prefix(wrap_ctx *c, const char *text, size_t len, int width)
{
    size_t best = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        i += n > 0 ? (size_t)n : 1;
        if (render_text_width(c->u->r, c->face, c->size, text, i) > width)
            break;
        best = i;
    }
    if (best == 0) { /* at least one code point per line */
        uint32_t cp;
        int n = utf8_decode(text, len, &cp);
        best = n > 0 ? (size_t)n : 1;
    }
    return best;
}

static int wrap_text(wrap_ctx *c, const char *text)
{
    static const char ellipsis[] = "…";
    int space_w = render_text_width(c->u->r, c->face, c->size, " ", 1);
    int line = 0, cx = 0;
    const char *p = text;
    while (*p && line < c->max_lines) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (!*p)
            break;
        size_t wl = strcspn(p, " \n");
        int ww = render_text_width(c->u->r, c->face, c->size, p, wl);
        if (cx > 0 && cx + space_w + ww > c->w) { /* next line */
            line++;
            cx = 0;
            if (line >= c->max_lines)
                break;
        }
        int start = cx > 0 ? cx + space_w : 0;
        bool last = line == c->max_lines - 1;
        const char *rest = p + wl;
        while (*rest == ' ')
            rest++;
        if (ww > c->w - start || (last && *rest && start + ww > c->w)) {
            /* Too long for what is left: cut, with an ellipsis on the last line. */
            int ell_w = last ? render_text_width(c->u->r, c->face, c->size, ellipsis, sizeof ellipsis - 1) : 0;
            size_t cut = fit_prefix(c, p, wl, c->w - start - ell_w);
            int cw = render_text_width(c->u->r, c->face, c->size, p, cut);
            draw_piece(c, p, cut, c->x + start, c->y + line * c->line_h, cw);
            if (last) {
                if (c->draw)
                    render_text(c->u->r, c->face, c->size, ellipsis, sizeof ellipsis - 1, c->x + start + cw,
                                c->y + line * c->line_h, ui_color(c->color));
                return line + 1;
            }
            p += cut;
            line++;
            cx = 0;
            continue;
        }
        if (last && *rest && start + ww > c->w) {
            return line + 1;
        }
        draw_piece(c, p, wl, c->x + start, c->y + line * c->line_h, ww);
        cx = start + ww;
        p += wl;
        /* Mark the cut when words remain but no line does. */
        if (last && *rest) {
            const char *q = rest;
            size_t nl = strcspn(q, " \n");
            int nw = render_text_width(c->u->r, c->face, c->size, q, nl);
            if (cx + space_w + nw > c->w) {
                int ell_w = render_text_width(c->u->r, c->face, c->size, ellipsis, sizeof ellipsis - 1);
                if (c->draw && cx + ell_w <= c->w + ell_w)
                    render_text(c->u->r, c->face, c->size, ellipsis, sizeof ellipsis - 1, c->x + cx,
                                c->y + line * c->line_h, ui_color(c->color));
                return line + 1;
            }
        }
    }
    return cx > 0 ? line + 1 : line;
}

int ui_text_block(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                  theme_color color, bool draw)
{
    wrap_ctx c = {u, face, size, x, y, w, render_line_height(u->r, face, size), max_lines, draw, color, NULL, 0, text};
    return wrap_text(&c, text) * c.line_h;
}

void ui_text_highlighted(ui *u, render_face face, int size, const char *text, const store_range *hl, int n_hl,
                         int x, int y, int w, int max_lines, theme_color color)
{
    wrap_ctx c = {u, face, size, x, y, w, render_line_height(u->r, face, size), max_lines, true, color, hl, n_hl, text};
    wrap_text(&c, text);
}

void ui_button(ui *u, SDL_Rect rect, const char *label, int icon, int flags, ui_action action, int arg,
               const char *route_str)
{
    const theme *t = &u->th;
    bool primary = flags & UI_BUTTON_PRIMARY, after = flags & UI_BUTTON_ICON_AFTER;
    bool pressed = ui_is_pressed(u, rect, action, arg);
    theme_color bg = primary ? t->color.accent : t->color.surface;
    theme_color fg = primary ? t->color.surface : t->color.accent;
    if (pressed)
        bg = primary ? t->color.bar : t->color.surface_press;
    render_fill_rect(u->r, rect, rect.h / 2, ui_color(bg));
    if (!primary)
        render_stroke_rect(u->r, rect, rect.h / 2, theme_px(t, 1.5f), ui_color(t->color.accent));
    int fs = t->font_bar;
    int pad = theme_px(t, 12);
    int text_w = label ? render_text_width(u->r, RENDER_FACE_BOLD, fs, label, strlen(label)) : 0;
    int icon_sz = icon >= 0 ? rect.h / 2 : 0;
    int gap = icon >= 0 && text_w ? theme_px(t, 8) : 0;
    int max_text = rect.w - icon_sz - gap - 2 * pad;
    bool cut = text_w > max_text;
    if (cut)
        text_w = max_text > 0 ? max_text : 0;
    int x = rect.x + (rect.w - (icon_sz + gap + text_w)) / 2;
    int text_x = after ? x : x + icon_sz + gap;
    int icon_x = after ? x + text_w + gap : x;
    if (icon >= 0)
        render_icon_draw(u->r, (render_icon)icon, (SDL_Rect){icon_x, rect.y + (rect.h - icon_sz) / 2, icon_sz, icon_sz},
                         ui_color(fg));
    if (label && text_w > 0) {
        int lh = render_line_height(u->r, RENDER_FACE_BOLD, fs);
        ui_text_block(u, RENDER_FACE_BOLD, fs, label, text_x, rect.y + (rect.h - lh) / 2, text_w, 1, fg, true);
    }
    ui_target *tg = ui_add_target(u, rect, action, arg, route_str);
    if (tg)
        tg->label_cut = cut;
}

int ui_operator_font(const ui *u, ui_opfont f)
{
    static const float dp[] = {[UI_OPFONT_TEXT] = 16, [UI_OPFONT_BUTTON] = 18,
                               [UI_OPFONT_KEY] = 22, [UI_OPFONT_TITLE] = 25, [UI_OPFONT_DIGIT] = 30};
    /* Rounded as theme_compute rounds its fonts, so the sizes are the same. */
    return (int)lroundf(dp[f] * u->th.scale);
}

/* Splits text into two lines at the space nearest its middle that lets both
 * fit width; false when no split fits. */
static bool split_two_lines(ui *u, int fs, const char *text, int width, size_t *cut)
{
    size_t n = strlen(text), best = 0;
    int best_w = 0;
    for (size_t i = 1; i < n; i++) {
        if (text[i] != ' ')
            continue;
        int a = render_text_width(u->r, RENDER_FACE_BOLD, fs, text, i);
        int b = render_text_width(u->r, RENDER_FACE_BOLD, fs, text + i + 1, n - i - 1);
        int widest = a > b ? a : b;
        if (widest <= width && (!best || widest < best_w)) {
            best = i;
            best_w = widest;
        }
    }
    *cut = best;
    return best > 0;
}

void ui_op_button(ui *u, SDL_Rect rect, const char *label, int icon, int flags, int arg, const char *name)
{
    const theme *t = &u->th;
    bool disabled = flags & UI_OPBUTTON_DISABLED, primary = flags & UI_OPBUTTON_PRIMARY;
    bool pressed = !disabled && ui_is_pressed(u, rect, UI_ACT_VIEW, arg);
    theme_color edge = flags & UI_OPBUTTON_DANGER ? t->color.danger : t->color.accent;
    theme_color bg = primary ? edge : t->color.surface, fg = primary ? t->color.surface : edge;
    if (disabled) {
        edge = t->color.divider;
        bg = t->color.bg;
        fg = t->color.text_muted;
        fg.a = 150;
    } else if (pressed) {
        bg = primary ? t->color.bar : t->color.surface_press;
    }
    int radius = t->radius;
    render_fill_rect(u->r, rect, radius, ui_color(bg));
    if (!primary || disabled)
        render_stroke_rect(u->r, rect, radius, theme_px(t, 1.5f), ui_color(edge));

    int fs = ui_operator_font(u, flags & UI_OPBUTTON_LARGE ? UI_OPFONT_KEY : UI_OPFONT_BUTTON), pad = theme_px(t, 10);
    int icon_sz = icon >= 0 ? theme_px(t, 22) : 0, gap = icon >= 0 ? theme_px(t, 8) : 0;
    int room = rect.w - 2 * pad - icon_sz - gap;
    int lh = render_line_height(u->r, RENDER_FACE_BOLD, fs);
    size_t n = strlen(label), cut = 0;
    int w1 = render_text_width(u->r, RENDER_FACE_BOLD, fs, label, n), w2 = 0;
    bool two = w1 > room && 2 * lh <= rect.h && split_two_lines(u, fs, label, room, &cut);
    if (two) {
        w1 = render_text_width(u->r, RENDER_FACE_BOLD, fs, label, cut);
        w2 = render_text_width(u->r, RENDER_FACE_BOLD, fs, label + cut + 1, n - cut - 1);
    }
    int text_w = w1 > w2 ? w1 : w2;
    bool label_cut = text_w > room;
    if (label_cut)
        text_w = room;
    int x = rect.x + (rect.w - icon_sz - gap - text_w) / 2;
    if (icon >= 0)
        render_icon_draw(u->r, (render_icon)icon, (SDL_Rect){x, rect.y + (rect.h - icon_sz) / 2, icon_sz, icon_sz},
                         ui_color(fg));
    int tx = x + icon_sz + gap, ty = rect.y + (rect.h - (two ? 2 : 1) * lh) / 2;
    if (two) {
        render_text(u->r, RENDER_FACE_BOLD, fs, label, cut, tx + (text_w - w1) / 2, ty, ui_color(fg));
        render_text(u->r, RENDER_FACE_BOLD, fs, label + cut + 1, n - cut - 1, tx + (text_w - w2) / 2, ty + lh,
                    ui_color(fg));
    } else {
        ui_text_block(u, RENDER_FACE_BOLD, fs, label, tx, ty, text_w, 1, fg, true);
    }
    if (disabled)
        return;
    ui_target *tg = ui_add_target(u, rect, UI_ACT_VIEW, arg, name);
    if (tg)
        tg->label_cut = label_cut;
}

void ui_scrollbar(ui *u, SDL_Rect area, const scroller *s)
{
    float max = scroller_max_offset(s);
    if (max <= 0.5f)
        return;
    const theme *t = &u->th;
    int track_h = area.h - 2 * theme_px(t, 6);
    float content = (float)area.h + max;
    int thumb_h = (int)((float)track_h * (float)area.h / content);
    if (thumb_h < theme_px(t, 28))
        thumb_h = theme_px(t, 28);
    float off = scroller_offset(s);
    if (off < 0)
        off = 0;
    if (off > max)
        off = max;
    int y = area.y + theme_px(t, 6) + (int)((float)(track_h - thumb_h) * off / max);
    SDL_Rect thumb = {area.x + area.w - theme_px(t, 7), y, theme_px(t, 4), thumb_h};
    render_color c = ui_color(t->color.text_muted);
    c.a = 120;
    render_fill_rect(u->r, thumb, thumb.w / 2, c);
}

void ui_scroll_gesture(ui *u, scroller *s, const gesture_event *e)
{
    switch (e->kind) {
    case GESTURE_PRESS:
        if (scroller_stop(s))
            ui_invalidate(u);
        break;
    case GESTURE_DRAG_START:
        if (e->axis != GESTURE_AXIS_Y)
            break;
        scroller_drag_begin(s);
        scroller_drag(s, e->dy);
        ui_invalidate(u);
        break;
    case GESTURE_DRAG:
        if (e->axis != GESTURE_AXIS_Y)
            break;
        scroller_drag(s, e->dy);
        ui_invalidate(u);
        break;
    case GESTURE_DRAG_END:
        if (e->axis != GESTURE_AXIS_Y)
            break;
        scroller_release(s, e->vy, e->time_ms);
        ui_invalidate(u);
        break;
    default:
        break;
    }
}

void ui_scroll_size(scroller *s, float *known_h, float content_h, float viewport_h)
{
    if (*known_h != content_h || s->viewport_h != viewport_h) {
        *known_h = content_h;
        scroller_set_size(s, content_h, viewport_h);
    }
}

void ui_card(ui *u, SDL_Rect rect, bool pressed)
{
    const theme *t = &u->th;
    render_shadow(u->r, rect, t->radius, theme_px(t, 3));
    render_fill_rect(u->r, rect, t->radius, ui_color(pressed ? t->color.surface_press : t->color.surface));
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

render_icon ui_kind_icon(const char *kind)
{
    if (!strcmp(kind, "document"))
        return RENDER_ICON_DOCUMENT;
    if (!strcmp(kind, "explainer"))
        return RENDER_ICON_CARDS;
    return RENDER_ICON_ARTICLE;
}

/* ---- the top bar ------------------------------------------------------- */

/* The language button, its right edge at right; names the current
 * language, a tap cycles. Returns its left edge. */
static int draw_lang_button(ui *u, int right)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    render_color fg = ui_color(t->color.bar_text);
    const char *lname = i18n_name(ui_lang_of(u->lang));
    int lw = bh / 2 + pad + render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, lname, strlen(lname)) + pad * 3;
    SDL_Rect lr = {right - lw, by, lw, bh};
    if (ui_is_pressed(u, lr, UI_ACT_LANG, -1))
        render_fill_rect(u->r, lr, t->radius, (render_color){255, 255, 255, 50});
    render_stroke_rect(u->r, (SDL_Rect){lr.x, lr.y + bh / 8, lr.w, bh - bh / 4}, (bh - bh / 4) / 2,
                       theme_px(t, 1.5f), (render_color){255, 255, 255, 140});
    render_icon_draw(u->r, RENDER_ICON_GLOBE, (SDL_Rect){lr.x + pad * 2, by + bh / 4 + bh / 16, bh / 2 - bh / 8, bh / 2 - bh / 8}, fg);
    render_text(u->r, RENDER_FACE_BOLD, t->font_bar, lname, strlen(lname), lr.x + pad * 2 + bh / 2,
                by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
    ui_add_target(u, lr, UI_ACT_LANG, -1, NULL);
    return lr.x;
}

/* The operator's bar is dark slate, not the citizen's teal, so nobody
 * mistakes where they are: title on the left; language and the view's
 * Close (or Cancel) on the right. */
static void draw_operator_bar(ui *u)
{
    const theme *t = &u->th;
    render_fill_rect(u->r, (SDL_Rect){0, 0, u->w, t->bar_h}, 0, ui_color(t->color.text));
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    int right = u->w - pad;
    render_color fg = ui_color(t->color.bar_text);
    const char *close = u->view->close_label ? u->view->close_label(u) : NULL;
    if (close) {
        int tw = render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, close, strlen(close));
        int cw = bh / 2 + pad * 5 + tw;
        SDL_Rect cr = {right - cw, by, cw, bh};
        render_fill_rect(u->r, cr, t->radius,
                         ui_is_pressed(u, cr, UI_ACT_VIEW, UI_VIEW_CLOSE) ? (render_color){255, 255, 255, 90}
                                                                           : (render_color){255, 255, 255, 36});
        int ic = bh / 2 - bh / 8;
        render_icon_draw(u->r, RENDER_ICON_CLOSE, (SDL_Rect){cr.x + pad * 2, by + (bh - ic) / 2, ic, ic}, fg);
        render_text(u->r, RENDER_FACE_BOLD, t->font_bar, close, strlen(close), cr.x + pad * 3 + ic,
                    by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
        ui_add_target(u, cr, UI_ACT_VIEW, UI_VIEW_CLOSE, "@close");
        right = cr.x - pad * 2;
    }
    right = draw_lang_button(u, right) - pad;
    const char *title = u->view->title ? u->view->title(u) : "";
    int x = pad * 3;
    if (title && *title && right - x > theme_px(t, 60)) {
        int lh = render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar);
        ui_text_block(u, RENDER_FACE_BOLD, t->font_bar, title, x, (t->bar_h - lh) / 2, right - x - pad, 1,
                      t->color.bar_text, true);
    }
}

static void draw_bar(ui *u)
{
    const theme *t = &u->th;
    if (u->view->bar == UI_BAR_OPERATOR) {
        draw_operator_bar(u);
        return;
    }
    SDL_Rect bar = {0, 0, u->w, t->bar_h};
    render_fill_rect(u->r, bar, 0, ui_color(t->color.bar));
    int pad = theme_px(t, 6);
    int bh = t->target, by = (t->bar_h - bh) / 2;
    int x = pad;
    render_color fg = ui_color(t->color.bar_text);
    bool wide = u->w >= theme_px(t, 700);
    bool at_home = u->cur.kind == ROUTE_HOME;

    /* Home and Back on the left; Back only when there is somewhere to go. */
    if (u->st) {
        const char *home = ui_str(u, I18N_HOME);
        int hw = bh + (wide ? render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, home, strlen(home)) + pad * 2 : 0);
        SDL_Rect hr = {x, by, hw, bh};
        if (!at_home) {
            if (ui_is_pressed(u, hr, UI_ACT_HOME, 0))
                render_fill_rect(u->r, hr, t->radius, (render_color){255, 255, 255, 50});
            render_icon_draw(u->r, RENDER_ICON_HOME, (SDL_Rect){x + bh / 4, by + bh / 4, bh / 2, bh / 2}, fg);
            if (wide)
                render_text(u->r, RENDER_FACE_BOLD, t->font_bar, home, strlen(home), x + bh - pad,
                            by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
            ui_add_target(u, hr, UI_ACT_HOME, 0, NULL);
            x += hw + pad;
            SDL_Rect br = {x, by, bh, bh};
            if (ui_is_pressed(u, br, UI_ACT_BACK, 0))
                render_fill_rect(u->r, br, t->radius, (render_color){255, 255, 255, 50});
            render_icon_draw(u->r, RENDER_ICON_BACK, (SDL_Rect){x + bh / 4, by + bh / 4, bh / 2, bh / 2}, fg);
            ui_add_target(u, br, UI_ACT_BACK, 0, NULL);
            x += bh + pad;
        }
    }

    /* Right side: search, language, text size. */
    int right = u->w - pad;
    SDL_Rect ar = {right - bh, by, bh, bh};
    if (ui_is_pressed(u, ar, UI_ACT_TEXT_SIZE, 0))
        render_fill_rect(u->r, ar, t->radius, (render_color){255, 255, 255, 50});
    {
        /* "Aa" with a small and a large A, and three dots for the step. */
        int big = bh / 2, small = bh / 3;
        int wa = render_text_width(u->r, RENDER_FACE_BOLD, small, "A", 1);
        int wb = render_text_width(u->r, RENDER_FACE_BOLD, big, "A", 1);
        int tx = ar.x + (bh - wa - wb) / 2, base = ar.y + bh / 2 + big / 2;
        render_text(u->r, RENDER_FACE_BOLD, small, "A", 1, tx,
                    base - render_line_height(u->r, RENDER_FACE_BOLD, small) + small / 5, fg);
        render_text(u->r, RENDER_FACE_BOLD, big, "A", 1, tx + wa,
                    base - render_line_height(u->r, RENDER_FACE_BOLD, big) + big / 5, fg);
        for (int i = 0; i < THEME_TEXT_STEPS; i++) {
            render_color dc = fg;
            dc.a = i <= u->text_step ? 255 : 90;
            render_fill_circle(u->r, ar.x + bh / 2 + (i - 1) * theme_px(t, 7), ar.y + bh - theme_px(t, 7),
                               theme_px(t, 2.5f), dc);
        }
    }
    ui_add_target(u, ar, UI_ACT_TEXT_SIZE, 0, NULL);
    right = ar.x - pad;

    right = draw_lang_button(u, right) - pad;

    if (u->st && u->cur.kind != ROUTE_SEARCH) {
        SDL_Rect sr = {right - bh, by, bh, bh};
        if (ui_is_pressed(u, sr, UI_ACT_ROUTE, 1))
            render_fill_rect(u->r, sr, t->radius, (render_color){255, 255, 255, 50});
        render_icon_draw(u->r, RENDER_ICON_SEARCH, (SDL_Rect){sr.x + bh / 4, sr.y + bh / 4, bh / 2, bh / 2}, fg);
        ui_add_target(u, sr, UI_ACT_ROUTE, 1, "search");
        right = sr.x - pad;
    }

    /* The title between, cut to fit, or what the view puts there. */
    const char *title = u->view->title ? u->view->title(u) : "";
    if (u->view->bar_center) {
        u->view->bar_center(u, (SDL_Rect){x, by, right - x, bh});
    } else if (title && *title && right - x > theme_px(t, 60)) {
        int lh = render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar);
        ui_text_block(u, RENDER_FACE_BOLD, t->font_bar, title, x + pad, (t->bar_h - lh) / 2, right - x - pad * 2, 1,
                      t->color.bar_text, true);
    }
}

static void draw_toast(ui *u)
{
    const theme *t = &u->th;
    int fs = t->font_body;
    int maxw = u->w - 4 * t->margin;
    int tw = render_text_width(u->r, RENDER_FACE_BOLD, fs, u->toast, strlen(u->toast));
    if (tw > maxw)
        tw = maxw;
    int lh = render_line_height(u->r, RENDER_FACE_BOLD, fs);
    int pad = theme_px(t, 18);
    SDL_Rect r = {(u->w - tw) / 2 - pad, u->h - t->margin - lh - pad, tw + 2 * pad, lh + pad};
    render_shadow(u->r, r, r.h / 2, theme_px(t, 4));
    render_fill_rect(u->r, r, r.h / 2, ui_color(t->color.text));
    ui_text_block(u, RENDER_FACE_BOLD, fs, u->toast, r.x + pad, r.y + pad / 2, tw, 1, t->color.surface, true);
}

void ui_draw(ui *u)
{
    u->n_targets = 0;
    const theme *t = &u->th;
    render_fill_rect(u->r, (SDL_Rect){0, 0, u->w, u->h}, 0, ui_color(t->color.bg));
    bool bar = u->view->bar != UI_BAR_NONE;
    SDL_Rect area = {0, bar ? t->bar_h : 0, u->w, u->h - (bar ? t->bar_h : 0)};
    /* The view first, the bar on top of it, so a scrolled page slides under
     * the bar; targets of the bar are added last and win the hit test. */
    u->view->draw(u, area);
    if (bar)
        draw_bar(u);
    if (u->toast[0])
        draw_toast(u);
    u->stats.frames++;
    u->dirty = false;
}

int ui_keyboard_locate(ui *u, const char *ch, float *x, float *y, bool *done)
{
    if (u->cur.kind != ROUTE_SEARCH)
        return -1;
    if (u->dirty)
        ui_draw(u);
    return view_search_locate(u, ch, x, y, done);
}

int ui_locate_route(ui *u, const char *route_str, float *x, float *y)
{
    if (u->dirty)
        ui_draw(u);
    for (int i = u->n_targets - 1; i >= 0; i--) {
        const ui_target *t = &u->targets[i];
        bool same = t->action == UI_ACT_ROUTE ? !strcmp(t->route, route_str)
                    : t->action == UI_ACT_HOME ? !strcmp(route_str, "@home")
                    : t->action == UI_ACT_BACK ? !strcmp(route_str, "@back")
                    : t->action == UI_ACT_TEXT_SIZE ? !strcmp(route_str, "@text-size")
                    : t->action == UI_ACT_LANG && t->arg < 0 ? !strcmp(route_str, "@lang")
                    : t->action == UI_ACT_VIEW ? t->route[0] == '@' && !strcmp(route_str, t->route)
                                               : false;
        if (same && t->rect.w > 0 && t->rect.h > 0 && t->rect.y >= 0 && t->rect.y < u->h) {
            *x = (float)t->rect.x + (float)t->rect.w / 2;
            *y = (float)t->rect.y + (float)t->rect.h / 2;
            return 0;
        }
    }
    return -1;
}

const char *ui_toast_text(const ui *u)
{
    return u->toast;
}

int ui_check_layout(ui *u, char *err, size_t errcap)
{
    ui_draw(u);
    int problems = 0;
    /* Keyboard keys and page dots may be a little under the target size
     * in one direction; 3/4 of it is the floor for anything tappable. */
    int min = u->th.target * 3 / 4;
    for (int i = 0; i < u->n_targets; i++) {
        const ui_target *t = &u->targets[i];
        if (t->rect.w <= 0 || t->rect.h <= 0)
            continue;
        const char *why = NULL;
        if (t->rect.x < 0 || t->rect.x + t->rect.w > u->w)
            why = "spills over the side of the screen";
        else if (t->rect.h < min && !t->clipped && !(t->action == UI_ACT_ROUTE && t->arg >= 1000))
            why = "is lower than a fingertip";
        else if (t->rect.w < min / 2)
            why = "is too narrow for a fingertip";
        else if (t->label_cut)
            why = "has a label too long for it";
        for (int j = 0; j < i && !why; j++) {
            const ui_target *o = &u->targets[j];
            if (!t->clipped && !o->clipped && o->rect.w > 0 && o->rect.h > 0 && SDL_HasIntersection(&t->rect, &o->rect))
                why = "overlaps an earlier target";
        }
        if (why && problems++ == 0)
            snprintf(err, errcap, "target %d (%s %s) at %d,%d %dx%d %s on %dx%d", i, t->route,
                     t->action == UI_ACT_VIEW ? "view" : "", t->rect.x, t->rect.y, t->rect.w, t->rect.h, why, u->w, u->h);
    }
    return problems;
}
