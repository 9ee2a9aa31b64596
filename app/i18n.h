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
    I18N_READ_CLAUSE,         /* Read the clause */
    I18N_PREVIOUS,            /* Previous (card, article) */
    I18N_NEXT,                /* Next (card, article) */
    I18N_CARD_OF,             /* printf: %d = card, %d = cards. Card %d of %d */
    I18N_EXCERPT,             /* Excerpt */
    I18N_IMAGE_UNAVAILABLE,   /* Image not available */
    I18N_TEXT_NOT_IN_LANG,    /* This text is not available in this language */
    I18N_LINK_UNAVAILABLE,    /* Link not available */
    I18N_OUT_OF_SERVICE,      /* Out of service */
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
    I18N_STRING_COUNT,
} i18n_id;

/* The string for id in lang; never NULL. */
const char *i18n_get(i18n_lang lang, i18n_id id);

/* ISO 639-1 code of a language: "kk", "ru", "en". */
const char *i18n_code(i18n_lang lang);

/* Name of a language in itself: "Қазақша", "Русский", "English". */
const char *i18n_name(i18n_lang lang);

/* Parse "kk", "ru" or "en" (any case; "ru-RU", "kk_KZ.UTF-8" too); false for anything else. */
bool i18n_parse(const char *code, i18n_lang *out);

/* The next language in kk -> ru -> en -> kk order (a language button cycles). */
i18n_lang i18n_next(i18n_lang lang);

#endif
