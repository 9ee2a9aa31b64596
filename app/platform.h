/* platform — logging, files and clocks: the small OS-facing helpers every
 * other module uses. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef enum {
    PLATFORM_LOG_DEBUG,
    PLATFORM_LOG_INFO,
    PLATFORM_LOG_WARN,
    PLATFORM_LOG_ERROR
} platform_log_level;

/* Writes one line "infopoint: LEVEL: message" to stderr (the journal). */
void platform_log(platform_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Lowest level that is written (default INFO). */
void platform_log_set_level(platform_log_level level);

/* Reads a whole file of at most max bytes into a NUL-terminated heap buffer.
 * Returns 0, or -1 with a message in err ("cannot open ...", "file too large"). */
int platform_read_file(const char *path, size_t max, char **out, size_t *len,
                       char *err, size_t errcap);

/* Monotonic milliseconds, for timers and measurements. */
uint64_t platform_now_ms(void);

/* Monotonic microseconds, for benchmarks. */
uint64_t platform_now_us(void);

/* 1 if path names an existing regular file. */
int platform_is_file(const char *path);

/* 1 if path names an existing directory. */
int platform_is_dir(const char *path);
