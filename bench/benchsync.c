/* prctl (PR_SET_PDEATHSIG) is Linux-only. */
#define _GNU_SOURCE
#include "benchsync.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "digest.h"
#include "fetch.h"
#include "keys.h"
#include "platform.h"
#include "publish.h"
#include "record.h"
#include "srcdir.h"
#include "store.h"
#include "sync.h"
#include "synth.h"

/* The brief's targets, printed beside the figures. */
#define TARGET_CHECK_REQUESTS 1
#define TARGET_CHECK_BYTES 2048u          /* no-change check */
#define TARGET_DELTA_SLACK (64u * 1024u)  /* bytes over the changed records */
#define TARGET_WRITE_FACTOR 10.0          /* bytes written per byte of changed records (issue 12) */
#define TARGET_APPLY_MS 300.0             /* staging start to switched pointer, one item */
#define TARGET_APPLY_MANY_MS 1000.0       /* the same for 100 items (issue 12) */

#define NGINX_BIN "/usr/sbin/nginx"
#define PORT_LO 20000
#define PORT_HI 60000
#define PORT_TRIES 40
#define NGINX_READY_MS 5000
#define SEED 42                    /* synth_write_source: same as `store` */
#define EXPIRES_DAYS 30
#define MANY_CHANGES 100
#define MAX_RUNS 50
#define PATH_CAP 1024
#define KEEP_MAX 512               /* --keep's length: every path below fits */

/* ---- small helpers --------------------------------------------------------- */

static double ms_since(uint64_t t0_us)
{
    return (double)(platform_now_us() - t0_us) / 1000.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of n values (n >= 1); v is left untouched. */
static double median(const double *v, int n)
{
    double s[MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* "312 B", "41.3 KiB", "391.2 MB" (MB = 10^6 bytes, as the store section). */
static const char *fmt_bytes(double b, char *out, size_t cap)
{
    if (b < 1024)
        snprintf(out, cap, "%.0f B", b);
    else if (b < 1e7)
        snprintf(out, cap, "%.1f KiB", b / 1024);
    else
        snprintf(out, cap, "%.1f MB", b / 1e6);
    return out;
}

static const char *fmt_ms(double ms, char *out, size_t cap)
{
    if (ms < 10000)
        snprintf(out, cap, "%.0f ms", ms);
    else
        snprintf(out, cap, "%.1f s", ms / 1000);
    return out;
}

/* out = dir/name. -1 if it does not fit (not expected: --keep is short). */
static int join(char out[PATH_CAP], const char *dir, const char *name)
{
    int w = snprintf(out, PATH_CAP, "%s/%s", dir, name);
    return w < 0 || w >= PATH_CAP ? -1 : 0;
}

static int remove_tree(const char *path)
{
    char cmd[PATH_CAP + 32];
    int w = snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    return w > 0 && (size_t)w < sizeof cmd && system(cmd) == 0 ? 0 : -1;
}

static int copy_path(const char *from, const char *to)
{
    char cmd[2 * PATH_CAP + 32];
    int w = snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    return w > 0 && (size_t)w < sizeof cmd && system(cmd) == 0 ? 0 : -1;
}

/* ---- the synthetic bundle -------------------------------------------------- */

/* Items in a bundle and its schema version; -1 if it does not open. */
static int bundle_items(const char *path, int *schema)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    *schema = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM items", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *schema = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* DIR/synthetic.ipb with n items: reused when it has them and this kiosk's
 * schema, else built from DIR/src (written first when missing) with the
 * content tool's own code, as `infopoint-bench store` does. */
static int ensure_bundle(const char *dir, int n, char bundle[PATH_CAP])
{
    char src[PATH_CAP], err[512], digest[DIGEST_HEX_LEN + 1];
    if (join(src, dir, "src") < 0 || join(bundle, dir, "synthetic.ipb") < 0)
        return -1;
    int schema = -1, have = platform_is_file(bundle) ? bundle_items(bundle, &schema) : -1;
    if (have == n && schema == STORE_SCHEMA_VERSION) {
        printf("bundle: reusing %s (%d items)\n", bundle, n);
        return 0;
    }
    if (have >= 0 && have != n) {
        fprintf(stderr, "bench: %s has %d items, not %d: use another --keep directory\n", bundle, have, n);
        return -1;
    }
    uint64_t t0 = platform_now_us();
    if (!platform_is_dir(src) && synth_write_source(src, n, SEED, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        return -1;
    }
    srcdir *sd = srcdir_open(src);
    int rc = sd ? bundle_build(sd, bundle, digest, err, sizeof err) : -1;
    if (!sd || sd->n_errors > 0 || (int)sd->n_items != n) {
        fprintf(stderr, "bench: the synthetic content in %s has errors or not %d items\n", src, n);
        srcdir_free(sd);
        return -1;
    }
    srcdir_free(sd);
    if (rc < 0) {
        fprintf(stderr, "bench: build failed: %s\n", err);
        return -1;
    }
    printf("bundle: %d items built in %.1f s\n", n, ms_since(t0) / 1000);
    return 0;
}

/* ---- nginx ------------------------------------------------------------- */

typedef struct {
    pid_t pid;                   /* the master process; 0: not running */
    int port;
    char prefix[PATH_CAP];       /* config, logs, pid file, temp files */
    char access_log[PATH_CAP];
    char error_log[PATH_CAP];
} nginx_server;

/* op (bind or connect) on a fresh TCP socket to 127.0.0.1:port: 1 if it
 * worked. */
static int loopback_try(int port, int (*op)(int fd, const struct sockaddr *a, socklen_t len))
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = op(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* 1 if nothing listens on 127.0.0.1:port (we could bind it just now). */
static int port_free(int port)
{
    return loopback_try(port, bind);
}

static int port_answers(int port)
{
    return loopback_try(port, connect);
}

/* Everything nginx writes stays under the prefix; workers run as root only
 * when we are root (the default user nobody could not read our temp dirs). */
static int nginx_write_conf(const nginx_server *n, const char *root, const char *conf)
{
    FILE *f = fopen(conf, "w");
    if (!f)
        return -1;
    const char *p = n->prefix;
    fprintf(f, "# generated by infopoint-bench sync\n%s", geteuid() == 0 ? "user root;\n" : "");
    fprintf(f,
            "worker_processes 1;\n"
            "pid \"%s/nginx.pid\";\n"
            "lock_file \"%s/nginx.lock\";\n"
            "error_log \"%s\" warn;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            "    log_format bench '$status $bytes_sent $request_method $uri';\n"
            "    access_log \"%s\" bench;\n"
            "    client_body_temp_path \"%s/body\";\n"
            "    proxy_temp_path \"%s/proxy\";\n"
            "    fastcgi_temp_path \"%s/fastcgi\";\n"
            "    uwsgi_temp_path \"%s/uwsgi\";\n"
            "    scgi_temp_path \"%s/scgi\";\n"
            "    default_type application/octet-stream;\n"
            "    sendfile on;\n"
            "    server {\n"
            "        listen 127.0.0.1:%d;\n"
            "        root \"%s\";\n"
            "    }\n"
            "}\n",
            p, p, n->error_log, n->access_log, p, p, p, p, p, n->port, root);
    return fclose(f) == 0 ? 0 : -1;
}

static pid_t nginx_spawn(const nginx_server *n, const char *conf)
{
    pid_t parent = getpid(), pid = fork();
    if (pid != 0)
        return pid;
    /* nginx goes when the bench goes, however it ends. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(1);
    char prefix[PATH_CAP + 2];
    snprintf(prefix, sizeof prefix, "%s/", n->prefix);
    execl(NGINX_BIN, "nginx", "-p", prefix, "-e", n->error_log, "-c", conf, "-g", "daemon off;", (char *)NULL);
    _exit(127);
}

static void nginx_stop(nginx_server *n)
{
    if (n->pid <= 0)
        return;
    kill(n->pid, SIGTERM); /* fast shutdown: the master stops its worker */
    for (int i = 0; i < 500; i++) {
        if (waitpid(n->pid, NULL, WNOHANG) == n->pid) {
            n->pid = 0;
            return;
        }
        usleep(10000);
    }
    kill(n->pid, SIGKILL);
    waitpid(n->pid, NULL, 0);
    n->pid = 0;
}

/* 1 if the error log says the port was taken (so another port may do). */
static int nginx_port_taken(const nginx_server *n)
{
    char *log, why[256];
    size_t len;
    if (platform_read_file(n->error_log, 1u << 20, &log, &len, why, sizeof why) < 0)
        return 0;
    int taken = strstr(log, "Address already in use") != NULL;
    free(log);
    return taken;
}

/* Waits until nginx serves probe_path with 200. Returns 0, 1 when it exited
 * because the port was taken, -1 on any other failure. */
static int nginx_wait_ready(nginx_server *n, const char *probe_path)
{
    uint64_t t0 = platform_now_ms();
    while (platform_now_ms() - t0 < NGINX_READY_MS) {
        int status;
        if (waitpid(n->pid, &status, WNOHANG) == n->pid) {
            n->pid = 0;
            return nginx_port_taken(n) ? 1 : -1;
        }
        if (port_answers(n->port)) {
            fetch_opts o = {.allow_http = 1, .max_time_s = 5};
            fetch_ctx *f = fetch_new(&o);
            char url[128], *body = NULL, why[256];
            size_t len;
            snprintf(url, sizeof url, "http://127.0.0.1:%d/%s", n->port, probe_path);
            fetch_result fr = f ? fetch_mem(f, url, 1u << 20, NULL, NULL, &body, &len, why, sizeof why) : FETCH_ERROR;
            free(body);
            fetch_free(f);
            return fr == FETCH_OK ? 0 : -1;
        }
        usleep(20000);
    }
    return -1;
}

/* Starts nginx serving root on 127.0.0.1 at a random free port in
 * PORT_LO..PORT_HI (another one while the port turns out to be taken). */
static int nginx_start(nginx_server *n, const char *prefix, const char *root)
{
    char conf[PATH_CAP];
    memset(n, 0, sizeof *n);
    if (join(n->access_log, prefix, "access.log") < 0 || join(n->error_log, prefix, "error.log") < 0 ||
        join(conf, prefix, "nginx.conf") < 0)
        return -1;
    memcpy(n->prefix, prefix, strlen(prefix) + 1); /* shorter than the joins */
    if (mkdir(prefix, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "bench: cannot create %s: %s\n", prefix, strerror(errno));
        return -1;
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int i = 0; i < PORT_TRIES; i++) {
        n->port = PORT_LO + rand() % (PORT_HI - PORT_LO + 1);
        if (!port_free(n->port))
            continue;
        unlink(n->error_log);
        if (nginx_write_conf(n, root, conf) < 0) {
            fprintf(stderr, "bench: cannot write %s\n", conf);
            return -1;
        }
        n->pid = nginx_spawn(n, conf);
        if (n->pid < 0) {
            n->pid = 0;
            fprintf(stderr, "bench: fork: %s\n", strerror(errno));
            return -1;
        }
        int rc = nginx_wait_ready(n, "timestamp.txt");
        if (rc == 0)
            return 0;
        nginx_stop(n);
        if (rc < 0) {
            fprintf(stderr, "bench: nginx did not start or answer (see %s)\n", n->error_log);
            return -1;
        }
    }
    fprintf(stderr, "bench: no free port for nginx after %d tries\n", PORT_TRIES);
    return -1;
}

/* Requests and $bytes_sent that nginx logged after byte offset *at. Waits a
 * little for `expect` lines: nginx logs a request after it has answered. */
static void nginx_log_since(const nginx_server *n, long *at, uint64_t expect, uint64_t *requests, uint64_t *bytes)
{
    for (int tries = 0; tries < 100; tries++) {
        *requests = *bytes = 0;
        FILE *f = fopen(n->access_log, "r");
        if (!f)
            return;
        fseek(f, *at, SEEK_SET);
        char line[1200];
        while (fgets(line, sizeof line, f)) {
            unsigned status;
            unsigned long long sent;
            if (sscanf(line, "%u %llu", &status, &sent) == 2) {
                (*requests)++;
                *bytes += sent;
            }
        }
        long end = ftell(f);
        fclose(f);
        if (*requests >= expect || tries == 99) {
            *at = end;
            return;
        }
        usleep(10000);
    }
}

/* ---- one sync, in a fresh process ---------------------------------------------- */

typedef struct {
    sync_result res;
    double wall_ms;              /* sync_run, timed in the child */
    double hwm_start_mb;         /* VmHWM before sync_run (program and libraries) */
    double hwm_mb;               /* VmHWM after it: the sync's peak RSS */
    uint64_t written;            /* write_bytes of /proc/self/io over sync_run */
} child_report;

typedef struct {
    sync_result res;
    double wall_ms;              /* sync_run */
    double cpu_ms;               /* the child's user + system time */
    double hwm_start_mb;         /* the child's VmHWM before sync_run */
    double maxrss_mb;            /* its VmHWM after: the peak RSS of the sync */
    uint64_t srv_requests;       /* lines nginx logged for it */
    uint64_t srv_bytes;          /* their $bytes_sent (headers and body) */
    uint64_t written;            /* bytes the sync sent to the storage layer */
} sample;

typedef struct {
    char url[64];
    char pubkey[PATH_CAP];
    nginx_server nginx;
    long log_at;                 /* access log read up to here */
} bench;

/* This process's peak RSS (VmHWM) in MB. Not ru_maxrss: at exec Linux
 * carries the forked copy's high-water mark over, so a child of a large
 * parent would report the parent's size. */
static double vm_hwm_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %lf kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb / 1024;
}

/* Bytes this process has caused to be sent to the storage layer
 * (write_bytes of /proc/self/io: pages dirtied, counted once each, so an
 * in-place update that rewrites a page twice counts it once). */
static uint64_t io_written(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    unsigned long long v = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "write_bytes: %llu", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

/* `infopoint-bench sync-child URL STATE PUBKEY`: one sync_run, its result
 * written to stdout as raw bytes (the parent is this same binary). */
static int child_main(int argc, char **argv)
{
    if (argc != 5)
        return 2;
    char err[512];
    meta_key key;
    if (keys_read_public(argv[4], &key, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    platform_log_set_level(PLATFORM_LOG_WARN);
    fetch_global_init();
    sync_cfg cfg = {.url = argv[2], .state_dir = argv[3], .trust = &key, .n_trust = 1, .net = {.allow_http = 1}};
    static child_report rep;
    rep.hwm_start_mb = vm_hwm_mb();
    uint64_t w0 = io_written(), t0 = platform_now_us();
    sync_run(&cfg, &rep.res);
    rep.wall_ms = ms_since(t0);
    rep.written = io_written() - w0;
    rep.hwm_mb = vm_hwm_mb();
    const char *p = (const char *)&rep;
    size_t left = sizeof rep;
    while (left > 0) {
        ssize_t w = write(1, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return 1;
        p += w;
        left -= (size_t)w;
    }
    return 0;
}

/* Runs one sync of state in a child process and checks its outcome. */
static int measure_sync(bench *b, const char *state, sync_outcome want, sample *out)
{
    int fds[2];
    memset(out, 0, sizeof *out);
    if (pipe(fds) < 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl("/proc/self/exe", "infopoint-bench", "sync-child", b->url, state, b->pubkey, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    static child_report rep;
    size_t got = 0;
    while (got < sizeof rep) {
        ssize_t r = read(fds[0], (char *)&rep + got, sizeof rep - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fds[0]);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        got != sizeof rep) {
        fprintf(stderr, "bench: the sync process failed (status %d)\n", status);
        return -1;
    }
    out->res = rep.res;
    out->wall_ms = rep.wall_ms;
    out->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
                  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
    out->hwm_start_mb = rep.hwm_start_mb;
    out->maxrss_mb = rep.hwm_mb;
    out->written = rep.written;
    nginx_log_since(&b->nginx, &b->log_at, out->res.net.requests, &out->srv_requests, &out->srv_bytes);
    if (out->res.outcome != want) {
        fprintf(stderr, "bench: sync of %s: %s\n", state, out->res.message);
        return -1;
    }
    return 0;
}

static void print_sample(const char *what, int run, int runs, const sample *s)
{
    char a[32], b[32], c[32], d[32], e[32];
    const apply_report *ap = &s->res.apply;
    printf("  %s %d/%d: %s wall, %s CPU, %" PRIu64 " requests, %s down (nginx: %" PRIu64 ", %s), "
           "%zu records (%zu held in memory), peak RSS %.1f MB (%.1f MB at start), %s written",
           what, run + 1, runs, fmt_ms(s->wall_ms, a, sizeof a), fmt_ms(s->cpu_ms, b, sizeof b),
           s->res.net.requests, fmt_bytes((double)s->res.net.bytes_down, c, sizeof c), s->srv_requests,
           fmt_bytes((double)s->srv_bytes, d, sizeof d), s->res.records_fetched, s->res.records_held, s->maxrss_mb,
           s->hwm_start_mb,
           fmt_bytes((double)s->written, e, sizeof e));
    if (s->res.install_us)
        printf(", install %.0f ms (copy %.0f, apply %.0f, digest %.0f %s, check %.0f, fsync %.0f)",
               (double)s->res.install_us / 1000, (double)ap->copy_us / 1000, (double)ap->apply_us / 1000,
               (double)ap->digest_us / 1000,
               !ap->by_records ? "full" : ap->records_filled ? "records, tables built" : "records",
               (double)ap->check_us / 1000, (double)ap->sync_us / 1000);
    printf("\n");
}

/* ---- new editions ------------------------------------------------------------ */

/* A step through the items coprime with n, so that k < n picks k distinct
 * items spread over the whole bundle (and so over the bins). */
static int stride_for(int n)
{
    int s = 97;
    for (;;) {
        int a = s, b = n;
        while (b) {
            int t = a % b;
            a = b;
            b = t;
        }
        if (a == 1)
            return s;
        s++;
    }
}

static int exec_sql(sqlite3 *db, const char *sql, const char *p1, const char *p2)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (p1)
        sqlite3_bind_text(st, 1, p1, -1, SQLITE_TRANSIENT);
    if (p2)
        sqlite3_bind_text(st, 2, p2, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The editor's next edition, made in place in the working copy of the bundle:
 * one paragraph appended to one text of each of n items, the content digest
 * recomputed (as test_sync.c's make_variant does; rebuilding 10,000 items
 * would take a quarter of a minute each time). *record_bytes: the size of the
 * changed items' records, the least any sync of this edition must fetch. */
static int edit_items(const char *bundle, int edition, int n, int n_items, uint64_t *record_bytes)
{
    sqlite3 *db;
    char err[512], hex[DIGEST_HEX_LEN + 1], suffix[160];
    int rc = -1, stride = stride_for(n_items);
    *record_bytes = 0;
    if (sqlite3_open(bundle, &db) != SQLITE_OK)
        goto done;
    snprintf(suffix, sizeof suffix, "\n\nEdition %d added this paragraph to the text.\n", edition);
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto done;
    for (int k = 0; k < n; k++) {
        long off = ((long)edition * 1009 + (long)k * stride) % n_items;
        sqlite3_stmt *st;
        char id[256] = "";
        if (sqlite3_prepare_v2(db, "SELECT id FROM items ORDER BY id LIMIT 1 OFFSET ?1", -1, &st, NULL) != SQLITE_OK)
            goto done;
        sqlite3_bind_int64(st, 1, off);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        if (!id[0] || exec_sql(db,
                               "UPDATE item_texts SET body = body || ?2 WHERE rowid = "
                               "(SELECT min(rowid) FROM item_texts WHERE item_id = ?1)",
                               id, suffix) < 0 || sqlite3_changes(db) != 1)
            goto done;
        size_t len;
        unsigned char *rec = record_build(db, RECORD_ITEM, id, &len, err, sizeof err);
        if (!rec)
            goto done;
        free(rec);
        *record_bytes += len;
    }
    if (digest_compute(db, hex, err, sizeof err) < 0 ||
        exec_sql(db, "UPDATE meta SET value = ?1 WHERE key = 'digest'", hex, NULL) < 0 ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto done;
    rc = 0;
done:
    if (rc < 0)
        fprintf(stderr, "bench: editing %s: %s\n", bundle, db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_close(db);
    return rc;
}

/* Publishes the next version. Never within the wall-clock second of the one
 * before: nginx's ETag is the file's mtime in seconds and its length, so a
 * timestamp.txt of the same length rewritten within one second keeps its
 * ETag, and a kiosk that asks with If-None-Match gets 304 for it. */
static int publish_timed(const char *bundle, const unsigned char sk[64], const char *repo, publish_report *rep)
{
    static time_t last;
    char err[512], a[32];
    while (time(NULL) == last)
        usleep(20000);
    uint64_t t0 = platform_now_us();
    if (publish_bundle(bundle, sk, repo, 0, EXPIRES_DAYS, 0, (int64_t)time(NULL), rep, err, sizeof err) < 0) {
        fprintf(stderr, "bench: publish: %s\n", err);
        return -1;
    }
    last = time(NULL);
    printf("  published version %" PRIu64 " in %.1f s: %zu new objects, %s\n", rep->version, ms_since(t0) / 1000,
           rep->objects_written, fmt_bytes((double)rep->bytes_written, a, sizeof a));
    return 0;
}

/* ---- the table ----------------------------------------------------------------- */

typedef struct {
    sample s[MAX_RUNS];
    double record_bytes[MAX_RUNS]; /* changed records (0 for full and check) */
    int n;
} series;

typedef double (*figure_fn)(const sample *s);

static double f_wall(const sample *s) { return s->wall_ms; }
static double f_cpu(const sample *s) { return s->cpu_ms; }
static double f_rss(const sample *s) { return s->maxrss_mb; }
static double f_requests(const sample *s) { return (double)s->res.net.requests; }
static double f_bytes(const sample *s) { return (double)s->res.net.bytes_down; }
static double f_srv_bytes(const sample *s) { return (double)s->srv_bytes; }
static double f_written(const sample *s) { return (double)s->written; }
static double f_records(const sample *s) { return (double)s->res.records_fetched; }
static double f_install(const sample *s) { return (double)s->res.install_us / 1000; }
static double f_copy(const sample *s) { return (double)s->res.apply.copy_us / 1000; }
static double f_apply(const sample *s) { return (double)s->res.apply.apply_us / 1000; }
static double f_digest(const sample *s) { return (double)s->res.apply.digest_us / 1000; }
static double f_check(const sample *s) { return (double)s->res.apply.check_us / 1000; }
static double f_fsync(const sample *s) { return (double)s->res.apply.sync_us / 1000; }

static double med_of(const series *x, figure_fn f)
{
    double v[MAX_RUNS];
    for (int i = 0; i < x->n; i++)
        v[i] = f(&x->s[i]);
    return median(v, x->n);
}

static void row(const char *figure, const char *measured, const char *target, const char *met)
{
    printf("| %-48s | %-62s | %-19s | %-4s |\n", figure, measured, target, met);
}

static void row_ms(const char *figure, double ms, const char *target, const char *met)
{
    char a[32];
    row(figure, fmt_ms(ms, a, sizeof a), target, met);
}

static void row_count(const char *figure, double v, const char *target, const char *met)
{
    char a[32];
    snprintf(a, sizeof a, "%.0f", v);
    row(figure, a, target, met);
}

/* Apply rows: install (judged against the target when asked) and its steps. */
/* target_ms 0: not judged (a full sync). */
static void rows_apply(const char *label, const series *x, double target_ms)
{
    char fig[128], a[32], b[32], c[32], d[32], e[32], m[200];
    double inst = med_of(x, f_install);
    snprintf(fig, sizeof fig, "%s: apply (install_us)", label);
    char t[32] = "";
    if (target_ms > 0)
        snprintf(t, sizeof t, "< %.0f ms", target_ms);
    row_ms(fig, inst, t, target_ms > 0 ? (inst < target_ms ? "yes" : "NO") : "");
    snprintf(fig, sizeof fig, "%s: apply steps", label);
    snprintf(m, sizeof m, "copy %s, apply %s, digest %s, check %s, fsync %s", fmt_ms(med_of(x, f_copy), a, sizeof a),
             fmt_ms(med_of(x, f_apply), b, sizeof b), fmt_ms(med_of(x, f_digest), c, sizeof c),
             fmt_ms(med_of(x, f_check), d, sizeof d), fmt_ms(med_of(x, f_fsync), e, sizeof e));
    row(fig, m, "", "");
}

static void rows_delta(const char *label, const series *x, int n_changed)
{
    char fig[128], m[128], a[32], b[32], t[32];
    double bytes = med_of(x, f_bytes), recs = median(x->record_bytes, x->n);
    snprintf(fig, sizeof fig, "%s: bytes on the wire", label);
    snprintf(m, sizeof m, "%s (records %s)", fmt_bytes(bytes, a, sizeof a), fmt_bytes(recs, b, sizeof b));
    snprintf(t, sizeof t, "<= records + 64 KiB");
    row(fig, m, t, bytes <= recs + TARGET_DELTA_SLACK ? "yes" : "NO");
    snprintf(fig, sizeof fig, "%s: bytes as nginx sent them", label);
    row(fig, fmt_bytes(med_of(x, f_srv_bytes), a, sizeof a), "", "");
    snprintf(fig, sizeof fig, "%s: requests", label);
    row_count(fig, med_of(x, f_requests), "", "");
    snprintf(fig, sizeof fig, "%s: records fetched", label);
    snprintf(t, sizeof t, "%d", n_changed);
    double got = med_of(x, f_records);
    row_count(fig, got, t, got == n_changed ? "yes" : "NO");
    rows_apply(label, x, n_changed == 1 ? TARGET_APPLY_MS : TARGET_APPLY_MANY_MS);
    double written = med_of(x, f_written);
    snprintf(fig, sizeof fig, "%s: bytes written (write_bytes)", label);
    snprintf(m, sizeof m, "%s (%.1f x the records)", fmt_bytes(written, a, sizeof a), recs > 0 ? written / recs : 0);
    row(fig, m, "< 10 x the records", written < TARGET_WRITE_FACTOR * recs ? "yes" : "NO");
    snprintf(fig, sizeof fig, "%s: whole sync, wall / CPU", label);
    snprintf(m, sizeof m, "%s / %s", fmt_ms(med_of(x, f_wall), a, sizeof a), fmt_ms(med_of(x, f_cpu), b, sizeof b));
    row(fig, m, "", "");
    snprintf(fig, sizeof fig, "%s: peak RSS (VmHWM) of the sync", label);
    snprintf(m, sizeof m, "%.1f MB", med_of(x, f_rss));
    row(fig, m, "", "");
}

static void print_table(const series *full, const series *check, const series *one, const series *many, int n_many,
                        double repo_bytes)
{
    char m[96], a[32], b[32], t[32];
    printf("\nmedians of %d runs (full sync and check), %d runs (changes); KiB = 1024 B, MB = 10^6 B\n\n", full->n,
           one->n);
    row("figure", "measured", "target", "met");
    static const char dashes[] = "----------------------------------------------------------------";
    printf("|%.50s|%.64s|%.21s|%.6s|\n", dashes, dashes, dashes, dashes);
    snprintf(m, sizeof m, "%s / %s", fmt_ms(med_of(full, f_wall), a, sizeof a), fmt_ms(med_of(full, f_cpu), b, sizeof b));
    row("full sync: wall / CPU", m, "", "");
    row_count("full sync: requests", med_of(full, f_requests), "", "");
    snprintf(m, sizeof m, "%s (repository %s)", fmt_bytes(med_of(full, f_bytes), a, sizeof a),
             fmt_bytes(repo_bytes, b, sizeof b));
    row("full sync: bytes on the wire", m, "", "");
    row("full sync: bytes as nginx sent them", fmt_bytes(med_of(full, f_srv_bytes), a, sizeof a), "", "");
    snprintf(m, sizeof m, "%.1f MB", med_of(full, f_rss));
    row("full sync: peak RSS (VmHWM) of the sync", m, "", "");
    rows_apply("full sync", full, 0.0);
    double req = med_of(check, f_requests), bytes = med_of(check, f_bytes);
    snprintf(t, sizeof t, "%d", TARGET_CHECK_REQUESTS);
    row_count("no-change check: requests", req, t, req <= TARGET_CHECK_REQUESTS ? "yes" : "NO");
    row("no-change check: bytes on the wire", fmt_bytes(bytes, a, sizeof a), "< 2 KiB",
        bytes < TARGET_CHECK_BYTES ? "yes" : "NO");
    row_ms("no-change check: wall", med_of(check, f_wall), "", "");
    rows_delta("1 changed item", one, 1);
    char label[32];
    snprintf(label, sizeof label, "%d changed items", n_many);
    rows_delta(label, many, n_many);
}

/* ---- the run ----------------------------------------------------------------- */

/* Sum of the sizes of the files in dir (the repository's objects). */
static double dir_bytes(const char *dir)
{
    char cmd[PATH_CAP + 64];
    snprintf(cmd, sizeof cmd, "du -sb '%s' 2>/dev/null", dir);
    FILE *p = popen(cmd, "r");
    double v = 0;
    if (p) {
        if (fscanf(p, "%lf", &v) != 1)
            v = 0;
        pclose(p);
    }
    return v;
}

static int full_syncs(bench *b, const char *run_dir, int runs, series *full, series *check, char state[PATH_CAP])
{
    for (int r = 0; r < runs; r++) {
        char name[32];
        snprintf(name, sizeof name, "state-%d", r);
        if (join(state, run_dir, name) < 0)
            return -1;
        if (measure_sync(b, state, SYNC_INSTALLED, &full->s[r]) < 0)
            return -1;
        full->n++;
        print_sample("full sync", r, runs, &full->s[r]);
        if (measure_sync(b, state, SYNC_CURRENT, &check->s[r]) < 0)
            return -1;
        check->n++;
        print_sample("no-change check", r, runs, &check->s[r]);
        if (r + 1 < runs)
            remove_tree(state); /* the last state goes on to the changes */
    }
    return 0;
}

static int change_syncs(bench *b, const char *edition, const unsigned char sk[64], const char *repo, int n_items,
                        int n_changed, int runs, int *edition_no, const char *state, series *x)
{
    char label[32];
    snprintf(label, sizeof label, "%d changed", n_changed);
    for (int r = 0; r < runs; r++) {
        uint64_t rec;
        publish_report rep;
        if (edit_items(edition, ++*edition_no, n_changed, n_items, &rec) < 0 ||
            publish_timed(edition, sk, repo, &rep) < 0 || measure_sync(b, state, SYNC_INSTALLED, &x->s[r]) < 0)
            return -1;
        x->record_bytes[r] = (double)rec;
        x->n++;
        print_sample(label, r, runs, &x->s[r]);
    }
    return 0;
}

static int run_bench(int items, int full_runs, int runs, const char *keep)
{
    char base[PATH_CAP], run_dir[PATH_CAP], bundle[PATH_CAP], path[PATH_CAP], err[512];
    char repo[PATH_CAP], edition[PATH_CAP], state[PATH_CAP], id[META_KEYID_LEN + 1];
    static bench b;
    static series full, check, one, many;
    unsigned char sk[64];
    int rc = 1, n_many = items < MANY_CHANGES ? items : MANY_CHANGES, edition_no = 0;
    const char *from = keep ? keep : "/tmp/infopoint-benchsync-XXXXXX";
    memcpy(base, from, strlen(from) + 1); /* at most KEEP_MAX */
    if (keep ? (mkdir(base, 0755) < 0 && errno != EEXIST) : !mkdtemp(base)) {
        fprintf(stderr, "bench: cannot create %s: %s\n", base, strerror(errno));
        return 1;
    }
    if (join(run_dir, base, "sync-XXXXXX") < 0 || !mkdtemp(run_dir)) {
        fprintf(stderr, "bench: cannot create %s: %s\n", run_dir, strerror(errno));
        return 1;
    }
    fetch_global_init();
    if (join(repo, run_dir, "repo") < 0 || join(edition, run_dir, "edition.ipb") < 0 ||
        join(b.pubkey, run_dir, "keys/publisher.pub") < 0 || ensure_bundle(base, items, bundle) < 0)
        goto done;
    if (join(path, run_dir, "keys") < 0 || keys_generate(path, id, err, sizeof err) < 0 ||
        join(path, run_dir, "keys/publisher.key") < 0 || keys_read_secret(path, sk, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        goto done;
    }
    publish_report rep;
    if (publish_timed(bundle, sk, repo, &rep) < 0)
        goto done;
    double repo_bytes = dir_bytes(repo);
    if (join(path, run_dir, "nginx") < 0 || nginx_start(&b.nginx, path, repo) < 0)
        goto done;
    snprintf(b.url, sizeof b.url, "http://127.0.0.1:%d", b.nginx.port);
    uint64_t probe_requests, probe_bytes; /* the readiness probe is no sync's */
    nginx_log_since(&b.nginx, &b.log_at, 1, &probe_requests, &probe_bytes);
    printf("nginx: %s (pid %d), repository %s\n", b.url, (int)b.nginx.pid, repo);
    if (full_syncs(&b, run_dir, full_runs, &full, &check, state) < 0)
        goto done;
    if (copy_path(bundle, edition) < 0 ||
        change_syncs(&b, edition, sk, repo, items, 1, runs, &edition_no, state, &one) < 0 ||
        change_syncs(&b, edition, sk, repo, items, n_many, runs, &edition_no, state, &many) < 0)
        goto done;
    print_table(&full, &check, &one, &many, n_many, repo_bytes);
    rc = 0;
done:
    nginx_stop(&b.nginx);
    sodium_memzero(sk, sizeof sk);
    if (remove_tree(run_dir) < 0)
        fprintf(stderr, "bench: could not remove %s\n", run_dir);
    if (!keep && remove_tree(base) < 0)
        fprintf(stderr, "bench: could not remove %s\n", base);
    return rc;
}

int benchsync_main(int argc, char **argv)
{
    if (!strcmp(argv[1], "sync-child"))
        return child_main(argc, argv);
    int items = 10000, runs = 3, full_runs = 0;
    const char *keep = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad;
        if (!v) {
            bad = 1;
        } else if (!strcmp(a, "--items")) {
            bad = platform_parse_int(v, 10, 100000, &items);
        } else if (!strcmp(a, "--runs")) {
            bad = platform_parse_int(v, 1, MAX_RUNS, &runs);
        } else if (!strcmp(a, "--full-runs")) {
            /* A full sync of 100,000 items takes minutes: the changes'
             * runs can be more than the full syncs'. */
            bad = platform_parse_int(v, 1, MAX_RUNS, &full_runs);
        } else if (!strcmp(a, "--keep")) {
            keep = v;
            bad = strlen(v) > KEEP_MAX || strchr(v, '\'') || strchr(v, '"');
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr,
                    "usage: infopoint-bench sync [--items N (10..100000)] [--runs R (1..%d)] [--full-runs F (default R)]"
                    " [--keep DIR]\n",
                    MAX_RUNS);
            return 2;
        }
        i++;
    }
    return run_bench(items, full_runs ? full_runs : runs, runs, keep);
}
