/* speech: each language's voice reads a sentence aloud, captured with SDL's
 * disk audio driver (SDL_AUDIODRIVER=disk writes what the device plays to
 * a raw file, at the pace of a real device). The capture must be speech:
 * non-silent, of the length the text takes to say, its sentences reported
 * in order while heard; a stop silences it at once; the voices differ.
 * Where it goes: on SDL's ALSA driver, with an ALSA configuration of the
 * test's own, a named output (a headset) hears it and the default (the
 * public speaker) does not; an output that goes away mid-sentence ends the
 * utterance and the next one is heard on a device opened anew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "speech.h"
#include "support.h"

static char capture[256];
static char alsa_home[256]; /* alsa_config's, once made */

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

/* A speaker on SDL's disk driver, which writes what it plays to file. */
static speech *disk_speaker(const char *file)
{
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", file, 1);
    assert_int_equal(SDL_Init(0), 0);
    return speech_create(&(speech_config){0});
}

/* Reads text aloud in lang and waits until it has been heard; checks the
 * sentences were reported in order. Returns the capture. */
static pcm say_and_capture(const char *text, const char *lang, int *rate, int sentences)
{
    unlink(capture);
    speech *s = disk_speaker(capture);
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
    speech *s = disk_speaker(capture);
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
    speech *s = disk_speaker(capture);
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

/* ---- where the audio goes ------------------------------------------------ */

/* A FIFO standing for one audio output: whatever plays into it (ALSA's
 * file plugin, SDL's disk driver) is drained by a thread at the pace of a
 * 22050 Hz 16-bit mono device and kept. ALSA's null PCM under the file
 * plugin takes audio as fast as it comes: undrained at a device's pace,
 * SDL would write silence as fast as the CPU goes. The thread opens the
 * FIFO again after each close (the device reopened); cut_after > 0 closes
 * it after that many bytes, as a headset pulled out mid-sentence. */
typedef struct {
    char path[256];
    size_t cut_after;
    pthread_t thread;
    atomic_bool stop, done;
    pthread_mutex_t lock;
    char *bytes;
    size_t n, cap;
    unsigned opens;
} sink;

static void keep(sink *k, const char *buf, size_t n)
{
    pthread_mutex_lock(&k->lock);
    if (k->n + n > k->cap) {
        k->cap = (k->n + n) * 2;
        k->bytes = realloc(k->bytes, k->cap);
        assert_non_null(k->bytes);
    }
    memcpy(k->bytes + k->n, buf, n);
    k->n += n;
    pthread_mutex_unlock(&k->lock);
}

/* One opening of the FIFO, read at 44100 bytes a second until the writer
 * closes it. Returns false when cut_after ended it. */
static bool drain_once(sink *k, int fd)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t got = 0;
    char buf[882]; /* 20 ms */
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        keep(k, buf, (size_t)r);
        got += (size_t)r;
        if (k->cut_after && got >= k->cut_after)
            return false;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double ahead = (double)got / 44100.0 - ((double)(now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9);
        if (ahead > 0)
            SDL_Delay((Uint32)(ahead * 1000));
    }
    return true;
}

static void *drain(void *arg)
{
    sink *k = arg;
    for (;;) {
        int fd = open(k->path, O_RDONLY); /* waits for a writer */
        if (fd < 0 || atomic_load(&k->stop)) {
            if (fd >= 0)
                close(fd);
            break;
        }
        pthread_mutex_lock(&k->lock);
        k->opens++;
        pthread_mutex_unlock(&k->lock);
        bool again = drain_once(k, fd);
        close(fd);
        if (!again) /* the writer must find no reader now */
            break;
    }
    atomic_store(&k->done, true);
    return NULL;
}

static void sink_start(sink *k, const char *dir, const char *name, size_t cut_after)
{
    memset(k, 0, sizeof *k);
    int n = snprintf(k->path, sizeof k->path, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < sizeof k->path);
    k->cut_after = cut_after;
    pthread_mutex_init(&k->lock, NULL);
    assert_int_equal(mkfifo(k->path, 0600), 0);
    assert_int_equal(pthread_create(&k->thread, NULL, drain, k), 0);
}

/* Ends the thread (it waits in open for a writer: this is one) and hands
 * back what was heard. */
static pcm sink_stop(sink *k, unsigned *opens)
{
    atomic_store(&k->stop, true);
    for (int i = 0; i < 1000 && !atomic_load(&k->done); i++) {
        int fd = open(k->path, O_WRONLY | O_NONBLOCK); /* ENXIO: no reader waits */
        if (fd >= 0)
            close(fd);
        SDL_Delay(10);
    }
    assert_true(atomic_load(&k->done));
    pthread_join(k->thread, NULL);
    pthread_mutex_destroy(&k->lock);
    unlink(k->path);
    *opens = k->opens;
    pcm p = {(short *)k->bytes, k->n / sizeof(short)};
    return p;
}

/* The ALSA configuration alsa-lib reads first; its hooks read ~/.asoundrc,
 * which alsa-lib reads again only when a file of ALSA_CONFIG_PATH changed. */
#define ALSA_CONF "/usr/share/alsa/alsa.conf"

/* An ALSA configuration of this test's own (in a folder of its own, which
 * is HOME too, made once): ALSA's own, then asound.conf, where the default
 * PCM and one named "headset" each write to a FIFO. Returns the folder. */
static const char *alsa_config(void)
{
    if (alsa_home[0])
        return alsa_home;
    const char *home = support_tempdir(alsa_home, sizeof alsa_home, "speech-alsa");
    char path[512], config_path[1024];
    snprintf(path, sizeof path, "%s/asound.conf", home);
    snprintf(config_path, sizeof config_path, "%s:%s", ALSA_CONF, path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "pcm.!default { type file slave.pcm \"null\" file \"%s/public.fifo\" format \"raw\" }\n"
            "pcm.headset { type file slave.pcm \"null\" file \"%s/headset.fifo\" format \"raw\" }\n",
            home, home);
    fclose(f);
    setenv("ALSA_CONFIG_PATH", config_path, 1);
    setenv("HOME", home, 1); /* no ~/.asoundrc there */
    unsetenv("AUDIODEV");
    unsetenv("XDG_CONFIG_HOME");
    return home;
}

/* Reads text until heard (up to 30 s). */
static void say_until_heard(speech *s, const char *text, const char *lang, uint32_t id)
{
    char err[256];
    if (speech_say(s, text, lang, id, err, sizeof err) < 0)
        fail_msg("speech_say: %s", err);
    assert_true(within(s, quiet, 30000));
}

/* Private listening on plain ALSA, for real: SDL's ALSA driver, a PCM
 * named as the kiosk names a headset's card. Told to play to "headset"
 * (which SDL does not list), the speech is heard there and nothing reaches
 * the default (the public speaker); told NULL (the headset pulled), the
 * device closes at once and the next say plays to the default again. */
static void test_alsa_output_is_the_one_named(void **unused)
{
    (void)unused;
    const char *home = alsa_config();
    sink pub, head;
    sink_start(&pub, home, "public.fifo", 0);
    sink_start(&head, home, "headset.fifo", 0);
    setenv("SDL_AUDIODRIVER", "alsa", 1);
    assert_int_equal(SDL_Init(0), 0);
    speech *s = speech_create(&(speech_config){0});
    speech_set_output(s, "headset");
    uint32_t t0 = SDL_GetTicks();
    say_until_heard(s, texts[2].text, "en", 1);
    print_message("alsa headset: %u ms from the say to all heard, first audio queued after %u ms\n",
                  SDL_GetTicks() - t0, speech_get_stats(s).first_audio_ms);
    speech_set_output(s, NULL);
    t0 = SDL_GetTicks();
    assert_true(within(s, closed, 1000));
    print_message("alsa headset: closed %u ms after the output was unset\n", SDL_GetTicks() - t0);
    say_until_heard(s, "Yes, it is.", "en", 2);
    assert_string_equal(getenv("AUDIODEV"), "default"); /* put back at the opening */
    speech_stats st = speech_get_stats(s);
    speech_destroy(s);
    SDL_Quit();
    unsigned pub_opens, head_opens;
    pcm h = sink_stop(&head, &head_opens), p = sink_stop(&pub, &pub_opens);
    capture_stats hs = measure(&h, 22050), ps = measure(&p, 22050);
    print_message("alsa headset: %.2f s voiced (%zu samples, %u opens); default: %.2f s voiced (%u opens)\n",
                  hs.voiced_s, h.n, head_opens, ps.voiced_s, pub_opens);
    assert_int_equal(st.device_opens, 2);
    assert_int_equal(head_opens, 1);
    assert_true(hs.voiced_s >= texts[2].min_s && hs.voiced_s <= texts[2].max_s);
    assert_true(hs.loud_share > 0.5 && hs.rms > 1000);
    assert_int_equal(pub_opens, 1); /* only the second say */
    assert_true(ps.voiced_s > 0.4 && ps.voiced_s < 3.0);
    free(h.s);
    free(p.s);
    unsetenv("AUDIODEV");
}

/* A headset's device cannot be opened at once (udev has not yet given it
 * to the audio group; here the PCM "late" is defined 300 ms after the say,
 * and alsa-lib reads its configuration again as it changed): the
 * thread tries again and the speech is heard there, never on the default. */
static void test_alsa_output_opened_when_it_can_be(void **unused)
{
    (void)unused;
    const char *home = alsa_config();
    sink pub, head;
    sink_start(&pub, home, "public.fifo", 0);
    setenv("SDL_AUDIODRIVER", "alsa", 1);
    assert_int_equal(SDL_Init(0), 0);
    speech *s = speech_create(&(speech_config){.device = "late"});
    char err[256];
    assert_int_equal(speech_say(s, "Yes, it is.", "en", 1, err, sizeof err), 0);
    SDL_Delay(300);
    sink_start(&head, home, "late.fifo", 0);
    char path[512];
    snprintf(path, sizeof path, "%s/asound.conf", home);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fprintf(f, "pcm.late { type file slave.pcm \"null\" file \"%s/late.fifo\" format \"raw\" }\n", home);
    fclose(f);
    assert_true(within(s, quiet, 10000));
    speech_stats st = speech_get_stats(s);
    print_message("late device: first audio queued %u ms after the say\n", st.first_audio_ms);
    speech_destroy(s);
    SDL_Quit();
    unsigned pub_opens, head_opens;
    pcm h = sink_stop(&head, &head_opens), p = sink_stop(&pub, &pub_opens);
    capture_stats hs = measure(&h, 22050);
    assert_int_equal(st.device_opens, 1);
    assert_int_equal(head_opens, 1);
    assert_int_equal(pub_opens, 0);
    assert_true(hs.voiced_s > 0.4 && hs.voiced_s < 3.0);
    assert_true(st.first_audio_ms >= 300);
    free(h.s);
    free(p.s);
    unsetenv("AUDIODEV");
}

/* The output goes away mid-sentence (SDL's write fails: what a pulled USB
 * headset does on ALSA; here the disk driver's FIFO is closed by its
 * reader): the speaker stops saying it is speaking, closes the device and
 * plays the next say on the device opened anew. */
static void test_output_lost_mid_sentence(void **unused)
{
    (void)unused;
    char dir[256];
    assert_non_null(support_tempdir(dir, sizeof dir, "speech-lost"));
    signal(SIGPIPE, SIG_IGN); /* a write to the closed FIFO fails instead */
    sink gone;
    sink_start(&gone, dir, "out.fifo", 44100); /* 1 s */
    speech *s = disk_speaker(gone.path);
    char err[256];
    assert_int_equal(speech_say(s, texts[2].text, "en", 1, err, sizeof err), 0);
    SDL_Delay(300);
    assert_true(speech_now(s).speaking);
    uint32_t t0 = SDL_GetTicks();
    assert_true(within(s, quiet, 4000));
    print_message("lost output: silent %u ms after 0.3 s (the FIFO closes after 1 s of audio)\n",
                  SDL_GetTicks() - t0);
    assert_true(within(s, closed, 2000));
    assert_int_equal(speech_get_stats(s).devices_lost, 1);
    setenv("SDL_DISKAUDIOFILE", capture, 1);
    unlink(capture);
    say_until_heard(s, "Yes, it is.", "en", 2);
    assert_int_equal(speech_get_stats(s).device_opens, 2);
    speech_destroy(s);
    SDL_Quit();
    unsigned opens;
    pcm g = sink_stop(&gone, &opens);
    free(g.s);
    pcm p = read_capture();
    capture_stats cs = measure(&p, 22050);
    print_message("after the loss: %.2f s voiced on the new device\n", cs.voiced_s);
    assert_true(cs.voiced_s > 0.4);
    free(p.s);
    support_rmtree(dir);
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
        cmocka_unit_test(test_alsa_output_is_the_one_named),
        cmocka_unit_test(test_alsa_output_opened_when_it_can_be),
        cmocka_unit_test(test_output_lost_mid_sentence),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(capture);
    if (alsa_home[0])
        support_rmtree(alsa_home);
    return rc;
}
