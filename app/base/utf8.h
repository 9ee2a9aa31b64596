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

/* Where to cut s to at most n bytes without splitting a sequence: n, moved
 * back over continuation bytes (10xxxxxx). s[n] must be readable (n at most
 * the string's length). */
size_t utf8_cut(const char *s, size_t n);

/* Start of the code point before byte i (i > 0): i - 1, moved back over
 * continuation bytes. */
size_t utf8_prev(const char *s, size_t i);

/* Bytes of the character at s: its lead byte and the continuation bytes
 * after it (at least 1; never past a NUL). */
size_t utf8_char_len(const char *s);

/* Code points in s[0..len): the bytes that are not continuation bytes. */
size_t utf8_count(const char *s, size_t len);

/* Copies in to out (cap bytes, always NUL-terminated) with every control
 * byte (below 0x20, and 0x7F) written as \xHH, for text that reaches a
 * terminal: an ESC in a file name must not clear the screen, nor a newline
 * split a message. Stops before a character that does not fit whole. */
void utf8_escape_controls(const char *in, char *out, size_t cap);

/* The offset of the first control character in s[0..len) other than tab,
 * newline and carriage return (C0, DEL, or a C1 code point U+0080..U+009F
 * in valid UTF-8), or len when there is none. */
size_t utf8_find_control(const char *s, size_t len);
