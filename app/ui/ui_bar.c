/* ui_bar — the top bar: the citizen's (Home, Back, title or search field,
 * search, language, text size) and the operator's (title, language, Close). */
#include "ui_private.h"

#include <stdio.h>
#include <string.h>

#include "ui_bar.h"
#include "ui_widgets.h"

/* The bar's own targets (TARGET_BAR). */
typedef enum {
    BAR_HOME,
    BAR_BACK,
    BAR_SEARCH, /* a link to the search screen */
    BAR_LANG,   /* opens (or closes) the language sheet */
    BAR_LANG_PICK, /* a language of the sheet; index: the i18n_lang */
    BAR_SHEET_OUTSIDE, /* anywhere but the sheet while it is open: closes it */
    BAR_TEXT_SIZE, /* opens the screen settings (text size, contrast, language) */
    BAR_CLOSE,  /* the operator bar's Close or Cancel: the view's close hook */
} bar_target;

static target_id bar_id(bar_target kind)
{
    return (target_id){kind, 0, TARGET_BAR};
}

/* A light wash over a pressed button on the dark bar. */
static const render_color pressed_wash = {255, 255, 255, 50};

/* One icon button of the citizen bar: press feedback, the icon in the
 * square at its left (or UI_NO_ICON), a label after it (or NULL), and its
 * target, which speech mode calls said. */
static void bar_button(ui *u, SDL_Rect r, int icon, const char *label, target_id id, const char *ref,
                       const char *said)
{
    const theme *t = &u->th;
    int bh = r.h;
    render_color fg = ui_color(t->color.bar_text);
    if (ui_is_pressed(u, r, id))
        render_fill_rect(u->r, r, t->radius, pressed_wash);
    if (icon != UI_NO_ICON)
        render_icon_draw(u->r, (render_icon)icon, (SDL_Rect){r.x + bh / 4, r.y + bh / 4, bh / 2, bh / 2}, fg);
    if (label)
        render_text(u->r, RENDER_FACE_BOLD, t->font_bar, label, strlen(label), r.x + bh - theme_px(t, 6),
                    r.y + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
    ui_add_target(u, r, id, ref, said);
}

/* The text size button's face: "Aa" with a small and a large A, and a
 * dot for each step: filled up to it, rings after it (a faded dot was
 * 2.2:1 on the bar; a ring keeps the full 7.5:1 and still reads as off).
 * The dots grow with the controls: at 200 % the 5 px dots of the normal
 * size were specks beside letters twice as large. */
static void draw_text_size_face(ui *u, SDL_Rect ar)
{
    const theme *t = &u->th;
    int bh = ar.h, big = bh / 2, small = bh / 3;
    render_color fg = ui_color(t->color.bar_text);
    int wa = render_text_width(u->r, RENDER_FACE_BOLD, small, "A", 1);
    int wb = render_text_width(u->r, RENDER_FACE_BOLD, big, "A", 1);
    int tx = ar.x + (bh - wa - wb) / 2, base = ar.y + bh / 2 + big / 2;
    render_text(u->r, RENDER_FACE_BOLD, small, "A", 1, tx,
                base - render_line_height(u->r, RENDER_FACE_BOLD, small) + small / 5, fg);
    render_text(u->r, RENDER_FACE_BOLD, big, "A", 1, tx + wa,
                base - render_line_height(u->r, RENDER_FACE_BOLD, big) + big / 5, fg);
    float cs = t->control_scale;
    int pitch = theme_px(t, 7 * cs), rad = theme_px(t, 2.5f * cs), ring = theme_px(t, 1.2f * cs);
    for (int i = 0; i < THEME_TEXT_STEPS; i++) {
        int cx = ar.x + bh / 2 + (2 * i - (THEME_TEXT_STEPS - 1)) * pitch / 2;
        int cy = ar.y + bh - pitch;
        render_fill_circle(u->r, cx, cy, rad, fg);
        if (i > u->session.text_step)
            render_fill_circle(u->r, cx, cy, rad - ring, ui_color(t->color.bar));
    }
}

/* The current language's name on the language button: in full, or short
 * where large text leaves the bar too little room (a narrow or portrait
 * screen); the sheet it opens names all three in full. */
static const char *lang_label(ui *u)
{
    const theme *t = &u->th;
    i18n_lang l = ui_lang_of(u->session.lang);
    return u->w >= theme_px(t, 700.0f * t->control_scale) ? i18n_name(l) : i18n_short_name(l);
}

/* The language button's width: globe and the current language's name. */
static int lang_button_width(ui *u)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6), bh = t->target;
    const char *lname = lang_label(u);
    return bh / 2 + pad + render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, lname, strlen(lname)) + pad * 3;
}

/* The language button, its right edge at right; names the current
 * language, a tap opens the sheet of all three. Returns its left edge. */
static int draw_lang_button(ui *u, int right)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    render_color fg = ui_color(t->color.bar_text);
    const char *lname = lang_label(u);
    int lw = lang_button_width(u);
    SDL_Rect lr = {right - lw, by, lw, bh};
    u->lang_button = lr;
    if (u->lang_sheet || ui_is_pressed(u, lr, bar_id(BAR_LANG)))
        render_fill_rect(u->r, lr, t->radius, pressed_wash);
    render_stroke_rect(u->r, (SDL_Rect){lr.x, lr.y + bh / 8, lr.w, bh - bh / 4}, (bh - bh / 4) / 2,
                       theme_px(t, 1.5f), (render_color){255, 255, 255, 140});
    int globe = bh / 2 - bh / 8;
    render_icon_draw(u->r, RENDER_ICON_GLOBE, (SDL_Rect){lr.x + pad * 2, by + bh / 4 + bh / 16, globe, globe}, fg);
    render_text(u->r, RENDER_FACE_BOLD, t->font_bar, lname, strlen(lname), lr.x + pad * 2 + bh / 2,
                by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
    char said[64];
    snprintf(said, sizeof said, "%s: %s", ui_str(u, I18N_LANGUAGE), i18n_name(ui_lang_of(u->session.lang)));
    ui_add_target(u, lr, bar_id(BAR_LANG), "@lang", said);
    return lr.x;
}

/* The view's title from x to right, cut to fit; inset: space before it.
 * A running head: the page repeats it whole as its heading, so a cut here
 * loses nothing and is not counted as a cut text. */
static void draw_title(ui *u, int x, int right, int inset)
{
    const theme *t = &u->th;
    const char *title = u->view->title ? u->view->title(u, u->state) : "";
    int pad = theme_px(t, 6);
    /* A stub of three letters and "…" tells nobody anything: no title
     * where fewer than about six letters would show. */
    if (title && *title && right - x - pad - inset >= 3 * t->font_bar && right - x > theme_px(t, 60)) {
        int lh = render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar);
        ui_text_preview(u, RENDER_FACE_BOLD, t->font_bar, title, x + inset, (t->bar_h - lh) / 2,
                        right - x - pad - inset, 1, t->color.bar_text);
    }
}

/* The operator's Close (or Cancel), its right edge at right; returns its
 * left edge. */
static int draw_close_button(ui *u, const char *label, int right)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    render_color fg = ui_color(t->color.bar_text);
    int tw = render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, label, strlen(label));
    int cw = bh / 2 + pad * 5 + tw;
    SDL_Rect cr = {right - cw, by, cw, bh};
    bool pressed = ui_is_pressed(u, cr, bar_id(BAR_CLOSE));
    render_fill_rect(u->r, cr, t->radius, (render_color){255, 255, 255, pressed ? 90 : 36});
    int ic = bh / 2 - bh / 8;
    render_icon_draw(u->r, RENDER_ICON_CLOSE, (SDL_Rect){cr.x + pad * 2, by + (bh - ic) / 2, ic, ic}, fg);
    render_text(u->r, RENDER_FACE_BOLD, t->font_bar, label, strlen(label), cr.x + pad * 3 + ic,
                by + (bh - render_line_height(u->r, RENDER_FACE_BOLD, t->font_bar)) / 2, fg);
    ui_add_target(u, cr, bar_id(BAR_CLOSE), "@close", label);
    return cr.x;
}

/* The operator's bar is dark slate, not the citizen's teal, so nobody
 * mistakes where they are: title on the left; language and the view's
 * Close (or Cancel) on the right. */
static void draw_operator_bar(ui *u)
{
    const theme *t = &u->th;
    render_fill_rect(u->r, (SDL_Rect){0, 0, u->w, t->bar_h}, 0, ui_color(t->color.text));
    int pad = theme_px(t, 6);
    int right = u->w - pad;
    const char *close = u->view->close_label ? u->view->close_label(u, u->state) : NULL;
    if (close)
        right = draw_close_button(u, close, right) - pad * 2;
    right = draw_lang_button(u, right) - pad;
    draw_title(u, pad * 3, right, 0);
}

/* Width of a bar button with an icon and label (NULL: the icon alone). */
static int bar_button_width(ui *u, const char *label)
{
    const theme *t = &u->th;
    return t->target +
           (label ? render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, label, strlen(label)) + theme_px(t, 12) : 0);
}

/* The text size button's word ("Text size") where the bar has room for
 * it (a wide screen at a text size that leaves room), else NULL. */
static const char *text_size_word(ui *u)
{
    const theme *t = &u->th;
    return u->w >= theme_px(t, 1000.0f * t->control_scale) ? ui_str(u, I18N_TEXT_SIZE) : NULL;
}

/* How far from the right edge the right group (text size, language,
 * search) reaches; draw_citizen_right draws it. */
static int citizen_right_width(ui *u)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6);
    int w = pad + bar_button_width(u, text_size_word(u)) + pad + lang_button_width(u) + pad;
    return u->st && !u->view->bar_center ? w + t->target + pad : w;
}

/* Home and Back from x on, unless home is shown (or there is no content),
 * ending before limit; returns where the title may start. */
static int draw_citizen_left(ui *u, int x, int limit)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    if (!u->st || u->cur.kind == ROUTE_HOME)
        return x;
    /* On a wide screen Home and Back say so in words; a gap between them
     * so a finger meant for one never lands on the other. Where both
     * words do not fit (large text on a small screen) Home gives up its
     * word first: its house is known, an arrow is not as clear. */
    const char *home = ui_str(u, I18N_HOME), *back = ui_str(u, I18N_BACK);
    if (u->w < theme_px(t, 700))
        home = back = NULL;
    if (home && x + bar_button_width(u, home) + pad * 3 + bar_button_width(u, back) > limit)
        home = NULL;
    if (back && x + bar_button_width(u, home) + pad * 3 + bar_button_width(u, back) > limit)
        back = NULL;
    int hw = bar_button_width(u, home), bw = bar_button_width(u, back);
    bar_button(u, (SDL_Rect){x, by, hw, bh}, RENDER_ICON_HOME, home, bar_id(BAR_HOME), "@home", ui_str(u, I18N_HOME));
    x += hw + pad * 3;
    bar_button(u, (SDL_Rect){x, by, bw, bh}, RENDER_ICON_BACK, back, bar_id(BAR_BACK), "@back", ui_str(u, I18N_BACK));
    return x + bw + pad;
}

/* Text size, language and search, from the right edge leftwards; returns
 * where the title must end. */
static int draw_citizen_right(ui *u, int right)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    const char *word = text_size_word(u);
    int aw = bar_button_width(u, word);
    SDL_Rect ar = {right - aw, by, aw, bh};
    static const i18n_id sizes[] = {I18N_SIZE_NORMAL, I18N_SIZE_LARGE, I18N_SIZE_LARGER, I18N_SIZE_LARGEST};
    _Static_assert(sizeof sizes / sizeof *sizes == THEME_TEXT_STEPS, "a name for every text size");
    char said[96];
    snprintf(said, sizeof said, "%s: %s", ui_str(u, I18N_TEXT_SIZE), ui_str(u, sizes[u->session.text_step]));
    bar_button(u, ar, UI_NO_ICON, word, bar_id(BAR_TEXT_SIZE), "@text-size", said);
    draw_text_size_face(u, (SDL_Rect){ar.x, ar.y, bh, bh});
    right = draw_lang_button(u, ar.x - pad) - pad;
    /* Search, unless the view puts its own field in the bar (search does). */
    if (u->st && !u->view->bar_center) {
        SDL_Rect sr = {right - bh, by, bh, bh};
        bar_button(u, sr, RENDER_ICON_SEARCH, NULL, (target_id){BAR_SEARCH, 0, TARGET_BAR | TARGET_LINK}, "search",
                   ui_str(u, I18N_SEARCH));
        right = sr.x - pad;
    }
    return right;
}

static void draw_citizen_bar(ui *u)
{
    const theme *t = &u->th;
    render_fill_rect(u->r, (SDL_Rect){0, 0, u->w, t->bar_h}, 0, ui_color(t->color.bar));
    int pad = theme_px(t, 6), bh = t->target, by = (t->bar_h - bh) / 2;
    /* A view's own field in the bar (search) keeps room for its words. */
    int keep = u->view->bar_center ? bh * 4 : 0;
    int x = draw_citizen_left(u, pad, u->w - citizen_right_width(u) - keep);
    int right = draw_citizen_right(u, u->w - pad);
    /* The title between, or what the view puts there. */
    if (u->view->bar_center)
        u->view->bar_center(u, u->state, (SDL_Rect){x, by, right - x, bh});
    else
        draw_title(u, x, right, pad);
}

void ui_bar_draw(ui *u)
{
    const theme *t = &u->th;
    if (u->view->bar == UI_BAR_OPERATOR)
        draw_operator_bar(u);
    else
        draw_citizen_bar(u);
    /* In high contrast the bar is as black as the page: a rule marks its edge. */
    if (t->color.card_edge.a)
        render_fill_rect(u->r, (SDL_Rect){0, t->bar_h - theme_px(t, 2), u->w, theme_px(t, 2)}, 0,
                         ui_color(t->color.card_edge));
}

void ui_bar_sheet_draw(ui *u)
{
    if (!u->lang_sheet || u->view->bar == UI_BAR_NONE)
        return;
    const theme *t = &u->th;
    int pad = theme_px(t, 10), bh = t->target, gap = theme_px(t, 8);
    /* As wide as the longest name, under the button, inside the screen. */
    int w = u->lang_button.w;
    for (int i = 0; i < I18N_LANG_COUNT; i++) {
        const char *name = i18n_name((i18n_lang)i);
        int nw = render_text_width(u->r, RENDER_FACE_BOLD, t->font_bar, name, strlen(name)) + bh;
        if (nw > w)
            w = nw;
    }
    SDL_Rect sheet = {u->lang_button.x + u->lang_button.w - (w + 2 * pad), t->bar_h + theme_px(t, 4), w + 2 * pad,
                      pad * 2 + I18N_LANG_COUNT * bh + (I18N_LANG_COUNT - 1) * gap};
    if (sheet.x < pad)
        sheet.x = pad;
    /* First the rest of the screen, which closes the sheet; the sheet's
     * buttons then lie over it. */
    ui_add_target(u, (SDL_Rect){0, 0, u->w, u->h}, (target_id){BAR_SHEET_OUTSIDE, 0, TARGET_BAR | TARGET_OVER},
                  "@lang-close", ui_str(u, I18N_CLOSE));
    render_shadow(u->r, sheet, t->radius, theme_px(t, 6));
    ui_card(u, sheet, false);
    for (int i = 0; i < I18N_LANG_COUNT; i++) {
        static const char *const refs[I18N_LANG_COUNT] = {"@lang-kk", "@lang-ru", "@lang-en"};
        bool current = ui_lang_of(u->session.lang) == (i18n_lang)i;
        SDL_Rect b = {sheet.x + pad, sheet.y + pad + i * (bh + gap), w, bh};
        ui_button(u, b, i18n_name((i18n_lang)i), UI_NO_ICON, current ? UI_BUTTON_PRIMARY : UI_BUTTON_PLAIN,
                  (target_id){BAR_LANG_PICK, i, TARGET_BAR | TARGET_OVER}, refs[i]);
    }
}

void ui_bar_tap(ui *u, target_id id)
{
    switch ((bar_target)id.kind) {
    case BAR_HOME:
        ui_home(u);
        break;
    case BAR_BACK:
        ui_back(u);
        break;
    case BAR_LANG:
        u->lang_sheet = !u->lang_sheet;
        ui_invalidate(u);
        break;
    case BAR_LANG_PICK:
        u->lang_sheet = false;
        if (id.index >= 0 && id.index < I18N_LANG_COUNT)
            ui_set_lang(u, i18n_code((i18n_lang)id.index), u->now);
        ui_invalidate(u);
        break;
    case BAR_SHEET_OUTSIDE:
        u->lang_sheet = false;
        ui_invalidate(u);
        break;
    case BAR_TEXT_SIZE:
        /* A second tap closes the settings again, as Done does. */
        if (u->cur.kind == ROUTE_DISPLAY)
            ui_back(u);
        else
            ui_go(u, "display");
        break;
    case BAR_CLOSE:
        if (u->view->close)
            u->view->close(u, u->state);
        break;
    case BAR_SEARCH: /* a link: followed before it gets here */
        break;
    }
}
