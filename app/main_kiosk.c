/* infopoint — the touchscreen kiosk. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk.h"

static void usage(FILE *f)
{
    fputs("usage: infopoint [options]\n"
          "  --bundle FILE        content bundle (default: the sample bundle)\n"
          "  --open ROUTE         start at a route: home, category/ID, item/ID[#ANCHOR],\n"
          "                       deck/ID/N, search?q=TEXT\n"
          "  --lang kk|ru|en      start language\n"
          "  --windowed           development: a window that can be closed\n"
          "  --size WxH           window or screenshot size (screenshot default 800x480)\n"
          "  --dpi N              screen density, for 9 mm touch targets\n"
          "  --idle-reset S       seconds without touch before going home (0: never)\n"
          "  --screenshot OUT.png render headless (software renderer) and exit\n"
          "  --script FILE        replay input (tap, drag, wait, type...) before the screenshot\n"
          "  --state DIR          sync state: the installed content is shown from here\n"
          "  --sync URL           check the signed repository at URL on a schedule and\n"
          "                       swap in new content without a restart\n"
          "  --sync-once URL      run one sync into --state and exit (0: installed or\n"
          "                       current, 1: failed or refused, with the reason)\n"
          "  --trust FILE         the publisher's public key (publisher.pub) to pin\n"
          "  --sync-interval S    seconds between checks (default 21600, ±10 %)\n"
          "  --sync-first S       first check within S seconds of start (default 60)\n"
          "  --allow-http         allow plain http:// (tests on 127.0.0.1 only)\n"
          "  --ca-file FILE       extra CA certificates for https\n"
          "  --pin sha256//B64    pin the server's public key\n"
          "  --stall-timeout S    abort a download slower than 64 B/s for S s (default 30)\n"
          "  --version, --help\n",
          f);
}

static int parse_size(const char *s, int *w, int *h)
{
    char x;
    if (sscanf(s, "%d%c%d", w, &x, h) != 3 || (x != 'x' && x != 'X') || *w < 64 || *h < 64 || *w > 8192 ||
        *h > 8192)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    kiosk_options opt = {.idle_reset_s = -1};
    bool sync_once = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("infopoint %s\n", INFOPOINT_VERSION);
            return 0;
        } else if (!strcmp(a, "--windowed")) {
            opt.windowed = true;
            continue;
        } else if (!strcmp(a, "--allow-http")) {
            opt.allow_http = true;
            continue;
        }
        static const char *const with_value[] = {"--bundle", "--open", "--lang", "--size", "--dpi",
                                                 "--idle-reset", "--screenshot", "--script", "--state", "--sync",
                                                 "--sync-once", "--trust", "--sync-interval", "--sync-first", "--ca-file", "--stall-timeout",
                                                 "--pin"};
        bool known = false;
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
            known |= !strcmp(a, with_value[k]);
        if (!known) {
            fprintf(stderr, "infopoint: unknown option %s (see --help)\n", a);
            return 2;
        }
        if (!v) {
            fprintf(stderr, "infopoint: %s needs a value (see --help)\n", a);
            return 2;
        }
        i++;
        if (!strcmp(a, "--bundle")) {
            opt.bundle = v;
        } else if (!strcmp(a, "--open")) {
            opt.open = v;
        } else if (!strcmp(a, "--lang")) {
            if (strcmp(v, "kk") && strcmp(v, "ru") && strcmp(v, "en")) {
                fprintf(stderr, "infopoint: --lang must be kk, ru or en, not '%s'\n", v);
                return 2;
            }
            opt.lang = v;
        } else if (!strcmp(a, "--size")) {
            if (parse_size(v, &opt.width, &opt.height) < 0) {
                fprintf(stderr, "infopoint: --size wants WxH between 64 and 8192, not '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--dpi")) {
            opt.dpi = strtof(v, NULL);
            if (!(opt.dpi >= 20 && opt.dpi <= 1000)) {
                fprintf(stderr, "infopoint: --dpi wants a number between 20 and 1000\n");
                return 2;
            }
        } else if (!strcmp(a, "--idle-reset")) {
            char *end;
            long s = strtol(v, &end, 10);
            if (*end || s < 0 || s > 86400) {
                fprintf(stderr, "infopoint: --idle-reset wants seconds (0..86400)\n");
                return 2;
            }
            opt.idle_reset_s = (int)s;
        } else if (!strcmp(a, "--screenshot")) {
            opt.screenshot = v;
        } else if (!strcmp(a, "--script")) {
            opt.script = v;
        } else if (!strcmp(a, "--state")) {
            opt.state_dir = v;
        } else if (!strcmp(a, "--sync") || !strcmp(a, "--sync-once")) {
            opt.sync_url = v;
            sync_once |= !strcmp(a, "--sync-once");
        } else if (!strcmp(a, "--trust")) {
            opt.trust = v;
        } else if (!strcmp(a, "--ca-file")) {
            opt.ca_file = v;
        } else if (!strcmp(a, "--pin")) {
            opt.pin = v;
        } else if (!strcmp(a, "--sync-interval")) {
            char *end;
            long s = strtol(v, &end, 10);
            if (*end || s < 60 || s > 30 * 86400) {
                fprintf(stderr, "infopoint: --sync-interval wants seconds (60..2592000)\n");
                return 2;
            }
            opt.sync_interval_s = (int)s;
        } else if (!strcmp(a, "--sync-first")) {
            char *end;
            long s = strtol(v, &end, 10);
            if (*end || s < 1 || s > 86400) {
                fprintf(stderr, "infopoint: --sync-first wants seconds (1..86400)\n");
                return 2;
            }
            opt.sync_first_s = (int)s;
        } else if (!strcmp(a, "--stall-timeout")) {
            char *end;
            long s = strtol(v, &end, 10);
            if (*end || s < 1 || s > 3600) {
                fprintf(stderr, "infopoint: --stall-timeout wants seconds (1..3600)\n");
                return 2;
            }
            opt.stall_timeout_s = (int)s;
        } else {
            fprintf(stderr, "infopoint: unknown option %s (see --help)\n", a);
            return 2;
        }
    }
    if (opt.script && !opt.screenshot) {
        fprintf(stderr, "infopoint: --script needs --screenshot\n");
        return 2;
    }
    if (sync_once)
        return kiosk_sync_once(&opt);
    return kiosk_main(&opt);
}
