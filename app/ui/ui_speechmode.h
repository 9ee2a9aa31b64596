/* ui_speechmode — speech mode, for people who cannot see the screen, as
 * the phones' screen readers do it: a touch (or a finger moved over the
 * screen) says what is under the finger and focuses it; a double tap
 * anywhere does what a tap on the focused target would; a swipe right or
 * left moves the focus to the next or previous target in reading order
 * (top to bottom, left to right) and says it; two fingers dragged scroll
 * the page; no single tap activates anything. What is said is each target's label (targets.h).
 *
 * It starts when an audio output is plugged in (the kiosk calls
 * ui_speech_mode_start) or when two fingers are held still on the screen
 * for UI_SPEECH_HOLD_MS; it says that it is on, the screen, and how to use
 * it. It ends when the output is unplugged or at the idle reset (whose
 * time it multiplies by ui_config.speech_idle_factor). The flag lives in
 * the session, so the idle reset forgets it; the focus and the taps
 * waiting for a second one live here. Inside app/ui only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "deadline.h"
#include "gesture.h"
#include "targets.h"
#include "ui.h"
#include "ui_view.h"

/* Two fingers held still this long start speech mode. */
#define UI_SPEECH_HOLD_MS 2000u
/* A second tap this soon after a tap makes a double tap; a lone tap is
 * said only after it (the phones' screen readers wait as long). */
#define UI_DOUBLE_TAP_MS 350u
/* The tag of speech mode's utterances (ui_speak). */
#define UI_SPEECHMODE_VOICE_ID 0x5350u

/* The focus and the gestures in flight (struct ui holds one). */
typedef struct {
    bool has_focus;
    ui_target focus;          /* the focused target as last drawn */
    ui_target before;         /* the focus when the finger went down: a swipe moves from it */
    bool had_focus_before;
    bool scrolling;           /* this drag has two fingers: it scrolls */
    bool tap_pending;         /* a tap waits to learn whether a second follows */
    bool second;              /* a finger went down while a tap waited */
    float tap_x, tap_y;
    uint32_t tap_at;
    /* Two fingers held still (either way of starting). */
    bool hold_armed;
    uint32_t hold_since;
    int64_t hold_id[2];
    float hold_x[2], hold_y[2];
} ui_speechmode;

/* Handles a gesture in speech mode (instead of the usual dispatch). */
void ui_speechmode_gesture(ui *u, const gesture_event *e);

/* Follows every raw pointer event for the two-finger hold; n_down: the
 * fingers down after this event. */
void ui_speechmode_pointer(ui *u, ui_pointer_phase phase, int64_t id, float x, float y, int n_down);

/* Lets time pass: the two-finger hold, a lone tap's wait. */
void ui_speechmode_tick(ui *u, uint32_t now);

/* When the hold or a waiting tap is due. */
deadline ui_speechmode_deadline(const ui *u, uint32_t now);

/* Another screen is shown: its name is said, the focus forgotten. */
void ui_speechmode_screen_changed(ui *u);

/* Draws the focus ring over the frame (after everything else). */
void ui_speechmode_draw(ui *u);

/* Forgets the focus and the gestures in flight (idle reset, leaving). */
void ui_speechmode_reset(ui *u);
