/* srcdir — reads a content folder (assets/content/FORMAT.md) into memory.
 *
 * Reads bundle.conf, every items/<id>/item.conf, every <lang>.md (front-matter
 * split off, body parsed by the content module) and every image the texts and
 * covers name. Everything that can be checked inside one file is checked here;
 * problems are collected as diagnostics with file and line, never fatal, so an
 * editor sees them all in one run. Checks that span items (links, anchors
 * across languages, cards) are the bundle module's.
 *
 * Nothing from the clock, the folder's path or the order of directory
 * listings enters the model: folders are listed and sorted by name, so the
 * same sources give the same model anywhere.
 *
 * Two ways to read: srcdir_read holds the whole folder in memory (check,
 * tests); srcdir_open lists the items and srcdir_load_item /
 * srcdir_unload_item then hold one item at a time, so the content tool
 * builds 100,000 items in bounded memory (bundle_build). Both give the same
 * diagnostics. */
#pragma once

#include <stddef.h>

#include "content.h"
#include "imginfo.h"

/* Input limits; a file over its limit is an error, not cut. */
#define SRCDIR_MAX_MARKDOWN (1024u * 1024u)     /* one <lang>.md */
#define SRCDIR_MAX_CONF (256u * 1024u)          /* bundle.conf, item.conf */
#define SRCDIR_MAX_IMAGE IMGINFO_MAX_BYTES      /* one image file: the kiosk reads no larger */
/* pixels: IMGINFO_MAX_PIXELS, the kiosk's own limit (imginfo_check_pixels) */
#define SRCDIR_MAX_ITEMS 100000u
#define SRCDIR_MAX_CATEGORIES 1000u
#define SRCDIR_MAX_ITEM_FILES 1000u             /* entries in one item folder */
#define SRCDIR_MAX_DIAGS 1000u                  /* kept; more are counted only */
#define SRCDIR_MAX_PATH 1024u

/* Languages the kiosk has fonts, keyboards and translations for. */
#define SRCDIR_KNOWN_LANGS "kk ru en"
#define SRCDIR_MAX_LANGS 3

typedef enum {
    SRCDIR_ERROR,
    SRCDIR_WARNING
} srcdir_severity;

typedef struct {
    srcdir_severity severity;
    char file[400];     /* relative to the content folder; "" for the folder itself */
    int line;           /* 1-based; 0 when no line applies */
    char message[320];
} srcdir_diag;

typedef enum {
    SRCDIR_ARTICLE,
    SRCDIR_DOCUMENT,
    SRCDIR_EXPLAINER
} srcdir_kind;

typedef struct {
    char id[CONTENT_MAX_ID + 1];
    long order;
    int line;                              /* line of its [category id] header */
    char *title[SRCDIR_MAX_LANGS];         /* by index in srcdir.langs; NULL if absent */
    char *summary[SRCDIR_MAX_LANGS];
} srcdir_category;

/* Search keywords from the front matter: 'keywords:' for the item (anchor
 * ""), 'keywords.<anchor>:' for a clause, an anchored block or a card. */
typedef struct {
    char *anchor;
    char *words;            /* as written: comma-separated words and phrases */
    int line;
} srcdir_keywords;

/* One language file of an item. */
typedef struct {
    int present;            /* the file exists (even if it had errors) */
    char *title;
    char *summary;          /* "" when absent */
    srcdir_keywords *keywords;  /* sorted by anchor; "" (the item) first */
    size_t n_keywords;
    char *source;           /* whole file: UTF-8, BOM removed, CRLF → LF */
    size_t body_offset;     /* body = source + body_offset (front-matter removed) */
    int body_line;          /* line of the body's first line in the file */
    content_doc *doc;       /* parsed body; NULL when the file had errors
                               that stop parsing (encoding, front-matter) */
} srcdir_text;

typedef struct {
    char id[CONTENT_MAX_ID + 1];
    srcdir_kind kind;
    int has_kind;           /* kind was read (else checks that need it are skipped) */
    char category[CONTENT_MAX_ID + 1];
    long order;
    int featured;
    char *cover;            /* asset name "<id>/<file>", or NULL */
    srcdir_text *texts;     /* SRCDIR_MAX_LANGS, by index in srcdir.langs; NULL until the
                               item is loaded (an unloaded item costs only this struct) */
} srcdir_item;

/* An image, named "<item-id>/<file>" as it is stored in the bundle. */
typedef struct {
    char *name;
    const char *mime;
    unsigned width, height;
    unsigned char *data;
    size_t size;
} srcdir_asset;

typedef struct {
    char *root;                            /* the folder as given (messages only) */
    char *real_root;                       /* root with every link resolved: what "inside" means */
    char *title;
    long version;
    char created[21];                      /* YYYY-MM-DDTHH:MM:SSZ */
    char langs[SRCDIR_MAX_LANGS][3];       /* `languages`, in order */
    int n_langs;
    char fallback[SRCDIR_MAX_LANGS][3];
    int n_fallback;
    srcdir_category *categories; size_t n_categories;  /* sorted by id */
    srcdir_item *items;          size_t n_items;       /* sorted by id */
    srcdir_asset *assets;        size_t n_assets;      /* sorted by name */
    srcdir_diag *diags;          size_t n_diags;
    size_t n_errors, n_warnings;           /* including diagnostics not kept */
    size_t n_images;                       /* images read, also those unloaded since */
    struct glyphs *glyphs;                 /* the kiosk's font, for the character check; NULL: unreadable */
} srcdir;

/* Reads the content folder at root. Returns NULL only when memory runs out;
 * every problem with the content is a diagnostic in the result. */
srcdir *srcdir_read(const char *root);

/* Reads bundle.conf and lists the item folders (ids only: every item is
 * still to load). Returns NULL only when memory runs out. */
srcdir *srcdir_open(const char *root);

/* Reads item i of a model from srcdir_open (its files, parsed, and its
 * images into assets) and adds its diagnostics. Returns -1 only on OOM. */
int srcdir_load_item(srcdir *sd, size_t i);

/* Frees what srcdir_load_item read of item i (texts, cover, its assets),
 * keeping id, kind, category, order and featured. */
void srcdir_unload_item(srcdir *sd, size_t i);

/* The checks that need every item read once (categories nobody uses). */
void srcdir_end_items(srcdir *sd);

/* Frees a model from srcdir_read or srcdir_open (NULL is fine). */
void srcdir_free(srcdir *sd);

/* Adds a diagnostic; file is relative to the content folder, line 0 for none. */
void srcdir_diag_add(srcdir *sd, srcdir_severity sev, const char *file, int line,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sorts diagnostics by file and line, keeping the order of equal ones. */
void srcdir_sort_diags(srcdir *sd);

/* Formats a diagnostic as "root/file:line: error: message" (":line" left out
 * when 0) into out. */
void srcdir_format_diag(const srcdir *sd, const srcdir_diag *d, char *out, size_t cap);

/* 1 when s is a valid id: [a-z0-9-], starts with a letter or digit, ≤ 64 bytes. */
int srcdir_valid_id(const char *s);

/* "article", "document" or "explainer". */
const char *srcdir_kind_name(srcdir_kind kind);

/* Index of lang in sd->langs, or -1. */
int srcdir_lang_index(const srcdir *sd, const char *lang);

/* The item with this id, or NULL. */
const srcdir_item *srcdir_find_item(const srcdir *sd, const char *id);

/* The category with this id, or NULL. */
const srcdir_category *srcdir_find_category(const srcdir *sd, const char *id);

/* Relative path of an item's language file ("items/<id>/<lang>.md") into out. */
void srcdir_text_path(const srcdir *sd, const srcdir_item *item, int lang, char *out, size_t cap);
