/* glprobe — is the OpenGL on this display a software rasteriser?
 *
 * On a desktop or a VM without a GPU, Mesa's llvmpipe (or softpipe,
 * swrast) serves SDL's GL renderer: every frame is rasterised on the CPU
 * anyway, and the driver maps libLLVM, which costs the kiosk about 75 MB
 * of PSS (100 MB against 26 MB in a 1920×1080 window, BENCHMARKS.md). SDL's
 * own software renderer presenting through X11 shared memory draws the
 * same pixels without it. A Pi on KMSDRM has a real GPU and keeps it.
 *
 * Asking GL what it is loads the driver, and that memory stays mapped, so
 * the question is put to a child process: the program itself started with
 * GLPROBE_ARG, which opens a hidden GL window, prints GL_RENDERER and
 * exits. The child runs while the parent starts SDL and its window. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The hidden command-line argument that runs glprobe_child_main. */
#define GLPROBE_ARG "--probe-gl"

typedef struct glprobe glprobe;

/* What the probe found. */
typedef enum {
    GLPROBE_HARDWARE, /* a GL driver that is not a known software rasteriser */
    GLPROBE_SOFTWARE, /* llvmpipe, softpipe, swrast, ... */
    GLPROBE_NONE,     /* no GL context could be made, or no answer in time */
} glprobe_kind;

/* True when a GL_RENDERER string names a software rasteriser. */
bool glprobe_is_software(const char *renderer);

/* Starts the probe: self_exe run with GLPROBE_ARG, its output on a pipe.
 * Returns NULL when it cannot be started (then assume GLPROBE_NONE). */
glprobe *glprobe_start(const char *self_exe);

/* Waits at most timeout_ms for the probe's answer, ends the child and
 * frees p. renderer (may be NULL) receives GL_RENDERER or "". */
glprobe_kind glprobe_finish(glprobe *p, int timeout_ms, char *renderer, size_t cap);

/* Ends the probe without waiting for its answer and frees p (NULL: no-op). */
void glprobe_cancel(glprobe *p);

/* The child: a hidden 1×1 GL window, GL_RENDERER on stdout. Exit status
 * 0 with an answer, 1 without. */
int glprobe_child_main(void);
