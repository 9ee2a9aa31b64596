/* speech — read-aloud: espeak-ng voices for kk, ru and en, played through
 * SDL audio, synthesised on a thread of its own.
 *
 * The UI thread asks for a text to be read (speech_say) and returns at
 * once; the thread synthesises a sentence at a time and queues the audio,
 * never more than SPEECH_AHEAD_MS ahead of what is heard, so a whole
 * Constitution costs a few hundred kilobytes of queued audio, not tens of
 * megabytes. The UI asks which sentence is being heard (to highlight it)
 * and when that will change (speech_next_change, to sleep until then).
 *
 * Nothing is loaded before the first speech_say: the espeak-ng data (a few
 * megabytes) and the audio device cost memory only on kiosks where someone
 * asks for speech. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"

/* Audio queued ahead of what is heard. Enough to ride over a slow
 * sentence's synthesis on a Pi; small enough that a stop is instant and
 * memory stays flat. */
#define SPEECH_AHEAD_MS 4000
/* Longest text one speech_say reads (bytes); more is cut at a sentence. */
#define SPEECH_TEXT_MAX (256 * 1024)

typedef struct speech speech;

typedef struct {
    const char *data_path;  /* espeak-ng-data folder; NULL: the library's own */
    int rate_wpm;           /* words per minute; 0: 150 (espeak's 175 is hurried for many listeners) */
    int volume;             /* 0..200 (100 = normal); 0: 100 */
    const char *device;     /* the output played to at first (as speech_set_output); NULL: the default */
} speech_config;

/* Longest output name speech_set_output takes (bytes, with the NUL). */
#define SPEECH_OUTPUT_MAX 256

/* What is heard now. */
typedef struct {
    bool speaking;          /* audio of an utterance is still playing (or about to) */
    uint32_t id;            /* the caller's tag of that utterance */
    size_t start, len;      /* byte range of the sentence being heard, in the text given */
} speech_position;

/* Figures for tests and the benchmark. */
typedef struct {
    uint32_t first_audio_ms;    /* from a speech_say to its first audio queued */
    unsigned first_audio_of;    /* which say that was (its number in utterances) */
    uint64_t samples_queued;    /* of the last utterance */
    int sample_rate;            /* 0 until the first say */
    unsigned utterances;
    bool device_open;           /* the audio device is open now (closed after 2 s of quiet) */
    unsigned device_opens;      /* times it was opened */
    unsigned devices_lost;      /* times the open device went away (unplugged, a write failed) */
} speech_stats;

/* Creates a speaker (cfg is copied; its strings must outlive it). Loads
 * nothing yet. NULL only when memory runs out. */
speech *speech_create(const speech_config *cfg);

/* Stops, joins the thread, closes the audio device. NULL is fine. */
void speech_destroy(speech *s);

/* Reads text (UTF-8) in lang ("kk", "ru", "en") from its start, cutting
 * off whatever was being read. Returns 0, or -1 with a reason in err
 * (unknown language, libespeak-ng.so.1 or its data missing, no audio
 * device). The first call loads libespeak-ng and the voices and opens the
 * device (tens of milliseconds); a named
 * output (speech_set_output) is opened on the thread, tried for up to a
 * second, and a failure there is logged, not returned. */
int speech_say(speech *s, const char *text, const char *lang, uint32_t id, char *err, size_t errcap);

/* Stops at once: queued audio is dropped. */
void speech_stop(speech *s);

/* What is heard now (speaking false when silent). */
speech_position speech_now(speech *s);

/* When what speech_now says will next change (the next sentence, or the
 * end), from the audio heard so far; unset when silent. */
deadline speech_next_change(speech *s, uint32_t now);

speech_stats speech_get_stats(speech *s);

/* Plays to device from the next say on: a name SDL lists
 * (SDL_GetAudioDeviceName), or, on SDL's ALSA driver, any ALSA PCM
 * ("plughw:CARD=Headset,DEV=0"); NULL: the default output again. What is
 * being read stops (it was meant for the other output) and the device open
 * for it closes. A name of SPEECH_OUTPUT_MAX bytes or more is refused
 * (logged; the output stays as it was). */
void speech_set_output(speech *s, const char *device);
