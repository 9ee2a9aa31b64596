#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The handle, or NULL. The test hook opens by path from its directory only
 * (a slash in the name makes dlopen skip the search path). */
static void *open_soname(const char *soname)
{
    const char *dir = getenv(DYNLIB_DIR_ENV);
    /* RTLD_NOW: a missing symbol fails here, not at a call on another
     * thread; RTLD_LOCAL: its symbols do not satisfy anyone else. */
    if (!dir || !dir[0])
        return dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s", dir, soname) >= (int)sizeof path)
        return NULL;
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

static void fail(dynlib *lib, const char *why)
{
    snprintf(lib->err, sizeof lib->err, "cannot load %s: %s", lib->soname, why ? why : "unknown error");
}

/* Resolves every symbol into the table; false at the first one missing. */
static bool resolve(dynlib *lib, void *handle)
{
    for (size_t i = 0; i < lib->n_syms; i++) {
        dlerror();
        void *p = dlsym(handle, lib->syms[i].name);
        if (!p) {
            const char *why = dlerror();
            fail(lib, why ? why : lib->syms[i].name);
            return false;
        }
        /* POSIX guarantees a data pointer from dlsym converts to a function
         * pointer; memcpy avoids the ISO C warning about that cast. */
        memcpy((char *)lib->table + lib->syms[i].offset, &p, sizeof p);
    }
    return true;
}

static void load(dynlib *lib)
{
    void *handle = open_soname(lib->soname);
    if (!handle) {
        fail(lib, dlerror());
        return;
    }
    if (!resolve(lib, handle)) {
        dlclose(handle);   /* the table is never read: ok stays false */
        return;
    }
    lib->ok = true;
}

int dynlib_load(dynlib *lib, char *err, size_t errcap)
{
    pthread_mutex_lock(&lib->lock);
    if (!lib->tried) {
        load(lib);
        lib->tried = true;
    }
    bool ok = lib->ok;
    if (!ok && err && errcap)
        snprintf(err, errcap, "%s", lib->err);
    pthread_mutex_unlock(&lib->lock);
    return ok ? 0 : -1;
}
