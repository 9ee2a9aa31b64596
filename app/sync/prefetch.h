/* prefetch — items 0..n-1 made ready on a thread of its own, in order,
 * while the caller consumes them in the same order: a first full sync
 * downloads and checks record i+1.. while the builder writes record i
 * (sync.c), so the downloads no longer come before the build.
 *
 * The work of one item is the caller's `get` (here: download one object
 * and check its signed hash); this module only orders and hands over.
 * The first item `get` fails stops the thread: every later wait returns
 * that failure and its message. Items before it stay ready.
 *
 * The caller's own cancel flag is not seen by `get` directly: a waiter
 * that finds it set (it looks every PREFETCH_POLL_MS) raises *stop, and so
 * does prefetch_end before the last item is ready; `get` must watch *stop
 * (its transfers' cancel flag), so the thread ends within that time too.
 * One consumer thread; prefetch_end must be called once after a start. */
#pragma once

#include <stdatomic.h>
#include <stddef.h>

#define PREFETCH_POLL_MS 100

typedef struct prefetch prefetch;

/* Makes item i ready. 0, or -1 with a one-line reason in err. Runs on the
 * prefetch thread. */
typedef int (*prefetch_get)(void *user, size_t i, char *err, size_t errcap);

/* Starts the thread on items 0..n-1. stop (shared with get, see above)
 * must be 0 and outlive prefetch_end. NULL when the thread cannot start. */
prefetch *prefetch_start(size_t n, prefetch_get get, void *user, atomic_int *stop);

/* Blocks until item i is ready (0), `get` failed on it or before (-1, its
 * message in err), or cancel (may be NULL) was set (-2, *stop raised). */
int prefetch_wait(prefetch *p, size_t i, const atomic_int *cancel, char *err, size_t errcap);

/* Raises *stop unless every item is ready, joins the thread and frees p.
 * NULL is allowed. */
void prefetch_end(prefetch *p);
