/* scroller — kinetic vertical scrolling: drag, fling, rubber band, spring-back
 * and eased jumps, as a pure function of time.
 *
 * The offset is how far the content is scrolled: 0 shows the top, max_offset
 * (content height minus viewport height, at least 0) shows the bottom. Drags
 * and velocities are given in *finger* terms exactly as gesture.h reports them
 * (dy > 0 = finger moved down = content moves down = offset decreases), so a
 * caller passes gesture events through unchanged.
 *
 * Every motion is a closed-form curve of the time since it started, not an
 * integration over frames, so the path is the same at 30, 60 or 120 frames per
 * second and a late frame simply lands further along it. While
 * scroller_is_animating() is true, call scroller_step() once per frame; when it
 * is false the scroller needs no frames at all.
 */
#ifndef INFOPOINT_SCROLLER_H
#define INFOPOINT_SCROLLER_H

#include <stdbool.h>
#include <stdint.h>

/* Fling friction time constant: velocity falls by e every this many seconds,
 * and a fling travels velocity x this in total. */
#define SCROLLER_FLING_TAU_S 0.40f
/* A fling stops once slower than this (px/s); the last creep is invisible. */
#define SCROLLER_STOP_VELOCITY 10.0f
/* Release velocities are clamped to this (px/s). */
#define SCROLLER_MAX_VELOCITY 12000.0f
/* Spring-back stiffness (critically damped, rad/s): about 0.6 s from a full pull. */
#define SCROLLER_SPRING_OMEGA 15.0f
/* Duration of scroller_scroll_to(..., true). */
#define SCROLLER_ANIM_MS 300u

/* One scroller per scrollable view. Fields are private: use the functions. */
typedef struct {
    float content_h;  /* height of everything that scrolls (px) */
    float viewport_h; /* height of the visible window (px) */
    float offset;     /* displayed offset; within [0, max] whenever at rest */
    int mode;         /* what moves it now (see scroller.c) */
    float raw;        /* while dragging: offset the finger asks for, before resistance */
    uint32_t t0;      /* when the current motion started (ms) */
    float x0, v0;     /* its start offset and velocity (px/s, offset units) */
    float target;     /* spring or eased jump: where it comes to rest */
    float t_end;      /* fling: seconds until it stops or hits an end (see hit) */
    bool hit;         /* fling: t_end is when it reaches an end, not when it stops */
    uint32_t last_ms; /* time of the last scroller_step() */
} scroller;

/* Set up a scroller at the top for the given content and viewport heights. */
void scroller_init(scroller *s, float content_h, float viewport_h);

/* New content or viewport height (text size change): clamps at once, stops motion. */
void scroller_set_size(scroller *s, float content_h, float viewport_h);

/* Largest rest offset: content height minus viewport height, or 0. */
float scroller_max_offset(const scroller *s);

/* Current offset to draw with (may be briefly outside [0, max] while stretched). */
float scroller_offset(const scroller *s);

/* A finger took hold: stop any motion and follow the finger from here. */
void scroller_drag_begin(scroller *s);

/* The finger moved by dy px (down positive); resists beyond the ends. */
void scroller_drag(scroller *s, float finger_dy);

/* The finger lifted with this velocity (px/s, down positive): fling or spring back. */
void scroller_release(scroller *s, float finger_vy, uint32_t now_ms);

/* Advance motion to now_ms; true if the offset changed (redraw). */
bool scroller_step(scroller *s, uint32_t now_ms);

/* True while a fling, spring-back or eased jump is running (keep stepping). */
bool scroller_is_animating(const scroller *s);

/* Stop a fling or jump where it is (a tap on moving content); true if it was moving. */
bool scroller_stop(scroller *s);

/* Go to an offset (clamped), eased over SCROLLER_ANIM_MS when animated. */
void scroller_scroll_to(scroller *s, float offset, bool animated, uint32_t now_ms);

#endif
