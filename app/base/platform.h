/* platform — logging, files and clocks: the small OS-facing helpers every
 * other module uses. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Room for a file path, NUL included; a longer one is refused with a
 * message, never cut. */
#define PLATFORM_PATH_MAX 4096
/* Room for a path with something added to it: a suffix (".part", ".tmp"),
 * a file name below it ("/objects/<64 hex>"), a scheme ("file://"). */
#define PLATFORM_PATH_EXTRA_MAX (PLATFORM_PATH_MAX + 256)

typedef enum {
    PLATFORM_LOG_DEBUG,
    PLATFORM_LOG_INFO,
    PLATFORM_LOG_WARN,
    PLATFORM_LOG_ERROR
} platform_log_level;

/* A message repeated within this many milliseconds of the last time it was
 * written is suppressed (counted, not written). */
#define PLATFORM_LOG_REPEAT_MS 60000u
/* Distinct messages remembered for that; the least recently logged one is
 * forgotten first (its pending count with it). */
#define PLATFORM_LOG_REPEAT_SLOTS 16

/* Writes one line "infopoint: LEVEL: message" to stderr (the journal).
 * Rate-limited: the same level and text (after formatting) logged again
 * within PLATFORM_LOG_REPEAT_MS of the line that was written is dropped, and
 * the next line of that text that gets through ends with "(N similar
 * messages suppressed)". Safe to call from any thread. */
void platform_log(platform_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Lowest level that is written (default INFO). */
void platform_log_set_level(platform_log_level level);

/* Parses "debug", "info", "warn" (or "warning") or "error". Returns 0, or
 * -1 leaving *out alone. */
int platform_log_level_parse(const char *name, platform_log_level *out);

/* Name of a level as the config writes it ("debug", "info", "warn", "error"). */
const char *platform_log_level_name(platform_log_level level);

/* Replaces the clock the rate limit reads (milliseconds, any origin; NULL:
 * platform_now_ms) and forgets every remembered message. For tests. */
void platform_log_set_clock(uint64_t (*now_ms)(void));

/* Also hands every written line (the message with its suppression note,
 * without the "infopoint: LEVEL: " prefix) to sink; NULL: none. The sink runs
 * under the log lock and must not log. For tests and the operator screen. */
void platform_log_set_sink(void (*sink)(void *user, platform_log_level level, const char *line), void *user);

/* Reads a whole regular file of at most max bytes into a NUL-terminated
 * heap buffer. A FIFO, a device or a directory is refused at once (never
 * waited on). Returns 0, or -1 with a message in err ("cannot open ...",
 * "... is a FIFO, not a regular file", "file larger than ..."). */
int platform_read_file(const char *path, size_t max, char **out, size_t *len,
                       char *err, size_t errcap);

/* A memory field of /proc/self/status in kB ("VmRSS": resident now,
 * "VmHWM": the peak), or -1. */
long platform_status_kb(const char *field);

/* Parses a whole decimal number in [lo, hi] (digits only: no sign, no
 * spaces, nothing after). Returns 0, or -1 leaving *out alone. */
int platform_parse_int(const char *s, int lo, int hi, int *out);

/* Opens path read-only if it is a regular file, without ever blocking (a
 * FIFO is refused, not waited on). Returns the descriptor, or -1 with
 * "PATH is a FIFO, not a regular file" or the open error in err. */
int platform_open_regular(const char *path, char *err, size_t errcap);

/* What a st_mode names, for messages: "a FIFO", "a directory"... */
const char *platform_file_kind(unsigned mode);

/* Monotonic milliseconds, for timers and measurements. */
uint64_t platform_now_ms(void);

/* Monotonic microseconds, for benchmarks. */
uint64_t platform_now_us(void);

/* 1 if path names an existing regular file. */
int platform_is_file(const char *path);

/* 1 if path names an existing directory. */
int platform_is_dir(const char *path);

/* Writes path atomically: path.tmp, fsync, rename, fsync of the directory,
 * so after a power cut the file is the old one or the new one. Returns 0,
 * or -1 with "cannot write PATH: reason" in err. */
int platform_write_atomic(const char *path, const void *data, size_t len, char *err, size_t errcap);

/* The same without the directory fsync, for many files in one directory
 * that the caller fsyncs once (platform_fsync_parent) when all are written. */
int platform_write_replace(const char *path, const void *data, size_t len, char *err, size_t errcap);

/* Fsyncs the directory that holds path (so a rename in it is durable).
 * Returns 0 or -1 (errno set). */
int platform_fsync_parent(const char *path);

/* Fsyncs the file at path. Returns 0 or -1 (errno set). */
int platform_fsync_file(const char *path);

/* Bytes free for an unprivileged writer on the file system of path, or -1. */
int64_t platform_free_bytes(const char *path);

/* Size of the regular file at path, or -1. */
int64_t platform_file_size(const char *path);

/* Creates the directory path with mode and every missing folder above it
 * (0755), like mkdir -p; an existing directory is fine. Returns 0, or -1
 * with "cannot create DIR: reason" in err (a file in the way names it). */
int platform_make_dirs(const char *path, mode_t mode, char *err, size_t errcap);
