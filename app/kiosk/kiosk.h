/* kiosk — the program around the ui, as main_kiosk.c starts it: a window
 * kiosk (window.h) or a headless screenshot (headless.h), and the
 * operator's restart.
 *
 * Settings come as the config (config.h), read-only, all the way down;
 * what the command line asks that is not a setting is a kiosk_args. */
#pragma once

#include "config.h"

/* What the command line asks for this run that is no config key. */
typedef struct {
    const char *bundle;      /* --bundle: show this file only; NULL: the fallback chain (app.h) */
    const char *preview;     /* --preview: a content folder, built and rebuilt on save, or NULL */
    const char *screenshot;  /* --screenshot: write a PNG and exit (headless), or NULL */
    int width, height;       /* --size; 0: 800×480 for screenshots, 1280×800 for a window */
    const char *open;        /* --open: start route, or NULL */
    const char *script;      /* --script: input replayed before the screenshot, or NULL */
    char *const *argv;       /* the command line, for the operator's "restart", or NULL */
} kiosk_args;

/* Runs the kiosk in a window, or takes a screenshot when args->screenshot
 * is set; carries out the operator's restart. Returns the exit status. */
int kiosk_main(const config *c, const kiosk_args *args);
