/* ui_observe — counts-only events for the usage counters (ui_observe.h).
 *
 * Everything is worked out after a frame from what the frame showed, so no
 * view needs a hook of its own: a deck's card changes its route, a search
 * its query, the bar the session's language. A search is reported once,
 * when its screen is left, not at every keystroke of the query. Nothing
 * is reported outside a session (from a person's first touch to the idle
 * reset): start-up screens and attract mode are nobody's views. */
#include "ui_private.h"

#include <stdio.h>
#include <string.h>

#include "ui_observe.h"
#include "ui_router.h"

static void emit(ui *u, ui_event_kind kind, const char *what, int value)
{
    ui_event ev = {.kind = kind, .what = what ? what : "", .lang = u->session.lang, .value = value};
    if (u->observe.obs.event)
        u->observe.obs.event(u->observe.obs.user, &ev);
}

void ui_set_observer(ui *u, const ui_observer *o)
{
    if (o)
        u->observe.obs = *o;
    else
        memset(&u->observe.obs, 0, sizeof u->observe.obs);
}

void ui_observe_input(ui *u)
{
    ui_observe *ob = &u->observe;
    if (ob->in_session)
        return;
    ob->in_session = true;
    ob->shown[0] = '\0'; /* the screen the person found counts as seen */
    snprintf(ob->lang, sizeof ob->lang, "%s", u->session.lang);
    ob->text_step = u->session.text_step;
    emit(u, UI_EVENT_SESSION, NULL, 0);
}

/* Did the query find anything, in the ui language or any other (as the
 * search screen looks)? */
static bool query_found(ui *u, const char *query)
{
    /* store_find tries the other languages (and corrections) itself. */
    store_result hit;
    return u->st && store_find(u->st, query, u->session.lang, 0, &hit, 1, NULL) > 0;
}

static void report_search(ui *u)
{
    ui_observe *ob = &u->observe;
    if (!ob->query[0])
        return;
    emit(u, UI_EVENT_SEARCH, NULL, query_found(u, ob->query) ? 1 : 0);
    memset(ob->query, 0, sizeof ob->query);
}

/* The screen as a counter names it: the route without the query, or ""
 * for what is not counted (operator screens, out of service). */
static void shown_route(const ui *u, char *out, size_t cap)
{
    route r = u->cur;
    out[0] = '\0';
    if (!u->st || ui_on_operator_screen(u))
        return;
    r.query[0] = '\0';
    if (!route_format(&r, out, cap))
        out[0] = '\0';
}

static void note_choices(ui *u)
{
    ui_observe *ob = &u->observe;
    if (strcmp(ob->lang, u->session.lang)) {
        snprintf(ob->lang, sizeof ob->lang, "%s", u->session.lang);
        emit(u, UI_EVENT_LANGUAGE, u->session.lang, 0);
    }
    if (ob->text_step != u->session.text_step) {
        ob->text_step = u->session.text_step;
        emit(u, UI_EVENT_TEXT_SIZE, NULL, ob->text_step);
    }
}

void ui_observe_frame(ui *u)
{
    ui_observe *ob = &u->observe;
    char shown[ROUTE_STRING_MAX + 1];
    if (!ob->in_session)
        return; /* nobody there: start-up, attract mode, an idle kiosk */
    note_choices(u);
    if (u->cur.kind == ROUTE_SEARCH) {
        snprintf(ob->query, sizeof ob->query, "%s", u->cur.query);
    } else {
        report_search(u);
    }
    shown_route(u, shown, sizeof shown);
    if (shown[0] && strcmp(shown, ob->shown)) {
        snprintf(ob->shown, sizeof ob->shown, "%s", shown);
        emit(u, UI_EVENT_VIEW, shown, 0);
    }
}

void ui_observe_reset(ui *u)
{
    ui_observe *ob = &u->observe;
    report_search(u);
    ob->in_session = false;
    ob->shown[0] = '\0';
}
