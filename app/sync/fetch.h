/* fetch — HTTP(S) and file:// downloads for the sync worker (libcurl,
 * loaded at the first http(s) transfer).
 *
 * Everything a hostile or broken server can do is bounded here:
 *   - every body is capped at the length the caller names (the signed
 *     metadata's), in the write callback: Debian 12's libcurl 7.88 does not
 *     stop an unannounced oversize body by itself;
 *   - connect timeout, low-speed abort and a total time cap per request;
 *   - protocols: https and file, plus http only when allowed (tests on
 *     127.0.0.1); redirects at most 5, to https (and http when allowed),
 *     never to file://;
 *   - file:// (a USB stick) is read here, not by curl, from a descriptor
 *     opened with O_NONBLOCK and checked with fstat: only regular files
 *     (a FIFO, /dev/zero or a socket on a stick must not hang or flood the
 *     sync), and with file_root only files that really lie inside it once
 *     symlinks are followed (a stick must not make the kiosk copy a private
 *     file); a file:// transfer always starts from byte 0 (no resume);
 *   - optional public-key pinning (CURLOPT_PINNEDPUBLICKEY);
 *   - a cancel flag checked at least every 100 ms of a transfer (curl's own
 *     progress callback comes only once a second while a connect or a
 *     server is silent, so transfers run on a multi handle polled in
 *     100 ms steps).
 * One fetch_ctx reuses one connection across requests; after a failed or
 * cancelled request the next one opens a new connection (the old one may
 * hold the rest of a body whose Content-Length lied). Not thread-safe: one
 * context per thread.
 * Errors are one line in err: "URL: what happened", or "HTTP 503 from URL". */
#pragma once

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fetch_ctx fetch_ctx;

typedef struct {
    int allow_http;              /* accept http:// (else only https, file) */
    const char *pin;             /* "sha256//<base64>" or NULL */
    const char *ca_file;         /* extra CA bundle (tests), or NULL */
    long connect_timeout_s;      /* 0: 15 s */
    long low_speed_limit;        /* bytes/s; 0: 64 */
    long low_speed_time_s;       /* below the limit this long aborts; 0: 30 s */
    long max_time_s;             /* whole request; 0: 600 s */
    const atomic_int *cancel;    /* non-zero aborts the transfer, or NULL; set from another thread */
    const char *file_root;       /* file:// reads must resolve inside this directory (absolute, no
                                    symlinks), or NULL: any regular file */
    int no_fsync;                /* 1: fetch_file does not fsync; for a caller that checks a file's
                                    hash before each use and fetches it again when it is wrong */
} fetch_opts;

typedef enum {
    FETCH_OK = 0,
    FETCH_NOT_MODIFIED = 1,      /* 304 to If-None-Match */
    FETCH_NOT_FOUND = 2,         /* 404 or 410, or a missing file:// */
    FETCH_ERROR = -1,            /* err says why */
    FETCH_CANCELLED = -2
} fetch_result;

typedef struct {
    uint64_t requests;           /* transfers started (redirects included; file:// too) */
    uint64_t bytes_down;         /* body and header bytes received (a redirect's body not) */
} fetch_stats;

/* opts is copied (the strings must outlive the context). NULL on failure.
 * libcurl is loaded only by the first http(s) transfer (net/curlfn.h): when
 * it cannot be, that transfer is a FETCH_ERROR "cannot load libcurl.so.4:
 * <why>"; file:// works without it. */
fetch_ctx *fetch_new(const fetch_opts *opts);
void fetch_free(fetch_ctx *ctx);

/* GETs url into a heap buffer (NUL-terminated; *len without the NUL) of at
 * most max bytes: a larger body, announced or not, is an error. With etag_in
 * (non-empty) sends If-None-Match and may return FETCH_NOT_MODIFIED.
 * etag_out (may be NULL) receives the response's ETag, "" if none. */
fetch_result fetch_mem(fetch_ctx *ctx, const char *url, size_t max, const char *etag_in, char etag_out[128],
                       char **body, size_t *len, char *err, size_t errcap);

/* GETs url into the file path, which ends up exactly expect_len bytes long
 * or the call fails. A partial file already at path is resumed with a Range
 * request; a server that ignores Range (200 instead of 206) restarts the file
 * from zero. More than expect_len bytes in total is an error and the file is
 * never written past expect_len (the caller checks the hash). The file is
 * fsynced before FETCH_OK (unless opts.no_fsync). A file already
 * expect_len long is FETCH_OK with no request at all, and one longer than that is started again from zero;
 * a 416 (the server has fewer bytes than the partial file) empties the
 * partial file and fails, so the next try starts from zero. A failure
 * leaves the partial file for the next try, except an empty one this call
 * created. A hostile answer (a body longer than expect_len, a wrong range,
 * a file:// that is not a regular file) removes the partial file: it cannot
 * be trusted to resume from. No empty partial file is ever left. The partial
 * file is created 0600. */
fetch_result fetch_file(fetch_ctx *ctx, const char *url, const char *path, uint64_t expect_len, char *err,
                        size_t errcap);

/* The file:// URL of an absolute path, every byte outside A-Z a-z 0-9
 * - . _ ~ / percent-encoded (a mount point may hold a space, '#', '?', '%').
 * 0, or -1 when out is too small. */
int fetch_file_url(const char *path, char *out, size_t cap);

/* The path of a file:// URL ("file:///p", "file://localhost/p"), percent-
 * decoded. 0, or -1 when it is not one or does not fit. */
int fetch_file_url_path(const char *url, char *out, size_t cap);

/* Every request from now on ends with FETCH_ERROR ("... the time limit for
 * the whole sync ran out") once platform_now_ms() reaches deadline_ms, also
 * in the middle of a body; 0: no such limit. A sync sets it so that a
 * server dripping every object cannot hold a run for hours. */
void fetch_set_deadline(fetch_ctx *ctx, uint64_t deadline_ms);

/* Counters since fetch_new. */
void fetch_get_stats(const fetch_ctx *ctx, fetch_stats *out);

/* Call once at program start before any thread uses fetch: ignores SIGPIPE,
 * which libcurl leaves alone with CURLOPT_NOSIGNAL (curl_global_init runs
 * when libcurl is loaded, curlfn_load). */
void fetch_global_init(void);
