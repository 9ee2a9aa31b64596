/* srcdir: reading tests/data/good into the model, and the file-level rules
 * (encoding, limits, ignored files, names) on small folders made here. The
 * one-defect folders of tests/data/bad are run in test_bundle.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "srcdir.h"
#include "support.h"

#define GOOD INFOPOINT_SOURCE_DIR "/tests/data/good"

static char tmp[256];

static int make_tmp(void **state)
{
    (void)state;
    support_tempdir(tmp, sizeof tmp, "srcdir");
    return 0;
}

static int remove_tmp(void **state)
{
    (void)state;
    return support_rmtree(tmp);
}

/* Writes tmp/rel (creating folders) with len bytes of data (-1: strlen). */
static void put(const char *rel, const char *data, long len)
{
    char path[512], cmd[600];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    size_t n = len < 0 ? strlen(data) : (size_t)len;
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void copy_good(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp -r '%s/.' '%s/'", GOOD, tmp);
    assert_int_equal(system(cmd), 0);
}

/* The diagnostic at file:line whose message contains text, or NULL. */
static const srcdir_diag *find_diag(const srcdir *sd, const char *file, int line, const char *text)
{
    for (size_t i = 0; i < sd->n_diags; i++) {
        const srcdir_diag *d = &sd->diags[i];
        if (strcmp(d->file, file) == 0 && d->line == line && strstr(d->message, text))
            return d;
    }
    return NULL;
}

static void dump(const srcdir *sd)
{
    char line[1024];
    for (size_t i = 0; i < sd->n_diags; i++) {
        srcdir_format_diag(sd, &sd->diags[i], line, sizeof line);
        print_message("  %s\n", line);
    }
}

static void expect(const srcdir *sd, srcdir_severity sev, const char *file, int line, const char *text)
{
    const srcdir_diag *d = find_diag(sd, file, line, text);
    if (!d || d->severity != sev) {
        dump(sd);
        fail_msg("expected %s:%d: %s", file, line, text);
    }
}

/* A diagnostic expected in a given file. */
typedef struct {
    srcdir_severity sev;
    int line;
    const char *text;
} want_diag;

static void expect_each(const srcdir *sd, const char *file, const want_diag *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect(sd, want[i].sev, file, want[i].line, want[i].text);
}

/* srcdir_read, which never returns NULL. */
static srcdir *read_dir(const char *path)
{
    srcdir *sd = srcdir_read(path);
    assert_non_null(sd);
    return sd;
}

static void test_good_folder(void **state)
{
    (void)state;
    srcdir *sd = read_dir(GOOD);
    if (sd->n_diags)
        dump(sd);
    assert_int_equal(sd->n_errors, 0);
    assert_int_equal(sd->n_warnings, 0);
    assert_string_equal(sd->title, "Test content");
    assert_int_equal(sd->version, 3);
    assert_string_equal(sd->created, "2026-01-02T03:04:05Z");
    assert_int_equal(sd->n_langs, 2);
    assert_string_equal(sd->langs[0], "en");
    assert_string_equal(sd->langs[1], "ru");
    assert_int_equal(sd->n_fallback, 2);

    /* Sorted by id whatever the file order. */
    assert_int_equal(sd->n_categories, 2);
    assert_string_equal(sd->categories[0].id, "help");
    assert_int_equal(sd->categories[0].order, 2);
    assert_string_equal(sd->categories[1].id, "law");
    assert_string_equal(sd->categories[1].title[1], "Право");
    assert_null(sd->categories[0].summary[0]);
    assert_non_null(srcdir_find_category(sd, "law"));
    assert_null(srcdir_find_category(sd, "lawn"));

    assert_int_equal(sd->n_items, 3);
    assert_string_equal(sd->items[0].id, "cards");
    assert_int_equal(sd->items[0].kind, SRCDIR_EXPLAINER);
    assert_int_equal(sd->items[0].featured, 1);
    assert_string_equal(sd->items[1].id, "charter");
    assert_int_equal(sd->items[1].kind, SRCDIR_DOCUMENT);
    assert_string_equal(sd->items[1].category, "law");
    const srcdir_item *guide = srcdir_find_item(sd, "guide");
    assert_non_null(guide);
    assert_int_equal(guide->kind, SRCDIR_ARTICLE);
    assert_string_equal(guide->cover, "guide/pic.png");
    assert_null(srcdir_find_item(sd, "nope"));

    const srcdir_text *t = &guide->texts[1];
    assert_true(t->present);
    assert_non_null(t->doc);
    assert_string_equal(t->title, "Как читать");
    assert_string_equal(t->summary, "Справка с картинками.");
    assert_int_equal(t->body_line, 5);
    assert_true(strncmp(t->source + t->body_offset, "# Чтение {#reading}\n", 20) == 0);
    assert_int_equal(t->doc->n_images, 2);

    /* Images named <item>/<file>, sorted, each once although both
     * languages and the cover use them. */
    assert_int_equal(sd->n_assets, 2);
    assert_string_equal(sd->assets[0].name, "guide/photo.jpg");
    assert_string_equal(sd->assets[0].mime, "image/jpeg");
    assert_int_equal(sd->assets[0].width, 5);
    assert_int_equal(sd->assets[0].height, 2);
    assert_string_equal(sd->assets[1].name, "guide/pic.png");
    assert_string_equal(sd->assets[1].mime, "image/png");
    assert_int_equal(sd->assets[1].width, 4);
    assert_int_equal(sd->assets[1].height, 3);
    assert_true(sd->assets[1].size > 8 && memcmp(sd->assets[1].data, "\x89PNG", 4) == 0);
    srcdir_free(sd);
}

static void test_trailing_slash_and_missing_folder(void **state)
{
    (void)state;
    srcdir *sd = read_dir(GOOD "//");
    assert_string_equal(sd->root, GOOD);
    assert_int_equal(sd->n_errors, 0);
    srcdir_free(sd);

    sd = read_dir("/nonexistent/content");
    assert_int_equal(sd->n_errors, 1);
    expect(sd, SRCDIR_ERROR, "", 0, "not a content folder");
    char line[600];
    srcdir_format_diag(sd, &sd->diags[0], line, sizeof line);
    assert_string_equal(line, "/nonexistent/content: error: not a content folder (no such directory)");
    srcdir_free(sd);
}

static void test_empty_folder(void **state)
{
    (void)state;
    srcdir *sd = read_dir(tmp);
    expect(sd, SRCDIR_ERROR, "bundle.conf", 0, "missing bundle.conf");
    expect(sd, SRCDIR_ERROR, "items", 0, "missing items folder");
    srcdir_free(sd);
}

/* A file saved on Windows (BOM, CRLF) reads as the same text. */
static void test_bom_and_crlf(void **state)
{
    (void)state;
    copy_good();
    put("items/charter/en.md",
        "\xEF\xBB\xBF---\r\ntitle: The Charter\r\nsummary: A tiny document with one section.\r\n---\r\n"
        "## Section one {#sec-1}\r\n\r\n### Article 1 {#art1}\r\n\r\n{#art1-1} 1. Everyone may read this charter.\r\n"
        "\r\n{#art1-2} 2. The second clause points back to [clause 1](#art1-1).\r\n", -1);
    srcdir *sd = read_dir(tmp);
    if (sd->n_diags)
        dump(sd);
    assert_int_equal(sd->n_errors, 0);
    const srcdir_text *t = &srcdir_find_item(sd, "charter")->texts[0];
    assert_null(strchr(t->source, '\r'));
    assert_string_equal(t->title, "The Charter");
    assert_true(strncmp(t->source, "---\n", 4) == 0);
    srcdir_free(sd);
}

static void test_file_limits(void **state)
{
    (void)state;
    copy_good();
    size_t n = SRCDIR_MAX_MARKDOWN + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    memcpy(big, "---\ntitle: x\n---\n", 17);
    put("items/charter/en.md", big, (long)n);
    free(big);
    srcdir *sd = read_dir(tmp);
    expect(sd, SRCDIR_ERROR, "items/charter/en.md", 0, "file is larger than the limit of 1048576 bytes");
    srcdir_free(sd);
}

static void test_ignored_and_hidden_files(void **state)
{
    (void)state;
    copy_good();
    put("items/guide/kk.md", "---\ntitle: x\n---\n", -1);
    put("items/guide/notes.md", "notes", -1);
    put("items/guide/.hidden.md", "x", -1);
    put("items/.git/config", "x", -1);
    put("items/README.txt", "x", -1);
    put(".DS_Store", "x", -1);
    srcdir *sd = read_dir(tmp);
    assert_int_equal(sd->n_errors, 0);
    expect(sd, SRCDIR_WARNING, "items/guide/kk.md", 0, "file ignored: 'kk' is not in languages");
    expect(sd, SRCDIR_WARNING, "items/guide/notes.md", 0, "file ignored: language files are named <lang>.md");
    expect(sd, SRCDIR_WARNING, "items/README.txt", 0, "ignored: not an item folder");
    assert_int_equal(sd->n_warnings, 3);
    assert_int_equal(sd->n_items, 3);
    srcdir_free(sd);
}

/* Image names from Markdown never leave the item's folder. */
static void test_image_names(void **state)
{
    (void)state;
    copy_good();
    put("secret.png", "x", -1);
    put("items/guide/en.md",
        "---\ntitle: t\n---\n# Reading {#reading}\n\n![a](../../secret.png)\n\n![b](/etc/passwd.png)\n\n"
        "![c](picture.gif)\n\n![d](./pic.png)\n\n## Searching {#searching}\n", -1);
    srcdir *sd = read_dir(tmp);
    static const want_diag want[] = {
        {SRCDIR_ERROR, 6, "image '../../secret.png' must be a file name in the item's folder"},
        {SRCDIR_ERROR, 8, "must be a file name in the item's folder"},
        {SRCDIR_ERROR, 10, "image 'picture.gif' is not a .png, .jpg or .jpeg file"},
    };
    expect_each(sd, "items/guide/en.md", want, sizeof want / sizeof want[0]);
    assert_int_equal(sd->n_errors, 3); /* ./pic.png is fine */
    srcdir_free(sd);
}

/* Images the kiosk would not show as their header says are refused, each
 * with its file named (issue 13): over the kiosk's pixel limit (with the
 * size to scale down to), CMYK, a header promising rows the data lacks, a
 * JPEG cut short, a JPEG named .png. */
static void test_image_contents(void **state)
{
    (void)state;
    copy_good();
    static const char *const copies[][2] = {
        {"cmyk.jpg", "cmyk.jpg"}, {"rows-lie.png", "rows.png"}, {"cut.jpg", "cut.jpg"},
        {"tiny.jpg", "named.png"}, {"big-header.png", "huge.png"}, {"prog.jpg", "fine.jpg"},
    };
    for (size_t i = 0; i < sizeof copies / sizeof *copies; i++) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "cp '%s/tests/data/img/%s' '%s/items/guide/%s'", INFOPOINT_SOURCE_DIR,
                 copies[i][0], tmp, copies[i][1]);
        assert_int_equal(system(cmd), 0);
    }
    put("items/guide/en.md",
        "---\ntitle: t\n---\n# Reading {#reading}\n\n![a](cmyk.jpg)\n\n![b](rows.png)\n\n![c](cut.jpg)\n\n"
        "![d](named.png)\n\n![e](huge.png)\n\n![f](fine.jpg)\n\n## Searching {#searching}\n", -1);
    srcdir *sd = read_dir(tmp);
    static const want_diag want[] = {
        {SRCDIR_ERROR, 6, "image 'cmyk.jpg' is a CMYK JPEG"},
        {SRCDIR_ERROR, 8, "image 'rows.png' does not decode"},
        {SRCDIR_ERROR, 10, "image 'cut.jpg' is cut short"},
        {SRCDIR_ERROR, 12, "image 'named.png' is a JPEG file but its name says PNG: rename it to .jpg"},
        {SRCDIR_ERROR, 14, "image 'huge.png' has 6000x4000 pixels, more than the kiosk shows (16777216 pixels, 16 "
                           "megapixels): scale it down to 5017x3344 or less"},
    };
    expect_each(sd, "items/guide/en.md", want, sizeof want / sizeof want[0]);
    assert_int_equal(sd->n_errors, 5); /* fine.jpg is fine */
    srcdir_free(sd);
}

/* Control characters (issue 13): refused in text, and names that hold them
 * are quoted with \xHH, so a diagnostic is one line and cannot drive the
 * editor's terminal. */
static void test_control_characters(void **state)
{
    (void)state;
    copy_good();
    put("items/bad\x1b[2Jid/item.conf", "kind = article\n", -1);
    put("items/guide/n\nl.md", "x", -1);
    put("items/guide/en.md", "---\ntitle: Tit\x1b[2Jle\n---\n# Reading {#reading}\n\n## Searching {#searching}\n", -1);
    put("items/guide/ru.md", "---\ntitle: Т\nsummary: a\tb \xc2\x85" "c\n---\n# Чтение {#reading}\n\n## Поиск {#searching}\n",
        -1);
    put("items/charter/item.conf", "kind = document\ncategory = law\ncover = p\x08ic.png\n", -1);
    srcdir *sd = read_dir(tmp);
    expect(sd, SRCDIR_ERROR, "items/bad\\x1b[2Jid", 0, "item folder name 'bad\\x1b[2Jid' is not a valid id");
    expect(sd, SRCDIR_WARNING, "items/guide/n\\x0al.md", 0, "file ignored");
    expect(sd, SRCDIR_ERROR, "items/guide/en.md", 2, "control character U+001B at column 11");
    expect(sd, SRCDIR_ERROR, "items/guide/ru.md", 3, "control character U+0085 at column 14");
    expect(sd, SRCDIR_ERROR, "items/charter/item.conf", 3, "control character U+0008 at column 10");
    for (size_t i = 0; i < sd->n_diags; i++) {
        char line[1024];
        srcdir_format_diag(sd, &sd->diags[i], line, sizeof line);
        for (const char *p = line; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                fail_msg("control byte 0x%02x in \"%s\"", (unsigned char)*p, line);
    }
    srcdir_free(sd);
}

/* Two editor's slips that used to pass without a word: a space between
 * [text] and (item:...) (no link, the brackets shown as text), and a
 * language file saved with a further extension. */
static void test_broken_link_and_extra_extension(void **state)
{
    (void)state;
    copy_good();
    put("items/guide/en.md", "---\ntitle: Guide\n---\n# Reading {#reading}\n\nSee [the charter] (item:charter) "
        "or [this](item:charter).\n\n## Searching {#searching}\n", -1);
    put("items/guide/ru.md.txt", "---\ntitle: Т\n---\n", -1);
    srcdir *sd = read_dir(tmp);
    expect(sd, SRCDIR_WARNING, "items/guide/en.md", 6, "'] (item:' is not a link");
    expect(sd, SRCDIR_WARNING, "items/guide/ru.md.txt", 0, "without a further extension");
    int links = 0;
    for (size_t i = 0; i < sd->n_diags; i++)
        links += strstr(sd->diags[i].message, "is not a link") != NULL;
    assert_int_equal(links, 1); /* [this](item:charter) is a link */
    srcdir_free(sd);
}

static void test_bundle_conf_rules(void **state)
{
    (void)state;
    copy_good();
    put("bundle.conf",
        "stray = 1\n"
        "[bundle]\n"
        "title = T\n"
        "version = 1\n"
        "created = 2024-02-29T23:59:59Z\n"
        "languages = ru, en, ru\n"
        "fallback = ru kk\n"
        "[category law]\n"
        "title.en = Law\n"
        "title.xx = ?\n"
        "[category help]\n"
        "title.ru = Помощь\n"
        "[category Bad]\n"
        "[misc]\n", -1);
    srcdir *sd = read_dir(tmp);
    static const want_diag want[] = {
        {SRCDIR_ERROR, 1, "key 'stray' outside a section"},
        {SRCDIR_ERROR, 6, "language 'ru' listed twice in languages"},
        {SRCDIR_ERROR, 7, "fallback language 'kk' is not in languages"},
        {SRCDIR_ERROR, 10, "unknown language 'xx' in key 'title.xx'"},
        {SRCDIR_WARNING, 8, "missing translation: no title.ru for category 'law'"},
        {SRCDIR_WARNING, 11, "missing translation: no title.en for category 'help'"},
        {SRCDIR_ERROR, 13, "bad category id 'Bad'"},
        {SRCDIR_ERROR, 14, "unknown section [misc]"},
    };
    expect_each(sd, "bundle.conf", want, sizeof want / sizeof want[0]);
    /* 2024 is a leap year: the date is fine. */
    assert_string_equal(sd->created, "2024-02-29T23:59:59Z");
    assert_string_equal(sd->langs[0], "ru");
    assert_string_equal(sd->langs[1], "en");
    srcdir_free(sd);
}

static void test_keywords(void **state)
{
    (void)state;
    copy_good();
    /* Written in any order; kept sorted by anchor, the item's ("") first. */
    put("items/charter/en.md",
        "---\ntitle: The Charter\nkeywords.art1-2: cross reference\nkeywords: rules, basic law\n"
        "keywords.Bad_Anchor: x\nkeywords.art1-1: everyone\nkeyword: typo\n---\n"
        "## Section one {#sec-1}\n\n### Article 1 {#art1}\n\n{#art1-1} 1. Everyone may read this charter.\n"
        "\n{#art1-2} 2. The second clause points back to [clause 1](#art1-1).\n", -1);
    srcdir *sd = srcdir_read(tmp);
    assert_non_null(sd);
    const srcdir_text *t = &srcdir_find_item(sd, "charter")->texts[0];
    assert_int_equal(t->n_keywords, 3);
    assert_string_equal(t->keywords[0].anchor, "");
    assert_string_equal(t->keywords[0].words, "rules, basic law");
    assert_int_equal(t->keywords[0].line, 4);
    assert_string_equal(t->keywords[1].anchor, "art1-1");
    assert_string_equal(t->keywords[2].anchor, "art1-2");
    assert_int_equal(sd->n_errors, 2);
    char line[1024];
    srcdir_sort_diags(sd);
    srcdir_format_diag(sd, &sd->diags[0], line, sizeof line);
    assert_non_null(strstr(line, "en.md:5: error: keywords for 'Bad_Anchor': not an anchor id"));
    srcdir_format_diag(sd, &sd->diags[1], line, sizeof line);
    assert_non_null(strstr(line, "en.md:7: error: unknown front-matter key 'keyword' (title, summary, keywords, "
                                 "keywords.<anchor>)"));
    srcdir_free(sd);
}

static void test_valid_id(void **state)
{
    (void)state;
    assert_true(srcdir_valid_id("art43-5"));
    assert_true(srcdir_valid_id("7th-session"));
    assert_false(srcdir_valid_id(""));
    assert_false(srcdir_valid_id("-x"));
    assert_false(srcdir_valid_id("Art43"));
    assert_false(srcdir_valid_id("a_b"));
    assert_false(srcdir_valid_id("a b"));
    assert_false(srcdir_valid_id("конституция"));
    char id[80];
    memset(id, 'a', sizeof id);
    id[64] = '\0';
    assert_true(srcdir_valid_id(id));
    id[64] = 'a';
    id[65] = '\0';
    assert_false(srcdir_valid_id(id));
}

/* Replaces tmp/rel (a file of the good folder) by a FIFO, a folder or a
 * symbolic link to target. */
static void replace_with(const char *rel, char kind, const char *target)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    assert_int_equal(unlink(path), 0);
    if (kind == 'p')
        assert_int_equal(mkfifo(path, 0600), 0);
    else if (kind == 'd')
        assert_int_equal(mkdir(path, 0700), 0);
    else
        assert_int_equal(symlink(target, path), 0);
}

/* A FIFO or a folder where a text or an image is expected is refused at
 * once with what it is (a FIFO en.md used to block check and build for
 * ever; a FIFO image was reported "missing"). */
static void test_special_files_refused(void **state)
{
    (void)state;
    copy_good();
    replace_with("items/charter/en.md", 'p', NULL);
    replace_with("items/guide/pic.png", 'p', NULL);
    replace_with("items/guide/photo.jpg", 'd', NULL);
    uint64_t t0 = platform_now_ms();
    srcdir *sd = read_dir(tmp);
    assert_true(platform_now_ms() - t0 < 5000);
    expect(sd, SRCDIR_ERROR, "items/charter/en.md", 0, "file is a FIFO, not a regular file");
    static const want_diag want[] = {
        {SRCDIR_ERROR, 9, "image 'pic.png' is a FIFO, not a regular file"},
        {SRCDIR_ERROR, 17, "image 'photo.jpg' is a directory, not a regular file"},
    };
    expect_each(sd, "items/guide/en.md", want, sizeof want / sizeof want[0]);
    /* The same images again from ru.md, and pic.png as item.conf's cover. */
    expect(sd, SRCDIR_ERROR, "items/guide/item.conf", 4, "image 'pic.png' is a FIFO");
    assert_int_equal(sd->n_errors, 6);
    srcdir_free(sd);
}

/* Symbolic links are followed only while they stay in the content folder:
 * one to a file or a folder outside (the editor's home, /dev/zero) is
 * refused, one to another place inside is read. */
static void test_symlinks_leaving_the_folder(void **state)
{
    (void)state;
    copy_good();
    replace_with("items/charter/ru.md", 'l', GOOD "/items/charter/ru.md");
    replace_with("items/guide/pic.png", 'l', GOOD "/items/guide/pic.png");
    replace_with("items/guide/photo.jpg", 'l', "/dev/zero");
    char path[512];
    snprintf(path, sizeof path, "%s/items/linked", tmp);
    assert_int_equal(symlink(GOOD "/items/cards", path), 0);
    /* Inside: cards/ru.md is a link to the same text elsewhere in the folder. */
    char cmd[900];
    snprintf(cmd, sizeof cmd, "mkdir '%s/shared' && mv '%s/items/cards/ru.md' '%s/shared/'", tmp, tmp, tmp);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/items/cards/ru.md", tmp);
    assert_int_equal(symlink("../../shared/ru.md", path), 0);
    srcdir *sd = read_dir(tmp);
    static const char out[] = "is a symbolic link that leads out of the content folder";
    expect(sd, SRCDIR_ERROR, "items/charter/ru.md", 0, out);
    expect(sd, SRCDIR_ERROR, "items/guide/en.md", 9, out);
    expect(sd, SRCDIR_ERROR, "items/guide/en.md", 17, out);
    expect(sd, SRCDIR_ERROR, "items/linked", 0, out);
    /* The same images again from ru.md and item.conf; cards/ru.md is read. */
    assert_int_equal(sd->n_errors, 7);
    srcdir_free(sd);
}

/* items/ itself a link out of the folder: every item folder in it leads
 * out too, though none of them is a link. */
static void test_items_folder_leaving_the_folder(void **state)
{
    (void)state;
    copy_good();
    char cmd[600], path[512];
    snprintf(cmd, sizeof cmd, "rm -r '%s/items'", tmp);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/items", tmp);
    assert_int_equal(symlink(GOOD "/items", path), 0);
    srcdir *sd = read_dir(tmp);
    static const char out[] = "folder is a symbolic link that leads out of the content folder";
    expect(sd, SRCDIR_ERROR, "items/charter", 0, out);
    expect(sd, SRCDIR_ERROR, "items/guide", 0, out);
    srcdir_free(sd);
}

static void test_diag_format_and_sort(void **state)
{
    (void)state;
    srcdir *sd = read_dir("/nonexistent");
    sd->n_diags = 0;
    sd->n_errors = 0;
    srcdir_diag_add(sd, SRCDIR_WARNING, "items/b/en.md", 7, "w %d", 1);
    srcdir_diag_add(sd, SRCDIR_ERROR, "bundle.conf", 3, "e");
    srcdir_diag_add(sd, SRCDIR_ERROR, "items/b/en.md", 2, "first at 2");
    srcdir_diag_add(sd, SRCDIR_ERROR, "items/b/en.md", 2, "second at 2");
    srcdir_sort_diags(sd);
    assert_string_equal(sd->diags[0].file, "bundle.conf");
    assert_string_equal(sd->diags[1].message, "first at 2");
    assert_string_equal(sd->diags[2].message, "second at 2");
    assert_string_equal(sd->diags[3].message, "w 1");
    char line[600];
    srcdir_format_diag(sd, &sd->diags[3], line, sizeof line);
    assert_string_equal(line, "/nonexistent/items/b/en.md:7: warning: w 1");
    assert_int_equal(sd->n_errors, 3);
    assert_int_equal(sd->n_warnings, 1);
    srcdir_free(sd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_folder),
        cmocka_unit_test(test_trailing_slash_and_missing_folder),
        cmocka_unit_test_setup_teardown(test_empty_folder, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_bom_and_crlf, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_file_limits, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_ignored_and_hidden_files, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_image_names, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_image_contents, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_control_characters, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_special_files_refused, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_symlinks_leaving_the_folder, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_items_folder_leaving_the_folder, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_broken_link_and_extra_extension, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_bundle_conf_rules, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_keywords, make_tmp, remove_tmp),
        cmocka_unit_test(test_valid_id),
        cmocka_unit_test(test_diag_format_and_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
