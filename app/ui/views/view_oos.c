/* Out of service: no content could be opened. Says so in all three
 * languages at once (nobody can switch language on a broken kiosk) and gives
 * the operator the reason; never a blank screen. */
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
    for (int l = 0; l < 3; l++) {
        const char *msg = i18n_get((i18n_lang)l, I18N_OUT_OF_SERVICE);
        y += ui_text_block(u, l == 0 ? RENDER_FACE_BOLD : RENDER_FACE_REGULAR, l == 0 ? t->font_h1 : t->font_h3, msg, x,
                           y, w, 2, l == 0 ? t->color.text : t->color.text_muted, true);
        y += theme_px(t, 6);
    }
    y += t->gap * 2;
    render_fill_rect(ui_render(u), (SDL_Rect){x, y, w, theme_px(t, 1)}, 0, ui_color(t->color.divider));
    y += t->gap;
    const char *reason = ui_no_content_reason(u);
    ui_text_block(u, RENDER_FACE_REGULAR, t->font_small, reason[0] ? reason : "no content", x, y, w, 6,
                  t->color.text_muted, true);
}

const view_ops view_oos = {
    .name = "out-of-service",
    .draw = oos_draw,
    .title = oos_title,
};
