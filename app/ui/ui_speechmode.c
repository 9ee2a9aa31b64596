/* ui_speechmode — see ui_speechmode.h. */
#include "ui_private.h"

#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "ui_input.h"
#include "ui_speech.h"
#include "ui_speechmode.h"

/* ---- saying things --------------------------------------------------------- */

static void say(ui *u, const char *text)
{
    if (text && *text)
        ui_speak(u, text, UI_SPEECHMODE_VOICE_ID);
}

/* The name of the screen: the bar's title, or the kiosk's name (home). */
static const char *screen_name(ui *u)
{
    const char *title = u->view && u->view->title ? u->view->title(u, u->state) : NULL;
    return title && *title ? title : ui_str(u, I18N_APP_NAME);
}

static void announce(ui *u)
{
    char text[1024];
    snprintf(text, sizeof text, ui_str(u, I18N_SPEECH_MODE_ON), screen_name(u));
    say(u, text);
}

/* ---- the focus ---------------------------------------------------------------- */

/* The same target, perhaps in another frame: same owner, kind, index and
 * route (a scrolled row has moved, a relabelled button has new words). */
static bool same_target(const ui_target *a, const ui_target *b)
{
    return a->id.kind == b->id.kind && a->id.index == b->id.index && a->id.flags == b->id.flags &&
           !strcmp(a->ref, b->ref);
}

/* t in this frame's list, where it shows; NULL when gone. */
static ui_target *find_again(ui *u, const ui_target *t)
{
    for (int i = u->targets.n - 1; i >= 0; i--) {
        ui_target *o = &u->targets.items[i];
        if (same_target(o, t) && o->rect.w > 0 && o->rect.h > 0)
            return o;
    }
    return NULL;
}

static void set_focus(ui *u, const ui_target *t)
{
    u->sm.focus = *t;
    u->sm.has_focus = true;
    ui_invalidate(u); /* the ring moves */
}

/* Focuses what is under (x, y) and says it; when only_new, says nothing
 * for the target already focused (a finger moving over it). */
static void explore(ui *u, float x, float y, bool only_new)
{
    if (u->dirty)
        ui_draw(u);
    const ui_target *t = targets_at(&u->targets, x, y, theme_px(&u->th, 4)); /* as a tap forgives */
    if (!t)
        return;
    if (only_new && u->sm.has_focus && same_target(t, &u->sm.focus))
        return;
    set_focus(u, t);
    say(u, t->label);
}

/* True when a comes before b in reading order: top to bottom, then left
 * to right. */
static bool reads_before(SDL_Rect a, SDL_Rect b)
{
    return a.y != b.y ? a.y < b.y : a.x < b.x;
}

/* The visible targets' indices in reading order (an insertion sort: a
 * frame has a few dozen, and equal places keep the order they were added). */
static int visible_in_order(const ui *u, int *order)
{
    int n = 0;
    for (int i = 0; i < u->targets.n; i++) {
        SDL_Rect r = u->targets.items[i].rect;
        if (r.w <= 0 || r.h <= 0 || r.y + r.h <= 0 || r.y >= u->h)
            continue;
        int k = n++;
        while (k > 0 && reads_before(r, u->targets.items[order[k - 1]].rect)) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    return n;
}

/* Moves the focus step (+1 next, -1 previous) in reading order, round
 * the ends, and says it. */
static void move_focus(ui *u, int step)
{
    if (u->dirty)
        ui_draw(u);
    int order[TARGETS_MAX];
    int n = visible_in_order(u, order);
    if (n == 0)
        return;
    const ui_target *cur = u->sm.has_focus ? find_again(u, &u->sm.focus) : NULL;
    int at = -1;
    for (int k = 0; cur && k < n; k++)
        if (&u->targets.items[order[k]] == cur)
            at = k;
    int next = at < 0 ? (step > 0 ? 0 : n - 1) : ((at + step) % n + n) % n;
    const ui_target *t = &u->targets.items[order[next]];
    set_focus(u, t);
    say(u, t->label);
}

/* A double tap: what a tap on the focused target would do. The new
 * screen says its name (ui_switch_to); on the same screen the target
 * is said again, as it now reads (a typed letter, another language). */
static void activate(ui *u)
{
    if (u->dirty)
        ui_draw(u);
    const ui_target *t = u->sm.has_focus ? find_again(u, &u->sm.focus) : NULL;
    if (!t)
        return;
    ui_stats before = u->stats;
    ui_input_perform(u, t);
    if (u->stats.navigations != before.navigations || !u->session.speech_mode)
        return;
    ui_draw(u);
    const ui_target *again = find_again(u, &u->sm.focus);
    if (!again)
        return;
    set_focus(u, again);
    /* A speaker button started reading: its words, not its new label. */
    if (u->stats.utterances == before.utterances)
        say(u, again->label);
}

/* ---- gestures ---------------------------------------------------------------------- */

static void on_press(ui *u, const gesture_event *e)
{
    u->sm.had_focus_before = u->sm.has_focus;
    u->sm.before = u->sm.focus;
    u->sm.second = u->sm.tap_pending && (int32_t)(e->time_ms - u->sm.tap_at) <= (int32_t)UI_DOUBLE_TAP_MS;
    if (!u->sm.second)
        u->sm.tap_pending = false;
}

static void on_tap(ui *u, const gesture_event *e)
{
    if (u->sm.second) {
        u->sm.second = u->sm.tap_pending = false;
        activate(u);
        return;
    }
    u->sm.tap_pending = true;
    u->sm.tap_x = e->x;
    u->sm.tap_y = e->y;
    u->sm.tap_at = e->time_ms;
}

/* A swipe starts as a drag that explores; the focus it moves from is the
 * one before the finger went down. */
static void on_swipe(ui *u, int step)
{
    u->sm.has_focus = u->sm.had_focus_before;
    u->sm.focus = u->sm.before;
    move_focus(u, step);
}

/* Two fingers dragged scroll the page as one finger does when speech
 * mode is off (the phones' convention): the view gets the drag. */
static bool scroll_with_two(ui *u, const gesture_event *e)
{
    if (e->kind == GESTURE_DRAG_START)
        u->sm.scrolling = u->n_down >= 2;
    if (!u->sm.scrolling || e->kind == GESTURE_PRESS || e->kind == GESTURE_TAP || e->kind == GESTURE_LONG_PRESS)
        return false;
    if (u->view->gesture)
        u->view->gesture(u, u->state, e);
    return true;
}

void ui_speechmode_gesture(ui *u, const gesture_event *e)
{
    if (scroll_with_two(u, e))
        return;
    switch (e->kind) {
    case GESTURE_PRESS:
        u->sm.scrolling = false;
        on_press(u, e);
        break;
    case GESTURE_TAP:
        on_tap(u, e);
        break;
    case GESTURE_LONG_PRESS: /* touch and hold: said at once */
        u->sm.second = u->sm.tap_pending = false;
        explore(u, e->x, e->y, false);
        break;
    case GESTURE_DRAG_START:
    case GESTURE_DRAG:
        u->sm.second = u->sm.tap_pending = false;
        explore(u, e->x, e->y, true);
        break;
    case GESTURE_SWIPE_RIGHT:
        on_swipe(u, +1);
        break;
    case GESTURE_SWIPE_LEFT:
        on_swipe(u, -1);
        break;
    default:
        break;
    }
}

/* ---- two fingers held still --------------------------------------------------------- */

void ui_speechmode_pointer(ui *u, ui_pointer_phase phase, int64_t id, float x, float y, int n_down)
{
    ui_speechmode *s = &u->sm;
    if (phase == UI_POINTER_DOWN && n_down <= 2) {
        s->hold_id[n_down - 1] = id;
        s->hold_x[n_down - 1] = x;
        s->hold_y[n_down - 1] = y;
        s->hold_armed = n_down == 2;
        s->hold_since = u->now;
        return;
    }
    if (!s->hold_armed)
        return;
    if (phase != UI_POINTER_MOVE || n_down != 2) {
        s->hold_armed = false; /* a finger rose, or a third came */
        return;
    }
    /* Still means within twice a tap's slop: two fingers wobble more than one. */
    float slop = 2.0f * gesture_config_for_dpi(ui_effective_dpi(u)).tap_slop_px;
    for (int i = 0; i < 2; i++) {
        float dx = x - s->hold_x[i], dy = y - s->hold_y[i];
        if (id == s->hold_id[i] && dx * dx + dy * dy > slop * slop)
            s->hold_armed = false;
    }
}

void ui_speechmode_tick(ui *u, uint32_t now)
{
    ui_speechmode *s = &u->sm;
    if (s->hold_armed && (int32_t)(now - s->hold_since) >= (int32_t)UI_SPEECH_HOLD_MS) {
        s->hold_armed = false;
        platform_log(PLATFORM_LOG_INFO, "speech mode: two fingers held");
        ui_speech_mode_start(u, now);
    }
    if (s->tap_pending && !s->second && (int32_t)(now - s->tap_at) >= (int32_t)UI_DOUBLE_TAP_MS) {
        s->tap_pending = false;
        if (u->session.speech_mode)
            explore(u, s->tap_x, s->tap_y, false);
    }
}

deadline ui_speechmode_deadline(const ui *u, uint32_t now)
{
    const ui_speechmode *s = &u->sm;
    deadline d = deadline_none();
    if (s->hold_armed)
        d = deadline_min(d, deadline_at(s->hold_since + UI_SPEECH_HOLD_MS), now);
    if (s->tap_pending && !s->second)
        d = deadline_min(d, deadline_at(s->tap_at + UI_DOUBLE_TAP_MS), now);
    return d;
}

/* ---- the screen -------------------------------------------------------------------- */

void ui_speechmode_screen_changed(ui *u)
{
    u->sm.has_focus = false;
    u->sm.tap_pending = u->sm.second = false;
    if (u->session.speech_mode)
        say(u, screen_name(u));
}

/* Two rings, dark outside and bright inside, so the focus shows on the
 * light page, the teal bar and the black of high contrast alike. */
void ui_speechmode_draw(ui *u)
{
    if (!u->session.speech_mode || !u->sm.has_focus)
        return;
    const ui_target *t = find_again(u, &u->sm.focus);
    if (!t) {
        u->sm.has_focus = false; /* scrolled away or gone */
        return;
    }
    u->sm.focus = *t;
    int w = theme_px(&u->th, 3) > 2 ? theme_px(&u->th, 3) : 2;
    SDL_Rect r = {t->rect.x - 2 * w, t->rect.y - 2 * w, t->rect.w + 4 * w, t->rect.h + 4 * w};
    render_stroke_rect(u->r, r, u->th.radius + 2 * w, 2 * w, (render_color){0, 0, 0, 255});
    SDL_Rect in = {r.x + w / 2, r.y + w / 2, r.w - w, r.h - w};
    render_stroke_rect(u->r, in, u->th.radius + w, w, (render_color){255, 214, 0, 255});
}

void ui_speechmode_reset(ui *u)
{
    u->sm = (ui_speechmode){0};
}

/* ---- public (ui.h) ------------------------------------------------------------------- */

void ui_speech_mode_start(ui *u, uint32_t now)
{
    u->now = now;
    u->last_input = now; /* someone is here */
    if (!u->session.speech_mode)
        platform_log(PLATFORM_LOG_INFO, "speech mode on");
    u->session.speech_mode = true;
    u->pressing = false;
    ui_invalidate(u);
    announce(u);
}

void ui_speech_mode_stop(ui *u, uint32_t now)
{
    u->now = now;
    if (!u->session.speech_mode)
        return;
    platform_log(PLATFORM_LOG_INFO, "speech mode off");
    u->session.speech_mode = false;
    ui_speech_stop(u);
    ui_speechmode_reset(u);
    ui_invalidate(u);
}

bool ui_speech_mode(const ui *u)
{
    return u->session.speech_mode;
}

const char *ui_speech_focus(const ui *u)
{
    return u->session.speech_mode && u->sm.has_focus ? u->sm.focus.label : "";
}
