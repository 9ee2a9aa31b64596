/* content — Markdown (md4c) to a flat document of blocks and inline runs.
 *
 * md4c does the Markdown; this file turns its callbacks into content_block
 * records. The state machine is small: at most one text block is "open"
 * (collecting runs) at a time; entering or leaving any container block closes
 * it. Nesting survives only as list/quote depth counters.
 *
 * Storage: strings live in a chunked arena that never moves, so run, anchor and
 * link pointers are final as soon as they are written. Runs live in one array
 * that may move while growing; the runs of a block are contiguous and blocks
 * are in order, so block->runs pointers are filled in once, at the end.
 *
 * Line numbers: md4c hands text as pointers into the source, so the line of a
 * block is the line of its first text. Blocks without text (rules, empty list
 * items, empty code blocks) get the next plausible source line after the last
 * text seen (see guess_line); that is only used in messages.
 */
#include "content.h"
#include "utf8.h"

#include <assert.h>
#include <md4c.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strings are carved from chunks of this size (bigger strings get their own). */
#define ARENA_CHUNK (64u * 1024u)
/* A file with more problems than this is not worth listing further. */
#define MAX_ISSUES 100
/* Zero bytes after md4c's copy of the source. md4c 0.4.8 (Debian 12) reads
 * one byte past the end when a document ends inside an inline link, e.g.
 * "[l](p" (found by tests/fuzz/fuzz_content.c with a guard page). */
#define SOURCE_PADDING 16

static const char REPLACEMENT_CHAR[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* ------------------------------------------------------------------ */
/* Storage                                                              */

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

/* Everything a content_doc owns; doc is first so priv and doc agree. */
typedef struct {
    content_doc doc;
    chunk *strings;                    /* arena, newest chunk first */
    content_block *blocks; size_t cap_blocks;
    content_run *runs; size_t n_runs, cap_runs;
    content_link *links; size_t cap_links;
    content_image *images; size_t cap_images;
    content_card *cards; size_t cap_cards;
    content_issue *issues; size_t cap_issues;
    int *anchor_slots;                 /* open addressing: block index or -1 */
    size_t anchor_mask;                /* slots - 1 (slots is a power of two) */
} store;

static void *arena_alloc(store *st, size_t n)
{
    chunk *c = st->strings;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = st->strings;
        c->used = 0;
        c->cap = cap;
        st->strings = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

/* Grows the newest allocation (which ends at end) by n bytes in place; 0 when
 * it does not fit, and the caller starts a new allocation instead. */
static int arena_extend(store *st, const char *end, size_t n)
{
    chunk *c = st->strings;
    if (!c || end != c->data + c->used || c->cap - c->used < n)
        return 0;
    c->used += n;
    return 1;
}

static char *arena_strndup(store *st, const char *s, size_t n)
{
    char *p = arena_alloc(st, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Makes room for one more element in a growable array. */
static int grow(void *arrayp, size_t *cap, size_t n, size_t elem)
{
    void **array = arrayp;
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    if (ncap > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*array, ncap * elem);
    if (!p)
        return -1;
    *array = p;
    *cap = ncap;
    return 0;
}

static void store_free(store *st)
{
    if (!st)
        return;
    for (chunk *c = st->strings, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(st->blocks);
    free(st->runs);
    free(st->links);
    free(st->images);
    free(st->cards);
    free(st->issues);
    free(st->anchor_slots);
    free(st);
}

/* ------------------------------------------------------------------ */
/* Small text helpers                                                   */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Ids and anchors: a-z 0-9 '-', starting with a letter or digit, ≤ CONTENT_MAX_ID. */
static int valid_id(const char *s, size_t n)
{
    if (n == 0 || n > CONTENT_MAX_ID || s[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_id_char(s[i]))
            return 0;
    return 1;
}

static const char *find2(const char *s, size_t n, char a, char b)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == a && s[i + 1] == b)
            return s + i;
    return NULL;
}

static int has_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != *prefix)
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Entities                                                             */

/* The named entities an editor is likely to type. md4c passes on anything
 * shaped like an entity; unknown names stay as written (and are reported). */
static const struct {
    const char *name;
    const char *utf8;
} ENTITIES[] = {
    {"amp", "&"},         {"lt", "<"},          {"gt", ">"},
    {"quot", "\""},       {"apos", "'"},        {"nbsp", "\xC2\xA0"},
    {"mdash", "\xE2\x80\x94"}, {"ndash", "\xE2\x80\x93"},
    {"laquo", "\xC2\xAB"}, {"raquo", "\xC2\xBB"},
    {"bdquo", "\xE2\x80\x9E"}, {"ldquo", "\xE2\x80\x9C"}, {"rdquo", "\xE2\x80\x9D"},
    {"lsquo", "\xE2\x80\x98"}, {"rsquo", "\xE2\x80\x99"},
    {"hellip", "\xE2\x80\xA6"}, {"sect", "\xC2\xA7"}, {"para", "\xC2\xB6"},
    {"copy", "\xC2\xA9"}, {"reg", "\xC2\xAE"}, {"deg", "\xC2\xB0"},
    {"times", "\xC3\x97"}, {"minus", "\xE2\x88\x92"}, {"numero", "\xE2\x84\x96"},
};

/* Decodes one entity ("&amp;", "&#1178;", "&#x49A;") into out (≥ 8 bytes).
 * Returns the length, or 0 for an unknown name. */
static size_t decode_entity(const char *s, size_t n, char *out)
{
    if (n < 3 || s[0] != '&' || s[n - 1] != ';')
        return 0;
    if (s[1] == '#') {
        uint32_t cp = 0;
        int hex = n > 3 && (s[2] == 'x' || s[2] == 'X');
        for (size_t i = hex ? 3 : 2; i < n - 1; i++) {
            char c = s[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = (unsigned)(c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                d = (unsigned)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F')
                d = (unsigned)(c - 'A' + 10);
            else
                return 0;
            if (cp <= 0x10FFFF) /* keeps growing past the limit harmlessly */
                cp = cp * (hex ? 16u : 10u) + d;
        }
        /* CommonMark: NUL, surrogates and out-of-range become U+FFFD. */
        int len = cp == 0 ? 0 : utf8_encode(cp, out);
        if (len == 0) {
            memcpy(out, REPLACEMENT_CHAR, 3);
            return 3;
        }
        return (size_t)len;
    }
    for (size_t i = 0; i < sizeof ENTITIES / sizeof ENTITIES[0]; i++) {
        size_t len = strlen(ENTITIES[i].name);
        if (len == n - 2 && memcmp(s + 1, ENTITIES[i].name, len) == 0) {
            size_t ulen = strlen(ENTITIES[i].utf8);
            memcpy(out, ENTITIES[i].utf8, ulen);
            return ulen;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Parser state                                                         */

typedef struct {
    int ordered;
    int next;     /* number of the next item in an ordered list */
} list_level;

typedef struct {
    store *st;
    const char *src;
    size_t len;
    int line_offset;
    int failed;             /* out of memory: abort md_parse */

    /* Line cursor: line (1-based, without offset) of byte cur_off. */
    size_t cur_off;
    int cur_line;
    size_t last_end;        /* end of the furthest text seen */
    size_t scan_from;       /* guess_line never looks before this */

    /* Containers. */
    int list_depth, quote_depth;
    list_level *lists; size_t n_lists, cap_lists;
    int li_pending;         /* inside a list item whose first block has not come */
    int li_ordered, li_number;

    /* The open text block. */
    int open;
    content_block cur;
    size_t cur_first_run;
    int cont_type;          /* block type text continues as after an image, or -1 */
    int cont_level;
    int code_fenced;

    /* Spans. */
    int em, strong, code_span;
    int link;               /* link index of the open link, or -1 */
    int image_depth;
    size_t image;           /* index of the open image */
    size_t image_block;     /* index of its block */
    long image_src;         /* source offset of its file name, or -1 */
    int image_first;        /* no text before it in its paragraph */
    char *alt; size_t alt_len, alt_cap;
} parser;

static int line_at(parser *p, size_t off)
{
    assert(off <= p->len);
    if (off >= p->cur_off) {
        const char *s = p->src + p->cur_off, *end = p->src + off;
        while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
            p->cur_line++;
            s++;
        }
    } else {
        for (size_t i = off; i < p->cur_off; i++)
            if (p->src[i] == '\n')
                p->cur_line--;
    }
    p->cur_off = off;
    return p->cur_line + p->line_offset;
}

/* Offset of ptr in the source, or -1 when md4c handed a string of its own
 * (line breaks, replacement characters, unescaped attributes). */
static long src_offset(const parser *p, const char *ptr)
{
    uintptr_t a = (uintptr_t)ptr, b = (uintptr_t)p->src;
    if (a < b || a >= b + p->len)
        return -1;
    return (long)(a - b);
}

/* grow() for the parser's arrays: on failure the parse is marked failed. */
static int room(parser *p, void *arrayp, size_t *cap, size_t n, size_t elem)
{
    if (grow(arrayp, cap, n, elem) == 0)
        return 0;
    p->failed = 1;
    return -1;
}

static void issue(parser *p, int line, const char *fmt, ...)
{
    store *st = p->st;
    if (st->doc.n_issues > MAX_ISSUES)
        return;
    if (room(p, &st->issues, &st->cap_issues, st->doc.n_issues, sizeof *st->issues) < 0)
        return;
    content_issue *is = &st->issues[st->doc.n_issues++];
    is->line = line;
    if (st->doc.n_issues > MAX_ISSUES) {
        snprintf(is->message, sizeof is->message, "too many problems; the rest are not listed");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(is->message, sizeof is->message, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Lines of blocks without text                                         */

static size_t line_end(const parser *p, size_t off)
{
    const char *nl = memchr(p->src + off, '\n', p->len - off);
    return nl ? (size_t)(nl - p->src) : p->len;
}

static size_t next_line(const parser *p, size_t off)
{
    size_t end = line_end(p, off);
    return end < p->len ? end + 1 : p->len;
}

/* Where the search for the next block's source line starts: after the line of
 * the last text, or after the last guessed line, whichever is later. */
static size_t scan_start(parser *p)
{
    if (p->last_end > 0) {
        size_t after = next_line(p, p->last_end - 1);
        if (after > p->scan_from)
            p->scan_from = after;
    }
    return p->scan_from;
}

/* Skips indentation and block-quote markers. */
static size_t skip_prefix(const parser *p, size_t off, size_t end)
{
    while (off < end && (p->src[off] == ' ' || p->src[off] == '\t' || p->src[off] == '>'))
        off++;
    return off;
}

static int looks_like_rule(const parser *p, size_t off, size_t end)
{
    off = skip_prefix(p, off, end);
    char mark = 0;
    int count = 0;
    for (; off < end; off++) {
        char c = p->src[off];
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        if ((c != '*' && c != '-' && c != '_') || (mark && c != mark))
            return 0;
        mark = c;
        count++;
    }
    return count >= 3;
}

/* Line of a block that has no text: the next non-blank line (or, for a rule,
 * the next line that looks like one) after the last text seen. */
static int guess_line(parser *p, int want_rule)
{
    size_t off = scan_start(p);
    while (off < p->len) {
        size_t end = line_end(p, off);
        size_t text = skip_prefix(p, off, end);
        int blank = text == end || (text + 1 == end && p->src[text] == '\r');
        if (want_rule ? looks_like_rule(p, off, end) : !blank) {
            p->scan_from = end < p->len ? end + 1 : p->len;
            return line_at(p, off);
        }
        off = end < p->len ? end + 1 : p->len;
    }
    return line_at(p, p->last_end);
}

/* After a setext heading or a fenced code block, the underline or closing
 * fence is not the start of the next block: skip the line after the last text
 * when it starts with one of chars (whole: and holds nothing else). */
static void skip_line_if(parser *p, const char *chars, int whole)
{
    size_t off = scan_start(p);
    if (off >= p->len)
        return;
    size_t end = line_end(p, off), i = skip_prefix(p, off, end);
    if (i >= end || !strchr(chars, p->src[i]))
        return;
    char c = p->src[i];
    while (i < end && (p->src[i] == c || is_space(p->src[i])))
        i++;
    if (i == end || !whole)
        p->scan_from = end < p->len ? end + 1 : p->len;
}

/* ------------------------------------------------------------------ */
/* Blocks                                                               */

static content_block *push_block(parser *p, const content_block *b)
{
    store *st = p->st;
    if (room(p, &st->blocks, &st->cap_blocks, st->doc.n_blocks, sizeof *st->blocks) < 0)
        return NULL;
    content_block *nb = &st->blocks[st->doc.n_blocks++];
    *nb = *b;
    return nb;
}

static void init_block(parser *p, content_block *b, content_block_type type, int level)
{
    memset(b, 0, sizeof *b);
    b->type = type;
    b->level = level;
    b->list_depth = p->list_depth;
    b->quote_depth = p->quote_depth;
    b->card = -1;
    b->image = -1;
}

static void open_block(parser *p, content_block_type type, int level)
{
    assert(!p->open);
    init_block(p, &p->cur, type, level);
    if (type == CONTENT_LIST_ITEM) {
        p->cur.ordered = p->li_ordered;
        p->cur.number = p->li_number;
        p->li_pending = 0;
    }
    p->cur_first_run = p->st->n_runs;
    p->open = 1;
}

/* Removes white space at both ends of the block and runs left empty (one
 * memmove, as a paragraph may start with thousands of hard breaks). */
static void trim_runs(parser *p)
{
    store *st = p->st;
    size_t first = p->cur_first_run, i = first;
    for (; i < st->n_runs; i++) {
        content_run *r = &st->runs[i];
        while (r->len && is_space(r->text[0])) {
            r->text++;
            r->len--;
        }
        if (r->len)
            break;
    }
    if (i > first) {
        memmove(&st->runs[first], &st->runs[i], (st->n_runs - i) * sizeof *st->runs);
        st->n_runs -= i - first;
    }
    while (st->n_runs > first) {
        content_run *r = &st->runs[st->n_runs - 1];
        while (r->len && is_space(r->text[r->len - 1]))
            r->len--;
        if (r->len)
            break;
        st->n_runs--;
    }
}

/* Checks the id of a marker and, when good, makes it the block's anchor. */
static void set_anchor(parser *p, const char *id, size_t n)
{
    if (!valid_id(id, n)) {
        issue(p, p->cur.line, "bad anchor id '%.*s' (use a-z, 0-9 and '-', at most %d characters)",
              (int)(n > 60 ? 60 : n), id, CONTENT_MAX_ID);
        return;
    }
    p->cur.anchor = arena_strndup(p->st, id, n);
    if (!p->cur.anchor)
        p->failed = 1;
}

/* "{#id}" at the end of a heading. */
static void take_heading_anchor(parser *p)
{
    store *st = p->st;
    if (st->n_runs == p->cur_first_run)
        return;
    content_run *r = &st->runs[st->n_runs - 1];
    size_t n = r->len;
    while (n && is_space(r->text[n - 1]))
        n--;
    if (n < 3 || r->text[n - 1] != '}' || (r->style & CONTENT_STYLE_CODE))
        return;
    size_t close = n - 1, i = close;
    while (i > 0 && r->text[i - 1] != '{' && r->text[i - 1] != '}')
        i--;
    /* text[i - 1] is the '{' of the marker, text[i] must be '#'. */
    if (i == 0 || r->text[i - 1] != '{' || r->text[i] != '#')
        return;
    set_anchor(p, r->text + i + 1, close - i - 1);
    r->len = i - 1;
}

/* "{#id}" at the start of a paragraph or list item. */
static void take_leading_anchor(parser *p)
{
    store *st = p->st;
    if (st->n_runs == p->cur_first_run)
        return;
    content_run *r = &st->runs[p->cur_first_run];
    if (r->len < 2 || r->text[0] != '{' || r->text[1] != '#' || (r->style & CONTENT_STYLE_CODE))
        return;
    const char *close = memchr(r->text, '}', r->len);
    if (!close) {
        issue(p, p->cur.line, "anchor marker '%.*s' is not closed with '}'",
              (int)(r->len > 40 ? 40 : r->len), r->text);
        return;
    }
    set_anchor(p, r->text + 2, (size_t)(close - r->text) - 2);
    r->len -= (size_t)(close + 1 - r->text);
    r->text = close + 1;
}

/* A "{#" left in the text is a marker in the wrong place: tell the editor. */
static void check_stray_markers(parser *p)
{
    store *st = p->st;
    for (size_t i = p->cur_first_run; i < st->n_runs; i++) {
        const content_run *r = &st->runs[i];
        if (r->style & CONTENT_STYLE_CODE)
            continue;
        const char *m = find2(r->text, r->len, '{', '#');
        if (m) {
            size_t rest = r->len - (size_t)(m - r->text);
            const char *close = memchr(m, '}', rest);
            int shown = (int)(close ? (size_t)(close - m) + 1 : (rest > 30 ? 30 : rest));
            issue(p, p->cur.line,
                  "anchor marker '%.*s' ignored: it must end a heading or start a paragraph or list item",
                  shown > 70 ? 70 : shown, m);
            return;
        }
    }
}

/* Closes the open text block: anchors, trimming, then keeps or drops it. */
static void flush(parser *p)
{
    if (!p->open)
        return;
    p->open = 0;
    store *st = p->st;
    content_block *b = &p->cur;
    if (b->type == CONTENT_CODE) {
        if (st->n_runs > p->cur_first_run) {
            content_run *r = &st->runs[st->n_runs - 1];
            if (r->len && r->text[r->len - 1] == '\n')
                r->len--;
            if (r->len == 0)
                st->n_runs--;
        }
    } else {
        trim_runs(p);
        if (b->type == CONTENT_HEADING)
            take_heading_anchor(p);
        else
            take_leading_anchor(p);
        trim_runs(p);
        check_stray_markers(p);
    }
    b->n_runs = st->n_runs - p->cur_first_run;
    if (b->n_runs == 0 && !b->anchor && b->type != CONTENT_LIST_ITEM)
        return; /* an empty paragraph, e.g. what was left around an image */
    if (b->line == 0)
        b->line = guess_line(p, 0);
    push_block(p, b);
}

/* The first block of a list item that starts with a list, quote, heading...
 * is an empty CONTENT_LIST_ITEM, so the marker still comes first. */
static void emit_pending_item(parser *p)
{
    if (!p->li_pending)
        return;
    open_block(p, CONTENT_LIST_ITEM, 0);
    flush(p);
}

/* ------------------------------------------------------------------ */
/* Runs                                                                 */

static unsigned cur_style(const parser *p)
{
    unsigned s = 0;
    if (p->strong)
        s |= CONTENT_STYLE_BOLD;
    if (p->em)
        s |= CONTENT_STYLE_ITALIC;
    if (p->code_span || (p->open && p->cur.type == CONTENT_CODE))
        s |= CONTENT_STYLE_CODE;
    if (p->link >= 0)
        s |= CONTENT_STYLE_LINK;
    return s;
}

static int is_hard_break(const content_run *r)
{
    return r->len == 1 && r->text[0] == '\n' && !(r->style & CONTENT_STYLE_CODE);
}

/* Appends text to the open block (opening one if needed), merging it into the
 * previous run when style and link agree. alone: a run of its own (a hard
 * break). */
static void add_run_text(parser *p, const char *s, size_t n, int alone)
{
    store *st = p->st;
    if (n == 0)
        return;
    if (!p->open)
        open_block(p, p->li_pending ? CONTENT_LIST_ITEM
                      : p->cont_type >= 0 ? (content_block_type)p->cont_type : CONTENT_PARAGRAPH,
                   p->li_pending || p->cont_type != CONTENT_HEADING ? 0 : p->cont_level);
    unsigned style = cur_style(p);
    if (st->n_runs > p->cur_first_run) {
        content_run *last = &st->runs[st->n_runs - 1];
        if (!alone && !is_hard_break(last) && last->style == style && last->link == p->link
            && arena_extend(st, last->text + last->len, n)) {
            memcpy((char *)last->text + last->len, s, n);
            last->len += n;
            return;
        }
    }
    if (room(p, &st->runs, &st->cap_runs, st->n_runs, sizeof *st->runs) < 0)
        return;
    char *copy = arena_alloc(st, n);
    if (!copy) {
        p->failed = 1;
        return;
    }
    memcpy(copy, s, n);
    st->runs[st->n_runs++] = (content_run){copy, n, style, p->link};
}

static void add_alt_text(parser *p, const char *s, size_t n)
{
    if (p->alt_len + n > p->alt_cap) {
        size_t cap = p->alt_cap ? p->alt_cap : 64;
        while (cap < p->alt_len + n)
            cap *= 2;
        char *a = realloc(p->alt, cap);
        if (!a) {
            p->failed = 1;
            return;
        }
        p->alt = a;
        p->alt_cap = cap;
    }
    memcpy(p->alt + p->alt_len, s, n);
    p->alt_len += n;
}

/* ------------------------------------------------------------------ */
/* Links and images                                                     */

/* Decodes an md4c attribute (text with entities) into a NUL-terminated string
 * in the arena. */
static char *attr_string(parser *p, const MD_ATTRIBUTE *a)
{
    /* Entities never grow: "&#1;" → 1 byte, and the longest result (4 bytes)
     * comes from at least 4 source bytes; NUL chars become 3 bytes. */
    size_t cap = (size_t)a->size * 3 + 1;
    char *out = arena_alloc(p->st, cap), *o = out;
    if (!out) {
        p->failed = 1;
        return NULL;
    }
    for (size_t i = 0; a->substr_offsets[i] < a->size; i++) {
        const char *s = a->text + a->substr_offsets[i];
        size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
        char ent[8];
        size_t elen;
        if (a->substr_types[i] == MD_TEXT_NULLCHAR) {
            memcpy(o, REPLACEMENT_CHAR, 3);
            o += 3;
        } else if (a->substr_types[i] == MD_TEXT_ENTITY && (elen = decode_entity(s, n, ent)) > 0) {
            memcpy(o, ent, elen);
            o += elen;
        } else {
            memcpy(o, s, n);
            o += n;
        }
    }
    *o = '\0';
    return out;
}

static const char *format_error(parser *p, const char *fmt, const char *arg)
{
    char buf[160];
    snprintf(buf, sizeof buf, fmt, arg);
    const char *s = arena_strndup(p->st, buf, strlen(buf));
    if (!s)
        p->failed = 1;
    return s;
}

/* Sets link->anchor from s[0..n), or an error. 0 when good. */
static int link_anchor(parser *p, content_link *l, const char *s, size_t n)
{
    char shown[CONTENT_MAX_ID + 8];
    if (n == 0) {
        l->error = format_error(p, "empty anchor in link '%s'", l->url);
        return -1;
    }
    if (!valid_id(s, n)) {
        snprintf(shown, sizeof shown, "%.*s", (int)(n > CONTENT_MAX_ID ? CONTENT_MAX_ID : n), s);
        l->error = format_error(p, "bad anchor id '%s'", shown);
        return -1;
    }
    l->anchor = arena_strndup(p->st, s, n);
    return 0;
}

/* Sets link->item from s[0..n), or an error. 0 when good. */
static int link_item(parser *p, content_link *l, const char *s, size_t n, const char *what)
{
    char shown[CONTENT_MAX_ID + 8], fmt[64];
    if (n == 0) {
        snprintf(fmt, sizeof fmt, "missing %s id in link '%%s'", what);
        l->error = format_error(p, fmt, l->url);
        return -1;
    }
    if (!valid_id(s, n)) {
        snprintf(shown, sizeof shown, "%.*s", (int)(n > CONTENT_MAX_ID ? CONTENT_MAX_ID : n), s);
        snprintf(fmt, sizeof fmt, "bad %s id '%%s'", what);
        l->error = format_error(p, fmt, shown);
        return -1;
    }
    l->item = arena_strndup(p->st, s, n);
    return 0;
}

/* deck:<id>/<card>, card numbered from 1. 0 when good. */
static int classify_deck(parser *p, content_link *l, const char *rest)
{
    const char *slash = strchr(rest, '/');
    if (!slash) {
        l->error = format_error(p, "deck link '%s' needs a card number: deck:<id>/<card>", l->url);
        return -1;
    }
    if (link_item(p, l, rest, (size_t)(slash - rest), "deck") < 0)
        return -1;
    const char *num = slash + 1;
    long card = 0;
    size_t i = 0;
    for (; num[i] >= '0' && num[i] <= '9' && card <= 9999; i++)
        card = card * 10 + (num[i] - '0');
    if (i == 0 || num[i] != '\0' || card < 1 || card > 9999) {
        l->error = format_error(p, "bad card number in '%s' (cards are numbered from 1)", l->url);
        return -1;
    }
    l->card = (int)card;
    return 0;
}

/* The schemes a link may have, and what each makes it (http and https in
 * any case; an external link also needs something after the "//"). */
static const struct {
    const char *scheme;
    content_link_kind kind;
} link_schemes[] = {
    {"item:", CONTENT_LINK_ITEM},         {"category:", CONTENT_LINK_CATEGORY}, {"deck:", CONTENT_LINK_DECK},
    {"http://", CONTENT_LINK_EXTERNAL},   {"https://", CONTENT_LINK_EXTERNAL},
};

size_t content_link_scheme(const char *s, size_t n, content_link_kind *kind)
{
    for (size_t i = 0; i < sizeof link_schemes / sizeof *link_schemes; i++) {
        size_t len = strlen(link_schemes[i].scheme);
        int external = link_schemes[i].kind == CONTENT_LINK_EXTERNAL;
        if (n >= len && (external ? has_prefix_ci(s, link_schemes[i].scheme) : !strncmp(s, link_schemes[i].scheme, len))) {
            if (kind)
                *kind = link_schemes[i].kind;
            return len;
        }
    }
    return 0;
}

/* Fills kind, item, anchor, card or error from l->url (see content.h). */
static void classify_link(parser *p, content_link *l)
{
    const char *u = l->url;
    size_t n = strlen(u);
    content_link_kind scheme = CONTENT_LINK_INVALID;
    size_t k = content_link_scheme(u, n, &scheme);
    l->kind = CONTENT_LINK_INVALID;
    if (n == 0) {
        l->error = format_error(p, "empty link target%s", "");
    } else if (u[0] == '#') {
        if (link_anchor(p, l, u + 1, n - 1) == 0)
            l->kind = CONTENT_LINK_ANCHOR;
    } else if (scheme == CONTENT_LINK_ITEM) {
        const char *hash = strchr(u + k, '#');
        size_t idlen = hash ? (size_t)(hash - u - k) : n - k;
        if (link_item(p, l, u + k, idlen, "item") == 0
            && (!hash || link_anchor(p, l, hash + 1, strlen(hash + 1)) == 0))
            l->kind = CONTENT_LINK_ITEM;
    } else if (scheme == CONTENT_LINK_CATEGORY) {
        if (link_item(p, l, u + k, n - k, "category") == 0)
            l->kind = CONTENT_LINK_CATEGORY;
    } else if (scheme == CONTENT_LINK_DECK) {
        if (classify_deck(p, l, u + k) == 0)
            l->kind = CONTENT_LINK_DECK;
    } else if (scheme == CONTENT_LINK_EXTERNAL && n > k) {
        l->kind = CONTENT_LINK_EXTERNAL;
    } else {
        l->error = format_error(p, "unsupported link '%s' (use item:, #, category:, deck: or http(s)://)", u);
    }
    if (l->kind == CONTENT_LINK_INVALID) {
        l->item = l->anchor = NULL; /* only the error is meaningful */
        l->card = 0;
    }
}

static void enter_link(parser *p, const MD_SPAN_A_DETAIL *d)
{
    store *st = p->st;
    if (room(p, &st->links, &st->cap_links, st->doc.n_links, sizeof *st->links) < 0)
        return;
    content_link *l = &st->links[st->doc.n_links];
    memset(l, 0, sizeof *l);
    l->url = attr_string(p, &d->href);
    if (!l->url)
        return;
    classify_link(p, l);
    p->link = (int)st->doc.n_links++;
}

static void leave_link(parser *p)
{
    if (p->link < 0)
        return;
    content_link *l = &p->st->links[p->link];
    if (l->line == 0)
        l->line = line_at(p, p->last_end);
    p->link = -1;
}

static void enter_image(parser *p, const MD_SPAN_IMG_DETAIL *d)
{
    store *st = p->st;
    /* Text continues after the image as a block of the same kind. */
    p->cont_type = p->open && p->cur.type == CONTENT_HEADING ? CONTENT_HEADING : CONTENT_PARAGRAPH;
    p->cont_level = p->open ? p->cur.level : 0;
    p->image_first = !p->open || st->n_runs == p->cur_first_run;
    flush(p);
    emit_pending_item(p);
    if (room(p, &st->images, &st->cap_images, st->doc.n_images, sizeof *st->images) < 0)
        return;
    content_image *im = &st->images[st->doc.n_images];
    memset(im, 0, sizeof *im);
    im->src = attr_string(p, &d->src);
    im->alt = "";
    if (!im->src)
        return;
    p->image_src = src_offset(p, d->src.text);
    p->image = st->doc.n_images++;
    p->alt_len = 0;

    content_block b;
    init_block(p, &b, CONTENT_IMAGE, 0);
    b.image = (int)p->image;
    p->image_block = p->st->doc.n_blocks;
    push_block(p, &b);
}

static void leave_image(parser *p)
{
    store *st = p->st;
    content_image *im = &st->images[p->image];
    im->alt = arena_strndup(st, p->alt ? p->alt : "", p->alt_len);
    if (!im->alt)
        p->failed = 1;
    /* Without alt text, the file name tells the line; but a reference
     * image's name is in its definition, maybe far away: moving the line
     * cursor there and back for every image could cost O(n²). */
    if (im->line == 0) {
        long near = (long)p->last_end;
        if (p->image_src >= 0 && p->image_src > near - 4096 && p->image_src < near + 4096)
            im->line = line_at(p, (size_t)p->image_src);
        else if (p->image_first)
            im->line = guess_line(p, 0);
        else
            im->line = line_at(p, p->last_end);
    }
    st->blocks[p->image_block].line = im->line;
}

/* ------------------------------------------------------------------ */
/* md4c callbacks                                                       */

static int on_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    parser *p = userdata;
    content_block b;
    switch (type) {
    case MD_BLOCK_DOC:
        break;
    case MD_BLOCK_QUOTE:
        flush(p);
        emit_pending_item(p);
        p->quote_depth++;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        flush(p);
        emit_pending_item(p);
        if (room(p, &p->lists, &p->cap_lists, p->n_lists, sizeof *p->lists) < 0)
            break;
        p->lists[p->n_lists].ordered = type == MD_BLOCK_OL;
        p->lists[p->n_lists].next = type == MD_BLOCK_OL ? (int)((MD_BLOCK_OL_DETAIL *)detail)->start : 0;
        p->n_lists++;
        p->list_depth++;
        break;
    case MD_BLOCK_LI:
        flush(p);
        p->li_pending = 1;
        p->li_ordered = p->n_lists ? p->lists[p->n_lists - 1].ordered : 0;
        p->li_number = p->li_ordered ? p->lists[p->n_lists - 1].next++ : 0;
        break;
    case MD_BLOCK_HR:
        flush(p);
        emit_pending_item(p);
        init_block(p, &b, CONTENT_RULE, 0);
        b.line = guess_line(p, 1);
        push_block(p, &b);
        break;
    case MD_BLOCK_H:
        flush(p);
        emit_pending_item(p);
        open_block(p, CONTENT_HEADING, (int)((MD_BLOCK_H_DETAIL *)detail)->level);
        break;
    case MD_BLOCK_CODE:
        flush(p);
        emit_pending_item(p);
        open_block(p, CONTENT_CODE, 0);
        p->code_fenced = ((MD_BLOCK_CODE_DETAIL *)detail)->fence_char != 0;
        break;
    case MD_BLOCK_P:
    case MD_BLOCK_HTML: /* not produced with MD_FLAG_NOHTML; kept as text */
    default:            /* tables are off; a cell would read as a paragraph */
        flush(p);
        open_block(p, p->li_pending ? CONTENT_LIST_ITEM : CONTENT_PARAGRAPH, 0);
        break;
    }
    return p->failed ? -1 : 0;
}

/* Spans end with their block. md4c balances them, but should it ever not
 * (md4c issue #294), the next block must not inherit a style, link or image. */
static void close_spans(parser *p)
{
    if (p->image_depth > 0) {
        p->image_depth = 0;
        leave_image(p);
    }
    if (p->link >= 0)
        leave_link(p);
    p->em = p->strong = p->code_span = 0;
}

static int on_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    parser *p = userdata;
    (void)detail;
    if (type == MD_BLOCK_P || type == MD_BLOCK_H || type == MD_BLOCK_CODE)
        close_spans(p);
    switch (type) {
    case MD_BLOCK_DOC:
        flush(p);
        break;
    case MD_BLOCK_QUOTE:
        flush(p);
        p->quote_depth--;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        flush(p);
        if (p->n_lists)
            p->n_lists--;
        p->list_depth--;
        break;
    case MD_BLOCK_LI:
        flush(p);
        emit_pending_item(p);
        p->li_pending = 0;
        p->cont_type = -1;
        break;
    case MD_BLOCK_H:
        flush(p);
        p->cont_type = -1;
        skip_line_if(p, "=-", 1);
        break;
    case MD_BLOCK_CODE:
        flush(p);
        if (p->code_fenced)
            skip_line_if(p, "`~", 0);
        p->code_fenced = 0;
        break;
    default:
        flush(p);
        p->cont_type = -1;
        break;
    }
    return p->failed ? -1 : 0;
}

static int on_enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    parser *p = userdata;
    if (type == MD_SPAN_IMG) {
        if (p->image_depth++ == 0)
            enter_image(p, detail);
        return p->failed ? -1 : 0;
    }
    switch (type) {
    case MD_SPAN_EM:
        p->em++;
        break;
    case MD_SPAN_STRONG:
        p->strong++;
        break;
    case MD_SPAN_CODE:
        p->code_span++;
        break;
    case MD_SPAN_A:
        if (p->image_depth == 0)
            enter_link(p, detail);
        break;
    default:
        break;
    }
    return p->failed ? -1 : 0;
}

static int on_leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    parser *p = userdata;
    (void)detail;
    switch (type) {
    /* Counters never go below zero, should md4c ever leave a span it did
     * not enter (md4c issue #294). */
    case MD_SPAN_IMG:
        if (p->image_depth > 0 && --p->image_depth == 0)
            leave_image(p);
        break;
    case MD_SPAN_EM:
        p->em -= p->em > 0;
        break;
    case MD_SPAN_STRONG:
        p->strong -= p->strong > 0;
        break;
    case MD_SPAN_CODE:
        p->code_span -= p->code_span > 0;
        break;
    case MD_SPAN_A:
        if (p->image_depth == 0)
            leave_link(p);
        break;
    default:
        break;
    }
    return p->failed ? -1 : 0;
}

/* Records the line of the first text of the open block, link and image. */
static void note_position(parser *p, const char *text, size_t n)
{
    long off = src_offset(p, text);
    if (off < 0)
        return;
    if ((size_t)off + n > p->last_end)
        p->last_end = (size_t)off + n;
    if (p->image_depth > 0) {
        content_image *im = &p->st->images[p->image];
        if (p->alt_len == 0)
            im->line = line_at(p, (size_t)off);
        return;
    }
    if (p->open && p->cur.line == 0) {
        p->cur.line = line_at(p, (size_t)off);
        if (p->cur.type == CONTENT_CODE && p->code_fenced && p->cur.line > 1 + p->line_offset)
            p->cur.line--; /* the block starts at its opening fence */
    }
    if (p->link >= 0 && p->st->links[p->link].line == 0)
        p->st->links[p->link].line = line_at(p, (size_t)off);
}

/* Line of text handed by md4c, or of the last text when it is md4c's own. */
static int text_line(parser *p, const char *text)
{
    long off = src_offset(p, text);
    return line_at(p, off >= 0 ? (size_t)off : p->last_end);
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    parser *p = userdata;
    const char *s = text;
    size_t n = size;
    char ent[8];

    switch (type) {
    case MD_TEXT_NULLCHAR:
        s = REPLACEMENT_CHAR;
        n = 3;
        break;
    case MD_TEXT_BR:
        s = p->image_depth ? " " : "\n";
        n = 1;
        break;
    case MD_TEXT_SOFTBR:
        s = " ";
        n = 1;
        break;
    case MD_TEXT_ENTITY:
        n = decode_entity(text, size, ent);
        if (n) {
            s = ent;
        } else {
            n = size;
            issue(p, text_line(p, text), "unknown entity '%.*s' (kept as written)",
                  (int)(size > 40 ? 40 : size), text);
        }
        break;
    case MD_TEXT_HTML: /* only without MD_FLAG_NOHTML: show it as text */
    default:
        break;
    }
    if (p->image_depth > 0) {
        note_position(p, text, size);
        add_alt_text(p, s, n);
    } else {
        add_run_text(p, s, n, type == MD_TEXT_BR);
        note_position(p, text, size);
    }
    return p->failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Raw HTML                                                             */

/* The document is parsed with MD_FLAG_NOHTML, so raw HTML is shown as plain
 * text and never interpreted. To tell the editor where it is, a second pass
 * with HTML recognition on reports what CommonMark would have taken as HTML.
 * It runs only when the source has a '<' at all, which prose rarely does. */
typedef struct {
    parser *p;
    int last_line;
} html_scan;

static int html_block(MD_BLOCKTYPE t, void *d, void *u)
{
    (void)t;
    (void)d;
    (void)u;
    return 0;
}

static int html_span(MD_SPANTYPE t, void *d, void *u)
{
    (void)t;
    (void)d;
    (void)u;
    return 0;
}

static int html_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    html_scan *h = userdata;
    (void)size;
    if (type != MD_TEXT_HTML)
        return 0;
    long off = src_offset(h->p, text);
    if (off < 0)
        return 0;
    int line = line_at(h->p, (size_t)off);
    if (line != h->last_line) {
        issue(h->p, line, "raw HTML is not allowed; it is shown as plain text");
        h->last_line = line;
    }
    return h->p->failed ? -1 : 0;
}

static void report_html(parser *p)
{
    if (!memchr(p->src, '<', p->len))
        return;
    MD_PARSER mp = {0};
    mp.flags = 0;
    mp.enter_block = html_block;
    mp.leave_block = html_block;
    mp.enter_span = html_span;
    mp.leave_span = html_span;
    mp.text = html_text;
    html_scan h = {p, 0};
    p->cur_off = 0;
    p->cur_line = 1;
    md_parse(p->src, (MD_SIZE)p->len, &mp, &h);
}

/* ------------------------------------------------------------------ */
/* Finishing                                                            */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Builds the anchor table and reports duplicates. */
static int index_anchors(parser *p)
{
    store *st = p->st;
    size_t n = 0;
    for (size_t i = 0; i < st->doc.n_blocks; i++)
        n += st->blocks[i].anchor != NULL;
    size_t slots = 16;
    while (slots < n * 2)
        slots *= 2;
    st->anchor_slots = malloc(slots * sizeof *st->anchor_slots);
    if (!st->anchor_slots)
        return -1;
    for (size_t i = 0; i < slots; i++)
        st->anchor_slots[i] = -1;
    st->anchor_mask = slots - 1;
    for (size_t i = 0; i < st->doc.n_blocks; i++) {
        const char *a = st->blocks[i].anchor;
        if (!a)
            continue;
        size_t k = hash_str(a) & st->anchor_mask;
        while (st->anchor_slots[k] >= 0 && strcmp(st->blocks[st->anchor_slots[k]].anchor, a) != 0)
            k = (k + 1) & st->anchor_mask;
        if (st->anchor_slots[k] >= 0)
            issue(p, st->blocks[i].line, "duplicate anchor '%s' (first at line %d)", a,
                  st->blocks[st->anchor_slots[k]].line);
        else
            st->anchor_slots[k] = (int)i;
    }
    return 0;
}

/* Each "##" heading starts a card that runs to the next one. */
static int build_cards(parser *p)
{
    store *st = p->st;
    int card = -1;
    for (size_t i = 0; i < st->doc.n_blocks; i++) {
        content_block *b = &st->blocks[i];
        if (b->type == CONTENT_HEADING && b->level == 2) {
            if (grow(&st->cards, &st->cap_cards, st->doc.n_cards, sizeof *st->cards) < 0)
                return -1;
            char *title = content_block_text(b);
            if (!title)
                return -1;
            const char *copy = arena_strndup(st, title, strlen(title));
            free(title);
            if (!copy)
                return -1;
            content_card *c = &st->cards[st->doc.n_cards++];
            c->title = copy;
            c->anchor = b->anchor;
            c->first_block = i;
            c->n_blocks = 0;
            card++;
        }
        b->card = card;
        if (card >= 0)
            st->cards[card].n_blocks++;
    }
    return 0;
}

/* Issues in source order (insertion sort: stable, and there are few). */
static void sort_issues(store *st)
{
    for (size_t i = 1; i < st->doc.n_issues; i++) {
        content_issue t = st->issues[i];
        size_t j = i;
        while (j > 0 && st->issues[j - 1].line > t.line) {
            st->issues[j] = st->issues[j - 1];
            j--;
        }
        st->issues[j] = t;
    }
}

content_doc *content_parse(const char *md, size_t len, int line_offset)
{
    assert(md || len == 0);
    if (len > CONTENT_MAX_SOURCE)
        return NULL;
    if (!md)
        md = "";
    if (len >= 3 && memcmp(md, "\xEF\xBB\xBF", 3) == 0) {
        md += 3; /* a BOM is not text */
        len -= 3;
    }
    store *st = calloc(1, sizeof *st);
    char *copy = malloc(len + SOURCE_PADDING);
    if (!st || !copy) {
        free(st);
        free(copy);
        return NULL;
    }
    memcpy(copy, md, len);
    memset(copy + len, 0, SOURCE_PADDING);
    parser p = {0};
    p.st = st;
    p.src = copy;
    p.len = len;
    p.line_offset = line_offset;
    p.cur_line = 1;
    p.link = -1;
    p.cont_type = -1;

    MD_PARSER mp = {0};
    /* No raw HTML (shown as text instead), and runs of white space collapse
     * to one space, so editors' double spaces do not show. */
    mp.flags = MD_DIALECT_COMMONMARK | MD_FLAG_NOHTML | MD_FLAG_COLLAPSEWHITESPACE;
    mp.enter_block = on_enter_block;
    mp.leave_block = on_leave_block;
    mp.enter_span = on_enter_span;
    mp.leave_span = on_leave_span;
    mp.text = on_text;
    if (md_parse(copy, (MD_SIZE)len, &mp, &p) != 0 || p.failed)
        goto fail;
    size_t run = 0;
    for (size_t i = 0; i < st->doc.n_blocks; i++) {
        st->blocks[i].runs = st->blocks[i].n_runs ? &st->runs[run] : NULL;
        run += st->blocks[i].n_runs;
    }
    assert(run == st->n_runs);
    report_html(&p);
    if (p.failed || index_anchors(&p) < 0 || build_cards(&p) < 0 || p.failed)
        goto fail;
    sort_issues(st);
    st->doc.blocks = st->blocks;
    st->doc.links = st->links;
    st->doc.images = st->images;
    st->doc.cards = st->cards;
    st->doc.issues = st->issues;
    st->doc.priv = st;
    free(p.lists);
    free(p.alt);
    free(copy); /* nothing points into it: runs and strings are in the arena */
    return &st->doc;

fail:
    free(p.lists);
    free(p.alt);
    free(copy);
    store_free(st);
    return NULL;
}

void content_free(content_doc *doc)
{
    if (doc)
        store_free(doc->priv);
}

int content_find_anchor(const content_doc *doc, const char *anchor)
{
    assert(doc && anchor);
    const store *st = doc->priv;
    size_t k = hash_str(anchor) & st->anchor_mask;
    for (int b; (b = st->anchor_slots[k]) >= 0; k = (k + 1) & st->anchor_mask)
        if (strcmp(st->blocks[b].anchor, anchor) == 0)
            return b;
    return -1;
}

char *content_block_text(const content_block *block)
{
    assert(block);
    size_t n = 0;
    for (size_t i = 0; i < block->n_runs; i++)
        n += block->runs[i].len;
    char *s = malloc(n + 1), *o = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < block->n_runs; i++) {
        memcpy(o, block->runs[i].text, block->runs[i].len);
        o += block->runs[i].len;
    }
    *o = '\0';
    return s;
}

/* Text of block i for search: its runs, or an image's alt text. */
static size_t plain_block(const content_doc *doc, size_t i, char *out)
{
    const content_block *b = &doc->blocks[i];
    size_t n = 0;
    if (b->type == CONTENT_IMAGE) {
        const char *alt = doc->images[b->image].alt;
        n = strlen(alt);
        if (out)
            memcpy(out, alt, n);
        return n;
    }
    for (size_t r = 0; r < b->n_runs; r++) {
        if (out)
            memcpy(out + n, b->runs[r].text, b->runs[r].len);
        n += b->runs[r].len;
    }
    return n;
}

char *content_plain_text(const content_doc *doc)
{
    assert(doc);
    size_t total = 1;
    for (size_t i = 0; i < doc->n_blocks; i++)
        total += plain_block(doc, i, NULL) + 1;
    char *s = malloc(total), *o = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        size_t n = plain_block(doc, i, o);
        if (n == 0)
            continue; /* rules, empty items */
        o += n;
        *o++ = '\n';
    }
    if (o > s)
        o--; /* no newline after the last block */
    *o = '\0';
    return s;
}

/* ------------------------------------------------------------------ */
/* Front-matter                                                         */

static int fm_fail(content_issue *issue, int line, const char *fmt, ...)
{
    issue->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(issue->message, sizeof issue->message, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_fence(const char *s, size_t n)
{
    return n == 3 && memcmp(s, "---", 3) == 0;
}

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '-' || c == '.';
}

int content_front_matter(const char *src, size_t len, content_front *out, content_issue *issue)
{
    content_issue ignored;
    assert(out && (src || len == 0));
    memset(out, 0, sizeof *out);
    if (!issue)
        issue = &ignored;
    issue->line = 0;
    issue->message[0] = '\0';
    if (len > CONTENT_MAX_SOURCE)
        return fm_fail(issue, 0, "file too large (%zu bytes, at most %u)", len, CONTENT_MAX_SOURCE);

    size_t off = len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (int line = 1; off < len || line == 1; line++) {
        const char *s = src + off;
        const char *nl = memchr(s, '\n', len - off);
        size_t n = nl ? (size_t)(nl - s) : len - off;
        off = nl ? off + n + 1 : len;
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--; /* CRLF files and stray trailing blanks */

        if (line == 1) {
            if (!is_fence(s, n))
                return fm_fail(issue, 1, "missing front-matter (the file must start with a '---' line)");
            continue;
        }
        if (is_fence(s, n)) {
            out->body_offset = off;
            out->body_line = line + 1;
            return 0;
        }
        if (n == 0)
            continue;
        if (memchr(s, '\0', n))
            return fm_fail(issue, line, "NUL byte in front-matter");
        const char *colon = memchr(s, ':', n);
        if (!colon)
            return fm_fail(issue, line, "line is not 'key: value'");
        size_t klen = (size_t)(colon - s);
        while (klen && (s[klen - 1] == ' ' || s[klen - 1] == '\t'))
            klen--;
        size_t kstart = 0;
        while (kstart < klen && (s[kstart] == ' ' || s[kstart] == '\t'))
            kstart++;
        const char *key = s + kstart;
        klen -= kstart;
        if (klen == 0)
            return fm_fail(issue, line, "line is not 'key: value' (empty key)");
        for (size_t i = 0; i < klen; i++)
            if (!is_key_char(key[i]))
                return fm_fail(issue, line, "bad key '%.*s' (use letters, digits, '_', '-', '.')",
                               (int)(klen > 40 ? 40 : klen), key);
        if (klen >= sizeof out->fields[0].key)
            return fm_fail(issue, line, "key '%.*s...' too long (at most %zu bytes)", 20, key,
                           sizeof out->fields[0].key - 1);
        const char *val = colon + 1;
        size_t vlen = n - (size_t)(val - s);
        while (vlen && (*val == ' ' || *val == '\t')) {
            val++;
            vlen--;
        }
        char keybuf[sizeof out->fields[0].key];
        memcpy(keybuf, key, klen);
        keybuf[klen] = '\0';
        if (vlen >= sizeof out->fields[0].value)
            return fm_fail(issue, line, "value of '%s' too long (%zu bytes, at most %zu)", keybuf, vlen,
                           sizeof out->fields[0].value - 1);
        if (content_front_get(out, keybuf))
            return fm_fail(issue, line, "duplicate key '%s'", keybuf);
        if (out->n >= CONTENT_MAX_FRONT)
            return fm_fail(issue, line, "too many front-matter fields (at most %d)", CONTENT_MAX_FRONT);
        memcpy(out->fields[out->n].key, keybuf, klen + 1);
        memcpy(out->fields[out->n].value, val, vlen);
        out->fields[out->n].value[vlen] = '\0';
        out->fields[out->n].line = line;
        out->n++;
    }
    memset(out, 0, sizeof *out);
    return fm_fail(issue, 1, "front-matter not closed (no '---' line after line 1)");
}

const char *content_front_get(const content_front *fm, const char *key)
{
    assert(fm && key);
    for (size_t i = 0; i < fm->n; i++)
        if (strcmp(fm->fields[i].key, key) == 0)
            return fm->fields[i].value;
    return NULL;
}
