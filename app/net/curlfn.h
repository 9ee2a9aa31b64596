/* curlfn — libcurl (libcurl.so.4) opened at run time, the first time a
 * transfer needs it, and its functions in a table: curl->easy_setopt(...).
 * The kiosk does not link libcurl: it brings 24 libraries the kiosk does
 * not otherwise load (TLS, Kerberos, LDAP, SSH, RTMP...), which slowed
 * every start, while the sync and
 * the reporter run only after the first frame and a USB-only kiosk never
 * uses the network (file:// never reaches curl). Types come from curl's own
 * header, so a prototype cannot drift from the library's. */
#pragma once

#include <curl/curl.h>
#include <stddef.h>

/* The soname opened: libcurl4's ABI (packaging/package.cmake depends on it). */
#define CURLFN_SONAME "libcurl.so.4"

/* Every libcurl function the kiosk calls. Through a pointer, curl.h's
 * type-checking macros for setopt and getinfo do not apply: the option
 * values must have the documented types (long, curl_off_t, pointers). */
typedef struct {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_reset) *easy_reset;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_multi_init) *multi_init;
    __typeof__(curl_multi_add_handle) *multi_add_handle;
    __typeof__(curl_multi_perform) *multi_perform;
    __typeof__(curl_multi_info_read) *multi_info_read;
    __typeof__(curl_multi_poll) *multi_poll;
    __typeof__(curl_multi_remove_handle) *multi_remove_handle;
    __typeof__(curl_multi_cleanup) *multi_cleanup;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
} curlfn;

/* Opens libcurl once (thread-safe) and runs curl_global_init once; the
 * table, the same on every call, or NULL with "cannot load libcurl.so.4:
 * <dlerror>" (or why curl_global_init failed) in err. */
const curlfn *curlfn_load(char *err, size_t errcap);
