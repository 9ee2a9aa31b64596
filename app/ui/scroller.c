/* scroller — see scroller.h. All motion is closed-form in the time since the
 * motion began:
 *
 *   fling   x(t) = x0 + v0*tau*(1 - e^(-t/tau))      exponential friction
 *   spring  x(t) = target + (A + B*t)*e^(-w*t)       critically damped,
 *           A = x0 - target, B = v0 + w*A            so it never wobbles
 *   jump    x(t) = x0 + (target - x0)*ease(t/300 ms)
 *
 * and even the hand-over is solved exactly (the instant a fling reaches an end
 * and becomes a spring), so a trajectory does not depend on when frames happen
 * to be drawn.
 */
#include "scroller.h"

#include <assert.h>
#include <math.h>

enum {
    M_IDLE = 0, /* at rest within [0, max] */
    M_DRAG,     /* following a finger */
    M_FLING,    /* coasting with friction */
    M_SPRING,   /* returning to an end after an overscroll */
    M_ANIM,     /* eased jump to a target */
};

/* Rubber band: displayed overscroll = d*(1 - 1/(c*x/d + 1)) for a finger
 * overscroll x and viewport height d, the curve iOS made familiar: nearly 1:1
 * at first, never more than d however far the finger goes. */
#define BAND_C 0.55f
/* A fling that reaches an end overshoots by at most this share of the
 * viewport: the bounce shows "this is the end" without throwing the page. */
#define EDGE_OVERSHOOT 0.08f
/* A spring this close to rest (px, px/s) snaps the last fraction of a pixel. */
#define SETTLE_PX 0.5f
#define SETTLE_V 20.0f
/* No spring lasts longer than this, whatever its inputs (bounded time). */
#define SPRING_MAX_S 3.0f
#define EULER_E 2.7182818f

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static float band_d(const scroller *s)
{
    return s->viewport_h > 1.0f ? s->viewport_h : 1.0f;
}

/* Finger overscroll -> displayed overscroll (both >= 0). */
static float band(const scroller *s, float x)
{
    float d = band_d(s);
    return d * (1.0f - 1.0f / (BAND_C * x / d + 1.0f));
}

/* Inverse of band(), to take hold of content that is already stretched. */
static float unband(const scroller *s, float y)
{
    float d = band_d(s);
    y = clampf(y, 0.0f, 0.99f * d);
    return d / BAND_C * y / (d - y);
}

static float banded_offset(const scroller *s, float raw)
{
    float max = scroller_max_offset(s);
    if (raw < 0.0f)
        return -band(s, -raw);
    if (raw > max)
        return max + band(s, raw - max);
    return raw;
}

static float seconds_since(uint32_t now_ms, uint32_t t0)
{
    int32_t ms = (int32_t)(now_ms - t0); /* wrap-safe, see gesture.c */
    return ms > 0 ? (float)ms / 1000.0f : 0.0f;
}

static uint32_t after(uint32_t t0, float seconds)
{
    return t0 + (uint32_t)lroundf(seconds * 1000.0f);
}

static void rest_at(scroller *s, float offset)
{
    s->offset = clampf(offset, 0.0f, scroller_max_offset(s));
    s->mode = M_IDLE;
    s->v0 = 0.0f;
}

static void start_spring(scroller *s, float x0, float v0, uint32_t t0, float target)
{
    float a = x0 - target;
    float out = a < 0.0f ? -1.0f : a > 0.0f ? 1.0f : (v0 < 0.0f ? -1.0f : 1.0f);
    if (v0 * out > 0.0f) {
        /* Moving further out: cap the speed so the excursion, which for a
         * critically damped spring peaks at v0/(w*e), stays small. */
        float vmax = SCROLLER_SPRING_OMEGA * EULER_E * EDGE_OVERSHOOT * band_d(s);
        v0 = clampf(v0, -vmax, vmax);
    }
    s->mode = M_SPRING;
    s->x0 = x0;
    s->v0 = v0;
    s->t0 = t0;
    s->target = target;
    s->offset = x0;
}

static void start_fling(scroller *s, float x0, float v0, uint32_t t0)
{
    const float tau = SCROLLER_FLING_TAU_S;
    float max = scroller_max_offset(s);
    float speed = fabsf(v0);
    if (x0 < 0.0f || x0 > max) {
        /* Stretched past an end. Thrown back toward the content hard enough
         * to get there, it coasts in as an ordinary fling (the reader flicked
         * the page, not the band); otherwise the band pulls it back. */
        float edge = clampf(x0, 0.0f, max);
        if (v0 * (edge - x0) <= 0.0f || (speed - SCROLLER_STOP_VELOCITY) * tau <= fabsf(edge - x0)) {
            start_spring(s, x0, v0, t0, edge);
            return;
        }
    } else if (speed <= SCROLLER_STOP_VELOCITY) {
        rest_at(s, x0);
        return;
    }
    float gap = (v0 > 0.0f ? max : 0.0f) - x0; /* to the end it heads for */
    s->mode = M_FLING;
    s->x0 = x0;
    s->v0 = v0;
    s->t0 = t0;
    s->offset = x0;
    /* Total travel until the stop speed is (speed - stop)*tau. */
    s->hit = (speed - SCROLLER_STOP_VELOCITY) * tau > fabsf(gap);
    if (s->hit)
        s->t_end = -tau * logf(1.0f - gap / (v0 * tau));
    else
        s->t_end = tau * logf(speed / SCROLLER_STOP_VELOCITY);
}

static float fling_at(const scroller *s, float t)
{
    return s->x0 + s->v0 * SCROLLER_FLING_TAU_S * (1.0f - expf(-t / SCROLLER_FLING_TAU_S));
}

static void spring_at(const scroller *s, float t, float *x, float *v)
{
    const float w = SCROLLER_SPRING_OMEGA;
    float a = s->x0 - s->target, b = s->v0 + w * a, e = expf(-w * t);
    *x = s->target + (a + b * t) * e;
    *v = (b - w * (a + b * t)) * e;
}

/* Move along the current motion; true if it handed over to another motion
 * that must be evaluated at the same instant. */
static bool advance(scroller *s, uint32_t now_ms)
{
    float t = seconds_since(now_ms, s->t0);
    switch (s->mode) {
    case M_FLING:
        if (t < s->t_end) {
            s->offset = fling_at(s, t);
            return false;
        }
        if (!s->hit) {
            rest_at(s, fling_at(s, s->t_end));
            return false;
        }
        {
            float end = s->v0 > 0.0f ? scroller_max_offset(s) : 0.0f;
            float v = s->v0 * expf(-s->t_end / SCROLLER_FLING_TAU_S);
            start_spring(s, end, v, after(s->t0, s->t_end), end);
        }
        return true;
    case M_SPRING: {
        float x, v;
        spring_at(s, t, &x, &v);
        if ((fabsf(x - s->target) < SETTLE_PX && fabsf(v) < SETTLE_V) || t >= SPRING_MAX_S)
            rest_at(s, s->target);
        else
            s->offset = x;
        return false;
    }
    case M_ANIM: {
        float u = t * 1000.0f / (float)SCROLLER_ANIM_MS;
        if (u >= 1.0f) {
            rest_at(s, s->target);
        } else {
            float k = 1.0f - u;
            s->offset = s->x0 + (s->target - s->x0) * (1.0f - k * k * k); /* ease-out cubic */
        }
        return false;
    }
    default:
        return false;
    }
}

void scroller_init(scroller *s, float content_h, float viewport_h)
{
    assert(s);
    *s = (scroller){.mode = M_IDLE};
    scroller_set_size(s, content_h, viewport_h);
}

void scroller_set_size(scroller *s, float content_h, float viewport_h)
{
    assert(s && isfinite(content_h) && isfinite(viewport_h));
    s->content_h = content_h > 0.0f ? content_h : 0.0f;
    s->viewport_h = viewport_h > 0.0f ? viewport_h : 0.0f;
    if (s->mode == M_DRAG) {
        s->offset = banded_offset(s, s->raw);
        return;
    }
    /* A running motion was planned for the old size; the reader's place is
     * re-anchored by the caller anyway, so stopping is the honest choice. */
    rest_at(s, s->offset);
}

float scroller_max_offset(const scroller *s)
{
    assert(s);
    float max = s->content_h - s->viewport_h;
    return max > 0.0f ? max : 0.0f;
}

float scroller_offset(const scroller *s)
{
    assert(s);
    return s->offset;
}

void scroller_drag_begin(scroller *s)
{
    assert(s);
    if (s->mode == M_DRAG)
        return;
    /* Take hold where the content is drawn now, stretched or not, so it does
     * not jump under the finger. */
    float max = scroller_max_offset(s);
    if (s->offset < 0.0f)
        s->raw = -unband(s, -s->offset);
    else if (s->offset > max)
        s->raw = max + unband(s, s->offset - max);
    else
        s->raw = s->offset;
    s->mode = M_DRAG;
    s->v0 = 0.0f;
}

void scroller_drag(scroller *s, float finger_dy)
{
    assert(s && isfinite(finger_dy));
    if (s->mode != M_DRAG)
        scroller_drag_begin(s);
    s->raw -= finger_dy;
    s->offset = banded_offset(s, s->raw);
}

void scroller_release(scroller *s, float finger_vy, uint32_t now_ms)
{
    assert(s && isfinite(finger_vy));
    float v = clampf(-finger_vy, -SCROLLER_MAX_VELOCITY, SCROLLER_MAX_VELOCITY);
    s->last_ms = now_ms;
    start_fling(s, s->offset, v, now_ms);
}

bool scroller_step(scroller *s, uint32_t now_ms)
{
    assert(s);
    float before = s->offset;
    s->last_ms = now_ms;
    /* Each hand-over is to a motion that starts no later than now; a few
     * suffice (fling -> spring -> fling -> spring is the longest chain). */
    for (int i = 0; i < 8 && advance(s, now_ms); i++)
        ;
    return s->offset != before;
}

bool scroller_is_animating(const scroller *s)
{
    assert(s);
    return s->mode == M_FLING || s->mode == M_SPRING || s->mode == M_ANIM;
}

bool scroller_stop(scroller *s)
{
    assert(s);
    if (!scroller_is_animating(s))
        return false;
    float max = scroller_max_offset(s);
    if (s->offset < 0.0f || s->offset > max)
        start_spring(s, s->offset, 0.0f, s->last_ms, clampf(s->offset, 0.0f, max));
    else
        rest_at(s, s->offset);
    return true;
}

void scroller_scroll_to(scroller *s, float offset, bool animated, uint32_t now_ms)
{
    assert(s && isfinite(offset));
    float target = clampf(offset, 0.0f, scroller_max_offset(s));
    s->last_ms = now_ms;
    if (!animated || fabsf(target - s->offset) < SETTLE_PX) {
        rest_at(s, target);
        return;
    }
    s->mode = M_ANIM;
    s->x0 = s->offset;
    s->target = target;
    s->t0 = now_ms;
}
