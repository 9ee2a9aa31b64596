/* Search: an on-screen keyboard (Kazakh, Russian, Latin), results as you
 * type with the matching words highlighted, and a useful suggestion when
 * nothing matches. No physical keyboard is needed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyboard.h"
#include "platform.h"
#include "ui_view.h"
#include "utf8.h"

#define SEARCH_MAX_HITS 30
/* A shortened word is offered as a suggestion down to this many letters. */
#define SEARCH_MIN_STEM 3

/* What can be tapped on the search screen. */
typedef enum {
    SEARCH_FIELD,      /* the field in the bar: shows the keyboard */
    SEARCH_CLEAR,      /* the field's clear button */
    SEARCH_SUGGESTION, /* "try this shorter word" */
    SEARCH_KEY,        /* index: the keyboard's key */
    SEARCH_RESULT,     /* a link to the item */
} search_target;

typedef struct {
    keyboard kb;
    keyboard_text text;
    bool kb_shown;
    SDL_Rect kb_area;          /* where the keys were laid out */
    store_hit hits[SEARCH_MAX_HITS];
    int n_hits;
    bool other_langs;          /* hits come from other languages */
    char suggestion[UI_SEARCH_MAX + 1];
    scroller sc;
    float content_h;
} search_state;

static keyboard_layout layout_for(const char *lang)
{
    return !strcmp(lang, "ru") ? KEYBOARD_RU : !strcmp(lang, "en") ? KEYBOARD_EN : KEYBOARD_KK;
}

/* The longest word of text shortened by one letter at a time until it finds
 * something; "" when nothing does. */
static void find_suggestion(ui *u, search_state *ss)
{
    ss->suggestion[0] = '\0';
    char word[UI_SEARCH_MAX + 1] = "";
    const char *p = ss->text.buf;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n > strlen(word) && n < sizeof word) {
            memcpy(word, p, n);
            word[n] = '\0';
        }
        p += n;
    }
    store_hit probe[1];
    for (;;) {
        size_t n = strlen(word), letters = utf8_count(word, n);
        if (letters <= SEARCH_MIN_STEM)
            return;
        word[utf8_prev(word, n)] = '\0'; /* one letter shorter */
        if (store_search(ui_store(u), word, NULL, probe, 1) > 0) {
            snprintf(ss->suggestion, sizeof ss->suggestion, "%s", word);
            return;
        }
    }
}

/* What is typed goes into the route (Back returns to it) and the session
 * (the search button reopens it until the idle reset). */
static void remember(ui *u, search_state *ss, route *r)
{
    ui_remember_query(u, keyboard_text_str(&ss->text));
    snprintf(r->query, sizeof r->query, "%s", keyboard_text_str(&ss->text));
}

/* Searches for what is typed, in the UI language first. */
static void find(ui *u, search_state *ss)
{
    uint64_t t0 = platform_now_us();
    ss->other_langs = false;
    ss->n_hits = store_search(ui_store(u), ss->text.buf, ui_lang(u), ss->hits, SEARCH_MAX_HITS);
    if (ss->n_hits == 0) {
        ss->n_hits = store_search(ui_store(u), ss->text.buf, NULL, ss->hits, SEARCH_MAX_HITS);
        ss->other_langs = ss->n_hits > 0;
    }
    if (ss->n_hits < 0)
        ss->n_hits = 0;
    ss->suggestion[0] = '\0';
    if (ss->n_hits == 0 && ss->text.len > 0)
        find_suggestion(u, ss);
    platform_log(PLATFORM_LOG_DEBUG, "search '%s': %d hits in %.2f ms", ss->text.buf, ss->n_hits,
                 (double)(platform_now_us() - t0) / 1000.0);
    scroller_scroll_to(&ss->sc, 0, false, ui_now(u));
    ss->content_h = -1;
    ui_invalidate(u);
}

/* The text changed: remember it and search. */
static void run_search(ui *u, search_state *ss)
{
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
        ui_add_target(u, (SDL_Rect){r.x, r.y, r.w - r.h, r.h}, target_tap(SEARCH_FIELD, 0), NULL);
        ui_add_target(u, clear, target_tap(SEARCH_CLEAR, 0), NULL);
    } else {
        ui_text_block(u, RENDER_FACE_REGULAR, fs, ui_str(u, I18N_SEARCH_PLACEHOLDER), tx, ty, tw, 1,
                      t->color.text_muted, true);
        ui_add_target(u, r, target_tap(SEARCH_FIELD, 0), NULL);
    }
}

static int draw_hit(ui *u, const store_hit *h, int x, int y, int w, bool draw)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int pad = theme_px(t, 14), icon = theme_px(t, 30);
    int tx = x + pad + icon + pad, tw = w - (tx - x) - pad;
    int lh_t = render_line_height(rc, RENDER_FACE_BOLD, t->font_h3);
    int lh_s = render_line_height(rc, RENDER_FACE_REGULAR, t->font_body);
    int hgt = pad * 2 + lh_t + (h->snippet[0] ? theme_px(t, 4) + 2 * lh_s : 0);
    if (!draw)
        return hgt;
    char route_str[ROUTE_STRING_MAX + 1];
    snprintf(route_str, sizeof route_str, "item/%s", h->item_id);
    SDL_Rect r = {x, y, w, hgt};
    ui_card(u, r, ui_is_pressed(u, r, target_link(SEARCH_RESULT, 0)));
    render_icon_draw(rc, ui_kind_icon(h->kind), (SDL_Rect){x + pad, y + pad, icon, icon}, ui_color(t->color.accent));
    ui_text_highlighted(u, RENDER_FACE_BOLD, t->font_h3, h->title, h->title_hl, h->n_title_hl, tx, y + pad, tw, 1,
                        t->color.text);
    if (h->snippet[0])
        ui_text_highlighted(u, RENDER_FACE_REGULAR, t->font_body, h->snippet, h->snippet_hl, h->n_snippet_hl, tx,
                            y + pad + lh_t + theme_px(t, 4), tw, 2, t->color.text_muted);
    ui_add_target(u, r, target_link(SEARCH_RESULT, 0), route_str);
    return hgt;
}

static int results_page(ui *u, search_state *ss, SDL_Rect area, int off, bool draw)
{
    const theme *t = ui_theme(u);
    int x = t->content_x, w = t->content_w, y = area.y + t->gap - off, top = y;
    if (ss->text.len == 0) {
        /* Nothing typed yet: say what this screen is for. */
        y += t->gap;
        y += ui_text_block(u, RENDER_FACE_BOLD, t->font_h3, ui_str(u, I18N_SEARCH_TITLE), x, y, w, 2, t->color.text,
                           draw) +
             theme_px(t, 4);
        y += ui_text_block(u, RENDER_FACE_REGULAR, t->font_body, ui_str(u, I18N_SEARCH_EXAMPLE), x, y, w, 2,
                           t->color.text_muted, draw);
        return y - top + t->gap;
    }
    if (ss->n_hits == 0) {
        char msg[UI_SEARCH_MAX + 128];
        snprintf(msg, sizeof msg, ui_str(u, I18N_NO_RESULTS), ss->text.buf);
        y += ui_text_block(u, RENDER_FACE_BOLD, t->font_h3, msg, x, y, w, 3, t->color.text, draw) + theme_px(t, 6);
        y += ui_text_block(u, RENDER_FACE_REGULAR, t->font_body, ui_str(u, I18N_NO_RESULTS_HINT), x, y, w, 3,
                           t->color.text_muted, draw);
        if (ss->suggestion[0]) {
            y += t->gap;
            if (draw) {
                char label[UI_SEARCH_MAX + 8];
                snprintf(label, sizeof label, "%s…", ss->suggestion);
                int bw = render_text_width(ui_render(u), RENDER_FACE_BOLD, t->font_bar, label, strlen(label)) + t->target + theme_px(t, 40);
                if (bw > w)
                    bw = w;
                ui_button(u, (SDL_Rect){x, y, bw, t->target}, label, RENDER_ICON_SEARCH, UI_BUTTON_PLAIN,
                          target_tap(SEARCH_SUGGESTION, 0), NULL);
            }
            y += t->target;
        }
        return y - top + t->gap;
    }
    char head[64];
    snprintf(head, sizeof head, "%s · %d", ui_str(u, I18N_RESULTS), ss->n_hits);
    y += ui_text_block(u, RENDER_FACE_BOLD, t->font_small, head, x, y, w, 1, t->color.text_muted, draw) + theme_px(t, 6);
    for (int i = 0; i < ss->n_hits; i++)
        y += draw_hit(u, &ss->hits[i], x, y, w, draw) + t->gap;
    return y - top;
}

static void draw_keyboard(ui *u, search_state *ss)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    SDL_Rect bg = {0, ss->kb_area.y - t->gap, ui_width(u), ui_height(u) - ss->kb_area.y + t->gap};
    render_fill_rect(rc, bg, 0, ui_color(t->color.divider));
    int font = t->font_title;
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
        case KEYBOARD_KEY_BACKSPACE: {
            int s = r.h / 2;
            render_icon_draw(rc, RENDER_ICON_BACKSPACE, (SDL_Rect){r.x + (r.w - s) / 2, r.y + (r.h - s) / 2, s, s},
                             ui_color(fg));
            break;
        }
        case KEYBOARD_KEY_SHIFT:
            /* Noto Sans has no ⇧: a capital letter says "capitals" as well. */
            label = ss->kb.letter_case == KEYBOARD_CAPS ? "AA" : "A";
            break;
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
            int f = special || k->kind == KEYBOARD_KEY_SPACE ? t->font_bar : font;
            render_face face = special ? RENDER_FACE_BOLD : RENDER_FACE_REGULAR;
            int lw = render_text_width(rc, face, f, label, strlen(label));
            int lh = render_line_height(rc, face, f);
            if (lw > r.w - 4)
                ui_text_block(u, face, f, label, r.x + 2, r.y + (r.h - lh) / 2, r.w - 4, 1, fg, true);
            else
                render_text(rc, face, f, label, strlen(label), r.x + (r.w - lw) / 2, r.y + (r.h - lh) / 2, ui_color(fg));
        }
        /* The whole cell is the target: gaps between keys never swallow a tap. */
        ui_add_target(u, cell, target_tap(SEARCH_KEY, i), NULL);
    }
}

/* Lays the keyboard out along the bottom of the area; the rest is results. */
static void place_keyboard(ui *u, search_state *ss, SDL_Rect area)
{
    const theme *t = ui_theme(u);
    int gap = theme_px(t, 5);
    int min_key = t->target * 3 / 4;
    int mw, mh;
    keyboard_min_size(min_key, gap, &mw, &mh);
    int kw = ui_width(u) - 2 * theme_px(t, 6);
    if (kw > theme_px(t, 1000))
        kw = theme_px(t, 1000);
    int kh = area.h * 52 / 100;
    if (kh > theme_px(t, 340))
        kh = theme_px(t, 340);
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

static void search_draw(ui *u, void *state, SDL_Rect area)
{
    search_state *ss = state;
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    SDL_Rect results = {0, area.y, ui_width(u), 0};
    int bottom = area.y + area.h;
    if (ss->kb_shown) {
        place_keyboard(u, ss, area);
        bottom = ss->kb_area.y - t->gap;
    }
    results.h = bottom - results.y;
    int h = results_page(u, ss, results, 0, false);
    ui_scroll_size(&ss->sc, &ss->content_h, (float)h, (float)results.h);
    render_clip(rc, &results);
    int mark = ui_target_count(u);
    results_page(u, ss, results, (int)scroller_offset(&ss->sc), true);
    ui_scrollbar(u, results, &ss->sc);
    render_clip(rc, NULL);
    /* Keep result targets inside the visible band. */
    ui_targets_clip(u, mark, results);
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
        ss->kb_shown = false;
    ui_invalidate(u);
}

static void search_tap(ui *u, void *state, target_id id)
{
    search_state *ss = state;
    switch ((search_target)id.kind) {
    case SEARCH_FIELD:
        ss->kb_shown = true;
        ss->content_h = -1;
        break;
    case SEARCH_CLEAR:
        keyboard_text_clear(&ss->text);
        ss->kb_shown = true;
        run_search(u, ss);
        break;
    case SEARCH_SUGGESTION:
        keyboard_text_set(&ss->text, ss->suggestion);
        run_search(u, ss);
        break;
    case SEARCH_KEY:
        press_key(u, ss, id.index);
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
        ss->kb_shown = false;
        ss->content_h = -1;
    }
    ui_invalidate(u);
}

static void search_gesture(ui *u, void *state, const gesture_event *e)
{
    search_state *ss = state;
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
    run_search(u, ss);
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
