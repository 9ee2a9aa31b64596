#include "ui_speech.h"

#include <stdio.h>

#include "platform.h"
#include "ui_private.h"

void ui_set_voice(ui *u, const ui_voice *voice)
{
    ui_speech_stop(u);
    u->voice = voice ? *voice : (ui_voice){0};
}

int ui_speak(ui *u, const char *text, uint32_t id)
{
    return ui_speak_in(u, text, u->session.lang, id);
}

int ui_speak_in(ui *u, const char *text, const char *lang, uint32_t id)
{
    char err[256] = "no voice";
    ui_speech_stop(u);
    if (!u->voice.say || u->voice.say(u->voice.user, text, lang, id, err, sizeof err) < 0) {
        /* Said once in the log for the operator; the person gets a message
         * in their language, not the reason. */
        platform_log(PLATFORM_LOG_WARN, "read-aloud: %s", err);
        ui_toast(u, ui_str(u, I18N_SPEECH_UNAVAILABLE));
        return -1;
    }
    u->heard = (ui_heard){.on = true, .id = id, .start = 0, .len = 0};
    u->stats.utterances++;
    ui_invalidate(u);
    return 0;
}

void ui_speak_stop(ui *u)
{
    ui_speech_stop(u);
}

bool ui_speaking(const ui *u, uint32_t id, size_t *start, size_t *len)
{
    if (!u->heard.on || u->heard.id != id)
        return false;
    *start = u->heard.start;
    *len = u->heard.len;
    return true;
}

void ui_speech_stop(ui *u)
{
    if (!u->heard.on)
        return;
    if (u->voice.stop)
        u->voice.stop(u->voice.user);
    u->heard.on = false;
    ui_invalidate(u);
}

bool ui_speech_active(const ui *u)
{
    return u->heard.on;
}

void ui_speech_tick(ui *u, uint32_t now)
{
    (void)now;
    if (!u->heard.on)
        return;
    uint32_t id = 0;
    size_t start = 0, len = 0;
    bool on = u->voice.heard && u->voice.heard(u->voice.user, &id, &start, &len) && id == u->heard.id;
    if (!on) {
        u->heard.on = false; /* read to the end */
        ui_invalidate(u);
    } else if (start != u->heard.start || len != u->heard.len) {
        u->heard.start = start;
        u->heard.len = len;
        ui_invalidate(u);
    }
}

deadline ui_speech_deadline(const ui *u, uint32_t now)
{
    if (!u->heard.on || !u->voice.next_change)
        return deadline_none();
    return u->voice.next_change(u->voice.user, now);
}
