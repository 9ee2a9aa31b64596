#include "fts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* The wrapped unicode61 tokenizer, created per FTS table. */
typedef struct {
    fts5_tokenizer base;   /* unicode61's methods */
    Fts5Tokenizer *inner;  /* unicode61 instance */
} fold_tokenizer;

/* Context passed through unicode61 to our token callback. */
typedef struct {
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
} fold_call;

/* Longest token we fold on the stack; longer ones (never seen in real text)
 * are passed through unchanged. */
#define FOLD_MAX_TOKEN 256

static int fold_create(void *user, const char **args, int nargs, Fts5Tokenizer **out)
{
    fts5_api *api = user;
    fold_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    void *inner_user = NULL;
    int rc = api->xFindTokenizer(api, "unicode61", &inner_user, &t->base);
    if (rc == SQLITE_OK) {
        static const char *defaults[] = {"remove_diacritics", "2"};
        if (nargs == 0) {
            args = defaults;
            nargs = 2;
        }
        rc = t->base.xCreate(inner_user, args, nargs, &t->inner);
    }
    if (rc != SQLITE_OK) {
        free(t);
        return rc;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void fold_delete(Fts5Tokenizer *tok)
{
    fold_tokenizer *t = (fold_tokenizer *)tok;
    t->base.xDelete(t->inner);
    free(t);
}

static int fold_token(void *arg, int flags, const char *token, int len, int start, int end)
{
    fold_call *call = arg;
    if (len > FOLD_MAX_TOKEN || !memchr(token, 0xD1, (size_t)len))
        return call->emit(call->ctx, flags, token, len, start, end);
    char buf[FOLD_MAX_TOKEN];
    memcpy(buf, token, (size_t)len);
    /* unicode61 already lowered Ё to ё (D1 91); make it е (D0 B5). */
    for (int i = 0; i + 1 < len; i++) {
        if ((unsigned char)buf[i] == 0xD1 && (unsigned char)buf[i + 1] == 0x91) {
            buf[i] = (char)0xD0;
            buf[i + 1] = (char)0xB5;
            i++;
        }
    }
    return call->emit(call->ctx, flags, buf, len, start, end);
}

static int fold_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int len,
                         int (*emit)(void *, int, const char *, int, int, int))
{
    fold_tokenizer *t = (fold_tokenizer *)tok;
    fold_call call = {ctx, emit};
    return t->base.xTokenize(t->inner, &call, flags, text, len, fold_token);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

/* ip_title_hit(search): 1 when a phrase of the query occurs in column 0
 * (the title) of the current row. Ordering by it before rank puts every
 * title hit above every body-only hit, which bm25 weights alone do not
 * guarantee (a long body can outweigh a short title). */
static void title_hit(const Fts5ExtensionApi *api, Fts5Context *ctx, sqlite3_context *out, int nargs,
                      sqlite3_value **args)
{
    (void)nargs, (void)args;
    int hit = 0, n = api->xPhraseCount(ctx);
    /* Instances are in column order, so each phrase's first one tells. */
    for (int p = 0; p < n && !hit; p++) {
        Fts5PhraseIter it;
        int col = -1, off = -1;
        if (api->xPhraseFirst(ctx, p, &it, &col, &off) != SQLITE_OK) {
            sqlite3_result_error(out, "ip_title_hit: cannot read positions", -1);
            return;
        }
        hit = col == 0;
    }
    sqlite3_result_int(out, hit);
}

/* 1 when phrase p has an instance in a column below ncols (-1: error). */
static int phrase_in_columns(const Fts5ExtensionApi *api, Fts5Context *ctx, int p, int ncols)
{
    Fts5PhraseIter it;
    int col = -1, off = -1;
    if (api->xPhraseFirst(ctx, p, &it, &col, &off) != SQLITE_OK)
        return -1;
    /* Instances come in column order: the first tells. */
    return col >= 0 && col < ncols;
}

/* ip_word_count(search_index, map [, ncols]): how many different query
 * words occur in the current row (in its first ncols columns when given:
 * 1 the title, 2 title and keywords). map names the word of each phrase of
 * the query, one character per phrase ('0' + word, '-' for a phrase that is
 * not a word, such as the language filter). store_find orders by it: more
 * words in the title first, then in title and keywords, then bm25, so a
 * place whose title and keywords say what was asked comes before one that
 * shares a single word of its title by chance. */
static void word_count(const Fts5ExtensionApi *api, Fts5Context *ctx, sqlite3_context *out, int nargs,
                       sqlite3_value **args)
{
    const char *map = nargs > 0 ? (const char *)sqlite3_value_text(args[0]) : NULL;
    int ncols = nargs > 1 ? sqlite3_value_int(args[1]) : 4;
    unsigned seen = 0;
    int n = api->xPhraseCount(ctx), count = 0;
    for (int p = 0; map && p < n && map[p]; p++) {
        if (map[p] < '0' || map[p] > '9' || (seen & (1u << (map[p] - '0'))))
            continue;
        int in = phrase_in_columns(api, ctx, p, ncols);
        if (in < 0) {
            sqlite3_result_error(out, "ip_word_count: cannot read positions", -1);
            return;
        }
        if (in) {
            seen |= 1u << (map[p] - '0');
            count++;
        }
    }
    sqlite3_result_int(out, count);
}

int fts_register(sqlite3 *db)
{
    fts5_api *api = fts5_api_of(db);
    if (!api)
        return SQLITE_ERROR;
    static fts5_tokenizer methods = {fold_create, fold_delete, fold_tokenize};
    int rc = api->xCreateTokenizer(api, "infopoint", api, &methods, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "ip_title_hit", NULL, title_hit, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "ip_word_count", NULL, word_count, NULL);
    return rc;
}

/* A word character: ASCII letter or digit, or any non-ASCII letter-like code
 * point. Typographic punctuation that appears in our texts is excluded. */
static int is_word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    switch (cp) {
    case 0x00A0: case 0x00AB: case 0x00BB: case 0x2013: case 0x2014:
    case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x201E:
    case 0x2026: case 0x2116: case 0x00B7:
        return 0;
    default:
        return cp != 0xFFFD;
    }
}

int fts_build_query(const char *text, char *out, size_t cap)
{
    size_t len = strnlen(text, FTS_MAX_QUERY);
    size_t o = 0;
    int terms = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    size_t i = 0;
    while (i < len && terms < FTS_MAX_TERMS) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        if (n < 0 || !is_word_cp(cp)) {
            i += n < 0 ? 1 : (size_t)n;
            continue;
        }
        size_t start = i;
        while (i < len) {
            n = utf8_decode(text + i, len - i, &cp);
            if (n < 0 || !is_word_cp(cp))
                break;
            i += (size_t)n;
        }
        size_t wlen = i - start;
        /* space + quote + word + quote + star + NUL */
        if (o + wlen + 5 > cap)
            break;
        if (terms)
            out[o++] = ' ';
        out[o++] = '"';
        memcpy(out + o, text + start, wlen);
        o += wlen;
        out[o++] = '"';
        out[o++] = '*';
        out[o] = '\0';
        terms++;
    }
    return terms;
}

static int collect_token(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)flags, (void)start, (void)end;
    fts_tokens *out = ctx;
    if (out->n >= FTS_MAX_TERMS || len <= 0 || len > FTS_TOKEN_MAX)
        return SQLITE_OK;
    for (int i = 0; i < out->n; i++)
        if ((int)strlen(out->token[i]) == len && memcmp(out->token[i], token, (size_t)len) == 0)
            return SQLITE_OK;
    memcpy(out->token[out->n], token, (size_t)len);
    out->token[out->n][len] = '\0';
    out->n++;
    return SQLITE_OK;
}

int fts_query_tokens(sqlite3 *db, const char *text, fts_tokens *out)
{
    out->n = 0;
    fts5_api *api = fts5_api_of(db);
    if (!api)
        return -1;
    void *user = NULL;
    fts5_tokenizer methods;
    Fts5Tokenizer *tok = NULL;
    if (api->xFindTokenizer(api, "infopoint", &user, &methods) != SQLITE_OK ||
        methods.xCreate(user, NULL, 0, &tok) != SQLITE_OK)
        return -1;
    int rc = methods.xTokenize(tok, out, FTS5_TOKENIZE_QUERY, text, (int)strnlen(text, FTS_MAX_QUERY), collect_token);
    methods.xDelete(tok);
    return rc == SQLITE_OK ? out->n : -1;
}

int fts_fill_terms(sqlite3 *db)
{
    return sqlite3_exec(db,
                        "CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, 'search', 'row');"
                        "INSERT INTO search_terms(term) SELECT term FROM temp.search_vocab ORDER BY term;"
                        "DROP TABLE temp.search_vocab;",
                        NULL, NULL, NULL);
}

static int insert_term(void *ctx, int flags, const char *token, int len, int start, int end)
{
    (void)flags, (void)start, (void)end;
    sqlite3_stmt *st = ctx;
    if (len <= 0)
        return SQLITE_OK;
    sqlite3_bind_text(st, 1, token, len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int fts_add_terms(sqlite3 *db, const char *text, size_t len)
{
    fts5_api *api = fts5_api_of(db);
    if (!api || len > INT32_MAX)
        return SQLITE_ERROR;
    void *user = NULL;
    fts5_tokenizer methods;
    Fts5Tokenizer *tok = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO search_terms(term) VALUES (?1)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = api->xFindTokenizer(api, "infopoint", &user, &methods);
    if (rc == SQLITE_OK)
        rc = methods.xCreate(user, NULL, 0, &tok);
    if (rc == SQLITE_OK) {
        rc = methods.xTokenize(tok, st, FTS5_TOKENIZE_DOCUMENT, text, (int)len, insert_term);
        methods.xDelete(tok);
    }
    sqlite3_finalize(st);
    return rc;
}
