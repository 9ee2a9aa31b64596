#include "prefetch.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PREFETCH_ERR_MAX 512

struct prefetch {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t moved;        /* on CLOCK_MONOTONIC: an item became ready or failed */
    size_t n;
    prefetch_get get;
    void *user;
    atomic_int *stop;            /* the thread's cancel flag, shared with get */
    size_t ready;                /* under lock: items 0..ready-1 are ready */
    bool failed;                 /* under lock: get failed on item `ready`; the thread has ended */
    char err[PREFETCH_ERR_MAX];  /* under lock once failed is set: its message */
};

static void *run(void *arg)
{
    prefetch *p = arg;
    char err[PREFETCH_ERR_MAX];
    for (size_t i = 0; i < p->n; i++) {
        err[0] = '\0';
        int rc = atomic_load(p->stop) ? -1 : p->get(p->user, i, err, sizeof err);
        pthread_mutex_lock(&p->lock);
        if (rc < 0) {
            p->failed = true;
            snprintf(p->err, sizeof p->err, "%s", err[0] ? err : "stopped");
        } else {
            p->ready = i + 1;
        }
        pthread_cond_broadcast(&p->moved);
        pthread_mutex_unlock(&p->lock);
        if (rc < 0)
            break;
    }
    return NULL;
}

prefetch *prefetch_start(size_t n, prefetch_get get, void *user, atomic_int *stop)
{
    prefetch *p = calloc(1, sizeof *p);
    pthread_condattr_t ca;
    if (!p)
        return NULL;
    *p = (prefetch){.n = n, .get = get, .user = user, .stop = stop};
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->moved, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        pthread_cond_destroy(&p->moved);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    return p;
}

static struct timespec poll_deadline(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += (long)PREFETCH_POLL_MS * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

int prefetch_wait(prefetch *p, size_t i, const atomic_int *cancel, char *err, size_t errcap)
{
    int rc = 0;
    pthread_mutex_lock(&p->lock);
    while (p->ready <= i && !p->failed) {
        if (cancel && atomic_load(cancel)) {
            atomic_store(p->stop, 1);
            rc = -2;
            break;
        }
        struct timespec until = poll_deadline();
        pthread_cond_timedwait(&p->moved, &p->lock, &until);
    }
    if (rc == 0 && p->ready <= i) {
        snprintf(err, errcap, "%s", p->err);
        rc = -1;
    }
    pthread_mutex_unlock(&p->lock);
    if (rc == -2)
        snprintf(err, errcap, "cancelled");
    return rc;
}

void prefetch_end(prefetch *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    if (p->ready < p->n)
        atomic_store(p->stop, 1);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->moved);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
