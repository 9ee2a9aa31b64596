/* Read-aloud as the ui runs it (ui_speech.c), on a headless kiosk with the
 * sample bundle and a fake voice that plays "sentences" on a virtual clock:
 * the language of the screen is the language read; the sentence heard is
 * what the screen learns, and the loop is woken when it changes; a new
 * screen, a language change and leaving the kiosk stop the reading; while
 * something is read the idle reset waits, and comes once reading ends;
 * without a voice, or when it fails, the citizen gets a message in their
 * language, not an error. (The real voice: test_speech.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "ui.h"
#include "ui_view.h"

/* Sentences of 1 s each; the utterance ends after n of them. */
typedef struct {
    uint32_t now;
    uint32_t started;
    bool on;
    uint32_t id;
    char lang[4];
    size_t sentences;
    int says, stops;
    bool fail;
    char text[4096];     /* what the last say read (cut) */
    bool fixed;          /* heard: always [at, at + len) */
    size_t at, len;
} fake_voice;

static int fake_say(void *user, const char *text, const char *lang, uint32_t id, char *err, size_t errcap)
{
    fake_voice *f = user;
    snprintf(f->text, sizeof f->text, "%s", text);
    f->says++;
    if (f->fail) {
        snprintf(err, errcap, "no audio device");
        return -1;
    }
    f->on = true;
    f->id = id;
    f->started = f->now;
    snprintf(f->lang, sizeof f->lang, "%s", lang);
    return 0;
}

static void fake_stop(void *user)
{
    fake_voice *f = user;
    f->stops++;
    f->on = false;
}

static bool fake_heard(void *user, uint32_t *id, size_t *start, size_t *len)
{
    fake_voice *f = user;
    size_t n = (f->now - f->started) / 1000u;
    if (!f->on || n >= f->sentences)
        return f->on = false;
    *id = f->id;
    if (f->fixed) {
        *start = f->at;
        *len = f->len;
        return true;
    }
    *start = n * 10;
    *len = 10;
    return true;
}

static deadline fake_next(void *user, uint32_t now)
{
    fake_voice *f = user;
    (void)now;
    return f->on ? deadline_at(f->started + ((f->now - f->started) / 1000u + 1) * 1000u) : deadline_none();
}

static headless *open_with(fake_voice *f, int idle_reset_s)
{
    config c;
    support_config(&c);
    c.idle_reset_s = idle_reset_s;
    headless *k = support_kiosk_open(&c, support_sample_bundle(), 800, 480);
    assert_non_null(k->st);
    if (f)
        ui_set_voice(k->u, &(ui_voice){fake_say, fake_stop, fake_heard, fake_next, f});
    else
        ui_set_voice(k->u, NULL);
    f ? (void)(f->now = k->now) : (void)0;
    return k;
}

/* Advances the kiosk and the fake's clock together, a tick each 100 ms. */
static void pass(headless *k, fake_voice *f, uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += 100) {
        k->now += 100;
        if (f)
            f->now = k->now;
        ui_tick(k->u, k->now);
        if (ui_dirty(k->u))
            ui_draw(k->u);
    }
}

static void reads_in_the_screen_language_and_follows_the_sentence(void **state)
{
    (void)state;
    fake_voice f = {.sentences = 5};
    headless *k = open_with(&f, 90);
    ui_set_lang(k->u, "ru", k->now);
    assert_int_equal(ui_navigate(k->u, "item/constitution", k->now, NULL, 0), 0);
    assert_int_equal(ui_speak(k->u, "Раз. Два. Три. Четыре. Пять.", 7), 0);
    assert_string_equal(f.lang, "ru");
    assert_int_equal(f.id, 7);
    size_t start = 99, len = 0;
    pass(k, &f, 100);
    assert_true(ui_speaking(k->u, 7, &start, &len));
    assert_int_equal(start, 0);
    assert_false(ui_speaking(k->u, 8, &start, &len)); /* another screen's tag */
    /* The loop is woken when the sentence changes, not before. */
    deadline d = ui_next_deadline(k->u, k->now);
    assert_true(d.set);
    assert_true(deadline_left(d, k->now) <= 1000);
    pass(k, &f, 1500);
    assert_true(ui_speaking(k->u, 7, &start, &len));
    assert_int_equal(start, 10);
    pass(k, &f, 4000); /* read to the end */
    assert_false(ui_speaking(k->u, 7, &start, &len));
    assert_int_equal(ui_get_stats(k->u).utterances, 1);
    support_kiosk_close(k);
}

static void a_new_screen_or_language_stops_it(void **state)
{
    (void)state;
    fake_voice f = {.sentences = 100};
    headless *k = open_with(&f, 90);
    size_t start, len;
    assert_int_equal(ui_navigate(k->u, "item/constitution", k->now, NULL, 0), 0);
    assert_int_equal(ui_speak(k->u, "One. Two.", 1), 0);
    assert_int_equal(ui_navigate(k->u, "home", k->now, NULL, 0), 0);
    assert_int_equal(f.stops, 1);
    assert_false(f.on);
    assert_false(ui_speaking(k->u, 1, &start, &len));

    assert_int_equal(ui_speak(k->u, "One. Two.", 2), 0);
    ui_set_lang(k->u, ui_lang(k->u), k->now); /* the same language: reading goes on */
    assert_true(f.on);
    ui_set_lang(k->u, strcmp(ui_lang(k->u), "en") ? "en" : "kk", k->now);
    assert_false(f.on);
    assert_int_equal(f.stops, 2);

    assert_int_equal(ui_speak(k->u, "One.", 3), 0);
    ui_speak_stop(k->u); /* the second tap */
    assert_false(f.on);
    assert_int_equal(ui_speak(k->u, "One.", 4), 0);
    support_kiosk_close(k); /* leaving stops it too */
    assert_false(f.on);
}

static void the_idle_reset_waits_while_someone_listens(void **state)
{
    (void)state;
    fake_voice f = {.sentences = 8};
    headless *k = open_with(&f, 3); /* reset after 3 s without a touch */
    assert_int_equal(ui_navigate(k->u, "item/constitution", k->now, NULL, 0), 0);
    assert_int_equal(ui_speak(k->u, "A long text.", 1), 0);
    pass(k, &f, 7000); /* 7 s of listening, no touch */
    assert_int_equal(ui_get_stats(k->u).idle_resets, 0);
    support_expect_route(k, "item/constitution");
    pass(k, &f, 1500); /* reading ends at 8 s */
    assert_false(f.on);
    assert_int_equal(ui_get_stats(k->u).idle_resets, 0);
    pass(k, &f, 3500); /* then the usual 3 s */
    assert_int_equal(ui_get_stats(k->u).idle_resets, 1);
    support_expect_route(k, "home");
    support_kiosk_close(k);
}

static void without_a_voice_the_citizen_is_told(void **state)
{
    (void)state;
    headless *k = open_with(NULL, 90);
    ui_set_lang(k->u, "kk", k->now);
    assert_int_equal(ui_speak(k->u, "Бір.", 1), -1);
    assert_string_equal(ui_toast_text(k->u), "Дауыстап оқу қолжетімсіз");
    support_kiosk_close(k);

    fake_voice f = {.sentences = 3, .fail = true};
    k = open_with(&f, 90);
    ui_set_lang(k->u, "en", k->now);
    assert_int_equal(ui_speak(k->u, "One.", 1), -1);
    assert_int_equal(f.says, 1);
    assert_string_equal(ui_toast_text(k->u), "Reading aloud is not available");
    size_t start, len;
    assert_false(ui_speaking(k->u, 1, &start, &len));
    support_kiosk_close(k);
}

/* Pixels of colour c in the band of rows [y0, y1) of the last frame. */
static int count_colour(const headless *k, uint32_t c, int y0, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < 800; x++)
            n += support_pixel(k, x, y) == c;
    return n;
}

/* The reader's speaker button reads the page from the block at the top of
 * the screen, marks the sentence heard on the page, and stops on a second
 * tap. */
static void the_reader_speaker_reads_from_the_screen(void **state)
{
    (void)state;
    const uint32_t marker = 0xFEE27A; /* the standard theme's highlight */
    fake_voice f = {.sentences = 100, .fixed = true};
    headless *k = open_with(&f, 90);
    ui_set_lang(k->u, "kk", k->now);
    assert_int_equal(ui_navigate(k->u, "item/constitution#art43-5", k->now, NULL, 0), 0);
    pass(k, &f, 2500); /* the clause's glow fades */
    assert_int_equal(count_colour(k, marker, 160, 210), 0);
    support_run(k, "tapon @listen");
    assert_int_equal(f.says, 1);
    assert_string_equal(f.lang, "kk");
    /* The article from its heading, a pause after the heading. */
    assert_true(strncmp(f.text, "43-бап.\n", strlen("43-бап.\n")) == 0);
    const char *sentence = strstr(f.text, "Президент");
    assert_non_null(sentence);
    /* The voice is in the first clause: its words are marked. */
    f.at = (size_t)(sentence - f.text);
    f.len = strcspn(sentence, "\n");
    pass(k, &f, 200);
    ui_draw(k->u);
    int marked = count_colour(k, marker, 160, 210);
    assert_true(marked > 2000);
    /* The other clause is not. */
    assert_int_equal(count_colour(k, marker, 215, 260), 0);
    support_run(k, "tapon @listen"); /* the second tap */
    assert_false(f.on);
    assert_int_equal(f.stops, 1);
    ui_draw(k->u);
    assert_int_equal(count_colour(k, marker, 160, 210), 0);

    /* Scrolled down a long article, it starts lower: less to read. */
    assert_int_equal(ui_navigate(k->u, "item/commission-session", k->now, NULL, 0), 0);
    support_run(k, "tapon @listen");
    size_t whole = strlen(f.text);
    char first[64];
    snprintf(first, sizeof first, "%.40s", f.text);
    support_run(k, "tapon @listen\ndrag 400 400 400 60 300\nwait 3000\ndrag 400 400 400 60 300\nwait 3000\ntapon @listen");
    assert_int_equal(f.says, 3);
    assert_true(strlen(f.text) < whole);
    assert_true(strncmp(f.text, first, strlen(first)) != 0);
    support_kiosk_close(k);
}

/* The deck's speaker reads the card shown, title first, marks the
 * sentence heard, and turning the card stops it. */
static void the_deck_speaker_reads_the_card(void **state)
{
    (void)state;
    const uint32_t marker = 0xFEE27A;
    fake_voice f = {.sentences = 100, .fixed = true};
    headless *k = open_with(&f, 90);
    ui_set_lang(k->u, "en", k->now);
    assert_int_equal(ui_navigate(k->u, "deck/key-changes/1", k->now, NULL, 0), 0);
    pass(k, &f, 500);
    assert_int_equal(count_colour(k, marker, 60, 400), 0);
    support_run(k, "tapon @listen");
    assert_int_equal(f.says, 1);
    assert_true(strncmp(f.text, "Goal: a Just Kazakhstan.\n", 25) == 0);
    const char *sentence = strstr(f.text, "The Preamble");
    assert_non_null(sentence);
    f.at = (size_t)(sentence - f.text);
    f.len = strcspn(sentence, ".") + 1;
    pass(k, &f, 200);
    ui_draw(k->u);
    assert_true(count_colour(k, marker, 60, 400) > 1000);
    support_run(k, "drag 700 300 100 300 250"); /* to the next card */
    support_expect_route(k, "deck/key-changes/2");
    assert_false(f.on);
    ui_draw(k->u);
    assert_int_equal(count_colour(k, marker, 60, 400), 0);
    support_kiosk_close(k);
}

/* An item missing in the ui's language is shown in the bundle's fallback
 * language, and read by that language's voice: the Kazakh voice would
 * spell Russian text letter by letter. */
static void text_in_another_language_is_read_in_its_own(void **state)
{
    (void)state;
    char dir[256], bundle[300], cmd[2400];
    assert_non_null(support_tempdir(dir, sizeof dir, "speech-lang"));
    snprintf(bundle, sizeof bundle, "%s/no-kk.ipb", dir);
    /* The sample content without the Kazakh text of one item. */
    snprintf(cmd, sizeof cmd,
             "cp -r '%s/assets/content' '%s/content' && rm '%s/content/items/commission-session/kk.md' && "
             "'%s/infopoint-bundle' build '%s/content' -o '%s' >/dev/null 2>&1",
             INFOPOINT_SOURCE_DIR, dir, dir, INFOPOINT_BUILD_DIR, dir, bundle);
    assert_int_equal(system(cmd), 0);
    fake_voice f = {.sentences = 100, .fixed = true};
    config c;
    support_config(&c);
    headless *k = support_kiosk_open(&c, bundle, 800, 480);
    assert_non_null(k->st);
    ui_set_voice(k->u, &(ui_voice){fake_say, fake_stop, fake_heard, fake_next, &f});
    f.now = k->now;
    ui_set_lang(k->u, "kk", k->now);
    assert_int_equal(ui_navigate(k->u, "item/commission-session", k->now, NULL, 0), 0);
    pass(k, &f, 500);
    support_run(k, "tapon @listen");
    assert_int_equal(f.says, 1);
    assert_string_not_equal(f.lang, "kk");
    assert_true(!strcmp(f.lang, "ru") || !strcmp(f.lang, "en"));
    support_kiosk_close(k);
    support_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_in_the_screen_language_and_follows_the_sentence),
        cmocka_unit_test(a_new_screen_or_language_stops_it),
        cmocka_unit_test(the_idle_reset_waits_while_someone_listens),
        cmocka_unit_test(without_a_voice_the_citizen_is_told),
        cmocka_unit_test(the_reader_speaker_reads_from_the_screen),
        cmocka_unit_test(the_deck_speaker_reads_the_card),
        cmocka_unit_test(text_in_another_language_is_read_in_its_own),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
