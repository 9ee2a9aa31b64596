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

#define UI_MAX_TARGETS 256
#define UI_SEARCH_MAX 128

/* What a tap on a target does. */
typedef enum {
    UI_ACT_NONE,
    UI_ACT_ROUTE,      /* navigate to target.route */
    UI_ACT_HOME,
    UI_ACT_BACK,
    UI_ACT_LANG,       /* arg: language index, or -1 to cycle */
    UI_ACT_TEXT_SIZE,  /* cycle the text size */
    UI_ACT_VIEW        /* handled by the view: arg is the view's own code */
} ui_action;

typedef struct {
    SDL_Rect rect;
    ui_action action;
    int arg;
    bool clipped;      /* cut by the edge of a scrolling area */
    char route[ROUTE_STRING_MAX + 1];
} ui_target;

typedef struct view_ops view_ops;

struct ui {
    ui_config cfg;
    store *st;                 /* NULL: out of service */
    char reason[256];          /* why there is no content */
    render *r;
    theme th;
    int w, h;
    char lang[4];
    int text_step;

    route cur;
    route_history hist;
    const view_ops *view;
    void *vs;                  /* the view's state */

    gesture g;
    uint32_t now;
    uint32_t last_input;
    bool dirty;
    bool attract;              /* home is cycling featured cards */
    bool animating;            /* the view asked for frames at the last tick */

    ui_target targets[UI_MAX_TARGETS];
    int n_targets;
    bool pressing;             /* press feedback is shown */
    ui_target pressed;         /* the target under the finger */

    char search_text[UI_SEARCH_MAX + 1]; /* kept while on the search screen */
    char toast[160];           /* a short message at the bottom, or "" */
    uint32_t toast_until;
    ui_stats stats;
};

struct view_ops {
    const char *name;
    /* Builds the view's state for route r; -1 with err when r names nothing. */
    int (*enter)(ui *u, const route *r, char *err, size_t errcap);
    void (*leave)(ui *u);
    /* Draws the area below the top bar and registers its targets. */
    void (*draw)(ui *u, SDL_Rect area);
    /* Title shown in the top bar (may be ""). */
    const char *(*title)(ui *u);
    /* Gestures other than taps on targets (drags, swipes). */
    void (*gesture)(ui *u, const gesture_event *e);
    /* A tap on a UI_ACT_VIEW target. */
    void (*action)(ui *u, int arg);
    /* Animations: advance to now; return true while more frames are needed. */
    bool (*tick)(ui *u, uint32_t now);
    /* Text size, language or screen size changed: recompute layout. */
    void (*relayout)(ui *u);
    /* Scroll offset to remember in history (0 when not scrolling). */
    int (*scroll)(ui *u);
    void (*restore_scroll)(ui *u, int offset);
    /* Draws into the top bar's middle instead of the title (the search
     * field); optional. */
    void (*bar_center)(ui *u, SDL_Rect rect);
    /* A time the view must be woken at without input (attract cycling). */
    bool (*deadline)(ui *u, uint32_t *t);
};

extern const view_ops view_home;
extern const view_ops view_list;
extern const view_ops view_reader;
extern const view_ops view_deck;
extern const view_ops view_search;
extern const view_ops view_oos;

/* Registers a tappable rectangle (clipped to clip when clip is non-NULL). */
ui_target *ui_add_target(ui *u, SDL_Rect rect, ui_action action, int arg, const char *route);

/* True when the pressed target (press feedback) is this one. */
bool ui_is_pressed(const ui *u, SDL_Rect rect, ui_action action, int arg);

/* Marks the screen for redraw. */
void ui_invalidate(ui *u);

/* A UI string in the current language. */
const char *ui_str(const ui *u, i18n_id id);

/* Colour conversion from the theme. */
render_color ui_color(theme_color c);

/* Wraps plain text into at most max_lines lines of width w and draws them at
 * (x, y); the last line ends with "…" when text is cut. Returns the height
 * used. With draw = false it only measures. */
int ui_text_block(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                  theme_color color, bool draw);

/* Draws text with highlighted byte ranges (search hits) on a soft marker. */
void ui_text_highlighted(ui *u, render_face face, int size, const char *text, const store_range *hl, int n_hl,
                         int x, int y, int w, int max_lines, theme_color color);

/* Button looks: outlined (plain) or filled (primary); icon after the label. */
enum { UI_BUTTON_PLAIN = 0, UI_BUTTON_PRIMARY = 1, UI_BUTTON_ICON_AFTER = 2 };

/* Draws a rounded button with a label (and an icon, or -1) and registers it. */
void ui_button(ui *u, SDL_Rect rect, const char *label, int icon, int flags, ui_action action, int arg,
               const char *route);

/* A scroll indicator at the right edge of area for a scroller. */
void ui_scrollbar(ui *u, SDL_Rect area, const scroller *s);

/* Shows a short message at the bottom of the screen for a few seconds. */
void ui_toast(ui *u, const char *msg);

/* Navigates from a view (e.g. a link); on failure logs why and tells the
 * citizen the link is not available, staying where they are. */
void ui_go(ui *u, const char *route_str);

/* Routes drag and press gestures to a vertical scroller (scrolling views). */
void ui_scroll_gesture(ui *u, scroller *s, const gesture_event *e);

/* Tells a scroller the content height when it changed (keeps motion otherwise). */
void ui_scroll_size(scroller *s, float *known_h, float content_h, float viewport_h);

/* For scripts: the on-screen keyboard key to tap for ch (search view). */
int view_search_locate(ui *u, const char *ch, float *x, float *y, bool *done);

/* Draws a white rounded card with a soft shadow. */
void ui_card(ui *u, SDL_Rect rect, bool pressed);

/* The icon for an item kind ("article", "document", "explainer"). */
render_icon ui_kind_icon(const char *kind);

/* The i18n language for a code ("kk"); kk when unknown. */
i18n_lang ui_lang_of(const char *code);

/* The route a content link (content_link) leads to; false for external or
 * invalid links, which the kiosk does not follow. self is the item the link
 * is in. */
bool ui_link_route(const content_link *link, const char *self, char *out, size_t cap);
