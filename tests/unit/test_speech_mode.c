/* Speech mode (ui_speechmode.c) on a headless kiosk with the sample
 * bundle, driven by scripts, and a fake voice that records what is said:
 * it starts when an audio output is plugged in (not a microphone) or two
 * fingers are held still, saying where one is and how to use it; a touch
 * says what is under the finger and activates nothing; a double tap
 * anywhere activates the focused target; a swipe moves in reading order;
 * the keyboard's keys say their letters and names; it ends when the
 * output is unplugged or at the idle reset, which waits longer meanwhile;
 * and every target of every screen has something to say. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "events.h"
#include "support.h"
#include "ui.h"
#include "ui_view.h"

/* Each utterance is heard for one second of the kiosk's virtual time. */
typedef struct {
    const uint32_t *clock; /* the kiosk's now */
    uint32_t started;
    bool on;
    uint32_t id;
    int says;
    char text[2048]; /* what the last say read */
} fake_voice;

static int fake_say(void *user, const char *text, const char *lang, uint32_t id, char *err, size_t errcap)
{
    (void)lang, (void)err, (void)errcap;
    fake_voice *f = user;
    snprintf(f->text, sizeof f->text, "%s", text);
    f->says++;
    f->on = true;
    f->id = id;
    f->started = *f->clock;
    return 0;
}

static void fake_stop(void *user)
{
    ((fake_voice *)user)->on = false;
}

static bool fake_heard(void *user, uint32_t *id, size_t *start, size_t *len)
{
    fake_voice *f = user;
    if (!f->on || *f->clock - f->started >= 1000u)
        return f->on = false;
    *id = f->id;
    *start = 0;
    *len = 1;
    return true;
}

static deadline fake_next(void *user, uint32_t now)
{
    fake_voice *f = user;
    (void)now;
    return f->on ? deadline_at(f->started + 1000u) : deadline_none();
}

static headless *open_with(fake_voice *f, int idle_reset_s, const char *lang)
{
    config c;
    support_config(&c);
    c.idle_reset_s = idle_reset_s;
    headless *k = support_kiosk_open(&c, support_sample_bundle(), 800, 480);
    assert_non_null(k->st);
    f->clock = &k->now;
    ui_set_voice(k->u, &(ui_voice){fake_say, fake_stop, fake_heard, fake_next, f});
    ui_set_lang(k->u, lang, k->now);
    return k;
}

/* A kiosk on the route where, in lang, in speech mode, its announcement heard. */
static headless *open_speaking(fake_voice *f, const char *lang, const char *where)
{
    headless *k = open_with(f, 90, lang);
    char line[128];
    snprintf(line, sizeof line, "open %s\naudio added\nwait 1500\n", where);
    support_run(k, line);
    return k;
}

static void tap_at_rect(headless *k, SDL_Rect r)
{
    char line[96];
    snprintf(line, sizeof line, "tap %d %d\nwait 500\n", r.x + r.w / 2, r.y + r.h / 2);
    support_run(k, line);
}

/* Touches what leads to ref (a route or "@name"): speech mode says it. */
static void touch(headless *k, const char *ref)
{
    SDL_Rect r;
    if (ui_locate_rect(k->u, ref, &r) < 0)
        fail_msg("nothing on screen leads to %s", ref);
    tap_at_rect(k, r);
}

/* A double tap, where no target is: anywhere does. */
static void double_tap(headless *k)
{
    support_run(k, "tap 20 300\ntap 20 300\nwait 100\n");
}

static void entered_by_an_audio_output_and_left_when_unplugged(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_with(&f, 90, "en");
    assert_false(ui_speech_mode(k->u));
    /* A microphone is not headphones. */
    SDL_Event mic = {0};
    mic.adevice.type = SDL_AUDIODEVICEADDED;
    mic.adevice.iscapture = 1;
    events_dispatch(k->u, &mic, &(events_config){800, 480, false, true, 0}, k->now);
    assert_false(ui_speech_mode(k->u));
    /* Nor does anything happen when the kiosk is told not to listen. */
    mic.adevice.iscapture = 0;
    events_dispatch(k->u, &mic, &(events_config){800, 480, false, false, 0}, k->now);
    assert_false(ui_speech_mode(k->u));
    /* On ALSA the sound watcher tells (sndwatch.h): SDL's own device
     * events, which come when the speech thread starts SDL's audio, are
     * not someone plugging in; the watcher's event is, both ways. */
    uint32_t outputs = SDL_RegisterEvents(1);
    assert_int_not_equal(outputs, (uint32_t)-1);
    events_config watched = {800, 480, false, true, outputs};
    events_dispatch(k->u, &mic, &watched, k->now);
    assert_false(ui_speech_mode(k->u));
    SDL_Event plugged = {.type = outputs};
    plugged.user.code = 1;
    events_dispatch(k->u, &plugged, &watched, k->now);
    assert_true(ui_speech_mode(k->u));
    plugged.user.code = 0;
    events_dispatch(k->u, &plugged, &watched, k->now);
    assert_false(ui_speech_mode(k->u));

    support_run(k, "audio added\n");
    assert_true(ui_speech_mode(k->u));
    assert_non_null(strstr(f.text, "Speech mode is on"));
    assert_non_null(strstr(f.text, "Information point")); /* where: the home screen */
    assert_non_null(strstr(f.text, "double tap"));
    assert_non_null(strstr(f.text, "swipe"));
    support_run(k, "audio removed\n");
    assert_false(ui_speech_mode(k->u));
    assert_false(f.on); /* stopped */
    support_kiosk_close(k);
}

static void entered_by_two_fingers_held_in_the_ui_language(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_with(&f, 90, "ru");
    support_run(k, "open category/constitution\n");
    support_run(k, "hold2 300 300 500 320 800\n"); /* too short */
    assert_false(ui_speech_mode(k->u));
    support_run(k, "hold2 300 300 500 320\n");
    assert_true(ui_speech_mode(k->u));
    assert_non_null(strstr(f.text, "Режим озвучивания включён"));
    support_expect_route(k, "category/constitution"); /* nothing under the fingers was tapped */
    support_kiosk_close(k);

    k = open_with(&f, 90, "kk");
    support_run(k, "hold2 300 300 500 320\n");
    assert_non_null(strstr(f.text, "Дыбыстап оқу режимі қосылды"));
    support_kiosk_close(k);
}

static void a_touch_says_and_a_double_tap_activates(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_speaking(&f, "en", "home");
    touch(k, "category/constitution");
    support_expect_route(k, "home"); /* said, not opened */
    assert_true(strlen(ui_speech_focus(k->u)) > 0);
    assert_string_equal(f.text, ui_speech_focus(k->u));
    /* A finger moved over the screen says what it passes. */
    SDL_Rect r;
    assert_int_equal(ui_locate_rect(k->u, "@lang", &r), 0);
    char line[96];
    snprintf(line, sizeof line, "drag %d %d %d %d 600\nwait 500\n", r.x + r.w / 2, r.y + r.h / 2 + 200,
             r.x + r.w / 2, r.y + r.h / 2);
    support_run(k, line);
    assert_string_equal(ui_speech_focus(k->u), "Language: English");
    support_expect_route(k, "home");
    /* Back to the tile, then a double tap anywhere opens it and says where. */
    touch(k, "category/constitution");
    double_tap(k);
    support_expect_route(k, "category/constitution");
    assert_true(strlen(f.text) > 0); /* the screen's name */
    assert_string_equal(ui_speech_focus(k->u), ""); /* a new screen: nothing focused yet */
    /* A double tap on the language button opens the sheet of languages;
     * one there changes the language. */
    touch(k, "@lang");
    double_tap(k);
    assert_string_equal(ui_lang(k->u), "en");
    touch(k, "@lang-kk");
    assert_string_equal(f.text, "Қазақша");
    double_tap(k);
    assert_string_equal(ui_lang(k->u), "kk");
    support_kiosk_close(k);
}

/* Swipes right from nothing focused: the labels in reading order. */
static void a_swipe_moves_in_reading_order(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_speaking(&f, "en", "category/constitution");
    char said[4][TARGET_LABEL_MAX];
    for (int i = 0; i < 4; i++) {
        support_run(k, "drag 200 300 600 300 120\nwait 100\n");
        snprintf(said[i], sizeof said[i], "%s", ui_speech_focus(k->u));
        assert_string_equal(f.text, said[i]);
    }
    /* The top bar first, left to right: Home, Back, then search... */
    assert_string_equal(said[0], "Home");
    assert_string_equal(said[1], "Back");
    assert_string_equal(said[2], "Search");
    assert_string_equal(said[3], "Language: English");
    support_run(k, "drag 600 300 200 300 120\nwait 100\n");
    assert_string_equal(ui_speech_focus(k->u), said[2]);
    support_expect_route(k, "category/constitution");
    /* The last target comes before the first. */
    support_run(k, "open home\nwait 1500\ndrag 600 300 200 300 120\nwait 100\n");
    assert_true(strlen(ui_speech_focus(k->u)) > 0);
    support_kiosk_close(k);
}

/* Two fingers dragged up scroll the page; one finger only explores it. */
static void two_fingers_scroll(void **state)
{
    (void)state;
    fake_voice f = {0};
    /* The home screen at the largest text: longer than the 7" screen (at
     * the normal size it fits it whole). */
    headless *k = open_with(&f, 90, "en");
    support_run(k, "open display\ntapon @size-4\nopen home\naudio added\nwait 1500\n");
    SDL_Rect before, after;
    assert_int_equal(ui_locate_rect(k->u, "category/news", &before), 0);
    support_run(k, "drag 200 400 200 150 400\nwait 500\n"); /* one finger: no scroll */
    assert_int_equal(ui_locate_rect(k->u, "category/news", &after), 0);
    assert_int_equal(after.y, before.y);
    for (int i = 0; i <= 10; i++) {
        float y = 400.0f - 15.0f * (float)i;
        if (i == 0) {
            ui_pointer_down(k->u, 1, 200, y, k->now);
            ui_pointer_down(k->u, 2, 260, y, k->now);
        } else {
            ui_pointer_move(k->u, 1, 200, y, k->now);
            ui_pointer_move(k->u, 2, 260, y, k->now);
        }
        k->now += 30;
        ui_tick(k->u, k->now);
    }
    ui_pointer_up(k->u, 2, 260, 250, k->now);
    ui_pointer_up(k->u, 1, 200, 250, k->now);
    support_run(k, "wait 2000\n");
    assert_int_equal(ui_locate_rect(k->u, "category/news", &after), 0);
    assert_true(after.y < before.y - 100);
    support_expect_route(k, "home");
    support_kiosk_close(k);
}

/* Where the keyboard's key for ch is (or the key it needs first). */
static void focus_key(headless *k, const char *ch)
{
    float x, y;
    bool done;
    assert_int_equal(ui_keyboard_locate(k->u, ch, &x, &y, &done), 0);
    tap_at_rect(k, (SDL_Rect){(int)x, (int)y, 1, 1});
}

static void the_keyboard_is_usable(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_speaking(&f, "en", "search");
    focus_key(k, "q");
    assert_string_equal(ui_speech_focus(k->u), "q");
    double_tap(k); /* types it */
    support_expect_route(k, "search?q=q");
    assert_string_equal(f.text, "q");
    focus_key(k, "-");
    assert_string_equal(ui_speech_focus(k->u), "Hyphen");
    focus_key(k, " ");
    assert_string_equal(ui_speech_focus(k->u), "Space");
    focus_key(k, "Q"); /* shift first */
    assert_string_equal(ui_speech_focus(k->u), "Capital letters");
    support_kiosk_close(k);

    k = open_speaking(&f, "ru", "search");
    focus_key(k, "-");
    assert_string_equal(ui_speech_focus(k->u), "Дефис");
    focus_key(k, "ж");
    assert_string_equal(ui_speech_focus(k->u), "ж");
    support_kiosk_close(k);
}

/* The search screen's "N results – show" is reached by swiping (after the
 * bar, before the keys) and a double tap hides the keyboard. */
static void the_show_button_is_reachable(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_with(&f, 90, "ru");
    support_run(k, "open display\ntapon @size-4\nopen search?q=%D0%BF%D1%80%D0%B5%D0%B7\naudio added\nwait 1500\n");
    SDL_Rect r;
    assert_int_equal(ui_locate_rect(k->u, "@search-show", &r), 0);
    int swipes = 0;
    for (; swipes < 12 && !strstr(ui_speech_focus(k->u), "показать"); swipes++)
        support_run(k, "drag 200 300 600 300 120\nwait 100\n");
    assert_non_null(strstr(ui_speech_focus(k->u), "результатов – показать"));
    assert_string_equal(f.text, ui_speech_focus(k->u));
    double_tap(k);
    assert_int_not_equal(ui_locate_rect(k->u, "@search-show", &r), 0);
    support_expect_route(k, "search?q=%D0%BF%D1%80%D0%B5%D0%B7");
    support_kiosk_close(k);
}

static void left_at_the_idle_reset_which_waits_longer(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_with(&f, 10, "en");
    support_run(k, "open category/constitution\naudio added\n");
    support_run(k, "wait 20000\n"); /* twice the idle time: still there */
    assert_true(ui_speech_mode(k->u));
    support_expect_route(k, "category/constitution");
    support_run(k, "wait 12000\n"); /* past three times */
    assert_false(ui_speech_mode(k->u));
    support_expect_route(k, "home");
    /* Even at home, untouched: the next person does not find it on. */
    support_run(k, "audio added\nwait 32000\n");
    assert_false(ui_speech_mode(k->u));
    assert_int_equal(ui_get_stats(k->u).idle_resets, 2);
    support_kiosk_close(k);
}

/* Every screen, swiped through from start to end: each target says
 * something (ui_check_layout also fails a target without a label, on
 * every screen at every size: test_navigation, test_admin). */
static void every_target_has_something_to_say(void **state)
{
    (void)state;
    static const char *const routes[] = {
        "home", "category/constitution", "item/constitution", "item/constitution#art43-5", "deck/key-changes/1",
        "deck/key-changes/8", "search", "search?q=%D0%BF%D1%80%D0%B5%D0%B7", "display",
    };
    static const char *const langs[] = {"kk", "ru", "en"};
    fake_voice f = {0};
    for (size_t l = 0; l < 3; l++) {
        headless *k = open_with(&f, 0, langs[l]);
        support_run(k, "audio added\n");
        for (size_t r = 0; r < sizeof routes / sizeof *routes; r++) {
            char line[300], err[512];
            snprintf(line, sizeof line, "open %s\nwait 1200\n", routes[r]);
            support_run(k, line);
            if (ui_check_layout(k->u, err, sizeof err) > 0)
                fail_msg("%s (%s, %s)", err, routes[r], langs[l]);
            for (int i = 0; i < 12; i++) {
                int says = f.says;
                support_run(k, "drag 200 300 600 300 120\nwait 50\n");
                assert_true(f.says > says); /* what the finger passed, then the next target */
                if (!f.text[0])
                    fail_msg("nothing said on %s (%s)", routes[r], langs[l]);
            }
        }
        support_kiosk_close(k);
    }
}

/* The reader's Listen, double tapped, reads the text: speech mode does
 * not talk over it. */
static void listen_reads_in_speech_mode(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_speaking(&f, "en", "item/how-to-use");
    touch(k, "@listen");
    assert_string_equal(f.text, "Listen");
    double_tap(k);
    assert_true(strlen(f.text) > 40); /* the item's text */
    assert_string_equal(ui_speech_focus(k->u), "Stop");
    support_expect_route(k, "item/how-to-use");
    support_kiosk_close(k);
}

/* A setting's button says its row and whether it is chosen. */
static void settings_say_their_row(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_speaking(&f, "en", "display");
    touch(k, "@contrast-high");
    assert_string_equal(f.text, "Contrast: High");
    double_tap(k);
    assert_string_equal(f.text, "Contrast: High, chosen");
    assert_int_equal(ui_contrast(k->u), THEME_HIGH_CONTRAST);
    support_kiosk_close(k);
}

/* Off, nothing changes: a tap still opens at once, no ring is drawn. */
static void off_by_default(void **state)
{
    (void)state;
    fake_voice f = {0};
    headless *k = open_with(&f, 90, "en");
    assert_false(ui_speech_mode(k->u));
    support_run(k, "tapon category/constitution\n");
    support_expect_route(k, "category/constitution");
    assert_int_equal(f.says, 0);
    support_kiosk_close(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entered_by_an_audio_output_and_left_when_unplugged),
        cmocka_unit_test(entered_by_two_fingers_held_in_the_ui_language),
        cmocka_unit_test(a_touch_says_and_a_double_tap_activates),
        cmocka_unit_test(a_swipe_moves_in_reading_order),
        cmocka_unit_test(the_show_button_is_reachable),
        cmocka_unit_test(two_fingers_scroll),
        cmocka_unit_test(the_keyboard_is_usable),
        cmocka_unit_test(left_at_the_idle_reset_which_waits_longer),
        cmocka_unit_test(every_target_has_something_to_say),
        cmocka_unit_test(listen_reads_in_speech_mode),
        cmocka_unit_test(settings_say_their_row),
        cmocka_unit_test(off_by_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
