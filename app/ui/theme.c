#include "theme.h"

#include <math.h>

/* 100 % to 200 % (WCAG 1.4.4). The steps between are those people know
 * from their phones and Windows (125 %, 150 %); each is a visible change
 * from the last, and 2.0 is the last: at 800×480 a 40 px body line holds
 * about 20 characters, the least a sentence reads in. */
static const float text_scales[THEME_TEXT_STEPS] = {1.0f, 1.25f, 1.5f, 2.0f};

/* Colours: a warm paper background is easier on the eyes than pure white in a
 * bright hall; the deep teal bar and accent echo the flag's sky blue while
 * keeping text contrast above WCAG AA (4.5:1) on white. */
static const theme_palette standard = {
    .bg = {246, 244, 239, 255},
    .surface = {255, 255, 255, 255},
    .surface_press = {222, 238, 242, 255},
    .text = {29, 36, 51, 255},
    .text_muted = {86, 95, 112, 255},
    .bar = {11, 92, 115, 255},
    .bar_text = {255, 255, 255, 255},
    .accent = {0, 112, 138, 255},
    .accent_press = {11, 92, 115, 255},
    .accent_soft = {224, 242, 246, 255},
    .highlight = {254, 226, 122, 255},
    .clause_flash = {255, 241, 184, 255},
    .divider = {226, 223, 215, 255},
    /* 4.2:1 on bg, 3.9:1 on surface_press: above WCAG 1.4.11's 3:1 on every background it sits on. */
    .control_edge = {120, 116, 108, 255},
    .card_edge = {0, 0, 0, 0},
    .key = {255, 255, 255, 255},
    .key_special = {214, 226, 230, 255},
    .danger = {176, 40, 40, 255},
};

/* High contrast: white text on black, links and marks in yellow, as in
 * the high-contrast schemes people with low vision already know. Light on
 * dark also glares less in a bright hall. Shadows vanish on black, so
 * cards get a white outline instead; search hits are a blue wash that
 * white text still reads on (8:1). Every pair is checked in test_theme. */
static const theme_palette high_contrast = {
    .bg = {0, 0, 0, 255},
    .surface = {0, 0, 0, 255},
    .surface_press = {60, 60, 60, 255},
    .text = {255, 255, 255, 255},
    .text_muted = {235, 235, 235, 255},
    .bar = {0, 0, 0, 255},
    .bar_text = {255, 255, 0, 255},
    .accent = {255, 230, 0, 255},
    .accent_press = {200, 180, 0, 255},
    .accent_soft = {40, 40, 40, 255},
    .highlight = {0, 60, 150, 255},
    .clause_flash = {70, 60, 0, 255},
    .divider = {150, 150, 150, 255},
    /* Grey, not white: inactive page dots must differ from the active
     * (yellow) one by more than hue (2.4:1 between them, 7.1:1 on black). */
    .control_edge = {150, 150, 150, 255},
    .card_edge = {255, 255, 255, 255},
    .key = {0, 0, 0, 255},
    .key_special = {45, 45, 45, 255},
    .danger = {255, 140, 140, 255},
};

/* Relative luminance of one sRGB channel (WCAG 2). */
static double channel(uint8_t c)
{
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double luminance(theme_color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double theme_contrast_ratio(theme_color a, theme_color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

int theme_px(const theme *t, float dp)
{
    if (dp <= 0)
        return 0;
    int px = (int)lroundf(dp * t->scale);
    return px < 1 ? 1 : px;
}

theme theme_compute(int w, int h, float dpi, int text_step, theme_contrast contrast)
{
    theme t = {0};
    t.w = w;
    t.h = h;
    t.color = contrast == THEME_HIGH_CONTRAST ? high_contrast : standard;
    if (text_step < 0)
        text_step = 0;
    if (text_step >= THEME_TEXT_STEPS)
        text_step = THEME_TEXT_STEPS - 1;
    /* 800×480 is 1.0. Bigger screens grow at half the rate of their size:
     * text and targets get bigger (they are read from further away) and
     * more fits at once, rather than a phone layout blown up to 55". */
    int long_side = w > h ? w : h, short_side = w > h ? h : w;
    float sx = (float)long_side / 800.0f, sy = (float)short_side / 480.0f;
    float s = sx < sy ? sx : sy; /* portrait screens scale like landscape ones */
    t.scale = s > 1.0f ? 1.0f + (s - 1.0f) * 0.5f : s;
    if (t.scale < 0.5f)
        t.scale = 0.5f;
    t.text_scale = text_scales[text_step];
    if (dpi <= 0)
        dpi = 133.0f * t.scale; /* the Pi 7" panel: 800×480 at ~133 dpi */

    t.target_min = (int)ceilf(THEME_MIN_TARGET_MM / 25.4f * dpi);
    /* Controls grow half as fast as their text: a 52 dp button has room
     * around an 18 dp label, and at 200 % its 36 dp label still fits a
     * 78 dp button, while a bar of 104 dp would take a fifth of a 7"
     * screen from what is read. */
    t.control_scale = 1.0f + (t.text_scale - 1.0f) * 0.5f;
    t.target = theme_px(&t, 52.0f * t.control_scale);
    if (t.target < t.target_min)
        t.target = t.target_min;
    t.bar_h = t.target + theme_px(&t, 8);
    t.margin = theme_px(&t, 20);
    t.gap = theme_px(&t, 12);
    t.radius = theme_px(&t, 12);

    float ts = t.scale * t.text_scale;
    t.font_body = (int)lroundf(20.0f * ts);
    t.font_small = (int)lroundf(16.0f * ts);
    t.font_title = (int)lroundf(26.0f * ts);
    t.font_h1 = (int)lroundf(30.0f * ts);
    t.font_h2 = (int)lroundf(25.0f * ts);
    t.font_h3 = (int)lroundf(22.0f * ts);
    t.font_bar = (int)lroundf(18.0f * ts);
    t.font_key = (int)lroundf(26.0f * ts);
    t.font_display = (int)lroundf(40.0f * t.scale);

    /* Reading column: lines of ~60–75 characters read best; wide screens
     * get a centred column rather than 200-character lines. */
    int max_col = (int)lroundf(720.0f * ts);
    t.content_w = w - 2 * t.margin;
    if (t.content_w > max_col)
        t.content_w = max_col;
    t.content_x = (w - t.content_w) / 2;
    return t;
}
