#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ini.h"
#include "schedule.h"
#include "scrub.h"
#include "theme.h"
#include "platform.h"
#include "utf8.h"

#ifndef INFOPOINT_CONFIG_PATH
#define INFOPOINT_CONFIG_PATH "/etc/infopoint/infopoint.conf"
#endif
#ifndef INFOPOINT_SAMPLE_BUNDLE
#define INFOPOINT_SAMPLE_BUNDLE INFOPOINT_BUILD_DIR "/sample.ipb"
#endif

/* Argon2id cost for the operator PIN. OPSLIMIT_INTERACTIVE (2 passes) with
 * 8 MB instead of the interactive 64 MB: a Pi has 1 GB shared with the
 * screen and the bundle cache, and a check then takes ~50 ms on a Pi 3
 * rather than half a second of a frozen keypad. A 4-8 digit PIN cannot be
 * made safe against an offline search by any cost; the hash keeps the
 * digits out of a file that backups and support staff see, and the
 * operator screen's lock-out after wrong PINs is what stops guessing. */
#define PIN_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PIN_MEMLIMIT (8u * 1024u * 1024u)

/* Longest key or section name a suggestion is looked for. */
#define NAME_MAX_SUGGEST 32

typedef enum {
    T_LANGUAGE,  /* kk | ru | en */
    T_LEVEL,     /* debug | info | warn | error */
    T_INT,       /* whole number in [min, max] */
    T_DPI,       /* 0 or a number 20..1000 */
    T_BOOL,      /* true/false, yes/no, on/off, 1/0 */
    T_TEXT,      /* one line of printable text */
    T_PATH,      /* a path; relative ones from the file's directory */
    T_URL,       /* https://, http://, file:// or a path */
    T_WINDOW,    /* HH:MM-HH:MM or empty */
    T_ADMIN_PIN, /* a crypto_pwhash_str hash or empty */
    T_TLS_PIN    /* sha256//BASE64, ';'-separated, or empty */
} key_type;

typedef struct {
    const char *section;
    const char *name;
    key_type type;
    size_t offset;   /* of the field in config */
    size_t size;     /* of a char[] field */
    int min, max;    /* T_INT */
    const char *unit; /* T_INT: "seconds" */
} key_def;

#define FIELD(f) offsetof(config, f), sizeof(((config *)0)->f)
#define INT_KEY(sec, name, f, lo, hi, unit) {sec, name, T_INT, FIELD(f), lo, hi, unit}
#define KEY(sec, name, type, f) {sec, name, type, FIELD(f), 0, 0, NULL}

/* Every key, in the order of the shipped file. The ranges match the
 * command-line options and what the modules accept (schedule.h). */
static const key_def keys[] = {
    KEY("kiosk", "language", T_LANGUAGE, language),
    INT_KEY("kiosk", "idle_reset", idle_reset_s, 0, 86400, "seconds"),
    INT_KEY("kiosk", "speech_idle_factor", speech_idle_factor, 1, 10, "a factor"),
    KEY("kiosk", "headphone_speech", T_BOOL, headphone_speech),
    INT_KEY("kiosk", "text_size", text_size, 0, THEME_TEXT_STEPS - 1, "a step"),
    KEY("kiosk", "dpi", T_DPI, dpi),
    KEY("kiosk", "kiosk_id", T_TEXT, kiosk_id),
    KEY("kiosk", "windowed", T_BOOL, windowed),
    KEY("kiosk", "screen_off", T_WINDOW, screen_off),
    KEY("kiosk", "admin_pin", T_ADMIN_PIN, admin_pin),
    KEY("content", "state_dir", T_PATH, state_dir),
    KEY("content", "fallback_bundle", T_PATH, fallback_bundle),
    KEY("sync", "url", T_URL, sync_url),
    KEY("sync", "trust", T_PATH, trust),
    INT_KEY("sync", "interval", sync_interval_s, SCHEDULE_MIN_INTERVAL_S, SCHEDULE_MAX_INTERVAL_S, "seconds"),
    INT_KEY("sync", "first_check", sync_first_s, 1, 86400, "seconds"),
    KEY("sync", "window", T_WINDOW, sync_window),
    KEY("sync", "allow_http", T_BOOL, allow_http),
    KEY("sync", "ca_file", T_PATH, ca_file),
    KEY("sync", "tls_pin", T_TLS_PIN, tls_pin),
    INT_KEY("sync", "stall_timeout", stall_timeout_s, 1, 3600, "seconds"),
    INT_KEY("sync", "time_limit", time_limit_s, 1, 86400, "seconds"),
    KEY("sync", "usb_path", T_PATH, usb_path),
    INT_KEY("sync", "scrub_days", scrub_days, 0, SCRUB_DAYS_MAX, "days"),
    KEY("usage", "counters", T_BOOL, usage_counters),
    KEY("report", "url", T_URL, report_url),
    KEY("report", "user", T_TEXT, report_user),
    KEY("report", "password_file", T_PATH, report_password_file),
    INT_KEY("report", "interval", report_interval_s, 60, 86400, "seconds"),
    KEY("report", "allow_http", T_BOOL, report_allow_http),
    KEY("report", "ca_file", T_PATH, report_ca_file),
    KEY("report", "client_cert", T_PATH, report_client_cert),
    KEY("report", "client_key", T_PATH, report_client_key),
    KEY("report", "screenshot", T_BOOL, report_screenshot),
    KEY("log", "level", T_LEVEL, log_level),
};
#define N_KEYS (sizeof keys / sizeof *keys)

static const char *const sections[] = {"kiosk", "content", "sync", "usage", "report", "log"};
#define N_SECTIONS (sizeof sections / sizeof *sections)

static void host_name(char *out, size_t cap)
{
    char h[256] = "";
    if (gethostname(h, sizeof h - 1) < 0 || !h[0])
        snprintf(h, sizeof h, "infopoint");
    snprintf(out, cap, "%.*s", (int)(cap - 1), h);
}

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->language, sizeof c->language, "kk");
    c->idle_reset_s = 90;
    c->speech_idle_factor = 3;
    c->headphone_speech = true;
    host_name(c->kiosk_id, sizeof c->kiosk_id);
    snprintf(c->state_dir, sizeof c->state_dir, "/var/lib/infopoint");
    snprintf(c->fallback_bundle, sizeof c->fallback_bundle, "%s", INFOPOINT_SAMPLE_BUNDLE);
    snprintf(c->trust, sizeof c->trust, "/etc/infopoint/publisher.pub");
    c->sync_interval_s = 21600;
    c->sync_first_s = 60;
    c->stall_timeout_s = 30;
    c->time_limit_s = 1800;           /* SYNC_MAX_RUN_S */
    snprintf(c->usb_path, sizeof c->usb_path, "/media/infopoint");
    c->scrub_days = SCRUB_DAYS_DEFAULT;
    c->usage_counters = true;
    c->report_interval_s = 3600;
    c->report_screenshot = true;
    c->log_level = PLATFORM_LOG_INFO;
}

/* ---- values ---------------------------------------------------------- */

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static int printable_line(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static int valid_url(const char *v)
{
    const char *sep = strstr(v, "://");
    if (!sep)
        return v[0] != '\0'; /* a path (a USB tree, a test repository) */
    size_t n = (size_t)(sep - v);
    return (n == 5 && strncasecmp(v, "https", 5) == 0) || (n == 4 && strncasecmp(v, "http", 4) == 0) ||
           (n == 4 && strncasecmp(v, "file", 4) == 0);
}

static int valid_tls_pin(const char *v)
{
    /* curl's CURLOPT_PINNEDPUBLICKEY: sha256//BASE64 hashes joined by ';'. */
    const char *p = v;
    for (;;) {
        if (strncmp(p, "sha256//", 8) != 0)
            return 0;
        p += 8;
        size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
        if (n == 0)
            return 0;
        p += n;
        if (*p == '\0')
            return 1;
        if (*p++ != ';')
            return 0;
    }
}

/* Copies s into a char[size] field; -1 when it does not fit. */
static int put_text(char *field, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size)
        return -1;
    memset(field, 0, size);
    memcpy(field, s, n);
    return 0;
}

/* What a key accepts, for messages ("seconds 0..86400"). */
static void describe(const key_def *k, char *out, size_t cap)
{
    switch (k->type) {
    case T_LANGUAGE: snprintf(out, cap, "kk, ru or en"); return;
    case T_LEVEL: snprintf(out, cap, "debug, info, warn or error"); return;
    case T_INT: snprintf(out, cap, "%s %d..%d", k->unit, k->min, k->max); return;
    case T_DPI: snprintf(out, cap, "0 (unknown) or a number 20..1000"); return;
    case T_BOOL: snprintf(out, cap, "true or false"); return;
    case T_TEXT: snprintf(out, cap, "one line of at most %zu bytes", k->size - 1); return;
    case T_PATH: snprintf(out, cap, "a path of at most %zu bytes", k->size - 1); return;
    case T_URL: snprintf(out, cap, "an https://, http:// or file:// URL or a path"); return;
    case T_WINDOW: snprintf(out, cap, "HH:MM-HH:MM (start and end differ) or empty"); return;
    case T_TLS_PIN: snprintf(out, cap, "sha256//BASE64 (several joined by ';') or empty"); return;
    case T_ADMIN_PIN: snprintf(out, cap, "a hash from 'infopoint --hash-pin'"); return;
    }
}

static int set_dpi(float *field, const char *value)
{
    char *end;
    float d = strtof(value, &end);
    if (!value[0] || *end || !(d == 0 || (d >= 20 && d <= 1000)))
        return -1;
    *field = d;
    return 0;
}

/* One printable line; an empty kiosk_id means the host name. */
static int set_text(const key_def *k, char *field, const char *value)
{
    char host[CONFIG_ID_MAX];
    if (!printable_line(value) || strlen(value) >= k->size)
        return -1;
    if (!value[0] && k->offset == offsetof(config, kiosk_id)) {
        host_name(host, sizeof host);
        value = host;
    }
    return put_text(field, k->size, value);
}

/* A path, relative ones taken from base (NULL or "": as given). */
static int set_path(const key_def *k, char *field, const char *value, const char *base)
{
    char full[CONFIG_PATH_MAX + 8];
    if (!value[0] && k->offset == offsetof(config, fallback_bundle))
        value = INFOPOINT_SAMPLE_BUNDLE;
    if (value[0] && value[0] != '/' && base && base[0]) {
        if (snprintf(full, sizeof full, "%s/%s", base, value) >= (int)sizeof full)
            return -1;
        value = full;
    }
    if (!printable_line(value))
        return -1;
    return put_text(field, k->size, value);
}

/* Checks value against k's type and stores it in field. Returns 0, -1 for
 * a value of the wrong form, -2 for an admin_pin that is not a hash. */
static int store_value(const key_def *k, void *field, const char *value, const char *base)
{
    int a, b;
    switch (k->type) {
    case T_LANGUAGE:
        if (strcmp(value, "kk") && strcmp(value, "ru") && strcmp(value, "en"))
            return -1;
        return put_text(field, k->size, value);
    case T_LEVEL:
        return platform_log_level_parse(value, field) < 0 ? -1 : 0;
    case T_INT:
        return platform_parse_int(value, k->min, k->max, field) < 0 ? -1 : 0;
    case T_DPI:
        return set_dpi(field, value);
    case T_BOOL:
        return parse_bool(value, field) < 0 ? -1 : 0;
    case T_TEXT:
        return set_text(k, field, value);
    case T_PATH:
        return set_path(k, field, value, base);
    case T_URL:
        if (value[0] && (!valid_url(value) || !printable_line(value)))
            return -1;
        return put_text(field, k->size, value);
    case T_WINDOW:
        if (value[0] && schedule_parse_window(value, &a, &b) < 0)
            return -1;
        return put_text(field, k->size, value);
    case T_ADMIN_PIN:
        if (value[0] && !config_pin_hash_valid(value))
            return -2;
        return put_text(field, k->size, value) < 0 ? -2 : 0;
    case T_TLS_PIN:
        if (value[0] && !valid_tls_pin(value))
            return -1;
        return put_text(field, k->size, value);
    }
    return -1;
}

/* Checks value for k and stores it in c. base: directory for relative
 * paths (NULL: as given). Returns 0, or -1 with why (after the key name:
 * "must be ..., not '...'"). */
static int set_key(config *c, const key_def *k, const char *value, const char *base, char *why, size_t cap)
{
    int r = store_value(k, (char *)c + k->offset, value, base);
    if (r == 0)
        return 0;
    if (r == -2) {
        /* Never echo it: it may be the PIN itself, typed in by hand. */
        snprintf(why, cap, "is not a hash made by 'infopoint --hash-pin' (a plain PIN does not work): the "
                           "operator screen stays disabled");
        return -1;
    }
    char want[96];
    describe(k, want, sizeof want);
    snprintf(why, cap, "must be %s, not '%.48s%s'", want, value, strlen(value) > 48 ? "..." : "");
    return -1;
}

/* Writes k's value in c as the file would have it. */
static void format_value(const config *c, const key_def *k, char *out, size_t cap)
{
    const void *field = (const char *)c + k->offset;
    switch (k->type) {
    case T_LEVEL:
        snprintf(out, cap, "%s", platform_log_level_name(*(const platform_log_level *)field));
        break;
    case T_INT:
        snprintf(out, cap, "%d", *(const int *)field);
        break;
    case T_DPI:
        snprintf(out, cap, "%g", (double)*(const float *)field);
        break;
    case T_BOOL:
        snprintf(out, cap, "%s", *(const bool *)field ? "true" : "false");
        break;
    default:
        snprintf(out, cap, "%s", (const char *)field);
        break;
    }
}

/* ---- names and suggestions ------------------------------------------- */

/* Edit distance, case-insensitive, of two short names. */
static size_t distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > NAME_MAX_SUGGEST || nb > NAME_MAX_SUGGEST)
        return (size_t)-1;
    size_t row[NAME_MAX_SUGGEST + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* Close enough to be a typo: one edit for short names, two for longer. */
static int near(const char *typed, const char *name)
{
    size_t d = distance(typed, name);
    return d <= (strlen(name) >= 5 ? 2u : 1u);
}

static const key_def *find_key(const char *section, const char *name)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static int known_section(const char *name)
{
    for (size_t i = 0; i < N_SECTIONS; i++)
        if (strcmp(sections[i], name) == 0)
            return 1;
    return 0;
}

/* A hint for an unknown key in section: " (did you mean 'x'?)", " (it
 * belongs in [sync])", or "". */
static void suggest_key(const char *section, const char *name, char *out, size_t cap)
{
    const key_def *best = NULL;
    size_t best_d = (size_t)-1;
    out[0] = '\0';
    for (size_t i = 0; i < N_KEYS; i++) {
        if (strcmp(keys[i].name, name) == 0) {
            snprintf(out, cap, " (it belongs in [%s])", keys[i].section);
            return;
        }
    }
    /* Same section first, then anywhere. */
    for (int pass = 0; pass < 2 && !best; pass++) {
        for (size_t i = 0; i < N_KEYS; i++) {
            if ((pass == 0) != (strcmp(keys[i].section, section) == 0) || !near(name, keys[i].name))
                continue;
            size_t d = distance(name, keys[i].name);
            if (d < best_d) {
                best = &keys[i];
                best_d = d;
            }
        }
    }
    if (best && strcmp(best->section, section) == 0)
        snprintf(out, cap, " (did you mean '%s'?)", best->name);
    else if (best)
        snprintf(out, cap, " (did you mean '%s' in [%s]?)", best->name, best->section);
}

/* ---- parsing a file --------------------------------------------------- */

static void warn(config_report *rep, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void warn(config_report *rep, int line, const char *fmt, ...)
{
    if (rep->n_warnings == CONFIG_MAX_WARNINGS) {
        rep->warnings_dropped++;
        return;
    }
    config_warning *w = &rep->warnings[rep->n_warnings++];
    w->line = line;
    char raw[sizeof w->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* Warnings reach a terminal: an ESC from the file must not clear it nor
     * a backspace hide text (found by fuzz_config). */
    utf8_escape_controls(raw, w->message, sizeof w->message);
}

static void report_reset(config_report *rep, const char *file)
{
    memset(rep, 0, sizeof *rep);
    snprintf(rep->path, sizeof rep->path, "%s", file ? file : "");
}

/* Keeps warnings in line order: ini's issues and ours come from two passes. */
static int by_line(const void *a, const void *b)
{
    const config_warning *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

static void apply_entry(config *c, const config *defaults, const ini_doc *doc, const ini_entry *e,
                        const char *base, int *set_at, config_report *rep)
{
    const char *section = doc->sections[e->section].name;
    if (!section[0]) {
        char hint[96];
        suggest_key("", e->key, hint, sizeof hint);
        warn(rep, e->line, "key '%.64s' before any [section], ignored%s", e->key, hint);
        return;
    }
    if (!known_section(section))
        return; /* reported once, at the section header */
    const key_def *k = find_key(section, e->key);
    if (!k) {
        char hint[96];
        suggest_key(section, e->key, hint, sizeof hint);
        warn(rep, e->line, "unknown key '%.64s' in [%s]%s", e->key, section, hint);
        return;
    }
    size_t idx = (size_t)(k - keys);
    if (set_at[idx]) {
        /* The same key in a repeated [section]: ini sees two sections. */
        warn(rep, e->line, "duplicate key '%s' in [%s] (first at line %d), ignored", k->name, section, set_at[idx]);
        return;
    }
    set_at[idx] = e->line;
    char why[200];
    if (set_key(c, k, e->value, base, why, sizeof why) == 0)
        return;
    if (k->type == T_ADMIN_PIN) {
        warn(rep, e->line, "%s %s", k->name, why);
    } else {
        char def[CONFIG_PATH_MAX];
        format_value(defaults, k, def, sizeof def);
        warn(rep, e->line, "%s %s; using the default%s%.64s%s", k->name, why, def[0] ? " '" : " (empty)", def,
             def[0] ? "'" : "");
    }
}

void config_parse(config *c, const char *text, size_t len, const char *file, config_report *rep)
{
    report_reset(rep, file);
    ini_doc *doc = ini_parse(text, len);
    if (!doc) {
        warn(rep, 0, "out of memory reading the file; using the defaults");
        return;
    }
    for (size_t i = 0; i < doc->n_issues; i++) {
        const ini_issue *is = &doc->issues[i];
        warn(rep, is->line, "%s%s", is->message, is->kind == INI_ISSUE_DUPLICATE_KEY ? ", ignored" : "");
    }
    if (doc->issues_dropped)
        warn(rep, 0, "%zu more problems in the file", doc->issues_dropped);
    for (size_t i = 1; i < doc->n_sections; i++) {
        const ini_section *s = &doc->sections[i];
        if (known_section(s->name))
            continue;
        const char *hint = NULL;
        for (size_t j = 0; j < N_SECTIONS && !hint; j++)
            if (near(s->name, sections[j]))
                hint = sections[j];
        if (hint)
            warn(rep, s->line, "unknown section [%.64s], its keys are ignored (did you mean [%s]?)", s->name, hint);
        else
            warn(rep, s->line, "unknown section [%.64s], its keys are ignored (sections: [kiosk], [content], "
                               "[sync], [log])", s->name);
    }

    /* Relative paths are taken from the file's directory. */
    char base[CONFIG_PATH_MAX] = "";
    const char *slash = file ? strrchr(file, '/') : NULL;
    if (slash)
        snprintf(base, sizeof base, "%.*s", (int)(slash - file == 0 ? 1 : slash - file), file);

    config defaults;
    config_defaults(&defaults);
    int set_at[N_KEYS] = {0};
    for (size_t i = 0; i < doc->n_entries; i++)
        apply_entry(c, &defaults, doc, &doc->entries[i], base, set_at, rep);
    ini_free(doc);
    qsort(rep->warnings, rep->n_warnings, sizeof *rep->warnings, by_line);
}

int config_load(config *c, const char *path, bool required, config_report *rep)
{
    report_reset(rep, path);
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno != ENOENT || required)
            warn(rep, 0, "%s; using the defaults", strerror(errno));
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        warn(rep, 0, "is %s, not a regular file; using the defaults", platform_file_kind((unsigned)st.st_mode));
        return 0;
    }
    if (access(path, R_OK) < 0) {
        warn(rep, 0, "%s; using the defaults", strerror(errno));
        return 0;
    }
    char *text = NULL, err[CONFIG_PATH_MAX + 80];
    size_t len = 0;
    if (platform_read_file(path, CONFIG_FILE_MAX, &text, &len, err, sizeof err) < 0) {
        warn(rep, 0, "%s; using the defaults", err);
        return 0;
    }
    config_parse(c, text, len, path, rep);
    rep->found = true;
    free(text);
    return 1;
}

const char *config_default_path(void)
{
    const char *env = getenv("INFOPOINT_CONFIG");
    return env && env[0] ? env : INFOPOINT_CONFIG_PATH;
}

void config_warning_text(const config_report *rep, size_t i, char *out, size_t cap)
{
    const config_warning *w = &rep->warnings[i];
    if (w->line > 0)
        snprintf(out, cap, "%s:%d: %s", rep->path, w->line, w->message);
    else
        snprintf(out, cap, "%s: %s", rep->path, w->message);
}

size_t config_report_lines(const config_report *rep, config_sink sink, void *user)
{
    char line[CONFIG_PATH_MAX + 400];
    for (size_t i = 0; i < rep->n_warnings; i++) {
        config_warning_text(rep, i, line, sizeof line);
        sink(user, line);
    }
    if (!rep->warnings_dropped)
        return rep->n_warnings;
    snprintf(line, sizeof line, "%s: %zu more warnings", rep->path, rep->warnings_dropped);
    sink(user, line);
    return rep->n_warnings + 1;
}

int config_set(config *c, const char *dotted_key, const char *value, char *err, size_t errcap)
{
    char section[32];
    const char *dot = strchr(dotted_key, '.');
    const key_def *k = NULL;
    if (dot && (size_t)(dot - dotted_key) < sizeof section) {
        snprintf(section, sizeof section, "%.*s", (int)(dot - dotted_key), dotted_key);
        k = find_key(section, dot + 1);
    }
    if (!k) {
        const key_def *best = NULL;
        size_t best_d = (size_t)-1;
        for (size_t i = 0; i < N_KEYS; i++) {
            char full[80];
            snprintf(full, sizeof full, "%s.%s", keys[i].section, keys[i].name);
            size_t d = distance(dotted_key, full);
            if ((strcmp(keys[i].name, dotted_key) == 0 || d <= 2) && d < best_d) {
                best = &keys[i];
                best_d = strcmp(keys[i].name, dotted_key) == 0 ? 0 : d;
            }
        }
        if (best)
            snprintf(err, errcap, "unknown key '%.64s' (did you mean '%s.%s'?)", dotted_key, best->section,
                     best->name);
        else
            snprintf(err, errcap, "unknown key '%.64s' (keys are SECTION.KEY, e.g. kiosk.language)", dotted_key);
        return -1;
    }
    config copy = *c;
    if (set_key(&copy, k, value, NULL, err, errcap) < 0)
        return -2;
    *c = copy;
    return 0;
}

size_t config_format(const config *c, char *out, size_t cap)
{
    size_t n = 0;
    const char *section = NULL;
    for (size_t i = 0; i < N_KEYS; i++) {
        char value[CONFIG_URL_MAX];
        format_value(c, &keys[i], value, sizeof value);
        int w;
        if (!section || strcmp(section, keys[i].section)) {
            section = keys[i].section;
            w = snprintf(n < cap ? out + n : NULL, n < cap ? cap - n : 0, "%s[%s]\n", i ? "\n" : "", section);
            n += w > 0 ? (size_t)w : 0;
        }
        w = snprintf(n < cap ? out + n : NULL, n < cap ? cap - n : 0, "%s = %s\n", keys[i].name, value);
        n += w > 0 ? (size_t)w : 0;
    }
    return n;
}

/* ---- the operator PIN ------------------------------------------------- */

int config_pin_valid(const char *pin)
{
    size_t n = strlen(pin);
    if (n < CONFIG_PIN_MIN_DIGITS || n > CONFIG_PIN_MAX_DIGITS)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return 0;
    return 1;
}

int config_hash_pin(const char *pin, char out[CONFIG_PIN_HASH_MAX])
{
    _Static_assert(CONFIG_PIN_HASH_MAX >= crypto_pwhash_STRBYTES, "room for a pwhash string");
    if (!config_pin_valid(pin) || sodium_init() < 0)
        return -1;
    return crypto_pwhash_str(out, pin, strlen(pin), PIN_OPSLIMIT, PIN_MEMLIMIT) == 0 ? 0 : -1;
}

int config_pin_hash_valid(const char *hash)
{
    if (sodium_init() < 0 || strlen(hash) >= crypto_pwhash_STRBYTES ||
        strncmp(hash, crypto_pwhash_STRPREFIX, strlen(crypto_pwhash_STRPREFIX)) != 0)
        return 0;
    /* -1: not a string of this algorithm; 0 or 1 (other costs): a hash. */
    return crypto_pwhash_str_needs_rehash(hash, PIN_OPSLIMIT, PIN_MEMLIMIT) >= 0;
}

int config_pin_matches(const char *hash, const char *pin)
{
    if (!hash || !pin || !config_pin_valid(pin) || !config_pin_hash_valid(hash))
        return 0;
    return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}
