/* infopoint-bundle — the editor's command-line tool.
 *
 *   infopoint-bundle build SRC_DIR -o FILE   check and compile a content folder
 *   infopoint-bundle check SRC_DIR           check only
 *   infopoint-bundle info FILE               describe a bundle, verify its digest
 *   infopoint-bundle search FILE [--lang kk|ru|en] [--limit N] QUERY...
 *                                            search as the kiosk does, one result a line
 *   infopoint-bundle keygen --out DIR        make the publisher's signing key pair
 *   infopoint-bundle publish SRC --key DIR/publisher.key --out REPO [--version N] [--expires DAYS]
 *                            [--timestamp-expires DAYS]
 *                                            sign SRC (content folder or bundle) into a repository
 *   infopoint-bundle refresh --key KEY --out REPO [--timestamp-expires DAYS]
 *                                            re-sign the timestamp alone (a daily cron job)
 *   infopoint-bundle rotate-key --key OLD.key --new NEW.key --out REPO [--threshold N] [--expires DAYS]
 *                                  [--version-floor N]
 *                                            replace the repository's key set (root/<N+1>.txt)
 *   infopoint-bundle fleet REPORTS_DIR [--html OUT.html] [--current REPO] [--interval S]
 *                                            the kiosks' check-in reports as a table or a page
 *
 * Exit status: 0 success (warnings allowed), 1 errors in the content or the
 * bundle (search: no result), 2 bad usage. Messages go to stderr as "path:line: error: message". */
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "fleet.h"
#include "keys.h"
#include "meta.h"
#include "platform.h"
#include "publish.h"
#include "srcdir.h"
#include "store.h"

#define PROG "infopoint-bundle"

static int usage(void)
{
    fprintf(stderr,
            "usage: " PROG " build SRC_DIR -o FILE   check a content folder and build a bundle\n"
            "       " PROG " check SRC_DIR           check a content folder, write nothing\n"
            "       " PROG " info FILE               describe a bundle and verify its digest\n"
            "       " PROG " search FILE [--lang kk|ru|en] [--limit N] QUERY...\n"
            "                                     search as the kiosk does: ROUTE<TAB>TITLE<TAB>SNIPPET a line\n"
            "       " PROG " keygen --out DIR        make DIR/publisher.key (secret) and DIR/publisher.pub\n"
            "       " PROG " publish SRC --key KEY --out REPO [--version N] [--expires DAYS]\n"
            "                                  [--timestamp-expires DAYS]\n"
            "                                     publish a content folder or bundle as a signed repository;\n"
            "                                     the snapshot expires after DAYS (30), the timestamp sooner (7)\n"
            "       " PROG " refresh --key KEY --out REPO [--timestamp-expires DAYS]\n"
            "                                     re-sign REPO's timestamp alone with a new expiry (run daily)\n"
            "       " PROG " rotate-key --key OLD.key --new NEW.key --out REPO [--threshold N] [--expires DAYS]\n"
            "                                  [--version-floor N]\n"
            "                                     replace the repository's key set: the next root/N.txt lists\n"
            "                                     the --new keys and is signed by OLD and by them (both\n"
            "                                     options may be repeated; the threshold defaults to 1);\n"
            "                                     kiosks then accept versions from N (default: the version\n"
            "                                     published now; after a leaked key, the last honest one)\n"
            "       " PROG " fleet REPORTS_DIR [--html OUT.html] [--current REPO] [--interval S]\n"
            "                                     the kiosks' check-in reports: a table (exit 1 when a kiosk\n"
            "                                     is offline for two intervals (default 3600 s), behind\n"
            "                                     REPO's version, stale or erroring), or one HTML page\n"
            "       " PROG " --version\n"
            "Content format: FORMAT.md (assets/content/ in the source, /usr/share/doc/infopoint/\n"
            "when installed). Exit status: 0 ok, 1 errors, 2 usage.\n");
    return 2;
}

/* Prints every diagnostic of sd, sorted. */
static void print_diags(srcdir *sd)
{
    srcdir_sort_diags(sd);
    char line[1024];
    for (size_t i = 0; i < sd->n_diags; i++) {
        srcdir_format_diag(sd, &sd->diags[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (sd->n_errors + sd->n_warnings > sd->n_diags)
        fprintf(stderr, PROG ": %zu more messages not shown\n", sd->n_errors + sd->n_warnings - sd->n_diags);
}

/* Reads and checks src whole; prints every diagnostic. Returns the model
 * (NULL on out of memory, reported). */
static srcdir *read_and_check(const char *src)
{
    srcdir *sd = srcdir_read(src);
    if (!sd || bundle_check(sd) < 0) {
        fprintf(stderr, PROG ": out of memory reading %s\n", src);
        srcdir_free(sd);
        return NULL;
    }
    print_diags(sd);
    return sd;
}

/* Reads, checks and builds src into out one item at a time (bundle_build)
 * and prints every diagnostic. Returns the model (NULL on out of memory,
 * reported) with *rc 0 when out was written; err says why not when the
 * content had no errors. */
static srcdir *build_streaming(const char *src, const char *out, char digest[DIGEST_HEX_LEN + 1], int *rc,
                               char *err, size_t errcap)
{
    srcdir *sd = srcdir_open(src);
    *rc = -1;
    if (!sd) {
        fprintf(stderr, PROG ": out of memory reading %s\n", src);
        return NULL;
    }
    *rc = bundle_build(sd, out, digest, err, errcap);
    print_diags(sd);
    return sd;
}

static int cmd_check(const char *src)
{
    srcdir *sd = read_and_check(src);
    if (!sd)
        return 1;
    int rc = sd->n_errors ? 1 : 0;
    if (rc)
        fprintf(stderr, PROG ": %s: %zu errors, %zu warnings\n", src, sd->n_errors, sd->n_warnings);
    else
        printf("%s: ok: %zu items, %zu categories, %zu images (%zu warnings)\n", src, sd->n_items,
               sd->n_categories, sd->n_assets, sd->n_warnings);
    srcdir_free(sd);
    return rc;
}

static int cmd_build(const char *src, const char *out)
{
    char err[1024], digest[DIGEST_HEX_LEN + 1];
    int built;
    srcdir *sd = build_streaming(src, out, digest, &built, err, sizeof err);
    if (!sd)
        return 1;
    int rc = 1;
    if (sd->n_errors) {
        fprintf(stderr, PROG ": %s: %zu errors, %zu warnings; no bundle written\n", src, sd->n_errors,
                sd->n_warnings);
    } else if (built < 0) {
        fprintf(stderr, PROG ": cannot build %s: %s\n", out, err);
    } else {
        printf("%s: %zu items, %zu images, digest %s\n", out, sd->n_items, sd->n_images, digest);
        rc = 0;
    }
    srcdir_free(sd);
    return rc;
}

static int cmd_info(const char *file)
{
    char err[1024];
    fflush(stdout);
    if (bundle_info(file, stdout, err, sizeof err) < 0) {
        fflush(stdout);
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    return 0;
}

static int cmd_keygen(const char *dir)
{
    char err[1024], id[META_KEYID_LEN + 1];
    if (keys_generate(dir, id, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    printf("%s/publisher.key: secret key (keep it off the repository and the kiosks)\n"
           "%s/publisher.pub: public key %s (kiosks trust this one)\n",
           dir, dir, id);
    return 0;
}

/* A whole number in [lo, hi], or -1 with a message (a usage error). */
static long bounded(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (!*s || *end || n < lo || n > hi) {
        fprintf(stderr, PROG ": %s wants a number, %ld to %ld, not '%s'\n", opt, lo, hi, s);
        return -1;
    }
    return n;
}

/* A positive version number for opt. Returns 0, or -1 after saying why. */
static int parse_version(const char *opt, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (*end || n == 0 || s[0] == '-' || errno || n == UINT64_MAX) {
        fprintf(stderr, PROG ": %s wants a positive integer, not '%s'\n", opt, s);
        return -1;
    }
    *out = n;
    return 0;
}

static int cmd_publish(int argc, char **argv)
{
    const char *src = NULL, *key = NULL, *out = NULL;
    uint64_t version = 0;
    int days = 30, ts_days = 0;
    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--key") && v)
            key = argv[++i];
        else if (!strcmp(argv[i], "--out") && v)
            out = argv[++i];
        else if (!strcmp(argv[i], "--version") && v) {
            if (parse_version("--version", argv[++i], &version) < 0)
                return 2;
        } else if (!strcmp(argv[i], "--expires") && v) {
            if ((days = (int)bounded("--expires", argv[++i], 1, 3650)) < 0)
                return 2;
        } else if (!strcmp(argv[i], "--timestamp-expires") && v) {
            if ((ts_days = (int)bounded("--timestamp-expires", argv[++i], 1, 3650)) < 0)
                return 2;
        } else if (argv[i][0] != '-' && !src)
            src = argv[i];
        else
            return usage();
    }
    if (!src || !key || !out)
        return usage();
    char err[1024];
    unsigned char sk[64];
    if (keys_read_secret(key, sk, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    /* A content folder is built first, into a file beside the repository,
     * whose folder may not exist yet. */
    char built[PLATFORM_PATH_EXTRA_MAX] = "";
    const char *bundle = src;
    if (platform_is_dir(src) && platform_make_dirs(out, 0755, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        sodium_memzero(sk, sizeof sk);
        return 1;
    }
    if (platform_is_dir(src)) {
        snprintf(built, sizeof built, "%s.building.ipb", out);
        char digest[DIGEST_HEX_LEN + 1];
        int rc;
        srcdir *sd = build_streaming(src, built, digest, &rc, err, sizeof err);
        if (rc < 0 && sd && !sd->n_errors)
            fprintf(stderr, PROG ": cannot build %s: %s\n", src, err);
        else if (rc < 0 && sd)
            fprintf(stderr, PROG ": %s: %zu errors; nothing published\n", src, sd->n_errors);
        srcdir_free(sd);
        if (rc < 0) {
            sodium_memzero(sk, sizeof sk);
            return 1;
        }
        bundle = built;
    }
    publish_report rep;
    int rc = publish_bundle(bundle, sk, out, version, days, ts_days, (int64_t)time(NULL), &rep, err, sizeof err);
    sodium_memzero(sk, sizeof sk);
    if (built[0])
        unlink(built);
    if (rc < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    printf("%s: version %llu, published %s, digest %s, %zu new objects (%llu bytes), %zu unchanged\n", out,
           (unsigned long long)rep.version, rep.published, rep.digest, rep.objects_written,
           (unsigned long long)rep.bytes_written, rep.objects_kept);
    return 0;
}

/* search FILE [--lang L] [--limit N] QUERY...: exit 0 with results, 1
 * with none (or an unreadable bundle), 2 on usage. */
static int cmd_search(int argc, char **argv)
{
    const char *lang = NULL;
    long limit = 10;
    char query[STORE_QUERY_MAX] = "", err[1024];
    if (argc < 4)
        return usage();
    for (int i = 3; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--lang") && v) {
            lang = argv[++i];
            if (strcmp(lang, "kk") && strcmp(lang, "ru") && strcmp(lang, "en")) {
                fprintf(stderr, PROG ": --lang wants kk, ru or en, not '%s'\n", lang);
                return 2;
            }
        } else if (!strcmp(argv[i], "--limit") && v) {
            if ((limit = bounded("--limit", argv[++i], 1, 64)) < 0)
                return 2;
        } else {
            size_t n = strlen(query);
            snprintf(query + n, sizeof query - n, "%s%s", n ? " " : "", argv[i]);
        }
    }
    if (!query[0])
        return usage();
    fflush(stdout);
    int n = bundle_search(argv[2], lang, (int)limit, query, stdout, err, sizeof err);
    if (n < 0) {
        fflush(stdout);
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    return n > 0 ? 0 : 1;
}

/* Reads the secret keys at paths[0..n) into sks. Returns 0, or -1 (said). */
static int read_secrets(const char **paths, int n, unsigned char (*sks)[64])
{
    char err[1024];
    for (int i = 0; i < n; i++)
        if (keys_read_secret(paths[i], sks[i], err, sizeof err) < 0) {
            fprintf(stderr, PROG ": %s\n", err);
            return -1;
        }
    return 0;
}

/* refresh: the timestamp re-signed with a new expiry, nothing else. */
static int cmd_refresh(int argc, char **argv)
{
    const char *key = NULL, *out = NULL;
    long days = 0;
    for (int i = 2; i < argc; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage();
        if (!strcmp(argv[i], "--key") && !key)
            key = v;
        else if (!strcmp(argv[i], "--out") && !out)
            out = v;
        else if (!strcmp(argv[i], "--timestamp-expires")) {
            if ((days = bounded("--timestamp-expires", v, 1, 3650)) < 0)
                return 2;
        } else
            return usage();
    }
    if (!key || !out)
        return usage();
    unsigned char sk[64];
    char err[1024], when[21];
    uint64_t version;
    int64_t expires;
    if (keys_read_secret(key, sk, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    int rc = publish_refresh(out, sk, (int)days, (int64_t)time(NULL), &version, &expires, err, sizeof err);
    sodium_memzero(sk, sizeof sk);
    if (rc < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    meta_format_time(expires, when);
    printf("%s: version %llu, timestamp expires %s\n", out, (unsigned long long)version, when);
    return 0;
}

static void print_ids(char (*ids)[META_KEYID_LEN + 1], int n)
{
    for (int i = 0; i < n; i++)
        printf(" %s", ids[i]);
}

static int cmd_rotate_key(int argc, char **argv)
{
    const char *olds[META_MAX_KEYS], *news[META_MAX_KEYS], *out = NULL;
    int n_old = 0, n_new = 0;
    long threshold = 1, days = PUBLISH_ROOT_EXPIRES_DAYS;
    uint64_t floor = PUBLISH_FLOOR_PUBLISHED;
    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage();
        if (!strcmp(argv[i], "--key") && n_old < META_MAX_KEYS)
            olds[n_old++] = v;
        else if (!strcmp(argv[i], "--new") && n_new < META_MAX_KEYS)
            news[n_new++] = v;
        else if (!strcmp(argv[i], "--out") && !out)
            out = v;
        else if (!strcmp(argv[i], "--threshold")) {
            if ((threshold = bounded("--threshold", v, 1, META_MAX_KEYS)) < 0)
                return 2;
        } else if (!strcmp(argv[i], "--expires")) {
            if ((days = bounded("--expires", v, 1, PUBLISH_ROOT_EXPIRES_DAYS)) < 0)
                return 2;
        } else if (!strcmp(argv[i], "--version-floor")) {
            if (parse_version("--version-floor", v, &floor) < 0)
                return 2;
        } else
            return usage();
        i++;
    }
    if (!n_old || !n_new || !out)
        return usage();
    if (threshold > n_new) {
        fprintf(stderr, PROG ": --threshold %ld needs at least %ld --new keys, not %d\n", threshold, threshold, n_new);
        return 2;
    }
    unsigned char old_sks[META_MAX_KEYS][64], new_sks[META_MAX_KEYS][64];
    publish_rotation rep;
    char err[1024];
    int rc = 1;
    if (read_secrets(olds, n_old, old_sks) == 0 && read_secrets(news, n_new, new_sks) == 0) {
        if (publish_rotate_key(out, (const unsigned char(*)[64])old_sks, n_old, (const unsigned char(*)[64])new_sks,
                               n_new, (int)threshold, (int)days, (int64_t)time(NULL), floor, &rep, err,
                               sizeof err) < 0)
            fprintf(stderr, PROG ": %s\n", err);
        else
            rc = 0;
    }
    sodium_memzero(old_sks, sizeof old_sks);
    sodium_memzero(new_sks, sizeof new_sks);
    if (rc)
        return rc;
    printf("root %llu: keys", (unsigned long long)rep.version);
    print_ids(rep.keys, rep.n_keys);
    printf(", signed by");
    print_ids(rep.signers, rep.n_signers);
    if (rep.version_floor)
        printf("; kiosks accept versions from %llu", (unsigned long long)rep.version_floor);
    printf("\n");
    if (threshold > 1)
        fprintf(stderr, PROG ": note: publish signs with one key; it refuses a key set with threshold %ld\n",
                threshold);
    return 0;
}

/* The version a repository publishes now (timestamp.txt). */
static int repo_version(const char *repo, int64_t *version)
{
    char path[PLATFORM_PATH_MAX], err[300], *buf = NULL;
    size_t len;
    meta_doc ts;
    snprintf(path, sizeof path, "%s/timestamp.txt", repo);
    if (platform_read_file(path, META_MAX_BYTES, &buf, &len, err, sizeof err) < 0 ||
        meta_parse(buf, len, &ts, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": fleet: --current %s: %s\n", repo, err);
        free(buf);
        return -1;
    }
    free(buf);
    *version = (int64_t)ts.version;
    meta_free(&ts);
    return 0;
}

/* fleet REPORTS_DIR [--html OUT] [--current REPO] [--interval S] */
static int cmd_fleet(int argc, char **argv)
{
    const char *dir = NULL, *html = NULL, *repo = NULL;
    int interval = 3600;
    int64_t current = 0;
    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--html") && v)
            html = argv[++i];
        else if (!strcmp(argv[i], "--current") && v)
            repo = argv[++i];
        else if (!strcmp(argv[i], "--interval") && v && platform_parse_int(v, 60, 86400, &interval) == 0)
            i++;
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else
            return usage();
    }
    if (!dir)
        return usage();
    if (repo && repo_version(repo, &current) < 0)
        return 1;
    fleet f;
    char err[400];
    if (fleet_read(dir, &f, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": fleet: %s\n", err);
        return 1;
    }
    fleet_judge(&f, (int64_t)time(NULL), interval, current);
    int rc = 0;
    if (html) {
        FILE *out = fopen(html, "w");
        if (out)
            fleet_write_html(&f, out);
        if (!out || fclose(out) != 0) {
            fprintf(stderr, PROG ": fleet: cannot write %s\n", html);
            rc = 1;
        }
    }
    fleet_print(&f, stdout);
    for (int i = 0; i < f.n && rc == 0; i++)
        rc = fleet_flagged(&f.k[i]) ? 1 : 0;
    fleet_free(&f);
    return rc;
}

int main(int argc, char **argv)
{
    /* SQLite counts its memory under one global mutex, which a build's two
     * threads (builder.h) would take on every allocation; nothing here reads
     * the counts. Only possible before SQLite's first use. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (argc < 2)
        return usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf(PROG " %s\n", INFOPOINT_VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0 && argc == 3)
        return cmd_check(argv[2]);
    if (strcmp(cmd, "info") == 0 && argc == 3)
        return cmd_info(argv[2]);
    if (strcmp(cmd, "search") == 0)
        return cmd_search(argc, argv);
    if (strcmp(cmd, "keygen") == 0 && argc == 4 && strcmp(argv[2], "--out") == 0)
        return cmd_keygen(argv[3]);
    if (strcmp(cmd, "publish") == 0)
        return cmd_publish(argc, argv);
    if (strcmp(cmd, "rotate-key") == 0)
        return cmd_rotate_key(argc, argv);
    if (strcmp(cmd, "refresh") == 0)
        return cmd_refresh(argc, argv);
    if (strcmp(cmd, "fleet") == 0)
        return cmd_fleet(argc, argv);
    if (strcmp(cmd, "build") == 0 && argc == 5) {
        /* Either order: build SRC -o FILE, or build -o FILE SRC. */
        if (strcmp(argv[3], "-o") == 0 || strcmp(argv[3], "--output") == 0)
            return cmd_build(argv[2], argv[4]);
        if (strcmp(argv[2], "-o") == 0 || strcmp(argv[2], "--output") == 0)
            return cmd_build(argv[4], argv[3]);
    }
    return usage();
}
