/* The operator screen's host, wired to a real sync worker: "Sync now" and
 * "Import from USB" make the worker install content and report with its SDL
 * event, the status comes from the state directory and the process, and
 * Restart / Exit become requests for the main loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <SDL.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "keys.h"
#include "publish.h"
#include "support.h"
#include "sync.h"

static char dir[512], repo[600], usb[600], state[600], keyfile[700], pubfile[700];
static unsigned char sk[64];

static int setup(void **unused)
{
    (void)unused;
    char err[300], id[META_KEYID_LEN + 1], keydir[600];
    support_tempdir(dir, sizeof dir, "ip-host");
    snprintf(repo, sizeof repo, "%s/repo", dir);
    snprintf(usb, sizeof usb, "%s/usb", dir);
    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(keydir, sizeof keydir, "%s/keys", dir);
    snprintf(keyfile, sizeof keyfile, "%s/publisher.key", keydir);
    snprintf(pubfile, sizeof pubfile, "%s/publisher.pub", keydir);
    assert_int_equal(keys_generate(keydir, id, err, sizeof err), 0);
    assert_int_equal(keys_read_secret(keyfile, sk, err, sizeof err), 0);
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    return support_rmtree(dir);
}

static void publish_to(const char *where, uint64_t version)
{
    publish_report rep;
    char err[300];
    if (publish_bundle(getenv("SAMPLE_BUNDLE"), sk, where, version, 30, 0, (int64_t)time(NULL), &rep, err,
                       sizeof err) < 0)
        fail_msg("publish: %s", err);
}

/* The worker's reports, in order (its notify callback, on the worker thread). */
#define MAX_REPORTS 16
static atomic_int outcomes[MAX_REPORTS], n_reports;

static void on_report(void *user, sync_outcome outcome, const char *bundle)
{
    (void)user;
    (void)bundle;
    int i = atomic_load(&n_reports);
    if (i < MAX_REPORTS) {
        atomic_store(&outcomes[i], (int)outcome);
        atomic_store(&n_reports, i + 1);
    }
}

/* Waits (at most 20 s) for the worker's next report; returns its outcome. */
static int wait_report(void)
{
    static int seen;
    for (int i = 0; i < 1000; i++) {
        if (atomic_load(&n_reports) > seen)
            return atomic_load(&outcomes[seen++]);
        SDL_Delay(20);
    }
    fail_msg("no report from the sync worker within 20 s");
    return -1;
}

static void test_operator_buttons_drive_the_worker(void **unused)
{
    (void)unused;
    publish_to(repo, 1);
    meta_key key;
    char err[300];
    assert_int_equal(keys_read_public(pubfile, &key, err, sizeof err), 0);
    config c;
    support_config(&c);
    snprintf(c.state_dir, sizeof c.state_dir, "%s", state);
    snprintf(c.sync_url, sizeof c.sync_url, "%s", repo);
    snprintf(c.usb_path, sizeof c.usb_path, "%s", usb);
    snprintf(c.trust, sizeof c.trust, "%s", pubfile);
    snprintf(c.kiosk_id, sizeof c.kiosk_id, "town-hall-2");
    syncworker_cfg wc = {.usb_path = usb, .notify = on_report};
    wc.sync = (sync_cfg){.url = repo, .state_dir = state, .trust = &key, .n_trust = 1, .quiet = 1};
    schedule_defaults(&wc.schedule);
    wc.schedule.first_delay_s = 3600; /* nothing runs by itself during the test */
    syncworker *w = syncworker_start(&wc, err, sizeof err);
    assert_non_null(w);
    host *h = host_create(&c, w);
    assert_non_null(h);
    ui_host cb = host_callbacks(h);
    assert_non_null(cb.sync_now);
    assert_non_null(cb.import_usb);

    ui_admin_status st;
    memset(&st, 0, sizeof st);
    for (int i = 0; i < 100 && st.next_sync <= 0; i++) { /* the worker plans its first check */
        SDL_Delay(20);
        cb.get_status(cb.user, &st);
    }
    assert_int_equal(st.snapshot_version, 0); /* nothing installed yet */
    assert_true(st.next_sync >= st.now + 1799); /* planned 30-60 min on, and written to the status file */
    syncstate_status file;
    assert_int_equal(syncstate_read_status(state, &file, err, sizeof err), 0);
    assert_int_equal(file.next_run, st.next_sync);

    cb.sync_now(cb.user);
    assert_int_equal(wait_report(), SYNC_INSTALLED);
    memset(&st, 0, sizeof st);
    cb.get_status(cb.user, &st);
    assert_int_equal(st.snapshot_version, 1);
    assert_true(st.last_success > 0 && st.last_success <= st.now);
    assert_string_equal(st.last_error, "");
    assert_string_equal(st.kiosk_id, "town-hall-2");
    assert_true(st.rss_bytes > 1000000);
    assert_true(st.disk_free_bytes > 0);
    assert_int_equal(st.sync_configured, 1);

    publish_to(usb, 2); /* a stick comes, with a newer version of the same publisher */
    cb.import_usb(cb.user);
    assert_int_equal(wait_report(), SYNC_INSTALLED);
    cb.get_status(cb.user, &st);
    assert_int_equal(st.snapshot_version, 2);

    assert_int_equal(host_pending(h), HOST_RUN);
    cb.restart(cb.user);
    assert_int_equal(host_pending(h), HOST_RESTART);
    cb.exit_to_desktop(cb.user);
    assert_int_equal(host_pending(h), HOST_EXIT_TO_DESKTOP);
    host_destroy(h);
    uint32_t t0 = SDL_GetTicks();
    syncworker_stop(w);
    assert_true(SDL_GetTicks() - t0 < 1000); /* a sleeping worker stops at once */
}

static void test_without_worker_buttons_are_disabled(void **unused)
{
    (void)unused;
    config c;
    support_config(&c);
    snprintf(c.state_dir, sizeof c.state_dir, "%s", state);
    host *h = host_create(&c, NULL);
    ui_host cb = host_callbacks(h);
    assert_null(cb.sync_now);
    assert_null(cb.import_usb);
    assert_non_null(cb.get_status);
    ui_admin_status st;
    memset(&st, 0, sizeof st);
    cb.get_status(cb.user, &st);
    assert_int_equal(st.sync_configured, 0);
    host_destroy(h);
}

int main(void)
{
    if (SDL_Init(SDL_INIT_EVENTS) < 0)
        return 1;
    fetch_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_operator_buttons_drive_the_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_worker_buttons_are_disabled, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}
