/* libFuzzer target for image headers (assets in bundles and content
 * folders): imginfo_probe must stay inside the buffer and accept only
 * sizes within its limit. Built by tests/fuzz/CMakeLists.txt. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imginfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A heap copy of exactly size bytes, so ASan sees any read past it. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    imginfo info;
    char err[256];
    if (imginfo_probe(copy, size, &info, err, sizeof err) == 0) {
        if (!info.width || !info.height || info.width > IMGINFO_MAX_SIDE || info.height > IMGINFO_MAX_SIDE ||
            !info.mime)
            abort();
    } else if (memchr(err, 0, sizeof err) == NULL) {
        abort();
    }
    free(copy);
    return 0;
}
