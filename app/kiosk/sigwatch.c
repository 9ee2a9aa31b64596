#include "sigwatch.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "platform.h"

struct sigwatch {
    pthread_t thread;
    void (*on_signal)(void *user, int signo);
    void *user;
    atomic_int stopping;   /* set by sigwatch_stop before it wakes the thread */
};

static void watched(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
}

int sigwatch_block(void)
{
    sigset_t set;
    watched(&set);
    int e = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (e)
        platform_log(PLATFORM_LOG_ERROR, "cannot block SIGTERM/SIGINT (error %d)", e);
    return e ? -1 : 0;
}

void sigwatch_unblock(void)
{
    sigset_t set;
    watched(&set);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static void *watch(void *arg)
{
    sigwatch *w = arg;
    sigset_t set;
    watched(&set);
    for (;;) {
        int signo;
        if (sigwait(&set, &signo) != 0)
            continue;
        if (atomic_load(&w->stopping))
            return NULL;
        platform_log(PLATFORM_LOG_INFO, "%s received", signo == SIGTERM ? "SIGTERM" : "SIGINT");
        w->on_signal(w->user, signo);
    }
}

sigwatch *sigwatch_start(void (*on_signal)(void *user, int signo), void *user)
{
    sigwatch *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->on_signal = on_signal;
    w->user = user;
    if (pthread_create(&w->thread, NULL, watch, w) != 0) {
        /* Better killed by the default action than not stoppable at all. */
        sigwatch_unblock();
        platform_log(PLATFORM_LOG_ERROR, "cannot start the signal watcher thread: SIGTERM/SIGINT end the "
                                         "program at once");
        free(w);
        return NULL;
    }
    return w;
}

void sigwatch_stop(sigwatch *w)
{
    if (!w)
        return;
    /* A SIGTERM aimed at the watcher alone wakes its sigwait; the flag
     * says it is ours. */
    atomic_store(&w->stopping, 1);
    pthread_kill(w->thread, SIGTERM);
    pthread_join(w->thread, NULL);
    free(w);
}
