/* keyboard — the on-screen keyboard as a model: which keys exist, where they
 * are, what a touch hits, what a press does to the text being typed.
 *
 * Pure: no SDL, no fonts, no locale. The renderer draws key_count keys from
 * their rects and keyboard_key_label(); the UI passes a touch to
 * keyboard_hit() and the key to keyboard_press().
 *
 * Layouts (rows top to bottom; every one starts with the digits 1..0):
 *   kk  ә і ң ғ ү ұ қ ө һ  (the Kazakh letters, in the order of the standard
 *                           Kazakh layout's top row) over the ЙЦУКЕН rows
 *   ru  ЙЦУКЕН with ъ, and ё after ю (where "." sits on a physical keyboard)
 *   en  QWERTY
 * then a bottom row: layout switch, clear, space, hyphen, done. Shift and backspace
 * flank the last letter row.
 */
#ifndef INFOPOINT_KEYBOARD_H
#define INFOPOINT_KEYBOARD_H

#include <stdbool.h>
#include <stddef.h>

#define KEYBOARD_TEXT_CAP 128 /* bytes of typed text (the search query limit) */
#define KEYBOARD_MAX_KEYS 64  /* keys in the largest layout, with room to spare */

/* Which letters are on the keys. */
typedef enum {
    KEYBOARD_KK = 0, /* Kazakh Cyrillic: 42 letters */
    KEYBOARD_RU,     /* Russian: 33 letters */
    KEYBOARD_EN,     /* Latin: 26 letters */
    KEYBOARD_LAYOUT_COUNT,
} keyboard_layout;

/* What a key does. */
typedef enum {
    KEYBOARD_KEY_CHAR = 0,  /* types its character */
    KEYBOARD_KEY_SHIFT,     /* lower -> Shift (one letter) -> Caps lock -> lower */
    KEYBOARD_KEY_BACKSPACE, /* removes the last character */
    KEYBOARD_KEY_SPACE,     /* types a space */
    KEYBOARD_KEY_LAYOUT,    /* switches kk -> ru -> en -> kk */
    KEYBOARD_KEY_CLEAR,     /* empties the text */
    KEYBOARD_KEY_DONE,      /* hides the keyboard */
} keyboard_key_kind;

/* Letter case state. */
typedef enum {
    KEYBOARD_LOWER = 0,
    KEYBOARD_SHIFT_ONCE, /* next letter upper-case, then back to lower */
    KEYBOARD_CAPS,       /* upper-case until Shift is pressed again */
} keyboard_case;

/* What keyboard_press() changed, so the caller knows what to redraw. */
typedef enum {
    KEYBOARD_ACTION_NONE = 0, /* nothing (text full or already empty) */
    KEYBOARD_ACTION_TEXT,     /* the text changed */
    KEYBOARD_ACTION_CASE,     /* the case changed: key labels changed */
    KEYBOARD_ACTION_LAYOUT,   /* another layout: every key changed */
    KEYBOARD_ACTION_DONE,     /* the reader is finished: hide the keyboard */
} keyboard_action;

/* A rectangle in pixels; contains x <= px < x + w, y <= py < y + h. */
typedef struct {
    int x, y, w, h;
} keyboard_rect;

/* One key after layout. */
typedef struct {
    keyboard_key_kind kind;
    const char *text;   /* KEYBOARD_KEY_CHAR: its lower-case UTF-8 character; else NULL */
    int row;            /* 0 = top row */
    keyboard_rect rect; /* what to draw: the cell minus the gaps */
    keyboard_rect cell; /* what a touch may hit: cells tile the whole area */
} keyboard_key;

/* Keyboard state. Fields are read-only for callers: use the functions. */
typedef struct {
    keyboard_layout layout;
    keyboard_case letter_case;
    keyboard_key keys[KEYBOARD_MAX_KEYS];
    int key_count;      /* 0 until a successful keyboard_layout_keys() */
    keyboard_rect area; /* last area laid out, reused when the layout changes */
    int min_key_px;     /* last minimum key size */
    int gap_px;         /* last gap between keys */
} keyboard;

/* The text being typed: bounded, always valid UTF-8, NUL-terminated. */
typedef struct {
    char buf[KEYBOARD_TEXT_CAP + 1];
    size_t len; /* bytes, without the NUL */
} keyboard_text;

/* Start with a layout, lower case, no keys laid out yet. */
void keyboard_init(keyboard *kb, keyboard_layout layout);

/* Smallest area (px) in which every layout fits with keys of min_key_px. */
void keyboard_min_size(int min_key_px, int gap_px, int *w, int *h);

/* Place the keys in area, gap_px apart; false (and no keys) if one would be under min_key_px. */
bool keyboard_layout_keys(keyboard *kb, keyboard_rect area, int min_key_px, int gap_px);

/* Switch layout (back to lower case), laid out in the last area; false if it does not fit. */
bool keyboard_set_layout(keyboard *kb, keyboard_layout layout);

/* The key whose cell contains (x, y), or NULL outside the keyboard. */
const keyboard_key *keyboard_hit(const keyboard *kb, int x, int y);

/* Text to draw on a key in the current case (the layout key names the next layout). */
const char *keyboard_key_label(const keyboard *kb, const keyboard_key *key);

/* Act on a pressed key (one from kb->keys), editing text; says what changed. */
keyboard_action keyboard_press(keyboard *kb, const keyboard_key *key, keyboard_text *text);

/* The layout the switch key goes to from this one. */
keyboard_layout keyboard_next_layout(keyboard_layout layout);

/* Short name of a layout for the switch key: "ҚАЗ", "РУС", "ENG". */
const char *keyboard_layout_name(keyboard_layout layout);

/* Upper case of a letter on the keyboards; the argument itself for anything else. */
const char *keyboard_upper(const char *letter);

/* Empty the text. */
void keyboard_text_clear(keyboard_text *t);

/* Append whole characters while they fit; false if some did not, or s is bad UTF-8 (adds nothing). */
bool keyboard_text_append(keyboard_text *t, const char *s);

/* Replace the text (e.g. with the query of a search route); false as for append. */
bool keyboard_text_set(keyboard_text *t, const char *s);

/* Remove the last character (a whole code point); false if the text was empty. */
bool keyboard_text_backspace(keyboard_text *t);

/* The text as a NUL-terminated string. */
const char *keyboard_text_str(const keyboard_text *t);

#endif
