#include "srcdir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fonts_paths.h"
#include "glyphs.h"
#include "imgcheck.h"
#include "imginfo.h"
#include "ini.h"
#include "platform.h"
#include "utf8.h"

/* ---- diagnostics ---------------------------------------------------------- */

void srcdir_diag_add(srcdir *sd, srcdir_severity sev, const char *file, int line, const char *fmt, ...)
{
    if (sev == SRCDIR_ERROR)
        sd->n_errors++;
    else
        sd->n_warnings++;
    if (sd->n_diags >= SRCDIR_MAX_DIAGS)
        return;
    srcdir_diag *d = &sd->diags[sd->n_diags++];
    char raw[sizeof d->message];
    d->severity = sev;
    d->line = line;
    /* Names and quotes come from the editor's files and reach a terminal
     * (or the preview's panel): control characters are shown as \xHH, so
     * an ESC in a file name cannot clear the screen nor a newline split a
     * message. */
    utf8_escape_controls(file ? file : "", d->file, sizeof d->file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    utf8_escape_controls(raw, d->message, sizeof d->message);
}

void srcdir_sort_diags(srcdir *sd)
{
    /* Insertion sort: stable, so messages at one place keep the order they
     * were found in, and the list is at most SRCDIR_MAX_DIAGS long. */
    for (size_t i = 1; i < sd->n_diags; i++) {
        srcdir_diag tmp = sd->diags[i];
        size_t j = i;
        while (j > 0) {
            const srcdir_diag *prev = &sd->diags[j - 1];
            int c = strcmp(prev->file, tmp.file);
            if (c < 0 || (c == 0 && prev->line <= tmp.line))
                break;
            sd->diags[j] = sd->diags[j - 1];
            j--;
        }
        sd->diags[j] = tmp;
    }
}

void srcdir_format_diag(const srcdir *sd, const srcdir_diag *d, char *out, size_t cap)
{
    const char *sev = d->severity == SRCDIR_ERROR ? "error" : "warning";
    const char *sep = d->file[0] ? "/" : "";
    if (d->line > 0)
        snprintf(out, cap, "%s%s%s:%d: %s: %s", sd->root, sep, d->file, d->line, sev, d->message);
    else
        snprintf(out, cap, "%s%s%s: %s: %s", sd->root, sep, d->file, sev, d->message);
}

/* ---- small helpers ---------------------------------------------------------- */

int srcdir_valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CONTENT_MAX_ID || s[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

const char *srcdir_kind_name(srcdir_kind kind)
{
    switch (kind) {
    case SRCDIR_DOCUMENT: return "document";
    case SRCDIR_EXPLAINER: return "explainer";
    default: return "article";
    }
}

int srcdir_lang_index(const srcdir *sd, const char *lang)
{
    for (int i = 0; i < sd->n_langs; i++)
        if (strcmp(sd->langs[i], lang) == 0)
            return i;
    return -1;
}

static int item_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const srcdir_item *)elem)->id);
}

const srcdir_item *srcdir_find_item(const srcdir *sd, const char *id)
{
    if (!sd->items)
        return NULL;
    return bsearch(id, sd->items, sd->n_items, sizeof *sd->items, item_cmp);
}

static int category_key_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const srcdir_category *)elem)->id);
}

const srcdir_category *srcdir_find_category(const srcdir *sd, const char *id)
{
    if (!sd->categories)
        return NULL;
    return bsearch(id, sd->categories, sd->n_categories, sizeof *sd->categories, category_key_cmp);
}

void srcdir_text_path(const srcdir *sd, const srcdir_item *item, int lang, char *out, size_t cap)
{
    snprintf(out, cap, "items/%s/%s.md", item->id, sd->langs[lang]);
}

static int is_known_lang(const char *s)
{
    return strcmp(s, "kk") == 0 || strcmp(s, "ru") == 0 || strcmp(s, "en") == 0;
}

/* Parses a whole decimal integer in [min, max]; returns 0 or -1. */
static int parse_long(const char *s, long min, long max, long *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* 1 when s is exactly "YYYY-MM-DDTHH:MM:SSZ" and names a real instant. */
static int valid_utc_time(const char *s)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' ||
        !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2) || s[19] != 'Z')
        return 0;
    int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
    int h = num(s + 11, 2), mi = num(s + 14, 2), se = num(s + 17, 2);
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 59)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return 0;
    return 1;
}

/* Joins root and rel into out; 0, or -1 when the path would be too long. */
static int join(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s/%s", a, b);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Lists a directory without hidden entries, sorted bytewise, so that the
 * file system's listing order never reaches the bundle. Returns 0, 1 when
 * there are more than max entries (the first max are kept), or -1 with errno
 * set (including ENOMEM). */
static int list_dir(const char *path, size_t max, char ***out, size_t *n_out)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    int more = 0;
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == max) {
            more = 1;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger)
                goto nomem;
            names = bigger;
        }
        if (!(names[n] = strdup(e->d_name)))
            goto nomem;
        n++;
    }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    *out = names;
    *n_out = n;
    return more;
nomem:
    closedir(dir);
    free_names(names, n);
    errno = ENOMEM;
    return -1;
}

/* ---- reading files ---------------------------------------------------------- */

static const char out_of_folder[] = "symbolic link that leads out of the content folder";

/* Whether path, with every symbolic link resolved, is still inside the
 * content folder: a link to the editor's home or to /dev would otherwise
 * put any file of the machine into a published bundle. A path that does
 * not resolve (missing, dangling) counts as inside: reading it then says
 * what is wrong. */
static int inside_root(const srcdir *sd, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return 1;
    size_t n = strlen(sd->real_root);
    int inside = strncmp(real, sd->real_root, n) == 0 && (real[n] == '/' || real[n] == '\0');
    free(real);
    return inside;
}

/* Refuses what is not a regular file inside the folder with one error
 * (rel at ref:line, prefix before the reason). Returns 0 when path may be
 * read (st: what it is; st_size is what the size limits are checked
 * against, 0 when it could not be read): a FIFO or device never reaches
 * open, which would block or stream. */
static int check_file(srcdir *sd, const char *path, const char *ref, int line, const char *prefix,
                      struct stat *st)
{
    /* Every path here names a file in the root or in an item folder, both
     * found inside already: a file there that is no link is inside too,
     * without resolving its path (a readlink per level, for 400,000 files),
     * and lstat said all that stat would. */
    int plain = lstat(path, st) == 0 && !S_ISLNK(st->st_mode);
    if (!plain && !inside_root(sd, path)) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "%sis a %s", prefix, out_of_folder);
        return -1;
    }
    if (!plain && stat(path, st) != 0)
        memset(st, 0, sizeof *st);
    if (st->st_mode && !S_ISREG(st->st_mode)) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "%sis %s, not a regular file", prefix,
                        platform_file_kind((unsigned)st->st_mode));
        return -1;
    }
    return 0;
}

/* Reads root/rel as UTF-8 text of at most max bytes: checks the encoding
 * (reporting the line of the first bad byte), removes a byte-order mark and
 * turns CRLF into LF so a file saved on Windows builds the same bundle.
 * Returns 0, or -1 after adding an error. */
static int read_text_file(srcdir *sd, const char *rel, size_t max, char **out, size_t *len_out)
{
    char path[SRCDIR_MAX_PATH], err[SRCDIR_MAX_PATH + 64];
    char *buf = NULL;
    size_t len = 0;
    struct stat st;
    if (join(path, sizeof path, sd->root, rel) < 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "path too long");
        return -1;
    }
    if (check_file(sd, path, rel, 0, "file ", &st) < 0)
        return -1;
    if ((unsigned long long)st.st_size > max) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "file is larger than the limit of %zu bytes", max);
        return -1;
    }
    if (platform_read_file(path, max, &buf, &len, err, sizeof err) < 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "%s", err);
        return -1;
    }
    size_t bad;
    if (!utf8_valid(buf, len, &bad)) {
        size_t col = bad;
        while (col > 0 && buf[col - 1] != '\n')
            col--;
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, utf8_line_of(buf, bad),
                        "invalid UTF-8 (byte 0x%02X at column %zu)", (unsigned char)buf[bad], bad - col + 1);
        goto fail;
    }
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, utf8_line_of(buf, (size_t)(nul - buf)), "NUL byte in text");
        goto fail;
    }
    /* Titles, names and text are shown on the kiosk and printed by tools:
     * an invisible control character (an ESC, a backspace) has no place in
     * them. */
    size_t ctl = utf8_find_control(buf, len);
    if (ctl < len) {
        size_t col = ctl;
        while (col > 0 && buf[col - 1] != '\n')
            col--;
        uint32_t cp = (unsigned char)buf[ctl];
        if (cp == 0xc2)
            cp = (unsigned char)buf[ctl + 1];
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, utf8_line_of(buf, ctl),
                        "control character U+%04X at column %zu (only tab and line breaks are allowed in text)",
                        (unsigned)cp, utf8_count(buf + col, ctl - col) + 1);
        goto fail;
    }
    size_t r = 0, w = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        r = 3;
    for (; r < len; r++) {
        if (buf[r] == '\r' && r + 1 < len && buf[r + 1] == '\n')
            continue;
        buf[w++] = buf[r];
    }
    buf[w] = '\0';
    *out = buf;
    *len_out = w;
    return 0;
fail:
    free(buf);
    return -1;
}

/* Reports every issue of a parsed INI file. Duplicate [category x] headers
 * are reported as the duplicate ids they are. */
static void report_ini(srcdir *sd, const char *rel, const ini_doc *ini)
{
    for (size_t i = 0; i < ini->n_issues; i++) {
        const ini_issue *is = &ini->issues[i];
        const char *dup = NULL;
        if (is->kind == INI_ISSUE_DUPLICATE_SECTION) {
            for (size_t s = 1; s < ini->n_sections; s++)
                if (ini->sections[s].line == is->line)
                    dup = ini->sections[s].name;
        }
        if (dup && strncmp(dup, "category ", 9) == 0)
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, is->line, "duplicate category id '%s' (first at line %d)",
                            dup + 9, is->other_line);
        else
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, is->line, "%s", is->message);
    }
    if (ini->issues_dropped)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "%zu more problems not shown", ini->issues_dropped);
}

/* Reads and parses an INI file and reports its issues; NULL when it could
 * not be read (reported) or memory ran out (*oom set). */
static ini_doc *read_ini(srcdir *sd, const char *rel, int *oom)
{
    char *text = NULL;
    size_t len = 0;
    if (read_text_file(sd, rel, SRCDIR_MAX_CONF, &text, &len) < 0)
        return NULL;
    ini_doc *ini = ini_parse(text, len);
    free(text);
    if (!ini) {
        *oom = 1;
        return NULL;
    }
    report_ini(sd, rel, ini);
    return ini;
}

/* Splits a space- or comma-separated language list into langs; reports
 * unknown codes and repeats at line. Returns the count kept. */
static int parse_langs(srcdir *sd, const char *rel, int line, const char *key, const char *value,
                       char langs[SRCDIR_MAX_LANGS][3])
{
    int n = 0;
    const char *p = value;
    for (;;) {
        p += strspn(p, " \t,");
        if (!*p)
            break;
        size_t len = strcspn(p, " \t,");
        char code[16];
        snprintf(code, sizeof code, "%.*s", (int)(len < 15 ? len : 15), p);
        p += len;
        if (len != 2 || !is_known_lang(code)) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, line, "unknown language '%s' in %s (known: %s)", code, key,
                            SRCDIR_KNOWN_LANGS);
            continue;
        }
        int dup = 0;
        for (int i = 0; i < n; i++)
            dup |= strcmp(langs[i], code) == 0;
        if (dup) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, line, "language '%s' listed twice in %s", code, key);
            continue;
        }
        memcpy(langs[n++], code, 3);
    }
    return n;
}

/* ---- bundle.conf ------------------------------------------------------------ */

static void read_bundle_section(srcdir *sd, const ini_doc *ini, size_t sec, int *oom)
{
    static const char *const keys[] = {"title", "version", "created", "languages", "fallback"};
    const char *rel = "bundle.conf";
    int header = ini->sections[sec].line;
    for (size_t i = 0; i < ini->n_entries; i++) {
        const ini_entry *e = &ini->entries[i];
        if (e->section != sec)
            continue;
        int known = 0;
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            known |= strcmp(e->key, keys[k]) == 0;
        if (!known)
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line,
                            "unknown key '%s' in [bundle] (title, version, created, languages, fallback)", e->key);
    }
    const ini_entry *e = ini_find(ini, sec, "title");
    if (!e || !*e->value)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, e ? e->line : header, "missing title in [bundle]");
    else if (!(sd->title = strdup(e->value)))
        *oom = 1;

    if (!(e = ini_find(ini, sec, "version")))
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, header, "missing version in [bundle]");
    else if (parse_long(e->value, 1, LONG_MAX, &sd->version) < 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "version must be a positive integer, not '%s'", e->value);

    if (!(e = ini_find(ini, sec, "created")))
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, header, "missing created in [bundle]");
    else if (!valid_utc_time(e->value))
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line,
                        "created must be an ISO 8601 UTC time 'YYYY-MM-DDTHH:MM:SSZ', not '%s'", e->value);
    else
        memcpy(sd->created, e->value, sizeof sd->created);

    if (!(e = ini_find(ini, sec, "languages"))) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, header, "missing languages in [bundle]");
    } else {
        sd->n_langs = parse_langs(sd, rel, e->line, "languages", e->value, sd->langs);
        if (sd->n_langs == 0 && !*e->value)
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "languages is empty");
    }
    if ((e = ini_find(ini, sec, "fallback"))) {
        sd->n_fallback = parse_langs(sd, rel, e->line, "fallback", e->value, sd->fallback);
        for (int i = 0; i < sd->n_fallback; i++)
            if (srcdir_lang_index(sd, sd->fallback[i]) < 0 && sd->n_langs > 0)
                srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "fallback language '%s' is not in languages",
                                sd->fallback[i]);
    }
}

/* Reads one [category id] section into a new category. */
static int read_category(srcdir *sd, const ini_doc *ini, size_t sec, srcdir_category *c)
{
    const char *rel = "bundle.conf";
    for (size_t i = 0; i < ini->n_entries; i++) {
        const ini_entry *e = &ini->entries[i];
        if (e->section != sec)
            continue;
        if (strcmp(e->key, "order") == 0) {
            if (parse_long(e->value, -1000000000L, 1000000000L, &c->order) < 0)
                srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "order must be an integer, not '%s'", e->value);
            continue;
        }
        int is_title = strncmp(e->key, "title.", 6) == 0;
        int is_summary = strncmp(e->key, "summary.", 8) == 0;
        if (!is_title && !is_summary) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line,
                            "unknown key '%s' in [category %s] (order, title.<lang>, summary.<lang>)", e->key, c->id);
            continue;
        }
        const char *lang = e->key + (is_title ? 6 : 8);
        if (!is_known_lang(lang)) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "unknown language '%s' in key '%s' (known: %s)", lang,
                            e->key, SRCDIR_KNOWN_LANGS);
            continue;
        }
        int li = srcdir_lang_index(sd, lang);
        if (li < 0) {
            srcdir_diag_add(sd, SRCDIR_WARNING, rel, e->line, "'%s' ignored: '%s' is not in languages", e->key,
                            lang);
            continue;
        }
        char **slot = is_title ? &c->title[li] : &c->summary[li];
        if (!(*slot = strdup(e->value)))
            return -1;
    }
    int any = 0;
    for (int l = 0; l < sd->n_langs; l++)
        any |= c->title[l] && *c->title[l];
    if (!any && sd->n_langs > 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, c->line, "category '%s' has no title (title.%s = ...)", c->id,
                        sd->langs[0]);
        return 0;
    }
    for (int l = 0; l < sd->n_langs; l++)
        if (!c->title[l] || !*c->title[l])
            srcdir_diag_add(sd, SRCDIR_WARNING, rel, c->line, "missing translation: no title.%s for category '%s'",
                            sd->langs[l], c->id);
    return 0;
}

static int category_cmp(const void *a, const void *b)
{
    return strcmp(((const srcdir_category *)a)->id, ((const srcdir_category *)b)->id);
}

/* Reads bundle.conf: [bundle] and the categories. Returns -1 only on OOM. */
static int read_bundle_conf(srcdir *sd)
{
    const char *rel = "bundle.conf";
    int oom = 0;
    ini_doc *ini = NULL;
    char path[SRCDIR_MAX_PATH];
    if (join(path, sizeof path, sd->root, rel) < 0 || !platform_is_file(path)) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "missing bundle.conf");
        goto defaults;
    }
    ini = read_ini(sd, rel, &oom);
    if (!ini)
        goto defaults;
    int bundle_sec = -1;
    for (size_t i = 0; i < ini->n_entries; i++)
        if (ini->entries[i].section == 0)
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, ini->entries[i].line,
                            "key '%s' outside a section ([bundle] or [category <id>])", ini->entries[i].key);
    for (size_t s = 1; s < ini->n_sections; s++) {
        if (strcmp(ini->sections[s].name, "bundle") == 0 && bundle_sec < 0)
            bundle_sec = (int)s;
    }
    if (bundle_sec < 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "missing [bundle] section");
    else
        read_bundle_section(sd, ini, (size_t)bundle_sec, &oom);
    if (oom)
        goto oom;
    if (sd->n_langs == 0) /* keep checking items against every known language */
        sd->n_langs = parse_langs(sd, rel, 0, "languages", SRCDIR_KNOWN_LANGS, sd->langs);

    sd->categories = calloc(ini->n_sections, sizeof *sd->categories);
    if (!sd->categories)
        goto oom;
    for (size_t s = 1; s < ini->n_sections; s++) {
        const ini_section *sec = &ini->sections[s];
        if (strcmp(sec->name, "bundle") == 0)
            continue;
        if (strncmp(sec->name, "category", 8) != 0 || (sec->name[8] != ' ' && sec->name[8] != '\0')) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, sec->line, "unknown section [%s] ([bundle] or [category <id>])",
                            sec->name);
            continue;
        }
        const char *id = sec->name[8] ? sec->name + 9 : "";
        if (!srcdir_valid_id(id)) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, sec->line,
                            "bad category id '%s' (a-z, 0-9 and '-', at most %d characters)", id, CONTENT_MAX_ID);
            continue;
        }
        if (ini_find_section(ini, sec->name) != (int)s)
            continue; /* a duplicate, already reported */
        if (sd->n_categories == SRCDIR_MAX_CATEGORIES) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, sec->line, "more than %u categories", SRCDIR_MAX_CATEGORIES);
            break;
        }
        srcdir_category *c = &sd->categories[sd->n_categories++];
        snprintf(c->id, sizeof c->id, "%s", id);
        c->line = sec->line;
        if (read_category(sd, ini, s, c) < 0)
            goto oom;
    }
    if (sd->n_categories)
        qsort(sd->categories, sd->n_categories, sizeof *sd->categories, category_cmp);
    else
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "no categories ([category <id>] sections)");
    if (sd->n_fallback == 0) {
        memcpy(sd->fallback, sd->langs, sizeof sd->langs);
        sd->n_fallback = sd->n_langs;
    }
    ini_free(ini);
    return 0;
oom:
    ini_free(ini);
    return -1;
defaults:
    if (sd->n_langs == 0)
        sd->n_langs = parse_langs(sd, rel, 0, "languages", SRCDIR_KNOWN_LANGS, sd->langs);
    return oom ? -1 : 0;
}

/* ---- images ----------------------------------------------------------------- */

static int has_image_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    char ext[8];
    size_t n = strlen(dot + 1);
    if (n == 0 || n >= sizeof ext)
        return 0;
    for (size_t i = 0; i <= n; i++)
        ext[i] = (char)((dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ? dot[1 + i] + 32 : dot[1 + i]);
    return strcmp(ext, "png") == 0 || strcmp(ext, "jpg") == 0 || strcmp(ext, "jpeg") == 0;
}

/* Loads the image file (as written in ref:line) of item id into the assets,
 * once per item. Returns the asset name (owned by the model), or NULL after
 * reporting why not; *oom is set when memory ran out. */
static const char *load_image(srcdir *sd, const char *id, size_t first_asset, const char *file,
                              const char *ref, int line, int *oom)
{
    char name[CONTENT_MAX_ID + 2 + 256], path[SRCDIR_MAX_PATH], err[SRCDIR_MAX_PATH + 64];
    unsigned char *data = NULL;
    size_t size = 0;
    if (strncmp(file, "./", 2) == 0)
        file += 2;
    if (!*file || strlen(file) > 255 || strchr(file, '/') || strchr(file, '\\') || file[0] == '.' ||
        strchr(file, ':')) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "image '%.200s' must be a file name in the item's folder",
                        file);
        return NULL;
    }
    if (!has_image_ext(file)) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "image '%s' is not a .png, .jpg or .jpeg file", file);
        return NULL;
    }
    snprintf(name, sizeof name, "%s/%s", id, file);
    for (size_t i = first_asset; i < sd->n_assets; i++)
        if (strcmp(sd->assets[i].name, name) == 0)
            return sd->assets[i].name;
    struct stat st;
    char prefix[300];
    snprintf(prefix, sizeof prefix, "image '%s' ", file);
    if (snprintf(path, sizeof path, "%s/items/%s", sd->root, name) >= (int)sizeof path ||
        stat(path, &st) != 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "missing image '%s' (no such file in items/%s/)", file, id);
        return NULL;
    }
    if (check_file(sd, path, ref, line, prefix, &st) < 0)
        return NULL;
    if ((unsigned long long)st.st_size > SRCDIR_MAX_IMAGE) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "image '%s' is larger than the limit of %u bytes", file,
                        SRCDIR_MAX_IMAGE);
        return NULL;
    }
    char *buf;
    if (platform_read_file(path, SRCDIR_MAX_IMAGE, &buf, &size, err, sizeof err) < 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "cannot read image '%s': %s", file, err);
        return NULL;
    }
    data = (unsigned char *)buf;
    imginfo info;
    if (imginfo_probe(data, size, &info, err, sizeof err) < 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "unreadable image '%s': %s", file, err);
        goto fail;
    }
    if (imginfo_check_pixels(&info, err, sizeof err) < 0 ||
        imgcheck_verify(file, data, size, &info, err, sizeof err) < 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, ref, line, "image '%s' %s", file, err);
        goto fail;
    }
    if (imginfo_check_side(&info, err, sizeof err) < 0)
        srcdir_diag_add(sd, SRCDIR_WARNING, ref, line, "image '%s' %s", file, err);
    if (sd->n_assets % 64 == 0) {
        srcdir_asset *bigger = realloc(sd->assets, (sd->n_assets + 64) * sizeof *bigger);
        if (!bigger)
            goto nomem;
        sd->assets = bigger;
    }
    srcdir_asset *a = &sd->assets[sd->n_assets];
    if (!(a->name = strdup(name)))
        goto nomem;
    a->mime = info.mime;
    a->width = info.width;
    a->height = info.height;
    a->data = data;
    a->size = size;
    sd->n_assets++;
    sd->n_images++;
    return a->name;
nomem:
    *oom = 1;
fail:
    free(data);
    return NULL;
}

/* ---- items -------------------------------------------------------------------- */

static int parse_kind(const char *s, srcdir_kind *out)
{
    static const srcdir_kind kinds[] = {SRCDIR_ARTICLE, SRCDIR_DOCUMENT, SRCDIR_EXPLAINER};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (strcmp(s, srcdir_kind_name(kinds[i])) == 0) {
            *out = kinds[i];
            return 0;
        }
    }
    return -1;
}

static int parse_bool(const char *s, int *out)
{
    if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
        *out = 1;
    else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
        *out = 0;
    else
        return -1;
    return 0;
}

/* Reads items/<id>/item.conf into it. Returns -1 only on OOM. */
static int read_item_conf(srcdir *sd, srcdir_item *it, size_t first_asset)
{
    static const char *const keys[] = {"kind", "category", "order", "featured", "cover"};
    char rel[128];
    int oom = 0;
    snprintf(rel, sizeof rel, "items/%s/item.conf", it->id);
    char path[SRCDIR_MAX_PATH];
    if (join(path, sizeof path, sd->root, rel) < 0 || !platform_is_file(path)) {
        char dir[96];
        snprintf(dir, sizeof dir, "items/%s", it->id);
        srcdir_diag_add(sd, SRCDIR_ERROR, dir, 0, "missing item.conf");
        return 0;
    }
    ini_doc *ini = read_ini(sd, rel, &oom);
    if (!ini)
        return oom ? -1 : 0;
    for (size_t s = 1; s < ini->n_sections; s++)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, ini->sections[s].line,
                        "item.conf has no sections, only 'key = value' lines");
    for (size_t i = 0; i < ini->n_entries; i++) {
        const ini_entry *e = &ini->entries[i];
        int known = 0;
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            known |= strcmp(e->key, keys[k]) == 0;
        if (!known && e->section == 0)
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line,
                            "unknown key '%s' (kind, category, order, featured, cover)", e->key);
    }
    const ini_entry *e = ini_find(ini, 0, "kind");
    if (!e)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "missing kind (article, document or explainer)");
    else if (parse_kind(e->value, &it->kind) < 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "unknown kind '%s' (article, document or explainer)",
                        e->value);
    else
        it->has_kind = 1;

    if (!(e = ini_find(ini, 0, "category")))
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "missing category");
    else if (!srcdir_find_category(sd, e->value))
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "unknown category '%.64s' (not in bundle.conf)", e->value);
    else
        snprintf(it->category, sizeof it->category, "%s", e->value);

    if ((e = ini_find(ini, 0, "order")) && parse_long(e->value, -1000000000L, 1000000000L, &it->order) < 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "order must be an integer, not '%s'", e->value);
    if ((e = ini_find(ini, 0, "featured")) && parse_bool(e->value, &it->featured) < 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, e->line, "featured must be yes or no, not '%s'", e->value);
    else if (e && it->featured && it->has_kind && it->kind != SRCDIR_EXPLAINER)
        srcdir_diag_add(sd, SRCDIR_WARNING, rel, e->line,
                        "featured = yes on %s: the home screen features explainers only, so it is not shown there",
                        it->kind == SRCDIR_ARTICLE ? "an article" : "a document");
    if ((e = ini_find(ini, 0, "cover"))) {
        const char *name = load_image(sd, it->id, first_asset, e->value, rel, e->line, &oom);
        if (name && !(it->cover = strdup(name)))
            oom = 1;
    }
    ini_free(ini);
    return oom ? -1 : 0;
}

/* The anchor a front-matter key gives keywords for: "" for 'keywords',
 * the anchor for 'keywords.<anchor>', NULL for any other key. */
static const char *keyword_anchor(const char *key)
{
    if (!strcmp(key, "keywords"))
        return "";
    if (!strncmp(key, "keywords.", 9))
        return key + 9;
    return NULL;
}

static int keywords_cmp(const void *a, const void *b)
{
    return strcmp(((const srcdir_keywords *)a)->anchor, ((const srcdir_keywords *)b)->anchor);
}

/* Collects the keywords fields of a front matter, sorted by anchor (so the
 * order they were written in never reaches the bundle). Anchors are checked
 * against the text later (bundle_check). Returns -1 only on OOM. */
static int read_keywords(srcdir *sd, const char *rel, const content_front *fm, srcdir_text *t)
{
    for (size_t i = 0; i < fm->n; i++) {
        const char *anchor = keyword_anchor(fm->fields[i].key);
        if (!anchor)
            continue;
        if (*anchor && !srcdir_valid_id(anchor)) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, fm->fields[i].line,
                            "keywords for '%s': not an anchor id (a-z, 0-9 and '-')", anchor);
            continue;
        }
        srcdir_keywords *k = realloc(t->keywords, (t->n_keywords + 1) * sizeof *k);
        if (!k)
            return -1;
        t->keywords = k;
        k = &t->keywords[t->n_keywords];
        k->line = fm->fields[i].line;
        k->anchor = strdup(anchor);
        k->words = strdup(fm->fields[i].value);
        t->n_keywords++;
        if (!k->anchor || !k->words)
            return -1;
    }
    if (t->n_keywords)
        qsort(t->keywords, t->n_keywords, sizeof *t->keywords, keywords_cmp);
    return 0;
}

/* Reads one language file of an item. Returns -1 only on OOM. */
/* Warns about "[text] (item:...)": with a space before the parenthesis it
 * is no link in Markdown, and the kiosk would show the brackets and the
 * target as text. Only targets this format links to are looked for. */
static void check_link_spaces(srcdir *sd, const char *rel, const char *body, size_t len, int first_line)
{
    int line = first_line;
    for (size_t i = 0; i < len; i++) {
        if (body[i] == '\n')
            line++;
        if (body[i] != ']' || i + 1 >= len || (body[i + 1] != ' ' && body[i + 1] != '\t'))
            continue;
        size_t j = i + 1;
        while (j < len && (body[j] == ' ' || body[j] == '\t'))
            j++;
        if (j >= len || body[j] != '(')
            continue;
        size_t k = content_link_scheme(body + j + 1, len - j - 1, NULL);
        if (k > 0)
            srcdir_diag_add(sd, SRCDIR_WARNING, rel, line,
                            "'] (%.*s' is not a link: remove the space between ] and ( ([text](%.*s...))", (int)k,
                            body + j + 1, (int)k, body + j + 1);
    }
}

static int read_text(srcdir *sd, srcdir_item *it, int li, size_t first_asset)
{
    static const char *const keys[] = {"title", "summary"};
    srcdir_text *t = &it->texts[li];
    char rel[128];
    char *src = NULL;
    size_t len = 0;
    int oom = 0;
    srcdir_text_path(sd, it, li, rel, sizeof rel);
    t->present = 1;
    if (read_text_file(sd, rel, SRCDIR_MAX_MARKDOWN, &src, &len) < 0)
        return 0;
    content_front fm;
    content_issue issue;
    if (content_front_matter(src, len, &fm, &issue) < 0) {
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, issue.line, "%s", issue.message);
        free(src);
        return 0;
    }
    for (size_t i = 0; i < fm.n; i++) {
        int known = 0;
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            known |= strcmp(fm.fields[i].key, keys[k]) == 0;
        if (!known && keyword_anchor(fm.fields[i].key) == NULL)
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, fm.fields[i].line,
                            "unknown front-matter key '%s' (title, summary, keywords, keywords.<anchor>)",
                            fm.fields[i].key);
    }
    if (read_keywords(sd, rel, &fm, t) < 0) {
        free(src);
        return -1;
    }
    const char *title = content_front_get(&fm, "title");
    const char *summary = content_front_get(&fm, "summary");
    if (!title || !*title)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, 1, "missing title in front-matter ('title: ...')");
    t->source = src;
    t->body_offset = fm.body_offset;
    t->body_line = fm.body_line;
    if (!(t->title = strdup(title ? title : "")) || !(t->summary = strdup(summary ? summary : "")))
        return -1;
    t->doc = content_parse(src + fm.body_offset, len - fm.body_offset, fm.body_line - 1);
    if (!t->doc)
        return -1;
    for (size_t i = 0; i < t->doc->n_issues; i++)
        srcdir_diag_add(sd, SRCDIR_ERROR, rel, t->doc->issues[i].line, "%s", t->doc->issues[i].message);
    check_link_spaces(sd, rel, src + fm.body_offset, len - fm.body_offset, fm.body_line);
    for (size_t i = 0; i < t->doc->n_images && !oom; i++)
        load_image(sd, it->id, first_asset, t->doc->images[i].src, rel, t->doc->images[i].line, &oom);
    return oom ? -1 : 0;
}

/* True when name holds ".md." (any case): a language file with a further
 * extension. */
static int has_md_inside(const char *name)
{
    for (const char *p = name; *p; p++)
        if (strncasecmp(p, ".md.", 4) == 0)
            return 1;
    return 0;
}

/* Warns about files in an item folder that look like content but are not
 * read, so a typo such as "en.MD" or "eng.md" does not go unnoticed. */
static void check_item_files(srcdir *sd, const srcdir_item *it, char **names, size_t n)
{
    char rel[400];
    for (size_t i = 0; i < n; i++) {
        const char *f = names[i];
        size_t len = strlen(f);
        if (has_md_inside(f)) { /* "en.md.txt": an editor saved it with an extension of its own */
            snprintf(rel, sizeof rel, "items/%s/%s", it->id, f);
            srcdir_diag_add(sd, SRCDIR_WARNING, rel, 0, "file ignored: language files are named <lang>.md, "
                            "without a further extension");
            continue;
        }
        if (len < 3 || strcasecmp(f + len - 3, ".md") != 0)
            continue;
        char lang[8] = "";
        if (len == 5 && strcmp(f + 2, ".md") == 0)
            snprintf(lang, sizeof lang, "%.2s", f);
        if (lang[0] && srcdir_lang_index(sd, lang) >= 0)
            continue;
        snprintf(rel, sizeof rel, "items/%s/%s", it->id, f);
        if (lang[0] && is_known_lang(lang))
            srcdir_diag_add(sd, SRCDIR_WARNING, rel, 0, "file ignored: '%s' is not in languages", lang);
        else
            srcdir_diag_add(sd, SRCDIR_WARNING, rel, 0, "file ignored: language files are named <lang>.md (%s)",
                            SRCDIR_KNOWN_LANGS);
    }
}

/* Reads one item folder (name already checked as an id). Returns -1 on OOM. */
static int read_item(srcdir *sd, srcdir_item *it)
{
    char dir[SRCDIR_MAX_PATH], reldir[96];
    char **names = NULL;
    size_t n = 0;
    size_t first_asset = sd->n_assets;
    if (!it->texts && !(it->texts = calloc(SRCDIR_MAX_LANGS, sizeof *it->texts)))
        return -1;
    snprintf(reldir, sizeof reldir, "items/%s", it->id);
    if (join(dir, sizeof dir, sd->root, reldir) < 0)
        return 0;
    int rc = list_dir(dir, SRCDIR_MAX_ITEM_FILES, &names, &n);
    if (rc < 0) {
        if (errno == ENOMEM)
            return -1;
        srcdir_diag_add(sd, SRCDIR_ERROR, reldir, 0, "cannot list folder: %s", strerror(errno));
        return 0;
    }
    if (rc > 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, reldir, 0, "more than %u files in one item folder",
                        SRCDIR_MAX_ITEM_FILES);
    if (read_item_conf(sd, it, first_asset) < 0)
        goto oom;
    int any = 0;
    for (int l = 0; l < sd->n_langs; l++) {
        char file[8];
        snprintf(file, sizeof file, "%s.md", sd->langs[l]);
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= strcmp(names[i], file) == 0;
        if (!found)
            continue;
        any = 1;
        if (read_text(sd, it, l, first_asset) < 0)
            goto oom;
    }
    check_item_files(sd, it, names, n);
    if (!any) {
        char list[32] = "";
        for (int l = 0; l < sd->n_langs; l++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s.md", l ? ", " : "", sd->langs[l]);
        srcdir_diag_add(sd, SRCDIR_ERROR, reldir, 0, "no language file (%s)", list);
    } else {
        for (int l = 0; l < sd->n_langs; l++)
            if (!it->texts[l].present)
                srcdir_diag_add(sd, SRCDIR_WARNING, reldir, 0, "missing translation: no %s.md", sd->langs[l]);
    }
    free_names(names, n);
    return 0;
oom:
    free_names(names, n);
    return -1;
}

typedef enum { NOT_FOLDER, FOLDER, LINK_TO_FOLDER } folder_kind;

/* Whether path is a folder, and whether it is reached through a link. */
static folder_kind folder_kind_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return FOLDER;
    return platform_is_dir(path) ? LINK_TO_FOLDER : NOT_FOLDER;
}

/* Lists items/: one folder per item, in id order; reads none of them
 * (srcdir_load_item). Returns -1 on OOM. */
static int list_items(srcdir *sd)
{
    char dir[SRCDIR_MAX_PATH], path[SRCDIR_MAX_PATH];
    char **names = NULL;
    size_t n = 0;
    if (join(dir, sizeof dir, sd->root, "items") < 0 || !platform_is_dir(dir)) {
        srcdir_diag_add(sd, SRCDIR_ERROR, "items", 0, "missing items folder");
        return 0;
    }
    int rc = list_dir(dir, SRCDIR_MAX_ITEMS, &names, &n);
    if (rc < 0) {
        if (errno == ENOMEM)
            return -1;
        srcdir_diag_add(sd, SRCDIR_ERROR, "items", 0, "cannot list folder: %s", strerror(errno));
        return 0;
    }
    if (rc > 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, "items", 0, "more than %u entries in items/", SRCDIR_MAX_ITEMS);
    sd->items = calloc(n ? n : 1, sizeof *sd->items);
    if (!sd->items)
        goto oom;
    /* A folder in items/ that is no link is inside when items/ is: its path
     * is resolved (a readlink per level) only when either is a link. */
    int items_inside = inside_root(sd, dir);
    for (size_t i = 0; i < n; i++) {
        char rel[400];
        snprintf(rel, sizeof rel, "items/%.300s", names[i]);
        folder_kind kind = join(path, sizeof path, dir, names[i]) < 0 ? NOT_FOLDER : folder_kind_of(path);
        if (kind == NOT_FOLDER) {
            srcdir_diag_add(sd, SRCDIR_WARNING, rel, 0, "ignored: not an item folder");
            continue;
        }
        if (!(kind == FOLDER && items_inside) && !inside_root(sd, path)) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0, "folder is a %s", out_of_folder);
            continue;
        }
        if (!srcdir_valid_id(names[i])) {
            srcdir_diag_add(sd, SRCDIR_ERROR, rel, 0,
                            "item folder name '%.100s' is not a valid id (a-z, 0-9 and '-', at most %d characters)",
                            names[i], CONTENT_MAX_ID);
            continue;
        }
        srcdir_item *it = &sd->items[sd->n_items++];
        snprintf(it->id, sizeof it->id, "%s", names[i]);
    }
    if (sd->n_items == 0)
        srcdir_diag_add(sd, SRCDIR_ERROR, "items", 0, "no items");
    free_names(names, n);
    return 0;
oom:
    free_names(names, n);
    return -1;
}

static int asset_cmp(const void *a, const void *b)
{
    return strcmp(((const srcdir_asset *)a)->name, ((const srcdir_asset *)b)->name);
}

/* Warns about categories nobody uses: likely a typo on one side. */
static void check_empty_categories(srcdir *sd)
{
    for (size_t c = 0; c < sd->n_categories; c++) {
        size_t used = 0;
        for (size_t i = 0; i < sd->n_items && !used; i++)
            used = strcmp(sd->items[i].category, sd->categories[c].id) == 0;
        if (!used)
            srcdir_diag_add(sd, SRCDIR_WARNING, "bundle.conf", sd->categories[c].line, "category '%s' has no items",
                            sd->categories[c].id);
    }
}

srcdir *srcdir_open(const char *root)
{
    srcdir *sd = calloc(1, sizeof *sd);
    if (!sd)
        return NULL;
    sd->diags = calloc(SRCDIR_MAX_DIAGS, sizeof *sd->diags);
    size_t len = strlen(root);
    while (len > 1 && root[len - 1] == '/')
        len--;
    sd->root = strndup(root, len);
    if (!sd->diags || !sd->root)
        goto fail;
    /* Item paths below the root must fit in SRCDIR_MAX_PATH. */
    if (strlen(sd->root) > SRCDIR_MAX_PATH - 512) {
        srcdir_diag_add(sd, SRCDIR_ERROR, "", 0, "path of the content folder is too long");
        return sd;
    }
    if (!platform_is_dir(sd->root)) {
        srcdir_diag_add(sd, SRCDIR_ERROR, "", 0, "not a content folder (no such directory)");
        return sd;
    }
    if (!(sd->real_root = realpath(sd->root, NULL))) {
        srcdir_diag_add(sd, SRCDIR_ERROR, "", 0, "cannot resolve the content folder: %s", strerror(errno));
        return sd;
    }
    if (read_bundle_conf(sd) < 0 || list_items(sd) < 0)
        goto fail;
    if (!(sd->glyphs = glyphs_open(FONT_PATH_REGULAR)))
        srcdir_diag_add(sd, SRCDIR_WARNING, "", 0,
                        "cannot read the kiosk's font %s: characters were not checked", FONT_PATH_REGULAR);
    return sd;
fail:
    srcdir_free(sd);
    return NULL;
}

int srcdir_load_item(srcdir *sd, size_t i)
{
    size_t first = sd->n_assets;
    if (read_item(sd, &sd->items[i]) < 0)
        return -1;
    /* In name order, as srcdir_read sorts them all. */
    if (sd->n_assets > first)
        qsort(sd->assets + first, sd->n_assets - first, sizeof *sd->assets, asset_cmp);
    if (sd->glyphs)
        glyphs_check_item(sd, sd->glyphs, &sd->items[i]);
    return 0;
}

static void free_text(srcdir_text *t)
{
    free(t->title);
    free(t->summary);
    for (size_t k = 0; k < t->n_keywords; k++) {
        free(t->keywords[k].anchor);
        free(t->keywords[k].words);
    }
    free(t->keywords);
    free(t->source);
    content_free(t->doc);
    memset(t, 0, sizeof *t);
}

void srcdir_unload_item(srcdir *sd, size_t i)
{
    srcdir_item *it = &sd->items[i];
    char prefix[CONTENT_MAX_ID + 2];
    size_t n = (size_t)snprintf(prefix, sizeof prefix, "%s/", it->id), kept = 0;
    for (int l = 0; it->texts && l < SRCDIR_MAX_LANGS; l++)
        free_text(&it->texts[l]);
    free(it->texts);
    it->texts = NULL;
    free(it->cover);
    it->cover = NULL;
    for (size_t a = 0; a < sd->n_assets; a++) {
        if (strncmp(sd->assets[a].name, prefix, n) == 0) {
            free(sd->assets[a].name);
            free(sd->assets[a].data);
        } else {
            sd->assets[kept++] = sd->assets[a];
        }
    }
    sd->n_assets = kept;
}

void srcdir_end_items(srcdir *sd)
{
    check_empty_categories(sd);
}

srcdir *srcdir_read(const char *root)
{
    srcdir *sd = srcdir_open(root);
    for (size_t i = 0; sd && i < sd->n_items; i++) {
        if (srcdir_load_item(sd, i) < 0) {
            srcdir_free(sd);
            return NULL;
        }
    }
    if (!sd)
        return NULL;
    srcdir_end_items(sd);
    if (sd->n_assets)
        qsort(sd->assets, sd->n_assets, sizeof *sd->assets, asset_cmp);
    return sd;
}

void srcdir_free(srcdir *sd)
{
    if (!sd)
        return;
    for (size_t c = 0; c < sd->n_categories; c++) {
        for (int l = 0; l < SRCDIR_MAX_LANGS; l++) {
            free(sd->categories[c].title[l]);
            free(sd->categories[c].summary[l]);
        }
    }
    free(sd->categories);
    for (size_t i = 0; i < sd->n_items; i++) {
        free(sd->items[i].cover);
        for (int l = 0; sd->items[i].texts && l < SRCDIR_MAX_LANGS; l++)
            free_text(&sd->items[i].texts[l]);
        free(sd->items[i].texts);
    }
    free(sd->items);
    for (size_t i = 0; i < sd->n_assets; i++) {
        free(sd->assets[i].name);
        free(sd->assets[i].data);
    }
    free(sd->assets);
    free(sd->diags);
    glyphs_close(sd->glyphs);
    free(sd->title);
    free(sd->root);
    free(sd->real_root);
    free(sd);
}
