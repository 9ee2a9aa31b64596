/* sndwatch — audio outputs plugged in and out, told without polling.
 *
 * SDL's ALSA backend finds new devices on a thread that wakes ten times a
 * second (measured: 14 wake-ups/s of an idle kiosk against 4 with no
 * audio). On ALSA the kiosk asks the kernel instead: a thread blocks on
 * inotify on /dev/snd, where a sound card's playback devices appear
 * (pcmC<card>D<device>p) when USB headphones are plugged in and vanish when
 * they are pulled. Capture devices (microphones) and control files are not
 * outputs. A headphone jack on a card that stays does not show here (nor
 * to SDL). When the folder does not exist yet (no sound card at start), its
 * parent is watched for it, and the outputs it comes with are reported. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct sndwatch sndwatch;

/* Called on the watcher's thread for each playback device that appeared
 * (added) or vanished (!added) in the folder; name is its file name. */
typedef void (*sndwatch_fn)(void *user, bool added, const char *name);

/* Starts watching dir (the kiosk: "/dev/snd"). Returns NULL with the
 * reason in err when dir cannot be watched or no thread starts. */
sndwatch *sndwatch_start(const char *dir, sndwatch_fn fn, void *user, char *err, size_t errcap);

/* Stops the thread and frees w (NULL: nothing). fn is not called after. */
void sndwatch_stop(sndwatch *w);

/* 1 when name is a playback device's file name (pcmC0D0p), else 0. */
int sndwatch_is_output(const char *name);

/* The card and device numbers of a playback device's file name
 * (pcmC1D0p: 1 and 0). Returns 0, or -1 when name is not one. */
int sndwatch_output_numbers(const char *name, unsigned *card, unsigned *dev);

/* The ALSA PCM that plays to device dev of card, converting to what it
 * takes: "plughw:CARD=<id>,DEV=<dev>" with the card's id read from
 * proc_asound/card<card>/id (the kiosk: "/proc/asound"), else (not there
 * yet, or not a plain word) "plughw:<card>,<dev>". Into out (cap bytes). */
void sndwatch_alsa_name(const char *proc_asound, unsigned card, unsigned dev, char *out, size_t cap);
