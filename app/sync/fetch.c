#include "fetch.h"

#include "curlfn.h"
#include "platform.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define FETCH_MAX_REDIRS 5
#define FETCH_POLL_MS 100        /* the cancel flag is looked at this often */
#define FETCH_ETAG_MAX 128       /* etag_out's size, NUL included */
#define FETCH_URL_SHOWN 96       /* longer URLs are shortened in messages */
#define FETCH_MEM_FIRST 16384    /* first buffer of fetch_mem */
#define FETCH_FILE_CHUNK 65536   /* file:// reads; the cancel flag is looked at between them */

#define DEFAULT_CONNECT_TIMEOUT_S 15
#define DEFAULT_LOW_SPEED_LIMIT 64
#define DEFAULT_LOW_SPEED_TIME_S 30
#define DEFAULT_MAX_TIME_S 600

struct fetch_ctx {
    fetch_opts opts;             /* defaults filled in */
    const curlfn *curl;          /* NULL until the first http(s) transfer loads libcurl */
    CURL *easy;                  /* reused: keeps its connection (made with curl) */
    CURLM *multi;                /* drives easy in FETCH_POLL_MS steps */
    bool fresh_next;             /* the last transfer failed: do not reuse its connection */
    uint64_t deadline_ms;        /* platform_now_ms() at which every request ends; 0: none */
    bool deadline_hit;           /* the last transfer was stopped by it */
    fetch_stats stats;
};

/* Why a callback stopped a transfer (curl then says CURLE_WRITE_ERROR). */
typedef enum {
    STOP_NONE,
    STOP_TOO_BIG,                /* body over the cap, announced or not */
    STOP_STATUS,                 /* a body for a status we do not store */
    STOP_IO,                     /* the file write failed (io_errno) */
    STOP_RANGE,                  /* a 206 for other bytes than we asked */
    STOP_HOSTILE                 /* file://: not a regular file, or outside the repository */
} stop_reason;

/* One transfer, shared by the callbacks. The response fields are reset at
 * each status line: with redirects, one transfer sees several responses. */
typedef struct {
    long status;                 /* of the current response, 0 before / for file:// */
    curl_off_t content_length;   /* announced, -1 if not */
    curl_off_t range_start;      /* Content-Range of a 206, -1 if none */
    curl_off_t range_total;      /* its total, -1 if none or "*" */
    uint64_t resp_body;          /* body bytes of the current response */
    char etag[FETCH_ETAG_MAX];   /* "" if none or too long */

    bool is_file_url;            /* file://: no status, no headers */
    bool sent_validator;         /* If-None-Match was sent: a 304 may answer it */
    uint64_t cap;                /* mem: max; file: expect_len */
    uint64_t got;                /* mem: bytes in buf; file: file length */
    uint64_t offset;             /* file: bytes asked to skip (Range) */
    char *buf;                   /* mem: body, NUL-terminated on success */
    size_t bufcap;
    int fd;                      /* file: open for writing, -1 for mem */
    bool restarted;              /* file: a 200 replaced the partial file */

    CURLcode res;                /* curl's result */
    stop_reason stop;
    int io_errno;
    char stop_msg[200];
} xfer;

static void xfer_init(xfer *x, const char *url, uint64_t cap)
{
    memset(x, 0, sizeof *x);
    x->content_length = x->range_start = x->range_total = -1;
    x->is_file_url = strncasecmp(url, "file:", 5) == 0;
    x->cap = cap;
    x->fd = -1;
}

static bool cancelled(const fetch_ctx *ctx)
{
    return ctx->opts.cancel && atomic_load(ctx->opts.cancel);
}

static bool past_deadline(fetch_ctx *ctx)
{
    if (ctx->deadline_ms && platform_now_ms() >= ctx->deadline_ms)
        ctx->deadline_hit = true;
    return ctx->deadline_hit;
}

/* The URL for a message, shortened when long, so the message stays one line. */
static const char *short_url(const char *url, char *out, size_t cap)
{
    if (strlen(url) <= FETCH_URL_SHOWN)
        return url;
    snprintf(out, cap, "%.*s...", FETCH_URL_SHOWN - 3, url);
    return out;
}

/* --- callbacks ------------------------------------------------------------ */

static bool header_is(const char *line, size_t len, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return false;
    *value = line + n + 1;
    return true;
}

/* The header value as a trimmed, NUL-terminated copy (bounded). */
static size_t header_value(const char *v, const char *end, char *out, size_t cap)
{
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t n = (size_t)(end - v);
    if (n >= cap)
        return n;                /* too long: caller sees n >= cap */
    memcpy(out, v, n);
    out[n] = '\0';
    return n;
}

static bool parse_off(const char *s, curl_off_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v < 0)
        return false;
    *out = v;
    return true;
}

/* "bytes START-END/TOTAL" (TOTAL may be "*"). */
static void parse_content_range(xfer *x, const char *v)
{
    curl_off_t start, total;
    if (strncasecmp(v, "bytes ", 6) != 0 || !parse_off(v + 6, &start))
        return;
    x->range_start = start;
    const char *slash = strchr(v, '/');
    if (slash && parse_off(slash + 1, &total))
        x->range_total = total;
}

static int stop(xfer *x, stop_reason why)
{
    x->stop = why;
    return 0;                    /* fewer bytes than offered: curl aborts */
}

/* End of a 200/206 response's headers: refuse an announced oversize body
 * before it arrives, check a 206 is the range asked for, and start a file
 * again from zero when the server ignored the Range. */
static int headers_done(xfer *x)
{
    if (x->status != 200 && x->status != 206)
        return 1;
    bool partial = x->status == 206 && x->fd >= 0;
    uint64_t room = x->cap - (partial ? x->offset : 0);
    if (x->content_length >= 0 && (uint64_t)x->content_length > room)
        return stop(x, STOP_TOO_BIG);
    if (partial) {
        if (x->range_start < 0) {
            snprintf(x->stop_msg, sizeof x->stop_msg, "206 without a Content-Range");
            return stop(x, STOP_RANGE);
        }
        if (x->range_start != (curl_off_t)x->offset) {
            snprintf(x->stop_msg, sizeof x->stop_msg, "206 for bytes from %lld when %" PRIu64 "- was asked",
                     (long long)x->range_start, x->offset);
            return stop(x, STOP_RANGE);
        }
        if (x->range_total >= 0 && (uint64_t)x->range_total != x->cap) {
            snprintf(x->stop_msg, sizeof x->stop_msg, "the server's file is %lld bytes, not %" PRIu64,
                     (long long)x->range_total, x->cap);
            return stop(x, STOP_RANGE);
        }
    }
    if (x->status == 200 && x->fd >= 0 && x->got > 0 && !x->restarted) {
        if (ftruncate(x->fd, 0) < 0) {
            x->io_errno = errno;
            return stop(x, STOP_IO);
        }
        x->got = 0;
        x->restarted = true;
    }
    return 1;
}

static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = size * n;
    const char *v, *end = line + len;
    char tmp[64];
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        const char *sp = memchr(line, ' ', len);
        x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
        x->content_length = x->range_start = x->range_total = -1;
        x->resp_body = 0;
        x->etag[0] = '\0';
    } else if (header_is(line, len, "content-length", &v)) {
        curl_off_t cl;
        if (header_value(v, end, tmp, sizeof tmp) < sizeof tmp && parse_off(tmp, &cl))
            x->content_length = cl;
    } else if (header_is(line, len, "etag", &v)) {
        if (header_value(v, end, x->etag, sizeof x->etag) >= sizeof x->etag)
            x->etag[0] = '\0';   /* a cut ETag would never match: keep none */
        for (const char *c = x->etag; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                x->etag[0] = '\0';   /* it goes into `status`: no control characters */
    } else if (header_is(line, len, "content-range", &v)) {
        if (header_value(v, end, tmp, sizeof tmp) < sizeof tmp)
            parse_content_range(x, tmp);
    } else if ((len == 2 && line[0] == '\r') || (len == 1 && line[0] == '\n')) {
        if (!headers_done(x))
            return 0;
    }
    return len;
}

static int mem_store(xfer *x, const char *p, size_t len)
{
    if (x->got + len > x->cap)
        return stop(x, STOP_TOO_BIG);
    if (x->got + len + 1 > x->bufcap) {
        size_t limit = x->cap < SIZE_MAX ? (size_t)x->cap + 1 : SIZE_MAX;   /* the NUL */
        size_t want = x->bufcap ? x->bufcap : FETCH_MEM_FIRST;
        while (want < x->got + len + 1 && want < limit / 2)
            want *= 2;
        if (want < x->got + len + 1 || want > limit)
            want = limit;
        char *nb = realloc(x->buf, want);
        if (!nb) {
            x->io_errno = ENOMEM;
            return stop(x, STOP_IO);
        }
        x->buf = nb;
        x->bufcap = want;
    }
    memcpy(x->buf + x->got, p, len);
    x->got += len;
    return 1;
}

/* Writes at x->got; never past the cap: the part that fits is kept (the
 * caller checks the hash), then the transfer stops. */
static int file_store(xfer *x, const char *p, size_t len)
{
    bool too_big = x->got + len > x->cap;
    if (too_big)
        len = (size_t)(x->cap - x->got);
    while (len > 0) {
        ssize_t w = pwrite(x->fd, p, len, (off_t)x->got);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            x->io_errno = errno;
            return stop(x, STOP_IO);
        }
        p += w;
        len -= (size_t)w;
        x->got += (uint64_t)w;
    }
    return too_big ? stop(x, STOP_TOO_BIG) : 1;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = size * n;
    if (!x->is_file_url && x->status != 200 && x->status != 206)
        return (size_t)stop(x, STOP_STATUS);   /* an error page: not stored */
    x->resp_body += len;
    int ok = x->fd >= 0 ? file_store(x, p, len) : mem_store(x, p, len);
    return ok ? len : 0;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    return cancelled(ud) ? 1 : 0;
}

/* --- one transfer ----------------------------------------------------------- */

static int setup(fetch_ctx *ctx, xfer *x, const char *url, struct curl_slist *headers, const char *range,
                 char *errbuf)
{
    const curlfn *curl = ctx->curl;
    CURL *c = ctx->easy;
    const fetch_opts *o = &ctx->opts;
    curl->easy_reset(c);
    CURLcode rc = CURLE_OK;
#define SET(opt, val) \
    do { \
        if (rc == CURLE_OK) \
            rc = curl->easy_setopt(c, opt, val); \
    } while (0)
    SET(CURLOPT_URL, url);
    /* file:// never reaches curl (read_local_file): curl would open a FIFO
     * blocking and follow any symlink. */
    SET(CURLOPT_PROTOCOLS_STR, o->allow_http ? "https,http" : "https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, o->allow_http ? "https,http" : "https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
    SET(CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
    SET(CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
    SET(CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
    SET(CURLOPT_TIMEOUT, o->max_time_s);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, ctx);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_USERAGENT, "infopoint/" INFOPOINT_VERSION);
    if (o->pin)
        SET(CURLOPT_PINNEDPUBLICKEY, o->pin);
    if (o->ca_file)
        SET(CURLOPT_CAINFO, o->ca_file);
    if (headers)
        SET(CURLOPT_HTTPHEADER, headers);
    if (range)
        SET(CURLOPT_RANGE, range);
    /* After a failure the connection may hold the rest of a body whose
     * Content-Length lied: the next request would read it as its answer. */
    if (ctx->fresh_next)
        SET(CURLOPT_FRESH_CONNECT, 1L);
#undef SET
    return rc == CURLE_OK ? 0 : -1;
}

/* Runs the transfer through the multi handle, waking at least every
 * FETCH_POLL_MS to look at the cancel flag: curl's own progress callback
 * comes only about once a second while a connect or a server is silent. */
static CURLcode run(fetch_ctx *ctx, bool *was_cancelled)
{
    const curlfn *curl = ctx->curl;
    *was_cancelled = false;
    if (curl->multi_add_handle(ctx->multi, ctx->easy) != CURLM_OK)
        return CURLE_FAILED_INIT;
    CURLcode res = CURLE_OK;
    for (;;) {
        int running = 0;
        if (curl->multi_perform(ctx->multi, &running) != CURLM_OK) {
            res = CURLE_FAILED_INIT;
            break;
        }
        CURLMsg *m;
        int queued;
        bool done = false;
        while ((m = curl->multi_info_read(ctx->multi, &queued)) != NULL) {
            if (m->msg == CURLMSG_DONE) {
                res = m->data.result;
                done = true;
            }
        }
        if (done)
            break;
        if (cancelled(ctx)) {
            *was_cancelled = true;
            break;
        }
        if (past_deadline(ctx))
            break;
        if (curl->multi_poll(ctx->multi, NULL, 0, FETCH_POLL_MS, NULL) != CURLM_OK) {
            res = CURLE_FAILED_INIT;
            break;
        }
    }
    curl->multi_remove_handle(ctx->multi, ctx->easy);   /* an unfinished transfer's connection is closed */
    return res;
}

static void count(fetch_ctx *ctx)
{
    long redirects = 0, header_bytes = 0;
    curl_off_t body_bytes = 0;
    ctx->curl->easy_getinfo(ctx->easy, CURLINFO_REDIRECT_COUNT, &redirects);
    ctx->curl->easy_getinfo(ctx->easy, CURLINFO_HEADER_SIZE, &header_bytes);
    ctx->curl->easy_getinfo(ctx->easy, CURLINFO_SIZE_DOWNLOAD_T, &body_bytes);
    ctx->stats.requests += (uint64_t)redirects + 1;
    ctx->stats.bytes_down += (uint64_t)(header_bytes > 0 ? header_bytes : 0) +
                             (uint64_t)(body_bytes > 0 ? body_bytes : 0);
}

static bool scheme_allowed(const fetch_opts *o, const char *url)
{
    return strncasecmp(url, "https:", 6) == 0 || strncasecmp(url, "file:", 5) == 0 ||
           (o->allow_http && strncasecmp(url, "http:", 5) == 0);
}

/* A timeout, told apart by curl 7.88's message: connect, low speed or the
 * whole-request cap. */
static void explain_timeout(const fetch_ctx *ctx, const char *u, const char *errbuf, char *err, size_t errcap)
{
    const fetch_opts *o = &ctx->opts;
    if (strncmp(errbuf, "Operation too slow", 18) == 0)
        snprintf(err, errcap, "%s: transfer too slow (below %ld B/s for %ld s)", u, o->low_speed_limit,
                 o->low_speed_time_s);
    else if (strstr(errbuf, "onnect") || strncmp(errbuf, "Resolving", 9) == 0)
        snprintf(err, errcap, "%s: connection timed out after %ld s", u,
                 o->connect_timeout_s < o->max_time_s ? o->connect_timeout_s : o->max_time_s);
    else
        snprintf(err, errcap, "%s: took longer than %ld s (the limit for one request)", u, o->max_time_s);
}

static fetch_result explain_curl(const fetch_ctx *ctx, const xfer *x, CURLcode res, const char *url,
                                 const char *errbuf, char *err, size_t errcap)
{
    char ubuf[FETCH_URL_SHOWN + 4];
    const char *u = short_url(url, ubuf, sizeof ubuf);
    const char *why = errbuf[0] ? errbuf : ctx->curl->easy_strerror(res);
    switch (res) {
    case CURLE_FILE_COULDNT_READ_FILE:
        snprintf(err, errcap, "%s: no such file", u);
        return FETCH_NOT_FOUND;
    case CURLE_UNSUPPORTED_PROTOCOL:
        if (strncmp(errbuf, "Protocol ", 9) != 0)   /* "Received HTTP/0.9 when not allowed" */
            snprintf(err, errcap, "%s: not an HTTP answer (%s)", u, why);
        else                                         /* the URL's own scheme was checked before */
            snprintf(err, errcap, "%s: redirected to a protocol that is not allowed (%s)", u, why);
        return FETCH_ERROR;
    case CURLE_OPERATION_TIMEDOUT:
        explain_timeout(ctx, u, errbuf, err, errcap);
        return FETCH_ERROR;
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(err, errcap, "%s: more than %d redirects", u, FETCH_MAX_REDIRS);
        return FETCH_ERROR;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        snprintf(err, errcap, "%s: the server's public key does not match the pinned key", u);
        return FETCH_ERROR;
    case CURLE_PEER_FAILED_VERIFICATION:
        snprintf(err, errcap, "%s: TLS certificate not trusted (%s)", u, why);
        return FETCH_ERROR;
    case CURLE_PARTIAL_FILE:
        if (x->content_length >= 0)
            snprintf(err, errcap, "%s: connection closed after %" PRIu64 " of %lld bytes", u, x->resp_body,
                     (long long)x->content_length);
        else
            snprintf(err, errcap, "%s: connection closed early (%s)", u, why);
        return FETCH_ERROR;
    default:
        snprintf(err, errcap, "%s: %s", u, why);
        return FETCH_ERROR;
    }
}

/* The outcome of a transfer as a fetch_result: cancel first, then what our
 * callbacks stopped, then curl's own error, then the HTTP status. OK means
 * a 200/206 (or file://) body arrived complete (for a file: all of it). */
static fetch_result explain(fetch_ctx *ctx, const xfer *x, CURLcode res, bool was_cancelled, const char *url,
                            const char *path, const char *errbuf, char *err, size_t errcap)
{
    char ubuf[FETCH_URL_SHOWN + 4];
    const char *u = short_url(url, ubuf, sizeof ubuf);
    if (was_cancelled || (res == CURLE_ABORTED_BY_CALLBACK && cancelled(ctx))) {
        snprintf(err, errcap, "%s: cancelled", u);
        return FETCH_CANCELLED;
    }
    if (ctx->deadline_hit) {
        snprintf(err, errcap, "%s: stopped, the time limit for the whole sync ran out", u);
        return FETCH_ERROR;
    }
    switch (x->stop) {
    case STOP_TOO_BIG:
        snprintf(err, errcap, "%s: body larger than %" PRIu64 " bytes", u, x->cap);
        return FETCH_ERROR;
    case STOP_IO:
        snprintf(err, errcap, "%s: cannot %s %s: %s", u, path ? "write" : "store", path ? path : "the body",
                 strerror(x->io_errno));
        return FETCH_ERROR;
    case STOP_RANGE:
        snprintf(err, errcap, "%s: %s", u, x->stop_msg);
        return FETCH_ERROR;
    case STOP_HOSTILE:           /* read_local_file wrote err */
        return FETCH_ERROR;
    case STOP_STATUS:
    case STOP_NONE:
        break;
    }
    if (res != CURLE_OK && x->stop != STOP_STATUS)
        return explain_curl(ctx, x, res, url, errbuf, err, errcap);
    if (x->is_file_url || x->status == 200 || x->status == 206) {
        if (x->fd >= 0 && x->got != x->cap) {
            snprintf(err, errcap, "%s: body ended after %" PRIu64 " of %" PRIu64 " bytes", u, x->got, x->cap);
            return FETCH_ERROR;
        }
        return FETCH_OK;
    }
    switch (x->status) {
    case 304:
        if (x->sent_validator)
            return FETCH_NOT_MODIFIED;
        /* Without If-None-Match a 304 answers nothing we asked: taking it
         * as "unchanged" would let any server freeze the kiosk. */
        snprintf(err, errcap, "HTTP 304 from %s, but no validator was sent", u);
        return FETCH_ERROR;
    case 404:
    case 410:
        snprintf(err, errcap, "HTTP %ld from %s", x->status, u);
        return FETCH_NOT_FOUND;
    default:
        snprintf(err, errcap, "HTTP %ld from %s", x->status, u);
        return FETCH_ERROR;
    }
}


/* --- file:// ------------------------------------------------------------------ */

static int hex_digit(int c)
{
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

int fetch_file_url_path(const char *url, char *out, size_t cap)
{
    if (strncasecmp(url, "file://", 7) != 0)
        return -1;
    const char *p = url + 7;
    if (strncasecmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return -1;
    size_t n = 0;
    for (; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
                return -1;
            c = hex_digit((unsigned char)p[1]) * 16 + hex_digit((unsigned char)p[2]);
            p += 2;
            if (c == 0)
                return -1;
        } else if (c == '?' || c == '#') {
            return -1;           /* a query or fragment: not a file of ours */
        }
        if (n + 1 >= cap)
            return -1;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return 0;
}

int fetch_file_url(const char *path, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = (size_t)snprintf(out, cap, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        bool plain = isalnum(*p) || strchr("-._~/", *p);
        if (n + (plain ? 1 : 3) >= cap)
            return -1;
        if (plain) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
    return 0;
}

/* 1 when the open file fd lies inside root: what the kernel opened, read
 * back from /proc (no race with a symlink swapped after a check). */
static bool inside_root(int fd, const char *root)
{
    char link[64], real[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof real - 1);
    if (n < 0)
        return false;
    real[n] = '\0';
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    return strncmp(real, root, rl) == 0 && (real[rl] == '/' || (rl == 1 && root[0] == '/'));
}

/* Opens a local file for reading without ever blocking: O_NONBLOCK (a FIFO
 * would hold open() until a writer came, and no signal or cancel flag gets
 * the thread out), then only a regular file is taken; with root, only one
 * inside it. -1 with why, *missing for ENOENT. */
static int open_local(const fetch_ctx *ctx, const char *path, bool *missing, char *why, size_t cap)
{
    struct stat st;
    *missing = false;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        *missing = errno == ENOENT || errno == ENOTDIR;
        snprintf(why, cap, "%s", *missing ? "no such file" : strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, cap, "not a regular file (a FIFO, device or directory is never read)");
        goto fail;
    }
    if (ctx->opts.file_root && !inside_root(fd, ctx->opts.file_root)) {
        snprintf(why, cap, "a symlink that leads out of the repository %s (refused)", ctx->opts.file_root);
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return -1;
}

/* A file:// transfer, read here into the same stores as an HTTP body
 * (capped the same way), from byte 0: a partial file is started again, so
 * nothing a stick once offered is resumed. Returns what explain() takes. */
static fetch_result read_local_file(fetch_ctx *ctx, xfer *x, const char *url, const char *path, char *err,
                                    size_t errcap)
{
    char local[PATH_MAX], why[200], ubuf[FETCH_URL_SHOWN + 4];
    const char *u = short_url(url, ubuf, sizeof ubuf);
    bool missing = false;
    int fd = -1;
    ctx->stats.requests++;
    if (fetch_file_url_path(url, local, sizeof local) < 0) {
        snprintf(err, errcap, "%s: not a usable file:// URL", u);
        return FETCH_ERROR;
    }
    if ((fd = open_local(ctx, local, &missing, why, sizeof why)) < 0) {
        snprintf(err, errcap, "%s: %s", u, why);
        x->stop = missing ? STOP_NONE : STOP_HOSTILE;
        return missing ? FETCH_NOT_FOUND : FETCH_ERROR;
    }
    if (x->fd >= 0 && x->got > 0 && ftruncate(x->fd, 0) < 0) {
        x->io_errno = errno;
        x->stop = STOP_IO;
    } else {
        x->got = x->offset = 0;
    }
    char buf[FETCH_FILE_CHUNK];
    bool was_cancelled = false;
    while (x->stop == STOP_NONE && !(was_cancelled = cancelled(ctx)) && !past_deadline(ctx)) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            x->io_errno = errno;
            snprintf(err, errcap, "%s: cannot read: %s", u, strerror(errno));
            close(fd);
            return FETCH_ERROR;
        }
        if (n == 0)
            break;
        ctx->stats.bytes_down += (uint64_t)n;
        if (!on_body(buf, 1, (size_t)n, x))
            break;
    }
    close(fd);
    return explain(ctx, x, CURLE_OK, was_cancelled, url, path, "", err, errcap);
}

/* --- public ----------------------------------------------------------------- */

void fetch_global_init(void)
{
    /* With CURLOPT_NOSIGNAL libcurl leaves SIGPIPE alone: a server that
     * closes while we write (TLS) must not kill the kiosk. */
    signal(SIGPIPE, SIG_IGN);
}

fetch_ctx *fetch_new(const fetch_opts *opts)
{
    fetch_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->opts = *opts;
    fetch_opts *o = &ctx->opts;
    if (o->connect_timeout_s <= 0)
        o->connect_timeout_s = DEFAULT_CONNECT_TIMEOUT_S;
    if (o->low_speed_limit <= 0)
        o->low_speed_limit = DEFAULT_LOW_SPEED_LIMIT;
    if (o->low_speed_time_s <= 0)
        o->low_speed_time_s = DEFAULT_LOW_SPEED_TIME_S;
    if (o->max_time_s <= 0)
        o->max_time_s = DEFAULT_MAX_TIME_S;
    return ctx;
}

/* Loads libcurl and makes the handles, on the first http(s) transfer: a
 * sync from file:// (a USB stick) never loads it. A library that cannot be
 * loaded is an error of this transfer like any other; the kiosk goes on
 * showing what it has. */
static bool net_ready(fetch_ctx *ctx, char *err, size_t errcap)
{
    if (ctx->easy && ctx->multi)
        return true;
    if (!ctx->curl && !(ctx->curl = curlfn_load(err, errcap)))
        return false;
    if (!ctx->easy)
        ctx->easy = ctx->curl->easy_init();
    if (!ctx->multi)
        ctx->multi = ctx->curl->multi_init();
    if (!ctx->easy || !ctx->multi) {
        snprintf(err, errcap, "cannot set up libcurl (out of memory)");
        return false;
    }
    return true;
}

void fetch_free(fetch_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->multi)
        ctx->curl->multi_cleanup(ctx->multi);
    if (ctx->easy)
        ctx->curl->easy_cleanup(ctx->easy);
    free(ctx);
}

void fetch_set_deadline(fetch_ctx *ctx, uint64_t deadline_ms)
{
    ctx->deadline_ms = deadline_ms;
}

void fetch_get_stats(const fetch_ctx *ctx, fetch_stats *out)
{
    *out = ctx->stats;
}

/* Runs one prepared transfer and turns it into a result. */
static fetch_result transfer(fetch_ctx *ctx, xfer *x, const char *url, const char *path,
                             const char *header, const char *range, char *err, size_t errcap)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    char ubuf[FETCH_URL_SHOWN + 4];
    if (cancelled(ctx)) {
        snprintf(err, errcap, "%s: cancelled", short_url(url, ubuf, sizeof ubuf));
        return FETCH_CANCELLED;
    }
    ctx->deadline_hit = false;
    if (past_deadline(ctx)) {
        snprintf(err, errcap, "%s: not started, the time limit for the whole sync ran out",
                 short_url(url, ubuf, sizeof ubuf));
        return FETCH_ERROR;
    }
    if (!scheme_allowed(&ctx->opts, url)) {      /* curl would refuse it too, but count it */
        snprintf(err, errcap, "%s: protocol not allowed (only %s)", short_url(url, ubuf, sizeof ubuf),
                 ctx->opts.allow_http ? "https, http and file://" : "https and file://");
        return FETCH_ERROR;
    }
    if (x->is_file_url)
        return read_local_file(ctx, x, url, path, err, errcap);
    if (!net_ready(ctx, err, errcap))
        return FETCH_ERROR;
    struct curl_slist *headers = NULL;
    if (header && !(headers = ctx->curl->slist_append(NULL, header))) {
        snprintf(err, errcap, "out of memory");
        return FETCH_ERROR;
    }
    fetch_result r = FETCH_ERROR;
    if (setup(ctx, x, url, headers, range, errbuf) < 0) {
        snprintf(err, errcap, "%s: cannot set up the transfer (libcurl option refused)",
                 short_url(url, ubuf, sizeof ubuf));
    } else {
        bool was_cancelled;
        CURLcode res = run(ctx, &was_cancelled);
        x->res = res;
        count(ctx);
        r = explain(ctx, x, res, was_cancelled, url, path, errbuf, err, errcap);
        ctx->fresh_next = r == FETCH_ERROR || r == FETCH_CANCELLED;
    }
    ctx->curl->easy_setopt(ctx->easy, CURLOPT_ERRORBUFFER, NULL);   /* errbuf is going away */
    ctx->curl->easy_setopt(ctx->easy, CURLOPT_HTTPHEADER, NULL);    /* and so is the header list */
    ctx->curl->slist_free_all(headers);
    return r;
}

fetch_result fetch_mem(fetch_ctx *ctx, const char *url, size_t max, const char *etag_in, char etag_out[128],
                       char **body, size_t *len, char *err, size_t errcap)
{
    *body = NULL;
    *len = 0;
    if (etag_out)
        etag_out[0] = '\0';
    err[0] = '\0';
    char ubuf[FETCH_URL_SHOWN + 4];
    char line[FETCH_ETAG_MAX + 32] = "";
    if (etag_in && etag_in[0]) {
        if (strlen(etag_in) >= FETCH_ETAG_MAX || strpbrk(etag_in, "\r\n")) {
            snprintf(err, errcap, "%s: unusable ETag", short_url(url, ubuf, sizeof ubuf));
            return FETCH_ERROR;
        }
        snprintf(line, sizeof line, "If-None-Match: %s", etag_in);
    }
    xfer x;
    xfer_init(&x, url, max);
    x.sent_validator = line[0] != '\0';
    fetch_result r = transfer(ctx, &x, url, NULL, line[0] ? line : NULL, NULL, err, errcap);
    if (r == FETCH_OK && !x.buf && !(x.buf = malloc(1))) {
        snprintf(err, errcap, "out of memory");
        r = FETCH_ERROR;
    }
    if (r != FETCH_OK) {
        free(x.buf);
        if (r == FETCH_NOT_MODIFIED && etag_out)
            snprintf(etag_out, FETCH_ETAG_MAX, "%s", x.etag[0] ? x.etag : etag_in);
        return r;
    }
    x.buf[x.got] = '\0';
    *body = x.buf;
    *len = (size_t)x.got;
    if (etag_out)
        snprintf(etag_out, FETCH_ETAG_MAX, "%s", x.etag);
    return FETCH_OK;
}

/* The partial file cannot be resumed (416: the server has fewer bytes than
 * the part we hold): start it again from zero next time. */
static fetch_result range_refused(int fd, const char *u, uint64_t offset, uint64_t expect_len, char *err,
                                  size_t errcap)
{
    if (ftruncate(fd, 0) < 0) {
        snprintf(err, errcap, "%s: cannot truncate the partial file: %s", u, strerror(errno));
        return FETCH_ERROR;
    }
    snprintf(err, errcap, "%s: cannot resume at byte %" PRIu64 " of %" PRIu64 ": the server has fewer bytes", u,
             offset, expect_len);
    return FETCH_ERROR;
}

/* Downloads into fd, which holds the first `have` bytes already. *hostile:
 * the answer was more than asked, other bytes than asked, or no regular
 * file: what the file holds now cannot be trusted. */
static fetch_result download(fetch_ctx *ctx, int fd, uint64_t have, const char *url, const char *path,
                             uint64_t expect_len, bool *hostile, char *err, size_t errcap)
{
    char ubuf[FETCH_URL_SHOWN + 4];
    const char *u = short_url(url, ubuf, sizeof ubuf);
    xfer x;
    xfer_init(&x, url, expect_len);
    x.fd = fd;
    x.offset = x.got = have;
    char range[32];
    snprintf(range, sizeof range, "%" PRIu64 "-", have);
    fetch_result r = transfer(ctx, &x, url, path, NULL, have > 0 ? range : NULL, err, errcap);
    *hostile = x.stop == STOP_TOO_BIG || x.stop == STOP_RANGE || x.stop == STOP_HOSTILE;
    if (r == FETCH_ERROR && (x.stop == STOP_NONE || x.stop == STOP_STATUS) &&
        (x.status == 416 || x.res == CURLE_BAD_DOWNLOAD_RESUME || x.res == CURLE_RANGE_ERROR))
        return range_refused(fd, u, have, expect_len, err, errcap);
    return r;
}

fetch_result fetch_file(fetch_ctx *ctx, const char *url, const char *path, uint64_t expect_len, char *err,
                        size_t errcap)
{
    err[0] = '\0';
    struct stat st;
    bool hostile = false;
    /* 0600: what a repository offers stays the kiosk's until it is checked. */
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errcap, "cannot open %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return FETCH_ERROR;
    }
    fetch_result r = FETCH_OK;
    uint64_t have = (uint64_t)st.st_size;
    if (have > expect_len) {     /* not a prefix of what we want: start again */
        if (ftruncate(fd, 0) < 0) {
            snprintf(err, errcap, "cannot truncate %s: %s", path, strerror(errno));
            r = FETCH_ERROR;
        }
        have = 0;
    }
    /* A file of the full length is complete already: no request (the caller
     * checks the hash and removes a wrong file). */
    if (r == FETCH_OK && have < expect_len)
        r = download(ctx, fd, have, url, path, expect_len, &hostile, err, errcap);
    if (r == FETCH_OK && !ctx->opts.no_fsync && fsync(fd) < 0) {
        snprintf(err, errcap, "cannot fsync %s: %s", path, strerror(errno));
        r = FETCH_ERROR;
    }
    /* A failure leaves no empty file behind (a 404, a refused URL), and
     * nothing a hostile answer wrote: the next try starts from zero. */
    if (r != FETCH_OK && (hostile || (fstat(fd, &st) == 0 && st.st_size == 0)))
        unlink(path);
    close(fd);
    return r;
}
