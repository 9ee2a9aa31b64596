/* find — store_find: search at the right depth over the unit index.
 *
 * Cost is bounded whatever is typed: a word asks the index for at most
 * FIND_TERMS stems (its own stems, the stems of the forms that start with
 * it), the index ranks at most FIND_CANDIDATES units per language, and the
 * first letters (1-2) are answered from the titles' prefix index. Typo
 * correction runs only when a word matches nothing, and reads at most
 * FIND_TRIGRAM_ROWS candidates per trigram. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "indexer.h"
#include "platform.h"
#include "snippet.h"
#include "store_private.h"
#include "utf8.h"

#define FIND_TERMS 48            /* stems asked for per typed word */
#define FIND_CANDIDATES 300      /* units ranked per language and attempt */
#define FIND_MAX_RESULTS 64
#define FIND_SHORT 2             /* a word of this many letters or fewer is looked up in titles first */
#define FIND_TRIGRAM_ROWS 2000   /* candidates read per trigram of a correction */
#define FIND_CAND_SLOTS 8192     /* distinct correction candidates counted (power of two) */
#define FIND_EXPR_MAX 16384
#define FIND_SNIPPET_WORDS 16
#define FIND_VARIANTS 3

enum {
    F_FORM_EXACT,
    F_FORM_PREFIX,
    F_RANKED,
    F_ANY,
    F_HEADS,
    F_EXISTS,
    F_UNIT,
    F_GRAM,
    F_VOCAB,
    F_BLOCKS,
    F__COUNT
};

static const char *const find_sql[F__COUNT] = {
    [F_FORM_EXACT] = "SELECT stem FROM search_forms WHERE form = ?1",
    [F_FORM_PREFIX] = "SELECT form, stem FROM search_forms WHERE form >= ?1 AND form < ?1 || char(1114111) LIMIT ?2",
    /* More query words in the title first, then in title and keywords,
     * then ip_score over the columns (fts.c, db/schema.sql); any-word attempts by the
     * number of words first. */
    [F_RANKED] = "SELECT id FROM (SELECT rowid AS id, ip_word_count(search_index, ?4, 1) AS t, "
                 "ip_word_count(search_index, ?4, 2) AS k, ip_score(search_index, 10, 5, 2, 1) AS r FROM search_index "
                 "WHERE search_index MATCH ?1 AND rowid BETWEEN ?5 AND ?6 LIMIT ?2) ORDER BY t DESC, k DESC, r LIMIT ?3",
    [F_ANY] = "SELECT id FROM (SELECT rowid AS id, ip_word_count(search_index, ?4) AS w, "
              "ip_word_count(search_index, ?4, 1) AS t, ip_word_count(search_index, ?4, 2) AS k, "
              "ip_score(search_index, 10, 5, 2, 1) AS r "
              "FROM search_index WHERE search_index MATCH ?1 AND rowid BETWEEN ?5 AND ?6 LIMIT ?2) "
              "ORDER BY w DESC, t DESC, k DESC, r LIMIT ?3",
    [F_HEADS] = "SELECT id FROM (SELECT rowid AS id, ip_score(search_heads, 2, 1) AS r FROM search_heads "
                "WHERE search_heads MATCH ?1 AND rowid BETWEEN ?5 AND ?6 "
                "LIMIT ?2) ORDER BY r LIMIT ?3",
    [F_BLOCKS] = "SELECT min(id) FROM search_units",
    [F_EXISTS] = "SELECT 1 FROM search_index WHERE search_index MATCH ?1 LIMIT 1",
    [F_UNIT] = "SELECT u.item_id, u.lang, u.anchor, u.card, u.body, u.title, i.kind, t.title "
               "FROM search_units u JOIN items i ON i.id = u.item_id JOIN item_texts t ON t.rowid = u.text_id "
               "WHERE u.id = ?1",
    [F_GRAM] = "SELECT rowid FROM search_grams WHERE search_grams MATCH ?1 LIMIT ?2",
    [F_VOCAB] = "SELECT word FROM search_vocab WHERE id = ?1",
};

typedef char word_buf[FTS_WORD_MAX + 1];

/* One typed word and what it is looked up as. */
typedef struct {
    word_buf typed;                 /* canonical, as typed (or as corrected) */
    word_buf variant[FIND_VARIANTS]; /* typed, then transliterations */
    int n_variants;
    int prefix;                     /* the word being typed: its forms match too */
    word_buf term[FIND_TERMS];      /* stems to ask the index for: the word's own, then its forms' */
    size_t term_len[FIND_TERMS];
    int n_terms;
    int n_own;                      /* term[0..n_own): the stems of the word itself */
    size_t variant_len[FIND_VARIANTS];
    int corrected;
} qword;

typedef struct {
    qword w[FTS_MAX_TERMS];
    int n;
} query;

/* A counted correction candidate: a search_vocab id. */
typedef struct {
    sqlite3_int64 id;
    int count;
} cand_slot;

/* A unit chosen for the results, before its texts are read. */
typedef struct {
    sqlite3_int64 id;
    char lang[4];
    int other;
} pick;

struct finder {
    sqlite3 *db;
    sqlite3_stmt *st[F__COUNT];
    fts_stemmer *stem;
    int blocks;                     /* units numbered in language blocks (indexer.h) */
    query q;
    cand_slot *cands;               /* FIND_CAND_SLOTS */
    char expr[FIND_EXPR_MAX];
    char map[FTS_MAX_TERMS * FIND_TERMS + 2];
};

finder *finder_open(sqlite3 *db, char *err, size_t errcap)
{
    finder *f = calloc(1, sizeof *f);
    if (!f || !(f->stem = fts_stemmer_new()) || !(f->cands = calloc(FIND_CAND_SLOTS, sizeof *f->cands))) {
        snprintf(err, errcap, "out of memory");
        finder_close(f);
        return NULL;
    }
    f->db = db;
    for (int i = 0; i < F__COUNT; i++) {
        if (sqlite3_prepare_v3(db, find_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &f->st[i], NULL) != SQLITE_OK) {
            snprintf(err, errcap, "%s", sqlite3_errmsg(db));
            finder_close(f);
            return NULL;
        }
    }
    /* Every unit in a language block (the smallest id is in the first
     * block), or a bundle from before them: filter by the lang column. */
    sqlite3_stmt *st = f->st[F_BLOCKS];
    f->blocks = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
                sqlite3_column_int64(st, 0) >= indexer_lang_block("kk");
    sqlite3_reset(st);
    return f;
}

void finder_close(finder *f)
{
    if (!f)
        return;
    for (int i = 0; i < F__COUNT; i++)
        sqlite3_finalize(f->st[i]);
    fts_stemmer_free(f->stem);
    free(f->cands);
    free(f);
}

static sqlite3_stmt *prep(finder *f, int q)
{
    sqlite3_reset(f->st[q]);
    sqlite3_clear_bindings(f->st[q]);
    return f->st[q];
}

/* ---- what a word is looked up as ------------------------------------------- */

static void add_term(qword *w, const char *t)
{
    if (!*t || w->n_terms >= FIND_TERMS)
        return;
    for (int i = 0; i < w->n_terms; i++)
        if (!strcmp(w->term[i], t))
            return;
    snprintf(w->term[w->n_terms], sizeof w->term[0], "%s", t);
    w->term_len[w->n_terms] = strlen(w->term[w->n_terms]);
    w->n_terms++;
}

/* The stems a form has in the bundle (search_forms), in every language. */
static void add_known_stems(finder *f, qword *w, const char *form)
{
    sqlite3_stmt *st = prep(f, F_FORM_EXACT);
    sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *stem = (const char *)sqlite3_column_text(st, 0);
        add_term(w, stem && *stem ? stem : form);
    }
    sqlite3_reset(st);
}

/* The stems of the forms that start with prefix, up to the cap. */
static void add_prefix_stems(finder *f, qword *w, const char *prefix)
{
    sqlite3_stmt *st = prep(f, F_FORM_PREFIX);
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, FIND_TERMS * 4);
    while (w->n_terms < FIND_TERMS && sqlite3_step(st) == SQLITE_ROW) {
        const char *form = (const char *)sqlite3_column_text(st, 0);
        const char *stem = (const char *)sqlite3_column_text(st, 1);
        add_term(w, stem && *stem ? stem : form ? form : "");
    }
    sqlite3_reset(st);
}

/* Variants of the typed word: itself, Latin read as Cyrillic, Cyrillic
 * spelled in Latin. */
static void make_variants(qword *w)
{
    w->n_variants = 0;
    snprintf(w->variant[w->n_variants++], sizeof w->variant[0], "%s", w->typed);
    if (fts_is_number(w->typed))
        return;
    if (fts_latin_to_cyrillic(w->typed, w->variant[w->n_variants]))
        w->n_variants++;
    else if (fts_cyrillic_to_latin(w->typed, w->variant[w->n_variants]))
        w->n_variants++;
}

static void make_terms(finder *f, qword *w)
{
    static const fts_lang langs[] = {FTS_LANG_KK, FTS_LANG_RU, FTS_LANG_EN};
    w->n_terms = 0;
    make_variants(w);
    for (int v = 0; v < w->n_variants; v++) {
        const char *form = w->variant[v];
        word_buf stem;
        add_known_stems(f, w, form);
        for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
            if (fts_is_latin(form) != (langs[l] == FTS_LANG_EN))
                continue; /* Kazakh and Russian stemmers for Cyrillic, English for Latin */
            fts_stem(f->stem, langs[l], form, stem);
            add_term(w, stem);
        }
    }
    w->n_own = w->n_terms;
    for (int v = 0; v < w->n_variants; v++)
        w->variant_len[v] = strlen(w->variant[v]);
    for (int v = 0; v < w->n_variants && w->prefix; v++)
        add_prefix_stems(f, w, w->variant[v]);
}

/* Splits text into canonical words; the last is a prefix unless the text
 * ends between words or flags say every word is complete. */
static void parse_query(finder *f, const char *text, unsigned flags)
{
    size_t len = strnlen(text, STORE_QUERY_MAX), pos = 0, s, e;
    query *q = &f->q;
    q->n = 0;
    word_buf form;
    while (q->n < FTS_MAX_TERMS && fts_next_word(text, len, &pos, &s, &e, form)) {
        int dup = 0;
        for (int i = 0; i < q->n; i++)
            dup |= !strcmp(q->w[i].typed, form);
        if (dup)
            continue;
        qword *w = &q->w[q->n++];
        memset(w, 0, sizeof *w);
        snprintf(w->typed, sizeof w->typed, "%s", form);
        w->prefix = e == len && !(flags & STORE_FIND_WORDS);
    }
    for (int i = 0; i < q->n; i++)
        make_terms(f, &q->w[i]);
}

/* ---- FTS5 expressions ------------------------------------------------------------ */

typedef struct {
    char *p;
    size_t o, cap;
    int full;
} ebuf;

static void eput(ebuf *b, const char *fmt, const char *arg)
{
    if (b->full)
        return;
    int n = snprintf(b->p + b->o, b->cap - b->o, fmt, arg);
    if (n < 0 || (size_t)n >= b->cap - b->o)
        b->full = 1;
    else
        b->o += (size_t)n;
}

/* True when a search in lang is a rowid range (its block) rather than a
 * lang : "xx" filter. Languages other than kk, ru and en share the last
 * block, so they are filtered. */
static int by_block(const finder *f, const char *lang)
{
    return f->blocks && lang && *lang && indexer_lang_block(lang) < indexer_lang_block("");
}

/* [lang : "xx" AND] {title keywords context body} : ((w1) AND (w2) ...), with
 * OR between words for any-word matching; no language filter when lang is
 * a block of rowids. map gets the word of each phrase ('-' for the
 * language). Terms are canonical stems (letters and digits), so typed text
 * never becomes FTS5 syntax. Returns 0, -1 when nothing to ask. */
static int build_expr(finder *f, const char *lang, int any, const char *columns)
{
    ebuf b = {f->expr, 0, sizeof f->expr, 0};
    size_t m = 0;
    int words = 0;
    if (lang && *lang && !by_block(f, lang)) {
        eput(&b, "lang : \"%s\" AND ", lang);
        f->map[m++] = '-';
    }
    eput(&b, "{%s} : (", columns);
    for (int i = 0; i < f->q.n; i++) {
        const qword *w = &f->q.w[i];
        if (!w->n_terms)
            continue;
        eput(&b, words ? (any ? " OR (" : " AND (") : "(", "");
        for (int t = 0; t < w->n_terms; t++) {
            eput(&b, t ? " OR \"%s\"" : "\"%s\"", w->term[t]);
            f->map[m++] = (char)('0' + i);
        }
        eput(&b, ")", "");
        words++;
    }
    eput(&b, ")", "");
    f->map[m] = '\0';
    return words && !b.full ? 0 : -1;
}

/* ---- attempts --------------------------------------------------------------------- */

typedef struct {
    pick *picks;
    int n, max;
    char seen[FIND_MAX_RESULTS][2 * STORE_ID_MAX]; /* item#anchor of the picks */
} picks;

/* The unit's "item#anchor", to show each place once across languages. */
static int unit_key(finder *f, sqlite3_int64 id, char *key, size_t cap, char lang[4])
{
    sqlite3_stmt *st = prep(f, F_UNIT);
    sqlite3_bind_int64(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(key, cap, "%s#%s", (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 2));
        snprintf(lang, 4, "%s", (const char *)sqlite3_column_text(st, 1));
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

static void add_pick(finder *f, picks *p, sqlite3_int64 id, int other)
{
    char key[2 * STORE_ID_MAX], lang[4];
    if (p->n >= p->max || unit_key(f, id, key, sizeof key, lang) < 0)
        return;
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->seen[i], key))
            return;
    snprintf(p->seen[p->n], sizeof p->seen[0], "%s", key);
    p->picks[p->n++] = (pick){id, {lang[0], lang[1], lang[2], 0}, other};
}

/* Runs one ranked query in lang's rowids (all of them when lang is
 * filtered in the expression); adds its units. Returns -1 on a database
 * error. */
static int run_ranked(finder *f, int q, const char *lang, picks *p, int other)
{
    sqlite3_stmt *st = prep(f, q);
    sqlite3_bind_text(st, 1, f->expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, FIND_CANDIDATES);
    sqlite3_bind_int(st, 3, p->max);
    if (q != F_HEADS)
        sqlite3_bind_text(st, 4, f->map, -1, SQLITE_STATIC);
    sqlite3_int64 lo = 0, hi = INT64_MAX;
    if (by_block(f, lang)) {
        lo = indexer_lang_block(lang);
        hi = lo + ((sqlite3_int64)1 << INDEXER_BLOCK_SHIFT) - 1;
    }
    sqlite3_bind_int64(st, 5, lo);
    sqlite3_bind_int64(st, 6, hi);
    int rc, n = 0;
    sqlite3_int64 ids[FIND_MAX_RESULTS];
    while (n < p->max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    if (n < p->max && rc != SQLITE_DONE) {
        /* Neither the expression nor SQLite's message, which may quote
         * it: its stems are what the citizen typed. The code's fixed text
         * says enough ("database disk image is malformed"). */
        platform_log(PLATFORM_LOG_ERROR, "store: find: %s", sqlite3_errstr(sqlite3_extended_errcode(f->db)));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    for (int i = 0; i < n; i++)
        add_pick(f, p, ids[i], other);
    return 0;
}

/* The first letters of one word: titles and keywords that have a word
 * starting with them, from the prefix index. */
static int run_heads(finder *f, const char *lang, picks *p, int other)
{
    const qword *w = &f->q.w[0];
    ebuf b = {f->expr, 0, sizeof f->expr, 0};
    if (lang && *lang && !by_block(f, lang))
        eput(&b, "lang : \"%s\" AND ", lang);
    eput(&b, "{title keywords} : (", "");
    for (int v = 0; v < w->n_variants; v++)
        eput(&b, v ? " OR \"%s\"*" : "\"%s\"*", w->variant[v]);
    eput(&b, ")", "");
    return b.full ? 0 : run_ranked(f, F_HEADS, lang, p, other);
}

static int short_query(const query *q)
{
    return q->n == 1 && q->w[0].prefix && !fts_is_number(q->w[0].typed) &&
           utf8_count(q->w[0].typed, strlen(q->w[0].typed)) <= FIND_SHORT;
}

/* One attempt in a list of languages: all words (any = 0) or any word. */
static int attempt(finder *f, const char *const *langs, int n_langs, int any, int other, picks *p)
{
    for (int l = 0; l < n_langs && p->n < p->max; l++) {
        int before = p->n;
        if (!any && short_query(&f->q) && run_heads(f, langs[l], p, other) < 0)
            return -1;
        if (p->n > before)
            continue;
        if (build_expr(f, langs[l], any, "title keywords context body") < 0)
            continue;
        if (run_ranked(f, any ? F_ANY : F_RANKED, langs[l], p, other) < 0)
            return -1;
    }
    return 0;
}

/* ---- typo correction -------------------------------------------------------------- */

/* 1 when the word's terms match anything in the bundle. */
static int word_has_hit(finder *f, int i)
{
    ebuf b = {f->expr, 0, sizeof f->expr, 0};
    const qword *w = &f->q.w[i];
    if (!w->n_terms)
        return 0;
    eput(&b, "{title keywords context body} : (", "");
    for (int t = 0; t < w->n_terms; t++)
        eput(&b, t ? " OR \"%s\"" : "\"%s\"", w->term[t]);
    eput(&b, ")", "");
    if (b.full)
        return 1;
    sqlite3_stmt *st = prep(f, F_EXISTS);
    sqlite3_bind_text(st, 1, f->expr, -1, SQLITE_STATIC);
    int hit = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return hit;
}

/* Counts, per vocabulary word, the trigrams it shares with word. Returns
 * the number of trigrams of word. */
static int count_trigrams(finder *f, const char *word)
{
    char grams[FTS_MAX_GRAMS * FTS_GRAM_TOKEN + 1];
    int n_tri = fts_gram_tokens(word, grams);
    memset(f->cands, 0, FIND_CAND_SLOTS * sizeof *f->cands);
    for (char *save = NULL, *g = strtok_r(grams, " ", &save); g; g = strtok_r(NULL, " ", &save)) {
        sqlite3_stmt *st = prep(f, F_GRAM);
        sqlite3_bind_text(st, 1, g, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, FIND_TRIGRAM_ROWS);
        while (sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(st, 0);
            size_t j = ((uint64_t)id * 0x9E3779B97F4A7C15ull >> 40) & (FIND_CAND_SLOTS - 1);
            for (int probe = 0; probe < 64; probe++, j = (j + 1) & (FIND_CAND_SLOTS - 1)) {
                cand_slot *s = &f->cands[j];
                if (s->count && s->id != id)
                    continue;
                s->id = id;
                s->count++;
                break;
            }
        }
        sqlite3_reset(st);
    }
    return n_tri;
}

/* The word of a vocabulary id into out; 0, or -1 when there is none. */
static int vocab_word(finder *f, sqlite3_int64 id, word_buf out)
{
    sqlite3_stmt *st = prep(f, F_VOCAB);
    sqlite3_bind_int64(st, 1, id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out, sizeof(word_buf), "%s", (const char *)sqlite3_column_text(st, 0));
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

/* The first n code points of s into out. */
static void first_letters(const char *s, size_t n, word_buf out)
{
    size_t i = 0, len = strlen(s);
    while (n-- > 0 && i < len)
        i += utf8_char_len(s + i);
    memcpy(out, s, i);
    out[i] = '\0';
}

/* The closest form of the bundle to variant v (a word being typed is
 * compared with the forms' beginnings too), within the allowed edits;
 * writes it to best and returns its distance, or limit + 1. */
static int closest_form(finder *f, const char *v, int prefix, int limit, word_buf best)
{
    int n_tri = count_trigrams(f, v), best_d = limit + 1;
    size_t letters = utf8_count(v, strlen(v));
    best[0] = '\0';
    for (int i = 0; i < FIND_CAND_SLOTS; i++) {
        const cand_slot *s = &f->cands[i];
        /* One edit changes at most three trigrams. */
        if (!s->count || s->count < n_tri - 3 * limit)
            continue;
        word_buf cand;
        if (vocab_word(f, s->id, cand) < 0)
            continue;
        int d = fts_distance(v, cand, limit);
        if (prefix && d > 0) {
            word_buf head;
            first_letters(cand, letters, head);
            int dp = fts_distance(v, head, limit);
            if (dp < d) {
                d = dp;
                snprintf(cand, sizeof cand, "%s", head);
            }
        }
        if (d < best_d || (d == best_d && d <= limit && strcmp(cand, best) < 0)) {
            best_d = d;
            snprintf(best, sizeof(word_buf), "%s", cand);
        }
    }
    return best_d;
}

/* Corrects the words that match nothing. Returns how many were corrected. */
static int correct_words(finder *f)
{
    int fixed = 0;
    for (int i = 0; i < f->q.n; i++) {
        qword *w = &f->q.w[i];
        size_t letters = utf8_count(w->typed, strlen(w->typed));
        if (letters < 4 || fts_is_number(w->typed) || word_has_hit(f, i))
            continue;
        int limit = letters >= 8 ? 2 : 1, best_d = limit + 1;
        word_buf best = "";
        for (int v = 0; v < w->n_variants; v++) {
            word_buf c;
            int d = closest_form(f, w->variant[v], w->prefix, limit, c);
            if (d < best_d) {
                best_d = d;
                snprintf(best, sizeof best, "%s", c);
            }
        }
        if (best_d > limit || !best[0])
            continue;
        snprintf(w->typed, sizeof w->typed, "%s", best);
        w->corrected = 1;
        make_terms(f, w);
        fixed++;
    }
    return fixed;
}

/* ---- results ------------------------------------------------------------------------ */

typedef struct {
    finder *f;
    fts_lang lang;
} match_ctx;

/* A word of a result is a hit when it is a form of a query word: it is
 * what was typed, or starts with it (the word being typed), or has the same
 * stem in the result's language. Forms are stemmed only when they start
 * like one of the word's own stems (a stem is almost always a prefix of its
 * forms), which keeps a snippet of hundreds of words cheap. */
static int match_form(void *arg, const char *form)
{
    match_ctx *m = arg;
    const query *q = &m->f->q;
    word_buf stem;
    int stemmed = 0;
    for (int i = 0; i < q->n; i++) {
        const qword *w = &q->w[i];
        for (int v = 0; v < w->n_variants; v++)
            if (w->prefix ? !strncmp(form, w->variant[v], w->variant_len[v]) : !strcmp(form, w->variant[v]))
                return i + 1;
        for (int t = 0; t < w->n_own; t++) {
            if (form[0] != w->term[t][0] || strncmp(form, w->term[t], w->term_len[t]) != 0)
                continue;
            if (!stemmed) {
                fts_stem(m->f->stem, m->lang, form, stem);
                stemmed = 1;
            }
            if (!strcmp(stem, w->term[t]))
                return i + 1;
        }
    }
    return 0;
}

static void copy_ranges(store_range *dst, const snippet_range *src, int n)
{
    for (int i = 0; i < n; i++) {
        dst[i].start = src[i].start;
        dst[i].len = src[i].len;
    }
}

static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    size_t n = s ? strlen(s) : 0;
    if (n >= cap)
        n = utf8_cut(s, cap - 1);
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

static void make_route(store_result *r)
{
    if (r->card)
        snprintf(r->route, sizeof r->route, "deck/%s/%d", r->item_id, r->card);
    else if (r->anchor[0])
        snprintf(r->route, sizeof r->route, "item/%s#%s", r->item_id, r->anchor);
    else
        snprintf(r->route, sizeof r->route, "item/%s", r->item_id);
}

/* The snippet: from the unit's own plain text (column col of st). */
static void unit_snippet(finder *f, sqlite3_stmt *st, int col, match_ctx *m, store_result *r)
{
    snippet_range hl[STORE_MAX_HIGHLIGHTS];
    const char *body = (const char *)sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (!body || n == 0)
        return;
    r->n_snippet_hl = snippet_window(body, n, match_form, m, f->q.n, FIND_SNIPPET_WORDS, r->snippet,
                                     sizeof r->snippet, hl, STORE_MAX_HIGHLIGHTS);
    copy_ranges(r->snippet_hl, hl, r->n_snippet_hl);
}

static int read_result(finder *f, const pick *p, store_result *r)
{
    sqlite3_stmt *st = prep(f, F_UNIT);
    sqlite3_bind_int64(st, 1, p->id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    memset(r, 0, sizeof *r);
    copy_col(r->item_id, sizeof r->item_id, st, 0);
    copy_col(r->lang, sizeof r->lang, st, 1);
    copy_col(r->anchor, sizeof r->anchor, st, 2);
    r->card = sqlite3_column_int(st, 3);
    char where[STORE_TITLE_MAX];
    copy_col(where, sizeof where, st, 5);
    copy_col(r->kind, sizeof r->kind, st, 6);
    if (r->anchor[0])
        copy_col(r->item_title, sizeof r->item_title, st, 7);
    r->other_lang = p->other;
    make_route(r);
    match_ctx m = {f, fts_lang_of(r->lang)};
    snippet_range hl[STORE_MAX_HIGHLIGHTS];
    r->n_title_hl = snippet_mark(where, strlen(where), match_form, &m, r->title, sizeof r->title, hl,
                                 STORE_MAX_HIGHLIGHTS);
    copy_ranges(r->title_hl, hl, r->n_title_hl);
    unit_snippet(f, st, 4, &m, r);
    sqlite3_reset(st);
    return 0;
}

/* "Showing results for …": the words as searched, corrections included. */
static void corrected_text(const query *q, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < q->n && o < cap; i++) {
        int n = snprintf(out + o, cap - o, "%s%s", i ? " " : "", q->w[i].typed);
        if (n < 0)
            break;
        o += (size_t)n;
    }
}

static int any_corrected(const query *q)
{
    for (int i = 0; i < q->n; i++)
        if (q->w[i].corrected)
            return 1;
    return 0;
}

/* Splits the languages into the one asked for and the others, in fallback
 * order. Returns how many are "asked" (the first ones of order). */
static int lang_plan(const char (*langs)[4], int n_langs, const char *lang, const char *order[], int *n_order)
{
    int n = 0;
    if (lang && *lang)
        order[n++] = lang;
    for (int i = 0; i < n_langs; i++)
        if (!(lang && *lang && !strcmp(langs[i], lang)))
            order[n++] = langs[i];
    *n_order = n;
    return lang && *lang ? 1 : n;
}

/* Attempts 1 and 2: every word in the asked languages, then the others. */
static int all_words(finder *f, const char **order, int asked, int n_order, int any, picks *p, store_find_info *info)
{
    if (attempt(f, order, asked, any, 0, p) < 0)
        return -1;
    if (p->n == 0 && asked < n_order) {
        if (attempt(f, order + asked, n_order - asked, any, 1, p) < 0)
            return -1;
        info->other_langs = p->n > 0;
    }
    return 0;
}

int finder_find(finder *f, const char (*langs)[4], int n_langs, const char *text, const char *lang, unsigned flags,
                store_result *out, int max, store_find_info *info)
{
    store_find_info dummy;
    pick chosen[FIND_MAX_RESULTS];
    picks p = {chosen, 0, max < FIND_MAX_RESULTS ? max : FIND_MAX_RESULTS, {{0}}};
    const char *order[STORE_MAX_LANGS + 1];
    int n_order;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    if (max <= 0 || !text)
        return 0;
    if (lang && *lang && (strlen(lang) != 2 || lang[0] < 'a' || lang[0] > 'z' || lang[1] < 'a' || lang[1] > 'z'))
        return 0;
    parse_query(f, text, flags);
    if (f->q.n == 0)
        return 0;
    int asked = lang_plan(langs, n_langs, lang, order, &n_order);
    if (all_words(f, order, asked, n_order, 0, &p, info) < 0)
        return -1;
    if (p.n == 0 && !(flags & STORE_FIND_EXACT) && correct_words(f) > 0) {
        corrected_text(&f->q, info->corrected, sizeof info->corrected);
        if (all_words(f, order, asked, n_order, 0, &p, info) < 0)
            return -1;
    }
    if (p.n == 0 && f->q.n > 1) {
        if (all_words(f, order, asked, n_order, 1, &p, info) < 0)
            return -1;
        info->any_word = p.n > 0;
    }
    if (!any_corrected(&f->q) || p.n == 0)
        info->corrected[0] = '\0';
    int n = 0;
    for (int i = 0; i < p.n; i++)
        if (read_result(f, &p.picks[i], &out[n]) == 0)
            n++;
    info->n = n;
    return n;
}
