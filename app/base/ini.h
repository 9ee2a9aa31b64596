/* ini — a small INI reader that remembers line numbers.
 *
 * Format: "[section]" lines, "key = value" lines, "#" or ";" comment lines,
 * and a trailing comment after whitespace ("order = 1   # first"). Keys are
 * [A-Za-z0-9_.-]+; values are trimmed and may be empty; a section name is the
 * trimmed text between the brackets ("category constitution"). Keys before the
 * first section belong to the section "" (item.conf has no sections).
 *
 * Pure: parses a buffer, touches no files. Problems are collected, not fatal:
 * the parsed document holds every well-formed line and an issue (with its
 * line number) for every other one, so a caller can report them all at once.
 * Used by the content tool (bundle.conf, item.conf) and the kiosk config. */
#pragma once

#include <stddef.h>

/* Longest accepted line in bytes, without the newline. */
#define INI_MAX_LINE 4096
/* Most key/value lines in one file; later ones are refused with an issue. */
#define INI_MAX_ENTRIES 10000
/* Most section headers in one file. */
#define INI_MAX_SECTIONS 2000
/* Most issues kept; later ones are dropped (ini_doc.issues_dropped counts them). */
#define INI_MAX_ISSUES 100

typedef enum {
    INI_ISSUE_BAD_LINE,          /* neither section, key = value nor comment */
    INI_ISSUE_BAD_KEY,           /* key with characters outside [A-Za-z0-9_.-] */
    INI_ISSUE_BAD_SECTION,       /* "[" without "]", empty name, text after "]" */
    INI_ISSUE_DUPLICATE_KEY,     /* key given twice in one section */
    INI_ISSUE_DUPLICATE_SECTION, /* the same "[section]" header twice */
    INI_ISSUE_TOO_LONG,          /* line longer than INI_MAX_LINE */
    INI_ISSUE_TOO_MANY           /* more than INI_MAX_ENTRIES or INI_MAX_SECTIONS */
} ini_issue_kind;

typedef struct {
    ini_issue_kind kind;
    int line;               /* 1-based */
    int other_line;         /* DUPLICATE_*: line of the first definition, else 0 */
    char message[160];      /* e.g. "duplicate key 'order' (first at line 3)" */
} ini_issue;

typedef struct {
    const char *name;       /* "" for keys before the first header */
    int line;               /* line of the header, 0 for "" */
} ini_section;

typedef struct {
    size_t section;         /* index into ini_doc.sections */
    const char *key;
    const char *value;
    int line;
} ini_entry;

typedef struct {
    const ini_section *sections; size_t n_sections; /* [0] is always "" */
    const ini_entry *entries;    size_t n_entries;  /* in file order */
    const ini_issue *issues;     size_t n_issues;   /* in line order */
    size_t issues_dropped;
    void *priv;                  /* owned storage; do not touch */
} ini_doc;

/* Parses text[0..len) (need not be NUL-terminated). Returns NULL only when
 * memory runs out; problems in the text are in doc->issues. */
ini_doc *ini_parse(const char *text, size_t len);

/* Frees a document from ini_parse (NULL is fine). */
void ini_free(ini_doc *doc);

/* Index of the section with this name, or -1. */
int ini_find_section(const ini_doc *doc, const char *name);

/* The entry for key in the section with index section, or NULL. */
const ini_entry *ini_find(const ini_doc *doc, size_t section, const char *key);

/* Value of key in the named section, or NULL ("" names the top). */
const char *ini_get(const ini_doc *doc, const char *section, const char *key);
