#include "indexer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "utf8.h"

/* ---- a growing string --------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->failed = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static const char *sb_str(sbuf *b)
{
    return b->p && !b->failed ? b->p : "";
}

/* ---- the word list: canonical form and language → stem ----------------------
 *
 * Stemming is the costly part of indexing (Snowball, per word occurrence),
 * and a text repeats its words, so every (language, form) is stemmed once
 * and remembered here. The same table says which forms are new to the
 * search_forms list. Open addressing; strings in chunks that never move. */

typedef struct {
    const char *form;   /* NULL: empty slot */
    const char *stem;   /* == form when the stem is the form */
    uint32_t hash;
    uint8_t lang;
} word_slot;

typedef struct chunk {
    struct chunk *next;
    size_t used;
    char data[1u << 16];
} chunk;

typedef struct {
    word_slot *slots;
    size_t mask, n;
    chunk *chunks;
} word_map;

static uint32_t hash_word(const char *s, int lang)
{
    uint32_t h = 2166136261u ^ (uint32_t)lang;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static char *map_strdup(word_map *m, const char *s)
{
    size_t n = strlen(s) + 1;
    if (!m->chunks || m->chunks->used + n > sizeof m->chunks->data) {
        chunk *c = malloc(sizeof *c);
        if (!c)
            return NULL;
        c->next = m->chunks;
        c->used = 0;
        m->chunks = c;
    }
    char *p = m->chunks->data + m->chunks->used;
    memcpy(p, s, n);
    m->chunks->used += n;
    return p;
}

static int map_grow(word_map *m)
{
    size_t cap = m->slots ? (m->mask + 1) * 2 : 4096;
    word_slot *s = calloc(cap, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        if (!m->slots[i].form)
            continue;
        size_t j = m->slots[i].hash & (cap - 1);
        while (s[j].form)
            j = (j + 1) & (cap - 1);
        s[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = s;
    m->mask = cap - 1;
    return 0;
}

static void map_free(word_map *m)
{
    free(m->slots);
    while (m->chunks) {
        chunk *c = m->chunks->next;
        free(m->chunks);
        m->chunks = c;
    }
    memset(m, 0, sizeof *m);
}

/* ---- the writer ------------------------------------------------------------- */

enum {
    W_UNIT,
    W_INDEX,
    W_HEADS,
    W_INDEX_DEL,
    W_HEADS_DEL,
    W_FORM,
    W_VOCAB,
    W_GRAMS,
    W_FORM_ELSEWHERE,
    W_KEYWORDS,
    W_UNIT_IDS,
    W_UNITS_DEL,
    W_ITEM_TEXTS,
    W_KIND,
    W_BLOCK_LAST,
    W_UNIT_SET,
    W_UNIT_DEL,
    W__COUNT
};

static const char *const writer_sql[W__COUNT] = {
    [W_UNIT] = "INSERT INTO search_units(id, text_id, item_id, lang, anchor, card, body, title) "
               "VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [W_BLOCK_LAST] = "SELECT max(id) FROM search_units WHERE id >= ?1 AND id < ?2",
    [W_INDEX] = "INSERT INTO search_index(rowid, title, keywords, context, body, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [W_HEADS] = "INSERT INTO search_heads(rowid, title, keywords, lang) VALUES (?1, ?2, ?3, ?4)",
    [W_INDEX_DEL] = "INSERT INTO search_index(search_index, rowid, title, keywords, context, body, lang) "
                    "VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6)",
    [W_HEADS_DEL] = "INSERT INTO search_heads(search_heads, rowid, title, keywords, lang) "
                    "VALUES ('delete', ?1, ?2, ?3, ?4)",
    [W_FORM] = "INSERT OR IGNORE INTO search_forms(form, lang, stem) VALUES (?1, ?2, ?3)",
    [W_VOCAB] = "INSERT INTO search_vocab(word) VALUES (?1)",
    [W_GRAMS] = "INSERT INTO search_grams(rowid, grams) VALUES (?1, ?2)",
    [W_FORM_ELSEWHERE] = "SELECT 1 FROM search_forms WHERE form = ?1 AND lang <> ?2 LIMIT 1",
    [W_KEYWORDS] = "SELECT anchor, words FROM keywords WHERE item_id = ?1 AND lang = ?2 ORDER BY anchor",
    [W_UNIT_IDS] = "SELECT id FROM search_units WHERE text_id = ?1 ORDER BY id",
    [W_UNITS_DEL] = "DELETE FROM search_units WHERE text_id = ?1",
    [W_ITEM_TEXTS] = "SELECT rowid, lang, title, summary, body FROM item_texts WHERE item_id = ?1 ORDER BY lang",
    [W_KIND] = "SELECT kind FROM items WHERE id = ?1",
    [W_UNIT_SET] = "UPDATE search_units SET anchor = ?2, card = ?3, body = ?4, title = ?5 WHERE id = ?1",
    [W_UNIT_DEL] = "DELETE FROM search_units WHERE id = ?1",
};

#define LANGS 3

/* Unit ids an update took out, handed out again (smallest first) before
 * new ones: a text put back under the ids it had keeps its units, and the
 * rows of search_units and the index's size tables, on the pages they were
 * on, so an edit rewrites those pages instead of two sets of them. */
typedef struct {
    sqlite3_int64 *ids;
    size_t n, cap, next; /* ids[next..n) are free */
    int sorted;
} id_pool;

static const char *const lang_codes[LANGS + 1] = {"kk", "ru", "en", ""};

struct indexer {
    sqlite3 *db;
    sqlite3_stmt *st[W__COUNT];
    fts_stemmer *stem;
    bgindex *behind;        /* the full-text rows go to its thread; NULL: here */
    word_map words;
    /* An update's forms to write to search_forms: those first met in a
     * text being added (a text taken out had its forms written when it
     * went in). A list, so writing after each item costs O(its new forms),
     * not a walk over the whole map. Copies of slots (the map moves them as
     * it grows); their strings are in the map's chunks, which stay until the
     * map is freed, after a write. A whole build writes its map instead. */
    word_slot *pend;
    size_t n_pend, cap_pend;
    int removing;           /* the text at hand is being taken out */
    int whole;
    int flushed;            /* whole: the word map was written and emptied
                               before the end (vocabulary from search_forms) */
    sqlite3_int64 next_id[LANGS + 1]; /* per language block; 0 until looked up */
    id_pool freed[LANGS + 1]; /* ids taken out in this session, given again */
    /* The units of the text being replaced (indexer_hold_text), as they
     * were indexed, until it is added again. */
    struct held_unit *held;
    size_t n_held;
    sqlite3_int64 held_text; /* its item_texts rowid, 0 when none held */
    char held_lang[16];
    char err[300];
};

const char *indexer_error(const indexer *ix)
{
    return ix->err;
}

static int fail_db(indexer *ix, const char *what)
{
    snprintf(ix->err, sizeof ix->err, "%s: %s", what, sqlite3_errmsg(ix->db));
    return -1;
}

static int fail_nomem(indexer *ix)
{
    snprintf(ix->err, sizeof ix->err, "out of memory");
    return -1;
}

indexer *indexer_open(sqlite3 *db, int whole, char *err, size_t errcap)
{
    indexer *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->stem = fts_stemmer_new())) {
        snprintf(err, errcap, "out of memory");
        free(ix);
        return NULL;
    }
    ix->db = db;
    ix->whole = whole;
    for (int i = 0; i < W__COUNT; i++) {
        if (sqlite3_prepare_v2(db, writer_sql[i], -1, &ix->st[i], NULL) != SQLITE_OK) {
            snprintf(err, errcap, "search index: %s", sqlite3_errmsg(db));
            indexer_close(ix, NULL, 0);
            return NULL;
        }
    }
    return ix;
}

static int lang_index(const char *lang)
{
    for (int i = 0; i < LANGS; i++)
        if (!strcmp(lang, lang_codes[i]))
            return i;
    return LANGS;
}

void indexer_write_behind(indexer *ix, bgindex *g)
{
    ix->behind = g;
}

sqlite3_int64 indexer_lang_block(const char *lang)
{
    return (sqlite3_int64)(lang_index(lang) + 1) << INDEXER_BLOCK_SHIFT;
}

static int pend_push(indexer *ix, const word_slot *w)
{
    if (ix->n_pend == ix->cap_pend) {
        size_t cap = ix->cap_pend ? ix->cap_pend * 2 : 1024;
        word_slot *p = realloc(ix->pend, cap * sizeof *p);
        if (!p)
            return -1;
        ix->pend = p;
        ix->cap_pend = cap;
    }
    ix->pend[ix->n_pend++] = *w;
    return 0;
}

/* The stem of a canonical form in a language (h its hash_word),
 * remembered. NULL on OOM. */
static const char *stem_of(indexer *ix, int lang, const char *form, uint32_t h)
{
    word_map *m = &ix->words;
    if ((m->n + 1) * 2 > (m->slots ? m->mask + 1 : 0) && map_grow(m) < 0)
        return NULL;
    size_t j = h & m->mask;
    while (m->slots[j].form) {
        if (m->slots[j].hash == h && m->slots[j].lang == lang && !strcmp(m->slots[j].form, form))
            return m->slots[j].stem;
        j = (j + 1) & m->mask;
    }
    char stem[FTS_WORD_MAX + 1];
    fts_stem(ix->stem, lang < LANGS ? fts_lang_of(lang_codes[lang]) : FTS_LANG_OTHER, form, stem);
    word_slot *s = &m->slots[j];
    if (!(s->form = map_strdup(m, form)))
        return NULL;
    s->stem = strcmp(stem, form) ? map_strdup(m, stem) : s->form;
    if (!s->stem) {
        s->form = NULL;
        return NULL;
    }
    s->hash = h;
    s->lang = (uint8_t)lang;
    m->n++;
    if (!ix->whole && !ix->removing && pend_push(ix, s) < 0)
        return NULL;
    return s->stem;
}

/* Words looked up together. A whole build's map holds up to
 * INDEXER_MAX_WORDS forms, tens of MB, so a lookup is a cache miss on its
 * slot and another on its form; asked for a batch of words at once, the
 * memory fetches them side by side instead of one after another (perf,
 * 10,000 items: the slot load was 87 % of put_stems, itself the largest
 * part of the build's main thread). */
#define STEM_BATCH 32

/* Starts fetching the slot of each word, then the form of the slot its
 * lookup will compare first. Only hints: stem_of looks up as ever. */
static void prefetch_words(const word_map *m, const uint32_t *h, size_t n)
{
    if (!m->slots)
        return;
    for (size_t i = 0; i < n; i++)
        __builtin_prefetch(&m->slots[h[i] & m->mask]);
    for (size_t i = 0; i < n; i++) {
        size_t j = h[i] & m->mask;
        while (m->slots[j].form && m->slots[j].hash != h[i])
            j = (j + 1) & m->mask;
        if (m->slots[j].form)
            __builtin_prefetch(m->slots[j].form);
    }
}

/* Appends the stems of text's words to out, space-separated. */
static int put_stems(indexer *ix, int lang, const char *text, size_t len, sbuf *out)
{
    size_t pos = 0, s, e, n;
    char w[STEM_BATCH][FTS_WORD_MAX + 1];
    uint32_t h[STEM_BATCH];
    do {
        for (n = 0; n < STEM_BATCH && fts_next_word(text, len, &pos, &s, &e, w[n]); n++)
            h[n] = hash_word(w[n], lang);
        prefetch_words(&ix->words, h, n);
        for (size_t i = 0; i < n; i++) {
            const char *stem = stem_of(ix, lang, w[i], h[i]);
            if (!stem)
                return fail_nomem(ix);
            if (out->len)
                sb_put(out, " ", 1);
            sb_put(out, stem, strlen(stem));
        }
    } while (n == STEM_BATCH);
    return out->failed ? fail_nomem(ix) : 0;
}

/* ---- units ------------------------------------------------------------------ */

typedef struct {
    size_t first, end;      /* blocks [first, end) */
    const char *anchor;     /* NULL: the item itself */
    int card;               /* 1-based card, 0 */
    int heading;            /* the first block is the unit's heading (its title) */
} unit_span;

typedef struct {
    const content_doc *doc;
    size_t *off, *len;      /* each block's bytes in the plain text */
    unit_span *units;
    size_t n_units;
} unit_plan;

static size_t block_plain_len(const content_doc *doc, size_t i)
{
    const content_block *b = &doc->blocks[i];
    if (b->type == CONTENT_IMAGE)
        return strlen(doc->images[b->image].alt);
    size_t n = 0;
    for (size_t r = 0; r < b->n_runs; r++)
        n += b->runs[r].len;
    return n;
}

/* Block offsets in content_plain_text(doc): blocks with text, each followed
 * by a newline (content.c). */
static void plain_offsets(const content_doc *doc, size_t *off, size_t *len)
{
    size_t o = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        off[i] = o;
        len[i] = block_plain_len(doc, i);
        if (len[i])
            o += len[i] + 1;
    }
}

/* Where units begin: cards in an explainer, anchored blocks elsewhere. */
static int plan_units(const content_doc *doc, const char *kind, unit_plan *p)
{
    size_t nb = doc->n_blocks;
    p->doc = doc;
    p->off = calloc(nb + 1, sizeof *p->off);
    p->len = calloc(nb + 1, sizeof *p->len);
    p->units = calloc(nb + 1, sizeof *p->units);
    if (!p->off || !p->len || !p->units)
        return -1;
    plain_offsets(doc, p->off, p->len);
    int deck = !strcmp(kind, "explainer");
    p->units[0] = (unit_span){0, nb, NULL, 0, 0};
    p->n_units = 1;
    for (size_t i = 0; i < nb; i++) {
        const content_block *b = &doc->blocks[i];
        int card = 0;
        if (deck) {
            for (size_t c = 0; c < doc->n_cards && !card; c++)
                if (doc->cards[c].first_block == i)
                    card = (int)c + 1;
            if (!card)
                continue;
        } else if (!b->anchor) {
            continue;
        }
        p->units[p->n_units - 1].end = i;
        p->units[p->n_units++] = (unit_span){i, nb, b->anchor, card, b->type == CONTENT_HEADING};
    }
    if (deck)
        p->units[0].end = 0; /* text before the first card is not shown */
    return 0;
}

static void free_plan(unit_plan *p)
{
    free(p->off);
    free(p->len);
    free(p->units);
}

/* The unit's body: its blocks after its heading, as a range of the plain text. */
static void unit_range(const unit_plan *p, const unit_span *u, size_t *start, size_t *len)
{
    size_t from = u->first + (u->heading ? 1 : 0), s = 0, e = 0;
    int any = 0;
    for (size_t i = from; i < u->end; i++) {
        if (!p->len[i])
            continue;
        if (!any)
            s = p->off[i];
        e = p->off[i] + p->len[i];
        any = 1;
    }
    *start = any ? s : 0;
    *len = any ? e - s : 0;
}

/* The nearest heading above block i, or -1. */
static long heading_above(const content_doc *doc, size_t i)
{
    while (i-- > 0)
        if (doc->blocks[i].type == CONTENT_HEADING)
            return (long)i;
    return -1;
}

/* A clause's number: "5." or "5)" at the start of its text, or an ordered
 * list item's number; 0 when it has none. */
static int clause_number(const content_block *b, const char *text)
{
    if (b->type == CONTENT_LIST_ITEM && b->ordered)
        return b->number;
    int n = 0, digits = 0;
    while (*text == ' ')
        text++;
    while (*text >= '0' && *text <= '9' && digits < 4) {
        n = n * 10 + (*text++ - '0');
        digits++;
    }
    return digits && (*text == '.' || *text == ')') ? n : 0;
}

/* Says where a clause is: "Article 43, clause 1", «Статья 43, пункт 1»,
 * «43-бап, 1-тармақ»; just the article's heading when the clause has no
 * number; the anchored text itself when nothing heads it. */
static char *where_title(const content_doc *doc, const unit_span *u, const char *kind, const char *lang)
{
    const content_block *b = &doc->blocks[u->first];
    char *own = content_block_text(b);
    if (!own || u->heading || u->card)
        return own;
    long h = heading_above(doc, u->first);
    if (h < 0)
        return own;
    char *head = content_block_text(&doc->blocks[h]);
    if (!head)
        return own;
    int num = strcmp(kind, "document") ? 0 : clause_number(b, own);
    size_t cap = strlen(head) + 48;
    char *t = malloc(cap);
    if (t) {
        if (!num)
            snprintf(t, cap, "%s", head);
        else if (!strcmp(lang, "kk"))
            snprintf(t, cap, "%s, %d-тармақ", head, num);
        else if (!strcmp(lang, "ru"))
            snprintf(t, cap, "%s, пункт %d", head, num);
        else
            snprintf(t, cap, "%s, clause %d", head, num);
    }
    free(head);
    free(own);
    return t;
}

/* ---- one text ------------------------------------------------------------------ */

/* The rows of one unit, as stems. */
typedef struct {
    sbuf title, keywords, context, body;
    char *where;            /* display title (owned) */
    size_t start, len;
} unit_rows;

static void rows_free(unit_rows *r)
{
    free(r->title.p);
    free(r->keywords.p);
    free(r->context.p);
    free(r->body.p);
    free(r->where);
    memset(r, 0, sizeof *r);
}

/* The editor's keywords of one place ('' the item) in this text. */
static const char *keywords_of(indexer *ix, const char *item_id, const char *lang, const char *anchor, sbuf *out)
{
    sqlite3_stmt *st = ix->st[W_KEYWORDS];
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    out->len = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *w = (const char *)sqlite3_column_text(st, 1);
        if (a && w && !strcmp(a, anchor ? anchor : ""))
            sb_put(out, w, strlen(w));
    }
    sqlite3_reset(st);
    return sb_str(out);
}

typedef struct {
    const char *item_id, *kind, *lang, *title, *summary;
    int li;                 /* language index */
    const content_doc *doc;
    const char *plain;
} text_in;

static int make_rows(indexer *ix, const text_in *in, const unit_plan *p, const unit_span *u, unit_rows *r)
{
    sbuf kw = {0};
    int rc = -1;
    r->where = u->anchor ? where_title(in->doc, u, in->kind, in->lang) : strdup(in->title);
    if (!r->where)
        goto done;
    unit_range(p, u, &r->start, &r->len);
    keywords_of(ix, in->item_id, in->lang, u->anchor, &kw);
    if (put_stems(ix, in->li, r->where, strlen(r->where), &r->title) < 0 ||
        put_stems(ix, in->li, sb_str(&kw), kw.len, &r->keywords) < 0 ||
        put_stems(ix, in->li, in->plain + r->start, r->len, &r->body) < 0)
        goto done;
    if (u->anchor && (u->card || !u->heading)) {
        /* A clause or a card is found by its item's title, and a clause by
         * its article's heading too ("статья 43 срок"). A heading's unit
         * has its words in its title already. */
        long h = heading_above(in->doc, u->first);
        char *head = h >= 0 && !u->card ? content_block_text(&in->doc->blocks[h]) : NULL;
        rc = put_stems(ix, in->li, in->title, strlen(in->title), &r->context);
        if (rc == 0 && head)
            rc = put_stems(ix, in->li, head, strlen(head), &r->context);
        free(head);
        if (rc < 0)
            goto done;
    } else if (!u->anchor && put_stems(ix, in->li, in->summary, strlen(in->summary), &r->context) < 0) {
        goto done;
    }
    rc = 0;
done:
    free(kw.p);
    if (rc < 0 && !ix->err[0])
        fail_nomem(ix);
    return rc;
}

static int step_done(indexer *ix, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : fail_db(ix, what);
}

enum { PUT_INDEX = 1, PUT_HEADS = 2, PUT_BOTH = 3 };

/* Writes (or, with del, removes) one unit's rows in the unit index and/or
 * the heads index (which: PUT_*) under id. */
static int put_index(indexer *ix, sqlite3_int64 id, unit_rows *r, const char *lang, int del, int which)
{
    if (ix->behind && !del) {
        if (bgindex_put(ix->behind, id, sb_str(&r->title), sb_str(&r->keywords), sb_str(&r->context),
                        sb_str(&r->body), lang) == 0)
            return 0;
        bgindex_error(ix->behind, ix->err, sizeof ix->err);
        return -1;
    }
    sqlite3_stmt *st = ix->st[del ? W_INDEX_DEL : W_INDEX];
    if (which & PUT_INDEX) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, sb_str(&r->title), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, sb_str(&r->keywords), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, sb_str(&r->context), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, sb_str(&r->body), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, lang, -1, SQLITE_STATIC);
        if (step_done(ix, st, "search index") < 0)
            return -1;
    }
    if (!(which & PUT_HEADS))
        return 0;
    st = ix->st[del ? W_HEADS_DEL : W_HEADS];
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, sb_str(&r->title), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sb_str(&r->keywords), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, lang, -1, SQLITE_STATIC);
    return step_done(ix, st, "search heads");
}

static int cmp_id(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return x < y ? -1 : x > y;
}

static int pool_put(id_pool *p, const sqlite3_int64 *ids, size_t n)
{
    if (p->n + n > p->cap) {
        size_t cap = p->cap ? p->cap : 64;
        while (cap < p->n + n)
            cap *= 2;
        sqlite3_int64 *grown = realloc(p->ids, cap * sizeof *grown);
        if (!grown)
            return -1;
        p->ids = grown;
        p->cap = cap;
    }
    memcpy(p->ids + p->n, ids, n * sizeof *ids);
    p->n += n;
    p->sorted = 0;
    return 0;
}

/* The smallest free id: a text's units take ids in order, and every id
 * handed out new is above all of these, so its units stay in id order. */
static int pool_take(id_pool *p, sqlite3_int64 *id)
{
    if (p->next == p->n)
        return 0;
    if (!p->sorted) {
        qsort(p->ids + p->next, p->n - p->next, sizeof *p->ids, cmp_id);
        p->sorted = 1;
    }
    *id = p->ids[p->next++];
    if (p->next == p->n)
        p->next = p->n = 0;
    return 1;
}

/* The next free id in the block of language l: after the last one in the
 * bundle (an update adds to a bundle that has units), then counted here. */
static int next_unit_id(indexer *ix, int l, int fresh, sqlite3_int64 *id)
{
    if (!fresh && pool_take(&ix->freed[l], id))
        return 0;
    if (!ix->next_id[l]) {
        sqlite3_int64 base = (sqlite3_int64)(l + 1) << INDEXER_BLOCK_SHIFT;
        sqlite3_stmt *st = ix->st[W_BLOCK_LAST];
        sqlite3_bind_int64(st, 1, base);
        sqlite3_bind_int64(st, 2, base + ((sqlite3_int64)1 << INDEXER_BLOCK_SHIFT));
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            return fail_db(ix, "search units");
        }
        ix->next_id[l] = sqlite3_column_type(st, 0) == SQLITE_NULL ? base : sqlite3_column_int64(st, 0) + 1;
        sqlite3_reset(st);
    }
    *id = ix->next_id[l]++;
    return 0;
}

/* Adds a unit under a free id (fresh: one above every id in the block). */
static int put_unit(indexer *ix, sqlite3_int64 text_id, const text_in *in, const unit_span *u, unit_rows *r,
                    int fresh)
{
    sqlite3_int64 id;
    if (next_unit_id(ix, lang_index(in->lang), fresh, &id) < 0)
        return -1;
    sqlite3_stmt *st = ix->st[W_UNIT];
    sqlite3_bind_int64(st, 8, id);
    sqlite3_bind_int64(st, 1, text_id);
    sqlite3_bind_text(st, 2, in->item_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, in->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->anchor ? u->anchor : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, u->card);
    /* The unit's own plain text, for its snippet: a clause's snippet can
     * only come from that clause. */
    sqlite3_bind_text(st, 6, in->plain + r->start, (int)r->len, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->where, -1, SQLITE_STATIC);
    if (step_done(ix, st, "search units") < 0)
        return -1;
    return put_index(ix, id, r, in->lang, 0, PUT_BOTH);
}

/* The ids of a text's units, in order (for removal). */
static int unit_ids(indexer *ix, sqlite3_int64 text_id, sqlite3_int64 *ids, size_t max, size_t *n)
{
    sqlite3_stmt *st = ix->st[W_UNIT_IDS];
    sqlite3_bind_int64(st, 1, text_id);
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail_db(ix, "search units");
}

/* A unit as it was indexed, held while its text is replaced. */
typedef struct held_unit {
    sqlite3_int64 id;
    unit_rows r;            /* its stems; r.where its display title */
    char *anchor;           /* its search_units values */
    int card;
    char *plain;
} held_unit;

static void held_free(indexer *ix)
{
    for (size_t i = 0; i < ix->n_held; i++) {
        rows_free(&ix->held[i].r);
        free(ix->held[i].anchor);
        free(ix->held[i].plain);
    }
    free(ix->held);
    ix->held = NULL;
    ix->n_held = 0;
    ix->held_text = 0;
}

static int sb_same(const sbuf *a, const sbuf *b)
{
    return a->len == b->len && (a->len == 0 || !memcmp(a->p, b->p, a->len));
}

/* Keeps unit u of the text being held, under id, with its rows r. */
static int hold_unit(indexer *ix, const text_in *in, const unit_span *u, sqlite3_int64 id, unit_rows *r)
{
    held_unit *h = &ix->held[ix->n_held];
    h->id = id;
    h->card = u->card;
    h->anchor = strdup(u->anchor ? u->anchor : "");
    h->plain = strndup(in->plain + r->start, r->len);
    h->r = *r;
    memset(r, 0, sizeof *r);
    ix->n_held++;
    return h->anchor && h->plain ? 0 : fail_nomem(ix);
}

/* Unit i of a text put back over its held self (same id): only what
 * changed is written. The heads index (title, keywords) is left alone
 * when those did not change, the unit index when no column did, the
 * search_units row when its values are the same. */
static int replace_unit(indexer *ix, const text_in *in, const unit_span *u, held_unit *h, unit_rows *r)
{
    int heads = !sb_same(&h->r.title, &r->title) || !sb_same(&h->r.keywords, &r->keywords);
    int which = (heads ? PUT_HEADS : 0) |
                (heads || !sb_same(&h->r.context, &r->context) || !sb_same(&h->r.body, &r->body) ? PUT_INDEX : 0);
    if (which && (put_index(ix, h->id, &h->r, in->lang, 1, which) < 0 || put_index(ix, h->id, r, in->lang, 0, which) < 0))
        return -1;
    const char *anchor = u->anchor ? u->anchor : "";
    if (!strcmp(h->anchor, anchor) && h->card == u->card && strlen(h->plain) == r->len &&
        !memcmp(h->plain, in->plain + r->start, r->len) && !strcmp(h->r.where, r->where))
        return 0;
    sqlite3_stmt *st = ix->st[W_UNIT_SET];
    sqlite3_bind_int64(st, 1, h->id);
    sqlite3_bind_text(st, 2, anchor, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, u->card);
    sqlite3_bind_text(st, 4, in->plain + r->start, (int)r->len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->where, -1, SQLITE_STATIC);
    return step_done(ix, st, "search units");
}

/* The held units from `from` on go out, rows and all: those a text put
 * back did not reuse, or all of them when it was not put back. */
static int drop_held(indexer *ix, size_t from)
{
    int rc = 0;
    for (size_t i = from; rc == 0 && i < ix->n_held; i++) {
        held_unit *h = &ix->held[i];
        sqlite3_bind_int64(ix->st[W_UNIT_DEL], 1, h->id);
        if (put_index(ix, h->id, &h->r, ix->held_lang, 1, PUT_BOTH) < 0 ||
            step_done(ix, ix->st[W_UNIT_DEL], "search units") < 0)
            rc = -1;
        else if (pool_put(&ix->freed[lang_index(ix->held_lang)], &h->id, 1) < 0)
            rc = fail_nomem(ix);
    }
    held_free(ix);
    return rc;
}

enum { TEXT_ADD, TEXT_REMOVE, TEXT_HOLD };

/* Adds (TEXT_ADD), removes (TEXT_REMOVE) or holds (TEXT_HOLD: reads and
 * keeps, writes nothing) the units of one text. A text added while its
 * old units are held takes their ids in order: unit i over held unit i. */
static int do_text(indexer *ix, sqlite3_int64 text_id, const text_in *in, int mode)
{
    unit_plan p = {0};
    sqlite3_int64 *ids = NULL;
    size_t n_ids = 0;
    int rc = -1, over = mode == TEXT_ADD && ix->held_text == text_id;
    if (plan_units(in->doc, in->kind, &p) < 0) {
        fail_nomem(ix);
        goto done;
    }
    /* A hold not followed by its text: that text went, its units go. */
    if (!over && ix->n_held && drop_held(ix, 0) < 0)
        goto done;
    if (mode != TEXT_ADD) {
        if (!(ids = calloc(p.n_units + 1, sizeof *ids)) ||
            (mode == TEXT_HOLD && !(ix->held = calloc(p.n_units + 1, sizeof *ix->held)))) {
            fail_nomem(ix);
            goto done;
        }
        if (unit_ids(ix, text_id, ids, p.n_units, &n_ids) < 0)
            goto done;
        if (mode == TEXT_HOLD) {
            ix->held_text = text_id;
            snprintf(ix->held_lang, sizeof ix->held_lang, "%s", in->lang);
        }
    }
    for (size_t i = 0; i < p.n_units; i++) {
        unit_rows r = {0};
        if (mode != TEXT_ADD && i >= n_ids)
            break;
        int bad = make_rows(ix, in, &p, &p.units[i], &r) < 0;
        if (!bad && mode == TEXT_REMOVE)
            bad = put_index(ix, ids[i], &r, in->lang, 1, PUT_BOTH) < 0;
        else if (!bad && mode == TEXT_HOLD)
            bad = hold_unit(ix, in, &p.units[i], ids[i], &r) < 0;
        else if (!bad && over && i < ix->n_held)
            bad = replace_unit(ix, in, &p.units[i], &ix->held[i], &r) < 0;
        else if (!bad)
            /* Past the held units: a new id, above theirs, keeps the order. */
            bad = put_unit(ix, text_id, in, &p.units[i], &r, over) < 0;
        rows_free(&r);
        if (bad)
            goto done;
    }
    if (over && drop_held(ix, p.n_units) < 0)
        goto done;
    if (mode == TEXT_REMOVE) {
        sqlite3_bind_int64(ix->st[W_UNITS_DEL], 1, text_id);
        if (step_done(ix, ix->st[W_UNITS_DEL], "search units") < 0)
            goto done;
        if (pool_put(&ix->freed[in->li], ids, n_ids) < 0) {
            fail_nomem(ix);
            goto done;
        }
    }
    rc = 0;
done:
    if (rc < 0)
        held_free(ix); /* the update fails: nothing is written after */
    free(ids);
    free_plan(&p);
    return rc;
}

static int with_text(indexer *ix, sqlite3_int64 text_id, const char *item_id, const char *kind, const char *lang,
                     const char *title, const char *summary, const content_doc *doc, int mode)
{
    ix->err[0] = '\0';
    char *plain = content_plain_text(doc);
    if (!plain)
        return fail_nomem(ix);
    text_in in = {item_id, kind, lang, title, summary ? summary : "", lang_index(lang), doc, plain};
    int rc = do_text(ix, text_id, &in, mode);
    free(plain);
    return rc;
}

/* ---- the word lists ------------------------------------------------------------ */

/* Adds a form to the correction vocabulary: a number, and its trigrams
 * under that number. Forms of fewer than four letters are never corrected. */
static int put_vocab(indexer *ix, const char *form)
{
    char grams[FTS_MAX_GRAMS * FTS_GRAM_TOKEN + 1];
    if (utf8_count(form, strlen(form)) < 4 || fts_gram_tokens(form, grams) == 0)
        return 0;
    sqlite3_stmt *st = ix->st[W_VOCAB];
    sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
    if (step_done(ix, st, "search vocabulary") < 0)
        return -1;
    st = ix->st[W_GRAMS];
    sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(ix->db));
    sqlite3_bind_text(st, 2, grams, -1, SQLITE_STATIC);
    return step_done(ix, st, "search trigrams");
}

/* 1 when search_forms has the form in a language other than lang. */
static int form_elsewhere(indexer *ix, const char *form, const char *lang)
{
    sqlite3_stmt *st = ix->st[W_FORM_ELSEWHERE];
    sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    int known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return known;
}

/* Writes a form and its stem; a form new to the bundle (in every language:
 * prev is the form written just before, in sorted order) joins the
 * correction vocabulary. An update asks the bundle only about forms the
 * insert added: most forms of an update are there already, and a form
 * there in this language is not new. */
static int put_form(indexer *ix, const word_slot *w, const char *prev)
{
    const char *lang = lang_codes[w->lang];
    sqlite3_stmt *st = ix->st[W_FORM];
    sqlite3_bind_text(st, 1, w->form, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, w->stem == w->form ? "" : w->stem, -1, SQLITE_STATIC);
    if (step_done(ix, st, "search forms") < 0)
        return -1;
    int new_word = ix->flushed ? 0
                   : ix->whole ? !prev || strcmp(prev, w->form)
                               : sqlite3_changes(ix->db) > 0 && !form_elsewhere(ix, w->form, lang);
    return new_word ? put_vocab(ix, w->form) : 0;
}

static int slot_cmp(const void *a, const void *b)
{
    const word_slot *x = *(const word_slot *const *)a, *y = *(const word_slot *const *)b;
    int c = strcmp(x->form, y->form);
    return c ? c : (int)x->lang - (int)y->lang;
}

/* Writes the forms not written yet, sorted (b-trees fill fastest in key
 * order, and the file does not depend on the hash table's layout): a whole
 * build's are the map's (emptied after each write), an update's the list. */
static int write_words(indexer *ix)
{
    word_map *m = &ix->words;
    size_t n = 0, cap = ix->whole ? m->n : ix->n_pend;
    const word_slot **list = malloc((cap ? cap : 1) * sizeof *list);
    if (!list)
        return fail_nomem(ix);
    for (size_t i = 0; ix->whole && m->slots && i <= m->mask; i++)
        if (m->slots[i].form)
            list[n++] = &m->slots[i];
    for (size_t i = 0; !ix->whole && i < ix->n_pend; i++)
        list[n++] = &ix->pend[i];
    qsort(list, n, sizeof *list, slot_cmp);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = put_form(ix, list[i], i ? list[i - 1]->form : NULL);
    free(list);
    ix->n_pend = 0;
    return rc;
}

/* The correction vocabulary of a whole bundle whose word map was flushed:
 * every form of search_forms once, in the order write_words gives when it
 * never flushes, so the tables are the same either way. */
static int vocab_from_forms(indexer *ix)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ix->db, "SELECT DISTINCT form FROM search_forms ORDER BY form", -1, &st, NULL) !=
        SQLITE_OK)
        return fail_db(ix, "search forms");
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = put_vocab(ix, (const char *)sqlite3_column_text(st, 0));
    if (rc == 0 && step != SQLITE_DONE)
        rc = fail_db(ix, "search forms");
    sqlite3_finalize(st);
    return rc;
}

/* Keeps the word map under INDEXER_MAX_WORDS forms, whatever the size of
 * the content: a whole bundle's map is written (its vocabulary then comes
 * from search_forms at the end), an update's is written already; either
 * is emptied and fills again with the words still to come. */
static int bound_words(indexer *ix)
{
    if (ix->words.n < (ix->whole ? INDEXER_MAX_WORDS : INDEXER_UPDATE_MAX_WORDS))
        return 0;
    if (ix->whole)
        ix->flushed = 1;
    if (write_words(ix) < 0) /* the list points into the map */
        return -1;
    map_free(&ix->words);
    return 0;
}

int indexer_add_text(indexer *ix, sqlite3_int64 text_id, const char *item_id, const char *kind, const char *lang,
                     const char *title, const char *summary, const content_doc *doc)
{
    if (bound_words(ix) < 0)
        return -1;
    if (with_text(ix, text_id, item_id, kind, lang, title, summary, doc, 0) < 0)
        return -1;
    return ix->whole ? 0 : write_words(ix);
}

/* Adds, removes or holds (TEXT_*) every text of an item (or its text in
 * lang only, when lang is not NULL), parsed from item_texts. */
static int each_text(indexer *ix, const char *item_id, const char *only, int mode)
{
    if (mode != TEXT_ADD && ix->behind) {
        snprintf(ix->err, sizeof ix->err, "search index: a whole build takes nothing out");
        return -1;
    }
    char kind[16] = "";
    sqlite3_stmt *st = ix->st[W_KIND];
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(kind, sizeof kind, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    st = ix->st[W_ITEM_TEXTS];
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    int rc = bound_words(ix), step;
    ix->removing = mode != TEXT_ADD;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(st, 1);
        if (only && strcmp(only, lang ? lang : ""))
            continue;
        const char *title = (const char *)sqlite3_column_text(st, 2);
        const char *summary = (const char *)sqlite3_column_text(st, 3);
        const char *body = (const char *)sqlite3_column_text(st, 4);
        size_t len = body ? strlen(body) : 0;
        content_doc *doc = content_parse(body ? body : "", len, 0);
        if (!doc && len > CONTENT_MAX_SOURCE) {
            /* Signed or not, text the reader could not show either: say so. */
            snprintf(ix->err, sizeof ix->err, "item %s (%s): text too large (%zu bytes, at most %u)", item_id,
                     lang ? lang : "?", len, CONTENT_MAX_SOURCE);
            rc = -1;
        } else if (!doc) {
            rc = fail_nomem(ix);
        } else {
            rc = with_text(ix, sqlite3_column_int64(st, 0), item_id, kind, lang ? lang : "", title ? title : "",
                           summary, doc, mode);
        }
        content_free(doc);
    }
    sqlite3_reset(st);
    ix->removing = 0;
    if (rc == 0 && mode == TEXT_ADD && !ix->whole)
        rc = write_words(ix);
    return rc;
}

int indexer_add_item(indexer *ix, const char *item_id, const char *lang)
{
    return each_text(ix, item_id, lang, TEXT_ADD);
}

int indexer_remove_item(indexer *ix, const char *item_id, const char *lang)
{
    return each_text(ix, item_id, lang, TEXT_REMOVE);
}

int indexer_hold_text(indexer *ix, const char *item_id, const char *lang)
{
    return each_text(ix, item_id, lang, TEXT_HOLD);
}

int indexer_close(indexer *ix, char *err, size_t errcap)
{
    if (!ix)
        return 0;
    /* A writer whose statements did not all prepare has written nothing. */
    int rc = ix->st[W__COUNT - 1] ? (ix->n_held ? drop_held(ix, 0) : 0) : 0;
    if (rc == 0 && ix->st[W__COUNT - 1])
        rc = write_words(ix);
    if (rc == 0 && ix->flushed)
        rc = vocab_from_forms(ix);
    if (rc < 0 && err)
        snprintf(err, errcap, "%s", ix->err);
    for (int i = 0; i < W__COUNT; i++)
        sqlite3_finalize(ix->st[i]);
    fts_stemmer_free(ix->stem);
    map_free(&ix->words);
    free(ix->pend);
    held_free(ix);
    for (int l = 0; l <= LANGS; l++)
        free(ix->freed[l].ids);
    free(ix);
    return rc;
}
