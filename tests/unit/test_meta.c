/* Signed repository metadata: format, signatures, thresholds, key rotation,
 * expiry with a time floor, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"

typedef struct {
    unsigned char pk[32], sk[64];
    char id[META_KEYID_LEN + 1];
    char pk_hex[65];
} keypair;

static void make_key(keypair *k)
{
    crypto_sign_keypair(k->pk, k->sk);
    meta_key_id(k->pk, k->id);
    sodium_bin2hex(k->pk_hex, sizeof k->pk_hex, k->pk, 32);
}

static char *sign_with(const char *body, const keypair *const *keys, int n, size_t *len)
{
    unsigned char sks[8][64];
    for (int i = 0; i < n; i++)
        memcpy(sks[i], keys[i]->sk, 64);
    char *out = meta_sign(body, strlen(body), (const unsigned char(*)[64])sks, n, len);
    assert_non_null(out);
    return out;
}

static const char snapshot_body[] =
    "infopoint-meta 1\n"
    "role snapshot\n"
    "version 7\n"
    "expires 2030-01-01T00:00:00Z\n"
    "digest 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5\n"
    "bundle-version 3\n"
    "file bins/00.txt 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5 120\n"
    "file objects/ab 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5 0\n";

static void root_body(char *out, size_t cap, int version, int threshold, const keypair *const *keys, int n)
{
    int o = snprintf(out, cap, "infopoint-meta 1\nrole root\nversion %d\nexpires 2031-06-30T12:00:00Z\nthreshold %d\n",
                     version, threshold);
    for (int i = 0; i < n; i++)
        o += snprintf(out + o, cap - (size_t)o, "key %s %s\n", keys[i]->id, keys[i]->pk_hex);
}

static void test_sign_parse_verify(void **state)
{
    (void)state;
    keypair a, b;
    make_key(&a);
    make_key(&b);
    const keypair *ka[] = {&a};
    size_t len;
    char *doc_text = sign_with(snapshot_body, ka, 1, &len);
    meta_doc d;
    char err[256] = "";
    if (meta_parse(doc_text, len, &d, err, sizeof err) < 0)
        fail_msg("parse: %s", err);
    assert_int_equal(d.role, META_SNAPSHOT);
    assert_int_equal(d.version, 7);
    assert_int_equal(d.bundle_version, 3);
    assert_int_equal(d.n_files, 2);
    assert_string_equal(d.files[0].path, "bins/00.txt");
    assert_int_equal(d.files[0].length, 120);
    assert_int_equal(d.signed_len, strlen(snapshot_body));
    meta_key trusted_a = {{0}, {0}}, trusted_b = {{0}, {0}};
    memcpy(trusted_a.id, a.id, sizeof a.id);
    memcpy(trusted_a.pk, a.pk, 32);
    memcpy(trusted_b.id, b.id, sizeof b.id);
    memcpy(trusted_b.pk, b.pk, 32);
    assert_int_equal(meta_verify(&d, doc_text, &trusted_a, 1, 1, err, sizeof err), 0);
    /* The wrong key. */
    assert_int_equal(meta_verify(&d, doc_text, &trusted_b, 1, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "0 valid signatures of 1 needed"));
    /* A threshold of two is not met by one key, even signing twice. */
    const keypair *aa[] = {&a, &a};
    char *twice = sign_with(snapshot_body, aa, 2, &len);
    meta_doc d2;
    assert_int_equal(meta_parse(twice, len, &d2, err, sizeof err), 0);
    meta_key both[2] = {trusted_a, trusted_b};
    assert_int_equal(meta_verify(&d2, twice, both, 2, 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "1 valid signature of 2"));
    /* Two different keys meet it. */
    const keypair *ab[] = {&a, &b};
    char *two = sign_with(snapshot_body, ab, 2, &len);
    meta_doc d3;
    assert_int_equal(meta_parse(two, len, &d3, err, sizeof err), 0);
    assert_int_equal(meta_verify(&d3, two, both, 2, 2, err, sizeof err), 0);
    meta_free(&d);
    meta_free(&d2);
    meta_free(&d3);
    free(doc_text);
    free(twice);
    free(two);
}

static void test_tampering_breaks_the_signature(void **state)
{
    (void)state;
    keypair a;
    make_key(&a);
    const keypair *ka[] = {&a};
    size_t len;
    char *text = sign_with(snapshot_body, ka, 1, &len);
    meta_key trusted = {{0}, {0}};
    memcpy(trusted.id, a.id, sizeof a.id);
    memcpy(trusted.pk, a.pk, 32);
    char err[256];
    /* Every single-byte change of the signed part that still parses must
     * fail verification: version 7 → 8, another digest, another length. */
    const char *edits[][2] = {{"version 7", "version 8"}, {"bundle-version 3", "bundle-version 4"}, {" 120\n", " 121\n"}};
    for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
        char *copy = strdup(text);
        char *at = strstr(copy, edits[i][0]);
        assert_non_null(at);
        memcpy(at, edits[i][1], strlen(edits[i][1]));
        meta_doc d;
        assert_int_equal(meta_parse(copy, len, &d, err, sizeof err), 0);
        assert_int_equal(meta_verify(&d, copy, &trusted, 1, 1, err, sizeof err), -1);
        meta_free(&d);
        free(copy);
    }
    /* Random byte changes anywhere: never a crash, never accepted. */
    srand(7);
    for (int i = 0; i < 20000; i++) {
        char *copy = malloc(len);
        memcpy(copy, text, len);
        size_t at = (size_t)rand() % len;
        copy[at] = (char)(copy[at] ^ (1 + rand() % 255));
        meta_doc d;
        if (meta_parse(copy, len, &d, err, sizeof err) == 0) {
            if (meta_verify(&d, copy, &trusted, 1, 1, err, sizeof err) == 0)
                fail_msg("a change at byte %zu was accepted", at);
            meta_free(&d);
        }
        free(copy);
    }
    free(text);
}

static void test_root_rotation(void **state)
{
    (void)state;
    keypair a, b, c;
    make_key(&a);
    make_key(&b);
    make_key(&c);
    char body[2048];
    size_t len1, len2, len3, len4;
    const keypair *ka[] = {&a}, *kb[] = {&b}, *kab[] = {&a, &b}, *kcb[] = {&c, &b};
    root_body(body, sizeof body, 1, 1, ka, 1);
    char *r1 = sign_with(body, ka, 1, &len1);
    root_body(body, sizeof body, 2, 1, kb, 1);
    char *r2_good = sign_with(body, kab, 2, &len2); /* current key A and new key B */
    char *r2_new_only = sign_with(body, kb, 1, &len3); /* B alone: an attacker's own key */
    char *r2_wrong = sign_with(body, kcb, 2, &len4);   /* C is not trusted */
    meta_doc d1, d2, d3, d4;
    char err[256];
    assert_int_equal(meta_parse(r1, len1, &d1, err, sizeof err), 0);
    assert_int_equal(meta_parse(r2_good, len2, &d2, err, sizeof err), 0);
    assert_int_equal(meta_parse(r2_new_only, len3, &d3, err, sizeof err), 0);
    assert_int_equal(meta_parse(r2_wrong, len4, &d4, err, sizeof err), 0);
    assert_int_equal(meta_verify_root_update(&d1, &d2, r2_good, err, sizeof err), 0);
    assert_int_equal(meta_verify_root_update(&d1, &d3, r2_new_only, err, sizeof err), -1);
    assert_non_null(strstr(err, "not signed by the current keys"));
    assert_int_equal(meta_verify_root_update(&d1, &d4, r2_wrong, err, sizeof err), -1);
    /* No skipping versions, no going back. */
    assert_int_equal(meta_verify_root_update(&d2, &d2, r2_good, err, sizeof err), -1);
    assert_non_null(strstr(err, "does not follow"));
    /* A root may carry a version floor (what kiosks accept after it). */
    size_t len5;
    root_body(body, sizeof body, 2, 1, kb, 1);
    strcat(body, "version-floor 41\n");
    char *r2_floor = sign_with(body, kab, 2, &len5);
    meta_doc d5;
    assert_int_equal(meta_parse(r2_floor, len5, &d5, err, sizeof err), 0);
    assert_true(d5.version_floor == 41);
    assert_int_equal(meta_verify_root_update(&d1, &d5, r2_floor, err, sizeof err), 0);
    assert_true(d2.version_floor == 0);
    meta_free(&d5);
    free(r2_floor);
    meta_free(&d1);
    meta_free(&d2);
    meta_free(&d3);
    meta_free(&d4);
    free(r1);
    free(r2_good);
    free(r2_new_only);
    free(r2_wrong);
}

static void test_expiry_and_time_floor(void **state)
{
    (void)state;
    meta_doc d;
    memset(&d, 0, sizeof d);
    d.role = META_TIMESTAMP;
    assert_int_equal(meta_parse_time("2030-01-01T00:00:00Z", &d.expires), 0);
    int64_t before, after;
    assert_int_equal(meta_parse_time("2029-12-31T23:59:59Z", &before), 0);
    assert_int_equal(meta_parse_time("2030-01-01T00:00:01Z", &after), 0);
    char err[200];
    assert_int_equal(meta_check_expiry(&d, before, 0, err, sizeof err), 0);
    assert_int_equal(meta_check_expiry(&d, after, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "expired at 2030-01-01T00:00:00Z"));
    /* A Pi that booted with its clock at 1970 still knows how late it is. */
    assert_int_equal(meta_check_expiry(&d, 0, after, err, sizeof err), -1);
    assert_int_equal(meta_check_expiry(&d, 0, before, err, sizeof err), 0);
}

static void test_times(void **state)
{
    (void)state;
    int64_t t;
    char back[21];
    const char *good[] = {"1970-01-01T00:00:00Z", "2024-02-29T12:34:56Z", "2026-11-28T00:21:31Z", "9999-12-31T23:59:59Z"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_int_equal(meta_parse_time(good[i], &t), 0);
        meta_format_time(t, back);
        assert_string_equal(back, good[i]);
    }
    assert_int_equal(meta_parse_time("1970-01-02T00:00:00Z", &t), 0);
    assert_int_equal(t, 86400);
    const char *bad[] = {"2026-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T24:00:00Z",
                         "2026-1-01T00:00:00Z",  "1969-12-31T23:59:59Z", "2026-01-01T00:00:00",  "+026-01-01T00:00:00Z",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(meta_parse_time(bad[i], &t), -1);
}

static void expect_bad(const char *text, const char *fragment)
{
    meta_doc d;
    char err[256] = "";
    assert_int_equal(meta_parse(text, strlen(text), &d, err, sizeof err), -1);
    if (!strstr(err, fragment))
        fail_msg("'%s' lacks '%s'", err, fragment);
    assert_null(d.files);
}

#define HEAD "infopoint-meta 1\nrole timestamp\nversion 1\nexpires 2030-01-01T00:00:00Z\n"
#define SIG "--\nsig 0123456789abcdef " \
            "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\n"

static void test_malformed(void **state)
{
    (void)state;
    expect_bad("", "no signature block");
    expect_bad("hello\n" SIG, "line 1: not infopoint metadata");
    expect_bad("infopoint-meta 2\n" SIG, "metadata format 2 is not supported");
    expect_bad(HEAD "version 2\n" SIG, "line 5: 'version' given twice");
    expect_bad(HEAD "colour blue\n" SIG, "line 5: unknown or malformed line 'colour'");
    expect_bad(HEAD "file ../../etc/passwd 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5 1\n" SIG,
               "unsafe or malformed path");
    expect_bad(HEAD "file /etc/passwd 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5 1\n" SIG,
               "unsafe or malformed path");
    expect_bad(HEAD "file a 769695cf 1\n" SIG, "64-hex sha256");
    expect_bad(HEAD "file a 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5 -1\n" SIG,
               "length must be a number");
    expect_bad(HEAD "file a 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5 99999999999999999999\n" SIG,
               "length must be a number");
    expect_bad(HEAD "threshold 1\n" SIG, "only root lists keys");
    expect_bad(HEAD "version-floor 3\n" SIG, "only root lists keys");
    expect_bad("infopoint-meta 1\nrole root\nversion-floor 0\n" SIG, "version-floor must be a positive integer");
    expect_bad("infopoint-meta 1\nrole root\nversion-floor 2\nversion-floor 2\n" SIG, "'version-floor' given twice");
    expect_bad(HEAD "digest 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5\n" SIG,
               "only snapshot names the content");
    expect_bad("infopoint-meta 1\nrole snapshot\nversion 1\nexpires 2030-01-01T00:00:00Z\n" SIG,
               "snapshot needs the content digest");
    expect_bad("infopoint-meta 1\nrole root\nversion 1\nexpires 2030-01-01T00:00:00Z\nthreshold 2\n" SIG,
               "root needs a threshold and at least that many keys");
    expect_bad("infopoint-meta 1\nrole root\nversion 1\nexpires 2030-01-01T00:00:00Z\nthreshold 1\n"
               "key 0123456789abcdef 0000000000000000000000000000000000000000000000000000000000000000\n" SIG,
               "does not match its key");
    expect_bad(HEAD "--\n", "no signatures");
    expect_bad(HEAD "--\nsig nothex 00\n", "sig wants");
    expect_bad(HEAD SIG "extra\n", "expected 'sig");
    expect_bad(HEAD SIG "sig", "does not end with a newline");
    expect_bad("infopoint-meta 1\nrole timestamp\nversion 0\n" SIG, "version must be a positive integer");
    expect_bad("infopoint-meta 1\nrole timestamp\nversion 01\n" SIG, "version must be a positive integer");
    expect_bad("infopoint-meta 1\nrole timestamp\nexpires tomorrow\n" SIG, "expires must be");
    expect_bad("infopoint-meta 1\nrole timestamp\n" SIG, "role, version and expires are required");
    expect_bad("infopoint-meta 1\nrole tardis\n" SIG, "unknown role 'tardis'");
    expect_bad("infopoint-meta 1\n\n" SIG, "empty line");
    expect_bad("infopoint-meta 1\nrole bin\nversion 2\n", "a bin lists files only");
    expect_bad("infopoint-meta 1\nrole bin\n" SIG, "a bin lists files only");
    {
        const char bin[] = "infopoint-meta 1\nrole bin\n"
                           "file items/x 769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5 10\n";
        meta_doc b;
        char e[100];
        assert_int_equal(meta_parse(bin, sizeof bin - 1, &b, e, sizeof e), 0);
        assert_int_equal(b.role, META_BIN);
        assert_int_equal(b.n_files, 1);
        meta_free(&b);
    }
    const char nul[] = "infopoint-meta 1\n\0role timestamp\n";
    meta_doc d;
    char err[100];
    assert_int_equal(meta_parse(nul, sizeof nul - 1, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "not UTF-8 text"));
    char big[1200];
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = '\0';
    char *text = malloc(sizeof big + 64);
    snprintf(text, sizeof big + 64, "infopoint-meta 1\n%s\n", big);
    expect_bad(text, "line 2: line too long");
    free(text);
}

/* meta_parse used to compare every file entry with every earlier one: an
 * unsigned root or bin of 4 MB cost seconds of CPU per sync (issue 15).
 * The path index is a merge sort: the comparisons are counted, not timed. */
static void test_duplicates_are_found_in_n_log_n(void **state)
{
    (void)state;
    enum { N = 65536 };
    meta_file *files = calloc(N, sizeof *files);
    size_t *order = calloc(N, sizeof *order);
    assert_non_null(files);
    assert_non_null(order);
    /* Hostile: 120 equal characters before the part that differs, in
     * descending order (the worst case of the old scan and of naive sorts). */
    for (size_t i = 0; i < N; i++)
        snprintf(files[i].path, sizeof files[i].path, "%0120d%06zu", 0, (size_t)N - i);
    uint64_t compares = 0;
    assert_int_equal(meta_sort_paths(files, N, order, &compares), 0);
    assert_true(compares <= (uint64_t)N * 16); /* n log2 n; the old scan: n²/2 = 2.1e9 */
    for (size_t i = 1; i < N; i++)
        assert_true(strcmp(files[order[i - 1]].path, files[order[i]].path) < 0);
    free(files);
    free(order);

    /* A bin as large as metadata may be, with a duplicate at its end. */
    enum { M = 44000 };
    static const char hash[] = "769695cf32057d8d6715b60affeef34d3c5b534613b818567b685cf902673bc5";
    size_t cap = 64 + (size_t)(M + 1) * 100, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    len += (size_t)snprintf(buf + len, cap - len, "infopoint-meta 1\nrole bin\n");
    for (int i = 0; i < M; i++)
        len += (size_t)snprintf(buf + len, cap - len, "file items/%07d %s %d\n", M - i, hash, i);
    meta_doc d;
    char err[200];
    assert_true(len <= META_MAX_BYTES);
    assert_int_equal(meta_parse(buf, len, &d, err, sizeof err), 0);
    assert_int_equal(d.n_files, M);
    assert_non_null(meta_find(&d, "items/0000001"));
    assert_true(meta_find(&d, "items/0000001")->length == M - 1);
    assert_null(meta_find(&d, "items/0000000"));
    assert_null(meta_find(&(meta_doc){0}, "items/0000001"));
    meta_free(&d);
    len += (size_t)snprintf(buf + len, cap - len, "file items/%07d %s 1\n", 7, hash);
    assert_int_equal(meta_parse(buf, len, &d, err, sizeof err), -1);
    assert_string_equal(err, "line 44003: file items/0000007 listed twice");
    free(buf);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_parse_verify),
        cmocka_unit_test(test_tampering_breaks_the_signature),
        cmocka_unit_test(test_root_rotation),
        cmocka_unit_test(test_expiry_and_time_floor),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_duplicates_are_found_in_n_log_n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
