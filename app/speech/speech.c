#include "speech.h"

#include <SDL.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "espeakfn.h"
#include "platform.h"
#include "utf8.h"

/* Where a sentence starts: the sample it is heard at, the byte it starts at. */
typedef struct {
    uint64_t sample;
    size_t byte;
} mark;

/* One text being read: owned by the thread while it synthesises it. */
typedef struct {
    char *text;
    size_t len;
    char lang[4];
    uint32_t id;
} utterance;

struct speech {
    speech_config cfg;
    SDL_AudioDeviceID dev;     /* 0 until the first say, and again once all is heard
                                  (changed only by the thread after the start, under lock) */
    const espeakfn *espeak;    /* libespeak-ng, loaded by the first say (start) */
    int rate;                  /* espeak-ng's sample rate (22050) */
    SDL_Thread *thread;        /* SDL's, so SDL frees what it keeps per thread (its error
                                  text, set while the thread opens the device) when it ends */
    bool thread_started;
    atomic_int cancel;         /* the utterance being synthesised must stop */

    pthread_mutex_t lock;      /* guards everything below */
    pthread_cond_t wake;
    bool quit;
    bool pending;              /* a new utterance waits in next */
    utterance next;
    utterance cur;             /* the one heard now (text NULL: none) */
    bool synth_done;           /* cur is wholly queued */
    bool silenced;             /* speech_stop: cur is no longer heard (the thread
                                  may still be inside espeak with its text) */
    uint64_t queued;           /* samples of cur queued so far */
    mark *marks;               /* sentence starts of cur, in order */
    size_t n_marks, cap_marks;
    uint32_t say_tick;         /* SDL ticks at the last say */
    speech_stats stats;
    char output[SPEECH_OUTPUT_MAX]; /* where to play ("": the default) */
    bool reopen;               /* the open device plays to another output: close it */

    /* Touched only by whoever opens the device (the first say, then the
       thread), one at a time: no lock. */
    bool audiodev_set;         /* AUDIODEV was set to name an output (sdl_name) */
    bool had_audiodev;         /* the process started with AUDIODEV set, to this: */
    char audiodev[SPEECH_OUTPUT_MAX];
};

/* An open SDL audio device runs a thread that wakes every buffer (about
 * 20 times a second) even when it only plays silence, and on ALSA SDL's
 * audio also polls for new devices: once everything has been heard and
 * nothing new came for this long, the device is closed. Opening it again
 * for the next say costs tens of milliseconds. */
#define SPEECH_CLOSE_AFTER_MS 2000u

static const char *const voices[][2] = {{"kk", "kk"}, {"ru", "ru"}, {"en", "en"}};

static const char *voice_of(const char *lang)
{
    for (size_t i = 0; i < sizeof voices / sizeof *voices; i++)
        if (!strcmp(lang, voices[i][0]))
            return voices[i][1];
    return NULL;
}

speech *speech_create(const speech_config *cfg)
{
    speech *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (cfg)
        s->cfg = *cfg;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (s->cfg.device)
        speech_set_output(s, s->cfg.device);
    const char *env = getenv("AUDIODEV");
    s->had_audiodev = env && strlen(env) < sizeof s->audiodev;
    if (s->had_audiodev)
        snprintf(s->audiodev, sizeof s->audiodev, "%s", env);
    return s;
}

/* ---- the thread ---------------------------------------------------------- */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Byte offset of code point number chars (0-based) in u's text. */
static size_t byte_of_char(const utterance *u, long chars)
{
    size_t i = 0;
    for (long c = 0; c < chars && i < u->len; c++)
        i += utf8_char_len(u->text + i);
    return i < u->len ? i : u->len;
}

static void add_mark(speech *s, uint64_t sample, size_t byte)
{
    if (s->n_marks == s->cap_marks) {
        size_t cap = s->cap_marks ? s->cap_marks * 2 : 64;
        mark *m = realloc(s->marks, cap * sizeof *m);
        if (!m)
            return; /* highlighting lags; the audio goes on */
        s->marks = m;
        s->cap_marks = cap;
    }
    s->marks[s->n_marks++] = (mark){sample, byte};
}

/* The open device stopped by itself: SDL found it gone (the USB headset
 * was pulled: an ALSA write failed) and plays nothing more from its queue,
 * which never drains. */
static bool device_lost(speech *s)
{
    return s->dev && SDL_GetAudioDeviceStatus(s->dev) == SDL_AUDIO_STOPPED;
}

/* espeak-ng hands over audio a buffer at a time, with the events inside it
 * (sentence starts carry their audio time and text position). Returns 1 to
 * abort the synthesis. */
static int on_audio(short *wav, int n, espeak_EVENT *ev)
{
    speech *s = ev ? ev->user_data : NULL;
    if (!s || atomic_load(&s->cancel))
        return 1;
    pthread_mutex_lock(&s->lock);
    for (; ev->type != espeakEVENT_LIST_TERMINATED; ev++)
        if (ev->type == espeakEVENT_SENTENCE)
            add_mark(s, (uint64_t)ev->audio_position * (uint64_t)s->rate / 1000u,
                     byte_of_char(&s->cur, ev->text_position > 0 ? ev->text_position - 1 : 0));
    if (n > 0 && s->queued == 0) {
        s->stats.first_audio_ms = SDL_GetTicks() - s->say_tick;
        s->stats.first_audio_of = s->stats.utterances;
    }
    s->queued += n > 0 ? (uint64_t)n : 0;
    pthread_mutex_unlock(&s->lock);
    if (n > 0)
        SDL_QueueAudio(s->dev, wav, (Uint32)n * sizeof *wav);
    /* Stay at most SPEECH_AHEAD_MS ahead of the listener. */
    Uint32 ahead = (Uint32)((uint64_t)SPEECH_AHEAD_MS * (uint64_t)s->rate / 1000u) * sizeof *wav;
    while (!atomic_load(&s->cancel) && !device_lost(s) && SDL_GetQueuedAudioSize(s->dev) > ahead)
        sleep_ms(40);
    return atomic_load(&s->cancel) || device_lost(s) ? 1 : 0;
}

/* Closes the device (lock held; released meanwhile, since closing joins
 * SDL's audio thread). Nobody else reads s->dev once it is 0. */
static void close_audio_locked(speech *s)
{
    SDL_AudioDeviceID d = s->dev;
    s->dev = 0;
    s->stats.device_open = false;
    pthread_mutex_unlock(&s->lock);
    SDL_CloseAudioDevice(d);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    pthread_mutex_lock(&s->lock);
}

/* Closes the device when it is not the one to play to any more: another
 * output was chosen, or it went away (lock held). Returns whether it did. */
static bool close_if_stale_locked(speech *s)
{
    bool lost = device_lost(s);
    if (!s->reopen && !lost)
        return false;
    if (lost) {
        s->stats.devices_lost++;
        platform_log(PLATFORM_LOG_WARN, "speech: the audio output went away; it is closed");
    }
    s->reopen = false;
    close_audio_locked(s);
    return true;
}

/* Waits for a say (lock held). While the device is open it looks twice a
 * second whether all has been heard, and closes it after
 * SPEECH_CLOSE_AFTER_MS of that; then it sleeps until woken. */
static void wait_for_say(speech *s)
{
    bool quiet = false;
    uint32_t quiet_since = 0;
    while (!s->pending && !s->quit) {
        if (s->dev && close_if_stale_locked(s))
            continue;
        if (!s->dev) {
            pthread_cond_wait(&s->wake, &s->lock);
            continue;
        }
        bool heard_all = (s->synth_done || !s->cur.text) && SDL_GetQueuedAudioSize(s->dev) == 0;
        if (heard_all && quiet && SDL_GetTicks() - quiet_since >= SPEECH_CLOSE_AFTER_MS) {
            close_audio_locked(s);
            continue;
        }
        if (heard_all && !quiet)
            quiet_since = SDL_GetTicks();
        quiet = heard_all;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&s->wake, &s->lock, &until);
    }
}

/* Waits for the next utterance and makes it current. Returns false to quit. */
static bool take_next(speech *s)
{
    pthread_mutex_lock(&s->lock);
    wait_for_say(s);
    if (s->dev)
        close_if_stale_locked(s); /* a say came with the new output */
    if (s->quit) {
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    free(s->cur.text);
    s->cur = s->next;
    memset(&s->next, 0, sizeof s->next);
    s->pending = false;
    s->silenced = false;
    s->synth_done = false;
    s->queued = 0;
    s->n_marks = 0;
    add_mark(s, 0, 0);
    atomic_store(&s->cancel, 0);
    pthread_mutex_unlock(&s->lock);
    return true;
}

static int open_audio(speech *s, SDL_AudioDeviceID *dev, char *err, size_t errcap);

/* A named output that does not open is tried this many times, 100 ms
 * apart: a headset's device file appears (and the kiosk names it) a moment
 * before udev gives it to the audio group the kiosk's user is in. */
#define SPEECH_OPEN_TRIES 10

static bool output_named(speech *s)
{
    pthread_mutex_lock(&s->lock);
    bool named = s->output[0] != '\0';
    pthread_mutex_unlock(&s->lock);
    return named;
}

/* The device, opened on the thread: a named output the first time, any
 * output again after it was closed. A stop or a new say ends the tries. */
static bool reopen_audio(speech *s)
{
    if (s->dev)
        return true;
    char err[256];
    SDL_AudioDeviceID d = 0;
    for (int tries = 1; open_audio(s, &d, err, sizeof err) < 0; tries++) {
        if (tries >= SPEECH_OPEN_TRIES || !output_named(s) || atomic_load(&s->cancel)) {
            platform_log(PLATFORM_LOG_ERROR, "speech: %s", err);
            return false;
        }
        sleep_ms(100);
    }
    pthread_mutex_lock(&s->lock);
    s->dev = d;
    s->stats.device_open = true;
    s->stats.device_opens++;
    pthread_mutex_unlock(&s->lock);
    return true;
}

static int speech_main(void *arg)
{
    speech *s = arg;
    while (take_next(s)) {
        if (!reopen_audio(s)) {
            pthread_mutex_lock(&s->lock);
            s->synth_done = true; /* nothing will be heard of it */
            pthread_mutex_unlock(&s->lock);
            continue;
        }
        /* What an earlier, cancelled utterance queued after the UI cleared
         * the queue goes now, before the new one starts. */
        SDL_ClearQueuedAudio(s->dev);
        espeak_ERROR e = s->espeak->SetVoiceByName(voice_of(s->cur.lang));
        if (e == EE_OK)
            e = s->espeak->Synth(s->cur.text, s->cur.len + 1, 0, POS_CHARACTER, 0,
                                 espeakCHARS_UTF8 | espeakENDPAUSE, NULL, s);
        if (e != EE_OK)
            platform_log(PLATFORM_LOG_ERROR, "speech: espeak-ng cannot read this %s text (error %d)", s->cur.lang, e);
        pthread_mutex_lock(&s->lock);
        s->synth_done = true;
        s->stats.samples_queued = s->queued;
        pthread_mutex_unlock(&s->lock);
    }
    return 0;
}

/* ---- starting on the first say ------------------------------------------- */

/* Whether SDL lists an output of this name. */
static bool listed(const char *name)
{
    int n = SDL_GetNumAudioDevices(0);
    for (int i = 0; i < n; i++) {
        const char *d = SDL_GetAudioDeviceName(i, 0);
        if (d && !strcmp(d, name))
            return true;
    }
    return false;
}

/* AUDIODEV names the ALSA PCM SDL opens for no name: SDL 2.26 opens by
 * name only the outputs it listed (sdl_name) and has no hint for a PCM.
 * POSIX makes setenv unsafe while another thread reads the environment, and
 * others do at any time (curl its proxy variables on the sync thread,
 * alsa-lib its configuration on SDL's hotplug thread, SDL its hints on the
 * main thread). No lock of ours covers their getenv, and calling setenv on
 * the main thread instead would change nothing: the value must change while
 * those threads run (a headset comes and goes). It is safe because of how
 * glibc changes the environment (2.36, stdlib/setenv.c, __add_to_environ)
 * and how it is changed here:
 *  - replacing a value stores one pointer, to a new "AUDIODEV=..." string,
 *    in the variable's slot; glibc keeps every string it made (known_values)
 *    and frees none, so a reader sees the old or the new value, both valid;
 *  - adding the variable (the process started without it: the first output
 *    named) reallocs the array an earlier add made, and there is none:
 *    nothing else in the process adds one (no setenv or putenv elsewhere in
 *    the kiosk; Debian's SDL 2.26 is built without the esd driver, its one
 *    setenv). So the array the process started with is copied, not freed,
 *    and a reader still walking it is safe;
 *  - the variable is never removed (the default puts back the value the
 *    process started with, or "default"), so it is added at most once and
 *    every later change is a replacement.
 * A C library that frees replaced values (musl does), or another add while
 * threads run, would break this. */
static void set_audiodev(speech *s, const char *value)
{
    const char *now = getenv("AUDIODEV");
    if (now && !strcmp(now, value))
        return;
    setenv("AUDIODEV", value, 1);
    s->audiodev_set = true;
}

/* The name to hand SDL_OpenAudioDevice for output ("": the default; the
 * result NULL: SDL's default). SDL opens by name only the outputs it
 * listed. On ALSA it lists the cards' hw: PCMs under their descriptions,
 * which a /dev/snd node does not tell, and SDL_OpenAudioDevice refuses
 * other names (no AllowsArbitraryDeviceNames); but with no name its ALSA
 * driver opens the PCM named in AUDIODEV (SDL 2.26,
 * src/audio/alsa/SDL_alsa_audio.c, get_audio_device). So on ALSA an
 * unlisted output goes there, and the default puts back what the process
 * started with ("default" is ALSA's own choice for one channel). */
static const char *sdl_name(speech *s, const char *output)
{
    const char *driver = SDL_GetCurrentAudioDriver();
    bool alsa = driver && !strcmp(driver, "alsa");
    if (alsa && output[0] && !listed(output)) {
        set_audiodev(s, output);
        return NULL;
    }
    if (alsa && s->audiodev_set)
        set_audiodev(s, s->had_audiodev ? s->audiodev : "default");
    return output[0] ? output : NULL;
}

static int open_audio(speech *s, SDL_AudioDeviceID *dev, char *err, size_t errcap)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
        snprintf(err, errcap, "no audio: %s", SDL_GetError());
        return -1;
    }
    char output[SPEECH_OUTPUT_MAX];
    pthread_mutex_lock(&s->lock);
    memcpy(output, s->output, sizeof output);
    pthread_mutex_unlock(&s->lock);
    SDL_AudioSpec want = {.freq = s->rate, .format = AUDIO_S16SYS, .channels = 1, .samples = 1024};
    SDL_AudioSpec have;
    *dev = SDL_OpenAudioDevice(sdl_name(s, output), 0, &want, &have, 0);
    if (!*dev) {
        snprintf(err, errcap, "cannot open the audio device %s: %s", output[0] ? output : "(the default)",
                 SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return -1;
    }
    SDL_PauseAudioDevice(*dev, 0);
    return 0;
}

/* espeak-ng keeps global state for the whole process, and its
 * espeak_Terminate waits forever on a thread of its own in synchronous mode
 * (libespeak-ng 1.51): it is set up once, on the first say of the first
 * speaker, and stays (a few megabytes, only on kiosks where someone asked
 * for speech). One speaker at a time uses it. */
static int espeak_rate;

static int espeak_once(const espeakfn *espeak, const char *data_path)
{
    if (espeak_rate <= 0)
        espeak_rate = espeak->Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, data_path, espeakINITIALIZE_DONT_EXIT);
    return espeak_rate;
}

/* Loads the voices, opens the audio device (a named output: the thread
 * does, reopen_audio) and starts the thread. */
static int start(speech *s, char *err, size_t errcap)
{
    if (!s->espeak && !(s->espeak = espeakfn_load(err, errcap)))
        return -1;
    s->rate = espeak_once(s->espeak, s->cfg.data_path);
    if (s->rate <= 0) {
        snprintf(err, errcap, "espeak-ng does not start (its data: %s)",
                 s->cfg.data_path ? s->cfg.data_path : "the library's default path");
        s->rate = 0;
        return -1;
    }
    s->espeak->SetSynthCallback(on_audio);
    s->espeak->SetParameter(espeakRATE, s->cfg.rate_wpm > 0 ? s->cfg.rate_wpm : 150, 0);
    s->espeak->SetParameter(espeakVOLUME, s->cfg.volume > 0 ? s->cfg.volume : 100, 0);
    if (!output_named(s)) {
        if (open_audio(s, &s->dev, err, errcap) < 0) {
            s->rate = 0;
            return -1;
        }
        s->stats.device_open = true;
        s->stats.device_opens = 1;
    }
    s->stats.sample_rate = s->rate;
    if (!(s->thread = SDL_CreateThread(speech_main, "speech", s))) {
        snprintf(err, errcap, "cannot start the speech thread");
        if (s->dev) {
            SDL_CloseAudioDevice(s->dev);
            SDL_QuitSubSystem(SDL_INIT_AUDIO);
        }
        s->dev = 0;
        s->stats.device_open = false;
        s->stats.device_opens = 0;
        s->rate = 0;
        return -1;
    }
    s->thread_started = true;
    return 0;
}

/* ---- the UI thread's side ------------------------------------------------- */

int speech_say(speech *s, const char *text, const char *lang, uint32_t id, char *err, size_t errcap)
{
    if (!voice_of(lang)) {
        snprintf(err, errcap, "no voice for language '%s'", lang);
        return -1;
    }
    size_t len = strlen(text);
    if (len > SPEECH_TEXT_MAX)
        len = utf8_cut(text, SPEECH_TEXT_MAX);
    char *copy = strndup(text, len); /* stops at a NUL inside the text */
    if (!copy) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (!s->thread_started && start(s, err, errcap) < 0) {
        free(copy);
        return -1;
    }
    atomic_store(&s->cancel, 1);
    pthread_mutex_lock(&s->lock);
    SDL_ClearQueuedAudio(s->dev); /* under the lock: the thread may close it */
    free(s->next.text);
    s->next = (utterance){.text = copy, .len = len, .id = id};
    snprintf(s->next.lang, sizeof s->next.lang, "%s", lang);
    s->pending = true;
    s->say_tick = SDL_GetTicks();
    s->stats.utterances++;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    return 0;
}

void speech_stop(speech *s)
{
    if (!s || !s->thread_started)
        return;
    atomic_store(&s->cancel, 1);
    pthread_mutex_lock(&s->lock);
    free(s->next.text);
    memset(&s->next, 0, sizeof s->next);
    s->pending = false;
    s->silenced = true;
    SDL_ClearQueuedAudio(s->dev);
    pthread_mutex_unlock(&s->lock);
}

/* cur is being heard (lock held). */
static bool audible(speech *s)
{
    return s->cur.text && !s->silenced && !(s->synth_done && SDL_GetQueuedAudioSize(s->dev) == 0) &&
           s->n_marks > 0 && !device_lost(s);
}

/* Samples of the current utterance heard so far (lock held). */
static uint64_t heard(speech *s)
{
    uint64_t left = SDL_GetQueuedAudioSize(s->dev) / sizeof(short);
    return s->queued > left ? s->queued - left : 0;
}

/* The sentence heard now, as an index into marks (lock held; n_marks > 0). */
static size_t sentence_at(const speech *s, uint64_t sample)
{
    size_t i = 0;
    while (i + 1 < s->n_marks && s->marks[i + 1].sample <= sample)
        i++;
    return i;
}

speech_position speech_now(speech *s)
{
    speech_position p = {0};
    if (!s || !s->thread_started)
        return p;
    pthread_mutex_lock(&s->lock);
    if (s->pending) {
        p = (speech_position){.speaking = true, .id = s->next.id};
    } else if (audible(s)) {
        size_t i = sentence_at(s, heard(s));
        size_t end = i + 1 < s->n_marks ? s->marks[i + 1].byte : s->cur.len;
        p = (speech_position){.speaking = true, .id = s->cur.id, .start = s->marks[i].byte,
                              .len = end > s->marks[i].byte ? end - s->marks[i].byte : 0};
    }
    pthread_mutex_unlock(&s->lock);
    return p;
}

deadline speech_next_change(speech *s, uint32_t now)
{
    deadline d = deadline_none();
    if (!s || !s->thread_started)
        return d;
    pthread_mutex_lock(&s->lock);
    if (s->pending) {
        d = deadline_at(now + 50u); /* the thread is about to start it */
    } else if (audible(s)) {
        uint64_t at = heard(s);
        size_t i = sentence_at(s, at);
        /* The next sentence if it is known, else the end of what is queued
         * (or a short look later while synthesis catches up). */
        uint64_t next = i + 1 < s->n_marks ? s->marks[i + 1].sample : s->queued;
        uint64_t ms = next > at ? (next - at) * 1000u / (uint64_t)s->rate : 0;
        if (!s->synth_done && i + 1 >= s->n_marks && ms > 200)
            ms = 200;
        d = deadline_at(now + (uint32_t)(ms > 0 ? ms : 20));
    }
    pthread_mutex_unlock(&s->lock);
    return d;
}

void speech_set_output(speech *s, const char *device)
{
    const char *name = device ? device : "";
    if (strlen(name) >= SPEECH_OUTPUT_MAX) {
        platform_log(PLATFORM_LOG_ERROR, "speech: an output name of %zu bytes is too long", strlen(name));
        return;
    }
    pthread_mutex_lock(&s->lock);
    bool changed = strcmp(s->output, name) != 0;
    if (changed) {
        snprintf(s->output, sizeof s->output, "%s", name);
        s->reopen = s->dev != 0;
        pthread_cond_signal(&s->wake);
    }
    pthread_mutex_unlock(&s->lock);
    if (changed)
        speech_stop(s); /* what was read was meant for the other output */
}

speech_stats speech_get_stats(speech *s)
{
    pthread_mutex_lock(&s->lock);
    speech_stats st = s->stats;
    pthread_mutex_unlock(&s->lock);
    return st;
}

void speech_destroy(speech *s)
{
    if (!s)
        return;
    if (s->thread_started) {
        atomic_store(&s->cancel, 1);
        pthread_mutex_lock(&s->lock);
        s->quit = true;
        pthread_cond_signal(&s->wake);
        pthread_mutex_unlock(&s->lock);
        SDL_WaitThread(s->thread, NULL);
        if (s->dev) {
            SDL_CloseAudioDevice(s->dev);
            SDL_QuitSubSystem(SDL_INIT_AUDIO);
        }
    }
    free(s->next.text);
    free(s->cur.text);
    free(s->marks);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
