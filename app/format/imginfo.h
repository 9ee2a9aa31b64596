/* imginfo — type, width and height of a PNG or JPEG from its bytes.
 *
 * Reads only headers (PNG IHDR, JPEG SOFn), never decodes pixels, and checks
 * every length against the buffer, so it is safe on any input. Anything that
 * is not a well-formed PNG or baseline/progressive JPEG header is refused:
 * the kiosk only ever shows what SDL_image will decode. Pure. */
#pragma once

#include <stddef.h>

/* Largest image file, in bytes, that the content tool accepts and the kiosk
 * reads from a bundle (a larger asset is refused from its length alone). */
#define IMGINFO_MAX_BYTES (8u * 1024u * 1024u)

/* Largest image, in pixels, that the kiosk decodes (64 MB as ARGB on a
 * 1 GB board), and so the largest the content tool accepts: one limit, so
 * an image that builds is an image that shows. */
#define IMGINFO_MAX_PIXELS (16u * 1024u * 1024u)

/* Longest side worth drawing: a column of text at 4K is narrower, so a
 * larger picture only costs decoding time and memory (a 4032x3024 phone
 * photo: about a second and 160 MB on the kiosk). The tool warns above it. */
#define IMGINFO_SCREEN_SIDE 2560u

/* Largest width or height accepted in a header (PNG allows 2^31-1). */
#define IMGINFO_MAX_SIDE 65535u

typedef enum {
    IMGINFO_PNG = 1,
    IMGINFO_JPEG
} imginfo_type;

typedef struct {
    imginfo_type type;
    unsigned width, height;
    unsigned components; /* JPEG: 1 grey, 3 colour, 4 CMYK (or YCCK); PNG: 0 */
    const char *mime;   /* "image/png" or "image/jpeg" (static string) */
} imginfo;

/* Reads the header of data[0..len). Returns 0 and fills out, or -1 with a
 * reason in err ("not a PNG or JPEG image", "truncated PNG header", ...). */
int imginfo_probe(const void *data, size_t len, imginfo *out, char *err, size_t errcap);

/* 0 when info has at most IMGINFO_MAX_PIXELS; else -1 with its size, the
 * limit and the largest size of the same shape within it in err. */
int imginfo_check_pixels(const imginfo *info, char *err, size_t errcap);

/* 0 when info's longer side is at most IMGINFO_SCREEN_SIDE; else -1 with
 * the size to scale it to in err (for a warning: the kiosk still shows it). */
int imginfo_check_side(const imginfo *info, char *err, size_t errcap);
