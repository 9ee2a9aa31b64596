#include "ini.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Owned storage behind an ini_doc: one writable copy of the text (names, keys
 * and values point into it) plus the growing arrays. */
typedef struct {
    char *text;
    ini_section *sections; size_t cap_sections;
    ini_entry *entries;    size_t cap_entries;
    ini_issue issues[INI_MAX_ISSUES];
    size_t first_entry;    /* index of the first entry of the current section */
} ini_priv;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
}

/* Trims s in place (both ends) and returns the new start. */
static char *trim(char *s)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_space(s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Cuts a trailing comment: '#' or ';' at the start or after whitespace, so
 * "C#" and "a;b" inside a value survive. */
static void cut_comment(char *s)
{
    for (char *p = s; *p; p++) {
        if ((*p == '#' || *p == ';') && (p == s || is_space(p[-1]))) {
            *p = '\0';
            return;
        }
    }
}

static void add_issue(ini_doc *doc, ini_issue_kind kind, int line, int other, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_issue(ini_doc *doc, ini_issue_kind kind, int line, int other, const char *fmt, ...)
{
    ini_priv *p = doc->priv;
    if (doc->n_issues == INI_MAX_ISSUES) {
        doc->issues_dropped++;
        return;
    }
    ini_issue *is = &p->issues[doc->n_issues++];
    is->kind = kind;
    is->line = line;
    is->other_line = other;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(is->message, sizeof is->message, fmt, ap);
    va_end(ap);
}

/* Appends a section; returns 0, or -1 when memory runs out. */
static int push_section(ini_doc *doc, const char *name, int line)
{
    ini_priv *p = doc->priv;
    if (doc->n_sections == p->cap_sections) {
        size_t cap = p->cap_sections ? p->cap_sections * 2 : 8;
        ini_section *s = realloc(p->sections, cap * sizeof *s);
        if (!s)
            return -1;
        p->sections = s;
        p->cap_sections = cap;
        doc->sections = s;
    }
    p->sections[doc->n_sections++] = (ini_section){.name = name, .line = line};
    p->first_entry = doc->n_entries;
    return 0;
}

static int push_entry(ini_doc *doc, const char *key, const char *value, int line)
{
    ini_priv *p = doc->priv;
    if (doc->n_entries == p->cap_entries) {
        size_t cap = p->cap_entries ? p->cap_entries * 2 : 16;
        ini_entry *e = realloc(p->entries, cap * sizeof *e);
        if (!e)
            return -1;
        p->entries = e;
        p->cap_entries = cap;
        doc->entries = e;
    }
    p->entries[doc->n_entries++] = (ini_entry){
        .section = doc->n_sections - 1, .key = key, .value = value, .line = line};
    return 0;
}

/* Handles one "[name]" line (s is trimmed, starts with '['). */
static int parse_section(ini_doc *doc, char *s, int line)
{
    char *close = strchr(s, ']');
    if (!close) {
        add_issue(doc, INI_ISSUE_BAD_SECTION, line, 0, "section header without ']'");
        return 0;
    }
    *close = '\0';
    char *rest = close + 1;
    cut_comment(rest);
    if (*trim(rest) != '\0') {
        add_issue(doc, INI_ISSUE_BAD_SECTION, line, 0, "text after ']' in section header");
        return 0;
    }
    char *name = trim(s + 1);
    if (*name == '\0') {
        add_issue(doc, INI_ISSUE_BAD_SECTION, line, 0, "empty section name");
        return 0;
    }
    /* Runs of blanks inside the name become one space, so "[category  x]"
     * and "[category x]" are the same section. */
    char *w = name;
    for (char *r = name; *r; r++) {
        if (is_space(*r)) {
            if (w[-1] != ' ')
                *w++ = ' ';
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    if (doc->n_sections >= INI_MAX_SECTIONS + 1) {
        add_issue(doc, INI_ISSUE_TOO_MANY, line, 0, "more than %d sections", INI_MAX_SECTIONS);
        return 0;
    }
    int first = ini_find_section(doc, name);
    if (first > 0)
        add_issue(doc, INI_ISSUE_DUPLICATE_SECTION, line, doc->sections[first].line,
                  "duplicate section [%s] (first at line %d)", name, doc->sections[first].line);
    /* A duplicate is still recorded, so its keys are attributed to it and not
     * reported as duplicates of the first section's keys. */
    return push_section(doc, name, line);
}

/* Handles one "key = value" line (s is trimmed, not a comment or header). */
static int parse_entry(ini_doc *doc, char *s, int line)
{
    char *eq = strchr(s, '=');
    if (!eq) {
        add_issue(doc, INI_ISSUE_BAD_LINE, line, 0, "line is not 'key = value' or '[section]'");
        return 0;
    }
    *eq = '\0';
    char *key = trim(s);
    char *value = eq + 1;
    cut_comment(value);
    value = trim(value);
    if (*key == '\0') {
        add_issue(doc, INI_ISSUE_BAD_KEY, line, 0, "missing key before '='");
        return 0;
    }
    for (const char *k = key; *k; k++) {
        if (!is_key_char(*k)) {
            add_issue(doc, INI_ISSUE_BAD_KEY, line, 0, "bad key '%.64s' (letters, digits, '_', '.', '-')", key);
            return 0;
        }
    }
    if (doc->n_entries >= INI_MAX_ENTRIES) {
        add_issue(doc, INI_ISSUE_TOO_MANY, line, 0, "more than %d keys", INI_MAX_ENTRIES);
        return 0;
    }
    ini_priv *p = doc->priv;
    for (size_t i = p->first_entry; i < doc->n_entries; i++) {
        if (strcmp(doc->entries[i].key, key) == 0) {
            add_issue(doc, INI_ISSUE_DUPLICATE_KEY, line, doc->entries[i].line,
                      "duplicate key '%.64s' (first at line %d)", key, doc->entries[i].line);
            return 0;
        }
    }
    return push_entry(doc, key, value, line);
}

ini_doc *ini_parse(const char *text, size_t len)
{
    ini_doc *doc = calloc(1, sizeof *doc);
    ini_priv *p = calloc(1, sizeof *p);
    if (!doc || !p)
        goto fail;
    doc->priv = p;
    doc->issues = p->issues;
    p->text = malloc(len + 1);
    if (!p->text)
        goto fail;
    memcpy(p->text, text, len);
    p->text[len] = '\0';
    if (push_section(doc, "", 0) < 0)
        goto fail;

    char *s = p->text, *end = p->text + len;
    for (int line = 1; s < end; line++) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *next = nl ? nl + 1 : end;
        if (nl)
            *nl = '\0';
        size_t n = (size_t)((nl ? nl : end) - s);
        if (n > INI_MAX_LINE) {
            add_issue(doc, INI_ISSUE_TOO_LONG, line, 0, "line longer than %d bytes", INI_MAX_LINE);
        } else if (memchr(s, '\0', n)) {
            add_issue(doc, INI_ISSUE_BAD_LINE, line, 0, "NUL byte in line");
        } else {
            char *t = trim(s);
            int rc = 0;
            if (*t == '\0' || *t == '#' || *t == ';')
                rc = 0;
            else if (*t == '[')
                rc = parse_section(doc, t, line);
            else
                rc = parse_entry(doc, t, line);
            if (rc < 0)
                goto fail;
        }
        s = next;
    }
    return doc;
fail:
    ini_free(doc);
    if (!doc)
        free(p);
    return NULL;
}

void ini_free(ini_doc *doc)
{
    if (!doc)
        return;
    ini_priv *p = doc->priv;
    if (p) {
        free(p->text);
        free(p->sections);
        free(p->entries);
        free(p);
    }
    free(doc);
}

int ini_find_section(const ini_doc *doc, const char *name)
{
    for (size_t i = 0; i < doc->n_sections; i++)
        if (strcmp(doc->sections[i].name, name) == 0)
            return (int)i;
    return -1;
}

const ini_entry *ini_find(const ini_doc *doc, size_t section, const char *key)
{
    for (size_t i = 0; i < doc->n_entries; i++)
        if (doc->entries[i].section == section && strcmp(doc->entries[i].key, key) == 0)
            return &doc->entries[i];
    return NULL;
}

const char *ini_get(const ini_doc *doc, const char *section, const char *key)
{
    int s = ini_find_section(doc, section);
    if (s < 0)
        return NULL;
    const ini_entry *e = ini_find(doc, (size_t)s, key);
    return e ? e->value : NULL;
}
