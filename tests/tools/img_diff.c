/* img_diff — test helper: how much do two screen pictures differ?
 *
 *   img_diff [--tolerance N] [--max-percent P] A B
 *
 * A and B are PNG (anything SDL_image reads) or XWD files as Xvfb -fbdir
 * keeps its screen (32-bit TrueColor ZPixmap, either byte order), so a test
 * compares the real window with a headless screenshot without ImageMagick.
 * A pixel differs when a colour channel differs by more than N (default 24,
 * as tests/unit/test_golden.c); prints "P% of pixels differ".
 * Exit 0 when at most P % (default 0.5) of the pixels differ, 1 when more
 * (or the sizes differ), 2 on bad usage or unreadable files. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XWD files are at most a 8192×8192 screen: refuse anything larger. */
#define XWD_MAX_SIDE 8192
#define XWD_HEADER_WORDS 25
#define XWD_VERSION 7
#define XWD_ZPIXMAP 2
#define XWD_COLOR_BYTES 12

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned mask_shift(uint32_t mask)
{
    unsigned s = 0;
    while (mask && !(mask & 1u)) {
        mask >>= 1;
        s++;
    }
    return s;
}

/* Reads a 32-bit TrueColor XWD into an ARGB8888 surface; NULL with a message. */
static SDL_Surface *load_xwd(const uint8_t *data, size_t len, const char *path)
{
    if (len < XWD_HEADER_WORDS * 4) {
        fprintf(stderr, "img_diff: %s: too short for XWD\n", path);
        return NULL;
    }
    uint32_t h[XWD_HEADER_WORDS];
    for (int i = 0; i < XWD_HEADER_WORDS; i++)
        h[i] = be32(data + 4 * i);
    /* header_size, file_version, pixmap_format, depth, width, height,
     * xoffset, byte_order, bitmap_unit, bit_order, bitmap_pad,
     * bits_per_pixel, bytes_per_line, visual_class, red/green/blue masks,
     * bits_per_rgb, colormap_entries, ncolors, ... */
    uint32_t header = h[0], w = h[4], hgt = h[5], lsb = h[7] == 0, bpp = h[11], stride = h[12];
    uint32_t rmask = h[14], gmask = h[15], bmask = h[16], ncolors = h[19];
    if (h[1] != XWD_VERSION || h[2] != XWD_ZPIXMAP || bpp != 32 || w == 0 || hgt == 0 || w > XWD_MAX_SIDE ||
        hgt > XWD_MAX_SIDE || stride < w * 4 || ncolors > 65536) {
        fprintf(stderr, "img_diff: %s: not a 32-bit ZPixmap XWD this tool reads\n", path);
        return NULL;
    }
    size_t start = (size_t)header + (size_t)ncolors * XWD_COLOR_BYTES;
    if (start > len || (len - start) / stride < hgt) {
        fprintf(stderr, "img_diff: %s: truncated XWD\n", path);
        return NULL;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, (int)w, (int)hgt, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    unsigned rs = mask_shift(rmask), gs = mask_shift(gmask), bs = mask_shift(bmask);
    for (uint32_t y = 0; y < hgt; y++) {
        const uint8_t *src = data + start + (size_t)y * stride;
        uint32_t *dst = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (uint32_t x = 0; x < w; x++, src += 4) {
            uint32_t v = lsb ? (uint32_t)src[0] | (uint32_t)src[1] << 8 | (uint32_t)src[2] << 16 |
                                   (uint32_t)src[3] << 24
                             : be32(src);
            uint32_t r = (v & rmask) >> rs, g = (v & gmask) >> gs, b = (v & bmask) >> bs;
            dst[x] = 0xFF000000u | (r & 0xFF) << 16 | (g & 0xFF) << 8 | (b & 0xFF);
        }
    }
    return s;
}

static SDL_Surface *load_any(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "img_diff: cannot open %s\n", path);
        return NULL;
    }
    uint8_t head[8] = {0};
    size_t got = fread(head, 1, sizeof head, f);
    /* XWD starts with header_size (big-endian, ≥ 100) and version 7. */
    if (got == sizeof head && be32(head + 4) == XWD_VERSION && be32(head) >= XWD_HEADER_WORDS * 4) {
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *data = len > 0 ? malloc((size_t)len) : NULL;
        SDL_Surface *s = NULL;
        if (data && fread(data, 1, (size_t)len, f) == (size_t)len)
            s = load_xwd(data, (size_t)len, path);
        free(data);
        fclose(f);
        return s;
    }
    fclose(f);
    SDL_Surface *raw = IMG_Load(path);
    if (!raw) {
        fprintf(stderr, "img_diff: %s: %s\n", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

static int usage(void)
{
    fputs("usage: img_diff [--tolerance N] [--max-percent P] A B\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    int tolerance = 24;
    double max_percent = 0.5;
    const char *paths[2] = {NULL, NULL};
    int npaths = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tolerance") && i + 1 < argc)
            tolerance = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-percent") && i + 1 < argc)
            max_percent = atof(argv[++i]);
        else if (argv[i][0] != '-' && npaths < 2)
            paths[npaths++] = argv[i];
        else
            return usage();
    }
    if (npaths != 2)
        return usage();
    SDL_Surface *a = load_any(paths[0]), *b = load_any(paths[1]);
    int status = 2;
    if (!a || !b)
        goto done;
    if (a->w != b->w || a->h != b->h) {
        printf("sizes differ: %dx%d and %dx%d\n", a->w, a->h, b->w, b->h);
        status = 1;
        goto done;
    }
    size_t differing = 0, total = (size_t)a->w * (size_t)a->h;
    for (int y = 0; y < a->h; y++) {
        const uint32_t *ra = (const uint32_t *)((const uint8_t *)a->pixels + (size_t)y * (size_t)a->pitch);
        const uint32_t *rb = (const uint32_t *)((const uint8_t *)b->pixels + (size_t)y * (size_t)b->pitch);
        for (int x = 0; x < a->w; x++) {
            for (int shift = 0; shift < 24; shift += 8) {
                int ca = (int)((ra[x] >> shift) & 0xFF), cb = (int)((rb[x] >> shift) & 0xFF);
                if (abs(ca - cb) > tolerance) {
                    differing++;
                    break;
                }
            }
        }
    }
    double percent = 100.0 * (double)differing / (double)total;
    printf("%.3f%% of pixels differ\n", percent);
    status = percent <= max_percent ? 0 : 1;
done:
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return status;
}
