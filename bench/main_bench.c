/* infopoint-bench — speed and memory figures for BENCHMARKS.md.
 *
 *   infopoint-bench store [--items N] [--rounds R] [--keep DIR [--reuse]]
 *   infopoint-bench ui [--bundle FILE]... [--frames N] [--runs N] [--size WxH]
 *                      [--idle-seconds S] [--no-attract] [--tour-items N]
 *   infopoint-bench sync [--items N] [--runs R] [--full-runs F] [--keep DIR]
 *   infopoint-bench synth DIR N        only write the synthetic content folder
 *   infopoint-bench scrub BUNDLE [--duty PCT] [--runs R]
 *
 * sync: full, no-change and incremental syncs of the synthetic bundle from a
 * real nginx on 127.0.0.1 (see benchsync.h).
 *
 * ui: start-up, frame times, kinetic scrolling, peak RSS and idle cost of the
 * kiosk (see benchui.h). Each --bundle adds a column; none: the sample bundle.
 *
 * scrub: the background scrub of one bundle (scrub.h) at a duty cycle
 * (default SCRUB_DUTY_PCT), against the digest in its meta table: wall and
 * CPU time per run and the share of one core, medians of R runs.
 *
 * store: writes a synthetic content folder (N items × kk/ru/en, realistic
 * lengths), builds it with the real content tool code, then measures the
 * bundle's open time and store_find per shape of query (1, 2, 3+ letters,
 * whole words, corrections), R rounds. Medians and p99 are printed, of wall
 * time and of the thread's CPU time; machines are noisy, so compare medians,
 * and read the CPU p99 as what a quiet kiosk would see. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "benchspeech.h"
#include "benchsync.h"
#include "benchui.h"
#include "scrub.h"
#include "bundle.h"
#include "platform.h"
#include "srcdir.h"
#include "store.h"
#include "synth.h"

#define BENCH_OPENS 200

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Percentile (0..100) of n samples, sorted in place. */
static double percentile(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* CPU time of this thread: what a query costs when nothing else runs.
 * Wall time on the shared build machine also counts the slices other
 * processes took, which is most of its p99 (see BENCHMARKS.md). */
static uint64_t thread_cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static double ms_since(uint64_t t0)
{
    return (double)(platform_now_us() - t0) / 1000.0;
}

static int build(const char *src, const char *out, double *ms)
{
    char digest[DIGEST_HEX_LEN + 1], err[512];
    uint64_t t0 = platform_now_us();
    srcdir *sd = srcdir_open(src);
    int rc = sd ? bundle_build(sd, out, digest, err, sizeof err) : -1;
    if (!sd || sd->n_errors > 0) {
        fprintf(stderr, "bench: the synthetic content has errors\n");
        srcdir_free(sd);
        return -1;
    }
    srcdir_free(sd);
    *ms = ms_since(t0);
    if (rc < 0)
        fprintf(stderr, "bench: build failed: %s\n", err);
    return rc;
}

/* Where a run keeps its files: a temporary folder, or --keep DIR (reused,
 * so a second run skips writing the source). */
typedef struct {
    char dir[512], src[600], bundle[600];
    int temporary;
} bench_files;

static int prepare_files(int items, const char *keep, bench_files *f)
{
    char err[512];
    if (keep) {
        snprintf(f->dir, sizeof f->dir, "%s", keep);
        mkdir(f->dir, 0755);
    } else {
        snprintf(f->dir, sizeof f->dir, "/tmp/infopoint-bench-XXXXXX");
        if (!mkdtemp(f->dir)) {
            perror("mkdtemp");
            return -1;
        }
        f->temporary = 1;
    }
    snprintf(f->src, sizeof f->src, "%s/src", f->dir);
    snprintf(f->bundle, sizeof f->bundle, "%s/synthetic.ipb", f->dir);
    if (platform_is_dir(f->src))
        return 0;
    uint64_t t0 = platform_now_us();
    if (synth_write_source(f->src, items, 42, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        return -1;
    }
    printf("synthetic source: %d items x 3 languages written in %.0f ms\n", items, ms_since(t0));
    return 0;
}

static void remove_files(const bench_files *f)
{
    if (!f->temporary)
        return;
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", f->dir);
}

/* Builds the bundle and says how long it took and how big it is, with the
 * share of the unit index (db/schema.sql, schema 2) in the file. */
static int step_build(const bench_files *f)
{
    double build_ms;
    if (build(f->src, f->bundle, &build_ms) < 0)
        return -1;
    struct stat st;
    stat(f->bundle, &st);
    printf("build:  %.0f ms (read + check + write, one run), bundle %.1f MB\n", build_ms, (double)st.st_size / 1e6);
    return 0;
}

static int step_open(const char *bundle)
{
    char err[512];
    double opens[BENCH_OPENS];
    for (int i = 0; i < BENCH_OPENS; i++) {
        uint64_t t0 = platform_now_us();
        store *s = store_open(bundle, NULL, err, sizeof err);
        opens[i] = ms_since(t0);
        if (!s) {
            fprintf(stderr, "bench: open: %s\n", err);
            return -1;
        }
        store_close(s);
    }
    double o50 = percentile(opens, BENCH_OPENS, 50), o99 = percentile(opens, BENCH_OPENS, 99);
    printf("open:   p50 %.3f ms, p99 %.3f ms (%d opens, page cache warm)\n", o50, o99, BENCH_OPENS);
    return 0;
}

#define BENCH_SHAPE_QUERIES 60
#define BENCH_FIND_MAX 30

/* store_find per shape of query (1, 2, 3+ letters, whole words,
 * corrections): p50, p99 and max over rounds x 60 queries, 30 results with
 * snippets each; and the slowest query of all. */
static void step_find(store *s, int rounds)
{
    size_t n = (size_t)rounds * BENCH_SHAPE_QUERIES;
    double *lat = malloc(n * sizeof *lat);
    double *cpu = malloc(n * sizeof *cpu);
    store_result *res = malloc(BENCH_FIND_MAX * sizeof *res);
    double slow_ms = 0;
    char slow[160] = "";
    if (!lat || !cpu || !res)
        goto done;
    printf("store_find          p50 ms   p99 ms   max ms   results  corrected   cpu p50  cpu p99\n");
    for (int shape = 0; shape < SYNTH_Q__COUNT; shape++) {
        long got = 0;
        int corrected = 0;
        for (int r = 0; r < rounds; r++) {
            for (int q = 0; q < BENCH_SHAPE_QUERIES; q++) {
                char text[128];
                store_find_info info;
                const char *lang = synth_query_shaped((synth_shape)shape, q, text, sizeof text);
                uint64_t t0 = platform_now_us(), c0 = thread_cpu_us();
                int k = store_find(s, text, lang, 0, res, BENCH_FIND_MAX, &info);
                double ms = ms_since(t0);
                size_t at = (size_t)r * BENCH_SHAPE_QUERIES + (size_t)q;
                lat[at] = ms;
                cpu[at] = (double)(thread_cpu_us() - c0) / 1000.0;
                if (ms > slow_ms) {
                    slow_ms = ms;
                    snprintf(slow, sizeof slow, "%s '%s'", lang, text);
                }
                if (r == 0) {
                    got += k;
                    corrected += info.corrected[0] != 0;
                }
            }
        }
        double p50 = percentile(lat, n, 50), p99 = percentile(lat, n, 99), max = lat[n - 1];
        double c50 = percentile(cpu, n, 50), c99 = percentile(cpu, n, 99);
        printf("  %-14s %8.3f %8.3f %8.3f %9.1f %10d  %8.3f %8.3f\n", synth_shape_name((synth_shape)shape), p50, p99,
               max, (double)got / BENCH_SHAPE_QUERIES, corrected, c50, c99);
    }
    printf("  slowest: %s %.3f ms (%d queries x %d rounds per shape)\n", slow, slow_ms, BENCH_SHAPE_QUERIES, rounds);
done:
    free(res);
    free(cpu);
    free(lat);
}

/* reuse: with --keep, search the bundle built by an earlier run instead of
 * building it again (a 100,000-item build takes minutes). */
static int bench_store(int items, int rounds, const char *keep, int reuse)
{
    bench_files f = {0};
    char err[512];
    int rc = 1;
    if (prepare_files(items, keep, &f) < 0)
        goto done;
    if (reuse && platform_is_file(f.bundle))
        printf("build:  skipped (--reuse: %s)\n", f.bundle);
    else if (step_build(&f) < 0)
        goto done;
    if (step_open(f.bundle) < 0)
        goto done;
    store *s = store_open(f.bundle, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench: %s\n", err);
        goto done;
    }
    step_find(s, rounds);
    store_close(s);
    rc = 0;
done:
    remove_files(&f);
    return rc;
}

static void usage(void)
{
    fprintf(stderr, "usage: infopoint-bench store [--items N] [--rounds R] [--keep DIR [--reuse]]\n"
                    "       infopoint-bench ui [--bundle FILE]... [--frames N] [--runs N] [--size WxH]\n"
                    "                          [--idle-seconds S] [--no-attract] [--tour-items N]\n"
                    "       infopoint-bench sync [--items N] [--runs R] [--full-runs F] [--keep DIR]\n"
                    "       infopoint-bench speech [--bundle FILE] [--out DIR] [--warm N]\n"
                    "       infopoint-bench synth DIR N\n"
                    "       infopoint-bench scrub BUNDLE [--duty PCT] [--runs R]\n");
}

static int main_ui(int argc, char **argv)
{
    benchui_options o = benchui_options_default();
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!strcmp(a, "--no-attract")) {
            o.attract = false;
            continue;
        }
        if (!v) {
            usage();
            return 2;
        }
        i++;
        if (!strcmp(a, "--bundle")) {
            if (o.n_bundles == BENCHUI_MAX_BUNDLES) {
                fprintf(stderr, "bench: at most %d bundles\n", BENCHUI_MAX_BUNDLES);
                return 2;
            }
            o.bundles[o.n_bundles++] = v;
        } else if (!strcmp(a, "--frames"))
            bad = platform_parse_int(v, 10, 100000, &o.frames);
        else if (!strcmp(a, "--runs"))
            bad = platform_parse_int(v, 1, 200, &o.runs);
        else if (!strcmp(a, "--idle-seconds"))
            bad = platform_parse_int(v, 0, 600, &o.idle_s);
        else if (!strcmp(a, "--tour-items"))
            bad = platform_parse_int(v, 0, 1000000, &o.tour_items);
        else if (!strcmp(a, "--size")) {
            char x;
            bad = sscanf(v, "%d%c%d", &o.width, &x, &o.height) != 3 || x != 'x' || o.width < 64 ||
                  o.height < 64 || o.width > 8192 || o.height > 8192;
        } else {
            usage();
            return 2;
        }
        if (bad) {
            fprintf(stderr, "bench: bad value for %s: '%s'\n", a, v);
            return 2;
        }
    }
    return benchui_run(&o);
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* infopoint-bench scrub: the main thread only waits, so the process's CPU
 * time is the scrub thread's. */
static int main_scrub(int argc, char **argv)
{
    int duty = SCRUB_DUTY_PCT, runs = 3;
    for (int i = 3; i + 1 < argc; i += 2)
        if ((strcmp(argv[i], "--duty") || platform_parse_int(argv[i + 1], 1, 100, &duty) < 0) &&
            (strcmp(argv[i], "--runs") || platform_parse_int(argv[i + 1], 1, 50, &runs) < 0)) {
            usage();
            return 2;
        }
    char digest[65] = "", why[300];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'digest'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(digest, sizeof digest, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    double wall[50], cpu[50], share[50];
    for (int r = 0; r < runs; r++) {
        double c0 = cpu_ms();
        uint64_t t0 = platform_now_us();
        scrub_verdict v = scrub_bundle(argv[2], digest, &(scrub_opts){.duty_pct = duty}, why, sizeof why);
        wall[r] = (double)(platform_now_us() - t0) / 1000;
        cpu[r] = cpu_ms() - c0;
        share[r] = 100 * cpu[r] / wall[r];
        printf("run %d: %s%s%s, %.0f ms, CPU %.0f ms (%.1f %% of one core)\n", r + 1,
               v == SCRUB_OK ? "ok" : "damaged", v == SCRUB_OK ? "" : ": ", v == SCRUB_OK ? "" : why, wall[r],
               cpu[r], share[r]);
    }
    printf("scrub at %d %% duty: median %.0f ms wall, %.0f ms CPU, %.1f %% of one core (%d runs)\n", duty,
           percentile(wall, (size_t)runs, 50), percentile(cpu, (size_t)runs, 50), percentile(share, (size_t)runs, 50),
           runs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    if (!strcmp(argv[1], "ui"))
        return main_ui(argc, argv);
    if (!strcmp(argv[1], "sync") || !strcmp(argv[1], "sync-child"))
        return benchsync_main(argc, argv);
    if (!strcmp(argv[1], "speech"))
        return benchspeech_main(argc, argv);
    if (!strcmp(argv[1], "scrub") && argc >= 3)
        return main_scrub(argc, argv);
    /* The RSS tour re-runs this program so its VmHWM starts from nothing. */
    if (!strcmp(argv[1], "ui-rss") && argc == 6)
        return benchui_rss_child(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
    /* The folder alone, for tests/bench/large.sh to build with the real tool. */
    if (!strcmp(argv[1], "synth") && argc == 4) {
        char err[512];
        if (synth_write_source(argv[2], atoi(argv[3]), 42, err, sizeof err) == 0)
            return 0;
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    int items = 10000, rounds = 5, reuse = 0;
    const char *keep = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--items") && i + 1 < argc)
            items = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
            keep = argv[++i];
        else if (!strcmp(argv[i], "--reuse"))
            reuse = 1;
        else {
            usage();
            return 2;
        }
    }
    if (items < 1 || items > 100000 || rounds < 1 || rounds > 1000) {
        fprintf(stderr, "bench: --items 1..100000, --rounds 1..1000\n");
        return 2;
    }
    if (!strcmp(argv[1], "store"))
        return bench_store(items, rounds, keep, reuse);
    usage();
    return 2;
}
