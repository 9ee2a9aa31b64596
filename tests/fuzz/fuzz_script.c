/* libFuzzer target for input scripts (--script, tests): parse, and every
 * step's text is a terminated string of its op. Built by
 * tests/fuzz/CMakeLists.txt; run by fuzz_short.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    script sc;
    char err[256];
    if (script_parse((const char *)data, size, &sc, err, sizeof err) == 0) {
        if (sc.n > SCRIPT_MAX_STEPS)
            abort();
        for (size_t i = 0; i < sc.n; i++)
            if (memchr(sc.steps[i].text, 0, sizeof sc.steps[i].text) == NULL || sc.steps[i].line < 1)
                abort();
        script_free(&sc);
    }
    return 0;
}
