/* sigwatch — SIGTERM and SIGINT (systemctl stop, Ctrl+C) as a call on a
 * thread of our own, instead of a handler that interrupts any code.
 *
 * sigwatch_block() blocks both signals in the calling thread; called before
 * the first thread is made (SDL's, curl's, the sync worker), every thread
 * inherits the block, so the signals wait, pending, for the one thread that
 * sigwait()s for them: the watcher, which calls on_signal in plain thread
 * context (it may push an SDL event or store an atomic flag; it runs
 * nothing of a signal handler's restricted kind). The watcher sleeps in
 * sigwait: no wake-ups while nothing happens.
 *
 * The block stays until the process ends, also across the operator's
 * restart (execv keeps the mask and the pending signals: the new image's
 * watcher gets a SIGTERM that came in between). */
#pragma once

typedef struct sigwatch sigwatch;

/* Blocks SIGTERM and SIGINT in the calling thread (and every thread it
 * starts later). Returns 0, or -1 (then the default action stays). */
int sigwatch_block(void);

/* Undoes sigwatch_block: SIGTERM and SIGINT take their default action
 * again (end the program), for a caller that cannot watch them. */
void sigwatch_unblock(void);

/* Starts the watcher: on_signal(user, signo) for each SIGTERM or SIGINT,
 * on the watcher's thread. Returns NULL when the thread cannot start (the
 * calling thread then unblocks both: their default action ends the
 * program). */
sigwatch *sigwatch_start(void (*on_signal)(void *user, int signo), void *user);

/* Stops and joins the watcher (on_signal is not called after this returns).
 * NULL is fine. */
void sigwatch_stop(sigwatch *w);
