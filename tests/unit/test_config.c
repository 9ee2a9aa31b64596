/* config: defaults, every key, each bad value (warning at its line, default
 * kept), unknown keys and sections with suggestions, duplicates, relative
 * paths, command-line overrides, the shipped packaging/infopoint.conf, and
 * the operator PIN hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "platform.h"
#include "scrub.h"
#include "support.h"

static config defaults;

static int setup(void **state)
{
    (void)state;
    config_defaults(&defaults);
    return 0;
}

/* Parses text on top of the defaults. */
static void parse(const char *text, config *c, config_report *rep)
{
    config_defaults(c);
    config_parse(c, text, strlen(text), "/etc/infopoint/test.conf", rep);
}

static void print_warnings(const config_report *rep)
{
    for (size_t i = 0; i < rep->n_warnings; i++) {
        char line[1400];
        config_warning_text(rep, i, line, sizeof line);
        print_message("  warning: %s\n", line);
    }
}

/* The settings as a file: two configs are equal when these are. */
static char *formatted(const config *c)
{
    size_t n = config_format(c, NULL, 0);
    char *s = malloc(n + 1);
    assert_non_null(s);
    assert_int_equal(config_format(c, s, n + 1), n);
    return s;
}

static void assert_same_config(const config *a, const config *b)
{
    char *x = formatted(a), *y = formatted(b);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

static void test_defaults(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    assert_string_equal(c.language, "kk");
    assert_int_equal(c.idle_reset_s, 90);
    assert_int_equal(c.speech_idle_factor, 3);
    assert_true(c.headphone_speech);
    assert_int_equal(c.text_size, 0);
    assert_true(c.dpi == 0.0f);
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    assert_true(host[0] == '\0' || strncmp(c.kiosk_id, host, sizeof c.kiosk_id - 1) == 0);
    assert_true(c.kiosk_id[0] != '\0');
    assert_false(c.windowed);
    assert_string_equal(c.screen_off, "");
    assert_string_equal(c.admin_pin, "");
    assert_string_equal(c.state_dir, "/var/lib/infopoint");
    assert_string_equal(c.fallback_bundle, INFOPOINT_SAMPLE_BUNDLE);
    assert_string_equal(c.sync_url, "");
    assert_string_equal(c.trust, "/etc/infopoint/publisher.pub");
    assert_int_equal(c.sync_interval_s, 21600);
    assert_int_equal(c.sync_first_s, 60);
    assert_string_equal(c.sync_window, "");
    assert_false(c.allow_http);
    assert_string_equal(c.ca_file, "");
    assert_string_equal(c.tls_pin, "");
    assert_int_equal(c.stall_timeout_s, 30);
    assert_string_equal(c.usb_path, "/media/infopoint");
    assert_int_equal(c.log_level, PLATFORM_LOG_INFO);

    /* An empty file is the defaults, with no warning. */
    config_report rep;
    parse("", &c, &rep);
    assert_int_equal(rep.n_warnings, 0);
    assert_same_config(&c, &defaults);
}

static void test_every_key(void **state)
{
    (void)state;
    static char hash[CONFIG_PIN_HASH_MAX];
    assert_int_equal(config_hash_pin("2468", hash), 0);
    char text[2048];
    snprintf(text, sizeof text,
             "# a kiosk in a library\n"
             "[kiosk]\n"
             "language = en\n"
             "idle_reset = 0\n"
             "speech_idle_factor = 5\n"
             "headphone_speech = no\n"
             "text_size = 2\n"
             "dpi = 96.5\n"
             "kiosk_id = Library hall 2\n"
             "windowed = yes\n"
             "screen_off = 22:00-07:00\n"
             "admin_pin = %s\n"
             "[content]\n"
             "state_dir = /srv/kiosk/state\n"
             "fallback_bundle = /srv/kiosk/sample.ipb\n"
             "[sync]\n"
             "url = https://example.org/repo/   # the county's server\n"
             "trust = keys/publisher.pub\n"
             "interval = 3600\n"
             "first_check = 5\n"
             "window = 1:00 - 5:30\n"
             "allow_http = on\n"
             "ca_file = /etc/ssl/county.pem\n"
             "tls_pin = sha256//AAAA+bbb/ccc=;sha256//ZZZZ\n"
             "stall_timeout = 120\n"
             "usb_path = /mnt/usb\n"
             "[log]\n"
             "level = debug\n",
             hash);
    config c;
    config_report rep;
    parse(text, &c, &rep);
    print_warnings(&rep);
    assert_int_equal(rep.n_warnings, 0);
    assert_string_equal(c.language, "en");
    assert_int_equal(c.idle_reset_s, 0);
    assert_int_equal(c.speech_idle_factor, 5);
    assert_false(c.headphone_speech);
    assert_int_equal(c.text_size, 2);
    assert_true(c.dpi == 96.5f);
    assert_string_equal(c.kiosk_id, "Library hall 2");
    assert_true(c.windowed);
    assert_string_equal(c.screen_off, "22:00-07:00");
    assert_string_equal(c.admin_pin, hash);
    assert_string_equal(c.state_dir, "/srv/kiosk/state");
    assert_string_equal(c.fallback_bundle, "/srv/kiosk/sample.ipb");
    assert_string_equal(c.sync_url, "https://example.org/repo/");
    /* Relative to the file's directory. */
    assert_string_equal(c.trust, "/etc/infopoint/keys/publisher.pub");
    assert_int_equal(c.sync_interval_s, 3600);
    assert_int_equal(c.sync_first_s, 5);
    assert_string_equal(c.sync_window, "1:00 - 5:30");
    assert_true(c.allow_http);
    assert_string_equal(c.ca_file, "/etc/ssl/county.pem");
    assert_string_equal(c.tls_pin, "sha256//AAAA+bbb/ccc=;sha256//ZZZZ");
    assert_int_equal(c.stall_timeout_s, 120);
    assert_string_equal(c.usb_path, "/mnt/usb");
    assert_int_equal(c.log_level, PLATFORM_LOG_DEBUG);

    /* What config_format writes reads back the same. */
    char *again = formatted(&c);
    config d;
    config_defaults(&d);
    config_parse(&d, again, strlen(again), "/elsewhere/x.conf", &rep);
    assert_int_equal(rep.n_warnings, 0);
    assert_same_config(&c, &d);
    free(again);

    /* Empty values: "none", or the computed default where there is one. */
    parse("[kiosk]\nkiosk_id =\n[content]\nstate_dir =\nfallback_bundle =\n[sync]\nusb_path =\ntrust =\n", &c, &rep);
    assert_int_equal(rep.n_warnings, 0);
    assert_string_equal(c.kiosk_id, defaults.kiosk_id);
    assert_string_equal(c.state_dir, "");
    assert_string_equal(c.fallback_bundle, INFOPOINT_SAMPLE_BUNDLE);
    assert_string_equal(c.usb_path, "");
    assert_string_equal(c.trust, "");
}

/* One bad value: a warning at its line with this text, the default kept. */
typedef struct {
    const char *text;
    int line;
    const char *message;
} bad_case;

/* The case's text gives its one warning, and nothing of it is applied. */
static void assert_one_warning(const bad_case *bc)
{
    config c;
    config_report rep;
    parse(bc->text, &c, &rep);
    if (rep.n_warnings != 1 || !strstr(rep.warnings[0].message, bc->message)) {
        print_message("case: %s", bc->text);
        print_warnings(&rep);
    }
    assert_int_equal(rep.n_warnings, 1);
    assert_int_equal(rep.warnings[0].line, bc->line);
    assert_non_null(strstr(rep.warnings[0].message, bc->message));
    assert_same_config(&c, &defaults);
}

static void test_bad_values(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"[kiosk]\n\n# comment\n\n\n\nidle_reset = ten\n", 7,
         "idle_reset must be seconds 0..86400, not 'ten'; using the default '90'"},
        {"[kiosk]\nidle_reset = -5\n", 2, "idle_reset must be seconds 0..86400, not '-5'"},
        {"[kiosk]\nidle_reset = 86401\n", 2, "idle_reset must be seconds 0..86400"},
        {"[kiosk]\nidle_reset = 9x\n", 2, "idle_reset must be seconds 0..86400, not '9x'"},
        {"[kiosk]\nidle_reset =\n", 2, "idle_reset must be seconds 0..86400, not ''"},
        {"[kiosk]\nlanguage = de\n", 2, "language must be kk, ru or en, not 'de'; using the default 'kk'"},
        {"[kiosk]\ntext_size = 4\n", 2, "text_size must be a step 0..3, not '4'; using the default '0'"},
        {"[kiosk]\nspeech_idle_factor = 0\n", 2,
         "speech_idle_factor must be a factor 1..10, not '0'; using the default '3'"},
        {"[kiosk]\ndpi = 10\n", 2, "dpi must be 0 (unknown) or a number 20..1000, not '10'"},
        {"[kiosk]\ndpi = big\n", 2, "dpi must be 0 (unknown) or a number 20..1000, not 'big'"},
        {"[kiosk]\nwindowed = maybe\n", 2, "windowed must be true or false, not 'maybe'; using the default 'false'"},
        {"[kiosk]\nscreen_off = 22:00\n", 2,
         "screen_off must be HH:MM-HH:MM (start and end differ) or empty, not '22:00'; using the default (empty)"},
        {"[kiosk]\nscreen_off = 25:00-07:00\n", 2, "screen_off must be HH:MM-HH:MM"},
        {"[kiosk]\nscreen_off = 07:00-07:00\n", 2, "screen_off must be HH:MM-HH:MM"},
        {"[kiosk]\nkiosk_id = " "0123456789012345678901234567890123456789012345678901234567890123456789\n", 2,
         "kiosk_id must be one line of at most 63 bytes"},
        {"[kiosk]\nadmin_pin = 1234\n", 2,
         "admin_pin is not a hash made by 'infopoint --hash-pin' (a plain PIN does not work): the operator "
         "screen stays disabled"},
        {"[kiosk]\nadmin_pin = $argon2id$v=19$m=8192,t=2,p=1$broken\n", 2, "admin_pin is not a hash"},
        {"[sync]\nurl = ftp://example.org/\n", 2,
         "url must be an https://, http:// or file:// URL or a path, not 'ftp://example.org/'"},
        {"[sync]\ninterval = 30\n", 2, "interval must be seconds 60..2592000, not '30'; using the default '21600'"},
        {"[sync]\nfirst_check = 0\n", 2, "first_check must be seconds 1..86400, not '0'"},
        {"[sync]\nwindow = soon\n", 2, "window must be HH:MM-HH:MM (start and end differ) or empty, not 'soon'"},
        {"[sync]\nallow_http = 2\n", 2, "allow_http must be true or false, not '2'"},
        {"[sync]\ntls_pin = md5//abc\n", 2, "tls_pin must be sha256//BASE64 (several joined by ';') or empty"},
        {"[sync]\ntls_pin = sha256//abc;\n", 2, "tls_pin must be sha256//BASE64"},
        {"[sync]\nstall_timeout = 3601\n", 2, "stall_timeout must be seconds 1..3600, not '3601'"},
        {"[log]\nlevel = loud\n", 2, "level must be debug, info, warn or error, not 'loud'; using the default 'info'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_one_warning(&cases[i]);

    /* The text the operator reads: FILE:LINE: message. */
    config c;
    config_report rep;
    parse(cases[0].text, &c, &rep);
    char line[1400];
    config_warning_text(&rep, 0, line, sizeof line);
    assert_string_equal(line, "/etc/infopoint/test.conf:7: idle_reset must be seconds 0..86400, not 'ten'; "
                              "using the default '90'");

    /* Good keys around a bad one still apply. */
    parse("[kiosk]\nlanguage = ru\nidle_reset = ten\ntext_size = 1\n", &c, &rep);
    assert_int_equal(rep.n_warnings, 1);
    assert_string_equal(c.language, "ru");
    assert_int_equal(c.idle_reset_s, 90);
    assert_int_equal(c.text_size, 1);
}

/* [sync] scrub_days, the days between full scrubs of the installed
 * bundles (scrub.h): 0 (none on a schedule) to SCRUB_DAYS_MAX is taken; a
 * value out of range or not a number, a typo of the key and the key in
 * another section are warned about at their line, the default kept. */
static void test_scrub_days(void **state)
{
    (void)state;
    static const int good[] = {0, 1, 30, SCRUB_DAYS_MAX};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char text[64];
        config c;
        config_report rep;
        snprintf(text, sizeof text, "[sync]\nscrub_days = %d\n", good[i]);
        parse(text, &c, &rep);
        print_warnings(&rep);
        assert_int_equal(rep.n_warnings, 0);
        assert_int_equal(c.scrub_days, good[i]);
    }
    assert_int_equal(defaults.scrub_days, SCRUB_DAYS_DEFAULT);
    char range[64], above[64], late[160];
    snprintf(range, sizeof range, "scrub_days must be days 0..%d, not ", SCRUB_DAYS_MAX);
    snprintf(above, sizeof above, "[sync]\nscrub_days = %d\n", SCRUB_DAYS_MAX + 1);
    snprintf(late, sizeof late, "%s'seven'; using the default '%d'", range, SCRUB_DAYS_DEFAULT);
    const bad_case cases[] = {
        {above, 2, range},
        {"[sync]\nscrub_days = -1\n", 2, range},
        {"[sync]\nscrub_days = 99999999999999999999\n", 2, range},
        {"[sync]\n\n# weekly\nscrub_days = seven\n", 4, late},
        {"[sync]\nscrub_days =\n", 2, range},
        {"[sync]\nscrub_day = 3\n", 2, "unknown key 'scrub_day' in [sync] (did you mean 'scrub_days'?)"},
        {"[kiosk]\nscrub_days = 3\n", 2, "unknown key 'scrub_days' in [kiosk] (it belongs in [sync])"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_one_warning(&cases[i]);
}

static void test_unknown_names(void **state)
{
    (void)state;
    config c;
    config_report rep;
    parse("[kiosk]\n"                 /* 1 */
          "idle_rest = 30\n"          /* 2: typo */
          "url = https://x.org/\n"    /* 3: wrong section */
          "colour = blue\n"           /* 4: nothing near */
          "[synk]\n"                  /* 5: typo of a section */
          "url = https://x.org/\n"    /* 6: ignored with its section */
          "[network]\n"               /* 7: unknown section */
          "[sync]\n"                  /* 8 */
          "intervall = 600\n"         /* 9 */
          "this is not a setting\n",  /* 10 */
          &c, &rep);
    print_warnings(&rep);
    assert_int_equal(rep.n_warnings, 7);
    assert_int_equal(rep.warnings[0].line, 2);
    assert_string_equal(rep.warnings[0].message, "unknown key 'idle_rest' in [kiosk] (did you mean 'idle_reset'?)");
    assert_int_equal(rep.warnings[1].line, 3);
    assert_string_equal(rep.warnings[1].message, "unknown key 'url' in [kiosk] (it belongs in [sync])");
    assert_int_equal(rep.warnings[2].line, 4);
    assert_string_equal(rep.warnings[2].message, "unknown key 'colour' in [kiosk]");
    assert_int_equal(rep.warnings[3].line, 5);
    assert_string_equal(rep.warnings[3].message, "unknown section [synk], its keys are ignored (did you mean [sync]?)");
    assert_int_equal(rep.warnings[4].line, 7);
    assert_non_null(strstr(rep.warnings[4].message, "unknown section [network], its keys are ignored (sections:"));
    assert_int_equal(rep.warnings[5].line, 9);
    assert_string_equal(rep.warnings[5].message, "unknown key 'intervall' in [sync] (did you mean 'interval'?)");
    assert_int_equal(rep.warnings[6].line, 10);
    assert_non_null(strstr(rep.warnings[6].message, "not 'key = value'"));
    /* Nothing of it was applied. */
    assert_same_config(&c, &defaults);

    /* A key before any section, and a typo of a key of another section. */
    parse("language = ru\n[kiosk]\nstate_dri = /x\n", &c, &rep);
    print_warnings(&rep);
    assert_int_equal(rep.n_warnings, 2);
    assert_int_equal(rep.warnings[0].line, 1);
    assert_string_equal(rep.warnings[0].message, "key 'language' before any [section], ignored (it belongs in [kiosk])");
    assert_string_equal(rep.warnings[1].message,
                        "unknown key 'state_dri' in [kiosk] (did you mean 'state_dir' in [content]?)");
    assert_same_config(&c, &defaults);
}

/* Warnings reach a terminal (--check, the journal): a control character
 * in the file (ESC clearing the screen, a backspace hiding text) is shown
 * escaped, never raw. Found by fuzz_config (a backspace in a bad line). */
static void test_warnings_escape_controls(void **state)
{
    (void)state;
    config c;
    config_report rep;
    parse("[sync]\nurl01:00\b\x1b[2J = x\n[kiosk]\nkiosk_id = a\x1b[2Jb\nlanguage = \x1b]0;x\x07\n", &c, &rep);
    assert_true(rep.n_warnings >= 2);
    for (size_t i = 0; i < rep.n_warnings; i++) {
        char line[512];
        config_warning_text(&rep, i, line, sizeof line);
        for (const unsigned char *p = (const unsigned char *)line; *p; p++)
            if (*p < 0x20 || *p == 0x7f)
                fail_msg("warning %zu has control character 0x%02x: %s", i, *p, line);
    }
}

/* A relative path is joined to the config file's folder in a buffer of
 * set_path's own; a joined path refused for a control character must be
 * warned about from the value as written, not from that buffer after its
 * scope (stack-use-after-scope, found under AddressSanitizer: the
 * sanitizer pass of `make test` runs this test). */
static void test_refused_relative_path(void **state)
{
    (void)state;
    config c;
    config_report rep;
    parse("[content]\nstate_dir = state\x01" "dir\nfallback_bundle = ok/sample.ipb\n", &c, &rep);
    assert_int_equal(rep.n_warnings, 1);
    char line[512];
    config_warning_text(&rep, 0, line, sizeof line);
    assert_non_null(strstr(line, "state_dir"));
    assert_non_null(strstr(line, "state\\x01dir"));
    assert_string_equal(c.state_dir, defaults.state_dir);
    assert_string_equal(c.fallback_bundle, "/etc/infopoint/ok/sample.ipb");
}

static void test_duplicates(void **state)
{
    (void)state;
    config c;
    config_report rep;
    parse("[kiosk]\nidle_reset = 30\nlanguage = ru\nidle_reset = 60\n", &c, &rep);
    print_warnings(&rep);
    assert_int_equal(rep.n_warnings, 1);
    assert_int_equal(rep.warnings[0].line, 4);
    assert_string_equal(rep.warnings[0].message, "duplicate key 'idle_reset' (first at line 2), ignored");
    assert_int_equal(c.idle_reset_s, 30);
    assert_string_equal(c.language, "ru");

    /* The same key again in a repeated section. */
    parse("[sync]\ninterval = 600\n[kiosk]\nlanguage = en\n[sync]\ninterval = 900\nfirst_check = 10\n", &c, &rep);
    print_warnings(&rep);
    assert_int_equal(rep.n_warnings, 2);
    assert_int_equal(rep.warnings[0].line, 5);
    assert_non_null(strstr(rep.warnings[0].message, "duplicate section [sync] (first at line 1)"));
    assert_int_equal(rep.warnings[1].line, 6);
    assert_string_equal(rep.warnings[1].message, "duplicate key 'interval' in [sync] (first at line 2), ignored");
    assert_int_equal(c.sync_interval_s, 600);
    assert_int_equal(c.sync_first_s, 10);
    assert_string_equal(c.language, "en");
}

/* The file the package installs: every key present, commented out, with
 * its real default; it parses with no warning as shipped and uncommented. */
static void test_shipped_file(void **state)
{
    (void)state;
    const char *src = getenv("INFOPOINT_SOURCE_DIR");
    assert_non_null(src);
    char path[1024], err[1200];
    snprintf(path, sizeof path, "%s/packaging/infopoint.conf", src);
    char *text = NULL;
    size_t len = 0;
    if (platform_read_file(path, CONFIG_FILE_MAX, &text, &len, err, sizeof err) < 0)
        fail_msg("%s", err);

    config c;
    config_report rep;
    config_defaults(&c);
    config_parse(&c, text, len, "/etc/infopoint/infopoint.conf", &rep);
    print_warnings(&rep);
    assert_int_equal(rep.n_warnings, 0);
    assert_same_config(&c, &defaults);

    /* Uncomment every "#key = value" line. */
    char *open = malloc(len + 1);
    assert_non_null(open);
    size_t n = 0, keys_seen = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t l = eol ? (size_t)(eol - p + 1) : strlen(p);
        int setting = p[0] == '#' && p[1] >= 'a' && p[1] <= 'z' && strcspn(p, "=\n") < l;
        if (setting) {
            p++;
            l--;
            keys_seen++;
        }
        memcpy(open + n, p, l);
        n += l;
        p += l;
    }
    open[n] = '\0';
    config_defaults(&c);
    config_parse(&c, open, n, "/etc/infopoint/infopoint.conf", &rep);
    print_warnings(&rep);
    assert_int_equal(rep.n_warnings, 0);
    /* Each key once: as many as config_format writes. */
    char *all = formatted(&defaults);
    size_t n_keys = 0;
    for (const char *p = all; (p = strstr(p, " = ")); p++)
        n_keys++;
    assert_int_equal(keys_seen, n_keys);
    /* The documented defaults are the real ones; the fallback bundle is
     * the package's path, which a development build replaces. */
    assert_string_equal(c.fallback_bundle, "/usr/share/infopoint/sample.ipb");
    snprintf(c.fallback_bundle, sizeof c.fallback_bundle, "%s", defaults.fallback_bundle);
    assert_same_config(&c, &defaults);
    free(all);
    free(open);
    free(text);
}

static void test_load(void **state)
{
    (void)state;
    char dir[128];
    support_tempdir(dir, sizeof dir, "test_config");
    char path[256], missing[256];
    snprintf(path, sizeof path, "%s/infopoint.conf", dir);
    snprintf(missing, sizeof missing, "%s/none.conf", dir);

    config c;
    config_report rep;
    config_defaults(&c);
    /* Missing, not asked for by name: the defaults, quietly. */
    assert_int_equal(config_load(&c, missing, false, &rep), 0);
    assert_false(rep.found);
    assert_int_equal(rep.n_warnings, 0);
    /* Named on purpose: a warning. */
    assert_int_equal(config_load(&c, missing, true, &rep), 0);
    assert_int_equal(rep.n_warnings, 1);
    char line[1400];
    config_warning_text(&rep, 0, line, sizeof line);
    assert_non_null(strstr(line, "none.conf: No such file or directory; using the defaults"));
    assert_int_equal(config_load(&c, dir, true, &rep), 0);
    assert_non_null(strstr(rep.warnings[0].message, "is a directory"));
    assert_same_config(&c, &defaults);

    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[content]\nstate_dir = state\n[kiosk]\nlanguage = xx\n", f);
    fclose(f);
    assert_int_equal(config_load(&c, path, false, &rep), 1);
    assert_true(rep.found);
    assert_int_equal(rep.n_warnings, 1);
    config_warning_text(&rep, 0, line, sizeof line);
    char want[512];
    snprintf(want, sizeof want, "%s:4: language must be kk, ru or en, not 'xx'; using the default 'kk'", path);
    assert_string_equal(line, want);
    char state_dir[300];
    snprintf(state_dir, sizeof state_dir, "%s/state", dir);
    assert_string_equal(c.state_dir, state_dir);
    unlink(path);
    rmdir(dir);

    /* Where the file is looked for without --config. */
    setenv("INFOPOINT_CONFIG", "/somewhere/kiosk.conf", 1);
    assert_string_equal(config_default_path(), "/somewhere/kiosk.conf");
    setenv("INFOPOINT_CONFIG", "", 1);
    assert_string_equal(config_default_path(), INFOPOINT_CONFIG_PATH);
}

static void test_set(void **state)
{
    (void)state;
    config c;
    char err[400];
    config_defaults(&c);
    assert_int_equal(config_set(&c, "kiosk.language", "ru", err, sizeof err), 0);
    assert_string_equal(c.language, "ru");
    assert_int_equal(config_set(&c, "content.state_dir", "rel/state", err, sizeof err), 0);
    assert_string_equal(c.state_dir, "rel/state"); /* as given: relative to the working directory */
    assert_int_equal(config_set(&c, "sync.url", "http://127.0.0.1:8080/repo", err, sizeof err), 0);
    assert_int_equal(config_set(&c, "kiosk.screen_off", "23:30-6:00", err, sizeof err), 0);
    assert_string_equal(c.screen_off, "23:30-6:00");

    config before = c;
    assert_int_equal(config_set(&c, "kiosk.idle_reset", "ten", err, sizeof err), -2);
    assert_string_equal(err, "must be seconds 0..86400, not 'ten'");
    assert_int_equal(config_set(&c, "kiosk.idle_rest", "10", err, sizeof err), -1);
    assert_string_equal(err, "unknown key 'kiosk.idle_rest' (did you mean 'kiosk.idle_reset'?)");
    assert_int_equal(config_set(&c, "interval", "600", err, sizeof err), -1);
    assert_string_equal(err, "unknown key 'interval' (did you mean 'sync.interval'?)");
    assert_int_equal(config_set(&c, "nothing", "1", err, sizeof err), -1);
    assert_non_null(strstr(err, "keys are SECTION.KEY"));
    assert_same_config(&c, &before);
}

static void test_pin(void **state)
{
    (void)state;
    char hash[CONFIG_PIN_HASH_MAX], other[CONFIG_PIN_HASH_MAX];
    assert_int_equal(config_hash_pin("1234", hash), 0);
    assert_true(config_pin_hash_valid(hash));
    assert_int_equal(config_pin_matches(hash, "1234"), 1);
    assert_int_equal(config_pin_matches(hash, "1235"), 0);
    assert_int_equal(config_pin_matches(hash, "12345"), 0);
    assert_int_equal(config_pin_matches(hash, ""), 0);
    assert_int_equal(config_pin_matches("", "1234"), 0);
    assert_int_equal(config_pin_matches(NULL, "1234"), 0);
    assert_int_equal(config_pin_matches("1234", "1234"), 0); /* a plain PIN is no hash */
    /* Salted: the same PIN hashes differently each time, and both verify. */
    assert_int_equal(config_hash_pin("1234", other), 0);
    assert_string_not_equal(hash, other);
    assert_int_equal(config_pin_matches(other, "1234"), 1);
    /* The cost written into the hash: Argon2id, 8 MB, 2 passes. */
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_non_null(strstr(hash, "m=8192,t=2"));
    assert_int_equal(config_hash_pin("87654321", other), 0);
    assert_int_equal(config_pin_matches(other, "87654321"), 1);

    static const char *const bad[] = {"", "123", "123456789", "12a4", " 1234", "1234 ", "-123"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_false(config_pin_valid(bad[i]));
        assert_int_equal(config_hash_pin(bad[i], other), -1);
    }

    /* Through the file. */
    char text[300];
    snprintf(text, sizeof text, "[kiosk]\nadmin_pin = %s\n", hash);
    config c;
    config_report rep;
    parse(text, &c, &rep);
    assert_int_equal(rep.n_warnings, 0);
    assert_int_equal(config_pin_matches(c.admin_pin, "1234"), 1);
    /* Cut short: malformed, a warning, the operator screen disabled. */
    snprintf(text, sizeof text, "[kiosk]\nadmin_pin = %.40s\n", hash);
    parse(text, &c, &rep);
    assert_int_equal(rep.n_warnings, 1);
    assert_string_equal(c.admin_pin, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),   cmocka_unit_test(test_every_key), cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_scrub_days),
        cmocka_unit_test(test_unknown_names), cmocka_unit_test(test_duplicates), cmocka_unit_test(test_warnings_escape_controls), cmocka_unit_test(test_refused_relative_path), cmocka_unit_test(test_shipped_file),
        cmocka_unit_test(test_load),       cmocka_unit_test(test_set),       cmocka_unit_test(test_pin),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
