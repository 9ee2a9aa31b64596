/* benchui — `infopoint-bench ui`: what a citizen feels of the kiosk's speed
 * and what it costs the board, measured on the real code.
 *
 * For each bundle, with the software renderer (SDL_CreateSoftwareRenderer on
 * a surface, SDL_VIDEODRIVER=dummy) at a fixed size:
 *   - start-up: the real `infopoint --screenshot` spawned many times (wall
 *     time from fork to exit), and in process from store_open/render_create/
 *     ui_create to the end of the first ui_draw;
 *   - full reader frames (ui_draw always draws everything), per route;
 *   - frames of a kinetic scroll (fling, then 16 ms virtual steps to rest);
 *   - peak RSS (VmHWM) after visiting every screen, in a fresh process;
 * and once, in a real X11 window under Xvfb, the idle CPU and wake-ups.
 * Figures only, with the targets beside them: no pass/fail (machines are
 * noisy; compare medians). */
#pragma once

#include <stdbool.h>

#define BENCHUI_MAX_BUNDLES 4

typedef struct {
    const char *bundles[BENCHUI_MAX_BUNDLES]; /* none: the build's sample bundle */
    int n_bundles;
    int frames;          /* timed full frames per reader route (and at least this many scroll frames) */
    int runs;            /* start-up repetitions (spawned and in process) */
    int width, height;   /* screen size */
    int idle_s;          /* idle sampling window in seconds; 0 skips the Xvfb part */
    bool attract;        /* also measure home in attract mode (waits 30 s more) */
    int tour_items;      /* items visited per bundle in the RSS tour; 0: all */
} benchui_options;

/* Defaults: 300 frames, 20 runs, 1920×1080, 10 s idle, attract on, all items. */
benchui_options benchui_options_default(void);

/* Runs every measurement and prints the table. Returns the exit status. */
int benchui_run(const benchui_options *o);

/* The RSS tour in this (fresh) process: opens bundle, visits every screen,
 * prints one "rss ..." line for the parent. Returns the exit status. */
int benchui_rss_child(const char *bundle, int width, int height, int tour_items);
