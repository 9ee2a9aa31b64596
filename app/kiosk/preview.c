#include "preview.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform.h"

extern char **environ;

/* Saves come in bursts (an editor writes, renames, touches): wait this long
 * after the last event before building. */
#define PREVIEW_SETTLE_MS 80
/* Subfolders watched at most (one per item). */
#define PREVIEW_MAX_WATCHES 20000

struct preview {
    char dir[PLATFORM_PATH_MAX];
    char tmp[64];                      /* our temporary directory, /tmp/infopoint-preview-XXXXXX */
    char bundles[2][PLATFORM_PATH_MAX]; /* they take turns */
    int shown;                         /* index of the one on screen */
    unsigned builds;                   /* rebuilds reported so far */
    int inotify_fd;
    int stop_pipe[2];
    pthread_t thread;
    bool thread_started;
    uint32_t event_type;
    char first[UI_NOTICE_MAX];         /* the first build's warnings, for preview_attach */
};

/* The content tool beside our own program, else the one in PATH. */
static void tool_path(char *out, size_t cap)
{
    char self[PLATFORM_PATH_MAX - 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, cap, "%s/infopoint-bundle", self);
            if (access(out, X_OK) == 0)
                return;
        }
    }
    snprintf(out, cap, "infopoint-bundle");
}

/* Runs `infopoint-bundle build dir -o out`, its messages into log. Returns
 * its exit status (-1: it did not run). */
static int build(const preview *p, const char *out, const char *log)
{
    char tool[PLATFORM_PATH_MAX];
    tool_path(tool, sizeof tool);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char *argv[] = {tool, "build", (char *)p->dir, "-o", (char *)out, NULL};
    pid_t pid;
    int e = posix_spawnp(&pid, tool, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status;
    if (e != 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Prints what the build said (file:line messages), at most a screenful,
 * and keeps the whole lines that fit in out for the panel on the screen. */
static void show_log(const char *log, platform_log_level level, char out[UI_NOTICE_MAX])
{
    FILE *f = fopen(log, "r");
    char line[1024];
    size_t used = 0;
    out[0] = '\0';
    for (int n = 0; f && n < 20 && fgets(line, sizeof line, f); n++) {
        line[strcspn(line, "\n")] = '\0';
        platform_log(level, "preview: %s", line);
        size_t len = strlen(line);
        if (used + len + 2 <= UI_NOTICE_MAX) {
            used += (size_t)snprintf(out + used, UI_NOTICE_MAX - used, "%s%s", used ? "\n" : "", line);
        }
    }
    if (f)
        fclose(f);
}

static void watch_tree(preview *p, const char *dir, int depth)
{
    int wd = inotify_add_watch(p->inotify_fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM);
    DIR *dp = depth < 4 && wd >= 0 ? opendir(dir) : NULL;
    struct dirent *e;
    while (dp && (e = readdir(dp)) != NULL) {
        char sub[PLATFORM_PATH_MAX + 260];
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        if (strlen(sub) < PLATFORM_PATH_MAX && platform_is_dir(sub))
            watch_tree(p, sub, depth + 1);
    }
    if (dp)
        closedir(dp);
}

/* Waits for a change and lets the burst settle. Returns false on stop. */
static bool wait_change(preview *p)
{
    char buf[8192];
    struct pollfd fds[2] = {{p->inotify_fd, POLLIN, 0}, {p->stop_pipe[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 || fds[1].revents)
        return false;
    do {
        if (read(p->inotify_fd, buf, sizeof buf) < 0 && errno != EAGAIN)
            return false;
        fds[0].revents = fds[1].revents = 0;
    } while (poll(fds, 2, PREVIEW_SETTLE_MS) > 0 && !fds[1].revents);
    return !fds[1].revents;
}

static void *run(void *arg)
{
    preview *p = arg;
    int next = 1;
    while (wait_change(p)) {
        char log[PLATFORM_PATH_MAX + 16];
        snprintf(log, sizeof log, "%s/build.log", p->tmp);
        watch_tree(p, p->dir, 0); /* new item folders */
        uint64_t t0 = platform_now_ms();
        int rc = build(p, p->bundles[next], log);
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = p->event_type;
        ev.user.code = rc;
        ev.user.data1 = (void *)(intptr_t)next;
        ev.user.data2 = (void *)(uintptr_t)(platform_now_ms() - t0);
        SDL_PushEvent(&ev);
        if (rc == 0)
            next = 1 - next;
    }
    return NULL;
}

preview *preview_start(const char *dir, char *err, size_t errcap)
{
    preview *p = calloc(1, sizeof *p);
    char log[PLATFORM_PATH_MAX + 16];
    if (!p) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    p->inotify_fd = p->stop_pipe[0] = p->stop_pipe[1] = -1;
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    snprintf(p->tmp, sizeof p->tmp, "/tmp/infopoint-preview-XXXXXX");
    if (!mkdtemp(p->tmp)) {
        snprintf(err, errcap, "cannot make a temporary directory: %s", strerror(errno));
        goto fail;
    }
    for (int i = 0; i < 2; i++)
        snprintf(p->bundles[i], sizeof p->bundles[i], "%s/preview-%d.ipb", p->tmp, i);
    snprintf(log, sizeof log, "%s/build.log", p->tmp);
    uint64_t t0 = platform_now_ms();
    int rc = build(p, p->bundles[0], log);
    show_log(log, rc == 0 ? PLATFORM_LOG_WARN : PLATFORM_LOG_ERROR, p->first);
    if (rc != 0) {
        snprintf(err, errcap, "%s does not build (see above)", dir);
        goto fail;
    }
    platform_log(PLATFORM_LOG_INFO, "preview: built %s in %llu ms", dir, (unsigned long long)(platform_now_ms() - t0));
    p->event_type = SDL_RegisterEvents(1);
    p->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (p->event_type == (uint32_t)-1 || p->inotify_fd < 0 || pipe(p->stop_pipe) < 0) {
        snprintf(err, errcap, "cannot watch %s: %s", dir, strerror(errno));
        goto fail;
    }
    watch_tree(p, dir, 0);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        snprintf(err, errcap, "cannot start the preview thread");
        goto fail;
    }
    p->thread_started = true;
    return p;
fail:
    preview_stop(p);
    return NULL;
}

const char *preview_bundle(const preview *p)
{
    return p->bundles[p->shown];
}

void preview_attach(preview *p, app *a)
{
    ui_set_notice(a->u, UI_NOTICE_WARNINGS, p->first);
}

bool preview_handle(preview *p, const SDL_Event *ev, app *a)
{
    char log[PLATFORM_PATH_MAX + 16];
    if (!p || ev->type != p->event_type)
        return false;
    int which = (int)(intptr_t)ev->user.data1;
    unsigned ms = (unsigned)(uintptr_t)ev->user.data2;
    char msgs[UI_NOTICE_MAX];
    snprintf(log, sizeof log, "%s/build.log", p->tmp);
    /* Each report is numbered: the log drops a line said twice within a
     * minute, and two rebuilds can take the same milliseconds. */
    unsigned n = ++p->builds;
    if (ev->user.code != 0) {
        platform_log(PLATFORM_LOG_ERROR,
                     "preview: edit %u does not build (%u ms); still showing the last good one:", n, ms);
        show_log(log, PLATFORM_LOG_ERROR, msgs);
        /* A tool that did not run says nothing: the panel says why anyway. */
        ui_set_notice(a->u, UI_NOTICE_ERRORS, msgs[0] ? msgs : "infopoint-bundle did not run");
        platform_log(PLATFORM_LOG_INFO, "preview: edit %u: errors on screen", n);
        return true;
    }
    show_log(log, PLATFORM_LOG_WARN, msgs);
    ui_set_notice(a->u, UI_NOTICE_WARNINGS, msgs);
    if (msgs[0])
        platform_log(PLATFORM_LOG_INFO, "preview: edit %u: warnings on screen", n);
    if (app_swap_bundle(a, p->bundles[which], SDL_GetTicks()) == 0) {
        p->shown = which;
        platform_log(PLATFORM_LOG_INFO, "preview: edit %u rebuilt in %u ms, on screen", n, ms);
    }
    return true;
}

void preview_stop(preview *p)
{
    if (!p)
        return;
    if (p->thread_started) {
        if (write(p->stop_pipe[1], "x", 1) < 0)
            platform_log(PLATFORM_LOG_WARN, "preview: cannot stop the watcher");
        pthread_join(p->thread, NULL);
    }
    for (int i = 0; i < 2; i++)
        if (p->stop_pipe[i] >= 0)
            close(p->stop_pipe[i]);
    if (p->inotify_fd >= 0)
        close(p->inotify_fd);
    if (p->tmp[0] && strcmp(p->tmp + strlen(p->tmp) - 6, "XXXXXX")) {
        char path[PLATFORM_PATH_MAX + 16];
        for (int i = 0; i < 2; i++)
            unlink(p->bundles[i]);
        snprintf(path, sizeof path, "%s/build.log", p->tmp);
        unlink(path);
        rmdir(p->tmp);
    }
    free(p);
}
