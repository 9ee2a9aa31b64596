/* ui — the kiosk's screens, navigation, touch handling and idle reset.
 *
 * Owns what a citizen sees: the top bar, the screens behind the routes of
 * design.md (home, category, item, deck, search), the on-screen keyboard,
 * press feedback and kinetic scrolling; and the operator's screens behind a
 * hidden gesture and a PIN (admin, admin/touch, admin/pattern), which learn
 * the kiosk's state and act on it through a host interface (ui_host).
 *
 * It is driven from outside: the kiosk loop (or a test) feeds pointer events
 * and the time, asks when it must next be woken, and asks it to draw when
 * something changed. It never touches the network and never writes the
 * bundle.
 *
 * Times are uint32 milliseconds from any monotonic origin (SDL_GetTicks). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "render.h"
#include "store.h"

typedef struct ui ui;

/* Bytes of a PIN hash: crypto_pwhash_STRBYTES of libsodium, NUL included. */
#define UI_PIN_HASH_MAX 128

typedef struct {
    char default_lang[4];    /* language after start and after an idle reset */
    int idle_reset_s;        /* seconds without input before the reset (0: never;
                                the operator's screens still close after
                                UI_OPERATOR_IDLE_S) */
    int attract_s;           /* seconds idle on home before the featured cards cycle */
    float dpi;               /* screen density; 0 when unknown */
    int default_text_step;   /* 0..THEME_TEXT_STEPS-1 */
    int speech_idle_factor;  /* the idle reset waits this many times longer in
                                speech mode (1: no longer) */
    /* The operator PIN as crypto_pwhash_str() writes it ("$argon2id$...").
     * "": no operator screen from the touchscreen (the hidden gesture only
     * says so); `--open admin` still works. */
    char admin_pin_hash[UI_PIN_HASH_MAX];
    /* Checks pin against hash: true when it matches. The kiosk passes
     * config_pin_matches (libsodium's Argon2id, about 0.1-0.5 s on a Pi, on
     * the UI thread, once per OK); tests put a fake here. NULL: no PIN
     * matches. */
    bool (*pin_check)(void *user, const char *hash, const char *pin);
    void *pin_check_user;
} ui_config;

/* The operator's screens close after this long without input even when
 * the citizen idle reset is off: nobody leaves them open for the next person. */
#define UI_OPERATOR_IDLE_S 120
/* The idle reset waits this many times longer for a person who chose a
 * larger text size than the default, or high contrast: "more time on
 * request" (EN 301 549), asked for by choosing the setting. */
#define UI_READER_IDLE_FACTOR 2
/* The hidden gesture: a finger held still this long in the top-left corner
 * (a square of UI_CORNER_MM, or the top bar's height if that is more). */
#define UI_CORNER_HOLD_MS 3000u
#define UI_CORNER_MM 12.0f
/* Wrong PINs in a row before the keypad locks, and for how long. */
#define UI_PIN_MAX_FAILURES 5
#define UI_PIN_LOCK_MS (5u * 60u * 1000u)
/* Digits a PIN may have on the keypad. */
#define UI_PIN_MAX_DIGITS 12
/* How often the operator screen refreshes while a sync runs. */
#define UI_ADMIN_REFRESH_MS 500u

/* Defaults: kk, 90 s idle reset (three times that in speech mode), 30 s
 * to attract mode, unknown dpi, step 0, no operator PIN. */
ui_config ui_config_default(void);

/* What the operator screen shows about the kiosk. Before asking the host the
 * ui fills it with "unknown" (numbers -1, strings "") and the content version
 * and date from its own bundle; the host overwrites what it knows. Unknown
 * values show as "—". Times are wall clock, Unix seconds; 0 means "never". */
typedef struct {
    int64_t now;                 /* the host's wall clock: "in 5 h 12 min" is counted from it */
    char content_version[32];    /* bundle meta "bundle_version" */
    char content_created[32];    /* bundle meta "created", "YYYY-MM-DDTHH:MM:SSZ" */
    char content_published[32];  /* bundle meta "published" (stamped by publish), "" when never published */
    int64_t snapshot_version;    /* installed snapshot (STATE/current); 0: none. Not shown: a published
                                    bundle's content version is its snapshot version */
    int sync_configured;         /* 1: a repository is synced on a schedule; 0: none */
    int64_t last_attempt;        /* syncstate_status.last_attempt */
    int64_t last_success;        /* syncstate_status.last_success */
    int64_t next_sync;           /* syncworker_info.next_run */
    int sync_running;            /* 1 while a sync runs: a progress bar, and a
                                    refresh every UI_ADMIN_REFRESH_MS */
    char sync_phase[16];         /* "checking", "downloading", "applying" */
    int64_t items_done, items_total; /* records */
    int64_t bytes_done, bytes_total;
    char last_error[256];        /* "" when the last sync went well */
    int stale;                   /* 1: the newest verified metadata has expired */
    int64_t disk_free_bytes;     /* on the state directory's file system */
    int64_t uptime_s;            /* since the kiosk started */
    int64_t rss_bytes;           /* resident memory of the kiosk process */
    char kiosk_id[64];
    /* Usage counters (ui_event): today's and those of the days kept; -1
     * when the kiosk keeps none (the section is then not shown). */
    int64_t usage_sessions_today, usage_views_today;
    int64_t usage_searches_today, usage_searches_none_today;
    int64_t usage_sessions_kept, usage_views_kept, usage_days_kept;
} ui_admin_status;

/* What the operator screen asks of the program around the ui. Every
 * callback runs on the UI thread and must return at once (hand long work to
 * a thread). A NULL callback shows its button disabled. */
typedef struct {
    void *user;
    void (*get_status)(void *user, ui_admin_status *out); /* at every draw of the operator screen */
    void (*sync_now)(void *user);
    void (*import_usb)(void *user);
    void (*restart)(void *user);          /* after the operator confirmed */
    void (*exit_to_desktop)(void *user);  /* after the operator confirmed */
} ui_host;

/* Sets (copies) the host; NULL: none (every value "—", buttons disabled). */
void ui_set_host(ui *u, const ui_host *host);

/* A voice that reads text aloud (the kiosk wires app/speech to it; tests
 * a fake). All calls come from the UI thread and return at once. */
typedef struct {
    /* Starts reading text (UTF-8, lang "kk"/"ru"/"en") from its start,
     * cutting off whatever was read; id tags it. 0, or -1 with err. */
    int (*say)(void *user, const char *text, const char *lang, uint32_t id, char *err, size_t errcap);
    void (*stop)(void *user);
    /* True while an utterance is heard (or about to be): its id and the
     * byte range of the sentence being heard in its text. */
    bool (*heard)(void *user, uint32_t *id, size_t *start, size_t *len);
    /* When what heard says will next change; unset when silent. */
    deadline (*next_change)(void *user, uint32_t now);
    void *user;
} ui_voice;

/* Sets (copies) the voice; NULL: none (read-aloud says it is not
 * available). */
void ui_set_voice(ui *u, const ui_voice *voice);

/* The host's status changed (a sync finished, a USB stick came): the
 * operator screen, if shown, is drawn again. */
void ui_host_changed(ui *u);

/* Creates the UI on a render context. s may be NULL: the UI then shows the
 * "out of service" screen with reason (why no content could be opened). */
ui *ui_create(const ui_config *cfg, store *s, const char *reason, render *r, int w, int h, uint32_t now);

/* Frees the UI (not the store or the render context). */
void ui_destroy(ui *u);

/* Goes to a route ("item/constitution#art43-5"). Returns 0, or -1 with a
 * reason when the route is malformed or names nothing in the bundle; the
 * screen then stays where it was. */
int ui_navigate(ui *u, const char *route, uint32_t now, char *err, size_t errcap);

/* Writes the current route into out. */
void ui_current_route(const ui *u, char *out, size_t cap);

/* Current UI language ("kk", "ru", "en"). */
const char *ui_lang(const ui *u);

/* Sets the UI language (as the top bar's language button does). */
void ui_set_lang(ui *u, const char *lang, uint32_t now);

/* The screen changed size. */
void ui_resize(ui *u, int w, int h);

/* What a notice panel holds. */
typedef enum { UI_NOTICE_ERRORS, UI_NOTICE_WARNINGS } ui_notice_kind;
/* Bytes of notice text kept (the rest is cut at a line). */
#define UI_NOTICE_MAX 2048

/* For editors (--preview), never on a citizen's kiosk: shows text (lines
 * of file:line messages) in a panel over the bottom of every screen,
 * headed by what they are, until cleared with NULL or "". */
void ui_set_notice(ui *u, ui_notice_kind kind, const char *text);

/* Pointer input (touch finger id or -1 for the mouse), in screen pixels. */
void ui_pointer_down(ui *u, int64_t id, float x, float y, uint32_t now);
void ui_pointer_move(ui *u, int64_t id, float x, float y, uint32_t now);
void ui_pointer_up(ui *u, int64_t id, float x, float y, uint32_t now);

/* A key on a physical keyboard, if one is plugged in: "backspace", "return",
 * or text (UTF-8) typed, for the screen shown (the search field, the PIN
 * keypad); other screens ignore them. */
void ui_key(ui *u, const char *name, uint32_t now);
void ui_text_input(ui *u, const char *utf8, uint32_t now);

/* Lets time pass: animations, long presses, attract mode, idle reset. */
void ui_tick(ui *u, uint32_t now);

/* When the UI must next be woken if nothing else happens; unset when it
 * can sleep until the next input. */
deadline ui_next_deadline(const ui *u, uint32_t now);

/* True when the screen must be redrawn. */
bool ui_dirty(const ui *u);

/* Draws the whole screen into the render context's renderer. */
void ui_draw(ui *u);

/* Swaps in new content between frames; stays on the same item (or goes home
 * when it no longer exists). The old store is the caller's to close. */
void ui_set_store(ui *u, store *s, uint32_t now);

/* For scripts: where to tap to type the character ch (one UTF-8 character)
 * on the on-screen keyboard. When the keyboard first needs another layout or
 * shift, returns the position of that key instead and *done = false.
 * Returns -1 when the keyboard is not shown or no layout has ch. */
int ui_keyboard_locate(ui *u, const char *ch, float *x, float *y, bool *done);

/* ---- speech mode (ui_speechmode.h) ------------------------------------------ */

/* Starts speech mode (an audio output was plugged in; two fingers held
 * also start it), saying that it is on, the screen and how to use it;
 * said again when it is on already. */
void ui_speech_mode_start(ui *u, uint32_t now);

/* Ends speech mode (the audio output was unplugged); the idle reset ends
 * it too. */
void ui_speech_mode_stop(ui *u, uint32_t now);

/* True while speech mode is on. */
bool ui_speech_mode(const ui *u);

/* For tests and scripts: the spoken label of the focused target, or "". */
const char *ui_speech_focus(const ui *u);

/* ---- what people do, for the usage counters -------------------------------- */

/* Counts only: never what was typed, where a finger was, or when (the
 * observer adds the hour it wants). Reported only within a session, which
 * runs from a person's first input to the idle reset. */
typedef enum {
    UI_EVENT_SESSION,   /* a person's first input since the last idle reset */
    UI_EVENT_VIEW,      /* a screen shown: what = its route without a query
                           ("item/constitution#art43-5", "deck/key-changes/3",
                           "search"); operator screens are not reported */
    UI_EVENT_LANGUAGE,  /* the person chose a language: what = its code */
    UI_EVENT_TEXT_SIZE, /* the person chose a text size: value = the step */
    UI_EVENT_SEARCH,    /* a search screen with a query was left: value = 1
                           when the query found something, 0 when not */
} ui_event_kind;

typedef struct {
    ui_event_kind kind;
    const char *what;   /* see the kinds; "" when none */
    const char *lang;   /* the ui language at the time ("kk") */
    int value;
} ui_event;

/* Who hears the events: called on the UI thread, must return at once. */
typedef struct {
    void *user;
    void (*event)(void *user, const ui_event *ev);
} ui_observer;

/* Sets (copies) the observer; NULL: none. */
void ui_set_observer(ui *u, const ui_observer *o);

/* Counters for tests and the benchmark. */
typedef struct {
    unsigned frames;         /* ui_draw calls */
    unsigned idle_resets;
    unsigned navigations;
    unsigned utterances;     /* ui_speak calls that started reading */
} ui_stats;
ui_stats ui_get_stats(const ui *u);

/* For tests and scripts: the centre of a visible target that leads to route
 * (as drawn in the last frame), or of a button named "@home", "@back",
 * "@lang" (opens the language sheet: "@lang-kk".."@lang-en", "@lang-close"
 * the rest of the screen), "@text-size" (opens the screen settings),
 * "@close" (operator screens: Close, Cancel; the screen tests: their way
 * out), on the screen settings "@lang-kk".."@lang-en", "@size-1".."@size-3",
 * "@contrast-standard", "@contrast-high", "@done", on the PIN keypad "@pin-0".."@pin-9",
 * "@pin-delete", "@pin-ok", on the operator screen "@sync-now",
 * "@import-usb", "@restart", "@exit", "@touch-test", "@test-pattern",
 * "@confirm" (of a Restart or Exit question), "@cancel", on a reader
 * "@listen" (the speaker). Returns 0, or -1 when none is on screen. */
int ui_locate_route(ui *u, const char *route, float *x, float *y);

/* The whole target ui_locate_route finds (tests: what a control covers). */
int ui_locate_rect(ui *u, const char *route, SDL_Rect *out);

/* For tests: the message shown at the bottom of the screen, or "". */
const char *ui_toast_text(const ui *u);

/* For tests: where the hidden gesture's corner is (a square at 0,0). */
int ui_corner_size(const ui *u);

/* For tests: draws the screen and checks that every tappable area lies
 * within the screen's width and is at least THEME_MIN_TARGET_MM high and
 * wide (or is a link in running text), that no two targets overlap and
 * that no button label or text was cut with "…" (previews excepted).
 * Returns the number of problems, the first described in err. */
int ui_check_layout(ui *u, char *err, size_t errcap);

/* What ui_count_layout found on one screen. */
typedef struct {
    int targets; /* tap targets drawn */
    int small;   /* of them under THEME_MIN_TARGET_MM high or wide (links in running text excepted) */
    int cut;     /* button labels and texts cut with "…" (previews of what a tap opens excepted), and
                    any "…" drawn that no view noted */
    int previews; /* previews cut with "…": what a tap opens shows them whole */
} ui_layout_count;

/* For tests: draws the screen and counts its targets, those too small,
 * the texts cut and the previews shortened. */
ui_layout_count ui_count_layout(ui *u);
