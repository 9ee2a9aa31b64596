/* libFuzzer target for the INI reader (bundle.conf, infopoint.conf): every
 * entry, section and issue must point where the contract says. Built by
 * tests/fuzz/CMakeLists.txt (-DINFOPOINT_FUZZ=ON, clang); run by
 * tests/cli/fuzz_short.sh and `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ini_doc *doc = ini_parse((const char *)data, size);
    if (!doc)
        return 0;
    if (doc->n_sections == 0 || doc->sections[0].name[0] != '\0')
        abort();
    for (size_t i = 0; i < doc->n_entries; i++) {
        const ini_entry *e = &doc->entries[i];
        if (e->section >= doc->n_sections || !e->key[0] || e->line < 1)
            abort();
        (void)strlen(e->value);
        if (ini_find(doc, e->section, e->key) == NULL)
            abort();
        (void)ini_get(doc, doc->sections[e->section].name, e->key);
    }
    for (size_t i = 0; i < doc->n_issues; i++)
        if (doc->issues[i].line < 1 || memchr(doc->issues[i].message, 0, sizeof doc->issues[i].message) == NULL)
            abort();
    ini_free(doc);
    return 0;
}
