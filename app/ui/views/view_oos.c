/* Out of service: no content could be opened. Says so in all three
 * languages at once (nobody can switch language on a broken kiosk) and
 * where to get help; never a blank screen, and never the technical reason:
 * that is for the operator (the log and the operator screen, which the
 * hidden corner gesture still opens here). No top bar: its language and
 * text-size buttons would do nothing useful. */
#include <string.h>

#include "ui_view.h"

static const char *oos_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_OUT_OF_SERVICE);
}

static void oos_draw(ui *u, void *state, SDL_Rect area)
{
    (void)state;
    const theme *t = ui_theme(u);
    int x = t->content_x, w = t->content_w, y = area.y + t->margin * 2;
    for (int l = 0; l < I18N_LANG_COUNT; l++) {
        if (l > 0) {
            render_fill_rect(ui_render(u), (SDL_Rect){x, y, w, theme_px(t, 1)}, 0, ui_color(t->color.divider));
            y += t->gap;
        }
        y += ui_text_draw(u, RENDER_FACE_BOLD, t->font_h2, i18n_get((i18n_lang)l, I18N_OUT_OF_SERVICE), x, y, w, 2,
                           t->color.text);
        y += theme_px(t, 4);
        y += ui_text_draw(u, RENDER_FACE_REGULAR, t->font_body, i18n_get((i18n_lang)l, I18N_ASK_STAFF), x, y, w, 3,
                           t->color.text);
        y += t->gap;
    }
}

const view_ops view_oos = {
    .name = "out-of-service",
    .bar = UI_BAR_NONE,
    .draw = oos_draw,
    .title = oos_title,
};
