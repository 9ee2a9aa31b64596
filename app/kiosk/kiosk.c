#include "kiosk.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "headless.h"
#include "platform.h"
#include "window.h"

int kiosk_main(const config *c, const kiosk_args *args)
{
    if (args->screenshot)
        return headless_screenshot(c, args);
    int status = window_run(c, args);
    if (status == WINDOW_RESTART) {
        /* The operator's "restart": the same program with the same
         * options, as a fresh process image (also without systemd). */
        platform_log(PLATFORM_LOG_INFO, "restarting");
        if (args->argv)
            execv("/proc/self/exe", args->argv);
        platform_log(PLATFORM_LOG_ERROR, "cannot restart: %s", strerror(errno));
        status = 0; /* systemd's Restart=always starts us again */
    }
    return status;
}
