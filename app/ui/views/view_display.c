/* Screen settings: language, text size and contrast, each a row of
 * labelled buttons with the current choice filled, so nothing depends on
 * guessing what an icon cycles through. A choice applies at once (the
 * screen itself is the preview); Done goes back to where the person was.
 * The top bar's text size button opens it; the idle reset forgets every
 * choice for the next person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_view.h"

/* What can be tapped here. */
typedef enum {
    DISPLAY_LANG,     /* index: an i18n_lang */
    DISPLAY_SIZE,     /* index: a text step */
    DISPLAY_CONTRAST, /* index: a theme_contrast */
    DISPLAY_DONE,
} display_target;

static const i18n_id size_names[THEME_TEXT_STEPS] = {I18N_SIZE_NORMAL, I18N_SIZE_LARGE, I18N_SIZE_LARGER,
                                                      I18N_SIZE_LARGEST};
static const i18n_id contrast_names[THEME_CONTRAST_COUNT] = {I18N_CONTRAST_STANDARD, I18N_CONTRAST_HIGH};
static const char *const contrast_refs[THEME_CONTRAST_COUNT] = {"@contrast-standard", "@contrast-high"};

static const char *display_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_DISPLAY);
}

#define SETTING_MAX 4 /* buttons in the longest row (the text sizes) */

/* One setting: its name, then n buttons, the chosen one filled. */
typedef struct {
    i18n_id name;
    display_target kind;
    int n, chosen;
    const char *labels[SETTING_MAX];
    const char *refs[SETTING_MAX];
} setting_row;

typedef struct {
    scroller sc;
    float content_h;
} display_state;

/* True when every label fits on a button w wide (the pill's own padding
 * and font: ui_button cuts what does not fit). */
static bool labels_fit(ui *u, const setting_row *s, int w)
{
    const theme *t = ui_theme(u);
    for (int i = 0; i < s->n; i++)
        if (render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, s->labels[i], strlen(s->labels[i])) >
            w - 2 * theme_px(t, 12))
            return false;
    return true;
}

/* How many buttons side by side: the most (n down to 1) whose labels fit
 * in width w, then evened out over the rows. */
static int columns_for(ui *u, const setting_row *s, int w, int gap)
{
    int cols = s->n;
    while (cols > 1 && !labels_fit(u, s, (w - gap * (cols - 1)) / cols))
        cols--;
    /* Rows as even as they can be: four sizes as 2 + 2, not 3 + 1. */
    int rows = (s->n + cols - 1) / cols;
    return (s->n + rows - 1) / rows;
}

/* The setting's name with its choice ("Text size: Large"), so the screen
 * says what is set, not only which button is filled. Wraps, never cut;
 * beside the buttons on a wide screen, above them otherwise. Returns the
 * height used. */
static int draw_setting(ui *u, const setting_row *s, int y)
{
    const theme *t = ui_theme(u);
    int x = t->content_x, w = t->content_w, gap = theme_px(t, 8);
    char name[TARGET_LABEL_MAX];
    snprintf(name, sizeof name, "%s: %s", ui_str(u, s->name), s->labels[s->chosen]);
    int lh = render_line_height(ui_render(u), RENDER_FACE_BOLD, t->font_h3);
    bool wide = w >= theme_px(t, 600) && labels_fit(u, s, (w - w / 4 - gap * (s->n - 1)) / s->n) &&
                ui_text_height(u, RENDER_FACE_BOLD, t->font_h3, name, w / 4 - gap, 4) <= 2 * lh;
    int label_w = wide ? w / 4 : w;
    int text_h = ui_text_draw(u, RENDER_FACE_BOLD, t->font_h3, name, x, wide ? y + (t->target - lh) / 2 : y,
                              label_w - gap, 4, t->color.text);
    int bx = wide ? x + label_w : x, by = wide ? y : y + text_h + theme_px(t, 6);
    /* As many side by side as show their words whole; the rest in rows. */
    int cols = columns_for(u, s, x + w - bx, gap);
    int bw = (x + w - bx - gap * (cols - 1)) / cols;
    for (int i = 0; i < s->n; i++) {
        SDL_Rect r = {bx + i % cols * (bw + gap), by + i / cols * (t->target + gap), bw, t->target};
        int mark = ui_target_count(u);
        ui_button(u, r, s->labels[i], UI_NO_ICON, i == s->chosen ? UI_BUTTON_PRIMARY : UI_BUTTON_PLAIN,
                  target_tap(s->kind, i), s->refs[i]);
        /* Heard without the row's name beside it: "Contrast: High, chosen". */
        char said[TARGET_LABEL_MAX];
        snprintf(said, sizeof said, "%s: %s%s%s", ui_str(u, s->name), s->labels[i], i == s->chosen ? ", " : "",
                 i == s->chosen ? ui_str(u, I18N_CHOSEN) : "");
        ui_target_relabel(u, mark, said);
    }
    int rows = (s->n + cols - 1) / cols;
    int h = by - y + rows * (t->target + gap) - gap;
    return wide && text_h > h ? text_h : h;
}

/* The three settings from y on; returns where they end. */
static int draw_settings(ui *u, int y)
{
    const theme *t = ui_theme(u);
    setting_row lang = {I18N_LANGUAGE, DISPLAY_LANG, I18N_LANG_COUNT, ui_lang_of(ui_lang(u)), {0}, {0}};
    static const char *const lang_refs[I18N_LANG_COUNT] = {"@lang-kk", "@lang-ru", "@lang-en"};
    for (int i = 0; i < I18N_LANG_COUNT; i++) {
        lang.labels[i] = i18n_name((i18n_lang)i);
        lang.refs[i] = lang_refs[i];
    }
    setting_row size = {I18N_TEXT_SIZE, DISPLAY_SIZE, THEME_TEXT_STEPS, ui_text_step(u), {0}, {0}};
    static const char *const size_refs[THEME_TEXT_STEPS] = {"@size-1", "@size-2", "@size-3", "@size-4"};
    for (int i = 0; i < THEME_TEXT_STEPS; i++) {
        size.labels[i] = ui_str(u, size_names[i]);
        size.refs[i] = size_refs[i];
    }
    setting_row contrast = {I18N_CONTRAST, DISPLAY_CONTRAST, THEME_CONTRAST_COUNT, (int)ui_contrast(u), {0}, {0}};
    for (int i = 0; i < THEME_CONTRAST_COUNT; i++) {
        contrast.labels[i] = ui_str(u, contrast_names[i]);
        contrast.refs[i] = contrast_refs[i];
    }
    const setting_row *rows[] = {&lang, &size, &contrast};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        y += draw_setting(u, rows[i], y) + t->gap * 3 / 2;
    return y - t->gap * 3 / 2;
}

/* Done at the bottom right like a form's confirm, on a band of its own:
 * always in reach, however far the settings scroll. Returns the band. */
static SDL_Rect draw_done(ui *u, SDL_Rect area)
{
    const theme *t = ui_theme(u);
    SDL_Rect band = {area.x, area.y + area.h - t->target - 2 * t->gap, area.w, t->target + 2 * t->gap};
    render_fill_rect(ui_render(u), band, 0, ui_color(t->color.bg));
    int dw = t->content_w / 3 > t->target * 3 ? t->content_w / 3 : t->target * 3;
    if (dw > t->content_w)
        dw = t->content_w;
    SDL_Rect done = {t->content_x + t->content_w - dw, band.y + t->gap, dw, t->target};
    ui_button(u, done, ui_str(u, I18N_DONE), UI_NO_ICON, UI_BUTTON_PRIMARY, target_tap(DISPLAY_DONE, 0), "@done");
    return band;
}

static void *display_enter(ui *u, route *r, char *err, size_t errcap)
{
    (void)u;
    (void)r;
    display_state *ds = ui_state_new(sizeof *ds, err, errcap);
    if (ds)
        scroller_init(&ds->sc, 0, 0);
    return ds;
}

static void display_leave(void *state)
{
    free(state);
}

/* At the largest text on a small screen the settings are taller than the
 * screen: the page scrolls, as every other page does. */
static void display_draw(ui *u, void *state, SDL_Rect area)
{
    display_state *ds = state;
    const theme *t = ui_theme(u);
    SDL_Rect page = area;
    page.h -= t->target + 2 * t->gap;
    int off = (int)scroller_offset(&ds->sc);
    render_clip(ui_render(u), &page);
    int mark = ui_target_count(u);
    int end = draw_settings(u, page.y + t->margin - off);
    render_clip(ui_render(u), NULL);
    ui_targets_clip(u, mark, page);
    ui_scroll_size(&ds->sc, &ds->content_h, (float)(end + off + t->gap - page.y), (float)page.h);
    ui_scrollbar(u, page, &ds->sc);
    draw_done(u, area);
}

static void display_gesture(ui *u, void *state, const gesture_event *e)
{
    display_state *ds = state;
    ui_scroll_gesture(u, &ds->sc, e);
}

static bool display_tick(ui *u, void *state, uint32_t now)
{
    (void)u;
    display_state *ds = state;
    return scroller_step(&ds->sc, now) || scroller_is_animating(&ds->sc);
}

static void display_relayout(ui *u, void *state)
{
    (void)u;
    display_state *ds = state;
    ds->content_h = -1;
}

static void display_tap(ui *u, void *state, target_id id)
{
    (void)state;
    switch ((display_target)id.kind) {
    case DISPLAY_LANG:
        if (id.index >= 0 && id.index < I18N_LANG_COUNT)
            ui_set_lang(u, i18n_code((i18n_lang)id.index), ui_now(u));
        break;
    case DISPLAY_SIZE:
        ui_set_text_step(u, id.index);
        break;
    case DISPLAY_CONTRAST:
        ui_set_contrast(u, (theme_contrast)id.index);
        break;
    case DISPLAY_DONE:
        ui_back(u);
        return;
    }
    ui_invalidate(u);
}

const view_ops view_display = {
    .name = "display",
    .enter = display_enter,
    .leave = display_leave,
    .draw = display_draw,
    .gesture = display_gesture,
    .tick = display_tick,
    .relayout = display_relayout,
    .title = display_title,
    .tap = display_tap,
};
