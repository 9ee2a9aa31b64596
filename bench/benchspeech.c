#include "benchspeech.h"

#include <SDL.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "headless.h"
#include "platform.h"
#include "speech.h"
#include "store.h"

#define SPEECH_RATE 22050
#define TEXT_CAP 4096

/* What the citizen hears first on the sample's main screens: the titles
 * and summaries of these items, read as one text. */
static const char *const items[] = {"constitution", "key-changes", "commission-session"};

typedef struct {
    double call_ms;     /* the first speech_say call itself, on the caller's (UI) thread */
    uint32_t cold_ms;   /* then to its first audio queued (the call loaded the voices) */
    uint32_t warm_ms;   /* median of the warm says */
    long rss_before_kb, rss_peak_kb, rss_after_kb;
    double heard_s, voiced_s, loud_share, rms;
    size_t text_bytes;
} voice_figures;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void sample_text(store *st, const char *lang, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        store_item it;
        if (store_item_get(st, items[i], lang, &it) < 0)
            continue;
        int w = snprintf(out + n, cap - n, "%s%s. %s", n ? " " : "", it.title, it.summary);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

/* Waits until the last say has queued its first audio (or 10 s pass);
 * its delay in ms, or UINT32_MAX when none came. */
static uint32_t wait_first_audio(speech *s)
{
    for (int i = 0; i < 2000; i++) {
        speech_stats st = speech_get_stats(s);
        if (st.first_audio_of == st.utterances)
            return st.first_audio_ms;
        SDL_Delay(5);
    }
    return UINT32_MAX;
}

/* Plays the whole text, sampling resident memory while it is heard. */
static void play_through(speech *s, voice_figures *v)
{
    uint32_t t0 = SDL_GetTicks();
    while (speech_now(s).speaking && SDL_GetTicks() - t0 < 120000) {
        long kb = platform_status_kb("VmRSS");
        if (kb > v->rss_peak_kb)
            v->rss_peak_kb = kb;
        SDL_Delay(20);
    }
    v->heard_s = (double)(SDL_GetTicks() - t0) / 1000.0;
}

/* Warm delay: say a sentence, wait for its first audio, stop; n times. */
static uint32_t warm_delay(speech *s, const char *text, const char *lang, int n)
{
    uint32_t ms[32];
    char err[256];
    if (n > 32)
        n = 32;
    for (int i = 0; i < n; i++) {
        if (speech_say(s, text, lang, (uint32_t)i + 2, err, sizeof err) < 0)
            return 0;
        ms[i] = wait_first_audio(s);
        speech_stop(s);
        SDL_Delay(50);
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_u32);
    return ms[n / 2];
}

/* Loudness of the capture, as tests/unit/test_speech.c measures it: the
 * span from the first to the last 20 ms frame above -40 dBFS, the share
 * of loud frames in it, its RMS. */
static void analyse(const short *p, size_t n, voice_figures *v)
{
    size_t frame = SPEECH_RATE / 50, first = SIZE_MAX, last = 0, loud = 0;
    double sum = 0;
    for (size_t f = 0; (f + 1) * frame <= n; f++) {
        double e = 0;
        for (size_t i = 0; i < frame; i++)
            e += (double)p[f * frame + i] * p[f * frame + i];
        if (sqrt(e / (double)frame) > 300) {
            first = first == SIZE_MAX ? f : first;
            last = f;
        }
    }
    for (size_t f = first; first != SIZE_MAX && f <= last; f++) {
        double e = 0;
        for (size_t i = 0; i < frame; i++)
            e += (double)p[f * frame + i] * p[f * frame + i];
        sum += e;
        loud += sqrt(e / (double)frame) > 300;
    }
    if (first == SIZE_MAX)
        return;
    v->voiced_s = (double)(last - first + 1) / 50.0;
    v->loud_share = (double)loud / (double)(last - first + 1);
    v->rms = sqrt(sum / (double)((last - first + 1) * frame)) / 32768.0;
}

static void put_le(FILE *f, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        fputc((int)(v >> (8 * i)) & 0xff, f);
}

/* The raw capture (16-bit mono) as a WAV file beside it, and analysed. */
static int capture_to_wav(const char *raw, const char *wav, voice_figures *v)
{
    char *data = NULL, err[256];
    size_t len = 0;
    if (platform_read_file(raw, 64u << 20, &data, &len, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        return -1;
    }
    analyse((const short *)data, len / 2, v);
    FILE *f = fopen(wav, "wb");
    if (f) {
        fputs("RIFF", f);
        put_le(f, (uint32_t)(36 + len), 4);
        fputs("WAVEfmt ", f);
        put_le(f, 16, 4);
        put_le(f, 1, 2); /* PCM */
        put_le(f, 1, 2); /* mono */
        put_le(f, SPEECH_RATE, 4);
        put_le(f, SPEECH_RATE * 2, 4);
        put_le(f, 2, 2);
        put_le(f, 16, 2);
        fputs("data", f);
        put_le(f, (uint32_t)len, 4);
        fwrite(data, 1, len, f);
        fclose(f);
    }
    free(data);
    return f ? 0 : -1;
}

/* One voice in a fresh audio session, so its capture is a file of its own. */
static int run_voice(store *st, const char *lang, const char *dir, int warm, voice_figures *v)
{
    char raw[PLATFORM_PATH_MAX], wav[PLATFORM_PATH_MAX], text[TEXT_CAP], err[256];
    snprintf(raw, sizeof raw, "%s/%s.raw", dir, lang);
    snprintf(wav, sizeof wav, "%s/%s.wav", dir, lang);
    sample_text(st, lang, text, sizeof text);
    v->text_bytes = strlen(text);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", raw, 1);
    if (SDL_Init(0) < 0)
        return -1;
    speech *s = speech_create(&(speech_config){0});
    v->rss_before_kb = v->rss_peak_kb = platform_status_kb("VmRSS");
    uint64_t t0 = platform_now_us();
    int said = s ? speech_say(s, text, lang, 1, err, sizeof err) : -1;
    v->call_ms = (double)(platform_now_us() - t0) / 1000.0;
    if (said < 0) {
        fprintf(stderr, "bench: %s: %s\n", lang, s ? err : "out of memory");
        speech_destroy(s);
        SDL_Quit();
        return -1;
    }
    v->cold_ms = wait_first_audio(s);
    play_through(s, v);
    v->rss_after_kb = platform_status_kb("VmRSS");
    /* Warm says are cut off at once: the capture holds the paragraph only
     * until they start; it is measured before them. */
    speech_destroy(s);
    SDL_Quit();
    int rc = capture_to_wav(raw, wav, v);
    unlink(raw);
    setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
    SDL_Init(0);
    s = speech_create(&(speech_config){0});
    if (s && speech_say(s, ".", lang, 1, err, sizeof err) == 0) {
        wait_first_audio(s);
        speech_stop(s);
        v->warm_ms = warm_delay(s, text, lang, warm);
    }
    speech_destroy(s);
    SDL_Quit();
    return rc;
}

/* ---- the reader's frames while it reads aloud ---------------------------- */

#define FRAMES 300
#define FRAME_MS 16

typedef struct {
    double quiet_p50, quiet_p99, speaking_p50, speaking_p99;
    int speaking_frames;
} frame_figures;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* n full frames of the reader, one every FRAME_MS of real time (so the
 * voice's thread synthesises beside them); their p50 and p99 in ms. */
static int time_frames(headless *k, double *p50, double *p99)
{
    static double ms[FRAMES];
    int n = 0;
    for (int i = 0; i < FRAMES; i++) {
        k->now += FRAME_MS;
        ui_tick(k->u, k->now);
        uint64_t t0 = platform_now_us();
        ui_draw(k->u);
        ms[n++] = (double)(platform_now_us() - t0) / 1000.0;
        SDL_Delay(FRAME_MS);
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    *p50 = ms[n / 2];
    *p99 = ms[n * 99 / 100];
    return n;
}

/* The reader's frame times at 800x480 on a long article, quiet and then
 * while the speaker button's reading plays (captured to /dev/null). */
static int reader_frames(const char *bundle, frame_figures *f)
{
    char err[256];
    config c;
    config_defaults(&c);
    c.state_dir[0] = '\0';
    c.idle_reset_s = 0;
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
    headless k;
    if (headless_open(&k, &c, bundle, 800, 480, err, sizeof err) < 0 || !k.st) {
        fprintf(stderr, "bench: %s\n", k.st ? err : "the bundle did not open");
        headless_close(&k);
        return -1;
    }
    float x, y;
    int rc = -1;
    if (ui_navigate(k.u, "item/commission-session", k.now, err, sizeof err) < 0 ||
        ui_locate_route(k.u, "@listen", &x, &y) < 0) {
        fprintf(stderr, "bench: no speaker on the reader\n");
        goto done;
    }
    time_frames(&k, &f->quiet_p50, &f->quiet_p99);
    ui_pointer_down(k.u, -1, x, y, k.now);
    k.now += 60;
    ui_pointer_up(k.u, -1, x, y, k.now);
    ui_tick(k.u, k.now);
    time_frames(&k, &f->speaking_p50, &f->speaking_p99);
    f->speaking_frames = speech_now(k.voice).speaking ? FRAMES : 0;
    rc = f->speaking_frames ? 0 : -1;
    if (rc < 0)
        fprintf(stderr, "bench: the reading had stopped before the frames ended\n");
done:
    headless_close(&k);
    return rc;
}

int benchspeech_main(int argc, char **argv)
{
    const char *bundle = INFOPOINT_SAMPLE_BUNDLE, *dir = "/tmp/infopoint-speech";
    int warm = 9;
    for (int i = 2; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--bundle"))
            bundle = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--out"))
            dir = argv[++i];
        else if (!(i + 1 < argc && !strcmp(argv[i], "--warm") && platform_parse_int(argv[++i], 1, 32, &warm) == 0)) {
            fprintf(stderr, "usage: infopoint-bench speech [--bundle FILE] [--out DIR] [--warm N]\n");
            return 2;
        }
    }
    char err[256];
    store *st = store_open(bundle, NULL, err, sizeof err);
    if (!st || (mkdir(dir, 0755) < 0 && !platform_is_dir(dir))) {
        fprintf(stderr, "bench: %s\n", st ? "cannot make the output folder" : err);
        store_close(st);
        return 1;
    }
    static const char *const langs[] = {"kk", "ru", "en"};
    long rss_start = platform_status_kb("VmRSS");
    printf("speech: captured with SDL's disk driver into %s/<lang>.wav (22,050 Hz mono)\n", dir);
    printf("voice  text B  say call  first audio  warm (median of %d)  heard s  voiced s  loud  RMS    RSS before / peak / "
           "after (MB)\n",
           warm);
    int failed = 0;
    for (int l = 0; l < 3; l++) {
        voice_figures v = {0};
        failed |= run_voice(st, langs[l], dir, warm, &v) < 0;
        printf("%-5s  %6zu  %5.1f ms  %8u ms  %16u ms  %7.1f  %8.1f  %3.0f%%  %.3f  %.1f / %.1f / %.1f\n", langs[l],
               v.text_bytes, v.call_ms, v.cold_ms, v.warm_ms, v.heard_s, v.voiced_s, v.loud_share * 100, v.rms, v.rss_before_kb / 1024.0,
               v.rss_peak_kb / 1024.0, v.rss_after_kb / 1024.0);
    }
    printf("process RSS before any speech: %.1f MB\n", rss_start / 1024.0);
    frame_figures f = {0};
    if (reader_frames(bundle, &f) == 0)
        printf("reader frame at 800x480, %d frames each: quiet p50 %.2f / p99 %.2f ms; reading aloud p50 %.2f / "
               "p99 %.2f ms (target p99 < 8 ms)\n",
               FRAMES, f.quiet_p50, f.quiet_p99, f.speaking_p50, f.speaking_p99);
    else
        failed = 1;
    store_close(st);
    return failed;
}
