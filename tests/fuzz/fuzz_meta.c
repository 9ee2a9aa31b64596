/* libFuzzer target for signed repository metadata: parse, then verify
 * against the trusted root and check expiry — what a kiosk does with bytes a
 * hostile server or USB stick sent. The seeds (tests/fuzz/corpus/meta) are
 * a real repository's files made by `infopoint-bundle publish` and
 * `rotate-key` with the key of ROOT_1 below, so signatures verify and the
 * mutations reach every check after them. Built by tests/fuzz/CMakeLists.txt
 * (clang, -DINFOPOINT_FUZZ=ON); run by tests/cli/fuzz_short.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"

/* tests/fuzz/corpus/meta/root-1.txt: the root a kiosk was set up with. */
static const char ROOT_1[] =
    "infopoint-meta 1\n"
    "role root\n"
    "version 1\n"
    "expires 2036-12-02T12:18:45Z\n"
    "threshold 1\n"
    "key 4d1dcd4a6a6ff8cf 4bb558795c6285f333733c27cde09ed7437df95b69cd34d1682a2ce56a75fb6e\n"
    "--\n"
    "sig 4d1dcd4a6a6ff8cf f81d884cf50d9ec92fdac791b966bb827d5d712c2b7970b190d5d7577b7a0ebd0837386f1d54972ff0a657dacc5a4d0e73722d91100b33c6188df3243920de04\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static meta_doc root;
    static int ready;
    char err[256];
    if (!ready) {
        if (meta_parse(ROOT_1, sizeof ROOT_1 - 1, &root, err, sizeof err) < 0)
            abort();
        ready = 1;
    }
    /* meta_verify reads the signed bytes as a string: a copy ending in NUL,
     * as the kiosk's reader makes. */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    meta_doc d;
    if (meta_parse(buf, size, &d, err, sizeof err) == 0) {
        if (d.signed_len > size)
            abort();
        meta_verify(&d, buf, root.keys, root.n_keys, root.threshold, err, sizeof err);
        meta_check_expiry(&d, 0, 1700000000, err, sizeof err);
        if (d.role == META_ROOT) {
            meta_verify_root_update(&root, &d, buf, err, sizeof err);
            meta_verify_root_update(&d, &d, buf, err, sizeof err);
        }
        meta_free(&d);
    }
    free(buf);
    return 0;
}
