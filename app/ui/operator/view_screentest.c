/* The operator's two screen tests, full screen, no top bar:
 *
 * Touch test (route admin/touch): every finger on the panel as a ring with
 * cross-hairs across the whole screen, its coordinates and its trail, over
 * a grid — for checking calibration, dead zones and multi-touch. A lifted
 * finger's trail stays (faded) until that slot is needed again. Close sits
 * at the top centre; a drag that starts on it is still drawn, only a tap
 * closes.
 *
 * Test pattern (route admin/pattern): colour bars, a continuous and a
 * stepped grey ramp, a 1-px grid, one-pixel line gratings, a circle (round
 * means the aspect ratio is right) and markers in the four corners exactly
 * at the screen's edge (cut off means overscan). A tap anywhere leaves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_view.h"

/* What can be tapped on either test: only its way out (the touch test's
 * Close button, the whole test pattern). */
typedef enum {
    SCREENTEST_CLOSE,
} screentest_target;

static void screentest_tap(ui *u, void *state, target_id id)
{
    (void)state;
    if (id.kind == SCREENTEST_CLOSE)
        ui_back(u);
}

/* ---- touch test ------------------------------------------------------------------ */

#define TOUCH_TRAIL 64 /* points kept per finger */

typedef struct {
    bool used;            /* holds a finger's trail */
    bool down;            /* the finger is on the glass */
    int64_t id;
    int n;                /* points in trail, at most TOUCH_TRAIL */
    int head;             /* next point to write */
    SDL_Point trail[TOUCH_TRAIL];
    SDL_Point at;         /* latest position */
    unsigned age;         /* order of use, to reuse the oldest slot */
} touch_slot;

typedef struct {
    touch_slot slots[UI_MAX_POINTERS];
    unsigned clock;
} touch_state;

/* One colour per slot, distinct on a dark background. */
static const render_color finger_colors[UI_MAX_POINTERS] = {
    {255, 196, 0, 255},  {0, 200, 255, 255},  {255, 90, 120, 255}, {120, 230, 90, 255},  {200, 130, 255, 255},
    {255, 150, 60, 255}, {80, 255, 210, 255}, {255, 255, 255, 255}, {160, 200, 255, 255}, {255, 120, 220, 255},
};

static touch_slot *slot_for(touch_state *ts, int64_t id, bool create)
{
    for (int i = 0; i < UI_MAX_POINTERS; i++)
        if (ts->slots[i].used && ts->slots[i].down && ts->slots[i].id == id)
            return &ts->slots[i];
    if (!create)
        return NULL;
    /* A free slot, else the one lifted longest ago. */
    touch_slot *best = NULL;
    for (int i = 0; i < UI_MAX_POINTERS; i++) {
        touch_slot *s = &ts->slots[i];
        if (s->down)
            continue;
        if (!s->used)
            return s;
        if (!best || s->age < best->age)
            best = s;
    }
    return best;
}

static void add_point(touch_slot *s, float x, float y)
{
    s->at = (SDL_Point){(int)x, (int)y};
    s->trail[s->head] = s->at;
    s->head = (s->head + 1) % TOUCH_TRAIL;
    if (s->n < TOUCH_TRAIL)
        s->n++;
}

static void touch_pointer(ui *u, void *state, ui_pointer_phase phase, int64_t id, float x, float y)
{
    touch_state *ts = state;
    touch_slot *s = slot_for(ts, id, phase == UI_POINTER_DOWN);
    if (!s)
        return;
    if (phase == UI_POINTER_DOWN) {
        memset(s, 0, sizeof *s);
        s->used = s->down = true;
        s->id = id;
        s->age = ++ts->clock;
    }
    add_point(s, x, y);
    if (phase == UI_POINTER_UP)
        s->down = false;
    ui_invalidate(u);
}

static void *touch_enter(ui *u, route *r, char *err, size_t errcap)
{
    (void)u, (void)r;
    return ui_state_new(sizeof(touch_state), err, errcap);
}

static const char *touch_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_ADMIN_TOUCH_TEST);
}

static void draw_grid(ui *u, int step, render_color c)
{
    render *rc = ui_render(u);
    for (int x = step; x < ui_width(u); x += step)
        render_fill_rect(rc, (SDL_Rect){x, 0, 1, ui_height(u)}, 0, c);
    for (int y = step; y < ui_height(u); y += step)
        render_fill_rect(rc, (SDL_Rect){0, y, ui_width(u), 1}, 0, c);
}

static void draw_finger(ui *u, const touch_slot *s, render_color c)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    render_color line = c, trail = c;
    line.a = s->down ? 110 : 50;
    trail.a = s->down ? 200 : 90;
    int dot = theme_px(t, 2.5f);
    for (int k = 0; k < s->n; k++) {
        SDL_Point p = s->trail[(s->head - s->n + k + TOUCH_TRAIL) % TOUCH_TRAIL];
        render_fill_circle(rc, p.x, p.y, dot, trail);
    }
    if (!s->down)
        return;
    /* Cross-hairs over the whole screen: a panel that is off shows as the
     * lines missing the finger. */
    render_fill_rect(rc, (SDL_Rect){0, s->at.y, ui_width(u), 1}, 0, line);
    render_fill_rect(rc, (SDL_Rect){s->at.x, 0, 1, ui_height(u)}, 0, line);
    int ring = theme_px(t, 34);
    render_stroke_rect(rc, (SDL_Rect){s->at.x - ring, s->at.y - ring, 2 * ring, 2 * ring}, ring, theme_px(t, 3), c);
    render_fill_circle(rc, s->at.x, s->at.y, theme_px(t, 4), c);
    char label[48];
    snprintf(label, sizeof label, "%d, %d", s->at.x, s->at.y);
    int fs = ui_operator_font(u, UI_OPFONT_TEXT);
    int lw = render_text_width(rc, RENDER_FACE_BOLD, fs, label, strlen(label));
    int lh = render_line_height(rc, RENDER_FACE_BOLD, fs);
    /* Beside the ring, on the side with room. */
    int lx = s->at.x + ring + theme_px(t, 6), ly = s->at.y - ring - lh;
    if (lx + lw > ui_width(u))
        lx = s->at.x - ring - theme_px(t, 6) - lw;
    if (ly < 0)
        ly = s->at.y + ring;
    render_fill_rect(rc, (SDL_Rect){lx - theme_px(t, 4), ly, lw + theme_px(t, 8), lh}, theme_px(t, 4),
                     (render_color){0, 0, 0, 170});
    render_text(rc, RENDER_FACE_BOLD, fs, label, strlen(label), lx, ly, c);
}

static void touch_draw(ui *u, void *state, SDL_Rect area)
{
    touch_state *ts = state;
    const theme *t = ui_theme(u);
    (void)area;
    render *rc = ui_render(u);
    render_fill_rect(rc, (SDL_Rect){0, 0, ui_width(u), ui_height(u)}, 0, (render_color){18, 22, 30, 255});
    draw_grid(u, theme_px(t, 40), (render_color){255, 255, 255, 28});
    draw_grid(u, theme_px(t, 200), (render_color){255, 255, 255, 60});

    int down = 0;
    for (int i = 0; i < UI_MAX_POINTERS; i++)
        down += ts->slots[i].used && ts->slots[i].down;
    int fs = ui_operator_font(u, UI_OPFONT_TEXT), lh = render_line_height(rc, RENDER_FACE_REGULAR, fs);
    char line[160];
    snprintf(line, sizeof line, ui_str(u, I18N_TOUCH_COUNT), down);
    const char *hint = ui_str(u, I18N_TOUCH_HINT);
    int bh = t->target, bw = t->target * 3;
    int y = theme_px(t, 12);
    const char *close = ui_str(u, I18N_CLOSE);
    int cw = render_text_width(rc, RENDER_FACE_BOLD, ui_operator_font(u, UI_OPFONT_BUTTON), close, strlen(close)) +
             theme_px(t, 22) + theme_px(t, 36);
    if (bw < cw)
        bw = cw;
    ui_button(u, (SDL_Rect){(ui_width(u) - bw) / 2, y, bw, bh}, close, RENDER_ICON_CLOSE,
              UI_BUTTON_OPERATOR | UI_BUTTON_PRIMARY, target_tap(SCREENTEST_CLOSE, 0), "@close");
    y += bh + theme_px(t, 10);
    render_color muted = {220, 226, 236, 255};
    int hw = render_text_width(rc, RENDER_FACE_REGULAR, fs, hint, strlen(hint));
    render_text(rc, RENDER_FACE_REGULAR, fs, hint, strlen(hint), (ui_width(u) - hw) / 2, y, muted);
    int nw = render_text_width(rc, RENDER_FACE_BOLD, fs, line, strlen(line));
    render_text(rc, RENDER_FACE_BOLD, fs, line, strlen(line), (ui_width(u) - nw) / 2, y + lh, muted);
    char size[48];
    snprintf(size, sizeof size, "%d × %d", ui_width(u), ui_height(u));
    int sw = render_text_width(rc, RENDER_FACE_REGULAR, fs, size, strlen(size));
    render_text(rc, RENDER_FACE_REGULAR, fs, size, strlen(size), (ui_width(u) - sw) / 2, y + 2 * lh, muted);

    for (int i = 0; i < UI_MAX_POINTERS; i++)
        if (ts->slots[i].used && !ts->slots[i].down)
            draw_finger(u, &ts->slots[i], finger_colors[i]);
    for (int i = 0; i < UI_MAX_POINTERS; i++)
        if (ts->slots[i].used && ts->slots[i].down)
            draw_finger(u, &ts->slots[i], finger_colors[i]);
}

const view_ops view_touch = {
    .name = "admin/touch",
    .enter = touch_enter,
    .leave = free,
    .draw = touch_draw,
    .title = touch_title,
    .tap = screentest_tap,
    .pointer = touch_pointer,
    .bar = UI_BAR_NONE,
};

/* ---- test pattern ---------------------------------------------------------------- */

static const char *pattern_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_ADMIN_TEST_PATTERN);
}

/* The SMPTE-style bars: white, yellow, cyan, green, magenta, red, blue, black. */
static const render_color bars[8] = {
    {255, 255, 255, 255}, {255, 255, 0, 255}, {0, 255, 255, 255}, {0, 255, 0, 255},
    {255, 0, 255, 255},   {255, 0, 0, 255},   {0, 0, 255, 255},   {0, 0, 0, 255},
};

static void corner_marker(ui *u, int x, int y, int dx, int dy, int len, int thick, render_color c)
{
    render *rc = ui_render(u);
    /* An L whose outer edges are the screen's edges. */
    render_fill_rect(rc, (SDL_Rect){dx > 0 ? x : x - len + 1, dy > 0 ? y : y - thick + 1, len, thick}, 0, c);
    render_fill_rect(rc, (SDL_Rect){dx > 0 ? x : x - thick + 1, dy > 0 ? y : y - len + 1, thick, len}, 0, c);
}

/* Colour bars, a continuous and a stepped grey ramp and line gratings,
 * filling the middle half of the screen's height; returns their bottom. */
static int draw_bands(render *rc, int w, int h)
{
    int mx = w / 12, bw = w - 2 * mx;
    int y = h / 4, band = h / 5;
    for (int i = 0; i < 8; i++) {
        int x0 = mx + bw * i / 8, x1 = mx + bw * (i + 1) / 8;
        render_fill_rect(rc, (SDL_Rect){x0, y, x1 - x0, band}, 0, bars[i]);
    }
    y += band;
    /* Continuous ramp, black to white, one column per pixel. */
    int ramp = h / 10;
    for (int x = 0; x < bw; x++) {
        uint8_t g = (uint8_t)(x * 255 / (bw > 1 ? bw - 1 : 1));
        render_fill_rect(rc, (SDL_Rect){mx + x, y, 1, ramp}, 0, (render_color){g, g, g, 255});
    }
    y += ramp;
    /* Stepped ramp: 16 steps, where banding or crushed blacks show. */
    for (int i = 0; i < 16; i++) {
        uint8_t g = (uint8_t)(i * 17);
        int x0 = mx + bw * i / 16, x1 = mx + bw * (i + 1) / 16;
        render_fill_rect(rc, (SDL_Rect){x0, y, x1 - x0, ramp}, 0, (render_color){g, g, g, 255});
    }
    y += ramp;
    /* Gratings: alternating 1-px black and white lines, vertical then
     * horizontal; a scaled or blurred picture turns them grey. */
    int gh = h / 10, half = bw / 2;
    render_fill_rect(rc, (SDL_Rect){mx, y, bw, gh}, 0, (render_color){0, 0, 0, 255});
    for (int x = 0; x < half; x += 2)
        render_fill_rect(rc, (SDL_Rect){mx + x, y, 1, gh}, 0, (render_color){255, 255, 255, 255});
    for (int yy = 0; yy < gh; yy += 2)
        render_fill_rect(rc, (SDL_Rect){mx + half, y + yy, bw - half, 1}, 0, (render_color){255, 255, 255, 255});
    return y + gh;
}

static void pattern_draw(ui *u, void *state, SDL_Rect area)
{
    (void)state, (void)area;
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int w = ui_width(u), h = ui_height(u);
    render_fill_rect(rc, (SDL_Rect){0, 0, w, h}, 0, (render_color){40, 40, 40, 255});
    /* The 1-px grid, every 40 px (exact pixels, not dp: it tests pixels). */
    for (int x = 0; x < w; x += 40)
        render_fill_rect(rc, (SDL_Rect){x, 0, 1, h}, 0, (render_color){140, 140, 140, 255});
    for (int y = 0; y < h; y += 40)
        render_fill_rect(rc, (SDL_Rect){0, y, w, 1}, 0, (render_color){140, 140, 140, 255});

    int y = draw_bands(rc, w, h);

    /* A circle around the middle: round on a screen that is not stretched. */
    int rad = h * 2 / 5;
    render_stroke_rect(rc, (SDL_Rect){w / 2 - rad, h / 2 - rad, 2 * rad, 2 * rad}, rad, 2,
                       (render_color){255, 255, 255, 255});
    render_fill_rect(rc, (SDL_Rect){w / 2 - theme_px(t, 12), h / 2, 2 * theme_px(t, 12), 1}, 0,
                     (render_color){255, 255, 255, 255});
    render_fill_rect(rc, (SDL_Rect){w / 2, h / 2 - theme_px(t, 12), 1, 2 * theme_px(t, 12)}, 0,
                     (render_color){255, 255, 255, 255});

    /* The screen's own edge: a 1-px white frame and coloured corners. */
    render_stroke_rect(rc, (SDL_Rect){0, 0, w, h}, 0, 1, (render_color){255, 255, 255, 255});
    int len = theme_px(t, 40), thick = theme_px(t, 6);
    corner_marker(u, 0, 0, 1, 1, len, thick, (render_color){255, 0, 0, 255});
    corner_marker(u, w - 1, 0, -1, 1, len, thick, (render_color){0, 255, 0, 255});
    corner_marker(u, 0, h - 1, 1, -1, len, thick, (render_color){0, 128, 255, 255});
    corner_marker(u, w - 1, h - 1, -1, -1, len, thick, (render_color){255, 255, 0, 255});

    /* What the screen is, and how to leave. */
    int fs = ui_operator_font(u, UI_OPFONT_TEXT), lh = render_line_height(rc, RENDER_FACE_BOLD, fs);
    char line[160];
    snprintf(line, sizeof line, "%d × %d · %s", w, h, ui_str(u, I18N_PATTERN_HINT));
    int lw = render_text_width(rc, RENDER_FACE_BOLD, fs, line, strlen(line));
    int ty = y + (h - y - lh) / 2 + lh / 2;
    int pad = theme_px(t, 10);
    render_fill_rect(rc, (SDL_Rect){(w - lw) / 2 - pad, ty - pad / 2, lw + 2 * pad, lh + pad}, theme_px(t, 6),
                     (render_color){0, 0, 0, 200});
    render_text(rc, RENDER_FACE_BOLD, fs, line, strlen(line), (w - lw) / 2, ty, (render_color){255, 255, 255, 255});
    /* A tap anywhere leaves (a drag does not). */
    ui_add_target(u, (SDL_Rect){0, 0, w, h}, target_tap(SCREENTEST_CLOSE, 0), "@close", line);
}

const view_ops view_pattern = {
    .name = "admin/pattern",
    .draw = pattern_draw,
    .title = pattern_title,
    .tap = screentest_tap,
    .bar = UI_BAR_NONE,
};
