#include "check.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "fonts_paths.h"
#include "keys.h"
#include "render.h"
#include "store.h"
#include "sync.h"
#include "platform.h"

/* Problems found and what was checked, for the closing line. */
typedef struct {
    FILE *out;
    int problems;
    char summary[2048];
} checker;

static void problem(checker *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(checker *ck, const char *fmt, ...)
{
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(ck->out, "infopoint: %s\n", line);
    ck->problems++;
}

static void passed(checker *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void passed(checker *ck, const char *fmt, ...)
{
    size_t n = strlen(ck->summary);
    if (n + 3 >= sizeof ck->summary)
        return;
    if (n)
        n += (size_t)snprintf(ck->summary + n, sizeof ck->summary - n, "; ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ck->summary + n, sizeof ck->summary - n, fmt, ap);
    va_end(ap);
}

static void config_problem(void *user, const char *line)
{
    problem(user, "%s", line);
}

static void check_config(checker *ck, const config_report *rep)
{
    if (config_report_lines(rep, config_problem, ck) > 0)
        return;
    if (!rep->found)
        passed(ck, "no config file %s (defaults)", rep->path);
    else
        passed(ck, "config %s", rep->path);
}

/* Opens a bundle the way the kiosk does and checks it end to end. */
static void check_bundle(checker *ck, const char *label, const char *path)
{
    char why[600] = "", stored[DIGEST_HEX_LEN + 1] = "", computed[DIGEST_HEX_LEN + 1] = "";
    char version[32] = "?";
    store_status status;
    store *s = store_open(path, &status, why, sizeof why);
    if (!s) {
        problem(ck, "%s %s: %s", label, path, why);
        return;
    }
    sqlite3 *db = store_db(s);
    /* quick_check: the scrub runs integrity_check after an install (scrub.h). */
    char finding[300];
    if (store_db_check(db, 0, finding, sizeof finding) < 0)
        problem(ck, "%s %s: damaged: %s", label, path, finding);
    else if (store_meta(s, "digest", stored, sizeof stored) < 0)
        problem(ck, "%s %s: has no content digest", label, path);
    else if (digest_compute(db, computed, why, sizeof why) < 0)
        problem(ck, "%s %s: %s", label, path, why);
    else if (strcmp(stored, computed) != 0)
        problem(ck, "%s %s: content digest mismatch (stored %.12s..., content gives %.12s...)", label, path, stored,
                computed);
    else {
        store_meta(s, "bundle_version", version, sizeof version);
        passed(ck, "%s %s (version %s)", label, path, version);
    }
    store_close(s);
}

static void check_bundles(checker *ck, const config *c, const char *bundle)
{
    if (bundle) {
        check_bundle(ck, "bundle", bundle);
        return;
    }
    char live[PLATFORM_PATH_MAX];
    if (c->state_dir[0] && platform_is_dir(c->state_dir) && sync_live_bundle(c->state_dir, live, sizeof live) == 0)
        check_bundle(ck, "live bundle", live);
    else if (c->state_dir[0])
        passed(ck, "no installed bundle yet");
    /* The last resort must work too: a damaged package leaves no safety net. */
    check_bundle(ck, "fallback bundle", c->fallback_bundle);
}

static void check_sync(checker *ck, const config *c)
{
    if (!c->sync_url[0]) {
        passed(ck, "sync off");
        return;
    }
    int ok = 1;
    char why[CONFIG_PATH_MAX + 200];
    meta_key key = {0};
    if (!c->trust[0]) {
        problem(ck, "sync.url is set but sync.trust (the publisher's public key) is empty");
        ok = 0;
    } else if (keys_read_public(c->trust, &key, why, sizeof why) < 0) {
        problem(ck, "sync.trust: %s", why);
        ok = 0;
    }
    if (!c->state_dir[0]) {
        problem(ck, "sync.url is set but content.state_dir is empty: nowhere to install updates");
        ok = 0;
    }
    if (c->ca_file[0] && access(c->ca_file, R_OK) < 0) {
        problem(ck, "sync.ca_file %s: %s", c->ca_file, strerror(errno));
        ok = 0;
    }
    if (strncasecmp(c->sync_url, "http://", 7) == 0 && !c->allow_http) {
        problem(ck, "sync.url is plain http:// but sync.allow_http is false: every sync would be refused");
        ok = 0;
    }
    if (ok)
        passed(ck, "sync %s (key %s)", c->sync_url, key.id);
}

static void check_fonts(checker *ck)
{
    static const char *const fonts[] = {FONT_PATH_REGULAR, FONT_PATH_BOLD, FONT_PATH_ITALIC, FONT_PATH_BOLDITALIC,
                                        FONT_PATH_FALLBACK};
    size_t n = sizeof fonts / sizeof *fonts, good = 0;
    for (size_t i = 0; i < n; i++) {
        char why[300];
        if (!platform_is_file(fonts[i])) {
            problem(ck, "font %s is missing (reinstall fonts-noto-core and fonts-dejavu-core)", fonts[i]);
            continue;
        }
        if (render_font_check(fonts[i], why, sizeof why) < 0) {
            problem(ck, "font %s does not open: %s", fonts[i], why);
            continue;
        }
        good++;
    }
    if (good == n)
        passed(ck, "%zu fonts", n);
}

/* Creates and removes a file, as a sync will (the permission bits alone do
 * not tell: a read-only mount, ACLs, a full disk). */
static void check_state_dir(checker *ck, const config *c)
{
    if (!c->state_dir[0]) {
        passed(ck, "no state directory");
        return;
    }
    struct stat st;
    if (stat(c->state_dir, &st) < 0) {
        problem(ck, "content.state_dir %s: %s", c->state_dir, strerror(errno));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        problem(ck, "content.state_dir %s is not a directory", c->state_dir);
        return;
    }
    char probe[CONFIG_PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/.check-XXXXXX", c->state_dir);
    int fd = mkstemp(probe);
    if (fd < 0 || write(fd, "x", 1) != 1) {
        problem(ck, "content.state_dir %s is not writable: %s", c->state_dir, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(probe);
        }
        return;
    }
    close(fd);
    unlink(probe);
    int64_t free_b = platform_free_bytes(c->state_dir);
    passed(ck, "state directory %s writable (%lld MB free)", c->state_dir, (long long)(free_b > 0 ? free_b >> 20 : 0));
}

static void check_usb(checker *ck, const config *c)
{
    /* Missing is normal (no stick inserted); something else in its place is not. */
    struct stat st;
    if (c->usb_path[0] && stat(c->usb_path, &st) == 0 && !S_ISDIR(st.st_mode))
        problem(ck, "sync.usb_path %s is not a directory", c->usb_path);
}

int check_run(const config *c, const config_report *rep, const char *bundle, FILE *out)
{
    checker ck = {.out = out};
    check_config(&ck, rep);
    check_bundles(&ck, c, bundle);
    check_sync(&ck, c);
    check_state_dir(&ck, c);
    check_usb(&ck, c);
    check_fonts(&ck);
    if (!c->admin_pin[0])
        passed(&ck, "operator screen disabled (no admin_pin)");
    if (ck.problems)
        fprintf(out, "infopoint: check failed: %d problem%s\n", ck.problems, ck.problems == 1 ? "" : "s");
    else
        fprintf(out, "infopoint: check passed: %s\n", ck.summary);
    return ck.problems;
}
