/* route — names of screens ("item/art-12#p3") parsed into a struct and back,
 * and the Back history.
 *
 * Grammar (nothing else is accepted; routes come from command lines, QR codes,
 * links inside content and scripts, so they are outside input):
 *
 *   home
 *   display                 screen settings: language, text size, contrast
 *   admin                   the operator screen
 *   admin/pin               its PIN keypad (what the hidden gesture opens)
 *   admin/touch             touch test (operator)
 *   admin/pattern           screen test pattern (operator)
 *   category/<id>
 *   item/<id>
 *   item/<id>#<anchor>
 *   deck/<id>               = card 1
 *   deck/<id>/<card>        card: 1..ROUTE_CARD_MAX, decimal, no leading zero
 *   search                  = empty query
 *   search?q=<query>        query: percent-encoded UTF-8 ('+' also means space)
 *
 *   <id>, <anchor>: 1..ROUTE_ID_MAX of [a-z0-9-]
 *
 * The decoded query must be valid, shortest-form UTF-8 without control
 * characters, at most ROUTE_QUERY_MAX bytes. A route string is at most
 * ROUTE_STRING_MAX bytes. Everything is in fixed arrays: no heap.
 */
#ifndef INFOPOINT_ROUTE_H
#define INFOPOINT_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#define ROUTE_STRING_MAX 512 /* bytes in a route string, without the NUL */
#define ROUTE_ID_MAX 64      /* bytes in an id or anchor */
/* Decoded search query bytes: the on-screen keyboard's cap, and small enough
 * that any query, fully percent-encoded, still fits in a route string. */
#define ROUTE_QUERY_MAX 128
#define ROUTE_CARD_MAX 9999
#define ROUTE_ERROR_MAX 256 /* a buffer this big holds any error message */
/* Screens remembered for Back; the oldest is forgotten beyond this. */
#define ROUTE_HISTORY_MAX 32

/* Which screen. */
typedef enum {
    ROUTE_HOME = 0,
    ROUTE_CATEGORY,
    ROUTE_ITEM,
    ROUTE_DECK,
    ROUTE_SEARCH,
    ROUTE_DISPLAY, /* screen settings: language, text size, contrast */
    ROUTE_ADMIN,
    ROUTE_ADMIN_PIN,
    ROUTE_ADMIN_TOUCH,
    ROUTE_ADMIN_PATTERN,
} route_kind;

/* One parsed route. Unused fields are empty strings and card 0, so two equal
 * routes are equal field by field. */
typedef struct {
    route_kind kind;
    char id[ROUTE_ID_MAX + 1];         /* CATEGORY, ITEM, DECK */
    char anchor[ROUTE_ID_MAX + 1];     /* ITEM: "" when none */
    int card;                          /* DECK: 1-based */
    char query[ROUTE_QUERY_MAX + 1];   /* SEARCH: decoded UTF-8, "" when none */
} route;

/* One remembered screen and how far it was scrolled. */
typedef struct {
    route r;
    int scroll;
} route_history_entry;

/* Back stack: a ring of the most recent ROUTE_HISTORY_MAX screens. */
typedef struct {
    route_history_entry entries[ROUTE_HISTORY_MAX];
    unsigned first; /* index of the oldest entry */
    unsigned count; /* entries held */
} route_history;

/* Parse s into *out; on failure return false and write a message into err. */
bool route_parse(const char *s, route *out, char *err, size_t err_size);

/* Write the canonical string of r into buf; false if it does not fit. */
bool route_format(const route *r, char *buf, size_t size);

/* True if a and b name the same screen. */
bool route_equal(const route *a, const route *b);

/* The home route. */
route route_home(void);

/* True for the operator's screens (admin and what it opens), which no
 * content link may lead to. The PIN keypad is not one: it guards them. */
bool route_is_operator(route_kind kind);

/* Readable name of a route kind ("item", "search", ...). */
const char *route_kind_name(route_kind kind);

/* Empty the history. */
void route_history_init(route_history *h);

/* Remember the screen being left and its scroll offset; a repeat of the top updates it. */
void route_history_push(route_history *h, const route *r, int scroll);

/* Take the most recent screen off the history; false if it is empty. */
bool route_history_back(route_history *h, route *out, int *scroll);

/* Forget everything (the next reader starts clean). */
void route_history_clear(route_history *h);

/* Number of screens Back can return to (0: hide the Back button). */
unsigned route_history_depth(const route_history *h);

#endif
