/* ui_observe — what people do, told to the ui's observer (ui_set_observer)
 * as counts-only events: a session began, a screen was shown, a language
 * or a text size was chosen, a search was left with or without results.
 * Inside the ui core only; the observer never sees what was typed. */
#pragma once

#include <stdbool.h>

#include "route.h"
#include "ui.h"

/* What the events are worked out from: the last reported state. */
typedef struct {
    ui_observer obs;                  /* all NULL: nobody listens */
    bool in_session;                  /* a person touched since the last idle reset */
    char shown[ROUTE_STRING_MAX + 1]; /* the last VIEW reported (no query), "" after a reset */
    char lang[4];                     /* the session's language and text size as last seen */
    int text_step;
    /* The search shown in the last frame, held until it is left: only then
     * is it one search. Forgotten when reported and at the idle reset. */
    char query[ROUTE_QUERY_MAX + 1];
} ui_observe;

/* Input came (the first since a reset starts a session). */
void ui_observe_input(ui *u);

/* A frame was drawn: reports a new screen, a new language or text size, a
 * search that was left. */
void ui_observe_frame(ui *u);

/* The idle reset is about to forget the session: reports a search left
 * open, ends the session. */
void ui_observe_reset(ui *u);
