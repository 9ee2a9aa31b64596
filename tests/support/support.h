/* support — what many unit tests need, in one place: temporary directories
 * and a headless kiosk driven by scripts. For cmocka tests only: a failure
 * here fails the running test (fail_msg), with the reason. */
#pragma once

#include <stddef.h>

#include "config.h"
#include "headless.h"

/* Makes a new directory $TMPDIR/NAME-XXXXXX ($TMPDIR unset or empty: /tmp)
 * into out (cap bytes) and returns out; fails the test when it cannot. */
char *support_tempdir(char *out, size_t cap, const char *name);

/* Removes path and everything below it, without following symbolic
 * links. Returns 0 (also when path does not exist), or -1 when something
 * could not be removed. */
int support_rmtree(const char *path);

/* The build's sample bundle: $SAMPLE_BUNDLE, else INFOPOINT_BUILD_DIR's. */
const char *support_sample_bundle(void);

/* cmocka group set-up and tear-down: *state is the sample bundle opened
 * read-only (a store *); fails the test when it does not open. */
int support_sample_store_open(void **state);
int support_sample_store_close(void **state);

/* The settings of a test kiosk: every default, but no state directory
 * (nothing of this machine's installed content is read). */
void support_config(config *c);

/* A headless kiosk of w×h on bundle with the settings c (NULL: those of
 * support_config), on the heap. Fails the test when it cannot start (SDL,
 * fonts); a bundle that does not open is no failure (k->st is NULL). */
headless *support_kiosk_open(const config *c, const char *bundle, int w, int h);

/* Frees a kiosk of support_kiosk_open. */
void support_kiosk_close(headless *k);

/* Parses text as a script (script.h), replays it on k in virtual time and
 * lets the screen settle; fails the test on a bad script or step. */
void support_run(headless *k, const char *text);

/* Fails the test unless k's route is want. */
void support_expect_route(headless *k, const char *want);
