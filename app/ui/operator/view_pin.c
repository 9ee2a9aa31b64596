/* The operator's PIN keypad (route admin/pin), opened by the hidden gesture.
 *
 * Digits show as dots; OK checks the PIN against the configured hash
 * (libsodium's Argon2 string, or the check the kiosk configured). A right
 * PIN opens the operator screen in the keypad's place, so Back from there
 * never returns to a keypad with the PIN still in it. After
 * UI_PIN_MAX_FAILURES wrong PINs in a row the keypad locks for
 * UI_PIN_LOCK_MS and says how long is left; the count lives in the ui, so
 * leaving and reopening the keypad does not reset it. The digits are wiped
 * from memory whenever they are checked or the keypad closes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "ui_operator.h"
#include "ui_view.h"

/* The keypad's keys. */
typedef enum {
    PIN_DIGIT, /* index: the digit */
    PIN_DELETE,
    PIN_OK,
} pin_target;

typedef struct {
    char digits[UI_PIN_MAX_DIGITS + 1];
    int n;
    int wrong_left;       /* > 0: the last PIN was wrong, this many tries remain */
    unsigned shown_secs;  /* lock-out seconds drawn last (to redraw once a second) */
} pin_state;

static void wipe(pin_state *ps)
{
    explicit_bzero(ps->digits, sizeof ps->digits); /* not optimised away */
    ps->n = 0;
}

static void *pin_enter(ui *u, route *r, char *err, size_t errcap)
{
    (void)u, (void)r;
    return ui_state_new(sizeof(pin_state), err, errcap);
}

static void pin_leave(void *state)
{
    pin_state *ps = state;
    wipe(ps);
    free(ps);
}

static const char *pin_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_OPERATOR_SCREEN);
}

static const char *pin_close_label(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_CANCEL);
}

static void submit(ui *u, pin_state *ps)
{
    if (ps->n == 0 || ui_pin_locked(u, NULL))
        return;
    ps->digits[ps->n] = '\0';
    bool right = ui_pin_matches(u, ps->digits);
    wipe(ps);
    ui_pin_result(u, right);
    if (right) {
        /* In the keypad's place: Back from the operator screen goes to
         * where the gesture was made, not to the keypad. */
        ui_go_operator(u, ROUTE_ADMIN, false);
        return;
    }
    ps->wrong_left = UI_PIN_MAX_FAILURES - ui_pin_failures(u);
    ui_invalidate(u);
}

static void press(ui *u, pin_state *ps, pin_target key, int digit)
{
    if (ui_pin_locked(u, NULL))
        return;
    if (key == PIN_DIGIT) {
        if (ps->n < UI_PIN_MAX_DIGITS && digit >= 0 && digit <= 9)
            ps->digits[ps->n++] = (char)('0' + digit);
        ps->wrong_left = 0;
    } else if (key == PIN_DELETE) {
        if (ps->n > 0)
            ps->digits[--ps->n] = '\0';
    } else if (key == PIN_OK) {
        submit(u, ps);
        return;
    }
    ui_invalidate(u);
}

static void pin_tap(ui *u, void *state, target_id id)
{
    press(u, state, (pin_target)id.kind, id.index);
}

/* Cancel: back to where the gesture was made. */
static void pin_close(ui *u, void *state)
{
    (void)state;
    ui_back(u);
}

/* Digits from a plugged-in keyboard. */
static void pin_text(ui *u, void *state, const char *utf8)
{
    /* A right PIN closes the keypad (and frees its state) mid-text. */
    for (const char *p = utf8; *p && ui_route(u)->kind == ROUTE_ADMIN_PIN; p++)
        if (*p >= '0' && *p <= '9')
            press(u, state, PIN_DIGIT, *p - '0');
}

/* Backspace and Return from a plugged-in keyboard. */
static void pin_key(ui *u, void *state, ui_edit_key key)
{
    press(u, state, key == UI_KEY_BACKSPACE ? PIN_DELETE : PIN_OK, 0);
}

/* The dots: one per digit typed, at least four (placeholders) so the row
 * does not jump, and never the PIN's real length before it is typed. */
static void draw_dots(ui *u, pin_state *ps, int x, int y, int w)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int n = ps->n > 4 ? ps->n : 4;
    int r = theme_px(t, 9), step = theme_px(t, 30);
    if (n * step > w)
        step = w / n;
    int x0 = x + r;
    for (int i = 0; i < n; i++) {
        int cx = x0 + i * step;
        if (i < ps->n) {
            render_fill_circle(rc, cx, y + r, r, ui_color(t->color.text));
        } else {
            render_fill_circle(rc, cx, y + r, r, ui_color(t->color.control_edge));
            render_fill_circle(rc, cx, y + r, r - theme_px(t, 2.5f), ui_color(t->color.bg));
        }
    }
}

/* The prompt's texts and their heights at one width: measured once, then
 * placed and drawn. */
typedef struct {
    const char *title, *line1, *msg; /* line1 bold, msg regular; either may be NULL */
    char buf[256];
    int w, title_h, line1_h, msg_h;
    int h;                           /* the whole prompt */
} pin_prompt;

/* Measures the title, the dots and the message for a column w wide. */
static void prompt_measure(ui *u, pin_state *ps, int w, pin_prompt *p)
{
    const theme *t = ui_theme(u);
    int fs = ui_operator_font(u, UI_OPFONT_BUTTON);
    *p = (pin_prompt){.title = ui_str(u, I18N_PIN_TITLE), .w = w};
    uint32_t left;
    if (ui_pin_locked(u, &left)) {
        unsigned secs = (left + 999u) / 1000u;
        ps->shown_secs = secs;
        p->line1 = ui_str(u, I18N_PIN_LOCKED);
        snprintf(p->buf, sizeof p->buf, ui_str(u, I18N_PIN_LOCKED_FOR), (int)(secs / 60u), (int)(secs % 60u));
        p->msg = p->buf;
    } else if (ps->wrong_left > 0) {
        snprintf(p->buf, sizeof p->buf, ui_str(u, I18N_PIN_WRONG), ps->wrong_left);
        p->line1 = p->buf; /* on its own: bold */
    }
    p->title_h = ui_text_height(u, RENDER_FACE_BOLD, ui_operator_font(u, UI_OPFONT_TITLE), p->title, w, 3);
    if (p->line1)
        p->line1_h = ui_text_height(u, RENDER_FACE_BOLD, fs, p->line1, w, 3);
    if (p->msg)
        p->msg_h = ui_text_height(u, RENDER_FACE_REGULAR, ui_operator_font(u, UI_OPFONT_TEXT), p->msg, w, 3);
    else if (!p->line1)
        p->msg_h = render_line_height(ui_render(u), RENDER_FACE_BOLD, fs); /* room for the message, so nothing
                                                                              moves when it comes */
    p->h = p->title_h + 3 * theme_px(t, 18) + p->line1_h + p->msg_h;
}

/* Draws a measured prompt with its top left at (x, y). */
static void prompt_draw(ui *u, pin_state *ps, const pin_prompt *p, int x, int y)
{
    const theme *t = ui_theme(u);
    ui_text_draw(u, RENDER_FACE_BOLD, ui_operator_font(u, UI_OPFONT_TITLE), p->title, x, y, p->w, 3, t->color.text);
    y += p->title_h + theme_px(t, 18);
    draw_dots(u, ps, x, y, p->w);
    y += theme_px(t, 18) + theme_px(t, 18);
    if (p->line1)
        ui_text_draw(u, RENDER_FACE_BOLD, ui_operator_font(u, UI_OPFONT_BUTTON), p->line1, x, y, p->w, 3,
                      t->color.danger);
    if (p->msg)
        ui_text_draw(u, RENDER_FACE_REGULAR, ui_operator_font(u, UI_OPFONT_TEXT), p->msg, x, y + p->line1_h, p->w,
                      3, t->color.danger);
}

/* One digit (or Delete) key of the keypad. */
static void draw_key(ui *u, SDL_Rect r, pin_target key, int digit, bool locked)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    target_id id = target_tap(key, digit);
    char name[24], said[4] = {(char)('0' + digit), 0};
    if (key == PIN_DELETE)
        snprintf(name, sizeof name, "@pin-delete");
    else
        snprintf(name, sizeof name, "@pin-%d", digit);
    bool pressed = !locked && ui_is_pressed(u, r, id);
    theme_color bg = locked ? t->color.bg : pressed ? t->color.surface_press : t->color.key;
    theme_color fg = locked ? t->color.divider : t->color.text;
    render_shadow(rc, r, t->radius, theme_px(t, locked ? 0 : 2));
    render_fill_rect(rc, r, t->radius, ui_color(key == PIN_DELETE && !locked ? t->color.key_special : bg));
    if (locked)
        render_stroke_rect(rc, r, t->radius, theme_px(t, 1.5f), ui_color(t->color.divider));
    if (key == PIN_DELETE) {
        int ic = r.h / 2 < r.w / 2 ? r.h / 2 : r.w / 2;
        render_icon_draw(rc, RENDER_ICON_BACKSPACE, (SDL_Rect){r.x + (r.w - ic) / 2, r.y + (r.h - ic) / 2, ic, ic},
                         ui_color(fg));
    } else {
        int fs = ui_operator_font(u, UI_OPFONT_DIGIT);
        char d[2] = {(char)('0' + digit), 0};
        int dw = render_text_width(rc, RENDER_FACE_BOLD, fs, d, 1);
        render_text(rc, RENDER_FACE_BOLD, fs, d, 1, r.x + (r.w - dw) / 2,
                    r.y + (r.h - render_line_height(rc, RENDER_FACE_BOLD, fs)) / 2, ui_color(fg));
    }
    if (!locked)
        ui_add_target(u, r, id, name, key == PIN_DELETE ? ui_str(u, I18N_KEY_BACKSPACE) : said);
}

/* Digits 1-9 in rows, then Delete, 0 and OK. */
static void draw_keypad(ui *u, SDL_Rect pad)
{
    const theme *t = ui_theme(u);
    bool locked = ui_pin_locked(u, NULL);
    int gap = theme_px(t, 10);
    int kw = (pad.w - 2 * gap) / 3, kh = (pad.h - 3 * gap) / 4;
    for (int i = 0; i < 12; i++) {
        SDL_Rect r = {pad.x + (i % 3) * (kw + gap), pad.y + (i / 3) * (kh + gap), kw, kh};
        if (i < 9)
            draw_key(u, r, PIN_DIGIT, i + 1, locked);
        else if (i == 9)
            draw_key(u, r, PIN_DELETE, 0, locked);
        else if (i == 10)
            draw_key(u, r, PIN_DIGIT, 0, locked);
        else
            ui_button(u, r, ui_str(u, I18N_PIN_OK), UI_NO_ICON,
                      UI_BUTTON_OPERATOR | UI_BUTTON_PRIMARY | UI_BUTTON_LARGE | (locked ? UI_BUTTON_DISABLED : 0),
                      target_tap(PIN_OK, 0), "@pin-ok");
    }
}

static void pin_draw(ui *u, void *state, SDL_Rect area)
{
    pin_state *ps = state;
    const theme *t = ui_theme(u);
    int m = t->margin;
    /* Keys a finger hits without looking: a third bigger than the minimum,
     * capped so a 4K screen does not get a wall of keys. */
    int key_h = t->target * 3 / 2, key_w = t->target * 2;
    int gap = theme_px(t, 10);
    int pad_w = 3 * key_w + 2 * gap, pad_h = 4 * key_h + 3 * gap;
    if (area.w >= area.h) {
        /* The prompt beside the keypad, the pair centred. */
        int avail_h = area.h - 2 * m;
        if (pad_h > avail_h)
            pad_h = avail_h;
        int col_w = (area.w - 4 * m) / 2;
        if (pad_w > col_w)
            pad_w = col_w;
        int prompt_w = col_w < theme_px(t, 380) ? col_w : theme_px(t, 380);
        int x = area.x + (area.w - prompt_w - 2 * m - pad_w) / 2;
        pin_prompt p;
        prompt_measure(u, ps, prompt_w, &p);
        prompt_draw(u, ps, &p, x, area.y + (area.h - p.h) / 2);
        draw_keypad(u, (SDL_Rect){x + prompt_w + 2 * m, area.y + (area.h - pad_h) / 2, pad_w, pad_h});
    } else {
        /* The prompt above the keypad, both on the keypad's left edge. */
        int col_w = area.w - 2 * m;
        if (pad_w > col_w)
            pad_w = col_w;
        pin_prompt p;
        prompt_measure(u, ps, pad_w, &p);
        int total = p.h + m + pad_h;
        int y = area.y + (area.h - total) / 2;
        if (y < area.y + m)
            y = area.y + m;
        int x = area.x + (area.w - pad_w) / 2;
        prompt_draw(u, ps, &p, x, y);
        draw_keypad(u, (SDL_Rect){x, y + p.h + m, pad_w, pad_h});
    }
}

/* While locked, wake once a second for the countdown, and once more when
 * the lock ends. */
static deadline pin_deadline(const ui *u, const void *state)
{
    (void)state;
    uint32_t left;
    if (!ui_pin_lock_left(u, &left))
        return deadline_none();
    uint32_t into = left % 1000u;
    return deadline_at(ui_now(u) + (into ? into : 1000u));
}

static bool pin_tick(ui *u, void *state, uint32_t now)
{
    pin_state *ps = state;
    (void)now;
    uint32_t left;
    bool locked = ui_pin_locked(u, &left);
    unsigned secs = locked ? (left + 999u) / 1000u : 0;
    if (secs != ps->shown_secs) {
        ps->shown_secs = secs;
        ui_invalidate(u);
    }
    return false;
}

const view_ops view_pin = {
    .name = "admin/pin",
    .enter = pin_enter,
    .leave = pin_leave,
    .draw = pin_draw,
    .title = pin_title,
    .tap = pin_tap,
    .tick = pin_tick,
    .deadline = pin_deadline,
    .close_label = pin_close_label,
    .close = pin_close,
    .text = pin_text,
    .key = pin_key,
    .bar = UI_BAR_OPERATOR,
};
