/* libFuzzer target for routes (deep links, `open` in scripts, the
 * operator's start screen): what parses must format back and parse to the
 * same route. Built by tests/fuzz/CMakeLists.txt; run by fuzz_short.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    route r, back;
    char err[256], text[1024];
    if (route_parse(s, &r, err, sizeof err)) {
        if (!route_format(&r, text, sizeof text) || !route_parse(text, &back, err, sizeof err) ||
            !route_equal(&r, &back))
            abort();
        (void)route_kind_name(r.kind);
        route_history h;
        int scroll;
        route_history_init(&h);
        route_history_push(&h, &r, 0);
        route_history_push(&h, &back, 1);
        if (!route_history_back(&h, &back, &scroll) || !route_equal(&r, &back))
            abort();
    }
    free(s);
    return 0;
}
