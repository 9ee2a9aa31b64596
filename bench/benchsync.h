/* benchsync — `infopoint-bench sync`: what a content sync costs, measured
 * with the real sync code against a real nginx on 127.0.0.1.
 *
 * It builds (or, with --keep, reuses) the synthetic N-item bundle, publishes
 * it as version 1 of a fresh signed repository, serves the repository with
 * Debian's nginx started on a free loopback port with a generated config,
 * and measures sync_run (http, the pinned key):
 *   1. a full first sync into an empty state directory;
 *   2. the no-change check right after it;
 *   3. one changed item (a new edition: an item's text edited in a copy of
 *      the bundle with SQL and its digest recomputed, published as v+1);
 *   4. a hundred changed items.
 * Each sync runs in a fresh process (this program re-executed as
 * `infopoint-bench sync-child`), so its peak RSS is its own. Medians of R
 * runs are printed in a table with the targets and whether each is met. */
#pragma once

/* Entry point for `infopoint-bench sync [--items N] [--runs R] [--keep DIR]`
 * and the internal `infopoint-bench sync-child URL STATE PUBKEY`. argv[1]
 * is the mode. Returns the exit status. */
int benchsync_main(int argc, char **argv);
