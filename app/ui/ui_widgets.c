/* ui_widgets — what the views draw with: wrapped text, buttons, cards,
 * scroll bars, the toast. Built on the view interface (ui_view.h) alone. */
#include "ui_widgets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_view.h"

render_color ui_color(theme_color c)
{
    render_color r = {c.r, c.g, c.b, c.a};
    return r;
}

static int measure_text(void *ctx, layout_face face, int size, const char *text, size_t len)
{
    return render_text_width(ui_render(ctx), (render_face)face, size, text, len);
}

static int measure_line(void *ctx, layout_face face, int size)
{
    return render_line_height(ui_render(ctx), (render_face)face, size);
}

layout_measurer ui_measurer(ui *u)
{
    return (layout_measurer){u, measure_text, measure_line, NULL};
}

/* Pieces a text block lays out on the stack; a longer block asks the heap. */
#define BLOCK_PIECES 128

static bool overlaps_highlight(const store_range *hl, int n_hl, size_t off, size_t len)
{
    for (int i = 0; i < n_hl; i++) {
        size_t s = hl[i].start, e = s + hl[i].len;
        if (off < e && off + len > s)
            return true;
    }
    return false;
}

/* Draws the laid-out pieces of text: a soft marker under those that touch
 * a highlighted range, the words, the ellipsis of a cut block and the
 * hyphen of a cut word. */
static void draw_pieces(ui *u, render_face face, int size, const char *text, const layout_piece *pc, int n, int x,
                        int y, int line_h, theme_color color, const store_range *hl, int n_hl)
{
    render *r = ui_render(u);
    const theme *t = ui_theme(u);
    for (int i = 0; i < n; i++) {
        const layout_piece *p = &pc[i];
        int px = x + p->x, py = y + p->line * line_h;
        if (hl && overlaps_highlight(hl, n_hl, p->off, p->len))
            render_fill_rect(r, (SDL_Rect){px - 2, py, p->w + 4, line_h}, theme_px(t, 4), ui_color(t->color.highlight));
        render_text(r, face, size, text + p->off, p->len, px, py, ui_color(color));
        const char *tail = layout_piece_tail(p);
        if (tail)
            render_text(r, face, size, tail, strlen(tail), px + p->w, py, ui_color(color));
    }
}

/* How text_draw sets a text; combine with |. */
typedef enum {
    TEXT_LEFT = 0,        /* lines start at x; a cut is a layout problem (noted) */
    TEXT_PREVIEW = 1 << 0, /* a cut is a preview's ending (noted apart) */
    TEXT_CENTRED = 1 << 1, /* each line centred in the width */
} text_how;

/* Where a line's last piece ends, its hyphen or "…" included. */
static int line_end(ui *u, render_face face, int size, const layout_piece *p)
{
    const char *tail = layout_piece_tail(p);
    return p->x + p->w + (tail ? render_text_width(ui_render(u), face, size, tail, strlen(tail)) : 0);
}

/* Moves each laid-out line to the middle of the width w. */
static void centre_lines(ui *u, render_face face, int size, layout_piece *pc, int n, int w)
{
    for (int first = 0; first < n;) {
        int last = first;
        while (last + 1 < n && pc[last + 1].line == pc[first].line)
            last++;
        int shift = (w - line_end(u, face, size, &pc[last])) / 2;
        for (int i = first; i <= last; i++)
            pc[i].x += shift > 0 ? shift : 0;
        first = last + 1;
    }
}

/* Lays text out with layout_lines (the one plain-text engine) and draws
 * it. Returns the height used. */
static int text_draw(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                     theme_color color, const store_range *hl, int n_hl, text_how how)
{
    layout_measurer m = ui_measurer(u);
    size_t len = strlen(text);
    int line_h = render_line_height(ui_render(u), face, size);
    layout_piece stack[BLOCK_PIECES], *pc = stack;
    int n = 0;
    int lines = layout_lines(&m, (layout_face)face, size, text, len, w, max_lines, pc, BLOCK_PIECES, &n);
    if (n > BLOCK_PIECES && (pc = malloc((size_t)n * sizeof *pc)) != NULL)
        layout_lines(&m, (layout_face)face, size, text, len, w, max_lines, pc, n, NULL);
    if (!pc) { /* no memory for a very long block: its first pieces */
        pc = stack;
        n = BLOCK_PIECES;
    }
    if (how & TEXT_CENTRED)
        centre_lines(u, face, size, pc, n, w);
    draw_pieces(u, face, size, text, pc, n, x, y, line_h, color, hl, n_hl);
    if (n > 0 && pc[n - 1].ellipsis) {
        if (how & TEXT_PREVIEW)
            ui_preview_was_cut(u);
        else
            ui_text_was_cut(u, text);
    }
    if (pc != stack)
        free(pc);
    return lines * line_h;
}

int ui_text_draw(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                 theme_color color)
{
    return text_draw(u, face, size, text, x, y, w, max_lines, color, NULL, 0, TEXT_LEFT);
}

int ui_text_draw_centred(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                         theme_color color)
{
    return text_draw(u, face, size, text, x, y, w, max_lines, color, NULL, 0, TEXT_CENTRED);
}

int ui_text_preview(ui *u, render_face face, int size, const char *text, int x, int y, int w, int max_lines,
                    theme_color color)
{
    return text_draw(u, face, size, text, x, y, w, max_lines, color, NULL, 0, TEXT_PREVIEW);
}

int ui_text_height(ui *u, render_face face, int size, const char *text, int w, int max_lines)
{
    layout_measurer m = ui_measurer(u);
    int lines = layout_lines(&m, (layout_face)face, size, text, strlen(text), w, max_lines, NULL, 0, NULL);
    return lines * render_line_height(ui_render(u), face, size);
}

int ui_plan_text(ui *u, ui_plan *p, render_face face, int size, const char *text, int x, int y, int w,
                 int max_lines, theme_color color)
{
    int h = ui_text_height(u, face, size, text, w, max_lines);
    ui_plan_add_part(p, &(ui_part){.kind = UI_PART_TEXT, .r = {x, y, w, h}, .text = text, .face = (int)face,
                                   .size = size, .max_lines = max_lines, .color = color});
    return h;
}

void ui_plan_draw(ui *u, const ui_plan *p, SDL_Rect area, int off, ui_part_draw draw, void *state)
{
    for (int i = 0; i < p->n; i++) {
        const ui_part *part = &p->parts[i];
        if (!ui_part_visible(part, off, area.h))
            continue;
        SDL_Rect r = {part->r.x, area.y + part->r.y - off, part->r.w, part->r.h};
        if (part->kind == UI_PART_TEXT)
            ui_text_draw(u, (render_face)part->face, part->size, part->text, r.x, r.y, r.w, part->max_lines,
                         part->color);
        else
            draw(u, state, part, r, area);
    }
}

theme_color ui_box_color(const theme *t, const layout_box *b)
{
    if (b->link >= 0 || (b->style & LAYOUT_STYLE_CLAUSE_NUMBER))
        return t->color.accent;
    if (b->style & LAYOUT_STYLE_MARKER)
        return t->color.text_muted;
    return t->color.text;
}

void ui_box_text(ui *u, const layout_box *b, int x, int y)
{
    render *rc = ui_render(u);
    render_color color = ui_color(ui_box_color(ui_theme(u), b));
    render_text(rc, (render_face)b->face, b->size_px, b->text, b->len, x, y, color);
    if (b->style & LAYOUT_STYLE_HYPHEN)
        render_text(rc, (render_face)b->face, b->size_px, LAYOUT_HYPHEN, strlen(LAYOUT_HYPHEN), x + b->w, y, color);
}

void ui_page_draw(ui *u, const layout_page *p, int x, int y, int bottom)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    for (size_t i = 0; i < p->n_boxes; i++) {
        const layout_box *b = &p->boxes[i];
        SDL_Rect r = {x + b->x, y + b->y, b->w, b->h};
        if (r.y + r.h > bottom)
            break; /* boxes come sorted by y: the rest is lower */
        if (b->kind == LAYOUT_BOX_TEXT)
            ui_box_text(u, b, r.x, r.y);
        else if (b->kind == LAYOUT_BOX_RULE)
            render_fill_rect(rc, r, 0, ui_color(t->color.divider));
        else if (b->kind == LAYOUT_BOX_QUOTE_BAR)
            render_fill_rect(rc, r, r.w / 2, ui_color(t->color.accent));
        else if (b->kind == LAYOUT_BOX_CODE_BG)
            render_fill_rect(rc, r, theme_px(t, 6), ui_color(t->color.accent_soft));
    }
}

bool ui_box_heard(const layout_reading *r, const content_doc *doc, const layout_box *b, size_t at, size_t len)
{
    long off = layout_reading_offset(r, doc, b);
    return off >= 0 && (size_t)off < at + len && (size_t)off + b->len > at;
}

void ui_page_mark_heard(ui *u, const layout_page *p, int x, int y, int bottom, const layout_reading *r,
                        size_t at, size_t len)
{
    const theme *t = ui_theme(u);
    for (size_t i = 0; i < p->n_boxes; i++) {
        const layout_box *b = &p->boxes[i];
        if (y + b->y + b->h > bottom)
            break; /* boxes come sorted by y */
        if (ui_box_heard(r, p->doc, b, at, len))
            render_fill_rect(ui_render(u), (SDL_Rect){x + b->x - 2, y + b->y, b->w + 4, b->h}, theme_px(t, 4),
                             ui_color(t->color.highlight));
    }
}

SDL_Rect ui_speaker_size(ui *u)
{
    const theme *t = ui_theme(u);
    int widest = 0;
    for (int i = 0; i < 2; i++) {
        const char *l = ui_str(u, i ? I18N_STOP_LISTENING : I18N_LISTEN);
        int w = render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, l, strlen(l));
        widest = w > widest ? w : widest;
    }
    int h = t->target;
    return (SDL_Rect){0, 0, widest + h / 2 + theme_px(t, 8) + 2 * theme_px(t, 16), h};
}

void ui_speaker_button(ui *u, SDL_Rect r, bool on, target_id id)
{
    ui_button(u, r, ui_str(u, on ? I18N_STOP_LISTENING : I18N_LISTEN), on ? RENDER_ICON_STOP : RENDER_ICON_SPEAKER,
              UI_BUTTON_PRIMARY, id, "@listen");
}

void ui_text_highlighted(ui *u, render_face face, int size, const char *text, const store_range *hl, int n_hl,
                         int x, int y, int w, int max_lines, theme_color color)
{
    text_draw(u, face, size, text, x, y, w, max_lines, color, hl, n_hl, TEXT_PREVIEW);
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
        bg = primary ? t->color.accent_press : t->color.surface_press;
    }
    /* The citizen's buttons are pills; the operator's plain rounded boxes. */
    int radius = flags & UI_BUTTON_OPERATOR ? t->radius : rect.h / 2;
    render_fill_rect(rc, rect, radius, ui_color(bg));
    if (!primary || disabled)
        render_stroke_rect(rc, rect, radius, theme_px(t, 1.5f), ui_color(edge));
    return fg;
}

/* Room for a pill's label beside its icon in a button w wide and h high. */
static int pill_room(const theme *t, int icon, int w, int h)
{
    int icon_sz = icon != UI_NO_ICON ? h / 2 : 0;
    return w - icon_sz - (icon != UI_NO_ICON ? theme_px(t, 8) : 0) - 2 * theme_px(t, 12);
}

int ui_button_height(ui *u, const char *label, int icon, int w)
{
    const theme *t = ui_theme(u);
    int room = pill_room(t, icon, w, t->target);
    if (!label || render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, label, strlen(label)) <= room)
        return t->target;
    int two = ui_text_height(u, RENDER_FACE_BOLD, t->font_bar, label, room, 2) + theme_px(t, 16);
    return two > t->target ? two : t->target;
}

/* The citizen's label: one line, or two where the button is tall enough
 * (ui_button_height), cut only when even that is not enough; the icon
 * before it or after it. Returns true when the label had to be cut. */
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
    int lh = render_line_height(rc, RENDER_FACE_BOLD, fs);
    if (cut && label && rect.h >= 2 * lh) {
        icon_sz = icon != UI_NO_ICON ? t->target / 2 : 0;
        max_text = pill_room(t, icon, rect.w, t->target);
        int th = ui_text_height(u, RENDER_FACE_BOLD, fs, label, max_text, 2);
        int x = rect.x + pad + (after ? 0 : icon_sz + gap);
        if (icon != UI_NO_ICON)
            render_icon_draw(rc, (render_icon)icon,
                             (SDL_Rect){after ? rect.x + rect.w - pad - icon_sz : rect.x + pad,
                                        rect.y + (rect.h - icon_sz) / 2, icon_sz, icon_sz},
                             ui_color(fg));
        ui_text_draw(u, RENDER_FACE_BOLD, fs, label, x, rect.y + (rect.h - th) / 2, max_text, 2, fg);
        return ui_text_height(u, RENDER_FACE_BOLD, fs, label, max_text, 3) > th;
    }
    if (cut)
        text_w = max_text > 0 ? max_text : 0;
    int x = rect.x + (rect.w - (icon_sz + gap + text_w)) / 2;
    int text_x = after ? x : x + icon_sz + gap;
    int icon_x = after ? x + text_w + gap : x;
    if (icon != UI_NO_ICON)
        render_icon_draw(rc, (render_icon)icon, (SDL_Rect){icon_x, rect.y + (rect.h - icon_sz) / 2, icon_sz, icon_sz},
                         ui_color(fg));
    if (label && text_w > 0) {
        ui_text_draw(u, RENDER_FACE_BOLD, fs, label, text_x, rect.y + (rect.h - lh) / 2, text_w, 1, fg);
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
        ui_text_draw(u, RENDER_FACE_BOLD, fs, label, tx, ty, text_w, 1, fg);
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
    ui_target *tg = ui_add_target(u, rect, id, ref, label);
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
    if (t->color.card_edge.a)
        render_stroke_rect(rc, rect, t->radius, theme_px(t, 2), ui_color(t->color.card_edge));
}

int ui_cover_draw(ui *u, SDL_Rect r, const char *asset)
{
    render *rc = ui_render(u);
    if (render_image_cached(rc, asset))
        return render_image_fill(rc, asset, NULL, 0, r);
    store_asset a;
    if (!ui_store(u) || store_asset_get(ui_store(u), asset, &a) < 0)
        return render_image_fill(rc, asset, NULL, 0, r); /* remembered as broken: not looked up every frame */
    int drawn = render_image_fill(rc, asset, a.data, a.size, r);
    store_asset_free(&a);
    return drawn;
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
    ui_text_draw(u, RENDER_FACE_BOLD, fs, msg, r.x + pad, r.y + pad / 2, tw, 1, t->color.surface);
}

