/* events — SDL's input events turned into ui calls: fingers and the left
 * mouse button as pointers (mouse events SDL synthesises from touches are
 * dropped, or a finger would count twice), Backspace and Return, typed
 * text, an audio output plugged in or out (speech mode); and which events
 * may end the program. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "ui.h"

typedef enum {
    EVENTS_OTHER,   /* nothing for the ui (or not input) */
    EVENTS_INPUT,   /* handed to the ui as input */
    EVENTS_QUIT     /* the program should end (development window only) */
} events_result;

/* How the events are read. */
typedef struct {
    int w, h;              /* the screen: fingers come in 0..1 */
    bool windowed;         /* a development window, which may be closed */
    bool headphone_speech; /* an audio output plugged in starts speech mode, unplugged ends it */
    uint32_t output_event; /* non-zero: outputs come as this event (sndwatch; user.code 1 added,
                              0 removed; user.data1, data2 the card and device numbers, which
                              window.c turns into speech's output) and SDL's own audio device
                              events are not ours: the speech thread starting SDL's audio
                              would report every device */
} events_config;

/* Hands ev to u at now (fingers scaled to c's w×h). In kiosk mode (!windowed)
 * nothing that comes from the screen or a keyboard ends the program: a
 * window close (Alt+F4, a window manager's button, SDL_QUIT) is logged and
 * ignored, Escape and Ctrl+Q do nothing; in a development window they quit.
 * Stopping the kiosk is the signals' job (sigwatch.h). */
events_result events_dispatch(ui *u, const SDL_Event *ev, const events_config *c, uint32_t now);

/* True for an event from someone at the screen (touch, pressed or dragging
 * mouse, key, text): what wakes a blank screen. */
bool events_is_input(const SDL_Event *ev);
