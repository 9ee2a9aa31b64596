#include "imginfo.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

/* Signature, IHDR length and type, 13 bytes of IHDR data, CRC. */
#define PNG_HEADER_LEN (8 + 4 + 4 + 13 + 4)

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* CRC-32 as PNG defines it (ISO 3309). Bitwise: it runs over 17 bytes once
 * per image, a table would be wasted memory. */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

/* Bit depths the PNG specification allows for each colour type. */
static int png_depth_ok(unsigned color, unsigned depth)
{
    switch (color) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2: case 4: case 6: return depth == 8 || depth == 16;
    default: return 0;
    }
}

static int probe_png(const unsigned char *d, size_t len, imginfo *out, char *err, size_t errcap)
{
    if (len < PNG_HEADER_LEN) {
        snprintf(err, errcap, "truncated PNG header");
        return -1;
    }
    const unsigned char *chunk = d + 8;
    if (be32(chunk) != 13 || memcmp(chunk + 4, "IHDR", 4) != 0) {
        snprintf(err, errcap, "PNG does not start with an IHDR chunk");
        return -1;
    }
    if (be32(chunk + 8 + 13) != png_crc(chunk + 4, 4 + 13)) {
        snprintf(err, errcap, "PNG header checksum mismatch (damaged file)");
        return -1;
    }
    const unsigned char *ihdr = chunk + 8;
    uint32_t w = be32(ihdr), h = be32(ihdr + 4);
    unsigned depth = ihdr[8], color = ihdr[9];
    if (!png_depth_ok(color, depth) || ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1) {
        snprintf(err, errcap, "PNG header has invalid format fields");
        return -1;
    }
    if (w == 0 || h == 0 || w > IMGINFO_MAX_SIDE || h > IMGINFO_MAX_SIDE) {
        snprintf(err, errcap, "PNG size %lux%lu is out of range (1..%u)", (unsigned long)w,
                 (unsigned long)h, IMGINFO_MAX_SIDE);
        return -1;
    }
    *out = (imginfo){.type = IMGINFO_PNG, .width = w, .height = h, .mime = "image/png"};
    return 0;
}

/* SOF0..SOF15 carry the frame size, except C4 (DHT), C8 (JPG extension) and
 * CC (DAC), which share the range. */
static int is_sof(unsigned m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int probe_jpeg(const unsigned char *d, size_t len, imginfo *out, char *err, size_t errcap)
{
    size_t i = 2; /* after SOI */
    for (;;) {
        if (i >= len)
            goto truncated;
        if (d[i] != 0xFF) {
            snprintf(err, errcap, "JPEG marker expected at byte %zu", i);
            return -1;
        }
        /* Any number of 0xFF fill bytes may precede a marker code. */
        while (i < len && d[i] == 0xFF)
            i++;
        if (i >= len)
            goto truncated;
        unsigned m = d[i++];
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue; /* TEM and RSTn stand alone, no length */
        if (m == 0xD8 || m == 0xD9 || m == 0xDA || m == 0x00) {
            snprintf(err, errcap, "JPEG has no frame header before its image data");
            return -1;
        }
        if (len - i < 2)
            goto truncated;
        unsigned seglen = be16(d + i);
        if (seglen < 2) {
            snprintf(err, errcap, "JPEG segment length %u is invalid", seglen);
            return -1;
        }
        if (seglen > len - i)
            goto truncated;
        if (is_sof(m)) {
            /* Lossless, hierarchical and arithmetic-coded JPEGs are legal but
             * rare, and Debian's libjpeg (behind SDL_image) does not decode
             * all of them: refuse them here rather than on the kiosk. */
            if (m > 0xC2) {
                snprintf(err, errcap, "JPEG coding process SOF%u is not supported (baseline or progressive only)",
                         m - 0xC0);
                return -1;
            }
            /* length(2) precision(1) height(2) width(2) components(1) */
            if (seglen < 8) {
                snprintf(err, errcap, "JPEG frame header too short");
                return -1;
            }
            unsigned h = be16(d + i + 3), w = be16(d + i + 5), comps = d[i + 7];
            if (w == 0 || h == 0) {
                /* Height 0 means "given later by a DNL marker": legal, rare,
                 * and not something the kiosk's decoder should have to meet. */
                snprintf(err, errcap, "JPEG size %ux%u is not supported", w, h);
                return -1;
            }
            if (comps != 1 && comps != 3 && comps != 4) {
                snprintf(err, errcap, "JPEG with %u colour components is not supported", comps);
                return -1;
            }
            *out = (imginfo){.type = IMGINFO_JPEG, .width = w, .height = h, .components = comps, .mime = "image/jpeg"};
            return 0;
        }
        i += seglen;
    }
truncated:
    snprintf(err, errcap, "truncated JPEG header");
    return -1;
}

int imginfo_probe(const void *data, size_t len, imginfo *out, char *err, size_t errcap)
{
    const unsigned char *d = data;
    if (len >= sizeof png_signature && memcmp(d, png_signature, sizeof png_signature) == 0)
        return probe_png(d, len, out, err, errcap);
    if (len >= 2 && d[0] == 0xFF && d[1] == 0xD8)
        return probe_jpeg(d, len, out, err, errcap);
    snprintf(err, errcap, "not a PNG or JPEG image");
    return -1;
}

/* The largest width (and its height, same shape) within the pixel limit:
 * found by halving, in whole numbers, so no floating point decides it. */
static void fitting_size(unsigned w, unsigned h, unsigned *fw, unsigned *fh)
{
    unsigned lo = 1, hi = w;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo + 1) / 2;
        uint64_t mh = (uint64_t)h * mid / w;
        if ((uint64_t)mid * mh <= IMGINFO_MAX_PIXELS)
            lo = mid;
        else
            hi = mid - 1;
    }
    *fw = lo;
    *fh = (unsigned)((uint64_t)h * lo / w);
    if (*fh == 0)
        *fh = 1;
}

int imginfo_check_pixels(const imginfo *info, char *err, size_t errcap)
{
    uint64_t px = (uint64_t)info->width * info->height;
    if (px <= IMGINFO_MAX_PIXELS)
        return 0;
    unsigned fw, fh;
    fitting_size(info->width, info->height, &fw, &fh);
    snprintf(err, errcap, "has %ux%u pixels, more than the kiosk shows (%u pixels, 16 megapixels): scale it down "
             "to %ux%u or less", info->width, info->height, IMGINFO_MAX_PIXELS, fw, fh);
    return -1;
}

int imginfo_check_side(const imginfo *info, char *err, size_t errcap)
{
    unsigned w = info->width, h = info->height, side = w > h ? w : h;
    if (side <= IMGINFO_SCREEN_SIDE)
        return 0;
    unsigned sw = (unsigned)((uint64_t)w * IMGINFO_SCREEN_SIDE / side);
    unsigned sh = (unsigned)((uint64_t)h * IMGINFO_SCREEN_SIDE / side);
    snprintf(err, errcap, "is %ux%u, more than any screen shows it at: it costs the kiosk time and memory to draw "
             "(scale it to %ux%u)", w, h, sw ? sw : 1, sh ? sh : 1);
    return -1;
}
