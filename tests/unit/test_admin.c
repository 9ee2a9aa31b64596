/* The operator's side of the ui: the hidden gesture, the PIN keypad and its
 * lock-out, the operator screen and its host, the touch test and the test
 * pattern — driven headless on the sample bundle, in virtual time, with
 * taps landing where the buttons are drawn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "digest.h"
#include "support.h"
#include "render.h"
#include "script.h"
#include "store.h"
#include "ui.h"
#include "ui_private.h"

#define GOOD_PIN "2468"

/* ---- a fake host and a fake PIN check -------------------------------------------- */

typedef struct {
    int status_calls, sync_now, import_usb, restart, exit_to_desktop;
    ui_admin_status status;   /* what get_status reports */
} fake_host;

static void fake_status(void *user, ui_admin_status *out)
{
    fake_host *h = user;
    h->status_calls++;
    *out = h->status;
}

static void fake_sync(void *user) { ((fake_host *)user)->sync_now++; }
static void fake_import(void *user) { ((fake_host *)user)->import_usb++; }
static void fake_restart(void *user) { ((fake_host *)user)->restart++; }
static void fake_exit(void *user) { ((fake_host *)user)->exit_to_desktop++; }

static ui_host host_of(fake_host *h)
{
    ui_host host = {.user = h, .get_status = fake_status, .sync_now = fake_sync, .import_usb = fake_import,
                    .restart = fake_restart, .exit_to_desktop = fake_exit};
    return host;
}

/* A status as a real kiosk would report it in the middle of a sync. */
static ui_admin_status busy_status(void)
{
    ui_admin_status st;
    memset(&st, 0, sizeof st);
    st.now = 1795000000;
    snprintf(st.content_version, sizeof st.content_version, "42");
    snprintf(st.content_created, sizeof st.content_created, "2026-11-20T09:00:00Z");
    st.snapshot_version = 17;
    st.sync_configured = 1;
    st.last_attempt = st.now - 2 * 3600 - 5 * 60;
    st.last_success = st.now - 3 * 86400 - 4 * 3600;
    st.next_sync = st.now + 5 * 3600 + 12 * 60;
    st.sync_running = 1;
    snprintf(st.sync_phase, sizeof st.sync_phase, "downloading");
    st.items_done = 120;
    st.items_total = 348;
    st.bytes_done = 3355443;
    st.bytes_total = 8493466;
    snprintf(st.last_error, sizeof st.last_error,
             "timestamp.txt: the metadata expired on 2026-11-25 00:00 UTC (a freeze attack, or the publisher has "
             "not re-signed); keeping version 17");
    st.stale = 1;
    st.disk_free_bytes = 1288490188;
    st.uptime_s = 3 * 86400 + 4 * 3600 + 10 * 60;
    st.rss_bytes = 38797312;
    snprintf(st.kiosk_id, sizeof st.kiosk_id, "kz-ast-0042");
    return st;
}

static int pin_checks;

static bool fake_pin_check(void *user, const char *hash, const char *pin)
{
    (void)user;
    pin_checks++;
    return !strcmp(hash, "fake-hash") && !strcmp(pin, GOOD_PIN);
}

/* ---- driving the ui -------------------------------------------------------------- */

/* The check the kiosk configures: libsodium's Argon2id. */
static bool real_pin_check(void *user, const char *hash, const char *pin)
{
    (void)user;
    return config_pin_matches(hash, pin) != 0;
}

typedef struct {
    bool pin;               /* configure the fake PIN */
    int idle_reset_s;       /* -1: default */
    const char *hash;       /* a real hash instead (libsodium checks it) */
    const char *lang;
} setup;

static headless *open_ui(int w, int h, setup s)
{
    headless *k = support_kiosk_open(NULL, support_sample_bundle(), w, h);
    assert_non_null(k->st);
    /* The kiosk's own ui, replaced by one with the operator settings. */
    ui_destroy(k->u);
    ui_config cfg = ui_config_default();
    if (s.idle_reset_s >= 0)
        cfg.idle_reset_s = s.idle_reset_s;
    if (s.lang)
        snprintf(cfg.default_lang, sizeof cfg.default_lang, "%s", s.lang);
    if (s.pin) {
        snprintf(cfg.admin_pin_hash, sizeof cfg.admin_pin_hash, "fake-hash");
        cfg.pin_check = fake_pin_check;
    }
    if (s.hash) {
        snprintf(cfg.admin_pin_hash, sizeof cfg.admin_pin_hash, "%s", s.hash);
        cfg.pin_check = real_pin_check;
    }
    k->u = ui_create(&cfg, k->st, NULL, k->r, w, h, k->now);
    assert_non_null(k->u);
    ui_draw(k->u);
    return k;
}

static headless *open_default(void)
{
    return open_ui(800, 480, (setup){.pin = true, .idle_reset_s = -1});
}

static void close_ui(headless *k)
{
    support_kiosk_close(k);
}

static void run(headless *k, const char *text)
{
    support_run(k, text);
}

static void expect_route(headless *k, const char *want)
{
    support_expect_route(k, want);
}

static bool on_screen(headless *k, const char *name)
{
    float x, y;
    return ui_locate_route(k->u, name, &x, &y) == 0;
}

static void type_pin(headless *k, const char *pin)
{
    char line[64];
    for (const char *p = pin; *p; p++) {
        snprintf(line, sizeof line, "tapon @pin-%c\n", *p);
        run(k, line);
    }
    run(k, "tapon @pin-ok\n");
}

/* The hidden gesture: held still in the top-left corner. */
static void corner_press(headless *k, int ms)
{
    char line[64];
    snprintf(line, sizeof line, "longpress 12 12 %d\n", ms);
    run(k, line);
}

/* ---- the gesture ------------------------------------------------------------------- */

static void test_gesture_opens_keypad(void **state)
{
    (void)state;
    headless *k = open_default();
    corner_press(k, 3100);
    expect_route(k, "admin/pin");
    /* Cancel goes back to where the gesture was made. */
    run(k, "tapon @close\n");
    expect_route(k, "home");
    close_ui(k);
}

static void test_gesture_needs_three_still_seconds(void **state)
{
    (void)state;
    headless *k = open_default();
    /* Too short. */
    corner_press(k, 2500);
    expect_route(k, "home");
    /* Moving finger: held long enough, but dragged along the bar. */
    run(k, "drag 10 10 50 30 3500\n");
    expect_route(k, "home");
    /* Still, but moved away first (beyond the tap slop) and then held. */
    ui_pointer_down(k->u, -1, 10, 10, k->now);
    run(k, "wait 200\n");
    ui_pointer_move(k->u, -1, 40, 12, k->now);
    run(k, "wait 3500\n");
    ui_pointer_up(k->u, -1, 40, 12, k->now);
    run(k, "wait 100\n");
    expect_route(k, "home");
    /* Outside the corner: the middle of the top bar. */
    run(k, "longpress 400 20 3500\n");
    expect_route(k, "home");
    /* A second finger on the glass cancels it (a palm, a child's hands). */
    ui_pointer_down(k->u, 1, 12, 12, k->now);
    run(k, "wait 500\n");
    ui_pointer_down(k->u, 2, 400, 300, k->now);
    run(k, "wait 3000\n");
    ui_pointer_up(k->u, 2, 400, 300, k->now);
    ui_pointer_up(k->u, 1, 12, 12, k->now);
    run(k, "wait 100\n");
    expect_route(k, "home");
    /* And the real thing still works after all that. */
    corner_press(k, 3050);
    expect_route(k, "admin/pin");
    close_ui(k);
}

static void test_gesture_leaves_home_button_alone(void **state)
{
    (void)state;
    headless *k = open_default();
    /* The Home button's icon lies in the corner square: (20, 20) is both. */
    assert_true(ui_corner_size(k->u) > 20);
    run(k, "open item/constitution\n");
    /* A tap there is still a tap on Home. */
    run(k, "tap 20 20\n");
    expect_route(k, "home");
    /* Held for 1.5 s it does nothing (the long press swallows the release). */
    run(k, "open item/constitution\nlongpress 20 20 1500\n");
    expect_route(k, "item/constitution");
    /* Held for 3 s it opens the keypad; Cancel returns to the article. */
    run(k, "longpress 20 20 3100\n");
    expect_route(k, "admin/pin");
    run(k, "tapon @close\n");
    expect_route(k, "item/constitution");
    close_ui(k);
}

static void test_gesture_without_pin_says_so(void **state)
{
    (void)state;
    headless *k = open_ui(800, 480, (setup){.idle_reset_s = -1, .lang = "en"});
    corner_press(k, 3100);
    expect_route(k, "home");
    assert_string_equal(ui_toast_text(k->u), "Operator screen disabled (no PIN set)");
    /* The command line still opens it. */
    run(k, "open admin\n");
    expect_route(k, "admin");
    close_ui(k);
}

static void test_gesture_works_without_content(void **state)
{
    (void)state;
    /* A kiosk whose bundle will not open shows "out of service"; the
     * operator must still get in (to import content from USB). */
    headless *k = support_kiosk_open(NULL, "/nonexistent/infopoint-test/missing.ipb", 800, 480);
    assert_null(k->st);
    ui_destroy(k->u);
    ui_config cfg = ui_config_default();
    snprintf(cfg.admin_pin_hash, sizeof cfg.admin_pin_hash, "fake-hash");
    cfg.pin_check = fake_pin_check;
    k->u = ui_create(&cfg, NULL, "cannot open the bundle", k->r, 800, 480, k->now);
    corner_press(k, 3100);
    expect_route(k, "admin/pin");
    type_pin(k, GOOD_PIN);
    expect_route(k, "admin");
    char e[256];
    assert_int_equal(ui_check_layout(k->u, e, sizeof e), 0);
    run(k, "tapon @close\n");
    expect_route(k, "home");
    close_ui(k);
}

/* ---- the keypad ------------------------------------------------------------------- */

static void test_pin_right_and_wrong(void **state)
{
    (void)state;
    headless *k = open_default();
    run(k, "open category/constitution\n");
    corner_press(k, 3100);
    expect_route(k, "admin/pin");
    pin_checks = 0;
    type_pin(k, "1111");
    expect_route(k, "admin/pin");
    assert_int_equal(pin_checks, 1);
    /* OK with nothing typed checks nothing. */
    run(k, "tapon @pin-ok\n");
    assert_int_equal(pin_checks, 1);
    /* A typo fixed with Delete. */
    run(k, "tapon @pin-2\ntapon @pin-4\ntapon @pin-6\ntapon @pin-9\ntapon @pin-delete\ntapon @pin-8\n");
    run(k, "tapon @pin-ok\n");
    expect_route(k, "admin");
    /* Close leaves for home, not for the keypad or the category. */
    run(k, "tapon @close\n");
    expect_route(k, "home");
    close_ui(k);
}

static void test_pin_from_keyboard(void **state)
{
    (void)state;
    headless *k = open_default();
    corner_press(k, 3100);
    ui_text_input(k->u, "13", k->now);
    ui_key(k->u, "backspace", k->now);
    ui_key(k->u, "backspace", k->now);
    ui_text_input(k->u, "2x4", k->now); /* not a digit: ignored */
    ui_text_input(k->u, "68", k->now);
    ui_key(k->u, "return", k->now);
    run(k, "wait 100\n");
    expect_route(k, "admin");
    close_ui(k);
}

static void test_pin_real_hash(void **state)
{
    (void)state;
    /* A hash as the config tool writes it, at libsodium's cheapest cost so
     * the test is quick; the ui checks it with crypto_pwhash_str_verify. */
    assert_true(sodium_init() >= 0);
    char hash[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str(hash, "1357", 4, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
    headless *k = open_ui(800, 480, (setup){.idle_reset_s = -1, .hash = hash});
    corner_press(k, 3100);
    type_pin(k, "7531");
    expect_route(k, "admin/pin");
    type_pin(k, "1357");
    expect_route(k, "admin");
    close_ui(k);
    /* A damaged hash opens nothing. */
    k = open_ui(800, 480, (setup){.idle_reset_s = -1, .hash = "$argon2id$v=19$garbage"});
    corner_press(k, 3100);
    type_pin(k, "1357");
    expect_route(k, "admin/pin");
    close_ui(k);
}

static void test_pin_lockout(void **state)
{
    (void)state;
    headless *k = open_ui(800, 480, (setup){.pin = true, .idle_reset_s = 0});
    corner_press(k, 3100);
    for (int i = 0; i < UI_PIN_MAX_FAILURES - 1; i++)
        type_pin(k, "0000");
    assert_true(on_screen(k, "@pin-1"));
    type_pin(k, "0000"); /* the fifth */
    expect_route(k, "admin/pin");
    /* Locked: no key answers, not even the right PIN from a keyboard. */
    assert_false(on_screen(k, "@pin-1"));
    assert_false(on_screen(k, "@pin-ok"));
    assert_true(on_screen(k, "@close"));
    pin_checks = 0;
    ui_text_input(k->u, GOOD_PIN, k->now);
    ui_key(k->u, "return", k->now);
    run(k, "wait 100\n");
    expect_route(k, "admin/pin");
    assert_int_equal(pin_checks, 0);
    /* The countdown wakes the ui once a second, no more. */
    deadline d;
    d = ui_next_deadline(k->u, k->now);
    assert_true(d.set && deadline_left(d, k->now) <= 1000);
    unsigned frames = ui_get_stats(k->u).frames;
    run(k, "wait 10000\n");
    unsigned drawn = ui_get_stats(k->u).frames - frames;
    assert_true(drawn >= 9 && drawn <= 12);
    /* Leaving and coming back does not reset it. */
    run(k, "tapon @close\n");
    expect_route(k, "home");
    corner_press(k, 3100);
    expect_route(k, "admin/pin");
    assert_false(on_screen(k, "@pin-1"));
    /* Five minutes after the fifth wrong PIN the keypad works again. The
     * keypad closes by itself after UI_OPERATOR_IDLE_S; open it again. */
    run(k, "wait 290000\n");
    expect_route(k, "home");
    corner_press(k, 3100);
    expect_route(k, "admin/pin");
    assert_true(on_screen(k, "@pin-1"));
    /* With a fresh count: four wrong ones do not lock it again. */
    for (int i = 0; i < UI_PIN_MAX_FAILURES - 1; i++)
        type_pin(k, "9999");
    assert_true(on_screen(k, "@pin-1"));
    type_pin(k, GOOD_PIN);
    expect_route(k, "admin");
    close_ui(k);
}

static void test_links_never_lead_to_operator_screens(void **state)
{
    (void)state;
    headless *k = open_default();
    static const char *const routes[] = {"admin", "admin/pin", "admin/touch", "admin/pattern"};
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        ui_go(k->u, routes[i]);
        expect_route(k, "home");
        assert_true(strlen(ui_toast_text(k->u)) > 0);
    }
    close_ui(k);
}

/* ---- idle reset ----------------------------------------------------------------------- */

static void test_idle_reset_closes_operator_screens(void **state)
{
    (void)state;
    static const char *const routes[] = {"admin", "admin/pin", "admin/touch", "admin/pattern"};
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        headless *k = open_default();
        char line[64];
        snprintf(line, sizeof line, "open %s\n", routes[i]);
        run(k, line);
        run(k, "wait 89000\n");
        expect_route(k, routes[i]);
        run(k, "wait 2000\n");
        expect_route(k, "home");
        assert_int_equal(ui_get_stats(k->u).idle_resets, 1);
        close_ui(k);
    }
    /* With the citizen reset switched off, the operator screen still
     * closes after UI_OPERATOR_IDLE_S; a citizen screen stays. */
    headless *k = open_ui(800, 480, (setup){.pin = true, .idle_reset_s = 0});
    run(k, "open admin\n");
    run(k, "wait 119000\n");
    expect_route(k, "admin");
    run(k, "wait 2000\n");
    expect_route(k, "home");
    run(k, "open item/constitution\nwait 600000\n");
    expect_route(k, "item/constitution");
    close_ui(k);
}

/* ---- the operator screen and its host -------------------------------------------------- */

static void test_buttons_call_the_host(void **state)
{
    (void)state;
    headless *k = open_ui(800, 480, (setup){.pin = true, .idle_reset_s = -1, .lang = "en"});
    fake_host fh = {.status = busy_status()};
    fh.status.sync_running = 0;
    ui_host host = host_of(&fh);
    ui_set_host(k->u, &host);
    run(k, "open admin\n");
    assert_true(fh.status_calls > 0);

    run(k, "tapon @sync-now\n");
    assert_int_equal(fh.sync_now, 1);
    assert_string_equal(ui_toast_text(k->u), "Update check started");
    run(k, "tapon @import-usb\n");
    assert_int_equal(fh.import_usb, 1);

    /* Restart and Exit ask first; while asking, only the question answers. */
    run(k, "tapon @restart\n");
    assert_int_equal(fh.restart, 0);
    assert_false(on_screen(k, "@sync-now"));
    run(k, "tapon @cancel\n");
    assert_int_equal(fh.restart, 0);
    assert_true(on_screen(k, "@sync-now"));
    run(k, "tapon @restart\ntapon @confirm\n");
    assert_int_equal(fh.restart, 1);
    run(k, "tapon @exit\ntapon @confirm\n");
    assert_int_equal(fh.exit_to_desktop, 1);
    assert_int_equal(fh.sync_now, 1);
    assert_int_equal(fh.import_usb, 1);
    expect_route(k, "admin");

    /* Callbacks the host does not have: disabled buttons, not tappable. */
    host.sync_now = NULL;
    host.exit_to_desktop = NULL;
    ui_set_host(k->u, &host);
    run(k, "wait 20\n");
    assert_false(on_screen(k, "@sync-now"));
    assert_false(on_screen(k, "@exit"));
    assert_true(on_screen(k, "@import-usb"));
    /* No host at all: only the tests and Close. */
    ui_set_host(k->u, NULL);
    run(k, "wait 20\n");
    assert_false(on_screen(k, "@import-usb"));
    assert_false(on_screen(k, "@restart"));
    assert_true(on_screen(k, "@touch-test"));
    assert_true(on_screen(k, "@test-pattern"));
    close_ui(k);
}

static void test_refreshes_only_while_syncing(void **state)
{
    (void)state;
    headless *k = open_default();
    fake_host fh = {.status = busy_status()};
    ui_host host = host_of(&fh);
    ui_set_host(k->u, &host);
    run(k, "open admin\n");
    /* Running: woken every UI_ADMIN_REFRESH_MS to ask again. */
    deadline d;
    d = ui_next_deadline(k->u, k->now);
    assert_true(d.set && deadline_left(d, k->now) <= (int32_t)UI_ADMIN_REFRESH_MS);
    int before = fh.status_calls;
    run(k, "wait 5000\n");
    int calls = fh.status_calls - before;
    assert_true(calls >= 9 && calls <= 11);
    /* Done: one more look sees it, then the screen sleeps. */
    fh.status.sync_running = 0;
    run(k, "wait 1000\n");
    before = fh.status_calls;
    run(k, "wait 50000\n");
    assert_int_equal(fh.status_calls, before);
    d = ui_next_deadline(k->u, k->now);
    assert_true(d.set && deadline_left(d, k->now) > 20000); /* only the idle reset */
    /* The host says something changed: drawn once more. */
    ui_host_changed(k->u);
    assert_true(ui_dirty(k->u));
    /* Sync now refreshes for a few seconds before the worker reports. */
    run(k, "tapon @sync-now\n");
    before = fh.status_calls;
    run(k, "wait 3000\n");
    assert_true(fh.status_calls - before >= 5);
    close_ui(k);
}

static void test_no_host_shows_dashes(void **state)
{
    (void)state;
    headless *k = open_default();
    run(k, "open admin\n");
    ui_admin_status st;
    ui_admin_status_get(k->u, &st);
    /* The ui knows its own bundle's version and date; nothing else. */
    char want[64];
    assert_int_equal(store_meta(k->st, "bundle_version", want, sizeof want), 0);
    assert_string_equal(st.content_version, want);
    assert_int_equal(store_meta(k->st, "created", want, sizeof want), 0);
    assert_string_equal(st.content_created, want);
    assert_string_equal(st.content_published, ""); /* built, never published */
    assert_true(st.last_attempt < 0 && st.uptime_s < 0 && st.disk_free_bytes < 0 && st.snapshot_version < 0);
    char out[128];
    ui_format_bytes(k->u, st.disk_free_bytes, out, sizeof out);
    assert_string_equal(out, "—");
    ui_format_time(k->u, st.next_sync, st.now, true, out, sizeof out);
    assert_string_equal(out, "—");
    char e[256];
    assert_int_equal(ui_check_layout(k->u, e, sizeof e), 0);
    close_ui(k);
}

/* The sample bundle as `publish` leaves it on a kiosk: its version and
 * the publication's date stamped into meta, the digest computed again. */
static void stamped_copy(const char *path, const char *version, const char *published)
{
    sqlite3 *src, *db;
    char sql[256], digest[DIGEST_HEX_LEN + 1], err[256];
    assert_int_equal(sqlite3_open_v2(support_sample_bundle(), &src, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_backup *b = sqlite3_backup_init(db, "main", src, "main");
    assert_non_null(b);
    assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
    assert_int_equal(sqlite3_backup_finish(b), SQLITE_OK);
    sqlite3_close(src);
    snprintf(sql, sizeof sql, "UPDATE meta SET value = '%s' WHERE key = 'bundle_version';"
             "INSERT INTO meta VALUES ('published', '%s')", version, published);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(digest_compute(db, digest, err, sizeof err), 0);
    snprintf(sql, sizeof sql, "UPDATE meta SET value = '%s' WHERE key = 'digest'", digest);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* One version story (issue 14): a published bundle tells the operator
 * screen its version and the publication's date. */
static void test_published_bundle_tells_its_date(void **state)
{
    (void)state;
    char dir[64], path[128];
    support_tempdir(dir, sizeof dir, "ip-admin");
    snprintf(path, sizeof path, "%s/published.ipb", dir);
    stamped_copy(path, "17", "2026-11-18T08:00:00Z");
    headless *k = support_kiosk_open(NULL, path, 800, 480);
    assert_non_null(k->st);
    ui_admin_status st;
    ui_admin_status_get(k->u, &st);
    assert_string_equal(st.content_version, "17");
    assert_string_equal(st.content_published, "2026-11-18T08:00:00Z");
    support_kiosk_close(k);
    support_rmtree(dir);
}

static void test_formats(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    headless *k = open_default();
    char out[160];
    const int64_t now = 1795000000; /* 2026-11-18 11:06:40 UTC */
    struct {
        const char *lang, *dur, *bytes, *next, *last;
    } want[] = {
        {"en", "5 h 12 min", "1.2 GB", "2026-11-18 16:18 (in 5 h 12 min)", "2026-11-15 07:06 (3 d 4 h ago)"},
        {"ru", "5 ч 12 мин", "1,2 ГБ", "2026-11-18 16:18 (через 5 ч 12 мин)", "2026-11-15 07:06 (3 дн 4 ч назад)"},
        {"kk", "5 сағ 12 мин", "1,2 ГБ", "2026-11-18 16:18 (5 сағ 12 мин қалды)",
         "2026-11-15 07:06 (3 күн 4 сағ бұрын)"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        ui_set_lang(k->u, want[i].lang, k->now);
        ui_format_duration(k->u, 5 * 3600 + 12 * 60 + 59, out, sizeof out);
        assert_string_equal(out, want[i].dur);
        ui_format_bytes(k->u, 1288490188, out, sizeof out);
        assert_string_equal(out, want[i].bytes);
        ui_format_time(k->u, now + 5 * 3600 + 12 * 60, now, true, out, sizeof out);
        assert_string_equal(out, want[i].next);
        ui_format_time(k->u, now - 3 * 86400 - 4 * 3600, now, false, out, sizeof out);
        assert_string_equal(out, want[i].last);
    }
    ui_set_lang(k->u, "en", k->now);
    ui_format_bytes(k->u, 38797312, out, sizeof out);
    assert_string_equal(out, "37 MB");
    ui_format_bytes(k->u, 524288, out, sizeof out);
    assert_string_equal(out, "512 KB");
    ui_format_bytes(k->u, 0, out, sizeof out);
    assert_string_equal(out, "0 B");
    ui_format_duration(k->u, 3 * 86400, out, sizeof out);
    assert_string_equal(out, "3 d");
    ui_format_duration(k->u, 20, out, sizeof out);
    assert_string_equal(out, "1 min");
    ui_format_time(k->u, 0, now, false, out, sizeof out);
    assert_string_equal(out, "never");
    ui_format_time(k->u, now - 20, now, false, out, sizeof out);
    assert_string_equal(out, "2026-11-18 11:06 (just now)");
    ui_format_time(k->u, now - 600, now, true, out, sizeof out); /* overdue */
    assert_string_equal(out, "2026-11-18 10:56 (due now)");
    ui_format_time(k->u, now, -1, false, out, sizeof out); /* no clock: no relative part */
    assert_string_equal(out, "2026-11-18 11:06");
    close_ui(k);
}

static void test_content_swap_keeps_operator_screens(void **state)
{
    (void)state;
    /* A sync installs new content while the operator watches: the screen
     * stays, and so does a lock-out on the keypad. */
    headless *k = open_default();
    run(k, "open admin\n");
    ui_set_store(k->u, k->st, k->now);
    expect_route(k, "admin");
    run(k, "open admin/pin\n");
    for (int i = 0; i < UI_PIN_MAX_FAILURES; i++)
        type_pin(k, "0000");
    ui_set_store(k->u, k->st, k->now);
    run(k, "wait 20\n");
    expect_route(k, "admin/pin");
    assert_false(on_screen(k, "@pin-1"));
    close_ui(k);
}

/* ---- touch test and test pattern ------------------------------------------------------ */

static void test_touch_test_shows_touches(void **state)
{
    (void)state;
    headless *k = open_default();
    run(k, "open admin\ntapon @touch-test\n");
    expect_route(k, "admin/touch");
    uint32_t background = support_pixel(k, 310, 410);
    /* Two fingers at once; the second one moves. */
    ui_pointer_down(k->u, 11, 200, 340, k->now);
    ui_pointer_down(k->u, 12, 600, 250, k->now);
    for (int i = 1; i <= 10; i++)
        ui_pointer_move(k->u, 12, 600 - 10 * i, 250 + 5 * i, k->now + 16 * (uint32_t)i);
    k->now += 200;
    ui_draw(k->u);
    /* Each finger's centre dot in its own colour (first: amber, second: sky). */
    assert_int_equal(support_pixel(k, 200, 340), 0xFFC400);
    assert_int_equal(support_pixel(k, 500, 300), 0x00C8FF);
    /* The second finger's trail starts where it went down. */
    assert_true(support_pixel(k, 600, 250) != background);
    assert_true(support_pixel(k, 580, 260) != background);
    /* Lifted fingers leave their trails (faded) but not their rings. */
    ui_pointer_up(k->u, 11, 200, 340, k->now);
    ui_pointer_up(k->u, 12, 500, 300, k->now);
    ui_draw(k->u);
    assert_true(support_pixel(k, 200, 340) != 0xFFC400);
    assert_true(support_pixel(k, 200, 340) != background);
    /* Close, by touch only, goes back to the operator screen. */
    run(k, "tapon @close\n");
    expect_route(k, "admin");
    close_ui(k);
}

static void test_pattern_closes_on_tap(void **state)
{
    (void)state;
    headless *k = open_default();
    run(k, "open admin\ntapon @test-pattern\n");
    expect_route(k, "admin/pattern");
    /* Corners are marked at the very edge: red top-left, yellow bottom-right. */
    ui_draw(k->u);
    assert_int_equal(support_pixel(k, 0, 0), 0xFF0000);
    assert_int_equal(support_pixel(k, 3, 3), 0xFF0000);
    assert_int_equal(support_pixel(k, 796, 476), 0xFFFF00);
    /* A drag is not a tap: still there. */
    run(k, "drag 100 200 400 220 300\n");
    expect_route(k, "admin/pattern");
    run(k, "tap 650 120\n");
    expect_route(k, "admin");
    close_ui(k);
}

/* ---- layout ------------------------------------------------------------------------------ */

static void check(headless *k, const char *what)
{
    char err[512];
    if (ui_check_layout(k->u, err, sizeof err) > 0)
        fail_msg("%s: %s (%s)", what, err, ui_lang(k->u));
}

/* Every operator screen in every state, at every supported size, in every
 * language: targets at least a fingertip, none overlapping, none off the
 * screen, no label cut. */
static void test_layout_every_size_and_language(void **state)
{
    (void)state;
    static const int sizes[][2] = {{800, 480}, {1280, 800}, {1920, 1080}, {1080, 1920}, {3840, 2160}};
    static const char *const langs[] = {"kk", "ru", "en"};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        for (size_t l = 0; l < 3; l++) {
            headless *k = open_ui(sizes[s][0], sizes[s][1], (setup){.pin = true, .idle_reset_s = 0, .lang = langs[l]});
            /* The citizen may have left a bigger text size behind. */
            run(k, "tapon @text-size\ntapon @size-4\ntapon @done\n");
            fake_host fh = {.status = busy_status()};
            ui_host host = host_of(&fh);

            run(k, "open admin\n");
            check(k, "admin without a host");
            ui_set_host(k->u, &host);
            run(k, "wait 20\n");
            check(k, "admin, syncing, stale");
            run(k, "tapon @restart\n");
            check(k, "admin, asking to restart");
            run(k, "tapon @cancel\ntapon @exit\n");
            check(k, "admin, asking to exit");
            run(k, "tapon @cancel\n");

            run(k, "open admin/pin\n");
            check(k, "keypad");
            run(k, "tapon @pin-1\ntapon @pin-2\ntapon @pin-ok\n");
            check(k, "keypad, wrong PIN");
            for (int i = 1; i < UI_PIN_MAX_FAILURES; i++)
                type_pin(k, "0");
            check(k, "keypad, locked");

            run(k, "open admin/touch\n");
            ui_pointer_down(k->u, 1, 5, 5, k->now);
            ui_pointer_down(k->u, 2, (float)sizes[s][0] - 5, (float)sizes[s][1] - 5, k->now);
            check(k, "touch test with fingers in the corners");
            ui_pointer_up(k->u, 1, 5, 5, k->now);
            ui_pointer_up(k->u, 2, (float)sizes[s][0] - 5, (float)sizes[s][1] - 5, k->now);
            run(k, "open admin/pattern\n");
            check(k, "test pattern");
            ui_set_host(k->u, NULL);
            close_ui(k);
        }
    }
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    if (SDL_Init(0) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gesture_opens_keypad),
        cmocka_unit_test(test_gesture_needs_three_still_seconds),
        cmocka_unit_test(test_gesture_leaves_home_button_alone),
        cmocka_unit_test(test_gesture_without_pin_says_so),
        cmocka_unit_test(test_gesture_works_without_content),
        cmocka_unit_test(test_pin_right_and_wrong),
        cmocka_unit_test(test_pin_from_keyboard),
        cmocka_unit_test(test_pin_real_hash),
        cmocka_unit_test(test_pin_lockout),
        cmocka_unit_test(test_links_never_lead_to_operator_screens),
        cmocka_unit_test(test_idle_reset_closes_operator_screens),
        cmocka_unit_test(test_buttons_call_the_host),
        cmocka_unit_test(test_refreshes_only_while_syncing),
        cmocka_unit_test(test_no_host_shows_dashes),
        cmocka_unit_test(test_published_bundle_tells_its_date),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_content_swap_keeps_operator_screens),
        cmocka_unit_test(test_touch_test_shows_touches),
        cmocka_unit_test(test_pattern_closes_on_tap),
        cmocka_unit_test(test_layout_every_size_and_language),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}
