/* ui_session — what one person leaves behind, the idle reset that forgets
 * it, and attract mode. */
#include "ui_private.h"

#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "ui_router.h"
#include "ui_session.h"
#include "ui_speech.h"

/* The languages the ui speaks, in the order the language button cycles. */
static const char *const langs[] = {"kk", "ru", "en"};
#define N_LANGS 3

static int lang_index(const char *lang)
{
    for (int i = 0; i < N_LANGS; i++)
        if (!strcmp(lang, langs[i]))
            return i;
    return 0;
}

const char *ui_lang_known(const char *lang)
{
    return langs[lang_index(lang)];
}

const char *ui_lang_next(const char *lang)
{
    return langs[(lang_index(lang) + 1) % N_LANGS];
}

i18n_lang ui_lang_of(const char *code)
{
    i18n_lang l = I18N_KK;
    i18n_parse(code, &l);
    return l;
}

const char *ui_lang(const ui *u)
{
    return u->session.lang;
}

const char *ui_str(const ui *u, i18n_id id)
{
    return i18n_get(ui_lang_of(u->session.lang), id);
}

void ui_set_lang(ui *u, const char *lang, uint32_t now)
{
    u->now = now;
    const char *known = ui_lang_known(lang);
    if (strcmp(known, u->session.lang))
        ui_speech_stop(u); /* the words being read are in the other language */
    snprintf(u->session.lang, sizeof u->session.lang, "%s", known);
    ui_relayout(u);
}

int ui_text_step(const ui *u)
{
    return u->session.text_step;
}

void ui_set_text_step(ui *u, int step)
{
    if (step < 0 || step >= THEME_TEXT_STEPS || step == u->session.text_step)
        return;
    u->session.text_step = step;
    ui_relayout(u);
}

theme_contrast ui_contrast(const ui *u)
{
    return (theme_contrast)u->session.contrast;
}

void ui_set_contrast(ui *u, theme_contrast c)
{
    if (c < 0 || c >= THEME_CONTRAST_COUNT || (int)c == u->session.contrast)
        return;
    u->session.contrast = (int)c;
    ui_relayout(u);
}

/* ---- the session -------------------------------------------------------- */

void ui_session_start(ui_session *s, const ui_config *cfg)
{
    memset(s, 0, sizeof *s);
    snprintf(s->lang, sizeof s->lang, "%s", ui_lang_known(cfg->default_lang));
    s->text_step = cfg->default_text_step;
    s->contrast = THEME_STANDARD;
}

/* True when nobody has changed anything since the session started. */
static bool session_is_fresh(const ui_session *s, const ui_config *cfg)
{
    ui_session fresh;
    ui_session_start(&fresh, cfg);
    return !strcmp(s->lang, fresh.lang) && s->text_step == fresh.text_step && s->contrast == fresh.contrast &&
           !strcmp(s->query, fresh.query) && s->speech_mode == fresh.speech_mode && s->reach == fresh.reach;
}

const char *ui_remembered_query(const ui *u)
{
    return u->session.query;
}

void ui_remember_query(ui *u, const char *query)
{
    snprintf(u->session.query, sizeof u->session.query, "%s", query);
}

/* ---- idle reset and attract mode ------------------------------------------ */

/* Quiet time before the reset, or 0 for never. The operator's screens and
 * the keypad close after UI_OPERATOR_IDLE_S at most, reset or not. */
static uint32_t idle_limit_ms(const ui *u)
{
    int s = u->cfg.idle_reset_s;
    if (ui_on_operator_screen(u) && (s <= 0 || s > UI_OPERATOR_IDLE_S))
        s = UI_OPERATOR_IDLE_S;
    else if (s > 0 && u->session.speech_mode)
        s *= u->cfg.speech_idle_factor > 1 ? u->cfg.speech_idle_factor : 1; /* finding things by ear takes longer */
    else if (s > 0 && (u->session.text_step > u->cfg.default_text_step || u->session.contrast != THEME_STANDARD))
        s *= UI_READER_IDLE_FACTOR; /* a person who asked for larger text or contrast reads slower */
    return s > 0 ? (uint32_t)s * 1000u : 0;
}

static bool is_clean(const ui *u)
{
    return u->cur.kind == ROUTE_HOME && route_history_depth(&u->hist) == 0 && session_is_fresh(&u->session, &u->cfg);
}

/* The next person starts clean: a fresh session (default language and
 * text size, nothing typed), home, no history, no message. */
static void idle_reset(ui *u)
{
    ui_observe_reset(u);
    uint32_t limit = idle_limit_ms(u); /* the one that ran out, before the session that set it goes */
    if (u->session.speech_mode)
        platform_log(PLATFORM_LOG_INFO, "speech mode off (idle reset)");
    ui_session_start(&u->session, &u->cfg);
    ui_speechmode_reset(u);
    u->toast[0] = '\0';
    bool was_operator = ui_on_operator_screen(u);
    ui_retheme(u);
    ui_home(u);
    u->corner.armed = false;
    u->n_down = 0;
    u->stats.idle_resets++;
    platform_log(PLATFORM_LOG_INFO, "idle reset after %u s without input%s", (unsigned)(limit / 1000u),
                 was_operator ? " (operator screen closed)" : "");
}

static bool attract_due(const ui *u)
{
    return u->cur.kind == ROUTE_HOME && u->cfg.attract_s > 0 && !u->attract;
}

void ui_session_tick(ui *u, uint32_t now)
{
    if (ui_speech_active(u))
        u->last_input = now; /* someone is listening: the idle clock waits */
    uint32_t quiet = now - u->last_input, limit = idle_limit_ms(u);
    if (limit > 0 && quiet >= limit && !is_clean(u) && !gesture_is_active(&u->g))
        idle_reset(u);
    if (attract_due(u) && quiet >= (uint32_t)u->cfg.attract_s * 1000u) {
        u->attract = true;
        ui_invalidate(u);
    }
}

deadline ui_session_deadline(const ui *u, uint32_t now)
{
    deadline d = deadline_none();
    /* While a finger is down the reset waits (ui_tick), so its deadline
     * is not offered: a past deadline would make the loop spin. */
    if (idle_limit_ms(u) > 0 && !is_clean(u) && !gesture_is_active(&u->g))
        d = deadline_min(d, deadline_at(u->last_input + idle_limit_ms(u)), now);
    if (attract_due(u))
        d = deadline_min(d, deadline_at(u->last_input + (uint32_t)u->cfg.attract_s * 1000u), now);
    return d;
}

void ui_session_input(ui *u, uint32_t now)
{
    u->now = now;
    u->last_input = now;
    ui_observe_input(u);
    if (u->attract) {
        u->attract = false;
        ui_invalidate(u);
    }
}
