#include "targets.h"

#include "utf8.h"

#include <stdio.h>
#include <string.h>

void targets_clear(targets *l)
{
    l->n = 0;
}

void targets_relabel(ui_target *t, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n >= sizeof t->label)
        n = utf8_cut(text, sizeof t->label - 1);
    memcpy(t->label, text ? text : "", n);
    t->label[n] = '\0';
}

ui_target *targets_add(targets *l, SDL_Rect rect, target_id id, const char *ref, const char *label)
{
    if (l->n == TARGETS_MAX || rect.w <= 0 || rect.h <= 0)
        return NULL;
    ui_target *t = &l->items[l->n++];
    t->rect = rect;
    t->id = id;
    t->clipped = false;
    t->label_cut = false;
    snprintf(t->ref, sizeof t->ref, "%s", ref ? ref : "");
    targets_relabel(t, label);
    return t;
}

bool target_is(const ui_target *t, SDL_Rect rect, target_id id)
{
    return t->id.kind == id.kind && t->id.index == id.index && t->id.flags == id.flags && t->rect.x == rect.x &&
           t->rect.y == rect.y && t->rect.w == rect.w && t->rect.h == rect.h;
}

const ui_target *targets_at(const targets *l, float x, float y, int slop)
{
    for (int pass = 0; pass < 2; pass++) {
        int grow = pass ? slop : 0;
        for (int i = l->n - 1; i >= 0; i--) {
            SDL_Rect r = l->items[i].rect;
            if (x >= r.x - grow && x < r.x + r.w + grow && y >= r.y - grow && y < r.y + r.h + grow)
                return &l->items[i];
        }
    }
    return NULL;
}

const ui_target *targets_find(const targets *l, const char *ref, int screen_h)
{
    for (int i = l->n - 1; i >= 0; i--) {
        const ui_target *t = &l->items[i];
        if (t->ref[0] && !strcmp(t->ref, ref) && t->rect.w > 0 && t->rect.h > 0 && t->rect.y >= 0 &&
            t->rect.y < screen_h)
            return t;
    }
    return NULL;
}

void targets_clip(targets *l, int from, SDL_Rect band)
{
    for (int i = from; i < l->n; i++) {
        SDL_Rect *r = &l->items[i].rect, clipped;
        if (SDL_IntersectRect(r, &band, &clipped)) {
            l->items[i].clipped = l->items[i].clipped || clipped.h != r->h; /* once cut, stays cut */
            *r = clipped;
        } else {
            r->w = r->h = 0;
        }
    }
}

void targets_drop(targets *l, int from)
{
    if (from >= 0 && from < l->n)
        l->n = from;
}

/* Why target i is a layout problem, or NULL. */
static const char *problem(const targets *l, int i, int screen_w, int min)
{
    const ui_target *t = &l->items[i];
    if (t->rect.x < 0 || t->rect.x + t->rect.w > screen_w)
        return "spills over the side of the screen";
    if (t->rect.h < min && !t->clipped && !(t->id.flags & TARGET_IN_TEXT))
        return "is lower than a fingertip";
    if (t->rect.w < min && !t->clipped && !(t->id.flags & TARGET_IN_TEXT))
        return "is narrower than a fingertip";
    if (t->label_cut)
        return "has a label too long for it";
    if (!t->label[0])
        return "has nothing for speech mode to say";
    for (int j = 0; j < i; j++) {
        const ui_target *o = &l->items[j];
        if (!t->clipped && !o->clipped && !(t->id.flags & TARGET_OVER) && o->rect.w > 0 && o->rect.h > 0 &&
            SDL_HasIntersection(&t->rect, &o->rect))
            return "overlaps an earlier target";
    }
    return NULL;
}

int targets_check(const targets *l, int screen_w, int screen_h, int min, char *err, size_t errcap)
{
    int problems = 0;
    for (int i = 0; i < l->n; i++) {
        const ui_target *t = &l->items[i];
        if (t->rect.w <= 0 || t->rect.h <= 0)
            continue;
        const char *why = problem(l, i, screen_w, min);
        if (why && problems++ == 0)
            snprintf(err, errcap, "target %d (%s%s) at %d,%d %dx%d %s on %dx%d", i, t->ref,
                     t->id.flags & TARGET_LINK ? "" : " view", t->rect.x, t->rect.y, t->rect.w, t->rect.h, why,
                     screen_w, screen_h);
    }
    return problems;
}

int targets_count(const targets *l, int min, int *small)
{
    int n = 0;
    *small = 0;
    for (int i = 0; i < l->n; i++) {
        const ui_target *t = &l->items[i];
        if (t->rect.w <= 0 || t->rect.h <= 0)
            continue;
        n++;
        if (!t->clipped && !(t->id.flags & TARGET_IN_TEXT) && (t->rect.w < min || t->rect.h < min))
            (*small)++;
    }
    return n;
}
