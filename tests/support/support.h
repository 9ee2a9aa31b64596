/* support — what many unit tests need, in one place: temporary directories,
 * bundles made or edited for a test, and a headless kiosk driven by scripts. For cmocka tests only: a failure
 * here fails the running test (fail_msg), with the reason. */
#pragma once

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "digest.h"
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

/* A bundle with no content, in memory: the schema, with the search
 * tokenizer registered (fts.h). Fails the test when it cannot be made. */
sqlite3 *support_empty_bundle(void);

/* Appends suffix to the body of the first article (by id) of the bundle
 * db, as an editor's next edition would change it, and writes its id into
 * id (cap bytes). Fails the test when db has no article. */
void support_edit_article(sqlite3 *db, const char *suffix, char *id, size_t cap);

/* Computes db's content digest and stores it as meta 'digest', as the
 * content tool stamps a bundle; the 64 hex digits into hex. */
void support_stamp_digest(sqlite3 *db, char hex[DIGEST_HEX_LEN + 1]);

/* Fails the test unless every search unit of db has its rows in both
 * full-text indexes and no index row is without its unit, and both pass
 * FTS5's integrity-check: a contentless index given wrong values on a
 * removal keeps rows no search_units row explains. */
void support_assert_index_matches_units(sqlite3 *db);

/* Overwrites the 4 KB at byte offset `at` of the file at path with junk
 * (0x5a), as a bad block would leave it. */
void support_damage_page(const char *path, int64_t at);

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

/* The colour of the pixel at (x, y) of k's last frame, as 0xRRGGBB. */
uint32_t support_pixel(const headless *k, int x, int y);

/* Fails the test unless k's route is want. */
void support_expect_route(headless *k, const char *want);
