/* infopoint — the touchscreen kiosk.
 *
 * Settings come from the config file (config.h) and then the command line,
 * which overrides it: options that name a setting go through config_set, so
 * a value is checked the same way wherever it comes from. */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "glprobe.h"
#include "kiosk.h"
#include "platform.h"
#include "reportwire.h"
#include "syncwire.h"

typedef enum { RUN_KIOSK, RUN_SYNC_ONCE, RUN_SCRUB, RUN_REPORT_ONCE, RUN_CHECK, RUN_PRINT_CONFIG, RUN_HASH_PIN, RUN_VERIFY_PIN } run_mode;

/* Options that set a config key (SECTION.KEY). */
static const struct {
    const char *flag;
    const char *key;
} key_flags[] = {
    {"--lang", "kiosk.language"},         {"--idle-reset", "kiosk.idle_reset"},
    {"--dpi", "kiosk.dpi"},               {"--state", "content.state_dir"},
    {"--sync", "sync.url"},               {"--sync-once", "sync.url"},
    {"--trust", "sync.trust"},            {"--sync-interval", "sync.interval"},
    {"--sync-first", "sync.first_check"}, {"--ca-file", "sync.ca_file"},
    {"--pin", "sync.tls_pin"},            {"--stall-timeout", "sync.stall_timeout"},
};

/* Options that take a value and are not config keys. */
static const char *const other_value_flags[] = {"--bundle", "--preview", "--open", "--size", "--screenshot", "--script",
                                                "--config", "--set"};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: infopoint [options]\n"
            "\n"
            "Settings are read from the config file, then from these options, which\n"
            "override it. The file is --config FILE, else $INFOPOINT_CONFIG, else\n"
            "%s\n"
            "(every key is documented in the shipped infopoint.conf).\n"
            "\n"
            "Running:\n"
            "  --config FILE        read this config file\n"
            "  --set SECTION.KEY=V  set any config key, e.g. --set kiosk.screen_off=22:00-07:00\n"
            "  --bundle FILE        show this bundle (default: the installed content, else the\n"
            "                       fallback bundle)\n"
            "  --preview DIR        editors: show a content folder in a window, built again on\n"
            "                       every save (same route; errors shown on screen, last good\n"
            "                       content kept)\n"
            "  --open ROUTE         start at a route: home, category/ID, item/ID[#ANCHOR],\n"
            "                       deck/ID/N, search?q=TEXT, display\n"
            "  --lang kk|ru|en      start language                      [kiosk] language\n"
            "  --windowed           development: a window that can be closed  [kiosk] windowed\n"
            "  --size WxH           window or screenshot size (screenshot default 800x480)\n"
            "  --dpi N              screen density, for 9 mm touch targets  [kiosk] dpi\n"
            "  --idle-reset S       seconds without touch before going home (0: never)\n"
            "                                                           [kiosk] idle_reset\n"
            "  --screenshot OUT.png render headless (software renderer) and exit (1: no content\n"
            "                       opened, the out-of-service picture is written all the same)\n"
            "  --script FILE        replay input (tap, drag, wait, type...) before the screenshot\n"
            "Content updates:\n"
            "  --state DIR          installed content and sync state    [content] state_dir\n"
            "  --sync URL           check the signed repository at URL on a schedule and\n"
            "                       swap in new content without a restart   [sync] url\n"
            "  --sync-once URL      run one sync into the state directory and exit (0:\n"
            "                       installed or current, 1: failed, refused or stopped by\n"
            "                       SIGTERM/SIGINT, with the reason)\n"
            "  --scrub              check the installed bundles whole (integrity_check and\n"
            "                       content digest, at idle priority) and exit (0: all\n"
            "                       passed, 1: damage found and the previous bundle made live,\n"
            "                       or stopped by SIGTERM/SIGINT)     [sync] scrub_days\n"
            "  --trust FILE         the publisher's public key (publisher.pub) to pin  [sync] trust\n"
            "  --sync-interval S    seconds between checks (default 21600, ±10 %%)  [sync] interval\n"
            "  --sync-first S       first check within S seconds of start (default 60)\n"
            "                                                           [sync] first_check\n"
            "  --allow-http         allow plain http:// (tests on 127.0.0.1)  [sync] allow_http\n"
            "  --ca-file FILE       extra CA certificates for https     [sync] ca_file\n"
            "  --pin sha256//B64    pin the server's public key         [sync] tls_pin\n"
            "  --stall-timeout S    abort a download slower than 64 B/s for S s (default 30)\n"
            "                                                           [sync] stall_timeout\n"
            "Reports:\n"
            "  --report-once        upload one check-in report to [report] url and exit (0:\n"
            "                       uploaded, 1: not, with the reason)\n"
            "Setting up:\n"
            "  --check              check config, bundles, keys, fonts and the state directory;\n"
            "                       one line per problem, exit 1 if there is any\n"
            "  --print-config       print the settings in effect (file and options) and exit\n"
            "  --hash-pin           read an operator PIN (4 to 8 digits) from standard input and\n"
            "                       print the line 'admin_pin = HASH' for the config file\n"
            "  --verify-pin         read a PIN from standard input; exit 0 if it matches the\n"
            "                       config's admin_pin, 1 if not\n"
            "  --version, --help\n",
            config_default_path());
}

static int parse_size(const char *s, int *w, int *h)
{
    char x;
    if (sscanf(s, "%d%c%d", w, &x, h) != 3 || (x != 'x' && x != 'X') || *w < 64 || *h < 64 || *w > 8192 ||
        *h > 8192)
        return -1;
    return 0;
}

static const char *key_of_flag(const char *flag)
{
    for (size_t k = 0; k < sizeof key_flags / sizeof *key_flags; k++)
        if (!strcmp(flag, key_flags[k].flag))
            return key_flags[k].key;
    return NULL;
}

static bool is_other_value_flag(const char *flag)
{
    for (size_t k = 0; k < sizeof other_value_flags / sizeof *other_value_flags; k++)
        if (!strcmp(flag, other_value_flags[k]))
            return true;
    return false;
}

/* --set SECTION.KEY=VALUE. Returns 0, or 2 after a message. */
static int set_option(config *c, const char *arg)
{
    char key[80], err[400];
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof key) {
        fprintf(stderr, "infopoint: --set wants SECTION.KEY=VALUE, not '%s'\n", arg);
        return 2;
    }
    snprintf(key, sizeof key, "%.*s", (int)(eq - arg), arg);
    if (config_set(c, key, eq + 1, err, sizeof err) == 0)
        return 0;
    if (strncmp(err, "unknown", 7) == 0)
        fprintf(stderr, "infopoint: --set: %s\n", err);
    else
        fprintf(stderr, "infopoint: --set %s %s\n", key, err);
    return 2;
}

/* Applies the command line on top of c. Returns -1 to go on, or the exit
 * status (0 after --help/--version, 2 for a usage error). One piece over
 * 80 lines on purpose: a flat list with one branch per option, read like
 * the --help text beside it; splitting it would scatter the options. */
static int parse_args(int argc, char **argv, config *c, kiosk_args *args, run_mode *mode)
{
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
            c->windowed = true;
            continue;
        } else if (!strcmp(a, "--allow-http")) {
            c->allow_http = true;
            continue;
        } else if (!strcmp(a, "--scrub")) {
            *mode = RUN_SCRUB;
            continue;
        } else if (!strcmp(a, "--check")) {
            *mode = RUN_CHECK;
            continue;
        } else if (!strcmp(a, "--report-once")) {
            *mode = RUN_REPORT_ONCE;
            continue;
        } else if (!strcmp(a, "--print-config")) {
            *mode = RUN_PRINT_CONFIG;
            continue;
        } else if (!strcmp(a, "--hash-pin")) {
            *mode = RUN_HASH_PIN;
            continue;
        } else if (!strcmp(a, "--verify-pin")) {
            *mode = RUN_VERIFY_PIN;
            continue;
        }
        const char *key = key_of_flag(a);
        if (!key && !is_other_value_flag(a)) {
            fprintf(stderr, "infopoint: unknown option %s (see --help)\n", a);
            return 2;
        }
        if (!v) {
            fprintf(stderr, "infopoint: %s needs a value (see --help)\n", a);
            return 2;
        }
        i++;
        if (key) {
            char err[400];
            if (config_set(c, key, v, err, sizeof err) < 0) {
                fprintf(stderr, "infopoint: %s %s\n", a, err);
                return 2;
            }
            if (!strcmp(a, "--sync-once"))
                *mode = RUN_SYNC_ONCE;
        } else if (!strcmp(a, "--set")) {
            if (set_option(c, v))
                return 2;
        } else if (!strcmp(a, "--bundle")) {
            if (platform_is_dir(v)) {
                fprintf(stderr,
                        "infopoint: --bundle wants a bundle file, and %s is a content folder: to see it,\n"
                        "  infopoint --preview %s (rebuilt on every save), or build it first\n"
                        "  (infopoint-bundle build %s -o content.ipb)\n",
                        v, v, v);
                return 2;
            }
            args->bundle = v;
        } else if (!strcmp(a, "--preview")) {
            args->preview = v;
            c->windowed = true;
        } else if (!strcmp(a, "--open")) {
            args->open = v;
        } else if (!strcmp(a, "--size")) {
            if (parse_size(v, &args->width, &args->height) < 0) {
                fprintf(stderr, "infopoint: --size wants WxH between 64 and 8192, not '%s'\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--screenshot")) {
            args->screenshot = v;
        } else if (!strcmp(a, "--script")) {
            args->script = v;
        }
        /* --config was read before the file was loaded. */
    }
    if (args->preview && (args->screenshot || args->bundle)) {
        fprintf(stderr, "infopoint: --preview shows a folder in a window: not with --screenshot or --bundle\n");
        return 2;
    }
    if (args->script && !args->screenshot) {
        fprintf(stderr, "infopoint: --script needs --screenshot\n");
        return 2;
    }
    return -1;
}

/* Reads a PIN line from stdin, not echoed on a terminal. Returns 0, or -1
 * (after a message) when there is none or it is not 4 to 8 digits. */
static int read_pin(const char *flag, char *pin, size_t cap)
{
    struct termios saved, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        fprintf(stderr, "Operator PIN (%d to %d digits): ", CONFIG_PIN_MIN_DIGITS, CONFIG_PIN_MAX_DIGITS);
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    pin[0] = '\0';
    bool got = fgets(pin, (int)cap, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    pin[strcspn(pin, "\r\n")] = '\0';
    if (!got || !config_pin_valid(pin)) {
        fprintf(stderr, "infopoint: %s wants a PIN of %d to %d digits on standard input\n", flag,
                CONFIG_PIN_MIN_DIGITS, CONFIG_PIN_MAX_DIGITS);
        return -1;
    }
    return 0;
}

/* --hash-pin: a PIN from stdin, the config line with its hash on stdout. */
static int hash_pin(void)
{
    char pin[64], hash[CONFIG_PIN_HASH_MAX];
    int status = 0;
    if (read_pin("--hash-pin", pin, sizeof pin) < 0) {
        status = 2;
    } else if (config_hash_pin(pin, hash) < 0) {
        fprintf(stderr, "infopoint: cannot hash the PIN (out of memory)\n");
        status = 1;
    } else {
        printf("admin_pin = %s\n", hash);
    }
    sodium_memzero(pin, sizeof pin);
    return status;
}

/* --verify-pin: does a PIN from stdin open the operator screen? */
static int verify_pin(const config *c)
{
    char pin[64];
    int status = 2;
    if (!c->admin_pin[0]) {
        fprintf(stderr, "infopoint: no admin_pin in the config: the operator screen is disabled\n");
        return 1;
    }
    if (read_pin("--verify-pin", pin, sizeof pin) == 0) {
        status = config_pin_matches(c->admin_pin, pin) ? 0 : 1;
        printf("infopoint: the PIN %s\n", status == 0 ? "matches admin_pin" : "does not match admin_pin");
    }
    sodium_memzero(pin, sizeof pin);
    return status;
}

static void log_warning(void *user, const char *line)
{
    (void)user;
    platform_log(PLATFORM_LOG_WARN, "%s", line);
}

static void log_config_report(const config_report *rep)
{
    if (config_report_lines(rep, log_warning, NULL) == 0 && !rep->found)
        platform_log(PLATFORM_LOG_INFO, "no config file %s: using the defaults", rep->path);
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], GLPROBE_ARG))
        return glprobe_child_main(); /* a child of our own window: glprobe.h */
    /* The file first (--config names it), then the options on top. */
    const char *path = NULL;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--config"))
            path = argv[i + 1];
    const char *env = getenv("INFOPOINT_CONFIG");
    bool required = path || (env && env[0]);
    if (!path)
        path = config_default_path();
    static config cfg;
    static config_report rep;
    config_defaults(&cfg);
    config_load(&cfg, path, required, &rep);

    kiosk_args args = {.argv = argv};
    run_mode mode = RUN_KIOSK;
    int status = parse_args(argc, argv, &cfg, &args, &mode);
    if (status >= 0)
        return status;

    switch (mode) {
    case RUN_HASH_PIN:
        return hash_pin();
    case RUN_VERIFY_PIN:
        log_config_report(&rep);
        return verify_pin(&cfg);
    case RUN_CHECK:
        return check_run(&cfg, &rep, args.bundle, stdout) ? 1 : 0;
    case RUN_PRINT_CONFIG: {
        log_config_report(&rep);
        static char text[16384];
        config_format(&cfg, text, sizeof text);
        fputs(text, stdout);
        return 0;
    }
    case RUN_KIOSK:
    case RUN_SYNC_ONCE:
    case RUN_SCRUB:
    case RUN_REPORT_ONCE:
        break;
    }
    /* Config problems show whatever the log level: they are why a setting
     * is not what the operator wrote. */
    log_config_report(&rep);
    platform_log_set_level(cfg.log_level);
    if (mode == RUN_SYNC_ONCE)
        return syncwire_once(&cfg);
    if (mode == RUN_SCRUB)
        return syncwire_scrub_once(&cfg);
    if (mode == RUN_REPORT_ONCE)
        return reportwire_once(&cfg);
    return kiosk_main(&cfg, &args);
}
