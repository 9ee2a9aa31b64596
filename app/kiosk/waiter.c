#include "waiter.h"

#include <sys/resource.h>

#include "platform.h"

/* Events kept aside while measuring (window shown, exposed...). */
#define MAX_KEPT 32
/* The measured wait. */
#define MEASURE_MS 60

/* Voluntary context switches: times the process went to sleep and woke.
 * (Involuntary ones are preemptions by a busy machine, not wake-ups.) */
static long context_switches(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return ru.ru_nvcsw;
}

static void measure(waiter *wt)
{
    /* Start-up events (window shown, exposed) are kept aside and handed
     * back to the loop afterwards, so the wait really waits. */
    SDL_Event kept[MAX_KEPT];
    int n_kept = 0;
    long before = context_switches();
    uint32_t t0 = SDL_GetTicks();
    while (SDL_GetTicks() - t0 < MEASURE_MS && n_kept < MAX_KEPT) {
        int left = MEASURE_MS - (int)(SDL_GetTicks() - t0);
        if (left > 0 && SDL_WaitEventTimeout(&kept[n_kept], left) == 1)
            n_kept++;
    }
    uint32_t waited = SDL_GetTicks() - t0;
    long woke = context_switches() - before - n_kept;
    for (int i = 0; i < n_kept; i++)
        SDL_PushEvent(&kept[i]);
    /* A blocking wait sleeps once or twice; a 1 ms poll loop wakes about
     * once per millisecond waited. */
    wt->polls = waited >= 20 && woke > (long)waited / 4;
    platform_log(PLATFORM_LOG_INFO, "video driver %s: %s (%ld wake-ups in a %u ms wait)", SDL_GetCurrentVideoDriver(),
                 wt->polls ? "polling wait, using adaptive sleep" : "blocking wait", woke, waited);
}

void waiter_init(waiter *wt)
{
    wt->polls = false;
    wt->last_input = SDL_GetTicks();
    measure(wt);
}

void waiter_input(waiter *wt, uint32_t now)
{
    wt->last_input = now;
}

/* Our own sleep for a polling backend: 8 ms right after input (a finger is
 * likely still there), growing to 250 ms after a few seconds of quiet:
 * ~4 wake-ups a second idle. */
static int adaptive_wait(const waiter *wt, SDL_Event *ev, deadline d)
{
    for (;;) {
        if (SDL_PollEvent(ev))
            return 1;
        uint32_t now = SDL_GetTicks();
        if (d.set && deadline_left(d, now) <= 0)
            return 0;
        uint32_t quiet = now - wt->last_input;
        uint32_t nap = quiet < 2000 ? 8 : quiet < 10000 ? 50 : 250;
        if (d.set && (uint32_t)deadline_left(d, now) < nap)
            nap = (uint32_t)deadline_left(d, now);
        SDL_Delay(nap);
    }
}

int waiter_wait(waiter *wt, SDL_Event *ev, deadline d)
{
    int32_t timeout = d.set ? deadline_left(d, SDL_GetTicks()) : -1;
    if (d.set && timeout <= 0)
        return SDL_PollEvent(ev);
    if (wt->polls)
        return adaptive_wait(wt, ev, d);
    return d.set ? SDL_WaitEventTimeout(ev, timeout) : SDL_WaitEvent(ev);
}
