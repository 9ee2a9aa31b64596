/* content — Markdown (md4c) to a flat document tree of blocks and inline runs.
 *
 * Knows nothing about SDL or SQLite. Used by the content tool (to check
 * anchors, links and images and to extract plain text for search) and by the
 * kiosk (to lay out and draw an item). Source format: assets/content/FORMAT.md.
 *
 * A parsed document owns all its strings; pointers stay valid until
 * content_free(). Blocks are flat, in reading order: nesting (lists, quotes)
 * is kept as depth numbers, which is all the layout needs.
 */
#pragma once

#include <stddef.h>

/* Input limit: a text longer than this is refused (bundle) or cut (kiosk). */
#define CONTENT_MAX_SOURCE (4u * 1024u * 1024u)
/* Longest id or anchor, without the terminating NUL. */
#define CONTENT_MAX_ID 64

typedef enum {
    CONTENT_HEADING,    /* level 1..6 */
    CONTENT_PARAGRAPH,
    CONTENT_LIST_ITEM,  /* the text of one list item (its first paragraph; later
                           paragraphs of the same item are CONTENT_PARAGRAPH with
                           list_depth > 0) */
    CONTENT_IMAGE,      /* an image on its own; see content_block.image */
    CONTENT_RULE,       /* thematic break */
    CONTENT_CODE        /* code block, shown as preformatted text */
} content_block_type;

/* Inline style bits of a run. */
enum {
    CONTENT_STYLE_BOLD   = 1u << 0,
    CONTENT_STYLE_ITALIC = 1u << 1,
    CONTENT_STYLE_CODE   = 1u << 2,
    CONTENT_STYLE_LINK   = 1u << 3
};

typedef enum {
    CONTENT_LINK_ITEM,     /* item:<id>[#<anchor>] */
    CONTENT_LINK_ANCHOR,   /* #<anchor> in the same item */
    CONTENT_LINK_CATEGORY, /* category:<id> */
    CONTENT_LINK_DECK,     /* deck:<id>/<card> */
    CONTENT_LINK_EXTERNAL, /* http:// or https:// — not followed by the kiosk */
    CONTENT_LINK_INVALID   /* anything else; message in content_link.error */
} content_link_kind;

/* The length of the link scheme s[0..n) starts with (item:, category:,
 * deck:, http://, https://; the last two in any case), with what it makes
 * the link in *kind (may be NULL); 0 when it starts with none. */
size_t content_link_scheme(const char *s, size_t n, content_link_kind *kind);

/* A run of text with one style. text is UTF-8, not NUL-terminated. Soft line
 * breaks become a single space; hard breaks are a run with text "\n". */
typedef struct {
    const char *text;
    size_t len;
    unsigned style;   /* CONTENT_STYLE_* bits */
    int link;         /* index into content_doc.links, or -1 */
} content_run;

typedef struct {
    content_block_type type;
    int level;        /* heading level 1..6, else 0 */
    int list_depth;   /* enclosing lists, 0 outside lists */
    int ordered;      /* list item in an ordered list */
    int number;       /* list item number in an ordered list, else 0 */
    int quote_depth;  /* enclosing block quotes */
    const char *anchor; /* the {#id} on this block (marker removed from the runs), or NULL */
    int line;         /* 1-based source line where the block starts */
    int card;         /* explainer card index (0-based) this block belongs to; -1 before the first "##" */
    int image;        /* CONTENT_IMAGE: index into content_doc.images, else -1 */
    const content_run *runs;
    size_t n_runs;
} content_block;

typedef struct {
    content_link_kind kind;
    const char *url;     /* as written */
    const char *item;    /* ITEM, DECK: target item id; CATEGORY: category id; else NULL */
    const char *anchor;  /* ITEM (optional) and ANCHOR: anchor, else NULL */
    int card;            /* DECK: 1-based card number, else 0 */
    int line;            /* 1-based source line of the link */
    const char *error;   /* INVALID: why, e.g. "bad anchor id 'Art 5'" */
} content_link;

typedef struct {
    const char *src;     /* file name as written, e.g. "illustration.png" */
    const char *alt;     /* alt text (may be "") */
    int line;
} content_image;

/* One explainer card: a "##" heading and the blocks up to the next one. */
typedef struct {
    const char *title;   /* heading text without the anchor marker */
    const char *anchor;  /* card id, or NULL when the heading has none */
    size_t first_block;  /* index of the heading block */
    size_t n_blocks;     /* heading included */
} content_card;

/* A problem found while parsing, with its source line. */
typedef struct {
    int line;
    char message[160];
} content_issue;

typedef struct content_doc content_doc;
struct content_doc {
    const content_block *blocks;  size_t n_blocks;
    const content_link *links;    size_t n_links;
    const content_image *images;  size_t n_images;
    const content_card *cards;    size_t n_cards;
    /* Problems that are the editor's to fix (bad anchor syntax, duplicate
     * anchor, raw HTML, ...): the document is still usable. */
    const content_issue *issues;  size_t n_issues;
    void *priv;                   /* owned storage; do not touch */
};

/* Parses Markdown (without front-matter). line_offset is added to every line
 * number (the line where the body starts in its file, minus 1). Returns NULL
 * only when memory runs out or the source exceeds CONTENT_MAX_SOURCE. */
content_doc *content_parse(const char *md, size_t len, int line_offset);

/* Frees a document from content_parse (NULL is fine). */
void content_free(content_doc *doc);

/* Index of the block that carries anchor, or -1. */
int content_find_anchor(const content_doc *doc, const char *anchor);

/* Plain text of the whole document for search: block texts separated by
 * newlines, no Markdown, no anchor markers. Caller frees. NULL on OOM. */
char *content_plain_text(const content_doc *doc);

/* Concatenated text of one block's runs. Caller frees. NULL on OOM. */
char *content_block_text(const content_block *block);

/* Front-matter: "---" line, "key: value" lines, "---" line. */
#define CONTENT_MAX_FRONT 16
typedef struct {
    size_t n;
    struct { char key[32]; char value[512]; int line; } fields[CONTENT_MAX_FRONT];
    size_t body_offset; /* byte offset of the body after the closing "---" */
    int body_line;      /* 1-based line where the body starts */
} content_front;

/* Splits a language file into front-matter and body. Returns 0, or -1 with
 * issue filled ("missing front-matter", "front-matter not closed", "line is
 * not 'key: value'", "duplicate key 'title'", value too long ...). */
int content_front_matter(const char *src, size_t len, content_front *out, content_issue *issue);

/* Value of key in the front-matter, or NULL. */
const char *content_front_get(const content_front *fm, const char *key);
