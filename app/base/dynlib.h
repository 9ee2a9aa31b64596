/* dynlib — a shared library opened at run time, the first time it is
 * needed, instead of being linked into the kiosk. Each library the loader
 * opens adds its own start-up cost (libcurl, libespeak-ng and libsystemd
 * made 29 of the kiosk's 103: TLS, Kerberos, LDAP, SSH, RTMP, audio), paid
 * on every start although most kiosks never speak and a USB-only kiosk
 * never uses the network. A user module keeps a table of typed function pointers
 * (net/curlfn, speech/espeakfn) and a dynlib that fills it. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Test hook: when this environment variable names a directory, sonames are
 * opened from it and from nowhere else, so a test can make a load fail
 * for real (an empty directory, or a library without the symbols). */
#define DYNLIB_DIR_ENV "INFOPOINT_DLOPEN_DIR"

/* Room for "cannot load <soname>: <dlerror>", NUL included. */
#define DYNLIB_ERR_MAX 512

/* One symbol to resolve: its name and where its address goes in the table. */
typedef struct {
    const char *name;
    size_t offset;
} dynlib_sym;

/* A library and the table its symbols go into. Define it static with
 * DYNLIB_INIT; the fields below it are the loader's. */
typedef struct {
    const char *soname;        /* exact soname: "libcurl.so.4", never the -dev symlink */
    const dynlib_sym *syms;    /* every symbol the user calls; all must resolve */
    size_t n_syms;
    void *table;               /* a struct of function pointers, filled at syms' offsets */
    pthread_mutex_t lock;      /* one load at a time; callers after it see the table */
    bool tried;                /* the load was attempted (it is not tried again) */
    bool ok;                   /* ... and every symbol resolved */
    char err[DYNLIB_ERR_MAX];  /* why not, when tried && !ok */
} dynlib;

#define DYNLIB_INIT(so, symbols, tab) \
    { .soname = (so), .syms = (symbols), .n_syms = sizeof(symbols) / sizeof((symbols)[0]), \
      .table = (tab), .lock = PTHREAD_MUTEX_INITIALIZER }

/* A dynlib_sym for the table member of type T named member, resolved from
 * symbol: DYNLIB_SYM(curlfn, easy_init, "curl_easy_init"). */
#define DYNLIB_SYM(T, member, symbol) { (symbol), offsetof(T, member) }

/* Opens the library the first time (thread-safe: other callers wait) and
 * resolves every symbol into the table. 0 once the table is usable, from
 * then on without doing anything; otherwise -1 with "cannot load <soname>:
 * <dlerror>" in err, now and on every later call (a failed load is not
 * retried: the package depends on the library, so it is missing for good
 * until the kiosk restarts). The library is never closed. */
int dynlib_load(dynlib *lib, char *err, size_t errcap);
