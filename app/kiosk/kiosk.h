/* kiosk — the program around the ui: SDL set-up, the event loop that sleeps
 * until the next deadline, headless screenshots and script replay. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *bundle;      /* bundle file; NULL: the sample bundle of the build */
    const char *screenshot;  /* write a PNG and exit (headless) */
    int width, height;       /* --size; 0: 800×480 for screenshots, the display otherwise */
    const char *lang;        /* start language; NULL: config default */
    const char *open;        /* start route */
    const char *script;      /* input script replayed before the screenshot */
    bool windowed;           /* development: a window, quitting allowed */
    int idle_reset_s;        /* -1: default */
    float dpi;               /* 0: unknown */
    const char *state_dir;   /* sync state; the live bundle is taken from here */
    const char *sync_url;    /* repository to sync from on a schedule, or NULL */
    const char *trust;       /* pinned publisher.pub for sync */
    int sync_interval_s;     /* 0: the default (6 h) */
    int sync_first_s;        /* first check within this many seconds; 0: default (60) */
    bool allow_http;         /* sync over plain http (tests on 127.0.0.1) */
    const char *ca_file;     /* extra CA certificates for https, or NULL */
    const char *pin;         /* "sha256//..." public-key pin, or NULL */
    int stall_timeout_s;     /* abort a transfer this long below 64 B/s; 0: 30 s */
    /* From the config file (config.h); zero/NULL when not set: */
    const char *fallback_bundle; /* last-resort bundle; NULL: INFOPOINT_SAMPLE_BUNDLE */
    int text_size;           /* text size step after start and idle reset, 0..2 */
    const char *kiosk_id;    /* shown on the operator screen (default: host name) */
    const char *admin_pin;   /* PIN hash for config_pin_matches(); NULL: operator screen disabled */
    const char *screen_off;  /* blank-screen hours "HH:MM-HH:MM" (valid for schedule_parse_window), or NULL */
    const char *sync_window; /* daily sync window "HH:MM-HH:MM" (same), or NULL: any time */
    const char *usb_path;    /* mount point to import content from, or NULL */
    int log_level;           /* platform_log_level in effect (main has already set it) */
    char *const *argv;       /* the command line, for the operator's "restart", or NULL */
} kiosk_options;

/* Runs one sync of opt->sync_url into opt->state_dir and prints one line;
 * returns 0 when the content is installed or already current, 1 when the
 * sync failed or was refused (the installed content stays), 2 for a usage
 * error. */
int kiosk_sync_once(const kiosk_options *opt);

/* Runs the kiosk (window) or takes a screenshot; returns the exit status. */
int kiosk_main(const kiosk_options *opt);

struct ui;
struct script;
struct render;
struct store;

/* The kiosk drawing into memory with the software renderer, as for a
 * screenshot: what tests and tools drive without a display. */
typedef struct {
    void *surface;          /* SDL_Surface */
    void *sdl;              /* SDL_Renderer */
    struct render *r;
    struct store *st;       /* NULL when the bundle did not open */
    struct ui *u;
    uint32_t now;           /* virtual time, ms */
} kiosk_headless;

/* Builds a headless kiosk of w×h on opt's bundle, language and idle reset.
 * A bundle that does not open is not a failure (out-of-service screen).
 * Returns 0, or -1 with err (SDL, fonts, memory). */
int kiosk_headless_open(kiosk_headless *k, const kiosk_options *opt, int w, int h, char *err, size_t errcap);

/* Frees everything kiosk_headless_open made (a zeroed struct is fine). */
void kiosk_headless_close(kiosk_headless *k);
/* Replays a script on a ui in virtual time (*now advances as the steps
 * say, frame by frame). Returns 0, or -1 with "line N: reason" in err. */
int kiosk_replay(struct ui *u, const struct script *sc, uint32_t *now, char *err, size_t errcap);

/* Lets virtual time run until the ui stops animating (at most 5 s). */
void kiosk_settle(struct ui *u, uint32_t *now);
