#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builder.h"
#include "indexer.h"
#include "records.h"
#include "store.h"
#include "utf8.h"

/* ---- anchors: what the anchors table holds, per item and language ---------- */

typedef struct {
    const char *anchor;   /* points into the parsed document */
    int level;
    int line;
    int card;             /* 1 when it names an explainer card */
    char *title;          /* owned */
} anchor_row;

typedef struct {
    anchor_row *rows;
    size_t n;
} anchor_list;

static void free_anchors(anchor_list *l)
{
    for (size_t r = 0; r < l->n; r++)
        free(l->rows[r].title);
    free(l->rows);
    l->rows = NULL;
    l->n = 0;
}

/* A clause paragraph as a title: newlines become spaces and long text is cut
 * at a word, so a table of contents stays one line per entry. */
static char *short_title(char *text, int cut)
{
    for (char *p = text; *p; p++)
        if (*p == '\n')
            *p = ' ';
    size_t n = strlen(text);
    if (!cut || n <= BUNDLE_ANCHOR_TITLE_MAX)
        return text;
    size_t end = utf8_cut(text, BUNDLE_ANCHOR_TITLE_MAX - 3); /* room for "…" */
    size_t space = end;
    while (space > end / 2 && text[space] != ' ')
        space--;
    if (text[space] == ' ')
        end = space;
    memcpy(text + end, "\xE2\x80\xA6", 4);
    return text;
}

/* Level of an anchored block in the anchors table (see db/schema.sql):
 * document: ## 1, ### 2, clauses 3; article: # and ## 1, deeper 2, anchored
 * paragraphs 3; explainer: cards 1, anything else anchored inside a card 2. */
static int anchor_level(srcdir_kind kind, const content_block *b, int is_card)
{
    int h = b->type == CONTENT_HEADING ? b->level : 0;
    switch (kind) {
    case SRCDIR_EXPLAINER:
        return is_card ? 1 : 2;
    case SRCDIR_DOCUMENT:
        return h == 0 ? 3 : h <= 2 ? 1 : h == 3 ? 2 : 3;
    default:
        return h == 0 ? 3 : h <= 2 ? 1 : 2;
    }
}

/* The card whose heading is block i of an explainer, or NULL. */
static const content_card *card_at(const srcdir_item *it, const content_doc *doc, size_t i)
{
    for (size_t c = 0; c < doc->n_cards && it->kind == SRCDIR_EXPLAINER; c++)
        if (doc->cards[c].first_block == i)
            return &doc->cards[c];
    return NULL;
}

/* The anchors of one text with their titles (titles only with titles = 1). */
static int collect_anchors(const srcdir_item *it, const content_doc *doc, int titles, anchor_list *out)
{
    out->rows = calloc(doc->n_blocks ? doc->n_blocks : 1, sizeof *out->rows);
    if (!out->rows)
        return -1;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const content_block *b = &doc->blocks[i];
        if (!b->anchor)
            continue;
        const content_card *card = card_at(it, doc, i);
        anchor_row *r = &out->rows[out->n++];
        r->anchor = b->anchor;
        r->line = b->line;
        r->card = card != NULL;
        r->level = anchor_level(it->kind, b, r->card);
        if (!titles)
            continue;
        r->title = card ? strdup(card->title) : content_block_text(b);
        if (!r->title)
            return -1;
        short_title(r->title, b->type != CONTENT_HEADING);
    }
    return 0;
}

/* ---- outlines: what checks and links need of an item once it is unloaded --- */

typedef struct {
    char *anchor;       /* owned */
    int line;
    int card;           /* 1 when it names an explainer card */
} outline_anchor;

/* One language of an item. */
typedef struct {
    outline_anchor *anchors;
    size_t n_anchors;
    char **cards;                /* each card's anchor (NULL when it has none) */
    size_t n_cards;
} outline_text;

/* Parallel to sd->items; an item is outlined when it is first read, so a
 * streaming build knows every item it has passed and none ahead. 16 bytes
 * for an item without anchors or cards: 1.6 MB for 100,000 items. */
typedef struct {
    unsigned char done;
    unsigned char parsed;        /* bit l: the text in language l was read and parsed */
    outline_text *texts;         /* SRCDIR_MAX_LANGS; NULL when no text has anchors or cards */
} outline_item;

typedef struct {
    outline_item *items;
    size_t n;
} outline;

static void outline_free(outline *ol)
{
    for (size_t i = 0; ol->items && i < ol->n; i++) {
        for (int l = 0; ol->items[i].texts && l < SRCDIR_MAX_LANGS; l++) {
            outline_text *t = &ol->items[i].texts[l];
            for (size_t a = 0; a < t->n_anchors; a++)
                free(t->anchors[a].anchor);
            for (size_t c = 0; c < t->n_cards; c++)
                free(t->cards[c]);
            free(t->anchors);
            free(t->cards);
        }
        free(ol->items[i].texts);
    }
    free(ol->items);
    ol->items = NULL;
}

static int outline_init(outline *ol, const srcdir *sd)
{
    ol->n = sd->n_items;
    ol->items = calloc(ol->n ? ol->n : 1, sizeof *ol->items);
    return ol->items ? 0 : -1;
}

static int outline_text_add(outline_text *t, const srcdir_item *it, const content_doc *doc)
{
    anchor_list al = {0};
    if (collect_anchors(it, doc, 0, &al) < 0)
        goto nomem;
    t->anchors = calloc(al.n ? al.n : 1, sizeof *t->anchors);
    t->cards = calloc(doc->n_cards ? doc->n_cards : 1, sizeof *t->cards);
    if (!t->anchors || !t->cards)
        goto nomem;
    for (; t->n_anchors < al.n; t->n_anchors++) {
        const anchor_row *r = &al.rows[t->n_anchors];
        t->anchors[t->n_anchors] = (outline_anchor){strdup(r->anchor), r->line, r->card};
        if (!t->anchors[t->n_anchors].anchor)
            goto nomem;
    }
    for (; t->n_cards < doc->n_cards; t->n_cards++) {
        const char *a = doc->cards[t->n_cards].anchor;
        if (a && !(t->cards[t->n_cards] = strdup(a)))
            goto nomem;
    }
    free_anchors(&al);
    return 0;
nomem:
    free_anchors(&al);
    return -1;
}

/* Outlines a loaded item. */
static int outline_add(outline *ol, const srcdir *sd, const srcdir_item *it)
{
    outline_item *o = &ol->items[it - sd->items];
    int marked = 0;
    o->done = 1;
    for (int l = 0; l < sd->n_langs; l++) {
        const content_doc *doc = it->texts[l].doc;
        if (!doc)
            continue;
        o->parsed |= (unsigned char)(1u << l);
        for (size_t b = 0; b < doc->n_blocks && !marked; b++)
            marked = doc->blocks[b].anchor != NULL;
        marked |= doc->n_cards > 0;
    }
    if (!marked)
        return 0;
    if (!(o->texts = calloc(SRCDIR_MAX_LANGS, sizeof *o->texts)))
        return -1;
    for (int l = 0; l < sd->n_langs; l++)
        if (it->texts[l].doc && outline_text_add(&o->texts[l], it, it->texts[l].doc) < 0)
            return -1;
    return 0;
}

static const outline_text *outline_of(const outline *ol, const srcdir *sd, const srcdir_item *it, int lang)
{
    static const outline_text none = {0};
    const outline_item *o = &ol->items[it - sd->items];
    return o->texts ? &o->texts[lang] : &none;
}

/* 1 when the item's text in lang was read and parsed. */
static int outline_parsed(const outline *ol, const srcdir *sd, const srcdir_item *it, int lang)
{
    return (ol->items[it - sd->items].parsed >> lang) & 1;
}

static const outline_anchor *find_anchor(const outline_text *t, const char *anchor)
{
    for (size_t i = 0; i < t->n_anchors; i++)
        if (strcmp(t->anchors[i].anchor, anchor) == 0)
            return &t->anchors[i];
    return NULL;
}

/* First language of the item that was parsed (the reference for "the same
 * in every language"), or -1. */
static int first_lang(const srcdir *sd, const srcdir_item *it)
{
    for (int l = 0; l < sd->n_langs; l++)
        if (it->texts[l].doc)
            return l;
    return -1;
}

/* The same, from an outline (the item may be unloaded). */
static int outline_first_lang(const outline *ol, const srcdir *sd, const srcdir_item *it)
{
    for (int l = 0; l < sd->n_langs; l++)
        if (outline_parsed(ol, sd, it, l))
            return l;
    return -1;
}

/* ---- links ------------------------------------------------------------------ */

typedef enum {
    LINK_STORED,   /* goes into the links table */
    LINK_SKIPPED,  /* fine, not a link between items (category, external) */
    LINK_BROKEN,   /* why says why */
    LINK_LATER     /* its target is an item not read yet (a streaming build) */
} link_result;

/* Resolves one link of item it in language lang to the (item, anchor) pair
 * the links table stores. Deck links resolve to the card's anchor. */
static link_result resolve_link(const srcdir *sd, const outline *ol, const srcdir_item *it, int lang,
                                const content_link *l, const char **t_item, const char **t_anchor, char *why,
                                size_t cap)
{
    *t_item = NULL;
    *t_anchor = "";
    switch (l->kind) {
    case CONTENT_LINK_EXTERNAL:
        return LINK_SKIPPED;
    case CONTENT_LINK_CATEGORY:
        if (srcdir_find_category(sd, l->item))
            return LINK_SKIPPED;
        snprintf(why, cap, "link to missing category '%s'", l->item);
        return LINK_BROKEN;
    case CONTENT_LINK_ANCHOR:
        if (!find_anchor(outline_of(ol, sd, it, lang), l->anchor)) {
            snprintf(why, cap, "link to missing anchor '#%s' (no {#%s} in this text)", l->anchor, l->anchor);
            return LINK_BROKEN;
        }
        *t_item = it->id;
        *t_anchor = l->anchor;
        return LINK_STORED;
    case CONTENT_LINK_ITEM:
    case CONTENT_LINK_DECK:
        break;
    default:
        snprintf(why, cap, "%s", l->error ? l->error : "invalid link");
        return LINK_BROKEN;
    }
    const srcdir_item *target = srcdir_find_item(sd, l->item);
    if (!target) {
        snprintf(why, cap, "link to missing item '%s'", l->item);
        return LINK_BROKEN;
    }
    if (!ol->items[target - sd->items].done)
        return LINK_LATER;
    *t_item = target->id;
    /* Anchor sets are checked to be equal across languages separately, so
     * here the link's own language is asked first, then the reference one. */
    int tl = outline_parsed(ol, sd, target, lang) ? lang : outline_first_lang(ol, sd, target);
    if (tl < 0) {
        snprintf(why, cap, "link to item '%s', which has no readable text", l->item);
        return LINK_BROKEN;
    }
    const outline_text *tt = outline_of(ol, sd, target, tl);
    if (l->kind == CONTENT_LINK_ITEM) {
        if (l->anchor && *l->anchor) {
            if (!find_anchor(tt, l->anchor)) {
                snprintf(why, cap, "link to missing anchor '%s#%s'", l->item, l->anchor);
                return LINK_BROKEN;
            }
            *t_anchor = l->anchor;
        }
        return LINK_STORED;
    }
    if (!target->has_kind)
        return LINK_STORED; /* its item.conf is broken and already reported */
    if (target->kind != SRCDIR_EXPLAINER) {
        snprintf(why, cap, "deck link to '%s', which is not an explainer (it is a %s)", l->item,
                 srcdir_kind_name(target->kind));
        return LINK_BROKEN;
    }
    if (l->card < 1 || (size_t)l->card > tt->n_cards) {
        snprintf(why, cap, "deck link to card %d of '%s', which has only %zu", l->card, l->item, tt->n_cards);
        return LINK_BROKEN;
    }
    const char *a = tt->cards[l->card - 1];
    *t_anchor = a ? a : "";
    return LINK_STORED;
}

/* ---- checks ------------------------------------------------------------------ */

static int card_line(const content_doc *doc, size_t c)
{
    return doc->blocks[doc->cards[c].first_block].line;
}

/* Two cards match when their anchors do; two cards without one also match
 * (that is reported once per card, not again as a difference). */
static int same_anchor(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Explainers: every card has an anchor, and every language has the same
 * cards in the same order (deck:<id>/<n> and card anchors must mean the same
 * card whatever the reader's language). */
static void check_cards(srcdir *sd, const srcdir_item *it)
{
    char rel[128], ref_rel[128];
    int ref = first_lang(sd, it);
    if (ref < 0)
        return;
    for (int l = 0; l < sd->n_langs; l++) {
        const content_doc *doc = it->texts[l].doc;
        if (!doc)
            continue;
        srcdir_text_path(sd, it, l, rel, sizeof rel);
        if (doc->n_cards == 0)
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, it->texts[l].body_line,
                            "explainer has no cards (each card starts with '## Title {#card-id}')");
        for (size_t c = 0; c < doc->n_cards; c++)
            if (!doc->cards[c].anchor)
                srcdir_diag_add(sd, SRCDIR_ERROR, rel, card_line(doc, c),
                                "card '%.80s' has no anchor (end its '##' line with {#card-id})",
                                doc->cards[c].title);
    }
    const content_doc *rd = it->texts[ref].doc;
    srcdir_text_path(sd, it, ref, ref_rel, sizeof ref_rel);
    const char *ref_file = strrchr(ref_rel, '/') + 1;
    for (int l = ref + 1; l < sd->n_langs; l++) {
        const content_doc *doc = it->texts[l].doc;
        if (!doc)
            continue;
        srcdir_text_path(sd, it, l, rel, sizeof rel);
        size_t n = doc->n_cards < rd->n_cards ? doc->n_cards : rd->n_cards, k = 0;
        while (k < n && same_anchor(doc->cards[k].anchor, rd->cards[k].anchor))
            k++;
        if (k < n) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, card_line(doc, k),
                            "cards differ from %s: card %zu is {#%s} here but {#%s} there", ref_file, k + 1,
                            doc->cards[k].anchor ? doc->cards[k].anchor : "",
                            rd->cards[k].anchor ? rd->cards[k].anchor : "");
        } else if (doc->n_cards != rd->n_cards) {
            int line = doc->n_cards > n ? card_line(doc, n)
                       : doc->n_cards ? card_line(doc, doc->n_cards - 1) : it->texts[l].body_line;
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, line, "cards differ from %s: %zu here, %zu there",
                            ref_file, doc->n_cards, rd->n_cards);
        }
    }
}

/* Every language of an item has the same set of anchors, so a link works
 * whatever language the reader chose. Cards are check_cards' business. */
static void check_anchor_sets(srcdir *sd, const outline *ol, const srcdir_item *it)
{
    char rel[128], ref_rel[128];
    int ref = first_lang(sd, it);
    if (ref < 0)
        return;
    const outline_text *rl = outline_of(ol, sd, it, ref);
    srcdir_text_path(sd, it, ref, ref_rel, sizeof ref_rel);
    for (int l = ref + 1; l < sd->n_langs; l++) {
        if (!it->texts[l].doc)
            continue;
        const outline_text *ll = outline_of(ol, sd, it, l);
        srcdir_text_path(sd, it, l, rel, sizeof rel);
        for (size_t i = 0; i < ll->n_anchors; i++)
            if (!ll->anchors[i].card && !find_anchor(rl, ll->anchors[i].anchor))
                srcdir_diag_add(sd, SRCDIR_ERROR, rel, ll->anchors[i].line,
                                "anchor {#%s} is not in %s (every language needs the same anchors)",
                                ll->anchors[i].anchor, strrchr(ref_rel, '/') + 1);
        for (size_t i = 0; i < rl->n_anchors; i++)
            if (!rl->anchors[i].card && !find_anchor(ll, rl->anchors[i].anchor))
                srcdir_diag_add(sd, SRCDIR_ERROR, ref_rel, rl->anchors[i].line, "anchor {#%s} is missing from %s",
                                rl->anchors[i].anchor, strrchr(rel, '/') + 1);
    }
}

/* Links that wait for their target: a streaming build meets a link before
 * the item it points to. Where it goes in the links table (pos) is known
 * now, since only a broken link, which stops the build, takes no place. */
typedef struct {
    size_t item;            /* index in sd->items */
    int lang;
    long long pos;
    content_link link;      /* item points into sd->items; anchor owned */
} later_link;

typedef struct {
    later_link *v;
    size_t n, cap;
} later_list;

static int later_push(later_list *ll, size_t item, int lang, long long pos, const content_link *l,
                      const srcdir_item *target)
{
    if (ll->n == ll->cap) {
        size_t cap = ll->cap ? ll->cap * 2 : 64;
        later_link *v = realloc(ll->v, cap * sizeof *v);
        if (!v)
            return -1;
        ll->v = v;
        ll->cap = cap;
    }
    later_link *k = &ll->v[ll->n];
    *k = (later_link){item, lang, pos, *l};
    k->link.url = NULL;
    k->link.error = NULL;
    k->link.item = target->id;
    if (l->anchor && !(k->link.anchor = strdup(l->anchor)))
        return -1;
    ll->n++;
    return 0;
}

static void later_free(later_list *ll)
{
    for (size_t i = 0; i < ll->n; i++)
        free((char *)ll->v[i].link.anchor);
    free(ll->v);
}

/* Reports the broken links of item it and its external ones (with report);
 * each link that goes into the links table gets the next pos of its text
 * and is passed to put (when not NULL) or, with its target ahead, to
 * later. Returns -1 when memory ran out or put failed. */
typedef int (*link_store)(void *ctx, const srcdir_item *it, int lang, long long pos, const char *t_item,
                          const char *t_anchor);

static int each_link(srcdir *sd, const outline *ol, const srcdir_item *it, int report, link_store put,
                     void *ctx, later_list *later)
{
    char rel[128], why[256];
    for (int l = 0; l < sd->n_langs; l++) {
        const content_doc *doc = it->texts[l].doc;
        if (!doc)
            continue;
        srcdir_text_path(sd, it, l, rel, sizeof rel);
        long long pos = 0;
        for (size_t i = 0; i < doc->n_links; i++) {
            const content_link *k = &doc->links[i];
            const char *ti, *ta;
            link_result r = resolve_link(sd, ol, it, l, k, &ti, &ta, why, sizeof why);
            if (r == LINK_BROKEN && report)
                srcdir_diag_add(sd, SRCDIR_ERROR, rel, k->line, "%s", why);
            else if (k->kind == CONTENT_LINK_EXTERNAL && report)
                srcdir_diag_add(sd, SRCDIR_WARNING, rel, k->line,
                                "external link '%.200s' is shown as plain text (the kiosk is offline)", k->url);
            if (r == LINK_STORED && put && put(ctx, it, l, pos, ti, ta) < 0)
                return -1;
            if (r == LINK_LATER && later &&
                later_push(later, (size_t)(it - sd->items), l, pos, k, srcdir_find_item(sd, k->item)) < 0)
                return -1;
            if (r == LINK_STORED || r == LINK_LATER)
                pos++;
        }
    }
    return 0;
}

/* Keywords are for places the text has: 'keywords.art43-1' needs {#art43-1}. */
static void check_keywords(srcdir *sd, const outline *ol, const srcdir_item *it)
{
    char rel[128];
    for (int l = 0; l < sd->n_langs; l++) {
        const srcdir_text *t = &it->texts[l];
        if (!t->doc)
            continue;
        srcdir_text_path(sd, it, l, rel, sizeof rel);
        for (size_t k = 0; k < t->n_keywords; k++)
            if (t->keywords[k].anchor[0] && !find_anchor(outline_of(ol, sd, it, l), t->keywords[k].anchor))
                srcdir_diag_add(sd, SRCDIR_ERROR, rel, t->keywords[k].line,
                                "keywords for missing anchor '%s' (no {#%s} in this text)", t->keywords[k].anchor,
                                t->keywords[k].anchor);
    }
}

/* The checks of one loaded, outlined item; links to items ahead go to
 * later (NULL: every item is outlined). Returns -1 when memory ran out. */
static int check_item(srcdir *sd, const outline *ol, const srcdir_item *it, later_list *later)
{
    if (it->kind == SRCDIR_EXPLAINER)
        check_cards(sd, it);
    check_anchor_sets(sd, ol, it);
    if (each_link(sd, ol, it, 1, NULL, NULL, later) < 0)
        return -1;
    check_keywords(sd, ol, it);
    return 0;
}

int bundle_check(srcdir *sd)
{
    outline ol = {0};
    int rc = outline_init(&ol, sd);
    for (size_t i = 0; rc == 0 && i < sd->n_items; i++)
        rc = outline_add(&ol, sd, &sd->items[i]);
    for (size_t i = 0; rc == 0 && i < sd->n_items; i++)
        rc = check_item(sd, &ol, &sd->items[i], NULL);
    outline_free(&ol);
    return rc;
}

/* ---- writing ------------------------------------------------------------------ */

/* One write session: the connection and the error buffer of bundle_write. */
typedef struct {
    sqlite3 *db;
    char *err;
    size_t errcap;
} writer;

static int exec(writer *w, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(w->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(w->err, w->errcap, "SQLite: %s", msg ? msg : sqlite3_errmsg(w->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int prepare(writer *w, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(w->db, sql, -1, st, NULL) != SQLITE_OK) {
        snprintf(w->err, w->errcap, "SQLite: %s", sqlite3_errmsg(w->db));
        return -1;
    }
    return 0;
}

/* Binds values given as a format string ('t' text, 'i' integer, 'n' NULL,
 * 'b' blob + length), steps once and resets. Strings must outlive the call. */
static int run(writer *w, sqlite3_stmt *st, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        switch (types[i]) {
        case 't': {
            const char *s = va_arg(ap, const char *);
            if (s)
                sqlite3_bind_text(st, i + 1, s, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, i + 1);
            break;
        }
        case 'i':
            sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
            break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            sqlite3_bind_blob64(st, i + 1, p, n, SQLITE_STATIC);
            break;
        }
        default:
            sqlite3_bind_null(st, i + 1);
            break;
        }
    }
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        snprintf(w->err, w->errcap, "SQLite: %s", sqlite3_errmsg(w->db));
        return -1;
    }
    return 0;
}

static void join_langs(const char langs[][3], int n, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? " " : "", langs[i]);
}

static int write_meta(writer *w, const srcdir *sd)
{
    sqlite3_stmt *st = NULL;
    char version[32], langs[16], fallback[16];
    snprintf(version, sizeof version, "%ld", sd->version);
    join_langs(sd->langs, sd->n_langs, langs, sizeof langs);
    join_langs(sd->fallback, sd->n_fallback, fallback, sizeof fallback);
    const char *rows[][2] = {
        {"title", sd->title}, {"bundle_version", version}, {"created", sd->created},
        {"languages", langs}, {"fallback", fallback},
    };
    if (prepare(w, "INSERT INTO meta(key, value) VALUES (?1, ?2)", &st) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof rows / sizeof *rows && rc == 0; i++)
        rc = run(w, st, "tt", rows[i][0], rows[i][1]);
    sqlite3_finalize(st);
    return rc;
}

static int write_categories(writer *w, const srcdir *sd)
{
    sqlite3_stmt *cat = NULL, *txt = NULL;
    int rc = -1;
    if (prepare(w, "INSERT INTO categories(id, pos, icon) VALUES (?1, ?2, NULL)", &cat) < 0 ||
        prepare(w, "INSERT INTO category_texts(category_id, lang, title, summary) VALUES (?1, ?2, ?3, ?4)",
                &txt) < 0)
        goto fail;
    for (size_t i = 0; i < sd->n_categories; i++) {
        const srcdir_category *c = &sd->categories[i];
        if (run(w, cat, "ti", c->id, (long long)c->order) < 0)
            goto fail;
        for (int l = 0; l < sd->n_langs; l++) {
            if (!c->title[l])
                continue;
            if (run(w, txt, "tttt", c->id, sd->langs[l], c->title[l], c->summary[l] ? c->summary[l] : "") < 0)
                goto fail;
        }
    }
    rc = 0;
fail:
    sqlite3_finalize(cat);
    sqlite3_finalize(txt);
    return rc;
}

enum { S_ITEM, S_TEXT, S_ANCHOR, S_LINK, S_KEYWORDS, S_ASSET, S__COUNT };

static const char *const item_sql[S__COUNT] = {
    [S_ITEM] = "INSERT INTO items(id, kind, category_id, pos, featured, cover) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_TEXT] = "INSERT INTO item_texts(item_id, lang, title, summary, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_ANCHOR] = "INSERT INTO anchors(item_id, lang, anchor, pos, level, title) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_LINK] = "INSERT INTO links(item_id, lang, pos, target_item, target_anchor) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_KEYWORDS] = "INSERT INTO keywords(item_id, lang, anchor, words) VALUES (?1, ?2, ?3, ?4)",
    [S_ASSET] = "INSERT INTO assets(name, mime, width, height, size, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

/* One build: the staging file, its statements, the unit index writer, and
 * what the checks know of the items passed so far. */
typedef struct {
    writer w;
    srcdir *sd;
    sqlite3_stmt *st[S__COUNT];
    builder *bld;       /* settings, schema, transaction, index writer */
    indexer *ixr;       /* the builder's */
    outline ol;
    later_list later;
} build;

static int store_link(void *ctx, const srcdir_item *it, int lang, long long pos, const char *t_item,
                      const char *t_anchor)
{
    build *b = ctx;
    return run(&b->w, b->st[S_LINK], "ttitt", it->id, b->sd->langs[lang], pos, t_item, t_anchor);
}

/* One language of one item: its text, anchors and keywords; then its units
 * go into the unit index (indexer.h), from the same rows a kiosk indexes an
 * update from. Its links are each_link's. */
static int write_text(build *b, const srcdir_item *it, int l)
{
    writer *w = &b->w;
    const srcdir_text *t = &it->texts[l];
    const char *lang = b->sd->langs[l];
    anchor_list al = {0};
    int rc = -1;
    if (run(w, b->st[S_TEXT], "ttttt", it->id, lang, t->title, t->summary, t->source + t->body_offset) < 0)
        return -1;
    long long text_rowid = (long long)sqlite3_last_insert_rowid(w->db);
    if (collect_anchors(it, t->doc, 1, &al) < 0) {
        snprintf(w->err, w->errcap, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < al.n; i++) {
        const anchor_row *r = &al.rows[i];
        if (run(w, b->st[S_ANCHOR], "tttiit", it->id, lang, r->anchor, (long long)i, (long long)r->level,
                r->title) < 0)
            goto done;
    }
    for (size_t i = 0; i < t->n_keywords; i++)
        if (run(w, b->st[S_KEYWORDS], "tttt", it->id, lang, t->keywords[i].anchor, t->keywords[i].words) < 0)
            goto done;
    if (indexer_add_text(b->ixr, text_rowid, it->id, srcdir_kind_name(it->kind), lang, t->title, t->summary,
                         t->doc) < 0) {
        snprintf(w->err, w->errcap, "search index: %s", indexer_error(b->ixr));
        goto done;
    }
    rc = 0;
done:
    free_anchors(&al);
    return rc;
}

/* The images of the loaded item it, in name order. */
static int write_assets(build *b, const srcdir_item *it)
{
    const srcdir *sd = b->sd;
    size_t n = strlen(it->id);
    for (size_t i = 0; i < sd->n_assets; i++) {
        const srcdir_asset *a = &sd->assets[i];
        if (strncmp(a->name, it->id, n) != 0 || a->name[n] != '/')
            continue;
        if (run(&b->w, b->st[S_ASSET], "ttiiib", a->name, a->mime, (long long)a->width, (long long)a->height,
                (long long)a->size, (const void *)a->data, a->size) < 0)
            return -1;
    }
    return 0;
}

/* Every row of a loaded item, its images and the links whose targets are
 * known. */
static int write_item(build *b, const srcdir_item *it)
{
    const srcdir *sd = b->sd;
    if (run(&b->w, b->st[S_ITEM], "tttiit", it->id, srcdir_kind_name(it->kind), it->category, (long long)it->order,
            (long long)it->featured, it->cover) < 0)
        return -1;
    for (int l = 0; l < sd->n_langs; l++)
        if (it->texts[l].doc && write_text(b, it, l) < 0)
            return -1;
    if (each_link(b->sd, &b->ol, it, 0, store_link, b, NULL) < 0)
        return -1;
    return write_assets(b, it);
}

/* The links that waited for their targets: stored, or reported as broken. */
static int write_later(build *b)
{
    srcdir *sd = b->sd;
    char rel[128], why[256];
    for (size_t i = 0; i < b->later.n; i++) {
        const later_link *k = &b->later.v[i];
        const srcdir_item *it = &sd->items[k->item];
        const char *ti, *ta;
        link_result r = resolve_link(sd, &b->ol, it, k->lang, &k->link, &ti, &ta, why, sizeof why);
        if (r == LINK_BROKEN) {
            srcdir_text_path(sd, it, k->lang, rel, sizeof rel);
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, k->link.line, "%s", why);
        } else if (r == LINK_STORED && !sd->n_errors && store_link(b, it, k->lang, k->pos, ti, ta) < 0) {
            return -1;
        }
    }
    return 0;
}

/* fsyncs a file or directory by path. */
static int sync_path(const char *path, int dir)
{
    int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Opens the empty staging database (builder.h: the settings, schema,
 * transaction and index writer a first full sync uses too), then meta,
 * categories and statements. */
static int begin(build *b)
{
    writer *w = &b->w;
    if (!(b->bld = builder_begin(w->db, w->err, w->errcap)))
        return -1;
    b->ixr = builder_indexer(b->bld);
    if (write_meta(w, b->sd) < 0 || write_categories(w, b->sd) < 0)
        return -1;
    for (int i = 0; i < S__COUNT; i++)
        if (prepare(w, item_sql[i], &b->st[i]) < 0)
            return -1;
    return 0;
}

/* Ends the transaction: word lists, merged index, digest. */
static int finish(build *b, char digest[DIGEST_HEX_LEN + 1])
{
    writer *w = &b->w;
    sqlite3_stmt *st = NULL;
    /* The digest covers every content table but itself and the search
     * index, all written by now: it is computed while the index thread
     * merges, which the build waited for before (100,000 items: 8 s of
     * digest after 5 s of waiting), and stored last. */
    builder_end_texts(b->bld);
    if (digest_compute(w->db, digest, w->err, w->errcap) < 0)
        return -1;
    int rc = builder_finish(b->bld, w->err, w->errcap);
    b->bld = NULL;
    b->ixr = NULL;
    if (rc < 0)
        return -1;
    if (prepare(w, "INSERT INTO meta(key, value) VALUES ('digest', ?1)", &st) < 0)
        return -1;
    rc = run(w, st, "t", digest);
    sqlite3_finalize(st);
    /* No VACUUM: rows go in sorted order into a fresh file, so the layout
     * is already a function of the content alone, and rewriting a 400 MB
     * bundle cost a quarter of the build (measured: 10,000 items, 17 s with
     * it, 13 s without; the file has no free pages either way). */
    return rc < 0 ? -1 : exec(w, "COMMIT");
}

/* Reads (unless the model holds it already), checks and writes each item in
 * turn; with stream, each is freed again before the next is read. */
static int each_item(build *b, int stream)
{
    srcdir *sd = b->sd;
    for (size_t i = 0; i < sd->n_items; i++) {
        srcdir_item *it = &sd->items[i];
        if (stream && srcdir_load_item(sd, i) < 0)
            goto nomem;
        /* A model read whole was checked whole; its links ahead wait all
         * the same, so both ways write the same bytes. */
        if (outline_add(&b->ol, sd, it) < 0 ||
            (stream ? check_item(sd, &b->ol, it, &b->later) : each_link(sd, &b->ol, it, 0, NULL, NULL, &b->later)) <
                0)
            goto nomem;
        /* After the first error the rest is only checked: no bundle comes of it. */
        if (!sd->n_errors && write_item(b, it) < 0)
            return -1;
        if (stream)
            srcdir_unload_item(sd, i);
    }
    return 0;
nomem:
    snprintf(b->w.err, b->w.errcap, "out of memory");
    return -1;
}

static void build_free(build *b)
{
    for (int i = 0; i < S__COUNT; i++)
        sqlite3_finalize(b->st[i]);
    builder_free(b->bld);
    outline_free(&b->ol);
    later_free(&b->later);
}

/* Builds path from sd: path.tmp first, fsync, then an atomic rename; a
 * failure or an error in the content leaves nothing at path. */
static int build_file(srcdir *sd, int stream, const char *path, char digest[DIGEST_HEX_LEN + 1], char *err,
                      size_t errcap)
{
    char tmp[SRCDIR_MAX_PATH + 8], dir[SRCDIR_MAX_PATH + 8];
    build b = {.w = {.db = NULL, .err = err, .errcap = errcap}, .sd = sd};
    /* A streaming build reads on after an error, to report them all. */
    if (!stream && sd->n_errors) {
        snprintf(err, errcap, "the content has %zu errors", sd->n_errors);
        return -1;
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errcap, "output path too long");
        return -1;
    }
    if (unlink(tmp) < 0 && errno != ENOENT) {
        snprintf(err, errcap, "cannot remove stale %s: %s", tmp, strerror(errno));
        return -1;
    }
    if (sqlite3_open_v2(tmp, &b.w.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errcap, "cannot create %s: %s", tmp, b.w.db ? sqlite3_errmsg(b.w.db) : "out of memory");
        goto fail;
    }
    if (outline_init(&b.ol, sd) < 0) {
        snprintf(err, errcap, "out of memory");
        goto fail;
    }
    /* Content that has errors already (bundle.conf) is only read on and
     * checked: its meta rows may not even be writable. */
    if ((!sd->n_errors && begin(&b) < 0) || each_item(&b, stream) < 0)
        goto fail;
    if (stream)
        srcdir_end_items(sd);
    if (write_later(&b) < 0)
        goto fail;
    if (sd->n_errors) {
        snprintf(err, errcap, "the content has %zu errors", sd->n_errors);
        goto fail;
    }
    if (finish(&b, digest) < 0)
        goto fail;
    build_free(&b);
    if (sqlite3_close(b.w.db) != SQLITE_OK) {
        snprintf(err, errcap, "cannot close %s: %s", tmp, sqlite3_errmsg(b.w.db));
        goto fail;
    }
    b.w.db = NULL;
    if (sync_path(tmp, 0) < 0) {
        snprintf(err, errcap, "cannot sync %s: %s", tmp, strerror(errno));
        goto fail;
    }
    if (rename(tmp, path) < 0) {
        snprintf(err, errcap, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        goto fail;
    }
    /* The rename is only durable once the directory entry is. */
    snprintf(dir, sizeof dir, "%s", path);
    sync_path(dirname(dir), 1);
    return 0;
fail:
    build_free(&b);
    sqlite3_close(b.w.db);
    unlink(tmp);
    return -1;
}

int bundle_write(srcdir *sd, const char *path, char digest[DIGEST_HEX_LEN + 1], char *err, size_t errcap)
{
    return build_file(sd, 0, path, digest, err, errcap);
}

int bundle_build(srcdir *sd, const char *path, char digest[DIGEST_HEX_LEN + 1], char *err, size_t errcap)
{
    return build_file(sd, 1, path, digest, err, errcap);
}

/* ---- info ----------------------------------------------------------------------- */

/* Runs a one-row query with an optional text parameter; fills up to two
 * integer columns. Returns 0, or -1 when it failed or found no row. */
static int query_ints(sqlite3 *db, const char *sql, const char *param, long long *a, long long *b)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *a = sqlite3_column_int64(st, 0);
        if (b)
            *b = sqlite3_column_int64(st, 1);
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The records digest the bundle keeps (records.h), in one line: what a
 * kiosk's next install starts from. O(bins). */
static void records_info(sqlite3 *db, const char *digest, FILE *out)
{
    unsigned char root[32], bins[32], signed_root[32];
    char hex[65], was[65], why[300];
    int has_signed = records_signed_root(db, signed_root, why, sizeof why);
    const char *sig = has_signed < 0 ? "signed root unreadable" : !has_signed ? "no signed root" : NULL;
    if (records_stored(db, root, was, why, sizeof why) != 1) {
        if (has_signed == 1)
            sodium_bin2hex(hex, sizeof hex, signed_root, 32);
        fprintf(out, "records: not kept (%s%s)\n", has_signed == 1 ? "signed " : sig, has_signed == 1 ? hex : "");
        return;
    }
    sodium_bin2hex(hex, sizeof hex, root, 32);
    int bins_ok = records_bins_root(db, bins, why, sizeof why) == 0 && !memcmp(bins, root, 32);
    if (!sig)
        sig = memcmp(signed_root, root, 32) ? "NOT the signed root" : "the signed root";
    fprintf(out, "records: %s (%s, %s, %s)\n", hex, strcmp(was, digest) ? "stale: kept for another digest" : "kept",
            bins_ok ? "bins agree" : "bins DISAGREE", sig);
}

int bundle_info(const char *path, FILE *out, char *err, size_t errcap)
{
    store_status status;
    char title[STORE_TITLE_MAX] = "", version[32] = "", created[32] = "", published[32] = "", langs[64] = "";
    char fallback[64] = "";
    char stored[DIGEST_HEX_LEN + 1] = "", computed[DIGEST_HEX_LEN + 1];
    store *s = store_open(path, &status, err, errcap);
    if (!s)
        return -1;
    sqlite3 *db = store_db(s);
    int articles = 0, documents = 0, explainers = 0;
    long long n_assets = 0, bytes = 0, n_cats = 0;
    char finding[300];
    if (store_db_check(db, 0, finding, sizeof finding) < 0) {
        snprintf(err, errcap, "bundle is damaged: %s", finding);
        goto fail;
    }
    store_meta(s, "title", title, sizeof title);
    store_meta(s, "bundle_version", version, sizeof version);
    store_meta(s, "created", created, sizeof created);
    store_meta(s, "published", published, sizeof published);
    store_meta(s, "languages", langs, sizeof langs);
    store_meta(s, "fallback", fallback, sizeof fallback);
    if (store_meta(s, "digest", stored, sizeof stored) < 0) {
        snprintf(err, errcap, "%s has no digest", path);
        goto fail;
    }
    if (store_counts(s, &articles, &documents, &explainers) < 0 ||
        query_ints(db, "SELECT count(*) FROM categories", NULL, &n_cats, NULL) < 0 ||
        query_ints(db, "SELECT count(*), coalesce(sum(size), 0) FROM assets", NULL, &n_assets, &bytes) < 0) {
        snprintf(err, errcap, "cannot read %s: %s", path, sqlite3_errmsg(db));
        goto fail;
    }
    fprintf(out, "title: %s\nversion: %s\ncreated: %s\n", title, version, created);
    if (published[0]) /* stamped by publish: what kiosks show */
        fprintf(out, "published: %s\n", published);
    fprintf(out, "languages: %s\nfallback: %s\n", langs, fallback);
    fprintf(out, "categories: %lld\n", n_cats);
    fprintf(out, "items: %d (articles %d, documents %d, explainers %d)\n", articles + documents + explainers,
            articles, documents, explainers);
    fprintf(out, "texts:");
    char list[64];
    snprintf(list, sizeof list, "%s", langs);
    for (char *save = NULL, *l = strtok_r(list, " ", &save); l; l = strtok_r(NULL, " ", &save)) {
        long long n = 0;
        query_ints(db, "SELECT count(*) FROM item_texts WHERE lang = ?1", l, &n, NULL);
        fprintf(out, " %s %lld", l, n);
    }
    fprintf(out, "\nassets: %lld (%lld bytes)\n", n_assets, bytes);
    if (digest_compute(db, computed, err, errcap) < 0)
        goto fail;
    if (strcmp(stored, computed) != 0) {
        fprintf(out, "digest: %s (MISMATCH)\n", stored);
        snprintf(err, errcap, "digest mismatch: stored %s, content gives %s", stored, computed);
        goto fail;
    }
    fprintf(out, "digest: %s (verified)\n", stored);
    records_info(db, stored, out);
    store_close(s);
    return 0;
fail:
    store_close(s);
    return -1;
}

/* ---- search --------------------------------------------------------------------- */

/* Writes s with tabs and newlines as spaces, so a result stays one line. */
static void put_field(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

int bundle_search(const char *path, const char *lang, int limit, const char *query, FILE *out, char *err,
                  size_t errcap)
{
    store_status status;
    store *s = store_open(path, &status, err, errcap);
    if (!s)
        return -1;
    store_result *r = calloc((size_t)(limit > 0 ? limit : 1), sizeof *r);
    store_find_info info;
    int n = r ? store_find(s, query, lang, 0, r, limit, &info) : -1;
    if (n < 0) {
        snprintf(err, errcap, r ? "search failed: %s" : "out of memory", sqlite3_errmsg(store_db(s)));
        goto done;
    }
    if (info.corrected[0])
        fprintf(out, "Showing results for: %s\n", info.corrected);
    if (info.any_word)
        fprintf(out, "Showing results with any of the words\n");
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s\t", r[i].route);
        put_field(out, r[i].title);
        if (r[i].item_title[0]) {
            fputs(" \xE2\x80\x94 ", out);
            put_field(out, r[i].item_title);
        }
        if (r[i].other_lang)
            fprintf(out, " [%s]", r[i].lang);
        fputc('\t', out);
        put_field(out, r[i].snippet);
        fputc('\n', out);
    }
done:
    free(r);
    store_close(s);
    return n;
}
