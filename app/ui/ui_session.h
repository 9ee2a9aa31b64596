/* ui_session — what one person leaves behind on the kiosk (language, text
 * size, contrast, the last search), the idle reset that forgets it for the next
 * person, and attract mode on an untouched home screen. Inside app/ui only
 * (views read the language through ui_lang and ui_str, the last search
 * through ui_remembered_query). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "deadline.h"
#include "route.h"
#include "ui.h"

/* All of it in one place, so the idle reset forgets all of it. Back's
 * history is forgotten with it (the reset goes home). */
typedef struct {
    char lang[4];                    /* the UI language ("kk") */
    int text_step;                   /* 0..THEME_TEXT_STEPS-1 */
    int contrast;                    /* a theme_contrast */
    char query[ROUTE_QUERY_MAX + 1]; /* the last search typed */
    bool speech_mode;                /* speech mode is on (ui_speechmode.h) */
    bool reach;                      /* the ui is pulled into the lower half (ui_reach.h) */
} ui_session;

/* A fresh session: the configured language and text size, nothing typed. */
void ui_session_start(ui_session *s, const ui_config *cfg);

/* The language code the ui speaks for lang ("kk" when it speaks no such). */
const char *ui_lang_known(const char *lang);

/* The language the language button changes to from lang. */
const char *ui_lang_next(const char *lang);

/* Input came: the idle clock starts again and attract mode ends. */
void ui_session_input(ui *u, uint32_t now);

/* Lets time pass: the idle reset, and attract mode on the home screen. */
void ui_session_tick(ui *u, uint32_t now);

/* When the idle reset or attract mode is due, if ever. */
deadline ui_session_deadline(const ui *u, uint32_t now);
