/* i18n — the kiosk's own words (buttons, titles, messages) in Kazakh, Russian
 * and English. Content texts come from the bundle, not from here.
 *
 * Strings are UTF-8 constants compiled in: no files to lose, no locale to
 * configure. Ids marked "printf:" are format strings whose conversions are the
 * same, in the same order, in every language (a unit test checks it).
 */
#ifndef INFOPOINT_I18N_H
#define INFOPOINT_I18N_H

#include <stdbool.h>

/* A language of the interface. */
typedef enum {
    I18N_KK = 0, /* Қазақша */
    I18N_RU,     /* Русский */
    I18N_EN,     /* English */
    I18N_LANG_COUNT,
} i18n_lang;

/* A UI string; the comment gives the English text. */
typedef enum {
    I18N_HOME = 0,            /* Home */
    I18N_BACK,                /* Back */
    I18N_SEARCH,              /* Search */
    I18N_TEXT_SIZE,           /* Text size */
    I18N_LANGUAGE,            /* Language */
    I18N_TOUCH_TO_START,      /* Touch to start (attract screen) */
    I18N_SEARCH_TITLE,        /* Search the content */
    I18N_SEARCH_PLACEHOLDER,  /* Type a word… (empty search field) */
    I18N_NO_RESULTS,          /* printf: %s = the query. No results for “%s” */
    I18N_NO_RESULTS_HINT,     /* Try a shorter word or the beginning of a word */
    I18N_RESULTS,             /* Results */
    I18N_CONTENTS,            /* Contents (table of contents) */
    I18N_REACH_DOWN,          /* the reach strip's button: pull the screen into the lower half */
    I18N_REACH_FULL,          /* the same in reach mode: the whole screen again */
    I18N_REACH_RETURN,        /* on the empty upper part in reach mode */
    I18N_READ_CLAUSE,         /* Read the clause */
    I18N_PREVIOUS,            /* Previous (card, article) */
    I18N_NEXT,                /* Next (card, article) */
    I18N_CARD_OF,             /* printf: %d = card, %d = cards. Card %d of %d */
    I18N_EXCERPT,             /* Excerpt */
    I18N_IMAGE_UNAVAILABLE,   /* Image not available */
    I18N_TEXT_NOT_IN_LANG,    /* This text is not available in this language */
    I18N_LINK_UNAVAILABLE,    /* Link not available */
    I18N_OUT_OF_SERVICE,      /* Out of service */
    I18N_ASK_STAFF,           /* Please ask a member of staff for help. (out of service) */
    I18N_FEATURED,            /* Featured */
    I18N_CATEGORIES,          /* Categories */
    I18N_CLAUSE,              /* Clause (of a law article) */
    I18N_ARTICLE,             /* Article (of a law, e.g. the Constitution) */
    I18N_CLEAR,               /* Clear (keyboard key) */
    I18N_DONE,                /* Done (keyboard key: hide the keyboard) */
    I18N_WELCOME,             /* Welcome (home page greeting) */
    I18N_CHOOSE,              /* Choose a language and a topic (under the greeting) */
    I18N_OPEN,                /* Open (button on a featured card) */
    I18N_APP_NAME,            /* Information point (top bar of the home screen) */
    I18N_SEARCH_EXAMPLE,      /* For example: president, article 43, order (empty search screen) */
    I18N_LISTEN,              /* Listen (read the text aloud) */
    I18N_STOP_LISTENING,      /* Stop (reading aloud) */
    I18N_SPEECH_UNAVAILABLE,  /* Reading aloud is not available */
    I18N_SHOWING_RESULTS,     /* printf: %s = the corrected query. Showing results for “%s” */
    I18N_SEARCH_INSTEAD,      /* printf: %s = what was typed. Search for “%s” instead (button) */
    I18N_OTHER_LANGS,         /* Nothing in this language. Found in other languages: */
    /* The button above the keyboard when the results do not fit beside it,
     * in the plural form of the count (i18n_plural picks one). */
    I18N_RESULTS_SHOW_ONE,    /* printf: %d = results. %d result – show */
    I18N_RESULTS_SHOW_FEW,    /* printf: %d = results. %d results – show (ru: 2–4, 22–24 …) */
    I18N_RESULTS_SHOW_MANY,   /* printf: %d = results. %d results – show (ru: 5–20, 25–30 …) */
    /* The screen settings (the top bar's text size button opens them). */
    I18N_DISPLAY,             /* Screen settings (title) */
    I18N_SIZE_NORMAL,         /* Normal (text size) */
    I18N_SIZE_LARGE,          /* Large (text size) */
    I18N_SIZE_LARGER,         /* Larger (text size) */
    I18N_SIZE_LARGEST,        /* Largest (text size) */
    I18N_CONTRAST,            /* Contrast (section) */
    I18N_CONTRAST_STANDARD,   /* Standard (contrast) */
    I18N_CONTRAST_HIGH,       /* High (contrast) */
    /* The editor's preview (--preview): the panel over the screen. */
    I18N_PREVIEW_ERRORS,      /* This edit does not build; the last good version is shown: */
    I18N_PREVIEW_WARNINGS,    /* The content builds, with warnings: */
    /* The operator's screens. */
    I18N_OPERATOR_SCREEN,     /* Operator screen */
    I18N_OPERATOR_DISABLED,   /* Operator screen disabled (no PIN set) */
    I18N_PIN_TITLE,           /* Enter the operator PIN */
    I18N_PIN_WRONG,           /* printf: %d = attempts left. Wrong PIN. Attempts left: %d */
    I18N_PIN_LOCKED,          /* Too many wrong PINs */
    I18N_PIN_LOCKED_FOR,      /* printf: %d = minutes, %02d = seconds. Keypad locked. Try again in %d:%02d */
    I18N_PIN_OK,              /* Enter (the keypad's OK key) */
    I18N_CANCEL,              /* Cancel */
    I18N_CLOSE,               /* Close */
    I18N_ADMIN_UPDATES,       /* Content and updates (section) */
    I18N_ADMIN_KIOSK,         /* This kiosk (section) */
    I18N_ADMIN_CONTENT_VERSION, /* Content version */
    I18N_ADMIN_VERSION_BUILT, /* printf: %s = version, %s = date. %s, built %s (never published) */
    I18N_ADMIN_VERSION_PUBLISHED, /* printf: %s = version, %s = date. %s, published %s */
    I18N_ADMIN_LAST_CHECK,    /* Last check */
    I18N_ADMIN_LAST_SUCCESS,  /* Last successful check */
    I18N_ADMIN_NEXT_CHECK,    /* Next check */
    I18N_ADMIN_LAST_ERROR,    /* Last error */
    I18N_ADMIN_SYNC_OFF,      /* Network updates are not configured */
    I18N_ADMIN_KIOSK_ID,      /* Kiosk ID */
    I18N_ADMIN_SOFTWARE,      /* Software version */
    I18N_ADMIN_UPTIME,        /* Uptime */
    I18N_ADMIN_MEMORY,        /* Memory in use */
    I18N_ADMIN_DISK,          /* Free disk space */
    I18N_ADMIN_USAGE,         /* Usage (counts only) — section title */
    I18N_ADMIN_USAGE_TODAY,   /* Today */
    I18N_ADMIN_USAGE_KEPT,    /* printf: %s = days. Last %s days */
    I18N_ADMIN_USAGE_DAY,     /* printf: sessions, screens, searches, of them without results */
    I18N_ADMIN_USAGE_PERIOD,  /* printf: sessions, screens */
    I18N_ADMIN_STALE_TITLE,   /* Update information has expired */
    I18N_ADMIN_STALE_TEXT,    /* The kiosk keeps showing ... (what to check) */
    I18N_ADMIN_SYNC_RUNNING,  /* Update in progress */
    I18N_ADMIN_PHASE_CHECKING,    /* Checking */
    I18N_ADMIN_PHASE_DOWNLOADING, /* Downloading */
    I18N_ADMIN_PHASE_APPLYING,    /* Installing */
    I18N_ADMIN_RECORDS,       /* printf: %s = done, %s = total. Records: %s of %s */
    I18N_ADMIN_BYTES,         /* printf: %s = done, %s = total. Downloaded: %s of %s */
    I18N_ADMIN_SYNC_NOW,      /* Sync now (button) */
    I18N_ADMIN_IMPORT_USB,    /* Import from USB (button) */
    I18N_ADMIN_RESTART,       /* Restart kiosk (button) */
    I18N_ADMIN_EXIT,          /* Exit to desktop (button) */
    I18N_ADMIN_TOUCH_TEST,    /* Touch test (button, screen title) */
    I18N_ADMIN_TEST_PATTERN,  /* Screen test pattern (button) */
    I18N_ADMIN_RESTART_ASK,   /* Restart the kiosk now? */
    I18N_ADMIN_EXIT_ASK,      /* Close the kiosk and go to the desktop? ... */
    I18N_ADMIN_SYNC_ASKED,    /* Update check started (toast) */
    I18N_ADMIN_IMPORT_ASKED,  /* Looking for content on the USB stick (toast) */
    I18N_NEVER,               /* never (a time that has not happened) */
    I18N_NONE,                /* none */
    I18N_AGO,                 /* printf: %s = a duration. %s ago */
    I18N_IN,                  /* printf: %s = a duration. in %s */
    I18N_JUST_NOW,            /* just now */
    I18N_DUE_NOW,             /* due now */
    I18N_UNIT_DAYS,           /* d (days, abbreviated) */
    I18N_UNIT_HOURS,          /* h */
    I18N_UNIT_MINUTES,        /* min */
    I18N_UNIT_BYTES,          /* B */
    I18N_UNIT_KB,             /* KB */
    I18N_UNIT_MB,             /* MB */
    I18N_UNIT_GB,             /* GB */
    I18N_TOUCH_HINT,          /* Touch the screen with one or more fingers */
    I18N_TOUCH_COUNT,         /* printf: %d = fingers. Fingers on the screen: %d */
    I18N_PATTERN_HINT,        /* Tap anywhere to close */
    /* Speech mode (headphones or a two-finger hold): what it says. */
    I18N_SPEECH_MODE_ON,      /* printf: %s = the screen. Speech mode is on. Screen: %s. Touch ... (how to use it) */
    I18N_KEY_SHIFT,           /* Capital letters (the keyboard's shift key) */
    I18N_KEY_BACKSPACE,       /* Delete (removes the last character) */
    I18N_KEY_SPACE,           /* Space */
    I18N_KEY_HYPHEN,          /* Hyphen */
    I18N_KEY_LAYOUT,          /* Change the keyboard language */
    I18N_CHOSEN,              /* chosen (a setting's button that is on) */
    I18N_STRING_COUNT,
} i18n_id;

/* The string for id in lang; never NULL. */
const char *i18n_get(i18n_lang lang, i18n_id id);

/* ISO 639-1 code of a language: "kk", "ru", "en". */
const char *i18n_code(i18n_lang lang);

/* Name of a language in itself: "Қазақша", "Русский", "English". */
const char *i18n_name(i18n_lang lang);

/* Short name of a language in itself, for a crowded bar: "ҚАЗ", "РУС", "ENG". */
const char *i18n_short_name(i18n_lang lang);

/* Parse "kk", "ru" or "en" (any case; "ru-RU", "kk_KZ.UTF-8" too); false for anything else. */
bool i18n_parse(const char *code, i18n_lang *out);

/* The next language in kk -> ru -> en -> kk order (a language button cycles). */
i18n_lang i18n_next(i18n_lang lang);

/* The plural forms a count takes: Russian has three (1 результат, 2
 * результата, 5 результатов), English two (ONE and MANY), Kazakh one (a
 * noun after a number stays singular: 5 нәтиже; MANY). */
typedef enum {
    I18N_PLURAL_ONE,
    I18N_PLURAL_FEW,
    I18N_PLURAL_MANY,
    I18N_PLURAL_COUNT,
} i18n_plural_form;

/* The form a noun takes after the count n in lang. */
i18n_plural_form i18n_plural(i18n_lang lang, long n);

#endif
