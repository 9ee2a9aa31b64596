/* The operator screen (route admin): what a technician needs in one glance
 * — is the content current, is the sync working, is the machine healthy —
 * and the few things they may do: sync now, import from USB, restart, exit
 * to the desktop, test the touch panel and the screen.
 *
 * The facts come from the host (ui_host.get_status) at every draw; what
 * the host does not know, and everything when there is no host, shows as
 * "—". While a sync runs the screen refreshes every UI_ADMIN_REFRESH_MS;
 * otherwise it sleeps like every other screen. Restart and Exit ask first.
 * The host logs what the operator did (it knows what it made of it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui_operator.h"
#include "ui_view.h"

/* After Sync now or Import, refresh for this long even before the host
 * reports a running sync (its worker thread may take a moment to start). */
#define ADMIN_POLL_AFTER_ACTION_MS 5000u

/* What can be tapped on the operator screen (besides the bar's Close). */
typedef enum {
    ADMIN_NONE, /* admin_state.confirm when no question is asked */
    ADMIN_SYNC,
    ADMIN_IMPORT,
    ADMIN_RESTART,
    ADMIN_EXIT,
    ADMIN_TOUCH,
    ADMIN_PATTERN,
    ADMIN_CONFIRM, /* the question's answers */
    ADMIN_CANCEL,
} admin_target;

/* The facts, as lines built from the status at every draw (the clock and
 * the counters move), measured once, then drawn where they show. */
typedef enum {
    LINE_STALE,    /* the stale warning: label its title, value its text */
    LINE_PROGRESS, /* a sync under way: label the phase, value the counts */
    LINE_SECTION,  /* a heading: label */
    LINE_ROW,      /* "label   value", the value wrapping to max_lines */
    LINE_GAP,
} line_kind;

typedef struct {
    line_kind kind;
    char label[96];
    char value[320];
    theme_color color;
    int max_lines;
    int h; /* measured */
} admin_line;

#define ADMIN_MAX_LINES 32

typedef struct {
    admin_line l[ADMIN_MAX_LINES];
    int n;
} admin_lines;

typedef struct {
    scroller sc;
    float content_h;
    admin_target confirm;   /* ADMIN_RESTART or ADMIN_EXIT while asking, else ADMIN_NONE */
    bool running;           /* the last status showed a sync under way */
    uint32_t poll_until;    /* refresh until then (after an action) */
    uint32_t next_refresh;
    ui_admin_status st;     /* as drawn last */
    admin_lines lines;      /* the facts in words, as drawn last */
} admin_state;

/* ---- the status in words ---------------------------------------------------- */

/* A bundle's date (UTC, ISO 8601) in local time, like the others. */
static void format_date(const char *iso, char *out, size_t cap)
{
    struct tm tm = {0};
    int n = 0;
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec, &n) == 6 &&
        iso[n] == '\0') {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        time_t t = timegm(&tm);
        struct tm local;
        if (t != (time_t)-1 && localtime_r(&t, &local) && strftime(out, cap, "%Y-%m-%d %H:%M", &local) > 0)
            return;
    }
    snprintf(out, cap, "%s", iso);
}

static const char *phase_name(const ui *u, const char *phase)
{
    if (!strcmp(phase, "checking"))
        return ui_str(u, I18N_ADMIN_PHASE_CHECKING);
    if (!strcmp(phase, "downloading"))
        return ui_str(u, I18N_ADMIN_PHASE_DOWNLOADING);
    if (!strcmp(phase, "applying"))
        return ui_str(u, I18N_ADMIN_PHASE_APPLYING);
    return phase;
}

static void format_count(int64_t v, char *out, size_t cap)
{
    if (v < 0)
        snprintf(out, cap, UI_UNKNOWN);
    else
        snprintf(out, cap, "%lld", (long long)v);
}

/* ---- drawing ------------------------------------------------------------------- */

static const i18n_id row_labels[] = {
    I18N_ADMIN_CONTENT_VERSION, I18N_ADMIN_LAST_CHECK, I18N_ADMIN_LAST_SUCCESS,
    I18N_ADMIN_NEXT_CHECK, I18N_ADMIN_LAST_ERROR, I18N_ADMIN_KIOSK_ID, I18N_ADMIN_SOFTWARE,
    I18N_ADMIN_UPTIME, I18N_ADMIN_MEMORY, I18N_ADMIN_DISK, I18N_ADMIN_USAGE_TODAY, I18N_ADMIN_USAGE_KEPT,
};

/* Width of the label column: the widest label and a gap, at most 45 %. */
static int label_width(ui *u, int w)
{
    int fs = ui_operator_font(u, UI_OPFONT_TEXT), widest = 0;
    for (size_t i = 0; i < sizeof row_labels / sizeof *row_labels; i++) {
        const char *l = ui_str(u, row_labels[i]);
        int lw = render_text_width(ui_render(u), RENDER_FACE_REGULAR, fs, l, strlen(l));
        if (lw > widest)
            widest = lw;
    }
    widest += theme_px(ui_theme(u), 14);
    return widest < w * 45 / 100 ? widest : w * 45 / 100;
}

static admin_line *push(admin_lines *ls, line_kind kind, const char *label)
{
    if (ls->n == ADMIN_MAX_LINES)
        return NULL; /* more lines than the screen has: never with the lines below */
    admin_line *l = &ls->l[ls->n++];
    *l = (admin_line){.kind = kind};
    snprintf(l->label, sizeof l->label, "%s", label);
    return l;
}

static void push_row(admin_lines *ls, const char *label, const char *value, theme_color color, int max_lines)
{
    admin_line *l = push(ls, LINE_ROW, label);
    if (!l)
        return;
    snprintf(l->value, sizeof l->value, "%s", value);
    l->color = color;
    l->max_lines = max_lines;
}

/* A sync under way: its phase, and the records and bytes so far. */
static void push_progress(ui *u, admin_lines *ls, const ui_admin_status *st)
{
    char head[96], a[32], b[32], c[64], d[64], recs[128], bytes[160];
    const char *phase = st->sync_phase[0] ? phase_name(u, st->sync_phase) : "";
    snprintf(head, sizeof head, "%s%s%s", ui_str(u, I18N_ADMIN_SYNC_RUNNING), phase[0] ? " · " : "", phase);
    admin_line *l = push(ls, LINE_PROGRESS, head);
    if (!l)
        return;
    format_count(st->items_done, a, sizeof a);
    format_count(st->items_total, b, sizeof b);
    ui_format_bytes(u, st->bytes_done, c, sizeof c);
    ui_format_bytes(u, st->bytes_total, d, sizeof d);
    snprintf(recs, sizeof recs, ui_str(u, I18N_ADMIN_RECORDS), a, b);
    snprintf(bytes, sizeof bytes, ui_str(u, I18N_ADMIN_BYTES), c, d);
    snprintf(l->value, sizeof l->value, "%s · %s", recs, bytes);
}

/* The usage counters, when the kiosk keeps them: counts only. */
static void push_usage(ui *u, admin_lines *ls, const ui_admin_status *st)
{
    char v[320], label[64], a[32], b[32], c[32], d[32];
    theme_color plain = ui_theme(u)->color.text;
    push(ls, LINE_GAP, "");
    push(ls, LINE_SECTION, ui_str(u, I18N_ADMIN_USAGE));
    format_count(st->usage_sessions_today, a, sizeof a);
    format_count(st->usage_views_today, b, sizeof b);
    format_count(st->usage_searches_today, c, sizeof c);
    format_count(st->usage_searches_none_today, d, sizeof d);
    snprintf(v, sizeof v, ui_str(u, I18N_ADMIN_USAGE_DAY), a, b, c, d);
    push_row(ls, ui_str(u, I18N_ADMIN_USAGE_TODAY), v, plain, 2);
    format_count(st->usage_days_kept, a, sizeof a);
    snprintf(label, sizeof label, ui_str(u, I18N_ADMIN_USAGE_KEPT), a);
    format_count(st->usage_sessions_kept, a, sizeof a);
    format_count(st->usage_views_kept, b, sizeof b);
    snprintf(v, sizeof v, ui_str(u, I18N_ADMIN_USAGE_PERIOD), a, b);
    push_row(ls, label, v, plain, 2);
}

/* The content and sync facts. */
static void push_updates(ui *u, admin_lines *ls, const ui_admin_status *st)
{
    const theme *t = ui_theme(u);
    char v[320], when[64];
    theme_color plain = t->color.text;
    push(ls, LINE_SECTION, ui_str(u, I18N_ADMIN_UPDATES));
    /* One version and its date (issue 14): publish stamps the version it
     * publishes and when; a bundle never published shows when it was built. */
    bool published = st->content_published[0] != '\0';
    const char *date = published ? st->content_published : st->content_created;
    if (st->content_version[0] && date[0]) {
        format_date(date, when, sizeof when);
        snprintf(v, sizeof v, ui_str(u, published ? I18N_ADMIN_VERSION_PUBLISHED : I18N_ADMIN_VERSION_BUILT),
                 st->content_version, when);
    } else {
        snprintf(v, sizeof v, "%s", st->content_version[0] ? st->content_version : UI_UNKNOWN);
    }
    push_row(ls, ui_str(u, I18N_ADMIN_CONTENT_VERSION), v, plain, 2);
    ui_format_time(u, st->last_attempt, st->now, false, v, sizeof v);
    push_row(ls, ui_str(u, I18N_ADMIN_LAST_CHECK), v, plain, 2);
    ui_format_time(u, st->last_success, st->now, false, v, sizeof v);
    push_row(ls, ui_str(u, I18N_ADMIN_LAST_SUCCESS), v, plain, 2);
    if (st->sync_configured == 0)
        snprintf(v, sizeof v, "%s", ui_str(u, I18N_ADMIN_SYNC_OFF));
    else
        ui_format_time(u, st->next_sync, st->now, true, v, sizeof v);
    push_row(ls, ui_str(u, I18N_ADMIN_NEXT_CHECK), v, plain, 2);
    bool failed = st->last_error[0] != '\0';
    snprintf(v, sizeof v, "%s", failed ? st->last_error : st->sync_configured < 0 && st->last_attempt < 0 ? UI_UNKNOWN
                                                                                                            : ui_str(u, I18N_NONE));
    push_row(ls, ui_str(u, I18N_ADMIN_LAST_ERROR), v, failed ? t->color.danger : plain, 4);
}

/* The machine's facts. */
static void push_kiosk(ui *u, admin_lines *ls, const ui_admin_status *st)
{
    char v[320];
    theme_color plain = ui_theme(u)->color.text;
    push(ls, LINE_GAP, "");
    push(ls, LINE_SECTION, ui_str(u, I18N_ADMIN_KIOSK));
    push_row(ls, ui_str(u, I18N_ADMIN_KIOSK_ID), st->kiosk_id[0] ? st->kiosk_id : UI_UNKNOWN, plain, 1);
    push_row(ls, ui_str(u, I18N_ADMIN_SOFTWARE), "infopoint " INFOPOINT_VERSION, plain, 1);
    ui_format_duration(u, st->uptime_s, v, sizeof v);
    push_row(ls, ui_str(u, I18N_ADMIN_UPTIME), v, plain, 1);
    ui_format_bytes(u, st->rss_bytes, v, sizeof v);
    push_row(ls, ui_str(u, I18N_ADMIN_MEMORY), v, plain, 1);
    ui_format_bytes(u, st->disk_free_bytes, v, sizeof v);
    push_row(ls, ui_str(u, I18N_ADMIN_DISK), v, plain, 1);
}

/* Everything there is to read, in order. */
static void build_lines(ui *u, const ui_admin_status *st, admin_lines *ls)
{
    ls->n = 0;
    admin_line *l;
    if (st->stale > 0 && (l = push(ls, LINE_STALE, ui_str(u, I18N_ADMIN_STALE_TITLE))) != NULL) {
        snprintf(l->value, sizeof l->value, "%s", ui_str(u, I18N_ADMIN_STALE_TEXT));
        push(ls, LINE_GAP, "");
    }
    if (st->sync_running > 0) {
        push_progress(u, ls, st);
        push(ls, LINE_GAP, "");
    }
    push_updates(u, ls, st);
    push_kiosk(u, ls, st);
    if (st->usage_sessions_today >= 0)
        push_usage(u, ls, st);
}

/* The stale banner's sizes: the mark, the padding, the text's left inset. */
static int stale_pad(const theme *t)
{
    return theme_px(t, 10);
}

static int stale_mark(const theme *t)
{
    return theme_px(t, 26);
}

static int line_height(ui *u, const admin_line *l, int w)
{
    const theme *t = ui_theme(u);
    int text = ui_operator_font(u, UI_OPFONT_TEXT), button = ui_operator_font(u, UI_OPFONT_BUTTON);
    switch (l->kind) {
    case LINE_STALE: {
        int pad = stale_pad(t), mark = stale_mark(t), tw = w - 3 * pad - mark;
        int h = pad + ui_text_height(u, RENDER_FACE_BOLD, button, l->label, tw, 2) + theme_px(t, 2) +
                ui_text_height(u, RENDER_FACE_REGULAR, text, l->value, tw, 4) + pad;
        return h < mark + 2 * pad ? mark + 2 * pad : h;
    }
    case LINE_PROGRESS: {
        int pad = theme_px(t, 10), tw = w - 2 * pad;
        return pad + ui_text_height(u, RENDER_FACE_BOLD, text, l->label, tw, 1) +
               ui_text_height(u, RENDER_FACE_REGULAR, text, l->value, tw, 2) + theme_px(t, 6) + theme_px(t, 10) + pad;
    }
    case LINE_SECTION:
        return ui_text_height(u, RENDER_FACE_BOLD, text, l->label, w, 1) + theme_px(t, 9);
    case LINE_ROW: {
        int lw = label_width(u, w);
        int lh = ui_text_height(u, RENDER_FACE_REGULAR, text, l->label, lw - theme_px(t, 12), 2);
        int vh = ui_text_height(u, RENDER_FACE_BOLD, text, l->value, w - lw, l->max_lines);
        return (lh > vh ? lh : vh) + theme_px(t, 5);
    }
    case LINE_GAP:
        return theme_px(t, 10);
    }
    return 0;
}

/* The stale warning: the one thing on this screen that must not be missed. */
static void draw_stale(ui *u, const admin_line *l, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int pad = stale_pad(t), mark = stale_mark(t), fs = ui_operator_font(u, UI_OPFONT_BUTTON);
    int tx = r.x + pad + mark + pad, tw = r.w - (tx - r.x) - pad;
    render_fill_rect(rc, r, t->radius, ui_color(t->color.danger));
    render_fill_circle(rc, r.x + pad + mark / 2, r.y + pad + mark / 2, mark / 2, ui_color(t->color.surface));
    int ew = render_text_width(rc, RENDER_FACE_BOLD, fs, "!", 1);
    render_text(rc, RENDER_FACE_BOLD, fs, "!", 1, r.x + pad + (mark - ew) / 2,
                r.y + pad + (mark - render_line_height(rc, RENDER_FACE_BOLD, fs)) / 2, ui_color(t->color.danger));
    int h1 = ui_text_draw(u, RENDER_FACE_BOLD, fs, l->label, tx, r.y + pad, tw, 2, t->color.surface);
    ui_text_draw(u, RENDER_FACE_REGULAR, ui_operator_font(u, UI_OPFONT_TEXT), l->value, tx,
                 r.y + pad + h1 + theme_px(t, 2), tw, 4, t->color.surface);
}

/* A sync under way: phase, counts and a bar (by bytes when their total is
 * known, else by records; empty while neither is). */
static void draw_progress(ui *u, const ui_admin_status *st, const admin_line *l, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int pad = theme_px(t, 10), fs = ui_operator_font(u, UI_OPFONT_TEXT), tw = r.w - 2 * pad, bar_h = theme_px(t, 10);
    render_fill_rect(rc, r, t->radius, ui_color(t->color.accent_soft));
    int h1 = ui_text_draw(u, RENDER_FACE_BOLD, fs, l->label, r.x + pad, r.y + pad, tw, 1, t->color.text);
    ui_text_draw(u, RENDER_FACE_REGULAR, fs, l->value, r.x + pad, r.y + pad + h1, tw, 2, t->color.text);
    SDL_Rect track = {r.x + pad, r.y + r.h - pad - bar_h, tw, bar_h};
    render_fill_rect(rc, track, bar_h / 2, ui_color(t->color.surface));
    double frac = -1;
    if (st->bytes_total > 0 && st->bytes_done >= 0)
        frac = (double)st->bytes_done / (double)st->bytes_total;
    else if (st->items_total > 0 && st->items_done >= 0)
        frac = (double)st->items_done / (double)st->items_total;
    if (frac >= 0) {
        if (frac > 1)
            frac = 1;
        int fw = (int)(frac * track.w);
        if (fw < bar_h)
            fw = bar_h;
        render_fill_rect(rc, (SDL_Rect){track.x, track.y, fw, bar_h}, bar_h / 2, ui_color(t->color.accent));
    }
}

static void draw_line(ui *u, const ui_admin_status *st, const admin_line *l, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    int fs = ui_operator_font(u, UI_OPFONT_TEXT);
    switch (l->kind) {
    case LINE_STALE:
        draw_stale(u, l, r);
        break;
    case LINE_PROGRESS:
        draw_progress(u, st, l, r);
        break;
    case LINE_SECTION: {
        int h = ui_text_draw(u, RENDER_FACE_BOLD, fs, l->label, r.x, r.y, r.w, 1, t->color.accent);
        render_fill_rect(ui_render(u), (SDL_Rect){r.x, r.y + h + theme_px(t, 2), r.w, theme_px(t, 1)}, 0,
                         ui_color(t->color.divider));
        break;
    }
    case LINE_ROW: {
        int lw = label_width(u, r.w);
        ui_text_draw(u, RENDER_FACE_REGULAR, fs, l->label, r.x, r.y, lw - theme_px(t, 12), 2, t->color.text_muted);
        ui_text_draw(u, RENDER_FACE_BOLD, fs, l->value, r.x + lw, r.y, r.w - lw, l->max_lines, l->color);
        break;
    }
    case LINE_GAP:
        break;
    }
}

/* Measures the lines at width w; returns their height. */
static int measure_lines(ui *u, admin_lines *ls, int w)
{
    int h = 0;
    for (int i = 0; i < ls->n; i++)
        h += ls->l[i].h = line_height(u, &ls->l[i], w);
    return h;
}

/* Draws the lines that show in view, the first at y. */
static void draw_lines(ui *u, const ui_admin_status *st, const admin_lines *ls, int x, int y, int w, SDL_Rect view)
{
    for (int i = 0; i < ls->n; i++) {
        const admin_line *l = &ls->l[i];
        if (y + l->h >= view.y && y <= view.y + view.h)
            draw_line(u, st, l, (SDL_Rect){x, y, w, l->h});
        y += l->h;
    }
}

typedef struct {
    i18n_id label;
    admin_target act;
    ui_button_flags flags;
    const char *name;
} admin_button;

static const admin_button buttons[] = {
    {I18N_ADMIN_SYNC_NOW, ADMIN_SYNC, UI_BUTTON_PRIMARY, "@sync-now"},
    {I18N_ADMIN_IMPORT_USB, ADMIN_IMPORT, UI_BUTTON_PLAIN, "@import-usb"},
    {I18N_ADMIN_TOUCH_TEST, ADMIN_TOUCH, UI_BUTTON_PLAIN, "@touch-test"},
    {I18N_ADMIN_TEST_PATTERN, ADMIN_PATTERN, UI_BUTTON_PLAIN, "@test-pattern"},
    {I18N_ADMIN_RESTART, ADMIN_RESTART, UI_BUTTON_DANGER, "@restart"},
    {I18N_ADMIN_EXIT, ADMIN_EXIT, UI_BUTTON_DANGER, "@exit"},
};
#define N_BUTTONS (int)(sizeof buttons / sizeof buttons[0])

typedef void (*host_call)(void *user);

/* The host's callback behind a button (NULL when the host has none, or
 * the button needs no host). */
static host_call host_call_for(const ui *u, admin_target act)
{
    const ui_host *h = ui_get_host(u);
    switch (act) {
    case ADMIN_SYNC:
        return h->sync_now;
    case ADMIN_IMPORT:
        return h->import_usb;
    case ADMIN_RESTART:
        return h->restart;
    case ADMIN_EXIT:
        return h->exit_to_desktop;
    default:
        return NULL;
    }
}

/* A button that asks the host is disabled when the host cannot do it. */
static bool available(const ui *u, admin_target act)
{
    bool asks_host = act == ADMIN_SYNC || act == ADMIN_IMPORT || act == ADMIN_RESTART || act == ADMIN_EXIT;
    return !asks_host || host_call_for(u, act) != NULL;
}

static void call_host(ui *u, admin_target act)
{
    host_call f = host_call_for(u, act);
    if (f)
        f(ui_get_host(u)->user);
}

/* The buttons in cols columns inside r. */
static void draw_buttons(ui *u, SDL_Rect r, int cols)
{
    const theme *t = ui_theme(u);
    int gap = theme_px(t, 8);
    int rows = (N_BUTTONS + cols - 1) / cols;
    int bw = (r.w - (cols - 1) * gap) / cols, bh = (r.h - (rows - 1) * gap) / rows;
    for (int i = 0; i < N_BUTTONS; i++) {
        const admin_button *b = &buttons[i];
        SDL_Rect br = {r.x + (i % cols) * (bw + gap), r.y + (i / cols) * (bh + gap), bw, bh};
        ui_button_flags flags = UI_BUTTON_OPERATOR | b->flags | (available(u, b->act) ? 0 : UI_BUTTON_DISABLED);
        ui_button(u, br, ui_str(u, b->label), UI_NO_ICON, flags, target_tap(b->act, 0), b->name);
    }
}

/* Restart or Exit: a question over the dimmed screen. */
static void draw_confirm(ui *u, admin_state *as, SDL_Rect area)
{
    const theme *t = ui_theme(u);
    render_fill_rect(ui_render(u), area, 0, (render_color){20, 24, 34, 170});
    int w = area.w - 2 * t->margin;
    if (w > theme_px(t, 520))
        w = theme_px(t, 520);
    int pad = theme_px(t, 20), fs = ui_operator_font(u, UI_OPFONT_BUTTON), gap = theme_px(t, 12);
    const char *q = ui_str(u, as->confirm == ADMIN_RESTART ? I18N_ADMIN_RESTART_ASK : I18N_ADMIN_EXIT_ASK);
    int qh = ui_text_height(u, RENDER_FACE_BOLD, fs, q, w - 2 * pad, 4);
    int bh = t->target;
    int h = pad + qh + pad + bh + pad;
    SDL_Rect card = {area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h};
    ui_card(u, card, false);
    ui_text_draw(u, RENDER_FACE_BOLD, fs, q, card.x + pad, card.y + pad, w - 2 * pad, 4, t->color.text);
    int bw = (w - 2 * pad - gap) / 2, by = card.y + h - pad - bh;
    ui_button(u, (SDL_Rect){card.x + pad, by, bw, bh}, ui_str(u, I18N_CANCEL), UI_NO_ICON, UI_BUTTON_OPERATOR,
              target_tap(ADMIN_CANCEL, 0), "@cancel");
    ui_button(u, (SDL_Rect){card.x + pad + bw + gap, by, bw, bh},
              ui_str(u, as->confirm == ADMIN_RESTART ? I18N_ADMIN_RESTART : I18N_ADMIN_EXIT), UI_NO_ICON,
              UI_BUTTON_OPERATOR | UI_BUTTON_PRIMARY | UI_BUTTON_DANGER, target_tap(ADMIN_CONFIRM, 0), "@confirm");
}

static void admin_draw(ui *u, void *state, SDL_Rect area)
{
    admin_state *as = state;
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    ui_admin_status_get(u, &as->st);
    as->running = as->st.sync_running > 0;
    if (as->running || (int32_t)(as->poll_until - ui_now(u)) > 0)
        as->next_refresh = ui_now(u) + UI_ADMIN_REFRESH_MS;

    int m = theme_px(t, 14), gap = theme_px(t, 14);
    SDL_Rect info, btns;
    int cols;
    if (area.w >= area.h) {
        /* Landscape: buttons in a column on the right, the facts beside them. */
        int bw = area.w / 4;
        if (bw < theme_px(t, 200))
            bw = theme_px(t, 200);
        if (bw > theme_px(t, 300))
            bw = theme_px(t, 300);
        int avail = area.h - 2 * m, bh = (avail - (N_BUTTONS - 1) * theme_px(t, 8)) / N_BUTTONS;
        if (bh > t->target * 5 / 4)
            bh = t->target * 5 / 4;
        int col_h = N_BUTTONS * bh + (N_BUTTONS - 1) * theme_px(t, 8);
        btns = (SDL_Rect){area.x + area.w - m - bw, area.y + m, bw, col_h};
        info = (SDL_Rect){area.x + m, area.y, btns.x - gap - (area.x + m), area.h};
        cols = 1;
    } else {
        /* Portrait: the facts on top, two columns of buttons below. */
        int rows = (N_BUTTONS + 1) / 2, bh = t->target * 5 / 4;
        int grid_h = rows * bh + (rows - 1) * theme_px(t, 8);
        btns = (SDL_Rect){area.x + m, area.y + area.h - m - grid_h, area.w - 2 * m, grid_h};
        info = (SDL_Rect){area.x + m, area.y, area.w - 2 * m, btns.y - gap - area.y};
        cols = 2;
    }
    if (info.w > theme_px(t, 760)) {
        /* A big screen: the facts and the buttons side by side in the
         * middle, not at opposite ends of a wide empty screen. */
        int spare = info.w - theme_px(t, 760);
        info.w = theme_px(t, 760);
        if (cols == 1) {
            info.x += spare / 2;
            btns.x -= spare - spare / 2;
        } else {
            info.x += spare / 2;
        }
    }

    /* The facts scroll when they do not fit (a long error, a small screen);
     * the buttons never move. */
    int w = info.w - theme_px(t, 10);
    build_lines(u, &as->st, &as->lines);
    int content_h = measure_lines(u, &as->lines, w) + 2 * m;
    ui_scroll_size(&as->sc, &as->content_h, (float)content_h, (float)info.h);
    render_clip(rc, &info);
    draw_lines(u, &as->st, &as->lines, info.x, info.y + m - (int)scroller_offset(&as->sc), w, info);
    render_clip(rc, NULL);
    ui_scrollbar(u, info, &as->sc);

    int mark = ui_target_count(u);
    draw_buttons(u, btns, cols);
    if (as->confirm) {
        ui_targets_drop(u, mark); /* only the question's buttons answer now */
        draw_confirm(u, as, area);
    }
}

/* ---- behaviour ----------------------------------------------------------------- */

static void *admin_enter(ui *u, route *r, char *err, size_t errcap)
{
    (void)u, (void)r;
    admin_state *as = ui_state_new(sizeof *as, err, errcap);
    if (as)
        scroller_init(&as->sc, 0, 0);
    return as;
}

static const char *admin_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_OPERATOR_SCREEN);
}

static const char *admin_close_label(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_CLOSE);
}

static void poll_soon(ui *u, admin_state *as)
{
    as->poll_until = ui_now(u) + ADMIN_POLL_AFTER_ACTION_MS;
    ui_invalidate(u);
}

static void admin_close(ui *u, void *state)
{
    (void)state;
    ui_home(u);
}

static void admin_tap(ui *u, void *state, target_id id)
{
    admin_state *as = state;
    switch ((admin_target)id.kind) {
    case ADMIN_SYNC:
    case ADMIN_IMPORT:
        call_host(u, (admin_target)id.kind);
        ui_toast(u, ui_str(u, id.kind == ADMIN_SYNC ? I18N_ADMIN_SYNC_ASKED : I18N_ADMIN_IMPORT_ASKED));
        poll_soon(u, as);
        return;
    case ADMIN_RESTART:
    case ADMIN_EXIT:
        as->confirm = (admin_target)id.kind;
        ui_invalidate(u);
        return;
    case ADMIN_CANCEL:
        as->confirm = ADMIN_NONE;
        ui_invalidate(u);
        return;
    case ADMIN_CONFIRM: {
        admin_target what = as->confirm;
        as->confirm = ADMIN_NONE;
        ui_invalidate(u);
        call_host(u, what); /* Restart or Exit, as asked */
        return;
    }
    case ADMIN_TOUCH:
        ui_go_operator(u, ROUTE_ADMIN_TOUCH, true);
        return;
    case ADMIN_PATTERN:
        ui_go_operator(u, ROUTE_ADMIN_PATTERN, true);
        return;
    case ADMIN_NONE:
        return;
    }
}

static void admin_gesture(ui *u, void *state, const gesture_event *e)
{
    admin_state *as = state;
    if (!as->confirm)
        ui_scroll_gesture(u, &as->sc, e);
}

static bool refreshing(const ui *u, const admin_state *as)
{
    return as->running || (int32_t)(as->poll_until - ui_now(u)) > 0;
}

static bool admin_tick(ui *u, void *state, uint32_t now)
{
    admin_state *as = state;
    bool moving = scroller_step(&as->sc, now) || scroller_is_animating(&as->sc);
    if (refreshing(u, as) && (int32_t)(now - as->next_refresh) >= 0)
        ui_invalidate(u); /* the next draw asks the host again */
    return moving;
}

static deadline admin_deadline(const ui *u, const void *state)
{
    const admin_state *as = state;
    return refreshing(u, as) ? deadline_at(as->next_refresh) : deadline_none();
}

static void admin_relayout(ui *u, void *state)
{
    admin_state *as = state;
    as->content_h = -1;
}

const view_ops view_admin = {
    .name = "admin",
    .enter = admin_enter,
    .leave = free,
    .draw = admin_draw,
    .title = admin_title,
    .gesture = admin_gesture,
    .tap = admin_tap,
    .tick = admin_tick,
    .relayout = admin_relayout,
    .deadline = admin_deadline,
    .close_label = admin_close_label,
    .close = admin_close,
    .bar = UI_BAR_OPERATOR,
};
