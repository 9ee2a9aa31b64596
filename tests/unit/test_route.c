/* Unit tests for route parsing, formatting and the Back history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

static route parse_ok(const char *s)
{
    route r;
    char err[ROUTE_ERROR_MAX];
    if (!route_parse(s, &r, err, sizeof err))
        fail_msg("'%s' should parse, got: %s", s, err);
    return r;
}

/* Parse must fail and the message must contain `want`. */
static void parse_bad(const char *s, const char *want)
{
    route r;
    char err[ROUTE_ERROR_MAX] = "untouched";
    if (route_parse(s, &r, err, sizeof err))
        fail_msg("'%s' should be rejected", s);
    if (!strstr(err, want))
        fail_msg("'%s': error '%s' lacks '%s'", s, err, want);
}

static void format_ok(const route *r, const char *want)
{
    char buf[ROUTE_STRING_MAX + 1];
    assert_true(route_format(r, buf, sizeof buf));
    assert_string_equal(buf, want);
}

/* parse_ok, and the route formats back to want (NULL: to s itself). */
static route round_trip(const char *s, const char *want)
{
    route r = parse_ok(s);
    format_ok(&r, want ? want : s);
    return r;
}

static void test_simple_routes(void **state)
{
    (void)state;
    route r = round_trip("home", NULL);
    assert_int_equal(r.kind, ROUTE_HOME);
    r = round_trip("admin", NULL);
    assert_int_equal(r.kind, ROUTE_ADMIN);
    /* The operator's screens; only the keypad is not guarded by it. */
    static const struct {
        const char *s;
        route_kind kind;
        bool operator;
    } admin[] = {{"admin", ROUTE_ADMIN, true},
                 {"admin/pin", ROUTE_ADMIN_PIN, false},
                 {"admin/touch", ROUTE_ADMIN_TOUCH, true},
                 {"admin/pattern", ROUTE_ADMIN_PATTERN, true}};
    for (size_t i = 0; i < sizeof admin / sizeof admin[0]; i++) {
        r = round_trip(admin[i].s, NULL);
        assert_int_equal(r.kind, admin[i].kind);
        assert_string_equal(route_kind_name(r.kind), admin[i].s);
        assert_int_equal(route_is_operator(r.kind), admin[i].operator);
    }
    assert_false(route_is_operator(ROUTE_HOME));
    assert_false(route_is_operator(ROUTE_ITEM));
    route h = route_home();
    assert_true(route_equal(&h, &(route){.kind = ROUTE_HOME}));
    format_ok(&h, "home");
}

static void test_category_and_item(void **state)
{
    (void)state;
    route r = round_trip("category/constitution-2025", NULL);
    assert_int_equal(r.kind, ROUTE_CATEGORY);
    assert_string_equal(r.id, "constitution-2025");

    r = round_trip("item/art-12", NULL);
    assert_int_equal(r.kind, ROUTE_ITEM);
    assert_string_equal(r.id, "art-12");
    assert_string_equal(r.anchor, "");

    r = round_trip("item/art-12#clause-3", NULL);
    assert_string_equal(r.id, "art-12");
    assert_string_equal(r.anchor, "clause-3");

    /* Boundary lengths: 1 and 64 characters. */
    r = parse_ok("item/x#y");
    assert_string_equal(r.anchor, "y");
    char s[200];
    char id64[65];
    memset(id64, 'a', 64);
    id64[64] = '\0';
    snprintf(s, sizeof s, "item/%s#%s", id64, id64);
    r = round_trip(s, NULL);
    assert_int_equal(strlen(r.id), 64);
    assert_int_equal(strlen(r.anchor), 64);
    snprintf(s, sizeof s, "category/%sb", id64);
    parse_bad(s, "bad id");
    snprintf(s, sizeof s, "item/x#%s-", id64);
    parse_bad(s, "bad anchor");
}

static void test_deck(void **state)
{
    (void)state;
    route r = round_trip("deck/what-changed", "deck/what-changed/1");
    assert_int_equal(r.kind, ROUTE_DECK);
    assert_int_equal(r.card, 1);
    r = round_trip("deck/what-changed/7", NULL);
    assert_int_equal(r.card, 7);
    r = parse_ok("deck/d/9999");
    assert_int_equal(r.card, 9999);
    route one = parse_ok("deck/d/1");
    route implicit = parse_ok("deck/d");
    assert_true(route_equal(&one, &implicit));

    parse_bad("deck/d/0", "bad card number '0'");
    parse_bad("deck/d/01", "bad card number");
    parse_bad("deck/d/-1", "bad card number");
    parse_bad("deck/d/+1", "bad card number");
    parse_bad("deck/d/10000", "bad card number");
    parse_bad("deck/d/99999999999999999999", "bad card number");
    parse_bad("deck/d/1/2", "bad card number");
    parse_bad("deck/d/", "bad card number");
    parse_bad("deck/d/x", "bad card number");
    parse_bad("deck/d/ 1", "bad card number");
    parse_bad("deck/", "bad id");
    parse_bad("deck", "missing id");
}

static void test_search(void **state)
{
    (void)state;
    route r = round_trip("search", NULL);
    assert_int_equal(r.kind, ROUTE_SEARCH);
    assert_string_equal(r.query, "");
    r = round_trip("search?q=", "search");
    assert_string_equal(r.query, "");

    /* "конституция" */
    const char *enc = "search?q=%D0%BA%D0%BE%D0%BD%D1%81%D1%82%D0%B8%D1%82%D1%83%D1%86%D0%B8%D1%8F";
    r = round_trip(enc, NULL);
    assert_string_equal(r.query, "конституция");

    /* Kazakh letters, lower-case hex, '+' and %20 for spaces. */
    r = round_trip("search?q=%d2%9b%d2%b1%d2%9b%d1%8b%d2%9b+%D3%99%2B1",
                   "search?q=%D2%9B%D2%B1%D2%9B%D1%8B%D2%9B%20%D3%99%2B1");
    assert_string_equal(r.query, "құқық ә+1");

    /* Raw UTF-8 and harmless punctuation are accepted as typed. */
    r = round_trip("search?q=бап-12(1)", "search?q=%D0%B1%D0%B0%D0%BF-12%281%29");
    assert_string_equal(r.query, "бап-12(1)");

    /* Four-byte characters are valid UTF-8 too. */
    r = parse_ok("search?q=%F0%9F%93%9C");
    assert_string_equal(r.query, "\xF0\x9F\x93\x9C");
}

static void test_search_rejects_bad_encoding(void **state)
{
    (void)state;
    parse_bad("search?q=%", "bad percent-encoding '%'");
    parse_bad("search?q=%4", "bad percent-encoding");
    parse_bad("search?q=%G0", "bad percent-encoding '%G0'");
    parse_bad("search?q=a%zzb", "bad percent-encoding");
    parse_bad("search?q=a b", "must be percent-encoded");
    parse_bad("search?q=a\"b", "must be percent-encoded");
    parse_bad("search?q=a\tb", "must be percent-encoded");
    parse_bad("search?q=a&lang=kk", "one parameter");
    parse_bad("search?x=1", "only '?q=...'");
    parse_bad("search?", "only '?q=...'");
    parse_bad("search?Q=a", "only '?q=...'");
    parse_bad("search/a", "only '?q=...'");
    parse_bad("search#a", "only '?q=...'");
}

static void test_search_rejects_bad_utf8(void **state)
{
    (void)state;
    const char *bad[] = {
        "search?q=%C0%AF",          /* overlong '/' */
        "search?q=%C1%BF",          /* overlong */
        "search?q=%E0%80%AF",       /* overlong 3-byte */
        "search?q=%F0%80%80%AF",    /* overlong 4-byte */
        "search?q=%ED%A0%80",       /* UTF-16 surrogate */
        "search?q=%F4%90%80%80",    /* beyond U+10FFFF */
        "search?q=%F5%80%80%80",    /* invalid lead byte */
        "search?q=%FF",             /* never valid */
        "search?q=%80",             /* lone continuation */
        "search?q=%D0",             /* truncated */
        "search?q=%E3%81",          /* truncated */
        "search?q=%D0a",            /* continuation missing */
        "search?q=\xD0",            /* raw and truncated */
        "search?q=\xC0\xAF",        /* raw overlong */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        parse_bad(bad[i], "not valid UTF-8");
    parse_bad("search?q=a%00b", "control character");
    parse_bad("search?q=%0A", "control character");
    parse_bad("search?q=%7F", "control character");
    parse_bad("search?q=%C2%85", "control character"); /* C1: NEL */
}

static void test_length_limits(void **state)
{
    (void)state;
    char s[1200];
    /* Exactly ROUTE_QUERY_MAX decoded bytes: 64 two-byte letters. */
    strcpy(s, "search?q=");
    for (int i = 0; i < ROUTE_QUERY_MAX / 2; i++)
        strcat(s, "%D3%99");
    route r = parse_ok(s);
    assert_int_equal(strlen(r.query), ROUTE_QUERY_MAX);
    /* Fully encoded it still fits a route string. */
    char buf[ROUTE_STRING_MAX + 1];
    assert_true(route_format(&r, buf, sizeof buf));
    assert_string_equal(buf, s);
    route back = parse_ok(buf);
    assert_true(route_equal(&r, &back));
    /* One byte more is too long. */
    strcat(s, "a");
    parse_bad(s, "too long");
    /* Longest worst case: every byte encoded. */
    memset(r.query, '\x01', ROUTE_QUERY_MAX); /* not parseable, but format must cope */
    r.query[ROUTE_QUERY_MAX] = '\0';
    assert_true(route_format(&r, buf, sizeof buf));
    assert_true(strlen(buf) <= ROUTE_STRING_MAX);

    /* A route string over 512 bytes is refused before anything else. */
    memset(s, 'a', 513);
    s[513] = '\0';
    parse_bad(s, "route too long");
    memcpy(s, "item/", 5);
    parse_bad(s, "route too long");
    s[512] = '\0';
    parse_bad(s, "bad id"); /* 512 is allowed as a length; the id is what is wrong */
}

static void test_unknown_and_malformed(void **state)
{
    (void)state;
    parse_bad("", "empty route");
    parse_bad("foo", "unknown route 'foo'");
    parse_bad("Home", "unknown route 'Home'");
    parse_bad(" home", "unknown route");
    parse_bad("home ", "unknown route");
    parse_bad("/home", "unknown route");
    parse_bad("homework", "unknown route");
    parse_bad("home/", "takes nothing after it");
    parse_bad("home?x", "takes nothing after it");
    parse_bad("admin/x", "unknown operator screen 'admin/x'");
    parse_bad("admin/", "unknown operator screen");
    parse_bad("admin/pin/1", "unknown operator screen");
    parse_bad("admin?pin", "unknown operator screen");
    parse_bad("admin/PIN", "unknown operator screen");
    parse_bad("category", "missing id in route 'category'");
    parse_bad("category?x", "missing id");
    parse_bad("category/", "bad id ''");
    parse_bad("category/Abc", "bad id 'Abc'");
    parse_bad("category/a_b", "bad id");
    parse_bad("category/a/b", "bad id 'a/b'");
    parse_bad("category/a#b", "bad id");
    parse_bad("category/../etc", "bad id");
    parse_bad("category/абв", "bad id 'абв'");
    parse_bad("item/x#", "bad anchor ''");
    parse_bad("item/x#A", "bad anchor");
    parse_bad("item/x#a#b", "bad anchor");
    parse_bad("item/x/y", "bad id");
    parse_bad("item/#a", "bad id ''");
}

static void test_error_messages_are_safe(void **state)
{
    (void)state;
    route r;
    /* Control bytes and broken UTF-8 never reach a log line. */
    char err[ROUTE_ERROR_MAX];
    assert_false(route_parse("fo\x1b[31mo\xff", &r, err, sizeof err));
    assert_string_equal(err, "unknown route 'fo?[31mo?'");
    /* Long input is quoted only in part. */
    char s[400];
    memset(s, 'z', 399);
    s[399] = '\0';
    assert_false(route_parse(s, &r, err, sizeof err));
    assert_true(strlen(err) < 100);
    assert_non_null(strstr(err, "...'"));
    /* Cyrillic is cut at a character boundary, not inside one. */
    char cyr[400] = "category/";
    for (int i = 0; i < 40; i++)
        strcat(cyr, "ж");
    assert_false(route_parse(cyr, &r, err, sizeof err));
    char *q = strstr(err, "...");
    assert_non_null(q);
    assert_true((unsigned char)q[-1] == 0xB6 && (unsigned char)q[-2] == 0xD0);
    /* A small or missing error buffer is fine. */
    char tiny[8];
    assert_false(route_parse("nonsense-route", &r, tiny, sizeof tiny));
    assert_int_equal(strlen(tiny), 7);
    assert_false(route_parse("nonsense-route", &r, NULL, 0));
    /* Every message fits ROUTE_ERROR_MAX. */
    char longest[ROUTE_STRING_MAX + 1] = "deck/";
    memset(longest + 5, 'a', 64);
    strcpy(longest + 69, "/");
    memset(longest + 70, '\xd0', 100);
    longest[170] = '\0';
    char big[1024];
    assert_false(route_parse(longest, &r, big, sizeof big));
    assert_true(strlen(big) < ROUTE_ERROR_MAX);
}

static void test_format_small_buffer(void **state)
{
    (void)state;
    route r = parse_ok("item/art-12#clause-3");
    char buf[32];
    memset(buf, 'X', sizeof buf);
    assert_false(route_format(&r, buf, 10));
    assert_string_equal(buf, ""); /* no truncated route that names something else */
    assert_int_equal(buf[10], 'X'); /* nothing written past the given size */
    assert_false(route_format(&r, buf, 20)); /* needs 21 with the NUL */
    assert_true(route_format(&r, buf, 21));
    assert_string_equal(buf, "item/art-12#clause-3");
    assert_false(route_format(&r, buf, 0));
}

static void random_id(char *out, int max)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
    int n = 1 + rand() % max;
    for (int i = 0; i < n; i++)
        out[i] = set[rand() % (int)(sizeof set - 1)];
    out[n] = '\0';
}

static void test_round_trip_random_routes(void **state)
{
    (void)state;
    srand(2025);
    for (int i = 0; i < 5000; i++) {
        route r;
        memset(&r, 0, sizeof r);
        r.kind = (route_kind)(rand() % 6);
        switch (r.kind) {
        case ROUTE_CATEGORY:
            random_id(r.id, ROUTE_ID_MAX);
            break;
        case ROUTE_ITEM:
            random_id(r.id, ROUTE_ID_MAX);
            if (rand() % 2)
                random_id(r.anchor, ROUTE_ID_MAX);
            break;
        case ROUTE_DECK:
            random_id(r.id, ROUTE_ID_MAX);
            r.card = 1 + rand() % ROUTE_CARD_MAX;
            break;
        case ROUTE_SEARCH: {
            /* Printable ASCII and Cyrillic, up to the byte cap. */
            size_t n = 0, want = (size_t)(rand() % (ROUTE_QUERY_MAX + 1));
            while (n < want) {
                if (rand() % 3 == 0 && n + 2 <= want) {
                    int cp = 0x400 + rand() % 0x100;
                    r.query[n++] = (char)(0xC0 | (cp >> 6));
                    r.query[n++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    r.query[n++] = (char)(0x20 + rand() % 95);
                }
                if (n + 1 >= want)
                    break;
            }
            r.query[n] = '\0';
            break;
        }
        default:
            break;
        }
        char buf[ROUTE_STRING_MAX + 1], buf2[ROUTE_STRING_MAX + 1];
        assert_true(route_format(&r, buf, sizeof buf));
        route back;
        char err[ROUTE_ERROR_MAX];
        if (!route_parse(buf, &back, err, sizeof err))
            fail_msg("'%s' did not parse back: %s", buf, err);
        assert_true(route_equal(&r, &back));
        assert_true(route_format(&back, buf2, sizeof buf2));
        assert_string_equal(buf, buf2);
    }
}

static void test_random_bytes_never_crash(void **state)
{
    (void)state;
    /* A poor man's fuzzer: mutations of valid routes. What parses must format
     * and parse back to the same thing. */
    static const char *seeds[] = {"home", "item/a-1#b", "deck/x/12", "search?q=%D0%B0+b",
                                  "category/c", "admin", "admin/touch"};
    srand(99);
    for (int i = 0; i < 20000; i++) {
        char s[64];
        strcpy(s, seeds[rand() % (int)(sizeof seeds / sizeof seeds[0])]);
        size_t n = strlen(s);
        int edits = 1 + rand() % 3;
        for (int e = 0; e < edits && n + 1 < sizeof s; e++) {
            size_t at = (size_t)rand() % (n + 1);
            char c = (char)(1 + rand() % 255);
            if (rand() % 2 && at < n)
                s[at] = c;
            else {
                memmove(s + at + 1, s + at, n - at + 1);
                s[at] = c;
                n++;
            }
        }
        route r;
        char err[ROUTE_ERROR_MAX];
        if (route_parse(s, &r, err, sizeof err)) {
            char buf[ROUTE_STRING_MAX + 1];
            assert_true(route_format(&r, buf, sizeof buf));
            route back;
            assert_true(route_parse(buf, &back, err, sizeof err));
            assert_true(route_equal(&r, &back));
        } else {
            assert_true(err[0] != '\0');
            for (const char *p = err; *p; p++)
                assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
        }
    }
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(route_kind_name(ROUTE_DECK), "deck");
    assert_string_equal(route_kind_name(ROUTE_SEARCH), "search");
    assert_string_equal(route_kind_name((route_kind)42), "?");
}

static route item(const char *id)
{
    route r;
    memset(&r, 0, sizeof r);
    r.kind = ROUTE_ITEM;
    strcpy(r.id, id);
    return r;
}

static void test_history_push_back(void **state)
{
    (void)state;
    route_history h;
    route_history_init(&h);
    route out;
    int scroll = -1;
    assert_int_equal(route_history_depth(&h), 0);
    assert_false(route_history_back(&h, &out, &scroll));

    route home = route_home(), a = item("a"), b = item("b");
    route_history_push(&h, &home, 0);
    route_history_push(&h, &a, 1234);
    route_history_push(&h, &b, 56);
    assert_int_equal(route_history_depth(&h), 3);
    assert_true(route_history_back(&h, &out, &scroll));
    assert_true(route_equal(&out, &b));
    assert_int_equal(scroll, 56);
    assert_true(route_history_back(&h, &out, &scroll));
    assert_true(route_equal(&out, &a));
    assert_int_equal(scroll, 1234);
    assert_true(route_history_back(&h, &out, NULL)); /* scroll not wanted */
    assert_true(route_equal(&out, &home));
    assert_false(route_history_back(&h, &out, &scroll));
    assert_int_equal(route_history_depth(&h), 0);
}

static void test_history_repeat_updates_top(void **state)
{
    (void)state;
    route_history h;
    route_history_init(&h);
    route a = item("a"), a2 = item("a");
    route_history_push(&h, &a, 10);
    route_history_push(&h, &a2, 20);
    assert_int_equal(route_history_depth(&h), 1);
    route out;
    int scroll;
    assert_true(route_history_back(&h, &out, &scroll));
    assert_int_equal(scroll, 20);
    /* Same item, another anchor: a different screen. */
    strcpy(a2.anchor, "p2");
    route_history_push(&h, &a, 0);
    route_history_push(&h, &a2, 0);
    assert_int_equal(route_history_depth(&h), 2);
}

static void test_history_drops_oldest(void **state)
{
    (void)state;
    route_history h;
    route_history_init(&h);
    for (int i = 0; i < ROUTE_HISTORY_MAX + 8; i++) {
        char id[8];
        snprintf(id, sizeof id, "i%d", i);
        route r = item(id);
        route_history_push(&h, &r, i * 100);
    }
    assert_int_equal(route_history_depth(&h), ROUTE_HISTORY_MAX);
    route out;
    int scroll;
    for (int i = ROUTE_HISTORY_MAX + 7; i >= 8; i--) {
        char id[8];
        snprintf(id, sizeof id, "i%d", i);
        assert_true(route_history_back(&h, &out, &scroll));
        assert_string_equal(out.id, id);
        assert_int_equal(scroll, i * 100);
    }
    assert_false(route_history_back(&h, &out, &scroll));
}

static void test_history_clear(void **state)
{
    (void)state;
    route_history h;
    route_history_init(&h);
    route a = item("a");
    route_history_push(&h, &a, 1);
    route_history_push(&h, &(route){.kind = ROUTE_ADMIN}, 2);
    route_history_clear(&h);
    assert_int_equal(route_history_depth(&h), 0);
    route out;
    assert_false(route_history_back(&h, &out, NULL));
    route_history_push(&h, &a, 3); /* usable after clearing */
    assert_int_equal(route_history_depth(&h), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_routes),
        cmocka_unit_test(test_category_and_item),
        cmocka_unit_test(test_deck),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_search_rejects_bad_encoding),
        cmocka_unit_test(test_search_rejects_bad_utf8),
        cmocka_unit_test(test_length_limits),
        cmocka_unit_test(test_unknown_and_malformed),
        cmocka_unit_test(test_error_messages_are_safe),
        cmocka_unit_test(test_format_small_buffer),
        cmocka_unit_test(test_round_trip_random_routes),
        cmocka_unit_test(test_random_bytes_never_crash),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_history_push_back),
        cmocka_unit_test(test_history_repeat_updates_top),
        cmocka_unit_test(test_history_drops_oldest),
        cmocka_unit_test(test_history_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
