#include "kiosk.h"

#include <SDL.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#include <time.h>

#include "platform.h"
#include "render.h"
#include "config.h"
#include "host.h"
#include "keys.h"
#include "script.h"
#include "service.h"
#include "store.h"
#include "sync.h"
#include "schedule.h"
#include "syncworker.h"
#include "ui.h"
#include "utf8.h"

#ifndef INFOPOINT_SAMPLE_BUNDLE
#define INFOPOINT_SAMPLE_BUNDLE INFOPOINT_BUILD_DIR "/sample.ipb"
#endif

/* run_window's status when the operator asked for a restart. */
#define KIOSK_RESTART (-100)

/* Virtual frame step while replaying a script: what a 60 Hz screen sees. */
#define FRAME_MS 16u
/* A screenshot waits at most this long (virtual) for animations to settle. */
#define SETTLE_MAX_MS 5000u

/* The bundles to try, best first: the one asked for; else the state
 * directory's live bundle, the one before it, and the sample bundle shipped
 * with the program, so a damaged update never leaves the screen blank. */
static int bundle_candidates(const kiosk_options *opt, char paths[][PLATFORM_PATH_MAX], int max)
{
    int n = 0;
    if (opt->bundle) {
        snprintf(paths[n++], PLATFORM_PATH_MAX, "%s", opt->bundle);
        return n;
    }
    if (opt->state_dir) {
        uint64_t v[2];
        char live[PLATFORM_PATH_MAX];
        if (sync_live_bundle(opt->state_dir, live, sizeof live) == 0)
            snprintf(paths[n++], PLATFORM_PATH_MAX, "%s", live);
        int k = syncstate_list_bundles(opt->state_dir, v, 2);
        for (int i = 0; i < k && n < max - 1; i++) {
            char name[64];
            syncstate_bundle_name(v[i], name);
            if (syncstate_path(opt->state_dir, name, paths[n], PLATFORM_PATH_MAX) == 0 && (n == 0 || strcmp(paths[n], paths[0])))
                n++;
        }
    }
    snprintf(paths[n++], PLATFORM_PATH_MAX, "%s", opt->fallback_bundle ? opt->fallback_bundle : INFOPOINT_SAMPLE_BUNDLE);
    return n;
}

static store *open_content(const kiosk_options *opt, char *reason, size_t cap)
{
    char paths[4][PLATFORM_PATH_MAX];
    int n = bundle_candidates(opt, paths, 4);
    for (int i = 0; i < n; i++) {
        store_status st;
        store *s = store_open(paths[i], &st, reason, cap);
        if (s) {
            if (i > 0)
                platform_log(PLATFORM_LOG_WARN, "content: using %s instead", paths[i]);
            return s;
        }
        platform_log(PLATFORM_LOG_ERROR, "%s", reason);
    }
    return NULL;
}

/* The operator PIN is checked by the same code that made its hash. */
static bool pin_matches(void *user, const char *hash, const char *pin)
{
    (void)user;
    return config_pin_matches(hash, pin) != 0;
}

static ui_config make_config(const kiosk_options *opt)
{
    ui_config cfg = ui_config_default();
    if (opt->lang)
        snprintf(cfg.default_lang, sizeof cfg.default_lang, "%s", opt->lang);
    if (opt->idle_reset_s >= 0)
        cfg.idle_reset_s = opt->idle_reset_s;
    cfg.dpi = opt->dpi;
    if (opt->text_size > 0)
        cfg.default_text_step = opt->text_size;
    if (opt->admin_pin)
        snprintf(cfg.admin_pin_hash, sizeof cfg.admin_pin_hash, "%s", opt->admin_pin);
    cfg.pin_check = pin_matches;
    return cfg;
}

/* What runs on a renderer: drawing, content and screens. */
typedef struct {
    render *r;
    store *s;
    ui *u;
} kiosk_app;

/* Starts the UI on an SDL renderer. No content is not a failure: the UI
 * then shows the out-of-service screen with the reason. */
static int app_start(kiosk_app *a, const kiosk_options *opt, SDL_Renderer *sdl, int w, int h, uint32_t now)
{
    char err[512], reason[512] = "";
    a->r = render_create(sdl, err, sizeof err);
    if (!a->r) {
        fprintf(stderr, "infopoint: %s\n", err);
        return -1;
    }
    a->s = open_content(opt, reason, sizeof reason);
    ui_config cfg = make_config(opt);
    a->u = ui_create(&cfg, a->s, reason, a->r, w, h, now);
    if (!a->u) {
        fprintf(stderr, "infopoint: out of memory\n");
        return -1;
    }
    return 0;
}

static void app_stop(kiosk_app *a)
{
    ui_destroy(a->u);
    store_close(a->s);
    render_destroy(a->r);
    *a = (kiosk_app){0};
}

/* ---- script replay (virtual time) ---------------------------------------- */

/* Advances virtual time to target, ticking the ui frame by frame as the real
 * loop would, and drawing when something changed (targets follow drawing). */
static void advance(ui *u, uint32_t *now, uint32_t target)
{
    while ((int32_t)(target - *now) > 0) {
        uint32_t step = target - *now > FRAME_MS ? FRAME_MS : target - *now;
        deadline d = ui_next_deadline(u, *now);
        /* Jump straight to the next deadline when nothing animates: a
         * 90-second wait costs a few calls, not 5600 frames. */
        if (!ui_dirty(u) && d.set && deadline_left(d, *now) > (int32_t)step)
            step = deadline_left(d, *now) < (int32_t)(target - *now) ? d.at - *now : target - *now;
        else if (!ui_dirty(u) && !d.set)
            step = target - *now;
        *now += step;
        ui_tick(u, *now);
        if (ui_dirty(u))
            ui_draw(u);
    }
}

static void tap(ui *u, uint32_t *now, float x, float y)
{
    ui_pointer_down(u, -1, x, y, *now);
    advance(u, now, *now + 60);
    ui_pointer_up(u, -1, x, y, *now);
    advance(u, now, *now + FRAME_MS);
}

static int type_text(ui *u, uint32_t *now, const char *text, char *err, size_t errcap)
{
    const char *p = text;
    while (*p) {
        size_t n = utf8_char_len(p);
        char ch[8] = {0};
        memcpy(ch, p, n < sizeof ch ? n : sizeof ch - 1);
        bool done = false;
        /* Up to a few presses: switch layout, shift, then the letter. */
        for (int tries = 0; tries < 6 && !done; tries++) {
            float x, y;
            if (ui_keyboard_locate(u, ch, &x, &y, &done) < 0) {
                snprintf(err, errcap, "cannot type '%s': no key for it on the on-screen keyboard", ch);
                return -1;
            }
            tap(u, now, x, y);
        }
        if (!done) {
            snprintf(err, errcap, "cannot type '%s'", ch);
            return -1;
        }
        p += n;
    }
    return 0;
}

static int play_step(ui *u, const script_step *st, uint32_t *now, char *err, size_t errcap)
{
    switch (st->op) {
    case SCRIPT_TAP:
        tap(u, now, st->x1, st->y1);
        return 0;
    case SCRIPT_LONGPRESS:
        ui_pointer_down(u, -1, st->x1, st->y1, *now);
        advance(u, now, *now + (uint32_t)st->ms);
        ui_pointer_up(u, -1, st->x1, st->y1, *now);
        advance(u, now, *now + FRAME_MS);
        return 0;
    case SCRIPT_DRAG: {
        int steps = st->ms / (int)FRAME_MS;
        if (steps < 2)
            steps = 2;
        ui_pointer_down(u, -1, st->x1, st->y1, *now);
        for (int i = 1; i <= steps; i++) {
            float f = (float)i / (float)steps;
            advance(u, now, *now + (uint32_t)st->ms / (uint32_t)steps + 1);
            ui_pointer_move(u, -1, st->x1 + (st->x2 - st->x1) * f, st->y1 + (st->y2 - st->y1) * f, *now);
        }
        ui_pointer_up(u, -1, st->x2, st->y2, *now);
        advance(u, now, *now + FRAME_MS);
        return 0;
    }
    case SCRIPT_WAIT:
        advance(u, now, *now + (uint32_t)st->ms);
        return 0;
    case SCRIPT_TYPE:
        return type_text(u, now, st->text, err, errcap);
    case SCRIPT_KEY:
        ui_key(u, st->text, *now);
        advance(u, now, *now + FRAME_MS);
        return 0;
    case SCRIPT_OPEN:
        if (ui_navigate(u, st->text, *now, err, errcap) < 0)
            return -1;
        advance(u, now, *now + FRAME_MS);
        return 0;
    case SCRIPT_TAPON: {
        float x, y;
        if (ui_locate_route(u, st->text, &x, &y) < 0) {
            snprintf(err, errcap, "nothing on screen leads to '%s'", st->text);
            return -1;
        }
        tap(u, now, x, y);
        return 0;
    }
    case SCRIPT_RESIZE:
        snprintf(err, errcap, "resize is only supported in a window");
        return -1;
    }
    return 0;
}

int kiosk_replay(ui *u, const script *sc, uint32_t *now, char *err, size_t errcap)
{
    char why[400];
    for (size_t i = 0; i < sc->n; i++) {
        if (play_step(u, &sc->steps[i], now, why, sizeof why) < 0) {
            snprintf(err, errcap, "line %d: %s", sc->steps[i].line, why);
            return -1;
        }
    }
    return 0;
}

void kiosk_settle(ui *u, uint32_t *now)
{
    /* Let flings, page turns and jumps come to rest before a picture. */
    uint32_t until = *now + SETTLE_MAX_MS;
    deadline d;
    while ((int32_t)(until - *now) > 0 && (d = ui_next_deadline(u, *now)).set &&
           deadline_left(d, *now) <= (int32_t)FRAME_MS)
        advance(u, now, *now + FRAME_MS);
}

/* ---- headless screenshot ------------------------------------------------- */

int kiosk_headless_open(kiosk_headless *k, const kiosk_options *opt, int w, int h, char *err, size_t errcap)
{
    memset(k, 0, sizeof *k);
    k->now = 1000;
    SDL_Surface *surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *sdl = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
    k->surface = surface;
    k->sdl = sdl;
    if (!sdl) {
        snprintf(err, errcap, "cannot create a %dx%d software renderer: %s", w, h, SDL_GetError());
        return -1;
    }
    kiosk_app a = {0};
    if (app_start(&a, opt, sdl, w, h, k->now) < 0) {
        snprintf(err, errcap, "cannot start the kiosk (see above)");
        app_stop(&a);
        return -1;
    }
    k->r = a.r;
    k->st = a.s;
    k->u = a.u;
    return 0;
}

void kiosk_headless_close(kiosk_headless *k)
{
    kiosk_app a = {k->r, k->st, k->u};
    app_stop(&a);
    if (k->sdl)
        SDL_DestroyRenderer(k->sdl);
    SDL_FreeSurface(k->surface);
    memset(k, 0, sizeof *k);
}

static int screenshot(const kiosk_options *opt)
{
    int w = opt->width > 0 ? opt->width : 800, h = opt->height > 0 ? opt->height : 480;
    int status = 1;
    char err[512] = "";
    script sc = {0};
    kiosk_headless k = {0};
    host *operator = NULL;

    if (opt->script && script_load(opt->script, &sc, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: script %s: %s\n", opt->script, err);
        return 2;
    }
    if (SDL_Init(0) < 0) {
        fprintf(stderr, "infopoint: SDL: %s\n", SDL_GetError());
        goto done;
    }
    if (kiosk_headless_open(&k, opt, w, h, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: %s\n", err);
        goto done;
    }
    /* The operator screen shows the real status of the state directory
     * (no sync runs in a screenshot, so its buttons show disabled). */
    operator = host_create(opt, NULL);
    if (operator) {
        ui_host cb = host_callbacks(operator);
        cb.restart = cb.exit_to_desktop = NULL;
        ui_set_host(k.u, &cb);
    }
    if (opt->open && ui_navigate(k.u, opt->open, k.now, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: cannot open route '%s': %s\n", opt->open, err);
        goto done;
    }
    ui_draw(k.u);
    if (kiosk_replay(k.u, &sc, &k.now, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: script %s %s\n", opt->script, err);
        goto done;
    }
    kiosk_settle(k.u, &k.now);
    ui_draw(k.u);
    if (render_save_png(k.sdl, w, h, opt->screenshot, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: %s\n", err);
        goto done;
    }
    char route[600];
    ui_current_route(k.u, route, sizeof route);
    printf("screenshot %s (%dx%d) route %s\n", opt->screenshot, w, h, route);
    status = 0;
done:
    kiosk_headless_close(&k);
    host_destroy(operator);
    script_free(&sc);
    SDL_Quit();
    return status;
}

/* ---- sync ---------------------------------------------------------------- */

/* The sync settings of the options; reads the pinned key. */
static int sync_config(const kiosk_options *opt, const char *url, sync_cfg *cfg, meta_key *key, char *err,
                       size_t errcap)
{
    if ((!url && !opt->usb_path) || !opt->trust || !opt->state_dir) {
        snprintf(err, errcap, "sync needs a repository URL, --trust FILE and --state DIR");
        return -1;
    }
    if (keys_read_public(opt->trust, key, err, errcap) < 0)
        return -1;
    memset(cfg, 0, sizeof *cfg);
    cfg->url = url;
    cfg->state_dir = opt->state_dir;
    cfg->trust = key;
    cfg->n_trust = 1;
    cfg->net.allow_http = opt->allow_http;
    cfg->net.ca_file = opt->ca_file;
    cfg->net.pin = opt->pin;
    cfg->net.low_speed_time_s = opt->stall_timeout_s;
    return 0;
}

int kiosk_sync_once(const kiosk_options *opt)
{
    sync_cfg cfg;
    meta_key key;
    char err[512];
    if (!opt->sync_url) {
        fprintf(stderr, "infopoint: --sync-once needs a repository URL or path\n");
        return 2;
    }
    if (sync_config(opt, opt->sync_url, &cfg, &key, err, sizeof err) < 0) {
        fprintf(stderr, "infopoint: %s\n", err);
        return 2;
    }
    fetch_global_init();
    /* One line: the result on stdout, or the reason on stderr (warnings,
     * such as damaged state, still show before it). */
    platform_log_set_level(PLATFORM_LOG_WARN);
    cfg.quiet = 1;
    sync_result res;
    sync_outcome out = sync_run(&cfg, &res);
    int ok = out == SYNC_INSTALLED || out == SYNC_CURRENT;
    fprintf(ok ? stdout : stderr, "infopoint: %s\n", res.message);
    return ok ? 0 : 1;
}

/* The worker's report, on its thread, as one SDL event for the main loop:
 * user.code the outcome, user.data1 a heap copy of the new bundle's path
 * (freed by swap_content). */
static void notify_main_loop(void *user, sync_outcome outcome, const char *bundle)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = (uint32_t)(uintptr_t)user;
    ev.user.code = (Sint32)outcome;
    ev.user.data1 = bundle ? strdup(bundle) : NULL;
    if (SDL_PushEvent(&ev) < 0)
        free(ev.user.data1);
}

/* Starts the scheduled sync of a window kiosk, when configured. */
static syncworker *start_sync(const kiosk_options *opt, meta_key *key, uint32_t event_type)
{
    if ((!opt->sync_url && !opt->usb_path) || !opt->state_dir)
        return NULL;
    syncworker_cfg cfg = {.usb_path = opt->usb_path};
    char err[512];
    if (sync_config(opt, opt->sync_url, &cfg.sync, key, err, sizeof err) < 0) {
        /* Without a repository URL this only means no USB import: worth a
         * line, not an error. */
        platform_log(opt->sync_url ? PLATFORM_LOG_ERROR : PLATFORM_LOG_INFO, "sync%s disabled: %s",
                     opt->sync_url ? "" : " from USB", err);
        return NULL;
    }
    schedule_defaults(&cfg.schedule);
    if (opt->sync_window &&
        schedule_parse_window(opt->sync_window, &cfg.schedule.window_start_min, &cfg.schedule.window_end_min) < 0)
        platform_log(PLATFORM_LOG_WARN, "sync window '%s' ignored", opt->sync_window);
    if (opt->sync_interval_s > 0) {
        cfg.schedule.interval_s = opt->sync_interval_s;
        if (cfg.schedule.first_delay_s > opt->sync_interval_s)
            cfg.schedule.first_delay_s = opt->sync_interval_s;
        if (cfg.schedule.backoff_min_s > opt->sync_interval_s)
            cfg.schedule.backoff_min_s = opt->sync_interval_s;
    }
    if (opt->sync_first_s > 0 && opt->sync_first_s <= cfg.schedule.interval_s)
        cfg.schedule.first_delay_s = opt->sync_first_s;
    cfg.notify = notify_main_loop;
    cfg.notify_user = (void *)(uintptr_t)event_type;
    fetch_global_init();
    syncworker *w = syncworker_start(&cfg, err, sizeof err);
    if (!w)
        platform_log(PLATFORM_LOG_ERROR, "sync disabled: %s", err);
    return w;
}

/* A sync installed a new bundle: open it and swap it in between frames. The
 * old bundle stays open until the new one has opened. */
static void swap_content(kiosk_app *a, const SDL_Event *ev)
{
    const char *path = ev->user.data1;
    if (!path)
        return;
    char reason[512];
    store_status st;
    store *s = store_open(path, &st, reason, sizeof reason);
    if (!s) {
        platform_log(PLATFORM_LOG_ERROR, "content: the new bundle does not open, keeping the old one: %s", reason);
    } else {
        ui_set_store(a->u, s, SDL_GetTicks());
        store_close(a->s);
        a->s = s;
        platform_log(PLATFORM_LOG_INFO, "content: now showing %s", path);
        service_status("showing %s", path);
    }
    free(ev->user.data1);
}

/* ---- the real window ---------------------------------------------------- */

/* SDL 2.26 blocks in SDL_WaitEventTimeout only where the video backend can
 * (X11, Wayland); elsewhere, notably KMSDRM on a Pi without X, it polls with
 * SDL_Delay(1): little CPU, but ~1000 wake-ups a second. We measure it once:
 * if a 60 ms wait wakes the process more than a few times, waits are replaced
 * by our own sleeps that lengthen while nobody touches the screen. */
typedef struct {
    bool polls;          /* the backend busy-polls inside WaitEventTimeout */
    uint32_t last_input; /* for the adaptive sleep */
    uint32_t close_at;   /* when the window manager last asked to close (+1) */
} waiter;

/* Voluntary context switches: times the process went to sleep and woke.
 * (Involuntary ones are preemptions by a busy machine, not wake-ups.) */
static long context_switches(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return ru.ru_nvcsw;
}

static void waiter_measure(waiter *wt)
{
    /* Start-up events (window shown, exposed) are kept aside and handed
     * back to the loop afterwards, so the wait really waits. */
    SDL_Event kept[32];
    int n_kept = 0;
    long before = context_switches();
    uint32_t t0 = SDL_GetTicks();
    while (SDL_GetTicks() - t0 < 60 && n_kept < 32) {
        int left = 60 - (int)(SDL_GetTicks() - t0);
        if (left > 0 && SDL_WaitEventTimeout(&kept[n_kept], left) == 1)
            n_kept++;
    }
    uint32_t waited = SDL_GetTicks() - t0;
    long woke = context_switches() - before - n_kept;
    for (int i = 0; i < n_kept; i++)
        SDL_PushEvent(&kept[i]);
    /* A blocking wait sleeps once or twice; a 1 ms poll loop wakes about
     * once per millisecond waited. */
    wt->polls = waited >= 20 && woke > (long)waited / 4;
    platform_log(PLATFORM_LOG_INFO, "video driver %s: %s (%ld wake-ups in a %u ms wait)", SDL_GetCurrentVideoDriver(),
                 wt->polls ? "polling wait, using adaptive sleep" : "blocking wait", woke, waited);
}

/* Waits for an event until d (or forever when d is unset). */
static int waiter_wait(waiter *wt, SDL_Event *ev, deadline d)
{
    uint32_t now = SDL_GetTicks();
    int32_t timeout = d.set ? deadline_left(d, now) : -1;
    if (d.set && timeout <= 0)
        return SDL_PollEvent(ev);
    if (!wt->polls)
        return d.set ? SDL_WaitEventTimeout(ev, timeout) : SDL_WaitEvent(ev);
    for (;;) {
        if (SDL_PollEvent(ev))
            return 1;
        now = SDL_GetTicks();
        if (d.set && deadline_left(d, now) <= 0)
            return 0;
        /* 8 ms right after input (a finger is likely still there), growing
         * to 250 ms after a few seconds of quiet: ~4 wake-ups a second idle. */
        uint32_t quiet = now - wt->last_input;
        uint32_t nap = quiet < 2000 ? 8 : quiet < 10000 ? 50 : 250;
        if (d.set && (uint32_t)deadline_left(d, now) < nap)
            nap = (uint32_t)deadline_left(d, now);
        SDL_Delay(nap);
    }
}

static void print_display_help(const char *why)
{
    fprintf(stderr,
            "infopoint: no display available (%s).\n"
            "  Run it in a desktop session, on the console with SDL_VIDEODRIVER=kmsdrm, or headless:\n"
            "  infopoint --screenshot out.png --size 800x480 [--open ROUTE]\n",
            why);
}

static void handle_event(ui *u, const SDL_Event *ev, int w, int h, bool windowed, bool *quit, waiter *wt)
{
    uint32_t now = SDL_GetTicks();
    switch (ev->type) {
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_CLOSE)
            wt->close_at = now + 1;
        break;
    case SDL_QUIT:
        /* In kiosk mode nobody at the screen may close it: a window close
         * (Alt+F4, a window manager's button) arrives as WINDOWEVENT_CLOSE
         * and then at once QUIT, and is ignored. A QUIT on its own comes
         * from SDL's SIGTERM/SIGINT handler: systemd stopping the service,
         * which must work. */
        if (windowed || !wt->close_at || now - (wt->close_at - 1) > 250)
            *quit = true;
        else
            platform_log(PLATFORM_LOG_INFO, "a request to close the window was ignored (kiosk mode)");
        wt->close_at = 0;
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: {
        float x = ev->tfinger.x * (float)w, y = ev->tfinger.y * (float)h;
        int64_t id = (int64_t)ev->tfinger.fingerId;
        wt->last_input = now;
        if (ev->type == SDL_FINGERDOWN)
            ui_pointer_down(u, id, x, y, now);
        else if (ev->type == SDL_FINGERMOTION)
            ui_pointer_move(u, id, x, y, now);
        else
            ui_pointer_up(u, id, x, y, now);
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* Mouse events synthesised from touches would count the finger twice. */
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            break;
        wt->last_input = now;
        if (ev->type == SDL_MOUSEBUTTONDOWN)
            ui_pointer_down(u, -1, (float)ev->button.x, (float)ev->button.y, now);
        else
            ui_pointer_up(u, -1, (float)ev->button.x, (float)ev->button.y, now);
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !(ev->motion.state & SDL_BUTTON_LMASK))
            break;
        wt->last_input = now;
        ui_pointer_move(u, -1, (float)ev->motion.x, (float)ev->motion.y, now);
        break;
    case SDL_KEYDOWN: {
        SDL_Keycode k = ev->key.keysym.sym;
        wt->last_input = now;
        if (windowed && (k == SDLK_ESCAPE || (k == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL))))
            *quit = true;
        else if (k == SDLK_BACKSPACE)
            ui_key(u, "backspace", now);
        else if (k == SDLK_RETURN)
            ui_key(u, "return", now);
        break;
    }
    case SDL_TEXTINPUT:
        wt->last_input = now;
        ui_text_input(u, ev->text.text, now);
        break;
    default:
        break;
    }
}

/* ---- screen-off hours ------------------------------------------------------ */

/* Blank-screen hours: inside the configured window, once the idle reset
 * time (or a minute) has passed without touch, the screen is drawn black
 * once and nothing more is drawn; the loop wakes once a minute to look at
 * the clock. A touch wakes the screen (that touch does nothing else). */
typedef struct {
    schedule_cfg window;  /* only the window fields are used */
    bool enabled;
    bool off;             /* the screen is blank now */
    uint32_t woken_at;    /* last input, SDL ticks */
    uint32_t after_ms;    /* untouched this long before the screen goes off */
} blanker;

static void blanker_init(blanker *b, const char *hours, int idle_s, uint32_t now)
{
    memset(b, 0, sizeof *b);
    b->woken_at = now;
    b->after_ms = idle_s > 0 ? (uint32_t)idle_s * 1000u : 60000u;
    schedule_defaults(&b->window);
    if (hours && schedule_parse_window(hours, &b->window.window_start_min, &b->window.window_end_min) == 0)
        b->enabled = true;
    else if (hours)
        platform_log(PLATFORM_LOG_WARN, "screen-off hours '%s' ignored", hours);
}

static int local_minute_now(void)
{
    time_t t = time(NULL);
    struct tm tm;
    return localtime_r(&t, &tm) ? tm.tm_hour * 60 + tm.tm_min : 0;
}

/* Turns the screen off when it is time. Returns true while it is off. */
static bool blanker_update(blanker *b, SDL_Renderer *sdl, uint32_t now)
{
    if (!b->enabled || b->off)
        return b->off;
    if (now - b->woken_at >= b->after_ms && schedule_in_window(&b->window, local_minute_now())) {
        SDL_SetRenderDrawColor(sdl, 0, 0, 0, 255);
        SDL_RenderClear(sdl);
        SDL_RenderPresent(sdl);
        b->off = true;
        platform_log(PLATFORM_LOG_INFO, "screen off (screen-off hours)");
        service_status("screen off");
    }
    return b->off;
}

/* Input arrived. Returns true when it only woke the screen (swallow it). */
static bool blanker_input(blanker *b, ui *u, int w, int h, uint32_t now)
{
    b->woken_at = now;
    if (!b->off)
        return false;
    b->off = false;
    ui_resize(u, w, h); /* everything is drawn again */
    platform_log(PLATFORM_LOG_INFO, "screen on (touched)");
    return true;
}

/* When the blanker must look at the clock again. */
static deadline blanker_deadline(const blanker *b, uint32_t now)
{
    if (!b->enabled)
        return deadline_none();
    deadline d = deadline_at(b->off ? now + 60000u : b->woken_at + b->after_ms);
    if (deadline_left(d, now) < 1000)
        d = deadline_at(now + 60000u); /* on, but outside the hours: look again in a minute */
    return d;
}

static bool is_input(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_KEYDOWN:
    case SDL_TEXTINPUT:
        return true;
    case SDL_MOUSEMOTION:
        return (ev->motion.state & SDL_BUTTON_LMASK) != 0;
    default:
        return false;
    }
}

static int run_window(const kiosk_options *opt)
{
    int status = 1;
    char err[512] = "";
    SDL_Window *win = NULL;
    SDL_Renderer *sdl = NULL;
    kiosk_app a = {0};
    syncworker *worker = NULL;
    host *operator = NULL;

    /* Video only: initialising joystick or sensor subsystems would make SDL
     * poll for events instead of blocking. */
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        print_display_help(SDL_GetError());
        return 1;
    }
    SDL_DisableScreenSaver();
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = opt->width > 0 ? opt->width : 1280, h = opt->height > 0 ? opt->height : 800;
    if (opt->windowed)
        flags |= SDL_WINDOW_RESIZABLE;
    else
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    win = SDL_CreateWindow("infopoint", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!win) {
        print_display_help(SDL_GetError());
        goto done;
    }
    sdl = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!sdl)
        sdl = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (!sdl) {
        fprintf(stderr, "infopoint: cannot create a renderer: %s\n", SDL_GetError());
        goto done;
    }
    if (!opt->windowed) {
        SDL_ShowCursor(SDL_DISABLE);
        /* On a desktop, keep Alt+Tab and the like for ourselves. */
        SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
        SDL_SetWindowKeyboardGrab(win, SDL_TRUE);
    }
    SDL_GetRendererOutputSize(sdl, &w, &h);
    if (app_start(&a, opt, sdl, w, h, SDL_GetTicks()) < 0)
        goto done;
    ui *u = a.u;
    if (opt->open && ui_navigate(u, opt->open, SDL_GetTicks(), err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_WARN, "cannot open route '%s': %s", opt->open, err);

    uint32_t sync_event = SDL_RegisterEvents(1);
    meta_key key;
    worker = start_sync(opt, &key, sync_event);
    operator = host_create(opt, worker);
    if (operator) {
        ui_host cb = host_callbacks(operator);
        ui_set_host(u, &cb);
    }
    waiter wt = {.last_input = SDL_GetTicks()};
    waiter_measure(&wt);
    service_init(SDL_GetTicks());
    blanker blank;
    blanker_init(&blank, opt->screen_off, opt->idle_reset_s >= 0 ? opt->idle_reset_s : 90, SDL_GetTicks());
    bool quit = false, ready = false;
    while (!quit) {
        uint32_t now = SDL_GetTicks();
        bool off = blanker_update(&blank, sdl, now);
        if (!off) {
            ui_tick(u, now);
            if (ui_dirty(u)) {
                ui_draw(u);
                SDL_RenderPresent(sdl);
            }
        }
        if (!ready) {
            service_ready(a.s ? "showing content" : "out of service: no content opens");
            ready = true;
        }
        service_tick(SDL_GetTicks());
        now = SDL_GetTicks();
        deadline d = off ? deadline_none() : ui_next_deadline(u, now);
        d = deadline_min(d, service_deadline(), now);
        d = deadline_min(d, blanker_deadline(&blank, now), now);
        SDL_Event ev;
        if (!waiter_wait(&wt, &ev, d))
            continue;
        do {
            if (ev.type == SDL_WINDOWEVENT && (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
                                               ev.window.event == SDL_WINDOWEVENT_EXPOSED)) {
                SDL_GetRendererOutputSize(sdl, &w, &h);
                ui_resize(u, w, h);
            }
            if (ev.type == sync_event && sync_event != (uint32_t)-1) {
                swap_content(&a, &ev);
                ui_host_changed(u);
            } else if (is_input(&ev) && blanker_input(&blank, u, w, h, SDL_GetTicks())) {
                continue; /* the touch that wakes the screen does nothing else */
            } else {
                handle_event(u, &ev, w, h, opt->windowed, &quit, &wt);
            }
        } while (SDL_PollEvent(&ev));
        if (operator && host_pending(operator) != HOST_RUN)
            quit = true;
    }
    status = 0;
    if (operator && host_pending(operator) == HOST_EXIT_TO_DESKTOP)
        status = HOST_EXIT_TO_DESKTOP_STATUS;
    else if (operator && host_pending(operator) == HOST_RESTART)
        status = KIOSK_RESTART;
done:
    syncworker_stop(worker);
    host_destroy(operator);
    app_stop(&a);
    if (sdl)
        SDL_DestroyRenderer(sdl);
    if (win)
        SDL_DestroyWindow(win);
    SDL_Quit();
    return status;
}

int kiosk_main(const kiosk_options *opt)
{
    if (opt->screenshot)
        return screenshot(opt);
    int status = run_window(opt);
    if (status == KIOSK_RESTART) {
        /* The operator's "restart": the same program with the same
         * options, as a fresh process image (also without systemd). */
        platform_log(PLATFORM_LOG_INFO, "restarting");
        if (opt->argv)
            execv("/proc/self/exe", opt->argv);
        platform_log(PLATFORM_LOG_ERROR, "cannot restart: %s", strerror(errno));
        status = 0; /* systemd's Restart=always starts us again */
    }
    return status;
}
