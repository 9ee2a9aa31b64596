#include "imgcheck.h"

#include <SDL_image.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The type the file name says: IMGINFO_PNG, IMGINFO_JPEG, or 0. */
static int type_of_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    if (!strcasecmp(dot, ".png"))
        return IMGINFO_PNG;
    if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"))
        return IMGINFO_JPEG;
    return 0;
}

/* The offset just past the JPEG's first SOS segment header, or 0. The
 * segments before it (APPn may hold a whole thumbnail JPEG, EOI included)
 * are skipped by their lengths. */
static size_t jpeg_scan_start(const unsigned char *d, size_t len)
{
    size_t i = 2;
    while (i + 4 <= len && d[i] == 0xFF) {
        unsigned m = d[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        size_t seg = (size_t)d[i + 2] << 8 | d[i + 3];
        if (seg < 2 || i + 2 + seg > len)
            return 0;
        if (m == 0xDA)
            return i + 2 + seg;
        i += 2 + seg;
    }
    return 0;
}

/* A JPEG decoder fills a cut-off image with grey and only warns, so a cut
 * is found by its missing end: after the scan starts there must be an EOI
 * marker (FF D9; inside the scan data FF is always followed by 00 or a
 * restart marker). */
static int jpeg_has_end(const unsigned char *d, size_t len)
{
    size_t start = jpeg_scan_start(d, len);
    if (start == 0)
        return 0;
    for (size_t i = len - 1; i > start; i--)
        if (d[i - 1] == 0xFF && d[i] == 0xD9)
            return 1;
    return 0;
}

/* Decodes the image as the kiosk will; its size must be the header's. */
static int decodes_as_said(const void *data, size_t size, const imginfo *info, char *err, size_t errcap)
{
    if (size > INT_MAX) {
        snprintf(err, errcap, "too large to decode");
        return -1;
    }
    SDL_Surface *s = IMG_Load_RW(SDL_RWFromConstMem(data, (int)size), 1);
    if (!s) {
        snprintf(err, errcap, "does not decode (%s): the file is damaged or cut short", IMG_GetError());
        return -1;
    }
    int same = (unsigned)s->w == info->width && (unsigned)s->h == info->height;
    if (!same)
        snprintf(err, errcap, "says %ux%u pixels in its header but decodes to %dx%d", info->width, info->height,
                 s->w, s->h);
    SDL_FreeSurface(s);
    return same ? 0 : -1;
}

int imgcheck_verify(const char *name, const void *data, size_t size, const imginfo *info, char *err,
                    size_t errcap)
{
    int named = type_of_name(name);
    const char *is = info->type == IMGINFO_PNG ? "PNG" : "JPEG";
    if (named && named != (int)info->type) {
        snprintf(err, errcap, "is a %s file but its name says %s: rename it to .%s", is,
                 named == IMGINFO_PNG ? "PNG" : "JPEG", info->type == IMGINFO_PNG ? "png" : "jpg");
        return -1;
    }
    if (info->type == IMGINFO_JPEG && info->components == 4) {
        snprintf(err, errcap, "is a CMYK JPEG (made for print; its colours depend on the program that wrote it): "
                 "save it as an RGB (sRGB) JPEG");
        return -1;
    }
    if (info->type == IMGINFO_JPEG && !jpeg_has_end(data, size)) {
        snprintf(err, errcap, "is cut short (the JPEG has no end marker): the file is damaged");
        return -1;
    }
    return decodes_as_said(data, size, info, err, errcap);
}
