/* layout_measure — the word-width cache and code-point cutting shared by the
 * document layout and the text-block layout (see layout_private.h). */
#include "layout_private.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Distinct words remembered per layout; past this, words are measured anew. */
#define CACHE_MAX (1u << 20)
/* Slots of a new cache (a power of two): a label or a summary has a few
 * dozen words; a document doubles it as it goes. */
#define CACHE_FIRST 64

static uint32_t hash_bytes(const char *s, size_t n, unsigned face, int size)
{
    uint32_t h = 2166136261u ^ (face * 0x9E3779B9u) ^ ((uint32_t)size * 0x85EBCA6Bu);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

int layout_width_raw(layout_widths *c, layout_face face, int size, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    int w = c->m->measure(c->m->ctx, face, size, s, n);
    return w > 0 ? w : 0;
}

static int cache_grow(layout_widths *c)
{
    size_t slots = c->slots ? (c->mask + 1) * 2 : CACHE_FIRST;
    layout_width_slot *t = calloc(slots, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; c->slots && i <= c->mask; i++) {
        if (!c->slots[i].s)
            continue;
        size_t k = c->slots[i].hash & (slots - 1);
        while (t[k].s)
            k = (k + 1) & (slots - 1);
        t[k] = c->slots[i];
    }
    free(c->slots);
    c->slots = t;
    c->mask = slots - 1;
    return 0;
}

int layout_width(layout_widths *c, layout_face face, int size, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (n > UINT32_MAX || c->n >= CACHE_MAX)
        return layout_width_raw(c, face, size, s, n);
    if ((c->n + 1) * 2 > (c->slots ? c->mask + 1 : 0) && cache_grow(c) < 0)
        return layout_width_raw(c, face, size, s, n); /* still correct, only slower */
    uint32_t h = hash_bytes(s, n, face, size);
    size_t k = h & c->mask;
    for (; c->slots[k].s; k = (k + 1) & c->mask) {
        const layout_width_slot *e = &c->slots[k];
        if (e->hash == h && e->len == n && e->face == face && e->size == size && memcmp(e->s, s, n) == 0)
            return e->w;
    }
    int w = layout_width_raw(c, face, size, s, n);
    c->slots[k] = (layout_width_slot){s, (uint32_t)n, h, size, w, (unsigned char)face};
    c->n++;
    return w;
}

void layout_widths_free(layout_widths *c)
{
    free(c->slots);
    c->slots = NULL;
    c->mask = c->n = 0;
}

size_t layout_cp_len(const char *s, size_t n, size_t i)
{
    uint32_t cp;
    int len = utf8_decode(s + i, n - i, &cp);
    return len > 0 ? (size_t)len : 1;
}

/* Byte offset k code points after i (or n). */
static size_t advance_cps(const char *s, size_t n, size_t i, size_t k)
{
    while (k-- > 0 && i < n)
        i += layout_cp_len(s, n, i);
    return i;
}

static size_t count_cps(const char *s, size_t n, size_t from, size_t to)
{
    size_t k = 0;
    while (from < to && from < n) {
        from += layout_cp_len(s, n, from);
        k++;
    }
    return k;
}

size_t layout_fit_cps(layout_widths *c, layout_face face, int size, const char *s, size_t n, int room, int *w)
{
    size_t good = 0, bad = SIZE_MAX, k = 1;
    int good_w = 0;
    for (;;) {
        size_t end = advance_cps(s, n, good, k);
        int ew = layout_width_raw(c, face, size, s, end);
        if (ew > room) {
            bad = end;
            break;
        }
        good = end;
        good_w = ew;
        if (end >= n)
            break;
        k *= 2;
    }
    while (bad != SIZE_MAX) {
        size_t cps = count_cps(s, n, good, bad);
        if (cps <= 1)
            break;
        size_t mid = advance_cps(s, n, good, cps / 2);
        int mw = layout_width_raw(c, face, size, s, mid);
        if (mw <= room) {
            good = mid;
            good_w = mw;
        } else {
            bad = mid;
        }
    }
    *w = good_w;
    return good;
}
