#include "deadline.h"

deadline deadline_min(deadline a, deadline b, uint32_t now)
{
    if (!a.set)
        return b;
    if (!b.set)
        return a;
    /* Distances from now, not raw values: 0xFFFFFFF0 is before 0x10 when
     * the clock has just wrapped. */
    return deadline_left(b, now) < deadline_left(a, now) ? b : a;
}

int32_t deadline_left(deadline d, uint32_t now)
{
    return (int32_t)(d.at - now);
}
