/* libFuzzer target for the kiosk's config file: parse over the defaults,
 * print every warning, format the result, and the formatted config must
 * parse again without a warning. Built by tests/fuzz/CMakeLists.txt. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *user, const char *line)
{
    /* What reaches a terminal: never a control character but the newline. */
    for (const unsigned char *p = (const unsigned char *)line; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            abort();
    (void)user;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static config c, again;
    static config_report rep, rep2;
    static char text[64 * 1024];
    config_defaults(&c);
    memset(&rep, 0, sizeof rep);
    config_parse(&c, (const char *)data, size, "/etc/infopoint/infopoint.conf", &rep);
    config_report_lines(&rep, sink, NULL);
    size_t n = config_format(&c, text, sizeof text);
    if (n < sizeof text) {
        config_defaults(&again);
        memset(&rep2, 0, sizeof rep2);
        config_parse(&again, text, n, "/etc/infopoint/infopoint.conf", &rep2);
        if (config_report_lines(&rep2, sink, NULL) != 0)
            abort(); /* what --print-config writes must read back as it is */
    }
    return 0;
}
