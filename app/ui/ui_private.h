/* ui_private — what the ui core and its views share. Not for other modules.
 *
 * The ui is immediate-mode for input targets: every draw rebuilds the list
 * of tappable rectangles, so what a finger hits is always what was drawn.
 * Views (home, list, reader, deck, search, out-of-service) are small class
 * tables (view_ops) with their own state, created on enter and freed on leave. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "content.h"
#include "gesture.h"
#include "i18n.h"
#include "render.h"
#include "route.h"
#include "scroller.h"
#include "store.h"
#include "theme.h"
#include "ui.h"

#define UI_SEARCH_MAX 128
/* Fingers tracked at once (touch test, hidden gesture); more are ignored. */
#define UI_MAX_POINTERS 10

#include "targets.h"
#include "ui_session.h"
#include "ui_widgets.h"

/* What the top bar shows above a view. */
typedef enum {
    UI_BAR_CITIZEN = 0, /* Home, Back, title, search, language, text size */
    UI_BAR_OPERATOR,    /* title, language, and the view's Close/Cancel */
    UI_BAR_NONE,        /* full screen (touch test, test pattern) */
} ui_bar;

/* The keys of a plugged-in keyboard a view may want (view_ops.key). */
typedef enum { UI_KEY_BACKSPACE, UI_KEY_RETURN } ui_edit_key;

/* Pointer phases for view_ops.pointer. */
typedef enum { UI_POINTER_DOWN, UI_POINTER_MOVE, UI_POINTER_UP } ui_pointer_phase;

typedef struct view_ops view_ops;

struct ui {
    ui_config cfg;
    store *st;                 /* NULL: out of service */
    char reason[256];          /* why there is no content */
    render *r;
    theme th;
    int w, h;
    ui_session session;        /* what the idle reset forgets */

    route cur;
    route_history hist;
    const view_ops *view;
    void *state;               /* the view's, from its enter */

    gesture g;
    uint32_t now;
    uint32_t last_input;
    bool dirty;
    bool attract;              /* home is cycling featured cards */
    bool animating;            /* the view asked for frames at the last tick */

    targets targets;           /* of the last frame */
    bool pressing;             /* press feedback is shown */
    ui_target pressed;         /* the target under the finger */

    char toast[160];           /* a short message at the bottom, or "" */
    uint32_t toast_until;
    ui_stats stats;

    ui_host host;              /* all NULL: no host */
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

/* A view: one kind of screen, as a class table. enter builds the view's
 * state for a route and leave frees it; every other hook gets that state
 * back. Only enter and draw are required, and a view without state leaves
 * enter out (its hooks get NULL). */
struct view_ops {
    const char *name;
    ui_bar bar;                /* which top bar it shows */
    /* Builds the state for route r, which it may complete (search: the
     * query it opens on). NULL with err when r names nothing (or memory ran
     * out); enter then frees what it built, and the screen stays as it was. */
    void *(*enter)(ui *u, route *r, char *err, size_t errcap);
    /* Frees the state (NULL-safe). */
    void (*leave)(ui *u, void *state);
    /* Draws the area below the top bar and registers its targets. */
    void (*draw)(ui *u, void *state, SDL_Rect area);
    /* Title shown in the top bar (may be ""). */
    const char *(*title)(ui *u, void *state);
    /* A tap on one of the view's targets (links the ui follows itself). */
    void (*tap)(ui *u, void *state, target_id id);
    /* Gestures other than taps on targets (drags, swipes). */
    void (*gesture)(ui *u, void *state, const gesture_event *e);
    /* Every raw pointer event, all fingers, before gestures (touch test). */
    void (*pointer)(ui *u, void *state, ui_pointer_phase phase, int64_t id, float x, float y);
    /* Backspace or Return on a plugged-in keyboard. */
    void (*key)(ui *u, void *state, ui_edit_key key);
    /* Text typed on a plugged-in keyboard: valid UTF-8, no control characters. */
    void (*text)(ui *u, void *state, const char *utf8);
    /* For scripts: where to tap to type ch on the view's on-screen keyboard
     * (see ui_keyboard_locate). */
    int (*locate)(ui *u, void *state, const char *ch, float *x, float *y, bool *done);
    /* Animations: advance to now; true while more frames are needed. */
    bool (*tick)(ui *u, void *state, uint32_t now);
    /* A time the view must be woken at without input (attract cycling). */
    deadline (*deadline)(const ui *u, const void *state);
    /* Text size, language or screen size changed: lay out again. */
    void (*relayout)(ui *u, void *state);
    /* Scroll offset to remember in history (0 when not scrolling), and
     * going back to it. */
    int (*scroll)(ui *u, void *state);
    void (*restore_scroll)(ui *u, void *state, int offset);
    /* Draws into the citizen bar's middle instead of the title (the search
     * field; the bar then has no search button). */
    void (*bar_center)(ui *u, void *state, SDL_Rect rect);
    /* Operator bar: the label of its Close button, and what a tap on it does. */
    const char *(*close_label)(ui *u, void *state);
    void (*close)(ui *u, void *state);
};

extern const view_ops view_home;
extern const view_ops view_list;
extern const view_ops view_reader;
extern const view_ops view_deck;
extern const view_ops view_search;
extern const view_ops view_oos;
extern const view_ops view_pin;
extern const view_ops view_admin;
extern const view_ops view_touch;
extern const view_ops view_pattern;

/* For enter hooks: a zeroed state of size bytes, or NULL with "out of
 * memory" in err. */
void *ui_state_new(size_t size, char *err, size_t errcap);

/* A leave hook for a state that is one block from ui_state_new. */
void ui_state_free(ui *u, void *state);

/* Goes to an operator screen from the keypad or the operator screen itself
 * (ui_go refuses them: no content link may lead there). push: remember the
 * current screen for Back. */
void ui_go_operator(ui *u, route_kind kind, bool push);

/* Leaves for the previous screen (Back). */
void ui_back(ui *u);

/* Leaves for home, forgetting the history. */
void ui_home(ui *u);

/* The PIN lock-out: true while locked, with the time left. Clears itself
 * (and the count of wrong PINs) when the time is up. */
bool ui_pin_locked(ui *u, uint32_t *left_ms);

/* The same, reading only: true while locked, with the time left. */
bool ui_pin_lock_left(const ui *u, uint32_t *left_ms);

/* Counts a wrong PIN (locks after UI_PIN_MAX_FAILURES) or a right one. */
void ui_pin_result(ui *u, bool right);

/* Checks a PIN against the configured hash (ui_config.pin_check or libsodium). */
bool ui_pin_matches(ui *u, const char *pin);

/* Fills st with "unknown", the ui's own facts, then asks the host. */
void ui_admin_status_get(ui *u, ui_admin_status *st);

/* Human-readable values for the operator screen, in the UI language. */
void ui_format_duration(const ui *u, int64_t seconds, char *out, size_t cap); /* "3 d 4 h", "5 h 12 min", "7 min" */
void ui_format_bytes(const ui *u, int64_t bytes, char *out, size_t cap);      /* "1.2 GB", "37 MB", "512 KB" */
/* t: Unix seconds (0: never, < 0: unknown); now: the host's clock (<= 0:
 * no relative part); upcoming: a time to come ("due now" rather than "just
 * now" within the minute). "2026-11-28 14:03 (in 5 h 12 min)", local time. */
void ui_format_time(const ui *u, int64_t t, int64_t now, bool upcoming, char *out, size_t cap);

/* Registers a tappable rectangle of the frame being drawn; ref: the route
 * of a TARGET_LINK, else a name for scripts ("@pin-1") or NULL. */
ui_target *ui_add_target(ui *u, SDL_Rect rect, target_id id, const char *ref);

/* True when the pressed target (press feedback) is this one. */
bool ui_is_pressed(const ui *u, SDL_Rect rect, target_id id);

/* Targets registered so far in this frame: a mark for the two below. */
int ui_target_count(const ui *u);

/* Cuts the targets registered since mark to a scrolling band. */
void ui_targets_clip(ui *u, int mark, SDL_Rect band);

/* Forgets the targets registered since mark (a dialog covers them). */
void ui_targets_drop(ui *u, int mark);

/* Marks the screen for redraw. */
void ui_invalidate(ui *u);

/* A UI string in the current language. */
const char *ui_str(const ui *u, i18n_id id);

/* Shows a short message at the bottom of the screen for a few seconds. */
void ui_toast(ui *u, const char *msg);

/* Navigates from a view (e.g. a link); on failure logs why and tells the
 * citizen the link is not available, staying where they are. */
void ui_go(ui *u, const char *route_str);

/* What the citizen last typed into search (search opens on it again until
 * the idle reset), and remembering it. */
const char *ui_remembered_query(const ui *u);
void ui_remember_query(ui *u, const char *query);

/* The i18n language for a code ("kk"); kk when unknown. */
i18n_lang ui_lang_of(const char *code);

/* The route a content link (content_link) leads to; false for external or
 * invalid links, which the kiosk does not follow. self is the item the link
 * is in. */
bool ui_link_route(const content_link *link, const char *self, char *out, size_t cap);

/* ---- inside the ui core (not for views) ---------------------------------- */

/* The density the theme works with: the configured one, or the one the
 * theme assumes (a 7" panel's, scaled). */
float ui_effective_dpi(const ui *u);

/* Computes the theme for the screen size and text step again. */
void ui_retheme(ui *u);

/* Text size, language or screen size changed: theme, view, redraw. */
void ui_relayout(ui *u);

/* The language code the ui speaks for lang ("kk" when it speaks no such). */
const char *ui_lang_known(const char *lang);

/* The language the language button changes to from lang. */
const char *ui_lang_next(const char *lang);

/* The i-th language of the language choice, or NULL. */
const char *ui_lang_at(int i);
