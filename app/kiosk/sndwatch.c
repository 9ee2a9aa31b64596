/* sndwatch — inotify on the sound devices' folder, on a thread that sleeps
 * until the kernel has news (sndwatch.h). */
#include "sndwatch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

struct sndwatch {
    int fd;          /* inotify */
    int wd_parent;   /* the folder's parent: for the folder to appear (the first sound card) */
    int wd_dir;      /* the folder, or -1 while it does not exist */
    char dir[256];
    int stop[2];     /* a byte written to stop[1] ends the thread */
    pthread_t thread;
    sndwatch_fn fn;
    void *user;
};

int sndwatch_output_numbers(const char *name, unsigned *card, unsigned *dev)
{
    char dir, end;
    if (strncmp(name, "pcmC", 4) || name[4] < '0' || name[4] > '9')
        return -1; /* sscanf's %u would take "+1" or " 1" */
    return sscanf(name, "pcmC%uD%u%c%c", card, dev, &dir, &end) == 3 && dir == 'p' ? 0 : -1;
}

int sndwatch_is_output(const char *name)
{
    unsigned card, dev;
    return sndwatch_output_numbers(name, &card, &dev) == 0;
}

/* A card id ALSA takes in CARD=: letters, digits, '_' and '-' (the kernel
 * makes ids of these), 1..15 bytes. */
static bool plain_id(const char *id)
{
    size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
    return n > 0 && n < 16 && id[n] == '\0';
}

void sndwatch_alsa_name(const char *proc_asound, unsigned card, unsigned dev, char *out, size_t cap)
{
    char path[512], id[64] = "";
    snprintf(path, sizeof path, "%s/card%u/id", proc_asound, card);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(id, sizeof id, f))
            id[0] = '\0';
        fclose(f);
        id[strcspn(id, "\n")] = '\0';
    }
    /* The id names the card for as long as it is plugged in and reads
     * better in the log; the number is what is left when the id cannot be
     * read (its proc entry may come a moment after the device file). */
    if (plain_id(id))
        snprintf(out, cap, "plughw:CARD=%s,DEV=%u", id, dev);
    else
        snprintf(out, cap, "plughw:%u,%u", card, dev);
}

#define DIR_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM)

/* Watches the folder once it exists; the outputs already in it (they came
 * with it: the first card plugged in) are reported as added. */
static void watch_dir(sndwatch *w)
{
    w->wd_dir = inotify_add_watch(w->fd, w->dir, DIR_EVENTS);
    if (w->wd_dir < 0)
        return;
    DIR *d = opendir(w->dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (sndwatch_is_output(e->d_name))
            w->fn(w->user, true, e->d_name);
    if (d)
        closedir(d);
}

/* Hands each playback device of one read's events to the callback; the
 * folder appearing in its parent starts the watch on it, and its going
 * (the last card unplugged, with udev removing it) ends that. */
static void report(sndwatch *w, const char *buf, ssize_t n)
{
    const char *base = strrchr(w->dir, '/') ? strrchr(w->dir, '/') + 1 : w->dir;
    for (ssize_t at = 0; at + (ssize_t)sizeof(struct inotify_event) <= n;) {
        const struct inotify_event *e = (const struct inotify_event *)(buf + at);
        at += (ssize_t)sizeof *e + e->len;
        if (e->wd == w->wd_dir && (e->mask & IN_IGNORED)) {
            w->wd_dir = -1;
        } else if (e->wd == w->wd_parent) {
            if (e->len > 0 && !strcmp(e->name, base) && (e->mask & (IN_CREATE | IN_MOVED_TO)) && w->wd_dir < 0)
                watch_dir(w);
        } else if (e->wd == w->wd_dir && e->len > 0 && sndwatch_is_output(e->name)) {
            w->fn(w->user, (e->mask & (IN_CREATE | IN_MOVED_TO)) != 0, e->name);
        }
    }
}

static void *watch(void *arg)
{
    sndwatch *w = arg;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->stop[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents)
            break;
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        report(w, buf, n);
    }
    return NULL;
}

sndwatch *sndwatch_start(const char *dir, sndwatch_fn fn, void *user, char *err, size_t errcap)
{
    sndwatch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    w->fn = fn;
    w->user = user;
    w->stop[0] = w->stop[1] = -1;
    w->wd_dir = -1;
    snprintf(w->dir, sizeof w->dir, "%s", dir);
    char parent[sizeof w->dir];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash)
        *(slash == parent ? slash + 1 : slash) = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    w->fd = inotify_init1(IN_CLOEXEC);
    w->wd_parent = w->fd < 0 ? -1 : inotify_add_watch(w->fd, parent, IN_CREATE | IN_MOVED_TO);
    if (w->wd_parent < 0) {
        snprintf(err, errcap, "cannot watch %s: %s", parent, strerror(errno));
        goto fail;
    }
    /* A folder missing now (no sound card yet) is watched when it comes. */
    w->wd_dir = inotify_add_watch(w->fd, dir, DIR_EVENTS);
    if (w->wd_dir < 0 && errno != ENOENT) {
        snprintf(err, errcap, "cannot watch %s: %s", dir, strerror(errno));
        goto fail;
    }
    if (pipe(w->stop) < 0) {
        snprintf(err, errcap, "pipe: %s", strerror(errno));
        goto fail;
    }
    int rc = pthread_create(&w->thread, NULL, watch, w);
    if (rc != 0) {
        snprintf(err, errcap, "no thread: %s", strerror(rc));
        goto fail;
    }
    return w;
fail:
    if (w->fd >= 0)
        close(w->fd);
    if (w->stop[0] >= 0)
        close(w->stop[0]);
    if (w->stop[1] >= 0)
        close(w->stop[1]);
    free(w);
    return NULL;
}

void sndwatch_stop(sndwatch *w)
{
    if (!w)
        return;
    char b = 1;
    while (write(w->stop[1], &b, 1) < 0 && errno == EINTR)
        ;
    pthread_join(w->thread, NULL);
    close(w->fd);
    close(w->stop[0]);
    close(w->stop[1]);
    free(w);
}
