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
        }
        static const char *const with_value[] = {"--bundle", "--open", "--lang", "--size", "--dpi",
                                                 "--idle-reset", "--screenshot", "--script"};
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
        } else {
            fprintf(stderr, "infopoint: unknown option %s (see --help)\n", a);
            return 2;
        }
    }
    if (opt.script && !opt.screenshot) {
        fprintf(stderr, "infopoint: --script needs --screenshot\n");
        return 2;
    }
    return kiosk_main(&opt);
}
