#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "utf8.h"

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
