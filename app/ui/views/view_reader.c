/* The reader: an item's rich text (headings, paragraphs, emphasis, lists,
 * quotes, images, links) with kinetic scrolling and a scroll indicator.
 * A document (the Constitution) opens on its table of contents; an anchor
 * opens the article (or section) that holds it, scrolled to the clause,
 * which flashes briefly so the eye finds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "layout_read.h"
#include "platform.h"
#include "utf8.h"
#include "ui_view.h"

/* The clause reached through a link glows this long. */
#define READER_FLASH_MS 1800u
#define READER_MAX_ANCHORS 512
#define READER_MAX_IMAGES 32
/* The reader's tag for what it reads aloud (ui_speaking). */
#define READER_VOICE_ID 1u

/* What can be tapped in the reader; every one is a link. */
typedef enum {
    READER_LINK,      /* a link in the text; index: the document's link */
    READER_TOC_ROW,   /* a row of a document's table of contents */
    READER_PREV_PAGE, /* a document's previous article */
    READER_NEXT_PAGE, /* and its next */
    READER_LISTEN,    /* the speaker: read aloud from here, or stop */
    READER_CONTENTS,  /* an article's way back to its document's contents */
} reader_target;

typedef struct {
    store_item item;
    store_text text;
    bool has_text;
    content_doc *doc;
    layout_page *page;
    size_t first_block, n_blocks; /* the part of doc shown */
    bool toc;                     /* a document's table of contents */
    char anchor[ROUTE_ID_MAX + 1];/* the anchor the route named */
    char page_anchor[ROUTE_ID_MAX + 1]; /* the section/article shown */
    store_anchor *anchors;        /* the document's named places */
    int n_anchors;
    int prev_page, next_page;     /* indexes into anchors, or -1 */
    store_asset images[READER_MAX_IMAGES];
    bool image_loaded[READER_MAX_IMAGES];
    scroller sc;
    float content_h;
    int header_h;                 /* title block above the laid-out text */
    int flash_block;              /* block index that glows, or -1 */
    uint32_t flash_t0;
    int layout_w;                 /* width the page was laid out for */
    bool scroll_pending;          /* scroll to anchor at the next draw */
    ui_plan plan;                 /* the page measured, for layout_w */
    layout_reading reading;       /* what is being read aloud, from which block */
} reader_state;

/* ---- measuring for layout -------------------------------------------------- */

typedef struct {
    ui *u;
    reader_state *rs;
} measure_ctx;

static render_face face_of(layout_face f)
{
    return (render_face)f; /* same order: regular, bold, italic, bold italic */
}

static int m_measure(void *ctx, layout_face face, int size, const char *text, size_t len)
{
    measure_ctx *m = ctx;
    return render_text_width(ui_render(m->u), face_of(face), size, text, len);
}

static int m_line_height(void *ctx, layout_face face, int size)
{
    measure_ctx *m = ctx;
    return render_line_height(ui_render(m->u), face_of(face), size);
}

static int m_image_size(void *ctx, const char *src, int *w, int *h)
{
    measure_ctx *m = ctx;
    for (size_t i = 0; i < m->rs->doc->n_images && i < READER_MAX_IMAGES; i++) {
        if (strcmp(m->rs->doc->images[i].src, src) != 0 || !m->rs->image_loaded[i])
            continue;
        *w = m->rs->images[i].width;
        *h = m->rs->images[i].height;
        return 0;
    }
    return -1;
}

/* ---- loading ---------------------------------------------------------------- */

static void reader_unload(reader_state *rs)
{
    layout_free(rs->page);
    rs->page = NULL;
    content_free(rs->doc);
    rs->doc = NULL;
    store_text_free(&rs->text);
    for (int i = 0; i < READER_MAX_IMAGES; i++)
        if (rs->image_loaded[i]) {
            store_asset_free(&rs->images[i]);
            rs->image_loaded[i] = false;
        }
    free(rs->anchors);
    rs->anchors = NULL;
    rs->n_anchors = 0;
    layout_reading_free(&rs->reading);
    /* Nothing left to show until a load succeeds; the plan pointed into
     * what was freed. */
    rs->has_text = false;
    rs->n_blocks = 0;
    rs->toc = false;
    rs->page_anchor[0] = '\0';
    rs->plan.valid = false;
}

static void load_images(ui *u, reader_state *rs)
{
    for (size_t i = 0; i < rs->doc->n_images && i < READER_MAX_IMAGES; i++) {
        char name[STORE_ID_MAX + 300];
        snprintf(name, sizeof name, "%s/%s", rs->item.id, rs->doc->images[i].src);
        rs->image_loaded[i] = store_asset_get(ui_store(u), name, &rs->images[i]) == 0;
        if (!rs->image_loaded[i])
            platform_log(PLATFORM_LOG_WARN, "item %s: image %s is not in the bundle", rs->item.id, name);
    }
}

/* The block range of the page that holds block b: from the nearest
 * section or article heading before it to the next heading of that level
 * or above. */
static void page_range(const content_doc *d, size_t b, size_t *first, size_t *count)
{
    size_t start = b;
    while (start > 0 && !(d->blocks[start].type == CONTENT_HEADING && d->blocks[start].level >= 2 &&
                          d->blocks[start].level <= 3))
        start--;
    int level = d->blocks[start].type == CONTENT_HEADING ? d->blocks[start].level : 2;
    size_t end = start + 1;
    while (end < d->n_blocks && !(d->blocks[end].type == CONTENT_HEADING && d->blocks[end].level <= level))
        end++;
    *first = start;
    *count = end - start;
}

/* A section whose first named place is not an article has text of its own
 * (the Preamble): it is a page. Articles are pages. */
static bool is_page_anchor(const reader_state *rs, int i)
{
    if (rs->anchors[i].level == 2)
        return true;
    return rs->anchors[i].level == 1 && (i + 1 >= rs->n_anchors || rs->anchors[i + 1].level != 2);
}

static void find_neighbours(reader_state *rs)
{
    rs->prev_page = rs->next_page = -1;
    int cur = -1;
    for (int i = 0; i < rs->n_anchors; i++)
        if (!strcmp(rs->anchors[i].anchor, rs->page_anchor))
            cur = i;
    if (cur < 0)
        return;
    for (int i = cur - 1; i >= 0 && rs->prev_page < 0; i--)
        if (is_page_anchor(rs, i))
            rs->prev_page = i;
    for (int i = cur + 1; i < rs->n_anchors && rs->next_page < 0; i++)
        if (is_page_anchor(rs, i))
            rs->next_page = i;
}

static int reader_load(ui *u, reader_state *rs, const route *r, char *err, size_t errcap)
{
    reader_unload(rs);
    if (store_item_get(ui_store(u), r->id, ui_lang(u), &rs->item) < 0) {
        snprintf(err, errcap, "no item '%s' in this content", r->id);
        return -1;
    }
    snprintf(rs->anchor, sizeof rs->anchor, "%s", r->anchor);
    rs->has_text = store_item_text(ui_store(u), r->id, ui_lang(u), &rs->text) == 0;
    if (!rs->has_text) {
        /* Shown as a placeholder, never a blank screen. */
        platform_log(PLATFORM_LOG_WARN, "item %s has no text in any language", r->id);
        if (r->anchor[0]) {
            snprintf(err, errcap, "item '%s' has no text", r->id);
            return -1;
        }
        return 0;
    }
    rs->doc = content_parse(rs->text.body, strlen(rs->text.body), 0);
    if (!rs->doc) {
        snprintf(err, errcap, "item '%s' is too large to show", r->id);
        return -1;
    }
    rs->first_block = 0;
    rs->n_blocks = rs->doc->n_blocks;
    rs->toc = false;
    rs->page_anchor[0] = '\0';
    if (r->anchor[0]) {
        int b = content_find_anchor(rs->doc, r->anchor);
        if (b < 0) {
            snprintf(err, errcap, "item '%s' has no place '%s'", r->id, r->anchor);
            return -1;
        }
        if (!strcmp(rs->item.kind, "document")) {
            page_range(rs->doc, (size_t)b, &rs->first_block, &rs->n_blocks);
            const char *pa = rs->doc->blocks[rs->first_block].anchor;
            snprintf(rs->page_anchor, sizeof rs->page_anchor, "%s", pa ? pa : "");
        }
    } else if (!strcmp(rs->item.kind, "document")) {
        /* The table of contents, with the text before the first section. */
        rs->toc = true;
        size_t n = 0;
        while (n < rs->doc->n_blocks && !(rs->doc->blocks[n].type == CONTENT_HEADING && rs->doc->blocks[n].level <= 2))
            n++;
        rs->n_blocks = n;
    }
    if (!strcmp(rs->item.kind, "document")) {
        rs->anchors = calloc(READER_MAX_ANCHORS, sizeof *rs->anchors);
        if (rs->anchors)
            rs->n_anchors = store_anchors(ui_store(u), rs->item.id, ui_lang(u), rs->anchors, READER_MAX_ANCHORS);
        if (rs->n_anchors < 0)
            rs->n_anchors = 0;
        find_neighbours(rs);
    }
    load_images(u, rs);
    rs->layout_w = 0;
    return 0;
}

static void relayout_page(ui *u, reader_state *rs)
{
    const theme *t = ui_theme(u);
    layout_free(rs->page);
    rs->page = NULL;
    rs->layout_w = t->content_w;
    if (!rs->has_text || rs->n_blocks == 0)
        return;
    layout_style st;
    layout_style_default(&st, t->content_w, t->font_body);
    st.margin_left = st.margin_right = 0;
    st.margin_top = 0;
    st.line_pct = 125; /* generous leading reads better on a screen at arm's length */
    st.image_max_height = ui_height(u) * 2 / 3;
    measure_ctx m = {u, rs};
    layout_measurer me = {&m, m_measure, m_line_height, m_image_size};
    rs->page = layout_build_range(rs->doc, rs->first_block, rs->n_blocks, &st, &me);
    if (!rs->page)
        platform_log(PLATFORM_LOG_ERROR, "item %s: layout failed (out of memory)", rs->item.id);
}

static void reader_plan(ui *u, reader_state *rs);

/* Lays the text out again and measures the page around it. */
static void relayout(ui *u, reader_state *rs)
{
    relayout_page(u, rs);
    reader_plan(u, rs);
}

static void reader_leave(void *state)
{
    reader_state *rs = state;
    reader_unload(rs);
    ui_plan_free(&rs->plan);
    free(rs);
}

static void *reader_enter(ui *u, route *r, char *err, size_t errcap)
{
    reader_state *rs = ui_state_new(sizeof *rs, err, errcap);
    if (!rs)
        return NULL;
    rs->flash_block = -1;
    scroller_init(&rs->sc, 0, 0);
    if (reader_load(u, rs, r, err, errcap) < 0) {
        reader_leave(rs);
        return NULL;
    }
    relayout(u, rs);
    rs->content_h = -1;
    rs->scroll_pending = r->anchor[0] != '\0';
    if (r->anchor[0] && rs->page) {
        int b = content_find_anchor(rs->doc, r->anchor);
        bool page_start = rs->doc->blocks[rs->first_block].anchor &&
                          !strcmp(rs->doc->blocks[rs->first_block].anchor, r->anchor);
        if (!page_start || strcmp(rs->item.kind, "document") != 0) {
            rs->flash_block = b;
            rs->flash_t0 = ui_now(u);
        }
    }
    return rs;
}

static const char *reader_title(ui *u, void *state)
{
    reader_state *rs = state;
    return rs->item.title;
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_image_box(ui *u, reader_state *rs, const layout_box *b, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    int i = b->image;
    if (i >= 0 && i < READER_MAX_IMAGES && rs->image_loaded[i]) {
        char key[STORE_ID_MAX + 300];
        snprintf(key, sizeof key, "%s/%s", rs->item.id, rs->doc->images[i].src);
        if (render_image(rc, key, rs->images[i].data, rs->images[i].size, r) == 0)
            return;
    }
    /* A graceful placeholder where the picture should be. */
    render_fill_rect(rc, r, t->radius, ui_color(t->color.divider));
    int ic = r.h / 3 < theme_px(t, 48) ? r.h / 3 : theme_px(t, 48);
    render_icon_draw(rc, RENDER_ICON_IMAGE_MISSING, (SDL_Rect){r.x + (r.w - ic) / 2, r.y + r.h / 2 - ic, ic, ic},
                     ui_color(t->color.text_muted));
    const char *msg = ui_str(u, I18N_IMAGE_UNAVAILABLE);
    int tw = render_text_width(rc, RENDER_FACE_REGULAR, t->font_small, msg, strlen(msg));
    ui_text_draw(u, RENDER_FACE_REGULAR, t->font_small, msg, r.x + (r.w - tw) / 2 > r.x ? r.x + (r.w - tw) / 2 : r.x,
                  r.y + r.h / 2 + theme_px(t, 6), r.w, 1, t->color.text_muted);
}


/* The words of the link a box belongs to (all its runs in the box's
 * block), which speech mode says for each of its targets. */
static void link_words(const content_doc *doc, const layout_box *b, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    const content_block *blk = &doc->blocks[b->block];
    for (size_t i = 0; i < blk->n_runs && n + 1 < cap; i++) {
        const content_run *run = &blk->runs[i];
        if (run->link != b->link)
            continue;
        size_t take = run->len < cap - 1 - n ? run->len : utf8_cut(run->text, cap - 1 - n);
        memcpy(out + n, run->text, take);
        n += take;
    }
    out[n] = '\0';
    if (!n) /* a link whose words are not in runs (cannot happen): the box's own */
        snprintf(out, cap, "%.*s", (int)b->len, b->text);
}

static void draw_page(ui *u, reader_state *rs, int ox, int oy, SDL_Rect view)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    const layout_page *p = rs->page;
    /* The flashing clause: a soft glow behind its block that fades out. */
    if (rs->flash_block >= 0 && (size_t)rs->flash_block < p->n_blocks && p->blocks[rs->flash_block].y >= 0) {
        uint32_t age = ui_now(u) - rs->flash_t0;
        if (age < READER_FLASH_MS) {
            theme_color c = t->color.clause_flash;
            /* Full strength for a moment, then fade. */
            float k = age < READER_FLASH_MS / 3 ? 1.0f : 1.0f - (float)(age - READER_FLASH_MS / 3) / (float)(READER_FLASH_MS * 2 / 3);
            c.a = (uint8_t)(255 * k);
            const layout_block_pos *bp = &p->blocks[rs->flash_block];
            int pad = theme_px(t, 10);
            render_fill_rect(rc, (SDL_Rect){ox - pad, oy + bp->y - pad / 2, p->width + 2 * pad, bp->h + pad},
                             theme_px(t, 8), ui_color(c));
        }
    }
    size_t heard_at = 0, heard_len = 0;
    bool heard = rs->reading.text && ui_speaking(u, READER_VOICE_ID, &heard_at, &heard_len);
    for (size_t i = 0; i < p->n_boxes; i++) {
        const layout_box *b = &p->boxes[i];
        SDL_Rect r = {ox + b->x, oy + b->y, b->w, b->h};
        if (r.y + r.h < view.y || r.y > view.y + view.h)
            continue;
        switch (b->kind) {
        case LAYOUT_BOX_TEXT: {
            if (heard && ui_box_heard(&rs->reading, rs->doc, b, heard_at, heard_len))
                render_fill_rect(rc, (SDL_Rect){r.x - 2, r.y, r.w + 4, r.h}, theme_px(t, 4),
                                 ui_color(t->color.highlight));
            if (b->link >= 0) {
                const content_link *l = &rs->doc->links[b->link];
                char route_str[ROUTE_STRING_MAX + 1];
                if (ui_link_route(l, rs->item.id, route_str, sizeof route_str)) {
                    /* Link words are targets of their own, a little taller
                     * than the line so a finger finds them. */
                    int grow = (t->target - r.h) / 2 > 0 ? (t->target - r.h) / 2 : 0;
                    SDL_Rect hit = {r.x, r.y - grow, r.w, r.h + 2 * grow};
                    target_id id = {READER_LINK, b->link, TARGET_LINK | TARGET_IN_TEXT};
                    if (ui_is_pressed(u, hit, id))
                        render_fill_rect(rc, (SDL_Rect){r.x - 3, r.y, r.w + 6, r.h}, theme_px(t, 4),
                                         ui_color(t->color.accent_soft));
                    char said[TARGET_LABEL_MAX];
                    link_words(rs->doc, b, said, sizeof said);
                    ui_add_target(u, hit, id, route_str, said);
                    render_fill_rect(rc, (SDL_Rect){r.x, r.y + r.h * 88 / 100, r.w, theme_px(t, 1.5f)}, 0,
                                     ui_color(t->color.accent));
                }
            }
            ui_box_text(u, b, r.x, r.y);
            break;
        }
        case LAYOUT_BOX_IMAGE:
            draw_image_box(u, rs, b, r);
            break;
        case LAYOUT_BOX_RULE:
            render_fill_rect(rc, r, 0, ui_color(t->color.divider));
            break;
        case LAYOUT_BOX_QUOTE_BAR:
            render_fill_rect(rc, r, r.w / 2, ui_color(t->color.accent));
            break;
        case LAYOUT_BOX_CODE_BG:
            render_fill_rect(rc, r, theme_px(t, 6), ui_color(t->color.accent_soft));
            break;
        }
    }
}

/* The parts of a reader page besides plain text (ui_plan kinds). */
typedef enum {
    PART_TITLE_RULE,  /* the accent rule above the item's title */
    PART_OTHER_LANG,  /* "shown in another language"; h1: its text's height */
    PART_TEXT,        /* the laid-out text (rs->page) */
    PART_TOC_ROW,     /* index: the anchor; h1: title height, h2: preview's */
    PART_PREV,        /* a document's previous article */
    PART_NEXT,        /* and its next */
    PART_CONTENTS,    /* below them: the document's table of contents */
} reader_part;

/* The first clause of the place at anchors[i], as a preview line. */
static const char *first_clause(const reader_state *rs, int i)
{
    return i + 1 < rs->n_anchors && rs->anchors[i + 1].level == 3 ? rs->anchors[i + 1].title : NULL;
}

/* A table-of-contents row's title size: larger for sections. */
static int toc_font(const theme *t, const store_anchor *a)
{
    return a->level == 1 ? t->font_h3 : t->font_body;
}

/* The width of a contents row's title and preview: the row less the accent
 * strip's inset, the padding and the chevron. */
static int toc_text_width(const theme *t, int w)
{
    return w - theme_px(t, 20) - theme_px(t, 14) * 2 - theme_px(t, 20);
}

/* One row of the table of contents: title and a preview of its first
 * clause. Returns its height, with its title's (th) and preview's (ph). */
static int toc_row_height(ui *u, reader_state *rs, int i, int w, int *th, int *ph)
{
    const theme *t = ui_theme(u);
    int pad = theme_px(t, 14), tw = toc_text_width(t, w);
    const char *preview = first_clause(rs, i);
    *th = ui_text_height(u, RENDER_FACE_BOLD, toc_font(t, &rs->anchors[i]), rs->anchors[i].title, tw, 2);
    *ph = preview ? ui_text_height(u, RENDER_FACE_REGULAR, t->font_small, preview, tw, 2) : 0;
    int h = pad * 2 + *th + (*ph ? theme_px(t, 4) + *ph : 0);
    return h < t->target ? t->target : h;
}

static void draw_toc_row(ui *u, reader_state *rs, const ui_part *p, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render *rc = ui_render(u);
    const store_anchor *a = &rs->anchors[p->index];
    const char *preview = first_clause(rs, p->index);
    int x = r.x, y = r.y, w = r.w, h = r.h, th = p->h1, ph = p->h2;
    int pad = theme_px(t, 14), chevron = theme_px(t, 20);
    int tx = x + theme_px(t, 20), tw = toc_text_width(t, w);
    char route_str[ROUTE_STRING_MAX + 1];
    snprintf(route_str, sizeof route_str, "item/%s#%s", rs->item.id, a->anchor);
    ui_card(u, r, ui_is_pressed(u, r, target_link(READER_TOC_ROW, 0)));
    render_fill_rect(rc, (SDL_Rect){x, y + t->radius, theme_px(t, 4), h - 2 * t->radius}, theme_px(t, 2),
                     ui_color(t->color.accent));
    int ty = y + (h - th - (ph ? theme_px(t, 4) + ph : 0)) / 2;
    ui_text_draw(u, RENDER_FACE_BOLD, toc_font(t, a), a->title, tx, ty, tw, 2, t->color.text);
    if (ph)
        ui_text_preview(u, RENDER_FACE_REGULAR, t->font_small, preview, tx, ty + th + theme_px(t, 4), tw, 2,
                     t->color.text_muted);
    render_icon_draw(rc, RENDER_ICON_CHEVRON_RIGHT, (SDL_Rect){x + w - chevron - pad, y + (h - chevron) / 2, chevron, chevron},
                     ui_color(t->color.accent));
    ui_add_target(u, r, target_link(READER_TOC_ROW, 0), route_str, a->title);
}

/* Adds a part and returns its height. */
static int add(reader_state *rs, reader_part kind, int index, SDL_Rect r, int h1, int h2)
{
    ui_plan_add(&rs->plan, kind, index, r, h1, h2);
    return r.h;
}

/* Adds a part of plain text across the column; returns its height. */
static int add_text(ui *u, reader_state *rs, render_face face, int size, const char *text, int y, int max_lines,
                    theme_color color)
{
    const theme *t = ui_theme(u);
    return ui_plan_text(u, &rs->plan, face, size, text, t->content_x, y, t->content_w, max_lines, color);
}

/* The table of contents: sections as headings (or rows when they have text
 * of their own), articles as rows with their first clause as a preview. */
static int plan_toc(ui *u, reader_state *rs, int y)
{
    const theme *t = ui_theme(u);
    int x = t->content_x, w = t->content_w, top = y;
    y += add_text(u, rs, RENDER_FACE_BOLD, t->font_small, ui_str(u, I18N_CONTENTS), y, 1, t->color.text_muted) +
         theme_px(t, 8);
    for (int i = 0; i < rs->n_anchors; i++) {
        const store_anchor *a = &rs->anchors[i];
        if (a->level > 2)
            continue;
        if (a->level == 1)
            y += t->gap;
        if (a->level == 1 && !is_page_anchor(rs, i)) {
            y += add_text(u, rs, RENDER_FACE_BOLD, t->font_h3, a->title, y, 2, t->color.text) + theme_px(t, 8);
            continue;
        }
        int th, ph;
        int h = toc_row_height(u, rs, i, w, &th, &ph);
        y += add(rs, PART_TOC_ROW, i, (SDL_Rect){x, y, w, h}, th, ph) + theme_px(t, 8);
    }
    return y - top;
}

/* The heading above the text: the document's title on an article page,
 * else the item's title and summary. Returns the y below it. */
static int plan_header(ui *u, reader_state *rs, int y)
{
    const theme *t = ui_theme(u);
    if (rs->page_anchor[0]) {
        return y + add_text(u, rs, RENDER_FACE_BOLD, t->font_small, rs->item.title, y, 2, t->color.accent) +
               theme_px(t, 6);
    }
    /* A document's pages start with their own heading instead. */
    add(rs, PART_TITLE_RULE, 0, (SDL_Rect){t->content_x, y, theme_px(t, 44), theme_px(t, 5)}, 0, 0);
    y += theme_px(t, 14);
    y += add_text(u, rs, RENDER_FACE_BOLD, t->font_h1, rs->item.title, y, 6, t->color.text);
    if (rs->item.summary[0]) {
        y += theme_px(t, 8);
        y += add_text(u, rs, RENDER_FACE_ITALIC, t->font_body, rs->item.summary, y, 6, t->color.text_muted);
    }
    return y + t->gap * 2;
}

/* Measures the whole scrolling page once per layout: header, the laid-out
 * text, then the table of contents or previous/next. */
static void reader_plan(ui *u, reader_state *rs)
{
    const theme *t = ui_theme(u);
    int x = t->content_x, w = t->content_w;
    ui_plan_reset(&rs->plan);
    int y = plan_header(u, rs, t->margin);
    if (rs->has_text && strcmp(rs->text.lang, ui_lang(u)) != 0) {
        /* Served in another language: say so rather than surprise. */
        int th = ui_text_height(u, RENDER_FACE_ITALIC, t->font_small, ui_str(u, I18N_TEXT_NOT_IN_LANG),
                                w - theme_px(t, 24), 3);
        y += add(rs, PART_OTHER_LANG, 0, (SDL_Rect){x, y, w, th + theme_px(t, 16)}, th, 0) + t->gap;
    }
    if (!rs->has_text)
        y += add_text(u, rs, RENDER_FACE_REGULAR, t->font_title, ui_str(u, I18N_TEXT_NOT_IN_LANG), y, 4,
                      t->color.text_muted);
    rs->header_h = y - t->margin;
    if (rs->page)
        y += add(rs, PART_TEXT, 0, (SDL_Rect){x, y, w, rs->page->height}, 0, 0);
    if (rs->toc)
        y += t->gap + plan_toc(u, rs, y + t->gap);
    if (rs->page_anchor[0] && (rs->prev_page >= 0 || rs->next_page >= 0)) {
        y += t->gap * 2;
        int bw = (w - t->gap) / 2;
        if (rs->prev_page >= 0)
            add(rs, PART_PREV, rs->prev_page, (SDL_Rect){x, y, bw, t->target}, 0, 0);
        if (rs->next_page >= 0)
            add(rs, PART_NEXT, rs->next_page, (SDL_Rect){x + w - bw, y, bw, t->target}, 0, 0);
        y += t->target;
    }
    if (rs->page_anchor[0]) { /* an article of a document: its contents are one tap away */
        y += t->gap;
        add(rs, PART_CONTENTS, 0, (SDL_Rect){x, y, w, t->target}, 0, 0);
        y += t->target;
    }
    if (rs->page && rs->has_text)
        y += t->target; /* the last line can scroll above the speaker button */
    rs->plan.height = y + t->margin; /* the top margin is in y already */
}

/* Previous or next article: a button with its title. */
static void draw_neighbour(ui *u, reader_state *rs, const ui_part *p, SDL_Rect r)
{
    char route_str[ROUTE_STRING_MAX + 1];
    const store_anchor *a = &rs->anchors[p->index];
    snprintf(route_str, sizeof route_str, "item/%s#%s", rs->item.id, a->anchor);
    if (p->kind == PART_PREV)
        ui_button(u, r, a->title, RENDER_ICON_CHEVRON_LEFT, UI_BUTTON_PLAIN, target_link(READER_PREV_PAGE, 0),
                  route_str);
    else
        ui_button(u, r, a->title, RENDER_ICON_CHEVRON_RIGHT, UI_BUTTON_PRIMARY | UI_BUTTON_ICON_AFTER,
                  target_link(READER_NEXT_PAGE, 0), route_str);
}

static void draw_other_lang(ui *u, SDL_Rect r)
{
    const theme *t = ui_theme(u);
    render_fill_rect(ui_render(u), r, theme_px(t, 8), ui_color(t->color.accent_soft));
    ui_text_draw(u, RENDER_FACE_ITALIC, t->font_small, ui_str(u, I18N_TEXT_NOT_IN_LANG), r.x + theme_px(t, 12),
                 r.y + theme_px(t, 8), r.w - theme_px(t, 24), 3, t->color.text_muted);
}

static void reader_draw_part(ui *u, void *state, const ui_part *p, SDL_Rect r, SDL_Rect area)
{
    reader_state *rs = state;
    const theme *t = ui_theme(u);
    switch ((reader_part)p->kind) {
    case PART_TITLE_RULE:
        render_fill_rect(ui_render(u), r, theme_px(t, 2), ui_color(t->color.accent));
        break;
    case PART_OTHER_LANG:
        draw_other_lang(u, r);
        break;
    case PART_TEXT:
        draw_page(u, rs, r.x, r.y, area);
        break;
    case PART_TOC_ROW:
        draw_toc_row(u, rs, p, r);
        break;
    case PART_PREV:
    case PART_NEXT:
        draw_neighbour(u, rs, p, r);
        break;
    case PART_CONTENTS: {
        char route_str[ROUTE_STRING_MAX + 1];
        snprintf(route_str, sizeof route_str, "item/%s", rs->item.id);
        ui_button(u, r, ui_str(u, I18N_CONTENTS), RENDER_ICON_ARTICLE, UI_BUTTON_PLAIN,
                  target_link(READER_CONTENTS, 0), route_str);
        break;
    }
    }
}

/* The speaker button: a pill in the bottom right corner over the text, so
 * it is at hand wherever the reader has scrolled to. */
static SDL_Rect listen_rect(ui *u, SDL_Rect area)
{
    const theme *t = ui_theme(u);
    SDL_Rect r = ui_speaker_size(u);
    int m = t->margin / 2 > theme_px(t, 12) ? t->margin / 2 : theme_px(t, 12);
    return (SDL_Rect){area.x + area.w - m - r.w - theme_px(t, 8), area.y + area.h - m - r.h, r.w, r.h};
}

static void draw_listen(ui *u, reader_state *rs, SDL_Rect area)
{
    if (!rs->page || !rs->has_text)
        return;
    const theme *t = ui_theme(u);
    size_t at, len;
    bool on = ui_speaking(u, READER_VOICE_ID, &at, &len);
    SDL_Rect r = listen_rect(u, area);
    render_shadow(ui_render(u), r, r.h / 2, theme_px(t, 4));
    target_id id = target_tap(READER_LISTEN, 0);
    id.flags |= TARGET_OVER;
    ui_speaker_button(u, r, on, id);
}

/* The first block of the page whose text shows at the top of the screen:
 * reading starts where the citizen is. */
static size_t first_shown_block(ui *u, reader_state *rs)
{
    int top = (int)scroller_offset(&rs->sc) - rs->header_h - ui_theme(u)->margin;
    for (size_t b = rs->first_block; b < rs->first_block + rs->n_blocks; b++) {
        const layout_block_pos *bp = &rs->page->blocks[b];
        if (bp->y >= 0 && bp->y + bp->h > top)
            return b;
    }
    return rs->first_block;
}

/* The speaker: reads the page aloud from the block at the top of the
 * screen, or stops when it is reading. */
static void listen_tap(ui *u, reader_state *rs)
{
    size_t at, len;
    if (ui_speaking(u, READER_VOICE_ID, &at, &len)) {
        ui_speak_stop(u);
        return;
    }
    if (!rs->page)
        return;
    size_t from = first_shown_block(u, rs);
    layout_reading_free(&rs->reading);
    if (layout_reading_build(rs->doc, from, rs->first_block + rs->n_blocks - from, &rs->reading) < 0) {
        platform_log(PLATFORM_LOG_ERROR, "item %s: no memory to read it aloud", rs->item.id);
        return;
    }
    /* In the voice of the language the text is in, which after a fallback
     * is not the ui's. */
    ui_speak_in(u, rs->reading.text, rs->text.lang, READER_VOICE_ID);
}

static void reader_tap(ui *u, void *state, target_id id)
{
    if (id.kind == READER_LISTEN)
        listen_tap(u, state);
}

static void ensure_layout(ui *u, reader_state *rs, SDL_Rect area)
{
    if (rs->layout_w == ui_theme(u)->content_w && rs->plan.valid)
        return;
    relayout(u, rs);
    rs->content_h = -1;
    ui_scroll_size(&rs->sc, &rs->content_h, (float)rs->plan.height, (float)area.h);
}

/* Scrolls so the route's anchor sits a little below the bar. */
static void scroll_to_anchor(ui *u, reader_state *rs, SDL_Rect area)
{
    if (!rs->anchor[0] || !rs->page)
        return;
    int y = layout_anchor_y(rs->page, rs->anchor);
    if (y < 0)
        return;
    int target = rs->header_h + y - ui_theme(u)->gap * 2;
    scroller_scroll_to(&rs->sc, (float)(target < 0 ? 0 : target), false, ui_now(u));
    (void)area;
}

static void reader_draw(ui *u, void *state, SDL_Rect area)
{
    reader_state *rs = state;
    ensure_layout(u, rs, area);
    ui_scroll_size(&rs->sc, &rs->content_h, (float)rs->plan.height, (float)area.h);
    if (rs->scroll_pending) {
        rs->scroll_pending = false;
        scroll_to_anchor(u, rs, area);
    }
    ui_plan_draw(u, &rs->plan, area, (int)scroller_offset(&rs->sc), reader_draw_part, rs);
    ui_scrollbar(u, area, &rs->sc);
    draw_listen(u, rs, area);
}

static void reader_gesture(ui *u, void *state, const gesture_event *e)
{
    reader_state *rs = state;
    ui_scroll_gesture(u, &rs->sc, e);
}

static bool reader_tick(ui *u, void *state, uint32_t now)
{
    reader_state *rs = state;
    bool moving = scroller_step(&rs->sc, now) || scroller_is_animating(&rs->sc);
    if (rs->flash_block >= 0) {
        if (now - rs->flash_t0 < READER_FLASH_MS)
            moving = true;
        else {
            rs->flash_block = -1;
            moving = true; /* one frame without the glow */
        }
    }
    return moving;
}

static void reader_relayout(ui *u, void *state)
{
    reader_state *rs = state;
    /* Language change: the same place in the other language's text. */
    char err[ROUTE_ERROR_MAX];
    route r = *ui_route(u);
    float off = scroller_offset(&rs->sc);
    float old_h = rs->content_h;
    if (reader_load(u, rs, &r, err, sizeof err) < 0) {
        platform_log(PLATFORM_LOG_WARN, "reader: %s", err);
        return;
    }
    rs->layout_w = 0;
    rs->content_h = -1;
    /* Keep the reader at the same fraction of the text after a reflow. */
    SDL_Rect area = {0, ui_theme(u)->bar_h, ui_width(u), ui_height(u) - ui_theme(u)->bar_h};
    relayout(u, rs);
    float new_h = (float)rs->plan.height;
    ui_scroll_size(&rs->sc, &rs->content_h, new_h, (float)area.h);
    if (old_h > 0)
        scroller_scroll_to(&rs->sc, off * new_h / old_h, false, ui_now(u));
}

static int reader_scroll(ui *u, void *state)
{
    reader_state *rs = state;
    return (int)scroller_offset(&rs->sc);
}

static void reader_restore(ui *u, void *state, int offset)
{
    reader_state *rs = state;
    SDL_Rect area = {0, ui_theme(u)->bar_h, ui_width(u), ui_height(u) - ui_theme(u)->bar_h};
    ensure_layout(u, rs, area);
    ui_scroll_size(&rs->sc, &rs->content_h, (float)rs->plan.height, (float)area.h);
    scroller_scroll_to(&rs->sc, (float)offset, false, ui_now(u));
    rs->scroll_pending = false; /* Back returns to the offset, not the anchor */
    rs->flash_block = -1;
}

const view_ops view_reader = {
    .name = "item",
    .enter = reader_enter,
    .leave = reader_leave,
    .draw = reader_draw,
    .title = reader_title,
    .gesture = reader_gesture,
    .tap = reader_tap,
    .tick = reader_tick,
    .relayout = reader_relayout,
    .scroll = reader_scroll,
    .restore_scroll = reader_restore,
};
