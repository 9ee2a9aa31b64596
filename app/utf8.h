/* utf8 — validating, decoding and encoding UTF-8. Pure. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF);
 * else 0 with the offset of the first bad byte in *bad (when bad != NULL). */
int utf8_valid(const char *s, size_t len, size_t *bad);

/* Decodes one code point at s; returns its length in bytes (1..4), or -1 for
 * an invalid sequence (then *cp is U+FFFD). len must be > 0. */
int utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out; returns 1..4 (0 for an invalid code point). */
int utf8_encode(uint32_t cp, char out[4]);

/* 1-based line number of byte offset off in s (for file:line messages). */
int utf8_line_of(const char *s, size_t off);
