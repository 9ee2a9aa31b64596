/* infopoint-bench — speed and memory figures for BENCHMARKS.md.
 *
 *   infopoint-bench store [--items N] [--rounds R] [--keep DIR]
 *   infopoint-bench ui [--bundle FILE]... [--frames N] [--runs N] [--size WxH]
 *                      [--idle-seconds S] [--no-attract] [--tour-items N]
 *   infopoint-bench sync [--items N] [--runs R] [--keep DIR]
 *
 * sync: full, no-change and incremental syncs of the synthetic bundle from a
 * real nginx on 127.0.0.1 (see benchsync.h).
 *
 * ui: start-up, frame times, kinetic scrolling, peak RSS and idle cost of the
 * kiosk (see benchui.h). Each --bundle adds a column; none: the sample bundle.
 *
 * store: writes a synthetic content folder (N items × kk/ru/en, realistic
 * lengths), builds it with the real content tool code, then measures the
 * bundle's open time and search latency over 120 varied queries, R rounds.
 * Medians and p99 are printed; machines are noisy, so compare medians. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "benchsync.h"
#include "benchui.h"
#include "bundle.h"
#include "platform.h"
#include "srcdir.h"
#include "store.h"
#include "synth.h"

#define BENCH_QUERIES 120
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

static double ms_since(uint64_t t0)
{
    return (double)(platform_now_us() - t0) / 1000.0;
}

static int build(const char *src, const char *out, double *ms)
{
    char digest[DIGEST_HEX_LEN + 1], err[512];
    uint64_t t0 = platform_now_us();
    srcdir *sd = srcdir_read(src);
    if (!sd || bundle_check(sd) < 0 || sd->n_errors > 0) {
        fprintf(stderr, "bench: the synthetic content has errors\n");
        srcdir_free(sd);
        return -1;
    }
    int rc = bundle_write(sd, out, digest, err, sizeof err);
    srcdir_free(sd);
    *ms = ms_since(t0);
    if (rc < 0)
        fprintf(stderr, "bench: build failed: %s\n", err);
    return rc;
}

static int bench_store(int items, int rounds, const char *keep)
{
    char dir[512], src[600], bundle[600], err[512];
    if (keep) {
        snprintf(dir, sizeof dir, "%s", keep);
        mkdir(dir, 0755);
    } else {
        snprintf(dir, sizeof dir, "/tmp/infopoint-bench-XXXXXX");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
    }
    snprintf(src, sizeof src, "%s/src", dir);
    snprintf(bundle, sizeof bundle, "%s/synthetic.ipb", dir);
    if (!platform_is_dir(src)) {
        uint64_t t0 = platform_now_us();
        if (synth_write_source(src, items, 42, err, sizeof err) < 0) {
            fprintf(stderr, "bench: %s\n", err);
            return 1;
        }
        printf("synthetic source: %d items x 3 languages written in %.0f ms\n", items, ms_since(t0));
    }
    double build_ms;
    if (build(src, bundle, &build_ms) < 0)
        return 1;
    struct stat st;
    stat(bundle, &st);
    printf("build:  %.0f ms (read + check + write, one run), bundle %.1f MB\n", build_ms,
           (double)st.st_size / 1e6);

    double opens[BENCH_OPENS];
    for (int i = 0; i < BENCH_OPENS; i++) {
        uint64_t t0 = platform_now_us();
        store *s = store_open(bundle, NULL, err, sizeof err);
        opens[i] = ms_since(t0);
        if (!s) {
            fprintf(stderr, "bench: open: %s\n", err);
            return 1;
        }
        store_close(s);
    }
    double o50 = percentile(opens, BENCH_OPENS, 50), o99 = percentile(opens, BENCH_OPENS, 99);
    printf("open:   p50 %.3f ms, p99 %.3f ms (%d opens, page cache warm)\n", o50, o99, BENCH_OPENS);

    store *s = store_open(bundle, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    size_t n = (size_t)rounds * BENCH_QUERIES;
    double *lat = malloc(n * sizeof *lat);
    store_hit *hits = malloc(30 * sizeof *hits);
    long total_hits = 0;
    int empty = 0;
    for (int r = 0; r < rounds; r++) {
        for (int q = 0; q < BENCH_QUERIES; q++) {
            char text[128];
            const char *lang = synth_query(q, text, sizeof text);
            uint64_t t0 = platform_now_us();
            int got = store_search(s, text, lang, hits, 30);
            lat[(size_t)r * BENCH_QUERIES + (size_t)q] = ms_since(t0);
            if (r == 0) {
                total_hits += got;
                empty += got == 0;
                if (q < 12)
                    printf("  query %-3d %s %-28s %2d hits\n", q, lang, text, got);
            }
        }
    }
    /* The slowest queries (best of the rounds), to see what costs. */
    double worst[BENCH_QUERIES];
    for (int q = 0; q < BENCH_QUERIES; q++) {
        worst[q] = lat[q];
        for (int r = 1; r < rounds; r++)
            if (lat[(size_t)r * BENCH_QUERIES + (size_t)q] < worst[q])
                worst[q] = lat[(size_t)r * BENCH_QUERIES + (size_t)q];
    }
    for (int k = 0; k < 5; k++) {
        int w = 0;
        for (int q = 1; q < BENCH_QUERIES; q++)
            if (worst[q] > worst[w])
                w = q;
        char text[128];
        const char *lang = synth_query(w, text, sizeof text);
        printf("  slow: %s '%s' %.3f ms (best of %d)\n", lang, text, worst[w], rounds);
        worst[w] = -1;
    }
    double p50 = percentile(lat, n, 50), p99 = percentile(lat, n, 99), max = lat[n - 1];
    printf("search: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d queries x %d rounds, up to 30 hits with snippets; "
           "%d queries without hits, %.1f hits on average)\n",
           p50, p99, max, BENCH_QUERIES, rounds, empty, (double)total_hits / BENCH_QUERIES);
    free(hits);
    free(lat);
    store_close(s);
    if (!keep) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench: could not remove %s\n", dir);
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: infopoint-bench store [--items N] [--rounds R] [--keep DIR]\n"
                    "       infopoint-bench ui [--bundle FILE]... [--frames N] [--runs N] [--size WxH]\n"
                    "                          [--idle-seconds S] [--no-attract] [--tour-items N]\n"
                    "       infopoint-bench sync [--items N] [--runs R] [--keep DIR]\n");
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
    /* The RSS tour re-runs this program so its VmHWM starts from nothing. */
    if (!strcmp(argv[1], "ui-rss") && argc == 6)
        return benchui_rss_child(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
    int items = 10000, rounds = 5;
    const char *keep = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--items") && i + 1 < argc)
            items = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
            keep = argv[++i];
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
        return bench_store(items, rounds, keep);
    usage();
    return 2;
}
