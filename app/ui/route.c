/* route — see route.h for the grammar. */
#include "route.h"

#include "utf8.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bytes of outside input quoted back in an error message: enough to
 * recognise it in a log, not enough to flood one. */
#define QUOTE_MAX 48

#define STR_(x) #x
#define STR(x) STR_(x)

static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static bool valid_id(const char *s, size_t n)
{
    if (n < 1 || n > ROUTE_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_id_char(s[i]))
            return false;
    return true;
}

/* Length of the valid UTF-8 character at s (n > 0 bytes left) and its
 * code point; 0 when malformed (utf8.h refuses overlongs and surrogates). */
static size_t char_at(const char *s, size_t n, uint32_t *cp)
{
    int len = utf8_decode(s, n, cp);
    return len > 0 ? (size_t)len : 0;
}

/* Copy outside input for an error message: printable ASCII and whole valid
 * UTF-8 characters as they are, anything else as '?', cut with "..." at
 * QUOTE_MAX bytes (or what fits in cap), so a message never carries control
 * bytes or broken text. */
static void quote(char *dst, size_t cap, const char *src, size_t n)
{
    assert(cap > 4);
    size_t limit = cap - 4 < QUOTE_MAX ? cap - 4 : QUOTE_MAX; /* room for "..." and NUL */
    size_t o = 0, i = 0;
    while (i < n && o < limit) {
        uint32_t cp;
        size_t len = char_at(src + i, n - i, &cp);
        if (len == 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            dst[o++] = '?';
            i += len ? len : 1;
            continue;
        }
        if (o + len > limit)
            break;
        memcpy(dst + o, src + i, len);
        o += len;
        i += len;
    }
    if (i < n) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
}

__attribute__((format(printf, 3, 4))) static bool fail(char *err, size_t size, const char *fmt, ...)
{
    if (err && size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, size, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* "bad id" style failure quoting both the piece and the whole route. */
static bool fail_piece(char *err, size_t size, const char *what, const char *piece, size_t n,
                       const char *whole, size_t whole_n, const char *rule)
{
    char p[QUOTE_MAX + 8], w[QUOTE_MAX + 8];
    quote(p, sizeof p, piece, n);
    quote(w, sizeof w, whole, whole_n);
    return fail(err, size, "bad %s '%s' in route '%s' (%s)", what, p, w, rule);
}

static const char ID_RULE[] = "1-" STR(ROUTE_ID_MAX) " characters: a-z, 0-9, '-'";

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Characters a query may carry without encoding: RFC 3986 unreserved and the
 * sub-delimiters harmless here, plus raw UTF-8 (bytes >= 0x80, checked after
 * decoding) so an operator can type `--open 'search?q=конституция'`. */
static bool raw_query_char(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (c != 0 && strchr("-._~!$'()*,;:@/?=", c) != NULL);
}

static bool parse_query(const char *q, size_t n, route *out, char *err, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)q[i];
        int byte;
        if (c == '%') {
            int hi = i + 1 < n ? hex_value(q[i + 1]) : -1;
            int lo = i + 2 < n ? hex_value(q[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                char p[QUOTE_MAX + 8];
                quote(p, sizeof p, q + i, n - i < 3 ? n - i : 3);
                return fail(err, size, "bad percent-encoding '%s' in search query", p);
            }
            byte = hi * 16 + lo;
            i += 2;
        } else if (c == '+') {
            byte = ' '; /* as HTML forms encode it */
        } else if (c == '&') {
            return fail(err, size, "search takes one parameter, q=...");
        } else if (raw_query_char(c)) {
            byte = c;
        } else {
            char p[QUOTE_MAX + 8];
            quote(p, sizeof p, q + i, 1);
            return fail(err, size, "character '%s' must be percent-encoded in search query", p);
        }
        if (o == ROUTE_QUERY_MAX)
            return fail(err, size, "search query too long (more than %d bytes)", ROUTE_QUERY_MAX);
        out->query[o++] = (char)byte;
    }
    out->query[o] = '\0';
    for (size_t i = 0; i < o;) {
        uint32_t cp;
        size_t len = char_at(out->query + i, o - i, &cp);
        if (len == 0)
            return fail(err, size, "search query is not valid UTF-8");
        /* Controls (NUL above all) would cut or garble text downstream. */
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            return fail(err, size, "search query contains a control character");
        i += len;
    }
    return true;
}

static bool parse_card(const char *s, size_t n, int *card)
{
    if (n < 1 || s[0] == '0') /* no leading zero: one spelling per card */
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
        if (v > ROUTE_CARD_MAX) /* also keeps v far from overflow */
            return false;
    }
    *card = v;
    return true;
}

/* Parse "<id>" (category), "<id>[#<anchor>]" (item) or "<id>[/<card>]" (deck)
 * from rest, the text after "<kind>/". */
static bool parse_target(const char *s, size_t len, const char *rest, route *out, char *err,
                         size_t size)
{
    size_t n = len - (size_t)(rest - s);
    char sep = out->kind == ROUTE_ITEM ? '#' : out->kind == ROUTE_DECK ? '/' : '\0';
    const char *cut = sep ? memchr(rest, sep, n) : NULL;
    size_t id_n = cut ? (size_t)(cut - rest) : n;
    if (!valid_id(rest, id_n))
        return fail_piece(err, size, "id", rest, id_n, s, len, ID_RULE);
    memcpy(out->id, rest, id_n);
    out->id[id_n] = '\0';
    if (out->kind == ROUTE_DECK)
        out->card = 1;
    if (!cut)
        return true;
    const char *arg = cut + 1;
    size_t arg_n = n - id_n - 1;
    if (out->kind == ROUTE_ITEM) {
        if (!valid_id(arg, arg_n))
            return fail_piece(err, size, "anchor", arg, arg_n, s, len, ID_RULE);
        memcpy(out->anchor, arg, arg_n);
        out->anchor[arg_n] = '\0';
        return true;
    }
    if (!parse_card(arg, arg_n, &out->card))
        return fail_piece(err, size, "card number", arg, arg_n, s, len, "1-" STR(ROUTE_CARD_MAX));
    return true;
}

/* The operator's screens: "admin" and "admin/<screen>". */
static const struct {
    const char *sub;
    route_kind kind;
} admin_screens[] = {
    {"", ROUTE_ADMIN},
    {"/pin", ROUTE_ADMIN_PIN},
    {"/touch", ROUTE_ADMIN_TOUCH},
    {"/pattern", ROUTE_ADMIN_PATTERN},
};

static bool parse_admin(const char *rest, route *out, char *err, size_t err_size, const char *quoted)
{
    for (size_t i = 0; i < sizeof admin_screens / sizeof admin_screens[0]; i++) {
        if (!strcmp(rest, admin_screens[i].sub)) {
            out->kind = admin_screens[i].kind;
            return true;
        }
    }
    return fail(err, err_size, "unknown operator screen '%s' (expected admin, admin/pin, admin/touch or admin/pattern)",
                quoted);
}

bool route_parse(const char *s, route *out, char *err, size_t err_size)
{
    assert(s && out);
    static const struct {
        const char *name;
        route_kind kind;
    } kinds[] = {
        {"home", ROUTE_HOME},     {"admin", ROUTE_ADMIN}, {"category", ROUTE_CATEGORY},
        {"item", ROUTE_ITEM},     {"deck", ROUTE_DECK},   {"search", ROUTE_SEARCH},
        {"display", ROUTE_DISPLAY},
    };
    memset(out, 0, sizeof *out);
    if (err && err_size > 0)
        err[0] = '\0';
    size_t len = strnlen(s, ROUTE_STRING_MAX + 1);
    if (len > ROUTE_STRING_MAX)
        return fail(err, err_size, "route too long (more than %d bytes)", ROUTE_STRING_MAX);
    if (len == 0)
        return fail(err, err_size, "empty route");
    size_t head = strcspn(s, "/?#");
    char w[QUOTE_MAX + 8];
    quote(w, sizeof w, s, len);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (strlen(kinds[k].name) != head || memcmp(s, kinds[k].name, head) != 0)
            continue;
        out->kind = kinds[k].kind;
        const char *rest = s + head;
        switch (out->kind) {
        case ROUTE_HOME:
        case ROUTE_DISPLAY:
            if (*rest)
                return fail(err, err_size, "'%s' takes nothing after it: '%s'", kinds[k].name, w);
            return true;
        case ROUTE_ADMIN:
            return parse_admin(rest, out, err, err_size, w);
        case ROUTE_SEARCH:
            if (*rest == '\0')
                return true;
            if (strncmp(rest, "?q=", 3) != 0)
                return fail(err, err_size, "'search' takes only '?q=...': '%s'", w);
            return parse_query(rest + 3, len - head - 3, out, err, err_size);
        default:
            if (*rest != '/')
                return fail(err, err_size, "missing id in route '%s' (expected '%s/<id>')", w,
                            kinds[k].name);
            return parse_target(s, len, rest + 1, out, err, err_size);
        }
    }
    return fail(err, err_size, "unknown route '%s'", w);
}

/* Bounded string builder: remembers overflow instead of checking every call. */
typedef struct {
    char *buf;
    size_t size, len;
    bool ok;
} writer;

static void put(writer *w, const char *s, size_t n)
{
    if (!w->ok || w->len + n >= w->size) {
        w->ok = false;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void puts_(writer *w, const char *s)
{
    put(w, s, strlen(s));
}

static void put_query(writer *w, const char *q)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)q; *p; p++) {
        /* Only unreserved characters stay raw: the result is canonical and
         * survives any URL, QR code or shell quoting. */
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            put(w, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            put(w, e, 3);
        }
    }
}

bool route_format(const route *r, char *buf, size_t size)
{
    assert(r && buf);
    writer w = {.buf = buf, .size = size, .len = 0, .ok = size > 0};
    if (size > 0)
        buf[0] = '\0';
    switch (r->kind) {
    case ROUTE_HOME:
    case ROUTE_DISPLAY:
        puts_(&w, route_kind_name(r->kind));
        break;
    case ROUTE_ADMIN:
    case ROUTE_ADMIN_PIN:
    case ROUTE_ADMIN_TOUCH:
    case ROUTE_ADMIN_PATTERN:
        puts_(&w, route_kind_name(r->kind));
        break;
    case ROUTE_CATEGORY:
    case ROUTE_ITEM:
    case ROUTE_DECK:
        assert(valid_id(r->id, strlen(r->id)));
        puts_(&w, route_kind_name(r->kind));
        puts_(&w, "/");
        puts_(&w, r->id);
        if (r->kind == ROUTE_ITEM && r->anchor[0]) {
            assert(valid_id(r->anchor, strlen(r->anchor)));
            puts_(&w, "#");
            puts_(&w, r->anchor);
        } else if (r->kind == ROUTE_DECK) {
            char num[16];
            assert(r->card >= 1 && r->card <= ROUTE_CARD_MAX);
            snprintf(num, sizeof num, "/%d", r->card);
            puts_(&w, num);
        }
        break;
    case ROUTE_SEARCH:
        puts_(&w, "search");
        if (r->query[0]) {
            puts_(&w, "?q=");
            put_query(&w, r->query);
        }
        break;
    default:
        assert(!"unknown route kind");
        return false;
    }
    if (!w.ok && size > 0)
        buf[0] = '\0'; /* never hand out a truncated route: it may name another screen */
    return w.ok;
}

bool route_equal(const route *a, const route *b)
{
    assert(a && b);
    return a->kind == b->kind && strcmp(a->id, b->id) == 0 && strcmp(a->anchor, b->anchor) == 0 &&
           a->card == b->card && strcmp(a->query, b->query) == 0;
}

route route_home(void)
{
    route r;
    memset(&r, 0, sizeof r);
    r.kind = ROUTE_HOME;
    return r;
}

const char *route_kind_name(route_kind kind)
{
    switch (kind) {
    case ROUTE_HOME: return "home";
    case ROUTE_CATEGORY: return "category";
    case ROUTE_ITEM: return "item";
    case ROUTE_DECK: return "deck";
    case ROUTE_SEARCH: return "search";
    case ROUTE_DISPLAY: return "display";
    case ROUTE_ADMIN: return "admin";
    case ROUTE_ADMIN_PIN: return "admin/pin";
    case ROUTE_ADMIN_TOUCH: return "admin/touch";
    case ROUTE_ADMIN_PATTERN: return "admin/pattern";
    }
    return "?";
}

bool route_is_operator(route_kind kind)
{
    return kind == ROUTE_ADMIN || kind == ROUTE_ADMIN_TOUCH || kind == ROUTE_ADMIN_PATTERN;
}

void route_history_init(route_history *h)
{
    assert(h);
    h->first = 0;
    h->count = 0;
}

void route_history_push(route_history *h, const route *r, int scroll)
{
    assert(h && r && h->count <= ROUTE_HISTORY_MAX);
    if (h->count > 0) {
        route_history_entry *top = &h->entries[(h->first + h->count - 1) % ROUTE_HISTORY_MAX];
        if (route_equal(&top->r, r)) {
            /* Leaving the same screen twice (a double tap) must not make the
             * reader press Back twice to get anywhere. */
            top->scroll = scroll;
            return;
        }
    }
    if (h->count == ROUTE_HISTORY_MAX) {
        h->first = (h->first + 1) % ROUTE_HISTORY_MAX;
        h->count--;
    }
    route_history_entry *e = &h->entries[(h->first + h->count) % ROUTE_HISTORY_MAX];
    e->r = *r;
    e->scroll = scroll;
    h->count++;
}

bool route_history_back(route_history *h, route *out, int *scroll)
{
    assert(h && out);
    if (h->count == 0)
        return false;
    h->count--;
    const route_history_entry *e = &h->entries[(h->first + h->count) % ROUTE_HISTORY_MAX];
    *out = e->r;
    if (scroll)
        *scroll = e->scroll;
    return true;
}

void route_history_clear(route_history *h)
{
    route_history_init(h);
}

unsigned route_history_depth(const route_history *h)
{
    assert(h);
    return h->count;
}
