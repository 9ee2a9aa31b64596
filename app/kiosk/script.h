/* script — input scripts for headless runs and tests.
 *
 * One command per line; '#' starts a comment line. Coordinates are pixels of
 * the screen size in use.
 *   tap X Y                    press and release
 *   longpress X Y [MS]         hold still (default 1200 ms)
 *   drag X1 Y1 X2 Y2 [MS]      move at even speed over MS (default 300), release
 *   wait MS                    let time pass (animations run, idle timer counts)
 *   type TEXT                  tap the on-screen keyboard keys that spell TEXT
 *   key NAME                   a physical key: escape, backspace, return, alt+f4, ctrl+q, alt+tab
 *   open ROUTE                 navigate as a deep link would
 *   tapon ROUTE                tap the visible button or row that leads to ROUTE
 *                              (or @home, @back, @lang, @text-size in the top bar)
 *   resize W H                 the screen changes size
 *   hold2 X1 Y1 X2 Y2 [MS]     two fingers held still (default 2500 ms): speech mode
 *   audio added|removed        an audio output (headphones) plugged in or out
 * Pure: parsing only; the kiosk plays the steps. */
#pragma once

#include <stddef.h>

#define SCRIPT_MAX_STEPS 4096
#define SCRIPT_MAX_TEXT 256

typedef enum {
    SCRIPT_TAP,
    SCRIPT_LONGPRESS,
    SCRIPT_DRAG,
    SCRIPT_WAIT,
    SCRIPT_TYPE,
    SCRIPT_KEY,
    SCRIPT_OPEN,
    SCRIPT_TAPON,
    SCRIPT_RESIZE,
    SCRIPT_HOLD2,
    SCRIPT_AUDIO
} script_op;

typedef struct {
    script_op op;
    int line;                  /* 1-based source line */
    float x1, y1, x2, y2;      /* TAP/LONGPRESS use x1,y1; RESIZE uses x1,y1 as W,H */
    int ms;                    /* LONGPRESS, DRAG, WAIT, HOLD2 */
    char text[SCRIPT_MAX_TEXT]; /* TYPE text, KEY name, OPEN/TAPON route, AUDIO added|removed */
} script_step;

typedef struct script {
    script_step *steps;
    size_t n;
} script;

/* Parses script text. Returns 0, or -1 with "line N: message" in err. */
int script_parse(const char *text, size_t len, script *out, char *err, size_t errcap);

/* Reads and parses a script file (at most 1 MB). */
int script_load(const char *path, script *out, char *err, size_t errcap);

/* Frees the steps. */
void script_free(script *s);
