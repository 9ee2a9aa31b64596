#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys.h"
#include "meta.h"
#include "support.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    support_tempdir(dir, sizeof dir, "ip-keys");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return support_rmtree(dir);
}

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void write_text(const char *name, const char *text, mode_t mode)
{
    char p[128];
    path_of(p, sizeof p, name);
    unlink(p);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(p, mode);
}

static void test_generate_read_sign_verify(void **state)
{
    (void)state;
    char id[META_KEYID_LEN + 1], err[512], kp[128], pp[128];
    char sub[96];
    snprintf(sub, sizeof sub, "%s/new", dir); /* created by keygen */
    assert_int_equal(keys_generate(sub, id, err, sizeof err), 0);
    snprintf(kp, sizeof kp, "%s/publisher.key", sub);
    snprintf(pp, sizeof pp, "%s/publisher.pub", sub);
    struct stat st;
    assert_int_equal(stat(kp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    meta_key pub;
    unsigned char sk[64];
    assert_int_equal(keys_read_public(pp, &pub, err, sizeof err), 0);
    assert_string_equal(pub.id, id);
    assert_int_equal(keys_read_secret(kp, sk, err, sizeof err), 0);
    /* What the secret key signs, the public key verifies. */
    const char body[] = "infopoint-meta 1\nrole timestamp\nversion 1\nexpires 2030-01-01T00:00:00Z\n";
    size_t len;
    char *doc_text = meta_sign(body, strlen(body), (const unsigned char(*)[64])&sk, 1, &len);
    assert_non_null(doc_text);
    meta_doc d;
    assert_int_equal(meta_parse(doc_text, len, &d, err, sizeof err), 0);
    assert_int_equal(meta_verify(&d, doc_text, &pub, 1, 1, err, sizeof err), 0);
    meta_free(&d);
    free(doc_text);
    /* Never overwritten. */
    char id2[META_KEYID_LEN + 1];
    assert_int_equal(keys_generate(sub, id2, err, sizeof err), -1);
    assert_non_null(strstr(err, "never overwritten"));
    assert_int_equal(keys_read_public(pp, &pub, err, sizeof err), 0);
    assert_string_equal(pub.id, id);
}

static void expect_pub_error(const char *text, const char *fragment)
{
    char p[128], err[512] = "";
    meta_key k;
    write_text("x.pub", text, 0644);
    path_of(p, sizeof p, "x.pub");
    assert_int_equal(keys_read_public(p, &k, err, sizeof err), -1);
    if (!strstr(err, fragment))
        fail_msg("'%s' lacks '%s'", err, fragment);
}

static void expect_secret_error(const char *text, mode_t mode, const char *fragment)
{
    char p[128], err[512] = "";
    unsigned char sk[64];
    write_text("x.key", text, mode);
    path_of(p, sizeof p, "x.key");
    assert_int_equal(keys_read_secret(p, sk, err, sizeof err), -1);
    if (!strstr(err, fragment))
        fail_msg("'%s' lacks '%s'", err, fragment);
}

static void test_bad_key_files(void **state)
{
    (void)state;
    char err[512];
    meta_key k;
    unsigned char sk[64];
    assert_int_equal(keys_read_public("/nonexistent/publisher.pub", &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open"));
    expect_pub_error("", "not an infopoint key file");
    expect_pub_error("ssh-ed25519 AAAA\n", "not an infopoint key file");
    expect_pub_error("infopoint-public-key 1\nkey abc\n", "expected a line 'key <id> <64 hex digits>'");
    expect_pub_error("infopoint-public-key 1\nkey 0123456789abcdef "
                     "1529a75bae07452c932215b4e1c299f65c30c0f055798cd3e5015bb5cf4a44e4\n",
                     "does not match the key");
    expect_pub_error("infopoint-public-key 1\nkey 0123456789abcdef "
                     "1529a75bae07452c932215b4e1c299f65c30c0f055798cd3e5015bb5cf4a44eZ\n",
                     "expected a line");
    char good_sk[] = "infopoint-secret-key 1\n"
                     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                     "000000000000000000000000000000000000\n";
    expect_secret_error(good_sk, 0644, "others may read this secret key");
    expect_secret_error("infopoint-secret-key 1\nabcd\n", 0600, "expected 128 hex digits");
    /* 128 hex digits whose public half does not belong to the seed. */
    expect_secret_error(good_sk, 0600, "damaged secret key");
    expect_secret_error("infopoint-public-key 1\n", 0600, "not an infopoint key file");
    assert_int_equal(keys_read_secret("/nonexistent/publisher.key", sk, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_generate_read_sign_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_key_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
