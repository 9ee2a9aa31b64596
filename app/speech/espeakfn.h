/* espeakfn — libespeak-ng (libespeak-ng.so.1) opened at run time, on the
 * first say, and its functions in a table: espeak->Synth(...). Most kiosks
 * never speak (speech starts when a headset is plugged in), and linking it
 * loaded it and its audio output (pcaudio, pulse-simple, sonic) at every
 * start. Types come from espeak-ng's own header. */
#pragma once

#include <espeak-ng/speak_lib.h>
#include <stddef.h>

/* The soname opened: libespeak-ng1's ABI (packaging/package.cmake). */
#define ESPEAKFN_SONAME "libespeak-ng.so.1"

/* Every espeak-ng function speech.c calls, named as in speak_lib.h without
 * the espeak_ prefix. */
typedef struct {
    __typeof__(espeak_Initialize) *Initialize;
    __typeof__(espeak_SetSynthCallback) *SetSynthCallback;
    __typeof__(espeak_SetParameter) *SetParameter;
    __typeof__(espeak_SetVoiceByName) *SetVoiceByName;
    __typeof__(espeak_Synth) *Synth;
} espeakfn;

/* Opens libespeak-ng once (thread-safe); the table, the same on every call,
 * or NULL with "cannot load libespeak-ng.so.1: <dlerror>" in err. */
const espeakfn *espeakfn_load(char *err, size_t errcap);
