/* config — the kiosk's one configuration file (INI, read with ini.h).
 *
 *   [kiosk]    language, idle_reset, speech_idle_factor, headphone_speech,
 *              text_size, dpi, kiosk_id, windowed, screen_off, admin_pin
 *   [content]  state_dir, fallback_bundle
 *   [sync]     url, trust, interval, first_check, window, allow_http,
 *              ca_file, tls_pin, stall_timeout, time_limit, usb_path,
 *              scrub_days
 *   [usage]    counters
 *   [report]   url, user, password_file, interval, allow_http, ca_file,
 *              client_cert, client_key, screenshot
 *   [log]      level
 *
 * packaging/infopoint.conf documents every key with its default. Every key
 * has a default, and a mistake never stops the kiosk: an unknown section or
 * key, a bad value, a duplicate, a malformed line becomes a warning with its
 * line number ("FILE:LINE: message") and that key keeps its default.
 * Relative paths in a file are taken from the file's directory.
 *
 * Which file: `--config FILE`, else $INFOPOINT_CONFIG, else the build's
 * INFOPOINT_CONFIG_PATH (/etc/infopoint/infopoint.conf in a package build,
 * SOURCE/infopoint.conf in a development build). Command-line options are
 * applied on top with config_set().
 *
 * The operator PIN is stored as a libsodium crypto_pwhash_str hash
 * (`infopoint --hash-pin`), never as digits. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "platform.h"

/* Longest path value, with NUL. */
#define CONFIG_PATH_MAX 1024
/* Longest sync URL, with NUL. */
#define CONFIG_URL_MAX 2048
/* Longest kiosk_id, with NUL. */
#define CONFIG_ID_MAX 64
/* Room for a crypto_pwhash_str hash (crypto_pwhash_STRBYTES), with NUL. */
#define CONFIG_PIN_HASH_MAX 128
/* Largest config file read; a bigger one is refused (defaults, a warning). */
#define CONFIG_FILE_MAX (256 * 1024)
/* Warnings kept per load; later ones are counted in dropped. */
#define CONFIG_MAX_WARNINGS 64
/* Operator PINs are this many digits. */
#define CONFIG_PIN_MIN_DIGITS 4
#define CONFIG_PIN_MAX_DIGITS 8

/* The settings in effect. Strings are NUL-terminated copies; "" means
 * "none" where the key allows empty. */
typedef struct {
    /* [kiosk] */
    char language[4];                 /* kk | ru | en: after start and every idle reset; kk */
    int idle_reset_s;                 /* seconds without touch before going home, 0: never; 90 */
    int speech_idle_factor;           /* idle_reset times this in speech mode, 1..10; 3 */
    bool headphone_speech;            /* plugging in an audio output starts speech mode; true */
    int text_size;                    /* start text size step 0..3 (100, 125, 150, 200 %); 0 */
    float dpi;                        /* screen density, 0: unknown (assume a 7" panel); 0 */
    char kiosk_id[CONFIG_ID_MAX];     /* shown to the operator; default (or empty): host name */
    bool windowed;                    /* development: a window that can be closed; false */
    char screen_off[16];              /* "HH:MM-HH:MM" blank-screen hours, "": never; "" */
    char admin_pin[CONFIG_PIN_HASH_MAX]; /* PIN hash, "": operator screen disabled; "" */
    /* [content] */
    char state_dir[CONFIG_PATH_MAX];  /* installed content and sync state, "": none; /var/lib/infopoint */
    char fallback_bundle[CONFIG_PATH_MAX]; /* last resort; default (or empty): INFOPOINT_SAMPLE_BUNDLE */
    /* [sync] */
    char sync_url[CONFIG_URL_MAX];    /* signed repository, "": no sync; "" */
    char trust[CONFIG_PATH_MAX];      /* pinned publisher.pub; /etc/infopoint/publisher.pub */
    int sync_interval_s;              /* between checks (±10 %); 21600 */
    int sync_first_s;                 /* first check within this after start; 60 */
    char sync_window[16];             /* "HH:MM-HH:MM" daily window for checks, "": any time; "" */
    bool allow_http;                  /* allow plain http:// (tests on 127.0.0.1); false */
    char ca_file[CONFIG_PATH_MAX];    /* extra CA certificates for https, "": system; "" */
    char tls_pin[512];                /* "sha256//BASE64[;sha256//...]" server key pin, "": none; "" */
    int stall_timeout_s;              /* abort a download below 64 B/s for this long; 30 */
    int time_limit_s;                 /* a whole sync's downloads end after this; 1800 */
    char usb_path[CONFIG_PATH_MAX];   /* mount point to import from, "": none; /media/infopoint */
    int scrub_days;                   /* days between full checks of the installed bundles, 0: none; 7 */
    /* [usage] */
    bool usage_counters;              /* count views, sessions, searches (counts only) in STATE/usage; true */
    /* [report] */
    char report_url[CONFIG_URL_MAX];  /* reports folder (PUT <url>/<kiosk_id>.txt), "": no reports; "" */
    char report_user[128];            /* HTTP basic auth user, "": none; "" */
    char report_password_file[CONFIG_PATH_MAX]; /* its password, first line of this file; "" */
    int report_interval_s;            /* between reports (and after each sync turn); 3600 */
    bool report_allow_http;           /* allow plain http:// (tests on 127.0.0.1); false */
    char report_ca_file[CONFIG_PATH_MAX];     /* extra CA certificates, "": system; "" */
    char report_client_cert[CONFIG_PATH_MAX]; /* TLS client certificate (PEM), "": none; "" */
    char report_client_key[CONFIG_PATH_MAX];  /* its key, "": in the certificate file; "" */
    bool report_screenshot;           /* a downscaled picture, daily, idle at home only; true */
    /* [log] */
    platform_log_level log_level;     /* lowest level written; info */
} config;

/* A problem with one line of the file (line 0: the file as a whole). */
typedef struct {
    int line;
    char message[320];                /* without "FILE:LINE: " */
} config_warning;

/* What a parse or load found. */
typedef struct {
    char path[CONFIG_PATH_MAX];       /* the file (as given) */
    bool found;                       /* the file was read */
    config_warning warnings[CONFIG_MAX_WARNINGS];
    size_t n_warnings;
    size_t warnings_dropped;          /* beyond CONFIG_MAX_WARNINGS */
} config_report;

/* Fills c with every default (kiosk_id: the host name). */
void config_defaults(config *c);

/* Parses text[0..len) as the file named file on top of c (start from
 * config_defaults). Keys that parse are set; every problem is a warning in
 * rep (cleared first) and leaves its key as it was. Pure apart from the
 * host-name lookup for an empty kiosk_id. */
void config_parse(config *c, const char *text, size_t len, const char *file, config_report *rep);

/* Reads and parses the file at path on top of c. A missing file is no
 * warning unless required (a file named on purpose: --config,
 * $INFOPOINT_CONFIG). Returns 1 when the file was read, 0 when it is
 * missing or unreadable (c unchanged, rep says why when it matters). */
int config_load(config *c, const char *path, bool required, config_report *rep);

/* The file to read when no --config is given: $INFOPOINT_CONFIG if set and
 * not empty, else the build's INFOPOINT_CONFIG_PATH. */
const char *config_default_path(void);

/* Writes "FILE:LINE: message" (or "FILE: message" for line 0) of warning i. */
void config_warning_text(const config_report *rep, size_t i, char *out, size_t cap);

/* Receives one formatted line of a report (valid during the call). */
typedef void (*config_sink)(void *user, const char *line);

/* Passes every warning of rep to sink as config_warning_text writes it,
 * then "FILE: N more warnings" when some were dropped: the one formatter
 * for the log and for --check. Returns the number of lines passed. */
size_t config_report_lines(const config_report *rep, config_sink sink, void *user);

/* Sets "section.key" to value as a command-line option does (paths are
 * taken as given). Returns 0; -1 for an unknown key, with a suggestion in
 * err ("unknown key 'kiosk.idle_rest' (did you mean 'kiosk.idle_reset'?)");
 * -2 for a bad value, with err as "must be seconds 0..86400, not 'ten'"
 * (the caller puts the option's name in front). c is unchanged on error. */
int config_set(config *c, const char *dotted_key, const char *value, char *err, size_t errcap);

/* Writes c as a complete config file ("[kiosk]\nlanguage = kk\n..."), every
 * key in file order. Returns the length it needed (like snprintf). */
size_t config_format(const config *c, char *out, size_t cap);

/* 1 when pin is CONFIG_PIN_MIN_DIGITS..CONFIG_PIN_MAX_DIGITS ASCII digits. */
int config_pin_valid(const char *pin);

/* Hashes a valid pin for admin_pin (salted Argon2id). Returns 0, or -1 when
 * the pin is not valid or memory runs out. */
int config_hash_pin(const char *pin, char out[CONFIG_PIN_HASH_MAX]);

/* 1 when pin matches the admin_pin hash, 0 otherwise (also for an empty or
 * malformed hash). Takes ~50 ms on a Pi 3: call it on a PIN entry, not per
 * frame. */
int config_pin_matches(const char *hash, const char *pin);

/* 1 when hash has the form config_hash_pin makes (an Argon2id string). */
int config_pin_hash_valid(const char *hash);
