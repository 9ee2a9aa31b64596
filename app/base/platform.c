#include "platform.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

static platform_log_level log_threshold = PLATFORM_LOG_INFO;

/* One remembered message of the rate limit. */
typedef struct {
    uint64_t hash;        /* FNV-1a of level and text; 0: free slot */
    uint64_t shown_ms;    /* when a line of it was last written */
    uint64_t seen_ms;     /* when it was last logged (written or not) */
    unsigned suppressed;  /* dropped since shown_ms */
} log_repeat;

/* Guards everything below: the sync worker logs too. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static log_repeat log_repeats[PLATFORM_LOG_REPEAT_SLOTS];
static uint64_t (*log_clock)(void) = platform_now_ms;
static void (*log_sink)(void *user, platform_log_level level, const char *line);
static void *log_sink_user;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void platform_log_set_level(platform_log_level level)
{
    log_threshold = level;
}

int platform_log_level_parse(const char *name, platform_log_level *out)
{
    for (int i = PLATFORM_LOG_DEBUG; i <= PLATFORM_LOG_ERROR; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (platform_log_level)i;
            return 0;
        }
    }
    if (strcmp(name, "warning") == 0) {
        *out = PLATFORM_LOG_WARN;
        return 0;
    }
    return -1;
}

const char *platform_log_level_name(platform_log_level level)
{
    return level >= PLATFORM_LOG_DEBUG && level <= PLATFORM_LOG_ERROR ? level_names[level] : "info";
}

void platform_log_set_clock(uint64_t (*now_ms)(void))
{
    pthread_mutex_lock(&log_lock);
    log_clock = now_ms ? now_ms : platform_now_ms;
    memset(log_repeats, 0, sizeof log_repeats);
    pthread_mutex_unlock(&log_lock);
}

void platform_log_set_sink(void (*sink)(void *user, platform_log_level level, const char *line), void *user)
{
    pthread_mutex_lock(&log_lock);
    log_sink = sink;
    log_sink_user = user;
    pthread_mutex_unlock(&log_lock);
}

static uint64_t log_hash(platform_log_level level, const char *text)
{
    uint64_t h = 14695981039346656037u ^ (uint64_t)level;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h ? h : 1; /* 0 marks a free slot */
}

/* Decides whether a line may be written now (call under log_lock). Returns
 * 1 with *suppressed set to the count to report, or 0 to drop it. A hash
 * stands for the text: two different messages colliding in 64 bits within
 * a minute is not a risk worth 16 KB of copies. */
static int log_admit(uint64_t hash, uint64_t now, unsigned *suppressed)
{
    log_repeat *slot = NULL, *oldest = &log_repeats[0];
    for (size_t i = 0; i < PLATFORM_LOG_REPEAT_SLOTS; i++) {
        log_repeat *r = &log_repeats[i];
        if (r->hash == hash) {
            slot = r;
            break;
        }
        if (r->hash == 0 || (oldest->hash != 0 && r->seen_ms < oldest->seen_ms))
            oldest = r;
    }
    if (slot && now - slot->shown_ms < PLATFORM_LOG_REPEAT_MS) {
        slot->suppressed++;
        slot->seen_ms = now;
        return 0;
    }
    if (!slot) {
        slot = oldest;
        *slot = (log_repeat){.hash = hash};
    }
    *suppressed = slot->suppressed;
    *slot = (log_repeat){.hash = hash, .shown_ms = now, .seen_ms = now};
    return 1;
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
    pthread_mutex_lock(&log_lock);
    unsigned suppressed = 0;
    if (log_admit(log_hash(level, line), log_clock(), &suppressed)) {
        char out[1100];
        if (suppressed > 0)
            snprintf(out, sizeof out, "%s (%u similar message%s suppressed)", line, suppressed,
                     suppressed == 1 ? "" : "s");
        else
            snprintf(out, sizeof out, "%s", line);
        /* One write per line so lines from two threads never interleave. */
        fprintf(stderr, "infopoint: %s: %s\n", names[level], out);
        if (log_sink)
            log_sink(log_sink_user, level, out);
    }
    pthread_mutex_unlock(&log_lock);
}

const char *platform_file_kind(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return "a regular file";
    case S_IFDIR:
        return "a directory";
    case S_IFIFO:
        return "a FIFO";
    case S_IFCHR:
        return "a character device";
    case S_IFBLK:
        return "a block device";
    case S_IFSOCK:
        return "a socket";
    default:
        return "not a regular file";
    }
}

/* platform_open_regular, with what fstat said in st. */
static int open_regular(const char *path, struct stat *st, char *err, size_t errcap)
{
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer, for
     * ever; with it the open returns and fstat says what it is. It means
     * nothing for a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errcap, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        snprintf(err, errcap, "%s is %s, not a regular file", path, platform_file_kind((unsigned)st->st_mode));
        close(fd);
        return -1;
    }
    return fd;
}

int platform_open_regular(const char *path, char *err, size_t errcap)
{
    struct stat st;
    return open_regular(path, &st, err, errcap);
}

int platform_read_file(const char *path, size_t max, char **out, size_t *len,
                       char *err, size_t errcap)
{
    struct stat st;
    int fd = open_regular(path, &st, err, errcap);
    if (fd < 0)
        return -1;
    char *buf = NULL;
    if ((uint64_t)st.st_size > max) {
        snprintf(err, errcap, "%s: file larger than %zu bytes", path, max);
        goto fail;
    }
    /* The size may change while we read (a file being written): read up to
     * max + 1 bytes, so growth past the limit is still caught. */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    buf = malloc(cap + 1);
    if (!buf) {
        snprintf(err, errcap, "%s: out of memory", path);
        goto fail;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                snprintf(err, errcap, "%s: file larger than %zu bytes", path, max);
                goto fail;
            }
            size_t bigger_cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *bigger = realloc(buf, bigger_cap + 1);
            if (!bigger) {
                snprintf(err, errcap, "%s: out of memory", path);
                goto fail;
            }
            buf = bigger;
            cap = bigger_cap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(err, errcap, "cannot read %s: %s", path, strerror(errno));
            goto fail;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > max) {
        snprintf(err, errcap, "%s: file larger than %zu bytes", path, max);
        goto fail;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
fail:
    free(buf);
    close(fd);
    return -1;
}

uint64_t platform_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

long platform_status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':')
            kb = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

int platform_parse_int(const char *s, int lo, int hi, int *out)
{
    if (!isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    char *end;
    long n = strtol(s, &end, 10);
    if (*end || errno || n < lo || n > hi)
        return -1;
    *out = (int)n;
    return 0;
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

int platform_fsync_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int platform_fsync_parent(const char *path)
{
    char copy[PLATFORM_PATH_MAX];
    if (snprintf(copy, sizeof copy, "%s", path) >= (int)sizeof copy) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return platform_fsync_file(dirname(copy));
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int platform_write_replace(const char *path, const void *data, size_t len, char *err, size_t errcap)
{
    char tmp[PLATFORM_PATH_EXTRA_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errcap, "cannot write %s: path too long", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        goto fail;
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        goto fail;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0)
        goto fail;
    return 0;
fail:
    snprintf(err, errcap, "cannot write %s: %s", path, strerror(errno));
    unlink(tmp);
    return -1;
}

int platform_write_atomic(const char *path, const void *data, size_t len, char *err, size_t errcap)
{
    if (platform_write_replace(path, data, len, err, errcap) < 0)
        return -1;
    if (platform_fsync_parent(path) < 0) {
        snprintf(err, errcap, "cannot sync the directory of %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int64_t platform_free_bytes(const char *path)
{
    struct statvfs sv;
    if (statvfs(path, &sv) < 0)
        return -1;
    return (int64_t)sv.f_bavail * (int64_t)sv.f_frsize;
}

int64_t platform_file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return -1;
    return (int64_t)st.st_size;
}

/* One folder of platform_make_dirs: made, or already a directory. */
static int make_one_dir(const char *dir, mode_t mode, char *err, size_t errcap)
{
    if (mkdir(dir, mode) == 0)
        return 0;
    int e = errno;
    struct stat st;
    if (e == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (e == EEXIST)
        snprintf(err, errcap, "cannot create %s: a file is in the way", dir);
    else
        snprintf(err, errcap, "cannot create %s: %s", dir, strerror(e));
    return -1;
}

int platform_make_dirs(const char *path, mode_t mode, char *err, size_t errcap)
{
    char dir[PLATFORM_PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof dir) {
        snprintf(err, errcap, "cannot create '%.200s': empty or too long a path", path);
        return -1;
    }
    memcpy(dir, path, n + 1);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    /* Each parent in turn, from the top; the last one gets mode. */
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        int rc = make_one_dir(dir, 0755, err, errcap);
        *p = '/';
        if (rc < 0)
            return -1;
    }
    return make_one_dir(dir, mode, err, errcap);
}
