/* ui_input — pointers, keys and text from outside: gestures to targets,
 * press feedback, and the hidden corner gesture. */
#include "ui_private.h"

#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "ui_bar.h"
#include "ui_input.h"
#include "ui_reach.h"
#include "ui_router.h"
#include "ui_session.h"
#include "utf8.h"

/* The topmost target at (x, y); targets drawn later lie on top. A small
 * tolerance forgives a finger that lands just outside a button's edge. */
static const ui_target *target_at(const ui *u, float x, float y)
{
    return targets_at(&u->targets, x, y, theme_px(&u->th, 4));
}

void ui_input_perform(ui *u, const ui_target *t)
{
    ui_target copy = *t; /* targets are rebuilt by what follows */
    if (copy.id.flags & TARGET_LINK)
        ui_go(u, copy.ref);
    else if (copy.id.flags & TARGET_REACH)
        ui_reach_toggle(u);
    else if (copy.id.flags & TARGET_BAR)
        ui_bar_tap(u, copy.id);
    else if (u->view->tap)
        u->view->tap(u, u->state, copy.id);
}

static void dispatch_gestures(ui *u)
{
    gesture_event e;
    while (gesture_poll(&u->g, &e)) {
        if (u->session.speech_mode) {
            ui_speechmode_gesture(u, &e); /* touch says, a double tap acts */
            continue;
        }
        const ui_target *t;
        switch (e.kind) {
        case GESTURE_PRESS:
            t = target_at(u, e.x, e.y);
            u->pressing = t != NULL;
            if (t)
                u->pressed = *t;
            if (u->view->gesture)
                u->view->gesture(u, u->state, &e); /* stops a fling under the finger */
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
                ui_input_perform(u, t);
            else if (u->view->gesture)
                u->view->gesture(u, u->state, &e);
            break;
        default:
            if (u->pressing) {
                u->pressing = false;
                ui_invalidate(u);
            }
            if (u->view->gesture)
                u->view->gesture(u, u->state, &e);
            break;
        }
    }
}

static void note_input(ui *u, uint32_t now)
{
    ui_session_input(u, now);
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
    int side = (int)(UI_CORNER_MM / 25.4f * ui_effective_dpi(u) + 0.5f);
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
    u->corner.armed = u->n_down == 1 && !ui_on_operator_screen(u) && x >= 0 && y >= 0 && x < (float)side &&
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
    float slop = gesture_config_for_dpi(ui_effective_dpi(u)).tap_slop_px;
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

void ui_input_tick(ui *u, uint32_t now)
{
    gesture_tick(&u->g, now);
    dispatch_gestures(u);
    if (u->corner.armed && (int32_t)(now - u->corner.since) >= (int32_t)UI_CORNER_HOLD_MS)
        corner_fire(u);
    ui_speechmode_tick(u, now);
}

deadline ui_input_deadline(const ui *u, uint32_t now)
{
    deadline d = gesture_next_deadline(&u->g);
    if (u->corner.armed)
        d = deadline_min(d, deadline_at(u->corner.since + UI_CORNER_HOLD_MS), now);
    return deadline_min(d, ui_speechmode_deadline(u, now), now);
}

/* ---- pointers ------------------------------------------------------------ */

/* One pointer event: the count of fingers and the corner gesture, the
 * view's raw hook (the touch test), then the gesture recogniser. Only a
 * finger going down ends attract mode and brings the targets up to date
 * (a move or a release belongs to a touch that did). */
static void pointer_event(ui *u, ui_pointer_phase phase, int64_t id, float x, float y, uint32_t now)
{
    if (!ui_reach_pointer(u, phase, id, &y)) {
        note_input(u, now);
        return;
    }
    if (phase == UI_POINTER_DOWN) {
        note_input(u, now);
        pointer_add(u, id);
        corner_down(u, id, x, y);
    } else {
        u->now = now;
        u->last_input = now;
    }
    if (phase == UI_POINTER_MOVE)
        corner_move(u, id, x, y);
    if (phase == UI_POINTER_UP) {
        pointer_remove(u, id);
        if (id == u->corner.id)
            u->corner.armed = false;
    }
    ui_speechmode_pointer(u, phase, id, x, y, u->n_down);
    if (u->view->pointer)
        u->view->pointer(u, u->state, phase, id, x, y);
    if (phase == UI_POINTER_DOWN)
        gesture_down(&u->g, id, x, y, now);
    else if (phase == UI_POINTER_MOVE)
        gesture_move(&u->g, id, x, y, now);
    else
        gesture_up(&u->g, id, x, y, now);
    dispatch_gestures(u);
}

void ui_pointer_down(ui *u, int64_t id, float x, float y, uint32_t now)
{
    pointer_event(u, UI_POINTER_DOWN, id, x, y, now);
}

void ui_pointer_move(ui *u, int64_t id, float x, float y, uint32_t now)
{
    pointer_event(u, UI_POINTER_MOVE, id, x, y, now);
}

void ui_pointer_up(ui *u, int64_t id, float x, float y, uint32_t now)
{
    pointer_event(u, UI_POINTER_UP, id, x, y, now);
}

void ui_key(ui *u, const char *name, uint32_t now)
{
    note_input(u, now);
    /* Escape, Alt+F4, Ctrl+Q, Alt+Tab: nothing here; the kiosk loop decides
     * whether a development window may close. */
    if (!u->view->key)
        return;
    if (!strcmp(name, "backspace"))
        u->view->key(u, u->state, UI_KEY_BACKSPACE);
    else if (!strcmp(name, "return"))
        u->view->key(u, u->state, UI_KEY_RETURN);
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
    if (u->view->text && !has_control(utf8) && utf8_valid(utf8, strlen(utf8), NULL))
        u->view->text(u, u->state, utf8);
}

int ui_keyboard_locate(ui *u, const char *ch, float *x, float *y, bool *done)
{
    if (!u->view->locate)
        return -1;
    if (u->dirty)
        ui_draw(u);
    int found = u->view->locate(u, u->state, ch, x, y, done);
    if (found == 0)
        *y += (float)u->top; /* the screen's coordinates, as taps come */
    return found;
}
