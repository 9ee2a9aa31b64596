/* ui_private — struct ui, for the ui core (ui.c, ui_router.c, ui_input.c,
 * ui_session.c, ui_speech.c, ui_speechmode.c, ui_bar.c, ui_operator.c, ui_observe.c) only. Views and widgets see the
 * ui through ui_view.h (and operator screens ui_operator.h), never these
 * fields. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "gesture.h"
#include "render.h"
#include "route.h"
#include "store.h"
#include "targets.h"
#include "theme.h"
#include "ui.h"
#include "ui_observe.h"
#include "ui_operator.h"
#include "ui_session.h"
#include "ui_speechmode.h"
#include "ui_view.h"

/* What the voice is reading, as the ui last saw it (ui_speech.c). */
typedef struct {
    bool on;                   /* an utterance of ours is heard */
    uint32_t id;               /* the tag the screen gave it */
    size_t start, len;         /* the sentence heard, in its text */
} ui_heard;

struct ui {
    ui_config cfg;
    store *st;                 /* NULL: out of service */
    char reason[256];          /* why there is no content */
    render *r;
    theme th;
    int screen_w, screen_h;    /* the whole screen */
    int w, h;                  /* the ui's area, where views lay out (ui_reach.h) */
    int top;                   /* its top edge on the screen: half way down in reach mode */
    int strip_h;               /* the reach strip under it on tall screens, or 0 */
    struct {
        bool on;               /* a finger went down on the upper part in reach mode */
        int64_t id;
    } reach_touch;
    ui_session session;        /* what the idle reset forgets */

    route cur;                 /* the route shown */
    route_history hist;
    const view_ops *view;      /* NULL only while content is swapped */
    void *state;               /* the view's, from its enter */

    gesture g;
    uint32_t now;
    uint32_t last_input;
    bool dirty;
    bool attract;              /* home is cycling featured cards */
    bool animating;            /* the view asked for frames at the last tick */

    targets targets;           /* of the last frame */
    int cut_texts;             /* texts the last frame cut with "…" (ui_text_was_cut) */
    char first_cut[96];        /* the first of them */
    int shortened;             /* previews the last frame cut with "…" (ui_preview_was_cut) */
    int unnoted_cuts;          /* "…" drawn by the last ui_check_layout's frame past those noted */
    bool pressing;             /* press feedback is shown */
    ui_target pressed;         /* the target under the finger */

    char toast[160];           /* a short message at the bottom, or "" */
    char notice[UI_NOTICE_MAX]; /* the editor's panel of messages, or "" */
    ui_notice_kind notice_kind;
    uint32_t toast_until;
    ui_stats stats;
    bool lang_sheet;           /* the language sheet under the bar's language button is open */
    SDL_Rect lang_button;      /* where that button was drawn last */

    ui_host host;              /* all NULL: no host */
    ui_voice voice;            /* all NULL: no read-aloud */
    ui_heard heard;
    ui_speechmode sm;          /* speech mode's focus and gestures (on: session.speech_mode) */
    ui_observe observe;        /* the usage events' observer and what it was told */
    /* The hidden gesture: one finger held still in the top-left corner. */
    struct {
        bool armed;            /* a finger went down there and has stayed */
        int64_t id;
        float x, y;            /* where it went down */
        uint32_t since;
    } corner;
    int64_t down_ids[UI_MAX_POINTERS]; /* pointers now down */
    int n_down;
    /* PIN lock-out, in memory only: a restart clears it (and costs the
     * guesser a minute of boot each time). */
    int pin_failures;          /* wrong PINs in a row */
    bool pin_locked;
    uint32_t pin_locked_until;
};

/* The density the theme works with: the configured one, or the one the
 * theme assumes (a 7" panel's, scaled). */
float ui_effective_dpi(const ui *u);

/* Computes the theme for the screen size and text step again. */
void ui_retheme(ui *u);

/* Text size, language or screen size changed: theme, view, redraw. */
void ui_relayout(ui *u);
