#include "window.h"

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "blanker.h"
#include "events.h"
#include "glprobe.h"
#include "host.h"
#include "platform.h"
#include "service.h"
#include "sigwatch.h"
#include "sndwatch.h"
#include "syncwire.h"
#include "preview.h"
#include "reportwire.h"
#include "usagewire.h"
#include "waiter.h"

/* Window size when --size is not given (a full-screen window takes the
 * display's). */
#define WINDOW_W 1280
#define WINDOW_H 800

/* Everything a running window kiosk holds. */
typedef struct {
    const config *c;
    const kiosk_args *args;
    SDL_Window *win;
    SDL_Renderer *sdl;
    int w, h;               /* renderer output size */
    app a;
    syncwire *sync;         /* NULL: no sync configured */
    usagewire *usage;       /* NULL: no usage counters */
    reportwire *report;     /* NULL: no check-in reports */
    preview *preview;       /* --preview: the folder's builds; else NULL */
    host *operator;
    sigwatch *signals;
    glprobe *probe;         /* asking whether GL is software; NULL: not asked */
    bool no_gpu;            /* no /dev/dri: GL could only be software */
    uint32_t stop_event;    /* pushed by the signal watcher */
    sndwatch *outputs;      /* on ALSA: audio outputs plugged in and out; else NULL (SDL tells) */
    uint32_t output_event;  /* pushed by it: code 1 added, 0 removed; data1, data2: card, device */
    bool voice_routed;      /* speech plays to this card's device (follow_output): */
    unsigned voice_card, voice_dev;
    waiter wt;
    blanker blank;
    bool stop;              /* leave the loop */
} kiosk_window;

static void print_display_help(const char *why)
{
    fprintf(stderr,
            "infopoint: no display available (%s).\n"
            "  Run it in a desktop session, on the console with SDL_VIDEODRIVER=kmsdrm, or headless:\n"
            "  infopoint --screenshot out.png --size 800x480 [--open ROUTE]\n",
            why);
}

/* On the watcher's thread: one event the loop reads as "stop". */
static void push_stop(void *user, int signo)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = (uint32_t)(uintptr_t)user;
    ev.user.code = signo;
    SDL_PushEvent(&ev);
}

/* SDL's drivers that draw into memory and show nothing. */
static bool invisible_driver(const char *name)
{
    return name && (!strcmp(name, "offscreen") || !strcmp(name, "dummy"));
}

/* Drivers that present through a desktop's GL, where Mesa may be a
 * software rasteriser. */
static bool desktop_driver(const char *name)
{
    return name && (!strcmp(name, "x11") || !strcmp(name, "wayland"));
}

/* The GL question is asked unless whoever started us chose a renderer or
 * a driver that is not a desktop's (glprobe.h says why it is asked). */
static bool want_probe(void)
{
    if (getenv("SDL_RENDER_DRIVER") || getenv("SDL_FRAMEBUFFER_ACCELERATION"))
        return false;
    const char *v = getenv("SDL_VIDEODRIVER");
    return !v || !v[0] || desktop_driver(v);
}

/* True when the window should be drawn without GL: the probe found a
 * software rasteriser or no GL at all. Logs the decision once. */
static bool draw_without_gl(kiosk_window *kw)
{
    if (kw->no_gpu) {
        platform_log(PLATFORM_LOG_INFO, "no GPU device (/dev/dri): drawing without GL");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        return true;
    }
    if (!kw->probe)
        return false;
    char name[128];
    glprobe_kind kind = glprobe_finish(kw->probe, 3000, name, sizeof name);
    kw->probe = NULL;
    if (kind == GLPROBE_HARDWARE) {
        platform_log(PLATFORM_LOG_INFO, "GL renderer %s: drawing with it", name);
        return false;
    }
    if (kind == GLPROBE_SOFTWARE)
        platform_log(PLATFORM_LOG_INFO, "GL renderer %s is a software rasteriser: drawing without GL", name);
    else
        platform_log(PLATFORM_LOG_INFO, "no GL renderer answered: drawing without GL");
    /* SDL's software renderer would still present through GL unless told. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    return true;
}

/* Runs on the sound watcher's thread: one event for the main loop. */
static void output_changed(void *user, bool added, const char *name)
{
    const kiosk_window *kw = user;
    unsigned card, dev;
    if (sndwatch_output_numbers(name, &card, &dev) < 0)
        return;
    SDL_Event ev = {.type = kw->output_event};
    ev.user.code = added ? 1 : 0;
    ev.user.data1 = (void *)(uintptr_t)card;
    ev.user.data2 = (void *)(uintptr_t)dev;
    platform_log(PLATFORM_LOG_DEBUG, "sound device %s %s", name, added ? "appeared" : "went");
    SDL_PushEvent(&ev);
}

/* SDL's ALSA backend would poll for new devices ten times a second while
 * its audio subsystem is up: the kernel tells sndwatch instead, and SDL's
 * audio is up only while something is read aloud (the speech thread holds
 * it then). */
static void watch_outputs_without_sdl(kiosk_window *kw)
{
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    char err[256];
    kw->output_event = SDL_RegisterEvents(1);
    if (kw->output_event != (uint32_t)-1)
        kw->outputs = sndwatch_start("/dev/snd", output_changed, kw, err, sizeof err);
    if (!kw->outputs) {
        platform_log(PLATFORM_LOG_WARN, "no audio outputs to watch: headphones cannot start speech mode (%s)",
                     kw->output_event == (uint32_t)-1 ? "no SDL event left" : err);
        kw->output_event = 0;
        return;
    }
    platform_log(PLATFORM_LOG_INFO, "headphones start speech mode (audio: alsa, devices in /dev/snd watched)");
}

/* Headphones plugged in start speech mode: SDL reports audio outputs
 * only with its audio subsystem up (no device is opened: the speech
 * thread opens one when something is first read). The outputs present at
 * start are reported as "added" too, at once: they are dropped, since
 * only a device plugged in while the kiosk runs means someone came. */
static void watch_audio_outputs(kiosk_window *kw)
{
    if (!kw->c->headphone_speech)
        return;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
        platform_log(PLATFORM_LOG_WARN, "no audio: headphones cannot start speech mode (%s)", SDL_GetError());
        return;
    }
    SDL_PumpEvents();
    SDL_FlushEvent(SDL_AUDIODEVICEADDED);
    const char *driver = SDL_GetCurrentAudioDriver();
    if (driver && !strcmp(driver, "alsa")) {
        watch_outputs_without_sdl(kw);
        return;
    }
    /* PulseAudio and PipeWire tell SDL of new devices without polling. */
    platform_log(PLATFORM_LOG_INFO, "headphones start speech mode (audio: %s)", driver ? driver : "?");
}

/* Video (and audio, watch_audio_outputs): initialising joystick or sensor
 * subsystems would make SDL poll for events instead of blocking. SIGTERM and SIGINT are ours. */
static int init_sdl(kiosk_window *kw)
{
    sigwatch_block(); /* before SDL or anything else starts a thread */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (want_probe()) {
        /* No GPU device at all: Mesa can only rasterise in software, and
         * that is known without the probe's 0.2 s. */
        kw->no_gpu = access("/dev/dri", F_OK) != 0;
        if (!kw->no_gpu) /* it runs while SDL starts */
            kw->probe = glprobe_start("/proc/self/exe");
    }
    if (SDL_Init(SDL_INIT_VIDEO) < 0) {
        glprobe_cancel(kw->probe);
        print_display_help(SDL_GetError());
        return -1;
    }
    /* With no display SDL falls back to drivers that show nothing: a kiosk
     * (or `make run`) would run invisibly until killed. Only tests ask for
     * them, by name. */
    if (invisible_driver(SDL_GetCurrentVideoDriver()) && !getenv("SDL_VIDEODRIVER")) {
        glprobe_cancel(kw->probe);
        kw->probe = NULL;
        print_display_help("only SDL's invisible driver started");
        SDL_Quit();
        return -1;
    }
    if (!desktop_driver(SDL_GetCurrentVideoDriver())) {
        glprobe_cancel(kw->probe); /* KMSDRM and the like: the GPU path stays */
        kw->probe = NULL;
        kw->no_gpu = false;
    }
    kw->stop_event = SDL_RegisterEvents(1);
    if (kw->stop_event != (uint32_t)-1) {
        kw->signals = sigwatch_start(push_stop, (void *)(uintptr_t)kw->stop_event);
    } else {
        /* No event to carry a stop: the signals' default action it is. */
        platform_log(PLATFORM_LOG_ERROR, "no SDL event type left: SIGTERM/SIGINT end the program at once");
        sigwatch_unblock();
    }
    SDL_DisableScreenSaver();
    watch_audio_outputs(kw);
    return 0;
}

static int open_window(kiosk_window *kw)
{
    const config *c = kw->c;
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = kw->args->width > 0 ? kw->args->width : WINDOW_W, h = kw->args->height > 0 ? kw->args->height : WINDOW_H;
    if (c->windowed)
        flags |= SDL_WINDOW_RESIZABLE;
    else
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    kw->win = SDL_CreateWindow("infopoint", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!kw->win) {
        print_display_help(SDL_GetError());
        return -1;
    }
    if (!draw_without_gl(kw))
        kw->sdl = SDL_CreateRenderer(kw->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!kw->sdl)
        kw->sdl = SDL_CreateRenderer(kw->win, -1, SDL_RENDERER_SOFTWARE);
    if (!kw->sdl) {
        fprintf(stderr, "infopoint: cannot create a renderer: %s\n", SDL_GetError());
        return -1;
    }
    if (!c->windowed) {
        SDL_ShowCursor(SDL_DISABLE);
        /* On a desktop, keep Alt+Tab and the like for ourselves. */
        SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
        SDL_SetWindowKeyboardGrab(kw->win, SDL_TRUE);
    }
    SDL_GetRendererOutputSize(kw->sdl, &kw->w, &kw->h);
    return 0;
}

/* The ui on its content, the sync worker, the operator's host, the wait,
 * the watchdog and the screen-off hours. */
static int start_kiosk(kiosk_window *kw)
{
    char err[512];
    const char *bundle = kw->args->bundle;
    if (kw->args->preview) {
        if (!(kw->preview = preview_start(kw->args->preview, err, sizeof err))) {
            fprintf(stderr, "infopoint: --preview: %s\n", err);
            return -1;
        }
        bundle = preview_bundle(kw->preview);
    }
    if (app_start(&kw->a, kw->c, bundle, kw->sdl, kw->w, kw->h, SDL_GetTicks()) < 0)
        return -1;
    if (kw->preview)
        preview_attach(kw->preview, &kw->a);
    const char *route = kw->args->open;
    if (route && ui_navigate(kw->a.u, route, SDL_GetTicks(), err, sizeof err) < 0)
        platform_log(PLATFORM_LOG_WARN, "cannot open route '%s': %s", route, err);
    kw->sync = syncwire_start(kw->c);
    kw->usage = usagewire_start(kw->c, kw->a.u);
    kw->report = reportwire_start(kw->c, SDL_GetTicks());
    kw->operator = host_create(kw->c, syncwire_worker(kw->sync));
    if (kw->operator) {
        host_set_usage(kw->operator, kw->usage);
        ui_host cb = host_callbacks(kw->operator);
        ui_set_host(kw->a.u, &cb);
    }
    waiter_init(&kw->wt);
    service_init(SDL_GetTicks());
    blanker_init(&kw->blank, kw->c, SDL_GetTicks());
    return 0;
}

/* Nobody is using the kiosk: untouched for the idle time (90 s when the
 * reset is off), on the home screen, which is lit (a picture is drawn). */
static bool idle_at_home(const kiosk_window *kw, uint32_t now)
{
    char route[16];
    uint32_t quiet_ms = (uint32_t)(kw->c->idle_reset_s > 0 ? kw->c->idle_reset_s : 90) * 1000u;
    ui_current_route(kw->a.u, route, sizeof route);
    return !kw->blank.off && now - kw->wt.last_input >= quiet_ms && !strcmp(route, "home");
}

/* Draws a frame when something changed; nothing while the screen is off.
 * Returns true while it is off. */
static bool draw_frame(kiosk_window *kw)
{
    uint32_t now = SDL_GetTicks();
    usagewire_tick(kw->usage, now);
    reportwire_tick(kw->report, &kw->a, kw->sdl, kw->w, kw->h, idle_at_home(kw, now), now);
    if (blanker_update(&kw->blank, kw->sdl, now))
        return true;
    ui_tick(kw->a.u, now);
    if (ui_dirty(kw->a.u)) {
        ui_draw(kw->a.u);
        SDL_RenderPresent(kw->sdl);
    }
    return false;
}

/* When the loop must wake up without input: the ui (not while the screen
 * is off), the watchdog, the screen-off hours, counts waiting to be written,
 * the next check-in report. */
static deadline next_wake(kiosk_window *kw, bool off)
{
    service_tick(SDL_GetTicks());
    uint32_t now = SDL_GetTicks();
    deadline d = off ? deadline_none() : ui_next_deadline(kw->a.u, now);
    d = deadline_min(d, service_deadline(), now);
    d = deadline_min(d, usagewire_deadline(kw->usage, now), now);
    d = deadline_min(d, reportwire_deadline(kw->report, now), now);
    return deadline_min(d, blanker_deadline(&kw->blank, now), now);
}

/* Private listening: on plain ALSA the default output stays card 0 (the
 * kiosk's speaker) when a USB headset comes as card 1, so speech plays to
 * the output plugged in last, by its ALSA name, while it is there, and to
 * the default again once it is pulled. The ui's speech mode starts and
 * ends on the same event (events.c). */
static void follow_output(kiosk_window *kw, const SDL_Event *ev)
{
    unsigned card = (unsigned)(uintptr_t)ev->user.data1, dev = (unsigned)(uintptr_t)ev->user.data2;
    if (ev->user.code == 1) {
        char name[64];
        sndwatch_alsa_name("/proc/asound", card, dev, name, sizeof name);
        platform_log(PLATFORM_LOG_INFO, "speech plays to %s (card %u plugged in)", name, card);
        speech_set_output(kw->a.voice, name);
        kw->voice_routed = true;
        kw->voice_card = card;
        kw->voice_dev = dev;
    } else if (kw->voice_routed && card == kw->voice_card && dev == kw->voice_dev) {
        platform_log(PLATFORM_LOG_INFO, "speech plays to the default output (card %u pulled out)", card);
        speech_set_output(kw->a.voice, NULL);
        kw->voice_routed = false;
    }
}

static void dispatch(kiosk_window *kw, const SDL_Event *ev)
{
    uint32_t now = SDL_GetTicks();
    if (ev->type == SDL_WINDOWEVENT &&
        (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED || ev->window.event == SDL_WINDOWEVENT_EXPOSED)) {
        SDL_GetRendererOutputSize(kw->sdl, &kw->w, &kw->h);
        ui_resize(kw->a.u, kw->w, kw->h);
    }
    if (ev->type == kw->stop_event) {
        platform_log(PLATFORM_LOG_INFO, "stopping");
        kw->stop = true;
        return;
    }
    if (preview_handle(kw->preview, ev, &kw->a))
        return;
    if (syncwire_handle(kw->sync, ev, &kw->a)) {
        reportwire_sync_turn(kw->report, now);
        return;
    }
    if (events_is_input(ev) && blanker_input(&kw->blank, kw->a.u, kw->w, kw->h, now))
        return; /* the touch that wakes the screen does nothing else */
    if (kw->output_event && ev->type == kw->output_event)
        follow_output(kw, ev);
    events_config ec = {kw->w, kw->h, kw->c->windowed, kw->c->headphone_speech, kw->output_event};
    events_result r = events_dispatch(kw->a.u, ev, &ec, now);
    if (r == EVENTS_INPUT)
        waiter_input(&kw->wt, now);
    else if (r == EVENTS_QUIT)
        kw->stop = true;
}

/* Draw, sleep, handle what woke us; until a stop or an operator request.
 * systemd hears READY=1 once the first frame is on the screen. */
static void loop(kiosk_window *kw)
{
    bool ready = false;
    while (!kw->stop) {
        bool off = draw_frame(kw);
        if (!ready) {
            service_ready(kw->a.s ? "showing content" : "out of service: no content opens");
            ready = true;
        }
        deadline d = next_wake(kw, off);
        SDL_Event ev;
        if (!waiter_wait(&kw->wt, &ev, d))
            continue;
        do
            dispatch(kw, &ev);
        while (SDL_PollEvent(&ev));
        if (kw->operator && host_pending(kw->operator) != HOST_RUN)
            kw->stop = true;
    }
}

static int exit_status(const kiosk_window *kw)
{
    switch (kw->operator ? host_pending(kw->operator) : HOST_RUN) {
    case HOST_EXIT_TO_DESKTOP:
        return HOST_EXIT_TO_DESKTOP_STATUS;
    case HOST_RESTART:
        return WINDOW_RESTART;
    case HOST_RUN:
        break;
    }
    return 0;
}

static void close_window(kiosk_window *kw)
{
    glprobe_cancel(kw->probe); /* the window failed before it was asked */
    sigwatch_stop(kw->signals);
    sndwatch_stop(kw->outputs);
    syncwire_stop(kw->sync);
    reportwire_stop(kw->report);
    usagewire_stop(kw->usage);
    host_destroy(kw->operator);
    app_stop(&kw->a);
    preview_stop(kw->preview); /* after the store on its file is closed */
    if (kw->sdl)
        SDL_DestroyRenderer(kw->sdl);
    if (kw->win)
        SDL_DestroyWindow(kw->win);
    SDL_Quit();
}

int window_run(const config *c, const kiosk_args *args)
{
    kiosk_window kw = {.c = c, .args = args};
    int status = 1;
    if (init_sdl(&kw) < 0)
        return 1;
    if (open_window(&kw) == 0 && start_kiosk(&kw) == 0) {
        loop(&kw);
        status = exit_status(&kw);
    }
    close_window(&kw);
    return status;
}
