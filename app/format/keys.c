#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"

#define KEY_FILE_MAX 4096

/* Writes data to path, created exclusively with mode; fsynced. */
static int write_new(const char *path, const char *data, mode_t mode, char *err, size_t errcap)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0) {
        snprintf(err, errcap, "%s: %s", path,
                 errno == EEXIST ? "already exists (a key is never overwritten; move it away first)" : strerror(errno));
        return -1;
    }
    size_t len = strlen(data);
    ssize_t n = write(fd, data, len);
    if (n != (ssize_t)len || fsync(fd) < 0) {
        snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

int keys_generate(const char *dir, char id[META_KEYID_LEN + 1], char *err, size_t errcap)
{
    char key_path[PLATFORM_PATH_MAX], pub_path[PLATFORM_PATH_MAX];
    if (sodium_init() < 0) {
        snprintf(err, errcap, "libsodium failed to initialise");
        return -1;
    }
    if (platform_make_dirs(dir, 0700, err, errcap) < 0)
        return -1;
    snprintf(key_path, sizeof key_path, "%s/publisher.key", dir);
    snprintf(pub_path, sizeof pub_path, "%s/publisher.pub", dir);
    if (platform_is_file(key_path) || platform_is_file(pub_path)) {
        snprintf(err, errcap, "%s: a key already exists there (a key is never overwritten; move it away first)",
                 dir);
        return -1;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    meta_key_id(pk, id);
    char sk_hex[2 * sizeof sk + 1], pk_hex[2 * sizeof pk + 1];
    sodium_bin2hex(sk_hex, sizeof sk_hex, sk, sizeof sk);
    sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
    char text[512];
    snprintf(text, sizeof text, "infopoint-secret-key 1\n%s\n", sk_hex);
    sodium_memzero(sk, sizeof sk);
    int rc = write_new(key_path, text, 0600, err, errcap);
    sodium_memzero(text, sizeof text);
    sodium_memzero(sk_hex, sizeof sk_hex);
    if (rc < 0)
        return -1;
    snprintf(text, sizeof text, "infopoint-public-key 1\nkey %s %s\n", id, pk_hex);
    if (write_new(pub_path, text, 0644, err, errcap) < 0) {
        unlink(key_path);
        return -1;
    }
    return 0;
}

/* Reads a small key file into buf and checks its first line. */
static int read_key_file(const char *path, const char *header, char **buf, char *err, size_t errcap)
{
    size_t len;
    char why[300];
    if (platform_read_file(path, KEY_FILE_MAX, buf, &len, why, sizeof why) < 0) {
        snprintf(err, errcap, "%s", why);
        return -1;
    }
    size_t hl = strlen(header);
    if (len < hl + 1 || memcmp(*buf, header, hl) != 0 || (*buf)[hl] != '\n') {
        snprintf(err, errcap, "%s: not an infopoint key file (first line must be '%s')", path, header);
        free(*buf);
        *buf = NULL;
        return -1;
    }
    return 0;
}

int keys_read_public(const char *path, meta_key *out, char *err, size_t errcap)
{
    char *buf = NULL;
    if (read_key_file(path, "infopoint-public-key 1", &buf, err, errcap) < 0)
        return -1;
    char id[64] = "", hex[128] = "", extra[8] = "";
    const char *line = buf + strlen("infopoint-public-key 1\n");
    int n = sscanf(line, "key %63s %127s %7s", id, hex, extra);
    size_t got = 0;
    int rc = -1;
    if (n != 2 || strlen(hex) != 64 ||
        sodium_hex2bin(out->pk, sizeof out->pk, hex, 64, NULL, &got, NULL) != 0 || got != 32) {
        snprintf(err, errcap, "%s: expected a line 'key <id> <64 hex digits>'", path);
        goto done;
    }
    meta_key_id(out->pk, out->id);
    if (strcmp(out->id, id) != 0) {
        snprintf(err, errcap, "%s: key id %s does not match the key (damaged file?)", path, id);
        goto done;
    }
    rc = 0;
done:
    free(buf);
    return rc;
}

int keys_read_secret(const char *path, unsigned char sk[64], char *err, size_t errcap)
{
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077)) {
        snprintf(err, errcap, "%s: others may read this secret key (mode %03o); chmod 600 it", path,
                 (unsigned)(st.st_mode & 0777));
        return -1;
    }
    char *buf = NULL;
    if (read_key_file(path, "infopoint-secret-key 1", &buf, err, errcap) < 0)
        return -1;
    const char *hex = buf + strlen("infopoint-secret-key 1\n");
    size_t hl = strcspn(hex, "\n"), got = 0;
    int rc = 0;
    if (hl != 128 || sodium_hex2bin(sk, 64, hex, hl, NULL, &got, NULL) != 0 || got != 64) {
        snprintf(err, errcap, "%s: expected 128 hex digits on the second line", path);
        rc = -1;
    } else {
        /* The secret key embeds its public half: check they belong together. */
        unsigned char seed[32], pk[32], sk2[64];
        crypto_sign_ed25519_sk_to_seed(seed, sk);
        crypto_sign_seed_keypair(pk, sk2, seed);
        if (sodium_memcmp(sk, sk2, 64) != 0) {
            snprintf(err, errcap, "%s: damaged secret key (its halves do not match)", path);
            rc = -1;
        }
        sodium_memzero(seed, sizeof seed);
        sodium_memzero(sk2, sizeof sk2);
    }
    sodium_memzero(buf, strlen(buf));
    free(buf);
    return rc;
}
