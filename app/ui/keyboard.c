/* keyboard — see keyboard.h. */
#include "keyboard.h"

#include "utf8.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

/* A key in a layout table. Widths are in half units (a letter key is 2) so
 * shift and backspace can be one and a half letters wide. */
typedef struct {
    keyboard_key_kind kind;
    const char *text;
    int half; /* width; 0 = stretch to fill the row (the space bar) */
} key_spec;

typedef struct {
    const key_spec *keys;
    int n;
} row_spec;

typedef struct {
    const row_spec *rows;
    int n;
} layout_spec;

#define K(s) {KEYBOARD_KEY_CHAR, s, 2}
#define SHIFT {KEYBOARD_KEY_SHIFT, NULL, 3}
#define BKSP {KEYBOARD_KEY_BACKSPACE, NULL, 3}
#define ROW(a) {a, (int)(sizeof a / sizeof a[0])}
#define LAYOUT(a) {a, (int)(sizeof a / sizeof a[0])}

/* The space bar is never narrower than this (half units): it is the key most
 * often aimed at without looking. */
#define SPACE_MIN_HALF 8

static const key_spec DIGITS[] = {K("1"), K("2"), K("3"), K("4"), K("5"),
                                  K("6"), K("7"), K("8"), K("9"), K("0")};
/* Order of the Kazakh letters on the standard (Windows) Kazakh layout's
 * number row, so Kazakh typists find them where they expect. */
static const key_spec KK_LETTERS[] = {K("ә"), K("і"), K("ң"), K("ғ"), K("ү"),
                                      K("ұ"), K("қ"), K("ө"), K("һ")};
static const key_spec CYR_1[] = {K("й"), K("ц"), K("у"), K("к"), K("е"), K("н"),
                                 K("г"), K("ш"), K("щ"), K("з"), K("х"), K("ъ")};
static const key_spec CYR_2[] = {K("ф"), K("ы"), K("в"), K("а"), K("п"), K("р"),
                                 K("о"), K("л"), K("д"), K("ж"), K("э")};
/* No long-press alternates on a kiosk (nobody would find them), so ё gets a
 * key of its own: after ю, where the physical layout has "." */
static const key_spec CYR_3[] = {SHIFT,  K("я"), K("ч"), K("с"), K("м"), K("и"),
                                 K("т"), K("ь"), K("б"), K("ю"), K("ё"), BKSP};
static const key_spec EN_1[] = {K("q"), K("w"), K("e"), K("r"), K("t"),
                                K("y"), K("u"), K("i"), K("o"), K("p")};
static const key_spec EN_2[] = {K("a"), K("s"), K("d"), K("f"), K("g"),
                                K("h"), K("j"), K("k"), K("l")};
static const key_spec EN_3[] = {SHIFT, K("z"), K("x"), K("c"), K("v"), K("b"), K("n"), K("m"), BKSP};
/* The hyphen beside the space bar: the search hint suggests «43-бап», and
 * Kazakh and Russian write many words with one. Clear is two letters wide:
 * its word («Очистить», «Тазалау») must show whole at 800 pixels. */
static const key_spec BOTTOM[] = {{KEYBOARD_KEY_LAYOUT, NULL, 3},
                                  {KEYBOARD_KEY_CLEAR, NULL, 4},
                                  {KEYBOARD_KEY_SPACE, NULL, 0},
                                  K("-"),
                                  {KEYBOARD_KEY_DONE, NULL, 3}};

static const row_spec KK_ROWS[] = {ROW(DIGITS), ROW(KK_LETTERS), ROW(CYR_1),
                                   ROW(CYR_2),  ROW(CYR_3),      ROW(BOTTOM)};
static const row_spec RU_ROWS[] = {ROW(DIGITS), ROW(CYR_1), ROW(CYR_2), ROW(CYR_3), ROW(BOTTOM)};
static const row_spec EN_ROWS[] = {ROW(DIGITS), ROW(EN_1), ROW(EN_2), ROW(EN_3), ROW(BOTTOM)};

static const layout_spec LAYOUTS[KEYBOARD_LAYOUT_COUNT] = {
    [KEYBOARD_KK] = LAYOUT(KK_ROWS),
    [KEYBOARD_RU] = LAYOUT(RU_ROWS),
    [KEYBOARD_EN] = LAYOUT(EN_ROWS),
};

/* Lower -> upper for every letter on the keyboards. A table rather than
 * towupper(): the kiosk's locale is whatever the image shipped with, and the
 * Kazakh letters must be right regardless. */
static const char *const CASE_PAIRS[][2] = {
    {"а", "А"}, {"б", "Б"}, {"в", "В"}, {"г", "Г"}, {"д", "Д"}, {"е", "Е"}, {"ё", "Ё"},
    {"ж", "Ж"}, {"з", "З"}, {"и", "И"}, {"й", "Й"}, {"к", "К"}, {"л", "Л"}, {"м", "М"},
    {"н", "Н"}, {"о", "О"}, {"п", "П"}, {"р", "Р"}, {"с", "С"}, {"т", "Т"}, {"у", "У"},
    {"ф", "Ф"}, {"х", "Х"}, {"ц", "Ц"}, {"ч", "Ч"}, {"ш", "Ш"}, {"щ", "Щ"}, {"ъ", "Ъ"},
    {"ы", "Ы"}, {"ь", "Ь"}, {"э", "Э"}, {"ю", "Ю"}, {"я", "Я"},
    {"ә", "Ә"}, {"ғ", "Ғ"}, {"қ", "Қ"}, {"ң", "Ң"}, {"ө", "Ө"}, {"ұ", "Ұ"}, {"ү", "Ү"},
    {"һ", "Һ"}, {"і", "І"},
    {"a", "A"}, {"b", "B"}, {"c", "C"}, {"d", "D"}, {"e", "E"}, {"f", "F"}, {"g", "G"},
    {"h", "H"}, {"i", "I"}, {"j", "J"}, {"k", "K"}, {"l", "L"}, {"m", "M"}, {"n", "N"},
    {"o", "O"}, {"p", "P"}, {"q", "Q"}, {"r", "R"}, {"s", "S"}, {"t", "T"}, {"u", "U"},
    {"v", "V"}, {"w", "W"}, {"x", "X"}, {"y", "Y"}, {"z", "Z"},
};

static int row_half(const row_spec *row)
{
    int sum = 0;
    for (int i = 0; i < row->n; i++)
        sum += row->keys[i].half ? row->keys[i].half : SPACE_MIN_HALF;
    return sum;
}

static int layout_half(const layout_spec *l)
{
    int max = 0;
    for (int r = 0; r < l->n; r++) {
        int h = row_half(&l->rows[r]);
        if (h > max)
            max = h;
    }
    return max;
}

/* Pixel edge of position pos (half units, or rows) along a span. Rounding the
 * running position rather than summing rounded widths keeps the edges exact
 * and neighbouring keys sharing one edge: no overlaps, no stray pixels. */
static int edge(int origin, long pos, long total, int span)
{
    return origin + (int)((pos * span * 2 + total) / (total * 2));
}

static keyboard_rect inset(keyboard_rect cell, int gap)
{
    /* Half the gap on each side, so neighbours end up exactly one gap apart. */
    keyboard_rect r = {cell.x + gap / 2, cell.y + gap / 2, cell.w - gap, cell.h - gap};
    return r;
}

static bool contains(keyboard_rect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

void keyboard_init(keyboard *kb, keyboard_layout layout)
{
    assert(kb && layout >= 0 && layout < KEYBOARD_LAYOUT_COUNT);
    memset(kb, 0, sizeof *kb);
    kb->layout = layout;
    kb->letter_case = KEYBOARD_LOWER;
}

void keyboard_min_size(int min_key_px, int gap_px, int *w, int *h)
{
    assert(min_key_px > 0 && gap_px >= 0 && w && h);
    int need = min_key_px + gap_px + 1; /* +1: a cell may round one pixel short */
    *w = *h = 0;
    for (int l = 0; l < KEYBOARD_LAYOUT_COUNT; l++) {
        int lw = (layout_half(&LAYOUTS[l]) * need + 1) / 2;
        int lh = LAYOUTS[l].n * need;
        if (lw > *w)
            *w = lw;
        if (lh > *h)
            *h = lh;
    }
}

bool keyboard_layout_keys(keyboard *kb, keyboard_rect area, int min_key_px, int gap_px)
{
    assert(kb && min_key_px > 0 && gap_px >= 0);
    const layout_spec *l = &LAYOUTS[kb->layout];
    int total = layout_half(l);
    kb->area = area;
    kb->min_key_px = min_key_px;
    kb->gap_px = gap_px;
    kb->key_count = 0;
    if (area.w <= 0 || area.h <= 0)
        return false;
    int n = 0;
    for (int r = 0; r < l->n; r++) {
        const row_spec *row = &l->rows[r];
        int y0 = edge(area.y, r, l->n, area.h), y1 = edge(area.y, r + 1, l->n, area.h);
        int stretch = total - row_half(row) + SPACE_MIN_HALF; /* the space bar's width */
        int width = 0;
        for (int i = 0; i < row->n; i++)
            width += row->keys[i].half ? row->keys[i].half : stretch;
        /* Rows narrower than the widest are centred. */
        long pos = (total - (width < total ? width : total)) / 2;
        for (int i = 0; i < row->n; i++) {
            const key_spec *ks = &row->keys[i];
            long end = pos + (ks->half ? ks->half : stretch);
            int x0 = edge(area.x, pos, total, area.w), x1 = edge(area.x, end, total, area.w);
            keyboard_key *k = &kb->keys[n++];
            assert(n <= KEYBOARD_MAX_KEYS);
            k->kind = ks->kind;
            k->text = ks->text;
            k->row = r;
            k->rect = inset((keyboard_rect){x0, y0, x1 - x0, y1 - y0}, gap_px);
            if (k->rect.w < min_key_px || k->rect.h < min_key_px)
                return false; /* key_count is still 0: nothing half laid out */
            /* Touches in the margins of a short row go to its outer keys:
             * nobody should tap the keyboard and get nothing. */
            int c0 = i == 0 ? area.x : x0, c1 = i == row->n - 1 ? area.x + area.w : x1;
            k->cell = (keyboard_rect){c0, y0, c1 - c0, y1 - y0};
            pos = end;
        }
    }
    kb->key_count = n;
    return true;
}

bool keyboard_set_layout(keyboard *kb, keyboard_layout layout)
{
    assert(kb && layout >= 0 && layout < KEYBOARD_LAYOUT_COUNT);
    kb->layout = layout;
    kb->letter_case = KEYBOARD_LOWER;
    if (kb->min_key_px == 0)
        return true; /* never laid out: nothing to redo */
    return keyboard_layout_keys(kb, kb->area, kb->min_key_px, kb->gap_px);
}

const keyboard_key *keyboard_hit(const keyboard *kb, int x, int y)
{
    assert(kb);
    for (int i = 0; i < kb->key_count; i++)
        if (contains(kb->keys[i].cell, x, y))
            return &kb->keys[i];
    return NULL;
}

const char *keyboard_key_label(const keyboard *kb, const keyboard_key *key)
{
    assert(kb && key);
    /* The symbols are in DejaVu Sans, our fallback font (fonts/fonts.txt). */
    switch (key->kind) {
    case KEYBOARD_KEY_CHAR:
        return kb->letter_case == KEYBOARD_LOWER ? key->text : keyboard_upper(key->text);
    case KEYBOARD_KEY_SHIFT:
        return kb->letter_case == KEYBOARD_CAPS ? "⇪" : "⇧";
    case KEYBOARD_KEY_BACKSPACE:
        return "⌫";
    case KEYBOARD_KEY_SPACE:
        return "";
    case KEYBOARD_KEY_LAYOUT:
        return keyboard_layout_name(keyboard_next_layout(kb->layout));
    case KEYBOARD_KEY_CLEAR:
        return "✕";
    case KEYBOARD_KEY_DONE:
        return "✓";
    }
    return "";
}

keyboard_action keyboard_press(keyboard *kb, const keyboard_key *key, keyboard_text *text)
{
    assert(kb && key && text);
    assert(key >= kb->keys && key < kb->keys + kb->key_count);
    switch (key->kind) {
    case KEYBOARD_KEY_CHAR: {
        const char *s = kb->letter_case == KEYBOARD_LOWER ? key->text : keyboard_upper(key->text);
        if (!keyboard_text_append(text, s))
            return KEYBOARD_ACTION_NONE;
        if (kb->letter_case == KEYBOARD_SHIFT_ONCE)
            kb->letter_case = KEYBOARD_LOWER;
        return KEYBOARD_ACTION_TEXT;
    }
    case KEYBOARD_KEY_SHIFT:
        kb->letter_case = kb->letter_case == KEYBOARD_LOWER       ? KEYBOARD_SHIFT_ONCE
                          : kb->letter_case == KEYBOARD_SHIFT_ONCE ? KEYBOARD_CAPS
                                                                   : KEYBOARD_LOWER;
        return KEYBOARD_ACTION_CASE;
    case KEYBOARD_KEY_BACKSPACE:
        return keyboard_text_backspace(text) ? KEYBOARD_ACTION_TEXT : KEYBOARD_ACTION_NONE;
    case KEYBOARD_KEY_SPACE:
        return keyboard_text_append(text, " ") ? KEYBOARD_ACTION_TEXT : KEYBOARD_ACTION_NONE;
    case KEYBOARD_KEY_LAYOUT:
        /* key points into kb->keys, which this rewrites: do not touch it after. */
        keyboard_set_layout(kb, keyboard_next_layout(kb->layout));
        return KEYBOARD_ACTION_LAYOUT;
    case KEYBOARD_KEY_CLEAR:
        if (text->len == 0)
            return KEYBOARD_ACTION_NONE;
        keyboard_text_clear(text);
        return KEYBOARD_ACTION_TEXT;
    case KEYBOARD_KEY_DONE:
        return KEYBOARD_ACTION_DONE;
    }
    return KEYBOARD_ACTION_NONE;
}

keyboard_layout keyboard_next_layout(keyboard_layout layout)
{
    assert(layout >= 0 && layout < KEYBOARD_LAYOUT_COUNT);
    return (keyboard_layout)((layout + 1) % KEYBOARD_LAYOUT_COUNT);
}

const char *keyboard_layout_name(keyboard_layout layout)
{
    static const char *const names[KEYBOARD_LAYOUT_COUNT] = {
        [KEYBOARD_KK] = "ҚАЗ",
        [KEYBOARD_RU] = "РУС",
        [KEYBOARD_EN] = "ENG",
    };
    assert(layout >= 0 && layout < KEYBOARD_LAYOUT_COUNT);
    return names[layout];
}

const char *keyboard_upper(const char *letter)
{
    assert(letter);
    for (size_t i = 0; i < sizeof CASE_PAIRS / sizeof CASE_PAIRS[0]; i++)
        if (strcmp(CASE_PAIRS[i][0], letter) == 0)
            return CASE_PAIRS[i][1];
    return letter;
}

/* Length of the valid UTF-8 character at s (n bytes left), or 0 when it is
 * malformed (utf8.h refuses overlongs, surrogates and beyond U+10FFFF). */
static size_t valid_char_len(const unsigned char *s, size_t n)
{
    uint32_t cp;
    int len = n > 0 ? utf8_decode((const char *)s, n, &cp) : -1;
    return len > 0 ? (size_t)len : 0;
}

void keyboard_text_clear(keyboard_text *t)
{
    assert(t);
    t->len = 0;
    t->buf[0] = '\0';
}

bool keyboard_text_append(keyboard_text *t, const char *s)
{
    assert(t && s && t->len <= KEYBOARD_TEXT_CAP);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len = valid_char_len((const unsigned char *)s + i, n - i);
        if (len == 0)
            return false; /* checked first so that bad input adds nothing */
        i += len;
    }
    for (size_t i = 0; i < n;) {
        size_t len = valid_char_len((const unsigned char *)s + i, n - i);
        if (t->len + len > KEYBOARD_TEXT_CAP)
            return false; /* never half a character: stop at the last whole one */
        memcpy(t->buf + t->len, s + i, len);
        t->len += len;
        t->buf[t->len] = '\0';
        i += len;
    }
    return true;
}

bool keyboard_text_set(keyboard_text *t, const char *s)
{
    keyboard_text_clear(t);
    return keyboard_text_append(t, s);
}

bool keyboard_text_backspace(keyboard_text *t)
{
    assert(t);
    if (t->len == 0)
        return false;
    /* The buffer only ever holds valid UTF-8, so stepping back over
     * continuation bytes lands on the start of the last character. */
    t->len = utf8_prev(t->buf, t->len);
    t->buf[t->len] = '\0';
    return true;
}

const char *keyboard_text_str(const keyboard_text *t)
{
    assert(t);
    return t->buf;
}
