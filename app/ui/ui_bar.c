/* ui_bar — the top bar: the citizen's (Home, Back, title or search field,
 * search, language, text size) and the operator's (title, language, Close). */
#include "ui_private.h"

#include <string.h>

#include "ui_bar.h"
#include "ui_widgets.h"

/* The language button, its right edge at right; names the current
 * language, a tap cycles. Returns its left edge. */
static int draw_lang_button(ui *u, int right)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    render_color fg = ui_color(t->color.bar_text);
    const char *lname = i18n_name(ui_lang_of(u->lang));
    int lw = bh / 2 + pad + render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, lname, strlen(lname)) + pad * 3;
    SDL_Rect lr = {right - lw, by, lw, bh};
    if (ui_is_pressed(u, lr, UI_ACT_LANG, -1))
        render_fill_rect(u->r, lr, t->radius, (render_color){255, 255, 255, 50});
    render_stroke_rect(u->r, (SDL_Rect){lr.x, lr.y + bh / 8, lr.w, bh - bh / 4}, (bh - bh / 4) / 2,
                       theme_px(t, 1.5f), (render_color){255, 255, 255, 140});
    render_icon_draw(u->r, RENDER_ICON_GLOBE, (SDL_Rect){lr.x + pad * 2, by + bh / 4 + bh / 16, bh / 2 - bh / 8, bh / 2 - bh / 8}, fg);
    render_text(u->r, RENDER_FACE_BOLD, t->font_bar, lname, strlen(lname), lr.x + pad * 2 + bh / 2,
                by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
    ui_add_target(u, lr, UI_ACT_LANG, -1, NULL);
    return lr.x;
}

/* The operator's bar is dark slate, not the citizen's teal, so nobody
 * mistakes where they are: title on the left; language and the view's
 * Close (or Cancel) on the right. */
static void draw_operator_bar(ui *u)
{
    const theme *t = &u->th;
    render_fill_rect(u->r, (SDL_Rect){0, 0, u->w, t->bar_h}, 0, ui_color(t->color.text));
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    int right = u->w - pad;
    render_color fg = ui_color(t->color.bar_text);
    const char *close = u->view->close_label ? u->view->close_label(u) : NULL;
    if (close) {
        int tw = render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, close, strlen(close));
        int cw = bh / 2 + pad * 5 + tw;
        SDL_Rect cr = {right - cw, by, cw, bh};
        render_fill_rect(u->r, cr, t->radius,
                         ui_is_pressed(u, cr, UI_ACT_VIEW, UI_VIEW_CLOSE) ? (render_color){255, 255, 255, 90}
                                                                           : (render_color){255, 255, 255, 36});
        int ic = bh / 2 - bh / 8;
        render_icon_draw(u->r, RENDER_ICON_CLOSE, (SDL_Rect){cr.x + pad * 2, by + (bh - ic) / 2, ic, ic}, fg);
        render_text(u->r, RENDER_FACE_BOLD, t->font_bar, close, strlen(close), cr.x + pad * 3 + ic,
                    by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
        ui_add_target(u, cr, UI_ACT_VIEW, UI_VIEW_CLOSE, "@close");
        right = cr.x - pad * 2;
    }
    right = draw_lang_button(u, right) - pad;
    const char *title = u->view->title ? u->view->title(u) : "";
    int x = pad * 3;
    if (title && *title && right - x > theme_px(t, 60)) {
        int lh = render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar);
        ui_text_block(u, RENDER_FACE_BOLD, t->font_bar, title, x, (t->bar_h - lh) / 2, right - x - pad, 1,
                      t->color.bar_text, true);
    }
}

void ui_bar_draw(ui *u)
{
    const theme *t = &u->th;
    if (u->view->bar == UI_BAR_OPERATOR) {
        draw_operator_bar(u);
        return;
    }
    SDL_Rect bar = {0, 0, u->w, t->bar_h};
    render_fill_rect(u->r, bar, 0, ui_color(t->color.bar));
    int pad = theme_px(t, 6);
    int bh = t->target, by = (t->bar_h - bh) / 2;
    int x = pad;
    render_color fg = ui_color(t->color.bar_text);
    bool wide = u->w >= theme_px(t, 700);
    bool at_home = u->cur.kind == ROUTE_HOME;

    /* Home and Back on the left; Back only when there is somewhere to go. */
    if (u->st) {
        const char *home = ui_str(u, I18N_HOME);
        int hw = bh + (wide ? render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, home, strlen(home)) + pad * 2 : 0);
        SDL_Rect hr = {x, by, hw, bh};
        if (!at_home) {
            if (ui_is_pressed(u, hr, UI_ACT_HOME, 0))
                render_fill_rect(u->r, hr, t->radius, (render_color){255, 255, 255, 50});
            render_icon_draw(u->r, RENDER_ICON_HOME, (SDL_Rect){x + bh / 4, by + bh / 4, bh / 2, bh / 2}, fg);
            if (wide)
                render_text(u->r, RENDER_FACE_BOLD, t->font_bar, home, strlen(home), x + bh - pad,
                            by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
            ui_add_target(u, hr, UI_ACT_HOME, 0, NULL);
            x += hw + pad;
            SDL_Rect br = {x, by, bh, bh};
            if (ui_is_pressed(u, br, UI_ACT_BACK, 0))
                render_fill_rect(u->r, br, t->radius, (render_color){255, 255, 255, 50});
            render_icon_draw(u->r, RENDER_ICON_BACK, (SDL_Rect){x + bh / 4, by + bh / 4, bh / 2, bh / 2}, fg);
            ui_add_target(u, br, UI_ACT_BACK, 0, NULL);
            x += bh + pad;
        }
    }

    /* Right side: search, language, text size. */
    int right = u->w - pad;
    SDL_Rect ar = {right - bh, by, bh, bh};
    if (ui_is_pressed(u, ar, UI_ACT_TEXT_SIZE, 0))
        render_fill_rect(u->r, ar, t->radius, (render_color){255, 255, 255, 50});
    {
        /* "Aa" with a small and a large A, and three dots for the step. */
        int big = bh / 2, small = bh / 3;
        int wa = render_text_width(u->r, RENDER_FACE_BOLD, small, "A", 1);
        int wb = render_text_width(u->r, RENDER_FACE_BOLD, big, "A", 1);
        int tx = ar.x + (bh - wa - wb) / 2, base = ar.y + bh / 2 + big / 2;
        render_text(u->r, RENDER_FACE_BOLD, small, "A", 1, tx,
                    base - render_line_height(u->r, RENDER_FACE_BOLD, small) + small / 5, fg);
        render_text(u->r, RENDER_FACE_BOLD, big, "A", 1, tx + wa,
                    base - render_line_height(u->r, RENDER_FACE_BOLD, big) + big / 5, fg);
        for (int i = 0; i < THEME_TEXT_STEPS; i++) {
            render_color dc = fg;
            dc.a = i <= u->text_step ? 255 : 90;
            render_fill_circle(u->r, ar.x + bh / 2 + (i - 1) * theme_px(t, 7), ar.y + bh - theme_px(t, 7),
                               theme_px(t, 2.5f), dc);
        }
    }
    ui_add_target(u, ar, UI_ACT_TEXT_SIZE, 0, NULL);
    right = ar.x - pad;

    right = draw_lang_button(u, right) - pad;

    if (u->st && u->cur.kind != ROUTE_SEARCH) {
        SDL_Rect sr = {right - bh, by, bh, bh};
        if (ui_is_pressed(u, sr, UI_ACT_ROUTE, 1))
            render_fill_rect(u->r, sr, t->radius, (render_color){255, 255, 255, 50});
        render_icon_draw(u->r, RENDER_ICON_SEARCH, (SDL_Rect){sr.x + bh / 4, sr.y + bh / 4, bh / 2, bh / 2}, fg);
        ui_add_target(u, sr, UI_ACT_ROUTE, 1, "search");
        right = sr.x - pad;
    }

    /* The title between, cut to fit, or what the view puts there. */
    const char *title = u->view->title ? u->view->title(u) : "";
    if (u->view->bar_center) {
        u->view->bar_center(u, (SDL_Rect){x, by, right - x, bh});
    } else if (title && *title && right - x > theme_px(t, 60)) {
        int lh = render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar);
        ui_text_block(u, RENDER_FACE_BOLD, t->font_bar, title, x + pad, (t->bar_h - lh) / 2, right - x - pad * 2, 1,
                      t->color.bar_text, true);
    }
}

