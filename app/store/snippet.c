#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "utf8.h"

uint32_t snippet_fold(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F) /* А..Я */
        cp += 0x20;
    else if (cp >= 0x400 && cp <= 0x40F) /* Ѐ..Џ, Ё and І among them */
        cp += 0x50;
    else if (cp >= 0x460 && cp <= 0x4FF && !(cp & 1) && !(cp >= 0x482 && cp <= 0x489) &&
             !(cp >= 0x4C0 && cp <= 0x4CF))
        cp += 1; /* paired letters: Ә ә, Ғ ғ, Қ қ, Ң ң, Ө ө, Ұ ұ, Ү ү, Һ һ ... */
    else if (cp >= 0x4C1 && cp <= 0x4CE && (cp & 1))
        cp += 1;
    else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        cp += 0x20;
    if (cp == 0x451) /* ё → е */
        cp = 0x435;
    return cp;
}

/* Same word characters as the query builder (fts.c). */
static int is_word(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    switch (cp) {
    case 0x00A0: case 0x00AB: case 0x00BB: case 0x2013: case 0x2014: case 0x2018: case 0x2019:
    case 0x201C: case 0x201D: case 0x201E: case 0x2026: case 0x2116: case 0x00B7: case 0xFFFD:
        return 0;
    default:
        return 1;
    }
}

/* Next word in s[*i..len): sets start and end, returns 0 when none is left. */
static int next_word(const char *s, size_t len, size_t *i, size_t *start, size_t *end)
{
    uint32_t cp;
    while (*i < len) {
        int n = utf8_decode(s + *i, len - *i, &cp);
        if (n > 0 && is_word(cp))
            break;
        *i += n > 0 ? (size_t)n : 1;
    }
    if (*i >= len)
        return 0;
    *start = *i;
    while (*i < len) {
        int n = utf8_decode(s + *i, len - *i, &cp);
        if (n < 0 || !is_word(cp))
            break;
        *i += (size_t)n;
    }
    *end = *i;
    return 1;
}

/* Folds s[0..len) into out; returns the folded length. */
static size_t fold_into(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(s + i, len - i, &cp);
        if (n < 0) {
            i++;
            continue;
        }
        i += (size_t)n;
        char enc[4];
        int m = utf8_encode(snippet_fold(cp), enc);
        if (o + (size_t)m > cap)
            break;
        memcpy(out + o, enc, (size_t)m);
        o += (size_t)m;
    }
    return o;
}

size_t snippet_stem(char *term)
{
    static const uint32_t endings[] = {
        'a', 'e', 'i', 'o', 'u', 'y', 's',
        0x430, 0x435, 0x438, 0x439, 0x43E, 0x443, 0x44B, 0x44C, 0x44D, 0x44E, 0x44F, /* а е и й о у ы ь э ю я */
        0x4D9, 0x456, 0x4B1, 0x4AF, 0x4E9,                                           /* ә і ұ ү ө */
    };
    size_t len = strlen(term), letters = 0, last = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(term + i, len - i, &cp);
        if (n < 0)
            return len;
        last = i;
        i += (size_t)n;
        letters++;
    }
    if (letters < SNIPPET_STEM_MIN)
        return len;
    uint32_t cp;
    utf8_decode(term + last, len - last, &cp);
    for (size_t k = 0; k < sizeof endings / sizeof *endings; k++) {
        if (cp == endings[k]) {
            term[last] = '\0';
            return last;
        }
    }
    return len;
}

int snippet_terms_parse(const char *text, snippet_terms *t)
{
    size_t len = strlen(text), i = 0, s, e;
    t->n = 0;
    while (t->n < SNIPPET_MAX_TERMS && next_word(text, len, &i, &s, &e)) {
        size_t n = fold_into(text + s, e - s, t->term[t->n], SNIPPET_TERM_MAX - 1);
        t->term[t->n][n] = '\0';
        n = snippet_stem(t->term[t->n]);
        t->len[t->n] = n;
        if (n)
            t->n++;
    }
    return t->n;
}

static int word_matches(const char *w, size_t len, const snippet_terms *t)
{
    char folded[SNIPPET_TERM_MAX * 2];
    size_t n = fold_into(w, len, folded, sizeof folded);
    for (int k = 0; k < t->n; k++)
        if (t->len[k] <= n && memcmp(folded, t->term[k], t->len[k]) == 0)
            return 1;
    return 0;
}

/* Copies text[from..to) to out at *o, marking hits; adds ranges. */
static void copy_marked(const char *text, size_t from, size_t to, const snippet_terms *t, char *out, size_t cap,
                        size_t *o, snippet_range *hl, int max_hl, int *n_hl)
{
    size_t i = from, s, e;
    while (next_word(text, to, &i, &s, &e)) {
        if (s < from)
            continue;
        /* Whole code points only: stop before a word that does not fit. */
        if (*o + (e - from) >= cap)
            break;
        if (*n_hl < max_hl && word_matches(text + s, e - s, t) && *o + (s - from) <= UINT16_MAX) {
            hl[*n_hl].start = (uint16_t)(*o + (s - from));
            hl[*n_hl].len = (uint16_t)(e - s);
            (*n_hl)++;
        }
    }
    /* Copy the bytes up to the last whole word that fits. */
    size_t n = to - from;
    if (*o + n >= cap) {
        n = utf8_cut(text + from, cap - 1 - *o);
    }
    memcpy(out + *o, text + from, n);
    *o += n;
    out[*o] = '\0';
    for (int k = 0; k < *n_hl; k++)
        if (hl[k].start + hl[k].len > *o) {
            *n_hl = k;
            break;
        }
}

int snippet_highlight(const char *text, const snippet_terms *t, char *out, size_t cap, snippet_range *hl, int max_hl)
{
    size_t o = 0;
    int n_hl = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    copy_marked(text, 0, strlen(text), t, out, cap, &o, hl, max_hl, &n_hl);
    return n_hl;
}

int snippet_make(const char *text, const snippet_terms *t, int words, char *out, size_t cap, snippet_range *hl,
                 int max_hl)
{
    static const char ell[] = "…";
    size_t len = strlen(text), i = 0, s, e;
    size_t starts[64];
    int n_words = 0, first_hit = -1;
    /* Remember the starts of the last few words so the window can begin a
     * little before the first hit. */
    int back = words / 3;
    size_t begin = 0, end = len, end_no_hit = len;
    while (next_word(text, len, &i, &s, &e)) {
        starts[n_words % 64] = s;
        if (first_hit < 0 && word_matches(text + s, e - s, t)) {
            first_hit = n_words;
            int b = n_words - back < 0 ? 0 : n_words - back;
            if (n_words - b >= 64)
                b = n_words - 63;
            begin = b == 0 ? 0 : starts[b % 64];
        }
        n_words++;
        if (first_hit >= 0 && n_words - first_hit > words - back) {
            end = e;
            break;
        }
        if (first_hit < 0 && n_words == words)
            end_no_hit = e; /* the window's end if no hit ever comes */
    }
    if (first_hit < 0) {
        begin = 0;
        end = end_no_hit;
    }
    if (end < begin)
        end = begin;
    size_t o = 0;
    int n_hl = 0;
    if (cap > 0)
        out[0] = '\0';
    if (cap < sizeof ell * 2 + 1)
        return 0;
    if (begin > 0) {
        memcpy(out, ell, sizeof ell - 1);
        o = sizeof ell - 1;
    }
    copy_marked(text, begin, end, t, out, cap - (sizeof ell - 1), &o, hl, max_hl, &n_hl);
    /* Trim trailing spaces and punctuation-less newlines, then mark the cut. */
    while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\n'))
        out[--o] = '\0';
    if (end < len) {
        memcpy(out + o, ell, sizeof ell);
        o += sizeof ell - 1;
    }
    for (size_t k = 0; k < o; k++)
        if (out[k] == '\n')
            out[k] = ' ';
    return n_hl;
}

/* ---- schema 2 snippets ------------------------------------------------------ */

/* Words of a text looked at for a snippet; a longer text is cut there. */
#define WINDOW_MAX_WORDS 4096

typedef struct {
    uint32_t start, end;    /* bytes */
    uint16_t line;          /* 0-based line (block) */
    uint8_t hit;            /* 0, or 1 + the query word */
} snip_word;

/* The words of text with their lines and hits. With `enough` > 0 it stops
 * at the end of the first line by which that many different query words
 * were seen (no later window can show more), which bounds the cost of a
 * long article. */
static int scan_words(const char *text, size_t len, snippet_match_fn match, void *ctx, int enough, snip_word *w,
                      int max)
{
    size_t pos = 0, s, e, line_from = 0;
    int n = 0, line = 0, done_line = -1;
    uint64_t seen = 0;
    char form[FTS_WORD_MAX + 1];
    while (n < max && fts_next_word(text, len, &pos, &s, &e, form)) {
        while (line_from < s) {
            const char *nl = memchr(text + line_from, '\n', s - line_from);
            if (!nl)
                break;
            line++;
            line_from = (size_t)(nl - text) + 1;
        }
        if (done_line >= 0 && line > done_line)
            break;
        int h = match(ctx, form);
        if (h && !(seen & (1ull << (h & 63)))) {
            seen |= 1ull << (h & 63);
            if (enough > 0 && --enough == 0)
                done_line = line;
        }
        w[n++] = (snip_word){(uint32_t)s, (uint32_t)e, (uint16_t)(line > 65535 ? 65535 : line),
                             (uint8_t)(h > 255 ? 255 : h)};
    }
    return n;
}

/* Appends text[from..to) to out at *o with the hits among w[a..b) marked,
 * newlines as spaces. Stops before a word that does not fit. */
static void put_marked(const char *text, size_t from, size_t to, const snip_word *w, int a, int b, char *out,
                       size_t cap, size_t *o, snippet_range *hl, int max_hl, int *n_hl)
{
    size_t end = to;
    for (int i = a; i < b; i++) {
        if (*o + (w[i].end - from) + 1 > cap) {
            end = i > a ? w[i - 1].end : from;
            break;
        }
    }
    for (int i = a; i < b && w[i].end <= end; i++) {
        if (w[i].hit && *n_hl < max_hl && *o + (w[i].start - from) <= UINT16_MAX) {
            hl[*n_hl].start = (uint16_t)(*o + (w[i].start - from));
            hl[*n_hl].len = (uint16_t)(w[i].end - w[i].start);
            (*n_hl)++;
        }
    }
    for (size_t i = from; i < end; i++)
        out[(*o)++] = text[i] == '\n' ? ' ' : text[i];
    out[*o] = '\0';
}

int snippet_mark(const char *text, size_t len, snippet_match_fn match, void *ctx, char *out, size_t cap,
                 snippet_range *hl, int max_hl)
{
    size_t o = 0;
    int n_hl = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    snip_word *w = malloc(WINDOW_MAX_WORDS * sizeof *w);
    if (!w)
        return 0;
    int n = scan_words(text, len, match, ctx, 0, w, WINDOW_MAX_WORDS);
    if (len >= cap)
        len = n ? w[n - 1].end : 0;
    put_marked(text, 0, len, w, 0, n, out, cap, &o, hl, max_hl, &n_hl);
    free(w);
    return n_hl;
}

/* Distinct query words among the hits of w[a..b). */
static int distinct_hits(const snip_word *w, int a, int b)
{
    uint64_t seen = 0;
    int n = 0;
    for (int i = a; i < b; i++) {
        if (w[i].hit && !(seen & (1ull << (w[i].hit & 63)))) {
            seen |= 1ull << (w[i].hit & 63);
            n++;
        }
    }
    return n;
}

/* The best window [*a, *b) of at most `words` words inside one line. */
static void best_window(const snip_word *w, int n, int words, int *a, int *b)
{
    int back = words / 3, best = -1;
    *a = 0;
    *b = n < words ? n : words;
    while (*b > 1 && w[*b - 1].line != w[0].line)
        (*b)--;
    for (int i = 0; i < n; i++) {
        if (!w[i].hit)
            continue;
        int s = i;
        while (s > 0 && i - s < back && w[s - 1].line == w[i].line)
            s--;
        int e = s;
        while (e < n && e - s < words && w[e].line == w[i].line)
            e++;
        /* The first window that shows the most words wins. */
        int score = distinct_hits(w, s, e);
        if (score > best) {
            best = score;
            *a = s;
            *b = e;
        }
    }
}

int snippet_window(const char *text, size_t len, snippet_match_fn match, void *ctx, int n_query, int words,
                   char *out, size_t cap, snippet_range *hl, int max_hl)
{
    static const char ell[] = "…";
    size_t o = 0;
    int n_hl = 0;
    if (cap > 0)
        out[0] = '\0';
    if (cap < 2 * sizeof ell + 1)
        return 0;
    snip_word *w = malloc(WINDOW_MAX_WORDS * sizeof *w);
    if (!w)
        return 0;
    int n = scan_words(text, len, match, ctx, n_query, w, WINDOW_MAX_WORDS);
    if (n == 0) {
        free(w);
        return 0;
    }
    int a, b;
    best_window(w, n, words, &a, &b);
    size_t from = w[a].start, to = w[b - 1].end;
    /* Keep the punctuation that closes the window's last word ("»", "."). */
    for (int k = 0; k < 3 && to < len; k++) {
        uint32_t cp;
        int m = utf8_decode(text + to, len - to, &cp);
        if (m <= 0 || cp == ' ' || cp == '\n' || fts_fold(cp) != 0)
            break;
        to += (size_t)m;
    }
    if (a > 0) {
        memcpy(out, ell, sizeof ell - 1);
        o = sizeof ell - 1;
    }
    put_marked(text, from, to, w, a, b, out, cap - (sizeof ell - 1), &o, hl, max_hl, &n_hl);
    if (to < len && o + sizeof ell <= cap) {
        memcpy(out + o, ell, sizeof ell);
        o += sizeof ell - 1;
    }
    free(w);
    return n_hl;
}
