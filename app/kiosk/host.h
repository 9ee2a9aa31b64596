/* host — what the operator screen asks of the program around the ui
 * (ui_host): the kiosk's status, read from the state directory, the sync
 * worker and the process, and the operator's actions (sync now, import from
 * USB, restart, exit to desktop), which are handed to the worker or turned
 * into a request the main loop carries out. Runs on the UI thread; every
 * call returns at once. */
#pragma once

#include <stdint.h>

#include "config.h"
#include "syncworker.h"
#include "ui.h"
#include "usagewire.h"

typedef struct host host;

/* What the operator asked the main loop to do. */
typedef enum { HOST_RUN, HOST_RESTART, HOST_EXIT_TO_DESKTOP } host_request;

/* Exit status of "exit to desktop": the systemd unit does not restart on it
 * (RestartPreventExitStatus=64). */
#define HOST_EXIT_TO_DESKTOP_STATUS 64

/* Reads kiosk_id, sync.url, sync.usb_path and content.state_dir from c,
 * which must outlive the host; worker may be NULL (no sync configured). */
host *host_create(const config *c, syncworker *worker);
void host_destroy(host *h);

/* The usage counters the operator screen shows (NULL: none, the section is
 * not shown). h may be NULL (nothing done). */
void host_set_usage(host *h, const usagewire *usage);

/* The ui_host callbacks bound to h. */
ui_host host_callbacks(host *h);

/* HOST_RUN until the operator asked for a restart or an exit. */
host_request host_pending(const host *h);

