#include "bgindex.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { B_INDEX, B_HEADS, B__COUNT };

/* The same rows indexer.c wrote into the bundle before this thread. */
static const char *const bg_sql[B__COUNT] = {
    [B_INDEX] = "INSERT INTO search_index(rowid, title, keywords, context, body, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [B_HEADS] = "INSERT INTO search_heads(rowid, title, keywords, lang) VALUES (?1, ?2, ?3, ?4)",
};

/* The full-text tables, in the order their definitions are read. */
static const char tables_sql[] =
    "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name IN ('search_index', 'search_heads') ORDER BY name";

/* One unit's rows: five strings one after the other in text. */
typedef struct {
    sqlite3_int64 id;
    size_t off[5];      /* title, keywords, context, body, lang */
    char text[];
} bg_unit;

struct bgindex {
    sqlite3 *db;                /* the scratch database: the thread's until joined */
    sqlite3_stmt *st[B__COUNT];
    char *path;
    pthread_t thread;
    int started;
    pthread_mutex_t lock;       /* guards the fields below */
    pthread_cond_t changed;     /* the queue is half full or half empty for the side that waits, or the end came */
    bg_unit *queue[BGINDEX_QUEUE];
    size_t head, count;
    int taker_waits;            /* the thread sleeps on an empty queue */
    int putter_waits;           /* the build sleeps on a full one */
    int ended;                  /* no more units will come */
    int stop;                   /* bgindex_free: drop what is queued */
    int failed;                 /* the thread met an error: err says it */
    char err[300];
};

static void set_failed(bgindex *g, const char *what)
{
    pthread_mutex_lock(&g->lock);
    if (!g->failed)
        snprintf(g->err, sizeof g->err, "%s: %s", what, sqlite3_errmsg(g->db));
    g->failed = 1;
    pthread_mutex_unlock(&g->lock);
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int insert_unit(bgindex *g, const bg_unit *u)
{
    sqlite3_stmt *st = g->st[B_INDEX];
    sqlite3_bind_int64(st, 1, u->id);
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 2, u->text + u->off[i], -1, SQLITE_STATIC);
    if (step_done(st) < 0)
        return -1;
    st = g->st[B_HEADS];
    sqlite3_bind_int64(st, 1, u->id);
    sqlite3_bind_text(st, 2, u->text + u->off[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, u->text + u->off[1], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, u->text + u->off[4], -1, SQLITE_STATIC);
    return step_done(st);
}

/* A side that waits is woken only once the queue is half full (the
 * thread) or half empty (the build), not for each unit: woken at once,
 * the two took turns unit by unit, a futex wait and wake each time
 * (10,000 items: 46,809 futex calls). */
#define BG_HALF (BGINDEX_QUEUE / 2)

/* The next unit, or NULL at the end. */
static bg_unit *take(bgindex *g)
{
    pthread_mutex_lock(&g->lock);
    while (!g->count && !g->ended && !g->stop) {
        g->taker_waits = 1;
        pthread_cond_wait(&g->changed, &g->lock);
    }
    bg_unit *u = NULL;
    if (g->count && !g->stop) {
        u = g->queue[g->head];
        g->head = (g->head + 1) % BGINDEX_QUEUE;
        g->count--;
        if (g->putter_waits && g->count <= BG_HALF) {
            g->putter_waits = 0;
            pthread_cond_broadcast(&g->changed);
        }
    }
    pthread_mutex_unlock(&g->lock);
    return u;
}

static int failed(bgindex *g)
{
    pthread_mutex_lock(&g->lock);
    int f = g->failed;
    pthread_mutex_unlock(&g->lock);
    return f;
}

/* The thread: inserts every unit in turn, then merges each index into one
 * segment (what builder_finish did in the bundle). After an error it only
 * takes units off the queue, so the build never waits on it. */
static void *run(void *arg)
{
    bgindex *g = arg;
    bg_unit *u;
    while ((u = take(g))) {
        if (!failed(g) && insert_unit(g, u) < 0)
            set_failed(g, "search index");
        free(u);
    }
    pthread_mutex_lock(&g->lock);
    int go_on = !g->stop && !g->failed;
    pthread_mutex_unlock(&g->lock);
    if (go_on && sqlite3_exec(g->db,
                              "INSERT INTO search_index(search_index) VALUES('optimize');"
                              "INSERT INTO search_heads(search_heads) VALUES('optimize');"
                              "COMMIT",
                              NULL, NULL, NULL) != SQLITE_OK)
        set_failed(g, "search index merge");
    return NULL;
}

/* Creates the scratch database with the bundle's full-text tables. */
static int open_scratch(bgindex *g, sqlite3 *bundle)
{
    char pragmas[200];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -%d;"
             "PRAGMA temp_store = FILE; PRAGMA locking_mode = EXCLUSIVE; BEGIN",
             BGINDEX_CACHE_KIB);
    if (sqlite3_open_v2(g->path, &g->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
        sqlite3_exec(g->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(bundle, tables_sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int n = 0, rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        rc = sqlite3_exec(g->db, (const char *)sqlite3_column_text(st, 0), NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
        n++;
    }
    sqlite3_finalize(st);
    if (rc < 0 || n != B__COUNT)
        return -1;
    for (int i = 0; i < B__COUNT; i++)
        if (sqlite3_prepare_v2(g->db, bg_sql[i], -1, &g->st[i], NULL) != SQLITE_OK)
            return -1;
    return 0;
}

bgindex *bgindex_start(sqlite3 *db, char *err, size_t errcap)
{
    err[0] = '\0';
    const char *file = sqlite3_db_filename(db, "main");
    if (!file || !file[0])
        return NULL;
    bgindex *g = calloc(1, sizeof *g);
    size_t n = strlen(file) + sizeof BGINDEX_SUFFIX;
    if (!g || !(g->path = malloc(n))) {
        free(g);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    snprintf(g->path, n, "%s" BGINDEX_SUFFIX, file);
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->changed, NULL);
    unlink(g->path); /* a stale one from a build that died */
    if (open_scratch(g, db) < 0) {
        snprintf(err, errcap, "search index scratch %s: %s", g->path,
                 g->db ? sqlite3_errmsg(g->db) : "out of memory");
        goto fail;
    }
    if (pthread_create(&g->thread, NULL, run, g) != 0) {
        snprintf(err, errcap, "cannot start the search index thread");
        goto fail;
    }
    g->started = 1;
    return g;
fail:
    bgindex_free(g);
    return NULL;
}

int bgindex_put(bgindex *g, sqlite3_int64 id, const char *title, const char *keywords, const char *context,
                const char *body, const char *lang)
{
    const char *s[5] = {title, keywords, context, body, lang};
    size_t len[5], total = 0;
    for (int i = 0; i < 5; i++)
        total += (len[i] = strlen(s[i])) + 1;
    bg_unit *u = malloc(sizeof *u + total);
    if (!u)
        return -1;
    u->id = id;
    for (int i = 0, o = 0; i < 5; o += (int)len[i++] + 1) {
        u->off[i] = (size_t)o;
        memcpy(u->text + o, s[i], len[i] + 1);
    }
    pthread_mutex_lock(&g->lock);
    while (g->count == BGINDEX_QUEUE && !g->failed) {
        g->putter_waits = 1;
        pthread_cond_wait(&g->changed, &g->lock);
    }
    int ok = !g->failed;
    if (ok) {
        g->queue[(g->head + g->count) % BGINDEX_QUEUE] = u;
        g->count++;
        if (g->taker_waits && g->count >= BG_HALF) {
            g->taker_waits = 0;
            pthread_cond_broadcast(&g->changed);
        }
    }
    pthread_mutex_unlock(&g->lock);
    if (!ok)
        free(u);
    return ok ? 0 : -1;
}

void bgindex_error(bgindex *g, char *err, size_t errcap)
{
    pthread_mutex_lock(&g->lock);
    snprintf(err, errcap, "%s", g->failed ? g->err : "out of memory");
    pthread_mutex_unlock(&g->lock);
}

void bgindex_end(bgindex *g)
{
    pthread_mutex_lock(&g->lock);
    g->ended = 1;
    pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}

/* Empties one table of the bundle (FTS5 wrote its first rows there when
 * the schema was made) and fills it from the scratch database's table of
 * that name, attached as "bgindex". "INSERT INTO t SELECT * FROM u" of
 * tables alike is SQLite's transfer optimisation: records are copied as
 * they are, in key order, not decoded and bound again one value at a time
 * (100,000 items: the copy row by row took 5.1 s, with the other thread
 * done and idle; BENCHMARKS.md, issue 12). */
static int copy_table(sqlite3 *db, const char *table)
{
    char *sql = sqlite3_mprintf("DELETE FROM main.\"%w\"; INSERT INTO main.\"%w\" SELECT * FROM bgindex.\"%w\"",
                                table, table, table);
    int rc = sql && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    sqlite3_free(sql);
    return rc;
}

/* Every table behind the two full-text tables (their _data, _idx,
 * _docsize and _config), named as the scratch database has them. The
 * reason is kept when a copy fails (a full disk): finalizing the listing
 * afterwards would leave "not an error" as the connection's message. */
static int copy_each_table(sqlite3 *db, char *err, size_t errcap)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT name FROM bgindex.sqlite_schema WHERE type = 'table' "
                                "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
                                -1, &st, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        if ((rc = copy_table(db, table)) < 0)
            snprintf(err, errcap, "search index copy (%s): %s", table, sqlite3_errmsg(db));
    }
    if (rc < 0 && !err[0])
        snprintf(err, errcap, "search index copy: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

/* The scratch database's connection, closed: it holds its file locked
 * (locking_mode EXCLUSIVE) until then. */
static void close_scratch(bgindex *g)
{
    for (int i = 0; i < B__COUNT; i++) {
        sqlite3_finalize(g->st[i]);
        g->st[i] = NULL;
    }
    sqlite3_close(g->db);
    g->db = NULL;
}

/* Copies the tables in db's open transaction, which a database attached in
 * it outlives: it can only be detached once the transaction has ended. So
 * the transaction is committed after the copy and a new one begun. A build
 * writes a new file with no journal that is thrown away unless it
 * finishes (builder.h), so nobody sees the two transactions apart. */
static int copy_tables(bgindex *g, sqlite3 *db, char *err, size_t errcap)
{
    close_scratch(g);
    char *attach = sqlite3_mprintf("ATTACH %Q AS bgindex", g->path);
    err[0] = '\0';
    int rc = attach && sqlite3_exec(db, attach, NULL, NULL, NULL) == SQLITE_OK &&
                     copy_each_table(db, err, errcap) == 0 &&
                     sqlite3_exec(db, "COMMIT; DETACH bgindex; BEGIN", NULL, NULL, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    sqlite3_free(attach);
    if (rc < 0 && !err[0])
        snprintf(err, errcap, "search index copy: %s", sqlite3_errmsg(db));
    return rc;
}

int bgindex_finish(bgindex *g, sqlite3 *db, char *err, size_t errcap)
{
    bgindex_end(g);
    pthread_join(g->thread, NULL);
    g->started = 0;
    int rc = -1;
    if (g->failed)
        snprintf(err, errcap, "%s", g->err);
    else
        rc = copy_tables(g, db, err, errcap);
    bgindex_free(g);
    return rc;
}

void bgindex_free(bgindex *g)
{
    if (!g)
        return;
    if (g->started) {
        pthread_mutex_lock(&g->lock);
        g->stop = 1;
        pthread_cond_broadcast(&g->changed);
        pthread_mutex_unlock(&g->lock);
        pthread_join(g->thread, NULL);
    }
    /* Units a stopped thread left behind. */
    for (; g->count; g->count--, g->head = (g->head + 1) % BGINDEX_QUEUE)
        free(g->queue[g->head]);
    close_scratch(g);
    if (g->path)
        unlink(g->path);
    free(g->path);
    pthread_cond_destroy(&g->changed);
    pthread_mutex_destroy(&g->lock);
    free(g);
}
