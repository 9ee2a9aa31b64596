/* theme — colours and resolution-independent metrics of the kiosk UI.
 *
 * Pure: computes pixel sizes from the screen size, its density and the text
 * size step, so the same screens are right from a 7" 800×480 panel to a 55"
 * 4K display. The unit is the "dp": 1 dp = 1 px on an 800×480 screen. */
#pragma once

#include <stdint.h>

/* Text size steps a citizen can choose on the screen settings (the top
 * bar's "Aa"): 100, 125, 150 and 200 % (WCAG 1.4.4 asks for 200 %). */
#define THEME_TEXT_STEPS 4
/* Smallest touch target a finger hits reliably (ISO 9241-9 and most
 * platform guidelines land near 9 mm). */
#define THEME_MIN_TARGET_MM 9.0f

typedef struct {
    uint8_t r, g, b, a;
} theme_color;

typedef struct {
    theme_color bg;            /* screen background (warm paper) */
    theme_color surface;       /* cards, tiles, list rows */
    theme_color surface_press; /* a row or tile under the finger */
    theme_color text;
    theme_color text_muted;
    theme_color bar;           /* top bar */
    theme_color bar_text;
    theme_color accent;        /* links, active dots, focus, filled buttons */
    theme_color accent_press;  /* a filled button under the finger (its label stays surface) */
    theme_color accent_soft;   /* accent-tinted backgrounds */
    theme_color highlight;     /* search hits */
    theme_color clause_flash;  /* a clause reached through a link */
    theme_color divider;       /* decoration only: rules between blocks */
    theme_color control_edge;  /* non-text parts that carry meaning: dots, field borders (>= 3:1, WCAG 1.4.11) */
    theme_color card_edge;     /* outline of cards and tiles; alpha 0: none (their shadow shows them) */
    theme_color key;           /* on-screen keyboard keys */
    theme_color key_special;
    theme_color danger;
} theme_palette;

/* The colour schemes a citizen can choose on the screen settings. */
typedef enum {
    THEME_STANDARD = 0,   /* warm paper, teal bar: WCAG AA */
    THEME_HIGH_CONTRAST,  /* white and yellow on black: text >= 7:1, controls >= 3:1 */
    THEME_CONTRAST_COUNT,
} theme_contrast;

typedef struct {
    int w, h;            /* screen size in px */
    float scale;         /* px per dp */
    float text_scale;    /* 1.0, 1.25, 1.5 or 2.0 by text step */
    float control_scale; /* how much controls grow with the text step (half as fast) */
    int target_min;      /* THEME_MIN_TARGET_MM in px: no tap target may be smaller */
    int target;          /* touch target of buttons and the bar (grows with the text step) */
    int bar_h;           /* top bar height */
    int margin;          /* outer margin */
    int gap;             /* gap between tiles and rows */
    int radius;          /* corner radius of cards and buttons */
    int content_w;       /* width of the reading column (centred) */
    int content_x;       /* left edge of the reading column */
    int font_body;       /* body text px (scaled by text step) */
    int font_small;      /* secondary text */
    int font_title;      /* screen titles */
    int font_h1, font_h2, font_h3;
    int font_bar;        /* top bar, button and pill labels (scaled by text step) */
    int font_key;        /* keyboard letters (scaled by text step) */
    int font_display;    /* the home screen's big title */
    theme_palette color;
} theme;

/* Computes the theme for a screen of w×h px at dpi dots per inch (0 when
 * unknown: assumed from a 7" panel), text step 0..THEME_TEXT_STEPS-1 and
 * colour scheme. */
theme theme_compute(int w, int h, float dpi, int text_step, theme_contrast contrast);

/* WCAG 2 contrast ratio of two opaque colours (1 to 21). */
double theme_contrast_ratio(theme_color a, theme_color b);

/* Scales a dp value to px (at least 1 for positive values). */
int theme_px(const theme *t, float dp);
