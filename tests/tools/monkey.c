/* monkey — the soak run: a seeded random "monkey" uses a headless kiosk for
 * a long time, and the run fails on a crash, a broken invariant or memory
 * that keeps growing.
 *
 *   monkey --bundle A [--bundle B] [--events N] [--seed S] [--size WxH]
 *          [--idle-every K] [--swap-every M] [--max-growth-kb KB]
 *          [--idle-reset S] [--start-ms T]
 *          [--lost-releases] [--raw-text] [--trace]
 *
 * The kiosk is the real one (headless_open: software renderer, fonts,
 * store, ui) driven through the ui's public input functions in virtual time,
 * frame by frame as the kiosk loop drives it: ui_tick every 16 ms while
 * something moves, ui_draw when dirty, a jump to the next deadline when
 * nothing does. One event is one whole gesture or action:
 *
 *   taps anywhere; taps on what is drawn (ui_locate_route on a route of
 *   either bundle, ui_keyboard_locate for a key of the on-screen keyboard);
 *   slow drags, flings and swipes; long presses; two-finger touches; a
 *   physical keyboard's keys and text (Kazakh, Russian, Latin, emoji, FTS
 *   syntax, invalid UTF-8); ui_navigate to routes good and bad; language
 *   switches; short and medium waits; odd pointer input (a release or a
 *   move of a finger that never went down, positions off the screen, the
 *   same finger down twice); the operator's way in (the hidden corner
 *   press, the PIN keypad with the right PIN or wrong ones, the operator
 *   screens and their buttons, on a real host without a sync worker).
 *
 * After every tick the ui must not ask to be woken at once again (a deadline
 * already due makes the kiosk loop spin). Every K events virtual time jumps
 * past the idle reset; the kiosk must then be clean (home, default language,
 * no message) and still answer a tap. Every M events the other bundle is
 * opened and swapped in as the sync worker does (store_open, ui_set_store,
 * store_close of the old one). Virtual time starts an hour before the 32-bit
 * millisecond clock wraps, so every run also crosses the wrap-around of a
 * kiosk that has been up for 49.7 days.
 *
 * Memory is read at every tenth of the run, each time in the same state: an
 * idle gap (clean home screen), then a content swap (empty render caches, as
 * after every update). Three figures: VmRSS as it is; VmRSS after
 * malloc_trim(0), which hands back the free memory glibc keeps (which pages
 * it keeps depends on the heap's history, so the first figure swings by a
 * megabyte between two runs of the same events); and malloc's bytes in use.
 * Growth is from the first tenth (the warm-up) to the end; the run fails
 * when the trimmed RSS grew by --max-growth-kb or more (0: report only).
 * Under ASan only VmRSS is printed (inflated by shadow memory and the
 * quarantine, so the limit is checked in a plain build), and LeakSanitizer
 * checks after the warm-up, before teardown, and again at exit.
 *
 * Off by default, each found a fault (see BENCHMARKS.md, "Soak"):
 * --lost-releases leaves fingers down for good (SDL lost the release);
 * --raw-text also types control characters, which SDL never sends as text.
 *
 * Deterministic: the same seed, options and bundles give the same events.
 * On a failure the last events are printed with their numbers; --trace
 * prints every event. Exit 0 when everything held, 1 on a failure, 2 on
 * bad usage. */
#include <SDL.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config.h"
#include "host.h"
#include "headless.h"
#include "platform.h"
#include "route.h"
#include "store.h"
#include "ui.h"

#if defined(__SANITIZE_ADDRESS__)
#define MONKEY_ASAN 1
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#else
#define MONKEY_ASAN 0
#endif

/* The operator PIN of the soak kiosk. */
#define MONKEY_PIN "2468"
/* A frame at 60 Hz, as the kiosk loop and script replay step. */
#define FRAME_MS 16u
/* Routes collected from the bundles for navigation and targeted taps. */
#define MAX_ROUTES 2048
#define ROUTE_CAP (ROUTE_STRING_MAX + 1)
/* Recent events kept for the failure report. */
#define RING 32
#define EVENT_TEXT 200
/* Readings of the memory (one per tenth of the run, plus the start). */
#define CHECKPOINTS 10

typedef struct {
    const char *bundles[2];
    int n_bundles;
    long events;          /* events to run */
    uint64_t seed;
    int width, height;
    long idle_every;      /* an idle gap every this many events */
    long swap_every;      /* a content swap every this many events */
    long max_growth_kb;   /* fail at this RSS growth after warm-up; 0: report only */
    int idle_reset_s;
    uint32_t start_ms;    /* virtual clock at the first event */
    bool lost_releases;   /* also leave fingers down for good (SDL lost the release) */
    bool raw_text;        /* also type control characters (SDL filters them) */
    bool trace;
} monkey_options;

/* The kinds of event (one_event), with their names for the summary. */
enum { K_TAP, K_TARGET, K_KEYBOARD, K_DRAG, K_FLING, K_LONG, K_TWO, K_KEYS, K_NAV, K_LANG, K_WAIT, K_WAIT_MEDIUM,
       K_ODD, K_OPERATOR, K_LOST, K__COUNT };
static const char *const kind_names[K__COUNT] = {
    "tap", "tap-on-target", "keyboard-key", "drag", "fling", "long-press", "two-fingers", "keys-text",
    "navigate", "language", "wait", "wait-medium", "odd-pointer", "operator", "lost-release",
};
/* Relative weights: mostly taps and scrolling, as at a real kiosk; lost
 * releases only with --lost-releases. */
static const int kind_weights[K__COUNT] = {22, 18, 8, 10, 10, 4, 4, 5, 8, 2, 5, 1, 3, 2, 1};

typedef struct {
    long rss_kb;          /* VmRSS as read */
    long trimmed_kb;      /* VmRSS after malloc_trim(0); -1 under ASan */
    long heap_kb;         /* malloc bytes in use; -1 under ASan */
    long cache_kb;        /* the render caches */
} mem_reading;

typedef struct {
    monkey_options o;
    headless k;
    uint64_t rng;
    int bundle;                       /* index of the bundle shown */
    char (*routes)[ROUTE_CAP];        /* navigable routes of both bundles */
    int n_routes;
    int64_t next_finger;              /* SDL touch ids only ever grow */
    long event;                       /* number of the event under way */
    char ring[RING][EVENT_TEXT];
    long ring_n;
    int failures;
    /* What happened. */
    long swaps, idle_gaps, clean_checks;
    uint64_t virtual_ms;              /* virtual time that passed */
    int busy_wakeups;                 /* consecutive ticks with a deadline already due */
    long kinds[K__COUNT];             /* events of each kind */
    bool voice_on;                    /* the virtual voice is reading */
    uint32_t voice_id, voice_t0;
} monkey;

/* ---- random numbers (splitmix64: tiny, seedable, good enough) ------------ */

static uint64_t rnd(monkey *m)
{
    uint64_t z = (m->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int rnd_int(monkey *m, int n)
{
    return n > 0 ? (int)(rnd(m) % (uint64_t)n) : 0;
}

/* Uniform in [lo, hi]. */
static int rnd_range(monkey *m, int lo, int hi)
{
    return lo + rnd_int(m, hi - lo + 1);
}

static float rnd_x(monkey *m)
{
    return (float)rnd_int(m, m->o.width * 16) / 16.0f;
}

static float rnd_y(monkey *m)
{
    return (float)rnd_int(m, m->o.height * 16) / 16.0f;
}

/* ---- event log and failures -------------------------------------------- */

static void note(monkey *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(monkey *m, const char *fmt, ...)
{
    char *line = m->ring[m->ring_n++ % RING];
    int n = snprintf(line, EVENT_TEXT, "#%ld ", m->event);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, EVENT_TEXT - (size_t)n, fmt, ap);
    va_end(ap);
    if (m->o.trace)
        fprintf(stderr, "monkey: %s\n", line);
}

static void dump_ring(monkey *m)
{
    long first = m->ring_n > RING ? m->ring_n - RING : 0;
    fprintf(stderr, "monkey: the last events (seed %llu):\n", (unsigned long long)m->o.seed);
    for (long i = first; i < m->ring_n; i++)
        fprintf(stderr, "  %s\n", m->ring[i % RING]);
}

static void fail(monkey *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(monkey *m, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "monkey: FAIL at event %ld (seed %llu): %s\n", m->event, (unsigned long long)m->o.seed, msg);
    if (m->failures++ == 0)
        dump_ring(m);
}

#if MONKEY_ASAN
/* A sanitizer report ends the process: say which events led there. */
static monkey *the_monkey;
static void on_sanitizer_death(void)
{
    if (the_monkey)
        dump_ring(the_monkey);
}
#endif

/* ---- time ---------------------------------------------------------------- */

/* Lets virtual time run to target as the kiosk loop would: a tick (and a
 * draw when dirty) every frame while something moves, else straight to the
 * next deadline. */
static void advance_to(monkey *m, uint32_t target)
{
    ui *u = m->k.u;
    uint32_t *now = &m->k.now;
    while ((int32_t)(target - *now) > 0) {
        uint32_t step = target - *now > FRAME_MS ? FRAME_MS : target - *now;
        deadline d = ui_next_deadline(u, *now);
        if (!ui_dirty(u)) {
            if (!d.set)
                step = target - *now;
            else if (deadline_left(d, *now) > (int32_t)step)
                step = deadline_left(d, *now) < (int32_t)(target - *now) ? d.at - *now : target - *now;
        }
        *now += step;
        m->virtual_ms += step;
        ui_tick(u, *now);
        if (ui_dirty(u))
            ui_draw(u);
        /* Right after a tick nothing can be due yet: a deadline at or before
         * now makes the kiosk loop poll without sleeping, a core at 100 %. */
        d = ui_next_deadline(u, *now);
        if (!ui_dirty(u) && d.set && deadline_left(d, *now) <= 0) {
            if (++m->busy_wakeups == 3)
                fail(m, "the ui asks to be woken again at once, frame after frame (deadline %d ms ago): "
                        "the kiosk loop would spin",
                     (int)-deadline_left(d, *now));
        } else {
            m->busy_wakeups = 0;
        }
    }
}

static void advance(monkey *m, uint32_t ms)
{
    advance_to(m, m->k.now + ms);
}

/* ---- pointer gestures ---------------------------------------------------- */

static int64_t new_finger(monkey *m)
{
    /* The mouse (-1) now and then, else a fresh touch id as evdev gives. */
    return rnd_int(m, 8) == 0 ? -1 : m->next_finger++;
}

static void tap_at(monkey *m, int64_t id, float x, float y, uint32_t hold_ms)
{
    ui_pointer_down(m->k.u, id, x, y, m->k.now);
    advance(m, hold_ms);
    ui_pointer_up(m->k.u, id, x, y, m->k.now);
    advance(m, FRAME_MS);
}

/* A straight drag from (x0, y0) to (x1, y1) over ms, one move per frame. */
static void drag(monkey *m, float x0, float y0, float x1, float y1, uint32_t ms)
{
    int64_t id = new_finger(m);
    int steps = (int)(ms / FRAME_MS) + 1;
    ui_pointer_down(m->k.u, id, x0, y0, m->k.now);
    for (int i = 1; i <= steps; i++) {
        advance(m, FRAME_MS);
        float t = (float)i / (float)steps;
        ui_pointer_move(m->k.u, id, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, m->k.now);
    }
    ui_pointer_up(m->k.u, id, x1, y1, m->k.now);
    advance(m, FRAME_MS);
}

static void ev_tap(monkey *m)
{
    float x = rnd_x(m), y = rnd_y(m);
    uint32_t hold = (uint32_t)rnd_range(m, 30, 250);
    note(m, "tap %.1f,%.1f hold %u", x, y, hold);
    tap_at(m, new_finger(m), x, y, hold);
}

/* A tap on something the screen shows that leads to one of the routes (or
 * a top-bar button): a few random candidates, the first one on screen. */
static void ev_tap_target(monkey *m)
{
    static const char *const bar[] = {
        "@home", "@back", "@lang", "@text-size", "search", "@close", "@pin-0", "@pin-5", "@pin-delete",
        "@pin-ok", "@sync-now", "@import-usb", "@restart", "@exit", "@touch-test", "@test-pattern",
        "@confirm", "@cancel",
    };
    int n_bar = (int)(sizeof bar / sizeof *bar);
    for (int tries = 0; tries < 12; tries++) {
        const char *name = rnd_int(m, 3) == 0 ? bar[rnd_int(m, n_bar)] : m->routes[rnd_int(m, m->n_routes)];
        float x, y;
        if (ui_locate_route(m->k.u, name, &x, &y) == 0) {
            note(m, "tapon %s at %.1f,%.1f", name, x, y);
            tap_at(m, new_finger(m), x, y, (uint32_t)rnd_range(m, 40, 120));
            return;
        }
    }
    ev_tap(m);
}

/* Characters the on-screen keyboard is asked for (some it has no key for). */
static const char *const keyboard_chars[] = {
    "а", "ә", "б", "в", "г", "ғ", "д", "е", "ё", "ж", "з", "и", "й", "к", "қ", "л", "м", "н",
    "ң", "о", "ө", "п", "р", "с", "т", "у", "ұ", "ү", "ф", "х", "һ", "ц", "ч", "ш", "щ", "ъ",
    "ы", "і", "ь", "э", "ю", "я", "a", "b", "e", "k", "o", "p", "s", "t", "z", "A", "Z", " ",
    "1", "7", "-", "€", "字",
};
#define N_KEYBOARD_CHARS (int)(sizeof keyboard_chars / sizeof *keyboard_chars)

static void ev_keyboard_tap(monkey *m)
{
    char cur[ROUTE_CAP];
    ui_current_route(m->k.u, cur, sizeof cur);
    if (strncmp(cur, "search", 6) != 0) {
        ev_tap_target(m);
        return;
    }
    const char *ch = keyboard_chars[rnd_int(m, N_KEYBOARD_CHARS)];
    float x, y;
    bool done;
    if (ui_keyboard_locate(m->k.u, ch, &x, &y, &done) < 0) {
        ev_tap_target(m); /* keyboard hidden, or no key for ch */
        return;
    }
    note(m, "key '%s' at %.1f,%.1f%s", ch, x, y, done ? "" : " (layout/shift)");
    tap_at(m, new_finger(m), x, y, (uint32_t)rnd_range(m, 40, 110));
}

static void ev_drag(monkey *m, bool fast)
{
    float x0 = rnd_x(m), y0 = rnd_y(m), x1, y1;
    if (rnd_int(m, 2) == 0) { /* mostly along one axis, as people scroll and swipe */
        x1 = rnd_int(m, 2) ? x0 : rnd_x(m);
        y1 = x1 == x0 ? rnd_y(m) : y0 + (float)rnd_range(m, -20, 20);
    } else {
        x1 = rnd_x(m);
        y1 = rnd_y(m);
    }
    uint32_t ms = fast ? (uint32_t)rnd_range(m, 40, 160) : (uint32_t)rnd_range(m, 200, 1500);
    note(m, "%s %.1f,%.1f -> %.1f,%.1f in %u ms", fast ? "fling" : "drag", x0, y0, x1, y1, ms);
    drag(m, x0, y0, x1, y1, ms);
}

static void ev_long_press(monkey *m)
{
    float x = rnd_x(m), y = rnd_y(m);
    /* Corners now and then: where a hidden gesture would be. */
    if (rnd_int(m, 4) == 0) {
        x = rnd_int(m, 2) ? (float)rnd_range(m, 0, 40) : (float)(m->o.width - 1 - rnd_range(m, 0, 40));
        y = rnd_int(m, 2) ? (float)rnd_range(m, 0, 40) : (float)(m->o.height - 1 - rnd_range(m, 0, 40));
    }
    uint32_t hold = (uint32_t)rnd_range(m, 500, 4000);
    note(m, "long press %.1f,%.1f hold %u", x, y, hold);
    tap_at(m, new_finger(m), x, y, hold);
}

/* Two fingers down, a pinch or spread, released in either order. */
static void ev_two_fingers(monkey *m)
{
    int64_t a = m->next_finger++, b = m->next_finger++;
    float ax = rnd_x(m), ay = rnd_y(m), bx = rnd_x(m), by = rnd_y(m);
    float dx = (float)rnd_range(m, -200, 200), dy = (float)rnd_range(m, -200, 200);
    int steps = rnd_range(m, 1, 12);
    bool a_first = rnd_int(m, 2);
    note(m, "two fingers %.1f,%.1f + %.1f,%.1f move %.0f,%.0f in %d frames, %s up first", ax, ay, bx, by, dx, dy,
         steps, a_first ? "first" : "second");
    ui_pointer_down(m->k.u, a, ax, ay, m->k.now);
    advance(m, (uint32_t)rnd_range(m, 0, 60));
    ui_pointer_down(m->k.u, b, bx, by, m->k.now);
    for (int i = 1; i <= steps; i++) {
        advance(m, FRAME_MS);
        float t = (float)i / (float)steps;
        ui_pointer_move(m->k.u, a, ax + dx * t, ay + dy * t, m->k.now);
        ui_pointer_move(m->k.u, b, bx - dx * t, by - dy * t, m->k.now);
    }
    ui_pointer_up(m->k.u, a_first ? a : b, a_first ? ax + dx : bx - dx, a_first ? ay + dy : by - dy, m->k.now);
    advance(m, (uint32_t)rnd_range(m, 0, 100));
    ui_pointer_up(m->k.u, a_first ? b : a, a_first ? bx - dx : ax + dx, a_first ? by - dy : ay + dy, m->k.now);
    advance(m, FRAME_MS);
}

/* Input the kiosk must shrug off. */
static void ev_odd_pointer(monkey *m)
{
    float x = (float)rnd_range(m, -100, m->o.width + 100), y = (float)rnd_range(m, -100, m->o.height + 100);
    int64_t id = m->next_finger++;
    switch (rnd_int(m, 4)) {
    case 0:
        note(m, "release of a finger never down %.0f,%.0f", x, y);
        ui_pointer_up(m->k.u, id, x, y, m->k.now);
        break;
    case 1:
        note(m, "move of a finger never down %.0f,%.0f", x, y);
        ui_pointer_move(m->k.u, id, x, y, m->k.now);
        break;
    case 2:
        note(m, "tap off the screen %.0f,%.0f", x, y);
        tap_at(m, id, x, y, 60);
        break;
    default:
        /* The release is lost and the same finger comes down again. */
        note(m, "same finger down twice %.0f,%.0f", x, y);
        ui_pointer_down(m->k.u, id, x, y, m->k.now);
        advance(m, (uint32_t)rnd_range(m, 16, 400));
        tap_at(m, id, rnd_x(m), rnd_y(m), 60);
        break;
    }
    advance(m, FRAME_MS);
}

/* Taps the keypad key for each digit of pin, then OK. */
static void enter_pin(monkey *m, const char *pin)
{
    for (const char *p = pin; *p; p++) {
        char key[16];
        float x, y;
        snprintf(key, sizeof key, "@pin-%c", *p);
        if (ui_locate_route(m->k.u, key, &x, &y) == 0)
            tap_at(m, new_finger(m), x, y, 60);
    }
    float x, y;
    if (ui_locate_route(m->k.u, "@pin-ok", &x, &y) == 0)
        tap_at(m, new_finger(m), x, y, 60);
}

/* The operator's way in: the hidden gesture (a finger held still in the
 * top-left corner), then the PIN, right or wrong (five wrong ones lock the
 * keypad for minutes). */
static void ev_operator(monkey *m)
{
    char cur[ROUTE_CAP];
    ui_current_route(m->k.u, cur, sizeof cur);
    if (!strcmp(cur, "admin/pin")) {
        char pin[16];
        if (rnd_int(m, 3) == 0)
            snprintf(pin, sizeof pin, "%s", MONKEY_PIN);
        else
            snprintf(pin, sizeof pin, "%d", rnd_range(m, 0, 99999));
        note(m, "PIN %s", pin);
        enter_pin(m, pin);
        return;
    }
    int side = ui_corner_size(m->k.u);
    float x = (float)rnd_int(m, side > 1 ? side : 1), y = (float)rnd_int(m, side > 1 ? side : 1);
    uint32_t hold = UI_CORNER_HOLD_MS + (uint32_t)rnd_range(m, 0, 1500);
    note(m, "hidden gesture at %.0f,%.0f hold %u", x, y, hold);
    tap_at(m, new_finger(m), x, y, hold);
}

/* A finger that goes down and whose release never arrives (SDL lost it, the
 * panel was unplugged); the next touches have new ids. */
static void ev_lost_release(monkey *m)
{
    int64_t id = m->next_finger++;
    float x = rnd_x(m), y = rnd_y(m);
    note(m, "finger %lld down at %.1f,%.1f, release lost", (long long)id, x, y);
    ui_pointer_down(m->k.u, id, x, y, m->k.now);
    advance(m, FRAME_MS);
}

/* Text for the search field from a physical keyboard. The last ones hold
 * control characters, which SDL never sends as text (SDL_SendKeyboardText
 * drops them): only --raw-text uses those. */
static const char *const texts[] = {
    "а", "ә", "і", "ң", "ғ", "ү", "ұ", "қ", "ө", "һ", "ё", "e", "Z", "7", " ", "президент", "Конституция",
    "Президенттің", "article", "😀", "\"", "'", "*", "NEAR(", "AND", "OR NOT", "-", "^", "(", ")", ":", "{lang}",
    "\xff\xfe", "a\xc3", "\xed\xa0\x80", "ааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааааа",
    "\t", "a\nb", "\x7f",
};
#define N_TEXTS (int)(sizeof texts / sizeof *texts)
#define N_CONTROL_TEXTS 3

static int pick_text(monkey *m)
{
    return rnd_int(m, m->o.raw_text ? N_TEXTS : N_TEXTS - N_CONTROL_TEXTS);
}

static void ev_keys(monkey *m)
{
    static const char *const keys[] = {"backspace", "return", "escape", "tab", "F4", "q", ""};
    int n = rnd_range(m, 1, 6);
    for (int i = 0; i < n; i++) {
        if (rnd_int(m, 3) == 0) {
            const char *k = keys[rnd_int(m, 7)];
            note(m, "key %s", k);
            ui_key(m->k.u, k, m->k.now);
        } else {
            int t = pick_text(m);
            note(m, "text #%d", t);
            ui_text_input(m->k.u, texts[t], m->k.now);
        }
        advance(m, (uint32_t)rnd_range(m, 16, 200));
    }
}

/* Percent-encodes s into out (as a QR code or script would). */
static void percent_encode(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (; *s && n + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n] = '\0';
}

static void ev_navigate(monkey *m)
{
    static const char *const bad[] = {
        "", "admin/nothing", "item/no-such-item", "item/constitution#no-such-anchor", "deck/key-changes/0",
        "deck/key-changes/9999", "category/", "category/NEWS", "../../etc/passwd", "search?q=%ZZ",
        "search?q=%C3", "search?q=%00", "item/a#b#c", "home/", "deck/", "item/" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    };
    char to[ROUTE_CAP + 16], err[ROUTE_ERROR_MAX];
    int pick = rnd_int(m, 10);
    if (pick == 0) {
        snprintf(to, sizeof to, "%s", bad[rnd_int(m, (int)(sizeof bad / sizeof *bad))]);
    } else if (pick == 1) {
        char q[ROUTE_CAP];
        percent_encode(texts[pick_text(m)], q, sizeof q - 10);
        snprintf(to, sizeof to, "search?q=%s", q);
    } else {
        snprintf(to, sizeof to, "%s", m->routes[rnd_int(m, m->n_routes)]);
    }
    int rc = ui_navigate(m->k.u, to, m->k.now, err, sizeof err);
    note(m, "navigate '%.120s' -> %s", to, rc == 0 ? "ok" : err);
    advance(m, (uint32_t)rnd_range(m, 16, 400));
}

static void ev_lang(monkey *m)
{
    static const char *const langs[] = {"kk", "ru", "en", "xx", ""};
    const char *l = langs[rnd_int(m, 5)];
    note(m, "language '%s'", l);
    ui_set_lang(m->k.u, l, m->k.now);
    advance(m, FRAME_MS);
}

static void ev_wait(monkey *m, bool medium)
{
    uint32_t ms = medium ? (uint32_t)rnd_range(m, 5000, 40000) : (uint32_t)rnd_range(m, 16, 3000);
    note(m, "wait %u ms", ms);
    advance(m, ms);
}

/* ---- invariants ---------------------------------------------------------- */

static void check_state(monkey *m)
{
    char cur[ROUTE_CAP], err[ROUTE_ERROR_MAX];
    route r;
    ui_current_route(m->k.u, cur, sizeof cur);
    if (!route_parse(cur, &r, err, sizeof err))
        fail(m, "the current route '%s' does not parse: %s", cur, err);
    const char *l = ui_lang(m->k.u);
    if (strcmp(l, "kk") && strcmp(l, "ru") && strcmp(l, "en"))
        fail(m, "the language is '%s'", l);
}

/* Nobody touched the kiosk for longer than the idle reset (the longer one
 * of a person who chose larger text or high contrast, which the monkey's
 * taps may have done): it must be clean for the next person, and still
 * answer a finger. */
static void idle_gap(monkey *m)
{
    uint32_t gap = (uint32_t)m->o.idle_reset_s * UI_READER_IDLE_FACTOR * 1000u + (uint32_t)rnd_range(m, 1000, 30000);
    note(m, "idle gap %u ms", gap);
    advance(m, gap);
    m->idle_gaps++;
    if (m->o.idle_reset_s <= 0)
        return;
    char cur[ROUTE_CAP];
    ui_current_route(m->k.u, cur, sizeof cur);
    if (strcmp(cur, "home") || strcmp(ui_lang(m->k.u), "kk") || ui_toast_text(m->k.u)[0]) {
        fail(m, "not clean after %u ms without input: route '%s', language '%s', message '%s'", gap, cur,
             ui_lang(m->k.u), ui_toast_text(m->k.u));
        return;
    }
    float x, y;
    if (!m->k.st)
        return;
    if (ui_locate_route(m->k.u, "search", &x, &y) < 0) {
        fail(m, "no search button on the home screen after the idle gap");
        return;
    }
    tap_at(m, new_finger(m), x, y, 60);
    ui_current_route(m->k.u, cur, sizeof cur);
    if (strcmp(cur, "search"))
        fail(m, "a tap on search after the idle gap left the kiosk on '%s'", cur);
    else
        m->clean_checks++;
    note(m, "after the idle gap: clean, and a tap on search opened '%s'", cur);
}

/* ---- content ------------------------------------------------------------- */

static void add_route(monkey *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_route(monkey *m, const char *fmt, ...)
{
    char r[ROUTE_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r, sizeof r, fmt, ap);
    va_end(ap);
    if (m->n_routes == MAX_ROUTES)
        return;
    for (int i = 0; i < m->n_routes; i++)
        if (!strcmp(m->routes[i], r))
            return;
    snprintf(m->routes[m->n_routes++], ROUTE_CAP, "%s", r);
}

/* Every screen of a bundle, and one card beyond each deck: the routes the
 * monkey navigates to and looks for on the screen. */
static int collect_routes(monkey *m, const char *path)
{
    char err[512];
    store_status status;
    store *s = store_open(path, &status, err, sizeof err);
    if (!s) {
        fprintf(stderr, "monkey: %s\n", err);
        return -1;
    }
    store_category *cats = calloc(64, sizeof *cats);
    store_item *items = calloc(256, sizeof *items);
    store_anchor *anchors = calloc(512, sizeof *anchors);
    if (!cats || !items || !anchors)
        goto done;
    add_route(m, "home");
    add_route(m, "search");
    add_route(m, "admin");
    add_route(m, "admin/pin");
    add_route(m, "admin/touch");
    add_route(m, "admin/pattern");
    int nc = store_categories(s, "kk", cats, 64);
    for (int c = 0; c < nc; c++) {
        add_route(m, "category/%s", cats[c].id);
        int ni = store_items(s, cats[c].id, "kk", items, 256);
        for (int i = 0; i < ni; i++) {
            add_route(m, "item/%s", items[i].id);
            int na = store_anchors(s, items[i].id, "kk", anchors, 512);
            for (int a = 0; a < na; a++)
                add_route(m, "item/%s#%s", items[i].id, anchors[a].anchor);
            if (!strcmp(items[i].kind, "explainer"))
                for (int card = 1; card <= na + 1; card++)
                    add_route(m, "deck/%s/%d", items[i].id, card);
        }
    }
done:
    free(cats);
    free(items);
    free(anchors);
    store_close(s);
    return m->n_routes > 2 ? 0 : -1;
}

/* The other edition comes in as the sync worker brings it. */
static void swap_content(monkey *m)
{
    int next = (m->bundle + 1) % m->o.n_bundles;
    char err[512], before[ROUTE_CAP], after[ROUTE_CAP];
    store_status status;
    store *s = store_open(m->o.bundles[next], &status, err, sizeof err);
    if (!s) {
        fail(m, "the bundle %s no longer opens: %s", m->o.bundles[next], err);
        return;
    }
    ui_current_route(m->k.u, before, sizeof before);
    ui_set_store(m->k.u, s, m->k.now);
    store_close(m->k.st);
    m->k.st = s;
    m->bundle = next;
    m->swaps++;
    advance(m, FRAME_MS);
    ui_current_route(m->k.u, after, sizeof after);
    note(m, "content swap to %s: '%s' -> '%s'", m->o.bundles[next], before, after);
}

/* ---- memory -------------------------------------------------------------- */

/* Reads VmRSS as it is, then after malloc_trim(0) has handed the free
 * memory malloc keeps back to the system (glibc keeps freed pages resident;
 * which ones depends on the history of the heap, so the first figure swings
 * by megabytes between two readings of the same screen). */
static mem_reading read_memory(monkey *m)
{
    mem_reading r = {platform_status_kb("VmRSS"), -1, -1, (long)(render_cache_bytes(m->k.r) / 1024)};
#if !MONKEY_ASAN
    malloc_trim(0);
    r.trimmed_kb = platform_status_kb("VmRSS");
    struct mallinfo2 mi = mallinfo2();
    r.heap_kb = (long)((mi.uordblks + mi.hblkhd) / 1024);
#endif
    return r;
}

static void leak_check(monkey *m, const char *when)
{
#if MONKEY_ASAN
    if (__lsan_do_recoverable_leak_check())
        fail(m, "LeakSanitizer found leaks %s (report above)", when);
    else
        printf("lsan: no leaks %s\n", when);
#else
    (void)m;
    (void)when;
#endif
}

/* ---- the run ------------------------------------------------------------- */

static int kind_weight(const monkey *m, int kind)
{
    return kind == K_LOST && !m->o.lost_releases ? 0 : kind_weights[kind];
}

static int pick_kind(monkey *m)
{
    int total = 0;
    for (int i = 0; i < K__COUNT; i++)
        total += kind_weight(m, i);
    int r = rnd_int(m, total);
    for (int i = 0; i < K__COUNT; i++) {
        if (r < kind_weight(m, i))
            return i;
        r -= kind_weight(m, i);
    }
    return K_TAP;
}

static void one_event(monkey *m)
{
    int kind = pick_kind(m);
    m->kinds[kind]++;
    switch (kind) {
    case K_TAP: ev_tap(m); break;
    case K_TARGET: ev_tap_target(m); break;
    case K_KEYBOARD: ev_keyboard_tap(m); break;
    case K_DRAG: ev_drag(m, false); break;
    case K_FLING: ev_drag(m, true); break;
    case K_LONG: ev_long_press(m); break;
    case K_TWO: ev_two_fingers(m); break;
    case K_KEYS: ev_keys(m); break;
    case K_NAV: ev_navigate(m); break;
    case K_LANG: ev_lang(m); break;
    case K_WAIT: ev_wait(m, false); break;
    case K_WAIT_MEDIUM: ev_wait(m, true); break;
    case K_ODD: ev_odd_pointer(m); break;
    case K_OPERATOR: ev_operator(m); break;
    case K_LOST: ev_lost_release(m); break;
    }
    /* Sometimes the next finger comes while a fling still runs. */
    advance(m, (uint32_t)rnd_range(m, 0, 300));
}

static void print_reading(const char *label, long events, const mem_reading *r, const ui_stats *st)
{
    printf("%-8s events %9ld  rss %7ld kB  trimmed %7ld kB  heap %7ld kB  caches %5ld kB  frames %10u\n", label,
           events, r->rss_kb, r->trimmed_kb, r->heap_kb, r->cache_kb, st->frames);
    fflush(stdout);
}

/* The same state at every reading: nobody touched the kiosk for longer than
 * the idle reset (home, clean), then new content came (the render caches
 * start empty, as after every update). */
static mem_reading checkpoint(monkey *m)
{
    idle_gap(m);
    if (m->o.n_bundles > 0)
        swap_content(m);
    advance(m, 1000);
    return read_memory(m);
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Growth of one figure from the warm-up to the end, and its highest reading. */
static void print_growth(const char *what, const mem_reading *rd, int n, size_t field)
{
    long first = *(const long *)((const char *)&rd[1] + field), last = *(const long *)((const char *)&rd[n] + field);
    long high = first;
    for (int i = 2; i <= n; i++) {
        long v = *(const long *)((const char *)&rd[i] + field);
        high = v > high ? v : high;
    }
    printf("%s: %ld kB after the warm-up, %ld kB at the end, growth %+ld kB (highest reading %ld kB, %+ld kB)\n", what,
           first, last, last - first, high, high - first);
}

static int run(monkey *m)
{
    mem_reading rd[CHECKPOINTS + 1];
    int n_rd = 0;
    double t0 = (double)platform_now_us(), cpu0 = cpu_seconds();

    m->k.now = m->o.start_ms;
    ui_tick(m->k.u, m->k.now);
    ui_draw(m->k.u);
    ui_stats st = ui_get_stats(m->k.u);
    rd[0] = read_memory(m);
    print_reading("start", 0, &rd[0], &st);
    for (m->event = 1; m->event <= m->o.events && m->failures == 0; m->event++) {
        one_event(m);
        check_state(m);
        if (m->o.idle_every > 0 && m->event % m->o.idle_every == 0)
            idle_gap(m);
        if (m->o.n_bundles > 0 && m->o.swap_every > 0 && m->event % m->o.swap_every == 0)
            swap_content(m);
        if (m->event == m->o.events * (n_rd + 1) / CHECKPOINTS) {
            rd[++n_rd] = checkpoint(m);
            st = ui_get_stats(m->k.u);
            char label[32];
            snprintf(label, sizeof label, n_rd == 1 ? "warm-up" : "%d0 %%", n_rd);
            print_reading(label, m->event, &rd[n_rd], &st);
            if (n_rd == 1)
                leak_check(m, "after the warm-up");
        }
    }
    long done = m->event - 1;
    double wall_s = ((double)platform_now_us() - t0) / 1e6, cpu_s = cpu_seconds() - cpu0;
    st = ui_get_stats(m->k.u);
    if (m->failures == 0)
        leak_check(m, "at the end, before teardown");

    printf("kinds   ");
    for (int i = 0; i < K__COUNT; i++)
        if (m->kinds[i])
            printf(" %s %ld", kind_names[i], m->kinds[i]);
    printf("\n");
    printf("soak: seed %llu, %ld events, %ld content swaps, %ld idle gaps, %u idle resets, %ld clean checks, "
           "%u frames, %u navigations, %.1f h virtual, %.1f s wall, %.1f s CPU%s\n",
           (unsigned long long)m->o.seed, done, m->swaps, m->idle_gaps, st.idle_resets, m->clean_checks, st.frames,
           st.navigations, (double)m->virtual_ms / 3.6e6, wall_s, cpu_s, MONKEY_ASAN ? " (ASan)" : "");
    if (m->failures || n_rd < 2)
        return m->failures ? 1 : 0;
    print_growth("rss", rd, n_rd, offsetof(mem_reading, rss_kb));
    if (!MONKEY_ASAN) {
        print_growth("rss after malloc_trim", rd, n_rd, offsetof(mem_reading, trimmed_kb));
        print_growth("heap in use", rd, n_rd, offsetof(mem_reading, heap_kb));
        long growth = rd[n_rd].trimmed_kb - rd[1].trimmed_kb;
        if (m->o.max_growth_kb > 0 && growth >= m->o.max_growth_kb) {
            /* Not fail(): the last events say nothing about memory. */
            fprintf(stderr, "monkey: FAIL (seed %llu): RSS after malloc_trim grew by %ld kB after the warm-up "
                    "(limit %ld kB)\n", (unsigned long long)m->o.seed, growth, m->o.max_growth_kb);
            m->failures++;
        }
    }
    return m->failures ? 1 : 0;
}

/* ---- options --------------------------------------------------------------- */

static int usage(void)
{
    fputs("usage: monkey --bundle A [--bundle B] [--events N] [--seed S] [--size WxH]\n"
          "              [--idle-every K] [--swap-every M] [--max-growth-kb KB]\n"
          "              [--idle-reset S] [--start-ms T] [--lost-releases] [--raw-text] [--trace]\n",
          stderr);
    return 2;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}


/* ---- a voice on the kiosk's clock ---------------------------------------- */

#define VIRTUAL_SENTENCE_MS 1500u
#define VIRTUAL_SENTENCES 6u

static int virtual_say(void *user, const char *text, const char *lang, uint32_t id, char *err, size_t errcap)
{
    monkey *m = user;
    (void)text, (void)lang, (void)err, (void)errcap;
    m->voice_on = true;
    m->voice_id = id;
    m->voice_t0 = m->k.now;
    return 0;
}

static void virtual_stop(void *user)
{
    monkey *m = user;
    m->voice_on = false;
}

static bool virtual_heard(void *user, uint32_t *id, size_t *start, size_t *len)
{
    monkey *m = user;
    uint32_t n = (m->k.now - m->voice_t0) / VIRTUAL_SENTENCE_MS;
    if (!m->voice_on || n >= VIRTUAL_SENTENCES)
        return m->voice_on = false;
    *id = m->voice_id;
    *start = n * 40u;
    *len = 40u;
    return true;
}

static deadline virtual_next(void *user, uint32_t now)
{
    monkey *m = user;
    (void)now;
    if (!m->voice_on)
        return deadline_none();
    return deadline_at(m->voice_t0 + ((m->k.now - m->voice_t0) / VIRTUAL_SENTENCE_MS + 1) * VIRTUAL_SENTENCE_MS);
}

static int parse_options(int argc, char **argv, monkey_options *o)
{
    *o = (monkey_options){.events = 20000, .seed = 1, .width = 800, .height = 480, .idle_every = 200,
                          .swap_every = 1000, .max_growth_kb = 1024, .idle_reset_s = 90,
                          .start_ms = UINT32_MAX - 3600u * 1000u};
    long v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (!strcmp(a, "--lost-releases")) {
            o->lost_releases = true;
            continue;
        }
        if (!strcmp(a, "--raw-text")) {
            o->raw_text = true;
            continue;
        }
        if (!strcmp(a, "--trace")) {
            o->trace = true;
            continue;
        }
        if (!val)
            return -1;
        i++;
        if (!strcmp(a, "--bundle") && o->n_bundles < 2)
            o->bundles[o->n_bundles++] = val;
        else if (!strcmp(a, "--events"))
            ok = parse_long(val, 1, 1000000000L, &o->events);
        else if (!strcmp(a, "--seed"))
            ok = parse_long(val, 0, 0x7fffffffL, &v) && ((o->seed = (uint64_t)v), true);
        else if (!strcmp(a, "--size"))
            ok = sscanf(val, "%dx%d", &o->width, &o->height) == 2 && o->width >= 320 && o->height >= 240 &&
                 o->width <= 8192 && o->height <= 8192;
        else if (!strcmp(a, "--idle-every"))
            ok = parse_long(val, 0, 1000000000L, &o->idle_every);
        else if (!strcmp(a, "--swap-every"))
            ok = parse_long(val, 0, 1000000000L, &o->swap_every);
        else if (!strcmp(a, "--max-growth-kb"))
            ok = parse_long(val, 0, 100000000L, &o->max_growth_kb);
        else if (!strcmp(a, "--idle-reset"))
            ok = parse_long(val, 0, 86400, &v) && ((o->idle_reset_s = (int)v), true);
        else if (!strcmp(a, "--start-ms"))
            ok = parse_long(val, 0, (long)UINT32_MAX, &v) && ((o->start_ms = (uint32_t)v), true);
        else
            return -1;
        if (!ok)
            return -1;
    }
    return o->n_bundles > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    monkey *m = calloc(1, sizeof *m);
    if (!m)
        return 1;
    if (parse_options(argc, argv, &m->o) < 0) {
        free(m);
        return usage();
    }
    /* Headless and quiet: an idle reset or a refused link is logged at info
     * and warning level by design, thousands of times in a soak. */
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    platform_log_set_level(PLATFORM_LOG_ERROR);
    m->rng = m->o.seed;
    m->next_finger = 1;
    printf("monkey: seed %llu, %ld events, %dx%d, idle gap every %ld, swap every %ld, bundles:", 
           (unsigned long long)m->o.seed, m->o.events, m->o.width, m->o.height, m->o.idle_every, m->o.swap_every);
    for (int i = 0; i < m->o.n_bundles; i++)
        printf(" %s", m->o.bundles[i]);
    printf("%s\n", m->o.lost_releases ? " (with lost releases)" : "");
#if MONKEY_ASAN
    the_monkey = m;
    __sanitizer_set_death_callback(on_sanitizer_death);
#endif
    int status = 1;
    char err[512];
    host *operator = NULL;
    m->routes = calloc(MAX_ROUTES, sizeof *m->routes);
    if (!m->routes)
        goto done;
    for (int i = 0; i < m->o.n_bundles; i++)
        if (collect_routes(m, m->o.bundles[i]) < 0)
            goto done;
    if (SDL_Init(0) < 0) {
        fprintf(stderr, "monkey: SDL: %s\n", SDL_GetError());
        goto done;
    }
    char pin_hash[CONFIG_PIN_HASH_MAX];
    if (config_hash_pin(MONKEY_PIN, pin_hash) < 0) {
        fprintf(stderr, "monkey: cannot hash the PIN\n");
        goto done;
    }
    config c;
    config_defaults(&c);
    c.state_dir[0] = '\0'; /* nothing of this machine's */
    c.idle_reset_s = m->o.idle_reset_s;
    snprintf(c.admin_pin, sizeof c.admin_pin, "%s", pin_hash);
    snprintf(c.kiosk_id, sizeof c.kiosk_id, "soak");
    if (headless_open(&m->k, &c, m->o.bundles[0], m->o.width, m->o.height, err, sizeof err) < 0 || !m->k.st) {
        fprintf(stderr, "monkey: %s\n", m->k.u ? "the bundle did not open" : err);
        goto done;
    }
    /* The operator screen's status and buttons as the kiosk has them
     * without sync: restart and exit only set a request for the main loop,
     * which this loop leaves alone. */
    /* Reading aloud in virtual time (the real voice plays in real time,
     * and the monkey's idle gaps pass in an instant): each say lasts a
     * few "sentences" on the kiosk's clock. */
    ui_set_voice(m->k.u, &(ui_voice){virtual_say, virtual_stop, virtual_heard, virtual_next, m});
    operator = host_create(&c, NULL);
    if (operator) {
        ui_host cb = host_callbacks(operator);
        ui_set_host(m->k.u, &cb);
    }
    status = run(m);
done:
    headless_close(&m->k);
    host_destroy(operator);
    SDL_Quit();
    free(m->routes);
#if MONKEY_ASAN
    the_monkey = NULL;
#endif
    free(m);
    if (status == 0)
        printf("soak: passed\n");
    return status;
}
