/* fetch against faultd.py (tests/tools), our fault-injecting HTTP server, and
 * file:// URLs: every way a server can misbehave ends in a bounded, explained
 * result, and the bytes that do arrive are the right ones. Three faultd
 * instances run for the whole group: A and B over http (B is a redirect
 * target), T over https with a certificate made here by openssl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fetch.h"
#include "platform.h"
#include "support.h"

#define BIG_LEN 300000           /* objects/big: random bytes */
#define HELLO "hello, kiosk\n"
#define ERR_CAP 300              /* error message buffers */

typedef struct {
    const char *name;
    pid_t pid;
    char url[64];                /* http[s]://127.0.0.1:PORT */
    char control[128], log[128];
} server;

static char dir[64], root[128], cert[128], key[128], pin[128];
static char big_path[256], dl[160];
static unsigned char big[BIG_LEN];
static server A = {.name = "a"}, B = {.name = "b"}, T = {.name = "t"};

/* --- helpers ---------------------------------------------------------------- */

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Asserts text (a message, a log line) contains want, and shows it if not. */
static void assert_has(const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("\"%s\" not in \"%s\"", want, text);
}

/* Asserts the file at path holds exactly data. */
static void assert_file(const char *path, const void *data, size_t len)
{
    char *buf, err[ERR_CAP];
    size_t n;
    if (platform_read_file(path, len + 1, &buf, &n, err, sizeof err) < 0)
        fail_msg("%s", err);
    assert_int_equal(n, len);
    assert_memory_equal(buf, data, len);
    free(buf);
}

static int server_start(server *s, int tls)
{
    char port_file[128];
    snprintf(port_file, sizeof port_file, "%s/%s.port", dir, s->name);
    snprintf(s->control, sizeof s->control, "%s/%s.control", dir, s->name);
    snprintf(s->log, sizeof s->log, "%s/%s.log", dir, s->name);
    const char *src = getenv("INFOPOINT_SOURCE_DIR");
    char script[512];
    snprintf(script, sizeof script, "%s/tests/tools/faultd.py", src ? src : INFOPOINT_SOURCE_DIR);
    /* Debian's python3 starts in 15 ms; a pyenv shim on PATH takes 10 times that. */
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);   /* no server outlives a crashed test */
        if (tls)
            execlp(py, py, script, "--root", root, "--port-file", port_file, "--control", s->control, "--log",
                   s->log, "--tls", cert, key, (char *)NULL);
        else
            execlp(py, py, script, "--root", root, "--port-file", port_file, "--control", s->control, "--log",
                   s->log, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {       /* 10 s */
        FILE *f = fopen(port_file, "r");
        int port = 0;
        if (f) {
            int ok = fscanf(f, "%d", &port) == 1;
            fclose(f);
            if (ok && port > 0) {
                snprintf(s->url, sizeof s->url, "%s://127.0.0.1:%d", tls ? "https" : "http", port);
                return 0;
            }
        }
        if (waitpid(s->pid, NULL, WNOHANG) == s->pid)
            break;
        usleep(20000);
    }
    fprintf(stderr, "faultd %s did not start\n", s->name);
    return -1;
}

static void server_stop(server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

/* Switches the server's faults (faultd reads the control file per request). */
static void mode(const server *s, const char *spec)
{
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->control);
    write_file(tmp, spec, strlen(spec));
    assert_int_equal(rename(tmp, s->control), 0);
}

/* The log's lines; waits up to 3 s for at least `want` of them (faultd logs
 * a request when its response ends, a moment after the client has it). */
static int log_lines(const server *s, int want, char lines[][256], int cap)
{
    int n = 0;
    for (int tries = 0; tries < 150; tries++) {
        FILE *f = fopen(s->log, "r");
        char line[256];
        n = 0;
        while (f && fgets(line, sizeof line, f))
            if (n < cap)
                snprintf(lines[n++], 256, "%s", line);
        if (f)
            fclose(f);
        if (n >= want)
            break;
        usleep(20000);
    }
    return n;
}

static int log_count(const server *s)
{
    static char lines[256][256];
    return log_lines(s, 0, lines, 256);
}

/* The last log line of s, waiting for line number `want` (1-based). */
static void log_last(const server *s, int want, char out[256])
{
    static char lines[256][256];
    int n = log_lines(s, want, lines, 256);
    assert_true(n >= want);
    snprintf(out, 256, "%s", lines[n - 1]);
}

/* Asserts line number want (1-based) of s's log contains text. */
static void assert_log(const server *s, int want, const char *text)
{
    char line[256];
    log_last(s, want, line);
    assert_has(line, text);
}

static fetch_opts test_opts(void)
{
    fetch_opts o = {
        .allow_http = 1,
        .connect_timeout_s = 5,
        .low_speed_time_s = 2,
        .max_time_s = 20,
    };
    return o;
}

static fetch_ctx *new_ctx(const fetch_opts *o)
{
    fetch_ctx *ctx = fetch_new(o);
    assert_non_null(ctx);
    return ctx;
}

/* A context with test_opts(). */
static fetch_ctx *test_ctx(void)
{
    fetch_opts o = test_opts();
    return new_ctx(&o);
}

/* fetch_file of url into dl, expecting the BIG_LEN bytes of objects/big. */
static fetch_result get_big(fetch_ctx *ctx, const char *url, char err[ERR_CAP])
{
    return fetch_file(ctx, url, dl, BIG_LEN, err, ERR_CAP);
}

/* Asserts get_big succeeds and dl then holds exactly objects/big. */
static void assert_got_big(fetch_ctx *ctx, const char *url)
{
    char err[ERR_CAP];
    if (get_big(ctx, url, err) != FETCH_OK)
        fail_msg("fetch of %s: %s", url, err);
    assert_file(dl, big, BIG_LEN);
}

/* fetch_mem of url, at most max bytes, without ETags. */
static fetch_result get_mem(fetch_ctx *ctx, const char *url, size_t max, char **body, char err[ERR_CAP])
{
    size_t len;
    return fetch_mem(ctx, url, max, NULL, NULL, body, &len, err, ERR_CAP);
}

static void url_of(char *out, size_t cap, const server *s, const char *path)
{
    snprintf(out, cap, "%s%s", s->url, path);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* --- group setup -------------------------------------------------------------- */

static int read_pin(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "openssl x509 -in %s -pubkey -noout | openssl pkey -pubin -outform der "
             "| openssl dgst -sha256 -binary | base64",
             cert);
    FILE *p = popen(cmd, "r");
    char b64[80] = "";
    if (!p)
        return -1;
    int ok = fscanf(p, "%79s", b64) == 1;
    if (pclose(p) != 0 || !ok || strlen(b64) != 44)
        return -1;
    snprintf(pin, sizeof pin, "sha256//%s", b64);
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    fetch_global_init();
    support_tempdir(dir, sizeof dir, "ip-fetch");
    snprintf(root, sizeof root, "%s/root", dir);
    char objects[200];
    snprintf(objects, sizeof objects, "%s/objects", root);
    if (mkdir(root, 0755) < 0 || mkdir(objects, 0755) < 0)
        return -1;
    uint32_t r = 12345;
    for (size_t i = 0; i < BIG_LEN; i++) {
        r = r * 1103515245u + 12345u;
        big[i] = (unsigned char)(r >> 16);
    }
    snprintf(big_path, sizeof big_path, "%s/big", objects);
    char hello[200];
    snprintf(hello, sizeof hello, "%s/hello.txt", root);
    FILE *f = fopen(big_path, "wb");
    FILE *g = fopen(hello, "wb");
    if (!f || !g || fwrite(big, 1, BIG_LEN, f) != BIG_LEN || fputs(HELLO, g) < 0 || fclose(f) || fclose(g))
        return -1;
    snprintf(dl, sizeof dl, "%s/download", dir);
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ed25519 -nodes -days 2 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s 2>/dev/null",
             key, cert);
    if (system(cmd) != 0 || read_pin() < 0) {
        fprintf(stderr, "openssl could not make the test certificate\n");
        return -1;
    }
    if (server_start(&A, 0) < 0 || server_start(&B, 0) < 0 || server_start(&T, 1) < 0)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    server_stop(&A);
    server_stop(&B);
    server_stop(&T);
    return support_rmtree(dir);
}

/* Every test starts with well-behaved servers and no download. */
static int setup(void **state)
{
    (void)state;
    mode(&A, "ok");
    mode(&B, "ok");
    mode(&T, "ok");
    unlink(dl);
    return 0;
}

/* --- tests -------------------------------------------------------------------- */

static void test_mem_ok_and_connection_reused(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], etag[128], err[ERR_CAP], *body;
    size_t len;
    url_of(url, sizeof url, &A, "/hello.txt");
    int before = log_count(&A);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fetch_mem(ctx, url, 1000, NULL, etag, &body, &len, err, sizeof err), FETCH_OK);
        assert_int_equal(len, strlen(HELLO));
        assert_string_equal(body, HELLO);
        assert_true(etag[0] == '"');
        free(body);
    }
    fetch_stats st;
    fetch_get_stats(ctx, &st);
    assert_int_equal(st.requests, 2);
    assert_true(st.bytes_down > 2 * strlen(HELLO) + 100);   /* headers count too */
    assert_true(st.bytes_down < 2000);
    /* One connection for both: the same client port in faultd's log. */
    char lines[256][256], port1[16], port2[16];
    int n = log_lines(&A, before + 2, lines, 256);
    assert_int_equal(n, before + 2);
    assert_int_equal(sscanf(lines[n - 2], "%*s %*s %*s %*s %*s %*s %15s", port1), 1);
    assert_int_equal(sscanf(lines[n - 1], "%*s %*s %*s %*s %*s %*s %15s", port2), 1);
    assert_string_equal(port1, port2);
    fetch_free(ctx);
}

static void test_etag_not_modified(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], etag[128], etag2[128], err[ERR_CAP], *body;
    size_t len;
    url_of(url, sizeof url, &A, "/objects/big");
    int n = log_count(&A);
    assert_int_equal(fetch_mem(ctx, url, BIG_LEN, "", etag, &body, &len, err, sizeof err), FETCH_OK);
    assert_int_equal(len, BIG_LEN);
    assert_memory_equal(body, big, BIG_LEN);
    free(body);
    assert_true(strlen(etag) > 2);
    assert_int_equal(fetch_mem(ctx, url, BIG_LEN, etag, etag2, &body, &len, err, sizeof err),
                     FETCH_NOT_MODIFIED);
    assert_null(body);
    assert_string_equal(etag2, etag);
    assert_int_equal(fetch_mem(ctx, url, BIG_LEN, "\"other\"", etag2, &body, &len, err, sizeof err), FETCH_OK);
    assert_int_equal(len, BIG_LEN);
    free(body);
    assert_log(&A, n + 3, " 200 300000 ");
    fetch_free(ctx);
}

static void test_not_found(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[300], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/objects/nope");
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_NOT_FOUND);
    assert_null(body);
    assert_int_equal(fetch_file(ctx, url, dl, 10, err, sizeof err), FETCH_NOT_FOUND);
    assert_int_equal(file_size(dl), -1);          /* no empty file left behind */
    mode(&A, "status:410");
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_NOT_FOUND);
    snprintf(url, sizeof url, "file://%s/nope", root);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_NOT_FOUND);
    assert_int_equal(fetch_file(ctx, url, dl, 10, err, sizeof err), FETCH_NOT_FOUND);
    fetch_free(ctx);
}

static void test_status_error(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/hello.txt");
    mode(&A, "status:503");
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_null(body);
    char want[200];
    snprintf(want, sizeof want, "HTTP 503 from %s", url);
    assert_string_equal(err, want);
    url_of(url, sizeof url, &A, "/objects/big");
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "HTTP 503");
    assert_int_equal(file_size(dl), -1);         /* the error page is not stored */
    mode(&A, "status:500:1@/objects/*");          /* once, then behave */
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "HTTP 500");
    assert_got_big(ctx, url);
    fetch_free(ctx);
}

static void test_cut_then_resume(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], err[ERR_CAP];
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "cut:1000@/objects/*");
    int n = log_count(&A);
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "connection closed after 1000 of 300000 bytes");
    assert_int_equal(file_size(dl), 1000);
    mode(&A, "cut:5000@/objects/*");              /* the resumed part is cut too */
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_int_equal(file_size(dl), 6000);
    assert_log(&A, n + 2, " 206 5000 bytes=1000- ");
    mode(&A, "ok");
    assert_got_big(ctx, url);
    assert_log(&A, n + 3, " 206 294000 bytes=6000- ");
    fetch_free(ctx);
}

static void test_norange_restarts(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128];
    static unsigned char junk[5000];
    memset(junk, 0xff, sizeof junk);              /* not even a prefix of big */
    write_file(dl, junk, sizeof junk);
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "norange");
    int n = log_count(&A);
    assert_got_big(ctx, url);
    assert_log(&A, n + 1, " 200 300000 bytes=5000- ");
    fetch_free(ctx);
}

static void test_complete_or_longer_partial(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], err[ERR_CAP];
    url_of(url, sizeof url, &A, "/objects/big");
    write_file(dl, big, BIG_LEN);                 /* complete: no request at all */
    int n = log_count(&A);
    assert_int_equal(get_big(ctx, url, err), FETCH_OK);
    fetch_stats st;
    fetch_get_stats(ctx, &st);
    assert_int_equal(st.requests, 0);
    assert_file(dl, big, BIG_LEN);
    static unsigned char longer[BIG_LEN + 10];    /* longer than expected: start again */
    memset(longer, 0xee, sizeof longer);
    write_file(dl, longer, sizeof longer);
    assert_got_big(ctx, url);
    assert_log(&A, n + 1, " 200 300000 - ");
    /* We hold more than the server has (416): the partial file restarts. */
    write_file(dl, big, BIG_LEN);
    assert_int_equal(fetch_file(ctx, url, dl, BIG_LEN + 100, err, sizeof err), FETCH_ERROR);
    assert_has(err, "cannot resume at byte 300000 of 300100");
    assert_int_equal(access(dl, F_OK), -1);       /* no empty partial file is left */
    fetch_free(ctx);
}

static void test_oversize_capped(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "oversize:5000");                    /* no Content-Length, 5000 bytes too many */
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "body larger than 300000 bytes");
    assert_int_equal(access(dl, F_OK), -1);       /* a hostile answer's bytes are not kept */
    assert_int_equal(get_mem(ctx, url, BIG_LEN, &body, err), FETCH_ERROR);
    assert_null(body);
    assert_has(err, "body larger than 300000 bytes");
    mode(&A, "ok");                               /* announced: refused before the body */
    fetch_stats before, after;
    fetch_get_stats(ctx, &before);
    assert_int_equal(get_mem(ctx, url, 1000, &body, err), FETCH_ERROR);
    char want[200];
    snprintf(want, sizeof want, "%s: body larger than 1000 bytes", url);
    assert_string_equal(err, want);
    fetch_get_stats(ctx, &after);
    assert_true(after.bytes_down - before.bytes_down < BIG_LEN / 2);
    fetch_free(ctx);
}

static void test_lie_length(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "lie-length:100");                   /* announces less */
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "body ended after 100 of 300000 bytes");
    assert_int_equal(file_size(dl), 100);
    mode(&A, "lie-length:400000");                /* announces more than expected */
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "body larger than 300000 bytes");
    assert_int_equal(access(dl, F_OK), -1);       /* more than asked: the partial file goes */
    assert_int_equal(get_mem(ctx, url, 1 << 20, &body, err), FETCH_ERROR);
    assert_has(err, "connection closed after 300000 of 400000 bytes");
    mode(&A, "ok");
    assert_got_big(ctx, url);
    fetch_free(ctx);
}

static void test_endless_stops_at_cap(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "endless");
    uint64_t t0 = platform_now_ms();
    assert_int_equal(get_mem(ctx, url, 1 << 20, &body, err), FETCH_ERROR);
    assert_has(err, "body larger than 1048576 bytes");
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "body larger than 300000 bytes");
    assert_true(platform_now_ms() - t0 < 3000);
    assert_int_equal(access(dl, F_OK), -1);       /* not kept to be "resumed" next time */
    fetch_free(ctx);
}

/* A server that stops sending is dropped by the low-speed rule. */
static void slow_server(const char *fault)
{
    fetch_opts o = test_opts();                   /* below 64 B/s for 2 s */
    fetch_ctx *ctx = new_ctx(&o);
    char url[128], err[ERR_CAP], *body, want[200];
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, fault);
    uint64_t t0 = platform_now_ms();
    assert_int_equal(get_mem(ctx, url, BIG_LEN, &body, err), FETCH_ERROR);
    uint64_t ms = platform_now_ms() - t0;
    snprintf(want, sizeof want, "%s: transfer too slow (below 64 B/s for 2 s)", url);
    assert_string_equal(err, want);
    assert_true(ms >= 1500 && ms < 4000);
    fetch_free(ctx);
}

static void test_silence_too_slow(void **state)
{
    (void)state;
    slow_server("silence");
}

static void test_drip_too_slow(void **state)
{
    (void)state;
    slow_server("drip");
}

static void test_whole_request_limit(void **state)
{
    (void)state;
    fetch_opts o = test_opts();
    o.max_time_s = 1;
    o.low_speed_limit = 1;                        /* 1 B/s is fast enough */
    fetch_ctx *ctx = new_ctx(&o);
    char url[128], err[ERR_CAP], want[200];
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "drip");
    uint64_t t0 = platform_now_ms();
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    uint64_t ms = platform_now_ms() - t0;
    snprintf(want, sizeof want, "%s: took longer than 1 s (the limit for one request)", url);
    assert_string_equal(err, want);
    assert_true(ms >= 900 && ms < 2500);
    long have = file_size(dl);                    /* what dripped in is kept */
    assert_true(have >= 1 && have <= 2);
    assert_file(dl, big, (size_t)have);
    fetch_free(ctx);
}

/* The whole-sync deadline ends a dripping body mid-way, and stops the
 * next request before it starts. */
static void test_deadline(void **state)
{
    (void)state;
    fetch_opts o = test_opts();
    o.low_speed_limit = 1;                        /* 1 B/s is fast enough */
    fetch_ctx *ctx = new_ctx(&o);
    char url[128], err[ERR_CAP];
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "drip");
    uint64_t t0 = platform_now_ms();
    fetch_set_deadline(ctx, t0 + 1500);
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    uint64_t ms = platform_now_ms() - t0;
    assert_has(err, "the time limit for the whole sync ran out");
    assert_true(ms >= 1400 && ms < 2500);
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_has(err, "not started");
    fetch_set_deadline(ctx, 0);
    mode(&A, "ok");
    assert_got_big(ctx, url);
    fetch_free(ctx);
}

typedef struct {
    atomic_int flag;
    int delay_ms;
    uint64_t set_at;
} canceller;

static void *cancel_later(void *arg)
{
    canceller *c = arg;
    usleep((useconds_t)c->delay_ms * 1000);
    c->set_at = platform_now_ms();
    c->flag = 1;
    return NULL;
}

/* Cancels the fetch of url after 350 ms; returns how long fetch took to notice. */
static uint64_t cancel_during(const char *url, fetch_opts o)
{
    canceller c = {.delay_ms = 350};
    o.cancel = &c.flag;
    fetch_ctx *ctx = new_ctx(&o);
    char err[ERR_CAP], *body;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
    fetch_result r = get_mem(ctx, url, BIG_LEN, &body, err);
    uint64_t now = platform_now_ms();
    pthread_join(th, NULL);
    assert_int_equal(r, FETCH_CANCELLED);
    assert_has(err, "cancelled");
    fetch_free(ctx);
    return now - c.set_at;
}

static void test_cancel_silent_server(void **state)
{
    (void)state;
    char url[128];
    url_of(url, sizeof url, &A, "/objects/big");
    mode(&A, "silence");
    fetch_opts o = test_opts();
    o.low_speed_time_s = 30;
    uint64_t ms = cancel_during(url, o);
    print_message("cancel noticed after %llu ms (silent server)\n", (unsigned long long)ms);
    assert_true(ms < 1500);
}

/* A listening socket whose accept queue is full: connects to it hang in
 * SYN retries, as to a host that does not answer. */
static int hanging_port(int *lfd, int *cfd)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    *lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(*lfd >= 0);
    assert_int_equal(bind(*lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(*lfd, 0), 0);
    assert_int_equal(getsockname(*lfd, (struct sockaddr *)&a, &alen), 0);
    *cfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(*cfd, (struct sockaddr *)&a, sizeof a), 0);   /* fills the queue */
    return ntohs(a.sin_port);
}

static void test_cancel_and_timeout_while_connecting(void **state)
{
    (void)state;
    int lfd, cfd;
    char url[128], err[ERR_CAP], *body, want[200];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/objects/big", hanging_port(&lfd, &cfd));
    fetch_opts o = test_opts();
    o.connect_timeout_s = 30;
    uint64_t ms = cancel_during(url, o);
    print_message("cancel noticed after %llu ms (pending connect)\n", (unsigned long long)ms);
    assert_true(ms < 1500);
    o.connect_timeout_s = 1;
    fetch_ctx *ctx = new_ctx(&o);
    uint64_t t0 = platform_now_ms();
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    ms = platform_now_ms() - t0;
    snprintf(want, sizeof want, "%s: connection timed out after 1 s", url);
    assert_string_equal(err, want);
    assert_true(ms >= 900 && ms < 2500);
    fetch_free(ctx);
    close(cfd);
    close(lfd);
}

static void test_cancel_before_start(void **state)
{
    (void)state;
    atomic_int flag = 1;
    fetch_opts o = test_opts();
    o.cancel = &flag;
    fetch_ctx *ctx = new_ctx(&o);
    char url[128], err[ERR_CAP];
    url_of(url, sizeof url, &A, "/objects/big");
    assert_int_equal(get_big(ctx, url, err), FETCH_CANCELLED);
    fetch_free(ctx);
}

static void test_http_refused(void **state)
{
    (void)state;
    fetch_opts o = test_opts();
    o.allow_http = 0;
    fetch_ctx *ctx = new_ctx(&o);
    char url[128], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/hello.txt");
    int n = log_count(&A);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_has(err, "protocol");
    assert_int_equal(log_count(&A), n);          /* nothing was sent */
    fetch_free(ctx);
}

static void test_redirects(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], spec[300], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/hello.txt");
    snprintf(spec, sizeof spec, "redirect:%s", B.url);
    mode(&A, spec);
    int nb = log_count(&B);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_OK);
    assert_string_equal(body, HELLO);
    free(body);
    fetch_stats st;
    fetch_get_stats(ctx, &st);
    assert_int_equal(st.requests, 2);
    assert_log(&B, nb + 1, "GET /hello.txt 200 ");
    /* A loop A -> A ... stops after 5 redirects. */
    snprintf(spec, sizeof spec, "redirect:%s/again", A.url);
    mode(&A, spec);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_has(err, "more than 5 redirects");
    /* http -> file:// is refused: a server must not point us at local files. */
    snprintf(spec, sizeof spec, "redirect:file://%s", root);
    mode(&A, spec);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_null(body);
    assert_has(err, "protocol");
    fetch_free(ctx);
}

static void test_file_urls(void **state)
{
    (void)state;
    fetch_opts o = test_opts();
    o.allow_http = 0;
    fetch_ctx *ctx = new_ctx(&o);
    char url[300], err[ERR_CAP], *body;
    snprintf(url, sizeof url, "file://%s/hello.txt", root);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_OK);
    assert_string_equal(body, HELLO);
    free(body);
    assert_int_equal(get_mem(ctx, url, 5, &body, err), FETCH_ERROR);
    assert_has(err, "body larger than 5 bytes");
    snprintf(url, sizeof url, "file://%s/objects/big", root);
    write_file(dl, big, 1000);                    /* resumed from a file too */
    assert_got_big(ctx, url);
    unlink(dl);
    assert_int_equal(fetch_file(ctx, url, dl, BIG_LEN - 1, err, sizeof err), FETCH_ERROR);
    assert_int_equal(access(dl, F_OK), -1);       /* longer than signed: nothing kept */
    fetch_free(ctx);
}

/* A FIFO, a device or a symlink out of the repository on a stick: refused at
 * once (a FIFO used to block open() forever), no partial file kept; a
 * symlink inside the repository is fine; the partial file is 0600. */
static void test_file_urls_hostile(void **state)
{
    (void)state;
    fetch_opts o = test_opts();
    o.allow_http = 0;
    o.file_root = root;
    fetch_ctx *ctx = new_ctx(&o);
    char url[300], path[300], err[ERR_CAP], *body;
    alarm(20);                                    /* a hang fails the test */
    snprintf(path, sizeof path, "%s/fifo", root);
    assert_int_equal(mkfifo(path, 0644), 0);
    snprintf(url, sizeof url, "file://%s/fifo", root);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_has(err, "not a regular file");
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    assert_int_equal(access(dl, F_OK), -1);
    assert_int_equal(get_big(ctx, "file:///dev/zero", err), FETCH_ERROR);
    assert_has(err, "not a regular file");
    snprintf(path, sizeof path, "%s/out", root);  /* a symlink leaving the repository */
    assert_int_equal(symlink("/etc/hostname", path), 0);
    snprintf(url, sizeof url, "file://%s/out", root);
    assert_int_equal(get_mem(ctx, url, 1000, &body, err), FETCH_ERROR);
    assert_has(err, "leads out of the repository");
    snprintf(path, sizeof path, "%s/in", root);   /* one inside it */
    assert_int_equal(symlink("objects/big", path), 0);
    snprintf(url, sizeof url, "file://%s/in", root);
    assert_got_big(ctx, url);
    struct stat st;
    assert_int_equal(stat(dl, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    alarm(0);
    fetch_free(ctx);
}

/* A 304 counts only as the answer to an If-None-Match (issue 15). */
static void test_304_needs_validator(void **state)
{
    (void)state;
    fetch_ctx *ctx = test_ctx();
    char url[128], err[ERR_CAP], *body;
    url_of(url, sizeof url, &A, "/hello.txt");
    mode(&A, "status:304");
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_has(err, "no validator was sent");
    assert_int_equal(get_big(ctx, url, err), FETCH_ERROR);
    size_t len;
    assert_int_equal(fetch_mem(ctx, url, 100, "\"x\"", NULL, &body, &len, err, ERR_CAP), FETCH_NOT_MODIFIED);
    mode(&A, "ok");
    fetch_free(ctx);
}

/* Mount points with a space, '#', '?' or '%' become URLs that name them. */
static void test_file_url_encoding(void **state)
{
    (void)state;
    char url[300], back[300];
    const char *odd = "/media/my stick #1?50%/x";
    assert_int_equal(fetch_file_url(odd, url, sizeof url), 0);
    assert_string_equal(url, "file:///media/my%20stick%20%231%3F50%25/x");
    assert_int_equal(fetch_file_url_path(url, back, sizeof back), 0);
    assert_string_equal(back, odd);
    assert_int_equal(fetch_file_url_path("file://localhost/a%2Fb", back, sizeof back), 0);
    assert_string_equal(back, "/a/b");
    assert_int_equal(fetch_file_url_path("file:///a%00b", back, sizeof back), -1);
    assert_int_equal(fetch_file_url_path("file://host/a", back, sizeof back), -1);
    assert_int_equal(fetch_file_url(odd, url, 20), -1);
}

static void test_tls(void **state)
{
    (void)state;
    fetch_opts o = test_opts();
    o.allow_http = 0;
    char url[128], err[ERR_CAP], *body;
    url_of(url, sizeof url, &T, "/hello.txt");

    fetch_ctx *ctx = new_ctx(&o);                 /* self-signed, no CA given */
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_has(err, "not trusted");
    fetch_free(ctx);

    o.ca_file = cert;
    ctx = new_ctx(&o);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_OK);
    assert_string_equal(body, HELLO);
    free(body);
    fetch_free(ctx);

    o.pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    ctx = new_ctx(&o);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_ERROR);
    assert_has(err, "does not match the pinned key");
    fetch_free(ctx);

    o.pin = pin;
    ctx = new_ctx(&o);
    assert_int_equal(get_mem(ctx, url, 100, &body, err), FETCH_OK);
    assert_string_equal(body, HELLO);
    free(body);
    url_of(url, sizeof url, &T, "/objects/big");   /* and a resumed download over TLS */
    write_file(dl, big, 777);
    assert_got_big(ctx, url);
    fetch_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_mem_ok_and_connection_reused, setup),
        cmocka_unit_test_setup(test_etag_not_modified, setup),
        cmocka_unit_test_setup(test_not_found, setup),
        cmocka_unit_test_setup(test_status_error, setup),
        cmocka_unit_test_setup(test_cut_then_resume, setup),
        cmocka_unit_test_setup(test_norange_restarts, setup),
        cmocka_unit_test_setup(test_complete_or_longer_partial, setup),
        cmocka_unit_test_setup(test_oversize_capped, setup),
        cmocka_unit_test_setup(test_lie_length, setup),
        cmocka_unit_test_setup(test_endless_stops_at_cap, setup),
        cmocka_unit_test_setup(test_silence_too_slow, setup),
        cmocka_unit_test_setup(test_drip_too_slow, setup),
        cmocka_unit_test_setup(test_whole_request_limit, setup),
        cmocka_unit_test_setup(test_cancel_silent_server, setup),
        cmocka_unit_test_setup(test_cancel_and_timeout_while_connecting, setup),
        cmocka_unit_test_setup(test_cancel_before_start, setup),
        cmocka_unit_test_setup(test_http_refused, setup),
        cmocka_unit_test_setup(test_redirects, setup),
        cmocka_unit_test_setup(test_file_urls, setup),
        cmocka_unit_test_setup(test_file_urls_hostile, setup),
        cmocka_unit_test(test_file_url_encoding),
        cmocka_unit_test_setup(test_304_needs_validator, setup),
        cmocka_unit_test_setup(test_deadline, setup),
        cmocka_unit_test_setup(test_tls, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
