/* preview — `infopoint --preview CONTENT_DIR`: the editor's live preview.
 *
 * The folder is built into a bundle in a temporary directory by the content
 * tool (`infopoint-bundle build`, run as a child process: the kiosk does
 * not link the tool), shown in a window, and built again on every save
 * (inotify on the folder and its subfolders); a build that succeeds is
 * swapped in between frames on the same route, one that fails is logged
 * with its `file:line` messages, which also show in a panel on the screen
 * (ui_set_notice) until a save builds, and the last good content stays. Builds run
 * on a thread of their own, so the window never waits. Two bundle files
 * take turns, so the one on screen is never rewritten. */
#pragma once

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "app.h"

typedef struct preview preview;

/* Builds dir once (on this thread) and starts watching it. Returns the
 * preview, or NULL with err (the first build failed: its messages were
 * printed; or inotify, a thread or the temporary directory failed). */
preview *preview_start(const char *dir, char *err, size_t errcap);

/* The bundle to show first. */
const char *preview_bundle(const preview *p);

/* Shows the first build's warnings on a's screen (once the ui runs). */
void preview_attach(preview *p, app *a);

/* When ev is a build's result: swaps the new bundle into a (or logs why
 * not) and returns true; false for any other event. */
bool preview_handle(preview *p, const SDL_Event *ev, app *a);

/* Stops watching, removes the temporary files and frees (NULL is fine). */
void preview_stop(preview *p);
