/* targets — the tappable rectangles of one frame, and what each one is.
 *
 * The ui is immediate-mode for input: every frame clears the list, and the
 * view, the top bar and their widgets add what they draw, so what a finger
 * hits is always what is on screen. A target names who answers a tap and
 * which of their things it is with a target_id: a value of its owner's own
 * enum (each view has one, the bar has one), an index for repeated
 * elements (keyboard keys, page dots, links in a text) and flags. Press
 * feedback knows a target again by its id and rectangle.
 *
 * Pure: no drawing, no clock, no heap. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "route.h"

/* Targets in one frame; more are not tappable (a screen has ~100 at most:
 * the keyboard's 40 keys and a page of results). */
#define TARGETS_MAX 256

/* Bytes of a target's spoken label kept (a long title is cut at a
 * character: enough to know what it is). */
#define TARGET_LABEL_MAX 160

/* What a target is besides its owner's enum. */
typedef enum {
    TARGET_LINK = 1 << 0,    /* a tap goes to the target's route (ui_go), not to its owner */
    TARGET_IN_TEXT = 1 << 1, /* a link inside running text: as tall as its line, so it may be
                                lower than a fingertip (ui_check_layout allows it) */
    TARGET_BAR = 1 << 2,     /* the top bar's own: the ui core answers it, not the view */
    TARGET_OVER = 1 << 3,    /* floats over a scrolling page (the reader's speaker): it takes
                                the taps where it lies, and what it covers scrolls out from
                                under it, so it may overlap earlier targets */
    TARGET_REACH = 1 << 4,   /* the reach strip's button (ui_reach.h): the ui core answers it */
} target_flags;

typedef struct {
    int kind;       /* a value of the owner's enum (search_target, deck_target, ...) */
    int index;      /* which one of a repeated element the owner tells apart (a key, a
                       dot, a link); 0 otherwise (press feedback also compares rects) */
    unsigned flags; /* target_flags */
} target_id;

/* A target its owner answers (the view's tap hook). */
static inline target_id target_tap(int kind, int index)
{
    return (target_id){kind, index, 0};
}

/* A target that leads to a route (a link, a row, a result). */
static inline target_id target_link(int kind, int index)
{
    return (target_id){kind, index, TARGET_LINK};
}

typedef struct {
    SDL_Rect rect;
    target_id id;
    bool clipped;   /* cut by the edge of a scrolling area */
    bool label_cut; /* its label did not fit and was cut (a layout problem) */
    /* TARGET_LINK: the route it leads to; else a name for scripts
     * ("@pin-1", "@close") or "". */
    char ref[ROUTE_STRING_MAX + 1];
    /* What speech mode says for it, in the ui language: a button's label,
     * a row's title, a key's name. Never empty on a citizen's screen
     * (targets_check counts an empty one as a problem). */
    char label[TARGET_LABEL_MAX];
} ui_target;

typedef struct {
    ui_target items[TARGETS_MAX];
    int n;
} targets;

/* Forgets every target (a new frame). */
void targets_clear(targets *l);

/* Adds a target; ref: its route (TARGET_LINK) or name, or NULL; label: what
 * speech mode says for it (cut to TARGET_LABEL_MAX at a character), or
 * NULL. Returns it, or NULL when the rectangle is empty or the list is full. */
ui_target *targets_add(targets *l, SDL_Rect rect, target_id id, const char *ref, const char *label);

/* Sets t's spoken label (cut as targets_add cuts it). */
void targets_relabel(ui_target *t, const char *label);

/* True when t is the target with this id and rectangle. */
bool target_is(const ui_target *t, SDL_Rect rect, target_id id);

/* The topmost target at (x, y) (the last added wins), or within slop pixels
 * of its edge when none is right under it; NULL when none. */
const ui_target *targets_at(const targets *l, float x, float y, int slop);

/* The topmost visible target (on screen rows 0..screen_h-1) whose route or
 * name is ref; NULL when none. */
const ui_target *targets_find(const targets *l, const char *ref, int screen_h);

/* Cuts the targets from index `from` on to the band (a scrolling area):
 * those partly outside are marked clipped, those wholly outside emptied. */
void targets_clip(targets *l, int from, SDL_Rect band);

/* Forgets the targets from index `from` on (a dialog covers them, or a card
 * is moving under the finger). */
void targets_drop(targets *l, int from);

/* Checks that every target lies within the screen's width, is at least min
 * pixels high and wide, unless clipped or TARGET_IN_TEXT, has its
 * whole label, has a spoken label and overlaps no earlier one. Returns the number of problems,
 * the first described in err. */
int targets_check(const targets *l, int screen_w, int screen_h, int min, char *err, size_t errcap);

/* Targets on the screen (not empty), and in *small how many of them are
 * under min pixels high or wide (clipped ones and TARGET_IN_TEXT excepted). */
int targets_count(const targets *l, int min, int *small);
