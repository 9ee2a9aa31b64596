/* ui_speech — read-aloud as the ui runs it: one utterance at a time
 * through the kiosk's voice (ui_voice, ui.h), stopped when the screen
 * changes, the language changes or the idle reset comes; the sentence
 * being heard is known to the screen that asked, which highlights it, and
 * the loop sleeps until that sentence changes. While something is read,
 * the idle clock stands still: a person listening is using the kiosk.
 * Inside app/ui only (views use ui_speak, ui_speak_stop and ui_speaking
 * from ui_view.h). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "deadline.h"
#include "ui.h"

/* Stops whatever is read (navigation, language, idle reset). */
void ui_speech_stop(ui *u);

/* True while an utterance is being heard. */
bool ui_speech_active(const ui *u);

/* Follows the voice: redraws when the sentence heard changes or reading
 * ends. */
void ui_speech_tick(ui *u, uint32_t now);

/* When the sentence heard will next change; unset when silent. */
deadline ui_speech_deadline(const ui *u, uint32_t now);
