/* Search: an on-screen keyboard (Kazakh, Russian, Latin) and results as
 * you type, at the depth that holds the words (an item, a clause of a
 * document, a card of a deck: store_find), with the matching words
 * highlighted. When store_find corrected a typo the screen says what it
 * searched for, and what was typed is one tap away. No physical keyboard
 * is needed.
 *
 * The results are laid out once (rows with their heights, search_layout)
 * when they or the screen change, and every frame draws from that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyboard.h"
#include "layout.h"
#include "platform.h"
#include "ui_view.h"
#include "utf8.h"

#define SEARCH_MAX_RESULTS 30
/* Rows: a few messages above the results. */
#define SEARCH_MAX_ROWS (SEARCH_MAX_RESULTS + 6)
/* A message or a result's "where" line, in bytes. */
#define SEARCH_LINE_MAX (UI_SEARCH_MAX + STORE_TITLE_MAX + 64)
#define SEARCH_TITLE_LINES 4 /* a title wraps whole (large text) */
#define SEARCH_SNIPPET_LINES 2

/* What can be tapped on the search screen. */
typedef enum {
    SEARCH_FIELD,    /* the field in the bar: shows the keyboard */
    SEARCH_CLEAR,    /* the field's clear button */
    SEARCH_ORIGINAL, /* "Search for what I typed" after a correction */
    SEARCH_SHOW,     /* "N results – show": hides the keyboard */
    SEARCH_KEY,      /* index: the keyboard's key */
    SEARCH_RESULT,   /* index: a result, a link to its place */
} search_target;

typedef enum {
    ROW_TEXT,     /* a message */
    ROW_ORIGINAL, /* the button back to what was typed */
    ROW_RESULT,   /* one result as a card */
} row_kind;

/* Words of one laid-out text kept: a title or snippet of two lines holds
 * far fewer at any width. */
#define SEARCH_PIECES 64

/* A text laid out once for its width (layout_lines): its words placed. */
typedef struct {
    layout_piece pc[SEARCH_PIECES];
    int n;                       /* pieces kept */
    int line_h;
    int h;                       /* lines × line_h; 0 for no text */
    render_face face;
    int size;
} text_lay;

/* One row of the results page, placed. */
typedef struct {
    row_kind kind;
    int y, h;                    /* in the scrolling content, from its top */
    char text[SEARCH_LINE_MAX];  /* the message, the button's label, or a result's "where" line */
    text_lay lay;                /* ROW_TEXT: the message; ROW_RESULT: the "where" line */
    theme_color color;           /* ROW_TEXT */
    int result;                  /* ROW_RESULT: index into results */
    text_lay title, snippet;     /* ROW_RESULT */
} search_row;

/* The results page for one width and text size. */
typedef struct {
    bool valid;                  /* false: lay out again before drawing */
    bool compact;                /* one line per result: the keyboard leaves a short band */
    bool button;                 /* "N results – show" above them: they do not fit beside the keyboard */
    search_row rows[SEARCH_MAX_ROWS];
    int n_rows;
    int height;                  /* of the whole page */
} search_layout;

typedef struct {
    keyboard kb;
    keyboard_text text;
    bool kb_shown;
    SDL_Rect kb_area;            /* where the keys were laid out */
    bool exact;                  /* the citizen asked for what they typed, uncorrected */
    store_result results[SEARCH_MAX_RESULTS];
    int n_results;
    store_find_info info;
    search_layout lay;
    scroller sc;
    float content_h;
} search_state;

static keyboard_layout layout_for(const char *lang)
{
    return !strcmp(lang, "ru") ? KEYBOARD_RU : !strcmp(lang, "en") ? KEYBOARD_EN : KEYBOARD_KK;
}

/* What is typed goes into the route (Back returns to it) and the session
 * (the search button reopens it until the idle reset). */
static void remember(ui *u, search_state *ss, route *r)
{
    ui_remember_query(u, keyboard_text_str(&ss->text));
    snprintf(r->query, sizeof r->query, "%s", keyboard_text_str(&ss->text));
}

/* Searches for what is typed, in the UI language first (store_find falls
 * back to the others, and corrects typos unless the citizen asked not to). */
static void find(ui *u, search_state *ss)
{
    uint64_t t0 = platform_now_us();
    unsigned flags = ss->exact ? STORE_FIND_EXACT : 0;
    ss->n_results = store_find(ui_store(u), ss->text.buf, ui_lang(u), flags, ss->results, SEARCH_MAX_RESULTS,
                               &ss->info);
    if (ss->n_results < 0) {
        ss->n_results = 0;
        memset(&ss->info, 0, sizeof ss->info);
    }
    ui_search_found(u, ss->n_results > 0);
    /* Never what was typed, at any log level: the log is read by others
     * (the journal, the fleet's reports), and the query is the citizen's. */
    platform_log(PLATFORM_LOG_DEBUG, "search: %d results in %.2f ms%s", ss->n_results,
                 (double)(platform_now_us() - t0) / 1000.0, ss->info.corrected[0] ? " (corrected)" : "");
    scroller_scroll_to(&ss->sc, 0, false, ui_now(u));
    ss->content_h = -1;
    ss->lay.valid = false;
    ui_invalidate(u);
}

/* The text changed: remember it and search, correcting typos again. */
static void run_search(ui *u, search_state *ss)
{
    ss->exact = false;
    remember(u, ss, ui_route(u));
    find(u, ss);
}

static void *search_enter(ui *u, route *r, char *err, size_t errcap)
{
    search_state *ss = ui_state_new(sizeof *ss, err, errcap);
    if (!ss)
        return NULL;
    keyboard_init(&ss->kb, layout_for(ui_lang(u)));
    /* A deep link's query, else what this person typed last (a result and
     * the search button bring them back to it, until the idle reset). */
    keyboard_text_set(&ss->text, r->query[0] ? r->query : ui_remembered_query(u));
    ss->kb_shown = true;
    scroller_init(&ss->sc, 0, 0);
    remember(u, ss, r);
    find(u, ss);
    return ss;
}

static const char *search_title(ui *u, void *state)
{
    (void)state;
    return ui_str(u, I18N_SEARCH);
}

static void draw_field(ui *u, search_state *ss, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    render_fill_rect(rc, r, r.h / 2, ui_color(t->color.surface));
    if (t->color.card_edge.a) /* high contrast: the field is as black as the bar */
        render_stroke_rect(rc, r, r.h / 2, theme_px(t, 2), ui_color(t->color.card_edge));
    int ic = r.h / 2, pad = r.h / 3;
    render_icon_draw(rc, RENDER_ICON_SEARCH, (SDL_Rect){r.x + pad, r.y + (r.h - ic) / 2, ic, ic},
                     ui_color(t->color.accent));
    int tx = r.x + pad + ic + theme_px(t, 10);
    int tw = r.w - (tx - r.x) - r.h - pad;
    int fs = t->font_bar * 6 / 5;
    int lh = render_line_height(rc, RENDER_FACE_REGULAR, fs);
    int ty = r.y + (r.h - lh) / 2;
    const char *text = keyboard_text_str(&ss->text);
    if (*text) {
        /* Show the end of a long query: that is where the typing happens. */
        const char *shown = text;
        while (*shown && render_text_width(rc, RENDER_FACE_REGULAR, fs, shown, strlen(shown)) > tw) {
            uint32_t cp;
            int n = utf8_decode(shown, strlen(shown), &cp);
            shown += n > 0 ? n : 1;
        }
        int w = render_text_width(rc, RENDER_FACE_REGULAR, fs, shown, strlen(shown));
        render_text(rc, RENDER_FACE_REGULAR, fs, shown, strlen(shown), tx, ty, ui_color(t->color.text));
        render_fill_rect(rc, (SDL_Rect){tx + w + theme_px(t, 2), ty + lh / 8, theme_px(t, 2), lh * 3 / 4}, 0,
                         ui_color(t->color.accent));
        SDL_Rect clear = {r.x + r.w - r.h, r.y, r.h, r.h};
        if (ui_is_pressed(u, clear, target_tap(SEARCH_CLEAR, 0)))
            render_fill_rect(rc, clear, r.h / 2, ui_color(t->color.surface_press));
        render_icon_draw(rc, RENDER_ICON_CLOSE, (SDL_Rect){clear.x + r.h / 3, clear.y + r.h / 3, r.h / 3, r.h / 3},
                         ui_color(t->color.text_muted));
        char said[TARGET_LABEL_MAX];
        snprintf(said, sizeof said, "%s: %s", ui_str(u, I18N_SEARCH), text);
        ui_add_target(u, (SDL_Rect){r.x, r.y, r.w - r.h, r.h}, target_tap(SEARCH_FIELD, 0), NULL, said);
        ui_add_target(u, clear, target_tap(SEARCH_CLEAR, 0), NULL, ui_str(u, I18N_CLEAR));
    } else {
        ui_text_draw(u, RENDER_FACE_REGULAR, fs, ui_str(u, I18N_SEARCH_PLACEHOLDER), tx, ty, tw, 1,
                      t->color.text_muted);
        ui_add_target(u, r, target_tap(SEARCH_FIELD, 0), NULL, ui_str(u, I18N_SEARCH_PLACEHOLDER));
    }
}

/* ---- laying the results out ------------------------------------------------- */

static int m_measure(void *ctx, layout_face face, int size, const char *text, size_t len)
{
    return render_text_width(ui_render(ctx), (render_face)face, size, text, len);
}

static int m_line_height(void *ctx, layout_face face, int size)
{
    return render_line_height(ui_render(ctx), (render_face)face, size);
}

/* Lays text out into at most max_lines lines of width w. Returns its height. */
static int lay_text(ui *u, text_lay *tl, render_face face, int size, const char *text, int w, int max_lines)
{
    layout_measurer me = {u, m_measure, m_line_height, NULL};
    int total = 0;
    int lines = layout_lines(&me, (layout_face)face, size, text, strlen(text), w, max_lines, tl->pc, SEARCH_PIECES,
                             &total);
    tl->n = total < SEARCH_PIECES ? total : SEARCH_PIECES;
    tl->face = face;
    tl->size = size;
    tl->line_h = render_line_height(ui_render(u), face, size);
    tl->h = lines * tl->line_h;
    return tl->h;
}

/* Geometry of a result card, the same for laying out and drawing. */
typedef struct {
    int pad, icon, tx, tw, gap;
} card_geom;

static card_geom card_geometry(const theme *t)
{
    card_geom g = {theme_px(t, 14), theme_px(t, 30), 0, 0, theme_px(t, 4)};
    g.tx = g.pad + g.icon + g.pad;
    g.tw = t->content_w - g.tx - g.pad;
    return g;
}

/* Adds a row at the bottom of the page; NULL when the rows are full. */
static search_row *add_row(search_layout *l, row_kind kind, int h)
{
    if (l->n_rows == SEARCH_MAX_ROWS)
        return NULL;
    search_row *r = &l->rows[l->n_rows++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->y = l->height;
    r->h = h;
    l->height += h;
    return r;
}

/* A message of at most `lines` lines, laid out for the content width. */
static void add_text(ui *u, search_layout *l, const char *text, render_face face, int size, int lines,
                     theme_color color, int space_after)
{
    search_row *r = add_row(l, ROW_TEXT, 0);
    if (!r)
        return;
    snprintf(r->text, sizeof r->text, "%s", text);
    r->h = lay_text(u, &r->lay, face, size, r->text, ui_theme(u)->content_w, lines);
    r->color = color;
    l->height += r->h + space_after;
}

/* "Where" under a result's title: the language first when it is not the
 * screen's (so a long item title never cuts it off), then the item a
 * clause or card is in. */
static void where_line(const store_result *res, char *out, size_t cap)
{
    const char *lang = res->other_lang ? i18n_name(ui_lang_of(res->lang)) : "";
    snprintf(out, cap, "%s%s%s", lang, res->item_title[0] && *lang ? " · " : "", res->item_title);
}

/* A result as one tappable line, its title only: above the keyboard of a
 * 480-pixel screen a full card would leave room for less than one. */
static void add_compact_result(ui *u, search_state *ss, search_row *r)
{
    const theme *t = ui_theme(u);
    card_geom g = card_geometry(t);
    const store_result *res = &ss->results[r->result];
    int title_h = lay_text(u, &r->title, RENDER_FACE_BOLD, t->font_body, res->title, g.tw, 1);
    /* 9 mm, not the roomier button height: one more row may fit. */
    r->h = title_h + g.pad > t->target_min ? title_h + g.pad : t->target_min;
    ss->lay.height += r->h + t->gap / 2;
}

static void add_result(ui *u, search_state *ss, int i)
{
    const theme *t = ui_theme(u);
    const store_result *res = &ss->results[i];
    card_geom g = card_geometry(t);
    search_row *r = add_row(&ss->lay, ROW_RESULT, 0);
    if (!r)
        return;
    r->result = i;
    if (ss->lay.compact) {
        add_compact_result(u, ss, r);
        return;
    }
    where_line(res, r->text, sizeof r->text);
    int title_h = lay_text(u, &r->title, RENDER_FACE_BOLD, t->font_h3, res->title, g.tw, SEARCH_TITLE_LINES);
    int where_h = lay_text(u, &r->lay, RENDER_FACE_REGULAR, t->font_small, r->text, g.tw, 1);
    int snippet_h = lay_text(u, &r->snippet, RENDER_FACE_REGULAR, t->font_body, res->snippet, g.tw,
                             SEARCH_SNIPPET_LINES);
    r->h = g.pad * 2 + title_h + (where_h ? g.gap + where_h : 0) + (snippet_h ? g.gap + snippet_h : 0);
    ss->lay.height += r->h + t->gap;
}

/* Nothing typed yet: what this screen is for. Nothing found: say so. */
static void lay_out_empty(ui *u, search_state *ss)
{
    const theme *t = ui_theme(u);
    search_layout *l = &ss->lay;
    char msg[SEARCH_LINE_MAX];
    if (ss->text.len == 0) {
        l->height += t->gap;
        add_text(u, l, ui_str(u, I18N_SEARCH_TITLE), RENDER_FACE_BOLD, t->font_h3, 2, t->color.text, theme_px(t, 4));
        add_text(u, l, ui_str(u, I18N_SEARCH_EXAMPLE), RENDER_FACE_REGULAR, t->font_body, 2, t->color.text_muted,
                 t->gap);
        return;
    }
    snprintf(msg, sizeof msg, ui_str(u, I18N_NO_RESULTS), ss->text.buf);
    add_text(u, l, msg, RENDER_FACE_BOLD, t->font_h3, 3, t->color.text, theme_px(t, 6));
    add_text(u, l, ui_str(u, I18N_NO_RESULTS_HINT), RENDER_FACE_REGULAR, t->font_body, 3, t->color.text_muted, t->gap);
}

/* "Showing results for …" and the way back to what was typed. */
static void lay_out_correction(ui *u, search_state *ss)
{
    const theme *t = ui_theme(u);
    char msg[SEARCH_LINE_MAX];
    snprintf(msg, sizeof msg, ui_str(u, I18N_SHOWING_RESULTS), ss->info.corrected);
    add_text(u, &ss->lay, msg, RENDER_FACE_BOLD, t->font_h3, 3, t->color.text, theme_px(t, 8));
    search_row *r = add_row(&ss->lay, ROW_ORIGINAL, t->target);
    if (r)
        snprintf(r->text, sizeof r->text, ui_str(u, I18N_SEARCH_INSTEAD), ss->text.buf);
    ss->lay.height += t->gap;
}

static void lay_out_rows(ui *u, search_state *ss)
{
    const theme *t = ui_theme(u);
    search_layout *l = &ss->lay;
    l->n_rows = 0;
    l->height = t->gap;
    l->valid = true;
    if (ss->n_results == 0) {
        lay_out_empty(u, ss);
        return;
    }
    /* Above the keyboard every pixel counts: a row more may fit. */
    if (l->compact)
        l->height = t->gap / 4;
    if (ss->info.corrected[0])
        lay_out_correction(u, ss);
    if (ss->info.other_langs)
        add_text(u, l, ui_str(u, I18N_OTHER_LANGS), RENDER_FACE_REGULAR, t->font_body, 3, t->color.text,
                 theme_px(t, 8));
    char head[64];
    snprintf(head, sizeof head, "%s · %d", ui_str(u, I18N_RESULTS), ss->n_results);
    if (!l->compact && !l->button)
        add_text(u, l, head, RENDER_FACE_BOLD, t->font_small, 1, t->color.text_muted, theme_px(t, 6));
    for (int i = 0; i < ss->n_results; i++)
        add_result(u, ss, i);
}

/* Lays the results out for a band band_h high. Results the band cannot
 * hold while the keyboard is up get the show button, which says how many
 * there are: without the "Results · N" line that would say it twice. */
static void lay_out(ui *u, search_state *ss, int band_h)
{
    ss->lay.button = false;
    lay_out_rows(u, ss);
    if (ss->kb_shown && ss->n_results > 0 && ss->lay.height > band_h) {
        ss->lay.button = true;
        lay_out_rows(u, ss);
    }
}

/* ---- drawing the laid-out results ------------------------------------------- */

/* The soft marker under the part of a word (text[off, off+len), drawn at
 * x) that a highlight covers: the word itself, never the punctuation the
 * line breaking kept with it ("«Қазақстан»," marks Қазақстан). */
static void mark_piece(ui *u, const text_lay *tl, const char *text, const layout_piece *p, const store_range *hl,
                       int n_hl, int x, int y)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    for (int i = 0; i < n_hl; i++) {
        size_t s = hl[i].start, e = s + hl[i].len;
        if (e <= p->off || s >= p->off + p->len)
            continue;
        if (s < p->off)
            s = p->off;
        if (e > p->off + p->len)
            e = p->off + p->len;
        int x0 = x + render_text_width(rc, tl->face, tl->size, text + p->off, s - p->off);
        int x1 = x + render_text_width(rc, tl->face, tl->size, text + p->off, e - p->off);
        render_fill_rect(rc, (SDL_Rect){x0 - 2, y, x1 - x0 + 4, tl->line_h}, theme_px(t, 4),
                         ui_color(t->color.highlight));
    }
}

/* Draws a laid-out text at (x, y), the highlighted ranges marked. */
static void draw_text(ui *u, const text_lay *tl, const char *text, const store_range *hl, int n_hl, int x, int y,
                      theme_color color)
{
    render *rc = ui_render(u);
    for (int i = 0; i < tl->n; i++) {
        const layout_piece *p = &tl->pc[i];
        int px = x + p->x, py = y + p->line * tl->line_h;
        mark_piece(u, tl, text, p, hl, n_hl, px, py);
        render_text(rc, tl->face, tl->size, text + p->off, p->len, px, py, ui_color(color));
        const char *tail = layout_piece_tail(p);
        if (tail)
            render_text(rc, tl->face, tl->size, tail, strlen(tail), px + p->w, py, ui_color(color));
    }
}

/* True when the layout cut tl's text with "…". */
static bool was_cut(const text_lay *tl)
{
    return tl->n > 0 && tl->pc[tl->n - 1].ellipsis;
}

/* Notes a preview that the layout cut (ui_check_layout counts them apart). */
static void note_preview(ui *u, const text_lay *tl)
{
    if (was_cut(tl))
        ui_preview_was_cut(u);
}

static void draw_result(ui *u, const search_state *ss, const search_row *row, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    const store_result *res = &ss->results[row->result];
    card_geom g = card_geometry(t);
    target_id id = target_link(SEARCH_RESULT, row->result);
    ui_card(u, r, ui_is_pressed(u, r, id));
    int icon_y = ss->lay.compact ? r.y + (r.h - g.icon) / 2 : r.y + g.pad;
    render_icon_draw(ui_render(u), ui_kind_icon(res->kind), (SDL_Rect){r.x + g.pad, icon_y, g.icon, g.icon},
                     ui_color(t->color.accent));
    if (ss->lay.compact) {
        /* One line while typing: the card the results get after "N
         * results – show" (or Done, or a scroll) has the title whole. */
        draw_text(u, &row->title, res->title, res->title_hl, res->n_title_hl, r.x + g.tx,
                  r.y + (r.h - row->title.h) / 2, t->color.text);
        note_preview(u, &row->title);
        ui_add_target(u, r, id, res->route, res->title);
        return;
    }
    int x = r.x + g.tx, y = r.y + g.pad;
    draw_text(u, &row->title, res->title, res->title_hl, res->n_title_hl, x, y, t->color.text);
    /* A card's title is meant whole; the "where" line and the snippet are
     * previews of the page the card opens. */
    if (was_cut(&row->title))
        ui_text_was_cut(u, res->title);
    y += row->title.h;
    if (row->lay.h) {
        draw_text(u, &row->lay, row->text, NULL, 0, x, y + g.gap, t->color.text_muted);
        note_preview(u, &row->lay);
        y += g.gap + row->lay.h;
    }
    if (row->snippet.h) {
        draw_text(u, &row->snippet, res->snippet, res->snippet_hl, res->n_snippet_hl, x, y + g.gap,
                  t->color.text_muted);
        note_preview(u, &row->snippet);
    }
    ui_add_target(u, r, id, res->route, res->title);
}

/* The button back to what was typed: as wide as its label, at most the column. */
static void draw_original(ui *u, const search_row *row, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    int w = render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, row->text, strlen(row->text)) +
            t->target + theme_px(t, 40);
    r.w = w < r.w ? w : r.w;
    ui_button(u, r, row->text, RENDER_ICON_SEARCH, UI_BUTTON_PLAIN, target_tap(SEARCH_ORIGINAL, 0), "@search-original");
}

/* Draws the rows that show in the band, the page scrolled up by off. */
static void draw_results(ui *u, search_state *ss, SDL_Rect band, int off)
{
    const theme *t = ui_theme(u);
    for (int i = 0; i < ss->lay.n_rows; i++) {
        const search_row *row = &ss->lay.rows[i];
        SDL_Rect r = {t->content_x, band.y + row->y - off, t->content_w, row->h};
        if (r.y + r.h < band.y || r.y > band.y + band.h)
            continue;
        switch (row->kind) {
        case ROW_TEXT: /* a message is meant whole */
            draw_text(u, &row->lay, row->text, NULL, 0, r.x, r.y, row->color);
            if (was_cut(&row->lay))
                ui_text_was_cut(u, row->text);
            break;
        case ROW_ORIGINAL:
            draw_original(u, row, r);
            break;
        case ROW_RESULT:
            draw_result(u, ss, row, r);
            break;
        }
    }
}

/* What speech mode says for a key: its letter (as it would type it), or
 * the name of what it does. */
static const char *key_name(ui *u, const search_state *ss, const keyboard_key *k)
{
    switch (k->kind) {
    case KEYBOARD_KEY_SHIFT:
        return ui_str(u, I18N_KEY_SHIFT);
    case KEYBOARD_KEY_BACKSPACE:
        return ui_str(u, I18N_KEY_BACKSPACE);
    case KEYBOARD_KEY_SPACE:
        return ui_str(u, I18N_KEY_SPACE);
    case KEYBOARD_KEY_LAYOUT:
        return ui_str(u, I18N_KEY_LAYOUT);
    case KEYBOARD_KEY_CLEAR:
        return ui_str(u, I18N_CLEAR);
    case KEYBOARD_KEY_DONE:
        return ui_str(u, I18N_DONE);
    default:
        return !strcmp(k->text, "-") ? ui_str(u, I18N_KEY_HYPHEN) : keyboard_key_label(&ss->kb, k);
    }
}

/* The largest size up to want whose line fits the shortest key. */
static int key_font(ui *u, const search_state *ss, int want)
{
    int key_h = ss->kb.keys[0].rect.h;
    for (int i = 1; i < ss->kb.key_count; i++)
        if (ss->kb.keys[i].rect.h < key_h)
            key_h = ss->kb.keys[i].rect.h;
    while (want > 8 && render_line_height(ui_render(u), RENDER_FACE_BOLD, want) > key_h)
        want--;
    return want;
}

static void draw_keyboard(ui *u, search_state *ss)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    SDL_Rect bg = {0, ss->kb_area.y - t->gap, ui_width(u), ui_height(u) - ss->kb_area.y + t->gap};
    render_fill_rect(rc, bg, 0, ui_color(t->color.divider));
    /* Letters as large as the text size asks, within the key: at the
     * largest text a key of the 7" screen holds a 30 px letter, its
     * descender included. */
    int font = key_font(u, ss, t->font_key), small_font = key_font(u, ss, t->font_bar);
    for (int i = 0; i < ss->kb.key_count; i++) {
        const keyboard_key *k = &ss->kb.keys[i];
        SDL_Rect r = {k->rect.x, k->rect.y, k->rect.w, k->rect.h};
        SDL_Rect cell = {k->cell.x, k->cell.y, k->cell.w, k->cell.h};
        bool special = k->kind != KEYBOARD_KEY_CHAR && k->kind != KEYBOARD_KEY_SPACE;
        /* Shift on and Done stand out: Done is how the results get the screen. */
        bool active = (k->kind == KEYBOARD_KEY_SHIFT && ss->kb.letter_case != KEYBOARD_LOWER) ||
                      k->kind == KEYBOARD_KEY_DONE;
        theme_color c = active ? t->color.accent : special ? t->color.key_special : t->color.key;
        if (ui_is_pressed(u, cell, target_tap(SEARCH_KEY, i)))
            c = t->color.surface_press;
        render_fill_rect(rc, r, theme_px(t, 6), ui_color(c));
        theme_color fg = active ? t->color.surface : t->color.text;
        const char *label = NULL;
        switch (k->kind) {
        case KEYBOARD_KEY_BACKSPACE:
        case KEYBOARD_KEY_SHIFT: {
            /* Noto Sans has no ⇧ or ⌫: drawn icons. */
            render_icon icon = k->kind == KEYBOARD_KEY_BACKSPACE    ? RENDER_ICON_BACKSPACE
                               : ss->kb.letter_case == KEYBOARD_CAPS ? RENDER_ICON_CAPS_LOCK
                                                                     : RENDER_ICON_SHIFT;
            int s = r.h / 2;
            render_icon_draw(rc, icon, (SDL_Rect){r.x + (r.w - s) / 2, r.y + (r.h - s) / 2, s, s}, ui_color(fg));
            break;
        }
        case KEYBOARD_KEY_CLEAR:
            label = ui_str(u, I18N_CLEAR);
            break;
        case KEYBOARD_KEY_DONE:
            label = ui_str(u, I18N_DONE);
            break;
        case KEYBOARD_KEY_SPACE:
            /* Like a phone: the space bar names the keyboard's language. */
            label = i18n_name(ss->kb.layout == KEYBOARD_RU ? I18N_RU : ss->kb.layout == KEYBOARD_EN ? I18N_EN : I18N_KK);
            fg = t->color.text_muted;
            break;
        default:
            label = keyboard_key_label(&ss->kb, k);
            break;
        }
        if (label && *label) {
            int f = special || k->kind == KEYBOARD_KEY_SPACE ? small_font : font;
            render_face face = special ? RENDER_FACE_BOLD : RENDER_FACE_REGULAR;
            int lw = render_text_width(rc, face, f, label, strlen(label));
            /* A word too long for its key is set smaller, never cut. */
            while (f > 8 && lw > r.w - theme_px(t, 8))
                lw = render_text_width(rc, face, --f, label, strlen(label));
            int lh = render_line_height(rc, face, f);
            if (lw > r.w - 4)
                ui_text_draw(u, face, f, label, r.x + 2, r.y + (r.h - lh) / 2, r.w - 4, 1, fg);
            else
                render_text(rc, face, f, label, strlen(label), r.x + (r.w - lw) / 2, r.y + (r.h - lh) / 2, ui_color(fg));
        }
        /* The whole cell is the target: gaps between keys never swallow a tap. */
        ui_add_target(u, cell, target_tap(SEARCH_KEY, i), NULL, key_name(u, ss, k));
    }
}

/* Lays the keyboard out along the bottom of the area; the rest is results. */
static void place_keyboard(ui *u, search_state *ss, SDL_Rect area)
{
    const theme *t = ui_theme(u);
    int gap = theme_px(t, 5);
    /* Every cell (what a finger hits) at least 9 mm: the keys themselves
     * are a gap smaller. Larger text asks for larger keys, up to what
     * still leaves the results a band. */
    int min_key = t->target_min - gap;
    int mw, mh;
    keyboard_min_size(min_key, gap, &mw, &mh);
    int kw = ui_width(u) - 2 * theme_px(t, 6);
    if (kw > theme_px(t, 1000 * t->control_scale))
        kw = theme_px(t, 1000 * t->control_scale);
    int kh = area.h * 52 / 100;
    if (kh > theme_px(t, 340 * t->control_scale))
        kh = theme_px(t, 340 * t->control_scale);
    if (kh < mh)
        kh = mh;
    if (kw < mw)
        kw = mw;
    SDL_Rect r = {(ui_width(u) - kw) / 2, area.y + area.h - kh - theme_px(t, 6), kw, kh};
    if (r.x != ss->kb_area.x || r.y != ss->kb_area.y || r.w != ss->kb_area.w || r.h != ss->kb_area.h ||
        ss->kb.key_count == 0) {
        ss->kb_area = r;
        keyboard_rect kr = {r.x, r.y, r.w, r.h};
        if (!keyboard_layout_keys(&ss->kb, kr, min_key, gap))
            keyboard_layout_keys(&ss->kb, kr, 1, gap);
    }
}

static void search_bar(ui *u, void *state, SDL_Rect rect)
{
    /* The field lives in the top bar: on a 480-pixel screen the keyboard
     * needs the height a separate field row would take from the results. */
    draw_field(u, state, rect);
}

/* The keyboard goes; the results get the screen (laid out again: the
 * show button goes too). */
static void hide_keyboard(ui *u, search_state *ss)
{
    ss->kb_shown = false;
    ss->content_h = -1;
    ss->lay.valid = false;
    ui_invalidate(u);
}

/* The keyboard comes back over the results. */
static void show_keyboard(ui *u, search_state *ss)
{
    ss->kb_shown = true;
    ss->content_h = -1;
    ss->lay.valid = false;
    ui_invalidate(u);
}

/* "3 results – show", in the count's plural form. */
static void show_label(ui *u, const search_state *ss, char *out, size_t cap)
{
    static const i18n_id forms[I18N_PLURAL_COUNT] = {I18N_RESULTS_SHOW_ONE, I18N_RESULTS_SHOW_FEW,
                                                    I18N_RESULTS_SHOW_MANY};
    i18n_lang lang = ui_lang_of(ui_lang(u));
    snprintf(out, cap, ui_str(u, forms[i18n_plural(lang, ss->n_results)]), ss->n_results);
}

/* Results the band above the keyboard cannot hold (one of them, at the
 * largest text on the 7" panel): a button at the band's top says how many
 * there are and gives them the screen. Scrolling them does the same, but
 * only for someone who knows that a list under a keyboard scrolls.
 * Returns the height it took from the band. */
static int draw_show_button(ui *u, search_state *ss, SDL_Rect band)
{
    const theme *t = ui_theme(u);
    if (!ss->lay.button)
        return 0;
    char label[96];
    show_label(u, ss, label, sizeof label);
    int w = render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, label, strlen(label)) + t->target +
            theme_px(t, 40);
    w = w < t->content_w ? w : t->content_w;
    /* One line, 9 mm high (not the roomier button height): at the normal
     * text size on the 7" panel that leaves the first result a row. */
    int h = render_line_height(ui_render(u), RENDER_FACE_BOLD, t->font_bar) + theme_px(t, 12);
    h = h > t->target_min ? h : t->target_min;
    ui_button(u, (SDL_Rect){t->content_x, band.y + t->gap / 4, w, h}, label, RENDER_ICON_CHEVRON_RIGHT,
              UI_BUTTON_PRIMARY | UI_BUTTON_ICON_AFTER, target_tap(SEARCH_SHOW, 0), "@search-show");
    return t->gap / 4 + h;
}

/* The results, scrolled, in the band (their targets kept inside it). */
static void draw_band(ui *u, search_state *ss, SDL_Rect band)
{
    render *rc = ui_render(u);
    ui_scroll_size(&ss->sc, &ss->content_h, (float)ss->lay.height, (float)band.h);
    render_clip(rc, &band);
    int mark = ui_target_count(u);
    draw_results(u, ss, band, (int)scroller_offset(&ss->sc));
    ui_scrollbar(u, band, &ss->sc);
    render_clip(rc, NULL);
    ui_targets_clip(u, mark, band);
}

static void search_draw(ui *u, void *state, SDL_Rect area)
{
    search_state *ss = state;
    const theme *t = ui_theme(u);
    SDL_Rect results = {0, area.y, ui_width(u), 0};
    int bottom = area.y + area.h;
    if (ss->kb_shown) {
        place_keyboard(u, ss, area);
        bottom = ss->kb_area.y - t->gap;
    }
    results.h = bottom - results.y;
    /* Fewer than three keys' height left for results: one line each, so
     * several still show while typing. "N results – show", Done or a
     * scroll gives them the screen. */
    bool compact = ss->kb_shown && results.h < 3 * t->target;
    if (compact != ss->lay.compact) {
        ss->lay.compact = compact;
        ss->lay.valid = false;
    }
    if (!ss->lay.valid)
        lay_out(u, ss, results.h);
    int taken = draw_show_button(u, ss, results);
    results.y += taken;
    results.h -= taken;
    /* Under the button, a band lower than a row would show a sliver of a
     * card: noise to someone who sees poorly, and nothing to tap. */
    if (!taken || results.h >= t->target_min)
        draw_band(u, ss, results);
    if (ss->kb_shown)
        draw_keyboard(u, ss);
}

static void press_key(ui *u, search_state *ss, int index)
{
    if (index < 0 || index >= ss->kb.key_count)
        return;
    keyboard_action a = keyboard_press(&ss->kb, &ss->kb.keys[index], &ss->text);
    if (a == KEYBOARD_ACTION_TEXT)
        run_search(u, ss);
    else if (a == KEYBOARD_ACTION_DONE)
        hide_keyboard(u, ss);
    ui_invalidate(u);
}

static void search_tap(ui *u, void *state, target_id id)
{
    search_state *ss = state;
    switch ((search_target)id.kind) {
    case SEARCH_FIELD:
        show_keyboard(u, ss);
        break;
    case SEARCH_CLEAR:
        keyboard_text_clear(&ss->text);
        show_keyboard(u, ss);
        run_search(u, ss);
        break;
    case SEARCH_ORIGINAL:
        /* What was typed, as typed: the same text, no correction. */
        ss->exact = true;
        find(u, ss);
        break;
    case SEARCH_KEY:
        press_key(u, ss, id.index);
        break;
    case SEARCH_SHOW: /* the first result first: the button stood above it */
        hide_keyboard(u, ss);
        scroller_scroll_to(&ss->sc, 0, false, ui_now(u));
        break;
    case SEARCH_RESULT: /* a link: the ui follows it */
        break;
    }
    ui_invalidate(u);
}

/* Backspace and Return on a plugged-in keyboard: Return hides the
 * on-screen keyboard, as its Done key does. */
static void search_key(ui *u, void *state, ui_edit_key key)
{
    search_state *ss = state;
    if (key == UI_KEY_BACKSPACE) {
        if (keyboard_text_backspace(&ss->text))
            run_search(u, ss);
    } else if (key == UI_KEY_RETURN) {
        hide_keyboard(u, ss);
    }
    ui_invalidate(u);
}

/* A drag up or down that starts on the results hides the keyboard, as on a
 * phone: on the 7" panel it leaves room for two results, and someone who
 * scrolls is reading them, not typing. A tap on the field brings it back. */
static void search_gesture(ui *u, void *state, const gesture_event *e)
{
    search_state *ss = state;
    if (e->kind == GESTURE_DRAG_START && e->axis == GESTURE_AXIS_Y && ss->kb_shown && ss->n_results > 0 &&
        e->y - e->dy < (float)ss->kb_area.y)
        hide_keyboard(u, ss);
    ui_scroll_gesture(u, &ss->sc, e);
}

static bool search_tick(ui *u, void *state, uint32_t now)
{
    search_state *ss = state;
    return scroller_step(&ss->sc, now) || scroller_is_animating(&ss->sc);
}

/* Text typed on a plugged-in keyboard joins what is typed, when it fits
 * whole. */
static void search_text(ui *u, void *state, const char *utf8)
{
    search_state *ss = state;
    if (ss->text.len + strlen(utf8) <= UI_SEARCH_MAX && keyboard_text_append(&ss->text, utf8))
        run_search(u, ss);
}

static void search_relayout(ui *u, void *state)
{
    search_state *ss = state;
    keyboard_layout want = layout_for(ui_lang(u));
    if (ss->kb.layout != want)
        keyboard_set_layout(&ss->kb, want);
    ss->kb.key_count = 0; /* lay out again at the new size */
    ss->content_h = -1;
    /* Another language searches again (results in it first); the same
     * search keeps the citizen's choice of what they typed. */
    find(u, ss);
}

/* For scripts: the key to tap for ch (the layout key or Shift first when
 * ch is not on the keys shown), or the field while the keyboard is hidden. */
static int search_locate(ui *u, void *state, const char *ch, float *x, float *y, bool *done)
{
    search_state *ss = state;
    *done = false;
    if (!ss->kb_shown || ss->kb.key_count == 0) {
        *x = (float)ui_width(u) / 2; /* the field, in the top bar */
        *y = (float)ui_theme(u)->bar_h / 2;
        return 0;
    }
    const keyboard_key *want = NULL, *shift = NULL, *layout = NULL;
    bool upper = false;
    for (int i = 0; i < ss->kb.key_count; i++) {
        const keyboard_key *k = &ss->kb.keys[i];
        if (k->kind == KEYBOARD_KEY_SHIFT)
            shift = k;
        else if (k->kind == KEYBOARD_KEY_LAYOUT)
            layout = k;
        else if (k->kind == KEYBOARD_KEY_SPACE && !strcmp(ch, " "))
            want = k;
        else if (k->kind == KEYBOARD_KEY_CHAR && !strcmp(k->text, ch))
            want = k;
        else if (k->kind == KEYBOARD_KEY_CHAR && strcmp(keyboard_upper(k->text), k->text) != 0 &&
                 !strcmp(keyboard_upper(k->text), ch))
            want = k, upper = true;
    }
    const keyboard_key *k = want;
    if (want && upper != (ss->kb.letter_case != KEYBOARD_LOWER))
        k = shift;
    else if (!want)
        k = layout;
    if (!k)
        return -1;
    *done = k == want;
    *x = (float)k->cell.x + (float)k->cell.w / 2;
    *y = (float)k->cell.y + (float)k->cell.h / 2;
    return 0;
}

const view_ops view_search = {
    .name = "search",
    .enter = search_enter,
    .leave = free,
    .draw = search_draw,
    .title = search_title,
    .gesture = search_gesture,
    .tap = search_tap,
    .key = search_key,
    .text = search_text,
    .locate = search_locate,
    .tick = search_tick,
    .relayout = search_relayout,
    .bar_center = search_bar,
};
