/* libFuzzer target for signed repository metadata: parse, then verify
 * against a fixed key and check expiry — what a kiosk does with bytes a
 * hostile server sent. Built and run for a short while by
 * tests/cli/fuzz_short.sh; by hand (from the repository root):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
 *         -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iapp \
 *         tests/fuzz/fuzz_meta.c app/meta.c app/utf8.c \
 *         $(pkg-config --cflags --libs libsodium) -o /tmp/fuzz_meta
 *   /tmp/fuzz_meta -max_total_time=60 -max_len=8192 /tmp/fuzz_meta_corpus
 */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static meta_key key;
    static int ready;
    if (!ready) {
        unsigned char sk[64], seed[32] = {1};
        if (sodium_init() < 0)
            return 0;
        crypto_sign_seed_keypair(key.pk, sk, seed);
        meta_key_id(key.pk, key.id);
        ready = 1;
    }
    meta_doc d;
    char err[256];
    if (meta_parse((const char *)data, size, &d, err, sizeof err) == 0) {
        meta_verify(&d, (const char *)data, &key, 1, 1, err, sizeof err);
        meta_check_expiry(&d, 0, 1700000000, err, sizeof err);
        if (d.role == META_ROOT)
            meta_verify_root_update(&d, &d, (const char *)data, err, sizeof err);
        meta_free(&d);
    }
    return 0;
}
