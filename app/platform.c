#include "platform.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static platform_log_level log_threshold = PLATFORM_LOG_INFO;

void platform_log_set_level(platform_log_level level)
{
    log_threshold = level;
}

void platform_log(platform_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warning", "error"};
    if (level < log_threshold)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One write per line so lines from two threads never interleave. */
    fprintf(stderr, "infopoint: %s: %s\n", names[level], line);
}

int platform_read_file(const char *path, size_t max, char **out, size_t *len,
                       char *err, size_t errcap)
{
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0;
    buf = malloc(cap + 1);
    if (!buf)
        goto nomem;
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                snprintf(err, errcap, "%s: file larger than %zu bytes", path, max);
                goto fail;
            }
            cap = cap * 2 > max ? max : cap * 2;
            char *bigger = realloc(buf, cap + 1);
            if (!bigger)
                goto nomem;
            buf = bigger;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errcap, "cannot read %s: %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
nomem:
    snprintf(err, errcap, "%s: out of memory", path);
fail:
    free(buf);
    fclose(f);
    return -1;
}

uint64_t platform_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t platform_now_ms(void)
{
    return platform_now_us() / 1000u;
}

int platform_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int platform_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
