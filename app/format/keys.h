/* keys — the publisher's Ed25519 key files (libsodium).
 *
 *   publisher.key   "infopoint-secret-key 1" and 128 hex digits (the 64-byte
 *                   libsodium secret key); mode 0600; never in a repository
 *                   or a bundle
 *   publisher.pub   "infopoint-public-key 1" and a line "key <id> <hex>", the
 *                   same line root metadata lists a trusted key with
 *
 * Kiosks pin the public key (`--trust DIR/publisher.pub`). */
#pragma once

#include <stddef.h>

#include "meta.h"

/* Makes a key pair and writes DIR/publisher.key and DIR/publisher.pub (DIR
 * is created if missing). Refuses to overwrite an existing key. Returns 0,
 * or -1 with err. id receives the key id. */
int keys_generate(const char *dir, char id[META_KEYID_LEN + 1], char *err, size_t errcap);

/* Reads a public key file. Returns 0, or -1 with "path: reason". */
int keys_read_public(const char *path, meta_key *out, char *err, size_t errcap);

/* Reads a secret key file; refuses one that others may read. Returns 0, or
 * -1 with "path: reason". */
int keys_read_secret(const char *path, unsigned char sk[64], char *err, size_t errcap);
