/* ui_widgets — what the views draw with: wrapped text, buttons, cards,
 * scroll bars, the toast. Built on the view interface (ui_view.h) alone. */
#include "ui_widgets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui_view.h"
#include "utf8.h"

render_color ui_color(theme_color c)
{
    render_color r = {c.r, c.g, c.b, c.a};
    return r;
}

/* Calls place(word) for every word of text as it wraps into width w; words
 * longer than a line are cut between code points. Returns the lines used. */
typedef struct {
    ui *u;
    render_face face;
    int size;
    int x, y, w, line_h;
    int max_lines;
    bool draw;
    theme_color color;
    const store_range *hl;
    int n_hl;
    const char *base;
} wrap_ctx;

static bool overlaps_highlight(const wrap_ctx *c, size_t off, size_t len)
{
    for (int i = 0; i < c->n_hl; i++) {
        size_t s = c->hl[i].start, e = s + c->hl[i].len;
        if (off < e && off + len > s)
            return true;
    }
    return false;
}

static void draw_piece(wrap_ctx *c, const char *text, size_t len, int x, int y, int width)
{
    if (!c->draw || len == 0)
        return;
    if (c->hl && overlaps_highlight(c, (size_t)(text - c->base), len)) {
        SDL_Rect mark = {x - 2, y, width + 4, c->line_h};
        render_fill_rect(ui_render(c->u), mark, theme_px(ui_theme(c->u), 4), ui_color(ui_theme(c->u)->color.highlight));
    }
    render_text(ui_render(c->u), c->face, c->size, text, len, x, y, ui_color(c->color));
}

/* Longest prefix of text (whole code points) that fits width. */
static size_t fit_prefix(wrap_ctx *c, const char *text, size_t len, int width)
{
    size_t best = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        i += n > 0 ? (size_t)n : 1;
        if (render_text_width(ui_render(c->u), c->face, c->size, text, i) > width)
            break;
        best = i;
    }
    if (best == 0) { /* at least one code point per line */
        uint32_t cp;
        int n = utf8_decode(text, len, &cp);
        best = n > 0 ? (size_t)n : 1;
    }
    return best;
}

static int wrap_text(wrap_ctx *c, const char *text)
{
    static const char ellipsis[] = "…";
    int space_w = render_text_width(ui_render(c->u), c->face, c->size, " ", 1);
    int line = 0, cx = 0;
    const char *p = text;
    while (*p && line < c->max_lines) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (!*p)
            break;
        size_t wl = strcspn(p, " \n");
        int ww = render_text_width(ui_render(c->u), c->face, c->size, p, wl);
        if (cx > 0 && cx + space_w + ww > c->w) { /* next line */
            line++;
            cx = 0;
            if (line >= c->max_lines)
                break;
        }
        int start = cx > 0 ? cx + space_w : 0;
        bool last = line == c->max_lines - 1;
        const char *rest = p + wl;
        while (*rest == ' ')
            rest++;
        if (ww > c->w - start || (last && *rest && start + ww > c->w)) {
            /* Too long for what is left: cut, with an ellipsis on the last line. */
            int ell_w = last ? render_text_width(ui_render(c->u), c->face, c->size, ellipsis, sizeof ellipsis - 1) : 0;
            size_t cut = fit_prefix(c, p, wl, c->w - start - ell_w);
            int cw = render_text_width(ui_render(c->u), c->face, c->size, p, cut);
            draw_piece(c, p, cut, c->x + start, c->y + line * c->line_h, cw);
            if (last) {
                if (c->draw)
                    render_text(ui_render(c->u), c->face, c->size, ellipsis, sizeof ellipsis - 1, c->x + start + cw,
                                c->y + line * c->line_h, ui_color(c->color));
                return line + 1;
            }
            p += cut;
            line++;
            cx = 0;
            continue;
        }
        if (last && *rest && start + ww > c->w) {
            return line + 1;
        }
        draw_piece(c, p, wl, c->x + start, c->y + line * c->line_h, ww);
        cx = start + ww;
        p += wl;
        /* Mark the cut when words remain but no line does. */
        if (last && *rest) {
            const char *q = rest;
            size_t nl = strcspn(q, " \n");
            int nw = render_text_width(ui_render(c->u), c->face, c->size, q, nl);
            if (cx + space_w + nw > c->w) {
                int ell_w = render_text_width(ui_render(c->u), c->face, c->size, ellipsis, sizeof ellipsis - 1);
                if (c->draw && cx + ell_w <= c->w + ell_w)
                    render_text(ui_render(c->u), c->face, c->size, ellipsis, sizeof ellipsis - 1, c->x + cx,
                                c->y + line * c->line_h, ui_color(c->color));
                return line + 1;
            }
        }
    }
    return cx > 0 ? line + 1 : line;
}

int ui_text_block(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                  theme_color color, bool draw)
{
    int line_h = render_line_height(ui_render(u), face, size);
    wrap_ctx c = {u, face, size, x, y, w, line_h, max_lines, draw, color, NULL, 0, text};
    return wrap_text(&c, text) * c.line_h;
}

void ui_text_highlighted(ui *u, render_face face, int size, const char *text, const store_range *hl, int n_hl,
                         int x, int y, int w, int max_lines, theme_color color)
{
    int line_h = render_line_height(ui_render(u), face, size);
    wrap_ctx c = {u, face, size, x, y, w, line_h, max_lines, true, color, hl, n_hl, text};
    wrap_text(&c, text);
}

int ui_operator_font(const ui *u, ui_opfont f)
{
    static const float dp[] = {[UI_OPFONT_TEXT] = 16, [UI_OPFONT_BUTTON] = 18,
                               [UI_OPFONT_KEY] = 22, [UI_OPFONT_TITLE] = 25, [UI_OPFONT_DIGIT] = 30};
    /* Rounded as theme_compute rounds its fonts, so the sizes are the same. */
    return (int)lroundf(dp[f] * ui_theme(u)->scale);
}

/* Splits text into two lines at the space nearest its middle that lets both
 * fit width; false when no split fits. */
static bool split_two_lines(ui *u, int fs, const char *text, int width, size_t *cut)
{
    render *rc = ui_render(u);
    size_t n = strlen(text), best = 0;
    int best_w = 0;
    for (size_t i = 1; i < n; i++) {
        if (text[i] != ' ')
            continue;
        int a = render_text_width(rc, RENDER_FACE_BOLD, fs, text, i);
        int b = render_text_width(rc, RENDER_FACE_BOLD, fs, text + i + 1, n - i - 1);
        int widest = a > b ? a : b;
        if (widest <= width && (!best || widest < best_w)) {
            best = i;
            best_w = widest;
        }
    }
    *cut = best;
    return best > 0;
}

/* The button's background and edge; returns the colour for its label. */
static theme_color draw_button_face(ui *u, SDL_Rect rect, ui_button_flags flags, bool pressed)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    bool disabled = flags & UI_BUTTON_DISABLED, primary = flags & UI_BUTTON_PRIMARY;
    theme_color edge = flags & UI_BUTTON_DANGER ? t->color.danger : t->color.accent;
    theme_color bg = primary ? edge : t->color.surface, fg = primary ? t->color.surface : edge;
    if (disabled) {
        edge = t->color.control_edge;
        bg = t->color.bg;
        fg = t->color.text_muted;
    } else if (pressed) {
        bg = primary ? t->color.bar : t->color.surface_press;
    }
    /* The citizen's buttons are pills; the operator's plain rounded boxes. */
    int radius = flags & UI_BUTTON_OPERATOR ? t->radius : rect.h / 2;
    render_fill_rect(rc, rect, radius, ui_color(bg));
    if (!primary || disabled)
        render_stroke_rect(rc, rect, radius, theme_px(t, 1.5f), ui_color(edge));
    return fg;
}

/* The citizen's label: one line, cut to fit, the icon before it or after
 * it. Returns true when the label had to be cut. */
static bool draw_pill_label(ui *u, SDL_Rect rect, const char *label, int icon, ui_button_flags flags,
                            theme_color fg)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    bool after = flags & UI_BUTTON_ICON_AFTER;
    int fs = t->font_bar;
    int pad = theme_px(t, 12);
    int text_w = label ? render_text_width(rc, RENDER_FACE_BOLD, fs, label, strlen(label)) : 0;
    int icon_sz = icon != UI_NO_ICON ? rect.h / 2 : 0;
    int gap = icon != UI_NO_ICON && text_w ? theme_px(t, 8) : 0;
    int max_text = rect.w - icon_sz - gap - 2 * pad;
    bool cut = text_w > max_text;
    if (cut)
        text_w = max_text > 0 ? max_text : 0;
    int x = rect.x + (rect.w - (icon_sz + gap + text_w)) / 2;
    int text_x = after ? x : x + icon_sz + gap;
    int icon_x = after ? x + text_w + gap : x;
    if (icon != UI_NO_ICON)
        render_icon_draw(rc, (render_icon)icon, (SDL_Rect){icon_x, rect.y + (rect.h - icon_sz) / 2, icon_sz, icon_sz},
                         ui_color(fg));
    if (label && text_w > 0) {
        int lh = render_line_height(rc, RENDER_FACE_BOLD, fs);
        ui_text_block(u, RENDER_FACE_BOLD, fs, label, text_x, rect.y + (rect.h - lh) / 2, text_w, 1, fg, true);
    }
    return cut;
}

/* The operator's label: the operator font, on two lines when one is not
 * enough (long Kazakh labels), the icon before it. Returns true when even
 * that had to be cut. */
static bool draw_operator_label(ui *u, SDL_Rect rect, const char *label, int icon, ui_button_flags flags,
                                theme_color fg)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int fs = ui_operator_font(u, flags & UI_BUTTON_LARGE ? UI_OPFONT_KEY : UI_OPFONT_BUTTON), pad = theme_px(t, 10);
    int icon_sz = icon != UI_NO_ICON ? theme_px(t, 22) : 0, gap = icon != UI_NO_ICON ? theme_px(t, 8) : 0;
    int room = rect.w - 2 * pad - icon_sz - gap;
    int lh = render_line_height(rc, RENDER_FACE_BOLD, fs);
    size_t n = strlen(label), cut = 0;
    int w1 = render_text_width(rc, RENDER_FACE_BOLD, fs, label, n), w2 = 0;
    bool two = w1 > room && 2 * lh <= rect.h && split_two_lines(u, fs, label, room, &cut);
    if (two) {
        w1 = render_text_width(rc, RENDER_FACE_BOLD, fs, label, cut);
        w2 = render_text_width(rc, RENDER_FACE_BOLD, fs, label + cut + 1, n - cut - 1);
    }
    int text_w = w1 > w2 ? w1 : w2;
    bool label_cut = text_w > room;
    if (label_cut)
        text_w = room;
    int x = rect.x + (rect.w - icon_sz - gap - text_w) / 2;
    if (icon != UI_NO_ICON)
        render_icon_draw(rc, (render_icon)icon, (SDL_Rect){x, rect.y + (rect.h - icon_sz) / 2, icon_sz, icon_sz},
                         ui_color(fg));
    int tx = x + icon_sz + gap, ty = rect.y + (rect.h - (two ? 2 : 1) * lh) / 2;
    if (two) {
        render_text(rc, RENDER_FACE_BOLD, fs, label, cut, tx + (text_w - w1) / 2, ty, ui_color(fg));
        render_text(rc, RENDER_FACE_BOLD, fs, label + cut + 1, n - cut - 1, tx + (text_w - w2) / 2, ty + lh,
                    ui_color(fg));
    } else {
        ui_text_block(u, RENDER_FACE_BOLD, fs, label, tx, ty, text_w, 1, fg, true);
    }
    return label_cut;
}

void ui_button(ui *u, SDL_Rect rect, const char *label, int icon, ui_button_flags flags, target_id id,
               const char *ref)
{
    bool disabled = flags & UI_BUTTON_DISABLED;
    bool pressed = !disabled && ui_is_pressed(u, rect, id);
    theme_color fg = draw_button_face(u, rect, flags, pressed);
    bool cut = flags & UI_BUTTON_OPERATOR ? draw_operator_label(u, rect, label, icon, flags, fg)
                                          : draw_pill_label(u, rect, label, icon, flags, fg);
    if (disabled)
        return;
    ui_target *tg = ui_add_target(u, rect, id, ref);
    if (tg)
        tg->label_cut = cut;
}

void ui_scrollbar(ui *u, SDL_Rect area, const scroller *s)
{
    float max = scroller_max_offset(s);
    if (max <= 0.5f)
        return;
    const theme *t = ui_theme(u);
    int track_h = area.h - 2 * theme_px(t, 6);
    float content = (float)area.h + max;
    int thumb_h = (int)((float)track_h * (float)area.h / content);
    if (thumb_h < theme_px(t, 28))
        thumb_h = theme_px(t, 28);
    float off = scroller_offset(s);
    if (off < 0)
        off = 0;
    if (off > max)
        off = max;
    int y = area.y + theme_px(t, 6) + (int)((float)(track_h - thumb_h) * off / max);
    SDL_Rect thumb = {area.x + area.w - theme_px(t, 7), y, theme_px(t, 4), thumb_h};
    render_color c = ui_color(t->color.text_muted);
    c.a = 120;
    render_fill_rect(ui_render(u), thumb, thumb.w / 2, c);
}

void ui_scroll_gesture(ui *u, scroller *s, const gesture_event *e)
{
    switch (e->kind) {
    case GESTURE_PRESS:
        if (scroller_stop(s))
            ui_invalidate(u);
        break;
    case GESTURE_DRAG_START:
        if (e->axis != GESTURE_AXIS_Y)
            break;
        scroller_drag_begin(s);
        scroller_drag(s, e->dy);
        ui_invalidate(u);
        break;
    case GESTURE_DRAG:
        if (e->axis != GESTURE_AXIS_Y)
            break;
        scroller_drag(s, e->dy);
        ui_invalidate(u);
        break;
    case GESTURE_DRAG_END:
        if (e->axis != GESTURE_AXIS_Y)
            break;
        scroller_release(s, e->vy, e->time_ms);
        ui_invalidate(u);
        break;
    default:
        break;
    }
}

void ui_scroll_size(scroller *s, float *known_h, float content_h, float viewport_h)
{
    if (*known_h != content_h || s->viewport_h != viewport_h) {
        *known_h = content_h;
        scroller_set_size(s, content_h, viewport_h);
    }
}

void ui_card(ui *u, SDL_Rect rect, bool pressed)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    render_shadow(rc, rect, t->radius, theme_px(t, 3));
    render_fill_rect(rc, rect, t->radius, ui_color(pressed ? t->color.surface_press : t->color.surface));
}

render_icon ui_kind_icon(const char *kind)
{
    if (!strcmp(kind, "document"))
        return RENDER_ICON_DOCUMENT;
    if (!strcmp(kind, "explainer"))
        return RENDER_ICON_CARDS;
    return RENDER_ICON_ARTICLE;
}

void ui_toast_draw(ui *u)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    const char *msg = ui_toast_text(u);
    int fs = t->font_body;
    int maxw = ui_width(u) - 4 * t->margin;
    int tw = render_text_width(rc, RENDER_FACE_BOLD, fs, msg, strlen(msg));
    if (tw > maxw)
        tw = maxw;
    int lh = render_line_height(rc, RENDER_FACE_BOLD, fs);
    int pad = theme_px(t, 18);
    SDL_Rect r = {(ui_width(u) - tw) / 2 - pad, ui_height(u) - t->margin - lh - pad, tw + 2 * pad, lh + pad};
    render_shadow(rc, r, r.h / 2, theme_px(t, 4));
    render_fill_rect(rc, r, r.h / 2, ui_color(t->color.text));
    ui_text_block(u, RENDER_FACE_BOLD, fs, msg, r.x + pad, r.y + pad / 2, tw, 1, t->color.surface, true);
}

