#include "replay.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "utf8.h"

/* Advances virtual time to target, ticking the ui frame by frame as the real
 * loop would, and drawing when something changed (targets follow drawing). */
static void advance(ui *u, uint32_t *now, uint32_t target)
{
    while ((int32_t)(target - *now) > 0) {
        uint32_t step = target - *now > REPLAY_FRAME_MS ? REPLAY_FRAME_MS : target - *now;
        deadline d = ui_next_deadline(u, *now);
        /* Jump straight to the next deadline when nothing animates: a
         * 90-second wait costs a few calls, not 5600 frames. */
        if (!ui_dirty(u) && d.set && deadline_left(d, *now) > (int32_t)step)
            step = deadline_left(d, *now) < (int32_t)(target - *now) ? d.at - *now : target - *now;
        else if (!ui_dirty(u) && !d.set)
            step = target - *now;
        *now += step;
        ui_tick(u, *now);
        if (ui_dirty(u))
            ui_draw(u);
    }
}

static void tap(ui *u, uint32_t *now, float x, float y)
{
    ui_pointer_down(u, -1, x, y, *now);
    advance(u, now, *now + 60);
    ui_pointer_up(u, -1, x, y, *now);
    advance(u, now, *now + REPLAY_FRAME_MS);
}

static void longpress(ui *u, uint32_t *now, const script_step *st)
{
    ui_pointer_down(u, -1, st->x1, st->y1, *now);
    advance(u, now, *now + (uint32_t)st->ms);
    ui_pointer_up(u, -1, st->x1, st->y1, *now);
    advance(u, now, *now + REPLAY_FRAME_MS);
}

/* Moves at even speed, one pointer move per frame. */
static void drag(ui *u, uint32_t *now, const script_step *st)
{
    int steps = st->ms / (int)REPLAY_FRAME_MS;
    if (steps < 2)
        steps = 2;
    ui_pointer_down(u, -1, st->x1, st->y1, *now);
    for (int i = 1; i <= steps; i++) {
        float f = (float)i / (float)steps;
        advance(u, now, *now + (uint32_t)st->ms / (uint32_t)steps + 1);
        ui_pointer_move(u, -1, st->x1 + (st->x2 - st->x1) * f, st->y1 + (st->y2 - st->y1) * f, *now);
    }
    ui_pointer_up(u, -1, st->x2, st->y2, *now);
    advance(u, now, *now + REPLAY_FRAME_MS);
}

/* Two fingers (ids 1 and 2) down together, held still, then lifted. */
static void hold2(ui *u, uint32_t *now, const script_step *st)
{
    ui_pointer_down(u, 1, st->x1, st->y1, *now);
    ui_pointer_down(u, 2, st->x2, st->y2, *now);
    advance(u, now, *now + (uint32_t)st->ms);
    ui_pointer_up(u, 2, st->x2, st->y2, *now);
    ui_pointer_up(u, 1, st->x1, st->y1, *now);
    advance(u, now, *now + REPLAY_FRAME_MS);
}

/* An audio output plugged in or out, as SDL reports it to the kiosk. */
static void audio(ui *u, uint32_t *now, const char *what)
{
    SDL_Event ev = {0};
    ev.adevice.type = !strcmp(what, "added") ? SDL_AUDIODEVICEADDED : SDL_AUDIODEVICEREMOVED;
    ev.adevice.timestamp = *now;
    events_config c = {0, 0, false, true, 0};
    events_dispatch(u, &ev, &c, *now);
    advance(u, now, *now + REPLAY_FRAME_MS);
}

static int type_text(ui *u, uint32_t *now, const char *text, char *err, size_t errcap)
{
    const char *p = text;
    while (*p) {
        size_t n = utf8_char_len(p);
        char ch[8] = {0};
        memcpy(ch, p, n < sizeof ch ? n : sizeof ch - 1);
        bool done = false;
        /* Up to a few presses: switch layout, shift, then the letter. */
        for (int tries = 0; tries < 6 && !done; tries++) {
            float x, y;
            if (ui_keyboard_locate(u, ch, &x, &y, &done) < 0) {
                snprintf(err, errcap, "cannot type '%s': no key for it on the on-screen keyboard", ch);
                return -1;
            }
            tap(u, now, x, y);
        }
        if (!done) {
            snprintf(err, errcap, "cannot type '%s'", ch);
            return -1;
        }
        p += n;
    }
    return 0;
}

static int tap_on(ui *u, uint32_t *now, const char *route, char *err, size_t errcap)
{
    float x, y;
    if (ui_locate_route(u, route, &x, &y) < 0) {
        snprintf(err, errcap, "nothing on screen leads to '%s'", route);
        return -1;
    }
    tap(u, now, x, y);
    return 0;
}

static int play_step(ui *u, const script_step *st, uint32_t *now, char *err, size_t errcap)
{
    switch (st->op) {
    case SCRIPT_TAP:
        tap(u, now, st->x1, st->y1);
        return 0;
    case SCRIPT_LONGPRESS:
        longpress(u, now, st);
        return 0;
    case SCRIPT_DRAG:
        drag(u, now, st);
        return 0;
    case SCRIPT_WAIT:
        advance(u, now, *now + (uint32_t)st->ms);
        return 0;
    case SCRIPT_TYPE:
        return type_text(u, now, st->text, err, errcap);
    case SCRIPT_KEY:
        ui_key(u, st->text, *now);
        advance(u, now, *now + REPLAY_FRAME_MS);
        return 0;
    case SCRIPT_OPEN:
        if (ui_navigate(u, st->text, *now, err, errcap) < 0)
            return -1;
        advance(u, now, *now + REPLAY_FRAME_MS);
        return 0;
    case SCRIPT_TAPON:
        return tap_on(u, now, st->text, err, errcap);
    case SCRIPT_HOLD2:
        hold2(u, now, st);
        return 0;
    case SCRIPT_AUDIO:
        audio(u, now, st->text);
        return 0;
    case SCRIPT_RESIZE:
        snprintf(err, errcap, "resize is only supported in a window");
        return -1;
    }
    return 0;
}

int replay_script(ui *u, const script *sc, uint32_t *now, char *err, size_t errcap)
{
    char why[400];
    for (size_t i = 0; i < sc->n; i++) {
        if (play_step(u, &sc->steps[i], now, why, sizeof why) < 0) {
            snprintf(err, errcap, "line %d: %s", sc->steps[i].line, why);
            return -1;
        }
    }
    return 0;
}

void replay_settle(ui *u, uint32_t *now)
{
    uint32_t until = *now + REPLAY_SETTLE_MAX_MS;
    deadline d;
    while ((int32_t)(until - *now) > 0 && (d = ui_next_deadline(u, *now)).set &&
           deadline_left(d, *now) <= (int32_t)REPLAY_FRAME_MS)
        advance(u, now, *now + REPLAY_FRAME_MS);
}
