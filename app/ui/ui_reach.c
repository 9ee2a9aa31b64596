/* ui_reach — reach mode: the strip on tall screens, the ui pulled into the
 * lower half, and pointers moved into the ui's area (ui_reach.h). */
#include "ui_reach.h"

#include <string.h>

#include "ui_widgets.h"

/* A screen at least this high (with a known density) is out of reach at
 * its top from a wheelchair once it stands on a kiosk's base. */
#define REACH_TALL_MM 350.0f

bool ui_reach_offered(const ui *u)
{
    if (u->screen_h > u->screen_w)
        return true;
    return u->cfg.dpi > 0 && (float)u->screen_h / u->cfg.dpi * 25.4f >= REACH_TALL_MM;
}

void ui_reach_layout(ui *u)
{
    u->w = u->screen_w;
    u->top = 0;
    u->strip_h = 0;
    if (!ui_reach_offered(u)) {
        u->session.reach = false;
        u->h = u->screen_h;
        return;
    }
    u->strip_h = u->th.target + 2 * theme_px(&u->th, 8);
    if (u->session.reach)
        u->top = u->screen_h / 2;
    u->h = u->screen_h - u->top - u->strip_h;
}

void ui_reach_toggle(ui *u)
{
    if (!ui_reach_offered(u))
        return;
    u->session.reach = !u->session.reach;
    u->lang_sheet = false;
    ui_relayout(u);
}

void ui_reach_draw_outside(ui *u)
{
    if (u->top <= 0)
        return;
    const theme *t = &u->th;
    SDL_Rect up = {0, 0, u->screen_w, u->top};
    render_fill_rect(u->r, up, 0, ui_color(t->color.surface));
    render_fill_rect(u->r, (SDL_Rect){0, u->top - theme_px(t, 2), u->screen_w, theme_px(t, 2)}, 0,
                     ui_color(t->color.control_edge));
    const char *msg = ui_str(u, I18N_REACH_RETURN);
    int w = u->screen_w - 4 * t->margin;
    int h = ui_text_height(u, RENDER_FACE_BOLD, t->font_title, msg, w, 3);
    /* Centred, as the message of an empty half screen reads. */
    ui_text_draw_centred(u, RENDER_FACE_BOLD, t->font_title, msg, 2 * t->margin, (u->top - h) / 2, w, 3,
                         t->color.text);
}

void ui_reach_draw_strip(ui *u)
{
    if (u->strip_h <= 0)
        return;
    const theme *t = &u->th;
    SDL_Rect strip = {0, u->h, u->w, u->strip_h};
    render_fill_rect(u->r, strip, 0, ui_color(t->color.bg));
    render_fill_rect(u->r, (SDL_Rect){0, u->h, u->w, theme_px(t, 1)}, 0, ui_color(t->color.divider));
    const char *label = ui_str(u, u->session.reach ? I18N_REACH_FULL : I18N_REACH_DOWN);
    int pad = theme_px(t, 24);
    int bw = render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, label, strlen(label)) + 2 * pad;
    if (bw < 2 * t->target)
        bw = 2 * t->target;
    if (bw > u->w - 2 * t->margin)
        bw = u->w - 2 * t->margin;
    SDL_Rect b = {(u->w - bw) / 2, u->h + (u->strip_h - t->target) / 2, bw, t->target};
    ui_button(u, b, label, UI_NO_ICON, u->session.reach ? UI_BUTTON_PRIMARY : UI_BUTTON_PLAIN,
              (target_id){0, 0, TARGET_REACH}, "@reach");
}

bool ui_reach_pointer(ui *u, ui_pointer_phase phase, int64_t id, float *y)
{
    if (u->reach_touch.on && id == u->reach_touch.id) {
        if (phase == UI_POINTER_UP)
            u->reach_touch.on = false;
        return false;
    }
    if (phase == UI_POINTER_DOWN && u->top > 0 && *y < (float)u->top) {
        u->reach_touch.on = true;
        u->reach_touch.id = id;
        ui_reach_toggle(u);
        return false;
    }
    *y -= (float)u->top;
    return true;
}
