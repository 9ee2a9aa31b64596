/* reporter — uploads check-in reports (report.h) with HTTP PUT to
 * <url>/<kiosk_id>.txt, as WebDAV servers (nginx's dav module, Apache) and
 * S3-compatible gateways accept them, from a thread of its own.
 *
 * The same rules as the sync's downloads: https only unless allow_http
 * (tests on 127.0.0.1), a connect timeout, a total time cap, an abort
 * when the server stalls, no redirects, and the main thread never waits on
 * the network: reporter_submit copies the report and returns. A failed
 * upload is tried again after a back-off that doubles from
 * REPORTER_RETRY_MIN_S to the report interval; a newer report replaces one
 * still waiting. The thread adds the usage counters from the state
 * directory (usagelog.h) to each report before it formats it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

#define REPORTER_CONNECT_TIMEOUT_S 10
#define REPORTER_MAX_TIME_S 30
#define REPORTER_RETRY_MIN_S 60

typedef struct {
    char url[2048];               /* base URL of the reports folder */
    char user[128];               /* basic auth, "" for none */
    char password[256];
    char ca_file[1024];           /* extra CA certificates, "" for the system's */
    char client_cert[1024];       /* client certificate (PEM), "" for none */
    char client_key[1024];
    bool allow_http;
    char state_dir[1024];         /* usage counters come from here; "" for none */
    int retry_max_s;              /* the back-off's ceiling (the report interval) */
    int retry_min_s;              /* its first step; 0: REPORTER_RETRY_MIN_S */
    int max_time_s;               /* 0: REPORTER_MAX_TIME_S */
} reporter_cfg;

typedef struct reporter reporter;

/* What the thread last did, for logs and tests. */
typedef struct {
    unsigned uploads, failures;   /* since start */
    int failures_in_row;
    char last_error[256];         /* "" after a success */
    double last_worker_ms;        /* collect + format + upload of the last try */
    size_t last_bytes;            /* the last report's size */
    unsigned pictures;            /* screen pictures uploaded */
} reporter_info;

/* The usage counters of the last REPORT_DAYS days (today by now_unix's
 * local date) from STATE/usage into r. */
void reporter_collect_usage(report *r, const char *state_dir, int64_t now_unix);

/* The upload URL for kiosk_id: base, "/", the id with every character
 * other than [A-Za-z0-9_-] (and a dot, except first) made '_', ".txt".
 * Returns 0, or -1 when it does not fit or the id is empty. */
int reporter_url(const char *base, const char *kiosk_id, char *out, size_t cap);

/* Uploads text now, on the calling thread (--report-once). Returns 0, or
 * -1 with err ("HTTP 401", "Timeout was reached..."). */
int reporter_put(const reporter_cfg *cfg, const char *kiosk_id, const char *text, size_t len, char *err,
                 size_t errcap);

/* Starts the thread. Returns NULL with err. */
reporter *reporter_start(const reporter_cfg *cfg, char *err, size_t errcap);

/* Hands a report to the thread (copied); returns at once. */
void reporter_submit(reporter *rp, const report *r);

/* Bytes of a screen picture at most. */
#define REPORTER_PICTURE_MAX (1024 * 1024)

/* Asks the thread to upload the PNG at path as <kiosk_id>.png after the
 * next report (one try; the kiosk asks again another day). */
void reporter_submit_picture(reporter *rp, const char *path);

/* What the thread last did. */
void reporter_get_info(reporter *rp, reporter_info *out);

/* Aborts an upload in progress, joins the thread and frees (NULL is fine). */
void reporter_stop(reporter *rp);
