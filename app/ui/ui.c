/* ui — creating and freeing the ui, the theme, time, and drawing a frame
 * (the view, then the bar and the toast on top); the accessors views see
 * the ui through (ui_view.h). Input is in ui_input.c, navigation in
 * ui_router.c, the person's session and idle reset in ui_session.c. */
#include "ui_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "ui_bar.h"
#include "ui_input.h"
#include "ui_reach.h"
#include "ui_router.h"
#include "ui_session.h"
#include "ui_speech.h"
#include "ui_speechmode.h"
#include "ui_widgets.h"

/* A frame every 16 ms while something moves (60 Hz). */
#define UI_FRAME_MS 16u
/* How long a toast stays. */
#define UI_TOAST_MS 3000u

ui_config ui_config_default(void)
{
    ui_config c = {.default_lang = "kk", .idle_reset_s = 90, .attract_s = 30, .dpi = 0, .default_text_step = 0,
                   .speech_idle_factor = 3};
    return c;
}

/* ---- life cycle -------------------------------------------------------- */

ui *ui_create(const ui_config *cfg, store *s, const char *reason, render *r, int w, int h, uint32_t now)
{
    ui *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->cfg = *cfg;
    u->st = s;
    snprintf(u->reason, sizeof u->reason, "%s", reason ? reason : "");
    u->r = r;
    u->screen_w = w;
    u->screen_h = h;
    u->now = u->last_input = now;
    ui_session_start(&u->session, cfg);
    route_history_init(&u->hist);
    ui_retheme(u);
    char err[ROUTE_ERROR_MAX];
    if (ui_switch_to(u, route_home(), false, 0, err, sizeof err) < 0) {
        platform_log(PLATFORM_LOG_ERROR, "cannot show the home screen: %s", err);
        free(u);
        return NULL;
    }
    u->stats.navigations = 0;
    return u;
}

void ui_destroy(ui *u)
{
    if (!u)
        return;
    ui_speech_stop(u);
    ui_drop_view(u);
    free(u);
}

void ui_set_host(ui *u, const ui_host *host)
{
    if (host)
        u->host = *host;
    else
        memset(&u->host, 0, sizeof u->host);
    ui_host_changed(u);
}

void ui_host_changed(ui *u)
{
    if (u->cur.kind == ROUTE_ADMIN)
        ui_invalidate(u);
}

ui_stats ui_get_stats(const ui *u)
{
    return u->stats;
}

/* ---- theme and layout ---------------------------------------------------- */

float ui_effective_dpi(const ui *u)
{
    return u->cfg.dpi > 0 ? u->cfg.dpi : 133.0f * u->th.scale;
}

void ui_retheme(ui *u)
{
    u->th = theme_compute(u->screen_w, u->screen_h, u->cfg.dpi, u->session.text_step,
                          (theme_contrast)u->session.contrast);
    ui_reach_layout(u);
    gesture_config gc = gesture_config_for_dpi(ui_effective_dpi(u));
    gesture_init(&u->g, &gc);
}

void ui_relayout(ui *u)
{
    ui_retheme(u);
    if (u->view && u->view->relayout)
        u->view->relayout(u, u->state);
    ui_invalidate(u);
}

void ui_resize(ui *u, int w, int h)
{
    if (w != u->screen_w || h != u->screen_h) {
        u->screen_w = w;
        u->screen_h = h;
        ui_relayout(u);
    }
    ui_invalidate(u);
}

/* ---- what views see (ui_view.h) ------------------------------------------ */

const theme *ui_theme(const ui *u)
{
    return &u->th;
}

render *ui_render(const ui *u)
{
    return u->r;
}

int ui_width(const ui *u)
{
    return u->w;
}

int ui_height(const ui *u)
{
    return u->h;
}

uint32_t ui_now(const ui *u)
{
    return u->now;
}

store *ui_store(const ui *u)
{
    return u->st;
}

const char *ui_no_content_reason(const ui *u)
{
    return u->reason;
}

route *ui_route(ui *u)
{
    return &u->cur;
}

bool ui_attract(const ui *u)
{
    return u->attract;
}

void ui_invalidate(ui *u)
{
    u->dirty = true;
}

void ui_toast(ui *u, const char *msg)
{
    snprintf(u->toast, sizeof u->toast, "%s", msg);
    u->toast_until = u->now + UI_TOAST_MS;
    ui_invalidate(u);
}

const char *ui_toast_text(const ui *u)
{
    return u->toast;
}

/* ---- targets of the frame ------------------------------------------------ */

ui_target *ui_add_target(ui *u, SDL_Rect rect, target_id id, const char *ref, const char *label)
{
    return targets_add(&u->targets, rect, id, ref, label);
}

void ui_target_relabel(ui *u, int mark, const char *label)
{
    if (mark >= 0 && mark < u->targets.n)
        targets_relabel(&u->targets.items[mark], label);
}

bool ui_is_pressed(const ui *u, SDL_Rect rect, target_id id)
{
    return u->pressing && target_is(&u->pressed, rect, id);
}

int ui_target_count(const ui *u)
{
    return u->targets.n;
}

void ui_targets_clip(ui *u, int mark, SDL_Rect band)
{
    targets_clip(&u->targets, mark, band);
}

void ui_targets_drop(ui *u, int mark)
{
    targets_drop(&u->targets, mark);
}

int ui_locate_rect(ui *u, const char *ref, SDL_Rect *out)
{
    if (u->dirty)
        ui_draw(u);
    const ui_target *t = targets_find(&u->targets, ref, u->h + u->strip_h);
    if (!t)
        return -1;
    *out = t->rect;
    out->y += u->top; /* the screen's coordinates, as taps come */
    return 0;
}

int ui_locate_route(ui *u, const char *ref, float *x, float *y)
{
    SDL_Rect r;
    if (ui_locate_rect(u, ref, &r) < 0)
        return -1;
    *x = (float)r.x + (float)r.w / 2;
    *y = (float)r.y + (float)r.h / 2;
    return 0;
}

/* Draws a frame, counting the "…" it shows (render_record_texts): each
 * must be a text noted as cut or a preview noted as shortened. One more
 * is a text a view cut without saying so: it counts as cut. (A noted text
 * whose "…" is scrolled out of sight can hide one such; never the other
 * way round.) */
static void draw_counting_cuts(ui *u)
{
    enum { RECS = 2048 }; /* runs of a frame: a 4K reader page has ~600 */
    render_text_rec *recs = malloc(RECS * sizeof *recs);
    int n = 0, ellipses = 0;
    if (recs)
        render_record_texts(u->r, recs, RECS, &n);
    ui_draw(u);
    if (recs) {
        render_record_texts(u->r, NULL, 0, NULL);
        for (int i = 0; i < n && i < RECS; i++)
            ellipses += recs[i].ellipsis;
        free(recs);
    }
    int noted = u->cut_texts + u->shortened;
    u->unnoted_cuts = ellipses > noted ? ellipses - noted : 0;
}

int ui_check_layout(ui *u, char *err, size_t errcap)
{
    draw_counting_cuts(u);
    /* Keyboard keys and page dots too: 9 mm is the floor for anything
     * tappable, whatever the text size. */
    int problems = targets_check(&u->targets, u->w, u->h, u->th.target_min, err, errcap);
    if (u->cut_texts && !problems)
        snprintf(err, errcap, "text cut with \"…\": \"%s\" (%d in all) on %dx%d", u->first_cut, u->cut_texts, u->w,
                 u->h);
    else if (u->unnoted_cuts && !problems)
        snprintf(err, errcap, "%d \"…\" drawn that no text or preview noted (a cut the view did not count) on %dx%d",
                 u->unnoted_cuts, u->w, u->h);
    return problems + u->cut_texts + u->unnoted_cuts;
}

ui_layout_count ui_count_layout(ui *u)
{
    draw_counting_cuts(u);
    ui_layout_count c = {0, 0, u->cut_texts + u->unnoted_cuts, u->shortened};
    /* A button's cut label is one of the cut texts (ui_text_draw noted it). */
    c.targets = targets_count(&u->targets, u->th.target_min, &c.small);
    return c;
}

void ui_text_was_cut(ui *u, const char *text)
{
    if (u->cut_texts++ == 0)
        snprintf(u->first_cut, sizeof u->first_cut, "%s", text);
}

void ui_preview_was_cut(ui *u)
{
    u->shortened++;
}

/* ---- time -------------------------------------------------------------- */

static bool view_animating(ui *u, uint32_t now)
{
    u->animating = u->view->tick && u->view->tick(u, u->state, now);
    return u->animating;
}

void ui_tick(ui *u, uint32_t now)
{
    u->now = now;
    ui_input_tick(u, now);
    ui_speech_tick(u, now);
    if (view_animating(u, now))
        ui_invalidate(u);
    if (u->toast[0] && (int32_t)(now - u->toast_until) >= 0) {
        u->toast[0] = '\0';
        ui_invalidate(u);
    }
    ui_session_tick(u, now);
}

deadline ui_next_deadline(const ui *u, uint32_t now)
{
    deadline d = deadline_none();
    if (u->dirty || u->animating)
        d = deadline_min(d, deadline_at(now + UI_FRAME_MS), now);
    d = deadline_min(d, ui_input_deadline(u, now), now);
    d = deadline_min(d, ui_session_deadline(u, now), now);
    d = deadline_min(d, ui_speech_deadline(u, now), now);
    if (u->view->deadline)
        d = deadline_min(d, u->view->deadline(u, u->state), now);
    if (u->toast[0])
        d = deadline_min(d, deadline_at(u->toast_until), now);
    return d;
}

/* ---- drawing ------------------------------------------------------------- */

bool ui_dirty(const ui *u)
{
    return u->dirty;
}

void ui_set_notice(ui *u, ui_notice_kind kind, const char *text)
{
    snprintf(u->notice, sizeof u->notice, "%s", text ? text : "");
    u->notice_kind = kind;
    ui_invalidate(u);
}

/* Lines a text takes in the panel: one, or two when it is wider (the
 * panel shows no more of one message). */
static int notice_lines(ui *u, render_face face, const char *text, size_t n, int w)
{
    return render_text_width(u->r, face, u->th.font_small, text, n) > w ? 2 : 1;
}

/* The editor's panel at the bottom: its heading, then one message per line
 * (each may wrap once), as tall as they need up to half the screen. */
static void draw_notice(ui *u)
{
    const theme *t = &u->th;
    int pad = theme_px(t, 12), edge = theme_px(t, 3), fs = t->font_small;
    int lh = render_line_height(u->r, RENDER_FACE_REGULAR, fs);
    int w = u->w - 2 * t->margin - 2 * edge - 2 * pad;
    const char *head = ui_str(u, u->notice_kind == UI_NOTICE_ERRORS ? I18N_PREVIEW_ERRORS : I18N_PREVIEW_WARNINGS);
    int lines = notice_lines(u, RENDER_FACE_BOLD, head, strlen(head), w);
    for (const char *l = u->notice; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
        lines += notice_lines(u, RENDER_FACE_REGULAR, l, strcspn(l, "\n"), w);
    int h = lines * lh + theme_px(t, 6) + 2 * (pad + edge);
    if (h > u->h / 2)
        h = u->h / 2;
    SDL_Rect r = {t->margin, u->h - t->margin - h, u->w - 2 * t->margin, h};
    theme_color accent = u->notice_kind == UI_NOTICE_ERRORS ? t->color.danger : t->color.accent;
    render_shadow(u->r, r, t->radius, theme_px(t, 4));
    render_fill_rect(u->r, r, t->radius, ui_color(accent));
    SDL_Rect in = {r.x + edge, r.y + edge, r.w - 2 * edge, r.h - 2 * edge};
    render_fill_rect(u->r, in, t->radius - edge, ui_color(t->color.surface));
    int x = in.x + pad, y = in.y + pad, bottom = in.y + in.h - pad;
    y += ui_text_draw(u, RENDER_FACE_BOLD, fs, head, x, y, w, 2, accent) + theme_px(t, 6);
    for (const char *line = u->notice; *line && y + lh <= bottom;) {
        size_t n = strcspn(line, "\n");
        char one[UI_NOTICE_MAX];
        snprintf(one, sizeof one, "%.*s", (int)n, line);
        y += ui_text_draw(u, RENDER_FACE_REGULAR, fs, one, x, y, w, y + 2 * lh <= bottom ? 2 : 1, t->color.text);
        line += n + (line[n] == '\n');
    }
}

void ui_draw(ui *u)
{
    targets_clear(&u->targets);
    u->cut_texts = 0;
    u->shortened = 0;
    const theme *t = &u->th;
    if (u->top > 0) {
        render_viewport(u->r, NULL);
        ui_reach_draw_outside(u);
    }
    /* Everything else in the ui's area (and the strip under it); the
     * renderer moves it down in reach mode. */
    render_viewport(u->r, &(SDL_Rect){0, u->top, u->w, u->h + u->strip_h});
    render_fill_rect(u->r, (SDL_Rect){0, 0, u->w, u->h}, 0, ui_color(t->color.bg));
    bool bar = u->view->bar != UI_BAR_NONE;
    SDL_Rect area = {0, bar ? t->bar_h : 0, u->w, u->h - (bar ? t->bar_h : 0)};
    /* The view first, the bar on top of it, so a scrolled page slides under
     * the bar; targets of the bar are added last and win the hit test. */
    u->view->draw(u, u->state, area);
    if (u->strip_h > 0) /* what a view drew past its area lies under the reach strip */
        targets_clip(&u->targets, 0, (SDL_Rect){0, 0, u->w, u->h});
    if (bar)
        ui_bar_draw(u);
    ui_reach_draw_strip(u);
    if (u->notice[0])
        draw_notice(u);
    ui_bar_sheet_draw(u);
    if (u->toast[0])
        ui_toast_draw(u);
    ui_speechmode_draw(u);
    render_viewport(u->r, NULL);
    u->stats.frames++;
    u->dirty = false;
    ui_observe_frame(u);
}
