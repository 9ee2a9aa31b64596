/* ui_plan — the parts of a page measured once (see ui_plan.h). */
#include "ui_plan.h"

#include <stdlib.h>

void ui_plan_reset(ui_plan *p)
{
    p->n = 0;
    p->height = 0;
    p->valid = true;
}

bool ui_plan_add(ui_plan *p, int kind, int index, SDL_Rect r, int h1, int h2)
{
    return ui_plan_add_part(p, &(ui_part){.kind = kind, .index = index, .r = r, .h1 = h1, .h2 = h2});
}

bool ui_plan_add_part(ui_plan *p, const ui_part *part)
{
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 32;
        ui_part *grown = realloc(p->parts, (size_t)cap * sizeof *grown);
        if (!grown)
            return false;
        p->parts = grown;
        p->cap = cap;
    }
    p->parts[p->n++] = *part;
    return true;
}

void ui_plan_free(ui_plan *p)
{
    free(p->parts);
    *p = (ui_plan){0};
}

bool ui_part_visible(const ui_part *part, int off, int view_h)
{
    return part->r.y + part->r.h >= off && part->r.y <= off + view_h;
}
