#define _GNU_SOURCE /* pipe2 */
#include "glprobe.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GL_RENDERER_ENUM 0x1F01 /* GL_RENDERER, without including GL headers */
#define ANSWER_MAX 256

extern char **environ;

struct glprobe {
    pid_t pid;
    int fd; /* read end of the child's stdout */
};

bool glprobe_is_software(const char *renderer)
{
    /* Mesa's names: "llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe",
     * "Software Rasterizer" (swrast), and the driver file "swrast". */
    static const char *const soft[] = {"llvmpipe", "softpipe", "swrast", "software rasterizer"};
    for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++) {
        size_t n = strlen(soft[i]);
        for (const char *p = renderer; *p; p++)
            if (!strncasecmp(p, soft[i], n))
                return true;
    }
    return false;
}

glprobe *glprobe_start(const char *self_exe)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return NULL;
    glprobe *p = calloc(1, sizeof *p);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    /* stdout is the pipe; stderr goes nowhere (the child's complaints about
     * a missing GLX are the answer "none", not news for the log). */
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    /* The parent blocks SIGTERM/SIGINT for its signal thread; the child
     * must not inherit that, so a stop of the service group ends it too. */
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    char *argv[] = {"infopoint", GLPROBE_ARG, NULL};
    int rc = p ? posix_spawn(&p->pid, self_exe, &fa, &at, argv, environ) : ENOMEM;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        free(p);
        return NULL;
    }
    p->fd = fds[0];
    return p;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Reads the child's output until it closes it or the time is up. */
static size_t read_answer(int fd, int timeout_ms, char *buf, size_t cap)
{
    size_t n = 0;
    long end = now_ms() + timeout_ms;
    while (n + 1 < cap) {
        long left = end - now_ms();
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            break;
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    return n;
}

static void end_child(glprobe *p)
{
    kill(p->pid, SIGKILL); /* it has answered or had its time */
    while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    close(p->fd);
    free(p);
}

glprobe_kind glprobe_finish(glprobe *p, int timeout_ms, char *renderer, size_t cap)
{
    char buf[ANSWER_MAX];
    if (renderer && cap)
        renderer[0] = '\0';
    if (!p)
        return GLPROBE_NONE;
    size_t n = read_answer(p->fd, timeout_ms, buf, sizeof buf);
    end_child(p);
    buf[strcspn(buf, "\r\n")] = '\0';
    if (n == 0 || !buf[0])
        return GLPROBE_NONE;
    if (renderer && cap)
        snprintf(renderer, cap, "%s", buf);
    return glprobe_is_software(buf) ? GLPROBE_SOFTWARE : GLPROBE_HARDWARE;
}

void glprobe_cancel(glprobe *p)
{
    if (p)
        end_child(p);
}

int glprobe_child_main(void)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO) < 0)
        return 1;
    SDL_Window *w = SDL_CreateWindow("infopoint-probe", 0, 0, 1, 1, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext ctx = w ? SDL_GL_CreateContext(w) : NULL;
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get_string = ctx ? (get_string_fn)SDL_GL_GetProcAddress("glGetString") : NULL;
    const unsigned char *name = get_string ? get_string(GL_RENDERER_ENUM) : NULL;
    int status = 1;
    if (name && name[0]) {
        printf("%s\n", (const char *)name);
        status = 0;
    }
    fflush(stdout);
    /* No clean-up: the process ends here, and tearing down a GL driver
     * only costs the parent time. */
    _exit(status);
}
