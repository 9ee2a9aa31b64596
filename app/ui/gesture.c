/* gesture — see gesture.h for the contract and the event sequences. */
#include "gesture.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* Where the tracked pointer is in its life. */
enum {
    ST_IDLE = 0, /* no pointer down */
    ST_PENDING,  /* down, still within slop: may become a tap or a long press */
    ST_HELD,     /* LONG_PRESS fired: everything until release is swallowed */
    ST_MOVED,    /* left the slop, axis not yet clear: no events until it is */
    ST_DRAGGING, /* DRAG_START sent, axis locked */
};

/* A drag is "clearly" along an axis once that component is this many times the
 * other (about 56 degrees off the other axis)... */
#define AXIS_RATIO 1.5f
/* ...or, for a diagonal drag, once it has travelled this many slops: then the
 * larger component wins so the drag is never stuck undecided. */
#define AXIS_FORCE_SLOPS 2.0f

static int32_t ms_since(uint32_t now, uint32_t then)
{
    /* Signed difference: correct across the uint32 wrap as long as the two
     * times are less than ~24 days apart, which a gesture always is. */
    return (int32_t)(now - then);
}

static void queue_push(gesture *g, gesture_event ev)
{
    if (g->queue_count > 0 && ev.kind == GESTURE_DRAG) {
        /* Merge with a DRAG still waiting: the sum of the deltas is what the
         * caller would have applied anyway, and the queue stays short. */
        unsigned last = (g->queue_head + g->queue_count - 1) % GESTURE_QUEUE_CAP;
        gesture_event *prev = &g->queue[last];
        if (prev->kind == GESTURE_DRAG) {
            prev->dx += ev.dx;
            prev->dy += ev.dy;
            prev->x = ev.x;
            prev->y = ev.y;
            prev->time_ms = ev.time_ms;
            return;
        }
    }
    if (g->queue_count == GESTURE_QUEUE_CAP) {
        /* The caller stopped polling: losing the oldest keeps the newest state. */
        g->queue_head = (g->queue_head + 1) % GESTURE_QUEUE_CAP;
        g->queue_count--;
        g->dropped++;
    }
    g->queue[(g->queue_head + g->queue_count) % GESTURE_QUEUE_CAP] = ev;
    g->queue_count++;
}

static void emit(gesture *g, gesture_kind kind, float x, float y, uint32_t now_ms)
{
    gesture_event ev = {.kind = kind, .time_ms = now_ms, .x = x, .y = y, .axis = g->axis};
    queue_push(g, ev);
}

static void emit_delta(gesture *g, gesture_kind kind, float x, float y, uint32_t now_ms)
{
    gesture_event ev = {.kind = kind, .time_ms = now_ms, .x = x, .y = y, .axis = g->axis,
                        .dx = x - g->last_x, .dy = y - g->last_y};
    g->last_x = x;
    g->last_y = y;
    queue_push(g, ev);
}

static void add_sample(gesture *g, float x, float y, uint32_t now_ms)
{
    g->samples[g->sample_head].t = now_ms;
    g->samples[g->sample_head].x = x;
    g->samples[g->sample_head].y = y;
    g->sample_head = (g->sample_head + 1) % GESTURE_SAMPLES;
    if (g->sample_count < GESTURE_SAMPLES)
        g->sample_count++;
}

/* Least-squares slope of position over time across the recent samples. A fit
 * rather than the last pair because touch panels jitter and event loops stamp
 * several events with the same millisecond. */
static void release_velocity(const gesture *g, float *vx, float *vy)
{
    *vx = *vy = 0.0f;
    if (g->sample_count == 0)
        return;
    unsigned newest = (g->sample_head + GESTURE_SAMPLES - 1) % GESTURE_SAMPLES;
    uint32_t t0 = g->samples[newest].t;
    float st = 0, sx = 0, sy = 0;
    unsigned n = 0;
    bool distinct = false;
    for (unsigned i = 0; i < g->sample_count; i++) {
        unsigned k = (newest + GESTURE_SAMPLES - i) % GESTURE_SAMPLES;
        int32_t age = ms_since(t0, g->samples[k].t);
        /* Past the window only to find a second distinct time (after an event
         * loop stall), and never further than twice the window. */
        if (age < 0 || age > (int32_t)(2 * GESTURE_VELOCITY_WINDOW_MS))
            break;
        if (age > (int32_t)GESTURE_VELOCITY_WINDOW_MS && distinct)
            break;
        if (age > 0)
            distinct = true;
        st += -(float)age;
        sx += g->samples[k].x;
        sy += g->samples[k].y;
        n++;
        if (age > (int32_t)GESTURE_VELOCITY_WINDOW_MS)
            break;
    }
    if (n < 2 || !distinct)
        return;
    float mt = st / n, mx = sx / n, my = sy / n;
    float stt = 0, stx = 0, sty = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned k = (newest + GESTURE_SAMPLES - i) % GESTURE_SAMPLES;
        float t = -(float)ms_since(t0, g->samples[k].t) - mt;
        stt += t * t;
        stx += t * (g->samples[k].x - mx);
        sty += t * (g->samples[k].y - my);
    }
    assert(stt > 0.0f); /* guaranteed by two distinct times */
    *vx = stx / stt * 1000.0f;
    *vy = sty / stt * 1000.0f;
}

static bool long_press_due(const gesture *g, uint32_t now_ms)
{
    return g->state == ST_PENDING && g->cfg.long_press_ms > 0 &&
           ms_since(now_ms, g->down_ms) >= (int32_t)g->cfg.long_press_ms;
}

static void check_long_press(gesture *g, uint32_t now_ms)
{
    if (long_press_due(g, now_ms)) {
        g->state = ST_HELD;
        emit(g, GESTURE_LONG_PRESS, g->down_x, g->down_y, now_ms);
    }
}

static void start_drag(gesture *g, gesture_axis axis, float x, float y, uint32_t now_ms)
{
    g->axis = axis;
    g->state = ST_DRAGGING;
    g->last_x = g->down_x;
    g->last_y = g->down_y;
    emit_delta(g, GESTURE_DRAG_START, x, y, now_ms);
}

/* Lock the axis once the direction is clear; force it when asked to. */
static void try_lock_axis(gesture *g, float x, float y, uint32_t now_ms, bool force)
{
    float ax = fabsf(x - g->down_x), ay = fabsf(y - g->down_y);
    bool far = hypotf(ax, ay) >= AXIS_FORCE_SLOPS * g->cfg.tap_slop_px;
    if (ay >= AXIS_RATIO * ax || (ay >= ax && (far || force)))
        start_drag(g, GESTURE_AXIS_Y, x, y, now_ms);
    else if (ax >= AXIS_RATIO * ay || far || force)
        start_drag(g, GESTURE_AXIS_X, x, y, now_ms);
}

/* The pointer moved to (x, y): advance the state machine. */
static void track(gesture *g, float x, float y, uint32_t now_ms)
{
    check_long_press(g, now_ms);
    switch (g->state) {
    case ST_PENDING:
        if (hypotf(x - g->down_x, y - g->down_y) <= g->cfg.tap_slop_px)
            return;
        g->state = ST_MOVED;
        emit(g, GESTURE_PRESS_CANCEL, x, y, now_ms);
        try_lock_axis(g, x, y, now_ms, false);
        return;
    case ST_MOVED:
        try_lock_axis(g, x, y, now_ms, false);
        return;
    case ST_DRAGGING:
        if (x != g->last_x || y != g->last_y)
            emit_delta(g, GESTURE_DRAG, x, y, now_ms);
        return;
    default:
        return;
    }
}

static void end_drag(gesture *g, float x, float y, uint32_t now_ms, bool cancelled)
{
    float vx = 0.0f, vy = 0.0f;
    if (!cancelled)
        release_velocity(g, &vx, &vy);
    float speed = hypotf(vx, vy);
    if (speed > g->cfg.max_velocity_px_s) {
        vx *= g->cfg.max_velocity_px_s / speed;
        vy *= g->cfg.max_velocity_px_s / speed;
    }
    gesture_event ev = {.kind = GESTURE_DRAG_END, .time_ms = now_ms, .x = x, .y = y,
                        .axis = g->axis, .vx = vx, .vy = vy};
    if (hypotf(vx, vy) < g->cfg.fling_min_velocity_px_s)
        ev.vx = ev.vy = 0.0f;
    queue_push(g, ev);

    float travel = x - g->down_x;
    if (!cancelled && g->axis == GESTURE_AXIS_X &&
        fabsf(travel) >= g->cfg.swipe_min_distance_px &&
        /* The release must still move the same way: a drag out and back is no swipe. */
        (travel < 0 ? -vx : vx) >= g->cfg.swipe_min_velocity_px_s) {
        ev.kind = travel < 0 ? GESTURE_SWIPE_LEFT : GESTURE_SWIPE_RIGHT;
        queue_push(g, ev);
    }
}

static void reset_pointer(gesture *g)
{
    g->state = ST_IDLE;
    g->axis = GESTURE_AXIS_NONE;
    g->sample_count = 0;
    g->sample_head = 0;
}

gesture_config gesture_config_for_dpi(float dpi)
{
    /* SDL_GetDisplayDPI fails on some panels; 96 is the conventional guess. */
    if (!(dpi > 10.0f && dpi < 2000.0f))
        dpi = 96.0f;
    float mm = dpi / 25.4f;
    gesture_config c = {
        .tap_slop_px = 2.5f * mm,
        /* A little longer than phones use (500 ms): older readers press slowly. */
        .long_press_ms = 600,
        .swipe_min_distance_px = 10.0f * mm,
        .swipe_min_velocity_px_s = 80.0f * mm,
        .fling_min_velocity_px_s = 25.0f * mm,
        .max_velocity_px_s = 1500.0f * mm,
    };
    return c;
}

void gesture_init(gesture *g, const gesture_config *cfg)
{
    assert(g && cfg);
    assert(cfg->tap_slop_px >= 0.0f && cfg->max_velocity_px_s > 0.0f);
    memset(g, 0, sizeof *g);
    g->cfg = *cfg;
    reset_pointer(g);
}

/* The tracked pointer has sent nothing for at least ms. */
static bool still_for(const gesture *g, uint32_t now_ms, uint32_t ms)
{
    return ms_since(now_ms, g->last_ms) >= (int32_t)ms;
}

void gesture_down(gesture *g, int64_t pointer, float x, float y, uint32_t now_ms)
{
    assert(g);
    if (g->state != ST_IDLE) {
        if (pointer != g->pointer && !still_for(g, now_ms, GESTURE_HANDOVER_MS))
            return; /* second finger: ignored while the first is down */
        /* Same pointer down twice, or a new one after a long silence: the
         * release was lost. Close the old gesture cleanly so feedback and
         * drags never stay stuck. */
        gesture_cancel(g, now_ms);
    }
    g->pointer = pointer;
    g->state = ST_PENDING;
    g->down_ms = g->last_ms = now_ms;
    g->down_x = g->last_x = x;
    g->down_y = g->last_y = y;
    g->axis = GESTURE_AXIS_NONE;
    g->sample_count = 0;
    g->sample_head = 0;
    add_sample(g, x, y, now_ms);
    emit(g, GESTURE_PRESS, x, y, now_ms);
}

void gesture_move(gesture *g, int64_t pointer, float x, float y, uint32_t now_ms)
{
    assert(g);
    if (g->state == ST_IDLE || pointer != g->pointer)
        return;
    g->last_ms = now_ms;
    add_sample(g, x, y, now_ms);
    track(g, x, y, now_ms);
}

void gesture_up(gesture *g, int64_t pointer, float x, float y, uint32_t now_ms)
{
    assert(g);
    if (g->state == ST_IDLE || pointer != g->pointer)
        return;
    add_sample(g, x, y, now_ms);
    /* The release position counts as a last move: a quick flick may report
     * its only motion here. */
    track(g, x, y, now_ms);
    switch (g->state) {
    case ST_PENDING:
        emit(g, GESTURE_TAP, g->down_x, g->down_y, now_ms);
        break;
    case ST_MOVED:
        try_lock_axis(g, x, y, now_ms, true);
        end_drag(g, x, y, now_ms, false);
        break;
    case ST_DRAGGING:
        end_drag(g, x, y, now_ms, false);
        break;
    default: /* ST_HELD: the long press was the whole gesture */
        break;
    }
    reset_pointer(g);
}

void gesture_cancel(gesture *g, uint32_t now_ms)
{
    assert(g);
    switch (g->state) {
    case ST_PENDING:
        emit(g, GESTURE_PRESS_CANCEL, g->last_x, g->last_y, now_ms);
        break;
    case ST_DRAGGING:
        end_drag(g, g->last_x, g->last_y, now_ms, true);
        break;
    default: /* nothing visible is in progress */
        break;
    }
    reset_pointer(g);
}

void gesture_tick(gesture *g, uint32_t now_ms)
{
    assert(g);
    check_long_press(g, now_ms);
    if (g->state != ST_IDLE && still_for(g, now_ms, GESTURE_LOST_MS))
        gesture_cancel(g, now_ms);
}

deadline gesture_next_deadline(const gesture *g)
{
    assert(g);
    if (g->state == ST_IDLE)
        return deadline_none();
    /* Times wrap like the clock does; the long press comes first if due. */
    if (g->state == ST_PENDING && g->cfg.long_press_ms > 0)
        return deadline_at(g->down_ms + g->cfg.long_press_ms);
    return deadline_at(g->last_ms + GESTURE_LOST_MS);
}

bool gesture_is_active(const gesture *g)
{
    assert(g);
    return g->state != ST_IDLE;
}

bool gesture_poll(gesture *g, gesture_event *out)
{
    assert(g && out);
    if (g->queue_count == 0)
        return false;
    *out = g->queue[g->queue_head];
    g->queue_head = (g->queue_head + 1) % GESTURE_QUEUE_CAP;
    g->queue_count--;
    return true;
}

const char *gesture_kind_name(gesture_kind kind)
{
    static const char *const names[] = {
        [GESTURE_NONE] = "none",
        [GESTURE_PRESS] = "press",
        [GESTURE_PRESS_CANCEL] = "press-cancel",
        [GESTURE_TAP] = "tap",
        [GESTURE_LONG_PRESS] = "long-press",
        [GESTURE_DRAG_START] = "drag-start",
        [GESTURE_DRAG] = "drag",
        [GESTURE_DRAG_END] = "drag-end",
        [GESTURE_SWIPE_LEFT] = "swipe-left",
        [GESTURE_SWIPE_RIGHT] = "swipe-right",
    };
    if ((unsigned)kind >= sizeof names / sizeof names[0])
        return "?";
    return names[kind];
}
