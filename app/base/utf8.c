#include "utf8.h"

#include <stdio.h>
#include <string.h>

int utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c = p[0];
    int n;
    uint32_t min;
    *cp = 0xFFFD;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2; c &= 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3; c &= 0x0F; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4; c &= 0x07; min = 0x10000;
    } else {
        return -1;
    }
    if ((size_t)n > len)
        return -1;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (p[i] & 0x3F);
    }
    /* Overlong forms and surrogates are how filters get bypassed: refuse. */
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    return n;
}

int utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(s + i, len - i, &cp);
        if (n < 0) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += (size_t)n;
    }
    return 1;
}

int utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

int utf8_line_of(const char *s, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && s[i]; i++)
        if (s[i] == '\n')
            line++;
    return line;
}

static int is_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

size_t utf8_cut(const char *s, size_t n)
{
    while (n > 0 && is_continuation(s[n]))
        n--;
    return n;
}

size_t utf8_prev(const char *s, size_t i)
{
    return i > 0 ? utf8_cut(s, i - 1) : 0;
}

size_t utf8_char_len(const char *s)
{
    size_t n = 1;
    if (!s[0])
        return 1;
    while (is_continuation(s[n]))
        n++;
    return n;
}

size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !is_continuation(s[i]);
    return n;
}

void utf8_escape_controls(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return;
    for (const char *p = in; *p;) {
        unsigned char c = (unsigned char)*p;
        int control = c < 0x20 || c == 0x7f;
        size_t take = control ? 1 : utf8_char_len(p), put = control ? 4 : take;
        if (n + put >= cap)
            break;
        if (control)
            snprintf(out + n, cap - n, "\\x%02x", c);
        else
            memcpy(out + n, p, take);
        n += put;
        p += take;
    }
    out[n] = '\0';
}

size_t utf8_find_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return i;
        if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f)
            return i;
    }
    return len;
}
