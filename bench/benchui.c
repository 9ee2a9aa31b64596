#include "benchui.h"

#include <SDL.h>
#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "render.h"
#include "replay.h"
#include "store.h"
#include "synth.h"
#include "ui.h"
#include "utf8.h"

#ifndef INFOPOINT_SAMPLE_BUNDLE
#define INFOPOINT_SAMPLE_BUNDLE INFOPOINT_BUILD_DIR "/sample.ipb"
#endif

extern char **environ;

/* The targets of the brief, printed beside the figures (never judged here). */
#define TARGET_START_MS 200.0
#define TARGET_FRAME_P99_MS 8.0
#define TARGET_RSS_MB 40.0
#define TARGET_IDLE_CPU_PCT 0.5
#define TARGET_WAKEUPS_S 5.0

/* Virtual frame step: what a 60 Hz screen sees (as replay.c replays scripts). */
#define FRAME_MS 16u
/* A fling is given this long (virtual) to come to rest. */
#define SETTLE_MAX_MS 5000u
/* Reader pages timed when the bundle has them (the sample's long article,
 * a Constitution article reached through a clause, a synthetic item). */
static const char *const reader_routes[] = {"item/commission-session", "item/constitution#art43-5",
                                            "item/item00042"};
#define N_READER_ROUTES (int)(sizeof reader_routes / sizeof reader_routes[0])
/* Search queries typed key by key in the RSS tour (with synth_query's). */
static const char *const tour_queries[] = {"конст", "сот", "article"};
#define N_TOUR_QUERIES 3
#define N_SYNTH_QUERIES 3
#define MAX_SPAWN_RUNS 200
#define ROUTE_CAP 400

/* ---- small helpers ------------------------------------------------------- */

static double ms_since(uint64_t t0_us)
{
    return (double)(platform_now_us() - t0_us) / 1000.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Distribution of n samples; first = the sample taken first (cold). */
typedef struct {
    int n;
    double first, p50, p90, p99, max;
} dist;

static double pick(const double *sorted, int n, double p)
{
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return sorted[i < (size_t)n ? i : (size_t)n - 1];
}

/* Sorts v in place (the first sample is kept in the result). */
static dist dist_of(double *v, int n)
{
    dist d = {0};
    if (n <= 0)
        return d;
    d.n = n;
    d.first = v[0];
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    d.p50 = pick(v, n, 50);
    d.p90 = pick(v, n, 90);
    d.p99 = pick(v, n, 99);
    d.max = v[n - 1];
    return d;
}

/* The calling thread's CPU time in ms: a frame's own cost, whatever else
 * the machine runs (wall time is what the target is about). */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct {
    uint64_t wall_us;
    double cpu_ms;
} stopwatch;

static stopwatch stopwatch_start(void)
{
    stopwatch w = {platform_now_us(), thread_cpu_ms()};
    return w;
}

/* Timed samples: wall and thread CPU time of each. */
typedef struct {
    double *wall, *cpu;
    int n, cap;
} series;

static int series_init(series *s, int cap)
{
    s->wall = malloc((size_t)cap * sizeof *s->wall);
    s->cpu = malloc((size_t)cap * sizeof *s->cpu);
    s->n = 0;
    s->cap = cap;
    return s->wall && s->cpu ? 0 : -1;
}

static void series_free(series *s)
{
    free(s->wall);
    free(s->cpu);
}

static void series_add(series *s, stopwatch w)
{
    if (s->n < s->cap) {
        s->wall[s->n] = ms_since(w.wall_us);
        s->cpu[s->n] = thread_cpu_ms() - w.cpu_ms;
        s->n++;
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0)
        ;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The path of this program. Returns 0, or -1. */
static int self_exe(char *out, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", out, cap - 1);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    return 0;
}

/* The kiosk binary next to this one, else the build's. */
static void kiosk_exe(char *out, size_t cap)
{
    char self[512];
    if (self_exe(self, sizeof self) == 0) {
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, cap, "%s/infopoint", self);
            if (platform_is_file(out))
                return;
        }
    }
    snprintf(out, cap, "%s/infopoint", INFOPOINT_BUILD_DIR);
}

/* A copy of the environment with SDL_VIDEODRIVER=driver (for execve). */
static char **env_with_driver(const char *driver)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "SDL_VIDEODRIVER=", 16) != 0)
            env[k++] = environ[i];
    static char var[64];
    snprintf(var, sizeof var, "SDL_VIDEODRIVER=%s", driver);
    env[k] = var;
    return env;
}

/* ---- a headless UI, built as the kiosk builds it for a screenshot ------- */

enum { PART_RENDERER, PART_RENDER_CREATE, PART_STORE_OPEN, PART_UI_CREATE, PART_FIRST_DRAW, N_PARTS };
static const char *const part_names[N_PARTS] = {"surface + SDL software renderer", "render_create", "store_open",
                                                "ui_create (home)", "first ui_draw"};

typedef struct {
    SDL_Surface *surface;
    SDL_Renderer *sdl;
    render *r;
    store *st;
    ui *u;
    int w, h;
    uint32_t now; /* virtual time */
} headless;

static void headless_close(headless *hl)
{
    ui_destroy(hl->u);
    store_close(hl->st);
    render_destroy(hl->r);
    if (hl->sdl)
        SDL_DestroyRenderer(hl->sdl);
    SDL_FreeSurface(hl->surface);
    memset(hl, 0, sizeof *hl);
}

/* Opens everything and draws the first frame; parts[] gets each step's ms. */
static int headless_open(headless *hl, const char *bundle, int w, int h, double parts[N_PARTS], char *err,
                         size_t errcap)
{
    memset(hl, 0, sizeof *hl);
    hl->w = w;
    hl->h = h;
    hl->now = 1000;
    uint64_t t = platform_now_us();
    hl->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    hl->sdl = hl->surface ? SDL_CreateSoftwareRenderer(hl->surface) : NULL;
    if (!hl->sdl) {
        snprintf(err, errcap, "software renderer: %s", SDL_GetError());
        goto fail;
    }
    parts[PART_RENDERER] = ms_since(t);
    t = platform_now_us();
    hl->r = render_create(hl->sdl, err, errcap);
    if (!hl->r)
        goto fail;
    parts[PART_RENDER_CREATE] = ms_since(t);
    t = platform_now_us();
    hl->st = store_open(bundle, NULL, err, errcap);
    if (!hl->st)
        goto fail;
    parts[PART_STORE_OPEN] = ms_since(t);
    t = platform_now_us();
    /* Navigations and virtual time stand in for a reader's taps here, and
     * the ui does not count them as input: without this, a long tour would
     * be sent home by the idle reset and the home screen into attract mode. */
    ui_config cfg = ui_config_default();
    cfg.idle_reset_s = 0;
    cfg.attract_s = 0;
    hl->u = ui_create(&cfg, hl->st, NULL, hl->r, w, h, hl->now);
    if (!hl->u) {
        snprintf(err, errcap, "ui_create failed");
        goto fail;
    }
    parts[PART_UI_CREATE] = ms_since(t);
    t = platform_now_us();
    ui_draw(hl->u);
    parts[PART_FIRST_DRAW] = ms_since(t);
    return 0;
fail:
    headless_close(hl);
    return -1;
}

/* A finger tap as a script's tap is replayed (replay.c: 60 ms down). */
static void headless_tap(headless *hl, float x, float y)
{
    ui_pointer_down(hl->u, -1, x, y, hl->now);
    hl->now += 60;
    ui_tick(hl->u, hl->now);
    ui_pointer_up(hl->u, -1, x, y, hl->now);
    hl->now += FRAME_MS;
    ui_tick(hl->u, hl->now);
    if (ui_dirty(hl->u))
        ui_draw(hl->u);
}

/* Lets virtual time run, frame by frame, until nothing animates. */
static void headless_settle(headless *hl)
{
    replay_settle(hl->u, &hl->now);
}

/* ---- 1. start-up --------------------------------------------------------- */

typedef struct {
    dist wall;       /* spawn → exit of `infopoint --screenshot` */
    double first_ms; /* the first spawn (discarded: page cache, dynamic loader caches) */
    long maxrss_kb;  /* median peak RSS of those processes (wait4) */
    dist inproc;     /* in process: to the end of the first ui_draw */
    double parts[N_PARTS]; /* medians of each step */
    double png_ms;   /* render_save_png of one 1920×1080 frame (part of the spawned time) */
    bool ok;
} startup_result;

static int spawn_screenshot(const char *exe, char **env, const char *bundle, int w, int h, double *ms, long *maxrss)
{
    char size[32], png[64];
    snprintf(size, sizeof size, "%dx%d", w, h);
    snprintf(png, sizeof png, "/tmp/infopoint-bench-%d.png", (int)getpid());
    char *argv[] = {(char *)exe, "--screenshot", png, "--size", size, "--bundle", (char *)bundle, NULL};
    uint64_t t0 = platform_now_us();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execve(exe, argv, env);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *ms = ms_since(t0);
    *maxrss = ru.ru_maxrss;
    unlink(png);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

static int bench_startup(const benchui_options *o, const char *bundle, startup_result *res)
{
    char exe[600], err[512];
    kiosk_exe(exe, sizeof exe);
    char **env = env_with_driver("dummy");
    double wall[MAX_SPAWN_RUNS];
    long rss[MAX_SPAWN_RUNS];
    if (!env)
        return -1;
    for (int i = 0; i <= o->runs; i++) {
        double ms;
        long kb;
        if (spawn_screenshot(exe, env, bundle, o->width, o->height, &ms, &kb) < 0) {
            fprintf(stderr, "bench: %s --screenshot failed for %s\n", exe, bundle);
            free(env);
            return -1;
        }
        if (i == 0) {
            res->first_ms = ms;
            continue;
        }
        wall[i - 1] = ms;
        rss[i - 1] = kb;
    }
    free(env);
    res->wall = dist_of(wall, o->runs);
    qsort(rss, (size_t)o->runs, sizeof *rss, cmp_long);
    res->maxrss_kb = rss[o->runs / 2];

    /* In process: every run builds and tears down the whole stack. */
    double total[MAX_SPAWN_RUNS], parts[N_PARTS][MAX_SPAWN_RUNS];
    for (int i = 0; i < o->runs; i++) {
        headless hl;
        double p[N_PARTS];
        uint64_t t0 = platform_now_us();
        if (headless_open(&hl, bundle, o->width, o->height, p, err, sizeof err) < 0) {
            fprintf(stderr, "bench: %s: %s\n", bundle, err);
            return -1;
        }
        total[i] = ms_since(t0);
        for (int k = 0; k < N_PARTS; k++)
            parts[k][i] = p[k];
        if (i == o->runs - 1) {
            char png[64];
            snprintf(png, sizeof png, "/tmp/infopoint-bench-%d.png", (int)getpid());
            uint64_t t1 = platform_now_us();
            if (render_save_png(hl.sdl, hl.w, hl.h, png, err, sizeof err) == 0)
                res->png_ms = ms_since(t1);
            unlink(png);
        }
        headless_close(&hl);
    }
    res->inproc = dist_of(total, o->runs);
    for (int k = 0; k < N_PARTS; k++)
        res->parts[k] = dist_of(parts[k], o->runs).p50;
    res->ok = true;
    return 0;
}

/* ---- 2. full reader frames ------------------------------------------------ */

typedef struct {
    const char *route;
    bool present;     /* the bundle has it */
    double nav_ms;    /* ui_navigate (load, parse, layout) */
    double cold_ms;   /* the first draw after it (text cache misses) */
    dist frames;      /* the following full redraws, wall time */
    dist frames_cpu;  /* the same, thread CPU time */
} route_result;

typedef struct {
    route_result routes[N_READER_ROUTES];
    dist all, all_cpu;/* every timed frame of every route */
    route_result list;/* the category with the most items (not a reader page) */
    char list_route[ROUTE_CAP];
    dist list_open;   /* home → that category: ui_navigate + first draw, LIST_OPENS times */
    bool ok;
} frames_result;

/* Category lists are slower to draw than pages; fewer frames do. */
#define LIST_FRAMES_MAX 60
#define LIST_OPENS 21

/* Opens route from home n times: navigate + first draw, in ms. */
static dist time_opens(headless *hl, const char *route, int n)
{
    double v[LIST_OPENS];
    char err[512];
    int k = 0;
    for (int i = 0; i < n && i < LIST_OPENS; i++) {
        hl->now += 1000;
        if (ui_navigate(hl->u, "home", hl->now, err, sizeof err) < 0)
            break;
        ui_draw(hl->u);
        hl->now += 1000;
        uint64_t t = platform_now_us();
        if (ui_navigate(hl->u, route, hl->now, err, sizeof err) < 0)
            break;
        ui_draw(hl->u);
        v[k++] = ms_since(t);
    }
    return dist_of(v, k);
}

/* Times n full redraws of route after its first (cold) frame; the samples
 * are appended to all. */
static void time_route(headless *hl, const char *route, int n, series *all, route_result *rr)
{
    char err[512];
    series v;
    rr->route = route;
    hl->now += 1000;
    uint64_t t = platform_now_us();
    if (ui_navigate(hl->u, route, hl->now, err, sizeof err) < 0)
        return;
    rr->nav_ms = ms_since(t);
    rr->present = true;
    t = platform_now_us();
    ui_draw(hl->u);
    rr->cold_ms = ms_since(t);
    headless_settle(hl); /* the clause flash, if any, ends */
    if (series_init(&v, n) < 0) {
        series_free(&v);
        return;
    }
    for (int i = 0; i < n; i++) {
        stopwatch w = stopwatch_start();
        ui_draw(hl->u);
        series_add(&v, w);
        if (all && all->n < all->cap) {
            all->wall[all->n] = v.wall[i];
            all->cpu[all->n++] = v.cpu[i];
        }
    }
    rr->frames = dist_of(v.wall, v.n);
    rr->frames_cpu = dist_of(v.cpu, v.n);
    series_free(&v);
}

/* The category with the most items. */
static int largest_category(headless *hl, char *route, size_t cap)
{
    store_category *cats = calloc(64, sizeof *cats);
    int n = cats ? store_categories(hl->st, ui_lang(hl->u), cats, 64) : -1, best = -1, best_n = -1;
    for (int i = 0; i < n; i++) {
        int size = store_category_size(hl->st, cats[i].id);
        if (size > best_n) {
            best = i;
            best_n = size;
        }
    }
    if (best >= 0)
        snprintf(route, cap, "category/%s", cats[best].id);
    free(cats);
    return best >= 0 ? 0 : -1;
}

static int bench_frames(headless *hl, int n, frames_result *res)
{
    series all;
    if (series_init(&all, n * N_READER_ROUTES) < 0) {
        series_free(&all);
        return -1;
    }
    for (int k = 0; k < N_READER_ROUTES; k++)
        time_route(hl, reader_routes[k], n, &all, &res->routes[k]);
    res->all = dist_of(all.wall, all.n);
    res->all_cpu = dist_of(all.cpu, all.n);
    res->ok = all.n > 0;
    series_free(&all);
    if (largest_category(hl, res->list_route, sizeof res->list_route) == 0)
    {
        time_route(hl, res->list_route, n < LIST_FRAMES_MAX ? n : LIST_FRAMES_MAX, NULL, &res->list);
        res->list_open = time_opens(hl, res->list_route, LIST_OPENS);
    }
    return 0;
}

/* ---- 3. kinetic scroll ---------------------------------------------------- */

typedef struct {
    char route[ROUTE_CAP];
    int flings;
    dist frames;      /* every drawn frame: during the drag and the fling */
    dist frames_cpu;
    double per_fling; /* frames drawn per fling on average */
    bool ok;
} scroll_result;

/* The article with the longest body in lang: the longest reader page (a
 * benchmark may read the schema, db/schema.sql; the kiosk never does). */
static int longest_article(store *st, const char *lang, char *route, size_t cap)
{
    sqlite3_stmt *q = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT i.id FROM items i JOIN item_texts t ON t.item_id = i.id "
                           "WHERE i.kind = 'article' AND t.lang = ?1 ORDER BY length(t.body) DESC LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(q, 1, lang, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        snprintf(route, cap, "item/%s", (const char *)sqlite3_column_text(q, 0));
        rc = 0;
    }
    sqlite3_finalize(q);
    return rc;
}

/* One timed frame as the kiosk loop runs it: tick, draw if dirty. */
static void timed_frame(headless *hl, series *v)
{
    stopwatch w = stopwatch_start();
    ui_tick(hl->u, hl->now);
    if (!ui_dirty(hl->u))
        return;
    ui_draw(hl->u);
    series_add(v, w);
}

/* A fast flick: six 16 ms moves over half the screen (about 5,600 px/s at
 * 1080 px), release, then 16 ms steps until the page rests. */
static void fling(headless *hl, bool up, series *v)
{
    float x = (float)hl->w / 2, y0 = (float)hl->h * (up ? 0.8f : 0.3f), dy = (float)hl->h * (up ? -0.5f : 0.5f);
    ui_pointer_down(hl->u, -1, x, y0, hl->now);
    for (int k = 1; k <= 6; k++) {
        hl->now += FRAME_MS;
        ui_pointer_move(hl->u, -1, x, y0 + dy * (float)k / 6.0f, hl->now);
        timed_frame(hl, v);
    }
    ui_pointer_up(hl->u, -1, x, y0 + dy, hl->now);
    uint32_t until = hl->now + SETTLE_MAX_MS;
    deadline d;
    do {
        hl->now += FRAME_MS;
        timed_frame(hl, v);
    } while ((int32_t)(until - hl->now) > 0 && (d = ui_next_deadline(hl->u, hl->now)).set &&
             deadline_left(d, hl->now) <= (int32_t)FRAME_MS);
}

static int bench_scroll(headless *hl, int min_frames, scroll_result *res)
{
    char err[512];
    series v;
    if (longest_article(hl->st, ui_lang(hl->u), res->route, sizeof res->route) < 0)
        return 0;
    hl->now += 1000;
    if (ui_navigate(hl->u, res->route, hl->now, err, sizeof err) < 0)
        return 0;
    ui_draw(hl->u);
    if (series_init(&v, min_frames + (int)(SETTLE_MAX_MS / FRAME_MS) + 16) < 0) {
        series_free(&v);
        return -1;
    }
    /* Down to the end and back up, until enough frames are timed. */
    while (v.n < min_frames && res->flings < 200) {
        fling(hl, res->flings % 2 == 0, &v);
        res->flings++;
    }
    res->per_fling = (double)v.n / res->flings;
    res->frames = dist_of(v.wall, v.n);
    res->frames_cpu = dist_of(v.cpu, v.n);
    res->ok = v.n > 0;
    series_free(&v);
    return 0;
}

/* ---- 4. peak RSS after every screen (in a fresh process) ------------------ */

typedef struct {
    long base_kb;     /* VmHWM before SDL and the store (libraries, bench) */
    long first_kb;    /* VmHWM after the first frame */
    long hwm_kb;      /* VmHWM after the tour */
    long rss_kb;      /* VmRSS at the end */
    long cache_kb;    /* text + image caches at the end */
    long heap_used_kb;/* malloc: bytes in use at the end (mallinfo2) */
    long heap_held_kb;/* malloc: bytes taken from the system (heap + mmapped) */
    int screens;      /* screens visited */
    double tour_s;
    dist nav;         /* tap → screen: ui_navigate + first ui_draw */
    dist key;         /* search keystroke: ui_text_input (search) + ui_draw */
    bool ok;
} rss_result;

typedef struct {
    headless *hl;
    double *nav;
    int n_nav, cap_nav;
    int screens;
} tour;

static void visit(tour *t, const char *route)
{
    char err[512];
    headless *hl = t->hl;
    hl->now += 500;
    uint64_t t0 = platform_now_us();
    if (ui_navigate(hl->u, route, hl->now, err, sizeof err) < 0) {
        fprintf(stderr, "bench: tour: %s: %s\n", route, err);
        return;
    }
    ui_draw(hl->u);
    double ms = ms_since(t0);
    if (t->n_nav < t->cap_nav)
        t->nav[t->n_nav++] = ms;
    t->screens++;
    headless_settle(hl);
}

/* The named places of a document (its pages) or an explainer (its cards). */
static void visit_places(tour *t, const char *id, const char *kind)
{
    bool deck = !strcmp(kind, "explainer");
    if (!deck && strcmp(kind, "document") != 0)
        return;
    store_anchor *a = calloc(512, sizeof *a);
    if (!a)
        return;
    int n = store_anchors(t->hl->st, id, ui_lang(t->hl->u), a, 512);
    char route[ROUTE_CAP];
    for (int i = 0; i < n; i++) {
        if (deck)
            snprintf(route, sizeof route, "deck/%s/%d", id, i + 1);
        else if (a[i].level <= 2) /* clauses open the page of their article */
            snprintf(route, sizeof route, "item/%s#%s", id, a[i].anchor);
        else
            continue;
        visit(t, route);
    }
    free(a);
}

/* Every item, read row by row so the tour list costs no memory. */
static int visit_items(tour *t, int max)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(store_db(t->hl->st), "SELECT id, kind FROM items ORDER BY category_id, pos", -1, &q,
                           NULL) != SQLITE_OK)
        return -1;
    char id[STORE_ID_MAX], kind[16], route[ROUTE_CAP];
    for (int n = 0; (max <= 0 || n < max) && sqlite3_step(q) == SQLITE_ROW; n++) {
        snprintf(id, sizeof id, "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(kind, sizeof kind, "%s", (const char *)sqlite3_column_text(q, 1));
        snprintf(route, sizeof route, "item/%s", id);
        visit(t, route);
        visit_places(t, id, kind);
    }
    sqlite3_finalize(q);
    return 0;
}

/* Types text one character at a time, each keystroke searched and drawn. */
static void type_query(headless *hl, const char *text, double *v, int *n, int cap)
{
    for (const char *p = text; *p;) {
        char ch[8] = {0};
        size_t len = utf8_char_len(p);
        memcpy(ch, p, len < sizeof ch ? len : sizeof ch - 1);
        p += len;
        hl->now += 150;
        uint64_t t = platform_now_us();
        ui_text_input(hl->u, ch, hl->now);
        ui_tick(hl->u, hl->now);
        if (ui_dirty(hl->u))
            ui_draw(hl->u);
        if (*n < cap)
            v[(*n)++] = ms_since(t);
    }
    for (size_t i = 0; i < strlen(text); i++) { /* more than enough backspaces */
        hl->now += 100;
        ui_key(hl->u, "backspace", hl->now);
        ui_tick(hl->u, hl->now);
        if (ui_dirty(hl->u))
            ui_draw(hl->u);
    }
}

static void tap_route(headless *hl, const char *name)
{
    float x, y;
    if (ui_locate_route(hl->u, name, &x, &y) == 0)
        headless_tap(hl, x, y);
}

int benchui_rss_child(const char *bundle, int width, int height, int tour_items)
{
    rss_result res = {0};
    char err[512];
    double parts[N_PARTS];
    headless hl;
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    res.base_kb = platform_status_kb("VmHWM");
    if (SDL_Init(0) < 0) {
        fprintf(stderr, "bench: SDL: %s\n", SDL_GetError());
        return 1;
    }
    if (headless_open(&hl, bundle, width, height, parts, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s: %s\n", bundle, err);
        return 1;
    }
    res.first_kb = platform_status_kb("VmHWM");
    uint64_t t0 = platform_now_us();
    int cap = 200000;
    tour t = {.hl = &hl, .nav = malloc((size_t)cap * sizeof(double)), .cap_nav = cap};
    double keys[256];
    int n_keys = 0;
    if (!t.nav)
        return 1;

    visit(&t, "home");
    store_category *cats = calloc(64, sizeof *cats);
    int n_cats = cats ? store_categories(hl.st, ui_lang(hl.u), cats, 64) : 0;
    for (int i = 0; i < n_cats; i++) {
        char route[ROUTE_CAP];
        snprintf(route, sizeof route, "category/%s", cats[i].id);
        visit(&t, route);
    }
    free(cats);
    visit_items(&t, tour_items);
    visit(&t, "search");
    for (int i = 0; i < N_TOUR_QUERIES + N_SYNTH_QUERIES; i++) {
        char q[128];
        if (i < N_TOUR_QUERIES)
            snprintf(q, sizeof q, "%s", tour_queries[i]);
        else
            synth_query(i - N_TOUR_QUERIES, q, sizeof q);
        type_query(&hl, q, keys, &n_keys, 256);
    }
    for (int i = 0; i < 5; i++)
        tap_route(&hl, "@back");
    tap_route(&hl, "@home");
    res.tour_s = ms_since(t0) / 1000.0;
    res.screens = t.screens;
    res.hwm_kb = platform_status_kb("VmHWM");
    res.rss_kb = platform_status_kb("VmRSS");
    res.cache_kb = (long)(render_cache_bytes(hl.r) / 1024);
    struct mallinfo2 mi = mallinfo2();
    res.heap_used_kb = (long)((mi.uordblks + mi.hblkhd) / 1024);
    res.heap_held_kb = (long)((mi.arena + mi.hblkhd) / 1024);
    res.nav = dist_of(t.nav, t.n_nav);
    res.key = dist_of(keys, n_keys);
    printf("rss %ld %ld %ld %ld %ld %ld %ld %d %.3f %.3f %.3f %.3f %.3f %.3f %.3f\n", res.base_kb, res.first_kb,
           res.hwm_kb, res.rss_kb, res.cache_kb, res.heap_used_kb, res.heap_held_kb, res.screens, res.tour_s,
           res.nav.p50, res.nav.p99, res.nav.max, res.key.p50, res.key.p99, res.key.max);
    free(t.nav);
    headless_close(&hl);
    SDL_Quit();
    return 0;
}

/* Runs this program's `ui-rss` in a fresh process so VmHWM is the tour's. */
static int bench_rss(const benchui_options *o, const char *bundle, rss_result *res)
{
    char self[512], w[16], h[16], items[16];
    if (self_exe(self, sizeof self) < 0)
        return -1;
    snprintf(w, sizeof w, "%d", o->width);
    snprintf(h, sizeof h, "%d", o->height);
    snprintf(items, sizeof items, "%d", o->tour_items);
    int fd[2];
    if (pipe(fd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *argv[] = {self, "ui-rss", (char *)bundle, w, h, items, NULL};
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv(self, argv);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    char line[512] = "";
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "rss ", 4))
            break;
    if (f)
        fclose(f);
    int status;
    waitpid(pid, &status, 0);
    if (sscanf(line, "rss %ld %ld %ld %ld %ld %ld %ld %d %lf %lf %lf %lf %lf %lf %lf", &res->base_kb,
               &res->first_kb, &res->hwm_kb, &res->rss_kb, &res->cache_kb, &res->heap_used_kb, &res->heap_held_kb,
               &res->screens, &res->tour_s, &res->nav.p50,
               &res->nav.p99, &res->nav.max, &res->key.p50, &res->key.p99, &res->key.max) != 15)
        return -1;
    res->ok = true;
    return 0;
}

/* ---- 5. idle CPU and wake-ups in a real window under Xvfb ----------------- */

typedef struct {
    const char *label;
    const char *route;   /* --open, or NULL for home */
    bool default_reset;  /* false: --idle-reset 0 */
    int settle_s;
} idle_case;

typedef struct {
    const idle_case *c;
    double cpu_pct;      /* of one core, from schedstat run time */
    double tick_pct;     /* the same from utime+stime (10 ms ticks) */
    double wakeups_s;    /* context switches (all threads) per second */
    int threads;
    char driver[160];    /* the kiosk's own log line about its wait */
    bool ok;
} idle_result;

typedef struct {
    unsigned long long run_ns; /* sum of the threads' run time */
    unsigned long long ticks;  /* utime + stime */
    unsigned long long ctxt;   /* voluntary + nonvoluntary, all threads */
    int threads;
} proc_sample;

/* /proc/<pid>/stat as a string. Returns 0, or -1 when the process is gone. */
static int read_stat(pid_t pid, char *buf, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return 0;
}

static pid_t parent_of(pid_t pid, char *comm, size_t cap)
{
    char buf[512];
    if (read_stat(pid, buf, sizeof buf) < 0)
        return -1;
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    if (!open || !close)
        return -1;
    if (comm)
        snprintf(comm, cap, "%.*s", (int)(close - open - 1), open + 1);
    int ppid = 0;
    char state;
    if (sscanf(close + 2, "%c %d", &state, &ppid) != 2)
        return -1;
    return ppid;
}

/* The kiosk process started (through xvfb-run's shell) under ancestor. */
static pid_t find_kiosk(pid_t ancestor)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t found = -1;
    while (d && (e = readdir(d)) && found < 0) {
        pid_t pid = (pid_t)atoi(e->d_name);
        char comm[64];
        if (pid <= 0 || parent_of(pid, comm, sizeof comm) < 0 || strcmp(comm, "infopoint") != 0)
            continue;
        for (pid_t p = pid; p > 1; p = parent_of(p, NULL, 0))
            if (p == ancestor) {
                found = pid;
                break;
            }
    }
    if (d)
        closedir(d);
    return found;
}

/* Adds one thread's run time and context switches to s. */
static void sample_task(pid_t pid, int tid, proc_sample *s)
{
    char path[128], line[256];
    FILE *f;
    snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", (int)pid, tid);
    if ((f = fopen(path, "r"))) {
        unsigned long long ns;
        if (fscanf(f, "%llu", &ns) == 1)
            s->run_ns += ns;
        fclose(f);
    }
    snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)pid, tid);
    if ((f = fopen(path, "r"))) {
        while (fgets(line, sizeof line, f)) {
            unsigned long long v;
            if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1 ||
                sscanf(line, "nonvoluntary_ctxt_switches: %llu", &v) == 1)
                s->ctxt += v;
        }
        fclose(f);
    }
}

static int sample_proc(pid_t pid, proc_sample *s)
{
    char path[128], buf[1024];
    memset(s, 0, sizeof *s);
    if (read_stat(pid, buf, sizeof buf) < 0)
        return -1;
    char *p = strrchr(buf, ')');
    unsigned long long ut = 0, st = 0;
    /* After "(comm)": state is field 3; utime and stime are fields 14 and 15. */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    s->ticks = ut + st;
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        int tid = atoi(e->d_name);
        if (tid <= 0)
            continue;
        s->threads++;
        sample_task(pid, tid, s);
    }
    if (d)
        closedir(d);
    return 0;
}

static void read_driver_line(const char *log, char *out, size_t cap)
{
    FILE *f = fopen(log, "r");
    char line[512];
    out[0] = '\0';
    while (f && fgets(line, sizeof line, f)) {
        char *p = strstr(line, "video driver");
        if (p) {
            p[strcspn(p, "\n")] = '\0';
            snprintf(out, cap, "%s", p);
        }
    }
    if (f)
        fclose(f);
}

/* Ends what this function started: the kiosk by its pid (SIGTERM stops it
 * cleanly), then xvfb-run cleans up its Xvfb; its group only if it hangs. */
static void stop_xvfb_run(pid_t xvfb_run, pid_t kiosk)
{
    if (kiosk > 0)
        kill(kiosk, SIGTERM);
    for (int i = 0; i < 100; i++) {
        int status;
        if (waitpid(xvfb_run, &status, WNOHANG) == xvfb_run)
            return;
        sleep_ms(50);
    }
    kill(-xvfb_run, SIGKILL);
    waitpid(xvfb_run, NULL, 0);
}

static int bench_idle_case(const benchui_options *o, const char *bundle, const idle_case *c, idle_result *res)
{
    char exe[600], size[32], screen[64], log[64];
    kiosk_exe(exe, sizeof exe);
    snprintf(size, sizeof size, "%dx%d", o->width, o->height);
    snprintf(screen, sizeof screen, "-screen 0 %dx%dx24", o->width, o->height);
    snprintf(log, sizeof log, "/tmp/infopoint-bench-idle-%d.log", (int)getpid());
    char *argv[16];
    int a = 0;
    argv[a++] = "xvfb-run";
    argv[a++] = "-a";
    argv[a++] = "-s";
    argv[a++] = screen;
    argv[a++] = exe;
    argv[a++] = "--windowed";
    argv[a++] = "--size";
    argv[a++] = size;
    argv[a++] = "--bundle";
    argv[a++] = (char *)bundle;
    if (!c->default_reset) {
        argv[a++] = "--idle-reset";
        argv[a++] = "0";
    }
    if (c->route) {
        argv[a++] = "--open";
        argv[a++] = (char *)c->route;
    }
    argv[a] = NULL;
    char **env = env_with_driver("x11");
    if (!env)
        return -1;
    res->c = c;
    pid_t pid = fork();
    if (pid < 0) {
        free(env);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        environ = env;
        execvp("xvfb-run", argv);
        _exit(127);
    }
    free(env);
    pid_t kiosk = -1;
    for (int i = 0; i < 300 && kiosk < 0; i++) {
        sleep_ms(50);
        kiosk = find_kiosk(pid);
    }
    if (kiosk < 0) {
        fprintf(stderr, "bench: the kiosk did not start under xvfb-run (see %s)\n", log);
        stop_xvfb_run(pid, -1);
        return -1;
    }
    sleep_ms(c->settle_s * 1000L);
    proc_sample s0, s1;
    uint64_t t0 = platform_now_us();
    int ok = sample_proc(kiosk, &s0);
    sleep_ms(o->idle_s * 1000L);
    double secs = (double)(platform_now_us() - t0) / 1e6;
    ok |= sample_proc(kiosk, &s1);
    read_driver_line(log, res->driver, sizeof res->driver);
    stop_xvfb_run(pid, kiosk);
    unlink(log);
    if (ok < 0) {
        fprintf(stderr, "bench: the kiosk exited during the idle measurement\n");
        return -1;
    }
    res->cpu_pct = (double)(s1.run_ns - s0.run_ns) / 1e9 / secs * 100.0;
    res->tick_pct = (double)(s1.ticks - s0.ticks) / (double)sysconf(_SC_CLK_TCK) / secs * 100.0;
    res->wakeups_s = (double)(s1.ctxt - s0.ctxt) / secs;
    res->threads = s1.threads;
    res->ok = true;
    return 0;
}

/* ---- the report ---------------------------------------------------------- */

typedef struct {
    const char *bundle;
    startup_result start;
    frames_result frames;
    scroll_result scroll;
    rss_result rss;
} bundle_result;

static void row_label(const char *label)
{
    printf("  %-44s", label);
}

static void cell(bool ok, const char *fmt, double v)
{
    char buf[48];
    if (ok)
        snprintf(buf, sizeof buf, fmt, v);
    else
        snprintf(buf, sizeof buf, "-");
    printf(" %18s", buf);
}

/* Figure against a "lower is better" target: "0.42x". */
static void target(const char *text, const bundle_result *b, int nb, double (*get)(const bundle_result *),
                   bool (*has)(const bundle_result *), double goal)
{
    printf("   %-12s", text);
    for (int i = 0; i < nb; i++)
        if (has(&b[i]))
            printf(" %5.2fx", get(&b[i]) / goal);
    printf("\n");
}

#define FIGURE(name, okexpr, valexpr)                                                                      \
    static bool has_##name(const bundle_result *b) { return (okexpr); }                                   \
    static double get_##name(const bundle_result *b) { return (valexpr); }

FIGURE(spawn50, b->start.ok, b->start.wall.p50)
FIGURE(spawn90, b->start.ok, b->start.wall.p90)
FIGURE(inproc50, b->start.ok, b->start.inproc.p50)
FIGURE(frame50, b->frames.ok, b->frames.all.p50)
FIGURE(frame99, b->frames.ok, b->frames.all.p99)
FIGURE(scroll50, b->scroll.ok, b->scroll.frames.p50)
FIGURE(scroll99, b->scroll.ok, b->scroll.frames.p99)
FIGURE(hwm, b->rss.ok, (double)b->rss.hwm_kb / 1024.0)

static void line(const char *label, const bundle_result *b, int nb, const char *fmt, bool (*has)(const bundle_result *),
                 double (*get)(const bundle_result *), const char *tgt, double goal)
{
    row_label(label);
    for (int i = 0; i < nb; i++)
        cell(has(&b[i]), fmt, has(&b[i]) ? get(&b[i]) : 0);
    if (tgt)
        target(tgt, b, nb, get, has, goal);
    else
        printf("\n");
}

/* The text of one bundle's cell in a row without a target; false when the
 * figure is missing (shown "-"). k is the reader route or start-up part of
 * the rows that have one per route or part. */
typedef bool (*cell_fn)(const bundle_result *b, int k, char *buf, size_t cap);

#define CELL(name, okexpr, ...)                                                                            \
    static bool cell_##name(const bundle_result *b, int k, char *buf, size_t cap)                          \
    {                                                                                                      \
        (void)k;                                                                                           \
        return (okexpr) && snprintf(buf, cap, __VA_ARGS__) >= 0;                                           \
    }

CELL(first_spawn, b->start.ok, "%.1f ms", b->start.first_ms)
CELL(png, b->start.ok, "%.1f ms", b->start.png_ms)
CELL(spawn_rss, b->start.ok, "%.1f MB", (double)b->start.maxrss_kb / 1024.0)
CELL(inproc_first, b->start.ok, "%.1f ms", b->start.inproc.first)
CELL(part, b->start.ok, "%.2f ms", b->start.parts[k])
CELL(frame_cpu, b->frames.ok, "%.2f/%.2f ms", b->frames.all_cpu.p50, b->frames.all_cpu.p99)
CELL(route, b->frames.routes[k].present, "%.2f/%.2f ms", b->frames.routes[k].frames.p50,
     b->frames.routes[k].frames.p99)
CELL(route_nav, b->frames.routes[k].present, "%.1f+%.1f ms", b->frames.routes[k].nav_ms, b->frames.routes[k].cold_ms)
CELL(list, b->frames.list.present, "%.1f/%.1f ms", b->frames.list.frames.p50, b->frames.list.frames.p99)
CELL(list_open, b->frames.list_open.n > 0, "%.2f/%.2f ms", b->frames.list_open.p50, b->frames.list_open.p99)
CELL(flings, b->scroll.ok, "%d x %.0f", b->scroll.flings, b->scroll.per_fling)
CELL(scroll_max, b->scroll.ok, "%.2f ms", b->scroll.frames.max)
CELL(scroll_cpu, b->scroll.ok, "%.2f/%.2f ms", b->scroll.frames_cpu.p50, b->scroll.frames_cpu.p99)
CELL(rss_first, b->rss.ok, "%.1f / %.1f MB", b->rss.base_kb / 1024.0, b->rss.first_kb / 1024.0)
CELL(rss_end, b->rss.ok, "%.1f / %.1f MB", b->rss.rss_kb / 1024.0, b->rss.cache_kb / 1024.0)
CELL(heap, b->rss.ok, "%.1f / %.1f MB", b->rss.heap_used_kb / 1024.0, b->rss.heap_held_kb / 1024.0)
CELL(screens, b->rss.ok, "%d (%.0f s)", b->rss.screens, b->rss.tour_s)
CELL(tap, b->rss.ok, "%.1f/%.1f ms", b->rss.nav.p50, b->rss.nav.p99)
CELL(keystroke, b->rss.ok, "%.1f/%.1f ms", b->rss.key.p50, b->rss.key.p99)

/* One cell per bundle, no label, no line end. */
static void cells(const bundle_result *b, int nb, int k, cell_fn fn)
{
    for (int i = 0; i < nb; i++) {
        char buf[48];
        if (!fn(&b[i], k, buf, sizeof buf))
            snprintf(buf, sizeof buf, "-");
        printf(" %18s", buf);
    }
}

static void row(const char *label, const bundle_result *b, int nb, int k, cell_fn fn)
{
    row_label(label);
    cells(b, nb, k, fn);
    printf("\n");
}

/* A name (bundle, route) in a cell, cut to the column. */
static void name_cell(const char *name)
{
    printf(" %18.18s", name);
}

/* The 1-minute load average, to judge how noisy a run was. */
static double load_avg(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

static void print_header(const benchui_options *o, const bundle_result *b, int nb, double load0)
{
    printf("\ninfopoint-bench ui: %dx%d, software renderer (SDL_VIDEODRIVER=dummy), %ld CPUs, "
           "load average %.2f at start, %.2f at end\n",
           o->width, o->height, sysconf(_SC_NPROCESSORS_ONLN), load0, load_avg());
    row_label("");
    for (int i = 0; i < nb; i++)
        name_cell(base_name(b[i].bundle));
    printf("   target       ratio\n");
}

static void print_startup(const bundle_result *b, int nb)
{
    line("start: spawned --screenshot, p50", b, nb, "%.1f ms", has_spawn50, get_spawn50, "< 200 ms", TARGET_START_MS);
    line("start: spawned --screenshot, p90", b, nb, "%.1f ms", has_spawn90, get_spawn90, "< 200 ms", TARGET_START_MS);
    row("  (first spawn, not counted)", b, nb, 0, cell_first_spawn);
    row("  (PNG encode inside the spawned time)", b, nb, 0, cell_png);
    row("  (peak RSS of the screenshot process)", b, nb, 0, cell_spawn_rss);
    line("start: in process to first frame, p50", b, nb, "%.1f ms", has_inproc50, get_inproc50, "< 200 ms",
         TARGET_START_MS);
    row("  (first in-process run)", b, nb, 0, cell_inproc_first);
    for (int k = 0; k < N_PARTS; k++) {
        char label[64];
        snprintf(label, sizeof label, "  %s, p50", part_names[k]);
        row(label, b, nb, k, cell_part);
    }
}

static void print_frames(const bundle_result *b, int nb)
{
    line("reader full frame, p50 (all routes)", b, nb, "%.2f ms", has_frame50, get_frame50, NULL, 0);
    line("reader full frame, p99 (all routes)", b, nb, "%.2f ms", has_frame99, get_frame99, "p99 < 8 ms",
         TARGET_FRAME_P99_MS);
    row("  thread CPU time p50/p99 (all routes)", b, nb, 0, cell_frame_cpu);
    for (int k = 0; k < N_READER_ROUTES; k++) {
        char label[96];
        snprintf(label, sizeof label, "  %s p50/p99", reader_routes[k]);
        row(label, b, nb, k, cell_route);
        row("    navigate + first (cold) draw", b, nb, k, cell_route_nav);
    }
    row_label("category list full frame p50/p99");
    cells(b, nb, 0, cell_list);
    printf("   (no target; largest category)\n");
    row_label("  open from home p50/p99 (navigate+draw)");
    cells(b, nb, 0, cell_list_open);
    printf("\n");
    row_label("  route");
    for (int i = 0; i < nb; i++)
        name_cell(b[i].frames.list.present ? b[i].frames.list_route : "-");
    printf("\n");
}

static void print_scroll(const bundle_result *b, int nb)
{
    row_label("kinetic scroll: page");
    for (int i = 0; i < nb; i++)
        name_cell(b[i].scroll.ok ? b[i].scroll.route : "-");
    printf("\n");
    row("  flings x frames per fling", b, nb, 0, cell_flings);
    line("kinetic scroll frame, p50", b, nb, "%.2f ms", has_scroll50, get_scroll50, NULL, 0);
    line("kinetic scroll frame, p99", b, nb, "%.2f ms", has_scroll99, get_scroll99, "p99 < 8 ms",
         TARGET_FRAME_P99_MS);
    row("  max", b, nb, 0, cell_scroll_max);
    row("  thread CPU time p50/p99", b, nb, 0, cell_scroll_cpu);
}

static void print_memory(const bundle_result *b, int nb)
{
    static const struct {
        const char *label;
        cell_fn cell;
    } rows[] = {
        {"  VmHWM before SDL / after first frame", cell_rss_first},
        {"  VmRSS at the end / caches held", cell_rss_end},
        {"  malloc in use / held from the system", cell_heap},
        {"  screens visited (tour time)", cell_screens},
        {"  tap to new screen p50/p99 (navigate+draw)", cell_tap},
        {"  search keystroke p50/p99 (search+draw)", cell_keystroke},
    };
    line("peak RSS (VmHWM) after every screen", b, nb, "%.1f MB", has_hwm, get_hwm, "< 40 MB", TARGET_RSS_MB);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
        row(rows[r].label, b, nb, 0, rows[r].cell);
}

static void print_idle(const benchui_options *o, const char *bundle, const idle_result *idle, int ni)
{
    printf("\nidle in a real window (xvfb-run, SDL_VIDEODRIVER=x11, %dx%d, %s), %d s after settling; "
           "kiosk process only (not Xvfb):\n",
           o->width, o->height, base_name(bundle), o->idle_s);
    printf("  %-58s %10s %10s %8s   targets: CPU < 0.5 %%, < 5 wakeups/s\n", "screen", "CPU", "wakeups/s",
           "threads");
    for (int i = 0; i < ni; i++) {
        if (!idle[i].ok) {
            printf("  %-58s %10s\n", idle[i].c ? idle[i].c->label : "?", "failed");
            continue;
        }
        char cpu[32];
        snprintf(cpu, sizeof cpu, "%.3f %%", idle[i].cpu_pct);
        printf("  %-58s %10s %10.2f %8d   (%.2fx, %.2fx; ticks %.2f %%)\n", idle[i].c->label, cpu,
               idle[i].wakeups_s, idle[i].threads, idle[i].cpu_pct / TARGET_IDLE_CPU_PCT,
               idle[i].wakeups_s / TARGET_WAKEUPS_S, idle[i].tick_pct);
    }
    for (int i = 0; i < ni; i++)
        if (idle[i].ok && idle[i].driver[0]) {
            printf("  kiosk log: %s\n", idle[i].driver);
            break;
        }
}

static void print_report(const benchui_options *o, const bundle_result *b, int nb, const idle_result *idle, int ni,
                         double load0)
{
    print_header(o, b, nb, load0);
    print_startup(b, nb);
    print_frames(b, nb);
    print_scroll(b, nb);
    print_memory(b, nb);
    if (ni > 0)
        print_idle(o, b[0].bundle, idle, ni);
    printf("\nNo pass/fail: machines are noisy; compare medians, repeat when a figure is near its target.\n");
}

/* ---- driver -------------------------------------------------------------- */

benchui_options benchui_options_default(void)
{
    benchui_options o = {.frames = 300, .runs = 20, .width = 1920, .height = 1080, .idle_s = 10, .attract = true};
    return o;
}

static int bench_bundle(const benchui_options *o, bundle_result *b)
{
    char err[512];
    double parts[N_PARTS];
    headless hl;
    fprintf(stderr, "bench: %s: start-up (%d spawns, %d in process)...\n", b->bundle, o->runs + 1, o->runs);
    if (bench_startup(o, b->bundle, &b->start) < 0)
        return -1;
    if (headless_open(&hl, b->bundle, o->width, o->height, parts, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s: %s\n", b->bundle, err);
        return -1;
    }
    fprintf(stderr, "bench: %s: reader frames and kinetic scroll...\n", b->bundle);
    int rc = bench_frames(&hl, o->frames, &b->frames);
    if (rc == 0)
        rc = bench_scroll(&hl, o->frames, &b->scroll);
    headless_close(&hl);
    if (rc < 0)
        return -1;
    fprintf(stderr, "bench: %s: every screen, for peak RSS...\n", b->bundle);
    if (bench_rss(o, b->bundle, &b->rss) < 0)
        fprintf(stderr, "bench: %s: the RSS tour failed\n", b->bundle);
    return 0;
}

int benchui_run(const benchui_options *o)
{
    static const idle_case cases[] = {
        {"home, right after start, --idle-reset 0", NULL, false, 3},
        {"home, right after start, default idle reset (90 s)", NULL, true, 3},
        {"reader item/commission-session, --idle-reset 0", "item/commission-session", false, 3},
        {"reader item/commission-session, default idle reset", "item/commission-session", true, 3},
        {"home in attract mode (from 32 s; cards cycle every 8 s)", NULL, true, 32},
    };
    bundle_result b[BENCHUI_MAX_BUNDLES];
    idle_result idle[sizeof cases / sizeof cases[0]];
    int nb = o->n_bundles > 0 ? o->n_bundles : 1, ni = 0;
    memset(b, 0, sizeof b);
    memset(idle, 0, sizeof idle);
    double load0 = load_avg();
    /* Explicit, so no display is ever touched by the headless parts. */
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(0) < 0) {
        fprintf(stderr, "bench: SDL: %s\n", SDL_GetError());
        return 1;
    }
    for (int i = 0; i < nb; i++) {
        b[i].bundle = o->n_bundles > 0 ? o->bundles[i] : INFOPOINT_SAMPLE_BUNDLE;
        if (!platform_is_file(b[i].bundle)) {
            fprintf(stderr, "bench: no bundle %s\n", b[i].bundle);
            SDL_Quit();
            return 1;
        }
        if (bench_bundle(o, &b[i]) < 0) {
            SDL_Quit();
            return 1;
        }
    }
    SDL_Quit();
    if (o->idle_s > 0) {
        char err[512];
        store *st = store_open(b[0].bundle, NULL, err, sizeof err);
        bool has_reader = st && store_resolve(st, "commission-session", NULL) == 1;
        store_close(st);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            if ((cases[i].route && !has_reader) || (cases[i].settle_s > 3 && !o->attract))
                continue;
            fprintf(stderr, "bench: idle under Xvfb: %s (%d s)...\n", cases[i].label,
                    cases[i].settle_s + o->idle_s);
            bench_idle_case(o, b[0].bundle, &cases[i], &idle[ni]);
            idle[ni].c = &cases[i];
            ni++;
        }
    }
    print_report(o, b, nb, idle, ni, load0);
    return 0;
}
