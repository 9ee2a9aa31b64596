/* speech: each language's voice reads a sentence aloud, captured with SDL's
 * disk audio driver (SDL_AUDIODRIVER=disk writes what the device plays to
 * a raw file, at the pace of a real device). The capture must be speech:
 * non-silent, of the length the text takes to say, its sentences reported
 * in order while heard; a stop silences it at once; the voices differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "speech.h"

static char capture[256];

/* 16-bit mono samples of a capture file. */
typedef struct {
    short *s;
    size_t n;
} pcm;

static pcm read_capture(void)
{
    pcm p = {0};
    FILE *f = fopen(capture, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    p.s = malloc((size_t)bytes + 2);
    p.n = fread(p.s, sizeof(short), (size_t)bytes / 2, f);
    fclose(f);
    return p;
}

/* What is in a capture: how long the voice is heard (first to last loud
 * 20 ms frame), what share of those frames carry sound, and the RMS level. */
typedef struct {
    double voiced_s;      /* first to last loud frame */
    double loud_share;    /* loud frames / frames in that span */
    double rms;           /* over that span, of 32768 */
} capture_stats;

static capture_stats measure(const pcm *p, int rate)
{
    capture_stats cs = {0};
    size_t frame = (size_t)rate / 50, first = SIZE_MAX, last = 0, loud = 0;
    for (size_t f = 0; (f + 1) * frame <= p->n; f++) {
        double e = 0;
        for (size_t i = 0; i < frame; i++)
            e += (double)p->s[f * frame + i] * p->s[f * frame + i];
        if (sqrt(e / (double)frame) > 300) { /* -40 dBFS */
            if (first == SIZE_MAX)
                first = f;
            last = f;
        }
    }
    if (first == SIZE_MAX)
        return cs;
    double sum = 0;
    for (size_t f = first; f <= last; f++) {
        double e = 0;
        for (size_t i = 0; i < frame; i++)
            e += (double)p->s[f * frame + i] * p->s[f * frame + i];
        sum += e;
        loud += sqrt(e / (double)frame) > 300;
    }
    cs.voiced_s = (double)(last - first + 1) / 50.0;
    cs.loud_share = (double)loud / (double)(last - first + 1);
    cs.rms = sqrt(sum / (double)((last - first + 1) * frame));
    return cs;
}

/* Reads text aloud in lang and waits until it has been heard; checks the
 * sentences were reported in order. Returns the capture. */
static pcm say_and_capture(const char *text, const char *lang, int *rate, int sentences)
{
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", capture, 1);
    unlink(capture);
    assert_int_equal(SDL_Init(0), 0);
    speech *s = speech_create(&(speech_config){0});
    char err[256];
    if (speech_say(s, text, lang, 7, err, sizeof err) < 0)
        fail_msg("speech_say %s: %s", lang, err);
    size_t last_start = 0;
    int seen = 0;
    uint32_t t0 = SDL_GetTicks();
    for (;;) {
        speech_position p = speech_now(s);
        if (!p.speaking)
            break;
        assert_int_equal(p.id, 7);
        if (p.len > 0 && (seen == 0 || p.start > last_start)) {
            assert_true(p.start >= last_start);
            assert_true(p.start + p.len <= strlen(text));
            last_start = p.start;
            seen++;
        }
        deadline d = speech_next_change(s, SDL_GetTicks());
        assert_true(d.set);
        assert_true(deadline_left(d, SDL_GetTicks()) <= 5000);
        SDL_Delay(20);
        assert_true(SDL_GetTicks() - t0 < 30000);
    }
    assert_int_equal(seen, sentences);
    speech_stats st = speech_get_stats(s);
    assert_int_equal(st.sample_rate, 22050);
    assert_true(st.samples_queued > 22050);
    print_message("%s: %.1f s of audio queued, first audio %u ms after the call\n", lang,
                  (double)st.samples_queued / st.sample_rate, st.first_audio_ms);
    *rate = st.sample_rate;
    speech_destroy(s);
    SDL_Quit();
    return read_capture();
}

typedef struct {
    const char *lang, *text;
    int sentences;
    double min_s, max_s;  /* how long saying it takes, generously */
} sample_text;

static const sample_text texts[] = {
    {"kk", "Қазақстан Республикасы – демократиялық, зайырлы мемлекет. Адам мен оның құқықтары ең қымбат қазына.", 2,
     3.0, 14.0},
    {"ru", "Республика Казахстан – демократическое, светское государство. Человек и его права – высшая ценность.", 2,
     3.0, 14.0},
    {"en", "Kazakhstan is a democratic and secular state. A person and their rights are the highest value.", 2, 3.0,
     12.0},
};

static void test_each_voice_reads_aloud(void **unused)
{
    (void)unused;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        int rate;
        pcm p = say_and_capture(texts[i].text, texts[i].lang, &rate, texts[i].sentences);
        capture_stats cs = measure(&p, rate);
        print_message("%s: %.2f s voiced, %.0f %% of frames loud, RMS %.0f\n", texts[i].lang, cs.voiced_s,
                      cs.loud_share * 100, cs.rms);
        assert_true(cs.voiced_s >= texts[i].min_s && cs.voiced_s <= texts[i].max_s);
        /* Speech has pauses between words, but is mostly sound. */
        assert_true(cs.loud_share > 0.5 && cs.loud_share < 0.99);
        assert_true(cs.rms > 1000);
        free(p.s);
    }
}

/* The same Cyrillic words through the kk and the ru voice: different
 * letter-to-sound rules, so different audio. */
static void test_voices_differ(void **unused)
{
    (void)unused;
    int rate;
    const char *text = "Конституция, сайлау, құқық.";
    pcm kk = say_and_capture(text, "kk", &rate, 1);
    pcm ru = say_and_capture(text, "ru", &rate, 1);
    size_t n = kk.n < ru.n ? kk.n : ru.n, same = 0;
    for (size_t i = 0; i < n; i++)
        same += kk.s[i] == ru.s[i];
    assert_true(kk.n != ru.n || same < n / 2);
    free(kk.s);
    free(ru.s);
}

/* A stop silences the voice at once; a second say starts from the top. */
static void test_stop_is_immediate(void **unused)
{
    (void)unused;
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", capture, 1);
    assert_int_equal(SDL_Init(0), 0);
    speech *s = speech_create(&(speech_config){0});
    char err[256];
    assert_int_equal(speech_say(s, texts[2].text, "en", 1, err, sizeof err), 0);
    SDL_Delay(600);
    assert_true(speech_now(s).speaking);
    speech_stop(s);
    assert_false(speech_now(s).speaking);
    assert_false(speech_next_change(s, SDL_GetTicks()).set);
    assert_int_equal(speech_say(s, texts[1].text, "ru", 2, err, sizeof err), 0);
    speech_position p = speech_now(s);
    assert_true(p.speaking);
    assert_int_equal(p.id, 2);
    assert_int_equal(p.start, 0);
    speech_destroy(s);
    SDL_Quit();
}

/* Waits up to ms until p(s) holds; returns whether it did. */
static bool within(speech *s, bool (*p)(speech *), uint32_t ms)
{
    uint32_t t0 = SDL_GetTicks();
    while (!p(s)) {
        if (SDL_GetTicks() - t0 > ms)
            return false;
        SDL_Delay(20);
    }
    return true;
}

static bool quiet(speech *s)
{
    return !speech_now(s).speaking;
}

static bool closed(speech *s)
{
    return !speech_get_stats(s).device_open;
}

/* An open device wakes its thread every buffer even in silence: it closes
 * once all is heard and stays quiet, and the next say opens it again and
 * is heard (the disk driver starts its file afresh on each open). */
static void test_device_closes_when_quiet(void **unused)
{
    (void)unused;
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", capture, 1);
    assert_int_equal(SDL_Init(0), 0);
    speech *s = speech_create(&(speech_config){0});
    char err[256];
    assert_int_equal(speech_say(s, "Yes, it is.", "en", 1, err, sizeof err), 0);
    assert_true(speech_get_stats(s).device_open);
    assert_true(within(s, quiet, 10000));
    uint32_t heard = SDL_GetTicks();
    assert_true(within(s, closed, 4000));
    uint32_t after = SDL_GetTicks() - heard;
    print_message("device closed %u ms after the last audio was heard\n", after);
    assert_true(after >= 1500); /* not while someone may still tap Listen again */
    unlink(capture);
    assert_int_equal(speech_say(s, texts[2].text, "en", 2, err, sizeof err), 0);
    assert_true(speech_now(s).speaking);
    assert_true(within(s, quiet, 20000));
    speech_stats st = speech_get_stats(s);
    assert_int_equal(st.device_opens, 2);
    assert_true(st.samples_queued > 3 * 22050);
    speech_destroy(s);
    SDL_Quit();
    pcm p = read_capture();
    capture_stats cs = measure(&p, 22050);
    print_message("second say after reopening: %.1f s voiced\n", cs.voiced_s);
    assert_true(cs.voiced_s > 3.0);
    free(p.s);
}

static void test_unknown_language_is_refused(void **unused)
{
    (void)unused;
    speech *s = speech_create(NULL);
    char err[256] = "";
    assert_int_equal(speech_say(s, "Bonjour", "fr", 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "fr"));
    assert_false(speech_now(s).speaking); /* and nothing was loaded */
    speech_destroy(s);
}

int main(void)
{
    snprintf(capture, sizeof capture, "/tmp/infopoint-speech-%d.raw", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_language_is_refused),
        cmocka_unit_test(test_each_voice_reads_aloud),
        cmocka_unit_test(test_voices_differ),
        cmocka_unit_test(test_stop_is_immediate),
        cmocka_unit_test(test_device_closes_when_quiet),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(capture);
    return rc;
}
