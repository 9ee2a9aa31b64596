/* gesture — turns raw pointer events (touch or mouse) into taps, long presses,
 * drags and swipes.
 *
 * Pure logic: no SDL, no clock, no heap. The caller feeds pointer events with
 * their timestamps, calls gesture_tick() when gesture_next_deadline() says so,
 * and drains recognised gestures with gesture_poll().
 *
 * Sequences a caller sees for one pointer, down to up:
 *   tap:          PRESS, TAP
 *   long press:   PRESS, LONG_PRESS                (nothing at release)
 *   drag/scroll:  PRESS, PRESS_CANCEL, DRAG_START, DRAG*, DRAG_END
 *   swipe:        ... DRAG_END, SWIPE_LEFT or SWIPE_RIGHT
 *   cancelled:    PRESS, PRESS_CANCEL   or   ... DRAG_END with zero velocity
 * A drag never ends in a TAP, so releasing a scroll never "clicks" a link.
 *
 * Releases get lost (a compositor cancels a touch, a panel is unplugged, a
 * window loses focus mid-press), and a pointer that stays "down" must not
 * hold the screen for good: a still pointer gives way to a new one after
 * GESTURE_HANDOVER_MS and is cancelled by gesture_tick after GESTURE_LOST_MS.
 *
 * Times are uint32 milliseconds (SDL_GetTicks style) and are compared by signed
 * difference, so the ~49.7-day wrap-around of a kiosk that runs for months is
 * harmless. Coordinates are pixels; convert SDL's normalised touch coordinates
 * before feeding them, and drop SDL's mouse events synthesised from touches
 * (which == SDL_TOUCH_MOUSEID) or the same finger would be seen twice.
 */
#ifndef INFOPOINT_GESTURE_H
#define INFOPOINT_GESTURE_H

#include "deadline.h"

#include <stdbool.h>
#include <stdint.h>

/* Queued events not yet polled; consecutive DRAGs are merged, so this only
 * overflows if the caller stops polling altogether (oldest are dropped). */
#define GESTURE_QUEUE_CAP 16
/* Recent pointer samples kept for the release velocity (a ring). At 240 Hz
 * this still covers the velocity window below. */
#define GESTURE_SAMPLES 32
/* Samples older than this (before release) do not count toward velocity:
 * long enough to average jittery touch panels, short enough to see a stop. */
#define GESTURE_VELOCITY_WINDOW_MS 100u
/* A tracked pointer that has neither moved nor risen for this long gives way
 * to a new pointer coming down, instead of the new one being ignored as a
 * second finger: a resting palm or a lost release must not leave the next
 * person's taps unanswered. A real second finger of a pinch comes while the
 * first is still moving. */
#define GESTURE_HANDOVER_MS 1000u
/* A tracked pointer still for this long is taken as lost and cancelled at
 * the next tick, so the kiosk's idle reset and sleep are not held up by a
 * finger that is no longer there (found by the soak run, tests/tools/monkey.c). */
#define GESTURE_LOST_MS 30000u

/* What was recognised. */
typedef enum {
    GESTURE_NONE = 0,
    GESTURE_PRESS,        /* pointer went down: start press feedback */
    GESTURE_PRESS_CANCEL, /* moved beyond slop or cancelled: end feedback, no TAP follows */
    GESTURE_TAP,          /* released within slop before the long-press time */
    GESTURE_LONG_PRESS,   /* held still for the long-press time: ends feedback; release is silent */
    GESTURE_DRAG_START,   /* drag began; dx/dy = movement since the pointer went down */
    GESTURE_DRAG,         /* dx/dy = movement since the previous DRAG_START/DRAG */
    GESTURE_DRAG_END,     /* released; vx/vy = release velocity (0 if below fling minimum) */
    GESTURE_SWIPE_LEFT,   /* after DRAG_END: fast horizontal drag toward the left */
    GESTURE_SWIPE_RIGHT,  /* after DRAG_END: fast horizontal drag toward the right */
} gesture_kind;

/* Dominant direction of a drag, fixed at DRAG_START and kept until release. */
typedef enum {
    GESTURE_AXIS_NONE = 0, /* not a drag */
    GESTURE_AXIS_X,        /* horizontal: a swipe candidate */
    GESTURE_AXIS_Y,        /* vertical: a scroll */
} gesture_axis;

/* One recognised gesture. */
typedef struct {
    gesture_kind kind;
    uint32_t time_ms;  /* time of the input that produced it */
    float x, y;        /* pointer position (px) at that time */
    float dx, dy;      /* DRAG_START/DRAG: movement (px), see gesture_kind */
    float vx, vy;      /* DRAG_END/SWIPE_*: release velocity (px/s) */
    gesture_axis axis; /* DRAG_START/DRAG/DRAG_END/SWIPE_*: locked axis */
} gesture_event;

/* Thresholds. Derive the pixel values from the screen's DPI (see
 * gesture_config_for_dpi) so a gesture means the same on every screen. */
typedef struct {
    float tap_slop_px;             /* movement tolerated in a tap (~2.5 mm) */
    uint32_t long_press_ms;        /* hold time for LONG_PRESS; 0 disables it */
    float swipe_min_distance_px;   /* horizontal travel needed for a swipe */
    float swipe_min_velocity_px_s; /* horizontal release speed needed for a swipe */
    float fling_min_velocity_px_s; /* slower releases report zero velocity */
    float max_velocity_px_s;       /* release velocity is clamped to this */
} gesture_config;

/* One recogniser (one per screen is enough). Fields are private: use the
 * functions below. The struct is public only so it needs no heap. */
typedef struct {
    gesture_config cfg;
    int state;            /* internal state machine (see gesture.c) */
    int64_t pointer;      /* id of the pointer being tracked */
    uint32_t down_ms;     /* when it went down */
    uint32_t last_ms;     /* its last down or move (for GESTURE_HANDOVER_MS, GESTURE_LOST_MS) */
    float down_x, down_y; /* where it went down */
    float last_x, last_y; /* position last reported in a DRAG (or down) */
    gesture_axis axis;    /* locked axis while dragging */
    struct {
        uint32_t t;
        float x, y;
    } samples[GESTURE_SAMPLES];
    unsigned sample_head;  /* index of the next sample to write */
    unsigned sample_count; /* valid samples, at most GESTURE_SAMPLES */
    gesture_event queue[GESTURE_QUEUE_CAP];
    unsigned queue_head;   /* index of the oldest queued event */
    unsigned queue_count;  /* queued events */
    unsigned dropped;      /* events lost to a full queue (diagnostics) */
} gesture;

/* Sensible thresholds for a screen of the given density (dots per inch). */
gesture_config gesture_config_for_dpi(float dpi);

/* Reset the recogniser with these thresholds (copied). */
void gesture_init(gesture *g, const gesture_config *cfg);

/* Feed a pointer going down; a second pointer while one is down is ignored,
 * unless the first has been still for GESTURE_HANDOVER_MS: then the first is
 * cancelled and the new one tracked. */
void gesture_down(gesture *g, int64_t pointer, float x, float y, uint32_t now_ms);

/* Feed pointer motion; motion of untracked pointers is ignored. */
void gesture_move(gesture *g, int64_t pointer, float x, float y, uint32_t now_ms);

/* Feed a pointer going up; releases of untracked pointers are ignored. */
void gesture_up(gesture *g, int64_t pointer, float x, float y, uint32_t now_ms);

/* Abandon the current gesture (focus lost, screen reset): ends feedback or drag. */
void gesture_cancel(gesture *g, uint32_t now_ms);

/* Let time pass without input: fires LONG_PRESS when its deadline is reached,
 * and cancels a pointer that has been still for GESTURE_LOST_MS. */
void gesture_tick(gesture *g, uint32_t now_ms);

/* True and *deadline_ms set if gesture_tick() must be called at that time. */
deadline gesture_next_deadline(const gesture *g);

/* True while a pointer is down and tracked. */
bool gesture_is_active(const gesture *g);

/* Pop the oldest recognised gesture into *out; false if none is queued. */
bool gesture_poll(gesture *g, gesture_event *out);

/* Readable name of a gesture kind (logs, tests, scripts). */
const char *gesture_kind_name(gesture_kind kind);

#endif
