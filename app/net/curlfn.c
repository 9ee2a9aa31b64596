#include "curlfn.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "dynlib.h"

#define SYM(member) DYNLIB_SYM(curlfn, member, "curl_" #member)
static const dynlib_sym syms[] = {
    SYM(global_init),      SYM(easy_init),         SYM(easy_reset),       SYM(easy_setopt),
    SYM(easy_perform),     SYM(easy_getinfo),      SYM(easy_strerror),    SYM(easy_cleanup),
    SYM(multi_init),       SYM(multi_add_handle),  SYM(multi_perform),    SYM(multi_info_read),
    SYM(multi_poll),       SYM(multi_remove_handle), SYM(multi_cleanup),  SYM(slist_append),
    SYM(slist_free_all),
};
#undef SYM

static curlfn table;
static dynlib lib = DYNLIB_INIT(CURLFN_SONAME, syms, &table);

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

/* curl_global_init before the first handle, once per process. It used to
 * run at start-up; now it runs on the first thread that needs curl (the
 * sync worker or the reporter), which libcurl 7.84+ allows: its global
 * init is thread-safe (CURL_VERSION_THREADSAFE), and the once guards
 * older ones against each other. */
static void global_init(void)
{
    global_rc = table.global_init(CURL_GLOBAL_DEFAULT);
}

const curlfn *curlfn_load(char *err, size_t errcap)
{
    if (dynlib_load(&lib, err, errcap) < 0)
        return NULL;
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) {
        snprintf(err, errcap, "%s: curl_global_init failed: %s", CURLFN_SONAME, table.easy_strerror(global_rc));
        return NULL;
    }
    return &table;
}
