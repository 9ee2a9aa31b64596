#include "events.h"

#include "platform.h"

static events_result finger(ui *u, const SDL_Event *ev, int w, int h, uint32_t now)
{
    float x = ev->tfinger.x * (float)w, y = ev->tfinger.y * (float)h;
    int64_t id = (int64_t)ev->tfinger.fingerId;
    if (ev->type == SDL_FINGERDOWN)
        ui_pointer_down(u, id, x, y, now);
    else if (ev->type == SDL_FINGERMOTION)
        ui_pointer_move(u, id, x, y, now);
    else
        ui_pointer_up(u, id, x, y, now);
    return EVENTS_INPUT;
}

static events_result mouse(ui *u, const SDL_Event *ev, uint32_t now)
{
    if (ev->type == SDL_MOUSEMOTION) {
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !(ev->motion.state & SDL_BUTTON_LMASK))
            return EVENTS_OTHER;
        ui_pointer_move(u, -1, (float)ev->motion.x, (float)ev->motion.y, now);
        return EVENTS_INPUT;
    }
    /* Mouse events synthesised from touches would count the finger twice. */
    if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
        return EVENTS_OTHER;
    if (ev->type == SDL_MOUSEBUTTONDOWN)
        ui_pointer_down(u, -1, (float)ev->button.x, (float)ev->button.y, now);
    else
        ui_pointer_up(u, -1, (float)ev->button.x, (float)ev->button.y, now);
    return EVENTS_INPUT;
}

static events_result key(ui *u, const SDL_Event *ev, bool windowed, uint32_t now)
{
    SDL_Keycode k = ev->key.keysym.sym;
    if (windowed && (k == SDLK_ESCAPE || (k == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL))))
        return EVENTS_QUIT;
    if (k == SDLK_BACKSPACE)
        ui_key(u, "backspace", now);
    else if (k == SDLK_RETURN)
        ui_key(u, "return", now);
    return EVENTS_INPUT;
}

/* An audio output came or went: headphones for speech mode. Inputs
 * (microphones) are not headphones. */
static events_result audio_output(ui *u, bool added, bool headphone_speech, uint32_t now)
{
    if (!headphone_speech)
        return EVENTS_OTHER;
    if (added) {
        platform_log(PLATFORM_LOG_INFO, "an audio output was plugged in: speech mode");
        ui_speech_mode_start(u, now);
    } else if (ui_speech_mode(u)) {
        platform_log(PLATFORM_LOG_INFO, "an audio output was unplugged: speech mode ends");
        ui_speech_mode_stop(u, now);
    }
    return EVENTS_OTHER;
}

events_result events_dispatch(ui *u, const SDL_Event *ev, const events_config *c, uint32_t now)
{
    int w = c->w, h = c->h;
    bool windowed = c->windowed;
    switch (ev->type) {
    case SDL_QUIT:
        /* With SDL's own signal handlers off (SDL_HINT_NO_SIGNAL_HANDLERS)
         * a QUIT only means the last window was asked to close. */
        if (windowed)
            return EVENTS_QUIT;
        platform_log(PLATFORM_LOG_INFO, "a request to close the window was ignored (kiosk mode)");
        return EVENTS_OTHER;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
        return finger(u, ev, w, h, now);
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION:
        return mouse(u, ev, now);
    case SDL_KEYDOWN:
        return key(u, ev, windowed, now);
    case SDL_TEXTINPUT:
        ui_text_input(u, ev->text.text, now);
        return EVENTS_INPUT;
    case SDL_AUDIODEVICEADDED:
    case SDL_AUDIODEVICEREMOVED:
        if (c->output_event || ev->adevice.iscapture)
            return EVENTS_OTHER;
        return audio_output(u, ev->type == SDL_AUDIODEVICEADDED, c->headphone_speech, now);
    default:
        if (c->output_event && ev->type == c->output_event)
            return audio_output(u, ev->user.code == 1, c->headphone_speech, now);
        return EVENTS_OTHER;
    }
}

bool events_is_input(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_KEYDOWN:
    case SDL_TEXTINPUT:
        return true;
    case SDL_MOUSEMOTION:
        return (ev->motion.state & SDL_BUTTON_LMASK) != 0;
    default:
        return false;
    }
}
