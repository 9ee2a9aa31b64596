/* Golden images: every screen of the kiosk, rendered by the real program.
 *
 * Each case runs `infopoint --screenshot` (the built binary, found through
 * INFOPOINT_BUILD_DIR, with SDL_VIDEODRIVER=dummy) into a temporary folder
 * at 800×480 (the Pi 7" panel) and 1920×1080, and compares the PNG with
 * tests/golden/<name>_<W>x<H>.png under a tolerance (see below). On a
 * mismatch it writes, next to the reference,
 *   <name>_<W>x<H>_err.png   the differing pixels in red over a faded reference
 *   <name>_<W>x<H>_out.png   what the program drew this time
 * (both ignored by git) and names them with the share of differing pixels.
 *
 * To accept new looks, regenerate the references and review the diff:
 *   UPDATE_GOLDEN=1 ctest -R unit.test_golden      (from the build folder)
 * A missing reference fails and says so.
 *
 * The operator's screens that need what a command line cannot give — a host
 * reporting a sync in progress, a configured PIN, fingers on the glass —
 * are drawn in this process instead, on the same headless kiosk the
 * program uses (headless_open), with times shown in UTC.
 *
 * Also: `--screenshot` with a route that names nothing must fail, naming the
 * route, and write no picture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "render.h"
#include "replay.h"
#include "script.h"
#include "support.h"
#include "ui.h"

/* Two pictures of the same screen from two machines are not byte-identical:
 * FreeType's hinting and antialiasing, and HarfBuzz/FreeType versions, move
 * glyph edge pixels by a few shades and sometimes shift a glyph by one pixel.
 * A channel that differs by at most GOLDEN_CHANNEL_TOLERANCE (of 255) counts
 * as equal (edge shades); real changes (a colour, a moved box) differ by far
 * more. A picture fails when more than GOLDEN_MAX_DIFF_PERMILLE / 10 % of its
 * pixels differ: a one-pixel shift of some glyph edges stays well below it,
 * a changed word, wrapped line or moved widget does not. */
#define GOLDEN_CHANNEL_TOLERANCE 24
#define GOLDEN_MAX_DIFF_PERMILLE 5 /* 0.5 % */

/* A screenshot takes well under a second; a hung program must not hang CTest. */
#define RUN_TIMEOUT_MS 60000

/* The out-of-service screen prints the path it could not open: a fixed,
 * machine-independent path keeps that picture the same everywhere. */
#define MISSING_BUNDLE "/nonexistent/infopoint-golden/missing.ipb"

typedef struct {
    const char *name;   /* file name stem under tests/golden/ */
    const char *route;  /* --open, or NULL for the start screen */
    const char *lang;   /* --lang, or NULL for the default (kk) */
    const char *script; /* --script text, or NULL */
    bool no_bundle;     /* --bundle names a missing file */
    /* Drawn in this process: sets up the headless kiosk (the route and
     * script above are not used). */
    void (*prepare)(headless *k);
} golden_case;

/* ---- in-process screens ----------------------------------------------------- */

/* What a kiosk in the middle of a sync, with expired metadata, reports. */
static void busy_status(void *user, ui_admin_status *st)
{
    (void)user;
    st->now = 1795000000; /* 2026-11-18 11:06:40 UTC */
    /* Published content: one version and the publication's date. */
    snprintf(st->content_version, sizeof st->content_version, "17");
    snprintf(st->content_published, sizeof st->content_published, "2026-11-14T08:00:00Z");
    st->snapshot_version = 17;
    st->sync_configured = 1;
    st->last_attempt = st->now - 2 * 3600 - 5 * 60;
    st->last_success = st->now - 3 * 86400 - 4 * 3600;
    st->next_sync = st->now + 5 * 3600 + 12 * 60;
    st->sync_running = 1;
    snprintf(st->sync_phase, sizeof st->sync_phase, "downloading");
    st->items_done = 120;
    st->items_total = 348;
    st->bytes_done = 3355443;
    st->bytes_total = 8493466;
    snprintf(st->last_error, sizeof st->last_error,
             "timestamp.txt expired on 2026-11-15 00:00 UTC; the publisher has not re-signed it");
    st->stale = 1;
    st->disk_free_bytes = 1288490188;
    st->uptime_s = 3 * 86400 + 4 * 3600 + 10 * 60;
    st->rss_bytes = 38797312;
    snprintf(st->kiosk_id, sizeof st->kiosk_id, "kz-ast-0042");
}

static void host_action(void *user)
{
    (void)user;
}

static void prepare_admin(headless *k)
{
    ui_host host = {.get_status = busy_status, .sync_now = host_action, .import_usb = host_action,
                    .restart = host_action, .exit_to_desktop = host_action};
    ui_set_host(k->u, &host);
    char err[256];
    assert_int_equal(ui_navigate(k->u, "admin", k->now, err, sizeof err), 0);
}

static bool any_pin_is_wrong(void *user, const char *hash, const char *pin)
{
    (void)user, (void)hash, (void)pin;
    return false;
}

/* Replays script text on the headless kiosk. */
static void replay(headless *k, const char *text)
{
    script sc;
    char err[512];
    if (script_parse(text, strlen(text), &sc, err, sizeof err) < 0 || replay_script(k->u, &sc, &k->now, err, sizeof err) < 0)
        fail_msg("%s", err);
    script_free(&sc);
}

/* The keypad after five wrong PINs: locked, with the time left. */
static void prepare_pin_locked(headless *k)
{
    const SDL_Surface *screen = k->surface;
    ui_config cfg = ui_config_default();
    snprintf(cfg.default_lang, sizeof cfg.default_lang, "%s", ui_lang(k->u));
    snprintf(cfg.admin_pin_hash, sizeof cfg.admin_pin_hash, "fake");
    cfg.pin_check = any_pin_is_wrong;
    ui_destroy(k->u);
    k->u = ui_create(&cfg, k->st, NULL, k->r, screen->w, screen->h, k->now);
    assert_non_null(k->u);
    replay(k, "open admin/pin\n");
    for (int i = 0; i < 5; i++)
        replay(k, "tapon @pin-1\ntapon @pin-2\ntapon @pin-3\ntapon @pin-4\ntapon @pin-ok\n");
}

/* Two fingers on the touch test: one resting, one that has drawn an arc. */
static void prepare_touch(headless *k)
{
    const SDL_Surface *screen = k->surface;
    float w = (float)screen->w, h = (float)screen->h;
    replay(k, "open admin/touch\n");
    ui_pointer_down(k->u, 101, w * 0.25f, h * 0.6f, k->now);
    ui_pointer_down(k->u, 102, w * 0.55f, h * 0.35f, k->now);
    for (int i = 1; i <= 30; i++) {
        float f = (float)i / 30.0f;
        ui_pointer_move(k->u, 102, w * (0.55f + 0.2f * f), h * (0.35f + 0.3f * f * f), k->now + 16u * (uint32_t)i);
    }
    k->now += 500;
}

static const golden_case cases[] = {
    {.name = "home"},
    {.name = "home_ru", .lang = "ru"},
    {.name = "home_en", .lang = "en"},
    {.name = "category_constitution", .route = "category/constitution"},
    {.name = "category_news_en", .route = "category/news", .lang = "en"}, /* a row with its cover */
    {.name = "item_constitution", .route = "item/constitution"},
    {.name = "item_constitution_art43-5", .route = "item/constitution#art43-5"},
    {.name = "item_commission-session", .route = "item/commission-session"},
    {.name = "deck_key-changes_1", .route = "deck/key-changes/1"},
    {.name = "deck_key-changes_3", .route = "deck/key-changes/3"},
    {.name = "search_president", .route = "search?q=президент"},
    {.name = "search_empty", .route = "search"},
    /* The screen settings, and the largest text (200 %) chosen there. */
    {.name = "display_ru", .route = "display", .lang = "ru"},
    {.name = "reader_text_largest", .route = "item/constitution",
     .script = "tapon @text-size\ntapon @size-4\ntapon @done\n"},
    {.name = "home_largest", .script = "tapon @text-size\ntapon @size-4\ntapon @done\n"},
    {.name = "category_largest_ru", .route = "category/constitution", .lang = "ru",
     .script = "tapon @text-size\ntapon @size-4\ntapon @done\n"},
    {.name = "deck_largest_en", .route = "deck/key-changes/3", .lang = "en",
     .script = "tapon @text-size\ntapon @size-4\ntapon @done\n"},
    {.name = "search_largest", .route = "search?q=президент",
     .script = "tapon @text-size\ntapon @size-4\ntapon @done\n"},
    {.name = "display_largest_ru", .route = "display", .lang = "ru", .script = "tapon @size-4\n"},
    /* High contrast, with the largest text. */
    {.name = "contrast_home_ru", .lang = "ru", .script = "tapon @text-size\ntapon @contrast-high\ntapon @done\n"},
    {.name = "contrast_reader_large", .route = "item/constitution",
     .script = "tapon @text-size\ntapon @contrast-high\ntapon @size-4\ntapon @done\n"},
    {.name = "contrast_home_largest_en", .lang = "en",
     .script = "tapon @text-size\ntapon @contrast-high\ntapon @size-4\ntapon @done\n"},
    {.name = "contrast_deck_en", .route = "deck/key-changes/3", .lang = "en",
     .script = "tapon @text-size\ntapon @contrast-high\ntapon @done\n"},
    {.name = "out_of_service", .no_bundle = true},
    /* The operator's screens. */
    {.name = "admin", .prepare = prepare_admin},
    {.name = "admin_en", .lang = "en", .prepare = prepare_admin},
    {.name = "admin_pin", .route = "admin/pin", .script = "tapon @pin-1\ntapon @pin-2\n"},
    {.name = "admin_pin_locked_ru", .lang = "ru", .prepare = prepare_pin_locked},
    {.name = "admin_touch", .prepare = prepare_touch},
    {.name = "admin_pattern", .route = "admin/pattern"},
};

static const struct {
    int w, h;
} sizes[] = {{800, 480}, {1920, 1080}};

/* One test: a case at a size (or, with c NULL, a route to be refused), and
 * the temporary folder that setup makes and teardown removes. */
typedef struct {
    const golden_case *c;
    int w, h;
    const char *refused_route;
    char *dir;
} golden_run;

/* ---- paths and files ----------------------------------------------------- */

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

static const char *build_dir(void)
{
    return env_or("INFOPOINT_BUILD_DIR", INFOPOINT_BUILD_DIR);
}

static void golden_path(char *out, size_t cap, const golden_run *r, const char *suffix)
{
    snprintf(out, cap, "%s/tests/golden/%s_%dx%d%s.png", env_or("INFOPOINT_SOURCE_DIR", INFOPOINT_SOURCE_DIR),
             r->c->name, r->w, r->h, suffix);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Reads a whole file (at most a few MB here) into a NUL-terminated buffer. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, len, f);
    return fclose(f) == 0 && put == len ? 0 : -1;
}

/* ---- running the program -------------------------------------------------- */

/* Runs build_dir()/infopoint with args (NULL-terminated) in the temp folder
 * dir, stdout and stderr into dir/stdout.txt and dir/stderr.txt, under the
 * dummy video driver. Returns the exit status, or -1 after a signal or a
 * timeout (the child is killed). */
static int run_infopoint(const char *dir, const char *const *args)
{
    char prog[600], out_path[600], err_path[600];
    snprintf(prog, sizeof prog, "%s/infopoint", build_dir());
    snprintf(out_path, sizeof out_path, "%s/stdout.txt", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", dir);
    if (access(prog, X_OK) != 0)
        fail_msg("%s is not an executable (set INFOPOINT_BUILD_DIR to the build folder)", prog);

    const char *argv[24];
    size_t n = 0;
    argv[n++] = prog;
    for (size_t i = 0; args[i]; i++) {
        assert_true(n + 1 < sizeof argv / sizeof argv[0]);
        argv[n++] = args[i];
    }
    argv[n] = NULL;

    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(126);
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    struct timespec nap = {0, 10 * 1000 * 1000};
    for (int waited = 0;; waited += 10) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            break;
        if (got < 0 && errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
        if (waited >= RUN_TIMEOUT_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            print_error("infopoint did not finish within %d ms\n", RUN_TIMEOUT_MS);
            return -1;
        }
        nanosleep(&nap, NULL);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Prints the child's stderr, for failure messages. */
static void print_child_stderr(const char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/stderr.txt", dir);
    char *text = read_file(path, NULL);
    if (text && *text)
        print_error("infopoint stderr:\n%s", text);
    free(text);
}

/* Renders an in-process case into shot. */
static void render_in_process(const golden_run *r, const char *shot)
{
    config c;
    support_config(&c);
    if (r->c->lang)
        snprintf(c.language, sizeof c.language, "%s", r->c->lang);
    headless *k = support_kiosk_open(&c, support_sample_bundle(), r->w, r->h);
    char err[512];
    r->c->prepare(k);
    ui_draw(k->u);
    replay_settle(k->u, &k->now);
    ui_draw(k->u);
    if (render_save_png(k->sdl, r->w, r->h, shot, err, sizeof err) < 0)
        fail_msg("%s", err);
    support_kiosk_close(k);
}

/* Renders the case into dir/shot.png; fails the test when the program does. */
static void render_case(const golden_run *r, const char *dir, char *shot, size_t cap)
{
    if (r->c->prepare) {
        snprintf(shot, cap, "%s/shot.png", dir);
        render_in_process(r, shot);
        return;
    }
    char size[32], script_path[600];
    snprintf(shot, cap, "%s/shot.png", dir);
    snprintf(size, sizeof size, "%dx%d", r->w, r->h);
    const char *bundle = r->c->no_bundle ? MISSING_BUNDLE : env_or("SAMPLE_BUNDLE", INFOPOINT_BUILD_DIR "/sample.ipb");
    const char *args[16] = {"--bundle", bundle, "--screenshot", shot, "--size", size};
    size_t n = 6;
    if (r->c->lang) {
        args[n++] = "--lang";
        args[n++] = r->c->lang;
    }
    if (r->c->route) {
        args[n++] = "--open";
        args[n++] = r->c->route;
    }
    if (r->c->script) {
        snprintf(script_path, sizeof script_path, "%s/script.txt", dir);
        assert_int_equal(write_file(script_path, r->c->script, strlen(r->c->script)), 0);
        args[n++] = "--script";
        args[n++] = script_path;
    }
    args[n] = NULL;
    /* Without content the picture is written and the status says so. */
    int rc = run_infopoint(dir, args), want = r->c->no_bundle ? 1 : 0;
    if (rc != want) {
        print_child_stderr(dir);
        fail_msg("infopoint --screenshot for %s at %s exited with %d, not %d", r->c->name, size, rc, want);
    }
}

/* ---- comparing pictures --------------------------------------------------- */

static SDL_Surface *load_argb(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw)
        return NULL;
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

static uint32_t pixel_at(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

static bool pixels_close(uint32_t a, uint32_t b)
{
    for (int shift = 0; shift < 32; shift += 8) {
        int ca = (int)((a >> shift) & 0xFF), cb = (int)((b >> shift) & 0xFF);
        if (abs(ca - cb) > GOLDEN_CHANNEL_TOLERANCE)
            return false;
    }
    return true;
}

/* Counts the differing pixels of two same-sized pictures; when diff is not
 * NULL, draws them red on it over a faded grey copy of the reference. */
static size_t count_differences(SDL_Surface *ref, SDL_Surface *got, SDL_Surface *diff)
{
    size_t differing = 0;
    for (int y = 0; y < ref->h; y++) {
        uint32_t *row = diff ? (uint32_t *)((uint8_t *)diff->pixels + (size_t)y * (size_t)diff->pitch) : NULL;
        for (int x = 0; x < ref->w; x++) {
            uint32_t a = pixel_at(ref, x, y);
            bool same = pixels_close(a, pixel_at(got, x, y));
            differing += !same;
            if (!row)
                continue;
            if (!same) {
                row[x] = 0xFFFF0000u;
            } else {
                uint32_t grey = (((a >> 16) & 0xFF) * 3 + ((a >> 8) & 0xFF) * 6 + (a & 0xFF)) / 10;
                uint32_t faded = 192 + grey / 4; /* light grey: context, not content */
                row[x] = 0xFF000000u | faded << 16 | faded << 8 | faded;
            }
        }
    }
    return differing;
}

/* Writes the _err.png diff and the _out.png copy of what was drawn, and
 * fails with their paths and the share of differing pixels. */
static void report_mismatch(const golden_run *r, SDL_Surface *ref, SDL_Surface *got, const char *shot, double percent)
{
    char err_png[700], out_png[700];
    golden_path(err_png, sizeof err_png, r, "_err");
    golden_path(out_png, sizeof out_png, r, "_out");
    SDL_Surface *diff = SDL_CreateRGBSurfaceWithFormat(0, ref->w, ref->h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(diff);
    count_differences(ref, got, diff);
    int saved = IMG_SavePNG(diff, err_png);
    SDL_FreeSurface(diff);
    size_t len;
    char *bytes = read_file(shot, &len);
    if (bytes)
        write_file(out_png, bytes, len);
    free(bytes);
    fail_msg("%s_%dx%d: %.2f %% of pixels differ (limit %.1f %%, channel tolerance %d)\n"
             "  diff: %s%s\n  drew: %s\n"
             "  if the new look is intended: UPDATE_GOLDEN=1 ctest -R unit.test_golden",
             r->c->name, r->w, r->h, percent, GOLDEN_MAX_DIFF_PERMILLE / 10.0, GOLDEN_CHANNEL_TOLERANCE, err_png,
             saved == 0 ? "" : " (could not be written)", out_png);
}

static void compare_with_reference(const golden_run *r, const char *shot, const char *ref_path)
{
    SDL_Surface *ref = load_argb(ref_path);
    if (!ref)
        fail_msg("cannot read reference %s: %s", ref_path, IMG_GetError());
    SDL_Surface *got = load_argb(shot);
    if (!got)
        fail_msg("cannot read the screenshot %s: %s", shot, IMG_GetError());
    if (ref->w != got->w || ref->h != got->h)
        fail_msg("%s: reference is %dx%d, the screenshot %dx%d", ref_path, ref->w, ref->h, got->w, got->h);

    size_t total = (size_t)ref->w * (size_t)ref->h;
    size_t differing = count_differences(ref, got, NULL);
    double percent = 100.0 * (double)differing / (double)total;
    if (differing * 1000 > total * GOLDEN_MAX_DIFF_PERMILLE)
        report_mismatch(r, ref, got, shot, percent);
    if (differing)
        print_message("%s_%dx%d: %.3f %% of pixels differ (within the limit)\n", r->c->name, r->w, r->h, percent);
    SDL_FreeSurface(ref);
    SDL_FreeSurface(got);
}

/* Removes left-overs of an earlier failure, so an _err.png always belongs
 * to the last run. */
static void remove_stale_outputs(const golden_run *r)
{
    char path[700];
    golden_path(path, sizeof path, r, "_err");
    unlink(path);
    golden_path(path, sizeof path, r, "_out");
    unlink(path);
}

static void update_reference(const char *shot, const char *ref_path)
{
    size_t len;
    char *bytes = read_file(shot, &len);
    assert_non_null(bytes);
    char dir[700];
    snprintf(dir, sizeof dir, "%s", ref_path);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0755);
    if (write_file(ref_path, bytes, len) < 0)
        fail_msg("cannot write %s: %s", ref_path, strerror(errno));
    free(bytes);
    print_message("wrote %s\n", ref_path);
}

/* ---- the tests -------------------------------------------------------------- */

static void test_screen(void **state)
{
    const golden_run *r = *state;
    char ref_path[700], shot[700];
    golden_path(ref_path, sizeof ref_path, r, "");
    render_case(r, r->dir, shot, sizeof shot);
    remove_stale_outputs(r);
    if (!strcmp(env_or("UPDATE_GOLDEN", "0"), "1")) {
        update_reference(shot, ref_path);
    } else if (!file_exists(ref_path)) {
        fail_msg("no reference %s\n  create it (and review it) with: UPDATE_GOLDEN=1 ctest -R unit.test_golden "
                 "(from the build folder)",
                 ref_path);
    } else {
        compare_with_reference(r, shot, ref_path);
    }
}

/* --screenshot --open ROUTE for a route that names nothing: a non-zero exit,
 * a message that names the route, and no picture. */
static void test_route_refused(void **state)
{
    const golden_run *r = *state;
    const char *route = r->refused_route, *dir = r->dir;
    char shot[600], err_path[600];
    snprintf(shot, sizeof shot, "%s/shot.png", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", dir);
    const char *bundle = env_or("SAMPLE_BUNDLE", INFOPOINT_BUILD_DIR "/sample.ipb");
    const char *args[] = {"--bundle", bundle, "--screenshot", shot, "--size", "800x480", "--open", route, NULL};
    int rc = run_infopoint(dir, args);
    char *err = read_file(err_path, NULL);
    assert_non_null(err);
    if (rc == 0 || rc == -1)
        fail_msg("--open '%s' exited with %d, expected a plain failure; stderr: %s", route, rc, err);
    if (!strstr(err, route))
        fail_msg("--open '%s': the message does not name the route: %s", route, err);
    if (file_exists(shot))
        fail_msg("--open '%s' failed but still wrote %s", route, shot);
    free(err);
}

static int setup_temp_dir(void **state)
{
    golden_run *r = *state;
    char dir[512];
    r->dir = strdup(support_tempdir(dir, sizeof dir, "infopoint-golden"));
    return r->dir ? 0 : -1;
}

static int teardown_temp_dir(void **state)
{
    golden_run *r = *state;
    int removed = support_rmtree(r->dir);
    free(r->dir);
    r->dir = NULL;
    return removed;
}

int main(void)
{
    /* In-process screens show local times: the same everywhere in UTC. */
    setenv("TZ", "UTC", 1);
    tzset();
    if (SDL_Init(0) < 0)
        return 1;
    enum { NCASES = sizeof cases / sizeof cases[0], NSIZES = sizeof sizes / sizeof sizes[0], NREFUSED = 2 };
    static golden_run runs[NCASES * NSIZES + NREFUSED];
    static char names[NCASES * NSIZES + NREFUSED][96];
    static const char *const refused[NREFUSED] = {"item/no-such-item", "bad route"};
    struct CMUnitTest tests[NCASES * NSIZES + NREFUSED];
    size_t n = 0;
    for (size_t s = 0; s < NSIZES; s++) {
        for (size_t c = 0; c < NCASES; c++) {
            runs[n] = (golden_run){.c = &cases[c], .w = sizes[s].w, .h = sizes[s].h};
            snprintf(names[n], sizeof names[n], "%s_%dx%d", cases[c].name, sizes[s].w, sizes[s].h);
            tests[n] = (struct CMUnitTest){names[n], test_screen, setup_temp_dir, teardown_temp_dir, &runs[n]};
            n++;
        }
    }
    for (size_t i = 0; i < NREFUSED; i++) {
        runs[n] = (golden_run){.refused_route = refused[i]};
        snprintf(names[n], sizeof names[n], "refuses_route '%s'", refused[i]);
        tests[n] = (struct CMUnitTest){names[n], test_route_refused, setup_temp_dir, teardown_temp_dir, &runs[n]};
        n++;
    }
    /* The function behind cmocka_run_group_tests, which needs a fixed-size
     * array: one named test per screen and size reads best in CTest logs. */
    return _cmocka_run_group_tests("golden", tests, n, NULL, NULL);
}
