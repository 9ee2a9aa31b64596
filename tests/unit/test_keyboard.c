/* Unit tests for the on-screen keyboard model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "keyboard.h"

/* Alphabets written with escapes, independent of the literals in keyboard.c. */
#define RU_ALPHABET                                                                          \
    "\u0430\u0431\u0432\u0433\u0434\u0435\u0451\u0436\u0437\u0438\u0439\u043a\u043b\u043c"   \
    "\u043d\u043e\u043f\u0440\u0441\u0442\u0443\u0444\u0445\u0446\u0447\u0448\u0449\u044a"   \
    "\u044b\u044c\u044d\u044e\u044f"
/* ә ғ қ ң ө ұ ү һ і */
#define KK_EXTRA "\u04d9\u0493\u049b\u04a3\u04e9\u04b1\u04af\u04bb\u0456"
#define EN_ALPHABET "abcdefghijklmnopqrstuvwxyz"

/* Split a UTF-8 string into characters (all 1- or 2-byte here). */
static int split(const char *s, char out[][5], int max)
{
    int n = 0;
    while (*s && n < max) {
        int len = ((unsigned char)*s < 0x80) ? 1 : ((unsigned char)*s < 0xE0 ? 2 : 3);
        memcpy(out[n], s, (size_t)len);
        out[n][len] = '\0';
        s += len;
        n++;
    }
    return n;
}

static bool is_digit_key(const keyboard_key *k)
{
    return k->kind == KEYBOARD_KEY_CHAR && strlen(k->text) == 1 && k->text[0] >= '0' &&
           k->text[0] <= '9';
}

/* Digits and the hyphen: the character keys that are no letter (no case). */
static bool is_caseless_key(const keyboard_key *k)
{
    return is_digit_key(k) || (k->kind == KEYBOARD_KEY_CHAR && !strcmp(k->text, "-"));
}

static void lay_out(keyboard *kb, keyboard_layout layout)
{
    keyboard_init(kb, layout);
    assert_true(keyboard_layout_keys(kb, (keyboard_rect){0, 200, 800, 280}, 30, 4));
}

/* Every letter of the alphabet exactly once, nothing else but digits and
 * one hyphen (the search hint suggests «43-бап»). */
static void check_alphabet(keyboard_layout layout, const char *alphabet, int letters)
{
    keyboard kb;
    lay_out(&kb, layout);
    char want[64][5];
    int n = split(alphabet, want, 64);
    assert_int_equal(n, letters);
    int seen[64] = {0};
    int chars = 0;
    for (int i = 0; i < kb.key_count; i++) {
        const keyboard_key *k = &kb.keys[i];
        if (k->kind != KEYBOARD_KEY_CHAR || is_caseless_key(k))
            continue;
        chars++;
        int found = -1;
        for (int j = 0; j < n; j++)
            if (strcmp(k->text, want[j]) == 0)
                found = j;
        if (found < 0)
            fail_msg("layout %d has a stray key '%s'", layout, k->text);
        seen[found]++;
    }
    for (int j = 0; j < n; j++)
        if (seen[j] != 1)
            fail_msg("layout %d has letter '%s' %d times", layout, want[j], seen[j]);
    assert_int_equal(chars, letters);
    int hyphens = 0;
    for (int i = 0; i < kb.key_count; i++)
        hyphens += kb.keys[i].kind == KEYBOARD_KEY_CHAR && !strcmp(kb.keys[i].text, "-");
    assert_int_equal(hyphens, 1);
}

static void test_alphabets_complete(void **state)
{
    (void)state;
    check_alphabet(KEYBOARD_RU, RU_ALPHABET, 33);
    check_alphabet(KEYBOARD_KK, RU_ALPHABET KK_EXTRA, 42);
    check_alphabet(KEYBOARD_EN, EN_ALPHABET, 26);
}

static void test_digits_and_special_keys(void **state)
{
    (void)state;
    for (int l = 0; l < KEYBOARD_LAYOUT_COUNT; l++) {
        keyboard kb;
        lay_out(&kb, (keyboard_layout)l);
        int digits[10] = {0}, kinds[KEYBOARD_KEY_DONE + 1] = {0};
        int digit_row = -1;
        for (int i = 0; i < kb.key_count; i++) {
            kinds[kb.keys[i].kind]++;
            if (is_digit_key(&kb.keys[i])) {
                digits[kb.keys[i].text[0] - '0']++;
                assert_int_equal(kb.keys[i].row, 0); /* one digits row, on top */
                digit_row = 0;
            } else if (kb.keys[i].kind != KEYBOARD_KEY_CHAR) {
                assert_null(kb.keys[i].text);
            }
        }
        assert_int_equal(digit_row, 0);
        for (int d = 0; d < 10; d++)
            assert_int_equal(digits[d], 1);
        for (int k = KEYBOARD_KEY_SHIFT; k <= KEYBOARD_KEY_DONE; k++)
            assert_int_equal(kinds[k], 1);
    }
    /* The Kazakh letters are a row of their own, under the digits. */
    keyboard kb;
    lay_out(&kb, KEYBOARD_KK);
    char kk[9][5];
    split(KK_EXTRA, kk, 9);
    for (int j = 0; j < 9; j++) {
        bool found = false;
        for (int i = 0; i < kb.key_count; i++)
            if (kb.keys[i].text && strcmp(kb.keys[i].text, kk[j]) == 0) {
                assert_int_equal(kb.keys[i].row, 1);
                found = true;
            }
        assert_true(found);
    }
    assert_true(kb.key_count <= KEYBOARD_MAX_KEYS);
}

static void test_upper_case_table(void **state)
{
    (void)state;
    assert_string_equal(keyboard_upper("\u04d9"), "\u04d8"); /* ә Ә */
    assert_string_equal(keyboard_upper("\u0493"), "\u0492"); /* ғ Ғ */
    assert_string_equal(keyboard_upper("\u049b"), "\u049a"); /* қ Қ */
    assert_string_equal(keyboard_upper("\u04a3"), "\u04a2"); /* ң Ң */
    assert_string_equal(keyboard_upper("\u04e9"), "\u04e8"); /* ө Ө */
    assert_string_equal(keyboard_upper("\u04b1"), "\u04b0"); /* ұ Ұ */
    assert_string_equal(keyboard_upper("\u04af"), "\u04ae"); /* ү Ү */
    assert_string_equal(keyboard_upper("\u04bb"), "\u04ba"); /* һ Һ */
    assert_string_equal(keyboard_upper("\u0456"), "\u0406"); /* і І */
    assert_string_equal(keyboard_upper("\u0451"), "\u0401"); /* ё Ё */
    assert_string_equal(keyboard_upper("\u044f"), "\u042f"); /* я Я */
    assert_string_equal(keyboard_upper("q"), "Q");
    assert_string_equal(keyboard_upper("7"), "7");
    assert_string_equal(keyboard_upper("\u0410"), "\u0410"); /* already upper */
    assert_string_equal(keyboard_upper(""), "");

    /* Every letter on every layout has an upper case of the same length, and
     * no two letters share one. Russian а..я map by the regular -0x20 offset. */
    char ru[40][5];
    int n = split(RU_ALPHABET, ru, 40);
    for (int i = 0; i < n; i++) {
        const char *up = keyboard_upper(ru[i]);
        assert_string_not_equal(up, ru[i]);
        assert_int_equal(strlen(up), strlen(ru[i]));
        for (int j = 0; j < i; j++)
            assert_string_not_equal(up, keyboard_upper(ru[j]));
    }
    for (int l = 0; l < KEYBOARD_LAYOUT_COUNT; l++) {
        keyboard kb;
        lay_out(&kb, (keyboard_layout)l);
        for (int i = 0; i < kb.key_count; i++) {
            const keyboard_key *k = &kb.keys[i];
            if (k->kind != KEYBOARD_KEY_CHAR || is_caseless_key(k))
                continue;
            assert_string_not_equal(keyboard_upper(k->text), k->text);
            assert_int_equal(strlen(keyboard_upper(k->text)), strlen(k->text));
        }
    }
}

static bool overlap(keyboard_rect a, keyboard_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool inside(keyboard_rect in, keyboard_rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

/* Geometry invariants for one layout in one area. */
static void check_geometry(keyboard_layout layout, keyboard_rect area, int min_key, int gap)
{
    keyboard kb;
    keyboard_init(&kb, layout);
    if (!keyboard_layout_keys(&kb, area, min_key, gap))
        fail_msg("layout %d does not fit %dx%d with %d px keys", layout, area.w, area.h, min_key);
    for (int i = 0; i < kb.key_count; i++) {
        const keyboard_key *k = &kb.keys[i];
        assert_true(k->rect.w >= min_key && k->rect.h >= min_key);
        assert_true(inside(k->rect, area));
        assert_true(inside(k->cell, area));
        assert_true(inside(k->rect, k->cell));
        /* The centre of every key hits that key. */
        assert_ptr_equal(keyboard_hit(&kb, k->rect.x + k->rect.w / 2, k->rect.y + k->rect.h / 2), k);
        /* So do its corners: what is drawn can be touched. */
        assert_ptr_equal(keyboard_hit(&kb, k->rect.x, k->rect.y), k);
        assert_ptr_equal(keyboard_hit(&kb, k->rect.x + k->rect.w - 1, k->rect.y + k->rect.h - 1), k);
        for (int j = 0; j < i; j++) {
            assert_false(overlap(k->rect, kb.keys[j].rect));
            assert_false(overlap(k->cell, kb.keys[j].cell));
            /* Neighbours in a row are at least a gap apart. */
            if (kb.keys[j].row == k->row) {
                const keyboard_key *a = &kb.keys[j];
                int apart = k->rect.x >= a->rect.x + a->rect.w ? k->rect.x - (a->rect.x + a->rect.w)
                                                               : a->rect.x - (k->rect.x + k->rect.w);
                assert_true(apart >= gap);
            }
        }
    }
    /* The cells tile the area: no dead spots between keys. */
    int step = 1 + area.w / 300;
    for (int y = area.y; y < area.y + area.h; y += step)
        for (int x = area.x; x < area.x + area.w; x += step)
            assert_non_null(keyboard_hit(&kb, x, y));
    assert_non_null(keyboard_hit(&kb, area.x + area.w - 1, area.y + area.h - 1));
    /* Outside, nothing. */
    assert_null(keyboard_hit(&kb, area.x - 1, area.y));
    assert_null(keyboard_hit(&kb, area.x, area.y - 1));
    assert_null(keyboard_hit(&kb, area.x + area.w, area.y));
    assert_null(keyboard_hit(&kb, area.x, area.y + area.h));
}

static void test_geometry_at_screen_sizes(void **state)
{
    (void)state;
    struct {
        keyboard_rect area;
        int min_key, gap;
    } cases[] = {
        {{0, 180, 800, 300}, 40, 6},      /* lower part of an 800x480 screen */
        {{0, 0, 800, 480}, 44, 8},        /* all of it */
        {{0, 540, 1920, 540}, 72, 12},    /* lower half of 1920x1080 */
        {{0, 0, 1920, 1080}, 90, 10},     /* all of 1920x1080 */
        {{0, 1200, 1080, 720}, 70, 8},    /* portrait 1080x1920 */
        {{0, 1400, 3840, 760}, 110, 16},  /* 4K */
        {{13, 7, 801, 333}, 38, 5},       /* odd numbers everywhere */
        {{0, 0, 800, 300}, 40, 0},        /* no gaps at all */
        {{0, 0, 800, 300}, 40, 1},        /* odd gap */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (int l = 0; l < KEYBOARD_LAYOUT_COUNT; l++)
            check_geometry((keyboard_layout)l, cases[c].area, cases[c].min_key, cases[c].gap);
}

static void test_min_size(void **state)
{
    (void)state;
    for (int min_key = 20; min_key <= 120; min_key += 13) {
        for (int gap = 0; gap <= 12; gap += 3) {
            int w, h;
            keyboard_min_size(min_key, gap, &w, &h);
            assert_true(w >= 13 * (min_key + gap)); /* 13 units: the widest Cyrillic row */
            assert_true(h >= 6 * (min_key + gap));  /* 6 rows: Kazakh */
            for (int l = 0; l < KEYBOARD_LAYOUT_COUNT; l++)
                check_geometry((keyboard_layout)l, (keyboard_rect){0, 0, w, h}, min_key, gap);
            /* Clearly smaller fails, and says so with no keys left behind. */
            keyboard kb;
            keyboard_init(&kb, KEYBOARD_KK);
            assert_false(keyboard_layout_keys(&kb, (keyboard_rect){0, 0, w * 9 / 10, h}, min_key, gap));
            assert_int_equal(kb.key_count, 0);
            assert_null(keyboard_hit(&kb, 1, 1));
            assert_false(keyboard_layout_keys(&kb, (keyboard_rect){0, 0, w, h * 9 / 10}, min_key, gap));
        }
    }
    keyboard kb;
    keyboard_init(&kb, KEYBOARD_EN);
    assert_false(keyboard_layout_keys(&kb, (keyboard_rect){0, 0, 0, 300}, 10, 2));
    assert_false(keyboard_layout_keys(&kb, (keyboard_rect){0, 0, -5, -5}, 10, 2));
}

/* Press the key showing `label` (in the current case) as a finger would: by
 * hitting the centre of its rectangle. */
static keyboard_action tap_label(keyboard *kb, const char *label, keyboard_text *t)
{
    for (int i = 0; i < kb->key_count; i++) {
        const keyboard_key *k = &kb->keys[i];
        if (k->kind == KEYBOARD_KEY_CHAR && strcmp(keyboard_key_label(kb, k), label) == 0) {
            const keyboard_key *hit = keyboard_hit(kb, k->rect.x + k->rect.w / 2, k->rect.y + k->rect.h / 2);
            assert_ptr_equal(hit, k);
            return keyboard_press(kb, hit, t);
        }
    }
    fail_msg("no key labelled '%s'", label);
    return KEYBOARD_ACTION_NONE;
}

static const keyboard_key *find_kind(const keyboard *kb, keyboard_key_kind kind)
{
    for (int i = 0; i < kb->key_count; i++)
        if (kb->keys[i].kind == kind)
            return &kb->keys[i];
    fail_msg("no key of kind %d", kind);
    return NULL;
}

static void type(keyboard *kb, const char *word, keyboard_text *t)
{
    char chars[64][5];
    int n = split(word, chars, 64);
    for (int i = 0; i < n; i++)
        assert_int_equal(tap_label(kb, chars[i], t), KEYBOARD_ACTION_TEXT);
}

static void test_typing_and_case(void **state)
{
    (void)state;
    keyboard kb;
    keyboard_text t;
    keyboard_text_clear(&t);
    lay_out(&kb, KEYBOARD_KK);
    type(&kb, "сәлем", &t);
    assert_string_equal(keyboard_text_str(&t), "сәлем");
    assert_int_equal(keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_SPACE), &t), KEYBOARD_ACTION_TEXT);

    /* Shift: one capital, then lower again. */
    const keyboard_key *shift = find_kind(&kb, KEYBOARD_KEY_SHIFT);
    assert_string_equal(keyboard_key_label(&kb, shift), "⇧");
    assert_int_equal(keyboard_press(&kb, shift, &t), KEYBOARD_ACTION_CASE);
    assert_int_equal(kb.letter_case, KEYBOARD_SHIFT_ONCE);
    type(&kb, "Қ", &t); /* the key now shows the capital */
    assert_int_equal(kb.letter_case, KEYBOARD_LOWER);
    type(&kb, "азақ", &t);
    assert_string_equal(keyboard_text_str(&t), "сәлем Қазақ");

    /* Caps lock: shift twice. Labels follow. */
    keyboard_press(&kb, shift, &t);
    keyboard_press(&kb, shift, &t);
    assert_int_equal(kb.letter_case, KEYBOARD_CAPS);
    assert_string_equal(keyboard_key_label(&kb, shift), "⇪");
    keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_SPACE), &t);
    type(&kb, "ҰЛЫ", &t);
    keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_SPACE), &t);
    type(&kb, "ДАЛА", &t);
    assert_int_equal(kb.letter_case, KEYBOARD_CAPS);
    assert_int_equal(keyboard_press(&kb, shift, &t), KEYBOARD_ACTION_CASE);
    assert_int_equal(kb.letter_case, KEYBOARD_LOWER);
    type(&kb, "ғіһүөң", &t);
    assert_string_equal(keyboard_text_str(&t), "сәлем Қазақ ҰЛЫ ДАЛАғіһүөң");

    /* Digits do not care about case. */
    keyboard_press(&kb, shift, &t);
    type(&kb, "1", &t);
    assert_string_equal(t.buf + t.len - 1, "1");
}

static void test_layout_switch_cycles(void **state)
{
    (void)state;
    keyboard kb;
    keyboard_text t;
    keyboard_text_clear(&t);
    lay_out(&kb, KEYBOARD_KK);
    keyboard_rect area = kb.area;
    assert_string_equal(keyboard_key_label(&kb, find_kind(&kb, KEYBOARD_KEY_LAYOUT)), "РУС");
    keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_SHIFT), &t);
    assert_int_equal(keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_LAYOUT), &t), KEYBOARD_ACTION_LAYOUT);
    assert_int_equal(kb.layout, KEYBOARD_RU);
    assert_int_equal(kb.letter_case, KEYBOARD_LOWER);
    assert_memory_equal(&kb.area, &area, sizeof area); /* same place on screen */
    assert_true(kb.key_count > 0);
    assert_string_equal(keyboard_key_label(&kb, find_kind(&kb, KEYBOARD_KEY_LAYOUT)), "ENG");
    type(&kb, "ёж", &t);
    keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_LAYOUT), &t);
    assert_int_equal(kb.layout, KEYBOARD_EN);
    assert_string_equal(keyboard_key_label(&kb, find_kind(&kb, KEYBOARD_KEY_LAYOUT)), "ҚАЗ");
    type(&kb, "ok", &t);
    keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_LAYOUT), &t);
    assert_int_equal(kb.layout, KEYBOARD_KK);
    assert_string_equal(keyboard_text_str(&t), "ёжok"); /* text survives switching */

    assert_int_equal(keyboard_next_layout(KEYBOARD_KK), KEYBOARD_RU);
    assert_int_equal(keyboard_next_layout(KEYBOARD_RU), KEYBOARD_EN);
    assert_int_equal(keyboard_next_layout(KEYBOARD_EN), KEYBOARD_KK);
    assert_string_equal(keyboard_layout_name(KEYBOARD_KK), "\u049a\u0410\u0417");

    /* Switching before any layout is harmless. */
    keyboard fresh;
    keyboard_init(&fresh, KEYBOARD_EN);
    assert_true(keyboard_set_layout(&fresh, KEYBOARD_RU));
    assert_int_equal(fresh.key_count, 0);
}

static void test_special_keys(void **state)
{
    (void)state;
    keyboard kb;
    keyboard_text t;
    keyboard_text_clear(&t);
    lay_out(&kb, KEYBOARD_RU);
    const keyboard_key *bksp = find_kind(&kb, KEYBOARD_KEY_BACKSPACE);
    const keyboard_key *clear = find_kind(&kb, KEYBOARD_KEY_CLEAR);
    assert_int_equal(keyboard_press(&kb, bksp, &t), KEYBOARD_ACTION_NONE);
    assert_int_equal(keyboard_press(&kb, clear, &t), KEYBOARD_ACTION_NONE);
    type(&kb, "бап", &t);
    assert_int_equal(keyboard_press(&kb, bksp, &t), KEYBOARD_ACTION_TEXT);
    assert_string_equal(keyboard_text_str(&t), "ба");
    assert_int_equal(keyboard_press(&kb, clear, &t), KEYBOARD_ACTION_TEXT);
    assert_string_equal(keyboard_text_str(&t), "");
    assert_int_equal(keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_DONE), &t), KEYBOARD_ACTION_DONE);
    /* Every key has a label; only the space bar's is blank. */
    for (int i = 0; i < kb.key_count; i++) {
        const char *label = keyboard_key_label(&kb, &kb.keys[i]);
        assert_non_null(label);
        assert_true(kb.keys[i].kind == KEYBOARD_KEY_SPACE || label[0] != '\0');
    }
    /* The space bar is the widest key. */
    const keyboard_key *space = find_kind(&kb, KEYBOARD_KEY_SPACE);
    for (int i = 0; i < kb.key_count; i++)
        assert_true(kb.keys[i].rect.w <= space->rect.w);
}

static void test_text_backspace_multibyte(void **state)
{
    (void)state;
    keyboard_text t;
    keyboard_text_clear(&t);
    assert_false(keyboard_text_backspace(&t));
    assert_true(keyboard_text_append(&t, "aә\u20ac\U0001F4DC")); /* 1, 2, 3, 4 bytes */
    assert_int_equal(t.len, 10);
    assert_true(keyboard_text_backspace(&t));
    assert_string_equal(keyboard_text_str(&t), "aә\u20ac");
    assert_true(keyboard_text_backspace(&t));
    assert_string_equal(keyboard_text_str(&t), "aә");
    assert_true(keyboard_text_backspace(&t));
    assert_string_equal(keyboard_text_str(&t), "a");
    assert_int_equal(t.len, 1);
    assert_true(keyboard_text_backspace(&t));
    assert_string_equal(keyboard_text_str(&t), "");
    assert_int_equal(t.len, 0);
    assert_false(keyboard_text_backspace(&t));
}

static void test_text_cap_never_splits(void **state)
{
    (void)state;
    keyboard_text t;
    keyboard_text_clear(&t);
    for (int i = 0; i < KEYBOARD_TEXT_CAP / 2; i++)
        assert_true(keyboard_text_append(&t, "ә"));
    assert_int_equal(t.len, KEYBOARD_TEXT_CAP);
    assert_false(keyboard_text_append(&t, "ә"));
    assert_false(keyboard_text_append(&t, "a"));
    assert_int_equal(t.len, KEYBOARD_TEXT_CAP);

    /* Two bytes left after a backspace: one two-byte letter fits again. */
    assert_true(keyboard_text_backspace(&t));
    assert_int_equal(t.len, KEYBOARD_TEXT_CAP - 2);
    assert_true(keyboard_text_append(&t, "ә"));
    /* One byte left: an ASCII letter fits, a two-byte letter does not. */
    assert_true(keyboard_text_backspace(&t));
    assert_true(keyboard_text_append(&t, "a"));
    assert_int_equal(t.len, KEYBOARD_TEXT_CAP - 1);
    assert_false(keyboard_text_append(&t, "қ"));
    assert_int_equal(t.len, KEYBOARD_TEXT_CAP - 1);
    /* A longer string adds whole characters up to the cap, never half of one. */
    assert_false(keyboard_text_append(&t, "bқ"));
    assert_int_equal(t.len, KEYBOARD_TEXT_CAP);
    assert_int_equal(t.buf[t.len - 1], 'b');
    assert_int_equal(t.buf[KEYBOARD_TEXT_CAP], '\0');

    /* Through the keyboard: a full buffer reports no change, shift is kept. */
    keyboard kb;
    lay_out(&kb, KEYBOARD_KK);
    keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_SHIFT), &t);
    assert_int_equal(tap_label(&kb, "Ә", &t), KEYBOARD_ACTION_NONE);
    assert_int_equal(kb.letter_case, KEYBOARD_SHIFT_ONCE);
    assert_int_equal(keyboard_press(&kb, find_kind(&kb, KEYBOARD_KEY_SPACE), &t), KEYBOARD_ACTION_NONE);

    /* set() replaces; the same cap rules apply. */
    assert_true(keyboard_text_set(&t, "жаңа"));
    assert_string_equal(keyboard_text_str(&t), "жаңа");
    char longtext[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(longtext, "ң");
    assert_false(keyboard_text_set(&t, longtext));
    assert_int_equal(t.len, KEYBOARD_TEXT_CAP);
}

static void test_text_rejects_invalid_utf8(void **state)
{
    (void)state;
    keyboard_text t;
    keyboard_text_set(&t, "ok");
    const char *bad[] = {"\xff", "a\xd0", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(keyboard_text_append(&t, bad[i]));
        assert_string_equal(keyboard_text_str(&t), "ok"); /* nothing added, not even "a" */
    }
    assert_true(keyboard_text_append(&t, ""));
    assert_string_equal(keyboard_text_str(&t), "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alphabets_complete),
        cmocka_unit_test(test_digits_and_special_keys),
        cmocka_unit_test(test_upper_case_table),
        cmocka_unit_test(test_geometry_at_screen_sizes),
        cmocka_unit_test(test_min_size),
        cmocka_unit_test(test_typing_and_case),
        cmocka_unit_test(test_layout_switch_cycles),
        cmocka_unit_test(test_special_keys),
        cmocka_unit_test(test_text_backspace_multibyte),
        cmocka_unit_test(test_text_cap_never_splits),
        cmocka_unit_test(test_text_rejects_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
