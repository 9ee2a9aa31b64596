/* ui_view — what a view (one kind of screen) sees of the ui, and what the
 * ui asks of a view.
 *
 * A view is a small class table (view_ops): enter builds its state for a
 * route, leave frees it, and every other hook gets that state back. Views
 * reach the ui only through the calls below and the widgets of
 * ui_widgets.h, never through struct ui: the screen, the theme, the
 * content, the current route, navigation and the frame's tap targets.
 *
 * The ui is immediate-mode for input: every frame rebuilds the list of tap
 * targets from what the view draws (targets.h), so what a finger hits is
 * always what is on screen. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content.h"
#include "deadline.h"
#include "gesture.h"
#include "i18n.h"
#include "render.h"
#include "route.h"
#include "scroller.h"
#include "store.h"
#include "targets.h"
#include "theme.h"
#include "ui.h"
#include "ui_plan.h"
#include "ui_widgets.h"

/* Bytes a search query may have (the on-screen keyboard's cap). */
#define UI_SEARCH_MAX ROUTE_QUERY_MAX
/* Fingers tracked at once (touch test, hidden gesture); more are ignored. */
#define UI_MAX_POINTERS 10

/* Which top bar a view shows. */
typedef enum {
    UI_BAR_CITIZEN = 0, /* Home, Back, title, search, language, text size */
    UI_BAR_OPERATOR,    /* title, language, and the view's Close/Cancel */
    UI_BAR_NONE,        /* full screen (touch test, test pattern) */
} ui_bar;

/* The keys of a plugged-in keyboard a view may want (view_ops.key). */
typedef enum { UI_KEY_BACKSPACE, UI_KEY_RETURN } ui_edit_key;

/* Pointer phases for view_ops.pointer. */
typedef enum { UI_POINTER_DOWN, UI_POINTER_MOVE, UI_POINTER_UP } ui_pointer_phase;

/* A view. Only draw is required. A view without state leaves enter out
 * (its hooks then get NULL); every other missing hook does nothing. */
typedef struct view_ops {
    const char *name;
    ui_bar bar; /* which top bar it shows */
    /* Builds the state for route r, which it may complete (search: the
     * query it opens on). NULL with err when r names nothing (or memory ran
     * out); enter then frees what it built, and the screen stays as it was. */
    void *(*enter)(ui *u, route *r, char *err, size_t errcap);
    /* Frees the state enter built (free, for one block). */
    void (*leave)(void *state);
    /* Draws the area below the top bar and registers its targets. */
    void (*draw)(ui *u, void *state, SDL_Rect area);
    /* Title shown in the top bar (may be ""). */
    const char *(*title)(ui *u, void *state);
    /* A tap on one of the view's targets (a TARGET_LINK the ui follows). */
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
     * (as ui_keyboard_locate says). */
    int (*locate)(ui *u, void *state, const char *ch, float *x, float *y, bool *done);
    /* Animations: advance to now; true while more frames are needed. */
    bool (*tick)(ui *u, void *state, uint32_t now);
    /* A time the view must be woken at without input (attract cycling). */
    deadline (*deadline)(const ui *u, const void *state);
    /* Text size, language or screen size changed: lay out again. */
    void (*relayout)(ui *u, void *state);
    /* The scroll offset to remember for Back (0 when not scrolling), and
     * going back to it. */
    int (*scroll)(ui *u, void *state);
    void (*restore_scroll)(ui *u, void *state, int offset);
    /* Draws into the citizen bar's middle instead of the title (the search
     * field); the bar then has no search button. */
    void (*bar_center)(ui *u, void *state, SDL_Rect rect);
    /* Operator bar: the label of its Close button, and what a tap on it does. */
    const char *(*close_label)(ui *u, void *state);
    void (*close)(ui *u, void *state);
} view_ops;

/* The views, for the router. */
extern const view_ops view_home, view_list, view_reader, view_deck, view_search, view_display, view_oos;
extern const view_ops view_pin, view_admin, view_touch, view_pattern;

/* ---- state --------------------------------------------------------------- */

/* For enter hooks: a zeroed state of size bytes, or NULL with "out of
 * memory" in err. */
void *ui_state_new(size_t size, char *err, size_t errcap);

/* ---- what the ui knows ----------------------------------------------------- */

/* The theme for the screen size and text size. */
const theme *ui_theme(const ui *u);

/* The render context to draw with. */
render *ui_render(const ui *u);

/* The screen's size in pixels. */
int ui_width(const ui *u);
int ui_height(const ui *u);

/* The time of the event or tick being handled (ms, as ui.h). */
uint32_t ui_now(const ui *u);

/* The content; NULL on the out-of-service screen. */
store *ui_store(const ui *u);

/* Why no content could be opened ("" when it could). */
const char *ui_no_content_reason(const ui *u);

/* The route shown. A view keeps it true as its screen changes (the deck's
 * card, the search's query), so Back and ui_current_route return there. */
route *ui_route(ui *u);

/* True while the home screen cycles its featured cards (attract mode). */
bool ui_attract(const ui *u);

/* A UI string in the current language. */
const char *ui_str(const ui *u, i18n_id id);

/* The i18n language for a code ("kk"); kk when unknown. */
i18n_lang ui_lang_of(const char *code);

/* The text size step (0..THEME_TEXT_STEPS-1) and colour scheme this
 * person chose; setting one lays every screen out again. The idle reset
 * forgets both. */
int ui_text_step(const ui *u);
void ui_set_text_step(ui *u, int step);
theme_contrast ui_contrast(const ui *u);
void ui_set_contrast(ui *u, theme_contrast c);

/* The search screen found something for what is typed (or not): the
 * usage counters count searches with and without results. */
void ui_search_found(ui *u, bool found);

/* What the citizen last typed into search (the search screen opens on it
 * again until the idle reset forgets it), and remembering it. */
const char *ui_remembered_query(const ui *u);
void ui_remember_query(ui *u, const char *query);

/* ---- what a view may do ----------------------------------------------------- */

/* Marks the screen for redraw. */
void ui_invalidate(ui *u);

/* Shows a short message at the bottom of the screen for a few seconds. */
void ui_toast(ui *u, const char *msg);

/* Reads text aloud in the ui language (ui_speech.h), cutting off what was
 * read; id tags it for ui_speaking. Without a working voice it tells the
 * citizen so and returns -1. Navigation, a language change and the idle
 * reset stop it. */
int ui_speak(ui *u, const char *text, uint32_t id);

/* ui_speak in the voice of lang ("kk", "ru", "en"): for content served in
 * another language than the ui's (an item missing in Kazakh shown in
 * Russian is read by the Russian voice, not spelled by the Kazakh one). */
int ui_speak_in(ui *u, const char *text, const char *lang, uint32_t id);

/* Stops reading aloud (a second tap on the speaker). */
void ui_speak_stop(ui *u);

/* True while the utterance tagged id is heard: the byte range of the
 * sentence being heard in the text given to ui_speak. */
bool ui_speaking(const ui *u, uint32_t id, size_t *start, size_t *len);

/* Navigates from a view (a link); on failure logs why and tells the
 * citizen the link is not available, staying where they are. Never to an
 * operator's screen. */
void ui_go(ui *u, const char *route_str);

/* Leaves for the previous screen (Back). */
void ui_back(ui *u);

/* Leaves for home, forgetting the history. */
void ui_home(ui *u);

/* The route a content link leads to; false for external or invalid links,
 * which the kiosk does not follow. self: the item the link is in. */
bool ui_link_route(const content_link *link, const char *self, char *out, size_t cap);

/* ---- tap targets of the frame being drawn ---------------------------------- */

/* Registers a target; ref: the route of a TARGET_LINK, else a name for
 * scripts ("@pin-1") or NULL; label: what speech mode says for it in the
 * ui language (its visible label or title; never empty). NULL when the
 * list is full or rect empty. */
ui_target *ui_add_target(ui *u, SDL_Rect rect, target_id id, const char *ref, const char *label);

/* Notes that a text was cut with "…" in the frame being drawn (a layout
 * problem ui_check_layout counts; previews do not call it). */
void ui_text_was_cut(ui *u, const char *text);

/* Notes that a preview (a summary, a snippet, a one-line title whose whole
 * text a tap shows) was cut with "…": counted apart, not a problem. */
void ui_preview_was_cut(ui *u);

/* Gives the target registered at mark (ui_target_count before a widget
 * added it) another spoken label, when its visible one needs context. */
void ui_target_relabel(ui *u, int mark, const char *label);

/* True when this target is pressed (draw press feedback). */
bool ui_is_pressed(const ui *u, SDL_Rect rect, target_id id);

/* Targets registered so far in this frame: a mark for the two below. */
int ui_target_count(const ui *u);

/* Cuts the targets registered since mark to a scrolling band. */
void ui_targets_clip(ui *u, int mark, SDL_Rect band);

/* Forgets the targets registered since mark (a dialog covers them, or a
 * card is moving under the finger). */
void ui_targets_drop(ui *u, int mark);
