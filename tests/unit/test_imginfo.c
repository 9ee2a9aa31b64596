/* imginfo: real PNG and JPEG headers (tests/data/img, made with ImageMagick),
 * every truncation of them, damaged and hand-made headers, other formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imginfo.h"
#include "platform.h"

typedef struct {
    const char *file;
    imginfo_type type;
    unsigned w, h;
} sample;

static const sample samples[] = {
    {"tiny.png", IMGINFO_PNG, 4, 3},   /* palette, 1 bit */
    {"gray.png", IMGINFO_PNG, 3, 9},   /* grayscale, 16 bit */
    {"tiny.jpg", IMGINFO_JPEG, 5, 2},  /* baseline, SOF0 */
    {"prog.jpg", IMGINFO_JPEG, 7, 6},  /* progressive, SOF2 */
};

static unsigned char *load(const char *name, size_t *len)
{
    char path[512], err[256];
    char *data = NULL;
    snprintf(path, sizeof path, "%s/tests/data/img/%s", INFOPOINT_SOURCE_DIR, name);
    if (platform_read_file(path, 1u << 20, &data, len, err, sizeof err) < 0)
        fail_msg("%s", err);
    return (unsigned char *)data;
}

static int probe(const void *d, size_t n, imginfo *info, char *err)
{
    return imginfo_probe(d, n, info, err, 128);
}

static void test_real_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        size_t len;
        unsigned char *d = load(samples[i].file, &len);
        imginfo info;
        char err[128] = "";
        assert_int_equal(probe(d, len, &info, err), 0);
        assert_int_equal(info.type, samples[i].type);
        assert_int_equal(info.width, samples[i].w);
        assert_int_equal(info.height, samples[i].h);
        assert_string_equal(info.mime, samples[i].type == IMGINFO_PNG ? "image/png" : "image/jpeg");
        free(d);
    }
}

/* Every prefix shorter than the header is refused with a "truncated" reason;
 * from the header's end on, the size is read. */
static void test_truncations(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        size_t len;
        unsigned char *d = load(samples[i].file, &len);
        size_t need = 0;
        imginfo info;
        char err[128];
        for (size_t n = 0; n <= len; n++) {
            if (probe(d, n, &info, err) == 0) {
                need = n;
                break;
            }
            /* Shorter than the signature, it is simply not an image. */
            if (n >= (samples[i].type == IMGINFO_PNG ? 8u : 2u))
                assert_non_null(strstr(err, "truncated"));
        }
        assert_true(need > 0);
        if (samples[i].type == IMGINFO_PNG)
            assert_int_equal(need, 33);
        for (size_t n = need; n <= len; n++)
            assert_int_equal(probe(d, n, &info, err), 0);
        free(d);
    }
}

static void test_other_formats_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "GIF89a\x01\x00\x01\x00", "RIFF\x10\x00\x00\x00WEBPVP8 ", "<svg xmlns=", "BM\x3e\x00\x00\x00",
        "hello, world", "\x89PNX\r\n\x1a\n",
    };
    imginfo info;
    char err[128];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(probe(bad[i], strlen(bad[i]), &info, err), -1);
        assert_string_equal(err, "not a PNG or JPEG image");
    }
    assert_int_equal(probe("", 0, &info, err), -1);
    assert_int_equal(probe("\xFF", 1, &info, err), -1);
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A PNG header with the given fields and a correct checksum. */
static void make_png(unsigned char out[33], uint32_t w, uint32_t h, int depth, int color)
{
    memcpy(out, "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);
    put32(out + 16, w);
    put32(out + 20, h);
    out[24] = (unsigned char)depth;
    out[25] = (unsigned char)color;
    out[26] = out[27] = out[28] = 0;
    put32(out + 29, crc32_png(out + 12, 17));
}

static void test_png_fields(void **state)
{
    (void)state;
    unsigned char png[33];
    imginfo info;
    char err[128];
    make_png(png, 640, 480, 8, 6);
    assert_int_equal(probe(png, sizeof png, &info, err), 0);
    assert_int_equal(info.width, 640);
    assert_int_equal(info.height, 480);

    png[20] ^= 1; /* damage without fixing the checksum */
    assert_int_equal(probe(png, sizeof png, &info, err), -1);
    assert_non_null(strstr(err, "checksum"));

    make_png(png, 0, 10, 8, 2);
    assert_int_equal(probe(png, sizeof png, &info, err), -1);
    assert_non_null(strstr(err, "out of range"));
    make_png(png, 100000, 10, 8, 2);
    assert_int_equal(probe(png, sizeof png, &info, err), -1);
    make_png(png, 0xFFFFFFFFu, 10, 8, 2);
    assert_int_equal(probe(png, sizeof png, &info, err), -1);
    make_png(png, 10, 10, 3, 2); /* depth 3 does not exist */
    assert_int_equal(probe(png, sizeof png, &info, err), -1);
    assert_non_null(strstr(err, "invalid format"));
    make_png(png, 10, 10, 8, 5); /* colour type 5 does not exist */
    assert_int_equal(probe(png, sizeof png, &info, err), -1);

    make_png(png, 10, 10, 8, 2);
    memcpy(png + 12, "IDAT", 4); /* first chunk must be IHDR */
    assert_int_equal(probe(png, sizeof png, &info, err), -1);
    assert_non_null(strstr(err, "IHDR"));
}

static void test_jpeg_segments(void **state)
{
    (void)state;
    imginfo info;
    char err[128];
    /* SOI, APP1 (Exif-like, 6 bytes), fill bytes, DHT (not a frame), SOF0. */
    static const unsigned char ok[] = {
        0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 'E', 'x', 'i', 'f', 0xFF, 0xFF, 0xFF, 0xC4, 0x00, 0x03, 0x00,
        0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x02, 0x58, 0x03, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1,
    };
    assert_int_equal(probe(ok, sizeof ok, &info, err), 0);
    assert_int_equal(info.type, IMGINFO_JPEG);
    assert_int_equal(info.width, 600);
    assert_int_equal(info.height, 300);
    assert_int_equal(info.components, 3);

    /* A segment claiming more bytes than there are. */
    static const unsigned char overlong[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x40, 0x00, 0, 0, 0, 0};
    assert_int_equal(probe(overlong, sizeof overlong, &info, err), -1);
    assert_non_null(strstr(err, "truncated"));
    /* A length below 2 would loop forever in a careless reader. */
    static const unsigned char tiny_len[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xC0};
    assert_int_equal(probe(tiny_len, sizeof tiny_len, &info, err), -1);
    assert_non_null(strstr(err, "invalid"));
    /* Image data (SOS) before any frame header. */
    static const unsigned char sos[] = {0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02};
    assert_int_equal(probe(sos, sizeof sos, &info, err), -1);
    /* Garbage where a marker should be. */
    static const unsigned char junk[] = {0xFF, 0xD8, 0x12, 0x34};
    assert_int_equal(probe(junk, sizeof junk, &info, err), -1);
    assert_non_null(strstr(err, "marker"));
    /* Height 0 (defined later by DNL) and a frame header that is too short. */
    static const unsigned char dnl[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 0, 0, 10, 1, 1, 0x11, 0};
    assert_int_equal(probe(dnl, sizeof dnl, &info, err), -1);
    static const unsigned char short_sof[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x05, 8, 0, 1};
    assert_int_equal(probe(short_sof, sizeof short_sof, &info, err), -1);
    /* Lossless (SOF3) is a real JPEG, but not one the kiosk decodes. */
    static const unsigned char sof3[] = {0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 8, 0, 4, 0, 4, 1, 1, 0x11, 0};
    assert_int_equal(probe(sof3, sizeof sof3, &info, err), -1);
    assert_non_null(strstr(err, "SOF3 is not supported"));
    /* Only fill bytes after SOI. */
    static const unsigned char fill[] = {0xFF, 0xD8, 0xFF, 0xFF, 0xFF};
    assert_int_equal(probe(fill, sizeof fill, &info, err), -1);
}

/* Random bytes behind real signatures: never a crash, never a read outside
 * the buffer (run under valgrind or ASan to see the second). */
/* The one pixel limit of tool and kiosk: 16 megapixels, with the size of
 * the same shape to scale down to. */
static void test_pixel_limit(void **state)
{
    (void)state;
    char err[300];
    imginfo ok = {.type = IMGINFO_PNG, .width = 4096, .height = 4096};
    assert_int_equal(imginfo_check_pixels(&ok, err, sizeof err), 0);
    imginfo wide = {.type = IMGINFO_PNG, .width = 65535, .height = 256};
    assert_int_equal(imginfo_check_pixels(&wide, err, sizeof err), 0); /* 16,776,960: a side alone is no limit */
    imginfo phone = {.type = IMGINFO_JPEG, .width = 6000, .height = 4000};
    assert_int_equal(imginfo_check_pixels(&phone, err, sizeof err), -1);
    assert_non_null(strstr(err, "has 6000x4000 pixels"));
    assert_non_null(strstr(err, "scale it down to 5017x3344 or less"));
    assert_true(5017u * 3344u <= IMGINFO_MAX_PIXELS && 5018u * 3345u > IMGINFO_MAX_PIXELS);
    imginfo one_over = {.type = IMGINFO_PNG, .width = 4097, .height = 4096};
    assert_int_equal(imginfo_check_pixels(&one_over, err, sizeof err), -1);
    assert_non_null(strstr(err, "to 4096x4095 or less"));
}

/* A picture larger than any screen shows it gets a warning with the size
 * to scale it to (the kiosk still shows it). */
static void test_side_hint(void **state)
{
    (void)state;
    char err[300];
    imginfo fits = {.type = IMGINFO_PNG, .width = 2560, .height = 1000};
    assert_int_equal(imginfo_check_side(&fits, err, sizeof err), 0);
    imginfo phone = {.type = IMGINFO_JPEG, .width = 4032, .height = 3024};
    assert_int_equal(imginfo_check_side(&phone, err, sizeof err), -1);
    assert_non_null(strstr(err, "is 4032x3024"));
    assert_non_null(strstr(err, "scale it to 2560x1920"));
    imginfo tall = {.type = IMGINFO_PNG, .width = 10, .height = 65535};
    assert_int_equal(imginfo_check_side(&tall, err, sizeof err), -1);
    assert_non_null(strstr(err, "scale it to 1x2560"));
}

static void test_random_input(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    unsigned char buf[64];
    imginfo info;
    char err[128];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof buf;
        if (round % 2 == 0 && len >= 2) {
            buf[0] = 0xFF;
            buf[1] = 0xD8;
            n = 2;
        } else if (len >= 8) {
            memcpy(buf, "\x89PNG\r\n\x1a\n", 8);
            n = 8;
        }
        for (; n < len; n++) {
            seed = seed * 1103515245u + 12345u;
            /* Plenty of 0xFF so the JPEG marker paths are walked. */
            buf[n] = (seed >> 24) % 4 == 0 ? 0xFF : (unsigned char)(seed >> 16);
        }
        unsigned char *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, buf, len);
        if (probe(copy, len, &info, err) == 0)
            assert_true(info.width > 0 && info.height > 0);
        free(copy);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_files),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_other_formats_refused),
        cmocka_unit_test(test_png_fields),
        cmocka_unit_test(test_jpeg_segments),
        cmocka_unit_test(test_pixel_limit),
        cmocka_unit_test(test_side_hint),
        cmocka_unit_test(test_random_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
