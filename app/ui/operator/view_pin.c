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

/* The title, the dots and the message, centred in a column; returns the
 * height used (measures only when draw is false). */
static int draw_prompt(ui *u, pin_state *ps, int x, int y, int w, bool draw)
{
    const theme *t = ui_theme(u);
    int fs_title = ui_operator_font(u, UI_OPFONT_TITLE), fs = ui_operator_font(u, UI_OPFONT_BUTTON);
    int fs_msg = ui_operator_font(u, UI_OPFONT_TEXT);
    int top = y;
    const char *title = ui_str(u, I18N_PIN_TITLE);
    y += ui_text_block(u, RENDER_FACE_BOLD, fs_title, title, x, y, w, 3, t->color.text, draw);
    y += theme_px(t, 18);
    if (draw)
        draw_dots(u, ps, x, y, w);
    y += theme_px(t, 18) + theme_px(t, 18);

    char msg[256] = "";
    const char *line1 = NULL;
    uint32_t left;
    if (ui_pin_locked(u, &left)) {
        unsigned secs = (left + 999u) / 1000u;
        ps->shown_secs = secs;
        line1 = ui_str(u, I18N_PIN_LOCKED);
        snprintf(msg, sizeof msg, ui_str(u, I18N_PIN_LOCKED_FOR), (int)(secs / 60u), (int)(secs % 60u));
    } else if (ps->wrong_left > 0) {
        snprintf(msg, sizeof msg, ui_str(u, I18N_PIN_WRONG), ps->wrong_left);
        line1 = msg; /* on its own: bold */
    }
    int lh = render_line_height(ui_render(u), RENDER_FACE_BOLD, fs);
    if (line1)
        y += ui_text_block(u, RENDER_FACE_BOLD, fs, line1, x, y, w, 3, t->color.danger, draw);
    if (msg[0] && line1 != msg) {
        y += ui_text_block(u, RENDER_FACE_REGULAR, fs_msg, msg, x, y, w, 3, t->color.danger, draw);
    } else if (!line1) {
        y += lh; /* room for the message, so nothing moves when it comes */
    }
    return y - top;
}

/* One digit (or Delete) key of the keypad. */
static void draw_key(ui *u, SDL_Rect r, pin_target key, int digit, bool locked)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    target_id id = target_tap(key, digit);
    char name[24];
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
        ui_add_target(u, r, id, name);
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
        int ph = draw_prompt(u, ps, 0, 0, prompt_w, false);
        draw_prompt(u, ps, x, area.y + (area.h - ph) / 2, prompt_w, true);
        draw_keypad(u, (SDL_Rect){x + prompt_w + 2 * m, area.y + (area.h - pad_h) / 2, pad_w, pad_h});
    } else {
        /* The prompt above the keypad, both on the keypad's left edge. */
        int col_w = area.w - 2 * m;
        if (pad_w > col_w)
            pad_w = col_w;
        int ph = draw_prompt(u, ps, 0, 0, pad_w, false);
        int total = ph + m + pad_h;
        int y = area.y + (area.h - total) / 2;
        if (y < area.y + m)
            y = area.y + m;
        int x = area.x + (area.w - pad_w) / 2;
        draw_prompt(u, ps, x, y, pad_w, true);
        draw_keypad(u, (SDL_Rect){x, y + ph + m, pad_w, pad_h});
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
