/* ui_session — the idle reset that gives the next person a clean screen,
 * and attract mode on an untouched home screen. Inside app/ui only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "deadline.h"
#include "route.h"
#include "ui.h"

/* What one person leaves behind on the kiosk, all in one place so the idle
 * reset forgets all of it. */
typedef struct {
    char lang[4];                       /* the UI language ("kk") */
    int text_step;                      /* 0..THEME_TEXT_STEPS-1 */
    char query[ROUTE_QUERY_MAX + 1];    /* the last search typed */
} ui_session;

/* A fresh session: the configured language and text size, nothing typed. */
void ui_session_start(ui_session *s, const ui_config *cfg);

/* Input came: the idle clock starts again and attract mode ends. */
void ui_session_input(ui *u, uint32_t now);

/* Lets time pass: the idle reset, and attract mode on the home screen. */
void ui_session_tick(ui *u, uint32_t now);

/* When the idle reset or attract mode is due, if ever. */
deadline ui_session_deadline(const ui *u, uint32_t now);
